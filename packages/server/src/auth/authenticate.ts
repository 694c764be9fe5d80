/**
 * Authentication and authorisation of every request, in one `onRequest` hook on the root app (so
 * it runs before any body is read, for every route of every plugin):
 *
 * 1. the route's requirement (policy.ts): open routes pass with `request.principal` null;
 * 2. credentials: `Authorization: Bearer hsm_…` (an API token), else the console's session cookie;
 *    none, or any that does not check out (unknown, forged, expired, revoked, disabled user) →
 *    401 UNAUTHENTICATED with one message and a `WWW-Authenticate` header — the same answer and the
 *    same single store lookup whatever the reason, so the answer does not tell which;
 * 3. `request.principal` is set (principal.ts: roles, the organisation's nation, the clearance —
 *    the lower of the user's and the organisation's ceiling —, how it authenticated, scopes);
 * 4. role below the route's → 403 FORBIDDEN; a token without the route's scope → 403 FORBIDDEN;
 * 5. CSRF: a cookie-authenticated request with any method but GET, HEAD and OPTIONS must carry the
 *    session's CSRF token in the `x-csrf-token` header (compared in constant time) → else 403
 *    CSRF_FAILED. Tokens need no CSRF check: a browser never adds an Authorization header by itself.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type ClassificationScheme, DEFAULT_SCHEME, levelRank } from '@hoshimi/astro';
import type { Authenticated } from '@hoshimi/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { hasRole, isRole, isScope, routeRequirement, type Scope, scopesOfRoles } from './policy.js';
import type { Principal, Role } from './principal.js';

/** Name of the console's session cookie. */
export const SESSION_COOKIE = 'hsm_session';
/** Header that carries the CSRF token on state-changing console requests. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The one message of every 401, whatever was wrong with the credentials. */
export const UNAUTHENTICATED_MESSAGE =
  'authentication required: send Authorization: Bearer <API token>, or log in at POST /auth/login';

export interface AuthOptions {
  /** The classification scheme that orders clearances (default astro's DEFAULT_SCHEME). */
  readonly scheme?: ClassificationScheme;
}

/** The value of one cookie in a Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

/** The lower of the user's clearance and the organisation's ceiling (the lowest level when unknown). */
function effectiveClearance(scheme: ClassificationScheme, user: string, ceiling: string): string {
  try {
    return levelRank(scheme, user) <= levelRank(scheme, ceiling) ? user : ceiling;
  } catch {
    return scheme.levels[0] ?? user;
  }
}

/** The principal of checked credentials. */
export function principalOf(auth: Authenticated, scheme: ClassificationScheme): Principal {
  const roles = auth.user.roles.filter(isRole) as Role[];
  const allowed = scopesOfRoles(roles);
  const scopes: Scope[] =
    auth.token === undefined ? allowed : auth.token.scopes.filter(isScope).filter((s) => allowed.includes(s));
  const base = {
    userId: auth.user.id,
    username: auth.user.username,
    roles,
    reader: {
      organisation: auth.organisation.code,
      nation: auth.organisation.nation,
      clearance: effectiveClearance(scheme, auth.user.clearance, auth.organisation.maxClearance),
    },
    scopes,
  };
  return auth.token === undefined
    ? { ...base, via: 'session' }
    : { ...base, via: 'token', tokenId: auth.token.id };
}

/** The request's principal; throws 401 when there is none (for routes that need one). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ApiError(401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
  return request.principal;
}

/** Throws 403 FORBIDDEN unless the request's principal reaches `role` (checks inside a route). */
export function requireRole(request: FastifyRequest, role: Role, what: string): void {
  const p = requirePrincipal(request);
  if (!hasRole(p.roles, role)) throw new ApiError(403, 'FORBIDDEN', `${what} needs the ${role} role`);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's CSRF token (cookie authentication), for /auth/me. */
    csrfToken: string | null;
    /** The session cookie value (cookie authentication), for logout. */
    sessionId: string | null;
  }
}

/** Installs the hook on the root app (call before registering routes). */
export function registerAuthentication(app: FastifyInstance, options: AuthOptions = {}): void {
  const scheme = options.scheme ?? DEFAULT_SCHEME;
  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionId', null);

  const unauthenticated = (reply: FastifyReply): never => {
    reply.header('www-authenticate', 'Bearer realm="hoshimi"');
    throw new ApiError(401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
  };

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // No route: the not-found handler answers 404 (it reads nothing).
    if (url === undefined) return;
    const need = routeRequirement(request.method, url, request.routeOptions.config.auth);
    if (need === 'open') return;

    const authorization = request.headers.authorization;
    let auth: Authenticated | null = null;
    let sessionId: string | undefined;
    if (authorization !== undefined) {
      const m = /^Bearer[ ]+(\S{1,512})\s*$/i.exec(authorization);
      auth = await app.store.identity.authenticateToken(m?.[1] ?? '');
    } else {
      sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (sessionId !== undefined && sessionId.length <= 512) {
        auth = await app.store.identity.authenticateSession(sessionId);
      }
    }
    if (auth === null) return unauthenticated(reply);
    const principal = principalOf(auth, scheme);
    request.principal = principal;
    if (auth.session !== undefined && sessionId !== undefined) {
      request.csrfToken = auth.session.csrfToken;
      request.sessionId = sessionId;
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameSecret(sent, auth.session.csrfToken)) {
          throw new ApiError(
            403,
            'CSRF_FAILED',
            `a console request that changes something must carry the session's CSRF token in the ${CSRF_HEADER} header`,
          );
        }
      }
    }
    if (!hasRole(principal.roles, need.role)) {
      throw new ApiError(403, 'FORBIDDEN', `${request.method} ${url} needs the ${need.role} role`);
    }
    if (!principal.scopes.includes(need.scope)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `${request.method} ${url} needs a token with the ${need.scope} scope`,
      );
    }
  });
}
