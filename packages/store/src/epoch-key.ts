/**
 * Epoch keys: the integer sort key of an element-set epoch and of a query time.
 *
 * key = microseconds since 2000-01-01T00:00:00 UTC counted in 86,400-second days (leap seconds are
 * not counted, as in a UTC Julian date, which is what element sets carry). It is exact to the
 * microsecond, sorts like the epoch, and stays below 2^53 for ±285 years around 2000, so it is a
 * safe JavaScript number and a SQL BIGINT. Element epochs and query times go through the same
 * two-part UTC Julian date arithmetic (Vallado's `jday`), so "epoch ≤ t" compares like with like.
 */
import {
  calendarFromJulianMidnight,
  normaliseJulian,
  parseUtcString,
  type UtcJulianDate,
} from '@hoshimi/astro';
import { StoreError } from './errors.js';

/** Julian date of 2000-01-01T00:00:00 UTC, the origin of epoch keys. */
export const EPOCH_KEY_ORIGIN_JD = 2451544.5;
/** Microseconds in a (UTC, 86,400 s) day. */
export const MICROS_PER_DAY = 86_400_000_000;

/** Epoch key of a two-part UTC Julian date. */
export function epochKeyFromJulian(epoch: UtcJulianDate): number {
  const n = normaliseJulian(epoch.jd, epoch.jdFrac);
  const days = Math.round(n.jd - EPOCH_KEY_ORIGIN_JD);
  return days * MICROS_PER_DAY + Math.round(n.jdFrac * MICROS_PER_DAY);
}

/** Two-part UTC Julian date of an epoch key. */
export function julianFromEpochKey(key: number): UtcJulianDate {
  const days = Math.floor(key / MICROS_PER_DAY);
  return { jd: EPOCH_KEY_ORIGIN_JD + days, jdFrac: (key - days * MICROS_PER_DAY) / MICROS_PER_DAY };
}

/**
 * ISO UTC text with microseconds and a `Z` of a two-part UTC Julian date; the same text as
 * astro's `formatUtcIso(epoch, 6)` (same rounding to the microsecond) plus the `Z`.
 */
export function isoFromJulian(epoch: UtcJulianDate): string {
  return isoFromEpochKey(epochKeyFromJulian(epoch));
}

/**
 * Parses an ISO-8601 UTC time (`2023-10-09T12:00:00Z`, `2023-10-09`, day-of-year form) into its
 * epoch key. Throws StoreError `STORE_BAD_TIME` for anything else (offsets other than Z included).
 */
export function epochKeyFromIso(text: string, what = 'time'): number {
  const jd = parseUtcString(text);
  if (jd === undefined) {
    throw new StoreError(
      'STORE_BAD_TIME',
      `${what} ${JSON.stringify(text)} is not an ISO-8601 UTC time (expected e.g. 2023-10-09T12:00:00Z)`,
      { text },
    );
  }
  return epochKeyFromJulian(jd);
}

/** Epoch key of a JavaScript Date (the clock edge). */
export function epochKeyFromDate(date: Date): number {
  return Math.round((date.getTime() - Date.UTC(2000, 0, 1)) * 1000);
}

/**
 * Epoch key of the system clock now, to the microsecond where the platform's clock resolves it
 * (`performance.timeOrigin + performance.now()`; a `Date` stops at the millisecond).
 */
export function epochKeyNow(): number {
  return Math.round((performance.timeOrigin + performance.now() - Date.UTC(2000, 0, 1)) * 1000);
}

/** Date prefixes "YYYY-MM-DDT" by day number (catalog queries format tens of thousands of epochs). */
const datePrefixes = new Map<number, string>();

function pad2(v: number): string {
  return v < 10 ? `0${v}` : String(v);
}

/** ISO UTC text `YYYY-MM-DDThh:mm:ss.ffffffZ` of an epoch key. */
export function isoFromEpochKey(key: number): string {
  const days = Math.floor(key / MICROS_PER_DAY);
  let prefix = datePrefixes.get(days);
  if (prefix === undefined) {
    const cal = calendarFromJulianMidnight(EPOCH_KEY_ORIGIN_JD + days);
    prefix = `${String(cal.year).padStart(4, '0')}-${pad2(cal.month)}-${pad2(cal.day)}T`;
    if (datePrefixes.size > 100_000) datePrefixes.clear();
    datePrefixes.set(days, prefix);
  }
  const micros = key - days * MICROS_PER_DAY;
  const secs = Math.floor(micros / 1_000_000);
  const frac = micros - secs * 1_000_000;
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs - hh * 3600) / 60);
  const ss = secs - hh * 3600 - mm * 60;
  return `${prefix}${pad2(hh)}:${pad2(mm)}:${pad2(ss)}.${String(frac).padStart(6, '0')}Z`;
}
