/**
 * OPM reader, KVN (CCSDS 502.0-B-2 / B-3 §3 and §7) and XML (CCSDS 505.0-B-2 NDM/XML, `<opm>`),
 * driven by the key table of opm.ts. Both forms are turned into one stream of keyword events and
 * read by the same builder, so a KVN message and its XML twin give the same model.
 *
 * Strict: every problem is an issue with file, line, column, key, what was expected and what was
 * found, and any issue fails the parse. Refused: a keyword the OPM does not define
 * (`OPM_UNKNOWN_KEY`); a keyword twice in one block (`OPM_DUPLICATE_KEY`); a number that does not
 * read (`OPM_BAD_NUMBER`) or a time string that does not read (`OPM_BAD_EPOCH`); a written unit
 * that is not the standard's (`OPM_BAD_UNIT`: compared without regard to case, so `[KM]` passes but
 * `[m]`, `[km²]` or `[s]` for an area do not — no conversion is attempted); blocks out of the
 * standard's order, a second metadata block, or maneuver keywords before MAN_EPOCH_IGNITION
 * (`OPM_SYNTAX`); a missing mandatory keyword, including any of the 21 covariance terms once the
 * covariance is started (`OPM_MISSING_KEY`); an empty value (`OPM_EMPTY_VALUE`); both anomalies
 * or neither (`OPM_BAD_VALUE`); and any XML DOCTYPE (`OPM_XML_DOCTYPE`).
 * Not refused: centres, frames and time systems Hoshimi cannot use (kept as written; opmState
 * refuses them when a state is asked for).
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { CCSDS_EPOCH_FORMS as EPOCH_FORMS, pushIssue as issue } from '../line-issue.js';
import { parseTimeString } from '../time/time-format.js';
import { parseKvn, parseKvnNumber } from './kvn.js';
import {
  OPM_BLOCKS,
  OPM_COVARIANCE_KEYS,
  OPM_MANDATORY_KEYS,
  type Opm,
  type OpmBlock,
  type OpmCovariance,
  type OpmKeplerianElements,
  type OpmManeuver,
  type OpmSpacecraft,
  type OpmUserDefined,
  opmCovarianceIndex,
  opmKeyDef,
} from './opm.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

/** Options of the OPM readers. */
export interface OpmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

type OpmEvent =
  | { readonly type: 'comment'; readonly text: string; readonly line: number }
  | { readonly type: 'start'; readonly block: OpmBlock; readonly line: number; readonly column: number }
  | {
      readonly type: 'pair';
      readonly key: string;
      readonly value: string;
      readonly unit?: string;
      readonly line: number;
      readonly column: number;
      /** XML only: the block element the keyword was found in. */
      readonly container?: OpmBlock;
    };

interface Issuer {
  readonly file: string | undefined;
  readonly issues: ParseIssue[];
}

type Value = string | number;
interface BlockValues {
  readonly line: number;
  readonly values: Map<string, Value>;
  readonly lines: Map<string, number>;
  readonly comments: string[];
}

function newBlock(line: number): BlockValues {
  return { line, values: new Map(), lines: new Map(), comments: [] };
}

/** Reads the event stream into the model. */
function build(events: readonly OpmEvent[], r: Issuer): Opm | undefined {
  const blocks = new Map<OpmBlock, BlockValues>();
  const maneuvers: BlockValues[] = [];
  const user: OpmUserDefined[] = [];
  let userComments: string[] | undefined;
  let pending: string[] = [];
  let current = -1;
  let lastComments: string[] | undefined;
  let lastLine = 1;

  const enter = (block: OpmBlock, line: number, column: number, key: string): boolean => {
    const index = OPM_BLOCKS.indexOf(block);
    if (index < current && !(block === 'maneuverParameters' && current === index)) {
      issue(
        r,
        line,
        column,
        'OPM_SYNTAX',
        `${key} belongs to the ${block} block, which must come before the ${OPM_BLOCKS[current]} block`,
        key,
        `the OPM block order ${OPM_BLOCKS.join(', ')}`,
        key,
      );
      return false;
    }
    current = index;
    return true;
  };
  const blockOf = (block: OpmBlock, line: number): BlockValues => {
    let b = blocks.get(block);
    if (b === undefined) {
      b = newBlock(line);
      blocks.set(block, b);
    }
    return b;
  };

  for (const ev of events) {
    lastLine = ev.line;
    if (ev.type === 'comment') {
      pending.push(ev.text);
      continue;
    }
    if (ev.type === 'start') {
      if (!enter(ev.block, ev.line, ev.column, ev.block)) continue;
      if (ev.block === 'maneuverParameters') maneuvers.push(newBlock(ev.line));
      else if (ev.block === 'metadata' && blocks.has('metadata')) {
        issue(
          r,
          ev.line,
          ev.column,
          'OPM_SYNTAX',
          'an OPM has one metadata block',
          'metadata',
          'one <metadata> per message',
          'a second <metadata>',
        );
      }
      continue;
    }
    const { key, line, column } = ev;
    const def = opmKeyDef(key);
    if (def === undefined || (ev.container !== undefined && ev.container !== def.block)) {
      const where = ev.container === undefined ? 'an OPM keyword' : `a keyword of <${ev.container}>`;
      issue(
        r,
        line,
        column,
        'OPM_UNKNOWN_KEY',
        `${key} is not ${where}`,
        key,
        'a keyword of CCSDS 502.0-B-2 Table 3-3',
        key,
      );
      continue;
    }
    if (!enter(def.block, line, column, key)) continue;
    let target: BlockValues;
    if (def.block === 'maneuverParameters') {
      const open = maneuvers[maneuvers.length - 1];
      if (key === 'MAN_EPOCH_IGNITION' && (open === undefined || open.values.size > 0)) {
        target = newBlock(line);
        maneuvers.push(target);
      } else if (open === undefined) {
        issue(
          r,
          line,
          column,
          'OPM_SYNTAX',
          `${key} comes before any MAN_EPOCH_IGNITION`,
          key,
          'MAN_EPOCH_IGNITION first in each maneuver',
          key,
        );
        continue;
      } else target = open;
    } else target = blockOf(def.block, line);
    if (pending.length > 0) {
      target.comments.push(...pending);
      pending = [];
    }
    lastComments = target.comments;
    const first = target.lines.get(key);
    if (def.block === 'userDefinedParameters') {
      userComments = target.comments;
      if (first === undefined) {
        target.lines.set(key, line);
        user.push({ name: key.slice('USER_DEFINED_'.length), value: ev.value });
        continue;
      }
    }
    if (first !== undefined) {
      issue(
        r,
        line,
        column,
        'OPM_DUPLICATE_KEY',
        `${key} appears twice in one ${def.block} block`,
        key,
        'each keyword once',
        `first at line ${first}`,
      );
      continue;
    }
    target.lines.set(key, line);
    if (ev.unit !== undefined && ev.unit !== '') {
      const ok =
        def.unit === undefined
          ? ev.unit.toLowerCase() === 'n/a'
          : ev.unit.toLowerCase() === def.unit.toLowerCase();
      if (!ok) {
        issue(
          r,
          line,
          column,
          'OPM_BAD_UNIT',
          `${key} is written in a unit that is not the standard's`,
          key,
          def.unit === undefined ? 'no unit' : `[${def.unit}]`,
          `[${ev.unit}]`,
        );
        continue;
      }
    }
    const raw = ev.value;
    if (raw === '') {
      issue(r, line, column, 'OPM_EMPTY_VALUE', `${key} has no value`, key, 'a value', '');
      continue;
    }
    if (def.kind === 'number') {
      const x = parseKvnNumber(raw);
      if (!Number.isFinite(x)) {
        issue(r, line, column, 'OPM_BAD_NUMBER', `${key} is not a number`, key, 'a number', raw);
        continue;
      }
      target.values.set(key, x * (def.scale ?? 1));
    } else if (def.kind === 'epoch') {
      if (!parseTimeString(raw).ok) {
        issue(r, line, column, 'OPM_BAD_EPOCH', `${key} is not a CCSDS time`, key, EPOCH_FORMS, raw);
        continue;
      }
      target.values.set(key, raw);
    } else target.values.set(key, raw);
  }
  if (pending.length > 0) (lastComments ?? (userComments = [])).push(...pending);

  // Mandatory keywords.
  const missing = (block: OpmBlock, b: BlockValues | undefined, label: string) => {
    for (const key of OPM_MANDATORY_KEYS[block] ?? []) {
      if (b?.values.has(key) === true || b?.lines.has(key) === true) continue;
      issue(
        r,
        b?.line ?? lastLine,
        1,
        'OPM_MISSING_KEY',
        `${key} is missing from the ${label}`,
        key,
        `${key} = value`,
        'nothing',
      );
    }
  };
  missing('header', blocks.get('header'), 'header');
  missing('metadata', blocks.get('metadata'), 'metadata');
  missing('stateVector', blocks.get('stateVector'), 'state vector');
  const kep = blocks.get('keplerianElements');
  if (kep !== undefined) {
    missing('keplerianElements', kep, 'Keplerian elements');
    const nAnomaly = (kep.lines.has('TRUE_ANOMALY') ? 1 : 0) + (kep.lines.has('MEAN_ANOMALY') ? 1 : 0);
    if (nAnomaly !== 1) {
      issue(
        r,
        kep.line,
        1,
        nAnomaly === 0 ? 'OPM_MISSING_KEY' : 'OPM_BAD_VALUE',
        'the Keplerian elements need exactly one of TRUE_ANOMALY and MEAN_ANOMALY',
        'TRUE_ANOMALY',
        'TRUE_ANOMALY or MEAN_ANOMALY',
        nAnomaly === 0 ? 'neither' : 'both',
      );
    }
  }
  const cov = blocks.get('covarianceMatrix');
  if (cov !== undefined) missing('covarianceMatrix', cov, 'covariance');
  for (const m of maneuvers) missing('maneuverParameters', m, 'maneuver');
  if (r.issues.length > 0) return undefined;

  const h = blocks.get('header') as BlockValues;
  const md = blocks.get('metadata') as BlockValues;
  const sv = blocks.get('stateVector') as BlockValues;
  const s = (b: BlockValues, key: string) => b.values.get(key) as string;
  const x = (b: BlockValues, key: string) => b.values.get(key) as number;
  const opt = <K extends string>(b: BlockValues, key: string, name: K): { [P in K]?: Value } => {
    const v = b.values.get(key);
    return (v === undefined ? {} : { [name]: v }) as { [P in K]?: Value };
  };

  const sc = blocks.get('spacecraftParameters');
  const spacecraft: OpmSpacecraft | undefined =
    sc === undefined
      ? undefined
      : ({
          ...opt(sc, 'MASS', 'massKg'),
          ...opt(sc, 'SOLAR_RAD_AREA', 'solarRadAreaM2'),
          ...opt(sc, 'SOLAR_RAD_COEFF', 'solarRadCoeff'),
          ...opt(sc, 'DRAG_AREA', 'dragAreaM2'),
          ...opt(sc, 'DRAG_COEFF', 'dragCoeff'),
          comments: sc.comments,
        } as OpmSpacecraft);
  const keplerian: OpmKeplerianElements | undefined =
    kep === undefined
      ? undefined
      : ({
          semiMajorAxisKm: x(kep, 'SEMI_MAJOR_AXIS'),
          eccentricity: x(kep, 'ECCENTRICITY'),
          inclinationRad: x(kep, 'INCLINATION'),
          raanRad: x(kep, 'RA_OF_ASC_NODE'),
          argPericenterRad: x(kep, 'ARG_OF_PERICENTER'),
          ...opt(kep, 'TRUE_ANOMALY', 'trueAnomalyRad'),
          ...opt(kep, 'MEAN_ANOMALY', 'meanAnomalyRad'),
          gmKm3S2: x(kep, 'GM'),
          comments: kep.comments,
        } as OpmKeplerianElements);
  let covariance: OpmCovariance | undefined;
  if (cov !== undefined) {
    const matrix = new Array<number>(36).fill(0);
    for (const key of OPM_COVARIANCE_KEYS) {
      const ij = opmCovarianceIndex(key);
      if (ij === undefined) continue;
      const v = x(cov, key);
      matrix[ij.i * 6 + ij.j] = v;
      matrix[ij.j * 6 + ij.i] = v;
    }
    covariance = {
      ...(opt(cov, 'COV_REF_FRAME', 'refFrame') as { refFrame?: string }),
      matrix,
      comments: cov.comments,
    };
  }
  const mans: OpmManeuver[] = maneuvers.map(
    (m) =>
      ({
        epochIgnition: s(m, 'MAN_EPOCH_IGNITION'),
        ...opt(m, 'MAN_DURATION', 'durationS'),
        ...opt(m, 'MAN_DELTA_MASS', 'deltaMassKg'),
        refFrame: s(m, 'MAN_REF_FRAME'),
        dvKmS: [x(m, 'MAN_DV_1'), x(m, 'MAN_DV_2'), x(m, 'MAN_DV_3')],
        comments: m.comments,
      }) as OpmManeuver,
  );
  return {
    header: {
      version: s(h, 'CCSDS_OPM_VERS'),
      ...(opt(h, 'CLASSIFICATION', 'classification') as { classification?: string }),
      creationDate: s(h, 'CREATION_DATE'),
      originator: s(h, 'ORIGINATOR'),
      ...(opt(h, 'MESSAGE_ID', 'messageId') as { messageId?: string }),
      comments: h.comments,
    },
    metadata: {
      objectName: s(md, 'OBJECT_NAME'),
      objectId: s(md, 'OBJECT_ID'),
      centerName: s(md, 'CENTER_NAME'),
      refFrame: s(md, 'REF_FRAME'),
      ...(opt(md, 'REF_FRAME_EPOCH', 'refFrameEpoch') as { refFrameEpoch?: string }),
      timeSystem: s(md, 'TIME_SYSTEM'),
      comments: md.comments,
    },
    stateVector: {
      epoch: s(sv, 'EPOCH'),
      positionKm: [x(sv, 'X'), x(sv, 'Y'), x(sv, 'Z')],
      velocityKmS: [x(sv, 'X_DOT'), x(sv, 'Y_DOT'), x(sv, 'Z_DOT')],
      comments: sv.comments,
    },
    ...(keplerian === undefined ? {} : { keplerianElements: keplerian }),
    ...(spacecraft === undefined ? {} : { spacecraft }),
    ...(covariance === undefined ? {} : { covariance }),
    maneuvers: mans,
    userDefined: user,
    ...(userComments === undefined || userComments.length === 0 ? {} : { userDefinedComments: userComments }),
  };
}

/** Reads an OPM in KVN. */
export function parseOpmKvn(text: string, options: OpmReadOptions = {}): ParseResult<Opm> {
  const kvn = parseKvn(text, options);
  if (!kvn.ok) return kvn;
  const r: Issuer = { file: options.file, issues: [] };
  const events: OpmEvent[] = [];
  let first = true;
  for (const entry of kvn.value) {
    if (entry.kind === 'comment') {
      events.push({ type: 'comment', text: entry.text, line: entry.line });
      continue;
    }
    if (entry.kind !== 'pair') {
      const text = entry.kind === 'marker' ? entry.key : entry.text;
      issue(
        r,
        entry.line,
        1,
        'OPM_SYNTAX',
        'an OPM line must be KEYWORD = value or COMMENT text',
        undefined,
        'KEYWORD = value',
        text,
      );
      continue;
    }
    if (first && entry.key !== 'CCSDS_OPM_VERS') {
      issue(
        r,
        entry.line,
        1,
        'OPM_SYNTAX',
        'an OPM starts with CCSDS_OPM_VERS',
        entry.key,
        'CCSDS_OPM_VERS = 3.0',
        entry.key,
      );
    }
    first = false;
    events.push({
      type: 'pair',
      key: entry.key,
      value: entry.value,
      ...(entry.unit === undefined ? {} : { unit: entry.unit }),
      line: entry.line,
      column: entry.column,
    });
  }
  if (first) issue(r, 1, 1, 'OPM_SYNTAX', 'the file is empty', undefined, 'CCSDS_OPM_VERS = 3.0', '');
  const opm = build(events, r);
  if (opm === undefined || r.issues.length > 0) return { ok: false, issues: r.issues };
  return { ok: true, value: opm, warnings: [] };
}

const DATA_BLOCKS: readonly OpmBlock[] = [
  'stateVector',
  'keplerianElements',
  'spacecraftParameters',
  'covarianceMatrix',
  'maneuverParameters',
  'userDefinedParameters',
];

/** Reads an OPM in NDM/XML (`<opm id="CCSDS_OPM_VERS" version="3.0">`). */
export function parseOpmXml(text: string, options: OpmReadOptions = {}): ParseResult<Opm> {
  const r: Issuer = { file: options.file, issues: [] };
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype !== null) {
    const line = text.slice(0, doctype.index).split('\n').length;
    issue(
      r,
      line,
      1,
      'OPM_XML_DOCTYPE',
      'a DOCTYPE is not allowed in an NDM/XML message',
      undefined,
      '<opm> without DOCTYPE',
      '<!DOCTYPE',
    );
    return { ok: false, issues: r.issues };
  }
  const doc = parseXml(text, options);
  if (!doc.ok) return doc;
  const root = doc.value.root;
  if (xmlLocalName(root.name) !== 'opm') {
    issue(
      r,
      root.line,
      root.column,
      'OPM_SYNTAX',
      'the root element is not <opm>',
      undefined,
      '<opm>',
      root.name,
    );
    return { ok: false, issues: r.issues };
  }
  const events: OpmEvent[] = [];
  events.push({
    type: 'pair',
    key: 'CCSDS_OPM_VERS',
    value: (root.attributes['version'] ?? '').trim(),
    line: root.line,
    column: root.column,
  });
  const unexpected = (el: XmlElement, where: string, expected: string) =>
    issue(
      r,
      el.line,
      el.column,
      'OPM_SYNTAX',
      `<${el.name}> is not expected in ${where}`,
      xmlLocalName(el.name),
      expected,
      `<${el.name}>`,
    );
  const keys = (el: XmlElement, block: OpmBlock) => {
    for (const c of xmlChildElements(el)) {
      const name = xmlLocalName(c.name);
      if (name === 'COMMENT') {
        events.push({ type: 'comment', text: xmlText(c).trim(), line: c.line });
        continue;
      }
      let key = name;
      if (block === 'userDefinedParameters' && name === 'USER_DEFINED')
        key = `USER_DEFINED_${(c.attributes['parameter'] ?? '').trim()}`;
      const unit = c.attributes['units'];
      events.push({
        type: 'pair',
        key,
        value: xmlText(c).trim(),
        ...(unit === undefined ? {} : { unit: unit.trim() }),
        line: c.line,
        column: c.column,
        container: block,
      });
    }
  };
  for (const part of xmlChildElements(root)) {
    const name = xmlLocalName(part.name);
    if (name === 'header') {
      keys(part, 'header');
    } else if (name === 'body') {
      const segments = xmlChildElements(part);
      segments.forEach((seg, k) => {
        if (xmlLocalName(seg.name) !== 'segment' || k > 0) {
          unexpected(seg, '<body>', 'one <segment>');
          return;
        }
        for (const c of xmlChildElements(seg)) {
          const cn = xmlLocalName(c.name);
          if (cn === 'metadata') {
            events.push({ type: 'start', block: 'metadata', line: c.line, column: c.column });
            keys(c, 'metadata');
          } else if (cn === 'data') {
            for (const d of xmlChildElements(c)) {
              const dn = xmlLocalName(d.name);
              if (dn === 'COMMENT') {
                events.push({ type: 'comment', text: xmlText(d).trim(), line: d.line });
              } else if ((DATA_BLOCKS as readonly string[]).includes(dn)) {
                events.push({ type: 'start', block: dn as OpmBlock, line: d.line, column: d.column });
                keys(d, dn as OpmBlock);
              } else unexpected(d, '<data>', DATA_BLOCKS.map((b) => `<${b}>`).join(', '));
            }
          } else unexpected(c, '<segment>', '<metadata> then <data>');
        }
      });
    } else unexpected(part, '<opm>', '<header> then <body>');
  }
  const opm = build(events, r);
  if (opm === undefined || r.issues.length > 0) return { ok: false, issues: r.issues };
  return { ok: true, value: opm, warnings: [] };
}

/** Reads an OPM in KVN or XML, chosen by the first non-blank character (`<` for XML). */
export function parseOpm(text: string, options: OpmReadOptions = {}): ParseResult<Opm> {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') ? parseOpmXml(text, options) : parseOpmKvn(text, options);
}
