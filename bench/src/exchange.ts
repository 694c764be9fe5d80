/**
 * The node exchange on loopback (issue 13 goal: a sync of 30,000 element sets between two nodes in
 * at most 10 s). A 'USA' node holds the 2023-10-09 catalog (26,140 sets) and the first 3,860 sets
 * of the ISS history 1998-2004, all marked SECRET//REL TO USA, JPN (30,000 releasable sets), and
 * the rest of that history (6,352 sets) marked SECRET//REL TO USA, which must not leave. It runs as
 * `hoshimi serve --exchange-port` in its own process; a 'JPN' node in this process pulls over
 * mutual TLS (the throw-away PKI of the server's test-pki.ts, made for the run) with the default
 * bundle size. The time is the whole sync from empty cursors: the sender selects, writes OMM, signs and keeps its bundles;
 * the receiver checks signatures, markings and payloads and stores every set in one transaction
 * per bundle. A second sync (nothing new) is timed too. There is no peer. The CPU time of each node
 * is reported beside the wall time: on a loaded machine the wall time says more about the other
 * processes than about the sync.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_SCHEME, parseMarking } from '@hoshimi/astro';
import {
  certificateFingerprint,
  defaultKeyPath,
  ExchangeService,
  loadNodeIdentity,
  makeNodePki,
  type NodePki,
  publicKeyPem,
  syncWithPartner,
} from '@hoshimi/server';
import { openSqliteStore } from '@hoshimi/store';
import { REPO_ROOT, record, refFile } from './harness.js';

const HOSHIMI = join(REPO_ROOT, 'packages/cli/bin/hoshimi.js');
const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const ISS = 'history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz';
const SHARED_SETS = 30_000;

/** User + system CPU seconds of a process (Linux /proc; NaN elsewhere), at 100 clock ticks a second. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function serve(db: string, pki: NodePki): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      HOSHIMI,
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
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Hoshimi exchange on (https:\/\/[^\s]+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}`)));
  });
  return { child, url };
}

export async function benchExchange(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-exchange-'));
  let child: ChildProcess | undefined;
  try {
    const usaPki = makeNodePki(dir, 'usa', 'USSPACECOM');
    const jpnPki = makeNodePki(dir, 'jpn', 'JASDF');
    const usaDb = join(dir, 'usa.db');
    const jpnDb = join(dir, 'jpn.db');
    const usa = await openSqliteStore(usaDb);
    const jpn = await openSqliteStore(jpnDb);
    await usa.exchange.setNodeInfo({ organisation: 'USSPACECOM', nation: 'USA' });
    await jpn.exchange.setNodeInfo({ organisation: 'JASDF', nation: 'JPN' });
    const usaId = await loadNodeIdentity(usa, defaultKeyPath(usaDb));
    const jpnId = await loadNodeIdentity(jpn, defaultKeyPath(jpnDb));
    const catalog = readFileSync(refFile(CATALOG));
    const catalogSets = gunzipSync(catalog)
      .toString('latin1')
      .split('\n')
      .filter((l) => l.startsWith('1 ')).length;
    const issLines = gunzipSync(readFileSync(refFile(ISS)))
      .toString('latin1')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    const label = 'SECRET//REL TO USA, JPN';
    const marking = parseMarking(DEFAULT_SCHEME, label, 'USSPACECOM');
    const cat = await usa.importFile({ name: CATALOG, bytes: catalog, source: 'spacetrack', label, marking });
    // The ISS history repeats a few sets: take records until 30,000 shared sets are stored.
    let issShared = 0;
    let shared = cat.inserted;
    while (shared < SHARED_SETS) {
      const more = SHARED_SETS - shared;
      const part = issLines.slice(2 * issShared, 2 * (issShared + more));
      const r = await usa.importFile({
        name: `iss-shared-${issShared}`,
        bytes: Buffer.from(`${part.join('\n')}\n`),
        source: 'spacetrack',
        label,
        marking,
      });
      shared += r.inserted;
      issShared += more;
    }
    console.log(
      `  USA node: ${cat.inserted} catalog sets (${catalogSets} in the file) and ${issShared} ISS records: ${shared} sets REL TO USA, JPN`,
    );
    const usaOnly = await usa.importFile({
      name: 'iss-usa-only',
      bytes: Buffer.from(`${issLines.slice(2 * issShared).join('\n')}\n`),
      source: 'spacetrack',
      label: 'SECRET//REL TO USA',
      marking: parseMarking(DEFAULT_SCHEME, 'SECRET//REL TO USA', 'USSPACECOM'),
    });
    await usa.exchange.savePartner({
      name: 'JASDF',
      nation: 'JPN',
      maxClassification: 'SECRET',
      publicKeys: [publicKeyPem(jpnId.publicKey)],
      url: null,
      tlsCa: jpnPki.caPem,
      tlsFingerprint: certificateFingerprint(jpnPki.certPem),
    });
    await usa.close();
    const server = await serve(usaDb, usaPki);
    child = server.child;
    await jpn.exchange.savePartner({
      name: 'USSPACECOM',
      nation: 'USA',
      maxClassification: 'SECRET',
      publicKeys: [publicKeyPem(usaId.publicKey)],
      url: server.url,
      tlsCa: usaPki.caPem,
      tlsFingerprint: certificateFingerprint(usaPki.certPem),
    });
    const service = new ExchangeService({ store: jpn, identity: jpnId });
    const tls = { cert: jpnPki.certPem, key: jpnPki.keyPem };
    const senderCpu0 = cpuSeconds(server.child.pid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const first = await syncWithPartner({ service, partner: 'USSPACECOM', tls, direction: 'pull' });
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const senderCpu = cpuSeconds(server.child.pid) - senderCpu0;
    const second = await syncWithPartner({ service, partner: 'USSPACECOM', tls, direction: 'pull' });
    const t2 = performance.now();
    const stored = (await jpn.asOf('2030-01-01T00:00:00Z')).length;
    console.log(
      `  pulled ${first.pulled.bundles} bundles, ${first.pulled.inserted} element sets stored (${stored} objects at JPN); ${usaOnly.inserted} USA-only sets held back; second sync ${second.pulled.inserted} new`,
    );
    if (first.pulled.inserted !== SHARED_SETS)
      throw new Error(`expected ${SHARED_SETS} sets, got ${first.pulled.inserted}`);
    record({
      bench: 'exchange',
      metric: `sync ${SHARED_SETS} sets (pull, mTLS)`,
      ours: (t1 - t0) / 1000,
      peer: null,
      unit: 's',
    });
    record({
      bench: 'exchange',
      metric: 'sets per second',
      ours: SHARED_SETS / ((t1 - t0) / 1000),
      peer: null,
      unit: '/s',
    });
    record({
      bench: 'exchange',
      metric: 'receiver CPU time',
      ours: (cpu.user + cpu.system) / 1e6,
      peer: null,
      unit: 's',
    });
    record({ bench: 'exchange', metric: 'sender CPU time', ours: senderCpu, peer: null, unit: 's' });
    record({
      bench: 'exchange',
      metric: 'second sync (nothing new)',
      ours: (t2 - t1) / 1000,
      peer: null,
      unit: 's',
    });
    await jpn.close();
  } finally {
    // The server removes its WAL files as it closes: wait for it before removing the folder.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
