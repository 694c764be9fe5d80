/**
 * Where a command's element sets come from: an element file (`--elements FILE`, any format, gzip
 * too) or the catalog store (`--db PATH [--as-of ISO]`: per object the latest set with epoch ≤ the
 * time; PATH may be a PostgreSQL URL). Shared by `propagate` and the commands that follow it.
 */
import {
  type AstroContext,
  type ElementSet,
  formatIssue,
  formatTime,
  parseElements,
  parseTimeToInstant,
  type TleChecksumMode,
} from '@hoshimi/astro';
import { CliError } from './errors.js';
import { readTextInput } from './io.js';
import { openCatalogStore, storeName } from './store-location.js';

/** Parses a user time (ISO-8601 or CCSDS day-of-year, UTC) to the store's canonical ISO form. */
export function isoArg(text: string, flag: string, ctx: AstroContext): string {
  const r = parseTimeToInstant(text, ctx);
  if (!r.ok) throw new CliError('USAGE', `${flag}: ${r.issues.map(formatIssue).join('; ')}`);
  return formatTime(r.value, ctx, { decimals: 6 });
}

/** The current time in the store's canonical ISO form. */
export function nowIso(ctx: AstroContext): string {
  return isoArg(new Date().toISOString(), 'now', ctx);
}

export interface ElementSourceArgs {
  readonly elements?: string | undefined;
  readonly db?: string | undefined;
  readonly asOf?: string | undefined;
  /**
   * With --db: leave out the objects whose SATCAT decay date is on or before the as-of date (they
   * are counted on stderr). Screening lists them itself, with its other losses.
   */
  readonly leaveOutDecayed?: boolean;
}

/** Reads the element sets named by --elements or --db/--as-of; bad records are reported, not fatal. */
export async function loadElementSets(
  args: ElementSourceArgs,
  ctx: AstroContext,
  warn: (line: string) => void,
): Promise<ElementSet[]> {
  return (await loadElementRecords(args, ctx, warn)).map((r) => r.elements);
}

/** An element set and where it came from: `FILE:LINE`, or the store and catalog number. */
export interface SourcedElementSet {
  readonly elements: ElementSet;
  readonly origin: string;
}

/**
 * As `loadElementSets`, keeping each set's origin for per-record messages. `checksum` is the TLE
 * checksum policy of element files (default 'verify'). `ctx` is needed for --db only.
 */
export async function loadElementRecords(
  args: ElementSourceArgs & { readonly checksum?: TleChecksumMode },
  ctx: AstroContext | undefined,
  warn: (line: string) => void,
): Promise<SourcedElementSet[]> {
  if ((args.elements === undefined) === (args.db === undefined)) {
    throw new CliError('USAGE', 'give exactly one of --elements FILE or --db PATH');
  }
  if (args.db !== undefined) {
    if (ctx === undefined) throw new CliError('DATA_MISSING', '--db needs the leap-second table');
    const asOf = args.asOf === undefined ? nowIso(ctx) : isoArg(args.asOf, '--as-of', ctx);
    const name = storeName(args.db);
    const store = await openCatalogStore(args.db, { mode: 'read' });
    try {
      let sets = await store.asOf(asOf);
      warn(`${name}: ${sets.length} objects with an element set as of ${asOf}`);
      if (args.leaveOutDecayed === true) {
        const decayed = await store.selectObjects({ decayedBy: asOf.slice(0, 10) });
        const gone = new Set(decayed.catalogNumbers);
        const kept = sets.filter((s) => !gone.has(s.elements.catalogNumber));
        const left = sets.length - kept.length;
        if (left > 0) {
          const first = sets
            .filter((s) => gone.has(s.elements.catalogNumber))
            .slice(0, 10)
            .map((s) => s.elements.catalogNumber);
          warn(
            `${name}: left out ${left} objects decayed by ${asOf.slice(0, 10)} by their SATCAT decay date (${first.join(', ')}${left > first.length ? ', …' : ''})`,
          );
        }
        sets = kept;
      }
      return sets.map((s) => ({
        elements: s.elements,
        origin: `${name}: catalog object ${s.elements.catalogNumber}`,
      }));
    } finally {
      await store.close();
    }
  }
  if (args.asOf !== undefined) throw new CliError('USAGE', '--as-of goes with --db, not with --elements');
  const file = args.elements as string;
  const parsed = parseElements(readTextInput(file), {
    file,
    ...(args.checksum === undefined ? {} : { checksum: args.checksum }),
  });
  if (!parsed.ok) throw new CliError('ELEMENTS_INVALID', parsed.issues.map(formatIssue).join('\n'));
  for (const w of parsed.warnings) warn(`warning: ${formatIssue(w)}`);
  for (const issue of parsed.value.rejected) warn(`rejected: ${formatIssue(issue)}`);
  const records = parsed.value.records.map((r) => ({ elements: r.elements, origin: `${file}:${r.line}` }));
  if (parsed.value.rejected.length > 0) {
    warn(
      `${file}: ${records.length} element sets read, ${parsed.value.rejected.length} rejected (listed above)`,
    );
  }
  return records;
}
