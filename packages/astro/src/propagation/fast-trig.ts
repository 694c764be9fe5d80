/**
 * Fast double-precision sine/cosine pairs and angle reduction for the SGP4 batch kernel.
 *
 * One argument reduction serves both sin and cos (the SGP4 kernel always needs both), which halves
 * the work of two separate `Math.sin`/`Math.cos` calls. Method: Cody–Waite reduction by π/2 with a
 * two-part constant (exact for |n| < 2^20, i.e. |x| < 1.6e6 rad), then the minimax kernels on
 * [−π/4, π/4] published with fdlibm (Sun Microsystems, k_sin.c / k_cos.c, coefficients S1–S6,
 * C1–C6). Accuracy: within 2 ulp of the correctly rounded result on the reduced range, about
 * 1e-16 absolute for the angles SGP4 meets (checked against Math.sin/Math.cos in the tests).
 * Larger arguments fall back to Math.sin/Math.cos.
 */

/** Output of `sincos`: [sin, cos] of the last argument. Read immediately; the next call overwrites it. */
export const SINCOS = new Float64Array(2);

/** 2/π. */
const INV_PIO2 = 0.6366197723675814;
/** First 33 bits of π/2 (fdlibm pio2_1): n·PIO2_HI is exact for |n| < 2^20. */
const PIO2_HI = 1.5707963267341256;
/** π/2 − PIO2_HI (fdlibm pio2_1t). */
const PIO2_LO = 6.077100506506192e-11;
/** Largest |x| reduced here; beyond it Math.sin/Math.cos are used. */
const REDUCE_LIMIT = 1.6e6;

// fdlibm k_sin.c: sin(x) ≈ x + x³·(S1 + x²·(S2 + … + x²·S6)) on |x| ≤ π/4.
const S1 = -0.16666666666666632;
const S2 = 0.00833333333332249;
const S3 = -0.0001984126982985795;
const S4 = 2.7557313707070068e-6;
const S5 = -2.5050760253406863e-8;
const S6 = 1.58969099521155e-10;
// fdlibm k_cos.c: cos(x) ≈ 1 − x²/2 + x⁴·(C1 + x²·(C2 + … + x²·C6)) on |x| ≤ π/4.
const C1 = 0.0416666666666666;
const C2 = -0.001388888888887411;
const C3 = 2.480158728947673e-5;
const C4 = -2.7557314351390663e-7;
const C5 = 2.087572321298175e-9;
const C6 = -1.1359647557788195e-11;

/** Writes sin(x) and cos(x) into SINCOS[0] and SINCOS[1]. x in radians. */
export function sincos(x: number): void {
  if (!(Math.abs(x) < REDUCE_LIMIT)) {
    SINCOS[0] = Math.sin(x);
    SINCOS[1] = Math.cos(x);
    return;
  }
  const n = Math.round(x * INV_PIO2);
  const r = x - n * PIO2_HI - n * PIO2_LO;
  const z = r * r;
  const s = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  const c = 1 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  // Quadrant: odd quadrants swap sin and cos; the signs follow (n mod 4).
  const k = n & 3;
  const swap = k & 1;
  const sinSign = k & 2 ? -1 : 1;
  const cosSign = (k + 1) & 2 ? -1 : 1;
  SINCOS[0] = sinSign * (swap ? c : s);
  SINCOS[1] = cosSign * (swap ? s : c);
}

/**
 * fmod(x, 2π) with C semantics (the result has the sign of x), computed by truncated division.
 * Differs from C's exact fmod by at most a few ulp of x, far below SGP4's own precision.
 */
export function fmod2pi(x: number): number {
  const TWO_PI = 6.283185307179586;
  return x - Math.trunc(x / TWO_PI) * TWO_PI;
}
