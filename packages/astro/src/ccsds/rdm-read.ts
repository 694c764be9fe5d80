/**
 * RDM reader, KVN (CCSDS 508.1-B-1 §3) and XML (§4), driven by the key table of rdm.ts. Strict:
 * every problem is an issue with file, line, column, key, what was expected and what was found, and
 * any issue fails the parse (a reentry message is one record; nothing is dropped silently).
 *
 * Checks: known keywords only (USER_DEFINED_x allowed), each once; CCSDS_RDM_VERS first (KVN); the
 * unit, when written, is the table's; numbers, integers and epochs well formed; the mandatory
 * keywords present; CONTROLLED_REENTRY in YES/NO/UNKNOWN; longitudes in −180…180° and latitudes
 * in −90…90°; probabilities in 0…1; the state vector all or nothing; a covariance only with a state
 * vector; impact data only with IMPACT_REF_FRAME, NOMINAL_IMPACT_LON and NOMINAL_IMPACT_LAT.
 */
import { parseUtcString } from '../elements/utc-calendar.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import { pushIssue as issue } from '../line-issue.js';
import { type KvnEntry, parseKvn, parseKvnNumber } from './kvn.js';
import {
  RDM_BLOCKS,
  RDM_KEYS,
  RDM_MANDATORY_KEYS,
  type Rdm,
  type RdmBlock,
  type RdmBlockName,
  type RdmKeyDef,
  rdmKeyDef,
} from './rdm.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

/** Options of the RDM readers. */
export interface RdmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

interface Builder {
  readonly comments: Map<RdmBlockName, string[]>;
  readonly values: Map<RdmBlockName, Record<string, string | number>>;
  readonly lines: Map<string, number>;
  readonly issues: ParseIssue[];
  readonly file: string | undefined;
}

function newBuilder(file: string | undefined): Builder {
  return { comments: new Map(), values: new Map(), lines: new Map(), issues: [], file };
}

function addComment(b: Builder, block: RdmBlockName, text: string): void {
  const list = b.comments.get(block) ?? [];
  list.push(text);
  b.comments.set(block, list);
}

function addValue(
  b: Builder,
  def: RdmKeyDef,
  raw: string,
  unit: string | undefined,
  line: number,
  column: number,
): void {
  const key = def.key;
  if (b.lines.has(key)) {
    issue(
      b,
      line,
      column,
      'RDM_DUPLICATE_KEY',
      `${key} appears twice`,
      key,
      'each keyword once',
      `first at line ${b.lines.get(key)}`,
    );
    return;
  }
  b.lines.set(key, line);
  if (unit !== undefined && unit !== def.unit) {
    issue(
      b,
      line,
      column,
      'RDM_BAD_UNIT',
      `${key} has the wrong unit`,
      key,
      def.unit === undefined ? 'no unit' : `[${def.unit}]`,
      `[${unit}]`,
    );
    return;
  }
  let value: string | number = raw;
  if (def.kind === 'number' || def.kind === 'integer') {
    const x = parseKvnNumber(raw);
    if (!Number.isFinite(x) || (def.kind === 'integer' && !Number.isInteger(x))) {
      issue(
        b,
        line,
        column,
        'RDM_BAD_NUMBER',
        `${key} is not ${def.kind === 'integer' ? 'an integer' : 'a number'}`,
        key,
        def.kind,
        raw,
      );
      return;
    }
    value = x * (def.factor ?? 1);
  } else if (def.kind === 'epoch') {
    if (parseUtcString(raw) === undefined) {
      issue(
        b,
        line,
        column,
        'RDM_BAD_EPOCH',
        `${key} is not a CCSDS date`,
        key,
        'YYYY-MM-DDThh:mm:ss[.d] or YYYY-DDDThh:mm:ss',
        raw,
      );
      return;
    }
  } else if (raw === '') {
    issue(b, line, column, 'RDM_EMPTY_VALUE', `${key} has no value`, key, 'a value', '');
    return;
  }
  const rec = b.values.get(def.block) ?? {};
  rec[key] = value;
  b.values.set(def.block, rec);
}

function finish(b: Builder, lastLine: number): ParseResult<Rdm> {
  const has = (k: string): boolean => b.lines.has(k);
  const lineOf = (k: string): number => b.lines.get(k) ?? lastLine;
  for (const k of RDM_MANDATORY_KEYS) {
    if (!has(k))
      issue(b, lastLine, 1, 'RDM_MISSING_KEY', `mandatory keyword ${k} is missing`, k, k, 'end of message');
  }
  const ctl = b.values.get('metadata')?.['CONTROLLED_REENTRY'];
  if (ctl !== undefined && !['YES', 'NO', 'UNKNOWN'].includes(String(ctl))) {
    issue(
      b,
      lineOf('CONTROLLED_REENTRY'),
      1,
      'RDM_BAD_VALUE',
      'CONTROLLED_REENTRY must be YES, NO or UNKNOWN',
      'CONTROLLED_REENTRY',
      'YES, NO or UNKNOWN',
      String(ctl),
    );
  }
  for (const d of RDM_KEYS) {
    const v = b.values.get(d.block)?.[d.key];
    if (typeof v !== 'number') continue;
    const deg = (v * 180) / Math.PI;
    if (d.key.endsWith('_LON') && !(deg >= -180 && deg <= 180)) {
      issue(
        b,
        lineOf(d.key),
        1,
        'RDM_OUT_OF_RANGE',
        `${d.key} is outside −180…180°`,
        d.key,
        '-180..180 deg',
        String(deg),
      );
    }
    if (d.key.endsWith('_LAT') && !(deg >= -90 && deg <= 90)) {
      issue(
        b,
        lineOf(d.key),
        1,
        'RDM_OUT_OF_RANGE',
        `${d.key} is outside −90…90°`,
        d.key,
        '-90..90 deg',
        String(deg),
      );
    }
    if (d.key.startsWith('PROBABILITY_') && !(v >= 0 && v <= 1)) {
      issue(
        b,
        lineOf(d.key),
        1,
        'RDM_OUT_OF_RANGE',
        `${d.key} is not a probability`,
        d.key,
        '0..1',
        String(v),
      );
    }
  }
  const sv = RDM_KEYS.filter((d) => d.block === 'stateVector').map((d) => d.key);
  const svCount = sv.filter(has).length;
  if (svCount > 0 && svCount < sv.length) {
    const missing = sv.filter((k) => !has(k));
    issue(
      b,
      lineOf(sv.find(has)!),
      1,
      'RDM_INCOMPLETE_BLOCK',
      'the state vector must be complete',
      missing[0],
      sv.join(', '),
      `missing ${missing.join(', ')}`,
    );
  }
  if (b.values.has('covarianceMatrix') && svCount === 0) {
    const first = Object.keys(b.values.get('covarianceMatrix')!)[0]!;
    issue(
      b,
      lineOf(first),
      1,
      'RDM_INCOMPLETE_BLOCK',
      'a covariance needs the state vector',
      first,
      'EPOCH, X … Z_DOT',
      'no state vector',
    );
  }
  const gi = b.values.get('groundImpactParameters');
  if (
    gi !== undefined &&
    Object.keys(gi).some((k) => k.startsWith('NOMINAL_IMPACT_') || k.startsWith('IMPACT_'))
  ) {
    for (const k of ['IMPACT_REF_FRAME', 'NOMINAL_IMPACT_LON', 'NOMINAL_IMPACT_LAT']) {
      if (!has(k)) issue(b, lastLine, 1, 'RDM_MISSING_KEY', `impact data need ${k}`, k, k, 'absent');
    }
  }
  if (b.issues.length > 0) return { ok: false, issues: b.issues };
  const blocks: Partial<Record<RdmBlockName, RdmBlock>> = {};
  for (const name of RDM_BLOCKS) {
    const values = b.values.get(name);
    const comments = b.comments.get(name);
    if (values === undefined && comments === undefined) continue;
    blocks[name] = { comments: comments ?? [], values: values ?? {} };
  }
  return { ok: true, value: { blocks }, warnings: [] };
}

/** Reads an RDM in KVN. */
export function parseRdmKvn(text: string, options: RdmReadOptions = {}): ParseResult<Rdm> {
  const kvn = parseKvn(text, options.file === undefined ? {} : { file: options.file });
  if (!kvn.ok) return kvn;
  const b = newBuilder(options.file);
  const entries: readonly KvnEntry[] = kvn.value;
  let pending: string[] = [];
  let current: RdmBlockName = 'header';
  let lastLine = 1;
  let first = true;
  for (const e of entries) {
    lastLine = e.line;
    if (e.kind === 'comment') {
      pending.push(e.text);
      continue;
    }
    if (e.kind !== 'pair') {
      issue(
        b,
        e.line,
        1,
        'RDM_SYNTAX',
        'an RDM holds KEY = value lines and COMMENT lines only',
        undefined,
        'KEY = value',
        e.kind === 'raw' ? e.text : e.key,
      );
      continue;
    }
    if (first && e.key !== 'CCSDS_RDM_VERS') {
      issue(
        b,
        e.line,
        1,
        'RDM_MISSING_KEY',
        'an RDM starts with CCSDS_RDM_VERS',
        'CCSDS_RDM_VERS',
        'CCSDS_RDM_VERS',
        e.key,
      );
    }
    first = false;
    const def = rdmKeyDef(e.key);
    if (def === undefined) {
      issue(
        b,
        e.line,
        1,
        'RDM_UNKNOWN_KEY',
        `${e.key} is not an RDM keyword`,
        e.key,
        'a keyword of CCSDS 508.1-B-1',
        e.key,
      );
      continue;
    }
    // Comments before the version line's successor belong to the header; elsewhere to the block of the next key.
    const target =
      pending.length > 0 && current === 'header' && def.block === 'header' ? 'header' : def.block;
    for (const c of pending) addComment(b, target, c);
    pending = [];
    current = def.block;
    addValue(b, def, e.value, e.unit, e.line, e.column);
  }
  for (const c of pending) addComment(b, current, c);
  return finish(b, lastLine);
}

function readXmlBlock(b: Builder, el: XmlElement, block: RdmBlockName): void {
  for (const c of xmlChildElements(el)) {
    const name = xmlLocalName(c.name);
    if (name === 'COMMENT') {
      addComment(b, block, xmlText(c).trim());
      continue;
    }
    const key = name === 'USER_DEFINED' ? `USER_DEFINED_${c.attributes['parameter'] ?? ''}` : name;
    const def = rdmKeyDef(key);
    if (def === undefined || def.block !== block) {
      issue(
        b,
        c.line,
        c.column,
        'RDM_UNKNOWN_KEY',
        `${key} is not an RDM keyword of <${block}>`,
        key,
        `a keyword of <${block}>`,
        key,
      );
      continue;
    }
    addValue(b, def, xmlText(c).trim(), c.attributes['units'], c.line, c.column);
  }
}

/** Reads an RDM in XML (`<rdm>` with `<header>` and one `<segment>`). */
export function parseRdmXml(text: string, options: RdmReadOptions = {}): ParseResult<Rdm> {
  const doc = parseXml(text, options.file === undefined ? {} : { file: options.file });
  if (!doc.ok) return doc;
  const b = newBuilder(options.file);
  const root = doc.value.root;
  if (xmlLocalName(root.name) !== 'rdm') {
    issue(
      b,
      root.line,
      root.column,
      'RDM_SYNTAX',
      'the root element must be <rdm>',
      undefined,
      '<rdm>',
      `<${root.name}>`,
    );
    return { ok: false, issues: b.issues };
  }
  const version = root.attributes['version'];
  if (version === undefined) {
    issue(
      b,
      root.line,
      root.column,
      'RDM_MISSING_KEY',
      '<rdm> needs a version attribute',
      'CCSDS_RDM_VERS',
      'version="1.0"',
      'none',
    );
  } else {
    addValue(b, rdmKeyDef('CCSDS_RDM_VERS')!, version, undefined, root.line, root.column);
  }
  let last = root.line;
  for (const h of xmlChildElements(root, 'header')) readXmlBlock(b, h, 'header');
  for (const body of xmlChildElements(root, 'body')) {
    for (const seg of xmlChildElements(body, 'segment')) {
      for (const m of xmlChildElements(seg, 'metadata')) readXmlBlock(b, m, 'metadata');
      for (const d of xmlChildElements(seg, 'data')) {
        // A COMMENT directly in <data> (as in the standard's Fig. C-2 in XML) opens the next block.
        let pending: string[] = [];
        for (const blk of xmlChildElements(d)) {
          const name = xmlLocalName(blk.name);
          last = Math.max(last, blk.line);
          if (name === 'COMMENT') {
            pending.push(xmlText(blk).trim());
            continue;
          }
          if (!(RDM_BLOCKS as readonly string[]).includes(name) || name === 'header' || name === 'metadata') {
            issue(
              b,
              blk.line,
              blk.column,
              'RDM_UNKNOWN_BLOCK',
              `<${name}> is not an RDM data block`,
              name,
              RDM_BLOCKS.slice(2).join(', '),
              name,
            );
            continue;
          }
          for (const c of pending) addComment(b, name as RdmBlockName, c);
          pending = [];
          readXmlBlock(b, blk, name as RdmBlockName);
        }
      }
    }
  }
  return finish(b, last);
}

/** Reads an RDM in KVN or XML (chosen by the first non-blank character). */
export function parseRdm(text: string, options: RdmReadOptions = {}): ParseResult<Rdm> {
  return text
    .trimStart()
    .replace(/^\uFEFF/, '')
    .startsWith('<')
    ? parseRdmXml(text, options)
    : parseRdmKvn(text, options);
}
