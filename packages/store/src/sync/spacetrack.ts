/**
 * Space-Track client. Follows Space-Track's API documentation (space-track.org/documentation):
 * log in with a POST of the form fields `identity` and `password` to /ajaxauth/login, which sets a
 * session cookie; query `/basicspacedata/query/class/{class}/{PREDICATE}/{value}/.../format/{fmt}`;
 * log out with /ajaxauth/logout. The `gp` class holds the newest element set per object (the current
 * catalog), `gp_history` every element set ever published. Operators (">", "<", "--" for ranges,
 * "null-val", "now-30" for relative days) go in the values.
 *
 * Politeness, from Space-Track's API Use Guidelines: at most 30 requests per minute and 300 per hour
 * (every request counts, login included), enforced by a sliding-window limiter that delays rather
 * than fails; 429 and 5xx are retried with backoff, honouring Retry-After; a 401 (expired session)
 * triggers one fresh login. gp_history is fetched in bounded batches of catalog numbers × epoch
 * windows, as Space-Track asks. Default format: json (OMM), which carries 9-digit catalog numbers.
 *
 * Credentials come from options or SPACETRACK_IDENTITY / SPACETRACK_PASSWORD; they are sent only in
 * the login body and never appear in logs, errors or stats.
 */
import { bodyText, PoliteHttp, type SyncHttpOptions, type SyncHttpStats } from './polite-http.js';
import { type RateWindow, SlidingWindowLimiter, SPACETRACK_RATE_LIMITS } from './rate-limiter.js';
import { SyncError } from './sync-error.js';

/** Space-Track's public address. */
export const SPACETRACK_BASE_URL = 'https://www.space-track.org';

export const SPACETRACK_FORMATS = ['json', 'csv', 'xml', 'kvn', 'tle', '3le'] as const;
export type SpaceTrackFormat = (typeof SPACETRACK_FORMATS)[number];

/** Extra width added to each rate window, ms: covers network latency between our clock and theirs. */
export const SPACETRACK_WINDOW_MARGIN_MS = 1000;

export interface SpaceTrackClientOptions extends SyncHttpOptions {
  /** Default SPACETRACK_BASE_URL; tests point it at a loopback server. */
  readonly baseUrl?: string;
  /** Space-Track user name (an e-mail address). Default env SPACETRACK_IDENTITY. */
  readonly identity?: string;
  /** Default env SPACETRACK_PASSWORD. */
  readonly password?: string;
  /** Environment to read credentials from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Rate windows (default SPACETRACK_RATE_LIMITS); ignored when `limiter` is given. */
  readonly limits?: readonly RateWindow[];
  /** A limiter shared with other clients of the same account. */
  readonly limiter?: SlidingWindowLimiter;
  /** Window margin, ms (default SPACETRACK_WINDOW_MARGIN_MS). */
  readonly windowMarginMs?: number;
}

/** Current-catalog query on the `gp` class. */
export interface SpaceTrackGpQuery {
  /** Only these catalog numbers (batched by `idsPerRequest`); default: every object. */
  readonly noradIds?: readonly string[];
  /** Only element sets with epoch within this many days of now (default 30; `null` for no limit). */
  readonly epochWithinDays?: number | null;
  /** Include decayed objects (default false: `decay_date/null-val`). */
  readonly includeDecayed?: boolean;
  /** Default 'json'. */
  readonly format?: SpaceTrackFormat;
  /** Catalog numbers per request (default 500). */
  readonly idsPerRequest?: number;
}

/** History query on the `gp_history` class. */
export interface SpaceTrackHistoryQuery {
  readonly noradIds: readonly string[];
  /** First day, `YYYY-MM-DD` (UTC). */
  readonly from: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  readonly to: string;
  /** Default 'json'. */
  readonly format?: SpaceTrackFormat;
  /** Catalog numbers per request (default 20). */
  readonly idsPerRequest?: number;
  /** Days per request (default 366). */
  readonly daysPerRequest?: number;
}

/** One Space-Track answer with data (possibly an empty list). */
export interface SpaceTrackResponse {
  /** The query path after /basicspacedata/query/. */
  readonly path: string;
  readonly url: string;
  readonly format: SpaceTrackFormat;
  readonly body: Uint8Array;
  /** No records (`[]`, an empty document or a header-only CSV). */
  readonly empty: boolean;
  /** `spacetrack:class/gp/...`: the name an import of this response carries. */
  readonly name: string;
}

const DIGITS = /^\d{1,9}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function checkIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const s = id.trim().replace(/^0+(?=\d)/, '');
    if (!DIGITS.test(s)) {
      throw new SyncError('SYNC_BAD_QUERY', `catalog number ${JSON.stringify(id)}: expected 1 to 9 digits`, {
        id,
      });
    }
    out.push(s);
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!(Number.isInteger(size) && size > 0)) {
    throw new SyncError('SYNC_BAD_QUERY', `batch size must be a positive integer, got ${size}`, { size });
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function formatOf(f: SpaceTrackFormat | undefined): SpaceTrackFormat {
  const format = f ?? 'json';
  if (!(SPACETRACK_FORMATS as readonly string[]).includes(format)) {
    throw new SyncError(
      'SYNC_BAD_QUERY',
      `format ${format}: expected one of ${SPACETRACK_FORMATS.join('|')}`,
      {
        format,
      },
    );
  }
  return format;
}

/** Query paths (after /basicspacedata/query/) for a `gp` query, one per batch of ids. */
export function spaceTrackGpPaths(query: SpaceTrackGpQuery = {}): string[] {
  const format = formatOf(query.format);
  const tail: string[] = [];
  if (query.includeDecayed !== true) tail.push('decay_date/null-val');
  const days = query.epochWithinDays === undefined ? 30 : query.epochWithinDays;
  if (days !== null) {
    if (!(Number.isInteger(days) && days > 0)) {
      throw new SyncError('SYNC_BAD_QUERY', `epochWithinDays must be a positive integer, got ${days}`, {
        days,
      });
    }
    tail.push(`epoch/${encodeURIComponent(`>now-${days}`)}`);
  }
  tail.push('orderby/norad_cat_id', `format/${format}`);
  if (query.noradIds === undefined) return [['class/gp', ...tail].join('/')];
  const ids = checkIds(query.noradIds);
  if (ids.length === 0) throw new SyncError('SYNC_BAD_QUERY', 'noradIds is empty: expected at least one', {});
  return chunks(ids, query.idsPerRequest ?? 500).map((batch) =>
    ['class/gp', `NORAD_CAT_ID/${batch.join(',')}`, ...tail].join('/'),
  );
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Query paths for a `gp_history` query: every batch of ids × every epoch window, windows of
 * `daysPerRequest` days covering [from, to] with inclusive `--` ranges that do not overlap.
 */
export function spaceTrackHistoryPaths(query: SpaceTrackHistoryQuery): string[] {
  const format = formatOf(query.format);
  const ids = checkIds(query.noradIds);
  if (ids.length === 0) throw new SyncError('SYNC_BAD_QUERY', 'noradIds is empty: expected at least one', {});
  if (!DAY.test(query.from) || !DAY.test(query.to)) {
    throw new SyncError(
      'SYNC_BAD_QUERY',
      `history range ${query.from}..${query.to}: expected two YYYY-MM-DD dates`,
      { from: query.from, to: query.to },
    );
  }
  const start = Date.parse(`${query.from}T00:00:00Z`);
  const end = Date.parse(`${query.to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw new SyncError('SYNC_BAD_QUERY', `history range ${query.from}..${query.to}: expected from ≤ to`, {
      from: query.from,
      to: query.to,
    });
  }
  const days = query.daysPerRequest ?? 366;
  if (!(Number.isInteger(days) && days > 0)) {
    throw new SyncError('SYNC_BAD_QUERY', `daysPerRequest must be a positive integer, got ${days}`, { days });
  }
  // Whole-day windows: [d0, d0 + days - 1 day] written as `d0--dLast 23:59:59`, so windows never overlap.
  const windows: string[] = [];
  for (let d = start; d <= end; d += days * DAY_MS) {
    const last = Math.min(end, d + (days - 1) * DAY_MS);
    windows.push(encodeURIComponent(`${dayText(d)}--${dayText(last)} 23:59:59`));
  }
  const paths: string[] = [];
  for (const batch of chunks(ids, query.idsPerRequest ?? 20)) {
    for (const w of windows) {
      paths.push(
        [
          'class/gp_history',
          `NORAD_CAT_ID/${batch.join(',')}`,
          `EPOCH/${w}`,
          'orderby/NORAD_CAT_ID,EPOCH',
          `format/${format}`,
        ].join('/'),
      );
    }
  }
  return paths;
}

function isEmptyBody(text: string, format: SpaceTrackFormat): boolean {
  const t = text.trim();
  if (t === '') return true;
  if (format === 'json') return /^\[\s*\]$/.test(t);
  if (format === 'csv') return !/\r?\n\s*\S/.test(t);
  if (format === 'xml') return !/<omm[\s>]/.test(t);
  return false;
}

/** A Space-Track error document `{"error": "..."}`, if `text` is one. */
function serviceError(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(t) as unknown;
    if (o !== null && typeof o === 'object' && !Array.isArray(o) && 'error' in o) {
      return String((o as { error: unknown }).error);
    }
  } catch {
    // not JSON: not an error document
  }
  return undefined;
}

/** Space-Track's rate-limit answer, sometimes sent with status 200 or 500 instead of 429. */
const RATE_LIMIT_TEXT = /violated your query rate limit|rate limit/i;

export class SpaceTrackClient {
  readonly baseUrl: string;
  readonly limiter: SlidingWindowLimiter;
  readonly #http: PoliteHttp;
  readonly #identity: string;
  readonly #password: string;
  readonly #cookies = new Map<string, string>();
  #loggedIn = false;

  /** Throws SYNC_NO_CREDENTIALS when no identity or password is given or in the environment. */
  constructor(options: SpaceTrackClientOptions = {}) {
    const env = options.env ?? process.env;
    const identity = options.identity ?? env['SPACETRACK_IDENTITY'] ?? '';
    const password = options.password ?? env['SPACETRACK_PASSWORD'] ?? '';
    if (identity.trim() === '' || password === '') {
      const missing = [
        identity.trim() === '' ? 'identity' : null,
        password === '' ? 'password' : null,
      ].filter((m) => m !== null);
      throw new SyncError(
        'SYNC_NO_CREDENTIALS',
        `Space-Track needs an account: missing ${missing.join(' and ')} (set SPACETRACK_IDENTITY and SPACETRACK_PASSWORD, or pass them as options)`,
        { missing },
      );
    }
    this.#identity = identity;
    this.#password = password;
    this.baseUrl = options.baseUrl ?? SPACETRACK_BASE_URL;
    this.limiter =
      options.limiter ??
      new SlidingWindowLimiter(options.limits ?? SPACETRACK_RATE_LIMITS, {
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        marginMs: options.windowMarginMs ?? SPACETRACK_WINDOW_MARGIN_MS,
      });
    this.#http = new PoliteHttp('spacetrack', options, this.limiter);
  }

  /** Requests, retries, bytes and waiting so far. */
  get stats(): Readonly<SyncHttpStats> {
    return this.#http.stats;
  }

  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  /** Keeps credentials out of util.inspect / console.log of the client. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, loggedIn: this.#loggedIn };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SpaceTrackClient { baseUrl: ${JSON.stringify(this.baseUrl)}, loggedIn: ${this.#loggedIn} }`;
  }

  #cookieHeader(): Record<string, string> {
    if (this.#cookies.size === 0) return {};
    return { cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  #keepCookies(headers: Headers): void {
    for (const c of headers.getSetCookie()) {
      const pair = c.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** Logs in (POST /ajaxauth/login). Throws SYNC_LOGIN_FAILED when refused. */
  async login(): Promise<void> {
    this.#cookies.clear();
    this.#loggedIn = false;
    const url = new URL('/ajaxauth/login', this.baseUrl).toString();
    const form = new URLSearchParams({ identity: this.#identity, password: this.#password });
    this.#http.log({ kind: 'login', service: 'spacetrack' });
    const res = await this.#http.send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const text = bodyText(res.body);
    this.#keepCookies(res.headers);
    const refused = /"Login"\s*:\s*"Failed"/i.test(text);
    if (res.status < 200 || res.status > 299 || refused || this.#cookies.size === 0) {
      this.#cookies.clear();
      throw new SyncError(
        'SYNC_LOGIN_FAILED',
        refused
          ? 'Space-Track refused the login: check SPACETRACK_IDENTITY and SPACETRACK_PASSWORD'
          : `Space-Track login answered HTTP ${res.status} without a session cookie; expected 200 and a cookie`,
        { url, status: res.status },
      );
    }
    this.#loggedIn = true;
  }

  /** Logs out (GET /ajaxauth/logout) when logged in; forgets the session either way. */
  async logout(): Promise<void> {
    if (!this.#loggedIn) return;
    const url = new URL('/ajaxauth/logout', this.baseUrl).toString();
    this.#http.log({ kind: 'logout', service: 'spacetrack' });
    try {
      await this.#http.send({ method: 'GET', url, headers: this.#cookieHeader() });
    } finally {
      this.#cookies.clear();
      this.#loggedIn = false;
    }
  }

  /**
   * Runs one query, `path` being what follows /basicspacedata/query/ (e.g. the output of
   * spaceTrackGpPaths). Logs in first when needed; on 401 logs in once more and repeats the query.
   * Throws SYNC_SESSION_EXPIRED, SYNC_SERVICE_ERROR, SYNC_HTTP or the retry errors.
   */
  async query(path: string): Promise<SpaceTrackResponse> {
    const formatMatch = /\/format\/([a-z0-9]+)/i.exec(path);
    const format = formatOf((formatMatch?.[1]?.toLowerCase() ?? 'json') as SpaceTrackFormat);
    const url = new URL(`/basicspacedata/query/${path}`, this.baseUrl).toString();
    if (!this.#loggedIn) await this.login();
    const retryable = (status: number, body: Uint8Array): boolean =>
      status === 429 ||
      status >= 500 ||
      (status === 200 && body.byteLength < 400 && RATE_LIMIT_TEXT.test(serviceError(bodyText(body)) ?? ''));
    let res = await this.#http.send({ method: 'GET', url, headers: this.#cookieHeader(), retryable });
    if (res.status === 401) {
      this.#http.log({ kind: 'relogin', service: 'spacetrack' });
      await this.login();
      res = await this.#http.send({ method: 'GET', url, headers: this.#cookieHeader(), retryable });
      if (res.status === 401) {
        this.#loggedIn = false;
        throw new SyncError(
          'SYNC_SESSION_EXPIRED',
          `Space-Track answered 401 to ${url} right after a fresh login`,
          { url, status: 401 },
        );
      }
    }
    const text = bodyText(res.body);
    if (res.status < 200 || res.status > 299) {
      throw new SyncError(
        'SYNC_HTTP',
        `Space-Track answered HTTP ${res.status} to ${url}: ${text.trim().slice(0, 200)}`,
        {
          url,
          status: res.status,
        },
      );
    }
    const error = serviceError(text);
    if (error !== undefined) {
      throw new SyncError('SYNC_SERVICE_ERROR', `Space-Track refused ${url}: ${error.slice(0, 300)}`, {
        url,
        error,
      });
    }
    return {
      path,
      url,
      format,
      body: res.body,
      empty: isEmptyBody(text, format),
      name: `spacetrack:${decodeURIComponent(path)}`,
    };
  }

  /** The current catalog (`gp` class), one response per batch of ids. */
  async *gp(query: SpaceTrackGpQuery = {}): AsyncGenerator<SpaceTrackResponse> {
    for (const path of spaceTrackGpPaths(query)) yield await this.query(path);
  }

  /** Element-set history (`gp_history` class), one response per batch of ids × epoch window. */
  async *gpHistory(query: SpaceTrackHistoryQuery): AsyncGenerator<SpaceTrackResponse> {
    for (const path of spaceTrackHistoryPaths(query)) yield await this.query(path);
  }
}
