/**
 * The identity, audit-log and orbit-determination contracts (identity-contract.ts,
 * audit-contract.ts, orbit-determination-contract.ts) against the PostgreSQL store, on a throwaway cluster started for this file (postgres-server.ts), a new
 * database per case. Without PostgreSQL binaries the file skips with the reason, unless CI is set:
 * in CI a missing server fails the run.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/postgres-store.js';
import { type AuditTestDatabase, runAuditLogContract, STORE_DIST } from './audit-contract.js';
import { runIdentityContract } from './identity-contract.js';
import { runOrbitDeterminationContract } from './orbit-determination-contract.js';
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

  /** Runs statements (no parameters: several may be given) on a connection of its own. */
  const raw = async (url: string, text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };

  let copies = 0;
  const postgresDatabase = (url: string): AuditTestDatabase => ({
    open: async (options = {}) =>
      openPostgresStore(url, {
        maxConnections: 4,
        ...(options.auditCheckpoints === undefined ? {} : { auditCheckpoints: options.auditCheckpoints }),
      }),
    sql: (text) => raw(url, text),
    dropTriggers: () =>
      raw(
        url,
        ['update', 'delete', 'truncate']
          .map((op) => `DROP TRIGGER audit_log_no_${op} ON audit_log`)
          .concat('DROP TRIGGER audit_log_extends_head ON audit_log')
          .join('; '),
      ),
    copy: async () => {
      const from = new URL(url).pathname.slice(1);
      const name = `${from}_copy_${++copies}`;
      // A closed store's backends leave a moment after their connections close; the template
      // must have none.
      for (let attempt = 1; ; attempt++) {
        try {
          await running().admin(`CREATE DATABASE ${name} TEMPLATE ${from}`);
          break;
        } catch (e) {
          if (attempt >= 100 || !/being accessed by other users/.test((e as Error).message)) throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      return postgresDatabase(running().url(name));
    },
    childOpen: () => `
      const { openPostgresStore } = await import(${JSON.stringify(STORE_DIST)});
      const s = await openPostgresStore(${JSON.stringify(url)}, { maxConnections: 2 });`,
  });

  runAuditLogContract('PostgreSQL', async () => postgresDatabase(await running().createDatabase()));

  runOrbitDeterminationContract('PostgreSQL', async () =>
    openPostgresStore(await running().createDatabase(), { maxConnections: 4 }),
  );

  describe('PostgreSQL audit log specifics', () => {
    it('four pools appending at once, each with audited writes between: one chain, nothing lost', async () => {
      const url = await running().createDatabase();
      const stores = await Promise.all([0, 1, 2, 3].map(() => openPostgresStore(url, { maxConnections: 3 })));
      const per = 60;
      try {
        await Promise.all(
          stores.map(async (s, k) => {
            const appends: Promise<unknown>[] = [];
            for (let i = 0; i < per; i++) {
              appends.push(
                s.audit.append({
                  action: `test.${k}`,
                  target: String(i),
                  outcome: 'allowed',
                  status: null,
                  details: {},
                }),
              );
              if (i % 20 === 0)
                await s.saveWatchList({
                  name: `w${k}-${i}`,
                  assets: ['25544'],
                  schedule: null,
                  thresholds: { maxMissKm: 5, minPc: null },
                  webhookUrl: null,
                  enabled: true,
                });
            }
            await Promise.all(appends);
          }),
        );
        const report = await stores[0]!.audit.verify();
        // per appends and 3 audited watch-list saves per store.
        expect(report).toMatchObject({ ok: true, checked: 4 * (per + 3) });
        const records = await stores[1]!.audit.list({ fromSeq: 1, limit: 10_000 });
        for (let k = 0; k < 4; k++) {
          expect(records.filter((r) => r.action === `test.${k}`).map((r) => Number(r.target))).toEqual(
            Array.from({ length: per }, (_, i) => i),
          );
        }
      } finally {
        for (const s of stores) await s.close();
      }
    });
  });
}
