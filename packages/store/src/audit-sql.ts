/**
 * What the audit logs of both stores share (sqlite-audit.ts, postgres-audit.ts): the table's row,
 * a row read back as a record, entries turned into linked records from a head, an export line
 * that keeps the stored details text verbatim, a checkpoint appended as a record, and a walk of the
 * chain read page by page from a database (verifyAuditChain is synchronous; a PostgreSQL read is
 * not).
 */
import {
  AUDIT_GENESIS_HASH,
  type AuditAnchor,
  type AuditCheckpoint,
  type AuditOutcome,
  type AuditRecord,
  type AuditRecordInput,
  type AuditVerifyReport,
  type AuditVia,
  auditRecordHash,
  auditRecordToJson,
  canonicalJson,
  makeAuditCheckpoint,
  redactSecrets,
  verifyAuditChain,
} from './audit-chain.js';
import { type AuditAppend, type AuditLog, currentAuditActor } from './audit-log.js';

/** A row of audit_log (migration 0011_audit). */
export interface AuditRow {
  seq: number;
  at: string;
  actor_username: string | null;
  actor_organisation: string | null;
  actor_via: string;
  action: string;
  target: string | null;
  outcome: string;
  status: number | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The columns of audit_log in insert order. */
export const AUDIT_COLUMNS =
  'seq, at, actor_username, actor_organisation, actor_via, action, target, outcome, status, details, prev_hash, hash';

/** Longest action and target kept (longer ones are cut, with a mark): hostile URLs stay bounded. */
const MAX_TEXT = 512;

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…[${text.length - MAX_TEXT} more]`;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const NOT_PARSED: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * A stored row as a record, with its details text exactly as stored (what was hashed). `parse`
 * false leaves details unparsed (empty): a walk hashes the text and needs no object.
 */
export function auditRecordFromRow(r: AuditRow, parse = true): AuditRecordInput {
  return {
    record: {
      seq: r.seq,
      at: r.at,
      actor: { username: r.actor_username, organisation: r.actor_organisation, via: r.actor_via as AuditVia },
      action: r.action,
      target: r.target,
      outcome: r.outcome as AuditOutcome,
      status: r.status,
      details: parse ? parseDetails(r.details) : NOT_PARSED,
      prevHash: r.prev_hash,
      hash: r.hash,
    },
    detailsText: r.details,
  };
}

/** A record's column values in AUDIT_COLUMNS order. */
export function auditRowValues(r: AuditRecord, detailsText: string): unknown[] {
  return [
    r.seq,
    r.at,
    r.actor.username,
    r.actor.organisation,
    r.actor.via,
    r.action,
    r.target,
    r.outcome,
    r.status,
    detailsText,
    r.prevHash,
    r.hash,
  ];
}

/**
 * The records that extend `head` (null: an empty log) with `entries`, in order, all at time `at`;
 * details redacted and canonical. The caller stores them while holding the log's write lock.
 */
export function chainAuditEntries(
  head: AuditAnchor | null,
  entries: readonly AuditAppend[],
  at: string,
): { readonly record: AuditRecord; readonly detailsText: string }[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
  return entries.map((entry) => {
    const actor = entry.actor ?? currentAuditActor();
    const detailsText = canonicalJson(redactSecrets(entry.details));
    const unhashed = {
      seq: ++seq,
      at,
      actor: { username: actor.username, organisation: actor.organisation, via: actor.via },
      action: clip(entry.action),
      target: entry.target === null ? null : clip(entry.target),
      outcome: entry.outcome,
      status: entry.status,
      details: JSON.parse(detailsText) as Record<string, unknown>,
      prevHash,
    };
    const hash = auditRecordHash(unhashed, detailsText);
    prevHash = hash;
    return { record: { ...unhashed, hash }, detailsText };
  });
}

/** An export line of a stored row: the stored details text, verbatim, so it hashes as the row did. */
export function auditExportLine(r: AuditRow): string {
  const { record, detailsText } = auditRecordFromRow(r);
  const { details: _parsed, ...rest } = auditRecordToJson(record);
  return `${JSON.stringify(rest).slice(0, -1)},"details":${detailsText}}`;
}

/**
 * The current head as a checkpoint (signed when a key is given), then an 'audit.checkpoint' record
 * naming it appended to `log`. Null when the log is empty.
 */
export async function appendAuditCheckpoint(
  log: AuditLog,
  at: string,
  privateKeyPem?: string,
): Promise<AuditCheckpoint | null> {
  const head = await log.head();
  if (head === null) return null;
  const cp = makeAuditCheckpoint(head, at, privateKeyPem);
  await log.append({
    action: 'audit.checkpoint',
    target: `${head.seq}:${head.hash}`,
    outcome: 'allowed',
    status: null,
    details: { signed: cp.signature !== undefined },
  });
  return cp;
}

/**
 * verifyAuditChain over a log read in pages: `page(afterSeq)` returns the next rows in sequence
 * order with seq > afterSeq (empty at the end), all from one snapshot. Each page is walked from
 * where the previous one ended, so the report is the one a single walk would give, except that a
 * swap of the last record of one page with the first of the next is reported as a broken link, not
 * as a reorder (the walk does not look across a page).
 */
export async function verifyAuditPages(
  page: (afterSeq: number) => Promise<readonly AuditRecordInput[]>,
  options: { readonly expectedHead?: AuditAnchor } = {},
): Promise<AuditVerifyReport> {
  const anchor = options.expectedHead;
  let startSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let checked = 0;
  let firstSeq: number | null = null;
  let head: AuditAnchor | null = null;
  let anchorSeen = false;
  let afterSeq = 0;
  for (;;) {
    const rows = await page(afterSeq);
    const last = rows[rows.length - 1];
    if (last === undefined) break;
    afterSeq = last.record.seq;
    // The anchor is checked on the page that must hold it if the page is sound.
    const anchorHere = anchor !== undefined && anchor.seq >= startSeq && anchor.seq < startSeq + rows.length;
    const r = verifyAuditChain(rows, {
      startSeq,
      startPrevHash: prevHash,
      ...(anchorHere ? { expectedHead: anchor } : {}),
    });
    checked += r.checked;
    firstSeq ??= r.firstSeq;
    if (r.head !== null) head = r.head;
    if (!r.ok) return { ok: false, checked, firstSeq, head, problem: r.problem, warnings: [] };
    if (anchorHere) anchorSeen = true;
    startSeq += rows.length;
    prevHash = head?.hash ?? prevHash;
  }
  // The end of the chain: an unseen anchor means a cut-off tail; no anchor, the usual warning.
  const end = verifyAuditChain([], {
    startSeq,
    startPrevHash: prevHash,
    ...(anchor !== undefined && !anchorSeen ? { expectedHead: anchor } : {}),
  });
  return {
    ok: end.ok,
    checked,
    firstSeq,
    head,
    problem: end.problem,
    warnings: anchor === undefined ? end.warnings : [],
  };
}
