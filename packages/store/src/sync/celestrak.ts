/**
 * CelesTrak GP client. Follows T.S. Kelso, "A New Way to Obtain GP Data (aka TLEs)", CelesTrak
 * (2020, updated 2024): queries have the form `{base}/NORAD/elements/gp.php?{QUERY}=VALUE&FORMAT=F`
 * with exactly one of CATNR (catalog number), INTDES (international designator, `YYYY-NNN` for a
 * whole launch), GROUP (a named set such as `active`), NAME (substring) or SPECIAL (`gpz`,
 * `decaying`, ...). FORMAT is tle, 3le, 2le, xml, kvn, json, json-pretty or csv.
 *
 * Defaults here: FORMAT=json (OMM in CelesTrak's JSON), because TLE text cannot carry catalog numbers
 * beyond five digits and CelesTrak leaves such objects out of TLE output; CelesTrak's own default is
 * TLE, so FORMAT is always sent explicitly. CelesTrak answers some requests with a plain-text line
 * instead of data ("GP data has not updated since your last successful download of ...", "No GP data
 * found", "Invalid query ..."); those come back as typed results, never as element data. CelesTrak
 * asks clients not to fetch the same data more often than it updates (every 2 hours).
 */
import {
  bodyText,
  type HttpResult,
  PoliteHttp,
  type SyncHttpOptions,
  type SyncHttpStats,
} from './polite-http.js';
import { SyncError } from './sync-error.js';

/** CelesTrak's public address. */
export const CELESTRAK_BASE_URL = 'https://celestrak.org';

export const CELESTRAK_QUERY_KEYS = ['GROUP', 'CATNR', 'INTDES', 'NAME', 'SPECIAL'] as const;
export type CelesTrakQueryKey = (typeof CELESTRAK_QUERY_KEYS)[number];

export const CELESTRAK_FORMATS = ['json', 'csv', 'xml', 'kvn', 'tle', '3le'] as const;
export type CelesTrakFormat = (typeof CELESTRAK_FORMATS)[number];

/** Default FORMAT: OMM JSON, the one that carries 9-digit catalog numbers. */
export const CELESTRAK_DEFAULT_FORMAT: CelesTrakFormat = 'json';

export interface CelesTrakQuery {
  readonly by: CelesTrakQueryKey;
  readonly value: string;
  /** Default CELESTRAK_DEFAULT_FORMAT ('json'). */
  readonly format?: CelesTrakFormat;
}

/** The default sync query: every active object. */
export const CELESTRAK_ACTIVE: CelesTrakQuery = { by: 'GROUP', value: 'active' };

export interface CelesTrakClientOptions extends SyncHttpOptions {
  /** Default CELESTRAK_BASE_URL; tests point it at a loopback server. */
  readonly baseUrl?: string;
}

interface ResultBase {
  readonly query: CelesTrakQuery;
  readonly url: string;
  /** `celestrak:GROUP=active&FORMAT=json`: the name an import of this response carries. */
  readonly name: string;
}

/** What one GP query produced. Only `elements` holds element data. */
export type CelesTrakResult =
  | (ResultBase & { readonly kind: 'elements'; readonly format: CelesTrakFormat; readonly body: Uint8Array })
  /** "GP data has not updated since your last successful download ...": nothing new to fetch. */
  | (ResultBase & { readonly kind: 'not-updated'; readonly message: string })
  /** "No GP data found" (or an empty JSON array): the query matched nothing. */
  | (ResultBase & { readonly kind: 'no-data'; readonly message: string })
  /** Any other text that is not data in the requested format ("Invalid query", a notice page, ...). */
  | (ResultBase & { readonly kind: 'service-message'; readonly message: string });

function validateQuery(q: CelesTrakQuery): void {
  const bad = (expected: string) =>
    new SyncError('SYNC_BAD_QUERY', `CelesTrak ${q.by}=${JSON.stringify(q.value)}: expected ${expected}`, {
      by: q.by,
      value: q.value,
    });
  if (!(CELESTRAK_QUERY_KEYS as readonly string[]).includes(q.by)) throw bad(CELESTRAK_QUERY_KEYS.join('|'));
  if (q.format !== undefined && !(CELESTRAK_FORMATS as readonly string[]).includes(q.format)) {
    throw bad(`FORMAT one of ${CELESTRAK_FORMATS.join('|')}`);
  }
  if (q.value.trim() === '') throw bad('a non-empty value');
  if (q.by === 'CATNR' && !/^\d{1,9}(,\d{1,9})*$/.test(q.value))
    throw bad('catalog numbers of 1 to 9 digits');
  if (q.by === 'INTDES' && !/^\d{4}-\d{3}[A-Z]{0,3}$/.test(q.value)) throw bad('YYYY-NNN or YYYY-NNNA');
}

/** The GP query URL for `query` under `baseUrl`. */
export function celestrakGpUrl(baseUrl: string, query: CelesTrakQuery): string {
  validateQuery(query);
  const url = new URL('/NORAD/elements/gp.php', baseUrl);
  url.searchParams.set(query.by, query.value);
  url.searchParams.set('FORMAT', query.format ?? CELESTRAK_DEFAULT_FORMAT);
  return url.toString();
}

/** Name of an import from this query: `celestrak:GROUP=active&FORMAT=json`. */
export function celestrakImportName(query: CelesTrakQuery): string {
  return `celestrak:${query.by}=${query.value}&FORMAT=${query.format ?? CELESTRAK_DEFAULT_FORMAT}`;
}

const NOT_UPDATED = /^GP data has not updated since/i;
const NO_DATA = /^No GP data found/i;

/** Does `text` look like element data in `format` (after the typed service messages are ruled out)? */
function looksLikeData(text: string, format: CelesTrakFormat): boolean {
  const t = text.trimStart();
  switch (format) {
    case 'json':
      return t.startsWith('[') || t.startsWith('{');
    case 'xml':
      return t.startsWith('<');
    case 'kvn':
      return /^(CCSDS_OMM_VERS|COMMENT)\b/.test(t);
    case 'csv':
      return /^[^\r\n]*\b(NORAD_CAT_ID|EPOCH)\b/.test(t);
    case 'tle':
    case '3le':
      return /^1 [ 0-9A-Z]{5}/m.test(t) && /^2 [ 0-9A-Z]{5}/m.test(t);
  }
}

/** Sorts a CelesTrak response body into element data or one of the typed text results. */
export function classifyCelesTrakBody(query: CelesTrakQuery, url: string, body: Uint8Array): CelesTrakResult {
  const format = query.format ?? CELESTRAK_DEFAULT_FORMAT;
  const base = { query, url, name: celestrakImportName(query) };
  const text = bodyText(body);
  const trimmed = text.trim();
  const message = trimmed.slice(0, 500);
  if (NOT_UPDATED.test(trimmed)) return { ...base, kind: 'not-updated', message };
  if (NO_DATA.test(trimmed) || trimmed === '' || (format === 'json' && /^\[\s*\]$/.test(trimmed))) {
    return { ...base, kind: 'no-data', message: message === '' ? 'empty response' : message };
  }
  if (!looksLikeData(text, format)) return { ...base, kind: 'service-message', message };
  return { ...base, kind: 'elements', format, body };
}

/** Client for CelesTrak's GP queries. */
export class CelesTrakClient {
  readonly baseUrl: string;
  readonly #http: PoliteHttp;

  constructor(options: CelesTrakClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? CELESTRAK_BASE_URL;
    this.#http = new PoliteHttp('celestrak', options);
  }

  /** Requests, retries, bytes and waiting so far. */
  get stats(): Readonly<SyncHttpStats> {
    return this.#http.stats;
  }

  /**
   * Runs one GP query. Retries 429 and 5xx (honouring Retry-After); other non-2xx statuses throw
   * SYNC_HTTP. CelesTrak's plain-text answers come back as typed results.
   */
  async gp(query: CelesTrakQuery): Promise<CelesTrakResult> {
    const url = celestrakGpUrl(this.baseUrl, query);
    const res: HttpResult = await this.#http.send({
      method: 'GET',
      url,
      headers: { accept: 'application/json, text/csv, application/xml, text/plain;q=0.9, */*;q=0.5' },
    });
    if (res.status < 200 || res.status > 299) {
      throw new SyncError(
        'SYNC_HTTP',
        `CelesTrak answered HTTP ${res.status} to ${url}: ${bodyText(res.body).trim().slice(0, 200)}`,
        { url, status: res.status },
      );
    }
    return classifyCelesTrakBody(query, url, res.body);
  }
}
