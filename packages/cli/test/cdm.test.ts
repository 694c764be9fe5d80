/** `hoshimi cdm convert` end to end on real CARA and Orekit CDMs. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkCdmMissDistance, formatCdmKvn, formatCdmXml, parseCdm } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const CARA = join(DATA, 'pc-cases/cara/PcTestCaseCDMs');
const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');

describe('hoshimi cdm convert', () => {
  it('converts KVN to XML and back without losing the message', () => {
    const file = join(CARA, readdirSync(CARA).filter((f) => f.endsWith('.cdm'))[0]!);
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-cdm-'));
    const xml = join(dir, 'a.xml');
    const kvn = join(dir, 'a.kvn');
    expect(hoshimi('cdm', 'convert', file, '--to', 'xml', '--out', xml).status).toBe(0);
    expect(readFileSync(xml, 'utf8')).toMatch(/^<\?xml/);
    expect(hoshimi('cdm', 'convert', xml, '--to', 'kvn', '--out', kvn).status).toBe(0);
    const a = parseCdm(readFileSync(file, 'utf8'));
    const b = parseCdm(readFileSync(kvn, 'utf8'));
    if (!a.ok || !b.ok) throw new Error('a converted CDM did not parse');
    expect(b.value).toEqual(a.value);
  });

  it('rejects a malformed CDM naming the line and key', () => {
    const r = hoshimi('cdm', 'convert', join(DATA, 'ccsds/orekit/cdm/CDM-missing-TCA.txt'), '--to', 'xml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/CDM-missing-TCA\.txt:5: \[CDM_MISSING_KEY\] key TCA/);
    expect(hoshimi('cdm', 'convert', 'x.cdm', '--to', 'json').status).toBe(2);
  });

  it('writes values in the units it declares: a CDM in km and metres converts, never relabelled', () => {
    const file = join(CARA, readdirSync(CARA).filter((f) => f.endsWith('.cdm'))[0]!);
    const text = readFileSync(file, 'utf8');
    const miss = /^MISS_DISTANCE\s*=\s*(\S+) \[m\]$/m.exec(text);
    const x = /^X\s*=\s*(\S+e\+03) \[km\]$/m.exec(text);
    if (miss === null || x === null) throw new Error('sample CDM layout changed');
    const km = text
      .replace(miss[0], `MISS_DISTANCE = ${Number(miss[1]) / 1000} [km]`)
      // The same decimal three powers of ten up: e+03 km → e+06 m.
      .replace(x[0], `X = ${x[1]!.replace(/e\+03$/, 'e+06')} [m]`);
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-cdm-'));
    writeFileSync(join(dir, 'km.cdm'), km);
    const out = join(dir, 'out.cdm');
    expect(hoshimi('cdm', 'convert', join(dir, 'km.cdm'), '--to', 'kvn', '--out', out).status).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written).toMatch(new RegExp(`^MISS_DISTANCE\\s*= ${miss[1]} \\[m\\]$`, 'm'));
    const a = parseCdm(text);
    const b = parseCdm(written);
    if (!a.ok || !b.ok) throw new Error('a converted CDM did not parse');
    expect(b.value.relativeMetadata.missDistanceKm).toBe(a.value.relativeMetadata.missDistanceKm);
    expect(b.value.objects[0].stateVector.xKm).toBe(a.value.objects[0].stateVector.xKm);
  });

  it('reads back every CDM the screening writes: SANA names, no-covariance convention, µs TCA, consistent miss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-cdm-screen-'));
    const lines = gunzipSync(readFileSync(CATALOG_2023)).toString('utf8').split('\n').slice(0, 3000);
    writeFileSync(join(dir, 'subset.3le'), `${lines.join('\n')}\n`);
    const cdmDir = join(dir, 'cdm');
    const r = hoshimi(
      'screen',
      '--elements',
      join(dir, 'subset.3le'),
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '1',
      '--out',
      join(dir, 'conj.csv'),
      '--cdm-dir',
      cdmDir,
    );
    expect(r.status).toBe(0);
    const files = readdirSync(cdmDir).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(cdmDir, f), 'utf8');
      const parsed = parseCdm(text, { file: f });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const cdm = parsed.value;
      expect(parsed.warnings.filter((w) => w.code !== 'CDM_COVARIANCE_ZERO')).toEqual([]);
      expect(cdm.relativeMetadata.collisionProbabilityMethod).toBe('ALFANO-MAX-PROBABILITY');
      expect(cdm.relativeMetadata.tca.text).toMatch(/T\d\d:\d\d:\d\d\.\d{6}$/);
      for (const o of cdm.objects) {
        expect(o.metadata.covarianceMethod).toBe('DEFAULT');
        expect(o.covarianceRtn.lowerTriangle.every((x) => x === 0)).toBe(true);
      }
      // The states at the written TCA are the conjunction's: their distance is MISS_DISTANCE.
      const [a, b] = cdm.objects.map((o) => o.stateVector);
      const d = Math.hypot(b!.xKm - a!.xKm, b!.yKm - a!.yKm, b!.zKm - a!.zKm);
      expect(checkCdmMissDistance(cdm.relativeMetadata.missDistanceKm, d).agrees, f).toBe(true);
      // Written again by both writers, it reads back equal.
      for (const again of [formatCdmKvn(cdm), formatCdmXml(cdm)]) {
        const back = parseCdm(again);
        if (!back.ok) throw new Error(JSON.stringify(back.issues));
        expect(back.value).toEqual(cdm);
      }
    }
    const pc = hoshimi('pc', '--cdm', join(cdmDir, files[0]!), '--method', 'alfano-max', '--json');
    expect(pc.status).toBe(0);
    expect(JSON.parse(pc.stdout)).toMatchObject({
      ccsds_method: 'ALFANO-MAX-PROBABILITY',
      miss_disagrees: false,
    });
  });
});
