/**
 * The audit-log contract (audit-contract.ts) on the SQLite store: a database is a file, a copy is a
 * copy of the file, raw access is a better-sqlite3 connection of its own, and the second writer
 * process opens the same file.
 *
 * The child processes run the built store (`dist/`, `npx tsc -b` first).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../src/sqlite-store.js';
import { type AuditTestDatabase, runAuditLogContract, STORE_DIST } from './audit-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;

function sqliteDatabase(path: string): AuditTestDatabase {
  return {
    open: (options = {}) =>
      openSqliteStore(path, {
        mode: options.readOnly === true ? 'read' : 'create',
        ...(options.auditCheckpoints === undefined ? {} : { auditCheckpoints: options.auditCheckpoints }),
      }),
    sql: async (text) => {
      const db = new Database(path);
      try {
        db.exec(text);
      } finally {
        db.close();
      }
    },
    dropTriggers: async () => {
      const db = new Database(path);
      db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
        DROP TRIGGER audit_log_extends_head;`);
      db.close();
    },
    copy: async () => {
      const copy = join(dir, `audit-${++fileCounter}.db`);
      copyFileSync(path, copy);
      return sqliteDatabase(copy);
    },
    childOpen: () => `
      const { openSqliteStore } = await import(${JSON.stringify(STORE_DIST)});
      const s = await openSqliteStore(${JSON.stringify(path)}, { mode: 'write' });`,
  };
}

runAuditLogContract('SQLite', async () => sqliteDatabase(join(dir, `audit-${++fileCounter}.db`)));
