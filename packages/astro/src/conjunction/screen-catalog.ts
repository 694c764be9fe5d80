/**
 * Catalog conjunction screening, in process: all-vs-all, primaries-vs-all and one-vs-all over a
 * window, with a spherical threshold or an RTN ellipsoid. The method (SGP4 knots, Hermite
 * interpolation, padded cell grid, interpolated minima, SGP4 refinement) and its soundness argument
 * are in screen-engine.ts. Filters after Hoots, Crawford & Roehrich (1984, Celest. Mech. 33,
 * perigee/apogee) and Woodburn, Coppola & Stoner (AAS 09-372); the grid after SIMPLETON and
 * Teschner et al. (2003).
 *
 * Parallel runs (packages/node screenParallel) construct the same ScreeningRun in every worker,
 * screen disjoint block ranges, and merge with `mergeScreeningEvents` here, which also removes
 * duplicates: the same pair with TCAs within DUPLICATE_TCA_S is one conjunction.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso, normaliseJulian } from '../elements/utc-calendar.js';
import { km, kmPerSec, seconds } from '../units/index.js';
import {
  EVENT_STRIDE,
  LOSS_DECAYED,
  LOSS_NON_PHYSICAL,
  LOSS_SGP4_ERROR,
  OBJECT_LOSS_STRIDE,
  REFINE_LOSS_STRIDE,
  type ScreeningLossRows,
  ScreeningRun,
} from './screen-engine.js';
import type {
  Conjunction,
  ConjunctionObject,
  RefineFailureReason,
  ScreeningLosses,
  ScreeningLossReason,
  ScreeningObjectLoss,
  ScreeningOptions,
  ScreeningRefineLoss,
  ScreeningResult,
  ScreeningStats,
} from './screening-types.js';

/** Two events of one pair closer in TCA than this are the same conjunction, s. */
export const DUPLICATE_TCA_S = 0.5;

/** Progress callback: blocks done and total. */
export type ScreeningProgress = (blocksDone: number, blocksTotal: number) => void;

/** Screens a catalog in this thread. Element sets are TLE/OMM mean elements for SGP4. */
export function screenCatalog(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  onProgress?: ScreeningProgress,
): ScreeningResult {
  const run = new ScreeningRun(elements, options);
  let done = 0;
  const events = run.runBlocks(0, run.blockCount, () => {
    done++;
    onProgress?.(done, run.blockCount);
  });
  return mergeScreeningEvents(run, [events], run.stats, [run.takeLosses()]);
}

/** Loss reasons by the engine's reason code (LOSS_* in screen-engine.ts). */
const LOSS_REASONS: readonly ScreeningLossReason[] = [
  'element-set-too-old',
  'sgp4-init-failed',
  'sgp4-error',
  'decayed',
  'non-physical-state',
  'interpolation-bound',
];
/** Refinement failures by refine-tca.ts status (1, 2, 3). */
const REFINE_REASONS: readonly RefineFailureReason[] = ['sgp4-error', 'not-converged', 'not-a-minimum'];

/**
 * Merges packed loss rows (the run's set-up losses and every slice's): per object and kind of loss
 * (set-up, invalid knots, interpolation bound) the earliest bad time with its reason and SGP4
 * code, and the summed interval count; refinements by time.
 */
export function mergeScreeningLosses(
  run: Pick<ScreeningRun, 'elements' | 'options'> & { readonly setupLosses: Float64Array },
  parts: readonly ScreeningLossRows[],
): ScreeningLosses {
  const { elements, options } = run;
  const byKey = new Map<string, { i: number; reason: number; t: number; code: number; count: number }>();
  const add = (rows: Float64Array) => {
    for (let k = 0; k < rows.length; k += OBJECT_LOSS_STRIDE) {
      const i = rows[k]!;
      const reason = rows[k + 1]!;
      const t = rows[k + 2]!;
      // Invalid knots (SGP4 error, decay, non-physical state) are one loss per object: a slice
      // starting after a decay sees SGP4's later errors, not the decay itself.
      const key = `${i}/${reason === LOSS_DECAYED || reason === LOSS_NON_PHYSICAL ? LOSS_SGP4_ERROR : reason}`;
      const prev = byKey.get(key);
      if (prev === undefined) byKey.set(key, { i, reason, t, code: rows[k + 3]!, count: rows[k + 4]! });
      else {
        prev.count += rows[k + 4]!;
        if (t < prev.t) {
          prev.t = t;
          prev.code = rows[k + 3]!;
          prev.reason = reason;
        }
      }
    }
  };
  add(run.setupLosses);
  for (const p of parts) add(p.objects);
  const ageAtStart = (e: (typeof elements)[number]) =>
    options.start.jd - e.epoch.jd + (options.start.jdFrac - e.epoch.jdFrac);
  const objects = [...byKey.values()]
    .sort((a, b) => a.i - b.i || a.reason - b.reason)
    .map((r): ScreeningObjectLoss => {
      const e = elements[r.i]!;
      const loss: ScreeningObjectLoss = {
        catalogNumber: e.catalogNumber,
        index: r.i,
        reason: LOSS_REASONS[r.reason]!,
        firstBadTime: addSeconds(options.start, r.t),
        firstBadSecondsFromStart: r.t,
        sgp4Code: r.code === 0 ? null : r.code,
        lostIntervals: r.count,
        elementAgeDays: ageAtStart(e),
      };
      return e.name === undefined ? loss : { ...loss, name: e.name };
    });
  const refinements: ScreeningRefineLoss[] = [];
  for (const p of parts) {
    const rows = p.refinements;
    for (let k = 0; k < rows.length; k += REFINE_LOSS_STRIDE) {
      const a = elements[rows[k]!]!;
      const b = elements[rows[k + 1]!]!;
      const t = rows[k + 2]!;
      refinements.push({
        primary: { catalogNumber: a.catalogNumber, index: rows[k]! },
        secondary: { catalogNumber: b.catalogNumber, index: rows[k + 1]! },
        time: addSeconds(options.start, t),
        secondsFromStart: t,
        reason: REFINE_REASONS[rows[k + 3]! - 1] ?? 'not-converged',
      });
    }
  }
  refinements.sort((x, y) => x.secondsFromStart - y.secondsFromStart);
  return { objects, refinements };
}

/** UTC date of `t` seconds after `start`. */
function addSeconds(start: { jd: number; jdFrac: number }, t: number): { jd: number; jdFrac: number } {
  return normaliseJulian(start.jd, start.jdFrac + t / 86400);
}

/**
 * Merges packed event rows (ScreeningRun.runBlocks output, from any number of threads), removes
 * duplicates and builds the conjunctions sorted by TCA.
 */
export function mergeScreeningEvents(
  run: Pick<ScreeningRun, 'elements' | 'options' | 'warnings'> & { readonly setupLosses: Float64Array },
  parts: readonly Float64Array[],
  stats: ScreeningStats,
  lossParts: readonly ScreeningLossRows[],
): ScreeningResult {
  // All rows in one array; sort row indices by (primary, secondary, TCA) and drop duplicates.
  let total = 0;
  for (const p of parts) total += p.length / EVENT_STRIDE;
  const all = new Float64Array(total * EVENT_STRIDE);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const byPair = Int32Array.from({ length: total }, (_, k) => k * EVENT_STRIDE);
  byPair.sort((a, b) => all[a]! - all[b]! || all[a + 1]! - all[b + 1]! || all[a + 2]! - all[b + 2]!);
  const kept = new Int32Array(total);
  let keptCount = 0;
  for (const r of byPair) {
    if (keptCount > 0) {
      const last = kept[keptCount - 1]!;
      if (
        all[last] === all[r] &&
        all[last + 1] === all[r + 1] &&
        all[r + 2]! - all[last + 2]! < DUPLICATE_TCA_S
      ) {
        if (all[r + 3]! < all[last + 3]!) kept[keptCount - 1] = r;
        continue;
      }
    }
    kept[keptCount++] = r;
  }
  const byTca = kept.subarray(0, keptCount);
  byTca.sort((a, b) => all[a + 2]! - all[b + 2]! || all[a]! - all[b]! || all[a + 1]! - all[b + 1]!);
  const build = conjunctionBuilder(run);
  const conjunctions: Conjunction[] = new Array(keptCount);
  for (let k = 0; k < keptCount; k++) conjunctions[k] = build(all, byTca[k]!);
  stats.events = conjunctions.length;
  return { conjunctions, stats, warnings: [...run.warnings], losses: mergeScreeningLosses(run, lossParts) };
}

/**
 * Turns packed event rows (EVENT_STRIDE doubles from `offset`) into conjunctions of `run`'s
 * elements: TCA as a UTC date, element ages at TCA, names. The per-element fields are read once.
 */
export function conjunctionBuilder(
  run: Pick<ScreeningRun, 'elements' | 'options'>,
): (rows: Float64Array, offset: number) => Conjunction {
  const { elements, options } = run;
  // Per element, the fields the rows need (element sets come in several shapes: read each once).
  const n = elements.length;
  const epochJd = new Float64Array(n);
  const epochFrac = new Float64Array(n);
  const numbers: string[] = new Array(n);
  const names: (string | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = elements[i]!;
    epochJd[i] = e.epoch.jd;
    epochFrac[i] = e.epoch.jdFrac;
    numbers[i] = e.catalogNumber;
    names[i] = e.name;
  }
  const obj = (r: Float64Array, index: number, off: number, tca: UtcJulianDate): ConjunctionObject => {
    const catalogNumber = numbers[index]!;
    const elementAgeDays = tca.jd - epochJd[index]! + (tca.jdFrac - epochFrac[index]!);
    const rKm = [r[off]!, r[off + 1]!, r[off + 2]!] as const;
    const vKmS = [r[off + 3]!, r[off + 4]!, r[off + 5]!] as const;
    const name = names[index];
    return name === undefined
      ? { catalogNumber, index, elementAgeDays, rKm, vKmS }
      : { catalogNumber, index, elementAgeDays, rKm, vKmS, name };
  };
  return (rows, o) => {
    const r = rows.subarray(o, o + EVENT_STRIDE);
    const t = r[2]!;
    const tca = addSeconds(options.start, t);
    return {
      primary: obj(r, r[0]!, 8, tca),
      secondary: obj(r, r[1]!, 14, tca),
      tca,
      tcaSecondsFromStart: seconds(t),
      missKm: km(r[3]!),
      relativeSpeedKmS: kmPerSec(r[4]!),
      missRtnKm: { radial: km(r[5]!), inTrack: km(r[6]!), crossTrack: km(r[7]!) },
      pc: null,
      pcMethod: null,
    };
  };
}

/** ISO UTC text of a conjunction's TCA with millisecond digits (for reports). */
export function conjunctionTcaIso(c: Conjunction, decimals = 3): string {
  return formatUtcIso(c.tca, decimals);
}
