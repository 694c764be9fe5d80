/**
 * Epoch and place of a breakup by backward propagation (domain research §2.2: the minimum distance
 * of the fragments to the parent's position over a search window, with robust statistics over many
 * fragments):
 *
 * 1. Each fragment is represented by its earliest element set (the one closest to the event: drag
 *    de-correlates later ones, domain §2.6); the parent by its last set before the event. SGP4 is
 *    what those element sets mean, so all are propagated with SGP4 (TEME).
 * 2. Coarse stage (which part of the window): over [searchStart, searchEnd] (default: the parent's
 *    epoch, or DEFAULT_LOOKBACK_DAYS before the earliest fragment set if that is earlier, to the
 *    earliest fragment set) every COARSE_STEP_MIN minutes, the median over a subset of fragments of
 *    |r_frag(t) − r_parent(t)|. Carried back days to weeks, fragment sets are hundreds of km off
 *    along track (drag and mean-motion errors grow quadratically and linearly with time), so this
 *    minimum is only good to tens of minutes (Microsat-R: +27 min).
 * 3. Slide stage (the time within the revolution): the along-track timing of a fragment set is its
 *    worst-known part, its orbit (plane, shape) its best. For each fragment and time t the distance
 *    is taken to the fragment's trajectory, not its position: min over τ of |r_frag(t + τ) −
 *    r_parent(t)| (Newton steps on (r_frag − r_parent)·v_frag = 0). At the breakup every fragment
 *    orbit passes through the parent's position, so the median of these distances drops to a few km;
 *    elsewhere on the orbit it is tens to hundreds of km. This repeats every revolution (the orbits
 *    keep crossing there), so over ±SLIDE_HALF_WIDTH_PERIODS revolutions around the coarse minimum
 *    one candidate is taken per revolution, and the revolution is the one whose slides τ are most
 *    alike (smallest interquartile range): one revolution away from the breakup each fragment's
 *    slide shifts by its own period offset (ΔP/P = 3·Δv_T/v, minutes for Δv of 100 m/s), while
 *    at the breakup the slides are only the sets' own along-track errors.
 * 4. Fine stage: every fragment, ±FINE_HALF_WIDTH_MIN around the chosen candidate, every
 *    FINE_STEP_S seconds, median of the slide distances; the minimum is refined by a parabola
 *    through the three lowest samples.
 * 5. Uncertainty: BOOTSTRAP_SAMPLES resamples of the fragments with replacement (Efron 1979) on the
 *    fine grid; the reported 1σ is the standard deviation of their epochs. It measures the spread of
 *    the fragments, not the errors common to all (the parent's own SGP4 error over the days from
 *    its last set, a bias shared by the fragment sets).
 * 6. Place: the parent's SGP4 position at the epoch, TEME → ITRF (IAU-76/FK5 with the context's
 *    EOP) → WGS-84 geodetic; its uncertainty is the spread of that place over the bootstrap epochs.
 *    Δv per fragment: its velocity at its closest point minus the parent's, in the parent's RTN frame.
 *
 * The median (not the mean) is what makes this work with real element sets: a few fragments with
 * poor early sets (short fit spans, unknown B*) are far off at the event; the evaluation reports the
 * minimum of the plain mean distance as the baseline.
 *
 * Limits: the revolution choice needs fragment sets that still carry the breakup's along-track
 * signature (days to a few weeks; with the Kosmos 1408 sets of 5–8 weeks after the event the slide
 * spreads are alike for neighbouring revolutions and the choice rests on the coarse stage). Sets
 * published years after an event cannot be carried back at all: drag and differential J2
 * precession of node and perigee have spread the fragments around the orbit. The result says when
 * its minimum is not a minimum (`converged: false`: at the window's edge, the median distance
 * above MAX_CONVERGED_DISPERSION_KM, or the revolution not resolved, `revolutionResolved`).
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso, normaliseJulian } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import { applyFrameTransform, frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import type { Vec3 } from '../math/vec3.js';
import { createStateBatch, propagateBatch, type StateBatch } from '../propagation/sgp4-batch.js';
import { instantOfUtcLabel, minutesSinceEpoch, utcLabelAfterEpoch } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { daysBetween, SGP4_MU_KM3_S2 } from './orbit-shape.js';
import { medianInPlace, quantile, seededRandom, standardDeviation } from './robust-stats.js';

/**
 * Coarse grid step, minutes. Domain §2.2 suggests 1 min for a plain dispersion search; here the
 * coarse stage only has to land within the slide stage's ±SLIDE_HALF_WIDTH_PERIODS revolutions
 * (its minimum is tens of minutes wide: the sets carried back are hundreds of km off along track).
 */
export const COARSE_STEP_MIN = 5;
/** Fragments used by the coarse stage at most (see the header). */
export const COARSE_MAX_FRAGMENTS = 96;
/** Fragments used by the slide stage at most (the revolution choice rests on their τ spread). */
export const SLIDE_MAX_FRAGMENTS = 256;
/** Half width of the fine search around the coarse minimum, minutes (several coarse steps). */
export const FINE_HALF_WIDTH_MIN = 5;
/** Fine grid step, s (domain §2.2 refines to 1 s; 2 s plus a parabola resolves below 1 s). */
export const FINE_STEP_S = 2;
/** Half width of the slide stage around the coarse minimum, parent periods. */
export const SLIDE_HALF_WIDTH_PERIODS = 2.5;
/** Step of the slide stage, s. */
export const MID_STEP_S = 20;
/**
 * The chosen revolution's slide IQR must be smaller than both neighbours' by this factor to count
 * as resolved: with sets of days to a week after the event the contrast is 1.9–3.8 (Kosmos 1408,
 * Microsat-R); with sets of 5–8 weeks after it is below 1.1 and monotonic.
 */
export const REVOLUTION_CONTRAST = 1.25;
/** Largest Newton step of the closest-approach search, s, and the iterations per sample. */
const SLIDE_MAX_STEP_S = 300;
const SLIDE_ITERATIONS = 4;
/** Bootstrap resamples for the uncertainty. */
export const BOOTSTRAP_SAMPLES = 200;
/** Default look-back before the earliest fragment set when the parent's set is later, days. */
export const DEFAULT_LOOKBACK_DAYS = 7;
/**
 * Median slide distance (fragment trajectory to parent position) above which the minimum is not
 * called converged, km: at the breakup it is 1–4 km for the Kosmos 1408 and Microsat-R sets (the
 * fragment orbits pass through the parent's position); a few minutes away it is tens of km.
 */
export const MAX_CONVERGED_DISPERSION_KM = 50;
/**
 * Longest search window, days: SGP4 sets carried back further than a couple of months are far
 * outside what they were fitted for (domain §2.6), and the coarse stage's cost grows with the span.
 */
export const MAX_SEARCH_DAYS = 90;
/** At least this many fragments (the median of fewer says little). */
export const MIN_FRAGMENTS = 3;

export interface FragmentationOriginOptions {
  /** Search window (UTC labels); defaults in the module header. */
  readonly searchStart?: UtcJulianDate;
  readonly searchEnd?: UtcJulianDate;
  /** Context for the geodetic place (leap seconds, EOP); without it only TEME is reported. */
  readonly context?: AstroContext;
  /** Bootstrap resamples (default BOOTSTRAP_SAMPLES) and the generator's seed (default 1). */
  readonly bootstrapSamples?: number;
  readonly seed?: number;
  /** Coarse-stage subset size (default COARSE_MAX_FRAGMENTS). */
  readonly coarseMaxFragments?: number;
  /** Half width of the slide stage in parent periods (default SLIDE_HALF_WIDTH_PERIODS). */
  readonly slideHalfWidthPeriods?: number;
}

/** One fragment at the estimated epoch. */
export interface FragmentAtOrigin {
  readonly catalogNumber: string;
  /** Epoch of the element set used. */
  readonly elementEpochUtc: string;
  /**
   * Closest approach of the fragment's trajectory to the parent's position at the epoch, km (NaN
   * when SGP4 failed), reached `alongTrackSlideS` seconds from the epoch along the fragment's own
   * trajectory (the along-track timing error of its set carried back).
   */
  readonly distanceKm: number;
  readonly alongTrackSlideS: number;
  /** v_frag (at the slid time) − v_parent (at the epoch) in the parent's RTN frame (radial, along-track, cross-track), km/s. */
  readonly dvRtnKmS: readonly [number, number, number];
  readonly dvKmS: number;
}

export interface GeodeticPlace {
  readonly latDeg: number;
  readonly lonDeg: number;
  /** Height above the WGS-84 ellipsoid, km. */
  readonly altKm: number;
  /** 1σ from the bootstrap epochs (see the header). */
  readonly latSigmaDeg: number;
  readonly lonSigmaDeg: number;
  readonly altSigmaKm: number;
}

export interface FragmentationOrigin {
  readonly epoch: UtcJulianDate;
  readonly epochUtc: string;
  /** 1σ of the epoch (bootstrap), s, and the 2.5 % / 97.5 % bootstrap quantiles as offsets, s. */
  readonly epochSigmaS: number;
  readonly epochInterval95S: readonly [number, number];
  /** Median fragment-to-parent distance at the epoch, km. */
  readonly dispersionKm: number;
  /**
   * False when the minimum is at the window's edge, above MAX_CONVERGED_DISPERSION_KM, or the
   * revolution is not resolved.
   */
  readonly converged: boolean;
  /**
   * True when the chosen revolution's slide spread is a clear minimum among its neighbours (see
   * REVOLUTION_CONTRAST); false: the time within the revolution stands, the revolution may be off
   * by whole periods.
   */
  readonly revolutionResolved: boolean;
  /** The parent's TEME position (km) and velocity (km/s) at the epoch. */
  readonly parentTemeKm: readonly [number, number, number];
  readonly parentTemeKmS: readonly [number, number, number];
  /** Geodetic place of the parent at the epoch (only with a context). */
  readonly place?: GeodeticPlace;
  readonly parentCatalogNumber: string;
  readonly parentElementEpochUtc: string;
  readonly searchStartUtc: string;
  readonly searchEndUtc: string;
  readonly fragmentsUsed: number;
  readonly fragments: readonly FragmentAtOrigin[];
  /** |Δv| quantiles over the fragments at the epoch, km/s (10 %, 50 %, 90 %). */
  readonly dvQuantilesKmS: readonly [number, number, number];
  /** The non-robust baseline: epoch of the minimum of the mean distance on the same grids. */
  readonly meanBaselineEpochUtc: string;
  /** The coarse stage's epoch (median distance without the slide), to the minute. */
  readonly plainMedianEpochUtc: string;
  /** The coarse dispersion curve: minutes from searchStart and median distance, km. */
  readonly coarseCurve: { readonly minutes: Float64Array; readonly medianKm: Float64Array };
  /** The slide stage's curve (closest-approach median over the coarse subset), same units. */
  /** Per-revolution candidates of the slide stage: epoch, IQR of the along-track slides (s), median distance (km). */
  readonly revolutionCandidates: readonly {
    readonly epochUtc: string;
    readonly tauIqrS: number;
    readonly medianKm: number;
  }[];
  readonly slideCurve: { readonly minutes: Float64Array; readonly medianKm: Float64Array };
}

/** The earliest element set of each catalog number other than `exclude`, sorted by catalog number. */
export function earliestSetPerObject(sets: readonly ElementSet[], exclude?: string): ElementSet[] {
  const best = new Map<string, ElementSet>();
  for (const s of sets) {
    if (s.catalogNumber === exclude) continue;
    const b = best.get(s.catalogNumber);
    if (b === undefined || daysBetween(s.epoch, b.epoch) > 0) best.set(s.catalogNumber, s);
  }
  return [...best.values()].sort((a, b) => Number(a.catalogNumber) - Number(b.catalogNumber));
}

function isHistory(p: ElementSet | readonly ElementSet[]): p is readonly ElementSet[] {
  return Array.isArray(p);
}

/** The latest set of a history with epoch before `limit`, undefined when none. */
function latestSetBefore(history: readonly ElementSet[], limit: UtcJulianDate): ElementSet | undefined {
  let best: ElementSet | undefined;
  for (const s of history) {
    if (!(daysBetween(s.epoch, limit) > 0)) continue;
    if (best === undefined || daysBetween(best.epoch, s.epoch) > 0) best = s;
  }
  return best;
}

/** Distances of `count` records × m samples to the parent's samples, into `out` (row-major, NaN on failure). */
function distancesToParent(
  states: StateBatch,
  parent: StateBatch,
  count: number,
  m: number,
  out: Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    const base = i * m;
    for (let k = 0; k < m; k++) {
      const j = base + k;
      if (states.status[j] !== 0 || parent.status[k] !== 0) {
        out[j] = Number.NaN;
        continue;
      }
      const dx = states.x[j]! - parent.x[k]!;
      const dy = states.y[j]! - parent.y[k]!;
      const dz = states.z[j]! - parent.z[k]!;
      out[j] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
}

/** Median and mean over rows `rows` (indices, repeats allowed) of column k of a row-major matrix. */
function columnStats(
  d: Float64Array,
  rows: ArrayLike<number>,
  m: number,
  k: number,
  scratch: Float64Array,
): { median: number; mean: number } {
  let n = 0;
  let sum = 0;
  for (let r = 0; r < rows.length; r++) {
    const v = d[rows[r]! * m + k]!;
    if (Number.isNaN(v)) continue;
    scratch[n++] = v;
    sum += v;
  }
  return { median: medianInPlace(scratch, n), mean: n > 0 ? sum / n : Number.NaN };
}

/** `size` indices spread evenly over 0..n−1. */
function evenSubset(n: number, size: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < size; s++) out.push(Math.floor((s * n) / size));
  return out;
}

/** Index of the smallest finite value, −1 when none. */
function argMin(values: Float64Array): number {
  let best = -1;
  let bestV = Number.POSITIVE_INFINITY;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < bestV) {
      bestV = v;
      best = k;
    }
  }
  return best;
}

/** Sub-sample offset of the minimum at k by a parabola through k−1, k, k+1 (in samples, |·| ≤ 0.5). */
function parabolicOffset(values: Float64Array, k: number): number {
  if (k <= 0 || k >= values.length - 1) return 0;
  const a = values[k - 1]!;
  const b = values[k]!;
  const c = values[k + 1]!;
  const den = a - 2 * b + c;
  if (!(den > 0)) return 0;
  const off = (0.5 * (a - c)) / den;
  return Math.max(-0.5, Math.min(0.5, off));
}

/** Propagates records to minutes-since-t0 grid points; returns the batch (row-major, record × grid). */
function propagateToGrid(
  records: readonly Satrec[],
  epochs: readonly UtcJulianDate[],
  t0: UtcJulianDate,
  gridMin: Float64Array,
): StateBatch {
  const offsets = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) {
    offsets[i] = minutesSinceEpoch(epochs[i]!, t0.jd, t0.jdFrac);
  }
  const out = createStateBatch(records.length * gridMin.length);
  propagateBatch(records, offsets, gridMin, out);
  return out;
}

/**
 * Estimates the epoch and place of a breakup of `parent` (its last element set before the event,
 * or its history: then the latest set before the earliest fragment set is used) from fragment
 * element sets published after it (method and limits in the module header). Sets of
 * the parent's catalog number among `fragments` are ignored (a remnant keeps the parent's number).
 * Throws FRAGMENTATION_TOO_FEW_FRAGMENTS for fewer than MIN_FRAGMENTS fragments and
 * FRAGMENTATION_BAD_WINDOW for an empty search window.
 */
export function fragmentationOrigin(
  parentOrHistory: ElementSet | readonly ElementSet[],
  fragments: readonly ElementSet[],
  options: FragmentationOriginOptions = {},
): FragmentationOrigin {
  const parentId = isHistory(parentOrHistory)
    ? parentOrHistory[0]?.catalogNumber
    : parentOrHistory.catalogNumber;
  const frags = earliestSetPerObject(fragments, parentId);
  if (frags.length < MIN_FRAGMENTS) {
    throw new AstroError(
      'FRAGMENTATION_TOO_FEW_FRAGMENTS',
      `need at least ${MIN_FRAGMENTS} fragments other than the parent ${parentId ?? '(empty history)'}, got ${frags.length}`,
      { expected: MIN_FRAGMENTS, found: frags.length },
    );
  }
  let earliest = frags[0]!.epoch;
  for (const f of frags) if (daysBetween(f.epoch, earliest) > 0) earliest = f.epoch;
  const parent = isHistory(parentOrHistory) ? latestSetBefore(parentOrHistory, earliest) : parentOrHistory;
  if (parent === undefined) {
    throw new AstroError(
      'FRAGMENTATION_NO_PARENT_SET',
      `the parent's history has no element set before the earliest fragment set (${formatUtcIso(earliest, 0)})`,
      { earliestFragmentUtc: formatUtcIso(earliest, 0) },
    );
  }
  const lookback = normaliseJulian(earliest.jd, earliest.jdFrac - DEFAULT_LOOKBACK_DAYS);
  const start = options.searchStart ?? (daysBetween(parent.epoch, lookback) > 0 ? parent.epoch : lookback);
  const end = options.searchEnd ?? earliest;
  const spanMin = daysBetween(start, end) * 1440;
  if (!(spanMin > 0)) {
    throw new AstroError(
      'FRAGMENTATION_BAD_WINDOW',
      `search window ${formatUtcIso(start, 0)} .. ${formatUtcIso(end, 0)} is empty`,
      { start: formatUtcIso(start, 0), end: formatUtcIso(end, 0) },
    );
  }
  if (spanMin > MAX_SEARCH_DAYS * 1440) {
    throw new AstroError(
      'FRAGMENTATION_WINDOW_TOO_LONG',
      `search window ${formatUtcIso(start, 0)} .. ${formatUtcIso(end, 0)} is longer than ${MAX_SEARCH_DAYS} days: ` +
        'element sets that far apart cannot be carried back to a common epoch (use a parent set closer to the fragments)',
      { start: formatUtcIso(start, 0), end: formatUtcIso(end, 0), maxDays: MAX_SEARCH_DAYS },
    );
  }
  const parentRec = sgp4Init(parent);
  const records = frags.map((f) => sgp4Init(f));
  const epochs = frags.map((f) => f.epoch);

  // ---- coarse stage: subset, every COARSE_STEP_MIN over the window, in chunks ----
  const subsetSize = Math.min(frags.length, options.coarseMaxFragments ?? COARSE_MAX_FRAGMENTS);
  const subset = evenSubset(frags.length, subsetSize);
  const subRecords = subset.map((i) => records[i]!);
  const subEpochs = subset.map((i) => epochs[i]!);
  const coarseN = Math.floor(spanMin / COARSE_STEP_MIN) + 1;
  const coarseMinutes = new Float64Array(coarseN);
  const coarseMedian = new Float64Array(coarseN);
  const coarseMean = new Float64Array(coarseN);
  const CHUNK = 720;
  const scratch = new Float64Array(Math.max(frags.length, subsetSize));
  const identity = Int32Array.from({ length: subsetSize }, (_, i) => i);
  for (let c0 = 0; c0 < coarseN; c0 += CHUNK) {
    const m = Math.min(CHUNK, coarseN - c0);
    const grid = new Float64Array(m);
    for (let k = 0; k < m; k++) grid[k] = (c0 + k) * COARSE_STEP_MIN;
    const st = propagateToGrid(subRecords, subEpochs, start, grid);
    const ps = propagateToGrid([parentRec], [parent.epoch], start, grid);
    const d = new Float64Array(subsetSize * m);
    distancesToParent(st, ps, subsetSize, m, d);
    for (let k = 0; k < m; k++) {
      const s = columnStats(d, identity, m, k, scratch);
      coarseMinutes[c0 + k] = grid[k]!;
      coarseMedian[c0 + k] = s.median;
      coarseMean[c0 + k] = s.mean;
    }
  }
  const kc = argMin(coarseMedian);
  if (kc < 0) {
    throw new AstroError(
      'FRAGMENTATION_NO_STATES',
      'SGP4 failed for the parent or every fragment over the window',
      {
        parent: parent.catalogNumber,
      },
    );
  }
  const kcMean = argMin(coarseMean);

  // ---- baseline: the plain mean distance refined on the fine grid (no slide, no median) ----
  const fineN = Math.round((2 * FINE_HALF_WIDTH_MIN * 60) / FINE_STEP_S) + 1;
  const all = Int32Array.from({ length: frags.length }, (_, i) => i);
  const baseline = (() => {
    const grid = new Float64Array(fineN);
    const centre = coarseMinutes[kcMean]!;
    for (let k = 0; k < fineN; k++) grid[k] = centre - FINE_HALF_WIDTH_MIN + (k * FINE_STEP_S) / 60;
    const st = propagateToGrid(records, epochs, start, grid);
    const ps = propagateToGrid([parentRec], [parent.epoch], start, grid);
    const d = new Float64Array(frags.length * fineN);
    distancesToParent(st, ps, frags.length, fineN, d);
    const curve = new Float64Array(fineN);
    for (let k = 0; k < fineN; k++) curve[k] = columnStats(d, all, fineN, k, scratch).mean;
    const k = argMin(curve);
    return grid[k]! + (parabolicOffset(curve, k) * FINE_STEP_S) / 60;
  })();

  // ---- slide stage: within half a parent period of the coarse minimum, each fragment's closest
  // approach to the parent's position (the along-track timing of its set left free) ----
  const periodMin = (2 * Math.PI) / parentRec.no_unkozai;
  const midStepMin = MID_STEP_S / 60;
  const halfRevs = options.slideHalfWidthPeriods ?? SLIDE_HALF_WIDTH_PERIODS;
  const midN = Math.floor((2 * halfRevs * periodMin) / midStepMin) + 1;
  const midGrid = new Float64Array(midN);
  for (let k = 0; k < midN; k++) midGrid[k] = coarseMinutes[kc]! - halfRevs * periodMin + k * midStepMin;
  const slideSize = Math.min(frags.length, SLIDE_MAX_FRAGMENTS);
  const slideRows = evenSubset(frags.length, slideSize);
  const mid = slideDistances(
    slideRows.map((i) => records[i]!),
    slideRows.map((i) => epochs[i]!),
    parentRec,
    parent.epoch,
    start,
    midGrid,
  );
  const slideIdentity = Int32Array.from({ length: slideSize }, (_, i) => i);
  const midCurve = new Float64Array(midN);
  for (let k = 0; k < midN; k++) midCurve[k] = columnStats(mid.d, slideIdentity, midN, k, scratch).median;
  // One candidate per revolution: the slide curve's minimum near the global one ± j periods. Its
  // depth repeats every revolution (the orbits still cross there); what differs is how far along
  // track the fragments had to slide: the spread of τ grows by each fragment's period offset per
  // revolution away from the breakup. Pick the candidate whose τ are most alike (smallest IQR).
  const kGlobal = argMin(midCurve);
  const perRev = Math.round(periodMin / midStepMin);
  const candidates: { k: number; tauIqrS: number; medianKm: number }[] = [];
  for (let j = -Math.ceil(2 * halfRevs); j <= Math.ceil(2 * halfRevs); j++) {
    const c = kGlobal + j * perRev;
    const lo = Math.max(0, c - (perRev >> 2));
    const hi = Math.min(midN - 1, c + (perRev >> 2));
    if (lo > hi || c < 0 || c >= midN) continue;
    let k = lo;
    for (let q = lo; q <= hi; q++) if (midCurve[q]! < midCurve[k]!) k = q;
    if (k === 0 || k === midN - 1) continue;
    const taus: number[] = [];
    for (let i = 0; i < slideSize; i++) {
      const dv = mid.d[i * midN + k]!;
      if (Number.isFinite(dv)) taus.push(mid.tauS[i * midN + k]!);
    }
    candidates.push({ k, tauIqrS: quantile(taus, 0.75) - quantile(taus, 0.25), medianKm: midCurve[k]! });
  }
  let km = kGlobal;
  let chosen = -1;
  for (let q = 0; q < candidates.length; q++) {
    if (chosen < 0 || candidates[q]!.tauIqrS < candidates[chosen]!.tauIqrS) chosen = q;
  }
  if (chosen >= 0) km = candidates[chosen]!.k;
  // Resolved: the chosen revolution is a clear minimum, both neighbours' slide spreads at least
  // REVOLUTION_CONTRAST times larger (not the window's edge of a monotonic trend).
  const left = candidates[chosen - 1];
  const right = candidates[chosen + 1];
  const chosenIqr = candidates[chosen]?.tauIqrS ?? Number.NaN;
  const revolutionResolved =
    left !== undefined &&
    right !== undefined &&
    left.tauIqrS >= REVOLUTION_CONTRAST * chosenIqr &&
    right.tauIqrS >= REVOLUTION_CONTRAST * chosenIqr;

  // ---- fine stage: every fragment, ±FINE_HALF_WIDTH_MIN around the slide minimum ----
  const fineGrid = new Float64Array(fineN);
  for (let k = 0; k < fineN; k++) fineGrid[k] = midGrid[km]! - FINE_HALF_WIDTH_MIN + (k * FINE_STEP_S) / 60;
  const fine = slideDistances(records, epochs, parentRec, parent.epoch, start, fineGrid);
  const epochMinOf = (rows: ArrayLike<number>) => {
    const curve = new Float64Array(fineN);
    for (let k = 0; k < fineN; k++) curve[k] = columnStats(fine.d, rows, fineN, k, scratch).median;
    const k = argMin(curve);
    return { minute: fineGrid[k]! + (parabolicOffset(curve, k) * FINE_STEP_S) / 60, value: curve[k]!, k };
  };
  const best = epochMinOf(all);

  // ---- bootstrap ----
  const nBoot = options.bootstrapSamples ?? BOOTSTRAP_SAMPLES;
  const rand = seededRandom(options.seed ?? 1);
  const rows = new Int32Array(frags.length);
  const bootOffsetsS: number[] = [];
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < rows.length; i++) rows[i] = Math.floor(rand() * frags.length);
    bootOffsetsS.push((epochMinOf(rows).minute - best.minute) * 60);
  }

  const epoch = utcLabelAfterEpoch(start, best.minute);
  const parentT = minutesSinceEpoch(parent.epoch, epoch.jd, epoch.jdFrac);
  const rv = new Float64Array(6);
  sgp4(parentRec, parentT, rv);
  const pr: Vec3 = [rv[0]!, rv[1]!, rv[2]!];
  const pv: Vec3 = [rv[3]!, rv[4]!, rv[5]!];
  const fragmentsAt = frags.map((f, i) =>
    fragmentAt(f, records[i]!, epoch, pr, pv, rv, fine.tauS[i * fineN + best.k]!),
  );
  const dvs = fragmentsAt.map((f) => f.dvKmS).filter((v) => Number.isFinite(v));
  const atEdge = best.k === 0 || best.k === fineN - 1 || kc === 0 || kc === coarseN - 1;
  const converged = !atEdge && revolutionResolved && best.value <= MAX_CONVERGED_DISPERSION_KM;
  const place =
    options.context === undefined
      ? undefined
      : geodeticPlace(parentRec, parent.epoch, epoch, bootOffsetsS, options.context);
  return {
    epoch,
    epochUtc: formatUtcIso(epoch, 3),
    epochSigmaS: standardDeviation(bootOffsetsS),
    epochInterval95S: [quantile(bootOffsetsS, 0.025), quantile(bootOffsetsS, 0.975)],
    dispersionKm: best.value,
    converged,
    revolutionResolved,
    parentTemeKm: [pr[0], pr[1], pr[2]],
    parentTemeKmS: [pv[0], pv[1], pv[2]],
    ...(place === undefined ? {} : { place }),
    parentCatalogNumber: parent.catalogNumber,
    parentElementEpochUtc: formatUtcIso(parent.epoch, 3),
    searchStartUtc: formatUtcIso(start, 3),
    searchEndUtc: formatUtcIso(end, 3),
    fragmentsUsed: frags.length,
    fragments: fragmentsAt,
    dvQuantilesKmS: [quantile(dvs, 0.1), quantile(dvs, 0.5), quantile(dvs, 0.9)],
    meanBaselineEpochUtc: formatUtcIso(utcLabelAfterEpoch(start, baseline), 3),
    plainMedianEpochUtc: formatUtcIso(utcLabelAfterEpoch(start, coarseMinutes[kc]!), 3),
    coarseCurve: { minutes: coarseMinutes, medianKm: coarseMedian },
    slideCurve: { minutes: midGrid, medianKm: midCurve },
    revolutionCandidates: candidates.map((c) => ({
      epochUtc: formatUtcIso(utcLabelAfterEpoch(start, midGrid[c.k]!), 0),
      tauIqrS: c.tauIqrS,
      medianKm: c.medianKm,
    })),
  };
}

function fragmentAt(
  f: ElementSet,
  rec: Satrec,
  epoch: UtcJulianDate,
  pr: Vec3,
  pv: Vec3,
  rv: Float64Array,
  tau0S: number,
): FragmentAtOrigin {
  const slide = { tauS: Number.isFinite(tau0S) ? tau0S : 0 };
  const dist = slideOne(
    rec,
    minutesSinceEpoch(f.epoch, epoch.jd, epoch.jdFrac),
    pr[0],
    pr[1],
    pr[2],
    slide,
    rv,
  );
  const base = {
    catalogNumber: f.catalogNumber,
    elementEpochUtc: formatUtcIso(f.epoch, 3),
    alongTrackSlideS: slide.tauS,
  };
  if (!Number.isFinite(dist)) {
    return {
      ...base,
      distanceKm: Number.NaN,
      dvRtnKmS: [Number.NaN, Number.NaN, Number.NaN],
      dvKmS: Number.NaN,
    };
  }
  const dv: Vec3 = [rv[3]! - pv[0], rv[4]! - pv[1], rv[5]! - pv[2]];
  const rtn = toRtn(pr, pv, dv);
  return {
    ...base,
    distanceKm: dist,
    dvRtnKmS: rtn,
    dvKmS: Math.hypot(dv[0], dv[1], dv[2]),
  };
}

/**
 * The closest approach of one record's trajectory near `tMin` (minutes since its epoch) to the
 * point p (TEME, km): Newton steps on g(τ) = (r(tMin + τ) − p)·v from `slide.tauS`; leaves the
 * final τ in `slide.tauS` and the state at it in `rv`; returns the distance, km (NaN on failure).
 */
function slideOne(
  rec: Satrec,
  tMin: number,
  px: number,
  py: number,
  pz: number,
  slide: { tauS: number },
  rv: Float64Array,
): number {
  let tau = slide.tauS;
  let dist = Number.NaN;
  for (let it = 0; it < SLIDE_ITERATIONS; it++) {
    if (sgp4(rec, tMin + tau / 60, rv) !== 0) return Number.NaN;
    const dx = rv[0]! - px;
    const dy = rv[1]! - py;
    const dz = rv[2]! - pz;
    dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (it === SLIDE_ITERATIONS - 1) break;
    const vx = rv[3]!;
    const vy = rv[4]!;
    const vz = rv[5]!;
    const r = Math.hypot(rv[0]!, rv[1]!, rv[2]!);
    const g = dx * vx + dy * vy + dz * vz;
    const ar = -SGP4_MU_KM3_S2 / (r * r * r);
    const h = vx * vx + vy * vy + vz * vz + ar * (dx * rv[0]! + dy * rv[1]! + dz * rv[2]!);
    let step = h > 0 ? -g / h : 0;
    if (step > SLIDE_MAX_STEP_S) step = SLIDE_MAX_STEP_S;
    if (step < -SLIDE_MAX_STEP_S) step = -SLIDE_MAX_STEP_S;
    // Converged: the state in rv is within a centimetre-scale slide of the closest point.
    if (Math.abs(step) < 0.01) break;
    tau += step;
  }
  slide.tauS = tau;
  return dist;
}

/**
 * For each record and grid time t (minutes from t0): the distance from the parent's position at t
 * to the record's closest point on its own trajectory near t, min over τ of |r_i(t + τ) − r_p(t)|,
 * by Newton steps on g(τ) = (r_i − r_p)·v_i (warm-started from the previous sample's τ). Returns the
 * row-major distances (NaN on SGP4 failure) and the τ of each sample, s.
 */
function slideDistances(
  records: readonly Satrec[],
  epochs: readonly UtcJulianDate[],
  parentRec: Satrec,
  parentEpoch: UtcJulianDate,
  t0: UtcJulianDate,
  grid: Float64Array,
): { d: Float64Array; tauS: Float64Array } {
  const m = grid.length;
  const ps = propagateToGrid([parentRec], [parentEpoch], t0, grid);
  const d = new Float64Array(records.length * m);
  const tauS = new Float64Array(records.length * m);
  const rv = new Float64Array(6);
  const slide = { tauS: 0 };
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    const off = minutesSinceEpoch(epochs[i]!, t0.jd, t0.jdFrac);
    let tau = 0;
    for (let k = 0; k < m; k++) {
      const j = i * m + k;
      if (ps.status[k] !== 0) {
        d[j] = Number.NaN;
        continue;
      }
      const px = ps.x[k]!;
      const py = ps.y[k]!;
      const pz = ps.z[k]!;
      slide.tauS = tau;
      const dist = slideOne(rec, off + grid[k]!, px, py, pz, slide, rv);
      tau = slide.tauS;
      d[j] = dist;
      tauS[j] = tau;
      if (!Number.isFinite(tau) || Math.abs(tau) > 3600) tau = 0;
    }
  }
  return { d, tauS };
}

/** Components of `x` in the RTN frame of (r, v): radial, along-track (N × R), cross-track (r × v). */
export function toRtn(r: Vec3, v: Vec3, x: Vec3): [number, number, number] {
  const rn = Math.hypot(r[0], r[1], r[2]);
  const R: Vec3 = [r[0] / rn, r[1] / rn, r[2] / rn];
  const h: Vec3 = [r[1] * v[2] - r[2] * v[1], r[2] * v[0] - r[0] * v[2], r[0] * v[1] - r[1] * v[0]];
  const hn = Math.hypot(h[0], h[1], h[2]);
  const N: Vec3 = [h[0] / hn, h[1] / hn, h[2] / hn];
  const T: Vec3 = [N[1] * R[2] - N[2] * R[1], N[2] * R[0] - N[0] * R[2], N[0] * R[1] - N[1] * R[0]];
  return [
    x[0] * R[0] + x[1] * R[1] + x[2] * R[2],
    x[0] * T[0] + x[1] * T[1] + x[2] * T[2],
    x[0] * N[0] + x[1] * N[1] + x[2] * N[2],
  ];
}

/**
 * Geodetic latitude, longitude (degrees) and height above WGS-84 (km) of an element set's SGP4
 * position at a UTC label (TEME → ITRF with the context's EOP). NaN when SGP4 fails.
 */
export function geodeticAtLabel(
  elements: ElementSet,
  label: UtcJulianDate,
  ctx: AstroContext,
): { latDeg: number; lonDeg: number; altKm: number } {
  const rec = sgp4Init(elements);
  const rv = new Float64Array(6);
  if (sgp4(rec, minutesSinceEpoch(elements.epoch, label.jd, label.jdFrac), rv) !== 0) {
    return { latDeg: Number.NaN, lonDeg: Number.NaN, altKm: Number.NaN };
  }
  const tr = frameTransform('TEME', 'ITRF', frameEpochAt(instantOfUtcLabel(label, ctx), ctx));
  const r: Vec3 = [rv[0]!, rv[1]!, rv[2]!];
  const v: Vec3 = [rv[3]!, rv[4]!, rv[5]!];
  applyFrameTransform(tr, r, v, r, v);
  const geo: Vec3 = [0, 0, 0];
  itrfToGeodeticArray(r, geo);
  return { latDeg: (geo[0] * 180) / Math.PI, lonDeg: (geo[1] * 180) / Math.PI, altKm: geo[2] };
}

/** Geodetic place of the parent (TEME → ITRF → WGS-84) at `epoch` plus the bootstrap spread. */
function geodeticPlace(
  parentRec: Satrec,
  parentEpoch: UtcJulianDate,
  epoch: UtcJulianDate,
  bootOffsetsS: readonly number[],
  ctx: AstroContext,
): GeodeticPlace {
  const rv = new Float64Array(6);
  const tr = newFrameTransform();
  const geo: Vec3 = [0, 0, 0];
  const at = (label: UtcJulianDate): [number, number, number] => {
    sgp4(parentRec, minutesSinceEpoch(parentEpoch, label.jd, label.jdFrac), rv);
    frameTransform('TEME', 'ITRF', frameEpochAt(instantOfUtcLabel(label, ctx), ctx), tr);
    const r: Vec3 = [rv[0]!, rv[1]!, rv[2]!];
    const v: Vec3 = [rv[3]!, rv[4]!, rv[5]!];
    applyFrameTransform(tr, r, v, r, v);
    itrfToGeodeticArray(r, geo);
    return [(geo[0] * 180) / Math.PI, (geo[1] * 180) / Math.PI, geo[2]];
  };
  const [lat, lon, alt] = at(epoch);
  const lats: number[] = [];
  const lons: number[] = [];
  const alts: number[] = [];
  for (const s of bootOffsetsS) {
    const g = at(normaliseJulian(epoch.jd, epoch.jdFrac + s / 86400));
    lats.push(g[0]);
    let dl = g[1] - lon;
    if (dl > 180) dl -= 360;
    if (dl < -180) dl += 360;
    lons.push(dl);
    alts.push(g[2]);
  }
  return {
    latDeg: lat,
    lonDeg: lon,
    altKm: alt,
    latSigmaDeg: standardDeviation(lats),
    lonSigmaDeg: standardDeviation(lons),
    altSigmaKm: standardDeviation(alts),
  };
}
