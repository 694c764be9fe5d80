/**
 * CelesTrak GP client against the loopback imitation (sync-server.ts): every format, the query
 * kinds, 9-digit catalog numbers, CelesTrak's plain-text answers as typed results, retries with
 * Retry-After and backoff, and the User-Agent on every request. Only 127.0.0.1 is contacted.
 */
import { type ElementSet, parseElements, TLE_MAX_CATALOG_NUMBER } from '@hoshimi/astro';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CELESTRAK_ACTIVE,
  CelesTrakClient,
  type CelesTrakFormat,
  type CelesTrakResult,
  celestrakGpUrl,
  HOSHIMI_USER_AGENT,
  SyncError,
} from '../src/sync/index.js';
import {
  createVirtualClock,
  NINE_DIGIT_IDS,
  type SyncTestServer,
  startSyncTestServer,
  type VirtualClock,
} from './sync-server.js';
import { importText } from './sync-sink.js';

/** GP text writes angles with 4 decimals of a degree: half a unit of the last place, in rad. */
const ANGLE_ROUNDING_RAD = (0.5e-4 * Math.PI) / 180;
/** Mean motion has 8 decimals of rev/day: half a unit, in rad/min. */
const MEAN_MOTION_ROUNDING_RAD_PER_MIN = (0.5e-8 * 2 * Math.PI) / 1440;

let clock: VirtualClock;
let server: SyncTestServer;

beforeEach(async () => {
  clock = createVirtualClock('2023-10-10T00:00:00Z');
  server = await startSyncTestServer({ clock });
});

afterEach(async () => {
  // Every request that reached the server named Hoshimi.
  for (const r of server.requests) expect(r.userAgent).toMatch(/^Hoshimi\/\d+\.\d+\.\d+ /);
  await server.close();
});

function client(extra: Partial<ConstructorParameters<typeof CelesTrakClient>[0]> = {}): CelesTrakClient {
  return new CelesTrakClient({ baseUrl: server.url, clock, random: () => 0.5, ...extra });
}

function elementsOf(r: CelesTrakResult): ElementSet[] {
  if (r.kind !== 'elements')
    throw new Error(`expected elements, got ${r.kind}: ${'message' in r ? r.message : ''}`);
  const p = parseElements(importText(r.body), { file: r.name });
  if (!p.ok) throw new Error(p.issues[0]?.message);
  expect(p.value.rejected).toEqual([]);
  return p.value.records.map((x) => x.elements);
}

describe('CelesTrak GP queries', () => {
  it('builds the documented URL, FORMAT=json by default, against CelesTrak by default', () => {
    expect(celestrakGpUrl('https://celestrak.org', CELESTRAK_ACTIVE)).toBe(
      'https://celestrak.org/NORAD/elements/gp.php?GROUP=active&FORMAT=json',
    );
    expect(celestrakGpUrl('http://127.0.0.1:1', { by: 'NAME', value: 'COSMOS 1408', format: 'csv' })).toBe(
      'http://127.0.0.1:1/NORAD/elements/gp.php?NAME=COSMOS+1408&FORMAT=csv',
    );
    expect(new CelesTrakClient().baseUrl).toBe('https://celestrak.org');
  });

  it('reads GROUP=active in every format with the expected counts', async () => {
    const c = client();
    const all = server.dataset.catalog;
    const tleable = all.filter((s) => Number(s.catalogNumber) <= TLE_MAX_CATALOG_NUMBER);
    expect(tleable.length).toBe(all.length - NINE_DIGIT_IDS.length);
    const expected: Record<CelesTrakFormat, number> = {
      json: all.length,
      csv: all.length,
      xml: all.length,
      kvn: all.length,
      tle: tleable.length,
      '3le': tleable.length,
    };
    const byId = new Map(all.map((s) => [s.catalogNumber, s]));
    for (const format of Object.keys(expected) as CelesTrakFormat[]) {
      const sets = elementsOf(await c.gp({ by: 'GROUP', value: 'active', format }));
      expect(sets.length, format).toBe(expected[format]);
      expect(new Set(sets.map((s) => s.catalogNumber)).size, format).toBe(expected[format]);
      for (const s of sets) {
        const ref = byId.get(s.catalogNumber);
        expect(ref, `${format} ${s.catalogNumber}`).toBeDefined();
        expect(Math.abs(s.inclinationRad - (ref as ElementSet).inclinationRad)).toBeLessThanOrEqual(
          ANGLE_ROUNDING_RAD,
        );
        expect(Math.abs(s.meanMotionRadPerMin - (ref as ElementSet).meanMotionRadPerMin)).toBeLessThanOrEqual(
          MEAN_MOTION_ROUNDING_RAD_PER_MIN,
        );
      }
    }
    expect(c.stats.requests).toBe(6);
    expect(c.stats.retries).toBe(0);
  });

  it('keeps 9-digit catalog numbers in the OMM formats; TLE output leaves them out', async () => {
    const c = client();
    for (const id of NINE_DIGIT_IDS) {
      for (const format of ['json', 'csv', 'xml', 'kvn'] as const) {
        const sets = elementsOf(await c.gp({ by: 'CATNR', value: id, format }));
        expect(sets.map((s) => s.catalogNumber)).toEqual([id]);
        expect(sets[0]?.name).toBe(`HOSHIMI TEST ${id}`);
      }
      const tle = await c.gp({ by: 'CATNR', value: id, format: 'tle' });
      expect(tle.kind).toBe('no-data');
    }
    const active = elementsOf(await c.gp(CELESTRAK_ACTIVE)).map((s) => s.catalogNumber);
    for (const id of NINE_DIGIT_IDS) expect(active).toContain(id);
  });

  it('answers INTDES, NAME, SPECIAL and named GROUP queries', async () => {
    const c = client();
    const cat = server.dataset.catalog;
    const launch = cat.filter((s) => s.intlDesignator?.startsWith('1982-092'));
    expect(launch.length).toBe(107);
    expect(elementsOf(await c.gp({ by: 'INTDES', value: '1982-092' })).length).toBe(launch.length);
    const named = elementsOf(await c.gp({ by: 'NAME', value: 'COSMOS 1408' }));
    expect(named.length).toBe(cat.filter((s) => s.name?.includes('COSMOS 1408')).length);
    expect(named.length).toBeGreaterThan(100);
    const debris = elementsOf(await c.gp({ by: 'GROUP', value: 'cosmos-1408-debris', format: 'csv' }));
    expect(debris.every((s) => s.name?.includes('DEB'))).toBe(true);
    expect(debris.length).toBe(launch.length - 2); // less the payload and its rocket body
    const gpz = elementsOf(await c.gp({ by: 'SPECIAL', value: 'gpz', format: 'xml' }));
    expect(gpz.length).toBeGreaterThan(0);
    for (const s of gpz) expect((s.meanMotionRadPerMin * 1440) / (2 * Math.PI)).toBeCloseTo(1, 1);
  });

  it('returns CelesTrak text answers as typed results, not element data', async () => {
    const c = client();
    const none = await c.gp({ by: 'GROUP', value: 'no-such-group' });
    expect(none.kind).toBe('no-data');
    server.inject('celestrak', { kind: 'not-updated' });
    const stale = await c.gp(CELESTRAK_ACTIVE);
    expect(stale.kind).toBe('not-updated');
    expect(stale.kind === 'not-updated' && stale.message).toMatch(/GROUP=active/);
    const invalid = await c.gp({ by: 'SPECIAL', value: 'no-such-special' });
    expect(invalid.kind).toBe('service-message');
    expect(invalid.kind === 'service-message' && invalid.message).toBe('Invalid query');
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('rejects a malformed query before sending it', async () => {
    const c = client();
    await expect(c.gp({ by: 'CATNR', value: '25544; DROP' })).rejects.toMatchObject({
      code: 'SYNC_BAD_QUERY',
    });
    await expect(c.gp({ by: 'CATNR', value: '1234567890' })).rejects.toMatchObject({
      code: 'SYNC_BAD_QUERY',
    });
    expect(server.requests.length).toBe(0);
  });
});

describe('CelesTrak politeness', () => {
  it('waits at least Retry-After after a 429', async () => {
    server.inject('celestrak', { kind: 'status', status: 429, retryAfter: '7' });
    const r = await client().gp(CELESTRAK_ACTIVE);
    expect(r.kind).toBe('elements');
    const [first, second] = server.requests;
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(7000);
    expect(clock.sleeps[0]).toBeLessThan(8000);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const at = new Date(clock.now() + 42_000).toUTCString();
    server.inject('celestrak', { kind: 'status', status: 503, retryAfter: at });
    await client().gp(CELESTRAK_ACTIVE);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(42_000);
  });

  it('backs off exponentially with jitter on 503 without Retry-After', async () => {
    server.inject('celestrak', { kind: 'status', status: 503 }, 3);
    const jitter = [0, 0.999, 0.25];
    const c = client({ random: () => jitter.shift() ?? 0, baseDelayMs: 1000 });
    expect((await c.gp(CELESTRAK_ACTIVE)).kind).toBe('elements');
    // Retry k waits between half and all of 1000·2^k ms.
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.sleeps[0]).toBe(500);
    expect(clock.sleeps[1]).toBeCloseTo(1000 + 0.999 * 1000, 6);
    expect(clock.sleeps[2]).toBe(2000 + 0.25 * 2000);
    expect(c.stats.retries).toBe(3);
  });

  it('gives up after the retry budget with SYNC_RETRIES_EXHAUSTED', async () => {
    server.inject('celestrak', { kind: 'status', status: 500 }, 10);
    const err = await client({ maxRetries: 2 })
      .gp(CELESTRAK_ACTIVE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('SYNC_RETRIES_EXHAUSTED');
    expect((err as SyncError).details['status']).toBe(500);
    expect(server.requests.length).toBe(3);
  });

  it('refuses a Retry-After beyond the limit with SYNC_RATE_LIMITED, without retrying', async () => {
    server.inject('celestrak', { kind: 'status', status: 429, retryAfter: '3600' });
    await expect(client({ maxRetryAfterMs: 600_000 }).gp(CELESTRAK_ACTIVE)).rejects.toMatchObject({
      code: 'SYNC_RATE_LIMITED',
    });
    expect(server.requests.length).toBe(1);
  });

  it('does not retry a 403 or 404', async () => {
    server.inject('celestrak', { kind: 'status', status: 403, body: 'Access denied' });
    await expect(client().gp(CELESTRAK_ACTIVE)).rejects.toMatchObject({ code: 'SYNC_HTTP' });
    server.inject('celestrak', { kind: 'status', status: 404 });
    await expect(client().gp(CELESTRAK_ACTIVE)).rejects.toMatchObject({ code: 'SYNC_HTTP' });
    expect(server.requests.map((r) => r.status)).toEqual([403, 404]);
  });

  it('sends the Hoshimi User-Agent (or the configured one) on every request, retries included', async () => {
    server.inject('celestrak', { kind: 'status', status: 503 }, 2);
    await client().gp(CELESTRAK_ACTIVE);
    expect(server.requests.length).toBe(3);
    expect(server.requests.every((r) => r.userAgent === HOSHIMI_USER_AGENT)).toBe(true);
    await client({ userAgent: 'Hoshimi/0.1.0 (ops desk; contact ops@example.org)' }).gp(CELESTRAK_ACTIVE);
    expect(server.requests[3]?.userAgent).toBe('Hoshimi/0.1.0 (ops desk; contact ops@example.org)');
  });
});
