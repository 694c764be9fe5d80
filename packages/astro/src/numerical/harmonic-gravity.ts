/**
 * The Earth's spherical-harmonic gravity field (gravity/spherical-harmonics.ts) as a force of the
 * numerical propagator. The position is rotated into ITRF with the propagation context's rotation
 * R (r_ITRF = R·r_GCRF), the field's acceleration is evaluated there and rotated back with Rᵀ
 * (Montenbruck & Gill, "Satellite Orbits", §3.2.5 and Eq. 3.36). The field includes its degree 0
 * term: this force replaces `PointMassGravity` (and `J2Gravity`), it does not add to them.
 */

import type { GravityField } from '../gravity/gravity-field.js';
import { SphericalHarmonicGravity } from '../gravity/spherical-harmonics.js';
import type { ForceContext, ForceModel } from './force-model.js';

/** The gravity field to degree and order N × M, point mass included. Needs an AstroContext. */
export class HarmonicGravity implements ForceModel {
  readonly name = 'gravity-field';
  readonly dependsOnVelocity = false;
  readonly model: SphericalHarmonicGravity;
  readonly #acc = new Float64Array(3);

  /**
   * `degree` ≤ field.degree (default all of it), `order` ≤ min(degree, field.order); or a model
   * already built (its work arrays are then shared: one force per thread).
   */
  constructor(field: GravityField | SphericalHarmonicGravity, degree?: number, order?: number) {
    this.model =
      field instanceof SphericalHarmonicGravity ? field : new SphericalHarmonicGravity(field, degree, order);
  }

  acceleration(
    tSec: number,
    rKm: Float64Array,
    _vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void {
    const m = ctx.gcrfToItrf(tSec);
    const x = rKm[0]!;
    const y = rKm[1]!;
    const z = rKm[2]!;
    const a = this.#acc;
    this.model.acceleration(
      m[0] * x + m[1] * y + m[2] * z,
      m[3] * x + m[4] * y + m[5] * z,
      m[6] * x + m[7] * y + m[8] * z,
      a,
    );
    const ax = a[0]!;
    const ay = a[1]!;
    const az = a[2]!;
    out[0]! += m[0] * ax + m[3] * ay + m[6] * az;
    out[1]! += m[1] * ax + m[4] * ay + m[7] * az;
    out[2]! += m[2] * ax + m[5] * ay + m[8] * az;
  }
}
