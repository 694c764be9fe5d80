/**
 * The catalog as of a time: per object the element set with the latest epoch ≤ `asOf` (the store's
 * as-of rule, sources ranked spacetrack > celestrak > others at equal epochs), in catalog-number
 * order, paged. The whole as-of answer is computed once per (store state, time) and cached, so a
 * client paging through 26,000 objects costs one store query; each page's bytes are kept by ETag.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { StoredElementSet } from '@hoshimi/store';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LruCache } from '../http/cache.js';
import { AnswerCache, answerByState, storeState } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { readerKey, storeFor } from '../http/reader-store.js';
import { ElementSetJson, ERROR_RESPONSES, IsoTime, Page, pagingQuery } from '../http/schemas.js';
import { elementSetJson } from '../http/views.js';

export const CatalogAsOfQuery = Type.Object(
  {
    asOf: Type.Optional(IsoTime),
    ...pagingQuery(5000, 500),
  },
  { additionalProperties: false },
);

/** The query time of a request without `asOf`: now, to the minute. */
export function minuteNow(): string {
  return `${new Date().toISOString().slice(0, 16)}:00Z`;
}

/** Shared by the catalog routes and the exports: the catalog as of a time, cached per store state. */
export function catalogAsOfCache(
  app: FastifyInstance,
): (request: FastifyRequest, asOf: string, ingestId: number) => Promise<StoredElementSet[]> {
  const cache = new LruCache<StoredElementSet[]>(4);
  return (request, asOf, ingestId) =>
    cache.getOrCompute(`${readerKey(request)}|${ingestId}|${asOf}`, () => storeFor(app, request).asOf(asOf));
}

export async function elementRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const asOfCatalog = catalogAsOfCache(app);
  const answers = new AnswerCache(64 * 1024 * 1024);
  app.get(
    '/catalog',
    {
      schema: {
        summary: 'The catalog as of a time',
        description:
          'Per object, the element set with the latest epoch at or before `asOf` (default now), in catalog-number order. Paged (up to 5000 per page), with an ETag.',
        tags: ['elements'],
        querystring: CatalogAsOfQuery,
        response: { 200: Page(ElementSetJson, 'CatalogPage'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const asOf = request.query.asOf ?? minuteNow();
      const state = await storeState(app);
      return answerByState(request, reply, answers, 'catalog', { ingest: state.ingestId, asOf }, async () => {
        const sets = await asOfCatalog(request, asOf, state.ingestId);
        return pageOf(sets, request.query, 500, request, reply, elementSetJson);
      });
    },
  );
}
