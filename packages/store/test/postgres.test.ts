/**
 * The CatalogStore contract against the PostgreSQL store, on a real server: a throwaway cluster
 * started on loopback for this file (postgres-server.ts), a new database for every store the suite
 * opens. Without PostgreSQL binaries the file skips with the reason, unless CI is set: in CI a
 * missing server fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { openPostgresStore } from '../src/postgres-store.js';
import { type ContractStoreConfig, runCatalogStoreContract } from './contract.js';
import { isCi, type PostgresTestServer, postgresUnavailable, startPostgres } from './postgres-server.js';

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
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

  describe('PostgreSQL specifics', () => {
    it('refuses an unreachable server with STORE_OPEN_FAILED', async () => {
      await expect(openPostgresStore(`${running().url('postgres')}_no_such_database`)).rejects.toMatchObject({
        code: 'STORE_OPEN_FAILED',
      });
    });
  });
}
