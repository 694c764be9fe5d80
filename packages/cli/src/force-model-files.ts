/**
 * The files of a numerical force model for the CLI: reads the `--force-model` JSON (validated by
 * astro's parseForceModelSpec), then the gravity field, the NRLMSISE-00 coefficients and the space
 * weather it names. Paths inside the model file are relative to the model file's folder; keys left
 * out take the defaults, looked for in the user data directory, then in the reference data
 * (earth/gravity/EGM96-truncated-21x21, earth/atmosphere/nrlmsise00-coefficients.json,
 * earth/SW-All_1998-2026.csv.gz), as the time tables are (data.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  DEFAULT_FORCE_MODEL,
  type ForceModelSpec,
  formatIssue,
  type GravityField,
  type Instant,
  type Nrlmsise00Coefficients,
  parseCelestrakSpaceWeatherCsv,
  parseCssiSpaceWeather,
  parseEgm,
  parseForceModelSpec,
  parseIcgem,
  parseNrlmsise00Coefficients,
  type SpaceWeatherTable,
} from '@hoshimi/astro';
import { referenceDataDir, type TableLocation, userDataDir } from './data.js';
import { CliError } from './errors.js';
import { readTextInput } from './io.js';

export const GRAVITY_FILE: TableLocation = {
  user: 'EGM96-truncated-21x21',
  reference: 'earth/gravity/EGM96-truncated-21x21',
};
export const MSIS_FILE: TableLocation = {
  user: 'nrlmsise00-coefficients.json',
  reference: 'earth/atmosphere/nrlmsise00-coefficients.json',
};
export const SPACE_WEATHER_FILE: TableLocation = {
  user: 'SW-All.csv',
  reference: 'earth/SW-All_1998-2026.csv.gz',
};

/** A force model with everything it reads, and where each piece came from. */
export interface LoadedForceModel {
  readonly spec: ForceModelSpec;
  readonly field: GravityField;
  readonly msisCoefficients: Nrlmsise00Coefficients | undefined;
  readonly spaceWeather: SpaceWeatherTable | undefined;
  /** "gravity: PATH", … for the run's report. */
  readonly sources: readonly string[];
}

function defaultPath(table: TableLocation, key: string): string {
  const user = join(userDataDir(), table.user);
  if (existsSync(user)) return user;
  const ref = join(referenceDataDir(), table.reference);
  if (existsSync(ref)) return ref;
  throw new CliError(
    'DATA_MISSING',
    `force model: ${key} not given and ${table.user} is neither in ${userDataDir()} nor at ${ref}: give ${key} in the force-model file or set HOSHIMI_REFERENCE_DATA`,
  );
}

function readModelFile(path: string, key: string): string {
  try {
    return readTextInput(path);
  } catch (e) {
    if (e instanceof CliError) throw new CliError(e.code, `force model ${key}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads the model file (or the default model when `path` is undefined) and every file it needs.
 * `fieldEpoch` is where a time-variable ICGEM field is evaluated (its drift over a propagation of
 * days is far below the static field's error at satellite altitude).
 */
export function loadForceModel(path: string | undefined, fieldEpoch?: Instant): LoadedForceModel {
  let spec = DEFAULT_FORCE_MODEL;
  let base = process.cwd();
  const sources: string[] = [];
  if (path !== undefined) {
    const r = parseForceModelSpec(readModelFile(path, '--force-model'), { file: path });
    if (!r.ok) throw new CliError('FORCE_MODEL_INVALID', r.issues.map(formatIssue).join('\n'));
    spec = r.value;
    base = dirname(resolve(path));
    sources.push(`model: ${path}`);
  } else sources.push('model: default (EGM96 20x20, Sun, Moon, NRLMSISE-00 drag from B*)');
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));

  const g = spec.gravity;
  const gravityPath = g.file === undefined ? defaultPath(GRAVITY_FILE, 'gravity.file') : at(g.file);
  const gravityText = readModelFile(gravityPath, 'gravity.file');
  const parsed =
    g.format === 'icgem'
      ? parseIcgem(gravityText, {
          maxDegree: g.degree,
          maxOrder: g.order,
          file: gravityPath,
          ...(fieldEpoch === undefined ? {} : { epoch: fieldEpoch }),
        })
      : parseEgm(gravityText, {
          maxDegree: g.degree,
          maxOrder: g.order,
          file: gravityPath,
          name: g.file === undefined ? 'EGM96' : '',
        });
  if (!parsed.ok) {
    throw new CliError('FORCE_MODEL_INVALID', `gravity.file: ${parsed.issues.map(formatIssue).join('\n')}`);
  }
  sources.push(`gravity: ${gravityPath}`);

  let msis: Nrlmsise00Coefficients | undefined;
  let sw: SpaceWeatherTable | undefined;
  const d = spec.drag;
  if (d !== undefined) {
    const coeffPath =
      d.coefficientsFile === undefined
        ? defaultPath(MSIS_FILE, 'drag.coefficients_file')
        : at(d.coefficientsFile);
    try {
      msis = parseNrlmsise00Coefficients(readModelFile(coeffPath, 'drag.coefficients_file'));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(
        'FORCE_MODEL_INVALID',
        `drag.coefficients_file ${coeffPath}: ${(e as Error).message}`,
      );
    }
    sources.push(`atmosphere: ${coeffPath}`);
    if (d.activity === undefined) {
      const swPath =
        d.spaceWeatherFile === undefined
          ? defaultPath(SPACE_WEATHER_FILE, 'drag.space_weather_file')
          : at(d.spaceWeatherFile);
      const text = readModelFile(swPath, 'drag.space_weather_file');
      // CelesTrak's CSV starts with its header row; the CSSI text with comments or DATATYPE lines.
      const r = text.trimStart().startsWith('DATE,')
        ? parseCelestrakSpaceWeatherCsv(text, { file: swPath })
        : parseCssiSpaceWeather(text, { file: swPath });
      if (!r.ok)
        throw new CliError(
          'FORCE_MODEL_INVALID',
          `drag.space_weather_file: ${r.issues.map(formatIssue).join('\n')}`,
        );
      sw = r.value;
      sources.push(`space weather: ${swPath}`);
    }
  }
  return { spec, field: parsed.value, msisCoefficients: msis, spaceWeather: sw, sources };
}
