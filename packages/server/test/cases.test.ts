/**
 * Case files end to end on a real store: a maneuver event produced by astro's detector on the
 * Sentinel-6A element-set history (reference data) opens a case whose evidence attaches itself
 * (the event record with detector, version, score and threshold; the element-history summary with
 * sources and data age; related events; the maneuver chart as Vega-Lite); then the API workflow
 * between two organisations (USSF owner, JAXA partner), the role and authentication refusals, the
 * signed export verified and a modified one refused, and the printable report self-contained with
 * English and Japanese labels.
 *
 * Authentication is the server's own: organisations, users and API tokens made with the identity
 * service, each request with its Bearer token.
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectManeuvers, maneuverEvents, type Reader } from '@hoshimi/astro';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app.js';
import { addOrganisation, addUser, issueToken } from '../src/auth/identity-service.js';
import type { Principal, Role } from '../src/auth/principal.js';
import { caseReportHtml } from '../src/cases/case-report.js';
import { exportCase, openCaseFromEvent, verifyCaseExport } from '../src/cases/case-service.js';
import { keyId } from '../src/exchange/bundle.js';
import { refPath, runHoshimi } from './api-fixture.js';

const S6A = 'history/dpshorten-benchmark/processed_files/Sentinel-6A.tle';
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-cases-api-'));
let store: CatalogStore;
let app: FastifyInstance;
let eventId: number;
let detections: number;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const tokens = new Map<string, string>();

const US: Reader = { organisation: 'USSF', nation: 'USA', clearance: 'SECRET' };

function principal(username: string, org: string, nation: string, roles: Role[]): Principal {
  return {
    userId: 1,
    username,
    roles,
    reader: { organisation: org, nation, clearance: 'SECRET' },
    via: 'token',
    scopes: [],
  };
}
const USSF_ANALYST = principal('ana', 'USSF', 'USA', ['analyst']);
const USSF_VIEWER = principal('vic', 'USSF', 'USA', ['viewer']);
const JAXA_ANALYST = principal('ken', 'JAXA', 'JPN', ['analyst']);
const GBR_ANALYST = principal('gus', 'UKSC', 'GBR', ['analyst']);

beforeAll(async () => {
  store = await openSqliteStore(join(dir, 'c.db'));
  const r = await store.importFile({ name: S6A, bytes: readFileSync(refPath(S6A)), source: 'celestrak' });
  expect(r.status).not.toBe('failed');
  const history = (await store.history('46984')).map((s) => s.elements);
  const events = maneuverEvents(detectManeuvers(history));
  detections = events.length;
  await store.saveEvents(events);
  const stored = await store.events({ type: 'maneuver', catalogNumber: '46984' });
  eventId = stored[Math.floor(stored.length / 2)]?.id ?? 0;
  for (const [code, nation] of [
    ['USSF', 'USA'],
    ['JAXA', 'JPN'],
    ['UKSC', 'GBR'],
  ] as const)
    await addOrganisation(store, { code, name: code, nation, maxClearance: 'SECRET' });
  for (const p of [USSF_ANALYST, USSF_VIEWER, JAXA_ANALYST, GBR_ANALYST]) {
    await addUser(store, {
      username: p.username,
      organisation: p.reader.organisation,
      roles: [...p.roles],
      clearance: 'SECRET',
    });
    const { secret } = await issueToken(store, {
      username: p.username,
      name: 'test',
      scopes: p.roles.includes('viewer') ? ['read'] : ['read', 'write'],
      days: 1,
    });
    tokens.set(p.username, secret);
  }
  // No node identity and no override: the server signs with a key made for this run.
  delete process.env['HOSHIMI_CASE_SIGNING_KEY'];
  app = await buildServer({ store, storeLabel: 'test' });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: 'GET' | 'POST', url: string, who: Principal | null, body?: unknown) {
  return app.inject({
    method,
    url,
    headers: who === null ? {} : { authorization: `Bearer ${tokens.get(who.username)}` },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

describe('evidence of a case opened from a detected maneuver', () => {
  it('attaches the event record, the history summary, related events and the maneuver chart, with hashes', async () => {
    expect(detections).toBeGreaterThan(0);
    const id = await openCaseFromEvent(store, eventId, {
      actor: { username: 'ana', organisation: 'USSF' },
      owner: { organisation: 'USSF', nation: 'USA' },
      reader: US,
    });
    const c = await store.cases().getCase(US, id);
    expect(c?.source).toEqual({ kind: 'event', id: String(eventId), type: 'maneuver' });
    expect(c?.attachments.map((a) => a.kind).sort()).toEqual([
      'element-history',
      'event',
      'plot',
      'related-events',
    ]);
    const body = async (kind: string) => {
      const a = c?.attachments.find((x) => x.kind === kind);
      const full = await store.cases().caseAttachment(US, id, a?.id ?? 0);
      return JSON.parse(Buffer.from(full?.content ?? []).toString('utf8'));
    };
    const ev = await body('event');
    expect(ev.id).toBe(eventId);
    expect(ev.detector).toBe('hoshimi-maneuver-robust-steps');
    expect(typeof ev.detectorVersion).toBe('string');
    expect(ev.score).toBeGreaterThanOrEqual(ev.threshold);
    const hist = await body('element-history');
    const s6a = hist.objects[0];
    expect(s6a.catalogNumber).toBe('46984');
    expect(s6a.elementSets).toBe((await store.history('46984')).length);
    expect(s6a.sources).toEqual({ celestrak: s6a.elementSets });
    expect(s6a.dataAgeAtEventDays).toBeGreaterThanOrEqual(0);
    expect(Date.parse(s6a.firstEpochUtc)).toBeLessThan(Date.parse(s6a.lastEpochUtc));
    // The other maneuvers of the object within ±7 days of the window are related events.
    const related = await body('related-events');
    for (const e of related.events) expect(e.id).not.toBe(eventId);
    const chart = await body('plot');
    expect(chart.$schema).toMatch(/vega-lite/);
    expect(JSON.stringify(chart)).toContain('detected maneuver');
    expect(c?.version.marking).toMatchObject({ classification: 'UNCLASSIFIED', releasableTo: 'ALL' });
  });
});

describe('evidence of a case opened from a predicted reentry', () => {
  it('attaches the ground-track chart built from the event (hoshimi reentry on the TIP reference TLEs)', async () => {
    const tip = refPath('reentry/ssa-script-tip');
    const tles = join(dir, '66877.tle');
    writeFileSync(
      tles,
      readFileSync(join(tip, 'tle_66877_1769662703.txt'), 'utf8') +
        readFileSync(join(tip, 'tle_66877_20260129_111538.txt'), 'utf8'),
    );
    const out = join(dir, 'reentry-events.json');
    const r = runHoshimi(['reentry', '--elements', tles, '--events', out]);
    expect(r.status, r.stderr).toBe(0);
    await store.saveEvents(JSON.parse(readFileSync(out, 'utf8')));
    const [event] = await store.events({ type: 'reentry' });
    expect(event).toBeDefined();
    const id = await openCaseFromEvent(store, event?.id ?? 0, {
      actor: { username: 'ana', organisation: 'USSF' },
      owner: { organisation: 'USSF', nation: 'USA' },
      reader: US,
    });
    const c = await store.cases().getCase(US, id);
    const plot = c?.attachments.find((a) => a.kind === 'plot');
    expect(plot?.name).toBe('ground-track.vl.json');
    const spec = JSON.parse(
      Buffer.from((await store.cases().caseAttachment(US, id, plot?.id ?? 0))?.content ?? []).toString(),
    );
    const track = (event as unknown as { evidence: { ground_track: { lat_deg: number[] } } }).evidence
      .ground_track;
    expect(JSON.stringify(spec)).toContain(String(track.lat_deg[0]));
  });
});

describe('markings of evidence, conjunction cases, attachments over the API', () => {
  it("takes the case's marking from its evidence, and hides an event its reader may not see", async () => {
    const all = await store.events({ type: 'maneuver', catalogNumber: '46984' });
    const first = all[0];
    expect(first?.id).not.toBe(eventId);
    // The event's marking: confidential, releasable to Japan and the United States.
    await store.saveEvents([first as never], {
      marking: {
        classification: 'CONFIDENTIAL',
        releasableTo: ['JPN', 'USA'],
        originator: 'LOCAL',
        dataMode: 'REAL',
      },
    });
    const gb = await call('POST', '/cases', GBR_ANALYST, { eventId: first?.id });
    expect(gb.statusCode).toBe(404);
    const us = await call('POST', '/cases', USSF_ANALYST, { eventId: first?.id });
    expect(us.statusCode).toBe(201);
    const c = (await call('GET', `/cases/${us.json().id}`, USSF_ANALYST)).json();
    expect(c.marking).toBe('CONFIDENTIAL//REL TO JPN, USA');
    const ev = c.attachments.find((a: { kind: string }) => a.kind === 'event');
    expect(ev.marking).toBe('CONFIDENTIAL//REL TO JPN, USA');
    const raw = await call('GET', `/cases/${us.json().id}/attachments/${ev.id}`, JAXA_ANALYST);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers.etag).toBe(`"${ev.sha256}"`);
    expect(createHash('sha256').update(raw.rawPayload).digest('hex')).toBe(ev.sha256);
    expect((await call('GET', `/cases/${us.json().id}/attachments/${ev.id}`, GBR_ANALYST)).statusCode).toBe(
      404,
    );
  });

  it('opens a case from a stored conjunction with the screening and both histories', async () => {
    const sid = await store.saveScreening(
      {
        startedAt: '2023-01-01T00:00:00Z',
        finishedAt: '2023-01-01T00:01:00Z',
        windowStart: '2023-01-01T00:00:00Z',
        windowStop: '2023-01-02T00:00:00Z',
        thresholdKm: 10,
        primaries: ['46984'],
        catalogAsOf: '2023-01-01T00:00:00Z',
        source: 'store',
        objectCount: 2,
      },
      [
        {
          id1: '46984',
          id2: '99999',
          tcaUtc: '2023-01-01T06:00:00Z',
          missKm: 1.5,
          relSpeedKmS: 10,
          rKm: 0.1,
          iKm: 1.4,
          cKm: 0.5,
          pc: 1e-5,
          pcMethod: 'foster',
          hbrM: 20,
          covarianceSource: 'none',
          confidence: 'low',
          age1Days: 0.5,
          age2Days: 1,
        },
      ],
    );
    expect((await call('POST', '/cases', USSF_ANALYST, { conjunctionId: `${sid}-2` })).statusCode).toBe(404);
    const r = await call('POST', '/cases', USSF_ANALYST, { conjunctionId: `${sid}-1` });
    expect(r.statusCode).toBe(201);
    const c = (await call('GET', `/cases/${r.json().id}`, USSF_ANALYST)).json();
    expect(c.source).toEqual({ kind: 'conjunction', id: `${sid}-1`, type: 'conjunction' });
    expect(c.attachments.map((a: { kind: string }) => a.kind)).toEqual([
      'conjunction',
      'element-history',
      'related-events',
    ]);
    const cj = await call('GET', `/cases/${r.json().id}/attachments/${c.attachments[0].id}`, USSF_ANALYST);
    expect(cj.json().conjunction).toMatchObject({ id: `${sid}-1`, missKm: 1.5, pc: 1e-5 });
    expect(cj.json().screening.thresholdKm).toBe(10);
  });
});

describe('case API', () => {
  let caseId: number;

  it('refuses without a principal (401) and a viewer editing (403); a missing event is 404', async () => {
    expect((await call('GET', '/cases', null)).statusCode).toBe(401);
    const v = await call('POST', '/cases', USSF_VIEWER, { eventId });
    expect(v.statusCode).toBe(403);
    expect(v.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call('POST', '/cases', USSF_ANALYST, { eventId: 999999 })).statusCode).toBe(404);
    expect((await call('POST', '/cases', USSF_ANALYST, {})).statusCode).toBe(400);
  });

  it('runs the workflow between two organisations, each step a new version', async () => {
    const o = await call('POST', '/cases', USSF_ANALYST, { eventId, title: 'S6A maneuver' });
    expect(o.statusCode).toBe(201);
    caseId = o.json().id;
    const post = (path: string, who: Principal, body: unknown) =>
      call('POST', `/cases/${caseId}/${path}`, who, body);
    expect(
      (
        await post('indicators', USSF_ANALYST, {
          classId: 'co-orbital',
          indicatorId: 'synchronising-maneuver',
          note: 'raise',
        })
      ).statusCode,
    ).toBe(200);
    const h = await post('hypotheses', USSF_ANALYST, {
      hypothesisId: 'cooperative-activity',
      evidenceFor: 'routine orbit maintenance of an altimetry mission',
    });
    expect(h.statusCode).toBe(200);
    const hypId = (await call('GET', `/cases/${caseId}`, USSF_ANALYST, undefined)).json().content
      .hypotheses[0].id;
    expect(
      (
        await post('assessments', USSF_ANALYST, {
          subject: { kind: 'hypothesis', id: String(hypId) },
          likelihood: 'almost certain',
          confidence: 'high',
          reasons: 'station-keeping cadence',
        })
      ).statusCode,
    ).toBe(200);
    // Bad inputs name their field; a viewer may not assess; a non-party org is refused.
    const bad = await post('assessments', USSF_ANALYST, {
      subject: { kind: 'class', id: 'cyber' },
      likelihood: 'maybe',
      confidence: 'high',
      reasons: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('body.likelihood');
    expect((await post('notes', USSF_VIEWER, { text: 'x' })).statusCode).toBe(403);
    expect((await post('notes', GBR_ANALYST, { text: 'x' })).statusCode).toBe(403);
    // Concur before sharing: 409; partner shares: 403.
    expect((await post('concur', JAXA_ANALYST, { reasons: 'x' })).statusCode).toBe(403);
    expect((await post('close', USSF_ANALYST, { note: 'x' })).statusCode).toBe(409);
    expect(
      (await post('share', USSF_ANALYST, { partners: [{ organisation: 'JAXA', nation: 'JPN' }] })).statusCode,
    ).toBe(200);
    expect(
      (await post('share', JAXA_ANALYST, { partners: [{ organisation: 'UKSC', nation: 'GBR' }] })).statusCode,
    ).toBe(403);
    expect(
      (
        await post('notes', JAXA_ANALYST, {
          text: 'JAXA radar agrees',
          marking: 'UNCLASSIFIED//REL TO JPN, USA',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await post('assessments', JAXA_ANALYST, {
          subject: { kind: 'hypothesis', id: String(hypId) },
          likelihood: 'very likely',
          confidence: 'moderate',
          reasons: 'consistent with published operations',
        })
      ).statusCode,
    ).toBe(200);
    expect((await post('close', USSF_ANALYST, { note: 'x' })).json().code).toBe('CASE_RESPONSES_MISSING');
    expect((await post('dissent', JAXA_ANALYST, {})).statusCode).toBe(400);
    expect(
      (await post('concur', JAXA_ANALYST, { reasons: 'the evidence supports the hypothesis' })).statusCode,
    ).toBe(200);
    const closed = await post('close', USSF_ANALYST, { note: 'consultation complete' });
    expect(closed.statusCode).toBe(200);
    expect((await post('notes', USSF_ANALYST, { text: 'late' })).json().code).toBe('CASE_CLOSED');

    const now = (await call('GET', `/cases/${caseId}`, JAXA_ANALYST, undefined)).json();
    expect(now.state).toBe('closed');
    expect(now.version).toBe(closed.json().version);
    expect(now.assessments.map((a: { organisation: string }) => a.organisation)).toEqual(['USSF', 'JAXA']);
    expect(now.marking).toBe('UNCLASSIFIED//REL TO JPN, USA');
    const v1 = (await call('GET', `/cases/${caseId}?version=1`, USSF_ANALYST, undefined)).json();
    expect(v1.state).toBe('draft');
    expect(v1.content.indicators).toEqual([]);
    // The British organisation is outside the releasability now: the case is absent for it.
    expect((await call('GET', `/cases/${caseId}`, GBR_ANALYST, undefined)).statusCode).toBe(404);
    expect(
      (await call('GET', '/cases', GBR_ANALYST, undefined)).json().items.map((c: { id: number }) => c.id),
    ).not.toContain(caseId);
    const hist = (await call('GET', `/cases/${caseId}/history`, USSF_VIEWER, undefined)).json().items;
    expect(hist.length).toBe(now.version);
  });

  it('exports a signed bundle that verifies offline, and refuses a modified one', async () => {
    const res = await call('GET', `/cases/${caseId}/export`, USSF_VIEWER, undefined);
    expect(res.statusCode).toBe(200);
    const published = (await call('GET', '/cases/signing-key', USSF_VIEWER, undefined)).json();
    // This server has neither a node key nor $HOSHIMI_CASE_SIGNING_KEY: it says its key is ephemeral.
    expect(published).toMatchObject({ source: 'ephemeral', ephemeral: true });
    const key = createPublicKey(published.publicKey);
    expect(published.keyId).toBe(keyId(key));
    const bundle = res.json();
    expect(verifyCaseExport(bundle, key).ok).toBe(true);
    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.case.content.responses[0].position = 'dissent';
    expect(verifyCaseExport(tampered, key)).toMatchObject({ ok: false, code: 'BUNDLE_SIGNATURE' });
    // Another key does not verify it.
    expect(verifyCaseExport(bundle, publicKey)).toMatchObject({ ok: false, code: 'BUNDLE_UNKNOWN_KEY' });
    // The service signs with a given key too.
    const direct = await exportCase(store, US, caseId, privateKey, 'ana');
    expect(verifyCaseExport(direct, publicKey).ok).toBe(true);
    const swapped = JSON.parse(JSON.stringify(direct));
    swapped.attachments[0].sha256 = swapped.attachments[1].sha256;
    expect(verifyCaseExport(swapped, publicKey).ok).toBe(false);
  });

  it('signs with the node key when given one, and with $HOSHIMI_CASE_SIGNING_KEY over it', async () => {
    const node = generateKeyPairSync('ed25519');
    const override = generateKeyPairSync('ed25519');
    const pemFile = join(dir, 'case-signing.pem');
    writeFileSync(pemFile, override.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const keyOf = async (server: FastifyInstance) => {
      const res = await server.inject({
        method: 'GET',
        url: '/cases/signing-key',
        headers: { authorization: `Bearer ${tokens.get(USSF_VIEWER.username)}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json() as { publicKey: string; keyId: string; source: string; ephemeral: boolean };
    };
    const exportOf = async (server: FastifyInstance) =>
      (
        await server.inject({
          method: 'GET',
          url: `/cases/${caseId}/export`,
          headers: { authorization: `Bearer ${tokens.get(USSF_VIEWER.username)}` },
        })
      ).json();
    const withNode = await buildServer({ store, storeLabel: 'test', nodeKey: node.privateKey });
    try {
      expect(await keyOf(withNode)).toMatchObject({
        source: 'node',
        ephemeral: false,
        keyId: keyId(node.publicKey),
      });
      const signed = await exportOf(withNode);
      expect(verifyCaseExport(signed, node.publicKey).ok).toBe(true);
      expect(verifyCaseExport(signed, override.publicKey).ok).toBe(false);
    } finally {
      await withNode.close();
    }
    process.env['HOSHIMI_CASE_SIGNING_KEY'] = pemFile;
    let overridden: FastifyInstance | undefined;
    try {
      overridden = await buildServer({ store, storeLabel: 'test', nodeKey: node.privateKey });
      expect(await keyOf(overridden)).toMatchObject({
        source: 'environment',
        ephemeral: false,
        keyId: keyId(override.publicKey),
      });
      expect(verifyCaseExport(await exportOf(overridden), override.publicKey).ok).toBe(true);
    } finally {
      delete process.env['HOSHIMI_CASE_SIGNING_KEY'];
      await overridden?.close();
    }
    // A file that is not a key is refused at start-up rather than replaced by another key.
    writeFileSync(join(dir, 'not-a-key.pem'), 'nothing here', { mode: 0o600 });
    process.env['HOSHIMI_CASE_SIGNING_KEY'] = join(dir, 'not-a-key.pem');
    try {
      await expect(buildServer({ store, storeLabel: 'test' })).rejects.toMatchObject({
        code: 'CASE_SIGNING_KEY',
      });
    } finally {
      delete process.env['HOSHIMI_CASE_SIGNING_KEY'];
    }
  });

  it('renders a self-contained printable report with English and Japanese labels and the charts inline', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const res = await call('GET', `/cases/${caseId}/report?lang=${lang}`, USSF_VIEWER, undefined);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const html = res.body;
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).not.toMatch(/https?:\/\//i);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(/i);
      expect(html).toContain('<svg');
      for (const label of [
        'Indicators',
        '指標',
        'Alternative hypotheses',
        '代替仮説',
        'almost certain',
        'ほぼ確実',
        'high confidence',
        '確度：高',
      ])
        expect(html).toContain(label);
      expect(html).toContain('UNCLASSIFIED//REL TO JPN, USA');
      expect(html).toContain('issues no verdict');
      expect(html).toContain('判定は行わない');
    }
    expect(
      await caseReportHtml(store, { organisation: 'UKSC', nation: 'GBR', clearance: 'SECRET' }, caseId, 'en'),
    ).toBeNull();
  });
});
