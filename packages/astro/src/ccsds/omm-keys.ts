/**
 * The OMM key table (CCSDS 502.0-B-2 Tables 4-1..4-4 and the CelesTrak / Space-Track GP keywords):
 * each keyword's section, value kind, accepted units and the conversion to the model's unit, shared
 * by the readers (omm-read.ts, omm-read-gp.ts) and the writers (omm-write.ts).
 */
import { DEG2RAD, TWO_PI } from '../units/index.js';

/** rev/day ÷ XPDOTP = rad/min (Vallado's `xpdotp`). */
export const XPDOTP = 1440.0 / TWO_PI;

export type OmmSection = 'header' | 'metadata' | 'meanElements' | 'spacecraft' | 'tle' | 'covariance';
export type OmmKind = 'string' | 'number' | 'integer' | 'catalog';

export interface OmmKeyDef {
  readonly section: OmmSection;
  readonly kind: OmmKind;
  /** CCSDS unit string(s) accepted in `[unit]` / `units="..."` (lower-cased); absent = dimensionless. */
  readonly units?: readonly string[];
  /** Factor from the file unit to the internal unit. */
  readonly scale?: number;
}

const DEG = { kind: 'number', units: ['deg'], scale: DEG2RAD } as const;

/** Covariance keywords in lower-triangle row order (CCSDS 502.0-B-2 Table 4-4). */
const COVARIANCE_KEY_LIST: readonly string[] = [
  'CX_X',
  'CY_X',
  'CY_Y',
  'CZ_X',
  'CZ_Y',
  'CZ_Z',
  'CX_DOT_X',
  'CX_DOT_Y',
  'CX_DOT_Z',
  'CX_DOT_X_DOT',
  'CY_DOT_X',
  'CY_DOT_Y',
  'CY_DOT_Z',
  'CY_DOT_X_DOT',
  'CY_DOT_Y_DOT',
  'CZ_DOT_X',
  'CZ_DOT_Y',
  'CZ_DOT_Z',
  'CZ_DOT_X_DOT',
  'CZ_DOT_Y_DOT',
  'CZ_DOT_Z_DOT',
];
const COV = { section: 'covariance', kind: 'number' } as const;

/**
 * Every OMM keyword with its section, type and unit (CCSDS 502.0-B-2 Tables 4-1..4-4, 502.0-B-3
 * additions BTERM, AGOM, CLASSIFICATION in the header).
 */
export const OMM_KEYS: Readonly<Record<string, OmmKeyDef>> = {
  CCSDS_OMM_VERS: { section: 'header', kind: 'string' },
  CREATION_DATE: { section: 'header', kind: 'string' },
  ORIGINATOR: { section: 'header', kind: 'string' },
  MESSAGE_ID: { section: 'header', kind: 'string' },
  CLASSIFICATION: { section: 'header', kind: 'string' },
  OBJECT_NAME: { section: 'metadata', kind: 'string' },
  OBJECT_ID: { section: 'metadata', kind: 'string' },
  CENTER_NAME: { section: 'metadata', kind: 'string' },
  REF_FRAME: { section: 'metadata', kind: 'string' },
  REF_FRAME_EPOCH: { section: 'metadata', kind: 'string' },
  TIME_SYSTEM: { section: 'metadata', kind: 'string' },
  MEAN_ELEMENT_THEORY: { section: 'metadata', kind: 'string' },
  EPOCH: { section: 'meanElements', kind: 'string' },
  SEMI_MAJOR_AXIS: { section: 'meanElements', kind: 'number', units: ['km'], scale: 1 },
  MEAN_MOTION: { section: 'meanElements', kind: 'number', units: ['rev/day'], scale: 1 / XPDOTP },
  ECCENTRICITY: { section: 'meanElements', kind: 'number' },
  INCLINATION: { section: 'meanElements', ...DEG },
  RA_OF_ASC_NODE: { section: 'meanElements', ...DEG },
  ARG_OF_PERICENTER: { section: 'meanElements', ...DEG },
  MEAN_ANOMALY: { section: 'meanElements', ...DEG },
  GM: { section: 'meanElements', kind: 'number', units: ['km**3/s**2'], scale: 1 },
  MASS: { section: 'spacecraft', kind: 'number', units: ['kg'], scale: 1 },
  SOLAR_RAD_AREA: { section: 'spacecraft', kind: 'number', units: ['m**2'], scale: 1 },
  SOLAR_RAD_COEFF: { section: 'spacecraft', kind: 'number' },
  DRAG_AREA: { section: 'spacecraft', kind: 'number', units: ['m**2'], scale: 1 },
  DRAG_COEFF: { section: 'spacecraft', kind: 'number' },
  EPHEMERIS_TYPE: { section: 'tle', kind: 'integer' },
  CLASSIFICATION_TYPE: { section: 'tle', kind: 'string' },
  NORAD_CAT_ID: { section: 'tle', kind: 'catalog' },
  ELEMENT_SET_NO: { section: 'tle', kind: 'integer' },
  REV_AT_EPOCH: { section: 'tle', kind: 'integer' },
  BSTAR: { section: 'tle', kind: 'number', units: ['1/er'], scale: 1 },
  BTERM: { section: 'tle', kind: 'number', units: ['m**2/kg'], scale: 1 },
  MEAN_MOTION_DOT: { section: 'tle', kind: 'number', units: ['rev/day**2'], scale: 1 },
  MEAN_MOTION_DDOT: { section: 'tle', kind: 'number', units: ['rev/day**3'], scale: 1 },
  AGOM: { section: 'tle', kind: 'number', units: ['m**2/kg'], scale: 1 },
  COV_REF_FRAME: { section: 'covariance', kind: 'string' },
  ...Object.fromEntries(COVARIANCE_KEY_LIST.map((k) => [k, COV])),
};

/** Covariance keywords in lower-triangle row order (CCSDS 502.0-B-2 Table 4-4). */
export const OMM_COVARIANCE_KEYS: readonly string[] = COVARIANCE_KEY_LIST;

/** Theories whose elements SGP4/SDP4 (or SGP4-XP) can propagate. */
export const SGP4_THEORIES = new Set(['SGP4', 'SGP/SGP4', 'SGP', 'SGP4-XP']);
