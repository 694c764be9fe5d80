/**
 * Quantiles of the normal and chi-square distributions for correlation gates.
 *
 * Normal: P. J. Acklam's rational approximation of the inverse normal distribution function
 * (relative error below 1.15e-9). Chi-square: the Wilson–Hilferty cube-root transformation
 * (Wilson & Hilferty, PNAS 17, 1931), χ²_k(p) ≈ k·(1 − 2/(9k) + z_p·√(2/(9k)))³, within about 1%
 * of the exact quantile for k ≥ 2 at the probabilities used as gates (0.99 to 0.99999): a gate, not
 * a test statistic reported to many digits.
 */
import { AstroError } from '../errors.js';

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function tail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  return (
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  );
}

/** The p-quantile of the standard normal distribution, 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new AstroError(
      'PROBABILITY_INVALID',
      `a probability strictly between 0 and 1 is needed, got ${p}`,
      { p },
    );
  }
  if (p < P_LOW) return tail(p);
  if (p > 1 - P_LOW) return -tail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** The p-quantile of the chi-square distribution with `dof` degrees of freedom (Wilson–Hilferty). */
export function chiSquareQuantile(dof: number, p: number): number {
  if (!(dof >= 1)) {
    throw new AstroError('DOF_INVALID', `degrees of freedom must be at least 1, got ${dof}`, { dof });
  }
  const z = normalQuantile(p);
  const h = 2 / (9 * dof);
  const c = 1 - h + z * Math.sqrt(h);
  return dof * Math.max(c, 0) ** 3;
}
