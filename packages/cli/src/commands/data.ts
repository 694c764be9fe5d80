/**
 * `hoshimi data status|update`: the time and Earth-orientation tables Hoshimi reads, and fresh
 * copies of them. `update` downloads each file into the user data directory (see ../data.ts),
 * checks the content with the same readers that will load it, refuses a file older than the one
 * installed, and replaces the old file atomically (temporary file in the same folder, then rename):
 * a failed or interrupted download leaves the installed file as it was.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type CelestrakTableKind,
  formatIssue,
  formatUtcIso,
  type ParseIssue,
  parseFinalsEop,
  parseLeapSeconds,
  summarizeCelestrakCsv,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { referenceDataDir, userDataDir } from '../data.js';
import { CliError } from '../errors.js';
import { readTextInput } from '../io.js';

/** Largest download accepted, bytes (finals2000A.all is about 3.5 MB, SW-All.csv about 2.5 MB). */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
/** Default time limit of one download, s. */
const DEFAULT_TIMEOUT_S = 60;

type SourceName = 'leap-seconds' | 'finals' | 'celestrak-eop' | 'space-weather';

/** What a table holds, as a sortable freshness and a one-line description. */
interface TableFacts {
  /** Larger is newer: expiry or last-row date, ms since 1970. */
  readonly freshness: number;
  readonly lines: readonly string[];
  /** Set when the table no longer covers today (past its expiry or last row). */
  readonly stale?: string;
}

interface DataSource {
  readonly name: SourceName;
  /** File name in the user data directory. */
  readonly file: string;
  /** Path under the reference data folder, when the reference data has this table. */
  readonly reference: string | undefined;
  readonly defaultUrl: string;
  readonly describe: string;
  /** Reads the content; throws CliError `DATA_INVALID` naming file and line when it is not the table. */
  readonly facts: (text: string, file: string, now: number) => TableFacts;
}

function mjdDate(mjd: number): string {
  return formatUtcIso({ jd: Math.floor(mjd) + 2400000.5, jdFrac: 0 }, 0).slice(0, 10);
}

function mjdMs(mjd: number): number {
  return (mjd - 40587) * 86_400_000;
}

function invalid(issues: readonly ParseIssue[]): CliError {
  return new CliError('DATA_INVALID', issues.slice(0, 3).map(formatIssue).join('; '));
}

/**
 * Reader warnings that mean a damaged file (a line cut by a truncated download, a page of text in
 * the middle) rather than the known quirks of the published files (rows without values at the end
 * of finals2000A, comment lines): a download with one of these is refused.
 */
const DAMAGE_CODES: ReadonlySet<string> = new Set([
  'EOP_BAD_LINE',
  'LEAP_SECONDS_BAD_LINE',
  'LEAP_SECONDS_IGNORED_LINE',
  'LEAP_SECONDS_BAD_EXPIRY',
]);

function refuseDamage(warnings: readonly ParseIssue[]): void {
  const damage = warnings.filter((w) => DAMAGE_CODES.has(w.code));
  if (damage.length > 0) throw invalid(damage);
}

const SOURCES: readonly DataSource[] = [
  {
    name: 'leap-seconds',
    file: 'Leap_Second.dat',
    reference: 'earth/Leap_Second.dat',
    defaultUrl: 'https://hpiers.obspm.fr/iers/bul/bulc/Leap_Second.dat',
    describe: 'IERS Leap_Second.dat (TAI − UTC, with its expiry date)',
    facts: (text, file, now) => {
      const r = parseLeapSeconds(text, { file });
      if (!r.ok) throw invalid(r.issues);
      refuseDamage(r.warnings);
      const t = r.value;
      if (!t.expiryStated) {
        throw new CliError('DATA_INVALID', `${file}: no "File expires on" line: not an IERS Leap_Second.dat`);
      }
      const last = t.entries[t.entries.length - 1]!;
      const expires = mjdMs(t.expiresMjd);
      return {
        freshness: expires,
        lines: [
          `span ${mjdDate(t.firstMjd)} .. expiry ${mjdDate(t.expiresMjd)}; ${t.entries.length} entries, last change ${mjdDate(last.mjd)} (TAI − UTC = ${last.offsetS} s)`,
        ],
        ...(now >= expires
          ? { stale: `expired on ${mjdDate(t.expiresMjd)}: the last offset is held (with a warning)` }
          : {}),
      };
    },
  },
  {
    name: 'finals',
    file: 'finals2000A.all',
    reference: 'earth/finals2000A.all.gz',
    defaultUrl: 'https://datacenter.iers.org/products/eop/rapid/standard/finals2000A.all',
    describe: 'IERS finals2000A.all (EOP: polar motion, UT1 − UTC, dX/dY; final, rapid and predicted)',
    facts: (text, file, now) => {
      const r = parseFinalsEop(text, { file });
      if (!r.ok) throw invalid(r.issues);
      refuseDamage(r.warnings);
      const t = r.value;
      const end = mjdMs(t.lastMjd);
      return {
        freshness: end,
        lines: [
          `span ${mjdDate(t.firstMjd)} .. ${mjdDate(t.lastMjd)}; ${t.size} daily rows`,
          `observed to ${mjdDate(t.lastFinalMjd)}, predicted ${mjdDate(t.lastFinalMjd + 1)} .. ${mjdDate(t.lastMjd)}`,
        ],
        ...(now > end
          ? { stale: `ends ${mjdDate(t.lastMjd)}: later times hold its last row (with a warning)` }
          : {}),
      };
    },
  },
  {
    name: 'celestrak-eop',
    file: 'EOP-All.csv',
    reference: undefined,
    defaultUrl: 'https://celestrak.org/SpaceData/EOP-All.csv',
    describe: 'CelesTrak EOP-All.csv (EOP with TAI − UTC, observed and predicted)',
    facts: (text, file, now) => celestrakFacts(text, file, now, 'eop'),
  },
  {
    name: 'space-weather',
    file: 'SW-All.csv',
    reference: 'earth/SW-All_1998-2026.csv.gz',
    defaultUrl: 'https://celestrak.org/SpaceData/SW-All.csv',
    describe: 'CelesTrak SW-All.csv (Kp, Ap, F10.7, observed and predicted)',
    facts: (text, file, now) => celestrakFacts(text, file, now, 'space-weather'),
  },
];

function celestrakFacts(text: string, file: string, now: number, kind: CelestrakTableKind): TableFacts {
  const r = summarizeCelestrakCsv(text, kind, { file });
  if (!r.ok) throw invalid(r.issues);
  const s = r.value;
  const end = Date.parse(`${s.lastDate}T00:00:00Z`);
  return {
    freshness: end,
    lines: [
      `span ${s.firstDate} .. ${s.lastDate}; ${s.rows} rows`,
      s.lastObservedDate === undefined
        ? 'every row predicted'
        : s.lastObservedDate === s.lastDate
          ? `observed to ${s.lastDate}, no prediction`
          : `observed to ${s.lastObservedDate}, predicted after it to ${s.lastDate}`,
    ],
    ...(now > end ? { stale: `ends ${s.lastDate}` } : {}),
  };
}

export const DATA_USAGE = `Usage: hoshimi data <status|update> [options]

The tables Hoshimi reads for time and Earth orientation, and fresh copies of them.

  status    for each table: the file in use, its span, expiry (leap seconds), the observed and
            predicted range (EOP, space weather), and whether it still covers today
  update    downloads fresh files into the user data directory, checks each download with the
            reader that will load it, refuses one older than the installed file, and replaces
            the installed file atomically (a failed download leaves it as it was)

Where files are read from, first found wins: --leap-seconds/--eop flags of a command, then the
user data directory ($HOSHIMI_DATA_DIR, else $XDG_DATA_HOME/hoshimi, else ~/.local/share/hoshimi),
then the reference data ($HOSHIMI_REFERENCE_DATA/earth).

Options of update:
  --only NAME[,NAME…]         ${SOURCES.map((s) => s.name).join(', ')} (default: all)
${SOURCES.map((s) => `${`  --${s.name}-url URL`.padEnd(30)}default ${s.defaultUrl}`).join('\n')}
  --timeout SECONDS           per download (default ${DEFAULT_TIMEOUT_S})
  --force                     install a download even when it is older than the installed file
Exit status: 0 when every download was installed, 1 when any failed (the others are kept).
`;

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${DATA_USAGE}`);
}

export async function dataCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(DATA_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'status') return statusCommand(rest);
  if (sub === 'update') return updateCommand(rest);
  throw usage(`unknown data subcommand ${JSON.stringify(sub)}`);
}

/** The file a table is read from by default, and where it lives. */
function installed(source: DataSource): { path: string; where: 'user data' | 'reference data' } | undefined {
  const user = join(userDataDir(), source.file);
  if (existsSync(user)) return { path: user, where: 'user data' };
  if (source.reference === undefined) return undefined;
  const ref = join(referenceDataDir(), source.reference);
  return existsSync(ref) ? { path: ref, where: 'reference data' } : undefined;
}

function statusCommand(argv: readonly string[]): number {
  parseCliArgs('hoshimi data status', DATA_USAGE, {
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  const now = Date.now();
  const out: string[] = [
    `user data directory: ${userDataDir()}`,
    `reference data: ${referenceDataDir()}`,
    '',
  ];
  for (const s of SOURCES) {
    const at = installed(s);
    out.push(`${s.name}: ${s.describe}`);
    if (at === undefined) {
      out.push(`  not installed ('hoshimi data update --only ${s.name}' fetches it)`, '');
      continue;
    }
    const modified = new Date(statSync(at.path).mtimeMs).toISOString().slice(0, 19);
    out.push(`  file ${at.path} (${at.where}, modified ${modified}Z)`);
    try {
      const f = s.facts(readTextInput(at.path), at.path, now);
      for (const l of f.lines) out.push(`  ${l}`);
      out.push(f.stale === undefined ? '  covers today' : `  STALE: ${f.stale}`);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      out.push(`  UNREADABLE: [${e.code}] ${e.message}`);
    }
    out.push('');
  }
  process.stdout.write(`${out.join('\n')}`);
  return 0;
}

async function updateCommand(argv: readonly string[]): Promise<number> {
  const urlOptions = Object.fromEntries(SOURCES.map((s) => [`${s.name}-url`, { type: 'string' as const }]));
  const { values } = parseCliArgs('hoshimi data update', DATA_USAGE, {
    args: [...argv],
    options: {
      only: { type: 'string' },
      timeout: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...urlOptions,
    },
    strict: true,
    allowPositionals: false,
  });
  const v = values as Record<string, string | boolean | undefined>;
  let chosen = SOURCES;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((n) => n.trim());
    for (const n of names) {
      if (!SOURCES.some((s) => s.name === n))
        throw usage(
          `--only: unknown table ${JSON.stringify(n)} (expected ${SOURCES.map((s) => s.name).join(', ')})`,
        );
    }
    chosen = SOURCES.filter((s) => names.includes(s.name));
  }
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!(timeoutS > 0) || !Number.isFinite(timeoutS))
    throw usage(`--timeout: expected a positive number of seconds, got ${values.timeout}`);
  const dir = userDataDir();
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError('DATA_DIR', `cannot create the user data directory ${dir}: ${(e as Error).message}`);
  }
  let failures = 0;
  for (const s of chosen) {
    const url = (v[`${s.name}-url`] as string | undefined) ?? s.defaultUrl;
    try {
      const line = await updateOne(s, url, dir, timeoutS, values.force === true);
      process.stdout.write(`${s.name}: ${line}\n`);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      failures++;
      process.stderr.write(`${s.name}: not updated: [${e.code}] ${e.message}\n`);
    }
  }
  if (failures > 0) process.stderr.write(`data update: ${failures} of ${chosen.length} tables not updated\n`);
  return failures > 0 ? 1 : 0;
}

async function download(url: string, timeoutS: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutS * 1000), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new CliError('DATA_DOWNLOAD', `cannot download ${url}: ${why} (offline?)`);
  }
  if (!res.ok) throw new CliError('DATA_DOWNLOAD', `${url}: HTTP ${res.status} ${res.statusText}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_DOWNLOAD_BYTES)
    throw new CliError('DATA_DOWNLOAD', `${url}: ${length} bytes is more than ${MAX_DOWNLOAD_BYTES}`);
  let raw = Buffer.from(await res.arrayBuffer());
  if (raw.length > MAX_DOWNLOAD_BYTES)
    throw new CliError('DATA_DOWNLOAD', `${url}: ${raw.length} bytes is more than ${MAX_DOWNLOAD_BYTES}`);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (e) {
      throw new CliError('DATA_INVALID', `${url}: gzip data is corrupt: ${(e as Error).message}`);
    }
  }
  if (raw.includes(0))
    throw new CliError('DATA_INVALID', `${url}: binary data where a text table was expected`);
  return raw;
}

async function updateOne(
  s: DataSource,
  url: string,
  dir: string,
  timeoutS: number,
  force: boolean,
): Promise<string> {
  const raw = await download(url, timeoutS);
  const now = Date.now();
  const facts = s.facts(raw.toString('utf8'), url, now);
  const dest = join(dir, s.file);
  if (existsSync(dest) && !force) {
    let old: TableFacts | undefined;
    try {
      old = s.facts(readTextInput(dest), dest, now);
    } catch {
      old = undefined; // an unreadable installed file is replaced
    }
    if (old !== undefined && facts.freshness < old.freshness) {
      throw new CliError(
        'DATA_OLDER',
        `${url} is older than the installed ${dest} (${facts.lines[0]} versus ${old.lines[0]}); --force installs it anyway`,
      );
    }
  }
  const temp = `${dest}.download-${process.pid}`;
  try {
    writeFileSync(temp, raw);
    renameSync(temp, dest);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new CliError('DATA_WRITE', `cannot write ${dest}: ${(e as Error).message}`);
  }
  return `installed ${dest} from ${url}: ${facts.lines.join('; ')}${facts.stale === undefined ? '' : ` (STALE: ${facts.stale})`}`;
}
