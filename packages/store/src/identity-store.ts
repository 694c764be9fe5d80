/**
 * Who may use a Hoshimi node (schema v10 `0010_identity`): organisations (the partners: national
 * agencies, each of one nation, with the highest clearance its people may hold), users (one
 * organisation each, roles, a clearance, a scrypt password hash for the console, a disabled flag),
 * API tokens and console sessions.
 *
 * Secrets never rest in the store in clear: a password is kept as its scrypt hash
 * (password-hash.ts); an API token (`hsm_` + 32 random bytes, base64url) and a session id as their
 * SHA-256 — a random 256-bit secret needs no slow hash, as it cannot be guessed from a dictionary.
 * The token's secret is shown once, when created. A session's CSRF token is a per-session random
 * value kept in clear: it is worthless without the session cookie it goes with.
 *
 * The store checks credentials (`authenticateToken`, `authenticateSession`, `verifyLogin`) and
 * answers null for every kind of failure alike (unknown, expired, revoked, disabled user), so its
 * callers cannot tell the kinds apart by the answer; what each role or scope may do is the
 * server's business (server/src/auth).
 */

export interface Organisation {
  /** Upper-case code (astro's checkOrganisation), the `originator` of markings. */
  readonly code: string;
  readonly name: string;
  /** ISO 3166-1 alpha-3 trigraph. */
  readonly nation: string;
  /** Highest clearance of its users (a level of the classification scheme). */
  readonly maxClearance: string;
  readonly createdAt: string;
}

export interface OrganisationInput {
  readonly code: string;
  readonly name: string;
  readonly nation: string;
  readonly maxClearance: string;
}

export interface User {
  readonly id: number;
  readonly username: string;
  /** Code of the user's organisation. */
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  readonly disabled: boolean;
  /** Whether the user has a password (can log in to the console). */
  readonly hasPassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UserInput {
  readonly username: string;
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  /** Hashed with scrypt before it is stored; absent: token-only user (no console login). */
  readonly password?: string;
}

export interface UserUpdate {
  readonly roles?: readonly string[];
  readonly clearance?: string;
  readonly disabled?: boolean;
  readonly password?: string;
}

export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly userId: number;
  readonly username: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface TokenInput {
  readonly userId: number;
  readonly name: string;
  readonly scopes: readonly string[];
  /** ISO UTC. */
  readonly expiresAt: string;
}

export interface ConsoleSession {
  readonly userId: number;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The value the console sends back in the CSRF header. */
  readonly csrfToken: string;
}

/** A user whose credentials checked out, with the organisation that decides what they may read. */
export interface Authenticated {
  readonly user: User;
  readonly organisation: Organisation;
  /** The token used (token authentication). */
  readonly token?: ApiToken;
  /** The session used (console). */
  readonly session?: ConsoleSession;
}

/** Prefix of every API token secret (lets secret scanners and people recognise one). */
export const TOKEN_PREFIX = 'hsm_';

export interface IdentityStore {
  /** StoreError STORE_DUPLICATE when the code exists. */
  createOrganisation(input: OrganisationInput): Promise<Organisation>;
  getOrganisation(code: string): Promise<Organisation | null>;
  listOrganisations(): Promise<Organisation[]>;
  /** StoreError STORE_DUPLICATE (username taken) or STORE_NOT_FOUND (no such organisation). */
  createUser(input: UserInput): Promise<User>;
  getUser(id: number): Promise<User | null>;
  getUserByName(username: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Null when unknown. Disabling a user also ends their console sessions. */
  updateUser(id: number, update: UserUpdate): Promise<User | null>;
  /** Users with the admin role who are not disabled. */
  countActiveAdmins(): Promise<number>;
  /**
   * The user of a username and password when both check out and the user is enabled, else null;
   * an unknown user costs the same scrypt time as a wrong password.
   */
  verifyLogin(username: string, password: string): Promise<Authenticated | null>;
  /** Creates a token; the secret is returned here and never again. */
  createToken(input: TokenInput): Promise<{ readonly token: ApiToken; readonly secret: string }>;
  listTokens(userId?: number): Promise<ApiToken[]>;
  getToken(id: number): Promise<ApiToken | null>;
  /** Revokes a token (idempotent: a revoked token keeps its first revocation time); null when unknown. */
  revokeToken(id: number): Promise<ApiToken | null>;
  /** The token's user when the secret is a live token of an enabled user, else null (records last use). */
  authenticateToken(secret: string): Promise<Authenticated | null>;
  /** Opens a console session; returns its id (the cookie value, shown once) and its CSRF token. */
  createSession(
    userId: number,
    expiresAt: string,
  ): Promise<{ readonly id: string; readonly session: ConsoleSession }>;
  /** The session's user when the id is a live session of an enabled user, else null. */
  authenticateSession(id: string): Promise<Authenticated | null>;
  /** Ends a session (logout); false when there was none. */
  deleteSession(id: string): Promise<boolean>;
}
