/**
 * Redis connection URLs: redis://[user:password@]host[:port][/db] (rediss:// for TLS). Checked
 * once, turned into ioredis options for BullMQ's connections, and shown with the password masked.
 */
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** A URL that is not a Redis URL, or a Redis that does not answer. */
export class RedisUrlError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RedisUrlError';
    this.code = code;
  }
}

const DEFAULT_PORT = 6379;

/** The URL with any password replaced by ***. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** ioredis options of a URL (throws RedisUrlError QUEUE_URL on anything else). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUrlError('QUEUE_URL', `${describeRedisUrl(url)} is not a URL: expected redis://host:port`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new RedisUrlError(
      'QUEUE_URL',
      `${describeRedisUrl(url)}: expected a redis:// or rediss:// URL (the queue runs on Redis)`,
    );
  }
  const port = u.port === '' ? DEFAULT_PORT : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) {
    throw new RedisUrlError(
      'QUEUE_URL',
      `${describeRedisUrl(url)}: the path must be a database number, got '${path}'`,
    );
  }
  return {
    host: u.hostname === '' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, ''),
    port,
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(path === '' ? {} : { db: Number(path) }),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking connections require this; commands wait for a reconnect instead of failing.
    maxRetriesPerRequest: null,
  };
}

/**
 * A connection that answered PING within `timeoutMs`; rejects with RedisUrlError QUEUE_UNREACHABLE
 * naming the URL otherwise (no endless reconnecting at start).
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const options = redisOptions(url);
  const redis = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new RedisUrlError(
      'QUEUE_UNREACHABLE',
      `no Redis answers at ${describeRedisUrl(url)}: ${(e as Error).message}`,
    );
  }
  // Connected: from now on, reconnect after a Redis restart (BullMQ's own connections do).
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  return redis;
}
