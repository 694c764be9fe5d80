/**
 * Lexical reader for CCSDS Keyword = Value Notation (KVN), shared by every NDM message reader
 * (OMM, OEM, OPM, CDM, RDM...). Follows CCSDS 502.0-B-2 §7.4 (ODM KVN lines) and 508.0-B-1 §6 (CDM):
 * - `KEY = value [unit]`: keywords are upper-case letters, digits and '_', the value runs to the end
 *   of the line, a trailing `[unit]` is split off (units are informative; readers use their own table);
 * - `COMMENT free text`;
 * - block markers alone on a line: `META_START`, `META_STOP`, `DATA_START`, `COVARIANCE_START`...;
 * - anything else that is not blank is a raw data line (OEM ephemeris rows, covariance rows).
 * The reader keeps 1-based line numbers and value columns; it does not know which keys a message
 * allows: the message readers decide that.
 */
import type { ParseIssue, ParseResult } from '../errors.js';

export interface KvnPair {
  readonly kind: 'pair';
  readonly key: string;
  /** Trimmed value without the unit; may be empty ("OBJECT_ID ="). */
  readonly value: string;
  /** Text inside a trailing `[...]`, when present. */
  readonly unit?: string;
  readonly line: number;
  /** 1-based column of the first character of the value (or where it would start). */
  readonly column: number;
}

export interface KvnComment {
  readonly kind: 'comment';
  readonly text: string;
  readonly line: number;
}

export interface KvnMarker {
  readonly kind: 'marker';
  /** For example `META_START`. */
  readonly key: string;
  readonly line: number;
}

export interface KvnRaw {
  readonly kind: 'raw';
  /** The trimmed line. */
  readonly text: string;
  readonly line: number;
}

export type KvnEntry = KvnPair | KvnComment | KvnMarker | KvnRaw;

export interface KvnReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

function isKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * Splits KVN text into entries. Fails (`KVN_SYNTAX`) on a line with '=' whose keyword is not made
 * of upper-case letters, digits and '_', or with an unclosed `[unit`. A leading byte-order mark is
 * skipped; CRLF and LF are both accepted.
 */
export function parseKvn(text: string, options: KvnReadOptions = {}): ParseResult<KvnEntry[]> {
  const entries: KvnEntry[] = [];
  const issues: ParseIssue[] = [];
  const at = (line: number, column: number) =>
    options.file === undefined ? { line, column } : { file: options.file, line, column };
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = len;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    let i = 0;
    let j = raw.length;
    while (i < j && isBlank(raw.charCodeAt(i))) i++;
    while (j > i && isBlank(raw.charCodeAt(j - 1))) j--;
    if (i < j) {
      const entry = readLine(raw, i, j, lineNo);
      if ('code' in entry) issues.push({ ...at(lineNo, entry.column), ...entry.issue });
      else entries.push(entry);
    }
    if (end === len) break;
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: entries, warnings: [] };
}

type LineFailure = {
  readonly code: string;
  readonly column: number;
  readonly issue: Omit<ParseIssue, 'line' | 'column' | 'file'>;
};

function readLine(raw: string, i: number, j: number, line: number): KvnEntry | LineFailure {
  let k = i;
  while (k < j && isKeyChar(raw.charCodeAt(k))) k++;
  if (k - i === 7 && raw.startsWith('COMMENT', i) && (k === j || isBlank(raw.charCodeAt(k)))) {
    return { kind: 'comment', text: raw.slice(k, j).trim(), line };
  }
  const eq = raw.indexOf('=', i);
  if (eq >= 0 && eq < j) {
    let keyEnd = eq;
    while (keyEnd > i && isBlank(raw.charCodeAt(keyEnd - 1))) keyEnd--;
    if (keyEnd === i || k !== keyEnd) {
      return failure(
        k === keyEnd ? i + 1 : k + 1,
        'KVN_SYNTAX',
        'keyword before "=" must be upper-case letters, digits and "_"',
        'KEYWORD = value',
        raw.slice(i, j),
      );
    }
    const key = raw.slice(i, keyEnd);
    let v = eq + 1;
    while (v < j && isBlank(raw.charCodeAt(v))) v++;
    let valueEnd = j;
    let unit: string | undefined;
    const open = raw.lastIndexOf('[', j - 1);
    if (open >= v) {
      if (raw.charCodeAt(j - 1) !== 93 /* ] */) {
        return failure(
          open + 1,
          'KVN_SYNTAX',
          'unit is not closed by "]" at the end of the line',
          '[unit]',
          raw.slice(open, j),
        );
      }
      unit = raw.slice(open + 1, j - 1).trim();
      valueEnd = open;
      while (valueEnd > v && isBlank(raw.charCodeAt(valueEnd - 1))) valueEnd--;
    }
    const value = raw.slice(v, valueEnd);
    return unit === undefined
      ? { kind: 'pair', key, value, line, column: v + 1 }
      : { kind: 'pair', key, value, unit, line, column: v + 1 };
  }
  if (k === j && k > i) {
    const key = raw.slice(i, j);
    if (key.endsWith('_START') || key.endsWith('_STOP')) return { kind: 'marker', key, line };
  }
  return { kind: 'raw', text: raw.slice(i, j), line };
}

function failure(
  column: number,
  code: string,
  message: string,
  expected: string,
  found: string,
): LineFailure {
  return { code, column, issue: { code, message, expected, found } };
}

/** Parses a KVN numeric value the way CCSDS writes them ("1.5", "-.47102E-5", "+3", "1e3"); NaN otherwise. */
export function parseKvnNumber(value: string): number {
  const s = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/.test(s)) return Number.NaN;
  return Number.parseFloat(s.replace(/[dD]/, 'e'));
}
