/** @hoshimi/node: Node.js services for the Hoshimi core. */

export { correlateParallel, type ParallelCorrelationOptions } from './correlation-pool.js';
export {
  type CorrelationSettings,
  errorModelOf,
  type StationItrf,
  stationTableGcrfAt,
} from './correlation-protocol.js';
export { type PooledCatalog, type PropagateOptions, PropagationPool } from './propagation-pool.js';
export {
  type ParallelScreeningOptions,
  type StreamingScreeningOptions,
  type StreamingScreeningSummary,
  screeningWorkerUrl,
  screenParallel,
  screenParallelStream,
} from './screening-pool.js';
export type {
  FromScreeningWorker,
  ScreeningBlockDone,
  ScreeningFailure,
  ScreeningInit,
  ScreeningReady,
  ScreeningSlice,
  ScreeningSliceDone,
  ToScreeningWorker,
} from './screening-protocol.js';
