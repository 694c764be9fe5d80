/**
 * Redis connections of the queue: the URL checked once (redis:// or rediss://, host, port, optional
 * user, password and database number), a reachability check that fails within a few seconds with a
 * message naming the URL (password hidden) instead of retrying for ever, and the two kinds of client
 * the queue needs: one whose commands fail while Redis is down (the coordinator's polls, which
 * decide themselves how long an outage may last) and one for BullMQ's workers, whose blocking
 * commands wait and reconnect.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { QueueError } from './errors.js';

/** How long the first connection may take before Redis counts as unreachable, ms. */
export const CONNECT_TIMEOUT_MS = 5000;
/** Longest wait between reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** The URL with any password replaced by ***, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Checks a Redis URL; throws QueueError QUEUE_BAD_URL saying what was expected. */
export function checkRedisUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueError(
      'QUEUE_BAD_URL',
      `not a Redis URL: ${JSON.stringify(url)} (expected redis://HOST:PORT, e.g. redis://127.0.0.1:6379)`,
      { url },
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new QueueError(
      'QUEUE_BAD_URL',
      `not a Redis URL: ${redactUrl(url)} (expected the scheme redis:// or rediss://, got ${u.protocol}//)`,
      { url: redactUrl(url) },
    );
  }
  if (u.hostname === '') {
    throw new QueueError('QUEUE_BAD_URL', `no host in ${redactUrl(url)} (expected redis://HOST:PORT)`, {
      url: redactUrl(url),
    });
  }
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    throw new QueueError(
      'QUEUE_BAD_URL',
      `bad database in ${redactUrl(url)}: expected a number after the port (redis://HOST:PORT/0), got ${JSON.stringify(db)}`,
      { url: redactUrl(url) },
    );
  }
  return u;
}

function reconnectDelay(times: number): number {
  return Math.min(times * 100, MAX_RECONNECT_DELAY_MS);
}

/**
 * Connects once, without retries; throws QueueError QUEUE_UNREACHABLE naming the URL when Redis
 * does not answer PING within CONNECT_TIMEOUT_MS.
 */
export async function checkRedisReachable(url: string): Promise<void> {
  checkRedisUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
  });
  let last: Error | undefined;
  client.on('error', (e: Error) => {
    last = e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const why = (last ?? (e as Error)).message;
    throw new QueueError('QUEUE_UNREACHABLE', `cannot reach Redis at ${redactUrl(url)}: ${why}`, {
      url: redactUrl(url),
    });
  } finally {
    client.disconnect();
  }
}

/**
 * A client whose commands fail (instead of waiting) after one reconnection attempt while Redis is
 * down; it keeps reconnecting in the background. Errors go to `onError` (never unhandled).
 */
export function failingClient(url: string, onError: (e: Error) => void = () => undefined): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
  const client = new Redis(url, options);
  client.on('error', onError);
  return client;
}

/** A client for BullMQ workers: commands wait for the connection (BullMQ needs maxRetriesPerRequest null). */
export function waitingClient(url: string, onError: (e: Error) => void = () => undefined): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  client.on('error', onError);
  return client;
}
