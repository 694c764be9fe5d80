/**
 * Builds the ParseIssue of a line-oriented text loader (EOP files, leap-second files): one place
 * for the shape those loaders share, so that every one of them reports the same fields. Internal:
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
