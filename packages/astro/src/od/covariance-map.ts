/**
 * Covariances of an orbit determination in the frame and parameters a report uses: an SGP4 fit's
 * covariance of mean equinoctial elements mapped to the GCRF state at the element epoch through
 * the numerical Jacobian of SGP4 (central differences), and a GCRF state and covariance rotated to
 * EME2000 by the IERS 2003 frame bias (frames/frame-graph.ts frameBiasMatrix; the bias is
 * constant, so the velocity block rotates like the position block). C' = J·C·Jᵀ.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { frameBiasMatrix, transform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import { sgp4TargetEphemeris } from '../observations/targets.js';
import { instantOfUtcLabel } from '../sgp4/epoch-time.js';
import type { Instant } from '../time/instant.js';
import { elementsFromSgp4Equinoctial, sgp4EquinoctialOf } from './sgp4-fit.js';

/**
 * Central-difference steps of the six equinoctial mean elements (n in rad/min, then the
 * dimensionless ones): those of astro's SGP4 fit, where SGP4's state is smooth in them.
 */
export const SGP4_COVARIANCE_STEPS: readonly number[] = [1e-9, 1e-7, 1e-7, 1e-7, 1e-7, 1e-7];

/** J (m×n, row-major) · P (n×n) · Jᵀ, m×m. */
export function congruence(j: ArrayLike<number>, p: ArrayLike<number>, m: number, n: number): Float64Array {
  const jp = new Float64Array(m * n);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += j[a * n + c]! * p[c * n + b]!;
      jp[a * n + b] = s;
    }
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += jp[a * n + c]! * j[b * n + c]!;
      out[a * m + b] = s;
    }
  return out;
}

/** The GCRF state of an element set at its epoch (SGP4 at tsince 0). */
export function stateAtElementEpoch(
  e: ElementSet,
  ctx: AstroContext,
): { epoch: Instant; state: State<'GCRF'> } {
  const epoch = instantOfUtcLabel(e.epoch, ctx);
  return { epoch, state: sgp4TargetEphemeris(e, ctx)(epoch) };
}

/**
 * The GCRF state at the element epoch of an SGP4 fit and its 6×6 covariance (km, km/s), mapped
 * from the n×n covariance of the fit (the six equinoctial mean elements first, then any further
 * parameters such as B* or biases, which do not move the state at epoch) by the Jacobian of SGP4's
 * state at tsince 0.
 */
export function sgp4StateCovariance(
  elements: ElementSet,
  covariance: ArrayLike<number>,
  n: number,
  ctx: AstroContext,
): { epoch: Instant; state: State<'GCRF'>; covariance: Float64Array } {
  const base = stateAtElementEpoch(elements, ctx);
  const p0 = sgp4EquinoctialOf(elements);
  const j = new Float64Array(6 * n);
  const at = (p: number[]): number[] => {
    const e = elementsFromSgp4Equinoctial(elements, p, elements.bstar);
    const s = stateAtElementEpoch(e, ctx).state;
    return [...s.rKm, ...s.vKmS];
  };
  for (let c = 0; c < 6; c++) {
    const h = SGP4_COVARIANCE_STEPS[c]!;
    const plus = [...p0];
    const minus = [...p0];
    plus[c]! += h;
    minus[c]! -= h;
    const a = at(plus);
    const b = at(minus);
    for (let r = 0; r < 6; r++) j[r * n + c] = (a[r]! - b[r]!) / (2 * h);
  }
  return { ...base, covariance: congruence(j, covariance, 6, n) };
}

/** A GCRF state and its 6×6 covariance in GCRF or EME2000 (rotated by the frame bias). */
export function stateAndCovarianceIn(
  frame: 'GCRF' | 'EME2000',
  epoch: Instant,
  state: State<'GCRF'>,
  covariance: Float64Array,
  ctx: AstroContext,
): { positionKm: number[]; velocityKmS: number[]; covariance: Float64Array } {
  if (frame === 'GCRF') return { positionKm: [...state.rKm], velocityKmS: [...state.vKmS], covariance };
  const s = transform(state, 'EME2000', frameEpochAt(epoch, ctx));
  const bias = frameBiasMatrix();
  const b = new Float64Array(36);
  for (let blk = 0; blk < 2; blk++)
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < 3; c++) b[(3 * blk + i) * 6 + 3 * blk + c] = bias[3 * i + c]!;
  return { positionKm: [...s.rKm], velocityKmS: [...s.vKmS], covariance: congruence(b, covariance, 6, 6) };
}
