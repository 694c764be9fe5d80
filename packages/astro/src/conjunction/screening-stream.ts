/**
 * Streaming merge of a screening's slices (ranges of blocks screened by ScreeningRun.runBlocks, in
 * threads, processes or machines): slices are pushed in any order, and conjunctions come out in
 * TCA order as soon as no slice still missing can change them, so memory holds only the events
 * near the open boundary (and those of slices that arrived ahead of it), never the whole window.
 * The conjunctions, their order and their fields are those of mergeScreeningEvents
 * (screen-catalog.ts) on all slices at once; no I/O here.
 *
 * Why it is exact. Let F be the first block not yet received (every block before F is in) and B
 * the block length. A refined TCA lies within MAX_REFINE_DRIFT_S (refine-tca.ts) of the time it
 * was refined from, which lies in its block or at most SLOW_SUBSTEP_S (screen-engine.ts) before it
 * (slow pairs reach one sub-interval into the neighbouring step). So every event still missing has
 * TCA ≥ H = F·B − STREAM_LOOKBACK_S; pushes check this of every event and refuse a slice that
 * breaks it (SCREENING_STREAM_ORDER), rather than merge inexactly.
 * The batch merge removes duplicates per pair in TCA order: an event is merged into the pair's kept
 * event when its TCA is within DUPLICATE_TCA_S of it, and replaces it when its miss is smaller.
 * A chain of the received events of one pair is final when its kept TCA ≤ H − DUPLICATE_TCA_S (no
 * missing event can join it). Final chains are released when their kept TCA is below E = min(H,
 * first TCA of every chain not final), so every later conjunction has TCA ≥ E: the released ones,
 * sorted by (TCA, primary, secondary) as the batch merge sorts, continue the batch order exactly.
 * A slice pushed again with the same block range (a work unit re-run after a lost worker) is
 * ignored; an overlap with other bounds is an error.
 */
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { MAX_REFINE_DRIFT_S } from './refine-tca.js';
import { conjunctionBuilder, DUPLICATE_TCA_S, mergeScreeningLosses } from './screen-catalog.js';
import { EVENT_STRIDE, type ScreeningLossRows, ScreeningRun, SLOW_SUBSTEP_S } from './screen-engine.js';
import {
  addScreeningStats,
  type Conjunction,
  emptyScreeningStats,
  type ScreeningLosses,
  type ScreeningOptions,
  type ScreeningStats,
} from './screening-types.js';

/** How far before its slice's first block an event's TCA can lie, s (see the header). */
export const STREAM_LOOKBACK_S = SLOW_SUBSTEP_S + MAX_REFINE_DRIFT_S;

/** One slice's output: blocks [first, end), packed event rows, and optionally its counters and losses. */
export interface ScreeningSlice {
  readonly first: number;
  readonly end: number;
  readonly events: Float64Array;
  readonly stats?: ScreeningStats;
  readonly losses?: ScreeningLossRows;
}

/** The run fields the merge needs (a ScreeningRun, or the same fields sent from a worker). */
export type ScreeningStreamRun = Pick<ScreeningRun, 'elements' | 'options' | 'blockCount' | 'blockSec'> & {
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly setupLosses: Float64Array;
};

/** Everything of a ScreeningResult except the conjunctions, which were streamed. */
export interface ScreeningStreamSummary {
  readonly stats: ScreeningStats;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly losses: ScreeningLosses;
  /** Conjunctions released. */
  readonly conjunctionCount: number;
  /** Most event rows held at once (received, not yet released). */
  readonly peakPendingEvents: number;
  /** Slices ignored because their block range had been received already. */
  readonly repeatedSlices: number;
}

/** Streaming merge of screening slices; see the module header. */
export class ScreeningStreamMerge {
  private readonly run: ScreeningStreamRun;
  private readonly stats: ScreeningStats;
  private readonly build: (rows: Float64Array, offset: number) => Conjunction;
  /** Per block: the end of the slice that covered it (0: not received). */
  private readonly sliceEnd: Int32Array;
  private readonly sliceFirst: Int32Array;
  private frontier = 0;
  private pending = new Float64Array(EVENT_STRIDE * 1024);
  private pendingCount = 0;
  private released = 0;
  private peak = 0;
  private repeated = 0;
  private readonly lossParts: ScreeningLossRows[] = [];
  private finished = false;

  /** `stats`: the run's set-up counters (objects, screened, …); slice counters are added to them. */
  constructor(run: ScreeningStreamRun, stats: ScreeningStats) {
    this.run = run;
    this.stats = { ...stats };
    this.build = conjunctionBuilder(run);
    this.sliceEnd = new Int32Array(run.blockCount);
    this.sliceFirst = new Int32Array(run.blockCount).fill(-1);
  }

  /** First block not yet received (blockCount when all are in). */
  get frontierBlock(): number {
    return this.frontier;
  }

  /** True when every block has been received (and so every conjunction released). */
  get complete(): boolean {
    return this.frontier >= this.run.blockCount;
  }

  /** Event rows held now. */
  get pendingEvents(): number {
    return this.pendingCount;
  }

  /**
   * Adds a slice and returns the conjunctions that became final, in TCA order (often none).
   * Throws AstroError SCREENING_STREAM_SLICE (bounds outside the run, an overlap with a different
   * slice) or SCREENING_STREAM_ORDER (an event earlier than the lookback bound allows).
   */
  push(slice: ScreeningSlice): Conjunction[] {
    const { first, end, events } = slice;
    const n = this.run.blockCount;
    if (!(Number.isInteger(first) && Number.isInteger(end) && first >= 0 && end > first && end <= n)) {
      throw new AstroError(
        'SCREENING_STREAM_SLICE',
        `slice [${first}, ${end}) is not inside blocks [0, ${n})`,
        {
          expected: `0 <= first < end <= ${n}`,
          found: `[${first}, ${end})`,
        },
      );
    }
    if (this.sliceFirst[first] === first && this.sliceEnd[first] === end) {
      this.repeated++;
      return [];
    }
    for (let b = first; b < end; b++) {
      if (this.sliceEnd[b] !== 0) {
        throw new AstroError(
          'SCREENING_STREAM_SLICE',
          `slice [${first}, ${end}) overlaps slice [${this.sliceFirst[b]}, ${this.sliceEnd[b]}) received before`,
          { expected: 'disjoint block ranges', found: `[${first}, ${end})` },
        );
      }
    }
    const lowest = first * this.run.blockSec - STREAM_LOOKBACK_S;
    for (let o = 2; o < events.length; o += EVENT_STRIDE) {
      if (!(events[o]! >= lowest)) {
        throw new AstroError(
          'SCREENING_STREAM_ORDER',
          `slice [${first}, ${end}) holds an event at ${events[o]} s, before its first block less the lookback (${lowest} s)`,
          { expected: `TCA >= ${lowest} s`, found: events[o] },
        );
      }
    }
    for (let b = first; b < end; b++) {
      this.sliceEnd[b] = end;
      this.sliceFirst[b] = first;
    }
    if (slice.stats !== undefined) addScreeningStats(this.stats, slice.stats);
    if (slice.losses !== undefined) this.lossParts.push(slice.losses);
    this.append(events);
    const before = this.frontier;
    while (this.frontier < n && this.sliceEnd[this.frontier] !== 0) this.frontier++;
    if (this.frontier === before && this.frontier < n) return [];
    const h =
      this.frontier >= n ? Number.POSITIVE_INFINITY : this.frontier * this.run.blockSec - STREAM_LOOKBACK_S;
    return this.release(h);
  }

  /** The run's counters, warnings and losses once every block is in; throws SCREENING_STREAM_INCOMPLETE before. */
  finish(): ScreeningStreamSummary {
    if (!this.complete) {
      throw new AstroError(
        'SCREENING_STREAM_INCOMPLETE',
        `block ${this.frontier} of ${this.run.blockCount} has not been received`,
        { expected: `blocks [0, ${this.run.blockCount})`, found: this.frontier },
      );
    }
    if (!this.finished) {
      this.finished = true;
      this.stats.events = this.released;
    }
    return {
      stats: this.stats,
      warnings: [...this.run.warnings],
      losses: mergeScreeningLosses(this.run, this.lossParts),
      conjunctionCount: this.released,
      peakPendingEvents: this.peak,
      repeatedSlices: this.repeated,
    };
  }

  private append(events: Float64Array): void {
    const rows = events.length / EVENT_STRIDE;
    const need = (this.pendingCount + rows) * EVENT_STRIDE;
    if (need > this.pending.length) {
      const grown = new Float64Array(Math.max(need, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingCount * EVENT_STRIDE));
      this.pending = grown;
    }
    this.pending.set(events, this.pendingCount * EVENT_STRIDE);
    this.pendingCount += rows;
    this.peak = Math.max(this.peak, this.pendingCount);
  }

  /** Releases the final chains below the bound (see the header); `h`: every missing TCA is ≥ h. */
  private release(h: number): Conjunction[] {
    const all = this.pending;
    const count = this.pendingCount;
    const byPair = Int32Array.from({ length: count }, (_, k) => k * EVENT_STRIDE);
    byPair.sort((a, b) => all[a]! - all[b]! || all[a + 1]! - all[b + 1]! || all[a + 2]! - all[b + 2]!);
    // Chains: [chainStart[c], chainStart[c + 1]) in byPair, kept row chainKept[c].
    const chainStart: number[] = [];
    const chainKept: number[] = [];
    for (let k = 0; k < count; k++) {
      const r = byPair[k]!;
      const c = chainKept.length - 1;
      if (c >= 0) {
        const last = chainKept[c]!;
        if (
          all[last] === all[r] &&
          all[last + 1] === all[r + 1] &&
          all[r + 2]! - all[last + 2]! < DUPLICATE_TCA_S
        ) {
          if (all[r + 3]! < all[last + 3]!) chainKept[c] = r;
          continue;
        }
      }
      chainStart.push(k);
      chainKept.push(r);
    }
    const chains = chainKept.length;
    chainStart.push(count);
    // E: below h and below the first TCA of every chain a missing event could still change.
    let bound = h;
    const isFinal = new Uint8Array(chains);
    for (let c = 0; c < chains; c++) {
      if (all[chainKept[c]! + 2]! <= h - DUPLICATE_TCA_S) isFinal[c] = 1;
      else bound = Math.min(bound, all[byPair[chainStart[c]!]! + 2]!);
    }
    const out: number[] = [];
    const keepRows: number[] = [];
    for (let c = 0; c < chains; c++) {
      const kept = chainKept[c]!;
      if (isFinal[c] === 1 && all[kept + 2]! < bound) out.push(kept);
      else for (let k = chainStart[c]!; k < chainStart[c + 1]!; k++) keepRows.push(byPair[k]!);
    }
    out.sort((a, b) => all[a + 2]! - all[b + 2]! || all[a]! - all[b]! || all[a + 1]! - all[b + 1]!);
    const conjunctions = out.map((o) => this.build(all, o));
    // Compact the rows still pending to the front (in place, by ascending offset).
    keepRows.sort((a, b) => a - b);
    let at = 0;
    for (const o of keepRows) {
      if (o !== at) all.copyWithin(at, o, o + EVENT_STRIDE);
      at += EVENT_STRIDE;
    }
    this.pendingCount = keepRows.length;
    this.released += conjunctions.length;
    return conjunctions;
  }
}

/** Blocks per slice of screenCatalogStream: about 2.8 hours at the default 80 s step and 4 knot levels. */
export const DEFAULT_STREAM_SLICE_BLOCKS = 8;

/**
 * Screens a catalog in this thread, handing the conjunctions to `onConjunctions` in TCA order, a
 * batch per slice of `sliceBlocks` blocks, without holding them all: the streaming form of
 * screenCatalog (same conjunctions, same order). Returns the summary (counters, warnings, losses).
 */
export function screenCatalogStream(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  onConjunctions: (batch: readonly Conjunction[]) => void,
  sliceBlocks = DEFAULT_STREAM_SLICE_BLOCKS,
): ScreeningStreamSummary {
  if (!(Number.isInteger(sliceBlocks) && sliceBlocks >= 1)) {
    throw new AstroError(
      'SCREENING_STREAM_SLICE',
      `sliceBlocks must be a positive integer, got ${sliceBlocks}`,
      {
        expected: '>= 1',
        found: sliceBlocks,
      },
    );
  }
  const run = new ScreeningRun(elements, options);
  const merge = new ScreeningStreamMerge(run, run.stats);
  for (let first = 0; first < run.blockCount; first += sliceBlocks) {
    const end = Math.min(run.blockCount, first + sliceBlocks);
    const before = { ...run.stats };
    const events = run.runBlocks(first, end);
    const stats = emptyScreeningStats();
    for (const k of Object.keys(stats) as (keyof ScreeningStats)[]) stats[k] = run.stats[k] - before[k];
    const batch = merge.push({ first, end, events, stats, losses: run.takeLosses() });
    if (batch.length > 0) onConjunctions(batch);
  }
  return merge.finish();
}
