/**
 * Globally adaptive 1-D quadrature with the 7-point Gauss / 15-point Kronrod pair, in the manner
 * of QUADPACK's QAG (Piessens, de Doncker-Kapenga, Überhuber, Kahaner, "QUADPACK", Springer 1983,
 * routines QK15 and QAGE): every pass bisects the sub-interval with the largest error estimate
 * until the summed estimate is below max(absTol, relTol·|integral|). The error estimate is the
 * plain |K15 − G7| floored at 50·ε·∫|f| (QUADPACK's ^1.5 rescaling is deliberately not used: it
 * proved optimistic on the erf steps of large-HBR Pc integrals). The nodes and weights are
 * QK15's, rounded to float64 and checked to integrate x^k exactly (k ≤ 22 for Kronrod, ≤ 13 for
 * Gauss).
 *
 * The interval table lives in module-level typed arrays, so a call allocates nothing but its
 * result object. Not re-entrant: the integrand must not call `integrateAdaptive` itself.
 */

/** Kronrod nodes (positive half, descending; the last is 0), QUADPACK qk15 `xgk`. */
const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
/** Kronrod weights, QUADPACK qk15 `wgk`. */
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
/** Gauss weights of the embedded 7-point rule (nodes XGK[1], XGK[3], XGK[5], XGK[7]), qk15 `wg`. */
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

const EPS = 2.220446049250313e-16;
const MAX_INTERVALS = 2000;
const ia = new Float64Array(MAX_INTERVALS);
const ib = new Float64Array(MAX_INTERVALS);
const iv = new Float64Array(MAX_INTERVALS);
const ie = new Float64Array(MAX_INTERVALS);

/** Outcome of an adaptive integration. */
export interface QuadratureResult {
  /** The integral. */
  value: number;
  /** Estimated absolute error. */
  error: number;
  /** Integrand evaluations used. */
  evaluations: number;
  /** Whether the requested tolerance was reached within the interval budget. */
  converged: boolean;
}

let lastValue = 0;
let lastError = 0;

/** One Gauss–Kronrod 7/15 pass on [a, b]; sets lastValue and lastError. */
function gk15(f: (x: number) => number, a: number, b: number): void {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let resK = fc * WGK[7]!;
  let resG = fc * WG[3]!;
  let resAbs = Math.abs(resK);
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    const f1 = f(c - dx);
    const f2 = f(c + dx);
    resK += WGK[j]! * (f1 + f2);
    resAbs += WGK[j]! * (Math.abs(f1) + Math.abs(f2));
    if (j % 2 === 1) resG += WG[(j - 1) >> 1]! * (f1 + f2);
  }
  resAbs *= Math.abs(h);
  let err = Math.abs((resK - resG) * h);
  if (resAbs > Number.MIN_VALUE / (50 * EPS)) err = Math.max(50 * EPS * resAbs, err);
  lastValue = resK * h;
  lastError = err;
}

/**
 * ∫ f over [points[0], points[count−1]], with the interior points as initial break points (they
 * must be ascending; duplicates are skipped). Returns value and estimated error.
 */
export function integrateAdaptive(
  f: (x: number) => number,
  points: ArrayLike<number>,
  count: number,
  relTol: number,
  absTol: number,
): QuadratureResult {
  let n = 0;
  let evaluations = 0;
  for (let k = 0; k + 1 < count; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    if (!(b > a)) continue;
    gk15(f, a, b);
    evaluations += 15;
    ia[n] = a;
    ib[n] = b;
    iv[n] = lastValue;
    ie[n] = lastError;
    n++;
  }
  let total = 0;
  let totalErr = 0;
  let converged = false;
  for (;;) {
    total = 0;
    totalErr = 0;
    let worst = 0;
    for (let k = 0; k < n; k++) {
      total += iv[k]!;
      totalErr += ie[k]!;
      if (ie[k]! > ie[worst]!) worst = k;
    }
    if (totalErr <= Math.max(absTol, relTol * Math.abs(total))) {
      converged = true;
      break;
    }
    if (n >= MAX_INTERVALS) break;
    const a = ia[worst]!;
    const b = ib[worst]!;
    const m = 0.5 * (a + b);
    if (!(m > a && m < b)) break; // interval can no longer be split in float64
    gk15(f, a, m);
    const v1 = lastValue;
    const e1 = lastError;
    gk15(f, m, b);
    evaluations += 30;
    ib[worst] = m;
    iv[worst] = v1;
    ie[worst] = e1;
    ia[n] = m;
    ib[n] = b;
    iv[n] = lastValue;
    ie[n] = lastError;
    n++;
  }
  return { value: total, error: totalErr, evaluations, converged };
}
