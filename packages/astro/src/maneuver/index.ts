/**
 * Maneuver detection on element-set histories: robust step detection on mean elements with
 * regime noise models, outlier flagging, Δv estimates, and the plain semi-major-axis baseline.
 */
export {
  type BaselineDetection,
  classifyRegime,
  detectManeuvers,
  detectSemiMajorAxisJumps,
  type ElementOutlier,
  falseAlarmThreshold,
  MANEUVER_DETECTOR_NAME,
  MANEUVER_DETECTOR_VERSION,
  type ManeuverDetection,
  type ManeuverDetectorOptions,
  type ManeuverKind,
  type ManeuverResult,
  type ManeuverSeries,
  type OrbitRegime,
  REGIME_NOISE_MODELS,
  type RegimeNoiseModel,
  sgp4SemiMajorAxisKm,
} from './maneuver-detector.js';
export { maneuverEvents } from './maneuver-events.js';
