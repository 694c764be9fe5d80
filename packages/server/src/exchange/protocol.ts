/**
 * The exchange protocol between two Hoshimi nodes: what a bundle of a sender→recipient stream
 * holds, how it is built and signed, and how a received one is checked before it is stored.
 *
 * A bundle (bundle.ts: canonical JSON, Ed25519 signature) carries `kind` 'exchange', the sender's
 * and recipient's organisation codes, the `sequence` (1, 2, … strictly +1 per stream), the
 * `previousHash` (SHA-256 of the previous bundle's signed content, '' before the first), the
 * creation time and the items. An item is one CCSDS message — an OMM (KVN or XML, astro's writer,
 * full precision) for an element set, a CDM (KVN, conjunction-items.ts) for a conjunction; OEM is a
 * reserved kind — with its marking (banner,
 * originator, data mode), its provenance (source at the originating node, ingest time, original
 * originator, content hash, object and epoch) and the SHA-256 of its payload.
 *
 * Cases shared with a partner and that partner's responses travel in the same bundles as items of
 * kinds 'case' and 'case-response' (case-items.ts); their markings pass the same checks.
 *
 * Releasability is checked three times: when sets are selected (exchange-service.ts), again in
 * `signExchangeBundle` just before signing (every item against the partner's nation and
 * accreditation, astro's canReleaseTo), and by the receiver against its own nation. The receiver
 * refuses the whole bundle when anything is wrong: nothing is stored half-way.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import {
  canReleaseTo,
  type ElementFormat,
  type ElementSet,
  formatMarking,
  formatOmmKvn,
  formatOmmXml,
  type Marking,
  parseElements,
  parseMarking,
} from '@hoshimi/astro';
import type { ExchangePartner, IncomingConjunction, IncomingSet } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import {
  BUNDLE_FORMAT,
  canonicalJson,
  type JsonValue,
  keyId,
  type SignedBundle,
  sha256Hex,
  signBundleText,
  type UnsignedBundle,
  verifyBundle,
} from './bundle.js';
import { type CaseExchangeItem, type CheckedCaseItem, checkCaseItem } from './case-items.js';
import { type CdmExchangeItem, checkCdmItem } from './conjunction-items.js';
import { checkedPayload, receivedMarking } from './item-checks.js';
import type { NodeIdentity } from './node-identity.js';

export const EXCHANGE_KIND = 'exchange';

/** Payload kinds: OMM for element sets, CDM for conjunctions (conjunction-items.ts); OEM is reserved. */
export type ExchangeItemKind = 'omm' | 'cdm' | 'oem';
export type OmmEncoding = 'kvn' | 'xml';

export interface ExchangeItemMarking {
  readonly banner: string;
  readonly originator: string;
  readonly dataMode: string;
}

export interface ExchangeItemProvenance {
  /** Source at the originating node ('spacetrack', a file's --source, 'partner:X', …). */
  readonly source: string;
  readonly ingestedAt: string;
  /** The organisation that originated the data. */
  readonly originator: string;
  readonly contentHash: string;
  readonly catalogNumber: string;
  readonly epoch: string;
}

export interface ExchangeItem {
  readonly kind: ExchangeItemKind;
  readonly encoding: OmmEncoding;
  readonly payload: string;
  readonly payloadSha256: string;
  readonly marking: ExchangeItemMarking;
  readonly provenance: ExchangeItemProvenance;
}

/** The fields of an exchange bundle (with bundle.ts's format, keyId and signature). */
export interface ExchangeBundleFields {
  readonly kind: typeof EXCHANGE_KIND;
  readonly sender: string;
  readonly recipient: string;
  readonly sequence: number;
  readonly previousHash: string;
  readonly createdAt: string;
  /** Element sets, conjunctions, and the cases and case responses of case-items.ts. */
  readonly items: readonly (ExchangeItem | CdmExchangeItem | CaseExchangeItem)[];
}

/**
 * The hash that chains bundles: SHA-256 of the signed content, the canonical text of everything but
 * the signature (what verifyBundle returns as `canonical`).
 */
export function bundleHash(bundle: SignedBundle): string {
  const { signature: _signature, ...content } = bundle;
  return sha256Hex(canonicalJson(content));
}

/** One element set as an item: its OMM, marking and provenance. */
export function elementSetItem(
  es: ElementSet,
  marking: Marking,
  provenance: ExchangeItemProvenance,
  encoding: OmmEncoding = 'kvn',
): ExchangeItem {
  const options = {
    digits: 'full' as const,
    originator: marking.originator,
    creationDate: provenance.ingestedAt.replace(/Z$/, ''),
    comments: [
      `MARKING ${formatMarking(marking)} ORIGINATOR ${marking.originator} DATA_MODE ${marking.dataMode}`,
    ],
  };
  const payload =
    encoding === 'xml' ? formatOmmXml([es], { ...options, single: true }) : formatOmmKvn([es], options);
  return {
    kind: 'omm',
    encoding,
    payload,
    payloadSha256: sha256Hex(payload),
    marking: { banner: formatMarking(marking), originator: marking.originator, dataMode: marking.dataMode },
    provenance,
  };
}

/**
 * Throws ApiError EXCHANGE_NOT_RELEASABLE unless every item's marking parses and canReleaseTo the
 * partner's nation and accreditation (before signing, and again before a kept bundle is sent).
 */
export function assertReleasable(
  identity: NodeIdentity,
  partner: Pick<ExchangePartner, 'name' | 'nation' | 'maxClassification'>,
  items: readonly Pick<ExchangeItem, 'marking'>[],
): void {
  items.forEach((item, i) => {
    let m: Marking;
    try {
      m = parseMarking(identity.scheme, item.marking.banner, item.marking.originator, item.marking.dataMode);
    } catch (e) {
      throw new ApiError(
        422,
        'EXCHANGE_NOT_RELEASABLE',
        `item ${i}: marking ${item.marking.banner}: ${(e as Error).message}`,
      );
    }
    if (!canReleaseTo(identity.scheme, m, partner)) {
      throw new ApiError(
        422,
        'EXCHANGE_NOT_RELEASABLE',
        `item ${i} (${item.marking.banner}) may not go to ${partner.name} (${partner.nation}, up to ${partner.maxClassification})`,
      );
    }
  });
}

/**
 * Signs a bundle for a partner after checking, once more, that every item may go to it (its
 * marking parses and canReleaseTo the partner's nation and accreditation). Throws ApiError
 * EXCHANGE_NOT_RELEASABLE and signs nothing when one may not.
 */
export function signExchangeBundle(
  identity: NodeIdentity,
  partner: Pick<ExchangePartner, 'name' | 'nation' | 'maxClassification'>,
  fields: Omit<ExchangeBundleFields, 'kind' | 'sender' | 'recipient'>,
): SignedBundle {
  return signExchangeBundleHashed(identity, partner, fields).bundle;
}

/** `signExchangeBundle`, also returning the bundle's hash (bundleHash, without a second pass). */
export function signExchangeBundleHashed(
  identity: NodeIdentity,
  partner: Pick<ExchangePartner, 'name' | 'nation' | 'maxClassification'>,
  fields: Omit<ExchangeBundleFields, 'kind' | 'sender' | 'recipient'>,
): { readonly bundle: SignedBundle; readonly hash: string } {
  assertReleasable(identity, partner, fields.items);
  const unsigned: UnsignedBundle = {
    format: BUNDLE_FORMAT,
    keyId: identity.keyId,
    kind: EXCHANGE_KIND,
    sender: identity.organisation,
    recipient: partner.name,
    sequence: fields.sequence,
    previousHash: fields.previousHash,
    createdAt: fields.createdAt,
    items: fields.items as unknown as JsonValue,
  };
  const { bundle, canonical } = signBundleText(unsigned, identity.privateKey);
  return { bundle, hash: sha256Hex(canonical) };
}

/** A received bundle, checked, with its items as element sets ready to store. */
export interface CheckedBundle {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly sets: readonly IncomingSet[];
  /** Conjunctions read from 'cdm' items, checked. */
  readonly conjunctions: readonly IncomingConjunction[];
  /** Cases and case responses (case-items.ts), checked. */
  readonly cases: readonly CheckedCaseItem[];
}

function refuse(status: number, code: string, message: string): never {
  throw new ApiError(status, code, message);
}

/** The keys a partner is trusted with, by key id (a key that does not parse is left out). */
export function trustedKeys(partner: Pick<ExchangePartner, 'publicKeys'>): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const pem of partner.publicKeys) {
    try {
      const k = createPublicKey(pem);
      if (k.asymmetricKeyType === 'ed25519') map.set(keyId(k), k);
    } catch {
      // not a key: it trusts nothing
    }
  }
  return map;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a received bundle from `partner` (already authenticated by its TLS certificate): the
 * signature by one of its trusted keys (BUNDLE_FORMAT, BUNDLE_UNKNOWN_KEY, BUNDLE_SIGNATURE), that
 * it names the partner as sender and this node as recipient (EXCHANGE_WRONG_SENDER,
 * EXCHANGE_WRONG_RECIPIENT), and every item: a known kind (EXCHANGE_ITEM_KIND), its payload hash
 * (EXCHANGE_ITEM_HASH), a marking that parses and is releasable to this node
 * (EXCHANGE_NOT_RELEASABLE) and an OMM holding exactly the element set its provenance names
 * (EXCHANGE_ITEM_INVALID). Sequence and previous hash are checked against the stream's state when
 * the bundle is applied (exchange-service.ts).
 */
export function checkReceivedBundle(
  identity: NodeIdentity,
  partner: ExchangePartner,
  value: unknown,
): CheckedBundle {
  const v = verifyBundle(value, trustedKeys(partner));
  if (!v.ok) {
    const status =
      v.problem.code === 'BUNDLE_FORMAT' ? 400 : v.problem.code === 'BUNDLE_UNKNOWN_KEY' ? 403 : 422;
    refuse(status, v.problem.code, v.problem.message);
  }
  const b = v.bundle as unknown as Record<string, unknown>;
  if (b['kind'] !== EXCHANGE_KIND) refuse(400, 'BUNDLE_FORMAT', `bundle kind is not ${EXCHANGE_KIND}`);
  if (b['sender'] !== partner.name)
    refuse(
      403,
      'EXCHANGE_WRONG_SENDER',
      `the bundle names sender ${String(b['sender'])}, the peer is ${partner.name}`,
    );
  if (b['recipient'] !== identity.organisation)
    refuse(
      403,
      'EXCHANGE_WRONG_RECIPIENT',
      `the bundle is for ${String(b['recipient'])}, this node is ${identity.organisation}`,
    );
  const seq = b['sequence'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    refuse(400, 'BUNDLE_FORMAT', 'sequence is not a positive integer');
  const previousHash = b['previousHash'];
  if (typeof previousHash !== 'string' || (previousHash !== '' && !SHA256.test(previousHash)))
    refuse(400, 'BUNDLE_FORMAT', 'previousHash is not a SHA-256 hex digest');
  const createdAt = b['createdAt'];
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)))
    refuse(400, 'BUNDLE_FORMAT', 'createdAt is not an ISO time');
  const items = b['items'];
  if (!Array.isArray(items)) refuse(400, 'BUNDLE_FORMAT', 'items is not an array');
  const sets: IncomingSet[] = [];
  const cases: CheckedCaseItem[] = [];
  const conjunctions: IncomingConjunction[] = [];
  let trusted: Map<string, KeyObject> | undefined;
  items.forEach((raw: unknown, i: number) => {
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind === 'case' || kind === 'case-response') {
      trusted ??= trustedKeys(partner);
      cases.push(checkCaseItem(identity, trusted, raw as Record<string, unknown>, i));
    } else if (kind === 'cdm') conjunctions.push(checkCdmItem(identity, raw as Record<string, unknown>, i));
    else sets.push(checkItem(identity, raw, i));
  });
  return { sequence: seq, previousHash, hash: sha256Hex(v.canonical), sets, conjunctions, cases };
}

function str(o: Record<string, unknown>, key: string, i: number): string {
  const x = o[key];
  if (typeof x !== 'string') refuse(400, 'BUNDLE_FORMAT', `item ${i}: ${key} is not a string`);
  return x;
}

function checkItem(identity: NodeIdentity, raw: unknown, i: number): IncomingSet {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    refuse(400, 'BUNDLE_FORMAT', `item ${i} is not an object`);
  const item = raw as Record<string, unknown>;
  const kind = item['kind'];
  if (kind !== 'omm')
    refuse(
      422,
      'EXCHANGE_ITEM_KIND',
      `item ${i}: kind ${String(kind)} cannot be stored by this node (omm, cdm, case, case-response)`,
    );
  const payload = checkedPayload(str(item, 'payload', i), item, i);
  const mk = item['marking'];
  const pv = item['provenance'];
  if (mk === null || typeof mk !== 'object' || pv === null || typeof pv !== 'object')
    refuse(400, 'BUNDLE_FORMAT', `item ${i}: marking and provenance are objects`);
  const mko = mk as Record<string, unknown>;
  const pvo = pv as Record<string, unknown>;
  const marking = receivedMarking(
    identity,
    {
      banner: str(mko, 'banner', i),
      originator: str(mko, 'originator', i),
      dataMode: str(mko, 'dataMode', i),
    },
    i,
  );
  const parsed = parseElements(payload, { file: `item ${i}` });
  const record = parsed.ok && parsed.value.records.length === 1 ? parsed.value.records[0] : undefined;
  if (record === undefined)
    refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the payload is not one OMM element set`);
  const format = parsed.ok ? parsed.value.format : 'unknown';
  if (format !== 'omm-kvn' && format !== 'omm-xml')
    refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the payload is ${format}, not an OMM`);
  if (record.elements.catalogNumber !== str(pvo, 'catalogNumber', i))
    refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the OMM is not object ${String(pvo['catalogNumber'])}`);
  return {
    elements: record.elements,
    format: format as ElementFormat,
    banner: formatMarking(marking),
    provenance: {
      originalSource: str(pvo, 'source', i),
      originator: marking.originator,
      dataMode: marking.dataMode,
      originalIngestedAt: str(pvo, 'ingestedAt', i),
      contentHash: str(pvo, 'contentHash', i),
      payloadSha256: sha256Hex(payload),
    },
  };
}
