/**
 * `migrateSqliteToPostgres` on a real server (postgres-server.ts): a SQLite store with reference
 * element sets (Kosmos 1408 debris, the SPOT-5 history), a screening, an organisation and a user, a
 * case with attachments and the audit records of all of it, copied into a new PostgreSQL database.
 * The copy verifies, the PostgreSQL store answers as the SQLite one did, a second copy into the same
 * database is refused, ids continue past the copied ones, a source of another schema version is
 * refused, and a copy that does not verify is rolled back. Without PostgreSQL binaries the file
 * skips with the reason, unless CI is set.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { openPostgresStore } from '../src/postgres-store.js';
import { migrateSqliteFile, openSqliteStore } from '../src/sqlite-store.js';
import { type MigrateProgress, migrateSqliteToPostgres } from '../src/store-migrate.js';
import { isCi, type PostgresTestServer, postgresUnavailable, startPostgres } from './postgres-server.js';
import { refPath } from './reference-data.js';

/** Kosmos 1408 and its debris, 105 objects of 2021-11-17..30 (README: fragmentation/). */
const KOSMOS = 'fragmentation/kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt';
/** SPOT-5 (27421), 250 element sets of 2002-05-04..06-24 (README: history/). */
const SPOT5 = 'history/orekit/spot-5.tle';
/** Kosmos 1408 debris, 924 objects of 2021-12-20..2022-01-11: the import after the copy. */
const KOSMOS_LATER = 'fragmentation/kosmos1408/cosmos1408_debris_2022-01-10_duela.3le.txt';
const AS_OF = '2021-12-01T00:00:00Z';
const NOW = () => new Date('2022-02-01T00:00:00Z');

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
  console.warn(`SQLite to PostgreSQL migration tests skipped: ${unavailable}`);
  describe.skip(`store migrate (skipped: ${unavailable})`, () => {
    it('copies a SQLite store into PostgreSQL', () => undefined);
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-migrate-'));
  const source = join(dir, 'catalog.db');
  let server: PostgresTestServer | undefined;
  const running = (): PostgresTestServer => {
    if (server === undefined) throw new Error('the PostgreSQL test server did not start');
    return server;
  };

  const importRef = async (store: Awaited<ReturnType<typeof openSqliteStore>>, rel: string) =>
    store.importFile({ name: rel, bytes: readFileSync(refPath(rel)) });

  beforeAll(async () => {
    server = await startPostgres();
    const store = await openSqliteStore(source, { now: NOW });
    await importRef(store, KOSMOS);
    await importRef(store, SPOT5);
    await store.saveScreening(
      {
        startedAt: '2021-11-30T01:00:00Z',
        finishedAt: '2021-11-30T01:05:00Z',
        windowStart: '2021-11-30T00:00:00.000000Z',
        windowStop: '2021-12-01T00:00:00.000000Z',
        thresholdKm: 5,
        primaries: null,
        catalogAsOf: '2021-11-30T00:00:00.000000Z',
        source: 'catalog',
        objectCount: 105,
      },
      [
        {
          id1: '13552',
          id2: '49863',
          tcaUtc: '2021-11-30T05:00:00.000Z',
          missKm: 1.5,
          relSpeedKmS: 12.5,
          rKm: 0.1,
          iKm: -1.5,
          cKm: 0.2,
          pc: 1e-5,
          pcMethod: 'alfano-max',
          hbrM: 20,
          covarianceSource: 'none (element sets)',
          confidence: 'low',
          age1Days: 0.5,
          age2Days: 1.25,
        },
      ],
    );
    await store.identity.createOrganisation({
      code: 'ORG',
      name: 'o',
      nation: 'USA',
      maxClearance: 'SECRET',
    });
    await store.identity.createUser({
      username: 'u',
      organisation: 'ORG',
      roles: ['viewer'],
      clearance: 'SECRET',
    });
    const mk = {
      classification: 'UNCLASSIFIED',
      releasableTo: 'ALL' as const,
      originator: 'ORG',
      dataMode: 'REAL' as const,
    };
    await store.cases().openCase({
      title: 'Breakup of 13552',
      summary: 'test case',
      owner: { organisation: 'ORG', nation: 'USA' },
      actor: { username: 'u', organisation: 'ORG' },
      source: { kind: 'event', id: '1', type: 'fragmentation' },
      requestedMarking: mk,
      attachments: [
        { name: 'event.json', kind: 'event', mediaType: 'application/json', content: '{"a":1}', marking: mk },
      ],
    });
    await store.close();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (url: string, table: string): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    } finally {
      await client.end();
    }
  };

  describe('store migrate', () => {
    let url = '';

    it('copies every table and verifies it row for row', async () => {
      url = await running().createDatabase();
      const progress: MigrateProgress[] = [];
      const result = await migrateSqliteToPostgres(source, url, {
        onProgress: (p) => progress.push(p),
        batchRows: 100,
      });
      expect(result.ok).toBe(true);
      const byName = new Map(result.tables.map((t) => [t.table, t]));
      for (const t of result.tables) {
        expect(t.ok, t.table).toBe(true);
        expect(t.targetRows, t.table).toBe(t.sourceRows);
        expect(t.targetDigest, t.table).toBe(t.sourceDigest);
      }
      for (const t of ['element_sets', 'objects', 'ingests', 'audit_log', 'users', 'organisations']) {
        expect(byName.get(t)?.sourceRows, t).toBeGreaterThan(0);
      }
      for (const t of [
        'screenings',
        'conjunctions',
        'cases',
        'case_versions',
        'case_attachments',
        'settings',
      ]) {
        expect(byName.get(t)?.sourceRows, t).toBeGreaterThan(0);
      }
      expect(byName.get('element_sets')?.sourceRows).toBe(105 + 250);
      // Parents first.
      const order = result.tables.map((t) => t.table);
      expect(order.indexOf('objects')).toBeLessThan(order.indexOf('element_sets'));
      expect(order.indexOf('ingests')).toBeLessThan(order.indexOf('element_sets'));
      expect(order.indexOf('cases')).toBeLessThan(order.indexOf('case_attachments'));
      expect(progress.some((p) => p.phase === 'copy' && p.table === 'element_sets' && p.rows === 355)).toBe(
        true,
      );
      expect(progress.some((p) => p.phase === 'verify' && p.table === 'audit_log')).toBe(true);
      expect(result.sequences['element_sets']).toBe(356);
    });

    it('leaves a PostgreSQL store that answers as the SQLite one', async () => {
      const lite = await openSqliteStore(source, { mode: 'read', now: NOW });
      const pgs = await openPostgresStore(url, { now: NOW });
      try {
        const asOf = await lite.asOf(AS_OF);
        expect(asOf.length).toBe(105 + 1); // the Kosmos objects and SPOT-5
        expect(await pgs.asOf(AS_OF)).toEqual(asOf);
        expect(await pgs.asOf('2002-06-01T00:00:00Z')).toEqual(await lite.asOf('2002-06-01T00:00:00Z'));
        for (const cn of ['27421', '13552', '49863'])
          expect(await pgs.history(cn), cn).toEqual(await lite.history(cn));
        expect(await pgs.ingestLog()).toEqual(await lite.ingestLog());
        expect(await pgs.listScreenings()).toEqual(await lite.listScreenings());
        expect(await pgs.conjunctions()).toEqual(await lite.conjunctions());
        expect(await pgs.markingSettings()).toEqual(await lite.markingSettings());
      } finally {
        await lite.close();
        await pgs.close();
      }
    });

    it('refuses a second copy into the same database, writing nothing', async () => {
      const before = await count(url, 'element_sets');
      await expect(migrateSqliteToPostgres(source, url)).rejects.toMatchObject({
        code: 'STORE_MIGRATE_TARGET_NOT_EMPTY',
      });
      expect(await count(url, 'element_sets')).toBe(before);
    });

    it('gives a new import ids after the copied ones', async () => {
      const pgs = await openPostgresStore(url, { now: NOW });
      try {
        const report = await pgs.importFile({
          name: KOSMOS_LATER,
          bytes: readFileSync(refPath(KOSMOS_LATER)),
        });
        expect(report.ingestId).toBe(3);
        const sets = await pgs.asOf('2022-01-20T00:00:00Z');
        const fresh = sets.filter((s) => s.id > 355);
        expect(fresh.length).toBeGreaterThan(0);
        expect(Math.min(...fresh.map((s) => s.id))).toBe(356);
      } finally {
        await pgs.close();
      }
    });

    it('refuses a source of an older schema version, saying how to upgrade it', async () => {
      const old = join(dir, 'old.db');
      await migrateSqliteFile(old, CATALOG_SCHEMA_VERSION - 1);
      const target = await running().createDatabase();
      const e = await migrateSqliteToPostgres(old, target).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'STORE_MIGRATE_SCHEMA' });
      expect((e as Error).message).toContain('hoshimi store settings --db');
    });

    it('rolls the whole copy back when a table does not verify', async () => {
      const target = await running().createDatabase();
      await (await openPostgresStore(target)).close();
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      // A target that changes what it is given: the copy must notice.
      await client.query(`CREATE FUNCTION lower_name() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.name := lower(NEW.name); RETURN NEW; END $$`);
      await client.query(
        'CREATE TRIGGER objects_lower_name BEFORE INSERT ON objects FOR EACH ROW EXECUTE FUNCTION lower_name()',
      );
      await client.end();
      const result = await migrateSqliteToPostgres(source, target);
      expect(result.ok).toBe(false);
      expect(result.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(['objects']);
      expect(result.tables.find((t) => t.table === 'objects')?.targetRows).toBe(355 - 250 + 1);
      expect(await count(target, 'objects')).toBe(0);
      expect(await count(target, 'element_sets')).toBe(0);
    });
  });
}
