/**
 * Data routes shaped for the web console (`/console/...`): the whole catalog as columns of mean
 * elements for the browser's SGP4 worker, object search, one object with its element-set history,
 * and the conjunctions of a screening. The general API (`/objects`, `/conjunctions`, ...) serves
 * scripts; these routes exist so the console can load 26k objects in one compact response.
 *
 * Units as in @hoshimi/astro: mean motion rad/min, angles rad, B* 1/earth radii; epochs as UTC
 * Julian dates split in day and fraction (the ElementSet's own representation).
 */
import type { ObjectStatus, StoredElementSet } from '@hoshimi/store';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { storeFor } from '../http/reader-store.js';

const CatalogNumber = Type.String({ pattern: '^[0-9]{1,9}$', description: 'NORAD catalog number' });
const IsoTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?Z?)?$',
  description: 'ISO-8601 UTC time',
});

const CatalogQuery = Type.Object({ asOf: Type.Optional(IsoTime) });
const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'catalog number, name part or international designator',
  }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const ConjunctionsQuery = Type.Object({
  sort: Type.Optional(Type.Union([Type.Literal('pc'), Type.Literal('miss'), Type.Literal('tca')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
});
const IdParams = Type.Object({ id: CatalogNumber });

/** Object types in the catalog response, coded 0..3 in this order. */
const TYPE_CODES = ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN'] as const;

function elementsRow(s: StoredElementSet) {
  const e = s.elements;
  return {
    id: s.id,
    epochUtc: s.epochUtc,
    source: s.source,
    label: s.label,
    format: s.format,
    ingestedAt: s.ingestedAt,
    elements: e,
  };
}

function statusRow(st: ObjectStatus) {
  return {
    object: st.object,
    latest: st.latest === null ? null : elementsRow(st.latest),
    ageDays: st.ageDays,
    stale: st.stale,
    decayed: st.decayed,
    decayReason: st.decayReason,
  };
}

export async function consoleDataRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof CatalogQuery> }>(
    '/console/catalog',
    {
      schema: {
        summary: 'The catalog as element columns (for the console globe)',
        tags: ['console'],
        // The console's own compact data, not part of the public API document.
        hide: true,
        querystring: CatalogQuery,
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? new Date().toISOString();
      const [sets, selection] = await Promise.all([
        storeFor(app, request).asOf(asOf),
        storeFor(app, request).selectObjects({}),
      ]);
      const typeOf = new Map<string, number>();
      selection.catalogNumbers.forEach((c, k) => {
        typeOf.set(c, TYPE_CODES.indexOf(selection.objectTypes[k] ?? 'UNKNOWN'));
      });
      const n = sets.length;
      const cols = {
        catalogNumber: new Array<string>(n),
        name: new Array<string>(n),
        type: new Array<number>(n),
        epochJd: new Array<number>(n),
        epochJdFrac: new Array<number>(n),
        meanMotionRadPerMin: new Array<number>(n),
        eccentricity: new Array<number>(n),
        inclinationRad: new Array<number>(n),
        raanRad: new Array<number>(n),
        argPerigeeRad: new Array<number>(n),
        meanAnomalyRad: new Array<number>(n),
        bstar: new Array<number>(n),
      };
      let latest = '';
      sets.forEach((s, k) => {
        const e = s.elements;
        cols.catalogNumber[k] = s.catalogNumber;
        cols.name[k] = e.name ?? '';
        cols.type[k] = typeOf.get(s.catalogNumber) ?? 3;
        cols.epochJd[k] = e.epoch.jd;
        cols.epochJdFrac[k] = e.epoch.jdFrac;
        cols.meanMotionRadPerMin[k] = e.meanMotionRadPerMin;
        cols.eccentricity[k] = e.eccentricity;
        cols.inclinationRad[k] = e.inclinationRad;
        cols.raanRad[k] = e.raanRad;
        cols.argPerigeeRad[k] = e.argPerigeeRad;
        cols.meanAnomalyRad[k] = e.meanAnomalyRad;
        cols.bstar[k] = e.bstar;
        if (s.epochUtc > latest) latest = s.epochUtc;
      });
      return { asOf, count: n, latestEpochUtc: latest === '' ? null : latest, types: TYPE_CODES, ...cols };
    },
  );

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/console/search',
    {
      schema: {
        summary: 'Find objects by catalog number, name or international designator',
        tags: ['console'],
        // The console's own compact data, not part of the public API document.
        hide: true,
        querystring: SearchQuery,
      },
    },
    async (request) => {
      const q = request.query.q.trim();
      const limit = request.query.limit ?? 50;
      const found: ObjectStatus[] = [];
      if (/^[0-9]{1,9}$/.test(q)) {
        const one = await storeFor(app, request).getObject(String(Number(q)));
        if (one !== null) found.push(one);
      }
      if (/^[0-9]{4}-[0-9]{3}[A-Z]*$/i.test(q)) {
        const all = await storeFor(app, request).listObjects({});
        const upper = q.toUpperCase();
        for (const st of all) {
          if (found.length >= limit) break;
          if (st.object.intlDesignator?.startsWith(upper)) found.push(st);
        }
      } else if (!/^[0-9]+$/.test(q)) {
        for (const st of await storeFor(app, request).listObjects({ name: q, limit })) found.push(st);
      }
      return { query: q, results: found.slice(0, limit).map(statusRow) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/console/objects/:id',
    {
      schema: {
        summary: 'One object, its latest element set and its history',
        tags: ['console'],
        // The console's own compact data, not part of the public API document.
        hide: true,
        params: IdParams,
      },
    },
    async (request) => {
      const id = String(Number(request.params.id));
      const st = await storeFor(app, request).getObject(id);
      if (st === null) throw new ApiError(404, 'NOT_FOUND', `no object ${id} in the catalog`, 'id');
      const history = await storeFor(app, request).history(id);
      return { ...statusRow(st), history: history.map(elementsRow) };
    },
  );

  app.get<{ Querystring: Static<typeof ConjunctionsQuery> }>(
    '/console/conjunctions',
    {
      schema: {
        summary: 'Conjunctions of the latest screening, sorted by Pc, miss distance or TCA',
        tags: ['console'],
        // The console's own compact data, not part of the public API document.
        hide: true,
        querystring: ConjunctionsQuery,
      },
    },
    async (request) => {
      const res = await storeFor(app, request).conjunctions({});
      if (res === null) return { screening: null, conjunctions: [] };
      const rows = res.conjunctions.map((c, index) => ({ index, ...c }));
      const sort = request.query.sort ?? 'pc';
      if (sort === 'pc') rows.sort((a, b) => (b.pc ?? -1) - (a.pc ?? -1) || a.missKm - b.missKm);
      else if (sort === 'miss') rows.sort((a, b) => a.missKm - b.missKm);
      return { screening: res.screening, conjunctions: rows.slice(0, request.query.limit ?? 500) };
    },
  );
}
