/**
 * Detection events (maneuvers, proximity, fragmentations, reentries, …; astro's DetectionEvent as
 * the store keeps it): the list filtered by type, object, time window and detector, paged, and one
 * event. Events can be updated in place by a re-run of their detector, so the list's ETag is a
 * hash of its content rather than of the store state.
 *
 * RDM export of reentry events is not offered: a stored reentry event carries its window and score
 * but not the prediction's ground track and state that an RDM needs (rdmFromReentryPrediction).
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DETECTION_EVENT_TYPES } from '@hoshimi/astro';
import type { StoredEvent } from '@hoshimi/store';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { contentEtagOrNotModified } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { CatalogNumber, ERROR_RESPONSES, IsoTime, Page, pagingQuery } from '../http/schemas.js';
import { canonicalCatalogNumber } from '../http/views.js';

const EventJson = Type.Object(
  {
    id: Type.Integer({ description: 'row id in this store' }),
    key: Type.String({ description: 'portable identity: detector, version, type, kind, objects, window' }),
    type: Type.String(),
    kind: Type.String(),
    objects: Type.Array(Type.String()),
    timeUtc: Type.String(),
    windowStartUtc: Type.String(),
    windowEndUtc: Type.String(),
    score: Type.Number(),
    threshold: Type.Number(),
    detector: Type.String(),
    detectorVersion: Type.String(),
    evidence: Type.Record(Type.String(), Type.Unknown()),
    inputs: Type.Record(Type.String(), Type.Unknown()),
    label: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'Event' },
);

const EventsQuery = Type.Object(
  {
    type: Type.Optional(Type.Union(DETECTION_EVENT_TYPES.map((t) => Type.Literal(t)))),
    catalogNumber: Type.Optional({ ...CatalogNumber, description: 'events involving this object' }),
    detector: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: Type.Optional({ ...IsoTime, description: 'events whose window ends at or after' }),
    to: Type.Optional({ ...IsoTime, description: 'events whose window starts at or before' }),
    ...pagingQuery(1000, 100),
  },
  { additionalProperties: false },
);

function eventJson(e: StoredEvent): Static<typeof EventJson> {
  return {
    id: e.id,
    key: e.key,
    type: e.type,
    kind: e.kind,
    objects: [...e.objects],
    timeUtc: e.timeUtc,
    windowStartUtc: e.windowStartUtc,
    windowEndUtc: e.windowEndUtc,
    score: e.score,
    threshold: e.threshold,
    detector: e.detector,
    detectorVersion: e.detectorVersion,
    evidence: { ...e.evidence },
    inputs: { ...e.inputs },
    label: e.label,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export async function eventRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/events',
    {
      schema: {
        summary: 'Detection events',
        description:
          'Filter by type, object, detector and time window (events whose window overlaps [from, to]); by time; paged, with an ETag.',
        tags: ['events'],
        querystring: EventsQuery,
        response: { 200: Page(EventJson, 'EventPage'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) < Date.parse(q.from))
        throw new ApiError(400, 'BAD_REQUEST', `to (${q.to}) is before from (${q.from})`, 'querystring.to');
      const events = await app.store.events({
        ...(q.type === undefined ? {} : { type: q.type }),
        ...(q.catalogNumber === undefined ? {} : { catalogNumber: canonicalCatalogNumber(q.catalogNumber) }),
        ...(q.detector === undefined ? {} : { detector: q.detector }),
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
      });
      const page = pageOf(events, q, 100, request, reply, eventJson);
      if (contentEtagOrNotModified(request, reply, page)) return reply;
      return page;
    },
  );

  app.get(
    '/events/:id',
    {
      schema: {
        summary: 'One detection event',
        tags: ['events'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: EventJson, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const all = await app.store.events();
      const e = all.find((x) => x.id === request.params.id);
      if (e === undefined) throw new ApiError(404, 'NOT_FOUND', `no event ${request.params.id}`, 'params.id');
      const body = eventJson(e);
      if (contentEtagOrNotModified(request, reply, body)) return reply;
      return body;
    },
  );
}
