/**
 * `hoshimi passes`: the passes of catalog objects over one sensor in a window (astro's
 * predictPasses over SGP4 trajectories turned to GCRF), with the sub-intervals where every
 * constraint holds (elevation, range, azimuth, field of regard, and for optical sensors darkness,
 * target sunlit and Moon avoidance). This command reads the files and prints.
 */
import {
  type AstroContext,
  AstroError,
  formatTime,
  type Instant,
  type Pass,
  predictPasses,
  type Sensor,
  sgp4TargetEphemeris,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { loadElementRecords, type SourcedElementSet } from '../element-source.js';
import { CliError } from '../errors.js';
import {
  defaultSensorsFile,
  instantArg,
  loadSensors,
  objectsArg,
  readInputFile,
} from '../observation-files.js';

export const PASSES_USAGE = `Usage: hoshimi passes --sensor NAME [--sensors FILE] (--elements FILE | --db PATH [--as-of ISO])
                      [--objects LIST] --from ISO --to ISO [--json]

Passes of every object (or of --objects) over the sensor NAME between --from and --to: rise,
culmination and set (elevation through the sensor's minimum), the highest elevation, and the
intervals where the sensor can observe (elevation, range, azimuth and field-of-regard limits, and
for optical sensors: site in darkness, target sunlit, Moon avoidance). Objects are propagated with
SGP4 and turned from TEME to GCRF with the EOP table.
  --sensor NAME       a sensor of the sensor file (see 'hoshimi sensors list')
  --sensors FILE      sensor file (default: @hoshimi/astro's data/sensors.json)
  --elements FILE     element sets (TLE, 3LE, OMM, GP JSON/CSV)
  --db PATH           the catalog store: per object the latest element set with epoch ≤ --to
  --as-of ISO         with --db: the latest element sets as of this time instead
  --objects LIST      comma-separated catalog numbers (default: every object)
  --from ISO, --to ISO   the window, UTC (ISO-8601 or CCSDS day-of-year)
  --json              one JSON array of passes (times in UTC, angles in degrees)
  --leap-seconds FILE, --eop FILE   time tables (default as 'hoshimi data status' shows)
`;

const DEG = 180 / Math.PI;

/** The sensor named by --sensor, or a usage error listing the file's sensors. */
export function pickSensor(sensors: readonly Sensor[], name: string, file: string): Sensor {
  const s =
    sensors.find((x) => x.name === name) ?? sensors.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (s === undefined) {
    throw new CliError(
      'SENSOR_NOT_FOUND',
      `--sensor ${name}: no such sensor in ${file} (it has ${sensors.map((x) => x.name).join(', ')})`,
    );
  }
  return s;
}

/** Keeps the element sets of --objects; a catalog number with no element set is an error. */
export function selectObjects(
  records: readonly SourcedElementSet[],
  wanted: Set<string> | undefined,
  source: string,
): SourcedElementSet[] {
  if (wanted === undefined) return [...records];
  const kept = records.filter((r) => wanted.has(String(Number(r.elements.catalogNumber))));
  const found = new Set(kept.map((r) => String(Number(r.elements.catalogNumber))));
  const missing = [...wanted].filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new CliError('OBJECT_NOT_FOUND', `--objects: ${missing.join(', ')} not found in ${source}`);
  }
  return kept;
}

function iso(t: Instant, ctx: AstroContext): string {
  return `${formatTime(t, ctx, { decimals: 1 })}Z`.replace(/ZZ$/, 'Z');
}

export async function passesCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi passes', PASSES_USAGE, {
    args: [...argv],
    options: {
      sensor: { type: 'string' },
      sensors: { type: 'string' },
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      objects: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const usage = (m: string) => new CliError('USAGE', `hoshimi passes: ${m} (see 'hoshimi passes --help')`);
  if (values.sensor === undefined) throw usage('--sensor NAME is required');
  if (values.elements === undefined && values.db === undefined)
    throw usage('--elements FILE or --db PATH is required');
  if (values.from === undefined || values.to === undefined) throw usage('--from and --to are required');
  const wanted = objectsArg(values.objects);
  if (values['as-of'] !== undefined && values.db === undefined) throw usage('--as-of goes with --db');
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const file = values.sensors ?? defaultSensorsFile();
  const sensor = pickSensor(loadSensors(readInputFile(file), '--sensors', warn), values.sensor, file);
  const ctx = loadCliContext({ leapSeconds: values['leap-seconds'], eop: values.eop, tolerant: true }, warn);
  const from = instantArg(values.from, '--from', ctx);
  const to = instantArg(values.to, '--to', ctx);
  const spanS = to.secondsSince(from);
  if (!(spanS > 0)) throw usage('--to must be after --from');
  if (spanS > 31 * 86400) throw usage(`--from/--to: ${(spanS / 86400).toFixed(1)} days; at most 31 days`);
  const records = selectObjects(
    await loadElementRecords(
      {
        elements: values.elements,
        db: values.db,
        ...(values.db === undefined ? {} : { asOf: values['as-of'] ?? values.to }),
      },
      ctx,
      warn,
    ),
    wanted,
    values.elements ?? `${values.db} (element sets as of ${values['as-of'] ?? values.to})`,
  );

  const rows: Record<string, unknown>[] = [];
  let failed = 0;
  for (const r of records) {
    const e = r.elements;
    let passes: Pass[];
    try {
      passes = predictPasses(sensor, sgp4TargetEphemeris(e, ctx), from, to, { ctx });
    } catch (err) {
      if (!(err instanceof AstroError)) throw err;
      failed++;
      warn(`skipped: ${r.origin}: object ${e.catalogNumber}: [${err.code}] ${err.message}`);
      continue;
    }
    for (const p of passes) {
      rows.push({
        object: e.catalogNumber,
        name: e.name ?? null,
        sensor: sensor.name,
        rise_utc: iso(p.rise, ctx),
        culmination_utc: iso(p.culmination, ctx),
        set_utc: iso(p.set, ctx),
        max_elevation_deg: p.maxElevationRad * DEG,
        rise_clipped: p.riseClipped,
        set_clipped: p.setClipped,
        visible: p.visible.map((v) => ({ start_utc: iso(v.start, ctx), end_utc: iso(v.end, ctx) })),
        _rise: p.rise.secondsSince(from),
      });
    }
  }
  rows.sort((a, b) => (a['_rise'] as number) - (b['_rise'] as number));
  for (const r of rows) delete r['_rise'];
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${'OBJECT'.padEnd(9)} ${'NAME'.padEnd(24)} ${'RISE (UTC)'.padEnd(23)} ${'CULMINATION'.padEnd(23)} ${'SET'.padEnd(23)} ${'MAX EL°'.padStart(7)}  VISIBLE\n`,
    );
    for (const r of rows) {
      const vis = r['visible'] as { start_utc: string; end_utc: string }[];
      process.stdout.write(
        `${String(r['object']).padEnd(9)} ${String(r['name'] ?? '')
          .slice(0, 24)
          .padEnd(
            24,
          )} ${String(r['rise_utc']).padEnd(23)} ${String(r['culmination_utc']).padEnd(23)} ${String(r['set_utc']).padEnd(23)} ${(r['max_elevation_deg'] as number).toFixed(1).padStart(7)}  ${vis.length === 0 ? 'no' : vis.map((v) => `${v.start_utc.slice(11)}–${v.end_utc.slice(11)}`).join(', ')}\n`,
      );
    }
  }
  const observable = rows.filter((r) => (r['visible'] as unknown[]).length > 0).length;
  warn(
    `passes: ${rows.length} passes of ${records.length - failed} objects over ${sensor.name} (${observable} observable), ${failed} objects skipped`,
  );
  return records.length > 0 && failed === records.length ? 1 : 0;
}
