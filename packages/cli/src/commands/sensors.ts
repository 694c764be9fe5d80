/**
 * `hoshimi sensors list`: the sensors of a sensor file (default: the public sites shipped with
 * @hoshimi/astro), with their site, limits, noise and the source of the numbers. Reading and
 * validation are astro's (parseSensorFile); this command only prints.
 */
import { itrfToGeodeticArray, type Sensor } from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { defaultSensorsFile, loadSensors, readInputFile } from '../observation-files.js';

export const SENSORS_USAGE = `Usage: hoshimi sensors <subcommand> [options]

Subcommands:
  list    the sensors of a sensor file: site, type, limits, noise and sources

Run 'hoshimi sensors <subcommand> --help' for its options.
`;

export const SENSORS_LIST_USAGE = `Usage: hoshimi sensors list [--sensors FILE] [--json]

Lists the sensors of FILE (a JSON array; see the README's "Sensor and stations files"), by default
the public sensor sites shipped with Hoshimi (Japan's space-guard radar and telescopes in Okayama,
the deep-space radar in Yamaguchi, representative US sites), each with the source of its numbers.
  --sensors FILE   sensor file (default: @hoshimi/astro's data/sensors.json)
  --json           one JSON array: name, type, lat_deg, lon_deg, alt_m, limits, measurements,
                   noise and bias (m, m/s, arcsec), source
`;

const DEG = 180 / Math.PI;
const ARCSEC = (180 * 3600) / Math.PI;

function round(v: number, decimals: number): number {
  return Number(v.toFixed(decimals));
}

/** A sensor as the JSON output shows it: the sensor file's own keys and units. */
export function sensorJson(s: Sensor): Record<string, unknown> {
  const g = itrfToGeodeticArray(s.itrfKm, [0, 0, 0]);
  return {
    name: s.name,
    type: s.type,
    // Rounded to 1e-9° (0.1 mm) and 0.1 mm: the geodetic round trip adds sub-nanometre noise.
    lat_deg: round(g[0] * DEG, 9),
    lon_deg: round(g[1] * DEG, 9),
    alt_m: round(g[2] * 1000, 4),
    min_elevation_deg: s.minElevationRad * DEG,
    max_elevation_deg: s.maxElevationRad * DEG,
    min_range_km: s.minRangeKm,
    max_range_km: Number.isFinite(s.maxRangeKm) ? s.maxRangeKm : null,
    azimuth_sectors_deg: s.azimuthSectors.map((a) => [a.fromRad * DEG, a.toRad * DEG]),
    measurements: s.measurements,
    range_sigma_m: s.noise.rangeKm === undefined ? null : s.noise.rangeKm * 1000,
    range_rate_sigma_m_s: s.noise.rangeRateKmS === undefined ? null : s.noise.rangeRateKmS * 1000,
    angle_sigma_arcsec: s.noise.angleRad === undefined ? null : s.noise.angleRad * ARCSEC,
    range_bias_m: s.bias.rangeKm === undefined ? null : s.bias.rangeKm * 1000,
    angle_bias_arcsec: s.bias.angleRad === undefined ? null : s.bias.angleRad.map((a) => a * ARCSEC),
    ...(s.lighting === undefined
      ? {}
      : {
          max_sun_elevation_deg: s.lighting.maxSunElevationRad * DEG,
          require_target_sunlit: s.lighting.requireTargetSunlit,
          moon_avoidance_deg: s.lighting.moonAvoidanceRad * DEG,
        }),
    source: s.source ?? null,
  };
}

function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined ? '-' : v.toFixed(digits);
}

async function listCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi sensors list', SENSORS_LIST_USAGE, {
    args: [...argv],
    options: {
      sensors: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const file = values.sensors ?? defaultSensorsFile();
  const sensors = loadSensors(readInputFile(file), '--sensors', warn);
  const rows = sensors.map(sensorJson);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const header = `${'NAME'.padEnd(24)} ${'TYPE'.padEnd(7)} ${'LAT°'.padStart(8)} ${'LON°'.padStart(9)} ${'ALT m'.padStart(6)} ${'MIN EL°'.padStart(7)} ${'MAX RANGE km'.padStart(12)}  NOISE (range m, rate m/s, angle ″)  MEASUREMENTS\n`;
  process.stdout.write(header);
  for (const r of rows) {
    const noise = `${fixed(r['range_sigma_m'] as number | null, 1)}, ${fixed(r['range_rate_sigma_m_s'] as number | null, 3)}, ${fixed(r['angle_sigma_arcsec'] as number | null, 2)}`;
    process.stdout.write(
      `${String(r['name']).padEnd(24)} ${String(r['type']).padEnd(7)} ${fixed(r['lat_deg'] as number, 3).padStart(8)} ${fixed(r['lon_deg'] as number, 3).padStart(9)} ${fixed(r['alt_m'] as number, 0).padStart(6)} ${fixed(r['min_elevation_deg'] as number, 1).padStart(7)} ${fixed(r['max_range_km'] as number | null, 0).padStart(12)}  ${noise.padEnd(33)}  ${(r['measurements'] as string[]).join(',')}\n`,
    );
  }
  warn(`sensors: ${rows.length} sensors in ${file}`);
  return 0;
}

export async function sensorsCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(SENSORS_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') return listCommand(rest);
  throw new CliError(
    'USAGE',
    `hoshimi sensors: unknown subcommand ${JSON.stringify(sub)}\n\n${SENSORS_USAGE}`,
  );
}
