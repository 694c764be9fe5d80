/**
 * How far a screening's result can be trusted from the data it rested on: how many element sets
 * were usable, how stale they were, and whether anything valid was left to screen at all (no
 * all-clear may rest on missing data). Shared by every caller that reports or stores screenings.
 */
import type { ElementSet } from '../elements/element-set.js';
import type { ScreeningLossReason, ScreeningResult } from './screening-types.js';

/**
 * Losses that, when they start at the window start, leave the object unscreened for the whole
 * window: SGP4 errors, decay and runaway states do not recover later in a window (a decayed set
 * stays decayed). Interpolation-bound losses are per interval and may leave other intervals usable.
 */
const WHOLE_WINDOW_REASONS: ReadonlySet<ScreeningLossReason> = new Set([
  'sgp4-error',
  'decayed',
  'non-physical-state',
]);

export interface ScreeningDataQuality {
  /** Element sets given, and screened. */
  readonly input: number;
  readonly screened: number;
  /** Left out as older than `maxAgeDays` at the window start. */
  readonly tooOld: number;
  readonly maxAgeDays: number;
  /** Oldest set left out as too old, and oldest screened, days at the window start (null: none). */
  readonly oldestTooOldDays: number | null;
  readonly oldestScreenedDays: number | null;
  /** Sets with epochs after the window start. */
  readonly newerThanStart: number;
  readonly initFailed: number;
  /** Screened sets that were nonetheless unusable from the window start on (SGP4 error, decay, runaway state). */
  readonly unusableWholeWindow: number;
  /** Why nothing valid is left to screen, or null. */
  readonly nothingValid: string | null;
}

/**
 * Assesses a screening's data: counts and ages from its statistics and losses; `nothingValid` when
 * there are no element sets, no usable ones (fewer than two all-vs-all), or, with `primaries`
 * (normalised catalog numbers), none of the primaries has a usable set. A set counts as unusable
 * when it is too old, fails SGP4 initialisation, or fails SGP4 (error, decay, runaway state) from
 * the window's first instant on: such an object was never screened, whatever its stats say.
 */
export function assessScreeningData(
  result: ScreeningResult,
  elements: readonly ElementSet[],
  maxAgeDays: number,
  primaries?: readonly string[],
): ScreeningDataQuality {
  const s = result.stats;
  let oldestTooOld: number | null = null;
  const lost = new Set<number>();
  const wholeWindow = new Set<number>();
  for (const l of result.losses.objects) {
    if (l.reason === 'element-set-too-old' || l.reason === 'sgp4-init-failed') lost.add(l.index);
    if (WHOLE_WINDOW_REASONS.has(l.reason) && l.firstBadSecondsFromStart <= 0) {
      lost.add(l.index);
      wholeWindow.add(l.index);
    }
    if (l.reason === 'element-set-too-old' && !(oldestTooOld !== null && oldestTooOld >= l.elementAgeDays)) {
      oldestTooOld = l.elementAgeDays;
    }
  }
  const usable = s.screened - wholeWindow.size;
  let nothingValid: string | null = null;
  if (s.objects === 0) nothingValid = 'no element sets';
  else if (usable <= 0 || (primaries === undefined && usable < 2)) {
    nothingValid =
      `${Math.max(0, usable)} of ${s.objects} element sets are usable (${s.tooOld} older than ${maxAgeDays} days at the ` +
      `window start, ${s.initFailed} failed SGP4 initialisation, ${wholeWindow.size} failed SGP4 from the window start on)`;
  } else if (primaries !== undefined && primaries.length > 0) {
    const wanted = new Set(primaries);
    let usablePrimary = false;
    elements.forEach((e, i) => {
      if (wanted.has(e.catalogNumber) && !lost.has(i)) usablePrimary = true;
    });
    if (!usablePrimary) {
      nothingValid =
        `none of the ${wanted.size} primaries has a usable element set (absent, older than ${maxAgeDays} ` +
        'days at the window start, failed SGP4 initialisation, or failed SGP4 from the window start on)';
    }
  }
  return {
    input: s.objects,
    screened: s.screened,
    tooOld: s.tooOld,
    maxAgeDays,
    oldestTooOldDays: oldestTooOld,
    oldestScreenedDays: Number.isNaN(s.oldestAgeDays) ? null : s.oldestAgeDays,
    newerThanStart: s.newerThanStart,
    initFailed: s.initFailed,
    unusableWholeWindow: wholeWindow.size,
    nothingValid,
  };
}
