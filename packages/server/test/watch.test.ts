/**
 * Watch lists and alerts on a real SQLite store with a real catalog subset: the webhook against a
 * real HTTP server on loopback (retries on 5xx, none on 4xx), the scheduler driven by a test clock
 * (no real waiting: `tick()` is called at chosen times), alerts raised once per encounter, changed
 * alerts re-opened with their history, and acknowledgement through the API.
 */

import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogStore, openSqliteStore, type StoredAlert } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsFromScreening, buildServer, materialChange, postWebhook } from '../src/index.js';
import { authedInject, testCredentials } from './auth-fixture.js';
import { starlinkSubset } from './fixtures.js';

const HOUR_MS = 3_600_000;

/** A loopback HTTP server that answers with the given statuses in turn (then 200) and keeps the bodies. */
async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const queue = [...statuses];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = queue.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}/hook`, bodies, server };
}

describe('webhook', () => {
  it('retries a 5xx answer and a refused connection, and stops at a 4xx', async () => {
    const r = await receiver([503, 502]);
    try {
      const d = await postWebhook(r.url, { hello: 'world' }, { retryDelaysMs: [5, 5, 5] });
      expect(d).toEqual({ ok: true, attempts: 3, status: 200, error: null });
      expect(r.bodies).toEqual([{ hello: 'world' }, { hello: 'world' }, { hello: 'world' }]);
      const refused = await receiver([400]);
      const d4 = await postWebhook(refused.url, { x: 1 }, { retryDelaysMs: [5, 5] });
      expect(d4).toMatchObject({ ok: false, attempts: 1, status: 400 });
      refused.server.close();
    } finally {
      r.server.close();
    }
    // Nobody listening: every attempt fails, the last error is kept.
    const gone = await postWebhook('http://127.0.0.1:9/hook', {}, { retryDelaysMs: [5], timeoutMs: 2000 });
    expect(gone).toMatchObject({ ok: false, attempts: 2, status: null });
    expect(gone.error).not.toBeNull();
  });
});

describe('material change', () => {
  it('follows the documented rule', () => {
    expect(materialChange({ missKm: 1, pc: 1e-5 }, { missKm: 1.05, pc: 1.5e-5 })).toBe(false);
    expect(materialChange({ missKm: 1, pc: 1e-5 }, { missKm: 0.7, pc: 1e-5 })).toBe(true);
    expect(materialChange({ missKm: 0.2, pc: 1e-5 }, { missKm: 0.28, pc: 1e-5 })).toBe(false);
    expect(materialChange({ missKm: 1, pc: 1e-5 }, { missKm: 1, pc: 2e-5 })).toBe(true);
    expect(materialChange({ missKm: 1, pc: 1e-5 }, { missKm: 1, pc: null })).toBe(true);
  });
});

describe('watch lists and alerts', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-watch-')), 'catalog.db');
  let clock = new Date('2023-10-10T00:00:00.000Z');
  let store: CatalogStore;
  let app: FastifyInstance;
  let inject: ReturnType<typeof authedInject>;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let asset = '';

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    const report = await store.importFile({
      name: 'starlink-subset.3le',
      bytes: Buffer.from(starlinkSubset(300)),
    });
    expect(report.status).toBe('ok');
    hook = await receiver([503]);
    app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now: () => clock, schedule: false, webhook: { retryDelaysMs: [5, 5] } },
    });
    inject = authedInject(app, await testCredentials(store, { role: 'operator' }));
    // The asset: the object in the most close approaches of a one-day screening of the subset.
    const probe = await app.jobs.submit({
      kind: 'screening',
      params: { asOf: clock.toISOString(), days: 1, thresholdKm: 10 },
    });
    const done = await new Promise<Record<string, unknown>>((resolve) => {
      const stop = app.jobs.subscribe(probe.id, (j) => {
        if (j.state === 'succeeded' && j.result !== null) {
          stop();
          resolve(j.result);
        }
      });
    });
    const events = (await store.conjunctions({ screeningId: done['screeningId'] as number }))!.conjunctions;
    const counts = new Map<string, number>();
    for (const c of events) for (const id of [c.id1, c.id2]) counts.set(id, (counts.get(id) ?? 0) + 1);
    asset = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    hook.server.close();
  });

  it('validates a watch list and names the field', async () => {
    const r = await inject({
      method: 'POST',
      url: '/watch-lists',
      payload: { name: 'x', assets: ['25544'], thresholds: { maxMissKm: -1 } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'body.thresholds.maxMissKm' });
    const url = await inject({
      method: 'POST',
      url: '/watch-lists',
      payload: { name: 'x', assets: ['25544'], thresholds: { maxMissKm: 1 }, webhookUrl: 'ftp://x' },
    });
    expect(url.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'body.webhookUrl' });
    expect((await inject({ url: '/watch-lists/999' })).statusCode).toBe(404);
  });

  it('screens on schedule, alerts once per encounter, posts to the webhook, and takes acknowledgements', async () => {
    const created = await inject({
      method: 'POST',
      url: '/watch-lists',
      payload: {
        name: 'Our satellite and the ISS',
        assets: [asset, '025544'],
        schedule: { everyHours: 8, days: 1 },
        thresholds: { maxMissKm: 10, minPc: null },
        webhookUrl: hook.url,
      },
    });
    expect(created.statusCode).toBe(201);
    const list = created.json();
    expect(list.assets).toEqual([asset, '25544']);
    expect(list.enabled).toBe(true);

    // First tick: due (never ran). A second tick at the same time: not due.
    const t0 = clock;
    const [job, ...more] = await app.watch.tick();
    expect(more).toEqual([]);
    expect(job!.requestedBy).toBe(`schedule:${list.id}`);
    expect(job!.params).toMatchObject({ primaries: [asset, '25544'], days: 1, asOf: t0.toISOString() });
    expect(await app.watch.tick()).toEqual([]);
    const first = await app.watch.outcome(job!.id)!;
    expect(first.job.state).toBe('succeeded');
    expect(first.alerts.length).toBeGreaterThan(0);
    for (const a of first.alerts) {
      expect(a.change).toBe('new');
      expect(a.alert.missKm).toBeLessThanOrEqual(10);
      expect([a.alert.assetId, a.alert.otherId]).toContain(asset);
    }
    // Every alert reached the webhook (the first attempt got a 503 and was retried).
    expect(first.deliveries.every((d) => d.ok)).toBe(true);
    expect(first.deliveries[0]!.attempts).toBe(2);
    const posted = hook.bodies.slice(1) as { type: string; change: string; alert: StoredAlert }[];
    expect(posted.map((b) => b.alert.id)).toEqual(first.alerts.map((a) => a.alert.id));
    expect(posted[0]).toMatchObject({ type: 'hoshimi.alert', change: 'new', watchList: { id: list.id } });

    const listed = await inject({ url: `/alerts?watchListId=${list.id}&limit=2` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().total).toBe(first.alerts.length);
    expect(listed.json().items.length).toBe(Math.min(2, first.alerts.length));

    // Acknowledge the alert whose TCA lies latest (inside the next run's window too).
    const latest = [...first.alerts].sort(
      (a, b) => Date.parse(b.alert.tcaUtc) - Date.parse(a.alert.tcaUtc),
    )[0]!;
    const ack = await inject({
      method: 'POST',
      url: `/alerts/${latest.alert.id}/acknowledge`,
      payload: { by: 'analyst-1', note: 'owner informed' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'analyst-1',
      acknowledgedAt: t0.toISOString(),
      acknowledgementNote: 'owner informed',
    });
    expect(ack.json().history.map((h: { change: string }) => h.change)).toEqual(['new', 'acknowledged']);
    const bad = await inject({
      method: 'POST',
      url: `/alerts/${latest.alert.id}/acknowledge`,
      payload: {},
    });
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'body.by' });

    // Seven hours later: not due. Eight: due; the same element sets give the same encounters in
    // the overlap of the windows, so nothing is alerted again and the acknowledgement stands.
    clock = new Date(t0.getTime() + 7 * HOUR_MS);
    expect(await app.watch.tick()).toEqual([]);
    clock = new Date(t0.getTime() + 8 * HOUR_MS);
    const [job2] = await app.watch.tick();
    expect(job2).toBeDefined();
    const second = await app.watch.outcome(job2!.id)!;
    expect(second.job.state).toBe('succeeded');
    expect(second.alerts.filter((a) => a.change === 'changed')).toEqual([]);
    for (const a of second.alerts)
      expect(Date.parse(a.alert.tcaUtc)).toBeGreaterThan(t0.getTime() + 20 * HOUR_MS);
    if (Date.parse(latest.alert.tcaUtc) > clock.getTime()) {
      expect((await inject({ url: `/alerts/${latest.alert.id}` })).json().state).toBe('acknowledged');
    }
    expect((await store.getWatchList(list.id))?.lastRunAt).toBe(clock.toISOString());
    const scheduled = await inject({ url: `/jobs?requestedBy=schedule:${list.id}&kind=screening` });
    expect(scheduled.json().items.map((j: { id: string }) => j.id)).toEqual([job2!.id, job!.id]);
    const open = await inject({ url: `/alerts?watchListId=${list.id}&state=acknowledged` });
    expect(open.json().total).toBe(1);
  });

  it('re-opens an acknowledged alert when its encounter changes materially, keeping the history', async () => {
    const list = (await store.saveWatchList({
      name: 'changes',
      assets: [asset],
      schedule: null,
      thresholds: { maxMissKm: 10, minPc: null },
      webhookUrl: null,
      enabled: true,
    }))!;
    const run = await inject({ method: 'POST', url: `/watch-lists/${list.id}/run` });
    expect(run.statusCode).toBe(202);
    const first = await app.watch.outcome(run.json().id)!;
    expect(first.alerts.length).toBeGreaterThan(0);
    const target = first.alerts[0]!.alert;
    await store.acknowledgeAlert(target.id, { by: 'analyst-2', at: clock.toISOString(), note: null });
    // A later screening (stored as a screening job would) in which that encounter came 60 % closer.
    const screening = (await store.conjunctions({ screeningId: target.screeningId }))!;
    const moved = screening.conjunctions.map((c) =>
      c.tcaUtc === target.tcaUtc && [c.id1, c.id2].includes(target.otherId)
        ? { ...c, missKm: c.missKm * 0.4 }
        : c,
    );
    const laterId = await store.saveScreening({ ...screening.screening, primaries: [asset] }, moved);
    const existing = (await store.listAlerts({ watchListId: list.id, limit: 1000 })).alerts;
    const changes = await alertsFromScreening(
      store,
      list,
      laterId,
      moved,
      existing,
      '2023-10-10T12:00:00.000Z',
    );
    expect(changes.map((c) => [c.alert.id, c.change])).toEqual([[target.id, 'changed']]);
    const after = (await store.getAlert(target.id))!;
    expect(after.state).toBe('open');
    expect(after.missKm).toBeCloseTo(target.missKm * 0.4, 12);
    expect(after.history.map((h) => h.change)).toEqual(['new', 'acknowledged', 'changed']);
    expect(after.history[0]!.missKm).toBe(target.missKm);
    // Deleting the list takes its alerts.
    expect((await inject({ method: 'DELETE', url: `/watch-lists/${list.id}` })).statusCode).toBe(204);
    expect((await inject({ url: `/alerts/${target.id}` })).statusCode).toBe(404);
  });
});
