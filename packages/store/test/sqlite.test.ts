/**
 * The CatalogStore contract against the SQLite store, on a real file in a temporary folder and in
 * memory; plus what only SQLite has: WAL mode, persistence across reopening, the in-place upgrade
 * of a schema-version-1 file, and refusing a file written by a newer schema version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTleText, parseTleLines } from '@hoshimi/astro';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { epochKeyFromJulian } from '../src/epoch-key.js';
import { CATALOG_MIGRATION_NAMES, CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { migrateSqliteFile, openSqliteStore } from '../src/sqlite-store.js';
import { type ContractStoreConfig, runCatalogStoreContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const freshPath = () => join(dir, `catalog-${++seq}.db`);

const options = (c?: ContractStoreConfig) => ({
  ...(c?.now === undefined ? {} : { now: c.now }),
  ...(c?.staleAfterDays === undefined ? {} : { staleAfterDays: c.staleAfterDays }),
  batchLines: 2000,
});

/** Writes a catalog file, then marks it as written by schema version CATALOG_SCHEMA_VERSION + 7. */
async function writeTooNew(): Promise<string> {
  const path = freshPath();
  await (await openSqliteStore(path)).close();
  const db = new Database(path);
  db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(
    `${String(CATALOG_SCHEMA_VERSION + 7).padStart(4, '0')}_from_the_future`,
    new Date().toISOString(),
  );
  db.pragma(`user_version = ${CATALOG_SCHEMA_VERSION + 7}`);
  db.close();
  return path;
}

const openTooNew = async () => openSqliteStore(await writeTooNew());

runCatalogStoreContract('SQLite file', (c) => openSqliteStore(freshPath(), options(c)), { openTooNew });
runCatalogStoreContract('SQLite :memory:', (c) => openSqliteStore(':memory:', options(c)), { openTooNew });

const ISS = [
  'ISS (ZARYA)',
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
];

describe('SQLite specifics', () => {
  it('uses WAL while open, a rollback journal once closed, foreign keys, and keeps data across reopening', async () => {
    const path = freshPath();
    const s = await openSqliteStore(path);
    expect(s.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    const r = await s.importFile({
      name: 'iss',
      bytes: new TextEncoder().encode(ISS.join('\n')),
      label: 'REL TO USA',
    });
    const open = new Database(path, { readonly: true });
    expect(open.pragma('journal_mode', { simple: true })).toBe('wal');
    open.close();
    await s.close();
    // Closed in rollback-journal mode: readable where the folder is read-only (no -shm file needed).
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    const again = await openSqliteStore(path);
    const o = await again.getObject('25544');
    expect(o?.latest?.label).toBe('REL TO USA');
    expect((await again.ingestLog())[0]?.ingestId).toBe(r.ingestId);
    await again.close();
    await expect(again.asOf('2020-01-01T00:00:00Z')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('upgrades a schema-version-1 file in place, data intact', async () => {
    const path = freshPath();
    expect(await migrateSqliteFile(path, 1)).toBe(1);
    // Fill it as version-1 code would have (the v1 tables only).
    const parsed = parseTleLines(ISS[1]!, ISS[2]!, ISS[0]);
    if (!parsed.ok) throw new Error('bad TLE');
    const es = parsed.value;
    const db = new Database(path);
    db.prepare(
      `INSERT INTO objects (catalog_number, name, intl_designator, object_type) VALUES (?, ?, ?, ?)`,
    ).run('25544', 'ISS (ZARYA)', '1998-067A', 'UNKNOWN');
    db.prepare(
      `INSERT INTO ingests (name, sha256, source, label, format, started_at, finished_at, status, read_count,
       inserted_count) VALUES ('old.3le', 'abc', 'spacetrack', 'UNMARKED', '3le', '2020-01-01T00:00:00.000Z',
       '2020-01-01T00:00:01.000Z', 'ok', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO element_sets (catalog_number, epoch_jd, epoch_jd_frac, epoch_key, name, intl_designator,
       classification, mean_motion_rad_per_min, eccentricity, inclination_rad, raan_rad, arg_perigee_rad,
       mean_anomaly_rad, bstar, mean_motion_dot, mean_motion_ddot, ephemeris_type, element_set_number,
       revolution_number, source, source_priority, label, format, ingest_id, content_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'spacetrack', 2, 'UNMARKED', '3le', 1, 'h')`,
    ).run(
      es.catalogNumber,
      es.epoch.jd,
      es.epoch.jdFrac,
      epochKeyFromJulian(es.epoch),
      es.name,
      es.intlDesignator,
      es.classification,
      es.meanMotionRadPerMin,
      es.eccentricity,
      es.inclinationRad,
      es.raanRad,
      es.argPerigeeRad,
      es.meanAnomalyRad,
      es.bstar,
      es.meanMotionDotRevPerDay2,
      es.meanMotionDdotRevPerDay3,
      es.ephemerisType,
      es.elementSetNumber,
      es.revolutionNumber,
    );
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();

    const s = await openSqliteStore(path);
    expect(s.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    const [stored] = await s.history('25544');
    expect(stored?.elements).toEqual(es);
    expect(stored?.epochUtc).toBe('2008-09-20T12:25:40.104192Z');
    expect(stored?.source).toBe('spacetrack');
    // The v2 back-fill: the name came from that set, so an older named set does not rename it...
    const older = formatTleText(
      [{ ...es, name: 'OLD NAME', epoch: { jd: es.epoch.jd - 10, jdFrac: 0.5 } }],
      '3le',
    );
    await s.importFile({ name: 'older', bytes: new TextEncoder().encode(older) });
    expect((await s.getObject('25544'))?.object.name).toBe('ISS (ZARYA)');
    // ...and SATCAT types now stick.
    await s.upsertObjects([
      {
        catalogNumber: '25544',
        name: null,
        intlDesignator: null,
        objectType: 'PAYLOAD',
        launchDate: '1998-11-20',
        decayDate: null,
      },
    ]);
    expect((await s.getObject('25544'))?.object).toMatchObject({
      objectType: 'PAYLOAD',
      name: 'ISS (ZARYA)',
    });
    await s.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(CATALOG_SCHEMA_VERSION);
    raw.close();
  });

  it('upgrades a schema-version-5 file in place: screenings kept, events stored afterwards', async () => {
    const path = freshPath();
    expect(await migrateSqliteFile(path, 5)).toBe(5);
    const db = new Database(path);
    db.prepare(
      `INSERT INTO screenings (started_at, finished_at, window_start, window_stop, threshold_km, source,
       object_count, conjunction_count, data_quality) VALUES ('2023-10-09T00:00:00Z', '2023-10-09T00:01:00Z',
       '2023-10-09T00:00:00Z', '2023-10-12T00:00:00Z', 5, 'catalog', 26140, 0, '{"coverage":1}')`,
    ).run();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'events'`).all()).toEqual([]);
    db.close();

    const s = await openSqliteStore(path);
    expect(s.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    expect((await s.listScreenings()).map((r) => [r.objectCount, r.dataQuality])).toEqual([
      [26140, { coverage: 1 }],
    ]);
    const event = {
      type: 'maneuver' as const,
      objects: ['25544'],
      timeUtc: '2023-10-10T00:00:00Z',
      windowStartUtc: '2023-10-09T18:00:00Z',
      windowEndUtc: '2023-10-10T06:00:00Z',
      kind: 'orbit-raising',
      score: 9,
      threshold: 4,
      detector: 'test',
      detectorVersion: '1',
      evidence: {},
      inputs: {},
    };
    expect(await s.saveEvents([event, event])).toEqual({ inserted: 1, known: 1 });
    await s.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM event_objects').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('refuses what is not a catalog database with STORE_OPEN_FAILED', async () => {
    const notDb = freshPath();
    writeFileSync(notDb, 'this is a text file, not SQLite '.repeat(100));
    await expect(openSqliteStore(notDb)).rejects.toMatchObject({ code: 'STORE_OPEN_FAILED' });
    await expect(openSqliteStore(join(dir, 'missing-folder', 'c.db'))).rejects.toMatchObject({
      code: 'STORE_OPEN_FAILED',
    });
  });

  it('refuses a newer file with STORE_TOO_NEW and leaves it untouched', async () => {
    const path = await writeTooNew();
    await expect(openSqliteStore(path)).rejects.toMatchObject({
      code: 'STORE_TOO_NEW',
      details: { fileVersion: CATALOG_SCHEMA_VERSION + 7, codeVersion: CATALOG_SCHEMA_VERSION },
    });
    await expect(migrateSqliteFile(path)).rejects.toMatchObject({ code: 'STORE_TOO_NEW' });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(CATALOG_SCHEMA_VERSION + 7);
    expect(db.prepare('SELECT count(*) AS n FROM kysely_migration').get()).toEqual({
      n: CATALOG_MIGRATION_NAMES.length + 1,
    });
    db.close();
  });
});
