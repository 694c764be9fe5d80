/**
 * Space-weather readers (CelesTrak CSV, CSSI fixed-width text) and the NRLMSISE-00 input lookup,
 * checked against values read by hand from the reference files; plus the density at a position.
 */
import { describe, expect, it } from 'vitest';
import {
  atmosphericDensity,
  nrlmsise00,
  parseCelestrakSpaceWeatherCsv,
  parseCssiSpaceWeather,
  parseNrlmsise00Coefficients,
  type SpaceWeatherTable,
  spaceWeatherAt,
} from '../src/atmosphere/index.js';
import { geodeticToItrfArray } from '../src/frames/geodetic.js';
import { mjdFromCalendar } from '../src/math/calendar.js';
import { DEG2RAD } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { codeOf, unwrap } from './test-support.js';

const csvText = readRefText('earth/SW-All_1998-2026.csv.gz');
const cssiText = readRefText('earth/SpaceWeather-All-v1.2_1957-2020.txt.gz');
/** The files print F10.7 and means with one decimal and ap as integers: values must match exactly. */
const EXACT = 1e-12;

/** UTC Julian date pair of a calendar date and UT hours. */
function jd(y: number, m: number, d: number, hours = 0): [number, number] {
  return [mjdFromCalendar(y, m, d) + 2400000.5, hours / 24];
}

describe('CelesTrak SW-All CSV', () => {
  const table = unwrap(parseCelestrakSpaceWeatherCsv(csvText, { file: 'SW-All_1998-2026.csv' }));

  it('reads every daily row and keeps the monthly predictions apart', () => {
    expect(table.firstMjd).toBe(mjdFromCalendar(1998, 7, 1));
    expect(table.lastMjd).toBe(mjdFromCalendar(2026, 6, 10));
    expect(table.lastObservedMjd).toBe(mjdFromCalendar(2026, 4, 26));
    // 10391 data rows: 10207 daily (OBS 10143 + INT 19 + PRD 45) and 184 monthly.
    expect(table.dataType.filter((t) => t !== '').length).toBe(10207);
    expect(table.dataType.filter((t) => t === '').length).toBe(0);
    expect(table.monthly.length).toBe(184);
    expect(table.monthly[0]).toEqual({
      mjd: mjdFromCalendar(2026, 7, 1),
      f107Obs: 122.3,
      f107ObsCenter81: 124.9,
      f107ObsLast81: 127.0,
    });
    const r = parseCelestrakSpaceWeatherCsv(csvText);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('2003-10-29 13:30 UTC (Halloween storm) gives the inputs read by hand from the file', () => {
    // Rows 2003-10-26..29: AP1..AP8 of the 29th = 39 27 400 207 179 179 300 300, AP_AVG 204;
    // 28th = 15 39 22 39 12 27 18 27 (F10.7_OBS 274.4); 27th = 22 18 18 7 7 9 5 4.
    // 13:30 is in the 5th interval (12-15 UT): a[1] = 179, then 207, 400, 27;
    // a[5] = mean(39; 27 18 27 12 39 22 39) = 223/8; a[6] = mean(15; 4 5 9 7 7 18 18) = 83/8.
    const v = spaceWeatherAt(table, ...jd(2003, 10, 29, 13.5));
    expect(v.f107).toBeCloseTo(274.4, 12);
    expect(v.f107A).toBeCloseTo(146.8, 12);
    expect(v.ap).toBe(204);
    const want = [204, 179, 207, 400, 27, 223 / 8, 83 / 8];
    for (const [k, a] of v.apArray.entries()) expect(Math.abs(a - (want[k] as number))).toBeLessThan(EXACT);
    expect(v.predicted).toBe(false);
    expect(v.f107Interpolated).toBe(false);
    expect(v.utSeconds).toBeCloseTo(13.5 * 3600, 6);
  });

  it('at 00:00 the current interval is AP1 and the history reaches three days back', () => {
    // 1998-07-04 00:00: a[1] = AP1(4th) = 9; a[2..4] = AP8, AP7, AP6 of the 3rd = 12, 9, 4;
    // a[5] = AP5..AP1 of the 3rd and AP8..AP6 of the 2nd = (7+4+4+7+18 + 7+5+4)/8;
    // a[6] = AP5..AP1 of the 2nd and AP8..AP6 of the 1st = (6+5+9+6+18 + 12+9+7)/8.
    const v = spaceWeatherAt(table, ...jd(1998, 7, 4));
    const want = [10, 9, 12, 9, 4, 56 / 8, 72 / 8];
    for (const [k, a] of v.apArray.entries()) expect(Math.abs(a - (want[k] as number))).toBeLessThan(EXACT);
    expect(v.f107).toBeCloseTo(127.6, 12);
    expect(v.f107A).toBeCloseTo(113.4, 12);
  });

  it('flags interpolated flux and predictions', () => {
    // 2002-08-30 is INT, so the F10.7 used on the 31st is interpolated.
    expect(spaceWeatherAt(table, ...jd(2002, 8, 31, 6)).f107Interpolated).toBe(true);
    // Rows after 2026-04-26 are PRD.
    const p = spaceWeatherAt(table, ...jd(2026, 4, 28, 6));
    expect(p.predicted && p.predictedRows).toBe(true);
    // Observed rows, but the centred mean reaches 40 days past the last observation.
    const c = spaceWeatherAt(table, ...jd(2026, 4, 1, 6));
    expect([c.predicted, c.predictedRows, c.centredMeanIncludesPredictions]).toEqual([true, false, true]);
    expect(spaceWeatherAt(table, ...jd(2025, 1, 1, 6)).predicted).toBe(false);
  });

  it('refuses a time outside the daily rows (or without three days of ap history)', () => {
    expect(codeOf(() => spaceWeatherAt(table, ...jd(1998, 7, 3, 23)))).toBe('SPACE_WEATHER_OUT_OF_RANGE');
    expect(codeOf(() => spaceWeatherAt(table, ...jd(1998, 7, 4, 0)))).toBeUndefined();
    expect(codeOf(() => spaceWeatherAt(table, ...jd(2026, 6, 10, 23.9)))).toBeUndefined();
    // Only monthly predictions (no 3-hour ap) after 2026-06-10.
    expect(codeOf(() => spaceWeatherAt(table, ...jd(2026, 6, 11, 0)))).toBe('SPACE_WEATHER_OUT_OF_RANGE');
    expect(codeOf(() => spaceWeatherAt(table, Number.NaN))).toBe('SPACE_WEATHER_OUT_OF_RANGE');
  });

  it('keeps good rows and reports each malformed one with its line, column and column name', () => {
    const lines = csvText.split('\n');
    const lineOf = (date: string): number => lines.findIndex((l) => l.startsWith(date));
    const i1 = lineOf('2003-10-27');
    const i2 = lineOf('2010-01-05');
    const i3 = lineOf('2010-01-06');
    const i4 = lineOf('2015-03-17');
    lines[i1] = (lines[i1] as string).replace(',22,18,18,7,', ',22,x8,18,7,'); // AP2 not a number
    lines[i2] = (lines[i2] as string).slice(0, 40); // truncated
    lines[i3] = (lines[i3] as string).replace('OBS', 'ZZZ'); // unknown data type
    lines[i4] = (lines[i4] as string).replace('2015-03-17', '2015-3-17'); // bad date
    const r = parseCelestrakSpaceWeatherCsv(lines.join('\n'), { file: 'bad.csv' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => [w.line, w.key, w.code])).toEqual([
      [i1 + 1, 'AP2', 'SPACE_WEATHER_ROW'],
      [i2 + 1, undefined, 'SPACE_WEATHER_ROW'],
      [i3 + 1, 'F10.7_DATA_TYPE', 'SPACE_WEATHER_ROW'],
      [i4 + 1, 'DATE', 'SPACE_WEATHER_ROW'],
    ]);
    const ap2 = r.warnings[0];
    expect(ap2?.file).toBe('bad.csv');
    expect(ap2?.found).toBe('x8');
    expect((lines[i1] as string).slice((ap2?.column ?? 0) - 1).startsWith('x8,')).toBe(true);
    const t = r.value;
    expect(t.dataType.filter((d) => d === '').length).toBe(4);
    // A lookup that needs a skipped day is refused; one that does not is unaffected.
    expect(codeOf(() => spaceWeatherAt(t, ...jd(2003, 10, 29, 13.5)))).toBe('SPACE_WEATHER_MISSING_DAY');
    expect(codeOf(() => spaceWeatherAt(t, ...jd(2003, 10, 31, 13.5)))).toBeUndefined();
    expect(spaceWeatherAt(t, ...jd(2015, 3, 12)).ap).toBe(spaceWeatherAt(csvTable(), ...jd(2015, 3, 12)).ap);
  });

  it('fails on a header without the needed columns, and on a file with no usable row', () => {
    const r = parseCelestrakSpaceWeatherCsv('DATE,BSRN,ND\n2000-01-01,1,2\n');
    expect(!r.ok && r.issues[0]?.code).toBe('SPACE_WEATHER_HEADER');
    const header = csvText.split('\n')[0] as string;
    const e = parseCelestrakSpaceWeatherCsv(`${header}\n2000-01-01,1\n`);
    expect(!e.ok && e.issues.map((i) => i.code)).toEqual(['SPACE_WEATHER_ROW', 'SPACE_WEATHER_EMPTY']);
  });
});

let cached: SpaceWeatherTable | undefined;
function csvTable(): SpaceWeatherTable {
  cached ??= unwrap(parseCelestrakSpaceWeatherCsv(csvText));
  return cached;
}

describe('CSSI SpaceWeather-All-v1.2 text', () => {
  const table = unwrap(parseCssiSpaceWeather(cssiText, { file: 'SpaceWeather-All-v1.2.txt' }));

  it('reads the observed and daily-predicted sections, and the monthly predictions apart', () => {
    expect(table.firstMjd).toBe(mjdFromCalendar(1957, 10, 1));
    expect(table.lastObservedMjd).toBe(mjdFromCalendar(2020, 12, 4));
    expect(table.lastMjd - table.lastObservedMjd!).toBe(44);
    expect(table.dataType.filter((t) => t === '').length).toBe(0);
    expect(table.monthly.length).toBe(281);
    const r = parseCssiSpaceWeather(cssiText);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it("2003-10-29 13:30 UTC: same 3-hour ap as the CSV, this file's own observed F10.7 columns", () => {
    // CSSI row 2003-10-28: Obs F10.7 274.4; row 2003-10-29: Obs Ctr81 140.3 (the CSV's later
    // revision says 146.8).
    const v = spaceWeatherAt(table, ...jd(2003, 10, 29, 13.5));
    const c = spaceWeatherAt(csvTable(), ...jd(2003, 10, 29, 13.5));
    expect(v.apArray).toEqual(c.apArray);
    expect(v.f107).toBeCloseTo(274.4, 12);
    expect(v.f107A).toBeCloseTo(140.3, 12);
    expect(table.kp3h[8 * (mjdFromCalendar(2003, 10, 29) - table.firstMjd) + 2]).toBeCloseTo(9.0, 12);
  });

  it('reports a malformed row and keeps the others', () => {
    const lines = cssiText.split('\n');
    const i = lines.findIndex((l) => l.startsWith('2003 10 27'));
    lines[i] = `${(lines[i] as string).slice(0, 50)}  ?${(lines[i] as string).slice(53)}`;
    const r = parseCssiSpaceWeather(lines.join('\n'));
    expect(r.ok && r.warnings.map((w) => [w.line, w.key, w.column])).toEqual([[i + 1, 'Ap2', 51]]);
  });
});

describe('atmosphericDensity at a position', () => {
  const coeffs = parseNrlmsise00Coefficients(readRefText('earth/atmosphere/nrlmsise00-coefficients.json'));
  const table = csvTable();
  /** Measured NRLMSISE-00 densities at 400 km lie within 1e-13..1e-11 kg/m³ from solar minimum to
   * storm-time solar maximum (order 1e-12 for moderate activity). */
  const RHO_400_MIN = 1e-13;
  const RHO_400_MAX = 1e-11;

  function at(y: number, m: number, d: number, hours: number, latDeg: number, lonDeg: number, hKm: number) {
    const r = geodeticToItrfArray(latDeg * DEG2RAD, lonDeg * DEG2RAD, hKm, [0, 0, 0]);
    return atmosphericDensity(coeffs, r, ...jd(y, m, d, hours), table);
  }

  it('gives ~1e-12 kg/m³ at 400 km, passes the geodetic position and local time through', () => {
    const a = at(2015, 3, 12, 15, 30, -60, 400);
    expect(a.rhoKgM3).toBeGreaterThan(RHO_400_MIN);
    expect(a.rhoKgM3).toBeLessThan(RHO_400_MAX);
    expect(a.altKm).toBeCloseTo(400, 9);
    expect(a.latRad / DEG2RAD).toBeCloseTo(30, 9);
    expect(a.doy).toBe(31 + 28 + 12);
    expect(a.lstHours).toBeCloseTo(15 - 4, 9);
    expect(a.spaceWeather?.predicted).toBe(false);
    console.log(`rho(400 km, 2015-03-12 15 UT, 30N 60W) = ${a.rhoKgM3.toExponential(3)} kg/m3`);
  });

  it('equals the model called directly with the looked-up activity (ap-array mode)', () => {
    const a = at(2003, 10, 29, 21, 45, 10, 500);
    const sw = a.spaceWeather!;
    const direct = nrlmsise00(coeffs, {
      doy: a.doy,
      utSeconds: a.utSeconds,
      altKm: a.altKm,
      latRad: a.latRad,
      lonRad: a.lonRad,
      lstHours: a.lstHours,
      f107: sw.f107,
      f107A: sw.f107A,
      ap: sw.ap,
      apArray: sw.apArray,
    });
    expect(direct).toEqual(a.model);
    const quiet = at(2003, 10, 26, 21, 45, 10, 500);
    // Halloween storm (ap up to 400) versus the quiet days before it: density several times higher.
    expect(a.rhoKgM3 / quiet.rhoKgM3).toBeGreaterThan(2);
    console.log(`storm/quiet density ratio at 500 km: ${(a.rhoKgM3 / quiet.rhoKgM3).toFixed(2)}`);
    expect(sw.apArray[1]).toBe(300);
    // longitude wraps: 350°E at 21 UT is lst 20.33 h
    const w = at(2003, 10, 26, 21, 0, 350, 400);
    expect(w.lstHours).toBeCloseTo(21 - 10 / 15, 9);
  });

  it('accepts fixed activity instead of a table', () => {
    const r = geodeticToItrfArray(60 * DEG2RAD, -70 * DEG2RAD, 400, [0, 0, 0]);
    const a = atmosphericDensity(coeffs, r, ...jd(2001, 6, 21, 29000 / 3600), {
      f107: 150,
      f107A: 150,
      ap: 4,
    });
    expect(a.spaceWeather).toBeUndefined();
    // same inputs as test_gtd7 case 0 except lst (here from the longitude: 8.06 − 4.67 = 3.39 h)
    expect(a.doy).toBe(172);
    expect(a.rhoKgM3).toBeGreaterThan(RHO_400_MIN);
  });
});
