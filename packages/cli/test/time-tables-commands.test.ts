/**
 * Time tables never stop `screen` or the catalog commands: past the leap-second table's expiry the
 * last TAI − UTC is held and a warning names the file and its expiry date. The tables come from the
 * user data directory ($HOSHIMI_DATA_DIR), here one holding a copy of the reference leap-second file
 * whose expiry line is moved back to 2019, so that the 2023 catalog lies past it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatTleText, parseTleText } from '@hoshimi/astro';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);

function hoshimi(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('screen and catalog past the leap-second table expiry', () => {
  let dir = '';
  let env: Record<string, string> = {};
  let elements = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoshimi-tables-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const leap = readFileSync(join(DATA, 'earth/Leap_Second.dat'), 'utf8');
    const expired = leap.replace(/File expires on\s+\d+\s+\w+\s+\d{4}/, 'File expires on 28 June 2019');
    expect(expired).not.toBe(leap);
    writeFileSync(join(dataDir, 'Leap_Second.dat'), expired);
    env = { HOSHIMI_DATA_DIR: dataDir };
    const parsed = parseTleText(
      gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString('utf8'),
    );
    if (!parsed.ok) throw new Error('catalog did not parse');
    const sets = parsed.value.records
      .map((r) => r.elements)
      .filter((e) => e.epoch.jd + e.epoch.jdFrac > 2460225.5 && e.epoch.jd + e.epoch.jdFrac < 2460226.5)
      .slice(0, 200);
    elements = join(dir, 'subset.3le');
    writeFileSync(elements, formatTleText(sets));
  });

  it('screen holds the last offset and says so instead of stopping', () => {
    const r = hoshimi(
      env,
      'screen',
      '--elements',
      elements,
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '0.05',
      '--workers',
      '1',
    );
    expect(r.stderr).toContain('[LEAP_SECONDS_EXPIRED]');
    expect(r.stderr).toContain('2019-06-28');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id1,id2,tca_utc/);
  });

  it('catalog commands hold the last offset and say so instead of stopping', () => {
    const db = join(dir, 'catalog.db');
    const imp = hoshimi(env, 'catalog', 'import', elements, '--db', db);
    expect(imp.status).toBe(0);
    const list = hoshimi(env, 'catalog', 'list', '--db', db, '--as-of', '2023-10-10T00:00:00Z', '--json');
    expect(list.stderr).toContain('[LEAP_SECONDS_EXPIRED]');
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(200);
  });
});
