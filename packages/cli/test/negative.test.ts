/**
 * Bad input and faults, over the whole CLI: every case runs the real `hoshimi` as a child process
 * and checks its exit code, a stable error code or message fragment, that no stack trace reaches
 * the user and that no partial or stray file is left behind. The suite is a table: a new command
 * joins by adding rows (and, if it needs one, a fixture to `Fixture`).
 *
 * Permission cases run the child as the unprivileged `nobody` user (via setpriv), because root
 * ignores file modes; they are skipped where that is impossible (not root, or no setpriv).
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
const SPOT5 = join(DATA, 'history/orekit/spot-5.tle');
/** HST vs DELTA 2 R/B(1), a CARA test CDM. */
const HST_CDM = join(
  DATA,
  'pc-cases/cara/PcTestCaseCDMs/000020580_conj_000022015_20210315_212955_20210313_065123.cdm',
);

/** The observation commands' fixtures: the shipped sensor file, LAGEOS-2 normal points, a TDM of a station no file has. */
const OD_SENSORS = resolve(import.meta.dirname, '../../astro/data/sensors.json');
const LAGEOS2_NPT = join(DATA, 'od/lageos2/lageos2_20160214.npt');
const NOWHERE_TDM = [
  'CCSDS_TDM_VERS = 2.0',
  'CREATION_DATE = 2023-10-09T00:00:00',
  'ORIGINATOR = TEST',
  'META_START',
  'TIME_SYSTEM = UTC',
  'PARTICIPANT_1 = NOWHERE',
  'PARTICIPANT_2 = 118',
  'MODE = SEQUENTIAL',
  'PATH = 1,2,1',
  'RANGE_UNITS = km',
  'META_STOP',
  'DATA_START',
  'RANGE = 2023-10-09T00:20:00 2000.0',
  'RANGE = 2023-10-09T00:20:10 1990.0',
  'DATA_STOP',
  '',
].join('\n');

const catalogLines = gunzipSync(readFileSync(CATALOG_2023)).toString('utf8').split('\n');
/** The first 1,000 objects of the 2023 catalog: a few conjunctions in a fraction of a day. */
const SUBSET_1000 = `${catalogLines.slice(0, 3000).join('\n')}\n`;
/** Ten objects: enough for every argument check, quick to screen and propagate. */
const SUBSET_10 = `${catalogLines.slice(0, 30).join('\n')}\n`;
/** The first object of the subsets (catalog number 5, Vanguard 1). */
const FIRST_ID = String(Number(catalogLines[1]!.slice(2, 7)));

const CAN_DROP_PRIVILEGES =
  process.getuid?.() === 0 && spawnSync('setpriv', ['--version'], { encoding: 'utf8' }).status === 0;
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** A fresh folder per case with the files cases refer to. Paths are absolute. */
interface Fixture {
  readonly dir: string;
  /** Ten objects (3LE). */
  readonly small: string;
  /** A thousand objects (3LE). */
  readonly subset: string;
  /** A regular file, used where a folder is expected. */
  readonly file: string;
  /** A folder owned by root and closed to others (for the `nobody` cases). */
  readonly closed: string;
  /** A catalog database path (created only by cases that ask for it with `db: true`). */
  readonly db: string;
}

interface Case {
  readonly name: string;
  readonly args: (f: Fixture) => string[];
  /** Text for standard input. */
  readonly stdin?: (f: Fixture) => string;
  readonly exit: number;
  /** Stable error code expected on stderr, as `[CODE]`. */
  readonly code?: string;
  /** Message fragments expected on stderr (or stdout for help). */
  readonly stderr?: readonly (string | RegExp)[];
  readonly stdout?: readonly (string | RegExp)[];
  /** Fragments that must not appear on stderr (internal names instead of options). */
  readonly notStderr?: readonly (string | RegExp)[];
  /** Run the child as `nobody`. */
  readonly unprivileged?: boolean;
  /** Import SPOT-5's history and the ten objects into `db` first. */
  readonly db?: boolean;
  /** The store (`db`) must hold exactly what it held before the run (every table, every row). */
  readonly storeUnchanged?: boolean;
  /** Extra files the case may leave (relative to `dir`); anything else new is a leftover. */
  readonly creates?: readonly string[];
  /** Extra checks on the folder after the run. */
  readonly after?: (f: Fixture) => void;
  readonly setup?: (f: Fixture) => void;
}

function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-neg-'));
  chmodSync(dir, 0o755);
  const small = join(dir, 'small.3le');
  writeFileSync(small, SUBSET_10);
  const subset = join(dir, 'subset.3le');
  writeFileSync(subset, SUBSET_1000);
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder\n');
  const closed = join(dir, 'closed');
  mkdirSync(closed, { mode: 0o755 });
  for (const p of [small, subset, file]) chmodSync(p, 0o644);
  return { dir, small, subset, file, closed, db: join(dir, 'catalog.db') };
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function run(
  args: readonly string[],
  options: { stdin?: string; cwd?: string; unprivileged?: boolean } = {},
) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOSHIMI_REFERENCE_DATA: DATA };
  delete env['HOSHIMI_DB'];
  delete env['HOSHIMI_DEBUG'];
  const r: SpawnSyncReturns<string> = options.unprivileged
    ? spawnSync('setpriv', [...NOBODY, process.execPath, BIN, ...args], {
        encoding: 'utf8',
        input: options.stdin ?? '',
        cwd: options.cwd,
        env,
        maxBuffer: 64 * 1024 * 1024,
      })
    : spawnSync(process.execPath, [BIN, ...args], {
        encoding: 'utf8',
        input: options.stdin ?? '',
        cwd: options.cwd,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A stack frame line as Node prints them. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const PARTIAL = /\.(partial|old)-\d+/;

const HELP: readonly string[][] = [
  ['--help'],
  ['propagate', '--help'],
  ['screen', '--help'],
  ['pc', '--help'],
  ['cdm', '--help'],
  ['cdm', 'convert', '--help'],
  ['catalog', '--help'],
  ['catalog', 'import', '--help'],
  ['catalog', 'list', '--help'],
  ['catalog', 'show', '--help'],
  ['catalog', 'history', '--help'],
  ['catalog', 'diff', '--help'],
  ['catalog', 'export', '--help'],
  ['catalog', 'sync', '--help'],
  ['catalog', 'log', '--help'],
  ['catalog', 'list', '-h'],
  ['data', '--help'],
  ['data', 'status', '--help'],
  ['data', 'update', '--help'],
  ['data', 'status', '--bogus', '--help'],
  ['breakup', '--help'],
  ['breakup', 'simulate', '--help'],
  ['breakup', 'risk', '--help'],
  // Help wins over whatever else is on the line.
  ['screen', '--days', '-1', '--bogus', '--help'],
  ['catalog', 'show', '--help', '99999'],
];

const CASES: readonly Case[] = [
  ...HELP.map(
    (args): Case => ({
      name: `help: hoshimi ${args.join(' ')}`,
      args: () => [...args],
      exit: 0,
      stdout: [/^Usage: hoshimi/],
    }),
  ),

  // Unknown options: named, with the command's help pointed to, exit 2.
  {
    name: 'unknown option (propagate)',
    args: (f) => ['propagate', '--elements', f.small, '--frame-out', 'GCRF'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --frame-out', "'hoshimi propagate --help'"],
  },
  {
    name: 'unknown option with a suggestion (screen)',
    args: (f) => ['screen', '--elements', f.small, '--dayz', '1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --dayz', 'did you mean --days?'],
  },
  {
    name: 'unknown option (pc)',
    args: () => ['pc', '--cdm', HST_CDM, '--hbr', '10'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --hbr', 'did you mean --hbr-m?'],
  },
  {
    name: 'unknown option (cdm convert)',
    args: (f) => ['cdm', 'convert', HST_CDM, '--to', 'xml', '--output', join(f.dir, 'x.xml')],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --output'],
  },
  {
    name: 'unknown option (catalog list) creates no database',
    args: (f) => ['catalog', 'list', '--db', f.db, '--kind', 'debris'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --kind', "'hoshimi catalog list --help'"],
  },
  {
    name: 'unknown option (catalog sync)',
    args: (f) => ['catalog', 'sync', '--db', f.db, '--from', 'celestrak', '--groups', 'active'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --groups', 'did you mean --group?'],
  },
  {
    name: 'a boolean option given a value',
    args: (f) => ['catalog', 'list', '--db', f.db, '--json=yes'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--json takes no value'],
  },
  {
    name: 'an option without its value',
    args: () => ['propagate', '--elements'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--elements needs a value'],
  },
  {
    name: 'an option followed by another option instead of its value',
    args: (f) => ['screen', '--out', '--elements', f.small],
    exit: 2,
    code: 'USAGE',
    stderr: ['--out needs a value'],
  },

  // Negative numbers reach the range check, which names the option.
  {
    name: 'negative --days',
    args: (f) => ['screen', '--elements', f.small, '--days', '-1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--days: expected a positive number, got -1'],
  },
  {
    name: 'negative --threshold-km',
    args: (f) => ['screen', '--elements', f.small, '--threshold-km', '-5'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--threshold-km: expected a positive number, got -5'],
  },
  {
    name: 'negative --step',
    args: (f) => [
      'propagate',
      '--elements',
      f.small,
      '--from',
      '2023-10-09T00:00:00Z',
      '--to',
      '2023-10-09T01:00:00Z',
      '--step',
      '-60',
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--step: must be positive'],
  },
  {
    name: 'negative --hbr-m',
    args: () => ['pc', '--cdm', HST_CDM, '--hbr-m', '-1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--hbr-m: expected a positive number, got -1'],
  },
  {
    name: 'negative --limit',
    args: (f) => ['catalog', 'log', '--db', f.db, '--limit', '-3'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--limit: expected a positive integer, got -3'],
  },

  // Out of range: the option, never the library's field name.
  {
    name: '--days beyond the screening limit names --days',
    args: (f) => ['screen', '--elements', f.small, '--days', '1000', '--workers', '1'],
    exit: 2,
    stderr: ['--days', '366'],
    notStderr: ['durationDays'],
  },
  {
    name: '--threshold-km beyond the screening limit names --threshold-km',
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--threshold-km',
      '5000',
      '--days',
      '0.01',
      '--workers',
      '1',
    ],
    exit: 2,
    stderr: ['--threshold-km', '1000'],
    notStderr: ['thresholdKm'],
  },

  {
    name: '--ellipsoid beyond the screening limit names --ellipsoid',
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--ellipsoid',
      '1,2,5000',
      '--days',
      '0.01',
      '--workers',
      '1',
    ],
    exit: 2,
    stderr: ['--ellipsoid (C)', '1000'],
    notStderr: ['crossTrackKm'],
  },
  {
    name: '--minutes with too many samples names --minutes',
    args: (f) => ['propagate', '--elements', f.small, '--minutes', '0:1e12:1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--minutes'],
  },
  {
    name: 'negative --cdm-max-miss-km',
    args: (f) => ['screen', '--elements', f.small, '--cdm-max-miss-km', '-1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--cdm-max-miss-km: expected a positive number, got -1'],
  },
  {
    name: 'zero --stale-days',
    args: (f) => ['catalog', 'list', '--db', f.db, '--stale-days', '0'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--stale-days'],
  },

  // hoshimi data follows the same rules (no download is attempted: the line is refused first).
  {
    name: 'unknown option with a suggestion (data update)',
    args: () => ['data', 'update', '--timout', '1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown option --timout', 'did you mean --timeout?'],
  },
  {
    name: 'repeated --timeout (data update)',
    args: () => ['data', 'update', '--timeout', '1', '--timeout', '2'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--timeout given 2 times'],
  },
  {
    name: 'negative --timeout (data update)',
    args: () => ['data', 'update', '--timeout', '-1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--timeout: expected a positive number of seconds, got -1'],
  },

  // Repeated single-valued options.
  {
    name: 'repeated --days',
    args: (f) => ['screen', '--elements', f.small, '--days', '1', '--days', '2'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--days given 2 times'],
  },
  {
    name: 'repeated --out',
    args: (f) => [
      'propagate',
      '--elements',
      f.small,
      '--out',
      join(f.dir, 'a.csv'),
      '--out',
      join(f.dir, 'b.csv'),
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--out given 2 times'],
  },
  {
    name: 'repeated --cdm',
    args: () => ['pc', '--cdm', HST_CDM, '--cdm', HST_CDM],
    exit: 2,
    code: 'USAGE',
    stderr: ['--cdm given 2 times'],
  },

  // --workers: a positive integer, bounded by the machine.
  {
    name: '--workers 0',
    args: (f) => ['screen', '--elements', f.small, '--workers', '0'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--workers: expected an integer ≥ 1, got "0"'],
  },
  {
    name: '--workers 1.5',
    args: (f) => ['propagate', '--elements', f.small, '--workers', '1.5'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--workers: expected an integer ≥ 1, got "1.5"'],
  },
  {
    name: '--workers above the machine is lowered, and says so',
    args: (f) => ['propagate', '--elements', f.small, '--minutes', '0:10:10', '--workers', '100000'],
    exit: 0,
    stderr: ['--workers 100000', 'availableParallelism'],
  },

  // IDs that match nothing.
  {
    name: '--primaries ID not in the element file',
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--primaries',
      '99999',
      '--days',
      '0.01',
      '--workers',
      '1',
    ],
    exit: 2,
    code: 'PRIMARY_NOT_FOUND',
    stderr: ['99999', 'small.3le'],
  },
  {
    name: '--primaries ID not in the catalog',
    db: true,
    args: (f) => [
      'screen',
      '--db',
      f.db,
      '--as-of',
      '2023-10-09T12:00:00Z',
      '--primaries',
      '99999',
      '--days',
      '0.01',
      '--workers',
      '1',
    ],
    exit: 2,
    code: 'PRIMARY_NOT_FOUND',
    stderr: ['99999 is not in the catalog'],
  },
  {
    name: '--primaries ID in the catalog without an element set by --as-of',
    db: true,
    args: (f) => [
      'screen',
      '--db',
      f.db,
      '--as-of',
      '2010-01-01T00:00:00Z',
      '--primaries',
      FIRST_ID,
      '--days',
      '0.01',
      '--workers',
      '1',
    ],
    exit: 2,
    code: 'PRIMARY_NOT_FOUND',
    stderr: [`${FIRST_ID} is in the catalog but has no element set by --as-of`],
    notStderr: ['not in the catalog'],
  },
  {
    name: 'catalog show of an unknown ID',
    db: true,
    args: (f) => ['catalog', 'show', '99999', '--db', f.db],
    exit: 1,
    stderr: ['object 99999 is not in the catalog'],
  },

  // Standard input wherever a file is read.
  {
    name: 'propagate --elements - reads standard input',
    args: () => ['propagate', '--elements', '-', '--minutes', '0:0:1'],
    stdin: () => SUBSET_10,
    exit: 0,
    stdout: [/^id,/, new RegExp(`^${FIRST_ID},0,`, 'm')],
  },
  {
    name: 'pc --cdm - reads standard input',
    args: () => ['pc', '--cdm', '-', '--json'],
    stdin: () => readFileSync(HST_CDM, 'utf8'),
    exit: 0,
    stdout: ['"pc"'],
  },
  {
    name: 'cdm convert - reads standard input',
    args: () => ['cdm', 'convert', '-', '--to', 'xml'],
    stdin: () => readFileSync(HST_CDM, 'utf8'),
    exit: 0,
    stdout: ['<cdm'],
  },
  {
    name: 'catalog import - reads standard input',
    args: (f) => ['catalog', 'import', '-', '--db', f.db],
    stdin: () => SUBSET_10,
    exit: 0,
    stderr: ['10 element sets read, 10 stored'],
    creates: ['catalog.db', 'catalog.db-shm', 'catalog.db-wal'],
  },

  // Output paths: one line, exit 2, before any work, nothing left behind.
  {
    name: '--out into a missing folder (propagate)',
    args: (f) => ['propagate', '--elements', f.small, '--out', join(f.dir, 'missing/eph.csv')],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['missing does not exist'],
  },
  {
    name: '--events into a missing folder (maneuvers)',
    args: (f) => ['maneuvers', '--elements', SPOT5, '--events', join(f.dir, 'missing/ev.json')],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['missing does not exist'],
  },
  {
    name: '--events onto a folder (rpo)',
    args: (f) => ['rpo', '--elements', f.small, '--events', f.dir],
    exit: 2,
    code: 'OUTPUT_IS_FOLDER',
  },
  {
    name: 'rpo --satcat naming a file that is not a SATCAT (nothing written)',
    setup: (f) => writeFileSync(join(f.dir, 'not-satcat.json'), '[{"A": 1}]'),
    args: (f) => [
      'rpo',
      '--elements',
      f.small,
      '--satcat',
      join(f.dir, 'not-satcat.json'),
      '--out',
      join(f.dir, 'rpo.txt'),
    ],
    exit: 2,
    code: 'SATCAT_INVALID',
    stderr: ['not-satcat.json: not a SATCAT'],
  },
  {
    name: 'rpo --pair with one catalog number (the plot is not written)',
    args: (f) => ['rpo', '--elements', f.small, '--plot', join(f.dir, 'pair.svg'), '--pair', FIRST_ID],
    exit: 2,
    code: 'USAGE',
    stderr: ['--pair: expected two different catalog numbers'],
  },
  {
    name: 'rpo --pair naming an object not in the input (the plot is not written)',
    args: (f) => [
      'rpo',
      '--elements',
      f.small,
      '--plot',
      join(f.dir, 'pair.svg'),
      '--pair',
      `${FIRST_ID},999999`,
    ],
    exit: 2,
    code: 'RPO_PAIR_UNKNOWN',
    stderr: ['object 999999 is not in the input'],
  },
  {
    name: 'serve --port out of range (no database created)',
    args: (f) => ['serve', '--db', join(f.dir, 'never.db'), '--port', '70000'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--port: expected an integer 0..65535'],
  },
  {
    name: 'serve --log-level unknown (no database created)',
    args: (f) => ['serve', '--db', join(f.dir, 'never.db'), '--log-level', 'verbose'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got verbose'],
  },
  {
    name: 'serve --quiet with --log-level',
    args: (f) => ['serve', '--db', join(f.dir, 'never.db'), '--quiet', '--log-level', 'debug'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--quiet and --log-level: give one'],
  },
  {
    name: 'serve --shutdown-grace negative',
    args: (f) => ['serve', '--db', join(f.dir, 'never.db'), '--shutdown-grace', '-1'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--shutdown-grace: expected seconds 0..86400'],
  },
  {
    name: 'serve --metrics-host without --metrics-port',
    args: (f) => ['serve', '--db', join(f.dir, 'never.db'), '--metrics-host', '0.0.0.0'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--metrics-host needs --metrics-port'],
  },
  {
    name: '--out onto a folder (propagate)',
    args: (f) => ['propagate', '--elements', f.small, '--out', f.dir],
    exit: 2,
    code: 'OUTPUT_IS_FOLDER',
    stderr: ['is a folder'],
  },
  {
    name: '--out naming a folder by its trailing slash (propagate)',
    args: (f) => ['propagate', '--elements', f.small, '--out', `${join(f.dir, 'new')}/`],
    exit: 2,
    code: 'OUTPUT_IS_FOLDER',
  },
  {
    name: '--out under a file (propagate)',
    args: (f) => ['propagate', '--elements', f.small, '--out', join(f.file, 'eph.csv')],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['a-file is not a folder'],
  },
  {
    name: '--out into a missing folder (screen), before the screening',
    args: (f) => [
      'screen',
      '--elements',
      f.subset,
      '--days',
      '0.3',
      '--workers',
      '1',
      '--out',
      join(f.dir, 'missing/r.csv'),
    ],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    notStderr: [/^screen: /m],
  },
  {
    name: '--out onto a folder (cdm convert)',
    args: (f) => ['cdm', 'convert', HST_CDM, '--to', 'xml', '--out', f.dir],
    exit: 2,
    code: 'OUTPUT_IS_FOLDER',
  },
  {
    name: '--out into a missing folder (catalog export)',
    db: true,
    args: (f) => [
      'catalog',
      'export',
      '--db',
      f.db,
      '--format',
      'tle',
      '--out',
      join(f.dir, 'missing/x.tle'),
    ],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
  },
  {
    name: '--cdm-dir onto a file',
    args: (f) => ['screen', '--elements', f.small, '--days', '0.01', '--workers', '1', '--cdm-dir', f.file],
    exit: 2,
    code: 'OUTPUT_NOT_FOLDER',
    stderr: ['is a file, not a folder'],
    after: (f) => expect(readFileSync(f.file, 'utf8')).toBe('not a folder\n'),
  },
  {
    name: '--cdm-dir in a missing folder',
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--days',
      '0.01',
      '--workers',
      '1',
      '--cdm-dir',
      join(f.dir, 'a/b/cdm'),
    ],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
  },
  {
    name: '--cdm-dir holding files that are not Hoshimi CDMs',
    setup: (f) => {
      mkdirSync(join(f.dir, 'mine'));
      writeFileSync(join(f.dir, 'mine/notes.txt'), 'keep me\n');
    },
    args: (f) => [
      'screen',
      '--elements',
      f.subset,
      '--days',
      '0.3',
      '--workers',
      '1',
      '--cdm-dir',
      join(f.dir, 'mine'),
    ],
    exit: 2,
    code: 'OUTPUT_FOLDER_NOT_EMPTY',
    stderr: ['notes.txt'],
    creates: ['mine', 'mine/notes.txt'],
    after: (f) => {
      expect(readdirSync(join(f.dir, 'mine'))).toEqual(['notes.txt']);
      expect(readFileSync(join(f.dir, 'mine/notes.txt'), 'utf8')).toBe('keep me\n');
    },
  },
  {
    name: '--out without permission',
    unprivileged: true,
    args: (f) => ['propagate', '--elements', f.small, '--out', join(f.closed, 'eph.csv')],
    exit: 2,
    code: 'OUTPUT_DENIED',
    stderr: ['permission denied'],
  },
  {
    name: '--cdm-dir without permission',
    unprivileged: true,
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--days',
      '0.01',
      '--workers',
      '1',
      '--cdm-dir',
      join(f.closed, 'cdm'),
    ],
    exit: 2,
    code: 'OUTPUT_DENIED',
    stderr: ['permission denied'],
  },
  {
    name: 'an earlier --out file survives a run that fails',
    setup: (f) => writeFileSync(join(f.dir, 'old.csv'), 'earlier run\n'),
    args: (f) => [
      'screen',
      '--elements',
      f.small,
      '--primaries',
      '99999',
      '--days',
      '0.01',
      '--out',
      join(f.dir, 'old.csv'),
    ],
    exit: 2,
    code: 'PRIMARY_NOT_FOUND',
    creates: ['old.csv'],
    after: (f) => expect(readFileSync(join(f.dir, 'old.csv'), 'utf8')).toBe('earlier run\n'),
  },

  // Observation and orbit-determination commands (sensors, passes, observe, od, correlate).
  ...[
    ['sensors', '--help'],
    ['sensors', 'list', '--help'],
    ['passes', '--help'],
    ['observe', '--help'],
    ['observe', 'simulate', '--help'],
    ['od', '--help'],
    ['correlate', '--help'],
  ].map(
    (args): Case => ({
      name: `help: hoshimi ${args.join(' ')}`,
      args: () => [...args],
      exit: 0,
      stdout: [/^Usage: hoshimi/],
    }),
  ),
  {
    name: 'sensors: unknown subcommand',
    args: () => ['sensors', 'show'],
    exit: 2,
    code: 'USAGE',
    stderr: ['unknown subcommand "show"'],
  },
  {
    name: 'sensors list: a sensor file with a value out of range names file, line and key',
    setup: (f) =>
      writeFileSync(
        join(f.dir, 'bad.json'),
        '[\n  {"name": "X", "lat_deg": 95, "lon_deg": 0, "alt_m": 0}\n]\n',
      ),
    args: (f) => ['sensors', 'list', '--sensors', join(f.dir, 'bad.json')],
    exit: 2,
    code: 'SENSORS_INVALID',
    stderr: [/bad\.json:2/, 'lat_deg', '95'],
    creates: ['bad.json'],
  },
  {
    name: 'sensors list: a missing sensor file',
    args: (f) => ['sensors', 'list', '--sensors', join(f.dir, 'none.json')],
    exit: 2,
    code: 'INPUT_UNREADABLE',
    stderr: ['none.json'],
  },
  {
    name: 'passes: an unknown sensor lists the file’s sensors',
    args: (f) => [
      'passes',
      '--sensor',
      'NOPE',
      '--elements',
      f.small,
      '--from',
      '2023-10-09T00:00:00Z',
      '--to',
      '2023-10-09T01:00:00Z',
    ],
    exit: 2,
    code: 'SENSOR_NOT_FOUND',
    stderr: ['--sensor NOPE', 'KSGC-RADAR'],
  },
  {
    name: 'passes: --to before --from',
    args: (f) => [
      'passes',
      '--sensor',
      'KSGC-RADAR',
      '--elements',
      f.small,
      '--from',
      '2023-10-09T01:00:00Z',
      '--to',
      '2023-10-09T00:00:00Z',
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--to must be after --from'],
  },
  {
    name: 'passes: a catalog number not in the element file',
    args: (f) => [
      'passes',
      '--sensor',
      'KSGC-RADAR',
      '--elements',
      f.small,
      '--objects',
      '99999',
      '--from',
      '2023-10-09T00:00:00Z',
      '--to',
      '2023-10-09T01:00:00Z',
    ],
    exit: 2,
    code: 'OBJECT_NOT_FOUND',
    stderr: ['--objects: 99999'],
  },
  {
    name: 'observe simulate: --hours 0',
    args: (f) => [
      'observe',
      'simulate',
      '--sensors',
      OD_SENSORS,
      '--elements',
      f.small,
      '--from',
      '2023-10-09T00:00:00Z',
      '--hours',
      '0',
      '--out',
      join(f.dir, 'x.tdm'),
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--hours: expected a number > 0'],
  },
  {
    name: 'observe simulate: --out into a missing folder, before any work',
    args: (f) => [
      'observe',
      'simulate',
      '--sensors',
      OD_SENSORS,
      '--elements',
      f.small,
      '--from',
      '2023-10-09T00:00:00Z',
      '--hours',
      '1',
      '--out',
      join(f.dir, 'missing', 'x.tdm'),
    ],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['--out'],
  },
  {
    name: 'od: --stations missing',
    args: () => ['od', '--obs', LAGEOS2_NPT],
    exit: 2,
    code: 'USAGE',
    stderr: ['--stations FILE is required'],
  },
  {
    name: 'od: --frame TEME',
    args: () => ['od', '--obs', LAGEOS2_NPT, '--stations', OD_SENSORS, '--frame', 'TEME'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--frame: expected GCRF or EME2000'],
  },
  {
    name: 'od: an unknown --estimate',
    args: () => ['od', '--obs', LAGEOS2_NPT, '--stations', OD_SENSORS, '--estimate', 'cd,mass'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--estimate', '"mass"'],
  },
  {
    name: 'od: an element file given as --obs is neither TDM nor CRD',
    args: (f) => ['od', '--obs', f.small, '--stations', OD_SENSORS],
    exit: 2,
    code: 'OBS_FORMAT',
    stderr: [/small\.3le:1: not a CCSDS TDM/],
  },
  {
    name: 'od: a TDM with an unknown data keyword is refused with line and key',
    args: () => [
      'od',
      '--obs',
      join(DATA, 'ccsds/orekit/tdm/kvn/TDM-data-wrong-keyword.txt'),
      '--stations',
      OD_SENSORS,
    ],
    exit: 2,
    code: 'TDM_INVALID',
    stderr: [/TDM-data-wrong-keyword\.txt:26/, 'WRONG_KEYWORD'],
  },
  {
    name: 'od: a corrupted CRD is refused with line and field',
    args: () => ['od', '--obs', join(DATA, 'od/ilrs/crd_corrupted_data.v2C'), '--stations', OD_SENSORS],
    exit: 2,
    code: 'CRD_INVALID',
    stderr: [/crd_corrupted_data\.v2C:19/, 'time of flight'],
  },
  {
    name: 'od: a station the stations file does not have',
    setup: (f) => writeFileSync(join(f.dir, 'nowhere.tdm'), NOWHERE_TDM),
    args: (f) => ['od', '--obs', join(f.dir, 'nowhere.tdm'), '--stations', OD_SENSORS],
    exit: 2,
    code: 'OD_UNKNOWN_STATION',
    stderr: [/nowhere\.tdm:13/, 'station NOWHERE'],
    creates: ['nowhere.tdm'],
  },
  {
    name: 'od: a TDM station without the sigma of its kind',
    setup: (f) => {
      writeFileSync(join(f.dir, 'nowhere.tdm'), NOWHERE_TDM);
      writeFileSync(
        join(f.dir, 'st.json'),
        '[{"name": "NOWHERE", "lat_deg": 35, "lon_deg": 135, "alt_m": 0}]\n',
      );
    },
    args: (f) => ['od', '--obs', join(f.dir, 'nowhere.tdm'), '--stations', join(f.dir, 'st.json')],
    exit: 2,
    code: 'OD_NO_SIGMA',
    stderr: ['range_sigma_m', 'NOWHERE'],
    creates: ['nowhere.tdm', 'st.json'],
  },
  {
    name: 'od: --out into a missing folder, before any work',
    args: (f) => [
      'od',
      '--obs',
      LAGEOS2_NPT,
      '--stations',
      OD_SENSORS,
      '--out',
      join(f.dir, 'missing', 'x.opm'),
    ],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['--out'],
  },
  {
    name: 'passes: --as-of without --db',
    args: (f) => [
      'passes',
      '--sensor',
      'KSGC-RADAR',
      '--elements',
      f.small,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--to',
      '2023-10-09T01:00:00Z',
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--as-of goes with --db'],
  },
  {
    name: 'correlate: both --db and --elements',
    args: (f) => ['correlate', '--obs', LAGEOS2_NPT, '--db', f.db, '--elements', f.small],
    exit: 2,
    code: 'USAGE',
    stderr: ['exactly one of --db PATH or --elements FILE'],
  },
  // Identity, audit, exchange, case and store settings: a bad value names its option or file, exits
  // non-zero, and writes nothing (no new database, no changed row).
  {
    name: 'org add with a nation that is not a trigraph (no database created)',
    args: (f) => ['org', 'add', 'JASDF', '--nation', 'JP', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--nation: nation "JP" is not an ISO 3166 trigraph'],
  },
  {
    name: 'org add without --nation',
    args: (f) => ['org', 'add', 'JASDF', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--nation: required'],
  },
  {
    name: 'org add without CODE',
    args: (f) => ['org', 'add', '--nation', 'JPN', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['expected one organisation CODE'],
  },
  {
    name: 'org add with a bad CODE (no database created)',
    args: (f) => ['org', 'add', 'bad code', '--nation', 'JPN', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['CODE: organisation "bad code"'],
  },
  {
    name: 'org add --max-clearance that is not a level (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['org', 'add', 'JASDF', '--nation', 'JPN', '--max-clearance', 'TOP', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--max-clearance: classification "TOP" is not one of'],
    notStderr: ['maxClearance'],
  },
  {
    name: 'org add of an organisation that exists (store unchanged)',
    db: true,
    setup: (f) => addOrg(f),
    storeUnchanged: true,
    args: (f) => ['org', 'add', 'JASDF', '--nation', 'USA', '--db', f.db],
    exit: 2,
    code: 'CONFLICT',
    stderr: ['organisation JASDF exists'],
  },
  {
    name: 'user add to an unknown organisation (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => [
      'user',
      'add',
      'alice',
      '--org',
      'NOPE',
      '--role',
      'analyst',
      '--clearance',
      'SECRET',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'NOT_FOUND',
    stderr: ['no organisation NOPE'],
  },
  {
    name: 'user add with an unknown --role (store unchanged)',
    db: true,
    setup: (f) => addOrg(f),
    storeUnchanged: true,
    args: (f) => [
      'user',
      'add',
      'alice',
      '--org',
      'JASDF',
      '--role',
      'king',
      '--clearance',
      'SECRET',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--role: "king" is not viewer, analyst, operator or admin'],
    notStderr: ['roles:'],
  },
  {
    name: "user add with a --clearance above the organisation's ceiling (store unchanged)",
    db: true,
    setup: (f) => addOrg(f),
    storeUnchanged: true,
    args: (f) => [
      'user',
      'add',
      'alice',
      '--org',
      'JASDF',
      '--role',
      'analyst',
      '--clearance',
      'SECRET',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ["--clearance: SECRET is above JASDF's ceiling CONFIDENTIAL"],
  },
  {
    name: 'user add without --clearance',
    db: true,
    storeUnchanged: true,
    args: (f) => ['user', 'add', 'alice', '--org', 'JASDF', '--role', 'analyst', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--clearance: required'],
  },
  {
    name: 'user add --password-env naming an unset variable (store unchanged)',
    db: true,
    setup: (f) => addOrg(f),
    storeUnchanged: true,
    args: (f) => [
      'user',
      'add',
      'alice',
      '--org',
      'JASDF',
      '--role',
      'analyst',
      '--clearance',
      'RESTRICTED',
      '--password-env',
      'HOSHIMI_NEG_UNSET',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--password-env: environment variable HOSHIMI_NEG_UNSET is not set'],
  },
  {
    name: 'user add with a short password on standard input (store unchanged)',
    db: true,
    setup: (f) => addOrg(f),
    storeUnchanged: true,
    stdin: () => 'short\n',
    args: (f) => [
      'user',
      'add',
      'alice',
      '--org',
      'JASDF',
      '--role',
      'analyst',
      '--clearance',
      'RESTRICTED',
      '--password-stdin',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['password: expected 12 to 1024 characters'],
  },
  {
    name: 'user password of an unknown user (store unchanged)',
    db: true,
    storeUnchanged: true,
    stdin: () => 'a long enough password\n',
    args: (f) => ['user', 'password', 'nobody', '--password-stdin', '--db', f.db],
    exit: 2,
    code: 'NOT_FOUND',
    stderr: ['no user nobody'],
  },
  {
    name: 'user disable of an unknown user (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['user', 'disable', 'nobody', '--db', f.db],
    exit: 2,
    code: 'NOT_FOUND',
    stderr: ['no user nobody'],
  },
  {
    name: 'user list of a missing database (none created)',
    args: (f) => ['user', 'list', '--db', f.db],
    exit: 2,
    code: 'STORE_NOT_FOUND',
    stderr: [/catalog database .*catalog\.db does not exist/],
  },
  {
    name: 'token create without --user',
    db: true,
    storeUnchanged: true,
    args: (f) => ['token', 'create', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--user: required'],
  },
  {
    name: 'token create with negative --days',
    db: true,
    storeUnchanged: true,
    args: (f) => ['token', 'create', '--user', 'bob', '--days', '-1', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--days: expected a positive number, got -1'],
  },
  {
    name: 'token create with an unknown scope (store unchanged)',
    db: true,
    setup: (f) => addOrg(f, true),
    storeUnchanged: true,
    args: (f) => ['token', 'create', '--user', 'bob', '--scopes', 'read,fly', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--scopes: "fly" is not read, write or admin'],
  },
  {
    name: 'token create for an unknown user (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['token', 'create', '--user', 'nobody', '--db', f.db],
    exit: 2,
    code: 'NOT_FOUND',
    stderr: ['no user nobody'],
  },
  {
    name: 'token revoke of a token ID that is not a number',
    db: true,
    storeUnchanged: true,
    args: (f) => ['token', 'revoke', 'abc', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['token ID: expected a positive integer, got abc'],
  },
  {
    name: 'token revoke of an unknown token (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['token', 'revoke', '999', '--db', f.db],
    exit: 2,
    code: 'NOT_FOUND',
    stderr: ['no token 999'],
  },
  {
    name: 'audit verify --file of a missing file',
    args: (f) => ['audit', 'verify', '--file', join(f.dir, 'missing.jsonl')],
    exit: 2,
    code: 'INPUT_UNREADABLE',
    stderr: ['missing.jsonl'],
  },
  {
    name: 'audit verify --file of a file that is not an audit export',
    args: (f) => ['audit', 'verify', '--file', f.small],
    exit: 1,
    stdout: ['audit log BROKEN at record 0 (malformed)'],
  },
  {
    name: 'audit verify --head that is not SEQ:HASH',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'verify', '--db', f.db, '--head', '5:zz'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--head: expected SEQ:HASH'],
  },
  {
    name: 'audit verify --checkpoint of a missing file',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'verify', '--db', f.db, '--checkpoint', join(f.dir, 'missing.cp')],
    exit: 2,
    code: 'INPUT_UNREADABLE',
    stderr: ['checkpoint file', 'missing.cp'],
  },
  {
    name: 'audit export without --out',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'export', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['audit export needs --out FILE'],
  },
  {
    name: 'audit export --out into a missing folder',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'export', '--db', f.db, '--out', join(f.dir, 'no', 'log.jsonl')],
    exit: 2,
    code: 'OUTPUT_NO_FOLDER',
    stderr: ['--out', 'does not exist'],
  },
  {
    name: 'audit export --from 0',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'export', '--db', f.db, '--out', join(f.dir, 'log.jsonl'), '--from', '0'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--from: expected an integer ≥ 1'],
  },
  {
    name: 'audit list --limit 0',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'list', '--db', f.db, '--limit', '0'],
    exit: 2,
    code: 'USAGE',
    stderr: ['--limit: expected an integer ≥ 1'],
  },
  {
    name: 'audit checkpoint --key of a missing file (nothing written)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['audit', 'checkpoint', '--db', f.db, '--key', join(f.dir, 'missing.pem')],
    exit: 2,
    code: 'INPUT_UNREADABLE',
    stderr: ['missing.pem'],
  },
  {
    name: 'exchange keygen with a nation that is not a trigraph (no database created)',
    args: (f) => ['exchange', 'keygen', '--org', 'JASDF', '--nation', 'JP', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--nation: nation "JP" is not an ISO 3166 trigraph'],
  },
  {
    name: 'exchange keygen without --org on a new node (no database created)',
    args: (f) => ['exchange', 'keygen', '--nation', 'JPN', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--org and --nation are needed the first time'],
  },
  {
    name: 'exchange partner add --max-classification that is not a level',
    db: true,
    storeUnchanged: true,
    args: (f) => [
      'exchange',
      'partner',
      'add',
      'USSPACECOM',
      '--nation',
      'USA',
      '--max-classification',
      'ULTRA',
      '--public-key',
      f.small,
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--max-classification: classification "ULTRA" is not one of'],
  },
  {
    name: 'exchange partner add --public-key of a missing file',
    db: true,
    storeUnchanged: true,
    args: (f) => [
      'exchange',
      'partner',
      'add',
      'USSPACECOM',
      '--nation',
      'USA',
      '--max-classification',
      'SECRET',
      '--public-key',
      join(f.dir, 'missing.pem'),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--public-key: cannot read', 'missing.pem: no such file'],
  },
  {
    name: 'exchange partner add --public-key of a file that is not a key',
    db: true,
    storeUnchanged: true,
    args: (f) => [
      'exchange',
      'partner',
      'add',
      'USSPACECOM',
      '--nation',
      'USA',
      '--max-classification',
      'SECRET',
      '--public-key',
      f.small,
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--public-key: not an Ed25519 public key'],
    notStderr: ['DECODER'],
  },
  {
    name: 'exchange partner add with no TLS pin',
    db: true,
    storeUnchanged: true,
    setup: (f) => ed25519Keys(f),
    args: (f) => [
      'exchange',
      'partner',
      'add',
      'USSPACECOM',
      '--nation',
      'USA',
      '--max-classification',
      'SECRET',
      '--public-key',
      join(f.dir, 'ed-public.pem'),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ["pin the partner's TLS certificate: --tls-ca FILE and/or --tls-fingerprint HEX"],
  },
  {
    name: 'exchange partner add --url that is not https',
    db: true,
    storeUnchanged: true,
    setup: (f) => ed25519Keys(f),
    args: (f) => [
      'exchange',
      'partner',
      'add',
      'USSPACECOM',
      '--nation',
      'USA',
      '--max-classification',
      'SECRET',
      '--public-key',
      join(f.dir, 'ed-public.pem'),
      '--url',
      'ftp://127.0.0.1:1',
      '--tls-fingerprint',
      '00'.repeat(32),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--url: expected https://HOST:PORT, got ftp://127.0.0.1:1'],
  },
  {
    name: 'exchange sync --tls-cert of a missing file',
    db: true,
    storeUnchanged: true,
    args: (f) => [
      'exchange',
      'sync',
      '--partner',
      'USSPACECOM',
      '--tls-cert',
      join(f.dir, 'missing.pem'),
      '--tls-key',
      join(f.dir, 'missing.key'),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--tls-cert: cannot read', 'missing.pem: no such file'],
  },
  {
    name: 'exchange sync with --pull-only and --push-only',
    args: (f) => [
      'exchange',
      'sync',
      '--partner',
      'USSPACECOM',
      '--tls-cert',
      f.small,
      '--tls-key',
      f.small,
      '--pull-only',
      '--push-only',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--pull-only and --push-only exclude each other'],
  },
  {
    name: 'case list without --org and --nation',
    args: (f) => ['case', 'list', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--org and --nation (or $HOSHIMI_ORG, $HOSHIMI_NATION) are required'],
  },
  {
    name: 'case list --nation that is not a trigraph',
    args: (f) => ['case', 'list', '--org', 'LOCAL', '--nation', 'JP', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--nation: nation "JP"'],
  },
  {
    name: 'case list --clearance that is not a level',
    args: (f) => ['case', 'list', ...READER, '--clearance', 'ULTRA', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--clearance: classification "ULTRA"'],
  },
  {
    name: 'case list --state that is not a state',
    args: (f) => ['case', 'list', ...READER, '--state', 'open', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--state: draft, shared or closed'],
  },
  {
    name: 'case open of an unknown event (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['case', 'open', ...READER, '--event', '999999', '--db', f.db],
    exit: 1,
    code: 'NOT_FOUND',
    stderr: ['no event 999999'],
  },
  {
    name: 'case open --conjunction that is not SCREENING-N',
    db: true,
    storeUnchanged: true,
    args: (f) => ['case', 'open', ...READER, '--conjunction', 'abc', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--conjunction: expected SCREENING-N'],
  },
  {
    name: 'case open with both --event and --conjunction',
    db: true,
    storeUnchanged: true,
    args: (f) => ['case', 'open', ...READER, '--event', '1', '--conjunction', '1-1', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['case open needs exactly one of --event ID and --conjunction SCREENING-N'],
  },
  {
    name: 'case open --marking that is not a banner',
    db: true,
    storeUnchanged: true,
    args: (f) => ['case', 'open', ...READER, '--event', '1', '--marking', 'BOGUS//X', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--marking: marking "BOGUS//X"'],
  },
  {
    name: 'case show ID that is not a number',
    db: true,
    args: (f) => ['case', 'show', 'abc', ...READER, '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['ID: expected an integer ≥ 1, got "abc"'],
  },
  {
    name: 'case export --key of a missing file (nothing written)',
    db: true,
    args: (f) => [
      'case',
      'export',
      '1',
      ...READER,
      '--key',
      join(f.dir, 'missing.pem'),
      '--out',
      join(f.dir, 'case.json'),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--key: cannot read', 'missing.pem: no such file'],
  },
  {
    name: 'case export --key of a public key (nothing written)',
    db: true,
    setup: (f) => ed25519Keys(f),
    args: (f) => [
      'case',
      'export',
      '1',
      ...READER,
      '--key',
      join(f.dir, 'ed-public.pem'),
      '--out',
      join(f.dir, 'case.json'),
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--key:', 'ed-public.pem does not hold a PEM private key'],
  },
  {
    name: 'case export --lang that is not en or ja',
    db: true,
    setup: (f) => ed25519Keys(f),
    args: (f) => [
      'case',
      'export',
      '1',
      ...READER,
      '--key',
      join(f.dir, 'ed-private.pem'),
      '--lang',
      'fr',
      '--db',
      f.db,
    ],
    exit: 2,
    code: 'USAGE',
    stderr: ['--lang: en or ja, got "fr"'],
  },
  {
    name: 'case verify of a missing bundle',
    setup: (f) => ed25519Keys(f),
    args: (f) => ['case', 'verify', join(f.dir, 'missing.json'), '--key', join(f.dir, 'ed-public.pem')],
    exit: 2,
    code: 'USAGE',
    stderr: ['BUNDLE: cannot read', 'missing.json: no such file'],
  },
  {
    name: 'case verify of a bundle that is not JSON',
    setup: (f) => ed25519Keys(f),
    args: (f) => ['case', 'verify', f.small, '--key', join(f.dir, 'ed-public.pem')],
    exit: 1,
    code: 'CASE_BUNDLE_INVALID',
    stderr: ['small.3le: not JSON'],
  },
  {
    name: 'store settings --levels listing a level twice (no database created)',
    args: (f) => ['store', 'settings', '--levels', 'A,A', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--levels: classification level A is listed twice'],
  },
  {
    name: 'store settings --organisation that is not a code (no database created)',
    args: (f) => ['store', 'settings', '--organisation', 'bad org', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['--organisation: organisation "BAD ORG"'],
  },
  {
    name: 'store settings --levels without a level stored records carry (store unchanged)',
    db: true,
    storeUnchanged: true,
    args: (f) => ['store', 'settings', '--levels', 'RESTRICTED,SECRET', '--db', f.db],
    exit: 2,
    code: 'STORE_SCHEME_IN_USE',
    stderr: ['--levels: records in element_sets are marked UNCLASSIFIED'],
  },
  {
    name: 'store settings with an argument',
    args: (f) => ['store', 'settings', 'extra', '--db', f.db],
    exit: 2,
    code: 'USAGE',
    stderr: ['store settings takes no arguments, got extra'],
  },
];

/** The outcomes of the store's audit records, oldest first. */
function auditOutcomes(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT outcome FROM audit_log ORDER BY seq').all() as { outcome: string }[];
    return rows.map((r) => r.outcome);
  } finally {
    db.close();
  }
}

/** The reader options of the case commands. */
const READER = ['--org', 'LOCAL', '--nation', 'USA'];

/** Adds organisation JASDF (JPN, up to CONFIDENTIAL) and, with `user`, its analyst bob, to `db`. */
function addOrg(f: Fixture, user = false): void {
  const org = run([
    'org',
    'add',
    'JASDF',
    '--nation',
    'JPN',
    '--max-clearance',
    'CONFIDENTIAL',
    '--db',
    f.db,
  ]);
  expect(org.status, org.stderr).toBe(0);
  if (!user) return;
  const u = run([
    'user',
    'add',
    'bob',
    '--org',
    'JASDF',
    '--role',
    'analyst',
    '--clearance',
    'RESTRICTED',
    '--db',
    f.db,
  ]);
  expect(u.status, u.stderr).toBe(0);
}

/** An Ed25519 key pair in the case folder: ed-private.pem, ed-public.pem. */
function ed25519Keys(f: Fixture): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(f.dir, 'ed-private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(f.dir, 'ed-public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
}

/**
 * Every row of every table of the store but the audit log, as one text (the WAL included: read
 * through SQLite). The audit log records refused changes too: see auditOutcomes.
 */
function storeContents(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'audit_log' ORDER BY name")
      .all() as { name: string }[];
    return tables
      .map(
        (t) =>
          `${t.name}\n${JSON.stringify(db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).raw().all())}`,
      )
      .join('\n');
  } finally {
    db.close();
  }
}

function importFixtures(f: Fixture): void {
  for (const file of [SPOT5, f.small]) {
    const r = run(['catalog', 'import', file, '--db', f.db]);
    expect(r.status, r.stderr).toBe(0);
  }
}

function check(c: Case): void {
  const f = fixture();
  if (c.db) importFixtures(f);
  c.setup?.(f);
  const before = listTree(f.dir);
  const storeBefore = c.storeUnchanged === true ? storeContents(f.db) : null;
  const auditBefore = c.storeUnchanged === true ? auditOutcomes(f.db).length : 0;
  const r = run(c.args(f), {
    cwd: f.dir,
    unprivileged: c.unprivileged === true,
    ...(c.stdin === undefined ? {} : { stdin: c.stdin(f) }),
  });
  const context = `hoshimi ${c.args(f).join(' ')}\nexit ${r.status}\nstderr: ${r.stderr}`;
  expect(r.status, context).toBe(c.exit);
  expect(r.stderr, context).not.toMatch(STACK);
  expect(r.stderr, context).not.toContain('internal error');
  // An error is one line that starts with the program's name and the error's code.
  if (c.code !== undefined) expect(r.stderr, context).toMatch(new RegExp(`^hoshimi: \\[${c.code}\\] `, 'm'));
  for (const s of c.stderr ?? []) {
    if (typeof s === 'string') expect(r.stderr, context).toContain(s);
    else expect(r.stderr, context).toMatch(s);
  }
  for (const s of c.notStderr ?? []) {
    if (typeof s === 'string') expect(r.stderr, context).not.toContain(s);
    else expect(r.stderr, context).not.toMatch(s);
  }
  for (const s of c.stdout ?? []) {
    if (typeof s === 'string') expect(r.stdout, context).toContain(s);
    else expect(r.stdout, context).toMatch(s);
  }
  // Nothing new but what the case declares: no partial files, no database nobody asked for.
  const after = listTree(f.dir);
  const allowed = new Set([...before, ...(c.creates ?? [])]);
  expect(
    after.filter((p) => !allowed.has(p)),
    context,
  ).toEqual([]);
  expect(
    after.filter((p) => PARTIAL.test(p)),
    context,
  ).toEqual([]);
  if (storeBefore !== null) {
    expect(storeContents(f.db), context).toBe(storeBefore);
    // What the audit log gained (if anything) records the attempt as refused, never as a change.
    expect(
      auditOutcomes(f.db)
        .slice(auditBefore)
        .filter((o) => o === 'allowed'),
      context,
    ).toEqual([]);
  }
  c.after?.(f);
}

describe('hoshimi: bad input and faults (negative suite)', () => {
  for (const c of CASES) {
    it.skipIf(c.unprivileged === true && !CAN_DROP_PRIVILEGES)(c.name, () => check(c), 60_000);
  }
});

/** Runs `hoshimi screen` with a report and CDMs; returns the run and the CDM file names. */
function screenRun(f: Fixture, out: string, cdmDir: string, extra: readonly string[]) {
  const r = run([
    'screen',
    '--elements',
    f.subset,
    '--from',
    '2023-10-09T00:00:00Z',
    '--workers',
    '1',
    '--out',
    out,
    '--cdm-dir',
    cdmDir,
    ...extra,
  ]);
  return { ...r, cdms: existsSync(cdmDir) ? readdirSync(cdmDir).sort() : [] };
}

function reportIds(csv: string): string[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 3).join('_'));
}

describe('hoshimi: outputs of a run go together', () => {
  it('a re-run replaces the CDM folder: the new CDMs only, matching the new report', () => {
    const f = fixture();
    const out = join(f.dir, 'report.csv');
    const cdmDir = join(f.dir, 'cdm');
    const first = screenRun(f, out, cdmDir, ['--days', '0.3']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.cdms.length).toBeGreaterThan(2);
    const second = screenRun(f, out, cdmDir, ['--days', '0.3', '--threshold-km', '1']);
    expect(second.status, second.stderr).toBe(0);
    const rows = reportIds(readFileSync(out, 'utf8'));
    // The second run finds fewer events: none of the first run's extra CDMs may remain.
    expect(rows.length).toBeLessThan(first.cdms.length);
    expect(second.cdms).toHaveLength(rows.length);
    expect(second.stderr).toContain(`${rows.length} CDMs written to ${cdmDir}`);
    expect(listTree(f.dir).filter((p) => PARTIAL.test(p))).toEqual([]);
  }, 120_000);

  it('a report and its CDMs are kept or rolled back with the stored screening', () => {
    const f = fixture();
    const imported = run(['catalog', 'import', f.subset, '--db', f.db]);
    expect(imported.status, imported.stderr).toBe(0);
    const out = join(f.dir, 'report.csv');
    const cdmDir = join(f.dir, 'cdm');
    const args = (days: string) => [
      'screen',
      '--db',
      f.db,
      '--as-of',
      '2023-10-10T00:00:00Z',
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      days,
      '--workers',
      '1',
      '--out',
      out,
      '--cdm-dir',
      cdmDir,
    ];
    const first = run(args('0.3'));
    expect(first.status, first.stderr).toBe(0);
    const report = readFileSync(out, 'utf8');
    const cdms = readdirSync(cdmDir).sort();
    expect(cdms.length).toBeGreaterThan(0);
    const cdmText = readFileSync(join(cdmDir, cdms[0]!), 'utf8');
    // The database now refuses to store a screening: the next run's files must not stay either.
    const db = new Database(f.db);
    db.exec(`CREATE TRIGGER refuse_screenings BEFORE INSERT ON screenings
      BEGIN SELECT RAISE(ABORT, 'screenings refused by the test'); END`);
    const stored = (db.prepare('SELECT count(*) AS n FROM screenings').get() as { n: number }).n;
    db.close();
    const second = run(args('0.2'));
    expect(second.status, second.stderr).not.toBe(0);
    expect(second.stderr).toContain('screenings refused by the test');
    expect(second.stderr).not.toMatch(STACK);
    expect(readFileSync(out, 'utf8')).toBe(report);
    expect(readdirSync(cdmDir).sort()).toEqual(cdms);
    expect(readFileSync(join(cdmDir, cdms[0]!), 'utf8')).toBe(cdmText);
    expect(listTree(f.dir).filter((p) => PARTIAL.test(p))).toEqual([]);
    const check = new Database(f.db, { readonly: true });
    expect((check.prepare('SELECT count(*) AS n FROM screenings').get() as { n: number }).n).toBe(stored);
    check.close();
  }, 120_000);
});

/**
 * Starts a long run, waits until the staged output exists and has data (or the child ends) and
 * sends it a signal; resolves with the exit status and stderr. A run that never stages anything
 * (the behaviour being tested is missing) is killed after GIVE_UP_MS so that no child outlives
 * the test; with staged outputs the signal goes out within the first second.
 */
function interrupt(
  args: readonly string[],
  dir: string,
  signal: NodeJS.Signals,
  ready: () => boolean,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; sentSignal: boolean }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    let exited = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const giveUp = setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS);
    const poll = () => {
      if (exited) return;
      if (ready()) {
        sent = true;
        child.kill(signal);
        return;
      }
      setTimeout(poll, 20);
    };
    child.on('close', (status, sig) => {
      exited = true;
      clearTimeout(giveUp);
      resolvePromise({ status, signal: sig, stderr, sentSignal: sent });
    });
    poll();
  });
}

/** How long a run may go without staging its outputs before it is killed (a failure, not a wait). */
const GIVE_UP_MS = 60_000;

function stagedWithData(dir: string): boolean {
  return readdirSync(dir).some((n) => {
    if (!PARTIAL.test(n)) return false;
    const st = statSync(join(dir, n));
    return st.isDirectory() || st.size > 0;
  });
}

describe('hoshimi: an interrupted run removes its partial outputs', () => {
  const full = join(mkdtempSync(join(tmpdir(), 'hoshimi-neg-full-')), 'full.3le');
  writeFileSync(full, catalogLines.join('\n'));

  it('SIGTERM during propagate --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-neg-int-'));
    const r = await interrupt(
      [
        'propagate',
        '--elements',
        full,
        '--minutes',
        '0:1440:1',
        '--workers',
        '1',
        '--out',
        join(dir, 'eph.csv'),
      ],
      dir,
      'SIGTERM',
      () => stagedWithData(dir),
    );
    expect(r.sentSignal, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(128 + 15);
    expect(r.stderr).toContain('interrupted (SIGTERM)');
    expect(r.stderr).toContain(`removed partial output ${join(dir, 'eph.csv')}`);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);

  it('SIGINT during screen --out --cdm-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-neg-int-'));
    const r = await interrupt(
      [
        'screen',
        '--elements',
        full,
        '--from',
        '2023-10-09T00:00:00Z',
        '--days',
        '7',
        '--workers',
        '2',
        '--out',
        join(dir, 'r.csv'),
        '--cdm-dir',
        join(dir, 'cdm'),
      ],
      dir,
      'SIGINT',
      () => readdirSync(dir).filter((n) => PARTIAL.test(n)).length >= 2,
    );
    expect(r.sentSignal, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(128 + 2);
    expect(r.stderr).toContain('interrupted (SIGINT)');
    expect(r.stderr).toContain('removed partial output');
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});
