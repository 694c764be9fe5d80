/**
 * Gauss's angles-only method with iterative refinement: Vallado, "Fundamentals of Astrodynamics and
 * Applications", 4th ed. (2013), Alg. 52 ANGLES-GAUSS, and Curtis, "Orbital Mechanics for
 * Engineering Students", Alg. 5.5 (the eighth-degree polynomial in r2) and Alg. 5.6 (iterative
 * improvement with exact Lagrange coefficients from the universal variable, averaging each new f
 * and g with the previous ones as Curtis does). Deviation: when an update moves the ranges more
 * than the previous one did, it is undone and the averaging weight of the old f, g raised towards
 * 1 — Curtis' plain average diverges on some geometries (in the tests: a Molniya orbit near apogee).
 *
 * The polynomial x⁸ + a·x⁶ + b·x³ + c = 0 has at most three positive real roots (Descartes: signs
 * + − ± −). Every positive root is found (a scan over [0, Fujiwara bound] on a geometric grid,
 * bisection of each sign change, Newton polish), every root that gives positive slant ranges
 * becomes a candidate, each is refined, and all distinct ones are returned ranked (angles-common.ts
 * `rankCandidates`) so the caller can choose. A root whose refinement fails to converge is kept,
 * unrefined, with `converged: false`.
 *
 * Refused: lines of sight whose triple product is below `LOS_MIN_TRIPLE_PRODUCT` (collinear or
 * coplanar with the geocentre, `IOD_COLLINEAR_LOS`); no positive root with positive ranges
 * (`IOD_NO_SOLUTION`). Light time and aberration are not modelled. Units km, km/s, s.
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import {
  type AnglesCandidate,
  checkLinesOfSight,
  conic,
  type LineOfSight,
  LOS_MIN_TRIPLE_PRODUCT,
  losResidual,
  rankCandidates,
} from './angles-common.js';
import { universalLagrange } from './universal-kepler.js';

/** Line-of-sight fit that counts as converged when the ranges stall on rounding, rad (≈ 0.02 mas). */
export const GAUSS_FIT_RAD = 1e-10;

/** Options of Gauss's method. */
export interface GaussOptions {
  /** Gravitational parameter, km³/s² (default WGS-84 GM). */
  readonly muKm3S2?: number;
  /** Refinement iterations at most (default 500; 0 gives the classical unrefined answer). */
  readonly maxIterations?: number;
  /** Convergence on the slant ranges, km (default 1e-9, plus 1e-13 of the range for rounding). */
  readonly rangeToleranceKm?: number;
  /** Perigee radius below which a candidate ranks as unphysical, km (default 0). */
  readonly minPerigeeKm?: number;
}

/** Result of Gauss's method: the ranked candidates and the polynomial's positive roots. */
export interface GaussResult {
  readonly candidates: readonly AnglesCandidate[];
  /** Positive real roots of the eighth-degree polynomial, km. */
  readonly polynomialRootsKm: readonly number[];
}

function cross(a: ReadonlyVec3, b: ReadonlyVec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Positive real roots of x⁸ + a·x⁶ + b·x³ + c. */
export function gaussPolynomialRoots(a: number, b: number, c: number): number[] {
  const p = (x: number): number => {
    const x3 = x * x * x;
    return x3 * x3 * x * x + a * x3 * x3 + b * x3 + c;
  };
  const dp = (x: number): number => {
    const x2 = x * x;
    return 8 * x2 * x2 * x2 * x + 6 * a * x2 * x2 * x + 3 * b * x2;
  };
  const bound = 2 * Math.max(Math.sqrt(Math.abs(a)), Math.abs(b) ** 0.2, Math.abs(c / 2) ** 0.125);
  if (!Number.isFinite(bound) || !(bound > 0)) return [];
  const roots: number[] = [];
  const N = 4000;
  const lo = bound * 1e-6;
  const ratio = (bound / lo) ** (1 / N);
  let x0 = lo;
  let p0 = p(x0);
  for (let i = 1; i <= N; i++) {
    const x1 = i === N ? bound : x0 * ratio;
    const p1 = p(x1);
    if (p0 === 0) roots.push(x0);
    else if (p0 * p1 < 0) {
      let l = x0;
      let h = x1;
      let pl = p0;
      for (let k = 0; k < 200 && h - l > 1e-14 * h; k++) {
        const m = 0.5 * (l + h);
        const pm = p(m);
        if (pm * pl <= 0) h = m;
        else {
          l = m;
          pl = pm;
        }
      }
      let x = 0.5 * (l + h);
      for (let k = 0; k < 3; k++) {
        const d = dp(x);
        if (d === 0) break;
        const nx = x - p(x) / d;
        if (nx > x0 && nx < x1) x = nx;
      }
      roots.push(x);
    }
    x0 = x1;
    p0 = p1;
  }
  return roots;
}

/**
 * Gauss's method from three lines of sight (observer positions and unit directions in one inertial
 * frame, times in seconds): every physically valid state at the middle time, best first.
 */
export function gaussAnglesOnly(
  observations: readonly LineOfSight[],
  options: GaussOptions = {},
): GaussResult {
  const mu = options.muKm3S2 ?? WGS84_GM_KM3_S2;
  const obs = checkLinesOfSight(observations);
  const [o1, o2, o3] = obs;
  const L1 = o1.directionUnit;
  const L2 = o2.directionUnit;
  const L3 = o3.directionUnit;
  const R1 = o1.observerKm;
  const R2 = o2.observerKm;
  const R3 = o3.observerKm;
  const tau1 = o1.timeS - o2.timeS;
  const tau3 = o3.timeS - o2.timeS;
  const tau = tau3 - tau1;
  const p1 = cross(L2, L3);
  const p2 = cross(L1, L3);
  const p3 = cross(L1, L2);
  const d0 = dot(L1, p1);
  if (!(Math.abs(d0) > LOS_MIN_TRIPLE_PRODUCT)) {
    throw new AstroError(
      'IOD_COLLINEAR_LOS',
      'the three lines of sight are (nearly) coplanar: their triple product vanishes',
      { tripleProduct: d0, expected: `|L1·(L2×L3)| > ${LOS_MIN_TRIPLE_PRODUCT}` },
    );
  }
  const D = [
    [dot(R1, p1), dot(R1, p2), dot(R1, p3)],
    [dot(R2, p1), dot(R2, p2), dot(R2, p3)],
    [dot(R3, p1), dot(R3, p2), dot(R3, p3)],
  ] as const;
  const d = (i: 0 | 1 | 2, j: 0 | 1 | 2): number => D[i][j];
  const A = (-d(0, 1) * (tau3 / tau) + d(1, 1) + d(2, 1) * (tau1 / tau)) / d0;
  const B =
    (d(0, 1) * (tau3 * tau3 - tau * tau) * (tau3 / tau) +
      d(2, 1) * (tau * tau - tau1 * tau1) * (tau1 / tau)) /
    (6 * d0);
  const E = dot(R2, L2);
  const R2sq = dot(R2, R2);
  const a = -(A * A + 2 * A * E + R2sq);
  const b = -2 * mu * B * (A + E);
  const c = -(mu * mu) * B * B;
  const roots = gaussPolynomialRoots(a, b, c);
  const candidates: AnglesCandidate[] = [];
  const maxIt = options.maxIterations ?? 500;
  const tolKm = options.rangeToleranceKm ?? 1e-9;
  for (const x of roots) {
    const x3 = x * x * x;
    const rho1 =
      ((6 * (d(2, 0) * (tau1 / tau3) + d(1, 0) * (tau / tau3)) * x3 +
        mu * d(2, 0) * (tau * tau - tau1 * tau1) * (tau1 / tau3)) /
        (6 * x3 + mu * (tau * tau - tau3 * tau3)) -
        d(0, 0)) /
      d0;
    const rho2 = A + (mu * B) / x3;
    const rho3 =
      ((6 * (d(0, 2) * (tau3 / tau1) - d(1, 2) * (tau / tau1)) * x3 +
        mu * d(0, 2) * (tau * tau - tau3 * tau3) * (tau3 / tau1)) /
        (6 * x3 + mu * (tau * tau - tau1 * tau1)) -
        d(2, 2)) /
      d0;
    if (!(rho1 > 0 && rho2 > 0 && rho3 > 0)) continue;
    const u = mu / x3;
    let f1 = 1 - 0.5 * u * tau1 * tau1;
    let f3 = 1 - 0.5 * u * tau3 * tau3;
    let g1 = tau1 - (u * tau1 ** 3) / 6;
    let g3 = tau3 - (u * tau3 ** 3) / 6;
    let rhos: [number, number, number] = [rho1, rho2, rho3];
    const state = (): { r2: Vec3; v2: Vec3 } => {
      const r1v: Vec3 = [R1[0] + rhos[0] * L1[0], R1[1] + rhos[0] * L1[1], R1[2] + rhos[0] * L1[2]];
      const r2v: Vec3 = [R2[0] + rhos[1] * L2[0], R2[1] + rhos[1] * L2[1], R2[2] + rhos[1] * L2[2]];
      const r3v: Vec3 = [R3[0] + rhos[2] * L3[0], R3[1] + rhos[2] * L3[1], R3[2] + rhos[2] * L3[2]];
      const den = f1 * g3 - f3 * g1;
      const v2v: Vec3 = [0, 1, 2].map((k) => (-f3 * r1v[k]! + f1 * r3v[k]!) / den) as Vec3;
      return { r2: r2v, v2: v2v };
    };
    let { r2, v2 } = state();
    let converged = maxIt === 0;
    let iterations = 0;
    // Weight of the previous f, g in the update: Curtis averages (w = ½); when an update makes
    // the ranges move more than the one before, it is undone and w raised (more damping).
    let w = 0.5;
    let prevChange = Number.POSITIVE_INFINITY;
    for (let it = 1; it <= maxIt; it++) {
      iterations = it;
      let lag1: ReturnType<typeof universalLagrange>;
      let lag3: ReturnType<typeof universalLagrange>;
      try {
        lag1 = universalLagrange(r2, v2, mu, tau1);
        lag3 = universalLagrange(r2, v2, mu, tau3);
      } catch {
        break;
      }
      const nf1 = w * f1 + (1 - w) * lag1.f;
      const ng1 = w * g1 + (1 - w) * lag1.g;
      const nf3 = w * f3 + (1 - w) * lag3.f;
      const ng3 = w * g3 + (1 - w) * lag3.g;
      const den = nf1 * ng3 - nf3 * ng1;
      const c1 = ng3 / den;
      const c3 = -ng1 / den;
      const next: [number, number, number] = [
        (-d(0, 0) + d(1, 0) / c1 - (d(2, 0) * c3) / c1) / d0,
        (-c1 * d(0, 1) + d(1, 1) - c3 * d(2, 1)) / d0,
        ((-d(0, 2) * c1) / c3 + d(1, 2) / c3 - d(2, 2)) / d0,
      ];
      const change = Math.max(...next.map((v, i) => Math.abs(v - rhos[i]!)));
      if (!next.every(Number.isFinite) || !(change <= prevChange) || !next.every((x) => x > 0)) {
        if (w >= 0.99) break;
        w = Math.min(0.99, (1 + w) / 2);
        continue;
      }
      prevChange = change;
      f1 = nf1;
      g1 = ng1;
      f3 = nf3;
      g3 = ng3;
      rhos = next;
      ({ r2, v2 } = state());
      if (change < tolKm + 1e-13 * Math.max(...rhos)) {
        converged = true;
        break;
      }
    }
    if (!r2.every(Number.isFinite) || !v2.every(Number.isFinite)) continue;
    const residual = losResidual(obs, r2, v2, mu);
    // Rounding can stall the ranges just above the tolerance on ill-conditioned arcs; a state that
    // fits the three lines of sight to `GAUSS_FIT_RAD` has converged all the same.
    if (maxIt > 0 && residual < GAUSS_FIT_RAD) converged = true;
    const { e, a: sma } = conic(r2, v2, mu);
    // Different roots can refine to the same orbit: keep it once.
    const rn = Math.hypot(r2[0], r2[1], r2[2]);
    const same = candidates.some(
      (c) =>
        c.converged === converged &&
        Math.hypot(c.positionKm[0] - r2[0], c.positionKm[1] - r2[1], c.positionKm[2] - r2[2]) <
          1e-9 * rn + 1e-6,
    );
    if (same) continue;
    candidates.push({
      positionKm: r2,
      velocityKmS: v2,
      rangesKm: rhos,
      losResidualRad: residual,
      converged,
      eccentricity: e,
      semiMajorAxisKm: sma,
      iterations,
    });
  }
  if (candidates.length === 0) {
    throw new AstroError('IOD_NO_SOLUTION', "Gauss's polynomial has no root with positive slant ranges", {
      polynomialRootsKm: roots,
    });
  }
  return { candidates: rankCandidates(candidates, options.minPerigeeKm ?? 0), polynomialRootsKm: roots };
}
