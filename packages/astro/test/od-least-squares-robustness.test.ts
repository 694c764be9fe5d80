/**
 * The batch least-squares estimator where it used to claim success it had not earned: a model that
 * throws on every trial step, outlier editing that would remove a parameter's last information,
 * a gross blunder among fewer than five records, ~30% blunders, and a variance factor far above 1.
 */
import { describe, expect, it } from 'vitest';
import {
  type LeastSquaresMeasurement,
  type LeastSquaresPrediction,
  solveLeastSquares,
} from '../src/od/index.js';

/** Round-off plus the scatter of the fixed noise values below (σ = 1). */
const CONSTANT_TOL = 1;

/** Records of one constant y = a with σ = 1 and the given observed values. */
function constantProblem(observed: readonly number[]) {
  const measurements: LeastSquaresMeasurement[] = observed.map((y) => ({
    kind: 'y',
    station: 'A',
    observed: [y],
    sigmas: [1],
  }));
  const evaluate = (p: Float64Array): LeastSquaresPrediction[] =>
    observed.map(() => ({ values: [p[0]!], partials: [1] }));
  return { parameters: [{ name: 'a', value: 0 }], measurements, evaluate };
}

describe('solveLeastSquares: failed trial steps', () => {
  it('a model that throws on every trial step is not converged', () => {
    const base = constantProblem([5, 5.5, 4.5, 5.2]);
    let calls = 0;
    const r = solveLeastSquares({
      ...base,
      evaluate: (p) => {
        calls++;
        if (calls > 1) throw new Error('propagation failed');
        return base.evaluate(p);
      },
    });
    expect(r.converged).toBe(false);
    expect(r.convergence).toBe('model-failed');
    expect(r.modelError).toBe('propagation failed');
    expect(r.failedEvaluations).toBe(11);
    expect(r.iterations).toBe(1);
  });

  it('a model that gives non-finite values on every trial step is not converged', () => {
    const base = constantProblem([5, 5.5, 4.5, 5.2]);
    let calls = 0;
    const r = solveLeastSquares({
      ...base,
      evaluate: (p) => {
        calls++;
        return calls > 1
          ? base.evaluate(p).map(() => ({ values: [Number.NaN], partials: [1] }))
          : base.evaluate(p);
      },
    });
    expect(r.converged).toBe(false);
    expect(r.convergence).toBe('model-failed');
    expect(r.failedEvaluations).toBeGreaterThan(0);
  });

  it('a well-posed fit still converges with no failed evaluation', () => {
    const r = solveLeastSquares(constantProblem([5, 5.5, 4.5, 5.2]));
    expect(r.converged).toBe(true);
    expect(r.failedEvaluations).toBe(0);
    expect(r.warnings).toEqual([]);
  });
});

describe('solveLeastSquares: editing keeps a parameter observable', () => {
  it('keeps the records of a station bias that editing would remove entirely', () => {
    // 20 records of y = a at station A (σ = 0.1) and 3 at station B, y = a + bias, scattered ±100.
    const aObs = Array.from({ length: 20 }, (_, i) => 1 + 0.05 * Math.sin(i));
    const bObs = [101, -99, 101];
    const measurements: LeastSquaresMeasurement[] = [
      ...aObs.map((y) => ({ kind: 'y', station: 'A', observed: [y], sigmas: [0.1] })),
      ...bObs.map((y) => ({ kind: 'y', station: 'B', observed: [y], sigmas: [0.1] })),
    ];
    const r = solveLeastSquares({
      parameters: [
        { name: 'a', value: 0 },
        { name: 'bias-B', value: 0 },
      ],
      measurements,
      evaluate: (p) =>
        measurements.map((m) =>
          m.station === 'A'
            ? { values: [p[0]!], partials: [1, 0] }
            : { values: [p[0]! + p[1]!], partials: [1, 1] },
        ),
    });
    expect(r.residuals.filter((x) => x.station === 'B').every((x) => !x.rejected)).toBe(true);
    expect(r.warnings.some((w) => w.includes('bias-B'))).toBe(true);
    expect(Math.abs(r.estimate[0]! - 1)).toBeLessThan(0.05);
  });
});

describe('solveLeastSquares: editing with few records and many blunders', () => {
  it('rejects a 10000σ blunder among 4 records', () => {
    const r = solveLeastSquares(constantProblem([0.3, -0.5, 0.8, 10000]));
    expect(r.residuals[3]!.rejected).toBe(true);
    expect(r.rejectedCount).toBe(1);
    expect(Math.abs(r.estimate[0]!)).toBeLessThan(CONSTANT_TOL);
    expect(r.converged).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('rejects 30% blunders that inflate the median of the first fit', () => {
    const good = Array.from({ length: 14 }, (_, i) => Math.sin(3 * i));
    const blunders = Array.from({ length: 6 }, (_, i) => 1000 + 10 * i);
    const r = solveLeastSquares(constantProblem([...good, ...blunders]), {
      editing: { maxRejectedFraction: 0.4 },
    });
    expect(r.rejectedCount).toBe(6);
    expect(r.residuals.slice(14).every((x) => x.rejected)).toBe(true);
    expect(Math.abs(r.estimate[0]!)).toBeLessThan(CONSTANT_TOL);
  });

  it('flags a converged fit whose variance factor is far above 1', () => {
    // σ = 1 stated, scatter ±10: variance factor about 100.
    const obs = Array.from({ length: 30 }, (_, i) => 10 * Math.sin(2.1 * i));
    const r = solveLeastSquares(constantProblem(obs), { editing: false });
    expect(r.converged).toBe(true);
    expect(r.varianceFactor).toBeGreaterThan(9);
    expect(r.warnings.some((w) => w.includes('variance factor'))).toBe(true);
  });
});
