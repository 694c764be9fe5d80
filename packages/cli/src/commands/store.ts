/**
 * `hoshimi store settings`: the catalog store's marking settings — the ordered classification
 * levels (lowest first) and the home organisation that originates the store's own records. With
 * no option it prints them; `--levels` and `--organisation` change them (see the store's
 * `setMarkingSettings`: new levels must still list every level a stored record carries; records
 * of the old home organisation take the new code).
 *
 * `hoshimi store migrate --from FILE --to URL`: copies a SQLite store into an empty PostgreSQL
 * database and verifies it row for row (@hoshimi/store's store-migrate.ts); prints each table's
 * counts and the verification, and exits 1 when it failed (nothing is then written).
 */
import { checkOrganisation, classificationScheme } from '@hoshimi/astro';
import {
  isPostgresUrl,
  type MigrateResult,
  migrateSqliteToPostgres,
  redactedUrl,
  StoreError,
} from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { checkOption } from '../option-checks.js';
import { withStore } from './catalog-common.js';

export const STORE_USAGE = `Usage: hoshimi store <subcommand> [options]

Subcommands:
  settings [--levels A,B,C] [--organisation ORG] [--json]
        print the marking settings, or change them: the classification levels, lowest first
        (default UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET), and the home organisation code that
        originates this store's own records (default LOCAL)
  migrate --from FILE --to URL
        copy the SQLite store FILE into the empty PostgreSQL database URL, every table with its ids,
        in one transaction; then verify each table's row count and a digest of its rows on both
        sides and print them. A mismatch rolls the copy back (exit 1). FILE must have this
        version's schema (open it once with this version to upgrade it); URL must hold no rows

Options:
  --db PATH        the catalog database (default $HOSHIMI_DB or ./hoshimi.db); created when missing
                   by a change, only read when printing
`;

const out = (line: string) => process.stdout.write(`${line}\n`);

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${STORE_USAGE}`);
}

export async function storeCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'settings':
      return settingsCmd(rest);
    case 'migrate':
      return migrateCmd(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(STORE_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw usage(`unknown store subcommand ${JSON.stringify(sub)}`);
  }
}

async function settingsCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi store settings', STORE_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      levels: { type: 'string' },
      organisation: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage(`store settings takes no arguments, got ${positionals[0]}`);
  // Values are checked before the store is opened (or created): a bad value writes nothing.
  const levels = values.levels?.split(',').map((l) => l.trim().toUpperCase());
  if (levels !== undefined) checkOption('--levels', () => classificationScheme(levels));
  const organisation = values.organisation?.trim().toUpperCase();
  if (organisation !== undefined) checkOption('--organisation', () => checkOrganisation(organisation));
  const change = {
    ...(levels === undefined ? {} : { levels }),
    ...(organisation === undefined ? {} : { homeOrganisation: organisation }),
  };
  const changing = Object.keys(change).length > 0;
  const settings = await withStore(values, changing ? 'create' : 'read', async (store) => {
    if (!changing) return store.markingSettings();
    try {
      return await store.setMarkingSettings(change);
    } catch (e) {
      // Levels that drop one a stored record carries: the store's state, named by the option.
      if (e instanceof StoreError && e.code === 'STORE_SCHEME_IN_USE')
        throw new CliError(e.code, `--levels: ${e.message}`);
      throw e;
    }
  });
  if (values.json) {
    out(
      JSON.stringify(
        { levels: settings.scheme.levels, homeOrganisation: settings.homeOrganisation },
        null,
        2,
      ),
    );
  } else {
    out(`classification levels (lowest first): ${settings.scheme.levels.join(' < ')}`);
    out(`home organisation: ${settings.homeOrganisation}`);
  }
  return 0;
}

async function migrateCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi store migrate', STORE_USAGE, {
    args: [...argv],
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw usage(`store migrate takes no arguments, got ${positionals[0]}`);
  const from = values.from;
  const to = values.to;
  if (from === undefined || to === undefined) throw usage('store migrate needs --from FILE and --to URL');
  if (isPostgresUrl(from))
    throw usage(`--from: expected a SQLite file, got the PostgreSQL URL ${redactedUrl(from)}`);
  if (!isPostgresUrl(to)) throw usage(`--to: expected a postgres:// or postgresql:// URL, got ${to}`);
  const result = await migrateSqliteToPostgres(from, to, {
    onProgress: (p) => {
      if (p.phase === 'copy' && p.rows === p.total)
        process.stderr.write(`copied ${p.table}: ${p.rows} rows\n`);
    },
  });
  printMigration(result, from, redactedUrl(to));
  return result.ok ? 0 : 1;
}

function printMigration(result: MigrateResult, from: string, to: string): void {
  const width = Math.max(5, ...result.tables.map((t) => t.table.length));
  out(`${'table'.padEnd(width)}  ${'sqlite'.padStart(9)}  ${'postgres'.padStart(9)}  verified`);
  for (const t of result.tables) {
    out(
      `${t.table.padEnd(width)}  ${String(t.sourceRows).padStart(9)}  ${String(t.targetRows).padStart(9)}  ${t.ok ? 'yes' : 'NO (count or digest differs)'}`,
    );
  }
  const rows = result.tables.reduce((n, t) => n + t.sourceRows, 0);
  if (result.ok) {
    out(`verified: ${result.tables.length} tables, ${rows} rows copied from ${from} to ${to}; committed`);
  } else {
    const bad = result.tables.filter((t) => !t.ok).map((t) => t.table);
    out(`verification failed for ${bad.join(', ')}: the copy was rolled back, ${to} is unchanged`);
  }
}
