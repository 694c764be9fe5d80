/**
 * The node exchange through the command line, with real `hoshimi serve` processes killed in the
 * middle of a multi-bundle sync: `hoshimi exchange keygen` and `partner add` set up a 'USA' node and
 * a 'JPN' node (certificates made by openssl for this run); one node runs as a child process and is
 * killed with SIGKILL while bundles flow (the receiver during a push, the sender during a pull),
 * then restarted; the sync then completes with every releasable set stored exactly once and
 * nothing else. The same for a case: a partner's response (an assessment and a concurrence) pushed
 * to the owner node, which is killed while applying it (held inside the store's write by a slow
 * trigger for the kill to land there); after the restart the response is applied exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaseAction, checkCaseAction, DEFAULT_SCHEME, parseMarking, type Reader } from '@hoshimi/astro';
import { openSqliteStore, type SqliteCatalogStore } from '@hoshimi/store';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondOnReplica } from '../../server/src/exchange/case-replicas.js';
import {
  ExchangeService,
  loadNodeIdentity,
  openCaseFromEvent,
  syncWithPartner,
} from '../../server/src/index.js';
import {
  catalogNumbersOf,
  catalogSlice,
  makeNodePki,
  type NodePki,
} from '../../server/test/exchange-fixture.js';
import { BIN, hoshimi } from './harness.js';

const BUNDLE_ITEMS = 20;
const FAR_FUTURE = '2030-01-01T00:00:00Z';

let dir: string;
let usaPki: NodePki;
let jpnPki: NodePki;
const usaDb = () => join(dir, 'usa.db');
const jpnDb = () => join(dir, 'jpn.db');
const children = new Set<ChildProcess>();

function ok(args: string[]): string {
  const r = hoshimi(...args);
  if (r.status !== 0) throw new Error(`hoshimi ${args.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `hoshimi serve` with the exchange listener, in a child process; resolves with its exchange URL. */
async function serve(db: string, pki: NodePki): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--quiet',
      '--exchange-port',
      '0',
      '--tls-cert',
      pki.certPath,
      '--tls-key',
      pki.keyPath,
      '--bundle-items',
      String(BUNDLE_ITEMS),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  let errText = '';
  child.stderr?.on('data', (d: Buffer) => {
    errText += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Hoshimi exchange on (https:\/\/[^\s]+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}: ${errText}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function addPartner(db: string, name: string, nation: string, pub: string, pki: NodePki, url?: string): void {
  ok([
    'exchange',
    'partner',
    'add',
    name,
    '--db',
    db,
    '--nation',
    nation,
    '--max-classification',
    'SECRET',
    '--public-key',
    pub,
    '--tls-ca',
    pki.caPath,
    '--tls-cert',
    pki.certPath,
    ...(url === undefined ? [] : ['--url', url]),
  ]);
}

async function importFile(db: string, text: string, file: string, label: string): Promise<void> {
  const path = join(dir, file);
  writeFileSync(path, text);
  ok(['catalog', 'import', path, '--db', db, '--marking', label, '--source', 'spacetrack']);
}

/** Catalog number → number of stored sets, in a store. */
async function counts(store: SqliteCatalogStore): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const s of await store.asOf(FAR_FUTURE))
    m.set(s.catalogNumber, (await store.history(s.catalogNumber)).length);
  return m;
}

const firstShared = catalogSlice(100, 300);
const usaOnly = catalogSlice(400, 40);
const secondShared = catalogSlice(440, 300);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoshimi-exchange-cli-'));
  usaPki = makeNodePki(dir, 'usa', 'USSPACECOM');
  jpnPki = makeNodePki(dir, 'jpn', 'JASDF');
  writeFileSync(
    join(dir, 'usa.pub'),
    ok(['exchange', 'keygen', '--db', usaDb(), '--org', 'USSPACECOM', '--nation', 'USA']),
  );
  writeFileSync(
    join(dir, 'jpn.pub'),
    ok(['exchange', 'keygen', '--db', jpnDb(), '--org', 'JASDF', '--nation', 'JPN']),
  );
  addPartner(usaDb(), 'JASDF', 'JPN', join(dir, 'jpn.pub'), jpnPki);
  addPartner(jpnDb(), 'USSPACECOM', 'USA', join(dir, 'usa.pub'), usaPki);
  await importFile(usaDb(), firstShared, 'first.3le', 'SECRET//REL TO USA, JPN');
  await importFile(usaDb(), usaOnly, 'usa-only.3le', 'SECRET//REL TO USA');
}, 120_000);

afterAll(async () => {
  for (const c of children) await stop(c, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('exchange sync with a node killed mid-way', () => {
  it('partner list shows the pinned partner', () => {
    expect(ok(['exchange', 'partner', 'list', '--db', usaDb()])).toMatch(/^JASDF\s+JPN up to SECRET/);
  });

  it('push: the receiver is killed during the sync, restarted, and the sync completes', async () => {
    const usa = await openSqliteStore(usaDb(), { mode: 'write' });
    try {
      const identity = await loadNodeIdentity(usa, `${usaDb()}.exchange-key.pem`, { create: false });
      const service = new ExchangeService({ store: usa, identity, bundleItems: BUNDLE_ITEMS });
      const tls = { cert: usaPki.certPem, key: usaPki.keyPem };
      let jpn = await serve(jpnDb(), jpnPki);
      addPartner(usaDb(), 'JASDF', 'JPN', join(dir, 'jpn.pub'), jpnPki, jpn.url);
      let delivered = 0;
      const killed = jpn.child;
      const first = syncWithPartner({
        service,
        partner: 'JASDF',
        tls,
        direction: 'push',
        onBundle: () => {
          delivered++;
          // A few milliseconds after bundle 3 is acknowledged: bundle 4 is in flight.
          if (delivered === 3) setTimeout(() => killed.kill('SIGKILL'), 3);
        },
      });
      await expect(first).rejects.toMatchObject({ code: 'EXCHANGE_UNREACHABLE' });
      expect(delivered).toBeGreaterThanOrEqual(3);
      expect(delivered).toBeLessThan(300 / BUNDLE_ITEMS);
      await stop(killed, 'SIGKILL');

      jpn = await serve(jpnDb(), jpnPki);
      addPartner(usaDb(), 'JASDF', 'JPN', join(dir, 'jpn.pub'), jpnPki, jpn.url);
      const again = await syncWithPartner({ service, partner: 'JASDF', tls, direction: 'push' });
      expect(again.pushed.bundles + delivered).toBeGreaterThanOrEqual(300 / BUNDLE_ITEMS);
      const twice = await syncWithPartner({ service, partner: 'JASDF', tls });
      expect(twice.pushed.bundles).toBe(0);
      await stop(jpn.child, 'SIGTERM');
    } finally {
      await usa.close();
    }
    const jpnStore = await openSqliteStore(jpnDb(), { mode: 'read' });
    try {
      const c = await counts(jpnStore);
      expect(new Set(c.keys())).toEqual(new Set(catalogNumbersOf(firstShared)));
      for (const n of c.values()) expect(n).toBe(1);
    } finally {
      await jpnStore.close();
    }
  });

  it('pull: the sender is killed during the sync, restarted, and the sync completes', async () => {
    await importFile(usaDb(), secondShared, 'second.3le', 'SECRET//REL TO USA, JPN');
    const jpnStore = await openSqliteStore(jpnDb(), { mode: 'write' });
    try {
      const identity = await loadNodeIdentity(jpnStore, `${jpnDb()}.exchange-key.pem`, { create: false });
      const service = new ExchangeService({ store: jpnStore, identity, bundleItems: BUNDLE_ITEMS });
      const tls = { cert: jpnPki.certPem, key: jpnPki.keyPem };
      let usa = await serve(usaDb(), usaPki);
      await jpnStore.exchange.savePartner({
        ...(await jpnStore.exchange.getPartner('USSPACECOM'))!,
        url: usa.url,
      });
      let applied = 0;
      const killed = usa.child;
      const first = syncWithPartner({
        service,
        partner: 'USSPACECOM',
        tls,
        direction: 'pull',
        onBundle: () => {
          applied++;
          if (applied === 3) killed.kill('SIGKILL');
        },
      });
      // Bundles already received in the same answer are applied; the next request fails.
      await expect(first).rejects.toMatchObject({ code: 'EXCHANGE_UNREACHABLE' });
      expect(applied).toBeLessThan(300 / BUNDLE_ITEMS);
      await stop(killed, 'SIGKILL');

      usa = await serve(usaDb(), usaPki);
      await jpnStore.exchange.savePartner({
        ...(await jpnStore.exchange.getPartner('USSPACECOM'))!,
        url: usa.url,
      });
      const again = await syncWithPartner({ service, partner: 'USSPACECOM', tls });
      expect(again.pulled.bundles + applied).toBe(300 / BUNDLE_ITEMS);
      expect(again.pulled.duplicates).toBe(0);
      await stop(usa.child, 'SIGTERM');
      const c = await counts(jpnStore);
      expect(new Set(c.keys())).toEqual(
        new Set([...catalogNumbersOf(firstShared), ...catalogNumbersOf(secondShared)]),
      );
      for (const n of c.values()) expect(n).toBe(1);
      for (const cn of catalogNumbersOf(usaOnly)) expect(c.has(cn)).toBe(false);
    } finally {
      await jpnStore.close();
    }
  });

  it('hoshimi exchange sync pulls and pushes through the command line', async () => {
    const jpnShared = catalogSlice(800, 5);
    await importFile(jpnDb(), jpnShared, 'jpn-shared.3le', 'SECRET//REL TO USA, JPN');
    const jpn = await serve(jpnDb(), jpnPki);
    try {
      addPartner(usaDb(), 'JASDF', 'JPN', join(dir, 'jpn.pub'), jpnPki, jpn.url);
      const r = hoshimi(
        'exchange',
        'sync',
        '--partner',
        'JASDF',
        '--db',
        usaDb(),
        '--tls-cert',
        usaPki.certPath,
        '--tls-key',
        usaPki.keyPath,
      );
      expect(r.stderr).toMatch(/pull bundle 1: applied \(5 items\)/);
      expect(r.stdout).toMatch(/pulled 1 bundles \(5 new element sets/);
      expect(r.status).toBe(0);
      const again = hoshimi(
        'exchange',
        'sync',
        '--partner',
        'JASDF',
        '--db',
        usaDb(),
        '--tls-cert',
        usaPki.certPath,
        '--tls-key',
        usaPki.keyPath,
      );
      expect(again.stdout).toMatch(/pulled 0 bundles .* pushed 0 bundles/);
      const noCert = hoshimi('exchange', 'sync', '--partner', 'JASDF', '--db', usaDb());
      expect(noCert.status).toBe(2);
      expect(noCert.stderr).toMatch(/USAGE/);
    } finally {
      await stop(jpn.child, 'SIGTERM');
    }
  });
  it('case response: the owner node is killed while applying it, restarted, and applies it once', async () => {
    const US: Reader = { organisation: 'USSPACECOM', nation: 'USA', clearance: 'SECRET' };
    const JP: Reader = { organisation: 'JASDF', nation: 'JPN', clearance: 'SECRET' };
    const ana = { username: 'ana', organisation: 'USSPACECOM' };
    const ken = { username: 'ken', organisation: 'JASDF' };
    const action = (value: unknown): CaseAction => {
      const a = checkCaseAction(DEFAULT_SCHEME, value, 'USSPACECOM');
      if (!a.ok) throw new Error(JSON.stringify(a.issues));
      return a.value;
    };
    // The USA node opens a case on a maneuver of a shared object and shares it with JASDF.
    const cn = catalogNumbersOf(firstShared)[0]!;
    const usa = await openSqliteStore(usaDb(), { mode: 'write' });
    let caseId: number;
    let hypothesis: number;
    try {
      const t = '2023-10-09T00:00:00Z';
      const marking = parseMarking(DEFAULT_SCHEME, 'SECRET//REL TO USA, JPN', 'USSPACECOM');
      await usa.saveEvents(
        [
          {
            type: 'maneuver',
            objects: [cn],
            timeUtc: t,
            windowStartUtc: t,
            windowEndUtc: t,
            kind: 'orbit-raising',
            score: 9,
            threshold: 5,
            detector: 'element-consistency',
            detectorVersion: '1.0.0',
            evidence: {},
            inputs: {},
          },
        ],
        { marking },
      );
      const [event] = await usa.events({ catalogNumber: cn });
      caseId = await openCaseFromEvent(usa, event!.id, {
        actor: ana,
        owner: { organisation: 'USSPACECOM', nation: 'USA' },
        reader: US,
        marking,
        title: 'maneuver: consultation',
      });
      const cases = usa.cases();
      await cases.applyCaseAction(
        caseId,
        action({
          kind: 'hypothesis',
          hypothesisId: 'natural-fragmentation',
          evidenceFor: 'a',
          evidenceAgainst: 'b',
        }),
        ana,
        US,
      );
      hypothesis = (await cases.getCase(US, caseId))!.version.content.hypotheses[0]!.id;
      await cases.applyCaseAction(
        caseId,
        action({ kind: 'share', partners: [{ organisation: 'JASDF', nation: 'JPN' }] }),
        ana,
        US,
      );
    } finally {
      await usa.close();
    }

    const jpnStore = await openSqliteStore(jpnDb(), { mode: 'write' });
    try {
      const identity = await loadNodeIdentity(jpnStore, `${jpnDb()}.exchange-key.pem`, { create: false });
      const service = new ExchangeService({ store: jpnStore, identity, bundleItems: BUNDLE_ITEMS });
      const tls = { cert: jpnPki.certPem, key: jpnPki.keyPem };
      const pointAt = async (url: string) =>
        jpnStore.exchange.savePartner({ ...(await jpnStore.exchange.getPartner('USSPACECOM'))!, url });
      // JPN pulls the case, and JASDF assesses and concurs on its replica.
      let node = await serve(usaDb(), usaPki);
      await pointAt(node.url);
      await syncWithPartner({ service, partner: 'USSPACECOM', tls, direction: 'pull' });
      await stop(node.child, 'SIGTERM');
      const usaPartner = (await jpnStore.exchange.getPartner('USSPACECOM'))!;
      await respondOnReplica(jpnStore, identity, usaPartner, JP, ken, caseId, {
        assessment: {
          subject: { kind: 'hypothesis', id: String(hypothesis) },
          likelihood: 'unlikely',
          confidence: 'low',
          reasons: 'the spread is small',
        },
        position: 'concur',
        reasons: 'agreed',
      });

      // The USA node's write of the response is held by a slow trigger; the node is killed there.
      const raw = new Database(usaDb());
      raw.exec(`CREATE TABLE stall_rows (x INTEGER);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000) INSERT INTO stall_rows SELECT i FROM c;
        CREATE TRIGGER stall BEFORE INSERT ON case_exchange_applied
          BEGIN SELECT count(*) FROM stall_rows a, stall_rows b, stall_rows c; END;`);
      raw.close();
      node = await serve(usaDb(), usaPki);
      await pointAt(node.url);
      const killed = node.child;
      const first = syncWithPartner({ service, partner: 'USSPACECOM', tls, direction: 'push' });
      setTimeout(() => killed.kill('SIGKILL'), 2500);
      await expect(first).rejects.toMatchObject({ code: 'EXCHANGE_UNREACHABLE' });
      await stop(killed, 'SIGKILL');
      const cleanup = new Database(usaDb());
      cleanup.exec('DROP TRIGGER stall; DROP TABLE stall_rows;');
      cleanup.close();

      node = await serve(usaDb(), usaPki);
      await pointAt(node.url);
      await syncWithPartner({ service, partner: 'USSPACECOM', tls, direction: 'push' });
      const again = await syncWithPartner({ service, partner: 'USSPACECOM', tls });
      expect(again.pushed.bundles).toBe(0);
      await stop(node.child, 'SIGTERM');
    } finally {
      await jpnStore.close();
    }
    const owner = await openSqliteStore(usaDb(), { mode: 'read' });
    try {
      const c = (await owner.cases().getCase(US, caseId))!;
      const jasdf = c.version.content.assessments.filter((a) => a.organisation === 'JASDF');
      expect(jasdf).toHaveLength(1);
      expect(c.version.content.responses.map((r) => [r.organisation, r.position])).toEqual([
        ['JASDF', 'concur'],
      ]);
      expect(c.version.version).toBe(5); // opened, hypothesis, shared, assessment, concurrence
    } finally {
      await owner.close();
    }
  }, 120_000);
});
