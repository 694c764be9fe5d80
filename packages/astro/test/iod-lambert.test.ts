/**
 * Lambert (Izzo 2015) against Vallado's Example 7-5 and Curtis' Example 5.2, and round trips:
 * random orbits (elliptic, near-parabolic, hyperbolic; short and multi-revolution arcs) are
 * propagated with the two-body propagators, Lambert is asked for the arc between the two
 * positions, and its velocities must match the truth. Degenerate inputs are refused by code.
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import { lambertAll, solveLambert } from '../src/iod/lambert.js';
import { propagateUniversal } from '../src/iod/universal-kepler.js';
import type { Vec3 } from '../src/math/vec3.js';
import { cartesianFromKeplerian, propagateKepler } from '../src/numerical/kepler.js';

/** Vallado prints the inputs to 0.01 km and the velocities to 1e-6 km/s: agree to 1 mm/s. */
const VALLADO_PRINTED_KM_S = 1e-6;
/** Curtis prints 4–5 significant digits. */
const CURTIS_PRINTED_KM_S = 5e-4;
/** Round trips: only iteration and rounding error remain (seen: ≤ 4e-12 relative, near-parabolic worst). */
const ROUND_TRIP_RELATIVE = 1e-10;
const MU_VALLADO = 398600.4418;

function maxDiff(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AstroError);
    expect((e as AstroError).code).toBe(code);
    return;
  }
  throw new Error(`expected AstroError ${code}`);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Lambert: textbook examples', () => {
  it('Vallado Example 7-5 (76 min, short way)', () => {
    const s = solveLambert([15945.34, 0, 0], [12214.83899, 10249.46731, 0], 76 * 60, { muKm3S2: MU_VALLADO });
    const d1 = maxDiff(s.v1KmS, [2.058913, 2.915965, 0]);
    const d2 = maxDiff(s.v2KmS, [-3.451565, 0.910315, 0]);
    console.log(`Vallado 7-5: |Δv1| ${d1.toExponential(2)} km/s, |Δv2| ${d2.toExponential(2)} km/s`);
    expect(d1).toBeLessThan(VALLADO_PRINTED_KM_S);
    expect(d2).toBeLessThan(VALLADO_PRINTED_KM_S);
  });
  it('Curtis Example 5.2 (1 h, prograde)', () => {
    const s = solveLambert([5000, 10000, 2100], [-14600, 2500, 7000], 3600, { muKm3S2: 398600 });
    const d1 = maxDiff(s.v1KmS, [-5.9925, 1.9254, 3.2456]);
    const d2 = maxDiff(s.v2KmS, [-3.3125, -4.1966, -0.38529]);
    console.log(`Curtis 5.2: |Δv1| ${d1.toExponential(2)} km/s, |Δv2| ${d2.toExponential(2)} km/s`);
    expect(d1).toBeLessThan(CURTIS_PRINTED_KM_S);
    expect(d2).toBeLessThan(CURTIS_PRINTED_KM_S);
  });
});

describe('Lambert: round trips on random orbits', () => {
  const MU = 398600.4418;
  function trial(kind: 'elliptic' | 'near-parabolic' | 'hyperbolic', rand: () => number) {
    const rp = 6600 + rand() * 30000;
    const e =
      kind === 'elliptic'
        ? rand() * 0.9
        : kind === 'near-parabolic'
          ? 1 + (rand() - 0.5) * 2e-3
          : 1.05 + rand() * 3;
    const i = rand() * Math.PI;
    const raan = rand() * 2 * Math.PI;
    const argp = rand() * 2 * Math.PI;
    const nu = (rand() - 0.5) * (kind === 'elliptic' ? 2 * Math.PI : 2);
    const p = rp * (1 + e);
    const r = p / (1 + e * Math.cos(nu));
    const pf = [r * Math.cos(nu), r * Math.sin(nu), 0];
    const vf = [-Math.sqrt(MU / p) * Math.sin(nu), Math.sqrt(MU / p) * (e + Math.cos(nu)), 0];
    const [cO, sO, cw, sw, ci, si] = [
      Math.cos(raan),
      Math.sin(raan),
      Math.cos(argp),
      Math.sin(argp),
      Math.cos(i),
      Math.sin(i),
    ];
    const P = [cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si];
    const Q = [-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si];
    const r1: Vec3 = [0, 1, 2].map((k) => P[k]! * pf[0]! + Q[k]! * pf[1]!) as Vec3;
    const v1: Vec3 = [0, 1, 2].map((k) => P[k]! * vf[0]! + Q[k]! * vf[1]!) as Vec3;
    return { r1, v1, e, i };
  }

  it('single revolution: 300 elliptic, 100 near-parabolic, 100 hyperbolic arcs', () => {
    const rand = rng(14);
    const worst: Record<string, number> = {};
    let count = 0;
    for (const kind of ['elliptic', 'near-parabolic', 'hyperbolic'] as const) {
      const n = kind === 'elliptic' ? 300 : 100;
      let w = 0;
      for (let k = 0; k < n; k++) {
        const { r1, v1 } = trial(kind, rand);
        const r0 = Math.hypot(...r1);
        // Flight time: 5–65% of the period of a circular orbit at r1 (elliptic arcs may wrap past
        // a whole revolution: then every branch up to that M is asked for).
        const dt = (0.05 + rand() * 0.6) * 2 * Math.PI * Math.sqrt(r0 ** 3 / MU);
        const r2: Vec3 = [0, 0, 0];
        const v2: Vec3 = [0, 0, 0];
        if (kind === 'elliptic') propagateKepler(r1, v1, MU, dt, r2, v2);
        else propagateUniversal(r1, v1, MU, dt, r2, v2);
        const h = [
          r1[1] * v1[2] - r1[2] * v1[1],
          r1[2] * v1[0] - r1[0] * v1[2],
          r1[0] * v1[1] - r1[1] * v1[0],
        ];
        // Skip arcs within 0.5° of a 0° or 180° transfer (plane undefined, refused by design).
        const cosang = (r1[0] * r2[0] + r1[1] * r2[1] + r1[2] * r2[2]) / (r0 * Math.hypot(...r2));
        if (Math.abs(cosang) > Math.cos((0.5 * Math.PI) / 180)) continue;
        let revs = 0;
        if (kind === 'elliptic') {
          const a = 1 / (2 / r0 - (v1[0] ** 2 + v1[1] ** 2 + v1[2] ** 2) / MU);
          revs = Math.floor(dt / (2 * Math.PI * Math.sqrt(a ** 3 / MU)));
        }
        const all = lambertAll(r1, r2, dt, { muKm3S2: MU, referenceAxis: h as Vec3, maxRevolutions: revs });
        const best = Math.min(...all.map((s) => Math.max(maxDiff(s.v1KmS, v1), maxDiff(s.v2KmS, v2))));
        w = Math.max(w, best / Math.hypot(...v1));
        count++;
      }
      worst[kind] = w;
    }
    console.log(`round trips ${count}: worst relative velocity error`, worst);
    for (const w of Object.values(worst)) expect(w).toBeLessThan(ROUND_TRIP_RELATIVE);
  });

  it('multi-revolution arcs (1–5 revolutions) are recovered on one of the two branches', () => {
    const rand = rng(7);
    let worst = 0;
    let n = 0;
    for (let k = 0; k < 100; k++) {
      const el = {
        aKm: 7000 + rand() * 35000,
        e: rand() * 0.7,
        iRad: rand() * Math.PI,
        raanRad: rand() * 6.28,
        argPerigeeRad: rand() * 6.28,
        trueAnomalyRad: 0,
        meanAnomalyRad: rand() * 6.28,
      };
      const r1: Vec3 = [0, 0, 0];
      const v1: Vec3 = [0, 0, 0];
      cartesianFromKeplerian(el, MU, r1, v1);
      const period = 2 * Math.PI * Math.sqrt(el.aKm ** 3 / MU);
      const m = 1 + Math.floor(rand() * 5);
      const dt = (m + 0.1 + 0.8 * rand()) * period;
      const r2: Vec3 = [0, 0, 0];
      const v2: Vec3 = [0, 0, 0];
      propagateKepler(r1, v1, MU, dt, r2, v2);
      const cosang =
        (r1[0] * r2[0] + r1[1] * r2[1] + r1[2] * r2[2]) / (Math.hypot(...r1) * Math.hypot(...r2));
      if (Math.abs(cosang) > Math.cos((0.5 * Math.PI) / 180)) continue;
      const h = [
        r1[1] * v1[2] - r1[2] * v1[1],
        r1[2] * v1[0] - r1[0] * v1[2],
        r1[0] * v1[1] - r1[1] * v1[0],
      ] as Vec3;
      const sols = (['left', 'right'] as const).map((branch) =>
        solveLambert(r1, r2, dt, { muKm3S2: MU, referenceAxis: h, revolutions: m, branch }),
      );
      const best = Math.min(...sols.map((s) => Math.max(maxDiff(s.v1KmS, v1), maxDiff(s.v2KmS, v2))));
      worst = Math.max(worst, best / Math.hypot(...v1));
      n++;
    }
    console.log(`multi-rev round trips ${n}: worst relative velocity error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(ROUND_TRIP_RELATIVE);
  });
});

describe('Lambert: refusals', () => {
  it('180° and 0° transfers, zero or negative time, NaN, too many revolutions', () => {
    expectCode(() => solveLambert([7000, 0, 0], [-8000, 0, 0], 3000), 'IOD_LAMBERT_COLLINEAR');
    expectCode(() => solveLambert([7000, 0, 0], [8000, 0, 0], 3000), 'IOD_LAMBERT_COLLINEAR');
    expectCode(() => solveLambert([7000, 0, 0], [0, 8000, 0], 0), 'IOD_INVALID_INPUT');
    expectCode(() => solveLambert([7000, 0, 0], [0, 8000, 0], -10), 'IOD_INVALID_INPUT');
    expectCode(() => solveLambert([Number.NaN, 0, 0], [0, 8000, 0], 100), 'IOD_INVALID_INPUT');
    expectCode(
      () => solveLambert([7000, 0, 0], [0, 7000, 0], 1000, { revolutions: 3 }),
      'IOD_LAMBERT_NO_SOLUTION',
    );
  });
  it('retrograde is the long way round for the same pair', () => {
    const pro = solveLambert([7000, 0, 0], [0, 7000, 0], 1500);
    const retro = solveLambert([7000, 0, 0], [0, 7000, 0], 1500, { direction: 'retrograde' });
    expect(pro.v1KmS[1]).toBeGreaterThan(0);
    expect(retro.v1KmS[1]).toBeLessThan(0);
  });
});
