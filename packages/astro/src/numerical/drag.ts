/**
 * Atmospheric drag on a cannonball (Montenbruck & Gill, "Satellite Orbits", §3.5, Eq. 3.97–3.99):
 *   a = −½ · C_D · (A/m) · ρ · |v_rel| · v_rel,   v_rel = v − ω⊕ × r,
 * with the atmosphere co-rotating with the Earth (ω⊕ from the ForceContext, GCRF). The density is
 * injected: `(instant, rItrfKm) => ρ` in kg/m³, so any model (exponential, NRLMSISE-00 from
 * atmosphere/, Jacchia…) plugs in. Units: A/m m²/kg, ρ kg/m³, v km/s → a km/s², a factor 1e3:
 * (km/s)² = 1e6 (m/s)² and 1 m/s² = 1e-3 km/s². Winds are not modelled.
 */

import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';
import type { ForceContext, ForceModel } from './force-model.js';

/** Mass density of the atmosphere, kg/m³, at an instant and an Earth-fixed (ITRF) position, km. */
export type DensityFunction = (instant: Instant, rItrfKm: ReadonlyVec3) => number;

/** Options of the drag force. */
export interface AtmosphericDragOptions {
  /** Drag coefficient C_D, dimensionless (≈ 2.2 for a compact satellite). */
  readonly cd: number;
  /** Cross-section area over mass, m²/kg. */
  readonly areaToMassM2Kg: number;
  /** The atmosphere model. */
  readonly density: DensityFunction;
}

/** Cannonball drag in a co-rotating atmosphere. Needs an AstroContext (Earth-fixed frame). */
export class AtmosphericDrag implements ForceModel {
  readonly name = 'drag';
  readonly cd: number;
  readonly areaToMassM2Kg: number;
  readonly density: DensityFunction;
  readonly #rItrf: Vec3 = [0, 0, 0];

  constructor(options: AtmosphericDragOptions) {
    this.cd = options.cd;
    this.areaToMassM2Kg = options.areaToMassM2Kg;
    this.density = options.density;
  }

  acceleration(
    tSec: number,
    rKm: Float64Array,
    vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void {
    const m = ctx.gcrfToItrf(tSec);
    const x = rKm[0]!;
    const y = rKm[1]!;
    const z = rKm[2]!;
    const ri = this.#rItrf;
    ri[0] = m[0] * x + m[1] * y + m[2] * z;
    ri[1] = m[3] * x + m[4] * y + m[5] * z;
    ri[2] = m[6] * x + m[7] * y + m[8] * z;
    const rho = this.density(ctx.instantAt(tSec), ri);
    if (!(rho > 0)) return;
    const w = ctx.earthRotationGcrf(tSec);
    // v_rel = v − ω × r.
    const vx = vKmS[0]! - (w[1] * z - w[2] * y);
    const vy = vKmS[1]! - (w[2] * x - w[0] * z);
    const vz = vKmS[2]! - (w[0] * y - w[1] * x);
    const vr = Math.sqrt(vx * vx + vy * vy + vz * vz);
    // ½ C_D (A/m) ρ |v| v in m/s² is 1e6 × (km/s)² terms; ×1e-3 to km/s²: net factor 1e3.
    const k = -0.5 * this.cd * this.areaToMassM2Kg * rho * vr * 1e3;
    out[0]! += k * vx;
    out[1]! += k * vy;
    out[2]! += k * vz;
  }
}
