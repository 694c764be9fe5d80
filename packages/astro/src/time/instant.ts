/**
 * A point in time with no time scale attached (after Orekit's AbsoluteDate).
 *
 * Held as two doubles: `s`, whole SI seconds elapsed since J2000.0 (2000-01-01T12:00:00 TT), and
 * `f`, the fraction of a second in [0, 1). Elapsed SI seconds are the same in TAI and TT, so the
 * instant is scale-free; time scales (UTC, UT1, TDB...) are views computed with a context.
 * The split keeps attosecond-class resolution over millennia: `s` is an exact integer in a double.
 */
import { SECONDS_PER_DAY } from '../units/index.js';

/** TT − TAI, seconds (exact by definition, IAU 1991). */
export const TT_MINUS_TAI_S = 32.184;
/** Julian date of J2000.0 (2000-01-01T12:00:00 TT). */
export const JD_J2000 = 2451545.0;
/** Modified Julian date of J2000.0. */
export const MJD_J2000 = 51544.5;

export class Instant {
  /** Whole seconds since J2000.0 TT (an integer-valued double). */
  readonly s: number;
  /** Fraction of a second, 0 ≤ f < 1. */
  readonly f: number;

  private constructor(s: number, f: number) {
    this.s = s;
    this.f = f;
  }

  /** An instant from seconds since J2000.0 TT given as a (possibly unnormalised) pair. */
  static fromJ2000Seconds(seconds: number, fraction = 0): Instant {
    if (!Number.isFinite(seconds) || !Number.isFinite(fraction)) {
      throw new RangeError(`Instant needs finite seconds, got ${seconds} + ${fraction}`);
    }
    const si = Math.floor(seconds);
    let f = seconds - si + fraction;
    const carry = Math.floor(f);
    f -= carry;
    // Guard against f rounding up to exactly 1.
    if (f >= 1) return new Instant(si + carry + 1, 0);
    return new Instant(si + carry, f);
  }

  /**
   * An instant from a two-part TT Julian date (jd1 + jd2 days), for example (2451545, 0.5).
   * Splitting the date keeps sub-microsecond precision.
   */
  static fromTtJulianDate(jd1: number, jd2 = 0): Instant {
    const d1 = jd1 - JD_J2000;
    const d1i = Math.floor(d1);
    const d2 = d1 - d1i + jd2;
    const d2i = Math.floor(d2);
    const days = d1i + d2i;
    const fracDay = d2 - d2i;
    const secOfDay = fracDay * SECONDS_PER_DAY;
    return Instant.fromJ2000Seconds(days * SECONDS_PER_DAY, secOfDay);
  }

  /** An instant from a TAI two-part Julian date. */
  static fromTaiJulianDate(jd1: number, jd2 = 0): Instant {
    return Instant.fromTtJulianDate(jd1, jd2).plusSeconds(TT_MINUS_TAI_S);
  }

  /** This instant moved by `dt` SI seconds (may be negative). */
  plusSeconds(dt: number): Instant {
    const di = Math.floor(dt);
    return Instant.fromJ2000Seconds(this.s + di, this.f + (dt - di));
  }

  /** This instant minus another, in SI seconds. */
  secondsSince(other: Instant): number {
    return this.s - other.s + (this.f - other.f);
  }

  compare(other: Instant): number {
    return this.s !== other.s ? this.s - other.s : this.f - other.f;
  }

  equals(other: Instant): boolean {
    return this.s === other.s && this.f === other.f;
  }

  isBefore(other: Instant): boolean {
    return this.compare(other) < 0;
  }

  isAfter(other: Instant): boolean {
    return this.compare(other) > 0;
  }

  /** Seconds since J2000.0 TT as one double (loses precision below ~0.1 µs over decades). */
  toJ2000Seconds(): number {
    return this.s + this.f;
  }

  /**
   * TT Julian date as a pair [day, fraction]: `day` is a whole-day-plus-half value (Julian dates
   * start at noon, so day = JD of the preceding midnight-aligned ... .5) and `fraction` is in [0, 1).
   */
  ttJulianDate(): [number, number] {
    return splitJulian(this.s, this.f, 0);
  }

  /** TAI Julian date pair, as `ttJulianDate`. */
  taiJulianDate(): [number, number] {
    return splitJulian(this.s, this.f, -TT_MINUS_TAI_S);
  }

  toString(): string {
    return `Instant(J2000 TT + ${this.s} s + ${this.f})`;
  }
}

/**
 * Splits seconds since J2000.0 (plus an offset in seconds) into a Julian date pair whose first part
 * ends in .5 (a midnight) and whose second part is the day fraction in [0, 1).
 */
function splitJulian(s: number, f: number, offsetS: number): [number, number] {
  // Seconds since 2000-01-01T00:00:00 of the scale (J2000 is at 12:00).
  const oi = Math.floor(offsetS);
  const sec = s + oi + SECONDS_PER_DAY / 2;
  const frac = f + (offsetS - oi);
  const day = Math.floor(sec / SECONDS_PER_DAY);
  const secOfDay = sec - day * SECONDS_PER_DAY + frac;
  const carry = Math.floor(secOfDay / SECONDS_PER_DAY);
  return [JD_J2000 - 0.5 + day + carry, (secOfDay - carry * SECONDS_PER_DAY) / SECONDS_PER_DAY];
}
