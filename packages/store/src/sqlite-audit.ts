/**
 * The audit log in the catalog database (table audit_log, migration 0011_audit): append-only and
 * hash-chained (audit-chain.ts says what a walk detects and what needs an anchor).
 *
 * Append-only in SQLite: triggers refuse UPDATE and DELETE, and an INSERT that does not extend the
 * head (seq = max + 1, prev_hash = the head's hash). They stop mistakes and honest code, not an
 * attacker who can write the file (who drops them first); `verify` says when they are missing.
 *
 * One chain, never a fork: an append reads the head and inserts its successor inside one
 * `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock before the head is read, so a second
 * connection — in this process or another one on the same file — waits (busy timeout) and then
 * reads the new head. In one process appends also go through the store's operation queue, so that
 * they never land inside another operation's open transaction (an import spans awaits); entries
 * that arrive while the queue is busy are written together in one transaction (group commit);
 * SQLITE_BUSY after the busy timeout is retried with back-off for up to AUDIT_BUSY_RETRY_MS.
 *
 * Who acts: the actor passed to `append`, or the one of the current asynchronous context
 * (`runWithAuditActor`, an AsyncLocalStorage: the server runs each request in its principal's
 * context and the CLI in the user's), else the system.
 */
import type Database from 'better-sqlite3';
import {
  AUDIT_EXPORT_FORMAT,
  type AuditAnchor,
  type AuditCheckpoint,
  type AuditExportHeader,
  type AuditRecord,
  type AuditRecordInput,
  type AuditVerifyReport,
  makeAuditCheckpoint,
  verifyAuditChain,
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
} from './audit-sql.js';
import { StoreError } from './errors.js';

/** How long an append keeps retrying while another connection holds the write lock, ms. */
export const AUDIT_BUSY_RETRY_MS = 60_000;

export interface SqliteAuditLogOptions {
  /** Runs an operation in the store's queue (default: at once). */
  readonly serialise?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** ISO UTC time of an append (default the system clock). */
  readonly nowIso?: () => string;
  /**
   * Periodic checkpoints: every `records` appends, the new head is handed to `sink` (to be kept
   * elsewhere: a file on another disk, a partner), signed when `privateKeyPem` is given.
   */
  readonly checkpoints?: {
    readonly records: number;
    readonly sink: (checkpoint: AuditCheckpoint) => void;
    readonly privateKeyPem?: string;
  };
}

const TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_extends_head'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The audit log of a SQLite catalog database (one connection; see the header for concurrency). */
export class SqliteAuditLog implements AuditLog {
  readonly #db: Database.Database;
  readonly #serialise: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly #nowIso: () => string;
  readonly #checkpoints: SqliteAuditLogOptions['checkpoints'];
  #statements: { head: Database.Statement; insert: Database.Statement } | undefined;
  #pending: {
    entry: AuditAppend;
    resolve: (r: AuditRecord) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(db: Database.Database, options: SqliteAuditLogOptions = {}) {
    this.#db = db;
    this.#serialise = options.serialise ?? ((fn) => fn());
    this.#nowIso = options.nowIso ?? (() => new Date().toISOString());
    this.#checkpoints = options.checkpoints;
  }

  #prepared() {
    if (this.#statements === undefined) {
      this.#statements = {
        head: this.#db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
        insert: this.#db.prepare(
          `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ),
      };
    }
    return this.#statements;
  }

  /**
   * Appends a batch in one IMMEDIATE transaction: the head is read under the write lock, then each
   * record links to the one before it. All or none of the batch is stored.
   */
  #appendNow(entries: readonly AuditAppend[]): AuditRecord[] {
    const st = this.#prepared();
    const at = this.#nowIso();
    const run = this.#db.transaction((): AuditRecord[] => {
      const chained = chainAuditEntries(this.#headNow(), entries, at);
      for (const { record, detailsText } of chained) st.insert.run(...auditRowValues(record, detailsText));
      return chained.map((c) => c.record);
    });
    return run.immediate();
  }

  #readOnly(): void {
    if (this.#db.readonly) {
      throw new StoreError(
        'STORE_READ_ONLY',
        `cannot append to the audit log: ${this.#db.name} was opened read-only`,
        {
          path: this.#db.name,
        },
      );
    }
  }

  /**
   * Queues the entry; the queued entries are written together (group commit) at the store's next
   * turn, so that many concurrent requests cost one transaction, not one each.
   */
  append(entry: AuditAppend): Promise<AuditRecord> {
    // The actor is read here, in the caller's context, not later inside the queue.
    const withActor: AuditAppend = { ...entry, actor: entry.actor ?? currentAuditActor() };
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#pending.push({ entry: withActor, resolve, reject });
      if (this.#pending.length > 1) return;
      this.#serialise(() => this.#flush()).catch((e: unknown) => {
        // The queue refused the flush (store closed): fail what waits.
        const batch = this.#pending;
        this.#pending = [];
        for (const p of batch) p.reject(e);
      });
    });
  }

  /** Writes every queued entry in one transaction, retrying while another writer holds the lock. */
  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      this.#readOnly();
      const deadline = Date.now() + AUDIT_BUSY_RETRY_MS;
      for (let wait = 20; ; wait = Math.min(wait * 2, 1000)) {
        try {
          const records = this.#appendNow(batch.map((p) => p.entry));
          for (const r of records) this.#periodicCheckpoint(r);
          for (let i = 0; i < batch.length; i++) batch[i]?.resolve(records[i] as AuditRecord);
          return;
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() > deadline) {
            if (code === 'SQLITE_BUSY') {
              throw new StoreError(
                'STORE_BUSY',
                'the audit log stayed locked by another writer',
                {},
                { cause: e },
              );
            }
            throw e;
          }
          await sleep(wait);
        }
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  #periodicCheckpoint(record: AuditRecord): void {
    const c = this.#checkpoints;
    if (c === undefined || c.records <= 0 || record.seq % c.records !== 0) return;
    // The record is committed: a failing checkpoint must not turn its append into a failure.
    try {
      c.sink(makeAuditCheckpoint({ seq: record.seq, hash: record.hash }, record.at, c.privateKeyPem));
    } catch (e) {
      process.emitWarning(`audit checkpoint at record ${record.seq} failed: ${(e as Error).message}`);
    }
  }

  head(): Promise<AuditAnchor | null> {
    return this.#serialise(async () => this.#headNow());
  }

  #headNow(): AuditAnchor | null {
    const h = this.#prepared().head.get() as { seq: number; hash: string } | undefined;
    return h === undefined ? null : { seq: h.seq, hash: h.hash };
  }

  list(query: AuditListQuery = {}): Promise<AuditRecord[]> {
    return this.#serialise(async () => {
      const limit = Math.max(0, Math.floor(query.limit ?? 100));
      const rows =
        query.fromSeq === undefined
          ? (this.#db
              .prepare('SELECT * FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq')
              .all(limit) as AuditRow[])
          : (this.#db
              .prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?')
              .all(query.fromSeq, limit) as AuditRow[]);
      return rows.map((r) => auditRecordFromRow(r).record);
    });
  }

  verify(options: { readonly expectedHead?: AuditAnchor } = {}): Promise<AuditVerifyReport> {
    return this.#serialise(async () => {
      const present = new Set(
        (
          this.#db
            .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
            .all() as { name: string }[]
        ).map((r) => r.name),
      );
      const missing = TRIGGERS.filter((t) => !present.has(t));
      const table = this.#db
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'`)
        .get();
      if (table === undefined) {
        // The schema says the log exists (migration 0011 applied): someone removed it.
        return {
          ok: false,
          checked: 0,
          firstSeq: null,
          head: null,
          problem: { seq: 1, kind: 'truncated', message: 'the audit_log table is missing from the database' },
          warnings: [],
        };
      }
      // One read transaction: the walk sees one snapshot while other connections append.
      const walk = this.#db.transaction(() => {
        const rows = this.#db
          .prepare('SELECT * FROM audit_log ORDER BY seq')
          .iterate() as IterableIterator<AuditRow>;
        function* records(): Generator<AuditRecordInput> {
          for (const r of rows) yield auditRecordFromRow(r, false);
        }
        return verifyAuditChain(
          records(),
          options.expectedHead === undefined ? {} : { expectedHead: options.expectedHead },
        );
      });
      const report = walk.deferred();
      if (missing.length === 0) return report;
      return {
        ...report,
        warnings: [
          ...report.warnings,
          `append-only triggers missing (${missing.join(', ')}): someone with write access to the file removed them`,
        ],
      };
    });
  }

  exportLines(
    write: (line: string) => void,
    options: { readonly from?: number } = {},
  ): Promise<AuditExportHeader> {
    return this.#serialise(async () => {
      const from = Math.max(1, Math.floor(options.from ?? 1));
      const run = this.#db.transaction((): AuditExportHeader => {
        const head = this.#headNow();
        const header: AuditExportHeader = {
          format: AUDIT_EXPORT_FORMAT,
          from,
          head: head === null || head.seq < from ? null : head,
          exportedAt: this.#nowIso(),
        };
        write(JSON.stringify(header));
        if (header.head === null) return header;
        const rows = this.#db
          .prepare('SELECT * FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq')
          .iterate(from, header.head.seq) as IterableIterator<AuditRow>;
        for (const r of rows) write(auditExportLine(r));
        return header;
      });
      return run.deferred();
    });
  }

  checkpoint(privateKeyPem?: string): Promise<AuditCheckpoint | null> {
    return appendAuditCheckpoint(this, this.#nowIso(), privateKeyPem);
  }
}
