/**
 * The Hermite interpolation error bound of hermite-knots.ts against SGP4 itself: every usable
 * interval of every object of the 2023-10-09 catalog, two blocks (85 minutes) from 2023-10-09 00:00
 * UTC, checked at s = 1/8 … 7/8 with the reference kernel. Also checks the speed bound used by the
 * padded grid on the same samples.
 */
import { describe, expect, it } from 'vitest';
import { HermiteBlock, hermiteErrorEstimateKm } from '../src/conjunction/hermite-knots.js';
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
      const a = rec.a * rec.radiusearthkm;
      let level = 0;
      for (let L = maxLevel; L > 0; L--) {
        if (
          hermiteErrorEstimateKm(step * 2 ** L, a * (1 - rec.ecco), rec.ecco, rec.mus) <=
          DEFAULT_INTERPOLATION_TARGET_KM
        ) {
          level = L;
          break;
        }
      }
      sel.push({ rec, level, off: minutesFromEpoch(r.elements, START.jd, START.jdFrac) });
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
          const c = iv * 12;
          for (let q = 1; q < 8; q++) {
            const s = q / 8;
            const t = t0 + (k + s) * h;
            if (sgp4(recs[i]!, sel[i]!.off + t / 60, out) !== 0) continue;
            let e2 = 0;
            let v2 = 0;
            for (let ax = 0; ax < 3; ax++) {
              const o = c + ax * 4;
              const p = hb.coef[o]! + s * (hb.coef[o + 1]! + s * (hb.coef[o + 2]! + s * hb.coef[o + 3]!));
              const v = (hb.coef[o + 1]! + s * (2 * hb.coef[o + 2]! + 3 * s * hb.coef[o + 3]!)) / h;
              e2 += (p - out[ax]!) ** 2;
              v2 += v * v;
            }
            const err = Math.sqrt(e2);
            checked++;
            const ratio = err / hb.eps[iv]!;
            if (ratio > worstRatio) worstRatio = ratio;
            if (err > worstKm) worstKm = err;
            if (err > hb.eps[iv]! * ROUNDING) violations++;
            if (Math.sqrt(v2) > hb.vmax[iv]! * ROUNDING) vViolations++;
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
    expect(worstRatio).toBeLessThanOrEqual(1);
  });
});
