/**
 * Reader of ICGEM gravity-field files (.gfc), following Barthelmes & Förste, "The ICGEM-format",
 * GFZ Potsdam, 2011 (format version 1.0). A free-text header ends at `end_of_head`; inside it (after
 * `begin_of_head` when present) the keywords
 *
 *   product_type gravity_field · modelname · earth_gravity_constant (m³/s²) · radius (m) ·
 *   max_degree · norm fully_normalized | unnormalized (default fully_normalized) ·
 *   tide_system tide_free | zero_tide | mean_tide | unknown · errors no | formal | calibrated |
 *   calibrated_and_formal · format
 *
 * then one row per coefficient, `gfc n m C S [σC σS]` (σ columns per `errors`), in any order.
 * Time-variable fields (EIGEN-6S, EIGEN-GRGS...) replace gfc by
 *
 *   gfct n m C S [σ] t0      t0 = yyyymmdd[.hhmm], the reference epoch
 *   trnd n m C S [σ]         drift per year (`dot` in older files)
 *   acos n m C S [σ] period  amplitude of cos(2π(t − t0)/period), period in years
 *   asin n m C S [σ] period  amplitude of sin(2π(t − t0)/period)
 *
 * and G(t) = gfct + trnd·(t − t0) + Σ acos·cos(2π(t − t0)/p) + asin·sin(2π(t − t0)/p), the rule in
 * the EIGEN-6S header. Such a file is read only with an `epoch` (the field is evaluated there, with
 * t − t0 in Julian years of 365.25 days of TT; t0 is taken at 0h TT — the 64 s difference from a UTC
 * t0 changes no coefficient at the 1e-19 level); without one it is refused (GRAVITY_EPOCH_REQUIRED).
 * ICGEM 2.0 files, whose gfct rows carry validity intervals, are refused when time-variable.
 *
 * Rows above the requested degree or order are skipped unparsed (the order of rows is free in this
 * format, so the whole text is scanned). Unnormalised coefficients are normalised on reading.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { mjdFromCalendar } from '../math/calendar.js';
import type { Instant } from '../time/instant.js';
import {
  type CoefficientRow,
  CoefficientTable,
  type Fields,
  GRAVITY_ISSUE,
  IssueList,
  readCoefficientRow,
  readInteger,
  readNumber,
  splitFields,
  validDegreeOption,
} from './coefficient-table.js';
import { buildField, reportMissing } from './field-builder.js';
import {
  coefficientIndex,
  type GravityField,
  normalizationFactor,
  type TideSystem,
} from './gravity-field.js';

/** Days per Julian year, the time unit of trnd rows and periods. */
const DAYS_PER_JULIAN_YEAR = 365.25;
/** JD of MJD 0. */
const MJD_ZERO_JD = 2400000.5;

export interface IcgemParseOptions {
  /** File name for the issues. */
  readonly file?: string;
  /** Highest degree to read (default: the header's max_degree). */
  readonly maxDegree?: number;
  /** Highest order to keep (default and at most: the degree). */
  readonly maxOrder?: number;
  /** Epoch at which a time-variable field is evaluated (required when the file has gfct rows). */
  readonly epoch?: Instant;
  /** Accept gaps: a missing (n, m) becomes 0 with a warning. Default false (a gap is an issue). */
  readonly allowMissing?: boolean;
}

type ErrorsKind = 'no' | 'formal' | 'calibrated' | 'calibrated_and_formal' | 'absent';
type RowKey = 'gfc' | 'gfct' | 'trnd' | 'acos' | 'asin';

const TIDE_SYSTEMS: Readonly<Record<string, TideSystem>> = {
  tide_free: 'tide_free',
  zero_tide: 'zero_tide',
  mean_tide: 'mean_tide',
  unknown: 'unknown',
};

const ROW_KEYS: Readonly<Record<string, RowKey>> = {
  gfc: 'gfc',
  gfct: 'gfct',
  trnd: 'trnd',
  dot: 'trnd',
  acos: 'acos',
  asin: 'asin',
};

/** Sigma columns for each `errors` value. */
const SIGMA_COLUMNS: Readonly<Record<Exclude<ErrorsKind, 'absent'>, number>> = {
  no: 0,
  formal: 2,
  calibrated: 2,
  calibrated_and_formal: 4,
};

interface Header {
  keywords: Map<string, { value: string; line: number; column: number }>;
  endLine: number;
  /** Offset of the first character after the end_of_head line. */
  bodyStart: number;
}

/** Reads the header up to end_of_head; undefined (with an issue) when there is none. */
function readHeader(text: string, issues: IssueList): Header | undefined {
  const keywords = new Map<string, { value: string; line: number; column: number }>();
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const f = splitFields(text.slice(pos, end));
    pos = end + 1;
    lineNo++;
    const key = f.text[0]?.toLowerCase();
    if (key === undefined) continue;
    if (key === 'end_of_head') return { keywords, endLine: lineNo, bodyStart: pos };
    // Free text may precede begin_of_head: only the keywords after it count.
    if (key === 'begin_of_head') {
      keywords.clear();
      continue;
    }
    if (f.text.length >= 2 && !keywords.has(key)) {
      keywords.set(key, { value: f.text[1] ?? '', line: lineNo, column: f.column[1] ?? 1 });
    }
  }
  issues.add(
    Math.max(lineNo, 1),
    1,
    GRAVITY_ISSUE.NO_END_OF_HEAD,
    'an ICGEM header ends with end_of_head',
    'a line "end_of_head"',
    'end of the text',
  );
  return undefined;
}

/** A positive number keyword, or undefined with an issue. */
function positiveKeyword(h: Header, key: string, issues: IssueList): number | undefined {
  const k = h.keywords.get(key);
  if (k === undefined) {
    issues.add(
      h.endLine,
      1,
      GRAVITY_ISSUE.MISSING_KEYWORD,
      `header keyword ${key} is missing`,
      key,
      'end_of_head',
    );
    return undefined;
  }
  const f: Fields = { text: [k.value], column: [k.column] };
  const v = readNumber(f, 0, key, k.line, issues);
  if (v !== undefined && !(v > 0)) {
    issues.add(k.line, k.column, GRAVITY_ISSUE.BAD_KEYWORD, `${key} must be positive`, '> 0', k.value);
    return undefined;
  }
  return v;
}

/** MJD of a `yyyymmdd[.hhmm]` epoch, or undefined. */
function parseT0(t: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:\.(\d{2})(\d{2})?)?$/.exec(t);
  if (m === null) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  return mjdFromCalendar(Number(m[1]), month, day) + (hour * 60 + minute) / 1440;
}

interface PeriodicTerm {
  readonly k: number;
  readonly cos: boolean;
  readonly c: number;
  readonly s: number;
  readonly periodYears: number;
  readonly line: number;
}

/** Parses an ICGEM text (see the module header). */
export function parseIcgem(text: string, options: IcgemParseOptions = {}): ParseResult<GravityField> {
  const file = options.file;
  const issues = new IssueList(file);
  if (!validDegreeOption(options.maxDegree) || !validDegreeOption(options.maxOrder)) {
    issues.add(0, 0, GRAVITY_ISSUE.DEGREE_UNAVAILABLE, 'maxDegree and maxOrder must be integers ≥ 0');
    return { ok: false, issues: issues.issues };
  }
  const header = readHeader(text, issues);
  if (header === undefined) return { ok: false, issues: issues.issues };

  const kw = (k: string) => header.keywords.get(k);
  const product = kw('product_type');
  if (product !== undefined && product.value !== 'gravity_field') {
    issues.add(
      product.line,
      product.column,
      GRAVITY_ISSUE.UNSUPPORTED,
      'only gravity_field products are read',
      'gravity_field',
      product.value,
    );
  }
  const gmM3S2 = positiveKeyword(header, 'earth_gravity_constant', issues);
  const radiusM = positiveKeyword(header, 'radius', issues);
  let fileMaxDegree: number | undefined;
  const md = kw('max_degree');
  if (md === undefined) {
    issues.add(
      header.endLine,
      1,
      GRAVITY_ISSUE.MISSING_KEYWORD,
      'header keyword max_degree is missing',
      'max_degree',
      'end_of_head',
    );
  } else {
    fileMaxDegree = readInteger({ text: [md.value], column: [md.column] }, 0, 'max_degree', md.line, issues);
  }
  const normKw = kw('norm');
  const norm = normKw?.value ?? 'fully_normalized';
  if (norm !== 'fully_normalized' && norm !== 'unnormalized') {
    issues.add(
      normKw?.line ?? header.endLine,
      normKw?.column ?? 1,
      GRAVITY_ISSUE.BAD_KEYWORD,
      'unknown norm',
      'fully_normalized or unnormalized',
      norm,
    );
  }
  const tideKw = kw('tide_system');
  const tideSystem: TideSystem = tideKw === undefined ? 'unknown' : (TIDE_SYSTEMS[tideKw.value] ?? 'unknown');
  const errorsKw = kw('errors');
  let errors: ErrorsKind = 'absent';
  if (errorsKw !== undefined) {
    if (errorsKw.value in SIGMA_COLUMNS) {
      errors = errorsKw.value as ErrorsKind;
    } else {
      issues.add(
        errorsKw.line,
        errorsKw.column,
        GRAVITY_ISSUE.BAD_KEYWORD,
        'unknown errors kind',
        'no, formal, calibrated or calibrated_and_formal',
        errorsKw.value,
      );
    }
  }
  const icgem2 = (kw('format')?.value ?? '').toLowerCase().startsWith('icgem2');
  if (
    issues.issues.length > 0 ||
    fileMaxDegree === undefined ||
    gmM3S2 === undefined ||
    radiusM === undefined
  ) {
    return { ok: false, issues: issues.issues };
  }
  const degree = options.maxDegree ?? fileMaxDegree;
  if (degree > fileMaxDegree) {
    issues.add(
      md?.line ?? header.endLine,
      md?.column ?? 1,
      GRAVITY_ISSUE.DEGREE_UNAVAILABLE,
      `degree ${degree} requested but the file's max_degree is ${fileMaxDegree}`,
      `max_degree ≥ ${degree}`,
      String(fileMaxDegree),
    );
    return { ok: false, issues: issues.issues };
  }
  const order = Math.min(options.maxOrder ?? degree, degree);
  const table = new CoefficientTable(degree, order);
  const trend = new Map<number, { c: number; s: number; line: number }>();
  const t0Mjd = new Map<number, number>();
  const periodic: PeriodicTerm[] = [];
  const periodicSeen = new Map<string, number>();
  let firstTimeVariableLine = 0;
  let rowCount = 0;

  let pos = header.bodyStart;
  let lineNo = header.endLine;
  while (pos < text.length && !issues.full) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    const f = splitFields(line);
    const keyText = f.text[0];
    if (keyText === undefined) continue;
    const key = ROW_KEYS[keyText.toLowerCase()];
    if (key === undefined) {
      issues.add(
        lineNo,
        1,
        GRAVITY_ISSUE.UNKNOWN_ROW,
        'unknown row key',
        'gfc, gfct, trnd, dot, acos or asin',
        keyText,
      );
      continue;
    }
    rowCount++;
    if (key !== 'gfc' && firstTimeVariableLine === 0) firstTimeVariableLine = lineNo;
    const extra = key === 'gfct' || key === 'acos' || key === 'asin' ? 1 : 0;
    const sigmaCols = errors === 'absent' ? undefined : SIGMA_COLUMNS[errors];
    const count = f.text.length - 5 - extra;
    const fits = sigmaCols === undefined ? count === 0 || count === 2 : count === sigmaCols;
    if (!fits) {
      const want = 5 + extra + (sigmaCols ?? 2);
      issues.add(
        lineNo,
        1,
        GRAVITY_ISSUE.COLUMN_COUNT,
        `a ${key} row has ${want} fields with errors ${errors === 'absent' ? '(not given)' : errors}`,
        `${want} fields`,
        `${f.text.length} fields "${line.trim()}"`,
      );
      continue;
    }
    // Skip rows outside the requested degree and order without parsing the numbers.
    const n = readInteger(f, 1, 'degree n', lineNo, issues);
    const m = readInteger(f, 2, 'order m', lineNo, issues);
    if (n === undefined || m === undefined) continue;
    if (n > fileMaxDegree) {
      issues.add(
        lineNo,
        f.column[1] ?? 1,
        GRAVITY_ISSUE.ABOVE_MAX_DEGREE,
        'row degree above the header max_degree',
        `n ≤ ${fileMaxDegree}`,
        String(n),
      );
      continue;
    }
    if (!table.holds(n, m) && m <= n) continue;
    const row: CoefficientRow | undefined = readCoefficientRow(f, 1, count > 0, lineNo, issues);
    if (row === undefined) continue;
    const k = coefficientIndex(n, m);
    if (key === 'gfc' || key === 'gfct') {
      table.set(row, lineNo, 1, issues);
      if (key === 'gfct') {
        const tText = f.text[f.text.length - 1] ?? '';
        const t0 = parseT0(tText);
        if (t0 === undefined) {
          issues.add(
            lineNo,
            f.column[f.text.length - 1] ?? 1,
            GRAVITY_ISSUE.BAD_NUMBER,
            'reference epoch t0 is not a date',
            'yyyymmdd or yyyymmdd.hhmm',
            tText,
          );
        } else {
          t0Mjd.set(k, t0);
        }
      }
    } else if (key === 'trnd') {
      const prev = trend.get(k);
      if (prev !== undefined) {
        issues.add(
          lineNo,
          1,
          GRAVITY_ISSUE.DUPLICATE,
          `trnd (${n},${m}) was already given on line ${prev.line}`,
          'one trnd row per (n,m)',
          `(${n},${m})`,
        );
        continue;
      }
      trend.set(k, { c: row.c, s: row.s, line: lineNo });
    } else {
      const pText = f.text[f.text.length - 1] ?? '';
      const period = readNumber(f, f.text.length - 1, 'period (years)', lineNo, issues);
      if (period === undefined) continue;
      if (!(period > 0)) {
        issues.add(
          lineNo,
          f.column[f.text.length - 1] ?? 1,
          GRAVITY_ISSUE.BAD_NUMBER,
          'period must be positive',
          '> 0 years',
          pText,
        );
        continue;
      }
      const id = `${k}:${key}:${period}`;
      const prevLine = periodicSeen.get(id);
      if (prevLine !== undefined) {
        issues.add(
          lineNo,
          1,
          GRAVITY_ISSUE.DUPLICATE,
          `${key} (${n},${m}) period ${period} y was already given on line ${prevLine}`,
          'each term once',
          `(${n},${m})`,
        );
        continue;
      }
      periodicSeen.set(id, lineNo);
      periodic.push({ k, cos: key === 'acos', c: row.c, s: row.s, periodYears: period, line: lineNo });
    }
  }
  if (issues.issues.length > 0) return { ok: false, issues: issues.issues };
  if (rowCount === 0) {
    issues.add(
      header.endLine,
      1,
      GRAVITY_ISSUE.EMPTY,
      'no coefficient row after end_of_head',
      'gfc rows',
      'end of the text',
    );
    return { ok: false, issues: issues.issues };
  }
  if (firstTimeVariableLine !== 0) {
    if (icgem2) {
      issues.add(
        firstTimeVariableLine,
        1,
        GRAVITY_ISSUE.UNSUPPORTED,
        'time-variable rows of the ICGEM 2.0 format (with validity intervals) are not read',
        'format icgem1.0 or gfc rows only',
        'format icgem2.0',
      );
      return { ok: false, issues: issues.issues };
    }
    if (options.epoch === undefined) {
      issues.add(
        firstTimeVariableLine,
        1,
        GRAVITY_ISSUE.EPOCH_REQUIRED,
        'the field is time-variable: pass the epoch at which to evaluate it (option epoch)',
        'an epoch option',
        'no epoch',
      );
      return { ok: false, issues: issues.issues };
    }
    const [jd1, jd2] = options.epoch.ttJulianDate();
    const epochMjd = jd1 - MJD_ZERO_JD + jd2;
    const years = (k: number, line: number): number | undefined => {
      const t0 = t0Mjd.get(k);
      if (t0 === undefined) {
        issues.add(
          line,
          1,
          GRAVITY_ISSUE.NO_REFERENCE_EPOCH,
          'time-variable term without its gfct row',
          'a gfct row with t0',
          'none',
        );
        return undefined;
      }
      return (epochMjd - t0) / DAYS_PER_JULIAN_YEAR;
    };
    for (const [k, t] of trend) {
      const dt = years(k, t.line);
      if (dt === undefined) continue;
      table.c[k] = (table.c[k] ?? 0) + t.c * dt;
      table.s[k] = (table.s[k] ?? 0) + t.s * dt;
    }
    for (const p of periodic) {
      const dt = years(p.k, p.line);
      if (dt === undefined) continue;
      const w = p.cos
        ? Math.cos((2 * Math.PI * dt) / p.periodYears)
        : Math.sin((2 * Math.PI * dt) / p.periodYears);
      table.c[p.k] = (table.c[p.k] ?? 0) + p.c * w;
      table.s[p.k] = (table.s[p.k] ?? 0) + p.s * w;
    }
    if (issues.issues.length > 0) return { ok: false, issues: issues.issues };
  }
  const warnings: ParseIssue[] = [];
  reportMissing(table, options.allowMissing === true, false, lineNo, issues, warnings, file);
  if (issues.issues.length > 0) return { ok: false, issues: issues.issues };
  if (norm === 'unnormalized') {
    for (let n = 0; n <= degree; n++) {
      for (let m = 0; m <= Math.min(n, order); m++) {
        const k = coefficientIndex(n, m);
        const f = normalizationFactor(n, m);
        table.c[k] = (table.c[k] ?? 0) / f;
        table.s[k] = (table.s[k] ?? 0) / f;
        table.sigmaC[k] = (table.sigmaC[k] ?? 0) / f;
        table.sigmaS[k] = (table.sigmaS[k] ?? 0) / f;
      }
    }
  }
  return {
    ok: true,
    value: buildField(table, {
      name: kw('modelname')?.value ?? '',
      format: 'icgem',
      muKm3S2: gmM3S2 * 1e-9,
      radiusKm: radiusM * 1e-3,
      tideSystem,
    }),
    warnings,
  };
}
