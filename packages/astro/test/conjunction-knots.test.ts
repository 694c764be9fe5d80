/**
 * The Hermite interpolation error bound of hermite-knots.ts against SGP4 itself: every usable
 * interval of every object of the 2023-10-09 catalog (the data the bound's factors were set on),
 * two blocks (85 minutes) from 2023-10-09 00:00 UTC, checked at s = 1/16 … 15/16 with the reference
 * kernel; then data the factors were not set on: the 2019, 2021 and 2022 catalogs likewise from
 * their median epoch days, and the deep-space and highly eccentric objects (GEO, GTO, Molniya, HEO, MEO) of all
 * four over 12 hours, perigee passes included. Also checks the speed and jerk bounds used by the
 * padded grid on the same samples.
 */
import { describe, expect, it } from 'vitest';
import {
  COEF_AXIS,
  COEF_STRIDE,
  gravityModel,
  HermiteBlock,
  knotLevel,
} from '../src/conjunction/hermite-knots.js';
import { minutesFromEpoch } from '../src/conjunction/screen-engine.js';
import {
  DEFAULT_INTERPOLATION_TARGET_KM,
  DEFAULT_KNOT_LEVELS,
  DEFAULT_SCREENING_STEP_S,
} from '../src/conjunction/screening-types.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import type { Satrec } from '../src/sgp4/satrec.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { orbitClass } from './orbit-class.js';
import { readRefText } from './reference-data.js';

const START = { jd: 2460226.5, jdFrac: 0 };
/** Bounds are compared with a relative slack for floating-point rounding only. */
const ROUNDING = 1 + 1e-9;
/** Interior samples per interval: s = 1/SAMPLES … (SAMPLES − 1)/SAMPLES. */
const SAMPLES = 16;

/** Position and velocity on a Kepler orbit (μ, a, e; fixed orientation), t seconds after perigee. */
function kepler(mu: number, a: number, e: number, t: number): number[] {
  const n = Math.sqrt(mu / a ** 3);
  const M = n * t;
  let E = M;
  for (let k = 0; k < 50; k++) E -= (E - e * Math.sin(E) - M) / (1 - e * Math.cos(E));
  const b = a * Math.sqrt(1 - e * e);
  const dE = n / (1 - e * Math.cos(E));
  const plane = [a * (Math.cos(E) - e), b * Math.sin(E), -a * Math.sin(E) * dE, b * Math.cos(E) * dE];
  // Orbit plane: inclination 0.9 rad, ascending node 0.3 rad, argument of perigee 1.1 rad.
  const [ci, si, cO, sO, cw, sw] = [0.9, 0.9, 0.3, 0.3, 1.1, 1.1].map((x, k) =>
    k % 2 === 1 ? Math.sin(x) : Math.cos(x),
  ) as [number, number, number, number, number, number];
  const P = [cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si];
  const Q = [-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si];
  const r = [0, 1, 2].map((k) => plane[0]! * P[k]! + plane[1]! * Q[k]!);
  const v = [0, 1, 2].map((k) => plane[2]! * P[k]! + plane[3]! * Q[k]!);
  return [...r, ...v];
}

describe('Hermite knots for screening', () => {
  it('gravity model: jerk and snap are the derivatives of the two-body + J2 acceleration along Kepler motion', () => {
    const mu = 398600.8;
    const j2re2 = 1.5 * 0.001082616 * 6378.135 ** 2;
    const out = new Float64Array(9);
    const model = (a: number, e: number, t: number): number[] => {
      const [x, y, z, vx, vy, vz] = kepler(mu, a, e, t) as [number, number, number, number, number, number];
      gravityModel(x, y, z, vx, vy, vz, mu, j2re2, out, 0);
      return Array.from(out);
    };
    const h = 0.5;
    let worstJerk = 0;
    let worstSnap = 0;
    for (const [a, e] of [
      [6900, 0.001],
      [8000, 0.15],
      [26000, 0.7],
    ] as const) {
      for (const t of [0, 500, 1300]) {
        const [m2, m1, c, p1, p2] = [-2, -1, 0, 1, 2].map((k) => model(a, e, t + k * h)) as [
          number[],
          number[],
          number[],
          number[],
          number[],
        ];
        const jNorm = Math.hypot(c[3]!, c[4]!, c[5]!);
        const sNorm = Math.hypot(c[6]!, c[7]!, c[8]!);
        for (let ax = 0; ax < 3; ax++) {
          // Fourth-order central differences of the acceleration.
          const jerk = (-p2[ax]! + 8 * p1[ax]! - 8 * m1[ax]! + m2[ax]!) / (12 * h);
          const snap = (-p2[ax]! + 16 * p1[ax]! - 30 * c[ax]! + 16 * m1[ax]! - m2[ax]!) / (12 * h * h);
          worstJerk = Math.max(worstJerk, Math.abs(jerk - c[3 + ax]!) / jNorm);
          worstSnap = Math.max(worstSnap, Math.abs(snap - c[6 + ax]!) / sNorm);
        }
      }
    }
    // The J2 parts are ~1e-3 of the totals: leaving them out fails these by orders of magnitude.
    expect(worstJerk).toBeLessThan(1e-10);
    expect(worstSnap).toBeLessThan(1e-7);
  });

  it('bounds the interpolation error and the speed of every usable interval (2023, the calibration data)', () => {
    const r = checkKnotBounds(catalog('2023-10-09'), START, 2);
    report('2023-10-09, whole catalog, 85 min', r);
    expect(r.checked).toBeGreaterThan(1_000_000);
    expectSound(r);
  });

  // The bound's factors were set on the 2023 catalog: the same check on data they were not set on.
  for (const day of ['2019-03-19', '2021-05-29', '2022-01-22']) {
    it(`holds on the ${day} catalog (whole catalog, 85 minutes from its median epoch day)`, () => {
      const elements = catalog(day);
      const r = checkKnotBounds(elements, medianEpochDay(elements), 2);
      report(`${day}, whole catalog, 85 min`, r);
      expect(r.checked).toBeGreaterThan(1_000_000);
      expectSound(r);
    });
  }

  it('holds on deep-space and highly eccentric orbits (GEO, GTO, Molniya, HEO, MEO) of all four catalogs over 12 hours', () => {
    let checked = 0;
    const classes = new Map<string, number>();
    for (const day of ['2019-03-19', '2021-05-29', '2022-01-22', '2023-10-09']) {
      const elements = catalog(day);
      const deep = elements.filter((e) => {
        const c = orbitClass(e);
        if (c === 'LEO' || c === 'BAD') return false;
        classes.set(c, (classes.get(c) ?? 0) + 1);
        return true;
      });
      // Every 4th (about 1,000 per catalog), 12 hours: every GTO and Molniya orbit passes perigee.
      const r = checkKnotBounds(
        deep.filter((_, i) => i % 4 === 0),
        medianEpochDay(elements),
        34,
      );
      report(`${day}, deep-space and eccentric, 12 h`, r);
      expectSound(r);
      checked += r.checked;
    }
    console.log(`orbit classes (all four catalogs): ${[...classes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const c of ['GEO', 'GTO', 'MOLNIYA', 'HEO', 'MEO']) expect(classes.get(c) ?? 0).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(500_000);
  });
});

/** The four reference catalogs, parsed once each. */
const catalogs = new Map<string, ElementSet[]>();
function catalog(day: string): ElementSet[] {
  let c = catalogs.get(day);
  if (c === undefined) {
    const parsed = parseTleText(readRefText(`catalog/full_catalog_${day}.3le.txt.gz`));
    if (!parsed.ok) throw new Error(`${day} catalog did not parse`);
    c = parsed.value.records.map((r) => r.elements);
    catalogs.set(day, c);
  }
  return c;
}

/** 00:00 UTC of the day of the median epoch (the CLI's default window start). */
function medianEpochDay(elements: readonly ElementSet[]): { jd: number; jdFrac: number } {
  const jds = elements.map((e) => e.epoch.jd).sort((a, b) => a - b);
  return { jd: jds[jds.length >> 1]!, jdFrac: 0 };
}

interface BoundCheck {
  objects: number;
  usable: number;
  unusable: number;
  checked: number;
  worstRatio: number;
  worstKm: number;
  violations: number;
  vViolations: number;
  jViolations: number;
}

function report(what: string, r: BoundCheck): void {
  console.log(
    `knots ${what}: ${r.objects} objects, ${r.usable} usable and ${r.unusable} unusable intervals, ${r.checked} samples; ` +
      `max error ${(r.worstKm * 1000).toFixed(1)} m, max error / bound ${r.worstRatio.toFixed(3)}`,
  );
}

function expectSound(r: BoundCheck): void {
  expect(r.violations).toBe(0);
  expect(r.vViolations).toBe(0);
  expect(r.jViolations).toBe(0);
  expect(r.worstRatio).toBeLessThanOrEqual(1);
}

/**
 * Builds `blocks` Hermite blocks from `start` with the screening defaults and checks every usable
 * interval against SGP4 at s = 1/SAMPLES … (SAMPLES − 1)/SAMPLES: position error within eps, speed
 * within vmax, jerk within jmax.
 */
function checkKnotBounds(
  elements: readonly ElementSet[],
  start: { jd: number; jdFrac: number },
  blocks: number,
): BoundCheck {
  const step = DEFAULT_SCREENING_STEP_S;
  const maxLevel = DEFAULT_KNOT_LEVELS;
  const sel: { rec: Satrec; level: number; off: number }[] = [];
  for (const e of elements) {
    const rec = sgp4Init(e);
    if (rec.error !== 0) continue;
    const off = minutesFromEpoch(e, start.jd, start.jdFrac);
    const level = knotLevel(rec, [off], step, maxLevel, DEFAULT_INTERPOLATION_TARGET_KM);
    sel.push({ rec, level, off });
  }
  sel.sort((p, q) => p.level - q.level);
  const recs = sel.map((s) => s.rec);
  const hb = new HermiteBlock(
    recs,
    Uint8Array.from(sel, (s) => s.level),
    Float64Array.from(sel, (s) => s.off),
    step,
    maxLevel,
  );
  const out = new Float64Array(6);
  const r: BoundCheck = {
    objects: hb.n,
    usable: 0,
    unusable: 0,
    checked: 0,
    worstRatio: 0,
    worstKm: 0,
    violations: 0,
    vViolations: 0,
    jViolations: 0,
  };
  for (let b = 0; b < blocks; b++) {
    const t0 = b * hb.blockSec;
    hb.build(t0);
    for (let i = 0; i < hb.n; i++) {
      const h = step * 2 ** hb.level[i]!;
      const m = hb.blockSec / h;
      for (let k = 0; k < m; k++) {
        const iv = hb.intBase[i]! + k * hb.intStride[i]!;
        if (hb.ok[iv] === 0) {
          r.unusable++;
          continue;
        }
        r.usable++;
        const c = iv * COEF_STRIDE;
        for (let q = 1; q < SAMPLES; q++) {
          const s = q / SAMPLES;
          const t = t0 + (k + s) * h;
          if (sgp4(recs[i]!, sel[i]!.off + t / 60, out) !== 0) continue;
          let e2 = 0;
          let v2 = 0;
          let j2 = 0;
          for (let ax = 0; ax < 3; ax++) {
            const k = hb.coef.subarray(c + ax * COEF_AXIS, c + (ax + 1) * COEF_AXIS);
            const p = k[0]! + s * (k[1]! + s * (k[2]! + s * (k[3]! + s * (k[4]! + s * k[5]!))));
            const v = (k[1]! + s * (2 * k[2]! + s * (3 * k[3]! + s * (4 * k[4]! + s * 5 * k[5]!)))) / h;
            const j = (6 * k[3]! + s * (24 * k[4]! + s * 60 * k[5]!)) / (h * h * h);
            e2 += (p - out[ax]!) ** 2;
            v2 += v * v;
            j2 += j * j;
          }
          const err = Math.sqrt(e2);
          r.checked++;
          const ratio = err / hb.eps[iv]!;
          if (ratio > r.worstRatio) r.worstRatio = ratio;
          if (err > r.worstKm) r.worstKm = err;
          if (err > hb.eps[iv]! * ROUNDING) r.violations++;
          if (Math.sqrt(v2) > hb.vmax[iv]! * ROUNDING) r.vViolations++;
          if (Math.sqrt(j2) > hb.jmax[iv]! * ROUNDING) r.jViolations++;
        }
      }
    }
  }
  return r;
}
