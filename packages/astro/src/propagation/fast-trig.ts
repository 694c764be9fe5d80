/**
 * Fast double-precision sine/cosine pairs and angle reduction for the SGP4 batch kernel.
 *
 * `sincos`: one argument reduction serves both sin and cos (the SGP4 kernel always needs both).
 * Method: Cody–Waite reduction by π/2 with a two-part constant (n·π/2 exact for |n| < 2^20; used
 * for |x| < 1.5e6 rad), then the minimax kernels on [−π/4, π/4] published with fdlibm (Sun
 * Microsystems, k_sin.c / k_cos.c, coefficients S1–S6, C1–C6), evaluated in Estrin rather than
 * Horner form (a shorter dependency chain, the same accuracy: the polynomial part is under 0.1 of
 * the result). Accuracy about 1e-16 absolute, checked against Math.sin/Math.cos in the tests.
 * Larger arguments, infinities and NaN fall back to Math.sin/Math.cos.
 *
 * `sincosSmall`: the Taylor series for the small increments of angle-addition formulas.
 * `fmod2pi`: C's fmod(x, 2π) by truncation.
 *
 * The functions write into `SINCOS` instead of returning a pair, and are kept small in bytecode,
 * because the kernels rely on V8 inlining them (see sgp4-batch.ts).
 */
/** Output of `sincos`: [sin, cos] of the last argument. Read immediately; the next call overwrites it. */
export const SINCOS = new Float64Array(2);

/** Largest |x·2/π| reduced here (|x| < 1.5e6 rad); beyond it Math.sin/Math.cos are used. */
const REDUCE_LIMIT_QUADRANTS = 1.0e6;
/** 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer. */
const ROUND_SHIFT = 6755399441055744.0;
/**
 * Quadrant tables: with (s, c) = sin/cos of the reduced argument and q = n mod 4,
 * sin x = QSIN[q]·s + QCOS[q]·c and cos x = QSIN[q]·c − QCOS[q]·s (exact: the factors are 0, ±1).
 */
const QSIN = Float64Array.from([1, 0, -1, 0]);
const QCOS = Float64Array.from([0, 1, 0, -1]);

/**
 * Writes sin(x) and cos(x) into SINCOS[0] and SINCOS[1]. x in radians.
 *
 * Kept small (numeric literals, branch-free quadrant selection, the rare large-argument path out of
 * line) so that V8 inlines it at every call site of the SGP4 kernels within its inlining budget.
 * The polynomials are evaluated in Estrin form (same coefficients as fdlibm's Horner form), which
 * shortens the dependency chain of Kepler's iteration.
 */
export function sincos(x: number): void {
  // n = round(x·2/π) (ties to even); 0.63661… = 2/π.
  const n = x * 0.6366197723675814 + ROUND_SHIFT - ROUND_SHIFT;
  if (!(Math.abs(n) < REDUCE_LIMIT_QUADRANTS)) {
    sincosLarge(x);
    return;
  }
  // Cody–Waite: π/2 = 1.5707963267341256 (fdlibm pio2_1, 33 bits) + 6.077100506506192e-11 (pio2_1t).
  const r = x - n * 1.5707963267341256 - n * 6.077100506506192e-11;
  const z = r * r;
  const z2 = z * z;
  // fdlibm k_sin.c S1…S6 and k_cos.c C1…C6.
  const s =
    r +
    r *
      z *
      (-0.16666666666666632 +
        z * 0.00833333333332249 +
        z2 * (-0.0001984126982985795 + z * 2.7557313707070068e-6) +
        z2 * z2 * (-2.5050760253406863e-8 + z * 1.58969099521155e-10));
  const c =
    1 -
    0.5 * z +
    z2 *
      (0.0416666666666666 +
        z * -0.001388888888887411 +
        z2 * (2.480158728947673e-5 + z * -2.7557314351390663e-7) +
        z2 * z2 * (2.087572321298175e-9 + z * -1.1359647557788195e-11));
  const q = n & 3;
  const a = QSIN[q] as number;
  const b = QCOS[q] as number;
  SINCOS[0] = a * s + b * c;
  SINCOS[1] = a * c - b * s;
}

/** The out-of-line path of `sincos` for |x| ≥ 1.5e6 rad, infinities and NaN. */
function sincosLarge(x: number): void {
  SINCOS[0] = Math.sin(x);
  SINCOS[1] = Math.cos(x);
}

/**
 * fmod(x, 2π) with C semantics (the result has the sign of x), computed as x − trunc(x·(1/2π))·2π.
 * Differs from C's exact fmod by a few ulp of x, or by ±2π (the same angle, possibly of the other
 * sign) when x is within a few ulp of a multiple of 2π; SGP4 only uses the result as an angle.
 */
export function fmod2pi(x: number): number {
  // 0.15915494309189535 = 1/(2π); 6.283185307179586 = 2π.
  return x - Math.trunc(x * 0.15915494309189535) * 6.283185307179586;
}

/** Largest |d| (rad) for which the Taylor form `sincosSmall` is accurate to rounding. */
export const SMALL_ANGLE = 0.125;

/**
 * Writes sin(d) and cos(d) into SINCOS[0] and SINCOS[1] for |d| ≤ SMALL_ANGLE, by the Taylor
 * series through d¹¹ and d¹²: the first omitted terms, d¹³/13! and d¹⁴/14!, are below 3e-22 there,
 * so only rounding remains (≤ 1 ulp). For the small SGP4 corrections (Newton steps of Kepler's
 * equation, short-period terms, dpper's zf offset) added to an angle whose sine and cosine are
 * already known: sin/cos(a + d) then follow by angle addition without a second reduction.
 */
export function sincosSmall(d: number): void {
  const d2 = d * d;
  SINCOS[0] =
    d +
    d *
      d2 *
      (-0.16666666666666666 +
        d2 *
          (0.008333333333333333 +
            d2 * (-0.0001984126984126984 + d2 * (2.7557319223985893e-6 - d2 * 2.505210838544172e-8))));
  SINCOS[1] =
    1 -
    0.5 * d2 +
    d2 *
      d2 *
      (0.041666666666666664 +
        d2 *
          (-0.001388888888888889 +
            d2 * (2.48015873015873e-5 + d2 * (-2.755731922398589e-7 + d2 * 2.08767569878681e-9))));
}
