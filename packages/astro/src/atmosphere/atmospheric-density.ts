/**
 * Atmospheric mass density at an Earth-fixed position and time, for the drag force of a numerical
 * propagator: NRLMSISE-00 (gtd7d, anomalous oxygen included, as the model's authors recommend for
 * drag) fed with
 * - geodetic altitude, latitude and longitude of the ITRF position on the WGS-84 ellipsoid
 *   (frames/geodetic.ts, Vermeille 2004);
 * - day of year and UT seconds of day from the UTC date (UT1 − UTC, < 0.9 s, is below the model's
 *   resolution and not applied);
 * - local solar time lst = UT hours + longitude/15° (mod 24), the consistent form recommended in
 *   the model's source (the equation of time, up to ±16 min, is not applied: the model's local-time
 *   terms were fitted with this convention);
 * - solar and geomagnetic activity either from a space-weather table (then the 7-element ap array
 *   is used, switches[9] = −1) or given as fixed values.
 */

import { itrfToGeodeticArray } from '../frames/geodetic.js';
import { calendarFromMjd, mjdFromCalendar } from '../math/calendar.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { mjdDayFraction } from '../time/utc.js';
import { type Nrlmsise00Output, type Nrlmsise00Workspace, nrlmsise00 } from './nrlmsise00.js';
import type { Nrlmsise00Coefficients } from './nrlmsise00-coefficients.js';
import { type SpaceWeatherTable, type SpaceWeatherValues, spaceWeatherAt } from './space-weather.js';

/** Fixed solar and geomagnetic activity (sfu and Ap units). */
export interface AtmosphereActivity {
  /** F10.7 of the previous day, sfu. */
  readonly f107: number;
  /** 81-day centred mean of F10.7, sfu. */
  readonly f107A: number;
  /** Daily Ap. */
  readonly ap: number;
  /** Optional 7-element ap array (selects switches[9] = −1). */
  readonly apArray?: readonly number[];
}

/** Density and what it was computed from. */
export interface AtmosphericDensity {
  /** Total mass density for drag (gtd7d, with anomalous O), kg/m³. */
  readonly rhoKgM3: number;
  /** The full model output (SI). */
  readonly model: Nrlmsise00Output;
  /** Geodetic height (km), latitude and longitude (rad) of the position. */
  readonly altKm: number;
  readonly latRad: number;
  readonly lonRad: number;
  /** Day of year, UT seconds of day and local solar time (hours) given to the model. */
  readonly doy: number;
  readonly utSeconds: number;
  readonly lstHours: number;
  /** The table lookup, when activity came from a table (check its `predicted`). */
  readonly spaceWeather: SpaceWeatherValues | undefined;
}

const HOURS_PER_DAY = 24;
const DEG_PER_HOUR = 15;

/**
 * Mass density at ITRF position `rItrfKm` (km) and UTC Julian date utcJd + utcJdFrac (days, any
 * split). Throws `GEODETIC_DOMAIN` near the geocentre, the lookup's `SPACE_WEATHER_*` errors
 * outside the table, `NRLMSISE_INPUT` for non-finite values. `options.workspace` is reused
 * scratch memory for the model (see Nrlmsise00Workspace).
 */
export function atmosphericDensity(
  coeffs: Nrlmsise00Coefficients,
  rItrfKm: ReadonlyVec3,
  utcJd: number,
  utcJdFrac: number,
  activity: SpaceWeatherTable | AtmosphereActivity,
  options: { readonly workspace?: Nrlmsise00Workspace } = {},
): AtmosphericDensity {
  const g: Vec3 = [0, 0, 0];
  itrfToGeodeticArray(rItrfKm, g);
  const [mjd, dayFrac] = mjdDayFraction(utcJd, utcJdFrac);
  const { year } = calendarFromMjd(mjd);
  const doy = mjd - mjdFromCalendar(year, 1, 1) + 1;
  const utSeconds = dayFrac * 86400;
  const lonDeg = (g[1] * 180) / Math.PI;
  let lstHours = (utSeconds / 3600 + lonDeg / DEG_PER_HOUR) % HOURS_PER_DAY;
  if (lstHours < 0) lstHours += HOURS_PER_DAY;
  let sw: SpaceWeatherValues | undefined;
  let act: AtmosphereActivity;
  if ('ap3h' in activity) {
    sw = spaceWeatherAt(activity, utcJd, utcJdFrac);
    act = sw;
  } else {
    act = activity;
  }
  const model = nrlmsise00(
    coeffs,
    {
      doy,
      utSeconds,
      altKm: g[2],
      latRad: g[0],
      lonRad: g[1],
      lstHours,
      f107A: act.f107A,
      f107: act.f107,
      ap: act.ap,
      ...(act.apArray === undefined ? {} : { apArray: act.apArray }),
    },
    undefined,
    options.workspace,
  );
  return {
    rhoKgM3: model.dragMassDensityKgM3,
    model,
    altKm: g[2],
    latRad: g[0],
    lonRad: g[1],
    doy,
    utSeconds,
    lstHours,
    spaceWeather: sw,
  };
}
