/**
 * `hoshimi propagate`: SGP4 ephemerides of every element set in a file, in TEME, GCRF, ITRF or
 * geodetic coordinates, as CSV, JSON or CCSDS OEM.
 */
import {
  type AstroContext,
  AstroError,
  createStateBatch,
  type ElementSet,
  eopUncertainty,
  formatIssue,
  formatUtcIso,
  julianFromCalendar,
  minutesSinceEpoch,
  newFrameTransform,
  normaliseJulian,
  type PreparedFrame,
  parseTimeString,
  propagateBatch,
  type SampleFrame,
  SampleFrameConverter,
  type StateBatch,
  sgp4Init,
  type TleChecksumMode,
  type UtcJulianDate,
  ut1ErrorKm,
  utcLabelAfterEpoch,
} from '@hoshimi/astro';
import { PropagationPool } from '@hoshimi/node';
import { parseCliArgs, workersArg } from '../args.js';
import { loadCliContext } from '../data.js';
import { loadElementRecords, type SourcedElementSet } from '../element-source.js';
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

Time convention: as Vallado's SGP4 code, python-sgp4 and satellite.js, an element set's epoch is a
UTC label (its day fraction is of an 86,400 s day) and time since epoch is the difference of UTC
labels: a leap second inside the interval is not counted. Times are written to the microsecond.

Time grid (one of):
  --minutes START:STOP:STEP   minutes from each element set's own epoch; STOP is included even
                              when it is not on the grid (as Vallado's driver). Default 0:1440:60
  --from ISO --to ISO --step SECONDS
                              one grid of UTC labels for all objects (ISO-8601 or CCSDS
                              day-of-year): FROM, FROM + STEP, … on the UTC clock, so across a leap
                              second a 1800 s step still gives 00:00:00, 00:30:00, …
Input:
  --checksum verify|warn|ignore   TLE checksums: refuse the record (default), keep it with a
                              warning, or do not check
Output:
  --frame TEME|GCRF|ITRF|GEODETIC   default TEME (TEME needs no leap-second or EOP table)
  --format csv|json|oem             default: from --out's extension, else csv
  --out FILE                        default: standard output
Data and execution:
  --leap-seconds FILE   Leap_Second.dat or tai-utc.dat (default: the user data directory, then
                        $HOSHIMI_REFERENCE_DATA/earth; see 'hoshimi data status')
  --eop FILE            finals2000A.all or EOP C04 CSV (same defaults)
  --workers N           worker threads (default: every core; 1 runs in-process)

A record the tables cannot serve (an epoch before the leap-second table, i.e. before 1972, in a
frame other than TEME) is refused with its file and line; the other records are written. Past the
leap-second table's expiry the last TAI − UTC is held, past the EOP table its last row, each with a
warning on stderr.
`;

type Grid =
  | { readonly kind: 'relative'; readonly gridMin: Float64Array }
  | {
      readonly kind: 'absolute';
      readonly start: UtcJulianDate;
      /** Minutes from `start`, on the UTC-label clock. */
      readonly gridMin: Float64Array;
      /** The UTC label of each grid time. */
      readonly labels: readonly UtcJulianDate[];
    };

const FRAMES: readonly OutputFrame[] = ['TEME', 'GCRF', 'ITRF', 'GEODETIC'];
const FORMATS: readonly OutputFormat[] = ['csv', 'json', 'oem'];
const CHECKSUM_MODES: readonly TleChecksumMode[] = ['verify', 'warn', 'ignore'];
/** Samples held in memory at once (objects are processed in blocks of about this many samples). */
const BLOCK_SAMPLES = 2_000_000;
/** Below this many samples the job runs in-process: starting workers would cost more than it saves. */
const POOL_MIN_SAMPLES = 200_000;
/** Decimals of the seconds in every time written (microseconds: 7.5 mm at LEO speed). */
const TIME_DECIMALS = 6;
/** Earth's equatorial radius and the GEO radius, km, to state a UT1 uncertainty as a distance. */
const EARTH_RADIUS_KM = 6378.137;
const GEO_RADIUS_KM = 42164;

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${PROPAGATE_USAGE}`);
}

function parseNumber(text: string, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw usage(`${what}: expected a number, got ${JSON.stringify(text)}`);
  return v;
}

/** ISO UTC text with microseconds and `Z` of a UTC label. */
export function labelIso(label: UtcJulianDate): string {
  return `${formatUtcIso(label, TIME_DECIMALS)}Z`;
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

/** A UTC label from a user time (no table needed); 23:59:60 has no label of its own and is refused. */
function parseLabel(text: string, flag: string): UtcJulianDate {
  const r = parseTimeString(text);
  if (!r.ok) throw usage(`${flag}: ${r.issues.map(formatIssue).join('; ')}`);
  const f = r.value.fields;
  if (f.second >= 60) {
    throw usage(
      `${flag}: ${text} is inside a leap second; element-set times count 86,400 s days, so give 00:00:00 of the next day instead`,
    );
  }
  return julianFromCalendar(f.year, f.month, f.day, f.hour, f.minute, f.second);
}

/** The --from/--to/--step grid: UTC labels FROM + k·STEP (on the UTC clock) up to TO, plus TO. */
export function absoluteGrid(from: string, to: string, stepText: string): Grid {
  const start = parseLabel(from, '--from');
  const end = parseLabel(to, '--to');
  const stepS = parseNumber(stepText, '--step');
  if (!(stepS > 0)) throw usage(`--step: must be positive seconds, got ${stepS}`);
  const spanMin = minutesSinceEpoch(start, end.jd, end.jdFrac);
  if (spanMin < 0) throw usage('--to is before --from');
  const stepMin = stepS / 60;
  const count = Math.floor(spanMin / stepMin + 1e-9) + 1;
  if (count > 10_000_000) throw usage(`--from/--to/--step: ${count} samples per object is too many`);
  const values: number[] = [];
  for (let k = 0; k < count; k++) values.push((k * stepS) / 60);
  if (Math.abs(values[values.length - 1]! - spanMin) * 60 > 1e-6) values.push(spanMin);
  const labels = values.map((m) => utcLabelAfterEpoch(start, m));
  return { kind: 'absolute', start, gridMin: Float64Array.from(values), labels };
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
      checksum: { type: 'string', default: 'verify' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.elements === undefined && values.db === undefined)
    throw usage('--elements FILE (or --db PATH) is required');
  const frame = values.frame.toUpperCase() as OutputFrame;
  if (!FRAMES.includes(frame))
    throw usage(`--frame: expected one of ${FRAMES.join(', ')}, got ${values.frame}`);
  const checksum = values.checksum as TleChecksumMode;
  if (!CHECKSUM_MODES.includes(checksum))
    throw usage(`--checksum: expected one of ${CHECKSUM_MODES.join(', ')}, got ${values.checksum}`);
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
  const grid: Grid = absolute
    ? absoluteGrid(values.from!, values.to!, values.step!)
    : { kind: 'relative', gridMin: minutesGrid(values.minutes ?? '0:1440:60') };
  // TEME output reads no table; other frames and the store's --as-of need the leap seconds.
  const needsTables = frame !== 'TEME';
  const ctx =
    needsTables || values.db !== undefined
      ? loadCliContext(
          { leapSeconds: values['leap-seconds'], eop: values.eop, withEop: needsTables, tolerant: true },
          warn,
        )
      : undefined;
  const converter = new SampleFrameConverter(frame as SampleFrame, needsTables ? ctx : undefined);

  const records = await loadElementRecords(
    { elements: values.elements, db: values.db, asOf: values['as-of'], checksum, leaveOutDecayed: true },
    ctx,
    warn,
  );

  const skipped: string[] = [];
  const writer = makeWriter(format, frame, (meta) => {
    skipped.push(meta.id);
  });
  const started = performance.now();
  let summary: RunSummary;
  try {
    summary = await run(
      records,
      grid,
      converter,
      writer,
      sink,
      workers,
      warn,
      ctx?.eop?.firstMjd ?? Number.NEGATIVE_INFINITY,
    );
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
  if (ctx !== undefined) tableWarnings(summary, ctx, warn);
  const written = records.length - summary.refused;
  const samples = written * grid.gridMin.length;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  warn(
    `propagate: ${written} objects × ${grid.gridMin.length} times = ${samples} samples, ${summary.failed} with an SGP4 error status, ${summary.refused} records refused, ${frame} ${format} → ${values.out ?? 'stdout'} in ${seconds} s`,
  );
  if (records.length > 0 && written === 0) {
    warn('propagate: every record was refused (listed above): the output holds no ephemeris');
    return 1;
  }
  return 0;
}

/** What a run met, for the closing warnings. */
interface RunSummary {
  failed: number;
  refused: number;
  /** Latest UTC label converted with a table (MJD), or −Infinity. */
  latestMjd: number;
  /** Largest distance from the EOP table of a held EOP value, days (0: none held). */
  eopHeldDays: number;
  /** Latest MJD served by a predicted or held EOP value, or −Infinity. */
  latestPredictedMjd: number;
  /** Earliest MJD served by the held first EOP row (before the table), or +Infinity. */
  earliestHeldMjd: number;
  /** First row of the EOP table, MJD (−Infinity without one). */
  readonly eopFirstMjd: number;
}

function mjdOf(label: UtcJulianDate): number {
  return label.jd - 2400000.5 + label.jdFrac;
}

function isoDateOfMjd(mjd: number): string {
  return formatUtcIso({ jd: Math.floor(mjd) + 2400000.5, jdFrac: 0 }, 0).slice(0, 10);
}

/** Warnings about the tables after the run: leap-second expiry passed, EOP predicted or held. */
function tableWarnings(s: RunSummary, ctx: AstroContext, warn: (line: string) => void): void {
  const leap = ctx.leapSeconds;
  if (s.latestMjd >= leap.expiresMjd) {
    const last = leap.entries[leap.entries.length - 1]!;
    warn(
      `warning: [LEAP_SECONDS_EXPIRED] times up to ${isoDateOfMjd(s.latestMjd)} are past the expiry of ${leap.source} (${isoDateOfMjd(leap.expiresMjd)}); TAI − UTC held at ${last.offsetS} s (no leap second has been announced since 2017; leap seconds are to be abolished by 2035). 'hoshimi data update' fetches a newer file.`,
    );
  }
  const eop = ctx.eop;
  if (eop !== undefined && s.earliestHeldMjd !== Number.POSITIVE_INFINITY) {
    const first = eop.node(0);
    const days = first.mjd - s.earliestHeldMjd;
    const u = eopUncertainty(0, days, first.lodS);
    warn(
      `warning: [EOP_HELD] times from ${isoDateOfMjd(s.earliestHeldMjd)} lie up to ${days.toFixed(1)} days before ${eop.source} (first row ${isoDateOfMjd(first.mjd)}); its first row is held, one-sigma uncertainty about ${(u.ut1MinusUtcS * 1000).toFixed(1)} ms of UT1 − UTC (${(ut1ErrorKm(u.ut1MinusUtcS, EARTH_RADIUS_KM) * 1000).toFixed(0)} m at the equator; length of day × days held)`,
    );
  }
  if (eop === undefined || s.latestPredictedMjd === Number.NEGATIVE_INFINITY) return;
  const lastRow = eop.node(eop.size - 1);
  const u = eopUncertainty(s.latestPredictedMjd - eop.lastFinalMjd, s.eopHeldDays, lastRow.lodS);
  const sigma = `${(u.ut1MinusUtcS * 1000).toFixed(1)} ms of UT1 − UTC (${(ut1ErrorKm(u.ut1MinusUtcS, EARTH_RADIUS_KM) * 1000).toFixed(0)} m at the equator, ${(ut1ErrorKm(u.ut1MinusUtcS, GEO_RADIUS_KM) * 1000).toFixed(0)} m at GEO in ITRF) and ${(u.polarMotionArcsec * 1000).toFixed(0)} mas of polar motion`;
  if (s.eopHeldDays > 0) {
    warn(
      `warning: [EOP_HELD] times up to ${isoDateOfMjd(s.latestPredictedMjd)} lie ${s.eopHeldDays.toFixed(1)} days beyond ${eop.source} (last row ${isoDateOfMjd(eop.lastMjd)}, last final value ${isoDateOfMjd(eop.lastFinalMjd)}); its last row is held, one-sigma uncertainty about ${sigma}. 'hoshimi data update' fetches a newer file.`,
    );
  } else {
    warn(
      `warning: [EOP_PREDICTED] times up to ${isoDateOfMjd(s.latestPredictedMjd)} use predicted EOP of ${eop.source} (last final value ${isoDateOfMjd(eop.lastFinalMjd)}); one-sigma uncertainty about ${sigma} (IERS Bulletin A error law)`,
    );
  }
}

function makeWriter(format: OutputFormat, frame: OutputFrame, onSkipped: (meta: ObjectMeta) => void): Writer {
  if (format === 'csv') return csvWriter(frame);
  if (format === 'json') return jsonWriter(frame);
  // CREATION_DATE: the clock, written as a UTC label (no table needed).
  const ms = Date.now();
  const days = Math.floor(ms / 86_400_000);
  const now = normaliseJulian(2440587.5 + days, (ms - days * 86_400_000) / 86_400_000);
  const creation = formatUtcIso(now, TIME_DECIMALS);
  return oemWriter(frame as Exclude<OutputFrame, 'GEODETIC'>, creation, onSkipped);
}

async function run(
  records: readonly SourcedElementSet[],
  grid: Grid,
  converter: SampleFrameConverter,
  writer: Writer,
  sink: ReturnType<typeof openOutput>,
  workers: number,
  warn: (line: string) => void,
  eopFirstMjd: number,
): Promise<RunSummary> {
  const elements: ElementSet[] = records.map((r) => r.elements);
  const n = elements.length;
  const summary: RunSummary = {
    failed: 0,
    refused: 0,
    latestMjd: Number.NEGATIVE_INFINITY,
    eopHeldDays: 0,
    latestPredictedMjd: Number.NEGATIVE_INFINITY,
    earliestHeldMjd: Number.POSITIVE_INFINITY,
    eopFirstMjd,
  };
  const m = grid.gridMin.length;
  const offsets =
    grid.kind === 'absolute'
      ? Float64Array.from(elements, (e) => minutesSinceEpoch(e.epoch, grid.start.jd, grid.start.jdFrac))
      : null;
  // Absolute grid: the frame change of each grid time, once for all objects.
  let gridFrames: PreparedFrame[] | undefined;
  if (grid.kind === 'absolute') {
    gridFrames = grid.labels.map((label) => {
      try {
        const p = converter.prepare(label);
        note(summary, label, p);
        return p;
      } catch (e) {
        if (e instanceof AstroError)
          throw new CliError('DATA_RANGE', `grid time ${labelIso(label)}: [${e.code}] ${e.message}`);
        throw e;
      }
    });
  }
  const gridTimes = grid.kind === 'absolute' ? grid.labels.map(labelIso) : [];
  const usePool = workers > 1 && n * m >= POOL_MIN_SAMPLES;
  const pool = usePool ? PropagationPool.create(workers) : undefined;
  const blockObjects = Math.max(1, Math.floor(BLOCK_SAMPLES / Math.max(1, m)));
  const progress = new ProgressBar('propagate', n);
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
  const frames: PreparedFrame[] = new Array(m);
  const transforms =
    grid.kind === 'relative' && converter.needsTables ? Array.from({ length: m }, newFrameTransform) : [];
  const out = new Float64Array(6);
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
      for (let i = first; i < end; i++) {
        progress.tick();
        const e = elements[i]!;
        const offset = offsets === null ? 0 : offsets[i]!;
        // Times and frame changes first: a table that cannot serve this record refuses it whole.
        let refusal: string | undefined;
        for (let k = 0; k < m && refusal === undefined; k++) {
          const s = samples[k]!;
          s.tsinceMin = offset + grid.gridMin[k]!;
          if (gridFrames !== undefined) {
            s.timeUtc = gridTimes[k]!;
            frames[k] = gridFrames[k]!;
            continue;
          }
          const label = utcLabelAfterEpoch(e.epoch, grid.gridMin[k]!);
          s.timeUtc = labelIso(label);
          try {
            frames[k] = converter.prepare(label, transforms[k]);
            note(summary, label, frames[k]!);
          } catch (err) {
            if (!(err instanceof AstroError)) throw err;
            refusal = `[${err.code}] ${s.timeUtc}: ${err.message}`;
          }
        }
        if (refusal !== undefined) {
          summary.refused++;
          warn(`refused: ${records[i]!.origin}: object ${e.catalogNumber}: ${refusal}`);
          continue;
        }
        for (let k = 0; k < m; k++) {
          const s = samples[k]!;
          const j = (i - first) * m + k;
          s.status = batch.status[j]!;
          if (s.status !== 0) {
            summary.failed++;
            s.a = s.b = s.c = s.vx = s.vy = s.vz = Number.NaN;
            continue;
          }
          converter.convert(
            frames[k]!,
            batch.x[j]!,
            batch.y[j]!,
            batch.z[j]!,
            batch.vx[j]!,
            batch.vy[j]!,
            batch.vz[j]!,
            out,
          );
          s.a = out[0]!;
          s.b = out[1]!;
          s.c = out[2]!;
          s.vx = out[3]!;
          s.vy = out[4]!;
          s.vz = out[5]!;
        }
        const meta: ObjectMeta = {
          id: e.catalogNumber,
          name: e.name,
          intlDesignator: e.intlDesignator,
          epochUtc: labelIso(e.epoch),
        };
        await sink.write(writer.object(meta, samples));
      }
    }
    await sink.write(writer.end());
    return summary;
  } finally {
    progress.finish();
    await pool?.close();
  }
}

/** Records what the tables served a label with (for the closing warnings). */
function note(s: RunSummary, label: UtcJulianDate, p: PreparedFrame): void {
  if (p.info === undefined) return;
  const mjd = mjdOf(label);
  if (mjd > s.latestMjd) s.latestMjd = mjd;
  if (p.info.eopStatus === 'held' && mjd < s.eopFirstMjd) {
    // Held before the table's first row (finals2000A starts 1973-01-02).
    if (mjd < s.earliestHeldMjd) s.earliestHeldMjd = mjd;
    return;
  }
  if (p.info.eopStatus === 'predicted' || p.info.eopStatus === 'held') {
    if (mjd > s.latestPredictedMjd) s.latestPredictedMjd = mjd;
    if (p.info.eopHeldDays > s.eopHeldDays) s.eopHeldDays = p.info.eopHeldDays;
  }
}
