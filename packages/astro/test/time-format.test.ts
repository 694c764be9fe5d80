import { describe, expect, it } from 'vitest';
import { createAstroContext } from '../src/context/index.js';
import type { AstroError } from '../src/errors.js';
import {
  formatTime,
  instantToUtc,
  parseTimeString,
  parseTimeToInstant,
  type TimeStringStyle,
  utcToInstant,
} from '../src/time/index.js';
import { Instant } from '../src/time/instant.js';
import { loadLeapSecondDat } from './test-support.js';

/** Half a unit of the 9th decimal: a 9-decimal string pins an instant to ±0.5 ns. */
const HALF_NANOSECOND = 0.5e-9;
/** Float noise of the instant arithmetic (a few ulps of 1 s). */
const FLOAT_NOISE_S = 1e-14;

const leap = loadLeapSecondDat();
const ctx = createAstroContext({ leapSeconds: leap });

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (text: string): Instant => {
  const r = parseTimeToInstant(text, ctx);
  if (!r.ok) throw new Error(`${text}: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value;
};

describe('parsing ISO 8601 and CCSDS ASCII A/B', () => {
  it('reads calendar and day-of-year forms, with or without Z and decimals', () => {
    const a = parseTimeString('2016-12-31T23:59:60.5Z');
    expect(a.ok && a.value).toEqual({
      fields: { year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60.5 },
      form: 'calendar',
      zulu: true,
      decimals: 1,
    });
    const b = parseTimeString('2016-366T23:59:60.500');
    expect(b.ok && b.value.fields).toEqual({
      year: 2016,
      month: 12,
      day: 31,
      hour: 23,
      minute: 59,
      second: 60.5,
    });
    expect(b.ok && b.value.form).toBe('day-of-year');
    expect(at('2016-366T23:59:60.500').equals(at('2016-12-31T23:59:60.5Z'))).toBe(true);
    expect(at('2017-001T00:00:00').secondsSince(at('2016-12-31T23:59:59'))).toBe(2);
  });

  it('reports the column of the first bad character', () => {
    const cases: [string, number, string][] = [
      ['2016-13-01T00:00:00', 6, 'TIME_FIELD_RANGE'],
      ['2016-02-30T00:00:00', 9, 'TIME_FIELD_RANGE'],
      ['2017-366T00:00:00', 6, 'TIME_FIELD_RANGE'],
      ['2016-12-31 00:00:00', 11, 'TIME_SYNTAX'],
      ['2016-12-31T24:00:00', 12, 'TIME_FIELD_RANGE'],
      ['2016-12-31T23:60:00', 15, 'TIME_FIELD_RANGE'],
      ['2016-12-31T23:58:60', 18, 'TIME_FIELD_RANGE'],
      ['2016-12-31T23:59:61', 18, 'TIME_FIELD_RANGE'],
      ['2016-12-31T23:59:5', 19, 'TIME_SYNTAX'],
      ['2016-12-31T23:59:59.', 21, 'TIME_SYNTAX'],
      ['2016-12-31T23:59:59+01:00', 20, 'TIME_SYNTAX'],
      ['2016-12-31T23:59:59ZZ', 21, 'TIME_SYNTAX'],
      ['16-12-31T23:59:59', 3, 'TIME_SYNTAX'],
      ['', 1, 'TIME_SYNTAX'],
    ];
    for (const [text, column, code] of cases) {
      const r = parseTimeString(text, { line: 7 });
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      expect([text, r.issues[0]?.column, r.issues[0]?.code, r.issues[0]?.line]).toEqual([
        text,
        column,
        code,
        7,
      ]);
    }
  });

  it('checks leap seconds and table range against the context, at the right column', () => {
    const r = parseTimeToInstant('2017-12-31T23:59:60.000', ctx, { column: 10 });
    expect(r.ok ? null : [r.issues[0]?.code, r.issues[0]?.column]).toEqual(['TIME_INVALID_FIELDS', 27]);
    const b = parseTimeToInstant('2017-365T23:59:60', ctx);
    expect(b.ok ? null : [b.issues[0]?.code, b.issues[0]?.column]).toEqual(['TIME_INVALID_FIELDS', 16]);
    const old = parseTimeToInstant('1970-01-01T00:00:00Z', ctx);
    expect(old.ok ? null : old.issues[0]?.code).toBe('TIME_OUT_OF_RANGE');
    const late = parseTimeToInstant('2030-01-01T00:00:00Z', ctx);
    expect(late.ok ? null : late.issues[0]?.code).toBe('TIME_OUT_OF_RANGE');
  });
});

describe('formatting with correct rounding and carries', () => {
  it('carries 59.9996 into the next minute, day, or the leap second', () => {
    const f = (text: string, decimals: number, style: TimeStringStyle = 'iso') =>
      formatTime(at(text), ctx, { decimals, style });
    expect(f('2017-03-04T05:06:59.9996', 3)).toBe('2017-03-04T05:07:00.000Z');
    expect(f('2017-03-04T05:59:59.9996', 3)).toBe('2017-03-04T06:00:00.000Z');
    expect(f('2017-12-31T23:59:59.9996', 3)).toBe('2018-01-01T00:00:00.000Z');
    expect(f('2017-12-31T23:59:59.9996', 3, 'ccsds-b')).toBe('2018-001T00:00:00.000');
    // On a leap second day the carry goes into 23:59:60, and from there to the next day.
    expect(f('2016-12-31T23:59:59.9996', 3)).toBe('2016-12-31T23:59:60.000Z');
    expect(f('2016-12-31T23:59:60.9996', 3)).toBe('2017-01-01T00:00:00.000Z');
    expect(f('2016-12-31T23:59:60.9994', 3, 'ccsds-a')).toBe('2016-12-31T23:59:60.999');
    expect(f('2016-12-31T23:59:60.5', 0)).toBe('2017-01-01T00:00:00Z');
    expect(f('2016-12-31T23:59:59.5', 0)).toBe('2016-12-31T23:59:60Z');
    expect(f('2016-12-31T23:59:59.4', 0)).toBe('2016-12-31T23:59:59Z');
    // Half up at the last decimal (0.25 and 0.125 are exact binary fractions).
    expect(f('2017-03-04T05:06:07.25', 1)).toBe('2017-03-04T05:06:07.3Z');
    expect(f('2017-03-04T05:06:07.125', 2)).toBe('2017-03-04T05:06:07.13Z');
    expect(f('2017-03-04T05:06:07.123456789012', 12)).toBe('2017-03-04T05:06:07.123456789012Z');
  });

  it('writes the styles and refuses impossible requests with codes', () => {
    const t = at('2016-12-31T23:59:60.5');
    expect(formatTime(t, ctx, { style: 'ccsds-b', decimals: 1 })).toBe('2016-366T23:59:60.5');
    expect(formatTime(t, ctx, { style: 'ccsds-a', decimals: 1, zulu: true })).toBe('2016-12-31T23:59:60.5Z');
    expect(formatTime(t, ctx, { scale: 'TAI', decimals: 1 })).toBe('2017-01-01T00:00:36.5Z');
    expect(formatTime(t, ctx, { scale: 'GPS', decimals: 1 })).toBe('2017-01-01T00:00:17.5Z');
    expect(formatTime(t, ctx, { scale: 'TT', decimals: 4 })).toBe('2017-01-01T00:01:08.6840Z');
    let code: string | undefined;
    try {
      formatTime(t, ctx, { decimals: 13 });
    } catch (e) {
      code = (e as AstroError).code;
    }
    expect(code).toBe('TIME_FORMAT_RANGE');
  });
});

describe('string round trips', () => {
  const span0 = at('1972-01-01T00:00:00').s;
  const span1 = at('2027-06-27T00:00:00').s;

  it('instant → string → instant for 5000 random instants, within half a nanosecond', () => {
    const r = rng(20240601);
    let worst = 0;
    for (let k = 0; k < 5000; k++) {
      const t = Instant.fromJ2000Seconds(span0 + Math.floor(r() * (span1 - span0)), r());
      for (const style of ['iso', 'ccsds-b'] as const) {
        const back = at(formatTime(t, ctx, { decimals: 9, style }));
        worst = Math.max(worst, Math.abs(back.secondsSince(t)));
      }
    }
    expect(worst).toBeLessThanOrEqual(HALF_NANOSECOND + FLOAT_NOISE_S);
  });

  it('instant → string → instant within ±3 s of every leap second, every 1/8 s plus random offsets', () => {
    const r = rng(7);
    let worst = 0;
    let sixties = 0;
    for (const e of ctx.leapSeconds.entries.slice(1)) {
      const b = utcToInstant(
        {
          ...instantToUtc(Instant.fromTaiJulianDate(e.mjd + 2400000.5, 0.5), ctx),
          hour: 0,
          minute: 0,
          second: 0,
        },
        ctx,
      );
      for (let k = -24; k < 24; k++) {
        const t = b.plusSeconds(k / 8 + r() * 0.1);
        const s = formatTime(t, ctx, { decimals: 9 });
        if (s.includes(':60.')) sixties++;
        worst = Math.max(worst, Math.abs(at(s).secondsSince(t)));
        expect(formatTime(at(s), ctx, { decimals: 9 })).toBe(s);
      }
    }
    expect(sixties).toBe(27 * 8);
    expect(worst).toBeLessThanOrEqual(HALF_NANOSECOND + FLOAT_NOISE_S);
  });

  it('string → instant → string is the identity for 5000 random strings, leap seconds included', () => {
    const r = rng(99);
    const leapDays = ctx.leapSeconds.entries.slice(1).map((e) => e.mjd - 1);
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    for (let k = 0; k < 5000; k++) {
      const decimals = Math.floor(r() * 10);
      let text: string;
      const frac = decimals === 0 ? '' : `.${pad(Math.floor(r() * 10 ** decimals), decimals)}`;
      if (k % 5 === 0) {
        // A leap second: pick a leap second day and write 23:59:60.xxx.
        const mjd = leapDays[Math.floor(r() * leapDays.length)] as number;
        const d = instantToUtc(Instant.fromTaiJulianDate(mjd + 2400000.5, 0.5), ctx);
        text = `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T23:59:60${frac}`;
      } else {
        const year = 1972 + Math.floor(r() * 55);
        const month = 1 + Math.floor(r() * 12);
        const day = 1 + Math.floor(r() * 28);
        text = `${year}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(r() * 24), 2)}:${pad(Math.floor(r() * 60), 2)}:${pad(Math.floor(r() * 60), 2)}${frac}`;
      }
      expect(formatTime(at(text), ctx, { decimals, style: 'ccsds-a' })).toBe(text);
    }
  });
});
