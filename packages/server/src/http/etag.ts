/**
 * ETags for list and resource routes. A strong ETag names the store state an answer was computed
 * from (the latest ingest id and screening id: element sets and screenings are append-only, so the
 * same state and query always give the same bytes) plus the route and its normalised query; when
 * the request's If-None-Match holds it, the route answers 304 without doing the work.
 * Event lists, whose rows can be updated in place, take a hash of their content instead.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readerKey } from './reader-store.js';

export interface StoreState {
  readonly ingestId: number;
  readonly screeningId: number;
}

/**
 * How long a read of the store state is reused, ms. Reading it costs two queries (about 1.5 ms
 * with a screening's data-quality record to parse), too much per request under load; so an
 * import or screening becomes visible to the API up to this long after it is committed. Answers
 * stay consistent with their ETags (both come from the same state).
 */
export const STATE_TTL_MS = 1000;

const stateReads = new WeakMap<FastifyInstance, { at: number; state: Promise<StoreState> }>();

/** The store's current state: latest ingest and screening ids (0 when none), at most STATE_TTL_MS old. */
export function storeState(app: FastifyInstance): Promise<StoreState> {
  const now = performance.now();
  const last = stateReads.get(app);
  if (last !== undefined && now - last.at < STATE_TTL_MS) return last.state;
  const state = (async () => {
    const [ingest] = await app.store.ingestLog(1);
    const [screening] = await app.store.listScreenings(1);
    return { ingestId: ingest?.ingestId ?? 0, screeningId: screening?.id ?? 0 };
  })();
  stateReads.set(app, { at: now, state });
  state.catch(() => stateReads.delete(app));
  return state;
}

function canonicalQuery(query: unknown): string {
  if (query === null || typeof query !== 'object') return '';
  const entries = Object.entries(query as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

export function strongEtag(parts: readonly unknown[]): string {
  const h = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);
  return `"${h}"`;
}

/** True when If-None-Match holds `etag` (a list of tags or `*`). */
export function matches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === etag);
}

/**
 * Sets the ETag of a state-named answer; returns true (and answers 304) when the client holds it.
 * `state` is what the answer depends on (e.g. the StoreState, or only its ingest id).
 */
export function etagOrNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  route: string,
  state: unknown,
): boolean {
  const etag = strongEtag([
    route,
    state,
    readerKey(request),
    canonicalQuery(request.params),
    canonicalQuery(request.query),
  ]);
  reply.header('etag', etag);
  reply.header('cache-control', 'no-cache');
  if (matches(request, etag)) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/** ETag from the content of an answer (for data updated in place); 304 when the client holds it. */
export function contentEtagOrNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
): boolean {
  const etag = strongEtag(['content', body]);
  reply.header('etag', etag);
  reply.header('cache-control', 'no-cache');
  if (matches(request, etag)) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/**
 * Serialized answers by ETag, bounded in bytes (least recently used out first). A strong ETag
 * names the bytes of an answer, so an answer computed once for a store state and query can be
 * sent again as is until the state changes.
 */
export class AnswerCache {
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #map = new Map<string, { readonly body: string; readonly link: string | undefined }>();
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }
  get(etag: string): { readonly body: string; readonly link: string | undefined } | undefined {
    const hit = this.#map.get(etag);
    if (hit !== undefined) {
      this.#map.delete(etag);
      this.#map.set(etag, hit);
    }
    return hit;
  }
  set(etag: string, body: string, link: string | undefined): void {
    if (body.length > this.#maxBytes / 4) return;
    this.#map.set(etag, { body, link });
    this.#bytes += body.length;
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#map.delete(k);
      this.#bytes -= v.body.length;
    }
  }
}

/**
 * A JSON answer named by a state ETag: 304 when the client holds it, the cached bytes when this
 * server has sent it before, else `compute()` serialized with the route's response schema (and
 * kept). Returns what the handler should return.
 */
export async function answerByState<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: AnswerCache,
  route: string,
  state: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  // What is returned is the serialized text (or the 304 reply): Fastify sends a string as is.
  if (etagOrNotModified(request, reply, route, state)) return reply as unknown as T;
  const etag = reply.getHeader('etag') as string;
  const hit = cache.get(etag);
  reply.type('application/json; charset=utf-8');
  if (hit !== undefined) {
    if (hit.link !== undefined) reply.header('link', hit.link);
    return hit.body as unknown as T;
  }
  const body = String(reply.serialize(await compute()));
  const link = reply.getHeader('link');
  cache.set(etag, body, typeof link === 'string' ? link : undefined);
  return body as unknown as T;
}
