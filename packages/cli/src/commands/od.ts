/**
 * `hoshimi od`: orbit determination from observation files (CCSDS TDM, ILRS CRD normal points) by
 * astro's batch least squares: the numerical propagator (fitNumericalOrbit, optionally with C_D,
 * C_R and per-station range and angle biases) or SGP4 differential correction (fitSgp4). The
 * measurement model is astro's predictMeasurement (light time, station motion, troposphere) for
 * every kind; the first guess comes from IOD (iodFromMeasurements) or from --initial (CPF, OEM or
 * an element-set file). The command reads the files, wires these together, and prints the state,
 * its 6×6 covariance and the residual statistics; with --db it stores the result (and, for an
 * SGP4 fit, the fitted element set with source `hoshimi-od`).
 */
import {
  ANALYTIC_EPHEMERIS,
  blankElements,
  buildForceModel,
  centerOfMassCorrection,
  type ElementSet,
  type Ephemeris,
  type ForceModel,
  fitNumericalOrbit,
  fitSgp4,
  fitSgp4ElementsToState,
  formatIssue,
  formatOmmKvn,
  formatOpmKvn,
  formatTime,
  frameEpochAt,
  keplerTargetEphemeris,
  type LeastSquaresOptions,
  type LeastSquaresResult,
  type Measurement,
  type NumericalMeasurementModel,
  type OdForceParameter,
  type OdParameter,
  opmFromState,
  parseJplDe,
  predictMeasurement,
  propagateNumerical,
  residualStatisticsInReportUnits,
  type Sensor,
  type State,
  sgp4StateCovariance,
  sgp4TargetEphemeris,
  slrRangeModel,
  stateAndCovarianceIn,
  transform,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { type ImportInput, openSqliteStore, StoreError } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { CliError } from '../errors.js';
import { loadForceModel } from '../force-model-files.js';
import { openOutput, readInputBytes } from '../io.js';
import {
  instantArg,
  loadStations,
  type ObservationFormat,
  readInputFile,
  readObservations,
  withSigmas,
} from '../observation-files.js';
import {
  firstGuessFromFile,
  firstGuessFromIod,
  growArc,
  meanElementsOfTrajectory,
} from '../od-first-guess.js';
import { requireSqliteStore } from '../store-location.js';

export const OD_USAGE = `Usage: hoshimi od --obs FILE... --stations FILE... [--initial FILE] [--epoch ISO]
                 [--frame GCRF|EME2000] [--propagator numerical|sgp4]
                 [--estimate cd,cr,range-bias,angle-bias] [--force-model FILE]
                 [--edit-sigma K] [--range-sigma-m M] [--no-station-velocity]
                 [--ephemeris FILE] [--json]
                 [--out FILE] [--db PATH [--object N]]

Orbit determination by batch weighted least squares (Gauss–Newton with Levenberg–Marquardt
damping and a robust outlier editor) from the measurements of one object.
  --obs FILE           observations: CCSDS TDM (KVN or XML) or ILRS CRD normal points, told by
                       content; repeat the option for several files
  --stations FILE      where the stations are: a JSON array (the sensor-file format:
                       {name, lat_deg, lon_deg, alt_m} or ITRF {name, x_m, y_m, z_m}, plus
                       range_sigma_m, range_rate_sigma_m_s, angle_sigma_arcsec and biases), or
                       SINEX (positions, and an eccentricity file beside them); repeat for several.
                       A TDM carries no sigmas: they come from the stations file
  --initial FILE       first guess: an ILRS CPF, a CCSDS OPM, an OEM (its first state) or an
                       element-set file (TLE, 3LE, OMM, GP); default: initial orbit
                       determination on the first track that allows it (Gibbs/Herrick–Gibbs/
                       Lambert on positions, Gooding on angles), then a fit over a growing arc
  --epoch ISO          epoch of the estimated state (default: that of the first guess)
  --frame GCRF|EME2000 frame of the printed state and covariance (default GCRF)
  --propagator numerical|sgp4   numerical (DOP853 under --force-model; default) or an SGP4
                       differential correction (fits an element set, mean elements and B*)
  --estimate LIST      also estimate: cd (drag coefficient), cr (radiation pressure
                       coefficient), range-bias (one per station), angle-bias (two per station);
                       cd and cr with the numerical propagator; bstar with sgp4 (otherwise B* is
                       kept from the --initial element set, or 0: over an arc of hours it is
                       not observable)
  --force-model FILE   numerical force model (see 'hoshimi propagate --help'); default EGM96
                       20×20, Sun, Moon, drag from the element set's B* (no drag without one)
  --edit-sigma K       outlier editor threshold: from the second iteration a measurement whose
                       weighted residual exceeds K σ is rejected (default 3; Orekit's LAGEOS-2
                       set-up uses 6); 0 turns editing off
  --range-sigma-m M    one-sigma of every range measurement, m, in place of the CRD record's
                       precision or the stations file's range_sigma_m (Orekit's LAGEOS-2
                       set-up weighs all normal points alike at 20 m)
  --no-station-velocity  SLR: stations at their SINEX reference-epoch positions, without the
                       plate motion since (default: moved by the SINEX velocity to each time
                       tag; Orekit's LAGEOS-2 set-up leaves them at the reference epoch)
  --ephemeris FILE     a JPL DE binary file (e.g. linux_p1550p2650.430, or an excerpt) for the
                       Sun and the Moon: in the numerical force model and in the SLR range
                       model's solid tides and Shapiro delay (default: astro's analytic series)
  --json               the result as JSON: epoch_utc, frame, position_km, velocity_km_s,
                       covariance (6×6, km and km/s), iterations, rms (range m, range_rate m/s,
                       angles arcsec, and per station), rejected; with --estimate also
                       parameters (value, sigma, unit: biases in m and arcsec)
  --out FILE           numerical: the state and its covariance as a CCSDS OPM (KVN, in --frame);
                       sgp4: the fitted element set as a CCSDS OMM
  --db PATH            store the result in the catalog store (with its input files' SHA-256),
                       with an element set imported as an OMM with source hoshimi-od: the SGP4
                       fit's, or SGP4 mean elements fitted to the numerical orbit's trajectory
  --object N           catalog number to store it under (default: the measurements' target)
  --leap-seconds FILE, --eop FILE   time tables (default as 'hoshimi data status' shows)

The covariance is the least-squares covariance scaled by the a-posteriori variance factor when
that factor exceeds 1 (the residuals scatter more than the stated sigmas), else the formal one.
`;

const ESTIMATES = ['cd', 'cr', 'range-bias', 'angle-bias', 'bstar'] as const;
type Estimate = (typeof ESTIMATES)[number];

function usage(message: string): CliError {
  return new CliError('USAGE', `hoshimi od: ${message} (see 'hoshimi od --help')`);
}

/** Which troposphere model a measurement gets, as the simulation uses it. */
export function troposphereOf(
  m: Measurement,
  sensor: Sensor | undefined,
  format: ObservationFormat,
): 'none' | 'optical' | 'radio' {
  if (m.kind === 'right-ascension-declination') return 'none';
  const type = sensor?.type ?? (format === 'crd' || m.wavelengthNm !== undefined ? 'laser' : 'radar');
  return type === 'radar' ? 'radio' : type === 'laser' ? 'optical' : 'none';
}

/** The parameter names of the biases of one station. */
function biasNames(kind: Measurement['kind'], station: string): string[] {
  if (kind === 'range') return [`range-bias:${station}`];
  if (kind === 'azimuth-elevation') return [`angle-bias:${station}:az`, `angle-bias:${station}:el`];
  if (kind === 'right-ascension-declination')
    return [`angle-bias:${station}:ra`, `angle-bias:${station}:dec`];
  return [];
}

/** Report unit of an estimated parameter: biases in m and arcsec (kept in km and rad inside). */
function parameterUnit(name: string): { factor: number; unit: string } {
  if (name.startsWith('range-bias:')) return { factor: 1000, unit: 'm' };
  if (name.startsWith('angle-bias:')) return { factor: (180 * 3600) / Math.PI, unit: 'arcsec' };
  if (name === 'bstar') return { factor: 1, unit: '1/ER' };
  return { factor: 1, unit: '' };
}

/** Residual RMS in report units: per type (range m, range_rate m/s, angles arcsec) and per station. */
export function rmsReport(solution: LeastSquaresResult): Record<string, unknown> {
  const rep = residualStatisticsInReportUnits(solution.statisticsByKind, solution.statisticsByStation);
  const typeKey = (kind: string) =>
    kind === 'range-rate'
      ? 'range_rate'
      : kind === 'azimuth-elevation' || kind === 'right-ascension-declination'
        ? 'angles'
        : kind;
  const merge = (byKind: Record<string, { count: number; rms: number }>) => {
    const acc = new Map<string, { n: number; ss: number }>();
    for (const [kind, s] of Object.entries(byKind)) {
      const key = typeKey(kind);
      // Angle pairs: the RMS is over both components, so a record weighs two values.
      const w = s.count * (kind === 'azimuth-elevation' || kind === 'right-ascension-declination' ? 2 : 1);
      const a = acc.get(key) ?? { n: 0, ss: 0 };
      acc.set(key, { n: a.n + w, ss: a.ss + w * s.rms * s.rms });
    }
    return Object.fromEntries([...acc].map(([k, a]) => [k, a.n === 0 ? null : Math.sqrt(a.ss / a.n)]));
  };
  return {
    ...merge(rep.byKind),
    stations: Object.fromEntries(Object.entries(rep.byStation).map(([name, s]) => [name, merge(s.byKind)])),
  };
}

export async function odCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi od', OD_USAGE, {
    args: [...argv],
    options: {
      obs: { type: 'string', multiple: true },
      stations: { type: 'string', multiple: true },
      initial: { type: 'string' },
      epoch: { type: 'string' },
      frame: { type: 'string', default: 'GCRF' },
      propagator: { type: 'string', default: 'numerical' },
      estimate: { type: 'string' },
      'force-model': { type: 'string' },
      'edit-sigma': { type: 'string' },
      'range-sigma-m': { type: 'string' },
      'no-station-velocity': { type: 'boolean' },
      ephemeris: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      db: { type: 'string' },
      object: { type: 'string' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.db !== undefined) requireSqliteStore(values.db, 'hoshimi od --db', 'orbit determinations');
  if (values.obs === undefined || values.obs.length === 0) throw usage('--obs FILE is required');
  if (values.stations === undefined || values.stations.length === 0)
    throw usage('--stations FILE is required');
  const frame = values.frame.toUpperCase();
  if (frame !== 'GCRF' && frame !== 'EME2000')
    throw usage(`--frame: expected GCRF or EME2000, got ${JSON.stringify(values.frame)}`);
  const propagator = values.propagator.toLowerCase();
  if (propagator !== 'numerical' && propagator !== 'sgp4')
    throw usage(`--propagator: expected numerical or sgp4, got ${JSON.stringify(values.propagator)}`);
  const estimates = new Set<Estimate>();
  for (const part of (values.estimate ?? '').split(',').filter((p) => p.trim() !== '')) {
    const e = part.trim().toLowerCase() as Estimate;
    if (!ESTIMATES.includes(e))
      throw usage(
        `--estimate: expected a comma-separated list of ${ESTIMATES.join(', ')}, got ${JSON.stringify(part)}`,
      );
    estimates.add(e);
  }
  if (propagator === 'sgp4' && (estimates.has('cd') || estimates.has('cr')))
    throw usage('--estimate cd/cr goes with --propagator numerical (an SGP4 fit estimates B*)');
  if (propagator === 'numerical' && estimates.has('bstar'))
    throw usage('--estimate bstar goes with --propagator sgp4 (the numerical fit estimates cd)');
  if (propagator === 'sgp4' && values['force-model'] !== undefined)
    throw usage('--force-model goes with --propagator numerical');
  if (values.object !== undefined && values.db === undefined) throw usage('--object goes with --db');
  const editSigma = values['edit-sigma'] === undefined ? undefined : Number(values['edit-sigma']);
  if (
    editSigma !== undefined &&
    !(Number.isFinite(editSigma) && editSigma >= 0 && values['edit-sigma']!.trim() !== '')
  )
    throw usage(`--edit-sigma: expected a number of sigmas ≥ 0, got ${JSON.stringify(values['edit-sigma'])}`);
  if (values.object !== undefined && !/^\d{1,9}$/.test(values.object))
    throw usage(`--object: expected a catalog number, got ${JSON.stringify(values.object)}`);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  // The output is checked (and staged) before any work.
  const sink = values.out === undefined ? undefined : openOutput(values.out);
  try {
    const rangeSigmaM = values['range-sigma-m'] === undefined ? undefined : Number(values['range-sigma-m']);
    if (rangeSigmaM !== undefined && !(Number.isFinite(rangeSigmaM) && rangeSigmaM > 0))
      throw usage(
        `--range-sigma-m: expected a sigma > 0 in metres, got ${JSON.stringify(values['range-sigma-m'])}`,
      );
    const result = await run(values, frame, propagator, estimates, editSigma, rangeSigmaM, warn);
    const text = `${JSON.stringify(result.json, null, 2)}\n`;
    if (sink !== undefined) {
      await sink.write(result.file);
      await sink.close();
    }
    if (values.json) process.stdout.write(text);
    else process.stdout.write(result.summary);
    return 0;
  } catch (e) {
    sink?.abort();
    throw e;
  }
}

interface OdValues {
  readonly obs?: string[] | undefined;
  readonly stations?: string[] | undefined;
  readonly initial?: string | undefined;
  readonly epoch?: string | undefined;
  readonly 'force-model'?: string | undefined;
  readonly ephemeris?: string | undefined;
  readonly 'no-station-velocity'?: boolean | undefined;
  readonly db?: string | undefined;
  readonly object?: string | undefined;
  readonly 'leap-seconds'?: string | undefined;
  readonly eop?: string | undefined;
}

async function run(
  values: OdValues,
  frame: 'GCRF' | 'EME2000',
  propagator: 'numerical' | 'sgp4',
  estimates: ReadonlySet<Estimate>,
  editSigma: number | undefined,
  rangeSigmaM: number | undefined,
  warn: (line: string) => void,
): Promise<{ json: Record<string, unknown>; summary: string; file: string }> {
  const started = performance.now();
  const ctx = loadCliContext({ leapSeconds: values['leap-seconds'], eop: values.eop, tolerant: true }, warn);
  const obsFiles = values.obs!.map(readInputFile);
  let ephemeris: Ephemeris = ANALYTIC_EPHEMERIS;
  if (values.ephemeris !== undefined) {
    const parsed = parseJplDe(new Uint8Array(readInputBytes(values.ephemeris)), { file: values.ephemeris });
    if (!parsed.ok) throw new CliError('EPHEMERIS_INVALID', parsed.issues.map(formatIssue).join('\n'));
    ephemeris = parsed.value;
  }
  const stationFiles = values.stations!.map(readInputFile);
  const initialFile = values.initial === undefined ? undefined : readInputFile(values.initial);

  // Measurements of every file, each with its file's format.
  const formats = new Map<Measurement, ObservationFormat>();
  const ilrsIds = new Map<string, string>();
  let all: Measurement[] = [];
  for (const f of obsFiles) {
    const r = readObservations(f, ctx, warn);
    for (const m of r.measurements) formats.set(m, r.format);
    for (const [t, id] of r.ilrsIds) ilrsIds.set(t, id);
    all.push(...r.measurements);
  }
  if (all.length === 0) throw new CliError('OBS_EMPTY', `no measurements in ${values.obs!.join(', ')}`);
  const targets = [...new Set(all.map((m) => m.target))];
  if (targets.length > 1) {
    const wanted = values.object === undefined ? undefined : String(Number(values.object));
    const pick = targets.find((t) => wanted !== undefined && String(Number(t)) === wanted);
    if (pick === undefined) {
      throw new CliError(
        'OD_SEVERAL_TARGETS',
        `the observations are of ${targets.length} targets (${targets.slice(0, 10).join(', ')}); one orbit is fitted per run: keep one target's files${values.db === undefined ? '' : ', or choose it with --object'}`,
      );
    }
    all = all.filter((m) => m.target === pick);
  }
  all.sort((a, b) => a.epoch.compare(b.epoch));
  const target = all[0]!.target;

  const { stations, sensors } = loadStations(stationFiles, all[0]!.epoch, ctx, warn);
  const unknown = [...new Set(all.map((m) => m.station))].filter((s) => !stations.has(s));
  if (unknown.length > 0) {
    const first = all.find((m) => m.station === unknown[0])!;
    throw new CliError(
      'OD_UNKNOWN_STATION',
      `${first.source === undefined ? '' : `${first.source.file}:${first.source.line}: `}station ${unknown.join(', ')} is not in --stations ${values.stations!.join(', ')} (it has ${[...stations.keys()].slice(0, 20).join(', ')})`,
    );
  }
  const ms = all.map((m) => {
    const given =
      rangeSigmaM !== undefined && m.kind === 'range' ? { ...m, sigmas: [rangeSigmaM / 1000] } : m;
    const filled = withSigmas(given, sensors.get(m.station));
    formats.set(filled, formats.get(m)!);
    return filled;
  });

  // First guess and the epoch of the estimate.
  const guess =
    initialFile === undefined
      ? firstGuessFromIod(ms, stations, ctx, warn)
      : firstGuessFromFile(
          initialFile,
          target,
          values.epoch === undefined ? ms[0]!.epoch : instantArg(values.epoch, '--epoch', ctx),
          values.epoch === undefined ? 'the first measurement' : '--epoch',
          ctx,
          warn,
        );
  const epoch = values.epoch === undefined ? guess.epoch : instantArg(values.epoch, '--epoch', ctx);
  warn(
    `od: ${ms.length} measurements of ${target} from ${new Set(ms.map((m) => m.station)).size} stations; first guess from ${guess.description}`,
  );

  // Parameters beyond the state.
  const measurementParameters: OdParameter[] = [];
  for (const e of ['range-bias', 'angle-bias'] as const) {
    if (!estimates.has(e)) continue;
    const names = new Set<string>();
    for (const m of ms) for (const n of biasNames(m.kind, m.station)) if (n.startsWith(e)) names.add(n);
    if (names.size === 0)
      throw usage(
        `--estimate ${e}: the observations hold no ${e === 'range-bias' ? 'range' : 'angle'} measurements`,
      );
    for (const name of names) measurementParameters.push({ name, value: 0 });
  }

  // CRD normal points: astro's SLR range model (two-way light time, Mendes–Pavlis troposphere,
  // Shapiro delay, solid-tide station displacement, the satellite's nominal centre-of-mass
  // correction); everything else: predictMeasurement.
  const ilrsId = ilrsIds.get(target);
  const com = ilrsId === undefined ? undefined : centerOfMassCorrection(ilrsId);
  if (ilrsId !== undefined)
    warn(
      `od: SLR range model${com === undefined ? ` without a centre-of-mass correction (none known for ILRS id ${ilrsId})` : ` with the ${com.name} centre-of-mass correction ${(com.correctionKm * 1e3).toFixed(3)} m`}`,
    );
  const slr = slrRangeModel({
    context: ctx,
    stations,
    ephemeris,
    stationVelocity: values['no-station-velocity'] !== true,
    ...(com === undefined ? {} : { centerOfMassKm: com.correctionKm }),
  });
  const model: NumericalMeasurementModel = (m, state, t, params) => {
    if (m.kind === 'range' && formats.get(m) === 'crd') return slr(m, state, t, params);
    const station = stations.get(m.station)!;
    const sensor = sensors.get(m.station);
    const p = predictMeasurement(m.kind, station, keplerTargetEphemeris(state.rKm, state.vKmS, t), m.epoch, {
      ctx,
      path: m.path,
      timeTag: m.timeTag,
      troposphere: troposphereOf(m, sensor, formats.get(m) ?? 'tdm'),
      ...(m.meteo === undefined ? {} : { meteo: m.meteo }),
      ...(m.wavelengthNm === undefined ? {} : { wavelengthNm: m.wavelengthNm }),
      ...(m.frame === 'EME2000' ? { frame: 'EME2000' as const } : {}),
    });
    const valuesOut = [...p.values];
    const dParameters: Record<string, number[]> = {};
    biasNames(m.kind, m.station).forEach((name, i) => {
      const b = params[name];
      if (b === undefined) return;
      valuesOut[i] = valuesOut[i]! + b;
      dParameters[name] = valuesOut.map((_, k) => (k === i ? 1 : 0));
    });
    return { values: valuesOut, dState: p.partials.flat(), dParameters };
  };

  // --edit-sigma: the outlier editor's threshold (0: no editing); default astro's (3σ).
  const leastSquares: LeastSquaresOptions =
    editSigma === undefined ? {} : editSigma === 0 ? { editing: false } : { editing: { k: editSigma } };
  let state!: State<'GCRF'>;
  let covariance!: Float64Array;
  let solution!: LeastSquaresResult;
  // SGP4 from a state without element set: a numerical fit first gives the state the mean
  // elements are started from (SGP4 started from a one-track IOD state may not even run).
  let sgp4Guess = guess;
  let fittedElements: ElementSet | undefined;
  // The element set stored with --db: the SGP4 fit's, or mean elements of the numerical orbit.
  let storedElements: ElementSet | undefined;
  const parameters: { name: string; value: number; sigma: number }[] = [];
  let forceNote = '';
  if (propagator === 'numerical' || guess.elements === undefined) {
    const loaded = loadForceModel(values['force-model'], epoch);
    let spec = loaded.spec;
    const bstar = guess.elements?.bstar;
    if (spec.drag?.ballistic.kind === 'from-bstar' && bstar === undefined) {
      if (values['force-model'] !== undefined)
        throw new CliError(
          'USAGE',
          `--force-model ${values['force-model']}: drag from B* needs an element set as --initial; give drag.area_to_mass_m2_kg`,
        );
      warn(
        'note: no element set, so no B*: drag is left out (give --force-model with drag.area_to_mass_m2_kg)',
      );
      spec = { ...spec, drag: undefined };
    }
    if (estimates.has('cd') && spec.drag === undefined)
      throw usage('--estimate cd needs drag in the force model');
    if (estimates.has('cd') && spec.drag?.ballistic.kind === 'from-bstar')
      throw usage(
        '--estimate cd needs drag.area_to_mass_m2_kg in --force-model (with B* the drag coefficient only scales A/m)',
      );
    if (estimates.has('cr') && spec.srp === undefined)
      throw usage('--estimate cr needs srp in --force-model');
    const resources = {
      field: loaded.field,
      context: ctx,
      ...(loaded.msisCoefficients === undefined ? {} : { msisCoefficients: loaded.msisCoefficients }),
      ...(loaded.spaceWeather === undefined ? {} : { spaceWeather: loaded.spaceWeather }),
      ...(bstar === undefined ? {} : { bstar }),
    };
    const build = (params: Readonly<Record<string, number>>) =>
      buildForceModel(
        {
          ...spec,
          drag: spec.drag === undefined ? undefined : { ...spec.drag, cd: params['cd'] ?? spec.drag.cd },
          srp: spec.srp === undefined ? undefined : { ...spec.srp, cr: params['cr'] ?? spec.srp.cr },
        },
        resources,
      );
    const built = build({});
    // --ephemeris: the Sun and the Moon of the third-body forces from the JPL file.
    const nominal =
      values.ephemeris === undefined ? built : { ...built, options: { ...built.options, ephemeris } };
    forceNote = nominal.description.join('; ');
    for (const n of nominal.notes) warn(`note: ${n}`);
    const forceParameters: OdForceParameter[] = [];
    if (estimates.has('cd') && spec.drag !== undefined)
      forceParameters.push({ name: 'cd', value: spec.drag.cd });
    if (estimates.has('cr') && spec.srp !== undefined)
      forceParameters.push({ name: 'cr', value: spec.srp.cr });
    // The first guess moved to the estimate's epoch under the same forces.
    let initialState = guess.state;
    const shift = epoch.secondsSince(guess.epoch);
    if (Math.abs(shift) > 1e-6) {
      const p = propagateNumerical({ epoch: guess.epoch, state: guess.state }, nominal.forces, [shift], {
        ...nominal.options,
      });
      initialState = p.states[0]!;
    }
    const fitOn = (subset: readonly Measurement[], start: State<'GCRF'>, withParameters: boolean) =>
      fitNumericalOrbit({
        epoch,
        initialState: start,
        measurements: subset,
        forceModels:
          withParameters && forceParameters.length > 0
            ? (params: Readonly<Record<string, number>>): readonly ForceModel[] => build(params).forces
            : nominal.forces,
        ...(withParameters ? { forceParameters, measurementParameters } : {}),
        measurementModel: model,
        options: { propagation: nominal.options, leastSquares },
      });
    if (guess.fromIod)
      initialState = growArc(ms, initialState, (subset, start) => fitOn(subset, start, false).state, warn);
    const fit = fitOn(ms, initialState, propagator === 'numerical');
    if (propagator === 'sgp4') {
      sgp4Guess = { epoch, state: fit.state, description: `${guess.description}, refined numerically` };
    } else {
      state = fit.state;
      solution = fit.solution;
      if (values.db !== undefined)
        storedElements = meanElementsOfTrajectory(
          fit.state,
          epoch,
          ms,
          nominal.forces,
          nominal.options,
          guess.elements ?? blankElements(values.object ?? target, utcLabelOfInstant(epoch, ctx)),
          ctx,
          warn,
        );
      covariance = solution.varianceFactor > 1 ? fit.scaledCovariance : fit.covariance;
      for (const [name, value] of Object.entries(fit.parameters)) {
        const k = solution.parameterNames.indexOf(name);
        const s = solution.sigmas[k]!;
        parameters.push({
          name,
          value,
          sigma: solution.varianceFactor > 1 ? s * Math.sqrt(solution.varianceFactor) : s,
        });
      }
    }
  }
  if (propagator === 'sgp4') {
    const guess = sgp4Guess;
    // SGP4: the first guess as an element set at the epoch.
    let initial = guess.elements;
    const epochLabel = utcLabelOfInstant(epoch, ctx);
    if (initial === undefined || Math.abs(epoch.secondsSince(guess.epoch)) > 1e-6) {
      const at =
        initial === undefined
          ? keplerTargetEphemeris(guess.state.rKm, guess.state.vKmS, guess.epoch)(epoch)
          : sgp4TargetEphemeris(initial, ctx)(epoch);
      const teme = transform(at, 'TEME', frameEpochAt(epoch, ctx));
      const template = initial ?? blankElements(values.object ?? target, epochLabel);
      const r = fitSgp4ElementsToState(teme.rKm, teme.vKmS, { ...template, epoch: epochLabel });
      if (!r.ok)
        throw new CliError('OD_NO_FIRST_GUESS', `the first guess gives no SGP4 element set (${r.reason})`);
      initial = r.elements;
    }
    const fit = fitSgp4({
      initial,
      measurements: ms,
      measurementModel: model,
      measurementParameters,
      context: ctx,
      fitBstar: estimates.has('bstar'),
      leastSquares,
    });
    solution = fit.solution;
    fittedElements = fit.elements;
    storedElements = fit.elements;
    const n = solution.parameterNames.length;
    const cov = solution.varianceFactor > 1 ? solution.scaledCovariance : solution.covariance;
    const mapped = sgp4StateCovariance(fit.elements, cov, n, ctx);
    state = mapped.state;
    covariance = mapped.covariance;
    for (const [name, value] of Object.entries(fit.parameters)) {
      const k = solution.parameterNames.indexOf(name);
      const s = solution.sigmas[k]!;
      parameters.push({
        name,
        value,
        sigma: solution.varianceFactor > 1 ? s * Math.sqrt(solution.varianceFactor) : s,
      });
    }
    const kb = solution.parameterNames.indexOf('bstar');
    if (kb >= 0)
      parameters.push({ name: 'bstar', value: fit.elements.bstar, sigma: Math.sqrt(cov[kb * n + kb]!) });
    forceNote = 'SGP4';
  }

  const inFrame = stateAndCovarianceIn(frame, epoch, state, covariance, ctx);
  const out = { r: inFrame.positionKm, v: inFrame.velocityKmS, cov: inFrame.covariance };
  const epochUtc = `${formatTime(epoch, ctx, { decimals: 6 })}Z`.replace(/ZZ$/, 'Z');
  const rms = rmsReport(solution);
  const json: Record<string, unknown> = {
    epoch_utc: epochUtc,
    frame,
    position_km: out.r,
    velocity_km_s: out.v,
    covariance: [0, 1, 2, 3, 4, 5].map((i) => Array.from(out.cov.subarray(6 * i, 6 * i + 6))),
    iterations: solution.iterations,
    rms,
    rejected: solution.rejectedCount,
    ...(parameters.length === 0
      ? {}
      : {
          parameters: Object.fromEntries(
            parameters.map((p) => {
              const u = parameterUnit(p.name);
              return [p.name, { value: p.value * u.factor, sigma: p.sigma * u.factor, unit: u.unit }];
            }),
          ),
        }),
  };
  if (!solution.converged)
    warn(`warning: the fit did not converge in ${solution.iterations} iterations (${solution.convergence})`);

  const ommOptions = {
    creationDate: new Date().toISOString().slice(0, 19),
    originator: 'HOSHIMI',
    digits: 'full' as const,
    comments: [`Fitted by hoshimi od to ${ms.length} measurements (${solution.rejectedCount} rejected)`],
  };
  const omm = fittedElements === undefined ? undefined : formatOmmKvn([fittedElements], ommOptions);
  // Numerical: the state and its covariance as an OPM (symmetrised: the products leave round-off).
  const sym = Array.from(out.cov, (x, k) => 0.5 * (x + out.cov[(k % 6) * 6 + Math.floor(k / 6)]!));
  const opm =
    fittedElements !== undefined
      ? undefined
      : formatOpmKvn(
          opmFromState(
            {
              epoch,
              frame,
              positionKm: [out.r[0]!, out.r[1]!, out.r[2]!],
              velocityKmS: [out.v[0]!, out.v[1]!, out.v[2]!],
              covariance6x6: sym,
              objectName: `HOSHIMI OD ${target}`,
              objectId: target,
              header: {
                creationDate: ommOptions.creationDate,
                originator: 'HOSHIMI',
                comments: ommOptions.comments,
              },
            },
            ctx,
          ),
        );
  if (values.db !== undefined) {
    const catalogNumber =
      values.object !== undefined
        ? String(Number(values.object))
        : /^\d{1,9}$/.test(target)
          ? String(Number(target))
          : null;
    const store = await openSqliteStore(values.db);
    try {
      const record = {
        catalogNumber,
        epochUtc,
        frame,
        positionKm: [out.r[0]!, out.r[1]!, out.r[2]!] as [number, number, number],
        velocityKmS: [out.v[0]!, out.v[1]!, out.v[2]!] as [number, number, number],
        covariance: Array.from(out.cov),
        parameters,
        propagator,
        iterations: solution.iterations,
        measurements: ms.length - solution.rejectedCount,
        rejected: solution.rejectedCount,
        rms,
        inputs: [...obsFiles, ...stationFiles, ...(initialFile === undefined ? [] : [initialFile])].map(
          (f) => ({
            file: f.file,
            sha256: f.sha256,
          }),
        ),
        elementSetId: null,
      };
      let elementSetFile: ImportInput | undefined;
      if (storedElements !== undefined) {
        if (catalogNumber === null)
          throw new CliError(
            'USAGE',
            `--db: the target ${target} is not a catalog number: give --object N to store the element set`,
          );
        const named = { ...storedElements, catalogNumber };
        elementSetFile = {
          name: `hoshimi od ${values.obs!.join(' ')}`,
          bytes: new TextEncoder().encode(formatOmmKvn([named], ommOptions)),
          source: 'hoshimi-od',
        };
      }
      // One transaction: the element set and the record are stored together or not at all.
      let saved: Awaited<ReturnType<typeof store.saveOrbitDetermination>>;
      try {
        saved = await store.saveOrbitDetermination(
          record,
          elementSetFile === undefined ? {} : { elementSetFile },
        );
      } catch (e) {
        if (e instanceof StoreError && e.code === 'STORE_IMPORT_FAILED')
          throw new CliError('STORE_IMPORT', `--db: the fitted element set was refused: ${e.message}`);
        throw e;
      }
      const elementSetId = saved.elementSetId;
      warn(
        `od: stored as orbit determination ${saved.id}${elementSetId === null ? '' : ` with element set ${elementSetId} (source hoshimi-od)`} in ${values.db}`,
      );
    } finally {
      await store.close();
    }
  }

  const sig = (i: number) => Math.sqrt(out.cov[7 * i]!);
  const fmtRms = (r: Record<string, unknown>) =>
    Object.entries(r)
      .filter(([k]) => k !== 'stations')
      .map(
        ([k, v]) =>
          `${k} ${v === null ? '-' : (v as number).toFixed(k === 'range_rate' ? 4 : 3)} ${k === 'range' ? 'm' : k === 'range_rate' ? 'm/s' : k === 'angles' ? '″' : 'm'}`,
      )
      .join(', ');
  const lines = [
    `epoch       ${epochUtc} (${frame})`,
    `position    ${out.r.map((x) => x.toFixed(6).padStart(16)).join(' ')} km   σ ${[0, 1, 2].map((i) => (sig(i) * 1000).toFixed(3)).join(' ')} m`,
    `velocity    ${out.v.map((x) => x.toFixed(9).padStart(16)).join(' ')} km/s σ ${[3, 4, 5].map((i) => (sig(i) * 1e6).toFixed(3)).join(' ')} mm/s`,
    ...parameters.map((p) => {
      const u = parameterUnit(p.name);
      return `${p.name.padEnd(11)} ${(p.value * u.factor).toPrecision(6)} ± ${(p.sigma * u.factor).toPrecision(3)}${u.unit === '' ? '' : ` ${u.unit}`}`;
    }),
    `fit         ${propagator} (${forceNote}), ${solution.iterations} iterations, ${solution.convergence}, ${ms.length - solution.rejectedCount} used, ${solution.rejectedCount} rejected, variance factor ${solution.varianceFactor.toFixed(3)}`,
    `rms         ${fmtRms(rms)}`,
    ...Object.entries(rms['stations'] as Record<string, Record<string, unknown>>).map(
      ([name, r]) => `  ${name.padEnd(22)} ${fmtRms(r)}`,
    ),
  ];
  warn(`od: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { json, summary: `${lines.join('\n')}\n`, file: omm ?? opm ?? '' };
}
