/**
 * `hoshimi store settings`: the catalog store's marking settings — the ordered classification
 * levels (lowest first) and the home organisation that originates the store's own records. With
 * no option it prints them; `--levels` and `--organisation` change them (see the store's
 * `setMarkingSettings`: new levels must still list every level a stored record carries; records
 * of the old home organisation take the new code).
 */
import { checkOrganisation, classificationScheme } from '@hoshimi/astro';
import { StoreError } from '@hoshimi/store';
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
