/**
 * How the SQLite store opens a file: a missing file is created only when asked ('create'), never by
 * a reader ('read', 'write' refuse with STORE_NOT_FOUND and leave no file behind); a read-only open
 * refuses writes and reads a write-protected file in a write-protected folder (checked in a child
 * process without root's bypass of file permissions); several processes creating the same new file
 * at once all succeed, each migration applied exactly once.
 *
 * The child processes run the built store (`dist/`, `npx tsc -b` first), as the CLI does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_MIGRATION_NAMES, CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { migrateSqliteFile, openSqliteStore } from '../src/sqlite-store.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const DIST = resolve(here, '../dist/index.js');
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-open-'));
chmodSync(dir, 0o755);
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const ISS = [
  'ISS (ZARYA)',
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
].join('\n');

/** Runs a child process as an unprivileged user when the tests run as root (root ignores file modes). */
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('opening a catalog database', () => {
  it('refuses a missing file in read and write mode, naming it, and creates nothing', async () => {
    for (const mode of ['read', 'write'] as const) {
      const path = join(dir, `missing-${mode}.db`);
      await expect(openSqliteStore(path, { mode })).rejects.toMatchObject({
        code: 'STORE_NOT_FOUND',
        details: { path },
      });
      expect(existsSync(path)).toBe(false);
    }
  });

  it('reads in read mode and refuses writes there with STORE_READ_ONLY', async () => {
    const path = join(dir, 'read-mode.db');
    const w = await openSqliteStore(path);
    await w.importFile({ name: 'iss.3le', bytes: new TextEncoder().encode(ISS) });
    await w.close();
    const r = await openSqliteStore(path, { mode: 'read' });
    expect((await r.getObject('25544', '2008-09-21T00:00:00Z'))?.latest?.catalogNumber).toBe('25544');
    await expect(r.importFile({ name: 'again', bytes: new TextEncoder().encode(ISS) })).rejects.toMatchObject(
      {
        code: 'STORE_READ_ONLY',
      },
    );
    await expect(r.saveEvents([])).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    expect(await r.events()).toEqual([]);
    await r.close();
  });

  it('queries a write-protected file in a write-protected folder', async () => {
    const folder = join(dir, 'readonly-folder');
    mkdirSync(folder);
    const path = join(folder, 'catalog.db');
    const w = await openSqliteStore(path);
    await w.importFile({ name: 'iss.3le', bytes: new TextEncoder().encode(ISS) });
    await w.close();
    chmodSync(path, 0o444);
    chmodSync(folder, 0o555);
    try {
      const script = join(dir, 'read.mjs');
      writeFileSync(
        script,
        `import { openSqliteStore } from ${JSON.stringify(DIST)};
const s = await openSqliteStore(process.argv[2], { mode: 'read' });
const o = await s.getObject('25544', '2008-09-21T00:00:00Z');
await s.close();
process.stdout.write(o.latest.epochUtc);`,
      );
      chmodSync(script, 0o644);
      const r = spawnSync(process.execPath, [script, path], { encoding: 'utf8', ...asUser });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('2008-09-20T12:25:40.104192Z');
      expect(existsSync(`${path}-wal`)).toBe(false);
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(path, 0o644);
    }
  });

  it('upgrades an older file before reading it when writable, and refuses a write-protected one', async () => {
    const path = join(dir, 'old-writable.db');
    expect(await migrateSqliteFile(path, 3)).toBe(3);
    const r = await openSqliteStore(path, { mode: 'read' });
    expect(r.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    expect(await r.selectObjects({ owners: ['JPN'] })).toMatchObject({ catalogNumbers: [] });
    await r.close();

    const folder = join(dir, 'old-protected');
    mkdirSync(folder);
    const old = join(folder, 'old.db');
    expect(await migrateSqliteFile(old, 3)).toBe(3);
    chmodSync(old, 0o444);
    chmodSync(folder, 0o555);
    try {
      const script = join(dir, 'read-old.mjs');
      writeFileSync(
        script,
        `import { openSqliteStore } from ${JSON.stringify(DIST)};
try { await openSqliteStore(process.argv[2], { mode: 'read' }); process.stdout.write('opened'); }
catch (e) { process.stdout.write(e.code + ' ' + e.details.fileVersion); }`,
      );
      chmodSync(script, 0o644);
      const out = spawnSync(process.execPath, [script, old], { encoding: 'utf8', ...asUser });
      expect(out.stdout).toBe('STORE_NEEDS_UPGRADE 3');
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(old, 0o644);
    }
  });

  it('lets several processes create the same new database at once', async () => {
    const path = join(dir, 'parallel.db');
    const script = join(dir, 'create.mjs');
    writeFileSync(
      script,
      `import { openSqliteStore } from ${JSON.stringify(DIST)};
const [path, n, at] = process.argv.slice(2);
// All start together (the start time only makes the race likely; it decides nothing).
await new Promise((go) => setTimeout(go, Math.max(0, Number(at) - Date.now())));
const s = await openSqliteStore(path);
const tle = ${JSON.stringify(ISS)}.replace('ISS (ZARYA)', 'PROCESS ' + n);
const r = await s.importFile({ name: 'p' + n, source: 'p' + n, bytes: new TextEncoder().encode(tle) });
await s.close();
process.stdout.write(r.status);`,
    );
    const N = 6;
    const at = Date.now() + 1500;
    const runs = Array.from(
      { length: N },
      (_, i) =>
        new Promise<{ code: number | null; out: string; err: string }>((done) => {
          const child = spawn(process.execPath, [script, path, String(i), String(at)]);
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => {
            out += d;
          });
          child.stderr.on('data', (d) => {
            err += d;
          });
          child.on('close', (code) => done({ code, out, err }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r).toEqual({ code: 0, out: 'ok', err: '' });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(CATALOG_SCHEMA_VERSION);
    expect(db.prepare('SELECT name FROM kysely_migration ORDER BY name').all()).toEqual(
      CATALOG_MIGRATION_NAMES.map((name) => ({ name })),
    );
    expect(db.prepare('SELECT count(*) AS n FROM ingests').get()).toEqual({ n: N });
    expect(db.prepare('SELECT count(*) AS n FROM element_sets').get()).toEqual({ n: N });
    db.close();
  });
});
