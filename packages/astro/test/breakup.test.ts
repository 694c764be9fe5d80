/**
 * NASA Standard Breakup Model: sampled distributions against the model's formulas (counts with a
 * Poisson tolerance, Kolmogorov–Smirnov tests, moments), never single samples; the SGP4 fit of the
 * fragments' states; OMM output. Every random draw comes from a seeded generator, so each statistic
 * is reproducible; the significance level is fixed below, and each KS test has a negative control
 * that must be rejected (the test can fail).
 */
import { describe, expect, it } from 'vitest';
import {
  areaToMassMean,
  CATASTROPHIC_ENERGY_J_PER_G,
  characteristicLengthCdf,
  collisionMass,
  cumulativeCount,
  DELTA_V_LOG10_SIGMA,
  deltaVLog10Mean,
  log10AreaToMassCdf,
  normalCdf,
  sampleAreaToMass,
} from '../src/breakup/breakup-model.js';
import {
  BSTAR_RHO0_KG_M2_PER_ER,
  bstarFromAreaToMass,
  sampleBreakupPopulation,
  simulateBreakup,
} from '../src/breakup/breakup-simulate.js';
import { formatOmmKvn, formatOmmXml } from '../src/ccsds/omm-write.js';
import { parseElements } from '../src/ccsds/parse-elements.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { PcRandom } from '../src/pc/monte-carlo.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import {
  fitSgp4ElementsToState,
  STATE_FIT_TOLERANCE_KM,
  STATE_FIT_TOLERANCE_KM_S,
} from '../src/sgp4/state-fit.js';
import { readRefText } from './reference-data.js';

/** KS tests pass above this p-value (seeded samples: the outcome is fixed, the level is the usual 1%). */
const KS_ALPHA = 0.01;
/** Negative controls must be rejected below this p-value. */
const KS_REJECT = 1e-6;
/** Count and moment checks: within this many standard errors. */
const SIGMAS = 4;

/** Kolmogorov–Smirnov statistic D of samples against a CDF, and its asymptotic p-value (Numerical Recipes §14.3.3). */
function ks(samples: readonly number[], cdf: (x: number) => number): { d: number; p: number; n: number } {
  const x = [...samples].sort((a, b) => a - b);
  const n = x.length;
  let d = 0;
  x.forEach((v, i) => {
    const f = cdf(v);
    d = Math.max(d, Math.abs((i + 1) / n - f), Math.abs(f - i / n));
  });
  const sn = Math.sqrt(n);
  const lambda = (sn + 0.12 + 0.11 / sn) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return { d, p: Math.min(1, Math.max(0, p)), n };
}

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
  return { mean, sd };
}

const explosion = () =>
  sampleBreakupPopulation(
    { kind: 'explosion', parentType: 'rocket-body', parentMassKg: 1500, minCharacteristicLengthM: 0.01 },
    new PcRandom(11),
  );
const collision = () =>
  sampleBreakupPopulation(
    {
      kind: 'collision',
      parentType: 'spacecraft',
      parentMassKg: 8000,
      impactorMassKg: 20,
      impactSpeedKmS: 10,
      minCharacteristicLengthM: 0.05,
      // Largest fragment 2 m: the fragments stay within the mass budget (nothing thinned), so the
      // count law is seen whole; the default (from the mass) is exercised by the thinning test.
      maxCharacteristicLengthM: 2,
    },
    new PcRandom(12),
  );

describe('fragment count N(≥Lc)', () => {
  for (const [label, make] of [
    ['explosion', explosion],
    ['collision', collision],
  ] as const) {
    it(`${label}: sampled counts above several sizes follow the power law`, () => {
      const pop = make();
      const { sizeLaw, maxLcM } = pop;
      // Precondition: the mass budget removed nothing here (the thinning case is tested below).
      expect(pop.mass.removedFragments).toBe(0);
      // Total: N(≥Lc_min) − N(≥Lc_max), rounded.
      expect(pop.fragments.length + pop.mass.removedFragments).toBe(Math.round(pop.expectedCount));
      for (const L of [0.03, 0.05, 0.1, 0.3, 1].filter((x) => x >= pop.minLcM && x < maxLcM)) {
        const expected = cumulativeCount(sizeLaw, L) - cumulativeCount(sizeLaw, maxLcM);
        const got = pop.fragments.filter((f) => f.lcM >= L).length;
        // Poisson tolerance (the binomial spread is smaller).
        expect(Math.abs(got - expected)).toBeLessThan(SIGMAS * Math.sqrt(expected) + 1);
      }
    });
  }
  it('explosion S = 1 gives 6·0.1^−1.6 ≈ 239 fragments of 10 cm and more (domain.md Appendix A)', () => {
    const pop = sampleBreakupPopulation(
      { kind: 'explosion', parentType: 'rocket-body', parentMassKg: 1000 },
      new PcRandom(1),
    );
    expect(cumulativeCount(pop.sizeLaw, 0.1)).toBeCloseTo(238.86, 2);
    expect(pop.fragments.length + pop.mass.removedFragments).toBe(Math.round(pop.expectedCount));
  });
});

describe('characteristic length distribution', () => {
  for (const [label, make] of [
    ['explosion', explosion],
    ['collision', collision],
  ] as const) {
    it(`${label}: KS against the truncated power law; the other exponent is rejected`, () => {
      const pop = make();
      const lc = pop.fragments.map((f) => f.lcM);
      const good = ks(lc, (x) => characteristicLengthCdf(pop.sizeLaw, pop.minLcM, pop.maxLcM, x));
      expect(good.p).toBeGreaterThan(KS_ALPHA);
      const wrong = { ...pop.sizeLaw, exponent: pop.sizeLaw.exponent === -1.6 ? -1.71 : -1.6 };
      const bad = ks(lc, (x) => characteristicLengthCdf(wrong, pop.minLcM, pop.maxLcM, x));
      expect(bad.p).toBeLessThan(KS_REJECT);
    });
  }
});

describe('area-to-mass distribution', () => {
  const N = 20000;
  const cases = [
    { lc: 0.02, parent: 'rocket-body' as const, regime: 'small' },
    { lc: 0.06, parent: 'spacecraft' as const, regime: 'small' },
    { lc: 0.2, parent: 'rocket-body' as const, regime: 'large' },
    { lc: 1.5, parent: 'rocket-body' as const, regime: 'large' },
    { lc: 0.2, parent: 'spacecraft' as const, regime: 'large' },
    { lc: 1.5, parent: 'spacecraft' as const, regime: 'large' },
  ];
  for (const c of cases) {
    it(`${c.regime} regime, Lc = ${c.lc} m, ${c.parent}: KS of χ against the (mixture) normal CDF`, () => {
      const rng = new PcRandom(100 + Math.round(c.lc * 1000));
      const chi = Array.from({ length: N }, () => Math.log10(sampleAreaToMass(c.lc, c.parent, rng)));
      const good = ks(chi, (x) => log10AreaToMassCdf(c.lc, c.parent, x));
      expect(good.p).toBeGreaterThan(KS_ALPHA);
      // Control: the same law shifted by 0.05 in χ (12% in A/m) is rejected.
      const bad = ks(chi, (x) => log10AreaToMassCdf(c.lc, c.parent, x - 0.05));
      expect(bad.p).toBeLessThan(KS_REJECT);
    });
  }
  it('spacecraft and rocket-body laws differ above 11 cm (the rocket-body sample fails the spacecraft CDF)', () => {
    const rng = new PcRandom(7);
    const chi = Array.from({ length: N }, () => Math.log10(sampleAreaToMass(0.5, 'rocket-body', rng)));
    expect(ks(chi, (x) => log10AreaToMassCdf(0.5, 'spacecraft', x)).p).toBeLessThan(KS_REJECT);
  });
  for (const lc of [0.085, 0.095, 0.105]) {
    it(`bridge (8–11 cm), Lc = ${lc} m: mean A/m equals the linear mix of the two laws' means`, () => {
      const rng = new PcRandom(Math.round(lc * 1e4));
      for (const parent of ['rocket-body', 'spacecraft'] as const) {
        const am = Array.from({ length: N }, () => sampleAreaToMass(lc, parent, rng));
        const { mean, sd } = meanSd(am);
        expect(Math.abs(mean - areaToMassMean(lc, parent))).toBeLessThan((SIGMAS * sd) / Math.sqrt(N));
      }
    });
  }
  it('whole populations: the probability integral transform of χ given Lc is uniform (outside the bridge)', () => {
    for (const pop of [explosion(), collision()]) {
      const u = pop.fragments
        .filter((f) => f.lcM < 0.08 || f.lcM > 0.11)
        .map((f) => log10AreaToMassCdf(f.lcM, pop.input.parentType, Math.log10(f.areaToMassM2PerKg)));
      expect(ks(u, (x) => Math.min(1, Math.max(0, x))).p).toBeGreaterThan(KS_ALPHA);
    }
  });
  it('mass is area over A/m', () => {
    for (const f of explosion().fragments.slice(0, 100)) {
      expect(f.massKg * f.areaToMassM2PerKg).toBeCloseTo(f.areaM2, 12);
    }
  });
});

describe('ejection speed and direction', () => {
  for (const [label, make] of [
    ['explosion', explosion],
    ['collision', collision],
  ] as const) {
    it(`${label}: (log10 Δv − μ(χ))/0.4 is standard normal (KS, mean, σ)`, () => {
      const pop = make();
      const kind = pop.input.kind;
      const z = pop.fragments.map(
        (f) =>
          (Math.log10(f.deltaVMs) - deltaVLog10Mean(kind, Math.log10(f.areaToMassM2PerKg))) /
          DELTA_V_LOG10_SIGMA,
      );
      expect(ks(z, normalCdf).p).toBeGreaterThan(KS_ALPHA);
      const { mean, sd } = meanSd(z);
      expect(Math.abs(mean)).toBeLessThan(SIGMAS / Math.sqrt(z.length));
      expect(Math.abs(sd - 1)).toBeLessThan(SIGMAS / Math.sqrt(2 * z.length));
      // Control: the other kind's mean law is rejected.
      const other = kind === 'explosion' ? 'collision' : 'explosion';
      const zBad = pop.fragments.map(
        (f) =>
          (Math.log10(f.deltaVMs) - deltaVLog10Mean(other, Math.log10(f.areaToMassM2PerKg))) /
          DELTA_V_LOG10_SIGMA,
      );
      expect(ks(zBad, normalCdf).p).toBeLessThan(KS_REJECT);
    });
  }
  it('directions are isotropic: mean vector ≈ 0, each component uniform on [−1, 1]', () => {
    const pop = explosion();
    const n = pop.fragments.length;
    for (let axis = 0; axis < 3; axis++) {
      const c = pop.fragments.map((f) => f.direction[axis]!);
      // Each component has variance 1/3.
      expect(Math.abs(meanSd(c).mean)).toBeLessThan(SIGMAS * Math.sqrt(1 / (3 * n)));
      expect(ks(c, (x) => Math.min(1, Math.max(0, (x + 1) / 2))).p).toBeGreaterThan(KS_ALPHA);
    }
    for (const f of pop.fragments) expect(Math.hypot(...f.direction)).toBeCloseTo(1, 12);
  });
});

describe('collisions: catastrophic or not (40 J/g)', () => {
  // 1000 kg target at 10 km/s: E* = ½·m_p·1e8/1000 J/kg = 50·m_p J/g, so 0.8 kg is the threshold.
  it('at and above 40 J/g the collision is catastrophic and M = m_t + m_p', () => {
    const c = collisionMass(1000, 0.8, 10);
    expect(c.specificEnergyJPerG).toBeCloseTo(CATASTROPHIC_ENERGY_J_PER_G, 10);
    expect(c.catastrophic).toBe(true);
    expect(c.massKg).toBeCloseTo(1000.8, 10);
  });
  it('below 40 J/g it is not, and M = m_p·v² (v in km/s)', () => {
    const c = collisionMass(1000, 0.79, 10);
    expect(c.catastrophic).toBe(false);
    expect(c.massKg).toBeCloseTo(79, 10);
    const pop = sampleBreakupPopulation(
      {
        kind: 'collision',
        parentType: 'spacecraft',
        parentMassKg: 1000,
        impactorMassKg: 0.79,
        impactSpeedKmS: 10,
        minCharacteristicLengthM: 0.01,
      },
      new PcRandom(3),
    );
    // The ejecta budget is M, far below the target's mass: few fragments, none above it.
    expect(pop.mass.budgetKg).toBeCloseTo(79, 10);
    expect(pop.mass.fragmentsKg).toBeLessThanOrEqual(79);
    expect(cumulativeCount(pop.sizeLaw, 0.1)).toBeCloseTo(0.1 * 79 ** 0.75 * 0.1 ** -1.71, 8);
  });
  it('the mass budget holds: fragments ≤ budget, the rest reported as unassigned', () => {
    // A light target with small fragments exceeds its budget: the last-sampled fragments go.
    const thinned = sampleBreakupPopulation(
      {
        kind: 'collision',
        parentType: 'spacecraft',
        parentMassKg: 800,
        impactorMassKg: 20,
        impactSpeedKmS: 10,
        minCharacteristicLengthM: 0.02,
      },
      new PcRandom(12),
    );
    expect(thinned.mass.removedFragments).toBeGreaterThan(0);
    expect(thinned.fragments.length + thinned.mass.removedFragments).toBe(Math.round(thinned.expectedCount));
    for (const pop of [explosion(), collision(), thinned]) {
      expect(pop.mass.fragmentsKg).toBeLessThanOrEqual(pop.mass.budgetKg);
      expect(pop.mass.fragmentsKg + pop.mass.unassignedKg).toBeCloseTo(pop.mass.budgetKg, 6);
      const sum = pop.fragments.reduce((s, f) => s + f.massKg, 0);
      expect(sum).toBeCloseTo(pop.mass.fragmentsKg, 6);
    }
  });
});

describe('reproducibility', () => {
  it('the same seed gives the same fragments; another seed does not', () => {
    const a = collision();
    const b = collision();
    expect(b.fragments).toEqual(a.fragments);
    const c = sampleBreakupPopulation({ ...a.input }, new PcRandom(13));
    expect(c.fragments[0]!.lcM).not.toBe(a.fragments[0]!.lcM);
  });
});

function catalog(): ElementSet[] {
  const r = parseElements(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'), { file: 'catalog' });
  if (!r.ok) throw new Error('catalog');
  return r.value.records.map((x) => x.elements);
}

function stateAtEpoch(e: ElementSet): Float64Array {
  const rv = new Float64Array(6);
  const rec = sgp4Init(e);
  expect(sgp4(rec, 0, rv)).toBe(0);
  return rv;
}

describe('SGP4 elements from a state', () => {
  const all = catalog();
  const byId = new Map(all.map((e) => [e.catalogNumber, e]));
  // ISS, an SL-16 R/B, a Starlink, a Molniya-type, a GPS and a GEO satellite (deep space).
  const ids = ['25544', '22285', '44714', '7276', '24876', '41866'];
  for (const id of ids) {
    it(`recovers catalog object ${id}'s mean elements from its SGP4 state`, () => {
      const e = byId.get(id);
      expect(e).toBeDefined();
      const rv = stateAtEpoch(e!);
      const fit = fitSgp4ElementsToState(rv.subarray(0, 3), rv.subarray(3, 6), {
        ...e!,
        meanMotionRadPerMin: 0,
        eccentricity: 0,
      });
      expect(fit.ok).toBe(true);
      if (!fit.ok) return;
      expect(fit.positionErrorKm).toBeLessThanOrEqual(STATE_FIT_TOLERANCE_KM);
      expect(fit.velocityErrorKmPerS).toBeLessThanOrEqual(STATE_FIT_TOLERANCE_KM_S);
      // Same state → same mean elements (the map is one-to-one near the catalog's elements).
      expect(fit.elements.meanMotionRadPerMin / e!.meanMotionRadPerMin - 1).toBeLessThan(1e-9);
      expect(Math.abs(fit.elements.eccentricity - e!.eccentricity)).toBeLessThan(1e-8);
      expect(Math.abs(fit.elements.inclinationRad - e!.inclinationRad)).toBeLessThan(1e-9);
    });
  }
});

describe('simulated breakup of an SL-16 R/B (catalog 22285, 2023-10-09)', () => {
  const parent = catalog().find((e) => e.catalogNumber === '22285')!;
  const sim = simulateBreakup(
    { elements: parent, massKg: 8900, type: 'rocket-body' },
    { kind: 'collision', impactorMassKg: 10, impactSpeedKmS: 10, minCharacteristicLengthM: 0.1 },
    new PcRandom(2023),
  );
  it('every fragment is accounted for, and most are orbital', () => {
    const ok = sim.fragments.filter((f) => f.status === 'ok').length;
    expect(ok).toBe(sim.elementSets.length);
    expect(ok + sim.lost.notElliptic + sim.lost.reentry + sim.lost.fitFailed).toBe(sim.fragments.length);
    expect(ok).toBeGreaterThan(0.7 * sim.fragments.length);
  });
  it("fragments' SGP4 states at the epoch reproduce the sampled states to the fit tolerance", () => {
    let worstR = 0;
    let worstV = 0;
    for (const f of sim.fragments) {
      if (f.status !== 'ok') continue;
      const rv = stateAtEpoch(f.elements!);
      worstR = Math.max(worstR, Math.hypot(rv[0]! - f.rKm[0], rv[1]! - f.rKm[1], rv[2]! - f.rKm[2]));
      worstV = Math.max(
        worstV,
        Math.hypot(rv[3]! - f.vKmPerS[0], rv[4]! - f.vKmPerS[1], rv[5]! - f.vKmPerS[2]),
      );
      // The state is the parent's plus Δv.
      const dv = Math.hypot(
        f.vKmPerS[0] - sim.parentVKmPerS[0],
        f.vKmPerS[1] - sim.parentVKmPerS[1],
        f.vKmPerS[2] - sim.parentVKmPerS[2],
      );
      expect(dv * 1000).toBeCloseTo(f.deltaVMs, 6);
    }
    expect(worstR).toBeLessThanOrEqual(STATE_FIT_TOLERANCE_KM);
    expect(worstV).toBeLessThanOrEqual(STATE_FIT_TOLERANCE_KM_S);
  });
  it('B* follows A/m: ρ0·Cd·(A/m)/2 with ρ0 = 0.157 kg/m²/ER', () => {
    expect(BSTAR_RHO0_KG_M2_PER_ER).toBeCloseTo(0.15696615, 6);
    for (const f of sim.fragments.filter((x) => x.status === 'ok').slice(0, 50)) {
      expect(f.elements!.bstar).toBeCloseTo(bstarFromAreaToMass(f.areaToMassM2PerKg), 15);
    }
    // A/m = 0.01 m²/kg with Cd 2.2 → 0.157·2.2·0.01/2 = 1.73e-3 /ER.
    expect(bstarFromAreaToMass(0.01)).toBeCloseTo(1.7266e-3, 7);
  });
  it('OMM KVN and XML (full digits) read back to element sets with the same SGP4 states, and carry the comment', () => {
    const sets = sim.elementSets.slice(0, 200);
    const comments = ['SIMULATED FRAGMENTS: NASA standard breakup model, not observed objects'];
    for (const text of [
      formatOmmKvn(sets, { digits: 'full', comments, originator: 'HOSHIMI' }),
      formatOmmXml(sets, { digits: 'full', comments, originator: 'HOSHIMI' }),
    ]) {
      expect(text).toContain('SIMULATED FRAGMENTS');
      const back = parseElements(text, { file: 'fragments' });
      expect(back.ok).toBe(true);
      if (!back.ok) return;
      expect(back.value.records.length).toBe(sets.length);
      back.value.records.forEach((r, k) => {
        const a = stateAtEpoch(r.elements);
        const b = stateAtEpoch(sets[k]!);
        expect(r.elements.catalogNumber).toBe(sets[k]!.catalogNumber);
        expect(r.elements.name).toBe('SL-16 R/B DEB (SIM)');
        // Degrees ↔ radians move the last bits only.
        expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!)).toBeLessThan(1e-7);
      });
    }
  });
});
