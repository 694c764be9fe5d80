/**
 * The short-term encounter (conjunction) plane: from two objects' states at TCA and their 3×3
 * position covariances, the combined covariance projected on the plane normal to the relative
 * velocity, the miss vector in that plane and its principal axes.
 *
 * Conventions follow NASA CARA's Pc2D_Foster.m / PcCircle.m (nasa/CARA_Analysis_Tools,
 * DistributedMatlab/ProbabilityOfCollision):
 * - r = r1 − r2, v = v1 − v2 (primary minus secondary), ŷ = v/|v|, ẑ = (r×v)/|r×v|, x̂ = ŷ×ẑ;
 *   combined covariance C = C1 + C2 (no cross-correlation), projected as the (x, z) block of
 *   [x̂ ŷ ẑ]ᵀ·C·[x̂ ŷ ẑ].
 * - The miss vector in the plane is (|r|, 0): CARA uses the full 3-D separation, which equals its
 *   projection exactly when the states are at the true TCA (r ⟂ v). See `adjustToLinearTca`.
 * - Principal axes: the eigen-decomposition of the 2×2 block, x along the larger eigenvalue; the
 *   miss components (xm, zm) are taken non-negative (the integrals are symmetric).
 * - Non-positive-definite projections are remediated by eigenvalue clipping (Hall et al. 2017, as
 *   CARA's CovRemEigValClip / PcCircle): eigenvalues below (1e-4·HBR)² are raised to it and the
 *   result is flagged `remediated`. If even the larger eigenvalue is ≤ 0, or remediation is off and
 *   the smaller one is ≤ 0, `PC_COVARIANCE_NOT_PD` is thrown.
 * - Zero miss distance (r = 0 or r ∥ v): ẑ is taken along (r1 + r2)×v, CARA's choice, so the frame
 *   stays defined; the Pc integral needs no perturbation of the miss itself.
 *
 * Units: km, km/s, km² throughout; every vector in one inertial frame chosen by the caller.
 */
import { AstroError } from '../errors.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import { type Mat3, type ReadonlyMat3, similarityTMat3, zeroMat3 } from '../math/mat3.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Two objects at (or near) TCA, with their position covariances, in one inertial frame. */
export interface PcConjunction {
  /** Primary position, km. */
  readonly r1Km: ReadonlyVec3;
  /** Primary velocity, km/s. */
  readonly v1KmS: ReadonlyVec3;
  /** Primary 3×3 position covariance, km², row-major, same inertial frame. */
  readonly cov1Km2: ReadonlyMat3;
  /** Secondary position, km. */
  readonly r2Km: ReadonlyVec3;
  /** Secondary velocity, km/s. */
  readonly v2KmS: ReadonlyVec3;
  /** Secondary 3×3 position covariance, km², row-major, same inertial frame. */
  readonly cov2Km2: ReadonlyMat3;
}

/** The encounter plane of a conjunction (a mutable record so hot loops can reuse it). */
export interface EncounterPlane {
  /** |r1 − r2|, km: the miss distance placed on x̂. */
  missKm: number;
  /** |v1 − v2|, km/s. */
  relSpeedKmS: number;
  /** Plane axis along the miss (x̂ = ŷ×ẑ), unit vector in the input frame. */
  xHat: Vec3;
  /** Relative-velocity direction ŷ = (v1 − v2)/|v1 − v2|. */
  yHat: Vec3;
  /** Plane normal to the relative orbit, ẑ ∥ (r1 − r2)×(v1 − v2). */
  zHat: Vec3;
  /** Combined covariance projected on the plane: xx, xz and zz terms, km². */
  cxxKm2: number;
  cxzKm2: number;
  czzKm2: number;
}

/**
 * An encounter in its principal axes, the form used by Orekit's 2-D methods and Chan: miss
 * components along the two principal axes and the 1σ along each.
 */
export interface PcEncounter2D {
  /** Miss component along the first principal axis, km. */
  xmKm: number;
  /** Miss component along the second principal axis, km. */
  zmKm: number;
  /** 1σ along the first axis, km. */
  sigmaXKm: number;
  /** 1σ along the second axis, km. */
  sigmaZKm: number;
}

/** How a non-positive-definite projected covariance is handled. */
export type PcRemediation = 'clip' | 'none';

/** A principal-axis encounter plus what the remediation did. */
export interface PrincipalEncounter extends PcEncounter2D {
  /** Eigenvalues of the projected covariance before remediation, km² (larger first). */
  eigen1RawKm2: number;
  eigen2RawKm2: number;
  /** True when an eigenvalue was raised to the clipping level. */
  remediated: boolean;
  /** Major principal axis as (cos, sin) of its angle from x̂ towards ẑ. */
  axisCos: number;
  axisSin: number;
}

/** Fraction of the HBR whose square is CARA's eigenvalue clipping level (PcCircle `Fclip`). */
export const PC_EIGEN_CLIP_FRACTION = 1e-4;

/** A new, zeroed encounter-plane record (for reuse with `encounterPlane`). */
export function newEncounterPlane(): EncounterPlane {
  return {
    missKm: 0,
    relSpeedKmS: 0,
    xHat: [0, 0, 0],
    yHat: [0, 0, 0],
    zHat: [0, 0, 0],
    cxxKm2: 0,
    cxzKm2: 0,
    czzKm2: 0,
  };
}

function finite3(a: ReadonlyVec3): boolean {
  return Number.isFinite(a[0]) && Number.isFinite(a[1]) && Number.isFinite(a[2]);
}

function finiteMat(a: ReadonlyMat3): boolean {
  for (let i = 0; i < 9; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

/** Checks the inputs of a Pc call; throws PC_INVALID_INPUT with the offending field. */
export function checkConjunction(c: PcConjunction): void {
  const bad = !finite3(c.r1Km)
    ? 'r1Km'
    : !finite3(c.v1KmS)
      ? 'v1KmS'
      : !finite3(c.r2Km)
        ? 'r2Km'
        : !finite3(c.v2KmS)
          ? 'v2KmS'
          : !finiteMat(c.cov1Km2)
            ? 'cov1Km2'
            : !finiteMat(c.cov2Km2)
              ? 'cov2Km2'
              : undefined;
  if (bad !== undefined) {
    throw new AstroError('PC_INVALID_INPUT', `conjunction input ${bad} has a non-finite value`, {
      field: bad,
      expected: 'finite numbers',
    });
  }
}

/** Checks a hard-body radius (km): finite or +Infinity, and ≥ 0. */
export function checkHbr(hbrKm: number): void {
  if (!(hbrKm >= 0)) {
    throw new AstroError('PC_INVALID_HBR', `hard-body radius must be ≥ 0 km, got ${hbrKm}`, {
      expected: 'hbrKm ≥ 0',
      found: hbrKm,
    });
  }
}

/** Checks an encounter given in principal axes: finite miss, σ > 0 (else PC_COVARIANCE_NOT_PD). */
export function checkEncounter2D(e: PcEncounter2D): void {
  if (!Number.isFinite(e.xmKm) || !Number.isFinite(e.zmKm)) {
    throw new AstroError('PC_INVALID_INPUT', 'encounter miss components must be finite', {
      expected: 'finite xmKm, zmKm',
      found: [e.xmKm, e.zmKm],
    });
  }
  if (!(e.sigmaXKm > 0 && e.sigmaZKm > 0 && Number.isFinite(e.sigmaXKm) && Number.isFinite(e.sigmaZKm))) {
    throw new AstroError('PC_COVARIANCE_NOT_PD', 'encounter-plane sigmas must be finite and > 0', {
      expected: 'sigmaXKm > 0 and sigmaZKm > 0',
      found: [e.sigmaXKm, e.sigmaZKm],
    });
  }
}

/**
 * Builds the encounter plane of `c` (written into `out` when given). Throws
 * PC_ZERO_RELATIVE_VELOCITY when v1 = v2 (the 2-D model is undefined) and PC_INVALID_INPUT for
 * non-finite values.
 */
export function encounterPlane(c: PcConjunction, out: EncounterPlane = newEncounterPlane()): EncounterPlane {
  checkConjunction(c);
  const rx = c.r1Km[0] - c.r2Km[0];
  const ry = c.r1Km[1] - c.r2Km[1];
  const rz = c.r1Km[2] - c.r2Km[2];
  const vx = c.v1KmS[0] - c.v2KmS[0];
  const vy = c.v1KmS[1] - c.v2KmS[1];
  const vz = c.v1KmS[2] - c.v2KmS[2];
  const vn = Math.hypot(vx, vy, vz);
  if (!(vn > 0)) {
    throw new AstroError('PC_ZERO_RELATIVE_VELOCITY', 'the two objects have the same velocity at TCA', {
      expected: '|v1 − v2| > 0',
      found: vn,
    });
  }
  const rn = Math.hypot(rx, ry, rz);
  const y = out.yHat;
  y[0] = vx / vn;
  y[1] = vy / vn;
  y[2] = vz / vn;
  // ẑ ∥ r × v
  let hx = ry * vz - rz * vy;
  let hy = rz * vx - rx * vz;
  let hz = rx * vy - ry * vx;
  let hn = Math.hypot(hx, hy, hz);
  if (!(hn > 1e-14 * rn * vn) || rn === 0) {
    // Zero miss or r ∥ v: use (r1 + r2) × v (CARA PcCircle), then any normal to v.
    const sx = c.r1Km[0] + c.r2Km[0];
    const sy = c.r1Km[1] + c.r2Km[1];
    const sz = c.r1Km[2] + c.r2Km[2];
    hx = sy * vz - sz * vy;
    hy = sz * vx - sx * vz;
    hz = sx * vy - sy * vx;
    hn = Math.hypot(hx, hy, hz);
    if (!(hn > 0)) {
      const ax = Math.abs(y[0]) < 0.9 ? 1 : 0;
      const ay = 1 - ax;
      hx = ay * y[2];
      hy = -ax * y[2];
      hz = ax * y[1] - ay * y[0];
      hn = Math.hypot(hx, hy, hz);
    }
  }
  const z = out.zHat;
  z[0] = hx / hn;
  z[1] = hy / hn;
  z[2] = hz / hn;
  const x = out.xHat;
  x[0] = y[1] * z[2] - y[2] * z[1];
  x[1] = y[2] * z[0] - y[0] * z[2];
  x[2] = y[0] * z[1] - y[1] * z[0];
  // Project C = C1 + C2 on (x̂, ẑ): cab = âᵀ C b̂ (C symmetrised by the bilinear form).
  const a = c.cov1Km2;
  const b = c.cov2Km2;
  let cxx = 0;
  let cxz = 0;
  let czz = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const cij = a[3 * i + j]! + b[3 * i + j]!;
      cxx += x[i]! * cij * x[j]!;
      cxz += 0.5 * (x[i]! * cij * z[j]! + z[i]! * cij * x[j]!);
      czz += z[i]! * cij * z[j]!;
    }
  }
  out.missKm = rn;
  out.relSpeedKmS = vn;
  out.cxxKm2 = cxx;
  out.cxzKm2 = cxz;
  out.czzKm2 = czz;
  return out;
}

/**
 * Principal axes of the projected covariance, with the miss (|r|, 0) expressed in them and
 * eigenvalue clipping at (PC_EIGEN_CLIP_FRACTION·hbrKm)² when `remediation` is 'clip'.
 */
export function principalEncounter(
  plane: EncounterPlane,
  hbrKm: number,
  remediation: PcRemediation = 'clip',
): PrincipalEncounter {
  const a = plane.cxxKm2;
  const b = plane.cxzKm2;
  const c = plane.czzKm2;
  const mean = 0.5 * (a + c);
  const dev = Math.hypot(0.5 * (a - c), b);
  const l1 = mean + dev;
  const l2 = mean - dev;
  // Major-axis direction in (x̂, ẑ) components.
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const ux = Math.cos(theta);
  const uz = Math.sin(theta);
  if (!(l1 > 0)) {
    throw new AstroError(
      'PC_COVARIANCE_NOT_PD',
      'combined covariance projected on the encounter plane has no positive eigenvalue',
      { expected: 'at least one eigenvalue > 0 km²', found: [l1, l2] },
    );
  }
  let e1 = l1;
  let e2 = l2;
  let remediated = false;
  if (remediation === 'clip') {
    const clip = Number.isFinite(hbrKm) ? (PC_EIGEN_CLIP_FRACTION * hbrKm) ** 2 : 0;
    if (e1 < clip) {
      e1 = clip;
      remediated = true;
    }
    if (e2 < clip) {
      e2 = clip;
      remediated = true;
    }
  }
  if (!(e2 > 0)) {
    throw new AstroError(
      'PC_COVARIANCE_NOT_PD',
      'combined covariance projected on the encounter plane is not positive definite',
      {
        expected: 'both eigenvalues > 0 km² (or remediation "clip" with hbrKm > 0)',
        found: [l1, l2],
        remediation,
      },
    );
  }
  return {
    xmKm: plane.missKm * Math.abs(ux),
    zmKm: plane.missKm * Math.abs(uz),
    sigmaXKm: Math.sqrt(e1),
    sigmaZKm: Math.sqrt(e2),
    eigen1RawKm2: l1,
    eigen2RawKm2: l2,
    remediated,
    axisCos: ux,
    axisSin: uz,
  };
}

/**
 * Rotates a 3×3 position covariance given in the object's RTN frame (R̂ = r/|r|, N̂ ∥ r×v,
 * T̂ = N̂×R̂; CCSDS CDM convention) into the inertial frame of (rKm, vKmS): C = Qᵀ·C_rtn·Q.
 * Units are those of the input (km² in, km² out).
 */
export function pcCovarianceRtnToInertial(
  rKm: ReadonlyVec3,
  vKmS: ReadonlyVec3,
  covRtn: ReadonlyMat3,
  out: Mat3 = zeroMat3(),
): Mat3 {
  const q = localOrbitalMatrix('RTN', rKm, vKmS, zeroMat3());
  return similarityTMat3(q, covRtn, out);
}

/**
 * A conjunction from states in one inertial frame and each object's 3×3 position covariance in its
 * own RTN frame (the CDM convention), km and km². Each covariance is rotated with its own object's
 * state (domain note 5.7: never with the other object's frame).
 */
export function pcConjunctionFromRtn(
  r1Km: ReadonlyVec3,
  v1KmS: ReadonlyVec3,
  cov1RtnKm2: ReadonlyMat3,
  r2Km: ReadonlyVec3,
  v2KmS: ReadonlyVec3,
  cov2RtnKm2: ReadonlyMat3,
): PcConjunction {
  return {
    r1Km,
    v1KmS,
    cov1Km2: pcCovarianceRtnToInertial(r1Km, v1KmS, cov1RtnKm2),
    r2Km,
    v2KmS,
    cov2Km2: pcCovarianceRtnToInertial(r2Km, v2KmS, cov2RtnKm2),
  };
}

/** A conjunction moved to its linear-motion TCA, and the time shift applied. */
export interface LinearTcaAdjustment {
  readonly conjunction: PcConjunction;
  /** Shift from the input epoch to the true TCA, s. */
  readonly dtS: number;
}

/**
 * Moves both objects along straight lines (constant velocity) to the time where the relative
 * position is perpendicular to the relative velocity: dt = −(Δr·Δv)/|Δv|², rᵢ ← rᵢ + dt·vᵢ,
 * velocities and covariances unchanged. This is CARA's FindNearbyCA 'LINEAR' mode, used to undo
 * the millisecond rounding of TCA in CDMs before a 2-D Pc.
 */
export function adjustToLinearTca(c: PcConjunction): LinearTcaAdjustment {
  const dvx = c.v2KmS[0] - c.v1KmS[0];
  const dvy = c.v2KmS[1] - c.v1KmS[1];
  const dvz = c.v2KmS[2] - c.v1KmS[2];
  const dv2 = dvx * dvx + dvy * dvy + dvz * dvz;
  if (!(dv2 > 0)) return { conjunction: c, dtS: Number.NaN };
  const drx = c.r2Km[0] - c.r1Km[0];
  const dry = c.r2Km[1] - c.r1Km[1];
  const drz = c.r2Km[2] - c.r1Km[2];
  const dt = -(drx * dvx + dry * dvy + drz * dvz) / dv2;
  const r1: Vec3 = [c.r1Km[0] + dt * c.v1KmS[0], c.r1Km[1] + dt * c.v1KmS[1], c.r1Km[2] + dt * c.v1KmS[2]];
  const r2: Vec3 = [c.r2Km[0] + dt * c.v2KmS[0], c.r2Km[1] + dt * c.v2KmS[1], c.r2Km[2] + dt * c.v2KmS[2]];
  return { conjunction: { ...c, r1Km: r1, r2Km: r2 }, dtS: dt };
}
