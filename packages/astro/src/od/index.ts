/**
 * Public API of the od module: batch weighted least squares (Gauss–Newton with Levenberg–Marquardt
 * damping and outlier editing), orbit determination with the numerical propagator, SGP4 differential
 * correction, the covariance-realism harness, SLR normal-point fits (slr.ts), the first guess from
 * measurements or a CPF (first-guess.ts), covariance mapping (covariance-map.ts) and SGP4 mean
 * elements of a numerical trajectory (mean-elements-fit.ts).
 */

export {
  congruence,
  SGP4_COVARIANCE_STEPS,
  sgp4StateCovariance,
  stateAndCovarianceIn,
  stateAtElementEpoch,
} from './covariance-map.js';
export {
  type CovarianceRealismInput,
  type CovarianceRealismResult,
  mahalanobisSquared,
  type RandomSource,
  type RealismTrialFit,
  runCovarianceRealism,
  seededRandom,
} from './covariance-realism.js';
export {
  ARC_GROWTH_MIN_S,
  type ArcGrowth,
  CPF_LAGRANGE_POINTS,
  cpfStateNear,
  growArc,
  iodTrackByTrack,
  lagrangeDerivativeWeightsAtNode,
  TRACK_GAP_S,
  type TrackIod,
  tracksOf,
} from './first-guess.js';
export {
  LEAST_SQUARES_DEFAULTS,
  type LeastSquaresConvergence,
  type LeastSquaresIteration,
  type LeastSquaresMeasurement,
  type LeastSquaresOptions,
  type LeastSquaresParameter,
  type LeastSquaresPrediction,
  type LeastSquaresProblem,
  type LeastSquaresResidual,
  type LeastSquaresResult,
  MAX_EDIT_WIDENING,
  type OutlierEditingOptions,
  type ResidualStatistics,
  type StationStatistics,
  solveLeastSquares,
  VARIANCE_FACTOR_WARNING,
} from './least-squares.js';
export {
  blankElements,
  fitMeanElementsToTrajectory,
  MEAN_FIT_MAX_POINTS,
  MEAN_FIT_MIN_POINTS,
  type MeanElementsFit,
  type MeanElementsFitInput,
} from './mean-elements-fit.js';
export {
  type FitNumericalOrbitInput,
  fitNumericalOrbit,
  type NumericalMeasurementModel,
  type NumericalMeasurementModelOutput,
  type NumericalOrbitFit,
  type OdForceParameter,
  type OdParameter,
  STATE_PARAMETER_NAMES,
  wrappedComponents,
} from './numerical-od.js';
export {
  type ReportedStatistics,
  reportUnitOf,
  residualStatisticsInReportUnits,
} from './report-units.js';
export {
  elementsFromSgp4Equinoctial,
  type FitSgp4Input,
  fitSgp4,
  SGP4_FIT_PARAMETER_NAMES,
  SGP4_FIT_STEPS,
  type Sgp4Fit,
  type Sgp4FitPoint,
  sgp4EquinoctialOf,
} from './sgp4-fit.js';
export {
  DEFAULT_SLR_WAVELENGTH_NM,
  type FitSlrOrbitInput,
  fitSlrOrbit,
  SLR_BIAS_APRIORI_SIGMA_KM,
  type SlrOrbitFit,
  type SlrRangeDetail,
  type SlrRangeModelOptions,
  type SlrResidual,
  type SlrStationStatistics,
  slrBiasName,
  slrRange,
  slrRangeModel,
} from './slr.js';
