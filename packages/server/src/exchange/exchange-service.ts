/**
 * One node's side of the exchange, over its store: building the signed bundles of each outgoing
 * stream (selection of what is releasable, chunking, sequence and hash chain, the outbox), serving
 * them to a partner that pulls, and applying a partner's bundles (checked by protocol.ts, stored
 * whole by the store in one transaction).
 *
 * Cases shared with the partner's nation and responses to the partner's cases (case-items.ts) go in
 * the next bundle built, before its element sets; each case version and response is sent once.
 *
 * Selection: the store's element sets in id order, from the partner's cursor on; a set is taken
 * when its marking (markingOfElementSet: none for an unmarked set) canReleaseTo the partner's
 * nation and accreditation, and it did not come from that partner. Each bundle is built once and
 * kept in the outbox until the partner acknowledges it, so a sync interrupted anywhere resumes
 * with the same bundles (a partner that already applied one answers 'duplicate').
 */
import { canReleaseTo } from '@hoshimi/astro';
import { type CatalogStore, type ExchangeCandidate, type ExchangePartner, StoreError } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import { applyCaseItems, assertCasesShared, type CaseExchangeItem, caseItemsDue } from './case-items.js';
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
}

export class ExchangeService {
  readonly store: CatalogStore;
  readonly identity: NodeIdentity;
  readonly #bundleItems: number;
  readonly #now: () => Date;
  /** Per partner: the build in progress (one at a time per stream in this process). */
  readonly #building = new Map<string, Promise<void>>();

  constructor(options: ExchangeServiceOptions) {
    this.store = options.store;
    this.identity = options.identity;
    this.#bundleItems = options.bundleItems ?? DEFAULT_BUNDLE_ITEMS;
    this.#now = options.now ?? (() => new Date());
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
      if (chosen.length === 0 && due.items.length === 0) {
        if (scanned > from) await ex.advanceScan(partnerName, from, scanned);
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
      const items: (ExchangeItem | CaseExchangeItem)[] = [...due.items, ...sets];
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
        body: JSON.stringify(signed),
      });
      // Recorded after the bundle is kept: a crash between the two sends a case version or response
      // once more in a later bundle, which the receiver recognises (a replica version held, a
      // response applied) and ignores.
      if (due.refs.length > 0) await this.store.caseExchange().markSent(partnerName, due.refs, sequence);
      if (chosen.length < this.#bundleItems) return;
    }
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
