/**
 * Who is asking: the authenticated principal of a request (a console session or an API token),
 * with the organisation, nation and clearance that decide what it may read (astro's `Reader`), and
 * its roles, which decide what it may do. Set once per request by the authentication hook; null on
 * the few open routes (console shell, API document, health, login).
 */
import type { Reader } from '@hoshimi/astro';

/** Roles, from least to most privileged. */
export const ROLES = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Store id of the user. */
  readonly userId: number;
  readonly username: string;
  readonly roles: readonly Role[];
  /** What the principal may read (organisation, nation, clearance). */
  readonly reader: Reader;
  /** How the request authenticated. */
  readonly via: 'session' | 'token';
  /** Store id of the API token when `via` is 'token'. */
  readonly tokenId?: number;
  /** The token's scopes (a session has every scope its roles allow). */
  readonly scopes: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated principal; null before authentication and on open routes. */
    principal: Principal | null;
  }
}
