import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import {
  calendarFromDayOfYear,
  calendarFromMjd,
  dayOfYear,
  LeapSecondTable,
  mjdFromCalendar,
  parseLeapSecondDat,
  parseLeapSeconds,
  parseTaiUtcDat,
} from '../src/time/index.js';
import { readRefText } from './reference-data.js';
import { codeOf, loadLeapSecondDat, loadTaiUtcDat } from './test-support.js';

/** tai-utc.dat gives A and C to 7 decimals; sums of such values differ from exact by float noise only. */
const TABLE_DIGITS_S = 1e-9;

describe('calendar', () => {
  it('converts civil dates and MJD both ways', () => {
    expect(mjdFromCalendar(1858, 11, 17)).toBe(0);
    expect(mjdFromCalendar(2000, 1, 1)).toBe(51544);
    expect(mjdFromCalendar(1972, 1, 1)).toBe(41317);
    expect(mjdFromCalendar(2017, 1, 1)).toBe(57754);
    for (let mjd = -100000; mjd < 120000; mjd += 37) {
      const c = calendarFromMjd(mjd);
      expect(mjdFromCalendar(c.year, c.month, c.day)).toBe(mjd);
    }
  });

  it('converts day of year both ways, leap years included', () => {
    expect(dayOfYear(2016, 12, 31)).toBe(366);
    expect(dayOfYear(2017, 12, 31)).toBe(365);
    expect(dayOfYear(2000, 3, 1)).toBe(61);
    expect(dayOfYear(1900, 3, 1)).toBe(60);
    expect(calendarFromDayOfYear(2016, 366)).toEqual({ month: 12, day: 31 });
    expect(calendarFromDayOfYear(2024, 60)).toEqual({ month: 2, day: 29 });
    expect(() => calendarFromDayOfYear(2017, 366)).toThrow(RangeError);
  });
});

describe('Leap_Second.dat', () => {
  const table = loadLeapSecondDat();

  it('reads 28 entries and the expiry date from the header', () => {
    expect(table.entries).toHaveLength(28);
    expect(table.firstMjd).toBe(41317);
    expect(table.expiresMjd).toBe(mjdFromCalendar(2027, 6, 28));
    expect(table.expiryStated).toBe(true);
  });

  it('gives TAI − UTC = 10 s at 1972-01-01 and 37 s from 2017', () => {
    expect(table.taiMinusUtc(41317)).toBe(10);
    expect(table.taiMinusUtc(41498.999)).toBe(10);
    expect(table.taiMinusUtc(41499)).toBe(11);
    expect(table.taiMinusUtc(57753.9999)).toBe(36);
    expect(table.taiMinusUtc(57754)).toBe(37);
    expect(table.taiMinusUtc(mjdFromCalendar(2026, 8, 17))).toBe(37);
    // SOFA t_sofa_c iauDat checks.
    expect(table.taiMinusUtc(mjdFromCalendar(2003, 6, 1))).toBe(32);
    expect(table.taiMinusUtc(mjdFromCalendar(2008, 1, 17))).toBe(33);
    expect(table.taiMinusUtc(mjdFromCalendar(2017, 9, 1))).toBe(37);
  });

  it('makes leap second days 86401 s long and others 86400 s', () => {
    expect(table.dayInfo(mjdFromCalendar(2016, 12, 31)).lengthS).toBe(86401);
    expect(table.dayInfo(mjdFromCalendar(1972, 6, 30)).lengthS).toBe(86401);
    expect(table.dayInfo(mjdFromCalendar(2016, 12, 30)).lengthS).toBe(86400);
    expect(table.dayInfo(mjdFromCalendar(2017, 1, 1)).lengthS).toBe(86400);
  });

  it('refuses dates before 1972 and at/after the expiry unless the caller chooses hold-last', () => {
    expect(codeOf(() => table.taiMinusUtc(41316.5))).toBe('TIME_OUT_OF_RANGE');
    const expiry = mjdFromCalendar(2027, 6, 28);
    expect(table.taiMinusUtc(expiry - 1e-6)).toBe(37);
    expect(codeOf(() => table.taiMinusUtc(expiry))).toBe('TIME_OUT_OF_RANGE');
    expect(codeOf(() => table.taiMinusUtc(Number.NaN))).toBe('TIME_OUT_OF_RANGE');
    const lenient = table.withExpiryPolicy('hold-last');
    expect(lenient.taiMinusUtc(expiry + 1000)).toBe(37);
    expect(codeOf(() => lenient.taiMinusUtc(41000))).toBe('TIME_OUT_OF_RANGE');
  });

  it('reports bad lines with their line and column and returns no table', () => {
    const text = readRefText('earth/Leap_Second.dat');
    const broken = text
      .replace('    49169.0    1  7 1993       28', '    49170.0    1  7 1993       28')
      .replace('    54832.0    1  1 2009       34', '    54832.0    1  1 2009       3x4');
    const r = parseLeapSecondDat(broken, { file: 'broken.dat' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.line, i.column])).toEqual([
      ['LEAP_SECONDS_BAD_LINE', 32, 5],
      ['LEAP_SECONDS_BAD_LINE', 38, 1],
    ]);
    expect(r.issues[0]?.file).toBe('broken.dat');
    const empty = parseLeapSecondDat('# nothing\n');
    expect(empty.ok ? [] : empty.issues.map((i) => i.code)).toEqual(['LEAP_SECONDS_EMPTY']);
  });
});

describe('tai-utc.dat (with the 1961–1971 drift formulas)', () => {
  const table = loadTaiUtcDat();

  it('reads 41 entries and reports the 3 inserted text lines as ignored, not as errors', () => {
    expect(table.entries).toHaveLength(41);
    const r = parseTaiUtcDat(readRefText('earth/tai-utc.dat'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ignored = r.warnings.filter((w) => w.code === 'LEAP_SECONDS_IGNORED_LINE').map((w) => w.line);
    expect(ignored).toEqual([15, 16, 17]);
    // No expiry in this format: the default validity ends at the last entry, with a warning.
    expect(r.warnings.some((w) => w.code === 'LEAP_SECONDS_NO_EXPIRY')).toBe(true);
    expect(r.value.expiresMjd).toBe(57754);
    expect(() => r.value.taiMinusUtc(57754)).toThrow(AstroError);
    expect(r.value.taiMinusUtc(57753.5)).toBe(36);
  });

  it('evaluates TAI − UTC = A + (MJD − B)·C as written on each line', () => {
    // Line "1961 JAN  1 … 1.4228180 S + (MJD - 37300.) X 0.001296 S"
    expect(table.taiMinusUtc(37300)).toBeCloseTo(1.422818, 12);
    expect(table.taiMinusUtc(37300.5)).toBeCloseTo(1.422818 + 0.5 * 0.001296, 12);
    // Line "1961 AUG  1 … 1.3728180 S + (MJD - 37300.) X 0.001296 S" (a −0.05 s step)
    expect(Math.abs(table.taiMinusUtc(37512) - (1.372818 + 212 * 0.001296))).toBeLessThan(TABLE_DIGITS_S);
    // Line "1962 JAN  1 … 1.8458580 S + (MJD - 37665.) X 0.0011232S"
    expect(Math.abs(table.taiMinusUtc(37665.25) - (1.845858 + 0.25 * 0.0011232))).toBeLessThan(
      TABLE_DIGITS_S,
    );
    // Line "1966 JAN  1 … 4.3131700 S + (MJD - 39126.) X 0.002592 S", at 1967-07-01 (MJD 39672)
    expect(Math.abs(table.taiMinusUtc(39672) - (4.31317 + 546 * 0.002592))).toBeLessThan(TABLE_DIGITS_S);
    // Line "1968 FEB  1 … 4.2131700 S + (MJD - 39126.) X 0.002592 S", at 1971-12-31T12:00
    expect(Math.abs(table.taiMinusUtc(41316.5) - (4.21317 + 2190.5 * 0.002592))).toBeLessThan(TABLE_DIGITS_S);
    expect(table.taiMinusUtc(41317)).toBe(10);
  });

  it('derives the day lengths of the jump days (SOFA iauDtf2d convention)', () => {
    // 1971-12-31: 10 − (4.2131700 + 2191·0.002592) = 0.107758 s inserted.
    expect(table.dayInfo(41316).lengthS).toBeCloseTo(86400.107758, 9);
    // 1968-01-31: −0.1 s step; 1961-07-31: −0.05 s step; 1963-10-31: +0.1 s step.
    expect(table.dayInfo(mjdFromCalendar(1968, 1, 31)).lengthS).toBeCloseTo(86399.9, 9);
    expect(table.dayInfo(mjdFromCalendar(1961, 7, 31)).lengthS).toBeCloseTo(86399.95, 9);
    expect(table.dayInfo(mjdFromCalendar(1963, 10, 31)).lengthS).toBeCloseTo(86400.1, 9);
    expect(table.dayInfo(mjdFromCalendar(1965, 5, 5)).lengthS).toBe(86400);
  });

  it('agrees with Leap_Second.dat on every day from 1972 to 2017', () => {
    const leap = loadLeapSecondDat();
    for (let mjd = 41317; mjd <= 57760; mjd++) {
      expect(table.taiMinusUtc(mjd)).toBe(leap.taiMinusUtc(mjd));
    }
  });

  it('refuses dates before 1961-01-01', () => {
    expect(codeOf(() => table.taiMinusUtc(37299.99))).toBe('TIME_OUT_OF_RANGE');
  });

  it('completes Leap_Second.dat backwards while keeping its expiry', () => {
    const merged = loadLeapSecondDat().withEarlierHistory(table);
    expect(merged.entries).toHaveLength(41);
    expect(merged.taiMinusUtc(39672)).toBeCloseTo(4.31317 + 546 * 0.002592, 9);
    expect(merged.expiresMjd).toBe(mjdFromCalendar(2027, 6, 28));
  });

  it('recognises both formats by content and reports malformed data lines', () => {
    const auto = parseLeapSeconds(readRefText('earth/tai-utc.dat'));
    expect(auto.ok && auto.value.entries.length).toBe(41);
    const broken = readRefText('earth/tai-utc.dat').replace(
      ' 1965 JAN  1 =JD 2438761.5',
      ' 1965 JAN  1 =JD 2438762.5',
    );
    const r = parseTaiUtcDat(broken);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      code: 'LEAP_SECONDS_BAD_LINE',
      line: 8,
      column: 18,
      expected: '2438761.5',
    });
  });

  it('rejects unsorted entries', () => {
    expect(
      codeOf(() =>
        LeapSecondTable.create([
          { mjd: 2, offsetS: 1, refMjd: 2, driftSPerDay: 0 },
          { mjd: 1, offsetS: 2, refMjd: 1, driftSPerDay: 0 },
        ]),
      ),
    ).toBe('LEAP_SECONDS_INVALID');
  });
});
