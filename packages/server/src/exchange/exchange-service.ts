/**
 * One node's side of the exchange, over its store: building the signed bundles of each outgoing
 * stream (selection of what is releasable, chunking, sequence and hash chain, the outbox), serving
 * them to a partner that pulls, and applying a partner's bundles (checked by protocol.ts, stored
 * whole by the store in one transaction).
 *
 * Cases shared with the partner's nation and responses to the partner's cases (case-items.ts) go in
 * the next bundle built, before its element sets; each case version and response is sent once.
 *
 * Conjunctions follow the sets as CDM items (conjunction-items.ts: which may go, and how the CDM
 * is built), from a second cursor per partner; they need the astro context (TEME → EME2000), and
 * without one they wait and `cdmReport` says so.
 *
 * Selection: the store's element sets in id order, from the partner's cursor on; a set is taken
 * when its marking (markingOfElementSet: none for an unmarked set) canReleaseTo the partner's
 * nation and accreditation, and it did not come from that partner. Each bundle is built once and
 * kept in the outbox until the partner acknowledges it, so a sync interrupted anywhere resumes
 * with the same bundles (a partner that already applied one answers 'duplicate').
 */
import { type AstroContext, canReleaseTo } from '@hoshimi/astro';
import { type CatalogStore, type ExchangeCandidate, type ExchangePartner, StoreError } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import { applyCaseItems, assertCasesShared, type CaseExchangeItem, caseItemsDue } from './case-items.js';
import { type CdmExchangeItem, type CdmSkip, releasableConjunction } from './conjunction-items.js';
import { markingOfElementSet } from './marking-of-element-set.js';
import type { NodeIdentity } from './node-identity.js';
import {
  assertReleasable,
  checkReceivedBundle,
  type ExchangeItem,
  elementSetItem,
  signExchangeBundleHashed,
} from './protocol.js';

/** Element sets per bundle by default. */
export const DEFAULT_BUNDLE_ITEMS = 2000;

/** What the receiver answers for one bundle. */
export interface ReceiveAnswer {
  readonly status: 'applied' | 'duplicate';
  readonly sequence: number;
  /** The last sequence this node holds of the stream. */
  readonly lastSequence: number;
  readonly inserted: number;
}

export interface ExchangeServiceOptions {
  readonly store: CatalogStore;
  readonly identity: NodeIdentity;
  /** Element sets per bundle (default 2000). */
  readonly bundleItems?: number;
  /** Clock for bundle creation times (default the system clock). */
  readonly now?: () => Date;
  /**
   * Leap seconds and EOP for the CDMs of conjunctions (TEME → EME2000); without it conjunctions
   * are not sent (cdmReport says so).
   */
  readonly context?: () => AstroContext | undefined;
}

export class ExchangeService {
  readonly store: CatalogStore;
  readonly identity: NodeIdentity;
  readonly #bundleItems: number;
  readonly #now: () => Date;
  readonly #context: () => AstroContext | undefined;
  readonly #cdm = {
    built: 0,
    skipped: { marking: 0, echo: 0, 'element-sets': 0, 'build-failed': 0 } as Record<CdmSkip, number>,
    waitingForContext: new Set<string>(),
  };
  /** Per partner: the build in progress (one at a time per stream in this process). */
  readonly #building = new Map<string, Promise<void>>();

  constructor(options: ExchangeServiceOptions) {
    this.store = options.store;
    this.identity = options.identity;
    this.#bundleItems = options.bundleItems ?? DEFAULT_BUNDLE_ITEMS;
    this.#now = options.now ?? (() => new Date());
    this.#context = options.context ?? (() => undefined);
  }

  async partner(name: string): Promise<ExchangePartner> {
    const p = await this.store.exchange.getPartner(name);
    if (p === null) throw new ApiError(404, 'EXCHANGE_UNKNOWN_PARTNER', `no exchange partner ${name}`);
    return p;
  }

  /** Whether a stored set may go to the partner (the selection check). */
  releasable(c: ExchangeCandidate, partner: ExchangePartner): boolean {
    if (c.source === `partner:${partner.name}`) return false; // never echo a partner's data back
    const m = markingOfElementSet(c, this.identity.scheme);
    return m !== null && canReleaseTo(this.identity.scheme, m, partner);
  }

  /**
   * Builds the bundles the partner is due (new releasable sets since its cursor): all of them, or
   * until bundle `upTo` exists (a pull builds as it is served, so both nodes work at once).
   */
  buildOutbox(partnerName: string, upTo = Number.POSITIVE_INFINITY): Promise<void> {
    const prior = this.#building.get(partnerName) ?? Promise.resolve();
    const run = prior.then(() => this.#build(partnerName, upTo));
    const settled = run.catch(() => undefined);
    this.#building.set(partnerName, settled);
    void settled.then(() => {
      if (this.#building.get(partnerName) === settled) this.#building.delete(partnerName);
    });
    return run;
  }

  async #build(partnerName: string, upTo: number): Promise<void> {
    const ex = this.store.exchange;
    for (;;) {
      const p = await this.partner(partnerName);
      if (p.outgoing.builtSeq >= upTo) return;
      // Cases shared with the partner's nation and responses to its cases ride in the first bundle.
      const due = await caseItemsDue(this.store, this.identity, p);
      const from = p.outgoing.setId;
      let scanned = from;
      const chosen: ExchangeCandidate[] = [];
      while (chosen.length < this.#bundleItems) {
        const batch = await ex.candidates(scanned, this.#bundleItems);
        if (batch.length === 0) break;
        for (const c of batch) {
          scanned = c.id;
          if (this.releasable(c, p)) {
            chosen.push(c);
            if (chosen.length === this.#bundleItems) break;
          }
        }
      }
      const cdm = await this.#selectConjunctions(p, this.#bundleItems - chosen.length);
      if (chosen.length === 0 && cdm.items.length === 0 && due.items.length === 0) {
        if (scanned > from) await ex.advanceScan(partnerName, from, scanned);
        if (cdm.scanned > p.outgoing.conjunctionId)
          await ex.advanceConjunctionScan(partnerName, p.outgoing.conjunctionId, cdm.scanned);
        return;
      }
      const sets: ExchangeItem[] = chosen.map((c) => {
        // Checked at selection; non-null here.
        const m = markingOfElementSet(c, this.identity.scheme);
        if (m === null)
          throw new ApiError(500, 'EXCHANGE_NOT_RELEASABLE', `element set ${c.id} lost its marking`);
        return elementSetItem(c.elements, m, {
          source: c.received?.originalSource ?? c.source,
          ingestedAt: c.received?.originalIngestedAt ?? c.ingestedAt,
          originator: m.originator,
          contentHash: c.received?.contentHash ?? c.contentHash,
          catalogNumber: c.elements.catalogNumber,
          epoch: c.epochUtc,
        });
      });
      const items: (ExchangeItem | CdmExchangeItem | CaseExchangeItem)[] = [
        ...due.items,
        ...sets,
        ...cdm.items,
      ];
      assertCasesShared(p, due.items);
      const sequence = p.outgoing.builtSeq + 1;
      const { bundle: signed, hash } = signExchangeBundleHashed(this.identity, p, {
        sequence,
        previousHash: p.outgoing.builtHash,
        createdAt: this.#now().toISOString(),
        items,
      });
      await ex.appendOutbox(partnerName, {
        seq: sequence,
        hash,
        previousHash: p.outgoing.builtHash,
        itemCount: items.length,
        lastSetId: scanned,
        ...(cdm.scanned > p.outgoing.conjunctionId ? { lastConjunctionId: cdm.scanned } : {}),
        body: JSON.stringify(signed),
      });
      // Recorded after the bundle is kept: a crash between the two sends a case version or response
      // once more in a later bundle, which the receiver recognises (a replica version held, a
      // response applied) and ignores.
      if (due.refs.length > 0) await this.store.caseExchange().markSent(partnerName, due.refs, sequence);
      if (chosen.length + cdm.items.length < this.#bundleItems) return;
    }
  }

  /**
   * Up to `room` CDM items for the partner, from its conjunction cursor on (conjunction-items.ts
   * decides which may go). Without an astro context no CDM can be built (TEME → EME2000): the
   * cursor stays, and `cdmReport` says that conjunctions wait.
   */
  async #selectConjunctions(
    p: ExchangePartner,
    room: number,
  ): Promise<{ readonly items: CdmExchangeItem[]; readonly scanned: number }> {
    const from = p.outgoing.conjunctionId;
    const items: CdmExchangeItem[] = [];
    if (room <= 0) return { items, scanned: from };
    const ctx = this.#context();
    if (ctx === undefined) {
      const waiting = await this.store.exchange.conjunctionCandidates(from, 1);
      if (waiting.length > 0) this.#cdm.waitingForContext.add(p.name);
      return { items, scanned: from };
    }
    this.#cdm.waitingForContext.delete(p.name);
    let scanned = from;
    const now = this.#now();
    while (items.length < room) {
      const batch = await this.store.exchange.conjunctionCandidates(scanned, room);
      if (batch.length === 0) break;
      for (const c of batch) {
        scanned = c.id;
        const r = await releasableConjunction(this.store, ctx, this.identity.scheme, p, c, now);
        if ('item' in r) {
          items.push(r.item);
          this.#cdm.built++;
          if (items.length === room) break;
        } else this.#cdm.skipped[r.skip]++;
      }
    }
    return { items, scanned };
  }

  /**
   * What the CDM stream did in this process: items built, conjunctions not sent and why, and the
   * partners whose conjunctions wait because this node has no astro context (no CDM is faked).
   */
  cdmReport(): {
    readonly built: number;
    readonly skipped: Readonly<Record<CdmSkip, number>>;
    readonly waitingForContext: readonly string[];
  } {
    return {
      built: this.#cdm.built,
      skipped: { ...this.#cdm.skipped },
      waitingForContext: [...this.#cdm.waitingForContext].sort(),
    };
  }

  /**
   * The bundles a pulling partner asks for: the ones after `after`, at most `limit`, as their JSON
   * texts. It holds (has applied) every bundle up to `ack` (default `after`), acknowledged here; a
   * partner that fetches ahead while it applies asks with `ack` below `after`.
   */
  async bundlesAfter(
    partnerName: string,
    after: number,
    limit: number,
    ack = after,
  ): Promise<{ readonly bundles: readonly string[]; readonly more: boolean }> {
    if (ack > 0) await this.store.exchange.acknowledge(partnerName, Math.min(ack, after));
    await this.buildOutbox(partnerName, after + limit + 1);
    const entries = await this.store.exchange.outbox(partnerName, after, limit + 1);
    const partner = await this.partner(partnerName);
    const out: string[] = [];
    for (const e of entries.slice(0, limit)) {
      if (e.body === null) {
        throw new ApiError(
          410,
          'EXCHANGE_GONE',
          `bundle ${e.seq} was acknowledged and dropped; the partner's state is behind its acknowledgement`,
        );
      }
      this.checkBeforeSending(partner, e.body);
      out.push(e.body);
    }
    return { bundles: out, more: entries.length > limit };
  }

  /**
   * A kept bundle is checked once more before it leaves, against the partner as it is now (its
   * accreditation may have been lowered since the bundle was built): EXCHANGE_NOT_RELEASABLE.
   */
  checkBeforeSending(partner: ExchangePartner, body: string): void {
    const items = (JSON.parse(body) as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new ApiError(500, 'EXCHANGE_CORRUPT', 'a kept bundle has no items');
    assertReleasable(this.identity, partner, items as ExchangeItem[]);
    assertCasesShared(partner, items as ExchangeItem[]);
  }

  /** Checks and applies one bundle received from `partnerName` (see protocol.ts and the store). */
  async receive(partnerName: string, value: unknown): Promise<ReceiveAnswer> {
    const partner = await this.partner(partnerName);
    const checked = checkReceivedBundle(this.identity, partner, value);
    // Cases and responses are applied first, idempotently, and only when the bundle is the next of
    // its stream (a duplicate, a replay or a gap touches nothing); then the sets and the stream's
    // state in one transaction. A crash between the two re-applies the cases harmlessly.
    if (
      checked.cases.length > 0 &&
      checked.sequence === partner.incoming.seq + 1 &&
      checked.previousHash === partner.incoming.hash
    )
      await applyCaseItems(this.store, partner, checked.cases);
    const r = await this.store.exchange
      .applyBundle({
        partner: partnerName,
        seq: checked.sequence,
        hash: checked.hash,
        previousHash: checked.previousHash,
        sets: checked.sets,
        conjunctions: checked.conjunctions,
      })
      .catch((e: unknown) => {
        if (e instanceof StoreError && e.code === 'STORE_BAD_ELEMENTS')
          throw new ApiError(422, 'EXCHANGE_ITEM_INVALID', `bundle ${checked.sequence}: ${e.message}`);
        throw e;
      });
    const seq = checked.sequence;
    switch (r.status) {
      case 'applied':
        return { status: 'applied', sequence: seq, lastSequence: seq, inserted: r.inserted };
      case 'duplicate': {
        const now = await this.partner(partnerName);
        return { status: 'duplicate', sequence: seq, lastSequence: now.incoming.seq, inserted: 0 };
      }
      case 'conflict':
        throw new ApiError(
          409,
          'EXCHANGE_REPLAYED',
          `bundle ${seq} of ${partnerName} was applied before with other content (hash ${r.storedHash.slice(0, 16)}…): refused`,
        );
      case 'gap':
        throw new ApiError(
          409,
          'EXCHANGE_OUT_OF_ORDER',
          `bundle ${seq} of ${partnerName} does not follow: the next expected is ${r.expectedSeq}`,
        );
      case 'previous-hash':
        throw new ApiError(
          409,
          'EXCHANGE_BROKEN_CHAIN',
          `bundle ${seq} of ${partnerName} does not chain to the last bundle applied (previous hash differs)`,
        );
      default:
        throw new ApiError(404, 'EXCHANGE_UNKNOWN_PARTNER', `no exchange partner ${partnerName}`);
    }
  }
}
