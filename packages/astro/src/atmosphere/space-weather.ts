/**
 * Space-weather tables (daily F10.7 solar flux and 3-hour geomagnetic ap/Kp) and their lookup as
 * NRLMSISE-00 inputs.
 *
 * Readers (text in, no I/O):
 * - CelesTrak's CSV `SW-All.csv` (https://celestrak.org/SpaceData/SpaceWx-format.php): header
 *   `DATE,BSRN,ND,KP1..KP8,KP_SUM,AP1..AP8,AP_AVG,CP,C9,ISN,F10.7_OBS,F10.7_ADJ,F10.7_DATA_TYPE,
 *   F10.7_OBS_CENTER81,F10.7_OBS_LAST81,F10.7_ADJ_CENTER81,F10.7_ADJ_LAST81`, one row per UT day;
 *   F10.7_DATA_TYPE OBS observed, INT interpolated, PRD daily prediction, PRM monthly prediction
 *   (PRM rows carry no Kp/Ap and are kept apart, in `monthly`). Columns are found by name.
 * - The legacy CSSI fixed-width `SpaceWeather-All-v1.2.txt`
 *   (FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1)): sections BEGIN OBSERVED,
 *   DAILY_PREDICTED and MONTHLY_PREDICTED (MONTHLY_FIT is skipped). Its flux qualifier Q 2, 3 or 4
 *   (interpolated, missing, CSSI-interpolated) maps to INT.
 * Kp is stored as the real index (the files give Kp × 10). Both readers keep every good row and
 * report every bad one (line, column, column name, what was expected) as a warning; the skipped
 * day becomes a gap that a lookup needing it refuses with `SPACE_WEATHER_MISSING_DAY`.
 *
 * Lookup `spaceWeatherAt`, following the input conventions of NRLMSISE-00 (Picone et al. 2002 and
 * the model's source header): f107 = observed F10.7 of the previous UT day (not adjusted to 1 AU),
 * f107A = observed 81-day centred mean of the current day, ap = daily Ap (AP_AVG), and the 7-element
 * ap array = [daily Ap, 3-hour ap of the current interval, of 3, 6 and 9 hours before, mean of the
 * eight 3-hour values 12–33 hours before, mean of the eight 36–57 hours before]; the array reaches
 * back three days. A date outside the daily rows (or within their first three days) is refused
 * with `SPACE_WEATHER_OUT_OF_RANGE`; no value is extrapolated.
 */
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { calendarFromMjd, mjdFromCalendar } from '../math/calendar.js';
import { mjdDayFraction } from '../time/utc.js';

/** Kind of a day's F10.7 value (CelesTrak F10.7_DATA_TYPE). */
export type SpaceWeatherDataType = 'OBS' | 'INT' | 'PRD' | 'PRM';

/** A monthly prediction row (no 3-hour indices). */
export interface SpaceWeatherMonth {
  /** UTC MJD of the row's date (first of the month). */
  readonly mjd: number;
  readonly f107Obs: number;
  readonly f107ObsCenter81: number;
  readonly f107ObsLast81: number;
}

/**
 * Daily space weather, columnar: entry `i` of each per-day column is day `firstMjd + i`; `ap3h`
 * and `kp3h` hold 8 values per day (00–03 … 21–24 UT) at `8 i + k`. Missing days are NaN with
 * dataType ''.
 */
export interface SpaceWeatherTable {
  readonly format: 'celestrak-csv' | 'cssi-txt';
  /** UTC MJD of the first and last daily row. */
  readonly firstMjd: number;
  readonly lastMjd: number;
  /** Last day whose F10.7 is observed or interpolated (undefined when none is). */
  readonly lastObservedMjd: number | undefined;
  readonly dataType: readonly (SpaceWeatherDataType | '')[];
  readonly ap3h: Float64Array;
  readonly kp3h: Float64Array;
  readonly apAvg: Float64Array;
  /** Observed F10.7 (at the Earth's distance), sfu. */
  readonly f107Obs: Float64Array;
  /** F10.7 adjusted to 1 AU, sfu (not an NRLMSISE-00 input). */
  readonly f107Adj: Float64Array;
  /** 81-day centred and trailing means of the observed F10.7, sfu. */
  readonly f107ObsCenter81: Float64Array;
  readonly f107ObsLast81: Float64Array;
  /** Monthly predictions after the daily rows. */
  readonly monthly: readonly SpaceWeatherMonth[];
}

/** NRLMSISE-00 inputs at one time, with how much of them rests on predictions. */
export interface SpaceWeatherValues {
  /** UTC MJD (integer) of the day looked up and UT seconds of that day. */
  readonly mjd: number;
  readonly utSeconds: number;
  /** Observed F10.7 of the previous day, sfu. */
  readonly f107: number;
  /** 81-day centred mean of the observed F10.7 of the day, sfu. */
  readonly f107A: number;
  /** Daily Ap of the day. */
  readonly ap: number;
  /** The 7-element NRLMSISE-00 ap array (see the module header). */
  readonly apArray: readonly number[];
  /**
   * True when any value rests on predictions: a day used is a PRD row, or the centred 81-day mean
   * reaches past the last observed day (its last 40 days include predicted flux).
   */
  readonly predicted: boolean;
  /** A row used (the previous day's F10.7 or the 3-hour ap days) is a PRD row. */
  readonly predictedRows: boolean;
  /** The centred 81-day mean includes days after the last observed one. */
  readonly centredMeanIncludesPredictions: boolean;
  /** The previous day's F10.7 is interpolated (INT), not measured. */
  readonly f107Interpolated: boolean;
}

/** Options of the readers. */
export interface SpaceWeatherParseOptions {
  /** File name for the issues. */
  readonly file?: string;
}

/** A row as read, before the table is assembled. */
interface Row {
  readonly mjd: number;
  readonly line: number;
  readonly type: SpaceWeatherDataType;
  readonly kp: readonly number[];
  readonly ap: readonly number[];
  readonly apAvg: number;
  readonly f107Obs: number;
  readonly f107Adj: number;
  readonly ctr81: number;
  readonly lst81: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const KP_COLUMNS = ['KP1', 'KP2', 'KP3', 'KP4', 'KP5', 'KP6', 'KP7', 'KP8'] as const;
const AP_COLUMNS = ['AP1', 'AP2', 'AP3', 'AP4', 'AP5', 'AP6', 'AP7', 'AP8'] as const;
const REQUIRED_COLUMNS = [
  'DATE',
  ...KP_COLUMNS,
  ...AP_COLUMNS,
  'AP_AVG',
  'F10.7_OBS',
  'F10.7_ADJ',
  'F10.7_DATA_TYPE',
  'F10.7_OBS_CENTER81',
  'F10.7_OBS_LAST81',
] as const;
const DATA_TYPES: readonly string[] = ['OBS', 'INT', 'PRD', 'PRM'];
/** Kp in the files is Kp × 10 (0, 3, 7, 10, … 90 for 0, 0+, 1-, 1o, … 9o). */
const KP_FILE_SCALE = 10;

/**
 * Reads CelesTrak's space-weather CSV. Fails (ok: false) only when the header lacks a required
 * column or no row is usable; a malformed row is skipped and reported in `warnings` (code
 * `SPACE_WEATHER_ROW`, with line, column and column name).
 */
export function parseCelestrakSpaceWeatherCsv(
  text: string,
  options: SpaceWeatherParseOptions = {},
): ParseResult<SpaceWeatherTable> {
  const file = options.file;
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().split(',');
  const col = new Map<string, number>();
  for (const [i, h] of header.entries()) col.set(h.trim(), i);
  const missing = REQUIRED_COLUMNS.filter((c) => !col.has(c));
  if (missing.length > 0) {
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          1,
          1,
          'SPACE_WEATHER_HEADER',
          `header lacks column(s) ${missing.join(', ')}`,
          REQUIRED_COLUMNS.join(','),
          (lines[0] ?? '').trim(),
        ),
      ],
    };
  }
  const at = (name: string): number => col.get(name) as number;
  const issues: ParseIssue[] = [];
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(',');
    // 1-based character column of each cell
    const starts: number[] = [];
    let pos = 1;
    for (const c of cells) {
      starts.push(pos);
      pos += c.length + 1;
    }
    const bad = (name: string, message: string, expected: string): void => {
      const idx = at(name);
      issues.push({
        ...lineIssue(
          file,
          lineNo,
          starts[idx] ?? pos,
          'SPACE_WEATHER_ROW',
          message,
          expected,
          cells[idx] ?? '',
        ),
        key: name,
      });
    };
    if (cells.length < header.length) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          1,
          'SPACE_WEATHER_ROW',
          `row has ${cells.length} fields`,
          `${header.length} fields`,
          raw,
        ),
      );
      continue;
    }
    const m = DATE.exec((cells[at('DATE')] ?? '').trim());
    if (m === null) {
      bad('DATE', 'not a date', 'YYYY-MM-DD');
      continue;
    }
    const mjd = mjdFromCalendar(Number(m[1]), Number(m[2]), Number(m[3]));
    const type = (cells[at('F10.7_DATA_TYPE')] ?? '').trim();
    if (!DATA_TYPES.includes(type)) {
      bad('F10.7_DATA_TYPE', 'unknown F10.7 data type', 'OBS, INT, PRD or PRM');
      continue;
    }
    const num = (name: string): number => {
      const s = (cells[at(name)] ?? '').trim();
      const v = s === '' ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) {
        bad(name, `${name} is not a number`, 'a number');
        return Number.NaN;
      }
      return v;
    };
    const before = issues.length;
    const daily = type !== 'PRM';
    const kp = daily ? KP_COLUMNS.map((c) => num(c) / KP_FILE_SCALE) : [];
    const ap = daily ? AP_COLUMNS.map(num) : [];
    const apAvg = daily ? num('AP_AVG') : Number.NaN;
    const f107Obs = num('F10.7_OBS');
    const f107Adj = num('F10.7_ADJ');
    const ctr81 = num('F10.7_OBS_CENTER81');
    const lst81 = num('F10.7_OBS_LAST81');
    if (issues.length > before) continue;
    rows.push({
      mjd,
      line: lineNo,
      type: type as SpaceWeatherDataType,
      kp,
      ap,
      apAvg,
      f107Obs,
      f107Adj,
      ctr81,
      lst81,
    });
  }
  return assemble(rows, issues, 'celestrak-csv', file);
}

/** Field layout of a CSSI row: [start, end) character columns from its FORMAT statement. */
const CSSI = {
  year: [0, 4],
  month: [4, 7],
  day: [7, 10],
  kp: [18, 42, 3],
  ap: [46, 78, 4],
  apAvg: [78, 82],
  f107Adj: [92, 98],
  q: [98, 100],
  f107Obs: [112, 118],
  ctr81Obs: [118, 124],
  lst81Obs: [124, 130],
} as const;
/** Length of a CSSI data row. */
const CSSI_ROW_LENGTH = 130;

/**
 * Reads the legacy CSSI `SpaceWeather-All-v1.2.txt`. Observed, daily-predicted and
 * monthly-predicted sections become OBS/INT, PRD and PRM rows. Same error policy as the CSV reader.
 */
export function parseCssiSpaceWeather(
  text: string,
  options: SpaceWeatherParseOptions = {},
): ParseResult<SpaceWeatherTable> {
  const file = options.file;
  const lines = text.split(/\r?\n/);
  if (!(lines[0] ?? '').startsWith('DATATYPE CssiSpaceWeather')) {
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          1,
          1,
          'SPACE_WEATHER_HEADER',
          'not a CSSI space-weather file',
          'DATATYPE CssiSpaceWeather',
          lines[0] ?? '',
        ),
      ],
    };
  }
  const issues: ParseIssue[] = [];
  const rows: Row[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\s+$/, '');
    const lineNo = i + 1;
    if (raw.startsWith('BEGIN ')) {
      section = raw.slice(6).trim();
      continue;
    }
    if (raw.startsWith('END ')) {
      section = '';
      continue;
    }
    if (section === '' || section === 'MONTHLY_FIT' || raw === '') continue;
    const type: SpaceWeatherDataType | undefined =
      section === 'OBSERVED'
        ? 'OBS'
        : section === 'DAILY_PREDICTED'
          ? 'PRD'
          : section === 'MONTHLY_PREDICTED'
            ? 'PRM'
            : undefined;
    if (type === undefined) continue;
    if (raw.length < CSSI_ROW_LENGTH) {
      issues.push(
        lineIssue(
          file,
          lineNo,
          raw.length + 1,
          'SPACE_WEATHER_ROW',
          `row has ${raw.length} characters`,
          `${CSSI_ROW_LENGTH} characters`,
          raw,
        ),
      );
      continue;
    }
    const before = issues.length;
    const field = (from: number, to: number, key: string): number => {
      const s = raw.slice(from, to).trim();
      const v = s === '' ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) {
        issues.push({
          ...lineIssue(file, lineNo, from + 1, 'SPACE_WEATHER_ROW', `${key} is not a number`, 'a number', s),
          key,
        });
      }
      return v;
    };
    const year = field(CSSI.year[0], CSSI.year[1], 'yy');
    const month = field(CSSI.month[0], CSSI.month[1], 'mm');
    const day = field(CSSI.day[0], CSSI.day[1], 'dd');
    const series = (spec: readonly [number, number, number], key: string): number[] => {
      const out: number[] = [];
      for (let k = 0; k < 8; k++)
        out.push(field(spec[0] + k * spec[2], spec[0] + (k + 1) * spec[2], `${key}${k + 1}`));
      return out;
    };
    const daily = type !== 'PRM';
    const kp = daily ? series(CSSI.kp, 'Kp').map((v) => v / KP_FILE_SCALE) : [];
    const ap = daily ? series(CSSI.ap, 'Ap') : [];
    const apAvg = daily ? field(CSSI.apAvg[0], CSSI.apAvg[1], 'Avg') : Number.NaN;
    const f107Adj = field(CSSI.f107Adj[0], CSSI.f107Adj[1], 'Adj F10.7');
    const q = field(CSSI.q[0], CSSI.q[1], 'Q');
    const f107Obs = field(CSSI.f107Obs[0], CSSI.f107Obs[1], 'Obs F10.7');
    const ctr81 = field(CSSI.ctr81Obs[0], CSSI.ctr81Obs[1], 'Obs Ctr81');
    const lst81 = field(CSSI.lst81Obs[0], CSSI.lst81Obs[1], 'Obs Lst81');
    if (issues.length > before) continue;
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) {
      issues.push(
        lineIssue(file, lineNo, 1, 'SPACE_WEATHER_ROW', 'not a date', 'yyyy mm dd', raw.slice(0, 10)),
      );
      continue;
    }
    rows.push({
      mjd: mjdFromCalendar(year, month, day),
      line: lineNo,
      type: type === 'OBS' && (q === 2 || q === 3 || q === 4) ? 'INT' : type,
      kp,
      ap,
      apAvg,
      f107Obs,
      f107Adj,
      ctr81,
      lst81,
    });
  }
  return assemble(rows, issues, 'cssi-txt', file);
}

/** Builds the columnar table from the good rows; out-of-order or repeated dates are issues. */
function assemble(
  rows: readonly Row[],
  issues: ParseIssue[],
  format: SpaceWeatherTable['format'],
  file: string | undefined,
): ParseResult<SpaceWeatherTable> {
  const daily: Row[] = [];
  const monthly: SpaceWeatherMonth[] = [];
  let lastMjd = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (!(r.mjd > lastMjd)) {
      issues.push(
        lineIssue(
          file,
          r.line,
          1,
          'SPACE_WEATHER_ROW',
          'date does not increase',
          `a date after MJD ${lastMjd}`,
          `MJD ${r.mjd}`,
        ),
      );
      continue;
    }
    lastMjd = r.mjd;
    if (r.type === 'PRM') {
      monthly.push({ mjd: r.mjd, f107Obs: r.f107Obs, f107ObsCenter81: r.ctr81, f107ObsLast81: r.lst81 });
    } else if (monthly.length > 0) {
      issues.push(
        lineIssue(
          file,
          r.line,
          1,
          'SPACE_WEATHER_ROW',
          'daily row after the monthly predictions',
          'a PRM row',
          r.type,
        ),
      );
    } else {
      daily.push(r);
    }
  }
  const first = daily[0];
  const last = daily[daily.length - 1];
  if (first === undefined || last === undefined) {
    issues.push(lineIssue(file, 1, 1, 'SPACE_WEATHER_EMPTY', 'no usable daily row', 'daily rows', 'none'));
    return { ok: false, issues };
  }
  const n = last.mjd - first.mjd + 1;
  const nan = (k: number): Float64Array => new Float64Array(k).fill(Number.NaN);
  const table = {
    format,
    firstMjd: first.mjd,
    lastMjd: last.mjd,
    lastObservedMjd: undefined as number | undefined,
    dataType: new Array<SpaceWeatherDataType | ''>(n).fill(''),
    ap3h: nan(8 * n),
    kp3h: nan(8 * n),
    apAvg: nan(n),
    f107Obs: nan(n),
    f107Adj: nan(n),
    f107ObsCenter81: nan(n),
    f107ObsLast81: nan(n),
    monthly,
  };
  for (const r of daily) {
    const i = r.mjd - first.mjd;
    table.dataType[i] = r.type;
    for (let k = 0; k < 8; k++) {
      table.ap3h[8 * i + k] = r.ap[k] as number;
      table.kp3h[8 * i + k] = r.kp[k] as number;
    }
    table.apAvg[i] = r.apAvg;
    table.f107Obs[i] = r.f107Obs;
    table.f107Adj[i] = r.f107Adj;
    table.f107ObsCenter81[i] = r.ctr81;
    table.f107ObsLast81[i] = r.lst81;
    if (r.type === 'OBS' || r.type === 'INT') table.lastObservedMjd = r.mjd;
  }
  return { ok: true, value: table, warnings: issues };
}

/** Days before the current one that the ap array reaches (57 h before 00 UT: day − 3). */
const AP_HISTORY_DAYS = 3;
/** Half-width of the centred 81-day mean, days. */
const CENTRED_HALF_WIDTH_DAYS = 40;

/** YYYY-MM-DD of an integer MJD, for messages. */
function dateOf(mjd: number): string {
  const { year, month, day } = calendarFromMjd(mjd);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * NRLMSISE-00 inputs at a UTC Julian date (jd + frac days, any split). Throws AstroError
 * `SPACE_WEATHER_OUT_OF_RANGE` outside [first daily row + 3 days, last daily row] (the ap array
 * needs three previous days; monthly predictions carry no ap), `SPACE_WEATHER_MISSING_DAY` when a
 * needed day was a skipped row. Check `predicted` to warn about values resting on predictions.
 */
export function spaceWeatherAt(table: SpaceWeatherTable, utcJd: number, utcJdFrac = 0): SpaceWeatherValues {
  if (!Number.isFinite(utcJd) || !Number.isFinite(utcJdFrac)) {
    throw new AstroError('SPACE_WEATHER_OUT_OF_RANGE', 'the date is not a finite Julian date', {
      expected: 'finite numbers',
      found: `${utcJd} + ${utcJdFrac}`,
    });
  }
  const [mjd, dayFrac] = mjdDayFraction(utcJd, utcJdFrac);
  const firstUsable = table.firstMjd + AP_HISTORY_DAYS;
  if (mjd < firstUsable || mjd > table.lastMjd) {
    throw new AstroError(
      'SPACE_WEATHER_OUT_OF_RANGE',
      `no daily space weather for ${dateOf(mjd)}: the table covers ${dateOf(firstUsable)} to ${dateOf(table.lastMjd)}` +
        (mjd > table.lastMjd && table.monthly.length > 0
          ? ' (only monthly predictions, without 3-hour ap, follow)'
          : ''),
      {
        mjd,
        expected: `MJD ${firstUsable} to ${table.lastMjd}`,
        found: `MJD ${mjd}`,
      },
    );
  }
  const i = mjd - table.firstMjd;
  const need = (d: number, what: string): void => {
    if (table.dataType[d] === '') {
      throw new AstroError(
        'SPACE_WEATHER_MISSING_DAY',
        `space weather of ${dateOf(table.firstMjd + d)} (${what}) is missing`,
        {
          mjd: table.firstMjd + d,
          expected: 'a daily row',
          found: 'a skipped or absent row',
        },
      );
    }
  };
  for (let d = i - AP_HISTORY_DAYS; d <= i; d++)
    need(d, d === i - 1 ? 'previous-day F10.7 and 3-hour ap' : '3-hour ap');
  const utSeconds = dayFrac * 86400;
  // global 3-hour slot index of the current interval
  const slot = 8 * i + Math.min(7, Math.floor(utSeconds / 10800));
  const ap = table.ap3h;
  const mean8 = (from: number): number => {
    let s = 0;
    for (let k = from; k > from - 8; k--) s += ap[k] as number;
    return s / 8;
  };
  const daily = table.apAvg[i] as number;
  const apArray = [
    daily,
    ap[slot] as number,
    ap[slot - 1] as number,
    ap[slot - 2] as number,
    ap[slot - 3] as number,
    mean8(slot - 4),
    mean8(slot - 12),
  ];
  let predictedRows = false;
  for (let d = i - AP_HISTORY_DAYS; d <= i; d++) if (table.dataType[d] === 'PRD') predictedRows = true;
  const centredMeanIncludesPredictions =
    table.lastObservedMjd === undefined || mjd + CENTRED_HALF_WIDTH_DAYS > table.lastObservedMjd;
  return {
    mjd,
    utSeconds,
    f107: table.f107Obs[i - 1] as number,
    f107A: table.f107ObsCenter81[i] as number,
    ap: daily,
    apArray,
    predicted: predictedRows || centredMeanIncludesPredictions,
    predictedRows,
    centredMeanIncludesPredictions,
    f107Interpolated: table.dataType[i - 1] === 'INT',
  };
}
