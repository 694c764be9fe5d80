/**
 * Reentry prediction on real objects with a known reentry time (bounds as reached, see the
 * evaluation notes for the full table), the space-weather trust rules, and the window rules.
 *
 * Truths: 66877 (2025-282A) 2026-01-30 13:43 UTC, the decay epoch of the TIP issued after it
 * (reentry/ssa-script-tip/tip_history_66877.csv); CZ-5B R/B (48275) 2021-05-09 02:24 UTC, 72.47°E
 * 2.65°N (USSPACECOM announcement, public record); GOCE 2013-11-11 00:16 UTC (ESA, public record).
 */
import { describe, expect, it } from 'vitest';
import { parseCelestrakSpaceWeatherCsv } from '../src/atmosphere/space-weather.js';
import {
  predictReentry,
  REENTRY_FORECAST_WINDOW_FRACTION,
  REENTRY_LATE_WINDOW_FRACTION,
} from '../src/reentry/reentry-predict.js';
import { cz5bLastSet, goceFinalTle, reentryEnvironment, SW_TEXT, tles66877, utc } from './reentry-support.js';
import { codeOf, unwrap } from './test-support.js';

const env = reentryEnvironment();
const ctx = env.context;

function score(p: ReturnType<typeof predictReentry>, truthUtc: string) {
  const truth = utc(truthUtc, ctx);
  const remaining = truth.secondsSince(p.elementEpoch);
  const err = p.reentryEpoch.secondsSince(truth);
  const inside = truth.secondsSince(p.windowStart) >= 0 && p.windowEnd.secondsSince(truth) >= 0;
  return { remaining, err, fraction: err / remaining, inside };
}

describe('reentry of 66877 (2025-282A), truth 2026-01-30 13:43 UTC', () => {
  const TRUTH = '2026-01-30T13:43:00';
  it('from its last-but-one TLE alone (ṅ estimate)', () => {
    const sets = tles66877().slice(0, 1);
    const p = predictReentry(sets, env);
    const s = score(p, TRUTH);
    console.log(
      `66877 one set: error ${(s.err / 3600).toFixed(2)} h = ${(100 * s.fraction).toFixed(1)} % of ${(s.remaining / 3600).toFixed(1)} h; inside ${s.inside}`,
    );
    expect(p.ballistic.method).toBe('mean-motion-dot');
    expect(p.warnings.map((w) => w.code)).toContain('BC_FROM_MEAN_MOTION_DOT');
    // Measured 0.9 %; Pardini & Anselmo's mean error is ~10 %: bound 10 %.
    expect(Math.abs(s.fraction)).toBeLessThan(0.1);
    expect(s.inside).toBe(true);
    expect(p.windowFraction).toBe(REENTRY_LATE_WINDOW_FRACTION); // under 48 h remaining
    // The track and the event are consistent: the last pre-nominal sample is near 80 km.
    const k = p.groundTrack.afterNominal.indexOf(1) - 1;
    expect(p.groundTrack.heightKm[k]!).toBeLessThan(120);
    expect(p.interfaceEpoch!.secondsSince(p.reentryEpoch)).toBeLessThan(0);
  });

  it('from its last two TLEs (pair fit)', () => {
    const p = predictReentry(tles66877(), env);
    const s = score(p, TRUTH);
    console.log(
      `66877 two sets: B ${p.ballistic.bM2Kg.toFixed(4)}, error ${(s.err / 3600).toFixed(2)} h = ${(100 * s.fraction).toFixed(1)} % of ${(s.remaining / 3600).toFixed(1)} h; inside ${s.inside}`,
    );
    expect(p.ballistic.method).toBe('pairs');
    // Measured −20.7 % (7.8 h early, just outside the ±25 % window); bound as reached: 25 %.
    expect(Math.abs(s.fraction)).toBeLessThan(0.25);
  });
});

describe('reentry of CZ-5B R/B (48275), truth 2021-05-09 02:24 UTC', () => {
  it('from its last set in the 2021-05-29 snapshot', () => {
    const p = predictReentry(cz5bLastSet(), env);
    const s = score(p, '2021-05-09T02:24:00');
    // Closest approach of the window's ground track to the published point (72.47°E, 2.65°N).
    const R = 6371;
    const la = (2.65 * Math.PI) / 180;
    const lo = (72.47 * Math.PI) / 180;
    let closest = Number.POSITIVE_INFINITY;
    const tr = p.groundTrack;
    for (let k = 0; k < tr.latRad.length; k++) {
      const c =
        Math.sin(tr.latRad[k]!) * Math.sin(la) +
        Math.cos(tr.latRad[k]!) * Math.cos(la) * Math.cos(tr.lonRad[k]! - lo);
      closest = Math.min(closest, R * Math.acos(Math.min(1, c)));
    }
    console.log(
      `CZ-5B: error ${(s.err / 3600).toFixed(2)} h = ${(100 * s.fraction).toFixed(1)} % of ${(s.remaining / 3600).toFixed(2)} h; inside ${s.inside}; track passes ${closest.toFixed(0)} km from the published point`,
    );
    // Measured +32.3 % (1.9 h late), inside the ±25 % window of the (longer) predicted time.
    expect(Math.abs(s.fraction)).toBeLessThan(0.35);
    expect(s.inside).toBe(true);
    // Measured 10 km: the orbital plane is right; bound 50 km (the published point is given to
    // 0.01°, and the track is sampled every 30 s, ~220 km apart along track but close across it).
    const TRACK_TO_POINT_KM = 50;
    expect(closest).toBeLessThan(TRACK_TO_POINT_KM);
  });
});

describe('reentry of GOCE (34602), truth 2013-11-11 00:16 UTC', () => {
  it('from its final TLE: the ṅ estimate lags the last hour’s decay (known limit)', () => {
    const p = predictReentry(goceFinalTle(), env);
    const s = score(p, '2013-11-11T00:16:00');
    console.log(
      `GOCE: B ${p.ballistic.bM2Kg.toFixed(5)}, error ${(s.err / 3600).toFixed(2)} h = ${(100 * s.fraction).toFixed(0)} % of ${(s.remaining / 3600).toFixed(2)} h; inside ${s.inside}`,
    );
    // Measured +2.79 h on 1.22 h (+230 %): the TLE's ṅ averages the decay of its fit span, hours
    // before an epoch at ~120 km, so B comes out ~4× too small. Bound as reached: 2.5.
    expect(s.fraction).toBeGreaterThan(0);
    expect(s.fraction).toBeLessThan(2.5);
  });
});

describe('space weather beyond the table', () => {
  // The table cut after 2026-01-28: the 66877 propagation (to 2026-01-30) runs past it.
  const cut = SW_TEXT.split('\n')
    .filter((l) => !/^20(2[6-9]|[3-9]\d)-/.test(l) || l < '2026-01-29')
    .join('\n');
  const short = unwrap(parseCelestrakSpaceWeatherCsv(cut));

  it('is refused by default, with its own code', () => {
    expect(codeOf(() => predictReentry(tles66877().slice(0, 1), { ...env, spaceWeather: short }))).toBe(
      'REENTRY_SPACE_WEATHER_BEYOND_TABLE',
    );
  });

  it('is held with a warning and a wider window when asked', () => {
    const p = predictReentry(tles66877().slice(0, 1), {
      ...env,
      spaceWeather: short,
      beyondSpaceWeather: 'hold',
    });
    expect(p.warnings.map((w) => w.code)).toContain('SPACE_WEATHER_HELD');
    expect(p.forecastSpaceWeather).toBe(true);
    expect(p.windowFraction).toBe(REENTRY_FORECAST_WINDOW_FRACTION);
  });
});

describe('predicted space weather', () => {
  it('is flagged and widens the window to ±30 %', () => {
    // The same orbit 95 days later (2026-05-03), where SW-All holds predicted (PRD) rows only.
    const set = tles66877()[0]!;
    const later = { ...set, epoch: { jd: set.epoch.jd + 95, jdFrac: set.epoch.jdFrac } };
    const p = predictReentry([later], env);
    expect(p.warnings.map((w) => w.code)).toContain('SPACE_WEATHER_PREDICTED');
    expect(p.forecastSpaceWeather).toBe(true);
    expect(p.windowFraction).toBe(REENTRY_FORECAST_WINDOW_FRACTION);
  });
});

describe('input checks', () => {
  it('refuses a history mixing objects and an object that stays up', () => {
    expect(codeOf(() => predictReentry([...tles66877(), ...cz5bLastSet()], env))).toBe(
      'REENTRY_MIXED_OBJECTS',
    );
    // A tiny B keeps CZ-5B up for the 1-day horizon.
    expect(
      codeOf(() => predictReentry(cz5bLastSet(), env, { ballisticCoefficientM2Kg: 1e-5, maxDays: 1 })),
    ).toBe('REENTRY_NOT_WITHIN_HORIZON');
  });
});
