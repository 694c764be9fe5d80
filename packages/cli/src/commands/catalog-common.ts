/**
 * What the `hoshimi catalog` subcommands share: the usage text, the common options, the database
 * path rule, opening the store for reading or writing, and the printing of an import report.
 * `catalog.ts` and `catalog-sync.ts` both import it (and not each other).
 *
 * Reading subcommands (list, show, history, diff, export, log) open the database read-only and
 * never create it: a missing file is StoreError `STORE_NOT_FOUND`, naming the path; a
 * write-protected file or folder can be queried. Import and sync create it when missing.
 */
import { formatIssue } from '@hoshimi/astro';
import { type CatalogStore, type IngestReport, openSqliteStore, type SqliteOpenMode } from '@hoshimi/store';
import { CliError } from '../errors.js';

export const CATALOG_USAGE = `Usage: hoshimi catalog <subcommand> [options]

Subcommands:
  import FILE... [--source NAME] [--label TEXT]   import element sets (TLE/3LE/OMM/GP, gzip too) or
                                                  SATCAT metadata (Space-Track or CelesTrak SATCAT,
                                                  JSON or CSV); the format is read from the content
  list [--type TYPE] [--owner CODE] [--name TEXT] [--as-of ISO] [--json]
  show ID [--as-of ISO] [--json]                  one object, its SATCAT data, latest element set, quality
  history ID [--json]                             every element set of one object
  diff --from ISO --to ISO [--json]               objects that appeared or disappeared
  export [--as-of ISO] --format tle|3le|omm-xml|omm-json|omm-csv [--out FILE]
  sync --from celestrak|spacetrack [...]          download the current catalog (see 'catalog sync --help')
  log [--limit N] [--json]                        the ingest log

Common options:
  --db PATH        the catalog database (default $HOSHIMI_DB or ./hoshimi.db); import and sync create
                   it when missing, the other subcommands only read it (a missing one is an error)
  --stale-days N   an element set older than this is stale (default 30)
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

/** The database path: --db, then $HOSHIMI_DB, then ./hoshimi.db. */
export function dbPath(flag: string | undefined): string {
  return flag ?? process.env['HOSHIMI_DB'] ?? 'hoshimi.db';
}

/**
 * Opens the store, runs `fn`, closes it. `mode` 'read' for the reading subcommands (the file must
 * exist and is opened read-only), 'create' for import and sync.
 */
export async function withStore<T>(
  values: { db?: string | undefined; 'stale-days'?: string | undefined },
  mode: SqliteOpenMode,
  fn: (store: CatalogStore) => Promise<T>,
): Promise<T> {
  const staleText = values['stale-days'];
  const staleDays = staleText === undefined ? 30 : Number(staleText);
  if (!(staleDays > 0)) throw usage(`--stale-days: expected a positive number, got ${staleText}`);
  const store = await openSqliteStore(dbPath(values.db), { staleAfterDays: staleDays, mode });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
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
