/**
 * Ballistic coefficient B = C_D·A/m (m²/kg) from the observed orbital decay of an element-set
 * history, after Gondelach, Armellin & Lidtke (Math. Probl. Eng. 2017:7309637): B is the value for
 * which the semi-major-axis decay predicted by the drag model matches the decay seen between
 * element sets, and the median of several such estimates is kept (robust to a bad set).
 *
 * Method (several sets):
 * 1. Sets inside `fitSpanDays` before the last one are taken oldest first; a pair (i, j) is formed
 *    whenever set j is at least `minSpacingS` and one revolution after set i (most recent
 *    `maxPairs` pairs).
 * 2. Observed decay: Δa_obs = ⟨a⟩_j − ⟨a⟩_i, where ⟨a⟩ is the osculating semi-major axis of the
 *    set's own SGP4 orbit time-averaged over the revolution after its epoch. Averaging over a
 *    revolution removes the J2 short-period terms (± ~10 km in osculating a), which would
 *    otherwise swamp a decay of metres to kilometres. The samples are uniform in eccentric
 *    anomaly with time weights (`revolutionSampling`: 64, or 256 for e ≥ 0.05), so that the perigee
 *    pass of an eccentric orbit, where drag acts, is not missed between samples.
 * 3. Predicted decay: the SGP4 state of set i at its epoch (TEME → GCRF) is propagated numerically
 *    with the reentry force model (gravity field or J2, Sun, Moon, drag with NRLMSISE-00 and the
 *    actual space weather) and the same two averages are taken on the numerical orbit.
 * 4. B solves Δa_pred(B) = Δa_obs by secant iteration (Δa_pred is nearly linear in B), stopped
 *    when the residual is below 0.1 % of Δa_obs. Pairs whose a rose (a manoeuvre or a bad set)
 *    are dropped with a warning.
 *
 * Method (one set, or no usable pair): the set's first derivative of the mean motion ṅ (fitted
 * by the catalogue from its own observations, ignored by SGP4) gives the observed rate
 * ȧ = −(2/3)·a·ṅ/n; Gauss's equation for a tangential-normal drag force,
 * da/dt = (2a²/μ)·v·f with f = −½·B·ρ·|v_rel|·v_rel, averaged over the SGP4 revolution after the
 * epoch, gives B = −ȧ·μ / (a²·⟨ρ·|v_rel|·(v·v_rel)⟩). This rests on one number of the set and is
 * flagged `BC_FROM_MEAN_MOTION_DOT`. B* of SGP4 is not used: it is a fitting parameter, not a
 * physical ballistic coefficient (domain.md §4.4).
 *
 * Limits: one B for the whole span (attitude and C_D changes average out); the density model's
 * error (typically 10–20 %) goes straight into B, and partly cancels when the same model
 * propagates to reentry.
 */

import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { applyFrameTransform, frameTransform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import type { Vec3 } from '../math/vec3.js';
import { EGM96_GM_KM3_S2 } from '../numerical/gravity-forces.js';
import { keplerianFromCartesian } from '../numerical/kepler.js';
import { propagateNumerical } from '../numerical/propagate.js';
import type { Instant } from '../time/instant.js';
import { ElementSetOrbit, gcrfToItrfRotation, heightKmWith } from './element-state.js';
import {
  type ReentryEnvironment,
  type ReentryWarning,
  ReentryWarnings,
  reentryDensity,
  reentryForces,
} from './reentry-environment.js';

/** Options of `estimateBallisticCoefficient`. */
export interface BallisticCoefficientOptions {
  /** History used before the last set, days (default 10). */
  readonly fitSpanDays?: number;
  /** Least time between the two sets of a pair, s (default 7200). */
  readonly minSpacingS?: number;
  /** Most recent pairs kept (default 6). */
  readonly maxPairs?: number;
  /** Integrator relative tolerance (default 1e-10). */
  readonly relTol?: number;
}

/** One pair's estimate. */
export interface BallisticPairEstimate {
  /** Catalogue epochs of the pair, as indices into the sorted, de-duplicated history. */
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly spanS: number;
  /** Observed and fitted revolution-averaged decay, km. */
  readonly observedDaKm: number;
  readonly fittedDaKm: number;
  readonly bM2Kg: number;
}

/** The estimate and how it was reached. */
export interface BallisticCoefficientEstimate {
  /** B = C_D·A/m, m²/kg. */
  readonly bM2Kg: number;
  /**
   * Spread of the pair estimates, m²/kg: 1.4826 × the median absolute deviation with 3 pairs or
   * more (a robust σ), half the range with 2, undefined with fewer.
   */
  readonly spreadM2Kg: number | undefined;
  readonly method: 'pairs' | 'mean-motion-dot';
  readonly pairs: readonly BallisticPairEstimate[];
  /** Observed decay rate used by the one-set method, km/day. */
  readonly observedRateKmPerDay?: number;
  readonly warnings: readonly ReentryWarning[];
}

const SAMPLES_PER_REV = 64;
const FLOOR_KM = 90;
const REL_RESIDUAL = 1e-3;
const MAX_EVALUATIONS = 8;

/** Sorted by epoch, one set per epoch (the later in the input wins), all of one object. */
export function sortedHistory(history: readonly ElementSet[]): ElementSet[] {
  if (history.length === 0) {
    throw new AstroError('REENTRY_NO_ELEMENTS', 'no element set was given', {
      expected: '≥ 1 set',
      found: 0,
    });
  }
  const id = history[0]!.catalogNumber;
  for (const es of history) {
    if (es.catalogNumber !== id) {
      throw new AstroError(
        'REENTRY_MIXED_OBJECTS',
        `the history mixes objects ${id} and ${es.catalogNumber}`,
        {
          expected: id,
          found: es.catalogNumber,
        },
      );
    }
  }
  const t = (es: ElementSet): number => es.epoch.jd - 2451545 + es.epoch.jdFrac;
  const sorted = [...history].sort((a, b) => t(a) - t(b));
  const out: ElementSet[] = [];
  for (const es of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && Math.abs(t(last) - t(es)) * 86400 < 1) out[out.length - 1] = es;
    else out.push(es);
  }
  return out;
}

/**
 * Sample times over one revolution after an epoch, s, with time weights summing to 1. Uniform in
 * eccentric anomaly E (weight (1 − e·cos E)/N, from dt = (1 − e·cos E)·dE/n), so an eccentric
 * orbit's perigee pass, where drag and the J2 short-period terms act, is sampled densely; for a
 * circular orbit this is uniform in time.
 */
export interface RevolutionSampling {
  readonly offsetsS: Float64Array;
  readonly weights: Float64Array;
}

/** Uniform time sampling of one revolution of period `periodS` (a circular orbit). */
export function uniformSampling(periodS: number, count = SAMPLES_PER_REV): RevolutionSampling {
  const offsetsS = new Float64Array(count);
  const weights = new Float64Array(count).fill(1 / count);
  for (let k = 0; k < count; k++) offsetsS[k] = (periodS * k) / count;
  return { offsetsS, weights };
}

/** The sampling of one revolution after a set's epoch (64 points, 256 for e ≥ 0.05). */
export function revolutionSampling(es: ElementSet): RevolutionSampling {
  const e = es.eccentricity;
  const n = es.meanMotionRadPerMin / 60;
  const count = e < 0.05 ? SAMPLES_PER_REV : 4 * SAMPLES_PER_REV;
  const rows: [number, number][] = [];
  const twoPi = 2 * Math.PI;
  for (let k = 0; k < count; k++) {
    const ea = (twoPi * k) / count;
    const m = ea - e * Math.sin(ea);
    const dm = (((m - es.meanAnomalyRad) % twoPi) + twoPi) % twoPi;
    rows.push([dm / n, (1 - e * Math.cos(ea)) / count]);
  }
  rows.sort((x, y) => x[0] - y[0]);
  return { offsetsS: Float64Array.from(rows, (r) => r[0]), weights: Float64Array.from(rows, (r) => r[1]) };
}

/** Weighted mean osculating semi-major axis (EGM96 μ) of the states from index `from`, km. */
export function meanSemiMajorAxisKm(
  states: readonly State<'GCRF'>[],
  from: number,
  weights: ArrayLike<number>,
): number {
  let s = 0;
  for (let k = 0; k < weights.length; k++) {
    const st = states[from + k]!;
    s += weights[k]! * keplerianFromCartesian(st.rKm, st.vKmS, EGM96_GM_KM3_S2).aKm;
  }
  return s;
}

/** Revolution-averaged osculating a of a set's SGP4 orbit after its epoch, km. */
function sgp4MeanA(orbit: ElementSetOrbit, sampling: RevolutionSampling): number {
  const states: State<'GCRF'>[] = [];
  for (const t of sampling.offsetsS) states.push(orbit.stateAt(t));
  return meanSemiMajorAxisKm(states, 0, sampling.weights);
}

/** Mean motion derivative → observed da/dt (km/day) of a set. */
function rateFromMeanMotionDot(es: ElementSet): number {
  const nRevDay = (es.meanMotionRadPerMin * 1440) / (2 * Math.PI);
  const nRadS = es.meanMotionRadPerMin / 60;
  const a = Math.cbrt(EGM96_GM_KM3_S2 / (nRadS * nRadS));
  const nDot = 2 * es.meanMotionDotRevPerDay2;
  return (-2 / 3) * a * (nDot / nRevDay);
}

/**
 * B from one set's ṅ (see the module header): −ȧ·μ / (a²·⟨ρ|v_rel|(v·v_rel)⟩) averaged over the
 * SGP4 revolution after the epoch.
 */
export function ballisticFromMeanMotionDot(
  es: ElementSet,
  env: ReentryEnvironment,
  warnings = new ReentryWarnings(),
): { bM2Kg: number; rateKmPerDay: number } {
  const orbit = new ElementSetOrbit(es, env.context);
  const rate = rateFromMeanMotionDot(es);
  if (!(rate < 0)) {
    throw new AstroError(
      'REENTRY_NO_DECAY',
      `object ${es.catalogNumber}: the element set's mean-motion derivative (${es.meanMotionDotRevPerDay2} rev/day²) shows no decay`,
      { expected: 'ṅ/2 > 0', found: es.meanMotionDotRevPerDay2 },
    );
  }
  const density = reentryDensity(env, warnings);
  const sampling = revolutionSampling(es);
  let sum = 0;
  let aSum = 0;
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  for (let k = 0; k < sampling.offsetsS.length; k++) {
    const t = sampling.offsetsS[k]!;
    const w = sampling.weights[k]!;
    const s = orbit.stateAt(t);
    const inst = orbit.epoch.plusSeconds(t);
    const ft = frameTransform('GCRF', 'ITRF', frameEpochAt(inst, env.context));
    applyFrameTransform(ft, s.rKm, s.vKmS, r, v);
    const rho = density(inst, r);
    const m = ft.rotation;
    // (R v_gcrf) · v_itrf = v · v_rel (both expressed in ITRF).
    const vx = m[0] * s.vKmS[0] + m[1] * s.vKmS[1] + m[2] * s.vKmS[2];
    const vy = m[3] * s.vKmS[0] + m[4] * s.vKmS[1] + m[5] * s.vKmS[2];
    const vz = m[6] * s.vKmS[0] + m[7] * s.vKmS[1] + m[8] * s.vKmS[2];
    sum += w * rho * Math.hypot(v[0], v[1], v[2]) * (vx * v[0] + vy * v[1] + vz * v[2]);
    aSum += w * keplerianFromCartesian(s.rKm, s.vKmS, EGM96_GM_KM3_S2).aKm;
  }
  const mean = sum;
  const a = aSum;
  // da/dt [km/s] = −(a²/μ)·B·1e3·⟨ρ|v_rel|(v·v_rel)⟩ (ρ kg/m³, v km/s; 1e3 as in drag.ts).
  const b = (-(rate / 86400) * EGM96_GM_KM3_S2) / (a * a * 1e3 * mean);
  warnings.add(
    'BC_FROM_MEAN_MOTION_DOT',
    `the ballistic coefficient rests on one element set's mean-motion derivative (ṅ/2 = ${es.meanMotionDotRevPerDay2} rev/day²), not on a fitted history`,
  );
  return { bM2Kg: b, rateKmPerDay: rate };
}

/** The start of a decay fit: a GCRF state at an instant and the orbit's period. */
export interface DecayStart {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  /** Period over which a is averaged, s (uniform sampling when no sampling is given). */
  readonly periodS: number;
  /** Sampling of the revolution after the start and after the end (offsets from each). */
  readonly startSampling?: RevolutionSampling;
  readonly endSampling?: RevolutionSampling;
}

/**
 * Revolution-averaged decay ⟨a⟩(spanS) − ⟨a⟩(0) of the numerical orbit from `start` for a trial
 * B (m²/kg), km; −∞ when the orbit falls below 90 km first.
 */
export function predictedDecayKm(
  start: DecayStart,
  spanS: number,
  bM2Kg: number,
  env: ReentryEnvironment,
  warnings: ReentryWarnings,
  relTol: number,
): number {
  const s0 = start.startSampling ?? uniformSampling(start.periodS);
  const s1 = start.endSampling ?? uniformSampling(start.periodS);
  const grid: number[] = [];
  for (const t of s0.offsetsS) grid.push(t);
  for (const t of s1.offsetsS) grid.push(Math.max(spanS + t, grid[grid.length - 1]!));
  const rot = gcrfToItrfRotation(start.epoch, env.context);
  const scratch: Vec3 = [0, 0, 0];
  const run = propagateNumerical(
    { epoch: start.epoch, state: start.state },
    reentryForces(env, bM2Kg, reentryDensity(env, warnings)),
    grid,
    {
      context: env.context,
      relTol,
      absTolKm: 1e-6,
      absTolKmS: 1e-9,
      keepDense: false,
      events: [
        {
          name: 'floor',
          g: (_t, y) => heightKmWith(rot, y[0]!, y[1]!, y[2]!, scratch) - FLOOR_KM,
          direction: -1,
          terminal: true,
        },
      ],
    },
  );
  if (run.stoppedAtS !== undefined) return Number.NEGATIVE_INFINITY;
  return (
    meanSemiMajorAxisKm(run.states, s0.offsetsS.length, s1.weights) -
    meanSemiMajorAxisKm(run.states, 0, s0.weights)
  );
}

/**
 * The B (m²/kg) for which the numerical orbit from `start` decays by `observedDaKm` (revolution
 * averages, negative) over `spanS`, by secant iteration from `b0`; also the decay reached.
 */
export function fitBallisticToDecay(
  start: DecayStart,
  spanS: number,
  observed: number,
  b0: number,
  env: ReentryEnvironment,
  warnings: ReentryWarnings = new ReentryWarnings(),
  relTol = 1e-10,
): { b: number; fitted: number } {
  const f = (b: number): number => predictedDecayKm(start, spanS, b, env, warnings, relTol) - observed;
  let b1 = b0;
  let f1 = f(b1);
  let evals = 1;
  while (!Number.isFinite(f1) && evals < MAX_EVALUATIONS) {
    b1 /= 4;
    f1 = f(b1);
    evals++;
  }
  // First correction: decay proportional to B.
  let b2 = b1 * (observed / (f1 + observed));
  if (!(b2 > 0) || !Number.isFinite(b2)) b2 = b1 * 0.5;
  let f2 = f(b2);
  evals++;
  while (evals < MAX_EVALUATIONS && Math.abs(f2) > REL_RESIDUAL * Math.abs(observed)) {
    if (!Number.isFinite(f2)) {
      b2 = (b1 + b2) / 2;
      f2 = f(b2);
      evals++;
      continue;
    }
    const b3 = f2 === f1 ? b2 : b2 - (f2 * (b2 - b1)) / (f2 - f1);
    b1 = b2;
    f1 = f2;
    b2 = b3 > 0 ? b3 : b1 / 2;
    f2 = f(b2);
    evals++;
  }
  return { b: b2, fitted: f2 + observed };
}

function robustSpread(bs: readonly number[]): number | undefined {
  if (bs.length < 2) return undefined;
  if (bs.length === 2) return Math.abs(bs[1]! - bs[0]!) / 2;
  const m = median(bs);
  return 1.4826 * median(bs.map((b) => Math.abs(b - m)));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Estimates B = C_D·A/m (m²/kg) of one object from its element-set history (any order; see the
 * module header for the method). Throws `REENTRY_NO_ELEMENTS`, `REENTRY_MIXED_OBJECTS`,
 * `REENTRY_NO_DECAY` (no pair and no ṅ shows decay) and the space-weather refusal of the environment.
 */
export function estimateBallisticCoefficient(
  history: readonly ElementSet[],
  env: ReentryEnvironment,
  options: BallisticCoefficientOptions = {},
): BallisticCoefficientEstimate {
  const sets = sortedHistory(history);
  const warnings = new ReentryWarnings();
  const relTol = options.relTol ?? 1e-10;
  const last = sets[sets.length - 1]!;
  const lastT = last.epoch.jd + last.epoch.jdFrac;
  const spanDays = options.fitSpanDays ?? 10;
  const minSpacing = options.minSpacingS ?? 7200;
  const firstIdx = sets.findIndex((es) => lastT - (es.epoch.jd + es.epoch.jdFrac) <= spanDays);
  const pairsIdx: [number, number][] = [];
  let i = firstIdx;
  for (let j = firstIdx + 1; j < sets.length; j++) {
    const a = sets[i]!;
    const b = sets[j]!;
    const dt = (b.epoch.jd - a.epoch.jd + (b.epoch.jdFrac - a.epoch.jdFrac)) * 86400;
    const period = (2 * Math.PI * 60) / a.meanMotionRadPerMin;
    if (dt >= minSpacing && dt >= period) {
      pairsIdx.push([i, j]);
      i = j;
    }
  }
  const kept = pairsIdx.slice(-(options.maxPairs ?? 6));
  const pairs: BallisticPairEstimate[] = [];
  let guess: number | undefined;
  for (const [ia, ib] of kept) {
    const oa = new ElementSetOrbit(sets[ia]!, env.context);
    const ob = new ElementSetOrbit(sets[ib]!, env.context);
    const spanS = ob.epoch.secondsSince(oa.epoch);
    const sa = revolutionSampling(sets[ia]!);
    const sb = revolutionSampling(sets[ib]!);
    const observed = sgp4MeanA(ob, sb) - sgp4MeanA(oa, sa);
    if (!(observed < 0)) {
      warnings.add(
        'BC_PAIR_NO_DECAY',
        'a pair of element sets shows no decay of the mean semi-major axis (manoeuvre or bad set): left out',
      );
      continue;
    }
    if (guess === undefined) {
      const bs = sets[ia]!.bstar;
      guess = bs > 0 ? 12.741621 * bs : 0.01;
    }
    const start = {
      epoch: oa.epoch,
      state: oa.stateAt(0),
      periodS: oa.periodS,
      startSampling: sa,
      endSampling: sb,
    };
    const { b, fitted } = fitBallisticToDecay(start, spanS, observed, guess, env, warnings, relTol);
    guess = b;
    pairs.push({ fromIndex: ia, toIndex: ib, spanS, observedDaKm: observed, fittedDaKm: fitted, bM2Kg: b });
  }
  if (pairs.length > 0) {
    const bs = pairs.map((p) => p.bM2Kg);
    return {
      bM2Kg: median(bs),
      spreadM2Kg: robustSpread(bs),
      method: 'pairs',
      pairs,
      warnings: warnings.list,
    };
  }
  const one = ballisticFromMeanMotionDot(last, env, warnings);
  return {
    bM2Kg: one.bM2Kg,
    spreadM2Kg: undefined,
    method: 'mean-motion-dot',
    pairs: [],
    observedRateKmPerDay: one.rateKmPerDay,
    warnings: warnings.list,
  };
}
