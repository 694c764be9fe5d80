/**
 * Shared reading helpers of the ILRS line formats (CRD, CPF): a record line split into
 * whitespace-separated fields that remember their column, and typed field readers that report the
 * file, line, column and what was expected. ILRS writes `na` (and, in old files, `-1` or an
 * out-of-range value) for a missing value; readers of optional fields turn `na` (also `-na`, seen in the
 * CRD 2.01 sample file) into NaN.
 * Internal to the ilrs module.
 */
import type { ParseIssue } from '../errors.js';
import { lineIssue } from '../line-issue.js';

/** One whitespace-separated field of a record line: its text and 1-based column. */
export interface RecordField {
  readonly text: string;
  readonly column: number;
}

/** A record line split into fields; `fields[0]` is the record type (`h1`, `10`, `C0`...). */
export interface RecordLine {
  readonly line: number;
  readonly raw: string;
  readonly fields: readonly RecordField[];
}

/** Thrown inside a reader and turned into a ParseIssue at its top level. */
export class RecordError extends Error {
  readonly issue: ParseIssue;
  constructor(issue: ParseIssue) {
    super(issue.message);
    this.issue = issue;
  }
}

/** Splits a text into record lines (blank lines dropped), 1-based line numbers kept. */
export function splitRecords(text: string): RecordLine[] {
  const out: RecordLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const fields: RecordField[] = [];
    const re = /\S+/g;
    for (let m = re.exec(raw); m !== null; m = re.exec(raw)) fields.push({ text: m[0], column: m.index + 1 });
    if (fields.length > 0) out.push({ line: i + 1, raw, fields });
  }
  return out;
}

/** Reads typed fields of one record line, throwing RecordError with file/line/column on failure. */
export class FieldReader {
  readonly rec: RecordLine;
  readonly file: string | undefined;
  private readonly code: string;
  private readonly what: string;

  constructor(rec: RecordLine, file: string | undefined, code: string, what: string) {
    this.rec = rec;
    this.file = file;
    this.code = code;
    this.what = what;
  }

  get count(): number {
    return this.rec.fields.length;
  }

  fail(index: number, expected: string, message?: string): never {
    const f = this.rec.fields[index];
    const column = f?.column ?? this.rec.raw.length + 1;
    throw new RecordError(
      lineIssue(
        this.file,
        this.rec.line,
        column,
        this.code,
        message ?? `${this.what}: field ${index} cannot be read`,
        expected,
        f?.text ?? '(end of line)',
      ),
    );
  }

  /** Field text; missing when the line is shorter (then `fallback`, or an error when undefined). */
  str(index: number, name: string, fallback?: string): string {
    const f = this.rec.fields[index];
    if (f !== undefined) return f.text;
    if (fallback !== undefined) return fallback;
    return this.fail(index, name, `${this.what}: the line ends before field ${index} (${name})`);
  }

  /** A decimal number; `na` is NaN when `optional`. */
  num(index: number, name: string, optional = false): number {
    const f = this.rec.fields[index];
    if (f === undefined) {
      if (optional) return Number.NaN;
      return this.fail(index, `${name} (a number)`, `${this.what}: the line ends before ${name}`);
    }
    if (optional && /^[+-]?na$/i.test(f.text)) return Number.NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/.test(f.text)) {
      return this.fail(index, `${name} (a number)`, `${this.what}: ${name} is not a number`);
    }
    return Number(f.text.replace(/[dD]/, 'e'));
  }

  /** An integer; `na` is NaN when `optional`. */
  int(index: number, name: string, optional = false): number {
    const f = this.rec.fields[index];
    if (f === undefined) {
      if (optional) return Number.NaN;
      return this.fail(index, `${name} (an integer)`, `${this.what}: the line ends before ${name}`);
    }
    if (optional && /^[+-]?na$/i.test(f.text)) return Number.NaN;
    if (!/^[+-]?\d+$/.test(f.text)) {
      return this.fail(index, `${name} (an integer)`, `${this.what}: ${name} is not an integer`);
    }
    return Number(f.text);
  }

  /** A decimal number in the fixed columns [start, end) (0-based) of the line. */
  numAt(start: number, end: number, name: string): number {
    const text = this.rec.raw.slice(start, end).trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      throw new RecordError(
        lineIssue(
          this.file,
          this.rec.line,
          start + 1,
          this.code,
          `${this.what}: ${name} (columns ${start + 1}-${end}) is not a number`,
          `${name} (a number in columns ${start + 1}-${end})`,
          text === '' ? '(blank)' : text,
        ),
      );
    }
    return Number(text);
  }

  /** The field texts from `index` to the end of the line. */
  rest(index: number): string[] {
    return this.rec.fields.slice(index).map((f) => f.text);
  }
}
