/**
 * The Hermite interpolation error bound of hermite-knots.ts against SGP4 itself: every usable
 * interval of every object of the 2023-10-09 catalog, two blocks (85 minutes) from 2023-10-09 00:00
 * UTC, checked at s = 1/16 … 15/16 with the reference kernel. Also checks the speed and jerk bounds
 * used by the padded grid on the same samples.
 */
import { describe, expect, it } from 'vitest';
import { COEF_AXIS, COEF_STRIDE, HermiteBlock, knotLevel } from '../src/conjunction/hermite-knots.js';
import { minutesFromEpoch } from '../src/conjunction/screen-engine.js';
import {
  DEFAULT_INTERPOLATION_TARGET_KM,
  DEFAULT_KNOT_LEVELS,
  DEFAULT_SCREENING_STEP_S,
} from '../src/conjunction/screening-types.js';
import { parseTleText } from '../src/elements/tle.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import type { Satrec } from '../src/sgp4/satrec.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';

const START = { jd: 2460226.5, jdFrac: 0 };
/** Bounds are compared with a relative slack for floating-point rounding only. */
const ROUNDING = 1 + 1e-9;
/** Interior samples per interval: s = 1/SAMPLES … (SAMPLES − 1)/SAMPLES. */
const SAMPLES = 16;

describe('Hermite knots for screening', () => {
  it('bounds the interpolation error and the speed of every usable interval', () => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    const step = DEFAULT_SCREENING_STEP_S;
    const maxLevel = DEFAULT_KNOT_LEVELS;
    const sel: { rec: Satrec; level: number; off: number }[] = [];
    for (const r of parsed.value.records) {
      const rec = sgp4Init(r.elements);
      if (rec.error !== 0) continue;
      const off = minutesFromEpoch(r.elements, START.jd, START.jdFrac);
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
    let checked = 0;
    let usable = 0;
    let unusable = 0;
    let worstRatio = 0;
    let worstKm = 0;
    let violations = 0;
    let vViolations = 0;
    let jViolations = 0;
    for (let b = 0; b < 2; b++) {
      const t0 = b * hb.blockSec;
      hb.build(t0);
      for (let i = 0; i < hb.n; i++) {
        const h = step * 2 ** hb.level[i]!;
        const m = hb.blockSec / h;
        for (let k = 0; k < m; k++) {
          const iv = hb.intBase[i]! + k * hb.intStride[i]!;
          if (hb.ok[iv] === 0) {
            unusable++;
            continue;
          }
          usable++;
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
            checked++;
            const ratio = err / hb.eps[iv]!;
            if (ratio > worstRatio) worstRatio = ratio;
            if (err > worstKm) worstKm = err;
            if (err > hb.eps[iv]! * ROUNDING) violations++;
            if (Math.sqrt(v2) > hb.vmax[iv]! * ROUNDING) vViolations++;
            if (Math.sqrt(j2) > hb.jmax[iv]! * ROUNDING) jViolations++;
          }
        }
      }
    }
    console.log(
      `knots: ${hb.n} objects, ${usable} usable and ${unusable} unusable intervals, ${checked} samples; ` +
        `max error ${(worstKm * 1000).toFixed(1)} m, max error / bound ${worstRatio.toFixed(3)}`,
    );
    expect(checked).toBeGreaterThan(1_000_000);
    expect(violations).toBe(0);
    expect(vViolations).toBe(0);
    expect(jViolations).toBe(0);
    expect(worstRatio).toBeLessThanOrEqual(1);
  });
});
