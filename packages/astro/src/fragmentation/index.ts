/** Fragmentations: detection of new-object clusters, breakup epoch and place, Gabbard data, events. */

export {
  CROSSING_MARGIN_KM,
  detectFragmentations,
  FRAGMENTATION_DETECTOR,
  FRAGMENTATION_DETECTOR_VERSION,
  type FragmentationCluster,
  type FragmentationDetectOptions,
  launchCode,
  MEAN_MOTION_CHANGE,
  MIN_CLUSTER_FRAGMENTS,
  PARENT_MIN_CROSSING,
  type ParentCandidate,
  PLANE_TOLERANCE_DEG,
} from './fragmentation-detect.js';
export { fragmentationClusterEvents, fragmentationOriginEvent } from './fragmentation-events.js';
export {
  BOOTSTRAP_SAMPLES,
  COARSE_MAX_FRAGMENTS,
  COARSE_STEP_MIN,
  DEFAULT_LOOKBACK_DAYS,
  earliestSetPerObject,
  FINE_HALF_WIDTH_MIN,
  FINE_STEP_S,
  type FragmentAtOrigin,
  type FragmentationOrigin,
  type FragmentationOriginOptions,
  fragmentationOrigin,
  type GeodeticPlace,
  geodeticAtLabel,
  MAX_CONVERGED_DISPERSION_KM,
  MAX_SEARCH_DAYS,
  MID_STEP_S,
  MIN_FRAGMENTS,
  REVOLUTION_CONTRAST,
  SLIDE_HALF_WIDTH_PERIODS,
  SLIDE_MAX_FRAGMENTS,
} from './fragmentation-origin.js';
export { type GabbardPoint, gabbardDeltaVKmS, gabbardPoints } from './gabbard.js';
export { type OrbitShape, orbitShape } from './orbit-shape.js';
