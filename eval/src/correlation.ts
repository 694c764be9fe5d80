/**
 * Correlation on one simulated night (issue 14, validation): the full 2023-10-09 catalog seen by
 * the sensors of packages/astro/data/sensors.json for 12 hours from 2023-10-09 10:00 UTC
 * (`simulateNight`), 5% of the objects (seeded choice) withheld from the catalog the correlator
 * gets, tracks correlated on 2 workers (`correlateParallel`). UCT tracks go to IOD through
 * `initialOrbitsForUcts` + `iodFromMeasurements` (the per-track baseline), and are joined into
 * candidate objects by `buildUctCandidates` (an orbit per track, a state gate, joint SGP4 fits with
 * variance-factor and merge tests).
 *
 * Truth: each object is its own element set propagated by SGP4, moved by a fixed radial /
 * in-track / cross-track offset drawn (seeded) from the default TLE error model at the set's age
 * at the middle of the night: the "truth deviation" that makes the catalog's prediction wrong by
 * about as much as real element sets are. The correlator is given the undisturbed sets, so it must
 * allow for that error exactly as in operations. The withheld objects have no set in the
 * correlator's catalog, so they get no offset: their truth is their SGP4 trajectory (a fixed
 * radial/in-track offset is not a trajectory, and a fit over several tracks would see it as model
 * error of hundreds of metres against 10–20 m radar ranges).
 *
 * Baselines: the naive path (every track scored against every object, `correlateTracksNaive`) on a
 * subset of the tracks, whose decisions must equal the fast path's; and a simpler gate, the same
 * χ² test with the error model frozen at age 0 (no growth with the set's age).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  type AstroContext,
  buildForceModel,
  buildUctCandidates,
  type CorrelationResult,
  correlateTracksNaive,
  DEFAULT_FORCE_MODEL,
  defaultTleErrorModel,
  type ElementSet,
  frameEpochAt,
  frameTransform,
  type Instant,
  type IodResult,
  initialOrbitsForUcts,
  iodFromMeasurements,
  type LoadContextOptions,
  loadContext,
  minutesSinceEpoch,
  type NightTrack,
  parseEgm,
  parseElements,
  parseSensorFile,
  parseTimeToInstant,
  type Satrec,
  type Sensor,
  type StationAxes,
  sgp4,
  sgp4Init,
  simulateNight,
  simulationRandom,
  stationFrameAt,
  type Track,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { correlateParallel, type StationItrf, stationTableGcrfAt } from '@hoshimi/node';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SENSORS_JSON = join(REPO_ROOT, 'packages/astro/data/sensors.json');
const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const GRAVITY = 'earth/gravity/EGM96-truncated-21x21';
/** Start of the simulated night, UTC (evening in Japan, night over the Pacific and the Americas). */
export const NIGHT_START_UTC = '2023-10-09T10:00:00Z';
/** Length of the night, s. */
export const NIGHT_S = 12 * 3600;
/** Fraction of objects withheld from the correlator's catalog. */
const WITHHELD_FRACTION = 0.05;
const SEED = 14;
/** Tasking capacity: tracks per sensor over the night (about 100,000 measurements in all). */
export const TRACKS_PER_SENSOR = 720;

export interface NightScenario {
  readonly ctx: AstroContext;
  readonly contextSource: LoadContextOptions;
  readonly sensors: readonly Sensor[];
  readonly stations: readonly StationItrf[];
  readonly truth: readonly ElementSet[];
  readonly records: readonly Satrec[];
  readonly offsets: Float64Array;
  readonly from: Instant;
  readonly tracks: readonly NightTrack[];
  readonly measurementCount: number;
  readonly simulateS: number;
}

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.issues.slice(0, 3))}`);
  return r.value;
}

function readData(data: string, rel: string): string {
  const p = join(data, rel);
  if (!existsSync(p)) throw new Error(`reference data not found: ${p} (set HOSHIMI_REFERENCE_DATA)`);
  const raw = readFileSync(p);
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** The simulated night (shared by the evaluation and the benchmark). */
export function nightScenario(data: string, durationS = NIGHT_S): NightScenario {
  const contextSource: LoadContextOptions = {
    leapSecondsText: readData(data, 'earth/Leap_Second.dat'),
    eopText: readData(data, 'earth/finals2000A.all.gz'),
    eopFormat: 'finals2000A',
  };
  const ctx = must(loadContext(contextSource), 'context');
  const sensors = must(parseSensorFile(readFileSync(SENSORS_JSON, 'utf8'), 'sensors.json'), 'sensors.json');
  const stations: StationItrf[] = sensors.map((s) => ({ name: s.name, itrfKm: [...s.itrfKm] }));
  const parsed = must(parseElements(readData(data, CATALOG), { file: CATALOG }), 'catalog');
  const all = parsed.records.map((r) => r.elements);
  const allRecords = all.map((e) => sgp4Init(e));
  const keep = all.map((_, i) => (allRecords[i] as Satrec).error === 0);
  const truth = all.filter((_, i) => keep[i]);
  const records = allRecords.filter((_, i) => keep[i]);
  const from = must(parseTimeToInstant(NIGHT_START_UTC, ctx), 'night start');
  const mid = utcLabelOfInstant(from.plusSeconds(durationS / 2), ctx);
  const rng = simulationRandom(SEED);
  const offsets = new Float64Array(3 * truth.length);
  truth.forEach((e, i) => {
    const s = defaultTleErrorModel(e, minutesSinceEpoch(e.epoch, mid.jd, mid.jdFrac) / 1440);
    for (let k = 0; k < 3; k++) offsets[3 * i + k] = s[k]! * rng.normal();
  });
  // The withheld objects: no catalog set, so no set error (see the module header).
  for (const i of withheldSet(truth.length)) offsets.fill(0, 3 * i, 3 * i + 3);
  const t0 = performance.now();
  const night = simulateNight(sensors, truth, from, durationS, {
    ctx,
    seed: SEED,
    offsetsRtnKm: offsets,
    records,
    maxTracksPerSensor: TRACKS_PER_SENSOR,
  });
  const simulateS = (performance.now() - t0) / 1000;
  return {
    ctx,
    contextSource,
    sensors,
    stations,
    truth,
    records,
    offsets,
    from,
    tracks: night.tracks,
    measurementCount: night.measurementCount,
    simulateS,
  };
}

/** Correlation tracks of the simulated tracks (the label is the sensor's own, saying nothing of the object). */
export function tracksOf(night: readonly NightTrack[]): Track[] {
  return night.map((t) => ({
    id: `${t.sensor}/${t.label}/0`,
    station: t.sensor,
    target: t.label,
    measurements: t.measurements,
  }));
}

/** Seeded choice of the withheld objects (indices into the truth catalog). */
export function withheldSet(n: number): Set<number> {
  const rng = simulationRandom(SEED + 1);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return new Set(idx.slice(0, Math.round(WITHHELD_FRACTION * n)));
}

interface Counts {
  readonly tracks: number;
  readonly catalogedTracks: number;
  readonly correct: number;
  readonly wrong: number;
  readonly uctCataloged: number;
  readonly uctReasons: Record<string, number>;
  readonly withheldTracks: number;
  readonly withheldUct: number;
  readonly withheldObjects: number;
  readonly withheldObjectsAllUct: number;
}

function count(
  night: readonly NightTrack[],
  result: CorrelationResult,
  withheld: Set<number>,
  subset?: readonly number[],
): Counts {
  let correct = 0;
  let wrong = 0;
  let uctCataloged = 0;
  let catalogedTracks = 0;
  let withheldTracks = 0;
  let withheldUct = 0;
  const reasons: Record<string, number> = {};
  const seen = new Map<number, boolean>();
  const which = subset ?? night.map((_, i) => i);
  which.forEach((ti, k) => {
    const t = night[ti] as NightTrack;
    const r = result.tracks[subset === undefined ? ti : k];
    if (r === undefined) return;
    if (withheld.has(t.objectIndex)) {
      withheldTracks++;
      const u = r.assigned === undefined;
      if (u) withheldUct++;
      seen.set(t.objectIndex, (seen.get(t.objectIndex) ?? true) && u);
      return;
    }
    catalogedTracks++;
    if (r.assigned === t.catalogNumber) correct++;
    else if (r.assigned !== undefined) wrong++;
    else {
      uctCataloged++;
      reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    }
  });
  return {
    tracks: which.length,
    catalogedTracks,
    correct,
    wrong,
    uctCataloged,
    uctReasons: reasons,
    withheldTracks,
    withheldUct,
    withheldObjects: seen.size,
    withheldObjectsAllUct: [...seen.values()].filter((x) => x).length,
  };
}

const pct = (a: number, b: number): string => (b === 0 ? '–' : `${((100 * a) / b).toFixed(2)}%`);

/** The truth position (GCRF, km) of object i at t: SGP4 + the truth offset. */
function truthPosition(sc: NightScenario, i: number, t: Instant): [number, number, number] | undefined {
  const e = sc.truth[i] as ElementSet;
  const lab = utcLabelOfInstant(t, sc.ctx);
  const out = new Float64Array(6);
  if (sgp4(sc.records[i] as Satrec, minutesSinceEpoch(e.epoch, lab.jd, lab.jdFrac), out) !== 0)
    return undefined;
  const m = frameTransform('TEME', 'GCRF', frameEpochAt(t, sc.ctx)).rotation;
  const r = [0, 1, 2].map((c) => m[3 * c]! * out[0]! + m[3 * c + 1]! * out[1]! + m[3 * c + 2]! * out[2]!);
  const v = [0, 1, 2].map((c) => m[3 * c]! * out[3]! + m[3 * c + 1]! * out[4]! + m[3 * c + 2]! * out[5]!);
  const rn = Math.hypot(r[0]!, r[1]!, r[2]!);
  const R = r.map((x) => x / rn);
  const h = [r[1]! * v[2]! - r[2]! * v[1]!, r[2]! * v[0]! - r[0]! * v[2]!, r[0]! * v[1]! - r[1]! * v[0]!];
  const hn = Math.hypot(h[0]!, h[1]!, h[2]!);
  const N = h.map((x) => x / hn);
  const T = [N[1]! * R[2]! - N[2]! * R[1]!, N[2]! * R[0]! - N[0]! * R[2]!, N[0]! * R[1]! - N[1]! * R[0]!];
  const d = [sc.offsets[3 * i]!, sc.offsets[3 * i + 1]!, sc.offsets[3 * i + 2]!];
  return [0, 1, 2].map((c) => r[c]! + R[c]! * d[0]! + T[c]! * d[1]! + N[c]! * d[2]!) as [
    number,
    number,
    number,
  ];
}

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
}

/** Runs the evaluation; returns the EVALUATION.md section. */
export async function correlationEvaluation(data: string, machine: string): Promise<string> {
  const sc = nightScenario(data);
  const tracks = tracksOf(sc.tracks);
  const withheld = withheldSet(sc.truth.length);
  const catalog = sc.truth.filter((_, i) => !withheld.has(i));
  console.log(
    `simulated ${tracks.length} tracks, ${sc.measurementCount} measurements of ${new Set(sc.tracks.map((t) => t.objectIndex)).size} objects in ${sc.simulateS.toFixed(1)} s; catalog ${catalog.length} of ${sc.truth.length} (withheld ${withheld.size})`,
  );
  const base = { context: sc.contextSource, stations: sc.stations, workers: 2 };
  let t0 = performance.now();
  const fast = await correlateParallel(tracks, catalog, base);
  const fastS = (performance.now() - t0) / 1000;
  const c = count(sc.tracks, fast, withheld);
  console.log(`correlated in ${fastS.toFixed(1)} s on 2 workers: ${JSON.stringify(c)}`);
  t0 = performance.now();
  const simple = await correlateParallel(tracks, catalog, { ...base, errorModel: 'age-free' });
  const simpleS = (performance.now() - t0) / 1000;
  const cs = count(sc.tracks, simple, withheld);
  console.log(`age-free gate in ${simpleS.toFixed(1)} s: ${JSON.stringify(cs)}`);

  // Naive peer on a subset: every 500th track.
  const stationGcrfAt = stationTableGcrfAt(sc.ctx, sc.stations);
  const subset = tracks.map((_, i) => i).filter((i) => i % 500 === 0);
  t0 = performance.now();
  const naive = correlateTracksNaive(
    subset.map((i) => tracks[i] as Track),
    catalog,
    { ctx: sc.ctx, stationGcrfAt },
  );
  const naiveS = (performance.now() - t0) / 1000;
  let sameDecision = 0;
  subset.forEach((ti, k) => {
    const a = naive.tracks[k];
    const b = fast.tracks[ti];
    if (a !== undefined && b !== undefined && a.assigned === b.assigned && a.reason === b.reason)
      sameDecision++;
  });
  const cn = count(sc.tracks, naive, withheld, subset);
  console.log(`naive on ${subset.length} tracks in ${naiveS.toFixed(1)} s; same decision ${sameDecision}`);

  // IOD of the UCTs.
  const sensorByName = new Map(sc.sensors.map((s) => [s.name, s] as const));
  const axes = (name: string, t: Instant): StationAxes => {
    const sf = stationFrameAt(sensorByName.get(name) as Sensor, t, sc.ctx);
    const m = sf.enuFromGcrf;
    return {
      eastUnit: [m[0]!, m[1]!, m[2]!],
      northUnit: [m[3]!, m[4]!, m[5]!],
      upUnit: [m[6]!, m[7]!, m[8]!],
    };
  };
  const byLabel = new Map(sc.tracks.map((t) => [t.label, t] as const));
  t0 = performance.now();
  const candidates = initialOrbitsForUcts(fast.ucts, (group): IodResult | undefined => {
    const ms = group.flatMap((t) => t.measurements).filter((m) => m.kind !== 'range-rate');
    try {
      return iodFromMeasurements(ms, stationGcrfAt, { stationFrameAt: axes });
    } catch {
      return undefined;
    }
  });
  const iodS = (performance.now() - t0) / 1000;
  const errByObject = new Map<number, { err: number; radar: boolean }>();
  let iodOk = 0;
  let iodWithheldTracks = 0;
  for (const cand of candidates) {
    const nt = byLabel.get(cand.group.target);
    if (nt === undefined || cand.orbit === undefined) continue;
    iodOk++;
    if (!withheld.has(nt.objectIndex)) continue;
    iodWithheldTracks++;
    const p = truthPosition(sc, nt.objectIndex, cand.orbit.epoch);
    if (p === undefined) continue;
    const o = cand.orbit.positionKm;
    const err = Math.hypot(o[0] - p[0], o[1] - p[1], o[2] - p[2]);
    const radar = (sensorByName.get(nt.sensor) as Sensor).type === 'radar';
    const prev = errByObject.get(nt.objectIndex);
    if (prev === undefined || err < prev.err) errByObject.set(nt.objectIndex, { err, radar });
  }
  const errs = [...errByObject.values()];
  const errRadar = errs.filter((e) => e.radar).map((e) => e.err);
  const errOptical = errs.filter((e) => !e.radar).map((e) => e.err);
  console.log(
    `IOD: ${iodOk} of ${candidates.length} UCT groups in ${iodS.toFixed(1)} s; withheld objects with an orbit ${errByObject.size}`,
  );

  // UCT tracks joined into candidate objects.
  const uctTracks = fast.tracks.filter((r) => r.assigned === undefined).map((r) => r.track);
  const egm = must(
    parseEgm(readData(data, GRAVITY), { maxDegree: 20, maxOrder: 20, file: GRAVITY, name: 'EGM96' }),
    'gravity',
  );
  const forces = buildForceModel(
    { ...DEFAULT_FORCE_MODEL, drag: undefined },
    { field: egm, context: sc.ctx },
  );
  t0 = performance.now();
  const joined = buildUctCandidates(uctTracks, {
    ctx: sc.ctx,
    stations: sensorByName,
    forceModels: forces.forces,
    propagation: forces.options,
    jointFit: 'sgp4',
  });
  const joinS = (performance.now() - t0) / 1000;
  const objectOfTrack = (t: Track): number => (byLabel.get(t.target) as NightTrack).objectIndex;
  const uctByObject = new Map<number, number>();
  for (const t of uctTracks) uctByObject.set(objectOfTrack(t), (uctByObject.get(objectOfTrack(t)) ?? 0) + 1);
  const eligible = [...uctByObject].filter(([i, n]) => withheld.has(i) && n >= 2).map(([i]) => i);
  let pure = 0;
  const candidatesOf = new Map<number, number>();
  const candErr: number[] = [];
  const candErrRadar: number[] = [];
  let candTracks = 0;
  for (const cand of joined.candidates) {
    candTracks += cand.tracks.length;
    const objs = new Set(cand.tracks.map(objectOfTrack));
    if (objs.size !== 1) continue;
    pure++;
    const i = [...objs][0] as number;
    candidatesOf.set(i, (candidatesOf.get(i) ?? 0) + 1);
    const p = truthPosition(sc, i, cand.epoch);
    if (p === undefined) continue;
    const o = cand.state.rKm;
    const err = Math.hypot(o[0] - p[0], o[1] - p[1], o[2] - p[2]);
    candErr.push(err);
    if (cand.tracks.some((t) => (sensorByName.get(t.station) as Sensor).type === 'radar'))
      candErrRadar.push(err);
  }
  const foundObjects = eligible.filter((i) => candidatesOf.has(i));
  const impureLines = joined.candidates
    .filter((cand) => new Set(cand.tracks.map(objectOfTrack)).size > 1)
    .map(
      (cand) =>
        `- ${cand.id}: ${cand.tracks
          .map((t) => {
            const e = sc.truth[objectOfTrack(t)] as ElementSet;
            return `${t.id} (${e.catalogNumber} ${e.name}${withheld.has(objectOfTrack(t)) ? ', withheld' : ''})`;
          })
          .join(', ')}; variance factor ${cand.varianceFactor.toFixed(3)}`,
    );
  // The withheld objects not found, by the kinds of sensor that saw them.
  const missedBy: Record<string, number> = {};
  for (const i of eligible.filter((k) => !candidatesOf.has(k))) {
    const kinds = new Set(
      uctTracks
        .filter((t) => objectOfTrack(t) === i)
        .map((t) => (sensorByName.get(t.station) as Sensor).type),
    );
    const key = [...kinds].sort().join(' + ');
    missedBy[key] = (missedBy[key] ?? 0) + 1;
  }
  const splitObjects = foundObjects.filter((i) => (candidatesOf.get(i) as number) > 1);
  const tracksOfFound = foundObjects.reduce((a, i) => a + (uctByObject.get(i) as number), 0);
  const singleReasons: Record<string, number> = {};
  for (const x of joined.single) {
    const k = x.orbit === undefined ? 'no orbit of its own' : x.reason;
    singleReasons[k] = (singleReasons[k] ?? 0) + 1;
  }
  // Baseline: the per-track IOD of the same objects (best track each).
  const iodErrFound = foundObjects
    .map((i) => errByObject.get(i)?.err)
    .filter((e): e is number => e !== undefined);
  console.log(
    `candidates: ${uctTracks.length} UCT tracks → ${joined.candidates.length} candidates (${candTracks} tracks), ${joined.single.length} single, ${joined.jointFits} joint fits in ${joinS.toFixed(1)} s; pure ${pure}; withheld objects with ≥ 2 UCT tracks ${eligible.length}, found ${foundObjects.length}, split ${splitObjects.length}; ${JSON.stringify(singleReasons)}`,
  );

  // The decisions that went wrong, explained.
  const wrongLines = fast.tracks
    .map((r, i) => ({ r, t: sc.tracks[i] as NightTrack }))
    .filter(({ r, t }) => r.assigned !== undefined && r.assigned !== t.catalogNumber)
    .slice(0, 5)
    .map(
      ({ r, t }) =>
        `- track ${t.label} of ${t.catalogNumber}${withheld.has(t.objectIndex) ? ' (withheld)' : ''} (${t.sensor}) assigned to ${r.assigned}: ${r.explanation}`,
    );
  console.log(wrongLines.join('\n'));
  const assignedFast = c.correct + c.wrong + (c.withheldTracks - c.withheldUct);
  const assignedSimple = cs.correct + cs.wrong + (cs.withheldTracks - cs.withheldUct);
  const row = (name: string, k: Counts, assigned: number) =>
    `| ${name} | ${k.catalogedTracks} | ${k.correct} (${pct(k.correct, k.catalogedTracks)}) | ${k.wrong} | ${k.uctCataloged} (${
      Object.entries(k.uctReasons)
        .map(([r, v]) => `${r} ${v}`)
        .join(', ') || '–'
    }) | ${k.withheldTracks - k.withheldUct} | ${k.withheldObjectsAllUct} / ${k.withheldObjects} | ${pct(k.correct, assigned)} | ${pct(k.correct, k.catalogedTracks)} |`;
  const sensorsLine = sc.sensors
    .map((s) => `${s.name} ${sc.tracks.filter((t) => t.sensor === s.name).length}`)
    .join(', ');
  return [
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${machine}.`,
    '',
    `Night: ${NIGHT_START_UTC} + 12 h; the ${sc.truth.length} element sets of \`${CATALOG}\` whose SGP4 initialises, seen by`,
    `the ${sc.sensors.length} sensors of \`packages/astro/data/sensors.json\` (\`simulateNight\`: elevation, range and azimuth limits,`,
    'darkness, target sunlit and Moon avoidance for the optical sites; one track per visibility interval, a measurement',
    'every 10 s for 60 s, one per kind the sensor measures, with its noise). Truth: each set propagated by SGP4 and moved by a',
    'fixed radial/in-track/cross-track offset drawn from the default TLE error model at its age (seed 14). Catalog given to',
    `the correlator: the sets without the ${withheld.size} withheld objects (5%, seeded choice), undisturbed. The withheld objects`,
    'get no offset (they have no set in that catalog): their truth is their own SGP4 trajectory.',
    `Simulated ${tracks.length} tracks, ${sc.measurementCount} measurements in ${sc.simulateS.toFixed(1)} s (tracks per sensor: ${sensorsLine}).`,
    '',
    'Precision = correct / all assignments; recall = correct / tracks of catalogued objects.',
    '',
    '| method | tracks of catalogued objects | correct | false | UCT (reason) | withheld tracks assigned | withheld objects all-UCT / seen | precision | recall |',
    '|---|---|---|---|---|---|---|---|---|',
    row(`χ² gate with the TLE-age error model (2 workers, ${fastS.toFixed(1)} s)`, c, assignedFast),
    row(`simpler gate: error model frozen at age 0 (${simpleS.toFixed(1)} s)`, cs, assignedSimple),
    row(
      `naive: every track × every object, every 500th track (${naiveS.toFixed(1)} s)`,
      cn,
      cn.correct + cn.wrong + (cn.withheldTracks - cn.withheldUct),
    ),
    '',
    `Naive and fast paths take the same decision (assigned object and reason) on ${sameDecision} of ${subset.length} tracks.`,
    `Goal ≥ 99.5% correct: ${pct(c.correct, c.catalogedTracks)} of the tracks of catalogued objects; every withheld object found as UCTs: ${c.withheldObjectsAllUct} of ${c.withheldObjects} seen.`,
    ...(wrongLines.length > 0
      ? ['', 'Tracks assigned to an object other than their own:', '', ...wrongLines]
      : []),
    '',
    `**UCTs to candidate orbits.** ${fast.ucts.length} UCT groups (one per track label) to \`iodFromMeasurements\` through`,
    `\`initialOrbitsForUcts\` (radar: Gibbs/Herrick–Gibbs from range + azimuth/elevation positions; optical: Gooding angles-only`,
    `over the 60 s track) in ${iodS.toFixed(1)} s: ${iodOk} gave an orbit, ${iodWithheldTracks} of them tracks of withheld objects;`,
    `${errByObject.size} of the ${c.withheldObjects} withheld objects seen got an orbit. Position error at the IOD epoch against the truth (best track`,
    `per object): radar ${errRadar.length} objects, median ${quantile(errRadar, 0.5).toFixed(2)} km, 90% ${quantile(errRadar, 0.9).toFixed(2)} km;`,
    `optical ${errOptical.length} objects, median ${quantile(errOptical, 0.5).toFixed(0)} km, 90% ${quantile(errOptical, 0.9).toFixed(0)} km`,
    '(a 60 s angles-only arc fixes the direction well and the range poorly: these are first guesses for least squares once more',
    'tracks gather).',
    '',
    `**UCTs joined into candidate objects** (\`buildUctCandidates\`, ${joinS.toFixed(1)} s on one thread): the ${uctTracks.length} UCT tracks (withheld`,
    'objects and catalogued ones the correlator left uncorrelated), each with an orbit of its own (IOD + least squares on the',
    'track, numerical EGM96 20×20, Sun, Moon), gated by the state difference (a worse-determined track: by its measurements',
    'against the better orbit) and confirmed by joint SGP4 fits (the six elements, then with B* when they fail;',
    'the truth is SGP4 from the catalog sets, so the fit errs only by SGP4 restarted at a new epoch) with the variance-factor',
    'and merge (Δχ² against χ² of the parameters saved, 99.99 %) tests. Baseline: per-track IOD alone, which gives one',
    'orbit per track and joins nothing.',
    '',
    '| | value |',
    '|---|---|',
    `| candidates (≥ 2 tracks) | ${joined.candidates.length}, holding ${candTracks} tracks; ${joined.single.length} tracks single (${Object.entries(
      singleReasons,
    )
      .map(([r, v]) => `${r}: ${v}`)
      .join('; ')}) |`,
    `| pure candidates (all tracks from one object) | ${pure} of ${joined.candidates.length} |`,
    `| withheld objects with ≥ 2 UCT tracks | ${eligible.length} |`,
    `| … found as a candidate | ${foundObjects.length} (${pct(foundObjects.length, eligible.length)}) |`,
    `| … split across several candidates | ${splitObjects.length} |`,
    `| candidate position error at its epoch, all / with radar tracks (median, 90%) | ${quantile(candErr, 0.5).toFixed(3)} / ${quantile(candErr, 0.9).toFixed(3)} km; ${quantile(candErrRadar, 0.5).toFixed(3)} / ${quantile(candErrRadar, 0.9).toFixed(3)} km |`,
    `| baseline: per-track IOD of the same objects, best track (median, 90%) | ${quantile(iodErrFound, 0.5).toFixed(2)} / ${quantile(iodErrFound, 0.9).toFixed(2)} km |`,
    `| joint fits tried | ${joined.jointFits} |`,
    '',
    `The found objects had ${tracksOfFound} UCT tracks between them. Withheld objects not found, by the sensors that saw them:`,
    `${Object.entries(missedBy)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )} (one 60 s angles-only track gives an orbit whose range, and so its prediction hours later, is far off:`,
    'two such tracks are joined only when a better orbit predicts them).',
    ...(impureLines.length > 0 ? ['', 'Candidates of more than one object:', '', ...impureLines] : []),
  ].join('\n');
}
