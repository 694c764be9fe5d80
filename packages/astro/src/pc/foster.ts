/**
 * Foster's 2-D probability of collision: the integral of the encounter-plane Gaussian over the
 * hard-body region (Foster & Estes 1992, NASA JSC-25898; Chan 2008 ch. 3), to the standard of NASA
 * CARA's Pc2D_Foster.m and PcCircle.m (nasa/CARA_Analysis_Tools).
 *
 * Circle (the default): in principal axes, with x along the larger σ,
 *   Pc = 1/(σx√(8π)) ∫ exp(−(x/(√2σx))²)·[erf((zm+ρ)/(√2σz)) − erf((zm−ρ)/(√2σz))] dx,
 *   ρ(x) = √(R² − (x−xm)²), x ∈ [xm−R, xm+R]
 * (the inner z integral done analytically, as Alfano 2005 and CARA's PcCircle do). We substitute
 * x = xm + R·sin θ, which removes the square-root end singularities, clip x to ±10σx when the
 * circle spans the peak (the tail beyond is < e⁻⁵⁰ of the peak), split at the Gaussian peak and at
 * the chord edges |ρ| = zm, and integrate with adaptive Gauss–Kronrod (quadrature.ts) to a
 * relative 1e-11 by default. CARA's own default is 64-point Gauss–Chebyshev or MATLAB `integral`
 * at RelTol 1e-6; their published values agree with this integral to ~1e-11 (see tests).
 *
 * Square and equal-area square (Pc2D_Foster 'square' / 'squareEquArea'): the square is aligned
 * with the encounter-frame axes x̂ (miss) and ẑ, half-width R or R·√π/2; x is integrated
 * numerically and z analytically from the conditional Gaussian z | x.
 */
import {
  adjustToLinearTca,
  checkEncounter2D,
  checkHbr,
  type EncounterPlane,
  encounterPlane,
  type LinearTcaAdjustment,
  type PcConjunction,
  type PcEncounter2D,
  type PcRemediation,
  type PrincipalEncounter,
  principalEncounter,
} from './encounter-plane.js';
import {
  type PcCovarianceSource,
  type PcResultBase,
  type PcSourceOptions,
  pcConfidenceOf,
} from './pc-result.js';
import { integrateAdaptive } from './quadrature.js';
import { erfDiff } from './special.js';

/** Shape of the hard-body region in the encounter plane. */
export type PcHbrShape = 'circle' | 'square' | 'square-equal-area';

/** Default relative accuracy of the Foster integral (CARA Pc2D_Foster uses RelTol 1e-8). */
export const PC_FOSTER_REL_TOL = 1e-11;

/** σ-multiple beyond which the Gaussian along the integration axis is dropped (e^−50 ≈ 2e-22). */
const X_WINDOW_SIGMAS = 10;
/** Spacing, in σ, of the break points placed across the integrand's features. */
const FEATURE_SIGMAS = 4;

const SQRT_8PI = Math.sqrt(8 * Math.PI);
const SQRT2 = Math.SQRT2;

/** Options of `pcFoster`. */
export interface PcFosterOptions extends PcSourceOptions {
  /** Hard-body region shape; default 'circle'. */
  readonly hbrShape?: PcHbrShape;
  /** Relative accuracy of the quadrature; default PC_FOSTER_REL_TOL. */
  readonly relTol?: number;
  /** Non-positive-definite handling; default 'clip' (CARA eigenvalue clipping). */
  readonly remediation?: PcRemediation;
  /**
   * Move the states to the linear-motion TCA first (CARA FindNearbyCA), e.g. for CDM states at a
   * millisecond-rounded TCA; default false.
   */
  readonly adjustToTca?: boolean;
}

/** Numerical details of a Foster evaluation. */
export interface PcFosterDetails {
  readonly hbrShape: PcHbrShape;
  /** Miss components and 1σ in the principal axes (x = larger σ), km. */
  readonly xmKm: number;
  readonly zmKm: number;
  readonly sigmaXKm: number;
  readonly sigmaZKm: number;
  /** Squared Mahalanobis distance of the miss in the plane. */
  readonly mahalanobis2: number;
  /** Quadrature error estimate (absolute, on pc) and integrand evaluations. */
  readonly estimatedError: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

/** Foster result for a full conjunction (plane geometry included). */
export interface PcFosterResult extends PcResultBase {
  readonly method: 'FOSTER-1992';
  readonly details: PcFosterDetails & {
    readonly missKm: number;
    readonly relSpeedKmS: number;
    /** Eigenvalues of the projected covariance before remediation, km². */
    readonly eigenRawKm2: readonly [number, number];
    readonly remediated: boolean;
    /** Time shift applied by `adjustToTca`, s (0 when not requested). */
    readonly tcaShiftS: number;
  };
}

/** Foster result for an encounter given directly in principal axes. */
export interface PcFosterEncounterResult extends PcResultBase {
  readonly method: 'FOSTER-1992';
  readonly details: PcFosterDetails;
}

let kernelError = 0;
let kernelEvaluations = 0;
let kernelConverged = true;
const breaks = new Float64Array(24);

/**
 * Circle Pc in principal axes (any orientation; the larger σ is used as the integration axis).
 * Plain-number kernel for hot loops: km in, probability out. The quadrature error estimate and
 * evaluation count of the last call are available through `lastFosterKernelStats`.
 */
export function pcFosterCircleKernel(
  xmKm: number,
  zmKm: number,
  sigmaXKm: number,
  sigmaZKm: number,
  hbrKm: number,
  relTol: number = PC_FOSTER_REL_TOL,
): number {
  kernelError = 0;
  kernelEvaluations = 0;
  kernelConverged = true;
  if (hbrKm === 0) return 0;
  if (hbrKm === Number.POSITIVE_INFINITY) return 1;
  let xm = Math.abs(xmKm);
  let zm = Math.abs(zmKm);
  let sx = sigmaXKm;
  let sz = sigmaZKm;
  if (sz > sx) {
    const t = xm;
    xm = zm;
    zm = t;
    sx = sigmaZKm;
    sz = sigmaXKm;
  }
  const r = hbrKm;
  const dx = SQRT2 * sx;
  const dz = SQRT2 * sz;
  const f = (theta: number): number => {
    const c = Math.cos(theta);
    const rho = r * c;
    const u = (xm + r * Math.sin(theta)) / dx;
    return c * Math.exp(-u * u) * erfDiff((zm + rho) / dz, (zm - rho) / dz);
  };
  // Integration range in θ, clipped to the ±10σx window when the circle reaches beyond it.
  const win = X_WINDOW_SIGMAS * sx;
  let lo = -0.5 * Math.PI;
  let hi = 0.5 * Math.PI;
  const xlo = xm - r;
  const xhi = xm + r;
  if (xlo < win) {
    if (xlo < -win) lo = Math.asin((-win - xm) / r);
    if (xhi > win) hi = Math.asin((win - xm) / r);
  }
  // Break points that isolate the integrand's narrow features: the Gaussian peak along x
  // (x = 0, ±4σx, ±8σx) and the steps of the erf difference where the chord half-length ρ
  // crosses zm (ρ = zm, zm ± 4σz, zm ± 8σz; beyond 8σ the Gaussian is below e⁻³²). Without them
  // a 15-point rule can step over a feature 1e-4 of the interval wide (e.g. HBR 30 km against
  // σz = 19 m) while its error estimate stays small.
  let n = 0;
  breaks[n++] = lo;
  if (r > 0.5 * sx) {
    for (let k = -2; k <= 2; k++) {
      const s = (k * FEATURE_SIGMAS * sx - xm) / r;
      if (s > -1 && s < 1) {
        const t = Math.asin(s);
        if (t > lo && t < hi) breaks[n++] = t;
      }
    }
  }
  if (r > 0.5 * sz) {
    for (let k = -2; k <= 2; k++) {
      const c = (zm + k * FEATURE_SIGMAS * sz) / r;
      if (c > 0 && c < 1) {
        const t = Math.acos(c);
        if (-t > lo && -t < hi) breaks[n++] = -t;
        if (t > lo && t < hi) breaks[n++] = t;
      }
    }
  }
  breaks[n++] = hi;
  // insertion sort of the few break points
  for (let i = 1; i < n; i++) {
    const v = breaks[i]!;
    let j = i - 1;
    while (j >= 0 && breaks[j]! > v) {
      breaks[j + 1] = breaks[j]!;
      j--;
    }
    breaks[j + 1] = v;
  }
  const q = integrateAdaptive(f, breaks, n, relTol, 0);
  const scale = r / (sx * SQRT_8PI);
  kernelError = q.error * scale;
  kernelEvaluations = q.evaluations;
  kernelConverged = q.converged;
  return Math.min(1, Math.max(0, q.value * scale));
}

/** Error estimate, evaluations and convergence flag of the last Foster kernel call. */
export function lastFosterKernelStats(): { error: number; evaluations: number; converged: boolean } {
  return { error: kernelError, evaluations: kernelEvaluations, converged: kernelConverged };
}

/**
 * Square Pc: the square of half-width `halfWidthKm` centred on (x0, 0) with sides along the
 * encounter-frame axes, for the 2×2 covariance [[cxx, cxz], [cxz, czz]] (km²) centred at 0.
 */
function pcSquareKernel(
  x0: number,
  cxx: number,
  cxz: number,
  czz: number,
  halfWidthKm: number,
  relTol: number,
): number {
  kernelError = 0;
  kernelEvaluations = 0;
  kernelConverged = true;
  const h = halfWidthKm;
  if (h === 0) return 0;
  if (h === Number.POSITIVE_INFINITY) return 1;
  const sxx = Math.sqrt(cxx);
  const slope = cxz / cxx;
  const s = Math.sqrt((cxx * czz - cxz * cxz) / cxx);
  const ds = SQRT2 * s;
  const norm = 1 / (Math.sqrt(2 * Math.PI) * sxx);
  const f = (x: number): number => {
    const u = x / sxx;
    const mu = slope * x;
    return norm * Math.exp(-0.5 * u * u) * 0.5 * erfDiff((h - mu) / ds, (-h - mu) / ds);
  };
  const win = X_WINDOW_SIGMAS * sxx;
  let lo = x0 - h;
  let hi = x0 + h;
  if (lo < win) {
    if (lo < -win) lo = -win;
    if (hi > win) hi = win;
  }
  let n = 0;
  breaks[n++] = lo;
  if (lo < 0 && hi > 0) breaks[n++] = 0;
  breaks[n++] = hi;
  const q = integrateAdaptive(f, breaks, n, relTol, 0);
  kernelError = q.error;
  kernelEvaluations = q.evaluations;
  kernelConverged = q.converged;
  return Math.min(1, Math.max(0, q.value));
}

function squareHalfWidth(shape: PcHbrShape, hbrKm: number): number {
  return shape === 'square-equal-area' ? 0.5 * Math.sqrt(Math.PI) * hbrKm : hbrKm;
}

function baseOf(hbrKm: number, source: PcCovarianceSource | undefined) {
  return {
    method: 'FOSTER-1992' as const,
    hbrKm,
    covarianceSource: source ?? ('user' as const),
    confidence: pcConfidenceOf(source ?? 'user'),
    isMaximum: false,
  };
}

function mahalanobis2(p: PcEncounter2D): number {
  const a = p.xmKm / p.sigmaXKm;
  const b = p.zmKm / p.sigmaZKm;
  return a * a + b * b;
}

/**
 * Foster 2-D Pc of a conjunction (states and 3×3 position covariances in one inertial frame, km,
 * km/s, km²) for a combined hard-body radius `hbrKm`. Throws PC_COVARIANCE_NOT_PD,
 * PC_ZERO_RELATIVE_VELOCITY, PC_INVALID_HBR or PC_INVALID_INPUT.
 */
export function pcFoster(
  conjunction: PcConjunction,
  hbrKm: number,
  options: PcFosterOptions = {},
): PcFosterResult {
  checkHbr(hbrKm);
  const shape = options.hbrShape ?? 'circle';
  const relTol = options.relTol ?? PC_FOSTER_REL_TOL;
  let adj: LinearTcaAdjustment | undefined;
  if (options.adjustToTca === true) adj = adjustToLinearTca(conjunction);
  const plane: EncounterPlane = encounterPlane(adj?.conjunction ?? conjunction);
  const p: PrincipalEncounter = principalEncounter(plane, hbrKm, options.remediation ?? 'clip');
  let pc: number;
  if (shape === 'circle') {
    pc = pcFosterCircleKernel(p.xmKm, p.zmKm, p.sigmaXKm, p.sigmaZKm, hbrKm, relTol);
  } else {
    // Remediated covariance rebuilt in (x̂, ẑ) from the (clipped) principal values.
    const c = p.axisCos;
    const s = p.axisSin;
    const l1 = p.sigmaXKm * p.sigmaXKm;
    const l2 = p.sigmaZKm * p.sigmaZKm;
    const cxx = l1 * c * c + l2 * s * s;
    const cxz = (l1 - l2) * c * s;
    const czz = l1 * s * s + l2 * c * c;
    pc = pcSquareKernel(plane.missKm, cxx, cxz, czz, squareHalfWidth(shape, hbrKm), relTol);
  }
  return {
    pc,
    ...baseOf(hbrKm, options.covarianceSource),
    details: {
      hbrShape: shape,
      xmKm: p.xmKm,
      zmKm: p.zmKm,
      sigmaXKm: p.sigmaXKm,
      sigmaZKm: p.sigmaZKm,
      mahalanobis2: mahalanobis2(p),
      estimatedError: kernelError,
      evaluations: kernelEvaluations,
      converged: kernelConverged,
      missKm: plane.missKm,
      relSpeedKmS: plane.relSpeedKmS,
      eigenRawKm2: [p.eigen1RawKm2, p.eigen2RawKm2],
      remediated: p.remediated,
      tcaShiftS: adj?.dtS ?? 0,
    },
  };
}

/**
 * Foster 2-D Pc of an encounter already in principal axes (Orekit's (xm, ym, σx, σy) form), km.
 * Only the circle shape applies here; for a square use `pcFoster`.
 */
export function pcFosterEncounter(
  encounter: PcEncounter2D,
  hbrKm: number,
  options: Omit<PcFosterOptions, 'hbrShape' | 'remediation' | 'adjustToTca'> = {},
): PcFosterEncounterResult {
  checkHbr(hbrKm);
  checkEncounter2D(encounter);
  const pc = pcFosterCircleKernel(
    encounter.xmKm,
    encounter.zmKm,
    encounter.sigmaXKm,
    encounter.sigmaZKm,
    hbrKm,
    options.relTol ?? PC_FOSTER_REL_TOL,
  );
  return {
    pc,
    ...baseOf(hbrKm, options.covarianceSource),
    details: {
      hbrShape: 'circle',
      xmKm: encounter.xmKm,
      zmKm: encounter.zmKm,
      sigmaXKm: encounter.sigmaXKm,
      sigmaZKm: encounter.sigmaZKm,
      mahalanobis2: mahalanobis2(encounter),
      estimatedError: kernelError,
      evaluations: kernelEvaluations,
      converged: kernelConverged,
    },
  };
}
