/**
 * CCSDS Orbit Parameter Message (OPM), CCSDS 502.0-B-2 §3 (ODM 2.0) and 502.0-B-3 §3 (ODM 3.0):
 * the model and the key table shared by the reader (opm-read.ts), the writer (opm-write.ts) and the
 * conversion to and from a state with its covariance (opm-state.ts).
 *
 * One OPM is one state vector with optional osculating Keplerian elements, spacecraft parameters,
 * a 6×6 position/velocity covariance, maneuvers and user-defined parameters. The key table gives
 * every keyword its block, its kind and its standard unit (502.0-B-2 Table 3-3, B-3 Table 3-3);
 * the model keeps km, km/s, rad, kg, m², s. Angles are degrees in the file and radians in the
 * model; nothing else is scaled. Time strings are kept as written, in the message's TIME_SYSTEM
 * (opmState turns the epoch into an Instant). Names that Hoshimi cannot use (a centre other than
 * EARTH, a frame outside frames/state.ts, a time system without a conversion) are kept in the
 * model as read; opmState refuses them.
 */

/** The blocks of an OPM, in the order the standard writes them. XML element names. */
export const OPM_BLOCKS = [
  'header',
  'metadata',
  'stateVector',
  'keplerianElements',
  'spacecraftParameters',
  'covarianceMatrix',
  'maneuverParameters',
  'userDefinedParameters',
] as const;
export type OpmBlock = (typeof OPM_BLOCKS)[number];

/** How a value reads: free text, a CCSDS time string, or a number. */
export type OpmValueKind = 'text' | 'epoch' | 'number';

export interface OpmKeyDef {
  readonly key: string;
  readonly block: OpmBlock;
  readonly kind: OpmValueKind;
  /** The standard's unit as written in KVN brackets / XML `units` (none for text and pure numbers). */
  readonly unit?: string;
  /** Model value = file value × scale (degrees → radians); 1 when absent. */
  readonly scale?: number;
}

const DEG = Math.PI / 180;

/** Position/velocity components in covariance keyword order (502.0-B-2 Table 3-3). */
export const OPM_COVARIANCE_AXES = ['X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT'] as const;

/** The 21 covariance keywords, lower triangle by rows: CX_X, CY_X, CY_Y, …, CZ_DOT_Z_DOT. */
export const OPM_COVARIANCE_KEYS: readonly string[] = (() => {
  const keys: string[] = [];
  for (let i = 0; i < 6; i++)
    for (let j = 0; j <= i; j++) keys.push(`C${OPM_COVARIANCE_AXES[i]}_${OPM_COVARIANCE_AXES[j]}`);
  return keys;
})();

function covarianceUnit(i: number, j: number): string {
  const v = (i >= 3 ? 1 : 0) + (j >= 3 ? 1 : 0);
  return v === 0 ? 'km**2' : v === 1 ? 'km**2/s' : 'km**2/s**2';
}

const t = (key: string, block: OpmBlock): OpmKeyDef => ({ key, block, kind: 'text' });
const e = (key: string, block: OpmBlock): OpmKeyDef => ({ key, block, kind: 'epoch' });
const n = (key: string, block: OpmBlock, unit?: string, scale?: number): OpmKeyDef => ({
  key,
  block,
  kind: 'number',
  ...(unit === undefined ? {} : { unit }),
  ...(scale === undefined ? {} : { scale }),
});

/** Every OPM keyword except USER_DEFINED_*, in the standard's order. */
export const OPM_KEYS: readonly OpmKeyDef[] = [
  t('CCSDS_OPM_VERS', 'header'),
  t('CLASSIFICATION', 'header'),
  e('CREATION_DATE', 'header'),
  t('ORIGINATOR', 'header'),
  t('MESSAGE_ID', 'header'),
  t('OBJECT_NAME', 'metadata'),
  t('OBJECT_ID', 'metadata'),
  t('CENTER_NAME', 'metadata'),
  t('REF_FRAME', 'metadata'),
  e('REF_FRAME_EPOCH', 'metadata'),
  t('TIME_SYSTEM', 'metadata'),
  e('EPOCH', 'stateVector'),
  n('X', 'stateVector', 'km'),
  n('Y', 'stateVector', 'km'),
  n('Z', 'stateVector', 'km'),
  n('X_DOT', 'stateVector', 'km/s'),
  n('Y_DOT', 'stateVector', 'km/s'),
  n('Z_DOT', 'stateVector', 'km/s'),
  n('SEMI_MAJOR_AXIS', 'keplerianElements', 'km'),
  n('ECCENTRICITY', 'keplerianElements'),
  n('INCLINATION', 'keplerianElements', 'deg', DEG),
  n('RA_OF_ASC_NODE', 'keplerianElements', 'deg', DEG),
  n('ARG_OF_PERICENTER', 'keplerianElements', 'deg', DEG),
  n('TRUE_ANOMALY', 'keplerianElements', 'deg', DEG),
  n('MEAN_ANOMALY', 'keplerianElements', 'deg', DEG),
  n('GM', 'keplerianElements', 'km**3/s**2'),
  n('MASS', 'spacecraftParameters', 'kg'),
  n('SOLAR_RAD_AREA', 'spacecraftParameters', 'm**2'),
  n('SOLAR_RAD_COEFF', 'spacecraftParameters'),
  n('DRAG_AREA', 'spacecraftParameters', 'm**2'),
  n('DRAG_COEFF', 'spacecraftParameters'),
  t('COV_REF_FRAME', 'covarianceMatrix'),
  ...OPM_COVARIANCE_KEYS.map((key, k) => {
    const i = Math.floor((Math.sqrt(8 * k + 1) - 1) / 2);
    const j = k - (i * (i + 1)) / 2;
    return n(key, 'covarianceMatrix', covarianceUnit(i, j));
  }),
  e('MAN_EPOCH_IGNITION', 'maneuverParameters'),
  n('MAN_DURATION', 'maneuverParameters', 's'),
  n('MAN_DELTA_MASS', 'maneuverParameters', 'kg'),
  t('MAN_REF_FRAME', 'maneuverParameters'),
  n('MAN_DV_1', 'maneuverParameters', 'km/s'),
  n('MAN_DV_2', 'maneuverParameters', 'km/s'),
  n('MAN_DV_3', 'maneuverParameters', 'km/s'),
];

const BY_KEY: ReadonlyMap<string, OpmKeyDef> = new Map(OPM_KEYS.map((d) => [d.key, d]));

/** The definition of a keyword (USER_DEFINED_* included), or undefined for an unknown one. */
export function opmKeyDef(key: string): OpmKeyDef | undefined {
  const d = BY_KEY.get(key);
  if (d !== undefined) return d;
  if (/^USER_DEFINED_[A-Z0-9_]+$/.test(key)) return { key, block: 'userDefinedParameters', kind: 'text' };
  return undefined;
}

/** Keywords each block needs when it is present (502.0-B-2 Table 3-3 "obligatory"). */
export const OPM_MANDATORY_KEYS: Readonly<Partial<Record<OpmBlock, readonly string[]>>> = {
  header: ['CCSDS_OPM_VERS', 'CREATION_DATE', 'ORIGINATOR'],
  metadata: ['OBJECT_NAME', 'OBJECT_ID', 'CENTER_NAME', 'REF_FRAME', 'TIME_SYSTEM'],
  stateVector: ['EPOCH', 'X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT'],
  keplerianElements: [
    'SEMI_MAJOR_AXIS',
    'ECCENTRICITY',
    'INCLINATION',
    'RA_OF_ASC_NODE',
    'ARG_OF_PERICENTER',
    'GM',
  ],
  covarianceMatrix: OPM_COVARIANCE_KEYS,
  // MAN_DURATION and MAN_DELTA_MASS may be left out (Orekit reads such partial maneuvers).
  maneuverParameters: ['MAN_EPOCH_IGNITION', 'MAN_REF_FRAME', 'MAN_DV_1', 'MAN_DV_2', 'MAN_DV_3'],
};

export interface OpmHeader {
  /** CCSDS_OPM_VERS as written ('2.0', '3.0'). */
  readonly version: string;
  readonly classification?: string;
  /** CREATION_DATE as written (UTC). */
  readonly creationDate: string;
  readonly originator: string;
  readonly messageId?: string;
  readonly comments: readonly string[];
}

export interface OpmMetadata {
  readonly objectName: string;
  /** OBJECT_ID, normally the international designator (kept as written). */
  readonly objectId: string;
  /** CENTER_NAME as written ('EARTH', 'MARS', 'SSB'...). */
  readonly centerName: string;
  /** REF_FRAME as written ('GCRF', 'EME2000', 'TEME', 'ITRF2000', 'TOD'...). */
  readonly refFrame: string;
  readonly refFrameEpoch?: string;
  /** TIME_SYSTEM as written ('UTC', 'TAI', 'TT', 'GPS', 'TDB', 'UT1', 'GMST'...). */
  readonly timeSystem: string;
  readonly comments: readonly string[];
}

export interface OpmStateVector {
  /** EPOCH as written, in TIME_SYSTEM. */
  readonly epoch: string;
  /** Position in REF_FRAME, km. */
  readonly positionKm: readonly [number, number, number];
  /** Velocity in REF_FRAME, km/s. */
  readonly velocityKmS: readonly [number, number, number];
  readonly comments: readonly string[];
}

/** Osculating Keplerian elements at EPOCH in REF_FRAME; exactly one of the two anomalies is given. */
export interface OpmKeplerianElements {
  readonly semiMajorAxisKm: number;
  readonly eccentricity: number;
  readonly inclinationRad: number;
  readonly raanRad: number;
  readonly argPericenterRad: number;
  readonly trueAnomalyRad?: number;
  readonly meanAnomalyRad?: number;
  /** Gravitational parameter used for the elements, km³/s². */
  readonly gmKm3S2: number;
  readonly comments: readonly string[];
}

/** Spacecraft parameters; each may be left out (502.0-B-3). */
export interface OpmSpacecraft {
  readonly massKg?: number;
  readonly solarRadAreaM2?: number;
  readonly solarRadCoeff?: number;
  readonly dragAreaM2?: number;
  readonly dragCoeff?: number;
  readonly comments: readonly string[];
}

/** The position/velocity covariance, km², km²/s, km²/s², in COV_REF_FRAME (REF_FRAME when absent). */
export interface OpmCovariance {
  readonly refFrame?: string;
  /** The symmetric 6×6 matrix, 36 values row-major (x, y, z, ẋ, ẏ, ż). */
  readonly matrix: readonly number[];
  readonly comments: readonly string[];
}

export interface OpmManeuver {
  /** MAN_EPOCH_IGNITION as written, in TIME_SYSTEM. */
  readonly epochIgnition: string;
  readonly durationS?: number;
  /** Mass change, kg (negative or zero). */
  readonly deltaMassKg?: number;
  /** MAN_REF_FRAME as written ('RTN', 'EME2000', 'J2000'...). */
  readonly refFrame: string;
  /** Velocity increment in MAN_REF_FRAME, km/s. */
  readonly dvKmS: readonly [number, number, number];
  readonly comments: readonly string[];
}

export interface OpmUserDefined {
  /** The part after USER_DEFINED_ (KVN) or the `parameter` attribute (XML). */
  readonly name: string;
  readonly value: string;
}

export interface Opm {
  readonly header: OpmHeader;
  readonly metadata: OpmMetadata;
  readonly stateVector: OpmStateVector;
  readonly keplerianElements?: OpmKeplerianElements;
  readonly spacecraft?: OpmSpacecraft;
  readonly covariance?: OpmCovariance;
  readonly maneuvers: readonly OpmManeuver[];
  readonly userDefined: readonly OpmUserDefined[];
  /** Comments of the user-defined block (XML), or trailing comments. */
  readonly userDefinedComments?: readonly string[];
}

/** Index of covariance keyword (row i, column j ≤ i) in the 36-value row-major matrix, both halves. */
export function opmCovarianceIndex(key: string): { readonly i: number; readonly j: number } | undefined {
  const k = OPM_COVARIANCE_KEYS.indexOf(key);
  if (k < 0) return undefined;
  const i = Math.floor((Math.sqrt(8 * k + 1) - 1) / 2);
  return { i, j: k - (i * (i + 1)) / 2 };
}
