/**
 * Small robust statistics for the fragmentation estimators: median by quickselect (Hoare's FIND,
 * Comm. ACM 4(7), 1961) on a scratch buffer, percentiles of a sorted copy, and a seeded
 * pseudo-random generator (mulberry32) so that bootstrap results are reproducible.
 */

import { mulberry32 } from '../math/random.js';

/**
 * The median of `values[0..n)` (reorders them in place). For even n the mean of the two middle
 * values. NaN when n is 0.
 */
export function medianInPlace(values: Float64Array, n: number): number {
  if (n <= 0) return Number.NaN;
  const k = n >> 1;
  const hi = select(values, n, k);
  if (n % 2 === 1) return hi;
  // The lower middle is the largest of the elements left of k after selection.
  let lo = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const v = values[i]!;
    if (v > lo) lo = v;
  }
  return 0.5 * (lo + hi);
}

/** Rearranges values[0..n) so that values[k] is the k-th smallest; returns it. */
function select(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k]!;
}

/** The p-quantile (0..1) of `values` by linear interpolation between order statistics; NaN when empty. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((x, y) => x - y);
  const pos = p * (s.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  const a = s[i]!;
  const b = s[Math.min(i + 1, s.length - 1)]!;
  return a + f * (b - a);
}

/** Sample standard deviation; 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  let m = 0;
  for (const v of values) m += v;
  m /= values.length;
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return Math.sqrt(s / (values.length - 1));
}

/** mulberry32 (math/random.ts): a 32-bit seeded generator returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
