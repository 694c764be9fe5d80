/**
 * Jobs on the Redis queue, between server instances that share one SQLite store file and one real
 * Redis (a throwaway redis-server on loopback): a job submitted to one instance is run by another,
 * its upload travels through Redis, progress and its end reach the submitter's subscribers;
 * cancellation of a waiting and of a running job; an instance that stops hands its running job
 * back and another instance runs it to its end, once; Redis killed and restarted while a job runs
 * (append-only file on) — the job ends 'succeeded' and the submitter hears of it; the restart
 * rule fails only records the queue no longer holds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobQueue } from '@hoshimi/queue';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCi, type RedisTestServer, redisUnavailable, startRedis } from '../../queue/test/redis-server.js';
import { buildServer, type JobRecord } from '../src/index.js';
import { authedInject, testCredentials } from './auth-fixture.js';
import { starlinkSubset } from './fixtures.js';

const CLOCK = '2023-10-10T00:00:00.000Z';
const now = () => new Date(CLOCK);
/** Short locks so a stopped instance's job is seen quickly (BullMQ renews at half of it). */
const LOCK_MS = 3000;

const unavailable = redisUnavailable();
if (unavailable !== null && !isCi()) console.warn(`queue job tests skipped: ${unavailable}`);

function ended(job: JobRecord | null): boolean {
  return job !== null && (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled');
}

/** Resolves with the job's final record as `app`'s subscribers see it. */
function finished(app: FastifyInstance, id: string): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const stop = app.jobs.subscribe(id, (job) => {
      if (ended(job)) {
        stop();
        resolve(job);
      }
    });
    app.jobs.get(id).then((job) => {
      if (job === null) reject(new Error(`no job ${id}`));
      else if (ended(job)) {
        stop();
        resolve(job);
      }
    }, reject);
  });
}

/** Resolves once `app` sees the job in a state `ok` accepts (polls the store and listens). */
async function until(app: FastifyInstance, id: string, ok: (j: JobRecord) => boolean, ms = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const j = await app.jobs.get(id);
    if (j !== null && ok(j)) return j;
    if (Date.now() - t0 > ms) throw new Error(`job ${id} still ${j?.state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(unavailable !== null && !isCi())('jobs on the Redis queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-jobs-queue-'));
  const path = join(dir, 'catalog.db');
  let redis: RedisTestServer;
  const stores: CatalogStore[] = [];
  const apps: FastifyInstance[] = [];

  /** A server instance on the shared store file and queue. */
  async function instance(takeJobs: boolean): Promise<FastifyInstance> {
    const store = await openSqliteStore(path, { mode: 'create' });
    stores.push(store);
    const queue = await JobQueue.open(redis.url, { lockDurationMs: LOCK_MS });
    const app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now, schedule: false, queue, takeJobs },
    });
    apps.push(app);
    return app;
  }

  let front: FastifyInstance;
  let back: FastifyInstance;
  let inject: ReturnType<typeof authedInject>;

  beforeAll(async () => {
    // Append-only, as a production Redis keeping a queue: the restart test needs the queue to survive.
    redis = await startRedis({ appendOnly: true });
    front = await instance(false);
    back = await instance(true);
    inject = authedInject(front, await testCredentials(front.store, { role: 'operator' }));
    const r = await inject({
      method: 'POST',
      url: '/jobs/import?name=starlink.3le&source=test',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(starlinkSubset(400, 3)),
    });
    expect(r.statusCode).toBe(202);
    const job = await finished(front, r.json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ read: 401, inserted: 401 });
  });
  afterAll(async () => {
    for (const a of apps) await a.close().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
    await redis?.stop();
  });

  /** A screening long enough to act on while it runs (seconds on one thread). */
  const LONG = { kind: 'screening', params: { asOf: CLOCK, days: 20, thresholdKm: 20, workers: 1 } };

  it('runs a job submitted to one instance on another; progress and the end reach the submitter', async () => {
    const seen: JobRecord[] = [];
    const r = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'screening', params: { asOf: CLOCK, days: 2, thresholdKm: 10, workers: 1 } },
    });
    expect(r.statusCode).toBe(202);
    const id = r.json().id as string;
    const stop = front.jobs.subscribe(id, (j) => seen.push(j));
    const job = await finished(front, id);
    stop();
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result?.['objects']).toBe(401);
    const screeningId = job.result?.['screeningId'] as number;
    expect((await front.store.listScreenings(10)).map((s) => s.id)).toContain(screeningId);
    // The front instance took no job: it heard the running state or progress through the queue.
    expect(seen.some((j) => j.state === 'running')).toBe(true);
    expect(seen.at(-1)?.state).toBe('succeeded');
  });

  it('cancels a waiting job at once and a running one at its next checkpoint', async () => {
    const long = (await inject({ method: 'POST', url: '/jobs', payload: LONG })).json().id as string;
    await until(front, long, (j) => j.state === 'running');
    // The only taking instance runs one job at a time: this one waits.
    const waiting = (await inject({ method: 'POST', url: '/jobs', payload: LONG })).json().id as string;
    const c1 = await inject({ method: 'POST', url: `/jobs/${waiting}/cancel` });
    expect(c1.statusCode).toBe(202);
    const w = await finished(front, waiting);
    expect(w.state).toBe('cancelled');
    expect(w.error).toMatchObject({ code: 'CANCELLED', message: 'cancelled before it started' });
    expect(w.startedAt).toBeNull();
    await inject({ method: 'POST', url: `/jobs/${long}/cancel` });
    const l = await finished(front, long);
    expect(l.state).toBe('cancelled');
    expect(l.error?.code).toBe('CANCELLED');
    expect(l.startedAt).not.toBeNull();
  });

  it('a stopping instance hands its running job back; another runs it to its end, once', async () => {
    const before = (await front.store.listScreenings(1000)).length;
    const id = (await inject({ method: 'POST', url: '/jobs', payload: LONG })).json().id as string;
    await until(front, id, (j) => j.state === 'running');
    await back.close();
    const handed = await front.store.getJob(id);
    expect(handed?.state).toBe('queued');
    expect(handed?.progressMessage).toMatch(/handed back/);
    back = await instance(true);
    const job = await finished(front, id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect((await front.store.listScreenings(1000)).length).toBe(before + 1);
  });

  it('a job running while Redis is killed and restarted ends, and the submitter hears of it', async () => {
    const before = (await front.store.listScreenings(1000)).length;
    const id = (await inject({ method: 'POST', url: '/jobs', payload: LONG })).json().id as string;
    const end = finished(front, id);
    await until(front, id, (j) => j.state === 'running');
    await redis.restart();
    const job = await end;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect((await front.store.listScreenings(1000)).length).toBe(before + 1);
    // The queue answers again: a new job runs.
    const next = (
      await inject({
        method: 'POST',
        url: '/jobs',
        payload: { kind: 'maneuvers', params: { catalogNumbers: ['25544'] } },
      })
    ).json().id as string;
    expect((await finished(front, next)).state).toBe('succeeded');
  });

  it('on start, fails only the records the queue no longer holds', async () => {
    const store = front.store;
    await store.saveJob({
      id: 'lost-job',
      kind: 'screening',
      params: {},
      state: 'running',
      progressFraction: 0.3,
      progressMessage: 'block 3 of 10',
      requestedBy: 'api',
      createdAt: CLOCK,
      startedAt: CLOCK,
      finishedAt: null,
      result: null,
      error: null,
    });
    const waiting = await instance(false);
    const kept = (await inject({ method: 'POST', url: '/jobs', payload: LONG })).json().id as string;
    const lost = await waiting.jobs.get('lost-job');
    // buildServer ran recover() before `kept` existed; a new one runs it again now.
    const again = await instance(false);
    expect(lost?.state).toBe('failed');
    expect(lost?.error?.code).toBe('SERVER_RESTARTED');
    expect((await again.jobs.get(kept))?.state).not.toBe('failed');
    await inject({ method: 'POST', url: `/jobs/${kept}/cancel` });
    expect((await finished(front, kept)).state).toBe('cancelled');
  });
});
