/**
 * What a partner organisation does with a case another node shared with it (case-items.ts carries
 * it here): read the replica — the owner node's signed export, its signature and every attachment's
 * SHA-256 verified again on each read — and record its own response: an assessment (ICD 203 word,
 * confidence, reasons) and a position (concur or dissent, with reasons). Nothing else: the replica
 * is read-only, and the response is checked by astro's case workflow on the replica's content
 * (the same rules the owner node applies when it receives it: the case is shared, the organisation
 * is a partner of it, the words are ICD 203's). The response goes to the owner node with the next
 * sync and comes back as a new version of the case.
 */
import {
  applyCaseAction,
  type CaseActor,
  type CaseContent,
  checkCaseAction,
  formatMarking,
  type Reader,
} from '@hoshimi/astro';
import type { CaseReplica, CatalogStore, ExchangePartner, ReplicaAssessment } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import type { SignedBundle } from './bundle.js';
import { caseCheck, verifyPartnerCaseExport } from './case-items.js';
import type { NodeIdentity } from './node-identity.js';
import { trustedKeys } from './protocol.js';

export interface OpenedReplica {
  readonly replica: CaseReplica;
  /** The verified signed export. */
  readonly export: SignedBundle;
  /** The case as exported (the API form: caseJson of case-service.ts). */
  readonly case: { readonly content: CaseContent; readonly state: string; readonly version: number };
}

/** The latest replica of case `ownerCaseId` of `partner`, verified; ApiError 404 when not readable. */
export async function openReplica(
  store: CatalogStore,
  partner: ExchangePartner,
  reader: Reader,
  ownerCaseId: number,
): Promise<OpenedReplica> {
  const replica = await store.caseExchange().replica(reader, partner.name, ownerCaseId);
  if (replica === null)
    throw new ApiError(404, 'NOT_FOUND', `no case ${ownerCaseId} of ${partner.name} on this node`);
  const bundle = verifyPartnerCaseExport(replica.bundle, trustedKeys(partner));
  return { replica, export: bundle, case: bundle['case'] as unknown as OpenedReplica['case'] };
}

export interface ReplicaResponseInput {
  /** An assessment action's fields (subject, likelihood, confidence, reasons), or none. */
  readonly assessment?: unknown;
  readonly position: 'concur' | 'dissent';
  readonly reasons: string;
}

/**
 * Records `actor`'s response on a replica after the case workflow accepts it on the replica's
 * content; returns the response id. ApiError CASE_* (409/422) when the workflow refuses it.
 */
export async function respondOnReplica(
  store: CatalogStore,
  identity: Pick<NodeIdentity, 'scheme'>,
  partner: ExchangePartner,
  reader: Reader,
  actor: CaseActor,
  ownerCaseId: number,
  input: ReplicaResponseInput,
): Promise<number> {
  const opened = await openReplica(store, partner, reader, ownerCaseId);
  const marking = { ...opened.replica.marking, originator: actor.organisation };
  const at = new Date().toISOString();
  const action = (value: unknown) => {
    const a = checkCaseAction(identity.scheme, value, actor.organisation);
    if (!a.ok)
      throw new ApiError(
        422,
        'CASE_BAD_INPUT',
        a.issues.map((x) => `${x.field}: expected ${x.expected}, found ${x.found}`).join('; '),
      );
    return a.value;
  };
  let content = opened.case.content;
  let assessment: ReplicaAssessment | null = null;
  if (input.assessment !== undefined) {
    const a = action({
      kind: 'assessment',
      ...(input.assessment as object),
      marking: formatMarking(marking),
    });
    if (a.kind !== 'assessment') throw new ApiError(422, 'CASE_BAD_INPUT', 'not an assessment');
    content = caseCheck(() => applyCaseAction(identity.scheme, content, a, actor, at)).content;
    assessment = {
      subject: a.subject,
      likelihood: a.likelihood,
      confidence: a.confidence,
      reasons: a.reasons,
    };
  }
  const respond = action({ kind: 'respond', position: input.position, reasons: input.reasons });
  caseCheck(() => applyCaseAction(identity.scheme, content, respond, actor, at));
  if (respond.kind !== 'respond') throw new ApiError(422, 'CASE_BAD_INPUT', 'not a response');
  const id = await store.caseExchange().addResponse({
    partner: partner.name,
    ownerCaseId,
    basedOnVersion: opened.replica.version,
    organisation: actor.organisation,
    author: actor.username,
    position: respond.position,
    reasons: respond.reasons,
    assessment,
    marking,
  });
  await store.audit?.append({
    actor: { username: actor.username, organisation: actor.organisation, via: 'system' },
    action: 'case.replica-response',
    target: `case ${ownerCaseId} of ${partner.name}`,
    outcome: 'allowed',
    status: null,
    details: { responseId: id, basedOnVersion: opened.replica.version, position: respond.position },
  });
  return id;
}
