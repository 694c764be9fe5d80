/**
 * `hoshimi fragmentation` end to end: origin of the Microsat-R and Kosmos 1408 breakups from the
 * debris files (JSON fields, the goal of ±2 min, events imported into a store), detection of
 * the Kosmos 1408 debris between two launch extracts (parent 13552, Gabbard SVG), and bad input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const FRAG = join(DATA, 'fragmentation');
/** Issue 11 goal for the breakup epoch, s. */
const EPOCH_GOAL_S = 120;

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('hoshimi fragmentation origin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-frag-'));

  it('Microsat-R: JSON with epoch, place and uncertainties; the event imports into a store', () => {
    const events = join(dir, 'msr-events.json');
    const r = hoshimi(
      'fragmentation',
      'origin',
      '--parent',
      '43947',
      '--debris',
      join(FRAG, 'microsat-r/microsat-r_debris_2019-04-04.tle'),
      '--parent-elements',
      join(FRAG, 'microsat-r/microsat-r_43947_parent_2019-03-10_to_03-26.tle'),
      '--json',
      '--events',
      events,
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const key of [
      'epoch_utc',
      'lat_deg',
      'lon_deg',
      'alt_km',
      'epoch_sigma_s',
      'lat_sigma_deg',
      'lon_sigma_deg',
      'alt_sigma_km',
    ]) {
      expect(doc[key], key).not.toBeNull();
    }
    expect(Math.abs(seconds(doc.epoch_utc) - seconds('2019-03-27T05:44:00Z'))).toBeLessThanOrEqual(
      EPOCH_GOAL_S,
    );
    expect(doc.fragments_used).toBe(57);
    expect(doc.converged).toBe(true);
    const db = join(dir, 'events.db');
    const imp = hoshimi('events', 'import', events, '--db', db);
    expect(imp.status, imp.stderr).toBe(0);
    const list = hoshimi('events', 'list', '--type', 'fragmentation', '--db', db, '--json');
    expect(list.status, list.stderr).toBe(0);
    const stored = JSON.parse(list.stdout);
    expect(stored).toHaveLength(1);
    expect(stored[0].kind).toBe('breakup');
    expect(stored[0].objects[0]).toBe('43947');
  });

  it('Kosmos 1408: the parent set from --parent-elements (the debris file only has a post-event one)', () => {
    const events = JSON.parse(readFileSync(join(FRAG, 'events.json'), 'utf8'));
    const tle = events.events.find((e: { id: string }) => e.id === 'kosmos1408').last_pre_event_tle;
    const parentFile = join(dir, 'kosmos-parent.tle');
    writeFileSync(parentFile, `${tle.line1}\n${tle.line2}\n`);
    const debris = join(FRAG, 'kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt');
    const missing = hoshimi('fragmentation', 'origin', '--parent', '13552', '--debris', debris);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/FRAGMENTATION_NO_PARENT.*--parent-elements/);
    const svg = join(dir, 'gabbard.svg');
    const r = hoshimi(
      'fragmentation',
      'origin',
      '--parent',
      '13552',
      '--debris',
      debris,
      '--parent-elements',
      parentFile,
      '--plot',
      svg,
    );
    expect(r.status, r.stderr).toBe(0);
    const m = /breakup of 13552: (\S+)Z/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Math.abs(seconds(`${m![1]}Z`) - seconds('2021-11-15T02:47:00Z'))).toBeLessThanOrEqual(
      EPOCH_GOAL_S,
    );
    expect(readFileSync(svg, 'utf8')).toContain('period (min)');
  });

  it('bad input: clear errors, exit 2', () => {
    const debris = join(FRAG, 'microsat-r/microsat-r_debris_2019-04-04.tle');
    expect(hoshimi('fragmentation', 'origin', '--parent', 'abc', '--debris', debris).stderr).toMatch(
      /\[USAGE\] --parent: expected a catalog number/,
    );
    expect(hoshimi('fragmentation', 'origin', '--parent', '43947').stderr).toMatch(
      /--debris FILE is required/,
    );
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not elements\n');
    const bad = hoshimi('fragmentation', 'origin', '--parent', '43947', '--debris', junk);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/ELEMENTS_INVALID/);
    expect(hoshimi('fragmentation', 'nonsense').status).toBe(2);
    expect(hoshimi('fragmentation', 'detect', '--before', debris).stderr).toMatch(
      /--before and --after go together/,
    );
    expect(
      hoshimi('fragmentation', 'detect', '--db', 'x.db', '--before', debris, '--after', debris).stderr,
    ).toMatch(/give either --db/);
  });
});

describe('hoshimi fragmentation detect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-frag-detect-'));

  it('Kosmos 1408 debris between the 2021-05-29 and 2022-01-22 extracts: parent 13552, events, Gabbard', () => {
    const events = join(dir, 'events.json');
    const svg = join(dir, 'gabbard.svg');
    const r = hoshimi(
      'fragmentation',
      'detect',
      '--before',
      join(FRAG, 'kosmos1408/kosmos1408_from_catalog_2021-05-29.3le.txt'),
      '--after',
      join(FRAG, 'kosmos1408/kosmos1408_from_catalog_2022-01-22.3le.txt'),
      '--json',
      '--events',
      events,
      '--plot',
      svg,
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.clusters).toHaveLength(1);
    expect(doc.clusters[0].parent.id).toBe('13552');
    expect(doc.clusters[0].launch).toBe('1982-092');
    // 1,216 objects of 1982-092 in 2022, of which the parent and its rocket body were there in 2021.
    expect(doc.clusters[0].fragment_count).toBe(1214);
    const ev = JSON.parse(readFileSync(events, 'utf8'));
    expect(ev[0].type).toBe('fragmentation');
    expect(ev[0].kind).toBe('new-object-cluster');
    expect(ev[0].objects[0]).toBe('13552');
    const text = readFileSync(svg, 'utf8');
    for (const t of ['period (min)', 'height (km)', 'fragment apogee', 'COSMOS 1408'])
      expect(text).toContain(t);
  });

  it('from the store: states as of --from and --to, new objects from its diff; origin with the parent from --db', () => {
    const db = join(dir, 'k.db');
    const imp = hoshimi(
      'catalog',
      'import',
      join(FRAG, 'kosmos1408/kosmos1408_from_catalog_2021-05-29.3le.txt'),
      join(FRAG, 'kosmos1408/kosmos1408_from_catalog_2022-01-22.3le.txt'),
      '--db',
      db,
    );
    expect(imp.status, imp.stderr).toBe(0);
    const r = hoshimi(
      'fragmentation',
      'detect',
      '--db',
      db,
      '--from',
      '2021-06-01T00:00:00Z',
      '--to',
      '2022-01-23T00:00:00Z',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1214 appeared/);
    const doc = JSON.parse(r.stdout);
    expect(doc.clusters[0].parent.id).toBe('13552');
    expect(doc.clusters[0].fragment_count).toBe(1214);
    const bad = hoshimi(
      'fragmentation',
      'detect',
      '--db',
      db,
      '--from',
      '2022-01-23T00:00:00Z',
      '--to',
      '2021-06-01T00:00:00Z',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--to .* is not after --from/);

    const mdb = join(dir, 'm.db');
    const mi = hoshimi(
      'catalog',
      'import',
      join(FRAG, 'microsat-r/microsat-r_43947_parent_2019-03-10_to_03-26.tle'),
      '--db',
      mdb,
    );
    expect(mi.status, mi.stderr).toBe(0);
    const o = hoshimi(
      'fragmentation',
      'origin',
      '--parent',
      '43947',
      '--debris',
      join(FRAG, 'microsat-r/microsat-r_debris_2019-04-04.tle'),
      '--db',
      mdb,
      '--json',
    );
    expect(o.status, o.stderr).toBe(0);
    const od = JSON.parse(o.stdout);
    expect(od.parent.element_epoch_utc).toBe('2019-03-26T19:25:51.173Z');
    expect(Math.abs(seconds(od.epoch_utc) - seconds('2019-03-27T05:44:00Z'))).toBeLessThanOrEqual(
      EPOCH_GOAL_S,
    );
  });
});
