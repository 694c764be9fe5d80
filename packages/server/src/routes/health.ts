/**
 * `/health`: liveness, version and the store's label. Open to anyone, so it says nothing about the
 * data (no counts: how many objects a store holds is itself marked information).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SERVER_VERSION } from '../version.js';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  store: Type.String({ description: 'the catalog store the server reads' }),
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
}
