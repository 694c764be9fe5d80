/**
 * The API document: `/openapi.json` must validate against the OpenAPI 3.1 schema (checked with
 * @seriousme/openapi-schema-validator, which carries the published JSON Schema of each version),
 * and every route must have a summary, tags and a response schema.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

describe('OpenAPI document', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-openapi-')), 'catalog.db');
  const store = await openSqliteStore(path, { mode: 'create' });
  const app = await buildServer({ store, storeLabel: path });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('validates against the OpenAPI 3.1 schema', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('a document with a broken route fails the same check (the check can fail)', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    doc.paths['/conjunctions'].get.responses = { 200: { content: 'not an object' } };
    const result = await new Validator().validate(doc);
    expect(result.valid).toBe(false);
  });

  it('gives every route a summary, tags and a success (2xx) response schema', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/objects',
      '/objects/{catalogNumber}',
      '/objects/{catalogNumber}/history',
      '/objects/{catalogNumber}/elements',
      '/objects/{catalogNumber}/ephemeris',
      '/catalog',
      '/catalog/export',
      '/screenings',
      '/screenings/{screeningId}',
      '/conjunctions',
      '/conjunctions/{id}',
      '/conjunctions/{id}/cdm',
      '/events',
      '/events/{id}',
    ])
      expect(paths).toContain(p);
    for (const p of paths) {
      for (const m of METHODS) {
        const op = doc.paths[p][m];
        if (op === undefined) continue;
        expect(op.summary, `${m} ${p} summary`).toBeTruthy();
        expect(op.tags?.length, `${m} ${p} tags`).toBeGreaterThan(0);
        // 200; 201 for a record created, 202 for a job accepted to run later; 204 has no body.
        if (op.responses?.['204'] !== undefined) continue;
        const ok = op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['202'];
        expect(ok?.content, `${m} ${p} 2xx response`).toBeDefined();
        const schema = Object.values(ok.content as Record<string, { schema?: unknown }>)[0]?.schema;
        expect(schema, `${m} ${p} 2xx schema`).toBeDefined();
      }
    }
  });
});
