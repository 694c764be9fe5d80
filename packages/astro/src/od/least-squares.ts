/**
 * Batch weighted least squares for orbit determination over a generic problem: parameters p, and
 * measurements, each with observed values, their 1σ and a model that returns the computed values
 * and ∂computed/∂p at any p (Tapley, Schutz & Born, "Statistical Orbit Determination", §4.3–4.6;
 * Montenbruck & Gill, "Satellite Orbits", §8.1–8.2; the design follows Orekit's BatchLSEstimator:
 * one evaluation of every model per iteration, the parameters normalised by their scale).
 *
 * Each iteration minimises J(p) = Σ ((O − C)/σ)² + (p − p̄)ᵀ P̄⁻¹ (p − p̄) (the last term only with
 * an a-priori covariance P̄ about the initial values p̄) by a Gauss–Newton step with
 * Levenberg–Marquardt damping (Marquardt 1963, scaled form):
 *   (N + λ·diag N) δ = b,   N = Hᵀ W H + P̄⁻¹,   b = Hᵀ W (O − C) + P̄⁻¹ (p̄ − p),   W = diag σ⁻².
 * The normal matrix is first scaled to unit diagonal (D = diag(N)^−½, Ns = D N D), which removes the
 * unit disparity between km, km/s and coefficients, then factored by Cholesky. The condition number
 * of Ns (Jacobi eigenvalues) is reported; a parameter with no information at all (zero column) or a
 * condition number above `conditionLimit` refuses the problem with `OD_UNOBSERVABLE`, naming the
 * parameters that carry the near-null eigenvector(s). A step is accepted when J decreases (then
 * λ ← λ/10), else λ ← 10λ and the step is retried; λ = 0 gives pure Gauss–Newton (every step accepted).
 *
 * Convergence (both conditions on an iteration whose edit set did not change):
 *   - step: max_j |δ_j| / σ_j < `stepTolerance` (σ_j the formal 1σ of parameter j): the correction is
 *     negligible against what the data can tell; or
 *   - RMS: |WRMS_k − WRMS_{k−1}| / WRMS_k < `rmsRelativeTolerance` (WRMS the weighted RMS of the
 *     used normalised residuals), as in Orekit's and GEODYN's convergence tests.
 * When no damping can decrease J any more (10 increases of λ) the fit ends. It ends as 'stalled'
 * (converged) only when a step was accepted before and the undamped step of the last iteration was
 * already below `stepTolerance` in σ units (the minimum is reached to round-off); as 'stalled' but not
 * converged when that step was larger; and as 'model-failed' (not converged, `modelError` keeps the
 * message) when no step was ever accepted because every trial evaluation failed, or when the last
 * trial failed because the model threw. `failedEvaluations` counts the failed trial evaluations.
 *
 * Outlier editing (from iteration `editing.startIteration`, default 2, so the first step uses all
 * the data and the residuals of a poor first guess do not decide): a record (all values of one
 * measurement together) is rejected when its largest |O − C|/σ exceeds
 *   T = k · max(1, s),   s = 1.4826 · median over all values of |O − C|/σ,
 * i.e. k·σ editing as in Orekit's OutlierFilter, widened to k times the scatter of the current
 * residuals when the data scatter more than their stated σ (GEODYN edits at k times the RMS of the
 * weighted residuals; the median absolute deviation is used instead of the RMS because the RMS is
 * inflated by the very outliers it should find, so a few gross errors could mask themselves), so
 * that an understated σ does not throw away honest data. The floor: when more than
 * `maxRejectedFraction` of the records would be rejected, T is raised so that only the worst
 * max(1, ⌊fraction·m⌋) are (at least 1 when the data would still determine the parameters without
 * the largest record; ⌊fraction·m⌋ alone is 0 for m < 5 and a gross blunder could never be removed).
 * The widening s is bounded by `MAX_EDIT_WIDENING` (10): beyond that the stated σ are not the scatter
 * but the residuals of a fit still dragged by blunders (the median itself is inflated when ~30% of the
 * records are gross errors); σ understated by more than 10× then show in the variance factor, which
 * is flagged in `warnings` when above `VARIANCE_FACTOR_WARNING`. The edit set is recomputed every
 * iteration from the current residuals (a record rejected early can come back).
 * Editing never removes a parameter's last information: when the edit set would leave a parameter
 * without a-priori σ with no used record depending on it (e.g. every range of a station whose bias
 * is estimated), the records that inform it are kept for that iteration and a warning names the
 * parameter (keeping them, rather than holding the parameter fixed, leaves the problem and the
 * covariance of the same dimension, and the large residuals show in that station's statistics).
 *
 * Covariance: P = N⁻¹ at the solution (the formal covariance: realistic when the σ are the true
 * noise and the models are complete; the covariance-realism harness checks that), and the scaled
 * covariance σ̂²·P with the a-posteriori variance factor σ̂² = J / (m − n) (m used scalar values,
 * plus the a-priori ones), which absorbs mis-stated σ and unmodelled errors; prefer the scaled one
 * for real data whose σ are nominal (e.g. SLR normal points against an incomplete force model).
 */

import { AstroError } from '../errors.js';
import { wrapPi } from '../math/angle.js';
import { cholesky, choleskyInverse, choleskySolve, symmetricEigen } from './dense-linear-algebra.js';

/** One measurement as the estimator sees it. */
export interface LeastSquaresMeasurement {
  /** Kind name, for the statistics (e.g. 'range', 'azimuth-elevation'). */
  readonly kind: string;
  /** Station name, for the statistics. */
  readonly station: string;
  readonly observed: readonly number[];
  /** 1σ of each value, same unit; must be > 0. */
  readonly sigmas: readonly number[];
  /** Components whose residual is an angle to wrap to (−π, π] (azimuth, right ascension). */
  readonly wrap?: readonly boolean[];
}

/** A model's output for one measurement at parameters p. */
export interface LeastSquaresPrediction {
  /** Computed values, same order and units as the observed ones. */
  readonly values: ArrayLike<number>;
  /** ∂values/∂p, row-major (values.length × parameter count). */
  readonly partials: ArrayLike<number>;
}

/** One estimated parameter. */
export interface LeastSquaresParameter {
  readonly name: string;
  /** Initial (and a-priori) value. */
  readonly value: number;
  /** A-priori 1σ, same unit; absent: no a-priori information on this parameter. */
  readonly aprioriSigma?: number;
}

/** A least-squares problem. */
export interface LeastSquaresProblem {
  readonly parameters: readonly LeastSquaresParameter[];
  /** Full a-priori covariance about the initial values (n×n row-major); replaces the aprioriSigma. */
  readonly aprioriCovariance?: ArrayLike<number>;
  readonly measurements: readonly LeastSquaresMeasurement[];
  /**
   * Every model at parameters p: one prediction per measurement, in order. May throw (e.g. a
   * propagation that fails for a wild trial step); during a damped step that counts as a failed step.
   */
  evaluate(p: Float64Array): readonly LeastSquaresPrediction[];
}

/** Outlier editing options (see the module header). */
export interface OutlierEditingOptions {
  /** Rejection threshold in σ (default 3). */
  readonly k?: number;
  /** First iteration that edits (default 2). */
  readonly startIteration?: number;
  /** Largest fraction of records rejected (default 0.2). */
  readonly maxRejectedFraction?: number;
}

/** Options of `solveLeastSquares`. */
export interface LeastSquaresOptions {
  /** Iteration cap (default 25). */
  readonly maxIterations?: number;
  /** Relative change of the weighted RMS that ends the fit (default 1e-4). */
  readonly rmsRelativeTolerance?: number;
  /** Largest step in formal σ of each parameter that ends the fit (default 1e-3). */
  readonly stepTolerance?: number;
  /** Initial Levenberg–Marquardt λ on the unit-diagonal normal matrix (default 1e-3; 0: Gauss–Newton). */
  readonly initialDamping?: number;
  /** Outlier editing; false: none (default: enabled with its defaults). */
  readonly editing?: OutlierEditingOptions | false;
  /** Largest accepted condition number of the scaled normal matrix (default 1e12). */
  readonly conditionLimit?: number;
}

/** Defaults of `LeastSquaresOptions`, for documentation and callers. */
export const LEAST_SQUARES_DEFAULTS = {
  maxIterations: 25,
  rmsRelativeTolerance: 1e-4,
  stepTolerance: 1e-3,
  initialDamping: 1e-3,
  editK: 3,
  editStartIteration: 2,
  maxRejectedFraction: 0.2,
  conditionLimit: 1e12,
} as const;

/** Residuals of one measurement at the solution. */
export interface LeastSquaresResidual {
  readonly index: number;
  readonly kind: string;
  readonly station: string;
  /** Computed − observed, per value, in the measurement's unit. */
  readonly residuals: readonly number[];
  /** (computed − observed)/σ per value. */
  readonly normalized: readonly number[];
  readonly rejected: boolean;
}

/** Residual statistics of a group of measurements (used records only, except `rejected`). */
export interface ResidualStatistics {
  /** Used records. */
  readonly count: number;
  readonly rejected: number;
  /** RMS of the raw residuals, in the kind's unit (NaN for a group that mixes kinds). */
  readonly rms: number;
  /** Mean of the raw residuals (NaN for a group that mixes kinds). */
  readonly mean: number;
  /** RMS of the normalised residuals. */
  readonly normalizedRms: number;
}

/** Statistics per station, with its per-kind breakdown. */
export interface StationStatistics extends ResidualStatistics {
  readonly byKind: Readonly<Record<string, ResidualStatistics>>;
}

/** One line of the iteration history. */
export interface LeastSquaresIteration {
  readonly iteration: number;
  /** Weighted RMS of the used records after the step. */
  readonly weightedRms: number;
  /** J after the step. */
  readonly cost: number;
  readonly rejected: number;
  /** λ used for the accepted step. */
  readonly damping: number;
  /** Largest |δ_j|/σ_j of the step. */
  readonly stepSigma: number;
  readonly conditionNumber: number;
  readonly parameters: readonly number[];
}

/** How the fit ended. */
export type LeastSquaresConvergence = 'step' | 'rms' | 'stalled' | 'model-failed' | 'max-iterations';

/** Bound of the edit-threshold widening factor (see the module header). */
export const MAX_EDIT_WIDENING = 10;

/**
 * A converged fit whose a-posteriori variance factor exceeds this gets a warning: residuals 3× their
 * stated σ on average (for a correct model, χ²/dof > 9 has probability 0.27% at dof = 1 and far less
 * above).
 */
export const VARIANCE_FACTOR_WARNING = 9;

/** Result of `solveLeastSquares`. */
export interface LeastSquaresResult {
  readonly parameterNames: readonly string[];
  readonly estimate: Float64Array;
  /** Formal covariance N⁻¹ (n×n row-major). */
  readonly covariance: Float64Array;
  /** σ̂²·N⁻¹. */
  readonly scaledCovariance: Float64Array;
  /** σ̂² = J/(m − n). */
  readonly varianceFactor: number;
  /** Formal 1σ of each parameter. */
  readonly sigmas: Float64Array;
  /** Condition number of the scaled normal matrix at the solution. */
  readonly conditionNumber: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly convergence: LeastSquaresConvergence;
  readonly weightedRms: number;
  readonly residuals: readonly LeastSquaresResidual[];
  readonly rejectedCount: number;
  readonly statisticsByKind: Readonly<Record<string, ResidualStatistics>>;
  readonly statisticsByStation: Readonly<Record<string, StationStatistics>>;
  readonly history: readonly LeastSquaresIteration[];
  /** Trial evaluations that failed (model threw or gave non-finite values). */
  readonly failedEvaluations: number;
  /** Message of the last model error during a trial step, when there was one. */
  readonly modelError?: string;
  /** Things a caller should know about a result (large variance factor, records kept by editing). */
  readonly warnings: readonly string[];
}

interface Evaluation {
  readonly p: Float64Array;
  /** O − C per record. */
  readonly res: Float64Array[];
  readonly pred: readonly LeastSquaresPrediction[];
}

/**
 * Solves a least-squares problem (see the module header). Throws `OD_BAD_INPUT` (no parameters,
 * σ ≤ 0, a model output of the wrong size), `OD_TOO_FEW_MEASUREMENTS` (fewer scalar values plus
 * a-priori constraints than parameters), `OD_UNOBSERVABLE` (details.parameters names the
 * unobservable ones), `OD_MODEL_FAILED` (non-finite model values at the initial parameters), and
 * whatever the model throws at the initial parameters (during a trial step a throw only rejects
 * the step, except `OD_BAD_INPUT`).
 */
export function solveLeastSquares(
  problem: LeastSquaresProblem,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const names = problem.parameters.map((q) => q.name);
  const n = names.length;
  const ms = problem.measurements;
  if (n === 0) throw new AstroError('OD_BAD_INPUT', 'no parameters to estimate', {});
  for (const [i, m] of ms.entries()) {
    if (!m.observed.every(Number.isFinite)) {
      throw new AstroError('OD_BAD_INPUT', `measurement ${i}: observed values must be finite`, {
        index: i,
        found: m.observed.join(','),
      });
    }
    if (m.observed.length !== m.sigmas.length || m.sigmas.some((s) => !(s > 0 && Number.isFinite(s)))) {
      throw new AstroError('OD_BAD_INPUT', `measurement ${i}: every value needs a finite σ > 0`, {
        index: i,
        expected: `${m.observed.length} sigmas > 0`,
        found: m.sigmas.join(','),
      });
    }
  }
  const maxIt = options.maxIterations ?? LEAST_SQUARES_DEFAULTS.maxIterations;
  const tolRms = options.rmsRelativeTolerance ?? LEAST_SQUARES_DEFAULTS.rmsRelativeTolerance;
  const tolStep = options.stepTolerance ?? LEAST_SQUARES_DEFAULTS.stepTolerance;
  const condLimit = options.conditionLimit ?? LEAST_SQUARES_DEFAULTS.conditionLimit;
  const editing = options.editing === false ? undefined : (options.editing ?? {});
  const editK = editing?.k ?? LEAST_SQUARES_DEFAULTS.editK;
  const editStart = editing?.startIteration ?? LEAST_SQUARES_DEFAULTS.editStartIteration;
  const maxFrac = editing?.maxRejectedFraction ?? LEAST_SQUARES_DEFAULTS.maxRejectedFraction;

  // A-priori information matrix.
  const p0 = Float64Array.from(problem.parameters, (q) => q.value);
  let aprInfo: Float64Array | undefined;
  let aprCount = 0;
  if (problem.aprioriCovariance !== undefined) {
    const l = cholesky(problem.aprioriCovariance, n);
    if (l === undefined) {
      throw new AstroError('OD_BAD_INPUT', 'the a-priori covariance is not positive definite', {});
    }
    aprInfo = choleskyInverse(l, n);
    aprCount = n;
  } else if (problem.parameters.some((q) => q.aprioriSigma !== undefined)) {
    aprInfo = new Float64Array(n * n);
    problem.parameters.forEach((q, j) => {
      if (q.aprioriSigma === undefined) return;
      if (!(q.aprioriSigma > 0)) {
        throw new AstroError('OD_BAD_INPUT', `parameter ${q.name}: a-priori σ must be > 0`, {
          parameter: q.name,
          found: q.aprioriSigma,
        });
      }
      aprInfo![j * n + j] = 1 / (q.aprioriSigma * q.aprioriSigma);
      aprCount++;
    });
  }
  const scalarCount = ms.reduce((s, m) => s + m.observed.length, 0);
  if (scalarCount + aprCount < n) {
    throw new AstroError(
      'OD_TOO_FEW_MEASUREMENTS',
      `${scalarCount} measured values and ${aprCount} a-priori constraints cannot determine ${n} parameters`,
      { expected: `at least ${n}`, found: scalarCount + aprCount },
    );
  }

  let failedEvaluations = 0;
  let modelError: string | undefined;
  let lastTrialThrew = false;
  const warnings: string[] = [];
  /** The models at p; undefined when they throw (trial steps only) or give non-finite values. */
  const evaluate = (p: Float64Array, trial = true): Evaluation | undefined => {
    let pred: readonly LeastSquaresPrediction[];
    lastTrialThrew = false;
    try {
      pred = problem.evaluate(p);
    } catch (e) {
      if (!trial || (e instanceof AstroError && e.code === 'OD_BAD_INPUT')) throw e;
      failedEvaluations++;
      lastTrialThrew = true;
      modelError = e instanceof Error ? e.message : String(e);
      return undefined;
    }
    if (pred.length !== ms.length) {
      throw new AstroError(
        'OD_BAD_INPUT',
        'the model returned a prediction count unlike the measurement count',
        {
          expected: ms.length,
          found: pred.length,
        },
      );
    }
    const res: Float64Array[] = [];
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      const pr = pred[i]!;
      const k = m.observed.length;
      if (pr.values.length !== k || pr.partials.length !== k * n) {
        throw new AstroError('OD_BAD_INPUT', `measurement ${i}: the model output has the wrong size`, {
          index: i,
          expected: `${k} values and ${k * n} partials`,
          found: `${pr.values.length} values and ${pr.partials.length} partials`,
        });
      }
      const r = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        let d = m.observed[j]! - pr.values[j]!;
        if (m.wrap?.[j] === true) d = wrapPi(d);
        r[j] = d;
        if (!Number.isFinite(d)) {
          failedEvaluations++;
          return undefined;
        }
      }
      for (let j = 0; j < k * n; j++) {
        if (!Number.isFinite(pr.partials[j]!)) {
          failedEvaluations++;
          return undefined;
        }
      }
      res.push(r);
    }
    return { p: Float64Array.from(p), res, pred };
  };

  const normalizedMax = (ev: Evaluation, i: number): number => {
    const m = ms[i]!;
    let z = 0;
    ev.res[i]!.forEach((r, j) => {
      z = Math.max(z, Math.abs(r / m.sigmas[j]!));
    });
    return z;
  };
  const costOf = (ev: Evaluation, rejected: Uint8Array): { cost: number; wrms: number; used: number } => {
    let s = 0;
    let used = 0;
    for (let i = 0; i < ms.length; i++) {
      if (rejected[i] === 1) continue;
      const m = ms[i]!;
      ev.res[i]!.forEach((r, j) => {
        const z = r / m.sigmas[j]!;
        s += z * z;
        used++;
      });
    }
    const wrms = used > 0 ? Math.sqrt(s / used) : 0;
    if (aprInfo !== undefined) {
      const d = Float64Array.from(ev.p, (v, j) => v - p0[j]!);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) s += d[a]! * aprInfo[a * n + b]! * d[b]!;
    }
    return { cost: s, wrms, used };
  };

  const normal = (ev: Evaluation, rejected: Uint8Array): { N: Float64Array; b: Float64Array } => {
    const N = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let i = 0; i < ms.length; i++) {
      if (rejected[i] === 1) continue;
      const m = ms[i]!;
      const h = ev.pred[i]!.partials;
      const r = ev.res[i]!;
      for (let j = 0; j < r.length; j++) {
        const w = 1 / (m.sigmas[j]! * m.sigmas[j]!);
        const row = j * n;
        for (let a = 0; a < n; a++) {
          const ha = h[row + a]! * w;
          if (ha === 0) continue;
          b[a] = b[a]! + ha * r[j]!;
          for (let c = a; c < n; c++) N[a * n + c] = N[a * n + c]! + ha * h[row + c]!;
        }
      }
    }
    for (let a = 0; a < n; a++) for (let c = 0; c < a; c++) N[a * n + c] = N[c * n + a]!;
    if (aprInfo !== undefined) {
      for (let a = 0; a < n; a++) {
        for (let c = 0; c < n; c++) {
          N[a * n + c] = N[a * n + c]! + aprInfo[a * n + c]!;
          b[a] = b[a]! + aprInfo[a * n + c]! * (p0[c]! - ev.p[c]!);
        }
      }
    }
    return { N, b };
  };

  /** Scales N to unit diagonal, checks observability, returns D, Ns and the condition number. */
  const scaled = (N: Float64Array): { d: Float64Array; ns: Float64Array; cond: number } => {
    const d = new Float64Array(n);
    const dead: string[] = [];
    for (let a = 0; a < n; a++) {
      const v = N[a * n + a]!;
      if (!(v > 0) || !Number.isFinite(v)) dead.push(names[a]!);
      else d[a] = 1 / Math.sqrt(v);
    }
    if (dead.length > 0) {
      throw new AstroError(
        'OD_UNOBSERVABLE',
        `no measurement (nor a-priori) depends on ${dead.join(', ')}: fix or remove them`,
        { parameters: dead },
      );
    }
    const ns = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) ns[a * n + c] = N[a * n + c]! * d[a]! * d[c]!;
    const eig = symmetricEigen(ns, n);
    const lmax = eig.values[n - 1]!;
    const lmin = eig.values[0]!;
    const cond = lmin > 0 ? lmax / lmin : Number.POSITIVE_INFINITY;
    if (!(cond <= condLimit)) {
      const involved = new Set<string>();
      for (let k = 0; k < n && !(eig.values[k]! * condLimit > lmax); k++) {
        let big = 0;
        for (let a = 0; a < n; a++) big = Math.max(big, Math.abs(eig.vectors[a * n + k]!));
        for (let a = 0; a < n; a++) {
          if (Math.abs(eig.vectors[a * n + k]!) >= 0.3 * big) involved.add(names[a]!);
        }
      }
      const list = [...involved];
      throw new AstroError(
        'OD_UNOBSERVABLE',
        `the measurements cannot separate ${list.join(', ')} (condition number ${cond.toExponential(2)} above ${condLimit.toExponential(0)}): add measurements, an a-priori σ, or fix one of them`,
        { parameters: list, conditionNumber: cond },
      );
    }
    return { d, ns, cond };
  };

  const solveDamped = (ns: Float64Array, d: Float64Array, b: Float64Array, lambda: number): Float64Array => {
    const a = Float64Array.from(ns);
    for (let j = 0; j < n; j++) a[j * n + j] = a[j * n + j]! * (1 + lambda);
    const l = cholesky(a, n);
    if (l === undefined) {
      throw new AstroError('OD_UNOBSERVABLE', 'the normal matrix is not positive definite', {
        parameters: names,
      });
    }
    const bs = Float64Array.from(b, (v, j) => v * d[j]!);
    const xs = choleskySolve(l, bs, n);
    return Float64Array.from(xs, (v, j) => v * d[j]!);
  };

  const formalSigmas = (ns: Float64Array, d: Float64Array): { cov: Float64Array; sig: Float64Array } => {
    const l = cholesky(ns, n);
    if (l === undefined) {
      throw new AstroError('OD_UNOBSERVABLE', 'the normal matrix is not positive definite', {
        parameters: names,
      });
    }
    const inv = choleskyInverse(l, n);
    const cov = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) cov[a * n + c] = inv[a * n + c]! * d[a]! * d[c]!;
    return { cov, sig: Float64Array.from({ length: n }, (_, j) => Math.sqrt(cov[j * n + j]!)) };
  };

  let ev = evaluate(p0, false);
  if (ev === undefined) {
    throw new AstroError(
      'OD_MODEL_FAILED',
      'the measurement model gave non-finite values at the initial parameters',
      {
        parameters: Object.fromEntries(names.map((nm, j) => [nm, p0[j]])),
      },
    );
  }
  let rejected: Uint8Array = new Uint8Array(ms.length);
  let lambda = options.initialDamping ?? LEAST_SQUARES_DEFAULTS.initialDamping;
  const history: LeastSquaresIteration[] = [];
  let convergence: LeastSquaresConvergence = 'max-iterations';
  let stalledAtMinimum = false;
  let iterations = 0;
  let acceptedSteps = 0;
  const keptWarned = new Set<string>();
  for (let it = 1; it <= maxIt; it++) {
    iterations = it;
    let editChanged = false;
    if (editing !== undefined && it >= editStart) {
      const next = editSet(ev);
      editChanged = next.some((v, i) => v !== rejected[i]);
      rejected = next;
    } else if (editing !== undefined) {
      editChanged = true; // editing has not started: not yet a converged edit set
    }
    const before = costOf(ev, rejected);
    const { N, b } = normal(ev, rejected);
    const { d, ns, cond } = scaled(N);
    const { sig } = formalSigmas(ns, d);
    let accepted: Evaluation | undefined;
    let step: Float64Array = new Float64Array(n);
    let usedLambda = lambda;
    let firstStepSigma = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries <= 10; tries++) {
      usedLambda = lambda;
      step = solveDamped(ns, d, b, lambda);
      if (tries === 0) {
        firstStepSigma = 0;
        for (let j = 0; j < n; j++) firstStepSigma = Math.max(firstStepSigma, Math.abs(step[j]!) / sig[j]!);
      }
      const trial = evaluate(Float64Array.from(ev.p, (v, j) => v + step[j]!));
      if (trial !== undefined && (lambda === 0 || costOf(trial, rejected).cost <= before.cost)) {
        accepted = trial;
        lambda = lambda / 10;
        break;
      }
      lambda = lambda === 0 ? 1e-3 : lambda * 10;
    }
    if (accepted === undefined) {
      convergence = acceptedSteps === 0 || lastTrialThrew ? 'model-failed' : 'stalled';
      stalledAtMinimum = convergence === 'stalled' && !editChanged && firstStepSigma < tolStep;
      history.push({
        iteration: it,
        weightedRms: before.wrms,
        cost: before.cost,
        rejected: count(rejected),
        damping: usedLambda,
        stepSigma: 0,
        conditionNumber: cond,
        parameters: Array.from(ev.p),
      });
      break;
    }
    ev = accepted;
    acceptedSteps++;
    const after = costOf(ev, rejected);
    let stepSigma = 0;
    for (let j = 0; j < n; j++) stepSigma = Math.max(stepSigma, Math.abs(step[j]!) / sig[j]!);
    history.push({
      iteration: it,
      weightedRms: after.wrms,
      cost: after.cost,
      rejected: count(rejected),
      damping: usedLambda,
      stepSigma,
      conditionNumber: cond,
      parameters: Array.from(ev.p),
    });
    const rmsChange = Math.abs(after.wrms - before.wrms) / Math.max(after.wrms, 1e-300);
    if (!editChanged && stepSigma < tolStep) {
      convergence = 'step';
      break;
    }
    if (!editChanged && rmsChange < tolRms) {
      convergence = 'rms';
      break;
    }
  }

  // Covariance and statistics at the solution.
  const final = costOf(ev, rejected);
  const { N } = normal(ev, rejected);
  const { d, ns, cond } = scaled(N);
  const { cov, sig } = formalSigmas(ns, d);
  const dof = final.used + aprCount - n;
  const varianceFactor = dof > 0 ? final.cost / dof : Number.NaN;
  const scaledCov = Float64Array.from(cov, (v) => v * (Number.isFinite(varianceFactor) ? varianceFactor : 1));
  const converged =
    convergence === 'step' || convergence === 'rms' || (convergence === 'stalled' && stalledAtMinimum);
  if (converged && varianceFactor > VARIANCE_FACTOR_WARNING) {
    warnings.push(
      `a-posteriori variance factor ${varianceFactor.toPrecision(3)} above ${VARIANCE_FACTOR_WARNING}: residuals far above their σ (blunders left in, an understated σ or a missing model term)`,
    );
  }
  const residuals: LeastSquaresResidual[] = ms.map((m, i) => {
    const r = Array.from(ev.res[i]!, (v) => -v);
    return {
      index: i,
      kind: m.kind,
      station: m.station,
      residuals: r,
      normalized: r.map((v, j) => v / m.sigmas[j]!),
      rejected: rejected[i] === 1,
    };
  });
  const byKind = groupStats(residuals, (r) => r.kind);
  const byStationBase = groupStats(residuals, (r) => r.station);
  const statisticsByStation: Record<string, StationStatistics> = {};
  for (const [st, s] of Object.entries(byStationBase)) {
    statisticsByStation[st] = {
      ...s,
      byKind: groupStats(
        residuals.filter((r) => r.station === st),
        (r) => r.kind,
      ),
    };
  }
  return {
    parameterNames: names,
    estimate: Float64Array.from(ev.p),
    covariance: cov,
    scaledCovariance: scaledCov,
    varianceFactor,
    sigmas: sig,
    conditionNumber: cond,
    iterations,
    converged,
    convergence,
    weightedRms: final.wrms,
    residuals,
    rejectedCount: count(rejected),
    statisticsByKind: byKind,
    statisticsByStation,
    history,
    failedEvaluations,
    ...(modelError !== undefined ? { modelError } : {}),
    warnings,
  };

  function editSet(e: Evaluation): Uint8Array {
    const z = ms.map((_, i) => normalizedMax(e, i));
    const all: number[] = [];
    ms.forEach((m, i) => {
      e.res[i]!.forEach((r, j) => {
        all.push(Math.abs(r / m.sigmas[j]!));
      });
    });
    all.sort((a, b) => a - b);
    const mid = all.length >> 1;
    const median = all.length % 2 === 1 ? all[mid]! : 0.5 * (all[mid - 1]! + all[mid]!);
    let threshold = editK * Math.min(MAX_EDIT_WIDENING, Math.max(1, MAD_TO_SIGMA * median));
    const over = z.filter((v) => v > threshold).length;
    const largestRecord = ms.reduce((mx, m) => Math.max(mx, m.observed.length), 0);
    const oneFewerSolvable = scalarCount - largestRecord + aprCount >= n;
    const cap = Math.max(oneFewerSolvable ? 1 : 0, Math.floor(maxFrac * ms.length));
    if (over > cap) {
      const sorted = [...z].sort((a, b) => b - a);
      threshold = sorted[cap] ?? threshold;
    }
    const out = Uint8Array.from(z, (v) => (v > threshold ? 1 : 0));
    keepLastInformation(e, out);
    return out;
  }

  /** Un-rejects the records of any parameter (without a-priori) that editing left with no information. */
  function keepLastInformation(e: Evaluation, out: Uint8Array): void {
    for (let a = 0; a < n; a++) {
      if (aprInfo !== undefined && aprInfo[a * n + a]! > 0) continue;
      const informs = (i: number): boolean => {
        const h = e.pred[i]!.partials;
        for (let j = 0; j < ms[i]!.observed.length; j++) if (h[j * n + a] !== 0) return true;
        return false;
      };
      let used = false;
      for (let i = 0; i < ms.length && !used; i++) used = out[i] === 0 && informs(i);
      if (used) continue;
      let kept = 0;
      for (let i = 0; i < ms.length; i++) {
        if (out[i] === 1 && informs(i)) {
          out[i] = 0;
          kept++;
        }
      }
      if (kept > 0 && !keptWarned.has(names[a]!)) {
        keptWarned.add(names[a]!);
        warnings.push(
          `editing would have rejected every record that informs ${names[a]} (${kept} kept): its residuals are suspect`,
        );
      }
    }
  }
}

/** σ of a normal distribution over its median absolute deviation, 1/Φ⁻¹(3/4). */
const MAD_TO_SIGMA = 1.4826;

function count(a: Uint8Array): number {
  let c = 0;
  for (const v of a) c += v;
  return c;
}

function groupStats(
  residuals: readonly LeastSquaresResidual[],
  key: (r: LeastSquaresResidual) => string,
): Record<string, ResidualStatistics> {
  const groups = new Map<string, LeastSquaresResidual[]>();
  for (const r of residuals) {
    const k = key(r);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  const out: Record<string, ResidualStatistics> = {};
  for (const [k, g] of groups) {
    const used = g.filter((r) => !r.rejected);
    const oneKind = new Set(g.map((r) => r.kind)).size === 1;
    let s2 = 0;
    let s1 = 0;
    let z2 = 0;
    let c = 0;
    for (const r of used) {
      r.residuals.forEach((v, j) => {
        s2 += v * v;
        s1 += v;
        z2 += r.normalized[j]! * r.normalized[j]!;
        c++;
      });
    }
    out[k] = {
      count: used.length,
      rejected: g.length - used.length,
      rms: oneKind && c > 0 ? Math.sqrt(s2 / c) : Number.NaN,
      mean: oneKind && c > 0 ? s1 / c : Number.NaN,
      normalizedRms: c > 0 ? Math.sqrt(z2 / c) : Number.NaN,
    };
  }
  return out;
}
