/**
 * Shared set-up of the reentry tests: the environment from the reference data (leap seconds and
 * finals2000A EOP, SW-All space weather, NRLMSISE-00 coefficients, EGM96 to degree 8) and the
 * element sets of the validation objects.
 */

import { parseNrlmsise00Coefficients } from '../src/atmosphere/nrlmsise00-coefficients.js';
import { parseCelestrakSpaceWeatherCsv } from '../src/atmosphere/space-weather.js';
import { parseElements } from '../src/ccsds/parse-elements.js';
import type { AstroContext } from '../src/context/astro-context.js';
import { loadContext } from '../src/context/astro-context.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseUtcString } from '../src/elements/utc-calendar.js';
import { parseEgm } from '../src/gravity/egm-reader.js';
import type { ReentryEnvironment } from '../src/reentry/reentry-environment.js';
import { instantOfUtcLabel } from '../src/sgp4/epoch-time.js';
import type { Instant } from '../src/time/instant.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

export const SW_TEXT = readRefText('earth/SW-All_1998-2026.csv.gz');

let cached: ReentryEnvironment | undefined;

/** The reentry environment of the reference data (built once). */
export function reentryEnvironment(): ReentryEnvironment {
  if (cached !== undefined) return cached;
  const context = unwrap(
    loadContext({
      leapSecondsText: readRefText('earth/Leap_Second.dat'),
      eopText: readRefText('earth/finals2000A.all.gz'),
      allowEopPredictions: true,
      afterLeapSecondExpiry: 'hold-last',
    }),
  );
  cached = {
    context,
    msis: parseNrlmsise00Coefficients(readRefText('earth/atmosphere/nrlmsise00-coefficients.json')),
    spaceWeather: unwrap(parseCelestrakSpaceWeatherCsv(SW_TEXT)),
    gravity: unwrap(
      parseEgm(readRefText('earth/gravity/EGM96-truncated-21x21'), { tideSystem: 'tide_free', maxDegree: 8 }),
    ),
    gravityDegree: 8,
  };
  return cached;
}

/** Element sets of a text (TLE, 3LE, OMM). */
export function setsOf(text: string): ElementSet[] {
  return unwrap(parseElements(text)).records.map((r) => r.elements);
}

/** The two distinct last TLEs of object 66877 (epochs 2026-01-28 21:04 and 2026-01-29 00:03). */
export function tles66877(): ElementSet[] {
  const a = setsOf(readRefText('reentry/ssa-script-tip/tle_66877_1769662703.txt'));
  const b = setsOf(readRefText('reentry/ssa-script-tip/tle_66877_20260129_111538.txt'));
  return [...a, ...b];
}

/** GOCE's final TLE (reentry/known_reentries.json). */
export function goceFinalTle(): ElementSet[] {
  const known = JSON.parse(readRefText('reentry/known_reentries.json')) as {
    objects: { norad: number; final_tle?: { line0: string; line1: string; line2: string } }[];
  };
  const t = known.objects.find((o) => o.norad === 34602)!.final_tle!;
  return setsOf(`${t.line0}\n${t.line1}\n${t.line2}\n`);
}

/** CZ-5B R/B (48275) in the 2021-05-29 catalog snapshot: its last set, 2021-05-08 20:34 UTC. */
export function cz5bLastSet(): ElementSet[] {
  const lines = readRefText('catalog/full_catalog_2021-05-29.3le.txt.gz').split(/\r?\n/);
  const i = lines.findIndex((l) => l.startsWith('1 48275U'));
  return setsOf(`${lines[i - 1]}\n${lines[i]}\n${lines[i + 1]}\n`);
}

/** A UTC text `YYYY-MM-DDThh:mm[:ss]` as an instant. */
export function utc(text: string, ctx: AstroContext): Instant {
  return instantOfUtcLabel(parseUtcString(text)!, ctx);
}
