/**
 * What each route requires: open (no credentials), or a least role and a token scope. One table
 * for the whole API, read by the authentication hook (authenticate.ts) for every request:
 *
 * - open: the console shell and its static assets (`/`, `/*`), the API document (`/openapi.json`,
 *   `/docs…`), `/health`, `/ready` and `POST /auth/login`;
 * - roles, least to most privileged: viewer reads; analyst also runs jobs (screening, maneuvers,
 *   RPO), runs a watch list now and acknowledges alerts; operator also imports data and edits watch
 *   lists; admin also manages organisations, users and tokens (`/admin/…`);
 * - scopes of an API token: `read` (GET), `write` (the analyst's and operator's actions), `admin`
 *   (`/admin/…`). A token does what both its scopes and its user's current roles allow; a console
 *   session has every scope its roles allow.
 *
 * A route missing from the table needs `viewer`/`read` for GET and HEAD and `admin`/`admin` for any
 * other method (closed by default: a new state-changing route is admin-only until it is listed
 * here or declares `config: { auth: … }` in its route options, which wins over the table).
 */
import { ROLES, type Role } from './principal.js';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Requirement {
  readonly role: Role;
  readonly scope: Scope;
}

export type RouteAuth = 'open' | Requirement;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route requires (auth/policy.ts); absent: the policy table, then the default by method. */
    auth?: RouteAuth;
  }
}

const READ: Requirement = { role: 'viewer', scope: 'read' };
const ANALYST: Requirement = { role: 'analyst', scope: 'write' };
const OPERATOR: Requirement = { role: 'operator', scope: 'write' };
const ADMIN: Requirement = { role: 'admin', scope: 'admin' };

/** Open routes, by Fastify route URL (any method unless the key starts with a method). */
const OPEN = new Set(['/', '/*', '/health', '/ready', '/openapi.json', 'POST /auth/login']);

/** Non-default requirements, by `METHOD url` (Fastify's route URL, `:param` form). */
const TABLE: Readonly<Record<string, Requirement>> = {
  'POST /jobs': ANALYST, // an import job also needs operator (checked by the route, which sees the kind)
  'POST /jobs/import': OPERATOR,
  'POST /jobs/:id/cancel': ANALYST,
  'POST /watch-lists': OPERATOR,
  'PUT /watch-lists/:id': OPERATOR,
  'DELETE /watch-lists/:id': OPERATOR,
  'POST /watch-lists/:id/run': ANALYST,
  'POST /alerts/:id/acknowledge': ANALYST,
  'POST /auth/logout': READ,
};

/** The requirement of a route (see the header). */
export function routeRequirement(method: string, url: string, declared: RouteAuth | undefined): RouteAuth {
  if (declared !== undefined) return declared;
  if (OPEN.has(url) || OPEN.has(`${method} ${url}`) || url === '/docs' || url.startsWith('/docs/'))
    return 'open';
  if (url === '/admin' || url.startsWith('/admin/')) return ADMIN;
  const listed = TABLE[`${method} ${url}`];
  if (listed !== undefined) return listed;
  return method === 'GET' || method === 'HEAD' ? READ : ADMIN;
}

/** Rank of a role (0 = viewer). */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Whether a set of roles reaches `role` (the highest of them counts). */
export function hasRole(roles: readonly Role[], role: Role): boolean {
  return roles.some((r) => roleRank(r) >= roleRank(role));
}

/** The scopes a set of roles allows: read for all, write from analyst, admin for admin. */
export function scopesOfRoles(roles: readonly Role[]): Scope[] {
  const out: Scope[] = ['read'];
  if (hasRole(roles, 'analyst')) out.push('write');
  if (hasRole(roles, 'admin')) out.push('admin');
  return out;
}

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

export function isScope(text: string): text is Scope {
  return (SCOPES as readonly string[]).includes(text);
}
