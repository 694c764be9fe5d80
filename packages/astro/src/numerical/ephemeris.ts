/**
 * Geocentric Sun and Moon positions for third-body and radiation-pressure forces.
 *
 * `Ephemeris` is what the forces consume; `ANALYTIC_EPHEMERIS` is the low-precision series of
 * Montenbruck & Gill, "Satellite Orbits" (Springer, 2000), §3.3.2: the Sun from a Keplerian
 * orbit with the equation of centre to 2M (Eq. 3.43–3.44, stated accuracy about 0.1–1 %), the
 * Moon from the main perturbation terms of Brown's lunar theory (Eq. 3.46–3.48, stated accuracy
 * several arc minutes and ~500 km). Both are computed in the ecliptic and equinox of J2000 and
 * turned to the equator by the J2000 obliquity ε = 23.43929111° (Eq. 3.45), giving EME2000
 * coordinates; the ~23 mas EME2000–GCRF bias is far below the series' error and is ignored.
 * The time argument is TT; TDB − TT (< 2 ms) is ignored. Deviation from the book: the Sun's
 * longitude of perigee gets its secular rate (see SUN_PERIGEE_RATE_DEG_PER_CENTURY).
 * A JPL DE ephemeris (jpl-de.ts) implements the same interface.
 */

import type { Vec3 } from '../math/vec3.js';
import { ARCSEC2RAD, DEG2RAD, TWO_PI } from '../units/index.js';

/** The bodies an ephemeris gives, geocentric. */
export type EphemerisBody = 'SUN' | 'MOON';

/** Geocentric positions of the Sun and the Moon in GCRF, km. */
export interface Ephemeris {
  readonly name: string;
  /**
   * Geocentric position of `body`, km, GCRF axes, at the TT Julian date jdTt + jdTtFrac (any
   * split), written into `out`.
   */
  positionKm(body: EphemerisBody, jdTt: number, jdTtFrac: number, out: Vec3): Vec3;
}

/** Obliquity of the ecliptic at J2000, rad (Montenbruck & Gill Eq. 3.45: 23.43929111°). */
export const OBLIQUITY_J2000_RAD = 23.43929111 * DEG2RAD;

const COS_EPS = Math.cos(OBLIQUITY_J2000_RAD);
const SIN_EPS = Math.sin(OBLIQUITY_J2000_RAD);

function fracTurns(x: number): number {
  return x - Math.floor(x);
}

/** Ecliptic (λ, β, r) → equatorial EME2000 Cartesian, km. */
function eclipticToEquatorial(lon: number, lat: number, r: number, out: Vec3): Vec3 {
  const cb = Math.cos(lat);
  const x = r * Math.cos(lon) * cb;
  const y = r * Math.sin(lon) * cb;
  const z = r * Math.sin(lat);
  out[0] = x;
  out[1] = COS_EPS * y - SIN_EPS * z;
  out[2] = SIN_EPS * y + COS_EPS * z;
  return out;
}

/**
 * Motion of the Sun's longitude of perigee in the J2000 ecliptic, °/century: the rate of the
 * Earth–Moon barycentre's longitude of perihelion, 0.32327364°/cy, in Standish, "Keplerian
 * Elements for Approximate Positions of the Major Planets" (JPL SSD, Table 1). Montenbruck & Gill
 * hold Ω + ω at its J2000 value; without the rate the Sun's error grows by 0.32°/century (0.054°
 * in 2016 against DE430).
 */
const SUN_PERIGEE_RATE_DEG_PER_CENTURY = 0.32327364;

/**
 * Low-precision geocentric Sun, km, EME2000 (Montenbruck & Gill Eq. 3.43–3.45), at T Julian
 * centuries of TT since J2000.
 */
export function sunPositionLowPrecision(tCenturies: number, out: Vec3): Vec3 {
  // Mean anomaly 357.5256° + 35999.049°·T; Ω + ω = 282.9400° + 0.32327°·T (rate: see above).
  const m = TWO_PI * fracTurns(0.9931267 + 99.9973583 * tCenturies);
  const peri = 0.7859444 + (SUN_PERIGEE_RATE_DEG_PER_CENTURY / 360) * tCenturies;
  const lon = TWO_PI * fracTurns(peri + m / TWO_PI + (6892 * Math.sin(m) + 72 * Math.sin(2 * m)) / 1296e3);
  const r = 149.619e6 - 2.499e6 * Math.cos(m) - 0.021e6 * Math.cos(2 * m);
  return eclipticToEquatorial(lon, 0, r, out);
}

/**
 * Low-precision geocentric Moon, km, EME2000 (Montenbruck & Gill Eq. 3.46–3.48), at T Julian
 * centuries of TT since J2000. The −1.3972°·T term of the mean longitude refers it to the
 * equinox of J2000.
 */
export function moonPositionLowPrecision(tCenturies: number, out: Vec3): Vec3 {
  const t = tCenturies;
  const d2r = DEG2RAD;
  const as = ARCSEC2RAD;
  // Mean longitude, mean anomalies of Moon and Sun, argument of latitude, elongation.
  const l0 = (218.31617 + 481267.88088 * t - 1.3972 * t) * d2r;
  const l = (134.96292 + 477198.86753 * t) * d2r;
  const lp = (357.52543 + 35999.04944 * t) * d2r;
  const f = (93.27283 + 483202.01873 * t) * d2r;
  const d = (297.85027 + 445267.11135 * t) * d2r;
  const dLon =
    22640 * Math.sin(l) +
    769 * Math.sin(2 * l) -
    4586 * Math.sin(l - 2 * d) +
    2370 * Math.sin(2 * d) -
    668 * Math.sin(lp) -
    412 * Math.sin(2 * f) -
    212 * Math.sin(2 * l - 2 * d) -
    206 * Math.sin(l + lp - 2 * d) +
    192 * Math.sin(l + 2 * d) -
    165 * Math.sin(lp - 2 * d) +
    148 * Math.sin(l - lp) -
    125 * Math.sin(d) -
    110 * Math.sin(l + lp) -
    55 * Math.sin(2 * f - 2 * d);
  const lon = l0 + dLon * as;
  const lat =
    (18520 * Math.sin(f + dLon * as + (412 * Math.sin(2 * f) + 541 * Math.sin(lp)) * as) -
      526 * Math.sin(f - 2 * d) +
      44 * Math.sin(l + f - 2 * d) -
      31 * Math.sin(-l + f - 2 * d) -
      25 * Math.sin(-2 * l + f) -
      23 * Math.sin(lp + f - 2 * d) +
      21 * Math.sin(-l + f) +
      11 * Math.sin(-lp + f - 2 * d)) *
    as;
  const r =
    385000 -
    20905 * Math.cos(l) -
    3699 * Math.cos(2 * d - l) -
    2956 * Math.cos(2 * d) -
    570 * Math.cos(2 * l) +
    246 * Math.cos(2 * l - 2 * d) -
    205 * Math.cos(lp - 2 * d) -
    171 * Math.cos(l + 2 * d) -
    152 * Math.cos(l + lp - 2 * d);
  return eclipticToEquatorial(lon, lat, r, out);
}

/** Days per Julian century. */
const DAYS_PER_CENTURY = 36525;

/** The Montenbruck & Gill low-precision Sun and Moon as an Ephemeris. */
export const ANALYTIC_EPHEMERIS: Ephemeris = Object.freeze({
  name: 'Montenbruck-Gill low-precision series',
  positionKm(body: EphemerisBody, jdTt: number, jdTtFrac: number, out: Vec3): Vec3 {
    const t = (jdTt - 2451545 + jdTtFrac) / DAYS_PER_CENTURY;
    return body === 'SUN' ? sunPositionLowPrecision(t, out) : moonPositionLowPrecision(t, out);
  },
});
