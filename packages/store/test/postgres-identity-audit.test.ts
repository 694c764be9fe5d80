/**
 * The identity and audit-log contracts (identity-contract.ts, audit-contract.ts) against the
 * PostgreSQL store, on a throwaway cluster started for this file (postgres-server.ts), a new
 * database per case. Without PostgreSQL binaries the file skips with the reason, unless CI is set:
 * in CI a missing server fails the run.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openPostgresStore } from '../src/postgres-store.js';
import { runIdentityContract } from './identity-contract.js';
import { isCi, type PostgresTestServer, postgresUnavailable, startPostgres } from './postgres-server.js';

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
  console.warn(`PostgreSQL identity and audit tests skipped: ${unavailable}`);
  describe.skip(`PostgreSQL identity and audit log (skipped: ${unavailable})`, () => {
    it('runs the identity and audit contracts on a real server', () => undefined);
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

  runIdentityContract('PostgreSQL', async (now) => {
    const url = await running().createDatabase();
    const store = await openPostgresStore(url, { now, maxConnections: 4 });
    const other = await openPostgresStore(url, { now, maxConnections: 4 });
    return {
      store,
      other,
      close: async () => {
        await other.close();
        await store.close();
      },
    };
  });
}
