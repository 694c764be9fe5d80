/**
 * TDM writers, KVN (CCSDS 503.0-B-2 §3–4) and XML (505.0-B-2, `<tdm id="CCSDS_TDM_VERS"
 * version="2.0">`), driven by the key table of tdm.ts: metadata keywords in the standard's order,
 * numbers in the shortest text that reads back to the same double, data values as the text they
 * were read from (so phase counts keep every digit), epochs as written. read → write → read gives
 * the same model in both directions.
 */
import { AstroError } from '../errors.js';
import {
  TDM_METADATA_KEYS,
  type Tdm,
  type TdmMetadata,
  type TdmSegment,
  tdmDataKeyDef,
  tdmMetadataKeyDef,
} from './tdm.js';

function metadataText(m: TdmMetadata): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(m.values)) {
    if (tdmMetadataKeyDef(k) === undefined) {
      throw new AstroError('TDM_UNKNOWN_KEY', `${k} is not a TDM metadata keyword`, { key: k });
    }
  }
  for (const d of TDM_METADATA_KEYS) {
    const v = m.values[d.key];
    if (v === undefined) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new AstroError('TDM_NOT_FINITE', `${d.key} is not a finite number`, { key: d.key, found: v });
    }
    out.push([d.key, Array.isArray(v) ? v.join(',') : String(v)]);
  }
  return out;
}

function checkObservations(s: TdmSegment): void {
  for (const o of s.observations) {
    if (tdmDataKeyDef(o.keyword) === undefined) {
      throw new AstroError('TDM_UNKNOWN_KEY', `${o.keyword} is not a TDM data keyword`, { key: o.keyword });
    }
    if (!Number.isFinite(o.value)) {
      throw new AstroError('TDM_NOT_FINITE', `a ${o.keyword} value is not finite`, {
        key: o.keyword,
        epoch: o.epoch,
      });
    }
  }
}

/** Writes a TDM as KVN. */
export function formatTdmKvn(tdm: Tdm): string {
  const lines: string[] = [];
  const pad = (k: string): string => k.padEnd(22);
  const h = tdm.header;
  lines.push(`${pad('CCSDS_TDM_VERS')} = ${h.version}`);
  for (const c of h.comments) lines.push(`COMMENT ${c}`.trimEnd());
  lines.push(`${pad('CREATION_DATE')} = ${h.creationDate}`);
  lines.push(`${pad('ORIGINATOR')} = ${h.originator}`);
  if (h.messageId !== undefined) lines.push(`${pad('MESSAGE_ID')} = ${h.messageId}`);
  for (const s of tdm.segments) {
    checkObservations(s);
    lines.push('', 'META_START');
    for (const c of s.metadata.comments) lines.push(`COMMENT ${c}`.trimEnd());
    for (const [k, v] of metadataText(s.metadata)) lines.push(`${pad(k)} = ${v}`);
    lines.push('META_STOP', '', 'DATA_START');
    for (const c of s.dataComments) lines.push(`COMMENT ${c}`.trimEnd());
    for (const o of s.observations) lines.push(`${pad(o.keyword)} = ${o.epoch} ${o.text}`);
    lines.push('DATA_STOP');
  }
  return `${lines.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes a TDM as NDM/XML. */
export function formatTdmXml(tdm: Tdm): string {
  const h = tdm.header;
  const el = (indent: string, k: string, v: string): string => `${indent}<${k}>${esc(v)}</${k}>`;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<tdm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="CCSDS_TDM_VERS" version="${esc(h.version)}">`,
    '  <header>',
  ];
  for (const c of h.comments) lines.push(el('    ', 'COMMENT', c));
  lines.push(el('    ', 'CREATION_DATE', h.creationDate), el('    ', 'ORIGINATOR', h.originator));
  if (h.messageId !== undefined) lines.push(el('    ', 'MESSAGE_ID', h.messageId));
  lines.push('  </header>', '  <body>');
  for (const s of tdm.segments) {
    checkObservations(s);
    lines.push('    <segment>', '      <metadata>');
    for (const c of s.metadata.comments) lines.push(el('        ', 'COMMENT', c));
    for (const [k, v] of metadataText(s.metadata)) lines.push(el('        ', k, v));
    lines.push('      </metadata>', '      <data>');
    for (const c of s.dataComments) lines.push(el('        ', 'COMMENT', c));
    for (const o of s.observations) {
      lines.push(
        '        <observation>',
        el('          ', 'EPOCH', o.epoch),
        el('          ', o.keyword, o.text),
        '        </observation>',
      );
    }
    lines.push('      </data>', '    </segment>');
  }
  lines.push('  </body>', '</tdm>');
  return `${lines.join('\n')}\n`;
}
