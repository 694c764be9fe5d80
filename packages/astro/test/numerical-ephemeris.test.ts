/**
 * The JPL DE binary reader (numerical/jpl-de.ts) on the DE430 excerpt of the reference data
 * (earth/ephemerides/lnxp2016.430, 2016-01-05..03-09), and the Montenbruck & Gill low-precision
 * Sun and Moon (numerical/ephemeris.ts) measured against it: angular error in degrees and distance
 * error in percent, sampled every 3 hours over the whole excerpt.
 */
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../src/math/vec3.js';
import { ANALYTIC_EPHEMERIS, type EphemerisBody } from '../src/numerical/ephemeris.js';
import { parseJplDe } from '../src/numerical/jpl-de.js';
import { readRefBytes } from './reference-data.js';
import { codeOf, unwrap } from './test-support.js';

const FILE = 'earth/ephemerides/lnxp2016.430';
const bytes = new Uint8Array(readRefBytes(FILE));
const de = unwrap(parseJplDe(bytes, { file: 'lnxp2016.430' }));

function angleDeg(a: Vec3, b: Vec3): number {
  const c = a[1] * b[2] - a[2] * b[1];
  const d = a[2] * b[0] - a[0] * b[2];
  const e = a[0] * b[1] - a[1] * b[0];
  return (Math.atan2(Math.hypot(c, d, e), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) * 180) / Math.PI;
}

describe('JPL DE430 excerpt', () => {
  it('reads the header', () => {
    expect(de.denum).toBe(430);
    expect(de.startJd).toBe(2457392.5);
    expect(de.endJd).toBe(2457456.5);
    expect(de.recordDays).toBe(32);
    expect(de.auKm).toBe(149597870.7);
    expect(de.emrat).toBeCloseTo(81.30056907419062, 12);
    expect(de.constants.get('CLIGHT')).toBe(299792.458);
    expect(de.constants.get('RE')).toBe(6378.1363);
  });

  it('gives physically right distances (perihelion 2016-01-02 at 0.98330 AU)', () => {
    const s: Vec3 = [0, 0, 0];
    // 2016-01-05 00:00 TDB: three days after perihelion, distance ≈ 0.98331 AU (0.98330 at perihelion).
    de.positionKm('SUN', 2457392.5, 0, s);
    const au = Math.hypot(...s) / de.auKm;
    expect(au).toBeGreaterThan(0.9833);
    expect(au).toBeLessThan(0.9834);
    const m: Vec3 = [0, 0, 0];
    for (let d = 0; d < 64; d += 0.25) {
      de.positionKm('MOON', 2457392.5 + d, 0, m);
      const r = Math.hypot(...m);
      // Lunar distance stays within perigee/apogee extremes, 356,000..407,000 km.
      expect(r).toBeGreaterThan(356000);
      expect(r).toBeLessThan(407000);
    }
  });

  it('is continuous across records and sub-intervals', () => {
    const a: Vec3 = [0, 0, 0];
    const b: Vec3 = [0, 0, 0];
    // Moon sub-intervals are 4 days, Sun 16 days, records 32 days; 1 µs either side of each
    // boundary (the bodies move < 0.1 m in 2 µs). JPL fits are continuous far below a metre.
    const HALF_US_DAY = 1e-6 / 86400;
    const CONTINUITY_KM = 1e-3;
    for (let d = 4; d < 64; d += 4) {
      for (const body of ['SUN', 'MOON'] as EphemerisBody[]) {
        de.positionKm(body, 2457392.5 + d, -HALF_US_DAY, a);
        de.positionKm(body, 2457392.5 + d, HALF_US_DAY, b);
        expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeLessThan(CONTINUITY_KM);
      }
    }
  });

  it('refuses dates outside the excerpt and damaged files', () => {
    const o: Vec3 = [0, 0, 0];
    expect(codeOf(() => de.positionKm('SUN', 2457392.4, 0, o))).toBe('EPHEMERIS_OUT_OF_RANGE');
    expect(codeOf(() => de.positionKm('MOON', 2457456.6, 0, o))).toBe('EPHEMERIS_OUT_OF_RANGE');
    const short = parseJplDe(bytes.subarray(0, 8144 * 3 + 100));
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.issues[0]!.code).toBe('JPL_DE_TRUNCATED');
    const garbage = parseJplDe(new Uint8Array(8144 * 4));
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.issues[0]!.code).toBe('JPL_DE_HEADER');
    // Swap the two data records: the dates no longer continue.
    const swapped = new Uint8Array(bytes);
    swapped.set(bytes.subarray(3 * 8144, 4 * 8144), 2 * 8144);
    swapped.set(bytes.subarray(2 * 8144, 3 * 8144), 3 * 8144);
    const bad = parseJplDe(swapped);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]!.code).toBe('JPL_DE_RECORD');
  });
});

describe('analytic Sun and Moon against DE430', () => {
  for (const body of ['SUN', 'MOON'] as EphemerisBody[]) {
    it(`${body}: angle and distance errors over 2016-01-05..03-09`, () => {
      const a: Vec3 = [0, 0, 0];
      const j: Vec3 = [0, 0, 0];
      let maxDeg = 0;
      let maxPct = 0;
      let sumDeg2 = 0;
      let count = 0;
      for (let d = 0; d <= 64; d += 0.125) {
        ANALYTIC_EPHEMERIS.positionKm(body, 2457392.5 + d, 0, a);
        de.positionKm(body, 2457392.5 + d, 0, j);
        const deg = angleDeg(a, j);
        const pct = (100 * Math.abs(Math.hypot(...a) - Math.hypot(...j))) / Math.hypot(...j);
        maxDeg = Math.max(maxDeg, deg);
        maxPct = Math.max(maxPct, pct);
        sumDeg2 += deg * deg;
        count++;
      }
      const rmsDeg = Math.sqrt(sumDeg2 / count);
      console.log(
        `${body} analytic vs DE430: max ${maxDeg.toFixed(4)}° (rms ${rmsDeg.toFixed(4)}°), distance max ${maxPct.toFixed(3)} %`,
      );
      // Measured: Sun 0.0027° / 0.004 %, Moon 0.035° / 0.12 %. Montenbruck & Gill §3.3.2 promise
      // ~1′ for the Sun and "several arc minutes", ~500 km (0.13 %) for the Moon. Bounds:
      const SUN_DEG = 0.01; // 36″
      const SUN_PCT = 0.01;
      const MOON_DEG = 0.1; // 6′
      const MOON_PCT = 0.25; // ~1,000 km
      expect(maxDeg).toBeLessThan(body === 'SUN' ? SUN_DEG : MOON_DEG);
      expect(maxPct).toBeLessThan(body === 'SUN' ? SUN_PCT : MOON_PCT);
    });
  }
});
