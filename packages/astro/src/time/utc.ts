/**
 * UTC as calendar fields ↔ Instant, exact across leap seconds.
 *
 * UTC exists only as calendar fields {year, month, day, hour, minute, second}; on a day that ends
 * with a positive leap second, 23:59:60.xxx is a valid time. Conversions follow SOFA
 * (iauDtf2d, iauUtctai, iauTaiutc): TAI at UTC second-of-day `u` of day D is
 * `D·86400 + dat(D, 0h) + u·(1 + drift/86400)` (see leap-seconds.ts), which also covers the
 * 1961–1971 "rubber seconds".
 *
 * UTC Julian date pairs (as used by TLE epochs) follow SOFA's quasi-JD convention: the fraction of
 * a UTC day is `u / L` where L is the day's length in UTC seconds (86401 on a leap second day,
 * 86400 otherwise), so 2016-12-31T23:59:60.5 is JD 2457753.5 + 86400.5/86401. Every other day
 * uses 86400 s per day.
 */

import type { EopTable } from '../eop/eop-table.js';
import { AstroError } from '../errors.js';
import {
  calendarFromMjd,
  daysInMonth,
  isValidDate,
  MJD_JD_OFFSET,
  mjdFromCalendar,
} from '../math/calendar.js';
import { Instant } from './instant.js';
import type { LeapSecondTable } from './leap-seconds.js';

/** The tables that time conversions need. `AstroContext` (context/) satisfies it. */
export interface TimeContext {
  readonly leapSeconds: LeapSecondTable;
  /** Earth orientation parameters; needed for UT1. */
  readonly eop?: EopTable | undefined;
  /** Opt-in to EOP predictions (default false: predicted values are an error). */
  readonly allowEopPredictions?: boolean | undefined;
}

/**
 * Calendar fields of a time in some scale. `second` is in [0, 60), or [60, 61) during a positive
 * leap second of UTC (hour 23, minute 59). All other fields are integers.
 */
export interface CalendarFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** UTC calendar fields. */
export type UtcFields = CalendarFields;

/** A two-part Julian date: `jd` (days, normally ending in .5, a midnight) plus `frac` (days). */
export interface JulianDatePair {
  readonly jd: number;
  readonly frac: number;
}

/**
 * A time of a scale split into its day and second of day, used for formatting:
 * `mjd` integer, `secInt` integer seconds of day, `secFrac` in [0, 1), `lengthS` the day length.
 */
export interface ScaleDayTime {
  readonly mjd: number;
  readonly secInt: number;
  readonly secFrac: number;
  readonly lengthS: number;
}

/** MJD of 2000-01-01 (the origin of the internal TAI second count). */
const MJD_2000 = 51544;
/**
 * Instant seconds (TT since J2000.0 = 2000-01-01T12:00:00 TT) to TAI seconds since
 * 2000-01-01T00:00:00 TAI: add 43200 − 32.184 = 43167.816, split as 43167 + 0.816.
 */
const TAI_SHIFT_INT = 43167;
const TAI_SHIFT_FRAC = 0.816;

/** TAI seconds since 2000-01-01T00:00:00 TAI as [integer, fraction in [0, 1)]. */
export function taiSecondsSince2000(t: Instant): [number, number] {
  let i = t.s + TAI_SHIFT_INT;
  let f = t.f + TAI_SHIFT_FRAC;
  if (f >= 1) {
    i += 1;
    f -= 1;
  }
  return [i, f];
}

/** The Instant at TAI seconds since 2000-01-01T00:00:00 TAI given as integer + fraction. */
export function instantFromTaiSeconds2000(i: number, f: number): Instant {
  return Instant.fromJ2000Seconds(i - TAI_SHIFT_INT, f - TAI_SHIFT_FRAC);
}

function invalid(field: string, message: string, value: unknown): AstroError {
  return new AstroError('TIME_INVALID_FIELDS', message, { field, value });
}

/**
 * Instant of a UTC day and second of day (SOFA iauUtctai). `secInt` integer, `secFrac` any
 * fraction (may be 0 ≤ secFrac < 1). Throws `TIME_OUT_OF_RANGE` or `TIME_INVALID_FIELDS`.
 */
export function instantFromUtcDaySeconds(
  mjd: number,
  secInt: number,
  secFrac: number,
  table: LeapSecondTable,
): Instant {
  const info = table.dayInfo(mjd);
  const u = secInt + secFrac;
  if (u < 0 || u >= info.lengthS) {
    throw invalid('second', `second of day ${u} is outside this UTC day of ${info.lengthS} s`, u);
  }
  const datI = Math.floor(info.taiMinusUtc0S);
  const datF = info.taiMinusUtc0S - datI;
  const driftS = info.driftSPerDay === 0 ? 0 : (u * info.driftSPerDay) / 86400;
  return instantFromTaiSeconds2000((mjd - MJD_2000) * 86400 + datI + secInt, secFrac + datF + driftS);
}

/** UTC day time of an instant plus TAI − UTC at that instant (s). Throws `TIME_OUT_OF_RANGE`. */
export function utcDayTime(
  t: Instant,
  table: LeapSecondTable,
): ScaleDayTime & { readonly taiMinusUtcS: number } {
  const [ti, tf] = taiSecondsSince2000(t);
  // TAI is ahead of UTC by less than a day, so the UTC day is the TAI day or the one before.
  let mjd = MJD_2000 + Math.floor(ti / 86400);
  if (mjd >= table.firstMjd) {
    const startNext = startOfDay(mjd, table, true);
    if (ti - startNext[0] + (tf - startNext[1]) < 0) mjd -= 1;
  } else {
    mjd -= 1;
  }
  const info = table.dayInfo(mjd);
  const [si, sf] = startOfDay(mjd, table, false);
  let secInt: number;
  let secFrac: number;
  if (info.driftSPerDay === 0) {
    secInt = ti - si;
    secFrac = tf - sf;
  } else {
    const u = (ti - si + (tf - sf)) / (1 + info.driftSPerDay / 86400);
    secInt = Math.floor(u);
    secFrac = u - secInt;
  }
  if (secFrac < 0) {
    const c = Math.floor(secFrac);
    secInt += c;
    secFrac -= c;
  }
  if (secFrac >= 1) {
    secInt += 1;
    secFrac -= 1;
  }
  // Float noise on the 1960s fractional day lengths must not push us past the day's end.
  if (secInt + secFrac >= info.lengthS) {
    const last = info.lengthS - 1e-9;
    secInt = Math.floor(last);
    secFrac = last - secInt;
  }
  if (secInt < 0) {
    secInt = 0;
    secFrac = 0;
  }
  const taiMinusUtcS = info.taiMinusUtc0S + (info.driftSPerDay * (secInt + secFrac)) / 86400;
  return { mjd, secInt, secFrac, lengthS: info.lengthS, taiMinusUtcS };
}

/** TAI seconds since 2000 of 0h UTC of `mjd`, split [integer, fraction]. */
function startOfDay(mjd: number, table: LeapSecondTable, lenient: boolean): [number, number] {
  const info = table.dayInfo(mjd, lenient);
  const datI = Math.floor(info.taiMinusUtc0S);
  return [(mjd - MJD_2000) * 86400 + datI, info.taiMinusUtc0S - datI];
}

/** Largest double below `n + 1` with the fraction kept below 1 (avoids 59.9999… → 60 in a double). */
function addFraction(n: number, frac: number): number {
  const v = n + frac;
  return v >= n + 1 ? n + 1 - 64 * Number.EPSILON : v;
}

/** Calendar fields of a day time (23:59:60+ when the second of day is 86400 or more). */
export function fieldsFromDayTime(mjd: number, secInt: number, secFrac: number): CalendarFields {
  const { year, month, day } = calendarFromMjd(mjd);
  if (secInt >= 86340) {
    return { year, month, day, hour: 23, minute: 59, second: addFraction(secInt - 86340, secFrac) };
  }
  const hour = Math.floor(secInt / 3600);
  const minute = Math.floor((secInt - hour * 3600) / 60);
  return { year, month, day, hour, minute, second: addFraction(secInt - hour * 3600 - minute * 60, secFrac) };
}

/**
 * Checks calendar fields and returns [mjd, secInt, secFrac]. `lengthOf(mjd)` gives the day length
 * (86400 in uniform scales). Throws `TIME_INVALID_FIELDS` with `details.field` naming the field.
 */
export function dayTimeFromFields(
  f: CalendarFields,
  lengthOf: (mjd: number) => number,
): [number, number, number] {
  if (!Number.isInteger(f.year)) throw invalid('year', `year must be an integer, got ${f.year}`, f.year);
  if (!Number.isInteger(f.month) || f.month < 1 || f.month > 12) {
    throw invalid('month', `month must be 1..12, got ${f.month}`, f.month);
  }
  if (!isValidDate(f.year, f.month, f.day)) {
    throw invalid('day', `day must be 1..${daysInMonth(f.year, f.month)}, got ${f.day}`, f.day);
  }
  if (!Number.isInteger(f.hour) || f.hour < 0 || f.hour > 23) {
    throw invalid('hour', `hour must be 0..23, got ${f.hour}`, f.hour);
  }
  if (!Number.isInteger(f.minute) || f.minute < 0 || f.minute > 59) {
    throw invalid('minute', `minute must be 0..59, got ${f.minute}`, f.minute);
  }
  if (!Number.isFinite(f.second) || f.second < 0 || f.second >= 61) {
    throw invalid('second', `second must be in [0, 61), got ${f.second}`, f.second);
  }
  if (f.second >= 60 && !(f.hour === 23 && f.minute === 59)) {
    throw invalid(
      'second',
      `second ${f.second} ≥ 60 is only possible at 23:59 of a leap second day`,
      f.second,
    );
  }
  const mjd = mjdFromCalendar(f.year, f.month, f.day);
  const whole = Math.floor(f.second);
  const secInt = f.hour * 3600 + f.minute * 60 + whole;
  const secFrac = f.second - whole;
  const length = lengthOf(mjd);
  if (secInt + secFrac >= length) {
    throw invalid(
      'second',
      `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second} does not exist: that day has ${length} s${length === 86400 ? ' (no leap second)' : ''}`,
      f.second,
    );
  }
  return [mjd, secInt, secFrac];
}

/**
 * The Instant of UTC calendar fields. 23:59:60.xxx is accepted on days that end with a leap second.
 * Throws AstroError `TIME_INVALID_FIELDS` (bad field, `details.field`) or `TIME_OUT_OF_RANGE`.
 */
export function utcToInstant(fields: UtcFields, ctx: TimeContext): Instant {
  const table = ctx.leapSeconds;
  const [mjd, secInt, secFrac] = dayTimeFromFields(fields, (d) => table.dayInfo(d).lengthS);
  return instantFromUtcDaySeconds(mjd, secInt, secFrac, table);
}

/** UTC calendar fields of an Instant (23:59:60.xxx during a leap second). Throws `TIME_OUT_OF_RANGE`. */
export function instantToUtc(t: Instant, ctx: TimeContext): UtcFields {
  const d = utcDayTime(t, ctx.leapSeconds);
  return fieldsFromDayTime(d.mjd, d.secInt, d.secFrac);
}

/** TAI − UTC at an instant, s (includes the 1961–1971 drift). */
export function taiMinusUtcAt(t: Instant, ctx: TimeContext): number {
  return utcDayTime(t, ctx.leapSeconds).taiMinusUtcS;
}

/**
 * UTC Julian date pair of an instant, SOFA convention: `jd` = MJD + 2400000.5 of 0h UTC and
 * `frac` = second of day / day length (86401 on a leap second day).
 */
export function utcJulianDate(t: Instant, ctx: TimeContext): JulianDatePair {
  const d = utcDayTime(t, ctx.leapSeconds);
  return { jd: d.mjd + MJD_JD_OFFSET, frac: (d.secInt + d.secFrac) / d.lengthS };
}

/** UTC MJD with day fraction (SOFA convention as `utcJulianDate`), the argument of EOP tables. */
export function utcMjd(t: Instant, ctx: TimeContext): number {
  const d = utcDayTime(t, ctx.leapSeconds);
  return d.mjd + (d.secInt + d.secFrac) / d.lengthS;
}

/**
 * Splits a Julian date pair (jd + frac days, any split) into the integer MJD of its day and the
 * fraction of that day in [0, 1). The whole days of each term are taken out before the two are
 * added, so no day-sized rounding touches the fraction. Shared by the UTC and uniform-scale readers.
 */
export function mjdDayFraction(jd: number, frac: number): [number, number] {
  const a = jd - MJD_JD_OFFSET;
  const ai = Math.floor(a);
  const fi = Math.floor(frac);
  const rest = a - ai + (frac - fi);
  const ri = Math.floor(rest);
  return [ai + fi + ri, rest - ri];
}

/**
 * The Instant of a UTC Julian date pair (jd + frac days, any split), SOFA iauUtctai convention:
 * the day fraction is scaled by the UTC day's length (86401 s on a leap second day). This is how a
 * TLE epoch (year + day-of-year fraction) becomes an instant.
 */
export function instantFromUtcJulianDate(jd: number, frac: number, ctx: TimeContext): Instant {
  if (!Number.isFinite(jd) || !Number.isFinite(frac)) {
    throw new AstroError('TIME_INVALID_FIELDS', `UTC Julian date must be finite, got ${jd} + ${frac}`, {
      jd,
      frac,
    });
  }
  const [mjd, fd] = mjdDayFraction(jd, frac);
  const info = ctx.leapSeconds.dayInfo(mjd);
  const u = fd * info.lengthS;
  const secInt = Math.floor(u);
  return instantFromUtcDaySeconds(mjd, secInt, u - secInt, ctx.leapSeconds);
}
