/** Public API of the frames module: frame-tagged states, the IAU-76/FK5 frame graph, geodetic
 * coordinates and local orbital frames. */
export {
  applyFrameTransform,
  type FrameOptions,
  type FrameTransform,
  frameBiasMatrix,
  framePath,
  frameTransform,
  newFrameTransform,
  type StateColumns,
  transform,
  transformBatch,
} from './frame-graph.js';
export {
  type Geodetic,
  geodeticFromItrf,
  geodeticToItrfArray,
  itrfFromGeodetic,
  itrfToGeodeticArray,
} from './geodetic.js';
export {
  covarianceFromLocalOrbital,
  covarianceToLocalOrbital,
  fromLocalOrbital,
  type LocalOrbitalFrameName,
  localOrbitalMatrix,
  toLocalOrbital,
} from './local-orbital.js';
export {
  centuriesTt,
  fundamentalArguments1980,
  meanObliquity1980,
  NUTATION_1980_TERM_COUNT,
  type Nutation1980Term,
  nutation1980,
  nutation1980Terms,
  precessionAngles1976,
} from './nutation-1980.js';
export { EQE_KINEMATIC_TERMS_FROM_JD, equationOfEquinoxes1994, gmst1982 } from './sidereal.js';
export { assertFrame, FRAME_NAMES, type FrameName, isFrameName, makeState, type State } from './state.js';
