/**
 * The HTTP layer shared by the CelesTrak and Space-Track clients: a User-Agent that names Hoshimi on
 * every request, an optional rate limiter consulted before every attempt, and bounded retries on
 * 429/5xx and network failures. A `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date) is honoured; without one the wait is exponential backoff with "equal jitter"
 * (half fixed, half random), capped. Uses Node's global `fetch`.
 */
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { SYSTEM_SYNC_CLOCK, type SyncClock } from './sync-clock.js';
import { SyncError } from './sync-error.js';

/** Version written in the default User-Agent (the @hoshimi/store package version). */
export const HOSHIMI_SYNC_VERSION = '0.1.0';

/** Default User-Agent: names Hoshimi so that operators can tell who is calling. */
export const HOSHIMI_USER_AGENT = `Hoshimi/${HOSHIMI_SYNC_VERSION} (catalog sync; Node.js)`;

export type SyncService = 'celestrak' | 'spacetrack';

/** What the clients report as they work. URLs and statuses only: never credentials or bodies. */
export type SyncLogEvent =
  | {
      readonly kind: 'request';
      readonly service: SyncService;
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
    }
  | {
      readonly kind: 'response';
      readonly service: SyncService;
      readonly method: string;
      readonly url: string;
      readonly status: number;
      readonly bytes: number;
      readonly attempt: number;
    }
  | {
      readonly kind: 'retry';
      readonly service: SyncService;
      readonly url: string;
      readonly reason: string;
      readonly waitMs: number;
    }
  | { readonly kind: 'rate-wait'; readonly service: SyncService; readonly waitMs: number }
  | { readonly kind: 'login' | 'relogin' | 'logout'; readonly service: SyncService };

/** Options common to both clients. */
export interface SyncHttpOptions {
  /** User-Agent header (default HOSHIMI_USER_AGENT). */
  readonly userAgent?: string;
  /** Clock for waits (default the wall clock). */
  readonly clock?: SyncClock;
  /** Uniform [0, 1) source for jitter (default Math.random). */
  readonly random?: () => number;
  /** fetch implementation (default the global one). */
  readonly fetch?: typeof fetch;
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** First backoff step, ms (default 2000); doubles per retry. */
  readonly baseDelayMs?: number;
  /** Largest backoff step, ms (default 120000). */
  readonly maxDelayMs?: number;
  /** Longest Retry-After honoured, ms (default 900000 = 15 min); longer → SYNC_RATE_LIMITED. */
  readonly maxRetryAfterMs?: number;
  /** Per-attempt timeout, ms (default 300000). */
  readonly timeoutMs?: number;
  /** Receives progress events. */
  readonly log?: (event: SyncLogEvent) => void;
}

export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body (form-encoded text). Never logged. */
  readonly body?: string;
  /** Whether a response should be retried; default: status 429 or 5xx. */
  readonly retryable?: (status: number, body: Uint8Array) => boolean;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** Response body, decoded from any Content-Encoding. */
  readonly body: Uint8Array;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
}

/** Running totals of one client. */
export interface SyncHttpStats {
  /** HTTP requests sent (every attempt, login and logout included). */
  requests: number;
  /** Retries among them. */
  retries: number;
  /** Response body bytes received. */
  bytes: number;
  /** Time spent waiting on backoff and rate limits, ms. */
  waitedMs: number;
}

/** Parses Retry-After: delay-seconds or an HTTP-date, to ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const DEFAULT_RETRYABLE = (status: number): boolean => status === 429 || status >= 500;

export class PoliteHttp {
  readonly service: SyncService;
  readonly stats: SyncHttpStats = { requests: 0, retries: 0, bytes: 0, waitedMs: 0 };
  readonly #userAgent: string;
  readonly #clock: SyncClock;
  readonly #random: () => number;
  readonly #fetch: typeof fetch;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #timeoutMs: number;
  readonly #log: (event: SyncLogEvent) => void;
  readonly #limiter: SlidingWindowLimiter | undefined;

  constructor(service: SyncService, options: SyncHttpOptions = {}, limiter?: SlidingWindowLimiter) {
    this.service = service;
    this.#userAgent = options.userAgent ?? HOSHIMI_USER_AGENT;
    this.#clock = options.clock ?? SYSTEM_SYNC_CLOCK;
    this.#random = options.random ?? Math.random;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxRetries = options.maxRetries ?? 4;
    this.#baseDelayMs = options.baseDelayMs ?? 2000;
    this.#maxDelayMs = options.maxDelayMs ?? 120_000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 900_000;
    this.#timeoutMs = options.timeoutMs ?? 300_000;
    this.#log = options.log ?? (() => {});
    this.#limiter = limiter;
  }

  get clock(): SyncClock {
    return this.#clock;
  }

  log(event: SyncLogEvent): void {
    this.#log(event);
  }

  /** Backoff before retry number `retry` (0-based), ms: equal jitter on a capped doubling step. */
  backoffMs(retry: number): number {
    const step = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** retry);
    return step / 2 + this.#random() * (step / 2);
  }

  /**
   * Sends a request, waiting on the limiter before every attempt and retrying retryable statuses and
   * network failures. Returns the first non-retryable response (any status: the caller judges it).
   * Throws SYNC_RETRIES_EXHAUSTED or SYNC_RATE_LIMITED.
   */
  async send(spec: HttpRequestSpec): Promise<HttpResult> {
    const retryable = spec.retryable ?? DEFAULT_RETRYABLE;
    const headers: Record<string, string> = { ...spec.headers, 'user-agent': this.#userAgent };
    let lastProblem = '';
    let lastStatus: number | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.#limiter !== undefined) {
        const waited = await this.#limiter.acquire();
        if (waited > 0) {
          this.stats.waitedMs += waited;
          this.#log({ kind: 'rate-wait', service: this.service, waitMs: waited });
        }
      }
      this.stats.requests++;
      if (attempt > 1) this.stats.retries++;
      this.#log({ kind: 'request', service: this.service, method: spec.method, url: spec.url, attempt });
      let retryAfterMs: number | undefined;
      try {
        const res = await this.#fetch(spec.url, {
          method: spec.method,
          headers,
          ...(spec.body === undefined ? {} : { body: spec.body }),
          redirect: 'follow',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        const body = new Uint8Array(await res.arrayBuffer());
        this.stats.bytes += body.byteLength;
        this.#log({
          kind: 'response',
          service: this.service,
          method: spec.method,
          url: spec.url,
          status: res.status,
          bytes: body.byteLength,
          attempt,
        });
        if (!retryable(res.status, body))
          return { status: res.status, headers: res.headers, body, attempts: attempt };
        lastStatus = res.status;
        lastProblem = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.#clock.now());
      } catch (e) {
        lastStatus = undefined;
        lastProblem = `network: ${(e as Error).message}`;
      }
      if (retryAfterMs !== undefined && retryAfterMs > this.#maxRetryAfterMs) {
        throw new SyncError(
          'SYNC_RATE_LIMITED',
          `${this.service} asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After) before ${spec.method} ${spec.url}; the limit is ${Math.round(this.#maxRetryAfterMs / 1000)} s: try again later`,
          { url: spec.url, status: lastStatus, retryAfterMs, attempts: attempt },
        );
      }
      if (attempt > this.#maxRetries) {
        throw new SyncError(
          'SYNC_RETRIES_EXHAUSTED',
          `${spec.method} ${spec.url} failed ${attempt} times (last: ${lastProblem}); expected a 2xx answer`,
          { url: spec.url, status: lastStatus, attempts: attempt, last: lastProblem },
        );
      }
      // Retry-After is a floor; a little jitter on top keeps clients from returning in lockstep.
      const waitMs =
        retryAfterMs === undefined
          ? this.backoffMs(attempt - 1)
          : retryAfterMs + this.#random() * Math.min(this.#baseDelayMs, 1000);
      this.#log({ kind: 'retry', service: this.service, url: spec.url, reason: lastProblem, waitMs });
      this.stats.waitedMs += waitMs;
      await this.#clock.sleep(waitMs);
    }
  }
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of a body (a leading BOM is dropped). */
export function bodyText(body: Uint8Array): string {
  return utf8.decode(body);
}
