/**
 * Case files as the API and the CLI use them: open a case from a stored event or conjunction (the
 * evidence attaches itself, case-evidence.ts), and export a case as a signed bundle (Ed25519 over
 * the canonical JSON, exchange/bundle.ts) that a partner verifies offline with the exporter's public
 * key. The export holds what the exporting reader may see, with every item's marking and SHA-256.
 *
 * The system gathers evidence; it never issues a verdict. No export field states that an attack
 * took place or that a treaty article applies.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  type CaseActor,
  type CaseParty,
  DEFAULT_SCHEME,
  formatMarking,
  type Marking,
  type Reader,
} from '@hoshimi/astro';
import { type CatalogStore, readable, type StoredCase } from '@hoshimi/store';
import {
  BUNDLE_FORMAT,
  type JsonValue,
  keyId,
  type SignedBundle,
  signBundle,
  verifyBundle,
} from '../exchange/bundle.js';
import { gatherConjunctionEvidence, gatherEventEvidence, recordMarking } from './case-evidence.js';

/** Kind of a case export inside a bundle. */
export const CASE_EXPORT_KIND = 'hoshimi-case/1';

/** The standing statement every export and report carries (domain.md §7.3 item 9). */
export const NO_VERDICT_STATEMENT = {
  en: 'Hoshimi gathers and organises evidence; it issues no verdict. Whether an event is an attack, and whether any treaty article applies, is a political decision made case by case by the partners through consultation.',
  ja: 'Hoshimiは証拠を収集・整理するものであり、判定は行わない。事象が攻撃に当たるか、また条約上のいかなる条項が適用されるかは、同盟国間の緊密な協議を通じて個別具体的に判断される政治的決定である。',
} as const;

export class CaseServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export interface OpenCaseOptions {
  readonly actor: CaseActor;
  readonly owner: CaseParty;
  readonly reader: Reader;
  /** Requested marking (the case is never less restrictive than its evidence). */
  readonly marking?: Marking;
  readonly title?: string;
}

function defaultRequested(org: string): Marking {
  return { ...recordMarking({}), originator: org };
}

/** Opens a case from stored event `eventId`; returns the case id. */
export async function openCaseFromEvent(
  store: CatalogStore,
  eventId: number,
  o: OpenCaseOptions,
): Promise<number> {
  // Evidence is gathered through the opener's view of the store: what it may not read is absent.
  const seen = store.view(o.reader);
  const [event] = await seen.events({ id: eventId });
  if (event === undefined) throw new CaseServiceError(404, 'NOT_FOUND', `no event ${eventId}`);
  const g = await gatherEventEvidence(seen, event, o.owner.organisation);
  for (const a of g.attachments) {
    if (!canSee(o.reader, a.marking)) throw new CaseServiceError(404, 'NOT_FOUND', `no event ${eventId}`); // never reveal what may not be read
  }
  return store.cases().openCase({
    title: o.title ?? g.title,
    summary: g.summary,
    owner: o.owner,
    actor: o.actor,
    source: g.source,
    requestedMarking: o.marking ?? defaultRequested(o.owner.organisation),
    attachments: g.attachments,
  });
}

/** Opens a case from conjunction `<screening id>-<n>`; returns the case id. */
export async function openCaseFromConjunction(
  store: CatalogStore,
  conjunctionId: string,
  o: OpenCaseOptions,
): Promise<number> {
  const m = /^(\d{1,12})-(\d{1,9})$/.exec(conjunctionId);
  if (m === null) throw new CaseServiceError(400, 'BAD_REQUEST', 'a conjunction id is <screening id>-<n>');
  const sid = Number(m[1]);
  const n = Number(m[2]);
  const seen = store.view(o.reader);
  const r = await seen.conjunctions({ screeningId: sid });
  const c = r?.conjunctions[n - 1];
  if (r === null || c === undefined)
    throw new CaseServiceError(404, 'NOT_FOUND', `no conjunction ${conjunctionId}`);
  const g = await gatherConjunctionEvidence(seen, r.screening, n, c, o.owner.organisation);
  for (const a of g.attachments)
    if (!canSee(o.reader, a.marking))
      throw new CaseServiceError(404, 'NOT_FOUND', `no conjunction ${conjunctionId}`);
  return store.cases().openCase({
    title: o.title ?? g.title,
    summary: g.summary,
    owner: o.owner,
    actor: o.actor,
    source: g.source,
    requestedMarking: o.marking ?? defaultRequested(o.owner.organisation),
    attachments: g.attachments,
  });
}

const canSee = (reader: Reader, m: Marking): boolean => readable(DEFAULT_SCHEME, reader, m);

const toJson = (v: unknown): JsonValue => JSON.parse(JSON.stringify(v)) as JsonValue;

/** The signed export of a case as `reader` sees it (version: default the latest). */
export async function exportCase(
  store: CatalogStore,
  reader: Reader,
  id: number,
  key: KeyObject,
  exportedBy: string,
  version?: number,
): Promise<SignedBundle | null> {
  const c = await store.cases().getCase(reader, id, version);
  if (c === null) return null;
  const history = await store.cases().caseHistory(reader, id);
  const attachments = [];
  for (const a of c.attachments) {
    const full = await store.cases().caseAttachment(reader, id, a.id);
    if (full === null) continue;
    attachments.push({
      id: a.id,
      name: a.name,
      kind: a.kind,
      mediaType: a.mediaType,
      sha256: a.sha256,
      size: a.size,
      marking: formatMarking(a.marking),
      markingDetail: toJson(a.marking),
      contentBase64: Buffer.from(full.content).toString('base64'),
    });
  }
  return signBundle(
    {
      format: BUNDLE_FORMAT,
      keyId: keyId(createPublicKey(key)),
      kind: CASE_EXPORT_KIND,
      exportedAt: new Date().toISOString(),
      exportedBy,
      marking: formatMarking(c.version.marking),
      statement: toJson(NO_VERDICT_STATEMENT),
      case: toJson(caseJson(c)),
      history: toJson(history),
      attachments: toJson(attachments),
    },
    key,
  );
}

/** The JSON form of a stored case (API and export). */
export function caseJson(c: StoredCase) {
  return {
    id: c.id,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    source: c.source,
    latestVersion: c.latestVersion,
    version: c.version.version,
    versionCreatedAt: c.version.createdAt,
    versionActor: c.version.actor,
    versionOrganisation: c.version.actorOrganisation,
    change: c.version.change,
    state: c.version.state,
    title: c.version.title,
    marking: formatMarking(c.version.marking),
    markingDetail: c.version.marking,
    contentSha256: c.version.contentSha256,
    content: c.version.content,
    notes: c.notes.map((n) => ({ ...n, marking: formatMarking(n.marking) })),
    attachments: c.attachments.map((a) => ({ ...a, marking: formatMarking(a.marking) })),
    assessments: c.assessments.map((a) => ({ ...a, marking: formatMarking(a.marking) })),
  };
}

/**
 * Verifies a case export offline against one trusted public key; also checks that every
 * attachment's content matches its SHA-256. Never throws on hostile input.
 */
export function verifyCaseExport(
  value: unknown,
  publicKey: KeyObject,
):
  | { readonly ok: true; readonly bundle: SignedBundle }
  | { readonly ok: false; readonly code: string; readonly message: string } {
  let id: string;
  try {
    id = keyId(publicKey);
  } catch (e) {
    return { ok: false, code: 'BUNDLE_UNKNOWN_KEY', message: (e as Error).message };
  }
  const r = verifyBundle(value, new Map([[id, publicKey]]));
  if (!r.ok) return { ok: false, code: r.problem.code, message: r.problem.message };
  if (r.bundle['kind'] !== CASE_EXPORT_KIND)
    return { ok: false, code: 'BUNDLE_FORMAT', message: `kind is not ${CASE_EXPORT_KIND}` };
  const atts = r.bundle['attachments'];
  if (!Array.isArray(atts)) return { ok: false, code: 'BUNDLE_FORMAT', message: 'attachments is not a list' };
  for (const a of atts as { sha256?: unknown; contentBase64?: unknown; name?: unknown }[]) {
    if (typeof a.contentBase64 !== 'string' || typeof a.sha256 !== 'string')
      return { ok: false, code: 'BUNDLE_FORMAT', message: 'an attachment lacks content or hash' };
    const bytes = Buffer.from(a.contentBase64, 'base64');
    const h = createHashHex(bytes);
    if (h !== a.sha256)
      return {
        ok: false,
        code: 'CASE_ATTACHMENT_HASH',
        message: `attachment ${String(a.name)}: SHA-256 differs`,
      };
  }
  return r;
}

function createHashHex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
