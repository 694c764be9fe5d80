/**
 * Reader for the IERS Bulletin B monthly text (the layout used from 2009 to at least 2016, e.g.
 * Bulletin B 337 and 338, "Contents are described in ftp://hpiers.obspm.fr/iers/bul/bulb_new/
 * bulletinb.pdf"), and the merge of several EOP tables.
 *
 * What is read:
 * - section 1 "DAILY FINAL VALUES OF x, y, UT1-UTC, dX, dY": the rows between the "Final values"
 *   marker and the "Preliminary extension" marker, columns `YYYY MM DD MJD x y UT1-UTC dX dY` then
 *   five formal errors; x, y, dX, dY in mas, UT1−UTC in ms. The preliminary extension is NOT read
 *   (as Orekit's BulletinBFilesLoader, which the LAGEOS-2 case uses): those values are replaced by
 *   the next bulletin's finals;
 * - section 2 "dPsi1980 & dEps1980" (mas) of the same days, when present for every final day;
 * - section 3 "LOD, OMEGA" (LOD in ms). A final day without an LOD row gets the LOD from the
 *   central difference of UT1−UTC (−d(UT1−UTC)/dt over the neighbouring days), with a warning.
 * Each row's calendar date must match its MJD. Rows that cannot be read are warnings with line and
 * column; a file without section 1 or without final rows is an issue.
 *
 * Not supported (refused with `BULLETIN_B_LAYOUT`): the pre-2009 layout (month-name rows, section 1
 * "EARTH ORIENTATION PARAMETERS") and a section 1 of smoothed values with a UT1R−UTC column — no
 * sample of either was available to test against.
 *
 * Merging (`mergeEopTables`): nodes of all tables, one per MJD; on a day present in several tables
 * the LATER table in the argument list wins (give bulletins in publication order, so a newer
 * bulletin's values replace an older one's). A table has dPsi/dEps only if all merged tables do.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { ARCSEC2RAD } from '../units/index.js';
import { type EopInterpolation, type EopNode, EopTable, eopLoadResult } from './eop-table.js';

export interface BulletinBParseOptions {
  readonly file?: string;
  readonly interpolation?: EopInterpolation;
}

const MAS2RAD = ARCSEC2RAD / 1000;

/** UTC MJD of a Gregorian calendar date (Fliegel & Van Flandern's day number − 2400001). */
function mjdOfDate(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  const jdn =
    d +
    Math.floor((153 * mm + 2) / 5) +
    365 * yy +
    Math.floor(yy / 4) -
    Math.floor(yy / 100) +
    Math.floor(yy / 400) -
    32045;
  return jdn - 2400001;
}

const DATA_ROW = /^\s*(\d{4})\s+(\d{1,2})\s+(\d{1,2})\s+(\d{5})\s+(.*)$/;
const SECTION = /^\s*(\d)\s+-\s+(.*)$/;

interface Row {
  readonly mjd: number;
  readonly values: number[];
}

/** Parses one Bulletin B text into an EOP table of its final values (see the module header). */
export function parseBulletinBEop(text: string, options: BulletinBParseOptions = {}): ParseResult<EopTable> {
  const file = options.file;
  const lines = text.split(/\r?\n/);
  const warnings: ParseIssue[] = [];
  let section = 0;
  let section1Line = 0;
  let finalPart: 'before' | 'final' | 'after' = 'before';
  const s1 = new Map<number, Row>();
  const s2 = new Map<number, Row>();
  const s3 = new Map<number, Row>();

  const readRow = (raw: string, lineNo: number, count: number): Row | undefined => {
    const m = DATA_ROW.exec(raw);
    if (m === null) return undefined;
    const [y, mo, d, mjd] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    if (mjdOfDate(y, mo, d) !== mjd) {
      warnings.push(
        lineIssue(
          file,
          lineNo,
          1,
          'BULLETIN_B_BAD_DATE',
          `date ${y}-${mo}-${d} does not match MJD ${mjd}`,
          `MJD ${mjdOfDate(y, mo, d)}`,
          raw,
        ),
      );
      return undefined;
    }
    const rest = (m[5] as string).trim().split(/\s+/);
    if (rest.length < count) {
      warnings.push(
        lineIssue(
          file,
          lineNo,
          1,
          'BULLETIN_B_BAD_LINE',
          `expected ${count} values after the MJD, found ${rest.length}`,
          `${count} numbers`,
          raw,
        ),
      );
      return undefined;
    }
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = rest[i] as string;
      const v = Number(t);
      if (!Number.isFinite(v) || t === '') {
        warnings.push(
          lineIssue(
            file,
            lineNo,
            raw.indexOf(t) + 1,
            'BULLETIN_B_BAD_LINE',
            `unreadable value ${i + 1} after the MJD`,
            'a number',
            t,
          ),
        );
        return undefined;
      }
      values.push(v);
    }
    return { mjd, values };
  };

  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li] as string;
    const lineNo = li + 1;
    const sec = SECTION.exec(raw);
    if (sec !== null && !DATA_ROW.test(raw)) {
      section = Number(sec[1]);
      const title = sec[2] as string;
      if (section === 1) {
        section1Line = lineNo;
        if (!/x,\s*y,\s*UT1-UTC/i.test(title) || /UT1R/i.test(title)) {
          return {
            ok: false,
            issues: [
              lineIssue(
                file,
                lineNo,
                1,
                'BULLETIN_B_LAYOUT',
                'unsupported Bulletin B layout: section 1 is not "DAILY FINAL VALUES OF x, y, UT1-UTC, dX, dY"',
                '1 - DAILY FINAL VALUES OF x, y, UT1-UTC, dX, dY',
                raw.trim(),
              ),
            ],
          };
        }
      }
      continue;
    }
    if (section === 1) {
      if (/^\s*Final values/i.test(raw)) finalPart = 'final';
      else if (/^\s*Preliminary extension/i.test(raw)) finalPart = 'after';
      else if (finalPart === 'final') {
        const row = readRow(raw, lineNo, 5);
        if (row !== undefined) s1.set(row.mjd, row);
      }
    } else if (section === 2) {
      const row = readRow(raw, lineNo, 2);
      if (row !== undefined) s2.set(row.mjd, row);
    } else if (section === 3) {
      const row = readRow(raw, lineNo, 1);
      if (row !== undefined) s3.set(row.mjd, row);
    }
  }
  if (section1Line === 0) {
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          1,
          1,
          'BULLETIN_B_LAYOUT',
          'no section 1 found: not an IERS Bulletin B',
          '1 - DAILY FINAL VALUES OF x, y, UT1-UTC, dX, dY',
          (lines.find((l) => l.trim() !== '') ?? '').trim(),
        ),
      ],
    };
  }
  const rows = [...s1.values()].sort((a, b) => a.mjd - b.mjd);
  const allDpsi = rows.length > 0 && rows.every((r) => s2.has(r.mjd));
  const ut1 = rows.map((r) => (r.values[2] as number) * 1e-3);
  const nodes: EopNode[] = [];
  let derivedLod = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Row;
    const [x, y, , dX, dY] = r.values as [number, number, number, number, number];
    let lodS: number;
    const lodRow = s3.get(r.mjd);
    if (lodRow !== undefined) lodS = (lodRow.values[0] as number) * 1e-3;
    else {
      // −d(UT1−UTC)/dt by central (or one-sided) difference, leap-second steps removed.
      const i0 = Math.max(0, i - 1);
      const i1 = Math.min(rows.length - 1, i + 1);
      let du = (ut1[i1] as number) - (ut1[i0] as number);
      if (Math.abs(du) > 0.5) du -= Math.round(du);
      const dd = (rows[i1] as Row).mjd - (rows[i0] as Row).mjd;
      lodS = dd > 0 ? -du / dd : 0;
      derivedLod++;
    }
    const dp = allDpsi ? (s2.get(r.mjd) as Row).values : [0, 0];
    nodes.push({
      mjd: r.mjd,
      xpRad: x * MAS2RAD,
      ypRad: y * MAS2RAD,
      ut1MinusUtcS: ut1[i] as number,
      lodS,
      dXRad: dX * MAS2RAD,
      dYRad: dY * MAS2RAD,
      dPsiRad: (dp[0] as number) * MAS2RAD,
      dEpsRad: (dp[1] as number) * MAS2RAD,
      predicted: false,
    });
  }
  if (derivedLod > 0) {
    warnings.push(
      lineIssue(
        file,
        section1Line,
        1,
        'BULLETIN_B_NO_LOD',
        `${derivedLod} final day(s) without a section-3 LOD: LOD taken from the UT1−UTC differences`,
      ),
    );
  }
  return eopLoadResult(nodes, warnings, {
    file,
    emptyLine: section1Line,
    source: file ?? 'IERS Bulletin B',
    nutation: { dXdY: true, dPsiDEps: allDpsi },
    interpolation: options.interpolation,
  });
}

/**
 * Merges EOP tables into one: one node per MJD, the LATER table in `tables` winning on days present
 * in several (give bulletins oldest first). Interpolation of the first table unless given.
 */
export function mergeEopTables(
  tables: readonly EopTable[],
  options: { readonly interpolation?: EopInterpolation; readonly source?: string } = {},
): EopTable {
  const byMjd = new Map<number, EopNode>();
  for (const t of tables) for (let i = 0; i < t.size; i++) byMjd.set(t.mjd[i] as number, t.node(i));
  const nodes = [...byMjd.values()].sort((a, b) => a.mjd - b.mjd);
  const first = tables[0];
  return EopTable.create(nodes, {
    interpolation: options.interpolation ?? first?.interpolation ?? 'lagrange4',
    source: options.source ?? tables.map((t) => t.source).join(' + '),
    nutation: {
      dXdY: tables.every((t) => t.nutation.dXdY),
      dPsiDEps: tables.every((t) => t.nutation.dPsiDEps),
    },
  });
}
