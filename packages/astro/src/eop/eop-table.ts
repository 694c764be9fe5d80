/**
 * Earth orientation parameters (EOP) table: daily nodes at 0h UTC, interpolated at a UTC MJD.
 *
 * Stored in SI/radians: polar motion xp, yp (rad), UT1 − UTC (s), excess length of day LOD (s),
 * celestial pole offsets dX, dY w.r.t. IAU 2000A (rad) and δΔψ, δΔε w.r.t. IAU 1980 (rad).
 *
 * Interpolation (documented choice):
 * - `'lagrange4'` (default): 4-point Lagrange (cubic) over the two nodes on each side, the window
 *   shifted inwards at the table ends, as Orekit's EOPHistory does with 4 points. `'linear'`: two
 *   nodes. Both reproduce node values exactly (the interpolant is evaluated as the base node value
 *   plus weighted differences to it, whose weights vanish at a node).
 * - UT1 − UTC jumps by about +1 s at every leap second. Before interpolating, every node's jump
 *   count k (cumulative integer jumps of more than 0.5 s between consecutive nodes; UT1 − UTC is kept
 *   within ±0.9 s, so only leap seconds produce them) is removed, the continuous series is
 *   interpolated, and the jump count of the base node (the node at or before the date) is put back.
 *   This equals interpolating UT1 − TAI for tables of 0h-UTC nodes. The 0.05–0.1 s UTC steps of
 *   the 1960s are not detected (no table loaded here goes back that far).
 * - Outside [first node, last node]: AstroError `EOP_OUT_OF_RANGE`, never extrapolation.
 * - Predictions: a date after the last node whose values are all final ('I') is an error
 *   `EOP_PREDICTION_NOT_ALLOWED` unless the caller opts in with `allowPredictions`.
 */
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { type Rad, rad, type Seconds, seconds } from '../units/index.js';

/** One daily node as loaders produce it (already in rad and s). */
export interface EopNode {
  /** UTC MJD of the node (normally an integer: 0h UTC). */
  readonly mjd: number;
  readonly xpRad: number;
  readonly ypRad: number;
  readonly ut1MinusUtcS: number;
  readonly lodS: number;
  /** Celestial pole offsets w.r.t. IAU 2000A, rad (0 when the source has none). */
  readonly dXRad: number;
  readonly dYRad: number;
  /** Nutation corrections w.r.t. IAU 1980, rad (0 when the source has none). */
  readonly dPsiRad: number;
  readonly dEpsRad: number;
  /** True when any value of the node is a prediction. */
  readonly predicted: boolean;
}

/** Interpolated EOP at one date. */
export interface EopValues {
  readonly mjdUtc: number;
  readonly xpRad: Rad;
  readonly ypRad: Rad;
  readonly ut1MinusUtcS: Seconds;
  readonly lodS: Seconds;
  readonly dXRad: Rad;
  readonly dYRad: Rad;
  readonly dPsiRad: Rad;
  readonly dEpsRad: Rad;
  /** True when the date is after the last all-final node (only with `allowPredictions`). */
  readonly predicted: boolean;
}

export type EopInterpolation = 'lagrange4' | 'linear';

/** Which nutation corrections the source provides. */
export interface EopNutationContent {
  /** dX, dY w.r.t. IAU 2000A are present (finals2000A, C04). */
  readonly dXdY: boolean;
  /** δΔψ, δΔε w.r.t. IAU 1980 are present (finals.all IAU1980, some CSV files). */
  readonly dPsiDEps: boolean;
}

export interface EopTableOptions {
  readonly interpolation?: EopInterpolation;
  readonly source?: string;
  readonly nutation?: EopNutationContent;
}

export interface EopLookupOptions {
  /** Accept dates after the last final node (default false). */
  readonly allowPredictions?: boolean | undefined;
}

/** UT1 − UTC step between consecutive nodes above which a leap second is assumed, s. */
const LEAP_JUMP_THRESHOLD_S = 0.5;

const FIELDS = ['xpRad', 'ypRad', 'ut1MinusUtcS', 'lodS', 'dXRad', 'dYRad', 'dPsiRad', 'dEpsRad'] as const;
type Field = (typeof FIELDS)[number];

export class EopTable {
  readonly source: string;
  readonly interpolation: EopInterpolation;
  readonly nutation: EopNutationContent;
  /** Node dates, UTC MJD, strictly increasing. */
  readonly mjd: Float64Array;
  private readonly cols: Readonly<Record<Field, Float64Array>>;
  /** UT1 − UTC with leap-second jumps removed (node value − k·1 s). */
  private readonly ut1Continuous: Float64Array;
  private readonly predictedFlags: Uint8Array;
  /** MJD of the last node before the first predicted node (−Infinity when the first is predicted). */
  readonly lastFinalMjd: number;

  private constructor(nodes: readonly EopNode[], options: EopTableOptions) {
    const n = nodes.length;
    this.source = options.source ?? 'EOP table';
    this.interpolation = options.interpolation ?? 'lagrange4';
    this.nutation = options.nutation ?? { dXdY: true, dPsiDEps: false };
    this.mjd = new Float64Array(n);
    const cols = {} as Record<Field, Float64Array>;
    for (const f of FIELDS) cols[f] = new Float64Array(n);
    this.cols = cols;
    this.ut1Continuous = new Float64Array(n);
    this.predictedFlags = new Uint8Array(n);
    let k = 0;
    let lastFinal = Number.NEGATIVE_INFINITY;
    let seenPredicted = false;
    for (let i = 0; i < n; i++) {
      const node = nodes[i] as EopNode;
      this.mjd[i] = node.mjd;
      for (const f of FIELDS) cols[f][i] = node[f];
      if (i > 0) {
        const step = node.ut1MinusUtcS - (nodes[i - 1] as EopNode).ut1MinusUtcS;
        if (Math.abs(step) > LEAP_JUMP_THRESHOLD_S) k += Math.round(step);
      }
      this.ut1Continuous[i] = node.ut1MinusUtcS - k;
      this.predictedFlags[i] = node.predicted ? 1 : 0;
      if (node.predicted) seenPredicted = true;
      else if (!seenPredicted) lastFinal = node.mjd;
    }
    this.lastFinalMjd = lastFinal;
  }

  /**
   * A table from nodes in strictly increasing MJD with finite values. Throws AstroError
   * `EOP_INVALID` otherwise (loaders have already reported bad lines).
   */
  static create(nodes: readonly EopNode[], options: EopTableOptions = {}): EopTable {
    if (nodes.length < 2) {
      throw new AstroError('EOP_INVALID', `an EOP table needs at least 2 nodes, got ${nodes.length}`);
    }
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as EopNode;
      for (const f of FIELDS) {
        if (!Number.isFinite(node[f])) {
          throw new AstroError('EOP_INVALID', `node ${i} (MJD ${node.mjd}) has a non-finite ${f}`, {
            index: i,
            field: f,
          });
        }
      }
      if (i > 0 && !(node.mjd > (nodes[i - 1] as EopNode).mjd)) {
        throw new AstroError('EOP_INVALID', `node MJDs must increase (node ${i}, MJD ${node.mjd})`, {
          index: i,
        });
      }
    }
    return new EopTable(nodes, options);
  }

  get size(): number {
    return this.mjd.length;
  }

  get firstMjd(): number {
    return this.mjd[0] as number;
  }

  get lastMjd(): number {
    return this.mjd[this.mjd.length - 1] as number;
  }

  /** The same nodes with another interpolation. */
  withInterpolation(interpolation: EopInterpolation): EopTable {
    return new EopTable(this.nodes(), { interpolation, source: this.source, nutation: this.nutation });
  }

  /** Node `i` as stored. */
  node(i: number): EopNode {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new AstroError('EOP_OUT_OF_RANGE', `node index ${i} outside 0..${this.size - 1}`, { index: i });
    }
    const c = this.cols;
    return {
      mjd: this.mjd[i] as number,
      xpRad: c.xpRad[i] as number,
      ypRad: c.ypRad[i] as number,
      ut1MinusUtcS: c.ut1MinusUtcS[i] as number,
      lodS: c.lodS[i] as number,
      dXRad: c.dXRad[i] as number,
      dYRad: c.dYRad[i] as number,
      dPsiRad: c.dPsiRad[i] as number,
      dEpsRad: c.dEpsRad[i] as number,
      predicted: this.predictedFlags[i] === 1,
    };
  }

  private nodes(): EopNode[] {
    const out: EopNode[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.node(i));
    return out;
  }

  /** Index of the last node at or before `mjd` (caller has range-checked). */
  private baseIndex(mjd: number): number {
    const m = this.mjd;
    let lo = 0;
    let hi = m.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((m[mid] as number) <= mjd) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * EOP at a UTC MJD (with day fraction). Throws AstroError `EOP_OUT_OF_RANGE` outside the nodes
   * and `EOP_PREDICTION_NOT_ALLOWED` after the last final node unless `allowPredictions`.
   */
  interpolate(mjdUtc: number, options: EopLookupOptions = {}): EopValues {
    if (!(mjdUtc >= this.firstMjd && mjdUtc <= this.lastMjd)) {
      throw new AstroError(
        'EOP_OUT_OF_RANGE',
        `UTC MJD ${mjdUtc} is outside ${this.source} (MJD ${this.firstMjd}..${this.lastMjd})`,
        { mjd: mjdUtc, firstMjd: this.firstMjd, lastMjd: this.lastMjd },
      );
    }
    const predicted = mjdUtc > this.lastFinalMjd;
    if (predicted && options.allowPredictions !== true) {
      throw new AstroError(
        'EOP_PREDICTION_NOT_ALLOWED',
        `UTC MJD ${mjdUtc} is after the last final EOP of ${this.source} (MJD ${this.lastFinalMjd}); predictions need allowPredictions`,
        { mjd: mjdUtc, lastFinalMjd: this.lastFinalMjd },
      );
    }
    const n = this.size;
    const b = this.baseIndex(mjdUtc);
    const npts = this.interpolation === 'linear' ? 2 : 4;
    let start = b - (npts / 2 - 1);
    if (start + npts > n) start = n - npts;
    if (start < 0) start = 0;
    const count = Math.min(npts, n);
    // Lagrange weights over nodes start..start+count-1.
    const w = [0, 0, 0, 0];
    const m = this.mjd;
    for (let j = 0; j < count; j++) {
      const xj = m[start + j] as number;
      let lj = 1;
      for (let q = 0; q < count; q++) {
        if (q === j) continue;
        const xq = m[start + q] as number;
        lj *= (mjdUtc - xq) / (xj - xq);
      }
      w[j] = lj;
    }
    // Base node value plus weighted differences of `ref` (the continuous series) to its base value.
    const interp = (col: Float64Array, ref: Float64Array = col): number => {
      const base = ref[b] as number;
      let acc = 0;
      for (let j = 0; j < count; j++) acc += (w[j] as number) * ((ref[start + j] as number) - base);
      return (col[b] as number) + acc;
    };
    const c = this.cols;
    return {
      mjdUtc,
      xpRad: rad(interp(c.xpRad)),
      ypRad: rad(interp(c.ypRad)),
      ut1MinusUtcS: seconds(interp(c.ut1MinusUtcS, this.ut1Continuous)),
      lodS: seconds(interp(c.lodS)),
      dXRad: rad(interp(c.dXRad)),
      dYRad: rad(interp(c.dYRad)),
      dPsiRad: rad(interp(c.dPsiRad)),
      dEpsRad: rad(interp(c.dEpsRad)),
      predicted,
    };
  }
}

/** What an EOP file loader passes to `eopLoadResult` besides its nodes and warnings. */
export interface EopLoadEnd {
  readonly file: string | undefined;
  /** Line reported in the EOP_EMPTY issue when fewer than 2 nodes were usable. */
  readonly emptyLine: number;
  readonly source: string;
  readonly nutation: EopNutationContent;
  readonly interpolation: EopInterpolation | undefined;
}

/**
 * The result of an EOP file loader (internal, shared by the finals and C04 loaders): the table of
 * its nodes with the warnings collected, or, with fewer than 2 usable nodes, those warnings plus an
 * EOP_EMPTY issue.
 */
export function eopLoadResult(
  nodes: readonly EopNode[],
  warnings: readonly ParseIssue[],
  end: EopLoadEnd,
): ParseResult<EopTable> {
  if (nodes.length < 2) {
    return {
      ok: false,
      issues: [
        ...warnings,
        lineIssue(
          end.file,
          end.emptyLine,
          1,
          'EOP_EMPTY',
          `found ${nodes.length} usable EOP rows, need at least 2`,
        ),
      ],
    };
  }
  const table = EopTable.create(nodes, {
    source: end.source,
    nutation: end.nutation,
    ...(end.interpolation === undefined ? {} : { interpolation: end.interpolation }),
  });
  return { ok: true, value: table, warnings };
}
