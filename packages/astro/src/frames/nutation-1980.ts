/**
 * IAU 1980 theory of nutation (Wahr/Seidelmann), 106 lunisolar terms, with the IAU 1980 mean
 * obliquity and the IAU 1976 precession angles: the "IAU-76/FK5" reduction of Vallado,
 * "Fundamentals of Astrodynamics and Applications" (4th ed., 2013, §3.7, Eqs. 3-81..3-88 and
 * Table D-6), as used by his `nutation`/`precess` routines and by Vallado et al., "Revisiting
 * Spacetrack Report #3", AIAA 2006-6753.
 *
 * Coefficients: Seidelmann, "1980 IAU Theory of Nutation: the final report of the IAU Working
 * Group on Nutation", Celest. Mech. 27 (1982) 79-106; also Explanatory Supplement to the
 * Astronomical Almanac (1992) Table 3.222.1 and Vallado's nut80.dat. Transcribed here in the
 * order of the Explanatory Supplement (the same order as the IERS/SOFA listing); the order does
 * not change the sum. The transcription was checked term by term against a second listing in
 * Vallado's (amplitude-sorted) order, after folding each term to a canonical sign; see
 * test/frames-nutation.test.ts for the column checksums and an end-to-end check.
 *
 * Fundamental arguments: the IAU 1980 (Seidelmann 1982) polynomials, in arcseconds plus whole
 * revolutions, identical to Vallado's `fundarg` '80' option.
 */

import { wrapPi } from '../math/angle.js';
import { ARCSEC2RAD, TWO_PI } from '../units/index.js';

/** JD of J2000.0 (TT). */
const JD_J2000 = 2451545.0;
/** Days per Julian century. */
const DAYS_PER_CENTURY = 36525.0;
/** 0.0001 arcsecond in radians: the unit of the nutation coefficients. */
const U2R = ARCSEC2RAD / 1e4;

/**
 * Multipliers of (l, l', F, D, Ω) per term, 106 × 5. Seidelmann (1982) / Explanatory
 * Supplement (1992) Table 3.222.1 order.
 */
// biome-ignore format: table layout
const ARG_MULTIPLIERS: readonly number[] = [
  0, 0, 0, 0, 1,    0, 0, 0, 0, 2,    -2, 0, 2, 0, 1,   2, 0, -2, 0, 0,   -2, 0, 2, 0, 2,
  1, -1, 0, -1, 0,  0, -2, 2, -2, 1,  2, 0, -2, 0, 1,   0, 0, 2, -2, 2,   0, 1, 0, 0, 0,
  0, 1, 2, -2, 2,   0, -1, 2, -2, 2,  0, 0, 2, -2, 1,   2, 0, 0, -2, 0,   0, 0, 2, -2, 0,
  0, 2, 0, 0, 0,    0, 1, 0, 0, 1,    0, 2, 2, -2, 2,   0, -1, 0, 0, 1,   -2, 0, 0, 2, 1,
  0, -1, 2, -2, 1,  2, 0, 0, -2, 1,   0, 1, 2, -2, 1,   1, 0, 0, -1, 0,   2, 1, 0, -2, 0,
  0, 0, -2, 2, 1,   0, 1, -2, 2, 0,   0, 1, 0, 0, 2,    -1, 0, 0, 1, 1,   0, 1, 2, -2, 0,
  0, 0, 2, 0, 2,    1, 0, 0, 0, 0,    0, 0, 2, 0, 1,    1, 0, 2, 0, 2,    1, 0, 0, -2, 0,
  -1, 0, 2, 0, 2,   0, 0, 0, 2, 0,    1, 0, 0, 0, 1,    -1, 0, 0, 0, 1,   -1, 0, 2, 2, 2,
  1, 0, 2, 0, 1,    0, 0, 2, 2, 2,    2, 0, 0, 0, 0,    1, 0, 2, -2, 2,   2, 0, 2, 0, 2,
  0, 0, 2, 0, 0,    -1, 0, 2, 0, 1,   -1, 0, 0, 2, 1,   1, 0, 0, -2, 1,   -1, 0, 2, 2, 1,
  1, 1, 0, -2, 0,   0, 1, 2, 0, 2,    0, -1, 2, 0, 2,   1, 0, 2, 2, 2,    1, 0, 0, 2, 0,
  2, 0, 2, -2, 2,   0, 0, 0, 2, 1,    0, 0, 2, 2, 1,    1, 0, 2, -2, 1,   0, 0, 0, -2, 1,
  1, -1, 0, 0, 0,   2, 0, 2, 0, 1,    0, 1, 0, -2, 0,   1, 0, -2, 0, 0,   0, 0, 0, 1, 0,
  1, 1, 0, 0, 0,    1, 0, 2, 0, 0,    1, -1, 2, 0, 2,   -1, -1, 2, 2, 2,  -2, 0, 0, 0, 1,
  3, 0, 2, 0, 2,    0, -1, 2, 2, 2,   1, 1, 2, 0, 2,    -1, 0, 2, -2, 1,  2, 0, 0, 0, 1,
  1, 0, 0, 0, 2,    3, 0, 0, 0, 0,    0, 0, 2, 1, 2,    -1, 0, 0, 0, 2,   1, 0, 0, -4, 0,
  -2, 0, 2, 2, 2,   -1, 0, 2, 4, 2,   2, 0, 0, -4, 0,   1, 1, 2, -2, 2,   1, 0, 2, 2, 1,
  -2, 0, 2, 4, 2,   -1, 0, 4, 0, 2,   1, -1, 0, -2, 0,  2, 0, 2, -2, 1,   2, 0, 2, 2, 2,
  1, 0, 0, 2, 1,    0, 0, 4, -2, 2,   3, 0, 2, -2, 2,   1, 0, 2, -2, 0,   0, 1, 2, 0, 1,
  -1, -1, 0, 2, 1,  0, 0, -2, 0, 1,   0, 0, 2, -1, 2,   0, 1, 0, 2, 0,    1, 0, -2, -2, 0,
  0, -1, 2, 0, 1,   1, 1, 0, -2, 1,   1, 0, -2, 2, 0,   2, 0, 0, 2, 0,    0, 0, 2, 4, 2,
  0, 1, 0, 1, 0,
];

/**
 * Coefficients per term, 106 × 4, unit 0.0001″ (and 0.0001″ per Julian century):
 * A (sin, Δψ), B (its rate), C (cos, Δε), D (its rate). Same order as ARG_MULTIPLIERS.
 */
// biome-ignore format: table layout
const COEFFICIENTS: readonly number[] = [
  -171996, -174.2, 92025, 8.9,   2062, 0.2, -895, 0.5,   46, 0, -24, 0,   11, 0, 0, 0,   -3, 0, 1, 0,
  -3, 0, 0, 0,   -2, 0, 1, 0,   1, 0, 0, 0,   -13187, -1.6, 5736, -3.1,   1426, -3.4, 54, -0.1,
  -517, 1.2, 224, -0.6,   217, -0.5, -95, 0.3,   129, 0.1, -70, 0,   48, 0, 1, 0,   -22, 0, 0, 0,
  17, -0.1, 0, 0,   -15, 0, 9, 0,   -16, 0.1, 7, 0,   -12, 0, 6, 0,   -6, 0, 3, 0,
  -5, 0, 3, 0,   4, 0, -2, 0,   4, 0, -2, 0,   -4, 0, 0, 0,   1, 0, 0, 0,
  1, 0, 0, 0,   -1, 0, 0, 0,   1, 0, 0, 0,   1, 0, 0, 0,   -1, 0, 0, 0,
  -2274, -0.2, 977, -0.5,   712, 0.1, -7, 0,   -386, -0.4, 200, 0,   -301, 0, 129, -0.1,   -158, 0, -1, 0,
  123, 0, -53, 0,   63, 0, -2, 0,   63, 0.1, -33, 0,   -58, -0.1, 32, 0,   -59, 0, 26, 0,
  -51, 0, 27, 0,   -38, 0, 16, 0,   29, 0, -1, 0,   29, 0, -12, 0,   -31, 0, 13, 0,
  26, 0, -1, 0,   21, 0, -10, 0,   16, 0, -8, 0,   -13, 0, 7, 0,   -10, 0, 5, 0,
  -7, 0, 0, 0,   7, 0, -3, 0,   -7, 0, 3, 0,   -8, 0, 3, 0,   6, 0, 0, 0,
  6, 0, -3, 0,   -6, 0, 3, 0,   -7, 0, 3, 0,   6, 0, -3, 0,   -5, 0, 3, 0,
  5, 0, 0, 0,   -5, 0, 3, 0,   -4, 0, 0, 0,   4, 0, 0, 0,   -4, 0, 0, 0,
  -3, 0, 0, 0,   3, 0, 0, 0,   -3, 0, 1, 0,   -3, 0, 1, 0,   -2, 0, 1, 0,
  -3, 0, 1, 0,   -3, 0, 1, 0,   2, 0, -1, 0,   -2, 0, 1, 0,   2, 0, -1, 0,
  -2, 0, 1, 0,   2, 0, 0, 0,   2, 0, -1, 0,   1, 0, -1, 0,   -1, 0, 0, 0,
  1, 0, -1, 0,   -2, 0, 1, 0,   -1, 0, 0, 0,   1, 0, -1, 0,   -1, 0, 1, 0,
  -1, 0, 1, 0,   1, 0, 0, 0,   1, 0, 0, 0,   1, 0, -1, 0,   -1, 0, 0, 0,
  -1, 0, 0, 0,   1, 0, 0, 0,   1, 0, 0, 0,   -1, 0, 0, 0,   1, 0, 0, 0,
  1, 0, 0, 0,   -1, 0, 0, 0,   -1, 0, 0, 0,   -1, 0, 0, 0,   -1, 0, 0, 0,
  -1, 0, 0, 0,   -1, 0, 0, 0,   -1, 0, 0, 0,   1, 0, 0, 0,   -1, 0, 0, 0,
  1, 0, 0, 0,
];

/** Number of terms in the IAU 1980 series. */
export const NUTATION_1980_TERM_COUNT = 106;

/** One term of the series, as published (for checksums and inspection). */
export interface Nutation1980Term {
  /** Multipliers of l, l′, F, D, Ω. */
  readonly multipliers: readonly [number, number, number, number, number];
  /** A, B (Δψ sine coefficient and its rate), C, D (Δε cosine coefficient and its rate), 0.0001″. */
  readonly coefficients: readonly [number, number, number, number];
}

/** The 106 terms as records (allocates; for tests and documentation, not hot loops). */
export function nutation1980Terms(): Nutation1980Term[] {
  const out: Nutation1980Term[] = [];
  for (let j = 0; j < NUTATION_1980_TERM_COUNT; j++) {
    const m = ARG_MULTIPLIERS;
    const c = COEFFICIENTS;
    out.push({
      multipliers: [m[5 * j]!, m[5 * j + 1]!, m[5 * j + 2]!, m[5 * j + 3]!, m[5 * j + 4]!],
      coefficients: [c[4 * j]!, c[4 * j + 1]!, c[4 * j + 2]!, c[4 * j + 3]!],
    });
  }
  return out;
}

/** Julian centuries of TT since J2000.0 from a two-part TT Julian date. */
export function centuriesTt(jdTt: number, jdTtFrac: number): number {
  return (jdTt - JD_J2000 + jdTtFrac) / DAYS_PER_CENTURY;
}

/**
 * Delaunay arguments l, l′, F, D, Ω (rad) at `t` Julian centuries of TT, IAU 1980
 * (Seidelmann 1982; Vallado Eq. 3-82). Written into `out` (length ≥ 5).
 */
export function fundamentalArguments1980(t: number, out: number[]): number[] {
  out[0] = wrapPi(
    (485866.733 + (715922.633 + (31.31 + 0.064 * t) * t) * t) * ARCSEC2RAD + ((1325 * t) % 1) * TWO_PI,
  );
  out[1] = wrapPi(
    (1287099.804 + (1292581.224 + (-0.577 - 0.012 * t) * t) * t) * ARCSEC2RAD + ((99 * t) % 1) * TWO_PI,
  );
  out[2] = wrapPi(
    (335778.877 + (295263.137 + (-13.257 + 0.011 * t) * t) * t) * ARCSEC2RAD + ((1342 * t) % 1) * TWO_PI,
  );
  out[3] = wrapPi(
    (1072261.307 + (1105601.328 + (-6.891 + 0.019 * t) * t) * t) * ARCSEC2RAD + ((1236 * t) % 1) * TWO_PI,
  );
  out[4] = wrapPi(
    (450160.28 + (-482890.539 + (7.455 + 0.008 * t) * t) * t) * ARCSEC2RAD + ((-5 * t) % 1) * TWO_PI,
  );
  return out;
}

/** Mean obliquity of the ecliptic, IAU 1980 (Vallado Eq. 3-81), rad, at `t` centuries TT. */
export function meanObliquity1980(t: number): number {
  return (84381.448 + (-46.815 + (-0.00059 + 0.001813 * t) * t) * t) * ARCSEC2RAD;
}

/**
 * IAU 1976 precession angles ζ, θ, z (rad) from J2000.0 to `t` centuries TT (Lieske 1977;
 * Vallado Eq. 3-88), written into `out` (length ≥ 3).
 */
export function precessionAngles1976(t: number, out: number[]): number[] {
  out[0] = (2306.2181 + (0.30188 + 0.017998 * t) * t) * t * ARCSEC2RAD;
  out[1] = (2004.3109 + (-0.42665 - 0.041833 * t) * t) * t * ARCSEC2RAD;
  out[2] = (2306.2181 + (1.09468 + 0.018203 * t) * t) * t * ARCSEC2RAD;
  return out;
}

const scratchArgs: number[] = [0, 0, 0, 0, 0];

/**
 * Nutation in longitude Δψ and in obliquity Δε (rad) from the 106-term IAU 1980 series, without
 * any EOP correction, at `t` centuries TT. Writes [Δψ, Δε, Ω] into `out` (Ω, the Moon's node,
 * is what the equation of the equinoxes' kinematic terms need).
 */
export function nutation1980(t: number, out: number[]): number[] {
  const a = fundamentalArguments1980(t, scratchArgs);
  const l = a[0]!;
  const lp = a[1]!;
  const f = a[2]!;
  const d = a[3]!;
  const om = a[4]!;
  let dp = 0;
  let de = 0;
  // Smallest terms first, so the big ones are added last (less rounding).
  for (let j = NUTATION_1980_TERM_COUNT - 1; j >= 0; j--) {
    const k = 5 * j;
    const arg =
      ARG_MULTIPLIERS[k]! * l +
      ARG_MULTIPLIERS[k + 1]! * lp +
      ARG_MULTIPLIERS[k + 2]! * f +
      ARG_MULTIPLIERS[k + 3]! * d +
      ARG_MULTIPLIERS[k + 4]! * om;
    const c = 4 * j;
    const s = COEFFICIENTS[c]! + COEFFICIENTS[c + 1]! * t;
    const e = COEFFICIENTS[c + 2]! + COEFFICIENTS[c + 3]! * t;
    if (s !== 0) dp += s * Math.sin(arg);
    if (e !== 0) de += e * Math.cos(arg);
  }
  out[0] = dp * U2R;
  out[1] = de * U2R;
  out[2] = om;
  return out;
}
