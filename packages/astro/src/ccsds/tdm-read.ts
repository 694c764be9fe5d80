/**
 * TDM reader, KVN (CCSDS 503.0-B-2 §3–4) and XML (CCSDS 505.0-B-2 NDM/XML, `<tdm>`), driven by the
 * key table of tdm.ts. Strict: every problem is an issue with file, line, column, key, what was
 * expected and what was found, and any issue fails the parse (nothing is dropped silently).
 *
 * Refused: unknown keywords in the header, metadata or data (`TDM_UNKNOWN_KEY`); a keyword twice
 * in one block; numbers, integers, epochs and enumerated values that do not read
 * (`TDM_BAD_NUMBER`, `TDM_BAD_EPOCH`, `TDM_BAD_VALUE`); a written unit that is not the standard's
 * (RANGE: the segment's RANGE_UNITS) (`TDM_BAD_UNIT`); a data line that is not exactly
 * `KEYWORD = epoch value` or an XML <observation> without its EPOCH (`TDM_BAD_DATA_LINE`); a PATH
 * that is not participant indices 1–5 separated by commas without blanks, or that names a
 * participant the metadata does not define (`TDM_BAD_PATH`, as Orekit refuses "2, 1");
 * a TIME_SYSTEM that Hoshimi cannot convert (`TDM_TIME_SYSTEM_NOT_IMPLEMENTED`: anything but UTC,
 * TAI, TT, GPS, TDB, UT1); missing TIME_SYSTEM, PARTICIPANT_1, PATH for MODE = SEQUENTIAL or
 * PATH_1/PATH_2 for SINGLE_DIFF, or a missing header keyword (`TDM_MISSING_KEY`); blocks out of
 * order (`TDM_SYNTAX`); and any XML DOCTYPE (`TDM_XML_DOCTYPE`): NDM/XML needs none, and an
 * external one is never fetched nor expanded.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { CCSDS_EPOCH_FORMS as EPOCH_FORMS, pushIssue as issue } from '../line-issue.js';
import { parseTimeString } from '../time/time-format.js';
import { type KvnEntry, parseKvn, parseKvnNumber } from './kvn.js';
import {
  TDM_TIME_SYSTEMS,
  type Tdm,
  type TdmHeader,
  type TdmMetadataKeyDef,
  type TdmObservation,
  type TdmSegment,
  tdmDataKeyDef,
  tdmMetadataKeyDef,
} from './tdm.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

/** Options of the TDM readers. */
export interface TdmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

interface Reader {
  readonly file: string | undefined;
  readonly issues: ParseIssue[];
}

interface SegmentBuilder {
  readonly line: number;
  readonly comments: string[];
  readonly values: Record<string, string | number | readonly number[]>;
  readonly keyLines: Map<string, number>;
  readonly dataComments: string[];
  readonly observations: TdmObservation[];
}

const PATH_RE = /^[1-5](,[1-5])+$/;

function epochOk(text: string): boolean {
  return parseTimeString(text).ok;
}

function newSegment(line: number): SegmentBuilder {
  return { line, comments: [], values: {}, keyLines: new Map(), dataComments: [], observations: [] };
}

function addMeta(
  r: Reader,
  seg: SegmentBuilder,
  key: string,
  raw: string,
  unit: string | undefined,
  line: number,
  column: number,
): void {
  const def: TdmMetadataKeyDef | undefined = tdmMetadataKeyDef(key);
  if (def === undefined) {
    const where = tdmDataKeyDef(key) !== undefined ? ' (a data keyword, allowed only in the data block)' : '';
    issue(
      r,
      line,
      column,
      'TDM_UNKNOWN_KEY',
      `${key} is not a TDM metadata keyword${where}`,
      key,
      'a metadata keyword of CCSDS 503.0-B-2 Table 3-3',
      key,
    );
    return;
  }
  const first = seg.keyLines.get(key);
  if (first !== undefined) {
    issue(
      r,
      line,
      column,
      'TDM_DUPLICATE_KEY',
      `${key} appears twice in one metadata block`,
      key,
      'each keyword once',
      `first at line ${first}`,
    );
    return;
  }
  seg.keyLines.set(key, line);
  if (unit !== undefined && def.unit !== undefined && unit !== def.unit) {
    issue(r, line, column, 'TDM_BAD_UNIT', `${key} has the wrong unit`, key, `[${def.unit}]`, `[${unit}]`);
    return;
  }
  if (raw === '') {
    issue(r, line, column, 'TDM_EMPTY_VALUE', `${key} has no value`, key, 'a value', '');
    return;
  }
  if (key === 'TIME_SYSTEM' && !(TDM_TIME_SYSTEMS as readonly string[]).includes(raw)) {
    issue(
      r,
      line,
      column,
      'TDM_TIME_SYSTEM_NOT_IMPLEMENTED',
      `time system ${raw} is not implemented (no conversion to the library's time scales)`,
      key,
      TDM_TIME_SYSTEMS.join(', '),
      raw,
    );
    return;
  }
  switch (def.kind) {
    case 'number':
    case 'integer': {
      const x = parseKvnNumber(raw);
      if (!Number.isFinite(x) || (def.kind === 'integer' && !Number.isInteger(x))) {
        issue(
          r,
          line,
          column,
          'TDM_BAD_NUMBER',
          `${key} is not ${def.kind === 'integer' ? 'an integer' : 'a number'}`,
          key,
          def.kind,
          raw,
        );
        return;
      }
      seg.values[key] = x;
      return;
    }
    case 'epoch':
      if (!epochOk(raw)) {
        issue(r, line, column, 'TDM_BAD_EPOCH', `${key} is not a CCSDS time`, key, EPOCH_FORMS, raw);
        return;
      }
      seg.values[key] = raw;
      return;
    case 'path':
      if (!PATH_RE.test(raw)) {
        issue(
          r,
          line,
          column,
          'TDM_BAD_PATH',
          `${key} must be participant indices 1–5 separated by commas, without blanks`,
          key,
          'for example 1,2,1',
          raw,
        );
        return;
      }
      seg.values[key] = raw.split(',').map(Number);
      return;
    case 'enum':
      if (!(def.values ?? []).includes(raw)) {
        issue(
          r,
          line,
          column,
          'TDM_BAD_VALUE',
          `${key} has a value the standard does not define`,
          key,
          (def.values ?? []).join(', '),
          raw,
        );
        return;
      }
      seg.values[key] = raw;
      return;
    default:
      seg.values[key] = raw;
  }
}

function addObservation(
  r: Reader,
  seg: SegmentBuilder,
  key: string,
  epoch: string,
  text: string,
  unit: string | undefined,
  line: number,
  column: number,
): void {
  const def = tdmDataKeyDef(key);
  if (def === undefined) {
    const where =
      tdmMetadataKeyDef(key) !== undefined
        ? ' (a metadata keyword, allowed only between META_START and META_STOP)'
        : '';
    issue(
      r,
      line,
      column,
      'TDM_UNKNOWN_KEY',
      `${key} is not a TDM data keyword${where}`,
      key,
      'a data keyword of CCSDS 503.0-B-2 Table 3-5',
      key,
    );
    return;
  }
  if (unit !== undefined) {
    const rangeUnits = typeof seg.values['RANGE_UNITS'] === 'string' ? seg.values['RANGE_UNITS'] : 'km';
    const allowed = key === 'RANGE' ? [rangeUnits] : def.unit === undefined ? [] : [def.unit];
    if (!allowed.includes(unit)) {
      issue(
        r,
        line,
        column,
        'TDM_BAD_UNIT',
        `${key} has the wrong unit`,
        key,
        allowed.length > 0 ? allowed.map((u) => `[${u}]`).join(' or ') : 'no unit',
        `[${unit}]`,
      );
      return;
    }
  }
  if (!epochOk(epoch)) {
    issue(
      r,
      line,
      column,
      'TDM_BAD_EPOCH',
      `the epoch of ${key} is not a CCSDS time`,
      key,
      EPOCH_FORMS,
      epoch,
    );
    return;
  }
  const value = parseKvnNumber(text);
  if (!Number.isFinite(value)) {
    issue(r, line, column, 'TDM_BAD_NUMBER', `the value of ${key} is not a number`, key, 'a number', text);
    return;
  }
  seg.observations.push({ keyword: key, epoch, value, text, line });
}

function finishSegment(r: Reader, seg: SegmentBuilder, segments: TdmSegment[]): void {
  const v = seg.values;
  if (!seg.keyLines.has('TIME_SYSTEM')) {
    // Orekit reports the first epoch that needs the time system; so do we.
    const at =
      seg.keyLines.get('START_TIME') ??
      seg.keyLines.get('STOP_TIME') ??
      seg.observations[0]?.line ??
      seg.line;
    issue(
      r,
      at,
      1,
      'TDM_MISSING_KEY',
      'TIME_SYSTEM is missing from the metadata (epochs cannot be read)',
      'TIME_SYSTEM',
      'TIME_SYSTEM = UTC, TAI, TT, GPS, TDB or UT1',
      'no TIME_SYSTEM',
    );
  }
  if (!seg.keyLines.has('PARTICIPANT_1')) {
    issue(
      r,
      seg.line,
      1,
      'TDM_MISSING_KEY',
      'PARTICIPANT_1 is missing from the metadata',
      'PARTICIPANT_1',
      'PARTICIPANT_1 = name',
      'no PARTICIPANT_1',
    );
  }
  const mode = v['MODE'];
  const need = mode === 'SEQUENTIAL' ? ['PATH'] : mode === 'SINGLE_DIFF' ? ['PATH_1', 'PATH_2'] : [];
  for (const k of need) {
    if (!seg.keyLines.has(k)) {
      issue(
        r,
        seg.keyLines.get('MODE') ?? seg.line,
        1,
        'TDM_MISSING_KEY',
        `MODE = ${String(mode)} needs ${k}`,
        k,
        k,
        'absent',
      );
    }
  }
  for (const k of ['PATH', 'PATH_1', 'PATH_2']) {
    const p = v[k];
    if (!Array.isArray(p)) continue;
    for (const i of p as readonly number[]) {
      if (v[`PARTICIPANT_${i}`] === undefined) {
        issue(
          r,
          seg.keyLines.get(k) ?? seg.line,
          1,
          'TDM_BAD_PATH',
          `${k} names participant ${i}, which the metadata does not define`,
          k,
          `PARTICIPANT_${i}`,
          String(i),
        );
      }
    }
  }
  segments.push({
    metadata: { comments: seg.comments, values: seg.values },
    dataComments: seg.dataComments,
    observations: seg.observations,
    line: seg.line,
  });
}

interface HeaderBuilder {
  version?: string;
  creationDate?: string;
  originator?: string;
  messageId?: string;
  readonly comments: string[];
  readonly lines: Map<string, number>;
}

function addHeader(
  r: Reader,
  h: HeaderBuilder,
  key: string,
  raw: string,
  line: number,
  column: number,
): void {
  const known = ['CCSDS_TDM_VERS', 'CREATION_DATE', 'ORIGINATOR', 'MESSAGE_ID'];
  if (!known.includes(key)) {
    const hint =
      tdmMetadataKeyDef(key) !== undefined || tdmDataKeyDef(key) !== undefined
        ? ' (expected META_START before it)'
        : '';
    issue(
      r,
      line,
      column,
      'TDM_UNKNOWN_KEY',
      `${key} is not a TDM header keyword${hint}`,
      key,
      known.join(', '),
      key,
    );
    return;
  }
  const first = h.lines.get(key);
  if (first !== undefined) {
    issue(
      r,
      line,
      column,
      'TDM_DUPLICATE_KEY',
      `${key} appears twice in the header`,
      key,
      'each keyword once',
      `first at line ${first}`,
    );
    return;
  }
  h.lines.set(key, line);
  if (raw === '') {
    issue(r, line, column, 'TDM_EMPTY_VALUE', `${key} has no value`, key, 'a value', '');
    return;
  }
  if (key === 'CCSDS_TDM_VERS') {
    if (!/^[12]\.\d+$/.test(raw))
      issue(r, line, column, 'TDM_BAD_VALUE', 'unsupported TDM version', key, '1.0 or 2.0', raw);
    h.version = raw;
  } else if (key === 'CREATION_DATE') {
    if (!epochOk(raw))
      issue(r, line, column, 'TDM_BAD_EPOCH', 'CREATION_DATE is not a CCSDS time', key, EPOCH_FORMS, raw);
    h.creationDate = raw;
  } else if (key === 'ORIGINATOR') h.originator = raw;
  else h.messageId = raw;
}

function finishHeader(r: Reader, h: HeaderBuilder, line: number): TdmHeader | undefined {
  for (const k of ['CCSDS_TDM_VERS', 'CREATION_DATE', 'ORIGINATOR']) {
    if (!h.lines.has(k)) issue(r, line, 1, 'TDM_MISSING_KEY', `the header needs ${k}`, k, k, 'absent');
  }
  if (h.version === undefined || h.creationDate === undefined || h.originator === undefined) return undefined;
  return {
    version: h.version,
    comments: h.comments,
    creationDate: h.creationDate,
    originator: h.originator,
    ...(h.messageId === undefined ? {} : { messageId: h.messageId }),
  };
}

function result(
  r: Reader,
  header: TdmHeader | undefined,
  segments: TdmSegment[],
  lastLine: number,
): ParseResult<Tdm> {
  if (segments.length === 0 && r.issues.length === 0) {
    issue(
      r,
      lastLine,
      1,
      'TDM_SYNTAX',
      'a TDM needs at least one segment',
      undefined,
      'META_START … DATA_STOP',
      'end of message',
    );
  }
  if (r.issues.length > 0 || header === undefined) return { ok: false, issues: r.issues };
  return { ok: true, value: { header, segments }, warnings: [] };
}

type KvnState = 'header' | 'meta' | 'afterMeta' | 'data' | 'afterData';

/** Reads a TDM in KVN. */
export function parseTdmKvn(text: string, options: TdmReadOptions = {}): ParseResult<Tdm> {
  const kvn = parseKvn(text, options.file === undefined ? {} : { file: options.file });
  if (!kvn.ok) return kvn;
  const r: Reader = { file: options.file, issues: [] };
  const h: HeaderBuilder = { comments: [], lines: new Map() };
  const segments: TdmSegment[] = [];
  let seg: SegmentBuilder | undefined;
  let state: KvnState = 'header';
  let header: TdmHeader | undefined;
  let lastLine = 1;
  let first = true;
  let pending: string[] = [];
  const entries: readonly KvnEntry[] = kvn.value;
  const unexpected = (e: KvnEntry, expected: string): void => {
    const found =
      e.kind === 'pair'
        ? `${e.key} = ${e.value}`
        : e.kind === 'comment'
          ? `COMMENT ${e.text}`
          : e.kind === 'raw'
            ? e.text
            : e.key;
    issue(
      r,
      e.line,
      1,
      'TDM_SYNTAX',
      `unexpected line (expected ${expected})`,
      e.kind === 'pair' || e.kind === 'marker' ? e.key : undefined,
      expected,
      found,
    );
  };
  for (const e of entries) {
    lastLine = e.line;
    if (first && !(e.kind === 'pair' && e.key === 'CCSDS_TDM_VERS')) {
      issue(
        r,
        e.line,
        1,
        'TDM_MISSING_KEY',
        'a TDM starts with CCSDS_TDM_VERS',
        'CCSDS_TDM_VERS',
        'CCSDS_TDM_VERS = 2.0',
        e.kind === 'pair' || e.kind === 'marker' ? e.key : e.kind,
      );
    }
    first = false;
    switch (state) {
      case 'header':
        if (e.kind === 'pair') addHeader(r, h, e.key, e.value, e.line, e.column);
        else if (e.kind === 'comment') h.comments.push(e.text);
        else if (e.kind === 'marker' && e.key === 'META_START') {
          header = finishHeader(r, h, e.line);
          seg = newSegment(e.line);
          state = 'meta';
        } else unexpected(e, 'a header keyword, COMMENT or META_START');
        break;
      case 'meta':
        if (e.kind === 'pair') addMeta(r, seg!, e.key, e.value, e.unit, e.line, e.column);
        else if (e.kind === 'comment') seg!.comments.push(e.text);
        else if (e.kind === 'marker' && e.key === 'META_STOP') state = 'afterMeta';
        else unexpected(e, 'a metadata keyword, COMMENT or META_STOP');
        break;
      case 'afterMeta':
        if (e.kind === 'marker' && e.key === 'DATA_START') state = 'data';
        else if (e.kind === 'comment') seg!.dataComments.push(e.text);
        else unexpected(e, 'DATA_START');
        break;
      case 'data':
        if (e.kind === 'pair') {
          const parts = e.value.split(/[\s]+/).filter((s) => s !== '');
          if (parts.length !== 2) {
            issue(
              r,
              e.line,
              e.column,
              'TDM_BAD_DATA_LINE',
              `a ${e.key} data line holds an epoch and one value`,
              e.key,
              'KEYWORD = epoch value',
              `${parts.length} field${parts.length === 1 ? '' : 's'}: ${e.value}`,
            );
          } else {
            addObservation(r, seg!, e.key, parts[0]!, parts[1]!, e.unit, e.line, e.column);
          }
        } else if (e.kind === 'comment') seg!.dataComments.push(e.text);
        else if (e.kind === 'marker' && e.key === 'DATA_STOP') {
          finishSegment(r, seg!, segments);
          seg = undefined;
          state = 'afterData';
        } else unexpected(e, 'KEYWORD = epoch value, COMMENT or DATA_STOP');
        break;
      case 'afterData':
        if (e.kind === 'marker' && e.key === 'META_START') {
          seg = newSegment(e.line);
          seg.comments.push(...pending);
          pending = [];
          state = 'meta';
        } else if (e.kind === 'comment') pending.push(e.text);
        else unexpected(e, 'META_START or the end of the message');
        break;
    }
  }
  if (state === 'header') header = finishHeader(r, h, lastLine);
  else if (state !== 'afterData') {
    const missing = state === 'meta' ? 'META_STOP' : state === 'afterMeta' ? 'DATA_START' : 'DATA_STOP';
    issue(
      r,
      lastLine,
      1,
      'TDM_SYNTAX',
      `the message ends before ${missing}`,
      missing,
      missing,
      'end of message',
    );
  }
  return result(r, header, segments, lastLine);
}

function doctypeLine(text: string): number | undefined {
  const m = /<!DOCTYPE/i.exec(text);
  if (m === null) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function readXmlMetadata(r: Reader, seg: SegmentBuilder, el: XmlElement): void {
  for (const c of xmlChildElements(el)) {
    const name = xmlLocalName(c.name);
    if (name === 'COMMENT') seg.comments.push(xmlText(c).trim());
    else addMeta(r, seg, name, xmlText(c).trim(), c.attributes['units'], c.line, c.column);
  }
}

function readXmlData(r: Reader, seg: SegmentBuilder, el: XmlElement): void {
  for (const c of xmlChildElements(el)) {
    const name = xmlLocalName(c.name);
    if (name === 'COMMENT') {
      seg.dataComments.push(xmlText(c).trim());
      continue;
    }
    if (name !== 'observation') {
      issue(
        r,
        c.line,
        c.column,
        'TDM_UNKNOWN_KEY',
        `<${name}> is not allowed in <data>`,
        name,
        '<COMMENT> or <observation>',
        `<${name}>`,
      );
      continue;
    }
    const kids = xmlChildElements(c);
    const epochEl = kids.find((k) => xmlLocalName(k.name) === 'EPOCH');
    const values = kids.filter((k) => xmlLocalName(k.name) !== 'EPOCH');
    const valueEl = values[0];
    if (valueEl === undefined || values.length !== 1 || epochEl === undefined || kids[0] !== epochEl) {
      const key = valueEl === undefined ? 'EPOCH' : xmlLocalName(valueEl.name);
      const at = valueEl ?? epochEl ?? c;
      issue(
        r,
        at.line,
        at.column,
        'TDM_BAD_DATA_LINE',
        `an <observation> holds <EPOCH> followed by one data keyword`,
        key,
        '<EPOCH>…</EPOCH><KEYWORD>…</KEYWORD>',
        kids.map((k) => `<${xmlLocalName(k.name)}>`).join('') || 'nothing',
      );
      continue;
    }
    addObservation(
      r,
      seg,
      xmlLocalName(valueEl.name),
      xmlText(epochEl).trim(),
      xmlText(valueEl).trim(),
      valueEl.attributes['units'],
      valueEl.line,
      valueEl.column,
    );
  }
}

/** Reads a TDM in XML (`<tdm>` with `<header>` and `<body>` of `<segment>`s). */
export function parseTdmXml(text: string, options: TdmReadOptions = {}): ParseResult<Tdm> {
  const r: Reader = { file: options.file, issues: [] };
  const dt = doctypeLine(text);
  if (dt !== undefined) {
    issue(
      r,
      dt,
      1,
      'TDM_XML_DOCTYPE',
      'a DOCTYPE is refused (NDM/XML needs none; external entities are never loaded)',
      undefined,
      'no <!DOCTYPE>',
      '<!DOCTYPE',
    );
    return { ok: false, issues: r.issues };
  }
  const doc = parseXml(text, options.file === undefined ? {} : { file: options.file });
  if (!doc.ok) return doc;
  const root = doc.value.root;
  if (xmlLocalName(root.name) !== 'tdm') {
    issue(
      r,
      root.line,
      root.column,
      'TDM_SYNTAX',
      'the root element must be <tdm>',
      undefined,
      '<tdm>',
      `<${root.name}>`,
    );
    return { ok: false, issues: r.issues };
  }
  const h: HeaderBuilder = { comments: [], lines: new Map() };
  const version = root.attributes['version'];
  if (version !== undefined) addHeader(r, h, 'CCSDS_TDM_VERS', version, root.line, root.column);
  let lastLine = root.line;
  const segments: TdmSegment[] = [];
  for (const part of xmlChildElements(root)) {
    const name = xmlLocalName(part.name);
    lastLine = Math.max(lastLine, part.line);
    if (name === 'header') {
      for (const c of xmlChildElements(part)) {
        const k = xmlLocalName(c.name);
        if (k === 'COMMENT') h.comments.push(xmlText(c).trim());
        else addHeader(r, h, k, xmlText(c).trim(), c.line, c.column);
      }
    } else if (name === 'body') {
      for (const s of xmlChildElements(part)) {
        if (xmlLocalName(s.name) !== 'segment') {
          issue(
            r,
            s.line,
            s.column,
            'TDM_SYNTAX',
            '<body> holds <segment>s only',
            xmlLocalName(s.name),
            '<segment>',
            `<${s.name}>`,
          );
          continue;
        }
        const metas = xmlChildElements(s, 'metadata');
        const seg = newSegment(metas[0]?.line ?? s.line);
        for (const c of xmlChildElements(s)) {
          const k = xmlLocalName(c.name);
          lastLine = Math.max(lastLine, c.line);
          if (k === 'metadata') readXmlMetadata(r, seg, c);
          else if (k === 'data') readXmlData(r, seg, c);
          else
            issue(
              r,
              c.line,
              c.column,
              'TDM_SYNTAX',
              `<${k}> is not allowed in <segment>`,
              k,
              '<metadata> and <data>',
              `<${k}>`,
            );
        }
        finishSegment(r, seg, segments);
      }
    } else {
      issue(
        r,
        part.line,
        part.column,
        'TDM_SYNTAX',
        `<${name}> is not allowed in <tdm>`,
        name,
        '<header> and <body>',
        `<${name}>`,
      );
    }
  }
  const header = finishHeader(r, h, root.line);
  return result(r, header, segments, lastLine);
}

/** Reads a TDM in KVN or XML (chosen by the first non-blank character). */
export function parseTdm(text: string, options: TdmReadOptions = {}): ParseResult<Tdm> {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<')
    ? parseTdmXml(text, options)
    : parseTdmKvn(text, options);
}
