/**
 * The sensor file reader (observations/sensor-file.ts): the public sensor sites of
 * packages/astro/data/sensors.json, the short stations-file form, and strict refusals that name the
 * array index, the key and the line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itrfToGeodeticArray } from '../src/frames/geodetic.js';
import {
  inAzimuthSector,
  parseSensorFile,
  type Sensor,
  withinGeometricLimits,
} from '../src/observations/index.js';
import { unwrap } from './test-support.js';

const DEG = Math.PI / 180;
const SENSORS_JSON = join(dirname(fileURLToPath(import.meta.url)), '../data/sensors.json');
/** Geodetic round trip of a site: micrometres. */
const SITE_KM = 1e-9;

function issuesOf(text: string) {
  const r = parseSensorFile(text, 'stations.json');
  return r.ok ? r.warnings : r.issues;
}

describe('the public sensor file', () => {
  const sensors = unwrap(parseSensorFile(readFileSync(SENSORS_JSON, 'utf8'), 'sensors.json'));
  const r = parseSensorFile(readFileSync(SENSORS_JSON, 'utf8'), 'sensors.json');

  it('parses every site without warnings, each with a source', () => {
    expect(r.ok && r.warnings.length).toBe(0);
    const names = sensors.map((s) => s.name);
    for (const n of [
      'KSGC-RADAR',
      'BSGC-1M',
      'JASDF-DSR',
      'SPACE-FENCE-KWAJALEIN',
      'GEODSS-SOCORRO',
      'GEODSS-MAUI',
      'GEODSS-DIEGO-GARCIA',
      'EGLIN-FPS85',
      'COBRA-DANE',
    ]) {
      expect(names).toContain(n);
    }
    for (const s of sensors) expect(s.source?.length ?? 0).toBeGreaterThan(40);
  });

  it('converts the units: degrees to radians, metres to km, arcseconds to radians', () => {
    const k = sensors.find((s) => s.name === 'KSGC-RADAR')!;
    const g = itrfToGeodeticArray(k.itrfKm, [0, 0, 0]);
    expect(Math.abs(g[0] - 35.31 * DEG)).toBeLessThan(1e-12);
    expect(Math.abs(g[1] - 133.94 * DEG)).toBeLessThan(1e-12);
    expect(Math.abs(g[2] - 0.6)).toBeLessThan(SITE_KM);
    expect(k.type).toBe('radar');
    expect(k.minElevationRad).toBeCloseTo(10 * DEG, 15);
    expect(k.maxRangeKm).toBe(1500);
    expect(k.noise.rangeKm).toBeCloseTo(0.02, 15);
    expect(k.noise.angleRad).toBeCloseTo((180 / 3600) * DEG, 15);
    const b = sensors.find((s) => s.name === 'BSGC-1M')!;
    expect(b.type).toBe('optical');
    expect(b.lighting?.maxSunElevationRad).toBeCloseTo(-12 * DEG, 15);
    expect(b.lighting?.requireTargetSunlit).toBe(true);
    expect(b.measurements).toEqual(['right-ascension-declination']);
  });

  it('keeps the azimuth sectors, including one through north (Cobra Dane 259°–19°)', () => {
    const c = sensors.find((s) => s.name === 'COBRA-DANE')!;
    const sec = c.azimuthSectors[0]!;
    expect(inAzimuthSector(319 * DEG, sec)).toBe(true);
    expect(inAzimuthSector(10 * DEG, sec)).toBe(true);
    expect(inAzimuthSector(100 * DEG, sec)).toBe(false);
    expect(withinGeometricLimits(c, 319 * DEG, 30 * DEG, 1000)).toBe(true);
    expect(withinGeometricLimits(c, 319 * DEG, 85 * DEG, 1000)).toBe(false);
    expect(withinGeometricLimits(c, 319 * DEG, 30 * DEG, 5000)).toBe(false);
    const e = sensors.find((s) => s.name === 'EGLIN-FPS85')!;
    expect(withinGeometricLimits(e, 180 * DEG, 30 * DEG, 1000)).toBe(true);
    expect(withinGeometricLimits(e, 0, 30 * DEG, 1000)).toBe(false);
  });
});

describe('the stations-file form', () => {
  it('accepts {name, lat_deg, lon_deg, alt_m} and {name, x_m, y_m, z_m} with optional noise and bias', () => {
    const text = JSON.stringify([
      { name: 'GEO', lat_deg: 36.0, lon_deg: -120.5, alt_m: 100 },
      {
        name: 'XYZ',
        x_m: -3822388.355,
        y_m: 3699363.566,
        z_m: 3507573.114,
        range_sigma_m: 0.01,
        range_bias_m: 0.005,
      },
      {
        name: 'TEL',
        lat_deg: 10,
        lon_deg: 20,
        alt_m: 0,
        angle_sigma_arcsec: 1,
        angle_bias_arcsec: [0.5, -0.2],
      },
      { name: 'SLR', lat_deg: 10, lon_deg: 20, alt_m: 0, range_sigma_m: 0.01, wavelength_nm: 532 },
    ]);
    const s: Sensor[] = unwrap(parseSensorFile(text, 'stations.json'));
    expect(s.map((x) => x.type)).toEqual(['radar', 'radar', 'optical', 'laser']);
    expect(s[1]!.itrfKm[0]).toBeCloseTo(-3822.388355, 12);
    expect(s[1]!.noise.rangeKm).toBeCloseTo(1e-5, 18);
    expect(s[1]!.bias.rangeKm).toBeCloseTo(5e-6, 18);
    expect(s[2]!.bias.angleRad![1]).toBeCloseTo((-0.2 / 3600) * DEG, 18);
    expect(s[0]!.minElevationRad).toBe(0);
    expect(s[0]!.maxRangeKm).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('strict refusals', () => {
  const cases: [string, unknown[], string, string][] = [
    [
      'unknown key',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, colour: 'red' }],
      'SENSOR_UNKNOWN_KEY',
      '[0].colour',
    ],
    [
      'wrong unit',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, max_range_m: 3 }],
      'SENSOR_WRONG_UNIT',
      '[0].max_range_m',
    ],
    [
      'wrong unit of angles',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, min_elevation_rad: 0.1 }],
      'SENSOR_WRONG_UNIT',
      '[0].min_elevation_rad',
    ],
    [
      'latitude out of range',
      [{ name: 'A', lat_deg: 95, lon_deg: 2, alt_m: 3 }],
      'SENSOR_OUT_OF_RANGE',
      '[0].lat_deg',
    ],
    [
      'negative sigma',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, range_sigma_m: -1 }],
      'SENSOR_OUT_OF_RANGE',
      '[0].range_sigma_m',
    ],
    [
      'altitude in km by mistake',
      [{ name: 'A', x_m: 6378, y_m: 0, z_m: 0 }],
      'SENSOR_OUT_OF_RANGE',
      '[0].x_m',
    ],
    ['string number', [{ name: 'A', lat_deg: '1', lon_deg: 2, alt_m: 3 }], 'SENSOR_BAD_VALUE', '[0].lat_deg'],
    [
      'lighting on a radar',
      [{ name: 'A', type: 'radar', lat_deg: 1, lon_deg: 2, alt_m: 3, moon_avoidance_deg: 5 }],
      'SENSOR_NOT_OPTICAL',
      '[0].moon_avoidance_deg',
    ],
    [
      'two positions',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, x_m: 6378137, y_m: 0, z_m: 0 }],
      'SENSOR_POSITION_TWICE',
      '[0].x_m',
    ],
    ['missing altitude', [{ name: 'A', lat_deg: 1, lon_deg: 2 }], 'SENSOR_MISSING_KEY', '[0].alt_m'],
    ['missing name', [{ lat_deg: 1, lon_deg: 2, alt_m: 3 }], 'SENSOR_MISSING_KEY', '[0].name'],
    [
      'unknown type',
      [{ name: 'A', type: 'sonar', lat_deg: 1, lon_deg: 2, alt_m: 3 }],
      'SENSOR_BAD_VALUE',
      '[0].type',
    ],
    [
      'bad sector',
      [{ name: 'A', lat_deg: 1, lon_deg: 2, alt_m: 3, azimuth_sectors_deg: [10, 20] }],
      'SENSOR_BAD_VALUE',
      '[0].azimuth_sectors_deg',
    ],
    [
      'optical range',
      [{ name: 'A', type: 'optical', lat_deg: 1, lon_deg: 2, alt_m: 3, measurements: ['range'] }],
      'SENSOR_BAD_VALUE',
      '[0].measurements',
    ],
  ];
  for (const [what, data, code, key] of cases) {
    it(`refuses ${what} with ${code} at ${key}`, () => {
      const issues = issuesOf(JSON.stringify(data));
      const hit = issues.find((i) => i.code === code);
      expect(hit?.key).toBe(key);
      expect(hit?.file).toBe('stations.json');
    });
  }

  it('keeps the good entries, reports the bad one with its index and line', () => {
    const text = `[
  {"name": "GOOD", "lat_deg": 1, "lon_deg": 2, "alt_m": 3},
  {"name": "BAD",
   "lat_deg": 1, "lon_deg": 2, "alt_m": 3, "range_sigma_m": 0},
  {"name": "GOOD", "lat_deg": 1, "lon_deg": 2, "alt_m": 3}
]`;
    const r = parseSensorFile(text, 'f.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((s) => s.name)).toEqual(['GOOD']);
    const bad = r.warnings.find((w) => w.key === '[1].range_sigma_m');
    expect(bad?.code).toBe('SENSOR_OUT_OF_RANGE');
    expect(bad?.line).toBe(3);
    const dup = r.warnings.find((w) => w.code === 'SENSOR_DUPLICATE_NAME');
    expect(dup?.key).toBe('[2].name');
    expect(dup?.line).toBe(5);
  });

  it('refuses a file that is not a JSON array', () => {
    expect(issuesOf('{"name": "A"}')[0]?.code).toBe('SENSOR_FILE_NOT_ARRAY');
    expect(issuesOf('[{"name": "A",]')[0]?.code).toBe('SENSOR_FILE_JSON');
    expect(issuesOf('[]')[0]?.code).toBe('SENSOR_FILE_EMPTY');
  });
});
