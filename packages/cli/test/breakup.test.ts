/**
 * `hoshimi breakup simulate` end to end: a simulated collision of a real SL-16 R/B (catalog 22285,
 * 2023-10-09 catalog, about 840 km, 71°) written as OMM, read back, and screened with
 * `hoshimi screen --secondaries` against every payload of the same catalog: the conjunctions are
 * between fragments and payloads only; `hoshimi breakup risk` ranks the payloads.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElements } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
/** Fragment catalog numbers start here (the analyst range the command uses by default). */
const FIRST_FRAGMENT = 800000001;

const SIMULATE = [
  'breakup',
  'simulate',
  '--id',
  '22285',
  '--kind',
  'collision',
  '--impactor-mass',
  '10',
  '--impact-speed',
  '10',
  '--parent-mass',
  '8900',
  '--min-size',
  '0.3',
  '--seed',
  '7',
  '--elements',
  CATALOG_2023,
];

describe('hoshimi breakup simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-breakup-'));
  const cloud = join(dir, 'cloud.kvn');

  it('writes the fragments as OMM KVN with the simulated marking; the same seed gives the same file', () => {
    const r = hoshimi(...SIMULATE, '--out', cloud);
    expect(r.stderr).toMatch(/catastrophic \(56\.2 J\/g\)/);
    expect(r.status).toBe(0);
    const text = readFileSync(cloud, 'utf8');
    expect(text).toMatch(/^COMMENT SIMULATED FRAGMENTS, NOT OBSERVED OBJECTS/m);
    const parsed = parseElements(text, { file: cloud });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const sets = parsed.value.records.map((x) => x.elements);
    expect(parsed.value.rejected).toHaveLength(0);
    // N(≥0.3 m) = 0.1·8910^0.75·0.3^−1.71 ≈ 717 fragments, most of them orbital.
    expect(sets.length).toBeGreaterThan(400);
    expect(sets.length).toBeLessThan(760);
    for (const e of sets) {
      expect(Number(e.catalogNumber)).toBeGreaterThanOrEqual(FIRST_FRAGMENT);
      expect(e.name).toBe('SL-16 R/B DEB (SIM)');
      expect(e.bstar).toBeGreaterThan(0);
    }
    const again = join(dir, 'again.kvn');
    expect(hoshimi(...SIMULATE, '--out', again).status).toBe(0);
    const strip = (s: string) => s.replace(/^CREATION_DATE.*$/gm, '');
    expect(strip(readFileSync(again, 'utf8'))).toBe(strip(text));
    const other = join(dir, 'other.kvn');
    expect(hoshimi(...SIMULATE.map((a) => (a === '7' ? '8' : a)), '--out', other).status).toBe(0);
    expect(strip(readFileSync(other, 'utf8'))).not.toBe(strip(text));
  });

  it('XML by extension, with the COMMENT in the metadata', () => {
    const xml = join(dir, 'cloud.xml');
    expect(hoshimi(...SIMULATE, '--out', xml).status).toBe(0);
    const text = readFileSync(xml, 'utf8');
    expect(text).toMatch(/<COMMENT>SIMULATED FRAGMENTS/);
    const parsed = parseElements(text, { file: xml });
    expect(parsed.ok && parsed.value.records.length > 400).toBe(true);
  });

  it('refuses a collision without an impactor mass, and an unknown parent', () => {
    const a = hoshimi(
      'breakup',
      'simulate',
      '--id',
      '22285',
      '--kind',
      'collision',
      '--elements',
      CATALOG_2023,
      '--out',
      join(dir, 'x.kvn'),
    );
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--impactor-mass/);
    const b = hoshimi(
      'breakup',
      'simulate',
      '--id',
      '99999',
      '--kind',
      'explosion',
      '--elements',
      CATALOG_2023,
      '--out',
      join(dir, 'y.kvn'),
    );
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/OBJECT_NOT_FOUND/);
  });

  it('the cloud screened against every payload of the catalog: conjunctions between fragments and payloads only', () => {
    const out = join(dir, 'conjunctions.json');
    const r = hoshimi(
      'screen',
      '--elements',
      cloud,
      '--secondaries',
      CATALOG_2023,
      '--secondary-type',
      'payload',
      '--from',
      '2023-10-09T15:10:18.41',
      '--days',
      '1',
      '--out',
      out,
    );
    expect(r.stderr).toMatch(/secondaries: \d+ objects from .* of type PAYLOAD/);
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      conjunctions: { id1: string; id2: string; name2: string }[];
    };
    const list = doc.conjunctions;
    expect(list.length).toBeGreaterThan(10);
    for (const c of list) {
      const ids = [Number(c.id1), Number(c.id2)];
      // Exactly one fragment per pair (no fragment–fragment pairs), the other a payload by name.
      expect(ids.filter((x) => x >= FIRST_FRAGMENT)).toHaveLength(1);
      const otherName = Number(c.id1) >= FIRST_FRAGMENT ? c.name2 : '';
      expect(otherName).not.toMatch(/ DEB| R\/B/);
    }
    // The payloads most at risk: counts add up, sorted by conjunction count.
    const risk = hoshimi('breakup', 'risk', '--conjunctions', out, '--top', '5', '--json');
    expect(risk.status).toBe(0);
    const top = JSON.parse(risk.stdout) as {
      id: string;
      name: string;
      conjunctions: number;
      min_miss_km: number;
    }[];
    expect(top.length).toBe(5);
    for (let k = 1; k < top.length; k++)
      expect(top[k]!.conjunctions).toBeLessThanOrEqual(top[k - 1]!.conjunctions);
    for (const t of top) {
      expect(t.name).not.toMatch(/\(SIM\)/);
      const mine = list.filter((c) => c.id1 === t.id || c.id2 === t.id);
      expect(t.conjunctions).toBe(mine.length);
    }
  });
});
