/**
 * SDP4 deep-space procedures `dpper`, `dscom`, `dsinit` and `dspace`, ported line by line from
 * Vallado's SGP4.cpp (2020-03-12 revision as vendored in python-sgp4 `extension/SGP4.cpp`).
 * References: Hoots & Roehrich, Spacetrack Report #3 (1980); Hoots, Spacetrack Report #6 (1986);
 * Hoots, Schumacher & Glover (2004); Vallado, Crawford, Hujsak & Kelso, AIAA 2006-6753.
 *
 * Deviations (structure only, never arithmetic):
 * - Vallado passes dozens of doubles by reference. Here the satrec-resident inputs/outputs are read
 *   from and written to the `Satrec` directly, and the in/out locals of the caller travel in small
 *   preallocated objects (`PeriodicsIo`, `MeanElementsIo`, `DscomVars`) so that no call allocates.
 * - Char flags are numbers (see satrec.ts).
 * Operation order inside every expression is kept, so results are bit-for-bit those of the C++
 * given the same libm.
 */
import { INIT_YES, OPSMODE_AFSPC, type Satrec } from './satrec.js';

const pi = Math.PI;
const twopi = 2.0 * pi;

/** In/out arguments of `dpper` (ep, inclp, nodep, argpp, mp). */
export class PeriodicsIo {
  ep = 0;
  inclp = 0;
  nodep = 0;
  argpp = 0;
  mp = 0;
}

/** In/out mean elements of `dsinit` and `dspace` (em, argpm, inclm, mm, nm, nodem, dndt). */
export class MeanElementsIo {
  em = 0;
  argpm = 0;
  inclm = 0;
  mm = 0;
  nm = 0;
  nodem = 0;
  dndt = 0;
}

/** The local (non-satrec) outputs of `dscom` that sgp4init hands on to `dsinit`. */
export class DscomVars {
  snodm = 0;
  cnodm = 0;
  sinim = 0;
  cosim = 0;
  sinomm = 0;
  cosomm = 0;
  day = 0;
  em = 0;
  emsq = 0;
  gam = 0;
  rtemsq = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  s4 = 0;
  s5 = 0;
  s6 = 0;
  s7 = 0;
  ss1 = 0;
  ss2 = 0;
  ss3 = 0;
  ss4 = 0;
  ss5 = 0;
  ss6 = 0;
  ss7 = 0;
  sz1 = 0;
  sz2 = 0;
  sz3 = 0;
  sz11 = 0;
  sz12 = 0;
  sz13 = 0;
  sz21 = 0;
  sz22 = 0;
  sz23 = 0;
  sz31 = 0;
  sz32 = 0;
  sz33 = 0;
  nm = 0;
  z1 = 0;
  z2 = 0;
  z3 = 0;
  z11 = 0;
  z12 = 0;
  z13 = 0;
  z21 = 0;
  z22 = 0;
  z23 = 0;
  z31 = 0;
  z32 = 0;
  z33 = 0;
}

/**
 * procedure dpper: deep space long period periodic contributions to the mean elements. By design
 * these periodics are zero at epoch. The 33 coefficient inputs are read from `satrec`; `p` carries
 * ep, inclp, nodep, argpp, mp in and out. `inclo` is only used by the (commented) strn3 Lyddane
 * choice, exactly as in Vallado.
 */
export function dpper(
  satrec: Satrec,
  t: number,
  _inclo: number,
  init: number,
  p: PeriodicsIo,
  opsmode: number,
): void {
  /* ---------------------- constants ----------------------------- */
  const zns = 1.19459e-5;
  const zes = 0.01675;
  const znl = 1.5835218e-4;
  const zel = 0.0549;

  /* --------------- calculate time varying periodics ----------- */
  let zm = satrec.zmos + zns * t;
  // be sure that the initial call has time set to zero
  if (init === INIT_YES) zm = satrec.zmos;
  let zf = zm + 2.0 * zes * Math.sin(zm);
  let sinzf = Math.sin(zf);
  let f2 = 0.5 * sinzf * sinzf - 0.25;
  let f3 = -0.5 * sinzf * Math.cos(zf);
  const ses = satrec.se2 * f2 + satrec.se3 * f3;
  const sis = satrec.si2 * f2 + satrec.si3 * f3;
  const sls = satrec.sl2 * f2 + satrec.sl3 * f3 + satrec.sl4 * sinzf;
  const sghs = satrec.sgh2 * f2 + satrec.sgh3 * f3 + satrec.sgh4 * sinzf;
  const shs = satrec.sh2 * f2 + satrec.sh3 * f3;
  zm = satrec.zmol + znl * t;
  if (init === INIT_YES) zm = satrec.zmol;
  zf = zm + 2.0 * zel * Math.sin(zm);
  sinzf = Math.sin(zf);
  f2 = 0.5 * sinzf * sinzf - 0.25;
  f3 = -0.5 * sinzf * Math.cos(zf);
  const sel = satrec.ee2 * f2 + satrec.e3 * f3;
  const sil = satrec.xi2 * f2 + satrec.xi3 * f3;
  const sll = satrec.xl2 * f2 + satrec.xl3 * f3 + satrec.xl4 * sinzf;
  const sghl = satrec.xgh2 * f2 + satrec.xgh3 * f3 + satrec.xgh4 * sinzf;
  const shll = satrec.xh2 * f2 + satrec.xh3 * f3;
  let pe = ses + sel;
  let pinc = sis + sil;
  let pl = sls + sll;
  let pgh = sghs + sghl;
  let ph = shs + shll;

  if (init !== INIT_YES) {
    pe = pe - satrec.peo;
    pinc = pinc - satrec.pinco;
    pl = pl - satrec.plo;
    pgh = pgh - satrec.pgho;
    ph = ph - satrec.pho;
    p.inclp = p.inclp + pinc;
    p.ep = p.ep + pe;
    const sinip = Math.sin(p.inclp);
    const cosip = Math.cos(p.inclp);

    /* ----------------- apply periodics directly ------------ */
    //  sgp4fix for lyddane choice
    //  strn3 used original inclination - this is technically feasible
    //  gsfc used perturbed inclination - also technically feasible
    //  probably best to readjust the 0.2 limit value and limit discontinuity
    //  0.2 rad = 11.45916 deg
    //  use next line for original strn3 approach and original inclination
    //  if (inclo >= 0.2)
    //  use next line for gsfc version and perturbed inclination
    if (p.inclp >= 0.2) {
      ph = ph / sinip;
      pgh = pgh - cosip * ph;
      p.argpp = p.argpp + pgh;
      p.nodep = p.nodep + ph;
      p.mp = p.mp + pl;
    } else {
      /* ---- apply periodics with lyddane modification ---- */
      const sinop = Math.sin(p.nodep);
      const cosop = Math.cos(p.nodep);
      let alfdp = sinip * sinop;
      let betdp = sinip * cosop;
      const dalf = ph * cosop + pinc * cosip * sinop;
      const dbet = -ph * sinop + pinc * cosip * cosop;
      alfdp = alfdp + dalf;
      betdp = betdp + dbet;
      p.nodep = p.nodep % twopi; // fmod
      //  sgp4fix for afspc written intrinsic functions
      // nodep used without a trigonometric function ahead
      if (p.nodep < 0.0 && opsmode === OPSMODE_AFSPC) p.nodep = p.nodep + twopi;
      let xls = p.mp + p.argpp + cosip * p.nodep;
      const dls = pl + pgh - pinc * p.nodep * sinip;
      xls = xls + dls;
      const xnoh = p.nodep;
      p.nodep = Math.atan2(alfdp, betdp);
      //  sgp4fix for afspc written intrinsic functions
      // nodep used without a trigonometric function ahead
      if (p.nodep < 0.0 && opsmode === OPSMODE_AFSPC) p.nodep = p.nodep + twopi;
      if (Math.abs(xnoh - p.nodep) > pi) {
        if (p.nodep < xnoh) p.nodep = p.nodep + twopi;
        else p.nodep = p.nodep - twopi;
      }
      p.mp = p.mp + pl;
      p.argpp = xls - p.mp - cosip * p.nodep;
    }
  } // if init == 'n'
}

/**
 * procedure dscom: deep space common items used by both the secular and periodics subroutines.
 * Satrec outputs (e3, ee2, peo..plo, se2..sl4, xgh2..xl4, zmol, zmos) are written to `satrec`;
 * the other outputs go to `c`.
 */
export function dscom(
  epoch: number,
  ep: number,
  argpp: number,
  tc: number,
  inclp: number,
  nodep: number,
  np: number,
  satrec: Satrec,
  c: DscomVars,
): void {
  /* -------------------------- constants ------------------------- */
  const zes = 0.01675;
  const zel = 0.0549;
  const c1ss = 2.9864797e-6;
  const c1l = 4.7968065e-7;
  const zsinis = 0.39785416;
  const zcosis = 0.91744867;
  const zcosgs = 0.1945905;
  const zsings = -0.98088458;

  c.nm = np;
  c.em = ep;
  c.snodm = Math.sin(nodep);
  c.cnodm = Math.cos(nodep);
  c.sinomm = Math.sin(argpp);
  c.cosomm = Math.cos(argpp);
  c.sinim = Math.sin(inclp);
  c.cosim = Math.cos(inclp);
  c.emsq = c.em * c.em;
  const betasq = 1.0 - c.emsq;
  c.rtemsq = Math.sqrt(betasq);
  const { snodm, cnodm, sinomm, cosomm, sinim, cosim, emsq, rtemsq } = c;

  /* ----------------- initialize lunar solar terms --------------- */
  satrec.peo = 0.0;
  satrec.pinco = 0.0;
  satrec.plo = 0.0;
  satrec.pgho = 0.0;
  satrec.pho = 0.0;
  c.day = epoch + 18261.5 + tc / 1440.0;
  const day = c.day;
  const xnodce = (4.523602 - 9.2422029e-4 * day) % twopi; // fmod
  const stem = Math.sin(xnodce);
  const ctem = Math.cos(xnodce);
  const zcosil = 0.91375164 - 0.03568096 * ctem;
  const zsinil = Math.sqrt(1.0 - zcosil * zcosil);
  const zsinhl = (0.089683511 * stem) / zsinil;
  const zcoshl = Math.sqrt(1.0 - zsinhl * zsinhl);
  c.gam = 5.8351514 + 0.001944368 * day;
  const gam = c.gam;
  let zx = (0.39785416 * stem) / zsinil;
  const zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
  zx = Math.atan2(zx, zy);
  zx = gam + zx - xnodce;
  const zcosgl = Math.cos(zx);
  const zsingl = Math.sin(zx);

  /* ------------------------- do solar terms --------------------- */
  let zcosg = zcosgs;
  let zsing = zsings;
  let zcosi = zcosis;
  let zsini = zsinis;
  let zcosh = cnodm;
  let zsinh = snodm;
  let cc = c1ss;
  const xnoi = 1.0 / c.nm;

  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  let z11 = 0;
  let z12 = 0;
  let z13 = 0;
  let z21 = 0;
  let z22 = 0;
  let z23 = 0;
  let z31 = 0;
  let z32 = 0;
  let z33 = 0;
  for (let lsflg = 1; lsflg <= 2; lsflg++) {
    const a1 = zcosg * zcosh + zsing * zcosi * zsinh;
    const a3 = -zsing * zcosh + zcosg * zcosi * zsinh;
    const a7 = -zcosg * zsinh + zsing * zcosi * zcosh;
    const a8 = zsing * zsini;
    const a9 = zsing * zsinh + zcosg * zcosi * zcosh;
    const a10 = zcosg * zsini;
    const a2 = cosim * a7 + sinim * a8;
    const a4 = cosim * a9 + sinim * a10;
    const a5 = -sinim * a7 + cosim * a8;
    const a6 = -sinim * a9 + cosim * a10;

    const x1 = a1 * cosomm + a2 * sinomm;
    const x2 = a3 * cosomm + a4 * sinomm;
    const x3 = -a1 * sinomm + a2 * cosomm;
    const x4 = -a3 * sinomm + a4 * cosomm;
    const x5 = a5 * sinomm;
    const x6 = a6 * sinomm;
    const x7 = a5 * cosomm;
    const x8 = a6 * cosomm;

    z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
    z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
    z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
    z1 = 3.0 * (a1 * a1 + a2 * a2) + z31 * emsq;
    z2 = 6.0 * (a1 * a3 + a2 * a4) + z32 * emsq;
    z3 = 3.0 * (a3 * a3 + a4 * a4) + z33 * emsq;
    z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
    z12 = -6.0 * (a1 * a6 + a3 * a5) + emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5));
    z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
    z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
    z22 = 6.0 * (a4 * a5 + a2 * a6) + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8));
    z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
    z1 = z1 + z1 + betasq * z31;
    z2 = z2 + z2 + betasq * z32;
    z3 = z3 + z3 + betasq * z33;
    s3 = cc * xnoi;
    s2 = (-0.5 * s3) / rtemsq;
    s4 = s3 * rtemsq;
    s1 = -15.0 * c.em * s4;
    s5 = x1 * x3 + x2 * x4;
    s6 = x2 * x3 + x1 * x4;
    s7 = x2 * x4 - x1 * x3;

    /* ----------------------- do lunar terms ------------------- */
    if (lsflg === 1) {
      c.ss1 = s1;
      c.ss2 = s2;
      c.ss3 = s3;
      c.ss4 = s4;
      c.ss5 = s5;
      c.ss6 = s6;
      c.ss7 = s7;
      c.sz1 = z1;
      c.sz2 = z2;
      c.sz3 = z3;
      c.sz11 = z11;
      c.sz12 = z12;
      c.sz13 = z13;
      c.sz21 = z21;
      c.sz22 = z22;
      c.sz23 = z23;
      c.sz31 = z31;
      c.sz32 = z32;
      c.sz33 = z33;
      zcosg = zcosgl;
      zsing = zsingl;
      zcosi = zcosil;
      zsini = zsinil;
      zcosh = zcoshl * cnodm + zsinhl * snodm;
      zsinh = snodm * zcoshl - cnodm * zsinhl;
      cc = c1l;
    }
  }
  c.s1 = s1;
  c.s2 = s2;
  c.s3 = s3;
  c.s4 = s4;
  c.s5 = s5;
  c.s6 = s6;
  c.s7 = s7;
  c.z1 = z1;
  c.z2 = z2;
  c.z3 = z3;
  c.z11 = z11;
  c.z12 = z12;
  c.z13 = z13;
  c.z21 = z21;
  c.z22 = z22;
  c.z23 = z23;
  c.z31 = z31;
  c.z32 = z32;
  c.z33 = z33;

  satrec.zmol = (4.7199672 + 0.2299715 * day - gam) % twopi; // fmod
  satrec.zmos = (6.2565837 + 0.017201977 * day) % twopi; // fmod

  /* ------------------------ do solar terms ---------------------- */
  const {
    ss1,
    ss2,
    ss3,
    ss4,
    ss6,
    ss7,
    sz1,
    sz2,
    sz3,
    sz11,
    sz12,
    sz13,
    sz21,
    sz22,
    sz23,
    sz31,
    sz32,
    sz33,
  } = c;
  satrec.se2 = 2.0 * ss1 * ss6;
  satrec.se3 = 2.0 * ss1 * ss7;
  satrec.si2 = 2.0 * ss2 * sz12;
  satrec.si3 = 2.0 * ss2 * (sz13 - sz11);
  satrec.sl2 = -2.0 * ss3 * sz2;
  satrec.sl3 = -2.0 * ss3 * (sz3 - sz1);
  satrec.sl4 = -2.0 * ss3 * (-21.0 - 9.0 * emsq) * zes;
  satrec.sgh2 = 2.0 * ss4 * sz32;
  satrec.sgh3 = 2.0 * ss4 * (sz33 - sz31);
  satrec.sgh4 = -18.0 * ss4 * zes;
  satrec.sh2 = -2.0 * ss2 * sz22;
  satrec.sh3 = -2.0 * ss2 * (sz23 - sz21);

  /* ------------------------ do lunar terms ---------------------- */
  satrec.ee2 = 2.0 * s1 * s6;
  satrec.e3 = 2.0 * s1 * s7;
  satrec.xi2 = 2.0 * s2 * z12;
  satrec.xi3 = 2.0 * s2 * (z13 - z11);
  satrec.xl2 = -2.0 * s3 * z2;
  satrec.xl3 = -2.0 * s3 * (z3 - z1);
  satrec.xl4 = -2.0 * s3 * (-21.0 - 9.0 * emsq) * zel;
  satrec.xgh2 = 2.0 * s4 * z32;
  satrec.xgh3 = 2.0 * s4 * (z33 - z31);
  satrec.xgh4 = -18.0 * s4 * zel;
  satrec.xh2 = -2.0 * s2 * z22;
  satrec.xh3 = -2.0 * s2 * (z23 - z21);
}

/**
 * procedure dsinit: deep space contributions to mean motion dot due to geopotential resonance with
 * half-day and one-day orbits. Reads dscom's outputs from `c` (cosim, emsq, s1..s5, sinim, ss1..ss5,
 * sz*, z*) and writes irez, atime, d2201..d5433, dedt, didt, dmdt, dnodt, domdt, del1..del3,
 * xfact, xlamo, xli, xni to `satrec`; em, argpm, inclm, mm, nm, nodem, dndt travel in `m`.
 */
export function dsinit(
  xke: number,
  c: DscomVars,
  argpo: number,
  t: number,
  tc: number,
  gsto: number,
  mo: number,
  mdot: number,
  no: number,
  nodeo: number,
  nodedot: number,
  xpidot: number,
  ecco: number,
  eccsq: number,
  m: MeanElementsIo,
  satrec: Satrec,
): void {
  const { cosim, sinim, s1, s2, s3, s4, s5, ss1, ss2, ss3, ss4, ss5 } = c;
  const { sz1, sz3, sz11, sz13, sz21, sz23, sz31, sz33 } = c;
  const { z1, z3, z11, z13, z21, z23, z31, z33 } = c;
  // emsq is passed by value in Vallado and restored after the 12 h branch.
  let emsq = c.emsq;

  let aonv = 0.0;
  const q22 = 1.7891679e-6;
  const q31 = 2.1460748e-6;
  const q33 = 2.2123015e-7;
  const root22 = 1.7891679e-6;
  const root44 = 7.3636953e-9;
  const root54 = 2.1765803e-9;
  // Vallado: 4.37526908801129966e-3 (same double); this equates to 7.29211514668855e-5 rad/sec
  const rptim = 0.0043752690880113;
  const root32 = 3.7393792e-7;
  const root52 = 1.1428639e-7;
  const x2o3 = 2.0 / 3.0;
  const znl = 1.5835218e-4;
  const zns = 1.19459e-5;

  /* -------------------- deep space initialization ------------ */
  satrec.irez = 0;
  if (m.nm < 0.0052359877 && m.nm > 0.0034906585) satrec.irez = 1;
  if (m.nm >= 8.26e-3 && m.nm <= 9.24e-3 && m.em >= 0.5) satrec.irez = 2;

  /* ------------------------ do solar terms ------------------- */
  const ses = ss1 * zns * ss5;
  const sis = ss2 * zns * (sz11 + sz13);
  const sls = -zns * ss3 * (sz1 + sz3 - 14.0 - 6.0 * emsq);
  const sghs = ss4 * zns * (sz31 + sz33 - 6.0);
  let shs = -zns * ss2 * (sz21 + sz23);
  // sgp4fix for 180 deg incl
  if (m.inclm < 5.2359877e-2 || m.inclm > pi - 5.2359877e-2) shs = 0.0;
  if (sinim !== 0.0) shs = shs / sinim;
  const sgs = sghs - cosim * shs;

  /* ------------------------- do lunar terms ------------------ */
  satrec.dedt = ses + s1 * znl * s5;
  satrec.didt = sis + s2 * znl * (z11 + z13);
  satrec.dmdt = sls - znl * s3 * (z1 + z3 - 14.0 - 6.0 * emsq);
  const sghl = s4 * znl * (z31 + z33 - 6.0);
  let shll = -znl * s2 * (z21 + z23);
  // sgp4fix for 180 deg incl
  if (m.inclm < 5.2359877e-2 || m.inclm > pi - 5.2359877e-2) shll = 0.0;
  satrec.domdt = sgs + sghl;
  satrec.dnodt = shs;
  if (sinim !== 0.0) {
    satrec.domdt = satrec.domdt - (cosim / sinim) * shll;
    satrec.dnodt = satrec.dnodt + shll / sinim;
  }

  /* ----------- calculate deep space resonance effects -------- */
  m.dndt = 0.0;
  const theta = (gsto + tc * rptim) % twopi; // fmod
  m.em = m.em + satrec.dedt * t;
  m.inclm = m.inclm + satrec.didt * t;
  m.argpm = m.argpm + satrec.domdt * t;
  m.nodem = m.nodem + satrec.dnodt * t;
  m.mm = m.mm + satrec.dmdt * t;
  //   sgp4fix for negative inclinations
  //   the following if statement should be commented out
  //if (inclm < 0.0)
  //  {
  //    inclm  = -inclm;
  //    argpm  = argpm - pi;
  //    nodem = nodem + pi;
  //  }

  /* -------------- initialize the resonance terms ------------- */
  if (satrec.irez !== 0) {
    aonv = (m.nm / xke) ** x2o3;

    /* ---------- geopotential resonance for 12 hour orbits ------ */
    if (satrec.irez === 2) {
      const cosisq = cosim * cosim;
      const emo = m.em;
      let em = ecco;
      m.em = em;
      const emsqo = emsq;
      emsq = eccsq;
      const eoc = em * emsq;
      const g201 = -0.306 - (em - 0.64) * 0.44;

      let g211: number;
      let g310: number;
      let g322: number;
      let g410: number;
      let g422: number;
      let g520: number;
      if (em <= 0.65) {
        g211 = 3.616 - 13.247 * em + 16.29 * emsq;
        g310 = -19.302 + 117.39 * em - 228.419 * emsq + 156.591 * eoc;
        g322 = -18.9068 + 109.7927 * em - 214.6334 * emsq + 146.5816 * eoc;
        g410 = -41.122 + 242.694 * em - 471.094 * emsq + 313.953 * eoc;
        g422 = -146.407 + 841.88 * em - 1629.014 * emsq + 1083.435 * eoc;
        g520 = -532.114 + 3017.977 * em - 5740.032 * emsq + 3708.276 * eoc;
      } else {
        g211 = -72.099 + 331.819 * em - 508.738 * emsq + 266.724 * eoc;
        g310 = -346.844 + 1582.851 * em - 2415.925 * emsq + 1246.113 * eoc;
        g322 = -342.585 + 1554.908 * em - 2366.899 * emsq + 1215.972 * eoc;
        g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq + 3651.957 * eoc;
        g422 = -3581.69 + 16178.11 * em - 24462.77 * emsq + 12422.52 * eoc;
        if (em > 0.715) g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq + 31324.56 * eoc;
        else g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq;
      }
      let g533: number;
      let g521: number;
      let g532: number;
      if (em < 0.7) {
        g533 = -919.2277 + 4988.61 * em - 9064.77 * emsq + 5542.21 * eoc;
        g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq + 5337.524 * eoc;
        g532 = -853.666 + 4690.25 * em - 8624.77 * emsq + 5341.4 * eoc;
      } else {
        g533 = -37995.78 + 161616.52 * em - 229838.2 * emsq + 109377.94 * eoc;
        g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq + 146349.42 * eoc;
        g532 = -40023.88 + 170470.89 * em - 242699.48 * emsq + 115605.82 * eoc;
      }

      const sini2 = sinim * sinim;
      const f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq);
      const f221 = 1.5 * sini2;
      const f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq);
      const f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq);
      const f441 = 35.0 * sini2 * f220;
      const f442 = 39.375 * sini2 * sini2;
      const f522 =
        9.84375 *
        sinim *
        (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) + 0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq));
      const f523 =
        sinim *
        (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) +
          6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq));
      const f542 = 29.53125 * sinim * (2.0 - 8.0 * cosim + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq));
      const f543 = 29.53125 * sinim * (-2.0 - 8.0 * cosim + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq));
      const xno2 = m.nm * m.nm;
      const ainv2 = aonv * aonv;
      let temp1 = 3.0 * xno2 * ainv2;
      let temp = temp1 * root22;
      satrec.d2201 = temp * f220 * g201;
      satrec.d2211 = temp * f221 * g211;
      temp1 = temp1 * aonv;
      temp = temp1 * root32;
      satrec.d3210 = temp * f321 * g310;
      satrec.d3222 = temp * f322 * g322;
      temp1 = temp1 * aonv;
      temp = 2.0 * temp1 * root44;
      satrec.d4410 = temp * f441 * g410;
      satrec.d4422 = temp * f442 * g422;
      temp1 = temp1 * aonv;
      temp = temp1 * root52;
      satrec.d5220 = temp * f522 * g520;
      satrec.d5232 = temp * f523 * g532;
      temp = 2.0 * temp1 * root54;
      satrec.d5421 = temp * f542 * g521;
      satrec.d5433 = temp * f543 * g533;
      satrec.xlamo = (mo + nodeo + nodeo - theta - theta) % twopi; // fmod
      satrec.xfact = mdot + satrec.dmdt + 2.0 * (nodedot + satrec.dnodt - rptim) - no;
      em = emo;
      m.em = em;
      emsq = emsqo;
    }

    /* ---------------- synchronous resonance terms -------------- */
    if (satrec.irez === 1) {
      const g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
      const g310 = 1.0 + 2.0 * emsq;
      const g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
      const f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim);
      const f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim);
      let f330 = 1.0 + cosim;
      f330 = 1.875 * f330 * f330 * f330;
      satrec.del1 = 3.0 * m.nm * m.nm * aonv * aonv;
      satrec.del2 = 2.0 * satrec.del1 * f220 * g200 * q22;
      satrec.del3 = 3.0 * satrec.del1 * f330 * g300 * q33 * aonv;
      satrec.del1 = satrec.del1 * f311 * g310 * q31 * aonv;
      satrec.xlamo = (mo + nodeo + argpo - theta) % twopi; // fmod
      satrec.xfact = mdot + xpidot - rptim + satrec.dmdt + satrec.domdt + satrec.dnodt - no;
    }

    /* ------------ for sgp4, initialize the integrator ---------- */
    satrec.xli = satrec.xlamo;
    satrec.xni = no;
    satrec.atime = 0.0;
    m.nm = no + m.dndt;
  }
}

/**
 * procedure dspace: deep space contributions to the mean elements for the perturbing third body,
 * and the numerical (Euler-Maclaurin) integration of the 12 h / 24 h resonances. Reads the
 * coefficients from `satrec`, updates its integrator state (atime, xli, xni), and updates
 * em, argpm, inclm, mm, nodem, dndt, nm in `m`.
 */
export function dspace(satrec: Satrec, t: number, tc: number, m: MeanElementsIo): void {
  const fasx2 = 0.13130908;
  const fasx4 = 2.8843198;
  const fasx6 = 0.37448087;
  const g22 = 5.7686396;
  const g32 = 0.95240898;
  const g44 = 1.8014998;
  const g52 = 1.050833;
  const g54 = 4.4108898;
  // Vallado: 4.37526908801129966e-3 (same double); this equates to 7.29211514668855e-5 rad/sec
  const rptim = 0.0043752690880113;
  const stepp = 720.0;
  const stepn = -720.0;
  const step2 = 259200.0;

  const irez = satrec.irez;
  const { d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433 } = satrec;
  const { del1, del2, del3, xfact, argpo, argpdot } = satrec;
  const no = satrec.no_unkozai;

  /* ----------- calculate deep space resonance effects ----------- */
  m.dndt = 0.0;
  const theta = (satrec.gsto + tc * rptim) % twopi; // fmod
  m.em = m.em + satrec.dedt * t;

  m.inclm = m.inclm + satrec.didt * t;
  m.argpm = m.argpm + satrec.domdt * t;
  m.nodem = m.nodem + satrec.dnodt * t;
  m.mm = m.mm + satrec.dmdt * t;

  //   sgp4fix for negative inclinations
  //   the following if statement should be commented out
  //  if (inclm < 0.0)
  // {
  //    inclm = -inclm;
  //    argpm = argpm - pi;
  //    nodem = nodem + pi;
  //  }

  /* - update resonances : numerical (euler-maclaurin) integration - */
  /* ------------------------- epoch restart ----------------------  */
  //   sgp4fix for propagator problems
  //   the following integration works for negative time steps and periods
  //   the specific changes are unknown because the original code was so convoluted

  // sgp4fix take out atime = 0.0 and fix for faster operation
  let ft = 0.0;
  if (irez !== 0) {
    // sgp4fix streamline check
    if (satrec.atime === 0.0 || t * satrec.atime <= 0.0 || Math.abs(t) < Math.abs(satrec.atime)) {
      satrec.atime = 0.0;
      satrec.xni = no;
      satrec.xli = satrec.xlamo;
    }
    // sgp4fix move check outside loop
    const delt = t > 0.0 ? stepp : stepn;

    let atime = satrec.atime;
    let xli = satrec.xli;
    let xni = satrec.xni;
    let xndt = 0;
    let xldot = 0;
    let xnddt = 0;
    let iretn = 381; // added for do loop
    while (iretn === 381) {
      /* ------------------- dot terms calculated ------------- */
      /* ----------- near - synchronous resonance terms ------- */
      if (irez !== 2) {
        xndt =
          del1 * Math.sin(xli - fasx2) +
          del2 * Math.sin(2.0 * (xli - fasx4)) +
          del3 * Math.sin(3.0 * (xli - fasx6));
        xldot = xni + xfact;
        xnddt =
          del1 * Math.cos(xli - fasx2) +
          2.0 * del2 * Math.cos(2.0 * (xli - fasx4)) +
          3.0 * del3 * Math.cos(3.0 * (xli - fasx6));
        xnddt = xnddt * xldot;
      } else {
        /* --------- near - half-day resonance terms -------- */
        const xomi = argpo + argpdot * atime;
        const x2omi = xomi + xomi;
        const x2li = xli + xli;
        xndt =
          d2201 * Math.sin(x2omi + xli - g22) +
          d2211 * Math.sin(xli - g22) +
          d3210 * Math.sin(xomi + xli - g32) +
          d3222 * Math.sin(-xomi + xli - g32) +
          d4410 * Math.sin(x2omi + x2li - g44) +
          d4422 * Math.sin(x2li - g44) +
          d5220 * Math.sin(xomi + xli - g52) +
          d5232 * Math.sin(-xomi + xli - g52) +
          d5421 * Math.sin(xomi + x2li - g54) +
          d5433 * Math.sin(-xomi + x2li - g54);
        xldot = xni + xfact;
        xnddt =
          d2201 * Math.cos(x2omi + xli - g22) +
          d2211 * Math.cos(xli - g22) +
          d3210 * Math.cos(xomi + xli - g32) +
          d3222 * Math.cos(-xomi + xli - g32) +
          d5220 * Math.cos(xomi + xli - g52) +
          d5232 * Math.cos(-xomi + xli - g52) +
          2.0 *
            (d4410 * Math.cos(x2omi + x2li - g44) +
              d4422 * Math.cos(x2li - g44) +
              d5421 * Math.cos(xomi + x2li - g54) +
              d5433 * Math.cos(-xomi + x2li - g54));
        xnddt = xnddt * xldot;
      }

      /* ----------------------- integrator ------------------- */
      // sgp4fix move end checks to end of routine
      if (Math.abs(t - atime) >= stepp) {
        iretn = 381;
      } else {
        // exit here
        ft = t - atime;
        iretn = 0;
      }

      if (iretn === 381) {
        xli = xli + xldot * delt + xndt * step2;
        xni = xni + xndt * delt + xnddt * step2;
        atime = atime + delt;
      }
    } // while iretn = 381
    satrec.atime = atime;
    satrec.xli = xli;
    satrec.xni = xni;

    m.nm = xni + xndt * ft + xnddt * ft * ft * 0.5;
    const xl = xli + xldot * ft + xndt * ft * ft * 0.5;
    if (irez !== 1) {
      m.mm = xl - 2.0 * m.nodem + 2.0 * theta;
      m.dndt = m.nm - no;
    } else {
      m.mm = xl - m.nodem - m.argpm + theta;
      m.dndt = m.nm - no;
    }
    m.nm = no + m.dndt;
  }
}
