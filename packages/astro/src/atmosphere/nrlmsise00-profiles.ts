/**
 * NRLMSISE-00, part 1 of 3: the model's constants, its per-evaluation state (the C code's shared
 * static variables, COMMON blocks of the Fortran) and the vertical-profile procedures of the C
 * code — tselec, glatf, ccor, ccor2, scalh, dnet, splini, splint, spline, densm, densu — ported one
 * by one from D. Brodowski's C NRLMSISE-00 (release 20151122; see nrlmsise00.ts for the source and
 * the deviations). Internal to the atmosphere module: not re-exported from the package index.
 */

/** Number of model switches. */
export const NRLMSISE00_SWITCH_COUNT = 24;

/** Degrees to radians as the model codes it (C `dgtr`). */
export const DGTR = 1.74533e-2;
/** Day-of-year angular rate, rad/day (C `dr`, 2π/365). */
export const DR = 1.72142e-2;
/** UT angular rate, rad/s (C `sr`, 2π/86400). */
export const SR = 7.2722e-5;
/** Local-time angular rate, rad/hour (C `hr`, 2π/24). */
export const HR = 0.2618;
/** Gas constant in the model's units (C `rgas`). */
export const RGAS = 831.4;
/** Atomic mass unit as the model codes it, g. */
export const AMU_G = 1.66e-24;
/** glob7s parameter-set marker expected in p[99] (C `pset`). */
export const PSET = 2.0;
/**
 * Altitude nodes of the lower-thermosphere spline, km (C gts7 `zn1`); gts7 replaces the first by
 * za = pdl[1][15] at run time.
 */
export const ZN1 = [120.0, 110.0, 100.0, 90.0, 72.5] as const;
/** Altitude nodes of the lower-stratosphere/troposphere spline, km (C gtd7 `zn3`). */
export const ZN3 = Float64Array.of(32.5, 20.0, 15.0, 10.0, 0.0);
/** Altitude nodes of the lower-mesosphere/upper-stratosphere spline, km (C gtd7 `zn2`). */
export const ZN2 = Float64Array.of(72.5, 55.0, 45.0, 32.5);
/** Altitude below which the atmosphere is fully mixed, km (C gtd7 `zmix`). */
export const ZMIX = 62.5;
/** Thermal diffusion coefficients, indexed like d[] (C gts7 `alpha`). */
export const ALPHA = [-0.38, 0.0, 0.0, 0.0, 0.17, 0.0, -0.38, 0.0, 0.0] as const;
/** Altitude limits of the mixing correction, km, indexed like d[] (C gts7 `altl`). */
export const ALTL = [200.0, 300.0, 160.0, 250.0, 240.0, 450.0, 320.0, 450.0] as const;

/** The C code's shared ("static") variables and the inputs, for one model evaluation. */
export interface Work {
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
  // gts7 output inside gtd7, and the cgs densities / temperatures of the call
  readonly sd: Float64Array;
  readonly d: Float64Array;
  readonly temps: Float64Array;
}

export function newWork(): Work {
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
    zn1: Float64Array.from(ZN1),
    sd: new Float64Array(9),
    d: new Float64Array(9),
    temps: new Float64Array(2),
  };
}

/** tselec: sw[i] = (switch == 1), swc[i] = (switch > 0), both = switch for i = 9. */
export function tselec(w: Work, switches: ArrayLike<number>): void {
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
export function glatf(w: Work, lat: number): void {
  const c2 = Math.cos(2.0 * DGTR * lat);
  w.gsurf = 980.616 * (1.0 - 0.0026373 * c2);
  w.re = ((2.0 * w.gsurf) / (3.085462e-6 + 2.27e-9 * c2)) * 1.0e-5;
}

/** ccor: chemistry/dissociation correction (r target ratio, h1 scale length, zh altitude of r/2). */
export function ccor(alt: number, r: number, h1: number, zh: number): number {
  const e = (alt - zh) / h1;
  if (e > 70) return 1.0;
  if (e < -70) return Math.exp(r);
  return Math.exp(r / (1.0 + Math.exp(e)));
}

/** ccor2: ccor with two transition scale lengths. */
export function ccor2(alt: number, r: number, h1: number, zh: number, h2: number): number {
  const e1 = (alt - zh) / h1;
  const e2 = (alt - zh) / h2;
  if (e1 > 70 || e2 > 70) return 1.0;
  if (e1 < -70 && e2 < -70) return Math.exp(r);
  return Math.exp(r / (1.0 + 0.5 * (Math.exp(e1) + Math.exp(e2))));
}

/** scalh: scale height, km. */
export function scalh(w: Work, alt: number, xm: number, temp: number): number {
  const g = w.gsurf / (1.0 + alt / w.re) ** 2;
  return (RGAS * temp) / (g * xm);
}

/**
 * dnet: turbopause correction, combining diffusive density dd and fully mixed density dm (zhm
 * transition scale length, xmm mixed and xm species molecular weight).
 */
export function dnet(dd: number, dm: number, zhm: number, xmm: number, xm: number): number {
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
export function splini(xa: Float64Array, ya: Float64Array, y2a: Float64Array, n: number, x: number): number {
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
export function splint(xa: Float64Array, ya: Float64Array, y2a: Float64Array, n: number, x: number): number {
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
export function spline(
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
export function zeta(w: Work, zz: number, zl: number): number {
  return ((zz - zl) * (w.re + zl)) / (w.re + zz);
}

/**
 * One spline segment of densm: temperature (into w.tz) and, when xm ≠ 0, the density carried from
 * the segment's first node, for nodes zn (descending), temperatures tn, end gradients tgn.
 */
export function densmSegment(
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
export function densm(
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
export function densu(
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
