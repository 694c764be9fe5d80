/**
 * NRLMSISE-00, part 2 of 3: the spherical-harmonic expansions G(L) of the model — globe7 (upper
 * thermosphere, with the 3-hour ap functions g0, sumex, sg0 of Picone et al. 2002 Eq. A24) and
 * glob7s (lower atmosphere) — ported one by one from D. Brodowski's C NRLMSISE-00 (release
 * 20151122; see nrlmsise00.ts). Internal to the atmosphere module.
 */
import { AstroError } from '../errors.js';
import { DGTR, DR, HR, PSET, SR, type Work } from './nrlmsise00-profiles.js';

/** g0 (Eq. A24d): 3-hour magnetic activity function; p24 is p[24] after globe7's clamp. */
export function g0(a: number, p: Float64Array, p24: number): number {
  const k = Math.sqrt(p24 * p24);
  return a - 4.0 + (p[25]! - 1.0) * (a - 4.0 + (Math.exp(-k * (a - 4.0)) - 1.0) / k);
}

/** sumex (Eq. A24c). */
export function sumex(ex: number): number {
  return 1.0 + ((1.0 - ex ** 19.0) / (1.0 - ex)) * ex ** 0.5;
}

/** sg0 (Eq. A24a): weighted 3-hour ap history. */
export function sg0(ex: number, p: Float64Array, ap: ArrayLike<number>, p24: number): number {
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
export function globe7(w: Work, p: Float64Array): number {
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
export function glob7s(w: Work, p: Float64Array): number {
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
