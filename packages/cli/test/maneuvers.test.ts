/**
 * `hoshimi maneuvers` end to end: the real command in a child process on a real history
 * (Sentinel-6A, dpshorten benchmark), JSON shape and agreement with the library, the chart, and
 * usage errors.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectManeuvers, parseTleText } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const S6A = join(DATA, 'history/dpshorten-benchmark/processed_files/Sentinel-6A.tle');

describe('hoshimi maneuvers', () => {
  it('prints the detections of a history as a JSON array, as the library finds them', () => {
    const r = hoshimi('maneuvers', '--elements', S6A, '--json');
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    const parsed = parseTleText(readFileSync(S6A, 'utf8'));
    if (!parsed.ok) throw new Error('parse failed');
    const lib = detectManeuvers(parsed.value.records.map((x) => x.elements));
    expect(rows).toHaveLength(lib.detections.length);
    expect(rows.length).toBeGreaterThan(3);
    for (const [i, row] of rows.entries()) {
      expect(Object.keys(row)).toEqual([
        'id',
        'time_utc',
        'window_start_utc',
        'window_end_utc',
        'dv_m_s',
        'dv_rtn_m_s',
        'kind',
        'score',
        'threshold',
      ]);
      expect(row['id']).toBe('46984');
      expect(row['time_utc']).toBe(`${lib.detections[i]?.timeUtc}Z`);
      // LEO: a, i and the along-track phase share the false-alarm probability 1e-3.
      expect(row['threshold']).toBeCloseTo(-Math.log10(1e-3 / 3), 3);
      expect((row['dv_rtn_m_s'] as number[]).length).toBe(3);
      expect((row['window_start_utc'] as string) <= (row['time_utc'] as string)).toBe(true);
    }
    expect(r.stderr).toContain('46984: LEO');
  });

  it('writes the SVG chart with --plot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-man-'));
    const svgPath = join(dir, 'chart.svg');
    const r = hoshimi('maneuvers', '--elements', S6A, '--plot', svgPath);
    expect(r.status).toBe(0);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>semi-major axis (km)<');
    expect(svg).toContain('>detected maneuver<');
    // The table has a header and one line per detection.
    expect(r.stdout.split('\n')[0]).toContain('time_utc');
  });

  it('reads one object history from the store (--db --id): the same detections as from the file', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hoshimi-man-')), 'h.db');
    expect(hoshimi('catalog', 'import', S6A, '--db', db).status).toBe(0);
    const fromDb = hoshimi('maneuvers', '--db', db, '--id', '46984', '--json');
    expect(fromDb.status).toBe(0);
    const fromFile = hoshimi('maneuvers', '--elements', S6A, '--json');
    expect(JSON.parse(fromDb.stdout)).toEqual(JSON.parse(fromFile.stdout));
    const missing = hoshimi('maneuvers', '--db', db, '--id', '99999');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('[OBJECT_NOT_FOUND]');
  });

  it('writes DetectionEvent records with --events, which events import stores once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-man-'));
    const events = join(dir, 'events.json');
    const db = join(dir, 'e.db');
    const r = hoshimi(
      'maneuvers',
      '--elements',
      S6A,
      '--json',
      '--out',
      join(dir, 'm.json'),
      '--events',
      events,
    );
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as { time_utc: string }[];
    const records = JSON.parse(readFileSync(events, 'utf8')) as { type: string; timeUtc: string }[];
    expect(records.length).toBe(rows.length);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((e) => e.type === 'maneuver')).toBe(true);
    const first = hoshimi('events', 'import', events, '--db', db);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`${records.length} events stored, 0 already stored, 0 rejected`);
    const again = hoshimi('events', 'import', events, '--db', db);
    expect(again.stderr).toContain(`0 events stored, ${records.length} already stored`);
    const list = hoshimi('events', 'list', '--db', db, '--type', 'maneuver', '--json');
    expect(list.status, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(records.length);
  });

  it('refuses a missing source and --db without --id (code USAGE)', () => {
    const a = hoshimi('maneuvers', '--json');
    expect(a.status).not.toBe(0);
    expect(a.stderr).toContain('[USAGE]');
    const b = hoshimi('maneuvers', '--db', join(tmpdir(), 'none.db'));
    expect(b.status).not.toBe(0);
    expect(b.stderr).toContain('--id');
  });
});
