/**
 * Frame-tagged Cartesian states. A state carries its reference frame as a string literal type
 * named as CCSDS 500.0-G-4 (SANA registry) `REF_FRAME` names it, so mixing frames is a compile
 * error, and every function that needs one frame also checks it at run time (`FRAME_MISMATCH`)
 * for values that crossed a cast or came from JSON.
 *
 * Frames (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., §3.7; Vallado et
 * al., AIAA 2006-6753, App. B/C):
 * - 'TEME'    true equator, mean equinox of date: the SGP4 output frame.
 * - 'PEF'     pseudo-Earth-fixed (Vallado's name; TIRS-like): TEME turned by GMST-1982.
 * - 'ITRF'    Earth-fixed, PEF with polar motion applied.
 * - 'TOD'     true equator, true equinox of date (IAU-1980 nutation).
 * - 'MOD'     mean equator, mean equinox of date (IAU-1976 precession).
 * - 'GCRF'    Vallado's "J2000/FK5 with EOP corrections (δΔψ, δΔε)", which he calls GCRF.
 * - 'EME2000' Orekit's convention: GCRF rotated by the IERS 2003 frame bias (see frame-graph.ts).
 */
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Every frame the graph knows, as CCSDS REF_FRAME names. */
export const FRAME_NAMES = ['TEME', 'PEF', 'ITRF', 'TOD', 'MOD', 'GCRF', 'EME2000'] as const;
/** A frame name. */
export type FrameName = (typeof FRAME_NAMES)[number];

/** A position/velocity state in frame `F`: position km, velocity km/s. */
export interface State<F extends FrameName> {
  readonly frame: F;
  /** Position, km. */
  readonly rKm: ReadonlyVec3;
  /** Velocity, km/s. */
  readonly vKmS: ReadonlyVec3;
}

/** True when `name` is one of FRAME_NAMES. */
export function isFrameName(name: unknown): name is FrameName {
  return typeof name === 'string' && (FRAME_NAMES as readonly string[]).includes(name);
}

/** Builds a state (copies the vectors). Throws `FRAME_UNKNOWN` for a name outside FRAME_NAMES. */
export function makeState<F extends FrameName>(frame: F, rKm: ReadonlyVec3, vKmS: ReadonlyVec3): State<F> {
  if (!isFrameName(frame)) {
    throw new AstroError('FRAME_UNKNOWN', `unknown frame ${JSON.stringify(frame)}`, {
      expected: FRAME_NAMES.join('|'),
      found: frame,
    });
  }
  const r: Vec3 = [rKm[0], rKm[1], rKm[2]];
  const v: Vec3 = [vKmS[0], vKmS[1], vKmS[2]];
  return { frame, rKm: r, vKmS: v };
}

/**
 * Asserts at run time that `state` is in `frame` and narrows its type. Throws
 * AstroError `FRAME_MISMATCH` (details: expected, found) otherwise.
 */
export function assertFrame<F extends FrameName>(
  state: { readonly frame: string },
  frame: F,
  where = 'state',
): asserts state is State<F> {
  if (state.frame !== frame) {
    throw new AstroError(
      'FRAME_MISMATCH',
      `${where}: expected a state in ${frame}, found one in ${state.frame}`,
      {
        expected: frame,
        found: state.frame,
      },
    );
  }
}
