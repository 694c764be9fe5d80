/**
 * The Schwarzschild relativistic acceleration (IERS 2010 Eq. 10.12): its value for the LAGEOS-2
 * state of the Orekit case, computed by hand from the formula's radial and along-track parts, and
 * its secular effect, the perigee advance 3·(GM)^{3/2}/(c²·a^{5/2}·(1 − e²)), measured over a
 * propagation against two-body.
 */
import { describe, expect, it } from 'vitest';
import { makeState } from '../src/frames/state.js';
import { PropagationForceContext } from '../src/numerical/force-model.js';
import { parseForceModelSpec } from '../src/numerical/force-model-spec.js';
import { PointMassGravity } from '../src/numerical/gravity-forces.js';
import { keplerianFromCartesian } from '../src/numerical/kepler.js';
import { propagateNumerical } from '../src/numerical/propagate.js';
import { Relativity } from '../src/numerical/relativity.js';
import { Instant } from '../src/time/instant.js';
import { SPEED_OF_LIGHT_KM_S } from '../src/units/index.js';

/** EIGEN-6S GM, km³/s² (the field of the LAGEOS-2 case). */
const GM = 398600.4415;
/** The Orekit LAGEOS-2 initial guess (EME2000, 2016-02-13T16:00 UTC), km and km/s. */
const R0 = [7526.99, -9646.31, 1464.11] as const;
const V0 = [3.033, 1.715, -4.447] as const;
/** Relative agreement of two evaluations of one closed formula in float64 (a few ulps). */
const FORMULA_REL_TOL = 1e-12;
/**
 * The measured perigee advance against the analytic secular rate: the rate is a first-order
 * (in GM/(c²a) ≈ 3.6e-10) averaged result, and sampling ω once per orbit at the same phase over 60
 * orbits cancels the short-periodic terms (measured: 1e-7 relative).
 */
const PERIGEE_RATE_REL_TOL = 1e-4;

const ctx = new PropagationForceContext(Instant.fromJ2000Seconds(0));

describe('Relativity (Schwarzschild term)', () => {
  it('matches the formula for LAGEOS-2: ~3e-12 km/s², radial and along-velocity parts', () => {
    const out = new Float64Array(3);
    new Relativity(GM).acceleration(0, Float64Array.from(R0), Float64Array.from(V0), out, ctx);
    const r = Math.hypot(...R0);
    const v2 = V0[0] ** 2 + V0[1] ** 2 + V0[2] ** 2;
    const rv = R0[0] * V0[0] + R0[1] * V0[1] + R0[2] * V0[2];
    const c2 = SPEED_OF_LIGHT_KM_S ** 2;
    // By hand: coefficient of r̂ and of v in Eq. 10.12.
    const radial = (GM / (c2 * r * r)) * ((4 * GM) / r - v2); // along r̂, km/s²
    const alongV = ((4 * GM) / (c2 * r ** 3)) * rv; // times v, 1/s
    const expected = [0, 1, 2].map((i) => (radial * R0[i]!) / r + alongV * V0[i]!);
    const mag = Math.hypot(out[0]!, out[1]!, out[2]!);
    console.log(
      `LAGEOS-2 relativity: |a| = ${mag.toExponential(4)} km/s², radial ${radial.toExponential(4)}, r·v = ${rv.toFixed(3)} km²/s`,
    );
    for (let i = 0; i < 3; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThan(FORMULA_REL_TOL * mag);
    expect(mag).toBeGreaterThan(1e-12);
    expect(mag).toBeLessThan(1e-11);
    // Near-circular orbit: 4GM/r − v² ≈ 3GM/r > 0, so the correction points outwards.
    const rHatDot = (out[0]! * R0[0] + out[1]! * R0[1] + out[2]! * R0[2]) / (r * mag);
    expect(rHatDot).toBeGreaterThan(0.99);
    // Ratio to the central attraction ≈ 3GM/(c² r).
    expect(mag / (GM / (r * r))).toBeCloseTo((3 * GM) / (c2 * r), 11);
  });

  it('advances the perigee at 3(GM)^1.5/(c² a^2.5 (1−e²)) against two-body', () => {
    // An eccentric orbit at LAGEOS-2's semi-major axis makes ω well defined.
    const el0 = keplerianFromCartesian(R0, V0, GM);
    const a = el0.aKm;
    const e = 0.2;
    const p = a * (1 - e * e);
    const rp = a * (1 - e);
    const vp = Math.sqrt(GM / p) * (1 + e);
    const r0 = [rp, 0, 0] as const;
    const inc = (52.7 * Math.PI) / 180;
    const v0 = [0, vp * Math.cos(inc), vp * Math.sin(inc)] as const;
    const period = 2 * Math.PI * Math.sqrt(a ** 3 / GM);
    const orbits = 60;
    const grid = Array.from({ length: orbits + 1 }, (_, k) => k * period);
    const initial = { epoch: Instant.fromJ2000Seconds(0), state: makeState('GCRF', r0, v0) };
    const opts = { relTol: 1e-13, absTolKm: 1e-10, absTolKmS: 1e-13, keepDense: false };
    const withRel = propagateNumerical(initial, [new PointMassGravity(GM), new Relativity(GM)], grid, opts);
    const twoBody = propagateNumerical(initial, [new PointMassGravity(GM)], grid, opts);
    // Least-squares slope of ω(t) (two-body ω subtracted: removes integration error common to both).
    let st = 0;
    let sw = 0;
    let stt = 0;
    let stw = 0;
    const n = grid.length;
    for (let k = 0; k < n; k++) {
      const s1 = withRel.states[k]!;
      const s0 = twoBody.states[k]!;
      const w =
        keplerianFromCartesian(s1.rKm, s1.vKmS, GM).argPerigeeRad -
        keplerianFromCartesian(s0.rKm, s0.vKmS, GM).argPerigeeRad;
      const t = grid[k]!;
      st += t;
      sw += w;
      stt += t * t;
      stw += t * w;
    }
    const slope = (n * stw - st * sw) / (n * stt - st * st);
    const analytic = (3 * GM ** 1.5) / (SPEED_OF_LIGHT_KM_S ** 2 * a ** 2.5 * (1 - e * e));
    const arcsecPerYear = (x: number) => (x * 365.25 * 86400 * 180 * 3600) / Math.PI;
    console.log(
      `perigee advance a=${a.toFixed(1)} km e=${e}: measured ${arcsecPerYear(slope).toFixed(4)}″/yr, analytic ${arcsecPerYear(analytic).toFixed(4)}″/yr (rel. diff ${((slope - analytic) / analytic).toExponential(2)})`,
    );
    expect(Math.abs(slope - analytic) / analytic).toBeLessThan(PERIGEE_RATE_REL_TOL);
  });

  it('moves LAGEOS-2 by metres over the 2.6-day arc of the Orekit case (reported)', () => {
    // Two-body with and without the correction from the Orekit initial guess over 2016-02-11..14.
    const span = 2.6 * 86400;
    const grid = Array.from({ length: 27 }, (_, k) => (k * span) / 26);
    const initial = { epoch: Instant.fromJ2000Seconds(0), state: makeState('GCRF', R0, V0) };
    const opts = { relTol: 1e-13, absTolKm: 1e-10, absTolKmS: 1e-13, keepDense: false };
    const a = propagateNumerical(initial, [new PointMassGravity(GM), new Relativity(GM)], grid, opts);
    const b = propagateNumerical(initial, [new PointMassGravity(GM)], grid, opts);
    let worst = 0;
    for (let k = 0; k < grid.length; k++) {
      const ra = a.states[k]!.rKm;
      const rb = b.states[k]!.rKm;
      worst = Math.max(worst, Math.hypot(ra[0] - rb[0], ra[1] - rb[1], ra[2] - rb[2]));
    }
    console.log(`LAGEOS-2, 2.6 days: relativity moves the orbit by up to ${(worst * 1e3).toFixed(3)} m`);
    // Above the 0.62 m tolerance of the Orekit case (a fit absorbs much of it in the semi-major axis,
    // which then differs from Orekit's; Orekit's case includes the force).
    expect(worst * 1e3).toBeGreaterThan(0.62);
    expect(worst * 1e3).toBeLessThan(100);
  });

  it('is off by default in the force-model file and on with "relativity": true', () => {
    const def = parseForceModelSpec('{}');
    const on = parseForceModelSpec('{"relativity": true}');
    const bad = parseForceModelSpec('{"relativity": 1}');
    expect(def.ok && def.value.relativity).toBe(false);
    expect(on.ok && on.value.relativity).toBe(true);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.key).toBe('relativity');
  });
});
