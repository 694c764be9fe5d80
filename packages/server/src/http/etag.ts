/**
 * ETags for list and resource routes. A strong ETag names the store state an answer was computed
 * from (the latest ingest id and screening id: element sets and screenings are append-only, so the
 * same state and query always give the same bytes) plus the route and its normalised query; when
 * the request's If-None-Match holds it, the route answers 304 without doing the work.
 * Event lists, whose rows can be updated in place, take a hash of their content instead.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StoreState {
  readonly ingestId: number;
  readonly screeningId: number;
}

/** The store's current state: latest ingest and screening ids (0 when none). */
export async function storeState(app: FastifyInstance): Promise<StoreState> {
  const [ingest] = await app.store.ingestLog(1);
  const [screening] = await app.store.listScreenings(1);
  return { ingestId: ingest?.ingestId ?? 0, screeningId: screening?.id ?? 0 };
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
  const etag = strongEtag([route, state, canonicalQuery(request.params), canonicalQuery(request.query)]);
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
