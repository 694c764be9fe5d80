/**
 * The frame graph: one tree of frames with one rotation (and rotation rate) per edge, and
 * `transform` which finds the path between any two frames. IAU-76/FK5 reduction after Vallado,
 * "Fundamentals of Astrodynamics and Applications", 4th ed. (2013), §3.7 (Example 3-15) and
 * Vallado et al., "Revisiting Spacetrack Report #3", AIAA 2006-6753, App. B/C.
 *
 *   ITRF ─polar motion─ PEF ─GMST 1982─ TEME ─eq. equinoxes─ TOD ─nutation─ MOD ─precession─ GCRF
 *                                                                                   EME2000 ─bias─┘
 *
 * Each edge child → parent gives R and Ṙ with r_parent = R·r_child and
 * v_parent = R·v_child + Ṙ·r_child; the reverse edge is (Rᵀ, Ṙᵀ). Only the Earth-rotation edge
 * has a rate (precession/nutation/polar-motion rates are neglected, as in Vallado).
 *
 * Edges:
 * - PEF → TEME: r_TEME = ROT3(−θ)·r_PEF with θ = GMST-1982(UT1); v_TEME = ROT3(−θ)(v_PEF + ω×r_PEF),
 *   ω = (0, 0, 7.292115146706979e-5·(1 − LOD/86400)) rad/s (Vallado `teme2ecef`).
 * - ITRF → PEF: r_PEF = W·r_ITRF, W = ROT1(yp)·ROT2(xp) ≈ [[1, 0, −xp], [0, 1, yp], [xp, −yp, 1]]
 *   (frame rotations), Vallado's `polarm` '80' form (Eq. 3-77), no TIO locator s′.
 * - TEME → TOD: r_TOD = ROT3(−Eq)·r_TEME, Eq = Δψ cos ε̄ (+ IAU 1994 kinematic terms by default);
 *   Δψ includes δΔψ, as in Vallado's `teme2eci` and `sidereal`. With the kinematic terms,
 *   PEF → TEME → TOD is exactly Vallado's PEF → TOD rotation by GAST (Example 3-15), so the ITRF ↔
 *   GCRF path through TEME equals his FK5 reduction. His 2017 `teme2eci` uses the geometric term
 *   only; `{ temeEquinox: 'geometric' }` selects that. The two differ by ≤ 0.0027″ (≈ 7 cm at
 *   10 000 km); the AIAA 2006-6753 TEME → J2000 numbers match the IAU 1994 choice to < 1 mm.
 * - TOD → MOD: r_MOD = ROT1(−ε̄)·ROT3(Δψ)·ROT1(ε̄ + Δε)·r_TOD, IAU-1980 106-term nutation plus the
 *   EOP corrections δΔψ, δΔε (Vallado `nutation`).
 * - MOD → GCRF: r_GCRF = ROT3(ζ)·ROT2(−θ)·ROT3(z)·r_MOD, IAU-1976 precession (Vallado `precess`).
 *   With δΔψ, δΔε applied this is Vallado's "GCRF" (FK5 J2000 with EOP corrections).
 * - EME2000 → GCRF: EME2000 is defined as in Orekit (EME2000Provider): GCRF rotated by the IERS
 *   2003 frame bias (IERS Conventions 2003 §5.4.4, Eq. 28): r_EME2000 = B·r_GCRF,
 *   B = ROT1(−η₀)·ROT2(ξ₀)·ROT3(dα₀), dα₀ = −14.6 mas, ξ₀ = −16.6170 mas, η₀ = −6.8192 mas. This is
 *   NOT Vallado's "J2000" (the FK5 chain without δΔψ/δΔε): for that, pass dPsiRad = dEpsRad = 0 and
 *   ask for GCRF. The bias is a constant ~23 mas rotation (≈ 1.1 m at 10 000 km).
 *
 * Precession/nutation take TT; GMST and the kinematic-term switch take UT1.
 */

import { EARTH_ROTATION_RATE_GMST1982_RAD_S } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import { identityMat3, type Mat3, mulMat3, rot1, rot2, rot3, transposeMat3, zeroMat3 } from '../math/mat3.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import type { FrameEpoch } from '../time/frame-epoch.js';
import { ARCSEC2RAD, SECONDS_PER_DAY } from '../units/index.js';
import { centuriesTt, meanObliquity1980, nutation1980, precessionAngles1976 } from './nutation-1980.js';
import { equationOfEquinoxes1994, gmst1982 } from './sidereal.js';
import { FRAME_NAMES, type FrameName, isFrameName, type State } from './state.js';

/** Options of the frame graph. */
export interface FrameOptions {
  /**
   * Equation of the equinoxes on the TEME ↔ TOD edge: 'iau1994' (default; Δψ cos ε̄ plus the
   * kinematic terms from 1997-02-27) or 'geometric' (Δψ cos ε̄ only, Vallado's 2017 `teme2eci`).
   */
  readonly temeEquinox?: 'iau1994' | 'geometric';
}

/** A rotation and its time derivative from one frame to another: r' = R·r, v' = R·v + Ṙ·r. */
export interface FrameTransform {
  /** Rotation matrix R (row-major). */
  readonly rotation: Mat3;
  /** Its time derivative Ṙ, 1/s (row-major). */
  readonly rotationRate: Mat3;
}

/** A new identity transform, to be filled by `frameTransform`. */
export function newFrameTransform(): FrameTransform {
  return { rotation: identityMat3(), rotationRate: zeroMat3() };
}

/** Parent of each frame in the tree (GCRF is the root). */
const PARENT: Readonly<Record<FrameName, FrameName | null>> = {
  GCRF: null,
  MOD: 'GCRF',
  TOD: 'MOD',
  TEME: 'TOD',
  PEF: 'TEME',
  ITRF: 'PEF',
  EME2000: 'GCRF',
};

/** IERS 2003 frame bias (IERS Conventions 2003, §5.4.4), rad. */
const BIAS_DALPHA0 = -0.0146 * ARCSEC2RAD;
const BIAS_XI0 = -0.016617 * ARCSEC2RAD;
const BIAS_ETA0 = -0.0068192 * ARCSEC2RAD;

/** B: GCRF → EME2000. */
const FRAME_BIAS: Mat3 = (() => {
  const a = rot1(-BIAS_ETA0, zeroMat3());
  const b = rot2(BIAS_XI0, zeroMat3());
  const c = rot3(BIAS_DALPHA0, zeroMat3());
  return mulMat3(mulMat3(a, b, zeroMat3()), c, zeroMat3());
})();
/** Bᵀ: EME2000 → GCRF. */
const FRAME_BIAS_T: Mat3 = transposeMat3(FRAME_BIAS, zeroMat3());

/** The IERS 2003 frame-bias matrix B (r_EME2000 = B·r_GCRF), a copy. */
export function frameBiasMatrix(): Mat3 {
  return [...FRAME_BIAS];
}

/** Per-call epoch quantities, computed lazily (module scratch: no allocation per call). */
const q = {
  epoch: null as FrameEpoch | null,
  t: 0,
  nutationReady: false,
  dPsi: 0,
  dEps: 0,
  meanEps: 0,
  omega: 0,
};
const nutScratch: number[] = [0, 0, 0];
const precScratch: number[] = [0, 0, 0];

function prepare(epoch: FrameEpoch): void {
  if (q.epoch === epoch) return;
  q.epoch = epoch;
  q.t = centuriesTt(epoch.jdTt, epoch.jdTtFrac);
  q.nutationReady = false;
}

function ensureNutation(epoch: FrameEpoch): void {
  if (q.nutationReady) return;
  nutation1980(q.t, nutScratch);
  q.dPsi = nutScratch[0]! + epoch.dPsiRad;
  q.dEps = nutScratch[1]! + epoch.dEpsRad;
  q.omega = nutScratch[2]!;
  q.meanEps = meanObliquity1980(q.t);
  q.nutationReady = true;
}

const m1: Mat3 = zeroMat3();
const m2: Mat3 = zeroMat3();
const m3: Mat3 = zeroMat3();

/**
 * Writes the child → parent edge of `child` into (r, rd); returns true when it has a rate.
 * `epoch` must have been `prepare`d.
 */
function edgeToParent(
  child: FrameName,
  epoch: FrameEpoch,
  options: FrameOptions | undefined,
  r: Mat3,
  rd: Mat3,
): boolean {
  switch (child) {
    case 'PEF': {
      const theta = gmst1982(epoch.jdUt1, epoch.jdUt1Frac);
      rot3(-theta, r);
      const w = EARTH_ROTATION_RATE_GMST1982_RAD_S * (1 - epoch.lodS / SECONDS_PER_DAY);
      // Ṙ = R·[ω×], [ω×] = [[0, −ω, 0], [ω, 0, 0], [0, 0, 0]].
      rd[0] = r[1] * w;
      rd[1] = -r[0] * w;
      rd[2] = 0;
      rd[3] = r[4] * w;
      rd[4] = -r[3] * w;
      rd[5] = 0;
      rd[6] = r[7] * w;
      rd[7] = -r[6] * w;
      rd[8] = 0;
      return true;
    }
    case 'ITRF': {
      // W = ROT1(yp)·ROT2(xp) ≈ [[1, 0, −xp], [0, 1, yp], [xp, −yp, 1]]: Vallado's polarm '80'.
      rot1(epoch.ypRad, m1);
      rot2(epoch.xpRad, m2);
      mulMat3(m1, m2, r);
      break;
    }
    case 'TEME': {
      ensureNutation(epoch);
      const kinematic = options?.temeEquinox !== 'geometric';
      const eq = equationOfEquinoxes1994(
        q.dPsi,
        q.meanEps,
        q.omega,
        epoch.jdUt1 + epoch.jdUt1Frac,
        kinematic,
      );
      rot3(-eq, r);
      break;
    }
    case 'TOD': {
      ensureNutation(epoch);
      rot1(-q.meanEps, m1);
      rot3(q.dPsi, m2);
      mulMat3(m1, m2, m3);
      rot1(q.meanEps + q.dEps, m1);
      mulMat3(m3, m1, r);
      break;
    }
    case 'MOD': {
      precessionAngles1976(q.t, precScratch);
      rot3(precScratch[0]!, m1);
      rot2(-precScratch[1]!, m2);
      mulMat3(m1, m2, m3);
      rot3(precScratch[2]!, m1);
      mulMat3(m3, m1, r);
      break;
    }
    case 'EME2000': {
      for (let i = 0; i < 9; i++) r[i] = FRAME_BIAS_T[i]!;
      break;
    }
    case 'GCRF':
      throw new AstroError('FRAME_UNKNOWN', 'GCRF is the root of the frame graph and has no parent');
  }
  for (let i = 0; i < 9; i++) rd[i] = 0;
  return false;
}

/** Ancestors of a frame, itself first, root last. */
const CHAINS: Readonly<Record<FrameName, readonly FrameName[]>> = (() => {
  const out = {} as Record<FrameName, FrameName[]>;
  for (const f of FRAME_NAMES) {
    const chain: FrameName[] = [];
    for (let g: FrameName | null = f; g !== null; g = PARENT[g]) chain.push(g);
    out[f] = chain;
  }
  return out;
})();

/** The path from `from` to `to` through the tree, both ends included. */
export function framePath(from: FrameName, to: FrameName): FrameName[] {
  checkName(from);
  checkName(to);
  const up = CHAINS[from];
  const down = CHAINS[to];
  let lca = 0;
  while (!down.includes(up[lca]!)) lca++;
  const common = up[lca]!;
  const path = up.slice(0, lca + 1);
  const j = down.indexOf(common);
  for (let k = j - 1; k >= 0; k--) path.push(down[k]!);
  return path;
}

function checkName(name: string): asserts name is FrameName {
  if (!isFrameName(name)) {
    throw new AstroError('FRAME_UNKNOWN', `unknown frame ${JSON.stringify(name)}`, {
      expected: FRAME_NAMES.join('|'),
      found: name,
    });
  }
}

const er: Mat3 = zeroMat3();
const erd: Mat3 = zeroMat3();
const accR: Mat3 = zeroMat3();
const accRd: Mat3 = zeroMat3();
const tA: Mat3 = zeroMat3();
const tB: Mat3 = zeroMat3();

/** acc ← (e, ed) ∘ acc, i.e. R = E·R, Ṙ = Ė·R + E·Ṙ. */
function compose(e: Mat3, ed: Mat3, hasRate: boolean, outR: Mat3, outRd: Mat3): void {
  mulMat3(e, outR, tA);
  mulMat3(e, outRd, tB);
  if (hasRate) {
    mulMat3(ed, outR, outR);
    for (let i = 0; i < 9; i++) outRd[i] = tB[i]! + outR[i]!;
  } else {
    for (let i = 0; i < 9; i++) outRd[i] = tB[i]!;
  }
  for (let i = 0; i < 9; i++) outR[i] = tA[i]!;
}

/**
 * The transform from frame `from` to frame `to` at `epoch`: r_to = R·r_from,
 * v_to = R·v_from + Ṙ·r_from (R dimensionless, Ṙ in 1/s). Writes into `out` (allocates one when
 * omitted). Throws `FRAME_UNKNOWN` for an unknown frame name.
 */
export function frameTransform(
  from: FrameName,
  to: FrameName,
  epoch: FrameEpoch,
  out: FrameTransform = newFrameTransform(),
  options?: FrameOptions,
): FrameTransform {
  checkName(from);
  checkName(to);
  const up = CHAINS[from];
  const down = CHAINS[to];
  const R = accR;
  const Rd = accRd;
  for (let i = 0; i < 9; i++) {
    R[i] = i % 4 === 0 ? 1 : 0;
    Rd[i] = 0;
  }
  if (from !== to) {
    prepare(epoch);
    let lca = 0;
    while (!down.includes(up[lca]!)) lca++;
    // Up from `from` to the common ancestor.
    for (let k = 0; k < lca; k++) {
      const rate = edgeToParent(up[k]!, epoch, options, er, erd);
      compose(er, erd, rate, R, Rd);
    }
    // Down to `to`: inverse edges (Rᵀ, Ṙᵀ).
    const j = down.indexOf(up[lca]!);
    for (let k = j - 1; k >= 0; k--) {
      const rate = edgeToParent(down[k]!, epoch, options, er, erd);
      transposeMat3(er, er);
      transposeMat3(erd, erd);
      compose(er, erd, rate, R, Rd);
    }
    // The scratch epoch must not pin a caller's object forever.
    q.epoch = null;
  }
  for (let i = 0; i < 9; i++) {
    out.rotation[i] = R[i]!;
    out.rotationRate[i] = Rd[i]!;
  }
  return out;
}

/**
 * Applies a transform to a position (km) and velocity (km/s), writing into `outR`/`outV` (which
 * may alias the inputs).
 */
export function applyFrameTransform(
  t: FrameTransform,
  rKm: ReadonlyVec3,
  vKmS: ReadonlyVec3,
  outR: Vec3,
  outV: Vec3,
): void {
  const m = t.rotation;
  const d = t.rotationRate;
  const x = rKm[0];
  const y = rKm[1];
  const z = rKm[2];
  const vx = vKmS[0];
  const vy = vKmS[1];
  const vz = vKmS[2];
  outV[0] = m[0] * vx + m[1] * vy + m[2] * vz + d[0] * x + d[1] * y + d[2] * z;
  outV[1] = m[3] * vx + m[4] * vy + m[5] * vz + d[3] * x + d[4] * y + d[5] * z;
  outV[2] = m[6] * vx + m[7] * vy + m[8] * vz + d[6] * x + d[7] * y + d[8] * z;
  outR[0] = m[0] * x + m[1] * y + m[2] * z;
  outR[1] = m[3] * x + m[4] * y + m[5] * z;
  outR[2] = m[6] * x + m[7] * y + m[8] * z;
}

const scratchT = newFrameTransform();

/**
 * Converts `state` to frame `toFrame` at `epoch` (position km, velocity km/s in both). The
 * state's frame is checked at run time (`FRAME_UNKNOWN` when it is not a known frame name).
 */
export function transform<F extends FrameName, T extends FrameName>(
  state: State<F>,
  toFrame: T,
  epoch: FrameEpoch,
  options?: FrameOptions,
): State<T> {
  checkName(state.frame);
  frameTransform(state.frame, toFrame, epoch, scratchT, options);
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  applyFrameTransform(scratchT, state.rKm, state.vKmS, r, v);
  return { frame: toFrame, rKm: r, vKmS: v };
}

/** Columnar states: one Float64Array per coordinate, position km and velocity km/s. */
export interface StateColumns {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
}

/**
 * Converts n columnar states from `from` to `to`. `epochs` holds one FrameEpoch per row, or a
 * single one shared by all rows; consecutive rows holding the same FrameEpoch object reuse the
 * rotation. `output` may be `input` (in-place). No allocation per row. NaN rows stay NaN.
 * Throws `BATCH_LENGTH` when the columns or epochs do not have matching lengths.
 */
export function transformBatch(
  from: FrameName,
  to: FrameName,
  epochs: readonly FrameEpoch[],
  input: StateColumns,
  output: StateColumns,
  options?: FrameOptions,
): void {
  const n = input.x.length;
  const cols = [
    input.y,
    input.z,
    input.vx,
    input.vy,
    input.vz,
    output.x,
    output.y,
    output.z,
    output.vx,
    output.vy,
    output.vz,
  ];
  if (cols.some((c) => c.length !== n) || (epochs.length !== 1 && epochs.length !== n)) {
    throw new AstroError('BATCH_LENGTH', 'state columns and epochs must have matching lengths', {
      expected: `${n} rows and 1 or ${n} epochs`,
      found: `columns ${[input.x, ...cols].map((c) => c.length).join(',')}, epochs ${epochs.length}`,
    });
  }
  const t = newFrameTransform();
  const m = t.rotation;
  const d = t.rotationRate;
  let last: FrameEpoch | null = null;
  const { x: ix, y: iy, z: iz, vx: ivx, vy: ivy, vz: ivz } = input;
  const { x: ox, y: oy, z: oz, vx: ovx, vy: ovy, vz: ovz } = output;
  for (let i = 0; i < n; i++) {
    const e = epochs.length === 1 ? epochs[0]! : epochs[i]!;
    if (e !== last) {
      frameTransform(from, to, e, t, options);
      last = e;
    }
    const x = ix[i]!;
    const y = iy[i]!;
    const z = iz[i]!;
    const vx = ivx[i]!;
    const vy = ivy[i]!;
    const vz = ivz[i]!;
    ox[i] = m[0] * x + m[1] * y + m[2] * z;
    oy[i] = m[3] * x + m[4] * y + m[5] * z;
    oz[i] = m[6] * x + m[7] * y + m[8] * z;
    ovx[i] = m[0] * vx + m[1] * vy + m[2] * vz + d[0] * x + d[1] * y + d[2] * z;
    ovy[i] = m[3] * vx + m[4] * vy + m[5] * vz + d[3] * x + d[4] * y + d[5] * z;
    ovz[i] = m[6] * vx + m[7] * vy + m[8] * vz + d[6] * x + d[7] * y + d[8] * z;
  }
}
