/**
 * CDM writers, KVN (CCSDS 508.0-B-1 §6) and XML (505.0-B-2 `<cdm>`), driven by the key table of
 * cdm-keys.ts: blocks and keywords in the standard's order, units converted back to the file's
 * (m, m/s, m², d, deg...) and written in brackets (KVN) or `units` attributes (XML).
 *
 * Numbers are written in the shortest decimal text that reads back to the same model value: the
 * m → km division and its inverse can each round, so the writer tries the plain inverse and its
 * neighbours and keeps the shortest text that survives `parse → convert` exactly. Reading what
 * these writers wrote gives back an equal model (read → write → read is lossless).
 * Comments are written at the start of their block (KVN: before its first keyword).
 */
import { AstroError } from '../errors.js';
import {
  CDM_ADDITIONAL_KEYS,
  CDM_COVARIANCE_METADATA_KEYS,
  CDM_HEADER_KEYS,
  CDM_METADATA_KEYS,
  CDM_OD_KEYS,
  CDM_RELATIVE_KEYS,
  CDM_RELATIVE_STATE_KEYS,
  CDM_RTN_COVARIANCE_KEYS,
  CDM_SIGMA_EIGENVECTOR_KEYS,
  CDM_STATE_KEYS,
  CDM_XYZ_COVARIANCE_KEYS,
  type CdmKeyDef,
  cdmToFile,
  cdmToModel,
} from './cdm-keys.js';
import type { Cdm, CdmCovariance, CdmEpoch, CdmObject, CdmUserDefined } from './cdm-model.js';
import { parseKvnNumber } from './kvn.js';

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** The next double towards +∞ (dir 1) or −∞ (dir −1). */
function nextDouble(x: number, dir: 1 | -1): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return dir * Number.MIN_VALUE;
  F64[0] = x;
  I64[0] = (I64[0] as bigint) + (x > 0 === dir > 0 ? 1n : -1n);
  return F64[0] as number;
}

/**
 * Shortest text of a double: `d.dddE±XX` for covariance terms (as CCSDS examples write them) and
 * outside 1e-4 ≤ |x| < 1e7, plain decimals otherwise.
 */
function numberText(x: number, exponent: boolean): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const a = Math.abs(x);
  if (!exponent && a >= 1e-4 && a < 1e7) return String(x);
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  return `${mant}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** File text of a model number: the shortest text that reads back to exactly `v`. */
export function cdmNumberText(def: CdmKeyDef, v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) {
    throw new AstroError('CDM_NOT_FINITE', `${def.key} is not a finite number`, { key: def.key, found: v });
  }
  const x = cdmToFile(def, v);
  const candidates = [
    x,
    Number(x.toPrecision(15)),
    Number(x.toPrecision(16)),
    nextDouble(x, 1),
    nextDouble(x, -1),
    nextDouble(nextDouble(x, 1), 1),
    nextDouble(nextDouble(x, -1), -1),
  ];
  const exponent = def.row !== undefined;
  let best: string | undefined;
  for (const c of candidates) {
    const s = numberText(c, exponent);
    if (Object.is(cdmToModel(def, parseKvnNumber(s)), v) && (best === undefined || s.length < best.length))
      best = s;
  }
  return best ?? numberText(x, exponent);
}

type Value = string | number | CdmEpoch | readonly number[];

function valueText(def: CdmKeyDef, v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number')
    return def.kind === 'integer' && !Number.isNaN(v) ? String(v) : cdmNumberText(def, v);
  if (Array.isArray(v))
    return v.map((x: number) => (def.kind === 'integers' ? String(x) : cdmNumberText(def, x))).join(' ');
  return (v as CdmEpoch).text;
}

/** One block to write: its comments and (keyword definition, value) pairs in table order. */
interface OutBlock {
  readonly comments: readonly string[];
  readonly items: readonly (readonly [CdmKeyDef, Value])[];
  /** USER_DEFINED parameters. */
  readonly user?: readonly (readonly [string, string])[];
}

function fieldsBlock(defs: readonly CdmKeyDef[], block: object & { comments: readonly string[] }): OutBlock {
  const rec = block as unknown as Record<string, Value | undefined>;
  const items: [CdmKeyDef, Value][] = [];
  for (const def of defs) {
    const v = rec[def.field];
    if (v !== undefined) items.push([def, v]);
  }
  return { comments: block.comments, items };
}

function covarianceBlock(defs: readonly CdmKeyDef[], cov: CdmCovariance): OutBlock {
  const n = cov.lowerTriangle.length;
  if (n !== 21 && n !== 28 && n !== 36 && n !== 45) {
    throw new AstroError('CDM_COVARIANCE_SIZE', `a CDM covariance has 21, 28, 36 or 45 terms, not ${n}`, {
      expected: '21, 28, 36 or 45',
      found: n,
    });
  }
  return {
    comments: cov.comments,
    items: cov.lowerTriangle.map((v, i) => [defs[i] as CdmKeyDef, v] as const),
  };
}

function userBlock(u: CdmUserDefined): OutBlock {
  return { comments: u.comments, items: [], user: Object.entries(u.parameters) };
}

interface ObjectBlocks {
  readonly metadata: OutBlock;
  /** XML element name and block, in file order. */
  readonly data: readonly (readonly [string, OutBlock])[];
}

function objectBlocks(o: CdmObject): ObjectBlocks {
  const data: [string, OutBlock][] = [];
  if (o.odParameters !== undefined) data.push(['odParameters', fieldsBlock(CDM_OD_KEYS, o.odParameters)]);
  if (o.additionalParameters !== undefined)
    data.push(['additionalParameters', fieldsBlock(CDM_ADDITIONAL_KEYS, o.additionalParameters)]);
  data.push(['stateVector', fieldsBlock(CDM_STATE_KEYS, o.stateVector)]);
  data.push(['covarianceMatrix', covarianceBlock(CDM_RTN_COVARIANCE_KEYS, o.covarianceRtn)]);
  if (o.covarianceXyz !== undefined)
    data.push(['covarianceMatrix', covarianceBlock(CDM_XYZ_COVARIANCE_KEYS, o.covarianceXyz)]);
  if (o.sigmaEigenvectors !== undefined)
    data.push(['covarianceMatrix', fieldsBlock(CDM_SIGMA_EIGENVECTOR_KEYS, o.sigmaEigenvectors)]);
  if (o.additionalCovarianceMetadata !== undefined)
    data.push([
      'covarianceMatrix',
      fieldsBlock(CDM_COVARIANCE_METADATA_KEYS, o.additionalCovarianceMetadata),
    ]);
  if (o.userDefined !== undefined) data.push(['userDefinedParameters', userBlock(o.userDefined)]);
  return { metadata: fieldsBlock(CDM_METADATA_KEYS, o.metadata), data };
}

// ---------------------------------------------------------------------------------------------
// KVN
// ---------------------------------------------------------------------------------------------

const KEY_WIDTH = 33;

function kvnLine(key: string, value: string, unit?: string): string {
  return `${key.padEnd(KEY_WIDTH)} = ${value}${unit === undefined ? '' : ` [${unit}]`}`;
}

function kvnComment(text: string): string {
  return text === '' ? 'COMMENT' : `COMMENT ${text}`;
}

function kvnBlock(out: string[], b: OutBlock): void {
  for (const c of b.comments) out.push(kvnComment(c));
  for (const [def, v] of b.items) {
    const text = valueText(def, v);
    out.push(kvnLine(def.key, text, def.unit !== undefined && def.kind !== 'text' ? def.unit : undefined));
  }
  for (const [n, v] of b.user ?? []) out.push(kvnLine(`USER_DEFINED_${n}`, v));
}

/**
 * Writes a CDM in KVN. The header's comments follow CCSDS_CDM_VERS; every other block's comments
 * precede its first keyword. Lines end with LF.
 */
export function formatCdmKvn(cdm: Cdm): string {
  const out: string[] = [];
  const h = fieldsBlock(CDM_HEADER_KEYS, cdm.header);
  const [first, ...rest] = h.items;
  if (first !== undefined) out.push(kvnLine(first[0].key, valueText(first[0], first[1])));
  kvnBlock(out, { comments: h.comments, items: rest });
  out.push('');
  kvnBlock(out, fieldsBlock(CDM_RELATIVE_KEYS, cdm.relativeMetadata));
  if (cdm.userDefined !== undefined) kvnBlock(out, userBlock(cdm.userDefined));
  for (const o of cdm.objects) {
    const ob = objectBlocks(o);
    out.push('');
    kvnBlock(out, ob.metadata);
    for (const [, b] of ob.data) kvnBlock(out, b);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlLeaf(out: string[], indent: string, name: string, value: string, attrs = ''): void {
  out.push(`${indent}<${name}${attrs}>${xmlEscape(value)}</${name}>`);
}

function xmlItems(out: string[], indent: string, b: OutBlock, relative = false): void {
  for (const c of b.comments) xmlLeaf(out, indent, 'COMMENT', c);
  let inState = false;
  for (const [def, v] of b.items) {
    const isState = relative && CDM_RELATIVE_STATE_KEYS.has(def.key);
    if (isState && !inState) out.push(`${indent}<relativeStateVector>`);
    if (!isState && inState) out.push(`${indent}</relativeStateVector>`);
    inState = isState;
    const unit = def.unit !== undefined && def.kind !== 'text' ? ` units="${xmlEscape(def.unit)}"` : '';
    xmlLeaf(out, isState ? `${indent}  ` : indent, def.key, valueText(def, v), unit);
  }
  if (inState) out.push(`${indent}</relativeStateVector>`);
  for (const [n, v] of b.user ?? []) xmlLeaf(out, indent, 'USER_DEFINED', v, ` parameter="${xmlEscape(n)}"`);
}

function xmlBlock(out: string[], indent: string, name: string, b: OutBlock): void {
  out.push(`${indent}<${name}>`);
  xmlItems(out, `${indent}  `, b);
  out.push(`${indent}</${name}>`);
}

/**
 * Writes a CDM in XML (505.0-B-2 `<cdm id="CCSDS_CDM_VERS" version="...">`), with the relative
 * state in `<relativeStateVector>`, one `<segment>` per object and each covariance form in its own
 * `<covarianceMatrix>`. Message-level user-defined parameters go in a `<userDefinedParameters>` at
 * the end of `<relativeMetadataData>`.
 */
export function formatCdmXml(cdm: Cdm): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<cdm id="CCSDS_CDM_VERS" version="${xmlEscape(cdm.header.version)}">`);
  const h = fieldsBlock(CDM_HEADER_KEYS, cdm.header);
  xmlBlock(out, '  ', 'header', {
    comments: h.comments,
    items: h.items.filter(([d]) => d.key !== 'CCSDS_CDM_VERS'),
  });
  out.push('  <body>', '    <relativeMetadataData>');
  xmlItems(out, '      ', fieldsBlock(CDM_RELATIVE_KEYS, cdm.relativeMetadata), true);
  if (cdm.userDefined !== undefined)
    xmlBlock(out, '      ', 'userDefinedParameters', userBlock(cdm.userDefined));
  out.push('    </relativeMetadataData>');
  for (const o of cdm.objects) {
    const ob = objectBlocks(o);
    out.push('    <segment>');
    xmlBlock(out, '      ', 'metadata', ob.metadata);
    out.push('      <data>');
    for (const [name, b] of ob.data) xmlBlock(out, '        ', name, b);
    out.push('      </data>', '    </segment>');
  }
  out.push('  </body>', '</cdm>');
  return `${out.join('\n')}\n`;
}
