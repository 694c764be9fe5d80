/**
 * SGP4 throughput: the 26,140-object catalog of 2023-10-09 over 7 days (hourly grid, 169 times per
 * object), satellite-major. Peer: satellite.js 7 `sgp4(satrec, tsince)` in the same process.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createStateBatch, parseTleText, propagateBatch, sgp4Init } from '@hoshimi/astro';
import * as satellite from 'satellite.js';
import { record, refFile, timeMedian } from './harness.js';

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

export async function benchSgp4(
  workerRate?: (text: string, grid: Float64Array) => Promise<number>,
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
  const lines = text.split('\n');
  const peerRecs: satellite.SatRec[] = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    peerRecs.push(satellite.twoline2satrec(lines[i + 1]!.trimEnd(), lines[i + 2]!.trimEnd()));
  }

  let sink = 0;
  const tPeer = timeMedian(() => {
    for (const rec of peerRecs) {
      for (let k = 0; k < grid.length; k++) {
        const pv = satellite.sgp4(rec, grid[k]!);
        if (pv && typeof pv.position === 'object') sink += pv.position.x;
      }
    }
  }, RUNS);
  const tOurs = timeMedian(() => propagateBatch(ours, null, grid, out), RUNS);
  if (sink === 42) console.log('');
  const peerRate = (peerRecs.length * grid.length) / tPeer;
  record({
    bench: 'sgp4',
    metric: 'propagations/s, 1 thread',
    ours: props / tOurs,
    peer: peerRate,
    unit: '/s',
  });
  if (workerRate) {
    const rate2 = await workerRate(text, grid);
    record({
      bench: 'sgp4',
      metric: 'propagations/s, 2 workers vs our 1 thread',
      ours: rate2,
      peer: props / tOurs,
      unit: '/s',
    });
  }
}
