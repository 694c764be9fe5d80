/** @hoshimi/store: the catalog store interface and its embedded SQLite implementation. */
export * from './catalog-store.js';
