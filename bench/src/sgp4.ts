/**
 * SGP4 throughput: the 26,140-object catalog of 2023-10-09 over 7 days (hourly grid, 169 times per
 * object), satellite-major. Peer: satellite.js 7 `sgp4(satrec, tsince)` in the same run, in a worker thread of
 * its own (sgp4-peer-worker.ts), timed in rounds that alternate with ours.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { createStateBatch, type ElementSet, parseTleText, propagateBatch, sgp4Init } from '@hoshimi/astro';
import { PropagationPool } from '@hoshimi/node';
import { record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const RUNS = 5;

export function loadCatalogText(): string {
  return gunzipSync(readFileSync(refFile(CATALOG))).toString('utf8');
}

export function weekGrid(): Float64Array {
  const grid = new Float64Array(169);
  for (let k = 0; k < grid.length; k++) grid[k] = k * 60;
  return grid;
}

/** Propagations per second of the whole catalog on a 2-worker pool (records initialised in a warm-up). */
export async function twoWorkerRate(elements: readonly ElementSet[], grid: Float64Array): Promise<number> {
  const pool = PropagationPool.create(2);
  try {
    const catalog = pool.load(elements);
    const out = await pool.propagate(catalog, null, grid);
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = process.hrtime.bigint();
      await pool.propagate(catalog, null, grid, { out });
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    times.sort((a, b) => a - b);
    return (elements.length * grid.length) / times[Math.floor(times.length / 2)]!;
  } finally {
    await pool.close();
  }
}

export async function benchSgp4(
  workerRate?: (elements: readonly ElementSet[], grid: Float64Array) => Promise<number>,
): Promise<void> {
  const text = loadCatalogText();
  const parsed = parseTleText(text);
  if (!parsed.ok) throw new Error('catalog did not parse');
  const elements = parsed.value.records.map((r) => r.elements);
  const grid = weekGrid();
  const n = elements.length;
  const props = n * grid.length;
  console.log(`  ${n} objects × ${grid.length} times = ${(props / 1e6).toFixed(2)} M propagations per run`);

  const ours = elements.map((e) => sgp4Init(e));
  const out = createStateBatch(props);
  // The peer runs in its own worker (own isolate); rounds alternate peer, ours, peer, ours, ...
  const peer = new Worker(new URL('./sgp4-peer-worker.js', import.meta.url));
  const ask = (msg: unknown) =>
    new Promise<number>((resolve, reject) => {
      peer.once('message', resolve);
      peer.once('error', reject);
      peer.postMessage(msg);
    });
  const peerCount = await ask({ text, gridMin: Array.from(grid) });
  const tPeerRuns: number[] = [];
  const tOursRuns: number[] = [];
  for (let r = -1; r < RUNS; r++) {
    const tp = await ask('run');
    const t0 = process.hrtime.bigint();
    propagateBatch(ours, null, grid, out);
    const to = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r >= 0) {
      tPeerRuns.push(tp);
      tOursRuns.push(to);
    }
  }
  await ask('close');
  const median = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
  const tPeer = median(tPeerRuns);
  const tOurs = median(tOursRuns);
  const peerRate = (peerCount * grid.length) / tPeer;
  record({
    bench: 'sgp4',
    metric: 'propagations/s, 1 thread',
    ours: props / tOurs,
    peer: peerRate,
    unit: '/s',
  });
  if (workerRate) {
    const rate2 = await workerRate(elements, grid);
    record({
      bench: 'sgp4',
      metric: 'propagations/s, 2 workers vs our 1 thread',
      ours: rate2,
      peer: props / tOurs,
      unit: '/s',
    });
  }
}
