/**
 * SATCAT metadata end to end: `hoshimi catalog import` of Space-Track's full 2025 SATCAT and the
 * 2023-10-09 catalog into a real SQLite file, then `catalog list --owner --type`, `catalog show`
 * (decay as of the query time) and `screen --db --owner --type` / `--primaries payloads`, each
 * checked against counts worked out here from the reference files themselves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseElements } from '@hoshimi/astro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const CURRENT = join(DATA, 'satcat/spacetrack_satcat_current_2025-03-16.json.gz');
const DECAYED = join(DATA, 'satcat/spacetrack_satcat_decayed_2025-03-16.json.gz');
const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
/** The screening's as-of time, and its Julian date (2023-10-09T12:00:00Z). */
const AS_OF = '2023-10-09T12:00:00Z';
const AS_OF_JD = 2460227.0;

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-satcat-cli-'));
const db = join(dir, 'catalog.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hoshimi(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type SatcatRow = Record<string, string | null>;
const satcat: SatcatRow[] = [CURRENT, DECAYED].flatMap(
  (f) => JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as SatcatRow[],
);
/** Catalog numbers with an element set of epoch ≤ AS_OF in the 2023 catalog. */
function withSetByAsOf(): Set<string> {
  const parsed = parseElements(gunzipSync(readFileSync(CATALOG_2023)).toString('utf8'));
  if (!parsed.ok) throw new Error('2023 catalog unreadable');
  return new Set(
    parsed.value.records
      .filter((r) => r.elements.epoch.jd + r.elements.epoch.jdFrac <= AS_OF_JD)
      .map((r) => r.elements.catalogNumber),
  );
}

describe('SATCAT through the CLI', () => {
  let present: Set<string>;
  beforeAll(() => {
    present = withSetByAsOf();
    const imp = hoshimi('catalog', 'import', CURRENT, DECAYED, CATALOG_2023, '--db', db);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stderr).toContain('satcat-json: 30142 SATCAT records read, 30142 new objects');
    expect(imp.stderr).toContain('satcat-json: 32966 SATCAT records read, 32966 new objects');
    // Unknown owner codes are kept and reported, not dropped.
    expect(imp.stderr).toMatch(/warning: .*COUNTRY "KWT" is not in the code table/);
  });

  it('catalog list filters by owner and type', () => {
    const jpnPayloads = new Set(
      satcat
        .filter((r) => r.COUNTRY === 'JPN' && r.OBJECT_TYPE === 'PAYLOAD')
        .map((r) => String(r.NORAD_CAT_ID)),
    );
    const expected = [...jpnPayloads].filter((cn) => present.has(cn)).sort((a, b) => Number(a) - Number(b));
    expect(expected.length).toBeGreaterThan(10);
    const r = hoshimi(
      'catalog',
      'list',
      '--owner',
      'jpn',
      '--type',
      'payload',
      '--as-of',
      AS_OF,
      '--json',
      '--db',
      db,
    );
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { catalogNumber: string; ownerCode: string; objectType: string }[];
    expect(rows.map((x) => x.catalogNumber)).toEqual(expected);
    const table = hoshimi(
      'catalog',
      'list',
      '--owner',
      'JPN',
      '--type',
      'payload',
      '--as-of',
      AS_OF,
      '--db',
      db,
    );
    expect(table.stdout.split('\n')[0]).toMatch(/TYPE\s+OWNER\s+INTLDES\s+LAUNCH/);
    expect(table.stdout).toMatch(/4952 +TANSEI 1 \(MS-T1\) +PAYLOAD +JPN +1971-011A +1971-02-16/);
    const bad = hoshimi('catalog', 'list', '--type', 'spaceship', '--db', db);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--type');
  });

  it('catalog show gives the SATCAT fields, and a decay only from its date on', () => {
    const iss = hoshimi('catalog', 'show', '25544', '--as-of', AS_OF, '--db', db);
    expect(iss.stdout).toContain('type PAYLOAD (SATCAT)');
    expect(iss.stdout).toContain('owner ISS (International Space Station)');
    expect(iss.stdout).toContain(
      'launched 1998-11-20 from TTMTR (Tyuratam Missile and Space Center, Kazakhstan)',
    );
    expect(iss.stdout).toContain('size LARGE');
    expect(iss.stdout).toContain('SATCAT data from spacetrack');
    // COSMOS 1408 decayed on 2024-10-27: not decayed as of 2023-10-09, decayed as of 2024-11-01.
    const before = JSON.parse(
      hoshimi('catalog', 'show', '13552', '--as-of', AS_OF, '--json', '--db', db).stdout,
    );
    expect(before).toMatchObject({ decayDate: '2024-10-27', decayed: false });
    const text = hoshimi('catalog', 'show', '13552', '--as-of', AS_OF, '--db', db).stdout;
    expect(text).toContain(
      'decay date 2024-10-27, after 2023-10-09T12:00:00.000000Z: not decayed at that time',
    );
    expect(text).not.toContain('DECAYED');
    const after = JSON.parse(
      hoshimi('catalog', 'show', '13552', '--as-of', '2024-11-01T00:00:00Z', '--json', '--db', db).stdout,
    );
    expect(after).toMatchObject({ decayed: true });
  });

  it('screen takes primaries by owner and type, and --primaries payloads by SATCAT type', () => {
    const jpnPayloads = new Set(
      satcat
        .filter((r) => r.COUNTRY === 'JPN' && r.OBJECT_TYPE === 'PAYLOAD')
        .map((r) => String(r.NORAD_CAT_ID)),
    );
    const expectedJpn = [...jpnPayloads].filter((cn) => present.has(cn)).length;
    const out = join(dir, 'jpn.json');
    const r = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      AS_OF,
      '--days',
      '0.25',
      '--threshold-km',
      '10',
      '--owner',
      'JPN',
      '--type',
      'payload',
      '--workers',
      '1',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `primaries: ${expectedJpn} objects of type PAYLOAD, owner JPN with an element set`,
    );
    const events = (
      JSON.parse(readFileSync(out, 'utf8')) as {
        conjunctions: { id1: string; id2: string; type1: string; type2: string }[];
      }
    ).conjunctions;
    expect(events.length).toBeGreaterThan(0);
    // The report names each object's SATCAT type (the name rule only for objects without a record).
    const satcatType = new Map(satcat.map((x) => [String(x.NORAD_CAT_ID), x.OBJECT_TYPE]));
    for (const e of events) {
      expect(jpnPayloads.has(e.id1) || jpnPayloads.has(e.id2)).toBe(true);
      if (satcatType.has(e.id1)) expect(e.type1).toBe(satcatType.get(e.id1));
      if (satcatType.has(e.id2)) expect(e.type2).toBe(satcatType.get(e.id2));
    }

    // --primaries payloads: the SATCAT's payloads (the ISS among them), not "every object not
    // named as debris or a rocket body".
    const payloads = satcat.filter((x) => x.OBJECT_TYPE === 'PAYLOAD').map((x) => String(x.NORAD_CAT_ID));
    const expectedPayloads = payloads.filter((cn) => present.has(cn)).length;
    const p = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      AS_OF,
      '--days',
      '0.01',
      '--primaries',
      'payloads',
      '--workers',
      '1',
      '--out',
      join(dir, 'payloads.json'),
    );
    expect(p.status, p.stderr).toBe(0);
    // The 2023 catalog's analyst objects (80000+) have no SATCAT record: they count by name, and are said to.
    const m = /primaries: (\d+) objects of type PAYLOAD with an element set/.exec(p.stderr);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(expectedPayloads);
    expect(p.stderr).toMatch(
      /\d+ of the catalog's have no SATCAT record and count as payloads by their names/,
    );

    const noDb = hoshimi(
      'screen',
      '--elements',
      CATALOG_2023,
      '--owner',
      'JPN',
      '--days',
      '0.01',
      '--workers',
      '1',
    );
    expect(noDb.status).toBe(2);
    expect(noDb.stderr).toContain('--owner needs --db');
  });
  it('screen leaves out objects whose SATCAT decay date is on or before the window start, and lists them', () => {
    const startDate = AS_OF.slice(0, 10);
    const decayedIds = new Set(
      satcat
        .filter((x) => x.DECAY !== null && x.DECAY !== undefined && x.DECAY <= startDate)
        .map((x) => String(x.NORAD_CAT_ID))
        .filter((cn) => present.has(cn)),
    );
    expect(decayedIds.size).toBeGreaterThan(10);
    const out = join(dir, 'all.json');
    const r = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      AS_OF,
      '--days',
      '0.01',
      '--workers',
      '1',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`left out: ${decayedIds.size} objects decayed before the window start`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      data_quality: Record<string, unknown>;
      conjunctions: { id1: string; id2: string }[];
      not_screened: { id: string; reason: string; first_bad_utc: string }[];
    };
    expect(report.data_quality['decayed_before_start']).toBe(decayedIds.size);
    const listed = report.not_screened.filter((l) => l.reason === 'decayed-satcat');
    expect(new Set(listed.map((l) => l.id))).toEqual(decayedIds);
    for (const l of listed) expect(l.first_bad_utc <= `${startDate}T00:00:00.000000Z`).toBe(true);
    for (const c of report.conjunctions) {
      expect(decayedIds.has(c.id1) || decayedIds.has(c.id2)).toBe(false);
    }
  });
});
