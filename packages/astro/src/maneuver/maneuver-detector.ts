/**
 * Maneuver detection on one object's element-set history (TLE/OMM mean elements).
 *
 * Method (Lemmens & Krag 2014 method 2, Patera 2008; Pittelkau 2016 for a threshold from a chosen
 * false-alarm probability):
 * 1. Per set, the mean semi-major axis from the Kozai mean motion, un-Kozai'd the SGP4 way
 *    (Vallado's `initl`, WGS-72), and the inclination; per pair of successive sets, their steps.
 * 2. Each step minus the local trend (the median rate over ±8 neighbouring pairs: drag decay,
 *    lunisolar inclination drift and GEO longitude drift live in the trend).
 * 3. Noise model from the object's own quiet steps: over ±30 pairs (steps detected in a first pass
 *    excluded), the 75th and 95th percentiles of |r − median| fix an exponential (Laplace) tail,
 *    P(|r| ≥ x) = 0.05·exp(−(x − q95)/b), b = (q95 − q75)/ln 5 (inter-TLE steps are far
 *    heavier-tailed than Gaussian), with a floor on b per orbital regime.
 * 4. Score = −log10 of that probability, the larger over the series; threshold −log10(p/s) for a
 *    chosen false-alarm probability p per pair (default 1e-3) shared by the s series tested.
 *    Nothing is tuned per satellite.
 * 4b. LEO and MEO (regime `phaseHalfSpanDays` > 0): a third, multi-set series, the bend of the
 *    along-track phase (mean argument of latitude) over the sets within ±D days of the pair
 *    (maneuver-phase.ts). A burn of mm/s changes a by metres, inside the step noise of the mean
 *    motion, but drifts the along-track position by up to a kilometre a day, which several sets
 *    resolve. Its scale: a robust Gaussian σ (1.4826·median |z|) from the object's own pairs; a
 *    score counts only where it is the largest within ±D days. Added in 1.1.0 (gains measured on
 *    the dpshorten benchmark: EVALUATION.md). Not used in GEO: the step test already sees the E-W
 *    burns there, and the phase statistic (mean longitude) lowered GEO precision.
 * 5. Outliers (a set whose steps in and out both exceed the threshold while the step over it does
 *    not: cross-tagged sets, bad fits) are removed first and reported apart, never as maneuvers.
 * 6. Each detection: window and best-estimate time from where the regime's fit spans put the burn
 *    (REGIME_NOISE_MODELS), or, where the phase bend leads, the least-squares time of the bend; Δv from the Gauss equations for a near-circular orbit
 *    (Δv_T = v·Δa/(2a), Δv_N = v·Δi, a lower bound since the argument of latitude of the burn is
 *    unknown; Δv_R is not resolvable at TLE eccentricity noise and is reported as 0), the SGP4
 *    position residual of the earlier set at the later epoch in RTN as evidence, and a kind.
 *
 * Units: km, rad, days inside; m/s for Δv in the result. Pure computation, no I/O.
 */
import type { ElementSet } from '../elements/element-set.js';
import { formatUtcIso, normaliseJulian } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import { minutesSinceEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { type PhaseHistory, phaseHistory, phaseKinkSeries, phaseKinkTime } from './maneuver-phase.js';

/** WGS-72 constants as SGP4 uses them (Vallado `getgravconst('wgs72')`). */
const WGS72_RE_KM = 6378.135;
const WGS72_MU_KM3_S2 = 398600.8;
const WGS72_J2 = 0.001082616;
/** xke = 60 / sqrt(Re³/μ), per minute. */
const XKE = 60.0 / Math.sqrt((WGS72_RE_KM * WGS72_RE_KM * WGS72_RE_KM) / WGS72_MU_KM3_S2);
/** 1.4826: MAD → σ for a Gaussian; used as the robust scale estimator. */
const MAD_TO_SIGMA = 1.4826;

export type OrbitRegime = 'LEO' | 'MEO' | 'GEO' | 'HEO';

export type ManeuverKind =
  | 'orbit-raising'
  | 'orbit-lowering'
  | 'inclination-change'
  | 'geo-longitude-station-keeping'
  | 'geo-inclination-station-keeping'
  | 'relocation';

/** Noise model of one regime: robust-σ floors and the window lengths (in pairs). */
export interface RegimeNoiseModel {
  /** Floor of the robust σ of the semi-major-axis step residual, km. */
  readonly sigmaFloorAKm: number;
  /** Floor of the robust σ of the inclination step residual, rad. */
  readonly sigmaFloorIncRad: number;
  /**
   * Where the best-estimate burn time lies between the two sets of the step (0: the earlier set's
   * epoch, 1: the later one's). An element set is fitted to observations around its epoch, so in
   * LEO the set just before a burn already leans toward the new orbit (short fit spans ending near
   * the epoch), while in GEO the long fit spans straddle the burn.
   */
  readonly burnTimeFraction: number;
  /**
   * Steps closer than this (days) are one event: about the fit span of the regime's element sets
   * (LEO a day or two, GEO several days), over which one burn shows in several sets.
   */
  readonly mergeSpanDays: number;
  /** Half-width of the trend window (pairs each side). */
  readonly trendHalfWidth: number;
  /** Half-width of the noise window (pairs each side). */
  readonly noiseHalfWidth: number;
  /**
   * Days on each side of a pair in the along-track phase change-point fit (0: not used). About
   * the interval between burns it can resolve, and the span over which a burn's drift dominates.
   */
  readonly phaseHalfSpanDays: number;
  /** Floor of the tail scale of the phase statistic, km (the along-track resolution of a set). */
  readonly phaseFloorKm: number;
  /** Pairs spanning more than this (days) get no phase statistic (unwrapping and drag untrusted). */
  readonly phaseMaxGapDays: number;
}

/**
 * Regime noise models: floors near the TLE noise of each regime, windows of about a month of sets.
 * Floors of the tail scale from the position errors of element sets: an inclination step cannot be
 * resolved below the cross-track error over the orbit radius (≈ 0.15 km / 7,000 km in LEO,
 * ≈ 1 km / 42,164 km in GEO: 2e-5 rad in both), nor a GEO semi-major-axis step below ≈ 0.1 km
 * (along-track errors of a few km over fit spans of a few days resolve n to ≈ 1e-6 of itself).
 * LEO a steps are floored at 2 m (sub-metre steps are below what a LEO fit resolves).
 * The earlier floors (2e-6 rad LEO, 5e-6 rad and 0.02 km GEO) sat at the quantisation of the TLE
 * fields, below the noise, and gave inclination-only and small-Δa false alarms (v1.1.0).
 */
export const REGIME_NOISE_MODELS: Readonly<Record<OrbitRegime, RegimeNoiseModel>> = {
  LEO: {
    mergeSpanDays: 2,
    burnTimeFraction: 0.5,
    sigmaFloorAKm: 0.002,
    sigmaFloorIncRad: 2e-5,
    trendHalfWidth: 8,
    noiseHalfWidth: 30,
    phaseHalfSpanDays: 4,
    phaseFloorKm: 0.01,
    phaseMaxGapDays: 3,
  },
  MEO: {
    mergeSpanDays: 3,
    burnTimeFraction: 0.5,
    sigmaFloorAKm: 0.01,
    sigmaFloorIncRad: 2e-6,
    trendHalfWidth: 8,
    noiseHalfWidth: 30,
    phaseHalfSpanDays: 4,
    phaseFloorKm: 0.05,
    phaseMaxGapDays: 5,
  },
  GEO: {
    mergeSpanDays: 3,
    burnTimeFraction: 0,
    sigmaFloorAKm: 0.1,
    sigmaFloorIncRad: 2e-5,
    trendHalfWidth: 8,
    noiseHalfWidth: 30,
    phaseHalfSpanDays: 0,
    phaseFloorKm: 0.5,
    phaseMaxGapDays: 5,
  },
  HEO: {
    mergeSpanDays: 3,
    burnTimeFraction: 0.5,
    sigmaFloorAKm: 0.05,
    sigmaFloorIncRad: 5e-6,
    trendHalfWidth: 8,
    noiseHalfWidth: 30,
    phaseHalfSpanDays: 0,
    phaseFloorKm: 0.5,
    phaseMaxGapDays: 5,
  },
};

export interface ManeuverDetectorOptions {
  /** False-alarm probability per pair of successive sets (default 1e-3). */
  readonly falseAlarmProbability?: number;
  /** Override the regime (default: classified from the median mean motion and eccentricity). */
  readonly regime?: OrbitRegime;
  /** Override parts of the regime's noise model (default: `REGIME_NOISE_MODELS[regime]`). */
  readonly noiseModel?: Partial<RegimeNoiseModel>;
}

export interface ManeuverDetection {
  readonly catalogNumber: string;
  /** Index (in the cleaned, sorted history) of the sets bracketing the maneuver. */
  readonly beforeIndex: number;
  readonly afterIndex: number;
  readonly timeUtc: string;
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
  /** Best-estimate time, days since the first set of the history. */
  readonly timeDays: number;
  readonly dvMS: number;
  /** Radial, in-track, cross-track Δv, m/s (magnitudes of the Gauss estimates; T carries a sign). */
  readonly dvRtnMS: readonly [number, number, number];
  readonly kind: ManeuverKind;
  /** The largest of the series' scores (−log10 tail probability) at the detection. */
  readonly score: number;
  readonly threshold: number;
  readonly evidence: {
    readonly deltaAKm: number;
    readonly residualAKm: number;
    readonly tailScaleAKm: number;
    readonly q95AKm: number;
    readonly deltaIncDeg: number;
    readonly tailScaleIncDeg: number;
    readonly scoreA: number;
    readonly scoreInc: number;
    /** Score of the along-track phase change-point statistic (0 where not used or not a local maximum). */
    readonly scorePhase: number;
    /** Slope change of the along-track phase at the detection, km/day (−1.5·n·Δa; 0 where not used). */
    readonly phaseKinkKmPerDay: number;
    /** SGP4 residual of the earlier set propagated to the later set's epoch, RTN of the later set, km. */
    readonly positionResidualRtnKm: readonly [number, number, number];
  };
}

export interface ElementOutlier {
  readonly catalogNumber: string;
  readonly epochUtc: string;
  /** Index in the input sorted by epoch. */
  readonly index: number;
  readonly elements: ElementSet;
  readonly reason: 'disagrees-with-both-neighbours' | 'duplicate-epoch' | 'sgp4-error';
  readonly score: number;
}

/** Per-pair series, for plots and diagnostics (index k is the pair k → k+1 of `sets`). */
export interface ManeuverSeries {
  readonly timeDays: Float64Array;
  readonly semiMajorAxisKm: Float64Array;
  readonly eccentricity: Float64Array;
  readonly inclinationDeg: Float64Array;
  /** Score of each pair (NaN where none), at the pair's middle time. */
  readonly pairTimeDays: Float64Array;
  readonly pairScore: Float64Array;
}

export interface ManeuverResult {
  readonly regime: OrbitRegime;
  readonly threshold: number;
  readonly falseAlarmProbability: number;
  /** The cleaned, sorted history the detections index into. */
  readonly sets: readonly ElementSet[];
  readonly detections: readonly ManeuverDetection[];
  readonly outliers: readonly ElementOutlier[];
  readonly series: ManeuverSeries;
}

/** Name and version recorded on every event. */
export const MANEUVER_DETECTOR_NAME = 'hoshimi-maneuver-robust-steps';
export const MANEUVER_DETECTOR_VERSION = '1.1.0';

/** Days of the epoch (two-part JD, summed; only differences are used). */
function epochDays(es: ElementSet): number {
  return es.epoch.jd - 2451545.0 + es.epoch.jdFrac;
}

/** Un-Kozai'd mean semi-major axis, km (Vallado `initl`, WGS-72). */
export function sgp4SemiMajorAxisKm(es: ElementSet): number {
  const n = es.meanMotionRadPerMin;
  const e = es.eccentricity;
  const cosi = Math.cos(es.inclinationRad);
  const ak = (XKE / n) ** (2 / 3);
  const betao = Math.sqrt(1 - e * e);
  const d1 = (0.75 * WGS72_J2 * (3 * cosi * cosi - 1)) / (betao * betao * betao);
  let del = d1 / (ak * ak);
  const adel = ak * (1 - del * del - del * (1 / 3 + (134 * del * del) / 81));
  del = d1 / (adel * adel);
  const no = n / (1 + del);
  return (XKE / no) ** (2 / 3) * WGS72_RE_KM;
}

/** Regime from mean motion (rev/day) and eccentricity. */
export function classifyRegime(meanMotionRevPerDay: number, eccentricity: number): OrbitRegime {
  if (eccentricity >= 0.25) return 'HEO';
  if (meanMotionRevPerDay >= 6.4) return 'LEO';
  if (meanMotionRevPerDay > 0.9 && meanMotionRevPerDay < 1.1) return 'GEO';
  return 'MEO';
}

/** Score threshold for a per-series false-alarm probability: the score is −log10 P(|r| ≥ x). */
export function falseAlarmThreshold(p: number): number {
  return -Math.log10(p);
}

/** Median of the first `n` values of a scratch array (sorted in place: a numeric typed-array sort). */
function medianScratch(buf: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const v = buf.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 === 1 ? (v[h] as number) : 0.5 * ((v[h - 1] as number) + (v[h] as number));
}

function median(values: number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  values.sort((x, y) => x - y);
  const h = n >> 1;
  return n % 2 === 1 ? (values[h] as number) : 0.5 * ((values[h - 1] as number) + (values[h] as number));
}

/**
 * Residual of each step after removing the local trend: r_k = d_k − rate·dt_k, with rate the median
 * of d_j/dt_j over the neighbouring pairs (excluding k and masked pairs).
 */
function stepResiduals(
  x: Float64Array,
  t: Float64Array,
  halfWidth: number,
  mask: Uint8Array,
  out: Float64Array,
): void {
  const m = x.length - 1;
  const buf = new Float64Array(2 * halfWidth + 1);
  for (let k = 0; k < m; k++) {
    let n = 0;
    for (let j = Math.max(0, k - halfWidth); j <= Math.min(m - 1, k + halfWidth); j++) {
      if (j === k || mask[j]) continue;
      const dt = (t[j + 1] as number) - (t[j] as number);
      if (dt < 0.1) continue;
      buf[n++] = ((x[j + 1] as number) - (x[j] as number)) / dt;
    }
    const rate = n >= 3 ? medianScratch(buf, n) : 0;
    out[k] = (x[k + 1] as number) - (x[k] as number) - rate * ((t[k + 1] as number) - (t[k] as number));
  }
}

/** Quantile (0..1) of a sorted array, linear interpolation. */
function quantileSorted(v: Float64Array, n: number, q: number): number {
  const x = q * (n - 1);
  const i = Math.floor(x);
  const f = x - i;
  const lo = v[i] as number;
  return f === 0 ? lo : lo + f * ((v[i + 1] as number) - lo);
}

/** Tail anchor: the pair fraction above `TAIL_Q_HIGH` is 1 − TAIL_Q_HIGH. */
const TAIL_Q_LOW = 0.75;
const TAIL_Q_HIGH = 0.95;
/**
 * Steps above the threshold separated by at most MERGE_GAP_PAIRS quiet steps and spanning less than
 * the regime's `mergeSpanDays` are one event (the fits of the sets around a burn straddle it).
 */
const MERGE_GAP_PAIRS = 3;
/** Longest run of consecutive sets flagged together as outliers (2 lowered F1 on the benchmark: real back-and-forth steps). */
const MAX_OUTLIER_RUN = 1;
/** Score of a step at the 95th percentile of the quiet steps: −log10(0.05). */
const BULK_SCORE = -Math.log10(1 - TAIL_Q_HIGH);
/** Stride (pairs) between noise-window evaluations; the model changes over weeks, not sets. */
const NOISE_STRIDE = 4;

/**
 * The noise window around pair c: ±halfWidth pairs, shifted (not shrunk) at the ends of the history
 * so that it keeps its length where the history allows. Inclusive pair indices.
 */
function noiseWindow(c: number, halfWidth: number, m: number): [number, number] {
  let lo = c - halfWidth;
  let hi = c + halfWidth;
  if (lo < 0) {
    hi = Math.min(m - 1, hi - lo);
    lo = 0;
  }
  if (hi > m - 1) {
    lo = Math.max(0, lo - (hi - m + 1));
    hi = m - 1;
  }
  return [lo, hi];
}

/**
 * Exponential tail of |r| around each k, from the quiet pairs of a window (excluding masked pairs):
 * q95 = 95th percentile of |r − median|, b = (q95 − q75)/ln 5 (a Laplace tail has quantiles
 * b·ln(1/(1 − p)), so this difference is b·ln 5 whatever the centre). Floors keep b above the
 * resolution of the elements.
 */
function tailModel(
  r: Float64Array,
  halfWidth: number,
  mask: Uint8Array,
  floor: number,
  outQ: Float64Array,
  outB: Float64Array,
): void {
  const m = r.length;
  const buf = new Float64Array(2 * halfWidth + 1);
  for (let c = 0; c < m; c += NOISE_STRIDE) {
    let n = 0;
    const [lo, hi] = noiseWindow(c, halfWidth, m);
    for (let j = lo; j <= hi; j++) if (!mask[j]) buf[n++] = r[j] as number;
    let q = Number.POSITIVE_INFINITY;
    let b = Number.POSITIVE_INFINITY;
    if (n >= 10) {
      const med = medianScratch(buf, n);
      for (let i = 0; i < n; i++) buf[i] = Math.abs((buf[i] as number) - med);
      buf.subarray(0, n).sort();
      const q75 = quantileSorted(buf, n, TAIL_Q_LOW);
      q = quantileSorted(buf, n, TAIL_Q_HIGH);
      b = Math.max(floor, (q - q75) / Math.log((1 - TAIL_Q_LOW) / (1 - TAIL_Q_HIGH)));
    }
    for (let k = c; k < Math.min(m, c + NOISE_STRIDE); k++) {
      outQ[k] = q;
      outB[k] = b;
    }
  }
}

/**
 * Robust Gaussian scale of the phase statistic around each k: σ = 1.4826·median |z| over the
 * window (masked pairs excluded), floored. The statistic is a least-squares combination of some
 * ten set phases with the worst one rejected, so, unlike a single step, it is near Gaussian; and a
 * median, unlike the 95th percentile of the step model, is not moved by the burns that bend the
 * fits of the pairs around them (a quarter of the pairs between burns a few weeks apart).
 */
function gaussScale(
  z: Float64Array,
  halfWidth: number,
  mask: Uint8Array,
  floor: number,
  out: Float64Array,
): void {
  const m = z.length;
  const buf = new Float64Array(2 * halfWidth + 1);
  for (let c = 0; c < m; c += NOISE_STRIDE) {
    let n = 0;
    const [lo, hi] = noiseWindow(c, halfWidth, m);
    for (let j = lo; j <= hi; j++) {
      const v = z[j] as number;
      if (!mask[j] && v !== 0) buf[n++] = Math.abs(v);
    }
    const sigma = n >= 10 ? Math.max(floor, MAD_TO_SIGMA * medianScratch(buf, n)) : Number.POSITIVE_INFINITY;
    for (let k = c; k < Math.min(m, c + NOISE_STRIDE); k++) out[k] = sigma;
  }
}

/**
 * −log10 P(|Z| ≥ x) for a standard normal Z: log of erfc(x/√2) by the Chebyshev fit of Press et
 * al., Numerical Recipes (2nd ed.) §6.2 (`erfcc`, fractional error < 1.2e-7), kept in log form so
 * that large x do not underflow.
 */
export function gaussianTailScore(x: number): number {
  const zz = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * zz);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const lnErfc = Math.log(t) - zz * zz + poly;
  return Math.max(0, -lnErfc / Math.LN10);
}

/** −log10 of the tail probability of |x| under the fitted exponential tail (0 below the bulk). */
function tailScore(x: number, q: number, b: number): number {
  const s = -Math.log10(1 - TAIL_Q_HIGH) + (Math.abs(x) - q) / (b * Math.LN10);
  return Math.max(s, 0);
}

interface PairScores {
  readonly ra: Float64Array;
  readonly qa: Float64Array;
  readonly ba: Float64Array;
  readonly ri: Float64Array;
  readonly qi: Float64Array;
  readonly bi: Float64Array;
  readonly qp: Float64Array;
  readonly bp: Float64Array;
  readonly scoreA: Float64Array;
  readonly scoreI: Float64Array;
  /** Phase score where it is the largest of the pairs within ±phaseHalfSpanDays, else 0. */
  readonly scoreP: Float64Array;
  readonly score: Float64Array;
}

/** The along-track phase statistic of each pair (see maneuver-phase.ts), computed once. */
interface PhaseKinks {
  /** Slope change of the along-track phase, km/day. */
  readonly delta: Float64Array;

  /** Δ̂/√[(XᵀX)⁻¹]_ΔΔ, km. */
  readonly z: Float64Array;
  /** Window row dropped as a bad set, per pair (−1: none). */
  readonly skip: Int32Array;
  readonly history: PhaseHistory;
  readonly halfSpanDays: number;
  /** Middle time of each pair, days. */
  readonly pairTime: Float64Array;
}

/**
 * Scores of a multi-set statistic: robust Gaussian scale (written to `scale`), score −log10 of the
 * two-sided tail, kept only where it is the largest of the pairs within ±phaseHalfSpanDays (one
 * change moves the windows of every pair around it), else 0. `tm`: pair middle times, days.
 */
function localMaxScores(
  z: Float64Array,
  tm: Float64Array,
  model: RegimeNoiseModel,
  mask: Uint8Array,
  floor: number,
  scale: Float64Array,
  out: Float64Array,
): void {
  const m = z.length;
  gaussScale(z, model.noiseHalfWidth, mask, floor, scale);
  const raw = new Float64Array(m);
  for (let k = 0; k < m; k++) raw[k] = gaussianTailScore((z[k] as number) / (scale[k] as number));
  const w = model.phaseHalfSpanDays;
  for (let k = 0; k < m; k++) {
    const sk = raw[k] as number;
    out[k] = 0;
    if (sk === 0) continue;
    const tk = tm[k] as number;
    let isMax = true;
    for (let j = k - 1; isMax && j >= 0 && tk - (tm[j] as number) <= w; j--)
      if ((raw[j] as number) >= sk) isMax = false;
    for (let j = k + 1; isMax && j < m && (tm[j] as number) - tk <= w; j++)
      if ((raw[j] as number) > sk) isMax = false;
    if (isMax) out[k] = sk;
  }
}

function scorePairs(
  a: Float64Array,
  inc: Float64Array,
  t: Float64Array,
  model: RegimeNoiseModel,
  mask: Uint8Array,
  phase: PhaseKinks | null,
  phaseMask: Uint8Array,
): PairScores {
  const m = Math.max(0, a.length - 1);
  const ra = new Float64Array(m);
  const qa = new Float64Array(m);
  const ba = new Float64Array(m);
  const ri = new Float64Array(m);
  const qi = new Float64Array(m);
  const bi = new Float64Array(m);
  const qp = new Float64Array(m);
  const bp = new Float64Array(m);
  const scoreA = new Float64Array(m);
  const scoreI = new Float64Array(m);
  const scoreP = new Float64Array(m);
  const score = new Float64Array(m);
  stepResiduals(a, t, model.trendHalfWidth, mask, ra);
  stepResiduals(inc, t, model.trendHalfWidth, mask, ri);
  tailModel(ra, model.noiseHalfWidth, mask, model.sigmaFloorAKm, qa, ba);
  tailModel(ri, model.noiseHalfWidth, mask, model.sigmaFloorIncRad, qi, bi);
  if (phase !== null) {
    localMaxScores(phase.z, phase.pairTime, model, phaseMask, model.phaseFloorKm, bp, scoreP);
  }
  for (let k = 0; k < m; k++) {
    scoreA[k] = tailScore(ra[k] as number, qa[k] as number, ba[k] as number);
    scoreI[k] = tailScore(ri[k] as number, qi[k] as number, bi[k] as number);
    score[k] = Math.max(scoreA[k] as number, scoreI[k] as number, scoreP[k] as number);
  }
  return { ra, qa, ba, ri, qi, bi, qp, bp, scoreA, scoreI, scoreP, score };
}

function isoOfDays(es: ElementSet, days: number): string {
  return formatUtcIso(normaliseJulian(es.epoch.jd, es.epoch.jdFrac + days), 6);
}

/** SGP4 position of `from` at `to`'s epoch minus `to`'s, in `to`'s RTN frame, km. */
function positionResidualRtn(from: ElementSet, to: ElementSet): [number, number, number] {
  const rvA = new Float64Array(6);
  const rvB = new Float64Array(6);
  const sa = sgp4Init(from);
  const sb = sgp4Init(to);
  const codeA = sgp4(sa, minutesSinceEpoch(from.epoch, to.epoch.jd, to.epoch.jdFrac), rvA);
  const codeB = sgp4(sb, 0, rvB);
  if (codeA !== 0 || codeB !== 0) return [Number.NaN, Number.NaN, Number.NaN];
  const [x, y, z, vx, vy, vz] = rvB as unknown as [number, number, number, number, number, number];
  const rn = Math.hypot(x, y, z);
  const R = [x / rn, y / rn, z / rn];
  const hx = y * vz - z * vy;
  const hy = z * vx - x * vz;
  const hz = x * vy - y * vx;
  const hn = Math.hypot(hx, hy, hz);
  const N = [hx / hn, hy / hn, hz / hn] as [number, number, number];
  const T = [
    N[1] * (R[2] as number) - N[2] * (R[1] as number),
    N[2] * (R[0] as number) - N[0] * (R[2] as number),
    N[0] * (R[1] as number) - N[1] * (R[0] as number),
  ];
  const d = [(rvA[0] as number) - x, (rvA[1] as number) - y, (rvA[2] as number) - z];
  const dot = (u: number[]) =>
    (u[0] as number) * (d[0] as number) +
    (u[1] as number) * (d[1] as number) +
    (u[2] as number) * (d[2] as number);
  return [dot(R), dot(T), dot(N)];
}

/**
 * Detects maneuvers in one object's history. `sets` need not be sorted; sets of other objects are
 * not allowed (the first set's catalog number is used; callers split multi-object files).
 */
export function detectManeuvers(
  input: readonly ElementSet[],
  options: ManeuverDetectorOptions = {},
): ManeuverResult {
  const pfa = options.falseAlarmProbability ?? 1e-3;
  if (!(pfa > 0 && pfa <= 0.5)) {
    throw new AstroError(
      'MANEUVER_FALSE_ALARM_RANGE',
      `detectManeuvers: falseAlarmProbability must be in (0, 0.5], got ${pfa}`,
      { expected: '(0, 0.5]', found: pfa },
    );
  }
  const outliers: ElementOutlier[] = [];
  // Sort and drop duplicate epochs (keep the later-issued set: the higher element-set number wins by order).
  const sorted = [...input].sort((x, y) => epochDays(x) - epochDays(y));
  let sets: ElementSet[] = [];
  const keptIndex: number[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const es = sorted[k] as ElementSet;
    const prev = sets[sets.length - 1];
    if (prev !== undefined && Math.abs(epochDays(es) - epochDays(prev)) < 1e-6) {
      outliers.push({
        catalogNumber: prev.catalogNumber,
        epochUtc: formatUtcIso(prev.epoch, 6),
        index: keptIndex[keptIndex.length - 1] as number,
        elements: prev,
        reason: 'duplicate-epoch',
        score: 0,
      });
      sets[sets.length - 1] = es;
      keptIndex[keptIndex.length - 1] = k;
      continue;
    }
    sets.push(es);
    keptIndex.push(k);
  }
  const nRev = sets.map((s) => (s.meanMotionRadPerMin * 1440) / (2 * Math.PI));
  const eccs = sets.map((s) => s.eccentricity);
  const regime = options.regime ?? classifyRegime(median([...nRev]), median([...eccs]));
  const model: RegimeNoiseModel = { ...REGIME_NOISE_MODELS[regime], ...options.noiseModel };
  // One false-alarm probability shared by the series tested (a, i and, where used, the phase).
  const threshold = falseAlarmThreshold(pfa / (model.phaseHalfSpanDays > 0 ? 3 : 2));

  const build = (ss: readonly ElementSet[]) => {
    const n = ss.length;
    const t = new Float64Array(n);
    const a = new Float64Array(n);
    const inc = new Float64Array(n);
    const t0 = n > 0 ? epochDays(ss[0] as ElementSet) : 0;
    for (let k = 0; k < n; k++) {
      const es = ss[k] as ElementSet;
      t[k] = epochDays(es) - t0;
      a[k] = sgp4SemiMajorAxisKm(es);
      inc[k] = es.inclinationRad;
    }
    return { t, a, inc };
  };

  // Pass 0: outliers — a run of up to MAX_OUTLIER_RUN sets whose steps in and out both exceed the
  // threshold while the step over the run (from the set before it to the set after it) does not:
  // a cross-tagged or badly fitted set, not a change of orbit.
  let origIndex = keptIndex;
  for (let iter = 0; iter < 3 && sets.length >= 8; iter++) {
    const { t, a, inc } = build(sets);
    const mask = new Uint8Array(Math.max(0, sets.length - 1));
    const s = scorePairs(a, inc, t, model, mask, null, mask);
    const drop = new Uint8Array(sets.length);
    let any = false;
    for (let k = 1; k < sets.length - 1; k++) {
      for (let run = 1; run <= MAX_OUTLIER_RUN && k + run < sets.length; run++) {
        const s1 = s.score[k - 1] as number;
        const s2 = s.score[k + run - 1] as number;
        if (s1 < threshold || s2 < threshold) continue;
        let sumA = 0;
        let sumI = 0;
        for (let j = k - 1; j < k + run; j++) {
          sumA += s.ra[j] as number;
          sumI += s.ri[j] as number;
        }
        const bridge = Math.max(
          tailScore(sumA, s.qa[k] as number, s.ba[k] as number),
          tailScore(sumI, s.qi[k] as number, s.bi[k] as number),
        );
        if (bridge >= 0.5 * Math.min(s1, s2)) continue;
        for (let j = k; j < k + run; j++) {
          drop[j] = 1;
          const es = sets[j] as ElementSet;
          outliers.push({
            catalogNumber: es.catalogNumber,
            epochUtc: formatUtcIso(es.epoch, 6),
            index: origIndex[j] as number,
            elements: es,
            reason: 'disagrees-with-both-neighbours',
            score: Math.min(s1, s2),
          });
        }
        any = true;
        k += run; // never drop two runs that touch in one pass
        break;
      }
    }
    if (!any) break;
    origIndex = origIndex.filter((_, k) => !drop[k]);
    sets = sets.filter((_, k) => !drop[k]);
  }

  const { t, a, inc } = build(sets);
  const m = Math.max(0, sets.length - 1);
  let phase: PhaseKinks | null = null;
  if (model.phaseHalfSpanDays > 0) {
    const history = phaseHistory(sets, t, a);
    const delta = new Float64Array(m);
    const z = new Float64Array(m);
    const skip = new Int32Array(m);
    phaseKinkSeries(history, model.phaseHalfSpanDays, model.phaseMaxGapDays, delta, z, skip);
    const pairTime = new Float64Array(m);
    for (let j = 0; j < m; j++) pairTime[j] = 0.5 * ((t[j] as number) + (t[j + 1] as number));
    phase = { delta, z, skip, history, halfSpanDays: model.phaseHalfSpanDays, pairTime };
  }
  let mask = new Uint8Array(m);
  let s = scorePairs(a, inc, t, model, mask, phase, mask);
  // Pass 2: recompute the trend and the noise from the quiet pairs only (detections excluded; for
  // the phase statistic, every pair whose fit window holds a detection).
  mask = new Uint8Array(m);
  const phaseMask = new Uint8Array(m);
  const w = model.phaseHalfSpanDays;
  for (let k = 0; k < m; k++) {
    if ((s.score[k] as number) < threshold) continue;
    mask[k] = 1;
    if (phase === null) continue;
    const tk = phase.pairTime[k] as number;
    for (let j = k; j >= 0 && tk - (phase.pairTime[j] as number) <= w; j--) phaseMask[j] = 1;
    for (let j = k; j < m && (phase.pairTime[j] as number) - tk <= w; j++) phaseMask[j] = 1;
  }
  s = scorePairs(a, inc, t, model, mask, phase, phaseMask);

  // Merge adjacent detected pairs (a fit span straddling the burn spreads it over two steps).
  const detections: ManeuverDetection[] = [];
  let k = 0;
  while (k < m) {
    if ((s.score[k] as number) < threshold) {
      k++;
      continue;
    }
    let end = k;
    for (;;) {
      let next = -1;
      for (let j = end + 1; j <= end + 1 + MERGE_GAP_PAIRS && j < m; j++) {
        if ((s.score[j] as number) >= threshold) {
          next = j;
          break;
        }
      }
      if (next < 0 || (t[next + 1] as number) - (t[k] as number) >= model.mergeSpanDays) break;
      end = next;
    }
    let best = k;
    for (let j = k; j <= end; j++) if ((s.score[j] as number) > (s.score[best] as number)) best = j;
    detections.push(describe(sets, t, a, s, phase, best, k, end + 1, regime, model, threshold));
    k = end + 1;
  }

  const pairTimeDays = new Float64Array(m);
  for (let j = 0; j < m; j++) pairTimeDays[j] = 0.5 * ((t[j] as number) + (t[j + 1] as number));
  const ecc = new Float64Array(sets.length);
  const incDeg = new Float64Array(sets.length);
  for (let j = 0; j < sets.length; j++) {
    ecc[j] = (sets[j] as ElementSet).eccentricity;
    incDeg[j] = ((inc[j] as number) * 180) / Math.PI;
  }
  return {
    regime,
    threshold,
    falseAlarmProbability: pfa,
    sets,
    detections,
    outliers,
    series: {
      timeDays: t,
      semiMajorAxisKm: a,
      eccentricity: ecc,
      inclinationDeg: incDeg,
      pairTimeDays,
      pairScore: s.score,
    },
  };
}

function describe(
  sets: readonly ElementSet[],
  t: Float64Array,
  a: Float64Array,
  s: PairScores,
  phase: PhaseKinks | null,
  best: number,
  first: number,
  last: number,
  regime: OrbitRegime,
  model: RegimeNoiseModel,
  threshold: number,
): ManeuverDetection {
  const before = sets[first] as ElementSet;
  const after = sets[last] as ElementSet;
  const t0 = sets[0] as ElementSet;
  // The window: between the sets of the step, widened by one set on the side the fit spans reach
  // across (LEO: the first changed set may be fitted to observations before the burn is complete).
  const f0 = model.burnTimeFraction;
  let tb = (f0 === 0 && first > 0 ? t[first - 1] : t[first]) as number;
  let ta = (f0 === 1 && last + 1 < t.length ? t[last + 1] : t[last]) as number;
  const f = model.burnTimeFraction;
  let timeDays = (1 - f) * (t[best] as number) + f * (t[best + 1] as number);
  // Δ over the merged span, trend-corrected per pair.
  let ra = 0;
  let ri = 0;
  for (let j = first; j < last; j++) {
    ra += s.ra[j] as number;
    ri += s.ri[j] as number;
  }
  const aMean = 0.5 * ((a[first] as number) + (a[last] as number));
  const v = Math.sqrt(WGS72_MU_KM3_S2 / aMean); // km/s
  const scoreInc = s.scoreI[best] as number;
  // The phase statistic of the merged span: its strongest pair (local maxima only are kept).
  let bestP = first;
  for (let j = first; j < last; j++) if ((s.scoreP[j] as number) > (s.scoreP[bestP] as number)) bestP = j;
  const scorePhase = s.scoreP[bestP] as number;
  const phaseKink = phase === null ? 0 : (phase.delta[bestP] as number);
  // Where the phase bend carries the evidence, Δa from it: Δu̇·a = −1.5·n·Δa (km/day).
  if (phase !== null && scorePhase > Math.max(s.scoreA[best] as number, BULK_SCORE)) {
    const nRadDay = (sets[bestP] as ElementSet).meanMotionRadPerMin * 1440;
    ra = -phaseKink / (1.5 * nRadDay);
  }
  // Where the phase bend carries the detection, its least-squares time (the step series can only
  // say between which sets); the window widens to hold it.
  if (phase !== null && scorePhase >= threshold && scorePhase >= (s.scoreA[best] as number)) {
    timeDays = phaseKinkTime(phase.history, bestP, phase.halfSpanDays, phase.skip[bestP] as number);
    tb = Math.min(tb, timeDays);
    ta = Math.max(ta, timeDays);
  }
  const scoreA = Math.max(s.scoreA[best] as number, scorePhase);
  // A component counts only when its step stands out of the quiet bulk (beyond the 95th percentile).
  const dvT = scoreA > BULK_SCORE ? ((v * ra) / (2 * aMean)) * 1000 : 0;
  const dvN = scoreInc > BULK_SCORE ? v * Math.abs(ri) * 1000 : 0;
  // Radial: a radial burn changes only the eccentricity vector (|Δe| = Δv_R/v); at TLE noise
  // (|Δe| ~ 1e-5, i.e. several m/s in LEO) it is not resolvable from mean elements, so it is 0 here.
  const dvR = 0;
  let kind: ManeuverKind;
  if (regime === 'GEO') {
    if (scoreInc > scoreA) kind = 'geo-inclination-station-keeping';
    else {
      // Relocation: a drift rate after the burn above 0.1 °/day (Δλ̇ ≈ −1.5·n·Δa/a).
      const driftDegPerDay = Math.abs(((-1.5 * ((a[last] as number) - 42164.2)) / 42164.2) * 360.9856);
      kind = Math.abs(ra) > 30 || driftDegPerDay > 1 ? 'relocation' : 'geo-longitude-station-keeping';
    }
  } else if (scoreInc > scoreA) kind = 'inclination-change';
  else kind = ra >= 0 ? 'orbit-raising' : 'orbit-lowering';
  const score = s.score[best] as number;
  const rtn = positionResidualRtn(before, after);
  return {
    catalogNumber: before.catalogNumber,
    beforeIndex: first,
    afterIndex: last,
    timeUtc: isoOfDays(t0, timeDays),
    windowStartUtc: isoOfDays(t0, tb),
    windowEndUtc: isoOfDays(t0, ta),
    timeDays,
    dvMS: Math.hypot(dvR, dvT, dvN),
    dvRtnMS: [dvR, dvT, dvN],
    kind,
    score,
    threshold,
    evidence: {
      deltaAKm: (a[last] as number) - (a[first] as number),
      residualAKm: ra,
      tailScaleAKm: s.ba[best] as number,
      q95AKm: s.qa[best] as number,
      deltaIncDeg: (ri * 180) / Math.PI,
      tailScaleIncDeg: ((s.bi[best] as number) * 180) / Math.PI,
      scoreA: s.scoreA[best] as number,
      scoreInc,
      scorePhase,
      phaseKinkKmPerDay: phaseKink,
      positionResidualRtnKm: rtn,
    },
  };
}

/** Baseline: a plain semi-major-axis jump detector (see `detectSemiMajorAxisJumps`). */
export interface BaselineDetection {
  readonly timeDays: number;
  readonly timeUtc: string;
  readonly deltaAKm: number;
}

/**
 * Baseline detector: flag every step |Δa_k − median(Δa)| > 3 · 1.4826 · MAD(Δa), with median and MAD
 * over the whole history (no trend model, no outlier handling, no inclination). Time: pair middle.
 */
export function detectSemiMajorAxisJumps(input: readonly ElementSet[]): BaselineDetection[] {
  const sets = [...input].sort((x, y) => epochDays(x) - epochDays(y));
  const n = sets.length;
  if (n < 3) return [];
  const a = sets.map(sgp4SemiMajorAxisKm);
  const d: number[] = [];
  for (let k = 0; k + 1 < n; k++) d.push((a[k + 1] as number) - (a[k] as number));
  const med = median([...d]);
  const mad = median(d.map((x) => Math.abs(x - med)));
  const thr = 3 * MAD_TO_SIGMA * mad;
  const out: BaselineDetection[] = [];
  const t0 = epochDays(sets[0] as ElementSet);
  for (let k = 0; k + 1 < n; k++) {
    if (Math.abs((d[k] as number) - med) > thr) {
      const timeDays = 0.5 * (epochDays(sets[k] as ElementSet) + epochDays(sets[k + 1] as ElementSet)) - t0;
      out.push({ timeDays, timeUtc: isoOfDays(sets[0] as ElementSet, timeDays), deltaAKm: d[k] as number });
    }
  }
  return out;
}
