/**
 * The one way a route reaches the store: through the view of the request's reader (the store's
 * `view(reader)`, which filters every read by the records' markings with one SQL condition). A
 * route never reads `app.store` itself; caches of answers are keyed by the reader too, so one
 * reader's answer is never served to another.
 */
import type { CatalogStore } from '@hoshimi/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requirePrincipal } from '../auth/authenticate.js';

const views = new WeakMap<FastifyRequest, CatalogStore>();

/** The store as the request's principal may see it (401 without one). */
export function storeFor(app: FastifyInstance, request: FastifyRequest): CatalogStore {
  let v = views.get(request);
  if (v === undefined) {
    v = app.store.view(requirePrincipal(request).reader);
    views.set(request, v);
  }
  return v;
}

/** What a cached answer depends on besides the query: the reader's organisation, nation and clearance. */
export function readerKey(request: FastifyRequest): string {
  const p = request.principal;
  return p === null ? 'anonymous' : `${p.reader.organisation}|${p.reader.nation}|${p.reader.clearance}`;
}
