/**
 * OMM readers for the CelesTrak / Space-Track GP forms: JSON (an array of objects keyed by the OMM
 * keywords) and CSV (a header row of the same keywords), through the builder of omm-read.ts; and
 * the OMM file → element records step.
 */
import type { ElementFile, ElementRecord } from '../elements/element-record.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import type { OmmFile, OmmReadOptions } from './omm-model.js';
import { finish, type RawMessage } from './omm-read.js';

// ---------------------------------------------------------------------------------------------
// GP JSON and CSV (CelesTrak / Space-Track)
// ---------------------------------------------------------------------------------------------

/** Offsets of the objects at depth 1 of a JSON array (for line numbers; JSON.parse has none). */
function topLevelObjectOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (c === 123 && depth === 1) out.push(i);
      depth++;
    } else if (c === 93 || c === 125) depth--;
  }
  return out;
}

/** 1-based line numbers of increasing character offsets, in one pass over the text. */
function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf('\n', pos); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      pos = i + 1;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Reads CelesTrak/Space-Track GP JSON: an array of objects (or one object) keyed by OMM keywords.
 * Values may be numbers or strings; `null` counts as absent; keys that are not OMM keywords
 * (TLE_LINE1, SEMIMAJOR_AXIS, DECAY_DATE...) are ignored.
 */
export function parseOmmJson(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const issue: ParseIssue = {
      code: 'OMM_SYNTAX',
      message: `not valid JSON: ${(e as Error).message}`,
      line: 1,
      expected: 'a JSON array of GP objects',
      found: text.slice(0, 40),
    };
    return { ok: false, issues: [options.file === undefined ? issue : { ...issue, file: options.file }] };
  }
  const list = Array.isArray(data) ? data : [data];
  const offsets = Array.isArray(data) ? topLevelObjectOffsets(text) : [text.indexOf('{')];
  const lines = linesOf(
    text,
    list.map((_, idx) => offsets[idx] ?? 0),
  );
  const raws: RawMessage[] = list.map((obj, idx) => {
    const line = lines[idx] ?? 1;
    const raw: RawMessage = { line, fields: [], comments: {}, problems: [] };
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      raw.problems.push({
        ...(options.file === undefined ? {} : { file: options.file }),
        line,
        code: 'OMM_STRUCTURE',
        message: `array item ${idx} is not an object`,
        expected: '{ "OBJECT_NAME": ... }',
        found: JSON.stringify(obj).slice(0, 40),
      });
      return raw;
    }
    for (const [key, v] of Object.entries(obj as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (key === 'COMMENT') {
        raw.comments.header = [String(v)];
        continue;
      }
      raw.fields.push({
        key,
        value: typeof v === 'string' ? v : typeof v === 'number' ? numberText(v) : JSON.stringify(v),
        line,
      });
    }
    return raw;
  });
  return finish('omm-json', raws, 'gp', options);
}

/** Shortest text of a JSON number, exponent form kept readable by parseKvnNumber. */
function numberText(v: number): string {
  return String(v);
}

/** Splits one CSV row (RFC 4180 quoting). */
function splitCsvRow(row: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = row.length;
  while (i <= n) {
    if (row.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q < 0) {
          v += row.slice(i);
          i = n;
          break;
        }
        v += row.slice(i, q);
        if (row.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      const comma = row.indexOf(',', i);
      i = comma < 0 ? n + 1 : comma + 1;
    } else {
      const comma = row.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      out.push(row.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Reads CelesTrak GP CSV: a header row of OMM keywords, then one object per row. */
export function parseOmmCsv(text: string, options: OmmReadOptions = {}): ParseResult<OmmFile> {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  let headerIdx = lines.findIndex((l) => l.trim() !== '');
  const where = (line: number) => (options.file === undefined ? { line } : { file: options.file, line });
  if (headerIdx < 0) headerIdx = 0;
  const header = splitCsvRow((lines[headerIdx] ?? '').replace(/\r$/, '')).map((h) => h.trim());
  if (!header.includes('NORAD_CAT_ID') || !header.includes('EPOCH')) {
    return {
      ok: false,
      issues: [
        {
          ...where(headerIdx + 1),
          code: 'OMM_MISSING_KEY',
          message: 'CSV header lacks GP columns',
          key: header.includes('EPOCH') ? 'NORAD_CAT_ID' : 'EPOCH',
          expected: 'a header row with OBJECT_NAME, EPOCH, ..., NORAD_CAT_ID',
          found: (lines[headerIdx] ?? '').slice(0, 60),
        },
      ],
    };
  }
  const raws: RawMessage[] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const rowText = (lines[i] as string).replace(/\r$/, '');
    if (rowText.trim() === '') continue;
    const cells = splitCsvRow(rowText);
    const raw: RawMessage = { line: i + 1, fields: [], comments: {}, problems: [] };
    if (cells.length !== header.length) {
      raw.problems.push({
        ...where(i + 1),
        code: 'OMM_SYNTAX',
        message: 'row has a different number of cells than the header',
        expected: `${header.length} cells`,
        found: `${cells.length} cells`,
      });
    }
    header.forEach((key, c) => {
      const v = cells[c];
      if (v !== undefined && key !== '') raw.fields.push({ key, value: v, line: i + 1, column: c + 1 });
    });
    raws.push(raw);
  }
  return finish('omm-csv', raws, 'gp', options);
}

/** OMM file → element records (propagatable messages only); non-SGP4 messages stay as warnings. */
export function ommFileToElements(file: OmmFile): ElementFile {
  const records: ElementRecord[] = [];
  for (const m of file.messages)
    if (m.elementSet !== undefined) records.push({ elements: m.elementSet, line: m.line });
  return { format: file.format, records, rejected: file.rejected };
}
