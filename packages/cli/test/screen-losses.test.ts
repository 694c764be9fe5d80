/**
 * `hoshimi screen` never loses data silently and never stores an all-clear that rests on missing
 * data: element sets older than --max-age-days and objects that decay inside the window are
 * counted and listed in the JSON report, in the CSV report's companion file, on stderr and in the
 * stored run; a screening with nothing valid left fails with [NO_VALID_ELEMENTS] (exit 3) and
 * writes and stores nothing; an as-of time that leaves most of the catalog without a set is
 * flagged.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, formatTleText, parseTleText } from '@hoshimi/astro';
import { openSqliteStore } from '@hoshimi/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
/** Exit status of a screening with nothing valid to screen. */
const EXIT_NO_VALID_ELEMENTS = 3;

interface JsonReport {
  data_quality: Record<string, number | string | null>;
  conjunctions: { id1: string; id2: string; age1_days: number; age2_days: number }[];
  not_screened: {
    id: string;
    reason: string;
    first_bad_utc: string;
    sgp4_code: number | null;
    lost_intervals: number;
    age_at_start_days: number;
  }[];
  failed_refinements: unknown[];
}

describe('hoshimi screen: losses and stale data', () => {
  let dir = '';
  let file = '';
  let catalog: ElementSet[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoshimi-screen-losses-'));
    const parsed = parseTleText(gunzipSync(readFileSync(CATALOG_2023)).toString('utf8'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    catalog = parsed.value.records.map((r) => r.elements);
    const iss = catalog.find((e) => e.catalogNumber === '25544')!;
    // 300 recent objects, a heavy-drag ISS copy that re-enters within hours of 2023-10-10 and an
    // ISS copy 45 days old.
    const recent = catalog
      .filter((e) => e.epoch.jd + e.epoch.jdFrac < 2460227.5 && e.epoch.jd + e.epoch.jdFrac > 2460225.5)
      .slice(0, 300);
    const decayer: ElementSet = {
      ...iss,
      catalogNumber: '99901',
      name: 'DECAYER',
      meanMotionRadPerMin: iss.meanMotionRadPerMin * 1.02,
      bstar: 0.2,
    };
    const stale: ElementSet = {
      ...iss,
      catalogNumber: '99903',
      name: 'STALE',
      epoch: { jd: iss.epoch.jd - 45, jdFrac: iss.epoch.jdFrac },
    };
    file = join(dir, 'input.3le');
    writeFileSync(file, formatTleText([...recent, decayer, stale]));
  }, 60_000);

  it('lists the decayed and the stale object in the JSON report, the CSV companion file and on stderr', () => {
    const json = join(dir, 'r.json');
    const a = hoshimi(
      'screen',
      '--elements',
      file,
      '--from',
      '2023-10-10T00:00:00Z',
      '--days',
      '1',
      '--out',
      json,
      '--workers',
      '1',
    );
    expect(a.status).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    expect(report.data_quality['too_old']).toBe(1);
    expect(report.data_quality['max_age_days']).toBe(30);
    expect(report.data_quality['oldest_too_old_days']).toBeGreaterThan(45);
    const byId = new Map(report.not_screened.map((l) => [l.id, l]));
    expect(byId.get('99903')?.reason).toBe('element-set-too-old');
    const d = byId.get('99901')!;
    expect(d.reason).toBe('decayed');
    expect(d.first_bad_utc > '2023-10-10T00:00:00').toBe(true);
    expect(d.first_bad_utc < '2023-10-11T00:00:00').toBe(true);
    expect(d.lost_intervals).toBeGreaterThan(0);
    expect(Array.isArray(report.failed_refinements)).toBe(true);
    // Every event says how old each element set was.
    expect(report.conjunctions.length).toBeGreaterThan(0);
    for (const c of report.conjunctions) {
      expect(c.age1_days).toBeGreaterThan(0);
      expect(c.age2_days).toBeLessThan(31);
    }
    expect(a.stderr).toContain('WARNING stale data: 1 of 302 element sets are older than 30 days');
    expect(a.stderr).toMatch(/NOT SCREENED: .*1 element-set-too-old/);
    expect(a.stderr).toContain('99901 (DECAYER): decayed from 2023-10-10T');

    // CSV report (through the worker pool): the losses go to FILE.not-screened.csv.
    const csv = join(dir, 'r.csv');
    const b = hoshimi(
      'screen',
      '--elements',
      file,
      '--from',
      '2023-10-10T00:00:00Z',
      '--days',
      '1',
      '--out',
      csv,
      '--workers',
      '2',
    );
    expect(b.status).toBe(0);
    const lossFile = join(dir, 'r.not-screened.csv');
    expect(b.stderr).toContain(`(all listed in ${lossFile})`);
    const rows = readFileSync(lossFile, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('kind,id1,id2,name,reason,first_bad_utc,sgp4_code,lost_intervals,age_at_start_days');
    const decayRow = rows.find((r) => r.startsWith('object,99901,'))!.split(',');
    expect(decayRow[4]).toBe('decayed');
    expect(decayRow[5]).toBe(`${d.first_bad_utc}`);
    expect(rows.find((r) => r.startsWith('object,99903,'))!.split(',')[4]).toBe('element-set-too-old');
    expect(rows).toHaveLength(report.not_screened.length + report.failed_refinements.length + 1);

    // --max-age-days lifts the limit: the stale set is screened.
    const c = hoshimi(
      'screen',
      '--elements',
      file,
      '--from',
      '2023-10-10T00:00:00Z',
      '--days',
      '0.2',
      '--max-age-days',
      '60',
      '--out',
      join(dir, 'r60.json'),
      '--workers',
      '1',
    );
    expect(c.status).toBe(0);
    const r60 = JSON.parse(readFileSync(join(dir, 'r60.json'), 'utf8')) as JsonReport;
    expect(r60.data_quality['too_old']).toBe(0);
    expect(r60.not_screened.find((l) => l.id === '99903')).toBeUndefined();
    expect(hoshimi('screen', '--elements', file, '--max-age-days', '-1').status).toBe(2);
  });

  it('fails with NO_VALID_ELEMENTS when the only primary has decayed before the window starts', () => {
    // DECAYER re-enters within a day of 2023-10-10; two days later SGP4 fails from the first instant.
    const out = join(dir, 'decayed-primary.csv');
    const r = hoshimi(
      'screen',
      '--elements',
      file,
      '--from',
      '2023-10-12T00:00:00Z',
      '--days',
      '1',
      '--primaries',
      '99901',
      '--out',
      out,
      '--workers',
      '1',
    );
    expect(r.status, r.stderr).toBe(EXIT_NO_VALID_ELEMENTS);
    expect(r.stderr).toContain('[NO_VALID_ELEMENTS]');
    expect(r.stderr).toContain('failed SGP4 from the window start on');
    expect(existsSync(out)).toBe(false);
    // The same primary over a window in which it is still flying is screened.
    const flying = hoshimi(
      'screen',
      '--elements',
      file,
      '--from',
      '2023-10-10T00:00:00Z',
      '--days',
      '0.1',
      '--primaries',
      '99901',
      '--workers',
      '1',
    );
    expect(flying.status, flying.stderr).toBe(0);
  });

  it('fails with NO_VALID_ELEMENTS instead of storing an empty all-clear, and flags an as-of that leaves most objects out', async () => {
    const db = join(dir, 'h.db');
    const first = join(dir, 'first.3le');
    writeFileSync(first, formatTleText(catalog.slice(0, 400)));
    expect(hoshimi('catalog', 'import', first, '--db', db).status).toBe(0);
    const out = join(dir, 'stale.csv');
    const stale = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      '2024-01-01T00:00:00Z',
      '--days',
      '1',
      '--out',
      out,
    );
    expect(stale.status).toBe(EXIT_NO_VALID_ELEMENTS);
    expect(stale.stderr).toContain('[NO_VALID_ELEMENTS]');
    expect(stale.stderr).toMatch(/WARNING stale data: 400 of 400 element sets are older than 30 days/);
    expect(existsSync(out)).toBe(false);
    let store = await openSqliteStore(db);
    try {
      expect(await store.listScreenings()).toHaveLength(0);
    } finally {
      await store.close();
    }

    // As of 2023-10-09 00:00 most of these objects have no element set yet (their epochs are later).
    const early = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      '2023-10-09T00:00:00Z',
      '--days',
      '0.1',
      '--workers',
      '1',
    );
    expect(early.status).toBe(0);
    const m = /WARNING missing data: (\d+) of 400 catalog objects have no element set/.exec(early.stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(200);
    store = await openSqliteStore(db);
    try {
      const [run] = await store.listScreenings();
      const q = run!.dataQuality!;
      expect(q['catalog_objects']).toBe(400);
      expect(q['catalog_objects_without_set']).toBe(Number(m![1]));
      expect(q['element_sets_input']).toBe(400 - Number(m![1]));
      expect(Array.isArray(q['not_screened'])).toBe(true);
    } finally {
      await store.close();
    }
  });
});
