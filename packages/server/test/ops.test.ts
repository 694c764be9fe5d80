/**
 * Operations on a real server over a real SQLite store: `/health` and `/ready` (open, the readiness
 * checks, 503 once shutdown has begun, job submits refused with SERVER_STOPPING), the Prometheus
 * metrics scraped from the metrics listener on loopback and parsed from the text format (a request
 * and a finished job move exactly their series; nothing marked leaks), the structured log (JSON
 * lines with the request and job fields; tokens, cookies and passwords never written), and the job
 * runner's graceful close (running jobs finish within the grace, the rest end 'cancelled' with
 * SERVER_STOPPED).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/identity-service.js';
import {
  buildMetricsListener,
  buildServer,
  InProcessJobRunner,
  JobError,
  type JobExecutor,
  type JobKind,
  type JobRecord,
  serverLogOptions,
} from '../src/index.js';
import { authedInject, type TestCredentials, testCredentials } from './auth-fixture.js';
import { cryosatHistory, starlinkSubset } from './fixtures.js';

/** The catalog's own day: its element sets are at most a few days old then. */
const CLOCK = '2023-10-10T00:00:00.000Z';
const PASSWORD = 'a long passphrase that must never be logged';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text exposition format (version 0.0.4): TYPE lines and samples. */
function parseMetrics(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

async function finished(app: FastifyInstance, id: string): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const done = (job: JobRecord) => ['succeeded', 'failed', 'cancelled'].includes(job.state);
    const stop = app.jobs.subscribe(id, (job) => {
      if (done(job)) {
        stop();
        resolve(job);
      }
    });
    app.jobs.get(id).then((job) => {
      if (job === null) reject(new Error(`no job ${id}`));
      else if (done(job)) {
        stop();
        resolve(job);
      }
    }, reject);
  });
}

describe('operations: health, readiness, metrics, logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-ops-'));
  const path = join(dir, 'catalog.db');
  const logLines: string[] = [];
  let store: CatalogStore;
  let app: FastifyInstance;
  let metricsListener: FastifyInstance;
  let metricsUrl: string;
  let operator: TestCredentials;
  let inject: ReturnType<typeof authedInject>;

  const scrape = async () => {
    const r = await fetch(metricsUrl);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const text = await r.text();
    return { text, ...parseMetrics(text) };
  };

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    app = await buildServer({
      store,
      storeLabel: path,
      logger: serverLogOptions({ level: 'info', stream: { write: (line) => void logLines.push(line) } }),
      jobs: { now: () => new Date(CLOCK), schedule: false },
    });
    operator = await testCredentials(store, { role: 'operator' });
    await addUser(store, {
      username: 'console-user',
      organisation: 'TESTORG',
      roles: ['analyst'],
      clearance: 'SECRET',
      password: PASSWORD,
    });
    inject = authedInject(app, operator);
    metricsListener = await buildMetricsListener({ metrics: app.metrics });
    metricsUrl = `${await metricsListener.listen({ host: '127.0.0.1', port: 0 })}/metrics`;
  });
  afterAll(async () => {
    await metricsListener.close();
    await app.close();
    await store.close();
  });

  it('answers /health and /ready without credentials, saying nothing about the data', async () => {
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: [{ name: 'store', ok: true }] });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 naming the check when a registered check fails, and 200 again when it passes', async () => {
    let broken = true;
    app.readiness.add('queue', async () => {
      if (broken) throw new Error('connection refused at 10.0.0.7:6379');
    });
    const down = await app.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not-ready',
      checks: [
        { name: 'store', ok: true },
        { name: 'queue', ok: false, reason: 'error' },
      ],
    });
    // The error itself goes to the log, not to the open route.
    expect(down.body).not.toContain('10.0.0.7');
    expect(logLines.some((l) => l.includes('10.0.0.7') && l.includes('"check":"queue"'))).toBe(true);
    broken = false;
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
  });

  it('serves the metric families in the Prometheus text format; requests move their series', async () => {
    const before = await scrape();
    for (const [name, type] of [
      ['hoshimi_http_request_duration_seconds', 'histogram'],
      ['hoshimi_jobs_total', 'counter'],
      ['hoshimi_job_duration_seconds', 'histogram'],
      ['hoshimi_jobs_queued', 'gauge'],
      ['hoshimi_jobs_running', 'gauge'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
    ])
      expect(before.types.get(name!), name).toBe(type);
    const count = 'hoshimi_http_request_duration_seconds_count';
    const objects = { method: 'GET', route: '/objects', status_class: '2xx' };
    const one = { method: 'GET', route: '/objects/:catalogNumber', status_class: '4xx' };
    const unmatched = { method: 'GET', route: 'unmatched', status_class: '4xx' };
    expect((await inject('/objects')).statusCode).toBe(200);
    expect((await inject('/objects')).statusCode).toBe(200);
    expect((await inject('/objects/99999')).statusCode).toBe(404);
    expect((await app.inject({ url: '/no/such/thing/12345' })).statusCode).toBe(404);
    const after = await scrape();
    expect(sampleValue(after.samples, count, objects) - sampleValue(before.samples, count, objects)).toBe(2);
    expect(sampleValue(after.samples, count, one) - sampleValue(before.samples, count, one)).toBe(1);
    expect(sampleValue(after.samples, count, unmatched) - sampleValue(before.samples, count, unmatched)).toBe(
      1,
    );
    // The +Inf bucket is the count; the sum is a positive duration.
    expect(
      sampleValue(after.samples, 'hoshimi_http_request_duration_seconds_bucket', { ...objects, le: '+Inf' }),
    ).toBe(sampleValue(after.samples, count, objects));
    expect(sampleValue(after.samples, 'hoshimi_http_request_duration_seconds_sum', objects)).toBeGreaterThan(
      0,
    );
    // Route templates only: the raw URLs never become series.
    const routes = new Set(
      after.samples.flatMap((s) => (s.labels['route'] === undefined ? [] : [s.labels['route']])),
    );
    expect(routes.has('/objects')).toBe(true);
    for (const r of routes) expect(r === 'unmatched' || (r.startsWith('/') && !/\d/.test(r)), r).toBe(true);
  });

  it('counts a finished job by kind and state, times it, and gauges the running job', async () => {
    const before = await scrape();
    const r = await inject({
      method: 'POST',
      url: '/jobs/import?name=cryosat.tle&source=test',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(`${cryosatHistory(50)}${starlinkSubset(300)}`),
    });
    expect(r.statusCode).toBe(202);
    expect((await finished(app, r.json().id)).state).toBe('succeeded');
    const imported = await scrape();
    const ok = { kind: 'import', state: 'succeeded' };
    expect(
      sampleValue(imported.samples, 'hoshimi_jobs_total', ok) -
        sampleValue(before.samples, 'hoshimi_jobs_total', ok),
    ).toBe(1);
    const runs = (s: Sample[]) => sampleValue(s, 'hoshimi_job_duration_seconds_count', { kind: 'import' });
    expect(runs(imported.samples) - runs(before.samples)).toBe(1);
    expect(
      sampleValue(imported.samples, 'hoshimi_job_duration_seconds_sum', { kind: 'import' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(imported.samples, 'hoshimi_jobs_running')).toBe(0);
    expect(sampleValue(imported.samples, 'hoshimi_jobs_queued')).toBe(0);

    // A long screening running, a second job queued behind it (concurrency 1).
    const long = await app.jobs.submit({ kind: 'screening', params: { days: 7, thresholdKm: 10 } });
    const queued = await app.jobs.submit({ kind: 'maneuvers', params: { catalogNumbers: ['36508'] } });
    await new Promise<void>((resolve) => {
      const stop = app.jobs.subscribe(long.id, (job) => {
        if (job.state === 'running') {
          stop();
          resolve();
        }
      });
      void app.jobs.get(long.id).then((job) => {
        if (job?.state === 'running') {
          stop();
          resolve();
        }
      });
    });
    const busy = await scrape();
    expect(sampleValue(busy.samples, 'hoshimi_jobs_running')).toBe(1);
    expect(sampleValue(busy.samples, 'hoshimi_jobs_queued')).toBe(1);
    await app.jobs.cancel(queued.id);
    await app.jobs.cancel(long.id);
    expect((await finished(app, long.id)).state).toBe('cancelled');
    const idle = await scrape();
    expect(sampleValue(idle.samples, 'hoshimi_jobs_running')).toBe(0);
    expect(sampleValue(idle.samples, 'hoshimi_jobs_queued')).toBe(0);
    expect(sampleValue(idle.samples, 'hoshimi_jobs_total', { kind: 'screening', state: 'cancelled' })).toBe(
      1,
    );
    expect(sampleValue(idle.samples, 'hoshimi_jobs_total', { kind: 'maneuvers', state: 'cancelled' })).toBe(
      1,
    );
    // The queued job never ran: no duration for maneuvers; the screening's run is timed.
    expect(sampleValue(idle.samples, 'hoshimi_job_duration_seconds_count', { kind: 'maneuvers' })).toBe(0);
    expect(sampleValue(idle.samples, 'hoshimi_job_duration_seconds_count', { kind: 'screening' })).toBe(1);
    // Nothing marked or personal: no catalog numbers, user names, job ids or secrets.
    for (const leak of ['36508', '25544', operator.username, operator.token, long.id, 'cryosat'])
      expect(idle.text, leak).not.toContain(leak);
  });

  it('logs one JSON line per request and per job step, with no token, cookie or password', async () => {
    logLines.length = 0;
    // A console login (password in the body), a cookie-authenticated read, a token read with a
    // secret-named query parameter, a forged token, and a job.
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'console-user', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = login.json().csrfToken as string;
    expect((await app.inject({ url: '/objects', headers: { cookie } })).statusCode).toBe(200);
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(withCsrf.statusCode).toBeLessThan(300);
    expect((await inject('/objects?limit=5&access_token=query-secret-123')).statusCode).toBeLessThan(500);
    expect(
      (await app.inject({ url: '/objects', headers: { authorization: 'Bearer hsm_forged_secret_456' } }))
        .statusCode,
    ).toBe(401);
    const job = await app.jobs.submit({ kind: 'maneuvers', params: { catalogNumbers: ['36508'] } });
    await finished(app, job.id);
    // A line that carries headers (as an error report with its request might) is redacted too.
    app.log.error(
      { request: { headers: { authorization: `Bearer ${operator.token}`, cookie } }, headers: { cookie } },
      'a line with headers',
    );

    const all = logLines.join('');
    for (const secret of [
      PASSWORD,
      operator.token,
      cookie.split('=')[1]!,
      csrf,
      'query-secret-123',
      'hsm_forged_secret_456',
    ])
      expect(all, 'a secret in the log').not.toContain(secret);

    const records = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records) {
      expect(typeof r['msg']).toBe('string');
      expect(r['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).toContain(r['level']);
    }
    const requests = records.filter((r) => r['msg'] === 'request');
    expect(requests.length).toBe(5);
    for (const r of requests) {
      expect(r['reqId']).toMatch(/^req-/);
      expect(typeof r['method']).toBe('string');
      expect(typeof r['url']).toBe('string');
      expect(typeof r['status']).toBe('number');
      expect(typeof r['responseTimeMs']).toBe('number');
    }
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/auth/login',
      route: '/auth/login',
      status: 200,
    });
    expect(requests[3]!['url']).toContain('access_token=%5Bredacted%5D');
    expect(requests[4]).toMatchObject({ status: 401 });
    const redacted = records.find((r) => r['msg'] === 'a line with headers')!;
    expect(redacted).toMatchObject({
      request: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      headers: { cookie: '[redacted]' },
    });

    const steps = records.filter((r) => r['jobId'] === job.id);
    expect(steps.map((r) => r['msg'])).toEqual(['job queued', 'job started', 'job succeeded']);
    expect(steps[2]).toMatchObject({ kind: 'maneuvers', state: 'succeeded' });
    expect(typeof steps[2]!['durationMs']).toBe('number');
  });
});

describe('operations: shutdown', () => {
  it('turns /ready to 503 and refuses new jobs and watch-list runs (503 SERVER_STOPPING) once shutdown begins', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-ops-stop-')), 'catalog.db');
    const store = await openSqliteStore(path, { mode: 'create' });
    const app = await buildServer({ store, storeLabel: path, jobs: { schedule: false } });
    const inject = authedInject(app, await testCredentials(store, { role: 'operator' }));
    try {
      expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
      const list = await inject({
        method: 'POST',
        url: '/watch-lists',
        payload: { name: 'ISS', assets: ['25544'], thresholds: { maxMissKm: 5 } },
      });
      expect(list.statusCode).toBe(201);
      // A closed runner (the shutdown's next step) is refused the same way, not as an internal error.
      await app.jobs.close();
      const closed = await inject({ method: 'POST', url: `/watch-lists/${list.json().id}/run` });
      expect(closed.statusCode).toBe(503);
      expect(closed.json()).toMatchObject({ code: 'SERVER_STOPPING' });
      expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
      app.readiness.beginShutdown();
      const ready = await app.inject({ url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({
        status: 'not-ready',
        checks: [{ name: 'shutdown', ok: false, reason: 'stopping' }],
      });
      // Liveness is unchanged: the process still answers.
      expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
      const submit = await inject({
        method: 'POST',
        url: '/jobs',
        payload: { kind: 'maneuvers', params: { catalogNumbers: ['36508'] } },
      });
      expect(submit.statusCode).toBe(503);
      expect(submit.json()).toMatchObject({ code: 'SERVER_STOPPING' });
      const upload = await inject({
        method: 'POST',
        url: '/jobs/import',
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from(cryosatHistory(2)),
      });
      expect(upload.statusCode).toBe(503);
      expect(upload.json()).toMatchObject({ code: 'SERVER_STOPPING' });
      const run = await inject({ method: 'POST', url: `/watch-lists/${list.json().id}/run` });
      expect(run.statusCode).toBe(503);
      expect(run.json()).toMatchObject({ code: 'SERVER_STOPPING' });
      // The runner closed (as serve's shutdown does): still 503, not an internal error.
      await app.jobs.close();
      expect((await inject({ method: 'POST', url: `/watch-lists/${list.json().id}/run` })).statusCode).toBe(
        503,
      );
      expect(await store.listJobs({})).toEqual([]);
    } finally {
      await app.close();
      await store.close();
    }
  });

  describe('the in-process runner closes gracefully', () => {
    let store: CatalogStore;
    /** Resolves each 'rpo' job after this many ms; 'screening' runs until aborted. */
    const RPO_MS = 300;
    const sleep = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
    const executors: Record<JobKind, JobExecutor> = {
      rpo: async (_p, ctx) => {
        await sleep(RPO_MS, ctx.signal);
        return { done: true };
      },
      screening: async (_p, ctx) => {
        await sleep(3_600_000, ctx.signal);
        return {};
      },
      maneuvers: async () => ({}),
      import: async () => ({}),
    };

    beforeAll(async () => {
      store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'hoshimi-ops-runner-')), 'c.db'), {
        mode: 'create',
      });
    });
    afterAll(async () => store.close());

    const started = (runner: InProcessJobRunner, id: string) =>
      new Promise<void>((resolve) => {
        const stop = runner.subscribe(id, (job) => {
          if (job.state === 'running') {
            stop();
            resolve();
          }
        });
        void runner.get(id).then((job) => {
          if (job?.state === 'running') {
            stop();
            resolve();
          }
        });
      });

    it('lets a running job finish within the grace; cancels the queued one at once', async () => {
      const seen: [string, string, number | null][] = [];
      const runner = new InProcessJobRunner({
        store,
        executors,
        observer: { finished: (job, s) => seen.push([job.kind, job.state, s]) },
      });
      const a = await runner.submit({ kind: 'rpo', params: {} });
      const b = await runner.submit({ kind: 'maneuvers', params: {} });
      await started(runner, a.id);
      expect(await runner.counts()).toEqual({ queued: 1, running: 1 });
      await runner.close({ graceMs: 30_000 });
      expect(await store.getJob(a.id)).toMatchObject({ state: 'succeeded', result: { done: true } });
      expect(await store.getJob(b.id)).toMatchObject({
        state: 'cancelled',
        startedAt: null,
        error: { code: 'SERVER_STOPPED' },
      });
      expect(await runner.counts()).toEqual({ queued: 0, running: 0 });
      await expect(runner.submit({ kind: 'rpo', params: {} })).rejects.toSatisfy(
        (e) => e instanceof JobError && e.code === 'RUNNER_CLOSED',
      );
      // The queued one is told first (no run time), then the finished one with its run time.
      expect(seen.map(([k, s, t]) => [k, s, t === null])).toEqual([
        ['maneuvers', 'cancelled', true],
        ['rpo', 'succeeded', false],
      ]);
      expect(seen[1]![2]!).toBeGreaterThan(0);
    });

    it('cancels a job still running when the grace is over: cancelled, SERVER_STOPPED, not failed', async () => {
      const runner = new InProcessJobRunner({ store, executors });
      const long = await runner.submit({ kind: 'screening', params: {} });
      await started(runner, long.id);
      await runner.close({ graceMs: 200 });
      const rec = await store.getJob(long.id);
      expect(rec).toMatchObject({ state: 'cancelled', error: { code: 'SERVER_STOPPED' } });
      expect(rec?.error?.message).toContain('grace');
      expect(rec?.finishedAt).not.toBeNull();
    });
  });
});
