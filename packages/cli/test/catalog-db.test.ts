/**
 * The database rules of every command that takes `--db`, end to end (the real command in a child
 * process, real SQLite files): reading commands and every `--help` never create a database, a
 * missing one is `STORE_NOT_FOUND` naming the path, and a write-protected database in a
 * write-protected folder can still be queried (run as an unprivileged user when the tests run as
 * root, which file modes do not stop).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-db-'));
chmodSync(dir, 0o755);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function hoshimi(args: readonly string[], options: { uid?: number; gid?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOSHIMI_DB: join(dir, 'never-from-env.db') },
    ...options,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ISS = [
  'ISS (ZARYA)',
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
  '',
].join('\n');

describe('databases', () => {
  it('reading commands refuse a missing database, naming it, and create nothing', () => {
    const missing = join(dir, 'missing.db');
    const runs: string[][] = [
      ['catalog', 'list'],
      ['catalog', 'show', '25544'],
      ['catalog', 'history', '25544'],
      ['catalog', 'diff', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-02T00:00:00Z'],
      ['catalog', 'export', '--format', 'tle'],
      ['catalog', 'log'],
      ['propagate', '--as-of', '2008-09-21T00:00:00Z', '--minutes', '0:10:10'],
      ['screen', '--as-of', '2008-09-21T00:00:00Z', '--days', '1', '--workers', '1'],
      ['events', 'list'],
    ];
    for (const args of runs) {
      const r = hoshimi([...args, '--db', missing]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain('[STORE_NOT_FOUND]');
      expect(r.stderr, args.join(' ')).toContain(missing);
      expect(r.stderr, args.join(' ')).not.toContain('    at ');
      expect(existsSync(missing), args.join(' ')).toBe(false);
    }
  });

  it('--help on every command that takes --db prints help and creates nothing', () => {
    const missing = join(dir, 'help.db');
    const runs: string[][] = [
      ['catalog', 'import'],
      ['catalog', 'list'],
      ['catalog', 'show'],
      ['catalog', 'history'],
      ['catalog', 'diff'],
      ['catalog', 'export'],
      ['catalog', 'sync'],
      ['catalog', 'log'],
      ['propagate'],
      ['screen'],
      ['events', 'list'],
      ['events', 'import'],
    ];
    for (const args of runs) {
      const r = hoshimi([...args, '--help', '--db', missing]);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/^Usage: hoshimi/);
      expect(existsSync(missing), args.join(' ')).toBe(false);
    }
    expect(existsSync(join(dir, 'never-from-env.db'))).toBe(false);
  });

  it('queries a write-protected database in a write-protected folder', () => {
    const folder = join(dir, 'protected');
    mkdirSync(folder);
    const db = join(folder, 'catalog.db');
    const tle = join(dir, 'iss.3le');
    writeFileSync(tle, ISS);
    expect(hoshimi(['catalog', 'import', tle, '--db', db]).status).toBe(0);
    chmodSync(db, 0o444);
    chmodSync(folder, 0o555);
    try {
      const list = hoshimi(['catalog', 'list', '--as-of', '2008-09-21T00:00:00Z', '--db', db], asUser);
      expect(list.stderr).toContain('1 objects');
      expect(list.stdout).toContain('ISS (ZARYA)');
      const show = hoshimi(
        ['catalog', 'show', '25544', '--as-of', '2008-09-21T00:00:00Z', '--json', '--db', db],
        asUser,
      );
      expect(show.status).toBe(0);
      expect(JSON.parse(show.stdout).latest_epoch_utc).toBe('2008-09-20T12:25:40.104192Z');
      const prop = hoshimi(
        [
          'propagate',
          '--db',
          db,
          '--as-of',
          '2008-09-21T00:00:00Z',
          '--minutes',
          '0:10:10',
          '--workers',
          '1',
        ],
        asUser,
      );
      expect(prop.stderr).toContain('1 objects with an element set');
      expect(prop.status).toBe(0);
      const events = hoshimi(['events', 'list', '--db', db], asUser);
      expect(events.stderr).toContain('0 events');
      expect(events.status).toBe(0);
      // Writing is refused with a clear line, not a stack trace.
      const imp = hoshimi(['catalog', 'import', tle, '--db', db, '--source', 'other'], asUser);
      expect(imp.status).not.toBe(0);
      expect(imp.stderr).not.toContain('    at ');
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(db, 0o644);
    }
  });
});
