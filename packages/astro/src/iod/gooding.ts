/**
 * Gooding's angles-only method: R. H. Gooding, "A new procedure for the solution of the classical
 * problem of minimal orbit determination from three lines of sight", Celestial Mechanics and
 * Dynamical Astronomy 66 (1997) 387–423.
 *
 * The unknowns are the slant ranges ρ1 and ρ3 of the outer observations. For trial ranges the
 * positions r1 = R1 + ρ1·L1 and r3 = R3 + ρ3·L3 are joined by Lambert's arc in t3 − t1 (lambert.ts,
 * Izzo's method, with M revolutions on the chosen branch), the arc is propagated to t2, and the
 * miss is the direction from R2 to that point compared with L2: its two components perpendicular
 * to L2 (Gooding §3) are driven to zero by Newton–Raphson on (ρ1, ρ3). Deviations from the paper:
 * the 2×2 Jacobian is by central finite differences (Gooding also allows approximate derivatives),
 * the Newton step is halved while it does not reduce the miss, and the lambert solver is Izzo's,
 * not Gooding's own 1990 one.
 *
 * Starting ranges: the caller's, else each of Gauss's candidates (gauss.ts), else a ladder of
 * assumed geocentric radii (LEO to GEO); the sense of motion is that of r1 → r3 for the start
 * (short way, M = 0) unless the caller says otherwise. Every converged solution is returned,
 * distinct ones only, ranked as in angles-common.ts. Light time is not modelled. Units km, km/s, s.
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
import { gaussAnglesOnly } from './gauss.js';
import { solveLambert } from './lambert.js';
import { propagateUniversal } from './universal-kepler.js';

/** Options of Gooding's method. */
export interface GoodingOptions {
  /** Gravitational parameter, km³/s² (default WGS-84 GM). */
  readonly muKm3S2?: number;
  /** Starting slant ranges [ρ1, ρ3], km; default from Gauss, then a ladder of orbit radii. */
  readonly initialRangesKm?: readonly (readonly [number, number])[];
  /** Complete revolutions between the first and third observation (default 0). */
  readonly revolutions?: number;
  /** Lambert branch when revolutions ≥ 1 (default 'left'). */
  readonly branch?: 'left' | 'right';
  /** Newton iterations at most per start (default 50). */
  readonly maxIterations?: number;
  /** Convergence on the miss angle at t2, rad (default 1e-12). */
  readonly toleranceRad?: number;
  /** Perigee radius below which a candidate ranks as unphysical, km (default 0). */
  readonly minPerigeeKm?: number;
}

/** Geocentric radii tried when no other starting ranges exist, km (LEO, MEO, GNSS, GEO). */
export const GOODING_FALLBACK_RADII_KM = [6700, 7200, 8000, 10000, 15000, 26560, 42164] as const;

function cross(a: ReadonlyVec3, b: ReadonlyVec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: ReadonlyVec3, b: ReadonlyVec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function unit(a: ReadonlyVec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Range along L from R to geocentric radius r, km (NaN when the line never reaches r). */
function rangeToRadius(R: ReadonlyVec3, L: ReadonlyVec3, r: number): number {
  const b = dot(R, L);
  const disc = b * b - dot(R, R) + r * r;
  return disc >= 0 ? -b + Math.sqrt(disc) : Number.NaN;
}

/**
 * Gooding's method from three lines of sight: every converged state at the middle time, best
 * first. Throws `IOD_INVALID_INPUT`, `IOD_COLLINEAR_LOS`, or `IOD_NO_SOLUTION` when no start converges.
 */
export function goodingAnglesOnly(
  observations: readonly LineOfSight[],
  options: GoodingOptions = {},
): AnglesCandidate[] {
  const mu = options.muKm3S2 ?? WGS84_GM_KM3_S2;
  const obs = checkLinesOfSight(observations);
  const [o1, o2, o3] = obs;
  const L1 = o1.directionUnit;
  const L2 = o2.directionUnit;
  const L3 = o3.directionUnit;
  const triple = dot(L1, cross(L2, L3));
  if (!(Math.abs(triple) > LOS_MIN_TRIPLE_PRODUCT)) {
    throw new AstroError('IOD_COLLINEAR_LOS', 'the three lines of sight are (nearly) coplanar', {
      tripleProduct: triple,
    });
  }
  // Basis perpendicular to L2 for the miss components.
  const helper: Vec3 = Math.abs(L2[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const p = unit(cross(L2, helper));
  const q = cross(L2, p);
  const t13 = o3.timeS - o1.timeS;
  const t12 = o2.timeS - o1.timeS;
  const revolutions = options.revolutions ?? 0;
  const branch = options.branch ?? 'left';

  const starts: { ranges: [number, number]; axis?: Vec3 }[] = [];
  if (options.initialRangesKm) {
    for (const [a, b] of options.initialRangesKm) starts.push({ ranges: [a, b] });
  } else {
    try {
      const g = gaussAnglesOnly(observations, { muKm3S2: mu, maxIterations: 20 });
      for (const c of g.candidates) {
        starts.push({ ranges: [c.rangesKm[0], c.rangesKm[2]], axis: cross(c.positionKm, c.velocityKmS) });
      }
    } catch {
      // Gauss found nothing usable; the ladder below still gives starts.
    }
    for (const r of GOODING_FALLBACK_RADII_KM) {
      const a = rangeToRadius(o1.observerKm, L1, r);
      const b = rangeToRadius(o3.observerKm, L3, r);
      if (a > 0 && b > 0) starts.push({ ranges: [a, b] });
    }
  }

  const positionAt = (rho1: number, rho3: number, rhs: Vec3) => {
    const r1: Vec3 = [0, 1, 2].map((k) => o1.observerKm[k]! + rho1 * L1[k]!) as Vec3;
    const r3: Vec3 = [0, 1, 2].map((k) => o3.observerKm[k]! + rho3 * L3[k]!) as Vec3;
    const sol = solveLambert(r1, r3, t13, { muKm3S2: mu, referenceAxis: rhs, revolutions, branch });
    const r2: Vec3 = [0, 0, 0];
    const v2: Vec3 = [0, 0, 0];
    propagateUniversal(r1, sol.v1KmS, mu, t12, r2, v2);
    const d = unit([r2[0] - o2.observerKm[0], r2[1] - o2.observerKm[1], r2[2] - o2.observerKm[2]]);
    return { r2, v2, miss: [dot(d, p), dot(d, q)] as [number, number], along: dot(d, L2) };
  };

  const maxIt = options.maxIterations ?? 50;
  const tol = options.toleranceRad ?? 1e-12;
  const found: AnglesCandidate[] = [];
  for (const start of starts) {
    let [rho1, rho3] = start.ranges;
    if (!(rho1 > 0 && rho3 > 0)) continue;
    const r1s: Vec3 = [0, 1, 2].map((k) => o1.observerKm[k]! + rho1 * L1[k]!) as Vec3;
    const r3s: Vec3 = [0, 1, 2].map((k) => o3.observerKm[k]! + rho3 * L3[k]!) as Vec3;
    const axis = start.axis ?? cross(r1s, r3s);
    let converged = false;
    let iterations = 0;
    let cur: ReturnType<typeof positionAt>;
    try {
      cur = positionAt(rho1, rho3, axis);
      for (let it = 1; it <= maxIt; it++) {
        iterations = it;
        const m0 = Math.hypot(cur.miss[0], cur.miss[1]);
        if (m0 < tol && cur.along > 0) {
          converged = true;
          break;
        }
        const h1 = Math.max(1e-7 * rho1, 1e-6);
        const h3 = Math.max(1e-7 * rho3, 1e-6);
        const a1 = positionAt(rho1 + h1, rho3, axis).miss;
        const b1 = positionAt(rho1 - h1, rho3, axis).miss;
        const a3 = positionAt(rho1, rho3 + h3, axis).miss;
        const b3 = positionAt(rho1, rho3 - h3, axis).miss;
        const j11 = (a1[0] - b1[0]) / (2 * h1);
        const j21 = (a1[1] - b1[1]) / (2 * h1);
        const j12 = (a3[0] - b3[0]) / (2 * h3);
        const j22 = (a3[1] - b3[1]) / (2 * h3);
        const det = j11 * j22 - j12 * j21;
        if (!(Math.abs(det) > 0) || !Number.isFinite(det)) break;
        const d1 = -(j22 * cur.miss[0] - j12 * cur.miss[1]) / det;
        const d3 = -(-j21 * cur.miss[0] + j11 * cur.miss[1]) / det;
        let s = 1;
        let accepted = false;
        for (let k = 0; k < 30; k++) {
          const n1 = rho1 + s * d1;
          const n3 = rho3 + s * d3;
          if (n1 > 0 && n3 > 0) {
            try {
              const trial = positionAt(n1, n3, axis);
              if (Math.hypot(trial.miss[0], trial.miss[1]) < m0 || m0 < 1e3 * tol) {
                rho1 = n1;
                rho3 = n3;
                cur = trial;
                accepted = true;
                break;
              }
            } catch {
              // Lambert or propagation failed at the trial point: shorten the step.
            }
          }
          s /= 2;
        }
        if (!accepted) break;
      }
      if (!converged && Math.hypot(cur.miss[0], cur.miss[1]) < tol * 10 && cur.along > 0) converged = true;
    } catch {
      continue;
    }
    if (!converged) continue;
    const { e, a } = conic(cur.r2, cur.v2, mu);
    const rho2 = dot(
      [cur.r2[0] - o2.observerKm[0], cur.r2[1] - o2.observerKm[1], cur.r2[2] - o2.observerKm[2]],
      L2,
    );
    const cand: AnglesCandidate = {
      positionKm: cur.r2,
      velocityKmS: cur.v2,
      rangesKm: [rho1, rho2, rho3],
      losResidualRad: losResidual(obs, cur.r2, cur.v2, mu),
      converged: true,
      eccentricity: e,
      semiMajorAxisKm: a,
      iterations,
    };
    const dup = found.some(
      (f) =>
        Math.hypot(
          f.positionKm[0] - cand.positionKm[0],
          f.positionKm[1] - cand.positionKm[1],
          f.positionKm[2] - cand.positionKm[2],
        ) <
        1e-8 * Math.hypot(cand.positionKm[0], cand.positionKm[1], cand.positionKm[2]) + 1e-6,
    );
    if (!dup) found.push(cand);
  }
  if (found.length === 0) {
    throw new AstroError(
      'IOD_NO_SOLUTION',
      "Gooding's iteration converged from none of the starting ranges",
      {
        starts: starts.length,
        revolutions,
      },
    );
  }
  return rankCandidates(found, options.minPerigeeKm ?? 0);
}
