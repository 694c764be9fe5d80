/**
 * buildLargeTestCatalog (breakup/large-test-catalog.ts): the 2023-10-09 catalog plus simulated
 * breakup clouds. The same seed gives the same TLE text byte for byte; the count is exact; every
 * fragment set is written, parsed back and initialises and propagates in SGP4; numbers, names and
 * epochs are as documented; the sampled ejection speeds follow the model's law (Johnson 2001 eq.
 * 11–12: log10 Δv ~ N(μ(χ), 0.4)).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DELTA_V_LOG10_SIGMA, deltaVLog10Mean } from '../src/breakup/breakup-model.js';
import {
  buildLargeTestCatalog,
  DEFAULT_EPOCH_SPREAD_DAYS,
  DEFAULT_SYNTHETIC_BREAKUPS,
  FIRST_SYNTHETIC_CATALOG_NUMBER,
  type LargeTestCatalog,
  SURVIVAL_DAYS,
} from '../src/breakup/large-test-catalog.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { formatTleText, parseTleText } from '../src/elements/tle.js';
import { minutesSinceEpoch } from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';

const EPOCH = { jd: 2460226.5, jdFrac: 0 };
/** Fragments added in these tests: enough for the statistics, quick to build twice. */
const FRAGMENTS = 4000;
/**
 * Mean and spread of the Δv residual ν − μ(χ) over the sampled fragments of one kind: within
 * DV_SIGMAS standard errors (σ/√N for the mean, σ/√(2N) for the standard deviation). Thousands of
 * fragments make that a few hundredths, and a wrong law (eq. 11 for a collision) moves the mean by
 * 0.5 or more.
 */
const DV_SIGMAS = 4;
/** TLE text rounds epochs to 1e-8 day. */
const EPOCH_ROUNDING_DAYS = 1e-8;

describe('buildLargeTestCatalog', () => {
  let base: ElementSet[] = [];
  let big: LargeTestCatalog;
  let text = '';
  beforeAll(() => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    base = parsed.value.records.map((r) => r.elements);
    big = buildLargeTestCatalog(base, { targetCount: base.length + FRAGMENTS, seed: 11, epoch: EPOCH });
    text = formatTleText(big.elements);
  });

  it('gives the same bytes for the same seed, and others for another seed', () => {
    const again = buildLargeTestCatalog(base, {
      targetCount: base.length + FRAGMENTS,
      seed: 11,
      epoch: EPOCH,
    });
    expect(formatTleText(again.elements) === text).toBe(true);
    const other = buildLargeTestCatalog(base, {
      targetCount: base.length + FRAGMENTS,
      seed: 12,
      epoch: EPOCH,
    });
    expect(formatTleText(other.elements) === text).toBe(false);
  });

  it('reaches the count exactly, keeps the base, numbers and names the fragments as documented', () => {
    expect(big.elements.length).toBe(base.length + FRAGMENTS);
    expect(big.baseCount).toBe(base.length);
    expect(big.syntheticCount).toBe(FRAGMENTS);
    for (let i = 0; i < base.length; i++) expect(big.elements[i]).toBe(base[i]);
    const frags = big.elements.slice(base.length);
    const numbers = frags.map((e) => Number(e.catalogNumber));
    expect(new Set(numbers).size).toBe(FRAGMENTS);
    expect(Math.min(...numbers)).toBe(FIRST_SYNTHETIC_CATALOG_NUMBER);
    expect(Math.max(...numbers)).toBe(FIRST_SYNTHETIC_CATALOG_NUMBER + FRAGMENTS - 1);
    expect(frags.every((e) => e.name?.endsWith(' DEB (SIM)'))).toBe(true);
    // Every event kept fragments, in proportion to what survived, and the report adds up.
    expect(big.events.length).toBe(DEFAULT_SYNTHETIC_BREAKUPS.length);
    expect(big.events.reduce((s, e) => s + e.kept, 0)).toBe(FRAGMENTS);
    for (const e of big.events) {
      expect(e.kept).toBeGreaterThan(0);
      expect(e.kept).toBeLessThanOrEqual(e.sampled - e.lostAtBreakup - e.lostBeforeEpoch);
      expect(e.lastCatalogNumber - e.firstCatalogNumber + 1).toBe(e.kept);
    }
    // Epochs in (epoch − spread, epoch].
    for (const e of frags) {
      const age = EPOCH.jd - e.epoch.jd + (EPOCH.jdFrac - e.epoch.jdFrac);
      expect(age).toBeGreaterThanOrEqual(-EPOCH_ROUNDING_DAYS);
      expect(age).toBeLessThan(DEFAULT_EPOCH_SPREAD_DAYS);
    }
  });

  it('writes TLEs that parse back and initialise and propagate in SGP4 over the week after the epoch', () => {
    const back = parseTleText(text);
    if (!back.ok) throw new Error('the catalog text did not parse');
    expect(back.warnings).toEqual([]);
    expect(back.value.records.length).toBe(big.elements.length);
    const rv = new Float64Array(6);
    let failed = 0;
    for (const r of back.value.records.slice(base.length)) {
      const e = r.elements;
      const rec = sgp4Init(e);
      expect(rec.error).toBe(0);
      // Fragments that would decay within SURVIVAL_DAYS were left out: none fails, day by day.
      for (let d = 0; d <= SURVIVAL_DAYS; d++) {
        if (sgp4(rec, minutesSinceEpoch(e.epoch, EPOCH.jd + d, EPOCH.jdFrac), rv) !== 0) failed++;
      }
    }
    expect(failed).toBe(0);
  });

  it('samples ejection speeds from the model’s law per event kind', () => {
    const { event, log10AreaToMass, log10DeltaVMs } = big.sampledFragments;
    for (const kind of ['collision', 'explosion'] as const) {
      let n = 0;
      let sum = 0;
      let sum2 = 0;
      for (let k = 0; k < event.length; k++) {
        if (DEFAULT_SYNTHETIC_BREAKUPS[event[k]!]!.kind !== kind) continue;
        const res = log10DeltaVMs[k]! - deltaVLog10Mean(kind, log10AreaToMass[k]!);
        n++;
        sum += res;
        sum2 += res * res;
      }
      expect(n).toBeGreaterThan(500);
      const mean = sum / n;
      const sd = Math.sqrt(sum2 / n - mean * mean);
      expect(Math.abs(mean)).toBeLessThan((DV_SIGMAS * DELTA_V_LOG10_SIGMA) / Math.sqrt(n));
      expect(Math.abs(sd - DELTA_V_LOG10_SIGMA)).toBeLessThan(
        (DV_SIGMAS * DELTA_V_LOG10_SIGMA) / Math.sqrt(2 * n),
      );
    }
  });

  it('spreads each LEO cloud around its parent’s orbit', () => {
    // A year after the SL-16 R/B collision the fragments fill a band around 840 km at 71°:
    // inclinations within a few degrees, semi-major axes spread by tens of km, nodes drifting.
    const ev = big.events[0]!;
    const parent = base.find((e) => e.catalogNumber === ev.event.parent)!;
    const frags = big.elements.filter((e) => {
      const n = Number(e.catalogNumber);
      return n >= ev.firstCatalogNumber && n <= ev.lastCatalogNumber;
    });
    const deg = 180 / Math.PI;
    const inc = frags.map((e) => Math.abs(e.inclinationRad - parent.inclinationRad) * deg);
    const dn = frags.map((e) => Math.abs(e.meanMotionRadPerMin / parent.meanMotionRadPerMin - 1));
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    expect(frags.length).toBeGreaterThan(500);
    expect(median(inc)).toBeLessThan(3);
    // Half of the mean motions differ from the parent's by more than 0.1 % (a by about 5 km) and
    // by less than 10 % (most fragments stay near the parent's shell; km/s throws a few far out).
    expect(median(dn)).toBeGreaterThan(1e-3);
    expect(median(dn)).toBeLessThan(0.1);
  });

  it('refuses a missing parent, a target below the base and a number range taken by the base', () => {
    expect(() =>
      buildLargeTestCatalog(base.slice(0, 100), { targetCount: 200, seed: 1, epoch: EPOCH }),
    ).toThrow(expect.objectContaining({ code: 'SYNTHETIC_CATALOG_PARENT' }));
    expect(() =>
      buildLargeTestCatalog(base, { targetCount: base.length - 1, seed: 1, epoch: EPOCH }),
    ).toThrow(expect.objectContaining({ code: 'SYNTHETIC_CATALOG_OPTION' }));
    expect(() =>
      buildLargeTestCatalog(base, {
        targetCount: base.length + 10,
        seed: 1,
        epoch: EPOCH,
        firstCatalogNumber: 25540,
      }),
    ).toThrow(expect.objectContaining({ code: 'SYNTHETIC_CATALOG_OPTION' }));
  });
});
