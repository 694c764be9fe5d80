/**
 * Time strings: ISO 8601 and CCSDS ASCII time codes (CCSDS 301.0-B-4 §3.5).
 *
 * - Calendar form (ISO 8601 extended, CCSDS ASCII Code A): `YYYY-MM-DDThh:mm:ss[.d…][Z]`.
 * - Day-of-year form (CCSDS ASCII Code B, ISO 8601 ordinal date): `YYYY-DDDThh:mm:ss[.d…][Z]`.
 * Four-digit years, seconds required, any number of decimals, optional trailing `Z`; no other
 * UTC offsets. Second 60 is accepted syntactically only at 23:59 and checked against the
 * leap second table when the string is turned into an instant.
 *
 * Formatting rounds half up at the requested decimals in integer arithmetic on the second of day
 * of the time's own scale, then carries: 59.9996 → next minute/hour/day, and on a leap second day
 * 23:59:59.9996 → 23:59:60.000 and 23:59:60.9996 → next day 00:00:00.000.
 */
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import {
  calendarFromDayOfYear,
  calendarFromMjd,
  dayOfYear,
  daysInMonth,
  daysInYear,
} from '../math/calendar.js';
import type { Instant } from './instant.js';
import { fieldsToInstant, scaleDayTime, type TimeScale } from './scales.js';
import type { CalendarFields, TimeContext } from './utc.js';

/** `'iso'` = calendar form with `Z`; `'ccsds-a'` calendar without `Z`; `'ccsds-b'` day-of-year without `Z`. */
export type TimeStringStyle = 'iso' | 'ccsds-a' | 'ccsds-b';

export interface ParsedTimeString {
  readonly fields: CalendarFields;
  /** Calendar (`YYYY-MM-DD`) or day-of-year (`YYYY-DDD`) form. */
  readonly form: 'calendar' | 'day-of-year';
  /** True when the string ended with `Z`. */
  readonly zulu: boolean;
  /** Number of decimals written in the seconds. */
  readonly decimals: number;
}

export interface TimeParseOptions {
  readonly file?: string;
  readonly line?: number;
  /** Column of the string's first character in its line (default 1). */
  readonly column?: number;
}

/** Most decimals `formatTime` writes (sub-picosecond digits are float noise). */
export const MAX_TIME_DECIMALS = 12;

/** Column (1-based) of each field in the two forms, for issues raised after parsing. */
const FIELD_COLUMNS: Readonly<Record<'calendar' | 'day-of-year', Readonly<Record<string, number>>>> = {
  calendar: { year: 1, month: 6, day: 9, hour: 12, minute: 15, second: 18 },
  'day-of-year': { year: 1, month: 6, day: 6, hour: 10, minute: 13, second: 16 },
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a time string into calendar fields (no scale, no leap second table needed). Issues carry
 * the column of the offending character and code `TIME_SYNTAX` or `TIME_FIELD_RANGE`.
 */
export function parseTimeString(text: string, options: TimeParseOptions = {}): ParseResult<ParsedTimeString> {
  const col0 = (options.column ?? 1) - 1;
  const fail = (
    pos: number,
    code: string,
    message: string,
    expected: string,
    found?: string,
  ): ParseResult<ParsedTimeString> => ({
    ok: false,
    issues: [
      {
        ...(options.file === undefined ? {} : { file: options.file }),
        ...(options.line === undefined ? {} : { line: options.line }),
        column: col0 + pos + 1,
        code,
        message,
        expected,
        found: found ?? (text.slice(pos, pos + 12) || 'end of text'),
      },
    ],
  });
  let p = 0;
  const digits = (n: number, what: string): number | ParseResult<ParsedTimeString> => {
    for (let k = 0; k < n; k++) {
      if (!isDigit(text[p + k]))
        return fail(p + k, 'TIME_SYNTAX', `expected ${n} digits of ${what}`, `${n} digits`);
    }
    const v = Number(text.slice(p, p + n));
    p += n;
    return v;
  };
  const lit = (c: string, what: string): ParseResult<ParsedTimeString> | undefined => {
    if (text[p] !== c) return fail(p, 'TIME_SYNTAX', `expected '${c}' ${what}`, `'${c}'`);
    p++;
    return undefined;
  };
  const year = digits(4, 'year');
  if (typeof year !== 'number') return year;
  let e = lit('-', 'after the year');
  if (e) return e;
  // Day-of-year form: three digits followed by 'T'.
  const doyForm = isDigit(text[p]) && isDigit(text[p + 1]) && isDigit(text[p + 2]) && text[p + 3] === 'T';
  let month: number;
  let day: number;
  if (doyForm) {
    const doyPos = p;
    const doy = digits(3, 'day of year');
    if (typeof doy !== 'number') return doy;
    if (doy < 1 || doy > daysInYear(year)) {
      return fail(
        doyPos,
        'TIME_FIELD_RANGE',
        `day of year outside 1..${daysInYear(year)}`,
        `001..${daysInYear(year)}`,
        String(doy),
      );
    }
    const c = calendarFromDayOfYear(year, doy);
    month = c.month;
    day = c.day;
  } else {
    const mPos = p;
    const m = digits(2, 'month');
    if (typeof m !== 'number') return m;
    if (m < 1 || m > 12) return fail(mPos, 'TIME_FIELD_RANGE', 'month outside 01..12', '01..12', String(m));
    e = lit('-', 'after the month (or a 3-digit day of year followed by T)');
    if (e) return e;
    const dPos = p;
    const d = digits(2, 'day');
    if (typeof d !== 'number') return d;
    if (d < 1 || d > daysInMonth(year, m)) {
      return fail(
        dPos,
        'TIME_FIELD_RANGE',
        `day outside 01..${daysInMonth(year, m)}`,
        `01..${daysInMonth(year, m)}`,
        String(d),
      );
    }
    month = m;
    day = d;
  }
  e = lit('T', 'between date and time');
  if (e) return e;
  const hPos = p;
  const hour = digits(2, 'hour');
  if (typeof hour !== 'number') return hour;
  if (hour > 23) return fail(hPos, 'TIME_FIELD_RANGE', 'hour outside 00..23', '00..23', String(hour));
  e = lit(':', 'after the hour');
  if (e) return e;
  const minPos = p;
  const minute = digits(2, 'minute');
  if (typeof minute !== 'number') return minute;
  if (minute > 59) return fail(minPos, 'TIME_FIELD_RANGE', 'minute outside 00..59', '00..59', String(minute));
  e = lit(':', 'after the minute');
  if (e) return e;
  const sPos = p;
  const sec = digits(2, 'second');
  if (typeof sec !== 'number') return sec;
  if (sec > 60) return fail(sPos, 'TIME_FIELD_RANGE', 'second outside 00..60', '00..60', String(sec));
  if (sec === 60 && !(hour === 23 && minute === 59)) {
    return fail(sPos, 'TIME_FIELD_RANGE', 'second 60 only exists at 23:59 (leap second)', '00..59', '60');
  }
  let frac = 0;
  let decimals = 0;
  if (text[p] === '.') {
    p++;
    const start = p;
    while (isDigit(text[p])) p++;
    decimals = p - start;
    if (decimals === 0) return fail(p, 'TIME_SYNTAX', 'expected digits after the decimal point', 'digits');
    frac = Number(`0.${text.slice(start, p)}`);
  }
  let zulu = false;
  if (text[p] === 'Z') {
    zulu = true;
    p++;
  }
  if (p !== text.length) {
    const c = text[p];
    const msg =
      c === '+' || c === '-' ? 'UTC offsets are not supported (only Z)' : 'unexpected text after the time';
    return fail(p, 'TIME_SYNTAX', msg, 'end of text', text.slice(p, p + 12));
  }
  // sec + frac < sec + 1 always: `frac` < 1 by construction, but guard the double sum.
  const second = Math.min(sec + frac, sec + 1 - 64 * Number.EPSILON);
  return {
    ok: true,
    value: {
      fields: { year, month, day, hour, minute, second },
      form: doyForm ? 'day-of-year' : 'calendar',
      zulu,
      decimals,
    },
    warnings: [],
  };
}

/**
 * Parses a time string read in `scale` (default UTC) into an Instant. Besides syntax, reports
 * `TIME_INVALID_FIELDS` (e.g. 23:59:60 on a day without a leap second, at the seconds' column),
 * `TIME_OUT_OF_RANGE` and EOP errors as issues.
 */
export function parseTimeToInstant(
  text: string,
  ctx: TimeContext,
  options: TimeParseOptions & { readonly scale?: TimeScale } = {},
): ParseResult<Instant> {
  const parsed = parseTimeString(text, options);
  if (!parsed.ok) return parsed;
  try {
    const t = fieldsToInstant(parsed.value.fields, options.scale ?? 'UTC', ctx);
    return { ok: true, value: t, warnings: [] };
  } catch (err) {
    if (!(err instanceof AstroError)) throw err;
    const field = typeof err.details['field'] === 'string' ? (err.details['field'] as string) : 'year';
    const issue: ParseIssue = {
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(options.line === undefined ? {} : { line: options.line }),
      column: (options.column ?? 1) - 1 + (FIELD_COLUMNS[parsed.value.form][field] ?? 1),
      code: err.code,
      message: err.message,
      found: text,
    };
    return { ok: false, issues: [issue] };
  }
}

export interface TimeFormatOptions {
  /** Scale in which to write the time (default 'UTC'). */
  readonly scale?: TimeScale;
  /** Default 'iso'. */
  readonly style?: TimeStringStyle;
  /** Decimals of the seconds, 0..12 (default 3). */
  readonly decimals?: number;
  /** Append `Z`; default true for 'iso', false for the CCSDS styles. */
  readonly zulu?: boolean;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Writes an instant as a time string (see module header for rounding and carries). Throws
 * `TIME_FORMAT_RANGE` for years outside 0000..9999 or decimals outside 0..12, and the scale's
 * conversion errors (`TIME_OUT_OF_RANGE`, EOP errors).
 */
export function formatTime(t: Instant, ctx: TimeContext, options: TimeFormatOptions = {}): string {
  const scale = options.scale ?? 'UTC';
  const style = options.style ?? 'iso';
  const decimals = options.decimals ?? 3;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_TIME_DECIMALS) {
    throw new AstroError(
      'TIME_FORMAT_RANGE',
      `decimals must be an integer in 0..${MAX_TIME_DECIMALS}, got ${decimals}`,
      {
        decimals,
      },
    );
  }
  const d = scaleDayTime(t, scale, ctx);
  const unit = 10 ** decimals;
  let mjd = d.mjd;
  let secInt = d.secInt;
  let fracUnits = Math.round(d.secFrac * unit);
  if (fracUnits >= unit) {
    secInt += 1;
    fracUnits -= unit;
  }
  if (secInt + fracUnits / unit >= d.lengthS) {
    // Carry into the next day; exact for whole-second day lengths (86400, 86401).
    const excess = secInt - d.lengthS + fracUnits / unit;
    mjd += 1;
    const ex = Math.round(excess * unit);
    secInt = Math.floor(ex / unit);
    fracUnits = ex - secInt * unit;
  }
  const { year, month, day } = calendarFromMjd(mjd);
  if (year < 0 || year > 9999) {
    throw new AstroError('TIME_FORMAT_RANGE', `year ${year} cannot be written with 4 digits`, { year });
  }
  let hour: number;
  let minute: number;
  let second: number;
  if (secInt >= 86340) {
    hour = 23;
    minute = 59;
    second = secInt - 86340;
  } else {
    hour = Math.floor(secInt / 3600);
    minute = Math.floor((secInt - hour * 3600) / 60);
    second = secInt - hour * 3600 - minute * 60;
  }
  const date =
    style === 'ccsds-b'
      ? `${pad(year, 4)}-${pad(dayOfYear(year, month, day), 3)}`
      : `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  const fracText = decimals > 0 ? `.${pad(fracUnits, decimals)}` : '';
  const zulu = options.zulu ?? style === 'iso';
  return `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fracText}${zulu ? 'Z' : ''}`;
}
