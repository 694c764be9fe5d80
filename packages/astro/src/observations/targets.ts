/**
 * Target ephemerides for the measurement models, passes and simulation: functions instant → GCRF
 * state. `sgp4TargetEphemeris` runs SGP4 (Vallado 2020 kernel) at the element set's UTC label of
 * the instant and turns TEME into GCRF through the frame graph at that instant (EOP from the
 * context when it has them); `keplerTargetEphemeris` is the two-body orbit through a GCRF state.
 * A numerical trajectory (numerical/dense-trajectory.ts) fits the same type through a closure.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { transform } from '../frames/frame-graph.js';
import type { State } from '../frames/state.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { propagateKepler } from '../numerical/kepler.js';
import { minutesSinceEpoch, utcLabelOfInstant } from '../sgp4/epoch-time.js';
import { type Sgp4Options, sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';
import type { TargetEphemeris } from './measurement-model.js';

/**
 * The SGP4 trajectory of `elements` in GCRF. Throws AstroError `SGP4_FAILED` (details: code,
 * tsinceMin) at an instant where SGP4 reports an error (decay, eccentricity out of range...).
 */
export function sgp4TargetEphemeris(
  elements: ElementSet,
  ctx: AstroContext,
  options: Sgp4Options = {},
): TargetEphemeris {
  const satrec = sgp4Init(elements, options);
  const out = new Float64Array(6);
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
    return transform(
      { frame: 'TEME', rKm: [out[0]!, out[1]!, out[2]!], vKmS: [out[3]!, out[4]!, out[5]!] },
      'GCRF',
      frameEpochAt(t, ctx),
    );
  };
}

/** The two-body orbit (gravitational parameter `muKm3S2`) through the GCRF state at `epoch`. */
export function keplerTargetEphemeris(
  rKm: ReadonlyVec3,
  vKmS: ReadonlyVec3,
  epoch: Instant,
  muKm3S2 = 398600.4418,
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
