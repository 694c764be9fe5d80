/**
 * CCSDS Orbit Mean-elements Message (OMM), CCSDS 502.0-B-2 (ODM 2.0, §4) and 502.0-B-3 (ODM 3.0),
 * in KVN, XML (CCSDS 505.0-B-2 NDM/XML, single `<omm>` or `<ndm>` with several) and the CelesTrak /
 * Space-Track GP forms: JSON (array of objects keyed by the OMM keywords) and CSV (header row of the
 * same keywords). CelesTrak GP XML is OMM XML.
 *
 * Units are converted at this boundary by one key table (`OMM_KEYS`): degrees → rad, rev/day →
 * rad/min (÷ 1440/2π, the same operation as the TLE reader so that the same decimal text gives the
 * same double). MEAN_MOTION_DOT and MEAN_MOTION_DDOT are kept in rev/day² and rev/day³ with the TLE
 * meaning (ṅ/2 and n̈/6), as CelesTrak and Space-Track fill them from the TLE fields. NORAD_CAT_ID
 * is kept as a decimal string, so 9-digit catalog numbers survive.
 *
 * Only SGP4-family theories (MEAN_ELEMENT_THEORY SGP4, SGP/SGP4, SGP, SGP4-XP) with UTC epochs and a
 * mean motion yield an ElementSet; other OMMs parse (metadata, elements, covariance) with an
 * `OMM_NOT_PROPAGATABLE` warning.
 */
import type { ElementFile, ElementRecord } from '../elements/element-record.js';
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso, parseUtcString } from '../elements/utc-calendar.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import { DEG2RAD, RAD2DEG, TWO_PI } from '../units/index.js';
import { parseKvn, parseKvnNumber } from './kvn.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

/** rev/day ÷ XPDOTP = rad/min (Vallado's `xpdotp`). */
const XPDOTP = 1440.0 / TWO_PI;

type OmmSection = 'header' | 'metadata' | 'meanElements' | 'spacecraft' | 'tle' | 'covariance';
type OmmKind = 'string' | 'number' | 'integer' | 'catalog';

interface OmmKeyDef {
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
const SGP4_THEORIES = new Set(['SGP4', 'SGP/SGP4', 'SGP', 'SGP4-XP']);

export interface OmmHeader {
  readonly version: string;
  readonly creationDate: string;
  readonly originator: string;
  readonly messageId?: string;
  readonly classification?: string;
  readonly comments: readonly string[];
}

export interface OmmMetadata {
  readonly objectName: string;
  readonly objectId: string;
  readonly centerName: string;
  readonly refFrame: string;
  readonly refFrameEpoch?: string;
  readonly timeSystem: string;
  readonly meanElementTheory: string;
  readonly comments: readonly string[];
}

export interface OmmMeanElements {
  /** EPOCH as written. */
  readonly epoch: string;
  /** EPOCH as a UTC Julian date pair, when TIME_SYSTEM is UTC. */
  readonly epochUtc?: UtcJulianDate;
  readonly semiMajorAxisKm?: number;
  readonly meanMotionRadPerMin?: number;
  readonly eccentricity: number;
  readonly inclinationRad: number;
  readonly raanRad: number;
  readonly argPerigeeRad: number;
  readonly meanAnomalyRad: number;
  readonly gmKm3PerS2?: number;
}

export interface OmmSpacecraft {
  readonly massKg?: number;
  readonly solarRadAreaM2?: number;
  readonly solarRadCoeff?: number;
  readonly dragAreaM2?: number;
  readonly dragCoeff?: number;
}

export interface OmmTleParameters {
  readonly ephemerisType?: number;
  readonly classificationType?: string;
  /** Decimal string without leading zeros (up to 9 digits). */
  readonly noradCatId?: string;
  readonly elementSetNo?: number;
  readonly revAtEpoch?: number;
  readonly bstar?: number;
  /** m²/kg. */
  readonly bterm?: number;
  /** rev/day² (ṅ/2, TLE meaning). */
  readonly meanMotionDot?: number;
  /** rev/day³ (n̈/6, TLE meaning). */
  readonly meanMotionDdot?: number;
  /** m²/kg. */
  readonly agom?: number;
}

export interface OmmCovariance {
  readonly refFrame?: string;
  /** 21 lower-triangle terms in CX_X, CY_X, CY_Y, ... order; km², km²/s, km²/s². */
  readonly lowerTriangle: readonly number[];
}

/** One OMM (one object) with everything it carries. */
export interface OmmMessage {
  readonly header: OmmHeader;
  readonly metadata: OmmMetadata;
  readonly meanElements: OmmMeanElements;
  readonly spacecraft?: OmmSpacecraft;
  readonly tleParameters?: OmmTleParameters;
  readonly covariance?: OmmCovariance;
  /** USER_DEFINED_x keys without the prefix. */
  readonly userDefined: Readonly<Record<string, string>>;
  /** 1-based line where the message starts. */
  readonly line: number;
  /** The SGP4 element set, when the message is propagatable by SGP4. */
  readonly elementSet?: ElementSet;
}

export interface OmmFile {
  readonly format: 'omm-kvn' | 'omm-xml' | 'omm-json' | 'omm-csv';
  readonly messages: readonly OmmMessage[];
  /** One issue per rejected message. */
  readonly rejected: readonly ParseIssue[];
}

export interface OmmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

// ---------------------------------------------------------------------------------------------
// Common builder: a list of (key, value, unit, line, column) → OmmMessage
// ---------------------------------------------------------------------------------------------

interface Field {
  readonly key: string;
  readonly value: string;
  readonly unit?: string;
  readonly line: number;
  readonly column?: number;
}

interface RawMessage {
  readonly line: number;
  readonly fields: Field[];
  readonly comments: Partial<Record<OmmSection, string[]>>;
  /** Structure problems found by the syntax layer (XML layout); the first rejects the message. */
  readonly problems: ParseIssue[];
}

/** GP (CelesTrak/Space-Track) forms: unknown keys are ignored, CCSDS header and frame keys are optional. */
type Flavour = 'ccsds' | 'gp';

class Builder {
  readonly warnings: ParseIssue[];
  private readonly file: string | undefined;

  constructor(file: string | undefined, warnings: ParseIssue[]) {
    this.file = file;
    this.warnings = warnings;
  }

  issue(code: string, message: string, line: number, extra: Partial<ParseIssue> = {}): ParseIssue {
    const base: ParseIssue = { code, message, line, ...extra };
    return this.file === undefined ? base : { ...base, file: this.file };
  }

  build(raw: RawMessage, flavour: Flavour): { message: OmmMessage } | { issue: ParseIssue } {
    if (raw.problems.length > 0) return { issue: raw.problems[0] as ParseIssue };
    const values = new Map<string, Field>();
    const userDefined: Record<string, string> = {};
    for (const f of raw.fields) {
      if (f.key.startsWith('USER_DEFINED_')) {
        userDefined[f.key.slice(13)] = f.value;
        continue;
      }
      const def = OMM_KEYS[f.key];
      if (def === undefined) {
        if (flavour === 'gp') continue;
        return {
          issue: this.issue(
            'OMM_UNKNOWN_KEY',
            `unknown OMM keyword ${f.key}`,
            f.line,
            this.at(f, 'an OMM keyword (CCSDS 502.0-B-2 §4)', f.key),
          ),
        };
      }
      if (values.has(f.key)) {
        return {
          issue: this.issue(
            'OMM_DUPLICATE_KEY',
            `keyword ${f.key} appears twice`,
            f.line,
            this.at(f, 'each keyword once', f.value),
          ),
        };
      }
      if (
        f.unit !== undefined &&
        f.unit !== '' &&
        def.units !== undefined &&
        !def.units.includes(f.unit.toLowerCase())
      ) {
        return {
          issue: this.issue(
            'OMM_UNIT',
            `unit of ${f.key} is not the CCSDS unit`,
            f.line,
            this.at(f, `[${def.units[0]}]`, `[${f.unit}]`),
          ),
        };
      }
      values.set(f.key, f);
    }
    const str = (k: string): string | undefined => values.get(k)?.value.trim();
    const missing = (k: string): { issue: ParseIssue } => ({
      issue: this.issue('OMM_MISSING_KEY', `mandatory keyword ${k} is missing`, raw.line, {
        key: k,
        expected: `${k} = ...`,
        found: 'nothing',
      }),
    });

    // Numbers first: any unreadable value rejects the message with its line and key.
    const num = new Map<string, number>();
    for (const [k, f] of values) {
      const def = OMM_KEYS[k] as OmmKeyDef;
      if (def.kind === 'string' || def.kind === 'catalog') continue;
      if (f.value.trim() === '') {
        if (flavour === 'gp') continue;
        return { issue: this.issue('OMM_NUMBER', `${k} has no value`, f.line, this.at(f, 'a number', '')) };
      }
      const v = parseKvnNumber(f.value);
      if (Number.isNaN(v) || (def.kind === 'integer' && !Number.isInteger(v))) {
        return {
          issue: this.issue(
            'OMM_NUMBER',
            `${k} is not ${def.kind === 'integer' ? 'an integer' : 'a number'}`,
            f.line,
            this.at(f, def.kind === 'integer' ? 'an integer' : 'a number', f.value),
          ),
        };
      }
      num.set(k, def.scale === undefined ? v : v * def.scale);
    }

    const needed =
      flavour === 'ccsds'
        ? [
            'CCSDS_OMM_VERS',
            'CREATION_DATE',
            'ORIGINATOR',
            'OBJECT_NAME',
            'OBJECT_ID',
            'CENTER_NAME',
            'REF_FRAME',
            'TIME_SYSTEM',
            'MEAN_ELEMENT_THEORY',
          ]
        : ['OBJECT_NAME', 'NORAD_CAT_ID'];
    for (const k of needed) if (!values.has(k)) return missing(k);
    for (const k of [
      'EPOCH',
      'ECCENTRICITY',
      'INCLINATION',
      'RA_OF_ASC_NODE',
      'ARG_OF_PERICENTER',
      'MEAN_ANOMALY',
    ]) {
      if (!values.has(k) || (flavour === 'gp' && str(k) === '')) return missing(k);
    }
    if (!num.has('MEAN_MOTION') && !num.has('SEMI_MAJOR_AXIS')) return missing('MEAN_MOTION');
    for (const k of ['CREATION_DATE', 'ORIGINATOR', 'OBJECT_ID']) {
      const f = values.get(k);
      if (f !== undefined && f.value.trim() === '') {
        this.warnings.push(this.issue('OMM_EMPTY_VALUE', `${k} is empty`, f.line, this.at(f, 'a value', '')));
      }
    }

    const timeSystem = str('TIME_SYSTEM') ?? 'UTC';
    const epochText = str('EPOCH') as string;
    let epochUtc: UtcJulianDate | undefined;
    if (timeSystem.toUpperCase() === 'UTC') {
      epochUtc = parseUtcString(epochText);
      if (epochUtc === undefined) {
        const f = values.get('EPOCH') as Field;
        return {
          issue: this.issue(
            'OMM_EPOCH',
            'EPOCH is not a CCSDS time',
            f.line,
            this.at(f, 'YYYY-MM-DDThh:mm:ss[.d] or YYYY-DDDThh:mm:ss[.d]', epochText),
          ),
        };
      }
    }
    let noradCatId: string | undefined;
    const catField = values.get('NORAD_CAT_ID');
    if (catField !== undefined && catField.value.trim() !== '') {
      const t = catField.value.trim();
      if (!/^\d{1,9}$/.test(t)) {
        return {
          issue: this.issue(
            'OMM_NUMBER',
            'NORAD_CAT_ID is not a catalog number',
            catField.line,
            this.at(catField, 'up to 9 digits', t),
          ),
        };
      }
      noradCatId = t.replace(/^0+(?=\d)/, '');
    }

    const header: OmmHeader = withOptional(
      {
        version: str('CCSDS_OMM_VERS') ?? '',
        creationDate: str('CREATION_DATE') ?? '',
        originator: str('ORIGINATOR') ?? '',
        comments: raw.comments.header ?? [],
      },
      { messageId: str('MESSAGE_ID'), classification: str('CLASSIFICATION') },
    );
    const metadata: OmmMetadata = withOptional(
      {
        objectName: str('OBJECT_NAME') ?? '',
        objectId: str('OBJECT_ID') ?? '',
        centerName: str('CENTER_NAME') ?? 'EARTH',
        refFrame: str('REF_FRAME') ?? 'TEME',
        timeSystem,
        meanElementTheory: str('MEAN_ELEMENT_THEORY') ?? 'SGP4',
        comments: raw.comments.metadata ?? [],
      },
      { refFrameEpoch: str('REF_FRAME_EPOCH') },
    );
    const meanElements: OmmMeanElements = withOptional(
      {
        epoch: epochText,
        eccentricity: num.get('ECCENTRICITY') as number,
        inclinationRad: num.get('INCLINATION') as number,
        raanRad: num.get('RA_OF_ASC_NODE') as number,
        argPerigeeRad: num.get('ARG_OF_PERICENTER') as number,
        meanAnomalyRad: num.get('MEAN_ANOMALY') as number,
      },
      {
        epochUtc,
        semiMajorAxisKm: num.get('SEMI_MAJOR_AXIS'),
        meanMotionRadPerMin: num.get('MEAN_MOTION'),
        gmKm3PerS2: num.get('GM'),
      },
    );
    const spacecraft: OmmSpacecraft = withOptional(
      {},
      {
        massKg: num.get('MASS'),
        solarRadAreaM2: num.get('SOLAR_RAD_AREA'),
        solarRadCoeff: num.get('SOLAR_RAD_COEFF'),
        dragAreaM2: num.get('DRAG_AREA'),
        dragCoeff: num.get('DRAG_COEFF'),
      },
    );
    const tle: OmmTleParameters = withOptional(
      {},
      {
        ephemerisType: num.get('EPHEMERIS_TYPE'),
        classificationType: str('CLASSIFICATION_TYPE'),
        noradCatId,
        elementSetNo: num.get('ELEMENT_SET_NO'),
        revAtEpoch: num.get('REV_AT_EPOCH'),
        bstar: num.get('BSTAR'),
        bterm: num.get('BTERM'),
        meanMotionDot: num.get('MEAN_MOTION_DOT'),
        meanMotionDdot: num.get('MEAN_MOTION_DDOT'),
        agom: num.get('AGOM'),
      },
    );
    let covariance: OmmCovariance | undefined;
    const covKeys = OMM_COVARIANCE_KEYS.filter((k) => num.has(k));
    if (covKeys.length > 0) {
      if (covKeys.length !== 21) {
        const k = OMM_COVARIANCE_KEYS.find((x) => !num.has(x)) as string;
        return missing(k);
      }
      covariance = withOptional(
        { lowerTriangle: OMM_COVARIANCE_KEYS.map((k) => num.get(k) as number) },
        { refFrame: str('COV_REF_FRAME') },
      );
    }

    const message: Mutable<OmmMessage> = { header, metadata, meanElements, userDefined, line: raw.line };
    if (Object.keys(spacecraft).length > 0) message.spacecraft = spacecraft;
    if (Object.keys(tle).length > 0) message.tleParameters = tle;
    if (covariance !== undefined) message.covariance = covariance;

    const why = this.notPropagatable(metadata, meanElements, tle);
    if (why === undefined) {
      message.elementSet = toElementSet(metadata, meanElements, tle);
      if (metadata.refFrame.toUpperCase() !== 'TEME') {
        this.warnings.push(
          this.issue('OMM_FRAME', `SGP4 elements in REF_FRAME ${metadata.refFrame}`, raw.line, {
            key: 'REF_FRAME',
            expected: 'TEME',
            found: metadata.refFrame,
          }),
        );
      }
    } else {
      this.warnings.push(
        this.issue('OMM_NOT_PROPAGATABLE', `no SGP4 element set: ${why}`, raw.line, {
          key: 'MEAN_ELEMENT_THEORY',
          found: metadata.meanElementTheory,
        }),
      );
    }
    return { message };
  }

  private notPropagatable(md: OmmMetadata, me: OmmMeanElements, tle: OmmTleParameters): string | undefined {
    if (!SGP4_THEORIES.has(md.meanElementTheory.toUpperCase())) {
      return `MEAN_ELEMENT_THEORY ${md.meanElementTheory} is not SGP4, SGP/SGP4, SGP or SGP4-XP`;
    }
    if (me.epochUtc === undefined) return `TIME_SYSTEM ${md.timeSystem} is not UTC`;
    if (me.meanMotionRadPerMin === undefined)
      return 'MEAN_MOTION is missing (SEMI_MAJOR_AXIS is not an SGP4 input)';
    if (tle.noradCatId === undefined) return 'NORAD_CAT_ID is missing';
    if (md.centerName.toUpperCase() !== 'EARTH') return `CENTER_NAME ${md.centerName} is not EARTH`;
    return undefined;
  }

  private at(f: Field, expected: string, found: string): Partial<ParseIssue> {
    const base = { key: f.key, expected, found };
    return f.column === undefined ? base : { ...base, column: f.column };
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds the defined entries of `optional` to `base` (exactOptionalPropertyTypes-friendly). */
function withOptional<T extends object, O extends Record<string, unknown>>(
  base: T,
  optional: O,
): T & { [K in keyof O]?: Exclude<O[K], undefined> } {
  const out: Record<string, unknown> = Object.assign({}, base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out as T & { [K in keyof O]?: Exclude<O[K], undefined> };
}

function toElementSet(md: OmmMetadata, me: OmmMeanElements, tle: OmmTleParameters): ElementSet {
  const es: Mutable<ElementSet> = {
    catalogNumber: tle.noradCatId as string,
    classification: tle.classificationType ?? 'U',
    epoch: me.epochUtc as UtcJulianDate,
    meanMotionRadPerMin: me.meanMotionRadPerMin as number,
    eccentricity: me.eccentricity,
    inclinationRad: me.inclinationRad,
    raanRad: me.raanRad,
    argPerigeeRad: me.argPerigeeRad,
    meanAnomalyRad: me.meanAnomalyRad,
    bstar: tle.bstar ?? 0,
    meanMotionDotRevPerDay2: tle.meanMotionDot ?? 0,
    meanMotionDdotRevPerDay3: tle.meanMotionDdot ?? 0,
    ephemerisType: tle.ephemerisType ?? 0,
    elementSetNumber: tle.elementSetNo ?? 0,
    revolutionNumber: tle.revAtEpoch ?? 0,
  };
  if (md.objectName !== '') es.name = md.objectName;
  if (md.objectId !== '') es.intlDesignator = md.objectId;
  if (tle.bterm !== undefined) es.bterm = tle.bterm;
  if (tle.agom !== undefined) es.agom = tle.agom;
  return es;
}

function finish(
  format: OmmFile['format'],
  raws: readonly RawMessage[],
  flavour: Flavour,
  options: OmmReadOptions,
  extraWarnings: readonly ParseIssue[] = [],
): ParseResult<OmmFile> {
  const warnings: ParseIssue[] = [...extraWarnings];
  const b = new Builder(options.file, warnings);
  const messages: OmmMessage[] = [];
  const rejected: ParseIssue[] = [];
  for (const raw of raws) {
    const r = b.build(raw, flavour);
    if ('message' in r) messages.push(r.message);
    else rejected.push(r.issue);
  }
  if (messages.length === 0) {
    return {
      ok: false,
      issues:
        rejected.length > 0
          ? rejected
          : [b.issue('OMM_EMPTY', 'no OMM found', 1, { expected: 'at least one OMM', found: 'none' })],
    };
  }
  return { ok: true, value: { format, messages, rejected }, warnings };
}

// ---------------------------------------------------------------------------------------------
// KVN
// ---------------------------------------------------------------------------------------------

/**
 * Reads OMM KVN. Several messages may follow one another; each starts with CCSDS_OMM_VERS.
 * A message with an unknown keyword, an unreadable number or a missing mandatory keyword is
 * rejected with an issue naming line and key; the others are kept.
 */
export function parseOmmKvn(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  const kvn = parseKvn(text, options);
  if (!kvn.ok) return kvn;
  const raws: RawMessage[] = [];
  let cur: RawMessage | undefined;
  let section: OmmSection = 'header';
  const pendingComments: string[] = [];
  const orphanIssues: ParseIssue[] = [];
  const where = (line: number) => (options.file === undefined ? { line } : { file: options.file, line });
  for (const e of kvn.value) {
    if (e.kind === 'pair' && e.key === 'CCSDS_OMM_VERS') {
      cur = { line: e.line, fields: [], comments: {}, problems: [] };
      raws.push(cur);
      section = 'header';
    }
    if (cur === undefined) {
      if (orphanIssues.length === 0) {
        orphanIssues.push({
          ...where(e.line),
          code: 'OMM_MISSING_KEY',
          message: 'an OMM must start with CCSDS_OMM_VERS',
          key: 'CCSDS_OMM_VERS',
          expected: 'CCSDS_OMM_VERS = 2.0',
          found: e.kind === 'pair' ? e.key : e.kind === 'raw' || e.kind === 'comment' ? e.text : e.key,
        });
      }
      continue;
    }
    if (e.kind === 'pair') {
      const sec = OMM_KEYS[e.key]?.section;
      if (sec !== undefined) section = sec;
      if (pendingComments.length > 0) {
        const list = cur.comments[section] ?? [];
        list.push(...pendingComments);
        cur.comments[section] = list;
        pendingComments.length = 0;
      }
      cur.fields.push(
        e.unit === undefined
          ? { key: e.key, value: e.value, line: e.line, column: e.column }
          : { key: e.key, value: e.value, unit: e.unit, line: e.line, column: e.column },
      );
    } else if (e.kind === 'comment') {
      // A comment opens the block that follows it (CCSDS 502.0-B-2 §7.7); it is attached when that block's first key arrives.
      pendingComments.push(e.text);
    } else {
      const found = e.kind === 'raw' ? e.text : e.key;
      cur.problems.push({
        ...where(e.line),
        column: 1,
        code: e.kind === 'raw' ? 'OMM_SYNTAX' : 'OMM_UNKNOWN_KEY',
        message:
          e.kind === 'raw'
            ? 'line is not KEYWORD = value'
            : `block marker ${e.key} does not belong in an OMM`,
        expected: 'KEYWORD = value or COMMENT',
        found,
      });
    }
  }
  if (raws.length === 0) return { ok: false, issues: orphanIssues };
  const r = finish('omm-kvn', raws, 'ccsds', options);
  if (!r.ok || orphanIssues.length === 0) return r;
  return {
    ok: true,
    value: { ...r.value, rejected: [...orphanIssues, ...r.value.rejected] },
    warnings: r.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

const XML_BLOCKS: Readonly<Record<string, OmmSection>> = {
  meanElements: 'meanElements',
  spacecraftParameters: 'spacecraft',
  tleParameters: 'tle',
  covarianceMatrix: 'covariance',
};

/**
 * Reads OMM XML: a single `<omm>` root or an `<ndm>` root holding several messages (non-OMM
 * messages in an NDM are skipped with an `OMM_SKIPPED_MESSAGE` warning). CelesTrak GP XML is this form.
 */
export function parseOmmXml(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  const doc = parseXml(text, options);
  if (!doc.ok) return doc;
  const root = doc.value.root;
  const where = (el: XmlElement) =>
    options.file === undefined
      ? { line: el.line, column: el.column }
      : { file: options.file, line: el.line, column: el.column };
  const warnings: ParseIssue[] = [];
  let omms: XmlElement[];
  const rootName = xmlLocalName(root.name);
  if (rootName === 'omm') omms = [root];
  else if (rootName === 'ndm') {
    omms = [];
    for (const c of xmlChildElements(root)) {
      const n = xmlLocalName(c.name);
      if (n === 'omm') omms.push(c);
      else if (n !== 'COMMENT' && n !== 'MESSAGE_ID') {
        warnings.push({
          ...where(c),
          code: 'OMM_SKIPPED_MESSAGE',
          message: `<${n}> in the NDM is not an OMM and is skipped`,
          expected: '<omm>',
          found: `<${n}>`,
        });
      }
    }
  } else {
    return {
      ok: false,
      issues: [
        {
          ...where(root),
          code: 'OMM_STRUCTURE',
          message: 'root element is not <omm> or <ndm>',
          expected: '<omm> or <ndm>',
          found: `<${root.name}>`,
        },
      ],
    };
  }
  const raws = omms.map((omm) => xmlMessage(omm, where));
  return finish('omm-xml', raws, 'ccsds', options, warnings);
}

function xmlMessage(
  omm: XmlElement,
  where: (el: XmlElement) => { line: number; column: number; file?: string },
): RawMessage {
  const raw: RawMessage = { line: omm.line, fields: [], comments: {}, problems: [] };
  const problem = (el: XmlElement, message: string, expected: string, found = `<${el.name}>`) => {
    raw.problems.push({ ...where(el), code: 'OMM_STRUCTURE', message, expected, found });
  };
  const version = omm.attributes['version'];
  if (version !== undefined)
    raw.fields.push({ key: 'CCSDS_OMM_VERS', value: version, line: omm.line, column: omm.column });
  const leaves = (block: XmlElement, section: OmmSection) => {
    for (const el of xmlChildElements(block)) {
      const key = xmlLocalName(el.name);
      if (key === 'COMMENT') {
        const list = raw.comments[section] ?? [];
        list.push(xmlText(el).trim());
        raw.comments[section] = list;
        continue;
      }
      if (xmlChildElements(el).length > 0) {
        problem(el, `<${key}> must hold a value, not elements`, 'a text value');
        continue;
      }
      const unit = el.attributes['units'];
      const f: Field =
        unit === undefined
          ? { key, value: xmlText(el).trim(), line: el.line, column: el.column }
          : { key, value: xmlText(el).trim(), unit, line: el.line, column: el.column };
      raw.fields.push(f);
    }
  };
  const headers = xmlChildElements(omm, 'header');
  const bodies = xmlChildElements(omm, 'body');
  if (headers.length !== 1)
    problem(omm, 'an <omm> needs exactly one <header>', '<header>', `${headers.length} <header>`);
  if (bodies.length !== 1)
    problem(omm, 'an <omm> needs exactly one <body>', '<body>', `${bodies.length} <body>`);
  if (headers[0] !== undefined) leaves(headers[0], 'header');
  const body = bodies[0];
  if (body === undefined) return raw;
  const segments = xmlChildElements(body, 'segment');
  if (segments.length !== 1)
    problem(body, 'an OMM <body> needs exactly one <segment>', '<segment>', `${segments.length} <segment>`);
  const seg = segments[0];
  if (seg === undefined) return raw;
  const metas = xmlChildElements(seg, 'metadata');
  const datas = xmlChildElements(seg, 'data');
  if (metas.length !== 1)
    problem(
      metas[1] ?? seg,
      'a <segment> needs exactly one <metadata>',
      'one <metadata>',
      `${metas.length} <metadata>`,
    );
  if (datas.length !== 1)
    problem(datas[1] ?? seg, 'a <segment> needs exactly one <data>', 'one <data>', `${datas.length} <data>`);
  if (metas[0] !== undefined) leaves(metas[0], 'metadata');
  const data = datas[0];
  if (data !== undefined) {
    for (const el of xmlChildElements(data)) {
      const n = xmlLocalName(el.name);
      if (n === 'COMMENT') continue;
      if (n === 'userDefinedParameters') {
        for (const u of xmlChildElements(el, 'USER_DEFINED')) {
          raw.fields.push({
            key: `USER_DEFINED_${u.attributes['parameter'] ?? ''}`,
            value: xmlText(u).trim(),
            line: u.line,
            column: u.column,
          });
        }
        continue;
      }
      const section = XML_BLOCKS[n];
      if (section === undefined)
        problem(
          el,
          `<${n}> is not an OMM data block`,
          '<meanElements>, <spacecraftParameters>, <tleParameters>, <covarianceMatrix>',
        );
      else leaves(el, section);
    }
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// GP JSON and CSV (CelesTrak / Space-Track)
// ---------------------------------------------------------------------------------------------

/** Offsets of the objects at depth 1 of a JSON array (for line numbers; JSON.parse has none). */
function topLevelObjectOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (c === 123 && depth === 1) out.push(i);
      depth++;
    } else if (c === 93 || c === 125) depth--;
  }
  return out;
}

/** 1-based line numbers of increasing character offsets, in one pass over the text. */
function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf('\n', pos); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      pos = i + 1;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Reads CelesTrak/Space-Track GP JSON: an array of objects (or one object) keyed by OMM keywords.
 * Values may be numbers or strings; `null` counts as absent; keys that are not OMM keywords
 * (TLE_LINE1, SEMIMAJOR_AXIS, DECAY_DATE...) are ignored.
 */
export function parseOmmJson(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const issue: ParseIssue = {
      code: 'OMM_SYNTAX',
      message: `not valid JSON: ${(e as Error).message}`,
      line: 1,
      expected: 'a JSON array of GP objects',
      found: text.slice(0, 40),
    };
    return { ok: false, issues: [options.file === undefined ? issue : { ...issue, file: options.file }] };
  }
  const list = Array.isArray(data) ? data : [data];
  const offsets = Array.isArray(data) ? topLevelObjectOffsets(text) : [text.indexOf('{')];
  const lines = linesOf(
    text,
    list.map((_, idx) => offsets[idx] ?? 0),
  );
  const raws: RawMessage[] = list.map((obj, idx) => {
    const line = lines[idx] ?? 1;
    const raw: RawMessage = { line, fields: [], comments: {}, problems: [] };
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      raw.problems.push({
        ...(options.file === undefined ? {} : { file: options.file }),
        line,
        code: 'OMM_STRUCTURE',
        message: `array item ${idx} is not an object`,
        expected: '{ "OBJECT_NAME": ... }',
        found: JSON.stringify(obj).slice(0, 40),
      });
      return raw;
    }
    for (const [key, v] of Object.entries(obj as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (key === 'COMMENT') {
        raw.comments.header = [String(v)];
        continue;
      }
      raw.fields.push({
        key,
        value: typeof v === 'string' ? v : typeof v === 'number' ? numberText(v) : JSON.stringify(v),
        line,
      });
    }
    return raw;
  });
  return finish('omm-json', raws, 'gp', options);
}

/** Shortest text of a JSON number, exponent form kept readable by parseKvnNumber. */
function numberText(v: number): string {
  return String(v);
}

/** Splits one CSV row (RFC 4180 quoting). */
function splitCsvRow(row: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = row.length;
  while (i <= n) {
    if (row.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q < 0) {
          v += row.slice(i);
          i = n;
          break;
        }
        v += row.slice(i, q);
        if (row.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      const comma = row.indexOf(',', i);
      i = comma < 0 ? n + 1 : comma + 1;
    } else {
      const comma = row.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      out.push(row.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Reads CelesTrak GP CSV: a header row of OMM keywords, then one object per row. */
export function parseOmmCsv(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  let headerIdx = lines.findIndex((l) => l.trim() !== '');
  const where = (line: number) => (options.file === undefined ? { line } : { file: options.file, line });
  if (headerIdx < 0) headerIdx = 0;
  const header = splitCsvRow((lines[headerIdx] ?? '').replace(/\r$/, '')).map((h) => h.trim());
  if (!header.includes('NORAD_CAT_ID') || !header.includes('EPOCH')) {
    return {
      ok: false,
      issues: [
        {
          ...where(headerIdx + 1),
          code: 'OMM_MISSING_KEY',
          message: 'CSV header lacks GP columns',
          key: header.includes('EPOCH') ? 'NORAD_CAT_ID' : 'EPOCH',
          expected: 'a header row with OBJECT_NAME, EPOCH, ..., NORAD_CAT_ID',
          found: (lines[headerIdx] ?? '').slice(0, 60),
        },
      ],
    };
  }
  const raws: RawMessage[] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const rowText = (lines[i] as string).replace(/\r$/, '');
    if (rowText.trim() === '') continue;
    const cells = splitCsvRow(rowText);
    const raw: RawMessage = { line: i + 1, fields: [], comments: {}, problems: [] };
    if (cells.length !== header.length) {
      raw.problems.push({
        ...where(i + 1),
        code: 'OMM_SYNTAX',
        message: 'row has a different number of cells than the header',
        expected: `${header.length} cells`,
        found: `${cells.length} cells`,
      });
    }
    header.forEach((key, c) => {
      const v = cells[c];
      if (v !== undefined && key !== '') raw.fields.push({ key, value: v, line: i + 1, column: c + 1 });
    });
    raws.push(raw);
  }
  return finish('omm-csv', raws, 'gp', options);
}

/** OMM file → element records (propagatable messages only); non-SGP4 messages stay as warnings. */
export function ommFileToElements(file: OmmFile): ElementFile {
  const records: ElementRecord[] = [];
  for (const m of file.messages)
    if (m.elementSet !== undefined) records.push({ elements: m.elementSet, line: m.line });
  return { format: file.format, records, rejected: file.rejected };
}

// ---------------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------------

/** How many digits writers use. */
export type OmmDigits = 'tle' | 'full';

export interface OmmWriteOptions {
  /** CREATION_DATE (UTC text, already formatted). Default: empty, as CelesTrak writes it. */
  readonly creationDate?: string;
  /** ORIGINATOR. Default: empty. */
  readonly originator?: string;
  /**
   * 'tle' (default) writes the TLE's decimals (angles 4, eccentricity 7, mean motion 8, B* 5
   * significant digits), as CelesTrak does; 'full' writes 17 significant digits so that any
   * double survives (the shortest round-trip text; degrees ↔ radians may still move the last bit).
   */
  readonly digits?: OmmDigits;
  /** Seconds decimals of EPOCH (default 6, CelesTrak). */
  readonly epochDecimals?: number;
}

interface GpValues {
  readonly OBJECT_NAME: string;
  readonly OBJECT_ID: string;
  readonly EPOCH: string;
  readonly MEAN_MOTION: string;
  readonly ECCENTRICITY: string;
  readonly INCLINATION: string;
  readonly RA_OF_ASC_NODE: string;
  readonly ARG_OF_PERICENTER: string;
  readonly MEAN_ANOMALY: string;
  readonly EPHEMERIS_TYPE: string;
  readonly CLASSIFICATION_TYPE: string;
  readonly NORAD_CAT_ID: string;
  readonly ELEMENT_SET_NO: string;
  readonly REV_AT_EPOCH: string;
  readonly BSTAR: string;
  readonly MEAN_MOTION_DOT: string;
  readonly MEAN_MOTION_DDOT: string;
}

/** Mean-elements keywords the writers put out, in CCSDS 502.0-B-2 Table 4-2 order. */
const WRITTEN_MEAN_ELEMENT_KEYS = [
  'EPOCH',
  'MEAN_MOTION',
  'ECCENTRICITY',
  'INCLINATION',
  'RA_OF_ASC_NODE',
  'ARG_OF_PERICENTER',
  'MEAN_ANOMALY',
] as const;
/** TLE-parameters keywords the writers put out before the optional BTERM (Table 4-3 order). */
const WRITTEN_TLE_KEYS = [
  'EPHEMERIS_TYPE',
  'CLASSIFICATION_TYPE',
  'NORAD_CAT_ID',
  'ELEMENT_SET_NO',
  'REV_AT_EPOCH',
  'BSTAR',
] as const;
/** TLE-parameters keywords the writers put out after the optional BTERM, before the optional AGOM. */
const WRITTEN_TLE_RATE_KEYS = ['MEAN_MOTION_DOT', 'MEAN_MOTION_DDOT'] as const;

/** Units the KVN writer puts in brackets (absent: dimensionless or text). */
const KVN_WRITE_UNITS: Readonly<Partial<Record<keyof GpValues, string>>> = {
  MEAN_MOTION: 'rev/day',
  INCLINATION: 'deg',
  RA_OF_ASC_NODE: 'deg',
  ARG_OF_PERICENTER: 'deg',
  MEAN_ANOMALY: 'deg',
  BSTAR: '1/ER',
  MEAN_MOTION_DOT: 'rev/day**2',
  MEAN_MOTION_DDOT: 'rev/day**3',
};

/** CelesTrak GP column order. */
export const GP_COLUMNS: readonly (keyof GpValues)[] = [
  'OBJECT_NAME',
  'OBJECT_ID',
  ...WRITTEN_MEAN_ELEMENT_KEYS,
  ...WRITTEN_TLE_KEYS,
  ...WRITTEN_TLE_RATE_KEYS,
];

function fixed(v: number, decimals: number, digits: OmmDigits): string {
  if (digits === 'full') return String(v);
  const s = v.toFixed(decimals);
  return Object.is(v, -0) || (v < 0 && Number(s) === 0) ? `-${s.replace('-', '')}` : s;
}

function sci(v: number, digits: OmmDigits): string {
  if (digits === 'full') return String(v);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // Five significant digits, the TLE's resolution, in shortest form.
  return String(Number(v.toExponential(4)));
}

function gpValues(es: ElementSet, options: OmmWriteOptions): GpValues {
  const d = options.digits ?? 'tle';
  return {
    OBJECT_NAME: es.name ?? '',
    OBJECT_ID: es.intlDesignator ?? '',
    EPOCH: formatUtcIso(es.epoch, options.epochDecimals ?? 6),
    MEAN_MOTION: fixed(es.meanMotionRadPerMin * XPDOTP, 8, d),
    ECCENTRICITY: fixed(es.eccentricity, 7, d),
    INCLINATION: fixed(es.inclinationRad * RAD2DEG, 4, d),
    RA_OF_ASC_NODE: fixed(es.raanRad * RAD2DEG, 4, d),
    ARG_OF_PERICENTER: fixed(es.argPerigeeRad * RAD2DEG, 4, d),
    MEAN_ANOMALY: fixed(es.meanAnomalyRad * RAD2DEG, 4, d),
    EPHEMERIS_TYPE: String(es.ephemerisType),
    CLASSIFICATION_TYPE: es.classification,
    NORAD_CAT_ID: es.catalogNumber,
    ELEMENT_SET_NO: String(es.elementSetNumber),
    REV_AT_EPOCH: String(es.revolutionNumber),
    BSTAR: sci(es.bstar, d),
    MEAN_MOTION_DOT: fixed(es.meanMotionDotRevPerDay2, 8, d),
    MEAN_MOTION_DDOT: sci(es.meanMotionDdotRevPerDay3, d),
  };
}

function theoryOf(es: ElementSet): string {
  return es.bterm !== undefined || es.agom !== undefined || es.ephemerisType === 4 ? 'SGP4-XP' : 'SGP4';
}

/**
 * Writes OMM KVN (CCSDS 502.0-B-2), one message per element set, blank line between messages.
 * Units are written in brackets; frame TEME, center EARTH, time system UTC.
 */
export function formatOmmKvn(sets: readonly ElementSet[], options: OmmWriteOptions = {}): string {
  const out: string[] = [];
  const kv = (k: string, v: string, unit?: string) =>
    out.push(`${k.padEnd(20)}= ${v}${unit === undefined ? '' : ` [${unit}]`}`);
  for (const es of sets) {
    const g = gpValues(es, options);
    const xp = theoryOf(es) === 'SGP4-XP';
    if (out.length > 0) out.push('');
    kv('CCSDS_OMM_VERS', xp ? '3.0' : '2.0');
    kv('CREATION_DATE', options.creationDate ?? '');
    kv('ORIGINATOR', options.originator ?? '');
    out.push('');
    kv('OBJECT_NAME', g.OBJECT_NAME);
    kv('OBJECT_ID', g.OBJECT_ID);
    kv('CENTER_NAME', 'EARTH');
    kv('REF_FRAME', 'TEME');
    kv('TIME_SYSTEM', 'UTC');
    kv('MEAN_ELEMENT_THEORY', theoryOf(es));
    out.push('');
    for (const k of WRITTEN_MEAN_ELEMENT_KEYS) kv(k, g[k], KVN_WRITE_UNITS[k]);
    out.push('');
    for (const k of WRITTEN_TLE_KEYS) kv(k, g[k], KVN_WRITE_UNITS[k]);
    if (es.bterm !== undefined) kv('BTERM', String(es.bterm), 'm**2/kg');
    for (const k of WRITTEN_TLE_RATE_KEYS) kv(k, g[k], KVN_WRITE_UNITS[k]);
    if (es.agom !== undefined) kv('AGOM', String(es.agom), 'm**2/kg');
  }
  return `${out.join('\n')}\n`;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Writes OMM XML (CCSDS 505.0-B-2): an `<ndm>` holding one `<omm>` per element set (CelesTrak GP
 * XML layout), or a bare `<omm>` root when `single` is set and there is one set.
 */
export function formatOmmXml(
  sets: readonly ElementSet[],
  options: OmmWriteOptions & { readonly single?: boolean } = {},
): string {
  const single = options.single === true && sets.length === 1;
  const ind = single ? '' : '  ';
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (!single) out.push('<ndm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">');
  const el = (depth: number, name: string, value: string) =>
    out.push(`${ind}${'  '.repeat(depth)}<${name}>${xmlEscape(value)}</${name}>`);
  for (const es of sets) {
    const g = gpValues(es, options);
    const xp = theoryOf(es) === 'SGP4-XP';
    out.push(`${ind}<omm id="CCSDS_OMM_VERS" version="${xp ? '3.0' : '2.0'}">`);
    out.push(`${ind}  <header>`);
    el(2, 'CREATION_DATE', options.creationDate ?? '');
    el(2, 'ORIGINATOR', options.originator ?? '');
    out.push(`${ind}  </header>`, `${ind}  <body>`, `${ind}    <segment>`, `${ind}      <metadata>`);
    el(4, 'OBJECT_NAME', g.OBJECT_NAME);
    el(4, 'OBJECT_ID', g.OBJECT_ID);
    el(4, 'CENTER_NAME', 'EARTH');
    el(4, 'REF_FRAME', 'TEME');
    el(4, 'TIME_SYSTEM', 'UTC');
    el(4, 'MEAN_ELEMENT_THEORY', theoryOf(es));
    out.push(`${ind}      </metadata>`, `${ind}      <data>`, `${ind}        <meanElements>`);
    for (const k of WRITTEN_MEAN_ELEMENT_KEYS) el(5, k, g[k]);
    out.push(`${ind}        </meanElements>`, `${ind}        <tleParameters>`);
    for (const k of WRITTEN_TLE_KEYS) el(5, k, g[k]);
    if (es.bterm !== undefined) el(5, 'BTERM', String(es.bterm));
    for (const k of WRITTEN_TLE_RATE_KEYS) el(5, k, g[k]);
    if (es.agom !== undefined) el(5, 'AGOM', String(es.agom));
    out.push(
      `${ind}        </tleParameters>`,
      `${ind}      </data>`,
      `${ind}    </segment>`,
      `${ind}  </body>`,
      `${ind}</omm>`,
    );
  }
  if (!single) out.push('</ndm>');
  return `${out.join('\n')}\n`;
}

/** Writes CelesTrak GP JSON: an array of objects with numbers as JSON numbers, NORAD_CAT_ID as a number when it fits. */
export function formatOmmJson(sets: readonly ElementSet[], options: OmmWriteOptions = {}): string {
  // JSON numbers: every GP column whose OMM keyword is not text (NORAD_CAT_ID included).
  const numeric = new Set(GP_COLUMNS.filter((k) => OMM_KEYS[k]?.kind !== 'string'));
  const objects = sets.map((es) => {
    const g = gpValues(es, options);
    const o: Record<string, string | number> = {};
    for (const k of GP_COLUMNS) o[k] = numeric.has(k) ? Number(g[k]) : g[k];
    if (es.bterm !== undefined) o['BTERM'] = es.bterm;
    if (es.agom !== undefined) o['AGOM'] = es.agom;
    return o;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes CelesTrak GP CSV: header row of GP_COLUMNS, then one row per element set, CRLF line ends. */
export function formatOmmCsv(sets: readonly ElementSet[], options: OmmWriteOptions = {}): string {
  const rows = [GP_COLUMNS.join(',')];
  for (const es of sets) {
    const g = gpValues(es, options);
    rows.push(GP_COLUMNS.map((k) => csvCell(g[k])).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
