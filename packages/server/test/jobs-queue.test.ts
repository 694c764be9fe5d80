/**
 * Screening jobs of the server on the Redis queue (`screeningQueue`, `hoshimi serve --queue`): a
 * real redis-server (packages/queue/test/redis-server.ts) and two real `hoshimi worker` processes.
 * The job stores the conjunctions the in-process job stores, and a cancelled job ends 'cancelled'
 * with nothing of its screening left in Redis. Without redis-server the file skips with the
 * reason, unless CI is set: in CI it fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCi, type RedisTestServer, redisUnavailable, startRedis } from '../../queue/test/redis-server.js';
import { buildServer, type JobRecord } from '../src/index.js';
import { starlinkSubset } from './fixtures.js';

const CLOCK = '2023-10-10T00:00:00.000Z';
const CLI = resolve(import.meta.dirname, '../../cli/bin/hoshimi.js');
/** Units and threads refine the same minima from nearly the same first guesses (see screenParallel's test). */
const SAME_TCA_MS = 1;
const SAME_MISS_KM = 1e-8;

async function finished(app: FastifyInstance, id: string): Promise<JobRecord> {
  for (;;) {
    const job = await app.jobs.get(id);
    if (job === null) throw new Error(`no job ${id}`);
    if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function screen(store: CatalogStore, queue: string | undefined, params: Record<string, unknown>) {
  const app = await buildServer({
    store,
    storeLabel: 'test',
    jobs: {
      now: () => new Date(CLOCK),
      schedule: false,
      ...(queue === undefined ? {} : { screeningQueue: queue }),
    },
  });
  try {
    const job = await finished(app, (await app.jobs.submit({ kind: 'screening', params })).id);
    expect(job.error).toBeNull();
    const stored = await store.conjunctions({ screeningId: job.result?.['screeningId'] as number });
    return stored?.conjunctions ?? [];
  } finally {
    await app.close();
  }
}

const unavailable = redisUnavailable();

if (unavailable !== null && !isCi()) {
  console.warn(`queued screening job tests skipped: ${unavailable}`);
  describe.skip(`screening jobs on the queue (skipped: ${unavailable})`, () => {
    it('runs a screening job on worker processes', () => undefined);
  });
} else {
  describe('screening jobs on the queue', () => {
    let store: CatalogStore;
    let redis: RedisTestServer;
    let workers: ChildProcess[] = [];

    beforeAll(async () => {
      store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hoshimi-jobs-queue-')), 'catalog.db'), {
        mode: 'create',
      });
      await store.importFile({ name: 'starlink.3le', bytes: Buffer.from(starlinkSubset(600, 3)) });
      redis = await startRedis();
      workers = [0, 1].map(() =>
        spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--quiet'], { stdio: 'ignore' }),
      );
    });
    afterAll(async () => {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((r) => {
              w.once('exit', r);
              w.kill('SIGTERM');
            }),
        ),
      );
      await redis?.stop();
      await store?.close();
    });

    it('stores the conjunctions of the in-process job', async () => {
      const params = { days: 1, thresholdKm: 10 };
      const local = await screen(store, undefined, params);
      const queued = await screen(store, redis.url, params);
      expect(local.length).toBeGreaterThan(10);
      expect(queued.length).toBe(local.length);
      for (let k = 0; k < local.length; k++) {
        const a = local[k]!;
        const b = queued[k]!;
        expect([b.id1, b.id2]).toEqual([a.id1, a.id2]);
        expect(Math.abs(Date.parse(b.tcaUtc) - Date.parse(a.tcaUtc))).toBeLessThanOrEqual(SAME_TCA_MS);
        expect(Math.abs(b.missKm - a.missKm)).toBeLessThan(SAME_MISS_KM);
      }
    });

    it('cancels a running job: state cancelled, the screening gone from Redis', async () => {
      const app = await buildServer({
        store,
        storeLabel: 'test',
        jobs: { now: () => new Date(CLOCK), schedule: false, screeningQueue: redis.url },
      });
      try {
        const job = await app.jobs.submit({ kind: 'screening', params: { days: 30, thresholdKm: 10 } });
        for (;;) {
          const j = await app.jobs.get(job.id);
          if ((j?.progress.fraction ?? 0) > 0.1) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await app.jobs.cancel(job.id);
        const end = await finished(app, job.id);
        expect(end.state).toBe('cancelled');
        const client = new Redis(redis.url);
        try {
          // Only expiring cancel flags may remain (units already stopped remove theirs at once).
          const left = await client.keys('hoshimi:screening:*');
          expect(left.filter((k) => !k.endsWith(':cancel'))).toEqual([]);
          expect(await client.llen('hoshimi:screening-units:wait')).toBe(0);
        } finally {
          client.disconnect();
        }
      } finally {
        await app.close();
      }
    });
  });
}
