/** The explicit physical-data context and the FrameEpoch builder. */
export {
  type AstroContext,
  type AstroContextOptions,
  createAstroContext,
  type EopBeyondTable,
  type EopFormat,
  type LoadContextOptions,
  loadContext,
} from './astro-context.js';
export {
  type EopStatus,
  type FrameEpochInfo,
  frameEpochAt,
  utcJulianDateToInstant,
} from './frame-epoch-at.js';
