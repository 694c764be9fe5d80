/**
 * The streaming merge of screening slices (conjunction/screening-stream.ts) gives exactly the
 * conjunctions of the batch merge (mergeScreeningEvents), in the same order, whatever order the
 * slices arrive in, while holding only part of the events; a repeated slice is ignored, overlaps
 * and events outside the lookback bound are refused. Real data: a subset of the 2023-10-09 catalog.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeScreeningEvents, screenCatalog } from '../src/conjunction/screen-catalog.js';
import { EVENT_STRIDE, type ScreeningLossRows, ScreeningRun } from '../src/conjunction/screen-engine.js';
import {
  ScreeningStreamMerge,
  STREAM_LOOKBACK_S,
  screenCatalogStream,
} from '../src/conjunction/screening-stream.js';
import {
  type Conjunction,
  emptyScreeningStats,
  type ScreeningStats,
} from '../src/conjunction/screening-types.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import { PcRandom } from '../src/pc/monte-carlo.js';
import { readRefText } from './reference-data.js';

const START = { jd: 2460226.5, jdFrac: 0 };
/** Every 5th object of the catalog (about 5,200, near-earth and deep space), one day. */
const SUBSET_EVERY = 5;
const DAYS = 1;

interface Part {
  readonly first: number;
  readonly end: number;
  readonly events: Float64Array;
  readonly stats: ScreeningStats;
  readonly losses: ScreeningLossRows;
}

/** Exactly equal conjunctions: every field the batch merge writes. */
function expectSame(a: readonly Conjunction[], b: readonly Conjunction[]): void {
  expect(b.length).toBe(a.length);
  for (let k = 0; k < a.length; k++) expect(b[k]).toEqual(a[k]);
}

describe('streaming merge of screening slices', () => {
  let elements: ElementSet[] = [];
  let run: ScreeningRun;
  let setupStats: ScreeningStats;
  /** One part per block, screened once by one run. */
  const parts: Part[] = [];
  beforeAll(() => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    elements = parsed.value.records.filter((_, i) => i % SUBSET_EVERY === 0).map((r) => r.elements);
    run = new ScreeningRun(elements, { start: START, durationDays: DAYS });
    setupStats = { ...run.stats };
    for (let b = 0; b < run.blockCount; b++) {
      const before = { ...run.stats };
      const events = run.runBlocks(b, b + 1);
      const stats = emptyScreeningStats();
      for (const k of Object.keys(stats) as (keyof ScreeningStats)[]) stats[k] = run.stats[k] - before[k];
      parts.push({ first: b, end: b + 1, events, stats, losses: run.takeLosses() });
    }
    // A minimum refined from both sides of a slice boundary comes back twice: copy every 3rd event
    // of each block into the next block's rows, 0.2 s later, with a miss a little smaller or larger
    // (so the merge must both drop and replace), and every 6th twice (a chain of three).
    for (let b = 0; b + 1 < parts.length; b++) {
      const src = parts[b]!.events;
      const extra: number[] = [];
      for (let o = 0, k = 0; o < src.length; o += EVENT_STRIDE, k++) {
        if (k % 3 !== 0 || src[o + 2]! < (b + 1) * run.blockSec - STREAM_LOOKBACK_S + 1) continue;
        const copies = k % 6 === 0 ? 2 : 1;
        for (let c = 1; c <= copies; c++) {
          const row = Array.from(src.subarray(o, o + EVENT_STRIDE));
          row[2] = row[2]! + 0.2 * c;
          row[3] = row[3]! * (k % 2 === 0 ? 1 - 1e-9 * c : 1 + 1e-9 * c);
          extra.push(...row);
        }
      }
      const next = parts[b + 1]!;
      const events = new Float64Array(next.events.length + extra.length);
      events.set(next.events);
      events.set(extra, next.events.length);
      parts[b + 1] = { ...next, events };
    }
  });

  /** The parts grouped into slices of `size` blocks (events concatenated). */
  function slices(size: number): Part[] {
    const out: Part[] = [];
    for (let f = 0; f < parts.length; f += size) {
      const group = parts.slice(f, f + size);
      const n = group.reduce((s, p) => s + p.events.length, 0);
      const events = new Float64Array(n);
      let at = 0;
      const stats = emptyScreeningStats();
      for (const p of group) {
        events.set(p.events, at);
        at += p.events.length;
        for (const k of Object.keys(stats) as (keyof ScreeningStats)[]) stats[k] += p.stats[k];
      }
      out.push({
        first: f,
        end: f + group.length,
        events,
        stats,
        losses: { objects: new Float64Array(0), refinements: new Float64Array(0) },
      });
    }
    return out;
  }

  it('releases the batch merge’s conjunctions in its order, for slices in any order', () => {
    const batch = mergeScreeningEvents(
      run,
      parts.map((p) => p.events),
      { ...setupStats },
      parts.map((p) => p.losses),
    );
    const raw = parts.reduce((s, p) => s + p.events.length / EVENT_STRIDE, 0);
    expect(batch.conjunctions.length).toBeGreaterThan(100);
    // Duplicates across block boundaries (the copies above) are removed.
    expect(raw).toBeGreaterThan(batch.conjunctions.length);
    const rng = new PcRandom(15);
    for (const size of [1, 3, 8]) {
      const order = slices(size);
      // Fisher–Yates with a seeded generator: a fixed but scrambled arrival order.
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(rng.nextDouble() * (k + 1));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      const merge = new ScreeningStreamMerge(run, setupStats);
      const out: Conjunction[] = [];
      let releasedBeforeLast = 0;
      order.forEach((s, i) => {
        out.push(...merge.push(s));
        if (i === order.length - 2) releasedBeforeLast = out.length;
      });
      expect(merge.complete).toBe(true);
      const summary = merge.finish();
      expectSame(batch.conjunctions, out);
      expect(summary.conjunctionCount).toBe(batch.conjunctions.length);
      expect(summary.stats.events).toBe(batch.conjunctions.length);
      expect(summary.stats.candidates).toBe(run.stats.candidates);
      expect(summary.stats.knots).toBe(run.stats.knots);
      expect(summary.peakPendingEvents).toBeLessThanOrEqual(raw);
      expect(releasedBeforeLast).toBeLessThanOrEqual(out.length);
    }
  });

  it('holds only the events near the open boundary when slices come in order', () => {
    const merge = new ScreeningStreamMerge(run, setupStats);
    const out: Conjunction[] = [];
    const raw = parts.reduce((s, p) => s + p.events.length / EVENT_STRIDE, 0);
    for (const p of parts) {
      out.push(...merge.push(p));
      // Everything released so far is before the boundary less the lookback.
      const bound = merge.frontierBlock * run.blockSec - STREAM_LOOKBACK_S;
      if (out.length > 0 && !merge.complete) {
        expect(out[out.length - 1]!.tcaSecondsFromStart).toBeLessThan(bound);
      }
    }
    merge.finish();
    expect(out.length).toBeGreaterThan(0);
    // In order, one block at a time: about lookback / block + 1 blocks are held, not the day.
    const blocksHeld = Math.ceil(STREAM_LOOKBACK_S / run.blockSec) + 2;
    expect(merge.finish().peakPendingEvents).toBeLessThan(((raw * blocksHeld) / parts.length) * 3);
    expect(merge.finish().peakPendingEvents).toBeLessThan(raw / 3);
  });

  it('ignores a repeated slice and refuses overlaps, bad bounds and early events', () => {
    const merge = new ScreeningStreamMerge(run, setupStats);
    const [a, b] = slices(4);
    merge.push(a!);
    expect(merge.push(a!)).toEqual([]);
    expect(() => merge.push({ ...b!, first: b!.first - 1 })).toThrow(
      expect.objectContaining({ code: 'SCREENING_STREAM_SLICE' }),
    );
    expect(() => merge.push({ ...b!, end: run.blockCount + 1 })).toThrow(
      expect.objectContaining({ code: 'SCREENING_STREAM_SLICE' }),
    );
    const early = new Float64Array(EVENT_STRIDE);
    early[2] = b!.first * run.blockSec - STREAM_LOOKBACK_S - 1;
    expect(() => merge.push({ first: b!.first, end: b!.end, events: early })).toThrow(
      expect.objectContaining({ code: 'SCREENING_STREAM_ORDER' }),
    );
    expect(() => merge.finish()).toThrow(expect.objectContaining({ code: 'SCREENING_STREAM_INCOMPLETE' }));
    for (const s of slices(4).slice(1)) merge.push(s);
    expect(merge.finish().repeatedSlices).toBe(1);
  });

  it('screenCatalogStream streams what screenCatalog returns', () => {
    // A smaller subset: both run the screening (every 20th object, 6 hours, slices of 2 blocks).
    const small = elements.filter((_, i) => i % 4 === 0);
    const options = { start: START, durationDays: 0.25 };
    const whole = screenCatalog(small, options);
    const out: Conjunction[] = [];
    let batches = 0;
    const summary = screenCatalogStream(
      small,
      options,
      (batch) => {
        batches++;
        out.push(...batch);
      },
      2,
    );
    expect(whole.conjunctions.length).toBeGreaterThan(5);
    expect(batches).toBeGreaterThan(1);
    expect(out.map((c) => `${c.primary.index}/${c.secondary.index}`)).toEqual(
      whole.conjunctions.map((c) => `${c.primary.index}/${c.secondary.index}`),
    );
    expect(summary.conjunctionCount).toBe(whole.conjunctions.length);
    expect(summary.losses.objects.length).toBe(whole.losses.objects.length);
  });
});
