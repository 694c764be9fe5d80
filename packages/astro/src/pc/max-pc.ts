/**
 * Maximum probability of collision, for when the covariance is unknown or not trusted (element
 * sets carry none). Every result here is an upper bound over the covariance *size*, flagged
 * `isMaximum: true` and `confidence: 'low'`: CARA's finding is that max Pc alone is not sufficient
 * for mitigation decisions.
 *
 * - Alfriend et al. 1999 (K. T. Alfriend, M. R. Akella, J. Frisbee, J. L. Foster, D.-J. Lee,
 *   M. Wilkins, "Probability of Collision Error Analysis", Space Debris 1(1):21–35, 1999, eqs.
 *   18–20, as implemented by Orekit's Alfriend1999Max): take the density constant over the
 *   hard-body circle, Pc(k) ≈ R²/(2k²σxσz)·exp(−v/(2k²)) for the covariance scaled by k², and
 *   maximise at k² = v/2:
 *       Pc_max = R² / (e · v · σx · σz),   v = xm²/σx² + zm²/σz² (squared Mahalanobis distance).
 *   For an isotropic covariance this is R²/(e·d²). Valid for R ≪ miss; it is capped at 1.
 * - Alfano 2005 (S. Alfano, "Relating Position Uncertainty to Maximum Conjunction Probability",
 *   J. Astronaut. Sci. 53(2), 2005): keep the covariance shape (aspect ratio and
 *   orientation) and maximise the exact 2-D Pc over the scale k. We maximise the Foster integral
 *   (foster.ts) by golden-section search on ln k around Alfriend's k² = v/2. When the miss point
 *   lies inside the hard-body circle the supremum is 1 (k → 0).
 * - No covariance at all (`pcMaxNoCovariance`): Alfano's maximisation for an isotropic shape, the
 *   assumption CelesTrak SOCRATES-like screening reports as "maximum probability".
 */
import {
  checkEncounter2D,
  checkHbr,
  encounterPlane,
  type PcConjunction,
  type PcEncounter2D,
  type PcRemediation,
  principalEncounter,
} from './encounter-plane.js';
import { pcFosterCircleKernel } from './foster.js';
import type { PcCovarianceSource, PcResultBase, PcSourceOptions } from './pc-result.js';

/** Result of a maximum-Pc method. */
export interface PcMaxResult extends PcResultBase {
  readonly method: 'ALFRIEND-1999-MAX' | 'ALFANO-2005-MAX';
  readonly isMaximum: true;
  readonly confidence: 'low';
  readonly details: {
    /** Scale factor k applied to the 1σ values at the maximum (0 when the miss is inside the HBR). */
    readonly scaleAtMax: number;
    /** Squared Mahalanobis distance of the miss for the unscaled shape. */
    readonly mahalanobis2: number;
    /** Alfriend's closed form R²/(e·v·σx·σz), for comparison. */
    readonly alfriendClosedForm: number;
  };
}

/** Options of the max-Pc methods on a conjunction. */
export interface PcMaxOptions extends PcSourceOptions {
  readonly remediation?: PcRemediation;
}

/** Golden-section iterations on ln k (bracket width shrinks by 0.618 each). */
const GOLDEN_ITERATIONS = 60;
/**
 * Largest R/d for which `pcMaxNoCovariance` uses the small-radius form (R/d)²/e instead of the exact
 * search: its relative error is 0.42·(R/d)⁴ (measured against the search: 2.6e-7 at R/d = 0.05,
 * 4.2e-10 at 0.01, 4.2e-14 at 0.001), far below what a maximum Pc over an unknown covariance means.
 */
export const NO_COVARIANCE_SERIES_MAX_RATIO = 0.05;
/** Relative accuracy of each Foster evaluation inside the search. */
const SEARCH_REL_TOL = 1e-10;

function alfriendClosedForm(e: PcEncounter2D, hbrKm: number): { v: number; pc: number } {
  const a = e.xmKm / e.sigmaXKm;
  const b = e.zmKm / e.sigmaZKm;
  const v = a * a + b * b;
  const pc = (hbrKm * hbrKm) / (Math.E * v * e.sigmaXKm * e.sigmaZKm);
  return { v, pc: Number.isNaN(pc) ? 1 : Math.min(1, pc) };
}

function result(
  method: PcMaxResult['method'],
  pc: number,
  hbrKm: number,
  source: PcCovarianceSource,
  scaleAtMax: number,
  v: number,
  closed: number,
): PcMaxResult {
  return {
    pc,
    method,
    hbrKm,
    covarianceSource: source,
    confidence: 'low',
    isMaximum: true,
    details: { scaleAtMax, mahalanobis2: v, alfriendClosedForm: closed },
  };
}

/** Alfriend 1999 closed-form maximum Pc of an encounter in principal axes (km). */
export function pcMaxAlfriendEncounter(
  encounter: PcEncounter2D,
  hbrKm: number,
  options: PcSourceOptions = {},
): PcMaxResult {
  checkHbr(hbrKm);
  checkEncounter2D(encounter);
  const { v, pc } = alfriendClosedForm(encounter, hbrKm);
  return result('ALFRIEND-1999-MAX', pc, hbrKm, options.covarianceSource ?? 'user', Math.sqrt(v / 2), v, pc);
}

/** Alfano 2005 maximum Pc (exact 2-D Pc maximised over covariance scale), principal axes, km. */
export function pcMaxAlfanoEncounter(
  encounter: PcEncounter2D,
  hbrKm: number,
  options: PcSourceOptions = {},
): PcMaxResult {
  checkHbr(hbrKm);
  checkEncounter2D(encounter);
  const source = options.covarianceSource ?? 'user';
  const { v, pc: closed } = alfriendClosedForm(encounter, hbrKm);
  const { xmKm: xm, zmKm: zm, sigmaXKm: sx, sigmaZKm: sz } = encounter;
  if (hbrKm === 0) return result('ALFANO-2005-MAX', 0, hbrKm, source, Math.sqrt(v / 2), v, closed);
  if (xm * xm + zm * zm < hbrKm * hbrKm || hbrKm === Number.POSITIVE_INFINITY) {
    return result('ALFANO-2005-MAX', 1, hbrKm, source, 0, v, closed);
  }
  const pcAt = (lnK: number): number => {
    const k = Math.exp(lnK);
    return pcFosterCircleKernel(xm, zm, k * sx, k * sz, hbrKm, SEARCH_REL_TOL);
  };
  // Bracket around Alfriend's optimum k² = v/2, widened until the ends are below the interior.
  const k0 = Math.log(Math.sqrt(v / 2));
  let a = k0 - 2;
  let b = k0 + 2;
  for (let i = 0; i < 20 && pcAt(a) > pcAt(a + 0.5); i++) a -= 2;
  for (let i = 0; i < 20 && pcAt(b) > pcAt(b - 0.5); i++) b += 2;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = pcAt(c);
  let fd = pcAt(d);
  for (let i = 0; i < GOLDEN_ITERATIONS; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = pcAt(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = pcAt(d);
    }
  }
  const best = fc > fd ? c : d;
  return result('ALFANO-2005-MAX', Math.max(fc, fd), hbrKm, source, Math.exp(best), v, closed);
}

/** Alfriend 1999 closed-form maximum Pc of a conjunction (its covariance gives the shape). */
export function pcMaxAlfriend(
  conjunction: PcConjunction,
  hbrKm: number,
  options: PcMaxOptions = {},
): PcMaxResult {
  checkHbr(hbrKm);
  const p = principalEncounter(encounterPlane(conjunction), hbrKm, options.remediation ?? 'clip');
  return pcMaxAlfriendEncounter(p, hbrKm, sourceOnly(options));
}

/** Alfano 2005 maximum Pc of a conjunction (its covariance gives the shape, not the size). */
export function pcMaxAlfano(
  conjunction: PcConjunction,
  hbrKm: number,
  options: PcMaxOptions = {},
): PcMaxResult {
  checkHbr(hbrKm);
  const p = principalEncounter(encounterPlane(conjunction), hbrKm, options.remediation ?? 'clip');
  return pcMaxAlfanoEncounter(p, hbrKm, sourceOnly(options));
}

function sourceOnly(options: PcMaxOptions): PcSourceOptions {
  return options.covarianceSource === undefined ? {} : { covarianceSource: options.covarianceSource };
}

/**
 * Maximum Pc with no covariance at all (e.g. two element sets): Alfano's maximisation for an
 * isotropic covariance, given only the miss distance and the combined hard-body radius (km).
 * Covariance source 'none', confidence 'low'.
 */
export function pcMaxNoCovariance(missKm: number, hbrKm: number): PcMaxResult {
  checkHbr(hbrKm);
  const miss = Math.abs(missKm);
  // Unit isotropic shape: σ = miss so that v = 1; the scale found is then σ/miss at the maximum.
  if (!(miss > 0)) {
    return result('ALFANO-2005-MAX', hbrKm > 0 ? 1 : 0, hbrKm, 'none', 0, 0, hbrKm > 0 ? 1 : 0);
  }
  if (hbrKm <= NO_COVARIANCE_SERIES_MAX_RATIO * miss) {
    // Small radius: the maximum over an isotropic σ is (R/d)²/e (at σ² = d²/2) to a relative
    // 0.42·(R/d)⁴, at most 2.6e-7 below the ratio limit; the exact search costs ~0.3 ms a call.
    const pc = (hbrKm * hbrKm) / (Math.E * miss * miss);
    return result('ALFANO-2005-MAX', pc, hbrKm, 'none', Math.SQRT1_2, 1, pc);
  }
  return pcMaxAlfanoEncounter({ xmKm: miss, zmKm: 0, sigmaXKm: miss, sigmaZKm: miss }, hbrKm, {
    covarianceSource: 'none',
  });
}
