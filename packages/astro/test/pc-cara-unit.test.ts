/**
 * NASA CARA unit-test values (Pc2D_Foster, PcCircle, PcElrod; transcribed in
 * pc-cases/cara/cara-unit-test-expected.json with file:line sources). Each check uses the
 * tolerance the CARA test states. 3-D Hall (Pc3D_Hall) values are out of scope for the 2-D
 * module and are not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import { pcFoster } from '../src/pc/foster.js';
import {
  bruteForceCirclePc,
  type CaraSharedInput,
  conjunctionFromCara,
  loadCaraUnitTests,
  relErr,
} from './pc-fixtures.js';

/** See the multi-HBR test: float64 conditioning of the projected covariance (λ1/λ2 = 4.4e7). */
const ILL_CONDITIONED_REL_TOL = 5e-8;
/** See the multi-HBR test: CARA's 64-point Gauss–Chebyshev error when HBR ≫ σz. */
const CARA_GC64_REL_TOL = 1e-3;
/** Agreement with the 160k-point brute-force integral (its own error is ~1e-11). */
const BRUTE_FORCE_REL_TOL = 1e-9;

const data = loadCaraUnitTests();

interface CaraTest {
  function: string;
  inputs: string;
  HBRType?: string;
  EstimationMode?: number;
  expected_Pc: number | string | null | number[];
  relTol?: number;
  absTol?: number;
}
const tests = data.tests as unknown as CaraTest[];

function findTest(fn: string, inputs: string, extra: (t: CaraTest) => boolean = () => true): CaraTest {
  const t = tests.find((x) => x.function === fn && x.inputs === inputs && extra(x));
  if (t === undefined) throw new Error(`no CARA test ${fn} / ${inputs}`);
  return t;
}

function shared(name: string): CaraSharedInput {
  const s = data.shared_inputs[name];
  if (s === undefined) throw new Error(`no shared input ${name}`);
  return s;
}

/** Tracks the worst relative error per reference for the printed summary. */
const summary = new Map<string, { n: number; worst: number }>();
function record(key: string, err: number): void {
  const s = summary.get(key) ?? { n: 0, worst: 0 };
  s.n++;
  s.worst = Math.max(s.worst, err);
  summary.set(key, s);
}

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AstroError);
  expect((caught as AstroError).code).toBe(code);
}

describe('CARA Pc2D_Foster unit tests (Omitron case 1)', () => {
  const { conj, hbrKm } = conjunctionFromCara(shared('omitron_case1'));
  const shapes = [
    ['circle', 'circle'],
    ['square', 'square'],
    ['squareEquArea', 'square-equal-area'],
  ] as const;
  for (const [caraShape, ourShape] of shapes) {
    it(`HBRType ${caraShape} within the test's RelTol`, () => {
      const t = findTest('Pc2D_Foster', 'omitron_case1', (x) => x.HBRType === caraShape);
      const expected = t.expected_Pc as number;
      const r = pcFoster(conj, hbrKm, { hbrShape: ourShape });
      const err = relErr(r.pc, expected);
      record('Pc2D_Foster (RelTol 1e-3)', err);
      console.log(
        `Pc2D_Foster ${caraShape}: ${r.pc.toExponential(12)} vs ${expected} rel ${err.toExponential(2)}`,
      );
      expect(err).toBeLessThan(t.relTol!);
      expect(r.method).toBe('FOSTER-1992');
      expect(r.hbrKm).toBe(hbrKm);
      expect(r.details.converged).toBe(true);
    });
  }
});

describe('CARA PcCircle unit tests (RelTol 1e-10)', () => {
  it('Omitron case 1, default and highest-accuracy modes', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('omitron_case1'));
    const r = pcFoster(conj, hbrKm);
    for (const t of tests.filter((x) => x.function === 'PcCircle' && x.inputs === 'omitron_case1')) {
      const err = relErr(r.pc, t.expected_Pc as number);
      record('PcCircle (RelTol 1e-10)', err);
      expect(err).toBeLessThan(t.relTol!);
    }
  });

  it('Omitron case 2', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('omitron_case2'));
    const t = findTest('PcCircle', 'omitron_case2');
    const r = pcFoster(conj, hbrKm);
    const err = relErr(r.pc, t.expected_Pc as number);
    record('PcCircle (RelTol 1e-10)', err);
    expect(err).toBeLessThan(t.relTol!);
  });

  it('non-positive-definite case: remediated by eigenvalue clipping, Pc = 0', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('npd_case'));
    const t = findTest('PcCircle', 'npd_case');
    const r = pcFoster(conj, hbrKm);
    expect(r.details.eigenRawKm2[1]).toBeLessThanOrEqual(0); // really NPD on the plane
    expect(r.details.remediated).toBe(true);
    expect(r.pc).toBe(t.expected_Pc);
    // Without remediation the same input is rejected with a code.
    expectCode(() => pcFoster(conj, hbrKm, { remediation: 'none' }), 'PC_COVARIANCE_NOT_PD');
  });

  /**
   * Multi-HBR sweep. CARA asserts RelTol 1e-10 against its own output, which cannot be met by an
   * exact integral here, for two documented reasons (checked against 50-digit mpmath and SciPy
   * integrations of the same inputs during development):
   * - HBR ≤ 100 m: the projected covariance has λ1/λ2 = 4.4e7, so float64 projection loses ~8
   *   digits of the small eigenvalue; the exact Pc for HBR 10 m lies between CARA's value and
   *   ours, each ~2e-8 away. Tolerance: ILL_CONDITIONED_REL_TOL.
   * - HBR ≥ 1 km (HBR/σz = 54…1600): CARA's default 64-point Gauss–Chebyshev rule does not
   *   resolve the erf step of width σz, and its values are off by 1e-4…3e-4. Tolerance:
   *   CARA_GC64_REL_TOL; our values are checked instead against a brute-force integration.
   */
  it('multi-HBR sweep from 0 to Inf', () => {
    const input = shared('multi_hbr_case');
    const { conj } = conjunctionFromCara(input);
    const t = findTest('PcCircle', 'multi_hbr_case');
    const hbrs = input.HBR_list!.map((h) => (h === 'Inf' ? Number.POSITIVE_INFINITY : Number(h)));
    const expected = input.expected_Pc_list!;
    expect(hbrs.length).toBe(expected.length);
    hbrs.forEach((hbrM, i) => {
      const r = pcFoster(conj, hbrM / 1000);
      const err = relErr(r.pc, expected[i]!);
      const tol =
        hbrM === 0 || hbrM === Number.POSITIVE_INFINITY
          ? t.relTol!
          : hbrM <= 100
            ? ILL_CONDITIONED_REL_TOL
            : CARA_GC64_REL_TOL;
      record(`PcCircle multi-HBR (tol ${tol})`, err);
      console.log(`multi-HBR ${hbrM} m: ${r.pc} vs CARA ${expected[i]} rel ${err.toExponential(2)}`);
      expect(err, `HBR ${hbrM} m: ${r.pc} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
      if (Number.isFinite(hbrM) && hbrM > 0) {
        const d = r.details;
        const ref = bruteForceCirclePc(d.xmKm, d.zmKm, d.sigmaXKm, d.sigmaZKm, hbrM / 1000);
        const errRef = relErr(r.pc, ref);
        record('multi-HBR vs brute-force integral (tol 1e-9)', errRef);
        expect(errRef, `HBR ${hbrM} m brute force ${ref}`).toBeLessThan(BRUTE_FORCE_REL_TOL);
      }
    });
  });
});

describe('CARA PcElrod unit tests (2-D)', () => {
  for (const name of ['omitron_case1', 'omitron_case2']) {
    it(`${name} within RelTol 1e-3`, () => {
      const { conj, hbrKm } = conjunctionFromCara(shared(name));
      const t = findTest('PcElrod', name);
      const err = relErr(pcFoster(conj, hbrKm).pc, t.expected_Pc as number);
      record('PcElrod (RelTol 1e-3)', err);
      expect(err).toBeLessThan(t.relTol!);
    });
  }

  it('hall_similar_2d3d_case (position block of the 6×6)', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('hall_similar_2d3d_case'));
    const t = findTest('PcElrod', 'hall_similar_2d3d_case (position 3x3 block)');
    const err = relErr(pcFoster(conj, hbrKm).pc, t.expected_Pc as number);
    record('PcElrod (RelTol 1e-3)', err);
    expect(err).toBeLessThan(t.relTol!);
  });

  it('NPD case gives 0', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('npd_case'));
    const t = findTest('PcElrod', 'npd_case');
    expect(pcFoster(conj, hbrKm).pc).toBe(t.expected_Pc);
  });

  it('negative HBR: CARA returns 0, Hoshimi rejects it with PC_INVALID_HBR', () => {
    const { conj, hbrKm } = conjunctionFromCara(shared('omitron_case1'));
    expect(findTest('PcElrod', 'omitron_case1 with HBR=-0.020').expected_Pc).toBe(0);
    expectCode(() => pcFoster(conj, -hbrKm), 'PC_INVALID_HBR');
  });

  it('prints the summary', () => {
    for (const [k, v] of summary)
      console.log(`CARA unit tests, ${k}: ${v.n} checks, max rel err ${v.worst.toExponential(2)}`);
    expect(summary.size).toBeGreaterThanOrEqual(3);
  });
});
