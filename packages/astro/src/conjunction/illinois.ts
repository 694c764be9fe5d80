/**
 * Root of a function with a sign change from − to + in a bracket, by the Illinois variant of regula
 * falsi (Dowell & Jarratt 1971): superlinear, and never leaves the bracket. Used for the range
 * rate of a pair (its root is a minimum of the distance) on the interpolants and on SGP4 itself.
 */

/**
 * Narrows [lo, hi] (g(lo) = glo < 0 ≤ ghi = g(hi)) until it is at most `tolerance` wide or after
 * `maxIterations` evaluations, and returns the last estimate; NaN when g returns NaN. `out[0]`,
 * when given, receives the final bracket width.
 */
export function illinoisRoot(
  g: (t: number) => number,
  lo0: number,
  hi0: number,
  glo0: number,
  ghi0: number,
  tolerance: number,
  maxIterations: number,
  out?: Float64Array,
): number {
  let lo = lo0;
  let hi = hi0;
  let glo = glo0;
  let ghi = ghi0;
  let side = 0;
  let t = hi;
  for (let it = 0; it < maxIterations && hi - lo > tolerance; it++) {
    t = (lo * ghi - hi * glo) / (ghi - glo);
    if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    const v = g(t);
    if (Number.isNaN(v)) return Number.NaN;
    if (v < 0) {
      lo = t;
      glo = v;
      if (side === -1) ghi *= 0.5;
      side = -1;
    } else {
      hi = t;
      ghi = v;
      if (side === 1) glo *= 0.5;
      side = 1;
    }
  }
  if (out !== undefined) out[0] = hi - lo;
  return t;
}
