/**
 * What the EGM and ICGEM readers share: the strict number syntax of a coefficient row, the checks
 * every (n, m, C̄, S̄, σC, σS) row must pass, and the table that records which (n, m) were read so
 * that a duplicate or a gap is an error, never a silent zero. Internal to gravity/.
 */
import type { ParseIssue } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { coefficientCount, coefficientIndex } from './gravity-field.js';

/** Issue codes of the gravity-field readers (stable; tests assert these). */
export const GRAVITY_ISSUE = {
  /** No coefficient row at all (empty file, or header only). */
  EMPTY: 'GRAVITY_EMPTY',
  /** A row has the wrong number of whitespace-separated fields. */
  COLUMN_COUNT: 'GRAVITY_COLUMN_COUNT',
  /** n or m is not a non-negative integer. */
  BAD_INTEGER: 'GRAVITY_BAD_INTEGER',
  /** A coefficient or sigma field is not a decimal number. */
  BAD_NUMBER: 'GRAVITY_BAD_NUMBER',
  /** A field reads NaN or Infinity (or overflows to it). */
  NOT_FINITE: 'GRAVITY_NOT_FINITE',
  /** m > n. */
  ORDER_ABOVE_DEGREE: 'GRAVITY_ORDER_ABOVE_DEGREE',
  /** An EGM row is not after the previous one in (degree, order) order. */
  OUT_OF_ORDER: 'GRAVITY_OUT_OF_ORDER',
  /** The same (n, m) is given twice. */
  DUPLICATE: 'GRAVITY_DUPLICATE_COEFFICIENT',
  /** An (n, m) within the requested degree and order has no row. */
  MISSING: 'GRAVITY_MISSING_COEFFICIENT',
  /** S̄n0 is not 0 (sin 0·λ = 0: a non-zero value means shifted or corrupted columns). */
  NONZERO_SN0: 'GRAVITY_NONZERO_SN0',
  /** C̄00 is given and is not 1. */
  C00_NOT_ONE: 'GRAVITY_C00_NOT_ONE',
  /** A standard deviation is negative. */
  NEGATIVE_SIGMA: 'GRAVITY_NEGATIVE_SIGMA',
  /** The requested degree/order is beyond what the file holds, or is not a valid integer. */
  DEGREE_UNAVAILABLE: 'GRAVITY_DEGREE_UNAVAILABLE',
  /** An ICGEM row of degree above the header's max_degree. */
  ABOVE_MAX_DEGREE: 'GRAVITY_ABOVE_MAX_DEGREE',
  /** An ICGEM header keyword that is required is absent. */
  MISSING_KEYWORD: 'GRAVITY_MISSING_KEYWORD',
  /** An ICGEM header keyword has a value that cannot be used. */
  BAD_KEYWORD: 'GRAVITY_BAD_KEYWORD',
  /** An ICGEM file without `end_of_head`. */
  NO_END_OF_HEAD: 'GRAVITY_NO_END_OF_HEAD',
  /** An ICGEM data row whose key is not gfc, gfct, trnd, dot, acos or asin. */
  UNKNOWN_ROW: 'GRAVITY_UNKNOWN_ROW',
  /** Time-variable rows (gfct/trnd/acos/asin) but no `epoch` was given to evaluate them at. */
  EPOCH_REQUIRED: 'GRAVITY_EPOCH_REQUIRED',
  /** trnd/acos/asin for an (n, m) without its gfct row (no reference epoch t0). */
  NO_REFERENCE_EPOCH: 'GRAVITY_NO_REFERENCE_EPOCH',
  /** A format variant this reader refuses (ICGEM 2.0 time-variable rows, non-gravity products). */
  UNSUPPORTED: 'GRAVITY_UNSUPPORTED',
  /** The reader stopped after this many issues. */
  TOO_MANY_ISSUES: 'GRAVITY_TOO_MANY_ISSUES',
} as const;

/** Issues kept before a reader gives up on a file. */
export const MAX_GRAVITY_ISSUES = 50;

/** A decimal number as the formats write it: Fortran `E` or `D` exponents, no hex, no NaN/Infinity. */
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const INTEGER_RE = /^\d+$/;
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Collects the issues of one file, capped at MAX_GRAVITY_ISSUES. */
export class IssueList {
  readonly issues: ParseIssue[] = [];
  full = false;
  constructor(readonly file: string | undefined) {}

  add(line: number, column: number, code: string, message: string, expected?: string, found?: string): void {
    if (this.full) return;
    if (this.issues.length >= MAX_GRAVITY_ISSUES) {
      this.issues.push(
        lineIssue(
          this.file,
          line,
          column,
          GRAVITY_ISSUE.TOO_MANY_ISSUES,
          'stopped reading after this many issues',
        ),
      );
      this.full = true;
      return;
    }
    this.issues.push(lineIssue(this.file, line, column, code, message, expected, found));
  }
}

/** Fields of one line with their 1-based start columns. */
export interface Fields {
  readonly text: string[];
  readonly column: number[];
}

/** Splits a line on blanks and tabs, keeping each field's 1-based column. */
export function splitFields(line: string): Fields {
  const text: string[] = [];
  const column: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    text.push(m[0]);
    column.push(m.index + 1);
  }
  return { text, column };
}

/**
 * The number in field `i`, or undefined after adding a BAD_NUMBER / NOT_FINITE issue. `what` names
 * the field in the message ("C̄nm", "sigma S̄nm"...).
 */
export function readNumber(
  f: Fields,
  i: number,
  what: string,
  lineNo: number,
  issues: IssueList,
): number | undefined {
  const t = f.text[i] ?? '';
  const col = f.column[i] ?? 1;
  if (NON_FINITE_RE.test(t)) {
    issues.add(lineNo, col, GRAVITY_ISSUE.NOT_FINITE, `${what} is not finite`, 'a finite number', t);
    return undefined;
  }
  if (!NUMBER_RE.test(t)) {
    issues.add(lineNo, col, GRAVITY_ISSUE.BAD_NUMBER, `${what} is not a number`, 'a decimal number', t);
    return undefined;
  }
  const v = Number(t.replace(/[dD]/, 'e'));
  if (!Number.isFinite(v)) {
    issues.add(lineNo, col, GRAVITY_ISSUE.NOT_FINITE, `${what} overflows`, 'a finite number', t);
    return undefined;
  }
  return v;
}

/** The non-negative integer in field `i`, or undefined after a BAD_INTEGER issue. */
export function readInteger(
  f: Fields,
  i: number,
  what: string,
  lineNo: number,
  issues: IssueList,
): number | undefined {
  const t = f.text[i] ?? '';
  if (!INTEGER_RE.test(t)) {
    issues.add(
      lineNo,
      f.column[i] ?? 1,
      GRAVITY_ISSUE.BAD_INTEGER,
      `${what} is not an integer`,
      'an integer ≥ 0',
      t,
    );
    return undefined;
  }
  return Number(t);
}

/** One parsed coefficient row. */
export interface CoefficientRow {
  readonly n: number;
  readonly m: number;
  readonly c: number;
  readonly s: number;
  readonly sigmaC: number;
  readonly sigmaS: number;
}

/**
 * Reads `n m C S [sigmaC sigmaS]` starting at field `first`; checks m ≤ n, finite numbers, S̄n0 = 0,
 * non-negative sigmas. Returns undefined when the row has an issue (already added).
 */
export function readCoefficientRow(
  f: Fields,
  first: number,
  withSigma: boolean,
  lineNo: number,
  issues: IssueList,
): CoefficientRow | undefined {
  const before = issues.issues.length;
  const n = readInteger(f, first, 'degree n', lineNo, issues);
  const m = readInteger(f, first + 1, 'order m', lineNo, issues);
  const c = readNumber(f, first + 2, 'C', lineNo, issues);
  const s = readNumber(f, first + 3, 'S', lineNo, issues);
  const sigmaC = withSigma ? readNumber(f, first + 4, 'sigma C', lineNo, issues) : 0;
  const sigmaS = withSigma ? readNumber(f, first + 5, 'sigma S', lineNo, issues) : 0;
  if (
    issues.issues.length !== before ||
    n === undefined ||
    m === undefined ||
    c === undefined ||
    s === undefined ||
    sigmaC === undefined ||
    sigmaS === undefined
  ) {
    return undefined;
  }
  if (m > n) {
    issues.add(
      lineNo,
      f.column[first + 1] ?? 1,
      GRAVITY_ISSUE.ORDER_ABOVE_DEGREE,
      `order m = ${m} is above degree n = ${n}`,
      `m ≤ ${n}`,
      String(m),
    );
    return undefined;
  }
  if (m === 0 && s !== 0) {
    issues.add(
      lineNo,
      f.column[first + 3] ?? 1,
      GRAVITY_ISSUE.NONZERO_SN0,
      `S(${n},0) must be 0 (sin 0λ = 0); the columns may be shifted`,
      '0',
      f.text[first + 3],
    );
    return undefined;
  }
  if (n === 0 && c !== 1) {
    issues.add(
      lineNo,
      f.column[first + 2] ?? 1,
      GRAVITY_ISSUE.C00_NOT_ONE,
      'C(0,0) must be 1',
      '1',
      f.text[first + 2],
    );
    return undefined;
  }
  if (sigmaC < 0 || sigmaS < 0) {
    const i = sigmaC < 0 ? first + 4 : first + 5;
    issues.add(
      lineNo,
      f.column[i] ?? 1,
      GRAVITY_ISSUE.NEGATIVE_SIGMA,
      'a standard deviation is negative',
      '≥ 0',
      f.text[i],
    );
    return undefined;
  }
  return { n, m, c, s, sigmaC, sigmaS };
}

/**
 * The coefficients of (n, m) with n ≤ degree and m ≤ min(n, order), with the line each came from.
 * Degrees 0 and 1 may be left out of a file: C̄00 = 1 and C̄1m = S̄1m = 0 then (the EGM convention,
 * geocentric field), which is not a gap.
 */
export class CoefficientTable {
  readonly c: Float64Array;
  readonly s: Float64Array;
  readonly sigmaC: Float64Array;
  readonly sigmaS: Float64Array;
  /** 1-based line of the row that set each (n, m); 0 when not yet set. */
  readonly lineOf: Int32Array;
  hasSigma = false;

  constructor(
    readonly degree: number,
    readonly order: number,
  ) {
    const count = coefficientCount(degree);
    this.c = new Float64Array(count);
    this.s = new Float64Array(count);
    this.sigmaC = new Float64Array(count);
    this.sigmaS = new Float64Array(count);
    this.lineOf = new Int32Array(count);
    this.c[0] = 1;
  }

  /** True when (n, m) is within the table's degree and order. */
  holds(n: number, m: number): boolean {
    return n <= this.degree && m <= this.order;
  }

  /** Stores a row; a second row for the same (n, m) is a DUPLICATE issue. */
  set(row: CoefficientRow, lineNo: number, column: number, issues: IssueList): void {
    const k = coefficientIndex(row.n, row.m);
    const first = this.lineOf[k] ?? 0;
    if (first !== 0) {
      issues.add(
        lineNo,
        column,
        GRAVITY_ISSUE.DUPLICATE,
        `(${row.n},${row.m}) was already given on line ${first}`,
        'each (n,m) once',
        `(${row.n},${row.m})`,
      );
      return;
    }
    this.lineOf[k] = lineNo;
    this.c[k] = row.c;
    this.s[k] = row.s;
    this.sigmaC[k] = row.sigmaC;
    this.sigmaS[k] = row.sigmaS;
    if (row.sigmaC !== 0 || row.sigmaS !== 0) this.hasSigma = true;
  }

  /** Every (n, m) of degree ≥ 2 within the table that no row set, in (n, m) order. */
  missing(): Array<readonly [number, number]> {
    const out: Array<readonly [number, number]> = [];
    for (let n = 2; n <= this.degree; n++) {
      for (let m = 0; m <= Math.min(n, this.order); m++) {
        if ((this.lineOf[coefficientIndex(n, m)] ?? 0) === 0) out.push([n, m]);
      }
    }
    return out;
  }
}

/** Checks a requested degree/order option: a non-negative integer, or undefined. */
export function validDegreeOption(v: number | undefined): boolean {
  return v === undefined || (Number.isInteger(v) && v >= 0);
}
