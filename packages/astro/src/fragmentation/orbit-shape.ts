/**
 * Orbit shape from a mean element set, as the fragmentation tools use it: semi-major axis (SGP4's
 * un-Kozai'd mean motion, WGS-72, Hoots & Roehrich 1980 eq. for a0''), period, perigee and apogee
 * heights above the WGS-72 equatorial radius (the Gabbard convention), and the secular J2 rates of
 * the node and perigee (Vallado, Fundamentals of Astrodynamics, 4th ed., eqs. 9-41 and 9-39) used to
 * carry planes to a common epoch.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';

/** WGS-72 μ (the constants element sets are fitted with), km³/s². */
export const SGP4_MU_KM3_S2 = 398600.8;
/** WGS-72 equatorial radius, km. */
export const SGP4_RE_KM = 6378.135;
/** WGS-72 J2. */
const J2 = 0.001082616;

/** Shape and plane of one element set. */
export interface OrbitShape {
  /** Semi-major axis, km. */
  readonly aKm: number;
  readonly eccentricity: number;
  /** Period, minutes (2π / un-Kozai'd mean motion). */
  readonly periodMin: number;
  /** Perigee and apogee heights above the equatorial radius, km. */
  readonly perigeeKm: number;
  readonly apogeeKm: number;
  readonly inclinationRad: number;
  readonly raanRad: number;
  /** Secular J2 node and perigee rates, rad/day. */
  readonly raanRateRadPerDay: number;
  readonly argPerigeeRateRadPerDay: number;
}

/** SGP4's recovered (un-Kozai'd) mean motion, rad/min, of an element set. */
function brouwerMeanMotion(e: ElementSet): number {
  const xke = 60 / Math.sqrt((SGP4_RE_KM * SGP4_RE_KM * SGP4_RE_KM) / SGP4_MU_KM3_S2);
  const k2 = 0.5 * J2;
  const a1 = (xke / e.meanMotionRadPerMin) ** (2 / 3);
  const cosi = Math.cos(e.inclinationRad);
  const beta0 = Math.sqrt(1 - e.eccentricity * e.eccentricity);
  const d1 = (1.5 * k2 * (3 * cosi * cosi - 1)) / (beta0 * beta0 * beta0);
  const del1 = d1 / (a1 * a1);
  const a0 = a1 * (1 - del1 * (1 / 3 + del1 * (1 + (134 / 81) * del1)));
  const del0 = d1 / (a0 * a0);
  return e.meanMotionRadPerMin / (1 + del0);
}

/** The shape, plane and J2 rates of an element set (see the module header). */
export function orbitShape(e: ElementSet): OrbitShape {
  const xke = 60 / Math.sqrt((SGP4_RE_KM * SGP4_RE_KM * SGP4_RE_KM) / SGP4_MU_KM3_S2);
  const n0 = brouwerMeanMotion(e);
  const aKm = (xke / n0) ** (2 / 3) * SGP4_RE_KM;
  const ecc = e.eccentricity;
  const p = aKm * (1 - ecc * ecc);
  const nRadPerDay = n0 * 1440;
  const factor = 1.5 * J2 * (SGP4_RE_KM / p) ** 2 * nRadPerDay;
  const cosi = Math.cos(e.inclinationRad);
  return {
    aKm,
    eccentricity: ecc,
    periodMin: (2 * Math.PI) / n0,
    perigeeKm: aKm * (1 - ecc) - SGP4_RE_KM,
    apogeeKm: aKm * (1 + ecc) - SGP4_RE_KM,
    inclinationRad: e.inclinationRad,
    raanRad: e.raanRad,
    raanRateRadPerDay: -factor * cosi,
    argPerigeeRateRadPerDay: 0.5 * factor * (5 * cosi * cosi - 1),
  };
}

/** Days from a to b (UTC labels). */
export function daysBetween(a: UtcJulianDate, b: UtcJulianDate): number {
  return b.jd - a.jd + (b.jdFrac - a.jdFrac);
}

/** The node of `e` carried to `to` with its secular J2 rate, rad in [0, 2π). */
export function raanAt(e: ElementSet, shape: OrbitShape, to: UtcJulianDate): number {
  const r = e.raanRad + shape.raanRateRadPerDay * daysBetween(e.epoch, to);
  const t = r % (2 * Math.PI);
  return t < 0 ? t + 2 * Math.PI : t;
}

/** Angle between two orbit planes given by inclination and node, rad. */
export function planeAngle(i1: number, raan1: number, i2: number, raan2: number): number {
  const c = Math.cos(i1) * Math.cos(i2) + Math.sin(i1) * Math.sin(i2) * Math.cos(raan1 - raan2);
  return Math.acos(Math.min(1, Math.max(-1, c)));
}

/** Wraps an angle difference into (−π, π] (math/angle.ts). */
export { wrapPi } from '../math/angle.js';
