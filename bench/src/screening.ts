/**
 * Conjunction screening (issue 4): (a) the full 26,140-object catalog of 2023-10-09, all-vs-all,
 * 7 days, 5 km, on 2 workers: wall time, conjunctions, peak memory (RSS of the whole process, which
 * includes the workers, and the main thread's heap, sampled every 50 ms); (b) the naive but sound
 * satellite.js screen of docs/performance.md §4 (satellite.js 7 `sgp4` every 60 s, uniform hash grid
 * with the sound pad thr + 16 km/s·30 s + 2 km, 13 forward neighbours, linear closest approach over
 * ±30 s; records, state columns and an open-addressing cell hash built once, nothing allocated per
 * step) on a 1-in-9 subset × 1 day, against our in-process screener on the same subset, one thread
 * each, after a warm-up of each, median of several alternating rounds (`npm run bench --
 * screening-subset` runs (b) alone). Goal: (a) ≤ 60 s.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, formatTle, parseTleText } from '@hoshimi/astro';
import { screenCatalog } from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import * as satellite from 'satellite.js';
import { record, refFile, sampleMemory, seconds } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const START = { jd: 2460226.5, jdFrac: 0 };
const THRESHOLD_KM = 5;
const MIB = 1024 * 1024;
/** Subset for the peer comparison: every 9th object (about 2,900), one day. */
const SUBSET_EVERY = 9;
const PEER_STEP_S = 60;
const PEER_V_REL_MAX = 16;

/**
 * Open-addressing hash of grid cells, allocated once: per cell its key and the head of a linked
 * list of objects (next[]); cleared by walking the slots used, so a step costs O(n) and allocates
 * nothing.
 */
class CellHash {
  private readonly keys: Float64Array;
  private readonly heads: Int32Array;
  private readonly used: Int32Array;
  private usedCount = 0;
  readonly next: Int32Array;
  private readonly mask: number;

  constructor(n: number) {
    let size = 1;
    while (size < 4 * n) size *= 2;
    this.mask = size - 1;
    this.keys = new Float64Array(size);
    this.heads = new Int32Array(size).fill(-1);
    this.used = new Int32Array(n);
    this.next = new Int32Array(n);
  }

  clear(): void {
    for (let k = 0; k < this.usedCount; k++) this.heads[this.used[k]!] = -1;
    this.usedCount = 0;
  }

  private slot(key: number): number {
    // Multiplicative hash of the integer key, linear probing.
    let h = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b)) & this.mask;
    while (this.heads[h] !== -1 && this.keys[h] !== key) h = (h + 1) & this.mask;
    return h;
  }

  insert(key: number, i: number): void {
    const h = this.slot(key);
    if (this.heads[h] === -1) {
      this.keys[h] = key;
      this.used[this.usedCount++] = h;
    }
    this.next[i] = this.heads[h]!;
    this.heads[h] = i;
  }

  /** First object of the cell, or −1. */
  first(key: number): number {
    return this.heads[this.slot(key)]!;
  }
}

/**
 * The naive sound satellite.js screen; returns distinct (pair, ~TCA) events under the threshold.
 * Fair to the peer: records, offsets, state columns and the cell hash are built once; a step
 * propagates, fills the hash and scans the 13 forward neighbour cells without allocating.
 */
function peerScreen(elements: readonly ElementSet[], days: number): number {
  const recs = elements.map((e) => {
    const [l1, l2] = formatTle(e);
    return satellite.twoline2satrec(l1, l2);
  });
  const n = recs.length;
  const offs = Float64Array.from(
    elements,
    (e) => (START.jd - e.epoch.jd + (START.jdFrac - e.epoch.jdFrac)) * 1440,
  );
  const pad = THRESHOLD_KM + (PEER_V_REL_MAX * PEER_STEP_S) / 2 + 2;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const vz = new Float64Array(n);
  const cx = new Int32Array(n);
  const cy = new Int32Array(n);
  const cz = new Int32Array(n);
  const ok = new Uint8Array(n);
  const events = new Map<number, number>();
  let count = 0;
  const steps = Math.round((days * 86400) / PEER_STEP_S);
  const hash = new CellHash(n);
  const next = hash.next;
  const key = (a: number, b: number, c: number) => (a + 1024) * 4194304 + (b + 1024) * 2048 + (c + 1024);
  for (let k = 0; k <= steps; k++) {
    const t = k * PEER_STEP_S;
    hash.clear();
    for (let i = 0; i < n; i++) {
      const pv = satellite.sgp4(recs[i]!, offs[i]! + t / 60);
      const p = pv?.position;
      const v = pv?.velocity;
      if (!p || !v || Number.isNaN(p.x)) {
        ok[i] = 0;
        continue;
      }
      const r = Math.hypot(p.x, p.y, p.z);
      ok[i] = r >= 6378 && r <= 1e5 ? 1 : 0;
      if (ok[i] === 0) continue;
      x[i] = p.x;
      y[i] = p.y;
      z[i] = p.z;
      vx[i] = v.x;
      vy[i] = v.y;
      vz[i] = v.z;
      cx[i] = Math.floor(p.x / pad);
      cy[i] = Math.floor(p.y / pad);
      cz[i] = Math.floor(p.z / pad);
      hash.insert(key(cx[i]!, cy[i]!, cz[i]!), i);
    }
    for (let i = 0; i < n; i++) {
      if (ok[i] === 0) continue;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dz = -1; dz <= 1; dz++) {
            const forward = dx > 0 || (dx === 0 && (dy > 0 || (dy === 0 && dz >= 0)));
            if (!forward) continue;
            for (let j = hash.first(key(cx[i]! + dx, cy[i]! + dy, cz[i]! + dz)); j !== -1; j = next[j]!) {
              if (dx === 0 && dy === 0 && dz === 0 && j <= i) continue;
              const px = x[j]! - x[i]!;
              const py = y[j]! - y[i]!;
              const pz = z[j]! - z[i]!;
              if (px * px + py * py + pz * pz > pad * pad) continue;
              const ux = vx[j]! - vx[i]!;
              const uy = vy[j]! - vy[i]!;
              const uz = vz[j]! - vz[i]!;
              const u2 = ux * ux + uy * uy + uz * uz;
              let tau = u2 > 0 ? -(px * ux + py * uy + pz * uz) / u2 : 0;
              tau = Math.max(-PEER_STEP_S / 2, Math.min(PEER_STEP_S / 2, tau));
              const d = Math.hypot(px + ux * tau, py + uy * tau, pz + uz * tau);
              if (d >= THRESHOLD_KM) continue;
              const pair = Math.min(i, j) * n + Math.max(i, j);
              const last = events.get(pair);
              if (last === undefined || t + tau - last > PEER_STEP_S) count++;
              events.set(pair, t + tau);
            }
          }
    }
  }
  return count;
}

/** Timed rounds of the subset comparison (after one warm-up of each), median reported. */
const SUBSET_ROUNDS = 3;
/** Warm-up window, days (enough for both to be optimised by the JIT). */
const WARM_UP_DAYS = 0.1;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * (b) Subset: the naive satellite.js screen against ours, one thread each, same process: one
 * warm-up run of each, then SUBSET_ROUNDS alternating timed rounds; medians compared.
 */
export async function benchScreeningSubset(elements?: readonly ElementSet[]): Promise<void> {
  const all = elements ?? readCatalog();
  const subset = all.filter((_, i) => i % SUBSET_EVERY === 0);
  const options = {
    start: START,
    durationDays: 1,
    thresholdKm: THRESHOLD_KM,
    maxElementAgeDays: Number.POSITIVE_INFINITY,
  };
  console.log(
    `  subset: ${subset.length} objects × 1 day, ${THRESHOLD_KM} km, 1 thread each, warm-up + ${SUBSET_ROUNDS} rounds`,
  );
  peerScreen(subset, WARM_UP_DAYS);
  screenCatalog(subset, { ...options, durationDays: WARM_UP_DAYS });
  const tPeer: number[] = [];
  const tOurs: number[] = [];
  let peerEvents = 0;
  let ourEvents = 0;
  for (let r = 0; r < SUBSET_ROUNDS; r++) {
    let t0 = process.hrtime.bigint();
    peerEvents = peerScreen(subset, 1);
    tPeer.push(seconds(t0));
    t0 = process.hrtime.bigint();
    ourEvents = screenCatalog(subset, options).conjunctions.length;
    tOurs.push(seconds(t0));
  }
  console.log(
    `  subset events: ours ${ourEvents} (refined), satellite.js ${peerEvents} (linear TCA); ` +
      `rounds ours ${tOurs.map((t) => t.toFixed(2)).join(', ')} s, satellite.js ${tPeer.map((t) => t.toFixed(2)).join(', ')} s`,
  );
  record({
    bench: 'screening',
    metric: `subset ${subset.length} × 1 d, 1 thread (median of ${SUBSET_ROUNDS})`,
    ours: median(tOurs),
    peer: median(tPeer),
    unit: 's',
  });
}

export function readCatalog(): ElementSet[] {
  const text = gunzipSync(readFileSync(refFile(CATALOG))).toString('utf8');
  const parsed = parseTleText(text);
  if (!parsed.ok) throw new Error('catalog did not parse');
  return parsed.value.records.map((r) => r.elements);
}

export async function benchScreening(): Promise<void> {
  const elements = readCatalog();
  await benchScreeningSubset(elements);

  // (a) Full catalog, 7 days, 2 workers.
  console.log(
    `  full catalog: ${elements.length} objects × 7 days, ${THRESHOLD_KM} km, all-vs-all, 2 workers`,
  );
  const mem = sampleMemory(50);
  const t0 = process.hrtime.bigint();
  let shown = 0;
  const full = await screenParallel(
    elements,
    // Every element set, as in the published runs (the default 30-day age limit would leave out
    // 343 of them, and their work).
    { start: START, durationDays: 7, thresholdKm: THRESHOLD_KM, maxElementAgeDays: Number.POSITIVE_INFINITY },
    {
      workers: 2,
      onProgress: (done, total) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth > shown) {
          shown = tenth;
          process.stdout.write(`  [${'#'.repeat(tenth).padEnd(10, '.')}] ${seconds(t0).toFixed(1)} s\n`);
        }
      },
    },
  );
  const tFull = seconds(t0);
  const peak = mem.stop();
  const s = full.stats;
  console.log(
    `  ${full.conjunctions.length} conjunctions; ${s.screened} screened, ${s.initFailed} init failures; ` +
      `${(s.objectSteps / 1e6).toFixed(0)} M object-steps, ${(s.knots / 1e6).toFixed(1)} M SGP4 knots, ` +
      `${(s.gridTests / 1e6).toFixed(0)} M grid tests, ${(s.padPairs / 1e6).toFixed(1)} M padded pairs, ` +
      `${(s.linearPairs / 1e3).toFixed(0)} k linear passes, ${(s.candidates / 1e3).toFixed(0)} k refined, ` +
      `${s.refineFailed} refine failures, ${s.rejectedIntervals} rejected intervals`,
  );
  record({
    bench: 'screening',
    metric: 'full catalog 7 d all-vs-all, 2 workers',
    ours: tFull,
    peer: null,
    unit: 's',
  });
  record({
    bench: 'screening',
    metric: 'full catalog 7 d conjunctions < 5 km',
    ours: full.conjunctions.length,
    peer: null,
    unit: '',
  });
  record({
    bench: 'screening',
    metric: 'full catalog 7 d peak RSS (all threads)',
    ours: peak.rss / MIB,
    peer: null,
    unit: 'MiB',
  });
  record({
    bench: 'screening',
    metric: 'full catalog 7 d peak main heap',
    ours: peak.heap / MIB,
    peer: null,
    unit: 'MiB',
  });
}
