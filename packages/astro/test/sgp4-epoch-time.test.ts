/**
 * The element-set time convention (sgp4/epoch-time.ts): UTC labels of 86,400 s days and time since
 * epoch as their difference, as Vallado's code, python-sgp4 and satellite.js. Checked across the
 * 2016-12-31 leap second against satellite.js (a test oracle, devDependency) on a real Envisat
 * history, and against the SOFA-convention reading it replaces (which gave 12:00:00.500 for day
 * 366.5 of 2016 and an Envisat position 7.46 km off).
 */
import * as satellite from 'satellite.js';
import { describe, expect, it } from 'vitest';
import {
  createAstroContext,
  frameEpochAt,
  loadContext,
  utcJulianDateToInstant,
} from '../src/context/index.js';
import { parseTleText } from '../src/elements/tle.js';
import { formatUtcIso, julianFromDayOfYear, parseUtcString } from '../src/elements/utc-calendar.js';
import { eopUncertainty } from '../src/eop/eop-uncertainty.js';
import {
  instantOfUtcLabel,
  minutesSinceEpoch,
  utcLabelAfterEpoch,
  utcLabelOfInstant,
} from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { formatTime, utcToInstant } from '../src/time/index.js';
import { readRefText } from './reference-data.js';
import { codeOf, loadLeapSecondDat, unwrap } from './test-support.js';

/** The bound: within a metre of satellite.js (both port Vallado; they agree to ~0.1 m). */
const ONE_METRE_KM = 1e-3;
/** Along-track distance of one second at LEO speed is ~7.5 km: the old convention's error. */
const ONE_SECOND_LEO_KM = 7;

const leap = loadLeapSecondDat();
const ctx = createAstroContext({ leapSeconds: leap });

describe('element-set time convention', () => {
  it('reads day 366.5 of 2016 as 12:00:00.000 on the leap-second day', () => {
    const epoch = julianFromDayOfYear(2016, 366.5);
    expect(formatUtcIso(epoch, 6)).toBe('2016-12-31T12:00:00.000000');
    expect(formatTime(instantOfUtcLabel(epoch, ctx), ctx, { decimals: 6 })).toBe(
      '2016-12-31T12:00:00.000000Z',
    );
    // The SOFA quasi-JD reading (86,401 s day) that propagate used to apply to TLE epochs.
    expect(formatTime(utcJulianDateToInstant(epoch.jd, epoch.jdFrac, ctx), ctx)).toBe(
      '2016-12-31T12:00:00.500Z',
    );
  });

  it('counts UTC-label days: 12:00 to 12:00 across the leap second is 1440 minutes, not 1440 min 1 s', () => {
    const a = parseUtcString('2016-12-31T12:00:00')!;
    const b = parseUtcString('2017-01-01T12:00:00')!;
    expect(minutesSinceEpoch(a, b.jd, b.jdFrac)).toBe(1440);
    // The SI seconds elapsed (Orekit's measure) are one more.
    expect(instantOfUtcLabel(b, ctx).secondsSince(instantOfUtcLabel(a, ctx))).toBe(86401);
    expect(formatUtcIso(utcLabelAfterEpoch(a, 1440 - 30), 6)).toBe('2017-01-01T11:30:00.000000');
  });

  it('gives the leap second itself the label of the next 00:00:00.x, and labels round-trip elsewhere', () => {
    const inLeap = utcToInstant({ year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60.5 }, ctx);
    expect(formatUtcIso(utcLabelOfInstant(inLeap, ctx), 6)).toBe('2017-01-01T00:00:00.500000');
    const before = utcToInstant({ year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 59.25 }, ctx);
    const label = utcLabelOfInstant(before, ctx);
    expect(formatUtcIso(label, 6)).toBe('2016-12-31T23:59:59.250000');
    expect(Math.abs(instantOfUtcLabel(label, ctx).secondsSince(before))).toBeLessThan(1e-6);
  });

  it('agrees with satellite.js within 1 m across the 2016-12-31 leap second (Envisat sets of 2016-12-29)', () => {
    const text = readRefText('history/facchinelli-tleAnalysis/envisat_27386_2002-2017.tle');
    const lines = text.split(/\r?\n/);
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < lines.length; i++) {
      if (lines[i]!.startsWith('1 27386U 02009A   16364')) pairs.push([lines[i]!, lines[i + 1]!]);
    }
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    const targets = [
      '2016-12-31T23:59:59',
      '2017-01-01T00:00:00',
      '2017-01-01T00:00:01',
      '2017-01-01T12:00:00',
    ];
    let compared = 0;
    for (const [l1, l2] of pairs) {
      const es = unwrap(parseTleText(`${l1}\n${l2}\n`)).records[0]!.elements;
      const rec = sgp4Init(es);
      const sat = satellite.twoline2satrec(l1, l2);
      for (const iso of targets) {
        const t = parseUtcString(iso)!;
        const out = new Float64Array(6);
        expect(sgp4(rec, minutesSinceEpoch(es.epoch, t.jd, t.jdFrac), out)).toBe(0);
        const p = satellite.propagate(sat, new Date(`${iso}Z`));
        if (p === null || typeof p.position === 'boolean') throw new Error(`satellite.js failed at ${iso}`);
        const d = Math.hypot(out[0]! - p.position.x, out[1]! - p.position.y, out[2]! - p.position.z);
        expect(d).toBeLessThan(ONE_METRE_KM);
        // The elapsed-SI-seconds reading lands a second along track away (the defect this fixes).
        const elapsedMin =
          instantOfUtcLabel(t, ctx).secondsSince(utcJulianDateToInstant(es.epoch.jd, es.epoch.jdFrac, ctx)) /
          60;
        sgp4(rec, elapsedMin, out);
        const old = Math.hypot(out[0]! - p.position.x, out[1]! - p.position.y, out[2]! - p.position.z);
        if (iso >= '2017') expect(old).toBeGreaterThan(ONE_SECOND_LEO_KM);
        compared++;
      }
    }
    expect(compared).toBe(pairs.length * targets.length);
  });
});

describe('EOP outside the table', () => {
  const leapText = readRefText('earth/Leap_Second.dat');
  const finals = readRefText('earth/finals2000A.all.gz');

  it('is an error by default and a held last row, flagged, with hold-last', () => {
    // The finals file's predictions end past the leap-second file's expiry: hold that one here.
    const strict = unwrap(
      loadContext({
        leapSecondsText: leapText,
        eopText: finals,
        allowEopPredictions: true,
        afterLeapSecondExpiry: 'hold-last',
      }),
    );
    const tolerant = unwrap(
      loadContext({
        leapSecondsText: leapText,
        eopText: finals,
        allowEopPredictions: true,
        afterLeapSecondExpiry: 'hold-last',
        eopBeyondTable: 'hold-last',
      }),
    );
    const last = strict.eop!.lastMjd;
    const beyond = instantOfUtcLabel({ jd: Math.floor(last) + 2400000.5 + 40, jdFrac: 0.25 }, tolerant);
    expect(codeOf(() => frameEpochAt(beyond, strict))).toBe('EOP_OUT_OF_RANGE');
    const held = frameEpochAt(beyond, tolerant);
    expect(held.eopStatus).toBe('held');
    expect(held.eopHeldDays).toBeGreaterThan(39);
    expect(held.ut1MinusUtcS).toBe(tolerant.eop!.node(tolerant.eop!.size - 1).ut1MinusUtcS);
    const inside = frameEpochAt(
      instantOfUtcLabel({ jd: last + 2400000.5 - 1, jdFrac: 0 }, tolerant),
      tolerant,
    );
    expect(inside.eopStatus).toBe('predicted');
    expect(inside.eopHeldDays).toBe(0);
  });

  it('states the Bulletin A prediction error, growing with the hold', () => {
    // Bulletin A: sigma(UT1 - UTC) = 0.00025 s * d^0.75; at d = 365 about 21 ms.
    const year = eopUncertainty(365);
    expect(year.ut1MinusUtcS).toBeCloseTo(0.00025 * 365 ** 0.75, 12);
    expect(year.ut1MinusUtcS).toBeGreaterThan(0.02);
    expect(year.polarMotionArcsec).toBeCloseTo(0.00068 * 365 ** 0.8, 12);
    const heldMonth = eopUncertainty(395, 30, 0.001);
    expect(heldMonth.ut1MinusUtcS).toBeCloseTo(0.00025 * 395 ** 0.75 + 0.03, 12);
    // A held row without LOD (finals2000A's first and last rows) uses the 4 ms/day bound.
    expect(eopUncertainty(395, 30, 0).ut1MinusUtcS).toBeCloseTo(0.00025 * 395 ** 0.75 + 0.12, 12);
    expect(eopUncertainty(0, 0).ut1MinusUtcS).toBe(0);
    // Never more than the 1.8 s that |UT1 − UTC| < 0.9 s allows.
    expect(eopUncertainty(0, 10_000, 0).ut1MinusUtcS).toBe(1.8);
  });
});
