/**
 * The server skeleton on a real SQLite store: /health, the error shape of a missing route and of
 * bad input, and the OpenAPI 3.1 document the route schemas generate.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.js';

describe('server skeleton', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-server-')), 'catalog.db');
  const store = await openSqliteStore(path, { mode: 'create' });
  const app = await buildServer({ store, storeLabel: path });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('/health reports the store and its (empty) catalog', async () => {
    const r = await app.inject({ url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', version: '0.1.0', store: path });
  });

  it('answers a missing route with the API error shape', async () => {
    const r = await app.inject({ url: '/no/such/route' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ code: 'NOT_FOUND', message: 'no route GET /no/such/route' });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const r = await app.inject({ url: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Hoshimi API');
    expect(doc.paths['/health'].get.responses['200']).toBeDefined();
    const docs = await app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
