/**
 * A static spherical-harmonic gravity field: GM, reference radius and the fully normalised Stokes
 * coefficients C̄nm, S̄nm (with their standard deviations when the file gives them), as read by
 * the EGM and ICGEM readers of this folder.
 *
 * Normalisation (Heiskanen & Moritz 1967, Eq. 1-73; Montenbruck & Gill 2000, Eq. 3.35; the ICGEM
 * format's `fully_normalized`): P̄nm = Nnm·Pnm with Nnm = √((2 − δm0)(2n + 1)(n − m)!/(n + m)!), so
 * that C̄nm = Cnm / Nnm. The potential is U = GM/r Σn (R/r)ⁿ Σm P̄nm(sin φ)(C̄nm cos mλ + S̄nm sin mλ).
 *
 * Storage: one Float64Array per coefficient kind, triangular, (n, m) at n(n + 1)/2 + m.
 * Units: GM km³/s², radius km (converted from the files' m³/s² and m at the edge).
 */

/** Tide system of the C̄20 coefficient, as the ICGEM keyword `tide_system` names it. */
export type TideSystem = 'tide_free' | 'zero_tide' | 'mean_tide' | 'unknown';

/** The file format a field was read from. */
export type GravityFileFormat = 'icgem' | 'egm';

/** A static gravity field with fully normalised coefficients up to `degree` and `order`. */
export interface GravityField {
  /** Model name (ICGEM `modelname`, or the caller's name for EGM files); '' when unknown. */
  readonly name: string;
  readonly format: GravityFileFormat;
  /** Geocentric gravitational constant GM of the coefficients, km³/s². */
  readonly muKm3S2: number;
  /** Reference (equatorial) radius R of the coefficients, km. */
  readonly radiusKm: number;
  /** Highest degree held (every (n, m) with n ≤ degree, m ≤ min(n, order) is present). */
  readonly degree: number;
  /** Highest order held, ≤ degree. */
  readonly order: number;
  readonly tideSystem: TideSystem;
  /** C̄nm, fully normalised, at coefficientIndex(n, m); length coefficientCount(degree). */
  readonly c: Float64Array;
  /** S̄nm, fully normalised (S̄n0 = 0). */
  readonly s: Float64Array;
  /** Standard deviation of C̄nm when the file gives it (0 where not given). */
  readonly sigmaC?: Float64Array;
  /** Standard deviation of S̄nm when the file gives it. */
  readonly sigmaS?: Float64Array;
}

/** Index of (n, m), m ≤ n, in the triangular coefficient arrays. */
export function coefficientIndex(n: number, m: number): number {
  return (n * (n + 1)) / 2 + m;
}

/** Length of the triangular arrays holding every (n, m) with n ≤ degree. */
export function coefficientCount(degree: number): number {
  return ((degree + 1) * (degree + 2)) / 2;
}

/**
 * Nnm = √((2 − δm0)(2n + 1)(n − m)!/(n + m)!), the factor with P̄nm = Nnm·Pnm and C̄nm = Cnm/Nnm.
 * Computed as a running product of 1/√k (no factorial overflow); it underflows to 0 only for
 * degrees far beyond any un-normalised field in use (n + m ≳ 300).
 */
export function normalizationFactor(n: number, m: number): number {
  let f = Math.sqrt((m === 0 ? 1 : 2) * (2 * n + 1));
  for (let k = n - m + 1; k <= n + m; k++) f /= Math.sqrt(k);
  return f;
}

/** Fully normalised C̄nm of a field (0 beyond its degree or order). */
export function normalizedC(field: GravityField, n: number, m: number): number {
  if (n > field.degree || m > field.order || m > n || m < 0) return 0;
  return field.c[coefficientIndex(n, m)] ?? 0;
}

/** Fully normalised S̄nm of a field (0 beyond its degree or order). */
export function normalizedS(field: GravityField, n: number, m: number): number {
  if (n > field.degree || m > field.order || m > n || m < 0) return 0;
  return field.s[coefficientIndex(n, m)] ?? 0;
}

/** J2 = −C20 = −√5·C̄20 (un-normalised zonal coefficient, sign of the usual Jn convention). */
export function j2Of(field: GravityField): number {
  return -Math.sqrt(5) * normalizedC(field, 2, 0);
}
