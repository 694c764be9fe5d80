/**
 * Consistency checks between what a CDM states and what its own states give, for the Pc code's
 * callers: a CDM whose MISS_DISTANCE disagrees with the distance between its two states (at the
 * linear-motion TCA) was written, or read, in other units than it says, or its states are not at
 * its TCA. Flags, not refusals: the Pc is computed from the states, which the reader has checked
 * for plausibility (cdm.ts), and the caller reports the disagreement next to it.
 */

/**
 * Absolute part of the miss-distance tolerance: CDMs write MISS_DISTANCE in whole metres (±0.5 m)
 * and states to the millimetre; over the 126 reference CDMs that are real conjunctions the
 * recomputed miss differs from MISS_DISTANCE by at most 0.78 m.
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
