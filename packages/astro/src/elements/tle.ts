/**
 * Two-line element sets (TLE) and three-line element sets (3LE): reading and writing.
 *
 * Layout and field meaning follow the NORAD/Space-Track TLE format description and Vallado's
 * `twoline2rv` (SGP4.cpp, 2020 release; Vallado, Crawford, Hujsak and Kelso, "Revisiting Spacetrack
 * Report #3", AIAA 2006-6753). Values are converted exactly as `twoline2rv` does (same operations,
 * same constants), so an ElementSet read here feeds SGP4 with the reference inputs bit for bit:
 * - angles: degrees × (π/180) → rad; mean motion: rev/day ÷ (1440 / 2π) → rad/min;
 * - eccentricity, n̈/6 and B*: implied leading decimal point, `±.MMMMM × 10^e`;
 * - epoch: two-digit year (57..99 → 19xx, 00..56 → 20xx), then `days2mdhms` + `jday`.
 * Checksum: sum of the digits of columns 1..68, plus 1 per '-', modulo 10.
 * Alpha-5 catalog numbers (Space Force, 2020): a leading letter A..Z without I and O stands for
 * 10..33, so A0000 = 100000 and Z9999 = 339999.
 *
 * Deviations from `twoline2rv`: fields are validated (it reads garbage as zero), and the first
 * derivative of mean motion, n̈/6 are kept in rev/day², rev/day³ (SGP4 ignores both).
 */
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import { DEG2RAD, RAD2DEG, TWO_PI } from '../units/index.js';
import type { ElementFile, ElementRecord, TleVerificationRange } from './element-record.js';
import type { ElementSet } from './element-set.js';
import { calendarFromJulianMidnight, julianFromDayOfYear, normaliseJulian } from './utc-calendar.js';

/** Minutes per day over 2π: rev/day ÷ XPDOTP = rad/min (Vallado's `xpdotp`). */
const XPDOTP = 1440.0 / TWO_PI;
/** Columns of a TLE line: 68 data columns and the checksum. */
export const TLE_LINE_LENGTH = 69;
/** Largest catalog number that fits in a TLE (Alpha-5 Z9999). */
export const TLE_MAX_CATALOG_NUMBER = 339999;

/**
 * Powers of ten as decimal literals (correctly rounded), because `Math.pow(10, -4) !== 1e-4` in V8
 * while C's `pow(10.0, -4)` in Vallado's code returns the correctly rounded value.
 */
const POW10: readonly number[] = [
  1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
];

/** How a reader treats a wrong checksum. */
export type TleChecksumMode = 'verify' | 'warn' | 'ignore';

export interface TleReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
  /**
   * 'verify' (default) rejects a record with a wrong checksum; 'warn' keeps it and adds a
   * TLE_CHECKSUM warning (Vallado's SGP4-VER.TLE has hand-edited cases 33333..33335 whose
   * checksums are wrong); 'ignore' does not look at the checksum column.
   */
  readonly checksum?: TleChecksumMode;
}

// ---------------------------------------------------------------------------------------------
// Checksum and Alpha-5
// ---------------------------------------------------------------------------------------------

/** TLE checksum of columns 1..68: digits add their value, '-' adds 1, modulo 10. */
export function tleChecksum(line: string): number {
  let sum = 0;
  const n = Math.min(line.length, 68);
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

/** Alpha-5 letters in order of value 10..33 (I and O are not used). */
const ALPHA5_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * Decodes the 5-column catalog field: digits (space padding allowed, "    5") or Alpha-5
 * ("A0000" = 100000). Returns `undefined` when the field is neither.
 */
export function decodeAlpha5(field: string): number | undefined {
  const s = field.trim();
  if (s.length === 0 || s.length > 5) return undefined;
  let value = 0;
  let start = 0;
  const first = s.charCodeAt(0);
  if (first >= 65 && first <= 90) {
    if (s.length !== 5) return undefined;
    const idx = ALPHA5_LETTERS.indexOf(s.charAt(0));
    if (idx < 0) return undefined;
    value = idx + 10;
    start = 1;
  }
  for (let i = start; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Encodes a catalog number for TLE columns 3..7: zero-padded digits up to 99999, Alpha-5 up to
 * 339999. Throws AstroError `TLE_CATALOG_RANGE` for anything larger (9-digit numbers exist only
 * in OMM/GP form).
 */
export function encodeAlpha5(catalogNumber: number): string {
  if (!Number.isInteger(catalogNumber) || catalogNumber < 0 || catalogNumber > TLE_MAX_CATALOG_NUMBER) {
    throw new AstroError(
      'TLE_CATALOG_RANGE',
      `catalog number ${catalogNumber} does not fit a TLE (expected an integer 0..${TLE_MAX_CATALOG_NUMBER}; larger numbers need OMM)`,
      { catalogNumber },
    );
  }
  if (catalogNumber < 100000) return String(catalogNumber).padStart(5, '0');
  const lead = Math.floor(catalogNumber / 10000);
  return `${ALPHA5_LETTERS.charAt(lead - 10)}${String(catalogNumber % 10000).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Field readers (charCodeAt validation, then parseFloat for correctly rounded values)
// ---------------------------------------------------------------------------------------------

/** Exact powers of ten 10^0..10^22 (every one is a double exactly). */
const POW10_EXACT: readonly number[] = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/**
 * A decimal number in `line[start, end)`: blanks around, optional sign, digits with at most one '.'.
 * With at most 15 digits the value is (integer of all digits) / 10^decimals: both operands are
 * exact doubles, so the IEEE quotient is the correctly rounded decimal, the same double as strtod
 * (Vallado's sscanf) or parseFloat returns.
 */
function readDecimal(line: string, start: number, end: number): number {
  let i = start;
  while (i < end && line.charCodeAt(i) === 32) i++;
  let j = end;
  while (j > i && line.charCodeAt(j - 1) === 32) j--;
  if (i === j) return Number.NaN;
  let k = i;
  const c0 = line.charCodeAt(k);
  if (c0 === 43 || c0 === 45) k++;
  let ndig = 0;
  let dot = -1;
  let v = 0;
  for (; k < j; k++) {
    const c = line.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      ndig++;
      v = v * 10 + (c - 48);
    } else if (c === 46 && dot < 0) dot = k;
    else return Number.NaN;
  }
  if (ndig === 0) return Number.NaN;
  if (ndig > 15) return Number.parseFloat(line.slice(i, j));
  const value = dot < 0 ? v : v / (POW10_EXACT[j - 1 - dot] as number);
  return c0 === 45 ? -value : value;
}

/** An unsigned integer in `line[start, end)` with blank padding; blank field → `blank`. */
function readInteger(line: string, start: number, end: number, blank: number): number {
  let v = 0;
  let seen = false;
  let trailing = false;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      if (seen) trailing = true;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || trailing) return Number.NaN;
    v = v * 10 + d;
    seen = true;
  }
  return seen ? v : blank;
}

/**
 * The implied-decimal exponent field `±MMMMM±E` at `line[start, start + 8)`: value ±0.MMMMM × 10^±E,
 * computed as `twoline2rv` does (mantissa, then times pow(10, e)).
 */
function readImpliedExponent(line: string, start: number): number {
  const s = line.charCodeAt(start);
  if (s !== 32 && s !== 43 && s !== 45) return Number.NaN;
  let m = 0;
  for (let i = start + 1; i < start + 6; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    m = m * 10 + d;
  }
  const es = line.charCodeAt(start + 6);
  const ed = line.charCodeAt(start + 7) - 48;
  // Exponent sign: '+', '-', ' ' or '0' (Vallado reads the two columns with %2d, so "01" is +1).
  if ((es !== 43 && es !== 45 && es !== 32 && es !== 48) || ed < 0 || ed > 9) return Number.NaN;
  const mantissa = m / 100000;
  const value = mantissa * (POW10[9 + (es === 45 ? -ed : ed)] as number);
  return s === 45 ? -value : value;
}

/** Eccentricity columns 27..33: seven digits after an implied "0."; blanks read as zeros (as Vallado). */
function readEccentricity(line: string): number {
  let v = 0;
  for (let i = 26; i < 33; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) v = v * 10 + (c - 48);
    else if (c === 32) v *= 10;
    else return Number.NaN;
  }
  return v / 1e7;
}

/** International designator columns 10..17 ("98067A  ") to COSPAR "1998-067A"; other text kept trimmed. */
function readIntlDesignator(field: string): string | undefined {
  const s = field.trim();
  if (s.length === 0) return undefined;
  if (s.length >= 6 && isDigits(s, 0, 5) && isUpperLetters(s, 5, s.length)) {
    const yy = Number(s.slice(0, 2));
    return `${yy < 57 ? 2000 + yy : 1900 + yy}-${s.slice(2, 5)}${s.slice(5)}`;
  }
  return s;
}

function isDigits(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isUpperLetters(s: string, start: number, end: number): boolean {
  if (end - start > 3) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// One record
// ---------------------------------------------------------------------------------------------

/** 1-based columns that must be blank in line 1 and line 2. */
const SEPARATORS_LINE1: readonly number[] = [9, 18, 33, 44, 53, 62, 64];
const SEPARATORS_LINE2: readonly number[] = [8, 17, 26, 34, 43, 52];

const LINE_NUMBERS: readonly (1 | 2)[] = [1, 2];

interface LinePos {
  readonly file?: string;
  readonly line1: number;
  readonly line2: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type RecordOutcome =
  | { readonly ok: true; readonly elements: ElementSet; readonly verification?: TleVerificationRange }
  | { readonly ok: false; readonly issue: ParseIssue };

function issueAt(
  pos: LinePos,
  which: 1 | 2,
  column: number,
  code: string,
  message: string,
  expected: string,
  found: string,
  key?: string,
): ParseIssue {
  const base = {
    code,
    message,
    line: which === 1 ? pos.line1 : pos.line2,
    column,
    expected,
    found: found.length > 72 ? `${found.slice(0, 72)}…` : found,
  };
  const withKey = key === undefined ? base : { ...base, key };
  return pos.file === undefined ? withKey : { ...withKey, file: pos.file };
}

/** Strips trailing blanks, tabs and CR. */
function trimEnd(s: string): string {
  let j = s.length;
  while (j > 0) {
    const c = s.charCodeAt(j - 1);
    if (c !== 32 && c !== 13 && c !== 9) break;
    j--;
  }
  return j === s.length ? s : s.slice(0, j);
}

function readRecord(
  rawLine1: string,
  rawLine2: string,
  name: string | undefined,
  pos: LinePos,
  checksum: TleChecksumMode,
  warnings: ParseIssue[],
): RecordOutcome {
  const l1 = trimEnd(rawLine1);
  const l2 = trimEnd(rawLine2);
  const fail = (
    which: 1 | 2,
    column: number,
    code: string,
    message: string,
    expected: string,
    found: string,
    key?: string,
  ): RecordOutcome => ({
    ok: false,
    issue: issueAt(pos, which, column, code, message, expected, found, key),
  });

  for (const which of LINE_NUMBERS) {
    const line = which === 1 ? l1 : l2;
    // Column 1 is the line number ('1' = 49, '2' = 50), column 2 a blank.
    if (line.charCodeAt(0) !== 48 + which || line.charCodeAt(1) !== 32) {
      return fail(
        which,
        1,
        'TLE_LINE_NUMBER',
        `line ${which} must start with "${which} "`,
        `"${which} "`,
        line.slice(0, 2),
      );
    }
  }
  for (const which of LINE_NUMBERS) {
    const line = which === 1 ? l1 : l2;
    if (line.length < TLE_LINE_LENGTH) {
      return fail(
        which,
        line.length + 1,
        'TLE_TRUNCATED',
        `line ${which} is truncated: ${line.length} columns`,
        `${TLE_LINE_LENGTH} columns`,
        line,
      );
    }
  }
  if (checksum !== 'ignore') {
    for (const which of LINE_NUMBERS) {
      const line = which === 1 ? l1 : l2;
      const want = tleChecksum(line);
      const got = line.charCodeAt(68) - 48;
      if (got !== want) {
        const issue = issueAt(
          pos,
          which,
          69,
          'TLE_CHECKSUM',
          `line ${which} checksum does not match its columns 1-68`,
          String(want),
          line.charAt(68),
        );
        if (checksum === 'verify') return { ok: false, issue };
        warnings.push(issue);
      }
    }
  }
  // Separator columns: a shifted field is the usual cause of a silent misread.
  for (const which of LINE_NUMBERS) {
    const line = which === 1 ? l1 : l2;
    for (const c of which === 1 ? SEPARATORS_LINE1 : SEPARATORS_LINE2) {
      if (line.charCodeAt(c - 1) !== 32) {
        return fail(
          which,
          c,
          'TLE_FIELD',
          `line ${which} column ${c} must be blank (field separator)`,
          '" "',
          line.charAt(c - 1),
        );
      }
    }
  }

  const cat1 = decodeAlpha5(l1.slice(2, 7));
  if (cat1 === undefined) {
    return fail(
      1,
      3,
      'TLE_FIELD',
      'catalog number is not a number',
      '5 digits or Alpha-5 (A0000..Z9999)',
      l1.slice(2, 7),
      'catalogNumber',
    );
  }
  const cat2 = decodeAlpha5(l2.slice(2, 7));
  if (cat2 === undefined) {
    return fail(
      2,
      3,
      'TLE_FIELD',
      'catalog number is not a number',
      '5 digits or Alpha-5 (A0000..Z9999)',
      l2.slice(2, 7),
      'catalogNumber',
    );
  }
  if (cat1 !== cat2) {
    return fail(
      2,
      3,
      'TLE_CATALOG_MISMATCH',
      'line 2 catalog number differs from line 1',
      l1.slice(2, 7),
      l2.slice(2, 7),
      'catalogNumber',
    );
  }
  const cls = l1.charAt(7);
  const yy = readInteger(l1, 18, 20, Number.NaN);
  if (!(yy >= 0) || l1.charCodeAt(18) === 32) {
    return fail(1, 19, 'TLE_FIELD', 'epoch year is not two digits', 'YY', l1.slice(18, 20), 'epoch');
  }
  const days = readDecimal(l1, 20, 32);
  if (!(days >= 1 && days < 367)) {
    return fail(
      1,
      21,
      'TLE_FIELD',
      'epoch day of year is not a number in 1..366',
      'DDD.DDDDDDDD',
      l1.slice(20, 32),
      'epoch',
    );
  }
  const ndot = readDecimal(l1, 33, 43);
  if (Number.isNaN(ndot)) {
    return fail(
      1,
      34,
      'TLE_FIELD',
      'first derivative of mean motion is not a number',
      '±.NNNNNNNN',
      l1.slice(33, 43),
      'meanMotionDot',
    );
  }
  const nddot = readImpliedExponent(l1, 44);
  if (Number.isNaN(nddot)) {
    return fail(
      1,
      45,
      'TLE_FIELD',
      'second derivative of mean motion is not ±MMMMM±E',
      '±MMMMM±E',
      l1.slice(44, 52),
      'meanMotionDdot',
    );
  }
  const bstar = readImpliedExponent(l1, 53);
  if (Number.isNaN(bstar)) {
    return fail(1, 54, 'TLE_FIELD', 'B* drag term is not ±MMMMM±E', '±MMMMM±E', l1.slice(53, 61), 'bstar');
  }
  const ephemerisType = readInteger(l1, 62, 63, 0);
  if (Number.isNaN(ephemerisType)) {
    return fail(
      1,
      63,
      'TLE_FIELD',
      'ephemeris type is not a digit',
      'a digit',
      l1.charAt(62),
      'ephemerisType',
    );
  }
  const elementSetNumber = readInteger(l1, 64, 68, 0);
  if (Number.isNaN(elementSetNumber)) {
    return fail(
      1,
      65,
      'TLE_FIELD',
      'element set number is not a number',
      'up to 4 digits',
      l1.slice(64, 68),
      'elementSetNumber',
    );
  }
  const incl = readDecimal(l2, 8, 16);
  if (Number.isNaN(incl)) {
    return fail(
      2,
      9,
      'TLE_FIELD',
      'inclination is not a number',
      'degrees NNN.NNNN',
      l2.slice(8, 16),
      'inclination',
    );
  }
  const raan = readDecimal(l2, 17, 25);
  if (Number.isNaN(raan)) {
    return fail(
      2,
      18,
      'TLE_FIELD',
      'right ascension of the node is not a number',
      'degrees NNN.NNNN',
      l2.slice(17, 25),
      'raan',
    );
  }
  const ecc = readEccentricity(l2);
  if (Number.isNaN(ecc)) {
    return fail(
      2,
      27,
      'TLE_FIELD',
      'eccentricity is not 7 digits',
      'NNNNNNN (implied leading decimal point)',
      l2.slice(26, 33),
      'eccentricity',
    );
  }
  const argp = readDecimal(l2, 34, 42);
  if (Number.isNaN(argp)) {
    return fail(
      2,
      35,
      'TLE_FIELD',
      'argument of perigee is not a number',
      'degrees NNN.NNNN',
      l2.slice(34, 42),
      'argPerigee',
    );
  }
  const ma = readDecimal(l2, 43, 51);
  if (Number.isNaN(ma)) {
    return fail(
      2,
      44,
      'TLE_FIELD',
      'mean anomaly is not a number',
      'degrees NNN.NNNN',
      l2.slice(43, 51),
      'meanAnomaly',
    );
  }
  const n = readDecimal(l2, 52, 63);
  if (Number.isNaN(n)) {
    return fail(
      2,
      53,
      'TLE_FIELD',
      'mean motion is not a number',
      'rev/day NN.NNNNNNNN',
      l2.slice(52, 63),
      'meanMotion',
    );
  }
  const rev = readInteger(l2, 63, 68, 0);
  if (Number.isNaN(rev)) {
    return fail(
      2,
      64,
      'TLE_FIELD',
      'revolution number is not a number',
      'up to 5 digits',
      l2.slice(63, 68),
      'revolutionNumber',
    );
  }

  let verification: TleVerificationRange | undefined;
  if (l2.length > TLE_LINE_LENGTH) {
    verification = readVerificationColumns(l2);
    if (verification === undefined) {
      warnings.push(
        issueAt(
          pos,
          2,
          70,
          'TLE_TRAILING_TEXT',
          'text after the checksum of line 2 is ignored',
          'nothing, or start stop step in minutes',
          l2.slice(69).trim(),
        ),
      );
    }
  }
  if (l1.length > TLE_LINE_LENGTH) {
    warnings.push(
      issueAt(
        pos,
        1,
        70,
        'TLE_TRAILING_TEXT',
        'text after the checksum of line 1 is ignored',
        'nothing',
        l1.slice(69).trim(),
      ),
    );
  }

  const year = yy < 57 ? 2000 + yy : 1900 + yy;
  const intl = readIntlDesignator(l1.slice(9, 17));
  const elements: Mutable<ElementSet> = {
    catalogNumber: String(cat1),
    classification: cls === ' ' ? 'U' : cls,
    epoch: julianFromDayOfYear(year, days),
    meanMotionRadPerMin: n / XPDOTP,
    eccentricity: ecc,
    inclinationRad: incl * DEG2RAD,
    raanRad: raan * DEG2RAD,
    argPerigeeRad: argp * DEG2RAD,
    meanAnomalyRad: ma * DEG2RAD,
    bstar,
    meanMotionDotRevPerDay2: ndot,
    meanMotionDdotRevPerDay3: nddot,
    ephemerisType,
    elementSetNumber,
    revolutionNumber: rev,
  };
  if (name !== undefined) elements.name = name;
  if (intl !== undefined) elements.intlDesignator = intl;
  return verification === undefined ? { ok: true, elements } : { ok: true, elements, verification };
}

/** Reads "start stop step" after column 69 of a line 2 (Vallado's verification file), else undefined. */
export function readVerificationColumns(line2: string): TleVerificationRange | undefined {
  const parts = line2.slice(TLE_LINE_LENGTH).trim().split(/\s+/);
  if (parts.length !== 3) return undefined;
  const v = parts.map((p) => (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(p) ? Number.parseFloat(p) : Number.NaN));
  const [startMin, stopMin, stepMin] = v as [number, number, number];
  if (!(Number.isFinite(startMin) && Number.isFinite(stopMin) && Number.isFinite(stepMin))) return undefined;
  return { startMin, stopMin, stepMin };
}

/**
 * Parses one TLE (two lines, optional name). The name may be given with or without the 3LE "0 "
 * prefix. Line numbers in issues are 1 and 2.
 */
export function parseTleLines(
  line1: string,
  line2: string,
  name?: string,
  options: TleReadOptions = {},
): ParseResult<ElementSet> {
  const warnings: ParseIssue[] = [];
  const pos: LinePos =
    options.file === undefined ? { line1: 1, line2: 2 } : { file: options.file, line1: 1, line2: 2 };
  const r = readRecord(
    line1,
    line2,
    name === undefined ? undefined : nameFromLine(name),
    pos,
    options.checksum ?? 'verify',
    warnings,
  );
  return r.ok ? { ok: true, value: r.elements, warnings } : { ok: false, issues: [r.issue] };
}

function nameFromLine(text: string): string {
  const t = text.trim();
  return t.charCodeAt(0) === 48 && t.charCodeAt(1) === 32 ? t.slice(2).trim() : t;
}

// ---------------------------------------------------------------------------------------------
// Whole files
// ---------------------------------------------------------------------------------------------

/** Line kinds of a TLE file. */
const KIND_BLANK = 0;
const KIND_COMMENT = 1;
const KIND_LINE1 = 2;
const KIND_LINE2 = 3;
const KIND_NAME = 4;

function lineKind(l: string): number {
  const len = l.length;
  if (len === 0) return KIND_BLANK;
  const c0 = l.charCodeAt(0);
  if (c0 === 35 /* # */) return KIND_COMMENT;
  if (len >= 2 && l.charCodeAt(1) === 32) {
    if (c0 === 49) return KIND_LINE1;
    if (c0 === 50) return KIND_LINE2;
  }
  let i = 0;
  while (i < len && (l.charCodeAt(i) === 32 || l.charCodeAt(i) === 9)) i++;
  return i === len ? KIND_BLANK : KIND_NAME;
}

/**
 * Parses a TLE/3LE file: any mix of 2-line records and 3-line records (name line "0 NAME" or a
 * bare name), with LF or CRLF, trailing blanks, blank lines and `#` comment lines. Every good
 * record is kept; every bad one yields exactly one issue in `value.rejected` (file, line, column,
 * expected, found). `ok` is false only when the text holds no acceptable record at all.
 * A bare name line must not start with "1 " or "2 " (use the 3LE "0 " prefix for such names).
 */
export function parseTleText(text: string, options: TleReadOptions = {}): ParseResult<ElementFile> {
  const file = options.file;
  const checksum = options.checksum ?? 'verify';
  const records: ElementRecord[] = [];
  const rejected: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  let named = false;

  let pendingName: string | undefined;
  let pendingNameLine = 0;
  let pendingL1: string | undefined;
  let pendingL1Line = 0;

  const where = (line: number, column = 1) =>
    file === undefined ? { line, column } : { file, line, column };
  const orphanName = () => {
    if (pendingName !== undefined) {
      rejected.push({
        ...where(pendingNameLine),
        code: 'TLE_ORPHAN_LINE',
        message: 'name line is not followed by a TLE line 1',
        expected: 'line 1 ("1 NNNNNC ...") after the name',
        found: pendingName,
      });
      pendingName = undefined;
    }
  };

  /** The pending line 1 is followed, at `lineNo`, by `found` instead of its line 2. */
  const orphanLine1 = (lineNo: number, found: string) => {
    rejected.push({
      ...where(lineNo),
      code: 'TLE_ORPHAN_LINE',
      message: `line 1 at line ${pendingL1Line} is not followed by its line 2`,
      expected: 'line 2 ("2 NNNNN ...")',
      found,
    });
  };

  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = len;
    lineNo++;
    const line = trimEnd(text.slice(start, end));
    start = end + 1;
    const kind = lineKind(line);
    if (kind === KIND_BLANK || kind === KIND_COMMENT) {
      if (end === len) break;
      continue;
    }
    if (kind === KIND_NAME) {
      if (pendingL1 !== undefined) {
        orphanLine1(lineNo, line);
        pendingL1 = undefined;
        pendingName = undefined;
      }
      orphanName();
      pendingName =
        line.charCodeAt(0) === 48 && line.charCodeAt(1) === 32 ? line.slice(2).trim() : line.trim();
      pendingNameLine = lineNo;
    } else if (kind === KIND_LINE1) {
      if (pendingL1 !== undefined) {
        orphanLine1(lineNo, line);
        pendingName = undefined;
      }
      pendingL1 = line;
      pendingL1Line = lineNo;
    } else {
      // KIND_LINE2
      if (pendingL1 === undefined) {
        rejected.push({
          ...where(lineNo),
          code: 'TLE_ORPHAN_LINE',
          message:
            pendingName === undefined
              ? 'line 2 without a line 1 before it'
              : `line 2 without a line 1 before it (after the name line at line ${pendingNameLine})`,
          expected: 'line 1 ("1 NNNNNC ...") before line 2',
          found: line,
        });
        pendingName = undefined;
      } else {
        const pos: LinePos =
          file === undefined
            ? { line1: pendingL1Line, line2: lineNo }
            : { file, line1: pendingL1Line, line2: lineNo };
        const r = readRecord(pendingL1, line, pendingName, pos, checksum, warnings);
        if (r.ok) {
          const first = pendingName === undefined ? pendingL1Line : pendingNameLine;
          if (pendingName !== undefined) named = true;
          records.push(
            r.verification === undefined
              ? { elements: r.elements, line: first }
              : { elements: r.elements, line: first, verification: r.verification },
          );
        } else {
          rejected.push(r.issue);
        }
        pendingL1 = undefined;
        pendingName = undefined;
      }
    }
    if (end === len) break;
  }
  if (pendingL1 !== undefined) {
    rejected.push({
      ...where(pendingL1Line),
      code: 'TLE_TRUNCATED',
      message: 'the file ends after a line 1 without its line 2',
      expected: 'line 2 ("2 NNNNN ...")',
      found: 'end of file',
    });
  }
  orphanName();

  if (records.length === 0) {
    const issues: ParseIssue[] =
      rejected.length > 0
        ? rejected
        : [
            {
              ...where(1),
              code: 'TLE_EMPTY',
              message: 'no TLE record found',
              expected: 'line 1 and line 2 of a TLE',
              found: text.slice(0, 40),
            },
          ];
    return { ok: false, issues };
  }
  return { ok: true, value: { format: named ? '3le' : 'tle', records, rejected }, warnings };
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

function rangeError(field: string, value: number, expected: string): AstroError {
  return new AstroError(
    'TLE_FIELD_RANGE',
    `${field} ${value} cannot be written in a TLE (expected ${expected})`,
    {
      field,
      value,
    },
  );
}

/** `±MMMMM±E`: value = ±0.MMMMM × 10^±E with a normalised mantissa (first digit non-zero). */
function formatImpliedExponent(value: number, field: string): string {
  const neg = value < 0 || Object.is(value, -0);
  const sign = neg ? '-' : ' ';
  const a = Math.abs(value);
  if (a === 0) return `${sign}00000-0`;
  // toExponential rounds the exact binary value to 5 significant digits.
  const [m, e] = a.toExponential(4).split('e') as [string, string];
  const exp = Number(e) + 1;
  if (exp > 9) throw rangeError(field, value, '|value| < 1e9');
  if (exp < -9) return `${sign}00000-0`; // below 1e-10: TLE resolution underflows to zero.
  const digits = m.replace('.', '');
  return `${sign}${digits}${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** First derivative of mean motion as ` .NNNNNNNN` / `-.NNNNNNNN` (10 columns). */
function formatNdot(value: number): string {
  const neg = value < 0 || Object.is(value, -0);
  const a = Math.abs(value);
  let s = a.toFixed(8);
  if (s.startsWith('0.')) s = s.slice(1);
  else s = a.toFixed(7);
  if (s.length > 9) throw rangeError('meanMotionDot', value, '|value| < 10 rev/day²');
  return `${neg ? '-' : ' '}${s}`.padStart(10, ' ');
}

function formatAngle(rad: number, field: string): string {
  let deg = rad * RAD2DEG;
  if (deg < 0 && deg > -360) deg += 360;
  const s = deg.toFixed(4);
  if (s.length > 8 || deg < 0) throw rangeError(field, deg, 'degrees in [0, 360)');
  return s.padStart(8, ' ');
}

function formatIntl(intl: string | undefined): string {
  if (intl === undefined) return '        ';
  const m = /^(\d{4})-(\d{3})([A-Z]{1,3})$/.exec(intl);
  const raw = m === null ? intl : `${(m[1] as string).slice(2)}${m[2]}${m[3]}`;
  if (raw.length > 8)
    throw new AstroError('TLE_FIELD_RANGE', `international designator "${intl}" does not fit 8 columns`, {
      intl,
    });
  return raw.padEnd(8, ' ');
}

/** TLE epoch columns 19..32 (`YYDDD.DDDDDDDD`) from the two-part UTC Julian date. */
function formatEpoch(es: ElementSet): string {
  const n = normaliseJulian(es.epoch.jd, es.epoch.jdFrac);
  let mid = n.jd;
  let ticks = Math.round(n.jdFrac * 1e8);
  if (ticks >= 1e8) {
    ticks -= 1e8;
    mid += 1;
  }
  const cal = calendarFromJulianMidnight(mid);
  if (cal.year < 1957 || cal.year > 2056) {
    throw new AstroError(
      'TLE_EPOCH_RANGE',
      `epoch year ${cal.year} does not fit a two-digit TLE year (1957..2056)`,
      {
        year: cal.year,
      },
    );
  }
  return `${String(cal.year % 100).padStart(2, '0')}${String(cal.dayOfYear).padStart(3, '0')}.${String(ticks).padStart(8, '0')}`;
}

function integerField(value: number, width: number, field: string): string {
  const s = String(value);
  if (!Number.isInteger(value) || value < 0 || s.length > width) {
    throw rangeError(field, value, `an integer of at most ${width} digits`);
  }
  return s.padStart(width, ' ');
}

/**
 * Writes the two 69-column lines of a TLE with checksums. Catalog numbers above 99999 use
 * Alpha-5. Throws AstroError with code `TLE_CATALOG_RANGE` (catalog number > 339999 or not a
 * number), `TLE_EPOCH_RANGE` (year outside 1957..2056) or `TLE_FIELD_RANGE` (a value that does not
 * fit its columns).
 *
 * Normalisations against Space-Track text: catalog numbers are zero-padded ("00005"), signs are
 * ' ' or '-' (never '+'), angles are blank-padded (" 34.2430"), a zero in `±MMMMM±E` is written
 * "00000-0", and exponent mantissas are normalised (first digit non-zero).
 */
export function formatTle(es: ElementSet): readonly [string, string] {
  const catNum = /^\d{1,9}$/.test(es.catalogNumber) ? Number(es.catalogNumber) : Number.NaN;
  const cat = encodeAlpha5(catNum);
  const cls = es.classification.length > 0 ? es.classification.charAt(0) : 'U';
  const eccDigits = Math.round(es.eccentricity * 1e7);
  if (!(eccDigits >= 0 && eccDigits < 1e7)) throw rangeError('eccentricity', es.eccentricity, '0 ≤ e < 1');
  const nRevDay = es.meanMotionRadPerMin * XPDOTP;
  const nText = nRevDay.toFixed(8);
  if (nText.length > 11 || nRevDay < 0) throw rangeError('meanMotion', nRevDay, '0 ≤ n < 100 rev/day');
  const body1 =
    `1 ${cat}${cls} ${formatIntl(es.intlDesignator)} ${formatEpoch(es)} ${formatNdot(es.meanMotionDotRevPerDay2)} ` +
    `${formatImpliedExponent(es.meanMotionDdotRevPerDay3, 'meanMotionDdot')} ${formatImpliedExponent(es.bstar, 'bstar')} ` +
    `${integerField(es.ephemerisType, 1, 'ephemerisType')} ${integerField(es.elementSetNumber, 4, 'elementSetNumber')}`;
  const body2 =
    `2 ${cat} ${formatAngle(es.inclinationRad, 'inclination')} ${formatAngle(es.raanRad, 'raan')} ` +
    `${String(eccDigits).padStart(7, '0')} ${formatAngle(es.argPerigeeRad, 'argPerigee')} ` +
    `${formatAngle(es.meanAnomalyRad, 'meanAnomaly')} ${nText.padStart(11, ' ')}${integerField(es.revolutionNumber % 100000, 5, 'revolutionNumber')}`;
  return [`${body1}${tleChecksum(body1)}`, `${body2}${tleChecksum(body2)}`];
}

/** How `formatTleText` writes names. */
export type TleNameStyle = '3le' | 'bare' | 'none';

/**
 * Writes element sets as a TLE file, one record after the other, lines ended by `\n`.
 * `names`: '3le' (default) writes "0 NAME" before each named record, 'bare' writes the name alone
 * (CelesTrak style), 'none' writes two-line records only. Throws as `formatTle`.
 */
export function formatTleText(sets: readonly ElementSet[], names: TleNameStyle = '3le'): string {
  const out: string[] = [];
  for (const es of sets) {
    if (names !== 'none' && es.name !== undefined) out.push(names === '3le' ? `0 ${es.name}` : es.name);
    const [a, b] = formatTle(es);
    out.push(a, b);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
