/**
 * The console's login: `POST /auth/login` (username and password → a session cookie and the
 * session's CSRF token), `POST /auth/logout`, `GET /auth/me` (who is asking; also for tokens).
 *
 * The cookie is HttpOnly (scripts cannot read it), SameSite=Strict (no other site's page can make
 * the browser send it), Path=/, and Secure when the request came over HTTPS (`request.protocol`,
 * which honours X-Forwarded-Proto only when the server trusts its proxy). Logins are rate-limited
 * per client address and per username (login-limiter.ts: 5 failures a minute → 429 RATE_LIMITED
 * with Retry-After). A login body must be JSON, which a cross-site HTML form cannot send.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, principalOf, requirePrincipal, SESSION_COOKIE } from '../auth/authenticate.js';
import { LoginLimiter, type LoginLimiterOptions } from '../auth/login-limiter.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import { ErrorBody } from '../http/schemas.js';

export interface LoginOptions {
  /** Console session lifetime, hours (default 8). */
  readonly sessionHours?: number;
  readonly limiter?: LoginLimiterOptions;
}

export const Me = Type.Object({
  username: Type.String(),
  roles: Type.Array(Type.String()),
  organisation: Type.String(),
  nation: Type.String(),
  clearance: Type.String({ description: "the lower of the user's clearance and the organisation's ceiling" }),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  scopes: Type.Array(Type.String()),
  csrfToken: Type.Optional(
    Type.String({
      description: `console sessions: send it back in the ${CSRF_HEADER} header on POST, PUT, DELETE`,
    }),
  ),
});

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

function me(p: Principal, csrfToken: string | null): Static<typeof Me> {
  return {
    username: p.username,
    roles: [...p.roles],
    organisation: p.reader.organisation,
    nation: p.reader.nation,
    clearance: p.reader.clearance,
    via: p.via,
    scopes: [...p.scopes],
    ...(csrfToken === null ? {} : { csrfToken }),
  };
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export async function authRoutes(app: FastifyInstance, options: LoginOptions = {}): Promise<void> {
  const sessionHours = options.sessionHours ?? 8;
  const limiter = new LoginLimiter(options.limiter);

  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Console login: a session cookie and its CSRF token',
        tags: ['auth'],
        security: [],
        body: LoginBody,
        response: { 200: Me, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply: FastifyReply) => {
      const { username, password } = request.body as Static<typeof LoginBody>;
      const wait = limiter.retryAfterSeconds(request.ip, username);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiError(429, 'RATE_LIMITED', `too many failed logins; try again in ${wait} s`);
      }
      const auth = await app.store.identity.verifyLogin(username, password);
      if (auth === null) {
        limiter.failed(request.ip, username);
        throw new ApiError(401, 'UNAUTHENTICATED', 'wrong username or password');
      }
      limiter.succeeded(username);
      const expiresAt = new Date(Date.now() + sessionHours * 3_600_000).toISOString();
      const { id, session } = await app.store.identity.createSession(auth.user.id, expiresAt);
      const principal = principalOf({ ...auth, session }, app.classificationScheme);
      request.principal = principal;
      reply.header('set-cookie', sessionCookie(request, id, Math.round(sessionHours * 3600)));
      reply.header('cache-control', 'no-store');
      return me(principal, session.csrfToken);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        summary: 'End the console session (clears the cookie)',
        tags: ['auth'],
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      if (request.sessionId !== null) await app.store.identity.deleteSession(request.sessionId);
      reply.header('set-cookie', sessionCookie(request, '', 0));
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        summary: 'Who is asking: user, roles, organisation, clearance (and the CSRF token of a session)',
        tags: ['auth'],
        response: { 200: Me, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return me(requirePrincipal(request), request.csrfToken);
    },
  );
}
