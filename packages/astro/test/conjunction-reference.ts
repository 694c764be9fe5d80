/**
 * A slow, obviously-correct reference screener for tests: reference SGP4 (Vallado) at every
 * `dtSec` seconds, a Map-based cell grid with the sound pad thr + V_REL_MAX·dt, and golden-section
 * refinement of every local minimum of the sampled distance on the true SGP4 distance.
 *
 * Why it cannot miss an event: a local minimum d(t*) < thr lies between two samples; the samples
 * within ±dt of t* are within thr + V_REL_MAX·dt of each other (|ḋ| ≤ relative speed ≤ V_REL_MAX),
 * so the pair is in the grid at the samples around t*, the sampled distance has a local minimum at
 * one of the two samples bracketing t*, and golden-section search on [t_{k−1}, t_{k+1}] (distance
 * unimodal over 2·dt) converges to t*. Missing samples (pair beyond the pad) count as +∞.
 */
import type { ElementSet } from '../src/elements/element-set.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import type { Satrec } from '../src/sgp4/satrec.js';
import { sgp4 } from '../src/sgp4/sgp4.js';

/** Upper bound of the relative speed of two earth-orbiting objects below 1e5 km, km/s. */
export const V_REL_MAX_KM_S = 16;

export interface ReferenceEvent {
  /** Input indices, i < j. */
  readonly i: number;
  readonly j: number;
  /** Seconds from the window start. */
  readonly t: number;
  readonly missKm: number;
  readonly relSpeedKmS: number;
}

export interface ReferenceRun {
  readonly events: ReferenceEvent[];
  /** Naive unpadded screen on the same samples every `naiveEverySec`: pairs (i·N + j) → sample times with d < thr. */
  readonly naiveHits: Map<number, number[]>;
  readonly samples: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

function stateAt(rec: Satrec, offMin: number, t: number, out: Float64Array): boolean {
  if (sgp4(rec, offMin + t / 60, out) !== 0) return false;
  const r = Math.hypot(out[0]!, out[1]!, out[2]!);
  return r >= 6378 && r <= 1e5;
}

/** Golden-section minimum of the SGP4 distance of (a, b) on [lo, hi]; returns [t, d] or null on SGP4 errors. */
function goldenMinimum(
  ra: Satrec,
  oa: number,
  rb: Satrec,
  ob: number,
  lo: number,
  hi: number,
): [number, number, number] | null {
  const sa = new Float64Array(6);
  const sb = new Float64Array(6);
  const dist = (t: number): number => {
    if (!stateAt(ra, oa, t, sa) || !stateAt(rb, ob, t, sb)) return Number.NaN;
    return Math.hypot(sb[0]! - sa[0]!, sb[1]! - sa[1]!, sb[2]! - sa[2]!);
  };
  let a = lo;
  let b = hi;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = dist(c);
  let fd = dist(d);
  while (b - a > 1e-7) {
    if (Number.isNaN(fc) || Number.isNaN(fd)) return null;
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = dist(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = dist(d);
    }
  }
  const t = 0.5 * (a + b);
  const m = dist(t);
  if (Number.isNaN(m)) return null;
  const v = Math.hypot(sb[3]! - sa[3]!, sb[4]! - sa[4]!, sb[5]! - sa[5]!);
  return [t, m, v];
}

/** Longest stretch of synchronous work between two turns of the event loop, ms. */
const YIELD_EVERY_MS = 1000;

/**
 * Screens `elements` over [start, start + days] with threshold `thrKm` by dense sampling. Async only
 * to hand the event loop a turn every second: a test runner's worker that is blocked for a minute
 * misses its own RPC replies and reports a timeout.
 */
export async function referenceScreen(
  elements: readonly ElementSet[],
  start: { jd: number; jdFrac: number },
  days: number,
  thrKm: number,
  dtSec = 10,
  naiveEverySec = 60,
): Promise<ReferenceRun> {
  const n = elements.length;
  const recs = elements.map((e) => sgp4Init(e));
  const offs = elements.map((e) => (start.jd - e.epoch.jd + (start.jdFrac - e.epoch.jdFrac)) * 1440);
  const windowSec = days * 86400;
  const samples = Math.floor(windowSec / dtSec) + 1;
  const pad = thrKm + V_REL_MAX_KM_S * dtSec;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const valid = new Uint8Array(n);
  const s = new Float64Array(6);
  // Last two sampled distances per pair: [k1, d1, k2, d2] with k2 the latest.
  const track = new Map<number, [number, number, number, number]>();
  const events: ReferenceEvent[] = [];
  const naiveHits = new Map<number, number[]>();
  const cells = new Map<number, number[]>();
  const cellKey = (cx: number, cy: number, cz: number) =>
    (cx + 2048) * 16777216 + (cy + 2048) * 4096 + (cz + 2048);
  const refineAt = (key: number, kMid: number) => {
    const i = Math.floor(key / n);
    const j = key % n;
    const lo = Math.max(0, (kMid - 1) * dtSec);
    const hi = Math.min(windowSec, (kMid + 1) * dtSec);
    const m = goldenMinimum(recs[i]!, offs[i]!, recs[j]!, offs[j]!, lo, hi);
    if (m !== null && m[1] < thrKm) events.push({ i, j, t: m[0], missKm: m[1], relSpeedKmS: m[2] });
  };
  let lastYield = performance.now();
  for (let k = 0; k < samples; k++) {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    const t = k * dtSec;
    for (let i = 0; i < n; i++) {
      valid[i] = stateAt(recs[i]!, offs[i]!, t, s) ? 1 : 0;
      x[i] = s[0]!;
      y[i] = s[1]!;
      z[i] = s[2]!;
    }
    cells.clear();
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const key = cellKey(Math.floor(x[i]! / pad), Math.floor(y[i]! / pad), Math.floor(z[i]! / pad));
      const list = cells.get(key);
      if (list === undefined) cells.set(key, [i]);
      else list.push(i);
    }
    const naive = Math.round(t) % naiveEverySec === 0;
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const cx = Math.floor(x[i]! / pad);
      const cy = Math.floor(y[i]! / pad);
      const cz = Math.floor(z[i]! / pad);
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dz = -1; dz <= 1; dz++) {
            const list = cells.get(cellKey(cx + dx, cy + dy, cz + dz));
            if (list === undefined) continue;
            for (const j of list) {
              if (j <= i) continue;
              const d = Math.hypot(x[j]! - x[i]!, y[j]! - y[i]!, z[j]! - z[i]!);
              if (d > pad) continue;
              const key = i * n + j;
              if (naive && d < thrKm) {
                const h = naiveHits.get(key);
                if (h === undefined) naiveHits.set(key, [t]);
                else h.push(t);
              }
              const tr = track.get(key);
              if (tr === undefined) {
                track.set(key, [-10, Number.POSITIVE_INFINITY, k, d]);
                continue;
              }
              // Shift in sample k; missing samples in between are +∞.
              const d1 = tr[2] === k - 1 ? tr[3] : Number.POSITIVE_INFINITY;
              const d0 =
                tr[2] === k - 1 && tr[0] === k - 2
                  ? tr[1]
                  : tr[2] === k - 2
                    ? tr[3]
                    : Number.POSITIVE_INFINITY;
              if (tr[2] === k - 1 && d1 <= d0 && d1 < d && d1 < thrKm + V_REL_MAX_KM_S * dtSec)
                refineAt(key, k - 1);
              tr[0] = tr[2];
              tr[1] = tr[3];
              tr[2] = k;
              tr[3] = d;
            }
          }
    }
    // Pairs that left the pad after a minimum at the previous sample, or at the last sample.
    for (const [key, tr] of track) {
      if (tr[2] === k - 1 || (k === samples - 1 && tr[2] === k)) {
        const d0 = tr[0] === tr[2] - 1 ? tr[1] : Number.POSITIVE_INFINITY;
        if (tr[3] <= d0 && tr[3] < thrKm + V_REL_MAX_KM_S * dtSec) refineAt(key, tr[2]);
      }
      if (tr[2] < k - 1) track.delete(key);
    }
  }
  return { events, naiveHits, samples };
}
