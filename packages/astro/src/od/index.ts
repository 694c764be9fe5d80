/**
 * Public API of the od module: batch weighted least squares (Gauss–Newton with Levenberg–Marquardt
 * damping and outlier editing), orbit determination with the numerical propagator, SGP4 differential
 * correction, the covariance-realism harness, and SLR normal-point fits (slr.ts).
 */
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
