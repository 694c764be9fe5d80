/**
 * The distributions of the NASA Standard Breakup Model (EVOLVE 4.0): Johnson, Krisko, Liou,
 * Anz-Meador, "NASA's new breakup model of EVOLVE 4.0", Adv. Space Res. 28(9):1377–1384, 2001, with
 * Krisko, "Proper Implementation of the 1998 NASA Breakup Model", ODQN 15(4), 2011. Equation
 * numbers below are Johnson 2001's.
 *
 * - Fragment count (eq. 2–4): N(≥Lc) = 6·S·Lc^−1.6 (explosion), N(≥Lc) = 0.1·M^0.75·Lc^−1.71
 *   (collision). M is m_t + m_p for a catastrophic collision (specific energy ≥ 40 J/g), else
 *   m_p·v² (m_p in kg, v in km/s): the squared speed is Krisko 2011's reading, as in ESA's
 *   implementation (Johnson 2001 printed m_p·v).
 * - Characteristic lengths: the pdf of the power law, ∝ Lc^(n−1) with n = −1.6 or −1.71,
 *   truncated to [Lc_min, Lc_max], sampled by inverse CDF.
 * - Area-to-mass, χ = log10(A/m [m²/kg]), λ = log10(Lc [m]): Lc > 11 cm the bimodal normal of
 *   eq. 5 (rocket bodies) or eq. 6 (spacecraft); Lc < 8 cm the normal of eq. 7; between 8 and 11 cm
 *   the bridge of ESA's implementation (esa/NASA-breakup-model-cpp): A/m = y0 + (Lc − 0.08)·(y1 − y0)/0.03
 *   with y0 an A/m drawn from the small-fragment law and y1 one from the large-fragment law, linear
 *   in A/m (not in χ).
 * - Area (eq. 8): A = 0.540424·Lc² (Lc < 1.67 mm), 0.556945·Lc^2.0047077 otherwise; m = A/(A/m).
 * - Ejection speed (eq. 11–12): ν = log10(Δv [m/s]) ~ N(0.2χ + 1.85, 0.4) (explosion) or
 *   N(0.9χ + 2.9, 0.4) (collision), direction uniform on the sphere.
 * Randomness comes from a generator passed in (same seed, same fragments). Lengths in m, areas in
 * m², masses in kg, speeds in m/s here: the model's own units, converted by the caller.
 */
import { AstroError } from '../errors.js';
import { erfc } from '../pc/special.js';

/** What kind of breakup. */
export type BreakupKind = 'explosion' | 'collision';
/** Which area-to-mass law applies to the large fragments (eq. 5 or eq. 6). */
export type BreakupParentType = 'spacecraft' | 'rocket-body';

/** A seeded uniform and normal source (PcRandom satisfies it). */
export interface BreakupRandom {
  /** Uniform in [0, 1). */
  nextDouble(): number;
  /** Standard normal. */
  nextNormal(): number;
}

/** Catastrophic-collision threshold of the specific energy, J/g (Johnson 2001 §2.2). */
export const CATASTROPHIC_ENERGY_J_PER_G = 40;
/** Power-law exponents of N(≥Lc) (eq. 2 and 4). */
export const EXPLOSION_COUNT_EXPONENT = -1.6;
export const COLLISION_COUNT_EXPONENT = -1.71;
/** Standard deviation of ν = log10(Δv) (eq. 11–12). */
export const DELTA_V_LOG10_SIGMA = 0.4;
/** Upper end of the small-fragment A/m law and lower end of the large-fragment law, m. */
export const SMALL_FRAGMENT_MAX_LC_M = 0.08;
export const LARGE_FRAGMENT_MIN_LC_M = 0.11;

/** Classification of a collision by its specific energy. */
export interface CollisionMass {
  /** ½·m_p·v²/m_t, J/g. */
  readonly specificEnergyJPerG: number;
  readonly catastrophic: boolean;
  /** The M of N(≥Lc) = 0.1·M^0.75·Lc^−1.71, kg (catastrophic) or kg·(km/s)² (not). */
  readonly massKg: number;
}

function positive(value: number, key: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new AstroError('BREAKUP_OPTION', `breakup input ${key} must be a positive number, got ${value}`, {
      key,
      expected: '> 0',
      found: value,
    });
  }
  return value;
}

/**
 * The collision's M and whether it is catastrophic: E* = ½·m_p·v²/m_t ≥ 40 J/g (v in m/s, masses
 * in kg, divided by 1000 for J/g). Target and projectile masses in kg, impact speed in km/s.
 */
export function collisionMass(
  targetMassKg: number,
  impactorMassKg: number,
  impactSpeedKmS: number,
): CollisionMass {
  positive(targetMassKg, 'targetMassKg');
  positive(impactorMassKg, 'impactorMassKg');
  positive(impactSpeedKmS, 'impactSpeedKmS');
  const vMs = impactSpeedKmS * 1000;
  const specificEnergyJPerG = (0.5 * impactorMassKg * vMs * vMs) / targetMassKg / 1000;
  const catastrophic = specificEnergyJPerG >= CATASTROPHIC_ENERGY_J_PER_G;
  const massKg = catastrophic
    ? targetMassKg + impactorMassKg
    : impactorMassKg * impactSpeedKmS * impactSpeedKmS;
  return { specificEnergyJPerG, catastrophic, massKg };
}

/** The size law of one event: N(≥Lc) = coefficient·Lc^exponent. */
export interface SizeLaw {
  readonly coefficient: number;
  readonly exponent: number;
}

/** N(≥Lc) = 6·S·Lc^−1.6 (S = 1 for a nominal upper stage of 600–1000 kg). */
export function explosionSizeLaw(scale = 1): SizeLaw {
  return { coefficient: 6 * positive(scale, 'explosionScale'), exponent: EXPLOSION_COUNT_EXPONENT };
}

/** N(≥Lc) = 0.1·M^0.75·Lc^−1.71 with M from `collisionMass`. */
export function collisionSizeLaw(massKg: number): SizeLaw {
  return { coefficient: 0.1 * positive(massKg, 'massKg') ** 0.75, exponent: COLLISION_COUNT_EXPONENT };
}

/** Expected number of fragments with characteristic length ≥ lcM (m). */
export function cumulativeCount(law: SizeLaw, lcM: number): number {
  return law.coefficient * lcM ** law.exponent;
}

/**
 * CDF of the characteristic length on [lcMin, lcMax] (the power law truncated there):
 * F(L) = (Lmin^n − L^n)/(Lmin^n − Lmax^n) with n the law's (negative) exponent.
 */
export function characteristicLengthCdf(law: SizeLaw, lcMinM: number, lcMaxM: number, lcM: number): number {
  if (lcM <= lcMinM) return 0;
  if (lcM >= lcMaxM) return 1;
  const n = law.exponent;
  return (lcMinM ** n - lcM ** n) / (lcMinM ** n - lcMaxM ** n);
}

/** Inverse of `characteristicLengthCdf` at a uniform y: Lc = [Lmin^n − y·(Lmin^n − Lmax^n)]^(1/n). */
export function sampleCharacteristicLength(
  law: SizeLaw,
  lcMinM: number,
  lcMaxM: number,
  rng: BreakupRandom,
): number {
  const n = law.exponent;
  const y = rng.nextDouble();
  return (lcMinM ** n - y * (lcMinM ** n - lcMaxM ** n)) ** (1 / n);
}

/** Piecewise-linear in λ with constant ends: v0 at or below l0, v1 at or above l1. */
function ramp(lambda: number, l0: number, v0: number, l1: number, v1: number): number {
  if (lambda <= l0) return v0;
  if (lambda >= l1) return v1;
  return v0 + ((v1 - v0) * (lambda - l0)) / (l1 - l0);
}

/** Parameters of χ ~ α·N(μ1, σ1) + (1 − α)·N(μ2, σ2) for Lc > 11 cm (eq. 5 and 6). */
export interface LargeAreaToMassLaw {
  readonly alpha: number;
  readonly mu1: number;
  readonly sigma1: number;
  readonly mu2: number;
  readonly sigma2: number;
}

/**
 * Eq. 5 (rocket bodies) and eq. 6 (spacecraft): the bimodal law's parameters at λ = log10(Lc [m]),
 * each linear in λ between its breakpoints and constant outside them (domain.md §2.4 table).
 */
export function largeAreaToMassLaw(lambda: number, parent: BreakupParentType): LargeAreaToMassLaw {
  if (parent === 'rocket-body') {
    return {
      alpha: ramp(lambda, -1.4, 1, 0, 0.5),
      mu1: ramp(lambda, -0.5, -0.45, 0, -0.9),
      sigma1: 0.55,
      mu2: -0.9,
      sigma2: ramp(lambda, -1, 0.28, 0.1, 0.1),
    };
  }
  return {
    // 0 at λ ≤ −1.95, 0.3 + 0.4(λ + 1.2) between, 1 at λ ≥ 0.55: the line reaches 0 and 1 there.
    alpha: ramp(lambda, -1.95, 0, 0.55, 1),
    mu1: ramp(lambda, -1.1, -0.6, 0, -0.95),
    sigma1: ramp(lambda, -1.3, 0.1, -0.3, 0.3),
    mu2: ramp(lambda, -0.7, -1.2, -0.1, -2.0),
    sigma2: ramp(lambda, -0.5, 0.5, -0.3, 0.3),
  };
}

/** Mean and standard deviation of χ ~ N(μ, σ) for Lc < 8 cm (eq. 7). */
export function smallAreaToMassLaw(lambda: number): { readonly mu: number; readonly sigma: number } {
  return {
    mu: ramp(lambda, -1.75, -0.3, -1.25, -1.0),
    sigma: lambda <= -3.5 ? 0.2 : 0.2 + 0.1333 * (lambda + 3.5),
  };
}

/** Standard normal CDF, Φ(x) = ½·erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * CDF of χ = log10(A/m) at a characteristic length outside the bridge (Lc < 8 cm or Lc > 11 cm);
 * NaN inside it, where A/m is a linear mix of two draws (use `areaToMassMean` there).
 */
export function log10AreaToMassCdf(lcM: number, parent: BreakupParentType, chi: number): number {
  const lambda = Math.log10(lcM);
  if (lcM < SMALL_FRAGMENT_MAX_LC_M) {
    const s = smallAreaToMassLaw(lambda);
    return normalCdf((chi - s.mu) / s.sigma);
  }
  if (lcM > LARGE_FRAGMENT_MIN_LC_M) {
    const p = largeAreaToMassLaw(lambda, parent);
    return (
      p.alpha * normalCdf((chi - p.mu1) / p.sigma1) + (1 - p.alpha) * normalCdf((chi - p.mu2) / p.sigma2)
    );
  }
  return Number.NaN;
}

/** E[10^X] for X ~ N(μ, σ): exp(μ·ln10 + (σ·ln10)²/2). */
function meanPow10(mu: number, sigma: number): number {
  return Math.exp(mu * Math.LN10 + (sigma * Math.LN10) ** 2 / 2);
}

/** The expected A/m (m²/kg) at a characteristic length, in all three regimes. */
export function areaToMassMean(lcM: number, parent: BreakupParentType): number {
  const lambda = Math.log10(lcM);
  const s = smallAreaToMassLaw(lambda);
  const p = largeAreaToMassLaw(lambda, parent);
  const small = meanPow10(s.mu, s.sigma);
  const large = p.alpha * meanPow10(p.mu1, p.sigma1) + (1 - p.alpha) * meanPow10(p.mu2, p.sigma2);
  if (lcM < SMALL_FRAGMENT_MAX_LC_M) return small;
  if (lcM > LARGE_FRAGMENT_MIN_LC_M) return large;
  const w = (lcM - SMALL_FRAGMENT_MAX_LC_M) / (LARGE_FRAGMENT_MIN_LC_M - SMALL_FRAGMENT_MAX_LC_M);
  return small + w * (large - small);
}

function sampleSmallChi(lambda: number, rng: BreakupRandom): number {
  const s = smallAreaToMassLaw(lambda);
  return s.mu + s.sigma * rng.nextNormal();
}

function sampleLargeChi(lambda: number, parent: BreakupParentType, rng: BreakupRandom): number {
  const p = largeAreaToMassLaw(lambda, parent);
  // One uniform picks the mode, one normal the value (α = 1 or 0 still consumes both: a fixed draw
  // count per fragment keeps sequences aligned across parameter changes).
  const first = rng.nextDouble() < p.alpha;
  const z = rng.nextNormal();
  return first ? p.mu1 + p.sigma1 * z : p.mu2 + p.sigma2 * z;
}

/** Draws A/m (m²/kg) for a fragment of characteristic length lcM (m). */
export function sampleAreaToMass(lcM: number, parent: BreakupParentType, rng: BreakupRandom): number {
  const lambda = Math.log10(lcM);
  if (lcM < SMALL_FRAGMENT_MAX_LC_M) return 10 ** sampleSmallChi(lambda, rng);
  if (lcM > LARGE_FRAGMENT_MIN_LC_M) return 10 ** sampleLargeChi(lambda, parent, rng);
  const y0 = 10 ** sampleSmallChi(lambda, rng);
  const y1 = 10 ** sampleLargeChi(lambda, parent, rng);
  return (
    y0 + ((lcM - SMALL_FRAGMENT_MAX_LC_M) * (y1 - y0)) / (LARGE_FRAGMENT_MIN_LC_M - SMALL_FRAGMENT_MAX_LC_M)
  );
}

/** Average cross-section (eq. 8), m², of a fragment of characteristic length lcM (m). */
export function areaFromCharacteristicLength(lcM: number): number {
  return lcM < 0.00167 ? 0.540424 * lcM * lcM : 0.556945 * lcM ** 2.0047077;
}

/**
 * Characteristic length (m) of a body of mass m (kg): a sphere of density 92.937·Lc^−0.74 kg/m³,
 * Lc = (6m/(92.937·π))^(1/2.26) (Krisko 2011; used for the largest fragment a parent can make).
 */
export function characteristicLengthFromMass(massKg: number): number {
  return ((6 * massKg) / (92.937 * Math.PI)) ** (1 / 2.26);
}

/** Mean of ν = log10(Δv [m/s]) given χ (eq. 11 explosion, eq. 12 collision). */
export function deltaVLog10Mean(kind: BreakupKind, chi: number): number {
  return kind === 'explosion' ? 0.2 * chi + 1.85 : 0.9 * chi + 2.9;
}

/** Draws the ejection speed Δv (m/s) of a fragment of area-to-mass ratio amM2PerKg. */
export function sampleDeltaV(kind: BreakupKind, amM2PerKg: number, rng: BreakupRandom): number {
  return 10 ** (deltaVLog10Mean(kind, Math.log10(amM2PerKg)) + DELTA_V_LOG10_SIGMA * rng.nextNormal());
}

/** A unit vector uniform on the sphere (z uniform in [−1, 1], azimuth uniform), written into out. */
export function sampleIsotropicDirection(rng: BreakupRandom, out: Float64Array | number[]): void {
  const z = 2 * rng.nextDouble() - 1;
  const phi = 2 * Math.PI * rng.nextDouble();
  const s = Math.sqrt(Math.max(0, 1 - z * z));
  out[0] = s * Math.cos(phi);
  out[1] = s * Math.sin(phi);
  out[2] = z;
}
