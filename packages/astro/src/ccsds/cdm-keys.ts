/**
 * The one key table of the CDM reader and writers: every keyword of CCSDS 508.0-B-1 (Tables 3-1
 * to 3-4, with TC2 2021) and of the CDM 2.0 draft (508.0-P-1.1, as written by Orekit) that the
 * reference samples use, with its block, value kind, CCSDS unit and the conversion to the model's
 * unit. Table order is the order the writers use (the standard's order).
 *
 * A conversion is `mul` (internal = file × mul) or `div` (internal = file ÷ div); `div` is used for
 * powers of ten so that the division is correctly rounded (715 m → 0.715 km exactly as "0.715").
 */
import { CCSDS_PC_METHODS } from '../pc/pc-result.js';
import { DEG2RAD, SECONDS_PER_DAY } from '../units/index.js';
import type {
  CdmAdditionalCovarianceMetadata,
  CdmAdditionalParameters,
  CdmHeader,
  CdmObjectMetadata,
  CdmOdParameters,
  CdmRelativeMetadata,
  CdmStateVector,
} from './cdm-model.js';

/**
 * text: trimmed string; number/integer: one value; epoch: UTC time (CdmEpoch); numbers/integers:
 * space-separated list.
 */
export type CdmValueKind = 'text' | 'number' | 'integer' | 'epoch' | 'numbers' | 'integers';

/** Blocks of the message, in file order within their zone. */
export type CdmBlock =
  | 'header'
  | 'relativeMetadata'
  | 'metadata'
  | 'odParameters'
  | 'additionalParameters'
  | 'stateVector'
  | 'covarianceRtn'
  | 'covarianceXyz'
  | 'sigmaEigenvectors'
  | 'additionalCovarianceMetadata'
  | 'userDefined';

/** Where a block lives: before the objects (header, relative metadata) or inside an object. */
export type CdmZone = 'header' | 'relative' | 'object';

export interface CdmKeyDef {
  readonly key: string;
  readonly block: CdmBlock;
  /** Model field (for covariance keys: the lower-triangle index as a string). */
  readonly field: string;
  readonly kind: CdmValueKind;
  /** CCSDS unit as the standard writes it; absent for dimensionless values and text. */
  readonly unit?: string;
  readonly mul?: number;
  readonly div?: number;
  readonly mandatory?: boolean;
  /** Values the standard lists (others give a CDM_VALUE_NOT_LISTED warning). */
  readonly listed?: readonly string[];
  /** Covariance term: row and column. */
  readonly row?: number;
  readonly col?: number;
}

type Fields<T> = Exclude<keyof T, 'comments'> & string;
type Def<T> = CdmKeyDef & { readonly field: Fields<T> };
type Opts = Omit<CdmKeyDef, 'key' | 'block' | 'field' | 'kind'>;

function table<T>(block: CdmBlock, rows: readonly [string, Fields<T>, CdmValueKind, Opts?][]): Def<T>[] {
  return rows.map(([key, field, kind, opts]) => ({ key, block, field, kind, ...opts }));
}

const M: Opts = { mandatory: true };
const KM: Opts = { unit: 'm', div: 1000 };
const KM_S: Opts = { unit: 'm/s', div: 1000 };
const M2: Opts = { unit: 'm**2' };
const YES_NO: Opts = { listed: ['YES', 'NO'] };

export const CDM_HEADER_KEYS = table<CdmHeader>('header', [
  ['CCSDS_CDM_VERS', 'version', 'text', M],
  ['CREATION_DATE', 'creationDate', 'epoch', M],
  ['ORIGINATOR', 'originator', 'text', M],
  ['MESSAGE_FOR', 'messageFor', 'text'],
  ['MESSAGE_ID', 'messageId', 'text', M],
  ['CLASSIFICATION', 'classification', 'text'],
]);

/** The relative state keys the XML form wraps in `<relativeStateVector>`. */
export const CDM_RELATIVE_STATE_KEYS: ReadonlySet<string> = new Set([
  'RELATIVE_POSITION_R',
  'RELATIVE_POSITION_T',
  'RELATIVE_POSITION_N',
  'RELATIVE_VELOCITY_R',
  'RELATIVE_VELOCITY_T',
  'RELATIVE_VELOCITY_N',
]);

export const CDM_RELATIVE_KEYS = table<CdmRelativeMetadata>('relativeMetadata', [
  ['CONJUNCTION_ID', 'conjunctionId', 'text'],
  ['TCA', 'tca', 'epoch', M],
  ['MISS_DISTANCE', 'missDistanceKm', 'number', { ...KM, mandatory: true }],
  ['MAHALANOBIS_DISTANCE', 'mahalanobisDistance', 'number'],
  ['RELATIVE_SPEED', 'relativeSpeedKmPerS', 'number', KM_S],
  ['APPROACH_ANGLE', 'approachAngleRad', 'number', { unit: 'deg', mul: DEG2RAD }],
  ['RELATIVE_POSITION_R', 'relativePositionRKm', 'number', KM],
  ['RELATIVE_POSITION_T', 'relativePositionTKm', 'number', KM],
  ['RELATIVE_POSITION_N', 'relativePositionNKm', 'number', KM],
  ['RELATIVE_VELOCITY_R', 'relativeVelocityRKmPerS', 'number', KM_S],
  ['RELATIVE_VELOCITY_T', 'relativeVelocityTKmPerS', 'number', KM_S],
  ['RELATIVE_VELOCITY_N', 'relativeVelocityNKmPerS', 'number', KM_S],
  ['START_SCREEN_PERIOD', 'startScreenPeriod', 'epoch'],
  ['STOP_SCREEN_PERIOD', 'stopScreenPeriod', 'epoch'],
  ['SCREEN_TYPE', 'screenType', 'text', { listed: ['SHAPE', 'PC', 'PC_MAX'] }],
  ['SCREEN_VOLUME_FRAME', 'screenVolumeFrame', 'text', { listed: ['RTN', 'TVN'] }],
  ['SCREEN_VOLUME_SHAPE', 'screenVolumeShape', 'text', { listed: ['ELLIPSOID', 'BOX', 'SPHERE'] }],
  ['SCREEN_VOLUME_RADIUS', 'screenVolumeRadiusKm', 'number', KM],
  ['SCREEN_VOLUME_X', 'screenVolumeXKm', 'number', KM],
  ['SCREEN_VOLUME_Y', 'screenVolumeYKm', 'number', KM],
  ['SCREEN_VOLUME_Z', 'screenVolumeZKm', 'number', KM],
  ['SCREEN_ENTRY_TIME', 'screenEntryTime', 'epoch'],
  ['SCREEN_EXIT_TIME', 'screenExitTime', 'epoch'],
  ['SCREEN_PC_THRESHOLD', 'screenPcThreshold', 'number'],
  ['COLLISION_PERCENTILE', 'collisionPercentile', 'integers'],
  ['COLLISION_PROBABILITY', 'collisionProbability', 'number'],
  ['COLLISION_PROBABILITY_METHOD', 'collisionProbabilityMethod', 'text', { listed: CCSDS_PC_METHODS }],
  ['COLLISION_MAX_PROBABILITY', 'collisionMaxProbability', 'number'],
  ['COLLISION_MAX_PC_METHOD', 'collisionMaxPcMethod', 'text'],
  ['SEFI_COLLISION_PROBABILITY', 'sefiCollisionProbability', 'number'],
  ['SEFI_COLLISION_PROBABILITY_METHOD', 'sefiCollisionProbabilityMethod', 'text'],
  ['SEFI_FRAGMENTATION_MODEL', 'sefiFragmentationModel', 'text'],
  ['PREVIOUS_MESSAGE_ID', 'previousMessageId', 'text'],
  ['PREVIOUS_MESSAGE_EPOCH', 'previousMessageEpoch', 'epoch'],
  ['NEXT_MESSAGE_EPOCH', 'nextMessageEpoch', 'epoch'],
]);

export const CDM_METADATA_KEYS = table<CdmObjectMetadata>('metadata', [
  ['OBJECT', 'object', 'text', { mandatory: true, listed: ['OBJECT1', 'OBJECT2'] }],
  ['OBJECT_DESIGNATOR', 'objectDesignator', 'text', M],
  ['CATALOG_NAME', 'catalogName', 'text', M],
  ['OBJECT_NAME', 'objectName', 'text', M],
  ['INTERNATIONAL_DESIGNATOR', 'internationalDesignator', 'text', M],
  ['OBJECT_TYPE', 'objectType', 'text', { listed: ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN', 'OTHER'] }],
  ['OPERATOR_CONTACT_POSITION', 'operatorContactPosition', 'text'],
  ['OPERATOR_ORGANIZATION', 'operatorOrganization', 'text'],
  ['OPERATOR_PHONE', 'operatorPhone', 'text'],
  ['OPERATOR_EMAIL', 'operatorEmail', 'text'],
  ['ODM_MSG_LINK', 'odmMsgLink', 'text'],
  ['ADM_MSG_LINK', 'admMsgLink', 'text'],
  ['OBS_BEFORE_NEXT_MESSAGE', 'obsBeforeNextMessage', 'text', YES_NO],
  ['EPHEMERIS_NAME', 'ephemerisName', 'text', M],
  ['COVARIANCE_METHOD', 'covarianceMethod', 'text', { mandatory: true, listed: ['CALCULATED', 'DEFAULT'] }],
  ['COVARIANCE_SOURCE', 'covarianceSource', 'text'],
  ['MANEUVERABLE', 'maneuverable', 'text', { mandatory: true, listed: ['YES', 'NO', 'N/A'] }],
  ['ORBIT_CENTER', 'orbitCenter', 'text'],
  ['REF_FRAME', 'refFrame', 'text', M],
  ['ALT_COV_TYPE', 'altCovType', 'text', { listed: ['XYZ', 'CSIG3EIGVEC3'] }],
  ['ALT_COV_REF_FRAME', 'altCovRefFrame', 'text'],
  ['GRAVITY_MODEL', 'gravityModel', 'text'],
  ['ATMOSPHERIC_MODEL', 'atmosphericModel', 'text'],
  ['N_BODY_PERTURBATIONS', 'nBodyPerturbations', 'text'],
  ['SOLAR_RAD_PRESSURE', 'solarRadPressure', 'text', YES_NO],
  ['EARTH_TIDES', 'earthTides', 'text', YES_NO],
  ['INTRACK_THRUST', 'intrackThrust', 'text', YES_NO],
]);

export const CDM_OD_KEYS = table<CdmOdParameters>('odParameters', [
  ['TIME_LASTOB_START', 'timeLastObStart', 'epoch'],
  ['TIME_LASTOB_END', 'timeLastObEnd', 'epoch'],
  ['RECOMMENDED_OD_SPAN', 'recommendedOdSpanS', 'number', { unit: 'd', mul: SECONDS_PER_DAY }],
  ['ACTUAL_OD_SPAN', 'actualOdSpanS', 'number', { unit: 'd', mul: SECONDS_PER_DAY }],
  ['OBS_AVAILABLE', 'obsAvailable', 'integer'],
  ['OBS_USED', 'obsUsed', 'integer'],
  ['TRACKS_AVAILABLE', 'tracksAvailable', 'integer'],
  ['TRACKS_USED', 'tracksUsed', 'integer'],
  ['RESIDUALS_ACCEPTED', 'residualsAcceptedPercent', 'number', { unit: '%' }],
  ['WEIGHTED_RMS', 'weightedRms', 'number'],
  ['OD_EPOCH', 'odEpoch', 'epoch'],
]);

export const CDM_ADDITIONAL_KEYS = table<CdmAdditionalParameters>('additionalParameters', [
  ['AREA_PC', 'areaPcM2', 'number', M2],
  ['AREA_PC_MIN', 'areaPcMinM2', 'number', M2],
  ['AREA_PC_MAX', 'areaPcMaxM2', 'number', M2],
  ['AREA_DRG', 'areaDrgM2', 'number', M2],
  ['AREA_SRP', 'areaSrpM2', 'number', M2],
  ['OEB_PARENT_FRAME', 'oebParentFrame', 'text'],
  ['OEB_PARENT_FRAME_EPOCH', 'oebParentFrameEpoch', 'epoch'],
  ['OEB_Q1', 'oebQ1', 'number'],
  ['OEB_Q2', 'oebQ2', 'number'],
  ['OEB_Q3', 'oebQ3', 'number'],
  ['OEB_QC', 'oebQc', 'number'],
  ['OEB_MAX', 'oebMaxKm', 'number', KM],
  ['OEB_INT', 'oebIntKm', 'number', KM],
  ['OEB_MIN', 'oebMinKm', 'number', KM],
  ['AREA_ALONG_OEB_MAX', 'areaAlongOebMaxM2', 'number', M2],
  ['AREA_ALONG_OEB_INT', 'areaAlongOebIntM2', 'number', M2],
  ['AREA_ALONG_OEB_MIN', 'areaAlongOebMinM2', 'number', M2],
  ['RCS', 'rcsM2', 'number', M2],
  ['RCS_MIN', 'rcsMinM2', 'number', M2],
  ['RCS_MAX', 'rcsMaxM2', 'number', M2],
  ['VM_ABSOLUTE', 'vmAbsolute', 'number'],
  ['VM_APPARENT_MIN', 'vmApparentMin', 'number'],
  ['VM_APPARENT', 'vmApparent', 'number'],
  ['VM_APPARENT_MAX', 'vmApparentMax', 'number'],
  ['REFLECTANCE', 'reflectance', 'number'],
  ['MASS', 'massKg', 'number', { unit: 'kg' }],
  ['HBR', 'hbrKm', 'number', KM],
  ['CD_AREA_OVER_MASS', 'cdAreaOverMassM2PerKg', 'number', { unit: 'm**2/kg' }],
  ['CR_AREA_OVER_MASS', 'crAreaOverMassM2PerKg', 'number', { unit: 'm**2/kg' }],
  ['THRUST_ACCELERATION', 'thrustAccelerationKmPerS2', 'number', { unit: 'm/s**2', div: 1000 }],
  ['SEDR', 'sedrWPerKg', 'number', { unit: 'W/kg' }],
  ['APOAPSIS_ALTITUDE', 'apoapsisAltitudeKm', 'number', { unit: 'km' }],
  ['PERIAPSIS_ALTITUDE', 'periapsisAltitudeKm', 'number', { unit: 'km' }],
  ['INCLINATION', 'inclinationRad', 'number', { unit: 'deg', mul: DEG2RAD }],
  ['COV_CONFIDENCE', 'covConfidence', 'number'],
  ['COV_CONFIDENCE_METHOD', 'covConfidenceMethod', 'text'],
]);

export const CDM_STATE_KEYS = table<CdmStateVector>('stateVector', [
  ['X', 'xKm', 'number', { unit: 'km', mandatory: true }],
  ['Y', 'yKm', 'number', { unit: 'km', mandatory: true }],
  ['Z', 'zKm', 'number', { unit: 'km', mandatory: true }],
  ['X_DOT', 'xDotKmPerS', 'number', { unit: 'km/s', mandatory: true }],
  ['Y_DOT', 'yDotKmPerS', 'number', { unit: 'km/s', mandatory: true }],
  ['Z_DOT', 'zDotKmPerS', 'number', { unit: 'km/s', mandatory: true }],
]);

export const CDM_COVARIANCE_METADATA_KEYS = table<CdmAdditionalCovarianceMetadata>(
  'additionalCovarianceMetadata',
  [
    ['DENSITY_FORECAST_UNCERTAINTY', 'densityForecastUncertainty', 'number'],
    ['CSCALE_FACTOR_MIN', 'cscaleFactorMin', 'number'],
    ['CSCALE_FACTOR', 'cscaleFactor', 'number'],
    ['CSCALE_FACTOR_MAX', 'cscaleFactorMax', 'number'],
    ['SCREENING_DATA_SOURCE', 'screeningDataSource', 'text'],
    ['DCP_SENSITIVITY_VECTOR_POSITION', 'dcpSensitivityVectorPositionKm', 'numbers', KM],
    ['DCP_SENSITIVITY_VECTOR_VELOCITY', 'dcpSensitivityVectorVelocityKmPerS', 'numbers', KM_S],
  ],
);

/** CSIG3EIGVEC3 (CDM 2.0 draft): kept as written, mixed units (m, then unitless). */
export const CDM_SIGMA_EIGENVECTOR_KEYS: readonly CdmKeyDef[] = [
  { key: 'CSIG3EIGVEC3', block: 'sigmaEigenvectors', field: 'valuesAsWritten', kind: 'numbers' },
];

type ComponentType = 'p' | 'v' | 'd' | 't';
/** State component types: position, velocity, drag or SRP coefficient (m²/kg), thrust (m/s²). */
const COMPONENT_TYPES: readonly ComponentType[] = ['p', 'p', 'p', 'v', 'v', 'v', 'd', 'd', 't'];
/** File units per model unit of each component: m per km, m/s per km/s, 1 (m²/kg), m/s² per km/s². */
const COMPONENT_SCALE: readonly number[] = [1000, 1000, 1000, 1000, 1000, 1000, 1, 1, 1000];
/** CCSDS unit of a covariance term by its row and column types (508.0-B-1 Table 3-4). */
const TERM_UNITS: Readonly<Record<string, string>> = {
  pp: 'm**2',
  vp: 'm**2/s',
  vv: 'm**2/s**2',
  dp: 'm**3/kg',
  dv: 'm**3/(kg*s)',
  dd: 'm**4/kg**2',
  tp: 'm**2/s**2',
  tv: 'm**2/s**3',
  td: 'm**3/(kg*s**2)',
  tt: 'm**2/s**4',
};

function covarianceTable(block: CdmBlock, names: readonly string[]): CdmKeyDef[] {
  const out: CdmKeyDef[] = [];
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j <= i; j++) {
      const unit = TERM_UNITS[`${COMPONENT_TYPES[i]}${COMPONENT_TYPES[j]}`] as string;
      const div = (COMPONENT_SCALE[i] as number) * (COMPONENT_SCALE[j] as number);
      out.push({
        key: `C${names[i]}_${names[j]}`,
        block,
        field: String(out.length),
        kind: 'number',
        unit,
        ...(div === 1 ? {} : { div }),
        ...(i < 6 ? { mandatory: true } : {}),
        row: i,
        col: j,
      });
    }
  }
  return out;
}

/** CR_R ... CTHR_THR in lower-triangle row order; the first 21 (6×6) are mandatory. */
export const CDM_RTN_COVARIANCE_KEYS: readonly CdmKeyDef[] = covarianceTable('covarianceRtn', [
  'R',
  'T',
  'N',
  'RDOT',
  'TDOT',
  'NDOT',
  'DRG',
  'SRP',
  'THR',
]);

/** CX_X ... CTHR_THR (CDM 2.0 draft) in lower-triangle row order; 21 needed when any is given. */
export const CDM_XYZ_COVARIANCE_KEYS: readonly CdmKeyDef[] = covarianceTable('covarianceXyz', [
  'X',
  'Y',
  'Z',
  'XDOT',
  'YDOT',
  'ZDOT',
  'DRG',
  'SRP',
  'THR',
]);

/** Every keyword by block, in the writers' order. */
export const CDM_BLOCK_KEYS: Readonly<Record<CdmBlock, readonly CdmKeyDef[]>> = {
  header: CDM_HEADER_KEYS,
  relativeMetadata: CDM_RELATIVE_KEYS,
  metadata: CDM_METADATA_KEYS,
  odParameters: CDM_OD_KEYS,
  additionalParameters: CDM_ADDITIONAL_KEYS,
  stateVector: CDM_STATE_KEYS,
  covarianceRtn: CDM_RTN_COVARIANCE_KEYS,
  covarianceXyz: CDM_XYZ_COVARIANCE_KEYS,
  sigmaEigenvectors: CDM_SIGMA_EIGENVECTOR_KEYS,
  additionalCovarianceMetadata: CDM_COVARIANCE_METADATA_KEYS,
  userDefined: [],
};

/** The zone of each block. */
export const CDM_BLOCK_ZONE: Readonly<Record<CdmBlock, CdmZone>> = {
  header: 'header',
  relativeMetadata: 'relative',
  metadata: 'object',
  odParameters: 'object',
  additionalParameters: 'object',
  stateVector: 'object',
  covarianceRtn: 'object',
  covarianceXyz: 'object',
  sigmaEigenvectors: 'object',
  additionalCovarianceMetadata: 'object',
  userDefined: 'object',
};

/**
 * Every CDM keyword (USER_DEFINED_x excepted) → its definition. The six drag/SRP/thrust cross terms
 * (CDRG_DRG, CSRP_DRG, CSRP_SRP, CTHR_DRG, CTHR_SRP, CTHR_THR) have the same name in the RTN and
 * the XYZ covariance: this map gives the RTN one, `CDM_XYZ_SHARED_KEYS` the XYZ one, and the reader
 * picks by the covariance block being read.
 */
export const CDM_KEYS: ReadonlyMap<string, CdmKeyDef> = (() => {
  const m = new Map<string, CdmKeyDef>();
  for (const d of Object.values(CDM_BLOCK_KEYS).flat()) if (!m.has(d.key)) m.set(d.key, d);
  return m;
})();

/** The XYZ definitions of the keywords that the RTN and XYZ covariances share. */
export const CDM_XYZ_SHARED_KEYS: ReadonlyMap<string, CdmKeyDef> = new Map(
  CDM_XYZ_COVARIANCE_KEYS.filter((d) => CDM_KEYS.get(d.key)?.block === 'covarianceRtn').map(
    (d) => [d.key, d] as const,
  ),
);

/** Model value of a file number. */
export function cdmToModel(def: CdmKeyDef, fileValue: number): number {
  if (def.div !== undefined) return fileValue / def.div;
  if (def.mul !== undefined) return fileValue * def.mul;
  return fileValue;
}

/** File value of a model number (before the writer's shortest-text search). */
export function cdmToFile(def: CdmKeyDef, modelValue: number): number {
  if (def.div !== undefined) return modelValue * def.div;
  if (def.mul !== undefined) return modelValue / def.mul;
  return modelValue;
}

/** Unit text compared loosely: case and spaces ignored. */
export function cdmSameUnit(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}
