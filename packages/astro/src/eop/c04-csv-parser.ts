/**
 * Loader for the IERS EOP 20 C04 series in its `;`-separated CSV form (e.g.
 * `eopc04_20.2022-now.csv`), header:
 *
 *   MJD;Year;Month;Day;Type;x_pole;sigma_x_pole;y_pole;sigma_y_pole;x_rate;…;Type;UT1-UTC;
 *   sigma_UT1-UTC;LOD;sigma_LOD;Type;dPsi;sigma_dPsi;dEpsilon;sigma_dEpsilon;dX;sigma_dX;dY;sigma_dY
 *
 * Columns are found by header name, so their order may change. Units are those of the C04 product
 * (ReadMe.eopc04): pole x, y and dX, dY, dPsi, dEpsilon in arcseconds; UT1−UTC and LOD in seconds.
 * Each `Type` column qualifies the values that follow it; a value 'prediction' (any case) marks the
 * node predicted; empty or 'final' is final (C04 is a final series). Empty dPsi/dEpsilon (the C04 20
 * series provides dX/dY only) give 0, and the table records that it has no IAU 1980 corrections.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import { ARCSEC2RAD } from '../units/index.js';
import { type EopInterpolation, type EopNode, type EopTable, eopLoadResult } from './eop-table.js';

export interface C04CsvParseOptions {
  readonly file?: string;
  readonly interpolation?: EopInterpolation;
}

const REQUIRED = ['MJD', 'x_pole', 'y_pole', 'UT1-UTC', 'LOD'] as const;
const OPTIONAL = ['dX', 'dY', 'dPsi', 'dEpsilon'] as const;

/** Parses the C04 CSV text. Bad lines become warnings and are skipped; a bad header is an issue. */
export function parseC04CsvEop(text: string, options: C04CsvParseOptions = {}): ParseResult<EopTable> {
  const file = options.file;
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && (lines[h] as string).trim() === '') h++;
  const header = (lines[h] ?? '').split(';').map((s) => s.trim());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  const missing = REQUIRED.filter((n) => !index.has(n));
  if (missing.length > 0) {
    return {
      ok: false,
      issues: [
        lineIssue(
          file,
          h + 1,
          1,
          'EOP_BAD_HEADER',
          `header lacks ${missing.join(', ')}`,
          REQUIRED.join(';'),
          lines[h] ?? '',
        ),
      ],
    };
  }
  // The Type column governing column i is the nearest 'Type' to its left.
  const typeOf = (i: number): number => {
    for (let j = i; j >= 0; j--) if (header[j] === 'Type') return j;
    return -1;
  };
  const col = (name: string): number => index.get(name) ?? -1;
  const valueCols = [...REQUIRED, ...OPTIONAL].map(col).filter((i) => i >= 0);
  const typeCols = [...new Set(valueCols.map(typeOf).filter((i) => i >= 0))];
  const hasDxDy = index.has('dX') && index.has('dY');
  const warnings: ParseIssue[] = [];
  const nodes: EopNode[] = [];
  let anyDpsi = false;
  for (let li = h + 1; li < lines.length; li++) {
    const raw = lines[li] as string;
    const lineNo = li + 1;
    if (raw.trim() === '') continue;
    const cells = raw.split(';');
    // 1-based column of a cell, for issues.
    const columnOf = (ci: number): number => cells.slice(0, ci).reduce((s, c) => s + c.length + 1, 0) + 1;
    let bad = false;
    const num = (name: string, optional: boolean): number | undefined => {
      const ci = col(name);
      if (ci < 0) return undefined;
      const t = (cells[ci] ?? '').trim();
      if (t === '') {
        if (!optional) {
          warnings.push(
            lineIssue(file, lineNo, columnOf(ci), 'EOP_BAD_LINE', `empty ${name}`, 'a number', t),
          );
          bad = true;
        }
        return undefined;
      }
      const v = Number(t);
      if (!Number.isFinite(v)) {
        warnings.push(
          lineIssue(file, lineNo, columnOf(ci), 'EOP_BAD_LINE', `unreadable ${name}`, 'a number', t),
        );
        bad = true;
        return undefined;
      }
      return v;
    };
    const mjd = num('MJD', false);
    const xp = num('x_pole', false);
    const yp = num('y_pole', false);
    const ut1 = num('UT1-UTC', false);
    const lod = num('LOD', false);
    const dX = num('dX', true);
    const dY = num('dY', true);
    const dPsi = num('dPsi', true);
    const dEps = num('dEpsilon', true);
    if (
      bad ||
      mjd === undefined ||
      xp === undefined ||
      yp === undefined ||
      ut1 === undefined ||
      lod === undefined
    ) {
      continue;
    }
    if (dPsi !== undefined && dEps !== undefined) anyDpsi = true;
    const predicted = typeCols.some((ci) => /^pred/i.test((cells[ci] ?? '').trim()));
    const prev = nodes[nodes.length - 1];
    if (prev !== undefined && !(mjd > prev.mjd)) {
      warnings.push(
        lineIssue(
          file,
          lineNo,
          1,
          'EOP_NOT_INCREASING',
          'MJD does not increase',
          `> ${prev.mjd}`,
          String(mjd),
        ),
      );
      continue;
    }
    nodes.push({
      mjd,
      xpRad: xp * ARCSEC2RAD,
      ypRad: yp * ARCSEC2RAD,
      ut1MinusUtcS: ut1,
      lodS: lod,
      dXRad: (dX ?? 0) * ARCSEC2RAD,
      dYRad: (dY ?? 0) * ARCSEC2RAD,
      dPsiRad: (dPsi ?? 0) * ARCSEC2RAD,
      dEpsRad: (dEps ?? 0) * ARCSEC2RAD,
      predicted,
    });
  }
  return eopLoadResult(nodes, warnings, {
    file,
    emptyLine: h + 1,
    source: file ?? 'EOP 20 C04 CSV',
    nutation: { dXdY: hasDxDy, dPsiDEps: anyDpsi },
    interpolation: options.interpolation,
  });
}
