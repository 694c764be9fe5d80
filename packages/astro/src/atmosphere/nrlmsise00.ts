/**
 * NRLMSISE-00 empirical model of the neutral atmosphere, ground to exosphere: number densities of
 * He, O, N2, O2, Ar, H, N and anomalous oxygen, the total mass density, and the exospheric and
 * local temperatures for a date, time, position and solar/geomagnetic activity.
 *
 * Source: J. M. Picone, A. E. Hedin, D. P. Drob, A. C. Aikin, "NRLMSISE-00 empirical model of the
 * atmosphere: Statistical comparisons and scientific issues", J. Geophys. Res. 107(A12), 1468
 * (2002), doi:10.1029/2002JA009430, as coded in NRL's Fortran NRLMSISE-00.DIST17 (Official Beta
 * Release 2.0) and D. Brodowski's C translation (release 20151122). The port follows the C
 * procedures one by one so that it can be read side by side with them: tselec, glatf, ccor, ccor2,
 * scalh, dnet, splini, splint, spline, densm and densu in nrlmsise00-profiles.ts; globe7 and glob7s
 * in nrlmsise00-harmonics.ts; gts7, gtd7 and gtd7d here. The C "static" shared variables (COMMON
 * blocks of the Fortran) live in a per-call `Work` record instead of module state, so calls are
 * independent and re-entrant. The 17 cases of the C test driver are reproduced to their printed
 * 7 digits (test/nrlmsise00.test.ts).
 *
 * Deviations from the C code (only the switch-15 one changes a result, where the C result is
 * undefined):
 * - The output is always SI: number densities in m⁻³ and mass density in kg/m³ (the C code gives
 *   cm⁻³ and g/cm³ unless switches[0] = 1). The model runs in its native cgs units inside and
 *   converts once at the end, so switches[0] is ignored.
 * - Latitude and longitude are taken in radians and turned into the model's degrees here; the
 *   model's own degree-to-radian factor (1.74533e-2) is kept everywhere inside.
 * - glob7s' check that p[99] is the parameter-set marker 2 (or 0, which the C code overwrites
 *   with 2) throws instead of printing and returning −1; globe7's clamp of p[24] to ≥ 1e-4
 *   (ap-array mode) is applied to a local copy, so the coefficient tables are never written.
 * - dnet's diagnostic print is dropped (its return values are kept).
 * - With switch 15 not 1, the C gts7 skips the mixed N2 density dm28, and gtd7 below 72.5 km then
 *   uses whatever dm28 an earlier call left (the result depends on call history). Here dm28 is
 *   always computed for the current call, which equals the C result whenever the C code's dm28
 *   comes from the same inputs (checked by calling the C code twice).
 * - ghp7 (altitude of a pressure level) is not ported.
 *
 * Units of the inputs: geodetic altitude km, geodetic latitude/longitude rad, UT seconds of day,
 * local apparent solar time hours, F10.7 in solar flux units (10⁻²² W m⁻² Hz⁻¹) at the Earth's
 * distance (not adjusted to 1 AU), Ap and ap in the index's own units (2 nT).
 */
import { AstroError } from '../errors.js';
import type { Nrlmsise00Coefficients } from './nrlmsise00-coefficients.js';
import { glob7s, globe7 } from './nrlmsise00-harmonics.js';
import {
  ALPHA,
  ALTL,
  AMU_G,
  ccor,
  ccor2,
  DGTR,
  DR,
  densm,
  densu,
  dnet,
  glatf,
  NRLMSISE00_SWITCH_COUNT,
  newWork,
  scalh,
  tselec,
  type Work,
  ZMIX,
  ZN2,
  ZN3,
} from './nrlmsise00-profiles.js';

export { NRLMSISE00_SWITCH_COUNT };

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
  if (z <= ALTL[2]) {
    // mixed density at alt (computed even with switch 15 off: gtd7 needs it below 72.5 km), then
    // net density
    w.dm28 = du(z, b28, tinf, tlb, xmm, ALPHA[2]);
    if (sw[15]) d[2] = dnet(d[2]!, w.dm28, zhm28, xmm, 28.0);
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
  const sd = w.sd;
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
/** The standard setting with switches[9] = −1 (ap array). */
const AP_ARRAY_SWITCHES: readonly number[] = STANDARD_SWITCHES.map((s, i) => (i === 9 ? -1 : s));

/**
 * Scratch state of one evaluation (the C code's shared variables). Passing the same workspace to
 * successive calls saves its allocation (about a third of the time of a call); results do not
 * depend on it. Not for concurrent use (JavaScript calls never overlap within a thread).
 */
export class Nrlmsise00Workspace {
  /** @internal */
  readonly work: Work = newWork();
}

/** The numeric inputs, checked for being finite. */
const NUMERIC_INPUTS = [
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
  for (const f of NUMERIC_INPUTS)
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
 * `workspace` (optional) is reused scratch memory, see Nrlmsise00Workspace.
 */
export function nrlmsise00(
  coeffs: Nrlmsise00Coefficients,
  input: Nrlmsise00Input,
  switches?: ArrayLike<number>,
  workspace?: Nrlmsise00Workspace,
): Nrlmsise00Output {
  const sws = switches ?? (input.apArray === undefined ? STANDARD_SWITCHES : AP_ARRAY_SWITCHES);
  checkInput(input, sws);
  const w = workspace === undefined ? newWork() : workspace.work;
  // results never depend on an earlier call (the C code's apt[0] carries over; it is always
  // recomputed before use)
  w.apt0 = 0;
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
  const d = w.d;
  const temps = w.temps;
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
