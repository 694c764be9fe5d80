/**
 * DOP853: the Dormand–Prince 8(5,3) embedded Runge–Kutta method with step-size control and its
 * 7th-order continuous extension (dense output), after Hairer, Nørsett & Wanner, "Solving Ordinary
 * Differential Equations I. Nonstiff Problems", 2nd ed. (Springer, 1993), §II.4 (step-size
 * control, Eq. 4.10–4.13; starting step, §II.4 "Starting Step Size"), §II.5 (the method, Table 5.3)
 * and §II.6 (dense output). Tableau in dop853-tableau.ts.
 *
 * Generic over an n-dimensional state held in a Float64Array: y′ = f(t, y). The error of a step is
 * the book's combined estimate err = |h|·err5² / √(n·(err5² + 0.01·err3²)) in the weighted RMS
 * norm with scale sk_i = absTol_i + relTol·max(|y_i(t)|, |y_i(t+h)|); a step is accepted when
 * err ≤ 1. The new step is h·min(6, max(1/3, 0.9·err^(−1/8))) (no step growth right after a
 * rejection), as in the book's code with β = 0.
 *
 * Deviations from the published code: no stiffness detection; `errorDimension` can restrict the
 * norm to the first k components (e.g. the 6 state components of a state + STM vector); a step
 * callback receives the dense output of every accepted step and may stop the integration.
 * Allocation happens once per call (stage buffers), never per step.
 */

import { AstroError } from '../errors.js';
import * as T from './dop853-tableau.js';

/** Right-hand side y′ = f(t, y): writes dy/dt into `dydt` (which never aliases `y`). */
export type OdeFunction = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Tolerances and step limits of DOP853. */
export interface Dop853Options {
  /** Relative tolerance (default 1e-10). */
  readonly relTol?: number;
  /** Absolute tolerance, one value or one per component (default 1e-10, state units). */
  readonly absTol?: number | Float64Array;
  /** First step size magnitude (default: Hairer's starting-step estimate). */
  readonly initialStep?: number;
  /** Largest step magnitude (default |tEnd − t0|). */
  readonly maxStep?: number;
  /** Smallest step magnitude before `NUMERICAL_STEP_TOO_SMALL` (default 0: only round-off). */
  readonly minStep?: number;
  /** Largest number of attempted steps before `NUMERICAL_TOO_MANY_STEPS` (default 1,000,000). */
  readonly maxSteps?: number;
  /** Number of leading components that enter the error norm (default: all). */
  readonly errorDimension?: number;
  /**
   * Whether the step from tStart to tEnd needs its dense output (default: every step, when there is
   * an `onStep`). The continuous extension costs 3 extra evaluations of f per step; a step that
   * answers false is still passed to `onStep`, with `hasDense` false and no usable `interpolate`.
   */
  readonly denseWanted?: (tStart: number, tEnd: number) => boolean;
}

/** Counters of one integration. */
export interface Dop853Stats {
  /** Accepted steps. */
  readonly accepted: number;
  /** Rejected steps. */
  readonly rejected: number;
  /** Calls of the right-hand side. */
  readonly evaluations: number;
}

/** Result of `integrateDop853`: where it stopped, the state there and the counters. */
export interface Dop853Result {
  readonly t: number;
  readonly y: Float64Array;
  /** True when a step callback stopped the integration before tEnd. */
  readonly stopped: boolean;
  readonly stats: Dop853Stats;
}

/**
 * One accepted step with its continuous extension. The object is reused from step to step: it is
 * valid only inside the callback (copy `coefficients` to keep it).
 */
export class Dop853Step {
  /** Dimension of the state. */
  readonly n: number;
  /** Start and end of the step (tEnd − tStart = h, may be negative). */
  tStart = 0;
  tEnd = 0;
  /** The 8·n coefficients of the continuous extension, block k at [k·n, (k+1)·n). */
  readonly coefficients: Float64Array;
  /** False when the dense output of this step was not computed (see `denseWanted`). */
  hasDense = true;

  constructor(n: number) {
    this.n = n;
    this.coefficients = new Float64Array(8 * n);
  }

  /** The 7th-order dense-output state at t (within [tStart, tEnd]), written into `out`. */
  interpolate(t: number, out: Float64Array): Float64Array {
    return evaluateContinuous(this.coefficients, this.n, 0, this.tStart, this.tEnd - this.tStart, t, out);
  }
}

/**
 * Evaluates a DOP853 continuous extension stored at `coef[offset .. offset + 8n)` for a step that
 * starts at t0 with size h: y(t0 + θh) with θ = (t − t0)/h (Hairer's CONTD8).
 */
export function evaluateContinuous(
  coef: Float64Array,
  n: number,
  offset: number,
  t0: number,
  h: number,
  t: number,
  out: Float64Array,
): Float64Array {
  const s = (t - t0) / h;
  const s1 = 1 - s;
  for (let i = 0; i < n; i++) {
    const o = offset + i;
    const c5 = coef[o + 4 * n]!;
    const c6 = coef[o + 5 * n]!;
    const c7 = coef[o + 6 * n]!;
    const c8 = coef[o + 7 * n]!;
    const conpar = c5 + s * (c6 + s1 * (c7 + s * c8));
    out[i] = coef[o]! + s * (coef[o + n]! + s1 * (coef[o + 2 * n]! + s * (coef[o + 3 * n]! + s1 * conpar)));
  }
  return out;
}

const SAFE = 0.9;
/** 1/fac1, 1/fac2 of the book: the step may shrink to 1/3 and grow to 6 times. */
const FACC1 = 1 / 0.333;
const FACC2 = 1 / 6;
const EXPO1 = 1 / 8;

/**
 * Integrates y′ = f(t, y) from (t0, y0) to tEnd (either direction) with DOP853. `onStep` (optional)
 * is called after every accepted step with its dense output; returning true stops the integration
 * at that step's end. Throws AstroError `NUMERICAL_TOO_MANY_STEPS`, `NUMERICAL_STEP_TOO_SMALL`
 * (step below minStep or round-off), `NUMERICAL_NOT_FINITE` (the state became NaN/∞) and
 * `NUMERICAL_BAD_INPUT` (bad tolerance or dimension).
 */
export function integrateDop853(
  f: OdeFunction,
  t0: number,
  y0: Float64Array,
  tEnd: number,
  options: Dop853Options = {},
  onStep?: (step: Dop853Step) => boolean | undefined,
): Dop853Result {
  const n = y0.length;
  const rtol = options.relTol ?? 1e-10;
  const atolOpt = options.absTol ?? 1e-10;
  const atol = typeof atolOpt === 'number' ? new Float64Array(n).fill(atolOpt) : atolOpt;
  const nErr = options.errorDimension ?? n;
  if (
    !(rtol >= 0) ||
    atol.length !== n ||
    atol.some((a) => !(a >= 0)) ||
    !(nErr >= 1 && nErr <= n) ||
    !Number.isFinite(t0) ||
    !Number.isFinite(tEnd)
  ) {
    throw new AstroError(
      'NUMERICAL_BAD_INPUT',
      'DOP853 needs finite times, tolerances ≥ 0 and 1 ≤ errorDimension ≤ n',
      {
        expected: `relTol ≥ 0, ${n} absTol values ≥ 0, errorDimension in [1, ${n}]`,
        found: `relTol ${rtol}, ${atol.length} absTol values, errorDimension ${nErr}`,
      },
    );
  }
  const maxSteps = options.maxSteps ?? 1_000_000;
  const span = Math.abs(tEnd - t0);
  const hmax = Math.min(options.maxStep ?? span, span);
  const hmin = options.minStep ?? 0;
  const dir = tEnd >= t0 ? 1 : -1;
  const y = Float64Array.from(y0);
  if (span === 0) return { t: t0, y, stopped: false, stats: { accepted: 0, rejected: 0, evaluations: 0 } };

  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const k5 = new Float64Array(n);
  const k6 = new Float64Array(n);
  const k7 = new Float64Array(n);
  const k8 = new Float64Array(n);
  const k9 = new Float64Array(n);
  const k10 = new Float64Array(n);
  const k11 = new Float64Array(n);
  const k12 = new Float64Array(n);
  const k13 = new Float64Array(n);
  const yt = new Float64Array(n);
  const ynew = new Float64Array(n);
  const step = onStep === undefined ? null : new Dop853Step(n);
  const denseWanted = options.denseWanted;

  let nfcn = 0;
  let accepted = 0;
  let rejected = 0;
  let t = t0;
  f(t, y, k1);
  nfcn++;
  checkFinite(k1, t, 'derivative');

  let h: number;
  if (options.initialStep !== undefined && options.initialStep > 0) {
    h = Math.min(options.initialStep, hmax) * dir;
  } else {
    h = startingStep(f, t, y, k1, dir, hmax, rtol, atol, nErr, k2, k3);
    nfcn++;
  }

  let reject = false;
  let last = false;
  let stopped = false;
  for (;;) {
    if (accepted + rejected >= maxSteps) {
      throw new AstroError('NUMERICAL_TOO_MANY_STEPS', `DOP853 needed more than ${maxSteps} steps`, {
        expected: `at most ${maxSteps} steps`,
        found: `stopped at t = ${t} of ${tEnd}`,
      });
    }
    if (0.1 * Math.abs(h) <= Math.abs(t) * Number.EPSILON || Math.abs(h) < hmin) {
      throw new AstroError(
        'NUMERICAL_STEP_TOO_SMALL',
        `DOP853 step ${Math.abs(h)} is too small at t = ${t}`,
        {
          expected: `step ≥ ${Math.max(hmin, 10 * Math.abs(t) * Number.EPSILON)}`,
          found: Math.abs(h),
        },
      );
    }
    if ((t + 1.01 * h - tEnd) * dir > 0) {
      h = tEnd - t;
      last = true;
    }

    // Stages 2..12.
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * T.A21 * k1[i]!;
    f(t + T.C2 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (T.A31 * k1[i]! + T.A32 * k2[i]!);
    f(t + T.C3 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (T.A41 * k1[i]! + T.A43 * k3[i]!);
    f(t + T.C4 * h, yt, k4);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (T.A51 * k1[i]! + T.A53 * k3[i]! + T.A54 * k4[i]!);
    f(t + T.C5 * h, yt, k5);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (T.A61 * k1[i]! + T.A64 * k4[i]! + T.A65 * k5[i]!);
    f(t + T.C6 * h, yt, k6);
    for (let i = 0; i < n; i++) {
      yt[i] = y[i]! + h * (T.A71 * k1[i]! + T.A74 * k4[i]! + T.A75 * k5[i]! + T.A76 * k6[i]!);
    }
    f(t + T.C7 * h, yt, k7);
    for (let i = 0; i < n; i++) {
      yt[i] =
        y[i]! + h * (T.A81 * k1[i]! + T.A84 * k4[i]! + T.A85 * k5[i]! + T.A86 * k6[i]! + T.A87 * k7[i]!);
    }
    f(t + T.C8 * h, yt, k8);
    for (let i = 0; i < n; i++) {
      yt[i] =
        y[i]! +
        h *
          (T.A91 * k1[i]! +
            T.A94 * k4[i]! +
            T.A95 * k5[i]! +
            T.A96 * k6[i]! +
            T.A97 * k7[i]! +
            T.A98 * k8[i]!);
    }
    f(t + T.C9 * h, yt, k9);
    for (let i = 0; i < n; i++) {
      yt[i] =
        y[i]! +
        h *
          (T.A101 * k1[i]! +
            T.A104 * k4[i]! +
            T.A105 * k5[i]! +
            T.A106 * k6[i]! +
            T.A107 * k7[i]! +
            T.A108 * k8[i]! +
            T.A109 * k9[i]!);
    }
    f(t + T.C10 * h, yt, k10);
    for (let i = 0; i < n; i++) {
      yt[i] =
        y[i]! +
        h *
          (T.A111 * k1[i]! +
            T.A114 * k4[i]! +
            T.A115 * k5[i]! +
            T.A116 * k6[i]! +
            T.A117 * k7[i]! +
            T.A118 * k8[i]! +
            T.A119 * k9[i]! +
            T.A1110 * k10[i]!);
    }
    f(t + T.C11 * h, yt, k11);
    const tph = t + h;
    for (let i = 0; i < n; i++) {
      yt[i] =
        y[i]! +
        h *
          (T.A121 * k1[i]! +
            T.A124 * k4[i]! +
            T.A125 * k5[i]! +
            T.A126 * k6[i]! +
            T.A127 * k7[i]! +
            T.A128 * k8[i]! +
            T.A129 * k9[i]! +
            T.A1210 * k10[i]! +
            T.A1211 * k11[i]!);
    }
    f(tph, yt, k12);
    nfcn += 11;

    // 8th-order solution and the two error estimates.
    let err = 0;
    let err2 = 0;
    for (let i = 0; i < n; i++) {
      const bk =
        T.B1 * k1[i]! +
        T.B6 * k6[i]! +
        T.B7 * k7[i]! +
        T.B8 * k8[i]! +
        T.B9 * k9[i]! +
        T.B10 * k10[i]! +
        T.B11 * k11[i]! +
        T.B12 * k12[i]!;
      ynew[i] = y[i]! + h * bk;
      if (i < nErr) {
        const sk = atol[i]! + rtol * Math.max(Math.abs(y[i]!), Math.abs(ynew[i]!));
        const e3 = bk - T.BHH1 * k1[i]! - T.BHH2 * k9[i]! - T.BHH3 * k12[i]!;
        const e5 =
          T.ER1 * k1[i]! +
          T.ER6 * k6[i]! +
          T.ER7 * k7[i]! +
          T.ER8 * k8[i]! +
          T.ER9 * k9[i]! +
          T.ER10 * k10[i]! +
          T.ER11 * k11[i]! +
          T.ER12 * k12[i]!;
        err2 += (e3 / sk) ** 2;
        err += (e5 / sk) ** 2;
      }
    }
    let deno = err + 0.01 * err2;
    if (deno <= 0) deno = 1;
    err = (Math.abs(h) * err) / Math.sqrt(nErr * deno);
    if (!Number.isFinite(err)) err = 1e10;

    const fac11 = err ** EXPO1;
    const fac = Math.max(FACC2, Math.min(FACC1, fac11 / SAFE));
    let hnew = h / fac;

    if (err <= 1) {
      accepted++;
      f(tph, ynew, k13);
      nfcn++;
      checkFinite(ynew, tph, 'state');
      if (step !== null) {
        step.hasDense = denseWanted === undefined || denseWanted(t, tph);
        if (step.hasDense) {
          prepareDense(f, step, t, h, y, ynew, k1, k4, k6, k7, k8, k9, k10, k11, k12, k13, k2, k3, yt);
          nfcn += 3;
        } else {
          step.tStart = t;
          step.tEnd = tph;
        }
      }
      k1.set(k13);
      y.set(ynew);
      t = tph;
      if (step !== null && onStep!(step) === true) {
        stopped = !last;
        break;
      }
      if (last) break;
      if (Math.abs(hnew) > hmax) hnew = dir * hmax;
      if (reject) hnew = dir * Math.min(Math.abs(hnew), Math.abs(h));
      reject = false;
    } else {
      hnew = h / Math.min(FACC1, fac11 / SAFE);
      reject = true;
      if (accepted >= 1) rejected++;
      last = false;
    }
    h = hnew;
  }
  return { t, y, stopped, stats: { accepted, rejected, evaluations: nfcn } };
}

/**
 * Fills `step` with the continuous extension of the step (t, h): rcont1..4 from the end points
 * and derivatives, rcont5..8 from all stages plus the three extra stages 14–16 (§II.6).
 * Stages 14, 15, 16 go into k4, k2, k3 (free once the step is done); `yt` is scratch.
 */
function prepareDense(
  f: OdeFunction,
  step: Dop853Step,
  t: number,
  h: number,
  y: Float64Array,
  ynew: Float64Array,
  k1: Float64Array,
  k4: Float64Array,
  k6: Float64Array,
  k7: Float64Array,
  k8: Float64Array,
  k9: Float64Array,
  k10: Float64Array,
  k11: Float64Array,
  k12: Float64Array,
  k13: Float64Array,
  k2: Float64Array,
  k3: Float64Array,
  yt: Float64Array,
): void {
  const n = step.n;
  const c = step.coefficients;
  step.tStart = t;
  step.tEnd = t + h;
  const d4 = T.D4;
  const d5 = T.D5;
  const d6 = T.D6;
  const d7 = T.D7;
  for (let i = 0; i < n; i++) {
    const ydiff = ynew[i]! - y[i]!;
    const bspl = h * k1[i]! - ydiff;
    c[i] = y[i]!;
    c[n + i] = ydiff;
    c[2 * n + i] = bspl;
    c[3 * n + i] = ydiff - h * k13[i]! - bspl;
    const a1 = k1[i]!;
    const a6 = k6[i]!;
    const a7 = k7[i]!;
    const a8 = k8[i]!;
    const a9 = k9[i]!;
    const a10 = k10[i]!;
    const a11 = k11[i]!;
    const a12 = k12[i]!;
    const a13 = k13[i]!;
    for (let r = 0; r < 4; r++) {
      const d = r === 0 ? d4 : r === 1 ? d5 : r === 2 ? d6 : d7;
      c[(4 + r) * n + i] =
        d[0] * a1 +
        d[1] * a6 +
        d[2] * a7 +
        d[3] * a8 +
        d[4] * a9 +
        d[5] * a10 +
        d[6] * a11 +
        d[7] * a12 +
        d[8] * a13;
    }
  }
  // Stage 14 (into k4, which is free after the step).
  for (let i = 0; i < n; i++) {
    yt[i] =
      y[i]! +
      h *
        (T.A141 * k1[i]! +
          T.A147 * k7[i]! +
          T.A148 * k8[i]! +
          T.A149 * k9[i]! +
          T.A1410 * k10[i]! +
          T.A1411 * k11[i]! +
          T.A1412 * k12[i]! +
          T.A1413 * k13[i]!);
  }
  f(t + T.C14 * h, yt, k4);
  // Stage 15 (into k2).
  for (let i = 0; i < n; i++) {
    yt[i] =
      y[i]! +
      h *
        (T.A151 * k1[i]! +
          T.A156 * k6[i]! +
          T.A157 * k7[i]! +
          T.A158 * k8[i]! +
          T.A1511 * k11[i]! +
          T.A1512 * k12[i]! +
          T.A1513 * k13[i]! +
          T.A1514 * k4[i]!);
  }
  f(t + T.C15 * h, yt, k2);
  // Stage 16 (into k3).
  for (let i = 0; i < n; i++) {
    yt[i] =
      y[i]! +
      h *
        (T.A161 * k1[i]! +
          T.A166 * k6[i]! +
          T.A167 * k7[i]! +
          T.A168 * k8[i]! +
          T.A169 * k9[i]! +
          T.A1613 * k13[i]! +
          T.A1614 * k4[i]! +
          T.A1615 * k2[i]!);
  }
  f(t + T.C16 * h, yt, k3);
  for (let i = 0; i < n; i++) {
    c[4 * n + i] = h * (c[4 * n + i]! + d4[9]! * k4[i]! + d4[10]! * k2[i]! + d4[11]! * k3[i]!);
    c[5 * n + i] = h * (c[5 * n + i]! + d5[9]! * k4[i]! + d5[10]! * k2[i]! + d5[11]! * k3[i]!);
    c[6 * n + i] = h * (c[6 * n + i]! + d6[9]! * k4[i]! + d6[10]! * k2[i]! + d6[11]! * k3[i]!);
    c[7 * n + i] = h * (c[7 * n + i]! + d7[9]! * k4[i]! + d7[10]! * k2[i]! + d7[11]! * k3[i]!);
  }
}

/** Hairer's HINIT for order 8: a first step from the size of y, f(y) and an estimate of y″. */
function startingStep(
  f: OdeFunction,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  dir: number,
  hmax: number,
  rtol: number,
  atol: Float64Array,
  nErr: number,
  y1: Float64Array,
  f1: Float64Array,
): number {
  let dnf = 0;
  let dny = 0;
  for (let i = 0; i < nErr; i++) {
    const sk = atol[i]! + rtol * Math.abs(y[i]!);
    dnf += (f0[i]! / sk) ** 2;
    dny += (y[i]! / sk) ** 2;
  }
  let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = Math.min(h, hmax) * dir;
  for (let i = 0; i < y.length; i++) y1[i] = y[i]! + h * f0[i]!;
  f(t + h, y1, f1);
  let der2 = 0;
  for (let i = 0; i < nErr; i++) {
    const sk = atol[i]! + rtol * Math.abs(y[i]!);
    der2 += ((f1[i]! - f0[i]!) / sk) ** 2;
  }
  der2 = Math.sqrt(der2) / Math.abs(h);
  const der12 = Math.max(der2, Math.sqrt(dnf));
  const h1 = der12 <= 1e-15 ? Math.max(1e-6, Math.abs(h) * 1e-3) : (0.01 / der12) ** (1 / 8);
  return Math.min(100 * Math.abs(h), h1, hmax) * dir;
}

function checkFinite(v: Float64Array, t: number, what: string): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new AstroError('NUMERICAL_NOT_FINITE', `DOP853: the ${what} is not finite at t = ${t}`, {
        expected: 'finite values',
        found: `component ${i} = ${v[i]}`,
      });
    }
  }
}
