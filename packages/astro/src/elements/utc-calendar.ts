/**
 * UTC calendar fields ↔ two-part UTC Julian date, by pure arithmetic (no leap-second table: a UTC
 * Julian date is a label of the UTC calendar, not a count of SI seconds).
 *
 * `julianFromCalendar` and `julianFromDayOfYear` follow Vallado's `jday_SGP4` and
 * `days2mdhms_SGP4` (SGP4.cpp, 2020 release; Vallado, Crawford, Hujsak and Kelso, AIAA 2006-6753)
 * operation for operation, so an element set read here has bit-for-bit the epoch
 * `jdsatepoch + jdsatepochF` of the reference implementation. Those two are kept as Vallado wrote
 * them rather than built on math/calendar.ts: they use the Julian leap rule (`year % 4`) and are
 * valid only from 1900 March 1 to 2100 February 28, where they agree with the Gregorian calendar.
 * The inverse, `calendarFromJulianMidnight`, is the proleptic Gregorian arithmetic of
 * math/calendar.ts (the one implementation shared with time/ and eop/).
 */
import {
  calendarFromMjd,
  dayOfYear,
  daysInMonth,
  daysInYear,
  MJD_JD_OFFSET,
  mjdFromCalendar,
} from '../math/calendar.js';
import type { UtcJulianDate } from './element-set.js';

/** Month lengths of a common year, index 1..12 (Vallado's `lmonth`). */
const MONTH_DAYS: readonly number[] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Two-part UTC Julian date from calendar fields, as Vallado's `jday_SGP4`: `jd` is the Julian date
 * of 0h UTC of the day, `jdFrac` the day fraction from h, min, s (computed as Vallado does).
 * Deviation: the whole day comes from the proleptic Gregorian calendar (math/calendar.ts). Vallado's
 * formula ignores the century rule; both give the same exact value from 1900-03-01 to 2100-02-28,
 * and this one stays right outside that span (OMM/OEM epochs can lie there).
 */
export function julianFromCalendar(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): UtcJulianDate {
  let jd = mjdFromCalendar(year, month, day) + MJD_JD_OFFSET;
  let jdFrac = (second + minute * 60.0 + hour * 3600.0) / 86400.0;
  if (Math.abs(jdFrac) > 1.0) {
    const whole = Math.floor(jdFrac);
    jd += whole;
    jdFrac -= whole;
  }
  return { jd, jdFrac };
}

/** Calendar month, day, hour, minute and second of a day-of-year count (Vallado's `days2mdhms_SGP4`). */
export interface MonthDayTime {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * Splits `days` (1.0 = January 1, 0h) of `year` into month, day, h, min, s, as Vallado's
 * `days2mdhms_SGP4` does (leap year by `year % 4` only, as in the reference).
 */
export function monthDayTimeFromDays(year: number, days: number): MonthDayTime {
  const dayOfYear = Math.floor(days);
  let i = 1;
  let before = 0;
  while (i < 12) {
    const len = i === 2 && year % 4 === 0 ? 29 : (MONTH_DAYS[i] as number);
    if (dayOfYear <= before + len) break;
    before += len;
    i++;
  }
  let temp = (days - dayOfYear) * 24.0;
  const hour = Math.floor(temp);
  temp = (temp - hour) * 60.0;
  const minute = Math.floor(temp);
  const second = (temp - minute) * 60.0;
  return { month: i, day: dayOfYear - before, hour, minute, second };
}

/** The TLE epoch (four-digit year, fractional day of year) as Vallado's two-part Julian date. */
export function julianFromDayOfYear(year: number, days: number): UtcJulianDate {
  const t = monthDayTimeFromDays(year, days);
  return julianFromCalendar(year, t.month, t.day, t.hour, t.minute, t.second);
}

/** Calendar date of a Julian day number's midnight plus the day of year. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 1 = January 1. */
  readonly dayOfYear: number;
}

/**
 * Gregorian date of the UTC day that starts at `jdMidnight` (a value ending in .5): the day whose
 * Julian day number is ⌊jdMidnight + 0.5⌋, by math/calendar.ts (exact integer arithmetic).
 */
export function calendarFromJulianMidnight(jdMidnight: number): CalendarDate {
  // Julian day number (noon) → MJD of that day's midnight: JDN − 2400001 (both integers, exact).
  const mjd = Math.floor(jdMidnight + 0.5) - (MJD_JD_OFFSET + 0.5);
  const { year, month, day } = calendarFromMjd(mjd);
  return { year, month, day, dayOfYear: dayOfYear(year, month, day) };
}

/**
 * Normalises a two-part date so that `jd` is a midnight (ends in .5) and `jdFrac` is in [0, 1).
 * Exact when the inputs already are (the common case).
 */
export function normaliseJulian(jd: number, jdFrac: number): UtcJulianDate {
  const mid = Math.floor(jd - 0.5) + 0.5;
  let frac = jd - mid + jdFrac;
  const whole = Math.floor(frac);
  frac -= whole;
  return { jd: mid + whole, jdFrac: frac };
}

/**
 * Formats a UTC Julian date as ISO `YYYY-MM-DDTHH:MM:SS.ffffff` with `decimals` second digits
 * (6 by default, as CelesTrak writes OMM epochs). Rounding carries into minutes, hours and days.
 */
export function formatUtcIso(epoch: UtcJulianDate, decimals = 6): string {
  const n = normaliseJulian(epoch.jd, epoch.jdFrac);
  const scale = 10 ** decimals;
  const ticksPerDay = 86400 * scale;
  let ticks = Math.round(n.jdFrac * ticksPerDay);
  let mid = n.jd;
  if (ticks >= ticksPerDay) {
    ticks -= ticksPerDay;
    mid += 1;
  }
  const cal = calendarFromJulianMidnight(mid);
  const secTicks = ticks % (60 * scale);
  const minutes = (ticks - secTicks) / (60 * scale);
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  const ss = Math.floor(secTicks / scale);
  const ff = secTicks % scale;
  const date = `${pad(cal.year, 4)}-${pad(cal.month, 2)}-${pad(cal.day, 2)}`;
  const time = `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
  return decimals > 0 ? `${date}T${time}.${pad(ff, decimals)}` : `${date}T${time}`;
}

function pad(v: number, width: number): string {
  return String(v).padStart(width, '0');
}

/**
 * Parses a CCSDS/ISO UTC time string into calendar fields: `YYYY-MM-DDThh:mm:ss[.d*][Z]` or the
 * day-of-year form `YYYY-DDDThh:mm:ss[.d*][Z]` (CCSDS 502.0-B-2 §7.5.10); the time part may be
 * omitted. Returns `undefined` for anything else. 23:59:60 is accepted (UTC leap second) and maps
 * to the next day's 0h in the Julian date, which a UTC Julian date cannot tell apart.
 */
export function parseUtcString(text: string): UtcJulianDate | undefined {
  const s = text.trim();
  const len = s.length;
  if (len < 8) return undefined;
  const year = digits(s, 0, 4);
  if (year < 0 || s.charCodeAt(4) !== 45) return undefined;
  let month: number;
  let day: number;
  let p: number;
  if (s.charCodeAt(7) === 45) {
    month = digits(s, 5, 7);
    day = digits(s, 8, 10);
    p = 10;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  } else {
    const doy = digits(s, 5, 8);
    if (doy < 1 || doy > daysInYear(year)) return undefined;
    const md = monthDayTimeFromDays(year, doy);
    month = md.month;
    day = md.day;
    p = 8;
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  if (p < len) {
    if (s.charCodeAt(p) !== 84 /* T */) return undefined;
    hour = digits(s, p + 1, p + 3);
    minute = s.charCodeAt(p + 3) === 58 ? digits(s, p + 4, p + 6) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    p += 6;
    if (p < len && s.charCodeAt(p) === 58) {
      let end = len;
      if (s.charCodeAt(end - 1) === 90 /* Z */) end--;
      const secText = s.slice(p + 1, end);
      if (!/^\d{2}(\.\d*)?$/.test(secText)) return undefined;
      second = Number.parseFloat(secText);
      if (second >= 61) return undefined;
    } else if (p < len && !(p === len - 1 && s.charCodeAt(p) === 90)) {
      return undefined;
    }
  }
  const jd = julianFromCalendar(year, month, day, hour, minute, second);
  // 23:59:60.x gives a day fraction of 1 or more: carry it so that jdFrac stays in [0, 1).
  return jd.jdFrac >= 1 ? { jd: jd.jd + 1, jdFrac: jd.jdFrac - 1 } : jd;
}

/** Reads the fixed-width unsigned decimal in `s[start, end)`; -1 when it is not all digits. */
function digits(s: string, start: number, end: number): number {
  if (end > s.length) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
