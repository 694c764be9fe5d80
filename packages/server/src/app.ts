/**
 * The Hoshimi HTTP server: one Fastify instance over one catalog store. Every route declares its
 * input and output as TypeBox JSON Schema, validated at the edge; the same schemas generate the
 * OpenAPI 3.1 document at `/openapi.json` (docs page at `/docs`). Features arrive as Fastify plugins
 * in `routes/`, each registered once below, so the API, the console and a later distributed job
 * runner see the same application.
 *
 * Every route but the console shell, the API document, /health and the login refuses a request
 * without credentials (auth/authenticate.ts: 401 UNAUTHENTICATED; roles and token scopes 403
 * FORBIDDEN; auth/policy.ts says what each route needs). The OpenAPI document declares both ways
 * in: a bearer API token and the console's session cookie.
 *
 * Operations (ops/): `/ready` next to `/health`, Prometheus metrics of requests and jobs on a
 * registry of the app's own (`app.metrics`, served by ops/metrics-listener.ts), one structured log
 * line per request (ops/logging.ts), and the readiness checks and shutdown flag (`app.readiness`).
 *
 * Errors leave the server in one shape, `{ code, message, field? }`, with a 4xx status for bad
 * input (validation: 400, `code` 'BAD_REQUEST', `field` the offending parameter), 404 for a missing
 * resource, and 500 without internals for the rest.
 */

import type { KeyObject } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type AstroContext, type ClassificationScheme, DEFAULT_SCHEME } from '@hoshimi/astro';
import type { CatalogStore } from '@hoshimi/store';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { registerAuditHooks } from './audit/audit-hooks.js';
import { registerAuthentication, SESSION_COOKIE } from './auth/authenticate.js';
import { registerErrorHandlers } from './errors.js';
import { type JobServiceOptions, registerJobs } from './jobs/job-service.js';
import { registerRequestLog } from './ops/logging.js';
import { registerMetrics } from './ops/metrics.js';
import { registerReadiness } from './ops/readiness.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes, type LoginOptions } from './routes/auth.js';
import { caseReplicaRoutes } from './routes/case-replicas.js';
import { caseRoutes } from './routes/cases.js';
import { conjunctionRoutes } from './routes/conjunctions.js';
import { consoleDataRoutes } from './routes/console-data.js';
import { elementRoutes } from './routes/elements.js';
import { eventRoutes } from './routes/events.js';
import { exportRoutes } from './routes/exports.js';
import { healthRoutes } from './routes/health.js';
import { objectRoutes } from './routes/objects.js';
import { propagationRoutes } from './routes/propagation.js';
import { webRoutes } from './routes/web.js';
import { SERVER_VERSION } from './version.js';

export interface ServerOptions {
  /** The catalog store the API reads and writes (the caller opens and closes it). */
  readonly store: CatalogStore;
  /** Where the store lives, as shown to clients (`/health`). */
  readonly storeLabel: string;
  /** Fastify logger option (default off; `hoshimi serve` turns it on). */
  readonly logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Background jobs and watch-list schedules (jobs/job-service.ts). */
  readonly jobs?: JobServiceOptions;
  /**
   * Leap seconds and EOP for frames other than TEME and for CDMs, loaded on first use (the caller
   * finds the files: `hoshimi serve` uses the CLI's data folders). Without it those answers are
   * 503 TABLES_MISSING. Called once; undefined means the tables could not be found.
   */
  readonly context?: () => AstroContext | undefined;
  /** The ordered classification levels that clearances are compared in (default DEFAULT_SCHEME). */
  readonly classificationScheme?: ClassificationScheme;
  /** Console sessions and the login rate limit (routes/auth.ts). */
  readonly login?: LoginOptions;
  /**
   * Fastify's trustProxy: set it when the server runs behind a TLS-terminating proxy, so that the
   * session cookie is marked Secure from X-Forwarded-Proto (default false).
   */
  readonly trustProxy?: boolean | string;
  /**
   * The node's Ed25519 exchange identity key (exchange/node-identity.ts loadNodeIdentity): case
   * exports are signed with it, so partners verify them with the key they trust for the node.
   * `$HOSHIMI_CASE_SIGNING_KEY` overrides it; without either, a key made at start-up signs
   * (cases/case-signing.ts; `GET /cases/signing-key` tells which).
   */
  readonly nodeKey?: KeyObject;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The catalog store behind every route. */
    readonly store: CatalogStore;
    readonly storeLabel: string;
    /** The physical-data context (leap seconds, EOP), or undefined when the server has none. */
    astroContext(): AstroContext | undefined;
    /** The classification levels clearances are compared in. */
    readonly classificationScheme: ClassificationScheme;
  }
}

/** Builds the server (not listening yet: call `listen`, or `inject` in tests). */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // One line per request instead (ops/logging.ts registerRequestLog).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('store', options.store);
  app.decorate('storeLabel', options.storeLabel);
  app.decorate('classificationScheme', options.classificationScheme ?? DEFAULT_SCHEME);
  let context: AstroContext | undefined;
  let contextTried = false;
  app.decorate('astroContext', () => {
    if (!contextTried && options.context !== undefined) {
      contextTried = true;
      context = options.context();
    }
    return context;
  });

  registerAuditHooks(app);
  registerReadiness(app);
  registerMetrics(app);
  if (options.logger !== undefined && options.logger !== false) registerRequestLog(app);

  registerErrorHandlers(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hoshimi API',
        version: SERVER_VERSION,
        description:
          'Space Domain Awareness: the catalog and its history, propagation, conjunctions, events and jobs. Every operation but the health check and the login needs credentials: an API token (Authorization: Bearer hsm_…) or the console session cookie.',
      },
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (hsm_…) from POST /admin/tokens or `hoshimi token create`',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The console session from POST /auth/login; state-changing requests also send the x-csrf-token header',
          },
        },
      },
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Before every route: the hook applies to all of them.
  registerAuthentication(app, { scheme: app.classificationScheme });
  await app.register(healthRoutes);
  await app.register(authRoutes, options.login ?? {});
  await app.register(adminRoutes);
  await registerJobs(app, options.jobs);
  await app.register(objectRoutes);
  await app.register(elementRoutes);
  await app.register(exportRoutes);
  await app.register(propagationRoutes);
  await app.register(conjunctionRoutes);
  await app.register(eventRoutes);
  await app.register(caseRoutes, options.nodeKey === undefined ? {} : { nodeKey: options.nodeKey });
  await app.register(caseReplicaRoutes);
  await app.register(consoleDataRoutes);
  await app.register(webRoutes);
  return app;
}
