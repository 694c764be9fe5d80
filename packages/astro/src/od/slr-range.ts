/**
 * The physical corrections of a satellite-laser-ranging (SLR) two-way range, in the compact form
 * the SLR orbit fit (slr.ts) needs:
 *
 * - Troposphere: Mendes & Pavlis (2004) zenith delay with the FCUL mapping function of Mendes et
 *   al. (2002), IERS Conventions (2010), IERS TN 36, §9.2, Eq. 9.12–9.14 (zenith delay for the
 *   laser wavelength, CO₂ 375 ppm) and Eq. 9.3–9.5 (FCUL mapping); water vapour pressure from the
 *   relative humidity with the Giacomo (1982) saturation pressure and enhancement factor, as the
 *   IERS routine FCUL_ZD_HPA does.
 * - Solid Earth tide displacement of the station: IERS TN 36 §7.1.1, Eq. 7.5 (degree-2 in-phase
 *   terms of the Sun and the Moon with the latitude-dependent Love and Shida numbers h₂ = 0.6078 −
 *   0.0006·(3 sin²φ − 1)/2, l₂ = 0.0847 + 0.0002·(3 sin²φ − 1)/2). Left out (each below 1.5 cm at
 *   most): the degree-3 terms (Eq. 7.6, ≤ 1.7 mm), the out-of-phase and latitude terms (Eq. 7.8–7.11,
 *   ≤ 1 mm), and the frequency-dependent step-2 corrections (Table 7.3a, the K₁ term up to 13 mm
 *   radial). The permanent tide is kept (conventional tide-free station positions, as ITRF).
 * - Shapiro delay of one leg (IERS TN 36 §11, Eq. 11.17, with γ = 1, Earth only):
 *   Δρ = (2GM/c²)·ln((r₁ + r₂ + ρ)/(r₁ + r₂ − ρ)); about 7 mm for LAGEOS.
 *
 * These are deliberately small, self-contained versions for the SLR pipeline. Units: km, rad, hPa,
 * K, percent; wavelength nm.
 */
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import type { Meteo } from '../observations/observation.js';

/** Speed of light, km/s (SI definition). */
export const C_KM_S = 299792.458;
/** Earth GM for the Shapiro delay, km³/s² (IERS TN 36 Table 1.1, TT-compatible). */
const GM_EARTH_KM3_S2 = 398600.4418;
/** Sun and Moon GM for the tides, km³/s² (IERS TN 36 Table 1.1; DE430 values to this precision). */
const GM_SUN_KM3_S2 = 1.32712442099e11;
const GM_MOON_KM3_S2 = 4902.8;
/** Earth equatorial radius for the tide formula, km (IERS TN 36 Table 1.1). */
const RE_KM = 6378.1366;

/** Partial pressure of water vapour, hPa (Giacomo 1982, as in IERS TN 36 §9.2). */
export function slrWaterVapourHpa(meteo: Meteo): number {
  const t = meteo.temperatureK;
  const p = meteo.pressureHpa;
  const tc = t - 273.15;
  const es = 0.01 * Math.exp(1.2378847e-5 * t * t - 1.9121316e-2 * t + 33.93711047 - 6.3431645e3 / t);
  const fw = 1.00062 + 3.14e-6 * p + 5.6e-7 * tc * tc;
  return (meteo.humidityPercent / 100) * es * fw;
}

/**
 * Mendes–Pavlis zenith delay, m, for a laser of wavelength `wavelengthNm` at geodetic latitude
 * `latRad` and height `heightM` (IERS TN 36 Eq. 9.12–9.14).
 */
export function mendesPavlisZenithM(
  meteo: Meteo,
  latRad: number,
  heightM: number,
  wavelengthNm: number,
): number {
  const sigma = 1000 / wavelengthNm; // µm⁻¹
  const s2 = sigma * sigma;
  const k0 = 238.0185;
  const k1 = 19990.975;
  const k2 = 57.362;
  const k3 = 579.55174;
  const cco2 = 1 + 0.534e-6 * (375 - 450);
  const fh = 0.01 * cco2 * ((k1 * (k0 + s2)) / (k0 - s2) ** 2 + (k3 * (k2 + s2)) / (k2 - s2) ** 2);
  const w0 = 295.235;
  const w1 = 2.6422;
  const w2 = -0.03238;
  const w3 = 0.004028;
  const fnh = 0.003101 * (w0 + 3 * w1 * s2 + 5 * w2 * s2 * s2 + 7 * w3 * s2 * s2 * s2);
  const fs = 1 - 0.00266 * Math.cos(2 * latRad) - 0.00000028 * heightM;
  const dh = (0.002416579 * fh * meteo.pressureHpa) / fs;
  const dnh = (1e-4 * (5.316 * fnh - 3.759 * fh) * slrWaterVapourHpa(meteo)) / fs;
  return dh + dnh;
}

/**
 * FCUL mapping function at elevation `elRad` (IERS TN 36 Eq. 9.3–9.5, Table 9.1; the a2 temperature
 * coefficient is 234.6e-8, the value that reproduces the IERS FCUL_A test case).
 */
export function fculMapping(elRad: number, latRad: number, heightM: number, temperatureK: number): number {
  const tc = temperatureK - 273.15;
  const cl = Math.cos(latRad);
  const a1 = 12100.8e-7 + 1729.5e-9 * tc + 319.1e-7 * cl - 1847.8e-11 * heightM;
  const a2 = 30496.5e-7 + 234.6e-8 * tc - 103.5e-6 * cl - 185.6e-10 * heightM;
  const a3 = 6877.7e-5 + 197.2e-7 * tc - 345.8e-5 * cl + 106.0e-9 * heightM;
  const s = Math.sin(elRad);
  const num = 1 + a1 / (1 + a2 / (1 + a3));
  return num / (s + a1 / (s + a2 / (s + a3)));
}

/** One-way Mendes–Pavlis delay along elevation `elRad`, km. */
export function mendesPavlisDelayKm(
  elRad: number,
  latRad: number,
  heightM: number,
  meteo: Meteo,
  wavelengthNm: number,
): number {
  return (
    (mendesPavlisZenithM(meteo, latRad, heightM, wavelengthNm) *
      fculMapping(elRad, latRad, heightM, meteo.temperatureK)) /
    1000
  );
}

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

/** Unit vectors east, north, up of a geodetic point in ITRF (rows of a row-major 3×3). */
export function enuAxes(latRad: number, lonRad: number): number[] {
  const sl = Math.sin(latRad);
  const cl = Math.cos(latRad);
  const so = Math.sin(lonRad);
  const co = Math.cos(lonRad);
  return [-so, co, 0, -sl * co, -sl * so, cl, cl * co, cl * so, sl];
}
