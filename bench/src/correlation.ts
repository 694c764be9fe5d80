/**
 * Track correlation (issue 14): one simulated night, the night of `npm run eval -- correlation`
 * (eval/src/correlation.ts: the 2023-10-09 catalog seen by packages/astro/data/sensors.json for
 * 12 h from 10:00 UTC, 720 tracks per sensor, about 100,000 measurements, each object moved from
 * its element set by an offset drawn from the TLE error model), correlated against the catalog
 * with the fast path on 1 and on 2 workers (`correlateParallel`). Peer: `correlateTracksNaive`
 * (every track scored against every object) on every 500th track in the same run, its time per
 * track extrapolated to the night; its decisions are compared with the fast path's. Goal: the
 * night in ≤ 30 s on 2 cores. The night's simulation (`simulateNight`) is timed too.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  correlateTracksNaive,
  defaultTleErrorModel,
  type LoadContextOptions,
  loadContext,
  minutesSinceEpoch,
  parseElements,
  parseSensorFile,
  parseTimeToInstant,
  type Satrec,
  sgp4Init,
  simulateNight,
  simulationRandom,
  type Track,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { correlateParallel, type StationItrf, stationTableGcrfAt } from '@hoshimi/node';
import { machineLine, REPO_ROOT, record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const NIGHT_START_UTC = '2023-10-09T10:00:00Z';
const NIGHT_S = 12 * 3600;
const TRACKS_PER_SENSOR = 720;
const SEED = 14;
/** Every this many tracks go to the naive peer. */
const PEER_EVERY = Number(process.env['CORRELATION_PEER_EVERY'] ?? 500);

const text = (rel: string): string => {
  const raw = readFileSync(refFile(rel));
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

export async function benchCorrelation(): Promise<void> {
  console.log(`  on ${machineLine()}, load average ${loadavg()[0]?.toFixed(1)} at the start`);
  const source: LoadContextOptions = {
    leapSecondsText: text('earth/Leap_Second.dat'),
    eopText: text('earth/finals2000A.all.gz'),
    eopFormat: 'finals2000A',
  };
  const c = loadContext(source);
  if (!c.ok) throw new Error('context did not load');
  const ctx = c.value;
  const s = parseSensorFile(
    readFileSync(join(REPO_ROOT, 'packages/astro/data/sensors.json'), 'utf8'),
    'sensors.json',
  );
  if (!s.ok) throw new Error('sensors.json did not parse');
  const p = parseElements(text(CATALOG), { file: CATALOG });
  if (!p.ok) throw new Error('catalog did not parse');
  const all = p.value.records.map((r) => r.elements);
  const allRecords = all.map((e) => sgp4Init(e));
  const truth = all.filter((_, i) => (allRecords[i] as Satrec).error === 0);
  const records = allRecords.filter((r) => r.error === 0);
  const from = parseTimeToInstant(NIGHT_START_UTC, ctx);
  if (!from.ok) throw new Error('night start');
  const mid = utcLabelOfInstant(from.value.plusSeconds(NIGHT_S / 2), ctx);
  const rng = simulationRandom(SEED);
  const offsets = new Float64Array(3 * truth.length);
  truth.forEach((e, i) => {
    const sg = defaultTleErrorModel(e, minutesSinceEpoch(e.epoch, mid.jd, mid.jdFrac) / 1440);
    for (let k = 0; k < 3; k++) offsets[3 * i + k] = sg[k]! * rng.normal();
  });
  let t0 = performance.now();
  const night = simulateNight(s.value, truth, from.value, NIGHT_S, {
    ctx,
    seed: SEED,
    offsetsRtnKm: offsets,
    records,
    maxTracksPerSensor: TRACKS_PER_SENSOR,
  });
  const simS = (performance.now() - t0) / 1000;
  const tracks: Track[] = night.tracks.map((t) => ({
    id: `${t.sensor}/${t.label}/0`,
    station: t.sensor,
    target: t.label,
    measurements: t.measurements,
  }));
  console.log(
    `  night: ${tracks.length} tracks, ${night.measurementCount} measurements of ${truth.length} objects × ${s.value.length} sensors (${night.intervalsFound} visibility intervals found)`,
  );
  record({
    bench: 'correlation',
    metric: 'simulate the night (one thread)',
    ours: simS,
    peer: null,
    unit: 's',
  });
  const stations: StationItrf[] = s.value.map((x) => ({ name: x.name, itrfKm: [...x.itrfKm] }));
  const base = { context: source, stations };
  // CPU seconds of the whole process (main thread and workers): when other work holds the cores,
  // wall time shows the share the run got, CPU time what the run needs.
  const cpu = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1e6;
  t0 = performance.now();
  let c0 = process.cpuUsage();
  const two = await correlateParallel(tracks, truth, { ...base, workers: 2 });
  const twoS = (performance.now() - t0) / 1000;
  const twoCpu = cpu(process.cpuUsage(c0));
  t0 = performance.now();
  c0 = process.cpuUsage();
  const one = await correlateParallel(tracks, truth, { ...base, workers: 1 });
  const oneS = (performance.now() - t0) / 1000;
  const oneCpu = cpu(process.cpuUsage(c0));
  const correct = two.tracks.filter((r, i) => r.assigned === night.tracks[i]?.catalogNumber).length;
  console.log(
    `  fast path: ${two.scored} exact scores; correct ${correct}/${tracks.length}; same decisions 1 vs 2 workers: ${two.tracks.every((r, i) => r.assigned === one.tracks[i]?.assigned && r.reason === one.tracks[i]?.reason)}`,
  );
  const subset = tracks.filter((_, i) => i % PEER_EVERY === 0);
  t0 = performance.now();
  const naive = correlateTracksNaive(subset, truth, {
    ctx,
    stationGcrfAt: stationTableGcrfAt(ctx, stations),
  });
  const naiveS = (performance.now() - t0) / 1000;
  const naiveNight = (naiveS / subset.length) * tracks.length;
  const same = naive.tracks.filter((r, k) => {
    const f = two.tracks[k * PEER_EVERY];
    return f !== undefined && f.assigned === r.assigned && f.reason === r.reason;
  }).length;
  console.log(
    `  naive peer: ${subset.length} tracks in ${naiveS.toFixed(1)} s; same decisions as the fast path ${same}/${subset.length}`,
  );
  record({ bench: 'correlation', metric: 'night, 1 worker', ours: oneS, peer: naiveNight, unit: 's' });
  record({
    bench: 'correlation',
    metric: 'night, 2 workers (goal ≤ 30 s)',
    ours: twoS,
    peer: naiveNight,
    unit: 's',
  });
  record({ bench: 'correlation', metric: 'night, 1 worker, CPU time', ours: oneCpu, peer: null, unit: 's' });
  record({ bench: 'correlation', metric: 'night, 2 workers, CPU time', ours: twoCpu, peer: null, unit: 's' });
  console.log(
    `  load average ${loadavg()[0]?.toFixed(1)} at the end (2 cores: above 2, other work competes)`,
  );
  console.log(
    `  2 workers vs 1: ${(oneS / twoS).toFixed(2)}× faster; naive extrapolated to the night ${naiveNight.toFixed(0)} s = ${(naiveNight / twoS).toFixed(0)}× the 2-worker run`,
  );
}
