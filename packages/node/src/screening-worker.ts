/**
 * Worker-thread side of screenParallel: builds the ScreeningRun once (SGP4 initialisation, knot
 * levels), then screens the block ranges it is sent and returns their events as a transferred
 * Float64Array.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { emptyScreeningStats, ScreeningRun, type ScreeningStats } from '@hoshimi/astro/conjunction';
import type { FromScreeningWorker, ToScreeningWorker } from './screening-protocol.js';

let run: ScreeningRun | undefined;

function post(msg: FromScreeningWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(msg, transfer);
}

/** Counters accumulated since the last slice (the run's stats are cumulative). */
function takeStats(r: ScreeningRun, before: ScreeningStats): ScreeningStats {
  const now = r.stats;
  const d = emptyScreeningStats();
  for (const k of Object.keys(d) as (keyof ScreeningStats)[]) d[k] = now[k] - before[k];
  return d;
}

function handle(msg: ToScreeningWorker): void {
  if (msg.type === 'init') {
    run = new ScreeningRun(msg.elements, msg.options);
    post({
      type: 'ready',
      blockCount: run.blockCount,
      blockSec: run.blockSec,
      stats: { ...run.stats },
      warnings: run.warnings,
      setupLosses: run.setupLosses,
    });
    return;
  }
  if (run === undefined) throw new Error('slice before init');
  const before = { ...run.stats };
  const events = run.runBlocks(msg.first, msg.end, () => post({ type: 'block' }));
  const losses = run.takeLosses();
  post(
    {
      type: 'sliceDone',
      first: msg.first,
      end: msg.end,
      events,
      stats: takeStats(run, before),
      losses,
      heapUsedBytes: getHeapStatistics().used_heap_size,
    },
    [events.buffer as ArrayBuffer],
  );
}

parentPort?.on('message', (msg: ToScreeningWorker) => {
  try {
    handle(msg);
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
});
