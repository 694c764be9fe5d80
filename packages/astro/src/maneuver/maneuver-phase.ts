/**
 * Along-track phase change-point statistic for maneuver detection over several element sets.
 *
 * An element set's mean argument of latitude u = M + ω at its own epoch is the best-determined
 * quantity of a TLE fit (the along-track position the observations pin down), far better than its
 * mean motion, which is the slope of that phase over the fit span. A small tangential burn Δv_T
 * changes a by Δa = 2aΔv_T/v and the along-track rate by Δu̇ = −1.5·n·Δa/a, so the phase history,
 * continuous at the burn, bends there: after t days the along-track offset is 1.5·n·Δa·t, which a
 * fit over several sets on each side measures far more precisely than one mean-motion step
 * (Jason-2, 1,336 km: a 4 mm/s burn is Δa ≈ 8 m, a step inside the noise of the mean motion, but
 * ≈ 1 km/day of along-track drift against a phase noise of ≈ 0.1 km). This is the multi-set form
 * of Lemmens & Krag (2014) method 1 (the SGP4 along-track residual of one set propagated to the
 * next), written as a change-point test in the manner of Patera (2008): for each pair k → k+1,
 * the sets k−W+1 … k+W are fitted, after removing the drag curvature, with a line plus a slope
 * change Δ at the middle of the pair,
 *   φ(t) + 0.75·n·ȧ·(t − t_k)² = c0 + c1·τ + Δ·max(0, τ),  τ = t − (t_k + t_{k+1})/2,
 * by least squares, and the statistic is z = Δ̂ / √[(XᵀX)⁻¹]_ΔΔ, the slope change in units of the
 * (unknown, common) per-set phase noise. The drag curvature (along-track acceleration −1.5·n·ȧ)
 * comes from the local median rate ȧ of the semi-major axis, which a burn does not move; fitting
 * the curvature instead (a free quadratic term) trades it against Δ and gave side lobes of the
 * opposite sign a few pairs from each burn. One set whose residual exceeds
 * `PHASE_REJECT_SIGMAS` robust σ of the fit (a bad set) is dropped and the fit repeated. The scale
 * of z is then taken from the object's own pairs (see the detector).
 *
 * Phase: u_k unwrapped from set to set with the mean of the two sets' secular rates (mean motion
 * plus the first-order J2 rates of M and ω, Vallado 2013 eq. 9-41), converted to km with a.
 * Units: days, km, rad inside. Pure computation.
 */
import type { ElementSet } from '../elements/element-set.js';

/** WGS-72 J2 and Earth radius (km), as SGP4 uses them. */
const J2 = 0.001082616;
const RE_KM = 6378.135;
const TWO_PI = 2 * Math.PI;

/** Parameters of the kink model: c0, c1, Δ. */
const NP = 3;
/** Robust σ (1.4826·median |residual|) beyond which the worst set of a fit is dropped once. */
const PHASE_REJECT_SIGMAS = 5;
/** Grid steps of the least-squares search for the bend's time. */
const KINK_TIME_STEPS = 36;
/**
 * Steps each side for the local median rate of a (the drag decay). Its noise sets a floor: with
 * metres of step noise in a, the curvature it implies is wrong by ~0.1 km over the window. Slopes
 * over longer lags (8 sets) were less noisy but moved by the burns and lowered LEO F1 by 0.03.
 */
const DRAG_RATE_HALF_WIDTH = 8;

/**
 * Unwrapped mean argument of latitude (rad) of each set at its own epoch, and the secular rate
 * of u (rad/day) of each set. `t` in days, `aKm` the un-Kozai'd semi-major axes.
 */
function alongTrackPhase(
  sets: readonly ElementSet[],
  t: Float64Array,
  aKm: Float64Array,
): { readonly phaseRad: Float64Array; readonly rateRadPerDay: Float64Array } {
  const n = sets.length;
  const phaseRad = new Float64Array(n);
  const rateRadPerDay = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const es = sets[k] as ElementSet;
    const nRadDay = es.meanMotionRadPerMin * 1440;
    const e2 = es.eccentricity * es.eccentricity;
    const s2 = Math.sin(es.inclinationRad) ** 2;
    const p = ((aKm[k] as number) * (1 - e2)) / RE_KM;
    const f = J2 / (p * p);
    rateRadPerDay[k] = nRadDay * (1 + 1.5 * f * Math.sqrt(1 - e2) * (1 - 1.5 * s2) + 0.75 * f * (4 - 5 * s2));
    const u = es.meanAnomalyRad + es.argPerigeeRad;
    if (k === 0) {
      phaseRad[k] = u;
      continue;
    }
    const pred =
      (phaseRad[k - 1] as number) +
      0.5 *
        ((rateRadPerDay[k - 1] as number) + (rateRadPerDay[k] as number)) *
        ((t[k] as number) - (t[k - 1] as number));
    const d = u - pred;
    phaseRad[k] = pred + (d - TWO_PI * Math.round(d / TWO_PI));
  }
  return { phaseRad, rateRadPerDay };
}

/** Local median rate of a (km/day) at each set, over the steps within ±DRAG_RATE_HALF_WIDTH sets. */
function medianRate(t: Float64Array, aKm: Float64Array, out: Float64Array): void {
  const n = t.length;
  const buf = new Float64Array(2 * DRAG_RATE_HALF_WIDTH);
  for (let k = 0; k < n; k++) {
    let c = 0;
    for (let j = Math.max(0, k - DRAG_RATE_HALF_WIDTH); j < Math.min(n - 1, k + DRAG_RATE_HALF_WIDTH); j++) {
      const dt = (t[j + 1] as number) - (t[j] as number);
      if (dt > 0.1) buf[c++] = ((aKm[j + 1] as number) - (aKm[j] as number)) / dt;
    }
    if (c === 0) {
      out[k] = 0;
      continue;
    }
    const v = buf.subarray(0, c).sort();
    const h = c >> 1;
    out[k] = c % 2 === 1 ? (v[h] as number) : 0.5 * ((v[h - 1] as number) + (v[h] as number));
  }
}

/**
 * Least-squares fit of y over rows j ∈ [lo, hi] except `skip`, design (1, τ, max(0, τ)); writes
 * the coefficients to x and returns [(XᵀX)⁻¹]_ΔΔ (NaN if singular). Cramer's rule on the 3×3
 * normal equations.
 */
function fitKink(tau: Float64Array, y: Float64Array, count: number, skip: number, x: Float64Array): number {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let j = 0; j < count; j++) {
    if (j === skip) continue;
    const t1 = tau[j] as number;
    const t2 = Math.max(t1, 0);
    const yj = y[j] as number;
    s00 += 1;
    s01 += t1;
    s02 += t2;
    s11 += t1 * t1;
    s12 += t1 * t2;
    s22 += t2 * t2;
    b0 += yj;
    b1 += t1 * yj;
    b2 += t2 * yj;
  }
  // Cofactors of the symmetric matrix [[s00 s01 s02] [s01 s11 s12] [s02 s12 s22]].
  const c00 = s11 * s22 - s12 * s12;
  const c01 = s02 * s12 - s01 * s22;
  const c02 = s01 * s12 - s02 * s11;
  const c11 = s00 * s22 - s02 * s02;
  const c12 = s01 * s02 - s00 * s12;
  const c22 = s00 * s11 - s01 * s01;
  const det = s00 * c00 + s01 * c01 + s02 * c02;
  if (!(Math.abs(det) > 1e-12 * Math.max(1, s00 * s11 * s22))) return Number.NaN;
  x[0] = (c00 * b0 + c01 * b1 + c02 * b2) / det;
  x[1] = (c01 * b0 + c11 * b1 + c12 * b2) / det;
  x[2] = (c02 * b0 + c12 * b1 + c22 * b2) / det;
  return c22 / det;
}

/** The phase history the change-point fits read (see `alongTrackPhase`), with the drag rate of a. */
export interface PhaseHistory {
  readonly t: Float64Array;
  readonly phaseRad: Float64Array;
  readonly rateRadPerDay: Float64Array;
  readonly aKm: Float64Array;
  /** Local median rate of a, km/day. */
  readonly aDotKmPerDay: Float64Array;
}

export function phaseHistory(sets: readonly ElementSet[], t: Float64Array, aKm: Float64Array): PhaseHistory {
  const { phaseRad, rateRadPerDay } = alongTrackPhase(sets, t, aKm);
  const aDotKmPerDay = new Float64Array(t.length);
  medianRate(t, aKm, aDotKmPerDay);
  return { t, phaseRad, rateRadPerDay, aKm, aDotKmPerDay };
}

/** Most sets used on each side of a pair (dense histories: the nearest ones). */
export const PHASE_MAX_SIDE_SETS = 16;
/** Fewest sets on each side of a pair for a fit. */
const PHASE_MIN_SIDE_SETS = 3;

/**
 * Window of pair k: the sets within ±`halfSpanDays` of the pair's middle (at most
 * PHASE_MAX_SIDE_SETS each side). Returns [lo, hi], or lo > hi where too few sets.
 */
function windowOf(t: Float64Array, k: number, halfSpanDays: number): [number, number] {
  const tc = 0.5 * ((t[k] as number) + (t[k + 1] as number));
  let lo = k;
  while (lo - 1 >= 0 && k - lo + 1 < PHASE_MAX_SIDE_SETS && (t[lo - 1] as number) >= tc - halfSpanDays) lo--;
  let hi = k + 1;
  while (hi + 1 < t.length && hi - k < PHASE_MAX_SIDE_SETS && (t[hi + 1] as number) <= tc + halfSpanDays)
    hi++;
  if (k - lo + 1 < PHASE_MIN_SIDE_SETS || hi - k < PHASE_MIN_SIDE_SETS) return [1, 0];
  return [lo, hi];
}

/**
 * Fills τ = t − t_c and the drag-corrected along-track phase y (km) of the window sets of pair k,
 * with t_c the middle of the pair. Returns the number of rows (0: too few sets).
 */
function fillWindow(
  h: PhaseHistory,
  k: number,
  halfSpanDays: number,
  tau: Float64Array,
  y: Float64Array,
): number {
  const { t, phaseRad, rateRadPerDay, aKm, aDotKmPerDay } = h;
  const [lo, hi] = windowOf(t, k, halfSpanDays);
  if (lo > hi) return 0;
  const tk = t[k] as number;
  const tc = 0.5 * (tk + (t[k + 1] as number));
  const uk = phaseRad[k] as number;
  const rk = rateRadPerDay[k] as number;
  const ak = aKm[k] as number;
  // Along-track acceleration from drag, km/day²: a·d²u/dt² = −1.5·n·ȧ.
  const acc = -1.5 * rk * (aDotKmPerDay[k] as number);
  for (let j = lo; j <= hi; j++) {
    const dt = (t[j] as number) - tk;
    tau[j - lo] = (t[j] as number) - tc;
    y[j - lo] = ((phaseRad[j] as number) - uk - rk * dt) * ak - 0.5 * acc * dt * dt;
  }
  return hi - lo + 1;
}

/** Sum of squared residuals of the fit in x, row `skip` left out. */
function rssOf(tau: Float64Array, y: Float64Array, count: number, skip: number, x: Float64Array): number {
  let rss = 0;
  for (let j = 0; j < count; j++) {
    if (j === skip) continue;
    const t1 = tau[j] as number;
    const r =
      (y[j] as number) - (x[0] as number) - (x[1] as number) * t1 - (x[2] as number) * Math.max(t1, 0);
    rss += r * r;
  }
  return rss;
}

/**
 * Slope change of the along-track phase at each pair k → k+1 (km/day, `outDelta`) and its
 * statistic z = Δ̂/√[(XᵀX)⁻¹]_ΔΔ (km, `outZ`), from the sets within ±`halfSpanDays` of the pair
 * (in days, not sets: the bend grows with time after the burn, and sets issued hours apart share
 * their observations); `outSkip` gets the window row dropped as a bad set (−1: none). Pairs with
 * fewer than 3 sets on either side, or spanning more than `maxGapDays`, get 0.
 */
export function phaseKinkSeries(
  h: PhaseHistory,
  halfSpanDays: number,
  maxGapDays: number,
  outDelta: Float64Array,
  outZ: Float64Array,
  outSkip: Int32Array,
): void {
  const t = h.t;
  const n = t.length;
  const cap = 2 * PHASE_MAX_SIDE_SETS;
  const tau = new Float64Array(cap);
  const y = new Float64Array(cap);
  const res = new Float64Array(cap);
  const x = new Float64Array(NP);
  for (let k = 0; k + 1 < n; k++) {
    outDelta[k] = 0;
    outZ[k] = 0;
    outSkip[k] = -1;
    if ((t[k + 1] as number) - (t[k] as number) > maxGapDays) continue;
    const rows = fillWindow(h, k, halfSpanDays, tau, y);
    if (rows === 0) continue;
    let v = fitKink(tau, y, rows, -1, x);
    if (!(v > 0)) continue;
    // One bad set: drop the worst residual if it stands out of the fit's robust scale.
    let worst = 0;
    for (let j = 0; j < rows; j++) {
      const t1 = tau[j] as number;
      const ar = Math.abs(
        (y[j] as number) - (x[0] as number) - (x[1] as number) * t1 - (x[2] as number) * Math.max(t1, 0),
      );
      res[j] = ar;
      if (ar > (res[worst] as number)) worst = j;
    }
    const worstAbs = res[worst] as number;
    const sorted = res.subarray(0, rows).sort();
    const h2 = rows >> 1;
    const med =
      rows % 2 === 1 ? (sorted[h2] as number) : 0.5 * ((sorted[h2 - 1] as number) + (sorted[h2] as number));
    if (worstAbs > PHASE_REJECT_SIGMAS * 1.4826 * med) {
      const v2 = fitKink(tau, y, rows, worst, x);
      if (!(v2 > 0)) continue;
      v = v2;
      outSkip[k] = worst;
    }
    const delta = x[2] as number;
    outDelta[k] = delta;
    outZ[k] = delta / Math.sqrt(v);
  }
}

/**
 * Least-squares time (days) of the bend seen at pair k: the kink time, searched on a grid from the
 * set before the pair to the set after it, that best fits the window of pair k (the change point
 * need not lie in the pair whose window sees it best, and the sets' epochs are not the burn's).
 */
export function phaseKinkTime(h: PhaseHistory, k: number, halfSpanDays: number, skip: number): number {
  const t = h.t;
  const cap = 2 * PHASE_MAX_SIDE_SETS;
  const tau = new Float64Array(cap);
  const tauB = new Float64Array(cap);
  const y = new Float64Array(cap);
  const x = new Float64Array(NP);
  const tc = 0.5 * ((t[k] as number) + (t[k + 1] as number));
  const rows = fillWindow(h, k, halfSpanDays, tau, y);
  if (rows === 0) return tc;
  const tFrom = (t[Math.max(0, k - 1)] as number) - tc;
  const tTo = (t[Math.min(t.length - 1, k + 2)] as number) - tc;
  let best = tc;
  let bestRss = Number.POSITIVE_INFINITY;
  for (let g = 0; g <= KINK_TIME_STEPS; g++) {
    const shift = tFrom + ((tTo - tFrom) * g) / KINK_TIME_STEPS;
    for (let j = 0; j < rows; j++) tauB[j] = (tau[j] as number) - shift;
    if (!(fitKink(tauB, y, rows, skip, x) > 0)) continue;
    const rss = rssOf(tauB, y, rows, skip, x);
    if (rss < bestRss) {
      bestRss = rss;
      best = tc + shift;
    }
  }
  return best;
}
