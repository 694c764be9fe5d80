/**
 * The identity behaviour every catalog store must show (identity-store.ts), run against each
 * implementation (identity.test.ts: SQLite; postgres-identity-audit.test.ts: PostgreSQL): the same
 * error codes for duplicates and unknown references, scrypt logins that fail alike for every kind
 * of failure, tokens and sessions checked by their hash, revocation and disabling seen at once by
 * this store and by another connection (another server process), expiry driven by the store's clock.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../src/catalog-store.js';

export interface IdentityContractStores {
  /** A store on a new, empty database, with the given clock. */
  readonly store: CatalogStore;
  /** A second connection (another process, as far as the store can tell) to the same database. */
  readonly other: CatalogStore;
  close(): Promise<void>;
}

const ORG = { code: 'ORG', name: 'o', nation: 'USA', maxClearance: 'SECRET' } as const;

export function runIdentityContract(
  name: string,
  open: (now: () => Date) => Promise<IdentityContractStores>,
): void {
  describe(`IdentityStore contract: ${name}`, () => {
    it('checks tokens by hash; revocation, expiry, logout and disabling are seen at once', async () => {
      let clock = new Date('2026-01-01T00:00:00.000Z');
      const { store, other, close } = await open(() => clock);
      try {
        await store.identity.createOrganisation(ORG);
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

        // Checked again (perhaps answered from memory: the clock has not moved)...
        expect(await store.identity.authenticateToken(secret)).not.toBeNull();
        // ...but revoked through another connection (another process): refused at once.
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

        // A third, checked just before its expiry: refused the moment it expires.
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
        expect((await store.identity.authenticateSession(s.id))?.session?.csrfToken).toBe(
          s.session.csrfToken,
        );
        expect(await store.identity.deleteSession(s.id)).toBe(true);
        expect(await store.identity.deleteSession(s.id)).toBe(false);
        expect(await store.identity.authenticateSession(s.id)).toBeNull();
        const s2 = await store.identity.createSession(
          user.id,
          new Date(clock.getTime() + 3_600_000).toISOString(),
        );
        expect(await store.identity.authenticateSession(s2.id)).not.toBeNull();
        await other.identity.updateUser(user.id, { disabled: true });
        expect(await store.identity.authenticateSession(s2.id)).toBeNull();
      } finally {
        await close();
      }
    });

    it('organisations, users and tokens: listed, updated, duplicates and unknown references refused by code', async () => {
      const clock = new Date('2026-01-01T00:00:00.000Z');
      const { store, other, close } = await open(() => clock);
      try {
        const org = await store.identity.createOrganisation(ORG);
        expect(org).toEqual({ ...ORG, createdAt: clock.toISOString() });
        await expect(store.identity.createOrganisation(ORG)).rejects.toMatchObject({
          code: 'STORE_DUPLICATE',
        });
        await store.identity.createOrganisation({
          code: 'ESA',
          name: 'e',
          nation: 'FRA',
          maxClearance: 'SECRET',
        });
        expect((await other.identity.listOrganisations()).map((o) => o.code)).toEqual(['ESA', 'ORG']);
        expect(await store.identity.getOrganisation('NONE')).toBeNull();

        await expect(
          store.identity.createUser({ username: 'x', organisation: 'NONE', roles: [], clearance: 'SECRET' }),
        ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        const admin = await store.identity.createUser({
          username: 'admin',
          organisation: 'ORG',
          roles: ['admin', 'analyst'],
          clearance: 'SECRET',
          password: 'first password',
        });
        expect(admin).toMatchObject({
          username: 'admin',
          roles: ['admin', 'analyst'],
          disabled: false,
          hasPassword: true,
        });
        await expect(
          store.identity.createUser({
            username: 'admin',
            organisation: 'ESA',
            roles: [],
            clearance: 'SECRET',
          }),
        ).rejects.toMatchObject({ code: 'STORE_DUPLICATE' });
        const viewer = await other.identity.createUser({
          username: 'viewer',
          organisation: 'ESA',
          roles: [],
          clearance: 'UNCLASSIFIED',
        });
        expect(viewer).toMatchObject({ roles: [], hasPassword: false });
        expect((await store.identity.listUsers()).map((u) => u.username)).toEqual(['admin', 'viewer']);
        expect(await store.identity.getUserByName('viewer')).toEqual(viewer);
        expect(await store.identity.getUser(viewer.id + 1000)).toBeNull();
        expect(await store.identity.countActiveAdmins()).toBe(1);

        // Logins: the right password only, never for a disabled user or one without a password.
        expect((await store.identity.verifyLogin('admin', 'first password'))?.organisation.code).toBe('ORG');
        expect(await store.identity.verifyLogin('admin', 'wrong')).toBeNull();
        expect(await store.identity.verifyLogin('nobody', 'first password')).toBeNull();
        expect(await store.identity.verifyLogin('viewer', '')).toBeNull();
        const session = await store.identity.createSession(
          admin.id,
          new Date(clock.getTime() + 3_600_000).toISOString(),
        );
        // A new password ends every session and replaces the old one.
        const changed = await store.identity.updateUser(admin.id, { password: 'second password' });
        expect(changed?.hasPassword).toBe(true);
        expect(await store.identity.authenticateSession(session.id)).toBeNull();
        expect(await store.identity.verifyLogin('admin', 'first password')).toBeNull();
        expect(await store.identity.verifyLogin('admin', 'second password')).not.toBeNull();
        expect(await store.identity.updateUser(admin.id + 1000, { disabled: true })).toBeNull();
        await store.identity.updateUser(admin.id, { roles: ['analyst'], clearance: 'CONFIDENTIAL' });
        expect(await store.identity.countActiveAdmins()).toBe(0);
        await store.identity.updateUser(viewer.id, { roles: ['admin'] });
        expect(await other.identity.countActiveAdmins()).toBe(1);
        await store.identity.updateUser(viewer.id, { disabled: true });
        expect(await other.identity.countActiveAdmins()).toBe(0);

        // Tokens: the secret never again; listed per user; revocation keeps its first time.
        await expect(
          store.identity.createToken({
            userId: viewer.id + 1000,
            name: 'x',
            scopes: [],
            expiresAt: '2027-01-01T00:00:00.000Z',
          }),
        ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        const t = await store.identity.createToken({
          userId: admin.id,
          name: 'ci',
          scopes: ['read', 'write'],
          expiresAt: '2027-01-01T00:00:00.000Z',
        });
        await store.identity.createToken({
          userId: viewer.id,
          name: 'v',
          scopes: [],
          expiresAt: '2027-01-01T00:00:00.000Z',
        });
        expect(t.token).toMatchObject({ username: 'admin', scopes: ['read', 'write'], revokedAt: null });
        expect(JSON.stringify(await other.identity.listTokens())).not.toContain(t.secret);
        expect((await other.identity.listTokens(admin.id)).map((x) => x.name)).toEqual(['ci']);
        expect((await other.identity.listTokens()).map((x) => x.name)).toEqual(['ci', 'v']);
        const used = await store.identity.authenticateToken(t.secret);
        expect(used?.token?.lastUsedAt).toBe(clock.toISOString());
        expect((await other.identity.getToken(t.token.id))?.lastUsedAt).toBe(clock.toISOString());
        const revoked = await store.identity.revokeToken(t.token.id);
        expect(revoked?.revokedAt).toBe(clock.toISOString());
        expect(await other.identity.revokeToken(t.token.id)).toEqual(revoked);
        expect(await store.identity.revokeToken(t.token.id + 1000)).toBeNull();
        expect(await store.identity.getToken(t.token.id + 1000)).toBeNull();
      } finally {
        await close();
      }
    });

    it('two connections creating the same user at once: one user, the other refused as a duplicate', async () => {
      const { store, other, close } = await open(() => new Date('2026-01-01T00:00:00.000Z'));
      try {
        await store.identity.createOrganisation(ORG);
        const input = { username: 'same', organisation: 'ORG', roles: [], clearance: 'SECRET' } as const;
        const results = await Promise.allSettled([
          store.identity.createUser(input),
          other.identity.createUser(input),
          store.identity.createOrganisation({ ...ORG, code: 'TWO' }),
          other.identity.createOrganisation({ ...ORG, code: 'TWO' }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'rejected',
        ]);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'STORE_DUPLICATE' });
        }
        expect((await store.identity.listUsers()).map((u) => u.username)).toEqual(['same']);
      } finally {
        await close();
      }
    });
  });
}
