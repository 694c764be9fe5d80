/**
 * Time of closest approach (TCA) of two SGP4 objects, refined with the reference SGP4 kernel
 * (sgp4/sgp4.ts, Vallado 2020) from a first guess.
 *
 * TCA is a root of the range-rate function g(t) = ρ·ρ̇ (ρ = r_B − r_A, TEME, km; ρ̇ km/s) with
 * g'(t) = |ρ̇|² + ρ·ρ̈ > 0 (a minimum of |ρ|). Newton's method on g, with ρ̈ taken from two-body
 * gravity (−μ r/|r|³ per object; J2 and drag change g' by about 1e-3 relative, which only slows the
 * quadratic convergence to a fast linear one) and the step clamped to MAX_NEWTON_STEP_S. It stops when
 * the step is below TCA_TOLERANCE_S (0.1 µs: the brief asks for 1 ms). The miss distance comes from
 * the SGP4 states at that TCA, so it is exact to SGP4's rounding.
 *
 * Slow encounters. SGP4's velocity is not exactly the time derivative of its position (drag and
 * deep-space terms), so the root of ρ·ρ̇ sits δt ≈ |ρ|·|δv|/|ρ̇|² from the minimum of the distance:
 * negligible for fast encounters, tens of ms below a few m/s. Below SLOW_ENCOUNTER_KM_S the result is
 * polished by golden-section search on the SGP4 distance itself (positions only) over
 * ±clamp(1e-4·|ρ|/|ρ̇|², 0.5 s, 60 s) (the Newton root is well inside for |δv| up to 10 cm/s).
 */

import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { illinoisRoot } from './illinois.js';

/** Newton stops when the time step is below this, s. */
export const TCA_TOLERANCE_S = 1e-7;
/** Largest Newton step, s (the first guess is within one screening step of the minimum). */
export const MAX_NEWTON_STEP_S = 30;
/** Relative speed below which TCA is polished on the distance (golden section), km/s. */
export const SLOW_ENCOUNTER_KM_S = 0.5;
/** Newton iterations before giving up. */
export const MAX_NEWTON_ITERATIONS = 40;
/** Largest half-width of the slow-encounter polish, s. */
export const SLOW_POLISH_MAX_S = 60;
/**
 * Farthest a refined TCA can lie from the time it was refined from, s: every Newton step at its
 * clamp, then the polish at its widest (a bracket refinement stays inside its bracket, then the
 * polish). Streaming merges (screening-stream.ts) rely on this bound.
 */
export const MAX_REFINE_DRIFT_S = MAX_NEWTON_ITERATIONS * MAX_NEWTON_STEP_S + SLOW_POLISH_MAX_S;

export const TCA_OK = 0;
export const TCA_SGP4_ERROR = 1;
export const TCA_NOT_CONVERGED = 2;
export const TCA_NOT_A_MINIMUM = 3;

/** Layout of the `out` array of refineTca. */
export const TCA_OUT_T = 0;
export const TCA_OUT_MISS = 1;
/** r_A (3), v_A (3), r_B (3), v_B (3) from index 2. */
export const TCA_OUT_STATES = 2;

const sa = new Float64Array(6);
const sb = new Float64Array(6);

/**
 * Refines the TCA of records A and B near `tGuessSec` (seconds from the window start;
 * `offAMin`/`offBMin` are minutes from each record's epoch to the window start). Writes
 * [tca s, miss km, rA, vA, rB, vB] (TEME km, km/s) into `out` (length ≥ 14) and returns a status.
 */
export function refineTca(
  recA: Satrec,
  offAMin: number,
  recB: Satrec,
  offBMin: number,
  tGuessSec: number,
  out: Float64Array,
): number {
  let t = tGuessSec;
  let converged = false;
  let gp = 0;
  for (let it = 0; it < MAX_NEWTON_ITERATIONS; it++) {
    if (sgp4(recA, offAMin + t / 60, sa) !== 0 || sgp4(recB, offBMin + t / 60, sb) !== 0) {
      return TCA_SGP4_ERROR;
    }
    const px = sb[0]! - sa[0]!;
    const py = sb[1]! - sa[1]!;
    const pz = sb[2]! - sa[2]!;
    const ux = sb[3]! - sa[3]!;
    const uy = sb[4]! - sa[4]!;
    const uz = sb[5]! - sa[5]!;
    const g = px * ux + py * uy + pz * uz;
    const u2 = ux * ux + uy * uy + uz * uz;
    const ra = Math.hypot(sa[0]!, sa[1]!, sa[2]!);
    const rb = Math.hypot(sb[0]!, sb[1]!, sb[2]!);
    const ka = -recA.mus / (ra * ra * ra);
    const kb = -recB.mus / (rb * rb * rb);
    const ax = kb * sb[0]! - ka * sa[0]!;
    const ay = kb * sb[1]! - ka * sa[1]!;
    const az = kb * sb[2]! - ka * sa[2]!;
    gp = u2 + px * ax + py * ay + pz * az;
    const denom = gp > 0 ? gp : u2;
    if (!(denom > 0)) break;
    let dt = -g / denom;
    if (dt > MAX_NEWTON_STEP_S) dt = MAX_NEWTON_STEP_S;
    else if (dt < -MAX_NEWTON_STEP_S) dt = -MAX_NEWTON_STEP_S;
    t += dt;
    if (Math.abs(dt) < TCA_TOLERANCE_S) {
      converged = true;
      break;
    }
  }
  return finish(recA, offAMin, recB, offBMin, t, converged, gp > 0, out);
}

/**
 * Refines the TCA of records A and B inside a bracket [loSec, hiSec] where the SGP4 range rate
 * changes sign from − to + (Illinois regula falsi on the range rate, then the slow-encounter
 * polish): converges whatever the curvature, for the slow pairs where Newton's two-body ρ̈ is
 * unreliable. Same output and statuses as refineTca.
 */
export function refineTcaInBracket(
  recA: Satrec,
  offAMin: number,
  recB: Satrec,
  offBMin: number,
  loSec: number,
  hiSec: number,
  out: Float64Array,
): number {
  const glo = rangeRate(recA, offAMin, recB, offBMin, loSec);
  const ghi = rangeRate(recA, offAMin, recB, offBMin, hiSec);
  if (Number.isNaN(glo) || Number.isNaN(ghi)) return TCA_SGP4_ERROR;
  if (!(glo < 0 && ghi >= 0)) return TCA_NOT_A_MINIMUM;
  const width = new Float64Array(1);
  const t = illinoisRoot(
    (x) => rangeRate(recA, offAMin, recB, offBMin, x),
    loSec,
    hiSec,
    glo,
    ghi,
    TCA_TOLERANCE_S,
    4 * MAX_NEWTON_ITERATIONS,
    width,
  );
  if (Number.isNaN(t)) return TCA_SGP4_ERROR;
  return finish(recA, offAMin, recB, offBMin, t, width[0]! <= TCA_TOLERANCE_S, true, out);
}

/** SGP4 range rate ρ·ρ̇ at t seconds (NaN on an SGP4 error). */
function rangeRate(recA: Satrec, offA: number, recB: Satrec, offB: number, t: number): number {
  if (sgp4(recA, offA + t / 60, sa) !== 0 || sgp4(recB, offB + t / 60, sb) !== 0) return Number.NaN;
  return (
    (sb[0]! - sa[0]!) * (sb[3]! - sa[3]!) +
    (sb[1]! - sa[1]!) * (sb[4]! - sa[4]!) +
    (sb[2]! - sa[2]!) * (sb[5]! - sa[5]!)
  );
}

/** Slow-encounter polish at a converged root t, then the states and miss distance into `out`. */
function finish(
  recA: Satrec,
  offAMin: number,
  recB: Satrec,
  offBMin: number,
  root: number,
  converged: boolean,
  minimum: boolean,
  out: Float64Array,
): number {
  let t = root;
  if (sgp4(recA, offAMin + t / 60, sa) !== 0 || sgp4(recB, offBMin + t / 60, sb) !== 0) {
    return TCA_SGP4_ERROR;
  }
  const u2 = (sb[3]! - sa[3]!) ** 2 + (sb[4]! - sa[4]!) ** 2 + (sb[5]! - sa[5]!) ** 2;
  if (converged && u2 < SLOW_ENCOUNTER_KM_S * SLOW_ENCOUNTER_KM_S) {
    const rho = Math.hypot(sb[0]! - sa[0]!, sb[1]! - sa[1]!, sb[2]! - sa[2]!);
    const w = Math.min(SLOW_POLISH_MAX_S, Math.max(0.5, (1e-4 * rho) / u2));
    const tg = goldenDistanceMinimum(recA, offAMin, recB, offBMin, t - w, t + w);
    if (Number.isNaN(tg)) return TCA_SGP4_ERROR;
    t = tg;
    if (sgp4(recA, offAMin + t / 60, sa) !== 0 || sgp4(recB, offBMin + t / 60, sb) !== 0) {
      return TCA_SGP4_ERROR;
    }
  }
  out[TCA_OUT_T] = t;
  out[TCA_OUT_MISS] = Math.hypot(sb[0]! - sa[0]!, sb[1]! - sa[1]!, sb[2]! - sa[2]!);
  for (let k = 0; k < 6; k++) {
    out[TCA_OUT_STATES + k] = sa[k]!;
    out[TCA_OUT_STATES + 6 + k] = sb[k]!;
  }
  if (!converged) return TCA_NOT_CONVERGED;
  return minimum ? TCA_OK : TCA_NOT_A_MINIMUM;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

function distance2(recA: Satrec, offA: number, recB: Satrec, offB: number, t: number): number {
  if (sgp4(recA, offA + t / 60, sa) !== 0 || sgp4(recB, offB + t / 60, sb) !== 0) return Number.NaN;
  return (sb[0]! - sa[0]!) ** 2 + (sb[1]! - sa[1]!) ** 2 + (sb[2]! - sa[2]!) ** 2;
}

/** Golden-section minimum of the SGP4 distance on [lo, hi] to TCA_TOLERANCE_S; NaN on SGP4 errors. */
function goldenDistanceMinimum(
  recA: Satrec,
  offA: number,
  recB: Satrec,
  offB: number,
  lo: number,
  hi: number,
): number {
  let a = lo;
  let b = hi;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = distance2(recA, offA, recB, offB, c);
  let fd = distance2(recA, offA, recB, offB, d);
  while (b - a > TCA_TOLERANCE_S) {
    if (Number.isNaN(fc) || Number.isNaN(fd)) return Number.NaN;
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = distance2(recA, offA, recB, offB, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = distance2(recA, offA, recB, offB, d);
    }
  }
  return 0.5 * (a + b);
}
