/**
 * Public API of the iod module: initial orbit determination. Lambert's problem (Izzo 2015),
 * Gibbs and Herrick–Gibbs (Vallado Alg. 54–55), Gauss's angles-only method with refinement
 * (Vallado Alg. 52, Curtis Alg. 5.5–5.6), Gooding's angles-only method (Gooding 1997), universal
 * two-body propagation, and `iodFromMeasurements` that picks one from the measurement records.
 */
export {
  type AnglesCandidate,
  type LineOfSight,
  LOS_MIN_TRIPLE_PRODUCT,
} from './angles-common.js';
export {
  GAUSS_FIT_RAD,
  type GaussOptions,
  type GaussResult,
  gaussAnglesOnly,
  gaussPolynomialRoots,
} from './gauss.js';
export {
  COPLANAR_TOLERANCE_RAD,
  gibbs,
  HERRICK_GIBBS_MAX_ANGLE_RAD,
  herrickGibbs,
  type ThreePositionOptions,
  type ThreePositionResult,
  velocityFromThreePositions,
} from './gibbs.js';
export { GOODING_FALLBACK_RADII_KM, type GoodingOptions, goodingAnglesOnly } from './gooding.js';
export {
  type IodFromMeasurementsOptions,
  type IodMethod,
  type IodResult,
  iodFromMeasurements,
  type StationAxes,
} from './iod-from-measurements.js';
export {
  LAMBERT_MIN_SIN_TRANSFER_ANGLE,
  type LambertOptions,
  type LambertSolution,
  lambertAll,
  solveLambert,
} from './lambert.js';
export {
  type LagrangeCoefficients,
  propagateUniversal,
  stumpff,
  universalLagrange,
} from './universal-kepler.js';
