/**
 * Consistency checks between what a CDM states and what its own states give, for the Pc code's
 * callers: a CDM whose MISS_DISTANCE disagrees with the distance between its two states (at the
 * linear-motion TCA) was written, or read, in other units than it says, or its states are not at
 * its TCA; a CDM whose own Pc (by an exact 2-D method) disagrees with the Pc of its states and
 * covariances holds a covariance in other units than it says. Flags, not refusals: the Pc is computed from the states, which the reader has checked
 * for plausibility (cdm.ts), and the caller reports the disagreement next to it.
 */

/**
 * Absolute part of the miss-distance tolerance: CDMs write MISS_DISTANCE in whole metres (±0.5 m)
 * and states to the millimetre; over the reference CDMs of real conjunctions (CARA's and the CCSDS
 * example; Orekit's synthetic ones place the objects anywhere) the recomputed miss differs from
 * MISS_DISTANCE by at most 0.78 m.
 */
export const CDM_MISS_TOLERANCE_ABS_KM = 0.001;
/** Relative part: 0.1 % of the miss, for the curvature of the relative motion on long misses. */
export const CDM_MISS_TOLERANCE_REL = 1e-3;

export interface CdmMissCheck {
  /** MISS_DISTANCE as read, km. */
  readonly cdmMissKm: number;
  /** Distance between the two states at the linear-motion TCA, km. */
  readonly recomputedMissKm: number;
  readonly differenceKm: number;
  /** |difference| allowed: CDM_MISS_TOLERANCE_ABS_KM + CDM_MISS_TOLERANCE_REL × MISS_DISTANCE. */
  readonly toleranceKm: number;
  readonly agrees: boolean;
}

/** Compares a CDM's MISS_DISTANCE (km) with the miss recomputed from its states (km). */
export function checkCdmMissDistance(cdmMissKm: number, recomputedMissKm: number): CdmMissCheck {
  const differenceKm = recomputedMissKm - cdmMissKm;
  const toleranceKm = CDM_MISS_TOLERANCE_ABS_KM + CDM_MISS_TOLERANCE_REL * Math.abs(cdmMissKm);
  return {
    cdmMissKm,
    recomputedMissKm,
    differenceKm,
    toleranceKm,
    agrees: Math.abs(differenceKm) <= toleranceKm,
  };
}

/**
 * COLLISION_PROBABILITY_METHOD values (SANA) that name an exact 2-D integral of the same Gaussian
 * over the same circle as Foster's: their Pc must match ours when the covariance, states and
 * hard-body radius are read as the CDM's author meant them. Series and maximum methods are not
 * compared (Chan's series is a third of Foster's outside its range of validity).
 */
export const CDM_PC_COMPARABLE_METHODS: ReadonlySet<string> = new Set([
  'FOSTER-1992',
  'ALFANO-2005',
  'PATERA-2001',
  'PATERA-2005',
]);
/**
 * Ratio beyond which a recomputed Pc disagrees with the CDM's own: over the 53 CARA test CDMs, which give
 * a FOSTER-1992 Pc and their HBR, ours is within 0.3 %; a covariance read 10ⁿ off moves the Pc by
 * orders of magnitude.
 */
export const CDM_PC_TOLERANCE_FACTOR = 2;
/** Below this both Pcs count as zero (no disagreement is meaningful). */
export const CDM_PC_NEGLIGIBLE = 1e-20;

export interface CdmPcCheck {
  readonly cdmPc: number;
  readonly cdmMethod: string;
  readonly recomputedPc: number;
  /** recomputed ÷ CDM (Infinity when the CDM's is 0). */
  readonly ratio: number;
  readonly agrees: boolean;
}

/**
 * Compares the CDM's COLLISION_PROBABILITY with a Foster Pc recomputed from its states and
 * covariances with the same hard-body radius; `undefined` when the CDM's method is not one of
 * CDM_PC_COMPARABLE_METHODS (nothing sound to compare).
 */
export function checkCdmPc(cdmPc: number, cdmMethod: string, recomputedPc: number): CdmPcCheck | undefined {
  if (!CDM_PC_COMPARABLE_METHODS.has(cdmMethod.trim().toUpperCase()) || !Number.isFinite(cdmPc))
    return undefined;
  const ratio = cdmPc === 0 ? (recomputedPc === 0 ? 1 : Number.POSITIVE_INFINITY) : recomputedPc / cdmPc;
  const negligible = Math.max(cdmPc, recomputedPc) < CDM_PC_NEGLIGIBLE;
  const agrees = negligible || (ratio <= CDM_PC_TOLERANCE_FACTOR && ratio >= 1 / CDM_PC_TOLERANCE_FACTOR);
  return { cdmPc, cdmMethod, recomputedPc, ratio, agrees };
}
