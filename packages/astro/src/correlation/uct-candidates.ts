/**
 * Candidate objects from uncorrelated tracks (UCTs): tracks of the same unknown object are joined
 * and fitted together, so that a new debris cloud or an undeclared manoeuvre shows up as orbits,
 * not as loose tracks.
 *
 * 1. Each track gets its own orbit: initial orbit determination on the track (od/first-guess.ts
 *    `iodTrackByTrack`: Gibbs/Herrick–Gibbs for radar positions, Gooding/Gauss for angles) refined
 *    by least squares on that track alone (`fitNumericalOrbit`), which gives the state at the
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
 *    hence the inflation, generous by default. Passing tracks are tried in order of increasing d
 *    and each is confirmed by a joint fit of the cluster's measurements and the track's, started
 *    from the cluster's orbit: the track joins when the fit converges and its variance factor
 *    (χ² per degree of freedom) stays below `maxVarianceFactor`, default the
 *    `fitProbability` quantile of χ²(n)/n (n the degrees of freedom), i.e. the residuals agree
 *    with the measurement sigmas, and the joint χ² exceeds the sum of the two separate fits' χ² by
 *    at most the `fitProbability` quantile of χ²(6) (the merge test: two sets of measurements of
 *    one object, each fitted by its own six parameters, cost Δχ² ~ χ²(6) when forced through one
 *    orbit; every residual counts, edited or not, so the outlier editor cannot hide a foreign
 *    track). The loop repeats until no track joins.
 * 3. A cluster of at least `minTracks` tracks is a candidate (its joint fit: state, covariance,
 *    residual RMS); the tracks of smaller clusters are returned as single.
 * Two objects close together (fragments of one parent) give tracks that each fit the other's
 * prediction while the orbits are still uncertain; the joint fit, whose residuals would then have
 * to absorb the difference of two trajectories, is what keeps them apart.
 *
 * Limits: the greedy join never revisits a decision (a wrong early join is not undone, but the
 * variance-factor test makes one unlikely); the cost is one STM propagation per cluster and round
 * and one joint fit per tested pair, which suits the UCTs of one night (tens to hundreds of
 * tracks), not a whole catalog's tracks.
 */
import type { AstroContext } from '../context/astro-context.js';
import { AstroError } from '../errors.js';
import type { State } from '../frames/state.js';
import { chiSquareQuantile } from '../math/chi-square.js';
import type { ForceModel } from '../numerical/force-model.js';
import { type NumericalPropagationOptions, propagateNumerical } from '../numerical/propagate.js';
import { predictMeasurement } from '../observations/measurement-model.js';
import type { GroundStation, Measurement } from '../observations/observation.js';
import { keplerTargetEphemeris } from '../observations/targets.js';
import { cholesky, choleskySolve } from '../od/dense-linear-algebra.js';
import { iodTrackByTrack } from '../od/first-guess.js';
import type { LeastSquaresOptions, LeastSquaresResult } from '../od/least-squares.js';
import { fitNumericalOrbit, type NumericalMeasurementModel } from '../od/numerical-od.js';
import type { Instant } from '../time/instant.js';
import type { Track } from './track.js';

/** Default least number of tracks of a candidate. */
export const UCT_MIN_TRACKS = 2;
/** Default probability of the association gate (6 degrees of freedom). */
export const UCT_GATE_PROBABILITY = 0.9999;
/**
 * Default inflation of the association gate: the linearly mapped covariance of a one-track orbit
 * understates its in-track error hours later (the error is curved), so the gate is generous; the
 * joint fit's variance factor is the real test.
 */
export const UCT_GATE_INFLATION = 25;
/** Default probability of the joint fit's χ² test (variance factor against χ²(n)/n). */
export const UCT_FIT_PROBABILITY = 0.9999;

/** Options of `buildUctCandidates`. */
export interface UctCandidateOptions {
  readonly ctx: AstroContext;
  /** The stations of the tracks, by name. */
  readonly stations: ReadonlyMap<string, GroundStation>;
  /** Forces of the fits and of the gate's propagation (e.g. point mass plus J2). */
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
  /** Least number of tracks of a candidate; default UCT_MIN_TRACKS. */
  readonly minTracks?: number;
  /** Association gate probability; default UCT_GATE_PROBABILITY. */
  readonly gateProbability?: number;
  /** Association gate inflation; default UCT_GATE_INFLATION. */
  readonly gateInflation?: number;
  /** Probability of the joint fit's χ² test; default UCT_FIT_PROBABILITY. */
  readonly fitProbability?: number;
  /** Fixed largest variance factor of a joint fit (overrides `fitProbability`). */
  readonly maxVarianceFactor?: number;
  /** Least-squares options of the fits (default: astro's, with outlier editing). */
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
  /** χ² of its own fit (every residual, edited or not). */
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

/** Residual RMS per kind over the accepted residuals. */
function rmsByKind(solution: LeastSquaresResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, s] of Object.entries(solution.statisticsByKind)) out[kind] = s.rms;
  return out;
}

function scaled(cov: Float64Array, vf: number): Float64Array {
  return vf > 1 ? cov.map((x) => x * vf) : cov;
}

interface Cluster {
  tracks: Track[];
  measurements: Measurement[];
  epoch: Instant;
  state: State<'GCRF'>;
  covariance: Float64Array;
  solution: LeastSquaresResult | undefined;
  limit: number;
  chi2: number;
}

/** Σ of the squared normalised residuals, edited ones included (an edited track still counts). */
function chi2Of(s: LeastSquaresResult): number {
  let acc = 0;
  for (const r of s.residuals) for (const x of r.normalized) acc += x * x;
  return acc;
}

/**
 * Joins UCT tracks into candidate objects and fits each (see the module header). Throws
 * `CORRELATION_OPTIONS_INVALID` for a `minTracks` below 1 or a non-positive gate; fit failures of
 * single pairs are not errors (the pair is not joined).
 */
export function buildUctCandidates(
  tracks: readonly Track[],
  options: UctCandidateOptions,
): UctCandidateResult {
  const minTracks = options.minTracks ?? UCT_MIN_TRACKS;
  const pGate = options.gateProbability ?? UCT_GATE_PROBABILITY;
  const inflation = options.gateInflation ?? UCT_GATE_INFLATION;
  const pFit = options.fitProbability ?? UCT_FIT_PROBABILITY;
  if (!(minTracks >= 1) || !(inflation > 0) || !(pGate > 0 && pGate < 1) || !(pFit > 0 && pFit < 1)) {
    throw new AstroError(
      'CORRELATION_OPTIONS_INVALID',
      'minTracks must be ≥ 1, gateInflation positive, gate and fit probabilities in (0, 1)',
      { minTracks, gateInflation: inflation, gateProbability: pGate, fitProbability: pFit },
    );
  }
  const model = options.measurementModel ?? defaultModel(options);
  const fitOptions = {
    ...(options.propagation === undefined ? {} : { propagation: options.propagation }),
    ...(options.leastSquares === undefined ? {} : { leastSquares: options.leastSquares }),
  };
  const fit = (ms: readonly Measurement[], epoch: Instant, start: State<'GCRF'>) =>
    fitNumericalOrbit({
      epoch,
      initialState: start,
      measurements: ms,
      forceModels: options.forceModels,
      measurementModel: model,
      options: fitOptions,
    });
  const limitFor = (dof: number): number =>
    options.maxVarianceFactor ?? chiSquareQuantile(pFit, Math.max(dof, 1)) / Math.max(dof, 1);
  const dofOf = (s: LeastSquaresResult): number =>
    s.residuals.reduce((acc, r) => acc + (r.rejected ? 0 : r.residuals.length), 0) - s.parameterNames.length;

  // 1. One orbit per track.
  const sorted = tracks
    .slice()
    .sort((a, b) => byEpoch(a.measurements[0] as Measurement, b.measurements[0] as Measurement));
  const orbits: (UctTrackOrbit | undefined)[] = [];
  const single: UctSingleTrack[] = [];
  const failure = new Map<Track, string>();
  for (const track of sorted) {
    try {
      const iod = iodTrackByTrack(track.measurements, options.stations, options.ctx);
      const f = fit(track.measurements, iod.epoch, iod.state);
      if (!f.solution.converged) throw new AstroError('OD_NOT_CONVERGED', f.solution.convergence);
      orbits.push({
        track,
        epoch: iod.epoch,
        state: f.state,
        covariance: scaled(f.covariance, f.solution.varianceFactor),
        method: iod.method,
        chi2: chi2Of(f.solution),
      });
    } catch (e) {
      if (!(e instanceof AstroError)) throw e;
      orbits.push(undefined);
      failure.set(track, `no orbit of its own ([${e.code}] ${e.message})`);
    }
  }
  sorted.forEach((track, i) => {
    if (orbits[i] === undefined)
      single.push({ track, orbit: undefined, reason: failure.get(track) ?? 'no orbit' });
  });

  // 2. Greedy association.
  const q = inflation * chiSquareQuantile(pGate, 6);
  const mergeGate = chiSquareQuantile(pFit, 6);
  const used = new Uint8Array(sorted.length);
  let jointFits = 0;
  const clusters: Cluster[] = [];
  for (let s = 0; s < sorted.length; s++) {
    const seed = orbits[s];
    if (seed === undefined || used[s] === 1) continue;
    used[s] = 1;
    const cluster: Cluster = {
      tracks: [seed.track],
      measurements: seed.track.measurements.slice(),
      epoch: seed.epoch,
      state: seed.state,
      covariance: seed.covariance,
      solution: undefined,
      limit: Number.NaN,
      chi2: seed.chi2,
    };
    for (;;) {
      const open: number[] = [];
      for (let j = 0; j < sorted.length; j++) if (used[j] === 0 && orbits[j] !== undefined) open.push(j);
      if (open.length === 0) break;
      const scored = gateScores(cluster, open, orbits, options)
        .filter((g) => g.d <= q)
        .sort((a, b) => a.d - b.d);
      let joined = false;
      for (const g of scored) {
        const other = orbits[g.index] as UctTrackOrbit;
        const ms = cluster.measurements.concat(other.track.measurements).sort(byEpoch);
        jointFits++;
        let f: ReturnType<typeof fit>;
        try {
          f = fit(ms, cluster.epoch, cluster.state);
        } catch (e) {
          if (!(e instanceof AstroError)) throw e;
          continue;
        }
        const limit = limitFor(dofOf(f.solution));
        if (!f.solution.converged || !(f.solution.varianceFactor <= limit)) continue;
        // The merge test: joining costs Δχ² ~ χ²(6) when both are one object.
        const chi2 = chi2Of(f.solution);
        if (!(chi2 - cluster.chi2 - other.chi2 <= mergeGate)) continue;
        used[g.index] = 1;
        cluster.tracks.push(other.track);
        cluster.measurements = ms;
        cluster.state = f.state;
        cluster.covariance = scaled(f.covariance, f.solution.varianceFactor);
        cluster.solution = f.solution;
        cluster.limit = limit;
        cluster.chi2 = chi2;
        joined = true;
        break;
      }
      if (!joined) break;
    }
    clusters.push(cluster);
  }

  // 3. Candidates and single tracks.
  const candidates: UctObjectCandidate[] = [];
  for (const c of clusters) {
    if (c.tracks.length < minTracks || c.solution === undefined) {
      for (const t of c.tracks) {
        const orbit = orbits[sorted.indexOf(t)];
        single.push({
          track: t,
          orbit,
          reason:
            c.tracks.length === 1
              ? 'no other track fits its orbit'
              : `its cluster has ${c.tracks.length} tracks, fewer than ${minTracks}`,
        });
      }
      continue;
    }
    const tracksInOrder = c.tracks
      .slice()
      .sort((a, b) => byEpoch(a.measurements[0] as Measurement, b.measurements[0] as Measurement));
    candidates.push({
      id: `uct-${candidates.length + 1}`,
      tracks: tracksInOrder,
      epoch: c.epoch,
      state: c.state,
      covariance: c.covariance,
      varianceFactor: c.solution.varianceFactor,
      maxVarianceFactor: c.limit,
      rmsByKind: rmsByKind(c.solution),
      measurements: c.measurements.length,
      rejected: c.solution.rejectedCount,
      solution: c.solution,
    });
  }
  single.sort((a, b) =>
    byEpoch(a.track.measurements[0] as Measurement, b.track.measurements[0] as Measurement),
  );
  return { candidates, single, jointFits };
}

/** The 6-D gate distance of each open track's own orbit from the cluster's prediction. */
function gateScores(
  cluster: Cluster,
  open: readonly number[],
  orbits: readonly (UctTrackOrbit | undefined)[],
  options: UctCandidateOptions,
): { index: number; d: number }[] {
  const out: { index: number; d: number }[] = [];
  const dts = open.map((j) => (orbits[j] as UctTrackOrbit).epoch.secondsSince(cluster.epoch));
  // Forward and backward propagations (the grid must lie on one side of the epoch).
  for (const sign of [1, -1]) {
    const idx = open.map((_, k) => k).filter((k) => (dts[k] as number) * sign > 0);
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
      if (!(e instanceof AstroError)) throw e;
      continue;
    }
    idx.forEach((k, i) => {
      const st = prop.states[i];
      const phi = prop.stm?.[i];
      if (st === undefined || phi === undefined) return;
      const j = open[k] as number;
      const d = mahalanobis(st, phi, cluster.covariance, orbits[j] as UctTrackOrbit);
      if (Number.isFinite(d)) out.push({ index: j, d });
    });
  }
  // Tracks at the cluster's own epoch (simultaneous tracks from other stations).
  open.forEach((j, k) => {
    if (dts[k] !== 0) return;
    const identity = new Float64Array(36);
    for (let i = 0; i < 6; i++) identity[i * 7] = 1;
    const d = mahalanobis(cluster.state, identity, cluster.covariance, orbits[j] as UctTrackOrbit);
    if (Number.isFinite(d)) out.push({ index: j, d });
  });
  return out;
}

/** Δxᵀ (Φ P Φᵀ + P_j)⁻¹ Δx; NaN when the sum is not positive definite. */
function mahalanobis(
  predicted: State<'GCRF'>,
  phi: Float64Array,
  p: Float64Array,
  other: UctTrackOrbit,
): number {
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
