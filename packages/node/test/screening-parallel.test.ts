import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTleText } from '@hoshimi/astro';
import { screenCatalog } from '@hoshimi/astro/conjunction';
import { describe, expect, it } from 'vitest';
import { screenParallel } from '../src/screening-pool.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
/**
 * Both runs refine the same minima with the same SGP4 from nearly the same guesses (a slice's
 * first knots are computed at a differently rounded time than carried ones). SGP4 positions carry
 * about 1e-12 rad of Kepler-solver tolerance, some nanometres at LEO radius: the misses agree to that.
 */
const SAME_TCA_S = 1e-4;
const SAME_MISS_KM = 1e-8;

describe('screenParallel', () => {
  it('gives the same conjunctions as the in-process screener, merged and deduplicated', async () => {
    const text = gunzipSync(
      readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz')),
    ).toString();
    const parsed = parseTleText(text);
    if (!parsed.ok) throw new Error('catalog did not parse');
    // Every 6th object (about 4,400, near-earth and deep-space), 12 hours, many slices.
    const elements = parsed.value.records.filter((_, i) => i % 6 === 0).map((r) => r.elements);
    const options = { start: { jd: 2460226.5, jdFrac: 0 }, durationDays: 0.5 };
    const single = screenCatalog(elements, options);
    let last = 0;
    let total = 0;
    const par = await screenParallel(elements, options, {
      workers: 2,
      sliceDivisor: 5,
      onProgress: (done, all) => {
        last = done;
        total = all;
      },
    });
    expect(last).toBe(total);
    expect(total).toBeGreaterThan(0);
    expect(single.conjunctions.length).toBeGreaterThan(50);
    expect(par.conjunctions.length).toBe(single.conjunctions.length);
    for (let k = 0; k < single.conjunctions.length; k++) {
      const a = single.conjunctions[k]!;
      const b = par.conjunctions[k]!;
      expect(b.primary.catalogNumber).toBe(a.primary.catalogNumber);
      expect(b.secondary.catalogNumber).toBe(a.secondary.catalogNumber);
      expect(Math.abs(b.tcaSecondsFromStart - a.tcaSecondsFromStart)).toBeLessThan(SAME_TCA_S);
      expect(Math.abs(b.missKm - a.missKm)).toBeLessThan(SAME_MISS_KM);
    }
    // Sorted by TCA, and no pair twice at the same TCA.
    const seen = new Set<string>();
    for (let k = 0; k < par.conjunctions.length; k++) {
      const c = par.conjunctions[k]!;
      if (k > 0)
        expect(c.tcaSecondsFromStart).toBeGreaterThanOrEqual(par.conjunctions[k - 1]!.tcaSecondsFromStart);
      const key = `${c.primary.index},${c.secondary.index},${Math.round(c.tcaSecondsFromStart)}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    expect(par.stats.steps).toBe(single.stats.steps);
    // The same losses, merged across workers' slices: stale sets, SGP4 failures inside the
    // window (first bad time and code), failed refinements.
    expect(single.losses.objects.length).toBeGreaterThan(0);
    expect(single.losses.objects.some((l) => l.reason === 'element-set-too-old')).toBe(true);
    expect(single.losses.objects.some((l) => l.lostIntervals > 0)).toBe(true);
    expect(par.losses).toEqual(single.losses);
    expect(par.stats.tooOld).toBe(single.stats.tooOld);
  });
  it('passes options to the workers as they are: an unlimited maximum age stays unlimited', async () => {
    const parsed = parseTleText(
      gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString(),
    );
    if (!parsed.ok) throw new Error('catalog did not parse');
    const elements = parsed.value.records.filter((_, i) => i % 40 === 0).map((r) => r.elements);
    const options = {
      start: { jd: 2460226.5, jdFrac: 0 },
      durationDays: 0.05,
      maxElementAgeDays: Number.POSITIVE_INFINITY,
    };
    const single = screenCatalog(elements, options);
    const par = await screenParallel(elements, options, { workers: 2 });
    // With the default 30 days some of these sets would be left out; unlimited, none is.
    expect(screenCatalog(elements, { ...options, maxElementAgeDays: 30 }).stats.tooOld).toBeGreaterThan(0);
    expect(single.stats.tooOld).toBe(0);
    expect(par.stats.tooOld).toBe(0);
    expect(par.stats.screened).toBe(single.stats.screened);
    expect(par.conjunctions.length).toBe(single.conjunctions.length);
  });

  it('stops at an abort: rejects with the reason and never reports progress afterwards', async () => {
    const text = gunzipSync(
      readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz')),
    ).toString();
    const parsed = parseTleText(text);
    if (!parsed.ok) throw new Error('catalog did not parse');
    const elements = parsed.value.records.filter((_, i) => i % 20 === 0).map((r) => r.elements);
    const options = { start: { jd: 2460226.5, jdFrac: 0 }, durationDays: 1 };
    const controller = new AbortController();
    let seen = 0;
    let afterAbort = 0;
    let total = 0;
    const run = screenParallel(elements, options, {
      workers: 1,
      signal: controller.signal,
      onProgress: (done, all) => {
        total = all;
        if (controller.signal.aborted) afterAbort++;
        seen = done;
        if (done === 2) controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
    expect(seen).toBe(2);
    expect(total).toBeGreaterThan(2);
    expect(afterAbort).toBe(0);
    // An already aborted signal starts nothing.
    await expect(screenParallel(elements, options, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
