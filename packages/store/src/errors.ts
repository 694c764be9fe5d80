/**
 * The error class of @hoshimi/store. Every failure carries a stable string `code` and structured
 * `details`; tests assert the code, never the message text.
 *
 * Codes: STORE_TOO_NEW (the database was written by a newer schema version), STORE_MIGRATION_FAILED,
 * STORE_BAD_TIME (an ISO time argument that does not parse), STORE_BAD_CATALOG_NUMBER,
 * IMPORT_ABORTED (an import stopped mid-way by its AbortSignal or an exception; rolled back),
 * STORE_CLOSED, STORE_OPEN_FAILED (a missing folder, or a file that is not a SQLite database),
 * STORE_BAD_OBJECT_TYPE, STORE_BAD_DATE (a date argument not in YYYY-MM-DD form), STORE_NOT_FOUND (a database opened for reading or writing that does not
 * exist), STORE_READ_ONLY (a write to a store opened read-only), STORE_NEEDS_UPGRADE (a read-only
 * file of an older schema version), STORE_BUSY (the schema lock not obtained within the busy timeout),
 * STORE_BAD_EVENT (a detection event record that is not valid: details index and issues),
 * STORE_CONFLICT (an exchange bundle appended out of turn: another process built it first),
 * STORE_BAD_ELEMENTS (a received exchange bundle holds an element set SGP4 cannot use; nothing stored),
 * STORE_MIGRATE_SCHEMA (a SQLite store to copy into PostgreSQL has another schema version, or the
 * tables differ), STORE_MIGRATE_TARGET_NOT_EMPTY (the PostgreSQL database to copy into holds rows),
 * STORE_CONNECTION_LOST (the PostgreSQL session of an import ended: server restart, terminated
 * backend, network; details.duringCommit says whether the outcome is unknown).
 */
export class StoreError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.details = details;
  }
}
