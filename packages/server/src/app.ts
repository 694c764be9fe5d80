/**
 * The Hoshimi HTTP server: one Fastify instance over one catalog store. Every route declares its
 * input and output as TypeBox JSON Schema, validated at the edge; the same schemas generate the
 * OpenAPI 3.1 document at `/openapi.json` (docs page at `/docs`). Features arrive as Fastify plugins
 * in `routes/`, each registered once below, so the API, the console and a later distributed job
 * runner see the same application.
 *
 * Errors leave the server in one shape, `{ code, message, field? }`, with a 4xx status for bad
 * input (validation: 400, `code` 'BAD_REQUEST', `field` the offending parameter), 404 for a missing
 * resource, and 500 without internals for the rest.
 */

import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CatalogStore } from '@hoshimi/store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ApiError, errorBody } from './errors.js';
import { consoleDataRoutes } from './routes/console-data.js';
import { healthRoutes } from './routes/health.js';
import { webRoutes } from './routes/web.js';
import { SERVER_VERSION } from './version.js';

export interface ServerOptions {
  /** The catalog store the API reads and writes (the caller opens and closes it). */
  readonly store: CatalogStore;
  /** Where the store lives, as shown to clients (`/health`). */
  readonly storeLabel: string;
  /** Fastify logger option (default off; `hoshimi serve` turns it on). */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The catalog store behind every route. */
    readonly store: CatalogStore;
    readonly storeLabel: string;
  }
}

/** Builds the server (not listening yet: call `listen`, or `inject` in tests). */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('store', options.store);
  app.decorate('storeLabel', options.storeLabel);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      reply.status(error.status).send(errorBody(error.code, error.message, error.field));
      return;
    }
    const e = error as {
      validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[];
      validationContext?: string;
      statusCode?: number;
      code?: string;
      message: string;
    };
    if (e.validation !== undefined) {
      const first = e.validation[0];
      const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const missing = first?.params?.['missingProperty'];
      const field = [e.validationContext, typeof missing === 'string' ? missing : path]
        .filter((x) => x !== undefined && x !== '')
        .join('.');
      reply
        .status(400)
        .send(
          errorBody(
            'BAD_REQUEST',
            `${field === '' ? 'request' : field}: ${first?.message ?? 'invalid'}`,
            field === '' ? undefined : field,
          ),
        );
      return;
    }
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      reply.status(e.statusCode).send(errorBody(e.code ?? 'BAD_REQUEST', e.message));
      return;
    }
    request.log.error(error);
    reply.status(500).send(errorBody('INTERNAL', 'internal error (logged on the server)'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hoshimi API',
        version: SERVER_VERSION,
        description:
          'Space Domain Awareness: the catalog and its history, propagation, conjunctions, events and jobs.',
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(consoleDataRoutes);
  await app.register(webRoutes);
  return app;
}
