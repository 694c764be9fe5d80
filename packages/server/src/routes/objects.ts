/**
 * Catalog objects: search (catalog number, name substring, international designator; filters by
 * type, owner and decay), one object with its SATCAT data, latest element set, data age and
 * sources, and its element-set history, each as of a time when asked.
 *
 * Searches over the whole catalog and element-set histories are answered from caches keyed by the
 * store state (latest ingest) and the query, so paging through a result costs one store query.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CatalogStore, ObjectStatus, StoredElementSet } from '@hoshimi/store';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { LruCache } from '../http/cache.js';
import { AnswerCache, answerByState, storeState } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { readerKey, storeFor } from '../http/reader-store.js';
import {
  CatalogNumber,
  ElementSetJson,
  ERROR_RESPONSES,
  IsoTime,
  Nullable,
  ObjectSummary,
  ObjectTypeParam,
  Page,
  PlainText,
  pagingQuery,
} from '../http/schemas.js';
import { canonicalCatalogNumber, elementSetJson, objectSummary } from '../http/views.js';

const INTL_DESIGNATOR = /^[0-9]{4}-[0-9]{3}[A-Z]{0,3}$/;

const ObjectsQuery = Type.Object(
  {
    q: Type.Optional(
      PlainText(
        64,
        'free search: a catalog number (exact), an international designator (prefix, e.g. 1998-067), else a name substring',
      ),
    ),
    catalogNumber: Type.Optional(CatalogNumber),
    name: Type.Optional(PlainText(64, 'name substring, case-insensitive')),
    intlDesignator: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}(-[0-9]{0,3}[A-Z]{0,3})?$',
        description: 'COSPAR designator or its prefix, e.g. 1998-067A, 1998-067, 2023',
      }),
    ),
    type: Type.Optional(ObjectTypeParam),
    owner: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9/-]{1,8}$', description: 'SATCAT owner code, e.g. JPN' }),
    ),
    decayed: Type.Optional(
      Type.Boolean({ description: 'only decayed (true) or only not decayed (false) objects' }),
    ),
    asOf: Type.Optional(IsoTime),
    ...pagingQuery(1000, 100),
  },
  { additionalProperties: false },
);

const SourceSummary = Type.Object({
  source: Type.String(),
  label: Type.String(),
  elementSets: Type.Integer(),
  firstEpochUtc: Type.String(),
  lastEpochUtc: Type.String(),
});

const ObjectDetail = Type.Object(
  {
    object: Type.Object(
      {
        catalogNumber: Type.String(),
        name: Nullable(Type.String()),
        intlDesignator: Nullable(Type.String()),
        objectType: Type.String(),
        typeSource: Nullable(Type.String()),
        ownerCode: Nullable(Type.String()),
        ownerName: Nullable(Type.String()),
        launchDate: Nullable(Type.String()),
        decayDate: Nullable(Type.String()),
        launchSiteCode: Nullable(Type.String()),
        launchSiteName: Nullable(Type.String()),
        rcsSize: Nullable(Type.String()),
        rcsM2: Nullable(Type.Number()),
        satcatSource: Nullable(Type.String()),
      },
      { description: 'SATCAT data' },
    ),
    asOf: Type.String({ description: 'the query time' }),
    latest: Type.Union([ElementSetJson, Type.Null()], {
      description: 'latest element set as of the query time',
    }),
    ageDays: Nullable(Type.Number()),
    stale: Type.Boolean(),
    decayed: Type.Boolean(),
    decayReason: Nullable(Type.String()),
    elementSets: Type.Integer({ description: 'element sets stored for the object (all times)' }),
    sources: Type.Array(SourceSummary, {
      description: 'where its element sets came from, with their labels',
    }),
  },
  { title: 'ObjectDetail' },
);

const HistoryQuery = Type.Object(
  {
    from: Type.Optional(IsoTime),
    to: Type.Optional(IsoTime),
    ...pagingQuery(1000, 100),
  },
  { additionalProperties: false },
);

export const ObjectParams = Type.Object({ catalogNumber: CatalogNumber });

function nowIso(): string {
  return new Date().toISOString();
}

/** The query time of a request without `asOf`: now, to the minute (cached answers live a minute). */
function minuteNow(): string {
  return `${new Date().toISOString().slice(0, 16)}:00Z`;
}

/** The object, or 404 in the API's error shape. */
export async function requireObject(
  store: CatalogStore,
  catalogNumber: string,
  asOf?: string,
): Promise<ObjectStatus> {
  const status = await store.getObject(catalogNumber, asOf);
  if (status === null)
    throw new ApiError(
      404,
      'NOT_FOUND',
      `no object with catalog number ${canonicalCatalogNumber(catalogNumber)}`,
      'params.catalogNumber',
    );
  return status;
}

export async function objectRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const searches = new LruCache<ObjectStatus[]>(16);
  const histories = new LruCache<StoredElementSet[]>(64);
  const answers = new AnswerCache(64 * 1024 * 1024);

  app.get(
    '/objects',
    {
      schema: {
        summary: 'Search catalog objects',
        description:
          'By catalog number, name substring or international designator, with filters on type, owner and decay; each object with its latest element set as of `asOf` (default now). Paged, with an ETag.',
        tags: ['objects'],
        querystring: ObjectsQuery,
        response: { 200: Page(ObjectSummary, 'ObjectPage'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const state = await storeState(app);
      const stateKey = { ingest: state.ingestId, now: q.asOf ?? minuteNow() };
      return answerByState(request, reply, answers, 'objects', stateKey, async () => {
        let catalogNumber =
          q.catalogNumber === undefined ? undefined : canonicalCatalogNumber(q.catalogNumber);
        let name = q.name;
        let designator = q.intlDesignator;
        if (q.q !== undefined) {
          const t = q.q.trim();
          if (/^[0-9]{1,9}$/.test(t)) catalogNumber = canonicalCatalogNumber(t);
          else if (INTL_DESIGNATOR.test(t.toUpperCase()) || /^[0-9]{4}-[0-9]{1,3}$/.test(t))
            designator = t.toUpperCase();
          else name = t;
        }
        const asOf = q.asOf ?? minuteNow();
        let rows: ObjectStatus[];
        if (catalogNumber !== undefined) {
          const one = await storeFor(app, request).getObject(catalogNumber, asOf);
          rows = one === null ? [] : [one];
          if (q.type !== undefined && rows[0]?.object.objectType !== q.type) rows = [];
          if (q.owner !== undefined && rows[0]?.object.ownerCode?.toUpperCase() !== q.owner.toUpperCase())
            rows = [];
        } else {
          const key = JSON.stringify([readerKey(request), state.ingestId, asOf, q.type, q.owner, name]);
          rows = await searches.getOrCompute(key, () =>
            storeFor(app, request).listObjects({
              asOf,
              ...(q.type === undefined ? {} : { type: q.type }),
              ...(q.owner === undefined ? {} : { owners: [q.owner] }),
              ...(name === undefined ? {} : { name }),
            }),
          );
        }
        if (designator !== undefined) {
          const prefix = designator;
          rows = rows.filter((r) => r.object.intlDesignator?.startsWith(prefix) === true);
        }
        if (q.decayed !== undefined) rows = rows.filter((r) => r.decayed === q.decayed);
        return pageOf(rows, q, 100, request, reply, objectSummary);
      });
    },
  );

  app.get(
    '/objects/:catalogNumber',
    {
      schema: {
        summary: 'One catalog object',
        description:
          'Its SATCAT data, latest element set as of `asOf` (default now), the data age, and the sources and labels of its element sets.',
        tags: ['objects'],
        params: ObjectParams,
        querystring: Type.Object({ asOf: Type.Optional(IsoTime) }, { additionalProperties: false }),
        response: { 200: ObjectDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? nowIso();
      const status = await requireObject(
        storeFor(app, request),
        request.params.catalogNumber,
        request.query.asOf,
      );
      const cn = canonicalCatalogNumber(request.params.catalogNumber);
      const state = await storeState(app);
      const history = await histories.getOrCompute(`${readerKey(request)}|${state.ingestId}|${cn}`, () =>
        storeFor(app, request).history(cn),
      );
      const sources = new Map<
        string,
        { source: string; label: string; elementSets: number; firstEpochUtc: string; lastEpochUtc: string }
      >();
      for (const s of history) {
        const k = `${s.source}\u0000${s.label}`;
        const e = sources.get(k);
        if (e === undefined)
          sources.set(k, {
            source: s.source,
            label: s.label,
            elementSets: 1,
            firstEpochUtc: s.epochUtc,
            lastEpochUtc: s.epochUtc,
          });
        else {
          e.elementSets++;
          e.lastEpochUtc = s.epochUtc;
        }
      }
      const o = status.object;
      return {
        object: {
          catalogNumber: o.catalogNumber,
          name: o.name,
          intlDesignator: o.intlDesignator,
          objectType: o.objectType,
          typeSource: o.typeSource ?? null,
          ownerCode: o.ownerCode ?? null,
          ownerName: o.ownerName ?? null,
          launchDate: o.launchDate,
          decayDate: o.decayDate,
          launchSiteCode: o.launchSiteCode ?? null,
          launchSiteName: o.launchSiteName ?? null,
          rcsSize: o.rcsSize ?? null,
          rcsM2: o.rcsM2 ?? null,
          satcatSource: o.satcatSource ?? null,
        },
        asOf,
        latest: status.latest === null ? null : elementSetJson(status.latest),
        ageDays: status.ageDays,
        stale: status.stale,
        decayed: status.decayed,
        decayReason: status.decayReason,
        elementSets: history.length,
        sources: [...sources.values()],
      };
    },
  );

  app.get(
    '/objects/:catalogNumber/history',
    {
      schema: {
        summary: "One object's element-set history",
        description:
          'Every stored element set of the object, by epoch then insertion, optionally within [from, to]. Paged, with an ETag.',
        tags: ['objects', 'elements'],
        params: ObjectParams,
        querystring: HistoryQuery,
        response: { 200: Page(ElementSetJson, 'ElementSetPage'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) < Date.parse(q.from))
        throw new ApiError(400, 'BAD_REQUEST', `to (${q.to}) is before from (${q.from})`, 'querystring.to');
      const state = await storeState(app);
      return answerByState(request, reply, answers, 'history', state.ingestId, async () => {
        const cn = canonicalCatalogNumber(request.params.catalogNumber);
        let sets = await histories.getOrCompute(`${readerKey(request)}|${state.ingestId}|${cn}`, () =>
          storeFor(app, request).history(cn),
        );
        if (sets.length === 0) await requireObject(storeFor(app, request), request.params.catalogNumber);
        if (q.from !== undefined || q.to !== undefined) {
          const from = q.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(q.from);
          const to = q.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(q.to);
          sets = sets.filter((s) => {
            const t = Date.parse(s.epochUtc);
            return t >= from && t <= to;
          });
        }
        return pageOf(sets, q, 100, request, reply, elementSetJson);
      });
    },
  );
}
