/**
 * Small 3-vector helpers for hot loops. A vector is a plain 3-tuple of float64 (`Vec3`); every
 * function that produces a vector writes into an `out` argument and returns it, so callers can
 * reuse buffers. `out` may alias an input unless the function says otherwise (`cross3` may not).
 * Units are whatever the caller's are.
 */

/** A 3-vector: x, y, z. */
export type Vec3 = [number, number, number];
/** Read-only view of a 3-vector (what functions accept as input). */
export type ReadonlyVec3 = readonly [number, number, number];

/** A new zero vector. */
export function vec3(x = 0, y = 0, z = 0): Vec3 {
  return [x, y, z];
}

/** Copies `a` into `out`. */
export function copy3(a: ReadonlyVec3, out: Vec3): Vec3 {
  out[0] = a[0];
  out[1] = a[1];
  out[2] = a[2];
  return out;
}

/** out = a + b. */
export function add3(a: ReadonlyVec3, b: ReadonlyVec3, out: Vec3): Vec3 {
  out[0] = a[0] + b[0];
  out[1] = a[1] + b[1];
  out[2] = a[2] + b[2];
  return out;
}

/** out = a − b. */
export function sub3(a: ReadonlyVec3, b: ReadonlyVec3, out: Vec3): Vec3 {
  out[0] = a[0] - b[0];
  out[1] = a[1] - b[1];
  out[2] = a[2] - b[2];
  return out;
}

/** out = s·a. */
export function scale3(a: ReadonlyVec3, s: number, out: Vec3): Vec3 {
  out[0] = a[0] * s;
  out[1] = a[1] * s;
  out[2] = a[2] * s;
  return out;
}

/** a · b. */
export function dot3(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** out = a × b. `out` must not alias `a` or `b`. */
export function cross3(a: ReadonlyVec3, b: ReadonlyVec3, out: Vec3): Vec3 {
  const x = a[1] * b[2] - a[2] * b[1];
  const y = a[2] * b[0] - a[0] * b[2];
  const z = a[0] * b[1] - a[1] * b[0];
  out[0] = x;
  out[1] = y;
  out[2] = z;
  return out;
}

/** |a|. */
export function norm3(a: ReadonlyVec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** out = a / |a|; a zero vector stays zero. */
export function unit3(a: ReadonlyVec3, out: Vec3): Vec3 {
  const n = norm3(a);
  const s = n > 0 ? 1 / n : 0;
  return scale3(a, s, out);
}

/** |a − b|. */
export function distance3(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
