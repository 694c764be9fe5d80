/**
 * Nothing is lost silently in screening: element sets older than the maximum age, objects whose
 * SGP4 initialisation fails, objects that decay inside the window, and (through the merge of
 * worker slices) intervals rejected by the interpolation bound are each listed with the object,
 * the first bad time and the SGP4 code, and counted in the statistics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeScreeningLosses, screenCatalog } from '../src/conjunction/screen-catalog.js';
import {
  LOSS_DECAYED,
  LOSS_INTERPOLATION_BOUND,
  LOSS_SGP4_ERROR,
  OBJECT_LOSS_STRIDE,
  REFINE_LOSS_STRIDE,
} from '../src/conjunction/screen-engine.js';
import { assessScreeningData } from '../src/conjunction/screening-quality.js';
import { resolveScreeningOptions } from '../src/conjunction/screening-types.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';

/** 2023-10-10 00:00 UTC: every object of the 2023-10-09 snapshot but a few has an earlier epoch. */
const START = { jd: 2460227.5, jdFrac: 0 };
/** SGP4's decay code and the surface radius below which the screener calls a state decayed, km. */
const SGP4_DECAYED = 6;
const R_SURFACE_KM = 6378;

describe('screening losses', () => {
  let leo: ElementSet[] = [];
  let iss: ElementSet;
  beforeAll(() => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    const all = parsed.value.records.map((r) => r.elements);
    iss = all.find((e) => e.catalogNumber === '25544')!;
    // Recent near-earth sets only, so that every loss below is one of ours.
    leo = all
      .filter((e) => {
        const age = START.jd - e.epoch.jd + (START.jdFrac - e.epoch.jdFrac);
        const r = sgp4Init(e);
        return age > 0 && age < 5 && r.error === 0 && r.a * r.radiusearthkm < 7500 && r.ecco < 0.01;
      })
      .filter((_, i) => i % 40 === 0);
  }, 60_000);

  it('lists stale, uninitialisable and decaying objects with first bad time and SGP4 code', () => {
    // A heavy-drag copy of the ISS re-enters within hours; an eccentricity of 1.5 cannot start;
    // a copy 45 days old is past the 30-day default.
    const decayer: ElementSet = {
      ...iss,
      catalogNumber: '99901',
      name: 'DECAYER',
      meanMotionRadPerMin: iss.meanMotionRadPerMin * 1.02,
      bstar: 0.2,
    };
    const hyperbolic: ElementSet = { ...iss, catalogNumber: '99902', name: 'HYPERBOLIC', eccentricity: 1.5 };
    const stale: ElementSet = {
      ...iss,
      catalogNumber: '99903',
      name: 'STALE',
      epoch: { jd: iss.epoch.jd - 45, jdFrac: iss.epoch.jdFrac },
    };
    const input = [...leo, decayer, hyperbolic, stale];
    const res = screenCatalog(input, { start: START, durationDays: 1 });
    const byId = new Map(res.losses.objects.map((l) => [l.catalogNumber, l]));
    expect(res.losses.objects.map((l) => l.catalogNumber).sort()).toEqual(['99901', '99902', '99903']);

    const d = byId.get('99901')!;
    expect(d.reason).toBe('decayed');
    expect(d.index).toBe(input.length - 3);
    expect(d.name).toBe('DECAYER');
    expect(d.lostIntervals).toBeGreaterThan(0);
    // The first bad knot is inside the window, SGP4 agrees it is bad there and fine at the start.
    expect(d.firstBadSecondsFromStart).toBeGreaterThan(0);
    expect(d.firstBadSecondsFromStart).toBeLessThan(86_400);
    const rec = sgp4Init(decayer);
    const off = (START.jd - decayer.epoch.jd + (START.jdFrac - decayer.epoch.jdFrac)) * 1440;
    const out = new Float64Array(6);
    expect(sgp4(rec, off, out)).toBe(0);
    const code = sgp4(rec, off + d.firstBadSecondsFromStart / 60, out);
    if (code === 0) {
      expect(Math.hypot(out[0]!, out[1]!, out[2]!)).toBeLessThan(R_SURFACE_KM);
      expect(d.sgp4Code).toBeNull();
    } else {
      expect(code).toBe(SGP4_DECAYED);
      expect(d.sgp4Code).toBe(SGP4_DECAYED);
    }
    const tBad = d.firstBadTime.jd - START.jd + (d.firstBadTime.jdFrac - START.jdFrac);
    expect(tBad * 86_400).toBeCloseTo(d.firstBadSecondsFromStart, 3);

    const h = byId.get('99902')!;
    expect(h.reason).toBe('sgp4-init-failed');
    expect(h.sgp4Code).toBe(sgp4Init(hyperbolic).error);
    expect(h.sgp4Code).not.toBe(0);
    expect(h.firstBadSecondsFromStart).toBe(0);

    const s = byId.get('99903')!;
    expect(s.reason).toBe('element-set-too-old');
    expect(s.elementAgeDays).toBeGreaterThan(45);
    expect(res.stats.tooOld).toBe(1);
    expect(res.stats.initFailed).toBe(1);
    expect(res.stats.screened).toBe(input.length - 2);
    expect(res.stats.oldestAgeDays).toBeLessThan(30);
    expect(res.warnings.map((w) => w.code)).toContain('ELEMENT_SETS_TOO_OLD');
    expect(res.losses.refinements).toHaveLength(res.stats.refineFailed);

    // With the age limit lifted the stale copy is screened; it sits on the ISS's orbit 45 days
    // back, so it is no longer listed.
    const all = screenCatalog(input, {
      start: START,
      durationDays: 1,
      maxElementAgeDays: Number.POSITIVE_INFINITY,
    });
    expect(all.stats.tooOld).toBe(0);
    expect(all.losses.objects.find((l) => l.reason === 'element-set-too-old')).toBeUndefined();
    expect(() => screenCatalog(input, { start: START, maxElementAgeDays: -1 })).toThrow(/maxElementAgeDays/);
  });

  it('lists intervals rejected by the interpolation bound (a decaying 2019 debris object)', () => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2019-03-19.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    // COSMOS 903 DEB, 12 days old on 2019-03-19: its drag terms run away before SGP4 reports decay.
    const debris = parsed.value.records.map((r) => r.elements).find((e) => e.catalogNumber === '27882')!;
    const res = screenCatalog([debris], { start: { jd: 2458561.5, jdFrac: 0 }, durationDays: 0.05 });
    expect(res.stats.rejectedIntervals).toBeGreaterThan(0);
    const bound = res.losses.objects.filter((l) => l.reason === 'interpolation-bound');
    expect(bound).toHaveLength(1);
    expect(bound[0]!.catalogNumber).toBe('27882');
    expect(bound[0]!.lostIntervals).toBe(res.stats.rejectedIntervals);
    expect(bound[0]!.sgp4Code).toBeNull();
    expect(res.losses.objects.find((l) => l.reason === 'decayed')?.sgp4Code).toBe(SGP4_DECAYED);
  });

  it('says when nothing valid is left: all sets stale, or no usable primary', () => {
    const stale = leo.slice(0, 20);
    const old = screenCatalog(stale, { start: { jd: START.jd + 60, jdFrac: 0 }, durationDays: 0.1 });
    const q = assessScreeningData(old, stale, 30);
    expect(q.screened).toBe(0);
    expect(q.tooOld).toBe(20);
    expect(q.oldestTooOldDays).toBeGreaterThan(60);
    expect(q.nothingValid).toMatch(/0 of 20 element sets are usable/);
    // Fresh secondaries but the only primary is stale: no secondary is near a usable primary.
    const primary: ElementSet = { ...iss, epoch: { jd: iss.epoch.jd - 45, jdFrac: iss.epoch.jdFrac } };
    const input = [...leo.slice(0, 20), primary];
    const res = screenCatalog(input, { start: START, durationDays: 0.1, primaries: ['25544'] });
    expect(res.stats.screened).toBe(0);
    expect(assessScreeningData(res, input, 30, ['25544']).nothingValid).toMatch(
      /0 of 21 element sets are usable/,
    );
    const fine = screenCatalog(leo.slice(0, 20), { start: START, durationDays: 0.1 });
    const ok = assessScreeningData(fine, leo.slice(0, 20), 30);
    expect(ok.nothingValid).toBeNull();
    expect(ok.oldestScreenedDays).toBeLessThan(5);
  });

  it('merges slice losses: earliest bad time with its code, summed intervals, refinements by time', () => {
    const elements = leo.slice(0, 3);
    const options = resolveScreeningOptions({ start: START, durationDays: 1 });
    const rows = (r: number[][]) => Float64Array.from(r.flat());
    expect(OBJECT_LOSS_STRIDE).toBe(5);
    expect(REFINE_LOSS_STRIDE).toBe(4);
    const losses = mergeScreeningLosses({ elements, options, setupLosses: new Float64Array(0) }, [
      {
        objects: rows([
          [1, LOSS_INTERPOLATION_BOUND, 7200, 0, 3],
          [2, LOSS_SGP4_ERROR, 600, 1, 2],
        ]),
        refinements: rows([[0, 2, 5000, 2]]),
      },
      {
        objects: rows([
          [1, LOSS_INTERPOLATION_BOUND, 1200, 0, 5],
          [2, LOSS_DECAYED, 300, 6, 1],
        ]),
        refinements: rows([[1, 2, 100, 1]]),
      },
    ]);
    expect(
      losses.objects.map((l) => [
        l.catalogNumber,
        l.reason,
        l.firstBadSecondsFromStart,
        l.sgp4Code,
        l.lostIntervals,
      ]),
    ).toEqual([
      [elements[1]!.catalogNumber, 'interpolation-bound', 1200, null, 8],
      // A slice that starts after the decay sees SGP4's later errors: one loss, the decay first.
      [elements[2]!.catalogNumber, 'decayed', 300, 6, 3],
    ]);
    expect(losses.refinements.map((r) => [r.secondsFromStart, r.reason, r.primary.catalogNumber])).toEqual([
      [100, 'sgp4-error', elements[1]!.catalogNumber],
      [5000, 'not-converged', elements[0]!.catalogNumber],
    ]);
  });
});
