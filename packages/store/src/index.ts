/** @hoshimi/store: the catalog store interface, its embedded SQLite and its PostgreSQL implementation. */
export * from './audit-chain.js';
export {
  type AuditAppend,
  type AuditListQuery,
  type AuditLog,
  currentAuditActor,
  runWithAuditActor,
  SYSTEM_ACTOR,
} from './audit-log.js';
export { auditStoreWrites, STORE_WRITES } from './audit-store-writes.js';
export * from './case-exchange-store.js';
export * from './case-store.js';
export * from './catalog-store.js';
export { conjunctionRecord } from './conjunction-record.js';
export { DEFAULT_STALE_AFTER_DAYS } from './data-quality.js';
export { epochKeyFromIso, epochKeyFromJulian, isoFromEpochKey } from './epoch-key.js';
export { StoreError } from './errors.js';
export * from './exchange-store.js';
export * from './identity-store.js';
export {
  DEFAULT_HOME_ORGANISATION,
  MARKED_TABLES,
  markingColumns,
  markingFromColumns,
  markingOfRow,
  markingValues,
  type ReaderAccess,
  readableCondition,
  readerAccess,
  releasableCondition,
  releaseColumn,
} from './marking-sql.js';
export { CATALOG_SCHEMA_VERSION } from './migrations.js';
export { objectTypeFromName } from './object-type.js';
export * from './orbit-determination-store.js';
export {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  needsRehash,
  SCRYPT_PARAMETERS,
  type ScryptParameters,
  verifyPassword,
} from './password-hash.js';
export { AUDIT_LOCK, PostgresAuditLog, type PostgresAuditLogOptions } from './postgres-audit.js';
export {
  isPostgresUrl,
  openPostgresStore,
  PostgresCatalogStore,
  type PostgresStoreOptions,
  redactedUrl,
} from './postgres-store.js';
export { detectSatcatFormat, parseSatcat, type SatcatParse, type SatcatRecord } from './satcat.js';
export { launchSiteName, ownerCodesLike, ownerName } from './satcat-codes.js';
export { AUDIT_BUSY_RETRY_MS, SqliteAuditLog, type SqliteAuditLogOptions } from './sqlite-audit.js';
export { SqliteCaseExchangeStore } from './sqlite-case-exchange.js';
export { readable, SqliteCaseStore } from './sqlite-cases.js';
export { SqliteExchangeStore } from './sqlite-exchange.js';
export { DEFAULT_BATCH_LINES, elementContentHash, sourcePriority } from './sqlite-import.js';
export {
  migrateSqliteFile,
  openSqliteStore,
  SqliteCatalogStore,
  type SqliteOpenMode,
  type SqliteStoreOptions,
} from './sqlite-store.js';
export {
  type MigratedTable,
  type MigrateOptions,
  type MigrateProgress,
  type MigrateResult,
  migrateSqliteToPostgres,
} from './store-migrate.js';
export * from './sync/index.js';
