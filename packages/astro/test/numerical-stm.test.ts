/**
 * The state transition matrix of propagateNumerical (variational equations with finite-difference
 * force partials) against central differences of whole-trajectory propagations, with and without
 * a velocity-dependent force (drag); Φ's determinant (1 for conservative forces, Liouville), the
 * unchanged state when the STM is on, and P(t) = Φ·P0·Φᵀ.
 */
import { describe, expect, it } from 'vitest';
import { createAstroContext } from '../src/context/index.js';
import { makeState, type State } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import { AtmosphericDrag } from '../src/numerical/drag.js';
import type { ForceModel } from '../src/numerical/force-model.js';
import { J2Gravity, PointMassGravity } from '../src/numerical/gravity-forces.js';
import { cartesianFromKeplerian } from '../src/numerical/kepler.js';
import { propagateCovariance, propagateNumerical } from '../src/numerical/propagate.js';
import { ThirdBodyGravity } from '../src/numerical/third-body.js';
import { Instant } from '../src/time/instant.js';
import { loadLeapSecondDat } from './test-support.js';

const EPOCH = Instant.fromTtJulianDate(2457397.5, 0);
const context = createAstroContext({ leapSeconds: loadLeapSecondDat() });

function leoState(): State<'GCRF'> {
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  cartesianFromKeplerian(
    { aKm: 6778, e: 0.002, iRad: 0.9, raanRad: 1, argPerigeeRad: 2, trueAnomalyRad: 0, meanAnomalyRad: 0.5 },
    398600.4415,
    r,
    v,
  );
  return makeState('GCRF', r, v);
}

/** Φ by central differences of whole propagations: column j from ±δ_j on the initial state. */
function finiteDifferenceStm(s0: State<'GCRF'>, forces: ForceModel[], tS: number): Float64Array {
  const phi = new Float64Array(36);
  const DR = 1e-2; // 10 m
  const DV = 1e-5; // 1 cm/s
  for (let j = 0; j < 6; j++) {
    const d = j < 3 ? DR : DV;
    const ends = [1, -1].map((sign) => {
      const y = [...s0.rKm, ...s0.vKmS];
      y[j]! += sign * d;
      const p = propagateNumerical(
        { epoch: EPOCH, state: makeState('GCRF', [y[0]!, y[1]!, y[2]!], [y[3]!, y[4]!, y[5]!]) },
        forces,
        [tS],
        { context, keepDense: false },
      );
      const s = p.states[0]!;
      return [...s.rKm, ...s.vKmS];
    });
    for (let i = 0; i < 6; i++) phi[6 * i + j] = (ends[0]![i]! - ends[1]![i]!) / (2 * d);
  }
  return phi;
}

/** Largest column-relative difference of two 6×6 matrices. */
function worstColumnError(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let j = 0; j < 6; j++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < 6; i++) {
      // Position rows in km, velocity rows scaled by the orbital period/2π to km.
      const w = i < 3 ? 1 : 900;
      num += (w * (a[6 * i + j]! - b[6 * i + j]!)) ** 2;
      den += (w * b[6 * i + j]!) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(num / den));
  }
  return worst;
}

function det6(m: Float64Array): number {
  const a = Array.from({ length: 6 }, (_, i) => Array.from(m.subarray(6 * i, 6 * i + 6)));
  let det = 1;
  for (let c = 0; c < 6; c++) {
    let p = c;
    for (let r = c + 1; r < 6; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (p !== c) {
      [a[p], a[c]] = [a[c]!, a[p]!];
      det = -det;
    }
    det *= a[c]![c]!;
    for (let r = c + 1; r < 6; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 6; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return det;
}

describe('state transition matrix', () => {
  const s0 = leoState();
  const T = 2 * 5550; // two revolutions

  it('matches finite differences of whole trajectories (gravity, Sun, Moon)', () => {
    const forces: ForceModel[] = [
      new PointMassGravity(),
      new J2Gravity(),
      new ThirdBodyGravity('SUN'),
      new ThirdBodyGravity('MOON'),
    ];
    const p = propagateNumerical({ epoch: EPOCH, state: s0 }, forces, [0, T / 2, T], { context, stm: true });
    const phi = p.stm![2]!;
    const fd = finiteDifferenceStm(s0, forces, T);
    const err = worstColumnError(phi, fd);
    const det = det6(phi);
    console.log(
      `STM vs finite differences after 2 revs (conservative): column error ${err.toExponential(2)}, det Φ − 1 = ${(det - 1).toExponential(2)}`,
    );
    // Both sides carry ~1e-8 relative errors (FD of trajectories with 10 m / 1 cm/s steps and
    // 1e-12 tolerance; finite-difference force partials). Bound 1e-6.
    const STM_REL = 1e-6;
    expect(err).toBeLessThan(STM_REL);
    // Liouville: a conservative flow preserves phase volume.
    const DET_TOL = 1e-8;
    expect(Math.abs(det - 1)).toBeLessThan(DET_TOL);
    // Φ(t0) = I, and the state is the same as without the STM.
    expect([...p.stm![0]!]).toEqual(Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 1 : 0)));
    const plain = propagateNumerical({ epoch: EPOCH, state: s0 }, forces, [0, T / 2, T], { context });
    expect([...plain.states[2]!.rKm]).toEqual([...p.states[2]!.rKm]);
    // Dense STM query agrees with the grid output.
    const mid = p.trajectory!.stmAt(T / 2)!;
    expect(worstColumnError(mid, p.stm![1]!)).toBeLessThan(1e-12);
  });

  it('matches finite differences with drag (velocity partials)', () => {
    // Exponential atmosphere: 3e-12 kg/m³ at 400 km, scale height 60 km (a strong, smooth drag).
    const density = (_t: Instant, r: readonly number[]): number =>
      3e-12 * Math.exp(-(Math.hypot(r[0]!, r[1]!, r[2]!) - 6778) / 60);
    const forces: ForceModel[] = [
      new PointMassGravity(),
      new AtmosphericDrag({ cd: 2.2, areaToMassM2Kg: 0.05, density }),
    ];
    const p = propagateNumerical({ epoch: EPOCH, state: s0 }, forces, [T], { context, stm: true });
    const phi = p.stm![0]!;
    const fd = finiteDifferenceStm(s0, forces, T);
    const err = worstColumnError(phi, fd);
    const det = det6(phi);
    console.log(
      `STM vs finite differences after 2 revs (drag): column error ${err.toExponential(2)}, det Φ = ${det.toFixed(12)}`,
    );
    const STM_REL = 1e-6;
    expect(err).toBeLessThan(STM_REL);
    // Drag dissipates: phase volume shrinks.
    expect(det).toBeLessThan(1);
  });

  it('propagates a covariance as Φ·P0·Φᵀ', () => {
    const p = propagateNumerical({ epoch: EPOCH, state: s0 }, [new PointMassGravity()], [T], { stm: true });
    const phi = p.stm![0]!;
    const p0 = new Float64Array(36);
    for (let i = 0; i < 3; i++) {
      p0[7 * i] = 1e-2; // (100 m)²
      p0[7 * (i + 3)] = 1e-8; // (0.1 m/s)²
    }
    const pt = propagateCovariance(phi, p0);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) expect(pt[6 * i + j]).toBeCloseTo(pt[6 * j + i]!, 12);
    // Along-track growth: the position variance grows over two revolutions.
    const trace = pt[0]! + pt[7]! + pt[14]!;
    expect(trace).toBeGreaterThan(3e-2);
  });
});
