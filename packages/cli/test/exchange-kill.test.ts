/**
 * The node exchange through the command line, with real `hoshimi serve` processes killed in the
 * middle of a multi-bundle sync: `hoshimi exchange keygen` and `partner add` set up a 'USA' node and
 * a 'JPN' node (certificates made by openssl for this run); one node runs as a child process and is
 * killed with SIGKILL while bundles flow (the receiver during a push, the sender during a pull),
 * then restarted; the sync then completes with every releasable set stored exactly once and
 * nothing else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteCatalogStore } from '@hoshimi/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeService, loadNodeIdentity, syncWithPartner } from '../../server/src/index.js';
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
});
