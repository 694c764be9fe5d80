import { describe, expect, it } from 'vitest';
import type { ElementSet } from '../src/elements/element-set.js';
import {
  decodeAlpha5,
  encodeAlpha5,
  formatTle,
  formatTleText,
  parseTleLines,
  parseTleText,
  tleChecksum,
} from '../src/elements/tle.js';
import { julianFromCalendar, parseUtcString } from '../src/elements/utc-calendar.js';
import { AstroError } from '../src/errors.js';
import { readRefText } from './reference-data.js';
import { ELEMENT_SET_REAL_FIELDS, unwrap } from './test-support.js';

/**
 * Independent read of the epoch through Date.UTC (a different algorithm from Vallado's jday), compared
 * as days since 1970 (double resolution ~2e-12 day there), must agree to 1e-10 day (8.6 µs): the TLE
 * epoch resolution is 1e-8 day (864 µs), so any real mistake is far larger.
 */
const EPOCH_TOLERANCE_DAYS = 1e-10;
const DEG2RAD = Math.PI / 180;
const XPDOTP = 1440 / (2 * Math.PI);

const ISS_L1 = '1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991';
const ISS_L2 = '2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482';

/** Sets the checksum of a hand-edited line so that only the intended defect remains. */
function withChecksum(line: string): string {
  return `${line.slice(0, 68)}${tleChecksum(line)}`;
}

/**
 * Space-Track text → the canonical text formatTle writes. These are the documented normalisations:
 * blank-padded catalog numbers become zero-padded; '+' signs become blanks; zero-padded angles,
 * mean motion and revolution numbers become blank-padded; in ±MMMMM±E fields a zero mantissa gets
 * exponent "-0" and exponent 0 of a non-zero mantissa is written "+0" (Space-Track writes " 0",
 * "+0", "-0" and "00000+0" variously). The checksum is recomputed for the normalised text.
 */
function normaliseLine(line: string): string {
  let s = line.slice(0, 69);
  s = `${s.slice(0, 2)}${s.slice(2, 7).replace(/ /g, '0')}${s.slice(7)}`;
  const put = (at: number, text: string) => {
    s = s.slice(0, at) + text + s.slice(at + text.length);
  };
  if (s.startsWith('1 ')) {
    for (const col of [33, 44, 53]) if (s[col] === '+') put(col, ' ');
    for (const start of [44, 53]) {
      const f = s.slice(start, start + 8);
      if (f.slice(1, 6) === '00000') put(start + 6, '-0');
      else if (f[7] === '0') put(start + 6, '+');
    }
  } else {
    for (const [start, end] of [
      [8, 16],
      [17, 25],
      [34, 42],
      [43, 51],
      [52, 63],
    ] as const) {
      const f = s.slice(start, end);
      put(
        start,
        f.replace(/^ *0+(?=\d+\.)/, (m) => ' '.repeat(m.length)),
      );
    }
    put(
      63,
      s.slice(63, 68).replace(/^0+(?=\d)/, (m) => ' '.repeat(m.length)),
    );
  }
  return withChecksum(s);
}

/** Alpha-5 by character arithmetic: 'A' = 10, skipping I and O. */
function alpha5ByCharCode(field: string): number {
  const c = field.charCodeAt(0);
  if (c < 65) return Number(field);
  const lead = c - 55 - (c > 73 ? 1 : 0) - (c > 79 ? 1 : 0);
  return lead * 10000 + Number(field.slice(1));
}

/** Independent naive read of a record (parseFloat on slices, Date.UTC epoch) to compare every field. */
function naive(l1: string, l2: string) {
  const yy = Number(l1.slice(18, 20));
  const year = yy < 57 ? 2000 + yy : 1900 + yy;
  const days = Number.parseFloat(l1.slice(20, 32));
  const expo = (f: string) =>
    (f[0] === '-' ? -1 : 1) *
    Number.parseFloat(`0.${f.slice(1, 6)}`) *
    Number(`1e${f[6] === '-' ? '-' : ''}${f[7]}`);
  return {
    catalog: l1.slice(2, 7).trim(),
    epochUnixDays: (Date.UTC(year, 0, 1) + (days - 1) * 86400000) / 86400000,
    ndot: Number.parseFloat(l1.slice(33, 43)),
    nddot: expo(l1.slice(44, 52)),
    bstar: expo(l1.slice(53, 61)),
    incl: Number.parseFloat(l2.slice(8, 16)) * DEG2RAD,
    raan: Number.parseFloat(l2.slice(17, 25)) * DEG2RAD,
    ecc: Number.parseFloat(`0.${l2.slice(26, 33)}`),
    argp: Number.parseFloat(l2.slice(34, 42)) * DEG2RAD,
    ma: Number.parseFloat(l2.slice(43, 51)) * DEG2RAD,
    n: Number.parseFloat(l2.slice(52, 63)) / XPDOTP,
    rev: Number(l2.slice(63, 68).trim() || '0'),
    elnum: Number(l1.slice(64, 68).trim() || '0'),
  };
}

const FIELDS: readonly (keyof ElementSet)[] = [
  'catalogNumber',
  'name',
  'intlDesignator',
  'classification',
  ...ELEMENT_SET_REAL_FIELDS,
  'ephemerisType',
  'elementSetNumber',
  'revolutionNumber',
];

/** Fields of b that differ from a (Object.is, so 0 and -0 differ), epoch compared exactly. */
function differences(a: ElementSet, b: ElementSet): string[] {
  const out: string[] = [];
  for (const k of FIELDS) if (!Object.is(a[k], b[k])) out.push(`${k}: ${String(a[k])} vs ${String(b[k])}`);
  if (a.epoch.jd !== b.epoch.jd || a.epoch.jdFrac !== b.epoch.jdFrac) {
    out.push(`epoch: ${a.epoch.jd}+${a.epoch.jdFrac} vs ${b.epoch.jd}+${b.epoch.jdFrac}`);
  }
  return out;
}

/**
 * Checks a whole real file: counts, zero rejections, every field against the naive read, text
 * reproduction up to the documented normalisations, and parse → format → parse identity.
 */
function checkRealFile(relative: string, expectedCount: number, knownTextExceptions: readonly string[] = []) {
  const text = readRefText(relative);
  const r = parseTleText(text, { file: relative });
  const file = unwrap(r);
  expect(file.rejected).toEqual([]);
  expect(file.records.length).toBe(expectedCount);
  const lines = text.split('\n').map((l) => l.trimEnd());
  const fieldErrors: string[] = [];
  const textDiffs: string[] = [];
  const roundTrip: string[] = [];
  for (const rec of file.records) {
    const es = rec.elements;
    const i = rec.line - 1 + (es.name === undefined ? 0 : 1);
    const l1 = lines[i] as string;
    const l2 = lines[i + 1] as string;
    const nv = naive(l1, l2);
    const got = {
      catalog: es.catalogNumber,
      epochUnixDays: es.epoch.jd - 2440587.5 + es.epoch.jdFrac,
      ndot: es.meanMotionDotRevPerDay2,
      nddot: es.meanMotionDdotRevPerDay3,
      bstar: es.bstar,
      incl: es.inclinationRad,
      raan: es.raanRad,
      ecc: es.eccentricity,
      argp: es.argPerigeeRad,
      ma: es.meanAnomalyRad,
      n: es.meanMotionRadPerMin,
      rev: es.revolutionNumber,
      elnum: es.elementSetNumber,
    };
    for (const k of Object.keys(nv) as (keyof typeof nv)[]) {
      const ok =
        k === 'epochUnixDays'
          ? Math.abs(got.epochUnixDays - nv.epochUnixDays) <= EPOCH_TOLERANCE_DAYS
          : k === 'catalog'
            ? Number(got.catalog) === alpha5ByCharCode(nv.catalog)
            : got[k] === nv[k];
      if (!ok && fieldErrors.length < 5) fieldErrors.push(`line ${i + 1} ${k}: ${got[k]} vs ${nv[k]}`);
    }
    const [f1, f2] = formatTle(es);
    if (f1 !== normaliseLine(l1) || f2 !== normaliseLine(l2)) {
      if (!knownTextExceptions.includes(l1))
        textDiffs.push(`${normaliseLine(l1)}\n${f1}\n${normaliseLine(l2)}\n${f2}`);
    }
    const again = parseTleLines(f1, f2, es.name);
    if (!again.ok) roundTrip.push(`line ${i + 1}: ${JSON.stringify(again.issues)}`);
    else {
      const d = differences(es, again.value);
      if (d.length > 0) roundTrip.push(`line ${i + 1}: ${d.join(', ')}`);
    }
  }
  expect(fieldErrors).toEqual([]);
  expect(textDiffs.slice(0, 5)).toEqual([]);
  expect(roundTrip.slice(0, 5)).toEqual([]);
  return file;
}

describe('TLE epoch and fields, against the reference implementation', () => {
  it('gives the epoch pair of Vallado twoline2rv bit for bit (values printed by python-sgp4)', () => {
    // python-sgp4 (Vallado C++) gives jdsatepoch 2458826.5, jdsatepochF 0.6933954099999937 for this ISS TLE.
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2));
    expect(es.epoch.jd).toBe(2458826.5);
    expect(es.epoch.jdFrac).toBe(0.6933954099999937);
    // A second published pair: 24177.64786330 → 2460486.5 + 0.6478633000000116.
    const l1 = withChecksum('1 25544U 98067A   24177.64786330  .00001764  00000-0  38792-4 0  999');
    const es2 = unwrap(parseTleLines(l1, ISS_L2));
    expect(es2.epoch.jd).toBe(2460486.5);
    expect(es2.epoch.jdFrac).toBe(0.6478633000000116);
  });

  it('reads every field of the ISS TLE in internal units', () => {
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2, '0 ISS (ZARYA)'));
    expect(es.name).toBe('ISS (ZARYA)');
    expect(es.catalogNumber).toBe('25544');
    expect(es.intlDesignator).toBe('1998-067A');
    expect(es.classification).toBe('U');
    expect(es.meanMotionDotRevPerDay2).toBe(0.00001764);
    expect(es.meanMotionDdotRevPerDay3).toBe(0);
    expect(es.bstar).toBe(0.38792e-4);
    expect(es.ephemerisType).toBe(0);
    expect(es.elementSetNumber).toBe(999);
    expect(es.inclinationRad).toBe(51.6439 * DEG2RAD);
    expect(es.raanRad).toBe(211.2001 * DEG2RAD);
    expect(es.eccentricity).toBe(0.0007417);
    expect(es.argPerigeeRad).toBe(17.6667 * DEG2RAD);
    expect(es.meanAnomalyRad).toBe(85.6398 * DEG2RAD);
    expect(es.meanMotionRadPerMin).toBe(15.50103472 / XPDOTP);
    expect(es.revolutionNumber).toBe(20248);
  });

  it('maps two-digit years 57..99 to 19xx and 00..56 to 20xx', () => {
    const year = (yy: string) => {
      const l1 = withChecksum(`1 25544U 98067A   ${yy}001.00000000  .00001764  00000-0  38792-4 0  999`);
      const es = unwrap(parseTleLines(l1, ISS_L2));
      return new Date((es.epoch.jd - 2440587.5) * 86400000).getUTCFullYear();
    };
    expect(year('57')).toBe(1957);
    expect(year('99')).toBe(1999);
    expect(year('00')).toBe(2000);
    expect(year('56')).toBe(2056);
  });
});

describe('Vallado SGP4-VER.TLE', () => {
  const text = readRefText('sgp4-verification/SGP4-VER.TLE');

  it('keeps all 33 cases with their start/stop/step columns; wrong checksums of 33333..33335 are warnings', () => {
    const r = parseTleText(text, { file: 'SGP4-VER.TLE', checksum: 'warn' });
    const file = unwrap(r);
    expect(file.records.length).toBe(33);
    expect(file.rejected).toEqual([]);
    expect(file.records.every((rec) => rec.verification !== undefined)).toBe(true);
    expect(file.records[0]?.verification).toEqual({ startMin: 0, stopMin: 4320, stepMin: 360 });
    expect(file.records[0]?.elements.bstar).toBe(0.28098e-4);
    // The hand-edited cases 33333 (both lines), 33334 (line 1), 33335 (both lines) have wrong checksums.
    if (!r.ok) throw new Error('unreachable');
    expect(r.warnings.map((w) => w.code)).toEqual(Array(5).fill('TLE_CHECKSUM'));
    const byCat = new Map(file.records.map((rec) => [rec.elements.catalogNumber, rec]));
    expect(byCat.get('29141')?.elements.intlDesignator).toBe('1985-108AA');
    expect(byCat.get('88888')?.elements.intlDesignator).toBeUndefined();
    expect(byCat.get('16925')?.elements.meanMotionDdotRevPerDay3).toBe(-0.30915 * 1e-6);
    expect(byCat.get('22312')?.verification).toEqual({ startMin: 54.2028672, stopMin: 1440, stepMin: 20 });
    expect(byCat.get('4632')?.verification?.startMin).toBe(-5184);
  });

  it('rejects the three hand-edited cases when checksums are verified (the default), naming line and column', () => {
    const file = unwrap(parseTleText(text, { file: 'SGP4-VER.TLE' }));
    expect(file.records.length).toBe(30);
    expect(file.rejected.map((i) => [i.code, i.column])).toEqual([
      ['TLE_CHECKSUM', 69],
      ['TLE_CHECKSUM', 69],
      ['TLE_CHECKSUM', 69],
    ]);
    const lines = text.split('\n');
    for (const issue of file.rejected) {
      expect(lines[(issue.line as number) - 1]?.slice(2, 7)).toMatch(/^3333[345]$/);
      expect(issue.file).toBe('SGP4-VER.TLE');
    }
  });
});

describe('real catalogs and histories', () => {
  it.each([
    ['catalog/full_catalog_2019-03-19.3le.txt.gz', 17892],
    ['catalog/full_catalog_2021-05-29.3le.txt.gz', 21584],
    ['catalog/full_catalog_2022-01-22.3le.txt.gz', 23939],
    ['catalog/full_catalog_2023-10-09.3le.txt.gz', 26140],
  ])('%s: all %i objects, every field, text and round trip', (relative, count) => {
    const file = checkRealFile(relative, count);
    expect(file.format).toBe('3le');
    expect(file.records.every((r) => r.elements.name !== undefined)).toBe(true);
  });

  it('2022 and 2023 catalogs hold Alpha-5 objects (T0000 = 270000 and up)', () => {
    for (const relative of [
      'catalog/full_catalog_2022-01-22.3le.txt.gz',
      'catalog/full_catalog_2023-10-09.3le.txt.gz',
    ]) {
      const file = unwrap(parseTleText(readRefText(relative)));
      const alpha = file.records.filter((r) => Number(r.elements.catalogNumber) >= 100000);
      expect(alpha.length).toBeGreaterThan(0);
      const [l1] = formatTle(alpha[0]?.elements as ElementSet);
      expect(l1.charCodeAt(2)).toBeGreaterThanOrEqual(65);
    }
  });

  it('2022 catalog holds the 1,215 COSMOS 1408 DEB named in the data README', () => {
    const file = unwrap(parseTleText(readRefText('catalog/full_catalog_2022-01-22.3le.txt.gz')));
    expect(file.records.filter((r) => r.elements.name === 'COSMOS 1408 DEB').length).toBe(1215);
  });

  const dp = 'history/dpshorten-benchmark/processed_files/';
  it.each([
    [`${dp}CryoSat-2.tle`, 4310],
    [`${dp}Jason-1.tle`, 3998],
    [`${dp}Jason-2.tle`, 3923],
    [`${dp}Jason-3.tle`, 2412],
    [`${dp}Sentinel-3A.tle`, 2387],
    [`${dp}Sentinel-3B.tle`, 1584],
    [`${dp}Sentinel-6A.tle`, 665],
    [`${dp}SARAL.tle`, 3292],
    [`${dp}Haiyang-2A.tle`, 3000],
    [`${dp}Fengyun-2D.tle`, 1189],
    [`${dp}Fengyun-2E.tle`, 2377],
    [`${dp}Fengyun-2F.tle`, 2987],
    [`${dp}Fengyun-2H.tle`, 1055],
    [`${dp}Fengyun-4A.tle`, 1307],
    ['history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz', 10214],
    ['history/facchinelli-tleAnalysis/envisat_27386_2002-2017.tle', 16527],
    ['history/facchinelli-tleAnalysis/goce_34602_2009-2012.tle', 3802],
    ['history/orekit/spot-5.tle', 250],
  ])('%s: %i TLEs, every field, text and round trip', (relative, count) => {
    const file = checkRealFile(relative, count);
    expect(file.format).toBe('tle');
  });

  it('TOPEX: 4136 TLEs including one with an unnormalised B* mantissa ("+0153801" = 0.01538e1)', () => {
    const odd = '1 22076U 92052  A 92261.23748056  .00035466 +00000-0 +0153801 0  9991';
    const file = checkRealFile(`${dp}TOPEX.tle`, 4136, [odd]);
    const rec = file.records.find(
      (r) => r.elements.epoch.jd + r.elements.epoch.jdFrac > 2448876.7 && r.elements.bstar > 0.1,
    );
    expect(rec?.elements.bstar).toBe(0.1538);
    expect(rec?.elements.intlDesignator).toBe('92052  A');
  });

  it('reads the CRLF ISS history with CR stripped (names never contain CR)', () => {
    const text = readRefText('history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz');
    expect(text.includes('\r\n')).toBe(true);
    const file = unwrap(parseTleText(text));
    expect(new Set(file.records.map((r) => r.elements.catalogNumber))).toEqual(new Set(['25544']));
  });
});

describe('Alpha-5 catalog numbers', () => {
  it('decodes and encodes the published range', () => {
    expect(decodeAlpha5('A0000')).toBe(100000);
    expect(decodeAlpha5('H9999')).toBe(179999);
    expect(decodeAlpha5('J0000')).toBe(180000);
    expect(decodeAlpha5('P0000')).toBe(230000);
    expect(decodeAlpha5('Z9999')).toBe(339999);
    expect(decodeAlpha5('    5')).toBe(5);
    expect(decodeAlpha5('00005')).toBe(5);
    expect(decodeAlpha5('I0000')).toBeUndefined();
    expect(decodeAlpha5('O0000')).toBeUndefined();
    expect(decodeAlpha5('a0000')).toBeUndefined();
    expect(decodeAlpha5('1A000')).toBeUndefined();
    for (const n of [0, 5, 99999, 100000, 179999, 180000, 229999, 230000, 339999]) {
      expect(decodeAlpha5(encodeAlpha5(n))).toBe(n);
    }
    expect(encodeAlpha5(5)).toBe('00005');
    expect(encodeAlpha5(100000)).toBe('A0000');
    expect(encodeAlpha5(339999)).toBe('Z9999');
  });

  it('round-trips an Alpha-5 TLE and refuses catalog numbers a TLE cannot hold', () => {
    const base = unwrap(parseTleLines(ISS_L1, ISS_L2));
    const big: ElementSet = { ...base, catalogNumber: '270042' };
    const [l1, l2] = formatTle(big);
    expect(l1.slice(2, 7)).toBe('T0042');
    expect(l2.slice(2, 7)).toBe('T0042');
    expect(unwrap(parseTleLines(l1, l2)).catalogNumber).toBe('270042');
    for (const catalogNumber of ['340000', '800000123']) {
      try {
        formatTle({ ...base, catalogNumber });
        expect.unreachable('formatTle must throw');
      } catch (e) {
        expect(e).toBeInstanceOf(AstroError);
        expect((e as AstroError).code).toBe('TLE_CATALOG_RANGE');
      }
    }
  });
});

describe('formatting', () => {
  it('writes 69-column lines with valid checksums and the exact ISS text', () => {
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2));
    const [l1, l2] = formatTle(es);
    expect(l1).toBe(ISS_L1);
    expect(l2).toBe(ISS_L2);
    expect(l1.length).toBe(69);
    expect(l2.length).toBe(69);
  });

  it('writes implied-exponent fields, signed zeros and small drag terms', () => {
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2));
    const cases: [Partial<ElementSet>, string, string][] = [
      [{ bstar: -0.11606e-4 }, '-11606-4', 'bstar'],
      [{ bstar: 0 }, ' 00000-0', 'bstar'],
      [{ bstar: -0 }, '-00000-0', 'bstar'],
      [{ bstar: 0.13519 }, ' 13519+0', 'bstar'],
      [{ bstar: 1.5 }, ' 15000+1', 'bstar'],
      [{ meanMotionDdotRevPerDay3: -0.30915e-6 }, '-30915-6', 'nddot'],
      [{ meanMotionDotRevPerDay2: -0.00000084 }, '-.00000084', 'ndot'],
    ];
    for (const [patch, text, field] of cases) {
      const [l1] = formatTle({ ...es, ...patch });
      const got =
        field === 'ndot' ? l1.slice(33, 43) : field === 'nddot' ? l1.slice(44, 52) : l1.slice(53, 61);
      expect(got).toBe(text);
      const back = unwrap(parseTleLines(l1, ISS_L2));
      const key = Object.keys(patch)[0] as keyof ElementSet;
      expect(Object.is(back[key], patch[key])).toBe(true);
    }
  });

  it('formatTleText writes 3LE, bare-name and 2-line files that read back identically', () => {
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2, 'ISS (ZARYA)'));
    for (const style of ['3le', 'bare', 'none'] as const) {
      const text = formatTleText([es, es], style);
      const file = unwrap(parseTleText(text));
      expect(file.records.length).toBe(2);
      expect(file.records[1]?.elements.name).toBe(style === 'none' ? undefined : 'ISS (ZARYA)');
      expect(file.format).toBe(style === 'none' ? 'tle' : '3le');
    }
  });

  it('refuses an epoch outside the two-digit year window', () => {
    const es = unwrap(parseTleLines(ISS_L1, ISS_L2));
    expect(() => formatTle({ ...es, epoch: { jd: 2473000.5, jdFrac: 0 } })).toThrowError(
      expect.objectContaining({ code: 'TLE_EPOCH_RANGE' }),
    );
  });
});

describe('messy files: every good record kept, every bad one reported', () => {
  const good2 = [
    '1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753',
    '2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667',
  ];

  it('reads a mix of 2-line, 0-name and bare-name records with CRLF, blanks, comments and trailing spaces', () => {
    const text = [
      '# a comment',
      '',
      `${ISS_L1}   `,
      ISS_L2,
      '0 VANGUARD 1',
      good2[0],
      good2[1],
      '   ',
      'ISS (ZARYA)  ',
      ISS_L1,
      ISS_L2,
      '1     5U 58002B   00179.78495062 +.00000023 +00000-0 +28098-4 0  4753',
      '2     5 034.2682 348.7242 1859667 331.7664 019.3264 10.82419157413667',
    ].join('\r\n');
    const r = parseTleText(text, { file: 'mixed.tle' });
    const file = unwrap(r);
    expect(file.rejected).toEqual([]);
    expect(file.format).toBe('3le');
    expect(file.records.map((x) => [x.line, x.elements.name, x.elements.catalogNumber])).toEqual([
      [3, undefined, '25544'],
      [5, 'VANGUARD 1', '5'],
      [9, 'ISS (ZARYA)', '25544'],
      [12, undefined, '5'],
    ]);
    expect(
      differences(file.records[1]?.elements as ElementSet, {
        ...(file.records[3]?.elements as ElementSet),
        name: 'VANGUARD 1',
      }),
    ).toEqual([]);
  });

  it('reports one issue per bad record with file, line, column, expected and found', () => {
    const badChecksum = `${ISS_L1.slice(0, 68)}7`;
    const nonNumeric = withChecksum(`${ISS_L2.slice(0, 17)}2x1.2001${ISS_L2.slice(25)}`);
    const otherCatalog = withChecksum(`2 25545${ISS_L2.slice(7)}`);
    const text = [
      '0 GOOD 1', // 1
      ISS_L1, // 2
      ISS_L2, // 3
      '0 BAD CHECKSUM', // 4
      badChecksum, // 5
      ISS_L2, // 6
      good2[1], // 7: line 2 without line 1
      '0 TRUNCATED', // 8
      ISS_L1.slice(0, 60), // 9
      ISS_L2, // 10
      ISS_L1, // 11
      otherCatalog, // 12
      ISS_L1, // 13
      nonNumeric, // 14
      ISS_L1, // 15: line 1 followed by a line 1
      good2[0], // 16
      good2[1], // 17
      '0 NAME WITHOUT TLE', // 18
      '0 GOOD 2', // 19
      good2[0], // 20
      good2[1], // 21
      ISS_L1, // 22: file ends after a line 1
    ].join('\n');
    const file = unwrap(parseTleText(text, { file: 'bad.tle' }));
    expect(file.records.map((r) => [r.line, r.elements.name ?? r.elements.catalogNumber])).toEqual([
      [1, 'GOOD 1'],
      [16, '5'],
      [19, 'GOOD 2'],
    ]);
    expect(file.rejected.map((i) => [i.code, i.line, i.column])).toEqual([
      ['TLE_CHECKSUM', 5, 69],
      ['TLE_ORPHAN_LINE', 7, 1],
      ['TLE_TRUNCATED', 9, 61],
      ['TLE_CATALOG_MISMATCH', 12, 3],
      ['TLE_FIELD', 14, 18],
      ['TLE_ORPHAN_LINE', 16, 1],
      ['TLE_ORPHAN_LINE', 18, 1],
      ['TLE_TRUNCATED', 22, 1],
    ]);
    for (const issue of file.rejected) {
      expect(issue.file).toBe('bad.tle');
      expect(issue.expected).toBeTruthy();
      expect(issue.found).toBeDefined();
    }
    const checksum = file.rejected[0];
    expect([checksum?.expected, checksum?.found]).toEqual(['1', '7']);
    expect(file.rejected[4]?.key).toBe('raan');
    expect(file.rejected[4]?.found).toBe('2x1.2001');
  });

  it('fails with issues when nothing acceptable is found', () => {
    const r = parseTleText('hello\nworld\n', { file: 'x.txt' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.code)).toEqual(['TLE_ORPHAN_LINE', 'TLE_ORPHAN_LINE']);
    const empty = parseTleText('');
    expect(empty.ok ? 'ok' : empty.issues[0]?.code).toBe('TLE_EMPTY');
  });

  it('rejects shifted fields and wrong line numbers in parseTleLines', () => {
    const shifted = withChecksum(`1 25544U 98067A  19343.69339541   .00001764  00000-0  38792-4 0  999`);
    const r1 = parseTleLines(shifted, ISS_L2);
    expect(r1.ok ? '' : r1.issues[0]?.code).toBe('TLE_FIELD');
    const r2 = parseTleLines(ISS_L2, ISS_L1);
    expect(r2.ok ? '' : r2.issues[0]?.code).toBe('TLE_LINE_NUMBER');
    const r3 = parseTleLines(ISS_L1, `${ISS_L2.slice(0, 68)}0`, undefined, { checksum: 'ignore' });
    expect(r3.ok).toBe(true);
  });
});

describe('UTC calendar to Julian date', () => {
  it('agrees with the Gregorian calendar outside Vallado’s 1900–2100 span', () => {
    // JD of 0h UTC: 2100-03-01 is 2488128.5 and 1850-06-01 is 2396909.5 (proleptic Gregorian).
    expect(julianFromCalendar(2100, 3, 1, 0, 0, 0).jd).toBe(2488128.5);
    expect(julianFromCalendar(1850, 6, 1, 0, 0, 0).jd).toBe(2396909.5);
    expect(julianFromCalendar(2000, 1, 1, 12, 0, 0)).toEqual({ jd: 2451544.5, jdFrac: 0.5 });
    const p = parseUtcString('2100-03-01T06:00:00');
    expect(p?.jd).toBe(2488128.5);
    // Impossible dates are refused, not rolled over into the next month.
    expect(parseUtcString('2010-04-31T00:00:00')).toBeUndefined();
    expect(parseUtcString('2023-02-29T00:00:00')).toBeUndefined();
    expect(parseUtcString('2024-02-29T00:00:00')?.jd).toBe(2460369.5);
  });
});
