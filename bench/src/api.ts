/**
 * The HTTP API under load: the 2023-10-09 catalog (26,140 objects) and the ISS history 1998-2004
 * imported into a fresh SQLite store, a one-day screening of every payload against the catalog
 * stored by `hoshimi screen --db` (about 10⁵ conjunctions), then `hoshimi serve` in its own process on loopback and
 * autocannon (a real HTTP load generator, in this process) with 50 concurrent connections against
 * three routes: the conjunction list (sorted by Pc, by miss distance, filtered), the catalog as of
 * a time paged 100 objects at a time (every page in turn), and one object's history paged (the
 * ISS, 10,212 sets). Latency percentiles come from every response's time (autocannon's own summary
 * has no p95); throughput is requests per second over the run; the server's resident memory is
 * read from /proc after each run, with its peak (VmHWM). The server keeps each answer's bytes by
 * its strong ETag (and whole-catalog, history and screening lists by store state), so once a
 * page has been asked for it is served from memory: the first (cold) request of each route is
 * timed on its own, before the load.
 *
 * There is no peer: the goal (issue 12) is p95 ≤ 50 ms under 50 concurrent clients.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addOrganisation, addUser, issueToken } from '@hoshimi/server';
import { openSqliteStore } from '@hoshimi/store';
import autocannon, { type Result } from 'autocannon';
import { REPO_ROOT, record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const ISS = 'history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz';
/** After every epoch of the 2023-10-09 file: the whole catalog is as of this time. */
const AS_OF = '2023-10-10T00:00:00Z';
const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 10;
const HOSHIMI = join(REPO_ROOT, 'packages/cli/bin/hoshimi.js');

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** VmRSS and VmHWM of a process, MiB (Linux /proc; NaN elsewhere). */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return { rss: Number.NaN, peak: Number.NaN };
  const text = readFileSync(path, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [HOSHIMI, 'serve', '--db', db, '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/[^\s]+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}`)));
  });
  return { child, url };
}

interface Scenario {
  readonly name: string;
  readonly requests: readonly { readonly path: string }[];
}

/** The API token every request sends (the API refuses requests without credentials). */
let headers: Record<string, string> = {};

async function load(url: string, requests: Scenario['requests'], durationS: number) {
  const times: number[] = [];
  let bad = 0;
  const instance = autocannon({ url, connections: CONNECTIONS, duration: durationS, headers, requests });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status !== 200) bad++;
    times.push(ms);
  });
  const result = await new Promise<Result>((resolve) => instance.on('done', resolve));
  const sorted = Float64Array.from(times).sort();
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    rps: times.length / result.duration,
    count: times.length,
    bad: bad + result.errors + result.timeouts,
  };
}

export async function benchApi(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-api-'));
  const db = join(dir, 'catalog.db');
  let server: ChildProcess | undefined;
  try {
    const store = await openSqliteStore(db, { mode: 'create' });
    for (const [rel, source] of [
      [CATALOG, 'celestrak'],
      [ISS, 'file'],
    ] as const) {
      await store.importFile({ name: rel, bytes: readFileSync(refFile(rel)), source });
    }
    const objects = (await store.selectObjects({})).catalogNumbers.length;
    // A viewer's read token: every request is authenticated, as a client's would be.
    await addOrganisation(store, { code: 'BENCH', name: 'Benchmark', nation: 'USA', maxClearance: 'SECRET' });
    await addUser(store, {
      username: 'bench',
      organisation: 'BENCH',
      roles: ['viewer'],
      clearance: 'SECRET',
    });
    const { secret } = await issueToken(store, {
      username: 'bench',
      name: 'bench',
      scopes: ['read'],
      days: 1,
    });
    headers = { authorization: `Bearer ${secret}` };
    await store.close();
    const t0 = performance.now();
    const screen = spawnSync(
      process.execPath,
      [
        HOSHIMI,
        'screen',
        '--db',
        db,
        '--as-of',
        AS_OF,
        '--days',
        '1',
        '--threshold-km',
        '10',
        '--primaries',
        'payloads',
        '--workers',
        '2',
        '--out',
        join(dir, 'screen.csv'),
      ],
      { encoding: 'utf8' },
    );
    if (screen.status !== 0) throw new Error(`hoshimi screen failed: ${screen.stderr}`);
    const screenS = (performance.now() - t0) / 1000;
    const started = await startServer(db);
    server = started.child;
    const url = started.url;
    // Cold: the first request of each route (the store read, the as-of computation), one client.
    const coldMs: number[] = [];
    const first = async (path: string) => {
      const t0 = performance.now();
      const r = await fetch(`${url}${path}`, { headers });
      const body = (await r.json()) as { page: { total: number } };
      coldMs.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`${path}: status ${r.status}`);
      return body;
    };
    const conj = await first('/conjunctions?sort=-pc&limit=100');
    const catalogPage = await first(`/catalog?asOf=${AS_OF}&limit=100&offset=0`);
    const historyPage = await first('/objects/25544/history?limit=100&offset=0');
    console.log(
      `  store: ${objects} objects, ISS history ${historyPage.page.total} sets; screening (payloads × catalog, 1 day, 10 km) ${conj.page.total} conjunctions in ${screenS.toFixed(1)} s; catalog as of ${AS_OF}: ${catalogPage.page.total} objects`,
    );
    console.log(
      `  server ${url} (own process), ${CONNECTIONS} connections, ${DURATION_S} s per route after ${WARMUP_S} s warm-up`,
    );
    const pages = (total: number, base: string) =>
      Array.from({ length: Math.ceil(total / 100) }, (_, k) => ({
        path: `${base}${base.endsWith('?') ? '' : '&'}limit=100&offset=${k * 100}`,
      }));
    const scenarios: Scenario[] = [
      {
        name: 'conjunctions',
        requests: [
          { path: '/conjunctions?sort=-pc&limit=100' },
          { path: '/conjunctions?sort=miss&limit=100&offset=100' },
          { path: '/conjunctions?maxMissKm=2&sort=tca&limit=100' },
        ],
      },
      { name: 'catalog as-of (100/page)', requests: pages(catalogPage.page.total, `/catalog?asOf=${AS_OF}`) },
      { name: 'ISS history (100/page)', requests: pages(historyPage.page.total, '/objects/25544/history?') },
    ];
    for (const [i, s] of scenarios.entries()) {
      await load(url, s.requests, WARMUP_S);
      const r = await load(url, s.requests, DURATION_S);
      const mem = memoryMiB(server.pid ?? -1);
      console.log(`  ${s.name}: ${r.count} responses, ${r.bad} not 200`);
      record({
        bench: 'api',
        metric: `${s.name} first request (cold)`,
        ours: coldMs[i]!,
        peer: null,
        unit: 'ms',
      });
      record({ bench: 'api', metric: `${s.name} p50`, ours: r.p50, peer: null, unit: 'ms' });
      record({ bench: 'api', metric: `${s.name} p95`, ours: r.p95, peer: null, unit: 'ms' });
      record({ bench: 'api', metric: `${s.name} p99`, ours: r.p99, peer: null, unit: 'ms' });
      record({ bench: 'api', metric: `${s.name} throughput`, ours: r.rps, peer: null, unit: 'req/s' });
      record({ bench: 'api', metric: `server RSS after ${s.name}`, ours: mem.rss, peer: null, unit: 'MiB' });
    }
    record({
      bench: 'api',
      metric: 'server peak RSS',
      ours: memoryMiB(server.pid ?? -1).peak,
      peer: null,
      unit: 'MiB',
    });
  } finally {
    server?.kill('SIGTERM');
    if (server !== undefined) await new Promise((r) => server?.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
