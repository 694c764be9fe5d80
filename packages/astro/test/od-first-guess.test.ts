/**
 * od/first-guess.ts: the Lagrange derivative weights (exact on polynomials of the interpolation
 * degree), the CPF state with the velocity from that derivative against a known Kepler orbit
 * sampled as an ITRF CPF, the split into tracks, the arc growth schedule, and IOD track by track
 * refusing with OD_NO_FIRST_GUESS when no track allows it.
 */
import { describe, expect, it } from 'vitest';
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import { AstroError } from '../src/errors.js';
import { transform } from '../src/frames/frame-graph.js';
import { makeState, type State } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { Measurement } from '../src/observations/observation.js';
import { keplerTargetEphemeris } from '../src/observations/targets.js';
import {
  ARC_GROWTH_MIN_S,
  cpfStateNear,
  growArc,
  iodTrackByTrack,
  lagrangeDerivativeWeightsAtNode,
  TRACK_GAP_S,
  tracksOf,
} from '../src/od/index.js';
import { Instant } from '../src/time/instant.js';
import { codeOf, loadLeapSecondDat } from './test-support.js';

const astro = createAstroContext({ leapSeconds: loadLeapSecondDat() });
const EPOCH = Instant.fromTtJulianDate(2457433.5, 0.1);
/** A LAGEOS-like orbit: 12,270 km, circular, inclined 52.6°. */
const R0: Vec3 = [12270, 0, 0];
const V0: Vec3 = [0, 5.7 * Math.cos(0.918), 5.7 * Math.sin(0.918)];

function rangeAt(station: string, tS: number): Measurement {
  return {
    kind: 'range',
    epoch: EPOCH.plusSeconds(tS),
    timeTag: 'receive',
    station,
    target: '22195',
    values: [7000],
    sigmas: [0.001],
    path: 'two-way',
  };
}

describe('Lagrange derivative weights', () => {
  it('differentiate a polynomial of degree 8 exactly at any node', () => {
    /** Round-off bound on the derivative of an 8th-degree polynomial with O(1) values. */
    const ROUND_OFF = 1e-9;
    const nodes = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((x) => x * 0.5);
    const f = (x: number) => 1 + x - 2 * x ** 3 + 0.1 * x ** 8;
    const df = (x: number) => 1 - 6 * x ** 2 + 0.8 * x ** 7;
    for (let k = 0; k < nodes.length; k++) {
      const w = lagrangeDerivativeWeightsAtNode(nodes, k);
      const d = w.reduce((acc, wj, j) => acc + wj * f(nodes[j]!), 0);
      expect(Math.abs(d - df(nodes[k]!))).toBeLessThan(ROUND_OFF * Math.max(1, Math.abs(df(nodes[k]!))));
    }
  });
});

describe('cpfStateNear', () => {
  /** A Kepler orbit sampled as an ITRF CPF every `stepS` (no velocity records). */
  function cpfOf(stepS: number, count: number) {
    const eph = keplerTargetEphemeris(R0, V0, EPOCH);
    const epochs = Array.from({ length: count }, (_, i) => EPOCH.plusSeconds(i * stepS));
    const positionsKm = epochs.map((t) => {
      const itrf = transform(eph(t), 'ITRF', frameEpochAt(t, astro));
      return [itrf.rKm[0], itrf.rKm[1], itrf.rKm[2]] as Vec3;
    });
    return { cpf: { referenceFrame: 0, epochs, positionsKm }, eph };
  }

  it('gives the GCRF state of the nearest point, the velocity within 1 mm/s from 5-min points', () => {
    /** An 8th-order Lagrange derivative over 5-min points of a 3.8-h orbit: sub-mm/s. */
    const VELOCITY_TOLERANCE_KM_S = 1e-6;
    /** The ITRF → GCRF round trip of the position: round-off only. */
    const POSITION_TOLERANCE_KM = 1e-8;
    const { cpf, eph } = cpfOf(300, 30);
    for (const index of [0, 3, 15, 29]) {
      const near = EPOCH.plusSeconds(index * 300 + 100);
      const got = cpfStateNear(cpf, near, astro);
      expect(got.epoch.secondsSince(EPOCH)).toBeCloseTo(index * 300, 6);
      const truth = eph(got.epoch);
      const dr = Math.hypot(...got.state.rKm.map((x, i) => x - truth.rKm[i]!));
      const dv = Math.hypot(...got.state.vKmS.map((x, i) => x - truth.vKmS[i]!));
      expect(dr).toBeLessThan(POSITION_TOLERANCE_KM);
      expect(dv).toBeLessThan(VELOCITY_TOLERANCE_KM_S);
    }
  });

  it('refuses a CPF of one point and a CPF in another frame', () => {
    const { cpf } = cpfOf(300, 1);
    expect(codeOf(() => cpfStateNear(cpf, EPOCH, astro))).toBe('CPF_INVALID');
    const two = cpfOf(300, 2).cpf;
    expect(codeOf(() => cpfStateNear({ ...two, referenceFrame: 1 }, EPOCH, astro))).toBe(
      'CPF_FRAME_UNSUPPORTED',
    );
  });
});

describe('tracks and arc growth', () => {
  const ms = [
    ...[0, 60, 120, 180].map((t) => rangeAt('A', t)),
    ...[100, 160].map((t) => rangeAt('B', t)),
    ...[180 + TRACK_GAP_S + 1, 180 + TRACK_GAP_S + 61].map((t) => rangeAt('A', t)),
    ...[20000, 20060, 60000].map((t) => rangeAt('B', t)),
  ].sort((a, b) => a.epoch.compare(b.epoch));

  it('splits by station and by gaps above TRACK_GAP_S', () => {
    const tracks = tracksOf(ms);
    expect(tracks.map((t) => `${t[0]!.station}${t.length}`)).toEqual(['A4', 'B2', 'A2', 'B2', 'B1']);
  });

  it('fits arcs from the first track tripling up to the whole span, each from the previous state', () => {
    const start = keplerTargetEphemeris(R0, V0, EPOCH)(EPOCH);
    const spans: number[] = [];
    const returned: State<'GCRF'>[] = [start];
    const grown = growArc(ms, start, (subset, s) => {
      expect(s).toBe(returned[returned.length - 1]);
      spans.push(subset[subset.length - 1]!.epoch.secondsSince(EPOCH));
      const next = makeState('GCRF', [...s.rKm], [...s.vKmS]);
      returned.push(next);
      return next;
    });
    // First span: max(ARC_GROWTH_MIN_S, 180 s) = 600 s, then 1800, 5400, 16200, 48600 (< 60000).
    expect(ARC_GROWTH_MIN_S).toBe(600);
    expect(grown.fits).toBe(5);
    const lastOfFirstTracks = 180 + TRACK_GAP_S + 61;
    expect(spans).toEqual([
      lastOfFirstTracks,
      lastOfFirstTracks,
      lastOfFirstTracks,
      lastOfFirstTracks,
      20060,
    ]);
    expect(grown.state).toBe(returned[returned.length - 1]);
    expect(grown.stoppedBecause).toBeUndefined();
  });

  it('stops growing at the first failed partial fit and keeps the last state', () => {
    const start = keplerTargetEphemeris(R0, V0, EPOCH)(EPOCH);
    let calls = 0;
    const grown = growArc(ms, start, (_subset, s) => {
      calls++;
      if (calls === 2) throw new AstroError('OD_DIVERGED', 'diverged');
      return s;
    });
    expect(grown.fits).toBe(1);
    expect(grown.state).toBe(start);
    expect(grown.stoppedBecause).toMatch(/OD_DIVERGED/);
  });

  it('IOD track by track refuses with OD_NO_FIRST_GUESS when no track allows it', () => {
    const station = { name: 'A', itrfKm: [-3900, 3300, 3700] as Vec3 };
    const single = [rangeAt('A', 0), rangeAt('A', 10000)];
    let err: unknown;
    try {
      iodTrackByTrack(single, new Map([['A', station]]), astro);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AstroError);
    expect((err as AstroError).code).toBe('OD_NO_FIRST_GUESS');
    expect(((err as AstroError).details['failures'] as string[]).length).toBe(2);
  });
});
