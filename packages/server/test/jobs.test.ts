/**
 * Background jobs on a real SQLite store with real data: imports (upload and path), a screening
 * followed over Server-Sent Events from a real server on loopback, cancellation, the queue, the
 * maneuver and RPO detectors, parameter validation, and the restart rule (a job left running by a
 * dead server is marked failed when a new server opens the store).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPO_DETECTOR } from '@hoshimi/astro';
import { parseHbrTable } from '@hoshimi/astro/conjunction';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type JobRecord } from '../src/index.js';
import { authedInject, type TestCredentials, testCredentials } from './auth-fixture.js';
import { cryosatHistory, readSse, starlinkSubset } from './fixtures.js';

/** The catalog's own day: its element sets are at most a few days old then. */
const CLOCK = '2023-10-10T00:00:00.000Z';

async function finished(app: FastifyInstance, id: string): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const stop = app.jobs.subscribe(id, (job) => {
      if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') {
        stop();
        resolve(job);
      }
    });
    app.jobs.get(id).then((job) => {
      if (job === null) reject(new Error(`no job ${id}`));
      else if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') {
        stop();
        resolve(job);
      }
    }, reject);
  });
}

describe('jobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-jobs-'));
  const path = join(dir, 'catalog.db');
  const imports = join(dir, 'imports');
  let store: CatalogStore;
  let app: FastifyInstance;
  let base: string;
  let operator: TestCredentials;
  let inject: ReturnType<typeof authedInject>;
  // An HBR table in CARA's format giving every object of the subset 3.5 m (the real table has no
  // radius for most Starlinks, so it could not tell the table's radius from the default).
  const subset = starlinkSubset(300);
  const hbr = parseHbrTable(
    [
      'ObjectID,HBR,HBRSigma,HBRSource,Mass,MassSigma,MassSource',
      ...subset
        .split('\n')
        .filter((l) => l.startsWith('1 '))
        .map((l) => `${Number(l.slice(2, 7))},3.5,0,test,,0,test`),
    ].join('\n'),
    'test HBR table',
  );

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(imports);
    writeFileSync(join(imports, 'cryosat.tle'), cryosatHistory(400));
    app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now: () => new Date(CLOCK), importRoots: [imports], schedule: false, hbrTable: hbr },
    });
    operator = await testCredentials(store, { role: 'operator' });
    inject = authedInject(app, operator);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('imports an uploaded file as a job', async () => {
    const r = await inject({
      method: 'POST',
      url: '/jobs/import?name=starlink-subset.3le&source=test',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(subset),
    });
    expect(r.statusCode).toBe(202);
    const job = await finished(app, r.json().id);
    expect(job.state).toBe('succeeded');
    expect(job.kind).toBe('import');
    expect(job.result).toMatchObject({ status: 'ok', read: 301, inserted: 301, newObjects: 301 });
    expect((await store.ingestLog(1))[0]?.name).toBe('starlink-subset.3le');
    // The record is persisted as it ended.
    expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded', progressFraction: 1 });
  });

  it('imports a file by path under an import folder, and refuses one outside', async () => {
    const ok = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'import', params: { path: 'cryosat.tle' } },
    });
    expect(ok.statusCode).toBe(202);
    const job = await finished(app, ok.json().id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ read: 400, newObjects: 1 });
    const outside = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'import', params: { path: '/etc/hostname' } },
    });
    const refused = await finished(app, outside.json().id);
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('IMPORT_PATH_REFUSED');
  });

  it('validates parameters per kind, with the field named', async () => {
    const bad = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'screening', params: { days: -1 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'params.days' });
    const extra = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'rpo', params: { days: 8 } },
    });
    expect(extra.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'params.days' });
    const kind = await inject({ method: 'POST', url: '/jobs', payload: { kind: 'nope', params: {} } });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().field).toContain('kind');
    const noPath = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'import', params: {} },
    });
    expect(noPath.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'params.path' });
    const ids = await inject({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'maneuvers', params: { catalogNumbers: ['ISS'] } },
    });
    expect(ids.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'params.catalogNumbers.0' });
    expect((await inject({ url: '/jobs/no-such-job' })).statusCode).toBe(404);
    expect((await inject({ url: '/jobs/no-such-job/events' })).statusCode).toBe(404);
  });

  it('runs a screening, streaming progress and state over SSE to the final state; the result is stored', async () => {
    const before = (await store.listScreenings()).length;
    const r = await fetch(`${base}/jobs`, {
      method: 'POST',
      headers: { ...operator.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'screening',
        params: { days: 1, thresholdKm: 10 },
        requestedBy: 'console',
      }),
    });
    expect(r.status).toBe(202);
    const submitted = (await r.json()) as JobRecord;
    const stream = await readSse(`${base}/jobs/${submitted.id}/events`, operator.headers);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const jobs = stream.events.map((e) => e.data as JobRecord);
    const states = stream.events.filter((e) => e.event === 'state').map((e) => (e.data as JobRecord).state);
    expect(states.at(-1)).toBe('succeeded');
    expect(states).toContain('running');
    const fractions = stream.events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as JobRecord).progress.fraction ?? 0);
    expect(fractions.length).toBeGreaterThan(3);
    for (let k = 1; k < fractions.length; k++)
      expect(fractions[k]!).toBeGreaterThanOrEqual(fractions[k - 1]!);
    const last = jobs.at(-1)!;
    // The authenticated user, not the body's requestedBy, is recorded.
    expect(last.requestedBy).toBe(operator.username);
    // 301 from the upload and CryoSat-2 (its 2010 set is the latest it has; screening leaves it out as too old).
    expect(last.result).toMatchObject({ objects: 302 });
    const screeningId = last.result?.['screeningId'] as number;
    const stored = await store.conjunctions({ screeningId });
    expect(stored?.conjunctions.length).toBe(last.result?.['conjunctions']);
    expect(stored?.conjunctions.length).toBeGreaterThan(0);
    expect(stored?.screening).toMatchObject({ catalogAsOf: CLOCK, windowStart: CLOCK, thresholdKm: 10 });
    for (const c of stored!.conjunctions) {
      expect(c.missKm).toBeLessThanOrEqual(10);
      // Pc with the configured table's radii (3.5 m each, m), not the default (10 m each).
      expect(c.hbrM).toBeCloseTo(2 * 3.5, 9);
    }
    expect((await store.listScreenings()).length).toBe(before + 1);
    // A finished job's stream sends its final state at once and ends.
    const again = await readSse(`${base}/jobs/${submitted.id}/events`, operator.headers);
    expect(again.events.map((e) => e.event)).toEqual(['state']);
    const list = await inject({ url: '/jobs?state=succeeded' });
    expect(list.json().items.some((j: JobRecord) => j.id === submitted.id)).toBe(true);
  });

  it('cancels a running screening at a checkpoint (nothing stored) and a queued job before it starts', async () => {
    const before = (await store.listScreenings()).length;
    const long = await app.jobs.submit({ kind: 'screening', params: { days: 7, thresholdKm: 10 } });
    const queued = await app.jobs.submit({ kind: 'maneuvers', params: { catalogNumbers: ['36508'] } });
    expect((await app.jobs.get(queued.id))?.state).toBe('queued');
    await new Promise<void>((resolve) => {
      const stop = app.jobs.subscribe(long.id, (job) => {
        if ((job.progress.fraction ?? 0) > 0.1) {
          stop();
          resolve();
        }
      });
    });
    const c1 = await inject({ method: 'POST', url: `/jobs/${queued.id}/cancel` });
    expect(c1.statusCode).toBe(202);
    expect(c1.json()).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' }, startedAt: null });
    const c2 = await inject({ method: 'POST', url: `/jobs/${long.id}/cancel` });
    expect(c2.statusCode).toBe(202);
    const ended = await finished(app, long.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.error?.code).toBe('CANCELLED');
    expect(ended.progress.fraction).toBeLessThan(1);
    expect((await store.listScreenings()).length).toBe(before);
    expect(await store.getJob(long.id)).toMatchObject({ state: 'cancelled' });
  });

  it('detects maneuvers on a stored history and stores the events once', async () => {
    const r = await app.jobs.submit({ kind: 'maneuvers', params: { catalogNumbers: ['36508', '25544'] } });
    const job = await finished(app, r.id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ analysed: 1 });
    expect((job.result!['skipped'] as { id: string }[]).map((s) => s.id)).toEqual(['25544']);
    const stored = await store.events({ type: 'maneuver', catalogNumber: '36508' });
    // The detector finds maneuvers in CryoSat-2's first 400 sets (2010); the job stores each.
    expect(stored.length).toBeGreaterThan(5);
    expect(stored.length).toBe(job.result?.['inserted']);
    const rerun = await finished(
      app,
      (await app.jobs.submit({ kind: 'maneuvers', params: { catalogNumbers: ['36508'] } })).id,
    );
    expect(rerun.result).toMatchObject({ inserted: 0, known: stored.length });
  });

  it('runs the RPO search over the store and stores its findings', async () => {
    const r = await app.jobs.submit({ kind: 'rpo', params: { days: 1 } });
    const job = await finished(app, r.id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ objects: 302 });
    const findings = job.result?.['findings'] as number;
    expect(job.result?.['inserted']).toBe(findings);
    expect((await store.events({ detector: RPO_DETECTOR })).length).toBe(findings);
  });
});

describe('restart', () => {
  it('marks jobs left queued or running by a dead server as failed (SERVER_RESTARTED), and leaves finished ones', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-restart-')), 'catalog.db');
    const store = await openSqliteStore(path, { mode: 'create' });
    const job = (id: string, state: 'queued' | 'running' | 'succeeded') => ({
      id,
      kind: 'screening',
      params: { days: 1 },
      state,
      progressFraction: state === 'running' ? 0.4 : null,
      progressMessage: state,
      requestedBy: 'api',
      createdAt: '2026-12-07T00:00:00.000Z',
      startedAt: state === 'queued' ? null : '2026-12-07T00:00:01.000Z',
      finishedAt: state === 'succeeded' ? '2026-12-07T00:00:02.000Z' : null,
      result: state === 'succeeded' ? { screeningId: 1 } : null,
      error: null,
    });
    await store.saveJob(job('running-1', 'running'));
    await store.saveJob(job('queued-1', 'queued'));
    await store.saveJob(job('done-1', 'succeeded'));
    await store.close();

    const reopened = await openSqliteStore(path, { mode: 'write' });
    const viewer = await testCredentials(reopened, { role: 'viewer' });
    const app = await buildServer({ store: reopened, storeLabel: path, jobs: { schedule: false } });
    const inject = authedInject(app, viewer);
    try {
      const running = (await inject({ url: '/jobs/running-1' })).json();
      expect(running).toMatchObject({ state: 'failed', error: { code: 'SERVER_RESTARTED' } });
      expect(running.finishedAt).not.toBeNull();
      expect((await inject({ url: '/jobs/queued-1' })).json()).toMatchObject({
        state: 'failed',
        error: { code: 'SERVER_RESTARTED' },
      });
      expect((await inject({ url: '/jobs/done-1' })).json()).toMatchObject({
        state: 'succeeded',
        error: null,
      });
    } finally {
      await app.close();
      await reopened.close();
    }
  });
});

describe('runner limits and shutdown', () => {
  it('runs up to `concurrency` jobs at once, and a closing server cancels what it holds (SERVER_STOPPED)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-close-')), 'catalog.db');
    const store = await openSqliteStore(path, { mode: 'create' });
    await store.importFile({ name: 'subset.3le', bytes: Buffer.from(starlinkSubset(300)) });
    const app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now: () => new Date(CLOCK), schedule: false, concurrency: 2 },
    });
    const params = { days: 7, thresholdKm: 10 };
    const a = await app.jobs.submit({ kind: 'screening', params });
    const b = await app.jobs.submit({ kind: 'screening', params });
    const c = await app.jobs.submit({ kind: 'screening', params });
    // Both of the first two report progress while the third waits in the queue.
    await Promise.all(
      [a, b].map(
        (job) =>
          new Promise<void>((resolve) => {
            const stop = app.jobs.subscribe(job.id, (j) => {
              if ((j.progress.fraction ?? 0) > 0.05) {
                stop();
                resolve();
              }
            });
          }),
      ),
    );
    expect((await app.jobs.get(a.id))?.state).toBe('running');
    expect((await app.jobs.get(b.id))?.state).toBe('running');
    expect((await app.jobs.get(c.id))?.state).toBe('queued');
    await app.close();
    for (const job of [a, b, c]) {
      const stored = await store.getJob(job.id);
      expect(stored?.state).toBe('cancelled');
      expect(stored?.error?.code).toBe('SERVER_STOPPED');
    }
    expect(await store.listScreenings()).toEqual([]);
    await store.close();
  });
});
