/**
 * The server logs every request to the store's audit log: allowed and denied (no credentials: 401;
 * a missing route or record: 404), over real HTTP on loopback, with the authenticated actor; a store
 * write caused by a request is logged with the request's actor; secrets in the query are redacted;
 * the chain verifies afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.js';
import { testCredentials } from './auth-fixture.js';

describe('audit of requests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-audit-server-'));
  const path = join(dir, 'catalog.db');
  const store = await openSqliteStore(path, { mode: 'create' });
  const app = await buildServer({ store, storeLabel: path, jobs: { schedule: false } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const operator = await testCredentials(store, { role: 'operator', username: 'duty-operator' });
  const auth = operator.headers;
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the log holds `n` records (the record is appended after the response is sent). */
  async function records(n: number) {
    for (let i = 0; i < 200; i++) {
      const all = await store.audit.list({ fromSeq: 1, limit: 1000 });
      if (all.length >= n) return all;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`the audit log did not reach ${n} records`);
  }

  it('logs the identity changes that made the test user, without secrets', async () => {
    const log = await records(3);
    expect(log.slice(0, 3).map((r) => [r.action, r.target])).toEqual([
      ['identity.addOrganisation', 'TESTORG'],
      ['identity.addUser', 'duty-operator'],
      ['identity.issueToken', 'duty-operator'],
    ]);
    expect(JSON.stringify(log)).not.toContain(operator.token);
  });

  it('logs an allowed request and denied ones (no credentials, no route, no record)', async () => {
    const before = (await store.audit.head())?.seq ?? 0;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/objects/25544`)).status).toBe(401);
    expect((await fetch(`${base}/no/such/route?access_token=abc123&x=1`, { headers: auth })).status).toBe(
      404,
    );
    expect((await fetch(`${base}/objects/25544`, { headers: auth })).status).toBe(404);
    const log = (await records(before + 4)).slice(before);
    expect(log.map((r) => [r.action, r.outcome, r.status, r.actor.via, r.actor.username])).toEqual([
      ['http.GET /health', 'allowed', 200, 'anonymous', null],
      ['http.GET /objects/25544', 'denied', 401, 'anonymous', null],
      // No route: answered before authentication runs, so logged as anonymous.
      ['http.GET /no/such/route', 'denied', 404, 'anonymous', null],
      ['http.GET /objects/25544', 'denied', 404, 'token', 'duty-operator'],
    ]);
    expect(log[0]?.details).toMatchObject({ route: '/health', ip: '127.0.0.1' });
    expect(log[2]?.details['query']).toEqual({ access_token: '[redacted]', x: '1' });
    expect(JSON.stringify(log)).not.toContain('abc123');
    expect(JSON.stringify(log)).not.toContain(operator.token);
    expect(log[3]).toMatchObject({ target: '/objects/25544', details: { route: '/objects/:catalogNumber' } });
  });

  it('logs a bad request as failed and a store write with the request actor', async () => {
    const before = (await store.audit.head())?.seq ?? 0;
    const bad = await fetch(`${base}/watch-lists`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', cookie: 'session=s3cret' },
      body: '{}',
    });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${base}/watch-lists`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ISS',
        assets: ['25544'],
        schedule: null,
        thresholds: { maxMissKm: 5, minPc: null },
        webhookUrl: null,
        enabled: true,
      }),
    });
    expect(ok.status).toBe(201);
    const log = (await records(before + 3)).slice(before);
    expect(log.map((r) => [r.action, r.outcome, r.status, r.actor.via, r.actor.username])).toEqual([
      ['http.POST /watch-lists', 'failed', 400, 'token', 'duty-operator'],
      ['watch.save', 'allowed', null, 'token', 'duty-operator'],
      ['http.POST /watch-lists', 'allowed', 201, 'token', 'duty-operator'],
    ]);
    expect(JSON.stringify(log)).not.toContain('s3cret');
    expect(await store.audit.verify()).toMatchObject({ ok: true });
  });
});
