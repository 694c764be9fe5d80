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
  frameEpochAt,
  frameTransform,
  type Instant,
  initialStateFromElements,
  instantOfUtcLabel,
  newFrameTransform,
  type OemCovariance,
  propagateCovariance,
  propagateNumerical,
  type SampleFrameConverter,
  type State,
  type UtcJulianDate,
  utcLabelAfterEpoch,
} from '@hoshimi/astro';
import type { SourcedElementSet } from '../element-source.js';
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

export interface NumericalRunInput {
  readonly records: readonly SourcedElementSet[];
  readonly grid: NumericalGrid;
  readonly converter: SampleFrameConverter;
  readonly writer: Writer;
  readonly sink: ReturnType<typeof openOutput>;
  readonly ctx: AstroContext;
  readonly model: LoadedForceModel;
  /** RTN covariance at each epoch (36 values, km², km²/s, km²/s²), or undefined. */
  readonly covarianceRtn: Float64Array | undefined;
  readonly labelIso: (label: UtcJulianDate) => string;
  readonly warn: (line: string) => void;
}

export interface NumericalRunSummary {
  readonly refused: number;
  readonly steps: number;
  readonly evaluations: number;
}

/** Runs every record; a record the propagator or the tables cannot serve is refused with a warning. */
export async function runNumerical(input: NumericalRunInput): Promise<NumericalRunSummary> {
  const { records, grid, converter, writer, sink, ctx, model, warn } = input;
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
  const progress = new ProgressBar('propagate', records.length);
  const notesSeen = new Set<string>();
  let refused = 0;
  let steps = 0;
  let evaluations = 0;
  try {
    await sink.write(writer.begin());
    for (const record of records) {
      progress.tick();
      const e = record.elements;
      try {
        const initial = initialStateFromElements(e, ctx);
        const built = buildForceModel(model.spec, {
          field: model.field,
          context: ctx,
          ...(model.msisCoefficients === undefined ? {} : { msisCoefficients: model.msisCoefficients }),
          ...(model.spaceWeather === undefined ? {} : { spaceWeather: model.spaceWeather }),
          bstar: e.bstar,
        });
        for (const note of built.notes) {
          const line = `note: object ${e.catalogNumber}: ${note}`;
          if (!notesSeen.has(line)) warn(line);
          notesSeen.add(line);
        }
        // Grid labels, their instants and times since the epoch (SI seconds).
        const labels: UtcJulianDate[] = [];
        const instants: Instant[] = [];
        const tS = new Float64Array(m);
        const offsetMin =
          grid.labels === undefined ? 0 : minutesBetween(e.epoch, grid.labels[0]!) - grid.gridMin[0]!;
        for (let k = 0; k < m; k++) {
          const label = grid.labels?.[k] ?? utcLabelAfterEpoch(e.epoch, grid.gridMin[k]!);
          labels.push(label);
          const t = instantOfUtcLabel(label, ctx);
          instants.push(t);
          tS[k] = t.secondsSince(initial.epoch);
          const s = samples[k]!;
          s.tsinceMin = grid.gridMin[k]! + offsetMin;
          s.timeUtc = input.labelIso(label);
        }
        const withStm = input.covarianceRtn !== undefined;
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
        const p0 =
          input.covarianceRtn === undefined
            ? undefined
            : covarianceRtnToInertial(initial.state, input.covarianceRtn);
        const covariances: OemCovariance[] = [];
        for (let k = 0; k < m; k++) {
          const st = states[k]!;
          const fe = frameEpochAt(instants[k]!, ctx);
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
          id: e.catalogNumber,
          name: e.name,
          intlDesignator: e.intlDesignator,
          epochUtc: input.labelIso(e.epoch),
          comments: [
            `Numerical (DOP853 Cowell) ephemeris of catalog object ${e.catalogNumber} from its SGP4 state at the element epoch ${input.labelIso(e.epoch)}`,
            ...built.description,
          ],
          ...(covariances.length > 0 ? { covariances } : {}),
        };
        await sink.write(writer.object(meta, samples));
      } catch (err) {
        if (!(err instanceof AstroError)) throw err;
        refused++;
        warn(`refused: ${record.origin}: object ${e.catalogNumber}: [${err.code}] ${err.message}`);
      }
    }
    await sink.write(writer.end());
  } finally {
    progress.finish();
  }
  return { refused, steps, evaluations };
}

/** Minutes of UTC labels from `a` to `b`. */
function minutesBetween(a: UtcJulianDate, b: UtcJulianDate): number {
  return (b.jd - a.jd + (b.jdFrac - a.jdFrac)) * 1440;
}
