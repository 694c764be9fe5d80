/**
 * What a store keeps of cases that travel between nodes (schema v14 `0014_case_exchange`):
 * replicas of partners' cases (each received version of the owner node's signed case export,
 * read-only here), the responses this node's organisation records on a replica (an assessment and
 * a position, concur or dissent with reasons) until they are sent to the owner node, which case
 * versions and responses went into which bundle for a partner, and which partner responses the
 * owner node has applied. Every replica and response row carries the marking columns and is read
 * through the same filter as the case tables (sqlite-cases.ts `readable`).
 */
import type { AssessmentSubject, Marking, Reader } from '@hoshimi/astro';

/** One received version of a partner node's case. */
export interface CaseReplica {
  /** The exchange partner (owner node's organisation) that sent it. */
  readonly partner: string;
  /** The case id at the owner node. */
  readonly ownerCaseId: number;
  readonly version: number;
  readonly state: string;
  readonly title: string;
  readonly marking: Marking;
  /** The owner node's signed case export (JSON text) as received. */
  readonly bundle: string;
  readonly receivedAt: string;
}

/** An assessment carried by a response (the astro assessment action's fields). */
export interface ReplicaAssessment {
  readonly subject: AssessmentSubject;
  readonly likelihood: string;
  readonly confidence: string;
  readonly reasons: string;
}

export interface NewReplicaResponse {
  readonly partner: string;
  readonly ownerCaseId: number;
  /** The replica version the response was made on. */
  readonly basedOnVersion: number;
  readonly organisation: string;
  readonly author: string;
  readonly position: 'concur' | 'dissent';
  readonly reasons: string;
  readonly assessment: ReplicaAssessment | null;
  readonly marking: Marking;
}

export interface ReplicaResponse extends NewReplicaResponse {
  readonly id: number;
  readonly createdAt: string;
}

export interface CaseExchangeStore {
  /** Stores a received version of a partner's case; 'known' when that version is already held. */
  saveReplica(r: Omit<CaseReplica, 'receivedAt'>): Promise<'stored' | 'known'>;
  /** The latest version of every replica the reader may read. */
  replicas(reader: Reader): Promise<CaseReplica[]>;
  /** The latest version of one replica, or null when absent or not readable. */
  replica(reader: Reader, partner: string, ownerCaseId: number): Promise<CaseReplica | null>;
  /** Records this node's response on a replica (to be sent to the owner node); returns its id. */
  addResponse(r: NewReplicaResponse): Promise<number>;
  /** Responses on replicas of `partner` not yet put in a bundle for it. */
  pendingResponses(partner: string): Promise<ReplicaResponse[]>;
  /** Refs ('case:ID@VERSION', 'response:ID') already put in a bundle for `partner`. */
  sentRefs(partner: string): Promise<Set<string>>;
  /** Records refs put in bundle `seq` for `partner` (a ref already recorded is kept). */
  markSent(partner: string, refs: readonly string[], seq: number): Promise<void>;
  /** Whether the owner node already applied (or refused) response `responseId` of `partner`. */
  responseOutcome(partner: string, responseId: number): Promise<string | null>;
  /** Records what applying a partner's response did ('applied v12', 'refused CASE_CLOSED', …). */
  recordOutcome(partner: string, responseId: number, caseId: number, outcome: string): Promise<void>;
}
