/**
 * Checks and summarises CelesTrak's daily CSV tables (https://celestrak.org/SpaceData/): EOP-All.csv
 * (`DATE,MJD,X,Y,UT1-UTC,LOD,DPSI,DEPS,DX,DY,DAT,DATA_TYPE`, DATA_TYPE O observed / P predicted)
 * and SW-All.csv (`DATE,BSRN,ND,KP1,…`, space weather; F10.7_DATA_TYPE OBS/INT observed or
 * interpolated, PRD/PRM daily or monthly predicted). Used to validate a download before it replaces
 * a file, and to report a table's span; the values themselves are not read here.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';

export type CelestrakTableKind = 'eop' | 'space-weather';

export interface CelestrakTableSummary {
  readonly kind: CelestrakTableKind;
  /** Number of daily rows. */
  readonly rows: number;
  /** First and last row dates, YYYY-MM-DD. */
  readonly firstDate: string;
  readonly lastDate: string;
  /** Last row that is not a prediction, YYYY-MM-DD (undefined when every row is predicted). */
  readonly lastObservedDate: string | undefined;
}

const HEADER: Record<CelestrakTableKind, { readonly start: string; readonly typeColumn: string }> = {
  eop: { start: 'DATE,MJD,X,Y,UT1-UTC,LOD', typeColumn: 'DATA_TYPE' },
  'space-weather': { start: 'DATE,BSRN,ND,KP1', typeColumn: 'F10.7_DATA_TYPE' },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks that `text` is a CelesTrak table of `kind`: the header, then rows whose DATE increases day
 * by day. The first bad line is an issue (code `CELESTRAK_CSV`) with line and column.
 */
export function summarizeCelestrakCsv(
  text: string,
  kind: CelestrakTableKind,
  options: { readonly file?: string } = {},
): ParseResult<CelestrakTableSummary> {
  const file = options.file;
  const fail = (line: number, message: string, expected: string, found: string): ParseResult<never> => {
    const issue: ParseIssue = lineIssue(file, line, 1, 'CELESTRAK_CSV', message, expected, found);
    return { ok: false, issues: [issue] };
  };
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim();
  const spec = HEADER[kind];
  if (!header.startsWith(spec.start)) {
    return fail(1, `not a CelesTrak ${kind} CSV header`, `${spec.start},…`, header.slice(0, 60));
  }
  const columns = header.split(',');
  const typeIndex = columns.indexOf(spec.typeColumn);
  let rows = 0;
  let first = '';
  let last = '';
  let lastObserved: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    const cells = l.split(',');
    const date = cells[0] as string;
    if (!DATE.test(date)) return fail(i + 1, 'row does not start with a date', 'YYYY-MM-DD', date);
    if (last !== '' && !(date > last)) return fail(i + 1, 'dates must increase', `after ${last}`, date);
    if (cells.length < Math.min(columns.length, 6))
      return fail(i + 1, `row has ${cells.length} fields`, `${columns.length} fields`, l.slice(0, 60));
    if (first === '') first = date;
    last = date;
    const type = typeIndex >= 0 ? (cells[typeIndex] ?? '').trim() : '';
    if (!type.startsWith('P')) lastObserved = date;
    rows++;
  }
  if (rows === 0) return fail(2, 'no data row', 'a dated row', 'end of file');
  return {
    ok: true,
    value: { kind, rows, firstDate: first, lastDate: last, lastObservedDate: lastObserved },
    warnings: [],
  };
}
