/**
 * Reader of the NGA "EGM" ascii coefficient files (`egm96_to360.ascii`, `EGM2008_to2190_TideFree`,
 * and truncations of them): no header, one row per (n, m),
 *
 *     n  m  C̄nm  S̄nm  σC̄nm  σS̄nm
 *
 * fully normalised, Fortran `E` (or `D`) exponents, sorted by degree then order, starting at n = 2
 * (a `0 0 1 0 0 0` row may come first; C̄00 = 1 and degree 1 = 0 are implied). The files hold no GM
 * or radius: the caller gives them, with the EGM96/EGM2008 values as defaults (NIMA TR8350.2 3rd ed.
 * §5.1 for EGM96; Pavlis et al. 2012, "The development and evaluation of the Earth Gravitational
 * Model 2008", JGR 117, B04406, §2, for EGM2008 — both GM = 3986004.415e8 m³/s², a = 6378136.3 m).
 *
 * Because the rows are sorted by degree, reading stops at the first row of degree > `maxDegree`:
 * the 2.3 M-row EGM2008 text is scanned only up to the degree asked for (the rest of the string is
 * never split). Every row up to that degree must be present, exactly once, in order: a gap, a
 * duplicate, a short row, a bad number, NaN, m > n, S̄n0 ≠ 0 or C̄00 ≠ 1 is an issue with its line.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import {
  type CoefficientRow,
  CoefficientTable,
  GRAVITY_ISSUE,
  IssueList,
  readCoefficientRow,
  readInteger,
  splitFields,
  validDegreeOption,
} from './coefficient-table.js';
import { buildField, reportMissing } from './field-builder.js';
import type { GravityField, TideSystem } from './gravity-field.js';

/** EGM96 GM, km³/s² (3986004.415e8 m³/s², NIMA TR8350.2 §5.1). */
export const EGM96_MU_KM3_S2 = 398600.4415;
/** EGM96 reference radius, km (6378136.3 m, NIMA TR8350.2 §5.1). */
export const EGM96_RADIUS_KM = 6378.1363;
/** EGM2008 GM, km³/s² (3986004.415e8 m³/s², Pavlis et al. 2012 §2; same as EGM96). */
export const EGM2008_MU_KM3_S2 = 398600.4415;
/** EGM2008 reference radius, km (6378136.3 m, Pavlis et al. 2012 §2). */
export const EGM2008_RADIUS_KM = 6378.1363;

/** Fields of an EGM row. */
const EGM_FIELDS = 6;

export interface EgmParseOptions {
  /** File name for the issues. */
  readonly file?: string;
  /** Model name stored in the field (the file has none). */
  readonly name?: string;
  /** Highest degree to read (default: every row of the text). Rows beyond it are not parsed. */
  readonly maxDegree?: number;
  /** Highest order to keep (default and at most: the degree). */
  readonly maxOrder?: number;
  /** GM of the coefficients, km³/s² (default EGM96_MU_KM3_S2, which is also EGM2008's). */
  readonly muKm3S2?: number;
  /** Reference radius, km (default EGM96_RADIUS_KM, which is also EGM2008's). */
  readonly radiusKm?: number;
  /** Tide system of C̄20 (the file does not say; NGA's file names do). Default 'unknown'. */
  readonly tideSystem?: TideSystem;
  /**
   * Accept gaps: a missing (n, m) becomes 0 and is reported as a warning (one per coefficient).
   * Default false: a gap is an issue and the file is refused.
   */
  readonly allowMissing?: boolean;
}

/** Parses an EGM coefficient text (see the module header). */
export function parseEgm(text: string, options: EgmParseOptions = {}): ParseResult<GravityField> {
  const file = options.file;
  const issues = new IssueList(file);
  const maxDegree = options.maxDegree;
  if (!validDegreeOption(maxDegree) || !validDegreeOption(options.maxOrder)) {
    issues.add(0, 0, GRAVITY_ISSUE.DEGREE_UNAVAILABLE, 'maxDegree and maxOrder must be integers ≥ 0');
    return { ok: false, issues: issues.issues };
  }
  const rows: Array<{ row: CoefficientRow; line: number; column: number }> = [];
  let prevN = -1;
  let prevM = -1;
  let lineNo = 0;
  let lastLine = 0;
  let pos = 0;
  /** True when reading stopped at a row above maxDegree (the text goes on beyond it). */
  let stopped = false;
  while (pos < text.length && !issues.full) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    const f = splitFields(line);
    if (f.text.length === 0) continue;
    lastLine = lineNo;
    if (f.text.length !== EGM_FIELDS) {
      issues.add(
        lineNo,
        1,
        GRAVITY_ISSUE.COLUMN_COUNT,
        `an EGM row has ${EGM_FIELDS} fields`,
        `${EGM_FIELDS} fields "n m C S sigmaC sigmaS"`,
        `${f.text.length} fields "${line.trim()}"`,
      );
      continue;
    }
    if (maxDegree !== undefined) {
      const n = readInteger(f, 0, 'degree n', lineNo, issues);
      if (n === undefined) continue;
      // Sorted by degree: nothing after this row is wanted.
      if (n > maxDegree) {
        stopped = true;
        break;
      }
    }
    const row = readCoefficientRow(f, 0, true, lineNo, issues);
    if (row === undefined) continue;
    if (row.n < prevN || (row.n === prevN && row.m <= prevM)) {
      const dup = row.n === prevN && row.m === prevM;
      issues.add(
        lineNo,
        f.column[0] ?? 1,
        dup ? GRAVITY_ISSUE.DUPLICATE : GRAVITY_ISSUE.OUT_OF_ORDER,
        dup ? `(${row.n},${row.m}) is given twice` : 'EGM rows are sorted by degree, then order',
        `a row after (${prevN},${prevM})`,
        `(${row.n},${row.m})`,
      );
      continue;
    }
    prevN = row.n;
    prevM = row.m;
    rows.push({ row, line: lineNo, column: f.column[0] ?? 1 });
  }
  if (issues.issues.length > 0) return { ok: false, issues: issues.issues };
  if (rows.length === 0 && !stopped) {
    issues.add(
      Math.max(lastLine, 1),
      1,
      GRAVITY_ISSUE.EMPTY,
      'no coefficient row',
      'rows "n m C S sigmaC sigmaS"',
      text.trim() === '' ? '(empty text)' : text.trim(),
    );
    return { ok: false, issues: issues.issues };
  }
  const degree = maxDegree ?? prevN;
  if (!stopped && prevN < degree) {
    issues.add(
      lastLine,
      1,
      GRAVITY_ISSUE.DEGREE_UNAVAILABLE,
      `degree ${degree} requested but the text ends at degree ${prevN}`,
      `rows up to degree ${degree}`,
      `last row (${prevN},${prevM})`,
    );
    return { ok: false, issues: issues.issues };
  }
  const order = Math.min(options.maxOrder ?? degree, degree);
  const table = new CoefficientTable(degree, order);
  for (const r of rows) {
    if (table.holds(r.row.n, r.row.m)) table.set(r.row, r.line, r.column, issues);
  }
  const warnings: ParseIssue[] = [];
  reportMissing(table, options.allowMissing === true, true, lastLine, issues, warnings, file);
  if (issues.issues.length > 0) return { ok: false, issues: issues.issues };
  return {
    ok: true,
    value: buildField(table, {
      name: options.name ?? '',
      format: 'egm',
      muKm3S2: options.muKm3S2 ?? EGM96_MU_KM3_S2,
      radiusKm: options.radiusKm ?? EGM96_RADIUS_KM,
      tideSystem: options.tideSystem ?? 'unknown',
    }),
    warnings,
  };
}
