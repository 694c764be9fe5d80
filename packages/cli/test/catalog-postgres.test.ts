/**
 * The `hoshimi` command on the PostgreSQL store, end to end: the real command in a child process, a
 * throwaway PostgreSQL cluster on loopback (the store's test harness, postgres-server.ts) and a
 * SQLite file side by side. The same reference files imported into both give the same import
 * report, listing, object, history, diff, export, propagation, maneuver table and screening, whether
 * the URL comes from --db or $HOSHIMI_DB. The commands that need what only the SQLite store holds
 * (serve with the exchange listener, exchange, case, od --db) refuse a PostgreSQL URL with one
 * clear line before doing anything; those runs need no server (serve-postgres.test.ts serves the
 * API, identity and audit commands on PostgreSQL). Without PostgreSQL binaries the server
 * part skips with the reason, unless CI is set: in CI it runs, and fails.
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
import { type CliRun, DATA, runHoshimi } from './harness.js';

/** Kosmos 1408 and its debris, 105 objects of 2021-11-17..30 (README: fragmentation/). */
const KOSMOS = join(DATA, 'fragmentation/kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt');
/** SPOT-5 (27421), 250 element sets of 2002-05-04..06-24 with its orbit raising (README: history/). */
const SPOT5 = join(DATA, 'history/orekit/spot-5.tle');
const AS_OF = '2021-12-01T00:00:00Z';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-pgcli-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `hoshimi`, $HOSHIMI_DB set to `envDb` (or unset). */
function run(args: readonly string[], envDb?: string): CliRun {
  const env = { ...process.env };
  delete env['HOSHIMI_DB'];
  if (envDb !== undefined) env['HOSHIMI_DB'] = envDb;
  return runHoshimi(args, { env });
}

describe('commands that need the SQLite store', () => {
  // Nothing listens on port 1: a command that tried to connect would fail differently.
  const URL = 'postgres://hoshimi:not-for-print@127.0.0.1:1/catalog';
  const refused: { args: string[]; env?: boolean }[] = [
    { args: ['serve', '--db', URL, '--exchange-port', '0'] },
    { args: ['serve', '--exchange-port', '0'], env: true },
    { args: ['exchange', 'partner', 'list', '--db', URL] },
    { args: ['case', 'list'], env: true },
    { args: ['od', '--db', URL] },
  ];

  it.each(refused)('$args.0 $args.1 refuses a PostgreSQL URL, naming the command', ({ args, env }) => {
    const r = run(args, env === true ? URL : undefined);
    const what = args.join(' ');
    expect(r.status, what).toBe(2);
    expect(r.stderr, what).toContain('[STORE_NEEDS_SQLITE]');
    expect(r.stderr, what).toContain('needs the SQLite store for now');
    expect(r.stderr, what).toContain('postgres://hoshimi:***@127.0.0.1:1/catalog');
    expect(r.stderr, what).not.toContain('not-for-print');
    expect(r.stderr, what).not.toContain('    at ');
    expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
  });

  it('a server that cannot be reached is STORE_OPEN_FAILED, without the password or a stack trace', () => {
    for (const args of [
      ['catalog', 'list', '--db', URL],
      ['propagate', '--db', URL, '--as-of', AS_OF, '--minutes', '0:10:10'],
      ['org', 'list', '--db', URL],
      ['audit', 'verify', '--db', URL],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('[STORE_OPEN_FAILED]');
      expect(r.stderr, args.join(' ')).not.toContain('not-for-print');
      expect(r.stderr, args.join(' ')).not.toContain('    at ');
    }
  });
});

const unavailable = postgresUnavailable();

if (unavailable !== null && !isCi()) {
  // Said once on stderr too: the default reporter counts skipped tests without naming them.
  console.warn(`CLI on PostgreSQL tests skipped: ${unavailable}`);
  describe.skip(`the CLI on PostgreSQL (skipped: ${unavailable})`, () => {
    it('gives the same results as on SQLite', () => undefined);
  });
} else {
  describe('the CLI on PostgreSQL gives what it gives on SQLite', () => {
    let server: PostgresTestServer | undefined;
    let pgUrl = '';
    const sqlite = join(dir, 'catalog.db');
    beforeAll(async () => {
      server = await startPostgres();
      pgUrl = await server.createDatabase();
    });
    afterAll(async () => {
      await server?.stop();
    });

    /** The run on each store, every mention of the store replaced by DB. */
    const both = (args: readonly string[]): { pg: CliRun; sqlite: CliRun } => {
      const on = (db: string): CliRun => {
        const r = run([...args, '--db', db]);
        const name = db.replaceAll('\\', '\\\\');
        return { ...r, stdout: r.stdout.replaceAll(name, 'DB'), stderr: r.stderr.replaceAll(name, 'DB') };
      };
      return { pg: on(pgUrl), sqlite: on(sqlite) };
    };

    /** Runs on both stores, expects success and the same stdout (and stderr unless told). */
    const same = (args: readonly string[], options: { stderr?: boolean } = {}): string => {
      const r = both(args);
      const what = args.join(' ');
      expect(r.sqlite.status, `${what} (SQLite): ${r.sqlite.stderr}`).toBe(0);
      expect(r.pg.status, `${what} (PostgreSQL): ${r.pg.stderr}`).toBe(0);
      expect(r.pg.stdout, what).toBe(r.sqlite.stdout);
      if (options.stderr !== false) expect(r.pg.stderr, what).toBe(r.sqlite.stderr);
      return r.pg.stdout;
    };

    it('imports the same files with the same report', () => {
      same(['catalog', 'import', KOSMOS, SPOT5]);
      // A second import of the same file adds nothing, on both.
      const again = both(['catalog', 'import', KOSMOS]);
      expect(again.pg.stderr).toBe(again.sqlite.stderr);
      expect(again.pg.stderr).toContain('already imported');
    });

    it('lists, shows, diffs and exports the same catalog', () => {
      const list = JSON.parse(same(['catalog', 'list', '--as-of', AS_OF, '--json'])) as unknown[];
      expect(list.length).toBe(106);
      same(['catalog', 'list', '--as-of', AS_OF, '--type', 'debris']);
      const shown = JSON.parse(same(['catalog', 'show', '13552', '--as-of', AS_OF, '--json'])) as object;
      expect(JSON.stringify(shown)).toContain('13552');
      same(['catalog', 'show', '27421', '--as-of', AS_OF]);
      const history = JSON.parse(same(['catalog', 'history', '27421', '--json'])) as unknown[];
      expect(history.length).toBe(250);
      same(['catalog', 'diff', '--from', '2021-11-20T00:00:00Z', '--to', AS_OF, '--json']);
      const exported = same(['catalog', 'export', '--as-of', AS_OF, '--format', '3le']);
      expect(exported.split('\n').filter((l) => l.startsWith('1 ')).length).toBe(106);
      same(['catalog', 'export', '--as-of', AS_OF, '--format', 'omm-json']);
    });

    it('the ingest log lists the same imports', () => {
      const r = both(['catalog', 'log', '--json']);
      expect(r.pg.status, r.pg.stderr).toBe(0);
      type Entry = { name: string; status: string; inserted: number; duplicates: number };
      const pick = (text: string) =>
        (JSON.parse(text) as Entry[]).map(({ name, status, inserted, duplicates }) => ({
          name,
          status,
          inserted,
          duplicates,
        }));
      expect(pick(r.pg.stdout)).toEqual(pick(r.sqlite.stdout));
      expect(pick(r.pg.stdout).length).toBeGreaterThanOrEqual(2);
    });

    it('takes the URL from $HOSHIMI_DB', () => {
      const fromEnv = run(['catalog', 'list', '--as-of', AS_OF, '--json'], pgUrl);
      const fromFlag = run(['catalog', 'list', '--as-of', AS_OF, '--json', '--db', pgUrl]);
      expect(fromEnv.status, fromEnv.stderr).toBe(0);
      expect(fromEnv.stdout).toBe(fromFlag.stdout);
    });

    it('propagates, detects maneuvers and screens from the store', () => {
      // stderr ends with the run's duration: only stdout is compared.
      const eph = same(['propagate', '--as-of', AS_OF, '--minutes', '0:60:30'], { stderr: false });
      expect(eph.trim().split('\n').length).toBeGreaterThan(3 * 106);
      same(['maneuvers', '--id', '27421', '--json']);
      const r = both(['screen', '--as-of', AS_OF, '--days', '1', '--workers', '1']);
      expect(r.sqlite.status, r.sqlite.stderr).toBe(0);
      expect(r.pg.status, r.pg.stderr).toBe(0);
      expect(r.pg.stdout).toBe(r.sqlite.stdout);
      expect(r.pg.stdout.trim().split('\n').length).toBeGreaterThan(1);
      expect(r.pg.stderr).toContain('stored as screening 1 in DB');
      expect(r.sqlite.stderr).toContain('stored as screening 1 in DB');
    });
  });
}
