/**
 * The physical-data context of Hoshimi (after Orekit's DataContext): leap seconds and optional Earth
 * orientation parameters, passed explicitly to every function that needs them. Never a singleton:
 * two contexts (e.g. old and new EOP) can be used side by side.
 */

import { parseBulletinBEop } from '../eop/bulletin-b.js';
import { parseC04CsvEop } from '../eop/c04-csv-parser.js';
import type { EopInterpolation, EopTable } from '../eop/eop-table.js';
import { parseFinalsEop } from '../eop/finals-parser.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import { type LeapSecondExpiryPolicy, type LeapSecondTable, parseLeapSeconds } from '../time/leap-seconds.js';
import type { TimeContext } from '../time/utc.js';

export interface AstroContext extends TimeContext {
  readonly leapSeconds: LeapSecondTable;
  readonly eop?: EopTable | undefined;
  /** Whether EOP predictions may be used (default false: `EOP_PREDICTION_NOT_ALLOWED`). */
  readonly allowEopPredictions: boolean;
  /**
   * Outside the EOP table's rows: `'error'` (default, `EOP_OUT_OF_RANGE`) or `'hold-last'` (the
   * nearest row's values, flagged `eopStatus: 'held'` with a stated uncertainty, see frameEpochAt).
   */
  readonly eopBeyondTable: EopBeyondTable;
}

/** What frameEpochAt does outside the EOP table. */
export type EopBeyondTable = 'error' | 'hold-last';

export interface AstroContextOptions {
  readonly leapSeconds: LeapSecondTable;
  readonly eop?: EopTable | undefined;
  readonly allowEopPredictions?: boolean;
  readonly eopBeyondTable?: EopBeyondTable;
}

/** A context from already loaded tables. */
export function createAstroContext(options: AstroContextOptions): AstroContext {
  return Object.freeze({
    leapSeconds: options.leapSeconds,
    eop: options.eop,
    allowEopPredictions: options.allowEopPredictions ?? false,
    eopBeyondTable: options.eopBeyondTable ?? 'error',
  });
}

/**
 * EOP file formats: `'finals2000A'` (IERS finals2000A.all/.data/.daily, dX/dY), `'finals1980'`
 * (finals.all/.data, IAU 1980 δΔψ/δΔε), `'c04-csv'` (EOP 20 C04 `;` CSV), `'bulletin-b'` (IERS
 * Bulletin B monthly text, final values), `'auto'` (default: CSV when the first non-blank line
 * contains `;`, Bulletin B when it contains "BULLETIN B", else finals2000A).
 */
export type EopFormat = 'finals2000A' | 'finals1980' | 'c04-csv' | 'bulletin-b' | 'auto';

export interface LoadContextOptions {
  /** Text of `Leap_Second.dat` or `tai-utc.dat` (recognised by content). */
  readonly leapSecondsText: string;
  readonly leapSecondsFile?: string;
  /** Optional older history (e.g. tai-utc.dat) prepended before the first entry of the main table. */
  readonly earlierLeapSecondsText?: string;
  /** Overrides or supplies the leap second table's expiry, UTC MJD. */
  readonly leapSecondsExpiresMjd?: number;
  readonly afterLeapSecondExpiry?: LeapSecondExpiryPolicy;
  readonly eopText?: string;
  readonly eopFile?: string;
  readonly eopFormat?: EopFormat;
  readonly eopInterpolation?: EopInterpolation;
  readonly allowEopPredictions?: boolean;
  readonly eopBeyondTable?: EopBeyondTable;
  /**
   * An EOP table built by the caller (e.g. several Bulletin B files parsed and merged with
   * `mergeEopTables`), instead of `eopText`. Giving both is an issue `CONTEXT_EOP_TWICE`.
   */
  readonly eopTable?: EopTable;
}

/**
 * Parses the leap second (and optional EOP) texts into a context. Files are read by the caller
 * (astro has no file system). Warnings of all loaders are returned together; any loader failure
 * makes the whole result fail with its issues.
 */
export function loadContext(options: LoadContextOptions): ParseResult<AstroContext> {
  const warnings: ParseIssue[] = [];
  const leap = parseLeapSeconds(options.leapSecondsText, {
    ...(options.leapSecondsFile === undefined ? {} : { file: options.leapSecondsFile }),
    ...(options.leapSecondsExpiresMjd === undefined ? {} : { expiresMjd: options.leapSecondsExpiresMjd }),
    ...(options.afterLeapSecondExpiry === undefined ? {} : { afterExpiry: options.afterLeapSecondExpiry }),
  });
  if (!leap.ok) return leap;
  warnings.push(...leap.warnings);
  let leapSeconds = leap.value;
  if (options.earlierLeapSecondsText !== undefined) {
    const earlier = parseLeapSeconds(options.earlierLeapSecondsText, { afterExpiry: 'hold-last' });
    if (!earlier.ok) return earlier;
    // The earlier file's own expiry warning does not matter: only its older entries are used.
    warnings.push(...earlier.warnings.filter((w) => w.code !== 'LEAP_SECONDS_NO_EXPIRY'));
    leapSeconds = leapSeconds.withEarlierHistory(earlier.value);
  }
  let eop: EopTable | undefined = options.eopTable;
  if (options.eopText !== undefined && options.eopTable !== undefined) {
    return {
      ok: false,
      issues: [
        {
          code: 'CONTEXT_EOP_TWICE',
          message: 'give either eopText or eopTable, not both',
          expected: 'one EOP source',
          found: 'eopText and eopTable',
        },
      ],
    };
  }
  if (options.eopText !== undefined) {
    const text = options.eopText;
    let format = options.eopFormat ?? 'auto';
    if (format === 'auto') {
      const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
      format = first.includes(';') ? 'c04-csv' : /BULLETIN B/i.test(first) ? 'bulletin-b' : 'finals2000A';
    }
    const common = {
      ...(options.eopFile === undefined ? {} : { file: options.eopFile }),
      ...(options.eopInterpolation === undefined ? {} : { interpolation: options.eopInterpolation }),
    };
    const parsed =
      format === 'c04-csv'
        ? parseC04CsvEop(text, common)
        : format === 'bulletin-b'
          ? parseBulletinBEop(text, common)
          : parseFinalsEop(text, {
              ...common,
              nutationModel: format === 'finals1980' ? 'IAU1980' : 'IAU2000',
            });
    if (!parsed.ok) return parsed;
    warnings.push(...parsed.warnings);
    eop = parsed.value;
  }
  return {
    ok: true,
    value: createAstroContext({
      leapSeconds,
      eop,
      ...(options.allowEopPredictions === undefined
        ? {}
        : { allowEopPredictions: options.allowEopPredictions }),
      ...(options.eopBeyondTable === undefined ? {} : { eopBeyondTable: options.eopBeyondTable }),
    }),
    warnings,
  };
}
