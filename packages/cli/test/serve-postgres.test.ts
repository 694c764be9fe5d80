/**
 * `hoshimi serve` on the PostgreSQL store, end to end: a throwaway PostgreSQL cluster on loopback
 * (the store's test harness, postgres-server.ts), an organisation, admin and API token made with
 * the real `hoshimi org/user/token` commands on the PostgreSQL URL, and two real `hoshimi serve`
 * processes on that one database — as an operations centre runs several server instances. Each
 * answers the token; a token revoked with the CLI is refused by both at once; the case routes (not
 * on PostgreSQL yet) answer 501 STORE_UNSUPPORTED, not a crash; and every request of both servers
 * lands in one unbroken audit chain (`hoshimi audit verify --db postgres://…` exits 0). Without
 * PostgreSQL binaries the file skips with the reason, unless CI is set: in CI it runs, and fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isCi,
  type PostgresTestServer,
  postgresUnavailable,
  startPostgres,
} from '../../store/test/postgres-server.js';
import { BIN, runHoshimi } from './harness.js';

const unavailable = postgresUnavailable();
const children = new Set<ChildProcess>();

/** Requests each server answers in the concurrency part. */
const REQUESTS_PER_SERVER = 40;

function ok(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = runHoshimi(args, { env });
  if (r.status !== 0) throw new Error(`hoshimi ${args.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `hoshimi serve --db URL` in a child process; resolves with its API address. */
async function serve(url: string): Promise<{ child: ChildProcess; api: string }> {
  const env = { ...process.env };
  delete env['HOSHIMI_DB'];
  const child = spawn(process.execPath, [BIN, 'serve', '--db', url, '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let errText = '';
  child.stderr?.on('data', (d: Buffer) => {
    errText += d.toString();
  });
  const api = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Hoshimi API on (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}: ${errText}`)));
  });
  return { child, api };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function get(api: string, path: string, secret: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${secret}` } });
  return { status: r.status, body: await r.json() };
}

if (unavailable !== null && !isCi()) {
  console.warn(`hoshimi serve on PostgreSQL skipped: ${unavailable}`);
  describe.skip(`hoshimi serve on PostgreSQL (skipped: ${unavailable})`, () => {
    it('serves the API from a PostgreSQL database', () => undefined);
  });
} else {
  let server: PostgresTestServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    for (const c of [...children]) await stop(c);
    await server?.stop();
  });

  describe('hoshimi serve on PostgreSQL', () => {
    it('two servers on one database: tokens made with the CLI, one audit chain, case routes 501', async () => {
      if (server === undefined) throw new Error('the PostgreSQL test server did not start');
      const url = await server.createDatabase();
      ok(['org', 'add', 'OPS', '--nation', 'USA', '--name', 'Operations centre', '--db', url]);
      ok(
        [
          'user',
          'add',
          'admin',
          '--org',
          'OPS',
          '--role',
          'admin',
          '--clearance',
          'SECRET',
          '--password-env',
          'PW',
          '--db',
          url,
        ],
        { ...process.env, PW: 'a long enough passphrase for the test' },
      );
      expect(ok(['user', 'list', '--db', url])).toMatch(/admin\tOPS\tadmin\tSECRET\tenabled/);
      const secret = ok([
        'token',
        'create',
        '--user',
        'admin',
        '--scopes',
        'read,write,admin',
        '--db',
        url,
      ]).trim();
      expect(secret).toMatch(/^hsm_[A-Za-z0-9_-]{43}$/);
      const second = ok(['token', 'create', '--user', 'admin', '--scopes', 'read', '--db', url]).trim();

      const [a, b] = await Promise.all([serve(url), serve(url)]);
      try {
        // Both servers answer the token made by the CLI.
        for (const s of [a, b]) {
          const r = await get(s.api, '/objects', secret);
          expect(r.status).toBe(200);
          expect((await get(s.api, '/objects', 'hsm_not-a-token')).status).toBe(401);
        }
        // Many requests on both at once: every one is audited into the one chain.
        const answers = await Promise.all(
          Array.from({ length: REQUESTS_PER_SERVER }, (_, i) => [
            get(a.api, `/objects?limit=${i + 1}`, secret),
            get(b.api, `/objects?limit=${i + 1}`, second),
          ]).flat(),
        );
        expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));

        // Case files are not on PostgreSQL yet: a clear 501, and the server keeps serving.
        const cases = await get(a.api, '/cases', secret);
        expect(cases.status).toBe(501);
        expect(cases.body).toMatchObject({ code: 'STORE_UNSUPPORTED' });
        expect(String((cases.body as { message: string }).message)).toMatch(/case files.*PostgreSQL/);
        expect((await get(a.api, '/objects', secret)).status).toBe(200);

        // A token revoked with the CLI is refused by both servers on the next request.
        const id = /^(\d+)\t/m.exec(ok(['token', 'list', '--db', url]))?.[1];
        expect(id).toBeDefined();
        ok(['token', 'revoke', id!, '--db', url]);
        for (const s of [a, b]) expect((await get(s.api, '/objects', secret)).status).toBe(401);
        expect((await get(b.api, '/objects', second)).status).toBe(200);
      } finally {
        expect(await stop(a.child)).toBe(0);
        expect(await stop(b.child)).toBe(0);
      }

      const verify = runHoshimi(['audit', 'verify', '--db', url]);
      expect(verify.stderr + verify.stdout).not.toMatch(/STORE_NEEDS_SQLITE/);
      expect(verify.status).toBe(0);
      const records = JSON.parse(ok(['audit', 'list', '--db', url, '--limit', '100000', '--json'])) as {
        seq: number;
        action: string;
        status: number | null;
        actor: { username: string | null };
      }[];
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      const objectReads = records.filter((r) => r.action.startsWith('http.GET /objects') && r.status === 200);
      // The first check on each server, the 2 × REQUESTS_PER_SERVER at once, one after the 501, one after revoking.
      expect(objectReads.length).toBe(2 + 2 * REQUESTS_PER_SERVER + 1 + 1);
      expect(objectReads.every((r) => r.actor.username === 'admin')).toBe(true);
      expect(records.some((r) => r.action.startsWith('http.GET /cases') && r.status === 501)).toBe(true);
      expect(records.some((r) => r.status === 401)).toBe(true);
    });

    it('refuses the exchange listener on PostgreSQL before starting, in one line', () => {
      if (server === undefined) throw new Error('the PostgreSQL test server did not start');
      const r = runHoshimi(['serve', '--db', server.url('postgres'), '--exchange-port', '0']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('[STORE_NEEDS_SQLITE]');
      expect(r.stderr).toContain('the node exchange');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
}
