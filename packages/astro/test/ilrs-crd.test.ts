/**
 * CRD reader and CRD → Measurement conversion against the ILRS files of ../shared/data/od (the
 * LAGEOS-2 February 2016 normal points and Orekit's CRD parser cases). Expected values are those of
 * the od README table and of Orekit's CRDParserTest for the same files.
 */
import { describe, expect, it } from 'vitest';
import type { CrdFile } from '../src/ilrs/crd-model.js';
import { crdMeasurements, crdStationNames, measurementsFromCrd, parseCrd } from '../src/ilrs/index.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { codeOf, loadLeapSecondDat, unwrap } from './test-support.js';

const leapSeconds = loadLeapSecondDat();
const context = { leapSeconds };
const C_KM_S = 299792.458;
/** Values are parsed from decimal text; 1e-12 s is below the last digit of any CRD field. */
const EXACT_TEXT = 1e-12;
/** Instants rebuilt from the same MJD + seconds must agree to the femtosecond. */
const SAME_INSTANT_S = 1e-9;

function read(path: string): CrdFile {
  const name = path.split('/').pop() ?? path;
  return unwrap(parseCrd(readRefText(path), { fileName: name }));
}

describe('CRD v1: LAGEOS-2 normal points of February 2016', () => {
  const crd = read('od/lageos2/lageos2_20160214.npt');

  it('has 95 normal points in 11 blocks from 4 stations (37/27/17/14)', () => {
    expect(crd.blocks).toHaveLength(11);
    const counts = new Map<string, number>();
    for (const b of crd.blocks) {
      const n = b.ranges.filter((r) => r.record === '11').length;
      counts.set(b.station.systemId, (counts.get(b.station.systemId) ?? 0) + n);
    }
    expect(Object.fromEntries(counts)).toEqual({ '7090': 37, '7119': 27, '7825': 17, '7941': 14 });
    expect(crdStationNames(crd)).toEqual(
      new Map([
        ['7090', 'YARL'],
        ['7119', 'HA4T'],
        ['7825', 'STL3'],
        ['7941', 'MATM'],
      ]),
    );
  });

  it('reads the first block headers, configuration and records', () => {
    const b = crd.blocks[0];
    if (b === undefined) throw new Error('no block');
    expect(b.format.version).toBe(1);
    expect(b.station).toMatchObject({
      name: 'YARL',
      systemId: '7090',
      systemNumber: 5,
      occupancy: 13,
      epochTimeScale: 3,
    });
    expect(b.target).toMatchObject({ name: 'lageos2', ilrsId: '9207002', sic: '5986', noradId: '22195' });
    expect(b.session.dataType).toBe(1);
    expect(b.session.rangeType).toBe(2);
    expect(b.session.stationSystemDelayApplied).toBe(true);
    expect(b.session.start).toMatchObject({
      year: 2016,
      month: 2,
      day: 13,
      hour: 13,
      minute: 42,
      second: 16,
    });
    expect(b.systemConfigurations[0]).toMatchObject({
      wavelengthNm: 532,
      systemId: 'std',
      components: ['la1', 'mcp', 'ti1'],
    });
    expect(b.laserConfigurations[0]).toMatchObject({
      laserId: 'la1',
      laserType: 'Nd:Yag',
      primaryWavelengthNm: 532,
    });
    const r0 = b.ranges[0];
    expect(r0?.secondsOfDay).toBeCloseTo(49382.4005626, 7);
    expect(r0?.timeOfFlightS).toBeCloseTo(0.039237325685, 12);
    expect(r0).toMatchObject({ epochEvent: 2, numberOfRawRanges: 94, binRmsPs: 57, windowLengthS: 120 });
    expect(b.meteo[0]).toMatchObject({ pressureMbar: 983.7, temperatureK: 301.4, humidityPercent: 24 });
    expect(b.calibrations[0]).toMatchObject({ record: '40', systemDelayPs: 105320 });
  });

  it('converts the normal points to two-way range measurements', () => {
    const ms = measurementsFromCrd(crd, { context, fileName: 'lageos2_20160214.npt' });
    expect(ms).toHaveLength(95);
    const m = ms[0];
    if (m === undefined) throw new Error('no measurement');
    expect(m.kind).toBe('range');
    expect(m.path).toBe('two-way');
    expect(m.timeTag).toBe('transmit');
    expect(m.station).toBe('7090');
    expect(m.target).toBe('22195');
    expect(m.values[0]).toBeCloseTo((0.039237325685 * C_KM_S) / 2, 12);
    // Bin RMS 57.0 ps as a one-way distance: 8.54 mm.
    expect(m.sigmas[0]).toBeCloseTo(57e-12 * C_KM_S * 0.5, 15);
    expect(m.meteo).toEqual({ pressureHpa: 983.7, temperatureK: 301.4, humidityPercent: 24 });
    expect(m.wavelengthNm).toBe(532);
    expect(m.source).toEqual({ file: 'lageos2_20160214.npt', line: 12 });
    const mjd = 57431; // 2016-02-13
    const expected = instantFromUtcDaySeconds(mjd, 49382, 0.4005626, leapSeconds);
    expect(Math.abs(m.epoch.secondsSince(expected))).toBeLessThan(SAME_INSTANT_S);
    // Every range of LAGEOS-2 lies between 5,500 and 9,500 km; epochs within the README coverage.
    const first = instantFromUtcDaySeconds(57429, 13 * 3600 + 7 * 60, 0, leapSeconds);
    const last = instantFromUtcDaySeconds(57432, 7 * 3600 + 38 * 60, 0, leapSeconds);
    for (const x of ms) {
      expect(x.values[0]).toBeGreaterThan(5500);
      expect(x.values[0]).toBeLessThan(9500);
      expect(x.epoch.secondsSince(first)).toBeGreaterThanOrEqual(0);
      expect(x.epoch.secondsSince(last)).toBeLessThanOrEqual(0);
    }
    const byName = measurementsFromCrd(crd, { context, station: 'name', target: 'ilrs' });
    expect(byName[0]?.station).toBe('YARL');
    expect(byName[0]?.target).toBe('9207002');
  });
});

describe('CRD v2 and Orekit parser cases', () => {
  it('lageos2_201802.npt.v2C: 37 blocks, 300 normal points, v2 header fields', () => {
    const crd = read('od/ilrs/lageos2_201802.npt.v2C');
    expect(crd.blocks).toHaveLength(37);
    expect(crd.blocks.reduce((n, b) => n + b.ranges.length, 0)).toBe(300);
    const b = crd.blocks[0];
    if (b === undefined) throw new Error('no block');
    expect(b.format).toEqual({
      version: 2,
      productionYear: 2018,
      productionMonth: 2,
      productionDay: 1,
      productionHour: 17,
    });
    expect(b.station).toEqual({
      name: 'CHAL',
      systemId: '9998',
      systemNumber: 19,
      occupancy: 1,
      epochTimeScale: 4,
      network: 'WPLTN',
    });
    expect(b.target).toMatchObject({ targetClass: 1, targetLocation: 1 });
    expect(b.prediction).toEqual({
      predictionType: 1,
      yearOfCentury: 18,
      dateAndTime: '020115',
      provider: 'hts',
      sequenceNumber: 3202,
    });
    expect(b.session.end).toMatchObject({ hour: 15, minute: 48, second: 57 });
    expect(b.meteo[0]).toMatchObject({
      secondsOfDay: 56940,
      pressureMbar: 998.9,
      temperatureK: 259.1,
      humidityPercent: 80,
    });
    expect(b.ranges[0]).toMatchObject({
      secondsOfDay: 54927.620161400002,
      timeOfFlightS: 0.04410602914,
      epochEvent: 2,
      snr: 5.7,
    });
    expect(b.ranges[5]).toMatchObject({ secondsOfDay: 56899.7181614, timeOfFlightS: 0.050148193335 });
    expect(b.angles).toHaveLength(0);
    // Station time scale 4 is UTC(GPS): accepted; every point has a bin RMS and a meteo record.
    const ms = measurementsFromCrd(crd, { context });
    expect(ms).toHaveLength(300);
    expect(ms.every((m) => m.meteo !== undefined && (m.sigmas[0] ?? 0) > 0 && m.target === '22195')).toBe(
      true,
    );
    const last = crd.blocks[36];
    expect(last?.session.start).toMatchObject({
      year: 2018,
      month: 2,
      day: 27,
      hour: 14,
      minute: 10,
      second: 10,
    });
    expect(last?.session.end).toMatchObject({ hour: 14, minute: 39, second: 6 });
  });

  it('lageos1-test.npt: 3 blocks, 14 points and the 6 comments', () => {
    const crd = read('od/ilrs/lageos1-test.npt');
    expect(crd.blocks).toHaveLength(3);
    expect(crd.blocks.reduce((n, b) => n + b.ranges.length, 0)).toBe(14);
    expect(crd.comments).toEqual([
      'New CFD in the STOP channel',
      'No CFD in the START channel',
      'New experimental detector (transistor) in the START channel**',
      'New CFD in the STOP channel',
      'No CFD in the START channel',
      'New experimental detector (transistor) in the START channel',
    ]);
  });

  it('champ_201709-small.frd: 4 full-rate records', () => {
    const crd = read('od/ilrs/champ_201709-small.frd');
    expect(crd.blocks[0]?.ranges.filter((r) => r.record === '10')).toHaveLength(4);
    expect(measurementsFromCrd(crd, { context })).toHaveLength(0);
    expect(measurementsFromCrd(crd, { context, records: 'full-rate' })).toHaveLength(4);
  });

  it('crd_all_fields.frd: every record type', () => {
    const crd = read('od/ilrs/crd_all_fields.frd');
    const b = crd.blocks[0];
    if (b === undefined) throw new Error('no block');
    expect(crd.comments).toHaveLength(0);
    expect(b.ranges).toHaveLength(4);
    expect(b.angles).toHaveLength(4);
    expect(b.meteo).toHaveLength(1);
    expect(b.meteo[0]).toMatchObject({ pressureMbar: 923.74, temperatureK: 289.42, humidityPercent: 28.1 });
    expect(b.otherConfigurations.map((c) => c.type)).toEqual(['C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    expect(b.calibrations.map((c) => c.record)).toEqual(['40', '41', '40']);
    expect(b.rangeSupplements[0]).toMatchObject({
      troposphericRefractionCorrectionPs: 65,
      centerOfMassCorrectionM: 1.3,
    });
    expect(b.angles[3]).toMatchObject({
      azimuthDeg: 217.436261,
      elevationDeg: 12.928101,
      refractionCorrected: false,
    });
    expect(b.sessionStatistics[0]).toMatchObject({ systemConfigurationId: 'std', rmsPs: 67 });
    expect(b.otherRecords.map((r) => r.record)).toEqual(['60', '42', '21']);
    // The calibration 0.3 s before the session start stays on the start day.
    expect(b.calibrations[2]?.mjd).toBe(b.session.start.mjd);
  });

  it('glonass125_trunc.frd: 150 records, rollover at midnight', () => {
    const crd = read('od/ilrs/glonass125_trunc.frd');
    const ranges = crd.blocks[0]?.ranges ?? [];
    expect(ranges).toHaveLength(150);
    const first = ranges[0];
    const last = ranges[ranges.length - 1];
    expect(first?.mjd).toBe(58592); // 2019-04-19
    expect(first?.secondsOfDay).toBeCloseTo(77387.01906365342, 9);
    expect(last?.mjd).toBe(58593); // 2019-04-20
    expect(last?.secondsOfDay).toBeCloseTo(694.11956365034, 9);
    const ms = measurementsFromCrd(crd, { context, records: 'full-rate' });
    for (let i = 1; i < ms.length; i++) {
      const a = ms[i - 1];
      const b = ms[i];
      if (a !== undefined && b !== undefined) expect(b.epoch.secondsSince(a.epoch)).toBeGreaterThan(0);
    }
  });

  it('Rollover.frd: three blocks, the last across midnight', () => {
    const crd = read('od/ilrs/Rollover.frd');
    const ends = crd.blocks.map((b) => {
      const r = b.ranges;
      return [r[0]?.mjd, r[0]?.secondsOfDay, r[r.length - 1]?.mjd, r[r.length - 1]?.secondsOfDay];
    });
    // 2022-06-06 = MJD 59736; 2021-01-26 = MJD 59240.
    expect(ends[0]?.[0]).toBe(59736);
    expect(ends[0]?.[1]).toBeCloseTo(43410.8898329, 7);
    expect(ends[0]?.[2]).toBe(59736);
    expect(ends[0]?.[3]).toBeCloseTo(43444.1690476, 7);
    expect(ends[1]?.[0]).toBe(59736);
    expect(ends[1]?.[1]).toBeCloseTo(26579.4005432, 7);
    expect(ends[1]?.[3]).toBeCloseTo(26618.2005407, 7);
    expect(ends[2]?.[0]).toBe(59240);
    expect(ends[2]?.[1]).toBeCloseTo(86181.27186363144, 9);
    expect(ends[2]?.[2]).toBe(59241);
    expect(ends[2]?.[3]).toBeCloseTo(1007.94676362537, 9);
  });

  it('Rollover.frd asked for normal points: no measurement, and every block reported as skipped', () => {
    const crd = read('od/ilrs/Rollover.frd');
    const { measurements, skipped } = crdMeasurements(crd, { context });
    console.log(
      `Rollover.frd skipped: ${skipped.map((s) => `#${s.block} line ${s.line} ${s.reason}`).join('; ')}`,
    );
    expect(measurements).toHaveLength(0);
    expect(skipped.map((s) => s.block)).toEqual([0, 1, 2]);
    for (const s of skipped) {
      expect(['range-type', 'data-type', 'no-records']).toContain(s.reason);
      expect(s.line).toBe(crd.blocks[s.block]?.line);
    }
    expect(measurementsFromCrd(crd, { context })).toHaveLength(0);
  });

  it('meteoMaxGapS: no meteo beyond the gap, counted as skipped', () => {
    const crd = read('od/lageos2/lageos2_20160214.npt');
    const all = crdMeasurements(crd, { context });
    expect(all.skipped).toEqual([]);
    expect(all.measurements.every((m) => m.meteo !== undefined)).toBe(true);
    // A 1 ms gap: no normal point is within 1 ms of a meteo record.
    const tight = crdMeasurements(crd, { context, meteoMaxGapS: 1e-3 });
    expect(tight.measurements).toHaveLength(all.measurements.length);
    const without = tight.measurements.filter((m) => m.meteo === undefined).length;
    expect(without).toBeGreaterThan(0);
    expect(tight.skipped.every((s) => s.reason === 'meteo-gap')).toBe(true);
    expect(tight.skipped.reduce((n, s) => n + s.records, 0)).toBe(without);
  });

  it('crd201_all_samples: 12 blocks of every record, rollover inside block 9', () => {
    const crd = read('od/ilrs/crd201_all_samples');
    expect(crd.blocks).toHaveLength(12);
    const b0 = crd.blocks[0];
    expect(b0?.format.version).toBe(2);
    expect(b0?.ranges).toHaveLength(3);
    expect(b0?.ranges[0]?.timeOfFlightS).toBeCloseTo(0.047960587856, 12);
    expect(b0?.rangeSupplements).toHaveLength(3);
    expect(b0?.angles[2]).toMatchObject({
      azimuthDeg: 15.233,
      elevationDeg: 45.71,
      originIndicator: 2,
      refractionCorrected: true,
    });
    expect(Number.isNaN(b0?.angles[2]?.azimuthRateDegPerS)).toBe(true);
    const b9 = crd.blocks[9];
    expect(b9?.format.version).toBe(1);
    expect(b9?.ranges).toHaveLength(10);
    const n7 = b9?.ranges[7];
    const n8 = b9?.ranges[8];
    // 2022-03-25 = MJD 59663: 23:59:06.02 then 00:05:45.65 on the 26th.
    expect(n7).toMatchObject({ mjd: 59663, numberOfRawRanges: 1516, binRmsPs: 34.4 });
    expect(n7?.secondsOfDay).toBeCloseTo(86346.02006373553, 9);
    expect(n8).toMatchObject({ mjd: 59664, numberOfRawRanges: 525 });
    expect(Math.abs((n8?.timeOfFlightS ?? 0) - 0.056059159587)).toBeLessThan(EXACT_TEXT);
    expect(b9?.meteo[1]).toMatchObject({
      mjd: 59664,
      secondsOfDay: 410,
      pressureMbar: 969.45,
      originOfValues: 1,
    });
    expect(b9?.calibrations[1]).toMatchObject({
      mjd: 59664,
      pointsRecorded: 10000,
      pointsUsed: 8073,
      systemDelayPs: 112205.4,
    });
    expect(b9?.sessionStatistics[0]).toMatchObject({ rmsPs: 34, dataQuality: 1 });
    // Blocks 0/1/2 are the full-rate, normal-point and sampled-engineering forms of one pass.
    expect(crd.blocks.slice(0, 3).map((b) => b.session.dataType)).toEqual([0, 1, 2]);
    // Sampled engineering (quicklook) writes 10 records too; they are not full-rate measurements.
    const only = (k: number) => ({ blocks: crd.blocks.slice(k, k + 1), comments: [] });
    expect(crd.blocks[2]?.ranges.length).toBeGreaterThan(0);
    expect(measurementsFromCrd(only(2), { context, records: 'full-rate' })).toHaveLength(0);
    expect(measurementsFromCrd(only(0), { context, records: 'full-rate' })).toHaveLength(3);
    const b10 = crd.blocks[10];
    expect(b10?.systemConfigurations[0]).toMatchObject({
      wavelengthNm: 532,
      systemId: 'new',
      components: ['la1', 'mcp', 'ti1', 'swm', 'met', 'cac'],
    });
    expect(b10?.laserConfigurations[0]).toMatchObject({
      laserType: 'Nd:Yag',
      primaryWavelengthNm: 1064,
      pulsesInOutgoingSemiTrain: 1,
    });
  });
});

describe('CRD negative cases are refused with file, line and what was expected', () => {
  const issue = (path: string) => {
    const name = path.split('/').pop() ?? path;
    const r = parseCrd(readRefText(path), { fileName: name });
    if (r.ok) throw new Error(`${path} was accepted`);
    return r.issues[0];
  };

  it('crd_corrupted_data.v2C: a time of flight that is not a number, line 19', () => {
    const i = issue('od/ilrs/crd_corrupted_data.v2C');
    expect(i).toMatchObject({
      code: 'CRD_PARSE_LINE',
      file: 'crd_corrupted_data.v2C',
      line: 19,
      found: 'corrupted',
    });
    expect(i?.expected).toContain('time of flight');
  });

  it('crd_invalid_format.v2C: H1 says CPF', () => {
    expect(issue('od/ilrs/crd_invalid_format.v2C')).toMatchObject({
      code: 'CRD_UNEXPECTED_FORMAT',
      line: 1,
      expected: 'CRD',
      found: 'CPF',
    });
  });

  it('crd_invalid_range_type.v2C: H4 range type 9', () => {
    expect(issue('od/ilrs/crd_invalid_range_type.v2C')).toMatchObject({
      code: 'CRD_INVALID_RANGE_TYPE',
      line: 4,
      found: '9',
    });
  });

  it('crd_unexpected_end_of_file.v2C: no H8/H9, reported at the last line (23)', () => {
    expect(issue('od/ilrs/crd_unexpected_end_of_file.v2C')).toMatchObject({
      code: 'CRD_UNEXPECTED_END_OF_FILE',
      line: 23,
    });
  });

  it('refuses epoch time scales that are not UTC and spacecraft epoch events', () => {
    const text = readRefText('od/lageos2/lageos2_20160214.npt');
    const notUtc = unwrap(parseCrd(text.replace('h2 YARL       7090  5 13 3', 'h2 YARL       7090  5 13 1')));
    expect(codeOf(() => measurementsFromCrd(notUtc, { context }))).toBe('CRD_UNSUPPORTED_TIME_SCALE');
    const bounce = unwrap(parseCrd(text.replace('0.039237325685 std 2', '0.039237325685 std 1')));
    expect(codeOf(() => measurementsFromCrd(bounce, { context }))).toBe('CRD_UNSUPPORTED_EPOCH_EVENT');
    const receive = unwrap(parseCrd(text.replace('0.039237325685 std 2', '0.039237325685 std 0')));
    expect(measurementsFromCrd(receive, { context })[0]?.timeTag).toBe('receive');
  });
});
