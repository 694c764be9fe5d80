/**
 * Two corrections of a satellite-laser-ranging (SLR) range that the SLR orbit fit (slr.ts) adds to
 * the light-time range of observations/measurement-model.ts (which has the troposphere):
 *
 * - Solid Earth tide displacement of the station: IERS TN 36 §7.1.1, Eq. 7.5 (degree-2 in-phase
 *   terms of the Sun and the Moon with the latitude-dependent Love and Shida numbers h₂ = 0.6078 −
 *   0.0006·(3 sin²φ − 1)/2, l₂ = 0.0847 + 0.0002·(3 sin²φ − 1)/2). Left out (each below 1.5 cm at
 *   most): the degree-3 terms (Eq. 7.6, ≤ 1.7 mm), the out-of-phase and latitude terms (Eq. 7.8–7.11,
 *   ≤ 1 mm), and the frequency-dependent step-2 corrections (Table 7.3a, the K₁ term up to 13 mm
 *   radial). The permanent tide is kept (conventional tide-free station positions, as ITRF).
 * - Shapiro delay of one leg (IERS TN 36 §11, Eq. 11.17, with γ = 1, Earth only):
 *   Δρ = (2GM/c²)·ln((r₁ + r₂ + ρ)/(r₁ + r₂ − ρ)); about 7 mm for LAGEOS.
 *
 * Compact versions for the SLR pipeline. Units: km.
 */
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Speed of light, km/s (SI definition). */
const C_KM_S = 299792.458;
/** Earth GM for the Shapiro delay, km³/s² (IERS TN 36 Table 1.1, TT-compatible). */
const GM_EARTH_KM3_S2 = 398600.4418;
/** Sun and Moon GM for the tides, km³/s² (IERS TN 36 Table 1.1; DE430 values to this precision). */
const GM_SUN_KM3_S2 = 1.32712442099e11;
const GM_MOON_KM3_S2 = 4902.8;
/** Earth equatorial radius for the tide formula, km (IERS TN 36 Table 1.1). */
const RE_KM = 6378.1366;

/** Shapiro delay of one leg between geocentric distances r1, r2 (km) that are rho apart, km. */
export function shapiroDelayKm(r1Km: number, r2Km: number, rhoKm: number): number {
  const k = (2 * GM_EARTH_KM3_S2) / (C_KM_S * C_KM_S);
  return k * Math.log((r1Km + r2Km + rhoKm) / (r1Km + r2Km - rhoKm));
}

/**
 * Degree-2 solid-tide displacement of a station (IERS TN 36 Eq. 7.5), km, Earth-fixed axes: the
 * station at `stationKm`, the Sun and the Moon at `sunKm`, `moonKm` (geocentric, the same axes).
 * Adds into `out` and returns it.
 */
export function solidTideDisplacementKm(
  stationKm: ReadonlyVec3,
  sunKm: ReadonlyVec3,
  moonKm: ReadonlyVec3,
  out: Vec3,
): Vec3 {
  const r = Math.hypot(stationKm[0], stationKm[1], stationKm[2]);
  const u: Vec3 = [stationKm[0] / r, stationKm[1] / r, stationKm[2] / r];
  const sinLat2 = u[2] * u[2];
  const p2lat = (3 * sinLat2 - 1) / 2;
  const h2 = 0.6078 - 0.0006 * p2lat;
  const l2 = 0.0847 + 0.0002 * p2lat;
  for (const [body, gm] of [
    [sunKm, GM_SUN_KM3_S2],
    [moonKm, GM_MOON_KM3_S2],
  ] as const) {
    const rb = Math.hypot(body[0], body[1], body[2]);
    const b: Vec3 = [body[0] / rb, body[1] / rb, body[2] / rb];
    const f = ((gm / GM_EARTH_KM3_S2) * RE_KM ** 4) / rb ** 3;
    const d = b[0] * u[0] + b[1] * u[1] + b[2] * u[2];
    const radial = h2 * (1.5 * d * d - 0.5);
    for (let k = 0; k < 3; k++) {
      out[k] = out[k]! + f * (radial * u[k]! + 3 * l2 * d * (b[k]! - d * u[k]!));
    }
  }
  return out;
}
