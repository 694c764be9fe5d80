/**
 * Time scales as views of an Instant: TAI, TT, UTC, UT1, TDB, GPS; Julian date pairs and MJD in each.
 *
 * - TT = TAI + 32.184 s (IAU 1991); GPS = TAI − 19 s (GPS time, ICD-GPS-200, epoch 1980-01-06 UTC).
 * - UTC: leap seconds and 1961–1971 drift from the context's table (utc.ts).
 * - UT1 = UTC + (UT1 − UTC) from the context's EOP table (SOFA iauUtcut1: UT1 − TAI = ΔUT1 − ΔAT).
 *   No EOP table: AstroError `EOP_NOT_LOADED` (frameEpochAt has its own documented fallback).
 * - TDB − TT: the 7-term series of Fairhead & Bretagnon (1990) as truncated in USNO Circular 179
 *   (Kaplan 2005) eq. 2.6 and IERS TN 32 ch. 10: 0.001657 s sin(628.3076 T + 6.2401) + … with T in
 *   Julian centuries TT from J2000.0. Geocentric; accurate to about 10 µs over 1600–2200 (the
 *   topocentric term of SOFA iauDtdb, ≤ 2 µs, is omitted). Periodic amplitude ~1.66 ms.
 *
 * Julian date pairs are {jd, frac}: `jd` the JD of 0h of the scale's day (ending in .5) and `frac`
 * the day fraction in [0, 1); for UTC the fraction of a leap second day is over 86401 s (SOFA).
 */
import { AstroError } from '../errors.js';
import { MJD_JD_OFFSET } from '../math/calendar.js';
import { Instant, JD_J2000, TT_MINUS_TAI_S } from './instant.js';
import {
  type CalendarFields,
  dayTimeFromFields,
  fieldsFromDayTime,
  instantFromUtcDaySeconds,
  instantFromUtcJulianDate,
  type JulianDatePair,
  mjdDayFraction,
  type ScaleDayTime,
  type TimeContext,
  utcDayTime,
} from './utc.js';

export type TimeScale = 'TAI' | 'TT' | 'UTC' | 'UT1' | 'TDB' | 'GPS';

/** All supported scales, in a stable order. */
export const TIME_SCALES: readonly TimeScale[] = ['TAI', 'TT', 'UTC', 'UT1', 'TDB', 'GPS'];

/** TAI − GPS time, s (exact; GPS time was set equal to UTC on 1980-01-06 when TAI − UTC = 19 s). */
export const TAI_MINUS_GPS_S = 19;

/** MJD of the GPS epoch, 1980-01-06 (a Sunday). */
const GPS_EPOCH_MJD = 44244;

const MJD_2000 = 51544;

/**
 * TDB − TT in seconds at TT Julian date jdTt + jdTtFrac (USNO Circular 179 eq. 2.6; see header).
 */
export function tdbMinusTtS(jdTt: number, jdTtFrac = 0): number {
  const t = (jdTt - JD_J2000 + jdTtFrac) / 36525;
  return (
    0.001657 * Math.sin(628.3076 * t + 6.2401) +
    0.000022 * Math.sin(575.3385 * t + 4.297) +
    0.000014 * Math.sin(1256.6152 * t + 6.1969) +
    0.000005 * Math.sin(606.9777 * t + 4.0212) +
    0.000005 * Math.sin(52.9691 * t + 0.4444) +
    0.000002 * Math.sin(21.3299 * t + 5.5431) +
    0.00001 * t * Math.sin(628.3076 * t + 4.249)
  );
}

/** UT1 − UTC (s) at an instant, interpolated in the context's EOP table, and whether predicted. */
export function ut1MinusUtcAt(t: Instant, ctx: TimeContext): { ut1MinusUtcS: number; predicted: boolean } {
  if (ctx.eop === undefined) {
    throw new AstroError(
      'EOP_NOT_LOADED',
      'UT1 needs Earth orientation parameters: load an EOP table in the context',
    );
  }
  const d = utcDayTime(t, ctx.leapSeconds);
  const v = ctx.eop.interpolate(d.mjd + (d.secInt + d.secFrac) / d.lengthS, {
    allowPredictions: ctx.allowEopPredictions === true,
  });
  return { ut1MinusUtcS: v.ut1MinusUtcS, predicted: v.predicted };
}

/**
 * Reading of `scale` minus TT at an instant, s, for the uniform scales (TAI, TT, GPS, TDB, UT1).
 * UT1 − TT = (UT1 − UTC) − (TAI − UTC) − 32.184 s. Not defined for UTC (use utc.ts).
 */
export function scaleMinusTtS(t: Instant, scale: Exclude<TimeScale, 'UTC'>, ctx: TimeContext): number {
  switch (scale) {
    case 'TT':
      return 0;
    case 'TAI':
      return -TT_MINUS_TAI_S;
    case 'GPS':
      return -TT_MINUS_TAI_S - TAI_MINUS_GPS_S;
    case 'TDB': {
      const [jd, fr] = t.ttJulianDate();
      return tdbMinusTtS(jd, fr);
    }
    case 'UT1': {
      const d = utcDayTime(t, ctx.leapSeconds);
      return ut1MinusUtcAt(t, ctx).ut1MinusUtcS - d.taiMinusUtcS - TT_MINUS_TAI_S;
    }
  }
}

/**
 * Reading of a uniform scale minus TT as [integer, fraction] seconds, split so that the exact
 * offsets (TAI: −33 + 0.816, GPS: −52 + 0.816) keep whole seconds whole.
 */
function offsetSplit(t: Instant, scale: Exclude<TimeScale, 'UTC'>, ctx: TimeContext): [number, number] {
  switch (scale) {
    case 'TT':
      return [0, 0];
    case 'TAI':
      return [-33, TAI_FRAC];
    case 'GPS':
      return [-33 - TAI_MINUS_GPS_S, TAI_FRAC];
    case 'TDB':
      return [0, scaleMinusTtS(t, 'TDB', ctx)];
    case 'UT1': {
      const d = utcDayTime(t, ctx.leapSeconds);
      const datI = Math.floor(d.taiMinusUtcS);
      return [-33 - datI, TAI_FRAC + ut1MinusUtcAt(t, ctx).ut1MinusUtcS - (d.taiMinusUtcS - datI)];
    }
  }
}

/** 33 − 32.184 s: TAI − TT = −33 s + TAI_FRAC (internal: also used by context/frame-epoch-at.ts). */
export const TAI_FRAC = 0.816;

/**
 * Day and second of day of an instant in a uniform scale whose reading is TT + offI + offF
 * (internal: also used by context/frame-epoch-at.ts).
 */
export function uniformDayTime(t: Instant, offI: number, offF: number): ScaleDayTime {
  const fi = Math.floor(offF);
  let ti = t.s + offI + fi + 43200;
  let tf = t.f + (offF - fi);
  if (tf >= 1) {
    ti += 1;
    tf -= 1;
  }
  const day = Math.floor(ti / 86400);
  return { mjd: MJD_2000 + day, secInt: ti - day * 86400, secFrac: tf, lengthS: 86400 };
}

function uniformInstant(
  mjd: number,
  secInt: number,
  secFrac: number,
  [offI, offF]: [number, number],
): Instant {
  const fi = Math.floor(offF);
  return Instant.fromJ2000Seconds(
    (mjd - MJD_2000) * 86400 + secInt - 43200 - offI - fi,
    secFrac - (offF - fi),
  );
}

/** Day and second of day of an instant in any scale (UTC: with leap seconds). */
export function scaleDayTime(t: Instant, scale: TimeScale, ctx: TimeContext): ScaleDayTime {
  if (scale === 'UTC') {
    const d = utcDayTime(t, ctx.leapSeconds);
    return { mjd: d.mjd, secInt: d.secInt, secFrac: d.secFrac, lengthS: d.lengthS };
  }
  return uniformDayTime(t, ...offsetSplit(t, scale, ctx));
}

/**
 * The instant at a day and second of day of a scale. TDB and UT1 depend on the instant itself and
 * are solved by fixed-point iteration (3 passes: the offsets change by < 1e-8 s per s).
 */
export function instantFromScaleDayTime(
  mjd: number,
  secInt: number,
  secFrac: number,
  scale: TimeScale,
  ctx: TimeContext,
): Instant {
  switch (scale) {
    case 'UTC':
      return instantFromUtcDaySeconds(mjd, secInt, secFrac, ctx.leapSeconds);
    case 'TT':
    case 'TAI':
    case 'GPS':
      return uniformInstant(mjd, secInt, secFrac, offsetSplit(Instant.fromJ2000Seconds(0), scale, ctx));
    case 'TDB':
    case 'UT1': {
      // First guess: TDB ≈ TT; UT1 ≈ UTC (then correct with the offset at the guess).
      let guess =
        scale === 'TDB'
          ? uniformInstant(mjd, secInt, secFrac, [0, 0])
          : instantFromUtcDaySeconds(mjd, Math.min(secInt, 86399), secFrac, ctx.leapSeconds);
      for (let k = 0; k < 3; k++)
        guess = uniformInstant(mjd, secInt, secFrac, offsetSplit(guess, scale, ctx));
      return guess;
    }
  }
}

/** Julian date pair of an instant in a scale. */
export function julianDateIn(t: Instant, scale: TimeScale, ctx: TimeContext): JulianDatePair {
  const d = scaleDayTime(t, scale, ctx);
  return { jd: d.mjd + MJD_JD_OFFSET, frac: (d.secInt + d.secFrac) / d.lengthS };
}

/** Modified Julian date (one double, ~1e-11 day resolution near 2000) of an instant in a scale. */
export function mjdIn(t: Instant, scale: TimeScale, ctx: TimeContext): number {
  const d = scaleDayTime(t, scale, ctx);
  return d.mjd + (d.secInt + d.secFrac) / d.lengthS;
}

/** The instant of a Julian date pair (jd + frac, any split) read in a scale. */
export function instantFromJulianDateIn(
  jd: number,
  frac: number,
  scale: TimeScale,
  ctx: TimeContext,
): Instant {
  if (scale === 'UTC') return instantFromUtcJulianDate(jd, frac, ctx);
  if (!Number.isFinite(jd) || !Number.isFinite(frac)) {
    throw new AstroError('TIME_INVALID_FIELDS', `Julian date must be finite, got ${jd} + ${frac}`, {
      jd,
      frac,
    });
  }
  const [mjd, fd] = mjdDayFraction(jd, frac);
  const u = fd * 86400;
  const secInt = Math.floor(u);
  return instantFromScaleDayTime(mjd, secInt, u - secInt, scale, ctx);
}

/** Calendar fields of an instant in a scale (UTC may show 23:59:60). */
export function instantToFields(t: Instant, scale: TimeScale, ctx: TimeContext): CalendarFields {
  const d = scaleDayTime(t, scale, ctx);
  return fieldsFromDayTime(d.mjd, d.secInt, d.secFrac);
}

/**
 * The instant of calendar fields read in a scale. Second 60 is valid only in UTC on a leap second
 * day. Throws `TIME_INVALID_FIELDS`, `TIME_OUT_OF_RANGE`, or EOP errors for UT1.
 */
export function fieldsToInstant(fields: CalendarFields, scale: TimeScale, ctx: TimeContext): Instant {
  const lengthOf = scale === 'UTC' ? (mjd: number) => ctx.leapSeconds.dayInfo(mjd).lengthS : () => 86400;
  const [mjd, secInt, secFrac] = dayTimeFromFields(fields, lengthOf);
  return instantFromScaleDayTime(mjd, secInt, secFrac, scale, ctx);
}

/** GPS week number (from 1980-01-06, not rolled over) and seconds of week of an instant. */
export function gpsWeekSeconds(t: Instant): { week: number; secondsOfWeek: number } {
  const d = uniformDayTime(t, -33 - TAI_MINUS_GPS_S, TAI_FRAC);
  const days = d.mjd - GPS_EPOCH_MJD;
  const week = Math.floor(days / 7);
  return { week, secondsOfWeek: (days - week * 7) * 86400 + d.secInt + d.secFrac };
}

/** The instant of a GPS week number (not rolled over) and seconds of week. */
export function instantFromGpsWeekSeconds(week: number, secondsOfWeek: number): Instant {
  const si = Math.floor(secondsOfWeek);
  return uniformInstant(GPS_EPOCH_MJD + week * 7, si, secondsOfWeek - si, [-33 - TAI_MINUS_GPS_S, TAI_FRAC]);
}
