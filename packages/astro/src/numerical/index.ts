/**
 * Public API of the numerical-propagation module: the DOP853 integrator and its dense output,
 * the ForceModel interface and the forces owned here (point mass, J2, Sun/Moon third body, solar
 * radiation pressure with shadow, drag with an injected density), the analytic and JPL DE
 * ephemerides, two-body references, and `propagateNumerical` with the state transition matrix.
 */
export { DenseTrajectory } from './dense-trajectory.js';
export {
  type Dop853Options,
  type Dop853Result,
  type Dop853Stats,
  Dop853Step,
  evaluateContinuous,
  integrateDop853,
  type OdeFunction,
} from './dop853.js';
export { AtmosphericDrag, type AtmosphericDragOptions, type DensityFunction } from './drag.js';
export {
  ANALYTIC_EPHEMERIS,
  type Ephemeris,
  type EphemerisBody,
  moonPositionLowPrecision,
  OBLIQUITY_J2000_RAD,
  sunPositionLowPrecision,
} from './ephemeris.js';
export {
  type ForceContext,
  type ForceContextOptions,
  type ForceModel,
  PropagationForceContext,
} from './force-model.js';
export {
  type BuiltForceModel,
  buildForceModel,
  DEFAULT_FORCE_MODEL,
  DRAG_CEILING_ALT_KM,
  type DragBallistic,
  type DragSpec,
  type ForceModelResources,
  type ForceModelSpec,
  type GravitySpec,
  type IntegratorSpec,
  parseForceModelSpec,
  SGP4_RHO0_KG_M2_ER,
  type SrpSpec,
} from './force-model-spec.js';
export {
  EGM96_GM_KM3_S2,
  EGM96_J2,
  J2Gravity,
  type J2GravityOptions,
  PointMassGravity,
} from './gravity-forces.js';
export { HarmonicGravity } from './harmonic-gravity.js';
export {
  covarianceInertialToRtn,
  covarianceRtnToInertial,
  diagonalCovariance,
  initialStateFromElements,
  rtnRotation6,
} from './initial-state.js';
export { JplDeEphemeris, type JplDeParseOptions, parseJplDe } from './jpl-de.js';
export {
  cartesianFromKeplerian,
  type KeplerianElements,
  keplerianFromCartesian,
  propagateKepler,
  solveKepler,
} from './kepler.js';
export {
  type NumericalEvent,
  type NumericalEventDetector,
  type NumericalInitialState,
  type NumericalPropagation,
  type NumericalPropagationOptions,
  NumericalTrajectory,
  propagateCovariance,
  propagateNumerical,
} from './propagate.js';
export {
  AU_KM,
  conicalShadowFraction,
  cylindricalShadowFraction,
  type ShadowModel,
  SOLAR_PRESSURE_1AU_N_M2,
  SolarRadiationPressure,
  type SolarRadiationPressureOptions,
  SUN_RADIUS_KM,
} from './radiation-pressure.js';
export { Relativity } from './relativity.js';
export { MOON_GM_KM3_S2, SUN_GM_KM3_S2, ThirdBodyGravity } from './third-body.js';
