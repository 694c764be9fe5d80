/**
 * `hoshimi serve --queue`: real server processes sharing one SQLite store and one real Redis, with
 * one `hoshimi worker` process screening the units of their screening jobs. A
 * job accepted by a server that runs no jobs (`--queue-jobs 0`) is taken by another; that server
 * is killed with SIGKILL in the middle of the job; a third server, started afterwards, takes the
 * job again once the dead one's lock lapses and runs it to its end: one screening stored, the job
 * 'succeeded'. A server stopped with SIGTERM hands its running job back when the shutdown grace
 * is over (the record says 'queued' again) and exits 0. Bad queue arguments and an unreachable Redis are refused before serving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCi, type RedisTestServer, redisUnavailable, startRedis } from '../../queue/test/redis-server.js';
import { testCredentials } from '../../server/test/auth-fixture.js';
import { starlinkSubset } from '../../server/test/fixtures.js';
import { BIN, hoshimi } from './harness.js';

const CLOCK = '2023-10-10T00:00:00.000Z';
/** Lock of a taken job, s: a killed server's job is taken again this long after its last renewal. */
const LOCK_S = 2;
/** A screening of the subset that runs for seconds (its units on the test's `hoshimi worker`). */
const LONG_JOB = { kind: 'screening', params: { asOf: CLOCK, days: 6, thresholdKm: 20, workers: 1 } };

const unavailable = redisUnavailable();
if (unavailable !== null && !isCi()) console.warn(`serve --queue tests skipped: ${unavailable}`);

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
}

describe.skipIf(unavailable !== null && !isCi())('hoshimi serve --queue', () => {
  let dir: string;
  let db: string;
  let redis: RedisTestServer;
  let token: string;
  const children = new Set<ChildProcess>();

  async function serve(...extra: string[]): Promise<Served> {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--quiet', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Hoshimi API on (http:\/\/[^\s]+)/.exec(out);
        if (m !== null) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}: ${err}`)));
    });
    return { child, url, stderr: () => err };
  }

  async function api(base: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
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

  async function until(base: string, id: string, ok: (j: Record<string, unknown>) => boolean, ms: number) {
    const t0 = Date.now();
    for (;;) {
      const j = await api(base, `/jobs/${id}`);
      if (ok(j)) return j;
      if (Date.now() - t0 > ms) throw new Error(`job ${id} still ${String(j['state'])} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshimi-serve-queue-'));
    db = join(dir, 'catalog.db');
    const file = join(dir, 'starlink.3le');
    writeFileSync(file, starlinkSubset(400, 3));
    const imported = hoshimi('catalog', 'import', file, '--db', db);
    expect(imported.status, imported.stderr).toBe(0);
    const store = await openSqliteStore(db);
    token = (await testCredentials(store, { role: 'operator' })).token;
    await store.close();
    redis = await startRedis();
    // With a queue, screening jobs are split into units that worker processes screen.
    const worker = spawn(process.execPath, [BIN, 'worker', '--queue', redis.url, '--quiet'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(worker);
    worker.once('exit', () => children.delete(worker));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await redis?.stop();
  });

  it('a job survives the SIGKILL of the server running it: another server runs it to its end, once', async () => {
    const front = await serve('--queue', redis.url, '--queue-jobs', '0');
    const doomed = await serve('--queue', redis.url, '--queue-lock-seconds', String(LOCK_S));
    const job = await api(front.url, '/jobs', LONG_JOB);
    const id = job['id'] as string;
    expect(job['state']).toBe('queued');
    await until(front.url, id, (j) => j['state'] === 'running', 60_000);
    doomed.child.kill('SIGKILL');
    await exited(doomed.child);
    const rescuer = await serve('--queue', redis.url, '--queue-lock-seconds', String(LOCK_S));
    const done = await until(
      front.url,
      id,
      (j) => j['state'] === 'succeeded' || j['state'] === 'failed' || j['state'] === 'cancelled',
      180_000,
    );
    expect(done['state'], JSON.stringify(done['error'])).toBe('succeeded');
    const screenings = await api(front.url, '/screenings');
    const items = (screenings['items'] ?? []) as unknown[];
    expect(items).toHaveLength(1);
    rescuer.child.kill('SIGTERM');
    expect(await exited(rescuer.child)).toBe(0);
    front.child.kill('SIGTERM');
    expect(await exited(front.child)).toBe(0);
  });

  it('SIGTERM hands the running job back to the queue once the shutdown grace is over, and exits 0', async () => {
    const worker = await serve('--queue', redis.url, '--shutdown-grace', '0');
    const id = (await api(worker.url, '/jobs', LONG_JOB))['id'] as string;
    await until(worker.url, id, (j) => j['state'] === 'running', 60_000);
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child), worker.stderr()).toBe(0);
    const store = await openSqliteStore(db);
    const rec = await store.getJob(id);
    await store.close();
    expect(rec?.state).toBe('queued');
    expect(rec?.progressMessage).toMatch(/handed back/);
    // Another server takes it and can cancel it.
    const next = await serve('--queue', redis.url);
    await until(next.url, id, (j) => j['state'] === 'running', 60_000);
    await api(next.url, `/jobs/${id}/cancel`, {});
    const end = await until(next.url, id, (j) => j['state'] !== 'running', 60_000);
    expect(end['state']).toBe('cancelled');
    next.child.kill('SIGTERM');
    expect(await exited(next.child)).toBe(0);
  });

  it('refuses bad queue arguments and an unreachable Redis before serving', () => {
    const cases: [string[], RegExp][] = [
      [['--queue', 'http://127.0.0.1:6379'], /\[QUEUE_BAD_URL\].*redis:\/\//],
      [['--queue', 'redis://127.0.0.1:1'], /\[QUEUE_UNREACHABLE\].*redis:\/\/127\.0\.0\.1:1/],
      [['--queue', 'redis://u:hunter2@127.0.0.1:1'], /\*\*\*/],
      [['--queue-jobs', '2'], /--queue-jobs goes with --queue/],
      [['--queue', redis.url, '--queue-jobs', '-1'], /--queue-jobs: expected an integer/],
      [['--queue', redis.url, '--queue-lock-seconds', '0'], /--queue-lock-seconds: expected/],
    ];
    for (const [args, message] of cases) {
      const r = hoshimi('serve', '--db', db, '--port', '0', '--quiet', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toContain('hunter2');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
