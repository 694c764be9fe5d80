/**
 * The embedded SQLite catalog store (the default CatalogStore): one database file in WAL mode with
 * foreign keys on, its schema kept by Kysely's Migrator (migrations.ts, written in Kysely's schema
 * builder so a PostgreSQL store can share them), queries written with Kysely, and the bulk import
 * in sqlite-import.ts on better-sqlite3 prepared statements (the one deviation from Kysely, for speed;
 * see that module's header).
 *
 * Rules the queries implement:
 * - "as of t": per object, the element set with the latest epoch ≤ t. At equal epochs: the higher
 *   source priority (spacetrack > celestrak > any other source), then the later ingest, then the later
 *   insertion. Every set stays stored; the rule only picks which one answers.
 * - Query times are ISO UTC strings; a query without a time uses the store's clock ("now").
 * - diff(from, to): `appeared` = objects whose first element set has an epoch in (from, to];
 *   `disappeared` = objects "present at from" (a set by `from` that is neither stale nor decayed at
 *   `from`) whose latest set by `to` is stale at `to`, or that decayed by `to`.
 * - Data quality (data-quality.ts): age, stale (default 30 days), decayed — reported, never filtered.
 * - Markings (v9, marking-sql.ts): every record carries one. `view(reader)` is this class with a
 *   ReaderAccess: each read adds `readableCondition` (the one visibility rule) on the table it reads,
 *   the as-of rule picks the latest set the reader may see, objects are visible through a readable
 *   set or a public SATCAT record; writes stamp markings (derived products: combineMarkings of their
 *   inputs). The unrestricted store (access null) reads everything.
 *
 * Schema version: the number of the last applied migration, also written to `PRAGMA user_version`.
 * A file whose version is newer than this code's is refused with StoreError `STORE_TOO_NEW`.
 * Migrations run inside one `BEGIN EXCLUSIVE` transaction, so processes opening the same new file
 * at once do not race. Open modes (SqliteOpenMode): readers never create a file and open it
 * read-only; the last writer to close leaves the file in rollback-journal mode, so that a
 * write-protected file in a write-protected folder can still be read (WAL needs its -shm file).
 */
import { accessSync, existsSync, constants as fsConstants } from 'node:fs';
import { dirname } from 'node:path';
import {
  combineMarkings,
  type DetectionEvent,
  type ElementFormat,
  type Marking,
  type Reader,
} from '@hoshimi/astro';
import Database from 'better-sqlite3';
import { Kysely, type Migration, Migrator, type RawBuilder, SqliteDialect, sql } from 'kysely';
import { auditStoreWrites } from './audit-store-writes.js';
import {
  C_EPOCH_KEY,
  C_ID,
  CATALOG_ORDER,
  dateOrNull,
  elementsFromRow,
  filterConditions,
  type IngestInfo,
  issueFromRow,
  latestSetId,
  MarkingCache,
  N_OBJ,
  N_SET,
  normaliseCatalogNumber,
  objectColumns,
  objectFromRow,
  type ParseIssueRow,
  type Row,
  SET_COLUMNS,
  screeningFromRow,
  storedFromRow,
  visibleObject,
} from './catalog-sql.js';
import type {
  AlertObservation,
  AlertQuery,
  CatalogDiff,
  CatalogObject,
  CatalogStore,
  ConjunctionQuery,
  ConjunctionRecord,
  EventQuery,
  ImportInput,
  IngestReport,
  JobQuery,
  JobUpdate,
  ListQuery,
  ObjectFilter,
  ObjectSelection,
  ObjectStatus,
  ObjectType,
  SaveEventsOptions,
  SaveEventsReport,
  ScreeningRun,
  StoredAlert,
  StoredConjunction,
  StoredElementSet,
  StoredEvent,
  StoredJob,
  StoredScreening,
  StoredWatchList,
  WatchListInput,
} from './catalog-store.js';
import { OBJECT_TYPES } from './catalog-store.js';
import { conjunctionRowValues, INSERT_CONJUNCTION_SQL } from './conjunction-row.js';
import { DEFAULT_STALE_AFTER_DAYS, qualityAt } from './data-quality.js';
import { epochKeyFromDate, epochKeyFromIso, epochKeyNow, isoFromEpochKey } from './epoch-key.js';
import { StoreError } from './errors.js';
import { SqlIdentityStore } from './identity-sql.js';
import type { IdentityStore } from './identity-store.js';
import {
  checkedMarking,
  type MarkingSettings,
  markingColumns,
  markingFromColumns,
  markingOfRow,
  type ReaderAccess,
  readableCondition,
  readerAccess,
  readMarkingSettings,
  writeMarking,
  writeMarkingSettings,
} from './marking-sql.js';
import {
  CATALOG_MIGRATION_NAMES,
  CATALOG_MIGRATIONS,
  CATALOG_SCHEMA_VERSION,
  schemaVersionOfMigration,
} from './migrations.js';
import type {
  OrbitDeterminationInput,
  OrbitDeterminationQuery,
  SavedOrbitDetermination,
  SaveOrbitDeterminationOptions,
  StoredOrbitDetermination,
} from './orbit-determination-store.js';
import type { CatalogDatabase } from './schema.js';
import { SqliteAuditLog, type SqliteAuditLogOptions } from './sqlite-audit.js';
import { SqliteCaseExchangeStore } from './sqlite-case-exchange.js';
import { SqliteCaseStore } from './sqlite-cases.js';
import { eventsQuery, saveEventsSqlite, storedEventFromRow } from './sqlite-events.js';
import { SqliteExchangeStore } from './sqlite-exchange.js';
import { DEFAULT_BATCH_LINES, importIntoSqlite } from './sqlite-import.js';
import {
  acknowledgeAlertSqlite,
  deleteWatchListSqlite,
  getAlertSqlite,
  getJobSqlite,
  getWatchListSqlite,
  listAlertsSqlite,
  listJobsSqlite,
  listWatchListsSqlite,
  markWatchListRunSqlite,
  recordAlertSqlite,
  saveJobSqlite,
  saveWatchListSqlite,
  updateJobSqlite,
} from './sqlite-jobs.js';
import { objectSql } from './sqlite-object-view.js';
import {
  checkOrbitDeterminationInput,
  elementSetOfIngest,
  orbitDeterminationsQuery,
  saveOrbitDeterminationSqlite,
  storedOrbitDeterminationFromRow,
} from './sqlite-orbit-determinations.js';

/**
 * How a database file is opened:
 * - 'create' (default): created when missing, upgraded in place;
 * - 'write': must exist (StoreError `STORE_NOT_FOUND` naming the path), upgraded in place;
 * - 'read': must exist, opened read-only (a write-protected file or folder can be queried); a file
 *   of an older schema version is upgraded first when it is writable, refused with
 *   `STORE_NEEDS_UPGRADE` when it is not; writes reject with `STORE_READ_ONLY`.
 */
export type SqliteOpenMode = 'create' | 'write' | 'read';

export interface SqliteStoreOptions {
  /** See SqliteOpenMode (default 'create'). */
  readonly mode?: SqliteOpenMode;
  /** Element sets older than this at the query time are stale, days (default 30). */
  readonly staleAfterDays?: number;
  /** The clock for "now" (query times left out, ingest timestamps); default the system clock. */
  readonly now?: () => Date;
  /** TLE/3LE lines per import batch (default 6000). */
  readonly batchLines?: number;
  /** Periodic checkpoints of the audit log (sqlite-audit.ts). */
  readonly auditCheckpoints?: SqliteAuditLogOptions['checkpoints'];
}

/** Kysely's migration bookkeeping table (Migrator default). */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * Reads the schema version of an open database and refuses one written by newer code:
 * the highest of `PRAGMA user_version` and the applied migrations' numbers.
 */
function checkSchemaVersion(db: Database.Database, path: string): number {
  const userVersion = Number(db.pragma('user_version', { simple: true }));
  const hasTable = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(MIGRATION_TABLE);
  const applied = hasTable
    ? (db.prepare(`SELECT name FROM ${MIGRATION_TABLE}`).all() as { name: string }[]).map((r) => r.name)
    : [];
  const known = new Set(CATALOG_MIGRATION_NAMES);
  let fileVersion = userVersion;
  let unknown = false;
  for (const name of applied) {
    const v = schemaVersionOfMigration(name);
    if (!known.has(name)) unknown = true;
    if (Number.isFinite(v) && v > fileVersion) fileVersion = v;
  }
  if (fileVersion > CATALOG_SCHEMA_VERSION || unknown) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `${path} has catalog schema version ${fileVersion}, written by a newer Hoshimi; this version reads schema versions up to ${CATALOG_SCHEMA_VERSION}. Upgrade Hoshimi to open it.`,
      { path, fileVersion, codeVersion: CATALOG_SCHEMA_VERSION },
    );
  }
  return fileVersion;
}

const isMemory = (path: string) => path === ':memory:' || path === '';

function openFailed(path: string, e: unknown, hint = ''): StoreError {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN') {
    return new StoreError(
      'STORE_OPEN_FAILED',
      `cannot open catalog database ${path}: ${(e as Error).message} (a database left in WAL mode by a process that is still running, or that crashed, can only be read where its folder is writable)`,
      { path },
      { cause: e },
    );
  }
  return new StoreError(
    'STORE_OPEN_FAILED',
    `cannot open catalog database ${path}: ${(e as Error).message}${hint}`,
    { path },
    { cause: e },
  );
}

function openDatabase(path: string, mode: SqliteOpenMode = 'create'): Database.Database {
  if (mode !== 'create' && !isMemory(path) && !existsSync(path)) {
    throw new StoreError(
      'STORE_NOT_FOUND',
      `catalog database ${path} does not exist (create it with 'hoshimi catalog import --db ${path} FILE')`,
      { path },
    );
  }
  let db: Database.Database;
  try {
    db = new Database(path, mode === 'read' ? { readonly: true, fileMustExist: true } : {});
  } catch (e) {
    throw openFailed(path, e);
  }
  try {
    // First, so that every later statement waits for a concurrent writer instead of failing.
    db.pragma('busy_timeout = 5000');
    if (mode !== 'read' && !isMemory(path)) db.pragma('journal_mode = WAL');
    if (mode !== 'read') db.pragma('foreign_keys = ON');
    // WAL + NORMAL: a committed import survives a crash of the process; a power cut may lose the
    // last commits but never corrupts the file (SQLite documentation, "PRAGMA synchronous").
    if (mode !== 'read') db.pragma('synchronous = NORMAL');
    // Whole-catalog queries read tens of megabytes: a 64 MiB page cache and memory-mapped reads.
    db.pragma('cache_size = -65536');
    if (!isMemory(path)) db.pragma('mmap_size = 268435456');
    // A read-only open reads nothing until the first query: read the header now.
    db.pragma('user_version', { simple: true });
  } catch (e) {
    db.close();
    throw openFailed(path, e, ' (is it a SQLite file?)');
  }
  return db;
}

/**
 * Leaves the file in rollback-journal mode when this is the last connection, so that it can be
 * read where its folder is read-only (a WAL file needs its -shm file there); the next writer puts
 * it back in WAL mode. Skipped without waiting when another connection is open.
 */
function leaveWal(db: Database.Database): void {
  if (db.readonly || !db.open) return;
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch {
    // another connection still uses the file: it stays in WAL mode
  }
}

async function migrate(kysely: Kysely<CatalogDatabase>, db: Database.Database, path: string, to?: string) {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => ({ ...CATALOG_MIGRATIONS }) },
    // The whole upgrade runs in one exclusive transaction of our own (below).
    disableTransactions: true,
  });
  // Kysely's SQLite adapter takes no migration lock: two processes opening the same new file would
  // both create its tables. BEGIN EXCLUSIVE serialises them (the second waits for the busy timeout,
  // then finds the migrations applied and does nothing), and a failed migration rolls back whole.
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    throw new StoreError(
      'STORE_BUSY',
      `${path}: another process kept the database locked for longer than the busy timeout while its schema needed an upgrade; try again`,
      { path },
      { cause: e },
    );
  }
  try {
    const result = to === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(to);
    if (result.error !== undefined) {
      const failedName = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new StoreError(
        'STORE_MIGRATION_FAILED',
        `${path}: schema migration ${failedName} failed: ${(result.error as Error)?.message ?? String(result.error)}`,
        { path, migration: failedName },
        { cause: result.error },
      );
    }
    const applied = (db.prepare(`SELECT name FROM ${MIGRATION_TABLE}`).all() as { name: string }[]).map((r) =>
      schemaVersionOfMigration(r.name),
    );
    const version = Math.max(0, ...applied);
    db.pragma(`user_version = ${version}`);
    db.exec('COMMIT');
    return version;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/**
 * Brings a database file to schema version `toVersion` (default: this code's latest) and returns the
 * version it now has. For tools and tests (e.g. to create an old-version file); `openSqliteStore`
 * migrates to the latest version by itself.
 */
export async function migrateSqliteFile(path: string, toVersion = CATALOG_SCHEMA_VERSION): Promise<number> {
  const target = CATALOG_MIGRATION_NAMES.find((name) => schemaVersionOfMigration(name) === toVersion);
  if (target === undefined) {
    throw new StoreError(
      'STORE_MIGRATION_FAILED',
      `no schema version ${toVersion} (${CATALOG_MIGRATION_NAMES.map(schemaVersionOfMigration).join(', ')})`,
      {
        toVersion,
      },
    );
  }
  const db = openDatabase(path);
  const kysely = new Kysely<CatalogDatabase>({ dialect: new SqliteDialect({ database: db }) });
  try {
    checkSchemaVersion(db, path);
    return await migrate(kysely, db, path, target);
  } finally {
    leaveWal(db);
    await kysely.destroy();
  }
}

/**
 * Opens a catalog database file, or an in-memory one for ':memory:', and upgrades its schema in
 * place (under an exclusive lock, so concurrent openers of a new file do not race). `options.mode`
 * says whether a missing file is created ('create', the default) or refused with StoreError
 * `STORE_NOT_FOUND` ('write', 'read'), and whether the file is opened read-only ('read').
 * Rejects with `STORE_TOO_NEW` (details: fileVersion, codeVersion) for a file written by a newer
 * schema version, `STORE_MIGRATION_FAILED` when an upgrade fails (the upgrade is rolled back).
 */
export async function openSqliteStore(
  path: string,
  options: SqliteStoreOptions = {},
): Promise<SqliteCatalogStore> {
  const mode = isMemory(path) ? 'create' : (options.mode ?? 'create');
  let db = openDatabase(path, mode);
  let kysely = new Kysely<CatalogDatabase>({ dialect: new SqliteDialect({ database: db }) });
  try {
    const version = checkSchemaVersion(db, path);
    if (version < CATALOG_SCHEMA_VERSION) {
      if (mode === 'read') {
        // Upgrading is not creating: a writable file of an older version is upgraded, then read.
        await kysely.destroy();
        if (!writable(path)) {
          throw new StoreError(
            'STORE_NEEDS_UPGRADE',
            `${path} has catalog schema version ${version} and is read-only; this version of Hoshimi reads version ${CATALOG_SCHEMA_VERSION}. Open it once where it is writable to upgrade it.`,
            { path, fileVersion: version, codeVersion: CATALOG_SCHEMA_VERSION },
          );
        }
        await (await openSqliteStore(path, { mode: 'write' })).close();
        db = openDatabase(path, 'read');
        kysely = new Kysely<CatalogDatabase>({ dialect: new SqliteDialect({ database: db }) });
        checkSchemaVersion(db, path);
      } else {
        await migrate(kysely, db, path);
      }
    }
  } catch (e) {
    leaveWal(db);
    await kysely.destroy();
    throw e;
  }
  return new SqliteCatalogStore(db, kysely, options);
}

/** Whether this process may write the file and create its journal next to it. */
function writable(path: string): boolean {
  try {
    accessSync(path, fsConstants.W_OK);
    accessSync(dirname(path), fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The SQLite CatalogStore; construct it with `openSqliteStore`. */
export class SqliteCatalogStore implements CatalogStore {
  readonly #db: Database.Database;
  readonly #kysely: Kysely<CatalogDatabase>;
  readonly #staleAfterDays: number;
  readonly #now: () => Date;
  readonly #clock: (() => Date) | undefined;
  readonly #batchLines: number;
  /** The audit log in this database (shared by the store and its views); every write method below appends to it (audit-store-writes.ts). */
  readonly audit: SqliteAuditLog;
  readonly #options: SqliteStoreOptions;
  /** Shared by the store and its views: one operation at a time on the connection. */
  readonly #serial: { queue: Promise<unknown>; closed: boolean; statements: Map<string, Database.Statement> };
  /** The reader of a view; null for the unrestricted store. */
  readonly #access: ReaderAccess | null;
  #identity: SqlIdentityStore | undefined;
  #exchange: SqliteExchangeStore | undefined;
  #cases: SqliteCaseStore | undefined;
  #caseExchange: SqliteCaseExchangeStore | undefined;

  constructor(
    db: Database.Database,
    kysely: Kysely<CatalogDatabase>,
    options: SqliteStoreOptions,
    view?: { readonly parent: SqliteCatalogStore; readonly access: ReaderAccess },
  ) {
    this.#db = db;
    this.#kysely = kysely;
    this.#options = options;
    this.#staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
    this.#now = options.now ?? (() => new Date());
    this.#clock = options.now;
    this.#batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
    this.#serial =
      view === undefined
        ? { queue: Promise.resolve(), closed: false, statements: new Map() }
        : view.parent.#serial;
    this.#access = view?.access ?? null;
    this.audit =
      view?.parent.audit ??
      new SqliteAuditLog(db, {
        serialise: (fn) => this.#exclusive(fn),
        nowIso: () => this.#nowIso(),
        ...(options.auditCheckpoints === undefined ? {} : { checkpoints: options.auditCheckpoints }),
      });
    auditStoreWrites(this, this.audit);
  }

  get reader(): Reader | null {
    return this.#access?.reader ?? null;
  }

  /** See CatalogStore.view. A view of a view sees what the new reader sees (not an intersection). */
  view(reader: Reader): SqliteCatalogStore {
    if (this.#serial.closed) throw new StoreError('STORE_CLOSED', 'the catalog store is closed');
    const access = readerAccess(readMarkingSettings(this.#db).scheme, reader);
    return new SqliteCatalogStore(this.#db, this.#kysely, this.#options, { parent: this, access });
  }

  markingSettings(): Promise<MarkingSettings> {
    return this.#exclusive(async () => readMarkingSettings(this.#db));
  }

  setMarkingSettings(change: {
    readonly levels?: readonly string[];
    readonly homeOrganisation?: string;
  }): Promise<MarkingSettings> {
    return this.#exclusive(async () => {
      if (this.#access !== null) {
        throw new StoreError(
          'STORE_VIEW_FORBIDDEN',
          'the marking settings cannot be changed through a reader view',
        );
      }
      this.#writable('change the marking settings');
      return writeMarkingSettings(this.#db, change);
    });
  }

  /** The marking a write stores (caller's, checked; or the default; see CatalogStore.view). */
  #writeMarking(given: Marking | undefined): Marking {
    return writeMarking(readMarkingSettings(this.#db), this.#access, given);
  }

  /** The organisation that derives products written through this store. */
  #deriver(settings: MarkingSettings): string {
    return this.#access?.reader.organisation ?? settings.homeOrganisation;
  }

  /**
   * The marking of a product derived from `inputs` (plus `given`, the caller's marking, if any):
   * combineMarkings with the writer as originator, then checked like any write.
   */
  #derivedMarking(given: Marking | undefined, inputs: readonly Marking[]): Marking {
    const settings = readMarkingSettings(this.#db);
    if (inputs.length === 0) return writeMarking(settings, this.#access, given);
    const all = given === undefined ? [...inputs] : [writeMarking(settings, this.#access, given), ...inputs];
    let combined: Marking;
    try {
      combined = combineMarkings(
        settings.scheme,
        all.map((m) => checkedMarking(settings.scheme, m)),
        this.#deriver(settings),
      );
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('STORE_BAD_MARKING', (e as Error).message, {}, { cause: e });
    }
    return writeMarking(settings, this.#access, combined);
  }

  /** Organisations, users, API tokens and console sessions (identity-sql.ts). */
  get identity(): IdentityStore {
    this.#identity ??= new SqlIdentityStore({
      kysely: this.#kysely,
      read: (fn) => this.#exclusive(fn),
      write: (fn) => this.#exclusive(() => fn(this.#kysely)),
      writable: (what) => this.#writable(what),
      readOnly: this.#db.readonly,
      now: this.#now,
      dataVersion: (() => {
        const pragma = this.#db.prepare('PRAGMA data_version').pluck();
        return () => pragma.get() as number;
      })(),
    });
    return this.#identity;
  }

  /** Schema version of the open database. */
  get schemaVersion(): number {
    return Number(this.#db.pragma('user_version', { simple: true }));
  }

  /** (v12) The node exchange's partners, cursors and received bundles (sqlite-exchange.ts). */
  get exchange(): SqliteExchangeStore {
    this.#exchange ??= new SqliteExchangeStore(
      this.#db,
      (fn) => this.#exclusive(fn),
      () => this.#nowIso(),
    );
    return this.#exchange;
  }

  /** Runs operations one at a time: an import's transaction spans awaits and must not interleave. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const serial = this.#serial;
    if (serial.closed) return Promise.reject(new StoreError('STORE_CLOSED', 'the catalog store is closed'));
    const run = serial.queue.then(fn, fn);
    serial.queue = run.catch(() => undefined);
    return run;
  }

  /** Now as ISO UTC with microseconds (the system clock's sub-millisecond part when no clock is given). */
  #nowIso(): string {
    return isoFromEpochKey(this.#nowKey());
  }

  #nowKey(): number {
    return this.#clock === undefined ? epochKeyNow() : epochKeyFromDate(this.#clock());
  }

  /** Rejects writes to a store opened read-only, before anything is attempted. */
  #writable(what: string): void {
    if (this.#db.readonly) {
      throw new StoreError(
        'STORE_READ_ONLY',
        `cannot ${what}: the catalog database ${this.#db.name} was opened read-only`,
        { path: this.#db.name },
      );
    }
  }

  #queryKey(asOf: string | undefined, what: string): number {
    return asOf === undefined ? this.#nowKey() : epochKeyFromIso(asOf, what);
  }

  /**
   * Runs a query built with Kysely through better-sqlite3 in raw (array) mode: Kysely writes the
   * SQL (the same builder a PostgreSQL store uses), raw rows skip building one JS object per row,
   * which is most of the cost of a whole-catalog query. Statements are prepared once per SQL text.
   */
  #rows(query: RawBuilder<unknown>): Row[] {
    return this.#map(query, (r) => r);
  }

  /** Runs a query in raw mode and maps its rows. */
  #map<T>(query: RawBuilder<unknown>, fn: (row: Row) => T): T[] {
    const compiled = query.compile(this.#kysely);
    const statements = this.#serial.statements;
    let st = statements.get(compiled.sql);
    if (st === undefined) {
      st = this.#db.prepare(compiled.sql).raw(true);
      if (statements.size >= 64) statements.clear();
      statements.set(compiled.sql, st);
    }
    const rows = st.all(...compiled.parameters) as Row[];
    const out = new Array<T>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = fn(rows[i] as Row);
    return out;
  }

  #ingestInfo(): Map<number, IngestInfo> {
    const map = new Map<number, IngestInfo>();
    for (const r of this.#rows(
      sql`SELECT id, source, label, format, started_at FROM ingests WHERE status <> 'failed'`,
    )) {
      map.set(r[0] as number, {
        source: r[1] as string,
        label: r[2] as string,
        format: r[3] as ElementFormat,
        startedAt: r[4] as string,
      });
    }
    return map;
  }

  #status(
    r: Row,
    tKey: number,
    ingests: ReadonlyMap<number, IngestInfo>,
    markings: MarkingCache,
  ): ObjectStatus {
    const object = objectFromRow(r);
    if (r[C_ID] === null) {
      const q = qualityAt(null, object.decayDate, tKey, this.#staleAfterDays);
      return { object, latest: null, ...q };
    }
    const latest = storedFromRow(r, ingests, markings);
    const q = qualityAt(
      { elements: latest.elements, epochKey: r[C_EPOCH_KEY] as number },
      object.decayDate,
      tKey,
      this.#staleAfterDays,
    );
    return { object, latest, ...q };
  }

  importFile(input: ImportInput): Promise<IngestReport> {
    return this.#exclusive(async () => {
      this.#writable('import');
      const marking = this.#writeMarking(input.marking);
      return importIntoSqlite(
        { db: this.#db, nowIso: () => this.#nowIso(), batchLines: this.#batchLines, marking },
        input,
      );
    });
  }

  upsertObjects(objects: readonly CatalogObject[]): Promise<number> {
    return this.#exclusive(async () => {
      this.#writable('store objects');
      if (this.#access !== null) {
        throw new StoreError(
          'STORE_VIEW_FORBIDDEN',
          'object metadata (public SATCAT values) cannot be written through a reader view',
        );
      }
      const rows = objects.map((o) => {
        if (!OBJECT_TYPES.includes(o.objectType)) {
          throw new StoreError(
            'STORE_BAD_OBJECT_TYPE',
            `object type ${JSON.stringify(o.objectType)} is not one of ${OBJECT_TYPES.join(', ')}`,
            { objectType: o.objectType },
          );
        }
        return {
          catalog_number: normaliseCatalogNumber(o.catalogNumber),
          name: o.name,
          intl_designator: o.intlDesignator,
          object_type: o.objectType,
          launch_date: dateOrNull(o.launchDate, 'launch date'),
          decay_date: dateOrNull(o.decayDate, 'decay date'),
          type_source: 'satcat',
          name_epoch_key: null,
        };
      });
      if (rows.length === 0) return 0;
      await this.#kysely.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .insertInto('objects')
            .values(row)
            .onConflict((oc) =>
              oc.column('catalog_number').doUpdateSet((eb) => ({
                name: eb.fn.coalesce('excluded.name', 'objects.name'),
                intl_designator: eb.fn.coalesce('excluded.intl_designator', 'objects.intl_designator'),
                object_type: eb.ref('excluded.object_type'),
                launch_date: eb.fn.coalesce('excluded.launch_date', 'objects.launch_date'),
                decay_date: eb.fn.coalesce('excluded.decay_date', 'objects.decay_date'),
                type_source: eb.ref('excluded.type_source'),
              })),
            )
            .execute();
        }
      });
      return rows.length;
    });
  }

  getObject(catalogNumber: string, asOf?: string): Promise<ObjectStatus | null> {
    return this.#exclusive(async () => {
      const cn = normaliseCatalogNumber(catalogNumber);
      const tKey = this.#queryKey(asOf, 'as-of time');
      const a = this.#access;
      const cols = objectSql(a);
      const rows = this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)}
        FROM objects o
        LEFT JOIN element_sets e ON e.id = ${latestSetId(asOf === undefined ? null : tKey, a)}
        ${cols.joins}
        WHERE o.catalog_number = ${cn} AND ${visibleObject(a, cols)}`);
      const row = rows[0];
      return row === undefined ? null : this.#status(row, tKey, this.#ingestInfo(), new MarkingCache());
    });
  }

  listObjects(query: ListQuery = {}): Promise<ObjectStatus[]> {
    return this.#exclusive(async () => {
      const tKey = this.#queryKey(query.asOf, 'as-of time');
      const join = query.asOf === undefined ? sql`LEFT JOIN` : sql`JOIN`;
      const a = this.#access;
      const cols = objectSql(a);
      const filters = filterConditions(query, cols);
      if (query.name !== undefined && query.name !== '') {
        const pattern = `%${query.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        filters.push(sql`lower(${cols.name}) LIKE ${pattern} ESCAPE '\\'`);
      }
      // With an as-of time the JOIN keeps only objects with a readable set; without, `e` is the
      // latest readable set, so an object without one is visible only by its SATCAT record.
      if (a !== null && query.asOf === undefined)
        filters.push(sql`(e.id IS NOT NULL OR ${cols.satcatReadable})`);
      const where = filters.length === 0 ? sql`` : sql`WHERE ${sql.join(filters, sql` AND `)}`;
      const limit = query.limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, Math.floor(query.limit))}`;
      const rows = this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)}
        FROM objects o
        ${join} element_sets e ON e.id = ${latestSetId(query.asOf === undefined ? null : tKey, a)}
        ${cols.joins}
        ${where} ${CATALOG_ORDER} ${limit}`);
      const ingests = this.#ingestInfo();
      const markings = new MarkingCache();
      return rows.map((r) => this.#status(r, tKey, ingests, markings));
    });
  }

  selectObjects(filter: ObjectFilter): Promise<ObjectSelection> {
    return this.#exclusive(async () => {
      const a = this.#access;
      const cols = objectSql(a);
      const conditions = filterConditions(filter, cols);
      if (a !== null) conditions.push(sql`(e.id IS NOT NULL OR ${cols.satcatReadable})`);
      const where = conditions.length === 0 ? sql`` : sql`WHERE ${sql.join(conditions, sql` AND `)}`;
      const latest = a === null ? sql`` : sql`LEFT JOIN element_sets e ON e.id = ${latestSetId(null, a)}`;
      const rows = this.#rows(
        sql`SELECT o.catalog_number, ${cols.typeSource}, ${cols.objectType}, ${cols.decayDate}, ${cols.ownerCode}
          FROM objects o ${latest} ${cols.joins} ${where} ${CATALOG_ORDER}`,
      );
      let byNameRule = 0;
      const wantsPayload = filter.types?.includes('PAYLOAD') === true;
      for (const r of rows) if (wantsPayload && r[1] !== 'satcat') byNameRule++;
      return {
        catalogNumbers: rows.map((r) => r[0] as string),
        objectTypes: rows.map((r) => r[2] as ObjectType),
        decayDates: rows.map((r) => (r[3] as string | null) ?? null),
        ownerCodes: rows.map((r) => (r[4] as string | null) ?? null),
        byNameRule,
      };
    });
  }

  history(catalogNumber: string): Promise<StoredElementSet[]> {
    return this.#exclusive(async () => {
      const cn = normaliseCatalogNumber(catalogNumber);
      const rows = this.#rows(sql`SELECT ${SET_COLUMNS} FROM element_sets e
        WHERE e.catalog_number = ${cn} AND ${readableCondition('e', this.#access)} ORDER BY e.epoch_key, e.id`);
      const ingests = this.#ingestInfo();
      const markings = new MarkingCache();
      return rows.map((r) => storedFromRow(r, ingests, markings));
    });
  }

  asOf(asOf: string): Promise<StoredElementSet[]> {
    return this.#exclusive(async () => {
      const tKey = epochKeyFromIso(asOf, 'as-of time');
      const ingests = this.#ingestInfo();
      const markings = new MarkingCache();
      return this.#map(
        sql`SELECT ${SET_COLUMNS} FROM objects o JOIN element_sets e ON e.id = ${latestSetId(tKey, this.#access)}
          ${CATALOG_ORDER}`,
        (r) => storedFromRow(r, ingests, markings),
      );
    });
  }

  diff(from: string, to: string): Promise<CatalogDiff> {
    return this.#exclusive(async () => {
      const fromKey = epochKeyFromIso(from, 'diff start');
      const toKey = epochKeyFromIso(to, 'diff end');
      if (toKey < fromKey) {
        throw new StoreError('STORE_BAD_TIME', `diff end ${to} is before its start ${from}`, { from, to });
      }
      // Every object with a set by `to`: its latest set by `to`, and its latest set by `from` (if any).
      const a = this.#access;
      const cols = objectSql(a);
      const rows =
        this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)}, ${latestSetId(fromKey, a)} AS from_id
        FROM objects o
        JOIN element_sets e ON e.id = ${latestSetId(toKey, a)}
        ${cols.joins}
        ${CATALOG_ORDER}`);
      const markings = new MarkingCache();
      const FROM_ID = N_SET + N_OBJ;
      const ingests = this.#ingestInfo();
      const fromIds: number[] = [];
      for (const r of rows)
        if (r[FROM_ID] !== null && r[FROM_ID] !== r[C_ID]) fromIds.push(r[FROM_ID] as number);
      const fromSets = this.#setsById(fromIds);
      const appeared: ObjectStatus[] = [];
      const disappeared: ObjectStatus[] = [];
      for (const r of rows) {
        const fromId = r[FROM_ID] as number | null;
        if (fromId === null) {
          appeared.push(this.#status(r, toKey, ingests, markings));
          continue;
        }
        const before = fromId === r[C_ID] ? r : fromSets.get(fromId);
        if (before === undefined) continue;
        const object = objectFromRow(r);
        const atFrom = qualityAt(
          { elements: elementsFromRow(before), epochKey: before[C_EPOCH_KEY] as number },
          object.decayDate,
          fromKey,
          this.#staleAfterDays,
        );
        if (atFrom.stale || atFrom.decayed) continue;
        const atTo = this.#status(r, toKey, ingests, markings);
        if (atTo.stale || atTo.decayed) disappeared.push(atTo);
      }
      return { from, to, appeared, disappeared };
    });
  }

  #setsById(ids: readonly number[]): Map<number, Row> {
    const out = new Map<number, Row>();
    const CHUNK = 500;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const slice = ids.slice(i, i + CHUNK);
      for (const r of this.#rows(
        sql`SELECT ${SET_COLUMNS} FROM element_sets e WHERE e.id IN (${sql.join(slice)})`,
      )) {
        out.set(r[C_ID] as number, r);
      }
    }
    return out;
  }

  ingestLog(limit = 100): Promise<IngestReport[]> {
    return this.#exclusive(async () => {
      const ingests = await this.#kysely
        .selectFrom('ingests')
        .selectAll()
        .where(readableCondition('ingests', this.#access))
        .orderBy('id', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      if (ingests.length === 0) return [];
      const issues = await this.#kysely
        .selectFrom('ingest_rejections')
        .selectAll()
        .where(
          'ingest_id',
          'in',
          ingests.map((i) => i.id),
        )
        .orderBy('id')
        .execute();
      const byIngest = new Map<number, { rejected: ParseIssueRow[]; warnings: ParseIssueRow[] }>();
      for (const row of issues) {
        let entry = byIngest.get(row.ingest_id);
        if (entry === undefined) byIngest.set(row.ingest_id, (entry = { rejected: [], warnings: [] }));
        (row.severity === 'warning' ? entry.warnings : entry.rejected).push(row);
      }
      return ingests.map((g) => {
        const entry = byIngest.get(g.id);
        return {
          ingestId: g.id,
          name: g.name,
          sha256: g.sha256,
          source: g.source,
          label: g.label,
          format: g.format as ElementFormat | null,
          startedAt: g.started_at,
          finishedAt: g.finished_at ?? g.started_at,
          read: g.read_count,
          inserted: g.inserted_count,
          duplicates: g.duplicate_count,
          newObjects: g.new_object_count,
          rejected: (entry?.rejected ?? []).map(issueFromRow),
          warnings: (entry?.warnings ?? []).map(issueFromRow),
          alreadyImportedAs: null,
          status: g.status as IngestReport['status'],
          marking: markingOfRow(g),
        };
      });
    });
  }

  saveScreening(run: ScreeningRun, conjunctions: readonly ConjunctionRecord[]): Promise<number> {
    return this.#exclusive(async () => {
      this.#writable('store a screening');
      const { conjunctionMarkings, screeningMarking } = this.#screeningMarkings(run, conjunctions);
      // Bulk insert through one prepared statement in one transaction (a screening can hold 10⁵ events).
      const insertRun = this.#db.prepare(
        `INSERT INTO screenings (started_at, finished_at, window_start, window_stop, threshold_km, primaries,
          catalog_as_of, source, object_count, conjunction_count, data_quality,
          mk_classification, mk_release, mk_originator, mk_data_mode)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertEvent = this.#db.prepare(INSERT_CONJUNCTION_SQL);
      const save = this.#db.transaction((): number => {
        const id = Number(
          insertRun.run(
            run.startedAt,
            run.finishedAt,
            run.windowStart,
            run.windowStop,
            run.thresholdKm,
            run.primaries === null ? null : run.primaries.join(','),
            run.catalogAsOf,
            run.source,
            run.objectCount,
            conjunctions.length,
            run.dataQuality == null ? null : JSON.stringify(run.dataQuality),
            ...markingColumns(screeningMarking),
          ).lastInsertRowid,
        );
        for (const [k, c] of conjunctions.entries()) {
          insertEvent.run(...conjunctionRowValues(id, c, conjunctionMarkings[k]!));
        }
        return id;
      });
      return save();
    });
  }

  /**
   * The markings of a screening's records: each conjunction's is its explicit marking, or the most
   * restrictive of the run's marking and the two element sets' (ScreeningRun.inputMarkings, else the
   * as-of set the writer can see, else the run's); the screening's is the most restrictive of the
   * run's and all its conjunctions'.
   */
  #screeningMarkings(
    run: ScreeningRun,
    conjunctions: readonly ConjunctionRecord[],
  ): { conjunctionMarkings: Marking[]; screeningMarking: Marking } {
    const settings = readMarkingSettings(this.#db);
    const runMarking = writeMarking(settings, this.#access, run.marking);
    const asOfKey = run.catalogAsOf == null ? null : epochKeyFromIso(run.catalogAsOf, 'catalog as-of time');
    // The marking of an object's as-of set: one statement prepared once, the catalog number its
    // first parameter (compiled by Kysely like every query; run per object without recompiling).
    const lookup =
      asOfKey === null
        ? null
        : sql`SELECT x.mk_classification, x.mk_release, x.mk_originator, x.mk_data_mode
          FROM element_sets x WHERE x.catalog_number = ${''} AND x.epoch_key <= ${asOfKey}
          AND ${readableCondition('x', this.#access)}
          ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1`.compile(
            this.#kysely,
          );
    const lookupStatement = lookup === null ? null : this.#db.prepare(lookup.sql).raw(true);
    const lookupParams = lookup === null ? [] : [...lookup.parameters];
    const setMarkings = new Map<string, Marking>();
    const setMarking = (cn: string): Marking => {
      let m = setMarkings.get(cn);
      if (m !== undefined) return m;
      const given = run.inputMarkings?.[cn];
      if (given !== undefined) m = checkedMarking(settings.scheme, given);
      else if (lookupStatement !== null) {
        lookupParams[0] = cn;
        const r = lookupStatement.get(...lookupParams) as Row | undefined;
        if (r !== undefined)
          m = markingFromColumns(r[0] as string, r[1] as string, r[2] as string, r[3] as string);
      }
      m ??= runMarking;
      setMarkings.set(cn, m);
      return m;
    };
    const key = (m: Marking) => markingColumns(m).join('|');
    const derived = new Map<string, Marking>();
    const distinct = new Map<string, Marking>([[key(runMarking), runMarking]]);
    const conjunctionMarkings = conjunctions.map((c) => {
      let m: Marking;
      if (c.marking !== undefined) m = writeMarking(settings, this.#access, c.marking);
      else {
        const m1 = setMarking(c.id1);
        const m2 = setMarking(c.id2);
        const k = `${key(m1)}/${key(m2)}`;
        const known = derived.get(k);
        if (known !== undefined) m = known;
        else {
          m = this.#derivedMarking(runMarking, [m1, m2]);
          derived.set(k, m);
        }
      }
      distinct.set(key(m), m);
      return m;
    });
    const screeningMarking =
      distinct.size === 1 ? runMarking : this.#derivedMarking(runMarking, [...distinct.values()]);
    return { conjunctionMarkings, screeningMarking };
  }

  listScreenings(limit = 20): Promise<StoredScreening[]> {
    return this.#exclusive(async () => {
      const rows = await this.#kysely
        .selectFrom('screenings')
        .selectAll()
        .where(readableCondition('screenings', this.#access))
        .orderBy('id', 'desc')
        .limit(Math.max(0, Math.floor(limit)))
        .execute();
      return rows.map(screeningFromRow);
    });
  }

  conjunctions(
    query: ConjunctionQuery = {},
  ): Promise<{ screening: StoredScreening; conjunctions: StoredConjunction[] } | null> {
    return this.#exclusive(async () => {
      let q = this.#kysely
        .selectFrom('screenings')
        .selectAll()
        .where(readableCondition('screenings', this.#access));
      q =
        query.screeningId === undefined
          ? q.orderBy('id', 'desc').limit(1)
          : q.where('id', '=', query.screeningId);
      const run = await q.executeTakeFirst();
      if (run === undefined) return null;
      let events = this.#kysely
        .selectFrom('conjunctions')
        .selectAll()
        .where('screening_id', '=', run.id)
        .where(readableCondition('conjunctions', this.#access));
      if (query.catalogNumber !== undefined) {
        const id = normaliseCatalogNumber(query.catalogNumber);
        events = events.where((eb) => eb.or([eb('id1', '=', id), eb('id2', '=', id)]));
      }
      if (query.minPc !== undefined) events = events.where('pc', '>=', query.minPc);
      if (query.maxMissKm !== undefined) events = events.where('miss_km', '<=', query.maxMissKm);
      events = events.orderBy('tca_utc').orderBy('id');
      if (query.limit !== undefined) events = events.limit(Math.max(0, Math.floor(query.limit)));
      const rows = await events.execute();
      return {
        screening: screeningFromRow(run),
        conjunctions: rows.map(
          (r): StoredConjunction => ({
            id1: r.id1,
            id2: r.id2,
            tcaUtc: r.tca_utc,
            missKm: r.miss_km,
            relSpeedKmS: r.rel_speed_km_s,
            rKm: r.r_km,
            iKm: r.i_km,
            cKm: r.c_km,
            pc: r.pc,
            pcMethod: r.pc_method,
            hbrM: r.hbr_m,
            covarianceSource: r.covariance_source,
            confidence: r.confidence === 'low' ? 'low' : 'normal',
            age1Days: r.age1_days,
            age2Days: r.age2_days,
            marking: markingOfRow(r),
          }),
        ),
      };
    });
  }

  saveEvents(events: readonly DetectionEvent[], options: SaveEventsOptions = {}): Promise<SaveEventsReport> {
    return this.#exclusive(async () => {
      this.#writable('store events');
      const marking = this.#derivedMarking(options.marking, options.derivedFrom ?? []);
      const remark = options.marking !== undefined || (options.derivedFrom?.length ?? 0) > 0;
      return saveEventsSqlite(this.#db, events, options, this.#nowIso(), marking, remark, this.#access);
    });
  }

  events(query: EventQuery = {}): Promise<StoredEvent[]> {
    return this.#exclusive(async () => {
      const rows = await eventsQuery(this.#kysely, query, this.#access).execute();
      return rows.map(storedEventFromRow);
    });
  }

  saveOrbitDetermination(
    input: OrbitDeterminationInput,
    options: SaveOrbitDeterminationOptions = {},
  ): Promise<SavedOrbitDetermination> {
    return this.#exclusive(async () => {
      this.#writable('store an orbit determination');
      const marking = this.#derivedMarking(input.marking, input.derivedFrom ?? []);
      const file = options.elementSetFile;
      if (file === undefined) {
        const id = saveOrbitDeterminationSqlite(this.#db, input, marking, this.#nowIso());
        const row = await orbitDeterminationsQuery(this.#kysely, { id }, null).executeTakeFirstOrThrow();
        return storedOrbitDeterminationFromRow(row);
      }
      // The record is checked before the import starts, and stored inside the import's transaction.
      const { cn } = checkOrbitDeterminationInput(input);
      const refuse = (expected: string, found: unknown): never => {
        throw new StoreError(
          'STORE_BAD_ORBIT_DETERMINATION',
          `orbit determination: elementSetId: expected ${expected}, found ${JSON.stringify(found)}`,
          { key: 'elementSetId', expected, found },
        );
      };
      if (input.elementSetId !== null) refuse('null with an element-set file', input.elementSetId);
      if (cn === null) refuse('a catalog number to store an element set under', null);
      const catalogNumber = cn as string;
      const source = file.source ?? 'file';
      let id: number | null = null;
      const ingest = await importIntoSqlite(
        {
          db: this.#db,
          nowIso: () => this.#nowIso(),
          batchLines: this.#batchLines,
          marking: this.#writeMarking(file.marking),
          beforeCommit: (ingestId) => {
            const elementSetId = elementSetOfIngest(this.#db, ingestId, catalogNumber, source);
            if (elementSetId === null)
              refuse(`an element set of object ${catalogNumber} in ${file.name}`, null);
            id = saveOrbitDeterminationSqlite(this.#db, { ...input, elementSetId }, marking, this.#nowIso());
          },
        },
        file,
      );
      if (id === null && ingest.alreadyImportedAs !== null) {
        // The same file was imported before (nothing was written now): the record links its set.
        const elementSetId = elementSetOfIngest(this.#db, ingest.alreadyImportedAs, catalogNumber, source);
        if (elementSetId === null) refuse(`an element set of object ${catalogNumber} in ${file.name}`, null);
        id = saveOrbitDeterminationSqlite(this.#db, { ...input, elementSetId }, marking, this.#nowIso());
      }
      if (id === null) {
        throw new StoreError(
          'STORE_IMPORT_FAILED',
          `orbit determination not stored: ${file.name} stored no element set (${ingest.rejected.length} rejected${
            ingest.rejected.length === 0
              ? ''
              : `: ${ingest.rejected
                  .slice(0, 3)
                  .map((i) => i.message)
                  .join('; ')}`
          })`,
          { name: file.name, status: ingest.status, rejected: ingest.rejected.length },
        );
      }
      const row = await orbitDeterminationsQuery(this.#kysely, { id }, null).executeTakeFirstOrThrow();
      return { ...storedOrbitDeterminationFromRow(row), ingest };
    });
  }

  orbitDeterminations(query: OrbitDeterminationQuery = {}): Promise<StoredOrbitDetermination[]> {
    return this.#exclusive(async () => {
      const rows = await orbitDeterminationsQuery(this.#kysely, query, this.#access).execute();
      return rows.map(storedOrbitDeterminationFromRow);
    });
  }

  getOrbitDetermination(id: number): Promise<StoredOrbitDetermination | null> {
    return this.#exclusive(async () => {
      const row = await orbitDeterminationsQuery(this.#kysely, { id }, this.#access).executeTakeFirst();
      return row === undefined ? null : storedOrbitDeterminationFromRow(row);
    });
  }

  saveJob(job: StoredJob): Promise<void> {
    return this.#exclusive(async () => {
      this.#writable('store a job');
      await saveJobSqlite(this.#kysely, job, this.#writeMarking(job.marking));
    });
  }

  updateJob(id: string, update: JobUpdate): Promise<StoredJob | null> {
    return this.#exclusive(async () => {
      this.#writable('update a job');
      const marking = update.marking === undefined ? undefined : this.#writeMarking(update.marking);
      return updateJobSqlite(this.#kysely, id, update, this.#access, marking);
    });
  }

  getJob(id: string): Promise<StoredJob | null> {
    return this.#exclusive(() => getJobSqlite(this.#kysely, id, this.#access));
  }

  listJobs(query: JobQuery = {}): Promise<StoredJob[]> {
    return this.#exclusive(() => listJobsSqlite(this.#kysely, query, this.#access));
  }

  saveWatchList(input: WatchListInput, id?: number): Promise<StoredWatchList | null> {
    return this.#exclusive(async () => {
      this.#writable('store a watch list');
      const marking = this.#writeMarking(input.marking);
      return saveWatchListSqlite(this.#kysely, input, id, this.#nowIso(), this.#access, marking);
    });
  }

  getWatchList(id: number): Promise<StoredWatchList | null> {
    return this.#exclusive(() => getWatchListSqlite(this.#kysely, id, this.#access));
  }

  listWatchLists(): Promise<StoredWatchList[]> {
    return this.#exclusive(() => listWatchListsSqlite(this.#kysely, this.#access));
  }

  deleteWatchList(id: number): Promise<boolean> {
    return this.#exclusive(async () => {
      this.#writable('delete a watch list');
      return deleteWatchListSqlite(this.#kysely, id, this.#access);
    });
  }

  markWatchListRun(id: number, at: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#writable('update a watch list');
      await markWatchListRunSqlite(this.#kysely, id, at, this.#access);
    });
  }

  recordAlert(observation: AlertObservation): Promise<StoredAlert | null> {
    return this.#exclusive(async () => {
      this.#writable('store an alert');
      const o = observation;
      const given = o.marking;
      // The stored conjunctions of this pair in that screening (any order of the two objects).
      const pair = await this.#kysely
        .selectFrom('conjunctions')
        .select(['mk_classification', 'mk_release', 'mk_originator', 'mk_data_mode'])
        .where('screening_id', '=', o.screeningId)
        .where((eb) =>
          eb.or([
            eb.and([eb('id1', '=', o.assetId), eb('id2', '=', o.otherId)]),
            eb.and([eb('id1', '=', o.otherId), eb('id2', '=', o.assetId)]),
          ]),
        )
        .execute();
      const inputs = pair.map(markingOfRow);
      return recordAlertSqlite(this.#kysely, o, this.#access, (list) =>
        given === undefined ? this.#derivedMarking(undefined, [list, ...inputs]) : this.#writeMarking(given),
      );
    });
  }

  acknowledgeAlert(
    id: number,
    ack: { readonly by: string; readonly at: string; readonly note: string | null },
  ): Promise<StoredAlert | null> {
    return this.#exclusive(async () => {
      this.#writable('acknowledge an alert');
      return acknowledgeAlertSqlite(this.#kysely, id, ack, this.#access);
    });
  }

  getAlert(id: number): Promise<StoredAlert | null> {
    return this.#exclusive(() => getAlertSqlite(this.#kysely, id, this.#access));
  }

  listAlerts(query: AlertQuery = {}): Promise<{ alerts: StoredAlert[]; total: number }> {
    return this.#exclusive(() => listAlertsSqlite(this.#kysely, query, this.#access));
  }

  /** Closes the connection; a view's close does nothing (the connection belongs to the store). */
  /** The case files of this database (sqlite-cases.ts), sharing its queue and clock. */
  cases(): SqliteCaseStore {
    this.#cases ??= new SqliteCaseStore(
      this.#db,
      (fn) => this.#exclusive(fn),
      () => this.#nowIso(),
      (what) => this.#writable(what),
      { kysely: this.#kysely, audit: this.audit, scheme: () => readMarkingSettings(this.#db).scheme },
    );
    return this.#cases;
  }

  /** (v14) Cases between nodes: replicas, responses, what was sent and applied (sqlite-case-exchange.ts). */
  caseExchange(): SqliteCaseExchangeStore {
    this.#caseExchange ??= new SqliteCaseExchangeStore(
      this.#db,
      (fn) => this.#exclusive(fn),
      () => this.#nowIso(),
      () => readMarkingSettings(this.#db).scheme,
    );
    return this.#caseExchange;
  }

  close(): Promise<void> {
    if (this.#access !== null || this.#serial.closed) return Promise.resolve();
    const done = this.#exclusive(async () => {
      leaveWal(this.#db);
      await this.#kysely.destroy();
    });
    this.#serial.closed = true;
    return done;
  }
}
