/**
 * Element sets SGP4 cannot propagate at their own epoch (mean motion 0, eccentricity ≥ 1, a
 * perigee inside the Earth) are rejected at import with their line and counted in the ingest log;
 * the good ones in the same file land. The cheap pre-check that spares the full SGP4
 * initialisation for ordinary sets is checked for soundness against SGP4 on every set of four
 * full catalogs and Vallado's verification set.
 */
import { gunzipSync } from 'node:zlib';
import { type ElementSet, parseElements, sgp4, sgp4Init } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { surelyPropagatableAtEpoch } from '../src/sqlite-import.js';
import { openSqliteStore } from '../src/sqlite-store.js';
import { readRefRaw } from './reference-data.js';

/** A TLE line with its mod-10 checksum (digits, and 1 for each minus sign) in column 69. */
function withChecksum(line: string): string {
  let sum = 0;
  for (const c of line.slice(0, 68)) sum += c === '-' ? 1 : /\d/.test(c) ? Number(c) : 0;
  return `${line.slice(0, 68)}${sum % 10}`;
}

function tle(name: string, cn: string, ecc: string, meanMotion: string): string[] {
  return [
    `0 ${name}`,
    withChecksum(`1 ${cn}U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927`),
    withChecksum(`2 ${cn}  51.6416 247.4627 ${ecc} 130.5360 325.0288 ${meanMotion}563537`),
  ];
}

const omm = (cn: number, ecc: string) => ({
  OBJECT_NAME: `TEST ${cn}`,
  OBJECT_ID: '1998-067A',
  EPOCH: '2023-10-09T00:00:00.000000',
  MEAN_MOTION: 15.5,
  ECCENTRICITY: Number(ecc),
  INCLINATION: 51.6,
  RA_OF_ASC_NODE: 247,
  ARG_OF_PERICENTER: 130,
  MEAN_ANOMALY: 325,
  EPHEMERIS_TYPE: 0,
  CLASSIFICATION_TYPE: 'U',
  NORAD_CAT_ID: cn,
  ELEMENT_SET_NO: 999,
  REV_AT_EPOCH: 1,
  BSTAR: 0.0001,
  MEAN_MOTION_DOT: 0,
  MEAN_MOTION_DDOT: 0,
});

describe('import of element sets SGP4 cannot propagate', () => {
  it('rejects them with their line, counts them, and stores the good ones', async () => {
    const text = [
      ...tle('GOOD', '25544', '0006703', '15.72125391'),
      ...tle('NO MOTION', '90001', '0006703', '00.00000000'),
      // 18.5 rev/day: a mean semi-major axis of 0.93 Earth radii.
      ...tle('INSIDE', '90002', '0006703', '18.50000000'),
      ...tle('ALSO GOOD', '90003', '0010000', '14.00000000'),
    ].join('\n');
    const store = await openSqliteStore(':memory:');
    const r = await store.importFile({ name: 'mixed.3le', bytes: new TextEncoder().encode(text) });
    expect(r).toMatchObject({ status: 'partial', read: 2, inserted: 2, newObjects: 2 });
    expect(r.rejected.map((i) => [i.file, i.line, i.code])).toEqual([
      ['mixed.3le', 4, 'ELEMENTS_SGP4_UNUSABLE'],
      ['mixed.3le', 7, 'ELEMENTS_SGP4_UNUSABLE'],
    ]);
    expect(r.rejected[0]?.message).toContain('object 90001');
    const [log] = await store.ingestLog(1);
    expect(log?.rejected.map((i) => i.line)).toEqual([4, 7]);
    expect(await store.getObject('90001')).toBeNull();
    expect(await store.history('90002')).toEqual([]);
    expect((await store.history('90003')).length).toBe(1);

    // OMM (GP JSON) can state an eccentricity of 1 or more; a TLE cannot.
    const json = JSON.stringify([omm(90010, '0.0006'), omm(90011, '1.2'), omm(90012, '0.999')]);
    const o = await store.importFile({ name: 'gp.json', bytes: new TextEncoder().encode(json) });
    expect(o.read).toBe(1);
    expect(o.rejected.map((i) => i.code)).toEqual(['ELEMENTS_SGP4_UNUSABLE', 'ELEMENTS_SGP4_UNUSABLE']);
    expect(o.rejected.every((i) => typeof i.line === 'number')).toBe(true);
    await store.close();
  });

  it('the pre-check passes only sets SGP4 propagates at their epoch', () => {
    const files = [
      'catalog/full_catalog_2019-03-19.3le.txt.gz',
      'catalog/full_catalog_2021-05-29.3le.txt.gz',
      'catalog/full_catalog_2022-01-22.3le.txt.gz',
      'catalog/full_catalog_2023-10-09.3le.txt.gz',
    ];
    const out = new Float64Array(6);
    let passed = 0;
    let checked = 0;
    const sets: ElementSet[] = [];
    for (const f of files) {
      const p = parseElements(gunzipSync(readRefRaw(f)).toString('utf8'), { file: f });
      if (!p.ok) throw new Error(`${f} unreadable`);
      for (const rec of p.value.records) sets.push(rec.elements);
    }
    for (const es of sets) {
      checked++;
      if (!surelyPropagatableAtEpoch(es)) continue;
      passed++;
      const satrec = sgp4Init(es);
      const code = satrec.error === 0 ? sgp4(satrec, 0, out) : satrec.error;
      if (code !== 0 || !out.every(Number.isFinite)) {
        throw new Error(`pre-check passed object ${es.catalogNumber}, SGP4 failed with ${code}`);
      }
    }
    expect(checked).toBeGreaterThan(80_000);
    // Most real sets take the fast path (deep-space sets never do).
    expect(passed / checked).toBeGreaterThan(0.8);
  });
});
