/**
 * OMM writers: KVN and XML (CCSDS 502.0-B-2, 505.0-B-2) and the CelesTrak GP JSON and CSV forms,
 * from element sets, with the TLE's decimals (as CelesTrak writes them) or full precision.
 */
import type { ElementSet } from '../elements/element-set.js';
import { formatUtcIso } from '../elements/utc-calendar.js';
import { RAD2DEG } from '../units/index.js';
import { OMM_KEYS, XPDOTP } from './omm-keys.js';

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
  /**
   * COMMENT lines written at the start of every message's metadata (KVN and XML; the GP JSON and
   * CSV forms have no place for them). One line each, no line breaks.
   */
  readonly comments?: readonly string[];
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

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
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
    for (const c of options.comments ?? []) out.push(`COMMENT ${oneLine(c)}`);
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
    for (const c of options.comments ?? []) el(4, 'COMMENT', oneLine(c));
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
