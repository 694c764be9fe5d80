/**
 * Hostile input against every endpoint of a real server over a real SQLite store: injection
 * strings, control characters, path traversal and over-long values in every path parameter of
 * every route the OpenAPI document lists; wrong types in JSON bodies; malformed, binary, truncated
 * and entity-laden uploads; a body announced larger than the upload limit. Each is answered with a
 * 4xx in the one error shape, without internals (no stack, no file path), and nothing is stored
 * half-way: the element-set count changes only by what an import reports as inserted.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type JobRecord } from '../src/index.js';
import { UPLOAD_LIMIT_BYTES } from '../src/routes/jobs.js';
import { authedInject, testCredentials } from './auth-fixture.js';
import { starlinkSubset } from './fixtures.js';

const CLOCK = '2023-10-10T00:00:00.000Z';

/** Values an attacker puts where an id, a number or a name is expected. */
const HOSTILE = [
  "' OR 1=1 --",
  '1; DROP TABLE element_sets',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '%00',
  '\u0000',
  '$' + '{jndi:ldap://x}',
  '9'.repeat(400),
  '-1',
  '1e309',
  'ＩＳＳ',
];

interface ErrorShape {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

function expectCleanError(status: number, body: string, what: string): ErrorShape {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, `${what}: ${body}`).toBeLessThan(500);
  const e = JSON.parse(body) as ErrorShape;
  expect(typeof e.code, what).toBe('string');
  expect(typeof e.message, what).toBe('string');
  // No internals: no stack frame, no path of this machine, no SQL.
  expect(body, what).not.toMatch(
    /\bat [\w.<>]+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|SQLITE_|sqlite3?\./,
  );
  return e;
}

describe('hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-hostile-'));
  const path = join(dir, 'catalog.db');
  let store: CatalogStore;
  let app: FastifyInstance;
  let port = 0;
  let token = '';
  /** `app.inject` as an authenticated operator (imports need the operator role). */
  let inject: ReturnType<typeof authedInject>;

  async function elementSetCount(): Promise<number> {
    return (await store.asOf('2100-01-01T00:00:00Z')).length;
  }

  async function finished(id: string): Promise<JobRecord> {
    for (;;) {
      const job = await app.jobs.get(id);
      if (job === null) throw new Error(`no job ${id}`);
      if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') return job;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function upload(
    name: string,
    bytes: Uint8Array,
  ): Promise<{ status: number; job?: JobRecord; body: string }> {
    const r = await inject({
      method: 'POST',
      url: `/jobs/import?name=${encodeURIComponent(name)}&source=hostile`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(bytes),
    });
    if (r.statusCode !== 202) return { status: r.statusCode, body: r.body };
    return { status: r.statusCode, job: await finished(r.json().id), body: r.body };
  }

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now: () => new Date(CLOCK), schedule: false },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    port = addr.port;
    const operator = await testCredentials(store, { role: 'operator' });
    token = operator.token;
    inject = authedInject(app, operator);
    const seed = await upload('seed.3le', Buffer.from(starlinkSubset(50)));
    expect(seed.job?.state).toBe('succeeded');
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('answers hostile path parameters of every documented GET route with a clean 4xx', async () => {
    const doc = (await inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths)
      .filter(([p, ops]) => 'get' in ops && p.includes('{'))
      .map(([p]) => p);
    expect(routes.length).toBeGreaterThan(8);
    const before = await elementSetCount();
    for (const route of routes) {
      for (const value of HOSTILE) {
        const url = route.replace(/\{[^}]+\}/g, encodeURIComponent(value));
        const r = await inject({ method: 'GET', url });
        // A value that happens to be valid for the route (e.g. '-1' nowhere, '%00' nowhere) must
        // still never be a 5xx; a 2xx is acceptable only for a search-like route answering nothing.
        if (r.statusCode < 400) {
          expect(r.statusCode, `${url}`).toBe(200);
          continue;
        }
        expectCleanError(r.statusCode, r.body, `GET ${url}`);
      }
    }
    expect(await elementSetCount()).toBe(before);
  });

  it('searches with injection strings as plain text, never as SQL', async () => {
    for (const q of HOSTILE) {
      const r = await inject({ method: 'GET', url: `/objects?q=${encodeURIComponent(q)}` });
      if (r.statusCode === 200) {
        // Plain text: only names that contain it (e.g. '-1' in STARLINK-1007).
        for (const o of r.json().items as { name: string }[])
          expect(o.name.toUpperCase(), q).toContain(q.toUpperCase());
      } else expectCleanError(r.statusCode, r.body, `q=${q}`);
    }
    // The table is still there and whole.
    expect((await inject({ url: '/objects?limit=1' })).json().page.total).toBe(51);
  });

  it('refuses wrong types and unknown fields in JSON bodies with the field named', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/jobs', { kind: 123 }],
      ['POST', '/jobs', { kind: 'screening', params: { primaries: 'all of them' } }],
      ['POST', '/jobs', { kind: 'screening', params: { days: -5 } }],
      ['POST', '/jobs', { kind: 'import', params: { path: '../../../../etc/passwd' } }],
      ['POST', '/jobs', []],
      ['POST', '/watch-lists', { name: 7, assets: 'ISS' }],
      ['POST', '/watch-lists', { name: 'x', assets: ["25544' OR 1=1"] }],
      ['POST', '/alerts/1/acknowledge', { by: { nested: true } }],
    ];
    for (const [method, url, payload] of cases) {
      const r = await inject({ method: method as 'POST', url, payload: payload as object });
      if (r.statusCode === 202) {
        // A job whose parameters pass the schema but not the runner ends failed with the reason.
        const job = await finished(r.json().id);
        expect(job.state, `${url} ${JSON.stringify(payload)}`).toBe('failed');
        expect(JSON.stringify(job.error ?? job)).not.toMatch(/root:|\/bin\/bash/);
        continue;
      }
      expectCleanError(r.statusCode, r.body, `${method} ${url} ${JSON.stringify(payload)}`);
    }
    const notJson = await inject({
      method: 'POST',
      url: '/jobs',
      headers: { 'content-type': 'application/json' },
      payload: '{"kind": "screening",',
    });
    expectCleanError(notJson.statusCode, notJson.body, 'truncated JSON');
  });

  it('imports malformed, binary, truncated and entity-laden uploads without storing anything half-way', async () => {
    const before = await elementSetCount();
    const bad: [string, Uint8Array, string][] = [
      ['empty.tle', new Uint8Array(), 'HTTP 400'],
      ['binary.tle', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), 'INPUT_BINARY'],
      ['latin1.tle', Buffer.from([0x49, 0x53, 0x53, 0xff, 0xfe, 0x0a]), 'INPUT_NOT_TEXT'],
      ['truncated.tle.gz', gzipSync(Buffer.from(starlinkSubset(5))).subarray(0, 60), 'INPUT_BAD_GZIP'],
      [
        'xxe.xml',
        Buffer.from(
          '<?xml version="1.0"?>\n<!DOCTYPE omm [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<omm id="CCSDS_OMM_VERS" version="2.0"><body>&xxe;</body></omm>\n',
        ),
        'XML_UNSUPPORTED',
      ],
      ['garbage.txt', Buffer.from('hello\nworld\n'), ''],
    ];
    for (const [name, bytes, code] of bad) {
      const r = await upload(name, bytes);
      if (r.status !== 202) {
        expect(code, name).toBe(`HTTP ${r.status}`);
        expectCleanError(r.status, r.body, name);
        continue;
      }
      const job = r.job!;
      const result = job.result as {
        status?: string;
        inserted?: number;
        rejected?: { code: string }[];
      } | null;
      // Refused as a whole: the job fails or reports a failed import with the reason, nothing inserted.
      const failed = job.state === 'failed' || result?.status === 'failed';
      expect(failed, `${name}: ${JSON.stringify(job)}`).toBe(true);
      expect(result?.inserted ?? 0, name).toBe(0);
      if (code !== '') expect(JSON.stringify(job), name).toContain(code);
      expect(JSON.stringify(job), name).not.toMatch(/root:x:0/);
    }
    // A TLE file with one corrupted record among good ones: the good are stored, the bad one
    // reported with its line (never silently dropped).
    const lines = starlinkSubset(3, 1000).split('\n');
    lines[4] = `${lines[4]!.slice(0, 30)}X${lines[4]!.slice(31)}`;
    const mixed = await upload('mixed.3le', Buffer.from(lines.join('\n')));
    expect(mixed.job?.state, JSON.stringify(mixed.job)).toBe('succeeded');
    const res = mixed.job?.result as {
      inserted: number;
      rejected: number;
      rejectedIssues: { line: number | null; code: string; message: string }[];
    };
    expect(res.rejected).toBe(1);
    expect(res.rejectedIssues[0]?.line).toBe(5);
    expect(res.rejectedIssues[0]?.message).toMatch(/^mixed\.3le:5/);
    expect(await elementSetCount()).toBe(before + res.inserted);
  });

  it('refuses a body announced larger than the upload limit before reading it', async () => {
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          [
            'POST /jobs/import?name=huge.tle HTTP/1.1',
            'Host: 127.0.0.1',
            'Content-Type: application/octet-stream',
            `Authorization: Bearer ${token}`,
            `Content-Length: ${UPLOAD_LIMIT_BYTES + 1}`,
            '',
            'x',
          ].join('\r\n'),
        );
      });
      let text = '';
      socket.on('data', (d) => {
        text += d.toString('utf8');
        if (text.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(text.split('\r\n')[0] ?? '');
        }
      });
      socket.on('error', reject);
    });
    expect(status).toMatch(/^HTTP\/1\.1 413/);
  });

  it('serves no file outside the console folder, however the path is written', async () => {
    for (const url of [
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/index.html%00.json',
    ]) {
      const r = await inject({ method: 'GET', url });
      expect(r.body, url).not.toMatch(/root:x:0|"name": "@hoshimi/);
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
    }
  });

  it('refuses forged, malformed and foreign credentials alike, saying only that they are missing or invalid', async () => {
    const forged = `hsm_${'A'.repeat(43)}`;
    const bodies = new Set<string>();
    for (const authorization of [
      `Bearer ${forged}`,
      `Bearer ${token.slice(0, -2)}xx`,
      `Bearer ${token}' OR 1=1 --`,
      'Bearer ',
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      `Bearer ${'x'.repeat(10_000)}`,
    ]) {
      const r = await app.inject({ method: 'GET', url: '/objects?limit=1', headers: { authorization } });
      expect(r.statusCode, authorization.slice(0, 40)).toBe(401);
      const e = expectCleanError(r.statusCode, r.body, authorization.slice(0, 40));
      bodies.add(JSON.stringify({ code: e.code, message: e.message }));
    }
    // One answer for every kind of bad credential: nothing tells a forged token from a revoked one.
    expect(bodies.size).toBe(1);
    const cookie = await app.inject({
      method: 'GET',
      url: '/objects',
      headers: { cookie: 'hoshimi_session=../../etc/passwd' },
    });
    expect(cookie.statusCode).toBe(401);
  });
});
