/**
 * Credentials for the server tests: an organisation, a user and an API token created in the test's
 * own store through the same code the admin API and the CLI use, and an `inject` that sends the
 * token's Authorization header. The server has no switch to skip authentication; tests log in like
 * any client.
 */
import type { CatalogStore } from '@hoshimi/store';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { addOrganisation, addUser, issueToken } from '../src/auth/identity-service.js';
import type { Role } from '../src/auth/principal.js';

export interface TestCredentials {
  readonly username: string;
  /** The API token's secret. */
  readonly token: string;
  /** `{ authorization: 'Bearer …' }`. */
  readonly headers: { readonly authorization: string };
}

export const TEST_ORG = 'TESTORG';

/** Creates the test organisation once per store (USA, SECRET ceiling). */
async function ensureOrganisation(store: CatalogStore, code: string, nation: string): Promise<void> {
  if ((await store.identity.getOrganisation(code)) === null) {
    await addOrganisation(store, { code, name: `Test organisation ${code}`, nation, maxClearance: 'SECRET' });
  }
}

/**
 * A user with `role` (default admin) and a token with every scope the role allows, in `store`.
 * Usernames must be unique per store.
 */
export async function testCredentials(
  store: CatalogStore,
  options: {
    readonly username?: string;
    readonly role?: Role;
    readonly organisation?: string;
    readonly nation?: string;
    readonly clearance?: string;
    readonly scopes?: readonly string[];
    readonly password?: string;
  } = {},
): Promise<TestCredentials> {
  const role = options.role ?? 'admin';
  const username = options.username ?? `test-${role}`;
  const organisation = options.organisation ?? TEST_ORG;
  await ensureOrganisation(store, organisation, options.nation ?? 'USA');
  await addUser(store, {
    username,
    organisation,
    roles: [role],
    clearance: options.clearance ?? 'SECRET',
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  const scopes =
    options.scopes ??
    (role === 'admin' ? ['read', 'write', 'admin'] : role === 'viewer' ? ['read'] : ['read', 'write']);
  const { secret } = await issueToken(store, { username, name: 'test', scopes, days: 1 });
  return { username, token: secret, headers: { authorization: `Bearer ${secret}` } };
}

/** `app.inject` with the credentials' header added (a string is a GET of that URL). */
export function authedInject(
  app: FastifyInstance,
  credentials: TestCredentials,
): (options: InjectOptions | string) => Promise<LightMyRequestResponse> {
  return (options) => {
    const o: InjectOptions = typeof options === 'string' ? { url: options } : options;
    return app.inject({ ...o, headers: { ...credentials.headers, ...(o.headers ?? {}) } });
  };
}
