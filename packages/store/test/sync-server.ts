/**
 * A loopback imitation of CelesTrak's GP queries and Space-Track's API for the sync tests: a real
 * node:http server on 127.0.0.1, port 0. Its data are real element sets from ../shared/data (a slice
 * of the 2023-10-09 full catalog, and the SPOT-5 and Sentinel-6A TLE histories) written with
 * @hoshimi/astro's OMM and TLE writers in the layouts the services use, plus three SYNTHETIC objects
 * with 9-digit catalog numbers (copies of real orbits, renamed) to stand for the post-5-digit era.
 *
 * It behaves as the services are documented to: CelesTrak answers plain-text lines for "no data" and
 * "not updated", leaves objects that do not fit a TLE out of TLE output, and gzips when asked;
 * Space-Track requires a session cookie from POST /ajaxauth/login, answers 401 without one, and
 * itself counts requests per 60 s / 3600 s of the injected clock, answering 429 (and counting a
 * violation) beyond 30 / 300. Faults (statuses with Retry-After, session expiry, CelesTrak texts)
 * are injected per test. Every request is recorded with its clock time and User-Agent.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  type ElementSet,
  formatOmmCsv,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  formatTleText,
  parseElements,
  TLE_MAX_CATALOG_NUMBER,
} from '@hoshimi/astro';
import { readRefText } from '../../astro/test/reference-data.js';
import type { SyncClock } from '../src/sync/index.js';

// ---------------------------------------------------------------- virtual clock

/** A clock that only moves when someone sleeps on it: rate limits and backoff run instantly. */
export interface VirtualClock extends SyncClock {
  /** Every sleep requested, ms, in order. */
  readonly sleeps: number[];
}

export function createVirtualClock(startIso: string): VirtualClock {
  let t = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += Math.max(0, ms);
      await Promise.resolve();
    },
  };
}

// ---------------------------------------------------------------- data

export interface SyncDataset {
  /** The current catalog both services serve (gp class / GP queries). */
  readonly catalog: readonly ElementSet[];
  /** gp_history: every element set of the history objects. */
  readonly history: readonly ElementSet[];
}

/** Catalog numbers of the synthetic 9-digit objects. */
export const NINE_DIGIT_IDS = ['800000001', '800000002', '270000123'] as const;
/** Objects in the history. */
export const HISTORY_IDS = { spot5: '27421', sentinel6a: '46984' } as const;
/** First objects of the 2023 catalog (by file order) that the slice keeps. */
const CATALOG_SLICE = 200;

function setsOf(text: string, file: string): ElementSet[] {
  const r = parseElements(text, { file });
  if (!r.ok) throw new Error(`cannot read reference file ${file}: ${r.issues[0]?.message}`);
  return r.value.records.map((rec) => rec.elements);
}

let cached: SyncDataset | undefined;

/** The dataset, read once per test file. */
export function syncDataset(): SyncDataset {
  if (cached !== undefined) return cached;
  const file = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
  const all = setsOf(readRefText(file), file);
  const keep = new Map<string, ElementSet>();
  for (const es of all.slice(0, CATALOG_SLICE)) keep.set(es.catalogNumber, es);
  for (const es of all) {
    if (es.intlDesignator?.startsWith('1982-092') || es.catalogNumber === '25544')
      keep.set(es.catalogNumber, es);
  }
  const real = [...keep.values()];
  const synthetic = NINE_DIGIT_IDS.map((id, i): ElementSet => {
    const src = real[i] as ElementSet;
    return { ...src, catalogNumber: id, name: `HOSHIMI TEST ${id}`, intlDesignator: `2026-99${i}A` };
  });
  const spot = 'history/orekit/spot-5.tle';
  const s6 = 'history/dpshorten-benchmark/processed_files/Sentinel-6A.tle';
  const history = [...setsOf(readRefText(spot), spot), ...setsOf(readRefText(s6), s6)];
  cached = { catalog: [...real, ...synthetic], history };
  return cached;
}

/** Unix ms of an element set's epoch. */
export function epochMs(es: ElementSet): number {
  return (es.epoch.jd - 2440587.5 + es.epoch.jdFrac) * 86_400_000;
}

function fitsTle(es: ElementSet): boolean {
  return Number(es.catalogNumber) <= TLE_MAX_CATALOG_NUMBER;
}

/** Space-Track's JSON: compact, every value a string, extra keys around the OMM ones. */
function spaceTrackJson(sets: readonly ElementSet[]): string {
  const objects = JSON.parse(formatOmmJson(sets)) as Record<string, unknown>[];
  return JSON.stringify(
    objects.map((o, i) => {
      const out: Record<string, string | null> = {
        CCSDS_OMM_VERS: '2.0',
        COMMENT: 'GENERATED VIA SPACE-TRACK.ORG API',
        CREATION_DATE: '2023-10-09T18:00:00',
        ORIGINATOR: '18 SPCS',
      };
      for (const [k, v] of Object.entries(o)) out[k] = String(v);
      out['DECAY_DATE'] = null;
      out['GP_ID'] = String(240000000 + i);
      return out;
    }),
  );
}

// ---------------------------------------------------------------- faults and records

export type SyncFault =
  /** Answer this status (with Retry-After and body when given). */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  /** Space-Track: forget every session first (the request then gets 401 like an expired session). */
  | { readonly kind: 'expire-session' }
  /** Space-Track: the rate-limit error document with status 200. */
  | { readonly kind: 'rate-limit-document' }
  /** CelesTrak: "GP data has not updated since your last successful download ...". */
  | { readonly kind: 'not-updated' };

export interface RecordedRequest {
  readonly service: 'celestrak' | 'spacetrack' | 'other';
  readonly method: string;
  /** Path and query as received (still percent-encoded). */
  readonly path: string;
  readonly status: number;
  /** Clock time of arrival, ms. */
  readonly at: number;
  readonly userAgent: string | undefined;
  /** Came with a valid Space-Track session cookie. */
  readonly session: boolean;
  /** Response body bytes (as sent, after any gzip). */
  readonly bytes: number;
}

export interface SyncTestServer {
  /** `http://127.0.0.1:PORT`: base URL for both clients. */
  readonly url: string;
  readonly identity: string;
  readonly password: string;
  readonly dataset: SyncDataset;
  readonly requests: RecordedRequest[];
  /** Space-Track requests that broke 30/min or 300/h (answered 429). */
  readonly violations: RecordedRequest[];
  /** Queues a fault for the next `times` requests of `service` whose path starts with `pathPrefix`. */
  inject(service: 'celestrak' | 'spacetrack', fault: SyncFault, times?: number, pathPrefix?: string): void;
  close(): Promise<void>;
}

interface QueuedFault {
  readonly service: 'celestrak' | 'spacetrack';
  readonly fault: SyncFault;
  readonly prefix: string;
  remaining: number;
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[]>;
}

const text = (status: number, body: string, type = 'text/plain; charset=utf-8'): Reply => ({
  status,
  body,
  headers: { 'content-type': type },
});

// ---------------------------------------------------------------- CelesTrak

const CELESTRAK_KEYS = ['GROUP', 'CATNR', 'INTDES', 'NAME', 'SPECIAL'] as const;

function celestrak(url: URL, data: SyncDataset, clock: SyncClock, fault: SyncFault | undefined): Reply {
  const keys = CELESTRAK_KEYS.filter((k) => url.searchParams.has(k));
  const format = (url.searchParams.get('FORMAT') ?? 'tle').toLowerCase();
  if (fault?.kind === 'not-updated') {
    const q = `${keys[0]}=${url.searchParams.get(keys[0] ?? '')}`;
    const last = new Date(clock.now() - 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    return text(
      200,
      `GP data has not updated since your last successful download of ${q} at ${last} UTC.\nData is updated once every 2 hours.\n`,
    );
  }
  if (keys.length !== 1 || url.pathname !== '/NORAD/elements/gp.php') return text(200, 'Invalid query\n');
  const key = keys[0] as (typeof CELESTRAK_KEYS)[number];
  const value = url.searchParams.get(key) ?? '';
  let sets: ElementSet[];
  const cat = data.catalog;
  if (key === 'GROUP') {
    if (value.toLowerCase() === 'active') sets = [...cat];
    else if (value.toLowerCase() === 'cosmos-1408-debris')
      sets = cat.filter((s) => s.intlDesignator?.startsWith('1982-092') && s.name?.includes('DEB'));
    else sets = [];
  } else if (key === 'CATNR') {
    const ids = new Set(value.split(','));
    sets = cat.filter((s) => ids.has(s.catalogNumber));
  } else if (key === 'INTDES') {
    sets = cat.filter((s) => s.intlDesignator?.startsWith(value));
  } else if (key === 'NAME') {
    sets = cat.filter((s) => s.name?.toUpperCase().includes(value.toUpperCase()));
  } else if (value.toLowerCase() === 'gpz') {
    // GEO protected zone, roughly: about one revolution per sidereal day.
    sets = cat.filter((s) => {
      const n = (s.meanMotionRadPerMin * 1440) / (2 * Math.PI);
      return n > 0.99 && n < 1.01;
    });
  } else {
    return text(200, 'Invalid query\n');
  }
  if (format === 'tle' || format === '3le' || format === '2le') sets = sets.filter(fitsTle);
  if (sets.length === 0) return text(200, 'No GP data found\n');
  switch (format) {
    case 'json':
    case 'json-pretty':
      return text(200, formatOmmJson(sets), 'application/json');
    case 'csv':
      return text(200, formatOmmCsv(sets), 'text/csv');
    case 'xml':
      return text(200, formatOmmXml(sets), 'application/xml');
    case 'kvn':
      return text(200, formatOmmKvn(sets));
    case 'tle':
      return text(200, formatTleText(sets, 'bare'));
    case '3le':
      return text(200, formatTleText(sets, '3le'));
    case '2le':
      return text(200, formatTleText(sets, 'none'));
    default:
      return text(200, 'Invalid query\n');
  }
}

// ---------------------------------------------------------------- Space-Track

const ST_ERROR = (message: string) => JSON.stringify({ error: message });

function parseStTime(v: string): number {
  return Date.parse(`${v.trim().replace(' ', 'T')}${v.includes(':') ? '' : 'T00:00:00'}Z`);
}

/** Applies one EPOCH predicate value: `>now-N`, `<now-N`, `a--b` (inclusive). */
function epochFilter(value: string, nowMs: number): ((ms: number) => boolean) | undefined {
  const rel = /^([<>])now-(\d+(?:\.\d+)?)$/.exec(value);
  if (rel !== null) {
    const limit = nowMs - Number(rel[2]) * 86_400_000;
    return rel[1] === '>' ? (ms) => ms > limit : (ms) => ms < limit;
  }
  const range = /^(.+)--(.+)$/.exec(value);
  if (range !== null) {
    const a = parseStTime(range[1] ?? '');
    const bText = range[2] ?? '';
    // A bare end date means that whole day.
    const b = parseStTime(bText) + (bText.includes(':') ? 999 : 86_400_000 - 1);
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return (ms) => ms >= a && ms <= b;
  }
  return undefined;
}

function spacetrackQuery(path: string, data: SyncDataset, clock: SyncClock): Reply {
  const parts = path
    .slice('/basicspacedata/query/'.length)
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p));
  if (parts.length % 2 !== 0) return text(200, ST_ERROR('odd number of path segments'), 'application/json');
  let sets: ElementSet[] | undefined;
  let format = 'json';
  let limit = Number.POSITIVE_INFINITY;
  for (let i = 0; i < parts.length; i += 2) {
    const key = (parts[i] as string).toLowerCase();
    const value = parts[i + 1] as string;
    if (key === 'class') {
      if (value === 'gp') sets = [...data.catalog];
      else if (value === 'gp_history') sets = [...data.history];
      else return text(200, ST_ERROR(`class ${value} is not served here`), 'application/json');
      continue;
    }
    if (sets === undefined) return text(200, ST_ERROR('class must come first'), 'application/json');
    if (key === 'norad_cat_id') {
      const ids = new Set(value.split(',').map((s) => s.trim()));
      sets = sets.filter((s) => ids.has(s.catalogNumber));
    } else if (key === 'epoch') {
      const f = epochFilter(value, clock.now());
      if (f === undefined) return text(200, ST_ERROR(`cannot read EPOCH ${value}`), 'application/json');
      sets = sets.filter((s) => f(epochMs(s)));
    } else if (key === 'decay_date') {
      // Every object served here is in orbit: null-val keeps them all, anything else none.
      if (value !== 'null-val') sets = [];
    } else if (key === 'orderby') {
      // Already in catalog-number, epoch order.
    } else if (key === 'limit') {
      limit = Number(value);
    } else if (key === 'format') {
      format = value.toLowerCase();
    } else {
      return text(200, ST_ERROR(`unknown predicate ${parts[i]}`), 'application/json');
    }
  }
  if (sets === undefined) return text(200, ST_ERROR('no class'), 'application/json');
  sets = sets
    .slice()
    .sort((a, b) => Number(a.catalogNumber) - Number(b.catalogNumber) || epochMs(a) - epochMs(b))
    .slice(0, limit);
  switch (format) {
    case 'json':
      return text(200, spaceTrackJson(sets), 'application/json');
    case 'csv':
      return text(200, sets.length === 0 ? '' : formatOmmCsv(sets), 'text/csv');
    case 'xml':
      return text(200, formatOmmXml(sets), 'application/xml');
    case 'kvn':
      return text(200, formatOmmKvn(sets));
    case 'tle':
      return text(200, formatTleText(sets.filter(fitsTle), 'none'));
    case '3le':
      return text(200, formatTleText(sets.filter(fitsTle), '3le'));
    default:
      return text(200, ST_ERROR(`unknown format ${format}`), 'application/json');
  }
}

// ---------------------------------------------------------------- server

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sessionOf(req: IncomingMessage): string | undefined {
  const m = /(?:^|;\s*)chocolatechip=([^;]+)/.exec(req.headers.cookie ?? '');
  return m?.[1];
}

export interface SyncTestServerOptions {
  readonly clock: SyncClock;
  readonly identity?: string;
  readonly password?: string;
}

/** Starts the server on 127.0.0.1, a free port. */
export async function startSyncTestServer(options: SyncTestServerOptions): Promise<SyncTestServer> {
  const { clock } = options;
  const identity = options.identity ?? 'analyst@hoshimi.test';
  const password = options.password ?? 'correct horse battery staple';
  const dataset = syncDataset();
  const sessions = new Set<string>();
  const requests: RecordedRequest[] = [];
  const violations: RecordedRequest[] = [];
  const faults: QueuedFault[] = [];
  const stTimes: number[] = [];

  const takeFault = (service: 'celestrak' | 'spacetrack', path: string): SyncFault | undefined => {
    const i = faults.findIndex((f) => f.service === service && path.startsWith(f.prefix));
    const f = faults[i];
    if (f === undefined) return undefined;
    if (--f.remaining <= 0) faults.splice(i, 1);
    return f.fault;
  };

  const handle = async (
    req: IncomingMessage,
  ): Promise<{ reply: Reply; service: RecordedRequest['service'] }> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/NORAD/')) {
      const fault = takeFault('celestrak', path);
      if (fault?.kind === 'status') {
        const r = text(fault.status, fault.body ?? `HTTP ${fault.status}\n`);
        if (fault.retryAfter !== undefined) r.headers['retry-after'] = fault.retryAfter;
        return { reply: r, service: 'celestrak' };
      }
      return { reply: celestrak(url, dataset, clock, fault), service: 'celestrak' };
    }
    if (path.startsWith('/ajaxauth/') || path.startsWith('/basicspacedata/')) {
      const body = req.method === 'POST' ? await readBody(req) : '';
      // Space-Track's own count of arrivals, by the injected clock.
      const now = clock.now();
      stTimes.push(now);
      const inMinute = stTimes.filter((t) => t > now - 60_000).length;
      const inHour = stTimes.filter((t) => t > now - 3_600_000).length;
      if (inMinute > 30 || inHour > 300) {
        const r = text(429, ST_ERROR("You've violated your query rate limit."), 'application/json');
        r.headers['retry-after'] = '60';
        return { reply: r, service: 'spacetrack' };
      }
      const fault = takeFault('spacetrack', path);
      if (fault?.kind === 'status') {
        const r = text(fault.status, fault.body ?? ST_ERROR(`HTTP ${fault.status}`), 'application/json');
        if (fault.retryAfter !== undefined) r.headers['retry-after'] = fault.retryAfter;
        return { reply: r, service: 'spacetrack' };
      }
      if (fault?.kind === 'rate-limit-document') {
        return {
          reply: text(200, ST_ERROR("You've violated your query rate limit."), 'application/json'),
          service: 'spacetrack',
        };
      }
      if (fault?.kind === 'expire-session') sessions.clear();
      if (path === '/ajaxauth/login' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('identity') !== identity || form.get('password') !== password) {
          return {
            reply: text(200, JSON.stringify({ Login: 'Failed' }), 'application/json'),
            service: 'spacetrack',
          };
        }
        const token = randomBytes(16).toString('hex');
        sessions.add(token);
        const r = text(200, '""', 'application/json');
        r.headers['set-cookie'] = [`chocolatechip=${token}; path=/; HttpOnly`];
        return { reply: r, service: 'spacetrack' };
      }
      if (path === '/ajaxauth/logout') {
        const s = sessionOf(req);
        if (s !== undefined) sessions.delete(s);
        const r = text(200, '"Successfully logged out"', 'application/json');
        r.headers['set-cookie'] = ['chocolatechip=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/'];
        return { reply: r, service: 'spacetrack' };
      }
      if (path.startsWith('/basicspacedata/query/')) {
        const s = sessionOf(req);
        if (s === undefined || !sessions.has(s)) {
          return {
            reply: text(401, ST_ERROR('You must be logged in to complete this action'), 'application/json'),
            service: 'spacetrack',
          };
        }
        return { reply: spacetrackQuery(path, dataset, clock), service: 'spacetrack' };
      }
      return { reply: text(404, 'not found\n'), service: 'spacetrack' };
    }
    return { reply: text(404, 'not found\n'), service: 'other' };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = clock.now();
    const hadSession = sessionOf(req);
    const validSession = hadSession !== undefined && sessions.has(hadSession);
    handle(req)
      .then(({ reply, service }) => {
        let payload: Buffer = Buffer.from(reply.body, 'utf8');
        if (
          service === 'celestrak' &&
          payload.length > 1024 &&
          /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
        ) {
          payload = gzipSync(payload);
          reply.headers['content-encoding'] = 'gzip';
        }
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(payload.length) });
        res.end(payload);
        const rec: RecordedRequest = {
          service,
          method: req.method ?? '',
          path: req.url ?? '',
          status: reply.status,
          at,
          userAgent: req.headers['user-agent'],
          session: validSession,
          bytes: payload.length,
        };
        requests.push(rec);
        if (service === 'spacetrack' && reply.status === 429 && reply.body.includes('violated'))
          violations.push(rec);
      })
      .catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test server failure: ${(e as Error).message}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    identity,
    password,
    dataset,
    requests,
    violations,
    inject(service, fault, times = 1, pathPrefix) {
      faults.push({
        service,
        fault,
        prefix: pathPrefix ?? (service === 'celestrak' ? '/NORAD/' : '/basicspacedata/'),
        remaining: times,
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
