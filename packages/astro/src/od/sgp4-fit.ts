/**
 * SGP4 differential correction: the mean elements (and B*, unless fixed) of an element set fitted
 * by batch least squares (least-squares.ts) to positions (or positions and velocities) in TEME or
 * GCRF, e.g. an OEM or a CPF ephemeris, or to any measurements through the same callback as the
 * numerical OD (Vallado & Crawford, "SGP4 orbit determination", AIAA 2008-6770; Vallado,
 * "Fundamentals of Astrodynamics and Applications", 4th ed., §10.4 "differential correction").
 *
 * Parameters (non-singular at e = 0 and i = 0, Broucke & Cefola's equinoctial set on SGP4's mean
 * elements): n (Kozai mean motion, rad/min), f = e·cos ϖ, g = e·sin ϖ, h = tan(i/2)·cos Ω,
 * k = tan(i/2)·sin Ω, L = M + ϖ (rad), with ϖ = ω + Ω, and B* (1/ER). Retrograde orbits near
 * i = 180° are out of reach (tan(i/2) diverges).
 *
 * Partials: central differences of SGP4 itself (two sgp4init per parameter and iteration), with the
 * steps of `SGP4_FIT_STEPS` (chosen well above SGP4's own round-off, about 1e-12 rad in its Kepler
 * solver, and small enough that the truncation error, second order, stays below 1e-9 relative).
 * Times: every observation's instant becomes minutes since the element epoch through its UTC label
 * (SGP4 runs on UTC). GCRF observations are rotated into TEME once (IAU-76/FK5 chain of the frame
 * graph with the context's EOP) and fitted there; measurements get the SGP4 state rotated to GCRF.
 *
 * A TLE keeps 7 decimals of eccentricity (5e-8 rounding, up to 0.35 km at LEO radius), 4 decimals of
 * degrees for the angles (1e-4°/2, 6 m) and 8 decimals of rev/day for the mean motion: the TLE text
 * cannot carry a sub-metre fit in general; the OMM writer keeps more digits. See od-sgp4.test.ts.
 */

import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import {
  applyFrameTransform,
  type FrameTransform,
  frameTransform,
  newFrameTransform,
} from '../frames/frame-graph.js';
import { makeState } from '../frames/state.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import type { Measurement } from '../observations/observation.js';
import { minutesSinceEpoch, utcLabelOfInstant } from '../sgp4/epoch-time.js';
import type { Sgp4Gravity } from '../sgp4/gravity.js';
import { type Sgp4Opsmode, sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';
import type { TimeContext } from '../time/utc.js';
import {
  type LeastSquaresMeasurement,
  type LeastSquaresOptions,
  type LeastSquaresParameter,
  type LeastSquaresPrediction,
  type LeastSquaresResult,
  solveLeastSquares,
} from './least-squares.js';
import { type NumericalMeasurementModel, type OdParameter, wrappedComponents } from './numerical-od.js';

/** Parameter names of the SGP4 fit, in order (B* last, absent when fixed). */
export const SGP4_FIT_PARAMETER_NAMES = ['n', 'f', 'g', 'h', 'k', 'L', 'bstar'] as const;

/** Central-difference steps of the SGP4 partials (rad/min, dimensionless, rad, 1/ER). */
export const SGP4_FIT_STEPS = {
  n: 1e-9,
  f: 1e-7,
  g: 1e-7,
  h: 1e-7,
  k: 1e-7,
  L: 1e-7,
  bstar: 1e-6,
} as const;

/** An ephemeris point to fit. */
export interface Sgp4FitPoint {
  readonly epoch: Instant;
  readonly frame: 'TEME' | 'GCRF';
  readonly rKm: ReadonlyVec3;
  /** Velocity, km/s; fitted too when present. */
  readonly vKmS?: ReadonlyVec3;
}

/** Input of `fitSgp4`. */
export interface FitSgp4Input {
  /** First guess; its epoch, identity, rates and (when fixed) B* are kept. */
  readonly initial: ElementSet;
  /** Ephemeris points (TEME or GCRF). */
  readonly points?: readonly Sgp4FitPoint[];
  /** 1σ of each position component, km (default 1e-3). */
  readonly positionSigmaKm?: number;
  /** 1σ of each velocity component, km/s (default 1e-6). */
  readonly velocitySigmaKmS?: number;
  /** Measurements fitted through `measurementModel` (GCRF state at the time tag). */
  readonly measurements?: readonly Measurement[];
  readonly measurementModel?: NumericalMeasurementModel;
  /** Measurement parameters (biases) estimated with the elements. */
  readonly measurementParameters?: readonly OdParameter[];
  /** Leap seconds (UTC of the instants) and, for GCRF data, EOP. */
  readonly context: TimeContext | AstroContext;
  /** Fit B* (default true); false keeps the initial B*. */
  readonly fitBstar?: boolean;
  readonly gravity?: Sgp4Gravity;
  readonly opsmode?: Sgp4Opsmode;
  readonly leastSquares?: LeastSquaresOptions;
}

/** Result of `fitSgp4`. */
export interface Sgp4Fit {
  /** The fitted element set (the initial one with new mean elements and B*). */
  readonly elements: ElementSet;
  /** Estimated measurement parameters by name. */
  readonly parameters: Readonly<Record<string, number>>;
  /** The full least-squares result, in the equinoctial parameters of SGP4_FIT_PARAMETER_NAMES. */
  readonly solution: LeastSquaresResult;
  /** RMS of the position residuals of `points`, km (NaN without points). */
  readonly positionRmsKm: number;
}

const TWO_PI = 2 * Math.PI;
function wrap2Pi(x: number): number {
  const y = x % TWO_PI;
  return y < 0 ? y + TWO_PI : y;
}

/** Equinoctial parameters [n, f, g, h, k, L] of an element set. */
export function sgp4EquinoctialOf(es: ElementSet): [number, number, number, number, number, number] {
  const varpi = es.argPerigeeRad + es.raanRad;
  const t = Math.tan(es.inclinationRad / 2);
  return [
    es.meanMotionRadPerMin,
    es.eccentricity * Math.cos(varpi),
    es.eccentricity * Math.sin(varpi),
    t * Math.cos(es.raanRad),
    t * Math.sin(es.raanRad),
    wrap2Pi(es.meanAnomalyRad + varpi),
  ];
}

/** The element set `template` with mean elements from equinoctial parameters and B*. */
export function elementsFromSgp4Equinoctial(
  template: ElementSet,
  p: ArrayLike<number>,
  bstar: number,
): ElementSet {
  const f = p[1]!;
  const g = p[2]!;
  const h = p[3]!;
  const k = p[4]!;
  const raan = wrap2Pi(Math.atan2(k, h));
  const varpi = Math.atan2(g, f);
  return {
    ...template,
    meanMotionRadPerMin: p[0]!,
    eccentricity: Math.hypot(f, g),
    inclinationRad: 2 * Math.atan(Math.hypot(h, k)),
    raanRad: raan,
    argPerigeeRad: wrap2Pi(varpi - raan),
    meanAnomalyRad: wrap2Pi(p[5]! - varpi),
    bstar,
  };
}

/**
 * Fits SGP4 mean elements (and B*) to points and/or measurements. Throws `OD_BAD_INPUT` (nothing to
 * fit, a measurement without a model, GCRF data without EOP context), `OD_SGP4_FAILED` when SGP4
 * fails at the first guess, and the errors of `solveLeastSquares`.
 */
export function fitSgp4(input: FitSgp4Input): Sgp4Fit {
  const points = input.points ?? [];
  const meas = input.measurements ?? [];
  if (points.length + meas.length === 0) {
    throw new AstroError('OD_BAD_INPUT', 'fitSgp4 needs points or measurements', {});
  }
  if (meas.length > 0 && input.measurementModel === undefined) {
    throw new AstroError('OD_BAD_INPUT', 'measurements need a measurementModel', {});
  }
  const fitBstar = input.fitBstar ?? true;
  const sgp4Options = { gravity: input.gravity ?? 'wgs72', opsmode: input.opsmode ?? 'i' } as const;
  const sigR = input.positionSigmaKm ?? 1e-3;
  const sigV = input.velocitySigmaKmS ?? 1e-6;
  const template = input.initial;
  const measParams = input.measurementParameters ?? [];
  const ctx = input.context;

  const tsince = (t: Instant): number => {
    const label = utcLabelOfInstant(t, ctx);
    return minutesSinceEpoch(template.epoch, label.jd, label.jdFrac);
  };
  const needsFrames = meas.length > 0 || points.some((p) => p.frame === 'GCRF');
  const fullCtx = (): AstroContext => {
    if (!('eopBeyondTable' in ctx)) {
      throw new AstroError(
        'OD_BAD_INPUT',
        'GCRF data and measurements need an AstroContext (EOP) for TEME ↔ GCRF',
        {},
      );
    }
    return ctx as AstroContext;
  };
  const temeToGcrf = (t: Instant): FrameTransform =>
    frameTransform('TEME', 'GCRF', frameEpochAt(t, fullCtx()), newFrameTransform());
  if (needsFrames) fullCtx();

  // Points → TEME target values.
  const pointT = points.map((p) => tsince(p.epoch));
  const pointTeme = points.map((p) => {
    const r: Vec3 = [p.rKm[0], p.rKm[1], p.rKm[2]];
    const v: Vec3 = p.vKmS === undefined ? [0, 0, 0] : [p.vKmS[0], p.vKmS[1], p.vKmS[2]];
    if (p.frame === 'GCRF') {
      const tr = frameTransform('GCRF', 'TEME', frameEpochAt(p.epoch, fullCtx()), newFrameTransform());
      applyFrameTransform(tr, r, v, r, v);
    }
    return p.vKmS === undefined ? [...r] : [...r, ...v];
  });
  const measT = meas.map((m) => tsince(m.epoch));
  const measTr = meas.map((m) => temeToGcrf(m.epoch));

  const bstar0 = template.bstar;
  const eq0 = sgp4EquinoctialOf(template);
  const nEl = fitBstar ? 7 : 6;
  const parameters: LeastSquaresParameter[] = [
    ...SGP4_FIT_PARAMETER_NAMES.slice(0, nEl).map((name, j) => ({ name, value: j < 6 ? eq0[j]! : bstar0 })),
    ...measParams.map((q) => (q.aprioriSigma === undefined ? { name: q.name, value: q.value } : { ...q })),
  ];
  const n = parameters.length;
  const steps = SGP4_FIT_PARAMETER_NAMES.slice(0, nEl).map((nm) => SGP4_FIT_STEPS[nm]);

  const measurements: LeastSquaresMeasurement[] = [
    ...points.map((p, i) => ({
      kind: p.vKmS === undefined ? 'position' : 'position-velocity',
      station: 'ephemeris',
      observed: pointTeme[i]!,
      sigmas: pointTeme[i]!.map((_, j) => (j < 3 ? sigR : sigV)),
    })),
    ...meas.map((m) => {
      const wrap = wrappedComponents(m.kind);
      return {
        kind: m.kind,
        station: m.station,
        observed: m.values,
        sigmas: m.sigmas,
        ...(wrap === undefined ? {} : { wrap }),
      };
    }),
  ];

  /** TEME states (6 per time) of every point then every measurement. */
  const allT = [...pointT, ...measT];
  const out6 = new Float64Array(6);
  const statesOf = (p: ArrayLike<number>): Float64Array => {
    const es = elementsFromSgp4Equinoctial(template, p, fitBstar ? p[6]! : bstar0);
    const rec = sgp4Init(es, sgp4Options);
    const xs = new Float64Array(allT.length * 6);
    allT.forEach((t, i) => {
      const code = sgp4(rec, t, out6);
      if (code !== 0) {
        throw new AstroError('OD_SGP4_FAILED', `SGP4 failed (code ${code}) at ${t.toFixed(3)} min`, {
          sgp4Code: code,
          tsinceMin: t,
        });
      }
      xs.set(out6, i * 6);
    });
    return xs;
  };
  statesOf(Float64Array.from(parameters, (q) => q.value));

  const evaluate = (p: Float64Array): LeastSquaresPrediction[] => {
    const x0 = statesOf(p);
    const dx: Float64Array[] = steps.map((h, j) => {
      const pp = Float64Array.from(p);
      pp[j] = p[j]! + h;
      const xp = statesOf(pp);
      pp[j] = p[j]! - h;
      const xm = statesOf(pp);
      return Float64Array.from(xp, (v, i) => (v - xm[i]!) / (2 * h));
    });
    const vals = Object.fromEntries(measParams.map((q, k) => [q.name, p[nEl + k]!]));
    const preds: LeastSquaresPrediction[] = [];
    points.forEach((_, i) => {
      const k = pointTeme[i]!.length;
      const values = Array.from(x0.subarray(i * 6, i * 6 + k));
      const partials = new Float64Array(k * n);
      for (let r = 0; r < k; r++) for (let j = 0; j < nEl; j++) partials[r * n + j] = dx[j]![i * 6 + r]!;
      preds.push({ values, partials });
    });
    meas.forEach((m, mi) => {
      const i = points.length + mi;
      const tr = measTr[mi]!;
      const r: Vec3 = [x0[i * 6]!, x0[i * 6 + 1]!, x0[i * 6 + 2]!];
      const v: Vec3 = [x0[i * 6 + 3]!, x0[i * 6 + 4]!, x0[i * 6 + 5]!];
      applyFrameTransform(tr, r, v, r, v);
      const out = input.measurementModel!(m, makeState('GCRF', r, v), m.epoch, vals);
      const k = out.values.length;
      // ∂x_GCRF/∂p_j = T·∂x_TEME/∂p_j (T linear in the state).
      const dg: Float64Array[] = dx.map((d) => {
        const dr: Vec3 = [d[i * 6]!, d[i * 6 + 1]!, d[i * 6 + 2]!];
        const dv: Vec3 = [d[i * 6 + 3]!, d[i * 6 + 4]!, d[i * 6 + 5]!];
        applyFrameTransform(tr, dr, dv, dr, dv);
        return Float64Array.of(...dr, ...dv);
      });
      const partials = new Float64Array(k * n);
      for (let row = 0; row < k; row++) {
        for (let j = 0; j < nEl; j++) {
          let s = 0;
          for (let l = 0; l < 6; l++) s += out.dState[row * 6 + l]! * dg[j]![l]!;
          partials[row * n + j] = s;
        }
        measParams.forEach((q, qj) => {
          const d = out.dParameters?.[q.name];
          if (d !== undefined) partials[row * n + nEl + qj] = d[row]!;
        });
      }
      preds.push({ values: out.values, partials });
    });
    return preds;
  };

  const solution = solveLeastSquares({ parameters, measurements, evaluate }, input.leastSquares ?? {});
  const e = solution.estimate;
  const elements = elementsFromSgp4Equinoctial(template, e, fitBstar ? e[6]! : bstar0);
  let s2 = 0;
  let c = 0;
  for (const r of solution.residuals) {
    if (r.station !== 'ephemeris') continue;
    for (let j = 0; j < 3; j++) {
      s2 += r.residuals[j]! * r.residuals[j]!;
      c++;
    }
  }
  return {
    elements,
    parameters: Object.fromEntries(measParams.map((q, k) => [q.name, e[nEl + k]!])),
    solution,
    positionRmsKm: c > 0 ? Math.sqrt(s2 / c) : Number.NaN,
  };
}
