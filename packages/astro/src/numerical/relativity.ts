/**
 * General-relativistic correction to the acceleration of an Earth satellite: the Schwarzschild
 * term of the IERS Conventions 2010 (Petit & Luzum, IERS Technical Note 36), Chapter 10, Eq. 10.12,
 * with the PPN parameters β = γ = 1 and without the Lense–Thirring and de Sitter terms — the same
 * term Orekit's `Relativity` force model implements:
 *
 *   Δa = GM/(c² r³) · [ (4·GM/r − v²)·r + 4·(r·v)·v ]
 *
 * r, v geocentric GCRF position (km) and velocity (km/s), GM the Earth's gravitational parameter
 * (give the gravity field's GM, as Orekit does with the field's μ), c = 299 792.458 km/s.
 * For LAGEOS-2 (r ≈ 12,320 km) the magnitude is ≈ 2.8e-12 km/s² (≈ 3GM/(c²r) ≈ 1.1e-9 of the
 * central attraction); its secular effect is the perigee advance 3·(GM)^{3/2} / (c²·a^{5/2}·(1 − e²))
 * (≈ 3.3″ per year for LAGEOS-2).
 */

import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import type { ForceContext, ForceModel } from './force-model.js';
import { EGM96_GM_KM3_S2 } from './gravity-forces.js';

/** The Schwarzschild relativistic correction (IERS 2010 Eq. 10.12, β = γ = 1). */
export class Relativity implements ForceModel {
  readonly name = 'relativity';
  readonly dependsOnVelocity = true;
  readonly muKm3S2: number;

  /** `muKm3S2`: the Earth's GM, km³/s² (default EGM96's; pass the gravity field's). */
  constructor(muKm3S2: number = EGM96_GM_KM3_S2) {
    this.muKm3S2 = muKm3S2;
  }

  acceleration(
    _tSec: number,
    rKm: Float64Array,
    vKmS: Float64Array,
    out: Float64Array,
    _ctx: ForceContext,
  ): void {
    const x = rKm[0]!;
    const y = rKm[1]!;
    const z = rKm[2]!;
    const vx = vKmS[0]!;
    const vy = vKmS[1]!;
    const vz = vKmS[2]!;
    const r2 = x * x + y * y + z * z;
    const r = Math.sqrt(r2);
    const v2 = vx * vx + vy * vy + vz * vz;
    const rv = x * vx + y * vy + z * vz;
    const mu = this.muKm3S2;
    const k = mu / (SPEED_OF_LIGHT_KM_S * SPEED_OF_LIGHT_KM_S * r2 * r);
    const kr = k * ((4 * mu) / r - v2);
    const kv = k * 4 * rv;
    out[0]! += kr * x + kv * vx;
    out[1]! += kr * y + kv * vy;
    out[2]! += kr * z + kv * vz;
  }
}
