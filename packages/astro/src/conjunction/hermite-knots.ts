/**
 * SGP4 knots and cubic Hermite interpolation for conjunction screening.
 *
 * Every object is propagated (columnar batch SGP4, propagation/sgp4-batch.ts) only at knots spaced
 * h = Δ·2^L seconds (Δ the screening step, L the object's level), and positions in between come
 * from the cubic Hermite polynomial through the knot positions and SGP4 velocities
 * (de Boor, "A Practical Guide to Splines", ch. 4; the scheme of SIMPLETON and of Alfano's
 * "rapid interpolation" screening). Per interval k of an object, in s = (t − t_k)/h ∈ [0, 1]:
 *   p(s) = a0 + a1·s + a2·s² + a3·s³,  a0 = p0, a1 = h·v0, a2 = 3(p1 − p0) − h(2v0 + v1),
 *   a3 = 2(p0 − p1) + h(v0 + v1).
 * Bounds kept per interval (used by the padded filters in screen-engine.ts):
 * - vmax ≥ |p'(t)|: p' is a quadratic Bézier with control vectors v0, 3(p1 − p0)/h − (v0 + v1), v1,
 *   so the largest of their norms bounds it (convex hull property);
 * - jmax = |p'''| = 6·|a3|/h³, constant on the interval (the polynomial is cubic);
 * - eps ≥ |p(t) − SGP4(t)|, the interpolation error. Two parts:
 *   (1) Hermite's remainder h⁴/384·max|r''''| with |r''''| ≈ μ²(1 + e)²/r_p⁵ (exact for a circular
 *       Kepler orbit, ω⁴r), times HERMITE_SAFETY;
 *   (2) SGP4's velocity is not exactly the time derivative of its position (drag polynomials of stale,
 *       high-drag element sets, deep-space periodics), which adds an error ≈ 0.1·h·|δv| to the
 *       interpolant. It is measured from the knots themselves with Simpson's rule over two intervals:
 *       D = |p2 − p0 − (h/3)(v0 + 4v1 + v2)| = 2h·|δv| + O(h⁵ r⁽⁵⁾), and SIMPSON_SAFETY·D is added.
 *   The constants are calibrated on the full 2023 catalog (conjunction-knots.test.ts checks the bound
 *   against SGP4 at interior points of every interval of every object).
 * A knot is invalid when SGP4 reports an error, |r| is outside [R_MIN_KM, R_MAX_KM] or |v| > V_MAX_KM_S; an interval
 * is usable only when its two knots (and the Simpson neighbours) are valid and eps ≤ EPS_MAX_KM:
 * larger inconsistency means a non-physical state (a stale element set whose drag terms run away).
 */

import {
  copyStateSamples,
  createStateBatch,
  propagateBatch,
  type StateBatch,
} from '../propagation/sgp4-batch.js';
import type { Satrec } from '../sgp4/satrec.js';

/** States with |r| below this are treated as invalid (decayed), km. */
export const R_MIN_KM = 6378;
/** States with |r| above this are treated as invalid (SGP4 garbage or escape), km. */
export const R_MAX_KM = 1e5;
/** States faster than this are treated as invalid (above escape speed at the surface), km/s. */
export const V_MAX_KM_S = 12;
/** Multiplier on the Kepler Hermite remainder; calibrated (measured ratio ≤ 1.1 for near-circular orbits). */
export const HERMITE_SAFETY = 3;
/** Multiplier on the Simpson defect D (the δv error is ≤ 0.1·h·δv = 0.05·D); 0.25 leaves a 5× margin. */
export const SIMPSON_SAFETY = 0.25;
/** Floor of the interpolation error bound, km (rounding, deep-space integrator steps). */
export const EPS_FLOOR_KM = 0.005;
/** Intervals whose error bound exceeds this are unusable (non-physical SGP4 states), km. */
export const EPS_MAX_KM = 20;

/** Hermite remainder estimate (km) for knot spacing `hSec` on an orbit of perigee radius `rpKm`. */
export function hermiteErrorEstimateKm(hSec: number, rpKm: number, ecc: number, muKm3S2: number): number {
  const rp = Math.max(rpKm, R_MIN_KM);
  const e1 = 1 + Math.min(Math.max(ecc, 0), 1);
  const h2 = hSec * hSec;
  return (HERMITE_SAFETY * h2 * h2 * muKm3S2 * muKm3S2 * e1 * e1) / (384 * rp ** 5);
}

/** Number of doubles per interval in the coefficient array (x, y, z × a0..a3). */
export const COEF_STRIDE = 12;

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
  private readonly intCount: Int32Array;
  private readonly knotBase: Int32Array;
  private readonly knots: StateBatch;
  /** Object ranges per level: objects levelStart[L]..levelStart[L+1]−1 have level L. */
  private readonly levelStart: Int32Array;
  private readonly grids: Float64Array[];
  /** Per level, the grid without its first two knots (carried over from the previous block). */
  private readonly tailGrids: Float64Array[];
  /** SGP4 states of the knots after the first two, when they are carried over. */
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
    let ints = 0;
    let knots = 0;
    for (let i = 0; i < n; i++) {
      const L = level[i]!;
      if (i > 0 && L < level[i - 1]!) throw new RangeError('records must be sorted by level');
      const m = 2 ** (maxLevel - L);
      this.intCount[i] = m;
      this.knotBase[i] = knots;
      ints += m;
      knots += m + 2;
      const r = records[i]!;
      const a = r.a * r.radiusearthkm;
      this.epsKepler[i] = hermiteErrorEstimateKm(stepSec * 2 ** L, a * (1 - r.ecco), r.ecco, r.mus);
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
      this.grids.push(Float64Array.from({ length: m + 2 }, (_, k) => (k * h) / 60));
      this.tailGrids.push(Float64Array.from({ length: m }, (_, k) => ((k + 2) * h) / 60));
    }
    this.coef = new Float64Array(ints * COEF_STRIDE);
    this.vmax = new Float64Array(ints);
    this.jmax = new Float64Array(ints);
    this.eps = new Float64Array(ints);
    this.ok = new Uint8Array(ints);
    this.knots = createStateBatch(knots);
    this.tail = createStateBatch(ints);
    this.offsets = new Float64Array(n);
  }

  /** SGP4 evaluations of the last block (fewer when its first knots were carried over). */
  knotCount = 0;

  /** Number of usable intervals found by the last `build` that were rejected for eps > EPS_MAX_KM. */
  rejectedIntervals = 0;

  /** Propagates the knots of block [t0Sec, t0Sec + blockSec] and builds every interval's polynomial and bounds. */
  build(t0Sec: number): void {
    const n = this.n;
    const t0Min = t0Sec / 60;
    for (let i = 0; i < n; i++) this.offsets[i] = this.offsetMin[i]! + t0Min;
    // The first two knots of a block are the last two of the block before: carry them over.
    const carry = t0Sec === this.lastT0 + this.blockSec;
    this.lastT0 = t0Sec;
    const kn = this.knots;
    if (carry) {
      for (let i = 0; i < n; i++) {
        const kb = this.knotBase[i]!;
        copyStateSamples(kn, kb + this.intCount[i]!, kn, kb, 2);
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
        copyStateSamples(tail, tailBase + (i - first) * m, kn, this.knotBase[i]! + 2, m);
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
          status[q] = 255;
        }
      }
    }
    const coef = this.coef;
    let rejected = 0;
    for (let i = 0; i < n; i++) {
      const h = this.stepSec * 2 ** this.level[i]!;
      const kb = this.knotBase[i]!;
      const ib = this.intBase[i]!;
      const stride = this.intStride[i]!;
      const m = this.intCount[i]!;
      const epsK = this.epsKepler[i]!;
      // Simpson defects of the triples (k, k+1, k+2), k = 0..m−1 (knot m+1 exists).
      let prevD = Number.NaN;
      for (let k = 0; k < m; k++) {
        const q0 = kb + k;
        const q1 = q0 + 1;
        const q2 = q0 + 2;
        const iv = ib + k * stride;
        let d = Number.NaN;
        if (status[q0] === 0 && status[q1] === 0 && status[q2] === 0) {
          const h3 = h / 3;
          const dx = x[q2]! - x[q0]! - h3 * (vx[q0]! + 4 * vx[q1]! + vx[q2]!);
          const dy = y[q2]! - y[q0]! - h3 * (vy[q0]! + 4 * vy[q1]! + vy[q2]!);
          const dz = z[q2]! - z[q0]! - h3 * (vz[q0]! + 4 * vz[q1]! + vz[q2]!);
          d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        // Interval k is covered by triples k−1 and k; a missing triple (edge) uses the other one.
        const dk = k === 0 ? d : Number.isNaN(prevD) || Number.isNaN(d) ? Number.NaN : Math.max(prevD, d);
        prevD = d;
        const eps = epsK + SIMPSON_SAFETY * dk + EPS_FLOOR_KM;
        if (status[q0] !== 0 || status[q1] !== 0 || !(eps <= EPS_MAX_KM)) {
          if (status[q0] === 0 && status[q1] === 0) rejected++;
          this.ok[iv] = 0;
          this.eps[iv] = Number.POSITIVE_INFINITY;
          continue;
        }
        this.ok[iv] = 1;
        this.eps[iv] = eps;
        const c = iv * COEF_STRIDE;
        let mid2 = 0;
        let j2 = 0;
        // x, y, z in turn.
        for (let ax = 0; ax < 3; ax++) {
          const P = ax === 0 ? x : ax === 1 ? y : z;
          const V = ax === 0 ? vx : ax === 1 ? vy : vz;
          const p0 = P[q0]!;
          const p1 = P[q1]!;
          const v0 = V[q0]!;
          const v1 = V[q1]!;
          const a2 = 3 * (p1 - p0) - h * (2 * v0 + v1);
          const a3 = 2 * (p0 - p1) + h * (v0 + v1);
          const o = c + ax * 4;
          coef[o] = p0;
          coef[o + 1] = h * v0;
          coef[o + 2] = a2;
          coef[o + 3] = a3;
          const mid = (3 * (p1 - p0)) / h - (v0 + v1);
          mid2 += mid * mid;
          j2 += a3 * a3;
        }
        const v0n = Math.sqrt(vx[q0]! * vx[q0]! + vy[q0]! * vy[q0]! + vz[q0]! * vz[q0]!);
        const v1n = Math.sqrt(vx[q1]! * vx[q1]! + vy[q1]! * vy[q1]! + vz[q1]! * vz[q1]!);
        this.vmax[iv] = Math.max(v0n, v1n, Math.sqrt(mid2));
        this.jmax[iv] = (6 * Math.sqrt(j2)) / (h * h * h);
      }
    }
    this.rejectedIntervals = rejected;
  }
}
