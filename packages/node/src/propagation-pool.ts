/**
 * A pool of worker threads that propagates element sets with the columnar SGP4 batch kernel of
 * @hoshimi/astro. Work is cut into chunks of objects that idle workers pull, so fast near-earth and
 * slower deep-space objects balance across cores. Outputs live in SharedArrayBuffers: workers write
 * their rows in place and nothing is copied back.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createStateBatch, type ElementSet, type StateBatch } from '@hoshimi/astro';
import type { FromWorker, ToWorker } from './propagation-protocol.js';

/** The worker script, from dist/ also when this module is run from its TypeScript source (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  const url = new URL('./propagation-worker.js', here);
  return here.endsWith('.ts') ? new URL(url.href.replace('/src/', '/dist/')) : url;
}

export interface PropagateOptions {
  /** Objects per chunk; default: about 16 chunks per worker, at least 32 objects. */
  readonly chunkSize?: number;
  /** Shared output columns to reuse (from a previous call or `createStateBatch(n·m, true)`). */
  readonly out?: StateBatch;
  /** Called after every finished chunk with the number of objects it held. */
  readonly onProgress?: (objectsDone: number) => void;
}

/** A catalog loaded into every worker of a pool; its SGP4 records are initialised once and reused. */
export interface PooledCatalog {
  readonly id: number;
  readonly size: number;
}

export class PropagationPool {
  private readonly workers: Worker[];
  private nextJob = 1;
  private nextCatalog = 1;

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /** Starts `size` workers (default: every core). */
  static create(size = availableParallelism()): PropagationPool {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`worker count must be a positive integer, got ${size}`);
    const url = workerUrl();
    return new PropagationPool(Array.from({ length: size }, () => new Worker(url)));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends element sets to every worker once, for any number of `propagate` calls. */
  load(elements: readonly ElementSet[]): PooledCatalog {
    const id = this.nextCatalog++;
    const msg: ToWorker = { type: 'catalog', catalogId: id, elements };
    for (const w of this.workers) w.postMessage(msg);
    return { id, size: elements.length };
  }

  /** Frees a catalog's records in every worker. */
  unload(catalog: PooledCatalog): void {
    const msg: ToWorker = { type: 'drop', catalogId: catalog.id };
    for (const w of this.workers) w.postMessage(msg);
  }

  /**
   * Propagates every object of a loaded catalog to `offsetsMin[i] + gridMin[k]` minutes from its
   * epoch (offsets null: the grid is relative to each epoch). Sample (i, k) is at index i·M + k.
   */
  propagate(
    catalog: PooledCatalog,
    offsetsMin: Float64Array | null,
    gridMin: Float64Array,
    options: PropagateOptions = {},
  ): Promise<StateBatch> {
    const n = catalog.size;
    const m = gridMin.length;
    const out = options.out ?? createStateBatch(n * m, true);
    if (out.status.length < n * m || !(out.status.buffer instanceof SharedArrayBuffer)) {
      throw new RangeError(`output must be shared columns of at least ${n * m} samples`);
    }
    if (n === 0 || m === 0) return Promise.resolve(out);
    const jobId = this.nextJob++;
    const chunk = options.chunkSize ?? Math.max(32, Math.ceil(n / (this.workers.length * 16)));
    let nextFirst = 0;
    let finished = 0;
    return new Promise<StateBatch>((resolve, reject) => {
      const cleanups: (() => void)[] = [];
      const done = (err?: Error) => {
        for (const c of cleanups) c();
        if (err) reject(err);
        else resolve(out);
      };
      const dispatch = (w: Worker): void => {
        if (nextFirst >= n) return;
        const first = nextFirst;
        const end = Math.min(n, first + chunk);
        nextFirst = end;
        const msg: ToWorker = { type: 'chunk', jobId, first, end };
        w.postMessage(msg);
      };
      for (const w of this.workers) {
        const onMessage = (msg: FromWorker) => {
          if (msg.jobId !== jobId) return;
          if (msg.type === 'error') {
            done(new Error(`propagation worker failed: ${msg.message}`));
            return;
          }
          finished += msg.end - msg.first;
          options.onProgress?.(msg.end - msg.first);
          if (finished === n) done();
          else dispatch(w);
        };
        const onError = (e: Error) => done(e);
        w.on('message', onMessage);
        w.on('error', onError);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
        });
        const load: ToWorker = { type: 'load', jobId, catalogId: catalog.id, offsetsMin, gridMin, out };
        w.postMessage(load);
        dispatch(w);
      }
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
