/**
 * OMM readers for the CCSDS forms, KVN (502.0-B-2 §4) and XML (505.0-B-2 NDM/XML, single `<omm>`
 * or `<ndm>` with several), and the common builder that turns (key, value, unit, line) fields into
 * an OmmMessage by the key table of omm-keys.ts; the GP JSON/CSV readers (omm-read-gp.ts) use the
 * same builder. See omm.ts for the conventions.
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import { parseUtcString } from '../elements/utc-calendar.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import { parseKvn, parseKvnNumber } from './kvn.js';
import { OMM_COVARIANCE_KEYS, OMM_KEYS, type OmmKeyDef, type OmmSection, SGP4_THEORIES } from './omm-keys.js';
import type {
  OmmCovariance,
  OmmFile,
  OmmHeader,
  OmmMeanElements,
  OmmMessage,
  OmmMetadata,
  OmmReadOptions,
  OmmSpacecraft,
  OmmTleParameters,
} from './omm-model.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

// ---------------------------------------------------------------------------------------------
// Common builder: a list of (key, value, unit, line, column) → OmmMessage
// ---------------------------------------------------------------------------------------------

export interface Field {
  readonly key: string;
  readonly value: string;
  readonly unit?: string;
  readonly line: number;
  readonly column?: number;
}

export interface RawMessage {
  readonly line: number;
  readonly fields: Field[];
  readonly comments: Partial<Record<OmmSection, string[]>>;
  /** Structure problems found by the syntax layer (XML layout); the first rejects the message. */
  readonly problems: ParseIssue[];
}

/** GP (CelesTrak/Space-Track) forms: unknown keys are ignored, CCSDS header and frame keys are optional. */
export type Flavour = 'ccsds' | 'gp';

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

export function finish(
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
