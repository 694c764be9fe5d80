/**
 * `npm run bench -- breakup`: a simulated breakup screened against a catalog's payloads. The
 * SL-16 R/B 22285 of the 2023-10-09 catalog (about 840 km, 71°) breaks up in a catastrophic
 * collision (8,900 kg, 10 kg impactor at 10 km/s, fragments of 10 cm and more, seed 2023); the
 * first 2,000 fragments with an orbit are screened against every payload of the catalog (by the
 * name rule: not DEB, not R/B) for 7 days from the breakup epoch, 5 km, 2 workers, primaries
 * against the others only (`excludePrimaryPairs`, what `hoshimi screen --secondaries` does).
 * Goal: the screening ≤ 20 s. There is no peer for a breakup model in the same run; the simulation
 * (sampling and the SGP4 fit of every fragment) is timed too.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, PcRandom, parseTleText, simulateBreakup } from '@hoshimi/astro';
import { screenParallel } from '@hoshimi/node';
import { record, refFile, seconds } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const PARENT = '22285';
const CLOUD_SIZE = 2000;
const GOAL_S = 20;

function isPayloadByName(e: ElementSet): boolean {
  const n = ` ${(e.name ?? '').toUpperCase()} `;
  return !n.includes(' DEB ') && !n.includes(' R/B');
}

export async function benchBreakup(): Promise<void> {
  const parsed = parseTleText(gunzipSync(readFileSync(refFile(CATALOG))).toString('utf8'));
  if (!parsed.ok) throw new Error('catalog did not parse');
  const catalog = parsed.value.records.map((r) => r.elements);
  const parent = catalog.find((e) => e.catalogNumber === PARENT);
  if (parent === undefined) throw new Error(`parent ${PARENT} not in the catalog`);
  const t0 = process.hrtime.bigint();
  const sim = simulateBreakup(
    { elements: parent, massKg: 8900, type: 'rocket-body' },
    { kind: 'collision', impactorMassKg: 10, impactSpeedKmS: 10, minCharacteristicLengthM: 0.1 },
    new PcRandom(2023),
  );
  const simS = seconds(t0);
  record({
    bench: 'breakup',
    metric: `simulate (${sim.fragments.length} fragments + SGP4 fit)`,
    ours: simS,
    peer: null,
    unit: 's',
  });
  const cloud = sim.elementSets.slice(0, CLOUD_SIZE);
  const payloads = catalog.filter(isPayloadByName);
  console.log(
    `  cloud: ${cloud.length} of ${sim.elementSets.length} orbital fragments (${sim.fragments.length} sampled); secondaries: ${payloads.length} payloads by name`,
  );
  const primaries = cloud.map((e) => e.catalogNumber);
  const cpu0 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  const res = await screenParallel(
    [...cloud, ...payloads],
    {
      start: sim.epoch,
      durationDays: 7,
      thresholdKm: 5,
      primaries,
      excludePrimaryPairs: true,
    },
    { workers: 2 },
  );
  const screenS = seconds(t1);
  const cpu = process.cpuUsage(cpu0);
  // Process CPU time (main thread and both workers): on two idle cores the wall time is about half
  // of it, whatever else the machine runs.
  const cpuS = (cpu.user + cpu.system) / 1e6;
  record({
    bench: 'breakup',
    metric: `screen ${cloud.length} fragments × payloads, 7 d`,
    ours: screenS,
    peer: null,
    unit: 's',
  });
  record({ bench: 'breakup', metric: 'screen CPU time (all threads)', ours: cpuS, peer: null, unit: 's' });
  const byPayload = new Map<string, { name: string; n: number; minKm: number }>();
  for (const c of res.conjunctions) {
    const p = Number(c.primary.catalogNumber) >= 800_000_000 ? c.secondary : c.primary;
    const s = byPayload.get(p.catalogNumber) ?? { name: p.name ?? '', n: 0, minKm: Number.POSITIVE_INFINITY };
    s.n++;
    s.minKm = Math.min(s.minKm, c.missKm);
    byPayload.set(p.catalogNumber, s);
  }
  console.log(
    `  ${res.conjunctions.length} conjunctions within 5 km, ${byPayload.size} payloads; screened ${res.stats.screened} objects (${res.stats.rangeFiltered} range-filtered); goal ≤ ${GOAL_S} s: ${screenS <= GOAL_S ? 'met' : 'NOT met'}`,
  );
  const top = [...byPayload.entries()].sort((a, b) => b[1].n - a[1].n || a[1].minKm - b[1].minKm).slice(0, 5);
  for (const [id, s] of top)
    console.log(`    ${id} ${s.name}: ${s.n} conjunctions, closest ${s.minKm.toFixed(3)} km`);
}
