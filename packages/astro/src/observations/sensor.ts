/**
 * The sensor model: a ground station (observation.ts GroundStation) with a type (radar, optical,
 * laser), geometric limits (elevation, range, azimuth sectors, a field of regard), the measurement
 * kinds it produces, noise sigmas and biases per kind, and for optical sensors the lighting
 * constraints (site in darkness, target sunlit, Moon avoidance, faintest visual magnitude).
 *
 * Station position at a time (IERS Conventions 2010 §4 practice, as SINEX gives it): the reference
 * point `itrfKm` at `referenceEpoch` plus `velocityKmPerYear`·(t − epoch) in Julian years, plus the
 * instrument eccentricity (up, north, east) rotated to ITRF with the reference point's WGS-84
 * geodetic latitude and longitude. Local east-north-up axes use the geodetic normal (Vallado 2013
 * §3.4, Eq. 3-28 "SEZ" with the sign of south flipped).
 *
 * Units inside: km, km/s, rad. The sensor file (sensor-file.ts) converts from its own units.
 */

import { itrfToGeodeticArray } from '../frames/geodetic.js';
import type { Vec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';
import { TWO_PI } from '../units/index.js';
import type { GroundStation, MeasurementKind } from './observation.js';

/** The kinds of sensor. */
export const SENSOR_TYPES = ['radar', 'optical', 'laser'] as const;
/** A kind of sensor. */
export type SensorType = (typeof SENSOR_TYPES)[number];

/** An azimuth sector, clockwise from `fromRad` to `toRad` (both in [0, 2π); may wrap through north). */
export interface AzimuthSector {
  readonly fromRad: number;
  readonly toRad: number;
}

/** A field of regard: the cone of half angle `halfAngleRad` around the direction (az, el). */
export interface FieldOfRegard {
  readonly centerAzimuthRad: number;
  readonly centerElevationRad: number;
  readonly halfAngleRad: number;
}

/** One-sigma measurement noise per kind (absent: not given). */
export interface SensorNoise {
  readonly rangeKm?: number;
  readonly rangeRateKmS?: number;
  /** Both angles of an angle pair (azimuth/elevation or right ascension/declination), rad. */
  readonly angleRad?: number;
}

/** Systematic errors added to measurements (simulation) or estimated (OD). */
export interface SensorBias {
  readonly rangeKm?: number;
  readonly rangeRateKmS?: number;
  /** First and second angle of a pair (azimuth, elevation or right ascension, declination), rad. */
  readonly angleRad?: readonly [number, number];
}

/** Lighting constraints of an optical sensor. */
export interface LightingConstraints {
  /** The site is dark when the Sun's geometric elevation is below this, rad (default −12°). */
  readonly maxSunElevationRad: number;
  /** The target must be outside the Earth's shadow (default true). */
  readonly requireTargetSunlit: boolean;
  /** Minimum angle between the line of sight and the Moon, rad (0: none). */
  readonly moonAvoidanceRad: number;
  /** Faintest visual magnitude the sensor detects (needs the target's standard magnitude). */
  readonly maxVisualMagnitude?: number;
}

/** A sensor: a ground station plus what it can see and how well it measures. */
export interface Sensor extends GroundStation {
  readonly type: SensorType;
  /** Elevation limits, rad. */
  readonly minElevationRad: number;
  readonly maxElevationRad: number;
  /** Range limits, km (max may be Infinity). */
  readonly minRangeKm: number;
  readonly maxRangeKm: number;
  /** Azimuth sectors the sensor covers (empty: all azimuths). */
  readonly azimuthSectors: readonly AzimuthSector[];
  /** Field of regard (absent: the whole sky within the other limits). */
  readonly fieldOfRegard?: FieldOfRegard;
  /** The measurement kinds it produces. */
  readonly measurements: readonly MeasurementKind[];
  readonly noise: SensorNoise;
  readonly bias: SensorBias;
  /** Lighting constraints (optical sensors only). */
  readonly lighting?: LightingConstraints;
  /** Laser wavelength, nm (laser sensors, for the Mendes–Pavlis troposphere). */
  readonly wavelengthNm?: number;
  /** Where the numbers come from (citation; "assumed" for assumed values). */
  readonly source?: string;
}

/** Default darkness threshold: nautical twilight ends at a Sun elevation of −12°. */
export const DEFAULT_MAX_SUN_ELEVATION_RAD = (-12 * Math.PI) / 180;

/** Days per Julian year (plate-motion velocities are per Julian year, as in SINEX). */
const DAYS_PER_JULIAN_YEAR = 365.25;

/**
 * Writes into `out` the rotation from ITRF to local east-north-up at geodetic latitude/longitude
 * (row-major 3×3: rows are the E, N, U unit vectors in ITRF).
 */
export function enuRotation(latRad: number, lonRad: number, out: number[] = new Array(9).fill(0)): number[] {
  const sl = Math.sin(latRad);
  const cl = Math.cos(latRad);
  const so = Math.sin(lonRad);
  const co = Math.cos(lonRad);
  out[0] = -so;
  out[1] = co;
  out[2] = 0;
  out[3] = -sl * co;
  out[4] = -sl * so;
  out[5] = cl;
  out[6] = cl * co;
  out[7] = cl * so;
  out[8] = sl;
  return out;
}

/**
 * The rotation from an inertial frame to local east-north-up, E·Rᵀ (row-major 3×3), with E the
 * `enuRotation` at geodetic latitude/longitude and R the ITRF → inertial rotation (row-major).
 */
export function enuFromInertial<T extends number[] | Float64Array>(
  latRad: number,
  lonRad: number,
  itrfToInertial: ArrayLike<number>,
  out: T,
): T {
  const e = enuRotation(latRad, lonRad);
  const m = itrfToInertial;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out[3 * i + j] = e[3 * i]! * m[3 * j]! + e[3 * i + 1]! * m[3 * j + 1]! + e[3 * i + 2]! * m[3 * j + 2]!;
    }
  }
  return out;
}

/** Geodetic latitude and longitude of a station's reference point, rad. */
export function stationLatLon(station: GroundStation): [number, number] {
  const g = itrfToGeodeticArray(station.itrfKm, [0, 0, 0]);
  return [g[0], g[1]];
}

/**
 * ITRF position of the station's instrument at `t`, km: reference point + plate velocity ×
 * (t − referenceEpoch) + eccentricity (up, north, east) in the local frame.
 */
export function stationItrfAt(station: GroundStation, t: Instant, out: Vec3 = [0, 0, 0]): Vec3 {
  const p = station.itrfKm;
  out[0] = p[0];
  out[1] = p[1];
  out[2] = p[2];
  if (station.velocityKmPerYear !== undefined && station.referenceEpoch !== undefined) {
    const years = t.secondsSince(station.referenceEpoch) / (86400 * DAYS_PER_JULIAN_YEAR);
    const v = station.velocityKmPerYear;
    out[0] += v[0] * years;
    out[1] += v[1] * years;
    out[2] += v[2] * years;
  }
  const ecc = station.eccentricityUneKm;
  if (ecc !== undefined && (ecc[0] !== 0 || ecc[1] !== 0 || ecc[2] !== 0)) {
    const [lat, lon] = stationLatLon(station);
    const m = enuRotation(lat, lon);
    const [u, n, e] = ecc;
    // ITRF = Mᵀ·(e, n, u).
    out[0] += m[0]! * e + m[3]! * n + m[6]! * u;
    out[1] += m[1]! * e + m[4]! * n + m[7]! * u;
    out[2] += m[2]! * e + m[5]! * n + m[8]! * u;
  }
  return out;
}

/** Azimuth normalised to [0, 2π). */
export function normalizeAzimuth(az: number): number {
  const a = az % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}

/** True when azimuth `azRad` lies in the sector (clockwise from `from` to `to`, inclusive). */
export function inAzimuthSector(azRad: number, sector: AzimuthSector): boolean {
  const width = normalizeAzimuth(sector.toRad - sector.fromRad);
  const off = normalizeAzimuth(azRad - sector.fromRad);
  // A sector from x to x is the full circle.
  return width === 0 ? true : off <= width;
}

/** Angle between two directions given as (azimuth, elevation), rad. */
export function angleBetweenAzEl(az1: number, el1: number, az2: number, el2: number): number {
  const c = Math.sin(el1) * Math.sin(el2) + Math.cos(el1) * Math.cos(el2) * Math.cos(az1 - az2);
  return Math.acos(Math.max(-1, Math.min(1, c)));
}

/** True when (az, el, range) satisfies the sensor's geometric limits (not lighting). */
export function withinGeometricLimits(
  sensor: Sensor,
  azRad: number,
  elRad: number,
  rangeKm: number,
): boolean {
  if (elRad < sensor.minElevationRad || elRad > sensor.maxElevationRad) return false;
  if (rangeKm < sensor.minRangeKm || rangeKm > sensor.maxRangeKm) return false;
  if (sensor.azimuthSectors.length > 0 && !sensor.azimuthSectors.some((s) => inAzimuthSector(azRad, s))) {
    return false;
  }
  const f = sensor.fieldOfRegard;
  if (f !== undefined) {
    if (angleBetweenAzEl(azRad, elRad, f.centerAzimuthRad, f.centerElevationRad) > f.halfAngleRad)
      return false;
  }
  return true;
}

/** The measurement kinds a sensor of each type produces when its file does not list them. */
export const DEFAULT_MEASUREMENTS: Readonly<Record<SensorType, readonly MeasurementKind[]>> = {
  radar: ['range', 'range-rate', 'azimuth-elevation'],
  optical: ['right-ascension-declination'],
  laser: ['range'],
};
