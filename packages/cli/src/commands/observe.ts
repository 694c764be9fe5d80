/**
 * `hoshimi observe simulate`: observations of catalog objects by the sensors of a sensor file over
 * a window (astro's simulateObservations: passes, tracks, the measurement models with light time
 * and troposphere, the sensors' biases and seeded Gaussian noise), written as a CCSDS TDM through
 * tdmFromMeasurements, so that orbit determination and correlation can be run against a known truth.
 */
import {
  AstroError,
  formatTdmKvn,
  formatTdmXml,
  formatTime,
  type Measurement,
  type SimulationTarget,
  sgp4TargetEphemeris,
  simulateObservations,
  tdmFromMeasurements,
} from '@hoshimi/astro';
import { numberArg, parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { loadElementRecords } from '../element-source.js';
import { CliError } from '../errors.js';
import { openOutput } from '../io.js';
import { instantArg, loadSensors, objectsArg, readInputFile } from '../observation-files.js';
import { selectObjects } from './passes.js';

export const OBSERVE_USAGE = `Usage: hoshimi observe <subcommand> [options]

Subcommands:
  simulate   simulated observations of catalog objects by a set of sensors, written as a TDM

Run 'hoshimi observe <subcommand> --help' for its options.
`;

export const OBSERVE_SIMULATE_USAGE = `Usage: hoshimi observe simulate --sensors FILE (--elements FILE | --db PATH) [--objects LIST]
                                --from ISO --hours N --out FILE.tdm [--seed N] [--xml]

Every sensor of FILE watches every object (or --objects) from --from for N hours: in each
interval where it can observe a pass it takes a track (120 s, one measurement of each of its kinds
every 10 s), each value the model value (light time; two-way range and range rate for radar and
laser; radio troposphere for radar, optical for laser) plus the sensor's bias plus Gaussian noise
of its sigma. The same --seed gives the same file. The TDM (CCSDS 503.0-B-2, KVN, or XML with
--xml) has one segment per sensor, object and kind; a TDM carries no sigmas, so give the same
sensor file as --stations to 'hoshimi od'.
  --sensors FILE    sensor file (see 'hoshimi sensors list --help'), e.g. @hoshimi/astro's data/sensors.json
  --elements FILE   element sets (TLE, 3LE, OMM, GP JSON/CSV): the truth, propagated with SGP4
  --db PATH         the catalog store: per object the latest element set with epoch ≤ the window's end
  --as-of ISO       with --db: the latest element sets as of this time instead
  --objects LIST    comma-separated catalog numbers (default: every object)
  --from ISO        start, UTC
  --hours N         length of the window, hours (> 0, ≤ 744)
  --out FILE        the TDM to write ('-': standard output)
  --seed N          seed of the noise generator, an integer ≥ 0 (default 1)
  --xml             write TDM XML instead of KVN
  --leap-seconds FILE, --eop FILE   time tables (default as 'hoshimi data status' shows)
`;

function simulateCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi observe simulate', OBSERVE_SIMULATE_USAGE, {
    args: [...argv],
    options: {
      sensors: { type: 'string' },
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      objects: { type: 'string' },
      from: { type: 'string' },
      hours: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      xml: { type: 'boolean' },
      'leap-seconds': { type: 'string' },
      eop: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  return runSimulate(values);
}

async function runSimulate(values: Record<string, string | boolean | undefined>): Promise<number> {
  const usage = (m: string) =>
    new CliError('USAGE', `hoshimi observe simulate: ${m} (see 'hoshimi observe simulate --help')`);
  const str = (k: string) => values[k] as string | undefined;
  if (str('sensors') === undefined) throw usage('--sensors FILE is required');
  if (str('elements') === undefined && str('db') === undefined)
    throw usage('--elements FILE or --db PATH is required');
  if (str('from') === undefined) throw usage('--from ISO is required');
  if (str('hours') === undefined) throw usage('--hours N is required');
  if (str('out') === undefined) throw usage('--out FILE is required');
  const hours = numberArg(str('hours'), '--hours', { min: 0, exclusiveMin: true, max: 744 }, 0);
  const seed = numberArg(str('seed'), '--seed', { min: 0, max: 2 ** 32 - 1, integer: true }, 1);
  const wanted = objectsArg(str('objects'));
  if (str('as-of') !== undefined && str('db') === undefined) throw usage('--as-of goes with --db');
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  // The output is checked (and staged) before any work.
  const sink = openOutput(str('out'));
  try {
    const sensors = loadSensors(readInputFile(str('sensors')!), '--sensors', warn);
    const ctx = loadCliContext({ leapSeconds: str('leap-seconds'), eop: str('eop'), tolerant: true }, warn);
    const from = instantArg(str('from')!, '--from', ctx);
    // With --db: per object the latest element set with epoch ≤ the window's end.
    const asOf =
      str('as-of') ??
      `${formatTime(from.plusSeconds(hours * 3600), ctx, { decimals: 6 })}Z`.replace(/ZZ$/, 'Z');
    const records = selectObjects(
      await loadElementRecords(
        {
          elements: str('elements'),
          db: str('db'),
          ...(str('db') === undefined ? {} : { asOf }),
        },
        ctx,
        warn,
      ),
      wanted,
      str('elements') ?? `${str('db')} (element sets as of ${asOf})`,
    );
    const measurements: Measurement[] = [];
    let skipped = 0;
    // One object at a time, so that an object SGP4 cannot follow through the window is named and
    // left out without losing the others.
    for (const r of records) {
      const target: SimulationTarget = {
        id: r.elements.catalogNumber,
        ephemeris: sgp4TargetEphemeris(r.elements, ctx),
      };
      try {
        const sim = simulateObservations(sensors, [target], from, hours * 3600, {
          ctx,
          seed: seed + measurements.length,
        });
        measurements.push(...sim.measurements);
      } catch (e) {
        if (!(e instanceof AstroError) || e.code !== 'SGP4_FAILED') throw e;
        skipped++;
        warn(`skipped: ${r.origin}: object ${r.elements.catalogNumber}: [${e.code}] ${e.message}`);
      }
    }
    measurements.sort((a, b) => a.epoch.compare(b.epoch));
    const creationDate = `${new Date().toISOString().slice(0, 19)}Z`;
    const tdm = tdmFromMeasurements(
      measurements,
      {
        originator: 'HOSHIMI',
        creationDate,
        comments: [
          `Simulated by hoshimi observe simulate: ${records.length - skipped} objects, ${sensors.length} sensors, ${hours} h from ${str('from')}, seed ${seed}`,
        ],
      },
      ctx,
    );
    await sink.write(values['xml'] === true ? formatTdmXml(tdm) : formatTdmKvn(tdm));
    await sink.close();
    const byKind = new Map<string, number>();
    for (const m of measurements) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
    const tracked = new Set(measurements.map((m) => m.target)).size;
    warn(
      `observe simulate: ${measurements.length} measurements (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}) of ${tracked} of ${records.length} objects by ${new Set(measurements.map((m) => m.station)).size} of ${sensors.length} sensors → ${str('out')}${skipped > 0 ? `; ${skipped} objects skipped (SGP4 failed)` : ''}`,
    );
    return 0;
  } catch (e) {
    sink.abort();
    throw e;
  }
}

export async function observeCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(OBSERVE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'simulate') return simulateCommand(rest);
  throw new CliError(
    'USAGE',
    `hoshimi observe: unknown subcommand ${JSON.stringify(sub)}\n\n${OBSERVE_USAGE}`,
  );
}
