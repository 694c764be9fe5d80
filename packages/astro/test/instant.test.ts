import { describe, expect, it } from 'vitest';
import { Instant, JD_J2000 } from '../src/time/instant.js';

describe('Instant', () => {
  it('keeps sub-nanosecond resolution across decades', () => {
    const a = Instant.fromJ2000Seconds(8.0e8, 0.123456789012);
    const b = a.plusSeconds(1e-12);
    expect(b.secondsSince(a)).toBeCloseTo(1e-12, 16);
    expect(a.f).toBeGreaterThanOrEqual(0);
    expect(a.f).toBeLessThan(1);
  });

  it('normalises negative fractions', () => {
    const a = Instant.fromJ2000Seconds(10, -0.25);
    expect(a.s).toBe(9);
    expect(a.f).toBe(0.75);
    expect(Instant.fromJ2000Seconds(-0.5).s).toBe(-1);
  });

  it('round-trips TT Julian date pairs', () => {
    const t = Instant.fromTtJulianDate(2453101.5, 0.32741164);
    const [d, f] = t.ttJulianDate();
    expect(d).toBe(2453101.5);
    expect(f).toBeCloseTo(0.32741164, 14);
    expect(Instant.fromTtJulianDate(JD_J2000).s).toBe(0);
  });

  it('orders instants', () => {
    const a = Instant.fromJ2000Seconds(5, 0.1);
    const b = Instant.fromJ2000Seconds(5, 0.2);
    expect(a.isBefore(b)).toBe(true);
    expect(b.isAfter(a)).toBe(true);
    expect(a.equals(Instant.fromJ2000Seconds(5.1 - 0.1, 0.1))).toBe(true);
  });
});
