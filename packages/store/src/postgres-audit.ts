/**
 * The audit log in a PostgreSQL catalog database: the table, chain and checks of sqlite-audit.ts
 * (audit-sql.ts holds what both share), for several server processes on several machines writing
 * to one database.
 *
 * One chain, never a fork: an append runs in a transaction that first takes a transaction-level
 * advisory lock (AUDIT_LOCK), then reads the head and inserts its successors; a second writer — a
 * connection of this pool, of another pool, of another process or machine — waits on the lock and
 * reads the new head once the first has committed (READ COMMITTED: each statement sees what was
 * committed before it began). The append-only triggers of migration 0011 refuse UPDATE, DELETE,
 * TRUNCATE and an INSERT that does not extend the head, so a writer that skipped the lock would be
 * refused, not fork the chain. Entries that arrive while an append is in flight are written
 * together in the next transaction (group commit).
 *
 * Reads of a whole log (verify, export) run in one REPEATABLE READ READ ONLY transaction, so they
 * see one snapshot while other servers append, and read it page by page (VERIFY_PAGE_ROWS).
 */
import type pg from 'pg';
import {
  AUDIT_EXPORT_FORMAT,
  type AuditAnchor,
  type AuditCheckpoint,
  type AuditExportHeader,
  type AuditRecord,
  type AuditVerifyReport,
  makeAuditCheckpoint,
} from './audit-chain.js';
import { type AuditAppend, type AuditListQuery, type AuditLog, currentAuditActor } from './audit-log.js';
import {
  AUDIT_COLUMNS,
  type AuditRow,
  appendAuditCheckpoint,
  auditExportLine,
  auditRecordFromRow,
  auditRowValues,
  chainAuditEntries,
  verifyAuditPages,
} from './audit-sql.js';
import type { SqliteAuditLogOptions } from './sqlite-audit.js';

/** Key of the advisory lock that serialises appends to the audit log ("audit" in ASCII). */
export const AUDIT_LOCK = 0x6175646974;

/** Rows read per query when the whole log is walked or exported. */
const VERIFY_PAGE_ROWS = 5000;

/** Records per append transaction at most (12 parameters each; PostgreSQL takes 65,535). */
const MAX_BATCH = 1000;

/** The append-only triggers of migration 0011 on PostgreSQL. */
const TRIGGERS = [
  'audit_log_no_update',
  'audit_log_no_delete',
  'audit_log_no_truncate',
  'audit_log_extends_head',
] as const;

export interface PostgresAuditLogOptions {
  /** Runs an operation unless the store is closed (rejects with STORE_CLOSED). */
  readonly guard: <T>(fn: () => Promise<T>) => Promise<T>;
  /** ISO UTC time of an append (default the system clock). */
  readonly nowIso?: () => string;
  /** Periodic checkpoints (see SqliteAuditLogOptions). */
  readonly checkpoints?: SqliteAuditLogOptions['checkpoints'];
}

interface Pending {
  readonly entry: AuditAppend;
  readonly resolve: (r: AuditRecord) => void;
  readonly reject: (e: unknown) => void;
}

/** The audit log of a PostgreSQL catalog database (see the module header). */
export class PostgresAuditLog implements AuditLog {
  readonly #pool: pg.Pool;
  readonly #o: PostgresAuditLogOptions;
  readonly #nowIso: () => string;
  #pending: Pending[] = [];
  /** The append transaction in flight (and those queued behind it), for `drain`. */
  #flushing: Promise<void> | null = null;

  constructor(pool: pg.Pool, options: PostgresAuditLogOptions) {
    this.#pool = pool;
    this.#o = options;
    this.#nowIso = options.nowIso ?? (() => new Date().toISOString());
  }

  /** Resolves when every append accepted so far is written (the store waits for it on close). */
  async drain(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
  }

  append(entry: AuditAppend): Promise<AuditRecord> {
    // The actor is read here, in the caller's context, not later in the flush.
    const withActor: AuditAppend = { ...entry, actor: entry.actor ?? currentAuditActor() };
    return this.#o.guard(
      () =>
        new Promise<AuditRecord>((resolve, reject) => {
          this.#pending.push({ entry: withActor, resolve, reject });
          this.#kick();
        }),
    );
  }

  /** Starts a flush unless one is running; entries queued after its last check start the next. */
  #kick(): void {
    if (this.#flushing !== null || this.#pending.length === 0) return;
    this.#flushing = this.#flushAll().finally(() => {
      this.#flushing = null;
      this.#kick();
    });
  }

  /** Writes queued entries, a transaction per batch, until none is left. */
  async #flushAll(): Promise<void> {
    // Let the appends of the current turn join the first batch.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      try {
        const records = await this.#appendNow(batch.map((p) => p.entry));
        for (const r of records) this.#periodicCheckpoint(r);
        for (let i = 0; i < batch.length; i++) batch[i]?.resolve(records[i] as AuditRecord);
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  async #appendNow(entries: readonly AuditAppend[]): Promise<AuditRecord[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [AUDIT_LOCK]);
        const head = await headOf(client);
        const chained = chainAuditEntries(head, entries, this.#nowIso());
        // One multi-row INSERT: the trigger sees the rows of the statement inserted before each one.
        const values: unknown[] = [];
        const tuples = chained.map(({ record, detailsText }) => {
          const row = auditRowValues(record, detailsText);
          const first = values.length;
          values.push(...row);
          return `(${row.map((_, k) => `$${first + k + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${tuples.join(', ')}`, values);
        await client.query('COMMIT');
        return chained.map((c) => c.record);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      client.release();
    }
  }

  #periodicCheckpoint(record: AuditRecord): void {
    const c = this.#o.checkpoints;
    if (c === undefined || c.records <= 0 || record.seq % c.records !== 0) return;
    // The record is committed: a failing checkpoint must not turn its append into a failure.
    try {
      c.sink(makeAuditCheckpoint({ seq: record.seq, hash: record.hash }, record.at, c.privateKeyPem));
    } catch (e) {
      process.emitWarning(`audit checkpoint at record ${record.seq} failed: ${(e as Error).message}`);
    }
  }

  head(): Promise<AuditAnchor | null> {
    return this.#o.guard(() => headOf(this.#pool));
  }

  list(query: AuditListQuery = {}): Promise<AuditRecord[]> {
    return this.#o.guard(async () => {
      const limit = Math.max(0, Math.floor(query.limit ?? 100));
      const r =
        query.fromSeq === undefined
          ? await this.#pool.query<AuditRow>(
              'SELECT * FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1) AS newest ORDER BY seq',
              [limit],
            )
          : await this.#pool.query<AuditRow>(
              'SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2',
              [query.fromSeq, limit],
            );
      return r.rows.map((row) => auditRecordFromRow(row).record);
    });
  }

  /** Runs `fn` in a REPEATABLE READ READ ONLY transaction: one snapshot for all its reads. */
  async #snapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(client);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  verify(options: { readonly expectedHead?: AuditAnchor } = {}): Promise<AuditVerifyReport> {
    return this.#o.guard(() =>
      this.#snapshot(async (client) => {
        const table = await client.query<{ t: string | null }>("SELECT to_regclass('audit_log')::text AS t");
        if (table.rows[0]?.t == null) {
          // The schema says the log exists (migration 0011 applied): someone removed it.
          return {
            ok: false,
            checked: 0,
            firstSeq: null,
            head: null,
            problem: {
              seq: 1,
              kind: 'truncated',
              message: 'the audit_log table is missing from the database',
            },
            warnings: [],
          };
        }
        const triggers = await client.query<{ tgname: string }>(
          "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
        );
        const present = new Set(triggers.rows.map((r) => r.tgname));
        const missing = TRIGGERS.filter((t) => !present.has(t));
        const report = await verifyAuditPages(async (afterSeq) => {
          const r = await client.query<AuditRow>(
            'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
            [afterSeq, VERIFY_PAGE_ROWS],
          );
          return r.rows.map((row) => auditRecordFromRow(row, false));
        }, options);
        if (missing.length === 0) return report;
        return {
          ...report,
          warnings: [
            ...report.warnings,
            `append-only triggers missing or disabled (${missing.join(', ')}): someone with owner rights on the table removed them`,
          ],
        };
      }),
    );
  }

  exportLines(
    write: (line: string) => void,
    options: { readonly from?: number } = {},
  ): Promise<AuditExportHeader> {
    return this.#o.guard(() =>
      this.#snapshot(async (client) => {
        const from = Math.max(1, Math.floor(options.from ?? 1));
        const head = await headOf(client);
        const header: AuditExportHeader = {
          format: AUDIT_EXPORT_FORMAT,
          from,
          head: head === null || head.seq < from ? null : head,
          exportedAt: this.#nowIso(),
        };
        write(JSON.stringify(header));
        if (header.head === null) return header;
        for (let after = from - 1; after < header.head.seq; ) {
          const r = await client.query<AuditRow>(
            'SELECT * FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
            [after, header.head.seq, VERIFY_PAGE_ROWS],
          );
          const last = r.rows[r.rows.length - 1];
          if (last === undefined) break;
          for (const row of r.rows) write(auditExportLine(row));
          after = last.seq;
        }
        return header;
      }),
    );
  }

  checkpoint(privateKeyPem?: string): Promise<AuditCheckpoint | null> {
    return appendAuditCheckpoint(this, this.#nowIso(), privateKeyPem);
  }
}

async function headOf(q: pg.Pool | pg.ClientBase): Promise<AuditAnchor | null> {
  const r = await q.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const h = r.rows[0];
  return h === undefined ? null : { seq: h.seq, hash: h.hash };
}
