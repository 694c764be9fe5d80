/**
 * The error class of catalog sync (CelesTrak and Space-Track clients). Every failure carries a stable
 * string `code` and structured `details`; tests assert the code, never the message text. Details
 * never hold credentials.
 */

/** Every code a sync failure can carry. */
export const SYNC_ERROR_CODES = [
  /** Space-Track needs an identity and a password (options or SPACETRACK_IDENTITY / SPACETRACK_PASSWORD). */
  'SYNC_NO_CREDENTIALS',
  /** Space-Track refused the identity/password, or set no session cookie. */
  'SYNC_LOGIN_FAILED',
  /** Still 401 after one fresh login. */
  'SYNC_SESSION_EXPIRED',
  /** A status that is not retried (403, 404, ...). */
  'SYNC_HTTP',
  /** 429/5xx or network failures outlasted the retry budget. */
  'SYNC_RETRIES_EXHAUSTED',
  /** The service asked to wait longer (Retry-After) than the configured maximum. */
  'SYNC_RATE_LIMITED',
  /** The service answered with an error document instead of data (e.g. Space-Track {"error": ...}). */
  'SYNC_SERVICE_ERROR',
  /** A query that cannot be sent (bad catalog number, empty id list, bad dates, ...). */
  'SYNC_BAD_QUERY',
  /** The sink (store import) threw while taking a response. */
  'SYNC_SINK_FAILED',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: SyncErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.details = details;
  }
}
