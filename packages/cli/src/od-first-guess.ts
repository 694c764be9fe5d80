/**
 * The first guess of `hoshimi od` and what the command derives from its fits: the state of an
 * --initial file (CPF, OPM, OEM or element set), initial orbit determination track by track, the
 * arc growth from one track to the whole data, and SGP4 mean elements of a numerical orbit. The
 * methods are astro's (iodFromMeasurements, fitNumericalOrbit, fitSgp4, fitSgp4ElementsToState);
 * this module chooses the data they get.
 */
import {
  type AstroContext,
  AstroError,
  cpfPositions,
  type ElementSet,
  type ForceModel,
  fitSgp4,
  fitSgp4ElementsToState,
  formatIssue,
  frameEpochAt,
  type GroundStation,
  type Instant,
  instantOfUtcLabel,
  iodFromMeasurements,
  type Measurement,
  makeState,
  opmState,
  parseCpf,
  parseElements,
  parseOpm,
  propagateNumerical,
  type State,
  sgp4TargetEphemeris,
  stationFrameAt,
  transform,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { oemStartObject } from './commands/propagate-numerical.js';
import { CliError } from './errors.js';
import type { InputFile } from './observation-files.js';

/** The first guess: a GCRF state at an epoch, and the element set it came from (if any). */
export interface FirstGuess {
  readonly epoch: Instant;
  readonly state: State<'GCRF'>;
  readonly elements?: ElementSet;
  readonly description: string;
  /** From initial orbit determination on one track: the fit grows its arc from that track. */
  readonly fromIod?: boolean;
}

export function stateOfElements(e: ElementSet, ctx: AstroContext): { epoch: Instant; state: State<'GCRF'> } {
  const epoch = instantOfUtcLabel(e.epoch, ctx);
  return { epoch, state: sgp4TargetEphemeris(e, ctx)(epoch) };
}

/** --initial: a CPF, an OPM, an OEM or an element-set file, told by content. */
export function firstGuessFromFile(
  input: InputFile,
  target: string,
  near: Instant,
  nearWhat: string,
  ctx: AstroContext,
  warn: (line: string) => void,
): FirstGuess {
  const head = input.text.replace(/^\uFEFF/, '').trimStart();
  if (/^CCSDS_OEM_VERS\b/.test(head)) {
    const start = oemStartObject(input.text, input.file, ctx, warn).initial();
    return { ...start, description: `the first state of the OEM ${input.file}` };
  }
  if (/^CCSDS_OPM_VERS\b/.test(head) || /<opm\b/i.test(head.slice(0, 500))) {
    const parsed = parseOpm(input.text, { file: input.file });
    if (!parsed.ok) throw new CliError('OPM_INVALID', parsed.issues.map(formatIssue).join('\n'));
    const v = opmState(parsed.value, ctx);
    const s = makeState(v.frame, [...v.position], [...v.velocity]);
    const state =
      v.frame === 'GCRF' ? (s as State<'GCRF'>) : transform(s, 'GCRF', frameEpochAt(v.epoch, ctx));
    return { epoch: v.epoch, state, description: `the OPM ${input.file}` };
  }
  if (/^(H1|h1)\s+CPF\b/.test(head)) {
    const parsed = parseCpf(input.text, { fileName: input.file });
    if (!parsed.ok) throw new CliError('CPF_INVALID', parsed.issues.map(formatIssue).join('\n'));
    const cpf = cpfPositions(parsed.value, ctx);
    if (cpf.referenceFrame !== 0) {
      throw new CliError(
        'INITIAL_UNSUPPORTED',
        `--initial ${input.file}: CPF reference frame ${cpf.referenceFrame}; only 0 (ITRF) is read`,
      );
    }
    // The CPF point nearest the wanted epoch; velocity from the file, else the derivative of the
    // Lagrange polynomial through up to 9 points around it (8th order: far below a metre per
    // second at CPF spacings of minutes, where a 2-point difference errs by metres per second).
    let k = 0;
    for (let i = 1; i < cpf.epochs.length; i++) {
      if (Math.abs(cpf.epochs[i]!.secondsSince(near)) < Math.abs(cpf.epochs[k]!.secondsSince(near))) k = i;
    }
    if (cpf.epochs.length < 2)
      throw new CliError('CPF_INVALID', `--initial ${input.file}: a CPF with one point gives no velocity`);
    const first = Math.max(0, Math.min(k - 4, cpf.epochs.length - 9));
    const nodes = cpf.epochs.slice(first, first + 9).map((t) => t.secondsSince(cpf.epochs[k]!));
    const kk = k - first;
    const weights = nodes.map((xj, j) => {
      if (j === kk) return nodes.reduce((acc, xm, m) => (m === kk ? acc : acc + 1 / (0 - xm)), 0);
      let w = 1 / (xj - 0);
      nodes.forEach((xm, m) => {
        if (m !== j && m !== kk) w *= (0 - xm) / (xj - xm);
      });
      return w;
    });
    const r = cpf.positionsKm[k]!;
    const v =
      cpf.velocitiesKmPerS?.[k] ??
      ([0, 1, 2].map((c) => weights.reduce((acc, w, j) => acc + w * cpf.positionsKm[first + j]![c]!, 0)) as [
        number,
        number,
        number,
      ]);
    const epoch = cpf.epochs[k]!;
    const state = transform(
      makeState('ITRF', [r[0], r[1], r[2]], [v[0], v[1], v[2]]),
      'GCRF',
      frameEpochAt(epoch, ctx),
    );
    return { epoch, state, description: `the CPF ${input.file} point nearest ${nearWhat}` };
  }
  const parsed = parseElements(input.text, { file: input.file });
  if (!parsed.ok) {
    throw new CliError(
      'INITIAL_INVALID',
      `--initial ${input.file}: not a CPF, an OEM nor an element-set file:\n${parsed.issues.map(formatIssue).join('\n')}`,
    );
  }
  const sets = parsed.value.records.map((r) => r.elements);
  const e = sets.find((s) => String(Number(s.catalogNumber)) === String(Number(target))) ?? sets[0];
  if (e === undefined)
    throw new CliError('INITIAL_INVALID', `--initial ${input.file}: no element set in the file`);
  if (sets.length > 1)
    warn(`note: --initial ${input.file}: using the element set of object ${e.catalogNumber}`);
  return {
    ...stateOfElements(e, ctx),
    elements: e,
    description: `the element set of ${e.catalogNumber} in ${input.file}`,
  };
}

/** Largest gap between two measurements of one track (one station's pass), s. */
const TRACK_GAP_S = 300;

/** The measurements split into tracks: one station, no gap above TRACK_GAP_S. */
export function tracksOf(ms: readonly Measurement[]): Measurement[][] {
  const open = new Map<string, Measurement[]>();
  const tracks: Measurement[][] = [];
  for (const m of ms) {
    const t = open.get(m.station);
    if (t !== undefined && m.epoch.secondsSince(t[t.length - 1]!.epoch) <= TRACK_GAP_S) t.push(m);
    else {
      const nt = [m];
      open.set(m.station, nt);
      tracks.push(nt);
    }
  }
  return tracks;
}

/**
 * Initial orbit determination on one track at a time, first track first: over a long arc the
 * two-body methods meet the perturbations (and Gibbs's coplanarity test fails), over one pass they
 * give the first guess least squares needs.
 */
export function firstGuessFromIod(
  ms: readonly Measurement[],
  stations: ReadonlyMap<string, GroundStation>,
  ctx: AstroContext,
  warn: (line: string) => void,
): FirstGuess {
  const frameOf = (name: string, t: Instant) => stationFrameAt(stations.get(name)!, t, ctx);
  const options = {
    stationFrameAt: (st: string, t: Instant) => {
      const e = frameOf(st, t).enuFromGcrf;
      return {
        eastUnit: [e[0]!, e[1]!, e[2]!] as [number, number, number],
        northUnit: [e[3]!, e[4]!, e[5]!] as [number, number, number],
        upUnit: [e[6]!, e[7]!, e[8]!] as [number, number, number],
      };
    },
  };
  const failures: string[] = [];
  for (const track of tracksOf(ms)) {
    let iod: ReturnType<typeof iodFromMeasurements>;
    try {
      iod = iodFromMeasurements(track, (st, t) => frameOf(st, t).rKm, options);
    } catch (err) {
      if (!(err instanceof AstroError)) throw err;
      failures.push(`${track[0]!.station} track of ${track.length}: [${err.code}] ${err.message}`);
      continue;
    }
    if (failures.length > 0)
      warn(`note: IOD failed on ${failures.length} earlier tracks (first: ${failures[0]})`);
    const s = makeState(iod.frame as 'GCRF' | 'EME2000', iod.positionKm, iod.velocityKmS);
    const state =
      iod.frame === 'GCRF' ? (s as State<'GCRF'>) : transform(s, 'GCRF', frameEpochAt(iod.epoch, ctx));
    return {
      epoch: iod.epoch,
      state,
      fromIod: true,
      description: `initial orbit determination on a ${track[0]!.station} track of ${track.length} measurements (${iod.method}: ${iod.note})`,
    };
  }
  throw new CliError(
    'OD_NO_FIRST_GUESS',
    `initial orbit determination failed on every track (${failures.slice(0, 3).join('; ')}); give --initial FILE (a CPF, an OPM, an OEM or an element set)`,
  );
}

/**
 * From a first guess that fits one track, the fit over the whole arc may not converge (a one-pass
 * IOD velocity is poor, and its error grows along the arc). The arc is grown instead: the
 * measurements within L of the first are fitted, L starting at the first track's length (at least
 * 10 min) and tripled each time, each fit starting from the previous one, until L covers the arc.
 */
export function growArc(
  ms: readonly Measurement[],
  start: State<'GCRF'>,
  fitOn: (subset: readonly Measurement[], start: State<'GCRF'>) => State<'GCRF'>,
  warn: (line: string) => void,
): State<'GCRF'> {
  const t0 = ms[0]!.epoch;
  const total = ms[ms.length - 1]!.epoch.secondsSince(t0);
  const first = tracksOf(ms)[0]!;
  let span = Math.max(ARC_GROWTH_MIN_S, first[first.length - 1]!.epoch.secondsSince(first[0]!.epoch));
  let state = start;
  let steps = 0;
  while (span < total) {
    const subset = ms.filter((m) => m.epoch.secondsSince(t0) <= span);
    try {
      state = fitOn(subset, state);
      steps++;
    } catch (e) {
      if (!(e instanceof AstroError)) throw e;
      warn(
        `note: the fit over the first ${(span / 60).toFixed(0)} min failed ([${e.code}] ${e.message}); going on with the whole arc`,
      );
      break;
    }
    span *= 3;
  }
  if (steps > 0) warn(`od: arc grown from the first track in ${steps} fits`);
  return state;
}

/** Shortest first arc of the arc growth, s. */
const ARC_GROWTH_MIN_S = 600;

/** An element set to fill with fitted mean elements: identity from the target, zero rates and B*. */
export function blankElements(label: string, epoch: ElementSet['epoch']): ElementSet {
  return {
    catalogNumber: /^\d{1,9}$/.test(label) ? String(Number(label)) : '99999',
    name: `HOSHIMI OD ${label}`,
    classification: 'U',
    epoch,
    meanMotionRadPerMin: 0,
    eccentricity: 0,
    inclinationRad: 0,
    raanRad: 0,
    argPerigeeRad: 0,
    meanAnomalyRad: 0,
    bstar: 0,
    meanMotionDotRevPerDay2: 0,
    meanMotionDdotRevPerDay3: 0,
    ephemerisType: 0,
    elementSetNumber: 1,
    revolutionNumber: 0,
  };
}

/** Most points of the estimated trajectory a mean-element set is fitted to (one a minute below it). */
const MEAN_FIT_MAX_POINTS = 500;

/**
 * The SGP4 mean elements that follow a numerical fit's trajectory over the measurement span, so
 * that the orbit enters the catalog as an element set like any other: the trajectory sampled once a
 * minute (at most MEAN_FIT_MAX_POINTS points), the single-state inverse SGP4 at the epoch as the
 * start, then astro's SGP4 differential correction to the positions and velocities (B* kept).
 * Undefined, with a note, when SGP4 cannot follow it.
 */
export function meanElementsOfTrajectory(
  state: State<'GCRF'>,
  epoch: Instant,
  ms: readonly Measurement[],
  forces: readonly ForceModel[],
  options: Parameters<typeof propagateNumerical>[3],
  template: ElementSet,
  ctx: AstroContext,
  warn: (line: string) => void,
): ElementSet | undefined {
  const t0 = Math.min(0, ms[0]!.epoch.secondsSince(epoch));
  const t1 = Math.max(0, ms[ms.length - 1]!.epoch.secondsSince(epoch));
  const n = Math.max(10, Math.min(MEAN_FIT_MAX_POINTS, Math.ceil((t1 - t0) / 60)));
  const times = Array.from({ length: n + 1 }, (_, i) => t0 + ((t1 - t0) * i) / n);
  const points: {
    epoch: Instant;
    frame: 'GCRF';
    rKm: [number, number, number];
    vKmS: [number, number, number];
  }[] = [];
  try {
    for (const grid of [times.filter((t) => t >= 0), times.filter((t) => t < 0).reverse()]) {
      if (grid.length === 0) continue;
      const p = propagateNumerical({ epoch, state }, forces, grid, options);
      grid.forEach((t, i) => {
        const s = p.states[i]!;
        points.push({ epoch: epoch.plusSeconds(t), frame: 'GCRF', rKm: [...s.rKm], vKmS: [...s.vKmS] });
      });
    }
    const teme = transform(state, 'TEME', frameEpochAt(epoch, ctx));
    const start = fitSgp4ElementsToState(teme.rKm, teme.vKmS, {
      ...template,
      epoch: utcLabelOfInstant(epoch, ctx),
    });
    if (!start.ok) {
      warn(`note: no SGP4 element set follows the fitted orbit (${start.reason}); only the state is stored`);
      return undefined;
    }
    const fit = fitSgp4({ initial: start.elements, points, context: ctx, fitBstar: false });
    warn(
      `od: SGP4 mean elements fitted to the estimated trajectory (${points.length} points): position RMS ${(fit.positionRmsKm * 1000).toFixed(1)} m`,
    );
    return fit.elements;
  } catch (e) {
    if (!(e instanceof AstroError)) throw e;
    warn(
      `note: no SGP4 element set follows the fitted orbit ([${e.code}] ${e.message}); only the state is stored`,
    );
    return undefined;
  }
}
