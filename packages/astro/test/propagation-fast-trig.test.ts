import { describe, expect, it } from 'vitest';
import { fmod2pi, SINCOS, SMALL_ANGLE, sincos, sincosSmall } from '../src/propagation/fast-trig.js';

/** The kernels are good to ~2 ulp; on |sin| ≤ 1 that is under 5e-16 absolute. */
const TRIG_ABS_TOL = 5e-16;

describe('sincos', () => {
  it('matches Math.sin/Math.cos over the angles SGP4 meets', () => {
    let worst = 0;
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 200_000; i++) {
      const scale = i % 3 === 0 ? 10 : i % 3 === 1 ? 1000 : 100_000;
      const x = (rnd() * 2 - 1) * scale;
      sincos(x);
      worst = Math.max(worst, Math.abs(SINCOS[0]! - Math.sin(x)), Math.abs(SINCOS[1]! - Math.cos(x)));
    }
    expect(worst).toBeLessThan(TRIG_ABS_TOL);
  });

  it('is exact at quadrant points and falls back for huge arguments', () => {
    sincos(0);
    expect(SINCOS[0]).toBe(0);
    expect(SINCOS[1]).toBe(1);
    sincos(Math.PI / 2);
    expect(SINCOS[0]).toBe(1);
    sincos(1e9);
    expect(SINCOS[0]).toBe(Math.sin(1e9));
    sincos(Number.NaN);
    expect(SINCOS[0]).toBeNaN();
  });
});

/**
 * sincosSmall is a truncated Taylor series: its truncation (< 3e-22) is far below rounding, so it
 * must agree with Math.sin/Math.cos to an ulp of the result (≤ 1.1e-16 for cos ≈ 1, far less for
 * sin of a small angle).
 */
const SMALL_ABS_TOL = 1.2e-16;

describe('sincosSmall', () => {
  it('matches Math.sin/Math.cos up to SMALL_ANGLE, ends included', () => {
    let worst = 0;
    const n = 100_000;
    for (let i = -n; i <= n; i++) {
      const d = (i / n) * SMALL_ANGLE;
      sincosSmall(d);
      worst = Math.max(worst, Math.abs(SINCOS[0]! - Math.sin(d)), Math.abs(SINCOS[1]! - Math.cos(d)));
    }
    expect(worst).toBeLessThan(SMALL_ABS_TOL);
    sincosSmall(0);
    expect(SINCOS[0]).toBe(0);
    expect(SINCOS[1]).toBe(1);
  });

  it('is not used beyond SMALL_ANGLE for a reason: the series error grows there', () => {
    // At 4× the limit the truncation (d¹³/13!) shows up; the kernels fall back to sincos instead.
    const d = 4 * SMALL_ANGLE;
    sincosSmall(d);
    expect(Math.abs(SINCOS[0]! - Math.sin(d))).toBeGreaterThan(1e-15);
  });
});

describe('fmod2pi', () => {
  it('keeps the sign of its argument like C fmod', () => {
    expect(fmod2pi(7)).toBeCloseTo(7 - 2 * Math.PI, 15);
    expect(fmod2pi(-7)).toBeCloseTo(-(7 - 2 * Math.PI), 15);
    expect(Math.abs(fmod2pi(700.123) - (700.123 % (2 * Math.PI)))).toBeLessThan(1e-12);
  });
});
