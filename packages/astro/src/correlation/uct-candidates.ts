/**
 * Candidate objects from uncorrelated tracks (UCTs): tracks of the same unknown object are joined
 * and fitted together, so that a new debris cloud or an undeclared manoeuvre shows up as orbits,
 * not as loose tracks.
 *
 * 1. Each track gets its own orbit: initial orbit determination on the track (od/first-guess.ts
 *    `iodTrackByTrack`: Gibbs/Herrick–Gibbs for radar positions, Gooding/Gauss for angles) refined
 *    by least squares on that track alone (`fitNumericalOrbit`, no outlier editing, like the joint
 *    fits: the merge test compares their χ²), which gives the state at the
 *    track's IOD epoch and its covariance (scaled by the variance factor when that exceeds 1).
 *    A track whose IOD or fit fails stays single.
 * 2. Association, greedy in time order (the track-to-track association of Vallado & Griesbach,
 *    "Simulating Space Surveillance Networks", AAS 11-580, and of the UCT processing described by
 *    Hill et al., "Dynamic Tasking of Networked Sensors using Covisibility", both gate a state
 *    prediction against a track's own estimate): the earliest unused track with an orbit seeds a
 *    cluster; the cluster's orbit is propagated with its state transition matrix to the epoch of
 *    every other unused track, and the 6-D state difference is tested by
 *    d = Δxᵀ (Φ P Φᵀ + P_j)⁻¹ Δx ≤ `gateInflation` · χ²₆(`gateProbability`). The linear mapping
 *    of the covariance understates the curved (in-track) error of a one-track orbit hours later,
 *    hence the inflation, generous by default: the gate only spares joint fits that cannot pass.
 *    A track whose own orbit is worse determined than the cluster's (larger position variance: a
 *    60 s angles-only track against radar ones) and fails that gate gets a second, measurement-space
 *    gate: its measurements against the cluster's prediction, d = rᵀ (G P Gᵀ + R)⁻¹ r with G = HΦ,
 *    against the same inflation times χ²ₙ(`gateProbability`), n the number of values. A one-track
 *    angles-only orbit may lie far off in range while its measurements fit.
 *    Passing tracks are tried in order of increasing d and each is confirmed by a joint fit of the
 *    cluster's measurements and the track's, started from the better-determined of the two orbits
 *    (then from the other if that fit does not converge). The joint fit edits
 *    no measurement (an outlier editor could reject a foreign track's measurements and hide it), so
 *    its χ² is the plain weighted sum of squares, and the track joins when
 *    - the fit converges and its variance factor χ²/n (n the degrees of freedom) is below the
 *      `fitProbability` quantile of χ²(n)/n: the residuals agree with the measurement sigmas;
 *    - the merge test: the joint χ² exceeds the sum of the two separate fits' χ² by at most the
 *      `fitProbability` quantile of χ²(k), k the parameters the join saves. Two sets of
 *      measurements of one object, each fitted by its own six parameters, cost Δχ² ~ χ²(6) when
 *      forced through one orbit (the test of Chow, Econometrica 28(3), 1960, with known σ); with
 *      B* in the joint fit, k = 6 + 6 − 7 = 5. This k assumes full-rank separate fits, each
 *      determining its six parameters. A 60 s angles-only track does not (its range and
 *      in-track velocity are barely determined, so its own fit spends fewer effective degrees of
 *      freedom): the effective k is then lower than the k used, and the test is permissive there
 *      (the variance-factor test still applies).
 *    The loop repeats until no track joins.
 * 3. Clusters are merged pairwise by the same gates (cluster against cluster) and the same two
 *    tests on the joint fit of both clusters' measurements, until no pair merges: the
 *    greedy pass of step 2 can leave one object in two clusters when an early track did not yet
 *    pass against a one-track orbit.
 * 4. A cluster of at least `minTracks` tracks is a candidate (its joint fit: state, covariance,
 *    residual RMS); the tracks of smaller clusters are returned as single.
 * Two objects close together (fragments of one parent) give tracks that each fit the other's
 * prediction while the orbits are still uncertain; the joint fit, whose residuals would then have
 * to absorb the difference of two trajectories, is what keeps them apart.
 *
 * Joint fits: numerical (`fitNumericalOrbit` under `forceModels`, default) or SGP4 differential
 * correction (`fitSgp4`: the six elements with B* at 0, then, when that fails the tests, with B*;
 * `jointFit: 'sgp4'`), whose element set is then a catalog entry for the candidate. A fit with B*
 * held at 0 has no drag uncertainty in its covariance: in the unit test (SGP4 truth with drag) such
 * a candidate's state was 13 m from the truth but outside its covariance (d² = 372). The χ² tests assume that the fit's dynamics follow the object over the
 * arc to well within the measurement noise. Model error (no drag, or SGP4's own theory error,
 * against 10–20 m radar ranges over several hours) raises the joint χ², so it splits one object
 * into several candidates; it does not merge two.
 *
 * Limits: the greedy join never revisits a decision (a wrong early join is not undone, but the
 * variance-factor test makes one unlikely); the cost is one STM propagation per cluster and round
 * and one joint fit per tested pair, which suits the UCTs of one night (tens to hundreds of
 * tracks), not a whole catalog's tracks. A track needs an orbit of its own (IOD and a fit on the
 * track alone) to take part: a short angles-only track whose fit does not converge stays single,
 * and two angles-only tracks are joined only when their own orbits gate each other or a better
 * orbit predicts them (no IOD across tracks yet). Two objects on one orbit (a launch's train),
 * seen once each, are fitted by one orbit: nothing in two short tracks tells them apart.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { transform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import { chiSquareQuantile } from '../math/chi-square.js';
import type { ForceModel } from '../numerical/force-model.js';
import { type NumericalPropagationOptions, propagateNumerical } from '../numerical/propagate.js';
import { predictMeasurement } from '../observations/measurement-model.js';
import type { GroundStation, Measurement } from '../observations/observation.js';
import { keplerTargetEphemeris } from '../observations/targets.js';
import { sgp4StateCovariance } from '../od/covariance-map.js';
import { cholesky, choleskySolve } from '../od/dense-linear-algebra.js';
import { iodTrackByTrack } from '../od/first-guess.js';
import type { LeastSquaresOptions, LeastSquaresResult } from '../od/least-squares.js';
import { blankElements } from '../od/mean-elements-fit.js';
import { fitNumericalOrbit, type NumericalMeasurementModel, wrappedComponents } from '../od/numerical-od.js';
import { fitSgp4 } from '../od/sgp4-fit.js';
import { utcLabelOfInstant } from '../sgp4/epoch-time.js';
import { fitSgp4ElementsToState } from '../sgp4/state-fit.js';
import type { Instant } from '../time/instant.js';
import type { Track } from './track.js';

/** Default least number of tracks of a candidate. */
export const UCT_MIN_TRACKS = 2;
/** Default probability of the association gate (6 degrees of freedom). */
export const UCT_GATE_PROBABILITY = 0.9999;
/**
 * Default inflation of the association gate: a heuristic pre-filter factor, chosen by hand, that
 * multiplies the χ²₆ quantile of `gateProbability`; the gate's threshold is then no longer a
 * quantile of any distribution and `gateProbability` is not the probability of passing it. The
 * linearly mapped covariance of a one-track orbit understates its in-track error hours later (the
 * error is curved), so the gate is generous: it only spares joint fits that cannot pass; the
 * joint fit's tests are the real ones. (Measured on the simulated LEO radar tracks of the CLI test:
 * one-track orbits of one object hours apart reached d ≈ 2,400, above even this gate; such a track
 * joins later, against a cluster of several tracks.)
 */
export const UCT_GATE_INFLATION = 25;
/** Default probability of the joint fit's χ² tests (variance factor against χ²(n)/n; merge Δχ² against χ²(k)). */
export const UCT_FIT_PROBABILITY = 0.9999;

/** Options of `buildUctCandidates`. */
export interface UctCandidateOptions {
  readonly ctx: AstroContext;
  /** The stations of the tracks, by name. */
  readonly stations: ReadonlyMap<string, GroundStation>;
  /** Forces of the per-track fits, of the gate's propagation and of numerical joint fits. */
  readonly forceModels: readonly ForceModel[];
  /** Propagator options (tolerances); the STM is switched on where needed. */
  readonly propagation?: Omit<NumericalPropagationOptions, 'stm' | 'keepDense' | 'events'>;
  /**
   * Measurement model of the fits; default: `predictMeasurement` of the stations with light time
   * and the troposphere given by `troposphere`.
   */
  readonly measurementModel?: NumericalMeasurementModel;
  /** Troposphere of the default model per measurement (default 'none'). */
  readonly troposphere?: (m: Measurement) => 'none' | 'optical' | 'radio';
  /** Dynamics of the joint fits: 'numerical' (`forceModels`, default) or 'sgp4' (elements and B*). */
  readonly jointFit?: 'numerical' | 'sgp4';
  /** Least number of tracks of a candidate, a whole number ≥ 2; default UCT_MIN_TRACKS. */
  readonly minTracks?: number;
  /** Association gate probability; default UCT_GATE_PROBABILITY. */
  readonly gateProbability?: number;
  /** Association gate inflation; default UCT_GATE_INFLATION. */
  readonly gateInflation?: number;
  /** Probability of the joint fit's χ² tests; default UCT_FIT_PROBABILITY. */
  readonly fitProbability?: number;
  /** Fixed largest variance factor of a joint fit, positive (overrides `fitProbability` for that test). */
  readonly maxVarianceFactor?: number;
  /**
   * Least-squares options of the fits (default astro's), with outlier editing switched off in
   * every fit, per-track and joint (see the module header).
   */
  readonly leastSquares?: LeastSquaresOptions;
}

/** One track's own orbit. */
export interface UctTrackOrbit {
  readonly track: Track;
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  /** 6×6 km, km/s, scaled by the variance factor when above 1. */
  readonly covariance: Float64Array;
  readonly method: string;
  /** χ² of its own fit (no measurement edited). */
  readonly chi2: number;
}

/** A candidate object: tracks joined and fitted together. */
export interface UctObjectCandidate {
  /** `uct-N`, N from 1 in order of the first track. */
  readonly id: string;
  /** The tracks, in time order. */
  readonly tracks: readonly Track[];
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  /** 6×6 km, km/s, scaled by the variance factor when above 1. */
  readonly covariance: Float64Array;
  readonly varianceFactor: number;
  /** The variance factor's limit it passed. */
  readonly maxVarianceFactor: number;
  /** Residual RMS per measurement kind, in the measurements' units (km, km/s, rad). */
  readonly rmsByKind: Readonly<Record<string, number>>;
  readonly measurements: number;
  readonly rejected: number;
  readonly solution: LeastSquaresResult;
  /** The fitted SGP4 element set (joint fits 'sgp4' only). */
  readonly elements: ElementSet | undefined;
}

/** A track left single, and why. */
export interface UctSingleTrack {
  readonly track: Track;
  /** Its own orbit, when it has one. */
  readonly orbit: UctTrackOrbit | undefined;
  readonly reason: string;
}

/** Result of `buildUctCandidates`. */
export interface UctCandidateResult {
  readonly candidates: readonly UctObjectCandidate[];
  readonly single: readonly UctSingleTrack[];
  /** Joint fits run (confirmations tried). */
  readonly jointFits: number;
}

function defaultModel(options: UctCandidateOptions): NumericalMeasurementModel {
  return (m, state, t) => {
    const station = options.stations.get(m.station);
    if (station === undefined)
      throw new AstroError('OD_UNKNOWN_STATION', `station ${m.station} is not among the stations given`, {
        station: m.station,
      });
    const p = predictMeasurement(m.kind, station, keplerTargetEphemeris(state.rKm, state.vKmS, t), m.epoch, {
      ctx: options.ctx,
      path: m.path,
      timeTag: m.timeTag,
      troposphere: options.troposphere?.(m) ?? 'none',
      ...(m.frame === 'EME2000' ? { frame: 'EME2000' as const } : {}),
    });
    return { values: p.values, dState: p.partials.flat() };
  };
}

function byEpoch(a: Measurement, b: Measurement): number {
  return a.epoch.compare(b.epoch);
}

function firstEpoch(t: Track): Instant {
  return (t.measurements[0] as Measurement).epoch;
}

/** Residual RMS per kind over the accepted residuals. */
function rmsByKind(solution: LeastSquaresResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, s] of Object.entries(solution.statisticsByKind)) out[kind] = s.rms;
  return out;
}

function scaled(cov: Float64Array, vf: number): Float64Array {
  return vf > 1 ? cov.map((x) => x * vf) : cov;
}

/** An orbit with its covariance at an epoch: a track's own, or a cluster's joint fit. */
interface Estimate {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  /** 6×6 km, km/s. */
  readonly covariance: Float64Array;
}

/** Trace of the position block of an estimate's covariance, km². */
function positionVariance(c: Estimate): number {
  return (c.covariance[0] as number) + (c.covariance[7] as number) + (c.covariance[14] as number);
}

/** A converged joint fit. */
interface JointFit extends Estimate {
  readonly solution: LeastSquaresResult;
  readonly elements: ElementSet | undefined;
}

interface Cluster extends Estimate {
  readonly tracks: readonly Track[];
  readonly measurements: readonly Measurement[];
  readonly solution: LeastSquaresResult | undefined;
  readonly elements: ElementSet | undefined;
  readonly limit: number;
  readonly chi2: number;
  /** Parameters of its fit (6, or 7 with B*). */
  readonly parameters: number;
}

/**
 * Codes of the IOD and fit failures that mean "this track has no orbit" or "this join does not
 * fit" (an orbit the integrator or SGP4 cannot follow, a fit that does not converge or is
 * unobservable). Every other error (unknown station, EOP or time out of range, missing force-model
 * data, bad input) is a configuration error and is rethrown.
 */
const FIT_FAILURES: ReadonlySet<string> = new Set([
  'OD_NO_FIRST_GUESS',
  'OD_NOT_CONVERGED',
  'OD_TOO_FEW_MEASUREMENTS',
  'OD_UNOBSERVABLE',
  'OD_MODEL_FAILED',
  'OD_SGP4_FAILED',
  'NUMERICAL_NOT_FINITE',
  'NUMERICAL_STEP_TOO_SMALL',
  'NUMERICAL_TOO_MANY_STEPS',
  'KEPLER_NOT_ELLIPTIC',
  'DEGENERATE_ORBIT',
  'SGP4_FAILED',
  'SGP4_INIT_FAILED',
]);

/**
 * Whether `e` is an IOD or fit failure (see FIT_FAILURES). `iodTrackByTrack` reports every IOD
 * failure as `OD_NO_FIRST_GUESS`, so no `IOD_` code reaches here.
 */
function isFitFailure(e: unknown): e is AstroError {
  return e instanceof AstroError && FIT_FAILURES.has(e.code);
}

/** Σ of the squared normalised residuals (the fits edit nothing, so this is the minimised sum). */
function chi2Of(s: LeastSquaresResult): number {
  let acc = 0;
  for (const r of s.residuals) for (const x of r.normalized) acc += x * x;
  return acc;
}

/**
 * Joins UCT tracks into candidate objects and fits each (see the module header). Throws
 * `CORRELATION_OPTIONS_INVALID` for a `minTracks` that is not a whole number ≥ 2, a
 * `maxVarianceFactor` that is not positive, a non-positive gate or a probability outside (0, 1);
 * `CORRELATION_TRACK_EMPTY` for a track without measurements; and configuration errors of the
 * fits (unknown station, EOP or time out of range, …) as thrown. IOD and fit failures
 * (`isFitFailure`) are not errors: the track has no orbit, or the pair is not joined.
 */
export function buildUctCandidates(
  tracks: readonly Track[],
  options: UctCandidateOptions,
): UctCandidateResult {
  const minTracks = options.minTracks ?? UCT_MIN_TRACKS;
  const pGate = options.gateProbability ?? UCT_GATE_PROBABILITY;
  const inflation = options.gateInflation ?? UCT_GATE_INFLATION;
  const pFit = options.fitProbability ?? UCT_FIT_PROBABILITY;
  const joint = options.jointFit ?? 'numerical';
  const maxVf = options.maxVarianceFactor;
  if (
    !(Number.isInteger(minTracks) && minTracks >= 2) ||
    (maxVf !== undefined && !(maxVf > 0 && Number.isFinite(maxVf))) ||
    !(inflation > 0) ||
    !(pGate > 0 && pGate < 1) ||
    !(pFit > 0 && pFit < 1) ||
    (joint !== 'numerical' && joint !== 'sgp4')
  ) {
    throw new AstroError(
      'CORRELATION_OPTIONS_INVALID',
      `minTracks must be a whole number ≥ 2 (a one-track cluster has no joint fit), maxVarianceFactor a positive number, gateInflation positive, gate and fit probabilities in (0, 1), jointFit 'numerical' or 'sgp4'; read minTracks ${minTracks}, maxVarianceFactor ${maxVf}, gateInflation ${inflation}, gateProbability ${pGate}, fitProbability ${pFit}, jointFit ${joint}`,
      {
        minTracks,
        maxVarianceFactor: maxVf,
        gateInflation: inflation,
        gateProbability: pGate,
        fitProbability: pFit,
        jointFit: joint,
      },
    );
  }
  const ctx = options.ctx;
  const model = options.measurementModel ?? defaultModel(options);
  const propagation = options.propagation === undefined ? {} : { propagation: options.propagation };
  // No fit edits: the merge test compares the joint fit's χ² with the separate fits' χ², and
  // Δχ² ~ χ²(k) holds only when all three are minima of the same unedited sum of squares.
  const noEditing: LeastSquaresOptions = { ...options.leastSquares, editing: false };
  const trackFit = (ms: readonly Measurement[], epoch: Instant, start: State<'GCRF'>) =>
    fitNumericalOrbit({
      epoch,
      initialState: start,
      measurements: ms,
      forceModels: options.forceModels,
      measurementModel: model,
      options: { ...propagation, leastSquares: noEditing },
    });
  /** The joint fit of `ms` from `start` at `epoch`, or a reason it did not converge. */
  const jointFitOf = (
    ms: readonly Measurement[],
    epoch: Instant,
    start: State<'GCRF'>,
    withBstar: boolean,
  ): JointFit | undefined => {
    try {
      if (joint === 'numerical') {
        const f = fitNumericalOrbit({
          epoch,
          initialState: start,
          measurements: ms,
          forceModels: options.forceModels,
          measurementModel: model,
          options: { ...propagation, leastSquares: noEditing },
        });
        if (!f.solution.converged) return undefined;
        const covariance = scaled(f.covariance, f.solution.varianceFactor);
        return { epoch, state: f.state, covariance, solution: f.solution, elements: undefined };
      }
      const teme = transform(start, 'TEME', frameEpochAt(epoch, ctx));
      const label = utcLabelOfInstant(epoch, ctx);
      const first = fitSgp4ElementsToState(teme.rKm, teme.vKmS, {
        ...blankElements('UCT', label),
        epoch: label,
      });
      if (!first.ok) return undefined;
      const f = fitSgp4({
        initial: first.elements,
        measurements: ms,
        measurementModel: model,
        context: ctx,
        fitBstar: withBstar,
        leastSquares: noEditing,
      });
      if (!f.solution.converged) return undefined;
      const mapped = sgp4StateCovariance(
        f.elements,
        scaled(f.solution.covariance, f.solution.varianceFactor),
        f.solution.parameterNames.length,
        ctx,
      );
      return { ...mapped, solution: f.solution, elements: f.elements };
    } catch (e) {
      if (!isFitFailure(e)) throw e;
      return undefined;
    }
  };
  const limitFor = (dof: number): number => maxVf ?? chiSquareQuantile(pFit, dof) / dof;
  const dofOf = (s: LeastSquaresResult): number =>
    s.residuals.reduce((acc, r) => acc + (r.rejected ? 0 : r.residuals.length), 0) - s.parameterNames.length;
  const q = inflation * chiSquareQuantile(pGate, 6);
  let jointFits = 0;
  /** Tracks of a refused join whose joint fit had no degrees of freedom left, with the reason. */
  const untestable = new Map<Track, string>();
  /**
   * Each other estimate against `from`, as d over its gate (pass: ≤ 1): the state gate, and for an
   * estimate worse determined than `from` that fails it (an angles-only track's orbit against a
   * radar one's) a second chance, its measurements against `from`'s prediction: its own orbit may
   * be far off while its measurements are fine.
   */
  const gateRatios = (
    from: Estimate,
    others: readonly { estimate: Estimate; measurements: readonly Measurement[] }[],
  ): number[] => {
    const ratio = gateScores(
      from,
      others.map((o) => o.estimate),
      options,
    ).map((d) => d / q);
    const weaker = others
      .map((_, k) => k)
      .filter(
        (k) =>
          !((ratio[k] as number) <= 1) &&
          positionVariance((others[k] as { estimate: Estimate }).estimate) > positionVariance(from),
      );
    measurementGateScores(
      from,
      weaker.map((k) => (others[k] as { measurements: readonly Measurement[] }).measurements),
      model,
      options,
    ).forEach((g, w) => {
      if (g.n > 0) ratio[weaker[w] as number] = g.d / (inflation * chiSquareQuantile(pGate, g.n));
    });
    return ratio;
  };
  /**
   * Both sets' measurements through one orbit, with the two tests; undefined when either fails.
   * The fit starts from the better-determined of the two estimates (the smaller position
   * variance: a radar track's orbit rather than an angles-only one's), at its epoch, and from the
   * other when that fit does not converge.
   */
  const tryJoin = (a: Cluster, b: Cluster): Cluster | undefined => {
    const ms = a.measurements.concat(b.measurements).sort(byEpoch);
    // SGP4: the six elements first, then with B* (a nested model, tested with its own k).
    const variants = joint === 'sgp4' ? [false, true] : [false];
    for (const start of positionVariance(b) < positionVariance(a) ? [b, a] : [a, b]) {
      let converged = false;
      for (const withBstar of variants) {
        jointFits++;
        const f = jointFitOf(ms, start.epoch, start.state, withBstar);
        if (f === undefined) continue;
        converged = true;
        // An exactly (or under-) determined joint fit leaves no residual to test: not joined.
        const dof = dofOf(f.solution);
        if (!(dof > 0)) {
          for (const t of a.tracks.concat(b.tracks))
            untestable.set(t, `a joint fit had ${dof} degrees of freedom: the join cannot be tested`);
          continue;
        }
        const limit = limitFor(dof);
        if (!(f.solution.varianceFactor <= limit)) continue;
        const chi2 = chi2Of(f.solution);
        // The merge test: the join saves a.parameters + b.parameters − p parameters (6 for two
        // six-element fits) and costs Δχ² ~ χ² of that many degrees of freedom when both are one
        // object.
        const saved = Math.max(a.parameters + b.parameters - f.solution.parameterNames.length, 1);
        if (!(chi2 - a.chi2 - b.chi2 <= chiSquareQuantile(pFit, saved))) continue;
        const tracksJoined = a.tracks.concat(b.tracks).sort((x, y) => firstEpoch(x).compare(firstEpoch(y)));
        return {
          ...f,
          tracks: tracksJoined,
          measurements: ms,
          limit,
          chi2,
          parameters: f.solution.parameterNames.length,
        };
      }
      // A converged fit that failed the tests is the answer; another start is tried only when
      // no fit from this one converged.
      if (converged) return undefined;
    }
    return undefined;
  };

  // 1. One orbit per track.
  // Checked here because iodTrackByTrack turns an unknown station into an IOD failure.
  for (const t of tracks) {
    if (t.measurements.length === 0)
      throw new AstroError('CORRELATION_TRACK_EMPTY', `track ${t.id} has no measurements`, { track: t.id });
    for (const m of t.measurements)
      if (!options.stations.has(m.station))
        throw new AstroError(
          'OD_UNKNOWN_STATION',
          `track ${t.id}: station ${m.station} is not among the stations given (${[...options.stations.keys()].join(', ')})`,
          { track: t.id, station: m.station },
        );
  }
  const sorted = tracks.slice().sort((a, b) => firstEpoch(a).compare(firstEpoch(b)));
  const orbits: (UctTrackOrbit | undefined)[] = [];
  const single: UctSingleTrack[] = [];
  for (const track of sorted) {
    try {
      const iod = iodTrackByTrack(track.measurements, options.stations, ctx);
      const f = trackFit(track.measurements, iod.epoch, iod.state);
      if (!f.solution.converged)
        throw new AstroError('OD_NOT_CONVERGED', `its own fit did not converge (${f.solution.convergence})`);
      orbits.push({
        track,
        epoch: iod.epoch,
        state: f.state,
        covariance: scaled(f.covariance, f.solution.varianceFactor),
        method: iod.method,
        chi2: chi2Of(f.solution),
      });
    } catch (e) {
      if (!isFitFailure(e)) throw e;
      orbits.push(undefined);
      single.push({ track, orbit: undefined, reason: `no orbit of its own ([${e.code}] ${e.message})` });
    }
  }
  const orbitOf = new Map<Track, UctTrackOrbit>();
  for (const o of orbits) if (o !== undefined) orbitOf.set(o.track, o);
  const asCluster = (o: UctTrackOrbit): Cluster => ({
    tracks: [o.track],
    measurements: o.track.measurements.slice(),
    epoch: o.epoch,
    state: o.state,
    covariance: o.covariance,
    solution: undefined,
    elements: undefined,
    limit: Number.NaN,
    chi2: o.chi2,
    parameters: 6,
  });

  // 2. Greedy association of tracks to clusters.
  const used = new Uint8Array(sorted.length);
  let clusters: Cluster[] = [];
  for (let s = 0; s < sorted.length; s++) {
    const seed = orbits[s];
    if (seed === undefined || used[s] === 1) continue;
    used[s] = 1;
    let cluster = asCluster(seed);
    for (;;) {
      const open: number[] = [];
      for (let j = 0; j < sorted.length; j++) if (used[j] === 0 && orbits[j] !== undefined) open.push(j);
      if (open.length === 0) break;
      const others = open.map((j) => orbits[j] as UctTrackOrbit);
      const ratio = gateRatios(
        cluster,
        others.map((o) => ({ estimate: o, measurements: o.track.measurements })),
      );
      const scored = ratio
        .map((d, k) => ({ index: open[k] as number, d }))
        .filter((g) => g.d <= 1)
        .sort((a, b) => a.d - b.d);
      let joined: Cluster | undefined;
      for (const g of scored) {
        joined = tryJoin(cluster, asCluster(orbits[g.index] as UctTrackOrbit));
        if (joined !== undefined) {
          used[g.index] = 1;
          break;
        }
      }
      if (joined === undefined) break;
      cluster = joined;
    }
    clusters.push(cluster);
  }

  // 3. Clusters merged pairwise, closest pair first, until no pair merges. The gates are computed
  // once for every pair, and again only for a new merged cluster (against the others, from it).
  const alive = new Set<Cluster>(clusters);
  const tried = new Map<Cluster, Set<Cluster>>();
  let pairs: { a: Cluster; b: Cluster; d: number }[] = [];
  const gatePairs = (a: Cluster, others: readonly Cluster[]): void => {
    const bs = others.filter((b) => b !== a);
    gateRatios(
      a,
      bs.map((b) => ({ estimate: b, measurements: b.measurements })),
    ).forEach((d, k) => {
      const b = bs[k] as Cluster;
      if (d <= 1) pairs.push(b.epoch.compare(a.epoch) < 0 ? { a: b, b: a, d } : { a, b, d });
    });
  };
  // Every pair once: each cluster against the later ones (both gates from the earlier cluster),
  // and against the earlier ones by the measurement gate only where it is the better determined.
  clusters.forEach((a, i) => {
    gatePairs(a, clusters.slice(i + 1));
    const earlierWeaker = clusters.slice(0, i).filter((b) => positionVariance(b) > positionVariance(a));
    measurementGateScores(
      a,
      earlierWeaker.map((b) => b.measurements),
      model,
      options,
    ).forEach((g, k) => {
      const d = g.n > 0 ? g.d / (inflation * chiSquareQuantile(pGate, g.n)) : Number.NaN;
      if (d <= 1) pairs.push({ a: earlierWeaker[k] as Cluster, b: a, d });
    });
  });
  for (;;) {
    pairs = pairs.filter((p) => alive.has(p.a) && alive.has(p.b)).sort((x, y) => x.d - y.d);
    let merged: Cluster | undefined;
    // A refused pair is dropped: the same two clusters would be refused again.
    while (pairs.length > 0) {
      const p = pairs.shift() as { a: Cluster; b: Cluster; d: number };
      const seen = tried.get(p.a) ?? new Set<Cluster>();
      if (seen.has(p.b)) continue;
      seen.add(p.b);
      tried.set(p.a, seen);
      merged = tryJoin(p.a, p.b);
      if (merged === undefined) continue;
      alive.delete(p.a);
      alive.delete(p.b);
      break;
    }
    if (merged === undefined) break;
    alive.add(merged);
    gatePairs(merged, [...alive]);
  }
  clusters = [...alive].sort((x, y) =>
    firstEpoch(x.tracks[0] as Track).compare(firstEpoch(y.tracks[0] as Track)),
  );

  // 4. Candidates and single tracks.
  const candidates: UctObjectCandidate[] = [];
  for (const c of clusters) {
    if (c.tracks.length < minTracks || c.solution === undefined) {
      for (const t of c.tracks) {
        single.push({
          track: t,
          orbit: orbitOf.get(t),
          reason:
            (c.tracks.length === 1
              ? 'no other track fits its orbit'
              : `its cluster has ${c.tracks.length} tracks, fewer than ${minTracks}`) +
            (untestable.has(t) ? ` (${untestable.get(t)})` : ''),
        });
      }
      continue;
    }
    candidates.push({
      id: `uct-${candidates.length + 1}`,
      tracks: c.tracks,
      epoch: c.epoch,
      state: c.state,
      covariance: c.covariance,
      varianceFactor: c.solution.varianceFactor,
      maxVarianceFactor: c.limit,
      rmsByKind: rmsByKind(c.solution),
      measurements: c.measurements.length,
      rejected: c.solution.rejectedCount,
      solution: c.solution,
      elements: c.elements,
    });
  }
  single.sort((a, b) => firstEpoch(a.track).compare(firstEpoch(b.track)));
  return { candidates, single, jointFits };
}

/**
 * The 6-D gate distance of each estimate from the cluster's prediction at that estimate's epoch
 * (NaN where the propagation or the covariance fails).
 */
function gateScores(cluster: Estimate, others: readonly Estimate[], options: UctCandidateOptions): number[] {
  const out = others.map(() => Number.NaN);
  const dts = others.map((o) => o.epoch.secondsSince(cluster.epoch));
  // Forward and backward propagations (the grid must lie on one side of the epoch).
  for (const sign of [1, -1]) {
    const idx = others.map((_, k) => k).filter((k) => (dts[k] as number) * sign > 0);
    if (idx.length === 0) continue;
    idx.sort((a, b) => sign * ((dts[a] as number) - (dts[b] as number)));
    let prop: ReturnType<typeof propagateNumerical>;
    try {
      prop = propagateNumerical(
        { epoch: cluster.epoch, state: cluster.state },
        options.forceModels,
        idx.map((k) => dts[k] as number),
        { ...options.propagation, stm: true, keepDense: false },
      );
    } catch (e) {
      if (!isFitFailure(e)) throw e;
      continue;
    }
    idx.forEach((k, i) => {
      const st = prop.states[i];
      const phi = prop.stm?.[i];
      if (st === undefined || phi === undefined) return;
      out[k] = mahalanobis(st, phi, cluster.covariance, others[k] as Estimate);
    });
  }
  // Estimates at the cluster's own epoch (simultaneous tracks from other stations).
  const identity = new Float64Array(36);
  for (let i = 0; i < 6; i++) identity[i * 7] = 1;
  others.forEach((o, k) => {
    if (dts[k] === 0) out[k] = mahalanobis(cluster.state, identity, cluster.covariance, o);
  });
  return out;
}

/**
 * The measurement-space gate of tracks against a cluster: the cluster's orbit propagated with its
 * STM to every measurement of a track, r the residuals (observed − predicted, angles wrapped), G = HΦ
 * the partials of the predictions with respect to the cluster's state, and
 * d = rᵀ (G P Gᵀ + R)⁻¹ r with n = the number of values (χ²(n) under one object, to first order).
 * d is NaN where the propagation, the model or the factorisation fails.
 */
function measurementGateScores(
  cluster: Estimate,
  tracks: readonly (readonly Measurement[])[],
  model: NumericalMeasurementModel,
  options: UctCandidateOptions,
): { d: number; n: number }[] {
  const perTrack = tracks.map((ms) => ms.map((m) => ({ m, dt: m.epoch.secondsSince(cluster.epoch) })));
  const all = perTrack.flat();
  const at = new Map<(typeof all)[number], { state: State<'GCRF'>; phi: Float64Array }>();
  const identity = new Float64Array(36);
  for (let i = 0; i < 6; i++) identity[i * 7] = 1;
  for (const x of all) if (x.dt === 0) at.set(x, { state: cluster.state, phi: identity });
  for (const sign of [1, -1]) {
    const side = all.filter((x) => x.dt * sign > 0).sort((a, b) => sign * (a.dt - b.dt));
    if (side.length === 0) continue;
    try {
      const prop = propagateNumerical(
        { epoch: cluster.epoch, state: cluster.state },
        options.forceModels,
        side.map((x) => x.dt),
        { ...options.propagation, stm: true, keepDense: false },
      );
      side.forEach((x, i) => {
        const st = prop.states[i];
        const phi = prop.stm?.[i];
        if (st !== undefined && phi !== undefined) at.set(x, { state: st, phi });
      });
    } catch (e) {
      if (!isFitFailure(e)) throw e;
    }
  }
  return perTrack.map((list) => {
    const rows: number[][] = [];
    const res: number[] = [];
    const variances: number[] = [];
    for (const x of list) {
      const p = at.get(x);
      if (p === undefined) return { d: Number.NaN, n: 0 };
      let out: ReturnType<NumericalMeasurementModel>;
      try {
        out = model(x.m, p.state, x.m.epoch, {});
      } catch (e) {
        if (!isFitFailure(e)) throw e;
        return { d: Number.NaN, n: 0 };
      }
      const wrap = wrappedComponents(x.m.kind);
      Array.from(out.values).forEach((v, k) => {
        let r = (x.m.values[k] as number) - v;
        if (wrap?.[k] === true) r = Math.atan2(Math.sin(r), Math.cos(r));
        const g: number[] = [];
        for (let c = 0; c < 6; c++) {
          let acc = 0;
          for (let m = 0; m < 6; m++) acc += (out.dState[k * 6 + m] as number) * (p.phi[m * 6 + c] as number);
          g.push(acc);
        }
        rows.push(g);
        res.push(r);
        variances.push((x.m.sigmas[k] as number) ** 2);
      });
    }
    const n = res.length;
    if (n === 0) return { d: Number.NaN, n: 0 };
    const cov = cluster.covariance;
    const gp = rows.map((g) => {
      const o: number[] = [];
      for (let c = 0; c < 6; c++) {
        let acc = 0;
        for (let m = 0; m < 6; m++) acc += (g[m] as number) * (cov[m * 6 + c] as number);
        o.push(acc);
      }
      return o;
    });
    const sMat = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let acc = i === j ? (variances[i] as number) : 0;
        const a = gp[i] as number[];
        const b = rows[j] as number[];
        for (let c = 0; c < 6; c++) acc += (a[c] as number) * (b[c] as number);
        sMat[i * n + j] = acc;
        sMat[j * n + i] = acc;
      }
    const l = cholesky(sMat, n);
    if (l === undefined) return { d: Number.NaN, n };
    const y = choleskySolve(l, res, n);
    let d = 0;
    for (let i = 0; i < n; i++) d += (res[i] as number) * (y[i] as number);
    return { d, n };
  });
}

/** Δxᵀ (Φ P Φᵀ + P_j)⁻¹ Δx; NaN when the sum is not positive definite. */
function mahalanobis(predicted: State<'GCRF'>, phi: Float64Array, p: Float64Array, other: Estimate): number {
  const tmp = new Float64Array(36);
  for (let i = 0; i < 6; i++)
    for (let k = 0; k < 6; k++) {
      let acc = 0;
      for (let m = 0; m < 6; m++) acc += (phi[i * 6 + m] as number) * (p[m * 6 + k] as number);
      tmp[i * 6 + k] = acc;
    }
  const s = new Float64Array(36);
  for (let i = 0; i < 6; i++)
    for (let k = 0; k < 6; k++) {
      let acc = 0;
      for (let m = 0; m < 6; m++) acc += (tmp[i * 6 + m] as number) * (phi[k * 6 + m] as number);
      s[i * 6 + k] = acc + (other.covariance[i * 6 + k] as number);
    }
  for (let i = 0; i < 6; i++)
    for (let k = 0; k < i; k++) {
      const a = 0.5 * ((s[i * 6 + k] as number) + (s[k * 6 + i] as number));
      s[i * 6 + k] = a;
      s[k * 6 + i] = a;
    }
  const l = cholesky(s, 6);
  if (l === undefined) return Number.NaN;
  const dx = [
    other.state.rKm[0] - predicted.rKm[0],
    other.state.rKm[1] - predicted.rKm[1],
    other.state.rKm[2] - predicted.rKm[2],
    other.state.vKmS[0] - predicted.vKmS[0],
    other.state.vKmS[1] - predicted.vKmS[1],
    other.state.vKmS[2] - predicted.vKmS[2],
  ];
  const y = choleskySolve(l, dx, 6);
  let d = 0;
  for (let i = 0; i < 6; i++) d += (dx[i] as number) * (y[i] as number);
  return d;
}
