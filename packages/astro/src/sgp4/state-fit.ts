/**
 * Mean elements from a state: the SGP4 element set whose SGP4 state at its own epoch equals a
 * given TEME position and velocity (an osculating → SGP4-mean conversion by iteration, the
 * "inverse SGP4" used to turn simulated or numerically propagated states into element sets; see
 * Vallado & Crawford, "SGP4 orbit determination", AIAA 2008-6770, §II, where the same fit is done
 * by differential correction over many states; here it is one state, so a fixed point suffices).
 *
 * Method: equinoctial elements (a, f = e·cos ϖ, g = e·sin ϖ, h = tan(i/2)·cos Ω, k = tan(i/2)·sin Ω,
 * L = ϖ + M, with ϖ = ω + Ω), non-singular for circular and equatorial orbits. Start with the
 * osculating elements of the target as mean elements; then repeat x ← x + (E(target) − E(SGP4(x, 0)))
 * with E the osculating equinoctial elements of a state. The mean → osculating map of SGP4 is the
 * identity plus short-period terms of order J2 ≈ 1e-3, so each step shrinks the error by about that
 * factor; a few steps reach millimetres. B* does not enter SGP4's state at tsince = 0 (its secular
 * terms vanish there), so the caller's B* is kept as is.
 * Retrograde orbits near i = 180° are out of reach (tan(i/2) diverges); the fit reports it.
 */
import type { ElementSet } from '../elements/element-set.js';
import { wrapPi } from '../math/angle.js';
import { getgravconst, type Sgp4Gravity } from './gravity.js';
import { sgp4Init } from './propagate.js';
import { sgp4 } from './sgp4.js';

/** Default fit tolerance on the position, km (1 mm: far below any TLE's own accuracy). */
export const STATE_FIT_TOLERANCE_KM = 1e-6;
/** Default fit tolerance on the velocity, km/s (1 µm/s). */
export const STATE_FIT_TOLERANCE_KM_S = 1e-9;
/** Default iteration cap: convergence is linear with a ratio of order J2. */
export const STATE_FIT_MAX_ITERATIONS = 40;

export interface StateFitOptions {
  readonly gravity?: Sgp4Gravity;
  readonly toleranceKm?: number;
  readonly toleranceKmPerS?: number;
  readonly maxIterations?: number;
}

export type StateFitResult =
  | {
      readonly ok: true;
      /** The template with the six fitted mean elements. */
      readonly elements: ElementSet;
      readonly iterations: number;
      /** |r_SGP4(0) − r|, km, and |v_SGP4(0) − v|, km/s, of the returned set. */
      readonly positionErrorKm: number;
      readonly velocityErrorKmPerS: number;
    }
  | {
      readonly ok: false;
      /** 'not-elliptic' (e ≥ 1 or hyperbolic energy), 'sgp4-error' (SGP4 failed at epoch), 'no-convergence'. */
      readonly reason: 'not-elliptic' | 'sgp4-error' | 'no-convergence';
      readonly iterations: number;
      readonly sgp4Code?: number;
      readonly positionErrorKm?: number;
    };

const TWO_PI = 2 * Math.PI;

function wrap2Pi(x: number): number {
  const y = x % TWO_PI;
  return y < 0 ? y + TWO_PI : y;
}

/**
 * Osculating equinoctial elements [a km, f, g, h, k, L rad] of (r km, v km/s) about mu km³/s²,
 * written into out; false when the orbit is not elliptic.
 */
function equinoctial(r: ArrayLike<number>, v: ArrayLike<number>, mu: number, out: Float64Array): boolean {
  const rx = r[0]!;
  const ry = r[1]!;
  const rz = r[2]!;
  const vx = v[0]!;
  const vy = v[1]!;
  const vz = v[2]!;
  const rn = Math.hypot(rx, ry, rz);
  const v2 = vx * vx + vy * vy + vz * vz;
  const energy = v2 / 2 - mu / rn;
  if (!(energy < 0)) return false;
  const a = -mu / (2 * energy);
  const hx = ry * vz - rz * vy;
  const hy = rz * vx - rx * vz;
  const hz = rx * vy - ry * vx;
  const hn = Math.hypot(hx, hy, hz);
  // Equinoctial frame (Broucke & Cefola, prograde form): p = tan(i/2)·sinΩ = ŵx/(1 + ŵz),
  // q = tan(i/2)·cosΩ = −ŵy/(1 + ŵz), ŵ = h/|h|.
  const den = hn + hz;
  if (!(den > 1e-12 * hn)) return false;
  const p = hx / den;
  const q = -hy / den;
  // Basis vectors f̂, ĝ of the equinoctial frame.
  const s = 1 + p * p + q * q;
  const fx = (1 - p * p + q * q) / s;
  const fy = (2 * p * q) / s;
  const fz = (-2 * p) / s;
  const gx = (2 * p * q) / s;
  const gy = (1 + p * p - q * q) / s;
  const gz = (2 * q) / s;
  // Eccentricity vector.
  const rv = rx * vx + ry * vy + rz * vz;
  const ex = ((v2 - mu / rn) * rx - rv * vx) / mu;
  const ey = ((v2 - mu / rn) * ry - rv * vy) / mu;
  const ez = ((v2 - mu / rn) * rz - rv * vz) / mu;
  const f = ex * fx + ey * fy + ez * fz;
  const g = ex * gx + ey * gy + ez * gz;
  if (!(f * f + g * g < 1)) return false;
  // True longitude, then eccentric and mean longitudes.
  const X = rx * fx + ry * fy + rz * fz;
  const Y = rx * gx + ry * gy + rz * gz;
  const Lt = Math.atan2(Y, X);
  const e2 = f * f + g * g;
  const e = Math.sqrt(e2);
  const varpi = Math.atan2(g, f);
  const nu = Lt - varpi;
  const E = 2 * Math.atan2(Math.sqrt(1 - e) * Math.sin(nu / 2), Math.sqrt(1 + e) * Math.cos(nu / 2));
  const M = E - e * Math.sin(E);
  out[0] = a;
  out[1] = f;
  out[2] = g;
  out[3] = q;
  out[4] = p;
  out[5] = wrap2Pi(varpi + M);
  return true;
}

/** Classical angles of equinoctial [a, f, g, h, k, L] (h = tan(i/2)cosΩ, k = tan(i/2)sinΩ). */
function classical(x: Float64Array): { e: number; i: number; raan: number; argp: number; m: number } {
  const f = x[1]!;
  const g = x[2]!;
  const h = x[3]!;
  const k = x[4]!;
  const e = Math.hypot(f, g);
  const i = 2 * Math.atan(Math.hypot(h, k));
  const raan = wrap2Pi(Math.atan2(k, h));
  const varpi = Math.atan2(g, f);
  return { e, i, raan, argp: wrap2Pi(varpi - raan), m: wrap2Pi(x[5]! - varpi) };
}

/**
 * The SGP4 mean elements of `template` (epoch, identity, B*, rates kept) replaced by the ones whose
 * SGP4 state at the epoch is (rKm, vKmPerS), TEME, km and km/s. Never throws: a state that is not
 * on an elliptic orbit, an SGP4 failure at epoch (e.g. perigee inside the Earth, code 6) or a fit
 * that does not reach the tolerance is reported with its reason.
 */
export function fitSgp4ElementsToState(
  rKm: ArrayLike<number>,
  vKmPerS: ArrayLike<number>,
  template: ElementSet,
  options: StateFitOptions = {},
): StateFitResult {
  const gravity = options.gravity ?? 'wgs72';
  const tolR = options.toleranceKm ?? STATE_FIT_TOLERANCE_KM;
  const tolV = options.toleranceKmPerS ?? STATE_FIT_TOLERANCE_KM_S;
  const maxIt = options.maxIterations ?? STATE_FIT_MAX_ITERATIONS;
  const g = getgravconst(gravity);
  const mu = g.mus;
  const target = new Float64Array(6);
  if (!equinoctial(rKm, vKmPerS, mu, target)) return { ok: false, reason: 'not-elliptic', iterations: 0 };
  const x = Float64Array.from(target);
  const got = new Float64Array(6);
  const rv = new Float64Array(6);
  let lastErr = Number.POSITIVE_INFINITY;
  for (let it = 1; it <= maxIt; it++) {
    const c = classical(x);
    if (!(c.e < 1) || !(x[0]! > 0)) return { ok: false, reason: 'not-elliptic', iterations: it };
    const aEr = x[0]! / g.radiusearthkm;
    const elements: ElementSet = {
      ...template,
      meanMotionRadPerMin: g.xke / aEr ** 1.5,
      eccentricity: c.e,
      inclinationRad: c.i,
      raanRad: c.raan,
      argPerigeeRad: c.argp,
      meanAnomalyRad: c.m,
    };
    const rec = sgp4Init(elements, { gravity });
    const code = rec.error !== 0 ? rec.error : sgp4(rec, 0, rv);
    if (code !== 0) return { ok: false, reason: 'sgp4-error', iterations: it, sgp4Code: code };
    const dr = Math.hypot(rv[0]! - rKm[0]!, rv[1]! - rKm[1]!, rv[2]! - rKm[2]!);
    const dv = Math.hypot(rv[3]! - vKmPerS[0]!, rv[4]! - vKmPerS[1]!, rv[5]! - vKmPerS[2]!);
    if (dr <= tolR && dv <= tolV) {
      return { ok: true, elements, iterations: it, positionErrorKm: dr, velocityErrorKmPerS: dv };
    }
    lastErr = dr;
    if (!equinoctial(rv.subarray(0, 3), rv.subarray(3, 6), mu, got)) {
      return { ok: false, reason: 'not-elliptic', iterations: it };
    }
    for (let j = 0; j < 5; j++) x[j] = x[j]! + (target[j]! - got[j]!);
    x[5] = wrap2Pi(x[5]! + wrapPi(target[5]! - got[5]!));
  }
  return { ok: false, reason: 'no-convergence', iterations: maxIt, positionErrorKm: lastErr };
}
