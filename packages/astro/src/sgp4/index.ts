/**
 * SGP4/SDP4 (Vallado 2020 revision): public API of the sgp4 module. `sgp4Init` builds a record
 * from an ElementSet; `sgp4InitVallado` is Vallado's sgp4init with its raw argument list (epoch in
 * days since 1949-12-31, angles in rad, no_kozai in rad/min). The other kernel procedures (dpper,
 * dscom, dsinit, dspace, initl) stay importable from their files.
 */
export {
  instantOfUtcLabel,
  minutesSinceEpoch,
  utcLabelAfterEpoch,
  utcLabelOfInstant,
} from './epoch-time.js';
export { SGP4_ERROR_CODE, SGP4_ERRORS, type Sgp4ErrorCode } from './errors.js';
export {
  getgravconst as sgp4GravConst,
  SGP4_GRAVITY,
  type Sgp4GravConst,
  type Sgp4Gravity,
} from './gravity.js';
export {
  createSgp4Ephemeris,
  type Sgp4Ephemeris,
  type Sgp4Opsmode,
  type Sgp4Options,
  sgp4Init,
  sgp4PropagateMany,
} from './propagate.js';
export {
  METHOD_DEEP_SPACE as SGP4_METHOD_DEEP_SPACE,
  METHOD_NEAR_EARTH as SGP4_METHOD_NEAR_EARTH,
  OPSMODE_AFSPC as SGP4_OPSMODE_AFSPC,
  OPSMODE_IMPROVED as SGP4_OPSMODE_IMPROVED,
  Satrec,
} from './satrec.js';
export { gstimeSgp4, SGP4_EPOCH_ORIGIN_JD, sgp4, sgp4init as sgp4InitVallado } from './sgp4.js';
export {
  fitSgp4ElementsToState,
  STATE_FIT_MAX_ITERATIONS,
  STATE_FIT_TOLERANCE_KM,
  STATE_FIT_TOLERANCE_KM_S,
  type StateFitOptions,
  type StateFitResult,
} from './state-fit.js';
