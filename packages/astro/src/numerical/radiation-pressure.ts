/**
 * Solar radiation pressure on a cannonball (Montenbruck & Gill, "Satellite Orbits", §3.4,
 * Eq. 3.75–3.76) and the Earth's shadow (§3.4.2, Eq. 3.79–3.87):
 *   a = ν · P☉ · C_R · (A/m) · (AU/|r − s|)² · (r − s)/|r − s|,
 * with P☉ = 4.56e-6 N/m² at 1 AU, ν ∈ [0, 1] the visible fraction of the solar disc, s the
 * geocentric Sun. Units: A/m in m²/kg gives m/s², converted to km/s².
 *
 * Shadow models: 'conical' (default) — the apparent discs of Sun (radius 696,000 km) and Earth
 * (6,378.137 km) seen from the satellite, with the overlap area of two discs giving the penumbra
 * fraction (Eq. 3.85–3.87; annular eclipses included); 'cylindrical' — ν = 0 behind the Earth
 * inside the cylinder of its radius along the Sun line, else 1 (Eq. 3.79 ff.); 'none'.
 * The Earth is a sphere (no oblateness) and has no atmosphere in these models.
 */

import { WGS84_A_KM } from '../bodies/earth.js';
import type { ReadonlyVec3 } from '../math/vec3.js';
import type { ForceContext, ForceModel } from './force-model.js';

/** Solar radiation pressure at 1 AU, N/m² (Montenbruck & Gill Eq. 3.69). */
export const SOLAR_PRESSURE_1AU_N_M2 = 4.56e-6;
/** Astronomical unit, km (IAU 2012 Resolution B2). */
export const AU_KM = 149597870.7;
/** Solar radius, km (Montenbruck & Gill Table 3.3 / §3.4.2). */
export const SUN_RADIUS_KM = 696000;

/** Which shadow model a force uses. */
export type ShadowModel = 'conical' | 'cylindrical' | 'none';

/**
 * Fraction of the solar disc visible from `rKm` (geocentric, km) with the Sun at `sunKm`
 * (geocentric, km), the Earth a sphere of `bodyRadiusKm`: 1 in full sun, 0 in umbra, in between in
 * penumbra, 1 − (R_E/R☉ apparent)² in an annular eclipse. Montenbruck & Gill Eq. 3.85–3.87.
 */
export function conicalShadowFraction(
  rKm: ReadonlyVec3 | Float64Array,
  sunKm: ReadonlyVec3 | Float64Array,
  bodyRadiusKm: number = WGS84_A_KM,
  sunRadiusKm: number = SUN_RADIUS_KM,
): number {
  const rx = rKm[0]!;
  const ry = rKm[1]!;
  const rz = rKm[2]!;
  const dx = sunKm[0]! - rx;
  const dy = sunKm[1]! - ry;
  const dz = sunKm[2]! - rz;
  const rn = Math.sqrt(rx * rx + ry * ry + rz * rz);
  const dn = Math.sqrt(dx * dx + dy * dy + dz * dz);
  if (rn <= bodyRadiusKm) return 0;
  // Apparent radii of Sun (a) and Earth (b), and their separation (c), rad.
  const a = Math.asin(Math.min(1, sunRadiusKm / dn));
  const b = Math.asin(bodyRadiusKm / rn);
  const cosc = -(rx * dx + ry * dy + rz * dz) / (rn * dn);
  const c = Math.acos(Math.max(-1, Math.min(1, cosc)));
  if (c >= a + b) return 1;
  if (c <= b - a) return 0;
  if (c <= a - b) return 1 - (b * b) / (a * a);
  // Partial overlap of the two discs.
  const x = (c * c + a * a - b * b) / (2 * c);
  const y = Math.sqrt(Math.max(0, a * a - x * x));
  const area =
    a * a * Math.acos(Math.max(-1, Math.min(1, x / a))) +
    b * b * Math.acos(Math.max(-1, Math.min(1, (c - x) / b))) -
    c * y;
  return Math.max(0, Math.min(1, 1 - area / (Math.PI * a * a)));
}

/**
 * Cylindrical shadow: 0 when the satellite is on the night side (r·ŝ < 0) within `bodyRadiusKm`
 * of the Earth–Sun line, else 1 (Montenbruck & Gill §3.4.2).
 */
export function cylindricalShadowFraction(
  rKm: ReadonlyVec3 | Float64Array,
  sunKm: ReadonlyVec3 | Float64Array,
  bodyRadiusKm: number = WGS84_A_KM,
): number {
  const sx = sunKm[0]!;
  const sy = sunKm[1]!;
  const sz = sunKm[2]!;
  const sn = Math.sqrt(sx * sx + sy * sy + sz * sz);
  const proj = (rKm[0]! * sx + rKm[1]! * sy + rKm[2]! * sz) / sn;
  if (proj >= 0) return 1;
  const r2 = rKm[0]! * rKm[0]! + rKm[1]! * rKm[1]! + rKm[2]! * rKm[2]!;
  return r2 - proj * proj < bodyRadiusKm * bodyRadiusKm ? 0 : 1;
}

/** Options of the cannonball SRP force. */
export interface SolarRadiationPressureOptions {
  /** Radiation pressure coefficient C_R (1 = absorbing, 2 = mirror), dimensionless. */
  readonly cr: number;
  /** Cross-section area over mass, m²/kg. */
  readonly areaToMassM2Kg: number;
  /** Shadow model (default 'conical'). */
  readonly shadow?: ShadowModel;
}

/** Cannonball solar radiation pressure with an Earth shadow model. */
export class SolarRadiationPressure implements ForceModel {
  readonly name = 'srp';
  readonly dependsOnVelocity = false;
  readonly cr: number;
  readonly areaToMassM2Kg: number;
  readonly shadow: ShadowModel;

  constructor(options: SolarRadiationPressureOptions) {
    this.cr = options.cr;
    this.areaToMassM2Kg = options.areaToMassM2Kg;
    this.shadow = options.shadow ?? 'conical';
  }

  acceleration(
    tSec: number,
    rKm: Float64Array,
    _vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void {
    const s = ctx.sunPositionKm(tSec);
    const nu =
      this.shadow === 'conical'
        ? conicalShadowFraction(rKm, s)
        : this.shadow === 'cylindrical'
          ? cylindricalShadowFraction(rKm, s)
          : 1;
    if (nu === 0) return;
    const dx = rKm[0]! - s[0];
    const dy = rKm[1]! - s[1];
    const dz = rKm[2]! - s[2];
    const d2 = dx * dx + dy * dy + dz * dz;
    const d = Math.sqrt(d2);
    // m/s² → km/s²: × 1e-3.
    const k =
      (nu * SOLAR_PRESSURE_1AU_N_M2 * this.cr * this.areaToMassM2Kg * 1e-3 * AU_KM * AU_KM) / (d2 * d);
    out[0]! += k * dx;
    out[1]! += k * dy;
    out[2]! += k * dz;
  }
}
