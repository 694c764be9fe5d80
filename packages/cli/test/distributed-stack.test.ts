/**
 * The whole distributed set-up of an operations centre, as the README starts it by hand, with real
 * parts only: a throwaway PostgreSQL cluster (the store), a throwaway redis-server (the queue),
 * two `hoshimi worker` processes, and two `hoshimi serve --db postgres://… --queue redis://…`
 * processes — one that only accepts jobs (`--queue-jobs 0`), one that runs them. The catalog is
 * imported with the CLI into PostgreSQL and an API token made with it. A screening job submitted
 * to the first server is run by the second, its units screened by the workers; the conjunctions it
 * stores equal those of the same job run in process by a plain `hoshimi serve` on a SQLite file
 * with the same catalog. Without the PostgreSQL binaries or redis-server the file skips with the
 * reason, unless CI is set: in CI it runs, and fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, redisUnavailable, startRedis } from '../../queue/test/redis-server.js';
import { starlinkSubset } from '../../server/test/fixtures.js';
import {
  isCi,
  type PostgresTestServer,
  postgresUnavailable,
  startPostgres,
} from '../../store/test/postgres-server.js';
import { BIN, runHoshimi } from './harness.js';

const unavailable = postgresUnavailable() ?? redisUnavailable();
if (unavailable !== null && !isCi()) console.warn(`distributed stack test skipped: ${unavailable}`);

const CLOCK = '2023-10-10T00:00:00.000Z';
const JOB = { kind: 'screening', params: { asOf: CLOCK, days: 2, thresholdKm: 10, workers: 1 } };
/** Miss distances of the two runs agree to this, km (units start their knots afresh: ≈1e-11 km). */
const MISS_TOL_KM = 1e-6;

interface Conj {
  readonly id1: string;
  readonly id2: string;
  readonly tcaUtc: string;
  readonly missKm: number;
}

describe.skipIf(unavailable !== null && !isCi())(
  'an operations centre on PostgreSQL, Redis and workers',
  () => {
    const children = new Set<ChildProcess>();
    let pg: PostgresTestServer;
    let redis: RedisTestServer;
    let dir: string;

    function ok(args: string[], env: NodeJS.ProcessEnv = process.env): string {
      const r = runHoshimi(args, { env });
      if (r.status !== 0) throw new Error(`hoshimi ${args.join(' ')} → ${r.status}: ${r.stderr}`);
      return r.stdout;
    }

    function start(args: string[], banner?: RegExp): Promise<{ child: ChildProcess; url: string }> {
      const env = { ...process.env };
      delete env['HOSHIMI_DB'];
      delete env['HOSHIMI_QUEUE'];
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
      children.add(child);
      child.once('exit', () => children.delete(child));
      let err = '';
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      if (banner === undefined) return Promise.resolve({ child, url: '' });
      return new Promise((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const m = banner.exec(out);
          if (m !== null) resolve({ child, url: m[1]! });
        });
        child.once('exit', (code) => reject(new Error(`hoshimi ${args[0]} exited with ${code}: ${err}`)));
      });
    }

    const serve = (...args: string[]) =>
      start(['serve', '--port', '0', '--quiet', ...args], /Hoshimi API on (http:\/\/[^\s]+)/);

    /** An organisation, an operator and a token in the store at `db`; returns the token. */
    function credentials(db: string): string {
      ok(['org', 'add', 'OPS', '--nation', 'USA', '--name', 'Operations centre', '--db', db]);
      ok(
        [
          'user',
          'add',
          'analyst',
          '--org',
          'OPS',
          '--role',
          'operator',
          '--clearance',
          'SECRET',
          '--password-env',
          'PW',
          '--db',
          db,
        ],
        { ...process.env, PW: 'a long enough passphrase for the test' },
      );
      return ok(['token', 'create', '--user', 'analyst', '--scopes', 'read,write', '--db', db]).trim();
    }

    async function api(
      base: string,
      token: string,
      path: string,
      body?: unknown,
    ): Promise<Record<string, unknown>> {
      const r = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await r.json()) as Record<string, unknown>;
    }

    /** Submits the job, waits for its end, and returns its stored conjunctions (every page). */
    async function screen(
      base: string,
      token: string,
    ): Promise<{ job: Record<string, unknown>; list: Conj[] }> {
      const id = (await api(base, token, '/jobs', JOB))['id'] as string;
      const t0 = Date.now();
      let job: Record<string, unknown>;
      for (;;) {
        job = await api(base, token, `/jobs/${id}`);
        if (['succeeded', 'failed', 'cancelled'].includes(job['state'] as string)) break;
        if (Date.now() - t0 > 240_000) throw new Error(`job ${id} still ${String(job['state'])}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const list: Conj[] = [];
      const sid = (job['result'] as Record<string, unknown> | null)?.['screeningId'];
      for (let offset = 0; sid !== undefined; offset += 1000) {
        const page = await api(base, token, `/conjunctions?screeningId=${sid}&limit=1000&offset=${offset}`);
        const items = page['items'] as Conj[];
        list.push(...items);
        if (items.length < 1000) break;
      }
      return { job, list };
    }

    beforeAll(async () => {
      pg = await startPostgres();
      redis = await startRedis({ appendOnly: true });
      dir = mkdtempSync(join(tmpdir(), 'hoshimi-stack-'));
    });
    afterAll(async () => {
      for (const c of children) c.kill('SIGKILL');
      await redis?.stop();
      await pg?.stop();
    });

    it('a screening job accepted by one server, run by another, screened by two workers, equals the in-process one', async () => {
      const file = join(dir, 'starlink.3le');
      writeFileSync(file, starlinkSubset(500, 3));
      // The operations centre: PostgreSQL store, Redis queue, two workers, a front and a back server.
      const url = await pg.createDatabase();
      ok(['catalog', 'import', file, '--db', url]);
      const token = credentials(url);
      await start(['worker', '--queue', redis.url, '--quiet']);
      await start(['worker', '--queue', redis.url, '--quiet']);
      const front = await serve('--db', url, '--queue', redis.url, '--queue-jobs', '0');
      await serve('--db', url, '--queue', redis.url);
      const distributed = await screen(front.url, token);
      expect(distributed.job['state'], JSON.stringify(distributed.job['error'])).toBe('succeeded');
      // One machine: the same catalog in a SQLite file, the job in process.
      const db = join(dir, 'single.db');
      ok(['catalog', 'import', file, '--db', db]);
      const single = await serve('--db', db);
      const local = await screen(single.url, credentials(db));
      expect(local.job['state']).toBe('succeeded');
      expect(distributed.job['result']).toMatchObject({
        objects: (local.job['result'] as Record<string, unknown>)['objects'],
        conjunctions: local.list.length,
      });
      expect(local.list.length).toBeGreaterThan(0);
      expect(distributed.list.length).toBe(local.list.length);
      distributed.list.forEach((c, i) => {
        const l = local.list[i]!;
        expect([c.id1, c.id2, c.tcaUtc]).toEqual([l.id1, l.id2, l.tcaUtc]);
        expect(Math.abs(c.missKm - l.missKm)).toBeLessThan(MISS_TOL_KM);
      });
    });
  },
);
