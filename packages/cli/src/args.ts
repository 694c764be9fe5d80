/**
 * Argument parsing shared by every command: node:util's parseArgs, strict, plus the conventions
 * the CLI promises (README "Command-line conventions"):
 * - `--help`/`-h` anywhere before `--` prints the command's usage on stdout and exits 0, whatever
 *   else is on the line;
 * - an unknown option, a missing value, an unexpected positional or a single-valued option given
 *   twice is a usage error (code USAGE, exit 2) that names the option;
 * - a negative number is read as an option's value (`--days -1`), so that the range check can
 *   name the option, instead of being taken for an option itself;
 * - `-` alone is a value (standard input or output) wherever a file is;
 * - numbers are checked against their range with the option's name in the message, and
 *   `--workers` is bounded by the machine's available parallelism.
 */
import { availableParallelism } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, CliExit } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A value that starts with a dash but is a number: taken as the preceding option's value. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|inf)/i;

function usageError(command: string, message: string): CliError {
  return new CliError('USAGE', `${command}: ${message} (see '${command} --help')`);
}

/** Edit distance, for "did you mean" on unknown options. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

function suggestion(name: string, options: Options): string {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const known of Object.keys(options)) {
    const dd = distance(name, known);
    if (dd < bestD) {
      bestD = dd;
      best = known;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3))
    ? `; did you mean --${best}?`
    : '';
}

/**
 * parseArgs with the CLI's conventions (see the header). `command` is how the user called it
 * (`hoshimi catalog list`), `usage` the text printed for `--help`. Throws CliError('USAGE') on a
 * bad line and CliExit(0) after printing the help.
 */
export function parseCliArgs<T extends ParseArgsConfig & { options: Options }>(
  command: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const options = config.options;
  const raw = [...(config.args ?? [])];
  const end = raw.indexOf('--');
  const head = end < 0 ? raw : raw.slice(0, end);
  if (head.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(usage);
    throw new CliExit(0);
  }
  const shortNames = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short !== undefined) shortNames.set(o.short, name);

  // Checks option names and values ourselves, so that every message names the option.
  const args: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!;
    if (end >= 0 && i >= end) {
      args.push(a);
      continue;
    }
    if (a === '-' || !a.startsWith('-') || NEGATIVE_NUMBER.test(a)) {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--')
      ? a.slice(2, eq < 0 ? undefined : eq)
      : (shortNames.get(a.slice(1, 2)) ?? `-${a.slice(1)}`);
    const spec = options[name];
    if (spec === undefined) {
      throw usageError(
        command,
        `unknown option ${a.startsWith('--') ? `--${name}` : a}${suggestion(name, options)}`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq >= 0)
        throw usageError(command, `--${name} takes no value, got ${JSON.stringify(a.slice(eq + 1))}`);
      args.push(a);
      continue;
    }
    if (eq >= 0) {
      args.push(a);
      continue;
    }
    const value = raw[i + 1];
    if (
      value === undefined ||
      (end >= 0 && i + 1 >= end) ||
      (value.startsWith('-') && value !== '-' && !NEGATIVE_NUMBER.test(value))
    ) {
      throw usageError(
        command,
        `--${name} needs a value${value === undefined || value === '--' ? '' : ` (for one that starts with a dash, write --${name}=${value})`}`,
      );
    }
    args.push(`--${name}=${value}`);
    i++;
  }

  let parsed: {
    values: unknown;
    positionals: string[];
    tokens?: { kind: string; name?: string; value?: string | undefined }[];
  };
  try {
    parsed = parseArgs({ ...config, args, tokens: true, strict: true }) as typeof parsed;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      const positional = /Unexpected argument '(.*)'/.exec((e as Error).message);
      throw usageError(
        command,
        positional !== null
          ? `unexpected argument ${JSON.stringify(positional[1])} (this command takes no FILE arguments)`
          : (e as Error).message.split('\n')[0]!,
      );
    }
    throw e;
  }
  const seen = new Map<string, string[]>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || t.name === undefined || options[t.name]?.multiple === true) continue;
    const list = seen.get(t.name) ?? [];
    list.push(t.value ?? 'true');
    seen.set(t.name, list);
  }
  for (const [name, list] of seen) {
    if (list.length > 1) {
      throw usageError(
        command,
        `--${name} given ${list.length} times (${list.map((v) => JSON.stringify(v)).join(', ')}); it takes one value`,
      );
    }
  }
  const { tokens: _tokens, ...result } = parsed;
  return result as unknown as ReturnType<typeof parseArgs<T>>;
}

export interface NumberRange {
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  /** Largest allowed value, inclusive. */
  readonly max?: number;
  readonly integer?: boolean;
}

function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a number';
  const lo = r.min === undefined ? undefined : `${r.exclusiveMin ? '>' : '≥'} ${r.min}`;
  const hi = r.max === undefined ? undefined : `≤ ${r.max}`;
  const bounds = [lo, hi].filter((x) => x !== undefined).join(' and ');
  return bounds === '' ? kind : `${kind} ${bounds}`;
}

/**
 * A numeric option's value, checked against its range; the error names the option (`flag`). An
 * absent option (`text` undefined) gives `fallback`.
 */
export function numberArg(
  text: string | undefined,
  flag: string,
  range: NumberRange,
  fallback: number,
): number;
export function numberArg(text: string | undefined, flag: string, range: NumberRange): number | undefined;
export function numberArg(
  text: string | undefined,
  flag: string,
  range: NumberRange,
  fallback?: number,
): number | undefined {
  if (text === undefined) return fallback;
  const v = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(v) &&
    (range.integer !== true || Number.isInteger(v)) &&
    (range.min === undefined || (range.exclusiveMin === true ? v > range.min : v >= range.min)) &&
    (range.max === undefined || v <= range.max);
  if (!ok) {
    throw new CliError('USAGE', `${flag}: expected ${describeRange(range)}, got ${JSON.stringify(text)}`);
  }
  return v;
}

/**
 * `--workers N`: an integer from 1 to the machine's available parallelism (default: all of it).
 * More threads than cores only adds contention; a larger N is lowered to the bound with a warning.
 */
export function workersArg(text: string | undefined, warn: (line: string) => void): number {
  const cores = availableParallelism();
  const n = numberArg(text, '--workers', { min: 1, integer: true }, cores);
  if (n > cores) {
    warn(
      `--workers ${n}: this machine offers ${cores} parallel threads (availableParallelism); using ${cores}`,
    );
    return cores;
  }
  return n;
}
