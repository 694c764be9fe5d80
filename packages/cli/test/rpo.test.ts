/**
 * `hoshimi rpo` end to end and the screening labels: a subset of the real 2023-10-09 catalog (the
 * ISS with its visiting vehicles and its orbital neighbours, the GEO belt from 35°W to 25°E), the
 * text and JSON outputs with DetectionEvent records, and `hoshimi screen` listing the ISS's docked
 * vehicles apart from its close approaches.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatTleText, gstimeSgp4, parseTleText, rpoRegime, semiMajorAxisKm } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');

/** The ISS's neighbours (inclination within 0.6°, a within 30 km) and the GEO objects from 35°W to 25°E. */
function subsetFile(): string {
  const parsed = parseTleText(gunzipSync(readFileSync(CATALOG_2023)).toString('utf8'));
  if (!parsed.ok) throw new Error('catalog did not parse');
  const all = parsed.value.records.map((r) => r.elements);
  const iss = all.find((e) => e.catalogNumber === '25544')!;
  // GEO: the belt from 35°W to 25°E (mean longitude at epoch).
  const inBelt = (e: (typeof all)[number]) => {
    const ra = e.raanRad + e.argPerigeeRad + e.meanAnomalyRad;
    const lon =
      ((((((ra - gstimeSgp4(e.epoch.jd + e.epoch.jdFrac)) * 180) / Math.PI) % 360) + 540) % 360) - 180;
    return lon > -35 && lon < 25;
  };
  const sets = all.filter(
    (e) =>
      (rpoRegime(e) === 'GEO' && inBelt(e)) ||
      (Math.abs(e.inclinationRad - iss.inclinationRad) < 0.01 &&
        Math.abs(semiMajorAxisKm(e) - semiMajorAxisKm(iss)) < 30),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'hoshimi-rpo-')), 'subset.3le');
  writeFileSync(file, formatTleText(sets));
  return file;
}

describe('hoshimi rpo', () => {
  const subset = subsetFile();
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-rpo-out-'));

  it('JSON: findings with labels, alarms, and DetectionEvent records', () => {
    const out = join(dir, 'rpo.json');
    const r = hoshimi(
      'rpo',
      '--elements',
      subset,
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '3',
      '--json',
      '--all',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rpo: \d+ objects .* findings, \d+ alarms .* labels: .*attached \d+/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.window).toEqual({ start_utc: '2023-10-09T00:00:00.000000Z', days: 3 });
    const find = (a: string, b: string) =>
      doc.findings.find(
        (f: { target: { catalogNumber: string }; chaser: { catalogNumber: string } }) =>
          [f.target.catalogNumber, f.chaser.catalogNumber].sort().join('/') === [a, b].sort().join('/'),
      );
    // Cygnus NG-19 berthed at the ISS: attached, not an alarm.
    const cygnus = find('25544', '57488');
    expect(cygnus.labels[0].kind).toBe('attached');
    expect(cygnus.alarm).toBe(false);
    expect(cygnus.min_range_km).toBeLessThan(1);
    // Luch (Olymp) next to Intelsat 37e: an alarm, with its RTN summary.
    const luch = find('40258', '42950');
    expect(luch.alarm).toBe(true);
    expect(luch.kind).toBe('persistent-proximity');
    expect(Math.abs(luch.rtn_km.inTrack.mean)).toBeLessThan(50);
    // One event per finding, typed for the events store.
    expect(doc.events).toHaveLength(doc.findings.length);
    const types = new Set(doc.events.map((e: { type: string }) => e.type));
    expect(types).toContain('attached');
    expect(types).toContain('proximity');
    expect(types).toContain('co-location');
    const ev = doc.events.find((e: { objects: string[] }) => e.objects.includes('57488'));
    expect(ev.detector).toBe('hoshimi-rpo');
    expect(ev.type).toBe('attached');
  });

  it('text: alarms only by default, one line each', () => {
    const r = hoshimi('rpo', '--elements', subset, '--from', '2023-10-09T00:00:00Z', '--days', '3');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => l.startsWith('ALARM\t'))).toBe(true);
    expect(lines.some((l) => l.includes('LUCH (OLYMP)') && l.includes('INTELSAT 37E'))).toBe(true);
    expect(r.stdout).not.toContain('CYGNUS');
  });

  it('--db --as-of: the latest sets in the store as of the time, the same findings as the file', () => {
    const db = join(dir, 'catalog.sqlite');
    const imp = hoshimi('catalog', 'import', subset, '--db', db);
    expect(imp.status, imp.stderr).toBe(0);
    const fromDb = hoshimi(
      'rpo',
      '--db',
      db,
      '--as-of',
      '2023-10-20T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--json',
    );
    expect(fromDb.status, fromDb.stderr).toBe(0);
    const fromFile = hoshimi('rpo', '--elements', subset, '--from', '2023-10-09T00:00:00Z', '--json');
    const pairs = (out: string) =>
      JSON.parse(out)
        .findings.map((f: { target: { catalogNumber: string }; chaser: { catalogNumber: string } }) =>
          [f.target.catalogNumber, f.chaser.catalogNumber].join('/'),
        )
        .sort();
    expect(pairs(fromDb.stdout).length).toBeGreaterThan(0);
    expect(pairs(fromDb.stdout)).toEqual(pairs(fromFile.stdout));
    expect(JSON.parse(fromDb.stdout).events[0].inputs.source).toContain('as of 2023-10-20T00:00:00Z');
  });

  it('--satcat and --db: same-owner GEO co-locations are operator clusters, other pairs unchanged', () => {
    const satcat = join(DATA, 'satcat/spacetrack_satcat_current_2025-03-16.json.gz');
    const run = (...extra: string[]) => {
      const r = hoshimi('rpo', ...extra, '--from', '2023-10-09T00:00:00Z', '--json', '--all');
      expect(r.status, r.stderr).toBe(0);
      return { doc: JSON.parse(r.stdout), stderr: r.stderr };
    };
    type F = {
      target: { catalogNumber: string };
      chaser: { catalogNumber: string };
      alarm: boolean;
      labels: { kind: string; reason: string }[];
    };
    const pair = (doc: { findings: F[] }, a: string, b: string) =>
      doc.findings.find(
        (f) => [f.target.catalogNumber, f.chaser.catalogNumber].sort().join('/') === [a, b].sort().join('/'),
      );
    const plain = run('--elements', subset);
    const owned = run('--elements', subset, '--satcat', satcat);
    expect(owned.stderr).toMatch(/owners known for \d+ of \d+ element sets/);
    // Spainsat and Hispasat 30W-6 (both SATCAT owner SPN) share the 30°W slot.
    expect(pair(plain.doc, '28945', '43228')?.alarm).toBe(true);
    const spn = pair(owned.doc, '28945', '43228')!;
    expect(spn.alarm).toBe(false);
    expect(spn.labels.map((l) => l.kind)).toEqual(['operator-cluster']);
    expect(spn.labels[0]!.reason).toContain('Spain');
    // Different owners: Luch (Olymp) and Intelsat 37e stay an alarm.
    expect(pair(owned.doc, '40258', '42950')?.alarm).toBe(true);
    expect(owned.doc.findings.length).toBe(plain.doc.findings.length);
    expect(owned.doc.findings.filter((f: F) => f.alarm).length).toBeLessThan(
      plain.doc.findings.filter((f: F) => f.alarm).length,
    );
    // The store: the same owners after a SATCAT import.
    const db = join(dir, 'owners.sqlite');
    expect(hoshimi('catalog', 'import', subset, satcat, '--db', db).status).toBe(0);
    const fromDb = run('--db', db, '--as-of', '2023-10-20T00:00:00Z');
    expect(pair(fromDb.doc, '28945', '43228')?.alarm).toBe(false);
    const bad = join(dir, 'not-satcat.json');
    writeFileSync(bad, '[{"A": 1}]');
    const r = hoshimi('rpo', '--elements', subset, '--satcat', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[SATCAT_INVALID]');
  });

  it('--plot: an SVG chart of the first alarm, or of --pair', () => {
    const first = join(dir, 'first.svg');
    const r = hoshimi('rpo', '--elements', subset, '--from', '2023-10-09T00:00:00Z', '--plot', first);
    expect(r.status, r.stderr).toBe(0);
    const firstAlarm = r.stdout.split('\n')[0]!;
    const svg = readFileSync(first, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const title of [
      'range (km)',
      'chaser in target RTN (km)',
      'in-track T (km)',
      'radial R (km)',
      'proximity threshold',
    ]) {
      expect(svg).toContain(`>${title}<`);
    }
    // The title names the pair of the first line of the report.
    const names = [...firstAlarm.matchAll(/\((.*?)\)/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const n of names.slice(0, 2)) expect(svg).toContain(n.replace(/&/g, '&amp;'));
    const luch = join(dir, 'luch.svg');
    const p = hoshimi(
      'rpo',
      '--elements',
      subset,
      '--from',
      '2023-10-09T00:00:00Z',
      '--plot',
      luch,
      '--pair',
      '42950,40258',
    );
    expect(p.status, p.stderr).toBe(0);
    const l = readFileSync(luch, 'utf8');
    expect(l).toContain('40258 LUCH (OLYMP) relative to 42950 INTELSAT 37E: persistent-proximity (alarm)');
    // Errors: an object not in the input (nothing written), --pair without --plot.
    const missing = join(dir, 'missing.svg');
    const u = hoshimi('rpo', '--elements', subset, '--plot', missing, '--pair', '42950,99999');
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('[RPO_PAIR_UNKNOWN]');
    expect(existsSync(missing)).toBe(false);
    const np = hoshimi('rpo', '--elements', subset, '--pair', '42950,40258');
    expect(np.status).toBe(2);
    expect(np.stderr).toContain('--pair needs --plot');
  });

  it('--db: propagate and rpo leave out the objects the SATCAT says decayed by the as-of date', () => {
    // A SATCAT (CelesTrak CSV) that says Cygnus NG-19 decayed on 2023-10-15: a test record, not history.
    const satcat = join(dir, 'decay.csv');
    writeFileSync(
      satcat,
      'OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n' +
        'CYGNUS NG-19,2023-110A,57488,PAY,D,US,2023-08-02,AFWOR,2023-10-15,92.8,51.6,420,410,,,EA,IMP\n',
    );
    const db = join(dir, 'decay.sqlite');
    expect(hoshimi('catalog', 'import', subset, satcat, '--db', db).status).toBe(0);
    const prop = (asOf: string) =>
      hoshimi(
        'propagate',
        '--db',
        db,
        '--as-of',
        asOf,
        '--from',
        '2023-10-09T00:00:00Z',
        '--to',
        '2023-10-09T01:00:00Z',
        '--step',
        '3600',
      );
    const before = prop('2023-10-14T23:59:59Z');
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^57488,/m);
    const after = prop('2023-10-15T00:00:00Z');
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).not.toMatch(/^57488,/m);
    expect(after.stderr).toContain(
      'left out 1 objects decayed by 2023-10-15 by their SATCAT decay date (57488)',
    );
    const rpo = hoshimi(
      'rpo',
      '--db',
      db,
      '--as-of',
      '2023-10-20T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--json',
      '--all',
    );
    expect(rpo.status, rpo.stderr).toBe(0);
    const ids = JSON.parse(rpo.stdout).findings.flatMap(
      (f: { target: { catalogNumber: string }; chaser: { catalogNumber: string } }) => [
        f.target.catalogNumber,
        f.chaser.catalogNumber,
      ],
    );
    expect(ids).toContain('25544');
    expect(ids).not.toContain('57488');
  });

  it('--db: the maneuver events in the store make a finding an orbit synchronisation', () => {
    const db = join(dir, 'maneuvers.sqlite');
    expect(hoshimi('catalog', 'import', subset, '--db', db).status).toBe(0);
    // A maneuver of Luch (Olymp) two days before the window (a test record, as `hoshimi maneuvers
    // --events` writes them), and one of another object outside the lookback.
    const events = join(dir, 'maneuver-events.json');
    const ev = (id: string, t: string) => ({
      type: 'maneuver',
      objects: [id],
      timeUtc: t,
      windowStartUtc: t,
      windowEndUtc: t,
      kind: 'orbit-raising',
      score: 10,
      threshold: 3.5,
      detector: 'test',
      detectorVersion: '0',
      evidence: { dvMS: 1.5 },
      inputs: {},
    });
    writeFileSync(
      events,
      JSON.stringify([ev('40258', '2023-10-07T12:00:00Z'), ev('42950', '2023-09-01T00:00:00Z')]),
    );
    expect(hoshimi('events', 'import', events, '--db', db).status).toBe(0);
    const r = hoshimi(
      'rpo',
      '--db',
      db,
      '--as-of',
      '2023-10-20T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('rpo: 1 maneuver events from');
    const luch = JSON.parse(r.stdout).findings.find(
      (f: { chaser: { catalogNumber: string } }) => f.chaser.catalogNumber === '40258',
    );
    expect(luch.kind).toBe('orbit-synchronisation');
    expect(luch.target.catalogNumber).toBe('42950');
    expect(luch.maneuvers.map((m: { catalogNumber: string }) => m.catalogNumber)).toEqual(['40258']);
  });

  it('usage errors name the option', () => {
    const r = hoshimi('rpo', '--elements', subset, '--days', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[USAGE] --days');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[{"id": 1}]');
    const m = hoshimi('rpo', '--elements', subset, '--maneuvers', bad);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('[MANEUVERS_INVALID]');
  });

  it('screen lists the ISS visiting vehicles apart from real close approaches', () => {
    const json = join(dir, 'iss.json');
    const r = hoshimi(
      'screen',
      '--elements',
      subset,
      '--primaries',
      '25544',
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
      '--out',
      json,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/attached: \d+ conjunctions of 6 attached pairs/);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    // Nauka, Progress MS-23 and MS-24, Cygnus NG-19, Soyuz MS-24, Crew Dragon Endurance.
    const docked = new Set(['49044', '56740', '57488', '57691', '57697', '57862']);
    const other = (c: { id1: string; id2: string }) => (c.id1 === '25544' ? c.id2 : c.id1);
    expect(new Set(doc.attached.map(other))).toEqual(docked);
    expect(doc.attached.every((c: { label: string }) => c.label === 'attached')).toBe(true);
    expect(doc.conjunctions.some((c: { id1: string; id2: string }) => docked.has(other(c)))).toBe(false);
    // CSV: the companion file holds them, the report does not.
    const csv = join(dir, 'iss.csv');
    const c = hoshimi(
      'screen',
      '--elements',
      subset,
      '--primaries',
      '25544',
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
      '--out',
      csv,
    );
    expect(c.status, c.stderr).toBe(0);
    const companion = join(dir, 'iss.attached.csv');
    expect(existsSync(companion)).toBe(true);
    const rows = readFileSync(companion, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/,label,label_reason$/);
    expect(rows).toHaveLength(doc.attached.length + 1);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(doc.conjunctions.length + 1);
  });
});
