/**
 * Gibbs and Herrick–Gibbs against Vallado's Examples 7-3 and 7-4 and Curtis' Example 5.1, then on
 * exact two-body positions of LEO, MEO, GEO and Molniya orbits at wide and close spacings, the
 * selector's choice, and refusals (out of plane, parallel positions, NaN, bad times).
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import { gibbs, herrickGibbs, velocityFromThreePositions } from '../src/iod/gibbs.js';
import type { Vec3 } from '../src/math/vec3.js';
import { cartesianFromKeplerian, propagateKepler } from '../src/numerical/kepler.js';
import { KNOWN_ORBITS, MU } from './iod-orbits.js';

/** Printed digits: Vallado 1e-6 km/s, Curtis 1e-4 km/s (half a unit of the last digit, plus input rounding). */
const VALLADO_PRINTED_KM_S = 1e-6;
const CURTIS_PRINTED_KM_S = 5e-4;
/** Gibbs at wide spacing on exact positions: rounding only (1 µm/s). */
const GIBBS_EXACT_KM_S = 1e-9;
/** Herrick–Gibbs on positions 1° apart: the Δt⁴ truncation stays below 1 cm/s for these orbits. */
const HERRICK_GIBBS_1DEG_KM_S = 1e-5;

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

describe('Gibbs / Herrick–Gibbs: textbook examples', () => {
  it('Vallado Example 7-3 (Gibbs)', () => {
    const r = gibbs([0, 0, 6378.137], [0, -4464.696, -5102.509], [0, 5740.323, 3189.068], {
      muKm3S2: 398600.4418,
    });
    const d = maxDiff(r.v2KmS, [0, 5.531148, -5.191806]);
    console.log(`Vallado 7-3: |Δv2| ${d.toExponential(2)} km/s, coplanarity ${r.coplanarityRad} rad`);
    expect(d).toBeLessThan(VALLADO_PRINTED_KM_S);
  });
  it('Vallado Example 7-4 (Herrick–Gibbs)', () => {
    const r = herrickGibbs(
      [3419.85564, 6019.82602, 2784.60022],
      [2935.91195, 6326.18324, 2660.59584],
      [2434.95202, 6597.38674, 2521.52311],
      0,
      60 + 16.48,
      2 * 60 + 33.04,
      { muKm3S2: 398600.4418 },
    );
    const d = maxDiff(r.v2KmS, [-6.441557, 3.77756, -1.720568]);
    console.log(`Vallado 7-4: |Δv2| ${d.toExponential(2)} km/s`);
    expect(d).toBeLessThan(VALLADO_PRINTED_KM_S);
  });
  it('Curtis Example 5.1 (Gibbs)', () => {
    const r = gibbs([-294.32, 4265.1, 5986.7], [-1365.5, 3637.6, 6346.8], [-2940.3, 2473.7, 6555.8], {
      muKm3S2: 398600,
    });
    const d = maxDiff(r.v2KmS, [-6.2174, -4.0122, 1.599]);
    console.log(`Curtis 5.1: |Δv2| ${d.toExponential(2)} km/s`);
    expect(d).toBeLessThan(CURTIS_PRINTED_KM_S);
  });
});

describe('Gibbs / Herrick–Gibbs: known orbits', () => {
  for (const orbit of KNOWN_ORBITS) {
    it(`${orbit.name}: Gibbs at 20° spacing, Herrick–Gibbs at 1°, selector`, () => {
      const r2: Vec3 = [0, 0, 0];
      const v2: Vec3 = [0, 0, 0];
      cartesianFromKeplerian(orbit.elements, MU, r2, v2);
      const n = Math.sqrt(MU / orbit.elements.aKm ** 3);
      const at = (dt: number): Vec3 => {
        const r: Vec3 = [0, 0, 0];
        const v: Vec3 = [0, 0, 0];
        propagateKepler(r2, v2, MU, dt, r, v);
        return r;
      };
      const wide = (20 * Math.PI) / 180 / n;
      const g = gibbs(at(-wide), r2, at(wide * 1.3), { muKm3S2: MU });
      const close = (1 * Math.PI) / 180 / n;
      const hg = herrickGibbs(at(-close), r2, at(close * 0.9), -close, 0, close * 0.9, { muKm3S2: MU });
      const sel = velocityFromThreePositions(at(-close), r2, at(close * 0.9), -close, 0, close * 0.9, {
        muKm3S2: MU,
      });
      const selWide = velocityFromThreePositions(at(-wide), r2, at(wide), -wide, 0, wide, { muKm3S2: MU });
      const gibbsClose = gibbs(at(-close), r2, at(close * 0.9), { muKm3S2: MU });
      const dg = maxDiff(g.v2KmS, v2);
      const dhg = maxDiff(hg.v2KmS, v2);
      console.log(
        `${orbit.name}: Gibbs 20° ${(dg * 1e6).toFixed(4)} mm/s, Herrick–Gibbs 1° ${(dhg * 1e6).toFixed(4)} mm/s, Gibbs 1° ${(maxDiff(gibbsClose.v2KmS, v2) * 1e6).toFixed(4)} mm/s`,
      );
      expect(dg).toBeLessThan(GIBBS_EXACT_KM_S);
      expect(dhg).toBeLessThan(HERRICK_GIBBS_1DEG_KM_S);
      expect(sel.method).toBe('herrick-gibbs');
      expect(selWide.method).toBe('gibbs');
    });
  }
});

describe('Gibbs / Herrick–Gibbs: refusals', () => {
  it('out of plane, parallel, NaN, unordered times', () => {
    // r1 tilted 5° out of the plane of r2 and r3.
    const t = (5 * Math.PI) / 180;
    expectCode(
      () => gibbs([7000 * Math.cos(t), 0, 7000 * Math.sin(t)], [0, 7000, 0], [-7000, 100, 0]),
      'IOD_NOT_COPLANAR',
    );
    expectCode(() => gibbs([7000, 0, 0], [8000, 0, 0], [0, 7000, 0]), 'IOD_COLLINEAR_POSITIONS');
    expectCode(() => gibbs([Number.NaN, 0, 0], [0, 7000, 0], [-7000, 100, 0]), 'IOD_INVALID_INPUT');
    expectCode(
      () => herrickGibbs([7000, 0, 0], [6999, 100, 0], [6997, 200, 0], 0, 10, 10),
      'IOD_INVALID_INPUT',
    );
    // A looser tolerance accepts the tilted set.
    expect(() =>
      gibbs([7000 * Math.cos(t), 0, 7000 * Math.sin(t)], [0, 7000, 0], [-7000, 100, 0], {
        coplanarToleranceRad: (6 * Math.PI) / 180,
      }),
    ).not.toThrow();
  });
});
