/** `hoshimi cdm convert` end to end on real CARA and Orekit CDMs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCdm } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const CARA = join(DATA, 'pc-cases/cara/PcTestCaseCDMs');

function hoshimi(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

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
});
