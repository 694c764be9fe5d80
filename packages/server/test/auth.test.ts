/**
 * Identity and access on a real SQLite store and a real server: the open routes; every other route
 * of the OpenAPI document refusing a request without credentials (the document is iterated, so a
 * new route is covered without editing this test); the roles × endpoints matrix; token scopes;
 * forged, expired, revoked tokens and disabled users answered alike; console login with its cookie
 * flags, CSRF on cookie-authenticated changes, logout, and the login rate limit; the admin API; and
 * no secret stored in clear.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE, UNAUTHENTICATED_MESSAGE } from '../src/auth/authenticate.js';
import { addOrganisation, addUser } from '../src/auth/identity-service.js';
import { ROLES, type Role } from '../src/auth/principal.js';
import { buildServer } from '../src/index.js';
import { type TestCredentials, testCredentials } from './auth-fixture.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** Operations of the document that need no credentials. */
const OPEN_OPERATIONS = new Set(['get /health', 'get /ready', 'post /auth/login']);
const PASSWORD = 'correct horse battery staple';

const UNAUTHENTICATED = { code: 'UNAUTHENTICATED', message: UNAUTHENTICATED_MESSAGE };

describe('identity and access', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-auth-')), 'catalog.db');
  let store: CatalogStore;
  let app: FastifyInstance;
  const creds = {} as Record<Role, TestCredentials>;

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    for (const role of ROLES) creds[role] = await testCredentials(store, { role });
    await addUser(store, {
      username: 'console-user',
      organisation: 'TESTORG',
      roles: ['analyst'],
      clearance: 'CONFIDENTIAL',
      password: PASSWORD,
    });
    app = await buildServer({ store, storeLabel: path, jobs: { schedule: false } });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const as = (role: Role | null, method: string, url: string, payload?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: role === null ? {} : creds[role].headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('leaves the console shell, the API document, its docs, /health and the login open', async () => {
    for (const url of ['/', '/openapi.json', '/docs/', '/health']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
    }
    // The login answers (a wrong password here), it does not ask for credentials first.
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'nobody', password: 'wrong' },
      remoteAddress: '10.9.9.9',
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().message).toBe('wrong username or password');
  });

  it('refuses every other operation of the API document without credentials (401, one error shape)', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      in: 'cookie',
      name: SESSION_COOKIE,
    });
    expect(doc.paths['/health'].get.security).toEqual([]);
    let checked = 0;
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of METHODS) {
        if (item[m] === undefined || OPEN_OPERATIONS.has(`${m} ${p}`)) continue;
        const url = p.replace(/\{[^}]+\}/g, '1');
        for (const headers of [
          {},
          { authorization: 'Bearer hsm_forged' },
          { authorization: 'Basic dXNlcjpwYXNz' },
          { cookie: `${SESSION_COOKIE}=forged` },
        ]) {
          const r = await app.inject({ method: m.toUpperCase() as 'GET', url, headers, payload: {} });
          expect(r.statusCode, `${m} ${url} ${JSON.stringify(headers)}`).toBe(401);
          expect(r.json()).toEqual(UNAUTHENTICATED);
          expect(r.headers['www-authenticate']).toContain('Bearer');
        }
        checked++;
      }
    }
    // The catalog, jobs, watch lists, alerts, auth and admin operations at least.
    expect(checked).toBeGreaterThan(30);
  });

  it('allows each role what it may do and refuses the rest with 403 FORBIDDEN', async () => {
    // Each action's least role; a request past authorisation fails later (400/404) or succeeds.
    const matrix: [string, string, unknown, Role][] = [
      ['GET', '/objects', undefined, 'viewer'],
      ['GET', '/jobs', undefined, 'viewer'],
      ['GET', '/alerts', undefined, 'viewer'],
      ['GET', '/auth/me', undefined, 'viewer'],
      ['POST', '/jobs', { kind: 'screening', params: { days: -1 } }, 'analyst'],
      ['POST', '/jobs/no-such-job/cancel', undefined, 'analyst'],
      ['POST', '/watch-lists/999/run', undefined, 'analyst'],
      ['POST', '/alerts/999/acknowledge', { by: 'me' }, 'analyst'],
      ['POST', '/jobs', { kind: 'import', params: { path: '/etc/passwd' } }, 'operator'],
      ['POST', '/jobs/import', undefined, 'operator'],
      ['POST', '/watch-lists', { name: 'x' }, 'operator'],
      ['PUT', '/watch-lists/999', { name: 'x' }, 'operator'],
      ['DELETE', '/watch-lists/999', undefined, 'operator'],
      ['GET', '/admin/users', undefined, 'admin'],
      ['GET', '/admin/organisations', undefined, 'admin'],
      ['GET', '/admin/tokens', undefined, 'admin'],
      ['POST', '/admin/organisations', { code: 'X' }, 'admin'],
      ['POST', '/admin/users', { username: 'x' }, 'admin'],
      ['PUT', '/admin/users/999', {}, 'admin'],
      ['POST', '/admin/tokens', { username: 'x' }, 'admin'],
      ['DELETE', '/admin/tokens/999', undefined, 'admin'],
    ];
    for (const [method, url, payload, least] of matrix) {
      for (const role of ROLES) {
        const r = await as(role, method, url, payload);
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(least);
        const what = `${role} ${method} ${url}`;
        if (allowed) {
          expect([401, 403], what).not.toContain(r.statusCode);
        } else {
          expect(r.statusCode, what).toBe(403);
          expect(r.json().code, what).toBe('FORBIDDEN');
        }
      }
    }
  });

  it('closes a route missing from the policy table: GET needs a viewer, any other method an admin', async () => {
    const extra = await buildServer({ store, storeLabel: path, jobs: { schedule: false } });
    const schema = { summary: 'x', tags: ['test'] };
    extra.get('/test-unlisted', { schema }, async () => ({ ok: true }));
    extra.post('/test-unlisted', { schema }, async () => ({ ok: true }));
    try {
      const call = (method: 'GET' | 'POST', role: Role | null) =>
        extra.inject({ method, url: '/test-unlisted', headers: role === null ? {} : creds[role].headers });
      expect((await call('GET', null)).statusCode).toBe(401);
      expect((await call('GET', 'viewer')).statusCode).toBe(200);
      expect((await call('POST', null)).statusCode).toBe(401);
      expect((await call('POST', 'operator')).statusCode).toBe(403);
      expect((await call('POST', 'admin')).statusCode).toBe(200);
    } finally {
      await extra.close();
    }
  });

  it('enforces token scopes within what the roles allow', async () => {
    const readOnlyAdmin = await testCredentials(store, {
      username: 'admin-read',
      role: 'admin',
      scopes: ['read'],
    });
    const get = await app.inject({ url: '/objects', headers: readOnlyAdmin.headers });
    expect(get.statusCode).toBe(200);
    const post = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: readOnlyAdmin.headers,
      payload: { kind: 'screening', params: { days: -1 } },
    });
    expect(post.statusCode).toBe(403);
    expect(post.json().message).toContain('write scope');
    const admin = await app.inject({ url: '/admin/users', headers: readOnlyAdmin.headers });
    expect(admin.statusCode).toBe(403);
    // A viewer cannot be given a write scope.
    const r = await as('admin', 'POST', '/admin/tokens', {
      username: creds.viewer.username,
      name: 'too much',
      scopes: ['read', 'write'],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('scopes');
  });

  it('answers forged, expired and revoked tokens and disabled users alike (401, same body)', async () => {
    const user = (await store.identity.getUserByName(creds.viewer.username))!;
    const expired = await store.identity.createToken({
      userId: user.id,
      name: 'expired',
      scopes: ['read'],
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const live = await store.identity.createToken({
      userId: user.id,
      name: 'to revoke',
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const before = await app.inject({ url: '/objects', headers: { authorization: `Bearer ${live.secret}` } });
    expect(before.statusCode).toBe(200);
    const revoke = await as('admin', 'DELETE', `/admin/tokens/${live.token.id}`);
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedAt).not.toBeNull();
    // A token-only user who is then disabled.
    const gone = await testCredentials(store, { username: 'leaver', role: 'viewer' });
    const leaver = (await store.identity.getUserByName('leaver'))!;
    expect((await as('admin', 'PUT', `/admin/users/${leaver.id}`, { disabled: true })).statusCode).toBe(200);

    const forged = `hsm_${Buffer.alloc(32, 7).toString('base64url')}`;
    // The live secret with one character changed.
    const tampered = `${live.secret.slice(0, -1)}${live.secret.endsWith('A') ? 'B' : 'A'}`;
    for (const secret of [forged, tampered, expired.secret, live.secret, gone.token, 'not-a-token', '']) {
      const r = await app.inject({ url: '/objects', headers: { authorization: `Bearer ${secret}` } });
      expect(r.statusCode, secret).toBe(401);
      expect(r.json()).toEqual(UNAUTHENTICATED);
    }
  });

  it('records when a token was last used', async () => {
    const fresh = await testCredentials(store, { username: 'fresh', role: 'viewer' });
    const before = (await store.identity.listTokens()).find((t) => t.username === 'fresh');
    await app.inject({ url: '/objects', headers: fresh.headers });
    const after = (await store.identity.listTokens()).find((t) => t.username === 'fresh');
    expect(before?.lastUsedAt ?? null).toBeNull();
    expect(after?.lastUsedAt).not.toBeNull();
  });

  it('logs in to the console: an HttpOnly, SameSite=Strict session cookie, CSRF on changes, logout', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'console-user', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const body = login.json();
    expect(body).toMatchObject({
      username: 'console-user',
      roles: ['analyst'],
      organisation: 'TESTORG',
      nation: 'USA',
      clearance: 'CONFIDENTIAL',
      via: 'session',
      scopes: ['read', 'write'],
    });
    const setCookie = String(login.headers['set-cookie']);
    const attributes = setCookie.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}$`));
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    // Over plain HTTP the cookie cannot be Secure (the browser would drop it).
    expect(attributes).not.toContain('Secure');
    const cookie = attributes[0]!;
    const csrf = body.csrfToken as string;
    expect(csrf.length).toBeGreaterThan(30);

    // Reads need no CSRF token; /auth/me gives it back (after a reload of the console).
    const me = await app.inject({ url: '/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(csrf);
    expect((await app.inject({ url: '/objects', headers: { cookie } })).statusCode).toBe(200);

    // A change without the CSRF header, or with a wrong one: 403, before anything runs.
    const change = { kind: 'screening', params: { days: -1 } };
    const missing = await app.inject({ method: 'POST', url: '/jobs', headers: { cookie }, payload: change });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF_FAILED');
    const wrong = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: { cookie, [CSRF_HEADER]: `${csrf}x` },
      payload: change,
    });
    expect(wrong.statusCode).toBe(403);
    const right = await app.inject({
      method: 'POST',
      url: '/jobs',
      headers: { cookie, [CSRF_HEADER]: csrf },
      payload: change,
    });
    expect(right.statusCode).toBe(400); // past authentication and CSRF: the bad params answer
    // An analyst's session still cannot administer.
    expect((await app.inject({ url: '/admin/users', headers: { cookie } })).statusCode).toBe(403);

    // Logout needs the CSRF token too, ends the session and clears the cookie.
    expect((await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode).toBe(
      403,
    );
    const out = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie, [CSRF_HEADER]: csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ url: '/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('marks the cookie Secure when the request came over HTTPS (trusted proxy)', async () => {
    const behindProxy = await buildServer({
      store,
      storeLabel: path,
      jobs: { schedule: false },
      trustProxy: true,
    });
    try {
      const r = await behindProxy.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'console-user', password: PASSWORD },
      });
      expect(r.statusCode).toBe(200);
      expect(
        String(r.headers['set-cookie'])
          .split(';')
          .map((a) => a.trim()),
      ).toContain('Secure');
    } finally {
      await behindProxy.close();
    }
  });

  it('rate-limits failed logins per username and per address (429 after 5 failures a minute)', async () => {
    // Per username, from changing addresses: the sixth attempt is refused even with the right password.
    for (let k = 0; k < 5; k++) {
      const r = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: 'console-user', password: `wrong-${k}` },
        remoteAddress: `10.0.0.${k + 1}`,
      });
      expect(r.statusCode).toBe(401);
    }
    const limited = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'console-user', password: PASSWORD },
      remoteAddress: '10.0.0.99',
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Per address, over changing usernames.
    for (let k = 0; k < 5; k++) {
      const r = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: `guess-${k}`, password: 'wrong' },
        remoteAddress: '10.1.1.1',
      });
      expect(r.statusCode).toBe(401);
    }
    const fromAddress = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'someone-else', password: 'wrong' },
      remoteAddress: '10.1.1.1',
    });
    expect(fromAddress.statusCode).toBe(429);
  });

  it('administers organisations, users and tokens; a token secret is shown once', async () => {
    const org = await as('admin', 'POST', '/admin/organisations', {
      code: 'JAXA',
      name: 'Japan Aerospace Exploration Agency',
      nation: 'JPN',
      maxClearance: 'CONFIDENTIAL',
    });
    expect(org.statusCode).toBe(201);
    expect((await as('admin', 'POST', '/admin/organisations', org.json())).statusCode).toBe(400);
    const dup = await as('admin', 'POST', '/admin/organisations', {
      code: 'JAXA',
      name: 'again',
      nation: 'JPN',
      maxClearance: 'SECRET',
    });
    expect(dup.statusCode).toBe(409);
    const badNation = await as('admin', 'POST', '/admin/organisations', {
      code: 'XX',
      name: 'x',
      nation: 'jp1',
      maxClearance: 'SECRET',
    });
    expect(badNation.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'nation' });
    // A clearance above the organisation's ceiling is refused.
    const tooHigh = await as('admin', 'POST', '/admin/users', {
      username: 'tanaka',
      organisation: 'JAXA',
      roles: ['analyst'],
      clearance: 'SECRET',
    });
    expect(tooHigh.json()).toMatchObject({ code: 'BAD_REQUEST', field: 'clearance' });
    const user = await as('admin', 'POST', '/admin/users', {
      username: 'tanaka',
      organisation: 'JAXA',
      roles: ['analyst'],
      clearance: 'CONFIDENTIAL',
    });
    expect(user.statusCode).toBe(201);
    expect(user.json()).toMatchObject({ username: 'tanaka', hasPassword: false, disabled: false });
    expect(user.json().passwordHash).toBeUndefined();
    const made = await as('admin', 'POST', '/admin/tokens', {
      username: 'tanaka',
      name: 'screening script',
      scopes: ['read', 'write'],
      days: 7,
    });
    expect(made.statusCode).toBe(201);
    const { token, secret } = made.json();
    expect(secret).toMatch(/^hsm_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const listed = await as('admin', 'GET', '/admin/tokens?username=tanaka');
    expect(listed.json().items).toHaveLength(1);
    expect(listed.body).not.toContain(secret);
    const me = await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.json()).toMatchObject({
      username: 'tanaka',
      organisation: 'JAXA',
      nation: 'JPN',
      clearance: 'CONFIDENTIAL',
      via: 'token',
    });
    expect(me.json().csrfToken).toBeUndefined();
    // The last enabled admin cannot be demoted.
    const admins = (await store.identity.listUsers()).filter((u) => u.roles.includes('admin') && !u.disabled);
    for (const a of admins.slice(1)) await store.identity.updateUser(a.id, { disabled: true });
    const last = admins[0]!;
    const demote = await as('admin', 'PUT', `/admin/users/${last.id}`, { roles: ['viewer'] });
    expect(demote.statusCode).toBe(409);
    for (const a of admins.slice(1)) await store.identity.updateUser(a.id, { disabled: false });
  });

  it('keeps no password, token secret or session id in clear in the database', async () => {
    // Two users with the same password (they must get different hashes: salted), one logged in.
    await addOrganisation(store, { code: 'SALT', name: 'salt', nation: 'USA', maxClearance: 'SECRET' });
    for (const u of ['salt-a', 'salt-b'])
      await addUser(store, {
        username: u,
        organisation: 'SALT',
        roles: ['viewer'],
        clearance: 'SECRET',
        password: PASSWORD,
      });
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'salt-a', password: PASSWORD },
      remoteAddress: '10.7.7.7',
    });
    expect(login.statusCode).toBe(200);
    const sessionId = String(login.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
    const db = new Database(path, { readonly: true });
    try {
      const salted = db
        .prepare("SELECT password_hash FROM users WHERE username IN ('salt-a', 'salt-b', 'console-user')")
        .all() as { password_hash: string }[];
      expect(salted).toHaveLength(3);
      for (const { password_hash } of salted)
        expect(password_hash).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
      expect(new Set(salted.map((r) => r.password_hash)).size).toBe(3);
      const everything = JSON.stringify(
        ['organisations', 'users', 'api_tokens', 'console_sessions'].map((t) =>
          db.prepare(`SELECT * FROM ${t}`).all(),
        ),
      );
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(sessionId);
      for (const c of Object.values(creds)) {
        expect(everything).not.toContain(c.token);
        expect(everything).not.toContain(c.token.slice(4));
      }
    } finally {
      db.close();
    }
  });
});
