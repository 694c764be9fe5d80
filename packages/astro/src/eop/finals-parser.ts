/**
 * Loader for the IERS/USNO Rapid Service "finals" EOP files (`finals2000A.all`, `finals2000A.data`,
 * `finals2000A.daily`, and the IAU 1980 `finals.all` / `finals.data`), fixed columns as described in
 * `ReadMe.finals2000A` (columns are 1-based, inclusive):
 *
 *   8-15 MJD (UTC) · 17 PM flag I/P · 19-27 PM-x (″) · 38-46 PM-y (″) · 58 UT1 flag ·
 *   59-68 UT1−UTC (s) · 80-86 LOD (ms, not always filled) · 96 nutation flag ·
 *   98-106 / 117-125 dX / dY (mas, finals2000A: w.r.t. IAU 2000A) or δΔψ / δΔε (mas, finals.all:
 *   w.r.t. IAU 1980).
 *
 * Only the Bulletin A values are used (the Bulletin B columns 135-185 are ignored). A node is
 * `predicted` when its polar motion or UT1 flag is 'P' (the nutation flag is not used: it is 'P'
 * also for the modelled 1973–1979 rows of finals2000A.all, and leads the PM/UT1 flags by a few
 * days at the end of the final data), or when it has no nutation values. Rows whose PM and UT1 columns are blank (the
 * calendar padding at the end of `.all` files) are skipped with one summary warning; in predicted
 * rows a blank LOD or nutation value becomes 0 with one summary warning. finals2000A files carry
 * no IAU 1980 δΔψ/δΔε: those stay 0 (see nutation-correction.ts for the IAU 2000 conversion).
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { calendarFromMjd } from '../math/calendar.js';
import { ARCSEC2RAD } from '../units/index.js';
import { type EopInterpolation, type EopNode, type EopTable, eopLoadResult } from './eop-table.js';

/** Milliarcseconds to radians. */
const MAS2RAD = ARCSEC2RAD / 1000;

export interface FinalsParseOptions {
  readonly file?: string;
  /** 'IAU2000' for finals2000A (dX/dY, default), 'IAU1980' for finals.all (δΔψ/δΔε). */
  readonly nutationModel?: 'IAU2000' | 'IAU1980';
  readonly interpolation?: EopInterpolation;
}

/** Text of 1-based inclusive columns a..b. */
function cols(line: string, a: number, b: number): string {
  return line.slice(a - 1, b);
}

/** Parses a finals file text. Bad lines become warnings and are skipped; no node at all is an issue. */
export function parseFinalsEop(text: string, options: FinalsParseOptions = {}): ParseResult<EopTable> {
  const file = options.file;
  const iau1980 = options.nutationModel === 'IAU1980';
  const warnings: ParseIssue[] = [];
  const nodes: EopNode[] = [];
  let blankRows = 0;
  let firstBlankLine = 0;
  let filledLod = 0;
  let filledNut = 0;
  let firstFilledLine = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    const mjdText = cols(line, 8, 15).trim();
    const mjd = Number(mjdText);
    if (mjdText === '' || !Number.isFinite(mjd)) {
      warnings.push(
        lineIssue(
          file,
          lineNo,
          8,
          'EOP_BAD_LINE',
          'unreadable MJD in columns 8-15',
          'a number like 53101.00',
          line,
        ),
      );
      continue;
    }
    // The YYMMDD columns must name the civil date of the MJD.
    const { year: y, month: mo, day: d } = calendarFromMjd(mjd);
    const yy = Number(cols(line, 1, 2));
    const mm = Number(cols(line, 3, 4));
    const dd = Number(cols(line, 5, 6));
    if (yy !== y % 100 || mm !== mo || dd !== d) {
      warnings.push(
        lineIssue(
          file,
          lineNo,
          1,
          'EOP_BAD_LINE',
          'date columns 1-6 disagree with the MJD',
          `${y % 100} ${mo} ${d}`,
          cols(line, 1, 6),
        ),
      );
      continue;
    }
    const xpText = cols(line, 19, 27).trim();
    const ut1Text = cols(line, 59, 68).trim();
    if (xpText === '' && ut1Text === '') {
      if (blankRows === 0) firstBlankLine = lineNo;
      blankRows++;
      continue;
    }
    const num = (a: number, b: number, what: string): number | undefined => {
      const t = cols(line, a, b).trim();
      const v = Number(t);
      if (t === '' || !Number.isFinite(v)) {
        warnings.push(
          lineIssue(
            file,
            lineNo,
            a,
            'EOP_BAD_LINE',
            `unreadable ${what} in columns ${a}-${b}`,
            'a number',
            t,
          ),
        );
        return undefined;
      }
      return v;
    };
    const xp = num(19, 27, 'PM-x');
    const yp = num(38, 46, 'PM-y');
    const ut1 = num(59, 68, 'UT1-UTC');
    if (xp === undefined || yp === undefined || ut1 === undefined) continue;
    const pmFlag = cols(line, 17, 17);
    const utFlag = cols(line, 58, 58);
    let predicted = pmFlag === 'P' || utFlag === 'P';
    let lod = 0;
    if (cols(line, 80, 86).trim() === '') {
      filledLod++;
      if (firstFilledLine === 0) firstFilledLine = lineNo;
    } else {
      const v = num(80, 86, 'LOD');
      if (v === undefined) continue;
      lod = v;
    }
    let n1 = 0;
    let n2 = 0;
    if (cols(line, 98, 106).trim() === '' || cols(line, 117, 125).trim() === '') {
      filledNut++;
      if (firstFilledLine === 0) firstFilledLine = lineNo;
      predicted = true;
    } else {
      const a = num(98, 106, iau1980 ? 'dPsi' : 'dX');
      const b = num(117, 125, iau1980 ? 'dEps' : 'dY');
      if (a === undefined || b === undefined) continue;
      n1 = a * MAS2RAD;
      n2 = b * MAS2RAD;
    }
    const prev = nodes[nodes.length - 1];
    if (prev !== undefined && !(mjd > prev.mjd)) {
      warnings.push(
        lineIssue(file, lineNo, 8, 'EOP_NOT_INCREASING', 'MJD does not increase', `> ${prev.mjd}`, mjdText),
      );
      continue;
    }
    nodes.push({
      mjd,
      xpRad: xp * ARCSEC2RAD,
      ypRad: yp * ARCSEC2RAD,
      ut1MinusUtcS: ut1,
      lodS: lod / 1000,
      dXRad: iau1980 ? 0 : n1,
      dYRad: iau1980 ? 0 : n2,
      dPsiRad: iau1980 ? n1 : 0,
      dEpsRad: iau1980 ? n2 : 0,
      predicted,
    });
  }
  if (blankRows > 0) {
    warnings.push(
      lineIssue(
        file,
        firstBlankLine,
        19,
        'EOP_ROWS_WITHOUT_VALUES',
        `${blankRows} rows from this line have no PM/UT1 values and were skipped`,
      ),
    );
  }
  if (filledLod + filledNut > 0) {
    warnings.push(
      lineIssue(
        file,
        firstFilledLine,
        80,
        'EOP_VALUES_FILLED',
        `${filledLod} rows without LOD and ${filledNut} rows without nutation values: those values are set to 0 (nutation-less rows are marked predicted)`,
      ),
    );
  }
  return eopLoadResult(nodes, warnings, {
    file,
    emptyLine: 1,
    source: file ?? (iau1980 ? 'finals.all' : 'finals2000A'),
    nutation: { dXdY: !iau1980, dPsiDEps: iau1980 },
    interpolation: options.interpolation,
  });
}
