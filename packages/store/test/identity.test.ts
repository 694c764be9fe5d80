/**
 * The identity part of the SQLite store (schema v10): scrypt password hashes (format, salt,
 * verification, refusal of malformed or resource-exhausting stored hashes), tokens and sessions
 * checked by their hash, and the short memory of checked credentials: never past a token's expiry,
 * forgotten at once on a change through the same store or through another connection (another
 * process), and never held past a token's expiry (driven by the store's clock, not by waiting).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, SCRYPT_PARAMETERS, verifyPassword } from '../src/password-hash.js';
import { openSqliteStore } from '../src/sqlite-store.js';

describe('password hashes', () => {
  it('are salted scrypt in PHC form, verified only by the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(
      new RegExp(
        `^\\$scrypt\\$ln=${SCRYPT_PARAMETERS.ln},r=${SCRYPT_PARAMETERS.r},p=${SCRYPT_PARAMETERS.p}\\$`,
      ),
    );
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
    expect(needsRehash(await hashPassword('x', { ln: 10, r: 8, p: 1 }))).toBe(true);
  });

  it('refuses malformed stored hashes and ones whose parameters would exhaust memory', async () => {
    const good = await hashPassword('pw');
    expect(await verifyPassword('pw', good.replace('$scrypt$', '$argon2id$'))).toBe(false);
    expect(await verifyPassword('pw', good.replace(/ln=\d+/, 'ln=30'))).toBe(false);
    expect(await verifyPassword('pw', 'pw')).toBe(false);
    expect(await verifyPassword('pw', '')).toBe(false);
  });
});

describe('credentials in the store', () => {
  it('checks tokens by hash; remembers a good one briefly, never past expiry or a change', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-identity-')), 'catalog.db');
    let clock = new Date('2026-01-01T00:00:00.000Z');
    const store = await openSqliteStore(path, { now: () => clock });
    const other = await openSqliteStore(path, { mode: 'write' });
    try {
      await store.identity.createOrganisation({
        code: 'ORG',
        name: 'o',
        nation: 'USA',
        maxClearance: 'SECRET',
      });
      const user = await store.identity.createUser({
        username: 'u',
        organisation: 'ORG',
        roles: ['viewer'],
        clearance: 'SECRET',
      });
      const expiresAt = new Date(clock.getTime() + 10_000).toISOString();
      const { token, secret } = await store.identity.createToken({
        userId: user.id,
        name: 't',
        scopes: ['read'],
        expiresAt,
      });
      expect(secret).toMatch(/^hsm_[A-Za-z0-9_-]{43}$/);
      expect((await store.identity.authenticateToken(secret))?.user.username).toBe('u');
      expect(await store.identity.authenticateToken(`${secret}x`)).toBeNull();
      expect(await store.identity.authenticateToken(secret.slice(4))).toBeNull();

      // Remembered (a second check is answered from memory: the clock has not moved)...
      expect(await store.identity.authenticateToken(secret)).not.toBeNull();
      // ...but revoked through another connection (another process): refused at once, not after
      // the memory runs out.
      expect(await other.identity.revokeToken(token.id)).toMatchObject({ id: token.id });
      expect(await store.identity.authenticateToken(secret)).toBeNull();
      // A second token: revoked through the same store, refused at once.
      const second = await store.identity.createToken({
        userId: user.id,
        name: 't2',
        scopes: ['read'],
        expiresAt,
      });
      expect(await store.identity.authenticateToken(second.secret)).not.toBeNull();
      await store.identity.revokeToken(second.token.id);
      expect(await store.identity.authenticateToken(second.secret)).toBeNull();

      // A third, remembered just before its expiry: refused the moment it expires.
      const third = await store.identity.createToken({
        userId: user.id,
        name: 't3',
        scopes: ['read'],
        expiresAt,
      });
      clock = new Date(Date.parse(expiresAt) - 500);
      expect(await store.identity.authenticateToken(third.secret)).not.toBeNull();
      clock = new Date(Date.parse(expiresAt));
      expect(await store.identity.authenticateToken(third.secret)).toBeNull();

      // Sessions: the id is checked by hash; logout ends it at once; a disabled user's ends too.
      const s = await store.identity.createSession(
        user.id,
        new Date(clock.getTime() + 3_600_000).toISOString(),
      );
      expect((await store.identity.authenticateSession(s.id))?.session?.csrfToken).toBe(s.session.csrfToken);
      expect(await store.identity.deleteSession(s.id)).toBe(true);
      expect(await store.identity.authenticateSession(s.id)).toBeNull();
      const s2 = await store.identity.createSession(
        user.id,
        new Date(clock.getTime() + 3_600_000).toISOString(),
      );
      expect(await store.identity.authenticateSession(s2.id)).not.toBeNull();
      await store.identity.updateUser(user.id, { disabled: true });
      expect(await store.identity.authenticateSession(s2.id)).toBeNull();
    } finally {
      await other.close();
      await store.close();
    }
  });
});
