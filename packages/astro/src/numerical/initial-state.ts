/**
 * Starting a numerical propagation from what users have: an element set (its SGP4 state at the
 * epoch, TEME → GCRF with the IAU-76/FK5 chain of frames/), and a covariance given as standard
 * deviations in the object's RTN frame.
 *
 * Caveat (Vallado, "Fundamentals of Astrodynamics", §9.7 and Vallado et al. AIAA 2006-6753 §8):
 * an element set holds SGP4 mean elements, fitted to make SGP4 reproduce observations. Its
 * osculating SGP4 state at the epoch carries the theory's own errors (of the order of a kilometre),
 * so a numerical run from it mixes two theories and diverges from both by about that much
 * (growing along track). A state from an OEM/OPM or an orbit fit avoids this.
 */

import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { transform } from '../frames/frame-graph.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import { makeState, type State } from '../frames/state.js';
import { type Mat3, zeroMat3 } from '../math/mat3.js';
import type { ReadonlyVec3 } from '../math/vec3.js';
import { instantOfUtcLabel } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { NumericalInitialState } from './propagate.js';
import { propagateCovariance } from './propagate.js';

/**
 * The GCRF state of an element set at its epoch: SGP4 at tsince = 0 in TEME, rotated to GCRF at the
 * epoch's instant (leap seconds and EOP of `context`). Throws `SGP4_INIT_FAILED` when SGP4 cannot
 * start the record, and the context's time and EOP errors.
 */
export function initialStateFromElements(elements: ElementSet, context: AstroContext): NumericalInitialState {
  const satrec = sgp4Init(elements);
  const out = new Float64Array(6);
  const code = sgp4(satrec, 0, out);
  if (code !== 0 || !Number.isFinite(out[0]!)) {
    throw new AstroError(
      'SGP4_INIT_FAILED',
      `SGP4 cannot start object ${elements.catalogNumber} (code ${code})`,
      {
        object: elements.catalogNumber,
        code,
      },
    );
  }
  const epoch = instantOfUtcLabel(elements.epoch, context);
  const teme = makeState('TEME', [out[0]!, out[1]!, out[2]!], [out[3]!, out[4]!, out[5]!]);
  return { epoch, state: transform(teme, 'GCRF', frameEpochAt(epoch, context)) };
}

/** The 6×6 rotation (block-diagonal Q, Q) from the inertial frame of (r, v) to its RTN frame, row-major. */
export function rtnRotation6(rKm: ReadonlyVec3, vKmS: ReadonlyVec3): Float64Array {
  const q: Mat3 = localOrbitalMatrix('RTN', rKm, vKmS, zeroMat3());
  const t = new Float64Array(36);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      t[6 * i + j] = q[3 * i + j]!;
      t[6 * (i + 3) + j + 3] = q[3 * i + j]!;
    }
  }
  return t;
}

/**
 * A 6×6 covariance (row-major, km², km²/s, km²/s²) from RTN to the inertial frame of `state`:
 * P = Tᵀ·P_rtn·T with T = rtnRotation6. The RTN frame's rotation rate is not applied to the
 * velocity block (the CCSDS CDM/OEM convention for a covariance "in RTN": axes rotated, not a
 * rotating-frame velocity).
 */
export function covarianceRtnToInertial(state: State<'GCRF'>, pRtn: Float64Array): Float64Array {
  const t = rtnRotation6(state.rKm, state.vKmS);
  const tt = new Float64Array(36);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) tt[6 * i + j] = t[6 * j + i]!;
  return propagateCovariance(tt, pRtn);
}

/** A 6×6 covariance from the inertial frame of `state` to its RTN frame: T·P·Tᵀ. */
export function covarianceInertialToRtn(state: State<'GCRF'>, p: Float64Array): Float64Array {
  return propagateCovariance(rtnRotation6(state.rKm, state.vKmS), p);
}

/** A diagonal 6×6 covariance from standard deviations (km, km, km, km/s, km/s, km/s). */
export function diagonalCovariance(sigmas: readonly number[]): Float64Array {
  if (sigmas.length !== 6 || sigmas.some((s) => !(s >= 0) || !Number.isFinite(s))) {
    throw new AstroError(
      'NUMERICAL_BAD_INPUT',
      'a diagonal covariance needs 6 finite standard deviations ≥ 0',
      {
        expected: '6 values ≥ 0',
        found: sigmas.join(','),
      },
    );
  }
  const p = new Float64Array(36);
  for (let i = 0; i < 6; i++) p[7 * i] = sigmas[i]! * sigmas[i]!;
  return p;
}
