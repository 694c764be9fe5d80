/**
 * Graceful shutdown of a real `hoshimi serve` child process with a screening job running:
 * - SIGTERM with a grace longer than the job: /ready answers 503 and a new job 503 SERVER_STOPPING
 *   at once, the running job goes on and succeeds, the process exits 0;
 * - SIGTERM with a grace shorter than the job: the job ends 'cancelled' with SERVER_STOPPED (not
 *   'failed'), the process exits 0;
 * - a second SIGTERM during the grace exits at once (143); the next start marks the job
 *   SERVER_RESTARTED.
 * Along the way: the log on stdout is JSON lines with the job's steps and the shutdown, and the
 * metrics listener answers on loopback.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type StoredJob } from '@hoshimi/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../../server/test/auth-fixture.js';
import { starlinkSubset } from '../../server/test/fixtures.js';
import { BIN, hoshimi } from './harness.js';

/** The catalog's own day: its element sets are at most a few days old then. */
const CLOCK = '2023-10-10T00:00:00Z';

let dir: string;
let db: string;
let auth: { authorization: string };
const children = new Set<ChildProcess>();

interface Served {
  readonly child: ChildProcess;
  readonly api: string;
  readonly metrics: string;
  /** Every stdout line so far. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function serve(graceSeconds: number): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--metrics-port',
      '0',
      '--workers',
      '1',
      '--shutdown-grace',
      String(graceSeconds),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const lines: string[] = [];
  let errText = '';
  child.stderr?.on('data', (d: Buffer) => {
    errText += d.toString();
  });
  let partial = '';
  const urls = await new Promise<{ api: string; metrics: string }>((resolve, reject) => {
    let metrics: string | undefined;
    child.stdout?.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const m = /^Hoshimi metrics on (http:\/\/\S+)/.exec(line);
        if (m !== null) metrics = m[1];
        const a = /^Hoshimi API on (http:\/\/\S+)/.exec(line);
        if (a !== null && metrics !== undefined) resolve({ api: a[1]!, metrics });
      }
    });
    void exited.then(({ code }) => reject(new Error(`hoshimi serve exited with ${code}: ${errText}`)));
  });
  return { child, ...urls, lines, exited };
}

/** The JSON lines of the log (the two banner lines are for people). */
function logRecords(lines: readonly string[]): Record<string, unknown>[] {
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function submitScreening(api: string, days: number): Promise<Response> {
  return fetch(`${api}/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'screening', params: { asOf: CLOCK, days, thresholdKm: 10 } }),
  });
}

async function waitRunning(api: string, id: string): Promise<void> {
  for (;;) {
    const job = (await (await fetch(`${api}/jobs/${id}`, { headers: auth })).json()) as { state: string };
    if (job.state === 'running') return;
    if (job.state !== 'queued') throw new Error(`job ${id} is ${job.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storedJob(id: string): Promise<StoredJob | null> {
  const store = await openSqliteStore(db, { mode: 'read' });
  try {
    return await store.getJob(id);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoshimi-serve-shutdown-'));
  db = join(dir, 'catalog.db');
  const file = join(dir, 'subset.3le');
  writeFileSync(file, starlinkSubset(300));
  const r = hoshimi('catalog', 'import', file, '--db', db);
  if (r.status !== 0) throw new Error(`catalog import → ${r.status}: ${r.stderr}`);
  const store = await openSqliteStore(db, { mode: 'write' });
  try {
    auth = (await testCredentials(store, { role: 'analyst' })).headers;
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('hoshimi serve shuts down gracefully', () => {
  it('SIGTERM: not ready and no new jobs at once; the running job finishes within the grace; exit 0', async () => {
    const s = await serve(120);
    expect((await fetch(`${s.api}/ready`)).status).toBe(200);
    const metrics = await fetch(s.metrics);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('hoshimi_jobs_running');
    const submitted = await submitScreening(s.api, 3);
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    await waitRunning(s.api, id);

    s.child.kill('SIGTERM');
    // Readiness flips at once; poll until the signal has been handled.
    let ready = await fetch(`${s.api}/ready`);
    while (ready.status === 200) ready = await fetch(`${s.api}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not-ready',
      checks: [{ name: 'shutdown', ok: false, reason: 'stopping' }],
    });
    // During the grace: the job still runs, a new one is refused with a clear code.
    const during = (await (await fetch(`${s.api}/jobs/${id}`, { headers: auth })).json()) as {
      state: string;
    };
    expect(during.state).toBe('running');
    const refused = await submitScreening(s.api, 1);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: 'SERVER_STOPPING' });

    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(await storedJob(id)).toMatchObject({ state: 'succeeded', error: null });
    const log = logRecords(s.lines);
    const steps = log.filter((r) => r['jobId'] === id).map((r) => r['msg']);
    expect(steps).toEqual(['job queued', 'job started', 'job succeeded']);
    const msgs = log.map((r) => r['msg']);
    const iSignal = msgs.indexOf('shutdown: signal received');
    expect(iSignal).toBeGreaterThan(-1);
    expect(msgs.indexOf('job succeeded')).toBeGreaterThan(iSignal);
    expect(msgs.at(-1)).toBe('shutdown: stopped');
    expect(log.some((r) => r['msg'] === 'request' && r['url'] === '/ready' && r['status'] === 503)).toBe(
      true,
    );
  }, 180_000);

  it('SIGTERM with a grace shorter than the job: the job ends cancelled (SERVER_STOPPED); exit 0', async () => {
    const s = await serve(1);
    const submitted = await submitScreening(s.api, 30);
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    await waitRunning(s.api, id);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const job = await storedJob(id);
    expect(job).toMatchObject({ state: 'cancelled', error: { code: 'SERVER_STOPPED' } });
    expect(job?.error?.message).toContain('grace');
    const finished = logRecords(s.lines).find((r) => r['jobId'] === id && r['msg'] === 'job cancelled');
    expect(finished).toMatchObject({ kind: 'screening', state: 'cancelled', code: 'SERVER_STOPPED' });
  }, 120_000);

  it('a second signal exits at once; the next start marks the job SERVER_RESTARTED', async () => {
    const s = await serve(600);
    const submitted = await submitScreening(s.api, 30);
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    await waitRunning(s.api, id);
    s.child.kill('SIGTERM');
    let ready = await fetch(`${s.api}/ready`);
    while (ready.status === 200) ready = await fetch(`${s.api}/ready`);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 143, signal: null });
    expect(await storedJob(id)).toMatchObject({ state: 'running' });
    const again = await serve(1);
    again.child.kill('SIGTERM');
    expect(await again.exited, again.lines.join('\n')).toEqual({ code: 0, signal: null });
    expect(await storedJob(id)).toMatchObject({ state: 'failed', error: { code: 'SERVER_RESTARTED' } });
  }, 120_000);
});
