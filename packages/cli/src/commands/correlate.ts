/**
 * `hoshimi correlate`: assigns each track of TDM or CRD observations to a catalog object or
 * declares it uncorrelated (UCT), by astro's correlateTracks (χ² of the track against each
 * candidate's SGP4 prediction with the element set's age-dependent error, a chi-square gate and an
 * ambiguity margin; the fast catalog-grid path). Tracks are astro's groupTracks (one station, one
 * target label, gaps ≤ 300 s). This command reads the files and prints the decisions; with
 * --candidates the UCT tracks are joined into candidate objects (correlate-candidates.ts).
 */
import {
  type AstroContext,
  correlateTracks,
  formatTime,
  groupTracks,
  type Instant,
  type Measurement,
  stationFrameAt,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { loadElementRecords } from '../element-source.js';
import { CliError } from '../errors.js';
import {
  defaultSensorsFile,
  loadStations,
  readInputFile,
  readObservations,
  withSigmas,
} from '../observation-files.js';
import { type CandidateReport, candidateText, uctCandidates } from './correlate-candidates.js';

export const CORRELATE_USAGE = `Usage: hoshimi correlate --obs FILE... (--db PATH | --elements FILE) [--sensors FILE] [--candidates] [--json]

Splits the observations into tracks (one station, one target label, gaps of at most 300 s) and
assigns each to the catalog object whose SGP4 prediction explains it, or declares it uncorrelated
(UCT): no object near the line of sight, the nearest do not fit (χ² above the 99.95 % gate of the
track's values, with the element set's age-dependent error), or two objects fit about equally.
  --obs FILE       observations: CCSDS TDM (KVN or XML) or ILRS CRD, told by content; repeatable
  --db PATH        the catalog store: per object the latest element set as of the last measurement
  --as-of ISO      with --db: the latest element sets as of this time instead
  --elements FILE  element sets (TLE, 3LE, OMM, GP JSON/CSV)
  --sensors FILE   the stations (sensor or stations JSON, or SINEX; repeatable): positions, and the
                   noise a TDM does not carry (default: @hoshimi/astro's data/sensors.json)
  --candidates     join the UCT tracks into candidate objects: an orbit fitted to each track, a
                   gate on the state difference, then joint least-squares fits accepted when the
                   variance factor and the χ² cost of the join pass their 99.99 % tests; each
                   candidate is listed with its tracks, sensors, epoch, GCRF state, σ and RMS
  --min-tracks N   with --candidates: least number of tracks of a candidate (≥ 2, default 2); the
                   tracks of smaller groups are listed as single, with the reason
  --force-model FILE  with --candidates: forces of the fits, as 'hoshimi od --force-model'
                   (default EGM96 20x20, Sun, Moon; no drag: a candidate has no B*)
  --propagator numerical|sgp4  with --candidates: dynamics of the joint fits (default numerical;
                   sgp4: differential correction of the elements, then with B*)
  --json           one JSON object: tracks (id, station, target, measurements, start_utc,
                   end_utc, assigned, reason, chi2, gate, explanation), assigned, uncorrelated,
                   ucts (tracks per target label); with --candidates also candidates (id, tracks,
                   targets, sensors, epoch_utc, frame, position_km, velocity_km_s, covariance,
                   sigma_position_m, sigma_velocity_m_s, measurements, rejected,
                   variance_factor, max_variance_factor, rms) and single (track, target, reason)
  --leap-seconds FILE, --eop FILE   time tables (default as 'hoshimi data status' shows)
`;

function iso(t: Instant, ctx: AstroContext): string {
  return `${formatTime(t, ctx, { decimals: 3 })}Z`.replace(/ZZ$/, 'Z');
}

export async function correlateCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi correlate', CORRELATE_USAGE, {
    args: [...argv],
    options: {
      obs: { type: 'string', multiple: true },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      elements: { type: 'string' },
      sensors: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      candidates: { type: 'boolean' },
      'min-tracks': { type: 'string' },
      'force-model': { type: 'string' },
      propagator: { type: 'string' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const usage = (m: string) =>
    new CliError('USAGE', `hoshimi correlate: ${m} (see 'hoshimi correlate --help')`);
  if (values.obs === undefined || values.obs.length === 0) throw usage('--obs FILE is required');
  if ((values.db === undefined) === (values.elements === undefined))
    throw usage('give exactly one of --db PATH or --elements FILE');
  if (values['as-of'] !== undefined && values.db === undefined) throw usage('--as-of goes with --db');
  for (const k of ['min-tracks', 'force-model', 'propagator'] as const)
    if (values[k] !== undefined && values.candidates !== true) throw usage(`--${k} goes with --candidates`);
  const minTracks = values['min-tracks'] === undefined ? 2 : Number(values['min-tracks']);
  if (!Number.isInteger(minTracks) || minTracks < 2)
    throw usage(
      `--min-tracks: expected a whole number ≥ 2 (a candidate joins tracks), read '${values['min-tracks']}'`,
    );
  const propagator = values.propagator ?? 'numerical';
  if (propagator !== 'numerical' && propagator !== 'sgp4')
    throw usage(`--propagator: expected numerical or sgp4, read '${propagator}'`);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const ctx = loadCliContext({ leapSeconds: values['leap-seconds'], eop: values.eop, tolerant: true }, warn);
  const raw: Measurement[] = [];
  for (const file of values.obs) raw.push(...readObservations(readInputFile(file), ctx, warn).measurements);
  if (raw.length === 0) throw new CliError('OBS_EMPTY', `no measurements in ${values.obs.join(', ')}`);
  raw.sort((a, b) => a.epoch.compare(b.epoch));
  const stationFiles = (values.sensors ?? [defaultSensorsFile()]).map(readInputFile);
  const { stations, sensors } = loadStations(stationFiles, raw[0]!.epoch, ctx, warn);
  const unknown = [...new Set(raw.map((m) => m.station))].filter((s) => !stations.has(s));
  if (unknown.length > 0) {
    throw new CliError(
      'OD_UNKNOWN_STATION',
      `station ${unknown.join(', ')} of the observations is not in --sensors ${stationFiles.map((f) => f.file).join(', ')}`,
    );
  }
  const measurements = raw.map((m) => withSigmas(m, sensors.get(m.station)));
  const records = await loadElementRecords(
    {
      elements: values.elements,
      db: values.db,
      ...(values.db === undefined ? {} : { asOf: values['as-of'] ?? iso(raw[raw.length - 1]!.epoch, ctx) }),
    },
    ctx,
    warn,
  );
  const tracks = groupTracks(measurements);
  const result = correlateTracks(
    tracks,
    records.map((r) => r.elements),
    { ctx, stationGcrfAt: (name, t) => stationFrameAt(stations.get(name)!, t, ctx).rKm },
  );
  const rows = result.tracks.map((c) => {
    const ms = c.track.measurements;
    return {
      track: c.track.id,
      station: c.track.station,
      target: c.track.target,
      measurements: ms.length,
      start_utc: iso(ms[0]!.epoch, ctx),
      end_utc: iso(ms[ms.length - 1]!.epoch, ctx),
      assigned: c.assigned ?? null,
      reason: c.reason,
      best: c.best?.catalogNumber ?? null,
      chi2: c.best === undefined || !Number.isFinite(c.best.chi2) ? null : c.best.chi2,
      gate: c.gate,
      dof: c.dof,
      explanation: c.explanation,
    };
  });
  let report: CandidateReport | undefined;
  if (values.candidates === true) {
    const t0 = performance.now();
    report = uctCandidates({
      tracks: result.tracks.filter((c) => c.assigned === undefined).map((c) => c.track),
      ctx,
      stations,
      sensors,
      minTracks,
      forceModelFile: values['force-model'],
      propagator,
      iso: (t) => iso(t, ctx),
      warn,
    });
    warn(
      `correlate: ${result.uncorrelated} UCT tracks → ${report.candidates.length} candidate objects (${report.candidates.reduce((a, c) => a + c.tracks.length, 0)} tracks), ${report.single.length} single tracks, ${report.jointFits} joint fits, ${((performance.now() - t0) / 1000).toFixed(1)} s (${report.forces})`,
    );
  }
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          tracks: rows,
          assigned: result.assigned,
          uncorrelated: result.uncorrelated,
          ucts: result.ucts.map((g) => ({ target: g.target, tracks: g.tracks.map((t) => t.id) })),
          ...(report === undefined ? {} : { candidates: report.candidates, single: report.single }),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(
      `${'TRACK'.padEnd(34)} ${'N'.padStart(4)} ${'START (UTC)'.padEnd(24)} ${'ASSIGNED'.padEnd(9)} ${'REASON'.padEnd(12)} ${'χ²'.padStart(9)} ${'GATE'.padStart(7)}\n`,
    );
    for (const r of rows) {
      process.stdout.write(
        `${r.track.padEnd(34)} ${String(r.measurements).padStart(4)} ${r.start_utc.padEnd(24)} ${(r.assigned ?? 'UCT').padEnd(9)} ${r.reason.padEnd(12)} ${(r.chi2 === null ? '-' : r.chi2.toFixed(1)).padStart(9)} ${r.gate.toFixed(1).padStart(7)}\n`,
      );
    }
    if (report !== undefined) process.stdout.write(`\n${candidateText(report)}`);
  }
  warn(
    `correlate: ${tracks.length} tracks of ${measurements.length} measurements against ${records.length} objects: ${result.assigned} assigned, ${result.uncorrelated} uncorrelated in ${result.ucts.length} groups, ${result.scored} exact scores, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}
