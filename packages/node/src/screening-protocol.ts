/** Messages between screenParallel and its screening workers. */
import type { ElementSet } from '@hoshimi/astro';
import type { ScreeningLossRows, ScreeningOptions, ScreeningStats } from '@hoshimi/astro/conjunction';

/** Sets up a screening run in the worker (same elements and options in every worker). */
export interface ScreeningInit {
  readonly type: 'init';
  readonly elements: readonly ElementSet[];
  readonly options: ScreeningOptions;
}

/** Screens blocks [first, end) of the run. */
export interface ScreeningSlice {
  readonly type: 'slice';
  readonly first: number;
  readonly end: number;
}

export type ToScreeningWorker = ScreeningInit | ScreeningSlice;

export interface ScreeningReady {
  readonly type: 'ready';
  readonly blockCount: number;
  /** Length of a block, s. */
  readonly blockSec: number;
  readonly stats: ScreeningStats;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  /** Objects left out at set-up (packed loss rows). */
  readonly setupLosses: Float64Array;
}

/** One block finished (progress). */
export interface ScreeningBlockDone {
  readonly type: 'block';
}

/** A slice finished: packed event rows (transferred) and the counters of this slice. */
export interface ScreeningSliceDone {
  readonly type: 'sliceDone';
  readonly first: number;
  readonly end: number;
  readonly events: Float64Array;
  readonly stats: ScreeningStats;
  /** Objects and refinements lost in this slice (packed loss rows). */
  readonly losses: ScreeningLossRows;
  /** The worker's V8 heap in use after the slice, bytes. */
  readonly heapUsedBytes: number;
}

export interface ScreeningFailure {
  readonly type: 'error';
  readonly message: string;
}

export type FromScreeningWorker = ScreeningReady | ScreeningBlockDone | ScreeningSliceDone | ScreeningFailure;
