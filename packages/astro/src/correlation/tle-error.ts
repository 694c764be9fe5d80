/**
 * Prediction uncertainty of an SGP4 element set as a function of its age, used by correlation to
 * widen the residual gate of old element sets.
 *
 * Model: independent errors along the radial (R), in-track (T) and cross-track (N) axes of the
 * object's orbit, 1-σ
 *   σ_R = r0 + r1·|τ|,   σ_T = t0 + t1·|τ| + t2·τ²,   σ_N = n0 + n1·|τ|,
 * τ the age of the set in days (negative ages, predictions before the epoch, count the same).
 * In-track grows fastest: an error δn in mean motion (mostly from drag) becomes an in-track error
 * growing linearly and, when the drag itself is mis-modelled, quadratically with time. These are
 * the error levels reported for SSN TLEs by pairwise differencing and comparison with precise
 * orbits (Flohrer, Krag & Klinkrad, AMOS 2008; Vallado & Cefola, IAC 2012; docs/domain.md §5.5:
 * "along-track ≈ σ0 + c1·Δt + c2·Δt², radial and cross-track roughly constant or linear";
 * §2.6: in-track error grows about a km per day in LEO). The coefficients below are deliberately
 * on the generous side of those reports (fresh LEO sets: a few hundred metres radial and a
 * kilometre in-track; deep-space sets several kilometres in-track), because a gate that is too
 * tight turns a correct track into a false UCT, while a wider gate only costs discrimination, which
 * the ambiguity margin protects. pc/tle-covariance.ts estimates the same model per object from its
 * element-set history; such an estimate can be passed in through `TleErrorModel`.
 */
import type { ElementSet } from '../elements/element-set.js';

/** 1-σ radial, in-track and cross-track position error of an element set at an age, km. */
export type TleErrorModel = (elements: ElementSet, ageDays: number) => readonly [number, number, number];

/** Coefficients of the default model for one orbit regime (km, km/day, km/day²). */
export interface TleErrorCoefficients {
  readonly radial: readonly [number, number];
  readonly inTrack: readonly [number, number, number];
  readonly crossTrack: readonly [number, number];
}

/** Near-earth sets (period below 225 min, SGP4 proper). */
export const TLE_ERROR_NEAR_EARTH: TleErrorCoefficients = {
  radial: [0.3, 0.1],
  inTrack: [1.0, 1.5, 0.2],
  crossTrack: [0.5, 0.1],
};

/** Deep-space sets (period of 225 min or more, SDP4): GEO, GNSS, Molniya and transfer orbits. */
export const TLE_ERROR_DEEP_SPACE: TleErrorCoefficients = {
  radial: [1.0, 0.2],
  inTrack: [5.0, 2.0, 0.05],
  crossTrack: [2.0, 0.2],
};

/** Period separating near-earth from deep-space sets, minutes (SGP4's own 225-minute rule). */
const DEEP_SPACE_PERIOD_MIN = 225;

/** The default model (see the module header): monotone in |age|, as correlation's gate requires. */
export const defaultTleErrorModel: TleErrorModel = (elements, ageDays) => {
  const periodMin = (2 * Math.PI) / elements.meanMotionRadPerMin;
  const c = periodMin >= DEEP_SPACE_PERIOD_MIN ? TLE_ERROR_DEEP_SPACE : TLE_ERROR_NEAR_EARTH;
  const a = Math.abs(ageDays);
  return [
    c.radial[0] + c.radial[1] * a,
    c.inTrack[0] + c.inTrack[1] * a + c.inTrack[2] * a * a,
    c.crossTrack[0] + c.crossTrack[1] * a,
  ];
};
