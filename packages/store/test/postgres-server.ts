/**
 * A throwaway PostgreSQL server for the tests: a new cluster (initdb) in a temporary folder,
 * started with pg_ctl on a free loopback port with no Unix socket, trust authentication for its
 * one superuser, and fsync off (the data dies with the test run). `stop` shuts it down at once and
 * deletes the folder.
 *
 * Binaries: `$HOSHIMI_PG_BIN` when set, else the newest `/usr/lib/postgresql/N/bin` (where Debian's
 * `postgresql` package puts them), else `pg_config --bindir`. initdb refuses to run as root: as root
 * the cluster belongs to the `postgres` user (created by Debian's package) and every binary runs
 * through `runuser -u postgres`.
 *
 * `postgresUnavailable()` says why no server can be started (null when one can): the test files skip
 * with that reason only when the environment variable CI is unset; in CI they run, and fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'hoshimi';

/** The folder of initdb, pg_ctl and postgres, or null when none is found. */
export function postgresBinDir(): string | null {
  const given = process.env.HOSHIMI_PG_BIN;
  if (given !== undefined && given !== '') return existsSync(join(given, 'initdb')) ? given : null;
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(DEBIAN_ROOT, versions[0], 'bin');
  }
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  return dir !== '' && existsSync(join(dir, 'initdb')) ? dir : null;
}

/** The uid and gid of a user from /etc/passwd, or null. */
function systemUser(name: string): { uid: number; gid: number } | null {
  if (!existsSync('/etc/passwd')) return null;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && f[3] !== undefined)
      return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Why a test server cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (postgresBinDir() === null) {
    return `no PostgreSQL binaries (initdb, pg_ctl) under ${DEBIAN_ROOT}/N/bin, $HOSHIMI_PG_BIN or pg_config --bindir; apt-get install postgresql`;
  }
  if (isRoot() && systemUser('postgres') === null) {
    return 'running as root and there is no postgres user to own the test cluster (initdb refuses root)';
  }
  return null;
}

/** Whether this run is continuous integration (CI set to anything but empty, 0 or false). */
export function isCi(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PostgresTestServer {
  readonly port: number;
  /** Connection URL of a database of this server. */
  url(database: string): string;
  /** Creates a new empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Runs one statement as the superuser on the `postgres` database. */
  admin(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /**
   * Restarts the server (pg_ctl restart, fast shutdown: every session is ended) on the same port
   * and data; the admin connection is opened again.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a new cluster (see the module header); throws with initdb's or pg_ctl's output on failure. */
/** Starts tried before giving up (another cluster may take the port between check and start). */
const START_ATTEMPTS = 5;

export async function startPostgres(): Promise<PostgresTestServer> {
  const bin = postgresBinDir();
  const why = postgresUnavailable();
  if (bin === null || why !== null) throw new Error(`cannot start PostgreSQL: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-pg-'));
  const data = join(dir, 'data');
  const owner = isRoot() ? systemUser('postgres') : null;
  if (owner !== null) {
    chmodSync(dir, 0o700);
    chownSync(dir, owner.uid, owner.gid);
  }
  const run = (tool: string, args: readonly string[]) => {
    const exe = join(bin, tool);
    const [file, argv] = owner === null ? [exe, args] : ['runuser', ['-u', 'postgres', '--', exe, ...args]];
    try {
      return execFileSync(file, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${tool} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  };
  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  // A free port can be taken by another test file's cluster between the check and the start, and
  // pg_ctl -w would then see that cluster answer: start, then make sure the server is this one.
  let port = 0;
  let adminClient: pg.Client | undefined;
  for (let attempt = 1; adminClient === undefined; attempt++) {
    port = await freePort();
    const options = [
      '-c listen_addresses=127.0.0.1',
      `-c port=${port}`,
      "-c unix_socket_directories=''",
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    let client: pg.Client | undefined;
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      client = new pg.Client({ connectionString: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres` });
      await client.connect();
      const r = await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d");
      if (realpathSync(r.rows[0]?.d ?? '') === realpathSync(data)) {
        adminClient = client;
        break;
      }
      throw new Error(`port ${port} answered for another cluster (${r.rows[0]?.d})`);
    } catch (e) {
      await client?.end().catch(() => undefined);
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Not started: nothing to stop.
      }
      if (attempt >= START_ATTEMPTS) throw e;
    }
  }
  let admin: pg.Client = adminClient;
  // A session the server ends (restart) must not crash the test process.
  admin.on('error', () => undefined);
  const url = (database: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  let seq = 0;
  let stopped = false;
  return {
    port,
    url,
    admin: (text, values) => admin.query(text, values),
    async createDatabase() {
      const name = `hoshimi_${process.pid}_${++seq}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    async restart() {
      await admin.end().catch(() => undefined);
      run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-m', 'fast', '-w', '-t', '60', 'restart']);
      admin = new pg.Client({ connectionString: url('postgres') });
      admin.on('error', () => undefined);
      await admin.connect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await admin.end().catch(() => undefined);
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
