/**
 * Imports the real reference data into one SQLite catalog: the four full-catalog 3LE snapshots
 * (object counts from ../shared/data/README.md) and every TLE history file. The streamed,
 * batched import must read exactly what astro's whole-file reader reads (same records, same
 * rejected lines), and every rejected record is listed with its reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatIssue, parseElements } from '@hoshimi/astro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../src/catalog-store.js';
import { openSqliteStore, type SqliteCatalogStore } from '../src/sqlite-store.js';
import { listRefFiles, readRefRaw } from './reference-data.js';

/** Objects per snapshot, from the reference data README (catalog/ table). */
const CATALOGS = [
  ['catalog/full_catalog_2019-03-19.3le.txt.gz', 17_892, '2019-03-19T00:00:00Z'],
  ['catalog/full_catalog_2021-05-29.3le.txt.gz', 21_584, '2021-05-29T00:00:00Z'],
  ['catalog/full_catalog_2022-01-22.3le.txt.gz', 23_939, '2022-01-22T00:00:00Z'],
  ['catalog/full_catalog_2023-10-09.3le.txt.gz', 26_140, '2023-10-09T00:00:00Z'],
] as const;

/**
 * Element sets in the snapshots that SGP4 cannot propagate at their own epoch, rejected at import:
 * JWST's first set (2022 snapshot, epoch 2021-12-28, e = 0.988, 0.0196 rev/day) fails with SGP4
 * error 3 (the lunar-solar periodics push the eccentricity past 1).
 */
const SGP4_UNUSABLE: Readonly<Record<string, readonly string[]>> = {
  'catalog/full_catalog_2022-01-22.3le.txt.gz': ['50463'],
};

/** TLE counts the README states for some histories. */
const README_HISTORY_COUNTS: Record<string, number> = {
  'history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz': 10_214,
  'history/facchinelli-tleAnalysis/envisat_27386_2002-2017.tle': 16_527,
  'history/facchinelli-tleAnalysis/goce_34602_2009-2012.tle': 3_802,
  'history/orekit/spot-5.tle': 250,
  'history/dpshorten-benchmark/processed_files/CryoSat-2.tle': 4_310,
};

function textOf(rel: string): string {
  const raw = readRefRaw(rel);
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

describe('reference data import (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-ref-'));
  let store: SqliteCatalogStore;
  beforeAll(async () => {
    store = await openSqliteStore(join(dir, 'catalog.db'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const reports: IngestReport[] = [];

  it.each(CATALOGS)(
    'imports %s: %i objects, only what SGP4 cannot propagate rejected',
    async (rel, objects, day) => {
      const r = await store.importFile({ name: rel, bytes: readRefRaw(rel), source: 'spacetrack' });
      reports.push(r);
      const unusable = SGP4_UNUSABLE[rel] ?? [];
      expect(r.rejected.filter((i) => i.code !== 'ELEMENTS_SGP4_UNUSABLE').map(formatIssue)).toEqual([]);
      expect(r.rejected.map((i) => /object (\d+)/.exec(i.message)?.[1])).toEqual(unusable);
      const good = objects - unusable.length;
      expect(r).toMatchObject({
        status: unusable.length === 0 ? 'ok' : 'partial',
        format: '3le',
        read: good,
        inserted: good,
      });
      // The snapshot's own objects are all in the catalog as of its latest epoch.
      const at = await store.asOf(`${day.slice(0, 10)}T23:59:59Z`);
      expect(at.length).toBeGreaterThan(0);
    },
  );

  const histories = listRefFiles('history', /\.tle(\.gz)?$/);

  it('finds the history files', () => {
    expect(histories.length).toBeGreaterThanOrEqual(19);
  });

  it.each(histories)('imports %s exactly as the whole-file reader reads it', async (rel) => {
    const whole = parseElements(textOf(rel), { file: rel });
    expect(whole.ok).toBe(true);
    if (!whole.ok) return;
    const r = await store.importFile({ name: rel, bytes: readRefRaw(rel), source: 'spacetrack' });
    reports.push(r);
    expect(r.read).toBe(whole.value.records.length);
    expect(r.rejected).toEqual(whole.value.rejected);
    expect(r.inserted + r.duplicates).toBe(r.read);
    const readme = README_HISTORY_COUNTS[rel];
    if (readme !== undefined) expect(r.read).toBe(readme);
    const cn = whole.value.records[0]!.elements.catalogNumber;
    const h = await store.history(cn);
    expect(h.length).toBeGreaterThanOrEqual(r.inserted);
    if (r.rejected.length > 0)
      console.log(`${rel}: ${r.rejected.length} rejected:\n${r.rejected.map(formatIssue).join('\n')}`);
  });

  it('keeps every snapshot: an object seen in all four has four element sets', async () => {
    const h = await store.history('5'); // VANGUARD 1
    expect(h.map((s) => s.epochUtc.slice(0, 4))).toEqual(['2019', '2021', '2022', '2023']);
    const total = reports.reduce((n, r) => n + r.inserted, 0);
    expect(total).toBeGreaterThan(150_000);
    const log = await store.ingestLog(1000);
    expect(log).toHaveLength(reports.length);
    expect(log.every((g) => g.status === 'ok' || g.status === 'partial')).toBe(true);
  });
});
