/**
 * Properties of the Pc building blocks that the reference suites do not pin down: special
 * functions, the encounter-plane frame, the TCA adjustment, Monte Carlo agreement with Foster,
 * the maximum-Pc methods and the error codes.
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '../src/errors.js';
import {
  adjustToLinearTca,
  encounterPlane,
  type PcConjunction,
  principalEncounter,
} from '../src/pc/encounter-plane.js';
import { pcFoster, pcFosterCircleKernel, pcFosterEncounter } from '../src/pc/foster.js';
import {
  NO_COVARIANCE_SERIES_MAX_RATIO,
  pcMaxAlfano,
  pcMaxAlfanoEncounter,
  pcMaxAlfriendEncounter,
  pcMaxNoCovariance,
} from '../src/pc/max-pc.js';
import { PcRandom, pcMonteCarlo2d, pcMonteCarloLinear3d, wilsonInterval95 } from '../src/pc/monte-carlo.js';
import { erf, erfc, erfDiff } from '../src/pc/special.js';
import { conjunctionFromCara, loadAlfanoCase, loadCaraUnitTests, relErr } from './pc-fixtures.js';

/** erf/erfc target: a few ulps (the header claims ≤ 8e-16 against mpmath). */
const ERF_REL_TOL = 2e-15;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AstroError) return e.code;
    throw e;
  }
  return '';
}

describe('special functions', () => {
  // Values from mpmath at 30 digits (they agree with Abramowitz & Stegun table 7.1 where listed).
  const cases: [number, number, number][] = [
    [1e-10, 1.1283791670955126e-10, 0.999999999887162],
    [0.3, 0.32862675945912745, 0.6713732405408726],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2.5, 0.999593047982555, 0.0004069520174449589],
    [5, 0.9999999999984626, 1.537459794428035e-12],
    [10, 1, 2.088487583762545e-45],
    [26, 1, 5.663192408856143e-296],
  ];
  it('erf and erfc match high-precision values, including tails and tiny arguments', () => {
    for (const [z, e, c] of cases) {
      expect(relErr(erf(z), e), `erf(${z})`).toBeLessThan(ERF_REL_TOL);
      expect(relErr(erf(-z), -e), `erf(${-z})`).toBeLessThan(ERF_REL_TOL);
      expect(relErr(erfc(z), c), `erfc(${z})`).toBeLessThan(ERF_REL_TOL);
      expect(relErr(erfc(-z), 2 - c), `erfc(${-z})`).toBeLessThan(ERF_REL_TOL);
    }
  });
  it('erfDiff keeps relative accuracy for close and same-tail arguments', () => {
    expect(relErr(erfDiff(5, 2.5), 0.0004069520174449589 - 1.537459794428035e-12)).toBeLessThan(ERF_REL_TOL);
    expect(relErr(erfDiff(-2.5, -5), 0.0004069520174449589 - 1.537459794428035e-12)).toBeLessThan(
      ERF_REL_TOL,
    );
    // Tiny interval: erf(hi) − erf(lo) = (2/√π)·w·e^(−c²)·(1 + O(w²)), w = hi − lo (exact in
    // float64 by Sterbenz), c the midpoint.
    const hi = 3 + 1e-9;
    const lo = 3 - 1e-9;
    const w = hi - lo;
    const c = 0.5 * (hi + lo);
    const approx = ((2 * w) / Math.sqrt(Math.PI)) * Math.exp(-c * c);
    expect(relErr(erfDiff(hi, lo), approx)).toBeLessThan(1e-14);
    expect(erfDiff(1, 1)).toBe(0);
    expect(erfDiff(-1, 2)).toBeCloseTo(-(erf(2) + erf(1)), 15);
  });
});

describe('encounter plane and TCA adjustment', () => {
  const { conj, hbrKm } = conjunctionFromCara(loadCaraUnitTests().shared_inputs['omitron_case1']!);
  it('axes are orthonormal, ŷ is the relative velocity and x̂ carries the miss', () => {
    const p = encounterPlane(conj);
    const d = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
    expect(Math.abs(d(p.xHat, p.xHat) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(d(p.zHat, p.zHat) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(d(p.xHat, p.yHat))).toBeLessThan(1e-15);
    expect(Math.abs(d(p.xHat, p.zHat))).toBeLessThan(1e-15);
    const r = [conj.r1Km[0] - conj.r2Km[0], conj.r1Km[1] - conj.r2Km[1], conj.r1Km[2] - conj.r2Km[2]];
    expect(Math.abs(d(r, p.zHat))).toBeLessThan(1e-12);
    expect(d(r, p.xHat)).toBeGreaterThan(0);
    expect(p.cxxKm2 * p.czzKm2 - p.cxzKm2 ** 2).toBeGreaterThan(0);
  });
  it('adjustToLinearTca makes the relative position perpendicular to the relative velocity', () => {
    const { conjunction: c, dtS } = adjustToLinearTca(conj);
    const dr = [c.r2Km[0] - c.r1Km[0], c.r2Km[1] - c.r1Km[1], c.r2Km[2] - c.r1Km[2]];
    const dv = [c.v2KmS[0] - c.v1KmS[0], c.v2KmS[1] - c.v1KmS[1], c.v2KmS[2] - c.v1KmS[2]];
    const cosAngle =
      (dr[0]! * dv[0]! + dr[1]! * dv[1]! + dr[2]! * dv[2]!) / (Math.hypot(...dr) * Math.hypot(...dv));
    expect(Math.abs(cosAngle)).toBeLessThan(1e-13);
    expect(Math.abs(dtS)).toBeGreaterThan(0);
    // Pc changes only through the tiny change of geometry (CARA's "adjusted" Pc).
    expect(relErr(pcFoster(c, hbrKm).pc, pcFoster(conj, hbrKm).pc)).toBeLessThan(1e-6);
  });
  it('zero miss distance keeps a defined frame (CARA perturbs the miss; we need not)', () => {
    const c: PcConjunction = { ...conj, r2Km: conj.r1Km };
    const r = pcFoster(c, hbrKm);
    expect(r.details.missKm).toBe(0);
    expect(r.pc).toBeGreaterThan(0);
    // at zero miss the circle is centred on the density peak: Pc ≥ any offset Pc
    expect(r.pc).toBeGreaterThan(pcFoster(conj, hbrKm).pc);
  });
  it('error codes', () => {
    expect(codeOf(() => pcFoster({ ...conj, v2KmS: conj.v1KmS }, hbrKm))).toBe('PC_ZERO_RELATIVE_VELOCITY');
    expect(codeOf(() => pcFoster({ ...conj, r1Km: [Number.NaN, 0, 0] }, hbrKm))).toBe('PC_INVALID_INPUT');
    expect(codeOf(() => pcFoster(conj, Number.NaN))).toBe('PC_INVALID_HBR');
    const zero = [0, 0, 0, 0, 0, 0, 0, 0, 0] as const;
    expect(
      codeOf(() => pcFoster({ ...conj, cov1Km2: [...zero], cov2Km2: [...zero] } as PcConjunction, hbrKm)),
    ).toBe('PC_COVARIANCE_NOT_PD');
    expect(codeOf(() => pcFosterEncounter({ xmKm: 1, zmKm: 0, sigmaXKm: 1, sigmaZKm: -1 }, hbrKm))).toBe(
      'PC_COVARIANCE_NOT_PD',
    );
    expect(
      codeOf(() => pcMonteCarlo2d({ xmKm: 1, zmKm: 0, sigmaXKm: 1, sigmaZKm: 1 }, 0.1, { samples: 0 })),
    ).toBe('PC_INVALID_INPUT');
  });
});

describe('Monte Carlo agrees with Foster', () => {
  /** |MC − Foster| within 4.5 binomial σ (deterministic seeds; 4.5σ keeps false alarms < 1e-5). */
  const SIGMAS = 4.5;
  it('2-D sampling on Alfano cases 3, 5, 8, 9, 11', () => {
    for (const n of [3, 5, 8, 9, 11]) {
      const hbrKm = [0, 15, 4, 15, 15, 10, 10, 10, 4, 6, 6, 4][n]! / 1000;
      const enc = principalEncounter(encounterPlane(loadAlfanoCase(n).conj), hbrKm);
      const foster = pcFosterEncounter(enc, hbrKm).pc;
      const mc = pcMonteCarlo2d(enc, hbrKm, { samples: 400_000, seed: n });
      const sigma = Math.sqrt((foster * (1 - foster)) / mc.details.samples);
      console.log(
        `Alfano ${n}: Foster ${foster.toExponential(5)}, MC-2D ${mc.pc.toExponential(5)} [${mc.details.ci95.map((x) => x.toExponential(3)).join(', ')}]`,
      );
      expect(Math.abs(mc.pc - foster)).toBeLessThan(SIGMAS * sigma);
    }
  });
  it('3-D linear-motion sampling (independent of the plane construction)', () => {
    const shared = loadCaraUnitTests().shared_inputs;
    const inputs: [PcConjunction, number][] = [
      [
        conjunctionFromCara(shared['omitron_case2']!).conj,
        conjunctionFromCara(shared['omitron_case2']!).hbrKm,
      ],
      [loadAlfanoCase(3).conj, 0.015],
      [loadAlfanoCase(9).conj, 0.006],
    ];
    for (const [conj, hbrKm] of inputs) {
      const foster = pcFoster(conj, hbrKm).pc;
      const mc = pcMonteCarloLinear3d(conj, hbrKm, { samples: 400_000, seed: 7 });
      const sigma = Math.sqrt((foster * (1 - foster)) / mc.details.samples);
      console.log(`Foster ${foster.toExponential(5)}, MC-3D ${mc.pc.toExponential(5)}`);
      expect(Math.abs(mc.pc - foster)).toBeLessThan(SIGMAS * sigma);
      expect(mc.method).toBe('MONTE-CARLO-LINEAR-3D');
    }
  });
  it('the generator is reproducible and the interval is sane', () => {
    const a = new PcRandom(42);
    const b = new PcRandom(42);
    const c = new PcRandom(43);
    const xs = Array.from({ length: 5 }, () => a.nextDouble());
    expect(Array.from({ length: 5 }, () => b.nextDouble())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextDouble())).not.toEqual(xs);
    let sum = 0;
    let sum2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const g = a.nextNormal();
      sum += g;
      sum2 += g * g;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sum2 / n - 1)).toBeLessThan(0.01);
    const [lo, hi] = wilsonInterval95(0, 1000);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(0.003);
    expect(hi).toBeLessThan(0.004);
  });
});

describe('maximum Pc (Alfriend 1999, Alfano 2005)', () => {
  const enc = { xmKm: 0.4, zmKm: 0.3, sigmaXKm: 0.2, sigmaZKm: 0.05 };
  const hbrKm = 0.01;
  it('Alfano max bounds the Pc at every covariance scale and sits near Alfriend for small HBR', () => {
    const m = pcMaxAlfanoEncounter(enc, hbrKm);
    for (const k of [0.05, 0.1, 0.3, 1, 3, 10, 30, m.details.scaleAtMax]) {
      const pc = pcFosterCircleKernel(enc.xmKm, enc.zmKm, k * enc.sigmaXKm, k * enc.sigmaZKm, hbrKm);
      expect(pc).toBeLessThanOrEqual(m.pc * (1 + 1e-9));
    }
    const alfriend = pcMaxAlfriendEncounter(enc, hbrKm);
    // Alfriend assumes a constant density over the circle: error O(R²/(k·σ)²) ≈ 1e-4 here.
    expect(relErr(m.pc, alfriend.pc)).toBeLessThan(1e-3);
    expect(relErr(m.details.scaleAtMax, alfriend.details.scaleAtMax)).toBeLessThan(1e-3);
    expect(m.isMaximum).toBe(true);
    expect(m.confidence).toBe('low');
  });
  it('confidence follows the covariance source: estimated from element sets or default is low', () => {
    const conj: Parameters<typeof pcFoster>[0] = {
      r1Km: [7000, 0, 0],
      v1KmS: [0, 7.5, 0],
      cov1Km2: [0.01, 0, 0, 0, 0.04, 0, 0, 0, 0.01],
      r2Km: [7000.05, 0.02, 0],
      v2KmS: [0, 0, 7.5],
      cov2Km2: [0.01, 0, 0, 0, 0.04, 0, 0, 0, 0.01],
    };
    expect(pcFoster(conj, 0.02, { covarianceSource: 'tle-history' }).confidence).toBe('low');
    expect(pcFoster(conj, 0.02, { covarianceSource: 'default' }).confidence).toBe('low');
    expect(pcFoster(conj, 0.02, { covarianceSource: 'cdm' }).confidence).toBe('nominal');
    expect(pcFoster(conj, 0.02).confidence).toBe('nominal');
  });
  it('no covariance: isotropic maximum ≈ R²/(e·d²), and 1 when the miss is inside the HBR', () => {
    const m = pcMaxNoCovariance(1, 0.01);
    expect(relErr(m.pc, 0.0001 / Math.E)).toBeLessThan(1e-4);
    expect(m.covarianceSource).toBe('none');
    expect(m.method).toBe('ALFANO-2005-MAX');
    expect(pcMaxNoCovariance(0.005, 0.01).pc).toBe(1);
  });
  it('no covariance: the small-radius form agrees with the exact search where it is used', () => {
    /** 0.42·(R/d)⁴ at the ratio limit 0.05 is 2.6e-7; with margin. */
    const SMALL_RADIUS_REL_TOL = 3e-7;
    for (const ratio of [NO_COVARIANCE_SERIES_MAX_RATIO, 0.01, 0.001]) {
      const d = 3.7;
      const exact = pcMaxAlfanoEncounter({ xmKm: d, zmKm: 0, sigmaXKm: d, sigmaZKm: d }, ratio * d);
      expect(relErr(pcMaxNoCovariance(d, ratio * d).pc, exact.pc)).toBeLessThan(SMALL_RADIUS_REL_TOL);
    }
    // Above the limit the exact search is used: at R/d = 0.2 it differs from (R/d)²/e by 6.9e-5.
    const wide = pcMaxNoCovariance(1, 0.2);
    expect(relErr(wide.pc, 0.04 / Math.E)).toBeGreaterThan(5e-5);
    expect(
      relErr(wide.pc, pcMaxAlfanoEncounter({ xmKm: 1, zmKm: 0, sigmaXKm: 1, sigmaZKm: 1 }, 0.2).pc),
    ).toBe(0);
  });
  it('on a conjunction, the max is at least the Foster Pc', () => {
    const { conj, hbrKm: h } = conjunctionFromCara(loadCaraUnitTests().shared_inputs['omitron_case1']!);
    expect(pcMaxAlfano(conj, h).pc).toBeGreaterThanOrEqual(pcFoster(conj, h).pc);
  });
});
