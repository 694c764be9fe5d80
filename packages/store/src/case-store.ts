/**
 * The case-file store interface: cases for consultation (astro cases/), kept as immutable versions
 * with their notes, attachments and per-organisation assessments, every record marked. Every read
 * takes the Reader and returns only what that reader may see (a case the reader may not read is
 * absent, as if it did not exist).
 */
import type {
  CaseAction,
  CaseActor,
  CaseContent,
  CaseParty,
  CaseSource,
  CaseState,
  Marking,
  Reader,
} from '@hoshimi/astro';

/** An attachment to store with a case: evidence gathered by the system or uploaded by an analyst. */
export interface NewCaseAttachment {
  readonly name: string;
  /** What it is: 'event', 'element-history', 'related-events', 'conjunction', 'plot', 'upload', … */
  readonly kind: string;
  readonly mediaType: string;
  readonly content: string | Uint8Array;
  readonly marking: Marking;
}

export interface OpenCaseInput {
  readonly title: string;
  readonly summary: string;
  readonly owner: CaseParty;
  readonly actor: CaseActor;
  readonly source: CaseSource;
  readonly requestedMarking: Marking;
  readonly attachments: readonly NewCaseAttachment[];
}

export interface StoredCaseVersion {
  readonly caseId: number;
  readonly version: number;
  readonly createdAt: string;
  readonly actor: string;
  readonly actorOrganisation: string;
  readonly change: string;
  readonly state: CaseState;
  readonly title: string;
  /** The content as the reader may see it (entries the reader may not read are left out). */
  readonly content: CaseContent;
  /** SHA-256 of the stored content JSON (the whole version, before filtering). */
  readonly contentSha256: string;
  readonly marking: Marking;
}

export interface StoredCaseNote {
  readonly id: number;
  readonly caseId: number;
  readonly version: number;
  readonly author: string;
  readonly organisation: string;
  readonly text: string;
  readonly createdAt: string;
  readonly marking: Marking;
}

export interface StoredCaseAttachment {
  readonly id: number;
  readonly caseId: number;
  readonly version: number;
  readonly name: string;
  readonly kind: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly size: number;
  readonly createdAt: string;
  readonly marking: Marking;
}

export interface StoredCaseAssessment {
  readonly id: number;
  readonly caseId: number;
  readonly version: number;
  readonly entryId: number;
  readonly organisation: string;
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly likelihood: string;
  readonly confidence: string;
  readonly reasons: string;
  readonly author: string;
  readonly createdAt: string;
  readonly marking: Marking;
}

/** One case at one version, with what the reader may see of its notes, attachments, assessments. */
export interface StoredCase {
  readonly id: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly source: CaseSource;
  /** The newest version number (the answer may be of an older one). */
  readonly latestVersion: number;
  readonly version: StoredCaseVersion;
  readonly notes: readonly StoredCaseNote[];
  readonly attachments: readonly StoredCaseAttachment[];
  readonly assessments: readonly StoredCaseAssessment[];
}

export interface CaseSummary {
  readonly id: number;
  readonly title: string;
  readonly state: CaseState;
  readonly owner: string;
  readonly partners: readonly string[];
  readonly source: CaseSource;
  readonly latestVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly marking: Marking;
}

export interface CaseQuery {
  readonly state?: CaseState;
  readonly limit?: number;
}

/** A partner node's response to one of this node's cases, to apply (server exchange/case-items.ts). */
export interface PartnerResponseInput {
  /** The exchange partner (its node's organisation) that sent it. */
  readonly partner: string;
  /** The response's id at the partner's node (with `partner`, its identity here). */
  readonly responseId: number;
  readonly caseId: number;
  /** The validated actions of the response (an assessment, then concur or dissent), in order. */
  readonly actions: readonly CaseAction[];
  /** The responding organisation's analyst, and how it reads (its organisation, the partner's nation). */
  readonly actor: CaseActor;
  readonly reader: Reader;
}

/** What applying a partner response did. */
export interface PartnerResponseOutcome {
  /** 'applied vN' (the last new version), or 'refused CODE' (NOT_FOUND, CASE_NOT_PARTNER, a CASE_* code). */
  readonly outcome: string;
  /** False when this response was applied (or refused) before: nothing changed this time. */
  readonly firstTime: boolean;
  /** The new versions, one per action (empty when refused or not the first time). */
  readonly versions: readonly number[];
}

export interface CaseStore {
  /** Opens a case (version 1, state draft) with its evidence attachments; returns its id. */
  openCase(input: OpenCaseInput): Promise<number>;
  /**
   * Applies a validated action (astro applyCaseAction, which enforces the workflow) as a new
   * version; returns the new version number. Rejects with StoreError STORE_NOT_FOUND for a case
   * the actor's reader may not see, STORE_CASE_REFUSED (details.code: the astro CASE_* code) for
   * a refused transition.
   */
  applyCaseAction(caseId: number, action: CaseAction, actor: CaseActor, reader: Reader): Promise<number>;
  /**
   * Applies a partner node's response in ONE transaction with the record of its outcome
   * (case_exchange_applied): every action as a new version, or none when the workflow refuses
   * one, or none when the response was applied before. A retry after a crash therefore applies it
   * exactly once.
   */
  applyPartnerResponse(input: PartnerResponseInput): Promise<PartnerResponseOutcome>;
  /** Adds a note (new version); returns the new version number. */
  addCaseNote(
    caseId: number,
    note: { readonly text: string; readonly marking?: Marking },
    actor: CaseActor,
    reader: Reader,
  ): Promise<number>;
  /** Adds attachments (one new version); returns the new version number. */
  addCaseAttachments(
    caseId: number,
    attachments: readonly NewCaseAttachment[],
    actor: CaseActor,
    reader: Reader,
  ): Promise<number>;
  listCases(reader: Reader, query?: CaseQuery): Promise<CaseSummary[]>;
  /** The case at `version` (default the latest), or null when absent or not readable. */
  getCase(reader: Reader, id: number, version?: number): Promise<StoredCase | null>;
  /** Every version's change line, as the reader may see them. */
  caseHistory(
    reader: Reader,
    id: number,
  ): Promise<
    readonly {
      readonly version: number;
      readonly createdAt: string;
      readonly actor: string;
      readonly change: string;
    }[]
  >;
  /** One attachment with its content, or null. */
  caseAttachment(
    reader: Reader,
    caseId: number,
    attachmentId: number,
  ): Promise<(StoredCaseAttachment & { readonly content: Uint8Array }) | null>;
}
