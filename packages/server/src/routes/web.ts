/**
 * Serves the built web console (packages/web/dist, `vite build`) at `/`. The API keeps its own
 * paths; the console calls it on the same origin. Without a build, `/` answers with a short page
 * that says how to build the console instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** packages/web/dist, seen from packages/server/dist/routes/web.js. */
export const WEB_DIST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

export async function webRoutes(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? WEB_DIST_DIR;
  if (!existsSync(resolve(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Hoshimi</title><p>The web console is not built: run <code>npm run build</code>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    schemaHide: true,
    // Hashed bundles never change; index.html and Cesium's unhashed assets revalidate.
    setHeaders: (res, path) => {
      if (/[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8}\.(js|css)$/.test(path)) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
}
