/**
 * Collision probability of a screened conjunction, and the element-set history its covariance is
 * estimated from. With both objects' covariance models (pc/tle-covariance.ts: fitted to the
 * differences of successive element sets) the Pc is Foster's (1992) with each object's RTN
 * covariance at its element set's age at TCA, rotated with its own state; otherwise the maximum Pc
 * without covariance (Alfano 2005), reported with low confidence.
 */
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import type { Vec3 } from '../math/index.js';
import { pcConjunctionFromRtn } from '../pc/encounter-plane.js';
import { pcFoster } from '../pc/foster.js';
import { pcMaxNoCovariance } from '../pc/max-pc.js';
import { type TleCovarianceModel, tleCovarianceRtnKm2 } from '../pc/tle-covariance.js';
import type { Conjunction } from './screening-types.js';

/** Days of element-set history before the as-of time used to estimate a covariance. */
export const COVARIANCE_HISTORY_DAYS = 30;

/**
 * The element sets of one object's history that a covariance as of `asOf` (UTC Julian date) may
 * use: epochs in (asOf − days, asOf]. Later sets did not exist at the as-of time.
 */
export function covarianceHistoryWindow(
  history: readonly ElementSet[],
  asOf: { readonly jd: number; readonly jdFrac: number },
  days = COVARIANCE_HISTORY_DAYS,
): ElementSet[] {
  const end = asOf.jd + asOf.jdFrac;
  return history.filter((e) => {
    const d = e.epoch.jd + e.epoch.jdFrac;
    return d <= end && d > end - days;
  });
}

/** The Pc of one screened conjunction and where it came from. */
export interface ConjunctionPc {
  readonly pc: number | null;
  /** The Pc method's name (pc module). */
  readonly method: string;
  /** 'tle-history' or 'none (element sets)'. */
  readonly covarianceSource: string;
  readonly confidence: 'low' | 'normal';
  /** RTN position variances (km²) of both objects when the Pc used estimated covariances. */
  readonly covariances?: [Vec3, Vec3];
  /** Why Foster's Pc could not be used although both objects had a model (else absent). */
  readonly fallbackReason?: string;
}

/**
 * Pc of a screened conjunction: Foster's with both objects' history covariances (each at its
 * element set's age at TCA, rotated with its own state), else the maximum Pc without covariance.
 * `hbrKm` is the combined hard-body radius; `models` are keyed by catalog number.
 */
export function conjunctionPc(
  c: Conjunction,
  hbrKm: number,
  models: ReadonlyMap<string, TleCovarianceModel>,
): ConjunctionPc {
  const m1 = models.get(c.primary.catalogNumber);
  const m2 = models.get(c.secondary.catalogNumber);
  let fallbackReason: string | undefined;
  if (m1 !== undefined && m2 !== undefined) {
    const cov1 = tleCovarianceRtnKm2(m1, c.primary.elementAgeDays);
    const cov2 = tleCovarianceRtnKm2(m2, c.secondary.elementAgeDays);
    try {
      const conj = pcConjunctionFromRtn(
        c.primary.rKm,
        c.primary.vKmS,
        cov1,
        c.secondary.rKm,
        c.secondary.vKmS,
        cov2,
      );
      const r = pcFoster(conj, hbrKm, { covarianceSource: 'tle-history' });
      return {
        pc: r.pc,
        method: r.method,
        covarianceSource: 'tle-history',
        confidence: r.confidence === 'low' ? 'low' : 'normal',
        covariances: [
          [cov1[0], cov1[4], cov1[8]],
          [cov2[0], cov2[4], cov2[8]],
        ],
      };
    } catch (e) {
      // Foster's Pc throws only when the combined covariance has no variance in the encounter
      // plane (both models all zero) or the relative speed is zero: keep the maximum Pc, say why.
      if (!(e instanceof AstroError)) throw e;
      fallbackReason = e.message;
    }
  }
  const pc = pcMaxNoCovariance(c.missKm, hbrKm);
  const base = {
    pc: pc.pc,
    method: pc.method,
    covarianceSource: 'none (element sets)',
    confidence: 'low' as const,
  };
  return fallbackReason === undefined ? base : { ...base, fallbackReason };
}
