/**
 * One entry point for every element-set file the CLI and server accept: TLE, 3LE, CCSDS OMM in KVN
 * or XML, CelesTrak/Space-Track GP JSON and CSV. `detectElementFormat` sniffs the content (never the
 * file name); `parseElements` dispatches to the matching reader and returns the SGP4 element sets.
 * It lives in `ccsds/` because it depends on the OMM readers (elements → ccsds is the allowed direction).
 */
import type { ElementFile, ElementFormat } from '../elements/element-record.js';
import { parseTleText, type TleChecksumMode } from '../elements/tle.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import {
  type OmmFile,
  ommFileToElements,
  parseOmmCsv,
  parseOmmJson,
  parseOmmKvn,
  parseOmmXml,
} from './omm.js';

/** First `count` lines that are neither blank nor `#` comments, trimmed. */
function significantLines(text: string, count: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length && out.length < count) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '' && !line.startsWith('#')) out.push(line);
    start = end + 1;
  }
  return out;
}

/**
 * Tells the format of element-set text from its content: '<' → OMM XML, '[' or '{' → GP JSON,
 * `CCSDS_OMM_VERS`/`COMMENT` first → OMM KVN, a comma-separated header naming EPOCH or NORAD_CAT_ID →
 * GP CSV, lines starting "1 " and "2 " → TLE ('3le' when the first record has a name line).
 * Returns `undefined` when none fits.
 */
export function detectElementFormat(text: string): ElementFormat | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = significantLines(body, 6);
  const first = lines[0];
  if (first === undefined) return undefined;
  if (first.startsWith('<')) return 'omm-xml';
  if (first.startsWith('[') || first.startsWith('{')) return 'omm-json';
  if (/^CCSDS_OMM_VERS\s*=/.test(first) || /^COMMENT(\s|$)/.test(first)) return 'omm-kvn';
  if (first.includes(',') && /(^|,)\s*"?(EPOCH|NORAD_CAT_ID)"?\s*(,|$)/.test(first)) return 'omm-csv';
  const l1 = lines.findIndex((l) => l.startsWith('1 '));
  if (l1 < 0 || !lines.some((l) => l.startsWith('2 '))) return undefined;
  return l1 === 0 ? 'tle' : '3le';
}

export interface ParseElementsOptions {
  /** File name reported in issues. */
  readonly file?: string;
  /** TLE checksum handling (default 'verify'). */
  readonly checksum?: TleChecksumMode;
}

/**
 * Reads any supported element file and returns its SGP4 element sets. Good records are all kept;
 * each rejected record is one issue in `value.rejected`; OMMs that parse but cannot be propagated by
 * SGP4 (other theory, non-UTC time, no mean motion) are reported as warnings. `ok` is false when
 * the format is unknown (`ELEMENTS_UNKNOWN_FORMAT`) or no element set could be produced.
 */
export function parseElements(text: string, options: ParseElementsOptions = {}): ParseResult<ElementFile> {
  const format = detectElementFormat(text);
  if (format === undefined) {
    const issue: ParseIssue = {
      code: 'ELEMENTS_UNKNOWN_FORMAT',
      message: 'not a TLE, 3LE, OMM (KVN/XML) or GP (JSON/CSV) file',
      line: 1,
      expected: 'TLE lines "1 ..."/"2 ...", CCSDS_OMM_VERS, "<", "[" or a GP CSV header',
      found: significantLines(text, 1)[0]?.slice(0, 60) ?? 'empty text',
    };
    return { ok: false, issues: [options.file === undefined ? issue : { ...issue, file: options.file }] };
  }
  if (format === 'tle' || format === '3le') {
    const tleOptions = {
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(options.checksum === undefined ? {} : { checksum: options.checksum }),
    };
    return parseTleText(text, tleOptions);
  }
  const ommOptions = options.file === undefined ? {} : { file: options.file };
  let r: ParseResult<OmmFile>;
  if (format === 'omm-xml') r = parseOmmXml(text, ommOptions);
  else if (format === 'omm-json') r = parseOmmJson(text, ommOptions);
  else if (format === 'omm-csv') r = parseOmmCsv(text, ommOptions);
  else r = parseOmmKvn(text, ommOptions);
  if (!r.ok) return r;
  const file = ommFileToElements(r.value);
  if (file.records.length === 0) {
    return { ok: false, issues: [...file.rejected, ...r.warnings] };
  }
  return { ok: true, value: file, warnings: r.warnings };
}
