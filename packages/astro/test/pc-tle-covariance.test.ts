/**
 * Element-set covariance from the history (pc/tle-covariance.ts): the fit recovers a known error
 * model from synthetic differences with outliers, and on real histories of the reference data a
 * model fitted on 30 days predicts the differences of the next 30 days (coverage of 1σ and 3σ).
 */
import { describe, expect, it } from 'vitest';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import {
  estimateTleCovariance,
  fitTleErrorModel,
  type TleDifference,
  tleCovarianceRtnKm2,
  tleDifferences,
} from '../src/pc/tle-covariance.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { readRefBytes } from './reference-data.js';

/** Deterministic normal deviates (mulberry32 + Box–Muller). */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function history(file: string): ElementSet[] {
  const parsed = parseTleText(readRefBytes(file).toString());
  if (!parsed.ok) throw new Error(`${file} did not parse`);
  return parsed.value.records.map((r) => r.elements);
}

const day = (e: ElementSet) => e.epoch.jd + e.epoch.jdFrac;

describe('element-set covariance from the history', () => {
  it('recovers a known error model from synthetic differences, outliers included', () => {
    const sigma0 = [0.1, 0.6, 0.05];
    const growth = [0.05, 0.8, 0.02];
    const gauss = normals(7);
    const samples: TleDifference[] = [];
    for (let k = 0; k < 20000; k++) {
      const gap = 0.05 + (k % 100) * 0.03;
      const rtn = [0, 1, 2].map((a) => gauss() * Math.sqrt(2 * sigma0[a]! ** 2 + (growth[a]! * gap) ** 2));
      // 2% manoeuvre-like outliers, 30 times the spread.
      const scale = k % 50 === 0 ? 30 : 1;
      samples.push({ gapDays: gap, rtnKm: [rtn[0]! * scale, rtn[1]! * scale, rtn[2]! * scale] });
    }
    const m = fitTleErrorModel(samples);
    expect(m).not.toBeNull();
    for (let a = 0; a < 3; a++) {
      expect(m!.sigma0Km[a]! / sigma0[a]!).toBeGreaterThan(0.85);
      expect(m!.sigma0Km[a]! / sigma0[a]!).toBeLessThan(1.15);
      expect(m!.growthKmPerDay[a]! / growth[a]!).toBeGreaterThan(0.9);
      expect(m!.growthKmPerDay[a]! / growth[a]!).toBeLessThan(1.1);
    }
    expect(m!.outliers).toBeGreaterThan(300);
    const c = tleCovarianceRtnKm2(m!, 2);
    expect(c[4]).toBeCloseTo(m!.sigma0Km[1]! ** 2 + (2 * m!.growthKmPerDay[1]!) ** 2, 12);
    expect([c[1], c[2], c[3], c[5], c[6], c[7]]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("differences are in the newer set's radial/in-track/cross-track frame", () => {
    // Set j is set i one day later along SGP4's secular rates (no drag), plus a mean-anomaly nudge
    // dM: propagated to j's epoch, set i differs from j by a·dM in-track only.
    const base = history('history/dpshorten-benchmark/processed_files/CryoSat-2.tle')[100]!;
    const i: ElementSet = { ...base, bstar: 0, meanMotionDotRevPerDay2: 0, meanMotionDdotRevPerDay3: 0 };
    const rec = sgp4Init(i);
    const dM = 1e-4;
    const j: ElementSet = {
      ...i,
      epoch: { jd: i.epoch.jd + 1, jdFrac: i.epoch.jdFrac },
      meanAnomalyRad: i.meanAnomalyRad + rec.mdot * 1440 + dM,
      argPerigeeRad: i.argPerigeeRad + rec.argpdot * 1440,
      raanRad: i.raanRad + rec.nodedot * 1440,
    };
    const [d] = tleDifferences([i, j]);
    const a = rec.a * rec.radiusearthkm;
    expect(d!.gapDays).toBeCloseTo(1, 12);
    // j is ahead by dM: i lags behind it along the track.
    expect(d!.rtnKm[1] / (-a * dM)).toBeGreaterThan(0.98);
    expect(d!.rtnKm[1] / (-a * dM)).toBeLessThan(1.02);
    expect(Math.abs(d!.rtnKm[0])).toBeLessThan(0.03 * a * dM);
    expect(Math.abs(d!.rtnKm[2])).toBeLessThan(0.03 * a * dM);
  });

  it('needs enough pairs', () => {
    const sets = history('history/dpshorten-benchmark/processed_files/CryoSat-2.tle').slice(0, 3);
    expect(estimateTleCovariance(sets)).toBeNull();
  });

  for (const [name, file] of [
    ['CryoSat-2', 'history/dpshorten-benchmark/processed_files/CryoSat-2.tle'],
    ['Jason-3', 'history/dpshorten-benchmark/processed_files/Jason-3.tle'],
    ['Sentinel-3A', 'history/dpshorten-benchmark/processed_files/Sentinel-3A.tle'],
    ['GOCE', 'history/facchinelli-tleAnalysis/goce_34602_2009-2012.tle'],
  ] as const) {
    it(`${name}: a model fitted on 30 days predicts the next 30 days' differences`, () => {
      const sets = history(file).sort((a, b) => day(a) - day(b));
      const t0 = day(sets[0]!);
      const t1 = day(sets[sets.length - 1]!);
      const in1: number[] = [];
      const in3: number[] = [];
      let absurd = 0;
      let windows = 0;
      for (let d = t0 + 60; d < t1 - 60; d += Math.max(60, (t1 - t0) / 12)) {
        const fit = sets.filter((e) => day(e) > d - 30 && day(e) <= d);
        const next = sets.filter((e) => day(e) > d && day(e) <= d + 30);
        const m = estimateTleCovariance(fit);
        if (m === null) continue;
        windows++;
        if (m.growthKmPerDay[1] > 50) absurd++;
        let n = 0;
        let k1 = 0;
        let k3 = 0;
        for (const s of tleDifferences(next)) {
          for (let a = 0; a < 3; a++) {
            const sd = Math.sqrt(2 * m.sigma0Km[a]! ** 2 + (m.growthKmPerDay[a]! * s.gapDays) ** 2);
            const z = Math.abs(s.rtnKm[a]!) / sd;
            n++;
            if (z <= 1) k1++;
            if (z <= 3) k3++;
          }
        }
        in1.push(k1 / n);
        in3.push(k3 / n);
      }
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
      console.log(
        `${name}: ${windows} windows, median within 1σ ${(100 * median(in1)).toFixed(0)}%, ` +
          `within 3σ ${(100 * median(in3)).toFixed(0)}%, ${absurd} with in-track growth > 50 km/day`,
      );
      expect(windows).toBeGreaterThanOrEqual(10);
      expect(median(in1)).toBeGreaterThan(0.5);
      expect(median(in1)).toBeLessThan(0.9);
      expect(median(in3)).toBeGreaterThan(0.93);
      expect(absurd).toBeLessThanOrEqual(2);
    });
  }
});
