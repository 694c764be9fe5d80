import { describe, expect, it } from 'vitest';
import { createAstroContext, utcJulianDateToInstant } from '../src/context/index.js';
import type { AstroError } from '../src/errors.js';
import {
  calendarFromMjd,
  instantFromUtcJulianDate,
  instantToUtc,
  taiMinusUtcAt,
  type UtcFields,
  utcJulianDate,
  utcToInstant,
} from '../src/time/index.js';
import { Instant } from '../src/time/instant.js';
import { codeOf, loadLeapSecondsWithHistory } from './test-support.js';

/** Instant arithmetic keeps ~1e-16 s; sums through 0.816/0.184 splits leave a few ulps of 1 s. */
const FEMTOSECONDS = 1e-14;
/** A UTC JD pair's fraction is a double of a day: 1 ulp ≈ 1.1e-16 day ≈ 1e-11 s. */
const JD_PAIR_S = 2e-11;
/** SOFA t_sofa_c compares these JD fractions to 1e-12 day. */
const SOFA_TEST_DAY = 1e-12;

const ctx = createAstroContext({ leapSeconds: loadLeapSecondsWithHistory() });

const utc = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): UtcFields => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('UTC fields ↔ Instant across leap seconds', () => {
  it('places 2016-12-31T23:59:60.5 between 23:59:59 and 2017-01-01T00:00:00', () => {
    const before = utcToInstant(utc(2016, 12, 31, 23, 59, 59), ctx);
    const leap0 = utcToInstant(utc(2016, 12, 31, 23, 59, 60), ctx);
    const leapHalf = utcToInstant(utc(2016, 12, 31, 23, 59, 60.5), ctx);
    const after = utcToInstant(utc(2017, 1, 1, 0, 0, 0), ctx);
    expect(leap0.secondsSince(before)).toBe(1);
    expect(leapHalf.secondsSince(before)).toBe(1.5);
    expect(after.secondsSince(before)).toBe(2);
    expect(instantToUtc(leapHalf, ctx)).toEqual(utc(2016, 12, 31, 23, 59, 60.5));
    expect(instantToUtc(leap0, ctx)).toEqual(utc(2016, 12, 31, 23, 59, 60));
    expect(instantToUtc(after, ctx)).toEqual(utc(2017, 1, 1, 0, 0, 0));
    expect(instantToUtc(after.plusSeconds(-1e-9), ctx).second).toBeCloseTo(60.999999999, 12);
    expect(instantToUtc(leap0.plusSeconds(-1e-9), ctx)).toMatchObject({ hour: 23, minute: 59 });
    expect(instantToUtc(leap0.plusSeconds(-1e-9), ctx).second).toBeLessThan(60);
    // 2017-01-01T00:00:00 UTC = 00:00:37 TAI = 00:01:09.184 TT.
    const [jd, fr] = after.taiJulianDate();
    expect(jd).toBe(2457754.5);
    expect(Math.abs(fr * 86400 - 37)).toBeLessThan(JD_PAIR_S);
    expect(taiMinusUtcAt(after, ctx)).toBe(37);
    expect(taiMinusUtcAt(leapHalf, ctx)).toBe(36);
  });

  it('handles the 1972-06-30 leap second', () => {
    const a = utcToInstant(utc(1972, 6, 30, 23, 59, 59), ctx);
    const b = utcToInstant(utc(1972, 6, 30, 23, 59, 60.25), ctx);
    const c = utcToInstant(utc(1972, 7, 1, 0, 0, 0), ctx);
    expect(b.secondsSince(a)).toBe(1.25);
    expect(c.secondsSince(a)).toBe(2);
    expect(instantToUtc(b, ctx)).toEqual(utc(1972, 6, 30, 23, 59, 60.25));
  });

  it('rejects 23:59:60 on a day without a leap second, and bad fields, with the field named', () => {
    const err = (() => {
      try {
        utcToInstant(utc(2017, 12, 31, 23, 59, 60), ctx);
      } catch (e) {
        return e as AstroError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('TIME_INVALID_FIELDS');
    expect(err?.details['field']).toBe('second');
    expect(codeOf(() => utcToInstant(utc(2016, 12, 31, 23, 59, 61), ctx))).toBe('TIME_INVALID_FIELDS');
    expect(codeOf(() => utcToInstant(utc(2016, 12, 31, 23, 58, 60), ctx))).toBe('TIME_INVALID_FIELDS');
    expect(codeOf(() => utcToInstant(utc(2017, 2, 29, 0, 0, 0), ctx))).toBe('TIME_INVALID_FIELDS');
    expect(codeOf(() => utcToInstant(utc(2017, 1, 1, 24, 0, 0), ctx))).toBe('TIME_INVALID_FIELDS');
    expect(codeOf(() => utcToInstant(utc(1960, 12, 31, 0, 0, 0), ctx))).toBe('TIME_OUT_OF_RANGE');
    expect(codeOf(() => utcToInstant(utc(2027, 6, 28, 0, 0, 0), ctx))).toBe('TIME_OUT_OF_RANGE');
  });

  it('runs 1961–1971 UTC on rubber seconds and steps (SOFA iauUtctai)', () => {
    // 1965: TAI − UTC drifts by 0.001296 s per day, so a UTC day lasts 86400.001296 SI seconds.
    const d0 = utcToInstant(utc(1965, 1, 1, 0, 0, 0), ctx);
    const d1 = utcToInstant(utc(1965, 1, 2, 0, 0, 0), ctx);
    expect(Math.abs(d1.secondsSince(d0) - 86400.001296)).toBeLessThan(1e-9);
    // The last UTC second of 1971 lasted 1 + 0.107758 s plus its drift (86399·0.002592/86400 s earlier).
    const last = utcToInstant(utc(1971, 12, 31, 23, 59, 59), ctx);
    const y1972 = utcToInstant(utc(1972, 1, 1, 0, 0, 0), ctx);
    expect(
      Math.abs(y1972.secondsSince(last) - (86410 - 86399 * (1 + 0.002592 / 86400) - 9.88965)),
    ).toBeLessThan(1e-9);
    // 23:59:60.05 existed on 1971-12-31 (day of 86400.107758 UTC s) but not 23:59:60.2.
    const inserted = utcToInstant(utc(1971, 12, 31, 23, 59, 60.05), ctx);
    expect(instantToUtc(inserted, ctx).second).toBeCloseTo(60.05, 8);
    expect(codeOf(() => utcToInstant(utc(1971, 12, 31, 23, 59, 60.2), ctx))).toBe('TIME_INVALID_FIELDS');
    // 1968-01-31 was 0.1 s short: 23:59:59.95 never happened.
    expect(codeOf(() => utcToInstant(utc(1968, 1, 31, 23, 59, 59.95), ctx))).toBe('TIME_INVALID_FIELDS');
    // 1972-01-01T00:00:00 UTC = TAI 00:00:10 exactly.
    const [jd, fr] = y1972.taiJulianDate();
    expect(jd).toBe(2441317.5);
    expect(Math.abs(fr * 86400 - 10)).toBeLessThan(JD_PAIR_S);
    // Round trips through the drift era, including the short and long days.
    for (let k = 0; k < 2000; k++) {
      const t = Instant.fromTaiJulianDate(2437300.5 + k * 1.9876543, 0.000123);
      expect(utcToInstant(instantToUtc(t, ctx), ctx).secondsSince(t)).toBeLessThan(1e-9);
    }
  });

  it('round-trips fields ↔ instant for instants near every leap second', () => {
    let worst = 0;
    for (const e of ctx.leapSeconds.entries.filter((x) => x.mjd > 41317)) {
      const boundary = utcToInstant({ ...calendarFromMjd(e.mjd), hour: 0, minute: 0, second: 0 }, ctx);
      for (let dt = -3; dt <= 2; dt += 0.125) {
        const t = boundary.plusSeconds(dt + 1e-7);
        const back = utcToInstant(instantToUtc(t, ctx), ctx);
        worst = Math.max(worst, Math.abs(back.secondsSince(t)));
      }
    }
    expect(worst).toBeLessThan(FEMTOSECONDS);
  });
});

describe('UTC Julian date pairs (SOFA convention, TLE epochs)', () => {
  it('matches SOFA t_sofa_c: iauUtctai, iauTaiutc, iauDtf2d, iauD2dtf', () => {
    // iauUtctai(2453750.5, 0.892100694) = (2453750.5, 0.8924826384444444)
    const t = instantFromUtcJulianDate(2453750.5, 0.892100694, ctx);
    const [tai1, tai2] = t.taiJulianDate();
    expect(tai1).toBe(2453750.5);
    expect(Math.abs(tai2 - 0.8924826384444444)).toBeLessThan(SOFA_TEST_DAY);
    // iauTaiutc(2453750.5, 0.892482639) = (2453750.5, 0.8921006945555555)
    const u = utcJulianDate(Instant.fromTaiJulianDate(2453750.5, 0.892482639), ctx);
    expect(u.jd).toBe(2453750.5);
    expect(Math.abs(u.frac - 0.8921006945555555)).toBeLessThan(SOFA_TEST_DAY);
    // iauDtf2d("UTC", 1994, 6, 30, 23, 59, 60.13599) = 2449534.49999 (SOFA checks to 1e-6)
    const leap = utcJulianDate(utcToInstant(utc(1994, 6, 30, 23, 59, 60.13599), ctx), ctx);
    expect(Math.abs(leap.jd + leap.frac - 2449534.49999)).toBeLessThan(1e-6);
    expect(leap.frac).toBeCloseTo(86400.13599 / 86401, 15);
    // iauD2dtf("UTC", 5, 2400000.5, 49533.99999) = 1994-06-30 23:59:60.13599
    const f = instantToUtc(instantFromUtcJulianDate(2400000.5, 49533.99999, ctx), ctx);
    expect(f).toMatchObject({ year: 1994, month: 6, day: 30, hour: 23, minute: 59 });
    expect(f.second).toBeCloseTo(60.13599, 6);
  });

  it('scales the day fraction by 86401 s on a leap second day (documented choice)', () => {
    const t = utcToInstant(utc(2016, 12, 31, 23, 59, 60.5), ctx);
    const p = utcJulianDate(t, ctx);
    expect(p).toEqual({ jd: 2457753.5, frac: 86400.5 / 86401 });
    expect(Math.abs(instantFromUtcJulianDate(p.jd, p.frac, ctx).secondsSince(t))).toBeLessThan(JD_PAIR_S);
    // A normal day uses 86400 s.
    const n = utcJulianDate(utcToInstant(utc(2017, 1, 1, 12, 0, 0), ctx), ctx);
    expect(n).toEqual({ jd: 2457754.5, frac: 0.5 });
  });

  it('turns TLE epochs (year, day of year + fraction) into instants through the context helper', () => {
    // TLE epoch 17001.50000000 → JD of 2016-12-31 0h is 2457753.5; day 1.5 of 2017 = 2457754.5 + 0.5.
    const noon = utcJulianDateToInstant(2457753.5 + 1, 0.5, ctx);
    expect(instantToUtc(noon, ctx)).toEqual(utc(2017, 1, 1, 12, 0, 0));
    // TLE epoch 16366.99999000 lies in the leap second: 0.99999 × 86401 s = 86400.13599 s.
    const inLeap = utcJulianDateToInstant(2457388.5 + 365, 0.99999, ctx);
    const f = instantToUtc(inLeap, ctx);
    expect(f).toMatchObject({ year: 2016, month: 12, day: 31, hour: 23, minute: 59 });
    expect(f.second).toBeCloseTo(60.13599, 6);
    // Any split of the same JD gives the same instant.
    const a = utcJulianDateToInstant(2457754.5, 0.25, ctx);
    const b = utcJulianDateToInstant(2457754.75, 0, ctx);
    const c = utcJulianDateToInstant(2457000, 754.75, ctx);
    expect(Math.abs(a.secondsSince(b))).toBeLessThan(JD_PAIR_S);
    expect(Math.abs(a.secondsSince(c))).toBeLessThan(JD_PAIR_S);
  });
});
