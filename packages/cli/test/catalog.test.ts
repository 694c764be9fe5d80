/**
 * `hoshimi catalog …` end to end: the real command in a child process, a real SQLite file, real
 * reference files, and the loopback imitation of CelesTrak and Space-Track for sync.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseElements } from '@hoshimi/astro';
import { SYSTEM_SYNC_CLOCK } from '@hoshimi/store';
import { describe, expect, it } from 'vitest';
import { startSyncTestServer } from '../../store/test/sync-server.js';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const CATALOG_2019 = join(DATA, 'catalog/full_catalog_2019-03-19.3le.txt.gz');
const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
const SPOT5 = join(DATA, 'history/orekit/spot-5.tle');

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function hoshimi(db: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', db], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Async variant, for runs that talk to a server living in this process. */
function hoshimiAsync(env: NodeJS.ProcessEnv, db: string, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args, '--db', db], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

function freshDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'hoshimi-catalog-')), 'hoshimi.db');
}

describe('hoshimi catalog', () => {
  it('imports a catalog once, lists, shows and exports it', () => {
    const db = freshDb();
    const first = hoshimi(
      db,
      'catalog',
      'import',
      CATALOG_2023,
      '--source',
      'spacetrack',
      '--label',
      'REL TO USA, JPN',
    );
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('26140 element sets read, 26140 stored');
    const again = hoshimi(
      db,
      'catalog',
      'import',
      CATALOG_2023,
      '--source',
      'spacetrack',
      '--label',
      'REL TO USA, JPN',
    );
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already imported');
    // The same element sets from another source are kept too (the as-of rule picks between them).
    const other = hoshimi(db, 'catalog', 'import', CATALOG_2023, '--source', 'celestrak');
    expect(other.stderr).toContain('26140 stored');

    const list = hoshimi(
      db,
      'catalog',
      'list',
      '--type',
      'debris',
      '--name',
      'COSMOS 1408',
      '--as-of',
      '2023-10-10T00:00:00Z',
    );
    expect(list.status).toBe(0);
    // The 2023 snapshot holds 105 objects named COSMOS 1408 DEB.
    expect(list.stderr).toContain('105 objects');

    const show = hoshimi(db, 'catalog', 'show', '25544', '--as-of', '2023-10-10T00:00:00Z', '--json');
    const obj = JSON.parse(show.stdout) as {
      name: string;
      latest_label: string;
      stale: boolean;
      age_days: number;
    };
    expect(obj.name).toBe('ISS (ZARYA)');
    expect(obj.latest_label).toBe('REL TO USA, JPN');
    expect(obj.stale).toBe(false);
    expect(obj.age_days).toBeGreaterThan(0);
    expect(obj.age_days).toBeLessThan(1);

    for (const format of ['3le', 'omm-json', 'omm-csv', 'omm-xml'] as const) {
      const out = join(mkdtempSync(join(tmpdir(), 'hoshimi-export-')), `export.${format}`);
      const r = hoshimi(
        db,
        'catalog',
        'export',
        '--as-of',
        '2023-10-10T00:00:00Z',
        '--format',
        format,
        '--out',
        out,
      );
      expect(r.status).toBe(0);
      const parsed = parseElements(readFileSync(out, 'utf8'));
      if (!parsed.ok) throw new Error(`${format}: ${JSON.stringify(parsed.issues)}`);
      // Objects whose only element set has an epoch after 2023-10-10 are not in the as-of view.
      expect(parsed.value.records.length).toBeGreaterThan(26000);
      expect(parsed.value.rejected).toHaveLength(0);
      // The OMM header the standard requires: a creation date (today, UTC) and the originator.
      if (format === 'omm-xml') {
        const head = readFileSync(out, 'utf8').slice(0, 2000);
        expect(head).toMatch(/<CREATION_DATE>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}<\/CREATION_DATE>/);
        expect(head).toContain('<ORIGINATOR>HOSHIMI</ORIGINATOR>');
      }
    }
  });

  it('keeps every epoch of a history and diffs two states of the catalog', () => {
    const db = freshDb();
    expect(hoshimi(db, 'catalog', 'import', SPOT5).status).toBe(0);
    const history = hoshimi(db, 'catalog', 'history', '27421', '--json');
    expect((JSON.parse(history.stdout) as unknown[]).length).toBe(250);

    expect(hoshimi(db, 'catalog', 'import', CATALOG_2019).status).toBe(0);
    expect(hoshimi(db, 'catalog', 'import', CATALOG_2023).status).toBe(0);
    const diff = hoshimi(
      db,
      'catalog',
      'diff',
      '--from',
      '2019-03-25T00:00:00Z',
      '--to',
      '2023-10-19T00:00:00Z',
      '--json',
    );
    expect(diff.status).toBe(0);
    const d = JSON.parse(diff.stdout) as { appeared: { catalogNumber: string }[]; disappeared: unknown[] };
    // STARLINK-1007 (44713, launched 2019-11-11) appeared between the two snapshots.
    expect(d.appeared.some((o) => o.catalogNumber === '44713')).toBe(true);
    expect(d.appeared.length).toBeGreaterThan(5000);
    expect(d.disappeared.length).toBeGreaterThan(1000);
  });

  it('propagates the store’s catalog as of a time', () => {
    const db = freshDb();
    expect(hoshimi(db, 'catalog', 'import', SPOT5).status).toBe(0);
    const r = hoshimi(
      db,
      'propagate',
      '--as-of',
      '2002-06-01T00:00:00Z',
      '--minutes',
      '0:0:1',
      '--format',
      'json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { objects: { id: string; epoch_utc: string }[] };
    expect(doc.objects).toHaveLength(1);
    // The latest of SPOT-5's element sets with an epoch on or before 2002-06-01.
    const parsed = parseElements(readFileSync(SPOT5, 'utf8'));
    if (!parsed.ok) throw new Error('spot-5.tle did not parse');
    const limit = 2452426.5; // JD of 2002-06-01T00:00Z
    const before = parsed.value.records
      .map((x) => x.elements.epoch.jd + x.elements.epoch.jdFrac)
      .filter((jd) => jd <= limit)
      .sort((a, b) => a - b);
    const want = before[before.length - 1]!;
    const got = doc.objects[0]!.epoch_utc;
    const gotJd = Date.parse(got) / 86_400_000 + 2440587.5;
    expect(Math.abs(gotJd - want) * 86400).toBeLessThan(1e-3);
    expect(hoshimi(db, 'propagate', '--elements', SPOT5, '--as-of', '2002-06-01T00:00:00Z').status).toBe(2);
  });

  it('reports bad records and refuses unusable files without touching the store', () => {
    const db = freshDb();
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bad-'));
    const lines = readFileSync(SPOT5, 'utf8').split(/\r?\n/);
    const bad = join(dir, 'mixed.tle');
    writeFileSync(
      bad,
      [lines[0], lines[1], lines[2]!.slice(0, 40), lines[3], lines[4]!.replace(/.$/, 'x')].join('\n'),
    );
    const r = hoshimi(db, 'catalog', 'import', bad);
    expect(r.stderr).toMatch(/mixed\.tle:3:\d+: \[TLE_TRUNCATED\]/);
    expect(r.stderr).toContain('1 stored');
    const empty = join(dir, 'empty.tle');
    writeFileSync(empty, '');
    const e = hoshimi(db, 'catalog', 'import', empty);
    expect(e.status).toBe(1);
    const log = JSON.parse(hoshimi(db, 'catalog', 'log', '--json').stdout) as {
      status: string;
      rejected: unknown[];
    }[];
    expect(log.map((l) => l.status).sort()).toEqual(['failed', 'partial']);
  });

  it('syncs from the CelesTrak and Space-Track imitations on loopback', async () => {
    const server = await startSyncTestServer({ clock: SYSTEM_SYNC_CLOCK });
    try {
      const db = freshDb();
      const ct = await hoshimiAsync(
        {},
        db,
        'catalog',
        'sync',
        '--from',
        'celestrak',
        '--celestrak-url',
        server.url,
      );
      expect(ct.status).toBe(0);
      expect(ct.stderr).toMatch(/sync celestrak: 1 requests/);
      // CelesTrak's etiquette: the same query is not sent again within two hours, unless forced.
      const sent = server.requests.length;
      const again = await hoshimiAsync(
        {},
        db,
        'catalog',
        'sync',
        '--from',
        'celestrak',
        '--celestrak-url',
        server.url,
      );
      expect(again.status).toBe(0);
      expect(again.stderr).toContain('skipped celestrak:GROUP=active');
      expect(server.requests.length).toBe(sent);
      const forced = await hoshimiAsync(
        {},
        db,
        'catalog',
        'sync',
        '--from',
        'celestrak',
        '--celestrak-url',
        server.url,
        '--force',
      );
      expect(forced.stderr).toMatch(/sync celestrak: 1 requests/);
      expect(server.requests.length).toBe(sent + 1);
      const env = { SPACETRACK_IDENTITY: server.identity, SPACETRACK_PASSWORD: server.password };
      const st = await hoshimiAsync(
        env,
        db,
        'catalog',
        'sync',
        '--from',
        'spacetrack',
        '--spacetrack-url',
        server.url,
        '--history',
        '27421',
        '--history-from',
        '2002-05-01',
        '--history-to',
        '2002-07-01',
      );
      // The current-catalog query finds nothing (the imitation's data is from 2023); the history
      // query brings SPOT-5's 250 element sets.
      expect(st.stderr).toContain('250 element sets read, 250 stored');
      expect(st.stderr).toMatch(/sync spacetrack: \d+ requests/);
      expect(st.status).toBe(0);
      const noCreds = await hoshimiAsync(
        { SPACETRACK_IDENTITY: '', SPACETRACK_PASSWORD: '' },
        db,
        'catalog',
        'sync',
        '--from',
        'spacetrack',
        '--spacetrack-url',
        server.url,
      );
      expect(noCreds.status).not.toBe(0);
      expect(noCreds.stderr).toContain('SYNC_NO_CREDENTIALS');
      const log = JSON.parse(hoshimi(db, 'catalog', 'log', '--json').stdout) as { source: string }[];
      expect(new Set(log.map((l) => l.source))).toEqual(new Set(['celestrak', 'spacetrack']));
    } finally {
      await server.close();
    }
  });
});
