/**
 * The error class of @hoshimi/astro. Every failure carries a stable string `code` and structured
 * `details`; tests assert the code, never the message text.
 */
export class AstroError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AstroError';
    this.code = code;
    this.details = details;
  }
}

/** Where in an input something was found (1-based line and column). */
export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly key?: string;
}

/** One rejected record or problem found while parsing. */
export interface ParseIssue extends SourceLocation {
  readonly code: string;
  readonly message: string;
  /** What the parser expected to find. */
  readonly expected?: string;
  /** What it read instead (trimmed to a readable length). */
  readonly found?: string;
}

/** Result of a parser: all good records plus warnings, or the issues that prevented any result. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly ParseIssue[] }
  | { readonly ok: false; readonly issues: readonly ParseIssue[] };

/** Formats an issue as `file:line:column: [code] message (expected X, found Y)`. */
export function formatIssue(issue: ParseIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((p) => p !== undefined).join(':');
  const key = issue.key === undefined ? '' : ` key ${issue.key}:`;
  const exp = issue.expected === undefined ? '' : ` expected ${issue.expected}`;
  const found = issue.found === undefined ? '' : `${exp ? ',' : ''} found ${JSON.stringify(issue.found)}`;
  const tail = exp || found ? ` (${exp.trim()}${found})` : '';
  return `${where ? `${where}: ` : ''}[${issue.code}]${key} ${issue.message}${tail}`;
}
