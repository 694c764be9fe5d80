/**
 * Copies a SQLite catalog store into an empty PostgreSQL database and proves the copy row for row
 * (`hoshimi store migrate`). The SQLite file is opened read-only and must carry this code's schema
 * version; the target is given the schema by `openPostgresStore` and must hold no rows (the
 * settings the migrations write excepted). Every table of the schema is copied, parents before
 * children (the foreign keys of the SQLite file), ids kept, in batches inside one PostgreSQL
 * transaction; each identity sequence is then set past the largest id copied. Verification, still
 * inside that transaction: per table the row count and an order-independent digest of every row's
 * values (the sum modulo 2^256 of each row's SHA-256, values normalised so that an integer is the
 * same whether read as number or bigint, bytes the same as Buffer or Uint8Array); any difference
 * rolls the whole copy back.
 *
 * Inserts pass the append-only triggers (they refuse UPDATE, DELETE and TRUNCATE only); the audit
 * log's trigger accepts a record that extends the head of the chain, which rows copied in sequence
 * order do.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { StoreError } from './errors.js';
import { CATALOG_MIGRATION_NAMES, CATALOG_SCHEMA_VERSION, schemaVersionOfMigration } from './migrations.js';
import { openPostgresStore, redactedUrl } from './postgres-store.js';

/** Progress of a migration: a table being copied or verified, rows done so far. */
export interface MigrateProgress {
  readonly phase: 'copy' | 'verify';
  readonly table: string;
  readonly rows: number;
  readonly total: number;
}

export interface MigrateOptions {
  readonly onProgress?: (p: MigrateProgress) => void;
  /** Rows per INSERT statement (default: as many as fit 30,000 parameters, at most 1000). */
  readonly batchRows?: number;
}

/** One table's verification: counts and digests (hex) on both sides. */
export interface MigratedTable {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly sourceDigest: string;
  readonly targetDigest: string;
  readonly ok: boolean;
}

export interface MigrateResult {
  /** Every table matched; the copy was committed. When false nothing was written. */
  readonly ok: boolean;
  /** In copy order. */
  readonly tables: readonly MigratedTable[];
  /** Identity sequences set past the largest id copied: table → next id. */
  readonly sequences: Readonly<Record<string, number>>;
}

/** Bookkeeping tables that are not catalog content (each side has its own). */
const NOT_CONTENT = new Set(['kysely_migration', 'kysely_migration_lock', 'sqlite_sequence']);

/** Rows the migrations themselves write: a target holding only these is empty. */
const MIGRATION_ROWS: Readonly<Record<string, number>> = { settings: 2 };

const MAX_PARAMETERS = 30_000;
const CURSOR_ROWS = 5000;
const INT8_OID = 20;
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The source's schema version: the highest of `user_version` and the applied migrations. */
function sqliteSchemaVersion(db: Database.Database): { version: number; unknown: boolean } {
  let version = Number(db.pragma('user_version', { simple: true }));
  let unknown = false;
  const has = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
    .get();
  if (has !== undefined) {
    const known = new Set(CATALOG_MIGRATION_NAMES);
    for (const { name } of db.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]) {
      if (!known.has(name)) unknown = true;
      const v = schemaVersionOfMigration(name);
      if (Number.isFinite(v) && v > version) version = v;
    }
  }
  return { version, unknown };
}

interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  /** ORDER BY of the source read: the primary key, else rowid. */
  readonly order: string;
}

/** The content tables of the SQLite file, parents before children (ties by name). */
function tablesInForeignKeyOrder(db: Database.Database): TableInfo[] {
  const names = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !NOT_CONTENT.has(n) && !n.startsWith('sqlite_'));
  const parents = new Map<string, Set<string>>();
  for (const n of names) {
    const fks = db.prepare(`PRAGMA foreign_key_list(${q(n)})`).all() as { table: string }[];
    parents.set(n, new Set(fks.map((f) => f.table).filter((t) => t !== n)));
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.find((n) => !done.has(n) && [...(parents.get(n) ?? [])].every((p) => done.has(p)));
    if (next === undefined)
      throw new StoreError('STORE_MIGRATE_SCHEMA', 'the foreign keys of the source form a cycle');
    ordered.push(next);
    done.add(next);
  }
  return ordered.map((name) => {
    const cols = db.prepare(`PRAGMA table_info(${q(name)})`).all() as { name: string; pk: number }[];
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    return {
      name,
      columns: cols.map((c) => c.name),
      order: pk.length > 0 ? pk.map((c) => q(c.name)).join(', ') : 'rowid',
    };
  });
}

/** A value in the one form both drivers' readings share: integers as decimal, bytes as hex. */
function normalised(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  if (typeof v === 'bigint') return `i${v.toString()}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `i${BigInt(v).toString()}` : `f${String(v)}`;
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (v instanceof Uint8Array) return `b${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (typeof v === 'boolean') return `i${v ? 1 : 0}`;
  return `o${JSON.stringify(v)}`;
}

const MOD = 1n << 256n;

/** Order-independent digest of rows: count and the sum of the rows' SHA-256 modulo 2^256. */
class Digest {
  rows = 0;
  #sum = 0n;
  add(row: readonly unknown[]): void {
    const h = createHash('sha256');
    for (const v of row) h.update(`${normalised(v)}\u0000`);
    this.#sum = (this.#sum + BigInt(`0x${h.digest('hex')}`)) % MOD;
    this.rows++;
  }
  hex(): string {
    return this.#sum.toString(16).padStart(64, '0');
  }
}

/**
 * Copies the SQLite catalog at `sqlitePath` into the empty PostgreSQL database at `url` and
 * verifies it (see the module header). Throws StoreError `STORE_MIGRATE_SCHEMA` for a source of
 * another schema version or tables the two sides do not share, `STORE_MIGRATE_TARGET_NOT_EMPTY`
 * for a target holding rows (nothing written); returns `ok: false` (rolled back) on a mismatch.
 */
export async function migrateSqliteToPostgres(
  sqlitePath: string,
  url: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  let source: Database.Database;
  try {
    source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
    source.pragma('user_version', { simple: true });
  } catch (e) {
    throw new StoreError(
      'STORE_OPEN_FAILED',
      `cannot open catalog database ${sqlitePath}: ${(e as Error).message}`,
      { path: sqlitePath },
      { cause: e },
    );
  }
  try {
    const { version, unknown } = sqliteSchemaVersion(source);
    if (version !== CATALOG_SCHEMA_VERSION || unknown) {
      const how =
        version < CATALOG_SCHEMA_VERSION
          ? `upgrade it first by opening it once where it is writable, e.g. 'hoshimi store settings --db ${sqlitePath}'`
          : 'it was written by a newer Hoshimi; migrate it with that version';
      throw new StoreError(
        'STORE_MIGRATE_SCHEMA',
        `${sqlitePath} has catalog schema version ${version}; this Hoshimi copies version ${CATALOG_SCHEMA_VERSION}: ${how}`,
        { path: sqlitePath, fileVersion: version, codeVersion: CATALOG_SCHEMA_VERSION },
      );
    }
    const tables = tablesInForeignKeyOrder(source);
    // The schema, by the same migrations as the source's.
    await (await openPostgresStore(url, { maxConnections: 1 })).close();
    const client = new pg.Client({ connectionString: url, types: TYPES });
    try {
      await client.connect();
    } catch (e) {
      throw new StoreError(
        'STORE_OPEN_FAILED',
        `cannot open catalog database ${redactedUrl(url)}: ${(e as Error).message}`,
        { path: redactedUrl(url) },
        { cause: e },
      );
    }
    try {
      return await copyAndVerify(source, client, tables, url, options);
    } finally {
      await client.end();
    }
  } finally {
    source.close();
  }
}

async function copyAndVerify(
  source: Database.Database,
  client: pg.Client,
  tables: readonly TableInfo[],
  url: string,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const targetTables = new Set(
    (
      await client.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      )
    ).rows
      .map((r) => r.t)
      .filter((t) => !NOT_CONTENT.has(t)),
  );
  const sourceNames = tables.map((t) => t.name);
  const missing = sourceNames.filter((t) => !targetTables.has(t));
  const extra = [...targetTables].filter((t) => !sourceNames.includes(t));
  if (missing.length > 0 || extra.length > 0) {
    throw new StoreError(
      'STORE_MIGRATE_SCHEMA',
      `the tables of the two stores differ (only in the SQLite file: ${missing.join(', ') || 'none'}; only in PostgreSQL: ${extra.join(', ') || 'none'})`,
      { missing, extra },
    );
  }
  await client.query('BEGIN');
  let committed = false;
  try {
    // Writers of the target wait until the copy commits or rolls back.
    await client.query(`LOCK TABLE ${sourceNames.map(q).join(', ')} IN EXCLUSIVE MODE`);
    const held: string[] = [];
    for (const t of sourceNames) {
      const r = await client.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(t)}`);
      const n = Number(r.rows[0]?.n ?? 0);
      if (n > (MIGRATION_ROWS[t] ?? 0)) held.push(`${t} (${n} rows)`);
    }
    if (held.length > 0) {
      throw new StoreError(
        'STORE_MIGRATE_TARGET_NOT_EMPTY',
        `${redactedUrl(url)} already holds rows: ${held.join(', ')}; migrate into an empty database (nothing was written)`,
        { path: redactedUrl(url), tables: held },
      );
    }
    // The settings the migrations wrote give way to the source's.
    for (const t of Object.keys(MIGRATION_ROWS)) await client.query(`DELETE FROM ${q(t)}`);

    const sourceDigests = new Map<string, Digest>();
    for (const t of tables) sourceDigests.set(t.name, await copyTable(source, client, t, options));

    const sequences: Record<string, number> = {};
    const identities = await client.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`,
    );
    for (const { t, c } of identities.rows) {
      const r = await client.query<{ next: bigint }>(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${q(c)}), 0) + 1, false) AS next FROM ${q(t)}`,
        [q(t), c],
      );
      sequences[t] = Number(r.rows[0]?.next ?? 1);
    }

    const results: MigratedTable[] = [];
    for (const t of tables) {
      const src = sourceDigests.get(t.name) ?? new Digest();
      const target = await digestTarget(client, t, src.rows, options);
      results.push({
        table: t.name,
        sourceRows: src.rows,
        targetRows: target.rows,
        sourceDigest: src.hex(),
        targetDigest: target.hex(),
        ok: src.rows === target.rows && src.hex() === target.hex(),
      });
    }
    const ok = results.every((r) => r.ok);
    if (ok) {
      await client.query('COMMIT');
      committed = true;
    }
    return { ok, tables: results, sequences };
  } finally {
    if (!committed) await client.query('ROLLBACK').catch(() => undefined);
  }
}

async function copyTable(
  source: Database.Database,
  client: pg.Client,
  t: TableInfo,
  options: MigrateOptions,
): Promise<Digest> {
  const total = Number((source.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n);
  const perBatch = Math.max(
    1,
    Math.min(options.batchRows ?? 1000, Math.floor(MAX_PARAMETERS / t.columns.length)),
  );
  const cols = t.columns.map(q).join(', ');
  const digest = new Digest();
  const read = source
    .prepare(`SELECT ${cols} FROM ${q(t.name)} ORDER BY ${t.order}`)
    .raw(true)
    // 64-bit integers whole (epoch keys are below 2^53, but the copy assumes nothing).
    .safeIntegers(true);
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const ps = row.map((v) => {
        values.push(typeof v === 'bigint' ? v.toString() : v);
        return `$${values.length}`;
      });
      return `(${ps.join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${q(t.name)} (${cols}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
      values,
    );
    batch = [];
    options.onProgress?.({ phase: 'copy', table: t.name, rows: digest.rows, total });
  };
  // The iterator stays open across the awaits: nothing else runs on the read-only connection.
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    digest.add(row);
    batch.push(row);
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  if (total === 0) options.onProgress?.({ phase: 'copy', table: t.name, rows: 0, total });
  return digest;
}

async function digestTarget(
  client: pg.Client,
  t: TableInfo,
  total: number,
  options: MigrateOptions,
): Promise<Digest> {
  const digest = new Digest();
  const cols = t.columns.map(q).join(', ');
  await client.query(`DECLARE migrate_verify NO SCROLL CURSOR FOR SELECT ${cols} FROM ${q(t.name)}`);
  for (;;) {
    const r = await client.query({ text: `FETCH ${CURSOR_ROWS} FROM migrate_verify`, rowMode: 'array' });
    for (const row of r.rows) digest.add(row);
    if (r.rows.length > 0) options.onProgress?.({ phase: 'verify', table: t.name, rows: digest.rows, total });
    if (r.rows.length < CURSOR_ROWS) break;
  }
  await client.query('CLOSE migrate_verify');
  return digest;
}
