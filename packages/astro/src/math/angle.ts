/** Angle reduction shared by the modules that difference angles (residuals, nutation arguments). */

const TWO_PI = 2 * Math.PI;

/** Reduces an angle (or an angle difference) to (−π, π], rad. */
export function wrapPi(a: number): number {
  let w = a % TWO_PI;
  if (w > Math.PI) w -= TWO_PI;
  else if (w <= -Math.PI) w += TWO_PI;
  return w;
}
