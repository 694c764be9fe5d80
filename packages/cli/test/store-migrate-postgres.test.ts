/**
 * `hoshimi store migrate`, end to end: the real command in a child process copies a SQLite file
 * built by `hoshimi catalog import` into a new database of a throwaway PostgreSQL cluster (the
 * store's test harness, postgres-server.ts), prints every table's counts and the verification, and
 * the PostgreSQL store then lists what the SQLite file lists; a second copy into the same database
 * is refused. Without PostgreSQL binaries the file skips with the reason, unless CI is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isCi,
  type PostgresTestServer,
  postgresUnavailable,
  startPostgres,
} from '../../store/test/postgres-server.js';
import { DATA, runHoshimi } from './harness.js';

/** Kosmos 1408 and its debris, 105 objects of 2021-11-17..30 (README: fragmentation/). */
const KOSMOS = join(DATA, 'fragmentation/kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt');
/** SPOT-5 (27421), 250 element sets of 2002-05-04..06-24 (README: history/). */
const SPOT5 = join(DATA, 'history/orekit/spot-5.tle');

const run = (args: readonly string[]) => {
  const env = { ...process.env };
  delete env['HOSHIMI_DB'];
  return runHoshimi(args, { env });
};

describe('store migrate arguments', () => {
  it('needs --from FILE and --to URL', () => {
    const r = run(['store', 'migrate', '--from', 'x.db']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--to URL');
    const bad = run(['store', 'migrate', '--from', 'x.db', '--to', 'y.db']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--to: expected a postgres:// or postgresql:// URL');
  });
});

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
  console.warn(`store migrate CLI tests skipped: ${unavailable}`);
  describe.skip(`store migrate on PostgreSQL (skipped: ${unavailable})`, () => {
    it('copies a SQLite store into PostgreSQL', () => undefined);
  });
} else {
  describe('store migrate on PostgreSQL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-migrate-cli-'));
    const sqlite = join(dir, 'catalog.db');
    let server: PostgresTestServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('copies, verifies and prints each table; the copy lists the same; a second copy is refused', async () => {
      if (server === undefined) throw new Error('the PostgreSQL test server did not start');
      const url = await server.createDatabase();
      expect(run(['catalog', 'import', KOSMOS, SPOT5, '--db', sqlite]).status).toBe(0);

      const r = run(['store', 'migrate', '--from', sqlite, '--to', url]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^element_sets\s+355\s+355\s+yes$/m);
      expect(r.stdout).toMatch(/^audit_log\s+(\d+)\s+\1\s+yes$/m);
      expect(r.stdout).toMatch(/^verified: \d+ tables, \d+ rows copied from .* committed$/m);
      expect(r.stdout).not.toContain(' NO ');

      const list = (db: string) => run(['catalog', 'list', '--db', db]);
      const fromSqlite = list(sqlite);
      expect(fromSqlite.status).toBe(0);
      expect(list(url).stdout).toBe(fromSqlite.stdout);

      const again = run(['store', 'migrate', '--from', sqlite, '--to', url]);
      expect(again.status).not.toBe(0);
      expect(again.stderr).toContain('[STORE_MIGRATE_TARGET_NOT_EMPTY]');
      expect(again.stderr).not.toContain('    at ');
    });
  });
}
