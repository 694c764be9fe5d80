/**
 * Cases in the node exchange: a case shared with an organisation of a partner's nation travels to
 * that partner's node, and that organisation's response comes back, as two more item kinds of the
 * exchange bundles (protocol.ts):
 *
 * - `case`: the owner node's signed case export (case-service.ts exportCase, as the partner may
 *   read it: the case as of its latest version, with its evidence attachments, their hashes and
 *   markings), once per version. Selected only when the case is shared with an organisation of the
 *   partner's nation AND its marking canReleaseTo the partner (nation and accreditation); checked
 *   again before signing and before sending; the receiver checks the item's marking against its own
 *   nation, verifies the owner's signature on the export with the partner's trusted keys, every
 *   attachment's SHA-256, and that the case names an organisation of its nation as partner. It
 *   stores the export as a replica (store.caseExchange()), read-only: the owner node is named,
 *   only the owner changes the case.
 * - `case-response`: a partner organisation's assessment (ICD 203 word, confidence, reasons) and
 *   position (concur or dissent, with reasons) made on a replica (case-replicas.ts). The owner node
 *   checks the fields with astro's checkCaseAction and applies them as new versions through the
 *   case store's applyCaseAction (the same workflow code as a local analyst: party, state and
 *   releasability rules), as an organisation of the sending partner's nation that the case names as
 *   partner. A response the workflow refuses (e.g. the case was closed meanwhile) is recorded with
 *   its refusal and does not block the stream. Its actions and the record of its outcome are one
 *   store transaction (`applyPartnerResponse`): all or nothing, so a node killed while applying it
 *   applies it exactly once on the retry. The next sync carries the new version back.
 *
 * Items ride in the same sequenced, hash-chained bundles as the element sets, so the stream's
 * replay and order rules hold for them; a replica version already held and a response already
 * applied are recognised, so applying the same item twice changes nothing.
 */

import type { KeyObject } from 'node:crypto';
import {
  AstroError,
  type CaseAction,
  type CaseActor,
  canReleaseTo,
  checkCaseAction,
  formatMarking,
  type Marking,
  type Reader,
} from '@hoshimi/astro';
import { type CatalogStore, type ExchangePartner, runWithAuditActor } from '@hoshimi/store';
import { CASE_EXPORT_KIND, exportCase, verifyCaseExport } from '../cases/case-service.js';
import { ApiError } from '../errors.js';
import { canonicalJson, type SignedBundle, sha256Hex } from './bundle.js';
import { checkedPayload, receivedMarking } from './item-checks.js';
import type { NodeIdentity } from './node-identity.js';
import type { ExchangeItemMarking } from './protocol.js';

export type CaseItemKind = 'case' | 'case-response';

/** A case or a response as a bundle item (payload: canonical JSON text). */
export interface CaseExchangeItem {
  readonly kind: CaseItemKind;
  readonly encoding: 'json';
  readonly payload: string;
  readonly payloadSha256: string;
  readonly marking: ExchangeItemMarking;
}

/** The payload of a `case-response` item. */
export interface CaseResponsePayload {
  readonly ownerCaseId: number;
  readonly basedOnVersion: number;
  readonly responseId: number;
  readonly organisation: string;
  readonly author: string;
  readonly position: 'concur' | 'dissent';
  readonly reasons: string;
  readonly assessment: {
    readonly subject: { readonly kind: string; readonly id: string };
    readonly likelihood: string;
    readonly confidence: string;
    readonly reasons: string;
  } | null;
  readonly at: string;
}

/** A received case item, checked. */
export type CheckedCaseItem =
  | {
      readonly kind: 'case';
      readonly ownerCaseId: number;
      readonly version: number;
      readonly state: string;
      readonly title: string;
      readonly marking: Marking;
      readonly bundle: string;
    }
  | {
      readonly kind: 'case-response';
      readonly response: CaseResponsePayload;
      readonly actions: readonly CaseAction[];
    };

/** How a partner node reads: as its organisation, nation and accreditation. */
export function partnerReader(p: Pick<ExchangePartner, 'name' | 'nation' | 'maxClassification'>): Reader {
  return { organisation: p.name, nation: p.nation, clearance: p.maxClassification };
}

const itemMarking = (m: Marking): ExchangeItemMarking => ({
  banner: formatMarking(m),
  originator: m.originator,
  dataMode: m.dataMode,
});

/** The case items due to a partner, with the refs that record them as sent. */
export async function caseItemsDue(
  store: CatalogStore,
  identity: NodeIdentity,
  partner: ExchangePartner,
): Promise<{ readonly items: CaseExchangeItem[]; readonly refs: string[] }> {
  const ce = store.caseExchange();
  const sent = await ce.sentRefs(partner.name);
  const reader = partnerReader(partner);
  const items: CaseExchangeItem[] = [];
  const refs: string[] = [];
  for (const s of await store.cases().listCases(reader)) {
    if (s.state === 'draft') continue;
    const ref = `case:${s.id}@${s.latestVersion}`;
    if (sent.has(ref)) continue;
    const c = await store.cases().getCase(reader, s.id);
    if (c === null) continue;
    if (!c.version.content.partners.some((x) => x.nation === partner.nation)) continue;
    if (!canReleaseTo(identity.scheme, c.version.marking, partner)) continue;
    const bundle = await exportCase(store, reader, s.id, identity.privateKey, identity.organisation);
    if (bundle === null) continue;
    const payload = canonicalJson(bundle);
    items.push({
      kind: 'case',
      encoding: 'json',
      payload,
      payloadSha256: sha256Hex(payload),
      marking: itemMarking(c.version.marking),
    });
    refs.push(ref);
  }
  for (const r of await ce.pendingResponses(partner.name)) {
    if (!canReleaseTo(identity.scheme, r.marking, partner)) continue;
    const body: CaseResponsePayload = {
      ownerCaseId: r.ownerCaseId,
      basedOnVersion: r.basedOnVersion,
      responseId: r.id,
      organisation: r.organisation,
      author: r.author,
      position: r.position,
      reasons: r.reasons,
      assessment: r.assessment,
      at: r.createdAt,
    };
    const payload = canonicalJson(body);
    items.push({
      kind: 'case-response',
      encoding: 'json',
      payload,
      payloadSha256: sha256Hex(payload),
      marking: itemMarking(r.marking),
    });
    refs.push(`response:${r.id}`);
  }
  return { items, refs };
}

/**
 * Throws ApiError EXCHANGE_NOT_RELEASABLE unless every `case` item names an organisation of the
 * partner's nation as a partner of the case (the markings are checked by protocol.ts).
 */
export function assertCasesShared(
  partner: Pick<ExchangePartner, 'name' | 'nation'>,
  items: readonly { readonly kind: string; readonly payload: string }[],
): void {
  items.forEach((item, i) => {
    if (item.kind !== 'case') return;
    let partners: unknown;
    try {
      partners = (JSON.parse(item.payload) as { case?: { content?: { partners?: unknown } } }).case?.content
        ?.partners;
    } catch {
      partners = undefined;
    }
    const shared =
      Array.isArray(partners) && partners.some((p) => (p as { nation?: unknown }).nation === partner.nation);
    if (!shared)
      throw new ApiError(
        422,
        'EXCHANGE_NOT_RELEASABLE',
        `item ${i}: the case is not shared with an organisation of ${partner.nation}; it may not go to ${partner.name}`,
      );
  });
}

function refuse(status: number, code: string, message: string): never {
  throw new ApiError(status, code, message);
}

/**
 * Verifies a case export (JSON text) from `partner`: the owner node's signature by one of the
 * partner's trusted keys and every attachment's SHA-256 (BUNDLE_*, CASE_ATTACHMENT_HASH).
 */
export function verifyPartnerCaseExport(text: string, trusted: ReadonlyMap<string, KeyObject>): SignedBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    refuse(400, 'BUNDLE_FORMAT', 'the case export is not JSON');
  }
  const id = (value as { keyId?: unknown } | null)?.keyId;
  const key = typeof id === 'string' ? trusted.get(id) : undefined;
  if (key === undefined)
    refuse(403, 'BUNDLE_UNKNOWN_KEY', `the case export's key ${String(id)} is not trusted`);
  const v = verifyCaseExport(value, key);
  if (!v.ok) refuse(v.code === 'BUNDLE_FORMAT' ? 400 : 422, v.code, `case export: ${v.message}`);
  return v.bundle;
}

/** Checks one received `case` or `case-response` item (see the module header). */
export function checkCaseItem(
  identity: NodeIdentity,
  trusted: ReadonlyMap<string, KeyObject>,
  item: Record<string, unknown>,
  i: number,
): CheckedCaseItem {
  const raw = item['payload'];
  if (typeof raw !== 'string') refuse(400, 'BUNDLE_FORMAT', `item ${i}: payload is not a string`);
  const payload = checkedPayload(raw, item, i);
  const mk = item['marking'] as Record<string, unknown> | null;
  const marking = receivedMarking(
    identity,
    {
      banner: String(mk?.['banner']),
      originator: String(mk?.['originator']),
      dataMode: String(mk?.['dataMode']),
    },
    i,
  );
  if (item['kind'] === 'case') {
    const bundle = verifyPartnerCaseExport(payload, trusted);
    if (bundle['kind'] !== CASE_EXPORT_KIND) refuse(400, 'BUNDLE_FORMAT', `item ${i}: not a case export`);
    const c = bundle['case'] as {
      id?: unknown;
      version?: unknown;
      latestVersion?: unknown;
      state?: unknown;
      title?: unknown;
      marking?: unknown;
      content?: { partners?: unknown };
    } | null;
    if (
      c === null ||
      typeof c.id !== 'number' ||
      typeof c.version !== 'number' ||
      c.version !== c.latestVersion ||
      typeof c.state !== 'string' ||
      typeof c.title !== 'string'
    )
      refuse(400, 'BUNDLE_FORMAT', `item ${i}: the case export does not hold a case at its latest version`);
    if (c.marking !== formatMarking(marking))
      refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the item's marking is not the case's marking`);
    const partners = c.content?.partners;
    if (
      !Array.isArray(partners) ||
      !partners.some((p) => (p as { nation?: unknown }).nation === identity.nation)
    )
      refuse(
        422,
        'EXCHANGE_NOT_RELEASABLE',
        `item ${i}: the case is not shared with an organisation of ${identity.nation}`,
      );
    return {
      kind: 'case',
      ownerCaseId: c.id,
      version: c.version,
      state: c.state,
      title: c.title,
      marking,
      bundle: payload,
    };
  }
  let r: CaseResponsePayload;
  try {
    r = JSON.parse(payload) as CaseResponsePayload;
  } catch {
    refuse(400, 'BUNDLE_FORMAT', `item ${i}: the response is not JSON`);
  }
  if (
    r === null ||
    typeof r !== 'object' ||
    !Number.isSafeInteger(r.ownerCaseId) ||
    !Number.isSafeInteger(r.responseId) ||
    !Number.isSafeInteger(r.basedOnVersion) ||
    typeof r.organisation !== 'string' ||
    typeof r.author !== 'string' ||
    r.author.length === 0 ||
    r.author.length > 200 ||
    marking.originator !== r.organisation
  )
    refuse(400, 'BUNDLE_FORMAT', `item ${i}: the response lacks its case, id, organisation or author`);
  const actions: CaseAction[] = [];
  const check = (value: unknown) => {
    const a = checkCaseAction(identity.scheme, value, r.organisation);
    if (!a.ok)
      refuse(
        422,
        'EXCHANGE_ITEM_INVALID',
        `item ${i}: ${a.issues.map((x) => `${x.field}: expected ${x.expected}, found ${x.found}`).join('; ')}`,
      );
    actions.push(a.value);
  };
  if (r.assessment !== null) {
    if (typeof r.assessment !== 'object')
      refuse(400, 'BUNDLE_FORMAT', `item ${i}: assessment is not an object`);
    check({
      kind: 'assessment',
      ...r.assessment,
      marking: formatMarking(marking),
      dataMode: marking.dataMode,
    });
  }
  check({ kind: 'respond', position: r.position, reasons: r.reasons });
  return { kind: 'case-response', response: r, actions };
}

/** Stores received cases as replicas and applies received responses (see the module header). */
export async function applyCaseItems(
  store: CatalogStore,
  partner: ExchangePartner,
  items: readonly CheckedCaseItem[],
): Promise<void> {
  const ce = store.caseExchange();
  for (const item of items) {
    if (item.kind === 'case') {
      const saved = await ce.saveReplica({
        partner: partner.name,
        ownerCaseId: item.ownerCaseId,
        version: item.version,
        state: item.state,
        title: item.title,
        marking: item.marking,
        bundle: item.bundle,
      });
      if (saved === 'stored')
        await store.audit?.append({
          actor: { username: null, organisation: partner.name, via: 'system' },
          action: 'case.replica',
          target: `case ${item.ownerCaseId} of ${partner.name}`,
          outcome: 'allowed',
          status: null,
          details: { version: item.version, state: item.state, sha256: sha256Hex(item.bundle) },
        });
      continue;
    }
    const r = item.response;
    if ((await ce.responseOutcome(partner.name, r.responseId)) !== null) continue;
    const reader: Reader = {
      organisation: r.organisation,
      nation: partner.nation,
      clearance: partner.maxClassification,
    };
    const actor: CaseActor = { username: `${r.author}@${partner.name}`, organisation: r.organisation };
    // The actions and the record of the outcome in one store transaction: a crash before it ends
    // leaves nothing, after it the response is known, so a retry applies it exactly once.
    const { outcome, firstTime } = await runWithAuditActor(
      { username: actor.username, organisation: r.organisation, via: 'system' },
      () =>
        store.cases().applyPartnerResponse({
          partner: partner.name,
          responseId: r.responseId,
          caseId: r.ownerCaseId,
          actions: item.actions,
          actor,
          reader,
        }),
    );
    if (!firstTime) continue;
    await store.audit?.append({
      actor: { username: actor.username, organisation: r.organisation, via: 'system' },
      action: 'case.partner-response',
      target: `case ${r.ownerCaseId}`,
      outcome: outcome.startsWith('applied') ? 'allowed' : 'denied',
      status: null,
      details: { partner: partner.name, responseId: r.responseId, position: r.position, outcome },
    });
  }
}

/** Runs an astro case function, turning its CASE_* refusals into ApiErrors (409 or 422). */
export function caseCheck<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AstroError && e.code.startsWith('CASE_'))
      throw new ApiError(e.code === 'CASE_BAD_INPUT' ? 422 : 409, e.code, e.message);
    throw e;
  }
}
