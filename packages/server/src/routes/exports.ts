/**
 * Element sets in exchange formats: CCSDS OMM (502.0-B-3: KVN, XML, and the GP JSON of CelesTrak
 * and Space-Track) and TLE/3LE, written by @hoshimi/astro's writers, for one object (its latest set
 * as of a time, or its whole history) or the whole catalog as of a time.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type ElementSet, formatOmmJson, formatOmmKvn, formatOmmXml, formatTleText } from '@hoshimi/astro';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from '../errors.js';
import { etagOrNotModified, storeState } from '../http/etag.js';
import { storeFor } from '../http/reader-store.js';
import { ERROR_RESPONSES, IsoTime, ObjectTypeParam } from '../http/schemas.js';
import { canonicalCatalogNumber } from '../http/views.js';
import { catalogAsOfCache, minuteNow } from './elements.js';
import { ObjectParams, requireObject } from './objects.js';

export const ELEMENT_FORMATS = ['omm-kvn', 'omm-xml', 'omm-json', 'tle', '3le'] as const;
type ElementExportFormat = (typeof ELEMENT_FORMATS)[number];

const FormatParam = Type.Union(
  ELEMENT_FORMATS.map((f) => Type.Literal(f)),
  {
    default: 'omm-kvn',
    description: 'omm-kvn, omm-xml, omm-json (GP JSON), tle (two lines) or 3le (with name lines)',
  },
);

const CONTENT_TYPES: Record<ElementExportFormat, string> = {
  'omm-kvn': 'text/plain; charset=utf-8',
  'omm-xml': 'application/xml; charset=utf-8',
  'omm-json': 'application/json; charset=utf-8',
  tle: 'text/plain; charset=utf-8',
  '3le': 'text/plain; charset=utf-8',
};

const TEXT_RESPONSE = Type.String({ description: 'the message text (content type by format)' });

/** CREATION_DATE of a message written now (UTC, CCSDS form without Z). */
export function creationDateNow(): string {
  return new Date().toISOString().replace(/Z$/, '');
}

export function writeElements(sets: readonly ElementSet[], format: ElementExportFormat): string {
  const options = { creationDate: creationDateNow(), originator: 'HOSHIMI', digits: 'full' as const };
  switch (format) {
    case 'omm-kvn':
      return formatOmmKvn(sets, options);
    case 'omm-xml':
      return formatOmmXml(sets, options);
    case 'omm-json':
      return formatOmmJson(sets, options);
    case 'tle':
      return formatTleText(sets, 'none');
    case '3le':
      return formatTleText(sets, '3le');
  }
}

function send(reply: FastifyReply, format: ElementExportFormat, body: string, filename: string): string {
  const ext =
    format === 'omm-xml' ? 'xml' : format === 'omm-json' ? 'json' : format === 'omm-kvn' ? 'omm' : 'tle';
  reply.header('content-type', CONTENT_TYPES[format]);
  reply.header('content-disposition', `inline; filename="${filename}.${ext}"`);
  return body;
}

export async function exportRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const asOfCatalog = catalogAsOfCache(app);

  app.get(
    '/objects/:catalogNumber/elements',
    {
      schema: {
        summary: "One object's element set as OMM or TLE",
        description:
          'The latest element set as of `asOf` (default now), or with `history=true` every stored set (within [from, to] when given), as CCSDS OMM (KVN, XML, GP JSON) or TLE.',
        tags: ['elements', 'exports'],
        params: ObjectParams,
        querystring: Type.Object(
          {
            format: Type.Optional(FormatParam),
            asOf: Type.Optional(IsoTime),
            history: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: TEXT_RESPONSE, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const format = q.format ?? 'omm-kvn';
      const state = await storeState(app);
      if (q.asOf !== undefined || q.history === true) {
        if (etagOrNotModified(request, reply, 'object-elements', state.ingestId)) return reply;
      }
      const cn = canonicalCatalogNumber(request.params.catalogNumber);
      let sets: ElementSet[];
      if (q.history === true) {
        sets = (await storeFor(app, request).history(cn)).map((s) => s.elements);
        if (sets.length === 0) await requireObject(storeFor(app, request), cn);
      } else {
        const status = await requireObject(storeFor(app, request), cn, q.asOf ?? minuteNow());
        if (status.latest === null)
          throw new ApiError(
            404,
            'NO_ELEMENTS',
            `object ${cn} has no element set as of ${q.asOf ?? 'now'}`,
            'querystring.asOf',
          );
        sets = [status.latest.elements];
      }
      return send(reply, format, writeElements(sets, format), cn);
    },
  );

  app.get(
    '/catalog/export',
    {
      schema: {
        summary: 'The catalog as of a time as OMM or TLE',
        description:
          "Every object's latest element set as of `asOf` (default now), optionally of one type, in one file.",
        tags: ['elements', 'exports'],
        querystring: Type.Object(
          {
            format: Type.Optional(FormatParam),
            asOf: Type.Optional(IsoTime),
            type: Type.Optional(ObjectTypeParam),
          },
          { additionalProperties: false },
        ),
        response: { 200: TEXT_RESPONSE, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const format = q.format ?? 'omm-kvn';
      const asOf = q.asOf ?? minuteNow();
      const state = await storeState(app);
      if (etagOrNotModified(request, reply, 'catalog-export', { ingest: state.ingestId, asOf })) return reply;
      let sets = await asOfCatalog(request, asOf, state.ingestId);
      if (q.type !== undefined) {
        const keep = new Set(
          (await storeFor(app, request).selectObjects({ types: [q.type] })).catalogNumbers,
        );
        sets = sets.filter((s) => keep.has(s.catalogNumber));
      }
      return send(
        reply,
        format,
        writeElements(
          sets.map((s) => s.elements),
          format,
        ),
        `catalog-${asOf.replace(/[:.]/g, '')}`,
      );
    },
  );
}
