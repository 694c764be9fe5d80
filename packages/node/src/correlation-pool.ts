/**
 * Track correlation on several cores: the tracks are sorted by the time of their reference (middle)
 * measurement and cut into contiguous time chunks that idle workers pull, so each worker
 * propagates the catalog only over the hours of its own chunks (correlation/correlate.ts, fast
 * path). Decisions depend only on the track and the catalog (the coarse grid only chooses which
 * objects are scored exactly, and never leaves out one that passes the gate), so the merged result
 * takes the same decisions as one `correlateTracks` call over all tracks; only `scored` and the
 * nearest failing object of a UCT may differ. The context travels as its source texts and the
 * stations as ITRF coordinates, because callbacks cannot cross to a worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type CorrelationResult,
  type ElementSet,
  type LoadContextOptions,
  summariseCorrelations,
  type Track,
  type TrackCorrelation,
} from '@hoshimi/astro';
import {
  type CorrelationSettings,
  type FromCorrelationWorker,
  type StationItrf,
  serialTrack,
  type ToCorrelationWorker,
} from './correlation-protocol.js';

function workerUrl(): URL {
  const here = import.meta.url;
  const url = new URL('./correlation-worker.js', here);
  return here.endsWith('.ts') ? new URL(url.href.replace('/src/', '/dist/')) : url;
}

export interface ParallelCorrelationOptions extends CorrelationSettings {
  /** The context's source (leap seconds and EOP texts): every worker loads it. */
  readonly context: LoadContextOptions;
  /** ITRF positions of every station named by the tracks. */
  readonly stations: readonly StationItrf[];
  /** Worker threads (default: every core). */
  readonly workers?: number;
  /** Time chunks per worker (default 4). */
  readonly chunksPerWorker?: number;
}

function refSeconds(t: Track): number {
  const m = t.measurements[Math.floor((t.measurements.length - 1) / 2)];
  return m === undefined ? 0 : m.epoch.toJ2000Seconds();
}

/**
 * Correlates `tracks` against `catalog` on worker threads (see the module header). Results are in
 * input order, as `correlateTracks` returns them.
 */
export async function correlateParallel(
  tracks: readonly Track[],
  catalog: readonly ElementSet[],
  options: ParallelCorrelationOptions,
): Promise<CorrelationResult> {
  const size = options.workers ?? availableParallelism();
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`worker count must be a positive integer, got ${size}`);
  if (tracks.length === 0) return summariseCorrelations([], 0);
  const order = tracks.map((_, i) => i);
  const ref = tracks.map(refSeconds);
  order.sort((a, b) => ref[a]! - ref[b]!);
  const nChunks = Math.min(tracks.length, size * (options.chunksPerWorker ?? 4));
  const chunks: number[][] = [];
  for (let c = 0; c < nChunks; c++) {
    chunks.push(
      order.slice(Math.floor((c * order.length) / nChunks), Math.floor(((c + 1) * order.length) / nChunks)),
    );
  }
  const settings: CorrelationSettings = {
    ...(options.gateProbability === undefined ? {} : { gateProbability: options.gateProbability }),
    ...(options.ambiguityMargin === undefined ? {} : { ambiguityMargin: options.ambiguityMargin }),
    ...(options.gridStepS === undefined ? {} : { gridStepS: options.gridStepS }),
    ...(options.errorModel === undefined ? {} : { errorModel: options.errorModel }),
  };
  const url = workerUrl();
  const workers = Array.from({ length: Math.min(size, nChunks) }, () => new Worker(url));
  const results: (TrackCorrelation | undefined)[] = new Array(tracks.length).fill(undefined);
  let scored = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const dispatch = (w: Worker): void => {
        if (next >= chunks.length) return;
        const c = next++;
        const msg: ToCorrelationWorker = {
          type: 'chunk',
          chunk: c,
          tracks: (chunks[c] as number[]).map((i) => serialTrack(tracks[i] as Track)),
        };
        w.postMessage(msg);
      };
      for (const w of workers) {
        w.on('error', reject);
        w.on('message', (msg: FromCorrelationWorker) => {
          if (msg.type === 'error') {
            reject(new Error(`correlation worker failed: ${msg.message}`));
            return;
          }
          const idx = chunks[msg.chunk] as number[];
          msg.results.forEach((r, k) => {
            const i = idx[k] as number;
            results[i] = { ...r, track: tracks[i] as Track };
          });
          scored += msg.scored;
          done++;
          if (done === chunks.length) resolve();
          else dispatch(w);
        });
        const init: ToCorrelationWorker = {
          type: 'init',
          context: options.context,
          elements: catalog,
          stations: options.stations,
          settings,
        };
        w.postMessage(init);
        dispatch(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return summariseCorrelations(results as TrackCorrelation[], scored);
}
