/**
 * The SGP4 satellite record: Vallado's `elsetrec` (SGP4.h, 2020-03-12 revision as vendored in
 * python-sgp4), field names kept so the kernel stays diffable with SGP4.cpp.
 *
 * Deviations from `elsetrec`, all for a monomorphic, numbers-only hot-loop object:
 * - every field is a number, initialised in the class body (so every record has one hidden class);
 * - the char flags `method`, `operationmode` and `init` are numbers (constants below);
 * - the TLE bookkeeping strings (satnum, classification, intldesg) and the unused
 *   epochyr/epochdays/revnum/elnum/ephtype/rcs/dia fields are left out: they live in the ElementSet.
 *
 * Units are Vallado's canonical ones: distances in earth radii, time in minutes, angles in radians.
 */

/** `satrec.method == 'n'`: near-earth SGP4. */
export const METHOD_NEAR_EARTH = 0;
/** `satrec.method == 'd'`: deep-space SDP4 (period >= 225 min). */
export const METHOD_DEEP_SPACE = 1;
/** `opsmode == 'a'`: AFSPC compatibility mode. */
export const OPSMODE_AFSPC = 0;
/** `opsmode == 'i'`: improved mode (the one tcppver.out and satellite.js use). */
export const OPSMODE_IMPROVED = 1;
/** `satrec.init == 'n'`. */
export const INIT_NO = 0;
/** `satrec.init == 'y'` (only true inside sgp4init). */
export const INIT_YES = 1;

export class Satrec {
  // ---------------- identification and epoch ----------------
  /** Epoch, UTC Julian date, whole part (a midnight). */
  jdsatepoch = 0;
  /** Epoch, UTC Julian date, day fraction. */
  jdsatepochF = 0;

  // ---------------- status ----------------
  /** Error code of the last sgp4() call (see SGP4_ERRORS). */
  error = 0;
  /** OPSMODE_AFSPC or OPSMODE_IMPROVED. */
  operationmode = OPSMODE_IMPROVED;
  /** INIT_YES while sgp4init runs, INIT_NO after. */
  init = INIT_NO;
  /** METHOD_NEAR_EARTH or METHOD_DEEP_SPACE. */
  method = METHOD_NEAR_EARTH;

  // ---------------- mean elements at epoch (sgp4init inputs) ----------------
  /** Semi-major axis from the un-Kozai'd mean motion, earth radii. */
  a = 0;
  /** Apogee and perigee heights, earth radii above the surface. */
  altp = 0;
  alta = 0;
  /** nddot and ndot in rad/min³ and rad/min² (carried, unused by SGP4). */
  nddot = 0;
  ndot = 0;
  /** B* drag term, 1/earth radii. */
  bstar = 0;
  inclo = 0;
  nodeo = 0;
  ecco = 0;
  argpo = 0;
  mo = 0;
  /** Kozai mean motion, rad/min (the TLE value). */
  no_kozai = 0;
  /** Brouwer (un-Kozai'd) mean motion, rad/min. */
  no_unkozai = 0;

  // ---------------- singly averaged mean elements of the last call ----------------
  am = 0;
  em = 0;
  im = 0;
  Om = 0;
  om = 0;
  mm = 0;
  nm = 0;
  /** tsince of the last call, minutes. */
  t = 0;

  // ---------------- gravity constants (getgravconst) ----------------
  tumin = 0;
  mus = 0;
  radiusearthkm = 0;
  xke = 0;
  j2 = 0;
  j3 = 0;
  j4 = 0;
  j3oj2 = 0;

  // ---------------- near-earth variables ----------------
  isimp = 0;
  aycof = 0;
  con41 = 0;
  cc1 = 0;
  cc4 = 0;
  cc5 = 0;
  d2 = 0;
  d3 = 0;
  d4 = 0;
  delmo = 0;
  eta = 0;
  argpdot = 0;
  omgcof = 0;
  sinmao = 0;
  t2cof = 0;
  t3cof = 0;
  t4cof = 0;
  t5cof = 0;
  x1mth2 = 0;
  x7thm1 = 0;
  mdot = 0;
  nodedot = 0;
  xlcof = 0;
  xmcof = 0;
  nodecf = 0;

  // ---------------- deep-space variables ----------------
  irez = 0;
  d2201 = 0;
  d2211 = 0;
  d3210 = 0;
  d3222 = 0;
  d4410 = 0;
  d4422 = 0;
  d5220 = 0;
  d5232 = 0;
  d5421 = 0;
  d5433 = 0;
  dedt = 0;
  del1 = 0;
  del2 = 0;
  del3 = 0;
  didt = 0;
  dmdt = 0;
  dnodt = 0;
  domdt = 0;
  e3 = 0;
  ee2 = 0;
  peo = 0;
  pgho = 0;
  pho = 0;
  pinco = 0;
  plo = 0;
  se2 = 0;
  se3 = 0;
  sgh2 = 0;
  sgh3 = 0;
  sgh4 = 0;
  sh2 = 0;
  sh3 = 0;
  si2 = 0;
  si3 = 0;
  sl2 = 0;
  sl3 = 0;
  sl4 = 0;
  /** Greenwich sidereal time at epoch, rad. */
  gsto = 0;
  xfact = 0;
  xgh2 = 0;
  xgh3 = 0;
  xgh4 = 0;
  xh2 = 0;
  xh3 = 0;
  xi2 = 0;
  xi3 = 0;
  xl2 = 0;
  xl3 = 0;
  xl4 = 0;
  xlamo = 0;
  zmol = 0;
  zmos = 0;
  /** Resonance integrator state (mutated by every deep-space resonant call). */
  atime = 0;
  xli = 0;
  xni = 0;
}
