/**
 * Offset paging for list routes: `limit` plus an opaque `cursor` (base64url of the next offset) or a
 * plain `offset`; the answer carries `page.next` and a `Link: <…>; rel="next"` header (RFC 8288).
 * Offsets are stable because every list is in a fixed order over a store state named by its ETag.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

export interface PageQuery {
  readonly limit?: number;
  readonly cursor?: string;
  readonly offset?: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: { limit: number; offset: number; total: number; next: string | null };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^o:(\d{1,12})$/.exec(text);
  if (m === null)
    throw new ApiError(400, 'BAD_REQUEST', 'cursor: not a cursor this API issued', 'querystring.cursor');
  return Number(m[1]);
}

/** Start offset and limit of a page query. */
export function pageBounds(q: PageQuery, defaultLimit: number): { offset: number; limit: number } {
  if (q.cursor !== undefined && q.offset !== undefined)
    throw new ApiError(400, 'BAD_REQUEST', 'give either cursor or offset, not both', 'querystring.cursor');
  const offset = q.cursor !== undefined ? decodeCursor(q.cursor) : (q.offset ?? 0);
  return { offset, limit: q.limit ?? defaultLimit };
}

/** One page of `all` (already filtered and sorted), with the Link header for the next one. */
export function pageOf<T, U = T>(
  all: readonly T[],
  q: PageQuery,
  defaultLimit: number,
  request: FastifyRequest,
  reply: FastifyReply,
  map?: (item: T) => U,
): Page<U> {
  const { offset, limit } = pageBounds(q, defaultLimit);
  const slice = all.slice(offset, offset + limit);
  const items = (map === undefined ? slice : slice.map(map)) as U[];
  const nextOffset = offset + limit;
  const next = nextOffset < all.length ? encodeCursor(nextOffset) : null;
  if (next !== null) {
    const url = new URL(request.url, 'http://local');
    url.searchParams.delete('offset');
    url.searchParams.set('cursor', next);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return { items, page: { limit, offset, total: all.length, next } };
}
