/**
 * Velocity from three position vectors of one object.
 *
 * - Gibbs' method (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013),
 *   Alg. 54 GIBBS; Curtis, "Orbital Mechanics for Engineering Students", Alg. 5.1): purely
 *   geometric, exact for any two-body conic through three coplanar positions, but ill-conditioned
 *   when the positions are close together.
 * - Herrick–Gibbs (Vallado Alg. 55 HGIBBS): a Taylor-series velocity from the three positions and
 *   their times, accurate for closely spaced positions (error grows like Δt⁴).
 * - `velocityFromThreePositions` picks one by Vallado's rule of thumb (§7.3.2): Herrick–Gibbs when
 *   the larger of the two separation angles is below `HERRICK_GIBBS_MAX_ANGLE_RAD` (3°), Gibbs above.
 *
 * Coplanarity is checked as Vallado does: the angle between r1 and the plane of r2 and r3; above
 * the tolerance (default 1°) the positions are refused with `IOD_NOT_COPLANAR`, because no
 * two-body orbit passes through them. Units km, km/s, s; any inertial frame; result at r2.
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Default coplanarity tolerance of Gibbs/Herrick–Gibbs, rad (1°; Vallado's examples pass with < 0.1°). */
export const COPLANAR_TOLERANCE_RAD = (1 * Math.PI) / 180;
/**
 * Largest separation angle for which the selector uses Herrick–Gibbs, rad: 3°, inside Vallado's
 * 1°–5° band (§7.3.2), below which Gibbs's cross products of nearly parallel vectors amplify
 * position noise. With exact positions both methods agree to < 0.01 mm/s at 1° (iod-gibbs tests).
 */
export const HERRICK_GIBBS_MAX_ANGLE_RAD = (3 * Math.PI) / 180;

/** Options of the three-position methods. */
export interface ThreePositionOptions {
  /** Gravitational parameter, km³/s² (default WGS-84 GM). */
  readonly muKm3S2?: number;
  /** Largest accepted out-of-plane angle, rad (default `COPLANAR_TOLERANCE_RAD`). */
  readonly coplanarToleranceRad?: number;
}

/** Velocity at the middle position and what was measured about the geometry. */
export interface ThreePositionResult {
  /** Velocity at r2, km/s. */
  readonly v2KmS: Vec3;
  readonly method: 'gibbs' | 'herrick-gibbs';
  /** Angle of r1 out of the plane of r2 and r3, rad. */
  readonly coplanarityRad: number;
  /** Angles r1–r2 and r2–r3, rad. */
  readonly separationRad: readonly [number, number];
}

function cross(a: ReadonlyVec3, b: ReadonlyVec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function norm(a: ReadonlyVec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}
function angle(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

function checkPositions(r: readonly ReadonlyVec3[]): void {
  r.forEach((v, i) => {
    if (v.length !== 3 || !v.every(Number.isFinite) || !(norm(v) > 0)) {
      throw new AstroError('IOD_INVALID_INPUT', `position ${i + 1} must be a finite, non-zero 3-vector`, {
        index: i,
        found: [...v],
      });
    }
  });
}

function geometryOf(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  r3: ReadonlyVec3,
  tol: number,
): { coplanarityRad: number; separationRad: [number, number] } {
  checkPositions([r1, r2, r3]);
  const z23 = cross(r2, r3);
  const n23 = norm(z23);
  const separationRad: [number, number] = [angle(r1, r2), angle(r2, r3)];
  if (!(n23 > 0) || !(norm(cross(r1, r2)) > 0)) {
    throw new AstroError(
      'IOD_COLLINEAR_POSITIONS',
      'two of the positions are parallel: the plane is undefined',
      {
        separationRad,
      },
    );
  }
  const coplanarityRad = Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(z23, r1) / (n23 * norm(r1))))));
  if (!(coplanarityRad <= tol)) {
    throw new AstroError(
      'IOD_NOT_COPLANAR',
      `the three positions are ${((coplanarityRad * 180) / Math.PI).toFixed(3)}° out of plane (tolerance ${((tol * 180) / Math.PI).toFixed(3)}°)`,
      { coplanarityRad, toleranceRad: tol },
    );
  }
  return { coplanarityRad, separationRad };
}

/**
 * Gibbs' method: velocity (km/s) at r2 from three positions (km) on one two-body orbit.
 * Throws `IOD_INVALID_INPUT`, `IOD_COLLINEAR_POSITIONS`, `IOD_NOT_COPLANAR`, or
 * `IOD_GIBBS_DEGENERATE` when N·D ≤ 0 (no conic through the points with this sense of motion).
 */
export function gibbs(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  r3: ReadonlyVec3,
  options: ThreePositionOptions = {},
): ThreePositionResult {
  const mu = options.muKm3S2 ?? WGS84_GM_KM3_S2;
  const geo = geometryOf(r1, r2, r3, options.coplanarToleranceRad ?? COPLANAR_TOLERANCE_RAD);
  const r1n = norm(r1);
  const r2n = norm(r2);
  const r3n = norm(r3);
  const z12 = cross(r1, r2);
  const z23 = cross(r2, r3);
  const z31 = cross(r3, r1);
  const n: Vec3 = [0, 0, 0];
  const d: Vec3 = [0, 0, 0];
  const s: Vec3 = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    n[k] = r1n * z23[k]! + r2n * z31[k]! + r3n * z12[k]!;
    d[k] = z12[k]! + z23[k]! + z31[k]!;
    s[k] = (r2n - r3n) * r1[k]! + (r3n - r1n) * r2[k]! + (r1n - r2n) * r3[k]!;
  }
  const nd = dot(n, d);
  if (!(nd > 0)) {
    throw new AstroError(
      'IOD_GIBBS_DEGENERATE',
      'Gibbs: N·D ≤ 0, no orbit passes through the three positions',
      {
        nDotD: nd,
      },
    );
  }
  const b = cross(d, r2);
  const lg = Math.sqrt(mu / nd);
  const v2: Vec3 = [0, 0, 0];
  for (let k = 0; k < 3; k++) v2[k] = (lg / r2n) * b[k]! + lg * s[k]!;
  return { v2KmS: v2, method: 'gibbs', ...geo };
}

/**
 * Herrick–Gibbs: velocity (km/s) at r2 from three closely spaced positions (km) at times t1 < t2
 * < t3 (seconds on any common origin). Errors as `gibbs`, plus `IOD_INVALID_INPUT` for times not
 * strictly increasing.
 */
export function herrickGibbs(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  r3: ReadonlyVec3,
  t1S: number,
  t2S: number,
  t3S: number,
  options: ThreePositionOptions = {},
): ThreePositionResult {
  const mu = options.muKm3S2 ?? WGS84_GM_KM3_S2;
  const geo = geometryOf(r1, r2, r3, options.coplanarToleranceRad ?? COPLANAR_TOLERANCE_RAD);
  if (![t1S, t2S, t3S].every(Number.isFinite) || !(t1S < t2S && t2S < t3S)) {
    throw new AstroError('IOD_INVALID_INPUT', 'Herrick–Gibbs needs finite times t1 < t2 < t3', {
      found: [t1S, t2S, t3S],
    });
  }
  const dt21 = t2S - t1S;
  const dt31 = t3S - t1S;
  const dt32 = t3S - t2S;
  const c1 = -dt32 * (1 / (dt21 * dt31) + mu / (12 * norm(r1) ** 3));
  const c2 = (dt32 - dt21) * (1 / (dt21 * dt32) + mu / (12 * norm(r2) ** 3));
  const c3 = dt21 * (1 / (dt32 * dt31) + mu / (12 * norm(r3) ** 3));
  const v2: Vec3 = [
    c1 * r1[0] + c2 * r2[0] + c3 * r3[0],
    c1 * r1[1] + c2 * r2[1] + c3 * r3[1],
    c1 * r1[2] + c2 * r2[2] + c3 * r3[2],
  ];
  return { v2KmS: v2, method: 'herrick-gibbs', ...geo };
}

/**
 * Velocity at r2 by Gibbs or Herrick–Gibbs: Herrick–Gibbs when both separation angles are below
 * `maxHerrickGibbsAngleRad` (default `HERRICK_GIBBS_MAX_ANGLE_RAD`), Gibbs otherwise.
 */
export function velocityFromThreePositions(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  r3: ReadonlyVec3,
  t1S: number,
  t2S: number,
  t3S: number,
  options: ThreePositionOptions & { readonly maxHerrickGibbsAngleRad?: number } = {},
): ThreePositionResult {
  checkPositions([r1, r2, r3]);
  const limit = options.maxHerrickGibbsAngleRad ?? HERRICK_GIBBS_MAX_ANGLE_RAD;
  const wide = Math.max(angle(r1, r2), angle(r2, r3)) > limit;
  return wide ? gibbs(r1, r2, r3, options) : herrickGibbs(r1, r2, r3, t1S, t2S, t3S, options);
}
