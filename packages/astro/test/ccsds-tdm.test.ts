/**
 * CCSDS TDM (503.0-B-2): the Orekit test messages (kvn and xml), the standard's Annex examples as
 * transcribed in ccsds-ndm-rs (tdm_e1…e23) and the ccsds-ndm-py test cases. Every valid message
 * reads with the expected segment and record counts and the values Orekit's TdmParserTest asserts;
 * read → write KVN → read and read → write XML → read give the same model; every malformed message
 * is refused with the line and keyword Orekit reports; the KVN and XML forms of the same Orekit
 * example give the same records. Then the conversion to Measurements (units, corrections, pairing,
 * path, time tag, time systems, what is skipped) and back (measurements → TDM → measurements).
 */
import { describe, expect, it } from 'vitest';
import { type Tdm, tdmMetaNumber, tdmMetaPath, tdmMetaString, tdmParticipant } from '../src/ccsds/tdm.js';
import { measurementsFromTdm, tdmFromMeasurements } from '../src/ccsds/tdm-measurements.js';
import { parseTdm, parseTdmKvn, parseTdmXml } from '../src/ccsds/tdm-read.js';
import { formatTdmKvn, formatTdmXml } from '../src/ccsds/tdm-write.js';
import { createAstroContext, loadContext } from '../src/context/astro-context.js';
import type { Measurement } from '../src/observations/observation.js';
import { ut1MinusUtcAt } from '../src/time/scales.js';
import { parseTimeToInstant } from '../src/time/time-format.js';
import type { TimeContext } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { codeOf, loadLeapSecondDat, unwrap } from './test-support.js';

const ctx = createAstroContext({ leapSeconds: loadLeapSecondDat() });
const DEG = Math.PI / 180;
/** Speed of light, km/s (SI, exact). */
const C_KM_S = 299792.458;
/** Degrees → radians and back in binary64: a few ulps of 2π. */
const ANGLE_ROUND_TRIP_RAD = 1e-14;
/** |TDB − TT| stays below 1.7 ms (Fairhead & Bretagnon amplitude 1.657 ms plus smaller terms). */
const TDB_MINUS_TT_MAX_S = 1.7e-3;
/** Written epochs carry 9 decimals of the second: half a nanosecond of rounding. */
const EPOCH_ROUND_TRIP_S = 1e-9;

const O = 'ccsds/orekit/tdm/';
/** Valid messages: segment count and records per segment. */
const VALID: readonly [string, number[]][] = [
  [`${O}kvn/TDM-Custom-Frame.txt`, [47]],
  [`${O}kvn/TDMExample15.txt`, [7, 7, 7]],
  [`${O}kvn/TDMExample2.txt`, [7]],
  [`${O}kvn/TDMExample4.txt`, [20]],
  [`${O}kvn/TDMExample6.txt`, [20]],
  [`${O}kvn/TDMExample8.txt`, [9, 12]],
  [`${O}kvn/TDMExampleAllKeywordsSequential.txt`, [47]],
  [`${O}kvn/TDMExampleAllKeywordsSequentialWithRollover.txt`, [47]],
  [`${O}kvn/TDMExampleAllKeywordsSingleDiff.txt`, [47]],
  [`${O}xml/TDMExample15.xml`, [7, 7, 7]],
  [`${O}xml/TDMExample2.xml`, [7]],
  [`${O}xml/TDMExample4.xml`, [20]],
  [`${O}xml/TDMExample6.xml`, [20]],
  [`${O}xml/TDMExample8.xml`, [9, 12]],
  [`${O}xml/TDMExampleAllKeywordsSequential.xml`, [47]],
  [`${O}xml/TDMExampleAllKeywordsSingleDiff.xml`, [47]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e1.kvn', [31]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e2.kvn', [42]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e3.kvn', [50]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e4.kvn', [43]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e5.kvn', [41]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e6.kvn', [40]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e7.kvn', [2, 2, 2]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e8.kvn', [15, 16]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e9.kvn', [41]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e10.kvn', [20]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e11.kvn', [3, 2, 1]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e12.kvn', [14]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e13.kvn', [14, 10]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e14.kvn', [39]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e15.kvn', [7, 7, 7]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e16.kvn', [9, 9]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e17.kvn', [15]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e18.kvn', [10, 10]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e19.kvn', [16]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e20.kvn', [16]],
  ['ccsds/ccsds-ndm-rs/kvn/tdm_e22.kvn', [9]],
  ['ccsds/ccsds-ndm-rs/xml/tdm_e21.xml', [8]],
  ['ccsds/ccsds-ndm-rs/xml/tdm_e23.xml', [6]],
  ['ccsds/ccsds-ndm-py/kvn/tdm-testcase01b.kvn', [34, 204, 58]],
  ['ccsds/ccsds-ndm-py/kvn/tdm-testcase01b.xml', [34, 204, 58]],
  ['ccsds/ccsds-ndm-py/kvn/tdm_opt_data.kvn', [34, 204, 58]],
  ['ccsds/ccsds-ndm-py/xml/tdm-testcase01a-fordocument.xml', [44, 74, 20]],
];

/**
 * Malformed messages: code, line and keyword of the first issue. Lines and keys are those Orekit's
 * TdmParserTest asserts where it asserts them (data number format 26/47, metadata number format
 * 17/24, wrong keywords 26/47 and 16/23, inconsistent line 25, inconsistent block 32, missing time
 * system 18). Orekit accepts TCG; Hoshimi has no TCG scale, so the inconsistent-time-systems files
 * are refused at their TCG line.
 */
const MALFORMED: readonly [string, string, number, string | undefined][] = [
  [`${O}kvn/TDM-data-inconsistent-line.txt`, 'TDM_BAD_DATA_LINE', 25, 'RECEIVE_FREQ_1'],
  [`${O}kvn/TDM-data-number-format-error.txt`, 'TDM_BAD_NUMBER', 26, 'RECEIVE_FREQ_1'],
  [`${O}kvn/TDM-data-wrong-keyword.txt`, 'TDM_UNKNOWN_KEY', 26, 'WRONG_KEYWORD'],
  [`${O}kvn/TDM-inconsistent-time-systems.txt`, 'TDM_TIME_SYSTEM_NOT_IMPLEMENTED', 29, 'TIME_SYSTEM'],
  [`${O}kvn/TDM-issue963.txt`, 'TDM_BAD_PATH', 13, 'PATH'],
  [`${O}kvn/TDM-metadata-number-format-error.txt`, 'TDM_BAD_NUMBER', 17, 'TRANSMIT_DELAY_1'],
  [
    `${O}kvn/TDM-metadata-timesystem-not-implemented.txt`,
    'TDM_TIME_SYSTEM_NOT_IMPLEMENTED',
    7,
    'TIME_SYSTEM',
  ],
  [`${O}kvn/TDM-metadata-wrong-keyword.txt`, 'TDM_UNKNOWN_KEY', 16, 'WRONG_KEYWORD'],
  [`${O}xml/TDM-data-inconsistent-block.xml`, 'TDM_BAD_DATA_LINE', 32, 'TRANSMIT_FREQ_2'],
  [`${O}xml/TDM-data-number-format-error.xml`, 'TDM_BAD_NUMBER', 47, 'RECEIVE_FREQ_1'],
  [`${O}xml/TDM-data-wrong-keyword.xml`, 'TDM_UNKNOWN_KEY', 47, 'WRONG_KEYWORD'],
  [`${O}xml/TDM-external-doctype.xml`, 'TDM_XML_DOCTYPE', 2, undefined],
  [`${O}xml/TDM-inconsistent-time-systems.xml`, 'TDM_TIME_SYSTEM_NOT_IMPLEMENTED', 57, 'TIME_SYSTEM'],
  [`${O}xml/TDM-metadata-number-format-error.xml`, 'TDM_BAD_NUMBER', 24, 'TRANSMIT_DELAY_1'],
  [
    `${O}xml/TDM-metadata-timesystem-not-implemented.xml`,
    'TDM_TIME_SYSTEM_NOT_IMPLEMENTED',
    14,
    'TIME_SYSTEM',
  ],
  [`${O}xml/TDM-metadata-wrong-keyword.xml`, 'TDM_UNKNOWN_KEY', 23, 'WRONG_KEYWORD'],
  [`${O}xml/TDM-missing-participants.xml`, 'TDM_MISSING_KEY', 11, 'PARTICIPANT_1'],
  [`${O}xml/TDM-missing-timesystem.xml`, 'TDM_MISSING_KEY', 18, 'TIME_SYSTEM'],
];

/** The model without the line numbers (which differ between a file and its rewritten form). */
function withoutLines(t: Tdm): unknown {
  return {
    header: t.header,
    segments: t.segments.map((s) => ({
      metadata: s.metadata,
      dataComments: s.dataComments,
      observations: s.observations.map(({ line: _line, ...o }) => o),
    })),
  };
}

const read = (f: string): Tdm => unwrap(parseTdm(readRefText(f), { file: f }));
const utc = (s: string) => unwrap(parseTimeToInstant(s, ctx, { scale: 'UTC' }));
const header0 = { originator: 'HOSHIMI', creationDate: '2024-03-01T13:00:00' };

describe('TDM reference messages', () => {
  for (const [f, counts] of VALID) {
    it(`${f}: ${counts.length} segment(s) of ${counts.join('/')} records; KVN and XML round trips keep every value`, () => {
      const a = read(f);
      expect(a.segments.map((s) => s.observations.length)).toEqual(counts);
      for (const s of a.segments) for (const o of s.observations) expect(Number.isFinite(o.value)).toBe(true);
      const viaKvn = unwrap(parseTdmKvn(formatTdmKvn(a)));
      const viaXml = unwrap(parseTdmXml(formatTdmXml(a)));
      expect(withoutLines(viaKvn)).toEqual(withoutLines(a));
      expect(withoutLines(viaXml)).toEqual(withoutLines(a));
      // Writing is deterministic: the rewritten message writes the same text again.
      expect(formatTdmKvn(viaKvn)).toBe(formatTdmKvn(a));
      expect(formatTdmXml(viaXml)).toBe(formatTdmXml(a));
    });
  }

  it('Example 2 (one-way Doppler): header, metadata, records and comments as Orekit asserts', () => {
    const t = read(`${O}kvn/TDMExample2.txt`);
    expect(t.header.version).toBe('1.0');
    expect(t.header.originator).toBe('NASA/JPL');
    expect(t.header.comments).toEqual([
      'TDM example created by yyyyy-nnnA Nav Team (NASA/JPL)',
      'StarTrek 1-way data, Ka band down',
    ]);
    expect(utc(t.header.creationDate).equals(utc('2005-06-09T20:15:00'))).toBe(true);
    const s = t.segments[0]!;
    const m = s.metadata;
    expect(tdmMetaString(m, 'TIME_SYSTEM')).toBe('UTC');
    expect([tdmParticipant(m, 1), tdmParticipant(m, 2)]).toEqual(['DSS-25', 'yyyy-nnnA']);
    expect(tdmMetaString(m, 'MODE')).toBe('SEQUENTIAL');
    expect(tdmMetaPath(m, 'PATH')).toEqual([2, 1]);
    expect(tdmMetaNumber(m, 'INTEGRATION_INTERVAL')).toBe(1);
    expect(tdmMetaString(m, 'INTEGRATION_REF')).toBe('MIDDLE');
    expect(tdmMetaNumber(m, 'FREQ_OFFSET')).toBe(32021035200.0);
    expect(tdmMetaNumber(m, 'TRANSMIT_DELAY_1')).toBe(0.000077);
    expect(tdmMetaNumber(m, 'RECEIVE_DELAY_1')).toBe(0.000077);
    expect(tdmMetaString(m, 'DATA_QUALITY')).toBe('RAW');
    expect(m.comments).toEqual(['This is a meta-data comment']);
    expect(s.dataComments).toEqual(['This is a data comment']);
    expect(s.observations.map((o) => o.keyword)).toEqual([
      'TRANSMIT_FREQ_2',
      ...Array<string>(6).fill('RECEIVE_FREQ_1'),
    ]);
    expect(s.observations.map((o) => o.value)).toEqual([
      32023442781.733, -409.2735, -371.1568, -333.0551, -294.9673, -256.9054, -218.7951,
    ]);
    expect(s.observations[3]!.epoch).toBe('2005-159T17:41:02');
  });

  it('Examples 4, 6, 8: range units, modulus, corrections, angle types as Orekit asserts', () => {
    const e4 = read(`${O}kvn/TDMExample4.txt`).segments[0]!.metadata;
    expect(tdmMetaPath(e4, 'PATH')).toEqual([1, 2, 1]);
    expect(tdmMetaString(e4, 'RANGE_MODE')).toBe('COHERENT');
    expect(tdmMetaNumber(e4, 'RANGE_MODULUS')).toBe(2.0e26);
    expect(tdmMetaString(e4, 'RANGE_UNITS')).toBe('RU');
    expect(tdmMetaNumber(e4, 'TRANSMIT_DELAY_2')).toBe(0);
    expect(tdmMetaNumber(e4, 'CORRECTION_RANGE')).toBe(46.7741);
    expect(tdmMetaString(e4, 'CORRECTIONS_APPLIED')).toBe('YES');
    expect(e4.comments).toHaveLength(4);
    const e6 = read(`${O}kvn/TDMExample6.txt`).segments[0]!;
    expect(tdmMetaPath(e6.metadata, 'PATH')).toEqual([1, 2, 3, 2, 1]);
    expect(tdmParticipant(e6.metadata, 3)).toBe('E7');
    expect(tdmMetaString(e6.metadata, 'ANGLE_TYPE')).toBe('AZEL');
    expect(e6.observations[0]).toMatchObject({ keyword: 'RANGE', value: 80452.7542 });
    expect(e6.observations[19]).toMatchObject({ keyword: 'RECEIVE_FREQ', value: 2287487999.0 });
    const e8 = read(`${O}kvn/TDMExample8.txt`);
    expect(tdmMetaString(e8.segments[0]!.metadata, 'ANGLE_TYPE')).toBe('XSYE');
    expect(tdmMetaString(e8.segments[1]!.metadata, 'RANGE_UNITS')).toBe('s');
    expect(tdmMetaNumber(e8.segments[1]!.metadata, 'RANGE_MODULUS')).toBe(1.0e7);
    expect(e8.segments[0]!.observations[6]).toMatchObject({
      keyword: 'DOPPLER_INTEGRATED',
      value: 0.929545817,
    });
  });

  it('all-keywords message: every metadata keyword of the standard is kept, SINGLE_DIFF paths too', () => {
    const seq = read(`${O}kvn/TDMExampleAllKeywordsSequential.txt`);
    expect(seq.header.messageId).toBe('04655f62-1ba0-4ca6-92e9-eb3411db3d44');
    const m = seq.segments[0]!.metadata;
    expect(Object.keys(m.values)).toHaveLength(57); // every KEY = value line between META_START and META_STOP
    expect(tdmMetaNumber(m, 'TURNAROUND_NUMERATOR')).toBe(240);
    expect(tdmMetaString(m, 'DOPPLER_COUNT_ROLLOVER')).toBe('NO');
    expect(tdmMetaNumber(m, 'CORRECTION_ABERRATION_DIURNAL')).toBe(10);
    expect(tdmMetaString(m, 'EPHEMERIS_NAME_5')).toBe('eph-5');
    const keywords = new Set(seq.segments[0]!.observations.map((o) => o.keyword));
    expect(keywords.size).toBe(47);
    const sd = read(`${O}xml/TDMExampleAllKeywordsSingleDiff.xml`).segments[0]!.metadata;
    expect(tdmMetaString(sd, 'MODE')).toBe('SINGLE_DIFF');
    expect([tdmMetaPath(sd, 'PATH_1'), tdmMetaPath(sd, 'PATH_2')]).toEqual([
      [4, 5],
      [3, 2],
    ]);
    const rollover = read(`${O}kvn/TDMExampleAllKeywordsSequentialWithRollover.txt`);
    expect(tdmMetaString(rollover.segments[0]!.metadata, 'DOPPLER_COUNT_ROLLOVER')).toBe('YES');
  });

  it('phase counts keep every written digit through KVN and XML', () => {
    const t = read('ccsds/ccsds-ndm-rs/kvn/tdm_e18.kvn');
    const o = t.segments[0]!.observations[1]!;
    expect(o.text).toBe('14350346766.632946');
    const back = unwrap(parseTdmXml(formatTdmXml(t)));
    expect(back.segments[0]!.observations[1]!.text).toBe('14350346766.632946');
  });

  for (const name of ['TDMExample2', 'TDMExample4', 'TDMExample6', 'TDMExample8', 'TDMExample15']) {
    it(`${name}: the KVN and XML forms hold the same records at the same instants`, () => {
      const k = read(`${O}kvn/${name}.txt`);
      const x = read(`${O}xml/${name}.xml`);
      expect(x.segments.length).toBe(k.segments.length);
      k.segments.forEach((ks, i) => {
        const xs = x.segments[i]!;
        expect(xs.observations.map((o) => [o.keyword, o.value])).toEqual(
          ks.observations.map((o) => [o.keyword, o.value]),
        );
        ks.observations.forEach((o, j) => {
          expect(utc(xs.observations[j]!.epoch).equals(utc(o.epoch))).toBe(true);
        });
      });
    });
  }
});

describe('malformed TDMs are refused with line and key', () => {
  for (const [f, code, line, key] of MALFORMED) {
    it(`${f}: ${code} at line ${line}${key === undefined ? '' : ` (${key})`}`, () => {
      const r = parseTdm(readRefText(f), { file: f });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const first = r.issues[0]!;
      expect(first).toMatchObject({ code, line, file: f });
      expect(first.key).toBe(key);
      expect(first.expected).toBeDefined();
    });
  }

  const base = readRefText(`${O}kvn/TDMExample2.txt`);
  const refuse = (text: string): string | undefined => {
    const r = parseTdmKvn(text);
    return r.ok ? undefined : r.issues[0]!.code;
  };
  it('refuses a data keyword in the metadata, a bad enumerated value, a bad epoch, a missing DATA_STOP', () => {
    expect(refuse(base.replace('MODE = SEQUENTIAL', 'RANGE = SEQUENTIAL'))).toBe('TDM_UNKNOWN_KEY');
    expect(refuse(base.replace('MODE = SEQUENTIAL', 'MODE = ZIGZAG'))).toBe('TDM_BAD_VALUE');
    expect(
      refuse(base.replace('RECEIVE_FREQ_1 = 2005-159T17:41:01', 'RECEIVE_FREQ_1 = 2005-13-01T17:41:01')),
    ).toBe('TDM_BAD_EPOCH');
    expect(refuse(base.replace('DATA_STOP', ''))).toBe('TDM_SYNTAX');
    expect(refuse(base.replace('PATH = 2,1', 'PATH = 3,1'))).toBe('TDM_BAD_PATH');
    expect(refuse(base.replace('PATH = 2,1', ''))).toBe('TDM_MISSING_KEY');
    expect(refuse(base.replace('ORIGINATOR = NASA/JPL', ''))).toBe('TDM_MISSING_KEY');
    expect(refuse(base.replace('RECEIVE_DELAY_1 = 0.000077', 'RECEIVE_DELAY_1 = 0.000077 [km]'))).toBe(
      'TDM_BAD_UNIT',
    );
    const e6 = readRefText(`${O}kvn/TDMExample6.txt`);
    expect(refuse(e6.replace('80452.7542', '80452.7542 [km]'))).toBeUndefined();
    expect(refuse(e6.replace('80452.7542', '80452.7542 [s]'))).toBe('TDM_BAD_UNIT');
  });
});

describe('TDM → measurements', () => {
  it('Example 8: range in light seconds (× c), az/el paired in rad, XSYE angles and integrated Doppler skipped', () => {
    const t = read(`${O}kvn/TDMExample8.txt`);
    const { measurements, skipped } = measurementsFromTdm(t, { context: ctx, file: 'TDMExample8.txt' });
    const ranges = measurements.filter((m) => m.kind === 'range');
    const azel = measurements.filter((m) => m.kind === 'azimuth-elevation');
    expect(ranges).toHaveLength(3);
    expect(azel).toHaveLength(3);
    // CORRECTIONS_APPLIED = YES: the 2 s correction is already in the data.
    expect(ranges[0]!.values[0]).toBe(4.0016524895367e4 * C_KM_S);
    expect(ranges[0]).toMatchObject({ station: 'WHM1', target: 'SAT', path: 'two-way', timeTag: 'receive' });
    expect(ranges[0]!.epoch.equals(utc('2007-08-29T06:00:02'))).toBe(true);
    expect(azel[0]!.values).toEqual([99.5320425 * DEG, 1.26724167 * DEG]);
    expect(azel[0]!.source).toEqual({ file: 'TDMExample8.txt', line: 57 });
    const byKey = Object.fromEntries(skipped.map((s) => [`${s.segment}:${s.keyword}`, s.count]));
    expect(byKey).toEqual({
      '0:DOPPLER_INTEGRATED': 3,
      '0:ANGLE_1': 3,
      '0:ANGLE_2': 3,
      '1:DOPPLER_INTEGRATED': 3,
    });
    expect(skipped.find((s) => s.keyword === 'ANGLE_1')!.reason).toMatch(/XSYE/);
  });

  it('tdm_e17 (radar): km ranges corrected when CORRECTIONS_APPLIED = NO; RCS and carrier power reported', () => {
    const { measurements, skipped } = measurementsFromTdm(read('ccsds/ccsds-ndm-rs/kvn/tdm_e17.kvn'), {
      context: ctx,
      sigmas: { rangeKm: 0.01, angleRad: 1e-4 },
    });
    const r = measurements.filter((m) => m.kind === 'range');
    expect(r).toHaveLength(3);
    expect(r[0]!.values[0]).toBe(2808.2696 + -1.48);
    expect(r[0]!.sigmas).toEqual([0.01]);
    expect(r[0]).toMatchObject({ station: 'CAMRA', target: 'CRYOSAT', path: 'two-way' });
    expect(measurements.filter((m) => m.kind === 'azimuth-elevation')).toHaveLength(3);
    expect(skipped.map((s) => [s.keyword, s.count])).toEqual([
      ['CARRIER_POWER', 3],
      ['RCS', 3],
    ]);
  });

  it('tdm_e16 (optical): RA/Dec in EME2000, one-way to the telescope; magnitudes reported', () => {
    const { measurements, skipped } = measurementsFromTdm(read('ccsds/ccsds-ndm-rs/kvn/tdm_e16.kvn'), {
      context: ctx,
    });
    expect(measurements).toHaveLength(6);
    expect(measurements[0]).toMatchObject({
      kind: 'right-ascension-declination',
      frame: 'EME2000',
      station: 'TFRM',
      target: 'TRACK NUMBER 001',
      path: 'one-way',
    });
    expect(measurements[0]!.values).toEqual([332.229875 * DEG, -16.3028389 * DEG]);
    expect(Number.isNaN(measurements[0]!.sigmas[0])).toBe(true);
    expect(skipped.reduce((n, s) => n + (s.keyword === 'MAG' ? s.count : 0), 0)).toBe(6);
  });

  it('range units: RU refused unless a converter is given; lone angles and TIMETAG_REF = TRANSMIT', () => {
    const t = read(`${O}kvn/TDMExampleAllKeywordsSequential.txt`);
    const plain = measurementsFromTdm(t, { context: ctx });
    expect(plain.measurements.map((m) => m.kind)).toEqual(['range-rate']);
    expect(plain.measurements[0]).toMatchObject({
      timeTag: 'transmit',
      station: 'DSS-25',
      target: 'yyyy-nnnA',
      path: 'one-way',
    });
    expect(plain.measurements[0]!.values).toEqual([0.003]);
    const ru = plain.skipped.find((s) => s.keyword === 'RANGE')!;
    expect(ru).toMatchObject({ count: 1, line: 85 });
    expect(ru.reason).toMatch(/RU/);
    expect(plain.skipped.find((s) => s.keyword === 'ANGLE_1')!.reason).toMatch(/without an ANGLE_2/);
    expect(plain.skipped.find((s) => s.keyword === 'ANGLE_2')!.reason).toMatch(/without an ANGLE_1/);
    const converted = measurementsFromTdm(t, { context: ctx, rangeUnitsToKm: (ru) => ru * 1e-3 });
    const range = converted.measurements.find((m) => m.kind === 'range')!;
    expect(range.values).toEqual([17 * 1e-3]);
    // 503.0-B-2 records whether the path end is a station only through the caller.
    const uplink = measurementsFromTdm(t, { context: ctx, stations: ['yyyy-nnnA'] });
    expect(uplink.measurements).toHaveLength(0);
  });

  it('time systems: a TAI epoch is 34 s before the same UTC label in 2011; UT1 without EOP is reported', () => {
    const text = readRefText('ccsds/ccsds-ndm-rs/kvn/tdm_e17.kvn');
    const u = measurementsFromTdm(unwrap(parseTdmKvn(text)), { context: ctx }).measurements[0]!;
    const a = measurementsFromTdm(
      unwrap(parseTdmKvn(text.replace('TIME_SYSTEM = UTC', 'TIME_SYSTEM = TAI'))),
      {
        context: ctx,
      },
    ).measurements[0]!;
    expect(u.epoch.secondsSince(a.epoch)).toBeCloseTo(34, 9);
    const gps = measurementsFromTdm(
      unwrap(parseTdmKvn(text.replace('TIME_SYSTEM = UTC', 'TIME_SYSTEM = GPS'))),
      {
        context: ctx,
      },
    ).measurements[0]!;
    expect(u.epoch.secondsSince(gps.epoch)).toBeCloseTo(34 - 19, 9);
    const ut1 = measurementsFromTdm(
      unwrap(parseTdmKvn(text.replace('TIME_SYSTEM = UTC', 'TIME_SYSTEM = UT1'))),
      {
        context: ctx,
      },
    );
    expect(ut1.measurements).toHaveLength(0);
    expect(ut1.skipped[0]!.reason).toMatch(/cannot be converted/);
    const at = (ts: string, c: TimeContext = ctx) =>
      measurementsFromTdm(unwrap(parseTdmKvn(text.replace('TIME_SYSTEM = UTC', `TIME_SYSTEM = ${ts}`))), {
        context: c,
      }).measurements[0]!.epoch;
    // TT = TAI + 32.184 s; TDB − TT is periodic with a 1.66 ms amplitude.
    expect(u.epoch.secondsSince(at('TT'))).toBeCloseTo(34 + 32.184, 9);
    expect(Math.abs(u.epoch.secondsSince(at('TDB')) - (34 + 32.184))).toBeLessThan(TDB_MINUS_TT_MAX_S);
    // With EOP, a UT1 label is UTC + (UT1 − UTC) of the day.
    const withEop = unwrap(
      loadContext({
        leapSecondsText: readRefText('earth/Leap_Second.dat'),
        eopText: readRefText('earth/finals2000A.all.gz'),
        eopFormat: 'finals2000A',
      }),
    );
    const dut1 = ut1MinusUtcAt(u.epoch, withEop).ut1MinusUtcS;
    expect(Math.abs(dut1)).toBeGreaterThan(0.01);
    expect(at('UT1', withEop).secondsSince(u.epoch)).toBeCloseTo(-dut1, 6);
  });

  it('meteo: complete PRESSURE/TEMPERATURE/RHUMIDITY triples go to the station; unused or incomplete ones are reported', () => {
    const e14 = read('ccsds/ccsds-ndm-rs/kvn/tdm_e14.kvn');
    const alone = measurementsFromTdm(e14, { context: ctx });
    expect(alone.measurements).toHaveLength(0);
    expect(alone.skipped.map((s) => [s.keyword, s.count])).toEqual([
      ['TEMPERATURE', 13],
      ['PRESSURE', 13],
      ['RHUMIDITY', 13],
    ]);
    expect(alone.skipped[0]!.reason).toMatch(/no measurement/);
    // A DSS-10 range 10 minutes after the 00:33 weather record gets that record.
    const range: Measurement = {
      kind: 'range',
      epoch: utc('2005-06-05T00:43:00'),
      timeTag: 'receive',
      station: 'DSS-10',
      target: 'X',
      values: [1000],
      sigmas: [0.001],
      path: 'two-way',
    };
    const both: Tdm = {
      header: e14.header,
      segments: [...e14.segments, ...tdmFromMeasurements([range], header0, ctx).segments],
    };
    const got = measurementsFromTdm(both, { context: ctx });
    expect(got.measurements[0]!.meteo).toEqual({
      pressureHpa: 895.9,
      temperatureK: 304.05,
      humidityPercent: 11,
    });
    expect(got.skipped.reduce((n, s) => n + s.count, 0)).toBe(36);
    const far = measurementsFromTdm(both, { context: ctx, meteoMaxGapS: 60 });
    expect(far.measurements[0]!.meteo).toBeUndefined();
    const partial = unwrap(
      parseTdmKvn(
        readRefText('ccsds/ccsds-ndm-rs/kvn/tdm_e14.kvn').replace('RHUMIDITY = 2005-156T00:03:00 12.0', ''),
      ),
    );
    const p = measurementsFromTdm(partial, { context: ctx });
    expect(p.skipped.find((s) => s.reason.startsWith('incomplete'))).toMatchObject({
      keyword: 'TEMPERATURE',
      count: 1,
    });
  });

  it('relay and differenced data are reported, not converted', () => {
    const e6 = measurementsFromTdm(read(`${O}kvn/TDMExample6.txt`), { context: ctx });
    expect(e6.measurements).toHaveLength(0);
    expect(e6.skipped.find((s) => s.keyword === 'RANGE')!.reason).toMatch(/relay/);
    const sd = measurementsFromTdm(read(`${O}kvn/TDMExampleAllKeywordsSingleDiff.txt`), { context: ctx });
    expect(sd.measurements).toHaveLength(0);
    expect(sd.skipped.reduce((n, s) => n + s.count, 0)).toBe(47);
    // A message built in memory with a time system the library cannot convert is reported, not guessed.
    const e2 = read(`${O}kvn/TDMExample2.txt`);
    const seg = e2.segments[0]!;
    const tcg: Tdm = {
      ...e2,
      segments: [
        { ...seg, metadata: { ...seg.metadata, values: { ...seg.metadata.values, TIME_SYSTEM: 'TCG' } } },
      ],
    };
    const r = measurementsFromTdm(tcg, { context: ctx });
    expect(r.skipped.map((s) => [s.keyword, s.count, s.reason])).toEqual([
      ['TRANSMIT_FREQ_2', 1, 'TIME_SYSTEM TCG is not implemented'],
      ['RECEIVE_FREQ_1', 6, 'TIME_SYSTEM TCG is not implemented'],
    ]);
  });
});

describe('measurements → TDM → measurements', () => {
  const t0 = utc('2024-03-01T12:00:00');
  const meteo = { pressureHpa: 1013.2, temperatureK: 288.15, humidityPercent: 55 };
  const ms: Measurement[] = [];
  for (let i = 0; i < 5; i++) {
    const epoch = t0.plusSeconds(10 * i + 0.123456789);
    ms.push(
      {
        kind: 'range',
        epoch,
        timeTag: 'receive',
        station: 'KAMISAIBARA',
        target: '25544',
        values: [812.345678 + i],
        sigmas: [0.01],
        path: 'two-way',
        meteo,
      },
      {
        kind: 'range-rate',
        epoch,
        timeTag: 'receive',
        station: 'KAMISAIBARA',
        target: '25544',
        values: [-5.4321 + i * 0.01],
        sigmas: [1e-5],
        path: 'two-way',
      },
      {
        kind: 'azimuth-elevation',
        epoch,
        timeTag: 'receive',
        station: 'KAMISAIBARA',
        target: '25544',
        values: [(123.4 + i) * DEG, 0.6 + 0.01 * i],
        sigmas: [1e-4, 1e-4],
        path: 'two-way',
      },
      {
        kind: 'right-ascension-declination',
        epoch,
        timeTag: 'receive',
        station: 'BISEI',
        target: '25544',
        values: [5.9 - 0.01 * i, -0.3],
        sigmas: [2e-5, 2e-5],
        path: 'one-way',
        frame: 'GCRF',
      },
    );
  }
  const header = { originator: 'HOSHIMI', creationDate: '2024-03-01T13:00:00' };

  it('one segment per station, target and kind; KVN and XML read back to the same measurements', () => {
    const tdm = tdmFromMeasurements(ms, header, ctx);
    expect(tdm.segments).toHaveLength(4);
    for (const text of [formatTdmKvn(tdm), formatTdmXml(tdm)]) {
      const back = measurementsFromTdm(unwrap(parseTdm(text)), {
        context: ctx,
        stations: ['KAMISAIBARA', 'BISEI'],
      });
      expect(back.skipped).toEqual([]);
      expect(back.measurements).toHaveLength(ms.length);
      const key = (m: Measurement) => `${m.epoch.toJ2000Seconds().toFixed(3)} ${m.kind}`;
      const sorted = [...ms].sort((a, b) => key(a).localeCompare(key(b)));
      const got = [...back.measurements].sort((a, b) => key(a).localeCompare(key(b)));
      got.forEach((g, i) => {
        const w = sorted[i]!;
        expect([g.kind, g.station, g.target, g.path, g.timeTag, g.frame]).toEqual([
          w.kind,
          w.station,
          w.target,
          w.path,
          w.timeTag,
          w.frame,
        ]);
        expect(Math.abs(g.epoch.secondsSince(w.epoch))).toBeLessThanOrEqual(EPOCH_ROUND_TRIP_S);
        g.values.forEach((v, j) => {
          const tol = w.kind === 'range' || w.kind === 'range-rate' ? 0 : ANGLE_ROUND_TRIP_RAD;
          expect(Math.abs(v - w.values[j]!)).toBeLessThanOrEqual(tol);
        });
        expect(g.meteo).toEqual(w.kind === 'range-rate' || w.kind === 'azimuth-elevation' ? meteo : w.meteo);
      });
    }
  });

  it('refuses position measurements and RA/Dec outside GCRF/EME2000', () => {
    const p: Measurement = {
      kind: 'position',
      epoch: t0,
      timeTag: 'receive',
      station: 'S',
      target: 'T',
      values: [1, 2, 3],
      sigmas: [1, 1, 1],
      path: 'one-way',
      frame: 'ITRF',
    };
    expect(codeOf(() => tdmFromMeasurements([p], header, ctx))).toBe('TDM_UNSUPPORTED_KIND');
    const r: Measurement = { ...ms[3]!, frame: 'TEME' };
    expect(codeOf(() => tdmFromMeasurements([r], header, ctx))).toBe('TDM_UNSUPPORTED_KIND');
    expect(codeOf(() => tdmFromMeasurements(ms, { ...header, creationDate: 'yesterday' }, ctx))).toBe(
      'TDM_BAD_EPOCH',
    );
  });
});
