/**
 * Space-Track client against the loopback imitation (sync-server.ts): credentials, login and the
 * session cookie, one re-login on 401, retries, the `gp` and `gp_history` classes in every format,
 * 9-digit catalog numbers, and the 30/min · 300/h limits kept (the server counts arrivals by the
 * same virtual clock). Only 127.0.0.1 is contacted.
 */
import { type ElementSet, parseElements } from '@hoshimi/astro';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SpaceTrackClient,
  type SpaceTrackClientOptions,
  type SpaceTrackFormat,
  type SpaceTrackResponse,
  SyncError,
  type SyncLogEvent,
  spaceTrackGpPaths,
  spaceTrackHistoryPaths,
} from '../src/sync/index.js';
import {
  createVirtualClock,
  epochMs,
  HISTORY_IDS,
  NINE_DIGIT_IDS,
  type RecordedRequest,
  type SyncTestServer,
  startSyncTestServer,
  type VirtualClock,
} from './sync-server.js';
import { importText } from './sync-sink.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

let clock: VirtualClock;
let server: SyncTestServer;
let events: SyncLogEvent[];

beforeEach(async () => {
  clock = createVirtualClock('2023-10-10T00:00:00Z');
  server = await startSyncTestServer({ clock });
  events = [];
});

afterEach(async () => {
  for (const r of server.requests) expect(r.userAgent).toMatch(/^Hoshimi\//);
  // Nothing a client logged may carry the password.
  expect(JSON.stringify(events)).not.toContain(server.password);
  await server.close();
});

function client(extra: Partial<SpaceTrackClientOptions> = {}): SpaceTrackClient {
  return new SpaceTrackClient({
    baseUrl: server.url,
    identity: server.identity,
    password: server.password,
    env: {},
    clock,
    random: () => 0.5,
    log: (e) => events.push(e),
    ...extra,
  });
}

async function all(gen: AsyncGenerator<SpaceTrackResponse>): Promise<SpaceTrackResponse[]> {
  const out: SpaceTrackResponse[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

function setsOf(responses: readonly SpaceTrackResponse[]): ElementSet[] {
  return responses
    .filter((r) => !r.empty)
    .flatMap((r) => {
      const p = parseElements(importText(r.body), { file: r.name });
      if (!p.ok) throw new Error(p.issues[0]?.message);
      expect(p.value.rejected).toEqual([]);
      return p.value.records.map((x) => x.elements);
    });
}

/** Largest number of Space-Track requests that arrived within any `windowMs`. */
function maxInWindow(requests: readonly RecordedRequest[], windowMs: number): number {
  const t = requests.filter((r) => r.service === 'spacetrack').map((r) => r.at);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while ((t[lo] as number) <= (t[hi] as number) - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('Space-Track credentials and session', () => {
  it('throws SYNC_NO_CREDENTIALS without identity or password, before any request', () => {
    const base = { baseUrl: server.url, clock };
    const codeOf = (o: SpaceTrackClientOptions) => {
      try {
        new SpaceTrackClient(o);
        return 'no error';
      } catch (e) {
        return (e as SyncError).code;
      }
    };
    expect(codeOf({ ...base, env: {} })).toBe('SYNC_NO_CREDENTIALS');
    expect(codeOf({ ...base, env: { SPACETRACK_IDENTITY: 'a@b.c' } })).toBe('SYNC_NO_CREDENTIALS');
    expect(codeOf({ ...base, env: { SPACETRACK_PASSWORD: 'x' } })).toBe('SYNC_NO_CREDENTIALS');
    expect(codeOf({ ...base, identity: '  ', password: 'x', env: {} })).toBe('SYNC_NO_CREDENTIALS');
    expect(server.requests).toEqual([]);
  });

  it('reads credentials from SPACETRACK_IDENTITY / SPACETRACK_PASSWORD', async () => {
    const c = new SpaceTrackClient({
      baseUrl: server.url,
      clock,
      env: { SPACETRACK_IDENTITY: server.identity, SPACETRACK_PASSWORD: server.password },
    });
    await c.login();
    expect(c.loggedIn).toBe(true);
    await c.logout();
  });

  it('reports a refused login as SYNC_LOGIN_FAILED without revealing the password', async () => {
    const secret = 'not-the-password-42';
    const c = client({ password: secret });
    const err = (await c.login().catch((e: unknown) => e)) as SyncError;
    expect(err.code).toBe('SYNC_LOGIN_FAILED');
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain(secret);
    expect(JSON.stringify(c)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/ajaxauth/login']]);
  });

  it('logs in by form POST, sends the session cookie, logs out', async () => {
    const c = client();
    const [r] = await all(c.gp({ noradIds: ['25544'] }));
    expect(setsOf([r as SpaceTrackResponse]).map((s) => s.catalogNumber)).toEqual(['25544']);
    await c.logout();
    expect(
      server.requests.map((q) => `${q.method} ${q.path.split('/').slice(0, 5).join('/')} ${q.status}`),
    ).toEqual([
      'POST /ajaxauth/login 200',
      'GET /basicspacedata/query/class/gp 200',
      'GET /ajaxauth/logout 200',
    ]);
    expect(server.requests[1]?.session).toBe(true);
    // The server does require the cookie: the same query without one is refused.
    const bare = await fetch(`${server.url}/basicspacedata/query/class/gp/NORAD_CAT_ID/25544/format/json`, {
      headers: { 'user-agent': 'Hoshimi/0.1.0 (test probe)' },
    });
    expect(bare.status).toBe(401);
  });

  it('logs in again once when the session expires (401), then gives up with SYNC_SESSION_EXPIRED', async () => {
    const c = client();
    await c.login();
    server.inject('spacetrack', { kind: 'expire-session' });
    const [r] = await all(c.gp({ noradIds: ['5'] }));
    expect(r?.empty).toBe(false);
    expect(server.requests.map((q) => `${q.path.slice(0, 15)} ${q.status}`)).toEqual([
      '/ajaxauth/login 200',
      '/basicspacedata 401',
      '/ajaxauth/login 200',
      '/basicspacedata 200',
    ]);
    expect(events.filter((e) => e.kind === 'relogin')).toHaveLength(1);
    server.inject('spacetrack', { kind: 'expire-session' }, 2);
    await expect(all(c.gp({ noradIds: ['5'] }))).rejects.toMatchObject({ code: 'SYNC_SESSION_EXPIRED' });
    expect(server.requests.length).toBe(7);
  });
});

describe('Space-Track queries', () => {
  it('builds the documented gp and gp_history paths', () => {
    expect(spaceTrackGpPaths()).toEqual([
      'class/gp/decay_date/null-val/epoch/%3Enow-30/orderby/norad_cat_id/format/json',
    ]);
    expect(
      spaceTrackGpPaths({ noradIds: ['25544', '000005'], epochWithinDays: null, format: 'xml' }),
    ).toEqual(['class/gp/NORAD_CAT_ID/25544,5/decay_date/null-val/orderby/norad_cat_id/format/xml']);
    expect(
      spaceTrackHistoryPaths({
        noradIds: ['27421'],
        from: '2002-05-01',
        to: '2002-05-03',
        daysPerRequest: 2,
      }),
    ).toEqual([
      'class/gp_history/NORAD_CAT_ID/27421/EPOCH/2002-05-01--2002-05-02%2023%3A59%3A59/orderby/NORAD_CAT_ID,EPOCH/format/json',
      'class/gp_history/NORAD_CAT_ID/27421/EPOCH/2002-05-03--2002-05-03%2023%3A59%3A59/orderby/NORAD_CAT_ID,EPOCH/format/json',
    ]);
    expect(() => spaceTrackHistoryPaths({ noradIds: [], from: '2002-05-01', to: '2002-05-03' })).toThrow(
      SyncError,
    );
    expect(() => spaceTrackHistoryPaths({ noradIds: ['1'], from: '2002-06-01', to: '2002-05-03' })).toThrow(
      /from ≤ to/,
    );
  });

  it('reads the current catalog (epoch within 30 days) in every format', async () => {
    const now = clock.now();
    const expected = server.dataset.catalog.filter((s) => epochMs(s) > now - 30 * 86_400_000);
    expect(expected.length).toBeGreaterThan(250);
    expect(expected.length).toBeLessThan(server.dataset.catalog.length);
    const c = client();
    const counts: Partial<Record<SpaceTrackFormat, number>> = {};
    for (const format of ['json', 'csv', 'xml', 'kvn', 'tle', '3le'] as const) {
      counts[format] = setsOf(await all(c.gp({ format }))).length;
    }
    const tleable = expected.filter((s) => s.catalogNumber.length <= 5).length;
    expect(counts).toEqual({
      json: expected.length,
      csv: expected.length,
      xml: expected.length,
      kvn: expected.length,
      tle: tleable,
      '3le': tleable,
    });
    await c.logout();
  });

  it('keeps 9-digit catalog numbers through Space-Track JSON (all values as strings)', async () => {
    const c = client();
    const sets = setsOf(await all(c.gp({ noradIds: [...NINE_DIGIT_IDS, '25544'], epochWithinDays: null })));
    expect(sets.map((s) => s.catalogNumber).sort()).toEqual([...NINE_DIGIT_IDS, '25544'].sort());
    const raw = JSON.parse(
      importText((await all(c.gp({ noradIds: ['800000001'] })))[0]?.body ?? new Uint8Array()),
    );
    expect(raw[0].NORAD_CAT_ID).toBe('800000001');
  });

  it('reads gp_history in bounded batches: every element set once', async () => {
    const c = client();
    const responses = await all(
      c.gpHistory({
        noradIds: [HISTORY_IDS.spot5, HISTORY_IDS.sentinel6a],
        from: '2002-01-01',
        to: '2022-12-31',
        idsPerRequest: 1,
        daysPerRequest: 3653,
      }),
    );
    // 2 ids × 3 windows of ten years.
    expect(responses.length).toBe(6);
    const sets = setsOf(responses);
    expect(sets.length).toBe(server.dataset.history.length);
    expect(sets.filter((s) => s.catalogNumber === HISTORY_IDS.spot5).length).toBe(250);
    expect(sets.filter((s) => s.catalogNumber === HISTORY_IDS.sentinel6a).length).toBe(665);
    // SPOT-5 (2002) fills only the first decade, Sentinel-6A (2020-2022) only the second and third.
    expect(responses.map((r) => r.empty)).toEqual([false, true, true, true, false, false]);
  });

  it('retries 500 and 429 (Retry-After) and the rate-limit document', async () => {
    const c = client();
    await c.login();
    server.inject('spacetrack', { kind: 'status', status: 500 });
    server.inject('spacetrack', { kind: 'status', status: 429, retryAfter: '30' });
    server.inject('spacetrack', { kind: 'rate-limit-document' });
    const [r] = await all(c.gp({ noradIds: ['25544'] }));
    expect(r?.empty).toBe(false);
    expect(server.requests.map((q) => q.status)).toEqual([200, 500, 429, 200, 200]);
    const t = server.requests.map((q) => q.at);
    expect((t[3] as number) - (t[2] as number)).toBeGreaterThanOrEqual(30_000);
    expect(c.stats.retries).toBe(3);
  });

  it('turns an error document into SYNC_SERVICE_ERROR', async () => {
    const c = client();
    await expect(c.query('class/no_such_class/format/json')).rejects.toMatchObject({
      code: 'SYNC_SERVICE_ERROR',
    });
  });
});

describe('Space-Track rate limits', () => {
  it('keeps ≤ 30 requests a minute over a 61-request history download, delaying rather than failing', async () => {
    const c = client();
    const responses = await all(
      c.gpHistory({ noradIds: [HISTORY_IDS.spot5], from: '2002-05-01', to: '2002-06-30', daysPerRequest: 1 }),
    );
    await c.logout();
    expect(responses.length).toBe(61);
    expect(server.requests.length).toBe(63);
    expect(server.violations).toEqual([]);
    expect(maxInWindow(server.requests, MINUTE_MS)).toBe(30);
    const sets = setsOf(responses);
    expect(sets.length).toBe(250);
    expect(new Set(sets.map((s) => epochMs(s))).size).toBe(250);
    // 63 requests at 30 a minute (plus the 1 s margin) need a little over two minutes of waiting.
    expect(clock.now() - Date.parse('2023-10-10T00:00:00Z')).toBeGreaterThanOrEqual(2 * MINUTE_MS);
    expect(c.limiter.waitedMs).toBeGreaterThanOrEqual(2 * MINUTE_MS);
    expect(events.some((e) => e.kind === 'rate-wait')).toBe(true);
  });

  it('keeps ≤ 300 requests an hour', async () => {
    const c = client();
    for (let i = 0; i < 330; i++) await c.query('class/gp/NORAD_CAT_ID/5/format/json');
    expect(server.violations).toEqual([]);
    expect(maxInWindow(server.requests, MINUTE_MS)).toBeLessThanOrEqual(30);
    expect(maxInWindow(server.requests, HOUR_MS)).toBe(300);
    expect(server.requests.length).toBe(331);
  });

  it('is what keeps the server happy: without the limiter the server counts violations', async () => {
    const c = client({ limits: [{ limit: 1000, windowMs: 1 }], maxRetries: 0 });
    const err = await (async () => {
      for (let i = 0; i < 40; i++) await c.query('class/gp/NORAD_CAT_ID/5/format/json');
    })().catch((e: unknown) => e);
    expect((err as SyncError).code).toBe('SYNC_RETRIES_EXHAUSTED');
    expect(server.violations.length).toBe(1);
  });
});
