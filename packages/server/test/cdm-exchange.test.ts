/**
 * Conjunctions between nodes: a USA node's screening holds conjunctions of different markings; its
 * exchange service sends the releasable ones to the JPN node as CCSDS CDM items (built with the
 * astro context, as GET /conjunctions/:id/cdm builds them), and the JPN node stores them as a
 * screening of the bundle under the sender's markings. The conjunction records are written by the
 * test (times and ages set so that the screened element sets are found), not screened: what is
 * checked is what the exchange carries, not the screening. The JPN node pulls from the USA node's
 * exchange listener over mutual TLS (test certificates made by openssl, exchange-fixture.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SCHEME, formatMarking, type Marking, parseMarking } from '@hoshimi/astro';
import {
  type CatalogStore,
  type ConjunctionRecord,
  openSqliteStore,
  type SqliteCatalogStore,
} from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { sha256Hex } from '../src/exchange/bundle.js';
import { buildExchangeListener } from '../src/exchange/exchange-listener.js';
import { ExchangeService } from '../src/exchange/exchange-service.js';
import { syncWithPartner } from '../src/exchange/exchange-sync.js';
import { defaultKeyPath, loadNodeIdentity, publicKeyPem } from '../src/exchange/node-identity.js';
import { signExchangeBundle } from '../src/exchange/protocol.js';
import { certificateFingerprint } from '../src/exchange/tls-peer.js';
import { loadTestContext } from './api-fixture.js';
import { catalogNumbersOf, catalogSlice, makeNodePki, type NodePki } from './exchange-fixture.js';

/** Miss distance, RTN miss and relative speed go through the CDM's KVN text: relative difference. */
const KVN_RELATIVE = 1e-12;
/** Pc through the KVN text: relative difference. */
const PC_RELATIVE = 1e-12;
const MS_PER_DAY = 86_400_000;

interface Node {
  readonly store: SqliteCatalogStore;
  readonly service: ExchangeService;
  readonly identity: Awaited<ReturnType<typeof loadNodeIdentity>>;
  readonly pki: NodePki;
  url?: string;
  listener?: FastifyInstance;
}

let dir: string;
let usa: Node;
let jpn: Node;
let bare: ExchangeService;
const ctx = loadTestContext();

async function makeNode(name: string, organisation: string, nation: string): Promise<Node> {
  const db = join(dir, `${name}.db`);
  const store = await openSqliteStore(db);
  await store.exchange.setNodeInfo({ organisation, nation });
  const identity = await loadNodeIdentity(store, defaultKeyPath(db));
  const service = new ExchangeService({ store, identity, bundleItems: 3, context: () => ctx });
  return { store, service, identity, pki: makeNodePki(dir, name, organisation) };
}

function partnerOf(n: Node) {
  return {
    name: n.identity.organisation,
    nation: n.identity.nation,
    maxClassification: 'SECRET',
    publicKeys: [publicKeyPem(n.identity.publicKey)],
    url: n.url ?? null,
    tlsCa: n.pki.caPem,
    tlsFingerprint: certificateFingerprint(n.pki.certPem),
  };
}

async function importSets(store: CatalogStore, text: string, label: string | undefined, name: string) {
  const r = await store.importFile({
    name,
    bytes: Buffer.from(text),
    source: 'spacetrack',
    ...(label === undefined ? {} : { label, marking: parseMarking(DEFAULT_SCHEME, label, 'USSPACECOM') }),
  });
  expect(r.status).toBe('ok');
}

/** The JPN node pulls from the USA node over mutual TLS: bundles applied and new element sets. */
async function syncUsaToJpn(): Promise<{ bundles: number; inserted: number }> {
  const r = await syncWithPartner({
    service: jpn.service,
    partner: 'USSPACECOM',
    tls: { cert: jpn.pki.certPem, key: jpn.pki.keyPem },
    direction: 'pull',
  });
  return { bundles: r.pulled.bundles, inserted: r.pulled.inserted };
}

const relBoth = catalogNumbersOf(catalogSlice(0, 6));
const usaOnly = catalogNumbersOf(catalogSlice(6, 3));
const unmarked = catalogNumbersOf(catalogSlice(9, 1));
const REL_BOTH = 'SECRET//REL TO JPN, USA';
const REL_BOTH_CONF = 'CONFIDENTIAL//REL TO JPN, USA';
const USA_ONLY = 'SECRET//REL TO USA';
const mk = (banner: string): Marking => parseMarking(DEFAULT_SCHEME, banner, 'USSPACECOM');

/** The conjunctions written to the USA store: pair, banner, and whether Japan may receive it. */
const planned: { pair: [string, string]; banner: string; sent: boolean; pc: number | null }[] = [
  { pair: [relBoth[0]!, relBoth[1]!], banner: REL_BOTH, sent: true, pc: 3.25e-5 },
  { pair: [relBoth[2]!, relBoth[3]!], banner: REL_BOTH_CONF, sent: true, pc: null },
  { pair: [relBoth[4]!, usaOnly[0]!], banner: USA_ONLY, sent: false, pc: 1.5e-4 },
  { pair: [usaOnly[1]!, usaOnly[2]!], banner: USA_ONLY, sent: false, pc: 2e-6 },
  // Claimed releasable, but one element set was imported without a marking: never sent.
  { pair: [relBoth[5]!, unmarked[0]!], banner: REL_BOTH, sent: false, pc: 7e-7 },
];

let sent: ConjunctionRecord[] = [];
let firstBundle = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoshimi-cdm-exchange-'));
  usa = await makeNode('usa', 'USSPACECOM', 'USA');
  jpn = await makeNode('jpn', 'JASDF', 'JPN');
  await usa.store.exchange.savePartner(partnerOf(jpn));
  const listener = await buildExchangeListener({
    service: usa.service,
    tls: { cert: usa.pki.certPem, key: usa.pki.keyPem, ca: [] },
  });
  usa.url = await listener.listen({ host: '127.0.0.1', port: 0 });
  usa.listener = listener;
  await jpn.store.exchange.savePartner(partnerOf(usa));
  await importSets(usa.store, catalogSlice(0, 6), REL_BOTH, 'rel-both.3le');
  await importSets(usa.store, catalogSlice(6, 3), USA_ONLY, 'usa-only.3le');
  await importSets(usa.store, catalogSlice(9, 1), undefined, 'unmarked.3le');
  const epochMs = async (cn: string) => Date.parse((await usa.store.history(cn))[0]!.epochUtc);
  const records: ConjunctionRecord[] = [];
  for (const [k, p] of planned.entries()) {
    const e1 = await epochMs(p.pair[0]);
    const e2 = await epochMs(p.pair[1]);
    // TCA on a whole second half a day after the later epoch; ages from it (as a screening stores).
    const tca = Math.ceil((Math.max(e1, e2) + MS_PER_DAY / 2) / 1000) * 1000;
    records.push({
      id1: p.pair[0],
      id2: p.pair[1],
      tcaUtc: new Date(tca).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      missKm: 0.123456789 * (k + 1),
      relSpeedKmS: 9.87654321,
      rKm: 0.01 * (k + 1),
      iKm: -0.1 * (k + 1),
      cKm: 0.05 + k,
      pc: p.pc,
      pcMethod: 'ALFANO-MAX-PROBABILITY',
      hbrM: 20,
      covarianceSource: 'none',
      confidence: 'low',
      age1Days: (tca - e1) / MS_PER_DAY,
      age2Days: (tca - e2) / MS_PER_DAY,
      marking: mk(p.banner),
    });
  }
  const times = records.map((r) => Date.parse(r.tcaUtc)).sort((a, b) => a - b);
  await usa.store.saveScreening(
    {
      startedAt: '2026-12-07T00:00:00.000Z',
      finishedAt: '2026-12-07T00:01:00.000Z',
      windowStart: new Date(times[0]! - MS_PER_DAY).toISOString(),
      windowStop: new Date(times[times.length - 1]! + MS_PER_DAY).toISOString(),
      thresholdKm: 10,
      primaries: null,
      catalogAsOf: null,
      source: 'store',
      objectCount: 10,
    },
    records,
  );
  sent = records.filter((_, k) => planned[k]!.sent);
  bare = new ExchangeService({ store: usa.store, identity: usa.identity });
}, 60_000);

afterAll(async () => {
  await usa?.listener?.close();
  for (const n of [usa, jpn]) await n?.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('conjunctions between nodes as CCSDS CDMs', () => {
  it('without an astro context builds no CDM item and says so', async () => {
    // A second service over the USA store with no context, for a throw-away partner.
    await usa.store.exchange.savePartner({
      ...partnerOf(jpn),
      name: 'JASDF-NOCTX',
      tlsCa: null,
      tlsFingerprint: null,
    });
    await bare.buildOutbox('JASDF-NOCTX');
    const out = await usa.store.exchange.outbox('JASDF-NOCTX', 0, 100);
    const kinds = out.flatMap((e) =>
      (JSON.parse(e.body!) as { items: { kind: string }[] }).items.map((i) => i.kind),
    );
    expect(kinds).not.toContain('cdm');
    expect(kinds).toContain('omm');
    expect(bare.cdmReport().waitingForContext).toEqual(['JASDF-NOCTX']);
    expect((await usa.store.exchange.getPartner('JASDF-NOCTX'))!.outgoing.conjunctionId).toBe(0);
  });

  it('sends on the wire only the releasable conjunctions, each one CDM with its marking', async () => {
    const got = await usa.service.bundlesAfter('JASDF', 0, 100);
    const items = got.bundles.flatMap(
      (b) =>
        (JSON.parse(b) as { items: { kind: string; payload: string; marking: { banner: string } }[] }).items,
    );
    const cdms = items.filter((i) => i.kind === 'cdm');
    expect(cdms).toHaveLength(sent.length);
    const pairs = cdms.map((i) => [...i.payload.matchAll(/OBJECT_DESIGNATOR\s*=\s*(\S+)/g)].map((m) => m[1]));
    expect(pairs).toEqual(sent.map((c) => [c.id1, c.id2]));
    expect(cdms.map((i) => i.marking.banner)).toEqual([REL_BOTH, REL_BOTH_CONF]);
    for (const c of cdms) expect(c.payload).toMatch(/^CCSDS_CDM_VERS\s*=/);
    // No USA-only object anywhere on the wire (no OMM, no CDM).
    const wire = got.bundles.join('\n');
    for (const cn of usaOnly) {
      expect(wire).not.toMatch(new RegExp(`NORAD_CAT_ID\\s*=\\s*${cn}\\b`));
      expect(wire).not.toMatch(new RegExp(`OBJECT_DESIGNATOR\\s*=\\s*${cn}\\b`));
    }
    expect(wire).not.toMatch(new RegExp(`OBJECT_DESIGNATOR\\s*=\\s*${unmarked[0]}\\b`));
    expect(usa.service.cdmReport().skipped).toMatchObject({ marking: 2, 'element-sets': 1 });
    firstBundle = got.bundles.find((b) => b.includes('"kind":"cdm"'))!;
  });

  it('a tampered CDM item is refused and nothing is stored', async () => {
    const b = JSON.parse(firstBundle) as { items: { kind: string; payload: string }[] };
    const item = b.items.find((i) => i.kind === 'cdm')!;
    item.payload = item.payload.replace(/MISS_DISTANCE\s*=\s*[^\s]+/, 'MISS_DISTANCE = 9999.0');
    const before = await jpn.store.listScreenings();
    await expect(jpn.service.receive('USSPACECOM', b)).rejects.toBeInstanceOf(ApiError);
    await expect(jpn.service.receive('USSPACECOM', b)).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE' });
    // Re-signed by the sender with a payload that no longer matches its hash: the item is refused.
    const {
      signature: _s,
      keyId: _k,
      format: _f,
      kind: _kind,
      sender: _se,
      recipient: _r,
      ...fields
    } = b as unknown as Record<string, unknown>;
    const resigned = signExchangeBundle(usa.identity, partnerOf(jpn), {
      ...(fields as { sequence: number; previousHash: string; createdAt: string }),
      items: b.items as never,
    });
    await expect(jpn.service.receive('USSPACECOM', resigned)).rejects.toMatchObject({
      code: 'EXCHANGE_ITEM_HASH',
    });
    // A CDM of another pair than its provenance names, its hash recomputed and signed: refused.
    const other = JSON.parse(firstBundle) as {
      items: { kind: string; payload: string; payloadSha256: string }[];
    };
    const o = other.items.find((i) => i.kind === 'cdm')!;
    o.payload = o.payload.replace(/(OBJECT_DESIGNATOR\s*=\s*)(\S+)/, '$199999');
    o.payloadSha256 = sha256Hex(o.payload);
    const swapped = signExchangeBundle(usa.identity, partnerOf(jpn), {
      ...(fields as { sequence: number; previousHash: string; createdAt: string }),
      items: other.items as never,
    });
    await expect(jpn.service.receive('USSPACECOM', swapped)).rejects.toMatchObject({
      code: 'EXCHANGE_ITEM_INVALID',
    });
    expect(await jpn.store.listScreenings()).toEqual(before);
  });

  it('the JPN node stores exactly the releasable conjunctions, with the sender values and markings', async () => {
    const first = await syncUsaToJpn();
    expect(first.inserted).toBe(relBoth.length); // the OMMs of the releasable sets, with the CDMs
    const screenings = await jpn.store.listScreenings();
    expect(screenings).toHaveLength(1);
    expect(screenings[0]!.source).toMatch(/^partner:USSPACECOM bundle \d+$/);
    const got = (await jpn.store.conjunctions({ screeningId: screenings[0]!.id }))!.conjunctions;
    const key = (c: ConjunctionRecord) => `${c.id1}/${c.id2}`;
    expect(new Set(got.map(key))).toEqual(new Set(sent.map(key)));
    expect(got).toHaveLength(sent.length);
    for (const c of got) {
      const s = sent.find((x) => key(x) === key(c))!;
      expect(c.tcaUtc).toBe(s.tcaUtc);
      expect(Math.abs(c.missKm - s.missKm)).toBeLessThanOrEqual(KVN_RELATIVE * s.missKm);
      expect(Math.abs(c.relSpeedKmS - s.relSpeedKmS)).toBeLessThanOrEqual(KVN_RELATIVE * s.relSpeedKmS);
      for (const key of ['rKm', 'iKm', 'cKm'] as const)
        expect(Math.abs(c[key] - s[key])).toBeLessThanOrEqual(KVN_RELATIVE * Math.abs(s[key]));
      if (s.pc === null) expect(c.pc).toBeNull();
      else expect(Math.abs(c.pc! - s.pc)).toBeLessThanOrEqual(PC_RELATIVE * s.pc);
      expect(c.pcMethod).toBe(s.pcMethod);
      expect(c.hbrM).toBe(s.hbrM);
      expect(c.age1Days).toBe(s.age1Days);
      expect(formatMarking(c.marking)).toBe(formatMarking(s.marking!));
      expect(c.marking.originator).toBe('USSPACECOM');
    }
    for (const cn of usaOnly)
      expect((await jpn.store.conjunctions({ catalogNumber: cn }))!.conjunctions).toEqual([]);
  });

  it('the JPN node never sends the received conjunctions back', async () => {
    const back = await jpn.service.bundlesAfter('USSPACECOM', 0, 100);
    expect(back.bundles.join('\n')).not.toContain('"kind":"cdm"');
    expect(jpn.service.cdmReport().skipped.echo).toBe(sent.length);
  });

  it('syncing twice stores nothing new', async () => {
    const again = await syncUsaToJpn();
    expect(again).toEqual({ bundles: 0, inserted: 0 });
    expect(await jpn.store.listScreenings()).toHaveLength(1);
    // The bundle holding CDMs, delivered again: a duplicate, nothing applied.
    const dup = await jpn.service.receive('USSPACECOM', JSON.parse(firstBundle));
    expect(dup.status).toBe('duplicate');
    expect(await jpn.store.listScreenings()).toHaveLength(1);
  });
});
