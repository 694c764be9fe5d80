/**
 * SGP4 knots and quintic Hermite interpolation for conjunction screening.
 *
 * Every object is propagated (columnar batch SGP4, propagation/sgp4-batch.ts) only at knots spaced
 * h = Δ·2^L seconds (Δ the screening step, L the object's level), and positions in between come
 * from the quintic Hermite polynomial through the knot positions, SGP4 velocities and model
 * accelerations (two-body + J2 at the knot position, with the record's constants: gravityModel). Per interval k
 * of an object, in s = (t − t_k)/h ∈ [0, 1], with d = p1 − p0, V = h·v, A = h²·a:
 *   p(s) = c0 + c1·s + … + c5·s⁵,  c0 = p0, c1 = V0, c2 = A0/2,
 *   c3 = 10d − 6V0 − 4V1 − (3A0 − A1)/2,  c4 = −15d + 8V0 + 7V1 + (3A0 − 2A1)/2,
 *   c5 = 6d − 3(V0 + V1) − (A0 − A1)/2
 * (de Boor, "A Practical Guide to Splines", ch. 4). Cubic Hermite knots are the scheme of
 * SIMPLETON and of Alfano's "rapid interpolation" screening; the quintic's error grows as h⁶
 * instead of h⁴, so near-earth knots are twice as far apart for a smaller error.
 * Bounds kept per interval (used by the padded filters in screen-engine.ts):
 * - vmax ≥ |p'(t)|: h·p' is a quartic, bounded by the norms of its five Bernstein coefficients
 *   (convex hull property);
 * - jmax ≥ |p‴(t)|: h³·p‴ = 6c3 + 24c4·s + 60c5·s² is a quadratic, bounded by its three
 *   Bernstein coefficients;
 * - eps ≥ |p(t) − SGP4(t)|, the interpolation error. Three parts:
 *   (1) Hermite's remainder h⁶/46080·max|r⁽⁶⁾| with max|r⁽⁶⁾| that of the Kepler orbit at perigee
 *       (keplerSixthDerivative: ω⁶r for a circular orbit, far more for an eccentric one), times
 *       HERMITE_SAFETY;
 *   (2) SGP4's velocity is not exactly the time derivative of its position (drag polynomials of
 *       stale, high-drag element sets, deep-space periodics), which adds an error up to ≈ 0.2·h·|δv|.
 *       It is measured per interval against the quintic Hermite quadrature (exact to degree 5,
 *       remainder h⁷f⁽⁶⁾/100800) of the velocity, with the model's a and j at the knots:
 *       Dp = |p1 − p0 − (h/2)(v0 + v1) − (h²/10)(a0 − a1) − (h³/120)(j0 + j1)| ≈ h·|δv|, and
 *       VELOCITY_SAFETY·Dp is added;
 *   (3) the model acceleration is not SGP4's (its short-period, resonance and drag terms): an error
 *       |δa| at the knots adds up to ≈ 0.035·h²·|δa|. Measured with the same quadrature of the
 *       acceleration (the model's j and snap at the knots):
 *       Dv = |v1 − v0 − (h/2)(a0 + a1) − (h²/10)(j0 − j1) − (h³/120)(s0 + s1)| ≈ h·|δa|,
 *       and ACCEL_SAFETY·h·Dv is added.
 *   The defects measure integrals of δv and δa, so eps is a calibrated estimate rather than a proof:
 *   the constants are calibrated on the full 2023 catalog (conjunction-knots.test.ts checks the
 *   bound against SGP4 at 15 interior points of every interval of every object; largest error /
 *   bound 0.57).
 * A knot is invalid when SGP4 reports an error, |r| is outside [R_MIN_KM, R_MAX_KM] or |v| > V_MAX_KM_S; an interval
 * is usable only when its two knots are valid and eps ≤ EPS_MAX_KM:
 * larger inconsistency means a non-physical state (a stale element set whose drag terms run away).
 */

import {
  copyStateSamples,
  createStateBatch,
  propagateBatch,
  type StateBatch,
} from '../propagation/sgp4-batch.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';

/** Knot status of a state below R_MIN_KM (decayed into the earth); SGP4's own codes are 1–6. */
export const KNOT_BELOW_SURFACE = 254;
/** Knot status of a state above R_MAX_KM or faster than V_MAX_KM_S (non-physical). */
export const KNOT_NON_PHYSICAL = 255;
/** States with |r| below this are treated as invalid (decayed), km. */
export const R_MIN_KM = 6378;
/** States with |r| above this are treated as invalid (SGP4 garbage or escape), km. */
export const R_MAX_KM = 1e5;
/** States faster than this are treated as invalid (above escape speed at the surface), km/s. */
export const V_MAX_KM_S = 12;
/** Multiplier on the Kepler Hermite remainder. */
export const HERMITE_SAFETY = 3;
/** Multiplier on the velocity defect Dp (the δv error is ≈ 0.2·h·δv ≈ 0.2·Dp). */
export const VELOCITY_SAFETY = 0.5;
/** Multiplier on h·Dv, the acceleration-model defect (the δa error is ≈ 0.035·h²·δa ≈ 0.035·h·Dv). */
export const ACCEL_SAFETY = 0.1;
/**
 * Floor of the interpolation error bound, km: rounding, deep-space integrator steps, and margin
 * for eccentric orbits whose error is only metres (their bound is then 1.7× the largest error).
 */
export const EPS_FLOOR_KM = 0.01;
/** Intervals whose error bound exceeds this are unusable (non-physical SGP4 states), km. */
export const EPS_MAX_KM = 20;

/** Weights of the sixth central difference. */
const D6 = [1, -6, 15, -20, 15, -6, 1];

/**
 * |r⁽⁶⁾| (km/s⁶) at perigee, where it peaks, of the two-body orbit with perigee radius `rpKm` and
 * eccentricity `ecc`: the sixth central difference of the Kepler motion (spacing a sixteenth of
 * the passage time r_p/v_p: at most 2% below the exact value, round-off far smaller). For a circular orbit it is ω⁶·r; for an eccentric one the perigee turn
 * makes it far larger than the circular value at r_p (the orbit's harmonics add up).
 */
export function keplerSixthDerivative(rpKm: number, ecc: number, muKm3S2: number): number {
  const e = Math.min(Math.max(ecc, 0), 0.99);
  const rp = Math.max(rpKm, R_MIN_KM);
  const a = rp / (1 - e);
  const b = a * Math.sqrt(1 - e * e);
  const n = Math.sqrt(muKm3S2 / (a * a * a));
  const tau = rp / Math.sqrt((muKm3S2 * (1 + e)) / rp);
  const d = tau / 16;
  let sx = 0;
  let sy = 0;
  for (let k = -3; k <= 3; k++) {
    const M = n * k * d;
    // Kepler's equation by Newton's method from E = M + e·sin M (converges for e < 1).
    let E = M + e * Math.sin(M);
    for (let it = 0; it < 50; it++) {
      const dE = (E - e * Math.sin(E) - M) / (1 - e * Math.cos(E));
      E -= dE;
      if (Math.abs(dE) < 1e-15) break;
    }
    const w = D6[k + 3]!;
    sx += w * a * (Math.cos(E) - e);
    sy += w * b * Math.sin(E);
  }
  return Math.hypot(sx, sy) / d ** 6;
}

/** Hermite remainder estimate (km) for knot spacing `hSec` and |r⁽⁶⁾| ≤ `sixthDerivative` (km/s⁶). */
export function hermiteErrorEstimateKm(hSec: number, sixthDerivative: number): number {
  const h2 = hSec * hSec;
  return (HERMITE_SAFETY * h2 * h2 * h2 * sixthDerivative) / 46080;
}

/** Half-width of the central differences that measure a record's consistency, minutes (0.5 s). */
const CONSISTENCY_DT_MIN = 1 / 120;

/**
 * The knot level of an SGP4 record: the largest L ≤ maxLevel whose spacing h = stepSec·2^L gives an
 * estimated interpolation error within `targetKm`, else 0. The estimate is the eps bound's three
 * terms: Hermite's remainder for the Kepler orbit, VELOCITY_SAFETY·h·|δv| and ACCEL_SAFETY·h²·|δa|,
 * with δv = v − dp/dt and δa = dv/dt − a_model measured by central differences of SGP4 at each of
 * `minutes` (since epoch; the window's ends: drag terms make stale high-drag element sets grow
 * inconsistent with time).
 */
export function knotLevel(
  rec: Satrec,
  minutes: readonly number[],
  stepSec: number,
  maxLevel: number,
  targetKm: number,
): number {
  const a = rec.a * rec.radiusearthkm;
  const r6 = keplerSixthDerivative(a * (1 - rec.ecco), rec.ecco, rec.mus);
  const lo = new Float64Array(6);
  const mid = new Float64Array(6);
  const hi = new Float64Array(6);
  const model = new Float64Array(MODEL_STRIDE);
  const j2re2 = 1.5 * rec.j2 * rec.radiusearthkm * rec.radiusearthkm;
  const dt = 2 * CONSISTENCY_DT_MIN * 60;
  let dv = 0;
  let da = 0;
  for (const t of minutes) {
    if (
      sgp4(rec, t - CONSISTENCY_DT_MIN, lo) !== 0 ||
      sgp4(rec, t, mid) !== 0 ||
      sgp4(rec, t + CONSISTENCY_DT_MIN, hi) !== 0
    ) {
      continue;
    }
    gravityModel(mid[0]!, mid[1]!, mid[2]!, mid[3]!, mid[4]!, mid[5]!, rec.mus, j2re2, model, 0);
    const ax = model[0]!;
    const ay = model[1]!;
    const az = model[2]!;
    dv = Math.max(
      dv,
      Math.hypot(
        (hi[0]! - lo[0]!) / dt - mid[3]!,
        (hi[1]! - lo[1]!) / dt - mid[4]!,
        (hi[2]! - lo[2]!) / dt - mid[5]!,
      ),
    );
    da = Math.max(
      da,
      Math.hypot((hi[3]! - lo[3]!) / dt - ax, (hi[4]! - lo[4]!) / dt - ay, (hi[5]! - lo[5]!) / dt - az),
    );
  }
  for (let L = maxLevel; L > 0; L--) {
    const h = stepSec * 2 ** L;
    const est = hermiteErrorEstimateKm(h, r6) + VELOCITY_SAFETY * h * dv + ACCEL_SAFETY * h * h * da;
    if (est <= targetKm) return L;
  }
  return 0;
}

/**
 * The screening's gravity model at position r (km) and velocity v (km/s): two-body + J2
 * acceleration (km/s²), its jerk and snap along the motion, written to out[o..o+8] (a, j, snap;
 * x, y, z each). j2re2 = 1.5·J2·R² (km²). With k = −μ/r³, p = r·v/r², w = v²/r² + k:
 * two-body a = k·r, j = k'·r + k·v, snap = (k'' + k²)·r + 2k'·v with k' = −3kp, k'' = −3k(w − 5p²);
 * J2 a = −c·(A·r + B·ẑ) with c = μ·j2re2, A = r⁻⁵ − 5z²r⁻⁷, B = 2z·r⁻⁵, so j = −c·(A'·r + A·v + B'·ẑ)
 * and snap = −c·(A''·r + 2A'·v + A·a₂ + B''·ẑ), the derivatives of A and B taken along two-body
 * motion (a₂ = k·r, p' = w − 2p²): terms of order J2² are left out.
 */
export function gravityModel(
  X: number,
  Y: number,
  Z: number,
  VX: number,
  VY: number,
  VZ: number,
  mu: number,
  j2re2: number,
  out: Float64Array,
  o: number,
): void {
  const ir2 = 1 / (X * X + Y * Y + Z * Z);
  const r5 = ir2 * ir2 * Math.sqrt(ir2);
  const r7 = r5 * ir2;
  const k = -mu * ir2 * Math.sqrt(ir2);
  const c = mu * j2re2;
  const p = (X * VX + Y * VY + Z * VZ) * ir2;
  const w = (VX * VX + VY * VY + VZ * VZ) * ir2 + k;
  const dp = w - 2 * p * p;
  const zz = Z * Z;
  const zv = Z * VZ;
  const zAcc = k * Z;
  const A = r5 - 5 * zz * r7;
  const B = 2 * Z * r5;
  const A1 = -5 * r5 * p - 10 * zv * r7 + 35 * zz * r7 * p;
  const B1 = 2 * VZ * r5 - 10 * Z * r5 * p;
  const A2 =
    25 * r5 * p * p -
    5 * r5 * dp -
    10 * VZ * VZ * r7 -
    10 * Z * zAcc * r7 +
    140 * zv * r7 * p -
    245 * zz * r7 * p * p +
    35 * zz * r7 * dp;
  const B2 = 2 * zAcc * r5 - 20 * VZ * r5 * p + 50 * Z * r5 * p * p - 10 * Z * r5 * dp;
  const k1 = -3 * k * p;
  const sr = -3 * k * (w - 5 * p * p) + k * k;
  // Acceleration.
  out[o] = (k - c * A) * X;
  out[o + 1] = (k - c * A) * Y;
  out[o + 2] = (k - c * A) * Z - c * B;
  // Jerk.
  const jr = k1 - c * A1;
  const jv = k - c * A;
  out[o + 3] = jr * X + jv * VX;
  out[o + 4] = jr * Y + jv * VY;
  out[o + 5] = jr * Z + jv * VZ - c * B1;
  // Snap (A·a₂ = A·k·r joins the r term).
  const sR = sr - c * (A2 + A * k);
  const sV = 2 * (k1 - c * A1);
  out[o + 6] = sR * X + sV * VX;
  out[o + 7] = sR * Y + sV * VY;
  out[o + 8] = sR * Z + sV * VZ - c * B2;
}

/** Number of doubles per interval in the coefficient array (x, y, z × c0..c5). */
export const COEF_STRIDE = 18;
/** Doubles per axis in the coefficient array. */
export const COEF_AXIS = 6;
/** Doubles of the model at one knot: acceleration, jerk, snap (x, y, z each). */
const MODEL_STRIDE = 9;

/**
 * Knot states and Hermite coefficients of a set of objects for one block of time [t0, t0 + B]
 * (seconds from the window start). Objects are indexed 0..n−1 and sorted by level; object i has
 * B/h_i intervals. Reused for every block (no allocation after construction).
 */
export class HermiteBlock {
  readonly n: number;
  readonly stepSec: number;
  readonly blockSec: number;
  /** Level of each object: h_i = stepSec·2^level. */
  readonly level: Uint8Array;
  /**
   * Interval k of object i is at index intBase[i] + k·intStride[i] of the per-interval arrays:
   * interval-major within each level, so one grid step reads the objects of a level contiguously.
   */
  readonly intBase: Int32Array;
  readonly intStride: Int32Array;
  readonly coef: Float64Array;
  readonly vmax: Float64Array;
  readonly jmax: Float64Array;
  readonly eps: Float64Array;
  /** 1 when the interval is usable. */
  readonly ok: Uint8Array;
  private readonly records: readonly Satrec[];
  private readonly offsetMin: Float64Array;
  private readonly epsKepler: Float64Array;
  /** Per object: μ and 1.5·J2·R² of its gravity model (read once: SGP4 records are large objects). */
  private readonly mu: Float64Array;
  private readonly j2re2: Float64Array;
  private readonly intCount: Int32Array;
  private readonly knotBase: Int32Array;
  private readonly knots: StateBatch;
  /**
   * Model acceleration (two-body + J2), two-body jerk and snap at the two knots of the interval
   * being built: MODEL_STRIDE doubles per knot (a, j, snap; x, y, z each), knot 0 then knot 1.
   */
  private readonly mdl = new Float64Array(2 * MODEL_STRIDE);
  /** Object ranges per level: objects levelStart[L]..levelStart[L+1]−1 have level L. */
  private readonly levelStart: Int32Array;
  private readonly grids: Float64Array[];
  /** Per level, the grid without its first knot (carried over from the previous block). */
  private readonly tailGrids: Float64Array[];
  /** SGP4 states of the knots after the first, when it is carried over. */
  private readonly tail: StateBatch;
  private readonly offsets: Float64Array;
  /** Start of the last block built (NaN before the first). */
  private lastT0 = Number.NaN;

  /**
   * @param records SGP4 records sorted by level (ascending).
   * @param level level per record.
   * @param offsetMin minutes from each record's epoch to the window start.
   * @param maxLevel largest level; the block is stepSec·2^maxLevel seconds.
   */
  constructor(
    records: readonly Satrec[],
    level: Uint8Array,
    offsetMin: Float64Array,
    stepSec: number,
    maxLevel: number,
  ) {
    const n = records.length;
    this.n = n;
    this.records = records;
    this.level = level;
    this.offsetMin = offsetMin;
    this.stepSec = stepSec;
    this.blockSec = stepSec * 2 ** maxLevel;
    this.levelStart = new Int32Array(maxLevel + 2);
    this.intBase = new Int32Array(n);
    this.intStride = new Int32Array(n);
    this.intCount = new Int32Array(n);
    this.knotBase = new Int32Array(n + 1);
    this.epsKepler = new Float64Array(n);
    this.mu = Float64Array.from(records, (r) => r.mus);
    this.j2re2 = Float64Array.from(records, (r) => 1.5 * r.j2 * r.radiusearthkm * r.radiusearthkm);
    let ints = 0;
    let knots = 0;
    for (let i = 0; i < n; i++) {
      const L = level[i]!;
      if (i > 0 && L < level[i - 1]!) throw new RangeError('records must be sorted by level');
      const m = 2 ** (maxLevel - L);
      this.intCount[i] = m;
      this.knotBase[i] = knots;
      ints += m;
      knots += m + 1;
      const r = records[i]!;
      const a = r.a * r.radiusearthkm;
      const r6 = keplerSixthDerivative(a * (1 - r.ecco), r.ecco, r.mus);
      this.epsKepler[i] = hermiteErrorEstimateKm(stepSec * 2 ** L, r6);
    }
    this.knotBase[n] = knots;
    for (let L = 0; L <= maxLevel + 1; L++) {
      let s = 0;
      while (s < n && level[s]! < L) s++;
      this.levelStart[L] = s;
    }
    let base = 0;
    for (let L = 0; L <= maxLevel; L++) {
      const first = this.levelStart[L]!;
      const count = this.levelStart[L + 1]! - first;
      for (let i = first; i < first + count; i++) {
        this.intBase[i] = base + (i - first);
        this.intStride[i] = count;
      }
      base += count * 2 ** (maxLevel - L);
    }
    this.grids = [];
    this.tailGrids = [];
    for (let L = 0; L <= maxLevel; L++) {
      const m = 2 ** (maxLevel - L);
      const h = stepSec * 2 ** L;
      this.grids.push(Float64Array.from({ length: m + 1 }, (_, k) => (k * h) / 60));
      this.tailGrids.push(Float64Array.from({ length: m }, (_, k) => ((k + 1) * h) / 60));
    }
    this.coef = new Float64Array(ints * COEF_STRIDE);
    this.vmax = new Float64Array(ints);
    this.jmax = new Float64Array(ints);
    this.eps = new Float64Array(ints);
    this.ok = new Uint8Array(ints);
    this.knots = createStateBatch(knots);
    this.tail = createStateBatch(ints);
    this.offsets = new Float64Array(n);
    this.badKnotSec = new Float64Array(n).fill(Number.NaN);
    this.badKnotCode = new Uint8Array(n);
    this.badKnotIntervals = new Int32Array(n);
    this.rejectedSec = new Float64Array(n).fill(Number.NaN);
    this.rejectedCount = new Int32Array(n);
  }

  /** SGP4 evaluations of the last block (fewer when its first knots were carried over). */
  knotCount = 0;

  /** Number of usable intervals found by the last `build` that were rejected for eps > EPS_MAX_KM. */
  rejectedIntervals = 0;

  /**
   * Per object, accumulated over builds until `clearLosses`: the earliest invalid knot (seconds
   * from the window start, NaN when none), its status (SGP4 code 1–6, KNOT_BELOW_SURFACE or
   * KNOT_NON_PHYSICAL) and the intervals lost to invalid knots; the earliest interval rejected by
   * the interpolation bound (start, s) and the number rejected.
   */
  readonly badKnotSec: Float64Array;
  readonly badKnotCode: Uint8Array;
  readonly badKnotIntervals: Int32Array;
  readonly rejectedSec: Float64Array;
  readonly rejectedCount: Int32Array;

  /** Resets the per-object loss records. */
  clearLosses(): void {
    this.badKnotSec.fill(Number.NaN);
    this.badKnotCode.fill(0);
    this.badKnotIntervals.fill(0);
    this.rejectedSec.fill(Number.NaN);
    this.rejectedCount.fill(0);
  }

  /**
   * Model acceleration (two-body + J2 with `mu` and `j2re2` = 1.5·J2·R²) and two-body jerk and snap
   * of knot q, into `mdl` at offset o.
   */
  private knotModel(q: number, mu: number, j2re2: number, o: number): void {
    const { x, y, z, vx, vy, vz } = this.knots;
    gravityModel(x[q]!, y[q]!, z[q]!, vx[q]!, vy[q]!, vz[q]!, mu, j2re2, this.mdl, o);
  }

  /** Notes an interval of object i lost to an invalid knot at t seconds from the window start. */
  private recordBadKnot(i: number, t: number, code: number): void {
    this.badKnotIntervals[i] = this.badKnotIntervals[i]! + 1;
    if (!(this.badKnotSec[i]! <= t)) {
      this.badKnotSec[i] = t;
      this.badKnotCode[i] = code;
    }
  }

  /** Propagates the knots of block [t0Sec, t0Sec + blockSec] and builds every interval's polynomial and bounds. */
  build(t0Sec: number): void {
    const n = this.n;
    const t0Min = t0Sec / 60;
    for (let i = 0; i < n; i++) this.offsets[i] = this.offsetMin[i]! + t0Min;
    // The first knot of a block is the last of the block before: carry it over.
    const carry = t0Sec === this.lastT0 + this.blockSec;
    this.lastT0 = t0Sec;
    const kn = this.knots;
    if (carry) {
      for (let i = 0; i < n; i++) {
        const kb = this.knotBase[i]!;
        copyStateSamples(kn, kb + this.intCount[i]!, kn, kb, 1);
      }
    }
    const tail = this.tail;
    let tailBase = 0;
    for (let L = 0; L + 1 < this.levelStart.length; L++) {
      const first = this.levelStart[L]!;
      const end = this.levelStart[L + 1]!;
      if (end === first) continue;
      if (!carry) {
        propagateBatch(this.records, this.offsets, this.grids[L]!, kn, first, end, this.knotBase[first]!);
        continue;
      }
      const grid = this.tailGrids[L]!;
      const m = grid.length;
      propagateBatch(this.records, this.offsets, grid, tail, first, end, tailBase);
      for (let i = first; i < end; i++) {
        copyStateSamples(tail, tailBase + (i - first) * m, kn, this.knotBase[i]! + 1, m);
      }
      tailBase += (end - first) * m;
    }
    this.knotCount = carry ? tailBase : kn.status.length;
    const { x, y, z, vx, vy, vz, status } = this.knots;
    // Knot validity: SGP4 success and a physical radius.
    for (let q = 0; q < status.length; q++) {
      if (status[q] === 0) {
        const r2 = x[q]! * x[q]! + y[q]! * y[q]! + z[q]! * z[q]!;
        const v2 = vx[q]! * vx[q]! + vy[q]! * vy[q]! + vz[q]! * vz[q]!;
        if (!(r2 >= R_MIN_KM * R_MIN_KM && r2 <= R_MAX_KM * R_MAX_KM && v2 <= V_MAX_KM_S * V_MAX_KM_S)) {
          status[q] = r2 < R_MIN_KM * R_MIN_KM ? KNOT_BELOW_SURFACE : KNOT_NON_PHYSICAL;
        }
      }
    }
    const coef = this.coef;
    const mdl = this.mdl;
    let rejected = 0;
    for (let i = 0; i < n; i++) {
      const h = this.stepSec * 2 ** this.level[i]!;
      const hh = h * h;
      const kb = this.knotBase[i]!;
      const ib = this.intBase[i]!;
      const stride = this.intStride[i]!;
      const m = this.intCount[i]!;
      const epsK = this.epsKepler[i]!;
      const mu = this.mu[i]!;
      const j2re2 = this.j2re2[i]!;
      // The model at knot k sits at offset m0 of mdl, at knot k + 1 at m1 (they swap each interval).
      let m0 = 0;
      let m1 = MODEL_STRIDE;
      if (status[kb] === 0) this.knotModel(kb, mu, j2re2, m0);
      for (let k = 0; k < m; k++) {
        const q0 = kb + k;
        const q1 = q0 + 1;
        const iv = ib + k * stride;
        if (k > 0) {
          const t = m0;
          m0 = m1;
          m1 = t;
        }
        if (status[q1] === 0) this.knotModel(q1, mu, j2re2, m1);
        if (status[q0] !== 0 || status[q1] !== 0) {
          this.ok[iv] = 0;
          this.eps[iv] = Number.POSITIVE_INFINITY;
          this.recordBadKnot(i, t0Sec + (status[q0] !== 0 ? k : k + 1) * h, status[q0] || status[q1]!);
          continue;
        }
        // Velocity defect: the position change against the Hermite quadrature of the velocity.
        const w1 = h / 2;
        const w2 = hh / 10;
        const w3 = (hh * h) / 120;
        const dx =
          x[q1]! -
          x[q0]! -
          w1 * (vx[q0]! + vx[q1]!) -
          w2 * (mdl[m0]! - mdl[m1]!) -
          w3 * (mdl[m0 + 3]! + mdl[m1 + 3]!);
        const dy =
          y[q1]! -
          y[q0]! -
          w1 * (vy[q0]! + vy[q1]!) -
          w2 * (mdl[m0 + 1]! - mdl[m1 + 1]!) -
          w3 * (mdl[m0 + 4]! + mdl[m1 + 4]!);
        const dz =
          z[q1]! -
          z[q0]! -
          w1 * (vz[q0]! + vz[q1]!) -
          w2 * (mdl[m0 + 2]! - mdl[m1 + 2]!) -
          w3 * (mdl[m0 + 5]! + mdl[m1 + 5]!);
        const dp = Math.sqrt(dx * dx + dy * dy + dz * dz);
        // Acceleration-model defect: the velocity change against the same quadrature of a.
        const ex =
          vx[q1]! -
          vx[q0]! -
          w1 * (mdl[m0]! + mdl[m1]!) -
          w2 * (mdl[m0 + 3]! - mdl[m1 + 3]!) -
          w3 * (mdl[m0 + 6]! + mdl[m1 + 6]!);
        const ey =
          vy[q1]! -
          vy[q0]! -
          w1 * (mdl[m0 + 1]! + mdl[m1 + 1]!) -
          w2 * (mdl[m0 + 4]! - mdl[m1 + 4]!) -
          w3 * (mdl[m0 + 7]! + mdl[m1 + 7]!);
        const ez =
          vz[q1]! -
          vz[q0]! -
          w1 * (mdl[m0 + 2]! + mdl[m1 + 2]!) -
          w2 * (mdl[m0 + 5]! - mdl[m1 + 5]!) -
          w3 * (mdl[m0 + 8]! + mdl[m1 + 8]!);
        const dv = Math.sqrt(ex * ex + ey * ey + ez * ez);
        const eps = epsK + VELOCITY_SAFETY * dp + ACCEL_SAFETY * h * dv + EPS_FLOOR_KM;
        if (!(eps <= EPS_MAX_KM)) {
          rejected++;
          this.rejectedCount[i] = this.rejectedCount[i]! + 1;
          if (!(this.rejectedSec[i]! <= t0Sec + k * h)) this.rejectedSec[i] = t0Sec + k * h;
          this.ok[iv] = 0;
          this.eps[iv] = Number.POSITIVE_INFINITY;
          continue;
        }
        this.ok[iv] = 1;
        this.eps[iv] = eps;
        const c = iv * COEF_STRIDE;
        // Squared norms of the Bernstein coefficients of h·p′ (interior three) and h³·p‴.
        let b1 = 0;
        let b2 = 0;
        let b3 = 0;
        let e0 = 0;
        let e1 = 0;
        let e2 = 0;
        // x, y, z in turn.
        for (let ax = 0; ax < 3; ax++) {
          const P = ax === 0 ? x : ax === 1 ? y : z;
          const V = ax === 0 ? vx : ax === 1 ? vy : vz;
          const p0 = P[q0]!;
          const dp = P[q1]! - p0;
          const V0 = h * V[q0]!;
          const V1 = h * V[q1]!;
          const A0 = hh * mdl[m0 + ax]!;
          const A1 = hh * mdl[m1 + ax]!;
          const c2 = A0 / 2;
          const c3 = 10 * dp - 6 * V0 - 4 * V1 - (3 * A0 - A1) / 2;
          const c4 = -15 * dp + 8 * V0 + 7 * V1 + (3 * A0 - 2 * A1) / 2;
          const c5 = 6 * dp - 3 * (V0 + V1) - (A0 - A1) / 2;
          const o = c + ax * COEF_AXIS;
          coef[o] = p0;
          coef[o + 1] = V0;
          coef[o + 2] = c2;
          coef[o + 3] = c3;
          coef[o + 4] = c4;
          coef[o + 5] = c5;
          const q1b = V0 + c2 / 2;
          const q2b = V0 + c2 + c3 / 2;
          const q3b = V0 + 1.5 * (c2 + c3) + c4;
          b1 += q1b * q1b;
          b2 += q2b * q2b;
          b3 += q3b * q3b;
          const j0 = 6 * c3;
          const j1 = j0 + 12 * c4;
          const j2 = j0 + 24 * c4 + 60 * c5;
          e0 += j0 * j0;
          e1 += j1 * j1;
          e2 += j2 * j2;
        }
        const v0n = Math.sqrt(vx[q0]! * vx[q0]! + vy[q0]! * vy[q0]! + vz[q0]! * vz[q0]!);
        const v1n = Math.sqrt(vx[q1]! * vx[q1]! + vy[q1]! * vy[q1]! + vz[q1]! * vz[q1]!);
        this.vmax[iv] = Math.max(v0n, v1n, Math.sqrt(Math.max(b1, b2, b3)) / h);
        this.jmax[iv] = Math.sqrt(Math.max(e0, e1, e2)) / (hh * h);
      }
    }
    this.rejectedIntervals = rejected;
  }
}
