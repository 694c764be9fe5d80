/**
 * The PostgreSQL catalog store: the CatalogStore of sqlite-store.ts on a PostgreSQL server, chosen
 * by a connection URL (`postgres://user@host:port/database`). Same schema (the Kysely migrations of
 * migrations.ts, run by Kysely's Migrator under its advisory lock, so several processes opening one
 * new database migrate it once), same catalog queries (catalog-sql.ts: the as-of rule as a
 * correlated subquery answered by a descending scan of the as-of index, which stays one index
 * descent per object however many sets are stored), same rules for duplicates and markings, and the
 * same contract suite (test/contract.ts). Driver: node-postgres (`pg`), one pool per store.
 *
 * What differs from SQLite, and why:
 * - Bulk writes are set-based statements over whole columns (postgres-import.ts), not a prepared
 *   statement per row; writers of element sets and objects serialise on one advisory lock, readers
 *   never wait (MVCC), so imports and readers in several processes are safe.
 * - Operations run concurrently on the pool (SQLite runs one at a time on its one connection); each
 *   write that spans statements runs in a transaction on one connection of its own.
 * - Result types: `bigint` columns (epoch keys) are read as JavaScript numbers (epoch keys stay
 *   below 2^53, epoch-key.ts), doubles as the shortest text that reads back exactly; raw rows are
 *   arrays (`rowMode: 'array'`), as better-sqlite3's raw mode gives the SQLite store.
 * - The schema version is the last applied migration (no `user_version`); a database written by a
 *   newer Hoshimi is refused with `STORE_TOO_NEW` like a SQLite file.
 *
 * Identity is the SQLite store's code (identity-sql.ts, Kysely for both dialects), each write in
 * a transaction of its own. The audit log (postgres-audit.ts) keeps one hash chain across every
 * process writing to the database (appends serialise on an advisory lock), and every write method
 * appends to it as on SQLite (audit-store-writes.ts). Orbit determinations share their checks and
 * row with SQLite (sqlite-orbit-determinations.ts). Not yet here (they reject with StoreError
 * `STORE_UNSUPPORTED`): the node exchange, case files, and an orbit determination saved together
 * with its element-set file, whose SQLite modules use better-sqlite3 statements directly.
 */
import {
  type ClassificationScheme,
  canRead,
  checkOrganisation,
  classificationScheme,
  combineMarkings,
  DEFAULT_SCHEME,
  type DetectionEvent,
  detectionEventKey,
  type ElementFormat,
  type Marking,
  type Reader,
} from '@hoshimi/astro';
import { Kysely, type Migration, Migrator, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { auditStoreWrites } from './audit-store-writes.js';
import type { CaseExchangeStore } from './case-exchange-store.js';
import type { CaseStore } from './case-store.js';
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
  latestSetLateral,
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
import { DEFAULT_STALE_AFTER_DAYS, qualityAt } from './data-quality.js';
import { epochKeyFromDate, epochKeyFromIso, epochKeyNow, isoFromEpochKey } from './epoch-key.js';
import { StoreError } from './errors.js';
import type { ExchangeStore } from './exchange-store.js';
import { SqlIdentityStore } from './identity-sql.js';
import type { IdentityStore } from './identity-store.js';
import { DEFAULT_BATCH_LINES } from './import-rules.js';
import {
  checkedMarking,
  DEFAULT_HOME_ORGANISATION,
  MARKED_TABLES,
  type MarkingSettings,
  markingColumns,
  markingFromColumns,
  markingOfRow,
  type ReaderAccess,
  readableCondition,
  readerAccess,
  writeMarking,
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
import { PostgresAuditLog, type PostgresAuditLogOptions } from './postgres-audit.js';
import { importIntoPostgres } from './postgres-import.js';
import { float8Text, lockImports } from './postgres-ingest-log.js';
import type { CatalogDatabase } from './schema.js';
import {
  checkedEvents,
  DEFAULT_EVENT_LABEL,
  eventsQuery,
  ownEventKey,
  storedEventFromRow,
} from './sqlite-events.js';
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
  checkElementSetLink,
  checkOrbitDeterminationInput,
  orbitDeterminationRow,
  orbitDeterminationsQuery,
  storedOrbitDeterminationFromRow,
} from './sqlite-orbit-determinations.js';

export interface PostgresStoreOptions {
  /** Element sets older than this at the query time are stale, days (default 30). */
  readonly staleAfterDays?: number;
  /** The clock for "now" (query times left out, ingest timestamps); default the system clock. */
  readonly now?: () => Date;
  /** TLE/3LE lines per import batch (default 6000). */
  readonly batchLines?: number;
  /** Connections in the pool (default 10). */
  readonly maxConnections?: number;
  /** Periodic checkpoints of the audit log (postgres-audit.ts, as SqliteStoreOptions). */
  readonly auditCheckpoints?: PostgresAuditLogOptions['checkpoints'];
}

/** Kysely's migration bookkeeping table (Migrator default). */
const MIGRATION_TABLE = 'kysely_migration';

/** PostgreSQL type OIDs read other than node-postgres's default. */
const INT8_OID = 20;

/**
 * Result parsers of this store's connections (not node-postgres's global ones): `bigint` as a
 * JavaScript number (epoch keys and ids stay below 2^53), everything else as node-postgres reads it.
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unreadable PostgreSQL URL)';
  }
}

/** Whether a store location names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

function unsupported(what: string): never {
  throw new StoreError('STORE_UNSUPPORTED', `${what} is not implemented by the PostgreSQL store yet`, {
    what,
  });
}

async function appliedMigrations(pool: pg.Pool): Promise<string[]> {
  const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    MIGRATION_TABLE,
  ]);
  if (exists.rows[0]?.t == null) return [];
  const r = await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLE}`);
  return r.rows.map((x) => x.name);
}

/** The database's schema version; StoreError `STORE_TOO_NEW` when newer code wrote it. */
async function checkSchemaVersion(pool: pg.Pool, url: string): Promise<number> {
  const known = new Set(CATALOG_MIGRATION_NAMES);
  let version = 0;
  let unknown = false;
  for (const name of await appliedMigrations(pool)) {
    const v = schemaVersionOfMigration(name);
    if (!known.has(name)) unknown = true;
    if (Number.isFinite(v) && v > version) version = v;
  }
  if (version > CATALOG_SCHEMA_VERSION || unknown) {
    const where = redactedUrl(url);
    throw new StoreError(
      'STORE_TOO_NEW',
      `${where} has catalog schema version ${version}, written by a newer Hoshimi; this version reads schema versions up to ${CATALOG_SCHEMA_VERSION}. Upgrade Hoshimi to open it.`,
      { path: where, fileVersion: version, codeVersion: CATALOG_SCHEMA_VERSION },
    );
  }
  return version;
}

/**
 * Opens the catalog in the PostgreSQL database at `url` (which must exist; an empty one is given
 * the schema) and upgrades its schema. Rejects with `STORE_OPEN_FAILED` when the server cannot be
 * reached, `STORE_TOO_NEW` for a database written by a newer schema version, `STORE_MIGRATION_FAILED`
 * when an upgrade fails (rolled back: PostgreSQL's DDL is transactional).
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresCatalogStore> {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (server restart) must not crash the process: the pool drops it.
  pool.on('error', () => undefined);
  // Nor one that breaks while checked out (a terminated backend during an import): node-postgres
  // emits 'error' on the client as well as failing its query, and the pool listens only while the
  // client is idle. The query's rejection reports the loss; the pool drops the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const kysely = new Kysely<CatalogDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      throw new StoreError(
        'STORE_OPEN_FAILED',
        `cannot open catalog database ${redactedUrl(url)}: ${(e as Error).message}`,
        { path: redactedUrl(url) },
        { cause: e },
      );
    }
    const version = await checkSchemaVersion(pool, url);
    if (version < CATALOG_SCHEMA_VERSION) {
      const migrator = new Migrator({
        db: kysely,
        provider: {
          getMigrations: async (): Promise<Record<string, Migration>> => ({ ...CATALOG_MIGRATIONS }),
        },
      });
      const result = await migrator.migrateToLatest();
      if (result.error !== undefined) {
        const failedName = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new StoreError(
          'STORE_MIGRATION_FAILED',
          `${redactedUrl(url)}: schema migration ${failedName} failed: ${(result.error as Error)?.message ?? String(result.error)}`,
          { path: redactedUrl(url), migration: failedName },
          { cause: result.error },
        );
      }
      await checkSchemaVersion(pool, url);
    }
  } catch (e) {
    await kysely.destroy();
    throw e;
  }
  const store = new PostgresCatalogStore(pool, kysely, options);
  await store.loadSettings();
  return store;
}

const SETTING_LEVELS = 'classification_levels';
const SETTING_HOME = 'home_organisation';

async function readSettings(q: pg.Pool | pg.ClientBase): Promise<MarkingSettings> {
  const r = await q.query<{ key: string; value: string }>('SELECT key, value FROM settings');
  const map = new Map(r.rows.map((x) => [x.key, x.value]));
  const levels = map.get(SETTING_LEVELS);
  return {
    scheme: levels === undefined ? DEFAULT_SCHEME : classificationScheme(JSON.parse(levels) as string[]),
    homeOrganisation: map.get(SETTING_HOME) ?? DEFAULT_HOME_ORGANISATION,
  };
}

/** The PostgreSQL CatalogStore; construct it with `openPostgresStore`. */
export class PostgresCatalogStore implements CatalogStore {
  readonly #pool: pg.Pool;
  readonly #kysely: Kysely<CatalogDatabase>;
  readonly #options: PostgresStoreOptions;
  readonly #staleAfterDays: number;
  readonly #clock: (() => Date) | undefined;
  readonly #batchLines: number;
  readonly #state: { closed: boolean };
  readonly #access: ReaderAccess | null;

  constructor(
    pool: pg.Pool,
    kysely: Kysely<CatalogDatabase>,
    options: PostgresStoreOptions,
    view?: { readonly parent: PostgresCatalogStore; readonly access: ReaderAccess },
  ) {
    this.#pool = pool;
    this.#kysely = kysely;
    this.#options = options;
    this.#staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
    this.#clock = options.now;
    this.#batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
    this.#state = view === undefined ? { closed: false } : view.parent.#state;
    this.#access = view?.access ?? null;
    this.audit =
      view?.parent.audit ??
      new PostgresAuditLog(pool, {
        guard: (fn) => this.#run(fn),
        nowIso: () => this.#nowIso(),
        ...(options.auditCheckpoints === undefined ? {} : { checkpoints: options.auditCheckpoints }),
      });
    auditStoreWrites(this, this.audit);
  }

  /**
   * The audit log in this database (shared by the store and its views; postgres-audit.ts); every
   * write method appends to it (audit-store-writes.ts).
   */
  readonly audit: PostgresAuditLog;

  get reader(): Reader | null {
    return this.#access?.reader ?? null;
  }

  /** Schema version of the open database. */
  async schemaVersion(): Promise<number> {
    return checkSchemaVersion(this.#pool, '');
  }

  /**
   * See CatalogStore.view. The scheme is read when the view is made (the interface's view is
   * synchronous): a view made before `setMarkingSettings` keeps the levels it was made with.
   */
  view(reader: Reader): PostgresCatalogStore {
    this.#open();
    const scheme = this.#schemeCache ?? DEFAULT_SCHEME;
    return new PostgresCatalogStore(this.#pool, this.#kysely, this.#options, {
      parent: this,
      access: readerAccess(scheme, reader),
    });
  }

  /** The scheme last read (views are made with it; refreshed by every settings read). */
  #schemeCache: ClassificationScheme | undefined;

  async #settings(): Promise<MarkingSettings> {
    const s = await readSettings(this.#pool);
    this.#schemeCache = s.scheme;
    return s;
  }

  /** Refreshes the cached scheme so that a later `view` uses the stored levels. */
  async loadSettings(): Promise<void> {
    await this.#settings();
  }

  markingSettings(): Promise<MarkingSettings> {
    return this.#run(() => this.#settings());
  }

  setMarkingSettings(change: {
    readonly levels?: readonly string[];
    readonly homeOrganisation?: string;
  }): Promise<MarkingSettings> {
    return this.#run(async () => {
      if (this.#access !== null) {
        throw new StoreError(
          'STORE_VIEW_FORBIDDEN',
          'the marking settings cannot be changed through a reader view',
        );
      }
      await this.#transaction(async (client) => {
        await lockImports(client);
        const before = await readSettings(client);
        const upsert = (key: string, value: string) =>
          client.query(
            'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
            [key, value],
          );
        if (change.levels !== undefined) {
          let scheme: ClassificationScheme;
          try {
            scheme = classificationScheme(change.levels);
          } catch (e) {
            throw new StoreError(
              'STORE_BAD_MARKING',
              (e as Error).message,
              { levels: change.levels },
              { cause: e },
            );
          }
          for (const t of MARKED_TABLES) {
            const r = await client.query<{ mk_classification: string }>(
              `SELECT mk_classification FROM ${t} WHERE NOT (mk_classification = ANY ($1::text[])) LIMIT 1`,
              [[...scheme.levels]],
            );
            const level = r.rows[0]?.mk_classification;
            if (level !== undefined) {
              throw new StoreError(
                'STORE_SCHEME_IN_USE',
                `records in ${t} are marked ${level}, which the new levels ${scheme.levels.join(', ')} do not list`,
                { table: t, level },
              );
            }
          }
          await upsert(SETTING_LEVELS, JSON.stringify(scheme.levels));
        }
        if (change.homeOrganisation !== undefined && change.homeOrganisation !== before.homeOrganisation) {
          let org: string;
          try {
            org = checkOrganisation(change.homeOrganisation);
          } catch (e) {
            throw new StoreError('STORE_BAD_MARKING', (e as Error).message, {}, { cause: e });
          }
          for (const t of MARKED_TABLES) {
            await client.query(`UPDATE ${t} SET mk_originator = $1 WHERE mk_originator = $2`, [
              org,
              before.homeOrganisation,
            ]);
          }
          await upsert(SETTING_HOME, org);
        }
      });
      return this.#settings();
    });
  }

  /**
   * Organisations, users, API tokens and console sessions (identity-sql.ts, shared with SQLite):
   * reads on the pool, each write in a transaction of its own; no checked credential is remembered
   * (another server process on this database may revoke it).
   */
  get identity(): IdentityStore {
    this.#identity ??= new SqlIdentityStore({
      kysely: this.#kysely,
      read: (fn) => this.#run(fn),
      write: (fn) => this.#run(() => this.#kysely.transaction().execute((trx) => fn(trx))),
      writable: () => undefined,
      readOnly: false,
      now: () => (this.#clock === undefined ? new Date() : this.#clock()),
    });
    return this.#identity;
  }

  #identity: SqlIdentityStore | undefined;

  get exchange(): ExchangeStore {
    return unsupported('the node exchange');
  }

  cases(): CaseStore {
    return unsupported('case files');
  }

  caseExchange(): CaseExchangeStore {
    return unsupported('cases between nodes');
  }

  #open(): void {
    if (this.#state.closed) throw new StoreError('STORE_CLOSED', 'the catalog store is closed');
  }

  /** Runs one operation unless the store is closed. */
  #run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#state.closed)
      return Promise.reject(new StoreError('STORE_CLOSED', 'the catalog store is closed'));
    return fn();
  }

  /** Runs `fn` in a transaction on a connection of its own. */
  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      client.release();
    }
  }

  #nowIso(): string {
    return isoFromEpochKey(this.#nowKey());
  }

  #nowKey(): number {
    return this.#clock === undefined ? epochKeyNow() : epochKeyFromDate(this.#clock());
  }

  #queryKey(asOf: string | undefined, what: string): number {
    return asOf === undefined ? this.#nowKey() : epochKeyFromIso(asOf, what);
  }

  /** Runs a query built with Kysely's `sql` and returns its rows as arrays (see the module header). */
  async #rows(query: RawBuilder<unknown>, client: pg.Pool | pg.ClientBase = this.#pool): Promise<Row[]> {
    const compiled = query.compile(this.#kysely);
    const r = await client.query({ text: compiled.sql, values: [...compiled.parameters], rowMode: 'array' });
    return r.rows as Row[];
  }

  async #ingestInfo(): Promise<Map<number, IngestInfo>> {
    const map = new Map<number, IngestInfo>();
    for (const r of await this.#rows(
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

  async #writeMarking(given: Marking | undefined): Promise<Marking> {
    return writeMarking(await this.#settings(), this.#access, given);
  }

  async #derivedMarking(given: Marking | undefined, inputs: readonly Marking[]): Promise<Marking> {
    const settings = await this.#settings();
    if (inputs.length === 0) return writeMarking(settings, this.#access, given);
    const all = given === undefined ? [...inputs] : [writeMarking(settings, this.#access, given), ...inputs];
    let combined: Marking;
    try {
      combined = combineMarkings(
        settings.scheme,
        all.map((m) => checkedMarking(settings.scheme, m)),
        this.#access?.reader.organisation ?? settings.homeOrganisation,
      );
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('STORE_BAD_MARKING', (e as Error).message, {}, { cause: e });
    }
    return writeMarking(settings, this.#access, combined);
  }

  importFile(input: ImportInput): Promise<IngestReport> {
    return this.#run(async () => {
      const marking = await this.#writeMarking(input.marking);
      const client = await this.#pool.connect();
      try {
        return await importIntoPostgres(
          { client, nowIso: () => this.#nowIso(), batchLines: this.#batchLines, marking },
          input,
        );
      } finally {
        client.release();
      }
    });
  }

  upsertObjects(objects: readonly CatalogObject[]): Promise<number> {
    return this.#run(async () => {
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
          cn: normaliseCatalogNumber(o.catalogNumber),
          name: o.name,
          intl: o.intlDesignator,
          type: o.objectType,
          launch: dateOrNull(o.launchDate, 'launch date'),
          decay: dateOrNull(o.decayDate, 'decay date'),
        };
      });
      if (rows.length === 0) return 0;
      await this.#transaction(async (client) => {
        await lockImports(client);
        // One row at a time, in the caller's order, as SQLite does: a repeated number takes its last values.
        for (const r of rows) {
          await client.query(
            `INSERT INTO objects AS o (catalog_number, name, intl_designator, object_type, launch_date, decay_date,
               type_source, name_epoch_key) VALUES ($1, $2, $3, $4, $5, $6, 'satcat', NULL)
             ON CONFLICT (catalog_number) DO UPDATE SET
               name = coalesce(excluded.name, o.name),
               intl_designator = coalesce(excluded.intl_designator, o.intl_designator),
               object_type = excluded.object_type,
               launch_date = coalesce(excluded.launch_date, o.launch_date),
               decay_date = coalesce(excluded.decay_date, o.decay_date),
               type_source = excluded.type_source`,
            [r.cn, r.name, r.intl, r.type, r.launch, r.decay],
          );
        }
      });
      return rows.length;
    });
  }

  getObject(catalogNumber: string, asOf?: string): Promise<ObjectStatus | null> {
    return this.#run(async () => {
      const cn = normaliseCatalogNumber(catalogNumber);
      const tKey = this.#queryKey(asOf, 'as-of time');
      const a = this.#access;
      const cols = objectSql(a);
      const rows = await this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)}
        FROM objects o
        ${latestSetLateral(asOf === undefined ? null : tKey, a, true)}
        ${cols.joins}
        WHERE o.catalog_number = ${cn} AND ${visibleObject(a, cols)}`);
      const row = rows[0];
      return row === undefined ? null : this.#status(row, tKey, await this.#ingestInfo(), new MarkingCache());
    });
  }

  listObjects(query: ListQuery = {}): Promise<ObjectStatus[]> {
    return this.#run(async () => {
      const tKey = this.#queryKey(query.asOf, 'as-of time');
      const a = this.#access;
      const cols = objectSql(a);
      const filters = filterConditions(query, cols);
      if (query.name !== undefined && query.name !== '') {
        const pattern = `%${query.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        filters.push(sql`lower(${cols.name}) LIKE ${pattern} ESCAPE '\\'`);
      }
      if (a !== null && query.asOf === undefined)
        filters.push(sql`(e.id IS NOT NULL OR ${cols.satcatReadable})`);
      const where = filters.length === 0 ? sql`` : sql`WHERE ${sql.join(filters, sql` AND `)}`;
      const limit = query.limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, Math.floor(query.limit))}`;
      const rows = await this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)}
        FROM objects o
        ${query.asOf === undefined ? latestSetLateral(null, a, true) : latestSetLateral(tKey, a, false)}
        ${cols.joins}
        ${where} ${CATALOG_ORDER} ${limit}`);
      const ingests = await this.#ingestInfo();
      const markings = new MarkingCache();
      return rows.map((r) => this.#status(r, tKey, ingests, markings));
    });
  }

  selectObjects(filter: ObjectFilter): Promise<ObjectSelection> {
    return this.#run(async () => {
      const a = this.#access;
      const cols = objectSql(a);
      const conditions = filterConditions(filter, cols);
      if (a !== null) conditions.push(sql`(e.id IS NOT NULL OR ${cols.satcatReadable})`);
      const where = conditions.length === 0 ? sql`` : sql`WHERE ${sql.join(conditions, sql` AND `)}`;
      const latest = a === null ? sql`` : latestSetLateral(null, a, true);
      const rows = await this.#rows(
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
    return this.#run(async () => {
      const cn = normaliseCatalogNumber(catalogNumber);
      const rows = await this.#rows(sql`SELECT ${SET_COLUMNS} FROM element_sets e
        WHERE e.catalog_number = ${cn} AND ${readableCondition('e', this.#access)} ORDER BY e.epoch_key, e.id`);
      const ingests = await this.#ingestInfo();
      const markings = new MarkingCache();
      return rows.map((r) => storedFromRow(r, ingests, markings));
    });
  }

  asOf(asOf: string): Promise<StoredElementSet[]> {
    return this.#run(async () => {
      const tKey = epochKeyFromIso(asOf, 'as-of time');
      const rows = await this.#rows(
        sql`SELECT ${SET_COLUMNS} FROM objects o ${latestSetLateral(tKey, this.#access, false)}
          ${CATALOG_ORDER}`,
      );
      const ingests = await this.#ingestInfo();
      const markings = new MarkingCache();
      return rows.map((r) => storedFromRow(r, ingests, markings));
    });
  }

  diff(from: string, to: string): Promise<CatalogDiff> {
    return this.#run(async () => {
      const fromKey = epochKeyFromIso(from, 'diff start');
      const toKey = epochKeyFromIso(to, 'diff end');
      if (toKey < fromKey) {
        throw new StoreError('STORE_BAD_TIME', `diff end ${to} is before its start ${from}`, { from, to });
      }
      const a = this.#access;
      const cols = objectSql(a);
      const rows = await this.#rows(sql`SELECT ${SET_COLUMNS}, ${objectColumns(cols)},
          ${latestSetId(fromKey, a)} AS from_id
        FROM objects o
        ${latestSetLateral(toKey, a, false)}
        ${cols.joins}
        ${CATALOG_ORDER}`);
      const markings = new MarkingCache();
      const FROM_ID = N_SET + N_OBJ;
      const ingests = await this.#ingestInfo();
      const fromIds: number[] = [];
      for (const r of rows)
        if (r[FROM_ID] !== null && r[FROM_ID] !== r[C_ID]) fromIds.push(r[FROM_ID] as number);
      const fromSets = new Map<number, Row>();
      if (fromIds.length > 0) {
        for (const r of await this.#rows(
          sql`SELECT ${SET_COLUMNS} FROM element_sets e WHERE e.id = ANY (${fromIds}::integer[])`,
        ))
          fromSets.set(r[C_ID] as number, r);
      }
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

  ingestLog(limit = 100): Promise<IngestReport[]> {
    return this.#run(async () => {
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
    return this.#run(async () => {
      const { conjunctionMarkings, screeningMarking } = await this.#screeningMarkings(run, conjunctions);
      return this.#transaction(async (client) => {
        const r = await client.query<{ id: number }>(
          `INSERT INTO screenings (started_at, finished_at, window_start, window_stop, threshold_km, primaries,
            catalog_as_of, source, object_count, conjunction_count, data_quality,
            mk_classification, mk_release, mk_originator, mk_data_mode)
            VALUES ($1, $2, $3, $4, $5::float8, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
          [
            run.startedAt,
            run.finishedAt,
            run.windowStart,
            run.windowStop,
            float8Text(run.thresholdKm),
            run.primaries === null ? null : run.primaries.join(','),
            run.catalogAsOf,
            run.source,
            run.objectCount,
            conjunctions.length,
            run.dataQuality == null ? null : JSON.stringify(run.dataQuality),
            ...markingColumns(screeningMarking),
          ],
        );
        const id = r.rows[0]!.id;
        await insertConjunctions(client, id, conjunctions, conjunctionMarkings);
        return id;
      });
    });
  }

  /** The markings of a screening's records (see SqliteCatalogStore's, which this follows). */
  async #screeningMarkings(
    run: ScreeningRun,
    conjunctions: readonly ConjunctionRecord[],
  ): Promise<{ conjunctionMarkings: Marking[]; screeningMarking: Marking }> {
    const settings = await this.#settings();
    const runMarking = writeMarking(settings, this.#access, run.marking);
    const asOfKey = run.catalogAsOf == null ? null : epochKeyFromIso(run.catalogAsOf, 'catalog as-of time');
    // The as-of set's marking of every object not given one, in one query.
    const wanted = new Set<string>();
    if (asOfKey !== null) {
      for (const c of conjunctions) {
        if (c.marking !== undefined) continue;
        for (const cn of [c.id1, c.id2]) if (run.inputMarkings?.[cn] === undefined) wanted.add(cn);
      }
    }
    const asOfMarkings = new Map<string, Marking>();
    if (wanted.size > 0 && asOfKey !== null) {
      const rows = await this.#rows(sql`SELECT w.cn, s.mk_classification, s.mk_release, s.mk_originator,
          s.mk_data_mode FROM unnest(${[...wanted]}::text[]) AS w(cn)
        JOIN LATERAL (SELECT x.mk_classification, x.mk_release, x.mk_originator, x.mk_data_mode
          FROM element_sets x WHERE x.catalog_number = w.cn AND x.epoch_key <= ${asOfKey}
          AND ${readableCondition('x', this.#access)}
          ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1) s ON true`);
      for (const r of rows)
        asOfMarkings.set(
          r[0] as string,
          markingFromColumns(r[1] as string, r[2] as string, r[3] as string, r[4] as string),
        );
    }
    const setMarking = (cn: string): Marking => {
      const given = run.inputMarkings?.[cn];
      if (given !== undefined) return checkedMarking(settings.scheme, given);
      return asOfMarkings.get(cn) ?? runMarking;
    };
    const key = (m: Marking) => markingColumns(m).join('|');
    const derived = new Map<string, Marking>();
    const distinct = new Map<string, Marking>([[key(runMarking), runMarking]]);
    const conjunctionMarkings: Marking[] = [];
    for (const c of conjunctions) {
      let m: Marking;
      if (c.marking !== undefined) m = writeMarking(settings, this.#access, c.marking);
      else {
        const m1 = setMarking(c.id1);
        const m2 = setMarking(c.id2);
        const k = `${key(m1)}/${key(m2)}`;
        const known = derived.get(k);
        if (known !== undefined) m = known;
        else {
          m = await this.#derivedMarking(runMarking, [m1, m2]);
          derived.set(k, m);
        }
      }
      distinct.set(key(m), m);
      conjunctionMarkings.push(m);
    }
    const screeningMarking =
      distinct.size === 1 ? runMarking : await this.#derivedMarking(runMarking, [...distinct.values()]);
    return { conjunctionMarkings, screeningMarking };
  }

  listScreenings(limit = 20): Promise<StoredScreening[]> {
    return this.#run(async () => {
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
    return this.#run(async () => {
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
      events = events.orderBy(sql`tca_utc COLLATE "C"`).orderBy('id');
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
    return this.#run(async () => {
      const marking = await this.#derivedMarking(options.marking, options.derivedFrom ?? []);
      const remark = options.marking !== undefined || (options.derivedFrom?.length ?? 0) > 0;
      return saveEventsPostgres(this, events, options, this.#nowIso(), marking, remark, this.#access);
    });
  }

  /** For saveEventsPostgres: a transaction on this store's pool. */
  inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#transaction(fn);
  }

  events(query: EventQuery = {}): Promise<StoredEvent[]> {
    return this.#run(async () => {
      const rows = await eventsQuery(this.#kysely, query, this.#access).execute();
      return rows.map(storedEventFromRow);
    });
  }

  /**
   * Checked whole, then stored in one transaction with the check of its element-set link. Not yet
   * here: `elementSetFile` (the set imported in the same transaction), STORE_UNSUPPORTED.
   */
  saveOrbitDetermination(
    input: OrbitDeterminationInput,
    options: SaveOrbitDeterminationOptions = {},
  ): Promise<SavedOrbitDetermination> {
    return this.#run(async () => {
      if (options.elementSetFile !== undefined) {
        unsupported('saving an orbit determination with its element-set file');
      }
      const marking = await this.#derivedMarking(input.marking, input.derivedFrom ?? []);
      const checked = checkOrbitDeterminationInput(input);
      const id = await this.#kysely.transaction().execute(async (trx) => {
        if (input.elementSetId !== null) {
          const found = await trx
            .selectFrom('element_sets')
            .select('catalog_number')
            .where('id', '=', input.elementSetId)
            .executeTakeFirst();
          checkElementSetLink(found?.catalog_number, checked.cn, input.elementSetId);
        }
        const row = await trx
          .insertInto('orbit_determinations')
          .values(orbitDeterminationRow(input, checked, marking, this.#nowIso()))
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });
      const row = await orbitDeterminationsQuery(this.#kysely, { id }, null).executeTakeFirstOrThrow();
      return storedOrbitDeterminationFromRow(row);
    });
  }

  orbitDeterminations(query: OrbitDeterminationQuery = {}): Promise<StoredOrbitDetermination[]> {
    return this.#run(async () => {
      const rows = await orbitDeterminationsQuery(this.#kysely, query, this.#access).execute();
      return rows.map(storedOrbitDeterminationFromRow);
    });
  }

  getOrbitDetermination(id: number): Promise<StoredOrbitDetermination | null> {
    return this.#run(async () => {
      const row = await orbitDeterminationsQuery(this.#kysely, { id }, this.#access).executeTakeFirst();
      return row === undefined ? null : storedOrbitDeterminationFromRow(row);
    });
  }

  saveJob(job: StoredJob): Promise<void> {
    return this.#run(async () => {
      const marking = await this.#writeMarking(job.marking);
      try {
        await saveJobSqlite(this.#kysely, job, marking);
      } catch (e) {
        // Two writers of one id at once: the primary key decides, as the check before it does alone.
        if ((e as { code?: string }).code === '23505') {
          throw new StoreError('STORE_DUPLICATE', `a job with id ${job.id} is already stored`, {
            id: job.id,
          });
        }
        throw e;
      }
    });
  }

  updateJob(id: string, update: JobUpdate): Promise<StoredJob | null> {
    return this.#run(async () => {
      const marking = update.marking === undefined ? undefined : await this.#writeMarking(update.marking);
      return updateJobSqlite(this.#kysely, id, update, this.#access, marking);
    });
  }

  getJob(id: string): Promise<StoredJob | null> {
    return this.#run(() => getJobSqlite(this.#kysely, id, this.#access));
  }

  listJobs(query: JobQuery = {}): Promise<StoredJob[]> {
    return this.#run(() => listJobsSqlite(this.#kysely, query, this.#access));
  }

  saveWatchList(input: WatchListInput, id?: number): Promise<StoredWatchList | null> {
    return this.#run(async () => {
      const marking = await this.#writeMarking(input.marking);
      return saveWatchListSqlite(this.#kysely, input, id, this.#nowIso(), this.#access, marking);
    });
  }

  getWatchList(id: number): Promise<StoredWatchList | null> {
    return this.#run(() => getWatchListSqlite(this.#kysely, id, this.#access));
  }

  listWatchLists(): Promise<StoredWatchList[]> {
    return this.#run(() => listWatchListsSqlite(this.#kysely, this.#access));
  }

  deleteWatchList(id: number): Promise<boolean> {
    return this.#run(() => deleteWatchListSqlite(this.#kysely, id, this.#access));
  }

  markWatchListRun(id: number, at: string): Promise<void> {
    return this.#run(() => markWatchListRunSqlite(this.#kysely, id, at, this.#access));
  }

  recordAlert(observation: AlertObservation): Promise<StoredAlert | null> {
    return this.#run(async () => {
      const o = observation;
      const given = o.marking;
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
      // recordAlertSqlite asks for the marking synchronously, given the watch list's (which it reads
      // through the same view): resolve it first, from the same watch list.
      const list = await getWatchListSqlite(this.#kysely, o.watchListId, this.#access);
      const resolved =
        given !== undefined
          ? await this.#writeMarking(given)
          : list === null
            ? null
            : await this.#derivedMarking(undefined, [list.marking, ...inputs]);
      return recordAlertSqlite(this.#kysely, o, this.#access, (m) => resolved ?? m);
    });
  }

  acknowledgeAlert(
    id: number,
    ack: { readonly by: string; readonly at: string; readonly note: string | null },
  ): Promise<StoredAlert | null> {
    return this.#run(() => acknowledgeAlertSqlite(this.#kysely, id, ack, this.#access));
  }

  getAlert(id: number): Promise<StoredAlert | null> {
    return this.#run(() => getAlertSqlite(this.#kysely, id, this.#access));
  }

  listAlerts(query: AlertQuery = {}): Promise<{ alerts: StoredAlert[]; total: number }> {
    return this.#run(() => listAlertsSqlite(this.#kysely, query, this.#access));
  }

  /** Closes the pool (after its connections are returned); a view's close does nothing. */
  async close(): Promise<void> {
    if (this.#access !== null || this.#state.closed) return;
    this.#state.closed = true;
    // Appends accepted before the close are written first.
    await this.audit.drain();
    await this.#kysely.destroy();
    // Kysely ends the pool only when it has used it itself; a store whose queries all went through
    // the pool directly (no migration ran) would keep its idle connections, and a process its
    // event loop, until the pool's idle timeout (10 s).
    if (!this.#pool.ended) await this.#pool.end();
  }
}

/** Inserts a screening's conjunctions in slices, one statement per slice (column arrays, unnest). */
async function insertConjunctions(
  client: pg.ClientBase,
  screeningId: number,
  conjunctions: readonly ConjunctionRecord[],
  markings: readonly Marking[],
): Promise<void> {
  const SLICE = 5000;
  for (let i = 0; i < conjunctions.length; i += SLICE) {
    const cs = conjunctions.slice(i, i + SLICE);
    const ms = markings.slice(i, i + SLICE).map(markingColumns);
    const f = (get: (c: ConjunctionRecord) => number) => cs.map((c) => float8Text(get(c)));
    await client.query(
      `INSERT INTO conjunctions (screening_id, id1, id2, tca_utc, miss_km, rel_speed_km_s, r_km, i_km, c_km, pc,
         pc_method, hbr_m, covariance_source, confidence, age1_days, age2_days, mk_classification, mk_release,
         mk_originator, mk_data_mode)
       SELECT $1::integer, u.id1, u.id2, u.tca, u.miss, u.speed, u.r, u.i, u.c, u.pc, u.method, u.hbr, u.cov,
         u.conf, u.age1, u.age2, u.mk1, u.mk2, u.mk3, u.mk4
       FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
         $9::float8[], $10::float8[], $11::text[], $12::float8[], $13::text[], $14::text[], $15::float8[],
         $16::float8[], $17::text[], $18::text[], $19::text[], $20::text[]) WITH ORDINALITY
         AS u(id1, id2, tca, miss, speed, r, i, c, pc, method, hbr, cov, conf, age1, age2, mk1, mk2, mk3, mk4, ord)
       ORDER BY u.ord`,
      [
        screeningId,
        cs.map((c) => c.id1),
        cs.map((c) => c.id2),
        cs.map((c) => c.tcaUtc),
        f((c) => c.missKm),
        f((c) => c.relSpeedKmS),
        f((c) => c.rKm),
        f((c) => c.iKm),
        f((c) => c.cKm),
        cs.map((c) => (c.pc === null ? null : float8Text(c.pc))),
        cs.map((c) => c.pcMethod),
        f((c) => c.hbrM),
        cs.map((c) => c.covarianceSource),
        cs.map((c) => c.confidence),
        f((c) => c.age1Days),
        f((c) => c.age2Days),
        ms.map((m) => m[0]),
        ms.map((m) => m[1]),
        ms.map((m) => m[2]),
        ms.map((m) => m[3]),
      ],
    );
  }
}

/**
 * saveEvents on PostgreSQL, with the rules of sqlite-events.ts `saveEventsSqlite`: every record
 * checked first (one bad record stores nothing), then per record an insert that does nothing on a
 * known identity, or a refresh of the known row, all in one transaction.
 */
async function saveEventsPostgres(
  store: PostgresCatalogStore,
  events: readonly DetectionEvent[],
  options: SaveEventsOptions,
  nowIso: string,
  marking: Marking,
  remark: boolean,
  access: ReaderAccess | null,
): Promise<SaveEventsReport> {
  const records = checkedEvents(events, options);
  const mk = markingColumns(marking);
  return store.inTransaction(async (client) => {
    const markingOf = async (k: string) => {
      const r = await client.query<Parameters<typeof markingOfRow>[0]>(
        'SELECT mk_classification, mk_release, mk_originator, mk_data_mode FROM events WHERE event_key = $1',
        [k],
      );
      return r.rows[0];
    };
    const mayChange = async (k: string): Promise<boolean> => {
      if (access === null) return true;
      const r = await markingOf(k);
      return r !== undefined && canRead(access.scheme, access.reader, markingOfRow(r));
    };
    const rowKey = async (k: string): Promise<string> => {
      if (access === null || (await markingOf(k)) === undefined || (await mayChange(k))) return k;
      return ownEventKey(k, access.reader.organisation);
    };
    let inserted = 0;
    let known = 0;
    for (const e of records) {
      const k = await rowKey(detectionEventKey(e));
      const timeKey = epochKeyFromIso(e.timeUtc, 'event time');
      const evidence = JSON.stringify(e.evidence);
      const inputs = JSON.stringify(e.inputs);
      const r = await client.query<{ id: number }>(
        `INSERT INTO events (event_key, type, kind, objects, time_key, window_start_key, window_end_key, score,
          threshold, detector, detector_version, evidence, inputs, label, created_at, updated_at,
          mk_classification, mk_release, mk_originator, mk_data_mode)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8::float8, $9::float8, $10, $11, $12, $13, $14, $15, $16, $17, $18,
          $19, $20)
          ON CONFLICT (event_key) DO NOTHING RETURNING id`,
        [
          k,
          e.type,
          e.kind,
          e.objects.join('+'),
          timeKey,
          epochKeyFromIso(e.windowStartUtc, 'event window start'),
          epochKeyFromIso(e.windowEndUtc, 'event window end'),
          float8Text(e.score),
          float8Text(e.threshold),
          e.detector,
          e.detectorVersion,
          evidence,
          inputs,
          options.label ?? DEFAULT_EVENT_LABEL,
          nowIso,
          nowIso,
          ...mk,
        ],
      );
      const id = r.rows[0]?.id;
      if (id !== undefined) {
        inserted++;
        await client.query(
          `INSERT INTO event_objects (event_id, position, catalog_number)
           SELECT $1::integer, u.p - 1, u.cn FROM unnest($2::text[]) WITH ORDINALITY AS u(cn, p)`,
          [id, [...e.objects]],
        );
      } else {
        known++;
        if (!(await mayChange(k))) continue;
        await client.query(
          `UPDATE events SET time_key = $1, score = $2::float8, threshold = $3::float8, evidence = $4, inputs = $5,
            label = coalesce($6, label), updated_at = $7 WHERE event_key = $8`,
          [
            timeKey,
            float8Text(e.score),
            float8Text(e.threshold),
            evidence,
            inputs,
            options.label ?? null,
            nowIso,
            k,
          ],
        );
        if (remark) {
          await client.query(
            `UPDATE events SET mk_classification = $1, mk_release = $2, mk_originator = $3, mk_data_mode = $4
              WHERE event_key = $5`,
            [...mk, k],
          );
        }
      }
    }
    return { inserted, known };
  });
}
