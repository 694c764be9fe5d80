/**
 * `hoshimi org`, `user` and `token` on a real database file: the password read from an environment
 * variable or standard input (never a flag), the token secret alone on stdout and accepted by the
 * store's credential check (the one the server's authentication calls), revocation, the input checks of the admin API, and the last admin kept.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@hoshimi/store';
import { describe, expect, it } from 'vitest';
import { hoshimi, runHoshimi } from './harness.js';

describe('hoshimi org, user, token', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'hoshimi-ident-')), 'catalog.db');

  it('adds an organisation and users with passwords from the environment or stdin, never a flag', () => {
    expect(
      hoshimi('org', 'add', 'JSPOC', '--nation', 'USA', '--name', 'Combined Space Ops', '--db', db).status,
    ).toBe(0);
    const badNation = hoshimi('org', 'add', 'JAXA', '--nation', 'Japan', '--db', db);
    expect(badNation.status).toBe(2);
    expect(badNation.stderr).toContain('[USAGE] --nation: nation "Japan"');
    const env = { ...process.env, ADMIN_PW: 'a long enough passphrase' };
    const admin = runHoshimi(
      [
        'user',
        'add',
        'alice',
        '--org',
        'JSPOC',
        '--role',
        'admin',
        '--clearance',
        'SECRET',
        '--password-env',
        'ADMIN_PW',
        '--db',
        db,
      ],
      { env },
    );
    expect(admin.status).toBe(0);
    const viaStdin = runHoshimi(
      [
        'user',
        'add',
        'bob',
        '--org',
        'JSPOC',
        '--role',
        'analyst',
        '--clearance',
        'CONFIDENTIAL',
        '--password-stdin',
        '--db',
        db,
      ],
      { input: 'another long passphrase\n' },
    );
    expect(viaStdin.status).toBe(0);
    // There is no flag that takes a password.
    const flag = hoshimi(
      'user',
      'add',
      'carol',
      '--org',
      'JSPOC',
      '--role',
      'viewer',
      '--clearance',
      'SECRET',
      '--password',
      'x',
      '--db',
      db,
    );
    expect(flag.status).toBe(2);
    const short = runHoshimi(
      [
        'user',
        'add',
        'dave',
        '--org',
        'JSPOC',
        '--role',
        'viewer',
        '--clearance',
        'SECRET',
        '--password-env',
        'PW',
        '--db',
        db,
      ],
      { env: { ...process.env, PW: 'short' } },
    );
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('password');
    const list = hoshimi('user', 'list', '--db', db);
    expect(list.stdout).toMatch(/alice\tJSPOC\tadmin\tSECRET\tenabled\tconsole/);
    expect(list.stdout).toMatch(/bob\tJSPOC\tanalyst\tCONFIDENTIAL\tenabled\tconsole/);
    // The last enabled admin stays.
    expect(hoshimi('user', 'disable', 'alice', '--db', db).stderr).toContain('CONFLICT');
  });

  it('creates a token whose secret alone is on stdout and checks out, then revokes it', async () => {
    const created = hoshimi(
      'token',
      'create',
      '--user',
      'bob',
      '--scopes',
      'read,write',
      '--days',
      '2',
      '--db',
      db,
    );
    expect(created.status).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^hsm_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('shown once');
    // An analyst's roles do not allow the admin scope.
    expect(hoshimi('token', 'create', '--user', 'bob', '--scopes', 'admin', '--db', db).stderr).toContain(
      'scopes',
    );

    const store = await openSqliteStore(db, { mode: 'write' });
    let id = '';
    try {
      // The store checks the secret the way the server's authentication does.
      const auth = await store.identity.authenticateToken(secret);
      expect(auth?.user.username).toBe('bob');
      expect(auth?.organisation).toMatchObject({ code: 'JSPOC', nation: 'USA' });
      expect(auth?.token?.scopes).toEqual(['read', 'write']);
      id = String((await store.identity.listTokens())[0]?.id);
    } finally {
      await store.close();
    }
    expect(hoshimi('token', 'list', '--db', db).stdout).not.toContain(secret);
    expect(hoshimi('token', 'revoke', id, '--db', db).status).toBe(0);
    const reopened = await openSqliteStore(db, { mode: 'read' });
    try {
      expect(await reopened.identity.authenticateToken(secret)).toBeNull();
    } finally {
      await reopened.close();
    }
  });
});
