/**
 * The metrics listener: `GET /metrics` (Prometheus text format) on a port of its own, apart from
 * the API. Operations centres scrape metrics over a management network, with no user credentials
 * in the scraper (an admin API token there could create users); the API port stays behind
 * authentication and the audit log. `hoshimi serve --metrics-port N` binds it to loopback unless
 * `--metrics-host` says otherwise. What it serves carries no marked data (ops/metrics.ts).
 */

import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { ServerMetrics } from './metrics.js';

export interface MetricsListenerOptions {
  readonly metrics: ServerMetrics;
  readonly logger?: FastifyServerOptions['logger'];
}

/** Builds the listener (call `listen`; close it with the server). */
export async function buildMetricsListener(options: MetricsListenerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, text } = await options.metrics.scrape();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(text);
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.status(404).send({ code: 'NOT_FOUND', message: 'this listener serves GET /metrics only' });
  });
  return app;
}
