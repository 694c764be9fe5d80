/**
 * 3×3 matrix helpers for hot loops. A matrix is a row-major 9-tuple of float64 (`Mat3`):
 * [m00, m01, m02, m10, m11, m12, m20, m21, m22]. Producing functions write into `out` and return
 * it. `out` may alias an input for the element-wise functions; `mulMat3` and `transposeMat3` copy
 * through locals first, so aliasing is safe everywhere.
 *
 * Rotation convention (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., §3.2,
 * ROT1/ROT2/ROT3): `rot3(a)` is the *frame* (passive) rotation by angle `a` about z, i.e. it gives
 * the coordinates of a fixed vector in axes turned by +a:
 *   ROT3(a) = [ cos a, sin a, 0; −sin a, cos a, 0; 0, 0, 1 ].
 */
import type { ReadonlyVec3, Vec3 } from './vec3.js';

/** A row-major 3×3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];
/** Read-only view of a 3×3 matrix. */
export type ReadonlyMat3 = Readonly<Mat3>;

/** A new identity matrix. */
export function identityMat3(): Mat3 {
  return [1, 0, 0, 0, 1, 0, 0, 0, 1];
}

/** A new zero matrix. */
export function zeroMat3(): Mat3 {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0];
}

/** Copies `a` into `out`. */
export function copyMat3(a: ReadonlyMat3, out: Mat3): Mat3 {
  for (let i = 0; i < 9; i++) out[i] = a[i]!;
  return out;
}

/** out = a·b. */
export function mulMat3(a: ReadonlyMat3, b: ReadonlyMat3, out: Mat3): Mat3 {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  const [b0, b1, b2, b3, b4, b5, b6, b7, b8] = b;
  out[0] = a0 * b0 + a1 * b3 + a2 * b6;
  out[1] = a0 * b1 + a1 * b4 + a2 * b7;
  out[2] = a0 * b2 + a1 * b5 + a2 * b8;
  out[3] = a3 * b0 + a4 * b3 + a5 * b6;
  out[4] = a3 * b1 + a4 * b4 + a5 * b7;
  out[5] = a3 * b2 + a4 * b5 + a5 * b8;
  out[6] = a6 * b0 + a7 * b3 + a8 * b6;
  out[7] = a6 * b1 + a7 * b4 + a8 * b7;
  out[8] = a6 * b2 + a7 * b5 + a8 * b8;
  return out;
}

/** out = aᵀ. */
export function transposeMat3(a: ReadonlyMat3, out: Mat3): Mat3 {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  out[0] = a0;
  out[1] = a3;
  out[2] = a6;
  out[3] = a1;
  out[4] = a4;
  out[5] = a7;
  out[6] = a2;
  out[7] = a5;
  out[8] = a8;
  return out;
}

/** out = m·v. */
export function mulMat3Vec3(m: ReadonlyMat3, v: ReadonlyVec3, out: Vec3): Vec3 {
  const x = v[0];
  const y = v[1];
  const z = v[2];
  out[0] = m[0] * x + m[1] * y + m[2] * z;
  out[1] = m[3] * x + m[4] * y + m[5] * z;
  out[2] = m[6] * x + m[7] * y + m[8] * z;
  return out;
}

/** out = mᵀ·v (no transpose is formed). */
export function mulMat3TVec3(m: ReadonlyMat3, v: ReadonlyVec3, out: Vec3): Vec3 {
  const x = v[0];
  const y = v[1];
  const z = v[2];
  out[0] = m[0] * x + m[3] * y + m[6] * z;
  out[1] = m[1] * x + m[4] * y + m[7] * z;
  out[2] = m[2] * x + m[5] * y + m[8] * z;
  return out;
}

/** Frame rotation about x by `a` rad (Vallado ROT1). */
export function rot1(a: number, out: Mat3): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  out[0] = 1;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  out[4] = c;
  out[5] = s;
  out[6] = 0;
  out[7] = -s;
  out[8] = c;
  return out;
}

/** Frame rotation about y by `a` rad (Vallado ROT2). */
export function rot2(a: number, out: Mat3): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  out[0] = c;
  out[1] = 0;
  out[2] = -s;
  out[3] = 0;
  out[4] = 1;
  out[5] = 0;
  out[6] = s;
  out[7] = 0;
  out[8] = c;
  return out;
}

/** Frame rotation about z by `a` rad (Vallado ROT3). */
export function rot3(a: number, out: Mat3): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  out[0] = c;
  out[1] = s;
  out[2] = 0;
  out[3] = -s;
  out[4] = c;
  out[5] = 0;
  out[6] = 0;
  out[7] = 0;
  out[8] = 1;
  return out;
}

/** out = m·C·mᵀ for a symmetric or general 3×3 C (e.g. rotating a covariance). */
export function similarityMat3(m: ReadonlyMat3, c: ReadonlyMat3, out: Mat3): Mat3 {
  const t: Mat3 = zeroMat3();
  mulMat3(m, c, t);
  const mt: Mat3 = transposeMat3(m, zeroMat3());
  return mulMat3(t, mt, out);
}

/** out = mᵀ·C·m. */
export function similarityTMat3(m: ReadonlyMat3, c: ReadonlyMat3, out: Mat3): Mat3 {
  const mt: Mat3 = transposeMat3(m, zeroMat3());
  const t: Mat3 = mulMat3(mt, c, zeroMat3());
  return mulMat3(t, m, out);
}

/** Largest |(a·aᵀ − I)ᵢⱼ|: how far `a` is from orthonormal. */
export function orthonormalityError(a: ReadonlyMat3): number {
  const p = mulMat3(a, transposeMat3(a, zeroMat3()), zeroMat3());
  let worst = 0;
  for (let i = 0; i < 9; i++) {
    const expected = i % 4 === 0 ? 1 : 0;
    worst = Math.max(worst, Math.abs(p[i]! - expected));
  }
  return worst;
}

/** Determinant of `a`. */
export function detMat3(a: ReadonlyMat3): number {
  return (
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6])
  );
}
