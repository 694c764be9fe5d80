/**
 * How uncertain EOP values are after the last observed (final) value: the error law that IERS
 * Bulletin A prints under its prediction table (IERS Rapid Service/Prediction Centre, "The
 * standard deviations of the predictions"):
 *
 *   σ(UT1 − UTC) = 0.00025 s × d^0.75,   σ(x), σ(y) = 0.00068″ × d^0.80,
 *
 * d being days after the last observed value. finals2000A.all carries about a year of predictions
 * (d ≈ 365: σ(UT1 − UTC) ≈ 21 ms, σ(x, y) ≈ 77 mas). Past the table's last row a caller may hold the
 * last row; that hold ignores the drift of UT1 − UTC (the length of day, about 1 ms per day), so
 * the stated uncertainty of a held value adds |LOD| × days held to the Bulletin A law. Where the
 * held row has no LOD (finals2000A leaves it blank in its first and last rows), a bound of 4 ms per
 * day is used: the excess length of day has stayed below it since the 1960s (its largest values,
 * about 3 to 4 ms, were around 1972), so the stated figure is then an upper-end estimate. No
 * figure exceeds 1.8 s: UTC keeps |UT1 − UTC| below 0.9 s, so no held value is further off.
 */

/** Bulletin A UT1 − UTC prediction error coefficient, s. */
const UT1_SIGMA_COEF_S = 0.00025;
const UT1_SIGMA_EXP = 0.75;
/** Bulletin A polar motion prediction error coefficient, arcsec. */
const PM_SIGMA_COEF_ARCSEC = 0.00068;
const PM_SIGMA_EXP = 0.8;
/** Excess length of day assumed for a held row without LOD, s per day (see the module header). */
export const HELD_LOD_BOUND_S = 0.004;
/** Largest possible error of a UT1 − UTC value, s (both the value and the truth lie in ±0.9 s). */
const UT1_MINUS_UTC_SPAN_S = 1.8;
/** Earth rotation rate, rad/s (IERS Conventions 2010, ω = 7.292115e-5 rad/s). */
const EARTH_ROTATION_RAD_S = 7.292115e-5;

export interface EopUncertainty {
  /** One-sigma uncertainty of UT1 − UTC, s. */
  readonly ut1MinusUtcS: number;
  /** One-sigma uncertainty of each polar-motion component, arcsec. */
  readonly polarMotionArcsec: number;
}

/**
 * Uncertainty of an EOP value `daysAfterFinal` days after the last final value; `daysHeld` days of
 * it outside the table where its nearest row is held, with `lodS` that row's length-of-day excess
 * (s; 0 or absent when the row has none: HELD_LOD_BOUND_S is used). Days < 0 count as 0.
 */
export function eopUncertainty(daysAfterFinal: number, daysHeld = 0, lodS?: number): EopUncertainty {
  const d = Math.max(0, daysAfterFinal);
  const lod = lodS === undefined || lodS === 0 ? HELD_LOD_BOUND_S : Math.abs(lodS);
  const held = Math.max(0, daysHeld);
  return {
    ut1MinusUtcS: Math.min(
      UT1_MINUS_UTC_SPAN_S,
      UT1_SIGMA_COEF_S * d ** UT1_SIGMA_EXP + (held > 0 ? lod * held : 0),
    ),
    polarMotionArcsec: PM_SIGMA_COEF_ARCSEC * d ** PM_SIGMA_EXP,
  };
}

/** Along-the-equator displacement, km, of an Earth-fixed point at radius `rKm` for a UT1 error of `ut1S`. */
export function ut1ErrorKm(ut1S: number, rKm: number): number {
  return EARTH_ROTATION_RAD_S * ut1S * rKm;
}
