/**
 * Greenwich mean sidereal time (IAU 1982, Aoki et al. 1982) and the equation of the equinoxes
 * (IAU 1994, with the kinematic terms of Capitaine & Gontier 1993), as used by Vallado,
 * "Fundamentals of Astrodynamics and Applications", 4th ed. (2013), Eqs. 3-45, 3-79 and his
 * `gstime`/`sidereal`/`teme2ecef` routines.
 *
 * Deviation from Vallado's code: GMST is evaluated from a two-part UT1 Julian date with the
 * whole-day part taken out exactly, instead of from one double (which rounds the instant by up to
 * ~20 µs near 2.45e6, i.e. centimetres at LEO), and the kinematic terms switch on at 1997-02-27
 * 0h UT1 (the IAU 1994 date) where Vallado's code uses 1997-01-01 (JD 2450449.5).
 */
import { ARCSEC2RAD, SECONDS_PER_DAY, TWO_PI } from '../units/index.js';

/** JD of J2000.0. */
const JD_J2000 = 2451545.0;
/** JD (UT1) from which the IAU 1994 kinematic terms are part of the equation of the equinoxes. */
export const EQE_KINEMATIC_TERMS_FROM_JD = 2450506.5;

/** `a mod 1` in [0, 1). */
function frac(a: number): number {
  return a - Math.floor(a);
}

/**
 * GMST (IAU 1982) in [0, 2π) rad from a two-part UT1 Julian date (days):
 * θ = 67310.54841 s + (876600 h + 8640184.812866 s)·T + 0.093104 s·T² − 6.2e-6 s·T³, T in Julian
 * centuries of UT1 from J2000.0 (Vallado Eq. 3-45). The 876600 h·T term is 86400 s per day,
 * i.e. whole turns plus the day fraction, which is taken exactly from the two parts.
 */
export function gmst1982(jdUt1: number, jdUt1Frac: number): number {
  const d1 = jdUt1 - JD_J2000;
  const d2 = jdUt1Frac;
  const t = (d1 + d2) / 36525;
  const dayFraction = frac(frac(d1) + frac(d2));
  const seconds =
    67310.54841 + dayFraction * SECONDS_PER_DAY + (8640184.812866 + (0.093104 - 6.2e-6 * t) * t) * t;
  let theta = (frac(seconds / SECONDS_PER_DAY) * TWO_PI) % TWO_PI;
  if (theta < 0) theta += TWO_PI;
  return theta;
}

/**
 * Equation of the equinoxes (rad): Δψ·cos ε̄ plus, when `kinematic` is true and the date is on
 * or after 1997-02-27, the IAU 1994 terms 0.00264″ sin Ω + 0.000063″ sin 2Ω (Vallado Eq. 3-79).
 * `dPsiRad` is the nutation in longitude (including any δΔψ correction), `meanEpsRad` the mean
 * obliquity, `omegaRad` the Moon's mean node, `jdUt1` the UT1 Julian date (whole part suffices).
 */
export function equationOfEquinoxes1994(
  dPsiRad: number,
  meanEpsRad: number,
  omegaRad: number,
  jdUt1: number,
  kinematic: boolean,
): number {
  let eq = dPsiRad * Math.cos(meanEpsRad);
  if (kinematic && jdUt1 >= EQE_KINEMATIC_TERMS_FROM_JD) {
    eq += (0.00264 * Math.sin(omegaRad) + 0.000063 * Math.sin(2 * omegaRad)) * ARCSEC2RAD;
  }
  return eq;
}
