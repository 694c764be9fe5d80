/**
 * Builds the ParseIssue of a line-oriented text loader (EOP files, leap-second files, the CCSDS
 * TDM, OPM and RDM readers): one place for the shape those loaders share, so that every one of
 * them reports the same fields. Internal:
 * not re-exported from the package index.
 */
import type { ParseIssue } from './errors.js';

/** Longest `found` text kept in an issue, characters (the rest of a long line is cut off). */
export const LINE_ISSUE_FOUND_MAX = 80;

/**
 * A ParseIssue at a 1-based `line` and `column`. `file`, `expected` and `found` are left out when
 * undefined; `found` is cut to LINE_ISSUE_FOUND_MAX characters.
 */
export function lineIssue(
  file: string | undefined,
  line: number,
  column: number,
  code: string,
  message: string,
  expected?: string,
  found?: string,
): ParseIssue {
  return {
    ...(file === undefined ? {} : { file }),
    line,
    column,
    code,
    message,
    ...(expected === undefined ? {} : { expected }),
    ...(found === undefined ? {} : { found: found.slice(0, LINE_ISSUE_FOUND_MAX) }),
  };
}

/** Epoch forms a CCSDS reader accepts, as its issues name them. */
export const CCSDS_EPOCH_FORMS = 'YYYY-MM-DDThh:mm:ss[.d…][Z] or YYYY-DDDThh:mm:ss[.d…][Z]';

/**
 * Appends to `target.issues` the issue at `line`/`column` with the `key` it concerns (the CCSDS
 * readers' form of lineIssue; `target.file` names the file).
 */
export function pushIssue(
  target: { readonly file?: string | undefined; readonly issues: ParseIssue[] },
  line: number,
  column: number,
  code: string,
  message: string,
  key?: string,
  expected?: string,
  found?: string,
): void {
  const base = lineIssue(target.file, line, column, code, message, expected, found);
  target.issues.push(key === undefined ? base : { ...base, key });
}
