/**
 * The observation-side files of the CLI (`sensors`, `passes`, `observe`, `od`): the sensor file
 * (astro's packages/astro/data/sensors.json by default), stations files (JSON in the sensor-file
 * format, or SINEX coordinates and eccentricities), and observation files (CCSDS TDM or ILRS CRD,
 * told by content). Parsing is astro's; this module reads the bytes, names the file in every error
 * and keeps each file's SHA-256 for the provenance of stored results.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AstroContext,
  formatIssue,
  type GroundStation,
  type Instant,
  type Measurement,
  measurementsFromCrd,
  measurementsFromTdm,
  parseCrd,
  parseSensorFile,
  parseSinex,
  parseTdm,
  parseTimeToInstant,
  type Sensor,
  type SinexFile,
  sinexStations,
} from '@hoshimi/astro';
import { CliError } from './errors.js';
import { readInputBytes } from './io.js';

/** The sensor file shipped with @hoshimi/astro (public sites with their sources). */
export function defaultSensorsFile(): string {
  const main = fileURLToPath(import.meta.resolve('@hoshimi/astro'));
  // dist/index.js → the package folder → data/sensors.json
  const path = join(dirname(main), '..', 'data', 'sensors.json');
  if (!existsSync(path)) {
    throw new CliError(
      'DATA_MISSING',
      `the default sensor file ${path} is missing from @hoshimi/astro: give --sensors FILE`,
    );
  }
  return path;
}

/** A file read once: its text and the SHA-256 of its bytes. */
export interface InputFile {
  readonly file: string;
  readonly text: string;
  readonly sha256: string;
}

/** Reads a file as UTF-8 text with its SHA-256 (of the bytes as read). */
export function readInputFile(file: string): InputFile {
  const bytes = readInputBytes(file);
  if (bytes.includes(0)) {
    throw new CliError('INPUT_BINARY', `${file}: binary data (NUL bytes) where a text file was expected`);
  }
  return {
    file,
    text: bytes.toString('utf8'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Sensors of a sensor or stations file (JSON); a bad entry is reported, the good ones kept. */
export function loadSensors(input: InputFile, flag: string, warn: (line: string) => void): Sensor[] {
  const r = parseSensorFile(input.text, input.file);
  if (!r.ok) {
    throw new CliError('SENSORS_INVALID', `${flag} ${r.issues.map(formatIssue).join('\n')}`);
  }
  for (const w of r.warnings) warn(`warning: ${formatIssue(w)}`);
  return r.value;
}

/** A user time (ISO-8601 or CCSDS day-of-year, UTC) as an instant; the error names the option. */
export function instantArg(text: string, flag: string, ctx: AstroContext): Instant {
  const r = parseTimeToInstant(text, ctx);
  if (!r.ok) throw new CliError('USAGE', `${flag}: ${r.issues.map(formatIssue).join('; ')}`);
  return r.value;
}

/** `--objects 25544,43013`: catalog numbers, normalised (no leading zeros). */
export function objectsArg(text: string | undefined, flag = '--objects'): Set<string> | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').map((s) => s.trim());
  if (ids.some((p) => !/^\d{1,9}$/.test(p))) {
    throw new CliError(
      'USAGE',
      `${flag}: expected comma-separated catalog numbers, got ${JSON.stringify(text)}`,
    );
  }
  return new Set(ids.map((p) => String(Number(p))));
}

/** What an observation file holds, told by its first significant line. */
export type ObservationFormat = 'tdm' | 'crd';

export function observationFormat(input: InputFile): ObservationFormat {
  const head = input.text.replace(/^\uFEFF/, '').trimStart();
  if (/^CCSDS_TDM_VERS\b/.test(head) || /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<tdm\b/i.test(head))
    return 'tdm';
  if (/^(h1|H1)\b/.test(head)) return 'crd';
  const first = head.split('\n', 1)[0] ?? '';
  throw new CliError(
    'OBS_FORMAT',
    `${input.file}:1: not a CCSDS TDM (CCSDS_TDM_VERS or <tdm>) nor an ILRS CRD (H1 record): ${JSON.stringify(first.slice(0, 40))}`,
  );
}

/** Measurements of one observation file. */
export interface ObservationFileResult {
  readonly format: ObservationFormat;
  readonly measurements: Measurement[];
  /** CRD: the ILRS id of each target label (for the satellite's centre-of-mass correction). */
  readonly ilrsIds: Map<string, string>;
}

/**
 * The measurements of a TDM or CRD file. TDM values carry no sigma (NaN here; the stations file's
 * noise fills them); CRD normal points carry their RMS. Skipped TDM data are listed on stderr.
 */
export function readObservations(
  input: InputFile,
  ctx: AstroContext,
  warn: (line: string) => void,
): ObservationFileResult {
  const format = observationFormat(input);
  if (format === 'tdm') {
    const parsed = parseTdm(input.text, { file: input.file });
    if (!parsed.ok) throw new CliError('TDM_INVALID', parsed.issues.map(formatIssue).join('\n'));
    for (const w of parsed.warnings) warn(`warning: ${formatIssue(w)}`);
    const r = measurementsFromTdm(parsed.value, { context: ctx, file: input.file });
    for (const s of r.skipped) {
      warn(
        `${input.file}${s.line === undefined ? '' : `:${s.line}`}: ${s.count} ${s.keyword} records skipped: ${s.reason}`,
      );
    }
    return { format, measurements: r.measurements, ilrsIds: new Map() };
  }
  const parsed = parseCrd(input.text, { fileName: input.file });
  if (!parsed.ok) throw new CliError('CRD_INVALID', parsed.issues.map(formatIssue).join('\n'));
  for (const w of parsed.warnings) warn(`warning: ${formatIssue(w)}`);
  // Targets by ILRS id (always written), named by the NORAD number of any block that gives a
  // valid one: some files write -1 or na in part of their blocks.
  const norad = new Map<string, string>();
  for (const b of parsed.value.blocks) {
    const n = Number.parseInt(b.target.noradId, 10);
    if (Number.isInteger(n) && n > 0 && !norad.has(b.target.ilrsId)) norad.set(b.target.ilrsId, String(n));
  }
  const ms = measurementsFromCrd(parsed.value, { context: ctx, fileName: input.file, target: 'ilrs' }).map(
    (m) => ({ ...m, target: norad.get(m.target) ?? m.target }),
  );
  if (ms.length === 0) {
    throw new CliError('OBS_EMPTY', `${input.file}: no normal points (CRD record 11) in the file`);
  }
  const ilrsIds = new Map<string, string>();
  for (const b of parsed.value.blocks)
    ilrsIds.set(norad.get(b.target.ilrsId) ?? b.target.ilrsId, b.target.ilrsId);
  return { format, measurements: ms, ilrsIds };
}

/** The stations of the --stations files, by name (JSON) or by SINEX site code. */
export interface StationSet {
  readonly stations: Map<string, GroundStation>;
  /** Sensors of JSON stations files (noise, bias, type), by name. */
  readonly sensors: Map<string, Sensor>;
}

function isSinex(text: string): boolean {
  return /^%=SNX\b/.test(text.replace(/^\uFEFF/, '').trimStart());
}

/**
 * Stations from JSON files (the sensor-file reader: `{name, lat_deg, lon_deg, alt_m}` or ITRF
 * `x_m, y_m, z_m`, plus noise and bias) and SINEX files. A SINEX file with coordinates
 * (SOLUTION/ESTIMATE) gives positions at `epoch`; one with only SITE/ECCENTRICITY gives the
 * eccentricities applied to them.
 */
export function loadStations(
  inputs: readonly InputFile[],
  epoch: Instant,
  ctx: AstroContext,
  warn: (line: string) => void,
): StationSet {
  const stations = new Map<string, GroundStation>();
  const sensors = new Map<string, Sensor>();
  const coordinates: SinexFile[] = [];
  const eccentricities: SinexFile[] = [];
  for (const input of inputs) {
    if (isSinex(input.text)) {
      const r = parseSinex(input.text, { fileName: input.file });
      if (!r.ok) throw new CliError('SINEX_INVALID', r.issues.map(formatIssue).join('\n'));
      for (const w of r.warnings) warn(`warning: ${formatIssue(w)}`);
      if (r.value.estimates.length > 0) coordinates.push(r.value);
      else if (r.value.eccentricities.length > 0) eccentricities.push(r.value);
      else
        throw new CliError(
          'SINEX_INVALID',
          `${input.file}: a SINEX file with neither SOLUTION/ESTIMATE station coordinates nor SITE/ECCENTRICITY`,
        );
      continue;
    }
    for (const s of loadSensors(input, '--stations', warn)) {
      stations.set(s.name, s);
      sensors.set(s.name, s);
    }
  }
  if (eccentricities.length > 1) {
    throw new CliError('USAGE', '--stations: give at most one SINEX eccentricity file');
  }
  if (eccentricities.length > 0 && coordinates.length === 0) {
    throw new CliError(
      'USAGE',
      '--stations: a SINEX eccentricity file needs a SINEX coordinate file (SOLUTION/ESTIMATE) beside it',
    );
  }
  for (const snx of coordinates) {
    const found = sinexStations(snx, epoch, {
      context: ctx,
      ...(eccentricities[0] === undefined ? {} : { eccentricities: eccentricities[0] }),
    });
    for (const [name, st] of found) if (!stations.has(name)) stations.set(name, st);
  }
  return { stations, sensors };
}

/** Fills the sigmas a TDM does not carry from the stations file's noise; names what is missing. */
export function withSigmas(m: Measurement, sensor: Sensor | undefined): Measurement {
  if (m.sigmas.length === m.values.length && m.sigmas.every((s) => s > 0 && Number.isFinite(s))) return m;
  const where = m.source === undefined ? '' : `${m.source.file}:${m.source.line}: `;
  let sigma: number | undefined;
  let key: string;
  switch (m.kind) {
    case 'range':
      sigma = sensor?.noise.rangeKm;
      key = 'range_sigma_m';
      break;
    case 'range-rate':
      sigma = sensor?.noise.rangeRateKmS;
      key = 'range_rate_sigma_m_s';
      break;
    default:
      sigma = sensor?.noise.angleRad;
      key = 'angle_sigma_arcsec';
  }
  if (sigma === undefined) {
    throw new CliError(
      'OD_NO_SIGMA',
      `${where}${m.kind} of station ${m.station} has no sigma: give ${key} for ${m.station} in a JSON --stations file`,
    );
  }
  return { ...m, sigmas: m.values.map(() => sigma) };
}
