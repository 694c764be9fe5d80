/**
 * Markings from the command line, end to end (the real command, a real SQLite file): `store
 * settings` reads and changes the levels and the home organisation; `catalog import` and `events
 * import` stamp the marking of --marking, --originator and --data-mode (checked against the
 * store's levels); the listings print each record's banner.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hoshimi } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-mk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ISS = [
  'ISS (ZARYA)',
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
  '',
].join('\n');

describe('markings on the command line', () => {
  const db = join(dir, 'm.db');
  const tle = join(dir, 'iss.3le');
  writeFileSync(tle, ISS);

  it('store settings: defaults, then new levels and organisation', () => {
    const first = hoshimi('store', 'settings', '--db', db, '--organisation', 'jspoc');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET');
    expect(first.stdout).toContain('home organisation: JSPOC');
    const json = hoshimi('store', 'settings', '--db', db, '--json');
    expect(JSON.parse(json.stdout)).toEqual({
      levels: ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET'],
      homeOrganisation: 'JSPOC',
    });
    const bad = hoshimi('store', 'settings', '--db', db, '--levels', 'A//B');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[USAGE] --levels: classification level');
  });

  it('catalog import stamps the marking; history, show and list print it', () => {
    const r = hoshimi(
      'catalog',
      'import',
      tle,
      '--db',
      db,
      '--marking',
      'SECRET//REL TO USA, JPN',
      '--originator',
      'USSF',
      '--data-mode',
      'exercise',
    );
    expect(r.status, r.stderr).toBe(0);
    const h = hoshimi('catalog', 'history', '25544', '--db', db, '--json');
    expect(JSON.parse(h.stdout)[0]).toMatchObject({
      marking: 'SECRET//REL TO JPN, USA',
      originator: 'USSF',
      data_mode: 'EXERCISE',
      label: 'SECRET//REL TO JPN, USA',
    });
    const show = hoshimi('catalog', 'show', '25544', '--db', db);
    expect(show.stdout).toContain('marking SECRET//REL TO JPN, USA [USSF, EXERCISE]');
    const list = hoshimi('catalog', 'list', '--db', db, '--as-of', '2008-09-21T00:00:00Z');
    expect(list.stdout).toMatch(/25544.*SECRET\/\/REL TO JPN, USA/);
    const log = hoshimi('catalog', 'log', '--db', db);
    expect(log.stdout).toContain('SECRET//REL TO JPN, USA [USSF, EXERCISE]');
  });

  it('an unknown level or a malformed banner is refused and stores nothing', () => {
    const fresh = join(dir, 'n.db');
    const r = hoshimi('catalog', 'import', tle, '--db', fresh, '--marking', 'TOP SECRET');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('MARKING_LEVEL');
    const r2 = hoshimi('catalog', 'import', tle, '--db', fresh, '--marking', 'SECRET//NOFORN');
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('MARKING_FORMAT');
    expect(hoshimi('catalog', 'history', '25544', '--db', fresh).status).toBe(1);
    // Default: public, from the home organisation.
    expect(hoshimi('catalog', 'import', tle, '--db', fresh).status).toBe(0);
    expect(
      JSON.parse(hoshimi('catalog', 'history', '25544', '--db', fresh, '--json').stdout)[0],
    ).toMatchObject({
      marking: 'UNCLASSIFIED',
      originator: 'LOCAL',
      data_mode: 'REAL',
      label: 'UNMARKED',
    });
  });

  it('events import stamps the marking; list prints it; its JSON imports back with it', () => {
    const events = join(dir, 'events.json');
    writeFileSync(
      events,
      JSON.stringify([
        {
          type: 'maneuver',
          objects: ['25544'],
          timeUtc: '2008-09-21T00:00:00Z',
          windowStartUtc: '2008-09-21T00:00:00Z',
          windowEndUtc: '2008-09-21T06:00:00Z',
          kind: 'orbit-raising',
          score: 12,
          threshold: 5,
          detector: 'element-consistency',
          detectorVersion: '1.0.0',
          evidence: {},
          inputs: {},
        },
      ]),
    );
    const r = hoshimi('events', 'import', events, '--db', db, '--marking', 'CONFIDENTIAL//REL TO JPN');
    expect(r.status, r.stderr).toBe(0);
    const list = hoshimi('events', 'list', '--db', db);
    expect(list.stdout).toContain('CONFIDENTIAL//REL TO JPN [JSPOC, REAL]');
    const json = hoshimi('events', 'list', '--db', db, '--json');
    const [record] = JSON.parse(json.stdout);
    expect(record.marking).toEqual({
      classification: 'CONFIDENTIAL',
      releasableTo: ['JPN'],
      originator: 'JSPOC',
      dataMode: 'REAL',
    });
    const other = join(dir, 'o.db');
    const back = join(dir, 'back.json');
    writeFileSync(back, json.stdout);
    expect(hoshimi('events', 'import', back, '--db', other).status).toBe(0);
    expect(JSON.parse(hoshimi('events', 'list', '--db', other, '--json').stdout)[0].marking).toEqual(
      record.marking,
    );
  });
});
