/**
 * The screening report's domain parts that every caller (CLI, server) shares: the CARA HBR table
 * parser, the element-set history window of a covariance estimate, and the Pc choice for a
 * screened conjunction (Foster's with both covariance models, else the maximum Pc, with the reason
 * when Foster's cannot be computed).
 */
import { describe, expect, it } from 'vitest';
import { conjunctionPc, covarianceHistoryWindow } from '../src/conjunction/conjunction-pc.js';
import { DEFAULT_OBJECT_HBR_M, objectHbrM, parseHbrTable } from '../src/conjunction/hbr-table.js';
import type { Conjunction } from '../src/conjunction/screening-types.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { AstroError } from '../src/errors.js';
import type { TleCovarianceModel } from '../src/pc/tle-covariance.js';
import { km, kmPerSec, seconds } from '../src/units/index.js';

/** Round-off of the (R/d)²/e maximum Pc. */
const PC_RELATIVE = 1e-12;

describe('HBR table', () => {
  it('reads radii by catalog number and defaults the rest', () => {
    const t = parseHbrTable('ObjectID,HBR,Mass\n25544,30.5,420000\n00005,,1\n7,0.1,\n', 'hbr.csv');
    expect(objectHbrM(t, '25544')).toBe(30.5);
    expect(objectHbrM(t, '7')).toBe(0.1);
    expect(objectHbrM(t, '5')).toBe(DEFAULT_OBJECT_HBR_M);
    expect(objectHbrM(undefined, '25544')).toBe(DEFAULT_OBJECT_HBR_M);
  });

  it('refuses a bad header or row with HBR_TABLE_INVALID, the file and the line', () => {
    for (const [text, line] of [
      ['NORAD,RADIUS\n1,2\n', 1],
      ['ObjectID,HBR\n25544,30\nISS,12\n', 3],
      ['ObjectID,HBR\n25544,-3\n', 2],
    ] as const) {
      try {
        parseHbrTable(text, 'hbr.csv');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AstroError);
        expect((e as AstroError).code).toBe('HBR_TABLE_INVALID');
        expect((e as AstroError).details).toMatchObject({ file: 'hbr.csv', line });
      }
    }
  });
});

describe('covariance history window', () => {
  it('keeps epochs in (asOf − 30 days, asOf]', () => {
    const at = (d: number) =>
      ({ epoch: { jd: 2460226.5 + Math.floor(d), jdFrac: d - Math.floor(d) } }) as ElementSet;
    const sets = [-31, -30, -29.5, -1, 0, 0.25].map(at);
    const kept = covarianceHistoryWindow(sets, { jd: 2460226.5, jdFrac: 0 });
    expect(kept.map((e) => e.epoch.jd - 2460226.5 + e.epoch.jdFrac)).toEqual([-29.5, -1, 0]);
  });
});

describe('Pc of a screened conjunction', () => {
  const object = (n: string, r: [number, number, number], v: [number, number, number]) => ({
    catalogNumber: n,
    index: 0,
    elementAgeDays: 1,
    rKm: r,
    vKmS: v,
  });
  const c: Conjunction = {
    primary: object('1', [7000, 0, 0], [0, 7.5, 0]),
    secondary: object('2', [7000.1, 0, 0], [0, 0, 7.5]),
    tca: { jd: 2460226.5, jdFrac: 0 },
    tcaSecondsFromStart: seconds(0),
    missKm: km(0.1),
    relativeSpeedKmS: kmPerSec(Math.SQRT2 * 7.5),
    missRtnKm: { radial: km(0.1), inTrack: km(0), crossTrack: km(0) },
    pc: null,
    pcMethod: null,
  };
  // Under 5% of the miss: the maximum Pc is (R/d)²/e.
  const hbrKm = 0.002;

  it('is the maximum Pc without covariance models, with low confidence', () => {
    const pc = conjunctionPc(c, hbrKm, new Map());
    expect(pc.method).toBe('ALFANO-2005-MAX');
    expect(pc.confidence).toBe('low');
    expect(pc.covarianceSource).toBe('none (element sets)');
    const want = (hbrKm * hbrKm) / (Math.E * 0.01);
    expect(Math.abs(pc.pc! - want) / want).toBeLessThan(PC_RELATIVE);
    expect(pc.covariances).toBeUndefined();
    expect(pc.fallbackReason).toBeUndefined();
  });

  it("is Foster's with both models, and says why when Foster's cannot be computed", () => {
    const model = (s0: number, g: number): TleCovarianceModel => ({
      sigma0Km: [s0, s0, s0],
      growthKmPerDay: [g, g, g],
      pairs: 20,
      outliers: 0,
      sets: 10,
    });
    const models = new Map([
      ['1', model(0.05, 0.1)],
      ['2', model(0.05, 0.1)],
    ]);
    const pc = conjunctionPc(c, hbrKm, models);
    expect(pc.method).toBe('FOSTER-1992');
    expect(pc.covarianceSource).toBe('tle-history');
    expect(pc.covariances).toHaveLength(2);
    expect(pc.pc!).toBeGreaterThan(0);
    const zero = new Map([
      ['1', model(0, 0)],
      ['2', model(0, 0)],
    ]);
    const fallback = conjunctionPc(c, hbrKm, zero);
    expect(fallback.method).toBe('ALFANO-2005-MAX');
    expect(fallback.fallbackReason).toBeTypeOf('string');
  });
});
