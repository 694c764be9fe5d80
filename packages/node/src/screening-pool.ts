/**
 * Catalog conjunction screening on worker threads. Every worker builds the same ScreeningRun
 * (@hoshimi/astro conjunction module) and pulls slices of the window (ranges of blocks) until none
 * are left, so near-earth-heavy and quiet periods balance across cores. Events come back as
 * transferred Float64Arrays and are merged and deduplicated once (mergeScreeningEvents): the
 * slices partition the grid steps, and a minimum refined from both sides of a slice boundary is
 * kept once. screenParallelStream merges them as they come (ScreeningStreamMerge) and hands the
 * conjunctions on in TCA order, never holding them all.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ElementSet } from '@hoshimi/astro';
import {
  addScreeningStats,
  type Conjunction,
  DEFAULT_STREAM_SLICE_BLOCKS,
  mergeScreeningEvents,
  resolveScreeningOptions,
  type ScreeningLossRows,
  type ScreeningOptions,
  type ScreeningResult,
  type ScreeningStats,
  ScreeningStreamMerge,
  type ScreeningStreamSummary,
} from '@hoshimi/astro/conjunction';
import type {
  FromScreeningWorker,
  ScreeningReady,
  ScreeningSliceDone,
  ToScreeningWorker,
} from './screening-protocol.js';

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
   * Longest slice, blocks (default: none for screenParallel, DEFAULT_STREAM_SLICE_BLOCKS for
   * screenParallelStream). The slices are the same whichever worker takes them, so two runs with
   * the same cap give identical conjunctions.
   */
  readonly maxSliceBlocks?: number;
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
  const parts: Float64Array[] = [];
  const lossParts: ScreeningLossRows[] = [];
  let ready: ScreeningReady | undefined;
  let stats: ScreeningStats | undefined;
  const cap = parallel.maxSliceBlocks ?? Number.POSITIVE_INFINITY;
  if (!(cap >= 1)) throw new RangeError(`maxSliceBlocks must be at least 1, got ${cap}`);
  await driveWorkers(elements, options, parallel, cap, {
    ready: (msg) => {
      ready = msg;
      stats = { ...msg.stats };
    },
    slice: (msg) => {
      parts.push(msg.events);
      lossParts.push(msg.losses);
      if (stats !== undefined) addScreeningStats(stats, msg.stats);
    },
  });
  if (ready === undefined || stats === undefined) throw new Error('no screening worker reported');
  return mergeScreeningEvents(
    { elements, options: resolved, warnings: [...ready.warnings], setupLosses: ready.setupLosses },
    parts,
    stats,
    lossParts,
  );
}

/** Options of the streaming screening: those of screenParallel, the consumer and the slice cap. */
export interface StreamingScreeningOptions extends ParallelScreeningOptions {
  /**
   * Receives the conjunctions in TCA order, a batch whenever the slices before them are complete.
   * A returned promise is awaited before the next batch is handed over (batches keep their order);
   * a rejection stops the screening.
   */
  readonly onConjunctions: (batch: readonly Conjunction[]) => void | Promise<void>;
}

/** What a streaming screening returns: the summary and how much it held at most. */
export interface StreamingScreeningSummary extends ScreeningStreamSummary {
  /** Conjunction batches handed to onConjunctions. */
  readonly batches: number;
  /** Largest V8 heap in use reported by a worker after a slice, bytes. */
  readonly peakWorkerHeapBytes: number;
}

/**
 * Screens a catalog on worker threads and streams the conjunctions (the same conjunctions in the
 * same order as screenParallel, without ever holding them all): slices are handed out in window
 * order, at most `maxSliceBlocks` long, and merged as they return by ScreeningStreamMerge
 * (@hoshimi/astro conjunction), which releases the conjunctions no missing slice can change.
 */
export async function screenParallelStream(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  parallel: StreamingScreeningOptions,
): Promise<StreamingScreeningSummary> {
  const resolved = resolveScreeningOptions(options);
  const cap = parallel.maxSliceBlocks ?? DEFAULT_STREAM_SLICE_BLOCKS;
  if (!Number.isInteger(cap) || cap < 1) {
    throw new RangeError(`maxSliceBlocks must be a positive integer, got ${cap}`);
  }
  let merge: ScreeningStreamMerge | undefined;
  let delivering: Promise<void> = Promise.resolve();
  let failure: unknown;
  let batches = 0;
  let peakWorkerHeapBytes = 0;
  const controller = new AbortController();
  const outer = parallel.signal;
  const forward = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  if (outer?.aborted === true) forward();
  try {
    await driveWorkers(elements, options, { ...parallel, signal: controller.signal }, cap, {
      ready: (msg) => {
        merge = new ScreeningStreamMerge(
          {
            elements,
            options: resolved,
            warnings: msg.warnings,
            setupLosses: msg.setupLosses,
            blockCount: msg.blockCount,
            blockSec: msg.blockSec,
          },
          msg.stats,
        );
      },
      slice: (msg) => {
        if (merge === undefined) throw new Error('slice before the run was set up');
        peakWorkerHeapBytes = Math.max(peakWorkerHeapBytes, msg.heapUsedBytes);
        const batch = merge.push({
          first: msg.first,
          end: msg.end,
          events: msg.events,
          stats: msg.stats,
          losses: msg.losses,
        });
        if (batch.length === 0) return;
        batches++;
        delivering = delivering.then(async () => {
          if (failure === undefined) await parallel.onConjunctions(batch);
        });
        delivering.catch((e: unknown) => {
          if (failure === undefined) {
            failure = e;
            controller.abort(e);
          }
        });
      },
    });
  } catch (e) {
    throw failure ?? e;
  } finally {
    outer?.removeEventListener('abort', forward);
  }
  await delivering;
  if (merge === undefined) throw new Error('no screening worker reported');
  return { ...merge.finish(), batches, peakWorkerHeapBytes };
}

interface WorkerHandlers {
  ready(msg: ScreeningReady): void;
  slice(msg: ScreeningSliceDone): void;
}

/**
 * Starts the workers, hands out slices in window order by guided self-scheduling (each at most
 * `maxSlice` blocks) and passes the first ready message and every finished slice to `handlers`.
 */
async function driveWorkers(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  parallel: ParallelScreeningOptions,
  maxSlice: number,
  handlers: WorkerHandlers,
): Promise<void> {
  const count = parallel.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`worker count must be a positive integer, got ${count}`);
  }
  const signal = parallel.signal;
  signal?.throwIfAborted();
  const url = screeningWorkerUrl();
  const workers = Array.from({ length: count }, () => new Worker(url));
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let blockCount = -1;
      const divisor = count * (parallel.sliceDivisor ?? SLICE_DIVISOR);
      let next = 0;
      let slicesOut = 0;
      let blocksDone = 0;
      let finished = false;
      let setUp = false;
      const fail = (e: unknown) => {
        if (!finished) {
          finished = true;
          reject(e);
        }
      };
      const dispatch = (w: Worker): void => {
        if (next >= blockCount) return;
        const first = next;
        const guided = Math.max(1, Math.ceil((blockCount - first) / divisor));
        const end = Math.min(blockCount, first + Math.min(guided, maxSlice));
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
          try {
            switch (msg.type) {
              case 'error':
                fail(new Error(`screening worker failed: ${msg.message}`));
                return;
              case 'ready':
                if (!setUp) {
                  setUp = true;
                  handlers.ready(msg);
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
                handlers.slice(msg);
                slicesOut--;
                dispatch(w);
                if (slicesOut === 0 && next >= blockCount) {
                  finished = true;
                  resolve();
                }
            }
          } catch (e) {
            fail(e);
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
}

/**
 * Options as plain data for structured cloning: functions dropped, numbers kept as they are (a JSON
 * round trip would turn an Infinity, such as an unlimited maximum element-set age, into null).
 */
function stripCallbacks(o: ScreeningOptions): ScreeningOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== 'function')) as ScreeningOptions;
}
