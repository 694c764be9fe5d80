/**
 * Chan's series for the 2-D Pc (F. K. Chan, "Collision Probability Analyses for Earth Orbiting
 * Satellites", 7th AAS/JRS/CSA Symposium ISCOPS, Nagasaki 1997, Adv. Astronaut. Sci. 96,
 * pp. 1033–1048; and "Spacecraft Collision Probability", Aerospace Press 2008, ch. 5). The ellipse is replaced by the circle of equal area in the
 * isotropic (Mahalanobis-scaled) plane, and the Rician integral is expanded as
 *
 *   Pc = Σ_{m=0}^{M−1} e^(−v/2) (v/2)^m / m! · [1 − e^(−u/2) Σ_{k=0}^{m} (u/2)^k / k!],
 *   u = R²/(σx σz),  v = xm²/σx² + zm²/σz².
 *
 * The default number of terms M follows Chan's recommendation as implemented by Orekit's
 * Chan1997 (3 if u ≤ 0.01 or v ≤ 1; 10 if u ≤ 1 or v ≤ 9; 20 if u ≤ 25 or v ≤ 25; else 60), so
 * results match Orekit's published test values. It is an approximation: it drifts from the exact
 * (Foster) integral for elongated ellipses (Orekit's "Alfano test case 5": 1.7e-202 against 0.0445).
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
import { type PcResultBase, type PcSourceOptions, pcConfidenceOf } from './pc-result.js';

/** Options of Chan's series. */
export interface PcChanOptions extends PcSourceOptions {
  /** Number of series terms M; default from Chan's (u, v) table. */
  readonly terms?: number;
  /** Non-positive-definite handling for conjunction input; default 'clip'. */
  readonly remediation?: PcRemediation;
}

/** Result of Chan's series. */
export interface PcChanResult extends PcResultBase {
  readonly method: 'CHAN-1997';
  readonly details: {
    /** u = R²/(σxσz) and v = squared Mahalanobis distance. */
    readonly u: number;
    readonly v: number;
    readonly terms: number;
  };
}

/** Chan's recommended number of terms for (u, v) (Orekit Chan1997). */
export function chanRecommendedTerms(u: number, v: number): number {
  if (u <= 0.01 || v <= 1) return 3;
  if (u <= 1 || v <= 9) return 10;
  if (u <= 25 || v <= 25) return 20;
  return 60;
}

/** Chan's series with M terms for given u and v (plain-number kernel). */
export function pcChanKernel(u: number, v: number, terms: number): number {
  const ev = Math.exp(-0.5 * v);
  const euv = Math.exp(-0.5 * (u + v));
  let t = 1; // (v/2)^m / m!
  let s = 1; // (u/2)^k / k!
  let sum = 1; // Σ_{k≤m} (u/2)^k / k!
  let pc = ev - euv;
  for (let m = 1; m < terms; m++) {
    t *= (0.5 * v) / m;
    s *= (0.5 * u) / m;
    sum += s;
    pc += ev * t - euv * t * sum;
  }
  return Math.min(1, Math.max(0, pc));
}

/** Chan's series for an encounter in principal axes (km). */
export function pcChanEncounter(
  encounter: PcEncounter2D,
  hbrKm: number,
  options: Omit<PcChanOptions, 'remediation'> = {},
): PcChanResult {
  checkHbr(hbrKm);
  checkEncounter2D(encounter);
  const sx = encounter.sigmaXKm;
  const sz = encounter.sigmaZKm;
  const u = (hbrKm * hbrKm) / (sx * sz);
  const a = encounter.xmKm / sx;
  const b = encounter.zmKm / sz;
  const v = a * a + b * b;
  const terms = options.terms ?? chanRecommendedTerms(u, v);
  const pc = hbrKm === Number.POSITIVE_INFINITY ? 1 : hbrKm === 0 ? 0 : pcChanKernel(u, v, terms);
  return {
    pc,
    method: 'CHAN-1997',
    hbrKm,
    covarianceSource: options.covarianceSource ?? 'user',
    confidence: pcConfidenceOf(options.covarianceSource ?? 'user'),
    isMaximum: false,
    details: { u, v, terms },
  };
}

/** Chan's series for a conjunction (states and covariances as in `pcFoster`). */
export function pcChan(conjunction: PcConjunction, hbrKm: number, options: PcChanOptions = {}): PcChanResult {
  checkHbr(hbrKm);
  const p = principalEncounter(encounterPlane(conjunction), hbrKm, options.remediation ?? 'clip');
  const { remediation: _r, ...rest } = options;
  return pcChanEncounter(p, hbrKm, rest);
}
