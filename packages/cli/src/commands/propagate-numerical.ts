/**
 * `hoshimi propagate --propagator numerical`: each element set's SGP4 state at its epoch (TEME →
 * GCRF) propagated by astro's DOP853 Cowell propagator under a force model (force-model-files.ts),
 * written on the same time grid and in the same frames and formats as the SGP4 path. With
 * `--covariance` the 6×6 covariance (RTN standard deviations at the epoch) is propagated with the
 * state transition matrix and, in OEM output, written as COVARIANCE blocks in RTN.
 *
 * Grid times are UTC labels; each becomes an instant with the leap-second table, so the numerical
 * time since the epoch counts real SI seconds (a leap second inside the span is counted). Grid
 * times before the epoch are propagated backwards in a second run.
 */
import {
  type AstroContext,
  AstroError,
  applyFrameTransform,
  buildForceModel,
  covarianceInertialToRtn,
  covarianceRtnToInertial,
  type FrameEpochInfo,
  formatIssue,
  frameEpochAt,
  frameTransform,
  type Instant,
  initialStateFromElements,
  instantOfUtcLabel,
  makeState,
  type NumericalInitialState,
  newFrameTransform,
  type OemCovariance,
  parseOemKvn,
  propagateCovariance,
  propagateNumerical,
  type SampleFrameConverter,
  type State,
  transform,
  type UtcJulianDate,
  utcLabelAfterEpoch,
} from '@hoshimi/astro';
import type { SourcedElementSet } from '../element-source.js';
import { CliError } from '../errors.js';
import type { LoadedForceModel } from '../force-model-files.js';
import type { openOutput } from '../io.js';
import { ProgressBar } from '../progress.js';
import type { ObjectMeta, Sample, Writer } from '../writers.js';

/** What the numerical path needs of the command's grid. */
export interface NumericalGrid {
  /** Minutes from each element epoch (relative) or from `start` (absolute). */
  readonly gridMin: Float64Array;
  /** Absolute grid: the UTC labels, shared by all objects. */
  readonly labels?: readonly UtcJulianDate[];
}

/** One object to propagate: an element set, or a state read from an OEM (`--state`). */
export interface NumericalObject {
  readonly id: string;
  readonly name: string | undefined;
  readonly intlDesignator: string | undefined;
  /** Epoch as a UTC label (grid minutes count from it). */
  readonly epochLabel: UtcJulianDate;
  /** Where the object came from, for refusals. */
  readonly origin: string;
  /** What the start is, for the OEM comment. */
  readonly startDescription: string;
  /** The GCRF state at the epoch (may throw the tables' AstroErrors). */
  readonly initial: () => NumericalInitialState;
  readonly bstar: number | undefined;
  /** Covariance of the initial state in GCRF (36 values), from the input file. */
  readonly covarianceGcrf?: (initial: NumericalInitialState) => Float64Array;
}

/** The objects of element sets: SGP4 at the epoch, TEME → GCRF. */
export function elementObjects(records: readonly SourcedElementSet[], ctx: AstroContext): NumericalObject[] {
  return records.map((r) => ({
    id: r.elements.catalogNumber,
    name: r.elements.name,
    intlDesignator: r.elements.intlDesignator,
    epochLabel: r.elements.epoch,
    origin: r.origin,
    startDescription: `its SGP4 state at the element epoch`,
    initial: () => initialStateFromElements(r.elements, ctx),
    bstar: r.elements.bstar,
  }));
}

export interface NumericalRunInput {
  readonly objects: readonly NumericalObject[];
  readonly grid: NumericalGrid;
  readonly converter: SampleFrameConverter;
  readonly writer: Writer;
  readonly sink: ReturnType<typeof openOutput>;
  readonly ctx: AstroContext;
  readonly model: LoadedForceModel;
  /** RTN covariance at each epoch (36 values, km², km²/s, km²/s²) from --covariance, or undefined. */
  readonly covarianceRtn: Float64Array | undefined;
  readonly labelIso: (label: UtcJulianDate) => string;
  readonly warn: (line: string) => void;
  /** Called with the frame epoch of every output time (for the closing table warnings). */
  readonly onFrame?: (label: UtcJulianDate, info: FrameEpochInfo) => void;
}

export interface NumericalRunSummary {
  readonly refused: number;
  readonly steps: number;
  readonly evaluations: number;
  /** Objects whose drag used predicted space weather. */
  readonly predictedSpaceWeather: readonly string[];
}

/** Runs every record; a record the propagator or the tables cannot serve is refused with a warning. */
export async function runNumerical(input: NumericalRunInput): Promise<NumericalRunSummary> {
  const { objects, grid, converter, writer, sink, ctx, model, warn } = input;
  const m = grid.gridMin.length;
  const samples: Sample[] = Array.from({ length: m }, () => ({
    tsinceMin: 0,
    timeUtc: '',
    a: 0,
    b: 0,
    c: 0,
    vx: 0,
    vy: 0,
    vz: 0,
    status: 0,
  }));
  const toTeme = newFrameTransform();
  const rBuf: [number, number, number] = [0, 0, 0];
  const vBuf: [number, number, number] = [0, 0, 0];
  const out = new Float64Array(6);
  const progress = new ProgressBar('propagate', objects.length);
  const notesSeen = new Set<string>();
  let refused = 0;
  let steps = 0;
  let evaluations = 0;
  const predictedSpaceWeather: string[] = [];
  try {
    await sink.write(writer.begin());
    for (const object of objects) {
      progress.tick();
      const epochLabel = object.epochLabel;
      try {
        const initial = object.initial();
        const built = buildForceModel(model.spec, {
          field: model.field,
          context: ctx,
          ...(model.msisCoefficients === undefined ? {} : { msisCoefficients: model.msisCoefficients }),
          ...(model.spaceWeather === undefined ? {} : { spaceWeather: model.spaceWeather }),
          ...(object.bstar === undefined ? {} : { bstar: object.bstar }),
        });
        for (const note of built.notes) {
          const line = `note: object ${object.id}: ${note}`;
          if (!notesSeen.has(line)) warn(line);
          notesSeen.add(line);
        }
        // Grid labels, their instants and times since the epoch (SI seconds).
        const labels: UtcJulianDate[] = [];
        const instants: Instant[] = [];
        const tS = new Float64Array(m);
        const offsetMin =
          grid.labels === undefined ? 0 : minutesBetween(epochLabel, grid.labels[0]!) - grid.gridMin[0]!;
        for (let k = 0; k < m; k++) {
          const label = grid.labels?.[k] ?? utcLabelAfterEpoch(epochLabel, grid.gridMin[k]!);
          labels.push(label);
          const t = instantOfUtcLabel(label, ctx);
          instants.push(t);
          tS[k] = t.secondsSince(initial.epoch);
          const s = samples[k]!;
          s.tsinceMin = grid.gridMin[k]! + offsetMin;
          s.timeUtc = input.labelIso(label);
        }
        const p0 =
          input.covarianceRtn !== undefined
            ? covarianceRtnToInertial(initial.state, input.covarianceRtn)
            : object.covarianceGcrf?.(initial);
        const withStm = p0 !== undefined;
        const states: State<'GCRF'>[] = new Array(m);
        const stms: Float64Array[] = new Array(m);
        // Backward part (t ≤ 0, nearest first) and forward part (t > 0).
        const back: number[] = [];
        const fwd: number[] = [];
        for (let k = 0; k < m; k++) (tS[k]! <= 0 ? back : fwd).push(k);
        back.reverse();
        for (const part of [back, fwd]) {
          if (part.length === 0) continue;
          const run = propagateNumerical(
            initial,
            built.forces,
            part.map((k) => tS[k]!),
            { ...built.options, stm: withStm, keepDense: false },
          );
          steps += run.stats.accepted;
          evaluations += run.stats.evaluations;
          part.forEach((k, j) => {
            states[k] = run.states[j]!;
            if (withStm) stms[k] = run.stm![j]!;
          });
        }
        const covariances: OemCovariance[] = [];
        for (let k = 0; k < m; k++) {
          const st = states[k]!;
          const fe = frameEpochAt(instants[k]!, ctx);
          input.onFrame?.(labels[k]!, fe);
          frameTransform('GCRF', 'TEME', fe, toTeme);
          applyFrameTransform(toTeme, st.rKm, st.vKmS, rBuf, vBuf);
          const prepared = converter.prepare(labels[k]!);
          converter.convert(prepared, rBuf[0], rBuf[1], rBuf[2], vBuf[0], vBuf[1], vBuf[2], out);
          const s = samples[k]!;
          s.a = out[0]!;
          s.b = out[1]!;
          s.c = out[2]!;
          s.vx = out[3]!;
          s.vy = out[4]!;
          s.vz = out[5]!;
          s.status = 0;
          if (p0 !== undefined) {
            const p = propagateCovariance(stms[k]!, p0);
            covariances.push({
              epoch: s.timeUtc.replace(/Z$/, ''),
              refFrame: 'RTN',
              matrix: covarianceInertialToRtn(st, p),
            });
          }
        }
        const meta: ObjectMeta = {
          id: object.id,
          name: object.name,
          intlDesignator: object.intlDesignator,
          epochUtc: input.labelIso(epochLabel),
          comments: [
            `Numerical (DOP853 Cowell) ephemeris of object ${object.id} from ${object.startDescription} ${input.labelIso(epochLabel)}`,
            ...built.description,
          ],
          ...(covariances.length > 0 ? { covariances } : {}),
        };
        if (built.usage.spaceWeatherPredicted) predictedSpaceWeather.push(object.id);
        await sink.write(writer.object(meta, samples));
      } catch (err) {
        if (!(err instanceof AstroError)) throw err;
        refused++;
        warn(`refused: ${object.origin}: object ${object.id}: [${err.code}] ${err.message}`);
      }
    }
    await sink.write(writer.end());
  } finally {
    progress.finish();
  }
  return { refused, steps, evaluations, predictedSpaceWeather };
}

/** Minutes of UTC labels from `a` to `b`. */
function minutesBetween(a: UtcJulianDate, b: UtcJulianDate): number {
  return (b.jd - a.jd + (b.jdFrac - a.jdFrac)) * 1440;
}

/** COV_REF_FRAME names of the RTN frame (CCSDS 502.0-B-2 Annex A: RSW, RTN; RIC in practice). */
const RTN_NAMES = new Set(['RTN', 'RSW', 'RIC']);

/**
 * The object of `--state FILE`: the first state of the first segment of a CCSDS OEM (KVN), in
 * GCRF, EME2000, TEME or ITRF, TIME_SYSTEM UTC; with the segment's first covariance when its EPOCH
 * is that state's (COV_REF_FRAME RTN/RSW/RIC, or an inertial REF_FRAME: GCRF, EME2000 or TEME).
 */
export function oemStartObject(
  text: string,
  path: string,
  ctx: AstroContext,
  warn: (line: string) => void,
): NumericalObject {
  const parsed = parseOemKvn(text, { file: path });
  if (!parsed.ok) throw new CliError('INPUT_INVALID', parsed.issues.map(formatIssue).join('\n'));
  const seg = parsed.value.segments[0]!;
  const meta = seg.meta;
  const frame = meta.refFrame.trim().toUpperCase();
  const first = seg.states[0]!;
  if (meta.centerName.trim().toUpperCase() !== 'EARTH')
    throw new CliError(
      'INPUT_UNSUPPORTED',
      `--state ${path}: CENTER_NAME ${meta.centerName}: only EARTH is supported`,
    );
  if (frame !== 'GCRF' && frame !== 'EME2000' && frame !== 'TEME' && frame !== 'ITRF')
    throw new CliError(
      'INPUT_UNSUPPORTED',
      `--state ${path}: REF_FRAME ${meta.refFrame}: expected GCRF, EME2000, TEME or ITRF`,
    );
  if (first.epochUtc === undefined)
    throw new CliError(
      'INPUT_UNSUPPORTED',
      `--state ${path}: TIME_SYSTEM ${meta.timeSystem}: only UTC is supported`,
    );
  if (parsed.value.segments.length > 1 || seg.states.length > 1)
    warn(
      `note: --state ${path}: the first state (${first.epoch}) is the start; the rest of the file is not used`,
    );
  const label = first.epochUtc;
  const initial = (): NumericalInitialState => {
    const epoch = instantOfUtcLabel(label, ctx);
    const state = makeState(frame as 'GCRF' | 'EME2000' | 'TEME' | 'ITRF', [...first.r], [...first.v]);
    return { epoch, state: transform(state, 'GCRF', frameEpochAt(epoch, ctx)) };
  };
  const cov = seg.covariances.find((c) => c.epoch.trim() === first.epoch.trim());
  let covarianceGcrf: ((i: NumericalInitialState) => Float64Array) | undefined;
  if (cov !== undefined) {
    const covFrame = (cov.refFrame ?? meta.refFrame).trim().toUpperCase();
    if (RTN_NAMES.has(covFrame)) {
      covarianceGcrf = (i) => covarianceRtnToInertial(i.state, cov.matrix);
    } else if (covFrame === 'GCRF' || covFrame === 'EME2000' || covFrame === 'TEME') {
      covarianceGcrf = (i) => {
        // The rotation to GCRF of both 3×3 blocks (inertial frames: no ω × r term).
        const t = newFrameTransform();
        frameTransform(covFrame as 'GCRF' | 'EME2000' | 'TEME', 'GCRF', frameEpochAt(i.epoch, ctx), t);
        const r = new Float64Array(36);
        for (let a = 0; a < 3; a++)
          for (let b = 0; b < 3; b++) {
            const q = t.rotation[3 * a + b]!;
            r[6 * a + b] = q;
            r[6 * (a + 3) + b + 3] = q;
          }
        return propagateCovariance(r, cov.matrix);
      };
    } else {
      throw new CliError(
        'INPUT_UNSUPPORTED',
        `--state ${path}: COV_REF_FRAME ${covFrame}: expected RTN, RSW, RIC, GCRF, EME2000 or TEME`,
      );
    }
  }
  return {
    id: meta.objectId,
    name: meta.objectName,
    intlDesignator: meta.objectId,
    epochLabel: label,
    origin: `${path}:${first.line}`,
    startDescription: `the ${frame} state of ${path} at`,
    initial,
    bstar: undefined,
    ...(covarianceGcrf === undefined ? {} : { covarianceGcrf }),
  };
}
