/**
 * The covariance of `hoshimi od`'s result in the frame and parameters it reports: an SGP4 fit's
 * covariance of mean equinoctial elements mapped to the GCRF state at the element epoch, and a GCRF
 * state and covariance rotated to EME2000.
 */
import {
  type AstroContext,
  type ElementSet,
  elementsFromSgp4Equinoctial,
  frameEpochAt,
  type Instant,
  makeState,
  type State,
  sgp4EquinoctialOf,
  transform,
} from '@hoshimi/astro';
import { stateOfElements } from './od-first-guess.js';

function transposeProduct(j: Float64Array, p: ArrayLike<number>, n: number): Float64Array {
  // J (6×n) P (n×n) Jᵀ
  const jp = new Float64Array(6 * n);
  for (let a = 0; a < 6; a++)
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += j[a * n + c]! * p[c * n + b]!;
      jp[a * n + b] = s;
    }
  const out = new Float64Array(36);
  for (let a = 0; a < 6; a++)
    for (let b = 0; b < 6; b++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += jp[a * n + c]! * j[b * n + c]!;
      out[a * 6 + b] = s;
    }
  return out;
}

/**
 * The GCRF state at the element epoch of an SGP4 fit and its covariance, mapped from the
 * covariance of the six equinoctial mean elements by the Jacobian of SGP4's state at tsince 0
 * (central differences with astro's SGP4_FIT-sized steps). B* does not move the state at epoch.
 */
export function sgp4StateCovariance(
  elements: ElementSet,
  cov: Float64Array,
  n: number,
  ctx: AstroContext,
): { epoch: Instant; state: State<'GCRF'>; covariance: Float64Array } {
  const base = stateOfElements(elements, ctx);
  const p0 = sgp4EquinoctialOf(elements);
  const steps = [1e-9, 1e-7, 1e-7, 1e-7, 1e-7, 1e-7];
  const j = new Float64Array(6 * n);
  const at = (p: number[]): number[] => {
    const e = elementsFromSgp4Equinoctial(elements, p, elements.bstar);
    const s = stateOfElements(e, ctx).state;
    return [...s.rKm, ...s.vKmS];
  };
  for (let c = 0; c < 6; c++) {
    const plus = [...p0];
    const minus = [...p0];
    plus[c]! += steps[c]!;
    minus[c]! -= steps[c]!;
    const a = at(plus);
    const b = at(minus);
    for (let r = 0; r < 6; r++) j[r * n + c] = (a[r]! - b[r]!) / (2 * steps[c]!);
  }
  return { ...base, covariance: transposeProduct(j, cov, n) };
}

/** Rotates a GCRF state and covariance to EME2000 (the constant frame bias). */
export function toFrame(
  frame: 'GCRF' | 'EME2000',
  epoch: Instant,
  state: State<'GCRF'>,
  cov: Float64Array,
  ctx: AstroContext,
): { r: number[]; v: number[]; cov: Float64Array } {
  if (frame === 'GCRF') return { r: [...state.rKm], v: [...state.vKmS], cov };
  const fe = frameEpochAt(epoch, ctx);
  const s = transform(state, 'EME2000', fe);
  // Columns of the rotation: the images of the GCRF axes.
  const rot: number[][] = [0, 1, 2].map((i) => [
    ...transform(
      makeState('GCRF', [i === 0 ? 1 : 0, i === 1 ? 1 : 0, i === 2 ? 1 : 0], [0, 0, 0]),
      'EME2000',
      fe,
    ).rKm,
  ]);
  const b = new Float64Array(36);
  for (let blk = 0; blk < 2; blk++)
    for (let i = 0; i < 3; i++) for (let c = 0; c < 3; c++) b[(3 * blk + i) * 6 + 3 * blk + c] = rot[c]![i]!;
  return { r: [...s.rKm], v: [...s.vKmS], cov: transposeProduct(b, cov, 6) };
}
