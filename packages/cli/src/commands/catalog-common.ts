/**
 * What the `hoshimi catalog` subcommands share: the usage text, the common options, the database
 * path rule, opening the store for reading or writing, and the printing of an import report.
 * `catalog.ts` and `catalog-sync.ts` both import it (and not each other).
 *
 * Reading subcommands (list, show, history, diff, export, log) open the database read-only and
 * never create it: a missing file is StoreError `STORE_NOT_FOUND`, naming the path; a
 * write-protected file or folder can be queried. Import and sync create it when missing. A
 * `postgres://` URL opens the PostgreSQL store instead (store-location.ts).
 */
import { formatIssue, formatMarking, type Marking, parseMarking } from '@hoshimi/astro';
import type { CatalogStore, IngestReport, SqliteOpenMode } from '@hoshimi/store';
import { CliError } from '../errors.js';
import { requireSqliteStore, withCatalogStore } from '../store-location.js';

export const CATALOG_USAGE = `Usage: hoshimi catalog <subcommand> [options]

Subcommands:
  import FILE... [--source NAME] [--label TEXT] [--marking BANNER] [--originator ORG] [--data-mode MODE]
                                                  import element sets (TLE/3LE/OMM/GP, gzip too) or
                                                  SATCAT metadata (Space-Track or CelesTrak SATCAT,
                                                  JSON or CSV); the format is read from the content
  list [--type TYPE] [--owner CODE] [--name TEXT] [--as-of ISO] [--json]
  show ID [--as-of ISO] [--json]                  one object, its SATCAT data, latest element set, quality
  history ID [--json]                             every element set of one object
  diff --from ISO --to ISO [--json]               objects that appeared or disappeared
  export [--as-of ISO] --format tle|3le|omm-xml|omm-json|omm-csv [--out FILE]
  sync --from celestrak|spacetrack [...]          download the current catalog (see 'catalog sync --help')
  log [--limit N] [--json]                        the ingest log
  synth --base FILE --count N [--seed S] --out FILE  a reproducible test catalog: FILE plus simulated
                                                  breakup fragment clouds, N objects (see 'catalog synth --help')

Common options:
  --db PATH        the catalog database (default $HOSHIMI_DB or ./hoshimi.db); import and sync create
                   it when missing, the other subcommands only read it (a missing one is an error)
  --db URL         a PostgreSQL database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
                   (the database must exist; it is given the catalog schema when it has none)
  --stale-days N   an element set older than this is stale (default 30)

Markings (import; see 'hoshimi store settings' for the levels and the home organisation):
  --marking BANNER   classification and releasability of every element set, as a banner line:
                     'SECRET//REL TO USA, JPN', 'CONFIDENTIAL', 'RESTRICTED//REL TO ALL'
                     (default: the lowest level, releasable to all)
  --originator ORG   originating organisation (default: the store's home organisation)
  --data-mode MODE   REAL (default), TEST, SIMULATED or EXERCISE
TYPE is one of: payload, rocket-body, debris, unknown (comma-separated for several).
CODE is a SATCAT owner code such as JPN, US, PRC, CIS, ESA, ISS (comma-separated for several).
`;

export function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${CATALOG_USAGE}`);
}

export const COMMON = {
  db: { type: 'string' },
  'stale-days': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The database path or PostgreSQL URL: --db, then $HOSHIMI_DB, then ./hoshimi.db. */
export function dbPath(flag: string | undefined): string {
  return flag ?? process.env['HOSHIMI_DB'] ?? 'hoshimi.db';
}

/**
 * As `dbPath`, for a command that needs the SQLite store (`needs`: what the PostgreSQL store does
 * not hold yet): a PostgreSQL URL is refused with CliError `STORE_NEEDS_SQLITE`.
 */
export function sqliteDbPath(flag: string | undefined, command: string, needs: string): string {
  return requireSqliteStore(dbPath(flag), command, needs);
}

/**
 * Opens the store (a SQLite file or a PostgreSQL URL), runs `fn`, closes it. `mode` 'read' for the
 * reading subcommands (the file must exist and is opened read-only), 'create' for import and sync.
 */
export async function withStore<T>(
  values: { db?: string | undefined; 'stale-days'?: string | undefined },
  mode: SqliteOpenMode,
  fn: (store: CatalogStore) => Promise<T>,
): Promise<T> {
  const staleText = values['stale-days'];
  const staleDays = staleText === undefined ? 30 : Number(staleText);
  if (!(staleDays > 0)) throw usage(`--stale-days: expected a positive number, got ${staleText}`);
  return withCatalogStore(dbPath(values.db), { staleAfterDays: staleDays, mode }, fn);
}

/** The marking options of the importing subcommands (catalog import, events import). */
export const MARKING_OPTIONS = {
  marking: { type: 'string' },
  originator: { type: 'string' },
  'data-mode': { type: 'string' },
} as const;

/**
 * The marking the flags describe, checked against the store's scheme, or undefined when none of
 * them is given (the store's default: public, home organisation, REAL).
 */
export async function markingFromFlags(
  store: CatalogStore,
  values: { marking?: string | undefined; originator?: string | undefined; 'data-mode'?: string | undefined },
): Promise<Marking | undefined> {
  if (values.marking === undefined && values.originator === undefined && values['data-mode'] === undefined) {
    return undefined;
  }
  const { scheme, homeOrganisation } = await store.markingSettings();
  return parseMarking(
    scheme,
    values.marking ?? scheme.levels[0]!,
    (values.originator ?? homeOrganisation).toUpperCase(),
    (values['data-mode'] ?? 'REAL').toUpperCase(),
  );
}

/** A marking as printed in listings: the banner, then originator and data mode (`… [USSF, REAL]`). */
export function markingText(m: Marking): string {
  return `${formatMarking(m)} [${m.originator}, ${m.dataMode}]`;
}

/** Warnings printed one by one after a SATCAT import; the rest are counted (all are in the log). */
const MAX_WARNINGS_SHOWN = 20;

const err = (line: string) => process.stderr.write(`${line}\n`);

/** Prints an import report: every rejected record, then counts on one line. */
export function printIngest(r: IngestReport): void {
  if (r.alreadyImportedAs !== null) {
    err(`${r.name}: already imported (ingest ${r.alreadyImportedAs}); nothing added`);
    return;
  }
  for (const issue of r.rejected) err(`rejected: ${formatIssue(issue)}`);
  if (r.format === 'satcat-json' || r.format === 'satcat-csv') {
    const shown = r.warnings.slice(0, MAX_WARNINGS_SHOWN);
    for (const w of shown) err(`warning: ${formatIssue(w)}`);
    if (r.warnings.length > shown.length) {
      err(
        `… and ${r.warnings.length - shown.length} more warnings ('hoshimi catalog log --json' lists them all)`,
      );
    }
    err(
      `${r.name}: ${r.status}, ${r.format}: ${r.read} SATCAT records read, ${r.newObjects} new objects, ` +
        `${r.inserted - r.newObjects} objects updated, ${r.duplicates} unchanged, ${r.rejected.length} rejected, ` +
        `${r.warnings.length} warnings (source ${r.source}, ingest ${r.ingestId})`,
    );
    return;
  }
  err(
    `${r.name}: ${r.status}, ${r.format ?? 'unknown format'}: ${r.read} element sets read, ${r.inserted} stored, ` +
      `${r.duplicates} already present, ${r.newObjects} new objects, ${r.rejected.length} rejected (ingest ${r.ingestId})`,
  );
}
