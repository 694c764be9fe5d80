/**
 * SGP4 gravity constants: Vallado's `getgravconst` (SGP4.cpp, 2020-03-12 revision as vendored in
 * python-sgp4 `extension/SGP4.cpp`), after Hoots & Roehrich, Spacetrack Report #3 (1980) and
 * Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753.
 *
 * Units are Vallado's: km, km³/s², "time units" per minute (xke), dimensionless zonals.
 */

/** Which constant set SGP4 uses. WGS-72 is the one the TLE catalog is fitted with. */
export type Sgp4Gravity = 'wgs72old' | 'wgs72' | 'wgs84';

/** The outputs of Vallado's `getgravconst`, field names kept. */
export interface Sgp4GravConst {
  /** Minutes in one canonical time unit (1 / xke). */
  readonly tumin: number;
  /** Earth gravitational parameter, km³/s². */
  readonly mus: number;
  /** Earth equatorial radius, km. */
  readonly radiusearthkm: number;
  /** Reciprocal of tumin, 1/min in canonical units: sqrt(mu / R³) × 60. */
  readonly xke: number;
  readonly j2: number;
  readonly j3: number;
  readonly j4: number;
  readonly j3oj2: number;
}

function wgs72old(): Sgp4GravConst {
  // -- wgs-72 low precision str#3 constants --
  const mus = 398600.79964; // in km3 / s2
  const radiusearthkm = 6378.135; // km
  const xke = 0.0743669161; // reciprocal of tumin
  const j2 = 0.001082616;
  const j3 = -0.00000253881;
  const j4 = -0.00000165597;
  return { tumin: 1.0 / xke, mus, radiusearthkm, xke, j2, j3, j4, j3oj2: j3 / j2 };
}

function wgs72(): Sgp4GravConst {
  // ------------ wgs-72 constants ------------
  const mus = 398600.8; // in km3 / s2
  const radiusearthkm = 6378.135; // km
  const xke = 60.0 / Math.sqrt((radiusearthkm * radiusearthkm * radiusearthkm) / mus);
  const j2 = 0.001082616;
  const j3 = -0.00000253881;
  const j4 = -0.00000165597;
  return { tumin: 1.0 / xke, mus, radiusearthkm, xke, j2, j3, j4, j3oj2: j3 / j2 };
}

function wgs84(): Sgp4GravConst {
  // ------------ wgs-84 constants ------------
  const mus = 398600.5; // in km3 / s2
  const radiusearthkm = 6378.137; // km
  const xke = 60.0 / Math.sqrt((radiusearthkm * radiusearthkm * radiusearthkm) / mus);
  const j2 = 0.00108262998905;
  const j3 = -0.00000253215306;
  const j4 = -0.00000161098761;
  return { tumin: 1.0 / xke, mus, radiusearthkm, xke, j2, j3, j4, j3oj2: j3 / j2 };
}

/** The three constant sets, computed once exactly as `getgravconst` computes them. */
export const SGP4_GRAVITY: Readonly<Record<Sgp4Gravity, Sgp4GravConst>> = Object.freeze({
  wgs72old: Object.freeze(wgs72old()),
  wgs72: Object.freeze(wgs72()),
  wgs84: Object.freeze(wgs84()),
});

/**
 * Vallado's `getgravconst`. Deviation: returns a record instead of eight reference outputs, and an
 * unknown name cannot occur (it is a closed union), so there is no "unknown gravity option" branch.
 */
export function getgravconst(whichconst: Sgp4Gravity): Sgp4GravConst {
  return SGP4_GRAVITY[whichconst];
}
