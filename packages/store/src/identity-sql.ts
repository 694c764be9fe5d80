/**
 * Organisations, users, API tokens and console sessions in the catalog database (schema v10
 * `0010_identity`), written with Kysely's query builder once for both stores: the SQLite store runs
 * every operation in its one-at-a-time queue on its one connection, the PostgreSQL store runs reads
 * on its pool and each write in a transaction of its own (options `read` and `write`). The model
 * and its security rules are described in identity-store.ts; hashing in password-hash.ts. List
 * columns (roles, scopes) are comma-separated text; times ISO UTC text (`toISOString`).
 *
 * Checked credentials are remembered briefly only where the store can tell, cheaply and before
 * every use, that no other connection has committed since (SQLite's `PRAGMA data_version`, option
 * `dataVersion`). PostgreSQL has no such per-connection counter, and several server processes on
 * one database must refuse a token revoked by any of them on the next request: without
 * `dataVersion` every credential is looked up every time (one indexed query).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Generated, Kysely, Selectable, Updateable } from 'kysely';
import { StoreError } from './errors.js';
import type {
  ApiToken,
  Authenticated,
  ConsoleSession,
  IdentityStore,
  Organisation,
  OrganisationInput,
  TokenInput,
  User,
  UserInput,
  UserUpdate,
} from './identity-store.js';
import { TOKEN_PREFIX } from './identity-store.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password-hash.js';
import type { CatalogDatabase } from './schema.js';

/** v10: a partner organisation. */
export interface OrganisationsTable {
  code: string;
  name: string;
  nation: string;
  max_clearance: string;
  created_at: string;
}

/** v10: a user. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  organisation: string;
  /** Comma-separated roles. */
  roles: string;
  clearance: string;
  /** scrypt PHC string, or null for a token-only user. */
  password_hash: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
}

/** v10: an API token (its secret's SHA-256 only). */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** Hex SHA-256 of the secret. */
  token_hash: string;
  /** Comma-separated scopes. */
  scopes: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** v10: a console session (its id's SHA-256 only). */
export interface ConsoleSessionsTable {
  id_hash: string;
  user_id: number;
  csrf_secret: string;
  created_at: string;
  expires_at: string;
}

// A type alias, not an interface: Kysely's withTables wants an indexable record type.
export type IdentityTables = {
  organisations: OrganisationsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  console_sessions: ConsoleSessionsTable;
};

type Db = Kysely<CatalogDatabase & IdentityTables>;

/** Last use of a token is written at most this often (a write per request would be wasteful), ms. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * A credential that checked out is remembered this long (and never past its own expiry), so that a
 * busy API client does not cost a store query per request (~0.3 ms, more than a cached answer).
 * Any change made through this store (revocation, a user disabled or changed, logout) forgets
 * every remembered credential at once; so does any commit by another connection (the `hoshimi
 * token revoke` command beside a running server): before a remembered credential is used, the
 * connection's `PRAGMA data_version` (SQLite: it changes when another connection has committed
 * to the file; a few microseconds, no table read) is compared with the one it was remembered
 * under. A revocation is therefore refused on the next request, whichever process made it.
 * Failures are never remembered: every unknown, expired or revoked credential costs the same
 * store lookup.
 */
export const CREDENTIAL_CACHE_MS = 2_000;
/** Remembered credentials at most (then all are forgotten). */
const CREDENTIAL_CACHE_SIZE = 10_000;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function list(text: string): string[] {
  return text === '' ? [] : text.split(',');
}

function orgFromRow(r: Selectable<OrganisationsTable>): Organisation {
  return {
    code: r.code,
    name: r.name,
    nation: r.nation,
    maxClearance: r.max_clearance,
    createdAt: r.created_at,
  };
}

function userFromRow(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    username: r.username,
    organisation: r.organisation,
    roles: list(r.roles),
    clearance: r.clearance,
    disabled: r.disabled !== 0,
    hasPassword: r.password_hash !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function tokenFromRow(r: Selectable<ApiTokensTable>, username: string): ApiToken {
  return {
    id: r.id,
    name: r.name,
    userId: r.user_id,
    username,
    scopes: list(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/** The user and organisation columns of a credential lookup (prefixed u_ and o_). */
interface CredentialColumns {
  u_id: number | null;
  u_username: string | null;
  u_organisation: string | null;
  u_roles: string | null;
  u_clearance: string | null;
  u_password_hash: string | null;
  u_disabled: number | null;
  u_created_at: string | null;
  u_updated_at: string | null;
  o_code: string | null;
  o_name: string | null;
  o_nation: string | null;
  o_max_clearance: string | null;
  o_created_at: string | null;
}

function authenticatedFromRow(r: CredentialColumns): Authenticated | null {
  if (r.u_id === null || r.o_code === null) return null;
  return {
    user: userFromRow({
      id: r.u_id,
      username: r.u_username ?? '',
      organisation: r.u_organisation ?? '',
      roles: r.u_roles ?? '',
      clearance: r.u_clearance ?? '',
      password_hash: r.u_password_hash,
      disabled: r.u_disabled ?? 1,
      created_at: r.u_created_at ?? '',
      updated_at: r.u_updated_at ?? '',
    }),
    organisation: orgFromRow({
      code: r.o_code,
      name: r.o_name ?? '',
      nation: r.o_nation ?? '',
      max_clearance: r.o_max_clearance ?? '',
      created_at: r.o_created_at ?? '',
    }),
  };
}

/** A unique or primary key refused a row (SQLite or PostgreSQL): a concurrent writer was first. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export interface SqlIdentityOptions {
  readonly kysely: Kysely<CatalogDatabase>;
  /** Runs a read (SQLite: in the store's one-at-a-time queue; PostgreSQL: on the pool at once). */
  readonly read: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Runs a write on the database handle it passes (SQLite: the store's connection, in its queue;
   * PostgreSQL: a transaction of its own, committed when `fn` resolves, rolled back when it throws).
   */
  readonly write: <T>(fn: (db: Kysely<CatalogDatabase>) => Promise<T>) => Promise<T>;
  /** Throws STORE_READ_ONLY for a read-only store. */
  readonly writable: (what: string) => void;
  readonly readOnly: boolean;
  readonly now: () => Date;
  /**
   * A number that changes whenever another connection commits (SQLite's `PRAGMA data_version`);
   * absent, no checked credential is remembered (see the module header).
   */
  readonly dataVersion?: () => number;
}

export class SqlIdentityStore implements IdentityStore {
  readonly #db: Db;
  readonly #o: SqlIdentityOptions;
  readonly #remembered = new Map<string, { readonly auth: Authenticated; readonly until: number }>();
  /** The data_version the remembered credentials were checked under. */
  #rememberedVersion = -1;

  constructor(options: SqlIdentityOptions) {
    this.#db = options.kysely.withTables<IdentityTables>();
    this.#o = options;
  }

  #now(): string {
    return this.#o.now().toISOString();
  }

  #write<T>(what: string, fn: (db: Db) => Promise<T>): Promise<T> {
    return this.#o.write(async (db) => {
      this.#o.writable(what);
      // Whatever changes, no credential checked before it is trusted after it.
      this.#remembered.clear();
      return fn(db.withTables<IdentityTables>());
    });
  }

  #recall(key: string): Authenticated | null {
    if (this.#remembered.size === 0 || this.#o.dataVersion === undefined) return null;
    // Another connection committed since (perhaps a revocation): trust nothing remembered.
    if (this.#o.dataVersion() !== this.#rememberedVersion) {
      this.#remembered.clear();
      return null;
    }
    const r = this.#remembered.get(key);
    if (r === undefined) return null;
    if (r.until > this.#o.now().getTime()) return r.auth;
    this.#remembered.delete(key);
    return null;
  }

  #remember(key: string, auth: Authenticated, expiresAt: string, version: number | null): Authenticated {
    if (version === null) return auth;
    // Checked under an older version than what is remembered (or the memory is full): start over.
    if (version !== this.#rememberedVersion || this.#remembered.size >= CREDENTIAL_CACHE_SIZE) {
      this.#remembered.clear();
      this.#rememberedVersion = version;
    }
    const until = Math.min(this.#o.now().getTime() + CREDENTIAL_CACHE_MS, Date.parse(expiresAt));
    this.#remembered.set(key, { auth, until });
    return auth;
  }

  createOrganisation(input: OrganisationInput): Promise<Organisation> {
    return this.#write('create an organisation', async (db) => {
      const known = await db
        .selectFrom('organisations')
        .select('code')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (known !== undefined) {
        throw new StoreError('STORE_DUPLICATE', `organisation ${input.code} exists`, { code: input.code });
      }
      const row = {
        code: input.code,
        name: input.name,
        nation: input.nation,
        max_clearance: input.maxClearance,
        created_at: this.#now(),
      };
      try {
        await db.insertInto('organisations').values(row).execute();
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        throw new StoreError(
          'STORE_DUPLICATE',
          `organisation ${input.code} exists`,
          { code: input.code },
          { cause: e },
        );
      }
      return orgFromRow(row);
    });
  }

  getOrganisation(code: string): Promise<Organisation | null> {
    return this.#o.read(async () => {
      const r = await this.#db
        .selectFrom('organisations')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirst();
      return r === undefined ? null : orgFromRow(r);
    });
  }

  listOrganisations(): Promise<Organisation[]> {
    return this.#o.read(async () =>
      (await this.#db.selectFrom('organisations').selectAll().orderBy('code').execute()).map(orgFromRow),
    );
  }

  createUser(input: UserInput): Promise<User> {
    // Hash outside the store's queue: scrypt takes a while and runs on the thread pool.
    const hashed = input.password === undefined ? Promise.resolve(null) : hashPassword(input.password);
    return hashed.then((passwordHash) =>
      this.#write('create a user', async (db) => {
        const org = await db
          .selectFrom('organisations')
          .select('code')
          .where('code', '=', input.organisation)
          .executeTakeFirst();
        if (org === undefined) {
          throw new StoreError('STORE_NOT_FOUND', `no organisation ${input.organisation}`, {
            organisation: input.organisation,
          });
        }
        const taken = await db
          .selectFrom('users')
          .select('id')
          .where('username', '=', input.username)
          .executeTakeFirst();
        if (taken !== undefined) {
          throw new StoreError('STORE_DUPLICATE', `user ${input.username} exists`, {
            username: input.username,
          });
        }
        const now = this.#now();
        const r = await db
          .insertInto('users')
          .values({
            username: input.username,
            organisation: input.organisation,
            roles: input.roles.join(','),
            clearance: input.clearance,
            password_hash: passwordHash,
            disabled: 0,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
          .catch((e: unknown) => {
            if (!isUniqueViolation(e)) throw e;
            throw new StoreError(
              'STORE_DUPLICATE',
              `user ${input.username} exists`,
              { username: input.username },
              { cause: e },
            );
          });
        return userFromRow(r);
      }),
    );
  }

  getUser(id: number): Promise<User | null> {
    return this.#o.read(async () => {
      const r = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? null : userFromRow(r);
    });
  }

  getUserByName(username: string): Promise<User | null> {
    return this.#o.read(async () => {
      const r = await this.#db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return r === undefined ? null : userFromRow(r);
    });
  }

  listUsers(): Promise<User[]> {
    return this.#o.read(async () =>
      (await this.#db.selectFrom('users').selectAll().orderBy('id').execute()).map(userFromRow),
    );
  }

  updateUser(id: number, update: UserUpdate): Promise<User | null> {
    const hashed = update.password === undefined ? Promise.resolve(undefined) : hashPassword(update.password);
    return hashed.then((passwordHash) =>
      this.#write('update a user', async (db) => {
        const set: Updateable<UsersTable> = { updated_at: this.#now() };
        if (update.roles !== undefined) set.roles = update.roles.join(',');
        if (update.clearance !== undefined) set.clearance = update.clearance;
        if (update.disabled !== undefined) set.disabled = update.disabled ? 1 : 0;
        if (passwordHash !== undefined) set.password_hash = passwordHash;
        const r = await db
          .updateTable('users')
          .set(set)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (r === undefined) return null;
        // A disabled user, or a new password: every open console session ends.
        if (update.disabled === true || passwordHash !== undefined) {
          await db.deleteFrom('console_sessions').where('user_id', '=', id).execute();
        }
        return userFromRow(r);
      }),
    );
  }

  countActiveAdmins(): Promise<number> {
    return this.#o.read(async () => {
      const rows = await this.#db.selectFrom('users').select('roles').where('disabled', '=', 0).execute();
      return rows.filter((r) => list(r.roles).includes('admin')).length;
    });
  }

  async #withOrganisation(user: Selectable<UsersTable>): Promise<Authenticated | null> {
    const org = await this.#db
      .selectFrom('organisations')
      .selectAll()
      .where('code', '=', user.organisation)
      .executeTakeFirst();
    return org === undefined ? null : { user: userFromRow(user), organisation: orgFromRow(org) };
  }

  async verifyLogin(username: string, password: string): Promise<Authenticated | null> {
    const row = await this.#o.read(() =>
      this.#db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),
    );
    // The same scrypt work whether the user exists, has a password, or is disabled.
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!ok || row === undefined || row.password_hash === null || row.disabled !== 0) return null;
    return this.#o.read(() => this.#withOrganisation(row));
  }

  createToken(input: TokenInput): Promise<{ token: ApiToken; secret: string }> {
    return this.#write('create a token', async (db) => {
      const user = await db
        .selectFrom('users')
        .select('username')
        .where('id', '=', input.userId)
        .executeTakeFirst();
      if (user === undefined) {
        throw new StoreError('STORE_NOT_FOUND', `no user with id ${input.userId}`, { userId: input.userId });
      }
      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const r = await db
        .insertInto('api_tokens')
        .values({
          user_id: input.userId,
          name: input.name,
          token_hash: sha256Hex(secret),
          scopes: input.scopes.join(','),
          created_at: this.#now(),
          expires_at: input.expiresAt,
          revoked_at: null,
          last_used_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { token: tokenFromRow(r, user.username), secret };
    });
  }

  listTokens(userId?: number): Promise<ApiToken[]> {
    return this.#o.read(async () => {
      let q = this.#db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .selectAll('api_tokens')
        .select('users.username as username');
      if (userId !== undefined) q = q.where('api_tokens.user_id', '=', userId);
      return (await q.orderBy('api_tokens.id').execute()).map((r) => tokenFromRow(r, r.username));
    });
  }

  getToken(id: number): Promise<ApiToken | null> {
    return this.#o.read(async () => this.#token(id));
  }

  async #token(id: number, db: Db = this.#db): Promise<ApiToken | null> {
    const r = await db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select('users.username as username')
      .where('api_tokens.id', '=', id)
      .executeTakeFirst();
    return r === undefined ? null : tokenFromRow(r, r.username);
  }

  revokeToken(id: number): Promise<ApiToken | null> {
    return this.#write('revoke a token', async (db) => {
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: this.#now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return this.#token(id, db);
    });
  }

  /**
   * One row of the token, its user and their organisation, in one query by the secret's hash:
   * unknown, expired, revoked and disabled cost the same single lookup.
   */
  #credentialRow(table: 'api_tokens' | 'console_sessions', hash: string) {
    const key = table === 'api_tokens' ? 'api_tokens.token_hash' : 'console_sessions.id_hash';
    return this.#db
      .selectFrom(table)
      .leftJoin('users', 'users.id', `${table}.user_id`)
      .leftJoin('organisations', 'organisations.code', 'users.organisation')
      .select([
        'users.id as u_id',
        'users.username as u_username',
        'users.organisation as u_organisation',
        'users.roles as u_roles',
        'users.clearance as u_clearance',
        'users.password_hash as u_password_hash',
        'users.disabled as u_disabled',
        'users.created_at as u_created_at',
        'users.updated_at as u_updated_at',
        'organisations.code as o_code',
        'organisations.name as o_name',
        'organisations.nation as o_nation',
        'organisations.max_clearance as o_max_clearance',
        'organisations.created_at as o_created_at',
      ])
      .where(key, '=', hash);
  }

  authenticateToken(secret: string): Promise<Authenticated | null> {
    // Hash whatever came: a malformed secret costs the same lookup as a well-formed one.
    const hash = sha256Hex(secret);
    const known = this.#recall(`t:${hash}`);
    if (known !== null) return Promise.resolve(known);
    return this.#o.read(async () => {
      // Read before the row: a commit by another connection in between makes the memory stale, not wrong.
      const version = this.#o.dataVersion?.() ?? null;
      const r = await this.#credentialRow('api_tokens', hash).selectAll('api_tokens').executeTakeFirst();
      const now = this.#o.now();
      const auth = r === undefined ? null : authenticatedFromRow(r);
      if (
        r === undefined ||
        auth === null ||
        !secret.startsWith(TOKEN_PREFIX) ||
        r.revoked_at !== null ||
        !(Date.parse(r.expires_at) > now.getTime()) ||
        auth.user.disabled
      )
        return null;
      let lastUsed = r.last_used_at;
      if (
        !this.#o.readOnly &&
        (lastUsed === null || now.getTime() - Date.parse(lastUsed) >= LAST_USED_RESOLUTION_MS)
      ) {
        lastUsed = now.toISOString();
        await this.#db
          .updateTable('api_tokens')
          .set({ last_used_at: lastUsed })
          .where('id', '=', r.id)
          .execute();
      }
      return this.#remember(
        `t:${hash}`,
        { ...auth, token: tokenFromRow({ ...r, last_used_at: lastUsed }, auth.user.username) },
        r.expires_at,
        version,
      );
    });
  }

  createSession(userId: number, expiresAt: string): Promise<{ id: string; session: ConsoleSession }> {
    return this.#write('open a session', async (db) => {
      const id = randomBytes(32).toString('base64url');
      const row = {
        id_hash: sha256Hex(id),
        user_id: userId,
        csrf_secret: randomBytes(32).toString('base64url'),
        created_at: this.#now(),
        expires_at: expiresAt,
      };
      // Sessions past their expiry are removed when a new one opens.
      await db.deleteFrom('console_sessions').where('expires_at', '<', row.created_at).execute();
      await db.insertInto('console_sessions').values(row).execute();
      return {
        id,
        session: { userId, createdAt: row.created_at, expiresAt, csrfToken: row.csrf_secret },
      };
    });
  }

  authenticateSession(id: string): Promise<Authenticated | null> {
    const hash = sha256Hex(id);
    const known = this.#recall(`s:${hash}`);
    if (known !== null) return Promise.resolve(known);
    return this.#o.read(async () => {
      const version = this.#o.dataVersion?.() ?? null;
      const r = await this.#credentialRow('console_sessions', hash)
        .selectAll('console_sessions')
        .executeTakeFirst();
      const auth = r === undefined ? null : authenticatedFromRow(r);
      if (
        r === undefined ||
        auth === null ||
        !(Date.parse(r.expires_at) > this.#o.now().getTime()) ||
        auth.user.disabled
      )
        return null;
      return this.#remember(
        `s:${hash}`,
        {
          ...auth,
          session: {
            userId: r.user_id,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
            csrfToken: r.csrf_secret,
          },
        },
        r.expires_at,
        version,
      );
    });
  }

  deleteSession(id: string): Promise<boolean> {
    return this.#write('end a session', async (db) => {
      const r = await db
        .deleteFrom('console_sessions')
        .where('id_hash', '=', sha256Hex(id))
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }
}
