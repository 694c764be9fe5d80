/**
 * Local orbital frames built from a reference (chief) state, and conversions of relative
 * position/velocity and 3×3 covariances into and out of them.
 *
 * - RTN (= RIC, RSW; CCSDS `RTN`/`RIC`/`RSW`): R̂ = r/|r|, N̂ = (r×v)/|r×v|, T̂ = N̂×R̂
 *   (Vallado 2013, §3.3, "RSW"; CCSDS 508.0 / 502.0 definitions).
 * - NTW (CCSDS `NTW`): T̂ = v/|v|, Ŵ = (r×v)/|r×v|, N̂ = T̂×Ŵ (in-plane, normal to velocity,
 *   pointing away from the centre for near-circular orbits; Vallado 2013, §3.3 "NTW").
 *
 * The rotation matrix Q has the three unit vectors as rows, so x_local = Q·x_inertial and
 * x_inertial = Qᵀ·x_local. Relative velocity is expressed in the *rotating* local frame:
 * ρ̇_local = Q·(δv − ω×δr), ω = (r×v)/|r|² the frame's angular velocity (exact for RTN, the orbital
 * rate; used for NTW as well, whose small extra in-plane rate from the flight-path angle change
 * is neglected, so NTW velocities are approximate off-circular and the round trip is still exact).
 * Covariances rotate as C_local = Q·C·Qᵀ.
 * All vectors must be in the same inertial frame as the reference state (checked at run time).
 */
import { AstroError } from '../errors.js';
import {
  type Mat3,
  mulMat3TVec3,
  mulMat3Vec3,
  type ReadonlyMat3,
  similarityMat3,
  similarityTMat3,
  zeroMat3,
} from '../math/mat3.js';
import { cross3, dot3, type ReadonlyVec3, type Vec3 } from '../math/vec3.js';
import type { FrameName, State } from './state.js';

/** The supported local orbital frames. */
export type LocalOrbitalFrameName = 'RTN' | 'NTW';

const h: Vec3 = [0, 0, 0];
const a: Vec3 = [0, 0, 0];
const b: Vec3 = [0, 0, 0];
const c: Vec3 = [0, 0, 0];

/**
 * Q (rows = local unit vectors in the reference frame) of `kind` built from the reference
 * position (km) and velocity (km/s), written into `out`. Throws `DEGENERATE_ORBIT` when r or v is
 * zero or r ∥ v.
 */
export function localOrbitalMatrix(
  kind: LocalOrbitalFrameName,
  rKm: ReadonlyVec3,
  vKmS: ReadonlyVec3,
  out: Mat3,
): Mat3 {
  cross3(rKm, vKmS, h);
  const hn = Math.hypot(h[0], h[1], h[2]);
  const rn = Math.hypot(rKm[0], rKm[1], rKm[2]);
  const vn = Math.hypot(vKmS[0], vKmS[1], vKmS[2]);
  if (!(hn > 0 && rn > 0 && vn > 0) || hn <= 1e-12 * rn * vn) {
    throw new AstroError(
      'DEGENERATE_ORBIT',
      'cannot build a local orbital frame: r and v are zero or parallel',
      {
        expected: '|r × v| > 0',
        found: `|r × v| = ${hn}`,
      },
    );
  }
  // c = N̂ (RTN) = Ŵ (NTW): the orbit normal.
  c[0] = h[0] / hn;
  c[1] = h[1] / hn;
  c[2] = h[2] / hn;
  if (kind === 'RTN') {
    // a = R̂, b = T̂ = N̂ × R̂.
    a[0] = rKm[0] / rn;
    a[1] = rKm[1] / rn;
    a[2] = rKm[2] / rn;
    cross3(c, a, b);
  } else {
    // NTW: b = T̂, a = N̂ = T̂ × Ŵ.
    b[0] = vKmS[0] / vn;
    b[1] = vKmS[1] / vn;
    b[2] = vKmS[2] / vn;
    cross3(b, c, a);
  }
  out[0] = a[0];
  out[1] = a[1];
  out[2] = a[2];
  out[3] = b[0];
  out[4] = b[1];
  out[5] = b[2];
  out[6] = c[0];
  out[7] = c[1];
  out[8] = c[2];
  return out;
}

const q: Mat3 = zeroMat3();
const w: Vec3 = [0, 0, 0];
const wx: Vec3 = [0, 0, 0];
const tmp: Vec3 = [0, 0, 0];

function frameRate(rKm: ReadonlyVec3, vKmS: ReadonlyVec3, out: Vec3): Vec3 {
  cross3(rKm, vKmS, out);
  const r2 = dot3(rKm, rKm);
  out[0] /= r2;
  out[1] /= r2;
  out[2] /= r2;
  return out;
}

/**
 * A deputy's state relative to the reference, in the local frame: position km, velocity km/s
 * as seen in the rotating frame. Both states must share one inertial frame (`FRAME_MISMATCH`).
 */
export function toLocalOrbital<F extends FrameName>(
  kind: LocalOrbitalFrameName,
  reference: State<F>,
  deputy: State<F>,
  outR: Vec3 = [0, 0, 0],
  outV: Vec3 = [0, 0, 0],
): { rKm: Vec3; vKmS: Vec3 } {
  sameFrame(reference, deputy);
  localOrbitalMatrix(kind, reference.rKm, reference.vKmS, q);
  const dr: Vec3 = [
    deputy.rKm[0] - reference.rKm[0],
    deputy.rKm[1] - reference.rKm[1],
    deputy.rKm[2] - reference.rKm[2],
  ];
  const dv: Vec3 = [
    deputy.vKmS[0] - reference.vKmS[0],
    deputy.vKmS[1] - reference.vKmS[1],
    deputy.vKmS[2] - reference.vKmS[2],
  ];
  frameRate(reference.rKm, reference.vKmS, w);
  cross3(w, dr, wx);
  tmp[0] = dv[0] - wx[0];
  tmp[1] = dv[1] - wx[1];
  tmp[2] = dv[2] - wx[2];
  mulMat3Vec3(q, dr, outR);
  mulMat3Vec3(q, tmp, outV);
  return { rKm: outR, vKmS: outV };
}

/** Inverse of `toLocalOrbital`: the deputy's inertial state from its local relative state. */
export function fromLocalOrbital<F extends FrameName>(
  kind: LocalOrbitalFrameName,
  reference: State<F>,
  relRKm: ReadonlyVec3,
  relVKmS: ReadonlyVec3,
): State<F> {
  localOrbitalMatrix(kind, reference.rKm, reference.vKmS, q);
  const dr: Vec3 = [0, 0, 0];
  mulMat3TVec3(q, relRKm, dr);
  mulMat3TVec3(q, relVKmS, tmp);
  frameRate(reference.rKm, reference.vKmS, w);
  cross3(w, dr, wx);
  const r: Vec3 = [reference.rKm[0] + dr[0], reference.rKm[1] + dr[1], reference.rKm[2] + dr[2]];
  const v: Vec3 = [
    reference.vKmS[0] + tmp[0] + wx[0],
    reference.vKmS[1] + tmp[1] + wx[1],
    reference.vKmS[2] + tmp[2] + wx[2],
  ];
  return { frame: reference.frame, rKm: r, vKmS: v };
}

/** A 3×3 position covariance (km²) from the reference's inertial frame into the local frame. */
export function covarianceToLocalOrbital<F extends FrameName>(
  kind: LocalOrbitalFrameName,
  reference: State<F>,
  cov: ReadonlyMat3,
  out: Mat3 = zeroMat3(),
): Mat3 {
  localOrbitalMatrix(kind, reference.rKm, reference.vKmS, q);
  return similarityMat3(q, cov, out);
}

/** A 3×3 covariance from the local frame back to the reference's inertial frame. */
export function covarianceFromLocalOrbital<F extends FrameName>(
  kind: LocalOrbitalFrameName,
  reference: State<F>,
  cov: ReadonlyMat3,
  out: Mat3 = zeroMat3(),
): Mat3 {
  localOrbitalMatrix(kind, reference.rKm, reference.vKmS, q);
  return similarityTMat3(q, cov, out);
}

function sameFrame(ref: { readonly frame: string }, dep: { readonly frame: string }): void {
  if (ref.frame !== dep.frame) {
    throw new AstroError('FRAME_MISMATCH', `deputy in ${dep.frame} but reference in ${ref.frame}`, {
      expected: ref.frame,
      found: dep.frame,
    });
  }
}
