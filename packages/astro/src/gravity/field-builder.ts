/**
 * Turns a filled CoefficientTable into a GravityField, and reports the (n, m) that no row set: as
 * issues (the default: a gap refuses the file) or, when the caller allowed gaps, as warnings with
 * the coefficient left at 0. Internal to gravity/.
 */
import type { ParseIssue } from '../errors.js';
import { lineIssue } from '../line-issue.js';
import {
  type CoefficientTable,
  GRAVITY_ISSUE,
  type IssueList,
  MAX_GRAVITY_ISSUES,
} from './coefficient-table.js';
import {
  coefficientIndex,
  type GravityField,
  type GravityFileFormat,
  type TideSystem,
} from './gravity-field.js';

/** What a reader knows about a field besides its coefficients. */
export interface FieldMeta {
  readonly name: string;
  readonly format: GravityFileFormat;
  readonly muKm3S2: number;
  readonly radiusKm: number;
  readonly tideSystem: TideSystem;
}

/** The field of a complete table (sigmas kept only when some are non-zero). */
export function buildField(table: CoefficientTable, meta: FieldMeta): GravityField {
  return {
    ...meta,
    degree: table.degree,
    order: table.order,
    c: table.c,
    s: table.s,
    ...(table.hasSigma ? { sigmaC: table.sigmaC, sigmaS: table.sigmaS } : {}),
  };
}

/**
 * Reports every missing (n, m). In a sorted file (`sorted`) the line given is that of the row found
 * where the missing one was expected; otherwise it is `endLine`. Gaps become warnings (at most
 * MAX_GRAVITY_ISSUES, then one summary) when `allow`.
 */
export function reportMissing(
  table: CoefficientTable,
  allow: boolean,
  sorted: boolean,
  endLine: number,
  issues: IssueList,
  warnings: ParseIssue[],
  file: string | undefined,
): void {
  const missing = table.missing();
  let listed = 0;
  for (const [n, m] of missing) {
    let line = endLine;
    let found = 'no row for it';
    if (sorted) {
      // The next row present in (n, m) order is where this one should have been.
      for (let k = coefficientIndex(n, m) + 1; k < table.lineOf.length; k++) {
        const l = table.lineOf[k] ?? 0;
        if (l !== 0) {
          line = l;
          found = `the row of ${describeIndex(k)}`;
          break;
        }
      }
      if (found === 'no row for it') found = 'end of the rows';
    }
    const message = `no coefficient row for (${n},${m})`;
    if (!allow) {
      issues.add(line, 1, GRAVITY_ISSUE.MISSING, message, `(${n},${m})`, found);
      if (issues.full) return;
    } else if (listed < MAX_GRAVITY_ISSUES) {
      warnings.push(
        lineIssue(
          file,
          line,
          1,
          GRAVITY_ISSUE.MISSING,
          `${message}: set to 0 (gaps allowed)`,
          `(${n},${m})`,
          found,
        ),
      );
      listed++;
    }
  }
  if (allow && missing.length > listed) {
    warnings.push(
      lineIssue(
        file,
        endLine,
        1,
        GRAVITY_ISSUE.MISSING,
        `${missing.length - listed} more missing coefficients set to 0`,
      ),
    );
  }
}

/** "(n,m)" of a triangular index. */
function describeIndex(k: number): string {
  const n = Math.floor((Math.sqrt(8 * k + 1) - 1) / 2);
  return `(${n},${k - (n * (n + 1)) / 2})`;
}
