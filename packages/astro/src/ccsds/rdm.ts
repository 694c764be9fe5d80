/**
 * The CCSDS Re-entry Data Message (RDM), CCSDS 508.1-B-1 (November 2019, Technical Corrigendum 1 of
 * October 2021): the model and the one key table that declares each keyword's block, kind and
 * unit. The reader (rdm-read.ts) and the writers (rdm-write.ts) are driven by this table.
 *
 * The model keeps one record per logical block (header, metadata and the data blocks of Table 3-3
 * and Table 4-1: atmosphericReentryParameters, groundImpactParameters, stateVector,
 * covarianceMatrix, spacecraftParameters, odParameters, userDefinedParameters), keyword → value.
 * Numbers are held in the core's units, converted at the file boundary by the table: days → s,
 * deg → rad, % → fraction; km, km/s, kg and m² stay. Epochs and texts are kept as written.
 */
import { OMM_COVARIANCE_KEYS } from './omm-keys.js';

/** Logical blocks, in file order. */
export const RDM_BLOCKS = [
  'header',
  'metadata',
  'atmosphericReentryParameters',
  'groundImpactParameters',
  'stateVector',
  'covarianceMatrix',
  'spacecraftParameters',
  'odParameters',
  'userDefinedParameters',
] as const;
export type RdmBlockName = (typeof RDM_BLOCKS)[number];

/** One keyword: its block, value kind, file unit and the factor file → model. */
export interface RdmKeyDef {
  readonly key: string;
  readonly block: RdmBlockName;
  readonly kind: 'text' | 'epoch' | 'number' | 'integer';
  /** Unit as written in the file (KVN brackets, XML `units`). */
  readonly unit?: string;
  /** model = file × factor (default 1). */
  readonly factor?: number;
}

const DAY_S = 86400;
const DEG = Math.PI / 180;
const PERCENT = 0.01;

function defs(
  block: RdmBlockName,
  rows: readonly (readonly [string, RdmKeyDef['kind'], string?, number?])[],
): RdmKeyDef[] {
  return rows.map(([key, kind, unit, factor]) => ({
    key,
    block,
    kind,
    ...(unit === undefined ? {} : { unit }),
    ...(factor === undefined ? {} : { factor }),
  }));
}

const impact = (n: number): (readonly [string, RdmKeyDef['kind'], string?, number?])[] => [
  [`IMPACT_${n}_CONFIDENCE`, 'number', '%', PERCENT],
  [`IMPACT_${n}_START_LON`, 'number', 'deg', DEG],
  [`IMPACT_${n}_START_LAT`, 'number', 'deg', DEG],
  [`IMPACT_${n}_STOP_LON`, 'number', 'deg', DEG],
  [`IMPACT_${n}_STOP_LAT`, 'number', 'deg', DEG],
  [`IMPACT_${n}_CROSS_TRACK`, 'number', 'km'],
];

/** The 6×6 covariance keywords, lower triangle by rows: the OMM/OEM list (502.0-B-2 Table 4-4). */
const COV_KEYS = OMM_COVARIANCE_KEYS;

/** The key table, in the standard's order (508.1-B-1 Tables 3-1, 3-2, 3-3). */
export const RDM_KEYS: readonly RdmKeyDef[] = [
  ...defs('header', [
    ['CCSDS_RDM_VERS', 'text'],
    ['CREATION_DATE', 'epoch'],
    ['ORIGINATOR', 'text'],
    ['MESSAGE_ID', 'text'],
  ]),
  ...defs('metadata', [
    ['OBJECT_NAME', 'text'],
    ['INTERNATIONAL_DESIGNATOR', 'text'],
    ['CATALOG_NAME', 'text'],
    ['OBJECT_DESIGNATOR', 'text'],
    ['OBJECT_TYPE', 'text'],
    ['OBJECT_OWNER', 'text'],
    ['OBJECT_OPERATOR', 'text'],
    ['CONTROLLED_REENTRY', 'text'],
    ['CENTER_NAME', 'text'],
    ['TIME_SYSTEM', 'text'],
    ['EPOCH_TZERO', 'epoch'],
    ['REF_FRAME', 'text'],
    ['REF_FRAME_EPOCH', 'epoch'],
    ['EPHEMERIS_NAME', 'text'],
    ['GRAVITY_MODEL', 'text'],
    ['ATMOSPHERIC_MODEL', 'text'],
    ['SOLAR_FLUX_PREDICTION', 'text'],
    ['N_BODY_PERTURBATIONS', 'text'],
    ['SOLAR_RAD_PRESSURE', 'text'],
    ['EARTH_TIDES', 'text'],
    ['INTRACK_THRUST', 'text'],
    ['DRAG_PARAMETERS_SOURCE', 'text'],
    ['DRAG_PARAMETERS_ALTITUDE', 'number', 'km'],
    ['REENTRY_UNCERTAINTY_METHOD', 'text'],
    ['REENTRY_DISINTEGRATION', 'text'],
    ['IMPACT_UNCERTAINTY_METHOD', 'text'],
    ['PREVIOUS_MESSAGE_ID', 'text'],
    ['PREVIOUS_MESSAGE_EPOCH', 'epoch'],
    ['NEXT_MESSAGE_EPOCH', 'epoch'],
  ]),
  ...defs('atmosphericReentryParameters', [
    ['ORBIT_LIFETIME', 'number', 'd', DAY_S],
    ['REENTRY_ALTITUDE', 'number', 'km'],
    ['ORBIT_LIFETIME_WINDOW_START', 'number', 'd', DAY_S],
    ['ORBIT_LIFETIME_WINDOW_END', 'number', 'd', DAY_S],
    ['NOMINAL_REENTRY_EPOCH', 'epoch'],
    ['REENTRY_WINDOW_START', 'epoch'],
    ['REENTRY_WINDOW_END', 'epoch'],
    ['ORBIT_LIFETIME_CONFIDENCE_LEVEL', 'number', '%', PERCENT],
  ]),
  ...defs('groundImpactParameters', [
    ['PROBABILITY_OF_IMPACT', 'number'],
    ['PROBABILITY_OF_BURN_UP', 'number'],
    ['PROBABILITY_OF_BREAK_UP', 'number'],
    ['PROBABILITY_OF_LAND_IMPACT', 'number'],
    ['PROBABILITY_OF_CASUALTY', 'number'],
    ['NOMINAL_IMPACT_EPOCH', 'epoch'],
    ['IMPACT_WINDOW_START', 'epoch'],
    ['IMPACT_WINDOW_END', 'epoch'],
    ['IMPACT_REF_FRAME', 'text'],
    ['NOMINAL_IMPACT_LON', 'number', 'deg', DEG],
    ['NOMINAL_IMPACT_LAT', 'number', 'deg', DEG],
    ['NOMINAL_IMPACT_ALT', 'number', 'km'],
    ...impact(1),
    ...impact(2),
    ...impact(3),
  ]),
  ...defs('stateVector', [
    ['EPOCH', 'epoch'],
    ['X', 'number', 'km'],
    ['Y', 'number', 'km'],
    ['Z', 'number', 'km'],
    ['X_DOT', 'number', 'km/s'],
    ['Y_DOT', 'number', 'km/s'],
    ['Z_DOT', 'number', 'km/s'],
  ]),
  ...defs('covarianceMatrix', [
    ['COV_REF_FRAME', 'text'],
    ...COV_KEYS.map(
      (k) =>
        [
          k,
          'number',
          k.split('_DOT').length - 1 === 0
            ? 'km**2'
            : k.split('_DOT').length - 1 === 1
              ? 'km**2/s'
              : 'km**2/s**2',
        ] as const,
    ),
  ]),
  ...defs('spacecraftParameters', [
    ['WET_MASS', 'number', 'kg'],
    ['DRY_MASS', 'number', 'kg'],
    ['HAZARDOUS_SUBSTANCES', 'text'],
    ['SOLAR_RAD_AREA', 'number', 'm**2'],
    ['SOLAR_RAD_COEFF', 'number'],
    ['DRAG_AREA', 'number', 'm**2'],
    ['DRAG_COEFF', 'number'],
    ['RCS', 'number', 'm**2'],
    ['BALLISTIC_COEFF', 'number', 'kg/m**2'],
    ['THRUST_ACCELERATION', 'number', 'm/s**2'],
  ]),
  ...defs('odParameters', [
    ['TIME_LASTOB_START', 'epoch'],
    ['TIME_LASTOB_END', 'epoch'],
    ['RECOMMENDED_OD_SPAN', 'number', 'd', DAY_S],
    ['ACTUAL_OD_SPAN', 'number', 'd', DAY_S],
    ['OBS_AVAILABLE', 'integer'],
    ['OBS_USED', 'integer'],
    ['TRACKS_AVAILABLE', 'integer'],
    ['TRACKS_USED', 'integer'],
    ['RESIDUALS_ACCEPTED', 'number', '%', PERCENT],
    ['WEIGHTED_RMS', 'number'],
  ]),
];

/** Keyword → definition. USER_DEFINED_* keys are not in the table (see `rdmKeyDef`). */
export const RDM_KEY_MAP: ReadonlyMap<string, RdmKeyDef> = new Map(RDM_KEYS.map((d) => [d.key, d]));

/** The definition of a keyword, USER_DEFINED_x included; undefined for an unknown keyword. */
export function rdmKeyDef(key: string): RdmKeyDef | undefined {
  const d = RDM_KEY_MAP.get(key);
  if (d !== undefined) return d;
  if (/^USER_DEFINED_[A-Z0-9_]+$/.test(key)) return { key, block: 'userDefinedParameters', kind: 'text' };
  return undefined;
}

/** Mandatory keywords (508.1-B-1 "mandatory keywords only" example, Annex C Fig. C-1). */
export const RDM_MANDATORY_KEYS: readonly string[] = [
  'CCSDS_RDM_VERS',
  'CREATION_DATE',
  'ORIGINATOR',
  'MESSAGE_ID',
  'OBJECT_NAME',
  'INTERNATIONAL_DESIGNATOR',
  'CONTROLLED_REENTRY',
  'CENTER_NAME',
  'TIME_SYSTEM',
  'EPOCH_TZERO',
  'ORBIT_LIFETIME',
  'REENTRY_ALTITUDE',
];

/** One logical block: comments at its start and keyword → value (numbers in model units). */
export interface RdmBlock {
  readonly comments: readonly string[];
  readonly values: Readonly<Record<string, string | number>>;
}

/** A Re-entry Data Message. */
export interface Rdm {
  readonly blocks: Readonly<Partial<Record<RdmBlockName, RdmBlock>>>;
}

/** A value of the message, or undefined. */
export function rdmValue(rdm: Rdm, key: string): string | number | undefined {
  const def = rdmKeyDef(key);
  if (def === undefined) return undefined;
  return rdm.blocks[def.block]?.values[key];
}
