/**
 * Third-body attraction of the Sun and the Moon on an Earth satellite, with the indirect term
 * (the body's pull on the Earth), Montenbruck & Gill, "Satellite Orbits", Eq. 3.37:
 *   a = μ_b · ( (s − r)/|s − r|³ − s/|s|³ ),  s the geocentric body position, r the satellite's.
 * Body positions come from the ForceContext's ephemeris (analytic by default, or JPL DE).
 * Gravitational parameters: DE430 (Folkner et al., IPN PR 42-196, 2014): GM☉ =
 * 1.32712440041939e11 km³/s², GM☾ = 4902.800066 km³/s².
 */

import type { EphemerisBody } from './ephemeris.js';
import type { ForceContext, ForceModel } from './force-model.js';

/** DE430 heliocentric gravitational constant, km³/s². */
export const SUN_GM_KM3_S2 = 1.32712440041939e11;
/** DE430 lunar gravitational constant, km³/s². */
export const MOON_GM_KM3_S2 = 4902.800066;

/** Point-mass attraction of the Sun or the Moon, direct minus indirect term. */
export class ThirdBodyGravity implements ForceModel {
  readonly name: string;
  readonly dependsOnVelocity = false;
  readonly body: EphemerisBody;
  readonly muKm3S2: number;

  constructor(body: EphemerisBody, muKm3S2?: number) {
    this.body = body;
    this.name = body === 'SUN' ? 'sun' : 'moon';
    this.muKm3S2 = muKm3S2 ?? (body === 'SUN' ? SUN_GM_KM3_S2 : MOON_GM_KM3_S2);
  }

  acceleration(
    tSec: number,
    rKm: Float64Array,
    _vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void {
    const s = this.body === 'SUN' ? ctx.sunPositionKm(tSec) : ctx.moonPositionKm(tSec);
    const dx = s[0] - rKm[0]!;
    const dy = s[1] - rKm[1]!;
    const dz = s[2] - rKm[2]!;
    const d2 = dx * dx + dy * dy + dz * dz;
    const kd = this.muKm3S2 / (d2 * Math.sqrt(d2));
    const s2 = s[0] * s[0] + s[1] * s[1] + s[2] * s[2];
    const ks = this.muKm3S2 / (s2 * Math.sqrt(s2));
    out[0]! += kd * dx - ks * s[0];
    out[1]! += kd * dy - ks * s[1];
    out[2]! += kd * dz - ks * s[2];
  }
}
