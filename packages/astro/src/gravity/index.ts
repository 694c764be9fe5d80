/** Earth gravity as spherical harmonics: EGM and ICGEM readers, and the acceleration model. */

export { GRAVITY_ISSUE } from './coefficient-table.js';
export {
  EGM96_MU_KM3_S2,
  EGM96_RADIUS_KM,
  EGM2008_MU_KM3_S2,
  EGM2008_RADIUS_KM,
  type EgmParseOptions,
  parseEgm,
} from './egm-reader.js';
export {
  coefficientCount,
  coefficientIndex,
  type GravityField,
  type GravityFileFormat,
  j2Of,
  normalizationFactor,
  normalizedC,
  normalizedS,
  type TideSystem,
} from './gravity-field.js';
export { type IcgemParseOptions, parseIcgem } from './icgem-reader.js';
export { SphericalHarmonicGravity } from './spherical-harmonics.js';
