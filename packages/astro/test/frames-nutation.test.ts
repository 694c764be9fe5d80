import { describe, expect, it } from 'vitest';
import {
  centuriesTt,
  meanObliquity1980,
  NUTATION_1980_TERM_COUNT,
  nutation1980,
  nutation1980Terms,
  precessionAngles1976,
} from '../src/frames/nutation-1980.js';
import { gmst1982 } from '../src/frames/sidereal.js';
import { RAD2DEG } from '../src/units/index.js';

/**
 * Column checksums of the IAU 1980 table, computed from a second, independent transcription in
 * Vallado's amplitude-sorted order (SatelliteToolbox.jl's copy of Vallado's nut80.dat /
 * IERS nut.html). The two listings write some terms with all multipliers negated (and A, B
 * negated with them), so each term is folded to a canonical sign first: first non-zero
 * multiplier positive. Sums: multipliers l, l', F, D, Ω, then A, B, C, D (0.0001″).
 */
const CANONICAL_SIGNED_SUMS = [91, 28, 28, -45, 27, -184646, -177.5, 98298, 5.3];
const CANONICAL_ABS_SUMS = [91, 36, 128, 131, 109, 194368, 182.3, 100762, 14.1];

function canonical(t: ReturnType<typeof nutation1980Terms>[number]): number[] {
  const first = t.multipliers.find((m) => m !== 0)!;
  const s = first < 0 ? -1 : 1;
  return [
    ...t.multipliers.map((m) => m * s),
    t.coefficients[0] * s,
    t.coefficients[1] * s,
    t.coefficients[2],
    t.coefficients[3],
  ];
}

describe('IAU 1980 nutation table', () => {
  const terms = nutation1980Terms();

  it('has 106 distinct terms', () => {
    expect(terms).toHaveLength(NUTATION_1980_TERM_COUNT);
    expect(new Set(terms.map((t) => canonical(t).slice(0, 5).join(','))).size).toBe(106);
  });

  it('matches the column checksums of an independent transcription', () => {
    const rows = terms.map(canonical);
    const signed = rows.reduce((s, r) => s.map((v, i) => v + r[i]!), new Array(9).fill(0) as number[]);
    const abs = rows.reduce((s, r) => s.map((v, i) => v + Math.abs(r[i]!)), new Array(9).fill(0) as number[]);
    for (const [i, v] of signed.entries()) expect(v).toBeCloseTo(CANONICAL_SIGNED_SUMS[i]!, 9);
    for (const [i, v] of abs.entries()) expect(v).toBeCloseTo(CANONICAL_ABS_SUMS[i]!, 9);
  });

  it('reproduces ERFA eraNut80 across a century', () => {
    // ERFA eraNut80 at TT = day + 0.25 (rad), as tabulated in a public test suite (ktsu-dev
    // Osculator, GcrfFrameTests). One slipped digit moves these by ≥ 1e-10 rad (0.0001″).
    const cases: [number, number, number][] = [
      [2444239.5, -3.789501118318688e-5, -4.262465467771138e-5],
      [2451545.0, -6.748832172101004e-5, -2.8017362348243993e-5],
      [2453101.5, -5.949329432884831e-5, 3.547798544658484e-5],
      [2461320.5, 4.1632929474479626e-5, 4.0176917375353636e-5],
      [2469807.5, 7.35027788557133e-5, -2.5890686978049402e-5],
    ];
    /** Float summation-order noise of a 106-term series of ~1e-4 rad. */
    const SERIES_ROUNDING_RAD = 1e-15;
    for (const [day, dpsi, deps] of cases) {
      const out = nutation1980(centuriesTt(day, 0.25), [0, 0, 0]);
      expect(Math.abs(out[0]! - dpsi)).toBeLessThan(SERIES_ROUNDING_RAD);
      expect(Math.abs(out[1]! - deps)).toBeLessThan(SERIES_ROUNDING_RAD);
    }
  });

  it('matches Vallado Example 3-15 angles (ζ, θ, z, ε̄)', () => {
    // Example 3-15: T_TT = 0.0426236319; ζ = 0.0273055°, θ = 0.0237306°, z = 0.0273059°,
    // ε̄ = 23.4387368°. Printed to 1e-7°.
    const t = 0.0426236319;
    const p = precessionAngles1976(t, [0, 0, 0]).map((a) => a * RAD2DEG);
    expect(p[0]).toBeCloseTo(0.0273055, 7);
    expect(p[1]).toBeCloseTo(0.0237306, 7);
    expect(p[2]).toBeCloseTo(0.0273059, 7);
    expect(meanObliquity1980(t) * RAD2DEG).toBeCloseTo(23.4387368, 7);
  });
});

describe('GMST 1982', () => {
  it('reproduces Vallado Example 3-5 (1992-08-20 12:14 UT1 → 152.578787810°)', () => {
    // The book evaluates from one double JD (resolution ~40 µs ≈ 1.7e-7° of GMST); from the
    // exact two-part date we get 152.5787878517°, 4e-8° away.
    const SINGLE_DOUBLE_JD_DEG = 1e-7;
    const g = gmst1982(2448854.5, (12 * 60 + 14) / 1440) * RAD2DEG;
    expect(Math.abs(g - 152.57878781)).toBeLessThan(SINGLE_DOUBLE_JD_DEG);
  });

  it('is 280.46061837504° at J2000.0 and rises monotonically at µs steps', () => {
    expect(gmst1982(2451545.0, 0) * RAD2DEG).toBeCloseTo(280.46061837504, 9);
    let prev = -1;
    for (let k = 0; k <= 200; k++) {
      const g = gmst1982(2461312.5, 0.3 + (k * 1e-6) / 86400);
      expect(g).toBeGreaterThan(prev);
      prev = g;
    }
  });

  it('does not depend on how the Julian date is split', () => {
    const a = gmst1982(2453101.5, 0.327);
    const b = gmst1982(2453101.827, 0);
    const c = gmst1982(2451545.0, 1556.827);
    expect(Math.abs(a - c)).toBeLessThan(1e-12);
    expect(Math.abs(a - b)).toBeLessThan(1e-9);
  });
});
