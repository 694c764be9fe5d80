/**
 * Helpers shared by the test files: the value of a parse result, the code of a thrown AstroError,
 * the reference leap-second tables, and the real-valued fields of an ElementSet. Reference files
 * are read only through reference-data.ts.
 */
import type { ElementSet } from '../src/elements/element-set.js';
import { AstroError, type ParseResult } from '../src/errors.js';
import { type LeapSecondTable, parseLeapSecondDat, parseTaiUtcDat } from '../src/time/index.js';
import { readRefText } from './reference-data.js';

/** The value of a successful parse; throws with the first issues when it failed. */
export function unwrap<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.issues.slice(0, 3))}`);
  return r.value;
}

/** The code of the AstroError that `f` throws, or undefined when it returns; other errors rethrow. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AstroError) return e.code;
    throw e;
  }
  return undefined;
}

/** IERS Leap_Second.dat (1972 onwards, with its expiry). */
export function loadLeapSecondDat(): LeapSecondTable {
  return unwrap(parseLeapSecondDat(readRefText('earth/Leap_Second.dat'), { file: 'Leap_Second.dat' }));
}

/** USNO tai-utc.dat (1961 onwards), held at its last entry after the end ('hold-last'). */
export function loadTaiUtcDat(): LeapSecondTable {
  return unwrap(
    parseTaiUtcDat(readRefText('earth/tai-utc.dat'), { file: 'tai-utc.dat', afterExpiry: 'hold-last' }),
  );
}

/** Leap_Second.dat completed backwards by tai-utc.dat (the 1961–1971 drift entries). */
export function loadLeapSecondsWithHistory(): LeapSecondTable {
  return loadLeapSecondDat().withEarlierHistory(loadTaiUtcDat());
}

/** The real-valued (floating-point) fields of an ElementSet, in declaration order. */
export const ELEMENT_SET_REAL_FIELDS = [
  'meanMotionRadPerMin',
  'eccentricity',
  'inclinationRad',
  'raanRad',
  'argPerigeeRad',
  'meanAnomalyRad',
  'bstar',
  'meanMotionDotRevPerDay2',
  'meanMotionDdotRevPerDay3',
] as const satisfies readonly (keyof ElementSet)[];
