/**
 * The object filter flags (`--type`, `--owner`) of `catalog list` and `screen`, and the choice of
 * screening primaries. The selection itself is the store's (`CatalogStore.selectObjects`); this
 * module reads the flags and reports what was chosen.
 */
import type { ElementSet } from '@hoshimi/astro';
import { OBJECT_TYPES, type ObjectFilter, type ObjectType, objectTypeFromName } from '@hoshimi/store';
import { CliError } from './errors.js';
import { openCatalogStore } from './store-location.js';

/** `--type payload,rocket-body` → object types (also PAYLOAD, "ROCKET BODY", R/B, rb, deb, unk). */
export function parseTypes(text: string | undefined, flag = '--type'): ObjectType[] | undefined {
  if (text === undefined) return undefined;
  const short: Record<string, ObjectType> = {
    RB: 'ROCKET BODY',
    'R/B': 'ROCKET BODY',
    PAY: 'PAYLOAD',
    PAYLOADS: 'PAYLOAD',
    DEB: 'DEBRIS',
    UNK: 'UNKNOWN',
  };
  return text.split(',').map((part) => {
    const t = part.trim().toUpperCase().replace(/[-_]/g, ' ');
    const found = OBJECT_TYPES.find((x) => x === t) ?? short[t];
    if (found === undefined) {
      throw new CliError(
        'USAGE',
        `${flag}: expected payload, rocket-body, debris or unknown (comma-separated), got ${JSON.stringify(part)}`,
      );
    }
    return found;
  });
}

/** `--owner JPN,US` → upper-case SATCAT owner codes. */
export function parseOwners(text: string | undefined, flag = '--owner'): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((part) => {
    const c = part.trim().toUpperCase();
    if (!/^[A-Z0-9/-]{1,8}$/.test(c)) {
      throw new CliError(
        'USAGE',
        `${flag}: expected SATCAT owner codes such as JPN, US, PRC, ESA (comma-separated), got ${JSON.stringify(part)}`,
      );
    }
    return c;
  });
}

/** The filter of `--type` and `--owner`. */
export function objectFilter(type: string | undefined, owner: string | undefined): ObjectFilter {
  const types = parseTypes(type);
  const owners = parseOwners(owner);
  return { ...(types === undefined ? {} : { types }), ...(owners === undefined ? {} : { owners }) };
}

export interface PrimaryArgs {
  /** `--primaries IDS|payloads`. */
  readonly primaries: string | undefined;
  /** `--type TYPES` and `--owner CODES`: primaries by what they are (SATCAT data in the store). */
  readonly type: string | undefined;
  readonly owner: string | undefined;
  /** `--db`: where the SATCAT data lives; undefined for an element file. */
  readonly db: string | undefined;
}

/**
 * The screening primaries: catalog numbers (`--primaries 25544,…`), a type and owner selection
 * (`--primaries payloads` is `--type payload`), or both (objects in both). With `--db` the types
 * and owners are the store's (SATCAT imports; objects without one by the name rule, counted); with
 * an element file only the name rule exists and `--owner` is refused. Only objects that have an
 * element set are kept. Undefined: all-vs-all.
 */
export async function selectPrimaries(
  args: PrimaryArgs,
  elements: readonly ElementSet[],
  warn: (line: string) => void,
): Promise<string[] | undefined> {
  let ids: string[] | undefined;
  let types = parseTypes(args.type);
  const owners = parseOwners(args.owner);
  if (args.primaries === 'payloads') types = [...(types ?? []), 'PAYLOAD'];
  else if (args.primaries !== undefined) {
    ids = args.primaries.split(',').map((s) => s.trim());
    if (ids.some((p) => !/^\d{1,9}$/.test(p))) {
      throw new CliError(
        'USAGE',
        `--primaries: expected comma-separated catalog numbers or 'payloads', got ${args.primaries}`,
      );
    }
    ids = ids.map((p) => String(Number(p)));
  }
  if (types === undefined && owners === undefined) return ids;
  const present = new Set(elements.map((e) => e.catalogNumber));
  let chosen: string[];
  const what = [
    types === undefined ? '' : `type ${types.join(' or ')}`,
    owners === undefined ? '' : `owner ${owners.join(' or ')}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (args.db === undefined) {
    if (owners !== undefined) {
      throw new CliError(
        'USAGE',
        '--owner needs --db: owners come from a SATCAT imported into the catalog store',
      );
    }
    // Without a store, only names tell what an object is (object-type.ts).
    const wanted = new Set(types);
    chosen = elements
      .filter((e) => {
        const t = objectTypeFromName(e.name ?? null);
        return wanted.has(t) || (wanted.has('PAYLOAD') && t === 'UNKNOWN');
      })
      .map((e) => e.catalogNumber);
    warn(
      `primaries: ${chosen.length} objects of ${what} by their names (an element file has no SATCAT data; debris and rocket bodies are told by name, everything else counts as a payload)`,
    );
  } else {
    const store = await openCatalogStore(args.db, { mode: 'read' });
    let selection: Awaited<ReturnType<typeof store.selectObjects>>;
    try {
      selection = await store.selectObjects({
        ...(types === undefined ? {} : { types }),
        ...(owners === undefined ? {} : { owners }),
      });
    } finally {
      await store.close();
    }
    chosen = selection.catalogNumbers.filter((cn) => present.has(cn));
    warn(
      `primaries: ${chosen.length} objects of ${what} with an element set (${selection.catalogNumbers.length} in the catalog)` +
        (selection.byNameRule > 0
          ? `; ${selection.byNameRule} of the catalog's have no SATCAT record and count as payloads by their names (import a SATCAT to classify them)`
          : ''),
    );
  }
  if (ids !== undefined) {
    const inIds = new Set(ids);
    chosen = chosen.filter((cn) => inIds.has(cn));
    warn(`primaries: ${chosen.length} of the ${ids.length} given catalog numbers are of ${what}`);
  }
  if (chosen.length === 0) {
    throw new CliError('NO_PRIMARIES', `no object with an element set is of ${what}: nothing to screen`);
  }
  return chosen;
}

/**
 * The type of each object as a report names it: the store's (SATCAT, else from the name) with
 * `--db`, the name rule for an element file (or an object the store does not know).
 */
export async function objectTypeLookup(
  db: string | undefined,
): Promise<(catalogNumber: string, name: string) => string> {
  const known = new Map<string, ObjectType>();
  if (db !== undefined) {
    const store = await openCatalogStore(db, { mode: 'read' });
    try {
      const all = await store.selectObjects({});
      all.catalogNumbers.forEach((cn, i) => {
        known.set(cn, all.objectTypes[i] as ObjectType);
      });
    } finally {
      await store.close();
    }
  }
  return (catalogNumber, name) => known.get(catalogNumber) ?? objectTypeFromName(name || null);
}
