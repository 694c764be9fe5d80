/**
 * The record every Pc method returns. Methods, hard-body radius and covariance source travel with
 * the number so that reports and CDMs can state how it was obtained (issue 4 §2; CCSDS 508.0-B-1
 * COLLISION_PROBABILITY_METHOD).
 */

/** The Pc methods implemented in `pc/`. */
export type PcMethodName =
  | 'FOSTER-1992'
  | 'CHAN-1997'
  | 'ALFRIEND-1999-MAX'
  | 'ALFANO-2005-MAX'
  | 'MONTE-CARLO-2D'
  | 'MONTE-CARLO-LINEAR-3D';

/** Where the covariance used for a Pc came from. */
export type PcCovarianceSource = 'cdm' | 'user' | 'tle-history' | 'default' | 'none';

/** How much a Pc can be trusted for decisions (CARA: TLE-only and max-Pc values are not enough). */
export type PcConfidence = 'nominal' | 'low';

/**
 * Confidence of a covariance-based Pc by where its covariance came from: estimated from element
 * sets, a default or none is not enough for decisions (CARA); published ones are nominal.
 */
export function pcConfidenceOf(source: PcCovarianceSource): PcConfidence {
  return source === 'tle-history' || source === 'default' || source === 'none' ? 'low' : 'nominal';
}

/** Common part of every Pc result. */
export interface PcResultBase {
  /** Probability of collision in [0, 1]. */
  readonly pc: number;
  readonly method: PcMethodName;
  /** Combined hard-body radius, km. */
  readonly hbrKm: number;
  readonly covarianceSource: PcCovarianceSource;
  readonly confidence: PcConfidence;
  /** True for an upper bound over unknown covariance scale (Alfriend/Alfano maximum Pc). */
  readonly isMaximum: boolean;
}

/** Options shared by the covariance-based methods. */
export interface PcSourceOptions {
  /** Recorded in the result; default 'user'. */
  readonly covarianceSource?: PcCovarianceSource;
}
