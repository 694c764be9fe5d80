/** Messages between the propagation pool and its workers. */
import type { ElementSet } from '@hoshimi/astro';

/** Shared output columns (SharedArrayBuffer-backed). */
export interface SharedColumns {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
  readonly status: Uint8Array;
}

/** Sends a catalog once; workers initialise its SGP4 records lazily and keep them. */
export interface LoadCatalog {
  readonly type: 'catalog';
  readonly catalogId: number;
  readonly elements: readonly ElementSet[];
}

export interface LoadJob {
  readonly type: 'load';
  readonly jobId: number;
  readonly catalogId: number;
  readonly offsetsMin: Float64Array | null;
  readonly gridMin: Float64Array;
  readonly out: SharedColumns;
}

export interface ChunkJob {
  readonly type: 'chunk';
  readonly jobId: number;
  /** Object range [first, end) of the loaded job. */
  readonly first: number;
  readonly end: number;
}

/** Forgets a catalog. */
export interface DropCatalog {
  readonly type: 'drop';
  readonly catalogId: number;
}

export type ToWorker = LoadCatalog | LoadJob | ChunkJob | DropCatalog;

export interface ChunkDone {
  readonly type: 'done';
  readonly jobId: number;
  readonly first: number;
  readonly end: number;
}

export interface WorkerFailure {
  readonly type: 'error';
  readonly jobId: number;
  readonly message: string;
}

export type FromWorker = ChunkDone | WorkerFailure;
