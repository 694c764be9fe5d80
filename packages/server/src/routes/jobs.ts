/**
 * Jobs: submit (POST /jobs, parameters checked per kind; POST /jobs/import takes an uploaded file
 * as the request body), list, get, cancel, and a job's progress as Server-Sent Events
 * (GET /jobs/:id/events: one `state` event per state change and `progress` events between them,
 * each carrying the whole job record; the stream ends after the final state).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requirePrincipal, requireRole } from '../auth/authenticate.js';
import { ApiError } from '../errors.js';
import { PlainText } from '../http/schemas.js';
import { checkJobParams } from '../jobs/executors.js';
import { isTerminal, JobError } from '../jobs/in-process-runner.js';
import type { JobKind, JobRecord, JobSpec } from '../jobs/job-types.js';

const KINDS = ['screening', 'maneuvers', 'rpo', 'import'] as const satisfies readonly JobKind[];
const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** Interval of the SSE keep-alive comment, ms. */
export const SSE_HEARTBEAT_MS = 15_000;

/** Uploads up to this size (a full catalog history, gzip or not, is well below it). */
export const UPLOAD_LIMIT_BYTES = 1024 * 1024 * 1024;

export const Job = Type.Object({
  id: Type.String(),
  kind: Type.Union(KINDS.map((k) => Type.Literal(k))),
  params: Type.Record(Type.String(), Type.Unknown()),
  state: Type.Union(STATES.map((s) => Type.Literal(s))),
  progress: Type.Object({
    fraction: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    message: Type.String(),
  }),
  requestedBy: Type.String(),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});

const ErrorShape = Type.Object({
  code: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const Submit = Type.Object(
  {
    kind: Type.Union(KINDS.map((k) => Type.Literal(k))),
    params: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description:
        'kind-specific parameters, checked per kind: screening {asOf?, from?, days, thresholdKm, primaries?, maxElementAgeDays?, workers?}; maneuvers {catalogNumbers, falseAlarmProbability}; rpo {asOf?, from?, days ≤ 7, catalogNumbers?}; import {path (under an import folder), name?, source?, label?}',
    }),
    requestedBy: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'kept for old clients: the authenticated user is recorded instead',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The answer to a job submitted while the server shuts down (ops/shutdown.ts). */
function stopping(): ApiError {
  return new ApiError(
    503,
    'SERVER_STOPPING',
    'the server is shutting down and takes no new jobs: submit it to another instance, or again after the restart',
  );
}

/** Runs a submit, or answers 503 SERVER_STOPPING once shutdown has begun (or the runner is closed). */
export async function submitUnlessStopping<T>(app: FastifyInstance, submit: () => Promise<T>): Promise<T> {
  if (app.readiness.stopping) throw stopping();
  try {
    return await submit();
  } catch (e) {
    if (e instanceof JobError && e.code === 'RUNNER_CLOSED') throw stopping();
    throw e;
  }
}

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  const submit = (spec: JobSpec): Promise<JobRecord> =>
    submitUnlessStopping(app, () => app.jobs.submit(spec));

  for (const type of ['application/octet-stream', 'application/gzip']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT_BYTES }, (_r, body, done) =>
      done(null, body),
    );
  }

  app.post(
    '/jobs',
    {
      schema: {
        summary: 'Submit a job (screening, maneuvers, rpo, import by path)',
        tags: ['jobs'],
        body: Submit,
        response: { 202: Job, 400: ErrorShape, 503: ErrorShape },
      },
    },
    async (request, reply) => {
      const body = request.body as { kind: JobKind; params: Record<string, unknown>; requestedBy?: string };
      const checked = checkJobParams(body.kind, body.params);
      if (!checked.ok) {
        throw new ApiError(
          400,
          'BAD_REQUEST',
          `${checked.issue.field}: ${checked.issue.message}`,
          checked.issue.field,
        );
      }
      // Importing data is an operator's action (auth/policy.ts); the other kinds an analyst's.
      if (body.kind === 'import') requireRole(request, 'operator', 'an import job');
      if (body.kind === 'import' && checked.params['path'] === undefined) {
        throw new ApiError(
          400,
          'BAD_REQUEST',
          'params.path: required (or upload the file to POST /jobs/import)',
          'params.path',
        );
      }
      const job = await submit({
        kind: body.kind,
        params: checked.params,
        requestedBy: request.principal?.username ?? body.requestedBy ?? 'api',
        reader: requirePrincipal(request).reader,
      });
      return reply.status(202).send(job);
    },
  );

  app.post(
    '/jobs/import',
    {
      schema: {
        summary: 'Upload a file (TLE, 3LE, OMM, GP, SATCAT; gzip too) and import it as a job',
        tags: ['jobs'],
        querystring: Type.Object(
          {
            name: Type.Optional(PlainText(300, 'file name shown in the ingest log')),
            source: Type.Optional(PlainText(64, 'source of the element sets, e.g. spacetrack')),
            label: Type.Optional(PlainText(200, 'releasability label')),
            requestedBy: Type.Optional(
              PlainText(100, 'kept for old clients: the authenticated user is recorded instead'),
            ),
          },
          { additionalProperties: false },
        ),
        consumes: ['application/octet-stream', 'application/gzip'],
        response: { 202: Job, 400: ErrorShape, 503: ErrorShape },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) {
        throw new ApiError(400, 'BAD_REQUEST', 'body: expected the file as application/octet-stream', 'body');
      }
      const q = request.query as { name?: string; source?: string; label?: string; requestedBy?: string };
      const params: Record<string, unknown> = { name: q.name ?? 'upload' };
      if (q.source !== undefined) params['source'] = q.source;
      if (q.label !== undefined) params['label'] = q.label;
      const job = await submit({
        kind: 'import',
        params,
        payload: body,
        requestedBy: request.principal?.username ?? q.requestedBy ?? 'api',
        reader: requirePrincipal(request).reader,
      });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/jobs',
    {
      schema: {
        summary: 'Jobs, newest first',
        tags: ['jobs'],
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)))),
            kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))),
            requestedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Job) }) },
      },
    },
    async (request) => {
      const q = request.query as {
        state?: (typeof STATES)[number];
        kind?: JobKind;
        requestedBy?: string;
        limit: number;
      };
      return {
        items: await app.jobs.list({ ...q, reader: requirePrincipal(request).reader }),
      };
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        summary: 'One job',
        tags: ['jobs'],
        params: IdParams,
        response: { 200: Job, 404: ErrorShape },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const job = await app.jobs.get(id, requirePrincipal(request).reader);
      if (job === null) throw new ApiError(404, 'NOT_FOUND', `no job ${id}`, 'id');
      return job;
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a job (a running one stops at its next checkpoint)',
        tags: ['jobs'],
        params: IdParams,
        response: { 202: Job, 404: ErrorShape },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const job = await app.jobs.cancel(id, requirePrincipal(request).reader);
      if (job === null) throw new ApiError(404, 'NOT_FOUND', `no job ${id}`, 'id');
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/jobs/:id/events',
    {
      schema: {
        summary: 'Progress and state changes of a job as Server-Sent Events (text/event-stream)',
        description:
          'Events `state` (on every state change, first the current one) and `progress`, each with the job record as JSON data; the stream ends after the final state (succeeded, failed or cancelled).',
        tags: ['jobs'],
        params: IdParams,
        produces: ['text/event-stream'],
        response: {
          200: {
            description: 'the event stream: `event: state|progress`, `data:` the job record as JSON',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          404: ErrorShape,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const current = await app.jobs.get(id, requirePrincipal(request).reader);
      if (current === null) throw new ApiError(404, 'NOT_FOUND', `no job ${id}`, 'id');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let lastState: string | null = null;
      let ended = false;
      // A comment line now and then keeps proxies from closing a quiet stream (a long queue wait).
      const heartbeat = setInterval(() => {
        if (!ended) res.write(': keep-alive\n\n');
      }, SSE_HEARTBEAT_MS);
      heartbeat.unref();
      const end = (): void => {
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
      };
      const send = (job: JobRecord): void => {
        if (ended) return;
        const event = job.state === lastState ? 'progress' : 'state';
        lastState = job.state;
        res.write(`event: ${event}\ndata: ${JSON.stringify(job)}\n\n`);
        if (isTerminal(job.state)) {
          end();
          res.end();
        }
      };
      const unsubscribe = app.jobs.subscribe(id, send);
      // The response closes when it ends or when the client goes away.
      res.on('close', end);
      // The current record after subscribing: a change in between is sent twice at worst, never lost.
      send((await app.jobs.get(id)) ?? current);
    },
  );
}
