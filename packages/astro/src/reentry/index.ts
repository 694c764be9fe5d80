/** Reentry prediction: ballistic coefficient from element-set decay, numerical propagation to reentry, window and ground track. */
export {
  type BallisticCoefficientEstimate,
  type BallisticCoefficientOptions,
  type BallisticPairEstimate,
  ballisticFromMeanMotionDot,
  type DecayStart,
  estimateBallisticCoefficient,
  fitBallisticToDecay,
  meanSemiMajorAxisKm,
  predictedDecayKm,
  type RevolutionSampling,
  revolutionSampling,
  sortedHistory,
  uniformSampling,
} from './ballistic-coefficient.js';
export { ElementSetOrbit, elementEpochInstant } from './element-state.js';
export {
  REENTRY_GRAVITY_DEGREE,
  type ReentryEnvironment,
  type ReentryWarning,
  ReentryWarnings,
  reentryConservativeForces,
  reentryDensity,
  reentryForces,
} from './reentry-environment.js';
export { REENTRY_DETECTOR, REENTRY_DETECTOR_VERSION, reentryDetectionEvent } from './reentry-event.js';
export {
  ENTRY_INTERFACE_KM,
  predictReentry,
  REENTRY_ALTITUDE_KM,
  REENTRY_CROSS_TRACK_SIGMA_KM,
  REENTRY_FORECAST_WINDOW_FRACTION,
  REENTRY_LATE_WINDOW_FRACTION,
  REENTRY_SIGMA_FRACTION,
  type ReentryGroundTrack,
  type ReentryOptions,
  type ReentryPrediction,
} from './reentry-predict.js';
