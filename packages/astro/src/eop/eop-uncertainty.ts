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
 * the stated uncertainty of a held value adds |LOD| × days held to the Bulletin A law.
 */

/** Bulletin A UT1 − UTC prediction error coefficient, s. */
const UT1_SIGMA_COEF_S = 0.00025;
const UT1_SIGMA_EXP = 0.75;
/** Bulletin A polar motion prediction error coefficient, arcsec. */
const PM_SIGMA_COEF_ARCSEC = 0.00068;
const PM_SIGMA_EXP = 0.8;
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
 * it beyond the table's last row where the last row is held, with `lodS` the held length-of-day
 * excess (s). Both days ≥ 0.
 */
export function eopUncertainty(daysAfterFinal: number, daysHeld = 0, lodS = 0): EopUncertainty {
  const d = Math.max(0, daysAfterFinal);
  return {
    ut1MinusUtcS: UT1_SIGMA_COEF_S * d ** UT1_SIGMA_EXP + Math.abs(lodS) * Math.max(0, daysHeld),
    polarMotionArcsec: PM_SIGMA_COEF_ARCSEC * d ** PM_SIGMA_EXP,
  };
}

/** Along-the-equator displacement, km, of an Earth-fixed point at radius `rKm` for a UT1 error of `ut1S`. */
export function ut1ErrorKm(ut1S: number, rKm: number): number {
  return EARTH_ROTATION_RAD_S * ut1S * rKm;
}
