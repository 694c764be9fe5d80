/**
 * `npm run eval -- breakup`: the NASA Standard Breakup Model's sampled distributions against the
 * model's own formulas (Johnson et al. 2001): counts N(≥Lc) as z-scores against a Poisson spread,
 * Kolmogorov–Smirnov statistics with asymptotic p-values for Lc, χ = log10(A/m) per regime and
 * the Δv z-scores, the bridge's mean A/m, isotropy, the 40 J/g threshold, and the SGP4 fit of a
 * simulated SL-16 R/B cloud. Seeded: every run prints the same numbers.
 */
import {
  areaToMassMean,
  type BreakupParentType,
  type BreakupPopulation,
  characteristicLengthCdf,
  collisionMass,
  cumulativeCount,
  DELTA_V_LOG10_SIGMA,
  deltaVLog10Mean,
  type ElementSet,
  log10AreaToMassCdf,
  normalCdf,
  PcRandom,
  parseTleText,
  sampleAreaToMass,
  sampleBreakupPopulation,
  sgp4,
  sgp4Init,
  simulateBreakup,
} from '@hoshimi/astro';

interface Row {
  readonly check: string;
  readonly n: number;
  readonly stat: string;
  readonly p: string;
  readonly pass: boolean;
}

/** KS tests pass above this p-value; z-scores within ±4. */
const KS_ALPHA = 0.01;
const Z_MAX = 4;

function ks(samples: readonly number[], cdf: (x: number) => number): { d: number; p: number } {
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
  return { d, p: Math.min(1, Math.max(0, p)) };
}

function ksRow(check: string, samples: readonly number[], cdf: (x: number) => number): Row {
  const r = ks(samples, cdf);
  return { check, n: samples.length, stat: `D = ${r.d.toFixed(4)}`, p: r.p.toFixed(3), pass: r.p > KS_ALPHA };
}

function zRow(check: string, n: number, z: number, detail: string): Row {
  return { check, n, stat: `${detail}, z = ${z.toFixed(2)}`, p: '', pass: Math.abs(z) <= Z_MAX };
}

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return { mean, sd: Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) };
}

function populations(): [string, BreakupPopulation][] {
  return [
    [
      'explosion, R/B 1,500 kg, Lc ≥ 1 cm',
      sampleBreakupPopulation(
        { kind: 'explosion', parentType: 'rocket-body', parentMassKg: 1500, minCharacteristicLengthM: 0.01 },
        new PcRandom(11),
      ),
    ],
    [
      'collision, S/C 8,000 kg + 20 kg at 10 km/s, Lc 5 cm–2 m',
      sampleBreakupPopulation(
        {
          kind: 'collision',
          parentType: 'spacecraft',
          parentMassKg: 8000,
          impactorMassKg: 20,
          impactSpeedKmS: 10,
          minCharacteristicLengthM: 0.05,
          maxCharacteristicLengthM: 2,
        },
        new PcRandom(12),
      ),
    ],
  ];
}

/** Runs the checks on the 2023-10-09 catalog text (for the SL-16 R/B parent) and returns markdown. */
export function breakupEvaluation(catalogText: string): { table: string; summary: string } {
  const rows: Row[] = [];
  for (const [label, pop] of populations()) {
    for (const L of [0.03, 0.1, 0.3, 1].filter((x) => x >= pop.minLcM && x < pop.maxLcM)) {
      const expected = cumulativeCount(pop.sizeLaw, L) - cumulativeCount(pop.sizeLaw, pop.maxLcM);
      const got = pop.fragments.filter((f) => f.lcM >= L).length;
      rows.push(
        zRow(
          `${label}: N(≥${L} m)`,
          pop.fragments.length,
          (got - expected) / Math.sqrt(expected),
          `${got} vs ${expected.toFixed(1)}`,
        ),
      );
    }
    rows.push(
      ksRow(
        `${label}: Lc vs truncated power law`,
        pop.fragments.map((f) => f.lcM),
        (x) => characteristicLengthCdf(pop.sizeLaw, pop.minLcM, pop.maxLcM, x),
      ),
    );
    const outside = pop.fragments.filter((f) => f.lcM < 0.08 || f.lcM > 0.11);
    rows.push(
      ksRow(
        `${label}: χ given Lc, probability integral transform vs U(0,1)`,
        outside.map((f) => log10AreaToMassCdf(f.lcM, pop.input.parentType, Math.log10(f.areaToMassM2PerKg))),
        (x) => Math.min(1, Math.max(0, x)),
      ),
    );
    const z = pop.fragments.map(
      (f) =>
        (Math.log10(f.deltaVMs) - deltaVLog10Mean(pop.input.kind, Math.log10(f.areaToMassM2PerKg))) /
        DELTA_V_LOG10_SIGMA,
    );
    rows.push(ksRow(`${label}: (log10 Δv − μ(χ))/0.4 vs N(0,1)`, z, normalCdf));
    const m = meanSd(z);
    rows.push(
      zRow(`${label}: Δv z-scores mean`, z.length, m.mean * Math.sqrt(z.length), `mean ${m.mean.toFixed(4)}`),
    );
    rows.push(
      zRow(`${label}: Δv z-scores σ`, z.length, (m.sd - 1) * Math.sqrt(2 * z.length), `σ ${m.sd.toFixed(4)}`),
    );
    for (let axis = 0; axis < 3; axis++) {
      const c = pop.fragments.map((f) => f.direction[axis]!);
      const mean = meanSd(c).mean;
      rows.push(
        zRow(
          `${label}: direction ${'xyz'[axis]} mean`,
          c.length,
          mean / Math.sqrt(1 / (3 * c.length)),
          `mean ${mean.toFixed(4)}`,
        ),
      );
    }
    rows.push(
      ksRow(
        `${label}: direction z vs U(−1,1)`,
        pop.fragments.map((f) => f.direction[2]),
        (x) => Math.min(1, Math.max(0, (x + 1) / 2)),
      ),
    );
  }
  const N = 20000;
  const cases: [number, BreakupParentType][] = [
    [0.02, 'rocket-body'],
    [0.06, 'spacecraft'],
    [0.2, 'rocket-body'],
    [1.5, 'rocket-body'],
    [0.2, 'spacecraft'],
    [1.5, 'spacecraft'],
  ];
  for (const [lc, parent] of cases) {
    const rng = new PcRandom(100 + Math.round(lc * 1000));
    const chi = Array.from({ length: N }, () => Math.log10(sampleAreaToMass(lc, parent, rng)));
    rows.push(
      ksRow(`χ at Lc = ${lc} m (${lc < 0.08 ? 'small-fragment normal' : `${parent} bimodal`})`, chi, (x) =>
        log10AreaToMassCdf(lc, parent, x),
      ),
    );
  }
  for (const lc of [0.085, 0.095, 0.105]) {
    const rng = new PcRandom(Math.round(lc * 1e4));
    for (const parent of ['rocket-body', 'spacecraft'] as const) {
      const am = Array.from({ length: N }, () => sampleAreaToMass(lc, parent, rng));
      const { mean, sd } = meanSd(am);
      const want = areaToMassMean(lc, parent);
      rows.push(
        zRow(
          `bridge A/m mean at Lc = ${lc} m (${parent})`,
          N,
          (mean - want) / (sd / Math.sqrt(N)),
          `${mean.toFixed(4)} vs ${want.toFixed(4)} m²/kg`,
        ),
      );
    }
  }
  const at = collisionMass(1000, 0.8, 10);
  const below = collisionMass(1000, 0.79, 10);
  rows.push({
    check: '40 J/g threshold: 1,000 kg target at 10 km/s, 0.80 vs 0.79 kg impactor',
    n: 2,
    stat: `${at.specificEnergyJPerG.toFixed(2)} J/g → M = ${at.massKg} kg; ${below.specificEnergyJPerG.toFixed(2)} J/g → M = ${below.massKg.toFixed(1)} kg·(km/s)²`,
    p: '',
    pass: at.catastrophic && !below.catastrophic,
  });

  // The SL-16 R/B cloud: the SGP4 fit at the epoch.
  const parsed = parseTleText(catalogText);
  if (!parsed.ok) throw new Error('catalog did not parse');
  const parentSet = parsed.value.records
    .map((r) => r.elements)
    .find((e: ElementSet) => e.catalogNumber === '22285');
  if (parentSet === undefined) throw new Error('SL-16 R/B 22285 not in the catalog');
  const sim = simulateBreakup(
    { elements: parentSet, massKg: 8900, type: 'rocket-body' },
    { kind: 'collision', impactorMassKg: 10, impactSpeedKmS: 10 },
    new PcRandom(2023),
  );
  let worstR = 0;
  let worstV = 0;
  const rv = new Float64Array(6);
  for (const f of sim.fragments) {
    if (f.elements === undefined) continue;
    sgp4(sgp4Init(f.elements), 0, rv);
    worstR = Math.max(worstR, Math.hypot(rv[0]! - f.rKm[0], rv[1]! - f.rKm[1], rv[2]! - f.rKm[2]));
    worstV = Math.max(
      worstV,
      Math.hypot(rv[3]! - f.vKmPerS[0], rv[4]! - f.vKmPerS[1], rv[5]! - f.vKmPerS[2]),
    );
  }
  rows.push({
    check:
      'SL-16 R/B 22285 collision (8,900 kg + 10 kg at 10 km/s, Lc ≥ 10 cm): SGP4 state at epoch vs sampled state',
    n: sim.elementSets.length,
    stat: `worst ${(worstR * 1e6).toFixed(3)} mm, ${(worstV * 1e9).toFixed(3)} µm/s (tolerance 1 mm, 1 µm/s)`,
    p: '',
    pass: worstR <= 1e-6 && worstV <= 1e-9,
  });
  const passed = rows.filter((r) => r.pass).length;
  const table = [
    '| check | n | statistic | p | pass |',
    '|---|---:|---|---:|---|',
    ...rows.map((r) => `| ${r.check} | ${r.n} | ${r.stat} | ${r.p} | ${r.pass ? 'yes' : '**no**'} |`),
  ].join('\n');
  const c = sim.population.collision!;
  const summary = [
    `${passed} of ${rows.length} checks pass (KS p > ${KS_ALPHA}, |z| ≤ ${Z_MAX}).`,
    `SL-16 R/B cloud: ${c.catastrophic ? 'catastrophic' : 'non-catastrophic'} (${c.specificEnergyJPerG.toFixed(1)} J/g), ${sim.fragments.length} fragments of 10 cm and more (expected ${sim.population.expectedCount.toFixed(1)}), ${sim.elementSets.length} with an orbit; ${sim.lost.reentry} with a perigee below 100 km, ${sim.lost.notElliptic} escaping, ${sim.lost.fitFailed} fits failed; fragment mass ${sim.population.mass.fragmentsKg.toFixed(0)} of ${sim.population.mass.budgetKg.toFixed(0)} kg (${sim.population.mass.removedFragments} removed for the budget).`,
  ].join('\n');
  return { table, summary };
}
