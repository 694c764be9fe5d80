import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createStateBatch, parseTleText, propagateBatch, sgp4Init } from '@hoshimi/astro';
import { afterAll, describe, expect, it } from 'vitest';
import { PropagationPool } from '../src/propagation-pool.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);

describe('PropagationPool', () => {
  const pool = PropagationPool.create(2);
  afterAll(() => pool.close());

  it('gives bit-identical results to the single-thread kernel, in object order', async () => {
    const text = gunzipSync(
      readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz')),
    ).toString();
    const parsed = parseTleText(text);
    if (!parsed.ok) throw new Error('catalog did not parse');
    // Every 9th object: about 2,900 objects, near-earth and deep-space mixed.
    const elements = parsed.value.records.filter((_, i) => i % 9 === 0).map((r) => r.elements);
    const grid = Float64Array.from([0, 30, 1440, 4000]);
    const offsets = Float64Array.from(elements, (_, i) => (i % 7) * 10);
    let progressed = 0;
    const got = await pool.propagate(pool.load(elements), offsets, grid, {
      chunkSize: 100,
      onProgress: (n) => {
        progressed += n;
      },
    });
    expect(progressed).toBe(elements.length);
    const want = createStateBatch(elements.length * grid.length);
    propagateBatch(
      elements.map((e) => sgp4Init(e)),
      offsets,
      grid,
      want,
    );
    expect(Buffer.from(got.x.buffer).equals(Buffer.from(want.x.buffer))).toBe(true);
    expect(Buffer.from(got.vz.buffer).equals(Buffer.from(want.vz.buffer))).toBe(true);
    expect(Array.from(got.status)).toEqual(Array.from(want.status));
    expect(got.status.some((s) => s !== 0)).toBe(true);
  });

  it('handles empty input', async () => {
    const got = await pool.propagate(pool.load([]), null, Float64Array.from([0]));
    expect(got.x.length).toBe(0);
  });
});
