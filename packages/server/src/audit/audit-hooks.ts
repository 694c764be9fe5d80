/**
 * Every request, logged: an `onResponse` hook appends one audit record per request to the store's
 * audit log — allowed and denied alike, including requests refused before any route ran (401 and
 * 403 from authentication, 404 from the not-found handler). The actor is the request's principal
 * (null: anonymous); an `onRequest` hook also makes it the actor of every store write the request
 * causes (audit-log.ts `runWithAuditActor`, read when the write is logged, after authentication).
 *
 * Outcome by status: < 400 allowed; 401, 403, 404 and 429 denied (a record the reader may not see
 * answers 404, so a 404 is a refusal as far as the log can tell); any other status failed.
 *
 * Never logged: request bodies (passwords), headers (cookies, Authorization, CSRF tokens) and query
 * values under a secret-looking name (redactSecrets); query values are cut at MAX_QUERY_VALUE.
 * The record is appended after the response has been sent, so logging adds no latency; a failed
 * append is written to the server log as an error (the response has already gone).
 */
import {
  type AuditActor,
  type AuditAppend,
  type AuditOutcome,
  redactSecrets,
  runWithAuditActor,
} from '@hoshimi/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// The declaration of request.principal.
import type {} from '../auth/principal.js';

/** Longest query value kept in a record, characters. */
const MAX_QUERY_VALUE = 200;

/** The actor of a request: its principal, or anonymous. */
export function actorOfRequest(request: FastifyRequest): AuditActor {
  // `principal` is declared by auth/principal.ts; it is undefined until authentication decorates it.
  const p = request.principal ?? null;
  if (p === null) return { username: null, organisation: null, via: 'anonymous' };
  return { username: p.username, organisation: p.reader.organisation, via: p.via };
}

/** Outcome class of an HTTP status. */
export function outcomeOfStatus(status: number): AuditOutcome {
  if (status < 400) return 'allowed';
  if (status === 401 || status === 403 || status === 404 || status === 429) return 'denied';
  return 'failed';
}

function queryDetails(query: unknown): Record<string, unknown> | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  const entries = Object.entries(query as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, 32)) {
    const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    out[k.slice(0, 64)] = text.length > MAX_QUERY_VALUE ? `${text.slice(0, MAX_QUERY_VALUE)}…` : text;
  }
  return redactSecrets(out);
}

/** The audit entry of a finished request. */
export function requestAuditEntry(request: FastifyRequest, reply: FastifyReply): AuditAppend {
  const path = request.url.split('?')[0] ?? request.url;
  const status = reply.statusCode;
  const principal = request.principal ?? null;
  const query = queryDetails(request.query);
  return {
    actor: actorOfRequest(request),
    action: `http.${request.method} ${path}`,
    target: path,
    outcome: outcomeOfStatus(status),
    status,
    details: {
      route: request.routeOptions.url ?? null,
      requestId: request.id,
      ip: request.ip,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(query === undefined ? {} : { query }),
      ...(principal?.tokenId === undefined ? {} : { tokenId: principal.tokenId }),
    },
  };
}

/**
 * Adds the audit hooks to the root instance (before any route is registered, so that every route
 * and the not-found handler inherit them). Does nothing when the store has no audit log.
 */
export function registerAuditHooks(app: FastifyInstance): void {
  const log = app.store.audit;
  if (log === undefined) return;
  app.addHook('onRequest', (request, _reply, done) => {
    runWithAuditActor(() => actorOfRequest(request), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    try {
      await log.append(requestAuditEntry(request, reply));
    } catch (e) {
      request.log.error({ err: e }, 'audit: the record of this request could not be appended');
    }
  });
}
