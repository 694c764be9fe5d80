/**
 * The audit chain, independent of where it is stored: the record, its canonical serialisation and
 * SHA-256 hash, the verifier that walks a chain and names the first bad record, and checkpoints
 * (anchors) signed with Ed25519. The logs of both stores (sqlite-audit.ts, postgres-audit.ts) and
 * an exported JSON Lines file are all checked here, by the same code.
 *
 * Construction: a hash chain (linked timestamping, Haber & Stornetta, "How to time-stamp a digital
 * document", J. Cryptology 3, 1991): record n carries prev_hash = hash of record n−1 (64 hex zeros
 * for record 1) and hash = SHA-256 of the canonical serialisation of its own fields and prev_hash.
 * Unlike Schneier & Kelsey ("Secure audit logs to support computer forensics", 1999) no secret key
 * enters the hash, so anyone can verify a log, and anyone who can write the file can also rewrite a
 * whole chain consistently. What a walk detects, and what it needs an anchor for:
 * - without anchor: an edited record whose hash was not recomputed (hash-mismatch at that record),
 *   a record deleted in the middle (sequence-gap, or broken-link when the later records were
 *   renumbered), two records swapped (reordered), a record inserted (broken-link);
 * - only with an anchor (an expected head {seq, hash} kept OUTSIDE the attacker's reach: printed,
 *   sent to a partner, a checkpoint file on another machine, signed with a key the attacker does
 *   not hold): the tail cut off (truncated), and a chain rewritten consistently from some record
 *   on (anchor-mismatch at the anchor's sequence number; the first rewritten record can be found
 *   only against an older export, not from the log alone);
 * - never: records that were not written (an attacker who controls the process before the append),
 *   and appends after the last anchor that were replaced wholesale before anyone anchored them.
 */
import { createPrivateKey, createPublicKey, hash, sign, verify } from 'node:crypto';

/** How an actor authenticated: console session, API token, the command line, the system itself, nobody. */
export const AUDIT_VIAS = ['session', 'token', 'cli', 'system', 'anonymous'] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

/** allowed: done; denied: refused (401, 403, 404, 429); failed: tried and broke (other 4xx, 5xx, errors). */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditActor {
  readonly username: string | null;
  /** Organisation code of the actor (astro `Reader.organisation`), null when unknown. */
  readonly organisation: string | null;
  readonly via: AuditVia;
}

/** What a caller appends; the log adds seq, at, prevHash and hash. */
export interface AuditEntry {
  readonly actor: AuditActor;
  /** What was done: 'http.GET /objects/25544', 'store.import', 'job.submit', ... */
  readonly action: string;
  /** What it was done to (ingest name, job id, watch list id, ...), null when nothing in particular. */
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  /** The HTTP status of a request; null for other actions. */
  readonly status: number | null;
  /** JSON details; secrets never (see redactSecrets). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** One record of the chain. */
export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3, ... without gaps. */
  readonly seq: number;
  /** ISO UTC time of the append. */
  readonly at: string;
  /** Hash of record seq − 1 (AUDIT_GENESIS_HASH for record 1), hex. */
  readonly prevHash: string;
  /** SHA-256 of the canonical serialisation (auditRecordHash), hex. */
  readonly hash: string;
}

/** A point of the chain that must be there: record `seq` with hash `hash`. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** prev_hash of record 1. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
/** Version tag inside every record's hash input; a new serialisation gets a new tag. */
export const AUDIT_RECORD_FORMAT = 'hoshimi-audit/1';
export const AUDIT_EXPORT_FORMAT = 'hoshimi-audit-export/1';
export const AUDIT_CHECKPOINT_FORMAT = 'hoshimi-audit-checkpoint/1';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers as JavaScript prints them
 * (shortest round trip), undefined members left out, non-finite numbers as null. Parsing the text
 * and serialising again gives the same text, so an exported record hashes as it did in the log.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Keys whose values are never written to the log (case-insensitive, anywhere in the key). */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|cookie|authori[sz]ation|csrf|session|api[-_]?key|private[-_]?key|credential/i;
/** Value written in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * A copy of `details` with the value of every key that names a secret (password, token, cookie,
 * authorization, csrf, session, api key, private key, credential) replaced by '[redacted]', at any
 * depth. A second line of defence: callers build details from known, non-secret fields.
 */
export function redactSecrets(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object' || depth > 16) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? REDACTED : walk(x, depth + 1);
    }
    return out;
  };
  return walk(details, 0) as Record<string, unknown>;
}

/** The exact bytes hashed for a record: a JSON array of its fields in a fixed order. */
export function auditHashInput(r: Omit<AuditRecord, 'hash'>, detailsText = canonicalJson(r.details)): string {
  return JSON.stringify([
    AUDIT_RECORD_FORMAT,
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
  ]);
}

/** SHA-256 (hex) of a record's canonical serialisation, prev_hash included. */
export function auditRecordHash(r: Omit<AuditRecord, 'hash'>, detailsText?: string): string {
  // One-shot hash (Node ≥ 20.12): no Hash object per record.
  return hash('sha256', auditHashInput(r, detailsText), 'hex');
}

/** What is wrong at the first bad record. */
export type AuditProblemKind =
  /** The record's fields do not hash to its stored hash: it was edited. */
  | 'hash-mismatch'
  /** prev_hash is not the previous record's hash: a record before it was deleted, inserted or rewritten. */
  | 'broken-link'
  /** A sequence number is missing: records were deleted. */
  | 'sequence-gap'
  /** Records are out of order (swapped or moved). */
  | 'reordered'
  /** The chain ends before the anchor: its tail was cut off. */
  | 'truncated'
  /** The record at the anchor's sequence number has another hash: the chain was rewritten up to there. */
  | 'anchor-mismatch'
  /** A record (or export line) that is not a well-formed record. */
  | 'malformed';

export interface AuditProblem {
  /** Sequence number of the first bad (or first missing) record. */
  readonly seq: number;
  readonly kind: AuditProblemKind;
  readonly message: string;
}

export interface AuditVerifyReport {
  /** True when no problem was found (see `warnings` for what was not checked). */
  readonly ok: boolean;
  /** Records walked. */
  readonly checked: number;
  /** Sequence numbers walked, null when none. */
  readonly firstSeq: number | null;
  /** The last good record before the problem, or the head when ok. */
  readonly head: AuditAnchor | null;
  readonly problem: AuditProblem | null;
  /** What could not be checked (e.g. an anchor outside the walked range, missing triggers). */
  readonly warnings: readonly string[];
}

export interface AuditVerifyOptions {
  /** Sequence number the walk must start at (1 for a whole log; an export's `from`). */
  readonly startSeq?: number;
  /**
   * prev_hash the first record must carry; default AUDIT_GENESIS_HASH when startSeq is 1, else
   * taken from the first record (an export from the middle proves continuity from its first record).
   */
  readonly startPrevHash?: string;
  /** The record that must be present with this hash (detects truncation and consistent rewrites). */
  readonly expectedHead?: AuditAnchor;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses 'SEQ:HASH' (an anchor as the CLI takes it); null when malformed. */
export function parseAuditAnchor(text: string): AuditAnchor | null {
  const m = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (m === null) return null;
  return { seq: Number(m[1]), hash: (m[2] as string).toLowerCase() };
}

export function formatAuditAnchor(a: AuditAnchor): string {
  return `${a.seq}:${a.hash}`;
}

/** A record as read back, with the details text exactly as stored (null: recompute canonically). */
export interface AuditRecordInput {
  readonly record: AuditRecord;
  readonly detailsText?: string;
}

/**
 * Walks records in the order given and reports the first problem. Each record must carry the next
 * sequence number, link to its predecessor's hash and hash to its own stored hash; then the anchor,
 * when given, must be inside the walked chain with its hash. Streaming: holds two records at a time.
 */
export function verifyAuditChain(
  records: Iterable<AuditRecord | AuditRecordInput>,
  options: AuditVerifyOptions = {},
): AuditVerifyReport {
  const it = records[Symbol.iterator]();
  try {
    return walkChain(it, options);
  } finally {
    // Closes a database cursor left open by an early return.
    it.return?.();
  }
}

interface WalkState {
  checked: number;
  firstSeq: number | null;
  head: AuditAnchor | null;
}

function walkChain(
  it: Iterator<AuditRecord | AuditRecordInput>,
  options: AuditVerifyOptions,
): AuditVerifyReport {
  const warnings: string[] = [];
  const anchor = options.expectedHead;
  let expectedSeq = options.startSeq ?? 1;
  let prevHash: string | null = options.startPrevHash ?? (expectedSeq === 1 ? AUDIT_GENESIS_HASH : null);
  const state: WalkState = { checked: 0, firstSeq: null, head: null };
  let anchorSeen = false;
  const report = (problem: AuditProblem | null): AuditVerifyReport => ({
    ok: problem === null,
    ...state,
    problem,
    warnings,
  });
  const unwrap = (x: AuditRecord | AuditRecordInput): AuditRecordInput => ('record' in x ? x : { record: x });
  let nextItem = it.next();
  while (nextItem.done !== true) {
    const { record: r, detailsText } = unwrap(nextItem.value);
    nextItem = it.next();
    const malformed = malformedReason(r);
    if (malformed !== null) {
      return report({ seq: expectedSeq, kind: 'malformed', message: `record ${expectedSeq}: ${malformed}` });
    }
    if (state.firstSeq === null) state.firstSeq = r.seq;
    if (r.seq !== expectedSeq) {
      const next = nextItem.done === true ? null : unwrap(nextItem.value).record;
      if (r.seq > expectedSeq && next?.seq !== expectedSeq) {
        const missing = r.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}..${r.seq - 1}`;
        return report({
          seq: expectedSeq,
          kind: 'sequence-gap',
          message: `record ${missing} missing: record ${r.seq} follows record ${expectedSeq - 1} (records were deleted)`,
        });
      }
      return report({
        seq: expectedSeq,
        kind: 'reordered',
        message: `record ${r.seq} found where record ${expectedSeq} was expected (records out of order)`,
      });
    }
    if (prevHash !== null && r.prevHash !== prevHash) {
      const next = nextItem.done === true ? null : unwrap(nextItem.value).record;
      const swapped = next !== null && next.hash === r.prevHash;
      return report({
        seq: r.seq,
        kind: swapped ? 'reordered' : 'broken-link',
        message: swapped
          ? `record ${r.seq} links to the record stored as ${r.seq + 1}: the two were swapped`
          : `record ${r.seq}: prev_hash ${short(r.prevHash)} is not the hash of record ${r.seq - 1} (${short(prevHash)}): a record before it was deleted, inserted or rewritten`,
      });
    }
    const computed = auditRecordHash(r, detailsText);
    if (computed !== r.hash) {
      return report({
        seq: r.seq,
        kind: 'hash-mismatch',
        message: `record ${r.seq}: its fields hash to ${short(computed)}, stored hash ${short(r.hash)} (the record was edited)`,
      });
    }
    if (anchor !== undefined && r.seq === anchor.seq) {
      anchorSeen = true;
      if (r.hash !== anchor.hash) {
        return report({
          seq: r.seq,
          kind: 'anchor-mismatch',
          message: `record ${r.seq} has hash ${short(r.hash)}, the anchor says ${short(anchor.hash)}: the chain was rewritten at or before record ${r.seq}`,
        });
      }
    }
    prevHash = r.hash;
    state.head = { seq: r.seq, hash: r.hash };
    state.checked++;
    expectedSeq++;
  }
  if (anchor !== undefined && !anchorSeen) {
    const start = options.startSeq ?? 1;
    if (anchor.seq < start) {
      warnings.push(
        `the anchor (record ${anchor.seq}) lies before the walked records (from ${start}): not checked`,
      );
    } else {
      return report({
        seq: expectedSeq,
        kind: 'truncated',
        message: `the chain ends at record ${expectedSeq - 1}, the anchor names record ${anchor.seq}: records ${expectedSeq}..${anchor.seq} or more were cut off`,
      });
    }
  }
  if (anchor === undefined) {
    warnings.push('no anchor given: a cut-off tail or a consistently rewritten chain cannot be detected');
  }
  return report(null);
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

function malformedReason(r: AuditRecord): string | null {
  if (!Number.isSafeInteger(r.seq) || r.seq < 1) return 'seq is not a positive integer';
  if (typeof r.at !== 'string') return 'at is not a string';
  if (typeof r.action !== 'string') return 'action is not a string';
  if (typeof r.prevHash !== 'string' || !HEX64.test(r.prevHash)) return 'prev_hash is not 64 hex digits';
  if (typeof r.hash !== 'string' || !HEX64.test(r.hash)) return 'hash is not 64 hex digits';
  if (r.actor === null || typeof r.actor !== 'object') return 'actor is not an object';
  if (!AUDIT_VIAS.includes(r.actor.via))
    return `actor.via ${JSON.stringify(r.actor.via)} is not one of ${AUDIT_VIAS.join(', ')}`;
  if (!AUDIT_OUTCOMES.includes(r.outcome))
    return `outcome ${JSON.stringify(r.outcome)} is not one of ${AUDIT_OUTCOMES.join(', ')}`;
  if (r.details === null || typeof r.details !== 'object' || Array.isArray(r.details))
    return 'details is not an object';
  return null;
}

/** A record as one JSON object (an export line); details as an object. */
export function auditRecordToJson(r: AuditRecord): Record<string, unknown> {
  return {
    seq: r.seq,
    at: r.at,
    actor: { username: r.actor.username, organisation: r.actor.organisation, via: r.actor.via },
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    status: r.status,
    details: r.details,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Reads an export line's object back; the verifier reports what is wrong with it. */
export function auditRecordFromJson(o: Record<string, unknown>): AuditRecord {
  const actor = (o['actor'] ?? null) as Record<string, unknown> | null;
  return {
    seq: o['seq'] as number,
    at: o['at'] as string,
    actor: {
      username: (actor?.['username'] ?? null) as string | null,
      organisation: (actor?.['organisation'] ?? null) as string | null,
      via: actor?.['via'] as AuditVia,
    },
    action: o['action'] as string,
    target: (o['target'] ?? null) as string | null,
    outcome: o['outcome'] as AuditOutcome,
    status: (o['status'] ?? null) as number | null,
    details: o['details'] as Record<string, unknown>,
    prevHash: o['prevHash'] as string,
    hash: o['hash'] as string,
  };
}

/** First line of an export file. */
export interface AuditExportHeader {
  readonly format: typeof AUDIT_EXPORT_FORMAT;
  /** First sequence number in the file. */
  readonly from: number;
  /** The log's head when the export was read (the file's last record). */
  readonly head: AuditAnchor | null;
  readonly exportedAt: string;
}

/**
 * Verifies an export (JSON Lines: the header, then one record per line) on its own: the records
 * from `header.from` on, continuous, ending at the header's head (the header is as trustworthy as
 * the file: it catches a cut-off file, not a forger; pass `expectedHead` from a checkpoint for that).
 */
export function verifyAuditExport(
  text: string,
  options: { expectedHead?: AuditAnchor } = {},
): AuditVerifyReport {
  const lines = text.split('\n');
  const headerLine = lines[0] ?? '';
  let header: AuditExportHeader;
  try {
    header = JSON.parse(headerLine) as AuditExportHeader;
  } catch {
    return badExport('line 1: not JSON (expected the export header)');
  }
  if (header?.format !== AUDIT_EXPORT_FORMAT || !Number.isSafeInteger(header.from) || header.from < 1) {
    return badExport(`line 1: expected a header with format ${AUDIT_EXPORT_FORMAT} and from ≥ 1`);
  }
  let lineError: AuditProblem | null = null;
  function* records(): Generator<AuditRecord> {
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      try {
        yield auditRecordFromJson(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lineError = { seq: header.from + i - 1, kind: 'malformed', message: `line ${i + 1}: not JSON` };
        return;
      }
    }
  }
  const report = verifyAuditChain(records(), {
    startSeq: header.from,
    ...(options.expectedHead === undefined ? {} : { expectedHead: options.expectedHead }),
  });
  const le = lineError as AuditProblem | null;
  if (report.ok && le !== null) return { ...report, ok: false, problem: le };
  if (!report.ok) return report;
  if (
    header.head !== null &&
    (report.head?.seq !== header.head.seq || report.head.hash !== header.head.hash)
  ) {
    const endSeq = report.head?.seq ?? header.from - 1;
    return {
      ...report,
      ok: false,
      problem:
        endSeq < header.head.seq
          ? {
              seq: endSeq + 1,
              kind: 'truncated',
              message: `the file ends at record ${endSeq}, its header names head ${header.head.seq}: lines were cut off`,
            }
          : {
              seq: header.head.seq,
              kind: 'anchor-mismatch',
              message: `the header's head (record ${header.head.seq}, ${short(header.head.hash)}) is not the file's last record`,
            },
    };
  }
  return report;
}

function badExport(message: string): AuditVerifyReport {
  return {
    ok: false,
    checked: 0,
    firstSeq: null,
    head: null,
    problem: { seq: 0, kind: 'malformed', message },
    warnings: [],
  };
}

/**
 * A checkpoint: the head at a time, optionally signed (Ed25519 over the canonical JSON of format,
 * seq, hash and at). Its worth as an anchor is where it is kept; the signature proves who issued
 * it, and only against a public key the verifier already trusts (never the one inside the file).
 */
export interface AuditCheckpoint {
  readonly format: typeof AUDIT_CHECKPOINT_FORMAT;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** base64 Ed25519 signature, when signed. */
  readonly signature?: string;
  /** The signer's public key (SPKI PEM), for information only. */
  readonly publicKey?: string;
}

function checkpointMessage(c: { seq: number; hash: string; at: string }): Buffer {
  return Buffer.from(
    canonicalJson({ format: AUDIT_CHECKPOINT_FORMAT, seq: c.seq, hash: c.hash, at: c.at }),
    'utf8',
  );
}

/** A checkpoint of `head` at `at`, signed when an Ed25519 private key (PEM) is given. */
export function makeAuditCheckpoint(head: AuditAnchor, at: string, privateKeyPem?: string): AuditCheckpoint {
  const base = { format: AUDIT_CHECKPOINT_FORMAT, seq: head.seq, hash: head.hash, at } as const;
  if (privateKeyPem === undefined) return base;
  const key = createPrivateKey(privateKeyPem);
  const signature = sign(null, checkpointMessage(base), key).toString('base64');
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return { ...base, signature, publicKey };
}

/** Whether a checkpoint carries a valid signature by the holder of `publicKeyPem`. */
export function checkAuditCheckpointSignature(c: AuditCheckpoint, publicKeyPem: string): boolean {
  if (c.signature === undefined) return false;
  try {
    return verify(
      null,
      checkpointMessage(c),
      createPublicKey(publicKeyPem),
      Buffer.from(c.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
