/**
 * CDM values in other units than the standard's: converted when the file declares its units (KVN
 * `[km]`, XML `units="km"`), refused with line and keyword when they cannot be read correctly
 * (an unknown or wrong-quantity unit, or undeclared values no Earth-orbit conjunction can have).
 * Built on the CCSDS section-4 example CDM and real CARA CDMs from the reference data.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdmToConjunctionInput, parseCdm } from '../src/ccsds/cdm.js';
import { checkCdmMissDistance, checkCdmPc } from '../src/ccsds/cdm-check.js';
import type { Cdm } from '../src/ccsds/cdm-model.js';
import { parseCdmUnit } from '../src/ccsds/cdm-units.js';
import type { ParseIssue } from '../src/errors.js';
import type { Mat3 } from '../src/math/mat3.js';
import type { Vec3 } from '../src/math/vec3.js';
import { pcConjunctionFromRtn } from '../src/pc/encounter-plane.js';
import { pcFoster } from '../src/pc/foster.js';
import { readRefText, refPath } from './reference-data.js';
import { unwrap } from './test-support.js';

const NDM_KVN = 'ccsds/ccsds-ndm-py/kvn/cdm_example_section4.kvn';
const NDM_XML = 'ccsds/ccsds-ndm-py/xml/cdm_example_section4.xml';
/** CARA CDM with in-track 1σ of 34.5 km (OBJECT1) and 160 km (OBJECT2). */
const CARA_WIDE = 'pc-cases/cara/PcTestCaseCDMs/000043613_conj_000050564_20220203_012436_20220127_232009.cdm';
/** CARA ODQA case: a 3.16 cm position 1σ (the smallest of the reference CDMs). */
const CARA_TIGHT = 'pc-cases/cara/other-cdms/ODQATestCaseCDM.txt';

/** m → km and back through a power of ten: the converted value is the correctly rounded one. */
const EXACT = 0;
/** m² → km² of a 4-digit value: ÷10⁶ vs the decimal's own double, within 1 ulp relative. */
const ONE_ULP_REL = 2.3e-16;

function lines(text: string): string[] {
  return text.split('\n');
}

/** Replaces the `n`-th (0-based) line starting with `key =` by `key = value [unit]`. */
function setKvn(text: string, key: string, value: string, unit: string | undefined, n = 0): string {
  const out = lines(text);
  let seen = 0;
  const i = out.findIndex((l) => new RegExp(`^${key}\\s*=`).test(l) && seen++ === n);
  expect(i, `${key} #${n} found`).toBeGreaterThanOrEqual(0);
  out[i] = `${key} = ${value}${unit === undefined ? '' : ` [${unit}]`}`;
  return out.join('\n');
}

function lineOf(text: string, key: string, n = 0): number {
  let seen = 0;
  return lines(text).findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l) && seen++ === n) + 1;
}

function refused(text: string): readonly ParseIssue[] {
  const r = parseCdm(text, { file: 'x.cdm' });
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

describe('CDM units', () => {
  it('parses the unit notation of 508.0-B-1 with SI prefixes', () => {
    expect(parseCdmUnit('m**3/(kg*s)')?.dim).toEqual([3, -1, -1, 0, 0]);
    expect(parseCdmUnit('km**2/s**2')?.scale).toBe(1e6);
    expect(parseCdmUnit('m/sec')?.dim).toEqual([1, 0, -1, 0, 0]);
    expect(parseCdmUnit('furlong')).toBeUndefined();
    expect(parseCdmUnit('m**')).toBeUndefined();
  });

  it('converts values declared in other units (KVN brackets): km for m, m for km, km² for m²', () => {
    const base = readRefText(NDM_KVN);
    const ref = unwrap(parseCdm(base)) as Cdm;
    let t = setKvn(base, 'MISS_DISTANCE', '0.715', 'km');
    t = setKvn(t, 'RELATIVE_SPEED', '14.762', 'km/s');
    t = setKvn(t, 'X', '2570097.065', 'm');
    t = setKvn(t, 'X_DOT', '4418.769571', 'm/s');
    t = setKvn(t, 'CR_R', '4.142E-05', 'km**2');
    const r = parseCdm(t);
    expect(r.ok).toBe(true);
    const got = unwrap(r) as Cdm;
    expect(got.relativeMetadata.missDistanceKm - ref.relativeMetadata.missDistanceKm).toBe(EXACT);
    expect(got.relativeMetadata.relativeSpeedKmPerS).toBe(ref.relativeMetadata.relativeSpeedKmPerS);
    expect(got.objects[0].stateVector.xKm - ref.objects[0].stateVector.xKm).toBe(EXACT);
    expect(got.objects[0].stateVector.xDotKmPerS).toBe(ref.objects[0].stateVector.xDotKmPerS);
    const a = got.objects[0].covarianceRtn.lowerTriangle[0] as number;
    const b = ref.objects[0].covarianceRtn.lowerTriangle[0] as number;
    expect(Math.abs(a - b) / b).toBeLessThanOrEqual(ONE_ULP_REL);
    expect(r.ok && r.warnings.filter((w) => w.code.startsWith('CDM_UNIT'))).toEqual([]);
  });

  it('converts values declared in other units (XML units attributes)', () => {
    const base = readRefText(NDM_XML);
    const ref = unwrap(parseCdm(base)) as Cdm;
    const t = base
      .replace('<X units="km">2570.097065</X>', '<X units="m">2570097.065</X>')
      .replace(
        /<MISS_DISTANCE units="m">715<\/MISS_DISTANCE>/,
        '<MISS_DISTANCE units="km">0.715</MISS_DISTANCE>',
      );
    expect(t).toContain('<X units="m">2570097.065</X>');
    expect(t).toContain('units="km">0.715<');
    const got = unwrap(parseCdm(t)) as Cdm;
    expect(got.objects[0].stateVector.xKm).toBe(ref.objects[0].stateVector.xKm);
    expect(got.relativeMetadata.missDistanceKm).toBe(ref.relativeMetadata.missDistanceKm);
  });

  it('refuses a unit it does not know, or one of another quantity, with line and key', () => {
    const base = readRefText(NDM_KVN);
    for (const unit of ['furlong', 's', 'km/s']) {
      const issues = refused(setKvn(base, 'MISS_DISTANCE', '715', unit));
      expect(issues[0]).toMatchObject({
        code: 'CDM_UNIT',
        key: 'MISS_DISTANCE',
        line: lineOf(base, 'MISS_DISTANCE'),
      });
    }
  });

  it('refuses undeclared positions in metres and speeds in m/s (no Earth orbit), naming the line', () => {
    const base = readRefText(NDM_KVN);
    const metres = refused(setKvn(base, 'X', '2570097.065', undefined));
    expect(metres[0]).toMatchObject({ code: 'CDM_IMPLAUSIBLE_VALUE', key: 'X', line: lineOf(base, 'X') });
    const second = refused(setKvn(base, 'X_DOT', '-2888.6125', undefined, 1));
    expect(second[0]).toMatchObject({
      code: 'CDM_IMPLAUSIBLE_VALUE',
      key: 'X_DOT',
      line: lineOf(base, 'X_DOT', 1),
    });
    // All three components in metres: the magnitude of an ISS-like orbit reads 7.1 million km.
    let all = base;
    for (const [k, v] of [
      ['X', '2570097.065'],
      ['Y', '2244654.904'],
      ['Z', '6281497.978'],
    ] as const)
      all = setKvn(all, k, v, undefined);
    expect(refused(all)[0]).toMatchObject({ code: 'CDM_IMPLAUSIBLE_VALUE', key: 'X' });
  });

  it('refuses covariances whose scale contradicts their units: m² labelled km², km² written as m²', () => {
    const wide = readRefText(CARA_WIDE);
    const relabelled = wide.replace(/^(C[A-Z]+_[A-Z]+\s*=\s*\S+\s*)\[m\*\*2\]/gm, '$1[km**2]');
    expect(relabelled).not.toBe(wide);
    const issues = refused(relabelled);
    expect(issues[0]).toMatchObject({ code: 'CDM_IMPLAUSIBLE_VALUE', key: 'CT_T' });
    expect(issues[0]?.line).toBe(lineOf(wide, 'CT_T'));

    const tight = readRefText(CARA_TIGHT);
    // The position terms written in km² without saying so: the 3.16 cm 1σ reads as 0.03 mm.
    const kmSquared = tight.replace(
      /^(C[RTN]_[RTN]\s*=\s*)(\S+)/gm,
      (_, k: string, v: string) => `${k}${(Number(v) / 1e6).toExponential(6)}`,
    );
    expect(refused(kmSquared)[0]).toMatchObject({ code: 'CDM_IMPLAUSIBLE_VALUE', key: 'CR_R' });
  });

  it('keeps reading every real reference CDM, and their MISS_DISTANCE agrees with their states', () => {
    for (const f of [NDM_KVN, NDM_XML, CARA_WIDE, CARA_TIGHT]) {
      const cdm = unwrap(parseCdm(readRefText(f))) as Cdm;
      const [a, b] = cdm.objects.map((o) => o.stateVector);
      const d = Math.hypot(b!.xKm - a!.xKm, b!.yKm - a!.yKm, b!.zKm - a!.zKm);
      expect(checkCdmMissDistance(cdm.relativeMetadata.missDistanceKm, d).agrees, f).toBe(true);
    }
    // 715 m written as 0.715 with no unit reads as 0.715 m: the states disagree by 714 m.
    const check = checkCdmMissDistance(0.715e-3, 0.7157);
    expect(check.agrees).toBe(false);
    expect(check.toleranceKm).toBeCloseTo(0.001, 5);
  });

  it("finds each CARA CDM's own FOSTER-1992 Pc in its covariance, and flags one scaled 100-fold", () => {
    const dir = 'pc-cases/cara/PcTestCaseCDMs';
    const mat3 = (m: readonly (readonly number[])[]) =>
      [0, 1, 2].flatMap((i) => m[i]!.slice(0, 3)) as unknown as Mat3;
    let compared = 0;
    for (const f of readdirSync(refPath(dir)).filter((x) => x.endsWith('.cdm'))) {
      const input = cdmToConjunctionInput(unwrap(parseCdm(readRefText(`${dir}/${f}`))) as Cdm);
      const [a, b] = input.objects;
      const conj = pcConjunctionFromRtn(
        [...a.positionKm] as Vec3,
        [...a.velocityKmPerS] as Vec3,
        mat3(a.covarianceRtn),
        [...b.positionKm] as Vec3,
        [...b.velocityKmPerS] as Vec3,
        mat3(b.covarianceRtn),
      );
      const pc = pcFoster(conj, input.hbrKm as number, { adjustToTca: true }).pc;
      const check = checkCdmPc(
        input.collisionProbability as number,
        input.collisionProbabilityMethod as string,
        pc,
      );
      expect(check?.agrees, f).toBe(true);
      compared++;
    }
    expect(compared).toBe(53);
    expect(checkCdmPc(1e-4, 'FOSTER-1992', 1e-6)?.agrees).toBe(false);
    expect(checkCdmPc(1e-4, 'CHAN-1997', 1e-6)).toBeUndefined();
  });
});
