/**
 * Covariance realism by Monte Carlo: N trials of simulate → fit against a known truth, each giving
 * the squared Mahalanobis distance d² = (x̂ − x)ᵀ P⁻¹ (x̂ − x) of the estimate under its own
 * covariance. For a linear-Gaussian problem with a realistic P, d² follows χ²(k) with k the state
 * dimension (Vallado & Seago, "Covariance realism", AAS 09-304; Poore et al., "Covariance and
 * uncertainty realism in space surveillance and tracking", 2016, §5.1), so the fraction of trials
 * within the χ²(k) p-quantile should be p, within its binomial scatter √(p(1−p)/N).
 *
 * The χ² distribution is math/chi-square.ts; the seeded generator (mulberry32 uniforms, Box–Muller
 * normals) is math/random.ts, so that trials are reproducible without a dependency.
 */

import { AstroError } from '../errors.js';
import { chiSquareCdf, chiSquareQuantile } from '../math/chi-square.js';
import { type RandomSource, seededRandomSource } from '../math/random.js';
import { cholesky, choleskySolve } from './dense-linear-algebra.js';

export type { RandomSource } from '../math/random.js';

/** A reproducible RandomSource from a 32-bit seed (math/random.ts: mulberry32 + Box–Muller). */
export function seededRandom(seed: number): RandomSource {
  return seededRandomSource(seed);
}

/** Squared Mahalanobis distance of `error` under the covariance `cov` (k×k row-major). */
export function mahalanobisSquared(error: ArrayLike<number>, cov: ArrayLike<number>): number {
  const k = error.length;
  const l = cholesky(cov, k);
  if (l === undefined) {
    throw new AstroError('OD_BAD_INPUT', 'the covariance is not positive definite', {});
  }
  const x = choleskySolve(l, error, k);
  let s = 0;
  for (let i = 0; i < k; i++) s += error[i]! * x[i]!;
  return s;
}

/** What one trial's fit returns. */
export interface RealismTrialFit {
  /** The estimated vector (e.g. the 6 state components at the epoch). */
  readonly estimate: ArrayLike<number>;
  /** Its covariance, k×k row-major, same units. */
  readonly covariance: ArrayLike<number>;
}

/** Input of `runCovarianceRealism`. */
export interface CovarianceRealismInput {
  /** The true vector the estimates are compared with. */
  readonly truth: ArrayLike<number>;
  /** Number of trials (the issue asks for ≥ 200). */
  readonly trials: number;
  /** Seed of the first trial (trial i uses seed + i; default 1). */
  readonly seed?: number;
  /** One trial: simulate noisy measurements with `random` and fit them. */
  readonly trial: (random: RandomSource, index: number) => RealismTrialFit;
  /** Probability level of the bound (default 0.95). */
  readonly level?: number;
}

/** Result of `runCovarianceRealism`. */
export interface CovarianceRealismResult {
  /** d² of every trial. */
  readonly mahalanobisSquared: Float64Array;
  /** Degrees of freedom (the vector's dimension). */
  readonly dimension: number;
  readonly level: number;
  /** χ²(k) quantile at `level`. */
  readonly bound: number;
  /** Fraction of trials with d² ≤ bound (expected: level). */
  readonly fractionWithin: number;
  /** Binomial 1σ of that fraction for a realistic covariance, √(p(1−p)/N). */
  readonly binomialSigma: number;
  /** Mean of d² (expected: k). */
  readonly meanSquared: number;
  /** Kolmogorov–Smirnov statistic of the d² against χ²(k). */
  readonly ksStatistic: number;
}

/** Runs the trials and compares the distances with χ²(k). */
export function runCovarianceRealism(input: CovarianceRealismInput): CovarianceRealismResult {
  const k = input.truth.length;
  const level = input.level ?? 0.95;
  const seed = input.seed ?? 1;
  const d2 = new Float64Array(input.trials);
  for (let i = 0; i < input.trials; i++) {
    const fit = input.trial(seededRandom(seed + i), i);
    const err = Float64Array.from({ length: k }, (_, j) => fit.estimate[j]! - input.truth[j]!);
    d2[i] = mahalanobisSquared(err, fit.covariance);
  }
  const bound = chiSquareQuantile(level, k);
  const within = d2.filter((v) => v <= bound).length;
  const sorted = Float64Array.from(d2).sort();
  let ks = 0;
  sorted.forEach((v, i) => {
    const c = chiSquareCdf(v, k);
    ks = Math.max(ks, Math.abs(c - i / sorted.length), Math.abs(c - (i + 1) / sorted.length));
  });
  const nT = input.trials;
  return {
    mahalanobisSquared: d2,
    dimension: k,
    level,
    bound,
    fractionWithin: within / nT,
    binomialSigma: Math.sqrt((level * (1 - level)) / nT),
    meanSquared: d2.reduce((s, v) => s + v, 0) / nT,
    ksStatistic: ks,
  };
}
