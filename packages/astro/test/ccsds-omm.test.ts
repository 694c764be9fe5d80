import { describe, expect, it } from 'vitest';
import {
  formatOmmCsv,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  type OmmFile,
  parseOmmCsv,
  parseOmmJson,
  parseOmmKvn,
  parseOmmXml,
} from '../src/ccsds/omm.js';
import { detectElementFormat, parseElements } from '../src/ccsds/parse-elements.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { formatTle, formatTleText, parseTleLines, parseTleText } from '../src/elements/tle.js';
import type { ParseResult } from '../src/errors.js';
import { readRefText } from './reference-data.js';
import { ELEMENT_SET_REAL_FIELDS, unwrap } from './test-support.js';

const DEG2RAD = Math.PI / 180;
const XPDOTP = 1440 / (2 * Math.PI);
/**
 * OMM EPOCH text has microseconds, the TLE epoch 1e-8 day (864 µs) steps: the two forms of one
 * element set agree to half a microsecond of rounding, 0.5e-6 s = 5.8e-12 day; 1e-11 day allows for
 * the day-fraction arithmetic on top.
 */
const SAME_EPOCH_DAYS = 1e-11;
/** Decimal text read two ways (0.MMMMM × 10^e vs 0.0000MMMMM) may differ in the last bit: 2 ulp relative. */
const TWO_ULP = 4.5e-16;

function only(r: ParseResult<OmmFile>): ElementSet {
  const f = unwrap(r);
  expect(f.messages.length).toBe(1);
  const es = f.messages[0]?.elementSet;
  if (es === undefined) throw new Error('no element set');
  return es;
}

function epochDays(es: ElementSet): number {
  return es.epoch.jd - 2451544.5 + es.epoch.jdFrac;
}

/** Same element set within rounding: exact strings, epoch to SAME_EPOCH_DAYS, numbers to 2 ulp. */
function expectSameSet(a: ElementSet, b: ElementSet): void {
  expect([
    a.catalogNumber,
    a.classification,
    a.intlDesignator,
    a.ephemerisType,
    a.elementSetNumber,
    a.revolutionNumber,
  ]).toEqual([
    b.catalogNumber,
    b.classification,
    b.intlDesignator,
    b.ephemerisType,
    b.elementSetNumber,
    b.revolutionNumber,
  ]);
  expect(Math.abs(epochDays(a) - epochDays(b))).toBeLessThanOrEqual(SAME_EPOCH_DAYS);
  for (const k of ELEMENT_SET_REAL_FIELDS) {
    const x = a[k];
    const y = b[k];
    expect(Math.abs(x - y), k).toBeLessThanOrEqual(TWO_ULP * Math.max(Math.abs(x), Math.abs(y)));
  }
}

describe('CelesTrak GP samples (python-sgp4)', () => {
  it('reads VANGUARD 1 from CSV and XML to the same element set, in internal units', () => {
    const csv = only(parseOmmCsv(readRefText('sgp4-verification/sample_omm.csv')));
    const xml = only(parseOmmXml(readRefText('sgp4-verification/sample_omm.xml')));
    expect(xml).toEqual(csv);
    expect(csv.catalogNumber).toBe('5');
    expect(csv.name).toBe('VANGUARD 1');
    expect(csv.intlDesignator).toBe('1958-002B');
    expect(csv.meanMotionRadPerMin).toBe(10.84869164 / XPDOTP);
    expect(csv.eccentricity).toBe(0.1845686);
    expect(csv.inclinationRad).toBe(34.2443 * DEG2RAD);
    expect(csv.raanRad).toBe(225.5254 * DEG2RAD);
    expect(csv.bstar).toBe(-0.22483e-4);
    expect(csv.meanMotionDotRevPerDay2).toBe(-1.6e-7);
    expect(csv.elementSetNumber).toBe(999);
    expect(csv.revolutionNumber).toBe(21814);
    // 2020-10-13 is JD 2459135.5 at 0h; 04:52:48.472320 as Vallado's jday forms the fraction.
    expect(csv.epoch.jd).toBe(2459135.5);
    expect(csv.epoch.jdFrac).toBe((48.47232 + 52 * 60 + 4 * 3600) / 86400);
  });

  it('reads the JSON sample with numbers as JSON numbers', () => {
    const es = only(parseOmmJson(readRefText('sgp4-verification/sample_omm.json')));
    expect(es.bstar).toBe(0.00035436);
    expect(es.meanMotionDotRevPerDay2).toBe(2.64e-6);
    expect(es.epoch.jd).toBe(2460720.5);
  });
});

describe('Orekit OMM test files', () => {
  const dir = 'ccsds/orekit/odm/omm/';
  it.each([
    ['OMMExample1.txt', '23581'],
    ['OMMExample2.txt', '23581'],
    ['OMMExample2.xml', '23581'],
    ['OMMExample4.txt', '7646'],
    ['OMMExample4.xml', '7646'],
    ['OMMExample5.txt', '23581'],
    ['OMM-with-units.xml', '23581'],
    ['OMM-empty-object-id.txt', '23581'],
    ['OMM-empty-object-id.xml', '7646'],
  ])('%s parses to an SGP4 element set', (name, cat) => {
    const r = parseElements(readRefText(`${dir}${name}`), { file: name });
    const f = unwrap(r);
    expect(f.records.map((x) => x.elements.catalogNumber)).toEqual([cat]);
    expect(f.rejected).toEqual([]);
  });

  it('OMMExample1: GOES 9 epoch 2007-064T10:34:41.4264 (day 64 = March 5) and GM kept', () => {
    const f = unwrap(parseOmmKvn(readRefText(`${dir}OMMExample1.txt`)));
    const m = f.messages[0];
    expect(m?.elementSet?.epoch.jd).toBe(2454164.5);
    expect(m?.elementSet?.epoch.jdFrac).toBe((41.4264 + 34 * 60 + 10 * 3600) / 86400);
    expect(m?.meanElements.gmKm3PerS2).toBe(398600.8);
    expect(m?.elementSet?.elementSetNumber).toBe(925);
    expect(m?.metadata.meanElementTheory).toBe('SGP/SGP4');
  });

  it('OMMExample5: SGP4-XP with BTERM and AGOM instead of BSTAR and MEAN_MOTION_DDOT', () => {
    const es = only(parseOmmKvn(readRefText(`${dir}OMMExample5.txt`)));
    expect([es.ephemerisType, es.bterm, es.agom, es.bstar, es.meanMotionDdotRevPerDay3]).toEqual([
      4, 0.0015, 0.001, 0, 0,
    ]);
  });

  it('OMMExample3 (theory SOME THEORY, SEMI_MAJOR_AXIS, time system MRT) parses fully but is not propagatable', () => {
    const r = parseOmmKvn(readRefText(`${dir}OMMExample3.txt`), { file: 'OMMExample3.txt' });
    const f = unwrap(r);
    const m = f.messages[0];
    expect(m?.elementSet).toBeUndefined();
    expect(m?.meanElements.semiMajorAxisKm).toBe(6800);
    expect(m?.meanElements.epochUtc).toBeUndefined();
    expect(m?.spacecraft).toEqual({
      massKg: 300,
      solarRadAreaM2: 5,
      solarRadCoeff: 0.001,
      dragAreaM2: 4,
      dragCoeff: 0.002,
    });
    expect(m?.covariance?.refFrame).toBe('TNW');
    expect(m?.covariance?.lowerTriangle.length).toBe(21);
    expect(m?.covariance?.lowerTriangle[20]).toBe(6.2244443386355e-10);
    expect(m?.userDefined).toEqual({ EARTH_MODEL: 'WGS-84' });
    expect(m?.header.comments).toEqual(['this is a comment', 'here is another one']);
    expect(m?.metadata.comments).toEqual(["this comment doesn't say much"]);
    if (r.ok) expect(r.warnings.map((w) => w.code)).toEqual(['OMM_NOT_PROPAGATABLE']);
    const all = parseElements(readRefText(`${dir}OMMExample3.txt`));
    expect(all.ok ? 'ok' : all.issues.map((i) => i.code)).toEqual(['OMM_NOT_PROPAGATABLE']);
  });

  it.each([
    ['OMM-number-format-error.txt', 'OMM_NUMBER', 15, 'ARG_OF_PERICENTER'],
    ['OMM-wrong-keyword.txt', 'OMM_UNKNOWN_KEY', 9, 'WRONG_KEYWORD'],
    ['spurious-metadata.xml', 'OMM_STRUCTURE', 17, undefined],
  ])('rejects the malformed %s with %s at line %i, key %s', (name, code, line, key) => {
    const r = parseElements(readRefText(`${dir}${name}`), { file: name });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.length).toBe(1);
    const issue = r.issues[0];
    expect([issue?.code, issue?.line, issue?.key, issue?.file]).toEqual([code, line, key, name]);
    expect(issue?.found).toBeTruthy();
  });
});

describe('ccsds-ndm-rs and ccsds-ndm-py OMM examples', () => {
  it.each([
    ['ccsds-ndm-rs/kvn/omm_g7.kvn', 1],
    ['ccsds-ndm-rs/kvn/omm_g8.kvn', 1],
    ['ccsds-ndm-rs/kvn/omm_g9.kvn', 1],
    ['ccsds-ndm-rs/xml/omm_g10.xml', 1],
    ['ccsds-ndm-rs/xml/ndm_g21.xml', 3],
    ['ccsds-ndm-rs/xml/ndm_g22.xml', 1],
    ['ccsds-ndm-py/kvn/omm1_ct.kvn', 1],
    ['ccsds-ndm-py/kvn/omm1_st.kvn', 1],
    ['ccsds-ndm-py/kvn/omm1_ct.xml', 1],
    ['ccsds-ndm-py/json/omm1_ct.json', 1],
    ['ccsds-ndm-py/json/omm1_st.json', 1],
    ['ccsds-ndm-py/json/omm1_st.xml', 1],
    ['ccsds-ndm-py/xml/omm_single_ndm.xml', 1],
  ])('%s gives %i element sets', (relative, n) => {
    const f = unwrap(parseElements(readRefText(`ccsds/${relative}`), { file: relative }));
    expect(f.records.length).toBe(n);
    expect(f.rejected).toEqual([]);
  });

  it('ndm_g22: the OMM is read and the other NDM messages are reported as skipped', () => {
    const r = parseOmmXml(readRefText('ccsds/ccsds-ndm-rs/xml/ndm_g22.xml'));
    expect(r.ok ? r.warnings.map((w) => w.code) : r.issues).toEqual(Array(3).fill('OMM_SKIPPED_MESSAGE'));
  });

  it('omm_combined.xml: 19 OMMs kept, the empty-segment one rejected with its line', () => {
    const f = unwrap(parseElements(readRefText('ccsds/ccsds-ndm-py/xml/omm_combined.xml')));
    expect(f.records.length).toBe(19);
    expect(f.rejected.map((i) => [i.code, i.line])).toEqual([['OMM_STRUCTURE', 8]]);
  });

  it('theory "TLE" (502.0-B-2 figure 4-2 example) parses with a not-propagatable warning', () => {
    const r = parseOmmXml(readRefText('ccsds/ccsds-ndm-py/xml/ndmxml-1.0-omm-2.0.xml'));
    expect(r.ok ? r.warnings.map((w) => w.code) : r.issues).toEqual(['OMM_NOT_PROPAGATABLE']);
  });

  it('the same object in KVN, XML and JSON gives the same element set', () => {
    const kvn = only(parseOmmKvn(readRefText('ccsds/ccsds-ndm-py/kvn/omm1_ct.kvn')));
    const xml = only(parseOmmXml(readRefText('ccsds/ccsds-ndm-py/kvn/omm1_ct.xml')));
    const stKvn = only(parseOmmKvn(readRefText('ccsds/ccsds-ndm-py/kvn/omm1_st.kvn')));
    const stJson = only(parseOmmJson(readRefText('ccsds/ccsds-ndm-py/json/omm1_st.json')));
    expect(xml).toEqual(kvn);
    expectSameSet(stKvn, stJson);
  });

  it('cross-check: Space-Track GP JSON and its own TLE_LINE1/TLE_LINE2 give the same element set', () => {
    const text = readRefText('ccsds/ccsds-ndm-py/json/omm1_st.json');
    const gp = JSON.parse(text)[0] as Record<string, string>;
    const omm = only(parseOmmJson(text));
    const tle = unwrap(
      parseTleLines(gp['TLE_LINE1'] as string, gp['TLE_LINE2'] as string, gp['OBJECT_NAME']),
    );
    expectSameSet(omm, { ...tle, intlDesignator: omm.intlDesignator as string });
    expect(tle.intlDesignator).toBe('2020-003C');
    expect(omm.name).toBe(tle.name);
  });
});

describe('catalog numbers and epochs at the GP boundary', () => {
  it('keeps 9-digit NORAD_CAT_ID intact (number or string) and strips leading zeros', () => {
    const json = JSON.stringify([
      {
        OBJECT_NAME: 'A',
        OBJECT_ID: '2030-001A',
        EPOCH: '2030-001T00:00:00',
        MEAN_MOTION: 15,
        ECCENTRICITY: 0.001,
        INCLINATION: 51,
        RA_OF_ASC_NODE: 10,
        ARG_OF_PERICENTER: 20,
        MEAN_ANOMALY: 30,
        NORAD_CAT_ID: 800000123,
        BSTAR: '1e-4',
      },
      {
        OBJECT_NAME: 'B',
        OBJECT_ID: '2030-001B',
        EPOCH: '2030-01-01T00:00:00Z',
        MEAN_MOTION: '15',
        ECCENTRICITY: '0.001',
        INCLINATION: '51',
        RA_OF_ASC_NODE: '10',
        ARG_OF_PERICENTER: '20',
        MEAN_ANOMALY: '30',
        NORAD_CAT_ID: '000270123',
      },
    ]);
    const f = unwrap(parseElements(json));
    expect(f.records.map((r) => r.elements.catalogNumber)).toEqual(['800000123', '270123']);
    expect(f.records[0]?.elements.epoch).toEqual(f.records[1]?.elements.epoch);
    expect(f.records[0]?.elements.bstar).toBe(1e-4);
    expect(() => formatTle(f.records[0]?.elements as ElementSet)).toThrowError(
      expect.objectContaining({ code: 'TLE_CATALOG_RANGE' }),
    );
    expect(formatTle(f.records[1]?.elements as ElementSet)[0].slice(2, 7)).toBe('T0123');
  });

  it('reports bad GP rows with line and key, keeping the good ones', () => {
    const csv = [
      'OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT',
      '"NAME, WITH COMMA",1958-002B,2020-10-13T04:52:48.472320,10.84869164,.1845686,34.2443,225.5254,162.2516,205.2356,0,U,5,999,21814,-.22483E-4,-1.6E-7,0',
      'BAD EPOCH,1958-002B,2020-13-13T04:52:48,10.84869164,.1845686,34.2443,225.5254,162.2516,205.2356,0,U,5,999,21814,-.22483E-4,-1.6E-7,0',
      'BAD NUMBER,1958-002B,2020-10-13T04:52:48,ten,.1845686,34.2443,225.5254,162.2516,205.2356,0,U,5,999,21814,-.22483E-4,-1.6E-7,0',
      'NO CATALOG,1958-002B,2020-10-13T04:52:48,10.8,.1845686,34.2443,225.5254,162.2516,205.2356,0,U,,999,21814,-.22483E-4,-1.6E-7,0',
    ].join('\r\n');
    const r = parseElements(csv, { file: 'gp.csv' });
    const f = unwrap(r);
    expect(f.records.map((x) => x.elements.name)).toEqual(['NAME, WITH COMMA']);
    expect(f.rejected.map((i) => [i.code, i.line, i.key, i.column])).toEqual([
      ['OMM_EPOCH', 3, 'EPOCH', 3],
      ['OMM_NUMBER', 4, 'MEAN_MOTION', 4],
    ]);
    expect(r.ok ? r.warnings.map((w) => w.code) : []).toEqual(['OMM_NOT_PROPAGATABLE']);
  });

  it('checks units written in the file against the key table', () => {
    const kvn = readRefText('ccsds/orekit/odm/omm/OMMExample1.txt').replace(
      'INCLINATION       =   3.0539',
      'INCLINATION = 3.0539 [rad]',
    );
    const r = parseOmmKvn(kvn, { file: 'u.txt' });
    expect(r.ok ? 'ok' : r.issues.map((i) => [i.code, i.line, i.key, i.found])).toEqual([
      ['OMM_UNIT', 15, 'INCLINATION', '[rad]'],
    ]);
  });
});

describe('format detection and writers', () => {
  const sets = unwrap(parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz')))
    .records.slice(0, 400)
    .map((r) => r.elements);

  it('detects every format from content', () => {
    expect(detectElementFormat(formatTleText(sets.slice(0, 2), 'none'))).toBe('tle');
    expect(detectElementFormat(formatTleText(sets.slice(0, 2), '3le'))).toBe('3le');
    expect(detectElementFormat(formatTleText(sets.slice(0, 2), 'bare'))).toBe('3le');
    expect(detectElementFormat(`# comment\n${formatTleText(sets.slice(0, 1), 'none')}`)).toBe('tle');
    expect(detectElementFormat(formatOmmKvn(sets.slice(0, 2)))).toBe('omm-kvn');
    expect(detectElementFormat(formatOmmXml(sets.slice(0, 2)))).toBe('omm-xml');
    expect(detectElementFormat(formatOmmJson(sets.slice(0, 2)))).toBe('omm-json');
    expect(detectElementFormat(formatOmmCsv(sets.slice(0, 2)))).toBe('omm-csv');
    expect(detectElementFormat(readRefText('ccsds/orekit/odm/omm/OMMExample3.txt'))).toBe('omm-kvn');
    expect(detectElementFormat('hello world\n')).toBeUndefined();
    const r = parseElements('hello world\n');
    expect(r.ok ? 'ok' : r.issues[0]?.code).toBe('ELEMENTS_UNKNOWN_FORMAT');
  });

  it.each([
    ['KVN', formatOmmKvn],
    ['XML', formatOmmXml],
    ['JSON', formatOmmJson],
    ['CSV', formatOmmCsv],
  ] as const)(
    'TLE → OMM %s → element sets → TLE reproduces 400 catalog TLEs character for character',
    (_n, write) => {
      const text = write(sets, { originator: 'HOSHIMI', creationDate: '2023-10-09T00:00:00' });
      const f = unwrap(parseElements(text));
      expect(f.records.length).toBe(sets.length);
      const mismatches: string[] = [];
      f.records.forEach((r, i) => {
        const a = formatTle(sets[i] as ElementSet);
        const b = formatTle(r.elements);
        if (a[0] !== b[0] || a[1] !== b[1]) mismatches.push(`${a.join('\n')}\n${b.join('\n')}`);
        expectSameSet(r.elements, sets[i] as ElementSet);
        expect(r.elements.name).toBe(sets[i]?.name);
      });
      expect(mismatches.slice(0, 3)).toEqual([]);
    },
  );

  it("'full' digits keep non-TLE precision through OMM KVN", () => {
    const es: ElementSet = {
      ...(sets[0] as ElementSet),
      inclinationRad: 0.123456789012345,
      eccentricity: 0.0001234567891,
    };
    const back = only(parseOmmKvn(formatOmmKvn([es], { digits: 'full' })));
    expect(Math.abs(back.inclinationRad - es.inclinationRad)).toBeLessThanOrEqual(TWO_ULP);
    expect(back.eccentricity).toBe(es.eccentricity);
  });

  it('writes SGP4-XP sets with BTERM and AGOM as OMM 3.0 and reads them back', () => {
    const xp = only(parseOmmKvn(readRefText('ccsds/orekit/odm/omm/OMMExample5.txt')));
    for (const text of [formatOmmKvn([xp]), formatOmmXml([xp], { single: true })]) {
      const f = unwrap(text.startsWith('<') ? parseOmmXml(text) : parseOmmKvn(text));
      expect(f.messages[0]?.header.version).toBe('3.0');
      expect(f.messages[0]?.metadata.meanElementTheory).toBe('SGP4-XP');
      expect([f.messages[0]?.elementSet?.bterm, f.messages[0]?.elementSet?.agom]).toEqual([0.0015, 0.001]);
    }
  });
});
