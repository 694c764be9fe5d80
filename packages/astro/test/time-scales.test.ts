import { describe, expect, it } from 'vitest';
import { createAstroContext } from '../src/context/index.js';
import { EopTable } from '../src/eop/index.js';
import type { AstroError } from '../src/errors.js';
import {
  fieldsToInstant,
  gpsWeekSeconds,
  instantFromGpsWeekSeconds,
  instantFromJulianDateIn,
  instantToFields,
  julianDateIn,
  mjdIn,
  TIME_SCALES,
  tdbMinusTtS,
  utcToInstant,
} from '../src/time/index.js';
import { Instant } from '../src/time/instant.js';
import { loadLeapSecondDat } from './test-support.js';

/** A JD pair fraction resolves 1.1e-16 day ≈ 1e-11 s. */
const JD_PAIR_S = 2e-11;
/** SOFA t_sofa_c compares JD fractions to 1e-12 day. */
const SOFA_TEST_DAY = 1e-12;
/**
 * USNO Circular 179 eq. 2.6 is good to ~10 µs; SOFA iauDtdb's test case adds a topocentric term
 * (station 5525 km from the axis) worth up to ~2 µs.
 */
const TDB_SERIES_S = 15e-6;

const leap = loadLeapSecondDat();
const noEop = createAstroContext({ leapSeconds: leap });

/** A real EopTable with UT1 − UTC held at SOFA's test value 0.3341 s around 2006-01-15. */
const sofaEop = EopTable.create(
  [53700, 53750, 53800].map((mjd) => ({
    mjd,
    xpRad: 0,
    ypRad: 0,
    ut1MinusUtcS: 0.3341,
    lodS: 0,
    dXRad: 0,
    dYRad: 0,
    dPsiRad: 0,
    dEpsRad: 0,
    predicted: false,
  })),
);
const ctx = createAstroContext({ leapSeconds: leap, eop: sofaEop });

describe('uniform scales', () => {
  const t = utcToInstant({ year: 2017, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, ctx);

  it('offsets TAI, TT and GPS from UTC by 37, 69.184 and 18 s in 2017', () => {
    expect(instantToFields(t, 'TAI', ctx)).toEqual({
      year: 2017,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 37,
    });
    const tt = instantToFields(t, 'TT', ctx);
    expect(tt.minute).toBe(1);
    expect(tt.second).toBeCloseTo(9.184, 12);
    expect(instantToFields(t, 'GPS', ctx).second).toBe(18);
    expect(julianDateIn(t, 'TT', ctx).jd).toBe(2457754.5);
    expect(Math.abs(julianDateIn(t, 'TT', ctx).frac * 86400 - 69.184)).toBeLessThan(JD_PAIR_S);
    expect(mjdIn(t, 'UTC', ctx)).toBe(57754);
  });

  it('agrees with Instant.ttJulianDate', () => {
    const [d, f] = t.ttJulianDate();
    expect(julianDateIn(t, 'TT', ctx)).toEqual({ jd: d, frac: f });
  });

  it('counts GPS weeks from 1980-01-06', () => {
    // 2017-01-01 was a Sunday: GPS week 1930 starts at 00:00:00 GPS = 2016-12-31T23:59:42 UTC.
    expect(gpsWeekSeconds(t)).toEqual({ week: 1930, secondsOfWeek: 18 });
    expect(instantFromGpsWeekSeconds(1930, 18).equals(t)).toBe(true);
    const epoch = utcToInstant({ year: 1980, month: 1, day: 6, hour: 0, minute: 0, second: 0 }, ctx);
    expect(gpsWeekSeconds(epoch)).toEqual({ week: 0, secondsOfWeek: 0 });
  });

  it('round-trips Julian date pairs and calendar fields in every scale', () => {
    let worst = 0;
    for (let k = 0; k < 200; k++) {
      const x = Instant.fromTtJulianDate(2453740.5 + (k % 20) * 0.37, 0.001 * k);
      for (const scale of TIME_SCALES) {
        const p = julianDateIn(x, scale, ctx);
        worst = Math.max(worst, Math.abs(instantFromJulianDateIn(p.jd, p.frac, scale, ctx).secondsSince(x)));
        const f = instantToFields(x, scale, ctx);
        worst = Math.max(worst, Math.abs(fieldsToInstant(f, scale, ctx).secondsSince(x)));
      }
    }
    expect(worst).toBeLessThan(JD_PAIR_S);
  });
});

describe('TDB', () => {
  it('matches SOFA iauDtdb within the accuracy of the 7-term series', () => {
    // t_sofa_c: iauDtdb(2448939.5, 0.123, 0.76543, 5.0123, 5525.242, 3190.0) = -0.1280368005936998991e-2 s
    expect(Math.abs(tdbMinusTtS(2448939.5, 0.123) - -0.001280368005936999)).toBeLessThan(TDB_SERIES_S);
  });

  it('stays within the ±1.7 ms envelope and converts both ways', () => {
    for (let d = 0; d < 3700; d += 3.3) {
      expect(Math.abs(tdbMinusTtS(2451545, d))).toBeLessThan(1.72e-3);
    }
    const x = Instant.fromTtJulianDate(2457000.5, 0.25);
    const p = julianDateIn(x, 'TDB', ctx);
    expect(Math.abs((p.frac - 0.25) * 86400 - tdbMinusTtS(2457000.5, 0.25))).toBeLessThan(JD_PAIR_S);
    expect(Math.abs(instantFromJulianDateIn(p.jd, p.frac, 'TDB', ctx).secondsSince(x))).toBeLessThan(
      JD_PAIR_S,
    );
  });
});

describe('UT1', () => {
  it('matches SOFA iauUtcut1 and iauTaiut1 (UT1 − UTC = 0.3341 s, 2006-01-15)', () => {
    const t = instantFromJulianDateIn(2453750.5, 0.892100694, 'UTC', ctx);
    const u = julianDateIn(t, 'UT1', ctx);
    expect(u.jd).toBe(2453750.5);
    // t_sofa_c: iauUtcut1(2453750.5, 0.892100694, 0.3341) = (2453750.5, 0.8921045608981481481)
    expect(Math.abs(u.frac - 0.892104560898148)).toBeLessThan(SOFA_TEST_DAY);
    // t_sofa_c: iauTaiut1(2453750.5, 0.892482639, -32.6659) = (2453750.5, 0.8921045614537037037)
    const t2 = Instant.fromTaiJulianDate(2453750.5, 0.892482639);
    expect(Math.abs(julianDateIn(t2, 'UT1', ctx).frac - 0.8921045614537036)).toBeLessThan(SOFA_TEST_DAY);
    const back = instantFromJulianDateIn(u.jd, u.frac, 'UT1', ctx);
    expect(Math.abs(back.secondsSince(t))).toBeLessThan(JD_PAIR_S);
  });

  it('needs EOP: EOP_NOT_LOADED without a table, EOP_OUT_OF_RANGE outside it', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AstroError).code;
      }
      return undefined;
    };
    const t = Instant.fromTaiJulianDate(2453750.5, 0.5);
    expect(code(() => julianDateIn(t, 'UT1', noEop))).toBe('EOP_NOT_LOADED');
    expect(code(() => julianDateIn(Instant.fromTaiJulianDate(2457000.5), 'UT1', ctx))).toBe(
      'EOP_OUT_OF_RANGE',
    );
  });
});
