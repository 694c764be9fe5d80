/**
 * TAI − UTC history (leap seconds and the 1961–1971 "rubber second" drift formulas).
 *
 * Sources and conventions:
 * - IERS `Leap_Second.dat` (IERS Earth Orientation Centre, Paris Observatory): one line per change
 *   `MJD day month year TAI−UTC`, from 1972-01-01, plus a header line `File expires on D Month Y`.
 * - USNO `tai-utc.dat`: one line per change from 1961-01-01 with the formula
 *   TAI − UTC = A + (MJD − B) × C seconds, MJD being the UTC Modified Julian Date with its day fraction
 *   (same formula and data as SOFA iauDat).
 * - Days with a jump (leap second, or the 0.05/0.1 s steps of the 1960s) are handled as in SOFA
 *   iauDtf2d / iauUtctai: the UTC day D is 86400 + Δ UTC seconds long where
 *   Δ = dat(D+1, 0h) − (dat(D, 0h) + drift), and TAI at UTC second-of-day `u` of day D is
 *   `D·86400 + dat(D, 0h) + u·(1 + drift/86400)` seconds (the drift keeps the entry in effect at 0h).
 *
 * Validity: before the first entry is an error (`TIME_OUT_OF_RANGE`, UTC is not defined before 1961
 * and `Leap_Second.dat` starts in 1972). After the table's expiry the caller chooses the policy:
 * `'error'` (default, `TIME_OUT_OF_RANGE`) or `'hold-last'` (keep the last TAI − UTC, i.e. assume no
 * new leap second was announced). `Leap_Second.dat` states its expiry; `tai-utc.dat` states none, so
 * its table is valid only up to its last change unless the caller passes `expiresMjd`.
 */
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { isValidDate, MJD_JD_OFFSET, mjdFromCalendar } from '../math/calendar.js';
import { SECONDS_PER_DAY } from '../units/index.js';

/** One line of a TAI − UTC history. */
export interface LeapSecondEntry {
  /** First UTC day (integer MJD, 0h UTC) on which this entry applies. */
  readonly mjd: number;
  /** TAI − UTC at `refMjd`, s. */
  readonly offsetS: number;
  /** Reference UTC MJD of the drift term (any value when `driftSPerDay` is 0). */
  readonly refMjd: number;
  /** Drift of TAI − UTC, s per UTC day (0 from 1972). */
  readonly driftSPerDay: number;
}

/** What to do when a date after the table's expiry is asked for. */
export type LeapSecondExpiryPolicy = 'error' | 'hold-last';

export interface LeapSecondTableOptions {
  /** UTC MJD from which the table is no longer valid (exclusive end of validity). */
  readonly expiresMjd?: number;
  /** Policy after `expiresMjd`; default `'error'`. */
  readonly afterExpiry?: LeapSecondExpiryPolicy;
  /** Where the table came from (file name), for messages. */
  readonly source?: string;
}

/** Start-of-day facts about one UTC day. */
export interface UtcDayInfo {
  /** TAI − UTC at 0h UTC of the day, s. */
  readonly taiMinusUtc0S: number;
  /** Drift of TAI − UTC during the day, s per UTC day (0 from 1972). */
  readonly driftSPerDay: number;
  /** Length of the day in UTC seconds: 86400, 86401 on a positive leap second day, 86399.9… pre-1972. */
  readonly lengthS: number;
}

/** First MJD at which UTC is defined in any table (1961-01-01). */
export const UTC_FIRST_MJD = 37300;

/** An immutable TAI − UTC history. Build it with a loader or `LeapSecondTable.create`. */
export class LeapSecondTable {
  readonly entries: readonly LeapSecondEntry[];
  /** Exclusive end of validity, UTC MJD. */
  readonly expiresMjd: number;
  /** True when the expiry came from the file header or the caller, false when defaulted. */
  readonly expiryStated: boolean;
  readonly afterExpiry: LeapSecondExpiryPolicy;
  readonly source: string;

  private constructor(
    entries: readonly LeapSecondEntry[],
    expiresMjd: number,
    expiryStated: boolean,
    afterExpiry: LeapSecondExpiryPolicy,
    source: string,
  ) {
    this.entries = entries;
    this.expiresMjd = expiresMjd;
    this.expiryStated = expiryStated;
    this.afterExpiry = afterExpiry;
    this.source = source;
  }

  /**
   * A table from entries in increasing `mjd`. Throws AstroError `LEAP_SECONDS_INVALID` for an empty
   * or unsorted list. Without `expiresMjd` the table is valid up to its last entry's day only.
   */
  static create(entries: readonly LeapSecondEntry[], options: LeapSecondTableOptions = {}): LeapSecondTable {
    if (entries.length === 0) {
      throw new AstroError('LEAP_SECONDS_INVALID', 'a leap second table needs at least one entry');
    }
    for (let i = 1; i < entries.length; i++) {
      const prev = entries[i - 1] as LeapSecondEntry;
      const cur = entries[i] as LeapSecondEntry;
      if (!(cur.mjd > prev.mjd) || !Number.isInteger(cur.mjd)) {
        throw new AstroError(
          'LEAP_SECONDS_INVALID',
          `entries must have increasing integer MJD (entry ${i})`,
          {
            index: i,
            mjd: cur.mjd,
            previousMjd: prev.mjd,
          },
        );
      }
    }
    const last = entries[entries.length - 1] as LeapSecondEntry;
    const stated = options.expiresMjd !== undefined;
    return new LeapSecondTable(
      [...entries],
      options.expiresMjd ?? last.mjd,
      stated,
      options.afterExpiry ?? 'error',
      options.source ?? 'leap second table',
    );
  }

  /** First UTC MJD covered. */
  get firstMjd(): number {
    return (this.entries[0] as LeapSecondEntry).mjd;
  }

  /** The same table with another expiry policy. */
  withExpiryPolicy(afterExpiry: LeapSecondExpiryPolicy): LeapSecondTable {
    return new LeapSecondTable(this.entries, this.expiresMjd, this.expiryStated, afterExpiry, this.source);
  }

  /**
   * This table extended backwards with the entries of `earlier` that precede its first entry, e.g.
   * `Leap_Second.dat` (1972 on, with expiry) completed by the 1961–1971 lines of `tai-utc.dat`.
   */
  withEarlierHistory(earlier: LeapSecondTable): LeapSecondTable {
    const first = this.firstMjd;
    const older = earlier.entries.filter((e) => e.mjd < first);
    return new LeapSecondTable(
      [...older, ...this.entries],
      this.expiresMjd,
      this.expiryStated,
      this.afterExpiry,
      `${this.source} + ${earlier.source}`,
    );
  }

  /** Throws `TIME_OUT_OF_RANGE` when a UTC MJD is outside the table under its policy. */
  checkRange(mjdUtc: number): void {
    if (!Number.isFinite(mjdUtc)) {
      throw new AstroError('TIME_OUT_OF_RANGE', `UTC MJD ${mjdUtc} is not a finite number`, { mjd: mjdUtc });
    }
    if (mjdUtc < this.firstMjd) {
      throw new AstroError(
        'TIME_OUT_OF_RANGE',
        `UTC MJD ${mjdUtc} is before the first entry of ${this.source} (MJD ${this.firstMjd}); UTC is undefined before 1961 and Leap_Second.dat starts in 1972`,
        { mjd: mjdUtc, firstMjd: this.firstMjd, reason: 'before-table' },
      );
    }
    if (mjdUtc >= this.expiresMjd && this.afterExpiry === 'error') {
      throw new AstroError(
        'TIME_OUT_OF_RANGE',
        `UTC MJD ${mjdUtc} is at or after the expiry of ${this.source} (MJD ${this.expiresMjd}${this.expiryStated ? '' : ', its last entry: no expiry stated'}); load a newer table or choose afterExpiry 'hold-last'`,
        { mjd: mjdUtc, expiresMjd: this.expiresMjd, reason: 'after-expiry' },
      );
    }
  }

  /** Index of the entry in effect at a UTC MJD (no range check; -1 before the first). */
  private indexAt(mjdUtc: number): number {
    const e = this.entries;
    let lo = 0;
    let hi = e.length - 1;
    if (mjdUtc < (e[0] as LeapSecondEntry).mjd) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((e[mid] as LeapSecondEntry).mjd <= mjdUtc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * TAI − UTC, s, at a UTC MJD (with day fraction, which matters only for the 1961–1971 drift).
   * Throws AstroError `TIME_OUT_OF_RANGE` outside the table (see the module header).
   */
  taiMinusUtc(mjdUtc: number): number {
    this.checkRange(mjdUtc);
    const e = this.entries[this.indexAt(mjdUtc)] as LeapSecondEntry;
    return e.offsetS + (mjdUtc - e.refMjd) * e.driftSPerDay;
  }

  /**
   * TAI − UTC at 0h, drift and length of the UTC day `mjdDay` (an integer MJD). Range-checked;
   * `ignoreExpiry` skips only the expiry check (used to locate a day, never to return values).
   */
  dayInfo(mjdDay: number, ignoreExpiry = false): UtcDayInfo {
    if (!(ignoreExpiry && Number.isFinite(mjdDay) && mjdDay >= this.firstMjd)) this.checkRange(mjdDay);
    const e = this.entries[this.indexAt(mjdDay)] as LeapSecondEntry;
    const dat0 = e.offsetS + (mjdDay - e.refMjd) * e.driftSPerDay;
    // Entry of the next day: no range check, a day's length is known as long as the day is.
    const n = this.entries[this.indexAt(mjdDay + 1)] as LeapSecondEntry;
    const datNext = n.offsetS + (mjdDay + 1 - n.refMjd) * n.driftSPerDay;
    const datNextOld = dat0 + e.driftSPerDay;
    // Rounded to 1e-9 s: the table values have 7 decimals, the subtraction leaves float noise.
    const jump = n === e ? 0 : Math.round((datNext - datNextOld) * 1e9) / 1e9;
    return { taiMinusUtc0S: dat0, driftSPerDay: e.driftSPerDay, lengthS: SECONDS_PER_DAY + jump };
  }
}

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

const MONTH_NAMES: Readonly<Record<string, number>> = {
  JANUARY: 1,
  FEBRUARY: 2,
  MARCH: 3,
  APRIL: 4,
  MAY: 5,
  JUNE: 6,
  JULY: 7,
  AUGUST: 8,
  SEPTEMBER: 9,
  OCTOBER: 10,
  NOVEMBER: 11,
  DECEMBER: 12,
};

export interface LeapSecondParseOptions {
  /** File name for issues. */
  readonly file?: string;
  /** Overrides (or, for tai-utc.dat, supplies) the expiry, UTC MJD. */
  readonly expiresMjd?: number;
  readonly afterExpiry?: LeapSecondExpiryPolicy;
}

/**
 * A non-blank line that does not match the data-line pattern: an issue when it looks like a data
 * line (`looksLikeData`), since a table missing an entry would be wrong by a second for decades;
 * otherwise a LEAP_SECONDS_IGNORED_LINE warning (a comment).
 */
function reportUnmatchedLine(
  file: string | undefined,
  lineNo: number,
  raw: string,
  looksLikeData: boolean,
  expected: string,
  issues: ParseIssue[],
  warnings: ParseIssue[],
): void {
  if (looksLikeData) {
    issues.push(lineIssue(file, lineNo, 1, 'LEAP_SECONDS_BAD_LINE', 'malformed data line', expected, raw));
  } else {
    warnings.push(
      lineIssue(
        file,
        lineNo,
        1,
        'LEAP_SECONDS_IGNORED_LINE',
        'line ignored (not a data line)',
        undefined,
        raw,
      ),
    );
  }
}

function finish(
  entries: LeapSecondEntry[],
  issues: ParseIssue[],
  warnings: ParseIssue[],
  options: LeapSecondParseOptions,
  headerExpiry: number | undefined,
  defaultSource: string,
): ParseResult<LeapSecondTable> {
  if (entries.length === 0 && issues.length === 0) {
    issues.push(lineIssue(options.file, 1, 1, 'LEAP_SECONDS_EMPTY', 'no TAI-UTC entry found', 'data lines'));
  }
  if (issues.length > 0) return { ok: false, issues };
  const expiresMjd = options.expiresMjd ?? headerExpiry;
  if (expiresMjd === undefined) {
    warnings.push(
      lineIssue(
        options.file,
        1,
        1,
        'LEAP_SECONDS_NO_EXPIRY',
        'the file states no expiry date: the table is valid only up to its last entry unless expiresMjd or afterExpiry "hold-last" is given',
      ),
    );
  }
  const table = LeapSecondTable.create(entries, {
    ...(expiresMjd === undefined ? {} : { expiresMjd }),
    ...(options.afterExpiry === undefined ? {} : { afterExpiry: options.afterExpiry }),
    source: options.file ?? defaultSource,
  });
  return { ok: true, value: table, warnings };
}

/**
 * Parses the text of IERS `Leap_Second.dat`. Data lines are `MJD day month year TAI−UTC`; the
 * header line `File expires on 28 June 2027` sets the expiry. A data line that does not parse, or
 * whose MJD disagrees with its date, or that goes backwards, is an issue (a table with a missing
 * leap second would be wrong by a second for decades, so no partial table is returned).
 */
export function parseLeapSecondDat(
  text: string,
  options: LeapSecondParseOptions = {},
): ParseResult<LeapSecondTable> {
  const file = options.file;
  const issues: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const entries: LeapSecondEntry[] = [];
  let expiry: number | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    if (raw.trimStart().startsWith('#')) {
      const m = /File expires on\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})/.exec(raw);
      if (m) {
        const month =
          MONTH_NAMES[(m[2] as string).toUpperCase()] ?? MONTHS[(m[2] as string).slice(0, 3).toUpperCase()];
        const day = Number(m[1]);
        const year = Number(m[3]);
        if (month === undefined || !isValidDate(year, month, day)) {
          issues.push(
            lineIssue(
              file,
              lineNo,
              raw.indexOf(m[0]) + 1,
              'LEAP_SECONDS_BAD_EXPIRY',
              'unreadable expiry date',
              'D Month YYYY',
              m[0],
            ),
          );
        } else {
          expiry = mjdFromCalendar(year, month, day);
        }
      }
      continue;
    }
    const m = /^\s*(\d+(?:\.\d*)?)\s+(\d{1,2})\s+(\d{1,2})\s+(\d{4})\s+(-?\d+(?:\.\d*)?)\s*$/d.exec(raw);
    if (!m?.indices) {
      reportUnmatchedLine(
        file,
        lineNo,
        raw,
        /^\s*\d/.test(raw),
        'MJD day month year TAI-UTC',
        issues,
        warnings,
      );
      continue;
    }
    const mjd = Number(m[1]);
    const day = Number(m[2]);
    const month = Number(m[3]);
    const year = Number(m[4]);
    const dat = Number(m[5]);
    const col = (g: number): number => ((m.indices as RegExpIndicesArray)[g]?.[0] ?? 0) + 1;
    if (!isValidDate(year, month, day)) {
      issues.push(
        lineIssue(file, lineNo, col(2), 'LEAP_SECONDS_BAD_LINE', 'invalid date', 'day month year', raw),
      );
      continue;
    }
    const dateMjd = mjdFromCalendar(year, month, day);
    if (mjd !== dateMjd) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          col(1),
          'LEAP_SECONDS_BAD_LINE',
          'MJD disagrees with the date',
          String(dateMjd),
          m[1] as string,
        ),
      );
      continue;
    }
    const prev = entries[entries.length - 1];
    if (prev !== undefined && !(mjd > prev.mjd)) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          col(1),
          'LEAP_SECONDS_NOT_INCREASING',
          'dates must increase',
          `> ${prev.mjd}`,
          m[1],
        ),
      );
      continue;
    }
    entries.push({ mjd, offsetS: dat, refMjd: mjd, driftSPerDay: 0 });
  }
  return finish(entries, issues, warnings, options, expiry, 'Leap_Second.dat');
}

/**
 * Parses the text of USNO `tai-utc.dat`: lines like
 * ` 1961 JAN  1 =JD 2437300.5  TAI-UTC=   1.4228180 S + (MJD - 37300.) X 0.001296 S`.
 * A line starting with a year that does not match this shape is an issue; other non-blank lines
 * (comments) are reported as `LEAP_SECONDS_IGNORED_LINE` warnings.
 */
export function parseTaiUtcDat(
  text: string,
  options: LeapSecondParseOptions = {},
): ParseResult<LeapSecondTable> {
  const file = options.file;
  const issues: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const entries: LeapSecondEntry[] = [];
  const re =
    /^\s*(\d{4})\s+([A-Za-z]{3})\s+(\d{1,2})\s+=JD\s+(\d+(?:\.\d*)?)\s+TAI-UTC=\s*(-?\d+(?:\.\d*)?)\s*S\s*\+\s*\(MJD\s*-\s*(-?\d+(?:\.\d*)?)\s*\)\s*X\s*(-?\d+(?:\.\d*)?)\s*S\s*$/d;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    const m = re.exec(raw);
    if (!m?.indices) {
      reportUnmatchedLine(
        file,
        lineNo,
        raw,
        /^\s*\d{4}\s/.test(raw),
        'YYYY MON DD =JD jd TAI-UTC= A S + (MJD - B) X C S',
        issues,
        warnings,
      );
      continue;
    }
    const col = (g: number): number => ((m.indices as RegExpIndicesArray)[g]?.[0] ?? 0) + 1;
    const year = Number(m[1]);
    const month = MONTHS[(m[2] as string).toUpperCase()];
    const day = Number(m[3]);
    if (month === undefined) {
      issues.push(
        lineIssue(file, lineNo, col(2), 'LEAP_SECONDS_BAD_LINE', 'unknown month', 'JAN..DEC', m[2]),
      );
      continue;
    }
    if (!isValidDate(year, month, day)) {
      issues.push(
        lineIssue(file, lineNo, col(3), 'LEAP_SECONDS_BAD_LINE', 'invalid date', 'a calendar date', raw),
      );
      continue;
    }
    const mjd = mjdFromCalendar(year, month, day);
    const jd = Number(m[4]);
    if (jd - MJD_JD_OFFSET !== mjd) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          col(4),
          'LEAP_SECONDS_BAD_LINE',
          'JD disagrees with the date',
          String(mjd + MJD_JD_OFFSET),
          m[4],
        ),
      );
      continue;
    }
    const prev = entries[entries.length - 1];
    if (prev !== undefined && !(mjd > prev.mjd)) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          col(1),
          'LEAP_SECONDS_NOT_INCREASING',
          'dates must increase',
          `after MJD ${prev.mjd}`,
          raw,
        ),
      );
      continue;
    }
    entries.push({ mjd, offsetS: Number(m[5]), refMjd: Number(m[6]), driftSPerDay: Number(m[7]) });
  }
  return finish(entries, issues, warnings, options, undefined, 'tai-utc.dat');
}

/**
 * Parses either format, recognised by content: `tai-utc.dat` lines contain `TAI-UTC=`.
 */
export function parseLeapSeconds(
  text: string,
  options: LeapSecondParseOptions = {},
): ParseResult<LeapSecondTable> {
  return /TAI-UTC=/.test(text) ? parseTaiUtcDat(text, options) : parseLeapSecondDat(text, options);
}
