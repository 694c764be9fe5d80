/**
 * Monte Carlo checks of the 2-D Pc, with a seedable generator so tests are reproducible.
 *
 * - `pcMonteCarlo2d`: samples the relative position in the encounter plane from N(0, diag(σx², σz²))
 *   (principal axes) and counts samples within R of the miss point — the event whose probability
 *   Foster's integral computes.
 * - `pcMonteCarloLinear3d`: samples the 3-D relative position at TCA from N(r1 − r2, C1 + C2) in
 *   the input frame and counts samples whose straight-line relative trajectory (constant relative
 *   velocity) passes within R: |Δr|² − (Δr·v̂)² ≤ R². It never builds the encounter plane, so it is
 *   an independent check of the projection in encounter-plane.ts.
 *
 * Generator: xoshiro128** (D. Blackman, S. Vigna, "Scrambled Linear Pseudorandom Number
 * Generators", ACM TOMS 47(4), 2021), state seeded by a 32-bit integer hash of the seed; doubles
 * carry 53 random bits; normals by Marsaglia's polar method. Confidence interval: Wilson score
 * interval at 95% (E. B. Wilson, JASA 22:209–212, 1927), which stays inside [0, 1] and is sensible
 * with zero hits (CARA's SDMC reports the exact Clopper–Pearson interval; the two agree closely
 * for the sample sizes used here).
 */
import { AstroError } from '../errors.js';
import {
  checkConjunction,
  checkEncounter2D,
  checkHbr,
  type PcConjunction,
  type PcEncounter2D,
} from './encounter-plane.js';
import { type PcResultBase, type PcSourceOptions, pcConfidenceOf } from './pc-result.js';

/** Seedable xoshiro128** generator. */
export class PcRandom {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal deviate (Marsaglia polar method). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Wilson score 95% interval for `hits` successes in `n` trials. */
export function wilsonInterval95(hits: number, n: number): readonly [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = hits / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z95 / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [hits === 0 ? 0 : Math.max(0, centre - half), hits === n ? 1 : Math.min(1, centre + half)];
}

/** Options of the Monte Carlo methods. */
export interface PcMonteCarloOptions extends PcSourceOptions {
  /** Number of samples; default 1e6. */
  readonly samples?: number;
  /** Generator seed; default 1. */
  readonly seed?: number;
}

/** Monte Carlo result: the hit fraction and its binomial 95% interval. */
export interface PcMonteCarloResult extends PcResultBase {
  readonly method: 'MONTE-CARLO-2D' | 'MONTE-CARLO-LINEAR-3D';
  readonly details: {
    readonly hits: number;
    readonly samples: number;
    readonly seed: number;
    /** Wilson 95% interval on pc. */
    readonly ci95: readonly [number, number];
  };
}

const DEFAULT_SAMPLES = 1_000_000;

function mcResult(
  method: PcMonteCarloResult['method'],
  hits: number,
  samples: number,
  seed: number,
  hbrKm: number,
  options: PcMonteCarloOptions,
): PcMonteCarloResult {
  return {
    pc: hits / samples,
    method,
    hbrKm,
    covarianceSource: options.covarianceSource ?? 'user',
    confidence: pcConfidenceOf(options.covarianceSource ?? 'user'),
    isMaximum: false,
    details: { hits, samples, seed, ci95: wilsonInterval95(hits, samples) },
  };
}

function sampleCount(options: PcMonteCarloOptions): number {
  const n = options.samples ?? DEFAULT_SAMPLES;
  if (!(Number.isInteger(n) && n > 0)) {
    throw new AstroError(
      'PC_INVALID_INPUT',
      `Monte Carlo sample count must be a positive integer, got ${n}`,
      {
        field: 'samples',
        found: n,
      },
    );
  }
  return n;
}

/** Monte Carlo Pc in the encounter plane (principal axes, km). */
export function pcMonteCarlo2d(
  encounter: PcEncounter2D,
  hbrKm: number,
  options: PcMonteCarloOptions = {},
): PcMonteCarloResult {
  checkHbr(hbrKm);
  checkEncounter2D(encounter);
  const n = sampleCount(options);
  const seed = options.seed ?? 1;
  const rng = new PcRandom(seed);
  const { xmKm: xm, zmKm: zm, sigmaXKm: sx, sigmaZKm: sz } = encounter;
  const r2 = hbrKm * hbrKm;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const dx = sx * rng.nextNormal() - xm;
    const dz = sz * rng.nextNormal() - zm;
    if (dx * dx + dz * dz <= r2) hits++;
  }
  return mcResult('MONTE-CARLO-2D', hits, n, seed, hbrKm, options);
}

/**
 * Monte Carlo Pc from 3-D sampling of the relative position at TCA and straight-line relative
 * motion (states and covariances as in `pcFoster`). Throws PC_COVARIANCE_NOT_PD when C1 + C2 has
 * no Cholesky factor.
 */
export function pcMonteCarloLinear3d(
  conjunction: PcConjunction,
  hbrKm: number,
  options: PcMonteCarloOptions = {},
): PcMonteCarloResult {
  checkHbr(hbrKm);
  checkConjunction(conjunction);
  const n = sampleCount(options);
  const seed = options.seed ?? 1;
  const c = conjunction;
  // Cholesky factor L of C = C1 + C2 (lower triangular, row-major).
  const m = new Float64Array(9);
  for (let i = 0; i < 9; i++) m[i] = c.cov1Km2[i]! + c.cov2Km2[i]!;
  const l00 = Math.sqrt(m[0]!);
  const l10 = m[3]! / l00;
  const l20 = m[6]! / l00;
  const l11 = Math.sqrt(m[4]! - l10 * l10);
  const l21 = (m[7]! - l20 * l10) / l11;
  const l22 = Math.sqrt(m[8]! - l20 * l20 - l21 * l21);
  if (!(l00 > 0 && l11 > 0 && l22 > 0)) {
    throw new AstroError('PC_COVARIANCE_NOT_PD', 'combined 3×3 covariance has no Cholesky factor', {
      expected: 'positive-definite C1 + C2',
    });
  }
  const vx = c.v1KmS[0] - c.v2KmS[0];
  const vy = c.v1KmS[1] - c.v2KmS[1];
  const vz = c.v1KmS[2] - c.v2KmS[2];
  const vn = Math.hypot(vx, vy, vz);
  if (!(vn > 0)) {
    throw new AstroError('PC_ZERO_RELATIVE_VELOCITY', 'the two objects have the same velocity at TCA', {
      expected: '|v1 − v2| > 0',
      found: vn,
    });
  }
  const ux = vx / vn;
  const uy = vy / vn;
  const uz = vz / vn;
  const rx = c.r1Km[0] - c.r2Km[0];
  const ry = c.r1Km[1] - c.r2Km[1];
  const rz = c.r1Km[2] - c.r2Km[2];
  const r2 = hbrKm * hbrKm;
  const rng = new PcRandom(seed);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const n0 = rng.nextNormal();
    const n1 = rng.nextNormal();
    const n2 = rng.nextNormal();
    const dx = rx + l00 * n0;
    const dy = ry + l10 * n0 + l11 * n1;
    const dz = rz + l20 * n0 + l21 * n1 + l22 * n2;
    const along = dx * ux + dy * uy + dz * uz;
    if (dx * dx + dy * dy + dz * dz - along * along <= r2) hits++;
  }
  return mcResult('MONTE-CARLO-LINEAR-3D', hits, n, seed, hbrKm, options);
}
