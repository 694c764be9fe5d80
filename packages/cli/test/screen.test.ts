/**
 * `hoshimi screen` end to end: a real catalog subset, the report, CDMs that parse back, results in
 * the store, and clear errors. (Recall against a reference screener is tested in the astro suite.)
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type ElementSet,
  formatTleText,
  parseCdm,
  parseTleText,
  pcConjunctionFromRtn,
  pcFoster,
  sgp4Init,
} from '@hoshimi/astro';
import { openSqliteStore } from '@hoshimi/store';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');

/** The first 1,000 objects of the 2023 catalog (old, mostly LEO objects: enough close approaches in a day). */
function subsetFile(): string {
  const lines = gunzipSync(readFileSync(CATALOG_2023)).toString('utf8').split('\n').slice(0, 3000);
  const file = join(mkdtempSync(join(tmpdir(), 'hoshimi-screen-')), 'subset.3le');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('hoshimi screen', () => {
  const subset = subsetFile();

  it('reports conjunctions with the documented columns and writes one valid CDM per event', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-screen-out-'));
    const out = join(dir, 'conj.csv');
    const cdmDir = join(dir, 'cdm');
    const r = hoshimi(
      'screen',
      '--elements',
      subset,
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
      '--out',
      out,
      '--cdm-dir',
      cdmDir,
    );
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 10)).toEqual([
      'id1',
      'id2',
      'tca_utc',
      'miss_km',
      'rel_speed_km_s',
      'r_km',
      'i_km',
      'c_km',
      'pc',
      'pc_method',
    ]);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const miss = Number(row[3]);
      expect(miss).toBeLessThanOrEqual(5);
      // The RTN miss vector has the miss distance as its length (to the printed 1e-6 km).
      expect(Math.abs(Math.hypot(Number(row[5]), Number(row[6]), Number(row[7])) - miss)).toBeLessThan(3e-6);
      expect(row[9]).toBe('ALFANO-2005-MAX');
    }
    const cdms = readdirSync(cdmDir);
    expect(cdms).toHaveLength(rows.length);
    const first = parseCdm(readFileSync(join(cdmDir, cdms[0]!), 'utf8'));
    if (!first.ok) throw new Error(JSON.stringify(first.issues));
    expect(first.value.relativeMetadata.missDistanceKm).toBeCloseTo(Number(rows[0]![3]), 5);
    expect(first.value.objects[0].metadata.objectDesignator).toBe(rows[0]![0]);
    expect(first.value.objects[0].metadata.refFrame).toBe('EME2000');
  });

  it('screens one object against all and stores the run with --db', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'hoshimi-screen-db-')), 'h.db');
    expect(hoshimi('catalog', 'import', subset, '--db', db).status).toBe(0);
    const all = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
    );
    expect(all.status).toBe(0);
    const allRows = all.stdout.trim().split('\n').slice(1);
    const busiest = allRows[0]!.split(',')[0]!;
    const one = hoshimi(
      'screen',
      '--db',
      db,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
      '--primaries',
      busiest,
      '--out',
      join(tmpdir(), `one-${process.pid}.json`),
    );
    expect(one.status).toBe(0);
    const store = await openSqliteStore(db);
    try {
      const latest = await store.conjunctions();
      expect(latest?.screening.primaries).toEqual([busiest]);
      expect(latest?.conjunctions.length).toBeGreaterThan(0);
      expect(latest?.conjunctions.every((c) => c.id1 === busiest || c.id2 === busiest)).toBe(true);
      // Every one-vs-all event is also in the all-vs-all run.
      const runs = await store.listScreenings();
      expect(runs).toHaveLength(2);
      const full = await store.conjunctions({ screeningId: runs[1]!.id, catalogNumber: busiest });
      expect(full?.conjunctions.map((c) => c.tcaUtc)).toEqual(latest?.conjunctions.map((c) => c.tcaUtc));
    } finally {
      await store.close();
    }
  });

  it('--covariance history: Foster Pc from covariances estimated from element-set histories, in the report and the CDMs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-screen-cov-'));
    const db = join(dir, 'h.db');
    expect(hoshimi('catalog', 'import', subset, '--db', db).status).toBe(0);
    const args = ['--as-of', '2023-10-10T00:00:00Z', '--from', '2023-10-09T00:00:00Z', '--days', '1'];
    const all = hoshimi('screen', '--db', db, ...args, '--workers', '1');
    expect(all.status).toBe(0);
    const first = all.stdout.trim().split('\n')[1]!.split(',');
    const ids = new Set([first[0]!, first[1]!]);
    // A history for both objects of the first event: twelve older sets, about one a day, each the
    // current one moved back along SGP4's secular rates of M, ω and Ω, with a mean-anomaly scatter
    // of up to 1e-4 rad (some hundreds of metres in-track).
    const parsed = parseTleText(readFileSync(subset, 'utf8'));
    if (!parsed.ok) throw new Error('subset did not parse');
    const older: ElementSet[] = [];
    for (const r of parsed.value.records) {
      const e = r.elements;
      if (!ids.has(e.catalogNumber)) continue;
      const rec = sgp4Init(e);
      const wrap = (x: number) => ((x % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      for (let k = 1; k <= 12; k++) {
        const minutes = k * 1.01 * 1440;
        older.push({
          ...e,
          epoch: { jd: e.epoch.jd - 1, jdFrac: e.epoch.jdFrac - (minutes / 1440 - 1) },
          meanAnomalyRad: wrap(e.meanAnomalyRad - rec.mdot * minutes + 1e-4 * Math.sin(7 * k)),
          argPerigeeRad: wrap(e.argPerigeeRad - rec.argpdot * minutes),
          raanRad: wrap(e.raanRad - rec.nodedot * minutes),
          elementSetNumber: (e.elementSetNumber + 900 - k) % 1000,
        });
      }
    }
    expect(older).toHaveLength(24);
    const historyFile = join(dir, 'history.3le');
    writeFileSync(historyFile, formatTleText(older));
    expect(hoshimi('catalog', 'import', historyFile, '--db', db).status).toBe(0);

    const cdmDir = join(dir, 'cdm');
    const r = hoshimi(
      'screen',
      '--db',
      db,
      ...args,
      '--workers',
      '1',
      '--covariance',
      'history',
      '--cdm-dir',
      cdmDir,
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('covariance: 2 of');
    const rows = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const withCov = rows.filter((x) => ids.has(x[0]!) && ids.has(x[1]!));
    expect(withCov.length).toBeGreaterThan(0);
    for (const x of rows) {
      const both = ids.has(x[0]!) && ids.has(x[1]!);
      expect(x[9]).toBe(both ? 'FOSTER-1992' : 'ALFANO-2005-MAX');
      expect(x[17]).toBe(both ? 'tle-history' : 'none (element sets)');
      expect(x[18]).toBe('low');
    }
    // The CDM carries the estimated covariances; Foster's Pc recomputed from it matches the report.
    // Files are numbered in report order.
    const files = readdirSync(cdmDir).sort();
    expect(files).toHaveLength(rows.length);
    let checked = 0;
    for (const [n, f] of files.entries()) {
      const cdm = parseCdm(readFileSync(join(cdmDir, f), 'utf8'));
      if (!cdm.ok) throw new Error(`${f} did not parse`);
      const c = cdm.value;
      const [o1, o2] = c.objects;
      if (!(ids.has(o1.metadata.objectDesignator) && ids.has(o2.metadata.objectDesignator))) {
        expect(o1.metadata.covarianceMethod).toBe('DEFAULT');
        continue;
      }
      expect(o1.metadata.covarianceMethod).toBe('CALCULATED');
      const cov = (o: typeof o1) => {
        const t = o.covarianceRtn.lowerTriangle;
        // The scatter put into the history (≤ 1e-4 rad of mean anomaly, ~0.7 km in-track) shows
        // as an in-track variance of that order (km²): not metres², not thousands of km².
        expect(t[2]!).toBeGreaterThan(1e-4);
        expect(t[2]!).toBeLessThan(100);
        return [t[0]!, 0, 0, 0, t[2]!, 0, 0, 0, t[5]!] as const;
      };
      const sv = (o: typeof o1) =>
        [
          [o.stateVector.xKm, o.stateVector.yKm, o.stateVector.zKm],
          [o.stateVector.xDotKmPerS, o.stateVector.yDotKmPerS, o.stateVector.zDotKmPerS],
        ] as const;
      const [r1, v1] = sv(o1);
      const [r2, v2] = sv(o2);
      const hbrKm = Number(rows[n]![16]) / 1000;
      const pc = pcFoster(pcConjunctionFromRtn(r1, v1, [...cov(o1)], r2, v2, [...cov(o2)]), hbrKm);
      const reported = c.relativeMetadata.collisionProbability!;
      expect(c.relativeMetadata.collisionProbabilityMethod).toBe('FOSTER-1992');
      // Within the rounding of the KVN numbers and of the report's hbr_m (a unit or axis mix-up
      // would be off by orders of magnitude).
      expect(Math.abs(pc.pc - reported)).toBeLessThanOrEqual(1e-3 * reported + 1e-300);
      checked++;
    }
    expect(checked).toBe(withCov.length);
  });

  it('screens every full catalog of the reference data (a 2.4-hour window each)', () => {
    for (const day of ['2019-03-19', '2021-05-29', '2022-01-22', '2023-10-09']) {
      const file = join(DATA, `catalog/full_catalog_${day}.3le.txt.gz`);
      const r = hoshimi('screen', '--elements', file, '--days', '0.1', '--workers', '2');
      if (r.status !== 0) throw new Error(`${day}: exit ${r.status}: ${r.stderr.slice(0, 400)}`);
      const rows = r.stdout.trim().split('\n');
      expect(rows[0]!.startsWith('id1,id2,tca_utc,miss_km')).toBe(true);
      expect(rows.length).toBeGreaterThan(100);
      expect(r.stderr).toMatch(/screen: \d+ of \d+ objects over 0\.1 days/);
    }
  });

  it('rejects bad options clearly', () => {
    expect(hoshimi('screen', '--elements', subset, '--days', '0').stderr).toContain(
      '--days: expected a positive number',
    );
    expect(hoshimi('screen', '--elements', subset, '--ellipsoid', '1,2').stderr).toContain('--ellipsoid');
    expect(hoshimi('screen', '--elements', subset, '--primaries', 'ISS').status).toBe(2);
    expect(hoshimi('screen').status).toBe(2);
    expect(hoshimi('screen', '--elements', subset, '--covariance', 'history').stderr).toContain(
      '--covariance history needs --db',
    );
    expect(hoshimi('screen', '--elements', subset, '--covariance', 'cdm').stderr).toContain(
      '--covariance: expected none or history, got cdm',
    );
  });
});
