/** The one error shape of the API: `{ code, message, field? }` with an HTTP status. */

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
