/**
 * Gravitational potential, acceleration and gravity gradient of a spherical-harmonic field in the
 * body-fixed frame (ITRF for the Earth), fully normalised, to any degree and order.
 *
 * Method: Cunningham's solid harmonics in Cartesian coordinates, V̄nm + iW̄nm =
 * (R/r)ⁿ⁺¹ P̄nm(z/r) e^{imλ}, computed with the fully normalised forms of the recursions of
 * Montenbruck & Gill, "Satellite Orbits" (2000), Eqs. 3.29–3.31 (sectoral terms from the diagonal,
 * then the forward column recursion in n for each m). Every V̄nm, W̄nm is a polynomial in x, y, z
 * divided by a power of r, so nothing is divided by cos φ and the poles and the z axis are not
 * special (unlike the Legendre-in-latitude forms). The normalised factors are
 *
 *   V̄mm = √((2m+1)/(2m)) (x₀V̄m−1,m−1 − y₀W̄m−1,m−1)   (√3 for m = 1)
 *   V̄nm = √((2n+1)(2n−1)/((n−m)(n+m))) z₀V̄n−1,m − √((2n+1)(n+m−1)(n−m−1)/((2n−3)(n−m)(n+m))) ρ²V̄n−2,m
 *
 * with x₀ = Rx/r², y₀ = Ry/r², z₀ = Rz/r², ρ² = R²/r², V̄00 = R/r (the same for W̄).
 *
 * Derivatives: Montenbruck & Gill Eq. 3.33 writes each Cartesian partial of a term (n, m) as a
 * combination of terms of degree n + 1 (orders m − 1, m, m + 1). With normalised functions these
 * rules are, for Z̄nm = V̄nm + iW̄nm and D± = ∂x ± i∂y,
 *
 *   ∂z Z̄nm = −(1/R) √((2n+1)/(2n+3)·(n+m+1)(n−m+1)) Z̄n+1,m
 *   D+ Z̄nm = −(1/R) √(½^δm0·(2n+1)/(2n+3)·(n+m+1)(n+m+2)) Z̄n+1,m+1
 *   D− Z̄nm = +(1/R) √(2^δm1·(2n+1)/(2n+3)·(n−m+2)(n−m+1)) Z̄n+1,m−1   (m ≥ 1; for m = 0 it is
 *            −(1/R) f+ conj(Z̄n+1,1), which makes ∂x, ∂y of a zonal term real).
 *
 * Since the rules are linear in the coefficients, the partials of U = (μ/R) Σ C̄V̄ + S̄W̄ are again
 * sums Σ C̄′V̄ + S̄′W̄ of degree N + 1 with coefficients C̄′, S̄′ that depend on the field only.
 * They are computed once, when the model is built (and once more for the 3×3 gradient, degree
 * N + 2), so an evaluation is one recursion plus dot products: no per-call allocation, no
 * trigonometric function, no square root in the loop (factors are tabulated).
 *
 * Stability: the forward column recursion with normalised functions is stable to degree ≈ 2000
 * (Holmes & Featherstone 2002, J. Geodesy 76, §2). Its limit is underflow: the sectoral terms carry
 * (R/r)^(m+1)·cosᵐφ and reach 0 for large m (m ≳ 65 at 89.999°; m ≳ 1000 at 60° for r = R).
 * The terms of higher degree in those orders are then lost, and on the Earth's surface near
 * degree 2000 some of them are not negligible (Holmes & Featherstone 2002, §2). Holmes & Featherstone's scaling (not done here)
 * fixes that for geoid work. At satellite altitudes the factor (R/r)ⁿ shrinks the lost terms
 * further. This model is meant for r > R; it is tested to degree 360 (at 89.999° and on the axis).
 * Units: position km, potential km²/s², acceleration km/s², gradient 1/s².
 */
import { AstroError } from '../errors.js';
import { coefficientCount, coefficientIndex, type GravityField } from './gravity-field.js';

/** Coefficients of one series Σ C̄V̄ + S̄W̄ over a triangle of degree `degree`. */
interface Series {
  readonly c: Float64Array;
  readonly s: Float64Array;
}

/**
 * The coefficient series of ∂/∂x, ∂/∂y, ∂/∂z (times R) of the series (c, s) of degree `degree`:
 * degree + 1, order + 1 (Montenbruck & Gill Eq. 3.33, normalised; see the module header).
 */
function differentiate(input: Series, degree: number, order: number): [Series, Series, Series] {
  const count = coefficientCount(degree + 1);
  const x = { c: new Float64Array(count), s: new Float64Array(count) };
  const y = { c: new Float64Array(count), s: new Float64Array(count) };
  const z = { c: new Float64Array(count), s: new Float64Array(count) };
  for (let n = 0; n <= degree; n++) {
    const q = (2 * n + 1) / (2 * n + 3);
    for (let m = 0; m <= Math.min(n, order); m++) {
      const k = coefficientIndex(n, m);
      const c = input.c[k] ?? 0;
      const s = m === 0 ? 0 : (input.s[k] ?? 0);
      if (c === 0 && s === 0) continue;
      const g = Math.sqrt(q * (n + m + 1) * (n - m + 1));
      const k0 = coefficientIndex(n + 1, m);
      z.c[k0] = (z.c[k0] ?? 0) - g * c;
      z.s[k0] = (z.s[k0] ?? 0) - g * s;
      const fp = Math.sqrt((m === 0 ? 0.5 : 1) * q * (n + m + 1) * (n + m + 2));
      const kp = k0 + 1;
      if (m === 0) {
        x.c[kp] = (x.c[kp] ?? 0) - fp * c;
        y.s[kp] = (y.s[kp] ?? 0) - fp * c;
        continue;
      }
      const fm = Math.sqrt((m === 1 ? 2 : 1) * q * (n - m + 2) * (n - m + 1));
      const km = k0 - 1;
      x.c[kp] = (x.c[kp] ?? 0) - 0.5 * fp * c;
      x.s[kp] = (x.s[kp] ?? 0) - 0.5 * fp * s;
      x.c[km] = (x.c[km] ?? 0) + 0.5 * fm * c;
      x.s[km] = (x.s[km] ?? 0) + 0.5 * fm * s;
      y.c[kp] = (y.c[kp] ?? 0) + 0.5 * fp * s;
      y.s[kp] = (y.s[kp] ?? 0) - 0.5 * fp * c;
      y.c[km] = (y.c[km] ?? 0) + 0.5 * fm * s;
      y.s[km] = (y.s[km] ?? 0) - 0.5 * fm * c;
    }
  }
  // S̄n0 multiplies W̄n0 = 0: keep those entries at 0 so that the series stay canonical.
  for (const t of [x, y, z]) {
    for (let n = 0; n <= degree + 1; n++) t.s[coefficientIndex(n, 0)] = 0;
  }
  return [x, y, z];
}

/**
 * A spherical-harmonic gravity model built once per (field, degree, order): it holds the truncated
 * coefficients, their derivative series, the recursion factors and the work arrays, so that
 * evaluations allocate nothing. Not safe to share between threads evaluating concurrently (it owns
 * its work arrays); build one per worker.
 */
export class SphericalHarmonicGravity {
  /** Degree N of the expansion. */
  readonly degree: number;
  /** Order M ≤ N of the expansion. */
  readonly order: number;
  /** GM, km³/s². */
  readonly muKm3S2: number;
  /** Reference radius R, km. */
  readonly radiusKm: number;

  private readonly potentialSeries: Series;
  /** The three gradient series interleaved, (C̄x, S̄x, C̄y, S̄y, C̄z, S̄z) per (n, m), adjacent in memory. */
  private readonly accCoefficients: Float64Array;
  /** Acceleration and second-derivative series interleaved (see hessian()), built on first use. */
  private hessianCoefficients: Float64Array | undefined;
  /** Recursion factors for n ≤ N + 2: column a, b per (n, m); sectoral per m. */
  private readonly colA: Float64Array;
  private readonly colB: Float64Array;
  private readonly sect: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;

  /**
   * @param field the coefficients (fully normalised)
   * @param degree N ≤ field.degree (default field.degree); 0 gives the point mass
   * @param order M ≤ min(N, field.order) (default min(N, field.order))
   */
  constructor(
    field: GravityField,
    degree: number = field.degree,
    order: number = Math.min(degree, field.order),
  ) {
    if (!Number.isInteger(degree) || degree < 0 || degree > field.degree) {
      throw new AstroError(
        'GRAVITY_BAD_DEGREE',
        `degree must be an integer in 0..${field.degree}, got ${degree}`,
        {
          degree,
          fieldDegree: field.degree,
        },
      );
    }
    if (!Number.isInteger(order) || order < 0 || order > Math.min(degree, field.order)) {
      throw new AstroError(
        'GRAVITY_BAD_DEGREE',
        `order must be an integer in 0..${Math.min(degree, field.order)}, got ${order}`,
        { order, degree, fieldOrder: field.order },
      );
    }
    if (!(field.muKm3S2 > 0) || !(field.radiusKm > 0)) {
      throw new AstroError('GRAVITY_BAD_FIELD', 'GM and radius must be positive', {
        muKm3S2: field.muKm3S2,
        radiusKm: field.radiusKm,
      });
    }
    this.degree = degree;
    this.order = order;
    this.muKm3S2 = field.muKm3S2;
    this.radiusKm = field.radiusKm;

    const count = coefficientCount(degree);
    const c = new Float64Array(count);
    const s = new Float64Array(count);
    for (let n = 0; n <= degree; n++) {
      for (let m = 0; m <= Math.min(n, order); m++) {
        const k = coefficientIndex(n, m);
        c[k] = field.c[k] ?? 0;
        s[k] = m === 0 ? 0 : (field.s[k] ?? 0);
      }
    }
    this.potentialSeries = { c, s };
    // The gradient series are kept only interleaved (memory: 6 doubles per term at degree N + 1).
    const [gx, gy, gz] = differentiate(this.potentialSeries, degree, order);
    this.accCoefficients = new Float64Array(6 * gx.c.length);
    for (let k = 0; k < gx.c.length; k++) {
      this.accCoefficients.set([gx.c[k]!, gx.s[k]!, gy.c[k]!, gy.s[k]!, gz.c[k]!, gz.s[k]!], 6 * k);
    }

    const top = degree + 2;
    const total = coefficientCount(top);
    this.colA = new Float64Array(total);
    this.colB = new Float64Array(total);
    this.sect = new Float64Array(top + 1);
    for (let n = 1; n <= top; n++) {
      for (let m = 0; m < n; m++) {
        const k = coefficientIndex(n, m);
        this.colA[k] = Math.sqrt(((2 * n + 1) * (2 * n - 1)) / ((n - m) * (n + m)));
        this.colB[k] =
          n - m >= 2
            ? Math.sqrt(((2 * n + 1) * (n + m - 1) * (n - m - 1)) / ((2 * n - 3) * (n - m) * (n + m)))
            : 0;
      }
      this.sect[n] = n === 1 ? Math.sqrt(3) : Math.sqrt((2 * n + 1) / (2 * n));
    }
    this.v = new Float64Array(total);
    this.w = new Float64Array(total);
  }

  /**
   * Fills v, w with V̄nm, W̄nm for n ≤ top, m ≤ min(n, mTop). Returns false at the origin.
   */
  private recurse(x: number, y: number, z: number, top: number, mTop: number): boolean {
    const r2 = x * x + y * y + z * z;
    if (!(r2 > 0) || !Number.isFinite(r2)) return false;
    const R = this.radiusKm;
    const x0 = (R * x) / r2;
    const y0 = (R * y) / r2;
    const z0 = (R * z) / r2;
    const rho2 = (R * R) / r2;
    const v = this.v;
    const w = this.w;
    const colA = this.colA;
    const colB = this.colB;
    const sect = this.sect;
    v[0] = R / Math.sqrt(r2);
    w[0] = 0;
    for (let n = 1; n <= top; n++) {
      const row = (n * (n + 1)) / 2;
      const prev = row - n; // (n − 1, 0)
      const prev2 = prev - (n - 1); // (n − 2, 0)
      const mEnd = Math.min(n - 1, mTop);
      for (let m = 0; m <= mEnd; m++) {
        const k = row + m;
        const a = colA[k]! * z0;
        if (m <= n - 2) {
          const b = colB[k]! * rho2;
          v[k] = a * v[prev + m]! - b * v[prev2 + m]!;
          w[k] = a * w[prev + m]! - b * w[prev2 + m]!;
        } else {
          v[k] = a * v[prev + m]!;
          w[k] = a * w[prev + m]!;
        }
      }
      if (n <= mTop) {
        const f = sect[n]!;
        const vd = v[prev + n - 1]!;
        const wd = w[prev + n - 1]!;
        v[row + n] = f * (x0 * vd - y0 * wd);
        w[row + n] = f * (x0 * wd + y0 * vd);
      }
    }
    return true;
  }

  /** Σ C̄V̄ + S̄W̄ of a series over n ≤ top, m ≤ min(n, mTop) (after recurse). */
  private sum(series: Series, top: number, mTop: number): number {
    const v = this.v;
    const w = this.w;
    const c = series.c;
    const s = series.s;
    let acc = 0;
    for (let n = 0; n <= top; n++) {
      const row = (n * (n + 1)) / 2;
      const mEnd = Math.min(n, mTop);
      let part = 0;
      for (let m = 0; m <= mEnd; m++) {
        const k = row + m;
        part += c[k]! * v[k]! + s[k]! * w[k]!;
      }
      acc += part;
    }
    return acc;
  }

  /** Gravitational potential U (positive, U = μ/r for a point mass) at a body-fixed position, km²/s². */
  potential(xKm: number, yKm: number, zKm: number): number {
    if (!this.recurse(xKm, yKm, zKm, this.degree, this.order)) return Number.NaN;
    return (this.muKm3S2 / this.radiusKm) * this.sum(this.potentialSeries, this.degree, this.order);
  }

  /**
   * Acceleration ∇U at a body-fixed position (km), written to out[offset..offset+2] in km/s²,
   * body-fixed frame. NaN at the origin.
   */
  acceleration(xKm: number, yKm: number, zKm: number, out: Float64Array | number[], offset = 0): void {
    const top = this.degree + 1;
    const mTop = Math.min(this.order + 1, top);
    const r2 = xKm * xKm + yKm * yKm + zKm * zKm;
    if (!(r2 > 0) || !Number.isFinite(r2)) {
      out[offset] = out[offset + 1] = out[offset + 2] = Number.NaN;
      return;
    }
    // The recursion of `recurse`, fused with the three sums (one pass over the triangle).
    const R = this.radiusKm;
    const x0 = (R * xKm) / r2;
    const y0 = (R * yKm) / r2;
    const z0 = (R * zKm) / r2;
    const rho2 = (R * R) / r2;
    const v = this.v;
    const w = this.w;
    const colA = this.colA;
    const colB = this.colB;
    const sect = this.sect;
    const g = this.accCoefficients;
    const v00 = R / Math.sqrt(r2);
    v[0] = v00;
    w[0] = 0;
    let ax = g[0]! * v00;
    let ay = g[2]! * v00;
    let az = g[4]! * v00;
    for (let n = 1; n <= top; n++) {
      const row = (n * (n + 1)) / 2;
      const prev = row - n;
      const prev2 = prev - (n - 1);
      const mEnd = Math.min(n - 1, mTop);
      let px = 0;
      let py = 0;
      let pz = 0;
      for (let m = 0; m <= mEnd; m++) {
        const k = row + m;
        const a = colA[k]! * z0;
        let vk: number;
        let wk: number;
        if (m <= n - 2) {
          const b = colB[k]! * rho2;
          vk = a * v[prev + m]! - b * v[prev2 + m]!;
          wk = a * w[prev + m]! - b * w[prev2 + m]!;
        } else {
          vk = a * v[prev + m]!;
          wk = a * w[prev + m]!;
        }
        v[k] = vk;
        w[k] = wk;
        const j = 6 * k;
        px += g[j]! * vk + g[j + 1]! * wk;
        py += g[j + 2]! * vk + g[j + 3]! * wk;
        pz += g[j + 4]! * vk + g[j + 5]! * wk;
      }
      if (n <= mTop) {
        const f = sect[n]!;
        const vd = v[prev + n - 1]!;
        const wd = w[prev + n - 1]!;
        const vk = f * (x0 * vd - y0 * wd);
        const wk = f * (x0 * wd + y0 * vd);
        const k = row + n;
        v[k] = vk;
        w[k] = wk;
        const j = 6 * k;
        px += g[j]! * vk + g[j + 1]! * wk;
        py += g[j + 2]! * vk + g[j + 3]! * wk;
        pz += g[j + 4]! * vk + g[j + 5]! * wk;
      }
      ax += px;
      ay += py;
      az += pz;
    }
    const f = this.muKm3S2 / (R * R);
    out[offset] = f * ax;
    out[offset + 1] = f * ay;
    out[offset + 2] = f * az;
  }

  /**
   * Acceleration (km/s², as `acceleration`) and its 3×3 gradient ∂aᵢ/∂xⱼ (1/s², row-major, written
   * to gradOut[gradOffset..gradOffset+8]; symmetric and trace-free), both body-fixed. This is the
   * block of the state-transition-matrix equations that gravity contributes.
   */
  accelerationAndGradient(
    xKm: number,
    yKm: number,
    zKm: number,
    accOut: Float64Array | number[],
    gradOut: Float64Array | number[],
    accOffset = 0,
    gradOffset = 0,
  ): void {
    const h = this.hessian();
    const top = this.degree + 2;
    const mTop = Math.min(this.order + 2, top);
    if (!this.recurse(xKm, yKm, zKm, top, mTop)) {
      for (let i = 0; i < 3; i++) accOut[accOffset + i] = Number.NaN;
      for (let i = 0; i < 9; i++) gradOut[gradOffset + i] = Number.NaN;
      return;
    }
    // One pass over the triangle for the 3 + 6 sums (coefficients interleaved, 18 per term).
    const v = this.v;
    const w = this.w;
    let ax = 0;
    let ay = 0;
    let az = 0;
    let xx = 0;
    let xy = 0;
    let xz = 0;
    let yy = 0;
    let yz = 0;
    let zz = 0;
    for (let n = 0; n <= top; n++) {
      const row = (n * (n + 1)) / 2;
      const mEnd = Math.min(n, mTop);
      for (let m = 0; m <= mEnd; m++) {
        const k = row + m;
        const vk = v[k]!;
        const wk = w[k]!;
        const j = 18 * k;
        ax += h[j]! * vk + h[j + 1]! * wk;
        ay += h[j + 2]! * vk + h[j + 3]! * wk;
        az += h[j + 4]! * vk + h[j + 5]! * wk;
        xx += h[j + 6]! * vk + h[j + 7]! * wk;
        xy += h[j + 8]! * vk + h[j + 9]! * wk;
        xz += h[j + 10]! * vk + h[j + 11]! * wk;
        yy += h[j + 12]! * vk + h[j + 13]! * wk;
        yz += h[j + 14]! * vk + h[j + 15]! * wk;
        zz += h[j + 16]! * vk + h[j + 17]! * wk;
      }
    }
    const R = this.radiusKm;
    const fa = this.muKm3S2 / (R * R);
    accOut[accOffset] = fa * ax;
    accOut[accOffset + 1] = fa * ay;
    accOut[accOffset + 2] = fa * az;
    const fh = fa / R;
    const g = gradOffset;
    gradOut[g] = fh * xx;
    gradOut[g + 1] = gradOut[g + 3] = fh * xy;
    gradOut[g + 2] = gradOut[g + 6] = fh * xz;
    gradOut[g + 4] = fh * yy;
    gradOut[g + 5] = gradOut[g + 7] = fh * yz;
    gradOut[g + 8] = fh * zz;
  }

  /**
   * The acceleration and second-derivative series (degree N + 2), interleaved 18 per (n, m):
   * (C̄, S̄) of x, y, z, then of xx, xy, xz, yy, yz, zz. Built on the first gradient call.
   */
  private hessian(): Float64Array {
    if (this.hessianCoefficients === undefined) {
      const d1 = this.degree + 1;
      const o1 = Math.min(this.order + 1, d1);
      const [gx, gy, gz] = differentiate(this.potentialSeries, this.degree, this.order);
      const [xx, xy, xz] = differentiate(gx, d1, o1);
      const [, yy, yz] = differentiate(gy, d1, o1);
      const [, , zz] = differentiate(gz, d1, o1);
      const all = [gx, gy, gz, xx, xy, xz, yy, yz, zz];
      const count = coefficientCount(d1 + 1);
      const out = new Float64Array(18 * count);
      for (let k = 0; k < count; k++) {
        for (let i = 0; i < 9; i++) {
          out[18 * k + 2 * i] = all[i]!.c[k] ?? 0;
          out[18 * k + 2 * i + 1] = all[i]!.s[k] ?? 0;
        }
      }
      this.hessianCoefficients = out;
    }
    return this.hessianCoefficients;
  }
}
