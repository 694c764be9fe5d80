/**
 * Central-body gravity owned by the numerical module: the point mass and the closed-form zonal J2
 * term (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Eq. 8-29/8-30;
 * Montenbruck & Gill, "Satellite Orbits", §3.2). The full spherical-harmonic field lives in
 * gravity/ and plugs in as another ForceModel.
 *
 * Constants: EGM96 (Lemoine et al., NASA/TP-1998-206861): GM = 398600.4415 km³/s²,
 * a = 6378.1363 km, C̄20 = −4.84165371736e-4 → J2 = −√5·C̄20 = 1.08262668355e-3.
 */

import { EGM96_MU_KM3_S2, EGM96_RADIUS_KM } from '../gravity/egm-reader.js';

export { EGM96_RADIUS_KM };

import type { ReadonlyMat3 } from '../math/mat3.js';
import type { ForceContext, ForceModel } from './force-model.js';

/** EGM96 geocentric gravitational constant, km³/s² (the gravity module's constant). */
export const EGM96_GM_KM3_S2 = EGM96_MU_KM3_S2;
/** EGM96 J2 = −√5·C̄20 with C̄20 = −4.84165371736e-4 (unnormalised zonal coefficient). */
export const EGM96_J2 = 1.08262668355e-3;

/** Newtonian attraction of a point mass μ at the origin: a = −μ r/|r|³. */
export class PointMassGravity implements ForceModel {
  readonly name = 'point-mass';
  readonly dependsOnVelocity = false;
  /** Gravitational parameter, km³/s². */
  readonly muKm3S2: number;

  constructor(muKm3S2: number = EGM96_GM_KM3_S2) {
    this.muKm3S2 = muKm3S2;
  }

  acceleration(_tSec: number, rKm: Float64Array, _vKmS: Float64Array, out: Float64Array): void {
    const x = rKm[0]!;
    const y = rKm[1]!;
    const z = rKm[2]!;
    const r2 = x * x + y * y + z * z;
    const k = -this.muKm3S2 / (r2 * Math.sqrt(r2));
    out[0]! += k * x;
    out[1]! += k * y;
    out[2]! += k * z;
  }
}

/** Options of the J2 force. */
export interface J2GravityOptions {
  readonly muKm3S2?: number;
  readonly radiusKm?: number;
  readonly j2?: number;
  /**
   * Symmetry axis: 'ITRF' (default: the Earth-fixed pole, needs an AstroContext) or 'GCRF' (the
   * GCRF z axis; an approximation off by precession–nutation since J2000, for analytic tests).
   */
  readonly pole?: 'ITRF' | 'GCRF';
}

/**
 * The J2 perturbation (the point mass is NOT included): with z along the pole,
 *   a = −(3/2) J2 μ R²/r⁵ · [x(1 − 5z²/r²), y(1 − 5z²/r²), z(3 − 5z²/r²)].
 */
export class J2Gravity implements ForceModel {
  readonly name = 'j2';
  readonly dependsOnVelocity = false;
  readonly muKm3S2: number;
  readonly radiusKm: number;
  readonly j2: number;
  readonly pole: 'ITRF' | 'GCRF';

  constructor(options: J2GravityOptions = {}) {
    this.muKm3S2 = options.muKm3S2 ?? EGM96_GM_KM3_S2;
    this.radiusKm = options.radiusKm ?? EGM96_RADIUS_KM;
    this.j2 = options.j2 ?? EGM96_J2;
    this.pole = options.pole ?? 'ITRF';
  }

  acceleration(
    tSec: number,
    rKm: Float64Array,
    _vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void {
    let x = rKm[0]!;
    let y = rKm[1]!;
    let z = rKm[2]!;
    let m: ReadonlyMat3 | null = null;
    if (this.pole === 'ITRF') {
      m = ctx.gcrfToItrf(tSec);
      const xi = m[0] * x + m[1] * y + m[2] * z;
      const yi = m[3] * x + m[4] * y + m[5] * z;
      const zi = m[6] * x + m[7] * y + m[8] * z;
      x = xi;
      y = yi;
      z = zi;
    }
    const r2 = x * x + y * y + z * z;
    const r = Math.sqrt(r2);
    const k = (-1.5 * this.j2 * this.muKm3S2 * this.radiusKm * this.radiusKm) / (r2 * r2 * r);
    const q = (5 * z * z) / r2;
    const ax = k * x * (1 - q);
    const ay = k * y * (1 - q);
    const az = k * z * (3 - q);
    if (m === null) {
      out[0]! += ax;
      out[1]! += ay;
      out[2]! += az;
    } else {
      // Back to GCRF with Rᵀ.
      out[0]! += m[0] * ax + m[3] * ay + m[6] * az;
      out[1]! += m[1] * ax + m[4] * ay + m[7] * az;
      out[2]! += m[2] * ax + m[5] * ay + m[8] * az;
    }
  }
}
