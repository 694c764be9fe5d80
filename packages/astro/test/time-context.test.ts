import { describe, expect, it } from 'vitest';
import {
  createAstroContext,
  frameEpochAt,
  loadContext,
  utcJulianDateToInstant,
} from '../src/context/index.js';
import type { AstroError } from '../src/errors.js';
import { julianDateIn, parseLeapSecondDat, utcToInstant } from '../src/time/index.js';
import { ARCSEC2RAD } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

/**
 * Vallado (2013) Example 3-14, 2004-04-06T07:51:28.386009 UTC: JD_TT = 2453101.828154745 and
 * JD_UT1 = 2453101.827406783 (with the example's node value UT1 − UTC = −0.4399619 s). Our UT1
 * interpolates today's finals2000A to 07:51 UTC (−0.44044 s), 0.48 ms earlier.
 */
const VALLADO_JD_TT_DAY = 1e-9;
const VALLADO_UT1_S = 0.6e-3;

const leapText = readRefText('earth/Leap_Second.dat');
const finalsText = readRefText('earth/finals2000A.all.gz');

describe('loadContext', () => {
  it('loads leap seconds and finals2000A, detects the C04 CSV, and returns warnings', () => {
    const r = loadContext({ leapSecondsText: leapText, eopText: finalsText, eopFile: 'finals2000A.all' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.eop?.firstMjd).toBe(41684);
    expect(r.value.allowEopPredictions).toBe(false);
    expect(r.warnings.every((w) => w.file === 'finals2000A.all')).toBe(true);
    const c = unwrap(
      loadContext({ leapSecondsText: leapText, eopText: readRefText('earth/eopc04_20.2022-now.csv') }),
    );
    expect(c.eop?.firstMjd).toBe(59580);
    const withOld = unwrap(
      loadContext({ leapSecondsText: leapText, earlierLeapSecondsText: readRefText('earth/tai-utc.dat') }),
    );
    expect(withOld.leapSeconds.firstMjd).toBe(37300);
    expect(withOld.leapSeconds.expiresMjd).toBe(61584);
  });

  it('fails with the loader issues', () => {
    const r = loadContext({ leapSecondsText: '# empty\n' });
    expect(r.ok ? null : r.issues.map((i) => i.code)).toEqual(['LEAP_SECONDS_EMPTY']);
    const e = loadContext({ leapSecondsText: leapText, eopText: 'MJD;x\n1;2\n', eopFormat: 'c04-csv' });
    expect(e.ok ? null : e.issues[0]?.code).toBe('EOP_BAD_HEADER');
  });

  it('is explicit: two contexts with different EOP give different UT1 side by side', () => {
    const a = unwrap(loadContext({ leapSecondsText: leapText, eopText: finalsText }));
    const b = unwrap(loadContext({ leapSecondsText: leapText }));
    const t = utcToInstant({ year: 2022, month: 3, day: 1, hour: 0, minute: 0, second: 0 }, a);
    expect(frameEpochAt(t, a).eopStatus).toBe('final');
    expect(frameEpochAt(t, b).eopStatus).toBe('none');
  });
});

describe('frameEpochAt', () => {
  const ctx = unwrap(loadContext({ leapSecondsText: leapText, eopText: finalsText }));
  const t = utcToInstant({ year: 2004, month: 4, day: 6, hour: 7, minute: 51, second: 28.386009 }, ctx);

  it('gives TT and UT1 Julian dates close to Vallado Example 3-14', () => {
    const fe = frameEpochAt(t, ctx);
    expect(fe.jdTt).toBe(2453101.5);
    expect(Math.abs(fe.jdTt + fe.jdTtFrac - 2453101.828154745)).toBeLessThan(VALLADO_JD_TT_DAY);
    expect(Math.abs((fe.jdUt1 - 2453101.5 + fe.jdUt1Frac - 0.327406783) * 86400)).toBeLessThan(VALLADO_UT1_S);
    expect(fe.taiMinusUtcS).toBe(32);
    expect(fe.ut1MinusUtcS).toBeCloseTo(-0.44044, 5);
    expect(fe.xpRad / ARCSEC2RAD).toBeCloseTo(-0.14053, 4);
    expect(fe.ypRad / ARCSEC2RAD).toBeCloseTo(0.33442, 4);
    expect(fe.lodS).toBeGreaterThan(1.3e-3);
    expect(fe.dPsiRad).toBe(0);
    expect(fe.dEpsRad).toBe(0);
    expect(fe.dXRad).not.toBe(0);
    // UT1 here and in the scales module agree.
    const u = julianDateIn(t, 'UT1', ctx);
    expect(Math.abs((u.frac - fe.jdUt1Frac) * 86400)).toBeLessThan(1e-10);
  });

  it('falls back to UT1 = UTC and zero EOP without a table, flagged', () => {
    const bare = createAstroContext({ leapSeconds: ctx.leapSeconds });
    const fe = frameEpochAt(t, bare);
    expect(fe.eopStatus).toBe('none');
    expect([
      fe.xpRad,
      fe.ypRad,
      fe.lodS,
      fe.dPsiRad,
      fe.dEpsRad,
      fe.dXRad,
      fe.dYRad,
      fe.ut1MinusUtcS,
    ]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Math.abs(fe.jdUt1Frac * 86400 - 28288.386009)).toBeLessThan(1e-6);
  });

  it('keeps UT1 continuous through the 2016-12-31 leap second', () => {
    const a = utcToInstant({ year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 59.5 }, ctx);
    const ut1 = (x: typeof a) => {
      const fe = frameEpochAt(x, ctx);
      return (fe.jdUt1 - 2457753.5 + fe.jdUt1Frac) * 86400;
    };
    // Across 2 SI seconds (one of them the leap second), UT1 advances by 2 s minus the tiny LOD drift.
    expect(ut1(a.plusSeconds(2)) - ut1(a)).toBeCloseTo(2, 6);
    expect(ut1(a.plusSeconds(1)) - ut1(a)).toBeCloseTo(1, 6);
  });

  it('raises EOP and time range errors with codes, and honours the prediction opt-in', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AstroError).code;
      }
      return undefined;
    };
    const early = utcToInstant({ year: 1972, month: 6, day: 1, hour: 0, minute: 0, second: 0 }, ctx);
    expect(code(() => frameEpochAt(early, ctx))).toBe('EOP_OUT_OF_RANGE');
    const predicted = utcToInstant({ year: 2026, month: 12, day: 1, hour: 0, minute: 0, second: 0 }, ctx);
    expect(code(() => frameEpochAt(predicted, ctx))).toBe('EOP_PREDICTION_NOT_ALLOWED');
    const opted = createAstroContext({
      leapSeconds: ctx.leapSeconds,
      eop: ctx.eop,
      allowEopPredictions: true,
    });
    expect(frameEpochAt(predicted, opted).eopStatus).toBe('predicted');
    const leapOnly = unwrap(parseLeapSecondDat(leapText));
    expect(
      code(() => utcJulianDateToInstant(2461584.5, 0.1, createAstroContext({ leapSeconds: leapOnly }))),
    ).toBe('TIME_OUT_OF_RANGE');
  });
});
