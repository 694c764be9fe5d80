/**
 * `hoshimi reentry` end to end on object 66877's last two TLEs (reentry/ssa-script-tip): text and
 * JSON outputs, the RDM in KVN and XML (read back by the astro reader), the ground-track SVG, the
 * DetectionEvent that `events import` stores, the store path (--db --id) and the refusals.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRdmKvn, parseRdmXml, rdmValue } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const TIP = join(DATA, 'reentry/ssa-script-tip');

describe('hoshimi reentry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-reentry-'));
  const tles = join(dir, '66877.tle');
  writeFileSync(
    tles,
    readFileSync(join(TIP, 'tle_66877_1769662703.txt'), 'utf8') +
      readFileSync(join(TIP, 'tle_66877_20260129_111538.txt'), 'utf8'),
  );

  it('JSON with the epoch, window, ballistic coefficient and ground track; RDM, SVG and event files', () => {
    const rdm = join(dir, 'r.rdm');
    const rdmXml = join(dir, 'r.xml');
    const svg = join(dir, 'track.svg');
    const events = join(dir, 'events.json');
    const r = hoshimi(
      'reentry',
      '--elements',
      tles,
      '--json',
      '--rdm',
      rdm,
      '--plot',
      svg,
      '--events',
      events,
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.object).toBe('66877');
    expect(doc.element_sets_used).toBe(2);
    expect(doc.ballistic_method).toBe('pairs');
    // The two-set prediction of the evaluation: 2026-01-30 ~05:52 UTC, ±25 % (under 48 h).
    expect(doc.epoch_utc).toMatch(/^2026-01-30T0[4-7]:/);
    expect(doc.window_fraction).toBe(0.25);
    expect(Date.parse(doc.window_start_utc)).toBeLessThan(Date.parse(doc.epoch_utc));
    expect(Date.parse(doc.window_end_utc)).toBeGreaterThan(Date.parse(doc.epoch_utc));
    const half = (Date.parse(doc.window_end_utc) - Date.parse(doc.window_start_utc)) / 2000;
    expect(Math.abs(half - 0.25 * doc.remaining_s)).toBeLessThan(1);
    expect(doc.ballistic_coefficient_m2_kg).toBeGreaterThan(0.005);
    expect(doc.ground_track.samples).toBeGreaterThan(100);
    expect(doc.impact.cross_track_sigma_km).toBe(20);
    // The RDM reads back, with the JSON's numbers.
    const msg = parseRdmKvn(readFileSync(rdm, 'utf8'));
    expect(msg.ok).toBe(true);
    if (msg.ok) {
      expect(rdmValue(msg.value, 'OBJECT_DESIGNATOR')).toBe('66877');
      expect(rdmValue(msg.value, 'ORBIT_LIFETIME')).toBeCloseTo(doc.remaining_s, 6);
      // The JSON rounds to the second, the RDM keeps milliseconds.
      const rdmMs = Date.parse(`${rdmValue(msg.value, 'NOMINAL_REENTRY_EPOCH')}Z`);
      expect(Math.abs(rdmMs - Date.parse(doc.epoch_utc))).toBeLessThanOrEqual(500);
    }
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    expect(svgText).toContain('predicted reentry');
    const recs = JSON.parse(readFileSync(events, 'utf8'));
    expect(recs).toHaveLength(1);
    expect(recs[0].type).toBe('reentry');
    expect(recs[0].objects).toEqual(['66877']);
    // XML when the file name says so.
    expect(hoshimi('reentry', '--elements', tles, '--rdm', rdmXml).status).toBe(0);
    expect(parseRdmXml(readFileSync(rdmXml, 'utf8')).ok).toBe(true);
    // events import stores it once.
    const db = join(dir, 'e.db');
    const first = hoshimi('events', 'import', events, '--db', db);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('1 events stored, 0 already stored, 0 rejected');
    const list = hoshimi('events', 'list', '--db', db, '--type', 'reentry', '--json');
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });

  it('reads the history from the store (--db --id) and gives the same prediction as the file', () => {
    const db = join(dir, 'c.db');
    expect(hoshimi('catalog', 'import', tles, '--db', db).status).toBe(0);
    const a = hoshimi('reentry', '--db', db, '--id', '66877', '--json');
    expect(a.status, a.stderr).toBe(0);
    const b = hoshimi('reentry', '--elements', tles, '--json');
    expect(JSON.parse(a.stdout).epoch_utc).toBe(JSON.parse(b.stdout).epoch_utc);
    const missing = hoshimi('reentry', '--db', db, '--id', '99999');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('[OBJECT_NOT_FOUND]');
  });

  it('text output, and refusals: no source, a bad --bc', () => {
    const t = hoshimi('reentry', '--elements', tles, '--bc', '0.0105');
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/reentry \(80 km\) 2026-01-30T/);
    expect(t.stdout).toContain('0.01050 m²/kg');
    const u = hoshimi('reentry', '--json');
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('[USAGE]');
    const bad = hoshimi('reentry', '--elements', tles, '--bc', '-1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[USAGE]');
  });
});
