/**
 * The catalog, propagation, conjunction and event routes on a real SQLite store filled from the
 * reference data (api-fixture.ts), through `app.inject` and once over a real loopback socket.
 * Numbers are checked against the store itself, `hoshimi propagate` and astro's CCSDS readers.
 */

import { readFileSync } from 'node:fs';
import {
  cdmToConjunctionInput,
  parseCdm,
  parseOemKvn,
  parseOmmJson,
  parseOmmKvn,
  parseOmmXml,
  parseRdm,
  parseTleText,
  rdmValue,
} from '@hoshimi/astro';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_TTL_MS } from '../src/http/etag.js';
import { buildServer } from '../src/index.js';
import {
  buildFixture,
  type Fixture,
  loadTestContext,
  runHoshimi,
  SCREEN_FROM,
  textOf,
} from './api-fixture.js';
import { type TestCredentials, testCredentials } from './auth-fixture.js';

/** The same SGP4 and frame code on both sides: positions agree to the JSON print (well below 1 mm). */
const ONE_MM_KM = 1e-6;
/** Recomputed states at the stored TCA (microsecond text, 15 km/s): within a few cm of the stored miss. */
const CDM_MISS_TOLERANCE_KM = 1e-3;

let fx: Fixture;
let app: FastifyInstance;
let viewer: TestCredentials;

beforeAll(async () => {
  fx = await buildFixture();
  viewer = await testCredentials(fx.store, { role: 'viewer' });
  const ctx = loadTestContext();
  app = await buildServer({ store: fx.store, storeLabel: fx.path, context: () => ctx });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await fx?.store.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url, headers: { ...viewer.headers, ...headers } });
}

describe('objects', () => {
  it('finds an object by catalog number, name substring and international designator', async () => {
    const byNumber = (await get('/objects?q=25544')).json();
    expect(byNumber.items.map((o: { catalogNumber: string }) => o.catalogNumber)).toEqual(['25544']);
    const padded = (await get('/objects?catalogNumber=00005')).json();
    expect(padded.items[0].catalogNumber).toBe('5');
    const byName = (await get('/objects?q=vanguard&limit=1000')).json();
    expect(byName.page.total).toBeGreaterThan(0);
    for (const o of byName.items) expect(o.name.toUpperCase()).toContain('VANGUARD');
    const byDesignator = (await get('/objects?q=1998-067')).json();
    expect(byDesignator.items.map((o: { catalogNumber: string }) => o.catalogNumber)).toContain('25544');
    for (const o of byDesignator.items) expect(o.intlDesignator.startsWith('1998-067')).toBe(true);
  });

  it('filters by type, owner and decay', async () => {
    const debris = (await get('/objects?type=DEBRIS&limit=1000')).json();
    expect(debris.page.total).toBeGreaterThan(10);
    for (const o of debris.items) expect(o.objectType).toBe('DEBRIS');
    const jpn = (await get('/objects?owner=JPN&limit=1000')).json();
    expect(jpn.page.total).toBeGreaterThan(0);
    for (const o of jpn.items) expect(o.ownerCode).toBe('JPN');
    const decayed = (await get('/objects?decayed=true&asOf=2023-10-09T12:00:00Z&limit=1000')).json();
    for (const o of decayed.items) expect(o.decayed).toBe(true);
    const live = (await get('/objects?decayed=false&asOf=2023-10-09T12:00:00Z&limit=1000')).json();
    for (const o of live.items) expect(o.decayed).toBe(false);
    const all = (await get('/objects?asOf=2023-10-09T12:00:00Z&limit=1')).json();
    expect(decayed.page.total + live.page.total).toBe(all.page.total);
  });

  it('shows one object: SATCAT data, latest set as of a time, data age, sources', async () => {
    const r = await get('/objects/25544?asOf=2003-01-01T00:00:00Z');
    expect(r.statusCode).toBe(200);
    const o = r.json();
    expect(o.object.name).toContain('ISS');
    expect(o.object.ownerCode).toBe('ISS');
    expect(o.object.satcatSource).toBe('spacetrack');
    expect(Date.parse(o.latest.epochUtc)).toBeLessThanOrEqual(Date.parse('2003-01-01T00:00:00Z'));
    expect(o.ageDays).toBeGreaterThanOrEqual(0);
    expect(o.ageDays).toBeLessThan(3);
    expect(o.sources).toEqual([
      expect.objectContaining({ source: 'file', label: 'UNMARKED', elementSets: o.elementSets }),
    ]);
    const stored = await fx.store.getObject('25544', '2003-01-01T00:00:00Z');
    expect(o.latest.id).toBe(stored?.latest?.id);
  });

  it('answers an unknown object with 404 in the error shape', async () => {
    const r = await get('/objects/999999999');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      code: 'NOT_FOUND',
      message: 'no object with catalog number 999999999',
      field: 'params.catalogNumber',
    });
    expect((await get('/objects/999999999/history')).statusCode).toBe(404);
    expect((await get('/objects/999999999/elements')).statusCode).toBe(404);
  });
});

describe('element sets', () => {
  it('pages through a history with cursors and a Link header, losing and repeating nothing', async () => {
    const all = await fx.store.history('25544');
    expect(all.length).toBeGreaterThan(10_000);
    const seen: number[] = [];
    let url: string | null = '/objects/25544/history?limit=1000';
    let pages = 0;
    while (url !== null) {
      const r = await get(url);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.page.total).toBe(all.length);
      seen.push(...body.items.map((s: { id: number }) => s.id));
      const link = r.headers['link'] as string | undefined;
      if (body.page.next === null) {
        expect(link).toBeUndefined();
        url = null;
      } else {
        expect(link).toBe(`</objects/25544/history?limit=1000&cursor=${body.page.next}>; rel="next"`);
        url = /<([^>]+)>/.exec(link ?? '')?.[1] ?? null;
      }
      pages++;
    }
    expect(pages).toBe(Math.ceil(all.length / 1000));
    expect(seen).toEqual(all.map((s) => s.id));
    const window = (
      await get('/objects/25544/history?from=2000-01-01T00:00:00Z&to=2000-01-31T00:00:00Z&limit=1000')
    ).json();
    expect(window.page.total).toBe(
      all.filter((s) => s.epochUtc >= '2000-01-01' && s.epochUtc <= '2000-01-31T00:00:00Z').length,
    );
    const offset = (await get('/objects/25544/history?offset=10&limit=5')).json();
    expect(offset.items.map((s: { id: number }) => s.id)).toEqual(all.slice(10, 15).map((s) => s.id));
  });

  it('gives the catalog as of a time, equal to the store rule', async () => {
    const asOf = '2023-10-10T00:00:00Z';
    const expected = await fx.store.asOf(asOf);
    const first = (await get(`/catalog?asOf=${asOf}&limit=700`)).json();
    expect(first.page.total).toBe(expected.length);
    expect(first.items.map((s: { id: number }) => s.id)).toEqual(expected.slice(0, 700).map((s) => s.id));
    const second = (await get(`/catalog?asOf=${asOf}&limit=700&cursor=${first.page.next}`)).json();
    expect(second.items.map((s: { id: number }) => s.id)).toEqual(expected.slice(700, 1400).map((s) => s.id));
    for (const s of first.items) expect(Date.parse(s.epochUtc)).toBeLessThanOrEqual(Date.parse(asOf));
    // In 2000 only the ISS history existed in this store.
    const old = (await get('/catalog?asOf=2000-06-01T00:00:00Z')).json();
    expect(old.items.map((s: { catalogNumber: string }) => s.catalogNumber)).toEqual(['25544']);
  });

  it('exports element sets as OMM (KVN, XML, JSON) and TLE that read back to the stored set', async () => {
    const stored = (await fx.store.getObject('25544', '2003-01-01T00:00:00Z'))!.latest!;
    const q = 'asOf=2003-01-01T00:00:00Z';
    const kvn = await get(`/objects/25544/elements?format=omm-kvn&${q}`);
    expect(kvn.headers['content-type']).toContain('text/plain');
    const omm = [
      parseOmmKvn(kvn.body),
      parseOmmXml((await get(`/objects/25544/elements?format=omm-xml&${q}`)).body),
      parseOmmJson((await get(`/objects/25544/elements?format=omm-json&${q}`)).body),
    ];
    const tle = parseTleText((await get(`/objects/25544/elements?format=tle&${q}`)).body);
    const sets = [
      ...omm.map((p) => (p.ok ? p.value.messages[0]?.elementSet : undefined)),
      tle.ok ? tle.value.records[0]?.elements : undefined,
    ];
    for (const e of sets) {
      expect(e).toBeDefined();
      if (e === undefined) continue;
      expect(e.catalogNumber).toBe('25544');
      expect(e.epoch.jd + e.epoch.jdFrac).toBeCloseTo(
        stored.elements.epoch.jd + stored.elements.epoch.jdFrac,
        8,
      );
      expect(e.meanMotionRadPerMin).toBeCloseTo(stored.elements.meanMotionRadPerMin, 10);
      expect(e.eccentricity).toBeCloseTo(stored.elements.eccentricity, 7);
    }
    const history = parseTleText((await get('/objects/25544/elements?format=3le&history=true')).body);
    expect(history.ok && history.value.records.length).toBe((await fx.store.history('25544')).length);
    const catalog = parseTleText((await get('/catalog/export?format=tle&asOf=2023-10-09T00:00:00Z')).body);
    expect(catalog.ok && catalog.value.records.length).toBe(
      (await fx.store.asOf('2023-10-09T00:00:00Z')).length,
    );
  });
});

describe('ephemerides', () => {
  const window = 'start=2023-10-09T12:00:00Z&stop=2023-10-09T13:00:00Z&stepS=600';

  it('matches `hoshimi propagate` in GCRF from the same store set', async () => {
    const r = await get(`/objects/5/ephemeris?${window}&frame=GCRF&asOf=2023-10-10T00:00:00Z`);
    expect(r.statusCode).toBe(200);
    const eph = r.json();
    expect(eph.samples).toHaveLength(7);
    const cli = runHoshimi([
      'propagate',
      '--db',
      fx.path,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--from',
      '2023-10-09T12:00:00Z',
      '--to',
      '2023-10-09T13:00:00Z',
      '--step',
      '600',
      '--frame',
      'GCRF',
      '--format',
      'json',
      '--workers',
      '1',
    ]);
    expect(cli.status).toBe(0);
    const object = JSON.parse(cli.stdout).objects.find((o: { id: string }) => o.id === '5');
    expect(object.states).toHaveLength(7);
    object.states.forEach((s: Record<string, number | string>, k: number) => {
      const mine = eph.samples[k];
      expect(mine.timeUtc).toBe(s['time_utc']);
      expect(Math.abs(mine.position[0] - (s['x_km'] as number))).toBeLessThan(ONE_MM_KM);
      expect(Math.abs(mine.position[1] - (s['y_km'] as number))).toBeLessThan(ONE_MM_KM);
      expect(Math.abs(mine.position[2] - (s['z_km'] as number))).toBeLessThan(ONE_MM_KM);
      expect(Math.abs(mine.velocity[0] - (s['vx_km_s'] as number))).toBeLessThan(ONE_MM_KM);
    });
  });

  it('writes an OEM that reads back, and geodetic samples', async () => {
    const oem = await get(`/objects/5/ephemeris?${window}&frame=ITRF&format=oem`);
    expect(oem.statusCode).toBe(200);
    const parsed = parseOemKvn(oem.body);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.segments[0]!.meta.refFrame).toBe('ITRF');
      expect(parsed.value.segments[0]!.states).toHaveLength(7);
    }
    const geo = (await get(`/objects/5/ephemeris?${window}&frame=GEODETIC`)).json();
    for (const s of geo.samples) {
      expect(Math.abs(s.position[0])).toBeLessThanOrEqual(90);
      expect(s.position[2]).toBeGreaterThan(500);
    }
  });

  it('refuses a window of too many samples with 400 and the field', async () => {
    const r = await get('/objects/5/ephemeris?start=2023-10-01T00:00:00Z&stop=2023-10-09T00:00:00Z&stepS=1');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'TOO_MANY_SAMPLES', field: 'querystring.stepS' });
    const backwards = await get('/objects/5/ephemeris?start=2023-10-09T00:00:00Z&stop=2023-10-08T00:00:00Z');
    expect(backwards.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'querystring.stop' });
    const geoOem = await get(`/objects/5/ephemeris?${window}&frame=GEODETIC&format=oem`);
    expect(geoOem.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'querystring.frame' });
  });
});

describe('conjunctions', () => {
  it('lists the latest screening, filtered, sorted and paged', async () => {
    const [run] = await fx.store.listScreenings(1);
    const stored = (await fx.store.conjunctions())!.conjunctions;
    expect(stored.length).toBeGreaterThan(20);
    const all = (await get('/conjunctions?limit=1000')).json();
    expect(all.screening.id).toBe(run!.id);
    expect(all.screening.windowStart.startsWith(SCREEN_FROM.slice(0, 19))).toBe(true);
    expect(all.page.total).toBe(stored.length);

    const id = stored[0]!.id1;
    const mine = (await get(`/conjunctions?catalogNumber=${id}&limit=1000`)).json();
    expect(mine.page.total).toBe(stored.filter((c) => c.id1 === id || c.id2 === id).length);
    for (const c of mine.items) expect([c.id1, c.id2]).toContain(id);

    const close = (await get('/conjunctions?maxMissKm=3&limit=1000')).json();
    expect(close.page.total).toBe(stored.filter((c) => c.missKm <= 3).length);
    const likely = (await get('/conjunctions?minPc=1e-5&limit=1000')).json();
    expect(likely.page.total).toBe(stored.filter((c) => c.pc !== null && c.pc >= 1e-5).length);
    const window = (
      await get('/conjunctions?from=2023-10-09T18:00:00Z&to=2023-10-10T00:00:00Z&limit=1000')
    ).json();
    expect(window.page.total).toBe(
      stored.filter((c) => c.tcaUtc >= '2023-10-09T18:00:00' && c.tcaUtc <= '2023-10-10T00:00:00Z').length,
    );

    const byMiss = (await get('/conjunctions?sort=miss&limit=1000'))
      .json()
      .items.map((c: { missKm: number }) => c.missKm);
    expect(byMiss).toEqual([...byMiss].sort((a, b) => a - b));
    const byPc = (await get('/conjunctions?sort=-pc&limit=1000'))
      .json()
      .items.map((c: { pc: number }) => c.pc);
    expect(byPc).toEqual([...byPc].sort((a, b) => b - a));

    const ids: string[] = [];
    let next: string | null = null;
    do {
      const page: { items: { id: string }[]; page: { next: string | null } } = (
        await get(`/conjunctions?sort=miss&limit=7${next === null ? '' : `&cursor=${next}`}`)
      ).json();
      ids.push(...page.items.map((c) => c.id));
      next = page.page.next;
    } while (next !== null);
    expect(ids).toHaveLength(stored.length);
    expect(new Set(ids).size).toBe(stored.length);
  });

  it('shows a screening with its primaries and data quality; 404s a missing one', async () => {
    const [run] = await fx.store.listScreenings(1);
    const r = (await get(`/screenings/${run!.id}`)).json();
    expect(r.screening).toMatchObject({
      id: run!.id,
      primaryCount: null,
      conjunctionCount: run!.conjunctionCount,
    });
    expect(r.primaries).toBeNull();
    expect(r.dataQuality).toEqual(run!.dataQuality);
    expect((await get('/screenings')).json().items[0].id).toBe(run!.id);
    expect((await get('/screenings/99')).json()).toMatchObject({
      code: 'NOT_FOUND',
      field: 'params.screeningId',
    });
    expect((await get('/conjunctions?screeningId=99')).json()).toMatchObject({
      code: 'NOT_FOUND',
      field: 'querystring.screeningId',
    });
  });

  it('shows one conjunction and 404s a missing one', async () => {
    const first = (await get('/conjunctions?limit=1')).json().items[0];
    const one = (await get(`/conjunctions/${first.id}`)).json();
    expect(one.conjunction).toEqual(first);
    const missing = await get('/conjunctions/1-999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND', field: 'params.id' });
    expect((await get('/conjunctions/77-1')).statusCode).toBe(404);
  });

  it('writes a CDM (KVN and XML) that the astro reader takes back with the stored numbers', async () => {
    const first = (await get('/conjunctions?sort=miss&limit=1')).json().items[0];
    for (const format of ['kvn', 'xml']) {
      const r = await get(`/conjunctions/${first.id}/cdm?format=${format}`);
      expect(r.statusCode).toBe(200);
      const parsed = parseCdm(r.body);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      const input = cdmToConjunctionInput(parsed.value);
      expect(input.missDistanceKm).toBeCloseTo(first.missKm, 3);
      expect(input.tca.text.slice(0, 23)).toBe(first.tcaUtc.slice(0, 23));
      expect(input.objects[0].objectDesignator).toBe(first.id1);
      expect(input.objects[1].objectDesignator).toBe(first.id2);
      const [p, s] = input.objects;
      const d = Math.hypot(
        s.positionKm[0] - p.positionKm[0],
        s.positionKm[1] - p.positionKm[1],
        s.positionKm[2] - p.positionKm[2],
      );
      expect(Math.abs(d - first.missKm)).toBeLessThan(CDM_MISS_TOLERANCE_KM);
    }
  });

  it('answers 304 to a matching If-None-Match, for lists and the catalog', async () => {
    for (const url of [
      '/conjunctions?sort=pc&limit=5',
      '/catalog?asOf=2023-10-09T00:00:00Z&limit=5',
      '/objects/25544/history?limit=5',
      '/events?limit=5',
    ]) {
      const r = await get(url);
      const etag = r.headers['etag'] as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const other = await get(url.replace('limit=5', 'limit=6'));
      expect(other.headers['etag']).not.toBe(etag);
    }
  });
});

describe('events', () => {
  it('lists stored maneuvers by type, object and window; shows one', async () => {
    expect(fx.maneuvers).toBeGreaterThan(0);
    const all = (await get('/events?type=maneuver&limit=1000')).json();
    expect(all.page.total).toBe(fx.maneuvers);
    const iss = (await get('/events?catalogNumber=25544&limit=1000')).json();
    expect(iss.page.total).toBe(fx.maneuvers);
    const year = (await get('/events?from=2001-01-01T00:00:00Z&to=2001-12-31T23:59:59Z&limit=1000')).json();
    for (const e of year.items) {
      expect(e.windowEndUtc >= '2001-01-01').toBe(true);
      expect(e.windowStartUtc <= '2001-12-31T23:59:59Z').toBe(true);
    }
    expect((await get('/events?type=reentry')).json().page.total).toBe(1);
    const detector = all.items[0].detector;
    expect((await get(`/events?detector=${encodeURIComponent(detector)}&limit=1000`)).json().page.total).toBe(
      fx.maneuvers,
    );
    expect((await get('/events?detector=no-such-detector')).json().page.total).toBe(0);
    const paged = (await get('/events?type=maneuver&limit=2')).json();
    expect(paged.items).toEqual(all.items.slice(0, 2));
    const one = await get(`/events/${all.items[0].id}`);
    expect(one.json()).toEqual(all.items[0]);
    expect((await get('/events/999999')).json()).toMatchObject({ code: 'NOT_FOUND', field: 'params.id' });
  });

  it('exports a reentry event as the RDM the CLI wrote with it (less the state vector); refuses other types', async () => {
    const [reentry] = (await get('/events?type=reentry')).json().items;
    const res = await get(`/events/${reentry.id}/rdm`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const api = parseRdm(res.body);
    const cli = parseRdm(readFileSync(fx.reentryRdm, 'utf8'));
    if (!api.ok || !cli.ok) throw new Error('an RDM did not read back');
    expect(api.value.blocks.stateVector).toBeUndefined();
    for (const key of [
      'OBJECT_DESIGNATOR',
      'INTERNATIONAL_DESIGNATOR',
      'EPOCH_TZERO',
      'NOMINAL_REENTRY_EPOCH',
      'REENTRY_WINDOW_START',
      'REENTRY_WINDOW_END',
      'ORBIT_LIFETIME',
      'REENTRY_ALTITUDE',
      'NOMINAL_IMPACT_LAT',
      'NOMINAL_IMPACT_LON',
      'BALLISTIC_COEFF',
    ]) {
      expect(rdmValue(api.value, key), key).toEqual(rdmValue(cli.value, key));
    }
    // The track ends from the evidence's degrees (4 decimals): within 2e-6 rad of the CLI's.
    for (const key of ['IMPACT_1_START_LAT', 'IMPACT_1_STOP_LON']) {
      expect(
        Math.abs((rdmValue(api.value, key) as number) - (rdmValue(cli.value, key) as number)),
        key,
      ).toBeLessThan(2e-6);
    }
    const xml = await get(`/events/${reentry.id}/rdm?format=xml`);
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(parseRdm(xml.body).ok).toBe(true);
    const [maneuver] = (await get('/events?type=maneuver&limit=1')).json().items;
    expect((await get(`/events/${maneuver.id}/rdm`)).json()).toMatchObject({
      code: 'EVENT_TYPE',
      field: 'params.id',
    });
    expect((await get('/events/999999/rdm')).statusCode).toBe(404);
  });
});

describe('input validation', () => {
  it.each([
    ['/objects?limit=0', 'querystring.limit'],
    ['/objects?limit=5000', 'querystring.limit'],
    ['/objects?asOf=yesterday', 'querystring.asOf'],
    ['/objects?type=SATELLITE', 'querystring.type'],
    ['/objects/12ab', 'params.catalogNumber'],
    ['/catalog?cursor=bm9wZQ', 'querystring.cursor'],
    ['/conjunctions?sort=size', 'querystring.sort'],
    ['/conjunctions?minPc=2', 'querystring.minPc'],
    ['/conjunctions?maxMissKm=-1', 'querystring.maxMissKm'],
    ['/objects/5/ephemeris?start=2023-10-09T00:00:00Z', 'querystring.stop'],
    [
      '/objects/5/ephemeris?start=2023-10-09T00:00:00Z&stop=2023-10-09T01:00:00Z&frame=ECEF',
      'querystring.frame',
    ],
    ['/events?type=explosion', 'querystring.type'],
    ['/objects?foo=1', 'querystring.foo'],
  ])('%s → 400 naming %s', async (url, field) => {
    const r = await get(url);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toMatch(/^[A-Z_]+$/);
    expect(body.field).toBe(field);
    expect(typeof body.message).toBe('string');
  });
});

describe('answers kept by ETag', () => {
  it('sends a repeated query the same bytes, Link and ETag', async () => {
    const url = '/catalog?asOf=2023-10-10T00:00:00Z&limit=50&offset=100';
    const a = await get(url);
    const b = await get(url);
    expect(b.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(b.headers['etag']).toBe(a.headers['etag']);
    expect(b.headers['link']).toBe(a.headers['link']);
    expect(b.headers['content-type']).toContain('application/json');
  });

  it('changes the ETag and the answer after an import (within a second)', async () => {
    const url = '/objects/5/history';
    const before = await get(url);
    const total = before.json().page.total;
    // Vanguard 1 in the 2022-01-22 catalog: one more element set of object 5.
    const lines = textOf('catalog/full_catalog_2022-01-22.3le.txt.gz').split(/\r?\n/);
    const at = lines.findIndex((l) => /^1 00005/.test(l));
    const record = `${lines.slice(at - 1, at + 2).join('\n')}\n`;
    const report = await fx.store.importFile({
      name: 'vanguard-2022',
      bytes: new TextEncoder().encode(record),
    });
    expect(report.inserted).toBe(1);
    await new Promise((r) => setTimeout(r, STATE_TTL_MS + 100));
    const after = await get(url, { 'if-none-match': before.headers['etag'] as string });
    expect(after.statusCode).toBe(200);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
    expect(after.json().page.total).toBe(total + 1);
  });
});

describe('over a real socket', () => {
  it('serves the conjunction list and the API document on loopback', async () => {
    const ctx = loadTestContext();
    const live = await buildServer({ store: fx.store, storeLabel: fx.path, context: () => ctx });
    const address = await live.listen({ host: '127.0.0.1', port: 0 });
    try {
      const r = await fetch(`${address}/conjunctions?sort=miss&limit=3`, { headers: viewer.headers });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { items: unknown[] };
      expect(body.items).toHaveLength(3);
      expect(r.headers.get('link')).toContain('rel="next"');
      const etag = r.headers.get('etag')!;
      const again = await fetch(`${address}/conjunctions?sort=miss&limit=3`, {
        headers: { ...viewer.headers, 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
      const doc = (await (await fetch(`${address}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(doc.paths['/conjunctions']).toBeDefined();
    } finally {
      await live.close();
    }
  });
});
