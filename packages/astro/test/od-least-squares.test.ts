/**
 * The batch least-squares estimator on problems whose answer is known in closed form: a weighted
 * linear fit against its normal-equation solution and covariance, a nonlinear fit from a poor
 * first guess (Levenberg–Marquardt), outlier editing with its k·σ rule and its rejection cap,
 * unobservable problems refused with the parameters named, a-priori information, the residual
 * statistics per kind and station, and the χ² helpers of the realism harness.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareQuantile } from '../src/math/chi-square.js';
import {
  type LeastSquaresMeasurement,
  type LeastSquaresPrediction,
  residualStatisticsInReportUnits,
  seededRandom,
  solveLeastSquares,
} from '../src/od/index.js';
import { codeOf } from './test-support.js';

/** Round-off of a well-conditioned 3-parameter solve. */
const LINEAR_TOL = 1e-9;

/** y = a + b·t + c·t² sampled at t = 0..19 with σ alternating 0.1 and 0.2. */
function quadraticProblem(truth: readonly number[], noise: (i: number) => number) {
  const ts = Array.from({ length: 20 }, (_, i) => i / 4);
  const measurements: LeastSquaresMeasurement[] = ts.map((t, i) => ({
    kind: 'y',
    station: i % 2 === 0 ? 'A' : 'B',
    observed: [truth[0]! + truth[1]! * t + truth[2]! * t * t + noise(i)],
    sigmas: [i % 2 === 0 ? 0.1 : 0.2],
  }));
  const evaluate = (p: Float64Array): LeastSquaresPrediction[] =>
    ts.map((t) => ({ values: [p[0]! + p[1]! * t + p[2]! * t * t], partials: [1, t, t * t] }));
  return { ts, measurements, evaluate };
}

describe('solveLeastSquares: linear problem', () => {
  it('matches the closed-form weighted solution and covariance', () => {
    const rnd = seededRandom(7);
    const noise = Array.from({ length: 20 }, (_, i) => rnd.normal() * (i % 2 === 0 ? 0.1 : 0.2));
    const { ts, measurements, evaluate } = quadraticProblem([1, -2, 0.5], (i) => noise[i]!);
    const r = solveLeastSquares(
      {
        parameters: [
          { name: 'a', value: 0 },
          { name: 'b', value: 0 },
          { name: 'c', value: 0 },
        ],
        measurements,
        evaluate,
      },
      { editing: false, initialDamping: 0 },
    );
    // Closed form: N = Σ w h hᵀ, x = N⁻¹ Σ w h y (3×3 by Cramer).
    const N = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const b = [0, 0, 0];
    ts.forEach((t, i) => {
      const h = [1, t, t * t];
      const w = 1 / measurements[i]!.sigmas[0]! ** 2;
      for (let a = 0; a < 3; a++) {
        b[a]! += w * h[a]! * measurements[i]!.observed[0]!;
        for (let c = 0; c < 3; c++) N[a * 3 + c]! += w * h[a]! * h[c]!;
      }
    });
    const det = (m: number[]) =>
      m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
      m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
      m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
    const d = det(N);
    const x = [0, 1, 2].map((k) => det(N.map((v, idx) => (idx % 3 === k ? b[Math.floor(idx / 3)]! : v))) / d);
    // Variance of a: cofactor (0,0) / det.
    const var0 = (N[4]! * N[8]! - N[5]! * N[7]!) / d;
    console.log(
      `linear fit: ${Array.from(r.estimate).map((v) => v.toFixed(6))} in ${r.iterations} iterations (${r.convergence}), σ̂² = ${r.varianceFactor.toFixed(3)}, cond ${r.conditionNumber.toExponential(2)}`,
    );
    for (let k = 0; k < 3; k++) expect(Math.abs(r.estimate[k]! - x[k]!)).toBeLessThan(LINEAR_TOL);
    expect(Math.abs(r.covariance[0]! - var0) / var0).toBeLessThan(LINEAR_TOL);
    expect(r.converged).toBe(true);
    // Residuals are computed − observed.
    const first = r.residuals[0]!;
    expect(first.residuals[0]).toBeCloseTo(r.estimate[0]! - measurements[0]!.observed[0]!, 12);
    expect(first.normalized[0]).toBeCloseTo(first.residuals[0]! / 0.1, 12);
    // Statistics: per station the normalised RMS, per kind the raw RMS.
    const st = r.statisticsByStation;
    expect(st['A']!.count).toBe(10);
    expect(st['B']!.count).toBe(10);
    expect(r.statisticsByKind['y']!.count).toBe(20);
    // Scaled covariance = σ̂² · formal.
    expect(r.scaledCovariance[4]! / r.covariance[4]!).toBeCloseTo(r.varianceFactor, 12);
  });
});

describe('solveLeastSquares: nonlinear problem and damping', () => {
  it('fits y = A·exp(−k t)·cos(ω t) from a poor first guess', () => {
    const truth = [3, 0.2, 1.3];
    const ts = Array.from({ length: 60 }, (_, i) => i * 0.1);
    const rnd = seededRandom(11);
    const model = (p: ArrayLike<number>, t: number) => p[0]! * Math.exp(-p[1]! * t) * Math.cos(p[2]! * t);
    const measurements = ts.map((t) => ({
      kind: 'y',
      station: 'S',
      observed: [model(truth, t) + 0.01 * rnd.normal()],
      sigmas: [0.01],
    }));
    const r = solveLeastSquares({
      parameters: [
        { name: 'A', value: 2 },
        { name: 'k', value: 0.5 },
        { name: 'omega', value: 1.1 },
      ],
      measurements,
      evaluate: (p) =>
        ts.map((t) => {
          const e = Math.exp(-p[1]! * t);
          const c = Math.cos(p[2]! * t);
          const s = Math.sin(p[2]! * t);
          return {
            values: [p[0]! * e * c],
            partials: [e * c, -t * p[0]! * e * c, -t * p[0]! * e * s],
          };
        }),
    });
    console.log(
      `nonlinear fit: ${Array.from(r.estimate).map((v) => v.toFixed(5))} ±${Array.from(r.sigmas).map((v) => v.toExponential(1))}, ${r.iterations} iterations (${r.convergence}), WRMS ${r.weightedRms.toFixed(3)}, λ history ${r.history.map((h) => h.damping.toExponential(0)).join(' ')}`,
    );
    expect(r.converged).toBe(true);
    for (let k = 0; k < 3; k++) expect(Math.abs(r.estimate[k]! - truth[k]!)).toBeLessThan(4 * r.sigmas[k]!);
    // The weighted RMS of pure noise at its stated σ is near 1.
    expect(r.weightedRms).toBeGreaterThan(0.7);
    expect(r.weightedRms).toBeLessThan(1.3);
  });
});

describe('solveLeastSquares: outlier editing', () => {
  const make = (outliers: readonly number[]) => {
    const rnd = seededRandom(3);
    const base = quadraticProblem([1, -2, 0.5], () => 0);
    const noise = Array.from({ length: 20 }, () => rnd.normal());
    const measurements = base.measurements.map((m, i) => ({
      ...m,
      observed: [m.observed[0]! + m.sigmas[0]! * (outliers.includes(i) ? 50 : noise[i]!)],
    }));
    return { ...base, measurements };
  };
  const params = [
    { name: 'a', value: 0 },
    { name: 'b', value: 0 },
    { name: 'c', value: 0 },
  ];

  it('rejects gross errors at k·σ and recovers the truth', () => {
    const p = make([4, 13]);
    const r = solveLeastSquares({ parameters: params, measurements: p.measurements, evaluate: p.evaluate });
    const rejected = r.residuals.filter((x) => x.rejected).map((x) => x.index);
    console.log(
      `editing: rejected ${rejected.join(',')} of 20, WRMS ${r.weightedRms.toFixed(3)}, ${r.iterations} iterations`,
    );
    expect(rejected).toEqual([4, 13]);
    expect(r.rejectedCount).toBe(2);
    expect(r.statisticsByStation['A']!.rejected + r.statisticsByStation['B']!.rejected).toBe(2);
    expect(Math.abs(r.estimate[0]! - 1)).toBeLessThan(4 * r.sigmas[0]!);
  });

  it('never rejects more than the set fraction', () => {
    // 100 samples, 30 of them gross errors of ±50σ; the cap is 20%.
    const rnd = seededRandom(5);
    const ts = Array.from({ length: 100 }, (_, i) => i / 20);
    const bad = (i: number) => i % 3 === 0 && i < 90;
    const measurements = ts.map((t, i) => ({
      kind: 'y',
      station: 'S',
      observed: [1 - 2 * t + 0.5 * t * t + 0.1 * (bad(i) ? (i % 2 === 0 ? 50 : -50) : rnd.normal())],
      sigmas: [0.1],
    }));
    const r = solveLeastSquares(
      {
        parameters: params,
        measurements,
        evaluate: (p) =>
          ts.map((t) => ({ values: [p[0]! + p[1]! * t + p[2]! * t * t], partials: [1, t, t * t] })),
      },
      { editing: { maxRejectedFraction: 0.2 } },
    );
    const rejected = r.residuals.filter((x) => x.rejected).map((x) => x.index);
    console.log(
      `editing cap: 30 gross errors in 100, ${rejected.length} rejected (cap 20), all gross: ${rejected.every(bad)}`,
    );
    expect(r.rejectedCount).toBe(20);
    expect(rejected.every(bad)).toBe(true);
  });

  it('edits nothing when editing is off', () => {
    const p = make([4]);
    const r = solveLeastSquares(
      { parameters: params, measurements: p.measurements, evaluate: p.evaluate },
      { editing: false },
    );
    expect(r.rejectedCount).toBe(0);
  });
});

describe('solveLeastSquares: observability', () => {
  const ts = [0, 1, 2, 3, 4];
  const measurements = ts.map((t) => ({ kind: 'y', station: 'S', observed: [2 * t + 1], sigmas: [0.1] }));

  it('names a parameter no measurement depends on', () => {
    const call = () =>
      solveLeastSquares({
        parameters: [
          { name: 'a', value: 0 },
          { name: 'b', value: 0 },
          { name: 'bias:X', value: 0 },
        ],
        measurements,
        evaluate: (p) => ts.map((t) => ({ values: [p[0]! + p[1]! * t], partials: [1, t, 0] })),
      });
    expect(codeOf(call)).toBe('OD_UNOBSERVABLE');
    try {
      call();
    } catch (e) {
      expect((e as { details: { parameters: string[] } }).details.parameters).toEqual(['bias:X']);
      console.log(`unobservable: ${(e as Error).message}`);
    }
  });

  it('names two parameters the data cannot separate', () => {
    const call = () =>
      solveLeastSquares({
        parameters: [
          { name: 'a', value: 0 },
          { name: 'b', value: 0 },
          { name: 'range-bias', value: 0 },
        ],
        measurements,
        evaluate: (p) => ts.map((t) => ({ values: [p[0]! + p[1]! * t + p[2]!], partials: [1, t, 1] })),
      });
    expect(codeOf(call)).toBe('OD_UNOBSERVABLE');
    try {
      call();
    } catch (e) {
      const named = (e as { details: { parameters: string[] } }).details.parameters;
      console.log(`inseparable: ${(e as Error).message}`);
      expect([...named].sort()).toEqual(['a', 'range-bias']);
    }
  });

  it('an a-priori σ makes it solvable, and the bias keeps its a-priori σ', () => {
    const r = solveLeastSquares({
      parameters: [
        { name: 'a', value: 0 },
        { name: 'b', value: 0 },
        { name: 'bias:X', value: 0, aprioriSigma: 0.5 },
      ],
      measurements,
      evaluate: (p) => ts.map((t) => ({ values: [p[0]! + p[1]! * t], partials: [1, t, 0] })),
    });
    expect(r.sigmas[2]).toBeCloseTo(0.5, 12);
    expect(r.estimate[0]).toBeCloseTo(1, 9);
  });

  it('refuses too few measurements', () => {
    expect(
      codeOf(() =>
        solveLeastSquares({
          parameters: [
            { name: 'a', value: 0 },
            { name: 'b', value: 0 },
          ],
          measurements: [{ kind: 'y', station: 'S', observed: [1], sigmas: [1] }],
          evaluate: () => [{ values: [0], partials: [1, 0] }],
        }),
      ),
    ).toBe('OD_TOO_FEW_MEASUREMENTS');
  });
});

describe('χ² helpers', () => {
  it('matches tabulated quantiles', () => {
    // Abramowitz & Stegun Table 26.8: χ²(6) 0.95 = 12.5916, χ²(1) 0.95 = 3.8415, χ²(3) 0.99 = 11.3449.
    expect(chiSquareQuantile(0.95, 6)).toBeCloseTo(12.5916, 3);
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.8415, 3);
    expect(chiSquareQuantile(0.99, 3)).toBeCloseTo(11.3449, 3);
    expect(chiSquareCdf(6, 6)).toBeCloseTo(0.5768, 3);
  });
});

describe('residual reports', () => {
  it('wraps angle residuals and reports metres and arcseconds', () => {
    const ARCSEC = Math.PI / (180 * 3600);
    // Two ranges 2 m apart about a 1-parameter range, and an azimuth just below 2π against a model
    // just above 0 (the residual must wrap to 2″, not 2π).
    const r = solveLeastSquares(
      {
        parameters: [{ name: 'rho', value: 1000 }],
        measurements: [
          { kind: 'range', station: 'S', observed: [1000.001], sigmas: [0.001] },
          { kind: 'range', station: 'S', observed: [999.999], sigmas: [0.001] },
          {
            kind: 'azimuth-elevation',
            station: 'T',
            observed: [2 * Math.PI - ARCSEC, 0.5],
            sigmas: [ARCSEC, ARCSEC],
            wrap: [true, false],
          },
        ],
        evaluate: (p) => [
          { values: [p[0]!], partials: [1] },
          { values: [p[0]!], partials: [1] },
          { values: [ARCSEC, 0.5], partials: [0, 0] },
        ],
      },
      { editing: false },
    );
    const rep = residualStatisticsInReportUnits(r.statisticsByKind, r.statisticsByStation);
    console.log(`report: ${JSON.stringify(rep.byKind)}`);
    expect(rep.byKind['range']!.rms).toBeCloseTo(1, 9);
    expect(rep.byKind['range']!.unit).toBe('m');
    // Azimuth residual C − O = +2″, elevation 0: RMS over both values √2″.
    expect(r.residuals[2]!.residuals[0]! / ARCSEC).toBeCloseTo(2, 6);
    expect(rep.byKind['azimuth-elevation']!.rms).toBeCloseTo(Math.SQRT2, 6);
    expect(rep.byStation['T']!.unit).toBe('arcsec');
  });
});
