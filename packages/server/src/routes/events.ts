/**
 * Detection events (maneuvers, proximity, fragmentations, reentries, …; astro's DetectionEvent as
 * the store keeps it): the list filtered by type, object, time window and detector, paged, and one
 * event. Events can be updated in place by a re-run of their detector, so the list's ETag is a
 * hash of its content rather than of the store state.
 * A reentry event exports as a CCSDS RDM (`/events/{id}/rdm`), built from its evidence
 * (astro's rdmFromReentryEvent).
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AstroError,
  DETECTION_EVENT_TYPES,
  formatRdmKvn,
  formatRdmXml,
  rdmFromReentryEvent,
} from '@hoshimi/astro';
import type { StoredEvent } from '@hoshimi/store';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { contentEtagOrNotModified } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { storeFor } from '../http/reader-store.js';
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
      const events = await storeFor(app, request).events({
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
      const body = eventJson(await oneEvent(request, request.params.id));
      if (contentEtagOrNotModified(request, reply, body)) return reply;
      return body;
    },
  );

  app.get(
    '/events/:id/rdm',
    {
      schema: {
        summary: "A reentry event's CCSDS RDM",
        description:
          "CCSDS 508.1-B-1 Reentry Data Message (KVN or XML) of a stored reentry prediction: the window, the nominal epoch and sub-point, the ground-track ends over the window and the ballistic coefficient, from the event's evidence (no state vector: the event keeps no element set). 409 for another event type or an event recorded without the ground track.",
        tags: ['events', 'exports'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union([Type.Literal('kvn'), Type.Literal('xml')], { default: 'kvn' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'the RDM' }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const e = await oneEvent(request, request.params.id);
      let rdm: ReturnType<typeof rdmFromReentryEvent>;
      try {
        rdm = rdmFromReentryEvent(e, {
          originator: 'HOSHIMI',
          messageId: `HOSHIMI-EVENT-${e.id}-${e.updatedAt.replace(/[-:.]/g, '').slice(0, 15)}`,
          creationDateUtc: new Date().toISOString(),
          gravityModel: 'EGM-96: 8D 8O',
        });
      } catch (err) {
        if (err instanceof AstroError) throw new ApiError(409, err.code, err.message, 'params.id');
        throw err;
      }
      const xml = request.query.format === 'xml';
      reply.header('content-type', xml ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8');
      reply.header('content-disposition', `inline; filename="event-${e.id}.rdm${xml ? '.xml' : ''}"`);
      return xml ? formatRdmXml(rdm) : formatRdmKvn(rdm);
    },
  );

  async function oneEvent(request: FastifyRequest, id: number): Promise<StoredEvent> {
    const [e] = await storeFor(app, request).events({ id });
    if (e === undefined) throw new ApiError(404, 'NOT_FOUND', `no event ${id}`, 'params.id');
    return e;
  }
}
