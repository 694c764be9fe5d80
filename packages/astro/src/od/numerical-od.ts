/**
 * Orbit determination with the numerical propagator: the GCRF state at an epoch (km, km/s), plus
 * optional force parameters (C_D, C_R, …) and measurement parameters (biases), fitted to
 * measurements by `solveLeastSquares` (batch weighted least squares, see least-squares.ts).
 *
 * Partials (Montenbruck & Gill, "Satellite Orbits", §7.1, Eq. 7.7): the measurement model gives
 * ∂z/∂x(t) at the measurement time; the chain rule with the state transition matrix of the
 * variational equations gives ∂z/∂x(t0) = ∂z/∂x(t)·Φ(t, t0) (`propagateNumerical` with `stm`).
 * Measurements before the epoch are reached by a second, backward propagation from the epoch, so an
 * arc may straddle it.
 *
 * Force parameters: their sensitivity columns ∂x(t)/∂q are central differences of two extra
 * propagations with q ± h (h = `step`, default 1e-3·max(|q|, 1)), rather than extended variational
 * equations: the ForceModel interface exposes no ∂a/∂q, any force built from the parameter map works
 * unchanged, and drag and radiation pressure are linear in C_D and C_R, so the state is almost
 * linear in them and a central difference is exact to second order (the truncation error is far
 * below the integrator's tolerance). The cost is two state-only propagations per force parameter per
 * iteration, against one STM propagation (7× the force evaluations of a state propagation).
 *
 * The measurement model is a callback; it gets the GCRF state at the measurement time tag (light
 * time, if modelled, is the callback's business; it may use the state's velocity for a first-order
 * correction) and the current values of every non-state parameter by name.
 */

import { AstroError } from '../errors.js';
import { assertFrame, makeState, type State } from '../frames/state.js';
import type { ForceModel } from '../numerical/force-model.js';
import { type NumericalPropagationOptions, propagateNumerical } from '../numerical/propagate.js';
import type { Measurement } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';
import {
  type LeastSquaresMeasurement,
  type LeastSquaresOptions,
  type LeastSquaresParameter,
  type LeastSquaresPrediction,
  type LeastSquaresResult,
  solveLeastSquares,
} from './least-squares.js';

/** A non-state estimated parameter. */
export interface OdParameter {
  readonly name: string;
  /** Initial and a-priori value. */
  readonly value: number;
  /** A-priori 1σ; absent: none. */
  readonly aprioriSigma?: number;
}

/** A force parameter, with its finite-difference step. */
export interface OdForceParameter extends OdParameter {
  /** Central-difference step (default 1e-3·max(|value|, 1)). */
  readonly step?: number;
}

/** What the measurement model returns for one measurement. */
export interface NumericalMeasurementModelOutput {
  /** Computed values, in the measurement's units and order. */
  readonly values: ArrayLike<number>;
  /** ∂values/∂(r km, v km/s) at the measurement time, row-major values.length × 6. */
  readonly dState: ArrayLike<number>;
  /** ∂values/∂parameter for the measurement parameters it depends on, by name (values.length each). */
  readonly dParameters?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * The measurement model: `state` is the GCRF state at `epoch` (the measurement's time tag);
 * `parameters` holds the current value of every force and measurement parameter by name.
 */
export type NumericalMeasurementModel = (
  measurement: Measurement,
  state: State<'GCRF'>,
  epoch: Instant,
  parameters: Readonly<Record<string, number>>,
) => NumericalMeasurementModelOutput;

/** Input of `fitNumericalOrbit`. */
export interface FitNumericalOrbitInput {
  /** The epoch of the estimated state. */
  readonly epoch: Instant;
  /** First guess of the state at the epoch, GCRF km and km/s. */
  readonly initialState: State<'GCRF'>;
  /** A-priori covariance of the state (6×6 row-major, km and km/s); absent: none. */
  readonly initialCovariance?: ArrayLike<number>;
  readonly measurements: readonly Measurement[];
  /**
   * The forces, or a builder of the forces from the force parameters' current values (required
   * when `forceParameters` is not empty).
   */
  readonly forceModels:
    | readonly ForceModel[]
    | ((parameters: Readonly<Record<string, number>>) => readonly ForceModel[]);
  /** Force parameters to estimate (e.g. 'cd', 'cr'). */
  readonly forceParameters?: readonly OdForceParameter[];
  /** Measurement parameters to estimate (e.g. 'range-bias:STATION'). */
  readonly measurementParameters?: readonly OdParameter[];
  readonly measurementModel: NumericalMeasurementModel;
  readonly options?: {
    /** Propagator options (the STM is switched on here). */
    readonly propagation?: Omit<NumericalPropagationOptions, 'stm' | 'keepDense' | 'events'>;
    readonly leastSquares?: LeastSquaresOptions;
  };
}

/** Result of `fitNumericalOrbit`. */
export interface NumericalOrbitFit {
  readonly epoch: Instant;
  /** Estimated GCRF state at the epoch. */
  readonly state: State<'GCRF'>;
  /** Formal 6×6 state covariance (km, km/s), row-major. */
  readonly covariance: Float64Array;
  /** The same scaled by the a-posteriori variance factor. */
  readonly scaledCovariance: Float64Array;
  /** Estimated force and measurement parameters by name. */
  readonly parameters: Readonly<Record<string, number>>;
  /** Formal 1σ of every estimated quantity by name (x, y, z, vx, vy, vz, then the parameters). */
  readonly sigmas: Readonly<Record<string, number>>;
  /** The full least-squares result (all parameters' covariance, residuals, statistics, history). */
  readonly solution: LeastSquaresResult;
}

/** Names of the six state parameters. */
export const STATE_PARAMETER_NAMES = ['x', 'y', 'z', 'vx', 'vy', 'vz'] as const;

/** Which components of a measurement kind are angles on a circle. */
export function wrappedComponents(kind: string): readonly boolean[] | undefined {
  if (kind === 'azimuth-elevation' || kind === 'right-ascension-declination') return [true, false];
  return undefined;
}

/**
 * Fits the state (and the requested parameters) to the measurements. Throws `FRAME_MISMATCH` for
 * a non-GCRF state, `OD_BAD_INPUT` for parameter names used twice or force parameters with a fixed
 * force list, and the errors of `solveLeastSquares`.
 */
export function fitNumericalOrbit(input: FitNumericalOrbitInput): NumericalOrbitFit {
  assertFrame(input.initialState, 'GCRF', 'fitNumericalOrbit initial state');
  const forceParams = input.forceParameters ?? [];
  const measParams = input.measurementParameters ?? [];
  const extra = [...forceParams, ...measParams];
  const names = [...STATE_PARAMETER_NAMES, ...extra.map((q) => q.name)];
  if (new Set(names).size !== names.length) {
    throw new AstroError(
      'OD_BAD_INPUT',
      'parameter names must be unique (x, y, z, vx, vy, vz are the state)',
      {
        found: names.join(','),
      },
    );
  }
  const builder = input.forceModels;
  if (forceParams.length > 0 && typeof builder !== 'function') {
    throw new AstroError(
      'OD_BAD_INPUT',
      'estimating force parameters needs forceModels as a builder function',
      {
        parameters: forceParams.map((q) => q.name),
      },
    );
  }
  const n = names.length;
  const s0 = input.initialState;
  const parameters: LeastSquaresParameter[] = [
    ...STATE_PARAMETER_NAMES.map((name, j) => ({
      name,
      value: j < 3 ? s0.rKm[j]! : s0.vKmS[j - 3]!,
    })),
    ...extra.map((q) => (q.aprioriSigma === undefined ? { name: q.name, value: q.value } : { ...q })),
  ];
  let aprioriCovariance: Float64Array | undefined;
  if (input.initialCovariance !== undefined) {
    aprioriCovariance = new Float64Array(n * n);
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < 6; b++) aprioriCovariance[a * n + b] = input.initialCovariance[a * 6 + b]!;
    extra.forEach((q, k) => {
      const j = 6 + k;
      // No a-priori on a parameter: a loose one (1e6 σ-units of its scale) keeps the matrix invertible.
      const s = q.aprioriSigma ?? 1e6 * Math.max(Math.abs(q.value), 1);
      aprioriCovariance![j * n + j] = s * s;
    });
  }
  const ms = input.measurements;
  const lsMeasurements: LeastSquaresMeasurement[] = ms.map((m) => {
    const wrap = wrappedComponents(m.kind);
    return {
      kind: m.kind,
      station: m.station,
      observed: m.values,
      sigmas: m.sigmas,
      ...(wrap === undefined ? {} : { wrap }),
    };
  });
  const tS = ms.map((m) => m.epoch.secondsSince(input.epoch));
  const fwd = [...new Set(tS.filter((t) => t >= 0))].sort((a, b) => a - b);
  const bwd = [...new Set(tS.filter((t) => t < 0))].sort((a, b) => b - a);
  const propOptions = input.options?.propagation ?? {};

  /** States (6-vectors) and, with stm, Φ at every measurement time. */
  const propagateAll = (
    x0: ArrayLike<number>,
    forces: readonly ForceModel[],
    stm: boolean,
  ): { states: Map<number, Float64Array>; stms: Map<number, Float64Array> } => {
    const states = new Map<number, Float64Array>();
    const stms = new Map<number, Float64Array>();
    const initial = {
      epoch: input.epoch,
      state: makeState('GCRF', [x0[0]!, x0[1]!, x0[2]!], [x0[3]!, x0[4]!, x0[5]!]),
    };
    for (const grid of [fwd, bwd]) {
      if (grid.length === 0) continue;
      const r = propagateNumerical(initial, forces, grid, { ...propOptions, stm, keepDense: false });
      grid.forEach((t, i) => {
        const s = r.states[i]!;
        states.set(t, Float64Array.of(s.rKm[0], s.rKm[1], s.rKm[2], s.vKmS[0], s.vKmS[1], s.vKmS[2]));
        if (stm) stms.set(t, r.stm![i]!);
      });
    }
    return { states, stms };
  };

  const valuesOf = (p: ArrayLike<number>): Record<string, number> =>
    Object.fromEntries(extra.map((q, k) => [q.name, p[6 + k]!]));
  const forcesOf = (vals: Readonly<Record<string, number>>): readonly ForceModel[] =>
    typeof builder === 'function' ? builder(vals) : builder;

  const evaluate = (p: Float64Array): LeastSquaresPrediction[] => {
    const vals = valuesOf(p);
    const nominal = propagateAll(p, forcesOf(vals), true);
    // Sensitivities to the force parameters by central differences.
    const sens: Map<number, Float64Array>[] = forceParams.map((q) => {
      const h = q.step ?? 1e-3 * Math.max(Math.abs(vals[q.name]!), 1);
      const plus = propagateAll(p, forcesOf({ ...vals, [q.name]: vals[q.name]! + h }), false).states;
      const minus = propagateAll(p, forcesOf({ ...vals, [q.name]: vals[q.name]! - h }), false).states;
      const out = new Map<number, Float64Array>();
      for (const [t, xp] of plus) {
        const xm = minus.get(t)!;
        out.set(
          t,
          Float64Array.from(xp, (v, i) => (v - xm[i]!) / (2 * h)),
        );
      }
      return out;
    });
    return ms.map((m, i) => {
      const t = tS[i]!;
      const x = nominal.states.get(t)!;
      const phi = nominal.stms.get(t)!;
      const state = makeState('GCRF', [x[0]!, x[1]!, x[2]!], [x[3]!, x[4]!, x[5]!]);
      const out = input.measurementModel(m, state, m.epoch, vals);
      const k = out.values.length;
      if (out.dState.length !== k * 6) {
        throw new AstroError('OD_BAD_INPUT', `measurement ${i}: dState must be ${k}×6`, {
          expected: k * 6,
          found: out.dState.length,
        });
      }
      const h = new Float64Array(k * n);
      for (let r = 0; r < k; r++) {
        for (let c = 0; c < 6; c++) {
          let s = 0;
          for (let l = 0; l < 6; l++) s += out.dState[r * 6 + l]! * phi[l * 6 + c]!;
          h[r * n + c] = s;
        }
        forceParams.forEach((_, j) => {
          const sv = sens[j]!.get(t)!;
          let s = 0;
          for (let l = 0; l < 6; l++) s += out.dState[r * 6 + l]! * sv[l]!;
          h[r * n + 6 + j] = s;
        });
        measParams.forEach((q, j) => {
          const dq = out.dParameters?.[q.name];
          if (dq !== undefined) h[r * n + 6 + forceParams.length + j] = dq[r]!;
        });
      }
      return { values: out.values, partials: h };
    });
  };

  const solution = solveLeastSquares(
    {
      parameters,
      ...(aprioriCovariance === undefined ? {} : { aprioriCovariance }),
      measurements: lsMeasurements,
      evaluate,
    },
    input.options?.leastSquares ?? {},
  );
  const e = solution.estimate;
  const sub6 = (c: Float64Array): Float64Array => {
    const out = new Float64Array(36);
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) out[a * 6 + b] = c[a * n + b]!;
    return out;
  };
  return {
    epoch: input.epoch,
    state: makeState('GCRF', [e[0]!, e[1]!, e[2]!], [e[3]!, e[4]!, e[5]!]),
    covariance: sub6(solution.covariance),
    scaledCovariance: sub6(solution.scaledCovariance),
    parameters: valuesOf(e),
    sigmas: Object.fromEntries(names.map((nm, j) => [nm, solution.sigmas[j]!])),
    solution,
  };
}
