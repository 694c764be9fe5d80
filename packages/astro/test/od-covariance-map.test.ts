/**
 * od/covariance-map.ts: the SGP4 fit's covariance mapped to the GCRF state against an independent
 * central difference along a direction that is no coordinate axis (a rank-one covariance v·vᵀ
 * must map to (J v)(J v)ᵀ), extra parameters leaving the state covariance alone, and the
 * EME2000 rotation against the frame graph's own transform of perturbed states.
 */
import { describe, expect, it } from 'vitest';
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleLines } from '../src/elements/tle.js';
import { transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import {
  elementsFromSgp4Equinoctial,
  sgp4EquinoctialOf,
  sgp4StateCovariance,
  stateAndCovarianceIn,
  stateAtElementEpoch,
} from '../src/od/index.js';
import { loadLeapSecondDat } from './test-support.js';

const astro = createAstroContext({ leapSeconds: loadLeapSecondDat() });

// Vallado's SGP4-VER.TLE, 28057 (CBERS 2).
const L1 = '1 28057U 03049A   06177.78615833  .00000060  00000-0  35940-4 0  1836';
const L2 = '2 28057  98.4283 247.6961 0000884  88.1964 271.9322 14.35478080140550';

function tle(): ElementSet {
  const r = parseTleLines(L1, L2);
  if (!r.ok) throw new Error('bad TLE');
  return r.value;
}

describe('sgp4StateCovariance', () => {
  it('maps a rank-one covariance v·vᵀ to (J v)(J v)ᵀ with J v from an independent difference', () => {
    /** Linearisation over a 1e-8 perturbation: agreement to a part in 1e4 of the largest term. */
    const RELATIVE_TOLERANCE = 1e-4;
    const e = tle();
    const v = [3e-10, 2e-8, -1e-8, 1.5e-8, 5e-9, -2e-8];
    const cov = new Float64Array(36);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) cov[i * 6 + j] = v[i]! * v[j]!;
    const mapped = sgp4StateCovariance(e, cov, 6, astro);
    const p0 = sgp4EquinoctialOf(e);
    const at = (sign: number) => {
      const s = stateAtElementEpoch(
        elementsFromSgp4Equinoctial(
          e,
          p0.map((x, i) => x + sign * v[i]!),
          e.bstar,
        ),
        astro,
      ).state;
      return [...s.rKm, ...s.vKmS];
    };
    const plus = at(1);
    const minus = at(-1);
    const jv = plus.map((x, i) => (x - minus[i]!) / 2);
    const base = stateAtElementEpoch(e, astro);
    expect(mapped.epoch.secondsSince(base.epoch)).toBe(0);
    expect([...mapped.state.rKm]).toEqual([...base.state.rKm]);
    let largest = 0;
    for (let i = 0; i < 6; i++) largest = Math.max(largest, jv[i]! * jv[i]!);
    expect(largest).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        const want = jv[i]! * jv[j]!;
        const scale =
          i < 3 === j < 3 ? largest : Math.sqrt(largest * Math.max(jv[3]! ** 2, jv[4]! ** 2, jv[5]! ** 2));
        expect(Math.abs(mapped.covariance[i * 6 + j]! - want)).toBeLessThan(RELATIVE_TOLERANCE * scale);
      }
  });

  it('ignores the rows of parameters beyond the six elements (B*, biases)', () => {
    const e = tle();
    const n = 8;
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) cov[i * n + i] = i < 6 ? 1e-14 : 1;
    cov[6 * n + 7] = 0.5;
    cov[7 * n + 6] = 0.5;
    const six = new Float64Array(36);
    for (let i = 0; i < 6; i++) six[i * 6 + i] = 1e-14;
    const a = sgp4StateCovariance(e, cov, n, astro).covariance;
    const b = sgp4StateCovariance(e, six, 6, astro).covariance;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('stateAndCovarianceIn', () => {
  const epoch = stateAtElementEpoch(tle(), astro).epoch;
  const state = makeState('GCRF', [7000, 100, -200], [0.1, 7.4, 1.2]);
  const cov = new Float64Array(36);
  const sig = [1e-3, 2e-3, 3e-3, 1e-6, 2e-6, 3e-6];
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++) cov[i * 6 + j] = sig[i]! * sig[j]! * (i === j ? 1 : 0.3);

  it('GCRF is the identity', () => {
    const out = stateAndCovarianceIn('GCRF', epoch, state, cov, astro);
    expect(out.covariance).toBe(cov);
    expect(out.positionKm).toEqual([...state.rKm]);
  });

  it('EME2000 rotates state and covariance as the frame graph moves perturbed states', () => {
    /** Round-off of a rotation of km-sized positions. */
    const STATE_TOLERANCE_KM = 1e-9;
    /** The bias rotation is linear: the difference of rotated states is exact up to round-off. */
    const COVARIANCE_RELATIVE_TOLERANCE = 1e-9;
    const out = stateAndCovarianceIn('EME2000', epoch, state, cov, astro);
    const fe = frameEpochAt(epoch, astro);
    const direct = transform(state, 'EME2000', fe);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(out.positionKm[i]! - direct.rKm[i]!)).toBeLessThan(STATE_TOLERANCE_KM);
      expect(Math.abs(out.velocityKmS[i]! - direct.vKmS[i]!)).toBeLessThan(STATE_TOLERANCE_KM);
    }
    // Covariance of a direction d (6-vector): dᵀ C' d = (Bᵀd)ᵀ C (Bᵀd); Bᵀd from the inverse transform.
    const d = [0.3, -0.5, 0.8, 0.2, 0.1, -0.4];
    const back = transform(makeState('EME2000', [d[0]!, d[1]!, d[2]!], [d[3]!, d[4]!, d[5]!]), 'GCRF', fe);
    const g = [...back.rKm, ...back.vKmS];
    let want = 0;
    let got = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        want += g[i]! * cov[i * 6 + j]! * g[j]!;
        got += d[i]! * out.covariance[i * 6 + j]! * d[j]!;
      }
    expect(Math.abs(got - want)).toBeLessThan(COVARIANCE_RELATIVE_TOLERANCE * want);
    // The bias is milliarcseconds: the covariance changes, but by a part in 1e7 at most.
    expect(Math.abs(out.covariance[0]! - cov[0]!) / cov[0]!).toBeLessThan(1e-6);
  });
});
