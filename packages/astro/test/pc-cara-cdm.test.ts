/**
 * CARA's 53 real CDMs (pc-cases/cara/PcTestCaseCDMs) end to end: parseCdm → RTN covariances
 * rotated with each object's own state → encounter plane → Foster Pc, against
 * CARA_PcMethod_Test_Conjunctions.csv:
 * - Pc2D_NoAdj: PcCircle on the CDM states as written (Pc2D_FromCDM.m second output);
 * - Pc2D: PcCircle after moving both states to the linear-motion TCA (FindNearbyCA, as
 *   PcMultiStep does; covariance cross-correlation corrections are off in CARA's baseline).
 * Tolerance: CARA's README says Pc differs near 1e-8 relative between MATLAB versions.
 *
 * Plus the CARA unit tests that read SampleCDMs: the non-positive-definite Omitron case 07, the
 * 2-D/3-D disagreement case 08 (2-D part only) and PcCircle's zero-miss cases.
 */
import { describe, expect, it } from 'vitest';
import { cdmToConjunctionInput, parseCdm } from '../src/ccsds/cdm.js';
import type { Mat3 } from '../src/math/mat3.js';
import type { Vec3 } from '../src/math/vec3.js';
import { type PcConjunction, pcConjunctionFromRtn } from '../src/pc/encounter-plane.js';
import { pcFoster } from '../src/pc/foster.js';
import { loadCaraUnitTests, M_PER_KM, parseCsv, relErr } from './pc-fixtures.js';
import { readRefText } from './reference-data.js';

/**
 * CARA README (PcTestCaseCDMs): MATLAB versions differ "near 1e-8" relative. The worst cases here
 * (primary 43613, λ1/λ2 up to 7e7 on the plane, Pc ~1e-8) were checked against a 40-digit
 * evaluation of the same CDM inputs during development: CARA's value is 1.1e-8 from it and ours
 * 0.8e-8 on the other side, both float64 conditioning. Hence 3e-8, a little above "near 1e-8".
 */
const CARA_CROSS_VERSION_REL_TOL = 3e-8;

function rtn3(cov: readonly (readonly number[])[], scale = 1): Mat3 {
  const m: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m.push(cov[i]![j]! * scale);
  return m as Mat3;
}

/** Reads a CARA CDM into a Pc conjunction (EME2000, km, km²) and its CARA HBR (km). */
function readCdm(path: string, covScale = 1): { conj: PcConjunction; hbrKm: number | undefined } {
  const parsed = parseCdm(readRefText(path));
  if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.issues)}`);
  const input = cdmToConjunctionInput(parsed.value);
  const [o1, o2] = input.objects;
  expect(o1.refFrame).toBe('EME2000');
  expect(o2.refFrame).toBe('EME2000');
  const conj = pcConjunctionFromRtn(
    [...o1.positionKm] as Vec3,
    [...o1.velocityKmPerS] as Vec3,
    rtn3(o1.covarianceRtn, covScale),
    [...o2.positionKm] as Vec3,
    [...o2.velocityKmPerS] as Vec3,
    rtn3(o2.covarianceRtn, covScale),
  );
  return { conj, hbrKm: input.hbrKm };
}

describe('CARA PcTestCaseCDMs (53 CDMs) against CARA_PcMethod_Test_Conjunctions.csv', () => {
  const rows = parseCsv(readRefText('pc-cases/cara/PcTestCaseCDMs/CARA_PcMethod_Test_Conjunctions.csv'));
  let worstNoAdj = 0;
  let worstAdj = 0;
  let worstShift = 0;
  let evals = 0;
  for (const row of rows) {
    const id = row['Conjunction_ID']!;
    it(id, () => {
      const { conj, hbrKm: cdmHbr } = readCdm(`pc-cases/cara/PcTestCaseCDMs/${id}.cdm`);
      const hbrKm = Number(row['HBR_m']) / M_PER_KM;
      if (cdmHbr !== undefined) expect(relErr(cdmHbr, hbrKm)).toBeLessThan(1e-12);
      const noAdj = pcFoster(conj, hbrKm, { covarianceSource: 'cdm' });
      const adj = pcFoster(conj, hbrKm, { covarianceSource: 'cdm', adjustToTca: true });
      const expNoAdj = Number(row['Pc2D_NoAdj']);
      const expAdj = Number(row['Pc2D']);
      const e1 = relErr(noAdj.pc, expNoAdj);
      const e2 = relErr(adj.pc, expAdj);
      worstNoAdj = Math.max(worstNoAdj, e1);
      worstAdj = Math.max(worstAdj, e2);
      worstShift = Math.max(worstShift, Math.abs(adj.details.tcaShiftS));
      evals = Math.max(evals, adj.details.evaluations);
      // Geometry reported by CARA: miss distance (m) at the CDM states as written, relative speed.
      // (a 25-m miss from 7000-km positions keeps ~10 digits in float64)
      expect(relErr(noAdj.details.missKm * M_PER_KM, Number(row['MissDist_m']))).toBeLessThan(1e-9);
      expect(relErr(adj.details.relSpeedKmS * M_PER_KM, Number(row['Vrel_mps']))).toBeLessThan(1e-10);
      expect(e1, `NoAdj ${noAdj.pc} vs ${expNoAdj}`).toBeLessThan(CARA_CROSS_VERSION_REL_TOL);
      expect(e2, `Adj ${adj.pc} vs ${expAdj}`).toBeLessThan(CARA_CROSS_VERSION_REL_TOL);
      expect(adj.covarianceSource).toBe('cdm');
    });
  }
  it('prints the summary', () => {
    console.log(
      `CARA CDMs: ${rows.length} conjunctions; max rel err Pc2D_NoAdj ${worstNoAdj.toExponential(2)}, Pc2D (TCA-adjusted) ${worstAdj.toExponential(2)}; max |TCA shift| ${(worstShift * 1000).toFixed(3)} ms; max integrand evaluations ${evals}`,
    );
    expect(rows.length).toBe(53);
  });
});

describe('CARA unit tests on SampleCDMs', () => {
  const tests = loadCaraUnitTests().tests as unknown as Record<string, unknown>[];
  const find = (fn: string, inputs: string) => {
    const t = tests.find((x) => x['function'] === fn && x['inputs'] === inputs);
    if (t === undefined) throw new Error(`no CARA test ${fn} / ${inputs}`);
    return t;
  };

  it('Omitron 07: non-positive-definite covariance remediated, Pc = 0 (Pc2D_Foster_UnitTest)', () => {
    const t = find('Pc2D_Foster', 'SampleCDMs/OmitronTestCase_Test07_NonPDCovariance.cdm (km->m)');
    const { conj } = readCdm('pc-cases/cara/SampleCDMs/OmitronTestCase_Test07_NonPDCovariance.cdm');
    const r = pcFoster(conj, (t['HBR_m'] as number) / M_PER_KM);
    expect(Math.abs(r.pc - (t['expected_Pc'] as number))).toBeLessThanOrEqual(t['absTol'] as number);
    expect(r.details.remediated).toBe(t['expected_IsRemediated']);
  });

  it('Omitron 08: 2-D Pc of the 2-D/3-D disagreement case (Pc3D_Hall_UnitTest, 2-D part)', () => {
    const t = find('Pc2D_Foster and Pc3D_Hall', 'SampleCDMs/OmitronTestCase_Test08_3DNc.cdm (km->m)');
    const { conj } = readCdm('pc-cases/cara/SampleCDMs/OmitronTestCase_Test08_3DNc.cdm');
    const r = pcFoster(conj, (t['HBR_m'] as number) / M_PER_KM);
    const err = relErr(r.pc, t['expected_Pc2D'] as number);
    console.log(
      `Omitron 08 2-D Pc ${r.pc} vs ${t['expected_Pc2D']} rel ${err.toExponential(2)} (3-D Hall not implemented)`,
    );
    expect(err).toBeLessThan(t['relTol'] as number);
  });

  /**
   * PcCircle_UnitTest testZeroMissRelVelSingly: Pc_TestSetup returns km states with m²
   * covariances and the test passes HBR 0.010, so the covariance is read as km² *numerically*;
   * we reproduce exactly those inputs. Cases 2 and 4 set r2 := r1 (zero miss), 3 and 5 set
   * v2 := v1 (zero relative velocity: CARA NaN, our PC_ZERO_RELATIVE_VELOCITY).
   */
  it('PcCircle zero miss / zero relative velocity cases (AlfanoTestCase01–06)', () => {
    const t = find(
      'PcCircle',
      'omitron_case2, then SampleCDMs/AlfanoTestCase01..06.cdm with HBR=0.010 km; for cases 2,4 r2:=r1 (zero miss), for 3,5 v2:=v1 (zero rel. velocity)',
    );
    const expected = t['expected_Pc'] as (number | null)[];
    const tol = t['relTol'] as number;
    let worst = 0;
    for (let i = 1; i <= 6; i++) {
      const { conj } = readCdm(
        `pc-cases/cara/SampleCDMs/AlfanoTestCase${String(i).padStart(2, '0')}.cdm`,
        1e6,
      );
      let c: PcConjunction = conj;
      if (i === 2 || i === 4) c = { ...conj, r2Km: conj.r1Km };
      if (i === 3 || i === 5) c = { ...conj, v2KmS: conj.v1KmS };
      const exp = expected[i];
      if (exp === null || exp === undefined) {
        let code = '';
        try {
          pcFoster(c, 0.01);
        } catch (e) {
          code = (e as { code: string }).code;
        }
        expect(code).toBe('PC_ZERO_RELATIVE_VELOCITY');
        continue;
      }
      const r = pcFoster(c, 0.01);
      const err = relErr(r.pc, exp);
      worst = Math.max(worst, err);
      console.log(
        `AlfanoTestCase0${i}${i === 2 || i === 4 ? ' (zero miss)' : ''}: ${r.pc} vs ${exp} rel ${err.toExponential(2)}`,
      );
      expect(err, `case ${i}`).toBeLessThan(tol);
    }
    console.log(`PcCircle zero-miss suite: max rel err ${worst.toExponential(2)}`);
  });
});
