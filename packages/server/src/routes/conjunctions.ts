/**
 * Screenings and their conjunctions: the list of one screening (default the latest) filtered by
 * object, TCA window, maximum miss distance and minimum Pc, sorted by TCA, miss distance or Pc,
 * paged; one conjunction; and its CCSDS CDM (508.0-B-1, KVN or XML).
 *
 * A conjunction's id is `<screening id>-<n>`: its place (from 1) in the screening's list ordered
 * by TCA then insertion. Stored screenings never change, so the id is stable, and each screening's
 * list is read from the store once and cached, with an index by object and each sort order made
 * on first use; answers are kept by ETag.
 *
 * The CDM is rebuilt from the store: each object's element set is the one the screening used (the
 * stored element-set age at TCA names its epoch; failing that the catalog as of the screening's
 * as-of time), propagated with SGP4 to the stored TCA, and handed to astro's
 * screeningConjunctionToCdm, the writer `hoshimi screen --cdm-dir` uses (states in EME2000, miss
 * and relative velocity in the primary's RTN frame). The stored miss distance, Pc and its method
 * are written as stored. Without covariances in the store the CDM carries none (as the CLI's
 * messages for a maximum Pc).
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formatCdmKvn, formatCdmXml } from '@hoshimi/astro';
import type { ConjunctionRecord, StoredScreening } from '@hoshimi/store';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { conjunctionCdm } from '../conjunction-cdm.js';
import { ApiError } from '../errors.js';
import { LruCache } from '../http/cache.js';
import { AnswerCache, answerByState } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { readerKey, storeFor } from '../http/reader-store.js';
import {
  CatalogNumber,
  ERROR_RESPONSES,
  ErrorBody,
  IsoTime,
  Nullable,
  Page,
  pagingQuery,
} from '../http/schemas.js';
import { canonicalCatalogNumber } from '../http/views.js';

const ScreeningJson = Type.Object(
  {
    id: Type.Integer(),
    startedAt: Type.String(),
    finishedAt: Type.String(),
    windowStart: Type.String(),
    windowStop: Type.String(),
    thresholdKm: Type.Number(),
    primaryCount: Nullable(
      Type.Integer({ description: 'primaries screened against the catalog; null for all-vs-all' }),
    ),
    catalogAsOf: Nullable(Type.String()),
    source: Type.String(),
    objectCount: Type.Integer(),
    conjunctionCount: Type.Integer(),
  },
  { title: 'Screening' },
);

const ConjunctionJson = Type.Object(
  {
    id: Type.String({ description: '<screening id>-<n>' }),
    screeningId: Type.Integer(),
    id1: Type.String({ description: 'primary catalog number' }),
    id2: Type.String({ description: 'secondary catalog number' }),
    tcaUtc: Type.String(),
    missKm: Type.Number(),
    relSpeedKmS: Type.Number(),
    missRtnKm: Type.Object(
      { radial: Type.Number(), inTrack: Type.Number(), crossTrack: Type.Number() },
      { description: "miss vector (secondary − primary) in the primary's RTN frame" },
    ),
    pc: Nullable(Type.Number()),
    pcMethod: Type.String(),
    hbrM: Type.Number({ description: 'combined hard-body radius, m' }),
    covarianceSource: Type.String(),
    confidence: Type.String({ description: "'low' when no covariance was known (a maximum Pc)" }),
    age1Days: Type.Number(),
    age2Days: Type.Number(),
  },
  { title: 'Conjunction' },
);
type ConjunctionJson = Static<typeof ConjunctionJson>;

export const CONJUNCTION_SORTS = ['tca', '-tca', 'miss', '-miss', 'pc', '-pc'] as const;

const ConjunctionQuery = Type.Object(
  {
    screeningId: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the latest screening' })),
    catalogNumber: Type.Optional({ ...CatalogNumber, description: 'conjunctions involving this object' }),
    from: Type.Optional({ ...IsoTime, description: 'TCA at or after' }),
    to: Type.Optional({ ...IsoTime, description: 'TCA at or before' }),
    maxMissKm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    minPc: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    sort: Type.Optional(
      Type.Union(
        CONJUNCTION_SORTS.map((s) => Type.Literal(s)),
        { default: 'tca', description: 'tca, miss or pc; a leading - sorts descending (Pc: unknown last)' },
      ),
    ),
    ...pagingQuery(1000, 100),
  },
  { additionalProperties: false },
);

const ConjunctionId = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,12}-[0-9]{1,9}$', description: '<screening id>-<n>' }),
});

interface ScreeningData {
  readonly screening: StoredScreening;
  /** In TCA order (the ids' order). */
  readonly conjunctions: readonly ConjunctionJson[];
  /** The list in each other sort order, made on first use. */
  readonly sorted: Map<string, readonly ConjunctionJson[]>;
  /** Each object's conjunctions in TCA order. */
  readonly byObject: ReadonlyMap<string, readonly ConjunctionJson[]>;
}

function indexByObject(list: readonly ConjunctionJson[]): Map<string, ConjunctionJson[]> {
  const out = new Map<string, ConjunctionJson[]>();
  for (const c of list) {
    for (const id of [c.id1, c.id2]) {
      let l = out.get(id);
      if (l === undefined) out.set(id, (l = []));
      l.push(c);
    }
  }
  return out;
}

function conjunctionJson(screeningId: number, n: number, c: ConjunctionRecord): ConjunctionJson {
  return {
    id: `${screeningId}-${n}`,
    screeningId,
    id1: c.id1,
    id2: c.id2,
    tcaUtc: c.tcaUtc,
    missKm: c.missKm,
    relSpeedKmS: c.relSpeedKmS,
    missRtnKm: { radial: c.rKm, inTrack: c.iKm, crossTrack: c.cKm },
    pc: c.pc,
    pcMethod: c.pcMethod,
    hbrM: c.hbrM,
    covarianceSource: c.covarianceSource,
    confidence: c.confidence,
    age1Days: c.age1Days,
    age2Days: c.age2Days,
  };
}

function screeningJson(s: StoredScreening): Static<typeof ScreeningJson> {
  return {
    id: s.id,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    windowStart: s.windowStart,
    windowStop: s.windowStop,
    thresholdKm: s.thresholdKm,
    primaryCount: s.primaries === null ? null : s.primaries.length,
    catalogAsOf: s.catalogAsOf,
    source: s.source,
    objectCount: s.objectCount,
    conjunctionCount: s.conjunctionCount,
  };
}

function compare(
  sort: (typeof CONJUNCTION_SORTS)[number],
): (a: ConjunctionJson, b: ConjunctionJson) => number {
  const desc = sort.startsWith('-');
  const sign = desc ? -1 : 1;
  switch (sort.replace(/^-/, '')) {
    case 'miss':
      return (a, b) => sign * (a.missKm - b.missKm);
    case 'pc':
      return (a, b) => {
        if (a.pc === null || b.pc === null) return a.pc === b.pc ? 0 : a.pc === null ? 1 : -1;
        return sign * (a.pc - b.pc);
      };
    default:
      return (a, b) => sign * (Date.parse(a.tcaUtc) - Date.parse(b.tcaUtc));
  }
}

/** Days → the UTC label that many days before `t` (for element epochs from ages). */
export async function conjunctionRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const screenings = new LruCache<ScreeningData>(8);
  const answers = new AnswerCache(64 * 1024 * 1024);

  async function screeningData(
    request: FastifyRequest,
    screeningId: number | undefined,
    field = 'querystring.screeningId',
  ): Promise<ScreeningData> {
    let id = screeningId;
    if (id === undefined) {
      // The latest screening this reader may see.
      const [latest] = await storeFor(app, request).listScreenings(1);
      if (latest === undefined) throw new ApiError(404, 'NO_SCREENING', 'the store holds no screening yet');
      id = latest.id;
    }
    const sid = id;
    return screenings.getOrCompute(`${readerKey(request)}|${sid}`, async () => {
      const r = await storeFor(app, request).conjunctions({ screeningId: sid });
      if (r === null) throw new ApiError(404, 'NOT_FOUND', `no screening ${sid}`, field);
      const conjunctions = r.conjunctions.map((c, i) => conjunctionJson(sid, i + 1, c));
      return {
        screening: r.screening,
        conjunctions,
        sorted: new Map(),
        byObject: indexByObject(conjunctions),
      };
    });
  }

  async function oneConjunction(
    request: FastifyRequest,
    id: string,
  ): Promise<{ data: ScreeningData; c: ConjunctionJson }> {
    const [s, n] = id.split('-').map(Number) as [number, number];
    const data = await screeningData(request, s).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404)
        throw new ApiError(404, 'NOT_FOUND', `no conjunction ${id}`, 'params.id');
      throw e;
    });
    const c = data.conjunctions[n - 1];
    if (c === undefined) throw new ApiError(404, 'NOT_FOUND', `no conjunction ${id}`, 'params.id');
    return { data, c };
  }

  app.get(
    '/screenings',
    {
      schema: {
        summary: 'Stored screenings, newest first',
        tags: ['conjunctions'],
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ScreeningJson) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      items: (await storeFor(app, request).listScreenings(request.query.limit ?? 20)).map(screeningJson),
    }),
  );

  app.get(
    '/screenings/:screeningId',
    {
      schema: {
        summary: 'One stored screening, with its primaries and data-quality record',
        tags: ['conjunctions'],
        params: Type.Object({ screeningId: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            screening: ScreeningJson,
            primaries: Type.Union([Type.Array(Type.String()), Type.Null()]),
            dataQuality: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
              description: 'what the screening left out and why, as `hoshimi screen` recorded it',
            }),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const data = await screeningData(request, request.params.screeningId, 'params.screeningId');
      const s = data.screening;
      return {
        screening: screeningJson(s),
        primaries: s.primaries === null ? null : [...s.primaries],
        dataQuality: s.dataQuality == null ? null : { ...s.dataQuality },
      };
    },
  );

  app.get(
    '/conjunctions',
    {
      schema: {
        summary: 'Conjunctions of a screening',
        description:
          'Of one screening (default the latest): filter by object, TCA window, maximum miss distance and minimum Pc; sort by tca, miss or pc (- for descending); paged, with an ETag.',
        tags: ['conjunctions'],
        querystring: ConjunctionQuery,
        response: {
          200: Type.Object(
            {
              screening: ScreeningJson,
              items: Type.Array(ConjunctionJson),
              page: Page(ConjunctionJson, 'x').properties.page,
            },
            { title: 'ConjunctionPage' },
          ),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const data = await screeningData(request, q.screeningId);
      return answerByState(request, reply, answers, 'conjunctions', data.screening.id, async () => {
        const sort = q.sort ?? 'tca';
        let base = data.conjunctions;
        if (q.catalogNumber !== undefined)
          base = data.byObject.get(canonicalCatalogNumber(q.catalogNumber)) ?? [];
        const from = q.from === undefined ? undefined : Date.parse(q.from);
        const to = q.to === undefined ? undefined : Date.parse(q.to);
        const filtered =
          q.maxMissKm !== undefined || q.minPc !== undefined || from !== undefined || to !== undefined;
        let rows = !filtered
          ? base
          : base.filter((c) => {
              if (q.maxMissKm !== undefined && c.missKm > q.maxMissKm) return false;
              if (q.minPc !== undefined && (c.pc === null || c.pc < q.minPc)) return false;
              if (from !== undefined || to !== undefined) {
                const t = Date.parse(c.tcaUtc);
                if (from !== undefined && t < from) return false;
                if (to !== undefined && t > to) return false;
              }
              return true;
            });
        if (sort !== 'tca') {
          if (rows === data.conjunctions) {
            let all = data.sorted.get(sort);
            if (all === undefined) data.sorted.set(sort, (all = [...rows].sort(compare(sort))));
            rows = all;
          } else rows = [...rows].sort(compare(sort));
        }
        return { screening: screeningJson(data.screening), ...pageOf(rows, q, 100, request, reply) };
      });
    },
  );

  app.get(
    '/conjunctions/:id',
    {
      schema: {
        summary: 'One conjunction',
        tags: ['conjunctions'],
        params: ConjunctionId,
        response: {
          200: Type.Object({ screening: ScreeningJson, conjunction: ConjunctionJson }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { data, c } = await oneConjunction(request, request.params.id);
      return answerByState(request, reply, answers, 'conjunction', data.screening.id, async () => ({
        screening: screeningJson(data.screening),
        conjunction: c,
      }));
    },
  );

  app.get(
    '/conjunctions/:id/cdm',
    {
      schema: {
        summary: "A conjunction's CCSDS CDM",
        description:
          'CCSDS 508.0-B-1 Conjunction Data Message (KVN or XML), built as `hoshimi screen --cdm-dir` builds it: states at TCA in EME2000 from the element sets the screening used.',
        tags: ['conjunctions', 'exports'],
        params: ConjunctionId,
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union([Type.Literal('kvn'), Type.Literal('xml')], { default: 'kvn' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'the CDM' }), ...ERROR_RESPONSES, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { data, c } = await oneConjunction(request, request.params.id);
      const ctx = app.astroContext();
      if (ctx === undefined)
        throw new ApiError(
          503,
          'TABLES_MISSING',
          'a CDM needs leap seconds and EOP (TEME → EME2000), which this server has not loaded',
        );
      const { cdm } = await conjunctionCdm(
        storeFor(app, request),
        ctx,
        data.screening,
        {
          ...c,
          rKm: c.missRtnKm.radial,
          iKm: c.missRtnKm.inTrack,
          cKm: c.missRtnKm.crossTrack,
          confidence: c.confidence === 'low' ? 'low' : 'normal',
        },
        new Date(),
      );
      const xml = request.query.format === 'xml';
      reply.header('content-type', xml ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8');
      reply.header('content-disposition', `inline; filename="${c.id}.cdm${xml ? '.xml' : ''}"`);
      return xml ? formatCdmXml(cdm) : formatCdmKvn(cdm);
    },
  );
}
