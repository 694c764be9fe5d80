/**
 * The first guess of `hoshimi od` and what the command derives from its fits: the state of an
 * --initial file (CPF, OPM, OEM or element set) told by content, and the command's notes around
 * astro's od/first-guess.ts (IOD track by track, arc growth, CPF state) and
 * od/mean-elements-fit.ts (SGP4 mean elements of a numerical orbit).
 */
import {
  type AstroContext,
  AstroError,
  cpfPositions,
  cpfStateNear,
  type ElementSet,
  type ForceModel,
  fitMeanElementsToTrajectory,
  formatIssue,
  frameEpochAt,
  type GroundStation,
  growArc as growArcFromFirstTrack,
  type Instant,
  iodTrackByTrack,
  type Measurement,
  makeState,
  opmState,
  parseCpf,
  parseElements,
  parseOpm,
  type propagateNumerical,
  type State,
  stateAtElementEpoch,
  transform,
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
  return stateAtElementEpoch(e, ctx);
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
    let at: ReturnType<typeof cpfStateNear>;
    try {
      at = cpfStateNear(cpfPositions(parsed.value, ctx), near, ctx);
    } catch (e) {
      if (!(e instanceof AstroError)) throw e;
      throw new CliError(
        e.code === 'CPF_FRAME_UNSUPPORTED' ? 'INITIAL_UNSUPPORTED' : 'CPF_INVALID',
        `--initial ${input.file}: ${e.message}`,
      );
    }
    const { epoch, state } = at;
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

/**
 * astro's initial orbit determination track by track (iodTrackByTrack), its failures on earlier
 * tracks told as a note.
 */
export function firstGuessFromIod(
  ms: readonly Measurement[],
  stations: ReadonlyMap<string, GroundStation>,
  ctx: AstroContext,
  warn: (line: string) => void,
): FirstGuess {
  let iod: ReturnType<typeof iodTrackByTrack>;
  try {
    iod = iodTrackByTrack(ms, stations, ctx);
  } catch (e) {
    if (!(e instanceof AstroError) || e.code !== 'OD_NO_FIRST_GUESS') throw e;
    throw new CliError(
      'OD_NO_FIRST_GUESS',
      `${e.message}; give --initial FILE (a CPF, an OPM, an OEM or an element set)`,
    );
  }
  if (iod.failures.length > 0)
    warn(`note: IOD failed on ${iod.failures.length} earlier tracks (first: ${iod.failures[0]})`);
  return {
    epoch: iod.epoch,
    state: iod.state,
    fromIod: true,
    description: `initial orbit determination on a ${iod.station} track of ${iod.trackSize} measurements (${iod.method}: ${iod.note})`,
  };
}

/** astro's arc growth (growArc), its progress told as notes. */
export function growArc(
  ms: readonly Measurement[],
  start: State<'GCRF'>,
  fitOn: (subset: readonly Measurement[], start: State<'GCRF'>) => State<'GCRF'>,
  warn: (line: string) => void,
): State<'GCRF'> {
  const grown = growArcFromFirstTrack(ms, start, fitOn);
  if (grown.stoppedBecause !== undefined) warn(`note: ${grown.stoppedBecause}; going on with the whole arc`);
  if (grown.fits > 0) warn(`od: arc grown from the first track in ${grown.fits} fits`);
  return grown.state;
}

/**
 * astro's SGP4 mean elements of a numerical trajectory (fitMeanElementsToTrajectory) over the
 * measurement span; undefined, with a note, when SGP4 cannot follow it.
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
  const fit = fitMeanElementsToTrajectory({
    epoch,
    state,
    forces,
    ...(options === undefined ? {} : { options }),
    fromS: ms[0]!.epoch.secondsSince(epoch),
    toS: ms[ms.length - 1]!.epoch.secondsSince(epoch),
    template,
    context: ctx,
  });
  if (!fit.ok) {
    warn(`note: no SGP4 element set follows the fitted orbit (${fit.reason}); only the state is stored`);
    return undefined;
  }
  warn(
    `od: SGP4 mean elements fitted to the estimated trajectory (${fit.points} points): position RMS ${(fit.positionRmsKm * 1000).toFixed(1)} m`,
  );
  return fit.elements;
}
