/**
 * Shared pieces of the angles-only methods (Gauss, Gooding): the line-of-sight observation, input
 * checks, a candidate orbit and its ranking. Units km, km/s, s; any inertial frame.
 */
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { propagateUniversal } from './universal-kepler.js';

/** One angles-only observation: where the observer was and which way it looked. */
export interface LineOfSight {
  /** Time, s on any common origin (e.g. seconds since the first observation). */
  readonly timeS: number;
  /** Unit vector from the observer to the object (inertial frame). Light time is not modelled. */
  readonly directionUnit: ReadonlyVec3;
  /** Observer position in the same inertial frame, km (the geocentre for [0,0,0]). */
  readonly observerKm: ReadonlyVec3;
}

/** One angles-only solution: the state at the middle observation. */
export interface AnglesCandidate {
  /** Position at the middle time, km. */
  readonly positionKm: Vec3;
  /** Velocity at the middle time, km/s. */
  readonly velocityKmS: Vec3;
  /** Slant ranges to the three observations, km. */
  readonly rangesKm: readonly [number, number, number];
  /** Largest angle between the observed lines of sight and those of the two-body orbit, rad. */
  readonly losResidualRad: number;
  /** Whether the iterative part converged. */
  readonly converged: boolean;
  /** Osculating eccentricity and semi-major axis (negative for hyperbolas), km. */
  readonly eccentricity: number;
  readonly semiMajorAxisKm: number;
  readonly iterations: number;
}

/** Checks three lines of sight: finite, unit (renormalised), strictly increasing times. */
export function checkLinesOfSight(obs: readonly LineOfSight[]): [LineOfSight, LineOfSight, LineOfSight] {
  if (obs.length !== 3) {
    throw new AstroError('IOD_INVALID_INPUT', 'angles-only IOD needs exactly three lines of sight', {
      found: obs.length,
    });
  }
  const out = obs.map((o, i) => {
    const d = o.directionUnit;
    const n = Math.hypot(d[0], d[1], d[2]);
    if (
      !Number.isFinite(o.timeS) ||
      !o.observerKm.every(Number.isFinite) ||
      !d.every(Number.isFinite) ||
      !(Math.abs(n - 1) < 1e-6)
    ) {
      throw new AstroError(
        'IOD_INVALID_INPUT',
        `line of sight ${i + 1} must have a finite time, observer and unit direction`,
        {
          index: i,
          directionNorm: n,
        },
      );
    }
    return {
      timeS: o.timeS,
      observerKm: o.observerKm,
      directionUnit: [d[0] / n, d[1] / n, d[2] / n] as const,
    };
  });
  const [a, b, c] = out as [LineOfSight, LineOfSight, LineOfSight];
  if (!(a.timeS < b.timeS && b.timeS < c.timeS)) {
    throw new AstroError('IOD_INVALID_INPUT', 'angles-only IOD needs strictly increasing times', {
      found: [a.timeS, b.timeS, c.timeS],
    });
  }
  return [a, b, c];
}

/** Triple product L1·(L2 × L3) below which the lines of sight are refused as coplanar/collinear. */
export const LOS_MIN_TRIPLE_PRODUCT = 1e-12;

/** Osculating (e, a) of a state. */
export function conic(r: ReadonlyVec3, v: ReadonlyVec3, mu: number): { e: number; a: number } {
  const rn = Math.hypot(r[0], r[1], r[2]);
  const v2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
  const rv = r[0] * v[0] + r[1] * v[1] + r[2] * v[2];
  const k = v2 - mu / rn;
  const ev = [0, 1, 2].map((i) => (k * r[i]! - rv * v[i]!) / mu);
  return { e: Math.hypot(ev[0]!, ev[1]!, ev[2]!), a: 1 / (2 / rn - v2 / mu) };
}

/**
 * Largest angle between the observed directions and those of the two-body orbit through the
 * state (r2, v2) at the middle time, rad; Infinity when propagation fails.
 */
export function losResidual(
  obs: readonly [LineOfSight, LineOfSight, LineOfSight],
  r2: ReadonlyVec3,
  v2: ReadonlyVec3,
  mu: number,
): number {
  let worst = 0;
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  for (const o of obs) {
    try {
      propagateUniversal(r2, v2, mu, o.timeS - obs[1].timeS, r, v);
    } catch {
      return Number.POSITIVE_INFINITY;
    }
    const d: Vec3 = [r[0] - o.observerKm[0], r[1] - o.observerKm[1], r[2] - o.observerKm[2]];
    const u = o.directionUnit;
    const cx = d[1] * u[2] - d[2] * u[1];
    const cy = d[2] * u[0] - d[0] * u[2];
    const cz = d[0] * u[1] - d[1] * u[0];
    const ang = Math.atan2(Math.hypot(cx, cy, cz), d[0] * u[0] + d[1] * u[1] + d[2] * u[2]);
    if (!(ang <= worst)) worst = Number.isNaN(ang) ? Number.POSITIVE_INFINITY : ang;
  }
  return worst;
}

/**
 * Ranks candidates: converged first, then bound orbits (e < 1) whose perigee is above
 * `minPerigeeKm`, then by line-of-sight residual (to 0.1″, since exact fits tie), then by
 * eccentricity (the more circular first, the usual prior for Earth satellites).
 */
export function rankCandidates(c: readonly AnglesCandidate[], minPerigeeKm: number): AnglesCandidate[] {
  const ARCSEC = Math.PI / 648000;
  const score = (x: AnglesCandidate): number[] => [
    x.converged ? 0 : 1,
    x.eccentricity < 1 && x.semiMajorAxisKm * (1 - x.eccentricity) > minPerigeeKm ? 0 : 1,
    Math.round(x.losResidualRad / (0.1 * ARCSEC)),
    x.eccentricity,
  ];
  return [...c].sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
    return 0;
  });
}
