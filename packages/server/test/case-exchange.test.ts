/**
 * The consultation scenario of issue 13, end to end on two real nodes: a USA node (USSPACECOM) and
 * a JPN node (JASDF), each with its own SQLite store and exchange listener on loopback, mutual TLS
 * with certificates made by openssl for this run (exchange-fixture.ts).
 *
 * On the USA node the Kosmos 1408 debris cluster is found by astro's fragmentation detector between
 * the 2021-05-29 and 2022-01-22 catalog extracts (reference data), both stored REL TO USA, JPN; a
 * USA analyst opens a case from the event (evidence attached), adds an indicator, a hypothesis and
 * an ICD 203 assessment, and shares it with JASDF. A sync carries it to the JPN node, where the JPN
 * analyst reads the replica through the JPN node's API (the owner's signature and every attachment
 * hash verified), assesses and concurs; the next sync carries the response back and the USA node
 * holds it as new versions; USA closes; the next sync carries the closed case to Japan. The export
 * verifies offline and a modified one does not; both audit chains verify and name what travelled. A
 * USA-only case and a case shared only within the USA never leave the USA node (asserted on the
 * wire and in the JPN store); forged, tampered, unreleasable and unshared case items and a replayed
 * bundle are refused by the receiver and store nothing.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CaseAction,
  checkCaseAction,
  DEFAULT_SCHEME,
  detectFragmentations,
  type ElementSet,
  formatMarking,
  formatUtcIso,
  fragmentationClusterEvents,
  type Marking,
  MIN_CLUSTER_FRAGMENTS,
  parseElements,
  parseMarking,
  type Reader,
} from '@hoshimi/astro';
import { openSqliteStore, type SqliteCatalogStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app.js';
import { addOrganisation, addUser, issueToken } from '../src/auth/identity-service.js';
import { exportCase, openCaseFromEvent, verifyCaseExport } from '../src/cases/case-service.js';
import { BUNDLE_FORMAT, canonicalJson, keyId, sha256Hex, signBundle } from '../src/exchange/bundle.js';
import { openReplica, respondOnReplica } from '../src/exchange/case-replicas.js';
import { buildExchangeListener } from '../src/exchange/exchange-listener.js';
import { ExchangeService } from '../src/exchange/exchange-service.js';
import { syncWithPartner } from '../src/exchange/exchange-sync.js';
import {
  defaultKeyPath,
  loadNodeIdentity,
  type NodeIdentity,
  publicKeyPem,
} from '../src/exchange/node-identity.js';
import { signExchangeBundle } from '../src/exchange/protocol.js';
import { certificateFingerprint } from '../src/exchange/tls-peer.js';
import { refPath } from './api-fixture.js';
import { makeNodePki, type NodePki, rawRequest } from './exchange-fixture.js';

const FRAG = 'fragmentation/kosmos1408';
const BEFORE = `${FRAG}/kosmos1408_from_catalog_2021-05-29.3le.txt`;
const AFTER = `${FRAG}/kosmos1408_from_catalog_2022-01-22.3le.txt`;
const REL_BOTH = 'SECRET//REL TO USA, JPN';

interface Node {
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
let eventId: number;
let caseId: number;
let usaOnlyId: number;
let draftId: number;
let caseBundleText = '';
/** The JPN node's API server (the JPN analysts work through it) and its users' tokens. */
let jpnApi: FastifyInstance;
const tokens = new Map<string, string>();

const US: Reader = { organisation: 'USSPACECOM', nation: 'USA', clearance: 'SECRET' };
const JP: Reader = { organisation: 'JASDF', nation: 'JPN', clearance: 'SECRET' };
const ANA = { username: 'ana', organisation: 'USSPACECOM' };
const KEN = { username: 'ken', organisation: 'JASDF' };
const marking = (banner: string, org = 'USSPACECOM'): Marking => parseMarking(DEFAULT_SCHEME, banner, org);

async function makeNode(name: string, organisation: string, nation: string): Promise<Node> {
  const db = join(dir, `${name}.db`);
  const store = await openSqliteStore(db);
  await store.exchange.setNodeInfo({ organisation, nation });
  const identity = await loadNodeIdentity(store, defaultKeyPath(db));
  const service = new ExchangeService({ store, identity });
  return { store, identity, service, pki: makeNodePki(dir, name, organisation) };
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

const sync = (from: Node, partner: string) =>
  syncWithPartner({ service: from.service, partner, tls: { cert: from.pki.certPem, key: from.pki.keyPem } });

function sets(rel: string): ElementSet[] {
  const parsed = parseElements(readFileSync(refPath(rel), 'utf8'), { file: rel });
  if (!parsed.ok) throw new Error(`${rel} does not parse`);
  return parsed.value.records.map((r) => r.elements);
}

const latestUtc = (list: readonly ElementSet[]) => {
  let best = list[0];
  for (const s of list)
    if (best === undefined || s.epoch.jd + s.epoch.jdFrac > best.epoch.jd + best.epoch.jdFrac) best = s;
  return best === undefined ? '' : `${formatUtcIso(best.epoch, 6)}Z`;
};

function api(method: 'GET' | 'POST', url: string, who: string, body?: unknown) {
  return jpnApi.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens.get(who)}` },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

/** A case action as an analyst would post it (checked by astro, as the API does). */
function action(value: unknown, org: string): CaseAction {
  const a = checkCaseAction(DEFAULT_SCHEME, value, org);
  if (!a.ok) throw new Error(JSON.stringify(a.issues));
  return a.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoshimi-case-exchange-'));
  usa = await makeNode('usa', 'USSPACECOM', 'USA');
  jpn = await makeNode('jpn', 'JASDF', 'JPN');
  // Partners first (a listener trusts the partners' CAs it finds when it starts), then their URLs.
  await usa.store.exchange.savePartner(partnerOf(jpn));
  await jpn.store.exchange.savePartner(partnerOf(usa));
  for (const n of [usa, jpn]) {
    const listener = await buildExchangeListener({
      service: n.service,
      tls: { cert: n.pki.certPem, key: n.pki.keyPem, ca: [] },
    });
    n.url = await listener.listen({ host: '127.0.0.1', port: 0 });
    n.listener = listener;
  }
  await usa.store.exchange.savePartner(partnerOf(jpn));
  await jpn.store.exchange.savePartner(partnerOf(usa));
  // Detection on the USA node: the reference catalogs stored REL TO USA, JPN, the detector run on them.
  for (const rel of [BEFORE, AFTER]) {
    const r = await usa.store.importFile({
      name: rel,
      bytes: readFileSync(refPath(rel)),
      source: 'spacetrack',
      label: REL_BOTH,
      marking: marking(REL_BOTH),
    });
    expect(r.status).toBe('ok');
  }
  const before = sets(BEFORE);
  const after = sets(AFTER);
  const clusters = detectFragmentations(before, after, { minFragments: MIN_CLUSTER_FRAGMENTS });
  const events = fragmentationClusterEvents(clusters, {
    beforeUtc: latestUtc(before),
    afterUtc: latestUtc(after),
    source: `${BEFORE} -> ${AFTER}`,
    minFragments: MIN_CLUSTER_FRAGMENTS,
  });
  await usa.store.saveEvents(events, { marking: marking(REL_BOTH) });
  // The JPN node's API: a JASDF analyst and viewer, and a reader of a third nation.
  for (const [code, nation] of [
    ['JASDF', 'JPN'],
    ['UKSC', 'GBR'],
  ] as const)
    await addOrganisation(jpn.store, { code, name: code, nation, maxClearance: 'SECRET' });
  for (const [username, organisation, role] of [
    ['ken', 'JASDF', 'analyst'],
    ['vic', 'JASDF', 'viewer'],
    ['gus', 'UKSC', 'analyst'],
  ] as const) {
    await addUser(jpn.store, { username, organisation, roles: [role], clearance: 'SECRET' });
    const { secret } = await issueToken(jpn.store, {
      username,
      name: 'test',
      scopes: role === 'viewer' ? ['read'] : ['read', 'write'],
      days: 1,
    });
    tokens.set(username, secret);
  }
  jpnApi = await buildServer({ store: jpn.store, storeLabel: 'jpn' });
  await jpnApi.ready();
  const stored = await usa.store.events({ type: 'fragmentation' });
  expect(stored).toHaveLength(1);
  eventId = stored[0]?.id ?? 0;
}, 60_000);

afterAll(async () => {
  await jpnApi?.close();
  for (const n of [usa, jpn]) {
    await n?.listener?.close();
    await n?.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a fragmentation case between a USA node and a JPN node', () => {
  it('the USA analyst opens a case from the detected event, assesses it and shares it with JASDF', async () => {
    const [event] = await usa.store.events({ id: eventId });
    expect(event?.objects[0]).toBe('13552'); // Kosmos 1408, the parent the detector names
    caseId = await openCaseFromEvent(usa.store, eventId, {
      actor: ANA,
      owner: { organisation: 'USSPACECOM', nation: 'USA' },
      reader: US,
      marking: marking(REL_BOTH),
      title: 'Kosmos 1408 debris cluster: consultation',
    });
    const cases = usa.store.cases();
    const opened = await cases.getCase(US, caseId);
    expect(opened?.attachments.map((a) => a.kind).sort()).toEqual([
      'element-history',
      'event',
      'plot',
      'related-events',
    ]);
    await cases.applyCaseAction(
      caseId,
      action(
        {
          kind: 'indicator',
          classId: 'da-asat',
          indicatorId: 'fragment-cluster',
          note: 'a cluster of new objects sharing the parent orbit',
          evidence: ['element-histories.json'],
        },
        'USSPACECOM',
      ),
      ANA,
      US,
    );
    await cases.applyCaseAction(
      caseId,
      action(
        {
          kind: 'hypothesis',
          hypothesisId: 'natural-fragmentation',
          evidenceFor: 'an old rocket-era payload',
          evidenceAgainst: 'a sudden cluster of more than a thousand fragments',
        },
        'USSPACECOM',
      ),
      ANA,
      US,
    );
    const hyp = (await cases.getCase(US, caseId))?.version.content.hypotheses[0];
    await cases.applyCaseAction(
      caseId,
      action(
        {
          kind: 'assessment',
          subject: { kind: 'hypothesis', id: String(hyp?.id) },
          likelihood: 'very-unlikely',
          confidence: 'moderate',
          reasons: 'fragment count and spread',
        },
        'USSPACECOM',
      ),
      ANA,
      US,
    );
    const v = await cases.applyCaseAction(
      caseId,
      action({ kind: 'share', partners: [{ organisation: 'JASDF', nation: 'JPN' }] }, 'USSPACECOM'),
      ANA,
      US,
    );
    expect((await cases.getCase(US, caseId))?.version.state).toBe('shared');
    expect(v).toBe(5);

    // Two cases that must stay: one USA-only (shared within the USA), one releasable to Japan but shared only within the USA.
    usaOnlyId = await openCaseFromEvent(usa.store, eventId, {
      actor: ANA,
      owner: { organisation: 'USSPACECOM', nation: 'USA' },
      reader: US,
      marking: marking('SECRET//REL TO USA'),
      title: 'USA-only review',
    });
    await cases.applyCaseAction(
      usaOnlyId,
      action({ kind: 'share', partners: [{ organisation: 'NRO', nation: 'USA' }] }, 'USSPACECOM'),
      ANA,
      US,
    );
    draftId = await openCaseFromEvent(usa.store, eventId, {
      actor: ANA,
      owner: { organisation: 'USSPACECOM', nation: 'USA' },
      reader: US,
      marking: marking(REL_BOTH),
      title: 'Shared at home only',
    });
    await cases.applyCaseAction(
      draftId,
      action({ kind: 'share', partners: [{ organisation: 'NRO', nation: 'USA' }] }, 'USSPACECOM'),
      ANA,
      US,
    );
    // Sharing the USA-only case with Japan is refused by the workflow.
    await expect(
      cases.applyCaseAction(
        usaOnlyId,
        action({ kind: 'share', partners: [{ organisation: 'JASDF', nation: 'JPN' }] }, 'USSPACECOM'),
        ANA,
        US,
      ),
    ).rejects.toMatchObject({ code: 'STORE_CASE_REFUSED', details: { code: 'CASE_NOT_RELEASABLE' } });
  });

  it('sends on the wire only the case shared with Japan, signed by the USA node', async () => {
    const a = await rawRequest(
      usa.url!,
      { ca: usa.pki.caPem, cert: jpn.pki.certPem, key: jpn.pki.keyPem },
      'GET',
      '/exchange/bundles?after=0',
    );
    expect(a.status).toBe(200);
    const body = a.json as { bundles: { items: { kind: string; payload: string }[] }[] };
    const caseItems = body.bundles.flatMap((b) => b.items.filter((i) => i.kind === 'case'));
    expect(caseItems).toHaveLength(1);
    const exp = JSON.parse(caseItems[0]!.payload);
    expect(exp.case.id).toBe(caseId);
    expect(verifyCaseExport(exp, usa.identity.publicKey).ok).toBe(true);
    expect(a.text).not.toContain('USA-only review');
    expect(a.text).not.toContain('Shared at home only');
    caseBundleText = JSON.stringify(body.bundles.find((b) => b.items.some((i) => i.kind === 'case')));
  });

  it('the JPN analyst reads the replica with its evidence, assesses and concurs', async () => {
    const r = await sync(jpn, 'USSPACECOM');
    expect(r.pulled.bundles).toBeGreaterThan(0);
    const replicas = await jpn.store.caseExchange().replicas(JP);
    expect(replicas.map((x) => [x.partner, x.ownerCaseId, x.version, x.state])).toEqual([
      ['USSPACECOM', caseId, 5, 'shared'],
    ]);
    // Nothing of the other cases reached the JPN store.
    const all = await jpn.store.caseExchange().replicas({ ...JP, organisation: 'USSPACECOM', nation: 'USA' });
    expect(all.map((x) => x.ownerCaseId)).toEqual([caseId]);
    expect(all.map((x) => x.title)).not.toContain('USA-only review');
    // Another nation's reader on the JPN node does not see the replica.
    expect(
      await jpn.store.caseExchange().replicas({ organisation: 'UKSC', nation: 'GBR', clearance: 'SECRET' }),
    ).toEqual([]);

    // Through the JPN node's API: the list, the replica with its evidence (verified), the response.
    const listed = (await api('GET', '/case-replicas', 'ken')).json();
    expect(listed.items.map((x: { ownerCaseId: number }) => x.ownerCaseId)).toEqual([caseId]);
    expect((await api('GET', '/case-replicas', 'gus')).json().items).toEqual([]);
    expect((await api('GET', `/case-replicas/USSPACECOM/${caseId}`, 'gus')).statusCode).toBe(404);
    const shown = await api('GET', `/case-replicas/USSPACECOM/${caseId}`, 'ken');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ owner: 'USSPACECOM', version: 5, verified: true });
    const usaPartner = (await jpn.store.exchange.getPartner('USSPACECOM'))!;
    const opened = await openReplica(jpn.store, usaPartner, JP, caseId);
    const atts = opened.export['attachments'] as { name: string; sha256: string; contentBase64: string }[];
    expect(shown.json().attachments.map((x: { name: string }) => x.name)).toEqual(atts.map((x) => x.name));
    expect(atts.map((x) => x.name)).toContain('gabbard.vl.json');
    for (const x of atts)
      expect(createHash('sha256').update(Buffer.from(x.contentBase64, 'base64')).digest('hex')).toBe(
        x.sha256,
      );
    expect(opened.case.content.indicators).toHaveLength(1);
    expect(opened.case.content.assessments[0]).toMatchObject({
      organisation: 'USSPACECOM',
      likelihood: 'very-unlikely',
    });
    const hyp = opened.case.content.hypotheses[0]!;

    // An organisation the case does not name is refused by the workflow, and so is a bad ICD 203 word.
    await expect(
      respondOnReplica(
        jpn.store,
        jpn.identity,
        usaPartner,
        { ...JP, organisation: 'JAXA' },
        { username: 'x', organisation: 'JAXA' },
        caseId,
        {
          position: 'concur',
          reasons: 'r',
        },
      ),
    ).rejects.toMatchObject({ code: 'CASE_NOT_PARTY' });
    await expect(
      respondOnReplica(jpn.store, jpn.identity, usaPartner, JP, KEN, caseId, {
        assessment: {
          subject: { kind: 'hypothesis', id: String(hyp.id) },
          likelihood: 'maybe',
          confidence: 'low',
          reasons: 'r',
        },
        position: 'concur',
        reasons: 'r',
      }),
    ).rejects.toMatchObject({ code: 'CASE_BAD_INPUT' });

    const body = {
      assessment: {
        subject: { kind: 'hypothesis', id: String(hyp.id) },
        likelihood: 'almost-no-chance',
        confidence: 'high',
        reasons: 'our radar saw the cluster form at one time',
      },
      position: 'concur',
      reasons: 'the evidence is as documented; our own tracking agrees',
    };
    expect((await api('POST', `/case-replicas/USSPACECOM/${caseId}/response`, 'vic', body)).statusCode).toBe(
      403,
    );
    const answered = await api('POST', `/case-replicas/USSPACECOM/${caseId}/response`, 'ken', body);
    expect(answered.statusCode, answered.body).toBe(201);
    const id = answered.json().responseId;
    expect(id).toBeGreaterThan(0);
  });

  it('the response comes back: the USA node holds the JPN position as new versions; USA closes', async () => {
    const r = await sync(jpn, 'USSPACECOM');
    expect(r.pushed.bundles).toBe(1);
    const cases = usa.store.cases();
    const c = await cases.getCase(US, caseId);
    expect(c?.latestVersion).toBe(7);
    expect(c?.version.content.responses).toEqual([
      expect.objectContaining({ organisation: 'JASDF', position: 'concur', by: 'ken@JASDF' }),
    ]);
    expect(c?.version.content.assessments.map((a) => [a.organisation, a.likelihood, a.confidence])).toEqual([
      ['USSPACECOM', 'very-unlikely', 'moderate'],
      ['JASDF', 'almost-no-chance', 'high'],
    ]);
    const history = await cases.caseHistory(US, caseId);
    expect(history.slice(-2).map((h) => h.change)).toEqual([
      'assessment by JASDF of hypothesis 2',
      'JASDF concurs',
    ]);
    // Syncing again applies nothing twice.
    await sync(jpn, 'USSPACECOM');
    await sync(usa, 'JASDF');
    expect((await cases.getCase(US, caseId))?.latestVersion).toBe(7);

    await cases.applyCaseAction(caseId, { kind: 'close', note: 'consultation complete' }, ANA, US);
    await sync(jpn, 'USSPACECOM');
    const atJpn = await jpn.store.caseExchange().replica(JP, 'USSPACECOM', caseId);
    expect(atJpn).toMatchObject({ version: 8, state: 'closed' });
    expect((await cases.getCase(US, caseId))?.version.state).toBe('closed');
  });

  it('refuses forged, tampered, unreleasable and unshared case items, and replays, storing nothing', async () => {
    const usaPartner = (await jpn.store.exchange.getPartner('USSPACECOM'))!;
    const jpnPartner = (await usa.store.exchange.getPartner('JASDF'))!;
    const replicasBefore = await jpn.store.caseExchange().replicas(JP);
    const post = (bundle: unknown) =>
      rawRequest(
        jpn.url!,
        { ca: jpn.pki.caPem, cert: usa.pki.certPem, key: usa.pki.keyPem },
        'POST',
        '/exchange/bundles',
        JSON.stringify(bundle),
      );
    const n = { sequence: usaPartner.incoming.seq + 1, previousHash: usaPartner.incoming.hash };
    const createdAt = new Date().toISOString();
    const caseItem = (exp: unknown, banner: string) => {
      const payload = canonicalJson(exp);
      const m = marking(banner);
      return {
        kind: 'case' as const,
        encoding: 'json' as const,
        payload,
        payloadSha256: sha256Hex(payload),
        marking: { banner: formatMarking(m), originator: m.originator, dataMode: m.dataMode },
      };
    };
    const exportFor = async (id: number) =>
      (await exportCase(usa.store, US, id, usa.identity.privateKey, 'USSPACECOM'))!;
    const signAnyway = (items: unknown[]) =>
      signBundle(
        {
          format: BUNDLE_FORMAT,
          keyId: usa.identity.keyId,
          kind: 'exchange',
          sender: 'USSPACECOM',
          recipient: 'JASDF',
          ...n,
          createdAt,
          items: items as never,
        },
        usa.identity.privateKey,
      );

    // The case export changed after the owner signed it (the bundle itself signed correctly).
    const changed = JSON.parse(JSON.stringify(await exportFor(caseId)));
    changed.case.title = 'Something else';
    const tampered = await post(
      signExchangeBundle(usa.identity, jpnPartner, { ...n, createdAt, items: [caseItem(changed, REL_BOTH)] }),
    );
    expect(tampered.status).toBe(422);
    expect(tampered.json).toMatchObject({ code: 'BUNDLE_SIGNATURE' });
    // A case export signed by a key the JPN node does not trust for USSPACECOM.
    const foreign = generateKeyPairSync('ed25519').privateKey;
    const { signature: _s, ...unsigned } = await exportFor(caseId);
    const forged = signBundle({ ...unsigned, keyId: keyId(createPublicKey(foreign)) } as never, foreign);
    const forgedAnswer = await post(
      signExchangeBundle(usa.identity, jpnPartner, { ...n, createdAt, items: [caseItem(forged, REL_BOTH)] }),
    );
    expect(forgedAnswer.json).toMatchObject({ code: 'BUNDLE_UNKNOWN_KEY' });
    // The USA-only case: the sender refuses to sign it, and a sender that signs it anyway is refused.
    const usaOnly = caseItem(await exportFor(usaOnlyId), 'SECRET//REL TO USA');
    expect(() => signExchangeBundle(usa.identity, jpnPartner, { ...n, createdAt, items: [usaOnly] })).toThrow(
      expect.objectContaining({ code: 'EXCHANGE_NOT_RELEASABLE' }),
    );
    const leaked = await post(signAnyway([usaOnly]));
    expect(leaked.status).toBe(422);
    expect(leaked.json).toMatchObject({ code: 'EXCHANGE_NOT_RELEASABLE' });
    // A case releasable to Japan but not shared with it.
    const unshared = await post(signAnyway([caseItem(await exportFor(draftId), REL_BOTH)]));
    expect(unshared.status).toBe(422);
    expect(unshared.json).toMatchObject({ code: 'EXCHANGE_NOT_RELEASABLE' });
    // The bundle that carried the case, again: a duplicate, nothing applied twice.
    const again = await post(JSON.parse(caseBundleText));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: 'duplicate' });
    expect(await jpn.store.caseExchange().replicas(JP)).toEqual(replicasBefore);
    expect((await jpn.store.exchange.getPartner('USSPACECOM'))?.incoming).toEqual(usaPartner.incoming);
  });

  it('the export verifies offline, a modified one does not, and both audit chains verify', async () => {
    const exp = await exportCase(usa.store, US, caseId, usa.identity.privateKey, 'USSPACECOM');
    expect(verifyCaseExport(exp, usa.identity.publicKey)).toMatchObject({ ok: true });
    const changed = JSON.parse(JSON.stringify(exp));
    changed.case.content.responses[0].position = 'dissent';
    expect(verifyCaseExport(changed, usa.identity.publicKey)).toMatchObject({
      ok: false,
      code: 'BUNDLE_SIGNATURE',
    });
    // The replica held in Japan is the owner's signed export and verifies with the USA key alone.
    const replica = await jpn.store.caseExchange().replica(JP, 'USSPACECOM', caseId);
    expect(verifyCaseExport(JSON.parse(replica!.bundle), usa.identity.publicKey)).toMatchObject({ ok: true });
    // After closing, the workflow refuses a response on the replica as well.
    const late = await api('POST', `/case-replicas/USSPACECOM/${caseId}/response`, 'ken', {
      position: 'dissent',
      reasons: 'too late',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'CASE_CLOSED' });
    // Both audit logs name what travelled: the replica stored in Japan, the response applied in the USA.
    const actions = async (n: Node) => (await n.store.audit.list({ limit: 1000 })).map((r) => r.action);
    expect(await actions(jpn)).toEqual(expect.arrayContaining(['case.replica', 'case.replica-response']));
    const applied = (await usa.store.audit.list({ limit: 1000 })).find(
      (r) => r.action === 'case.partner-response',
    );
    expect(applied).toMatchObject({
      outcome: 'allowed',
      actor: { username: 'ken@JASDF', organisation: 'JASDF' },
    });
    for (const n of [usa, jpn]) expect((await n.store.audit.verify()).ok).toBe(true);
    expect(usaOnlyId).toBeGreaterThan(0);
    expect(draftId).toBeGreaterThan(0);
  });

  it('an export from the USA node’s API verifies with the USA node key Japan already trusts', async () => {
    // The USA node's API server, given its exchange identity key as `hoshimi serve` does.
    await addOrganisation(usa.store, {
      code: 'USSPACECOM',
      name: 'USSPACECOM',
      nation: 'USA',
      maxClearance: 'SECRET',
    });
    await addUser(usa.store, {
      username: 'ana',
      organisation: 'USSPACECOM',
      roles: ['viewer'],
      clearance: 'SECRET',
    });
    const { secret } = await issueToken(usa.store, {
      username: 'ana',
      name: 'test',
      scopes: ['read'],
      days: 1,
    });
    const saved = process.env['HOSHIMI_CASE_SIGNING_KEY'];
    delete process.env['HOSHIMI_CASE_SIGNING_KEY'];
    const usaApi = await buildServer({
      store: usa.store,
      storeLabel: 'usa',
      nodeKey: usa.identity.privateKey,
    });
    try {
      const get = (url: string) =>
        usaApi.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
      expect((await get('/cases/signing-key')).json()).toMatchObject({
        source: 'node',
        ephemeral: false,
        keyId: usa.identity.keyId,
      });
      const res = await get(`/cases/${caseId}/export`);
      expect(res.statusCode).toBe(200);
      // The key the JPN node holds for its partner USSPACECOM (saved for the exchange).
      const trusted = (await jpn.store.exchange.getPartner('USSPACECOM'))?.publicKeys ?? [];
      expect(trusted).toHaveLength(1);
      const key = createPublicKey(trusted[0] ?? '');
      expect(verifyCaseExport(res.json(), key)).toMatchObject({ ok: true });
      // The JPN node's API was built without its node key: its key is one made for this run.
      const jp = await api('GET', '/cases/signing-key', 'vic');
      expect(jp.json()).toMatchObject({ source: 'ephemeral', ephemeral: true });
      expect(verifyCaseExport(res.json(), createPublicKey(jp.json().publicKey))).toMatchObject({ ok: false });
    } finally {
      await usaApi.close();
      if (saved !== undefined) process.env['HOSHIMI_CASE_SIGNING_KEY'] = saved;
    }
  });
});
