/**
 * Catalog conjunction screening on worker threads. Every worker builds the same ScreeningRun
 * (@hoshimi/astro conjunction module) and pulls slices of the window (ranges of blocks) until none
 * are left, so near-earth-heavy and quiet periods balance across cores. Events come back as
 * transferred Float64Arrays and are merged and deduplicated once (mergeScreeningEvents): the
 * slices partition the grid steps, and a minimum refined from both sides of a slice boundary is
 * kept once.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ElementSet } from '@hoshimi/astro';
import {
  addScreeningStats,
  mergeScreeningEvents,
  resolveScreeningOptions,
  type ScreeningLossRows,
  type ScreeningOptions,
  type ScreeningResult,
  type ScreeningStats,
} from '@hoshimi/astro/conjunction';
import type { FromScreeningWorker, ToScreeningWorker } from './screening-protocol.js';

/**
 * The screening worker-thread script (screening-worker.ts, messages in screening-protocol.ts), from
 * dist/ also when this module is run from its TypeScript source (tests). Other schedulers (the
 * Redis queue's workers) drive the same thread.
 */
export function screeningWorkerUrl(): URL {
  const here = import.meta.url;
  const url = new URL('./screening-worker.js', here);
  return here.endsWith('.ts') ? new URL(url.href.replace('/src/', '/dist/')) : url;
}

/**
 * Guided self-scheduling: each slice handed out is the remaining blocks / (workers · SLICE_DIVISOR)
 * (at least one block). Slices shrink towards the end, so workers finish within about one block
 * of each other, while the first slices are long (each slice starts its knots afresh).
 */
export const SLICE_DIVISOR = 2;

export interface ParallelScreeningOptions {
  /** Worker threads; default every core. */
  readonly workers?: number;
  /** Divisor of guided scheduling (more, shorter slices with a larger one); default SLICE_DIVISOR. */
  readonly sliceDivisor?: number;
  /** Called after every screened block with (blocks done, blocks total). */
  readonly onProgress?: (blocksDone: number, blocksTotal: number) => void;
  /**
   * Stops the screening: the workers are terminated at once (a block in progress is dropped) and
   * the promise rejects with the signal's reason (an AbortError DOMException by default).
   */
  readonly signal?: AbortSignal;
}

/** Screens a catalog on worker threads; same options and result as `screenCatalog`. */
export async function screenParallel(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  parallel: ParallelScreeningOptions = {},
): Promise<ScreeningResult> {
  const resolved = resolveScreeningOptions(options);
  const count = parallel.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`worker count must be a positive integer, got ${count}`);
  }
  const signal = parallel.signal;
  signal?.throwIfAborted();
  const url = screeningWorkerUrl();
  const workers = Array.from({ length: count }, () => new Worker(url));
  const parts: Float64Array[] = [];
  const lossParts: ScreeningLossRows[] = [];
  let setupLosses: Float64Array = new Float64Array(0);
  let stats: ScreeningStats | undefined;
  let warnings: readonly { readonly code: string; readonly message: string }[] = [];
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let blockCount = -1;
      const divisor = count * (parallel.sliceDivisor ?? SLICE_DIVISOR);
      let next = 0;
      let slicesOut = 0;
      let blocksDone = 0;
      let finished = false;
      const fail = (e: Error) => {
        if (!finished) {
          finished = true;
          reject(e);
        }
      };
      const dispatch = (w: Worker): void => {
        if (next >= blockCount) return;
        const first = next;
        const end = Math.min(blockCount, first + Math.max(1, Math.ceil((blockCount - first) / divisor)));
        next = end;
        slicesOut++;
        const msg: ToScreeningWorker = { type: 'slice', first, end };
        w.postMessage(msg);
      };
      onAbort = () => fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const w of workers) {
        w.on('message', (msg: FromScreeningWorker) => {
          if (finished) return;
          switch (msg.type) {
            case 'error':
              fail(new Error(`screening worker failed: ${msg.message}`));
              return;
            case 'ready':
              if (stats === undefined) {
                stats = { ...msg.stats };
                warnings = msg.warnings;
                setupLosses = msg.setupLosses;
                blockCount = msg.blockCount;
                if (blockCount === 0) {
                  finished = true;
                  resolve();
                  return;
                }
              }
              dispatch(w);
              return;
            case 'block':
              blocksDone++;
              parallel.onProgress?.(blocksDone, blockCount);
              return;
            case 'sliceDone':
              parts.push(msg.events);
              lossParts.push(msg.losses);
              if (stats !== undefined) addScreeningStats(stats, msg.stats);
              slicesOut--;
              dispatch(w);
              if (slicesOut === 0 && next >= blockCount) {
                finished = true;
                resolve();
              }
          }
        });
        w.on('error', fail);
        const init: ToScreeningWorker = { type: 'init', elements, options: stripCallbacks(options) };
        w.postMessage(init);
      }
    });
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  signal?.throwIfAborted();
  if (stats === undefined) throw new Error('no screening worker reported');
  return mergeScreeningEvents(
    { elements, options: resolved, warnings: [...warnings], setupLosses },
    parts,
    stats,
    lossParts,
  );
}

/**
 * Options as plain data for structured cloning: functions dropped, numbers kept as they are (a JSON
 * round trip would turn an Infinity, such as an unlimited maximum element-set age, into null).
 */
function stripCallbacks(o: ScreeningOptions): ScreeningOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== 'function')) as ScreeningOptions;
}
