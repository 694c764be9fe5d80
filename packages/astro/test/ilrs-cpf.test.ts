/**
 * CPF reader and writer against the ILRS prediction files of ../shared/data/od (Orekit's CPF
 * parser cases and the LAGEOS-2 SGF prediction). Expected values are those of the od README table
 * and of Orekit's CPFParserTest for the same files.
 */
import { describe, expect, it } from 'vitest';
import { type CpfFile, cpfPositions, parseCpf, writeCpf } from '../src/ilrs/index.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { loadLeapSecondDat, unwrap } from './test-support.js';

const leapSeconds = loadLeapSecondDat();
const context = { leapSeconds };
/** CPF positions have 1 mm resolution; km values must match the text to well below that. */
const ONE_MICROMETRE_KM = 1e-9;

function read(path: string): CpfFile {
  return unwrap(parseCpf(readRefText(path), { fileName: path.split('/').pop() ?? path }));
}

describe('CPF v1 and v2 files', () => {
  it('jason3_cpf_180613_16401.cne (v2): header, 8 comments, 1801 positions', () => {
    const cpf = read('od/ilrs/jason3_cpf_180613_16401.cne');
    expect(cpf.comments).toHaveLength(8);
    expect(cpf.comments[0]).toBe('Col 1 : <Record type=10)>');
    expect(cpf.comments[7]).toBe('Col 8 : <Geocentric Z position in meters>');
    expect(cpf.header).toMatchObject({
      version: 2,
      source: 'CNE',
      productionYear: 2018,
      productionMonth: 6,
      productionDay: 13,
      productionHour: 6,
      sequenceNumber: 164,
      subDailySequenceNumber: 1,
      targetName: 'jason3',
      ilrsId: '1600201',
      sic: '4379',
      noradId: '41240',
      start: [2018, 6, 13, 0, 0, 0],
      end: [2018, 6, 18, 0, 0, 0],
      stepS: 240,
      compatibleWithTivs: 1,
      targetClass: 1,
      referenceFrame: 0,
      rotationalAngleType: 0,
      centerOfMassCorrection: 0,
      targetLocation: 1,
    });
    expect(cpf.entries).toHaveLength(1801);
    expect(cpf.entries[0]).toMatchObject({
      mjd: 58282,
      secondsOfDay: 0,
      leapSecond: 0,
      positionM: [6566174.663, 2703003.22, -3022783.901],
    });
    expect(cpf.entries[1800]).toMatchObject({
      mjd: 58287,
      secondsOfDay: 0,
      positionM: [6045281.907, 1607181.391, -4519215.355],
    });
  });

  it('lageos1_cpf_180613_16401.hts (v2): 582 positions and the H5 centre-of-mass offset', () => {
    const cpf = read('od/ilrs/lageos1_cpf_180613_16401.hts');
    expect(cpf.comments).toHaveLength(0);
    expect(cpf.header).toMatchObject({
      source: 'HTS',
      productionHour: 12,
      targetName: 'lageos1',
      notes: 'NONE',
      noradId: '8820',
      stepS: 300,
    });
    expect(cpf.header.centerOfMassOffsetM).toBe(0.251);
    expect(cpf.entries).toHaveLength(582);
    expect(cpf.entries[0]).toMatchObject({
      mjd: 58281,
      secondsOfDay: 84600,
      positionM: [2966379.904, 4195129.466, -11136763.061],
    });
    expect(cpf.entries[581]).toMatchObject({
      mjd: 58283,
      secondsOfDay: 86100,
      positionM: [-5292229.761, 4106329.723, -10235338.181],
    });
  });

  it('galileo212_cpf_180613_6641.esa (v1): 193 positions', () => {
    const cpf = read('od/ilrs/galileo212_cpf_180613_6641.esa');
    expect(cpf.header).toMatchObject({
      version: 1,
      source: 'ESA',
      sequenceNumber: 6641,
      targetName: 'galileo212',
      ilrsId: '1606902',
      sic: '7212',
      noradId: '41860',
      stepS: 900,
      start: [2018, 6, 12, 23, 59, 42],
      end: [2018, 6, 14, 23, 59, 42],
    });
    expect(cpf.header.subDailySequenceNumber).toBeUndefined();
    expect(cpf.entries).toHaveLength(193);
    expect(cpf.entries[0]).toMatchObject({
      mjd: 58281,
      secondsOfDay: 86382,
      positionM: [-3442706.377, 29234902.063, 3170080.159],
    });
    expect(cpf.entries[192]).toMatchObject({
      mjd: 58283,
      secondsOfDay: 86382,
      positionM: [-7329586.488, -24111259.078, -15507306.979],
    });
  });

  it('cpf_all_fields.csg: records 10 to 70 and headers H3..H5', () => {
    const cpf = read('od/ilrs/cpf_all_fields.csg');
    expect(cpf.header).toMatchObject({
      version: 2,
      targetName: 'orekitSat',
      ilrsId: '1234567',
      centerOfMassOffsetM: 0,
    });
    expect(cpf.header.h3).toHaveLength(9);
    expect(cpf.header.h4).toHaveLength(5);
    expect(cpf.comments).toEqual([
      'This file is generated specially for the unit validation of Orekit CPF parser',
      'This is not a real file !',
    ]);
    expect(cpf.entries).toHaveLength(2);
    expect(cpf.entries[1]?.velocityMPerS).toEqual([0, 0, 0]);
    expect(cpf.entries[1]?.extra.map((x) => x.record)).toEqual(['30', '40', '50', '60', '70']);
    expect(cpf.entries[0]?.extra[2]?.fields).toEqual([
      '0',
      '58281',
      '86382.000000',
      'target',
      '0.0',
      '0.0',
      '0.0',
    ]);
  });

  it.each([
    'od/ilrs/jason3_cpf_180613_16401.cne',
    'od/ilrs/lageos1_cpf_180613_16401.hts',
    'od/ilrs/galileo212_cpf_180613_6641.esa',
    'od/ilrs/cpf_all_fields.csg',
    'od/lageos2/lageos2LS_cpf_160213_5441.sgf',
  ])('round trip parse → write → parse gives identical values: %s', (path) => {
    const first = read(path);
    const written = writeCpf(first);
    const second = unwrap(parseCpf(written, { fileName: 'written.cpf' }));
    expect(second).toEqual(first);
  });
});

describe('cpfPositions', () => {
  it('LAGEOS-2 SGF prediction: 288 positions every 300 s, radius at 16:00 as the README states', () => {
    const cpf = read('od/lageos2/lageos2_cpf_160213_5441.sgf');
    const p = cpfPositions(cpf, context);
    expect(p.referenceFrame).toBe(0);
    expect(p.epochs).toHaveLength(288);
    expect(p.velocitiesKmPerS).toBeUndefined();
    for (let i = 1; i < p.epochs.length; i++) {
      const a = p.epochs[i - 1];
      const b = p.epochs[i];
      if (a !== undefined && b !== undefined) expect(b.secondsSince(a)).toBe(300);
    }
    const t1600 = instantFromUtcDaySeconds(57431, 57600, 0, leapSeconds);
    const i = p.epochs.findIndex((t) => t.equals(t1600));
    expect(i).toBe(192);
    const r = p.positionsKm[i];
    if (r === undefined) throw new Error('no position');
    expect(Math.abs(Math.hypot(...r) - 12322.76564)).toBeLessThan(ONE_MICROMETRE_KM * 1000);
    expect(Math.abs(r[0] - 3173.012259)).toBeLessThan(ONE_MICROMETRE_KM);
  });
});

describe('CPF negative cases are refused with file, line and what was expected', () => {
  const issue = (path: string) => {
    const r = parseCpf(readRefText(path), { fileName: path.split('/').pop() ?? path });
    if (r.ok) throw new Error(`${path} was accepted`);
    return r.issues[0];
  };
  it('cpf_corrupted_data.csg: x is not a number', () => {
    expect(issue('od/ilrs/cpf_corrupted_data.csg')).toMatchObject({
      code: 'CPF_PARSE_LINE',
      file: 'cpf_corrupted_data.csg',
      line: 4,
      found: 'corrupted',
      expected: 'x (m) (a number)',
    });
  });
  it('cpf_invalid_format.csg: H1 says CDR', () => {
    expect(issue('od/ilrs/cpf_invalid_format.csg')).toMatchObject({
      code: 'CPF_UNEXPECTED_FORMAT',
      line: 1,
      expected: 'CPF',
      found: 'CDR',
    });
  });
  it('cpf_unexpected_end_of_file.csg: no 99 record', () => {
    expect(issue('od/ilrs/cpf_unexpected_end_of_file.csg')).toMatchObject({
      code: 'CPF_UNEXPECTED_END_OF_FILE',
      line: 5,
      expected: '99',
    });
  });
});
