/**
 * Creating organisations, users and tokens with their inputs checked: one set of rules for the
 * admin API (routes/admin.ts) and the `hoshimi org|user|token` commands. Bad input throws
 * ApiError 400 BAD_REQUEST naming the field; a name already taken 409 CONFLICT; an unknown
 * organisation or user 404 NOT_FOUND.
 *
 * Rules: organisation codes and nation trigraphs as astro's marking module checks them; clearances
 * are levels of the classification scheme, a user's at most their organisation's ceiling; roles
 * from principal.ts ROLES; passwords 12 to 1024 characters; token scopes from policy.ts SCOPES and
 * within what the user's roles allow, lifetime 1 to 366 days.
 */
import {
  AstroError,
  type ClassificationScheme,
  checkNation,
  checkOrganisation,
  DEFAULT_SCHEME,
  levelRank,
} from '@hoshimi/astro';
import type { ApiToken, CatalogStore, Organisation, User } from '@hoshimi/store';
import { StoreError } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import { isRole, isScope, scopesOfRoles } from './policy.js';
import type { Role } from './principal.js';

export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$';
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_TOKEN_DAYS = 366;

function bad(field: string, message: string): ApiError {
  return new ApiError(400, 'BAD_REQUEST', `${field}: ${message}`, field);
}

function fromStore<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    if (e instanceof StoreError && e.code === 'STORE_DUPLICATE')
      throw new ApiError(409, 'CONFLICT', e.message);
    if (e instanceof StoreError && e.code === 'STORE_NOT_FOUND')
      throw new ApiError(404, 'NOT_FOUND', e.message);
    throw e;
  });
}

function checked<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AstroError) throw bad(field, e.message);
    throw e;
  }
}

export interface OrganisationFields {
  readonly code: string;
  readonly name: string;
  readonly nation: string;
  readonly maxClearance: string;
}

export async function addOrganisation(
  store: CatalogStore,
  input: OrganisationFields,
  scheme: ClassificationScheme = DEFAULT_SCHEME,
): Promise<Organisation> {
  checked('code', () => checkOrganisation(input.code));
  checked('nation', () => checkNation(input.nation));
  checked('maxClearance', () => levelRank(scheme, input.maxClearance));
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw bad('name', 'expected 1 to 200 characters');
  const org = await fromStore(store.identity.createOrganisation({ ...input, name }));
  await logIdentity(store, 'identity.addOrganisation', input.code, {
    nation: input.nation,
    maxClearance: input.maxClearance,
  });
  return org;
}

/**
 * Appends an identity change to the store's audit log (the actor is the context's: the request's
 * principal, the CLI's user). Never a password, hash or token secret: only who, what and which.
 */
async function logIdentity(
  store: CatalogStore,
  action: string,
  target: string,
  details: Record<string, unknown>,
): Promise<void> {
  await store.audit?.append({ action, target, outcome: 'allowed', status: null, details });
}

function checkRoles(roles: readonly string[]): Role[] {
  if (roles.length === 0) throw bad('roles', 'at least one role (viewer, analyst, operator, admin)');
  for (const r of roles)
    if (!isRole(r)) throw bad('roles', `${JSON.stringify(r)} is not viewer, analyst, operator or admin`);
  return [...new Set(roles)] as Role[];
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw bad('password', `expected ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
}

async function checkClearance(
  store: CatalogStore,
  organisation: string,
  clearance: string,
  scheme: ClassificationScheme,
): Promise<void> {
  const org = await store.identity.getOrganisation(organisation);
  if (org === null) throw new ApiError(404, 'NOT_FOUND', `no organisation ${organisation}`, 'organisation');
  const rank = checked('clearance', () => levelRank(scheme, clearance));
  if (rank > levelRank(scheme, org.maxClearance)) {
    throw bad('clearance', `${clearance} is above ${org.code}'s ceiling ${org.maxClearance}`);
  }
}

export interface UserFields {
  readonly username: string;
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  readonly password?: string;
}

export async function addUser(
  store: CatalogStore,
  input: UserFields,
  scheme: ClassificationScheme = DEFAULT_SCHEME,
): Promise<User> {
  if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
    throw bad('username', 'expected 1 to 64 letters, digits, . _ @ - (starting with a letter or digit)');
  }
  const roles = checkRoles(input.roles);
  if (input.password !== undefined) checkPassword(input.password);
  await checkClearance(store, input.organisation, input.clearance, scheme);
  const user = await fromStore(
    store.identity.createUser({
      username: input.username,
      organisation: input.organisation,
      roles,
      clearance: input.clearance,
      ...(input.password === undefined ? {} : { password: input.password }),
    }),
  );
  await logIdentity(store, 'identity.addUser', input.username, {
    organisation: input.organisation,
    roles,
    clearance: input.clearance,
    loginSet: input.password !== undefined,
  });
  return user;
}

export interface UserChanges {
  readonly roles?: readonly string[];
  readonly clearance?: string;
  readonly disabled?: boolean;
  readonly password?: string;
}

export async function changeUser(
  store: CatalogStore,
  id: number,
  changes: UserChanges,
  scheme: ClassificationScheme = DEFAULT_SCHEME,
): Promise<User> {
  const user = await store.identity.getUser(id);
  if (user === null) throw new ApiError(404, 'NOT_FOUND', `no user ${id}`, 'id');
  const roles = changes.roles === undefined ? undefined : checkRoles(changes.roles);
  if (changes.clearance !== undefined)
    await checkClearance(store, user.organisation, changes.clearance, scheme);
  if (changes.password !== undefined) checkPassword(changes.password);
  // The last enabled admin may not be demoted or disabled: someone must be able to manage users.
  const losesAdmin =
    user.roles.includes('admin') &&
    !user.disabled &&
    ((roles !== undefined && !roles.includes('admin')) || changes.disabled === true);
  if (losesAdmin && (await store.identity.countActiveAdmins()) <= 1) {
    throw new ApiError(409, 'CONFLICT', `${user.username} is the last enabled admin`);
  }
  const updated = await store.identity.updateUser(id, {
    ...(roles === undefined ? {} : { roles }),
    ...(changes.clearance === undefined ? {} : { clearance: changes.clearance }),
    ...(changes.disabled === undefined ? {} : { disabled: changes.disabled }),
    ...(changes.password === undefined ? {} : { password: changes.password }),
  });
  if (updated === null) throw new ApiError(404, 'NOT_FOUND', `no user ${id}`, 'id');
  await logIdentity(store, 'identity.changeUser', user.username, {
    ...(roles === undefined ? {} : { roles }),
    ...(changes.clearance === undefined ? {} : { clearance: changes.clearance }),
    ...(changes.disabled === undefined ? {} : { disabled: changes.disabled }),
    loginChanged: changes.password !== undefined,
  });
  return updated;
}

export interface TokenFields {
  readonly username: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** Lifetime, days (1 to MAX_TOKEN_DAYS). */
  readonly days: number;
}

export async function issueToken(
  store: CatalogStore,
  input: TokenFields,
  now: Date = new Date(),
): Promise<{ token: ApiToken; secret: string }> {
  const user = await store.identity.getUserByName(input.username);
  if (user === null) throw new ApiError(404, 'NOT_FOUND', `no user ${input.username}`, 'username');
  if (user.disabled) throw bad('username', `${input.username} is disabled`);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw bad('name', 'expected 1 to 100 characters');
  if (input.scopes.length === 0) throw bad('scopes', 'at least one scope (read, write, admin)');
  const allowed = scopesOfRoles(user.roles.filter(isRole) as Role[]);
  for (const s of input.scopes) {
    if (!isScope(s)) throw bad('scopes', `${JSON.stringify(s)} is not read, write or admin`);
    if (!allowed.includes(s)) throw bad('scopes', `${input.username}'s roles do not allow the ${s} scope`);
  }
  if (!Number.isFinite(input.days) || input.days <= 0 || input.days > MAX_TOKEN_DAYS) {
    throw bad('days', `expected a number of days in (0, ${MAX_TOKEN_DAYS}]`);
  }
  const expiresAt = new Date(now.getTime() + input.days * 86_400_000).toISOString();
  const issued = await store.identity.createToken({
    userId: user.id,
    name,
    scopes: [...new Set(input.scopes)],
    expiresAt,
  });
  await logIdentity(store, 'identity.issueToken', input.username, {
    tokenId: issued.token.id,
    name,
    scopes: [...new Set(input.scopes)],
    expiresAt,
  });
  return issued;
}

/** Revokes a token by id; 404 when unknown. */
export async function revokeToken(store: CatalogStore, id: number): Promise<ApiToken> {
  const token = await store.identity.revokeToken(id);
  if (token === null) throw new ApiError(404, 'NOT_FOUND', `no token ${id}`, 'id');
  await logIdentity(store, 'identity.revokeToken', `token/${id}`, {});
  return token;
}
