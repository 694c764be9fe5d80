/**
 * The EGM and ICGEM gravity-field readers on every file of earth/gravity (Orekit's test fields),
 * the corrupted files of earth/gravity/negative, and one synthetic corruption of each other kind
 * (made by editing egm96_to5 or eigen-6s-truncated in memory), each asserted by its issue code.
 */
import { describe, expect, it } from 'vitest';
import type { ParseIssue, ParseResult } from '../src/errors.js';
import {
  coefficientIndex,
  EGM96_MU_KM3_S2,
  EGM96_RADIUS_KM,
  GRAVITY_ISSUE,
  type GravityField,
  j2Of,
  normalizationFactor,
  normalizedC,
  normalizedS,
  parseEgm,
  parseIcgem,
} from '../src/gravity/index.js';
import { Instant } from '../src/time/instant.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const DIR = 'earth/gravity/';
const egm96to5 = readRefText(`${DIR}egm96_to5.ascii.gz`);
const egm96trunc = readRefText(`${DIR}EGM96-truncated-21x21`);
const egm2008 = readRefText(`${DIR}EGM2008_to2190_TideFree.ascii.gz`);
const eigen = readRefText(`${DIR}eigen-6s-truncated`);

/** Coefficients are compared with the decimal text of the file: parsing is exact to 1 ulp. */
const ONE_ULP_REL = 2.3e-16;

function issuesOf<T>(r: ParseResult<T>): readonly ParseIssue[] {
  if (r.ok) throw new Error('expected the parse to fail');
  return r.issues;
}

function codes<T>(r: ParseResult<T>): string[] {
  return issuesOf(r).map((i) => i.code);
}

/** The (n, m) value of column `col` (2 = C, 3 = S) on the row of an EGM text, as written. */
function egmText(text: string, n: number, m: number, col: number): number {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (Number(f[0]) === n && Number(f[1]) === m) return Number(f[col]);
  }
  throw new Error(`no row (${n},${m})`);
}

function expectCoefficient(field: GravityField, n: number, m: number, c: number, s: number): void {
  expect(Math.abs(normalizedC(field, n, m) - c)).toBeLessThanOrEqual(Math.abs(c) * ONE_ULP_REL);
  expect(Math.abs(normalizedS(field, n, m) - s)).toBeLessThanOrEqual(Math.abs(s) * ONE_ULP_REL);
}

describe('EGM reader on the reference files', () => {
  it('reads EGM96-truncated-21x21: 251 rows, degree 21, EGM96 GM and radius by default', () => {
    const r = parseEgm(egm96trunc, { file: 'EGM96-truncated-21x21', tideSystem: 'tide_free' });
    const f = unwrap(r);
    expect(f.degree).toBe(21);
    expect(f.order).toBe(21);
    expect(f.c.length).toBe(253); // 0..21 triangle; degree 1 is implied 0
    expect(f.muKm3S2).toBe(EGM96_MU_KM3_S2);
    expect(f.radiusKm).toBe(EGM96_RADIUS_KM);
    expect(f.tideSystem).toBe('tide_free');
    expect(normalizedC(f, 0, 0)).toBe(1);
    expect(normalizedC(f, 1, 0)).toBe(0);
    expect(normalizedC(f, 2, 0)).toBe(-0.484165371736e-3);
    expectCoefficient(f, 21, 21, 0.830374873932e-8, -0.375546121742e-8);
    expectCoefficient(f, 13, 7, egmText(egm96trunc, 13, 7, 2), egmText(egm96trunc, 13, 7, 3));
    expect(f.sigmaC?.[coefficientIndex(2, 2)]).toBe(0.53739154e-10);
    if (r.ok) expect(r.warnings).toEqual([]);
  });

  it('egm96_to5 lacks (5,3): refused at degree 5, read at degree 4, read with allowMissing', () => {
    const refused = issuesOf(parseEgm(egm96to5, { file: 'egm96_to5' }));
    expect(refused.map((i) => i.code)).toEqual([GRAVITY_ISSUE.MISSING]);
    expect(refused[0]).toMatchObject({ file: 'egm96_to5', line: 16, expected: '(5,3)' });

    const f4 = unwrap(parseEgm(egm96to5, { maxDegree: 4 }));
    expect(f4.degree).toBe(4);

    const r = parseEgm(egm96to5, { allowMissing: true });
    const f = unwrap(r);
    expect(f.degree).toBe(5);
    if (r.ok) expect(r.warnings.map((w) => [w.code, w.expected])).toEqual([[GRAVITY_ISSUE.MISSING, '(5,3)']]);
    expect(normalizedC(f, 5, 3)).toBe(0);
    // The values Orekit asserts for this file (EGMFormatReaderTest; od/README.md).
    expect(normalizedC(f, 3, 0)).toBe(0.957254173792e-6);
    expect(normalizedC(f, 5, 5)).toBe(0.174971983203e-6);
    expect(normalizedS(f, 4, 4)).toBe(0.308853169333e-6);
    expect(normalizedC(f, 5, 4)).toBe(-0.295301647654e-6);
    // Orekit's un-normalised −C20 = 1.0826266835531513e-3 (J2): exact to rounding of √5.
    expect(Math.abs(j2Of(f) - 1.0826266835531513e-3)).toBeLessThan(1.0826e-3 * 4 * ONE_ULP_REL);
  });

  it('reads the EGM2008 slice up to the last complete degree and stops at the requested degree', () => {
    // 30 rows: degree 2 to (7,4). Degree 7 is incomplete: reading it all is a gap.
    const all = codes(parseEgm(egm2008));
    expect(all).toEqual([GRAVITY_ISSUE.MISSING, GRAVITY_ISSUE.MISSING, GRAVITY_ISSUE.MISSING]);
    const f = unwrap(parseEgm(egm2008, { maxDegree: 6, tideSystem: 'tide_free' }));
    expect(f.degree).toBe(6);
    // The values Orekit asserts for this file.
    expect(normalizedC(f, 3, 0)).toBe(0.957161207093473e-6);
    expect(normalizedC(f, 5, 5)).toBe(0.174811795496002e-6);
    expect(normalizedS(f, 4, 4)).toBe(0.308803882149194e-6);
    expect(normalizedC(f, 5, 4)).toBe(-0.295328761175629e-6);
    expect(normalizedC(f, 2, 0)).toBe(-0.484169317366974e-3);
  });

  it('does not parse rows beyond the requested degree (the rest of a huge file)', () => {
    const tail = '\n 8 0 garbage that would be refused\n';
    expect(parseEgm(egm2008 + tail, { maxDegree: 6 }).ok).toBe(true);
    expect(codes(parseEgm(egm2008 + tail))).toContain(GRAVITY_ISSUE.COLUMN_COUNT);
  });

  it('reads degree 0 and 1 from a file that starts at degree 2 (C00 = 1, degree 1 = 0 implied)', () => {
    for (const maxDegree of [0, 1]) {
      const f = unwrap(parseEgm(egm96to5, { maxDegree }));
      expect(f.degree).toBe(maxDegree);
      expect(normalizedC(f, 0, 0)).toBe(1);
      expect(normalizedC(f, 1, 1)).toBe(0);
    }
  });

  it('refuses a degree beyond the end of the text', () => {
    const r = issuesOf(parseEgm(egm96trunc, { maxDegree: 30 }));
    expect(r.map((i) => i.code)).toEqual([GRAVITY_ISSUE.DEGREE_UNAVAILABLE]);
  });

  it('keeps only the requested order', () => {
    const f = unwrap(parseEgm(egm96trunc, { maxDegree: 10, maxOrder: 3 }));
    expect([f.degree, f.order]).toEqual([10, 3]);
    expect(normalizedC(f, 10, 3)).toBe(egmText(egm96trunc, 10, 3, 2));
    expect(normalizedC(f, 10, 4)).toBe(0);
  });
});

describe('EGM reader on the negative files', () => {
  it('corrupted-1: the (2,0) row has 4 fields instead of 6', () => {
    const text = readRefText(`${DIR}negative/corrupted-1-egm96_to5`);
    const issues = issuesOf(parseEgm(text, { file: 'corrupted-1-egm96_to5' }));
    expect(issues.map((i) => i.code)).toEqual([GRAVITY_ISSUE.COLUMN_COUNT]);
    expect(issues[0]).toMatchObject({ line: 1, expected: '6 fields "n m C S sigmaC sigmaS"' });
    expect(issues[0]?.found).toMatch(/^4 fields/);
  });

  it('corrupted-2: the file is empty', () => {
    const text = readRefText(`${DIR}negative/corrupted-2-egm96_to5`);
    expect(text).toBe('');
    expect(codes(parseEgm(text, { file: 'corrupted-2-egm96_to5' }))).toEqual([GRAVITY_ISSUE.EMPTY]);
  });

  it('corrupted-3: S(2,0) non-zero (columns copied from (2,1)) and "corrupted-data" in place of S(5,5)', () => {
    const text = readRefText(`${DIR}negative/corrupted-3-egm96_to5`);
    const issues = issuesOf(parseEgm(text, { file: 'corrupted-3-egm96_to5' }));
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      [GRAVITY_ISSUE.NONZERO_SN0, 1],
      [GRAVITY_ISSUE.BAD_NUMBER, 18],
    ]);
    expect(issues[1]).toMatchObject({ column: 30, found: 'corrupted-data', expected: 'a decimal number' });
  });
});

/** egm96_to5 with its missing (5,3) row restored from the 21×21 file, then edited by `edit`. */
function corrupted(edit: (lines: string[]) => string[]): string {
  const lines = egm96to5.trimEnd().split('\n');
  const i53 = lines.findIndex((l) => /^\s*5\s+4\s/.test(l));
  lines.splice(i53, 0, '   5   3 -0.451955406071E-06 -0.214847190624E-06  0.17111636E-09  0.16810647E-09');
  return edit(lines).join('\n');
}

describe('EGM reader detects each kind of corruption', () => {
  it('the restored egm96_to5 is complete', () => {
    expect(unwrap(parseEgm(corrupted((l) => l))).degree).toBe(5);
  });

  const cases: Array<[string, (l: string[]) => string[], string, number]> = [
    [
      'a bad number',
      (l) => l.map((s, i) => (i === 3 ? s.replace('0.957254173792E-06', '0.9572541x3792E-06') : s)),
      GRAVITY_ISSUE.BAD_NUMBER,
      4,
    ],
    [
      'NaN',
      (l) => l.map((s, i) => (i === 4 ? s.replace('0.202998882184E-05', 'NaN') : s)),
      GRAVITY_ISSUE.NOT_FINITE,
      5,
    ],
    [
      'an overflowing exponent',
      (l) => l.map((s, i) => (i === 4 ? s.replace('E-05', 'E+999') : s)),
      GRAVITY_ISSUE.NOT_FINITE,
      5,
    ],
    ['a duplicated (n,m)', (l) => [...l.slice(0, 5), l[4]!, ...l.slice(5)], GRAVITY_ISSUE.DUPLICATE, 6],
    ['a missing (n,m)', (l) => l.filter((_, i) => i !== 6), GRAVITY_ISSUE.MISSING, 7],
    [
      'a degree out of order',
      (l) => [...l.slice(0, 3), l[7]!, ...l.slice(3, 7), ...l.slice(8)],
      GRAVITY_ISSUE.OUT_OF_ORDER,
      5,
    ],
    [
      'a wrong column count (7 fields)',
      (l) => l.map((s, i) => (i === 2 ? `${s} 0.0` : s)),
      GRAVITY_ISSUE.COLUMN_COUNT,
      3,
    ],
    [
      'm > n',
      (l) => l.map((s, i) => (i === 2 ? s.replace(/^(\s*)2(\s+)2/, '$12$23') : s)),
      GRAVITY_ISSUE.ORDER_ABOVE_DEGREE,
      3,
    ],
    ['C00 not 1', (l) => ['   0   0  0.99  0.0  0.0  0.0', ...l], GRAVITY_ISSUE.C00_NOT_ONE, 1],
    [
      'a non-integer degree',
      (l) => l.map((s, i) => (i === 0 ? s.replace(/^(\s*)2/, '$12.0') : s)),
      GRAVITY_ISSUE.BAD_INTEGER,
      1,
    ],
    [
      'a negative sigma',
      (l) => l.map((s, i) => (i === 1 ? s.replace('0.10000000E-29  0.1', '-0.10000000E-29  0.1') : s)),
      GRAVITY_ISSUE.NEGATIVE_SIGMA,
      2,
    ],
  ];
  for (const [what, edit, code, line] of cases) {
    it(`refuses ${what} (${code}, line ${line})`, () => {
      const text = corrupted(edit);
      expect(text).not.toBe(corrupted((l) => l));
      const issues = issuesOf(parseEgm(text, { file: 'edited' }));
      expect(issues[0]).toMatchObject({ code, line, file: 'edited' });
    });
  }
});

describe('ICGEM reader', () => {
  /** EIGEN-6S reference epoch t0 = 2005-01-01 (gfct rows), 0h TT. */
  const T0 = Instant.fromTtJulianDate(2453371.5);

  it('refuses the time-variable EIGEN-6S without an epoch', () => {
    const issues = issuesOf(parseIcgem(eigen, { file: 'eigen-6s-truncated' }));
    expect(issues.map((i) => [i.code, i.line])).toEqual([[GRAVITY_ISSUE.EPOCH_REQUIRED, 82]]);
  });

  it('reads EIGEN-6S: header values, 20×20, and G(t0) = gfct + acos(1 y) + acos(0.5 y)', () => {
    const f = unwrap(parseIcgem(eigen, { file: 'eigen-6s-truncated', epoch: T0 }));
    expect(f.name).toBe('EIGEN-6S');
    expect(f.format).toBe('icgem');
    expect([f.degree, f.order]).toEqual([20, 20]);
    expect(f.muKm3S2).toBeCloseTo(398600.4415, 10);
    expect(f.radiusKm).toBeCloseTo(6378.13646, 10);
    expect(f.tideSystem).toBe('tide_free');
    // Lines 82–88: gfct, trnd, acos 1.0, asin 1.0, acos 0.5, asin 0.5 for (2,0).
    const c20 = -4.8416529982e-4 + 4.10019292536e-11 + 3.33920225943e-11;
    expect(Math.abs(normalizedC(f, 2, 0) - c20)).toBeLessThan(Math.abs(c20) * 2 * ONE_ULP_REL);
    expect(normalizedC(f, 0, 0)).toBe(1);
    expect(f.sigmaC?.[coefficientIndex(2, 0)]).toBe(1.9551e-13);
  });

  it('evaluates drift and periodic terms a quarter year after t0', () => {
    const dtYears = 0.25;
    const epoch = T0.plusSeconds(dtYears * 365.25 * 86400);
    const f = unwrap(parseIcgem(eigen, { epoch }));
    const w1 = 2 * Math.PI * dtYears;
    const w2 = 2 * Math.PI * (dtYears / 0.5);
    const c20 =
      -4.8416529982e-4 +
      -1.26059939709e-11 * dtYears +
      4.10019292536e-11 * Math.cos(w1) +
      5.32367408468e-11 * Math.sin(w1) +
      3.33920225943e-11 * Math.cos(w2) +
      -2.44369818145e-11 * Math.sin(w2);
    // 1e-18 absolute: cos(π/2) ≈ 6e-17, the epoch rounding to TT seconds, and float sums.
    expect(Math.abs(normalizedC(f, 2, 0) - c20)).toBeLessThan(1e-18);
  });

  it('reads a static ICGEM text (gfc rows only), to a smaller degree, and an unnormalised one', () => {
    const text = staticIcgem(eigen);
    const f = unwrap(parseIcgem(text, { file: 'static', maxDegree: 4 }));
    expect(f.degree).toBe(4);
    expect(normalizedC(f, 2, 0)).toBe(-4.8416529982e-4);
    const unnorm = text
      .replace(/norm\s+fully_normalized/, 'norm unnormalized')
      .replace(
        /^(gfc\s+3\s+1\s+)(\S+)/m,
        (_s, head: string) => `${head}${(1e-6 * normalizationFactor(3, 1)).toExponential(15)}`,
      );
    const u = unwrap(parseIcgem(unnorm, { maxDegree: 4 }));
    expect(Math.abs(normalizedC(u, 3, 1) - 1e-6)).toBeLessThan(1e-6 * 4 * ONE_ULP_REL);
  });

  const icgemCases: Array<[string, (t: string) => string, string]> = [
    ['no end_of_head', (t) => t.replace('end_of_head', 'end_of_hea'), GRAVITY_ISSUE.NO_END_OF_HEAD],
    ['no radius', (t) => t.replace(/^radius.*$/m, ''), GRAVITY_ISSUE.MISSING_KEYWORD],
    ['an unknown norm', (t) => t.replace('fully_normalized', 'semi_normalized'), GRAVITY_ISSUE.BAD_KEYWORD],
    ['an unknown row key', (t) => t.replace('gfc    1    0', 'gfx    1    0'), GRAVITY_ISSUE.UNKNOWN_ROW],
    [
      'a gfc row without sigmas under errors formal',
      (t) => t.replace(/^(gfc\s+1\s+0\s+\S+\s+\S+).*$/m, '$1'),
      GRAVITY_ISSUE.COLUMN_COUNT,
    ],
    [
      'a degree above max_degree',
      (t) => t.replace(/max_degree\s+20/, 'max_degree 19'),
      GRAVITY_ISSUE.ABOVE_MAX_DEGREE,
    ],
    ['a duplicated gfc row', (t) => t.replace(/^(gfc\s+1\s+0.*)$/m, '$1\n$1'), GRAVITY_ISSUE.DUPLICATE],
    ['a missing gfc row', (t) => t.replace(/^gfc\s+3\s+2\s.*\n/m, ''), GRAVITY_ISSUE.MISSING],
    ['NaN', (t) => t.replace(/^(gfc\s+3\s+2\s+)\S+/m, '$1NaN'), GRAVITY_ISSUE.NOT_FINITE],
    [
      'header only',
      (t) => t.slice(0, t.indexOf('end_of_head') + 100).replace(/\ngfc[\s\S]*$/, '\n'),
      GRAVITY_ISSUE.EMPTY,
    ],
    [
      'a trnd row without gfct',
      (t) => t.replace(/^(gfc\s+3\s+2\s+.*)$/m, '$1\ntrnd   3    2  1.0e-12 0.0 0.0 0.0'),
      GRAVITY_ISSUE.EPOCH_REQUIRED,
    ],
  ];
  for (const [what, edit, code] of icgemCases) {
    it(`refuses ${what} (${code})`, () => {
      const base = staticIcgem(eigen);
      const text = edit(base);
      expect(text).not.toBe(base);
      expect(codes(parseIcgem(text, { file: 'edited' }))[0]).toBe(code);
    });
  }

  it('refuses a trnd row without its gfct row when an epoch is given', () => {
    const text = staticIcgem(eigen).replace(
      /^(gfc\s+3\s+2\s+.*)$/m,
      '$1\ntrnd   3    2  1.0e-12 0.0 0.0 0.0',
    );
    expect(codes(parseIcgem(text, { epoch: T0 }))).toEqual([GRAVITY_ISSUE.NO_REFERENCE_EPOCH]);
  });

  it('refuses ICGEM 2.0 time-variable rows', () => {
    const text = eigen.replace('product_type', 'format icgem2.0\nproduct_type');
    expect(codes(parseIcgem(text, { epoch: T0 }))).toEqual([GRAVITY_ISSUE.UNSUPPORTED]);
  });
});

/** EIGEN-6S made static: gfct rows become gfc (t0 dropped), trnd/acos/asin rows removed. */
function staticIcgem(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(trnd|acos|asin)\s/.test(l))
    .map((l) => (l.startsWith('gfct') ? l.replace(/^gfct/, 'gfc ').replace(/\s+\S+\s*$/, '') : l))
    .join('\n');
}
