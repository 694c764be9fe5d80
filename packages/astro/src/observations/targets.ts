/**
 * Target ephemerides for the measurement models, passes and simulation: functions instant → GCRF
 * state. `sgp4TargetEphemeris` runs SGP4 (Vallado 2020 kernel) at the element set's UTC label of
 * the instant and turns TEME into GCRF through the frame graph at that instant (EOP from the
 * context when it has them); `keplerTargetEphemeris` is the two-body orbit through a GCRF state.
 * A numerical trajectory (numerical/dense-trajectory.ts) fits the same type through a closure.
 */

import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { applyFrameTransform, type FrameTransform, frameTransform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { propagateKepler } from '../numerical/kepler.js';
import { minutesSinceEpoch, utcLabelOfInstant } from '../sgp4/epoch-time.js';
import { type Sgp4Options, sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';
import type { TargetEphemeris } from './measurement-model.js';

/** Options of sgp4TargetEphemeris. */
export interface Sgp4TargetOptions extends Sgp4Options {
  /**
   * Spacing of the instants where the TEME → GCRF rotation is computed exactly, s (default 60; 0:
   * at every call). TEME → GCRF has no Earth rotation, only precession and nutation, which turn it
   * by less than 2e-11 rad/s: holding the nearest knot's rotation errs by < 6e-10 rad (4 mm at LEO,
   * 3 cm at GEO), far below SGP4's own error, and saves the nutation series on almost every call.
   */
  readonly rotationKnotS?: number;
}

/**
 * The SGP4 trajectory of `elements` in GCRF. Throws AstroError `SGP4_FAILED` (details: code,
 * tsinceMin) at an instant where SGP4 reports an error (decay, eccentricity out of range...).
 */
export function sgp4TargetEphemeris(
  elements: ElementSet,
  ctx: AstroContext,
  options: Sgp4TargetOptions = {},
): TargetEphemeris {
  const satrec = sgp4Init(elements, options);
  const out = new Float64Array(6);
  const knotS = options.rotationKnotS ?? 60;
  const knots = new Map<number, FrameTransform>();
  let origin: Instant | undefined;
  const rotationAt = (t: Instant): FrameTransform => {
    if (knotS <= 0) return frameTransform('TEME', 'GCRF', frameEpochAt(t, ctx));
    if (origin === undefined) origin = t;
    const k = Math.round(t.secondsSince(origin) / knotS);
    let tr = knots.get(k);
    if (tr === undefined) {
      if (knots.size > 4096) knots.clear();
      tr = frameTransform('TEME', 'GCRF', frameEpochAt(origin.plusSeconds(k * knotS), ctx));
      knots.set(k, tr);
    }
    return tr;
  };
  return (t: Instant): State<'GCRF'> => {
    const label = utcLabelOfInstant(t, ctx);
    const tsinceMin = minutesSinceEpoch(elements.epoch, label.jd, label.jdFrac);
    const code = sgp4(satrec, tsinceMin, out);
    if (code !== 0) {
      throw new AstroError('SGP4_FAILED', `SGP4 error ${code} at ${tsinceMin.toFixed(3)} min from epoch`, {
        code,
        tsinceMin,
      });
    }
    const r: Vec3 = [out[0]!, out[1]!, out[2]!];
    const v: Vec3 = [out[3]!, out[4]!, out[5]!];
    applyFrameTransform(rotationAt(t), r, v, r, v);
    return { frame: 'GCRF', rKm: r, vKmS: v };
  };
}

/** The two-body orbit (gravitational parameter `muKm3S2`) through the GCRF state at `epoch`. */
export function keplerTargetEphemeris(
  rKm: ReadonlyVec3,
  vKmS: ReadonlyVec3,
  epoch: Instant,
  muKm3S2 = WGS84_GM_KM3_S2,
): TargetEphemeris {
  const r0: Vec3 = [rKm[0], rKm[1], rKm[2]];
  const v0: Vec3 = [vKmS[0], vKmS[1], vKmS[2]];
  return (t: Instant): State<'GCRF'> => {
    const r: Vec3 = [0, 0, 0];
    const v: Vec3 = [0, 0, 0];
    propagateKepler(r0, v0, muKm3S2, t.secondsSince(epoch), r, v);
    return { frame: 'GCRF', rKm: r, vKmS: v };
  };
}
