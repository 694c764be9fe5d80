/**
 * A throwaway PostgreSQL cluster for the store benchmarks: initdb in a temporary folder (or under
 * `$HOSHIMI_BENCH_PG_DIR`, for histories larger than /tmp), started with pg_ctl on a loopback port,
 * trust authentication, no Unix socket, fsync off (the data dies with the run). Binaries from
 * `$HOSHIMI_PG_BIN` or the newest `/usr/lib/postgresql/N/bin` (Debian's `postgresql` package); as
 * root the cluster belongs to the `postgres` user (initdb refuses root). The same approach as the
 * store's test harness (packages/store/test/postgres-server.ts), which a benchmark cannot import.
 *
 * `$HOSHIMI_BENCH_PG_URL` (a server URL of a superuser) skips the throwaway cluster: the benchmark
 * then creates and drops its own databases on that server.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'hoshimi';

export interface BenchCluster {
  /** URL of a database of this server. */
  url(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement as the superuser on the `postgres` database. */
  admin(text: string): Promise<pg.QueryResult>;
  /** Bytes free on the cluster's file system (df). */
  freeBytes(): number;
  stop(): Promise<void>;
}

function binDir(): string {
  const given = process.env.HOSHIMI_PG_BIN;
  if (given !== undefined && given !== '') return given;
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined)
    throw new Error(
      `no PostgreSQL binaries under ${DEBIAN_ROOT}/N/bin or $HOSHIMI_PG_BIN (apt-get install postgresql)`,
    );
  return join(DEBIAN_ROOT, versions[0], 'bin');
}

function postgresUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === 'postgres') return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error('running as root and there is no postgres user to own the cluster');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function dfFree(path: string): number {
  const out = execFileSync('df', ['-B1', '--output=avail', path], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

/**
 * Starts a cluster tuned for a bulk load on this machine (`settings` are extra `-c` options, e.g.
 * shared_buffers), or connects to `$HOSHIMI_BENCH_PG_URL`.
 */
export async function startBenchCluster(settings: readonly string[] = []): Promise<BenchCluster> {
  const given = process.env.HOSHIMI_BENCH_PG_URL;
  if (given !== undefined && given !== '') {
    const base = new URL(given);
    const admin = new pg.Client({ connectionString: given });
    await admin.connect();
    const made: string[] = [];
    const url = (db: string) => {
      const u = new URL(base);
      u.pathname = `/${db}`;
      return u.toString();
    };
    return {
      url,
      admin: (t) => admin.query(t),
      async createDatabase(name) {
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        made.push(name);
        return url(name);
      },
      freeBytes: () => dfFree(tmpdir()),
      async stop() {
        for (const d of made)
          await admin.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      },
    };
  }
  const bin = binDir();
  const owner = postgresUser();
  const dir = mkdtempSync(join(process.env.HOSHIMI_BENCH_PG_DIR ?? tmpdir(), 'hoshimi-bench-pg-'));
  if (owner !== null) {
    chmodSync(dir, 0o700);
    chownSync(dir, owner.uid, owner.gid);
  }
  const data = join(dir, 'data');
  const run = (tool: string, args: readonly string[]) => {
    const exe = join(bin, tool);
    const [file, argv] = owner === null ? [exe, args] : ['runuser', ['-u', 'postgres', '--', exe, ...args]];
    return execFileSync(file, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [
    '-c listen_addresses=127.0.0.1',
    `-c port=${port}`,
    "-c unix_socket_directories=''",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_wal_size=8GB',
    ...settings.map((s) => `-c ${s}`),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '120', '-o', options, 'start']);
  const url = (db: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${db}`;
  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  return {
    url,
    admin: (t) => admin.query(t),
    async createDatabase(name) {
      await admin.query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    freeBytes: () => dfFree(dir),
    async stop() {
      await admin.end().catch(() => undefined);
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
