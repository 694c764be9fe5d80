/**
 * Lambert's problem: the two-body arc that joins two positions in a given time of flight.
 *
 * Method: D. Izzo, "Revisiting Lambert's problem", Celestial Mechanics and Dynamical Astronomy
 * 121 (2015) 1–15. The problem is reduced to the non-dimensional parameter λ and time T(x)
 * (Eq. 9–18); T(x) is evaluated with Lancaster–Blanchard's form away from x = 1, Lagrange's form
 * near it and Battin's hypergeometric series at x ≈ 1 (near-parabolic arcs, §3.1); the initial
 * guesses are Eq. 30 (single revolution) and Eq. 31 (multi-revolution, left and right branch); the
 * root is found with Householder's third-order iteration (§4); multi-revolution feasibility is
 * decided by Halley's iteration for the minimum time T_min (§3.3); velocities follow Eq. 19–22.
 *
 * Conventions. `direction: 'prograde'` means the transfer's angular momentum points along
 * `referenceAxis` (default the frame's +z axis, the usual convention for Earth orbits); 'retrograde'
 * the opposite. For M ≥ 1 revolutions there are two solutions: 'left' is Izzo's left branch of
 * T(x) (x < x(T_min), started from Eq. 31's x0l), 'right' the right branch (x > x(T_min), x0r);
 * `lambertAll` returns every one.
 *
 * Degenerate geometry is refused, not guessed: a 180° (or 0°) transfer angle leaves the orbit
 * plane undefined (`IOD_LAMBERT_COLLINEAR`; split the arc at an intermediate position), a zero or negative time of flight is `IOD_INVALID_INPUT`, too short a time for
 * M revolutions is `IOD_LAMBERT_NO_SOLUTION`. Units km, km/s, s, km³/s²; any inertial frame.
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Options of a Lambert solve. */
export interface LambertOptions {
  /** Gravitational parameter, km³/s² (default WGS-84 GM). */
  readonly muKm3S2?: number;
  /** Sense of the transfer about `referenceAxis` (default 'prograde'). */
  readonly direction?: 'prograde' | 'retrograde';
  /** Axis that defines prograde (default [0, 0, 1]). */
  readonly referenceAxis?: ReadonlyVec3;
  /** Number of complete revolutions M (default 0). */
  readonly revolutions?: number;
  /** Branch for M ≥ 1 (default 'left'). Ignored when M = 0. */
  readonly branch?: 'left' | 'right';
  /**
   * Smallest transfer angle sine accepted, below which the plane is undefined (default 1e-6,
   * i.e. within ~0.2″ of 0° or 180°).
   */
  readonly minSinTransferAngle?: number;
}

/** One Lambert solution. */
export interface LambertSolution {
  /** Velocity at the first position, km/s. */
  readonly v1KmS: Vec3;
  /** Velocity at the second position, km/s. */
  readonly v2KmS: Vec3;
  readonly revolutions: number;
  readonly branch: 'single' | 'left' | 'right';
  /** Householder iterations used. */
  readonly iterations: number;
}

/** Default smallest |sin(transfer angle)|. */
export const LAMBERT_MIN_SIN_TRANSFER_ANGLE = 1e-6;

function checkVec(name: string, v: ReadonlyVec3): void {
  if (v.length !== 3 || !v.every(Number.isFinite)) {
    throw new AstroError('IOD_INVALID_INPUT', `${name} must be a finite 3-vector`, { name, found: [...v] });
  }
}

interface Geometry {
  lambda: number;
  t: number;
  r1n: number;
  r2n: number;
  cn: number;
  s: number;
  ir1: Vec3;
  ir2: Vec3;
  it1: Vec3;
  it2: Vec3;
  mu: number;
}

function geometry(r1: ReadonlyVec3, r2: ReadonlyVec3, tofS: number, o: LambertOptions): Geometry {
  checkVec('r1', r1);
  checkVec('r2', r2);
  const mu = o.muKm3S2 ?? WGS84_GM_KM3_S2;
  if (!Number.isFinite(tofS) || !(tofS > 0)) {
    throw new AstroError('IOD_INVALID_INPUT', 'Lambert needs a positive, finite time of flight', {
      expected: 'tofS > 0',
      found: tofS,
    });
  }
  if (!(mu > 0) || !Number.isFinite(mu)) {
    throw new AstroError('IOD_INVALID_INPUT', 'μ must be positive', { found: mu });
  }
  const axis = o.referenceAxis ?? [0, 0, 1];
  checkVec('referenceAxis', axis);
  const r1n = Math.hypot(r1[0], r1[1], r1[2]);
  const r2n = Math.hypot(r2[0], r2[1], r2[2]);
  if (!(r1n > 0) || !(r2n > 0)) {
    throw new AstroError('IOD_INVALID_INPUT', 'Lambert positions must be non-zero', { r1n, r2n });
  }
  const cn = Math.hypot(r2[0] - r1[0], r2[1] - r1[1], r2[2] - r1[2]);
  const s = (r1n + r2n + cn) / 2;
  const ir1: Vec3 = [r1[0] / r1n, r1[1] / r1n, r1[2] / r1n];
  const ir2: Vec3 = [r2[0] / r2n, r2[1] / r2n, r2[2] / r2n];
  let h: Vec3 = [
    ir1[1] * ir2[2] - ir1[2] * ir2[1],
    ir1[2] * ir2[0] - ir1[0] * ir2[2],
    ir1[0] * ir2[1] - ir1[1] * ir2[0],
  ];
  const hn = Math.hypot(h[0], h[1], h[2]);
  const minSin = o.minSinTransferAngle ?? LAMBERT_MIN_SIN_TRANSFER_ANGLE;
  if (!(hn > minSin)) {
    const cosAngle = ir1[0] * ir2[0] + ir1[1] * ir2[1] + ir1[2] * ir2[2];
    throw new AstroError(
      'IOD_LAMBERT_COLLINEAR',
      `the two positions are ${cosAngle < 0 ? '180°' : '0°'} apart: the transfer plane is undefined`,
      { sinTransferAngle: hn, expected: `|sin| > ${minSin}` },
    );
  }
  h = [h[0] / hn, h[1] / hn, h[2] / hn];
  let lambda = Math.sqrt(Math.max(0, 1 - cn / s));
  // Izzo's construction with the plane normal oriented by the requested sense of motion.
  const wantPrograde = (o.direction ?? 'prograde') === 'prograde';
  const along = h[0] * axis[0] + h[1] * axis[1] + h[2] * axis[2] >= 0;
  // When the short-way normal disagrees with the requested sense, the transfer goes the long way.
  const shortWay = along === wantPrograde;
  const n: Vec3 = shortWay ? h : [-h[0], -h[1], -h[2]];
  if (!shortWay) lambda = -lambda;
  const it1: Vec3 = [
    n[1] * ir1[2] - n[2] * ir1[1],
    n[2] * ir1[0] - n[0] * ir1[2],
    n[0] * ir1[1] - n[1] * ir1[0],
  ];
  const it2: Vec3 = [
    n[1] * ir2[2] - n[2] * ir2[1],
    n[2] * ir2[0] - n[0] * ir2[2],
    n[0] * ir2[1] - n[1] * ir2[0],
  ];
  const t = Math.sqrt((2 * mu) / (s * s * s)) * tofS;
  return { lambda, t, r1n, r2n, cn, s, ir1, ir2, it1, it2, mu };
}

/** Battin's hypergeometric series ₂F₁(3, 1; 5/2; z) (Izzo §3.1). */
function hypergeometric(z: number, tol: number): number {
  let sj = 1;
  let cj = 1;
  for (let j = 0; j < 1000; j++) {
    const cj1 = (cj * (3 + j) * (1 + j) * z) / ((2.5 + j) * (j + 1));
    sj += cj1;
    cj = cj1;
    if (Math.abs(cj1) < tol) break;
  }
  return sj;
}

/** Non-dimensional time of flight T(x) for M revolutions (Izzo Eq. 18 and its variants). */
function timeOfFlight(x: number, lambda: number, m: number): number {
  const dist = Math.abs(x - 1);
  if (dist < 0.2 && dist > 0.01) {
    // Lagrange's form.
    const a = 1 / (1 - x * x);
    if (a > 0) {
      const alfa = 2 * Math.acos(Math.max(-1, Math.min(1, x)));
      let beta = 2 * Math.asin(Math.min(1, Math.sqrt((lambda * lambda) / a)));
      if (lambda < 0) beta = -beta;
      return (a * Math.sqrt(a) * (alfa - Math.sin(alfa) - (beta - Math.sin(beta)) + 2 * Math.PI * m)) / 2;
    }
    const alfa = 2 * Math.acosh(x);
    let beta = 2 * Math.asinh(Math.sqrt((-lambda * lambda) / a));
    if (lambda < 0) beta = -beta;
    return (-a * Math.sqrt(-a) * (beta - Math.sinh(beta) - (alfa - Math.sinh(alfa)))) / 2;
  }
  const k = lambda * lambda;
  const e = x * x - 1;
  const rho = Math.abs(e);
  const z = Math.sqrt(1 + k * e);
  if (dist < 0.01) {
    // Battin's series near the parabola.
    const eta = z - lambda * x;
    const s1 = 0.5 * (1 - lambda - x * eta);
    const q = (4 / 3) * hypergeometric(s1, 1e-11);
    return (eta * eta * eta * q + 4 * lambda * eta) / 2 + (m * Math.PI) / rho ** 1.5;
  }
  // Lancaster–Blanchard.
  const y = Math.sqrt(rho);
  const g = x * z - lambda * e;
  let d: number;
  if (e < 0) {
    d = m * Math.PI + Math.acos(Math.max(-1, Math.min(1, g)));
  } else {
    const f = y * (z - lambda * x);
    d = Math.log(f + g);
  }
  return (x - lambda * z - d / y) / e;
}

/** First three derivatives of T(x) (Izzo Eq. 22). */
function derivatives(x: number, t: number, lambda: number): [number, number, number] {
  const l2 = lambda * lambda;
  const l3 = l2 * lambda;
  const umx2 = 1 - x * x;
  const y = Math.sqrt(1 - l2 * umx2);
  const y2 = y * y;
  const y3 = y2 * y;
  const d1 = (3 * t * x - 2 + (2 * l3 * x) / y) / umx2;
  const d2 = (3 * t + 5 * x * d1 + (2 * (1 - l2) * l3) / y3) / umx2;
  const d3 = (7 * x * d2 + 8 * d1 - (6 * (1 - l2) * l2 * l3 * x) / y3 / y2) / umx2;
  return [d1, d2, d3];
}

/** Householder iteration for T(x) = T* (Izzo §4). */
function householder(
  tStar: number,
  x0: number,
  lambda: number,
  m: number,
): { x: number; iterations: number } {
  let x = x0;
  for (let it = 1; it <= 50; it++) {
    const t = timeOfFlight(x, lambda, m);
    const [d1, d2, d3] = derivatives(x, t, lambda);
    const delta = t - tStar;
    const d1sq = d1 * d1;
    const xNew =
      x - (delta * (d1sq - (delta * d2) / 2)) / (d1 * (d1sq - delta * d2) + (d3 * delta * delta) / 6);
    const err = Math.abs(x - xNew);
    x = xNew;
    if (!Number.isFinite(x)) break;
    if (err < 1e-13) return { x, iterations: it };
  }
  if (!Number.isFinite(x)) {
    throw new AstroError('IOD_LAMBERT_NO_CONVERGENCE', 'Lambert iteration diverged', { revolutions: m });
  }
  return { x, iterations: 50 };
}

/** Largest feasible M for this T (Izzo §3.3, Halley's iteration for T_min). */
function maxRevolutions(lambda: number, t: number): number {
  let mMax = Math.floor(t / Math.PI);
  const t00 = Math.acos(lambda) + lambda * Math.sqrt(1 - lambda * lambda);
  const t0 = t00 + mMax * Math.PI;
  if (t < t0 && mMax > 0) {
    let xOld = 0;
    let tMin = t0;
    for (let it = 0; it < 30; it++) {
      const [d1, d2, d3] = derivatives(xOld, tMin, lambda);
      if (d1 === 0) break;
      const xNew = xOld - (d1 * d2) / (d2 * d2 - (d1 * d3) / 2);
      if (Math.abs(xOld - xNew) < 1e-13) break;
      tMin = timeOfFlight(xNew, lambda, mMax);
      xOld = xNew;
    }
    if (tMin > t) mMax -= 1;
  }
  return mMax;
}

function initialGuess(lambda: number, t: number, m: number, branch: 'left' | 'right'): number {
  if (m === 0) {
    const t00 = Math.acos(lambda) + lambda * Math.sqrt(1 - lambda * lambda);
    const t1 = (2 / 3) * (1 - lambda ** 3);
    if (t >= t00) return -(t - t00) / (t - t00 + 4);
    if (t <= t1) return (t1 * (t1 - t)) / ((2 / 5) * (1 - lambda ** 5) * t) + 1;
    return (t / t00) ** (Math.LN2 / Math.log(t1 / t00)) - 1;
  }
  if (branch === 'left') {
    const q = (((m + 1) * Math.PI) / (8 * t)) ** (2 / 3);
    return (q - 1) / (q + 1);
  }
  const q = ((8 * t) / (m * Math.PI)) ** (2 / 3);
  return (q - 1) / (q + 1);
}

function velocities(g: Geometry, x: number): { v1: Vec3; v2: Vec3 } {
  const { lambda, r1n, r2n, cn, s, mu, ir1, ir2, it1, it2 } = g;
  const gamma = Math.sqrt((mu * s) / 2);
  const rho = (r1n - r2n) / cn;
  const sigma = Math.sqrt(Math.max(0, 1 - rho * rho));
  const y = Math.sqrt(1 - lambda * lambda + lambda * lambda * x * x);
  const vr1 = (gamma * (lambda * y - x - rho * (lambda * y + x))) / r1n;
  const vr2 = (-gamma * (lambda * y - x + rho * (lambda * y + x))) / r2n;
  const vt = gamma * sigma * (y + lambda * x);
  const vt1 = vt / r1n;
  const vt2 = vt / r2n;
  return {
    v1: [vr1 * ir1[0] + vt1 * it1[0], vr1 * ir1[1] + vt1 * it1[1], vr1 * ir1[2] + vt1 * it1[2]],
    v2: [vr2 * ir2[0] + vt2 * it2[0], vr2 * ir2[1] + vt2 * it2[1], vr2 * ir2[2] + vt2 * it2[2]],
  };
}

/**
 * Solves Lambert's problem from r1 (km) to r2 (km) in tofS seconds; returns the velocities (km/s)
 * at both ends. Throws `IOD_INVALID_INPUT`, `IOD_LAMBERT_COLLINEAR`, `IOD_LAMBERT_NO_SOLUTION`
 * (M revolutions do not fit in the time of flight) or `IOD_LAMBERT_NO_CONVERGENCE`.
 */
export function solveLambert(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  tofS: number,
  options: LambertOptions = {},
): LambertSolution {
  const g = geometry(r1, r2, tofS, options);
  const m = options.revolutions ?? 0;
  if (!Number.isInteger(m) || m < 0) {
    throw new AstroError('IOD_INVALID_INPUT', 'revolutions must be a non-negative integer', { found: m });
  }
  if (m > 0) {
    const mMax = maxRevolutions(g.lambda, g.t);
    if (m > mMax) {
      throw new AstroError(
        'IOD_LAMBERT_NO_SOLUTION',
        `no ${m}-revolution transfer fits in ${tofS} s (at most ${mMax} revolutions)`,
        { revolutions: m, maxRevolutions: mMax, tofS },
      );
    }
  }
  const branch = options.branch ?? 'left';
  const x0 = initialGuess(g.lambda, g.t, m, branch);
  const { x, iterations } = householder(g.t, x0, g.lambda, m);
  const check = timeOfFlight(x, g.lambda, m);
  if (!(Math.abs(check - g.t) <= 1e-9 * Math.max(1, g.t)) || !(x > -1)) {
    throw new AstroError('IOD_LAMBERT_NO_CONVERGENCE', 'Lambert iteration did not reach the time of flight', {
      revolutions: m,
      residual: check - g.t,
    });
  }
  const { v1, v2 } = velocities(g, x);
  return { v1KmS: v1, v2KmS: v2, revolutions: m, branch: m === 0 ? 'single' : branch, iterations };
}

/**
 * Every Lambert solution from r1 to r2 in tofS seconds for the given direction: the
 * single-revolution arc and, for each feasible M ≥ 1 up to `maxRevolutions` (default all),
 * the left and right branches.
 */
export function lambertAll(
  r1: ReadonlyVec3,
  r2: ReadonlyVec3,
  tofS: number,
  options: Omit<LambertOptions, 'revolutions' | 'branch'> & { readonly maxRevolutions?: number } = {},
): LambertSolution[] {
  const g = geometry(r1, r2, tofS, options);
  const mMax = Math.min(maxRevolutions(g.lambda, g.t), options.maxRevolutions ?? Number.POSITIVE_INFINITY);
  const out: LambertSolution[] = [solveLambert(r1, r2, tofS, options)];
  for (let m = 1; m <= mMax; m++) {
    for (const branch of ['left', 'right'] as const) {
      out.push(solveLambert(r1, r2, tofS, { ...options, revolutions: m, branch }));
    }
  }
  return out;
}
