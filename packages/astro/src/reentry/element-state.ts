/**
 * States of an element set for the reentry estimators: SGP4 (TEME, Vallado 2020) at a time after
 * the set's epoch, turned to GCRF through the frame graph (IAU-76/FK5 with the context's EOP), and
 * the geodetic height used by the reentry event (WGS-84, through ITRF).
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { frameTransform, transform } from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import { makeState, type State } from '../frames/state.js';
import type { Mat3 } from '../math/mat3.js';
import type { Vec3 } from '../math/vec3.js';
import { instantOfUtcLabel, utcLabelAfterEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';

/** The instant of an element set's epoch. */
export function elementEpochInstant(es: ElementSet, context: AstroContext): Instant {
  return instantOfUtcLabel(es.epoch, context);
}

/** SGP4 of one set, with a reusable output buffer. */
export class ElementSetOrbit {
  readonly elements: ElementSet;
  readonly epoch: Instant;
  readonly #satrec: Satrec;
  readonly #rv = new Float64Array(6);
  readonly #context: AstroContext;

  constructor(es: ElementSet, context: AstroContext) {
    this.elements = es;
    this.#context = context;
    this.#satrec = sgp4Init(es);
    this.epoch = elementEpochInstant(es, context);
  }

  /** Kozai period, s. */
  get periodS(): number {
    return (2 * Math.PI * 60) / this.elements.meanMotionRadPerMin;
  }

  /** GCRF state `tS` seconds after the set's epoch. Throws `REENTRY_SGP4` when SGP4 fails. */
  stateAt(tS: number): State<'GCRF'> {
    const rv = this.#rv;
    const code = sgp4(this.#satrec, tS / 60, rv);
    if (code !== 0) {
      throw new AstroError(
        'REENTRY_SGP4',
        `SGP4 fails for object ${this.elements.catalogNumber} ${tS.toFixed(0)} s after its epoch (code ${code})`,
        { catalogNumber: this.elements.catalogNumber, code },
      );
    }
    const teme = makeState('TEME', [rv[0]!, rv[1]!, rv[2]!], [rv[3]!, rv[4]!, rv[5]!]);
    const label = utcLabelAfterEpoch(this.elements.epoch, tS / 60);
    const t = instantOfUtcLabel(label, this.#context);
    return transform(teme, 'GCRF', frameEpochAt(t, this.#context));
  }
}

/**
 * Geodetic height (km) of a GCRF position with the GCRF→ITRF rotation `m` of a nearby instant: the
 * WGS-84 height depends on the distance to the pole axis and along it only, so the Earth's rotation
 * angle drops out, and precession–nutation moves the axis by < 1e-5 rad over weeks (≈ 0.2 m of height).
 */
export function heightKmWith(m: Mat3, x: number, y: number, z: number, scratch: Vec3): number {
  scratch[0] = m[0] * x + m[1] * y + m[2] * z;
  scratch[1] = m[3] * x + m[4] * y + m[5] * z;
  scratch[2] = m[6] * x + m[7] * y + m[8] * z;
  const r = Math.hypot(scratch[0], scratch[1], scratch[2]);
  if (r < 100) return -6000; // below the geodetic domain: deep inside the Earth
  const out: Vec3 = [0, 0, 0];
  itrfToGeodeticArray(scratch, out);
  return out[2];
}

/** The GCRF→ITRF rotation at an instant (row-major). */
export function gcrfToItrfRotation(t: Instant, context: AstroContext): Mat3 {
  return frameTransform('GCRF', 'ITRF', frameEpochAt(t, context)).rotation;
}
