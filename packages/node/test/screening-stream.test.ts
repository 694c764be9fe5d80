import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, parseTleText } from '@hoshimi/astro';
import type { Conjunction } from '@hoshimi/astro/conjunction';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenParallel, screenParallelStream } from '../src/screening-pool.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const OPTIONS = { start: { jd: 2460226.5, jdFrac: 0 }, durationDays: 0.5 };
/**
 * The two runs agree to these, not bit for bit: which worker thread takes which slice depends on
 * timing, and SDP4's resonance integrator keeps its state in the satellite record between calls
 * (as Vallado's code does), so a deep-space object's positions differ in the last bits with the
 * history of earlier calls in that thread.
 */
const TCA_TOL_S = 1e-6;
const MISS_TOL_KM = 1e-9;
/** Slices of 3 blocks (1 h at the default step): many batches in half a day. */
const SLICE_BLOCKS = 3;

describe('screenParallelStream', () => {
  let elements: ElementSet[] = [];
  beforeAll(() => {
    const parsed = parseTleText(
      gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString(),
    );
    if (!parsed.ok) throw new Error('catalog did not parse');
    // Every 6th object of the 2023 catalog (about 4,400, near-earth and deep-space).
    elements = parsed.value.records.filter((_, i) => i % 6 === 0).map((r) => r.elements);
  });

  it('streams exactly the conjunctions of the in-memory run, in its order, in several batches', async () => {
    const whole = await screenParallel(elements, OPTIONS, { workers: 2, maxSliceBlocks: SLICE_BLOCKS });
    const streamed: Conjunction[] = [];
    const sizes: number[] = [];
    const summary = await screenParallelStream(elements, OPTIONS, {
      workers: 2,
      maxSliceBlocks: SLICE_BLOCKS,
      // An asynchronous consumer: batches must still arrive whole and in order.
      onConjunctions: async (batch) => {
        await new Promise((r) => setTimeout(r, 1));
        sizes.push(batch.length);
        streamed.push(...batch);
      },
    });
    expect(whole.conjunctions.length).toBeGreaterThan(50);
    expect(streamed.map((c) => [c.primary.catalogNumber, c.secondary.catalogNumber])).toEqual(
      whole.conjunctions.map((c) => [c.primary.catalogNumber, c.secondary.catalogNumber]),
    );
    streamed.forEach((c, i) => {
      const w = whole.conjunctions[i]!;
      expect(Math.abs(c.tcaSecondsFromStart - w.tcaSecondsFromStart)).toBeLessThan(TCA_TOL_S);
      expect(Math.abs(c.missKm - w.missKm)).toBeLessThan(MISS_TOL_KM);
    });
    expect(summary.conjunctionCount).toBe(whole.conjunctions.length);
    expect(summary.stats.events).toBe(whole.stats.events);
    expect(summary.stats.candidates).toBe(whole.stats.candidates);
    expect(summary.losses).toEqual(whole.losses);
    expect(summary.batches).toBe(sizes.length);
    expect(sizes.length).toBeGreaterThan(3);
    // The merge never held the whole run's events.
    expect(summary.peakPendingEvents).toBeLessThan(whole.stats.rawEvents);
    expect(summary.peakWorkerHeapBytes).toBeGreaterThan(0);
  });

  it('stops with the consumer’s error', async () => {
    const boom = new Error('disk full');
    await expect(
      screenParallelStream(elements, OPTIONS, {
        workers: 2,
        maxSliceBlocks: SLICE_BLOCKS,
        onConjunctions: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });
});
