/**
 * Builds the FrameEpoch that frame transformations consume: TT and UT1 as Julian date pairs and
 * the interpolated Earth orientation parameters, from an Instant and an AstroContext.
 *
 * Without an EOP table (documented fallback, flagged `eopStatus: 'none'`): UT1 = UTC, polar motion,
 * LOD and nutation corrections 0. This is what SGP4/TEME users usually accept (errors up to 0.9 s
 * of Earth rotation ≈ 400 m at the equator and ~0.5″ of pole ≈ 15 m); with an EOP table, the
 * table's range and prediction policy apply and violations throw (`EOP_OUT_OF_RANGE`,
 * `EOP_PREDICTION_NOT_ALLOWED`).
 *
 * δΔψ, δΔε in the FrameEpoch are IAU 1980 corrections: only IAU 1980 EOP files (finals.all) carry
 * them; with finals2000A or C04 they are 0 and dX, dY (IAU 2000A) are given separately.
 */

import { MJD_JD_OFFSET } from '../math/calendar.js';
import type { FrameEpoch } from '../time/frame-epoch.js';
import type { Instant } from '../time/instant.js';
import { TAI_FRAC, uniformDayTime } from '../time/scales.js';
import { instantFromUtcJulianDate, utcDayTime } from '../time/utc.js';
import type { AstroContext } from './astro-context.js';

/** Where the EOP of a FrameEpoch came from ('held': the table's nearest row, outside the table). */
export type EopStatus = 'none' | 'final' | 'predicted' | 'held';

/** A FrameEpoch plus what it was built from. */
export interface FrameEpochInfo extends FrameEpoch {
  /** 'none' when the context has no EOP (fallback values), else final or predicted values. */
  readonly eopStatus: EopStatus;
  /** Celestial pole offsets w.r.t. IAU 2000A, rad (0 without EOP or when the file has none). */
  readonly dXRad: number;
  readonly dYRad: number;
  /** UT1 − UTC used, s. */
  readonly ut1MinusUtcS: number;
  /** TAI − UTC at the instant, s. */
  readonly taiMinusUtcS: number;
  /** Days between the instant and the held row (0 unless `eopStatus` is 'held'). */
  readonly eopHeldDays: number;
}

/**
 * The FrameEpoch of an instant. Throws `TIME_OUT_OF_RANGE` outside the leap second table and the
 * EOP errors described in the module header; with `ctx.eopBeyondTable === 'hold-last'` an instant
 * outside the EOP table gets the nearest row's values (`eopStatus: 'held'`, `eopHeldDays`; the
 * uncertainty of such a value is given by eop/eop-uncertainty.ts).
 */
export function frameEpochAt(t: Instant, ctx: AstroContext): FrameEpochInfo {
  const utc = utcDayTime(t, ctx.leapSeconds);
  const [jdTt, jdTtFrac] = t.ttJulianDate();
  let ut1MinusUtcS = 0;
  let xpRad = 0;
  let ypRad = 0;
  let lodS = 0;
  let dXRad = 0;
  let dYRad = 0;
  let dPsiRad = 0;
  let dEpsRad = 0;
  let eopStatus: EopStatus = 'none';
  let eopHeldDays = 0;
  if (ctx.eop !== undefined) {
    let mjd = utc.mjd + (utc.secInt + utc.secFrac) / utc.lengthS;
    if (ctx.eopBeyondTable === 'hold-last' && !(mjd >= ctx.eop.firstMjd && mjd <= ctx.eop.lastMjd)) {
      const held = mjd > ctx.eop.lastMjd ? ctx.eop.lastMjd : ctx.eop.firstMjd;
      eopHeldDays = Math.abs(mjd - held);
      mjd = held;
    }
    const v = ctx.eop.interpolate(mjd, {
      allowPredictions: ctx.allowEopPredictions,
    });
    ut1MinusUtcS = v.ut1MinusUtcS;
    xpRad = v.xpRad;
    ypRad = v.ypRad;
    lodS = v.lodS;
    dXRad = v.dXRad;
    dYRad = v.dYRad;
    dPsiRad = v.dPsiRad;
    dEpsRad = v.dEpsRad;
    eopStatus = eopHeldDays > 0 ? 'held' : v.predicted ? 'predicted' : 'final';
  }
  // UT1 − TT = (UT1 − UTC) − (TAI − UTC) − 32.184 s, continuous across leap seconds; split as
  // whole seconds (−33 − ⌊TAI − UTC⌋) plus a fraction so that whole seconds stay exact.
  const datI = Math.floor(utc.taiMinusUtcS);
  const ut1 = uniformDayTime(t, -33 - datI, TAI_FRAC + ut1MinusUtcS - (utc.taiMinusUtcS - datI));
  const jdUt1 = ut1.mjd + MJD_JD_OFFSET;
  const jdUt1Frac = (ut1.secInt + ut1.secFrac) / ut1.lengthS;
  return {
    jdTt,
    jdTtFrac,
    jdUt1,
    jdUt1Frac,
    xpRad,
    ypRad,
    lodS,
    dPsiRad,
    dEpsRad,
    eopStatus,
    dXRad,
    dYRad,
    ut1MinusUtcS,
    taiMinusUtcS: utc.taiMinusUtcS,
    eopHeldDays,
  };
}

/**
 * The instant of a UTC Julian date pair (jd + jdFrac days, any split), SOFA convention: on a leap
 * second day the day fraction spans 86401 s (see time/utc.ts). Not for element-set epochs and
 * SGP4 times, which are UTC labels of 86,400 s days: use sgp4/epoch-time.ts `instantOfUtcLabel`.
 */
export function utcJulianDateToInstant(jd: number, jdFrac: number, ctx: AstroContext): Instant {
  return instantFromUtcJulianDate(jd, jdFrac, ctx);
}
