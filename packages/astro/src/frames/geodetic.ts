/**
 * WGS-84 geodetic coordinates ↔ Earth-fixed (ITRF) Cartesian position.
 *
 * Cartesian → geodetic: the closed-form solution of H. Vermeille, "Direct transformation from
 * geocentric coordinates to geodetic coordinates", Journal of Geodesy 76 (2002) 451-454, in the
 * numerically stable form of Vermeille, "Computing geodetic coordinates from geocentric
 * coordinates", J. Geod. 78 (2004) 94-95 (latitude via 2·atan2, exact at the poles and the
 * equator). No iteration; round trips agree to ~1e-9 km (µm level). Valid for points more than
 * a·e² ≈ 42.7 km from the geocentre (inside the ellipsoid's evolute the problem has several
 * solutions); closer points throw AstroError `GEODETIC_DOMAIN`.
 *
 * Geodetic → Cartesian: the standard closed form with the prime-vertical radius
 * N = a / √(1 − e² sin²φ) (NIMA TR8350.2 §4; Vallado 2013, Eq. 3-14).
 * Units: km and rad; latitude φ in [−π/2, π/2], longitude λ in (−π, π], height h above the
 * ellipsoid (negative below it).
 */
import { WGS84_A_KM, WGS84_E2 } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { type Km, km, type Rad, rad } from '../units/index.js';
import { assertFrame, type State } from './state.js';

const A = WGS84_A_KM;
const E2 = WGS84_E2;
const E4 = E2 * E2;
/** Radius of the region where the closed form is not single-valued, km (a·e²). */
const EVOLUTE_RADIUS_KM = A * E2;

/**
 * ITRF position (km) → [latitude rad, longitude rad, height km], written into `out`.
 * Throws `GEODETIC_DOMAIN` within 42.7 km of the geocentre or for non-finite input.
 */
export function itrfToGeodeticArray(rKm: ReadonlyVec3, out: Vec3): Vec3 {
  const x = rKm[0];
  const y = rKm[1];
  const z = rKm[2];
  const rho2 = x * x + y * y;
  if (!(rho2 + z * z > EVOLUTE_RADIUS_KM * EVOLUTE_RADIUS_KM)) {
    throw new AstroError(
      'GEODETIC_DOMAIN',
      'position too close to the geocentre (or not finite) for geodetic coordinates',
      {
        expected: `|r| > ${EVOLUTE_RADIUS_KM.toFixed(3)} km`,
        found: `r = (${x}, ${y}, ${z}) km`,
      },
    );
  }
  const rho = Math.sqrt(rho2);
  const p = rho2 / (A * A);
  const qq = ((1 - E2) / (A * A)) * z * z;
  const r = (p + qq - E4) / 6;
  const s = (E4 * p * qq) / (4 * r * r * r);
  const t = Math.cbrt(1 + s + Math.sqrt(s * (2 + s)));
  const u = r * (1 + t + 1 / t);
  const v = Math.sqrt(u * u + E4 * qq);
  const w = (E2 * (u + v - qq)) / (2 * v);
  const k = Math.sqrt(u + v + w * w) - w;
  const d = (k * rho) / (k + E2);
  const dz = Math.hypot(d, z);
  out[0] = 2 * Math.atan2(z, d + dz);
  out[1] = Math.atan2(y, x);
  out[2] = ((k + E2 - 1) / k) * dz;
  return out;
}

/** [latitude rad, longitude rad, height km] → ITRF position (km), written into `out`. */
export function geodeticToItrfArray(latRad: number, lonRad: number, heightKm: number, out: Vec3): Vec3 {
  const sinLat = Math.sin(latRad);
  const cosLat = Math.cos(latRad);
  const n = A / Math.sqrt(1 - E2 * sinLat * sinLat);
  const rc = (n + heightKm) * cosLat;
  out[0] = rc * Math.cos(lonRad);
  out[1] = rc * Math.sin(lonRad);
  out[2] = (n * (1 - E2) + heightKm) * sinLat;
  return out;
}

/** A WGS-84 geodetic position. */
export interface Geodetic {
  readonly latRad: Rad;
  readonly lonRad: Rad;
  /** Height above the WGS-84 ellipsoid, km. */
  readonly heightKm: Km;
}

/** Geodetic coordinates of an ITRF state's position (run-time frame check: `FRAME_MISMATCH`). */
export function geodeticFromItrf(state: State<'ITRF'>): Geodetic {
  assertFrame(state, 'ITRF', 'geodeticFromItrf');
  const g = itrfToGeodeticArray(state.rKm, [0, 0, 0]);
  return { latRad: rad(g[0]), lonRad: rad(g[1]), heightKm: km(g[2]) };
}

/** ITRF position (km) of a geodetic position. */
export function itrfFromGeodetic(g: Geodetic): Vec3 {
  return geodeticToItrfArray(g.latRad, g.lonRad, g.heightKm, [0, 0, 0]);
}
