/**
 * Where a command's catalog store lives: a SQLite file (`--db PATH`, the default) or a PostgreSQL
 * database (`--db postgres://user@host:port/database`, or `postgresql://`), and the one place the
 * CLI opens it.
 *
 * The open modes are SQLite's (SqliteOpenMode): 'read' never creates a file and opens it read-only,
 * 'write' needs an existing file, 'create' makes a missing one. A PostgreSQL database is never
 * created by Hoshimi (the server's administrator makes it); whatever the mode, opening one that has
 * no catalog schema yet, or an older one, gives it the current schema, as the store always does.
 *
 * The PostgreSQL store holds the catalog, events, jobs, watch lists, identity (organisations,
 * users, tokens, sessions) and the audit log, so `hoshimi serve`, `org`, `user`, `token` and
 * `audit` take a PostgreSQL URL. It does not yet hold the node exchange, case files or saved orbit
 * determinations: the commands that need them refuse a PostgreSQL URL before doing anything
 * (`requireSqliteStore`), not halfway through.
 */
import {
  type AuditCheckpoint,
  type CatalogStore,
  isPostgresUrl,
  openPostgresStore,
  openSqliteStore,
  redactedUrl,
  type SqliteOpenMode,
} from '@hoshimi/store';
import { CliError } from './errors.js';

export interface OpenCatalogStoreOptions {
  /** SQLite's open mode (see the module header); a PostgreSQL database is opened the same way in all three. */
  readonly mode: SqliteOpenMode;
  /** Element sets older than this at the query time are stale, days (the store's default: 30). */
  readonly staleAfterDays?: number;
  /** Periodic checkpoints of the audit log (both stores take the same). */
  readonly auditCheckpoints?: {
    readonly records: number;
    readonly sink: (checkpoint: AuditCheckpoint) => void;
    readonly privateKeyPem?: string;
  };
}

/** Opens the store at `location`: PostgreSQL for a `postgres://` or `postgresql://` URL, else a SQLite file. */
export async function openCatalogStore(
  location: string,
  options: OpenCatalogStoreOptions,
): Promise<CatalogStore> {
  const stale = {
    ...(options.staleAfterDays === undefined ? {} : { staleAfterDays: options.staleAfterDays }),
    ...(options.auditCheckpoints === undefined ? {} : { auditCheckpoints: options.auditCheckpoints }),
  };
  if (isPostgresUrl(location)) return openPostgresStore(location, stale);
  return openSqliteStore(location, { ...stale, mode: options.mode });
}

/** Opens the store at `location`, runs `fn`, closes it. */
export async function withCatalogStore<T>(
  location: string,
  options: OpenCatalogStoreOptions,
  fn: (store: CatalogStore) => Promise<T>,
): Promise<T> {
  const store = await openCatalogStore(location, options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The store as messages and stored records name it: a SQLite path as given, a PostgreSQL URL
 * without its password.
 */
export function storeName(location: string): string {
  return isPostgresUrl(location) ? redactedUrl(location) : location;
}

/**
 * Refuses a PostgreSQL URL for a command that needs what only the SQLite store holds for now
 * (`needs`: what that is); CliError `STORE_NEEDS_SQLITE`. Returns the location unchanged.
 */
export function requireSqliteStore(location: string, command: string, needs: string): string {
  if (!isPostgresUrl(location)) return location;
  throw new CliError(
    'STORE_NEEDS_SQLITE',
    `${command} needs the SQLite store for now: ${redactedUrl(location)} is a PostgreSQL database, and the ` +
      `PostgreSQL store does not hold ${needs} yet. Give --db PATH of a SQLite file (and check $HOSHIMI_DB). ` +
      'On PostgreSQL: serve (without --exchange-port), org, user, token, audit, catalog, events, store settings, ' +
      'propagate, screen and the other commands that read element sets.',
  );
}
