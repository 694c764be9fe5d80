/**
 * The physical environment of a reentry propagation: gravity (a spherical-harmonic field from
 * gravity/, or point mass + J2 when none is given), the analytic Sun and Moon, and cannonball drag
 * (Montenbruck & Gill §3.5) with NRLMSISE-00 density (Picone et al. 2002) driven by the space
 * weather table. The drag force is parametrised by the ballistic coefficient B = C_D·A/m (m²/kg),
 * the single quantity a decay fit can observe; C_D and A/m are not separable from orbit decay.
 *
 * Space weather is a trust question, never silent: inside the daily rows of the table the observed
 * (or, for PRD rows, predicted) values are used, and a prediction resting on PRD rows is flagged;
 * past the last daily row `beyondSpaceWeather: 'refuse'` (default) throws
 * `REENTRY_SPACE_WEATHER_BEYOND_TABLE`, and `'hold'` keeps the last daily row's activity constant
 * and records a warning.
 */
import { type AtmosphereActivity, atmosphericDensity } from '../atmosphere/atmospheric-density.js';
import { Nrlmsise00Workspace } from '../atmosphere/nrlmsise00.js';
import type { Nrlmsise00Coefficients } from '../atmosphere/nrlmsise00-coefficients.js';
import { type SpaceWeatherTable, spaceWeatherAt } from '../atmosphere/space-weather.js';
import type { AstroContext } from '../context/astro-context.js';
import { AstroError } from '../errors.js';
import type { GravityField } from '../gravity/gravity-field.js';
import { SphericalHarmonicGravity } from '../gravity/spherical-harmonics.js';
import { AtmosphericDrag, type DensityFunction } from '../numerical/drag.js';
import type { ForceModel } from '../numerical/force-model.js';
import { J2Gravity, PointMassGravity } from '../numerical/gravity-forces.js';
import { HarmonicGravity } from '../numerical/harmonic-gravity.js';
import { ThirdBodyGravity } from '../numerical/third-body.js';
import { utcLabelOfInstant } from '../sgp4/epoch-time.js';
import type { Instant } from '../time/instant.js';

/** What a reentry estimate needs from the outside world. */
export interface ReentryEnvironment {
  /** Leap seconds and EOP. */
  readonly context: AstroContext;
  /** NRLMSISE-00 coefficient tables. */
  readonly msis: Nrlmsise00Coefficients;
  /** Daily space weather (F10.7, Ap). */
  readonly spaceWeather: SpaceWeatherTable;
  /** Earth gravity field (e.g. EGM96); point mass + J2 when absent. */
  readonly gravity?: GravityField;
  /** Degree and order used from `gravity` (default 8). */
  readonly gravityDegree?: number;
  /** Past the table's last daily row: 'refuse' (default, throws) or 'hold' (last row, warned). */
  readonly beyondSpaceWeather?: 'refuse' | 'hold';
  /** Sun and Moon point-mass perturbations (default true). */
  readonly thirdBodies?: boolean;
}

/** A warning attached to an estimate: a stable code and a sentence. */
export interface ReentryWarning {
  readonly code: string;
  readonly message: string;
}

/** Collects warnings, each code once. */
export class ReentryWarnings {
  readonly list: ReentryWarning[] = [];
  add(code: string, message: string): void {
    if (!this.list.some((w) => w.code === code)) this.list.push({ code, message });
  }
  has(code: string): boolean {
    return this.list.some((w) => w.code === code);
  }
}

/** Default degree and order of the harmonic field. */
export const REENTRY_GRAVITY_DEGREE = 8;

const MJD_JD_OFFSET = 2400000.5;

/**
 * The NRLMSISE-00 drag density (gtd7d, kg/m³) at an instant and ITRF position, with the space
 * weather of `env` and its trust rules (see the module header). Flags go to `warnings`.
 */
export function reentryDensity(env: ReentryEnvironment, warnings: ReentryWarnings): DensityFunction {
  const ws = new Nrlmsise00Workspace();
  const table = env.spaceWeather;
  let held: AtmosphereActivity | undefined;
  return (instant: Instant, rItrfKm) => {
    const u = utcLabelOfInstant(instant, env.context);
    const mjd = Math.floor(u.jd - MJD_JD_OFFSET + u.jdFrac);
    let activity: SpaceWeatherTable | AtmosphereActivity = table;
    if (mjd > table.lastMjd) {
      if ((env.beyondSpaceWeather ?? 'refuse') === 'refuse') {
        throw new AstroError(
          'REENTRY_SPACE_WEATHER_BEYOND_TABLE',
          `the propagation reaches MJD ${mjd}, past the space-weather table's last daily row (MJD ${table.lastMjd}); ` +
            'give a newer table or allow holding the last values',
          { expected: `MJD ≤ ${table.lastMjd}`, found: `MJD ${mjd}` },
        );
      }
      if (held === undefined) {
        held = spaceWeatherAt(table, table.lastMjd + MJD_JD_OFFSET, 0.5);
        warnings.add(
          'SPACE_WEATHER_HELD',
          `space weather past MJD ${table.lastMjd} is not in the table: the last daily row's F10.7 and Ap are held constant`,
        );
      }
      activity = held;
    }
    const d = atmosphericDensity(env.msis, rItrfKm, u.jd, u.jdFrac, activity, { workspace: ws });
    if (d.spaceWeather?.predicted === true) {
      warnings.add(
        'SPACE_WEATHER_PREDICTED',
        'part of the propagation uses predicted (not observed) solar and geomagnetic activity',
      );
    }
    return d.rhoKgM3;
  };
}

const fieldModels = new WeakMap<GravityField, Map<number, SphericalHarmonicGravity>>();

/** The gravity forces of `env` (a harmonic field, or point mass + J2), plus the Sun and Moon. */
export function reentryConservativeForces(env: ReentryEnvironment): ForceModel[] {
  const forces: ForceModel[] = [];
  if (env.gravity !== undefined) {
    const deg = Math.min(env.gravityDegree ?? REENTRY_GRAVITY_DEGREE, env.gravity.degree);
    let byDeg = fieldModels.get(env.gravity);
    if (byDeg === undefined) {
      byDeg = new Map();
      fieldModels.set(env.gravity, byDeg);
    }
    let model = byDeg.get(deg);
    if (model === undefined) {
      model = new SphericalHarmonicGravity(env.gravity, deg, deg);
      byDeg.set(deg, model);
    }
    forces.push(new HarmonicGravity(model));
  } else {
    forces.push(new PointMassGravity(), new J2Gravity());
  }
  if (env.thirdBodies ?? true) forces.push(new ThirdBodyGravity('SUN'), new ThirdBodyGravity('MOON'));
  return forces;
}

/** All forces of a reentry propagation for ballistic coefficient `bM2Kg` (C_D·A/m, m²/kg). */
export function reentryForces(
  env: ReentryEnvironment,
  bM2Kg: number,
  density: DensityFunction,
): ForceModel[] {
  return [...reentryConservativeForces(env), new AtmosphericDrag({ cd: 1, areaToMassM2Kg: bM2Kg, density })];
}
