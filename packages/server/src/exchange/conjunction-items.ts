/**
 * Conjunctions in the node exchange: items of kind 'cdm', one CCSDS CDM (508.0-B-1, KVN) per stored
 * conjunction, built as GET /conjunctions/:id/cdm builds it (conjunction-cdm.ts: the screened
 * element sets propagated with SGP4 to TCA, TEME → EME2000 through the astro context), with the
 * conjunction's marking and its provenance.
 *
 * Which conjunctions leave a node (`releasableConjunction`), the conservative rule: the stored
 * conjunction's marking canReleaseTo the partner, its screening was not received from that partner
 * (never echoed back), AND both element sets the CDM is built from are releasable to the partner by
 * the element-set rule (markingOfElementSet: marked at import by a banner that agrees with the
 * store's columns, never by a default). A conjunction whose stored marking came from a default (an
 * unmarked input set, a screening stored without markings) therefore never leaves, even when that
 * default is public: the CDM carries both objects' states, which are the sets' data.
 *
 * The receiver (`checkCdmItem`) checks the payload's SHA-256, parses the marking and re-checks it
 * against its own nation, reads the CDM with astro's parseCdm, and takes TCA, miss distance, the
 * RTN miss, relative speed, Pc and its method from the CDM; the fields a CDM does not carry as the
 * store keeps them (element-set ages, hard-body radius in m, covariance source, confidence, the Pc
 * method of a conjunction without a Pc) come
 * from the signed provenance, whose object pair and TCA must agree with the CDM.
 */
import {
  type AstroContext,
  type ClassificationScheme,
  canReleaseTo,
  formatCdmKvn,
  formatMarking,
  parseCdm,
} from '@hoshimi/astro';
import type {
  CatalogStore,
  ConjunctionCandidate,
  ExchangePartner,
  IncomingConjunction,
} from '@hoshimi/store';
import { conjunctionCdm } from '../conjunction-cdm.js';
import { ApiError } from '../errors.js';
import { sha256Hex } from './bundle.js';
import { checkedPayload, receivedMarking } from './item-checks.js';
import { markingOfElementSet } from './marking-of-element-set.js';
import type { NodeIdentity } from './node-identity.js';
import type { ExchangeItemMarking } from './protocol.js';

/** Provenance of a conjunction item: where and how the sender screened it. */
export interface CdmItemProvenance {
  /** The sender's screening source and its conjunction id (`<screening>/<row>`). */
  readonly source: string;
  readonly conjunctionId: string;
  readonly screenedAt: string;
  readonly originator: string;
  readonly catalogNumbers: readonly [string, string];
  readonly tca: string;
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  /** What the CDM does not carry as the store keeps it. */
  readonly age1Days: number;
  readonly age2Days: number;
  readonly hbrM: number;
  readonly covarianceSource: string;
  readonly confidence: 'low' | 'normal';
  /** The Pc method as stored (a CDM without a Pc carries none). */
  readonly pcMethod: string;
}

export interface CdmExchangeItem {
  readonly kind: 'cdm';
  readonly encoding: 'kvn';
  readonly payload: string;
  readonly payloadSha256: string;
  readonly marking: ExchangeItemMarking;
  readonly provenance: CdmItemProvenance;
}

/** Why a stored conjunction was not put in a bundle. */
export type CdmSkip = 'marking' | 'echo' | 'element-sets' | 'build-failed';

/**
 * The CDM item of a stored conjunction for `partner`, or why it is not sent (see the module
 * header). The conjunction's own marking is checked first: nothing is built for one that may not go.
 */
export async function releasableConjunction(
  store: CatalogStore,
  context: AstroContext,
  scheme: ClassificationScheme,
  partner: ExchangePartner,
  c: ConjunctionCandidate,
  now: Date,
): Promise<{ readonly item: CdmExchangeItem } | { readonly skip: CdmSkip }> {
  if (c.screeningSource.startsWith(`partner:${partner.name} `)) return { skip: 'echo' };
  const m = c.conjunction.marking;
  if (!canReleaseTo(scheme, m, partner)) return { skip: 'marking' };
  let built: Awaited<ReturnType<typeof conjunctionCdm>>;
  try {
    built = await conjunctionCdm(store, context, c, c.conjunction, now);
  } catch (e) {
    if (e instanceof ApiError) return { skip: 'build-failed' };
    throw e;
  }
  for (const set of built.sets) {
    const sm = markingOfElementSet(set, scheme);
    if (sm === null || !canReleaseTo(scheme, sm, partner)) return { skip: 'element-sets' };
  }
  const payload = formatCdmKvn(built.cdm);
  const r = c.conjunction;
  return {
    item: {
      kind: 'cdm',
      encoding: 'kvn',
      payload,
      payloadSha256: sha256Hex(payload),
      marking: { banner: formatMarking(m), originator: m.originator, dataMode: m.dataMode },
      provenance: {
        source: c.screeningSource,
        conjunctionId: `${c.screeningId}/${c.id}`,
        screenedAt: c.screenedAt,
        originator: m.originator,
        catalogNumbers: [r.id1, r.id2],
        tca: r.tcaUtc,
        windowStart: c.windowStart,
        windowStop: c.windowStop,
        thresholdKm: c.thresholdKm,
        age1Days: r.age1Days,
        age2Days: r.age2Days,
        hbrM: r.hbrM,
        covarianceSource: r.covarianceSource,
        confidence: r.confidence,
        pcMethod: r.pcMethod,
      },
    },
  };
}

function refuse(status: number, code: string, message: string): never {
  throw new ApiError(status, code, message);
}

function str(o: Record<string, unknown>, key: string, i: number): string {
  const x = o[key];
  if (typeof x !== 'string') refuse(400, 'BUNDLE_FORMAT', `item ${i}: ${key} is not a string`);
  return x;
}

function num(o: Record<string, unknown>, key: string, i: number): number {
  const x = o[key];
  if (typeof x !== 'number' || !Number.isFinite(x))
    refuse(400, 'BUNDLE_FORMAT', `item ${i}: ${key} is not a finite number`);
  return x;
}

function need(x: number | undefined, key: string, i: number): number {
  if (x === undefined) refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the CDM has no ${key}`);
  return x;
}

/** Whole microseconds of an ISO UTC time (TCA comparison at the CDM's 6 decimals). */
function isoMicros(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z?$/.exec(iso.trim());
  if (m === null) return Number.NaN;
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/**
 * Checks one received 'cdm' item (see the module header): EXCHANGE_ITEM_HASH,
 * EXCHANGE_NOT_RELEASABLE, EXCHANGE_ITEM_INVALID, BUNDLE_FORMAT. Never stores anything.
 */
export function checkCdmItem(
  identity: NodeIdentity,
  item: Record<string, unknown>,
  i: number,
): IncomingConjunction {
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
  const parsed = parseCdm(payload, { file: `item ${i}` });
  if (!parsed.ok) refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the payload is not a CDM`);
  const cdm = parsed.value;
  const rel = cdm.relativeMetadata;
  const id1 = cdm.objects[0].metadata.objectDesignator;
  const id2 = cdm.objects[1].metadata.objectDesignator;
  const names = pvo['catalogNumbers'];
  if (!Array.isArray(names) || names[0] !== id1 || names[1] !== id2)
    refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the CDM is not the conjunction its provenance names`);
  const tca = `${rel.tca.text.replace(/Z$/, '')}Z`;
  if (isoMicros(tca) !== isoMicros(str(pvo, 'tca', i)))
    refuse(422, 'EXCHANGE_ITEM_INVALID', `item ${i}: the CDM's TCA is not the one its provenance names`);
  const confidence = pvo['confidence'] === 'low' ? 'low' : 'normal';
  const pcMethod = rel.collisionProbabilityMethod ?? str(pvo, 'pcMethod', i);
  return {
    record: {
      id1,
      id2,
      tcaUtc: tca,
      missKm: rel.missDistanceKm,
      relSpeedKmS: need(rel.relativeSpeedKmPerS, 'RELATIVE_SPEED', i),
      rKm: need(rel.relativePositionRKm, 'RELATIVE_POSITION_R', i),
      iKm: need(rel.relativePositionTKm, 'RELATIVE_POSITION_T', i),
      cKm: need(rel.relativePositionNKm, 'RELATIVE_POSITION_N', i),
      pc: rel.collisionProbability ?? null,
      pcMethod,
      hbrM: num(pvo, 'hbrM', i),
      covarianceSource: str(pvo, 'covarianceSource', i),
      confidence,
      age1Days: num(pvo, 'age1Days', i),
      age2Days: num(pvo, 'age2Days', i),
    },
    marking,
    windowStart: str(pvo, 'windowStart', i),
    windowStop: str(pvo, 'windowStop', i),
    thresholdKm: num(pvo, 'thresholdKm', i),
    originalSource: str(pvo, 'source', i),
    originalId: str(pvo, 'conjunctionId', i),
    payloadSha256: sha256Hex(payload),
  };
}
