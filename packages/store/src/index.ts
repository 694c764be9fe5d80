/** @hoshimi/store: the catalog store interface and its embedded SQLite implementation. */
export * from './catalog-store.js';
export { conjunctionRecord } from './conjunction-record.js';
export { DEFAULT_STALE_AFTER_DAYS } from './data-quality.js';
export { epochKeyFromIso, epochKeyFromJulian, isoFromEpochKey } from './epoch-key.js';
export { StoreError } from './errors.js';
export * from './exchange-store.js';
export { CATALOG_SCHEMA_VERSION } from './migrations.js';
export { objectTypeFromName } from './object-type.js';
export { detectSatcatFormat, parseSatcat, type SatcatParse, type SatcatRecord } from './satcat.js';
export { launchSiteName, ownerCodesLike, ownerName } from './satcat-codes.js';
export { SqliteExchangeStore } from './sqlite-exchange.js';
export { DEFAULT_BATCH_LINES, elementContentHash, sourcePriority } from './sqlite-import.js';
export {
  migrateSqliteFile,
  openSqliteStore,
  SqliteCatalogStore,
  type SqliteOpenMode,
  type SqliteStoreOptions,
} from './sqlite-store.js';
export * from './sync/index.js';
