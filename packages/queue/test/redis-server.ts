/**
 * A throwaway Redis server for the tests: `redis-server` (Debian's package, or $HOSHIMI_REDIS_SERVER)
 * on a free loopback port with its own temporary folder, no RDB snapshots, and no append-only file
 * unless asked (`appendOnly`: then every write is fsynced before it is acknowledged, as a production
 * Redis with AOF would keep queued work across a restart). `stop` ends it and deletes the folder;
 * `kill` ends it at once (SIGKILL, a crash), `start` starts it again on the same port and folder.
 *
 * `redisUnavailable()` says why no server can be started (null when one can): test files skip with
 * that reason only when the environment variable CI is unset; in CI they run, and fail.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const DEFAULT_BINARY = '/usr/bin/redis-server';
/** Starts tried before giving up (another test's server may take the port between check and start). */
const START_ATTEMPTS = 5;
/** How long a starting server may take to accept connections, ms. */
const START_TIMEOUT_MS = 20_000;

/** The redis-server binary, or null when none is found. */
export function redisBinary(): string | null {
  const given = process.env['HOSHIMI_REDIS_SERVER'];
  if (given !== undefined && given !== '') return existsSync(given) ? given : null;
  if (existsSync(DEFAULT_BINARY)) return DEFAULT_BINARY;
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : '';
  return found !== '' && existsSync(found) ? found : null;
}

/** Why a test server cannot be started here, or null when it can. */
export function redisUnavailable(): string | null {
  if (redisBinary() === null) {
    return `no redis-server at ${DEFAULT_BINARY}, $HOSHIMI_REDIS_SERVER or on PATH; apt-get install redis-server`;
  }
  return null;
}

/** Whether this run is continuous integration (CI set to anything but empty, 0 or false). */
export function isCi(): boolean {
  const v = process.env['CI'];
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

export interface RedisTestServerOptions {
  /** Append-only file with fsync on every write (default off: nothing survives a restart). */
  readonly appendOnly?: boolean;
}

export interface RedisTestServer {
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  /** The server's folder (the AOF lives there). */
  readonly dir: string;
  /** Ends the server at once (SIGKILL); the folder stays for `start`. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and folder (after `kill`). */
  start(): Promise<void>;
  /** `kill` then `start`. */
  restart(): Promise<void>;
  /** Ends the server and deletes its folder. */
  stop(): Promise<void>;
}

function exited(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve();
    else p.once('exit', () => resolve());
  });
}

/** Starts redis-server on `port` in `dir`; resolves once this very server answers PING. */
async function launch(
  bin: string,
  port: number,
  dir: string,
  appendOnly: boolean,
): Promise<{ proc: ChildProcess; output: () => string }> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'no',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`redis-server exited at start (port ${port}): ${out.trim()}`);
    }
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      // The server answering must be this one: another test's server may hold the port.
      const dirReply = (await client.config('GET', 'dir')) as string[];
      if (realpathSync(dirReply[1] ?? '') !== realpathSync(dir)) {
        proc.kill('SIGKILL');
        await exited(proc);
        throw new Error(`port ${port} answered for another Redis (${dirReply[1]})`);
      }
      // Loading an AOF answers LOADING until done.
      await client.ping();
      return { proc, output: () => out };
    } catch (e) {
      if ((e as Error).message.startsWith('port ')) throw e;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        await exited(proc);
        throw new Error(`redis-server on port ${port} did not answer within ${START_TIMEOUT_MS} ms: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

/** Starts a new server (see the module header); throws with redis-server's output on failure. */
export async function startRedis(options: RedisTestServerOptions = {}): Promise<RedisTestServer> {
  const bin = redisBinary();
  if (bin === null) throw new Error(`cannot start Redis: ${redisUnavailable()}`);
  const appendOnly = options.appendOnly ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-redis-'));
  let proc: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; proc === undefined; attempt++) {
    port = await freePort();
    try {
      proc = (await launch(bin, port, dir, appendOnly)).proc;
    } catch (e) {
      if (attempt >= START_ATTEMPTS) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  let current: ChildProcess | undefined = proc;
  const kill = async () => {
    if (current === undefined) return;
    const p = current;
    current = undefined;
    p.kill('SIGKILL');
    await exited(p);
  };
  const start = async () => {
    if (current !== undefined) return;
    current = (await launch(bin, port, dir, appendOnly)).proc;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill,
    start,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
