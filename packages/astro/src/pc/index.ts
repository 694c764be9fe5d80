/**
 * Probability of collision (Pc) to NASA CARA's standard: the encounter plane, Foster's 2-D
 * integral, Chan's series, Alfriend/Alfano maximum Pc and Monte Carlo checks. See each module's
 * header for its published source.
 */
export type { PcChanOptions, PcChanResult } from './chan.js';
export { chanRecommendedTerms, pcChan, pcChanEncounter, pcChanKernel } from './chan.js';
export type {
  EncounterPlane,
  LinearTcaAdjustment,
  PcConjunction,
  PcEncounter2D,
  PcRemediation,
  PrincipalEncounter,
} from './encounter-plane.js';
export {
  adjustToLinearTca,
  encounterPlane,
  newEncounterPlane,
  PC_EIGEN_CLIP_FRACTION,
  pcConjunctionFromRtn,
  pcCovarianceRtnToInertial,
  principalEncounter,
} from './encounter-plane.js';
export type {
  PcFosterDetails,
  PcFosterEncounterResult,
  PcFosterOptions,
  PcFosterResult,
  PcHbrShape,
} from './foster.js';
export { PC_FOSTER_REL_TOL, pcFoster, pcFosterCircleKernel, pcFosterEncounter } from './foster.js';
export type { PcMaxOptions, PcMaxResult } from './max-pc.js';
export {
  pcMaxAlfano,
  pcMaxAlfanoEncounter,
  pcMaxAlfriend,
  pcMaxAlfriendEncounter,
  pcMaxNoCovariance,
} from './max-pc.js';
export type { PcMonteCarloOptions, PcMonteCarloResult } from './monte-carlo.js';
export { PcRandom, pcMonteCarlo2d, pcMonteCarloLinear3d, wilsonInterval95 } from './monte-carlo.js';
export type {
  CcsdsPcMethod,
  PcConfidence,
  PcCovarianceSource,
  PcMethodName,
  PcResultBase,
  PcSourceOptions,
} from './pc-result.js';
export { CCSDS_PC_METHODS, pcConfidenceOf, pcMethodCcsdsName } from './pc-result.js';
export type { TleCovarianceModel, TleCovarianceOptions, TleDifference } from './tle-covariance.js';
export {
  estimateTleCovariance,
  fitTleErrorModel,
  TLE_COVARIANCE_MAX_GAP_DAYS,
  TLE_COVARIANCE_MIN_PAIRS,
  tleCovarianceRtnKm2,
  tleDifferences,
} from './tle-covariance.js';
