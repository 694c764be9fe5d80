/**
 * The screening engine: streams the window block by block (knots → Hermite polynomials), and per
 * fine step finds candidate pairs in a padded cell grid, then local minima of the interpolated
 * distance, then refines each minimum with SGP4 (refine-tca.ts). Pure TypeScript; one instance per
 * thread (workers screen disjoint ranges of blocks; see screen-catalog.ts for merging).
 *
 * Soundness (no conjunction lost between samples). Notation: Δ the step, step j covers
 * [t_j, t_j + Δ) with centre c_j; p̃_i the Hermite interpolant of object i, eps_i ≥ |p̃_i − p_i| its
 * interpolation bound, vmax_i ≥ |p̃_i'| and jmax_i ≥ |p̃_i'''| on the interval (hermite-knots.ts),
 * thr the screening radius. Suppose the SGP4 distance has a local minimum d(t*) < thr, t* in step j.
 * 1. Interpolation: d̃(t*) = |p̃_B − p̃_A|(t*) < thr + eps_A + eps_B.
 * 2. Grid: |d̃(c_j) − d̃(t*)| ≤ (vmax_A + vmax_B)·Δ/2, so d̃(c_j) < R_A + R_B with the per-object
 *    pad R_i = thr/2 + eps_i + vmax_i·Δ/2. The cell grid (cell-grid.ts) reports every pair with
 *    d̃(c_j) ≤ R_A + R_B (cell size C = 2·R_cap; objects with R_i > R_cap probe a wider
 *    neighbourhood) that also passes the radial and straight-line tests below, so the pair is
 *    flagged at step j.
 *    Radial test: with ρ_i = |p̃_i|, |ρ_A − ρ_B| ≤ |p̃_A − p̃_B|, so at t* |ρ_A − ρ_B| <
 *    thr + eps_A + eps_B. Taylor at c_j with |τ| ≤ Δ/2 (the step lies in one knot interval, where
 *    p̃ is one quintic): |ρ_i(t*) − ρ_i(c_j)| ≤ |ρ̇_i|·Δ/2 + |ρ̈_i|·Δ²/8 + max|ρ⃛_i|·Δ³/48 with the
 *    derivatives at c_j, ρ̈ = (|v|² − ρ̇²)/ρ + p̂·a exactly, and, writing w = v − ρ̇·p̂,
 *    ρ⃛ = 3·w·a/ρ − 3·ρ̇|w|²/ρ² + p̂·j, so |ρ⃛| ≤ 3·vmax·amax/ρlow + 3·vmax³/ρlow² + jmax with
 *    amax = |a(c_j)| + jmax·Δ/2 (|a'| ≤ jmax on the interval) and ρlow = ρ(c_j) − vmax·Δ/2 > 0.
 *    So |ρ_A(c_j) − ρ_B(c_j)| ≤ P_A + P_B with P_i = thr/2 + eps_i + those three terms. For a
 *    nearly circular orbit ρ̇ and ρ̈ nearly vanish (gravity balances |w|²/ρ), P_i ≈ thr/2 + eps_i,
 *    and the grid orders each column by radius: pairs at different altitudes are never tested.
 *    Straight-line test: by 3 below with |a_B − a_A| ≤ |a_A| + |a_B|, the pair's straight-line
 *    closest approach over |τ| ≤ Δ/2 is at most L_A + L_B, L_i = thr/2 + eps_i + |a_i|·Δ²/8 +
 *    jmax_i·Δ³/48, which the grid checks before reporting the pair.
 * 3. Linear test: the step lies inside one knot interval of each object (h_i = Δ·2^L, aligned), so
 *    the relative position ρ̃ = p̃_B − p̃_A is a polynomial there with |ρ̃'''| ≤ jmax_A + jmax_B and,
 *    by Taylor's theorem, ρ̃(c_j + τ) = ρ0 + ρ1·τ + ρ2·τ²/2 + E(τ) (ρ0, ρ1, ρ2 its derivatives at
 *    c_j) with |E(τ)| ≤ (jmax_A + jmax_B)·|τ|³/6. Hence the linear closest approach over |τ| ≤ Δ/2 is below
 *    thr + eps_A + eps_B + |ρ2|·Δ²/8 + (jmax_A + jmax_B)·Δ³/48, and the pair passes. ρ2 is the
 *    relative acceleration, small for nearby objects (gravity nearly cancels), so the test stays
 *    tight at long steps.
 * 4. Minimum search: g̃ = ρ̃·ρ̃' is sampled every ≤ MIN_SEARCH_SUBSTEP_S across the step and every
 *    − → + sign change is a local minimum of d̃ in the step (sign changes are taken in
 *    (t_j, t_j + Δ]: half-open, so a minimum on a step boundary belongs to exactly one step); it
 *    is kept when d̃ there < thr + eps_A + eps_B. The interpolated minimum near t* has
 *    d̃ ≤ d̃(t*), so it is kept, and by 2–3 applied to its own step that step is flagged too.
 *    Assumption: at most one local minimum of d̃ per sub-sample interval
 *    (at most MIN_SEARCH_SUBSTEP_S); relative motion curves far too slowly for two.
 *    Slow pairs: "the interpolated minimum near t*" needs g̃ to change sign where g does, and the
 *    interpolant's velocity error (of order eps/h, metres per second on LEO knots) can flatten a range rate
 *    that moves by only |Δv|²·Δ over a step: co-orbiting objects (a week of the 2023 catalog has
 *    dozens of such minima below 5 km). Pairs slower than SLOW_PAIR_KM_S therefore search the
 *    SGP4 range rate itself, sampled every ≤ SLOW_SUBSTEP_S (their relative motion curves on the
 *    orbital time scale), and refine in the bracket. The speed is judged per step; within a factor
 *    2 of the threshold the SGP4 search also reaches one sub-interval into each neighbouring step,
 *    so a minimum whose interpolated twin (within eps/|Δv|, seconds) fell across the boundary into
 *    a step searched the other way is still found (a minimum found twice is merged). Objects with
 *    identical mean elements (docked modules sharing one element set) are at distance 0 throughout
 *    and have no minimum.
 * 5. Refinement: Newton on the exact SGP4 range rate from the interpolated minimum converges to the
 *    SGP4 minimum t* (the interpolated one is within eps/|ρ̇| of it), TCA to 0.1 µs; slow pairs use
 *    regula falsi in their SGP4 bracket.
 * Knots with SGP4 errors or |r| outside [6378, 1e5] km make their intervals unusable: an object
 * is not screened where its states are invalid (decayed or garbage element sets).
 */
import type { ElementSet } from '../elements/element-set.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import type { Mat3, Vec3 } from '../math/index.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import {
  CellGrid,
  GRID_STRIDE,
  PROBE_HALF,
  PROBE_NEAR,
  PROBE_NONE,
  PROBE_WIDE,
  straightLineMiss2,
} from './cell-grid.js';
import {
  COEF_AXIS,
  COEF_STRIDE,
  HermiteBlock,
  KNOT_BELOW_SURFACE,
  KNOT_NON_PHYSICAL,
  knotLevel,
} from './hermite-knots.js';
import { illinoisRoot } from './illinois.js';
import {
  refineTca,
  refineTcaInBracket,
  TCA_OK,
  TCA_OUT_MISS,
  TCA_OUT_STATES,
  TCA_OUT_T,
} from './refine-tca.js';
import {
  emptyScreeningStats,
  type ResolvedScreeningOptions,
  resolveScreeningOptions,
  type ScreeningOptions,
  type ScreeningStats,
} from './screening-types.js';

/** Speed cap for the cell size, km/s: faster objects (eccentric orbits at perigee) probe wider. */
export const V_CAP_KM_S = 8;
/**
 * Radial pads above thr/2 + interpolation target + this fraction of the step (km per s) are 'wide'
 * in the grid: they probe with their own radial window, so the others' windows stay narrow. About
 * a tenth of the objects at 80 s (the eccentric ones, whose radius moves the most in a step).
 */
export const P_CAP_KM_PER_STEP_S = 0.1;
/**
 * Relative speed below which a pair's minima are searched on SGP4 itself, km/s: the interpolant's
 * velocity error (of order eps/h, metres per second on LEO knots) can hide the sign change of a range rate
 * that moves by only |Δv|²·Δ over a step.
 */
export const SLOW_PAIR_KM_S = 0.2;
/**
 * Longest sub-interval of the SGP4 range-rate sampling of slow pairs, s: relative motion below
 * SLOW_PAIR_KM_S curves on the orbital time scale (Clohessy–Wiltshire: at most four minima per
 * revolution), far slower than this.
 */
export const SLOW_SUBSTEP_S = 40;
/**
 * Ellipsoid mode: samples and golden-section iterations of the search for the smallest ellipsoid
 * metric around a TCA whose miss vector lies outside the ellipsoid, and the longest half-span
 * searched, s (the span is 1.5·screening radius / relative speed, over which the distance is
 * below the radius for straight-line relative motion).
 */
const ELLIPSOID_SEARCH_SAMPLES = 64;
const ELLIPSOID_SEARCH_ITERATIONS = 40;
export const ELLIPSOID_SEARCH_MAX_S = 3600;
/** Longest sub-interval of the range-rate sampling in the minimum search, s. */
export const MIN_SEARCH_SUBSTEP_S = 5;
/** Iterations of the bracketed root search on the interpolated range rate. */
const MIN_SEARCH_ITERATIONS = 12;
/**
 * Perigee/apogee filter margin (primaries mode), km: SGP4 short-period radial terms (≈ 10 km in
 * LEO), long-period eccentricity changes over a week, plus room for decay; deep-space orbits get
 * DEEP_RANGE_MARGIN of their apogee in addition (lunar-solar changes of e).
 */
export const RANGE_MARGIN_KM = 75;
export const DEEP_RANGE_MARGIN = 0.02;
/** Drag (B*, 1/earth radii) above which the perigee/apogee filter keeps an object regardless. */
export const RANGE_FILTER_MAX_BSTAR = 0.005;

/**
 * Doubles per compact point: the grid's fields (cell-grid.ts: position, R, ρ, P, role, index,
 * velocity, linear pad L), then acceleration, eps, jmax.
 */
const POINT_STRIDE = 17;
const P_VX = 8;
const P_L = 11;
const P_AX = 12;
const P_EPS = 15;
const P_JMAX = 16;

/**
 * Loss rows (ScreeningRun.takeLosses): per object [input index, reason, first bad s from the start,
 * SGP4 code (0: none), intervals lost]; per failed refinement [primary, secondary (input indices),
 * s from the start, refine status].
 */
export const OBJECT_LOSS_STRIDE = 5;
export const REFINE_LOSS_STRIDE = 4;
/** Reason codes of object loss rows, in the order of LOSS_REASONS. */
export const LOSS_TOO_OLD = 0;
export const LOSS_INIT_FAILED = 1;
export const LOSS_SGP4_ERROR = 2;
export const LOSS_DECAYED = 3;
export const LOSS_NON_PHYSICAL = 4;
export const LOSS_INTERPOLATION_BOUND = 5;
/** SGP4's decay code (Vallado: satellite has decayed). */
const SGP4_DECAYED = 6;

/** Packed loss rows of a range of blocks (or of the run's set-up). */
export interface ScreeningLossRows {
  objects: Float64Array;
  refinements: Float64Array;
}

/** Doubles per event row: primary, secondary (input indices), t, miss, rel. speed, R, T, N, rP, vP, rS, vS. */
export const EVENT_STRIDE = 20;

const MINUTES_PER_DAY = 1440;

/** Minutes from an element set's epoch to the two-part UTC date `jd + jdFrac`. */
export function minutesFromEpoch(e: ElementSet, jd: number, jdFrac: number): number {
  return minutesSinceEpoch(e.epoch, jd, jdFrac);
}

/**
 * Blocks covering the window of resolved options (a block is 2^knotLevels steps): the units a
 * scheduler hands out are ranges of these, known before any ScreeningRun is built.
 */
export function screeningBlockCount(o: ResolvedScreeningOptions): number {
  return Math.ceil(o.windowSec / (o.stepSec * 2 ** o.knotLevels) - 1e-9);
}

function catalogRank(e: ElementSet, index: number): number {
  const v = Number(e.catalogNumber);
  return Number.isFinite(v) ? v : 1e10 + index;
}

/**
 * One screening run over a catalog: selects objects, initialises SGP4, and screens any range of
 * blocks. Construct the same run (same elements and options) in each worker.
 */
export class ScreeningRun {
  readonly options: ResolvedScreeningOptions;
  readonly elements: readonly ElementSet[];
  readonly stats: ScreeningStats;
  readonly warnings: { code: string; message: string }[] = [];
  /** Number of blocks covering the window. */
  readonly blockCount: number;
  readonly blockSec: number;
  /** Per internal object (sorted by knot level): input index, SGP4 record, offset, flags. */
  private readonly orig: Int32Array;
  private readonly records: Satrec[];
  private readonly offsetMin: Float64Array;
  private readonly prim: Uint8Array | null;
  private readonly rank: Float64Array;
  /** Per internal object: the first internal object with identical mean elements (itself if none). */
  private readonly twin: Int32Array;
  private readonly block: HermiteBlock;
  private readonly grid = new CellGrid();
  // Per step, per compact point m: internal object index and interval, and the point
  // (POINT_STRIDE doubles: the grid's fields, then acceleration, eps and jmax; see P_*).
  private readonly cIdx: Int32Array;
  private readonly cIv: Int32Array;
  private readonly cur: Float64Array;
  /** Primaries mode: 1 when compact point m is a primary. */
  private readonly cPrim: Uint8Array;
  // Candidates of the current block: internal i, j and the interpolated time (s from window start).
  private candI = new Int32Array(1024);
  private candJ = new Int32Array(1024);
  private candT = new Float64Array(1024);
  /** End of the SGP4 range-rate bracket starting at candT (slow pairs), or NaN for a first guess. */
  private candEnd = new Float64Array(1024);
  private candCount = 0;
  private events = new Float64Array(EVENT_STRIDE * 256);
  private eventCount = 0;
  private readonly tcaOut = new Float64Array(14);
  /** Objects left out at set-up (too old, SGP4 initialisation failed): OBJECT_LOSS_STRIDE rows. */
  readonly setupLosses: Float64Array;
  /** Failed refinements since the last takeLosses: REFINE_LOSS_STRIDE rows. */
  private refineLoss: number[] = [];
  private readonly q: Mat3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];

  constructor(elements: readonly ElementSet[], options: ScreeningOptions) {
    const o = resolveScreeningOptions(options);
    this.options = o;
    this.elements = elements;
    this.stats = emptyScreeningStats();
    this.stats.objects = elements.length;
    this.blockSec = o.stepSec * 2 ** o.knotLevels;
    this.blockCount = screeningBlockCount(o);

    // Primaries.
    let isPrim: Uint8Array | null = null;
    if (o.primaries !== null) {
      isPrim = new Uint8Array(elements.length);
      const byNumber = new Map<string, number[]>();
      elements.forEach((e, i) => {
        const list = byNumber.get(e.catalogNumber);
        if (list === undefined) byNumber.set(e.catalogNumber, [i]);
        else list.push(i);
      });
      for (const p of o.primaries) {
        const key = p.trim().replace(/^0+(?=\d)/, '');
        const idx = byNumber.get(key);
        if (idx === undefined) {
          this.warnings.push({ code: 'PRIMARY_NOT_FOUND', message: `primary ${p} is not in the catalog` });
        } else for (const i of idx) isPrim[i] = 1;
      }
    }

    // Element-set ages at the window start; SGP4 records; perigee/apogee ranges.
    const recs: (Satrec | null)[] = new Array(elements.length).fill(null);
    const rMin = new Float64Array(elements.length);
    const rMax = new Float64Array(elements.length);
    const setup: number[] = [];
    let oldestTooOld = 0;
    for (let i = 0; i < elements.length; i++) {
      const e = elements[i]!;
      const age = minutesFromEpoch(e, o.start.jd, o.start.jdFrac) / MINUTES_PER_DAY;
      if (age > o.maxElementAgeDays) {
        this.stats.tooOld++;
        oldestTooOld = Math.max(oldestTooOld, age);
        setup.push(i, LOSS_TOO_OLD, 0, 0, 0);
        continue;
      }
      const r = sgp4Init(e);
      if (r.error !== 0) {
        this.stats.initFailed++;
        setup.push(i, LOSS_INIT_FAILED, 0, r.error, 0);
        continue;
      }
      if (age < 0) this.stats.newerThanStart++;
      recs[i] = r;
      const a = r.a * r.radiusearthkm;
      const margin =
        o.screenKm + RANGE_MARGIN_KM + (r.method === 1 ? DEEP_RANGE_MARGIN * a * (1 + r.ecco) : 0);
      rMin[i] = r.bstar > RANGE_FILTER_MAX_BSTAR ? 0 : a * (1 - r.ecco) - margin;
      rMax[i] = a * (1 + r.ecco) + margin;
    }
    this.setupLosses = Float64Array.from(setup);
    if (this.stats.tooOld > 0) {
      this.warnings.push({
        code: 'ELEMENT_SETS_TOO_OLD',
        message: `${this.stats.tooOld} of ${elements.length} element sets are older than ${o.maxElementAgeDays} days at the window start (oldest ${oldestTooOld.toFixed(1)} days) and are not screened`,
      });
    }
    if (this.stats.newerThanStart > 0) {
      this.warnings.push({
        code: 'ELEMENT_SETS_AFTER_START',
        message: `${this.stats.newerThanStart} element sets have epochs after the window start (propagated backwards from data the window's start did not have)`,
      });
    }
    // Primaries mode: keep secondaries whose range overlaps the union of the primaries' ranges.
    const keep = new Uint8Array(elements.length);
    if (isPrim === null) {
      for (let i = 0; i < elements.length; i++) keep[i] = recs[i] === null ? 0 : 1;
    } else {
      const spans: [number, number][] = [];
      for (let i = 0; i < elements.length; i++) {
        if (isPrim[i] === 1 && recs[i] !== null) spans.push([rMin[i]!, rMax[i]!]);
      }
      spans.sort((p, q) => p[0] - q[0]);
      const merged: [number, number][] = [];
      for (const s of spans) {
        const last = merged[merged.length - 1];
        if (last !== undefined && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
        else merged.push([s[0], s[1]]);
      }
      for (let i = 0; i < elements.length; i++) {
        if (recs[i] === null) continue;
        if (isPrim[i] === 1) {
          keep[i] = 1;
          continue;
        }
        // Binary search the last span starting at or below rMax[i].
        let lo = 0;
        let hi = merged.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (merged[mid]![0] <= rMax[i]!) {
            found = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        if (found >= 0 && merged[found]![1] >= rMin[i]!) keep[i] = 1;
        else this.stats.rangeFiltered++;
      }
    }

    // Knot levels: the widest spacing whose error estimate meets the target.
    const sel: { i: number; level: number; a: number }[] = [];
    for (let i = 0; i < elements.length; i++) {
      if (keep[i] !== 1) continue;
      const r = recs[i]!;
      const t0 = minutesFromEpoch(elements[i]!, o.start.jd, o.start.jdFrac);
      const ends = [t0, t0 + o.windowSec / 60];
      const level = knotLevel(r, ends, o.stepSec, o.knotLevels, o.interpolationTargetKm);
      sel.push({ i, level, a: r.a * r.radiusearthkm });
    }
    // By level (the Hermite block's layout), then by semi-major axis: points enter the grid nearly
    // ordered by radius, so its stable column sort leaves little for the in-column radial sort.
    sel.sort((p, q) => p.level - q.level || p.a - q.a || p.i - q.i);
    const n = sel.length;
    this.stats.screened = n;
    for (const s of sel) {
      const age = minutesFromEpoch(elements[s.i]!, o.start.jd, o.start.jdFrac) / MINUTES_PER_DAY;
      if (!(this.stats.oldestAgeDays >= age)) this.stats.oldestAgeDays = age;
    }
    this.orig = Int32Array.from(sel, (s) => s.i);
    this.records = sel.map((s) => recs[s.i]!);
    this.offsetMin = Float64Array.from(sel, (s) =>
      minutesFromEpoch(elements[s.i]!, o.start.jd, o.start.jdFrac),
    );
    this.prim = isPrim === null ? null : Uint8Array.from(sel, (s) => isPrim[s.i]!);
    this.rank = Float64Array.from(sel, (s) => {
      const base = catalogRank(elements[s.i]!, s.i);
      return isPrim !== null && isPrim[s.i] !== 1 ? base + 1e12 : base;
    });
    // Objects with identical mean elements (docked modules often share one element set) have
    // identical states: their distance is 0 throughout, with no minimum to find.
    const twinOf = new Map<number, number[]>();
    const same = (a: ElementSet, b: ElementSet): boolean =>
      a.epoch.jd === b.epoch.jd &&
      a.epoch.jdFrac === b.epoch.jdFrac &&
      a.meanMotionRadPerMin === b.meanMotionRadPerMin &&
      a.eccentricity === b.eccentricity &&
      a.inclinationRad === b.inclinationRad &&
      a.raanRad === b.raanRad &&
      a.argPerigeeRad === b.argPerigeeRad &&
      a.meanAnomalyRad === b.meanAnomalyRad &&
      a.bstar === b.bstar &&
      a.meanMotionDotRevPerDay2 === b.meanMotionDotRevPerDay2 &&
      a.meanMotionDdotRevPerDay3 === b.meanMotionDdotRevPerDay3;
    this.twin = Int32Array.from(sel, (s, k) => {
      const e = elements[s.i]!;
      // A numeric hash of the fields most likely to differ; equal hashes are compared in full.
      const hash = e.epoch.jdFrac + e.meanAnomalyRad * 3 + e.raanRad * 7 + e.meanMotionRadPerMin * 11;
      const bucket = twinOf.get(hash);
      if (bucket === undefined) {
        twinOf.set(hash, [k]);
        return k;
      }
      for (const t of bucket) if (same(elements[sel[t]!.i]!, e)) return t;
      bucket.push(k);
      return k;
    });
    const level = Uint8Array.from(sel, (s) => s.level);
    this.block = new HermiteBlock(this.records, level, this.offsetMin, o.stepSec, o.knotLevels);
    this.cIdx = new Int32Array(n);
    this.cIv = new Int32Array(n);
    this.cur = new Float64Array(n * POINT_STRIDE);
    this.cPrim = new Uint8Array(n);
  }

  /**
   * Screens blocks [first, end) and returns their events, packed EVENT_STRIDE doubles per row
   * (not yet merged across blocks). `onBlock` is called after every block.
   */
  runBlocks(first: number, end: number, onBlock?: () => void): Float64Array {
    this.eventCount = 0;
    for (let b = first; b < end; b++) {
      this.runBlock(b);
      onBlock?.();
    }
    this.stats.rawEvents += this.eventCount;
    return this.events.slice(0, this.eventCount * EVENT_STRIDE);
  }

  /**
   * Loss rows since the last call (objects whose knots failed or whose intervals the bound
   * rejected, failed refinements), then cleared: each worker sends its own slices' losses.
   */
  takeLosses(): ScreeningLossRows {
    const hb = this.block;
    const rows: number[] = [];
    for (let i = 0; i < hb.n; i++) {
      const t = hb.badKnotSec[i]!;
      const w = this.options.windowSec;
      if (t < w) {
        const code = hb.badKnotCode[i]!;
        const reason =
          code === KNOT_BELOW_SURFACE || code === SGP4_DECAYED
            ? LOSS_DECAYED
            : code === KNOT_NON_PHYSICAL
              ? LOSS_NON_PHYSICAL
              : LOSS_SGP4_ERROR;
        const sgp4Code = code === KNOT_BELOW_SURFACE || code === KNOT_NON_PHYSICAL ? 0 : code;
        rows.push(this.orig[i]!, reason, Math.max(0, t), sgp4Code, hb.badKnotIntervals[i]!);
      }
      const tr = hb.rejectedSec[i]!;
      if (tr < w) {
        rows.push(this.orig[i]!, LOSS_INTERPOLATION_BOUND, Math.max(0, tr), 0, hb.rejectedCount[i]!);
      }
    }
    hb.clearLosses();
    const refinements = Float64Array.from(this.refineLoss);
    this.refineLoss = [];
    return { objects: Float64Array.from(rows), refinements };
  }

  private runBlock(b: number): void {
    const o = this.options;
    const hb = this.block;
    const n = hb.n;
    const t0 = b * this.blockSec;
    if (n === 0 || t0 >= o.windowSec) return;
    hb.build(t0);
    this.stats.knots += hb.knotCount;
    this.stats.rejectedIntervals += hb.rejectedIntervals;
    const step = o.stepSec;
    const halfStep = step / 2;
    const halfScreen = o.screenKm / 2;
    const rCap = halfScreen + o.interpolationTargetKm + V_CAP_KM_S * halfStep;
    const cell = 2 * rCap;
    const stepsPerBlock = 2 ** o.knotLevels;
    // |τ| ≤ Δ/2 powers of the Taylor bound on the radius: (Δ/2)²/2 and (Δ/2)³/6.
    const h2 = (halfStep * halfStep) / 2;
    const h3 = (halfStep * halfStep * halfStep) / 6;
    const pCap = halfScreen + o.interpolationTargetKm + P_CAP_KM_PER_STEP_S * step;
    const { level, intBase, intStride, ok, coef, eps, vmax, jmax } = hb;
    const { cIdx, cIv, cur } = this;
    const prim = this.prim;
    const grid = this.grid;
    const hh = halfStep * halfStep;
    const j3 = (hh * halfStep) / 6;
    this.candCount = 0;
    for (let js = 0; js < stepsPerBlock; js++) {
      const tStep = t0 + js * step;
      if (tStep >= o.windowSec) break;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const L = level[i]!;
        const iv = intBase[i]! + (js >> L) * intStride[i]!;
        if (ok[iv] === 0) continue;
        const div = 1 << L;
        const s = ((js & (div - 1)) + 0.5) / div;
        const c = iv * COEF_STRIDE;
        const g = m * POINT_STRIDE;
        cIdx[m] = i;
        cIv[m] = iv;
        const ih = 1 / (step * div);
        const ih2 = ih * ih;
        // Position, velocity and acceleration of the quintic (hermite-knots.ts), axis by axis.
        let a1 = coef[c + 1]!;
        let a2 = coef[c + 2]!;
        let a3 = coef[c + 3]!;
        let a4 = coef[c + 4]!;
        let a5 = coef[c + 5]!;
        const px = coef[c]! + s * (a1 + s * (a2 + s * (a3 + s * (a4 + s * a5))));
        const vx = (a1 + s * (2 * a2 + s * (3 * a3 + s * (4 * a4 + s * 5 * a5)))) * ih;
        const ax = (2 * a2 + s * (6 * a3 + s * (12 * a4 + s * 20 * a5))) * ih2;
        a1 = coef[c + 7]!;
        a2 = coef[c + 8]!;
        a3 = coef[c + 9]!;
        a4 = coef[c + 10]!;
        a5 = coef[c + 11]!;
        const py = coef[c + 6]! + s * (a1 + s * (a2 + s * (a3 + s * (a4 + s * a5))));
        const vy = (a1 + s * (2 * a2 + s * (3 * a3 + s * (4 * a4 + s * 5 * a5)))) * ih;
        const ay = (2 * a2 + s * (6 * a3 + s * (12 * a4 + s * 20 * a5))) * ih2;
        a1 = coef[c + 13]!;
        a2 = coef[c + 14]!;
        a3 = coef[c + 15]!;
        a4 = coef[c + 16]!;
        a5 = coef[c + 17]!;
        const pz = coef[c + 12]! + s * (a1 + s * (a2 + s * (a3 + s * (a4 + s * a5))));
        const vz = (a1 + s * (2 * a2 + s * (3 * a3 + s * (4 * a4 + s * 5 * a5)))) * ih;
        const az = (2 * a2 + s * (6 * a3 + s * (12 * a4 + s * 20 * a5))) * ih2;
        const e = eps[iv]!;
        const jm = jmax[iv]!;
        const vm = vmax[iv]!;
        const R = halfScreen + e + vm * halfStep;
        // Radial pad (header, radial filter).
        const rad = Math.sqrt(px * px + py * py + pz * pz);
        const rDot = (px * vx + py * vy + pz * vz) / rad;
        const rdd = (vx * vx + vy * vy + vz * vz - rDot * rDot + px * ax + py * ay + pz * az) / rad;
        const aNorm = Math.sqrt(ax * ax + ay * ay + az * az);
        const aMax = aNorm + jm * halfStep;
        const rLow = rad - vm * halfStep;
        const r3 = (3 * vm * aMax) / rLow + (3 * vm * vm * vm) / (rLow * rLow) + jm;
        const P =
          rLow > 0
            ? halfScreen + e + Math.abs(rDot) * halfStep + Math.abs(rdd) * h2 + r3 * h3
            : Number.POSITIVE_INFINITY;
        cur[g] = px;
        cur[g + 1] = py;
        cur[g + 2] = pz;
        cur[g + 3] = R;
        cur[g + 4] = rad;
        cur[g + 5] = P;
        cur[g + 6] = !(P <= pCap)
          ? PROBE_WIDE
          : prim === null
            ? PROBE_HALF
            : prim[i] === 1
              ? PROBE_NEAR
              : PROBE_NONE;
        cur[g + 7] = m;
        if (prim !== null) this.cPrim[m] = prim[i]!;
        cur[g + P_VX] = vx;
        cur[g + P_VX + 1] = vy;
        cur[g + P_VX + 2] = vz;
        // Linear pad: the pair test below with |Δa| ≤ |a_a| + |a_b| split per object.
        cur[g + P_L] = halfScreen + e + 0.5 * aNorm * hh + jm * j3;
        cur[g + P_AX] = ax;
        cur[g + P_AX + 1] = ay;
        cur[g + P_AX + 2] = az;
        cur[g + P_EPS] = e;
        cur[g + P_JMAX] = jm;
        m++;
      }
      this.stats.steps++;
      this.stats.objectSteps += m;
      grid.findPairs(
        m,
        cur,
        POINT_STRIDE,
        cell,
        halfStep,
        prim === null ? null : this.cPrim,
        o.excludePrimaryPairs,
      );
      this.stats.gridTests += grid.tests;
      this.stats.padPairs += grid.pairCount;
      const pa = grid.pairA;
      const pb = grid.pairB;
      const pt = grid.points;
      for (let k = 0; k < grid.pairCount; k++) {
        const sa = pa[k]! * GRID_STRIDE;
        const sb = pb[k]! * GRID_STRIDE;
        const ma = pt[sa + 7]!;
        const mb = pt[sb + 7]!;
        const a = ma * POINT_STRIDE;
        const b = mb * POINT_STRIDE;
        // Linear closest approach over the step, with the Taylor remainder bound.
        const miss2 = straightLineMiss2(
          pt[sb]! - pt[sa]!,
          pt[sb + 1]! - pt[sa + 1]!,
          pt[sb + 2]! - pt[sa + 2]!,
          pt[sb + P_VX]! - pt[sa + P_VX]!,
          pt[sb + P_VX + 1]! - pt[sa + P_VX + 1]!,
          pt[sb + P_VX + 2]! - pt[sa + P_VX + 2]!,
          halfStep,
        );
        const ax = cur[b + P_AX]! - cur[a + P_AX]!;
        const ay = cur[b + P_AX + 1]! - cur[a + P_AX + 1]!;
        const az = cur[b + P_AX + 2]! - cur[a + P_AX + 2]!;
        const limit = o.screenKm + cur[a + P_EPS]! + cur[b + P_EPS]!;
        const lim =
          limit +
          0.5 * Math.sqrt(ax * ax + ay * ay + az * az) * hh +
          (cur[a + P_JMAX]! + cur[b + P_JMAX]!) * j3;
        if (miss2 > lim * lim) continue;
        this.stats.linearPairs++;
        this.minimumSearch(ma, mb, js, tStep, limit);
      }
    }
    // Refine this block's candidates with SGP4.
    for (let k = 0; k < this.candCount; k++) {
      this.refine(this.candI[k]!, this.candJ[k]!, this.candT[k]!, this.candEnd[k]!);
    }
  }

  // Scratch for the interpolated states of the two objects of a pair.
  private readonly pA = new Float64Array(6);
  private readonly pB = new Float64Array(6);

  /** Interpolated position and velocity of internal object i on interval iv at parameter s. */
  private evalState(iv: number, h: number, s: number, out: Float64Array): void {
    const coef = this.block.coef;
    const c = iv * COEF_STRIDE;
    for (let ax = 0; ax < 3; ax++) {
      const o = c + ax * COEF_AXIS;
      const a1 = coef[o + 1]!;
      const a2 = coef[o + 2]!;
      const a3 = coef[o + 3]!;
      const a4 = coef[o + 4]!;
      const a5 = coef[o + 5]!;
      out[ax] = coef[o]! + s * (a1 + s * (a2 + s * (a3 + s * (a4 + s * a5))));
      out[ax + 3] = (a1 + s * (2 * a2 + s * (3 * a3 + s * (4 * a4 + s * 5 * a5)))) / h;
    }
  }

  /** g̃ = ρ̃·ρ̃' at τ seconds from the step start, for the pair set up by pairStage. */
  private rangeRate(
    ivA: number,
    hA: number,
    sA0: number,
    ivB: number,
    hB: number,
    sB0: number,
    tau: number,
  ): number {
    const a = this.pA;
    const b = this.pB;
    this.evalState(ivA, hA, sA0 + tau / hA, a);
    this.evalState(ivB, hB, sB0 + tau / hB, b);
    return (
      (b[0]! - a[0]!) * (b[3]! - a[3]!) +
      (b[1]! - a[1]!) * (b[4]! - a[4]!) +
      (b[2]! - a[2]!) * (b[5]! - a[5]!)
    );
  }

  /** Local minima of the interpolated distance of grid pair (compact a, b) in step js, kept below `limit`. */
  private minimumSearch(a: number, b: number, js: number, tStep: number, limit: number): void {
    const hb = this.block;
    const step = this.options.stepSec;
    const i = this.cIdx[a]!;
    const j = this.cIdx[b]!;
    if (this.twin[i] === this.twin[j]) return;
    const ivA = this.cIv[a]!;
    const ivB = this.cIv[b]!;
    const LA = hb.level[i]!;
    const LB = hb.level[j]!;
    const hA = step * (1 << LA);
    const hB = step * (1 << LB);
    const A = this.pA;
    const B = this.pB;
    // Minimum search over the step [0, Δ): s at the step start of each object.
    const sA0 = (js & ((1 << LA) - 1)) / (1 << LA);
    const sB0 = (js & ((1 << LB) - 1)) / (1 << LB);
    const samples = Math.max(2, Math.ceil(step / MIN_SEARCH_SUBSTEP_S));
    const dtau = step / samples;
    let gPrev = this.rangeRate(ivA, hA, sA0, ivB, hB, sB0, 0);
    // Slow pairs (co-orbiting objects): the interpolant's range rate is too close to zero to
    // trust its sign, so search the SGP4 range rate itself (header, step 4).
    const speed = Math.hypot(B[3]! - A[3]!, B[4]! - A[4]!, B[5]! - A[5]!);
    if (speed < SLOW_PAIR_KM_S) {
      this.slowMinimumSearch(i, j, tStep, speed);
      return;
    }
    for (let k = 1; k <= samples; k++) {
      const g = this.rangeRate(ivA, hA, sA0, ivB, hB, sB0, k * dtau);
      if (gPrev < 0 && g >= 0) {
        // Bracketed root of g̃ in ((k−1)·dτ, k·dτ].
        const root = illinoisRoot(
          (t) => this.rangeRate(ivA, hA, sA0, ivB, hB, sB0, t),
          (k - 1) * dtau,
          k * dtau,
          gPrev,
          g,
          1e-3,
          MIN_SEARCH_ITERATIONS,
        );
        this.rangeRate(ivA, hA, sA0, ivB, hB, sB0, root);
        const dx = B[0]! - A[0]!;
        const dy = B[1]! - A[1]!;
        const dz = B[2]! - A[2]!;
        if (dx * dx + dy * dy + dz * dz <= limit * limit) this.pushCandidate(i, j, tStep + root, Number.NaN);
      }
      gPrev = g;
    }
  }

  private readonly sA = new Float64Array(6);
  private readonly sB = new Float64Array(6);

  /**
   * SGP4 range rate g = ρ·ρ̇ of internal objects i, j at t seconds from the window start; the
   * distance is left in `slowDist` (NaN on an SGP4 error).
   */
  private sgp4RangeRate(i: number, j: number, t: number): number {
    const a = this.sA;
    const b = this.sB;
    if (
      sgp4(this.records[i]!, this.offsetMin[i]! + t / 60, a) !== 0 ||
      sgp4(this.records[j]!, this.offsetMin[j]! + t / 60, b) !== 0
    ) {
      this.slowDist = Number.NaN;
      return Number.NaN;
    }
    const dx = b[0]! - a[0]!;
    const dy = b[1]! - a[1]!;
    const dz = b[2]! - a[2]!;
    const ux = b[3]! - a[3]!;
    const uy = b[4]! - a[4]!;
    const uz = b[5]! - a[5]!;
    this.slowDist = Math.sqrt(dx * dx + dy * dy + dz * dz);
    this.slowSpeed = Math.sqrt(ux * ux + uy * uy + uz * uz);
    return dx * ux + dy * uy + dz * uz;
  }
  private slowDist = 0;
  private slowSpeed = 0;

  /**
   * Local minima of the SGP4 distance of a slow pair in the step starting at tStep: sign changes
   * − → + of the SGP4 range rate sampled every ≤ SLOW_SUBSTEP_S, kept when the distance at either
   * end is within the threshold plus the relative motion over the sub-interval.
   */
  private slowMinimumSearch(i: number, j: number, tStep: number, speed: number): void {
    const step = this.options.stepSec;
    const samples = Math.max(1, Math.ceil(step / SLOW_SUBSTEP_S));
    const dt = step / samples;
    // Near the speed threshold the neighbouring step may be searched on the interpolant, whose
    // minimum can sit on this side of the boundary while SGP4's is on the other: reach one
    // sub-interval into each neighbour (a minimum found twice is merged).
    const edge = speed > SLOW_PAIR_KM_S / 2 ? 1 : 0;
    let tPrev = tStep - edge * dt;
    let gPrev = this.sgp4RangeRate(i, j, tPrev);
    let dPrev = this.slowDist;
    let vPrev = this.slowSpeed;
    this.stats.slowPairs++;
    for (let k = 1 - edge; k <= samples + edge; k++) {
      const t = tStep + k * dt;
      const g = this.sgp4RangeRate(i, j, t);
      const d = this.slowDist;
      const v = this.slowSpeed;
      if (gPrev < 0 && g >= 0) {
        const reach = this.options.screenKm + Math.max(vPrev, v) * (t - tPrev);
        if (Math.min(dPrev, d) <= reach) this.pushCandidate(i, j, tPrev, t);
      }
      tPrev = t;
      gPrev = g;
      dPrev = d;
      vPrev = v;
    }
  }

  private pushCandidate(i: number, j: number, t: number, end: number): void {
    if (this.candCount === this.candI.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.candI = grow(this.candI, (k) => new Int32Array(k));
      this.candJ = grow(this.candJ, (k) => new Int32Array(k));
      this.candT = grow(this.candT, (k) => new Float64Array(k));
      this.candEnd = grow(this.candEnd, (k) => new Float64Array(k));
    }
    this.candI[this.candCount] = i;
    this.candJ[this.candCount] = j;
    this.candT[this.candCount] = t;
    this.candEnd[this.candCount] = end;
    this.candCount++;
  }

  private readonly eA = new Float64Array(6);
  private readonly eB = new Float64Array(6);

  /**
   * Ellipsoid metric f = Σ (miss_k / semi-axis_k)² of the miss vector in the primary's RTN frame
   * (at t), from SGP4 states of internal objects i (primary), j at t seconds from the window start;
   * NaN on an SGP4 error.
   */
  private ellipsoidMetric(i: number, j: number, t: number): number {
    const ell = this.options.ellipsoid!;
    const a = this.eA;
    const b = this.eB;
    if (
      sgp4(this.records[i]!, this.offsetMin[i]! + t / 60, a) !== 0 ||
      sgp4(this.records[j]!, this.offsetMin[j]! + t / 60, b) !== 0
    ) {
      return Number.NaN;
    }
    const q = localOrbitalMatrix('RTN', [a[0]!, a[1]!, a[2]!], [a[3]!, a[4]!, a[5]!], this.q);
    const dx = b[0]! - a[0]!;
    const dy = b[1]! - a[1]!;
    const dz = b[2]! - a[2]!;
    const rr = q[0] * dx + q[1] * dy + q[2] * dz;
    const rt = q[3] * dx + q[4] * dy + q[5] * dz;
    const rn = q[6] * dx + q[7] * dy + q[8] * dz;
    return (rr / ell.radialKm) ** 2 + (rt / ell.inTrackKm) ** 2 + (rn / ell.crossTrackKm) ** 2;
  }

  /**
   * Smallest ellipsoid metric of the encounter around TCA t (s from the window start). The
   * ellipsoid lies inside the screening sphere, so the metric can reach 1 only while the distance
   * is below screenKm, i.e. within about screenKm / relSpeed of TCA (straight-line relative motion,
   * where the metric is a quadratic in time): sample that span (clipped to the window and to
   * ELLIPSOID_SEARCH_MAX_S), then golden-section search around the smallest sample.
   */
  private ellipsoidMetricMin(i: number, j: number, t: number, relSpeed: number): number {
    const o = this.options;
    const half = Math.min(ELLIPSOID_SEARCH_MAX_S, (1.5 * o.screenKm) / Math.max(relSpeed, 1e-6));
    const lo = Math.max(0, t - half);
    const hi = Math.min(o.windowSec, t + half);
    const n = ELLIPSOID_SEARCH_SAMPLES;
    const dt = (hi - lo) / n;
    let best = Number.POSITIVE_INFINITY;
    let tBest = t;
    for (let k = 0; k <= n; k++) {
      const tk = lo + k * dt;
      const f = this.ellipsoidMetric(i, j, tk);
      if (f < best) {
        best = f;
        tBest = tk;
      }
    }
    if (best <= 1) return best;
    // Golden section on [tBest − dt, tBest + dt].
    const g = (Math.sqrt(5) - 1) / 2;
    let a = Math.max(lo, tBest - dt);
    let b = Math.min(hi, tBest + dt);
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = this.ellipsoidMetric(i, j, c);
    let fd = this.ellipsoidMetric(i, j, d);
    for (let k = 0; k < ELLIPSOID_SEARCH_ITERATIONS; k++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = this.ellipsoidMetric(i, j, c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = this.ellipsoidMetric(i, j, d);
      }
      best = Math.min(best, fc, fd);
    }
    return best;
  }

  /** Refines candidate (i, j) from the first guess t0, or in the SGP4 bracket [t0, end] (end not NaN). */
  private refine(i: number, j: number, t0: number, end: number): void {
    const o = this.options;
    this.stats.candidates++;
    // Primary first.
    if (this.rank[j]! < this.rank[i]!) {
      const t = i;
      i = j;
      j = t;
    }
    const out = this.tcaOut;
    const rA = this.records[i]!;
    const rB = this.records[j]!;
    const oA = this.offsetMin[i]!;
    const oB = this.offsetMin[j]!;
    const status = Number.isNaN(end)
      ? refineTca(rA, oA, rB, oB, t0, out)
      : refineTcaInBracket(rA, oA, rB, oB, t0, end, out);
    if (status !== TCA_OK) {
      this.stats.refineFailed++;
      this.refineLoss.push(this.orig[i]!, this.orig[j]!, t0, status);
      return;
    }
    const t = out[TCA_OUT_T]!;
    const miss = out[TCA_OUT_MISS]!;
    if (!(t >= 0 && t <= o.windowSec) || !(miss <= o.screenKm)) return;
    const S = TCA_OUT_STATES;
    const rP: Vec3 = [out[S]!, out[S + 1]!, out[S + 2]!];
    const vP: Vec3 = [out[S + 3]!, out[S + 4]!, out[S + 5]!];
    const dx = out[S + 6]! - rP[0];
    const dy = out[S + 7]! - rP[1];
    const dz = out[S + 8]! - rP[2];
    const q = localOrbitalMatrix('RTN', rP, vP, this.q);
    const rr = q[0] * dx + q[1] * dy + q[2] * dz;
    const rt = q[3] * dx + q[4] * dy + q[5] * dz;
    const rn = q[6] * dx + q[7] * dy + q[8] * dz;
    const ell = o.ellipsoid;
    if (ell !== null) {
      const f = (rr / ell.radialKm) ** 2 + (rt / ell.inTrackKm) ** 2 + (rn / ell.crossTrackKm) ** 2;
      // Outside at TCA, the relative path may still cross the ellipsoid before or after it.
      if (f > 1) {
        const relSpeed = Math.hypot(out[S + 9]! - vP[0], out[S + 10]! - vP[1], out[S + 11]! - vP[2]);
        if (!(this.ellipsoidMetricMin(i, j, t, relSpeed) <= 1)) return;
      }
    } else if (miss > o.thresholdKm) return;
    if ((this.eventCount + 1) * EVENT_STRIDE > this.events.length) {
      const e = new Float64Array(this.events.length * 2);
      e.set(this.events);
      this.events = e;
    }
    const e = this.events;
    const base = this.eventCount * EVENT_STRIDE;
    e[base] = this.orig[i]!;
    e[base + 1] = this.orig[j]!;
    e[base + 2] = t;
    e[base + 3] = miss;
    e[base + 4] = Math.hypot(out[S + 9]! - vP[0], out[S + 10]! - vP[1], out[S + 11]! - vP[2]);
    e[base + 5] = rr;
    e[base + 6] = rt;
    e[base + 7] = rn;
    for (let k = 0; k < 12; k++) e[base + 8 + k] = out[S + k]!;
    this.eventCount++;
  }
}
