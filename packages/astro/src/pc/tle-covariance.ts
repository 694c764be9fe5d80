/**
 * Position covariance of an element set estimated from the object's element-set history, for Pc
 * when no covariance is published (issue 4 §2: "a covariance estimated from the object's
 * element-set history is welcome if its method is documented and tested").
 *
 * Method (pairwise differencing of successive element sets, the usual way TLE accuracy is measured:
 * Osweiler 2006, Flohrer et al. 2008, Vallado & Cefola 2012): for every pair of sets (i older,
 * j newer) at most `maxGapDays` apart, set i is propagated with SGP4 to set j's epoch and compared
 * with set j there, in set j's radial/in-track/cross-track frame: δ = r_i(t_j) − r_j(t_j).
 * If each set's error at age τ has variance σ0² + g²·τ² per axis (independent sets, zero mean),
 * then E[δ²] = 2·σ0² + g²·Δt², Δt = t_j − t_i. Per axis, δ² is fitted by least squares as
 * c0 + c1·Δt² (c0, c1 ≥ 0), repeatedly without the samples beyond 16 times the fit (4σ:
 * manoeuvres and bad sets), giving σ0 = √(c0/2) and g = √c1. The covariance of a set of age τ at the time of
 * interest is diag(σ0² + g²·τ²) in its RTN frame; correlations between axes are not estimated.
 * Limits: differencing measures how well successive sets agree, and successive sets share tracking
 * data, so it understates the true error: in-track σ0 usually comes out 0 (the fit's intercept is
 * clipped) and a fresh set's covariance is small; a manoeuvre inside the history window inflates the
 * estimate when too many pairs straddle it for the 4σ cut (ISS reboosts); the model is that of
 * the recent past. Hence Pc from it stays low confidence. On the non-reserved histories of the
 * reference data, fitted on 30 days and checked on the next 30 (pc-tle-covariance.test.ts),
 * 67–77% of the differences fall within 1σ and 97–100% within 3σ (medians over 11–12 windows,
 * axes pooled; in-track alone at 4–7-day gaps 90–93% within 3σ).
 */
import type { ElementSet } from '../elements/element-set.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import type { Mat3 } from '../math/index.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';

/** Default longest gap between the two sets of a pair, days. */
export const TLE_COVARIANCE_MAX_GAP_DAYS = 7;
/** Fewest pairs (after the outlier cut) for an estimate. */
export const TLE_COVARIANCE_MIN_PAIRS = 6;
/** Samples whose δ² exceeds this multiple of the fit are dropped (4σ). */
const OUTLIER_FACTOR = 16;
/** Most rounds of fit and cut. */
const MAX_CUTS = 10;

export interface TleCovarianceModel {
  /** 1-σ position error of an element set at its epoch, radial / in-track / cross-track, km. */
  readonly sigma0Km: readonly [number, number, number];
  /** Growth of the 1-σ error with the set's age, radial / in-track / cross-track, km per day. */
  readonly growthKmPerDay: readonly [number, number, number];
  /** Pairs used in the final fit (fewest over the three axes). */
  readonly pairs: number;
  /** Pairs dropped as outliers (most over the three axes). */
  readonly outliers: number;
  /** Element sets with distinct epochs in the history. */
  readonly sets: number;
}

export interface TleCovarianceOptions {
  /** Longest gap between the two sets of a pair, days; default TLE_COVARIANCE_MAX_GAP_DAYS. */
  readonly maxGapDays?: number;
}

/** One differencing sample: gap (days) and the RTN difference (km). */
export interface TleDifference {
  readonly gapDays: number;
  readonly rtnKm: readonly [number, number, number];
}

function epochDays(e: ElementSet): number {
  return e.epoch.jd + e.epoch.jdFrac;
}

/**
 * The differencing samples of a history (any order; sets with equal epochs count once, the last
 * given): every pair at most `maxGapDays` apart whose SGP4 states exist.
 */
export function tleDifferences(
  history: readonly ElementSet[],
  maxGapDays: number = TLE_COVARIANCE_MAX_GAP_DAYS,
): TleDifference[] {
  const byEpoch = new Map<number, ElementSet>();
  for (const e of history) byEpoch.set(epochDays(e), e);
  const sets = [...byEpoch.values()].sort((a, b) => epochDays(a) - epochDays(b));
  const recs = sets.map((e) => {
    const r = sgp4Init(e);
    return r.error === 0 ? r : null;
  });
  const out: TleDifference[] = [];
  const si = new Float64Array(6);
  const sj = new Float64Array(6);
  const q: Mat3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let j = 1; j < sets.length; j++) {
    const rj = recs[j];
    if (rj === null || rj === undefined || sgp4(rj, 0, sj) !== 0) continue;
    localOrbitalMatrix('RTN', [sj[0]!, sj[1]!, sj[2]!], [sj[3]!, sj[4]!, sj[5]!], q);
    const tj = epochDays(sets[j]!);
    for (let i = j - 1; i >= 0; i--) {
      const gap = tj - epochDays(sets[i]!);
      if (gap > maxGapDays) break;
      const ri = recs[i];
      if (ri === null || ri === undefined) continue;
      // Minutes from set i's epoch to set j's, from the two-part dates (no rounding of the gap).
      const minutes = minutesSinceEpoch(sets[i]!.epoch, sets[j]!.epoch.jd, sets[j]!.epoch.jdFrac);
      if (sgp4(ri, minutes, si) !== 0) continue;
      const dx = si[0]! - sj[0]!;
      const dy = si[1]! - sj[1]!;
      const dz = si[2]! - sj[2]!;
      out.push({
        gapDays: gap,
        rtnKm: [
          q[0] * dx + q[1] * dy + q[2] * dz,
          q[3] * dx + q[4] * dy + q[5] * dz,
          q[6] * dx + q[7] * dy + q[8] * dz,
        ],
      });
    }
  }
  return out;
}

/** Least squares of y ≈ c0 + c1·x with c0, c1 ≥ 0. */
function fitNonNegative(x: readonly number[], y: readonly number[]): [number, number] {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    sx += x[k]!;
    sy += y[k]!;
    sxx += x[k]! * x[k]!;
    sxy += x[k]! * y[k]!;
  }
  const det = n * sxx - sx * sx;
  let c0 = det > 0 ? (sxx * sy - sx * sxy) / det : sy / n;
  let c1 = det > 0 ? (n * sxy - sx * sy) / det : 0;
  if (c1 < 0) {
    c1 = 0;
    c0 = sy / n;
  }
  if (c0 < 0) {
    c0 = 0;
    c1 = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  }
  return [c0, c1];
}

/**
 * Estimates the error model of an object's element sets from its history (the sets of the recent
 * past, e.g. the 30 days before the time of interest). Null when fewer than
 * TLE_COVARIANCE_MIN_PAIRS pairs remain on some axis.
 */
export function estimateTleCovariance(
  history: readonly ElementSet[],
  options: TleCovarianceOptions = {},
): TleCovarianceModel | null {
  const samples = tleDifferences(history, options.maxGapDays ?? TLE_COVARIANCE_MAX_GAP_DAYS);
  return fitTleErrorModel(samples, new Set(history.map(epochDays)).size);
}

/**
 * The error model from differencing samples (see the module header): per axis, δ² fitted as
 * c0 + c1·Δt² (c0, c1 ≥ 0), samples beyond OUTLIER_FACTOR times the fit dropped and the fit
 * repeated until none is; σ0 = √(c0/2), g = √c1. Null when fewer than TLE_COVARIANCE_MIN_PAIRS
 * samples remain on some axis.
 */
export function fitTleErrorModel(samples: readonly TleDifference[], sets = 0): TleCovarianceModel | null {
  const sigma0: number[] = [];
  const growth: number[] = [];
  let pairs = Number.POSITIVE_INFINITY;
  let outliers = 0;
  for (let axis = 0; axis < 3; axis++) {
    let x = samples.map((s) => s.gapDays * s.gapDays);
    let y = samples.map((s) => s.rtnKm[axis]! ** 2);
    if (x.length < TLE_COVARIANCE_MIN_PAIRS) return null;
    // Fit, drop the samples beyond the cut, refit, until none is dropped.
    let [c0, c1] = fitNonNegative(x, y);
    for (let it = 0; it < MAX_CUTS; it++) {
      const keep = y.map((v, k) => v <= OUTLIER_FACTOR * (c0 + c1 * x[k]!));
      if (keep.every(Boolean)) break;
      x = x.filter((_, k) => keep[k]);
      y = y.filter((_, k) => keep[k]);
      if (x.length < TLE_COVARIANCE_MIN_PAIRS) return null;
      [c0, c1] = fitNonNegative(x, y);
    }
    sigma0.push(Math.sqrt(c0 / 2));
    growth.push(Math.sqrt(c1));
    pairs = Math.min(pairs, x.length);
    outliers = Math.max(outliers, samples.length - x.length);
  }
  return {
    sigma0Km: [sigma0[0]!, sigma0[1]!, sigma0[2]!],
    growthKmPerDay: [growth[0]!, growth[1]!, growth[2]!],
    pairs,
    outliers,
    sets,
  };
}

/** The RTN position covariance (km², diagonal) of an element set `ageDays` old under `model`. */
export function tleCovarianceRtnKm2(model: TleCovarianceModel, ageDays: number): Mat3 {
  const v = [0, 1, 2].map((k) => model.sigma0Km[k]! ** 2 + (model.growthKmPerDay[k]! * ageDays) ** 2);
  return [v[0]!, 0, 0, 0, v[1]!, 0, 0, 0, v[2]!];
}
