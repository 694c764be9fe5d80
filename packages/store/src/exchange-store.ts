/**
 * What the node exchange keeps in a store (schema v12 `0012_exchange`): this node's organisation
 * and nation, its partners (nation, accreditation, trusted Ed25519 keys, URL, pinned TLS CA and
 * fingerprint) with the cursor of each direction, the signed bundles built for a partner until it
 * acknowledges them, the bundles received, and the provenance of every element set a partner
 * sent. The protocol itself (what is releasable, signing, checking) lives in the server's
 * exchange module; the store gives it atomic steps: a bundle is appended to an outbox only after
 * the previous one, and a received bundle is applied whole, in one transaction, only when it is
 * the next of its stream.
 */
import type { ElementFormat, ElementSet, Marking } from '@hoshimi/astro';
import type { ConjunctionRecord, StoredConjunction } from './conjunction-types.js';

/** This node as it names itself to partners. */
export interface ExchangeNodeInfo {
  /** Organisation code (astro checkOrganisation), e.g. 'USSPACECOM'. */
  readonly organisation: string;
  /** ISO 3166 trigraph, e.g. 'USA'. */
  readonly nation: string;
}

export interface ExchangePartnerInput {
  /** The partner's organisation code: bundles it signs name it as sender. */
  readonly name: string;
  readonly nation: string;
  /** The highest classification level the partner is accredited for. */
  readonly maxClassification: string;
  /** Its trusted Ed25519 public keys, SPKI PEM. */
  readonly publicKeys: readonly string[];
  /** Base URL of its exchange listener (https://host:port), or null when it only pulls from us. */
  readonly url: string | null;
  /** PEM of the CA (or the self-signed certificate) its TLS certificate chains to. */
  readonly tlsCa: string | null;
  /** SHA-256 fingerprint of its TLS certificate (hex, colons allowed), pinned when given. */
  readonly tlsFingerprint: string | null;
}

export interface ExchangePartner extends ExchangePartnerInput {
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Our stream to the partner. */
  readonly outgoing: {
    /** Sequence and hash of the last bundle built (0 and '' before the first). */
    readonly builtSeq: number;
    readonly builtHash: string;
    /** Highest element-set id already considered for this partner. */
    readonly setId: number;
    /** Last sequence the partner acknowledged. */
    readonly ackedSeq: number;
    /** (v15) Highest conjunction id already considered for this partner. */
    readonly conjunctionId: number;
  };
  /** The partner's stream to us: last sequence accepted and its hash. */
  readonly incoming: { readonly seq: number; readonly hash: string };
}

/** Where a set received from a partner came from (exchange_provenance). */
export interface ReceivedProvenance {
  readonly partner: string;
  readonly bundleSeq: number;
  /** The source at the originating node ('spacetrack', a file's --source, …). */
  readonly originalSource: string;
  /** The organisation that originated the data. */
  readonly originator: string;
  readonly dataMode: string;
  readonly originalIngestedAt: string;
  /** Content hash of the orbital fields at the sender (elementContentHash). */
  readonly contentHash: string;
  /** SHA-256 of the payload as received. */
  readonly payloadSha256: string;
}

/** A stored element set as the exchange selects it, with everything its marking is read from. */
export interface ExchangeCandidate {
  readonly id: number;
  readonly elements: ElementSet;
  readonly epochUtc: string;
  readonly source: string;
  /** The ingest's label (a banner line, or 'UNMARKED' when the import stated no marking). */
  readonly label: string;
  /** The set's marking as the store keeps it (v9 columns). */
  readonly marking: Marking;
  readonly format: ElementFormat;
  readonly ingestedAt: string;
  readonly contentHash: string;
  /** Null for a set this node imported itself. */
  readonly received: ReceivedProvenance | null;
}

/** A signed bundle built for a partner. */
export interface OutboxEntry {
  readonly seq: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly itemCount: number;
  /** Highest element-set id the bundle covers. */
  readonly lastSetId: number;
  /** (v15) Highest conjunction id the bundle covers (not kept in the outbox; advances the cursor). */
  readonly lastConjunctionId?: number;
  /** The signed bundle's JSON text; null once acknowledged (dropped). */
  readonly body: string | null;
  readonly createdAt: string;
  readonly acknowledgedAt: string | null;
}

/** One element set of a received bundle, checked by the protocol, ready to store. */
export interface IncomingSet {
  readonly elements: ElementSet;
  readonly format: ElementFormat;
  /** The marking's banner line (stored where this store keeps an element set's marking). */
  readonly banner: string;
  readonly provenance: Omit<ReceivedProvenance, 'partner' | 'bundleSeq'>;
}

export interface IncomingBundle {
  readonly partner: string;
  readonly seq: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly sets: readonly IncomingSet[];
  /** (v15) Conjunctions received as CDMs: stored as one screening of the bundle. */
  readonly conjunctions?: readonly IncomingConjunction[];
}

/** (v15) A stored conjunction the exchange may send, with its screening's description. */
export interface ConjunctionCandidate {
  readonly id: number;
  readonly screeningId: number;
  readonly conjunction: StoredConjunction;
  /** The screening's source ('partner:X bundle N' for one received). */
  readonly screeningSource: string;
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  readonly catalogAsOf: string | null;
  /** When the screening was stored (its finish time). */
  readonly screenedAt: string;
}

/** (v15) One conjunction of a received bundle (read from its CDM), with the sender's marking. */
export interface IncomingConjunction {
  readonly record: ConjunctionRecord;
  readonly marking: Marking;
  /** Screening window and radius at the sender (from the CDM). */
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  /** The sender's screening source and conjunction id (kept in the received screening's notes). */
  readonly originalSource: string;
  readonly originalId: string;
  readonly payloadSha256: string;
}

/** What applying a received bundle did (nothing is written unless 'applied'). */
export type ApplyBundleResult =
  | { readonly status: 'applied'; readonly inserted: number; readonly duplicates: number }
  /** This sequence was applied before with the same hash: acknowledged again, nothing written. */
  | { readonly status: 'duplicate' }
  /** This sequence was applied before with another hash (a replay or a forked stream). */
  | { readonly status: 'conflict'; readonly storedHash: string }
  /** Not the next sequence: `expectedSeq` is. */
  | { readonly status: 'gap'; readonly expectedSeq: number }
  /** The next sequence, but its previous hash is not the hash of the last bundle applied. */
  | { readonly status: 'previous-hash'; readonly expectedHash: string }
  | { readonly status: 'unknown-partner' };

export interface ExchangeStore {
  nodeInfo(): Promise<ExchangeNodeInfo | null>;
  setNodeInfo(info: ExchangeNodeInfo): Promise<void>;
  /** Adds a partner or replaces its description (its cursors are kept). */
  savePartner(input: ExchangePartnerInput): Promise<ExchangePartner>;
  getPartner(name: string): Promise<ExchangePartner | null>;
  listPartners(): Promise<ExchangePartner[]>;
  /** Element sets with id > afterId, by id, at most `limit`. */
  candidates(afterId: number, limit: number): Promise<ExchangeCandidate[]>;
  /**
   * Appends a bundle to a partner's outbox and advances its outgoing cursor, when `seq` is the
   * next sequence and `previousHash` the last bundle's hash; StoreError `STORE_CONFLICT` otherwise.
   */
  appendOutbox(partner: string, entry: Omit<OutboxEntry, 'createdAt' | 'acknowledgedAt'>): Promise<void>;
  /** Records that the sets up to `setId` were considered and none was releasable (no bundle). */
  advanceScan(partner: string, fromSetId: number, toSetId: number): Promise<void>;
  /** (v15) Conjunctions with id > afterId, by id, at most `limit` (every screening, unfiltered). */
  conjunctionCandidates(afterId: number, limit: number): Promise<ConjunctionCandidate[]>;
  /** (v15) Records that the conjunctions up to `toId` were considered and none was releasable. */
  advanceConjunctionScan(partner: string, fromId: number, toId: number): Promise<void>;
  /** Bundles with sequence > afterSeq, by sequence, at most `limit`. */
  outbox(partner: string, afterSeq: number, limit: number): Promise<OutboxEntry[]>;
  /** The partner holds every bundle up to `seq`: the cursor advances and their bodies are dropped. */
  acknowledge(partner: string, seq: number): Promise<void>;
  /** Applies a received bundle whole, in one transaction, when it is the next of its stream. */
  applyBundle(bundle: IncomingBundle): Promise<ApplyBundleResult>;
  /** Provenance of a received element set (null for one imported here). */
  provenance(elementSetId: number): Promise<ReceivedProvenance | null>;
}
