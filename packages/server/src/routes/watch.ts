/**
 * Watch lists and alerts: manage lists (assets, schedule, thresholds, webhook), run a list's
 * screening now, list alerts (filters, paged, newest change first, each with its history) and
 * acknowledge one (who, note; the time is the server's).
 */
import type { StoredWatchList, WatchListInput } from '@hoshimi/store';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { storeFor } from '../http/reader-store.js';
import { ISO_UTC_PATTERN } from '../jobs/executors.js';
import { Job, submitUnlessStopping } from './jobs.js';

const CatalogNumber = Type.String({ pattern: '^[0-9]{1,9}$' });

const WatchListBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    assets: Type.Array(CatalogNumber, { minItems: 1, maxItems: 10000, description: 'catalog numbers' }),
    schedule: Type.Union(
      [
        Type.Object(
          {
            everyHours: Type.Number({ minimum: 0.25, maximum: 24 * 30, description: 'screen every N hours' }),
            days: Type.Number({ exclusiveMinimum: 0, maximum: 30, description: 'over the next D days' }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { default: null },
    ),
    thresholds: Type.Object(
      {
        maxMissKm: Type.Number({
          exclusiveMinimum: 0,
          maximum: 100,
          description: 'alert at miss ≤ this, km',
        }),
        minPc: Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 1 }), Type.Null()], {
          default: null,
          description: 'or at Pc ≥ this',
        }),
      },
      { additionalProperties: false },
    ),
    webhookUrl: Type.Union([Type.String({ pattern: '^https?://', maxLength: 2000 }), Type.Null()], {
      default: null,
    }),
    enabled: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

const WatchList = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  assets: Type.Array(Type.String()),
  schedule: Type.Union([Type.Object({ everyHours: Type.Number(), days: Type.Number() }), Type.Null()]),
  thresholds: Type.Object({ maxMissKm: Type.Number(), minPc: Type.Union([Type.Number(), Type.Null()]) }),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lastRunAt: Type.Union([Type.String(), Type.Null()]),
});

const Nullable = <
  T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>,
>(
  t: T,
) => Type.Union([t, Type.Null()]);

const Alert = Type.Object({
  id: Type.Integer(),
  watchListId: Type.Integer(),
  assetId: Type.String(),
  otherId: Type.String(),
  tcaUtc: Type.String(),
  missKm: Type.Number(),
  pc: Nullable(Type.Number()),
  screeningId: Type.Integer(),
  state: Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  acknowledgedBy: Nullable(Type.String()),
  acknowledgedAt: Nullable(Type.String()),
  acknowledgementNote: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      change: Type.Union([Type.Literal('new'), Type.Literal('changed'), Type.Literal('acknowledged')]),
      screeningId: Nullable(Type.Integer()),
      tcaUtc: Nullable(Type.String()),
      missKm: Nullable(Type.Number()),
      pc: Nullable(Type.Number()),
      by: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
});

const ErrorShape = Type.Object({
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

function normalise(body: WatchListInput): WatchListInput {
  return { ...body, assets: [...new Set(body.assets.map((a) => String(Number(a))))] };
}

export async function watchRoutes(app: FastifyInstance): Promise<void> {
  const found = (list: StoredWatchList | null, id: number): StoredWatchList => {
    if (list === null) throw new ApiError(404, 'NOT_FOUND', `no watch list ${id}`, 'id');
    return list;
  };

  app.post(
    '/watch-lists',
    {
      schema: {
        summary: 'Create a watch list',
        tags: ['watch'],
        body: WatchListBody,
        response: { 201: WatchList, 400: ErrorShape },
      },
    },
    async (request, reply) => {
      const list = await storeFor(app, request).saveWatchList(normalise(request.body as WatchListInput));
      return reply.status(201).send(list);
    },
  );

  app.get(
    '/watch-lists',
    {
      schema: {
        summary: 'Watch lists',
        tags: ['watch'],
        response: { 200: Type.Object({ items: Type.Array(WatchList) }) },
      },
    },
    async (request) => ({ items: await storeFor(app, request).listWatchLists() }),
  );

  app.get(
    '/watch-lists/:id',
    {
      schema: {
        summary: 'One watch list',
        tags: ['watch'],
        params: IdParams,
        response: { 200: WatchList, 404: ErrorShape },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      return found(await storeFor(app, request).getWatchList(id), id);
    },
  );

  app.put(
    '/watch-lists/:id',
    {
      schema: {
        summary: 'Replace a watch list',
        tags: ['watch'],
        params: IdParams,
        body: WatchListBody,
        response: { 200: WatchList, 400: ErrorShape, 404: ErrorShape },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      return found(
        await storeFor(app, request).saveWatchList(normalise(request.body as WatchListInput), id),
        id,
      );
    },
  );

  app.delete(
    '/watch-lists/:id',
    {
      schema: {
        summary: 'Delete a watch list and its alerts',
        tags: ['watch'],
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorShape },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      if (!(await storeFor(app, request).deleteWatchList(id)))
        throw new ApiError(404, 'NOT_FOUND', `no watch list ${id}`, 'id');
      return reply.status(204).send();
    },
  );

  app.post(
    '/watch-lists/:id/run',
    {
      schema: {
        summary: "Screen a watch list's assets now (its alerts follow when the job succeeds)",
        tags: ['watch'],
        params: IdParams,
        response: { 202: Job, 404: ErrorShape, 503: ErrorShape },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const list = found(await storeFor(app, request).getWatchList(id), id);
      return reply.status(202).send(await submitUnlessStopping(app, () => app.watch.runNow(list)));
    },
  );

  app.get(
    '/alerts',
    {
      schema: {
        summary: 'Alerts, newest change first (paged), each with its history',
        tags: ['watch'],
        querystring: Type.Object(
          {
            watchListId: Type.Optional(Type.Integer({ minimum: 1 })),
            state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('acknowledged')])),
            catalogNumber: Type.Optional(CatalogNumber),
            tcaFrom: Type.Optional(Type.String({ pattern: ISO_UTC_PATTERN })),
            tcaTo: Type.Optional(Type.String({ pattern: ISO_UTC_PATTERN })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Alert),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query as {
        watchListId?: number;
        state?: 'open' | 'acknowledged';
        catalogNumber?: string;
        tcaFrom?: string;
        tcaTo?: string;
        limit: number;
        offset: number;
      };
      const r = await storeFor(app, request).listAlerts({
        ...q,
        ...(q.catalogNumber === undefined ? {} : { catalogNumber: String(Number(q.catalogNumber)) }),
      });
      return { items: r.alerts, total: r.total, limit: q.limit, offset: q.offset };
    },
  );

  app.get(
    '/alerts/:id',
    {
      schema: {
        summary: 'One alert with its history',
        tags: ['watch'],
        params: IdParams,
        response: { 200: Alert, 404: ErrorShape },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const alert = await storeFor(app, request).getAlert(id);
      if (alert === null) throw new ApiError(404, 'NOT_FOUND', `no alert ${id}`, 'id');
      return alert;
    },
  );

  app.post(
    '/alerts/:id/acknowledge',
    {
      schema: {
        summary: 'Acknowledge an alert (who, and an optional note)',
        tags: ['watch'],
        params: IdParams,
        body: Type.Object(
          {
            by: Type.String({ minLength: 1, maxLength: 200 }),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Alert, 404: ErrorShape },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const body = request.body as { by: string; note?: string };
      const alert = await storeFor(app, request).acknowledgeAlert(id, {
        by: body.by,
        note: body.note ?? null,
        at: app.clock().toISOString(),
      });
      if (alert === null) throw new ApiError(404, 'NOT_FOUND', `no alert ${id}`, 'id');
      return alert;
    },
  );
}
