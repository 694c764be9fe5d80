/**
 * Reader of the sensor file and of the stations file: both are a JSON array of objects, one per
 * sensor or station. A stations-file entry is the short form (`{name, lat_deg, lon_deg, alt_m}` or
 * `{name, x_m, y_m, z_m}` plus optional noise and bias); a sensor-file entry adds the type, limits
 * and lighting. Every key declares its unit in its name; values are converted to km, km/s and rad
 * here. Validation is strict: an unknown key, a key in another unit than the table's (for example
 * `max_range_m` where `max_range_km` is expected), a wrong type or an out-of-range value rejects the
 * entry, reported with the array index, the key and the line where the entry starts. Good entries
 * are kept; the result fails only when no entry is usable or the JSON itself is malformed.
 *
 * Keys (all optional unless marked):
 *   name (required, unique), type ('radar' | 'optical' | 'laser'), source, notes,
 *   lat_deg, lon_deg, alt_m (geodetic WGS-84) | x_m, y_m, z_m (ITRF) — one of the two, required,
 *   min_elevation_deg (default 0), max_elevation_deg (90), min_range_km (0), max_range_km (∞),
 *   azimuth_sectors_deg: [[from, to], ...] clockwise, field_of_regard: {center_az_deg,
 *   center_el_deg, half_angle_deg}, measurements: [MeasurementKind...],
 *   range_sigma_m, range_rate_sigma_m_s, angle_sigma_arcsec, range_bias_m, range_rate_bias_m_s,
 *   angle_bias_arcsec (a number for both angles or a pair),
 *   max_sun_elevation_deg (−12), require_target_sunlit (true), moon_avoidance_deg (0),
 *   max_visual_magnitude (optical only), wavelength_nm (laser).
 * Without `type`: 'laser' when wavelength_nm is given, 'optical' when only angle noise is given,
 * else 'radar'. Lighting keys are refused on non-optical sensors.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { geodeticToItrfArray } from '../frames/geodetic.js';
import type { Vec3 } from '../math/vec3.js';
import { ARCSEC2RAD, DEG2RAD } from '../units/index.js';
import { MEASUREMENT_KINDS, type MeasurementKind } from './observation.js';
import {
  type AzimuthSector,
  DEFAULT_MAX_SUN_ELEVATION_RAD,
  DEFAULT_MEASUREMENTS,
  type FieldOfRegard,
  type LightingConstraints,
  normalizeAzimuth,
  SENSOR_TYPES,
  type Sensor,
  type SensorBias,
  type SensorNoise,
  type SensorType,
} from './sensor.js';

type Kind = 'number' | 'string' | 'boolean' | 'sectors' | 'for' | 'kinds' | 'angle-bias';

interface KeyDef {
  readonly kind: Kind;
  /** Inclusive numeric bounds in the key's own unit. */
  readonly min?: number;
  readonly max?: number;
  /** Strictly positive. */
  readonly positive?: boolean;
}

/** The key table: name (with its unit) → type and bounds. */
const KEYS: Readonly<Record<string, KeyDef>> = {
  name: { kind: 'string' },
  type: { kind: 'string' },
  source: { kind: 'string' },
  notes: { kind: 'string' },
  lat_deg: { kind: 'number', min: -90, max: 90 },
  lon_deg: { kind: 'number', min: -180, max: 360 },
  alt_m: { kind: 'number', min: -500, max: 10000 },
  x_m: { kind: 'number', min: -7e6, max: 7e6 },
  y_m: { kind: 'number', min: -7e6, max: 7e6 },
  z_m: { kind: 'number', min: -7e6, max: 7e6 },
  min_elevation_deg: { kind: 'number', min: -10, max: 90 },
  max_elevation_deg: { kind: 'number', min: -10, max: 90 },
  min_range_km: { kind: 'number', min: 0, max: 1e7 },
  max_range_km: { kind: 'number', min: 0, max: 1e7, positive: true },
  azimuth_sectors_deg: { kind: 'sectors' },
  field_of_regard: { kind: 'for' },
  measurements: { kind: 'kinds' },
  range_sigma_m: { kind: 'number', max: 1e5, positive: true },
  range_rate_sigma_m_s: { kind: 'number', max: 1e4, positive: true },
  angle_sigma_arcsec: { kind: 'number', max: 36000, positive: true },
  range_bias_m: { kind: 'number', min: -1e5, max: 1e5 },
  range_rate_bias_m_s: { kind: 'number', min: -1e4, max: 1e4 },
  angle_bias_arcsec: { kind: 'angle-bias' },
  max_sun_elevation_deg: { kind: 'number', min: -90, max: 90 },
  require_target_sunlit: { kind: 'boolean' },
  moon_avoidance_deg: { kind: 'number', min: 0, max: 180 },
  max_visual_magnitude: { kind: 'number', min: -30, max: 40 },
  wavelength_nm: { kind: 'number', min: 200, max: 20000 },
};

/** Unit suffixes recognised to tell "wrong unit" from "unknown key". */
const UNIT_SUFFIXES = ['_deg', '_rad', '_arcsec', '_m', '_km', '_m_s', '_km_s', '_mm', '_nm', '_um', '_ft'];

function baseOfKey(key: string): string {
  let best = '';
  for (const s of UNIT_SUFFIXES) if (key.endsWith(s) && s.length > best.length) best = s;
  return best === '' ? key : key.slice(0, -best.length);
}

const LIGHTING_KEYS = [
  'max_sun_elevation_deg',
  'require_target_sunlit',
  'moon_avoidance_deg',
  'max_visual_magnitude',
];

/** Line (1-based) where each top-level array element starts, found by a scan that skips strings. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 1) lines.push(line);
    } else if (c === '{' || c === '[') {
      if (depth === 1) lines.push(line);
      depth++;
    } else if (c === ']' || c === '}') depth--;
    else if (depth === 1 && c !== ',' && c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') {
      // A bare scalar element: note it once.
      if (lines.length === 0 || text[i - 1] === ',' || /[\s,[]/.test(text[i - 1] ?? '')) lines.push(line);
      while (i + 1 < text.length && !/[\s,\]]/.test(text[i + 1]!)) i++;
    }
  }
  return lines;
}

/** What the reader builds from one entry, or the issues that reject it. */
type EntryResult = { readonly sensor: Sensor } | { readonly issues: ParseIssue[] };

/**
 * Parses a sensor file or a stations file (JSON array). `fileName` appears in every issue.
 * Issues carry `key` as `[index].key` and `line` as the line where the entry starts.
 */
export function parseSensorFile(text: string, fileName: string): ParseResult<Sensor[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      issues: [
        {
          code: 'SENSOR_FILE_JSON',
          message: `not valid JSON: ${(e as Error).message}`,
          file: fileName,
          expected: 'a JSON array of sensor or station objects',
        },
      ],
    };
  }
  if (!Array.isArray(data)) {
    return {
      ok: false,
      issues: [
        {
          code: 'SENSOR_FILE_NOT_ARRAY',
          message: 'the file must be a JSON array of sensor or station objects',
          file: fileName,
          line: 1,
          expected: 'a JSON array',
          found: typeof data,
        },
      ],
    };
  }
  const lines = elementLines(text);
  const sensors: Sensor[] = [];
  const warnings: ParseIssue[] = [];
  const names = new Set<string>();
  data.forEach((entry: unknown, index: number) => {
    const line = lines[index] ?? 1;
    const r = parseEntry(entry, index, fileName, line);
    if ('issues' in r) {
      warnings.push(...r.issues);
      return;
    }
    if (names.has(r.sensor.name)) {
      warnings.push({
        code: 'SENSOR_DUPLICATE_NAME',
        message: `[${index}] name ${JSON.stringify(r.sensor.name)} is used by an earlier entry`,
        file: fileName,
        line,
        key: `[${index}].name`,
        expected: 'a unique name',
        found: r.sensor.name,
      });
      return;
    }
    names.add(r.sensor.name);
    sensors.push(r.sensor);
  });
  if (sensors.length === 0) {
    const issues: ParseIssue[] =
      warnings.length > 0
        ? warnings
        : [{ code: 'SENSOR_FILE_EMPTY', message: 'no sensor or station in the file', file: fileName }];
    return { ok: false, issues };
  }
  return { ok: true, value: sensors, warnings };
}

function parseEntry(entry: unknown, index: number, file: string, line: number): EntryResult {
  const issues: ParseIssue[] = [];
  const issue = (code: string, key: string, message: string, expected?: string, found?: unknown): void => {
    const i: ParseIssue = {
      code,
      message: `[${index}] ${key}: ${message}`,
      file,
      line,
      key: `[${index}].${key}`,
    };
    issues.push({
      ...i,
      ...(expected === undefined ? {} : { expected }),
      ...(found === undefined
        ? {}
        : { found: String(typeof found === 'object' ? JSON.stringify(found) : found) }),
    });
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    issue('SENSOR_ENTRY_NOT_OBJECT', '', 'each entry must be an object', 'an object', entry);
    return { issues };
  }
  const obj = entry as Record<string, unknown>;
  const num: Record<string, number> = {};
  const str: Record<string, string> = {};
  let sunlit: boolean | undefined;
  let sectors: AzimuthSector[] = [];
  let fieldOfRegard: FieldOfRegard | undefined;
  let kinds: MeasurementKind[] | undefined;
  let angleBias: [number, number] | undefined;

  for (const [key, value] of Object.entries(obj)) {
    const def = KEYS[key];
    if (def === undefined) {
      const base = baseOfKey(key);
      const known = Object.keys(KEYS).find((k) => baseOfKey(k) === base && k !== base);
      if (known !== undefined && base !== key) {
        issue('SENSOR_WRONG_UNIT', key, `wrong unit: this file format expects ${known}`, known, key);
      } else {
        issue('SENSOR_UNKNOWN_KEY', key, 'unknown key', 'one of the keys of the sensor file format', key);
      }
      continue;
    }
    switch (def.kind) {
      case 'number': {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          issue('SENSOR_BAD_VALUE', key, 'expected a finite number', 'a number', value);
          break;
        }
        const lo = def.min;
        const hi = def.max;
        if (
          (lo !== undefined && value < lo) ||
          (hi !== undefined && value > hi) ||
          (def.positive && value <= 0)
        ) {
          const range = `${def.positive ? '> 0' : `≥ ${lo}`}${hi === undefined ? '' : ` and ≤ ${hi}`}`;
          issue('SENSOR_OUT_OF_RANGE', key, `value out of range (${range})`, range, value);
          break;
        }
        num[key] = value;
        break;
      }
      case 'string':
        if (typeof value !== 'string' || value.trim() === '') {
          issue('SENSOR_BAD_VALUE', key, 'expected a non-empty string', 'a string', value);
        } else str[key] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean')
          issue('SENSOR_BAD_VALUE', key, 'expected true or false', 'a boolean', value);
        else sunlit = value;
        break;
      case 'sectors': {
        const ok =
          Array.isArray(value) &&
          value.every(
            (s) =>
              Array.isArray(s) &&
              s.length === 2 &&
              s.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= -360 && x <= 720),
          );
        if (!ok) {
          issue(
            'SENSOR_BAD_VALUE',
            key,
            'expected an array of [from_deg, to_deg] pairs (clockwise)',
            '[[from, to], ...] in degrees',
            value,
          );
        } else {
          sectors = (value as [number, number][]).map(([a, b]) => ({
            fromRad: normalizeAzimuth(a * DEG2RAD),
            toRad: normalizeAzimuth(b * DEG2RAD),
          }));
        }
        break;
      }
      case 'for': {
        const v = value as Record<string, unknown>;
        const keys = ['center_az_deg', 'center_el_deg', 'half_angle_deg'];
        const ok =
          typeof value === 'object' &&
          value !== null &&
          Object.keys(v).every((k) => keys.includes(k)) &&
          keys.every((k) => typeof v[k] === 'number' && Number.isFinite(v[k]));
        if (!ok) {
          issue(
            'SENSOR_BAD_VALUE',
            key,
            'expected {center_az_deg, center_el_deg, half_angle_deg}',
            keys.join(', '),
            value,
          );
          break;
        }
        const half = v['half_angle_deg'] as number;
        const el = v['center_el_deg'] as number;
        if (!(half > 0 && half <= 180) || el < -90 || el > 90) {
          issue(
            'SENSOR_OUT_OF_RANGE',
            key,
            'half_angle_deg in (0, 180], center_el_deg in [−90, 90]',
            '',
            value,
          );
          break;
        }
        fieldOfRegard = {
          centerAzimuthRad: normalizeAzimuth((v['center_az_deg'] as number) * DEG2RAD),
          centerElevationRad: el * DEG2RAD,
          halfAngleRad: half * DEG2RAD,
        };
        break;
      }
      case 'kinds': {
        const ok =
          Array.isArray(value) &&
          value.length > 0 &&
          value.every((k) => typeof k === 'string' && (MEASUREMENT_KINDS as readonly string[]).includes(k));
        if (!ok)
          issue(
            'SENSOR_BAD_VALUE',
            key,
            'expected a non-empty array of measurement kinds',
            MEASUREMENT_KINDS.join('|'),
            value,
          );
        else kinds = [...new Set(value as MeasurementKind[])];
        break;
      }
      case 'angle-bias': {
        const finite = (x: unknown): x is number =>
          typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= 36000;
        if (finite(value)) angleBias = [value * ARCSEC2RAD, value * ARCSEC2RAD];
        else if (Array.isArray(value) && value.length === 2 && value.every(finite)) {
          angleBias = [(value[0] as number) * ARCSEC2RAD, (value[1] as number) * ARCSEC2RAD];
        } else
          issue('SENSOR_BAD_VALUE', key, 'expected a number or a pair, |value| ≤ 36000″', 'arcsec', value);
        break;
      }
    }
  }

  // Required: name and exactly one position form.
  const name = str['name'];
  if (name === undefined && !('name' in obj)) issue('SENSOR_MISSING_KEY', 'name', 'missing', 'a name');
  const hasGeo = ['lat_deg', 'lon_deg', 'alt_m'].some((k) => k in obj);
  const hasXyz = ['x_m', 'y_m', 'z_m'].some((k) => k in obj);
  let itrfKm: Vec3 | undefined;
  if (hasGeo && hasXyz) {
    issue(
      'SENSOR_POSITION_TWICE',
      'x_m',
      'give either lat_deg/lon_deg/alt_m or x_m/y_m/z_m, not both',
      'one position form',
    );
  } else if (hasGeo) {
    for (const k of ['lat_deg', 'lon_deg', 'alt_m'])
      if (!(k in obj)) issue('SENSOR_MISSING_KEY', k, 'missing', k);
    const lat = num['lat_deg'];
    const lon = num['lon_deg'];
    const alt = num['alt_m'];
    if (lat !== undefined && lon !== undefined && alt !== undefined) {
      itrfKm = geodeticToItrfArray(lat * DEG2RAD, lon * DEG2RAD, alt / 1000, [0, 0, 0]);
    }
  } else if (hasXyz) {
    for (const k of ['x_m', 'y_m', 'z_m']) if (!(k in obj)) issue('SENSOR_MISSING_KEY', k, 'missing', k);
    const x = num['x_m'];
    const y = num['y_m'];
    const z = num['z_m'];
    if (x !== undefined && y !== undefined && z !== undefined) {
      const r = Math.hypot(x, y, z);
      // Earth's surface lies between 6,356.7 km (pole) and 6,378.1 km (equator); allow −0.5/+10 km.
      if (r < 6356e3 || r > 6390e3) {
        issue(
          'SENSOR_OUT_OF_RANGE',
          'x_m',
          'ITRF position is not on the Earth’s surface',
          '6,356 km ≤ |r| ≤ 6,390 km',
          `${(r / 1000).toFixed(3)} km`,
        );
      } else itrfKm = [x / 1000, y / 1000, z / 1000];
    }
  } else {
    issue('SENSOR_MISSING_KEY', 'lat_deg', 'no position', 'lat_deg, lon_deg, alt_m or x_m, y_m, z_m');
  }

  let type: SensorType;
  const typeStr = str['type'];
  if (typeStr !== undefined) {
    if (!(SENSOR_TYPES as readonly string[]).includes(typeStr)) {
      issue('SENSOR_BAD_VALUE', 'type', 'unknown sensor type', SENSOR_TYPES.join('|'), typeStr);
      type = 'radar';
    } else type = typeStr as SensorType;
  } else if ('wavelength_nm' in obj) type = 'laser';
  else if ('angle_sigma_arcsec' in obj && !('range_sigma_m' in obj) && !('range_rate_sigma_m_s' in obj)) {
    type = 'optical';
  } else type = 'radar';

  if (type !== 'optical') {
    for (const k of LIGHTING_KEYS) {
      if (k in obj)
        issue(
          'SENSOR_NOT_OPTICAL',
          k,
          `lighting keys apply to optical sensors only (type ${type})`,
          'type optical',
          k,
        );
    }
  }
  const minEl = (num['min_elevation_deg'] ?? 0) * DEG2RAD;
  const maxEl = (num['max_elevation_deg'] ?? 90) * DEG2RAD;
  if (minEl >= maxEl) {
    issue(
      'SENSOR_OUT_OF_RANGE',
      'max_elevation_deg',
      'must exceed min_elevation_deg',
      '> min_elevation_deg',
      num['max_elevation_deg'],
    );
  }
  const minRange = num['min_range_km'] ?? 0;
  const maxRange = num['max_range_km'] ?? Number.POSITIVE_INFINITY;
  if (minRange >= maxRange) {
    issue('SENSOR_OUT_OF_RANGE', 'max_range_km', 'must exceed min_range_km', '> min_range_km', maxRange);
  }
  const measurements = kinds ?? DEFAULT_MEASUREMENTS[type];
  if (type === 'optical' && measurements.some((k) => k === 'range' || k === 'range-rate')) {
    issue(
      'SENSOR_BAD_VALUE',
      'measurements',
      'an optical sensor measures angles only',
      'angle kinds',
      measurements,
    );
  }

  if (issues.length > 0 || name === undefined || itrfKm === undefined) return { issues };

  const noise: SensorNoise = {
    ...(num['range_sigma_m'] === undefined ? {} : { rangeKm: num['range_sigma_m'] / 1000 }),
    ...(num['range_rate_sigma_m_s'] === undefined
      ? {}
      : { rangeRateKmS: num['range_rate_sigma_m_s'] / 1000 }),
    ...(num['angle_sigma_arcsec'] === undefined ? {} : { angleRad: num['angle_sigma_arcsec'] * ARCSEC2RAD }),
  };
  const bias: SensorBias = {
    ...(num['range_bias_m'] === undefined ? {} : { rangeKm: num['range_bias_m'] / 1000 }),
    ...(num['range_rate_bias_m_s'] === undefined ? {} : { rangeRateKmS: num['range_rate_bias_m_s'] / 1000 }),
    ...(angleBias === undefined ? {} : { angleRad: angleBias }),
  };
  let lighting: LightingConstraints | undefined;
  if (type === 'optical') {
    lighting = {
      maxSunElevationRad:
        num['max_sun_elevation_deg'] === undefined
          ? DEFAULT_MAX_SUN_ELEVATION_RAD
          : num['max_sun_elevation_deg'] * DEG2RAD,
      requireTargetSunlit: sunlit ?? true,
      moonAvoidanceRad: (num['moon_avoidance_deg'] ?? 0) * DEG2RAD,
      ...(num['max_visual_magnitude'] === undefined
        ? {}
        : { maxVisualMagnitude: num['max_visual_magnitude'] }),
    };
  }
  const sensor: Sensor = {
    name,
    itrfKm,
    type,
    minElevationRad: minEl,
    maxElevationRad: maxEl,
    minRangeKm: minRange,
    maxRangeKm: maxRange,
    azimuthSectors: sectors,
    ...(fieldOfRegard === undefined ? {} : { fieldOfRegard }),
    measurements,
    noise,
    bias,
    ...(lighting === undefined ? {} : { lighting }),
    ...(num['wavelength_nm'] === undefined ? {} : { wavelengthNm: num['wavelength_nm'] }),
    ...(str['source'] === undefined ? {} : { source: str['source'] }),
  };
  return { sensor };
}
