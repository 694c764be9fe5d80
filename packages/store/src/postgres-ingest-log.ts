/**
 * The PostgreSQL import's shared pieces (postgres-import.ts, postgres-satcat-import.ts): the
 * advisory lock that serialises writers of element sets and objects, the ingest log's statements,
 * and doubles as text that reads back exactly.
 */
import type { Marking, ParseIssue } from '@hoshimi/astro';
import type pg from 'pg';
import { markingColumns } from './marking-sql.js';

/** Key of the advisory lock that serialises writers of element sets and objects (see the header). */
export const IMPORT_LOCK = 0x486f736869; // "Hoshi" in ASCII

/** Takes IMPORT_LOCK for the rest of the open transaction. */
export async function lockImports(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [IMPORT_LOCK]);
}

/**
 * Whether a driver error means the session is gone: SQLSTATE class 08 (connection exception),
 * 57P01..57P03 (administrator or crash shutdown, server starting or stopping), node-postgres's own
 * "Connection terminated" errors, or a socket error of the operating system.
 */
export function connectionLost(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) return true;
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && /^Connection terminated/.test(message);
}

/** A double as float8 text that reads back to the same double (`-0` included). */
export function float8Text(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

export const floatOrNull = (v: number | undefined | null) =>
  v === undefined || v === null ? null : float8Text(v);

/** The ingest log's statements on a connection (also used by the SATCAT import). */
export const ingestLog = {
  async insert(
    client: pg.ClientBase,
    g: {
      name: string;
      sha256: string;
      source: string;
      label: string;
      format: string | null;
      startedAt: string;
      marking: Marking;
    },
  ): Promise<number> {
    const r = await client.query<{ id: number }>(
      `INSERT INTO ingests (name, sha256, source, label, format, started_at, status,
         mk_classification, mk_release, mk_originator, mk_data_mode)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9, $10) RETURNING id`,
      [g.name, g.sha256, g.source, g.label, g.format, g.startedAt, ...markingColumns(g.marking)],
    );
    return r.rows[0]!.id;
  },
  async issues(
    client: pg.ClientBase,
    ingestId: number,
    severity: 'rejected' | 'warning',
    issues: readonly ParseIssue[],
  ): Promise<void> {
    if (issues.length === 0) return;
    const col = <T>(f: (i: ParseIssue) => T) => issues.map(f);
    await client.query(
      `INSERT INTO ingest_rejections (ingest_id, severity, file, line, "column", key, code, message, expected, found)
       SELECT $1::integer, $2::text, u.file, u.line, u.col, u.key, u.code, u.message, u.expected, u.found
       FROM unnest($3::text[], $4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::text[],
         $10::text[]) WITH ORDINALITY AS u(file, line, col, key, code, message, expected, found, ord)
       ORDER BY u.ord`,
      [
        ingestId,
        severity,
        col((i) => i.file ?? null),
        col((i) => i.line ?? null),
        col((i) => i.column ?? null),
        col((i) => i.key ?? null),
        col((i) => i.code),
        col((i) => i.message),
        col((i) => i.expected ?? null),
        col((i) => i.found ?? null),
      ],
    );
  },
  async finish(
    client: pg.ClientBase,
    ingestId: number,
    f: {
      format: string | null;
      finishedAt: string;
      status: string;
      read: number;
      inserted: number;
      duplicates: number;
      newObjects: number;
      rejected: number;
    },
  ): Promise<void> {
    await client.query(
      `UPDATE ingests SET format = $1, finished_at = $2, status = $3, read_count = $4, inserted_count = $5,
         duplicate_count = $6, new_object_count = $7, rejected_count = $8 WHERE id = $9`,
      [
        f.format,
        f.finishedAt,
        f.status,
        f.read,
        f.inserted,
        f.duplicates,
        f.newObjects,
        f.rejected,
        ingestId,
      ],
    );
  },
};
