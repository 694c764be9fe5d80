/**
 * Known orbits for the IOD tests (LEO, MEO, GEO, Molniya) as osculating elements about WGS-84 GM,
 * and station positions: a fixed site on a rotating sphere-like Earth model is enough here because
 * observations are synthesised and inverted with the same station positions (light time ignored).
 */
import { WGS84_A_KM, WGS84_GM_KM3_S2 } from '../src/bodies/earth.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { KeplerianElements } from '../src/numerical/kepler.js';

export const MU = WGS84_GM_KM3_S2;
const D = Math.PI / 180;

export interface KnownOrbit {
  readonly name: string;
  readonly elements: KeplerianElements;
}

export const KNOWN_ORBITS: readonly KnownOrbit[] = [
  {
    name: 'LEO',
    elements: {
      aKm: 6878,
      e: 0.001,
      iRad: 51.6 * D,
      raanRad: 40 * D,
      argPerigeeRad: 30 * D,
      trueAnomalyRad: 0,
      meanAnomalyRad: 10 * D,
    },
  },
  {
    name: 'MEO',
    elements: {
      aKm: 26560,
      e: 0.01,
      iRad: 55 * D,
      raanRad: 120 * D,
      argPerigeeRad: 200 * D,
      trueAnomalyRad: 0,
      meanAnomalyRad: 300 * D,
    },
  },
  {
    name: 'GEO',
    elements: {
      aKm: 42164,
      e: 0.0002,
      iRad: 0.05 * D,
      raanRad: 80 * D,
      argPerigeeRad: 10 * D,
      trueAnomalyRad: 0,
      meanAnomalyRad: 100 * D,
    },
  },
  {
    name: 'Molniya',
    elements: {
      aKm: 26600,
      e: 0.74,
      iRad: 63.4 * D,
      raanRad: 300 * D,
      argPerigeeRad: 270 * D,
      trueAnomalyRad: 0,
      meanAnomalyRad: 200 * D,
    },
  },
];

/** Earth rotation rate used to move the station, rad/s. */
const OMEGA = 7.292115e-5;

/** Inertial position of a station at geocentric latitude/longitude (rad), t seconds after t0, km. */
export function stationAt(latRad: number, lonRad: number, tS: number, altKm = 0): Vec3 {
  const r = WGS84_A_KM + altKm;
  const lon = lonRad + OMEGA * tS;
  return [r * Math.cos(latRad) * Math.cos(lon), r * Math.cos(latRad) * Math.sin(lon), r * Math.sin(latRad)];
}
