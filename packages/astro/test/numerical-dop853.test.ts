/**
 * DOP853 (numerical/dop853.ts) on problems with known solutions: the harmonic oscillator, and the
 * Kepler orbit through propagateNumerical against the analytic two-body solution (f and g
 * functions) over 10 revolutions at the default tolerance; conservation of energy and angular
 * momentum over a day; the 7th-order dense output between steps; a backward run; error codes.
 */
import { describe, expect, it } from 'vitest';
import { makeState } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import { DenseTrajectory } from '../src/numerical/dense-trajectory.js';
import { integrateDop853 } from '../src/numerical/dop853.js';
import { EGM96_GM_KM3_S2, PointMassGravity } from '../src/numerical/gravity-forces.js';
import { cartesianFromKeplerian, keplerianFromCartesian, propagateKepler } from '../src/numerical/kepler.js';
import { propagateNumerical } from '../src/numerical/propagate.js';
import { Instant } from '../src/time/instant.js';
import { codeOf } from './test-support.js';

const MU = EGM96_GM_KM3_S2;
const EPOCH = Instant.fromJ2000Seconds(0);

describe('DOP853 on the harmonic oscillator', () => {
  it('integrates y″ = −y over 10 periods to the requested tolerance', () => {
    const f = (_t: number, y: Float64Array, dy: Float64Array): void => {
      dy[0] = y[1]!;
      dy[1] = -y[0]!;
    };
    const tEnd = 20 * Math.PI;
    const dense = new DenseTrajectory(2);
    const res = integrateDop853(f, 0, Float64Array.of(1, 0), tEnd, { relTol: 1e-12, absTol: 1e-12 }, (s) => {
      dense.append(s);
      return undefined;
    });
    const err = Math.hypot(res.y[0]! - Math.cos(tEnd), res.y[1]! + Math.sin(tEnd));
    // Global error of a tolerance-proportional 8th-order method over 10 periods: ≈ 100 × tol.
    const OSCILLATOR_TOL = 1e-10;
    console.log(`oscillator: ${res.stats.accepted} steps, error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(OSCILLATOR_TOL);
    // Dense output at 1,000 points between the steps.
    let worst = 0;
    const out = new Float64Array(2);
    for (let k = 0; k <= 1000; k++) {
      const t = (tEnd * k) / 1000;
      dense.evaluate(t, out);
      worst = Math.max(worst, Math.abs(out[0]! - Math.cos(t)), Math.abs(out[1]! + Math.sin(t)));
    }
    console.log(`oscillator dense output: worst error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(OSCILLATOR_TOL);
  });

  it('error falls with the tolerance', () => {
    // Tolerance proportionality: three decades of tolerance must buy more than 50× each.
    const f = (_t: number, y: Float64Array, dy: Float64Array): void => {
      dy[0] = y[1]!;
      dy[1] = -y[0]!;
    };
    const errs = [1e-6, 1e-9, 1e-12].map((tol) => {
      const r = integrateDop853(f, 0, Float64Array.of(1, 0), 10, { relTol: tol, absTol: tol });
      return Math.hypot(r.y[0]! - Math.cos(10), r.y[1]! + Math.sin(10));
    });
    expect(errs[1]!).toBeLessThan(errs[0]! / 50);
    expect(errs[2]!).toBeLessThan(errs[1]! / 50);
  });
});

/** A LEO-like eccentric orbit: a = 7,000 km, e = 0.1, i = 51.6°. */
const ELEMENTS = {
  aKm: 7000,
  e: 0.1,
  iRad: (51.6 * Math.PI) / 180,
  raanRad: 0.7,
  argPerigeeRad: 1.1,
  trueAnomalyRad: 0,
  meanAnomalyRad: 0.3,
};

function initialState(): { r: Vec3; v: Vec3 } {
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  cartesianFromKeplerian(ELEMENTS, MU, r, v);
  return { r, v };
}

describe('propagateNumerical on the two-body problem', () => {
  const { r, v } = initialState();
  const period = 2 * Math.PI * Math.sqrt(ELEMENTS.aKm ** 3 / MU);

  it('computes the dense output only for steps that hold a grid point, with identical states', () => {
    // Three grid points over 10 revolutions: most steps hold none, and skip the 3 extra
    // evaluations of the continuous extension; the steps themselves are the same.
    const grid = [period, 5.5 * period, 10 * period];
    const initial = { epoch: EPOCH, state: makeState('GCRF', r, v) };
    const sparse = propagateNumerical(initial, [new PointMassGravity()], grid, { keepDense: false });
    const full = propagateNumerical(initial, [new PointMassGravity()], grid, { keepDense: true });
    expect(sparse.stats.accepted).toBe(full.stats.accepted);
    expect(sparse.stats.evaluations).toBeLessThan(full.stats.evaluations - 2 * full.stats.accepted);
    for (let k = 0; k < grid.length; k++) {
      expect(sparse.states[k]!.rKm).toEqual(full.states[k]!.rKm);
      expect(sparse.states[k]!.vKmS).toEqual(full.states[k]!.vKmS);
    }
  });

  it('matches the analytic Kepler orbit after 10 revolutions at the default tolerance', () => {
    const grid = Array.from({ length: 101 }, (_, k) => (10 * period * k) / 100);
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      grid,
    );
    let worst = 0;
    const rk: Vec3 = [0, 0, 0];
    const vk: Vec3 = [0, 0, 0];
    for (let k = 0; k < grid.length; k++) {
      propagateKepler(r, v, MU, grid[k]!, rk, vk);
      const s = p.states[k]!;
      worst = Math.max(worst, Math.hypot(s.rKm[0] - rk[0], s.rKm[1] - rk[1], s.rKm[2] - rk[2]));
    }
    const endErr = (() => {
      propagateKepler(r, v, MU, 10 * period, rk, vk);
      const s = p.states[grid.length - 1]!;
      return Math.hypot(s.rKm[0] - rk[0], s.rKm[1] - rk[1], s.rKm[2] - rk[2]);
    })();
    console.log(
      `kepler 10 revs (relTol 1e-12, absTol 1e-9 km): ${p.stats.accepted} steps, ${p.stats.evaluations} evals, end error ${(endErr * 1e6).toFixed(2)} mm, worst ${(worst * 1e6).toFixed(2)} mm`,
    );
    // Default tolerance (relTol 1e-12): the global error grows along track, 0.6 mm measured
    // after 10 revolutions; 1 mm bound.
    const KEPLER_10_REVS_KM = 1e-6;
    expect(worst).toBeLessThan(KEPLER_10_REVS_KM);
  });

  it('dense output between steps agrees with Kepler to the same level', () => {
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      [3 * period],
    );
    const tr = p.trajectory!;
    let worst = 0;
    const rk: Vec3 = [0, 0, 0];
    const vk: Vec3 = [0, 0, 0];
    for (let k = 0; k <= 997; k++) {
      const t = (3 * period * k) / 997;
      const s = tr.stateAt(t);
      propagateKepler(r, v, MU, t, rk, vk);
      worst = Math.max(worst, Math.hypot(s.rKm[0] - rk[0], s.rKm[1] - rk[1], s.rKm[2] - rk[2]));
    }
    console.log(`kepler dense output over 3 revs: worst ${(worst * 1e6).toFixed(2)} mm`);
    // 7th-order interpolant on top of the step error: 0.2 mm measured over 3 revolutions.
    const DENSE_3_REVS_KM = 1e-6;
    expect(worst).toBeLessThan(DENSE_3_REVS_KM);
    expect(codeOf(() => tr.stateAt(3 * period + 1))).toBe('NUMERICAL_OUT_OF_RANGE');
  });

  it('conserves energy and angular momentum over a day', () => {
    const grid = Array.from({ length: 97 }, (_, k) => 900 * k);
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      grid,
    );
    const energy = (s: { rKm: readonly number[]; vKmS: readonly number[] }): number =>
      (s.vKmS[0]! ** 2 + s.vKmS[1]! ** 2 + s.vKmS[2]! ** 2) / 2 -
      MU / Math.hypot(s.rKm[0]!, s.rKm[1]!, s.rKm[2]!);
    const h = (s: { rKm: readonly number[]; vKmS: readonly number[] }): number[] => [
      s.rKm[1]! * s.vKmS[2]! - s.rKm[2]! * s.vKmS[1]!,
      s.rKm[2]! * s.vKmS[0]! - s.rKm[0]! * s.vKmS[2]!,
      s.rKm[0]! * s.vKmS[1]! - s.rKm[1]! * s.vKmS[0]!,
    ];
    const e0 = energy(p.states[0]!);
    const h0 = h(p.states[0]!);
    let de = 0;
    let dh = 0;
    for (const s of p.states) {
      de = Math.max(de, Math.abs((energy(s) - e0) / e0));
      const hs = h(s);
      dh = Math.max(dh, Math.hypot(hs[0]! - h0[0]!, hs[1]! - h0[1]!, hs[2]! - h0[2]!) / Math.hypot(...h0));
    }
    console.log(
      `two-body day: relative energy drift ${de.toExponential(2)}, angular momentum ${dh.toExponential(2)}`,
    );
    // relTol 1e-12 per step, ~15 revolutions: drift a few 1e-12.
    const CONSERVATION_REL = 1e-10;
    expect(de).toBeLessThan(CONSERVATION_REL);
    expect(dh).toBeLessThan(CONSERVATION_REL);
  });

  it('integrates backwards to the initial state', () => {
    const fwd = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      [period * 2.5],
    );
    const end = fwd.states[0]!;
    const back = propagateNumerical(
      { epoch: EPOCH.plusSeconds(period * 2.5), state: end },
      [new PointMassGravity()],
      [-period, -period * 2.5],
    );
    const s = back.states[1]!;
    const err = Math.hypot(s.rKm[0] - r[0], s.rKm[1] - r[1], s.rKm[2] - r[2]);
    const ROUND_TRIP_KM = 1e-6;
    expect(err).toBeLessThan(ROUND_TRIP_KM);
  });

  it('round-trips Keplerian elements', () => {
    const el = keplerianFromCartesian(r, v, MU);
    expect(el.aKm).toBeCloseTo(ELEMENTS.aKm, 8);
    expect(el.e).toBeCloseTo(ELEMENTS.e, 12);
    expect(el.raanRad).toBeCloseTo(ELEMENTS.raanRad, 12);
    expect(el.argPerigeeRad).toBeCloseTo(ELEMENTS.argPerigeeRad, 12);
    expect(el.meanAnomalyRad).toBeCloseTo(ELEMENTS.meanAnomalyRad, 12);
  });

  it('reports bad input and step limits with codes', () => {
    const s0 = makeState('GCRF', r, v);
    const pm = [new PointMassGravity()];
    expect(codeOf(() => propagateNumerical({ epoch: EPOCH, state: s0 }, pm, []))).toBe('NUMERICAL_BAD_INPUT');
    expect(codeOf(() => propagateNumerical({ epoch: EPOCH, state: s0 }, pm, [60, 30]))).toBe(
      'NUMERICAL_BAD_INPUT',
    );
    expect(codeOf(() => propagateNumerical({ epoch: EPOCH, state: s0 }, pm, [-60, 30]))).toBe(
      'NUMERICAL_BAD_INPUT',
    );
    expect(codeOf(() => propagateNumerical({ epoch: EPOCH, state: s0 }, pm, [86400], { maxSteps: 10 }))).toBe(
      'NUMERICAL_TOO_MANY_STEPS',
    );
    expect(codeOf(() => integrateDop853((_t, _y, dy) => dy.fill(Number.NaN), 0, Float64Array.of(1), 1))).toBe(
      'NUMERICAL_NOT_FINITE',
    );
  });
});
