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

/**
 * The SANA "CDM Collision Probability Methods" registry names (CCSDS 508.0-B-1
 * COLLISION_PROBABILITY_METHOD, registry cdm_cpm; the list Orekit's PocMethodType mirrors).
 * Hoshimi writes only these; a method the registry lacks is written under no method name.
 */
export const CCSDS_PC_METHODS = [
  'AKELLAALFRIEND-2000',
  'ALFANO-2005',
  'ALFANO-MAX-PROBABILITY',
  'ALFANO-PARAL-2007',
  'ALFANO-TUBES-2007',
  'ALFANO-VOXELS-2006',
  'ALFRIEND-1999',
  'CHAN-1997',
  'CHAN-2003',
  'FOSTER-1992',
  'MCKINLEY-2006',
  'PATERA-2001',
  'PATERA-2003',
  'PATERA-2005',
] as const;

export type CcsdsPcMethod = (typeof CCSDS_PC_METHODS)[number];

/**
 * The SANA name of one of our Pc methods, or `undefined` when the registry has none for it.
 * Alfano's maximum probability (an upper bound over the covariance size) is ALFANO-MAX-PROBABILITY,
 * not ALFANO-2005, which names Alfano's covariance-based integration. Alfriend's 1999 closed-form
 * maximum and our Monte Carlo have no registry name.
 */
export function pcMethodCcsdsName(method: PcMethodName): CcsdsPcMethod | undefined {
  switch (method) {
    case 'FOSTER-1992':
      return 'FOSTER-1992';
    case 'CHAN-1997':
      return 'CHAN-1997';
    case 'ALFANO-2005-MAX':
      return 'ALFANO-MAX-PROBABILITY';
    default:
      return undefined;
  }
}

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
