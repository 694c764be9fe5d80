/**
 * Tropospheric corrections of measurements from the ground.
 *
 * - Laser ranges: Mendes & Pavlis (2004) zenith delay and the FCUL mapping function of Mendes et
 *   al. (2002), as given in the IERS Conventions (2010), IERS TN 36, §9.2, Eq. 9.3–9.14 (water
 *   vapour pressure from relative humidity by Giacomo (1982), as in §9.2 and the IERS routine
 *   FCUL_ZD_HPA). Accuracy stated there: a few mm above 10° elevation.
 * - Radar (radio) ranges: Saastamoinen (1972) hydrostatic and wet zenith delays (as written in
 *   Davis et al. 1985 for the hydrostatic part, ZHD = 0.0022768·P / (1 − 0.00266 cos 2φ −
 *   0.00028 H_km) m; ZWD = 0.002277·(1255/T + 0.05)·e m) with the Chao (1972) dry and wet mapping
 *   functions m(E) = 1 / (sin E + a / (tan E + b)), a = 0.00143, b = 0.0445 (dry) and a = 0.00035,
 *   b = 0.017 (wet). Chao's functions are good to a few cm above 10°; radar noise is metres.
 * - Optical elevation refraction (astronomical refraction of a true elevation): Sæmundsson (1986),
 *   R = 1.02′ / tan(h + 10.3°/(h + 5.11°)) scaled by (P/1010 hPa)·(283 K/T), the inverse of
 *   Bennett's (1982) apparent → true formula (agreement 0.1′ — Meeus, "Astronomical Algorithms",
 *   2nd ed., Eq. 16.4). Below −1° no refraction is applied.
 *
 * Units: delays are returned in km (internal unit); pressure hPa, temperature K, humidity %.
 * When no meteo is given the standard atmosphere is used at the station height: P = 1013.25 hPa ·
 * (1 − 2.2557e-5·h_m)^5.2559, T = 288.15 K − 0.0065·h_m, RH 50 % (assumed, as is common).
 */

import { DEG2RAD } from '../units/index.js';
import type { Meteo } from './observation.js';

/** The meteo of the ICAO standard atmosphere at height `heightM` with 50 % relative humidity. */
export function standardMeteo(heightM: number): Meteo {
  const h = Math.max(-500, Math.min(heightM, 11000));
  return {
    pressureHpa: 1013.25 * (1 - 2.2557e-5 * h) ** 5.2559,
    temperatureK: 288.15 - 0.0065 * h,
    humidityPercent: 50,
  };
}

/**
 * Water vapour partial pressure, hPa, from relative humidity (%), temperature (K) and pressure
 * (hPa): Giacomo (1982) saturation pressure with the enhancement factor (IERS TN 36 §9.2).
 */
export function waterVapourPressureHpa(meteo: Meteo): number {
  const t = meteo.temperatureK;
  const tc = t - 273.15;
  const es = 0.01 * Math.exp(1.2378847e-5 * t * t - 1.9121316e-2 * t + 33.93711047 - 6.3431645e3 / t);
  const fw = 1.00062 + 3.14e-6 * meteo.pressureHpa + 5.6e-7 * tc * tc;
  return (meteo.humidityPercent / 100) * fw * es;
}

/**
 * Mendes–Pavlis zenith delays, m (IERS TN 36 Eq. 9.3–9.7): [hydrostatic, non-hydrostatic].
 * `latRad` geodetic latitude, `heightM` ellipsoidal height, `pressureHpa`, `waterVapourHpa`,
 * `wavelengthUm` laser wavelength in µm.
 */
export function mendesPavlisZenithDelayM(
  latRad: number,
  heightM: number,
  pressureHpa: number,
  waterVapourHpa: number,
  wavelengthUm: number,
): [number, number] {
  const fs = 1 - 0.00266 * Math.cos(2 * latRad) - 0.00000028 * heightM;
  const s2 = 1 / (wavelengthUm * wavelengthUm);
  const k0 = 238.0185;
  const k1 = 19990.975;
  const k2 = 57.362;
  const k3 = 579.55174;
  const cco2 = 1 + 0.534e-6 * (375 - 450);
  const fh = 1e-2 * ((k1 * (k0 + s2)) / (k0 - s2) ** 2 + (k3 * (k2 + s2)) / (k2 - s2) ** 2) * cco2;
  const fnh = 0.003101 * (295.235 + 3 * 2.6422 * s2 + 5 * -0.03238 * s2 * s2 + 7 * 0.004028 * s2 * s2 * s2);
  const dh = (0.002416579 * fh * pressureHpa) / fs;
  const dnh = (1e-4 * (5.316 * fnh - 3.759 * fh) * waterVapourHpa) / fs;
  return [dh, dnh];
}

/**
 * FCUL mapping function (Mendes et al. 2002; IERS TN 36 Eq. 9.13–9.14, Table 9.1; a2 temperature
 * coefficient 234.6e-8, the value that reproduces the IERS FCUL_A test case exactly) at elevation
 * `elRad`, geodetic latitude `latRad`, height `heightM` and temperature `temperatureK`.
 */
export function fculMapping(elRad: number, latRad: number, heightM: number, temperatureK: number): number {
  const tc = temperatureK - 273.15;
  const c = Math.cos(latRad);
  const a1 = 12100.8e-7 + 1729.5e-9 * tc + 319.1e-7 * c - 1847.8e-11 * heightM;
  const a2 = 30496.5e-7 + 234.6e-8 * tc - 103.5e-6 * c - 185.6e-10 * heightM;
  const a3 = 6877.7e-5 + 197.2e-7 * tc - 345.8e-5 * c + 106.0e-9 * heightM;
  const s = Math.sin(elRad);
  return (1 + a1 / (1 + a2 / (1 + a3))) / (s + a1 / (s + a2 / (s + a3)));
}

/** One-way Mendes–Pavlis slant delay of a laser range at elevation `elRad`, km. */
export function mendesPavlisDelayKm(
  elRad: number,
  latRad: number,
  heightM: number,
  meteo: Meteo,
  wavelengthNm: number,
): number {
  const e = waterVapourPressureHpa(meteo);
  const [dh, dnh] = mendesPavlisZenithDelayM(latRad, heightM, meteo.pressureHpa, e, wavelengthNm / 1000);
  return ((dh + dnh) * fculMapping(elRad, latRad, heightM, meteo.temperatureK)) / 1000;
}

/** Saastamoinen zenith delays, m: [hydrostatic, wet]. */
export function saastamoinenZenithDelayM(latRad: number, heightM: number, meteo: Meteo): [number, number] {
  const f = 1 - 0.00266 * Math.cos(2 * latRad) - 0.00028 * (heightM / 1000);
  const zhd = (0.0022768 * meteo.pressureHpa) / f;
  const zwd = 0.002277 * (1255 / meteo.temperatureK + 0.05) * waterVapourPressureHpa(meteo);
  return [zhd, zwd];
}

/** Chao (1972) mapping function with coefficients a, b. */
function chao(elRad: number, a: number, b: number): number {
  const e = Math.max(elRad, 0.5 * DEG2RAD);
  return 1 / (Math.sin(e) + a / (Math.tan(e) + b));
}

/** One-way slant delay of a radio range at elevation `elRad` (Saastamoinen + Chao), km. */
export function radioRangeDelayKm(elRad: number, latRad: number, heightM: number, meteo: Meteo): number {
  const [zhd, zwd] = saastamoinenZenithDelayM(latRad, heightM, meteo);
  return (zhd * chao(elRad, 0.00143, 0.0445) + zwd * chao(elRad, 0.00035, 0.017)) / 1000;
}

/**
 * Astronomical refraction of a true (geometric) elevation `elRad`, rad, to be added to get the
 * apparent elevation (Sæmundsson 1986 with the pressure/temperature factor; 0 below −1°).
 */
export function opticalRefractionRad(elRad: number, meteo: Meteo): number {
  const h = elRad / DEG2RAD;
  if (h < -1) return 0;
  const rArcmin = 1.02 / Math.tan((h + 10.3 / (h + 5.11)) * DEG2RAD);
  const scale = (meteo.pressureHpa / 1010) * (283 / meteo.temperatureK);
  return ((rArcmin * scale) / 60) * DEG2RAD;
}

/** Bennett (1982): refraction of an apparent elevation, rad (true = apparent − R). */
export function bennettRefractionRad(apparentElRad: number, meteo: Meteo): number {
  const h = apparentElRad / DEG2RAD;
  if (h < -1) return 0;
  const rArcmin = 1 / Math.tan((h + 7.31 / (h + 4.4)) * DEG2RAD);
  const scale = (meteo.pressureHpa / 1010) * (283 / meteo.temperatureK);
  return ((rArcmin * scale) / 60) * DEG2RAD;
}
