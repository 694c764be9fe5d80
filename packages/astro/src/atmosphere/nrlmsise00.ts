/**
 * NRLMSISE-00 empirical model of the neutral atmosphere, ground to exosphere: number densities of
 * He, O, N2, O2, Ar, H, N and anomalous oxygen, the total mass density, and the exospheric and
 * local temperatures for a date, time, position and solar/geomagnetic activity.
 *
 * Source: J. M. Picone, A. E. Hedin, D. P. Drob, A. C. Aikin, "NRLMSISE-00 empirical model of the
 * atmosphere: Statistical comparisons and scientific issues", J. Geophys. Res. 107(A12), 1468
 * (2002), doi:10.1029/2002JA009430, as coded in NRL's Fortran NRLMSISE-00.DIST17 (Official Beta
 * Release 2.0) and D. Brodowski's C translation (release 20151122). This file follows the C
 * procedures one by one (tselec, glatf, ccor, ccor2, scalh, dnet, splini, splint, spline, densm,
 * densu, globe7, glob7s, gts7, gtd7, gtd7d) so that it can be read side by side with them; the
 * C "static" shared variables (COMMON blocks of the Fortran) live in a per-call `Work` record
 * instead of module state, so calls are independent and re-entrant. The 17 cases of the C test
 * driver are reproduced to their printed 7 digits (test/nrlmsise00.test.ts).
 *
 * Deviations from the C code, none of which changes a result:
 * - The output is always SI: number densities in m⁻³ and mass density in kg/m³ (the C code gives
 *   cm⁻³ and g/cm³ unless switches[0] = 1). The model runs in its native cgs units inside and
 *   converts once at the end, so switches[0] is ignored.
 * - Latitude and longitude are taken in radians and turned into the model's degrees here; the
 *   model's own degree-to-radian factor (1.74533e-2) is kept everywhere inside.
 * - glob7s' check that p[99] is the parameter-set marker 2 (or 0, which the C code overwrites
 *   with 2) throws instead of printing and returning −1; globe7's clamp of p[24] to ≥ 1e-4
 *   (ap-array mode) is applied to a local copy, so the coefficient tables are never written.
 * - dnet's diagnostic print is dropped (its return values are kept).
 * - ghp7 (altitude of a pressure level) is not ported.
 *
 * Units of the inputs: geodetic altitude km, geodetic latitude/longitude rad, UT seconds of day,
 * local apparent solar time hours, F10.7 in solar flux units (10⁻²² W m⁻² Hz⁻¹) at the Earth's
 * distance (not adjusted to 1 AU), Ap and ap in the index's own units (2 nT).
 */
import { AstroError } from '../errors.js';
import type { Nrlmsise00Coefficients } from './nrlmsise00-coefficients.js';

/** Inputs of NRLMSISE-00. */
export interface Nrlmsise00Input {
  /** Day of year, 1–366 (the year itself is not a model input). */
  readonly doy: number;
  /** UT seconds of the day. */
  readonly utSeconds: number;
  /** Geodetic altitude, km. */
  readonly altKm: number;
  /** Geodetic latitude, rad. */
  readonly latRad: number;
  /** Geodetic longitude, rad (east positive). */
  readonly lonRad: number;
  /**
   * Local apparent solar time, hours. Keep it consistent with utSeconds and lonRad:
   * `utSeconds/3600 + lonDeg/15` (mod 24) is what the model's authors recommend.
   */
  readonly lstHours: number;
  /** 81-day average of F10.7 centred on the day, sfu. */
  readonly f107A: number;
  /** Daily F10.7 of the previous day, sfu. */
  readonly f107: number;
  /** Daily Ap. Not used when the ap array is (switches[9] = −1). */
  readonly ap: number;
  /**
   * The 7 ap values of the NRLMSISE-00 convention, used when switches[9] = −1: daily Ap; 3-hour ap
   * of the current time; of 3, 6 and 9 hours before; mean of the eight 3-hour values 12–33 hours
   * before; mean of the eight 36–57 hours before.
   */
  readonly apArray?: ArrayLike<number>;
}

/** Outputs of NRLMSISE-00, SI units. */
export interface Nrlmsise00Output {
  /** Number densities, m⁻³. */
  readonly heM3: number;
  readonly oM3: number;
  readonly n2M3: number;
  readonly o2M3: number;
  readonly arM3: number;
  readonly hM3: number;
  readonly nM3: number;
  /** Anomalous (hot) oxygen, m⁻³. */
  readonly anomalousOM3: number;
  /**
   * Total mass density without anomalous oxygen (gtd7 d[5]), kg/m³: the "standard" total that the
   * published test cases print.
   */
  readonly massDensityKgM3: number;
  /**
   * Total mass density including anomalous oxygen (gtd7d d[5]), kg/m³: the effective density for
   * satellite drag, which the model's authors recommend for that use.
   */
  readonly dragMassDensityKgM3: number;
  /** Exospheric temperature, K. */
  readonly exosphericTemperatureK: number;
  /** Temperature at the altitude, K. */
  readonly temperatureK: number;
}

/** Number of model switches. */
export const NRLMSISE00_SWITCH_COUNT = 24;

/** Degrees to radians as the model codes it (C `dgtr`). */
const DGTR = 1.74533e-2;
/** Day-of-year angular rate, rad/day (C `dr`, 2π/365). */
const DR = 1.72142e-2;
/** UT angular rate, rad/s (C `sr`, 2π/86400). */
const SR = 7.2722e-5;
/** Local-time angular rate, rad/hour (C `hr`, 2π/24). */
const HR = 0.2618;
/** Gas constant in the model's units (C `rgas`). */
const RGAS = 831.4;
/** Atomic mass unit as the model codes it, g. */
const AMU_G = 1.66e-24;
/** glob7s parameter-set marker expected in p[99] (C `pset`). */
const PSET = 2.0;
/** Altitude nodes of the lower-stratosphere/troposphere spline, km (C gtd7 `zn3`). */
const ZN3 = Float64Array.of(32.5, 20.0, 15.0, 10.0, 0.0);
/** Altitude nodes of the lower-mesosphere/upper-stratosphere spline, km (C gtd7 `zn2`). */
const ZN2 = Float64Array.of(72.5, 55.0, 45.0, 32.5);
/** Altitude below which the atmosphere is fully mixed, km (C gtd7 `zmix`). */
const ZMIX = 62.5;
/** Thermal diffusion coefficients, indexed like d[] (C gts7 `alpha`). */
const ALPHA = [-0.38, 0.0, 0.0, 0.0, 0.17, 0.0, -0.38, 0.0, 0.0] as const;
/** Altitude limits of the mixing correction, km, indexed like d[] (C gts7 `altl`). */
const ALTL = [200.0, 300.0, 160.0, 250.0, 240.0, 450.0, 320.0, 450.0] as const;

/** The C code's shared ("static") variables and the inputs, for one model evaluation. */
interface Work {
  // inputs (model units: degrees, hours)
  doy: number;
  sec: number;
  glat: number;
  glong: number;
  lst: number;
  f107A: number;
  f107: number;
  ap: number;
  apA: ArrayLike<number> | undefined;
  // tselec
  readonly sw: Float64Array;
  readonly swc: Float64Array;
  // PARMB
  gsurf: number;
  re: number;
  // DMIX
  dm28: number;
  // MESO7
  readonly tn1: Float64Array;
  readonly tn2: Float64Array;
  readonly tn3: Float64Array;
  readonly tgn1: Float64Array;
  readonly tgn2: Float64Array;
  readonly tgn3: Float64Array;
  // LPOLY
  dfa: number;
  readonly plg0: Float64Array;
  readonly plg1: Float64Array;
  readonly plg2: Float64Array;
  readonly plg3: Float64Array;
  ctloc: number;
  stloc: number;
  c2tloc: number;
  s2tloc: number;
  c3tloc: number;
  s3tloc: number;
  apdf: number;
  apt0: number;
  // the *tz output argument of densu/densm
  tz: number;
  // scratch: globe7/glob7s terms, spline nodes
  readonly t: Float64Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly y2: Float64Array;
  readonly u: Float64Array;
  readonly zn1: Float64Array;
}

function newWork(): Work {
  return {
    doy: 0,
    sec: 0,
    glat: 0,
    glong: 0,
    lst: 0,
    f107A: 0,
    f107: 0,
    ap: 0,
    apA: undefined,
    sw: new Float64Array(NRLMSISE00_SWITCH_COUNT),
    swc: new Float64Array(NRLMSISE00_SWITCH_COUNT),
    gsurf: 0,
    re: 0,
    dm28: 0,
    tn1: new Float64Array(5),
    tn2: new Float64Array(4),
    tn3: new Float64Array(5),
    tgn1: new Float64Array(2),
    tgn2: new Float64Array(2),
    tgn3: new Float64Array(2),
    dfa: 0,
    plg0: new Float64Array(9),
    plg1: new Float64Array(9),
    plg2: new Float64Array(9),
    plg3: new Float64Array(9),
    ctloc: 0,
    stloc: 0,
    c2tloc: 0,
    s2tloc: 0,
    c3tloc: 0,
    s3tloc: 0,
    apdf: 0,
    apt0: 0,
    tz: 0,
    t: new Float64Array(15),
    xs: new Float64Array(10),
    ys: new Float64Array(10),
    y2: new Float64Array(10),
    u: new Float64Array(10),
    zn1: Float64Array.of(120.0, 110.0, 100.0, 90.0, 72.5),
  };
}

/** tselec: sw[i] = (switch == 1), swc[i] = (switch > 0), both = switch for i = 9. */
function tselec(w: Work, switches: ArrayLike<number>): void {
  for (let i = 0; i < NRLMSISE00_SWITCH_COUNT; i++) {
    const s = switches[i]!;
    if (i !== 9) {
      w.sw[i] = s === 1 ? 1 : 0;
      w.swc[i] = s > 0 ? 1 : 0;
    } else {
      w.sw[i] = s;
      w.swc[i] = s;
    }
  }
}

/** glatf: latitude variation of gravity (cm/s²) and effective Earth radius (km). */
function glatf(w: Work, lat: number): void {
  const c2 = Math.cos(2.0 * DGTR * lat);
  w.gsurf = 980.616 * (1.0 - 0.0026373 * c2);
  w.re = ((2.0 * w.gsurf) / (3.085462e-6 + 2.27e-9 * c2)) * 1.0e-5;
}

/** ccor: chemistry/dissociation correction (r target ratio, h1 scale length, zh altitude of r/2). */
function ccor(alt: number, r: number, h1: number, zh: number): number {
  const e = (alt - zh) / h1;
  if (e > 70) return 1.0;
  if (e < -70) return Math.exp(r);
  return Math.exp(r / (1.0 + Math.exp(e)));
}

/** ccor2: ccor with two transition scale lengths. */
function ccor2(alt: number, r: number, h1: number, zh: number, h2: number): number {
  const e1 = (alt - zh) / h1;
  const e2 = (alt - zh) / h2;
  if (e1 > 70 || e2 > 70) return 1.0;
  if (e1 < -70 && e2 < -70) return Math.exp(r);
  return Math.exp(r / (1.0 + 0.5 * (Math.exp(e1) + Math.exp(e2))));
}

/** scalh: scale height, km. */
function scalh(w: Work, alt: number, xm: number, temp: number): number {
  const g = w.gsurf / (1.0 + alt / w.re) ** 2;
  return (RGAS * temp) / (g * xm);
}

/**
 * dnet: turbopause correction, combining diffusive density dd and fully mixed density dm (zhm
 * transition scale length, xmm mixed and xm species molecular weight).
 */
function dnet(dd: number, dm: number, zhm: number, xmm: number, xm: number): number {
  const a = zhm / (xmm - xm);
  if (!(dm > 0 && dd > 0)) {
    if (dd === 0 && dm === 0) dd = 1;
    if (dm === 0) return dd;
    if (dd === 0) return dm;
  }
  const ylog = a * Math.log(dm / dd);
  if (ylog < -10) return dd;
  if (ylog > 10) return dm;
  return dd * (1.0 + Math.exp(ylog)) ** (1.0 / a);
}

/** splini: integral of the cubic spline from xa[0] to x. */
function splini(xa: Float64Array, ya: Float64Array, y2a: Float64Array, n: number, x: number): number {
  let yi = 0;
  let klo = 0;
  let khi = 1;
  while (x > xa[klo]! && khi < n) {
    let xx = x;
    if (khi < n - 1) xx = Math.min(x, xa[khi]!);
    const h = xa[khi]! - xa[klo]!;
    const a = (xa[khi]! - xx) / h;
    const b = (xx - xa[klo]!) / h;
    const a2 = a * a;
    const b2 = b * b;
    yi +=
      (((1.0 - a2) * ya[klo]!) / 2.0 +
        (b2 * ya[khi]!) / 2.0 +
        (((-(1.0 + a2 * a2) / 4.0 + a2 / 2.0) * y2a[klo]! + ((b2 * b2) / 4.0 - b2 / 2.0) * y2a[khi]!) *
          h *
          h) /
          6.0) *
      h;
    klo++;
    khi++;
  }
  return yi;
}

/** splint: cubic spline interpolation (Numerical Recipes). */
function splint(xa: Float64Array, ya: Float64Array, y2a: Float64Array, n: number, x: number): number {
  let klo = 0;
  let khi = n - 1;
  while (khi - klo > 1) {
    const k = (khi + klo) >> 1;
    if (xa[k]! > x) khi = k;
    else klo = k;
  }
  const h = xa[khi]! - xa[klo]!;
  const a = (xa[khi]! - x) / h;
  const b = (x - xa[klo]!) / h;
  return (
    a * ya[klo]! + b * ya[khi]! + (((a * a * a - a) * y2a[klo]! + (b * b * b - b) * y2a[khi]!) * h * h) / 6.0
  );
}

/**
 * spline: second derivatives of the cubic spline through (x, y) with end slopes yp1, ypn
 * (≥ 0.99e30: natural end), into y2; u is scratch (Numerical Recipes).
 */
function spline(
  x: Float64Array,
  y: Float64Array,
  n: number,
  yp1: number,
  ypn: number,
  y2: Float64Array,
  u: Float64Array,
): void {
  if (yp1 > 0.99e30) {
    y2[0] = 0;
    u[0] = 0;
  } else {
    y2[0] = -0.5;
    u[0] = (3.0 / (x[1]! - x[0]!)) * ((y[1]! - y[0]!) / (x[1]! - x[0]!) - yp1);
  }
  for (let i = 1; i < n - 1; i++) {
    const sig = (x[i]! - x[i - 1]!) / (x[i + 1]! - x[i - 1]!);
    const p = sig * y2[i - 1]! + 2.0;
    y2[i] = (sig - 1.0) / p;
    u[i] =
      ((6.0 * ((y[i + 1]! - y[i]!) / (x[i + 1]! - x[i]!) - (y[i]! - y[i - 1]!) / (x[i]! - x[i - 1]!))) /
        (x[i + 1]! - x[i - 1]!) -
        sig * u[i - 1]!) /
      p;
  }
  let qn: number;
  let un: number;
  if (ypn > 0.99e30) {
    qn = 0;
    un = 0;
  } else {
    qn = 0.5;
    un = (3.0 / (x[n - 1]! - x[n - 2]!)) * (ypn - (y[n - 1]! - y[n - 2]!) / (x[n - 1]! - x[n - 2]!));
  }
  y2[n - 1] = (un - qn * u[n - 2]!) / (qn * y2[n - 2]! + 1.0);
  for (let k = n - 2; k >= 0; k--) y2[k] = y2[k]! * y2[k + 1]! + u[k]!;
}

/** zeta: geopotential altitude difference of zz from zl, km. */
function zeta(w: Work, zz: number, zl: number): number {
  return ((zz - zl) * (w.re + zl)) / (w.re + zz);
}

/**
 * One spline segment of densm: temperature (into w.tz) and, when xm ≠ 0, the density carried from
 * the segment's first node, for nodes zn (descending), temperatures tn, end gradients tgn.
 */
function densmSegment(
  w: Work,
  z: number,
  dens: number,
  xm: number,
  mn: number,
  zn: Float64Array,
  tn: Float64Array,
  tgn: Float64Array,
): number {
  const { xs, ys, y2 } = w;
  const z1 = zn[0]!;
  const z2 = zn[mn - 1]!;
  const t1 = tn[0]!;
  const t2 = tn[mn - 1]!;
  const zg = zeta(w, z, z1);
  const zgdif = zeta(w, z2, z1);
  for (let k = 0; k < mn; k++) {
    xs[k] = zeta(w, zn[k]!, z1) / zgdif;
    ys[k] = 1.0 / tn[k]!;
  }
  const yd1 = (-tgn[0]! / (t1 * t1)) * zgdif;
  const yd2 = (-tgn[1]! / (t2 * t2)) * zgdif * ((w.re + z2) / (w.re + z1)) ** 2;
  spline(xs, ys, mn, yd1, yd2, y2, w.u);
  const x = zg / zgdif;
  const y = splint(xs, ys, y2, mn, x);
  w.tz = 1.0 / y;
  if (xm !== 0.0) {
    const glb = w.gsurf / (1.0 + z1 / w.re) ** 2;
    const gamm = (xm * glb * zgdif) / RGAS;
    const yi = splini(xs, ys, y2, mn, x);
    let expl = gamm * yi;
    if (expl > 50.0) expl = 50.0;
    dens = dens * (t1 / w.tz) * Math.exp(-expl);
  }
  return dens;
}

/**
 * densm: temperature (w.tz) and density profiles of the lower atmosphere below zn2[0]; returns
 * the temperature when xm = 0, else the density carried down from d0 at zn2[0].
 */
function densm(
  w: Work,
  alt: number,
  d0: number,
  xm: number,
  mn3: number,
  zn3: Float64Array,
  tn3: Float64Array,
  tgn3: Float64Array,
  mn2: number,
  zn2: Float64Array,
  tn2: Float64Array,
  tgn2: Float64Array,
): number {
  let dens = d0;
  if (alt > zn2[0]!) return xm === 0.0 ? w.tz : d0;
  // stratosphere/mesosphere temperature
  const z = Math.max(alt, zn2[mn2 - 1]!);
  dens = densmSegment(w, z, dens, xm, mn2, zn2, tn2, tgn2);
  if (alt > zn3[0]!) return xm === 0.0 ? w.tz : dens;
  // troposphere/stratosphere temperature
  dens = densmSegment(w, alt, dens, xm, mn3, zn3, tn3, tgn3);
  return xm === 0.0 ? w.tz : dens;
}

/**
 * densu: temperature (w.tz) and density profiles of the thermosphere (Bates profile above
 * zn1[0], spline below); returns the temperature when xm = 0, else the density at alt from dlb
 * at zlb.
 */
function densu(
  w: Work,
  alt: number,
  dlb: number,
  tinf: number,
  tlb: number,
  xm: number,
  alpha: number,
  zlb: number,
  s2: number,
  mn1: number,
  zn1: Float64Array,
  tn1: Float64Array,
  tgn1: Float64Array,
): number {
  const { xs, ys, y2 } = w;
  // joining altitude of Bates and spline
  const za = zn1[0]!;
  const z = Math.max(alt, za);
  // geopotential altitude difference from zlb
  const zg2 = zeta(w, z, zlb);
  // Bates temperature
  const tt = tinf - (tinf - tlb) * Math.exp(-s2 * zg2);
  const ta = tt;
  w.tz = tt;
  let densuTemp = w.tz;
  let x = 0;
  let mn = 0;
  let z1 = 0;
  let t1 = 0;
  let zgdif = 0;
  if (alt < za) {
    // temperature gradient at za from the Bates profile
    const dta = (tinf - ta) * s2 * ((w.re + zlb) / (w.re + za)) ** 2;
    tgn1[0] = dta;
    tn1[0] = ta;
    const zz = Math.max(alt, zn1[mn1 - 1]!);
    mn = mn1;
    z1 = zn1[0]!;
    const z2 = zn1[mn - 1]!;
    t1 = tn1[0]!;
    const t2 = tn1[mn - 1]!;
    const zg = zeta(w, zz, z1);
    zgdif = zeta(w, z2, z1);
    for (let k = 0; k < mn; k++) {
      xs[k] = zeta(w, zn1[k]!, z1) / zgdif;
      ys[k] = 1.0 / tn1[k]!;
    }
    const yd1 = (-tgn1[0]! / (t1 * t1)) * zgdif;
    const yd2 = (-tgn1[1]! / (t2 * t2)) * zgdif * ((w.re + z2) / (w.re + z1)) ** 2;
    spline(xs, ys, mn, yd1, yd2, y2, w.u);
    x = zg / zgdif;
    const y = splint(xs, ys, y2, mn, x);
    w.tz = 1.0 / y;
    densuTemp = w.tz;
  }
  if (xm === 0) return densuTemp;

  // density above za
  let glb = w.gsurf / (1.0 + zlb / w.re) ** 2;
  const gamma = (xm * glb) / (s2 * RGAS * tinf);
  let expl = Math.exp(-s2 * gamma * zg2);
  if (expl > 50.0) expl = 50.0;
  if (tt <= 0) expl = 50.0;
  const densa = dlb * (tlb / tt) ** (1.0 + alpha + gamma) * expl;
  densuTemp = densa;
  if (alt >= za) return densuTemp;

  // density below za
  glb = w.gsurf / (1.0 + z1 / w.re) ** 2;
  const gamm = (xm * glb * zgdif) / RGAS;
  const yi = splini(xs, ys, y2, mn, x);
  expl = gamm * yi;
  if (expl > 50.0) expl = 50.0;
  if (w.tz <= 0) expl = 50.0;
  return densuTemp * (t1 / w.tz) ** (1.0 + alpha) * Math.exp(-expl);
}

/** g0 (Eq. A24d): 3-hour magnetic activity function; p24 is p[24] after globe7's clamp. */
function g0(a: number, p: Float64Array, p24: number): number {
  const k = Math.sqrt(p24 * p24);
  return a - 4.0 + (p[25]! - 1.0) * (a - 4.0 + (Math.exp(-k * (a - 4.0)) - 1.0) / k);
}

/** sumex (Eq. A24c). */
function sumex(ex: number): number {
  return 1.0 + ((1.0 - ex ** 19.0) / (1.0 - ex)) * ex ** 0.5;
}

/** sg0 (Eq. A24a): weighted 3-hour ap history. */
function sg0(ex: number, p: Float64Array, ap: ArrayLike<number>, p24: number): number {
  return (
    (g0(ap[1]!, p, p24) +
      (g0(ap[2]!, p, p24) * ex +
        g0(ap[3]!, p, p24) * ex * ex +
        g0(ap[4]!, p, p24) * ex ** 3.0 +
        ((g0(ap[5]!, p, p24) * ex ** 4.0 + g0(ap[6]!, p, p24) * ex ** 12.0) * (1.0 - ex ** 8.0)) /
          (1.0 - ex))) /
    sumex(ex)
  );
}

/** globe7: the G(L) expansion of the upper thermosphere parameters for coefficient set p. */
function globe7(w: Work, p: Float64Array): number {
  const { sw, swc, t } = w;
  const tloc = w.lst;
  t.fill(0);

  // Legendre polynomials
  const c = Math.sin(w.glat * DGTR);
  const s = Math.cos(w.glat * DGTR);
  const c2 = c * c;
  const c4 = c2 * c2;
  const s2 = s * s;
  const l0 = w.plg0;
  const l1 = w.plg1;
  const l2 = w.plg2;
  const l3 = w.plg3;
  l0[1] = c;
  l0[2] = 0.5 * (3.0 * c2 - 1.0);
  l0[3] = 0.5 * (5.0 * c * c2 - 3.0 * c);
  l0[4] = (35.0 * c4 - 30.0 * c2 + 3.0) / 8.0;
  l0[5] = (63.0 * c2 * c2 * c - 70.0 * c2 * c + 15.0 * c) / 8.0;
  l0[6] = (11.0 * c * l0[5]! - 5.0 * l0[4]!) / 6.0;
  l1[1] = s;
  l1[2] = 3.0 * c * s;
  l1[3] = 1.5 * (5.0 * c2 - 1.0) * s;
  l1[4] = 2.5 * (7.0 * c2 * c - 3.0 * c) * s;
  l1[5] = 1.875 * (21.0 * c4 - 14.0 * c2 + 1.0) * s;
  l1[6] = (11.0 * c * l1[5]! - 6.0 * l1[4]!) / 5.0;
  l2[2] = 3.0 * s2;
  l2[3] = 15.0 * s2 * c;
  l2[4] = 7.5 * (7.0 * c2 - 1.0) * s2;
  l2[5] = 3.0 * c * l2[4]! - 2.0 * l2[3]!;
  l2[6] = (11.0 * c * l2[5]! - 7.0 * l2[4]!) / 4.0;
  l2[7] = (13.0 * c * l2[6]! - 8.0 * l2[5]!) / 5.0;
  l3[3] = 15.0 * s2 * s;
  l3[4] = 105.0 * s2 * s * c;
  l3[5] = (9.0 * c * l3[4]! - 7 * l3[3]!) / 2.0;
  l3[6] = (11.0 * c * l3[5]! - 8 * l3[4]!) / 3.0;

  if (!(sw[7] === 0 && sw[8] === 0 && sw[14] === 0)) {
    w.stloc = Math.sin(HR * tloc);
    w.ctloc = Math.cos(HR * tloc);
    w.s2tloc = Math.sin(2.0 * HR * tloc);
    w.c2tloc = Math.cos(2.0 * HR * tloc);
    w.s3tloc = Math.sin(3.0 * HR * tloc);
    w.c3tloc = Math.cos(3.0 * HR * tloc);
  }

  const cd32 = Math.cos(DR * (w.doy - p[31]!));
  const cd18 = Math.cos(2.0 * DR * (w.doy - p[17]!));
  const cd14 = Math.cos(DR * (w.doy - p[13]!));
  const cd39 = Math.cos(2.0 * DR * (w.doy - p[38]!));

  // F10.7 effect
  const df = w.f107 - w.f107A;
  const dfa = w.f107A - 150.0;
  w.dfa = dfa;
  t[0] = p[19]! * df * (1.0 + p[59]! * dfa) + p[20]! * df * df + p[21]! * dfa + p[29]! * dfa ** 2.0;
  const f1 = 1.0 + (p[47]! * dfa + p[19]! * df + p[20]! * df * df) * swc[1]!;
  const f2 = 1.0 + (p[49]! * dfa + p[19]! * df + p[20]! * df * df) * swc[1]!;

  // time independent
  t[1] =
    p[1]! * l0[2]! + p[2]! * l0[4]! + p[22]! * l0[6]! + p[14]! * l0[2]! * dfa * swc[1]! + p[26]! * l0[1]!;
  // symmetrical annual
  t[2] = p[18]! * cd32;
  // symmetrical semiannual
  t[3] = (p[15]! + p[16]! * l0[2]!) * cd18;
  // asymmetrical annual
  t[4] = f1 * (p[9]! * l0[1]! + p[10]! * l0[3]!) * cd14;
  // asymmetrical semiannual
  t[5] = p[37]! * l0[1]! * cd39;

  // diurnal
  if (sw[7]) {
    const t71 = p[11]! * l1[2]! * cd14 * swc[5]!;
    const t72 = p[12]! * l1[2]! * cd14 * swc[5]!;
    t[6] =
      f2 *
      ((p[3]! * l1[1]! + p[4]! * l1[3]! + p[27]! * l1[5]! + t71) * w.ctloc +
        (p[6]! * l1[1]! + p[7]! * l1[3]! + p[28]! * l1[5]! + t72) * w.stloc);
  }
  // semidiurnal
  if (sw[8]) {
    const t81 = (p[23]! * l2[3]! + p[35]! * l2[5]!) * cd14 * swc[5]!;
    const t82 = (p[33]! * l2[3]! + p[36]! * l2[5]!) * cd14 * swc[5]!;
    t[7] =
      f2 *
      ((p[5]! * l2[2]! + p[41]! * l2[4]! + t81) * w.c2tloc +
        (p[8]! * l2[2]! + p[42]! * l2[4]! + t82) * w.s2tloc);
  }
  // terdiurnal
  if (sw[14]) {
    t[13] =
      f2 *
      ((p[39]! * l3[3]! + (p[93]! * l3[4]! + p[46]! * l3[6]!) * cd14 * swc[5]!) * w.s3tloc +
        (p[40]! * l3[3]! + (p[94]! * l3[4]! + p[48]! * l3[6]!) * cd14 * swc[5]!) * w.c3tloc);
  }

  // magnetic activity
  if (sw[9] === -1) {
    const ap = w.apA!;
    if (p[51] !== 0) {
      let exp1 = Math.exp(
        (-10800.0 * Math.sqrt(p[51]! * p[51]!)) / (1.0 + p[138]! * (45.0 - Math.sqrt(w.glat * w.glat))),
      );
      if (exp1 > 0.99999) exp1 = 0.99999;
      const p24 = Math.max(p[24]!, 1.0e-4);
      w.apt0 = sg0(exp1, p, ap, p24);
      if (sw[9]) {
        t[8] =
          w.apt0 *
          (p[50]! +
            p[96]! * l0[2]! +
            p[54]! * l0[4]! +
            (p[125]! * l0[1]! + p[126]! * l0[3]! + p[127]! * l0[5]!) * cd14 * swc[5]! +
            (p[128]! * l1[1]! + p[129]! * l1[3]! + p[130]! * l1[5]!) *
              swc[7]! *
              Math.cos(HR * (tloc - p[131]!)));
      }
    }
  } else {
    const apd = w.ap - 4.0;
    let p44 = p[43]!;
    const p45 = p[44]!;
    if (p44 < 0) p44 = 1.0e-5;
    w.apdf = apd + (p45 - 1.0) * (apd + (Math.exp(-p44 * apd) - 1.0) / p44);
    if (sw[9]) {
      t[8] =
        w.apdf *
        (p[32]! +
          p[45]! * l0[2]! +
          p[34]! * l0[4]! +
          (p[100]! * l0[1]! + p[101]! * l0[3]! + p[102]! * l0[5]!) * cd14 * swc[5]! +
          (p[121]! * l1[1]! + p[122]! * l1[3]! + p[123]! * l1[5]!) *
            swc[7]! *
            Math.cos(HR * (tloc - p[124]!)));
    }
  }

  if (sw[10] && w.glong > -1000.0) {
    // longitudinal
    if (sw[11]) {
      t[10] =
        (1.0 + p[80]! * dfa * swc[1]!) *
        ((p[64]! * l1[2]! +
          p[65]! * l1[4]! +
          p[66]! * l1[6]! +
          p[103]! * l1[1]! +
          p[104]! * l1[3]! +
          p[105]! * l1[5]! +
          swc[5]! * (p[109]! * l1[1]! + p[110]! * l1[3]! + p[111]! * l1[5]!) * cd14) *
          Math.cos(DGTR * w.glong) +
          (p[90]! * l1[2]! +
            p[91]! * l1[4]! +
            p[92]! * l1[6]! +
            p[106]! * l1[1]! +
            p[107]! * l1[3]! +
            p[108]! * l1[5]! +
            swc[5]! * (p[112]! * l1[1]! + p[113]! * l1[3]! + p[114]! * l1[5]!) * cd14) *
            Math.sin(DGTR * w.glong));
    }
    // UT and mixed UT/longitude
    if (sw[12]) {
      t[11] =
        (1.0 + p[95]! * l0[1]!) *
        (1.0 + p[81]! * dfa * swc[1]!) *
        (1.0 + p[119]! * l0[1]! * swc[5]! * cd14) *
        ((p[68]! * l0[1]! + p[69]! * l0[3]! + p[70]! * l0[5]!) * Math.cos(SR * (w.sec - p[71]!)));
      t[11] +=
        swc[11]! *
        (p[76]! * l2[3]! + p[77]! * l2[5]! + p[78]! * l2[7]!) *
        Math.cos(SR * (w.sec - p[79]!) + 2.0 * DGTR * w.glong) *
        (1.0 + p[137]! * dfa * swc[1]!);
    }
    // UT/longitude magnetic activity
    if (sw[13]) {
      if (sw[9] === -1) {
        if (p[51]) {
          t[12] =
            w.apt0 *
              swc[11]! *
              (1 + p[132]! * l0[1]!) *
              ((p[52]! * l1[2]! + p[98]! * l1[4]! + p[67]! * l1[6]!) * Math.cos(DGTR * (w.glong - p[97]!))) +
            w.apt0 *
              swc[11]! *
              swc[5]! *
              (p[133]! * l1[1]! + p[134]! * l1[3]! + p[135]! * l1[5]!) *
              cd14 *
              Math.cos(DGTR * (w.glong - p[136]!)) +
            w.apt0 *
              swc[12]! *
              (p[55]! * l0[1]! + p[56]! * l0[3]! + p[57]! * l0[5]!) *
              Math.cos(SR * (w.sec - p[58]!));
        }
      } else {
        t[12] =
          w.apdf *
            swc[11]! *
            (1.0 + p[120]! * l0[1]!) *
            ((p[60]! * l1[2]! + p[61]! * l1[4]! + p[62]! * l1[6]!) * Math.cos(DGTR * (w.glong - p[63]!))) +
          w.apdf *
            swc[11]! *
            swc[5]! *
            (p[115]! * l1[1]! + p[116]! * l1[3]! + p[117]! * l1[5]!) *
            cd14 *
            Math.cos(DGTR * (w.glong - p[118]!)) +
          w.apdf *
            swc[12]! *
            (p[83]! * l0[1]! + p[84]! * l0[3]! + p[85]! * l0[5]!) *
            Math.cos(SR * (w.sec - p[75]!));
      }
    }
  }

  // parameters not used: 82, 89, 99, 139-149
  let tinf = p[30]!;
  for (let i = 0; i < 14; i++) tinf += Math.abs(sw[i + 1]!) * t[i]!;
  return tinf;
}

/** glob7s: the G(L) expansion of the lower atmosphere (uses globe7's latest Legendre/time terms). */
function glob7s(w: Work, p: Float64Array): number {
  const { sw, swc, t } = w;
  const l0 = w.plg0;
  const l1 = w.plg1;
  const l2 = w.plg2;
  const l3 = w.plg3;
  // confirm parameter set (the C code writes p[99] = 2 when it is 0)
  if (p[99] !== 0 && p[99] !== PSET) {
    throw new AstroError('NRLMSISE_COEFFICIENTS', 'wrong parameter set for glob7s', {
      expected: `p[99] = ${PSET}`,
      found: `p[99] = ${p[99]}`,
    });
  }
  t.fill(0);
  const cd32 = Math.cos(DR * (w.doy - p[31]!));
  const cd18 = Math.cos(2.0 * DR * (w.doy - p[17]!));
  const cd14 = Math.cos(DR * (w.doy - p[13]!));
  const cd39 = Math.cos(2.0 * DR * (w.doy - p[38]!));

  // F10.7
  t[0] = p[21]! * w.dfa;
  // time independent
  t[1] =
    p[1]! * l0[2]! + p[2]! * l0[4]! + p[22]! * l0[6]! + p[26]! * l0[1]! + p[14]! * l0[3]! + p[59]! * l0[5]!;
  // symmetrical annual
  t[2] = (p[18]! + p[47]! * l0[2]! + p[29]! * l0[4]!) * cd32;
  // symmetrical semiannual
  t[3] = (p[15]! + p[16]! * l0[2]! + p[30]! * l0[4]!) * cd18;
  // asymmetrical annual
  t[4] = (p[9]! * l0[1]! + p[10]! * l0[3]! + p[20]! * l0[5]!) * cd14;
  // asymmetrical semiannual
  t[5] = p[37]! * l0[1]! * cd39;
  // diurnal
  if (sw[7]) {
    const t71 = p[11]! * l1[2]! * cd14 * swc[5]!;
    const t72 = p[12]! * l1[2]! * cd14 * swc[5]!;
    t[6] =
      (p[3]! * l1[1]! + p[4]! * l1[3]! + t71) * w.ctloc + (p[6]! * l1[1]! + p[7]! * l1[3]! + t72) * w.stloc;
  }
  // semidiurnal
  if (sw[8]) {
    const t81 = (p[23]! * l2[3]! + p[35]! * l2[5]!) * cd14 * swc[5]!;
    const t82 = (p[33]! * l2[3]! + p[36]! * l2[5]!) * cd14 * swc[5]!;
    t[7] =
      (p[5]! * l2[2]! + p[41]! * l2[4]! + t81) * w.c2tloc +
      (p[8]! * l2[2]! + p[42]! * l2[4]! + t82) * w.s2tloc;
  }
  // terdiurnal
  if (sw[14]) t[13] = p[39]! * l3[3]! * w.s3tloc + p[40]! * l3[3]! * w.c3tloc;
  // magnetic activity
  if (sw[9]) {
    if (sw[9] === 1) t[8] = w.apdf * (p[32]! + p[45]! * l0[2]! * swc[2]!);
    if (sw[9] === -1) t[8] = p[50]! * w.apt0 + p[96]! * l0[2]! * w.apt0 * swc[2]!;
  }
  // longitudinal
  if (!(sw[10] === 0 || sw[11] === 0 || w.glong <= -1000.0)) {
    t[10] =
      (1.0 +
        l0[1]! *
          (p[80]! * swc[5]! * Math.cos(DR * (w.doy - p[81]!)) +
            p[85]! * swc[6]! * Math.cos(2.0 * DR * (w.doy - p[86]!))) +
        p[83]! * swc[3]! * Math.cos(DR * (w.doy - p[84]!)) +
        p[87]! * swc[4]! * Math.cos(2.0 * DR * (w.doy - p[88]!))) *
      ((p[64]! * l1[2]! +
        p[65]! * l1[4]! +
        p[66]! * l1[6]! +
        p[74]! * l1[1]! +
        p[75]! * l1[3]! +
        p[76]! * l1[5]!) *
        Math.cos(DGTR * w.glong) +
        (p[90]! * l1[2]! +
          p[91]! * l1[4]! +
          p[92]! * l1[6]! +
          p[77]! * l1[1]! +
          p[78]! * l1[3]! +
          p[79]! * l1[5]!) *
          Math.sin(DGTR * w.glong));
  }
  let tt = 0;
  for (let i = 0; i < 14; i++) tt += Math.abs(sw[i + 1]!) * t[i]!;
  return tt;
}

/**
 * gts7: thermospheric part of the model, alt ≥ 72.5 km. Writes cgs densities into d[0..8] and
 * [tinf, t(alt)] into temps.
 */
function gts7(c: Nrlmsise00Coefficients, w: Work, alt: number, d: Float64Array, temps: Float64Array): void {
  const { sw } = w;
  const { pt, pd, ps, pdl, ptl, pma, ptm, pdm } = c;
  const pdl0 = pdl[0]!;
  const pdl1 = pdl[1]!;
  const pdm0 = pdm[0]!;
  const pdm1 = pdm[1]!;
  const pdm2 = pdm[2]!;
  const pdm3 = pdm[3]!;
  const pdm4 = pdm[4]!;
  const pdm5 = pdm[5]!;
  const pdm6 = pdm[6]!;
  const pdm7 = pdm[7]!;
  const zn1 = w.zn1;
  const tn1 = w.tn1;
  const tgn1 = w.tgn1;
  const mn1 = 5;
  const za = pdl1[15]!;
  zn1[0] = za;
  d.fill(0);
  const z = alt;

  // Tinf variations not important below za or zn1[0]
  const tinf = alt > zn1[0]! ? ptm[0]! * pt[0]! * (1.0 + sw[16]! * globe7(w, pt)) : ptm[0]! * pt[0]!;
  temps[0] = tinf;
  // gradient variations not important below zn1[4]
  const g0v = alt > zn1[4]! ? ptm[3]! * ps[0]! * (1.0 + sw[19]! * globe7(w, ps)) : ptm[3]! * ps[0]!;
  const tlb = ptm[1]! * (1.0 + sw[17]! * globe7(w, pd[3]!)) * pd[3]![0]!;
  const s = g0v / (tinf - tlb);
  const zlb = ptm[5]!;

  // lower thermosphere temperature variations not significant for density above 300 km
  const [ptl0, ptl1, ptl2, ptl3] = [ptl[0]!, ptl[1]!, ptl[2]!, ptl[3]!];
  const pma8 = pma[8]!;
  if (alt < 300.0) {
    tn1[1] = (ptm[6]! * ptl0[0]!) / (1.0 - sw[18]! * glob7s(w, ptl0));
    tn1[2] = (ptm[2]! * ptl1[0]!) / (1.0 - sw[18]! * glob7s(w, ptl1));
    tn1[3] = (ptm[7]! * ptl2[0]!) / (1.0 - sw[18]! * glob7s(w, ptl2));
    tn1[4] = (ptm[4]! * ptl3[0]!) / (1.0 - sw[18]! * sw[20]! * glob7s(w, ptl3));
    tgn1[1] =
      (ptm[8]! * pma8[0]! * (1.0 + sw[18]! * sw[20]! * glob7s(w, pma8)) * tn1[4]! * tn1[4]!) /
      (ptm[4]! * ptl3[0]!) ** 2.0;
  } else {
    tn1[1] = ptm[6]! * ptl0[0]!;
    tn1[2] = ptm[2]! * ptl1[0]!;
    tn1[3] = ptm[7]! * ptl2[0]!;
    tn1[4] = ptm[4]! * ptl3[0]!;
    tgn1[1] = (ptm[8]! * pma8[0]! * tn1[4]! * tn1[4]!) / (ptm[4]! * ptl3[0]!) ** 2.0;
  }

  const du = (zz: number, dlb: number, ti: number, tl: number, xm: number, alpha: number): number =>
    densu(w, zz, dlb, ti, tl, xm, alpha, zlb, s, mn1, zn1, tn1, tgn1);

  // N2 variation factor at zlb
  const g28 = sw[21]! * globe7(w, pd[2]!);
  // variation of turbopause height
  const zhf =
    pdl1[24]! * (1.0 + sw[5]! * pdl0[24]! * Math.sin(DGTR * w.glat) * Math.cos(DR * (w.doy - pt[13]!)));
  temps[0] = tinf;
  const xmm = pdm2[4]!;

  // N2 density: diffusive density at zlb, then at alt
  const db28 = pdm2[0]! * Math.exp(g28) * pd[2]![0]!;
  d[2] = du(z, db28, tinf, tlb, 28.0, ALPHA[2]);
  // turbopause
  const zh28 = pdm2[2]! * zhf;
  const zhm28 = pdm2[3]! * pdl1[5]!;
  const xmd = 28.0 - xmm;
  // mixed density at zlb
  const b28 = du(zh28, db28, tinf, tlb, xmd, ALPHA[2] - 1.0);
  if (sw[15] && z <= ALTL[2]) {
    // mixed density at alt, then net density
    w.dm28 = du(z, b28, tinf, tlb, xmm, ALPHA[2]);
    d[2] = dnet(d[2]!, w.dm28, zhm28, xmm, 28.0);
  }

  // He density
  const g4 = sw[21]! * globe7(w, pd[0]!);
  const db04 = pdm0[0]! * Math.exp(g4) * pd[0]![0]!;
  d[0] = du(z, db04, tinf, tlb, 4, ALPHA[0]);
  if (sw[15] && z < ALTL[0]) {
    const zh04 = pdm0[2]!;
    const b04 = du(zh04, db04, tinf, tlb, 4 - xmm, ALPHA[0] - 1);
    const dm04 = du(z, b04, tinf, tlb, xmm, 0);
    d[0] = dnet(d[0]!, dm04, zhm28, xmm, 4);
    // correction to the specified mixing ratio at the ground
    const rl = Math.log((b28 * pdm0[1]!) / b04);
    const zc04 = pdm0[4]! * pdl1[0]!;
    const hc04 = pdm0[5]! * pdl1[1]!;
    d[0] = d[0]! * ccor(z, rl, hc04, zc04);
  }

  // O density
  const g16 = sw[21]! * globe7(w, pd[1]!);
  const db16 = pdm1[0]! * Math.exp(g16) * pd[1]![0]!;
  d[1] = du(z, db16, tinf, tlb, 16, ALPHA[1]);
  if (sw[15] && z <= ALTL[1]) {
    const zh16 = pdm1[2]!;
    const b16 = du(zh16, db16, tinf, tlb, 16.0 - xmm, ALPHA[1] - 1.0);
    const dm16 = du(z, b16, tinf, tlb, xmm, 0);
    d[1] = dnet(d[1]!, dm16, zhm28, xmm, 16);
    const rl = pdm1[1]! * pdl1[16]! * (1.0 + sw[1]! * pdl0[23]! * (w.f107A - 150.0));
    const hc16 = pdm1[5]! * pdl1[3]!;
    const zc16 = pdm1[4]! * pdl1[2]!;
    const hc216 = pdm1[5]! * pdl1[4]!;
    d[1] = d[1]! * ccor2(z, rl, hc16, zc16, hc216);
    // chemistry correction
    const hcc16 = pdm1[7]! * pdl1[13]!;
    const zcc16 = pdm1[6]! * pdl1[12]!;
    const rc16 = pdm1[3]! * pdl1[14]!;
    d[1] = d[1]! * ccor(z, rc16, hcc16, zcc16);
  }

  // O2 density
  const g32 = sw[21]! * globe7(w, pd[4]!);
  const db32 = pdm3[0]! * Math.exp(g32) * pd[4]![0]!;
  d[3] = du(z, db32, tinf, tlb, 32, ALPHA[3]);
  if (sw[15]) {
    if (z <= ALTL[3]) {
      const zh32 = pdm3[2]!;
      const b32 = du(zh32, db32, tinf, tlb, 32 - xmm, ALPHA[3] - 1);
      const dm32 = du(z, b32, tinf, tlb, xmm, 0);
      d[3] = dnet(d[3]!, dm32, zhm28, xmm, 32);
      const rl = Math.log((b28 * pdm3[1]!) / b32);
      const hc32 = pdm3[5]! * pdl1[7]!;
      const zc32 = pdm3[4]! * pdl1[6]!;
      d[3] = d[3]! * ccor(z, rl, hc32, zc32);
    }
    // correction for general departure from diffusive equilibrium above zlb
    const hcc32 = pdm3[7]! * pdl1[22]!;
    const hcc232 = pdm3[7]! * pdl0[22]!;
    const zcc32 = pdm3[6]! * pdl1[21]!;
    const rc32 = pdm3[3]! * pdl1[23]! * (1 + sw[1]! * pdl0[23]! * (w.f107A - 150));
    d[3] = d[3]! * ccor2(z, rc32, hcc32, zcc32, hcc232);
  }

  // Ar density
  const g40 = sw[21]! * globe7(w, pd[5]!);
  const db40 = pdm4[0]! * Math.exp(g40) * pd[5]![0]!;
  d[4] = du(z, db40, tinf, tlb, 40, ALPHA[4]);
  if (sw[15] && z <= ALTL[4]) {
    const zh40 = pdm4[2]!;
    const b40 = du(zh40, db40, tinf, tlb, 40 - xmm, ALPHA[4] - 1);
    const dm40 = du(z, b40, tinf, tlb, xmm, 0);
    d[4] = dnet(d[4]!, dm40, zhm28, xmm, 40);
    const rl = Math.log((b28 * pdm4[1]!) / b40);
    const hc40 = pdm4[5]! * pdl1[9]!;
    const zc40 = pdm4[4]! * pdl1[8]!;
    d[4] = d[4]! * ccor(z, rl, hc40, zc40);
  }

  // H density
  const g1 = sw[21]! * globe7(w, pd[6]!);
  const db01 = pdm5[0]! * Math.exp(g1) * pd[6]![0]!;
  d[6] = du(z, db01, tinf, tlb, 1, ALPHA[6]);
  if (sw[15] && z <= ALTL[6]) {
    const zh01 = pdm5[2]!;
    const b01 = du(zh01, db01, tinf, tlb, 1 - xmm, ALPHA[6] - 1);
    const dm01 = du(z, b01, tinf, tlb, xmm, 0);
    d[6] = dnet(d[6]!, dm01, zhm28, xmm, 1);
    const rl = Math.log((b28 * pdm5[1]! * Math.sqrt(pdl1[17]! * pdl1[17]!)) / b01);
    const hc01 = pdm5[5]! * pdl1[11]!;
    const zc01 = pdm5[4]! * pdl1[10]!;
    d[6] = d[6]! * ccor(z, rl, hc01, zc01);
    // chemistry correction
    const hcc01 = pdm5[7]! * pdl1[19]!;
    const zcc01 = pdm5[6]! * pdl1[18]!;
    const rc01 = pdm5[3]! * pdl1[20]!;
    d[6] = d[6]! * ccor(z, rc01, hcc01, zcc01);
  }

  // N density
  const g14 = sw[21]! * globe7(w, pd[7]!);
  const db14 = pdm6[0]! * Math.exp(g14) * pd[7]![0]!;
  d[7] = du(z, db14, tinf, tlb, 14, ALPHA[7]);
  if (sw[15] && z <= ALTL[7]) {
    const zh14 = pdm6[2]!;
    const b14 = du(zh14, db14, tinf, tlb, 14 - xmm, ALPHA[7] - 1);
    const dm14 = du(z, b14, tinf, tlb, xmm, 0);
    d[7] = dnet(d[7]!, dm14, zhm28, xmm, 14);
    const rl = Math.log((b28 * pdm6[1]! * Math.sqrt(pdl0[2]! * pdl0[2]!)) / b14);
    const hc14 = pdm6[5]! * pdl0[1]!;
    const zc14 = pdm6[4]! * pdl0[0]!;
    d[7] = d[7]! * ccor(z, rl, hc14, zc14);
    // chemistry correction
    const hcc14 = pdm6[7]! * pdl0[4]!;
    const zcc14 = pdm6[6]! * pdl0[3]!;
    const rc14 = pdm6[3]! * pdl0[5]!;
    d[7] = d[7]! * ccor(z, rc14, hcc14, zcc14);
  }

  // anomalous O density
  const g16h = sw[21]! * globe7(w, pd[8]!);
  const db16h = pdm7[0]! * Math.exp(g16h) * pd[8]![0]!;
  const tho = pdm7[9]! * pdl0[6]!;
  const dd = du(z, db16h, tho, tho, 16, ALPHA[8]);
  const zsht = pdm7[5]!;
  const zmho = pdm7[4]!;
  const zsho = scalh(w, zmho, 16.0, tho);
  d[8] = dd * Math.exp((-zsht / zsho) * (Math.exp(-(z - zmho) / zsht) - 1));

  // total mass density
  d[5] = massDensity(d, false);

  // temperature
  du(Math.sqrt(alt * alt), 1.0, tinf, tlb, 0.0, 0.0);
  temps[1] = w.tz;
}

/** Total mass density, g/cm³, from cgs number densities (gtd7; gtd7d with anomalous O). */
function massDensity(d: Float64Array, withAnomalousO: boolean): number {
  return (
    AMU_G *
    (4.0 * d[0]! +
      16.0 * d[1]! +
      28.0 * d[2]! +
      32.0 * d[3]! +
      40.0 * d[4]! +
      d[6]! +
      14.0 * d[7]! +
      (withAnomalousO ? 16.0 * d[8]! : 0))
  );
}

/** gtd7: the whole model, alt any; cgs densities into d[0..8], temperatures into temps. */
function gtd7(c: Nrlmsise00Coefficients, w: Work, alt: number, d: Float64Array, temps: Float64Array): void {
  const { sw } = w;
  const { pma, pavgm, pdm } = c;
  const mn3 = 5;
  const mn2 = 4;
  const tn2 = w.tn2;
  const tgn2 = w.tgn2;
  const tn3 = w.tn3;
  const tgn3 = w.tgn3;

  // latitude variation of gravity (none for sw[2] = 0)
  glatf(w, sw[2] === 0 ? 45.0 : w.glat);
  const xmm = pdm[2]![4]!;

  // thermosphere/mesosphere (above zn2[0])
  const altt = Math.max(alt, ZN2[0]!);
  const sd = new Float64Array(9);
  gts7(c, w, altt, sd, temps);
  const dm28m = w.dm28;
  if (alt >= ZN2[0]!) {
    d.set(sd);
    return;
  }

  // lower mesosphere/upper stratosphere (between zn3[0] and zn2[0]): temperature at the nodes and
  // gradients at the end nodes; inverse temperature a linear function of spherical harmonics
  const g7s = (p: Float64Array | undefined): number => glob7s(w, p!);
  const pma0 = pma[0]!;
  const pma1 = pma[1]!;
  const pma2 = pma[2]!;
  tgn2[0] = w.tgn1[1]!;
  tn2[0] = w.tn1[4]!;
  tn2[1] = (pma0[0]! * pavgm[0]!) / (1.0 - sw[20]! * g7s(pma0));
  tn2[2] = (pma1[0]! * pavgm[1]!) / (1.0 - sw[20]! * g7s(pma1));
  tn2[3] = (pma2[0]! * pavgm[2]!) / (1.0 - sw[20]! * sw[22]! * g7s(pma2));
  tgn2[1] =
    (pavgm[8]! * pma[9]![0]! * (1.0 + sw[20]! * sw[22]! * g7s(pma[9])) * tn2[3]! * tn2[3]!) /
    (pma2[0]! * pavgm[2]!) ** 2.0;
  tn3[0] = tn2[3]!;

  if (alt < ZN3[0]!) {
    // lower stratosphere and troposphere (below zn3[0])
    tgn3[0] = tgn2[1]!;
    tn3[1] = (pma[3]![0]! * pavgm[3]!) / (1.0 - sw[22]! * g7s(pma[3]));
    tn3[2] = (pma[4]![0]! * pavgm[4]!) / (1.0 - sw[22]! * g7s(pma[4]));
    tn3[3] = (pma[5]![0]! * pavgm[5]!) / (1.0 - sw[22]! * g7s(pma[5]));
    tn3[4] = (pma[6]![0]! * pavgm[6]!) / (1.0 - sw[22]! * g7s(pma[6]));
    tgn3[1] =
      (pma[7]![0]! * pavgm[7]! * (1.0 + sw[22]! * g7s(pma[7])) * tn3[4]! * tn3[4]!) /
      (pma[6]![0]! * pavgm[6]!) ** 2.0;
  }

  // linear transition to full mixing below zn2[0]
  let dmc = 0;
  if (alt > ZMIX) dmc = 1.0 - (ZN2[0]! - alt) / (ZN2[0]! - ZMIX);
  const dz28 = sd[2]!;

  // N2 density
  let dmr = sd[2]! / dm28m - 1.0;
  d[2] = densm(w, alt, dm28m, xmm, mn3, ZN3, tn3, tgn3, mn2, ZN2, tn2, tgn2);
  d[2] = d[2]! * (1.0 + dmr * dmc);
  // He density
  dmr = sd[0]! / (dz28 * pdm[0]![1]!) - 1.0;
  d[0] = d[2]! * pdm[0]![1]! * (1.0 + dmr * dmc);
  // O density
  d[1] = 0;
  d[8] = 0;
  // O2 density
  dmr = sd[3]! / (dz28 * pdm[3]![1]!) - 1.0;
  d[3] = d[2]! * pdm[3]![1]! * (1.0 + dmr * dmc);
  // Ar density
  dmr = sd[4]! / (dz28 * pdm[4]![1]!) - 1.0;
  d[4] = d[2]! * pdm[4]![1]! * (1.0 + dmr * dmc);
  // H and N densities
  d[6] = 0;
  d[7] = 0;
  // total mass density
  d[5] = massDensity(d, false);
  // temperature at altitude
  densm(w, alt, 1.0, 0, mn3, ZN3, tn3, tgn3, mn2, ZN2, tn2, tgn2);
  temps[1] = w.tz;
}

/** The standard switch setting: all on (1). switches[0] is ignored here (the output is SI). */
const STANDARD_SWITCHES: readonly number[] = [0, ...new Array<number>(NRLMSISE00_SWITCH_COUNT - 1).fill(1)];

function checkInput(input: Nrlmsise00Input, switches: ArrayLike<number>): void {
  const bad = (what: string, expected: string, found: unknown): never => {
    throw new AstroError('NRLMSISE_INPUT', `NRLMSISE-00: ${what}`, { expected, found });
  };
  if (switches.length !== NRLMSISE00_SWITCH_COUNT)
    bad('wrong number of switches', `${NRLMSISE00_SWITCH_COUNT} switches`, switches.length);
  for (let i = 0; i < NRLMSISE00_SWITCH_COUNT; i++) {
    const s = switches[i]!;
    if (!(s === 0 || s === 1 || s === 2 || (i === 9 && s === -1)))
      bad(`switch ${i} is not valid`, i === 9 ? '-1, 0, 1 or 2' : '0, 1 or 2', s);
  }
  const fields = [
    'doy',
    'utSeconds',
    'altKm',
    'latRad',
    'lonRad',
    'lstHours',
    'f107A',
    'f107',
    'ap',
  ] as const;
  for (const f of fields)
    if (!Number.isFinite(input[f])) bad(`input ${f} is not a finite number`, 'a number', input[f]);
  if (switches[9] === -1) {
    const a = input.apArray;
    if (a === undefined || a.length !== 7)
      bad('switches[9] = -1 needs the 7-element ap array', '7 values', a?.length);
    for (let i = 0; i < 7; i++)
      if (!Number.isFinite(a![i])) bad(`ap array value ${i} is not finite`, 'a number', a![i]);
  }
}

/**
 * NRLMSISE-00 (gtd7 and gtd7d) at one point. Number densities m⁻³, mass densities kg/m³,
 * temperatures K.
 *
 * `switches` (24 values, default all 1) selects the model's terms as documented with the model:
 * 0 off, 1 on, 2 main effects off but cross terms on; switches[9] = −1 selects the ap array. When
 * `switches` is omitted and `input.apArray` is given, switches[9] is −1 (ap-array mode); otherwise
 * 1 (daily Ap). switches[0] (metric output in the C code) is ignored: the output is always SI.
 * Throws AstroError `NRLMSISE_INPUT` for a non-finite input or an invalid switch setting.
 */
export function nrlmsise00(
  coeffs: Nrlmsise00Coefficients,
  input: Nrlmsise00Input,
  switches?: ArrayLike<number>,
): Nrlmsise00Output {
  let sws: ArrayLike<number>;
  if (switches !== undefined) sws = switches;
  else if (input.apArray !== undefined) {
    const s = STANDARD_SWITCHES.slice();
    s[9] = -1;
    sws = s;
  } else sws = STANDARD_SWITCHES;
  checkInput(input, sws);
  const w = newWork();
  w.doy = input.doy;
  w.sec = input.utSeconds;
  w.glat = (input.latRad * 180) / Math.PI;
  w.glong = (input.lonRad * 180) / Math.PI;
  w.lst = input.lstHours;
  w.f107A = input.f107A;
  w.f107 = input.f107;
  w.ap = input.ap;
  w.apA = input.apArray;
  tselec(w, sws);
  const d = new Float64Array(9);
  const temps = new Float64Array(2);
  gtd7(coeffs, w, input.altKm, d, temps);
  /** cm⁻³ → m⁻³ and g/cm³ → kg/m³. */
  const PER_CM3 = 1.0e6;
  const G_CM3 = 1.0e3;
  return {
    heM3: d[0]! * PER_CM3,
    oM3: d[1]! * PER_CM3,
    n2M3: d[2]! * PER_CM3,
    o2M3: d[3]! * PER_CM3,
    arM3: d[4]! * PER_CM3,
    hM3: d[6]! * PER_CM3,
    nM3: d[7]! * PER_CM3,
    anomalousOM3: d[8]! * PER_CM3,
    massDensityKgM3: d[5]! * G_CM3,
    dragMassDensityKgM3: massDensity(d, true) * G_CM3,
    exosphericTemperatureK: temps[0]!,
    temperatureK: temps[1]!,
  };
}
