/**
 * `/health`: liveness, version and the store's label. `/ready`: readiness (ops/readiness.ts): 200
 * when every check passes and the server is not shutting down, else 503 naming the failed checks.
 * Both are open to anyone, so they say nothing about the data (no counts: how many objects a store
 * holds is itself marked information) and nothing about why a check failed beyond a fixed reason.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SERVER_VERSION } from '../version.js';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  store: Type.String({ description: 'the catalog store the server reads' }),
});

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Array(
    Type.Object({
      name: Type.String({ description: "the check: 'store', 'shutdown', or a part's own (e.g. 'queue')" }),
      ok: Type.Boolean(),
      reason: Type.Optional(
        Type.Union([Type.Literal('timeout'), Type.Literal('error'), Type.Literal('stopping')], {
          description: 'why it failed (details are in the server log only)',
        }),
      ),
    }),
  ),
});

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness and store summary',
        tags: ['system'],
        security: [],
        response: { 200: Health },
      },
    },
    async () => {
      return { status: 'ok' as const, version: SERVER_VERSION, store: app.storeLabel };
    },
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: whether this instance should receive traffic',
        description:
          '200 when the store answers (and every other registered check passes) and the server is not shutting down; 503 otherwise, naming the checks that failed. A load balancer stops sending requests on 503; a shutting-down server answers 503 from the moment it receives SIGTERM.',
        tags: ['system'],
        security: [],
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const report = await app.readiness.evaluate();
      return reply
        .status(report.ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: report.ready ? ('ready' as const) : ('not-ready' as const), checks: report.checks });
    },
  );
}
