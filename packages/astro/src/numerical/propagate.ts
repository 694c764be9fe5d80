/**
 * Numerical orbit propagation: Cowell's method (Montenbruck & Gill, "Satellite Orbits", §4.1)
 * with the DOP853 integrator, a list of ForceModels summed in GCRF, output on a time grid and a
 * dense trajectory, and optionally the 6×6 state transition matrix Φ(t, t0) from the variational
 * equations (M&G §7.2, Eq. 7.42): dΦ/dt = [[0, I], [∂a/∂r, ∂a/∂v]]·Φ, Φ(t0) = I, integrated with
 * the state as one 42-vector. The partials ∂a/∂r, ∂a/∂v are central finite differences of the
 * summed acceleration (steps `stmPerturbationKm`, `stmPerturbationKmS`); the velocity columns are
 * skipped when every force declares `dependsOnVelocity: false`. A covariance follows as P(t) = Φ P0 Φᵀ
 * (`propagateCovariance`).
 *
 * Error control uses the 6 state components (position with absTolKm, velocity with absTolKmS,
 * both with relTol); the STM follows the steps chosen for the state.
 */

import type { AstroContext } from '../context/astro-context.js';
import { AstroError } from '../errors.js';
import { assertFrame, makeState, type State } from '../frames/state.js';
import type { Instant } from '../time/instant.js';
import { DenseTrajectory } from './dense-trajectory.js';
import { type Dop853Stats, type Dop853Step, integrateDop853 } from './dop853.js';
import type { Ephemeris } from './ephemeris.js';
import { type ForceModel, PropagationForceContext } from './force-model.js';

/**
 * An event: a zero of the switching function g(t, y). Detected when g changes sign between the
 * ends of an accepted step, then located on the dense output by the Illinois method; two zeros
 * within one step cancel and are missed (limit the step with maxStepS for fast functions).
 */
export interface NumericalEventDetector {
  readonly name: string;
  /**
   * The switching function of tS (s since the epoch) and the state y (GCRF km, km/s in y[0..5];
   * Φ in y[6..41] when the STM is on). Must not keep `y`.
   */
  g(tS: number, y: Float64Array): number;
  /** 1: only − → + crossings, −1: only + → −, 0 (default): both. */
  readonly direction?: -1 | 0 | 1;
  /** Stop the propagation at the first such event (default false). */
  readonly terminal?: boolean;
}

/** A located event. */
export interface NumericalEvent {
  readonly name: string;
  /** Time of the zero, s since the epoch (within eventToleranceS). */
  readonly tS: number;
  /** True for a − → + crossing of g. */
  readonly rising: boolean;
  readonly state: State<'GCRF'>;
}

/** Options of `propagateNumerical`. */
export interface NumericalPropagationOptions {
  /** Relative tolerance (default 1e-12). */
  readonly relTol?: number;
  /** Absolute tolerance on position, km (default 1e-9 km = 1 µm). */
  readonly absTolKm?: number;
  /** Absolute tolerance on velocity, km/s (default 1e-12 km/s). */
  readonly absTolKmS?: number;
  /** First step, s (default: automatic). */
  readonly initialStepS?: number;
  /** Largest step, s (default: the whole span). */
  readonly maxStepS?: number;
  /** Smallest step, s, before `NUMERICAL_STEP_TOO_SMALL` (default 0). */
  readonly minStepS?: number;
  /** Most steps before `NUMERICAL_TOO_MANY_STEPS` (default 1,000,000). */
  readonly maxSteps?: number;
  /** Leap seconds and EOP, needed by forces in the Earth-fixed frame. */
  readonly context?: AstroContext;
  /** Sun and Moon ephemeris (default: the analytic series). */
  readonly ephemeris?: Ephemeris;
  /** Grid of full precession–nutation evaluations, s (default 300; see force-model.ts). */
  readonly frameRefreshS?: number;
  /** Propagate the 6×6 state transition matrix (default false). */
  readonly stm?: boolean;
  /** Finite-difference step of position for ∂a/∂r, km (default 1e-3 km). */
  readonly stmPerturbationKm?: number;
  /** Finite-difference step of velocity for ∂a/∂v, km/s (default 1e-6 km/s). */
  readonly stmPerturbationKmS?: number;
  /** Keep the dense trajectory (default true). */
  readonly keepDense?: boolean;
  /** Event detectors (default none). */
  readonly events?: readonly NumericalEventDetector[];
  /** Width of the final bracket of an event time, s (default 1e-6 s). */
  readonly eventToleranceS?: number;
}

/** The initial condition: a GCRF state at an instant. */
export interface NumericalInitialState {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
}

/** Result of `propagateNumerical`. */
export interface NumericalPropagation {
  /** The epoch of tS = 0. */
  readonly epoch: Instant;
  /** Output times, s since the epoch (the requested grid). */
  readonly timesS: Float64Array;
  /** GCRF states at the output times. */
  readonly states: readonly State<'GCRF'>[];
  /** Events found, in time order. */
  readonly events: readonly NumericalEvent[];
  /** Time of the terminal event that stopped the propagation (grid points after it are absent). */
  readonly stoppedAtS: number | undefined;
  /** Φ(t, t0) at the output times, 6×6 row-major (only with `stm`). */
  readonly stm: readonly Float64Array[] | undefined;
  /** The integrated trajectory for queries at any time of the span (unless keepDense is false). */
  readonly trajectory: NumericalTrajectory | undefined;
  readonly stats: Dop853Stats;
}

/** A propagated trajectory that can be evaluated anywhere in its span (7th-order dense output). */
export class NumericalTrajectory {
  readonly epoch: Instant;
  readonly #dense: DenseTrajectory;
  readonly #buf: Float64Array;

  constructor(epoch: Instant, dense: DenseTrajectory) {
    this.epoch = epoch;
    this.#dense = dense;
    this.#buf = new Float64Array(dense.n);
  }

  /** Covered span, s since the epoch. */
  get startS(): number {
    return this.#dense.tStart;
  }
  get endS(): number {
    return this.#dense.tEnd;
  }

  /** The GCRF state tS seconds after the epoch. Throws `NUMERICAL_OUT_OF_RANGE` outside the span. */
  stateAt(tS: number): State<'GCRF'> {
    const y = this.#dense.evaluate(tS, this.#buf);
    return makeState('GCRF', [y[0]!, y[1]!, y[2]!], [y[3]!, y[4]!, y[5]!]);
  }

  /** The GCRF state at an instant. */
  stateAtInstant(t: Instant): State<'GCRF'> {
    return this.stateAt(t.secondsSince(this.epoch));
  }

  /** Φ(t, t0), 6×6 row-major, when the STM was propagated (else undefined). */
  stmAt(tS: number): Float64Array | undefined {
    if (this.#dense.n < 42) return undefined;
    const y = this.#dense.evaluate(tS, this.#buf);
    return y.slice(6, 42);
  }
}

/**
 * Propagates `initial` under the sum of `forces` to every time of `gridS` (s since the epoch,
 * monotonic, all on one side of 0; the last one is the end of the integration). Throws
 * `NUMERICAL_BAD_INPUT` for an empty or non-monotonic grid, `FRAME_MISMATCH` for a state that is
 * not in GCRF, and the integrator's and forces'
 * errors (`NUMERICAL_NO_CONTEXT` when a force needs the Earth-fixed frame without a context).
 */
export function propagateNumerical(
  initial: NumericalInitialState,
  forces: readonly ForceModel[],
  gridS: ArrayLike<number>,
  options: NumericalPropagationOptions = {},
): NumericalPropagation {
  const m = gridS.length;
  const end = m > 0 ? gridS[m - 1]! : Number.NaN;
  const dir = end >= 0 ? 1 : -1;
  let ok = m > 0 && Number.isFinite(end);
  for (let i = 0; ok && i < m; i++) {
    const g = gridS[i]!;
    if (!Number.isFinite(g) || g * dir < 0 || (i > 0 && (g - gridS[i - 1]!) * dir < 0)) ok = false;
  }
  if (!ok) {
    throw new AstroError(
      'NUMERICAL_BAD_INPUT',
      'the output grid must be non-empty, finite, monotonic and on one side of 0',
      {
        expected: 'e.g. [0, 60, 120, …]',
        found: Array.from({ length: Math.min(m, 5) }, (_, i) => gridS[i]).join(','),
      },
    );
  }
  assertFrame(initial.state, 'GCRF', 'propagateNumerical initial state');
  const withStm = options.stm ?? false;
  const n = withStm ? 42 : 6;
  const ctx = new PropagationForceContext(initial.epoch, {
    context: options.context,
    ephemeris: options.ephemeris,
    frameRefreshS: options.frameRefreshS,
  });
  const rhs = makeRhs(
    forces,
    ctx,
    withStm,
    options.stmPerturbationKm ?? 1e-3,
    options.stmPerturbationKmS ?? 1e-6,
  );

  const y0 = new Float64Array(n);
  const s0 = initial.state;
  y0.set([s0.rKm[0], s0.rKm[1], s0.rKm[2], s0.vKmS[0], s0.vKmS[1], s0.vKmS[2]]);
  if (withStm) for (let i = 0; i < 6; i++) y0[6 + 7 * i] = 1;
  const absTol = new Float64Array(n);
  absTol.fill(options.absTolKm ?? 1e-9, 0, 3);
  absTol.fill(options.absTolKmS ?? 1e-12, 3, 6);
  absTol.fill(1e-12, 6);

  const keepDense = options.keepDense ?? true;
  const dense = keepDense ? new DenseTrajectory(n) : undefined;
  const timesS = Float64Array.from(gridS);
  const states: State<'GCRF'>[] = [];
  const stms: Float64Array[] = [];
  const buf = new Float64Array(n);
  let next = 0;
  const emit = (y: Float64Array): void => {
    states.push(makeState('GCRF', [y[0]!, y[1]!, y[2]!], [y[3]!, y[4]!, y[5]!]));
    if (withStm) stms.push(y.slice(6, 42));
    next++;
  };
  while (next < m && timesS[next] === 0) emit(y0);
  const detectors = options.events ?? [];
  const eventTol = options.eventToleranceS ?? 1e-6;
  const gPrev = detectors.map((d) => d.g(0, y0));
  const events: NumericalEvent[] = [];
  let stoppedAtS: number | undefined;
  const ybuf = new Float64Array(n);
  const onStep = (step: Dop853Step): boolean | undefined => {
    dense?.append(step);
    // Events of this step, earliest first; a terminal one cuts the step short.
    let stopAt = step.tEnd;
    let terminalAt: number | undefined;
    const found: NumericalEvent[] = [];
    for (let i = 0; i < detectors.length; i++) {
      const d = detectors[i]!;
      const g0 = gPrev[i]!;
      const g1 = d.g(step.tEnd, step.interpolate(step.tEnd, ybuf));
      gPrev[i] = g1;
      const rising = g0 < 0 && g1 >= 0;
      const falling = g0 > 0 && g1 <= 0;
      if (!(rising || falling)) continue;
      if ((d.direction === 1 && !rising) || (d.direction === -1 && !falling)) continue;
      const sgn = rising ? 1 : -1;
      const te = locateRoot(
        (t) => sgn * d.g(t, step.interpolate(t, ybuf)),
        step.tStart,
        step.tEnd,
        -Math.abs(g0),
        Math.abs(g1),
        eventTol,
      );
      const y = step.interpolate(te, ybuf);
      found.push({
        name: d.name,
        tS: te,
        rising,
        state: makeState('GCRF', [y[0]!, y[1]!, y[2]!], [y[3]!, y[4]!, y[5]!]),
      });
      if (d.terminal === true && (terminalAt === undefined || (te - terminalAt) * dir < 0)) terminalAt = te;
    }
    if (terminalAt !== undefined) {
      stopAt = terminalAt;
      stoppedAtS = terminalAt;
    }
    found.sort((a, b) => (a.tS - b.tS) * dir);
    for (const e of found) if ((e.tS - stopAt) * dir <= 0) events.push(e);
    while (next < m && (timesS[next]! - stopAt) * dir <= 0) emit(step.interpolate(timesS[next]!, buf));
    return stoppedAtS !== undefined ? true : undefined;
  };
  // The dense output (3 more force evaluations per step) only where it is used: kept, events, or
  // a grid point inside the step.
  const denseWanted =
    keepDense || detectors.length > 0
      ? undefined
      : (_t0: number, t1: number): boolean => next < m && (timesS[next]! - t1) * dir <= 0;
  const result = integrateDop853(
    rhs,
    0,
    y0,
    end,
    {
      ...(denseWanted === undefined ? {} : { denseWanted }),
      relTol: options.relTol ?? 1e-12,
      absTol,
      errorDimension: 6,
      ...(options.initialStepS === undefined ? {} : { initialStep: options.initialStepS }),
      ...(options.maxStepS === undefined ? {} : { maxStep: options.maxStepS }),
      ...(options.minStepS === undefined ? {} : { minStep: options.minStepS }),
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    },
    onStep,
  );
  // The last grid point is the end of the integration: take the integrator's end state exactly.
  if (stoppedAtS !== undefined) {
    // Stopped by an event: grid points after it stay absent.
  } else if (next < m) {
    while (next < m) emit(result.y);
  } else if (m > 0 && end !== 0) {
    states[m - 1] = makeState(
      'GCRF',
      [result.y[0]!, result.y[1]!, result.y[2]!],
      [result.y[3]!, result.y[4]!, result.y[5]!],
    );
    if (withStm) stms[m - 1] = result.y.slice(6, 42);
  }
  return {
    epoch: initial.epoch,
    timesS,
    states,
    events,
    stoppedAtS,
    stm: withStm ? stms : undefined,
    trajectory: dense === undefined ? undefined : new NumericalTrajectory(initial.epoch, dense),
    stats: result.stats,
  };
}

/**
 * Zero of f in [a, b] (either order) with f(a) = fa ≤ 0 ≤ fb = f(b), by the Illinois variant of
 * regula falsi (Dowell & Jarratt 1971), to a bracket of width `tol`.
 */
function locateRoot(
  f: (t: number) => number,
  a: number,
  b: number,
  fa0: number,
  fb0: number,
  tol: number,
): number {
  let lo = a;
  let hi = b;
  let flo = fa0;
  let fhi = fb0;
  let side = 0;
  let t = hi;
  for (let it = 0; it < 200 && Math.abs(hi - lo) > tol; it++) {
    t = (lo * fhi - hi * flo) / (fhi - flo);
    if (!((t - lo) * (hi - t) > 0)) t = 0.5 * (lo + hi);
    const v = f(t);
    if (v < 0) {
      lo = t;
      flo = v;
      if (side === -1) fhi *= 0.5;
      side = -1;
    } else {
      hi = t;
      fhi = v;
      if (side === 1) flo *= 0.5;
      side = 1;
    }
  }
  return hi;
}

/** The right-hand side for the 6-state or the 42-state (state + Φ). */
function makeRhs(
  forces: readonly ForceModel[],
  ctx: PropagationForceContext,
  withStm: boolean,
  dr: number,
  dv: number,
): (t: number, y: Float64Array, dy: Float64Array) => void {
  const r = new Float64Array(3);
  const v = new Float64Array(3);
  const a = new Float64Array(3);
  const ap = new Float64Array(3);
  const am = new Float64Array(3);
  const g = new Float64Array(9); // ∂a/∂r row-major
  const hv = new Float64Array(9); // ∂a/∂v row-major
  const velocityDependent = forces.some((f) => f.dependsOnVelocity !== false);
  const sum = (t: number, out: Float64Array): void => {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    for (const f of forces) f.acceleration(t, r, v, out, ctx);
  };
  return (t, y, dy) => {
    r[0] = y[0]!;
    r[1] = y[1]!;
    r[2] = y[2]!;
    v[0] = y[3]!;
    v[1] = y[4]!;
    v[2] = y[5]!;
    sum(t, a);
    dy[0] = v[0];
    dy[1] = v[1];
    dy[2] = v[2];
    dy[3] = a[0]!;
    dy[4] = a[1]!;
    dy[5] = a[2]!;
    if (!withStm) return;
    for (let j = 0; j < 3; j++) {
      const rj = r[j]!;
      r[j] = rj + dr;
      sum(t, ap);
      r[j] = rj - dr;
      sum(t, am);
      r[j] = rj;
      for (let i = 0; i < 3; i++) g[3 * i + j] = (ap[i]! - am[i]!) / (2 * dr);
    }
    if (velocityDependent) {
      for (let j = 0; j < 3; j++) {
        const vj = v[j]!;
        v[j] = vj + dv;
        sum(t, ap);
        v[j] = vj - dv;
        sum(t, am);
        v[j] = vj;
        for (let i = 0; i < 3; i++) hv[3 * i + j] = (ap[i]! - am[i]!) / (2 * dv);
      }
    } else {
      hv.fill(0);
    }
    // Φ rows 0..2 (position) and 3..5 (velocity), columns k.
    for (let k = 0; k < 6; k++) {
      const p0 = y[6 + k]!;
      const p1 = y[12 + k]!;
      const p2 = y[18 + k]!;
      const q0 = y[24 + k]!;
      const q1 = y[30 + k]!;
      const q2 = y[36 + k]!;
      dy[6 + k] = q0;
      dy[12 + k] = q1;
      dy[18 + k] = q2;
      for (let i = 0; i < 3; i++) {
        dy[24 + 6 * i + k] =
          g[3 * i]! * p0 +
          g[3 * i + 1]! * p1 +
          g[3 * i + 2]! * p2 +
          hv[3 * i]! * q0 +
          hv[3 * i + 1]! * q1 +
          hv[3 * i + 2]! * q2;
      }
    }
  };
}

/** P(t) = Φ·P0·Φᵀ for 6×6 row-major Φ and P0 (a new array). */
export function propagateCovariance(phi: Float64Array, p0: Float64Array): Float64Array {
  if (phi.length !== 36 || p0.length !== 36) {
    throw new AstroError('NUMERICAL_BAD_INPUT', 'Φ and P0 must be 6×6 (36 values, row-major)', {
      expected: '36 and 36 values',
      found: `${phi.length} and ${p0.length}`,
    });
  }
  const t = new Float64Array(36);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += phi[6 * i + k]! * p0[6 * k + j]!;
      t[6 * i + j] = s;
    }
  }
  const out = new Float64Array(36);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += t[6 * i + k]! * phi[6 * j + k]!;
      out[6 * i + j] = s;
    }
  }
  return out;
}
