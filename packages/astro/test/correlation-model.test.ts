/**
 * Pieces of correlation: chi-square gates, track grouping, input checks, the offset fit of the
 * score, and the UCT hand-over to an orbit solver.
 */
import { describe, expect, test } from 'vitest';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { correlateTracks, initialOrbitsForUcts } from '../src/correlation/correlate.js';
import { defaultTleErrorModel } from '../src/correlation/tle-error.js';
import { groupTracks, type Track } from '../src/correlation/track.js';
import { prepareTrack, scoreTrack } from '../src/correlation/track-model.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { frameTransform } from '../src/frames/frame-graph.js';
import { chiSquareQuantile, normalQuantile } from '../src/math/chi-square.js';
import type { Measurement } from '../src/observations/observation.js';
import { instantOfUtcLabel, minutesSinceEpoch } from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import type { Instant } from '../src/time/instant.js';
import { catalog2023, context, stationGcrfAt } from './correlation-support.js';
import { codeOf } from './test-support.js';

/** Acklam's approximation: relative error below 1.15e-9. */
const NORMAL_QUANTILE_TOLERANCE = 1e-8;
/** The exact quantile against the 4-5 digits of the printed table. */
const TABLE_RELATIVE = 2e-4;
/** Fitted offset against the injected one: 10 m position noise over 8 positions, km. */
const OFFSET_TOLERANCE_KM = 0.05;

function meas(
  station: string,
  target: string,
  epoch: Instant,
  kind: Measurement['kind'],
  values: number[],
  sigmas: number[],
): Measurement {
  return { kind, epoch, timeTag: 'receive', station, target, values, sigmas, path: 'one-way' };
}

describe('chi-square gates', () => {
  test('normal and chi-square quantiles against tabulated values', () => {
    expect(Math.abs(normalQuantile(0.975) - 1.959963985)).toBeLessThan(NORMAL_QUANTILE_TOLERANCE);
    expect(Math.abs(normalQuantile(0.001) + 3.090232306)).toBeLessThan(NORMAL_QUANTILE_TOLERANCE);
    // Tabulated chi-square quantiles (Abramowitz & Stegun table 26.8).
    for (const [k, p, q] of [
      [2, 0.95, 5.991],
      [10, 0.999, 29.588],
      [20, 0.999, 45.315],
      [5, 0.99, 15.086],
    ] as const) {
      expect(Math.abs(chiSquareQuantile(p, k) / q - 1)).toBeLessThan(TABLE_RELATIVE);
    }
    expect(codeOf(() => normalQuantile(1))).toBe('PROBABILITY_INVALID');
    expect(codeOf(() => chiSquareQuantile(0.9, 0))).toBe('DOF_INVALID');
  });
});

describe('tracks', () => {
  test('grouped by station and label, split at gaps', () => {
    const ctx = context();
    const t0 = instantOfUtcLabel({ jd: 2460226.5, jdFrac: 0.5 }, ctx);
    const ms = [0, 10, 20, 1000, 1010, 5].map((dt, i) =>
      meas(i === 5 ? 'B' : 'A', 'X', t0.plusSeconds(dt), 'range', [1000], [0.01]),
    );
    const tracks = groupTracks(ms, { maxGapS: 300 });
    expect(tracks.map((t) => [t.id, t.measurements.length])).toEqual([
      ['A/X/0', 3],
      ['A/X/1', 2],
      ['B/X/0', 1],
    ]);
    expect(codeOf(() => groupTracks(ms, { maxGapS: 0 }))).toBe('TRACK_GAP_INVALID');
  });

  test('bad sigmas and frames are refused with codes', () => {
    const ctx = context();
    const t0 = instantOfUtcLabel({ jd: 2460226.5, jdFrac: 0.5 }, ctx);
    const zeroSigma: Track = {
      id: 'S',
      station: 'BISEI',
      target: 'X',
      measurements: [meas('BISEI', 'X', t0, 'right-ascension-declination', [1, 0.2], [0, 1e-5])],
    };
    expect(codeOf(() => prepareTrack(zeroSigma, ctx, stationGcrfAt))).toBe('CORRELATION_SIGMA_INVALID');
    const itrf: Track = {
      id: 'F',
      station: 'BISEI',
      target: 'X',
      measurements: [
        { ...meas('BISEI', 'X', t0, 'right-ascension-declination', [1, 0.2], [1e-5, 1e-5]), frame: 'ITRF' },
      ],
    };
    expect(codeOf(() => prepareTrack(itrf, ctx, stationGcrfAt))).toBe('CORRELATION_FRAME_UNSUPPORTED');
    expect(codeOf(() => prepareTrack({ ...itrf, measurements: [] }, ctx, stationGcrfAt))).toBe(
      'CORRELATION_TRACK_EMPTY',
    );
    expect(codeOf(() => correlateTracks([], [], { ctx, stationGcrfAt, gateProbability: 1 }))).toBe(
      'CORRELATION_OPTIONS_INVALID',
    );
  });
});

describe('station velocity and horizon', () => {
  test('a supplied station velocity is used; the ±1 s difference agrees with it', () => {
    const ctx = context();
    const t0 = instantOfUtcLabel({ jd: 2460226.5, jdFrac: 0.5 }, ctx);
    const ms = [
      meas('BISEI', 'X', t0, 'range-rate', [1], [0.001]),
      meas('BISEI', 'X', t0, 'azimuth-elevation', [1, 0.5], [1e-4, 1e-4]),
    ];
    const track = { id: 'V', station: 'BISEI', target: 'X', measurements: ms };
    // An independent velocity: a ±10 ms difference of the station position.
    const velocity = (st: string, t: Instant) => {
      const a = stationGcrfAt(st, t.plusSeconds(0.01));
      const b = stationGcrfAt(st, t.plusSeconds(-0.01));
      return [0, 1, 2].map((k) => (a[k]! - b[k]!) / 0.02) as [number, number, number];
    };
    const withV = prepareTrack(track, ctx, stationGcrfAt, velocity);
    const without = prepareTrack(track, ctx, stationGcrfAt);
    const v = velocity('BISEI', t0);
    for (let k = 0; k < 3; k++) {
      expect(withV.measurements[0]!.stationVelocity[k]).toBe(v[k]);
      // Central differences of a rotation (error (ωh)²/6·|v| ≈ 3e-10 km/s at h = 1 s) plus the
      // frame model's own second derivative: measured 1.8e-9 km/s; 1e-8 km/s = 0.01 mm/s.
      expect(Math.abs(without.measurements[0]!.stationVelocity[k]! - v[k]!)).toBeLessThan(1e-8);
    }
    // The horizon rotation: orthonormal rows, the station has no east component and is nearly up.
    const g = withV.measurements[1]!.g;
    const s = stationGcrfAt('BISEI', t0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const d = g[3 * i]! * g[3 * j]! + g[3 * i + 1]! * g[3 * j + 1]! + g[3 * i + 2]! * g[3 * j + 2]!;
        expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
    const row = (i: number) => g[3 * i]! * s[0] + g[3 * i + 1]! * s[1] + g[3 * i + 2]! * s[2];
    expect(Math.abs(row(0))).toBeLessThan(1e-6);
    expect(row(2)).toBeGreaterThan(0.999 * Math.hypot(...s));
  });
});

describe('score', () => {
  test('the fit recovers an in-track/radial/cross-track offset of the element set', () => {
    const ctx = context();
    const iss = catalog2023().find((e) => e.catalogNumber === '25544') as ElementSet;
    const rec = sgp4Init(iss);
    const label = { jd: 2460226.5, jdFrac: 0.5 };
    const t0 = instantOfUtcLabel(label, ctx);
    const offset = [0.4, 3, -0.8];
    const out = new Float64Array(6);
    const ms: Measurement[] = [];
    for (let i = 0; i < 8; i++) {
      const t = t0.plusSeconds(15 * i);
      sgp4(rec, minutesSinceEpoch(iss.epoch, label.jd, label.jdFrac + (15 * i) / 86400), out);
      const m = frameTransform('TEME', 'GCRF', frameEpochAt(t, ctx)).rotation;
      const r = [0, 1, 2].map((k) => m[3 * k]! * out[0]! + m[3 * k + 1]! * out[1]! + m[3 * k + 2]! * out[2]!);
      const v = [0, 1, 2].map((k) => m[3 * k]! * out[3]! + m[3 * k + 1]! * out[4]! + m[3 * k + 2]! * out[5]!);
      const rn = Math.hypot(...r);
      const R = r.map((x) => x / rn);
      const h = [r[1]! * v[2]! - r[2]! * v[1]!, r[2]! * v[0]! - r[0]! * v[2]!, r[0]! * v[1]! - r[1]! * v[0]!];
      const hn = Math.hypot(...h);
      const N = h.map((x) => x / hn);
      const T = [N[1]! * R[2]! - N[2]! * R[1]!, N[2]! * R[0]! - N[0]! * R[2]!, N[0]! * R[1]! - N[1]! * R[0]!];
      const p = [0, 1, 2].map((k) => r[k]! + R[k]! * offset[0]! + T[k]! * offset[1]! + N[k]! * offset[2]!);
      ms.push({ ...meas('BISEI', 'X', t, 'position', p, [0.01, 0.01, 0.01]), frame: 'GCRF' });
    }
    const pt = prepareTrack({ id: 'P', station: 'BISEI', target: 'X', measurements: ms }, ctx, stationGcrfAt);
    const s = scoreTrack(pt, rec, iss, defaultTleErrorModel);
    for (let k = 0; k < 3; k++)
      expect(Math.abs(s.offsetRtnKm[k]! - offset[k]!)).toBeLessThan(OFFSET_TOLERANCE_KM);
    // Data term ≈ 0; the prior term of the fitted offset, (δ/σ)², is what remains.
    const sigma = defaultTleErrorModel(iss, s.ageDays);
    const prior = offset.reduce((acc, d, k) => acc + (d / sigma[k]!) ** 2, 0);
    expect(s.chi2).toBeGreaterThan(0.5 * prior);
    expect(s.chi2).toBeLessThan(2 * prior + 1);
  });

  test('UCT groups go to the orbit solver', () => {
    const ctx = context();
    const t0 = instantOfUtcLabel({ jd: 2460226.5, jdFrac: 0.5 }, ctx);
    // A position far from every object: no candidate, a UCT.
    const track: Track = {
      id: 'U',
      station: 'BISEI',
      target: 'NEW',
      measurements: [{ ...meas('BISEI', 'NEW', t0, 'position', [0, 0, 300000], [1, 1, 1]), frame: 'GCRF' }],
    };
    const result = correlateTracks([track], catalog2023().slice(0, 200), { ctx, stationGcrfAt });
    expect(result.tracks[0]?.reason).toBe('no-candidate');
    expect(result.ucts.map((g) => g.target)).toEqual(['NEW']);
    const candidates = initialOrbitsForUcts(result.ucts, (tracks) =>
      tracks.reduce((n, t) => n + t.measurements.length, 0),
    );
    expect(candidates).toEqual([{ group: result.ucts[0], orbit: 1 }]);
  });
});
