/**
 * The satellite.js side of the SGP4 benchmark, in its own worker thread (its own V8 isolate), so
 * that neither code's JIT state or garbage affects the other's. Main sends {text, gridMin} once,
 * then 'run' messages; each reply is the seconds one full pass took.
 */
import { parentPort } from 'node:worker_threads';
import * as satellite from 'satellite.js';

let recs: satellite.SatRec[] = [];
let grid: number[] = [];
let sink = 0;

function pass(): number {
  const t0 = process.hrtime.bigint();
  let acc = 0;
  for (const rec of recs) {
    for (let k = 0; k < grid.length; k++) {
      const pv = satellite.sgp4(rec, grid[k]!);
      if (pv && typeof pv.position === 'object') acc += pv.position.x;
    }
  }
  sink += acc;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

parentPort?.on('message', (msg: { text: string; gridMin: number[] } | 'run' | 'close') => {
  if (msg === 'close') {
    parentPort?.postMessage(sink);
    process.exit(0);
  }
  if (msg === 'run') {
    parentPort?.postMessage(pass());
    return;
  }
  const lines = msg.text.split('\n');
  recs = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    recs.push(satellite.twoline2satrec(lines[i + 1]!.trimEnd(), lines[i + 2]!.trimEnd()));
  }
  grid = msg.gridMin;
  parentPort?.postMessage(recs.length);
});
