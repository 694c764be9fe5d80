/**
 * Simulated observations (observations/simulate.ts): reproducible with a seed, different with
 * another, every measurement taken while the target is visible, and residuals against the truth
 * whose mean is the sensor's bias and whose spread is the sensor's sigma.
 */
import { describe, expect, it } from 'vitest';
import { geodeticToItrfArray } from '../src/frames/geodetic.js';
import {
  type MeasurementKind,
  type Sensor,
  simulateObservations,
  simulationRandom,
  visibilityAt,
} from '../src/observations/index.js';
import { circularTarget, ctx, utc } from './observations-support.js';
import { codeOf } from './test-support.js';

const DEG = Math.PI / 180;
const from = utc('2024-01-10T00:00:00');

const radar: Sensor = {
  name: 'SIM-RADAR',
  type: 'radar',
  itrfKm: geodeticToItrfArray(35.3 * DEG, 133.9 * DEG, 0.5, [0, 0, 0]),
  minElevationRad: 10 * DEG,
  maxElevationRad: 90 * DEG,
  minRangeKm: 0,
  maxRangeKm: 3000,
  azimuthSectors: [],
  measurements: ['range', 'range-rate', 'azimuth-elevation'],
  noise: { rangeKm: 0.02, rangeRateKmS: 0.001, angleRad: 0.01 * DEG },
  bias: { rangeKm: 0.05, rangeRateKmS: 0, angleRad: [0.005 * DEG, -0.003 * DEG] },
};
const targets = [
  { id: '90001', ephemeris: circularTarget(7078, 98.2, 240, 0, from) },
  { id: '90002', ephemeris: circularTarget(6978, 51.6, 250, 120, from) },
];
const options = { ctx, cadenceS: 5, trackLengthS: 600, maxTracksPerInterval: 3 };

describe('simulateObservations', () => {
  const a = simulateObservations([radar], targets, from, 12 * 3600, { ...options, seed: 42 });

  it('is reproducible with a seed and changes with another', () => {
    const b = simulateObservations([radar], targets, from, 12 * 3600, { ...options, seed: 42 });
    const c = simulateObservations([radar], targets, from, 12 * 3600, { ...options, seed: 43 });
    expect(a.measurements.length).toBeGreaterThan(300);
    expect(b.measurements.map((m) => m.values)).toEqual(a.measurements.map((m) => m.values));
    expect(c.measurements.length).toBe(a.measurements.length);
    expect(c.measurements[0]!.values).not.toEqual(a.measurements[0]!.values);
    // Both targets and all three kinds appear, in time order.
    expect(new Set(a.measurements.map((m) => m.target))).toEqual(new Set(['90001', '90002']));
    expect(new Set(a.measurements.map((m) => m.kind))).toEqual(
      new Set(['range', 'range-rate', 'azimuth-elevation']),
    );
    for (let i = 1; i < a.measurements.length; i++) {
      expect(a.measurements[i]!.epoch.compare(a.measurements[i - 1]!.epoch)).toBeGreaterThanOrEqual(0);
    }
  });

  it('takes every measurement while the target is visible', () => {
    for (let i = 0; i < a.measurements.length; i += 17) {
      const m = a.measurements[i]!;
      const tg = targets.find((t) => t.id === m.target)!;
      // Visibility edges are found to 1 s; allow a 0.1° margin in elevation at the ends.
      const v = visibilityAt(radar, tg.ephemeris(m.epoch).rKm, m.epoch, { ctx });
      expect(v.elevationRad).toBeGreaterThan(radar.minElevationRad - 0.1 * DEG);
    }
  });

  it('simulates each epoch once per station, target and kind (tracks do not share an end epoch)', () => {
    // 60 s tracks at a 5 s cadence: a track boundary falls on a sample epoch.
    const short = simulateObservations([radar], targets, from, 12 * 3600, {
      ...options,
      trackLengthS: 60,
      seed: 42,
    });
    expect(short.measurements.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const m of short.measurements) {
      const key = `${m.station}|${m.target}|${m.kind}|${m.epoch.toString()}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('has residuals with the sensor bias as mean and the sensor sigma as spread', () => {
    const check = (kind: MeasurementKind, idx: number, sigma: number, bias: number): void => {
      const res: number[] = [];
      a.measurements.forEach((m, i) => {
        if (m.kind !== kind) return;
        let d = m.values[idx]! - a.truth[i]!.values[idx]!;
        if (kind === 'azimuth-elevation' && idx === 0) d = Math.atan2(Math.sin(d), Math.cos(d));
        res.push(d);
        expect(m.sigmas[idx]).toBe(sigma);
      });
      const n = res.length;
      const mean = res.reduce((s, x) => s + x, 0) / n;
      const variance = res.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
      // 4-sigma statistical bounds: the mean to σ/√n, the variance ratio to √(2/n).
      expect(Math.abs(mean - bias)).toBeLessThan((4 * sigma) / Math.sqrt(n));
      expect(Math.abs(variance / (sigma * sigma) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    };
    check('range', 0, 0.02, 0.05);
    check('range-rate', 0, 0.001, 0);
    check('azimuth-elevation', 0, 0.01 * DEG, 0.005 * DEG);
    check('azimuth-elevation', 1, 0.01 * DEG, -0.003 * DEG);
  });

  it('refuses a sensor without the sigma of a kind it produces', () => {
    const bare: Sensor = { ...radar, noise: {} };
    expect(codeOf(() => simulateObservations([bare], targets, from, 3600 * 12, options))).toBe(
      'SENSOR_NOISE_MISSING',
    );
  });
});

describe('simulationRandom', () => {
  it('gives standard normals (mean 0, variance 1 over 100,000 draws)', () => {
    const r = simulationRandom(7);
    const n = 100000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
