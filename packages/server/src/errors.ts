/** The one error shape of the API: `{ code, message, field? }` with an HTTP status. */
import { StoreError } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return field === undefined ? { code, message } : { code, message, field };
}

/** Thrown by route handlers for a client error that validation cannot see (a missing object, a bad range). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * The error and not-found handlers of every Hoshimi listener (the API and the node exchange): an
 * ApiError as its status and body; a schema validation failure as 400 BAD_REQUEST naming the field
 * (a missing or unknown parameter, else the failing path); another client error as its status; a
 * part the store does not implement (StoreError STORE_UNSUPPORTED: the node exchange and case files
 * on PostgreSQL) as 501 STORE_UNSUPPORTED saying what is missing; the rest as 500 without
 * internals (logged on the server).
 */
export function registerErrorHandlers(app: FastifyInstance): void {
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
      // The parameter named by the error: a missing one, an unknown one, else the failing path.
      const named = first?.params?.['missingProperty'] ?? first?.params?.['additionalProperty'];
      const field = [e.validationContext, typeof named === 'string' ? named : path]
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
    if (error instanceof StoreError && error.code === 'STORE_UNSUPPORTED') {
      reply.status(501).send(errorBody('STORE_UNSUPPORTED', error.message));
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
}
