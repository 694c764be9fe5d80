/** `/health`: liveness and what the server holds (the store, its catalog size). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SERVER_VERSION } from '../version.js';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  store: Type.String({ description: 'the catalog store the server reads' }),
  objects: Type.Integer({ description: 'catalog objects in the store' }),
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
      const objects = (await app.store.selectObjects({})).catalogNumbers.length;
      return { status: 'ok' as const, version: SERVER_VERSION, store: app.storeLabel, objects };
    },
  );
}
