/** Public API of the math module: small allocation-light 3-vector and 3×3 matrix helpers. */
export { wrapPi } from './angle.js';
export { chiSquareCdf, chiSquareQuantile, normalQuantile } from './chi-square.js';
export type { Mat3, ReadonlyMat3 } from './mat3.js';
export {
  copyMat3,
  detMat3,
  identityMat3,
  mulMat3,
  mulMat3TVec3,
  mulMat3Vec3,
  orthonormalityError,
  rot1,
  rot2,
  rot3,
  similarityMat3,
  similarityTMat3,
  transposeMat3,
  zeroMat3,
} from './mat3.js';
export { mulberry32, type RandomSource, seededRandomSource } from './random.js';
export type { ReadonlyVec3, Vec3 } from './vec3.js';
export { add3, copy3, cross3, distance3, dot3, norm3, scale3, sub3, unit3, vec3 } from './vec3.js';
