/**
 * Proleptic Gregorian calendar arithmetic on whole days: civil date ↔ Modified Julian Date (MJD),
 * day of year, leap years. Integer arithmetic only, so every result is exact.
 *
 * It sits at the bottom of the layering (units, math → eop → time → …) so that every module that
 * counts days uses this one implementation: eop/ (finals date columns), time/ (UTC fields, leap
 * seconds, time strings; re-exported publicly from time/index.ts) and elements/ (UTC calendar of
 * element epochs).
 *
 * Source: the civil-from-days / days-from-civil algorithms of H. Hinnant ("chrono-compatible
 * low-level date algorithms", 2013), equivalent to SOFA iauCal2jd / iauJd2cal for Gregorian dates.
 * MJD 0 is 1858-11-17; JD = MJD + 2400000.5.
 */

/** JD − MJD, days (exact). */
export const MJD_JD_OFFSET = 2400000.5;

/** Days from 1970-01-01 to 1858-11-17 (MJD 0), used to move between the two day counts. */
const MJD_UNIX_OFFSET = 40587;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;

/** Days in a month (1..12) of a year; 0 for an invalid month. */
export function daysInMonth(year: number, month: number): number {
  const d = DAYS_IN_MONTH[month - 1];
  if (d === undefined) return 0;
  return month === 2 && isLeapYear(year) ? 29 : d;
}

/** Days in a year: 365 or 366. */
export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** True when year/month/day is a valid Gregorian date with an integer year. */
export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Integer MJD of a civil date at 0h (no validation: out-of-range days roll over). */
export function mjdFromCalendar(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + MJD_UNIX_OFFSET;
}

/** Civil date of an integer MJD. */
export function calendarFromMjd(mjd: number): { year: number; month: number; day: number } {
  const z = Math.floor(mjd) - MJD_UNIX_OFFSET + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Day of year (1 = January 1st) of a civil date. */
export function dayOfYear(year: number, month: number, day: number): number {
  const before = DAYS_BEFORE_MONTH[month - 1] ?? 0;
  return before + day + (month > 2 && isLeapYear(year) ? 1 : 0);
}

/**
 * Civil month and day of a day of year (1..365 or 366). Throws RangeError outside the year;
 * parsers validate first and report a ParseIssue instead.
 */
export function calendarFromDayOfYear(year: number, doy: number): { month: number; day: number } {
  if (!Number.isInteger(doy) || doy < 1 || doy > daysInYear(year)) {
    throw new RangeError(`day of year ${doy} is outside 1..${daysInYear(year)} for ${year}`);
  }
  const { month, day } = calendarFromMjd(mjdFromCalendar(year, 1, 1) + doy - 1);
  return { month, day };
}
