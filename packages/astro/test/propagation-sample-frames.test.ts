/**
 * The frame change of SGP4 samples (propagation/sample-frames.ts): TEME needs no context; other
 * frames go through frameEpochAt at the label's instant and match a direct frame-graph transform;
 * a label the leap-second table cannot serve throws its code, so that a caller can refuse the
 * record alone.
 */
import { describe, expect, it } from 'vitest';
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import { parseUtcString } from '../src/elements/utc-calendar.js';
import { applyFrameTransform, frameTransform } from '../src/frames/frame-graph.js';
import { itrfToGeodeticArray } from '../src/frames/geodetic.js';
import { SampleFrameConverter } from '../src/propagation/sample-frames.js';
import { instantOfUtcLabel } from '../src/sgp4/epoch-time.js';
import { codeOf, loadLeapSecondDat } from './test-support.js';

/** Same operations in the same order: agreement to the last bits. */
const SAME_KM = 1e-9;

const ctx = createAstroContext({ leapSeconds: loadLeapSecondDat() });
const R: [number, number, number] = [7022.46529266, -1400.08296755, 0.03995155];
const V: [number, number, number] = [1.893841015, 6.405893759, 4.53480725];

describe('SampleFrameConverter', () => {
  it('passes TEME through without any table', () => {
    const c = new SampleFrameConverter('TEME');
    expect(c.needsTables).toBe(false);
    const p = c.prepare({ jd: 2400000.5, jdFrac: 0 }); // 1858: no table could serve it
    const out = new Float64Array(6);
    c.convert(p, ...R, ...V, out);
    expect([...out]).toEqual([...R, ...V]);
  });

  it('needs a context for the other frames', () => {
    expect(codeOf(() => new SampleFrameConverter('GCRF'))).toBe('CONTEXT_REQUIRED');
  });

  it('matches the frame graph at the label instant, in GCRF, ITRF and geodetic', () => {
    const label = parseUtcString('2016-12-31T23:30:00')!;
    const epoch = frameEpochAt(instantOfUtcLabel(label, ctx), ctx);
    for (const frame of ['GCRF', 'ITRF'] as const) {
      const c = new SampleFrameConverter(frame, ctx);
      const out = new Float64Array(6);
      c.convert(c.prepare(label), ...R, ...V, out);
      const r: [number, number, number] = [...R];
      const v: [number, number, number] = [...V];
      applyFrameTransform(frameTransform('TEME', frame, epoch), r, v, r, v);
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(out[k]! - r[k]!)).toBeLessThan(SAME_KM);
        expect(Math.abs(out[3 + k]! - v[k]!)).toBeLessThan(SAME_KM);
      }
      if (frame === 'ITRF') {
        const g = new SampleFrameConverter('GEODETIC', ctx);
        const geo = new Float64Array(6);
        g.convert(g.prepare(label), ...R, ...V, geo);
        const want = itrfToGeodeticArray(r, [0, 0, 0]);
        expect(geo[0]).toBeCloseTo((want[0] * 180) / Math.PI, 12);
        expect(geo[1]).toBeCloseTo((want[1] * 180) / Math.PI, 12);
        expect(geo[2]).toBeCloseTo(want[2], 9);
      }
    }
  });

  it('throws the table error for a label before the leap-second table', () => {
    const c = new SampleFrameConverter('GCRF', ctx);
    expect(codeOf(() => c.prepare(parseUtcString('1971-06-01T00:00:00')!))).toBe('TIME_OUT_OF_RANGE');
  });
});
