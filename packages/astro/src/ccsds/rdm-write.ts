/**
 * RDM writers, KVN (CCSDS 508.1-B-1 §3) and XML (§4, `<rdm id="CCSDS_RDM_VERS" version="1.0">`),
 * driven by the key table of rdm.ts: blocks and keywords in the standard's order, numbers converted
 * back to the file's unit and written with it (KVN brackets, XML `units`). Numbers are written in the
 * shortest text that reads back to the same model value, so read → write → read is lossless.
 */
import { AstroError } from '../errors.js';
import { parseKvnNumber } from './kvn.js';
import {
  RDM_BLOCKS,
  RDM_KEYS,
  type Rdm,
  type RdmBlock,
  type RdmBlockName,
  type RdmKeyDef,
  rdmKeyDef,
} from './rdm.js';

/** The shortest text of a model number that reads back exactly (file unit). */
export function rdmNumberText(def: RdmKeyDef, v: number): string {
  if (!Number.isFinite(v)) {
    throw new AstroError('RDM_NOT_FINITE', `${def.key} is not a finite number`, { key: def.key, found: v });
  }
  if (def.kind === 'integer') return String(v);
  const f = def.factor ?? 1;
  const x = v / f;
  let best: string | undefined;
  for (let p = 1; p <= 17; p++) {
    const s = String(Number(x.toPrecision(p)));
    if (parseKvnNumber(s) * f === v || (f === 1 && parseKvnNumber(s) === v)) {
      best = s;
      break;
    }
  }
  return best ?? String(x);
}

function ordered(block: RdmBlockName, b: RdmBlock): [RdmKeyDef, string][] {
  const out: [RdmKeyDef, string][] = [];
  const known = RDM_KEYS.filter((d) => d.block === block);
  const seen = new Set<string>();
  for (const d of known) {
    const v = b.values[d.key];
    if (v === undefined) continue;
    seen.add(d.key);
    out.push([d, typeof v === 'number' ? rdmNumberText(d, v) : v]);
  }
  for (const [k, v] of Object.entries(b.values)) {
    if (seen.has(k)) continue;
    const d = rdmKeyDef(k);
    if (d === undefined || d.block !== block) {
      throw new AstroError('RDM_UNKNOWN_KEY', `${k} is not an RDM keyword of block ${block}`, { key: k });
    }
    out.push([d, typeof v === 'number' ? rdmNumberText(d, v) : v]);
  }
  return out;
}

/** Writes an RDM as KVN: header, metadata and data blocks separated by blank lines. */
export function formatRdmKvn(rdm: Rdm): string {
  const out: string[] = [];
  for (const name of RDM_BLOCKS) {
    const b = rdm.blocks[name];
    if (b === undefined) continue;
    if (out.length > 0) out.push('');
    const items = ordered(name, b);
    // The version line comes first; header comments follow it.
    if (name === 'header') {
      const v = items.find(([d]) => d.key === 'CCSDS_RDM_VERS');
      if (v !== undefined) out.push(`CCSDS_RDM_VERS = ${v[1]}`);
    }
    for (const c of b.comments) out.push(`COMMENT ${c}`);
    for (const [d, text] of items) {
      if (d.key === 'CCSDS_RDM_VERS') continue;
      out.push(`${d.key} = ${text}${d.unit !== undefined ? ` [${d.unit}]` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlBlockLines(out: string[], indent: string, b: RdmBlock, name: RdmBlockName): void {
  for (const c of b.comments) out.push(`${indent}<COMMENT>${xmlEscape(c)}</COMMENT>`);
  for (const [d, text] of ordered(name, b)) {
    if (d.key === 'CCSDS_RDM_VERS') continue;
    if (d.block === 'userDefinedParameters') {
      const p = d.key.slice('USER_DEFINED_'.length);
      out.push(`${indent}<USER_DEFINED parameter="${xmlEscape(p)}">${xmlEscape(text)}</USER_DEFINED>`);
      continue;
    }
    const u = d.unit !== undefined ? ` units="${xmlEscape(d.unit)}"` : '';
    out.push(`${indent}<${d.key}${u}>${xmlEscape(text)}</${d.key}>`);
  }
}

/** Writes an RDM as XML (one `<segment>` with `<metadata>` and `<data>`). */
export function formatRdmXml(rdm: Rdm): string {
  const version = rdm.blocks.header?.values['CCSDS_RDM_VERS'];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<rdm id="CCSDS_RDM_VERS" version="${xmlEscape(String(version ?? '1.0'))}">`);
  const header = rdm.blocks.header;
  out.push('  <header>');
  if (header !== undefined) xmlBlockLines(out, '    ', header, 'header');
  out.push('  </header>', '  <body>', '    <segment>', '      <metadata>');
  const meta = rdm.blocks.metadata;
  if (meta !== undefined) xmlBlockLines(out, '        ', meta, 'metadata');
  out.push('      </metadata>', '      <data>');
  for (const name of RDM_BLOCKS) {
    if (name === 'header' || name === 'metadata') continue;
    const b = rdm.blocks[name];
    if (b === undefined) continue;
    out.push(`        <${name}>`);
    xmlBlockLines(out, '          ', b, name);
    out.push(`        </${name}>`);
  }
  out.push('      </data>', '    </segment>', '  </body>', '</rdm>');
  return `${out.join('\n')}\n`;
}
