/**
 * The CatalogStore contract against the PostgreSQL store, on a real server: a throwaway cluster
 * started on loopback for this file (postgres-server.ts), a new database for every store the suite
 * opens. Without PostgreSQL binaries the file skips with the reason, unless CI is set: in CI a
 * missing server fails the run.
 */
import { formatTleText, normaliseJulian, parseTleLines, parseUtcString } from '@hoshimi/astro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { openPostgresStore } from '../src/postgres-store.js';
import { type ContractStoreConfig, runCatalogStoreContract } from './contract.js';
import { isCi, type PostgresTestServer, postgresUnavailable, startPostgres } from './postgres-server.js';

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
  // Said once on stderr too: the default reporter counts skipped tests without naming them.
  console.warn(`PostgreSQL store tests skipped: ${unavailable}`);
  describe.skip(`PostgreSQL store (skipped: ${unavailable})`, () => {
    it('runs the CatalogStore contract on a real server', () => undefined);
  });
} else {
  let server: PostgresTestServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const running = (): PostgresTestServer => {
    if (server === undefined) throw new Error('the PostgreSQL test server did not start');
    return server;
  };

  const options = (c?: ContractStoreConfig) => ({
    ...(c?.now === undefined ? {} : { now: c.now }),
    ...(c?.staleAfterDays === undefined ? {} : { staleAfterDays: c.staleAfterDays }),
    batchLines: 2000,
    maxConnections: 4,
  });

  /** A database migrated by this code, then marked as written by schema version CATALOG_SCHEMA_VERSION + 7. */
  const openTooNew = async () => {
    const url = await running().createDatabase();
    await (await openPostgresStore(url)).close();
    const name = new URL(url).pathname.slice(1);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: running().url(name) });
    await client.connect();
    await client.query('INSERT INTO kysely_migration (name, timestamp) VALUES ($1, $2)', [
      `${String(CATALOG_SCHEMA_VERSION + 7).padStart(4, '0')}_from_the_future`,
      new Date().toISOString(),
    ]);
    await client.end();
    return openPostgresStore(url);
  };

  runCatalogStoreContract(
    'PostgreSQL',
    async (c) => openPostgresStore(await running().createDatabase(), options(c)),
    { openTooNew },
  );

  /** A 3LE file of objects first..first+count-1 at one epoch (the ISS elements renumbered). */
  const catalog = (first: number, count: number, epochIso: string): Uint8Array => {
    const iss = parseTleLines(
      '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
      '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
      'ISS (ZARYA)',
    );
    const t = parseUtcString(epochIso);
    if (!iss.ok || t === undefined) throw new Error('bad test input');
    const sets = [];
    for (let cn = first; cn < first + count; cn++)
      sets.push({
        ...iss.value,
        catalogNumber: String(cn),
        name: `OBJECT ${cn}`,
        epoch: normaliseJulian(t.jd, t.jdFrac),
      });
    return new TextEncoder().encode(formatTleText(sets, '3le'));
  };

  describe('PostgreSQL specifics', () => {
    it('imports from several sessions at once, with readers between them: every set once, one file once', async () => {
      const url = await running().createDatabase();
      const stores = await Promise.all([0, 1, 2, 3].map(() => openPostgresStore(url, { batchLines: 300 })));
      try {
        const [a, b, c, d] = stores as [
          (typeof stores)[0],
          (typeof stores)[0],
          (typeof stores)[0],
          (typeof stores)[0],
        ];
        // Overlapping objects in different orders of batches; one file twice; a reader all along.
        const same = catalog(1, 400, '2023-10-09T00:00:00Z');
        const reads: Promise<unknown>[] = [];
        const imports = Promise.all([
          a.importFile({ name: 'a', bytes: catalog(1, 600, '2023-10-09T12:00:00Z') }),
          b.importFile({ name: 'b', bytes: catalog(300, 600, '2023-10-09T12:00:00Z') }),
          c.importFile({ name: 'c1', bytes: same }),
          d.importFile({ name: 'c2', bytes: same }),
        ]);
        for (let k = 0; k < 5; k++) reads.push(d.asOf('2023-10-10T00:00:00Z'));
        const [ra, rb, rc1, rc2] = await imports;
        await Promise.all(reads);
        expect(ra!.inserted + rb!.inserted).toBe(899);
        expect(ra!.duplicates + rb!.duplicates).toBe(301);
        expect(ra!.newObjects + rb!.newObjects + rc1!.newObjects + rc2!.newObjects).toBe(899);
        expect([rc1!.alreadyImportedAs, rc2!.alreadyImportedAs].filter((x) => x !== null)).toHaveLength(1);
        expect(rc1!.inserted + rc2!.inserted).toBe(400);
        expect(await a.asOf('2023-10-10T00:00:00Z')).toHaveLength(899);
        expect((await a.history('350')).map((h) => h.epochUtc)).toEqual([
          '2023-10-09T00:00:00.000000Z',
          '2023-10-09T12:00:00.000000Z',
        ]);
      } finally {
        for (const s of stores) await s.close();
      }
    });

    it('close ends every connection, also when no migration ran', async () => {
      const url = await running().createDatabase();
      const name = new URL(url).pathname.slice(1);
      await (await openPostgresStore(url)).close();
      // The second open finds the schema current: all its queries go through the pool directly.
      const store = await openPostgresStore(url);
      await store.asOf('2023-10-10T00:00:00Z');
      await store.close();
      const sessions = async () =>
        Number(
          (await running().admin('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]))
            .rows[0].n,
        );
      // A backend leaves pg_stat_activity a moment after its client has gone.
      for (let k = 0; k < 50 && (await sessions()) > 0; k++) await new Promise((r) => setTimeout(r, 20));
      expect(await sessions()).toBe(0);
    });

    it('refuses an unreachable server with STORE_OPEN_FAILED', async () => {
      await expect(openPostgresStore(`${running().url('postgres')}_no_such_database`)).rejects.toMatchObject({
        code: 'STORE_OPEN_FAILED',
      });
    });
  });
}
