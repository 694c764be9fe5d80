/**
 * CCSDS Tracking Data Message (TDM, CCSDS 503.0-B-2): the message model and the key table that
 * the reader (tdm-read.ts), the writer (tdm-write.ts) and the conversion to and from Hoshimi's
 * Measurement record (tdm-measurements.ts) share.
 *
 * A TDM is a header and segments; a segment is a metadata block (§3.3, Table 3-3) and a data block
 * of tracking data records `KEYWORD = epoch value` (§3.4, Table 3-5). The model keeps every keyword
 * read, so that read → write → read gives the same message:
 * - metadata values are numbers for the numeric keywords and strings otherwise, in the unit the
 *   standard gives the keyword (the `unit` of the key table); epochs stay as written;
 * - each data record keeps its epoch as written, its value as a number and its text as written
 *   (phase counts carry more digits than a double holds).
 * The message is the file: values stay in the file's units here (degrees, hPa, Hz…). Conversion
 * to the library's units (km, km/s, rad) happens once, in `measurementsFromTdm`.
 */

/** Time systems Hoshimi can convert (time/scales.ts); any other TIME_SYSTEM is refused. */
export const TDM_TIME_SYSTEMS = ['UTC', 'TAI', 'TT', 'GPS', 'TDB', 'UT1'] as const;
/** A supported TDM time system. */
export type TdmTimeSystem = (typeof TDM_TIME_SYSTEMS)[number];

/** How a metadata keyword's value is read. */
export type TdmValueKind = 'string' | 'number' | 'integer' | 'epoch' | 'path' | 'enum';

/** One keyword of the metadata block (503.0-B-2 Table 3-3). */
export interface TdmMetadataKeyDef {
  readonly key: string;
  readonly kind: TdmValueKind;
  /** The standard's unit, when it has one. */
  readonly unit?: string;
  /** Allowed values of an `enum` keyword. */
  readonly values?: readonly string[];
}

/** One keyword of the data block (503.0-B-2 Table 3-5). */
export interface TdmDataKeyDef {
  readonly key: string;
  /** The standard's unit ('RANGE' is in the segment's RANGE_UNITS). */
  readonly unit?: string;
}

const n5 = (prefix: string): string[] => [1, 2, 3, 4, 5].map((i) => `${prefix}_${i}`);

const meta = (
  key: string,
  kind: TdmValueKind,
  unit?: string,
  values?: readonly string[],
): TdmMetadataKeyDef => ({
  key,
  kind,
  ...(unit === undefined ? {} : { unit }),
  ...(values === undefined ? {} : { values }),
});

/** Metadata keywords in the standard's order (the writer uses this order). */
export const TDM_METADATA_KEYS: readonly TdmMetadataKeyDef[] = [
  meta('TRACK_ID', 'string'),
  meta('DATA_TYPES', 'string'),
  meta('TIME_SYSTEM', 'string'),
  meta('START_TIME', 'epoch'),
  meta('STOP_TIME', 'epoch'),
  ...n5('PARTICIPANT').map((k) => meta(k, 'string')),
  meta('MODE', 'enum', undefined, ['SEQUENTIAL', 'SINGLE_DIFF']),
  meta('PATH', 'path'),
  meta('PATH_1', 'path'),
  meta('PATH_2', 'path'),
  ...n5('EPHEMERIS_NAME').map((k) => meta(k, 'string')),
  meta('TRANSMIT_BAND', 'string'),
  meta('RECEIVE_BAND', 'string'),
  meta('TURNAROUND_NUMERATOR', 'integer'),
  meta('TURNAROUND_DENOMINATOR', 'integer'),
  meta('TIMETAG_REF', 'enum', undefined, ['TRANSMIT', 'RECEIVE']),
  meta('INTEGRATION_INTERVAL', 'number', 's'),
  meta('INTEGRATION_REF', 'enum', undefined, ['START', 'MIDDLE', 'END']),
  meta('FREQ_OFFSET', 'number', 'Hz'),
  meta('RANGE_MODE', 'enum', undefined, ['COHERENT', 'CONSTANT', 'ONE_WAY']),
  meta('RANGE_MODULUS', 'number'),
  meta('RANGE_UNITS', 'enum', undefined, ['km', 's', 'RU']),
  meta('ANGLE_TYPE', 'enum', undefined, ['AZEL', 'RADEC', 'XEYN', 'XSYE']),
  meta('REFERENCE_FRAME', 'string'),
  meta('INTERPOLATION', 'string'),
  meta('INTERPOLATION_DEGREE', 'integer'),
  meta('DOPPLER_COUNT_BIAS', 'number', 'Hz'),
  meta('DOPPLER_COUNT_SCALE', 'number'),
  meta('DOPPLER_COUNT_ROLLOVER', 'enum', undefined, ['YES', 'NO']),
  ...n5('TRANSMIT_DELAY').map((k) => meta(k, 'number', 's')),
  ...n5('RECEIVE_DELAY').map((k) => meta(k, 'number', 's')),
  meta('DATA_QUALITY', 'enum', undefined, ['RAW', 'VALIDATED', 'DEGRADED']),
  meta('CORRECTION_ANGLE_1', 'number', 'deg'),
  meta('CORRECTION_ANGLE_2', 'number', 'deg'),
  meta('CORRECTION_DOPPLER', 'number', 'km/s'),
  meta('CORRECTION_MAG', 'number'),
  meta('CORRECTION_RANGE', 'number'),
  meta('CORRECTION_RCS', 'number', 'm**2'),
  meta('CORRECTION_RECEIVE', 'number', 'Hz'),
  meta('CORRECTION_TRANSMIT', 'number', 'Hz'),
  meta('CORRECTION_ABERRATION_YEARLY', 'number', 'deg'),
  meta('CORRECTION_ABERRATION_DIURNAL', 'number', 'deg'),
  meta('CORRECTIONS_APPLIED', 'enum', undefined, ['YES', 'NO']),
];

const data = (key: string, unit?: string): TdmDataKeyDef => (unit === undefined ? { key } : { key, unit });

/** Data keywords (tracking data types) of 503.0-B-2 Table 3-5. */
export const TDM_DATA_KEYS: readonly TdmDataKeyDef[] = [
  data('ANGLE_1', 'deg'),
  data('ANGLE_2', 'deg'),
  data('CARRIER_POWER', 'dBW'),
  data('CLOCK_BIAS', 's'),
  data('CLOCK_DRIFT', 's/s'),
  data('DOPPLER_COUNT'),
  data('DOPPLER_INSTANTANEOUS', 'km/s'),
  data('DOPPLER_INTEGRATED', 'km/s'),
  data('DOR', 's'),
  data('MAG'),
  data('PC_N0', 'dBHz'),
  data('PR_N0', 'dBHz'),
  data('PRESSURE', 'hPa'),
  data('RANGE'),
  data('RCS', 'm**2'),
  data('RECEIVE_FREQ', 'Hz'),
  ...n5('RECEIVE_FREQ').map((k) => data(k, 'Hz')),
  ...n5('RECEIVE_PHASE_CT').map((k) => data(k)),
  data('RHUMIDITY', '%'),
  data('STEC', 'TECU'),
  data('TEMPERATURE', 'K'),
  ...n5('TRANSMIT_FREQ').map((k) => data(k, 'Hz')),
  ...n5('TRANSMIT_FREQ_RATE').map((k) => data(k, 'Hz/s')),
  ...n5('TRANSMIT_PHASE_CT').map((k) => data(k)),
  data('TROPO_DRY', 'm'),
  data('TROPO_WET', 'm'),
  data('VLBI_DELAY', 's'),
];

const META_BY_KEY = new Map(TDM_METADATA_KEYS.map((d) => [d.key, d]));
const DATA_BY_KEY = new Map(TDM_DATA_KEYS.map((d) => [d.key, d]));

/** The definition of a metadata keyword, or undefined. */
export function tdmMetadataKeyDef(key: string): TdmMetadataKeyDef | undefined {
  return META_BY_KEY.get(key);
}

/** The definition of a data keyword, or undefined. */
export function tdmDataKeyDef(key: string): TdmDataKeyDef | undefined {
  return DATA_BY_KEY.get(key);
}

/** The header (503.0-B-2 §3.2). */
export interface TdmHeader {
  /** CCSDS_TDM_VERS as written ("1.0", "2.0"). */
  readonly version: string;
  readonly comments: readonly string[];
  /** CREATION_DATE as written (UTC). */
  readonly creationDate: string;
  readonly originator: string;
  readonly messageId?: string;
}

/** The metadata block of a segment. */
export interface TdmMetadata {
  readonly comments: readonly string[];
  /**
   * Every keyword read, by name: numbers for `number`/`integer` keywords, the participant indices
   * for PATH/PATH_1/PATH_2, strings otherwise (epochs as written).
   */
  readonly values: Readonly<Record<string, string | number | readonly number[]>>;
}

/** One tracking data record `KEYWORD = epoch value`. */
export interface TdmObservation {
  readonly keyword: string;
  /** Epoch as written, in the segment's TIME_SYSTEM. */
  readonly epoch: string;
  /** The value in the keyword's unit (RANGE: the segment's RANGE_UNITS, km by default). */
  readonly value: number;
  /** The value as written (kept for phase counts and exact round trips). */
  readonly text: string;
  /** Line in the file it was read from (absent for records built in memory). */
  readonly line?: number;
}

/** A metadata block and its data block. */
export interface TdmSegment {
  readonly metadata: TdmMetadata;
  readonly dataComments: readonly string[];
  readonly observations: readonly TdmObservation[];
  /** Line of META_START (KVN) or <segment> (XML), when read from a file. */
  readonly line?: number;
}

/** A Tracking Data Message. */
export interface Tdm {
  readonly header: TdmHeader;
  readonly segments: readonly TdmSegment[];
}

/** A string-valued metadata keyword, or undefined. */
export function tdmMetaString(m: TdmMetadata, key: string): string | undefined {
  const v = m.values[key];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric metadata keyword, or undefined. */
export function tdmMetaNumber(m: TdmMetadata, key: string): number | undefined {
  const v = m.values[key];
  return typeof v === 'number' ? v : undefined;
}

/** PATH, PATH_1 or PATH_2 as participant indices (1-based), or undefined. */
export function tdmMetaPath(
  m: TdmMetadata,
  key: 'PATH' | 'PATH_1' | 'PATH_2',
): readonly number[] | undefined {
  const v = m.values[key];
  return Array.isArray(v) ? (v as readonly number[]) : undefined;
}

/** PARTICIPANT_i (1-based), or undefined. */
export function tdmParticipant(m: TdmMetadata, index: number): string | undefined {
  return tdmMetaString(m, `PARTICIPANT_${index}`);
}
