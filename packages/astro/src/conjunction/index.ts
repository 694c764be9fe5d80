/**
 * Conjunction screening: public API of the conjunction module (all-vs-all, primaries-vs-all and
 * one-vs-all screening of SGP4 catalogs; building blocks for worker-thread runs).
 */
export { CellGrid } from './cell-grid.js';
export {
  COVARIANCE_HISTORY_DAYS,
  type ConjunctionPc,
  conjunctionPc,
  covarianceHistoryWindow,
} from './conjunction-pc.js';
export { DEFAULT_OBJECT_HBR_M, type HbrTable, objectHbrM, parseHbrTable } from './hbr-table.js';
export {
  EPS_MAX_KM as SCREENING_EPS_MAX_KM,
  HermiteBlock,
  hermiteErrorEstimateKm,
  keplerSixthDerivative,
  knotLevel,
  R_MAX_KM as SCREENING_R_MAX_KM,
  R_MIN_KM as SCREENING_R_MIN_KM,
} from './hermite-knots.js';
export { MAX_REFINE_DRIFT_S, refineTca, TCA_OK } from './refine-tca.js';
export {
  conjunctionBuilder,
  conjunctionTcaIso,
  DUPLICATE_TCA_S,
  mergeScreeningEvents,
  mergeScreeningLosses,
  type ScreeningProgress,
  screenCatalog,
} from './screen-catalog.js';
export {
  EVENT_STRIDE as SCREENING_EVENT_STRIDE,
  minutesFromEpoch,
  type ScreeningLossRows,
  ScreeningRun,
  screeningBlockCount,
} from './screen-engine.js';
export { assessScreeningData, type ScreeningDataQuality } from './screening-quality.js';
export {
  DEFAULT_STREAM_SLICE_BLOCKS,
  type ScreeningSlice,
  ScreeningStreamMerge,
  type ScreeningStreamRun,
  type ScreeningStreamSummary,
  STREAM_LOOKBACK_S,
  screenCatalogStream,
} from './screening-stream.js';
export {
  addScreeningStats,
  type Conjunction,
  type ConjunctionObject,
  DEFAULT_MAX_ELEMENT_AGE_DAYS,
  DEFAULT_SCREENING_DAYS,
  DEFAULT_SCREENING_STEP_S,
  DEFAULT_SCREENING_THRESHOLD_KM,
  emptyScreeningStats,
  type MissRtnKm,
  type RefineFailureReason,
  type ResolvedScreeningOptions,
  resolveScreeningOptions,
  type ScreeningEllipsoidKm,
  type ScreeningLosses,
  type ScreeningLossReason,
  type ScreeningObjectLoss,
  type ScreeningOptions,
  type ScreeningRefineLoss,
  type ScreeningResult,
  type ScreeningStats,
} from './screening-types.js';
