/**
 * The node exchange between two real servers on loopback, each with its own SQLite store: a 'USA'
 * node (USSPACECOM) and a 'JPN' node (JASDF), mutual TLS with certificates made by openssl for
 * this run. What is releasable to Japan reaches the JPN node with its marking and provenance;
 * USA-only, unmarked and unparseable-marked sets never leave (asserted on the wire and in the
 * receiver's store); a client without a trusted certificate is refused during the handshake;
 * tampered, replayed and out-of-order bundles are refused with their codes and store nothing; a
 * second sync changes nothing.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SCHEME, type Marking, parseMarking, parseTleText } from '@hoshimi/astro';
import { type CatalogStore, openSqliteStore, type SqliteCatalogStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, keyId, signBundle } from '../src/exchange/bundle.js';
import { buildExchangeListener } from '../src/exchange/exchange-listener.js';
import { ExchangeService } from '../src/exchange/exchange-service.js';
import { syncWithPartner } from '../src/exchange/exchange-sync.js';
import { markingOfElementSet } from '../src/exchange/marking-of-element-set.js';
import {
  defaultKeyPath,
  loadNodeIdentity,
  loadNodeKey,
  type NodeIdentity,
  publicKeyPem,
} from '../src/exchange/node-identity.js';
import { elementSetItem, signExchangeBundle } from '../src/exchange/protocol.js';
import { certificateFingerprint } from '../src/exchange/tls-peer.js';
import {
  catalogNumbersOf,
  catalogSlice,
  makeNodePki,
  makeSiblingCert,
  type NodePki,
  rawRequest,
} from './exchange-fixture.js';

const FAR_FUTURE = '2030-01-01T00:00:00Z';
/** Relative difference a value may take through degrees and text at 17 digits (a few ulps). */
const LAST_BITS = 1e-14;
/** Small bundles, so that every stream here holds several. */
const BUNDLE_ITEMS = 8;

interface Node {
  readonly db: string;
  readonly store: SqliteCatalogStore;
  readonly identity: NodeIdentity;
  readonly service: ExchangeService;
  readonly pki: NodePki;
  listener?: FastifyInstance;
  url?: string;
}

let dir: string;
let usa: Node;
let jpn: Node;
let rogue: NodePki;

async function makeNode(name: string, organisation: string, nation: string): Promise<Node> {
  const db = join(dir, `${name}.db`);
  const store = await openSqliteStore(db);
  await store.exchange.setNodeInfo({ organisation, nation });
  const identity = await loadNodeIdentity(store, defaultKeyPath(db));
  const service = new ExchangeService({ store, identity, bundleItems: BUNDLE_ITEMS });
  return { db, store, identity, service, pki: makeNodePki(dir, name, organisation) };
}

async function importSets(store: CatalogStore, text: string, label: string | undefined, name: string) {
  // A banner label is imported as the sets' marking (originator: the node's organisation); any
  // other label is kept as text only, and the sets take the store's default marking.
  let marking: Marking | undefined;
  if (label !== undefined) {
    const organisation = (await store.exchange.nodeInfo())?.organisation ?? 'LOCAL';
    try {
      marking = parseMarking(DEFAULT_SCHEME, label, organisation);
    } catch {
      marking = undefined;
    }
  }
  const r = await store.importFile({
    name,
    bytes: Buffer.from(text),
    source: 'spacetrack',
    ...(label === undefined ? {} : { label }),
    ...(marking === undefined ? {} : { marking }),
  });
  expect(r.status).toBe('ok');
}

function partnerOf(n: Node, maxClassification = 'SECRET') {
  return {
    name: n.identity.organisation,
    nation: n.identity.nation,
    maxClassification,
    publicKeys: [publicKeyPem(n.identity.publicKey)],
    url: n.url ?? null,
    tlsCa: n.pki.caPem,
    tlsFingerprint: certificateFingerprint(n.pki.certPem),
  };
}

/** Every stored element set of a store: catalog number → { source, label, id }. */
async function storedSets(store: CatalogStore) {
  const out = new Map<string, { source: string; label: string; id: number; count: number }>();
  for (const s of await store.asOf(FAR_FUTURE)) {
    const h = await store.history(s.catalogNumber);
    out.set(s.catalogNumber, { source: s.source, label: s.label, id: s.id, count: h.length });
  }
  return out;
}

const relBoth = catalogSlice(0, 20);
const usaOnly = catalogSlice(20, 15);
const unmarked = catalogSlice(35, 10);
const publicSets = catalogSlice(45, 5);
const badLabel = catalogSlice(50, 3);
const relJpn = catalogSlice(53, 4);
const expectedAtJpn = new Set([
  ...catalogNumbersOf(relBoth),
  ...catalogNumbersOf(publicSets),
  ...catalogNumbersOf(relJpn),
]);
const neverSent = [
  ...catalogNumbersOf(usaOnly),
  ...catalogNumbersOf(unmarked),
  ...catalogNumbersOf(badLabel),
];

let firstBundleText = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoshimi-exchange-'));
  usa = await makeNode('usa', 'USSPACECOM', 'USA');
  jpn = await makeNode('jpn', 'JASDF', 'JPN');
  rogue = makeNodePki(dir, 'rogue', 'JASDF');
  await usa.store.exchange.savePartner(partnerOf(jpn));
  await jpn.store.exchange.savePartner(partnerOf(usa));
  for (const n of [usa, jpn]) {
    const listener = await buildExchangeListener({
      service: n.service,
      tls: { cert: n.pki.certPem, key: n.pki.keyPem, ca: [] },
      trustRefreshMs: 200,
    });
    n.url = await listener.listen({ host: '127.0.0.1', port: 0 });
    n.listener = listener;
  }
  await usa.store.exchange.savePartner(partnerOf(jpn));
  await jpn.store.exchange.savePartner(partnerOf(usa));
  await importSets(usa.store, relBoth, 'SECRET//REL TO USA, JPN', 'rel-both.3le');
  await importSets(usa.store, usaOnly, 'SECRET//REL TO USA', 'usa-only.3le');
  await importSets(usa.store, unmarked, undefined, 'unmarked.3le');
  await importSets(usa.store, publicSets, 'UNCLASSIFIED', 'public.3le');
  await importSets(usa.store, badLabel, 'TOP SECRET//NOFORN', 'bad-label.3le');
  await importSets(usa.store, relJpn, 'CONFIDENTIAL//REL TO JPN', 'rel-jpn.3le');
}, 60_000);

afterAll(async () => {
  for (const n of [usa, jpn]) {
    await n?.listener?.close();
    await n?.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const clientOf = (n: Node, to: Node) => ({ ca: to.pki.caPem, cert: n.pki.certPem, key: n.pki.keyPem });

describe('exchange between a USA node and a JPN node over mutual TLS', () => {
  it('sends on the wire only what is releasable to Japan', async () => {
    const a = await rawRequest(usa.url!, clientOf(jpn, usa), 'GET', '/exchange/bundles?after=0');
    expect(a.status).toBe(200);
    const body = a.json as { bundles: { sequence: number; items: { marking: { banner: string } }[] }[] };
    expect(body.bundles.map((b) => b.sequence)).toEqual([1, 2, 3, 4]);
    const onWire = new Set([...a.text.matchAll(/NORAD_CAT_ID\s*=\s*(\d+)/g)].map((m) => m[1]));
    expect(onWire).toEqual(expectedAtJpn);
    for (const cn of neverSent) expect(onWire.has(cn)).toBe(false);
    const banners = new Set(body.bundles.flatMap((b) => b.items.map((i) => i.marking.banner)));
    expect(banners).toEqual(new Set(['SECRET//REL TO JPN, USA', 'UNCLASSIFIED', 'CONFIDENTIAL//REL TO JPN']));
    firstBundleText = JSON.stringify(body.bundles[0]);
  });

  it('pulls: the JPN node stores the sets with their markings, provenance and originator', async () => {
    const r = await syncWithPartner({
      service: jpn.service,
      partner: 'USSPACECOM',
      tls: { cert: jpn.pki.certPem, key: jpn.pki.keyPem },
    });
    expect(r.pulled).toEqual({ bundles: 4, inserted: expectedAtJpn.size, duplicates: 0 });
    const stored = await storedSets(jpn.store);
    expect(new Set(stored.keys())).toEqual(expectedAtJpn);
    for (const cn of neverSent) expect(stored.has(cn)).toBe(false);
    const both = catalogNumbersOf(relBoth)[0]!;
    const s = stored.get(both)!;
    expect(s.source).toBe('partner:USSPACECOM');
    expect(s.label).toBe('SECRET//REL TO JPN, USA');
    expect(parseMarking(DEFAULT_SCHEME, s.label, 'USSPACECOM').releasableTo).toEqual(['JPN', 'USA']);
    const p = await jpn.store.exchange.provenance(s.id);
    expect(p).toMatchObject({
      partner: 'USSPACECOM',
      originalSource: 'spacetrack',
      originator: 'USSPACECOM',
      dataMode: 'REAL',
    });
    expect(p?.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.get(catalogNumbersOf(relJpn)[0]!)?.label).toBe('CONFIDENTIAL//REL TO JPN');
    // The orbital elements survive the OMM round trip (full precision).
    const mine = (await usa.store.history(both))[0]!.elements;
    const theirs = (await jpn.store.history(both))[0]!.elements;
    expect(theirs.epoch.jd + theirs.epoch.jdFrac).toBeCloseTo(mine.epoch.jd + mine.epoch.jdFrac, 9);
    for (const k of ['inclinationRad', 'raanRad', 'eccentricity', 'meanMotionRadPerMin', 'bstar'] as const) {
      expect(Math.abs(theirs[k] - mine[k])).toBeLessThanOrEqual(LAST_BITS * Math.abs(mine[k]));
    }
  });

  it('is idempotent: syncing again, both ways and from both sides, changes nothing', async () => {
    const before = await storedSets(jpn.store);
    const tls = { cert: jpn.pki.certPem, key: jpn.pki.keyPem };
    const again = await syncWithPartner({ service: jpn.service, partner: 'USSPACECOM', tls });
    expect(again.pulled.inserted).toBe(0);
    const push = await syncWithPartner({
      service: usa.service,
      partner: 'JASDF',
      tls: { cert: usa.pki.certPem, key: usa.pki.keyPem },
    });
    expect(push.pushed.bundles).toBe(0);
    expect(await storedSets(jpn.store)).toEqual(before);
    // The exact first bundle again: acknowledged as a duplicate, not applied twice.
    const dup = await rawRequest(jpn.url!, clientOf(usa, jpn), 'POST', '/exchange/bundles', firstBundleText);
    expect(dup.status).toBe(200);
    expect(dup.json).toMatchObject({ status: 'duplicate', sequence: 1, lastSequence: 4 });
    expect(await storedSets(jpn.store)).toEqual(before);
  });

  it('pushes new sets, and pulls the other way without echoing a partner its own data', async () => {
    const more = catalogSlice(60, 10);
    await importSets(usa.store, more, 'SECRET//REL TO JPN, USA', 'more.3le');
    const push = await syncWithPartner({
      service: usa.service,
      partner: 'JASDF',
      tls: { cert: usa.pki.certPem, key: usa.pki.keyPem },
      direction: 'push',
    });
    expect(push.pushed).toMatchObject({ bundles: 2, items: 10, duplicates: 0 });
    const atJpn = await storedSets(jpn.store);
    for (const cn of catalogNumbersOf(more)) expect(atJpn.get(cn)?.source).toBe('partner:USSPACECOM');

    await importSets(jpn.store, catalogSlice(70, 6), 'SECRET//REL TO JPN, USA', 'jpn-shared.3le');
    await importSets(jpn.store, catalogSlice(76, 4), 'SECRET//REL TO JPN', 'jpn-only.3le');
    const pull = await syncWithPartner({
      service: usa.service,
      partner: 'JASDF',
      tls: { cert: usa.pki.certPem, key: usa.pki.keyPem },
      direction: 'pull',
    });
    expect(pull.pulled.inserted).toBe(6);
    const atUsa = await storedSets(usa.store);
    for (const cn of catalogNumbersOf(catalogSlice(70, 6))) {
      expect(atUsa.get(cn)).toMatchObject({ source: 'partner:JASDF', label: 'SECRET//REL TO JPN, USA' });
      const p = await usa.store.exchange.provenance(atUsa.get(cn)!.id);
      expect(p?.originator).toBe('JASDF');
    }
    for (const cn of catalogNumbersOf(catalogSlice(76, 4))) expect(atUsa.has(cn)).toBe(false);
    // Nothing of the USA's own came back (each USA object still has one set, its own).
    expect(atUsa.get(catalogNumbersOf(relBoth)[0]!)).toMatchObject({ source: 'spacetrack', count: 1 });
  });

  it('checks a kept bundle again before it leaves: a lowered accreditation stops it', async () => {
    await importSets(usa.store, catalogSlice(95, 3), 'SECRET//REL TO JPN, USA', 'late.3le');
    await usa.service.buildOutbox('JASDF');
    const p = (await usa.store.exchange.getPartner('JASDF'))!;
    expect(p.outgoing.builtSeq).toBeGreaterThan(p.outgoing.ackedSeq);
    await usa.store.exchange.savePartner({ ...partnerOf(jpn, 'CONFIDENTIAL'), url: jpn.url! });
    const held = (await jpn.store.exchange.getPartner('USSPACECOM'))!.incoming.seq;
    const a = await rawRequest(usa.url!, clientOf(jpn, usa), 'GET', `/exchange/bundles?after=${held}`);
    expect(a.status).toBe(422);
    expect(a.json).toMatchObject({ code: 'EXCHANGE_NOT_RELEASABLE' });
    expect(a.text).not.toMatch(/NORAD_CAT_ID/);
    const tls = { cert: usa.pki.certPem, key: usa.pki.keyPem };
    await expect(
      syncWithPartner({ service: usa.service, partner: 'JASDF', tls, direction: 'push' }),
    ).rejects.toMatchObject({ code: 'EXCHANGE_NOT_RELEASABLE' });
    await usa.store.exchange.savePartner({ ...partnerOf(jpn), url: jpn.url! });
    const r = await syncWithPartner({ service: usa.service, partner: 'JASDF', tls, direction: 'push' });
    expect(r.pushed.items).toBe(3);
  });

  it('refuses a client without a trusted certificate during the TLS handshake', async () => {
    await expect(rawRequest(jpn.url!, { ca: jpn.pki.caPem }, 'GET', '/exchange/state')).rejects.toThrow();
    await expect(
      rawRequest(
        jpn.url!,
        { ca: jpn.pki.caPem, cert: rogue.certPem, key: rogue.keyPem },
        'GET',
        '/exchange/state',
      ),
    ).rejects.toThrow();
    const ok = await rawRequest(jpn.url!, clientOf(usa, jpn), 'GET', '/exchange/state');
    expect(ok.status).toBe(200);
    // Signed by the partner's CA but not the pinned certificate: past TLS, refused as no partner.
    const sibling = makeSiblingCert(dir, 'usa', 'usa-other');
    const other = await rawRequest(
      jpn.url!,
      { ca: jpn.pki.caPem, cert: sibling.certPem, key: sibling.keyPem },
      'GET',
      '/exchange/bundles?after=0',
    );
    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ code: 'EXCHANGE_UNKNOWN_PEER' });
  });

  it('trusts a partner added after the listener started, without a restart', async () => {
    const kor = await makeNode('kor', 'KARI', 'KOR');
    try {
      // Not a partner yet: its CA is unknown, so the handshake fails.
      await expect(rawRequest(jpn.url!, clientOf(kor, jpn), 'GET', '/exchange/state')).rejects.toThrow();
      await jpn.store.exchange.savePartner(partnerOf(kor));
      // The periodic refresh picks the new CA up (the listener's interval is short here).
      let answer: Awaited<ReturnType<typeof rawRequest>> | undefined;
      for (let i = 0; i < 50 && answer === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        answer = await rawRequest(jpn.url!, clientOf(kor, jpn), 'GET', '/exchange/state').catch(
          () => undefined,
        );
      }
      expect(answer?.status).toBe(200);
      expect(answer?.json).toMatchObject({ partner: 'KARI', lastSequence: 0 });
      // Nothing changed: a refresh keeps the context.
      expect(await jpn.listener!.refreshTrust!()).toBe(false);
    } finally {
      await kor.store.close();
    }
  });
});

describe('bundles a receiver refuses (nothing stored)', () => {
  const oneSet = (k = 90) => {
    const r = parseTleText(catalogSlice(k, 1));
    if (!r.ok) throw new Error('fixture');
    return r.value.records[0]!.elements;
  };
  const item = (banner: string, k = 90, encoding: 'kvn' | 'xml' = 'kvn') =>
    elementSetItem(
      oneSet(k),
      parseMarking(DEFAULT_SCHEME, banner, 'USSPACECOM'),
      {
        source: 'spacetrack',
        ingestedAt: '2023-10-09T00:00:00Z',
        originator: 'USSPACECOM',
        contentHash: 'x',
        catalogNumber: oneSet(k).catalogNumber,
        epoch: '2023-10-09T00:00:00Z',
      },
      encoding,
    );
  const jpnPartner = { name: 'JASDF', nation: 'JPN', maxClassification: 'SECRET' };
  async function next() {
    const p = await jpn.store.exchange.getPartner('USSPACECOM');
    return { sequence: p!.incoming.seq + 1, previousHash: p!.incoming.hash };
  }
  const post = (bundle: unknown) =>
    rawRequest(jpn.url!, clientOf(usa, jpn), 'POST', '/exchange/bundles', JSON.stringify(bundle));
  const createdAt = '2026-01-01T00:00:00Z';

  it('refuses tampered, foreign-key, replayed, out-of-order and unreleasable bundles with their codes', async () => {
    const before = await storedSets(jpn.store);
    const n = await next();
    const good = signExchangeBundle(usa.identity, jpnPartner, {
      ...n,
      createdAt,
      items: [item('SECRET//REL TO JPN'), item('UNCLASSIFIED', 91, 'xml')],
    });

    const items = JSON.parse(JSON.stringify(good.items)) as { payload: string }[];
    items[0]!.payload = items[0]!.payload.replace('EARTH', 'MOON');
    const tampered = await post({ ...good, items });
    expect(tampered.status).toBe(422);
    expect(tampered.json).toMatchObject({ code: 'BUNDLE_SIGNATURE' });

    const foreign = generateKeyPairSync('ed25519').privateKey;
    const { signature: _s, ...unsigned } = good;
    const forged = await post(
      signBundle({ ...unsigned, keyId: keyId(createPublicKey(foreign)) } as never, foreign),
    );
    expect(forged.json).toMatchObject({ code: 'BUNDLE_UNKNOWN_KEY' });
    expect(forged.status).toBe(403);

    const replay = signExchangeBundle(usa.identity, jpnPartner, {
      sequence: 1,
      previousHash: '',
      createdAt,
      items: [item('UNCLASSIFIED')],
    });
    const replayed = await post(replay);
    expect(replayed.status).toBe(409);
    expect(replayed.json).toMatchObject({ code: 'EXCHANGE_REPLAYED' });

    const gap = await post(
      signExchangeBundle(usa.identity, jpnPartner, { ...n, sequence: n.sequence + 1, createdAt, items: [] }),
    );
    expect(gap.json).toMatchObject({ code: 'EXCHANGE_OUT_OF_ORDER' });
    const chain = await post(
      signExchangeBundle(usa.identity, jpnPartner, {
        ...n,
        previousHash: 'f'.repeat(64),
        createdAt,
        items: [],
      }),
    );
    expect(chain.json).toMatchObject({ code: 'EXCHANGE_BROKEN_CHAIN' });

    // The sender refuses to sign what Japan may not see ...
    expect(() =>
      signExchangeBundle(usa.identity, jpnPartner, { ...n, createdAt, items: [item('SECRET//REL TO USA')] }),
    ).toThrow(expect.objectContaining({ code: 'EXCHANGE_NOT_RELEASABLE' }));
    // ... and a sender that signs it anyway is refused by the receiver.
    const leak = signBundle(
      {
        format: BUNDLE_FORMAT,
        keyId: usa.identity.keyId,
        kind: 'exchange',
        sender: 'USSPACECOM',
        recipient: 'JASDF',
        ...n,
        createdAt,
        items: [item('SECRET//REL TO USA')] as never,
      },
      usa.identity.privateKey,
    );
    const leaked = await post(leak);
    expect(leaked.status).toBe(422);
    expect(leaked.json).toMatchObject({ code: 'EXCHANGE_NOT_RELEASABLE' });

    // An element set SGP4 cannot use (eccentricity above 1), with a good one: nothing of it stored.
    const hyperbolic = elementSetItem(
      { ...oneSet(93), eccentricity: 1.2 },
      parseMarking(DEFAULT_SCHEME, 'UNCLASSIFIED', 'USSPACECOM'),
      {
        source: 'spacetrack',
        ingestedAt: createdAt,
        originator: 'USSPACECOM',
        contentHash: 'x',
        catalogNumber: oneSet(93).catalogNumber,
        epoch: createdAt,
      },
    );
    const bad = await post(
      signExchangeBundle(usa.identity, jpnPartner, {
        ...n,
        createdAt,
        items: [item('UNCLASSIFIED', 94), hyperbolic],
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ code: 'EXCHANGE_ITEM_INVALID' });

    expect(await storedSets(jpn.store)).toEqual(before);
    // The stream is intact: the good bundle is still the next one.
    const applied = await post(good);
    expect(applied.json).toMatchObject({ status: 'applied', sequence: n.sequence, inserted: 2 });
    const xml = (await jpn.store.history(oneSet(91).catalogNumber))[0]!;
    expect(xml).toMatchObject({ source: 'partner:USSPACECOM', label: 'UNCLASSIFIED', format: 'omm-xml' });
  });
});

describe('the marking of a stored element set and the node key', () => {
  it('releases only a set whose import stated its marking as a banner that agrees with the store', () => {
    const stored = parseMarking(DEFAULT_SCHEME, 'SECRET//REL TO USA, JPN', 'USSPACECOM');
    const set = (label: string, marking: Marking = stored) => ({ label, marking });
    expect(markingOfElementSet(set('UNMARKED'), DEFAULT_SCHEME)).toBeNull();
    expect(markingOfElementSet(set(''), DEFAULT_SCHEME)).toBeNull();
    expect(markingOfElementSet(set('TOP SECRET//NOFORN'), DEFAULT_SCHEME)).toBeNull();
    expect(markingOfElementSet(set('SECRET//REL TO JPN,USA'), DEFAULT_SCHEME)).toEqual(stored);
    // A label that states another marking than the columns (e.g. a default public marking): held back.
    const defaultPublic = parseMarking(DEFAULT_SCHEME, 'UNCLASSIFIED', 'USSPACECOM');
    expect(markingOfElementSet(set('SECRET//REL TO USA, JPN', defaultPublic), DEFAULT_SCHEME)).toBeNull();
    expect(markingOfElementSet(set('UNCLASSIFIED', stored), DEFAULT_SCHEME)).toBeNull();
    const exercise = { ...defaultPublic, originator: 'JASDF', dataMode: 'EXERCISE' as const };
    expect(markingOfElementSet(set('UNCLASSIFIED', exercise), DEFAULT_SCHEME)).toMatchObject({
      originator: 'JASDF',
      dataMode: 'EXERCISE',
      releasableTo: 'ALL',
    });
  });

  it('creates the key private (0600) and refuses one others may read', () => {
    const path = join(dir, 'k.pem');
    expect(loadNodeKey(path, true).created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadNodeKey(path, false).created).toBe(false);
    chmodSync(path, 0o644);
    expect(() => loadNodeKey(path, false)).toThrow(
      expect.objectContaining({ code: 'EXCHANGE_KEY_PERMISSIONS' }),
    );
    expect(() => loadNodeKey(join(dir, 'none.pem'), false)).toThrow(
      expect.objectContaining({ code: 'EXCHANGE_NO_KEY' }),
    );
  });
});
