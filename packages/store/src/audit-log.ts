/**
 * The audit log as a store offers it (the interface both stores implement and the server and
 * CLI use), and the actor of the current asynchronous context: who is acting when a record is
 * appended without an explicit actor (an AsyncLocalStorage: the server runs each request in its
 * principal's context, the CLI runs in its user's, anything else is the system).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  AuditActor,
  AuditAnchor,
  AuditCheckpoint,
  AuditEntry,
  AuditExportHeader,
  AuditRecord,
  AuditVerifyReport,
} from './audit-chain.js';

/** The actor of work nobody asked for in the current context (schedules, background jobs). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ username: null, organisation: null, via: 'system' });

const actorContext = new AsyncLocalStorage<() => AuditActor>();

/**
 * Runs `fn` with `actor` as the actor of every audit record appended in its asynchronous context
 * without an explicit actor. A function is read when a record is appended (the server's principal
 * is known only after authentication, later than the request starts).
 */
export function runWithAuditActor<T>(actor: AuditActor | (() => AuditActor), fn: () => T): T {
  return actorContext.run(typeof actor === 'function' ? actor : () => actor, fn);
}

/** The actor of the current asynchronous context (SYSTEM_ACTOR outside any). */
export function currentAuditActor(): AuditActor {
  return actorContext.getStore()?.() ?? SYSTEM_ACTOR;
}

/** An entry whose actor may be left to the context. */
export type AuditAppend = Omit<AuditEntry, 'actor'> & { readonly actor?: AuditActor };

export interface AuditListQuery {
  /** Records with seq ≥ fromSeq (default: the newest `limit`). */
  readonly fromSeq?: number;
  /** Default 100. */
  readonly limit?: number;
}

/** The audit log of a store (sqlite-audit.ts, postgres-audit.ts). */
export interface AuditLog {
  /** Appends one record at the head; resolves to it. */
  append(entry: AuditAppend): Promise<AuditRecord>;
  /** The newest record's {seq, hash}, null when the log is empty. */
  head(): Promise<AuditAnchor | null>;
  /** Records in sequence order (see AuditListQuery). */
  list(query?: AuditListQuery): Promise<AuditRecord[]>;
  /** Walks the whole chain (see verifyAuditChain); `expectedHead` is the anchor. */
  verify(options?: { readonly expectedHead?: AuditAnchor }): Promise<AuditVerifyReport>;
  /**
   * Writes the export (JSON Lines: header, then records from `from`), one line at a time, all read
   * in one snapshot; resolves to the header.
   */
  exportLines(
    write: (line: string) => void,
    options?: { readonly from?: number },
  ): Promise<AuditExportHeader>;
  /**
   * The current head as a checkpoint (signed when an Ed25519 private key PEM is given), then an
   * 'audit.checkpoint' record naming it appended. Null when the log is empty.
   */
  checkpoint(privateKeyPem?: string): Promise<AuditCheckpoint | null>;
}
