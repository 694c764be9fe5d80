/**
 * The batch kernel's deep-space (SDP4) path against the reference Vallado port (sgp4/sgp4.ts):
 * every deep-space object of the 2023 catalog at forward, backward and out-of-order times (the
 * resonance integrator keeps state between samples, so the order of the times matters and the
 * reference is called in the same order), the integrator state left in the records, and all
 * objects of Vallado's verification set SGP4-VER.TLE over their own grids in both opsmodes.
 */
import { describe, expect, it } from 'vitest';
import { parseTleText } from '../src/elements/tle.js';
import { createStateBatch, propagateBatch } from '../src/propagation/sgp4-batch.js';
import { type Sgp4Opsmode, sgp4Init } from '../src/sgp4/propagate.js';
import { METHOD_DEEP_SPACE, type Satrec } from '../src/sgp4/satrec.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';

/**
 * Same contract as propagation-batch.test.ts: the batch differs from the reference by rounding
 * only, micrometres over weeks; 0.1 mm per 10,000 km of radius still catches any formula error.
 */
const BATCH_POS_TOL_KM = 1e-7;
/** Velocity counterpart of BATCH_POS_TOL_KM. */
const BATCH_VEL_TOL_KM_S = 1e-10;
/**
 * Resonance integrator state after the run: atime takes the same 720-min steps (exactly equal);
 * xli (rad) and xni (rad/min) accumulate rounding-level differences of the sines inside the steps.
 */
const STATE_XLI_TOL_RAD = 1e-9;
const STATE_XNI_TOL_RAD_MIN = 1e-13;

interface Comparison {
  compared: number;
  failures: number;
  worstR: number;
  worstV: number;
}

/**
 * Runs the batch on `batch` records and the reference, time by time in grid order, on the twin
 * `ref` records; throws on the first status mismatch and returns the worst scaled differences.
 */
function compare(batch: Satrec[], ref: Satrec[], grid: Float64Array, label: string, log = true): Comparison {
  const m = grid.length;
  const out = createStateBatch(batch.length * m);
  propagateBatch(batch, null, grid, out);
  const rv = new Float64Array(6);
  const c: Comparison = { compared: 0, failures: 0, worstR: 0, worstV: 0 };
  for (let i = 0; i < ref.length; i++) {
    for (let k = 0; k < m; k++) {
      const j = i * m + k;
      const code = sgp4(ref[i]!, grid[k]!, rv);
      if (code !== out.status[j]) {
        throw new Error(`${label} object #${i} t=${grid[k]}: status ${out.status[j]} vs reference ${code}`);
      }
      if (code !== 0) {
        c.failures++;
        expect(out.x[j]).toBeNaN();
        continue;
      }
      const scale = Math.max(1, Math.hypot(rv[0]!, rv[1]!, rv[2]!) / 1e4);
      const dr = Math.hypot(out.x[j]! - rv[0]!, out.y[j]! - rv[1]!, out.z[j]! - rv[2]!) / scale;
      const dv = Math.hypot(out.vx[j]! - rv[3]!, out.vy[j]! - rv[4]!, out.vz[j]! - rv[5]!) / scale;
      c.worstR = Math.max(c.worstR, dr);
      c.worstV = Math.max(c.worstV, dv);
      c.compared++;
    }
  }
  if (log) report(label, c);
  return c;
}

function report(label: string, c: Comparison): void {
  console.log(
    `${label}: ${c.compared} states, ${c.failures} failures, max |dr| ${c.worstR.toExponential(2)} km, max |dv| ${c.worstV.toExponential(2)} km/s`,
  );
}

function loadDeepSpace(): Satrec[] {
  const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
  if (!parsed.ok) throw new Error('catalog did not parse');
  return parsed.value.records
    .map((r) => sgp4Init(r.elements))
    .filter((rec) => rec.method === METHOD_DEEP_SPACE);
}

describe('propagateBatch, deep space', () => {
  const batch = loadDeepSpace();
  const ref = loadDeepSpace();

  it('covers every deep-space branch in the catalog', () => {
    expect(batch.length).toBeGreaterThan(4000);
    // 24 h (irez 1) and 12 h (irez 2) resonances, and the Lyddane low-inclination branch of dpper.
    expect(batch.filter((r) => r.irez === 1).length).toBeGreaterThan(1000);
    expect(batch.filter((r) => r.irez === 2).length).toBeGreaterThan(100);
    expect(batch.filter((r) => r.inclo < 0.2).length).toBeGreaterThan(100);
  });

  it('matches the reference forwards, backwards and out of order, sample by sample', () => {
    // Out of order on purpose: a sign change or a smaller |t| restarts the resonance integrator
    // at epoch, a larger |t| of the same sign continues from the kept state.
    const grid = Float64Array.from([
      0, 1, 90.5, 720, 719.9, 1440.25, 10080, 2880, -1, -720, -1439.5, -5000, -10080, 360, 20160, 5000,
    ]);
    const c = compare(batch, ref, grid, 'deep space vs reference');
    expect(c.compared).toBeGreaterThan(batch.length * 10);
    expect(c.worstR).toBeLessThan(BATCH_POS_TOL_KM);
    expect(c.worstV).toBeLessThan(BATCH_VEL_TOL_KM_S);
  });

  it('leaves the resonance integrator state in the records as the reference does', () => {
    let resonant = 0;
    for (let i = 0; i < batch.length; i++) {
      const b = batch[i]!;
      const r = ref[i]!;
      if (r.irez === 0) continue;
      resonant++;
      expect(b.atime).toBe(r.atime);
      expect(Math.abs(b.xli - r.xli)).toBeLessThan(STATE_XLI_TOL_RAD);
      expect(Math.abs(b.xni - r.xni)).toBeLessThan(STATE_XNI_TOL_RAD_MIN);
    }
    expect(resonant).toBeGreaterThan(1000);
  });
});

describe('propagateBatch on Vallado SGP4-VER.TLE', () => {
  // checksum 'warn' keeps the three hand-edited cases 33333..33335 (all 33 objects).
  const parsed = parseTleText(readRefText('sgp4-verification/SGP4-VER.TLE'), { checksum: 'warn' });
  if (!parsed.ok) throw new Error('SGP4-VER.TLE did not parse');
  const records = parsed.value.records;

  it.each(['i', 'a'] as const)(
    'matches the reference for every object over its own grid (opsmode %s)',
    (opsmode: Sgp4Opsmode) => {
      expect(records.length).toBe(33);
      let deep = 0;
      const all: Comparison = { compared: 0, failures: 0, worstR: 0, worstV: 0 };
      for (const rec of records) {
        const range = rec.verification;
        if (range === undefined) throw new Error(`${rec.elements.catalogNumber}: no verification columns`);
        const times: number[] = [];
        for (let t = range.startMin; t <= range.stopMin; t += range.stepMin) times.push(t);
        if (times[times.length - 1] !== range.stopMin) times.push(range.stopMin);
        const b = sgp4Init(rec.elements, { opsmode });
        const r = sgp4Init(rec.elements, { opsmode });
        if (b.method === METHOD_DEEP_SPACE) deep++;
        const c = compare([b], [r], Float64Array.from(times), rec.elements.catalogNumber, false);
        all.compared += c.compared;
        all.failures += c.failures;
        all.worstR = Math.max(all.worstR, c.worstR);
        all.worstV = Math.max(all.worstV, c.worstV);
      }
      report(`SGP4-VER.TLE opsmode ${opsmode}, ${deep} deep-space objects`, all);
      expect(deep).toBeGreaterThan(10);
      // The set includes objects that decay or reach invalid elements (Vallado's error cases).
      expect(all.failures).toBeGreaterThan(0);
      expect(all.worstR).toBeLessThan(BATCH_POS_TOL_KM);
      expect(all.worstV).toBeLessThan(BATCH_VEL_TOL_KM_S);
    },
  );
});
