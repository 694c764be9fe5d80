/**
 * `hoshimi propagate`: SGP4 ephemerides of every element set in a file, in TEME, GCRF, ITRF or
 * geodetic coordinates, as CSV, JSON or CCSDS OEM.
 */
import {
  type AstroContext,
  applyFrameTransform,
  createStateBatch,
  type ElementSet,
  type FrameName,
  formatIssue,
  formatTime,
  frameEpochAt,
  frameTransform,
  type Instant,
  itrfToGeodeticArray,
  newFrameTransform,
  parseTimeToInstant,
  propagateBatch,
  RAD2DEG,
  type StateBatch,
  sgp4Init,
  utcJulianDateToInstant,
  utcToInstant,
} from '@hoshimi/astro';
import { PropagationPool } from '@hoshimi/node';
import { parseCliArgs, workersArg } from '../args.js';
import { loadCliContext } from '../data.js';
import { loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { openOutput } from '../io.js';
import { ProgressBar } from '../progress.js';
import {
  csvWriter,
  jsonWriter,
  type ObjectMeta,
  type OutputFormat,
  type OutputFrame,
  oemWriter,
  type Sample,
  type Writer,
} from '../writers.js';

export const PROPAGATE_USAGE = `Usage: hoshimi propagate (--elements FILE | --db PATH [--as-of ISO]) [options]

Propagates every element set in FILE (TLE, 3LE, CCSDS OMM KVN/XML, GP JSON/CSV; gzip too), or the
catalog store's element sets as of a time (default now: per object the latest with epoch ≤ it), with SGP4.

Time grid (one of):
  --minutes START:STOP:STEP   minutes from each element set's own epoch; STOP is included even
                              when it is not on the grid (as Vallado's driver). Default 0:1440:60
  --from ISO --to ISO --step SECONDS
                              one UTC grid for all objects (ISO-8601 or CCSDS day-of-year)
Output:
  --frame TEME|GCRF|ITRF|GEODETIC   default TEME
  --format csv|json|oem             default: from --out's extension, else csv
  --out FILE                        default: standard output
Data and execution:
  --leap-seconds FILE   Leap_Second.dat or tai-utc.dat (default: $HOSHIMI_REFERENCE_DATA/earth)
  --eop FILE            finals2000A.all or EOP C04 CSV (default: $HOSHIMI_REFERENCE_DATA/earth)
  --workers N           worker threads (default: every core; 1 runs in-process)
`;

type Grid =
  | { readonly kind: 'relative'; readonly gridMin: Float64Array }
  | { readonly kind: 'absolute'; readonly start: Instant; readonly gridMin: Float64Array };

const FRAMES: readonly OutputFrame[] = ['TEME', 'GCRF', 'ITRF', 'GEODETIC'];
const FORMATS: readonly OutputFormat[] = ['csv', 'json', 'oem'];
/** Samples held in memory at once (objects are processed in blocks of about this many samples). */
const BLOCK_SAMPLES = 2_000_000;
/** Below this many samples the job runs in-process: starting workers would cost more than it saves. */
const POOL_MIN_SAMPLES = 200_000;

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${PROPAGATE_USAGE}`);
}

function parseNumber(text: string, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw usage(`${what}: expected a number, got ${JSON.stringify(text)}`);
  return v;
}

/** The --minutes grid: START, START+STEP, … ≤ STOP, plus STOP itself when it is off the grid. */
export function minutesGrid(spec: string): Float64Array {
  const parts = spec.split(':');
  if (parts.length !== 3) throw usage(`--minutes: expected START:STOP:STEP, got ${JSON.stringify(spec)}`);
  const [start, stop, step] = parts.map((p, i) =>
    parseNumber(p, `--minutes ${['START', 'STOP', 'STEP'][i]}`),
  ) as [number, number, number];
  if (!(step > 0)) throw usage(`--minutes: STEP must be positive, got ${step}`);
  if (stop < start) throw usage(`--minutes: STOP (${stop}) is before START (${start})`);
  const count = Math.floor((stop - start) / step + 1e-9) + 1;
  if (count > 10_000_000) throw usage(`--minutes: ${count} samples per object is too many`);
  const values: number[] = [];
  for (let k = 0; k < count; k++) values.push(start + k * step);
  const last = values[values.length - 1]!;
  if (Math.abs(last - stop) > 1e-9 * Math.max(1, Math.abs(stop))) values.push(stop);
  return Float64Array.from(values);
}

function absoluteGrid(from: string, to: string, stepText: string, ctx: AstroContext): Grid {
  const parse = (text: string, flag: string): Instant => {
    const r = parseTimeToInstant(text, ctx);
    if (!r.ok) throw usage(`${flag}: ${r.issues.map(formatIssue).join('; ')}`);
    return r.value;
  };
  const start = parse(from, '--from');
  const end = parse(to, '--to');
  const stepS = parseNumber(stepText, '--step');
  if (!(stepS > 0)) throw usage(`--step: must be positive seconds, got ${stepS}`);
  const spanS = end.secondsSince(start);
  if (spanS < 0) throw usage('--to is before --from');
  const count = Math.floor(spanS / stepS + 1e-9) + 1;
  if (count > 10_000_000) throw usage(`--from/--to/--step: ${count} samples per object is too many`);
  const values: number[] = [];
  for (let k = 0; k < count; k++) values.push((k * stepS) / 60);
  if (Math.abs(values[values.length - 1]! * 60 - spanS) > 1e-6) values.push(spanS / 60);
  return { kind: 'absolute', start, gridMin: Float64Array.from(values) };
}

function pickFormat(explicit: string | undefined, out: string | undefined): OutputFormat {
  if (explicit !== undefined) {
    if (!(FORMATS as readonly string[]).includes(explicit)) {
      throw usage(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(explicit)}`);
    }
    return explicit as OutputFormat;
  }
  const ext = out?.replace(/\.gz$/, '').split('.').pop()?.toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'oem') return 'oem';
  return 'csv';
}

export async function propagateCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi propagate', PROPAGATE_USAGE, {
    args: [...argv],
    options: {
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      minutes: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      frame: { type: 'string', default: 'TEME' },
      format: { type: 'string' },
      out: { type: 'string' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(PROPAGATE_USAGE);
    return 0;
  }
  if (values.elements === undefined && values.db === undefined)
    throw usage('--elements FILE (or --db PATH) is required');
  const frame = values.frame.toUpperCase() as OutputFrame;
  if (!FRAMES.includes(frame))
    throw usage(`--frame: expected one of ${FRAMES.join(', ')}, got ${values.frame}`);
  const format = pickFormat(values.format, values.out);
  if (format === 'oem' && frame === 'GEODETIC')
    throw usage('--format oem needs a Cartesian frame, not GEODETIC');
  const absolute = values.from !== undefined || values.to !== undefined || values.step !== undefined;
  if (absolute && values.minutes !== undefined)
    throw usage('give either --minutes or --from/--to/--step, not both');
  if (absolute && (values.from === undefined || values.to === undefined || values.step === undefined)) {
    throw usage('--from, --to and --step go together');
  }
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const workers = workersArg(values.workers, warn);
  // The output path is checked (and its partial file created) before any work.
  const sink = openOutput(values.out);
  const ctx = loadCliContext({ leapSeconds: values['leap-seconds'], eop: values.eop }, warn);
  const grid: Grid = absolute
    ? absoluteGrid(values.from!, values.to!, values.step!, ctx)
    : { kind: 'relative', gridMin: minutesGrid(values.minutes ?? '0:1440:60') };

  const elements = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'] },
    ctx,
    warn,
  );

  const skipped: string[] = [];
  const writer = makeWriter(format, frame, ctx, (meta) => {
    skipped.push(meta.id);
  });
  const started = performance.now();
  let failed: number;
  try {
    failed = await run(elements, grid, frame, ctx, writer, sink, workers);
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 10).join(', ');
    warn(
      `oem: ${skipped.length} objects have no valid sample in the window, so no segment (${shown}${skipped.length > 10 ? ', …' : ''})`,
    );
  }
  const samples = elements.length * grid.gridMin.length;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  warn(
    `propagate: ${elements.length} objects × ${grid.gridMin.length} times = ${samples} samples, ${failed} with an SGP4 error status, ${frame} ${format} → ${values.out ?? 'stdout'} in ${seconds} s`,
  );
  return 0;
}

function makeWriter(
  format: OutputFormat,
  frame: OutputFrame,
  ctx: AstroContext,
  onSkipped: (meta: ObjectMeta) => void,
): Writer {
  if (format === 'csv') return csvWriter(frame);
  if (format === 'json') return jsonWriter(frame);
  const d = new Date();
  const now = utcToInstant(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds() + d.getUTCMilliseconds() / 1000,
    },
    ctx,
  );
  const creation = formatTime(now, ctx, { decimals: 3, zulu: false });
  return oemWriter(frame as Exclude<OutputFrame, 'GEODETIC'>, creation, onSkipped);
}

async function run(
  elements: readonly ElementSet[],
  grid: Grid,
  frame: OutputFrame,
  ctx: AstroContext,
  writer: Writer,
  sink: ReturnType<typeof openOutput>,
  workers: number,
): Promise<number> {
  const n = elements.length;
  let failed = 0;
  const m = grid.gridMin.length;
  const epochs = elements.map((e) => utcJulianDateToInstant(e.epoch.jd, e.epoch.jdFrac, ctx));
  const offsets =
    grid.kind === 'absolute' ? Float64Array.from(epochs, (ep) => grid.start.secondsSince(ep) / 60) : null;
  const converter = new SampleConverter(frame, ctx, grid);
  const usePool = workers > 1 && n * m >= POOL_MIN_SAMPLES;
  const pool = usePool ? PropagationPool.create(workers) : undefined;
  const blockObjects = Math.max(1, Math.floor(BLOCK_SAMPLES / Math.max(1, m)));
  const progress = new ProgressBar('propagate', n);
  try {
    await sink.write(writer.begin());
    for (let first = 0; first < n; first += blockObjects) {
      const end = Math.min(n, first + blockObjects);
      const block = elements.slice(first, end);
      const blockOffsets = offsets === null ? null : offsets.subarray(first, end);
      let batch: StateBatch;
      if (pool !== undefined) {
        const catalog = pool.load(block);
        batch = await pool.propagate(catalog, blockOffsets, grid.gridMin);
        pool.unload(catalog);
      } else {
        batch = createStateBatch(block.length * m);
        propagateBatch(
          block.map((e) => sgp4Init(e)),
          blockOffsets,
          grid.gridMin,
          batch,
        );
      }
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
      for (let i = first; i < end; i++) {
        const e = elements[i]!;
        const epoch = epochs[i]!;
        const offset = offsets === null ? 0 : offsets[i]!;
        for (let k = 0; k < m; k++) {
          converter.convert(batch, (i - first) * m + k, k, epoch, offset, samples[k]!);
          if (samples[k]!.status !== 0) failed++;
        }
        const meta: ObjectMeta = {
          id: e.catalogNumber,
          name: e.name,
          intlDesignator: e.intlDesignator,
          epochUtc: formatTime(epoch, ctx, { decimals: 6 }),
        };
        await sink.write(writer.object(meta, samples));
        progress.tick();
      }
    }
    await sink.write(writer.end());
    return failed;
  } finally {
    progress.finish();
    await pool?.close();
  }
}

/** Turns TEME batch rows into output samples: time string, frame change, geodetic. */
class SampleConverter {
  private readonly frame: OutputFrame;
  private readonly ctx: AstroContext;
  private readonly grid: Grid;
  private readonly target: FrameName | undefined;
  private readonly transform = newFrameTransform();
  /** Absolute grid: the time strings and transforms of each grid time, computed once. */
  private readonly gridTimes: string[] = [];
  private readonly gridTransforms: ReturnType<typeof newFrameTransform>[] = [];
  private readonly r: [number, number, number] = [0, 0, 0];
  private readonly v: [number, number, number] = [0, 0, 0];
  private readonly geo: [number, number, number] = [0, 0, 0];

  constructor(frame: OutputFrame, ctx: AstroContext, grid: Grid) {
    this.frame = frame;
    this.ctx = ctx;
    this.grid = grid;
    this.target = frame === 'TEME' ? undefined : frame === 'GCRF' ? 'GCRF' : 'ITRF';
    if (grid.kind === 'absolute') {
      for (const minutes of grid.gridMin) {
        const t = grid.start.plusSeconds(minutes * 60);
        this.gridTimes.push(formatTime(t, ctx, { decimals: 3 }));
        if (this.target !== undefined) {
          this.gridTransforms.push(frameTransform('TEME', this.target, frameEpochAt(t, ctx)));
        }
      }
    }
  }

  convert(batch: StateBatch, j: number, k: number, epoch: Instant, offsetMin: number, s: Sample): void {
    const gridMin = this.grid.gridMin[k]!;
    s.tsinceMin = offsetMin + gridMin;
    s.status = batch.status[j]!;
    let transform: ReturnType<typeof newFrameTransform> | undefined;
    if (this.grid.kind === 'absolute') {
      s.timeUtc = this.gridTimes[k]!;
      transform = this.gridTransforms[k];
    } else {
      const t = epoch.plusSeconds(gridMin * 60);
      s.timeUtc = formatTime(t, this.ctx, { decimals: 3 });
      if (this.target !== undefined) {
        transform = frameTransform('TEME', this.target, frameEpochAt(t, this.ctx), this.transform);
      }
    }
    if (s.status !== 0) {
      s.a = s.b = s.c = s.vx = s.vy = s.vz = Number.NaN;
      return;
    }
    const r = this.r;
    const v = this.v;
    r[0] = batch.x[j]!;
    r[1] = batch.y[j]!;
    r[2] = batch.z[j]!;
    v[0] = batch.vx[j]!;
    v[1] = batch.vy[j]!;
    v[2] = batch.vz[j]!;
    if (transform !== undefined) applyFrameTransform(transform, r, v, r, v);
    if (this.frame === 'GEODETIC') {
      itrfToGeodeticArray(r, this.geo);
      s.a = this.geo[0] * RAD2DEG;
      s.b = this.geo[1] * RAD2DEG;
      s.c = this.geo[2];
    } else {
      s.a = r[0];
      s.b = r[1];
      s.c = r[2];
    }
    s.vx = v[0];
    s.vy = v[1];
    s.vz = v[2];
  }
}
