/**
 * Conjunction screening (issue 4): (a) the full 26,140-object catalog of 2023-10-09, all-vs-all,
 * 7 days, 5 km, on 2 workers: wall time, conjunctions, peak memory (RSS of the whole process, which
 * includes the workers, and the main thread's heap, sampled every 50 ms); (b) the naive but sound
 * satellite.js screen of docs/performance.md §4 (satellite.js 7 `sgp4` every 60 s, uniform hash grid
 * with the sound pad thr + 16 km/s·30 s + 2 km, 13 forward neighbours, linear closest approach over
 * ±30 s) on a 1-in-9 subset × 1 day, against our in-process screener on the same subset, one thread
 * each. Goal: (a) ≤ 60 s.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, formatTle, parseTleText } from '@hoshimi/astro';
import { screenCatalog } from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import * as satellite from 'satellite.js';
import { record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const START = { jd: 2460226.5, jdFrac: 0 };
const THRESHOLD_KM = 5;
const MIB = 1024 * 1024;
/** Subset for the peer comparison: every 9th object (about 2,900), one day. */
const SUBSET_EVERY = 9;
const PEER_STEP_S = 60;
const PEER_V_REL_MAX = 16;

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Peaks of RSS and main-thread heap, sampled every 50 ms. */
function sampleMemory(): { stop: () => { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const take = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, 50);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { rss, heap };
    },
  };
}

/** The naive sound satellite.js screen; returns distinct (pair, ~TCA) events under the threshold. */
function peerScreen(elements: readonly ElementSet[], days: number): number {
  const recs = elements.map((e) => {
    const [l1, l2] = formatTle(e);
    return satellite.twoline2satrec(l1, l2);
  });
  const n = recs.length;
  const offs = elements.map((e) => (START.jd - e.epoch.jd + (START.jdFrac - e.epoch.jdFrac)) * 1440);
  const pad = THRESHOLD_KM + (PEER_V_REL_MAX * PEER_STEP_S) / 2 + 2;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const vz = new Float64Array(n);
  const ok = new Uint8Array(n);
  const events = new Map<number, number>();
  let count = 0;
  const steps = Math.round((days * 86400) / PEER_STEP_S);
  const cells = new Map<number, number[]>();
  const key = (a: number, b: number, c: number) => (a + 1024) * 4194304 + (b + 1024) * 2048 + (c + 1024);
  for (let k = 0; k <= steps; k++) {
    const t = k * PEER_STEP_S;
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
      x[i] = p.x;
      y[i] = p.y;
      z[i] = p.z;
      vx[i] = v.x;
      vy[i] = v.y;
      vz[i] = v.z;
    }
    cells.clear();
    for (let i = 0; i < n; i++) {
      if (ok[i] === 0) continue;
      const c = key(Math.floor(x[i]! / pad), Math.floor(y[i]! / pad), Math.floor(z[i]! / pad));
      const l = cells.get(c);
      if (l === undefined) cells.set(c, [i]);
      else l.push(i);
    }
    for (let i = 0; i < n; i++) {
      if (ok[i] === 0) continue;
      const cx = Math.floor(x[i]! / pad);
      const cy = Math.floor(y[i]! / pad);
      const cz = Math.floor(z[i]! / pad);
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dz = -1; dz <= 1; dz++) {
            const forward = dx > 0 || (dx === 0 && (dy > 0 || (dy === 0 && dz >= 0)));
            if (!forward) continue;
            const l = cells.get(key(cx + dx, cy + dy, cz + dz));
            if (l === undefined) continue;
            for (const j of l) {
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

export async function benchScreening(): Promise<void> {
  const text = gunzipSync(readFileSync(refFile(CATALOG))).toString('utf8');
  const parsed = parseTleText(text);
  if (!parsed.ok) throw new Error('catalog did not parse');
  const elements = parsed.value.records.map((r) => r.elements);

  // (b) Subset: satellite.js naive sound screen vs ours, one thread each.
  const subset = elements.filter((_, i) => i % SUBSET_EVERY === 0);
  console.log(`  subset: ${subset.length} objects × 1 day, ${THRESHOLD_KM} km, 1 thread each`);
  let t0 = process.hrtime.bigint();
  const peerEvents = peerScreen(subset, 1);
  const tPeer = seconds(t0);
  t0 = process.hrtime.bigint();
  const sub = screenCatalog(subset, { start: START, durationDays: 1, thresholdKm: THRESHOLD_KM });
  const tOurs = seconds(t0);
  console.log(
    `  subset events: ours ${sub.conjunctions.length} (refined), satellite.js ${peerEvents} (linear TCA)`,
  );
  record({
    bench: 'screening',
    metric: `subset ${subset.length} × 1 d, 1 thread`,
    ours: tOurs,
    peer: tPeer,
    unit: 's',
  });

  // (a) Full catalog, 7 days, 2 workers.
  console.log(
    `  full catalog: ${elements.length} objects × 7 days, ${THRESHOLD_KM} km, all-vs-all, 2 workers`,
  );
  const mem = sampleMemory();
  t0 = process.hrtime.bigint();
  let shown = 0;
  const full = await screenParallel(
    elements,
    { start: START, durationDays: 7, thresholdKm: THRESHOLD_KM },
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
