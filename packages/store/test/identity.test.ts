/**
 * Scrypt password hashes (format, salt, verification, refusal of malformed or resource-exhausting
 * stored hashes), and the identity contract (identity-contract.ts) on the SQLite store: tokens and
 * sessions checked by their hash, and the short memory of checked credentials, forgotten at once on
 * a change through the same store or through another connection (another process), and never held
 * past a token's expiry (driven by the store's clock, not by waiting).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, SCRYPT_PARAMETERS, verifyPassword } from '../src/password-hash.js';
import { openSqliteStore } from '../src/sqlite-store.js';
import { runIdentityContract } from './identity-contract.js';

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

runIdentityContract('SQLite', async (now) => {
  const path = join(mkdtempSync(join(tmpdir(), 'hoshimi-identity-')), 'catalog.db');
  const store = await openSqliteStore(path, { now });
  const other = await openSqliteStore(path, { mode: 'write', now });
  return {
    store,
    other,
    close: async () => {
      await other.close();
      await store.close();
    },
  };
});
