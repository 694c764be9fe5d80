/**
 * The console's data routes and the static console on a real SQLite store holding the 2023-10-09
 * catalog: the catalog as element columns, search by number, name and designator, one object with
 * its history, input validation at the edge, and the built console (or the "not built" page) at `/`.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.js';
import { WEB_DIST_DIR } from '../src/routes/web.js';
import { authedInject, testCredentials } from './auth-fixture.js';

const REFERENCE_DATA =
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data');
const CATALOG = join(REFERENCE_DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
/** Objects in the 2023-10-09 snapshot (one element set each). */
const CATALOG_OBJECTS = 26_140;

describe('console data routes', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-console-')), 'catalog.db');
  const store = await openSqliteStore(path, { mode: 'create' });
  await store.importFile({ name: CATALOG, bytes: readFileSync(CATALOG) });
  const app = await buildServer({ store, storeLabel: path });
  const inject = authedInject(app, await testCredentials(store, { role: 'viewer' }));
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('serves the catalog as element columns of equal length', async () => {
    const r = await inject({ url: '/console/catalog' });
    expect(r.statusCode).toBe(200);
    const c = r.json();
    expect(c.count).toBe(CATALOG_OBJECTS);
    for (const key of ['catalogNumber', 'type', 'epochJd', 'meanMotionRadPerMin', 'bstar']) {
      expect(c[key]).toHaveLength(CATALOG_OBJECTS);
    }
    const iss = c.catalogNumber.indexOf('25544');
    expect(c.name[iss]).toBe('ISS (ZARYA)');
    // ISS: about 15.5 rev/day = 0.0676 rad/min, inclination 51.64°.
    expect(c.meanMotionRadPerMin[iss]).toBeCloseTo((15.5 * 2 * Math.PI) / 1440, 2);
    expect((c.inclinationRad[iss] * 180) / Math.PI).toBeCloseTo(51.64, 1);
  });

  it('finds objects by number, name and international designator', async () => {
    const byNumber = (await inject({ url: '/console/search?q=25544' })).json();
    expect(byNumber.results[0].object.name).toBe('ISS (ZARYA)');
    const byName = (await inject({ url: '/console/search?q=zarya' })).json();
    expect(
      byName.results.map((x: { object: { catalogNumber: string } }) => x.object.catalogNumber),
    ).toContain('25544');
    const byDesignator = (await inject({ url: '/console/search?q=1998-067A' })).json();
    expect(byDesignator.results[0].object.catalogNumber).toBe('25544');
  });

  it('returns one object with its history, 404 for an unknown one, 400 for bad input', async () => {
    const one = (await inject({ url: '/console/objects/25544' })).json();
    expect(one.history).toHaveLength(1);
    expect(one.latest.elements.catalogNumber).toBe('25544');
    const missing = await inject({ url: '/console/objects/999999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
    const bad = await inject({ url: '/console/objects/ISS' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'params.id' });
    const empty = await inject({ url: '/console/search?q=' });
    expect(empty.statusCode).toBe(400);
  });

  it('answers with no screening as an empty list', async () => {
    const r = (await inject({ url: '/console/conjunctions' })).json();
    expect(r).toEqual({ screening: null, conjunctions: [] });
  });

  it('serves the console at / (or says how to build it), the API keeping its paths', async () => {
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    if (existsSync(join(WEB_DIST_DIR, 'index.html'))) {
      expect(r.body).toContain('<div id="app">');
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(r.body)?.[1];
      expect(asset).toBeDefined();
      expect((await app.inject({ url: asset ?? '' })).statusCode).toBe(200);
      const tiles = await app.inject({ url: '/cesium/Assets/Textures/NaturalEarthII/tilemapresource.xml' });
      expect(tiles.statusCode).toBe(200);
    } else {
      expect(r.body).toContain('npm run build');
    }
    // Open to anyone, /health says nothing about the data.
    expect((await app.inject({ url: '/health' })).json().objects).toBeUndefined();
    expect((await inject({ url: '/console/catalog' })).json().count).toBe(CATALOG_OBJECTS);
    expect((await app.inject({ url: '/no/such/file.js' })).json().code).toBe('NOT_FOUND');
  });
});
