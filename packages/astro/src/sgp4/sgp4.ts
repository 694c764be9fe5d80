/**
 * The SGP4/SDP4 kernel: `gstime`, `initl`, `sgp4init` and `sgp4`, ported procedure by procedure
 * from Vallado's SGP4.cpp (2020-03-12 revision, as vendored in python-sgp4 `extension/SGP4.cpp`).
 * References: Hoots & Roehrich, Spacetrack Report #3 (1980); Hoots, Spacetrack Report #6 (1986);
 * Hoots, Schumacher & Glover (2004); Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack
 * Report #3", AIAA 2006-6753. Deep-space procedures are in deep-space.ts.
 *
 * Output frame TEME (true equator, mean equinox of date), r in km and v in km/s; tsince in minutes
 * from the element epoch. Vallado's comments ("sgp4fix ...") are kept. Deviations from the C++,
 * each also marked where it occurs:
 * - `sgp4` returns the error code (Vallado: bool + satrec.error) and writes r, v into one
 *   caller-provided Float64Array(6); on any error all six entries are NaN (Vallado leaves them
 *   untouched, or for code 6 holds the sub-surface state).
 * - The error tests are written NaN-safe (`!(nm > 0)` for `nm <= 0`, ...): identical for every
 *   number, but a NaN reaching a test now yields an error code instead of a silent NaN state.
 * - `sgp4init` takes no satellite number (it only copied it into the record) and returns nothing
 *   (Vallado always returns true); the init result is `satrec.error`.
 */
import { DscomVars, dpper, dscom, dsinit, dspace, MeanElementsIo, PeriodicsIo } from './deep-space.js';
import { SGP4_ERROR_CODE, type Sgp4ErrorCode } from './errors.js';
import { getgravconst, type Sgp4Gravity } from './gravity.js';
import { INIT_NO, INIT_YES, METHOD_DEEP_SPACE, METHOD_NEAR_EARTH, type Satrec } from './satrec.js';

const pi = Math.PI;
const twopi = 2.0 * pi;
const x2o3 = 2.0 / 3.0;
/** sgp4fix divisor for divide by zero check on inclination (1.5e-12, see sgp4init). */
const temp4 = 1.5e-12;

/** Julian date of Vallado's SGP4 epoch origin, 1949-12-31 00:00 UT: `epoch = jd - 2433281.5`. */
export const SGP4_EPOCH_ORIGIN_JD = 2433281.5;

// Scratch in/out records for the deep-space calls: one set per module, so sgp4() never allocates.
// JavaScript runs these calls to completion, so sharing them cannot interleave.
const meanIo = new MeanElementsIo();
const perIo = new PeriodicsIo();
const initRv = new Float64Array(6);

/**
 * function gstime_SGP4: Greenwich mean sidereal time (IAU 1982 GMST, Vallado 2013 eq 3-45), rad in
 * [0, 2π), from a UT1 Julian date given as one double (as SGP4 uses it).
 */
export function gstimeSgp4(jdut1: number): number {
  const deg2rad = pi / 180.0;
  const tut1 = (jdut1 - 2451545.0) / 36525.0;
  let temp =
    -6.2e-6 * tut1 * tut1 * tut1 +
    0.093104 * tut1 * tut1 +
    (876600.0 * 3600 + 8640184.812866) * tut1 +
    67310.54841; // sec
  temp = ((temp * deg2rad) / 240.0) % twopi; //360/86400 = 1/240, to deg, to rad

  // ------------------------ check quadrants ---------------------
  if (temp < 0.0) temp += twopi;

  return temp;
}

/** Outputs of `initl` (Vallado returns them through references). */
export interface InitlOutputs {
  readonly method: number;
  readonly ainv: number;
  readonly ao: number;
  readonly con41: number;
  readonly con42: number;
  readonly cosio: number;
  readonly cosio2: number;
  readonly eccsq: number;
  readonly omeosq: number;
  readonly posq: number;
  readonly rp: number;
  readonly rteosq: number;
  readonly sinio: number;
  readonly gsto: number;
  readonly no_unkozai: number;
}

/**
 * procedure initl: initialises the SGP4 propagator (un-Kozai the mean motion, auxiliary epoch
 * quantities, sidereal time at epoch). `epoch` is days since 1949-12-31 00:00 UT.
 */
export function initl(
  xke: number,
  j2: number,
  ecco: number,
  epoch: number,
  inclo: number,
  no_kozai: number,
  _opsmode: number,
): InitlOutputs {
  /* ------------- calculate auxillary epoch quantities ---------- */
  const eccsq = ecco * ecco;
  const omeosq = 1.0 - eccsq;
  const rteosq = Math.sqrt(omeosq);
  const cosio = Math.cos(inclo);
  const cosio2 = cosio * cosio;

  /* ------------------ un-kozai the mean motion ----------------- */
  const ak = (xke / no_kozai) ** x2o3;
  const d1 = (0.75 * j2 * (3.0 * cosio2 - 1.0)) / (rteosq * omeosq);
  let del = d1 / (ak * ak);
  const adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + (134.0 * del * del) / 81.0));
  del = d1 / (adel * adel);
  const no_unkozai = no_kozai / (1.0 + del);

  const ao = (xke / no_unkozai) ** x2o3;
  const sinio = Math.sin(inclo);
  const po = ao * omeosq;
  const con42 = 1.0 - 5.0 * cosio2;
  const con41 = -con42 - cosio2 - cosio2;
  const ainv = 1.0 / ao;
  const posq = po * po;
  const rp = ao * (1.0 - ecco);
  const method = METHOD_NEAR_EARTH;

  // sgp4fix modern approach to finding sidereal time
  // Vallado also computes the 1970-based "old way" gsto1 (thgr70, fk5r ...) here and never uses it;
  // that dead code is not ported. Both opsmodes use gstime:
  const gsto = gstimeSgp4(epoch + 2433281.5);

  return {
    method,
    ainv,
    ao,
    con41,
    con42,
    cosio,
    cosio2,
    eccsq,
    omeosq,
    posq,
    rp,
    rteosq,
    sinio,
    gsto,
    no_unkozai,
  };
}

/**
 * procedure sgp4init: initialises `satrec` for SGP4 from mean elements and runs sgp4 at tsince 0.
 * The error code of that first call is left in `satrec.error` (Vallado: "satrec.error contains any
 * error codes").
 *
 * @param whichconst gravity constant set
 * @param opsmode OPSMODE_AFSPC or OPSMODE_IMPROVED
 * @param epoch epoch, days since 1949-12-31 00:00 UT (jd - 2433281.5)
 * @param xbstar B*, 1/earth radii
 * @param xndot, xnddot mean motion derivatives, rad/min², rad/min³ (stored, unused)
 * @param xecco eccentricity; xargpo, xinclo, xmo, xnodeo in rad; xno_kozai in rad/min
 */
export function sgp4init(
  whichconst: Sgp4Gravity,
  opsmode: number,
  epoch: number,
  xbstar: number,
  xndot: number,
  xnddot: number,
  xecco: number,
  xargpo: number,
  xinclo: number,
  xmo: number,
  xno_kozai: number,
  xnodeo: number,
  satrec: Satrec,
): void {
  /* ----------- set all near earth variables to zero ------------ */
  satrec.isimp = 0;
  satrec.method = METHOD_NEAR_EARTH;
  satrec.aycof = 0.0;
  satrec.con41 = 0.0;
  satrec.cc1 = 0.0;
  satrec.cc4 = 0.0;
  satrec.cc5 = 0.0;
  satrec.d2 = 0.0;
  satrec.d3 = 0.0;
  satrec.d4 = 0.0;
  satrec.delmo = 0.0;
  satrec.eta = 0.0;
  satrec.argpdot = 0.0;
  satrec.omgcof = 0.0;
  satrec.sinmao = 0.0;
  satrec.t = 0.0;
  satrec.t2cof = 0.0;
  satrec.t3cof = 0.0;
  satrec.t4cof = 0.0;
  satrec.t5cof = 0.0;
  satrec.x1mth2 = 0.0;
  satrec.x7thm1 = 0.0;
  satrec.mdot = 0.0;
  satrec.nodedot = 0.0;
  satrec.xlcof = 0.0;
  satrec.xmcof = 0.0;
  satrec.nodecf = 0.0;

  /* ----------- set all deep space variables to zero ------------ */
  satrec.irez = 0;
  satrec.d2201 = 0.0;
  satrec.d2211 = 0.0;
  satrec.d3210 = 0.0;
  satrec.d3222 = 0.0;
  satrec.d4410 = 0.0;
  satrec.d4422 = 0.0;
  satrec.d5220 = 0.0;
  satrec.d5232 = 0.0;
  satrec.d5421 = 0.0;
  satrec.d5433 = 0.0;
  satrec.dedt = 0.0;
  satrec.del1 = 0.0;
  satrec.del2 = 0.0;
  satrec.del3 = 0.0;
  satrec.didt = 0.0;
  satrec.dmdt = 0.0;
  satrec.dnodt = 0.0;
  satrec.domdt = 0.0;
  satrec.e3 = 0.0;
  satrec.ee2 = 0.0;
  satrec.peo = 0.0;
  satrec.pgho = 0.0;
  satrec.pho = 0.0;
  satrec.pinco = 0.0;
  satrec.plo = 0.0;
  satrec.se2 = 0.0;
  satrec.se3 = 0.0;
  satrec.sgh2 = 0.0;
  satrec.sgh3 = 0.0;
  satrec.sgh4 = 0.0;
  satrec.sh2 = 0.0;
  satrec.sh3 = 0.0;
  satrec.si2 = 0.0;
  satrec.si3 = 0.0;
  satrec.sl2 = 0.0;
  satrec.sl3 = 0.0;
  satrec.sl4 = 0.0;
  satrec.gsto = 0.0;
  satrec.xfact = 0.0;
  satrec.xgh2 = 0.0;
  satrec.xgh3 = 0.0;
  satrec.xgh4 = 0.0;
  satrec.xh2 = 0.0;
  satrec.xh3 = 0.0;
  satrec.xi2 = 0.0;
  satrec.xi3 = 0.0;
  satrec.xl2 = 0.0;
  satrec.xl3 = 0.0;
  satrec.xl4 = 0.0;
  satrec.xlamo = 0.0;
  satrec.zmol = 0.0;
  satrec.zmos = 0.0;
  satrec.atime = 0.0;
  satrec.xli = 0.0;
  satrec.xni = 0.0;

  /* ------------------------ earth constants ----------------------- */
  // sgp4fix identify constants and allow alternate values
  // this is now the only call for the constants
  const g = getgravconst(whichconst);
  satrec.tumin = g.tumin;
  satrec.mus = g.mus;
  satrec.radiusearthkm = g.radiusearthkm;
  satrec.xke = g.xke;
  satrec.j2 = g.j2;
  satrec.j3 = g.j3;
  satrec.j4 = g.j4;
  satrec.j3oj2 = g.j3oj2;

  //-------------------------------------------------------------------------

  satrec.error = 0;
  satrec.operationmode = opsmode;

  // sgp4fix - note the following variables are also passed directly via satrec.
  satrec.bstar = xbstar;
  // sgp4fix allow additional parameters in the struct
  satrec.ndot = xndot;
  satrec.nddot = xnddot;
  satrec.ecco = xecco;
  satrec.argpo = xargpo;
  satrec.inclo = xinclo;
  satrec.mo = xmo;
  // sgp4fix rename variables to clarify which mean motion is intended
  satrec.no_kozai = xno_kozai;
  satrec.nodeo = xnodeo;

  // single averaged mean elements
  satrec.am = 0.0;
  satrec.em = 0.0;
  satrec.im = 0.0;
  satrec.Om = 0.0;
  satrec.mm = 0.0;
  satrec.nm = 0.0;

  /* ------------------------ earth constants ----------------------- */
  const ss = 78.0 / satrec.radiusearthkm + 1.0;
  // sgp4fix use multiply for speed instead of pow
  const qzms2ttemp = (120.0 - 78.0) / satrec.radiusearthkm;
  const qzms2t = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp;

  satrec.init = INIT_YES;
  satrec.t = 0.0;

  // sgp4fix remove satn as it is not needed in initl
  const il = initl(
    satrec.xke,
    satrec.j2,
    satrec.ecco,
    epoch,
    satrec.inclo,
    satrec.no_kozai,
    satrec.operationmode,
  );
  satrec.method = il.method;
  const { ao, con42, cosio, cosio2, eccsq, omeosq, posq, rp, rteosq, sinio } = il;
  satrec.con41 = il.con41;
  satrec.gsto = il.gsto;
  satrec.no_unkozai = il.no_unkozai;
  satrec.a = (satrec.no_unkozai * satrec.tumin) ** (-2.0 / 3.0);
  satrec.alta = satrec.a * (1.0 + satrec.ecco) - 1.0;
  satrec.altp = satrec.a * (1.0 - satrec.ecco) - 1.0;
  satrec.error = 0;

  // sgp4fix remove this check as it is unnecessary
  // the mrt check in sgp4 handles decaying satellite cases even if the starting
  // condition is below the surface of te earth
  //     if (rp < 1.0)
  //       {
  //         printf("# *** satn%d epoch elts sub-orbital ***\n", satn);
  //         satrec.error = 5;
  //       }

  if (omeosq >= 0.0 || satrec.no_unkozai >= 0.0) {
    satrec.isimp = 0;
    if (rp < 220.0 / satrec.radiusearthkm + 1.0) satrec.isimp = 1;
    let sfour = ss;
    let qzms24 = qzms2t;
    const perige = (rp - 1.0) * satrec.radiusearthkm;

    /* - for perigees below 156 km, s and qoms2t are altered - */
    if (perige < 156.0) {
      sfour = perige - 78.0;
      if (perige < 98.0) sfour = 20.0;
      // sgp4fix use multiply for speed instead of pow
      const qzms24temp = (120.0 - sfour) / satrec.radiusearthkm;
      qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp;
      sfour = sfour / satrec.radiusearthkm + 1.0;
    }
    const pinvsq = 1.0 / posq;

    const tsi = 1.0 / (ao - sfour);
    satrec.eta = ao * satrec.ecco * tsi;
    const etasq = satrec.eta * satrec.eta;
    const eeta = satrec.ecco * satrec.eta;
    const psisq = Math.abs(1.0 - etasq);
    const coef = qzms24 * tsi ** 4.0;
    const coef1 = coef / psisq ** 3.5;
    const cc2 =
      coef1 *
      satrec.no_unkozai *
      (ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq)) +
        ((0.375 * satrec.j2 * tsi) / psisq) * satrec.con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)));
    satrec.cc1 = satrec.bstar * cc2;
    let cc3 = 0.0;
    if (satrec.ecco > 1.0e-4)
      cc3 = (-2.0 * coef * tsi * satrec.j3oj2 * satrec.no_unkozai * sinio) / satrec.ecco;
    satrec.x1mth2 = 1.0 - cosio2;
    satrec.cc4 =
      2.0 *
      satrec.no_unkozai *
      coef1 *
      ao *
      omeosq *
      (satrec.eta * (2.0 + 0.5 * etasq) +
        satrec.ecco * (0.5 + 2.0 * etasq) -
        ((satrec.j2 * tsi) / (ao * psisq)) *
          (-3.0 * satrec.con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta)) +
            0.75 * satrec.x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) * Math.cos(2.0 * satrec.argpo)));
    satrec.cc5 = 2.0 * coef1 * ao * omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);
    const cosio4 = cosio2 * cosio2;
    const temp1 = 1.5 * satrec.j2 * pinvsq * satrec.no_unkozai;
    const temp2 = 0.5 * temp1 * satrec.j2 * pinvsq;
    const temp3 = -0.46875 * satrec.j4 * pinvsq * pinvsq * satrec.no_unkozai;
    satrec.mdot =
      satrec.no_unkozai +
      0.5 * temp1 * rteosq * satrec.con41 +
      0.0625 * temp2 * rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4);
    satrec.argpdot =
      -0.5 * temp1 * con42 +
      0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4) +
      temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4);
    const xhdot1 = -temp1 * cosio;
    satrec.nodedot =
      xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * cosio2) + 2.0 * temp3 * (3.0 - 7.0 * cosio2)) * cosio;
    const xpidot = satrec.argpdot + satrec.nodedot;
    satrec.omgcof = satrec.bstar * cc3 * Math.cos(satrec.argpo);
    satrec.xmcof = 0.0;
    if (satrec.ecco > 1.0e-4) satrec.xmcof = (-x2o3 * coef * satrec.bstar) / eeta;
    satrec.nodecf = 3.5 * omeosq * xhdot1 * satrec.cc1;
    satrec.t2cof = 1.5 * satrec.cc1;
    // sgp4fix for divide by zero with xinco = 180 deg
    if (Math.abs(cosio + 1.0) > 1.5e-12)
      satrec.xlcof = (-0.25 * satrec.j3oj2 * sinio * (3.0 + 5.0 * cosio)) / (1.0 + cosio);
    else satrec.xlcof = (-0.25 * satrec.j3oj2 * sinio * (3.0 + 5.0 * cosio)) / temp4;
    satrec.aycof = -0.5 * satrec.j3oj2 * sinio;
    // sgp4fix use multiply for speed instead of pow
    const delmotemp = 1.0 + satrec.eta * Math.cos(satrec.mo);
    satrec.delmo = delmotemp * delmotemp * delmotemp;
    satrec.sinmao = Math.sin(satrec.mo);
    satrec.x7thm1 = 7.0 * cosio2 - 1.0;

    /* --------------- deep space initialization ------------- */
    if ((2 * pi) / satrec.no_unkozai >= 225.0) {
      satrec.method = METHOD_DEEP_SPACE;
      satrec.isimp = 1;
      const tc = 0.0;
      const inclm = satrec.inclo;

      const c = new DscomVars();
      dscom(epoch, satrec.ecco, satrec.argpo, tc, satrec.inclo, satrec.nodeo, satrec.no_unkozai, satrec, c);

      // dpper with init 'y' only evaluates the periodics (they are zero at epoch); it changes
      // nothing, but Vallado calls it with satrec.ecco, inclo, nodeo, argpo, mo in/out.
      const p = new PeriodicsIo();
      p.ep = satrec.ecco;
      p.inclp = satrec.inclo;
      p.nodep = satrec.nodeo;
      p.argpp = satrec.argpo;
      p.mp = satrec.mo;
      dpper(satrec, satrec.t, inclm, satrec.init, p, satrec.operationmode);
      satrec.ecco = p.ep;
      satrec.inclo = p.inclp;
      satrec.nodeo = p.nodep;
      satrec.argpo = p.argpp;
      satrec.mo = p.mp;

      const m = new MeanElementsIo();
      m.argpm = 0.0;
      m.nodem = 0.0;
      m.mm = 0.0;
      m.em = c.em;
      m.inclm = inclm;
      m.nm = c.nm;
      m.dndt = 0.0;

      dsinit(
        satrec.xke,
        c,
        satrec.argpo,
        satrec.t,
        tc,
        satrec.gsto,
        satrec.mo,
        satrec.mdot,
        satrec.no_unkozai,
        satrec.nodeo,
        satrec.nodedot,
        xpidot,
        satrec.ecco,
        eccsq,
        m,
        satrec,
      );
    }

    /* ----------- set variables if not deep space ----------- */
    if (satrec.isimp !== 1) {
      const cc1sq = satrec.cc1 * satrec.cc1;
      satrec.d2 = 4.0 * ao * tsi * cc1sq;
      const temp = (satrec.d2 * tsi * satrec.cc1) / 3.0;
      satrec.d3 = (17.0 * ao + sfour) * temp;
      satrec.d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * satrec.cc1;
      satrec.t3cof = satrec.d2 + 2.0 * cc1sq;
      satrec.t4cof = 0.25 * (3.0 * satrec.d3 + satrec.cc1 * (12.0 * satrec.d2 + 10.0 * cc1sq));
      satrec.t5cof =
        0.2 *
        (3.0 * satrec.d4 +
          12.0 * satrec.cc1 * satrec.d3 +
          6.0 * satrec.d2 * satrec.d2 +
          15.0 * cc1sq * (2.0 * satrec.d2 + cc1sq));
    }
  } // if omeosq = 0 ...

  /* finally propogate to zero epoch to initialize all others. */
  // sgp4fix take out check to let satellites process until they are actually below earth surface
  //       if(satrec.error == 0)
  sgp4(satrec, 0.0, initRv);

  satrec.init = INIT_NO;
}

/** Writes NaN into r and v, records the error and returns it (the Vallado `return false`). */
function fail(satrec: Satrec, out: Float64Array, code: Sgp4ErrorCode): Sgp4ErrorCode {
  satrec.error = code;
  out[0] = Number.NaN;
  out[1] = Number.NaN;
  out[2] = Number.NaN;
  out[3] = Number.NaN;
  out[4] = Number.NaN;
  out[5] = Number.NaN;
  return code;
}

/**
 * procedure sgp4: propagates an initialised record to `tsince` minutes from epoch.
 * Writes position (km) into out[0..2] and velocity (km/s) into out[3..5], both TEME, and returns
 * the error code (0 on success). On error out holds six NaN. Mutates satrec.t, satrec.error, the
 * singly averaged elements (am, em, ...), and for deep-space records the resonance integrator
 * state and the inclination-dependent coefficients, exactly as Vallado's sgp4 does.
 */
export function sgp4(satrec: Satrec, tsince: number, out: Float64Array): Sgp4ErrorCode {
  let mrt = 0.0;

  /* ------------------ set mathematical constants --------------- */
  const vkmpersec = (satrec.radiusearthkm * satrec.xke) / 60.0;

  /* --------------------- clear sgp4 error flag ----------------- */
  satrec.t = tsince;
  satrec.error = 0;

  /* ------- update for secular gravity and atmospheric drag ----- */
  const xmdf = satrec.mo + satrec.mdot * satrec.t;
  const argpdf = satrec.argpo + satrec.argpdot * satrec.t;
  const nodedf = satrec.nodeo + satrec.nodedot * satrec.t;
  let argpm = argpdf;
  let mm = xmdf;
  const t2 = satrec.t * satrec.t;
  let nodem = nodedf + satrec.nodecf * t2;
  let tempa = 1.0 - satrec.cc1 * satrec.t;
  let tempe = satrec.bstar * satrec.cc4 * satrec.t;
  let templ = satrec.t2cof * t2;

  if (satrec.isimp !== 1) {
    const delomg = satrec.omgcof * satrec.t;
    // sgp4fix use mutliply for speed instead of pow
    const delmtemp = 1.0 + satrec.eta * Math.cos(xmdf);
    const delm = satrec.xmcof * (delmtemp * delmtemp * delmtemp - satrec.delmo);
    const temp = delomg + delm;
    mm = xmdf + temp;
    argpm = argpdf - temp;
    const t3 = t2 * satrec.t;
    const t4 = t3 * satrec.t;
    tempa = tempa - satrec.d2 * t2 - satrec.d3 * t3 - satrec.d4 * t4;
    tempe = tempe + satrec.bstar * satrec.cc5 * (Math.sin(mm) - satrec.sinmao);
    templ = templ + satrec.t3cof * t3 + t4 * (satrec.t4cof + satrec.t * satrec.t5cof);
  }

  let nm = satrec.no_unkozai;
  let em = satrec.ecco;
  let inclm = satrec.inclo;
  if (satrec.method === METHOD_DEEP_SPACE) {
    const tc = satrec.t;
    const m = meanIo;
    m.em = em;
    m.argpm = argpm;
    m.inclm = inclm;
    m.mm = mm;
    m.nodem = nodem;
    m.dndt = 0.0;
    m.nm = nm;
    dspace(satrec, satrec.t, tc, m);
    em = m.em;
    argpm = m.argpm;
    inclm = m.inclm;
    mm = m.mm;
    nodem = m.nodem;
    nm = m.nm;
  } // if method = d

  // NaN-safe form of `if (nm <= 0.0)`
  if (!(nm > 0.0)) {
    //         printf("# error nm %f\n", nm);
    // sgp4fix add return
    return fail(satrec, out, SGP4_ERROR_CODE.MEAN_MOTION);
  }
  const am = (satrec.xke / nm) ** x2o3 * tempa * tempa;
  nm = satrec.xke / am ** 1.5;
  em = em - tempe;

  // fix tolerance for error recognition
  // sgp4fix am is fixed from the previous nm check
  // NaN-safe form of `if ((em >= 1.0) || (em < -0.001)/* || (am < 0.95)*/)`
  if (!(em < 1.0) || em < -0.001) {
    //         printf("# error em %f\n", em);
    // sgp4fix to return if there is an error in eccentricity
    return fail(satrec, out, SGP4_ERROR_CODE.MEAN_ELEMENTS);
  }
  // sgp4fix fix tolerance to avoid a divide by zero
  if (em < 1.0e-6) em = 1.0e-6;
  mm = mm + satrec.no_unkozai * templ;
  let xlm = mm + argpm + nodem;

  nodem = nodem % twopi; // fmod
  argpm = argpm % twopi; // fmod
  xlm = xlm % twopi; // fmod
  mm = (xlm - argpm - nodem) % twopi; // fmod

  // sgp4fix recover singly averaged mean elements
  satrec.am = am;
  satrec.em = em;
  satrec.im = inclm;
  satrec.Om = nodem;
  satrec.om = argpm;
  satrec.mm = mm;
  satrec.nm = nm;

  /* ----------------- compute extra mean quantities ------------- */
  const sinim = Math.sin(inclm);
  const cosim = Math.cos(inclm);

  /* -------------------- add lunar-solar periodics -------------- */
  let ep = em;
  let xincp = inclm;
  let argpp = argpm;
  let nodep = nodem;
  let mp = mm;
  let sinip = sinim;
  let cosip = cosim;
  if (satrec.method === METHOD_DEEP_SPACE) {
    const p = perIo;
    p.ep = ep;
    p.inclp = xincp;
    p.nodep = nodep;
    p.argpp = argpp;
    p.mp = mp;
    dpper(satrec, satrec.t, satrec.inclo, INIT_NO, p, satrec.operationmode);
    ep = p.ep;
    xincp = p.inclp;
    nodep = p.nodep;
    argpp = p.argpp;
    mp = p.mp;
    if (xincp < 0.0) {
      xincp = -xincp;
      nodep = nodep + pi;
      argpp = argpp - pi;
    }
    // NaN-safe form of `if ((ep < 0.0) || (ep > 1.0))`
    if (!(ep >= 0.0 && ep <= 1.0)) {
      //            printf("# error ep %f\n", ep);
      // sgp4fix add return
      return fail(satrec, out, SGP4_ERROR_CODE.PERTURBED_ECCENTRICITY);
    }
  } // if method = d

  /* -------------------- long period periodics ------------------ */
  if (satrec.method === METHOD_DEEP_SPACE) {
    sinip = Math.sin(xincp);
    cosip = Math.cos(xincp);
    satrec.aycof = -0.5 * satrec.j3oj2 * sinip;
    // sgp4fix for divide by zero for xincp = 180 deg
    if (Math.abs(cosip + 1.0) > 1.5e-12)
      satrec.xlcof = (-0.25 * satrec.j3oj2 * sinip * (3.0 + 5.0 * cosip)) / (1.0 + cosip);
    else satrec.xlcof = (-0.25 * satrec.j3oj2 * sinip * (3.0 + 5.0 * cosip)) / temp4;
  }
  const axnl = ep * Math.cos(argpp);
  let temp = 1.0 / (am * (1.0 - ep * ep));
  const aynl = ep * Math.sin(argpp) + temp * satrec.aycof;
  const xl = mp + argpp + nodep + temp * satrec.xlcof * axnl;

  /* --------------------- solve kepler's equation --------------- */
  const u = (xl - nodep) % twopi; // fmod
  let eo1 = u;
  let tem5 = 9999.9;
  let ktr = 1;
  let sineo1 = 0.0;
  let coseo1 = 0.0;
  //   sgp4fix for kepler iteration
  //   the following iteration needs better limits on corrections
  while (Math.abs(tem5) >= 1.0e-12 && ktr <= 10) {
    sineo1 = Math.sin(eo1);
    coseo1 = Math.cos(eo1);
    tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
    tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
    if (Math.abs(tem5) >= 0.95) tem5 = tem5 > 0.0 ? 0.95 : -0.95;
    eo1 = eo1 + tem5;
    ktr = ktr + 1;
  }

  /* ------------- short period preliminary quantities ----------- */
  const ecose = axnl * coseo1 + aynl * sineo1;
  const esine = axnl * sineo1 - aynl * coseo1;
  const el2 = axnl * axnl + aynl * aynl;
  const pl = am * (1.0 - el2);
  // NaN-safe form of `if (pl < 0.0)`
  if (!(pl >= 0.0)) {
    //         printf("# error pl %f\n", pl);
    // sgp4fix add return
    return fail(satrec, out, SGP4_ERROR_CODE.SEMI_LATUS_RECTUM);
  }
  const rl = am * (1.0 - ecose);
  const rdotl = (Math.sqrt(am) * esine) / rl;
  const rvdotl = Math.sqrt(pl) / rl;
  const betal = Math.sqrt(1.0 - el2);
  temp = esine / (1.0 + betal);
  const sinu = (am / rl) * (sineo1 - aynl - axnl * temp);
  const cosu = (am / rl) * (coseo1 - axnl + aynl * temp);
  let su = Math.atan2(sinu, cosu);
  const sin2u = (cosu + cosu) * sinu;
  const cos2u = 1.0 - 2.0 * sinu * sinu;
  temp = 1.0 / pl;
  const temp1 = 0.5 * satrec.j2 * temp;
  const temp2 = temp1 * temp;

  /* -------------- update for short period periodics ------------ */
  if (satrec.method === METHOD_DEEP_SPACE) {
    const cosisq = cosip * cosip;
    satrec.con41 = 3.0 * cosisq - 1.0;
    satrec.x1mth2 = 1.0 - cosisq;
    satrec.x7thm1 = 7.0 * cosisq - 1.0;
  }
  mrt = rl * (1.0 - 1.5 * temp2 * betal * satrec.con41) + 0.5 * temp1 * satrec.x1mth2 * cos2u;
  su = su - 0.25 * temp2 * satrec.x7thm1 * sin2u;
  const xnode = nodep + 1.5 * temp2 * cosip * sin2u;
  const xinc = xincp + 1.5 * temp2 * cosip * sinip * cos2u;
  const mvt = rdotl - (nm * temp1 * satrec.x1mth2 * sin2u) / satrec.xke;
  const rvdot = rvdotl + (nm * temp1 * (satrec.x1mth2 * cos2u + 1.5 * satrec.con41)) / satrec.xke;

  /* --------------------- orientation vectors ------------------- */
  const sinsu = Math.sin(su);
  const cossu = Math.cos(su);
  const snod = Math.sin(xnode);
  const cnod = Math.cos(xnode);
  const sini = Math.sin(xinc);
  const cosi = Math.cos(xinc);
  const xmx = -snod * cosi;
  const xmy = cnod * cosi;
  const ux = xmx * sinsu + cnod * cossu;
  const uy = xmy * sinsu + snod * cossu;
  const uz = sini * sinsu;
  const vx = xmx * cossu - cnod * sinsu;
  const vy = xmy * cossu - snod * sinsu;
  const vz = sini * cossu;

  // sgp4fix for decaying satellites; NaN-safe form of `if (mrt < 1.0)`. Vallado has already
  // written r and v when it reports code 6; here the output is NaN like every other failure.
  if (!(mrt >= 1.0)) {
    //         printf("# decay condition %11.6f \n",mrt);
    return fail(satrec, out, SGP4_ERROR_CODE.DECAYED);
  }

  /* --------- position and velocity (in km and km/sec) ---------- */
  out[0] = mrt * ux * satrec.radiusearthkm;
  out[1] = mrt * uy * satrec.radiusearthkm;
  out[2] = mrt * uz * satrec.radiusearthkm;
  out[3] = (mvt * ux + rvdot * vx) * vkmpersec;
  out[4] = (mvt * uy + rvdot * vy) * vkmpersec;
  out[5] = (mvt * uz + rvdot * vz) * vkmpersec;

  return SGP4_ERROR_CODE.OK;
}
