/**
 * The server's structured log: JSON lines from Fastify's logger (pino), one object per line with
 * `time` (ISO 8601 UTC), `level` (its name: fatal, error, warn, info, debug, trace), `msg`, and on
 * request lines `reqId`, `method`, `url`, `route` (the route template), `status` and
 * `responseTimeMs` — one line per request, written when the response has gone (Fastify's own pair
 * of 'incoming request' / 'request completed' lines is turned off).
 *
 * Secrets never reach the log: no request or response headers are logged, and should a line carry
 * them anyway (an error with its request), the Authorization, Cookie, Set-Cookie and CSRF headers
 * are replaced by '[redacted]' by pino's redaction; query values under a secret-looking name
 * (store's redactSecrets: token, password, session, …) are redacted in the logged URL. Request
 * bodies (login passwords, uploads) are never logged.
 */
import { REDACTED, redactSecrets } from '@hoshimi/store';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

/** Header paths pino replaces wherever a log line carries a request or a response. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'proxy-authorization'];
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
];

export interface LogOptions {
  readonly level: LogLevel;
  /** Where the lines go (default stdout). */
  readonly stream?: { write(line: string): void };
}

/** The logger options of `buildServer` (and the exchange listener) for the structured log. */
export function serverLogOptions(options: LogOptions): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: options.level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  } as NonNullable<FastifyServerOptions['logger']>;
}

/** The URL with the values of secret-named query parameters replaced. */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const isSecret = (key: string) => redactSecrets({ [key]: '' })[key] === REDACTED;
  if (![...params.keys()].some(isSecret)) return url;
  const out = new URLSearchParams();
  for (const [k, v] of params) out.append(k, isSecret(k) ? REDACTED : v);
  return `${url.slice(0, q)}?${out.toString()}`;
}

/** One info line per finished request (register on the root app, before the routes). */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: loggedUrl(request.url),
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
    done();
  });
}
