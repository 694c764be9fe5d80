/**
 * Markings in the catalog database (schema v9, migrations.ts `0009_markings`): how astro's Marking
 * (packages/astro/src/marking/marking.ts) is held in four columns on every marked table, the store's
 * settings (classification scheme, home organisation), and the ONE SQL condition that decides
 * whether a reader may see a row. Every read of a store view (`CatalogStore.view`) filters with
 * `readableCondition`; nothing else in the store decides visibility.
 *
 * Columns: `mk_classification` (a level of the scheme), `mk_release` ('ALL', or the sorted nation
 * trigraphs between commas `,JPN,USA,`, `,,` for none), `mk_originator` (organisation code),
 * `mk_data_mode` (REAL, TEST, SIMULATED, EXERCISE).
 *
 * The condition is astro's `canRead` written in SQL: level rank ≤ clearance rank (as
 * `mk_classification IN (levels up to the clearance)`), and release ALL, or the release list contains
 * the reader's nation, or the reader's organisation is the originator. The matrix test
 * (test/markings-matrix.test.ts) checks it against `canRead` for every reader and marking.
 */
import {
  type ClassificationScheme,
  checkNation,
  checkOrganisation,
  classificationScheme,
  type DataMode,
  DEFAULT_SCHEME,
  isDataMode,
  levelRank,
  type Marking,
  marking,
  type Reader,
} from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { StoreError } from './errors.js';

/** Home organisation of a store that was never given one. */
export const DEFAULT_HOME_ORGANISATION = 'LOCAL';

/** The tables that carry the four marking columns. */
export const MARKED_TABLES = [
  'element_sets',
  'ingests',
  'events',
  'screenings',
  'conjunctions',
  'jobs',
  'watch_lists',
  'alerts',
  'orbit_determinations',
] as const;

/** The store's marking settings. */
export interface MarkingSettings {
  readonly scheme: ClassificationScheme;
  /** Organisation code of this store's own records (default 'LOCAL'). */
  readonly homeOrganisation: string;
}

/**
 * Who reads through a store view, resolved against the store's scheme: the levels the reader is
 * cleared for (lowest first). Built by `readerAccess`; the only input of `readableCondition`.
 */
export interface ReaderAccess {
  readonly reader: Reader;
  readonly levels: readonly string[];
  readonly scheme: ClassificationScheme;
}

/** The release column text of a marking. */
export function releaseColumn(m: Marking): string {
  return m.releasableTo === 'ALL' ? 'ALL' : `,${m.releasableTo.join(',')},`;
}

/** The four column values of a marking, in column order. */
export function markingColumns(m: Marking): [string, string, string, string] {
  return [m.classification, releaseColumn(m), m.originator, m.dataMode];
}

/** The Marking of four stored column values. */
export function markingFromColumns(
  classification: string,
  release: string,
  originator: string,
  dataMode: string,
): Marking {
  return {
    classification,
    releasableTo: release === 'ALL' ? 'ALL' : release.split(',').filter((s) => s !== ''),
    originator,
    dataMode: (isDataMode(dataMode) ? dataMode : 'REAL') as DataMode,
  };
}

/** The marking columns as a Kysely object (for `.values({...})`/`.set({...})`). */
export function markingValues(m: Marking): {
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
} {
  return {
    mk_classification: m.classification,
    mk_release: releaseColumn(m),
    mk_originator: m.originator,
    mk_data_mode: m.dataMode,
  };
}

/** A row's marking from its mk_ columns (Kysely row objects). */
export function markingOfRow(r: {
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
}): Marking {
  return markingFromColumns(r.mk_classification, r.mk_release, r.mk_originator, r.mk_data_mode);
}

/** Resolves a reader against a scheme; StoreError `STORE_BAD_READER` for a clearance it lacks. */
export function readerAccess(scheme: ClassificationScheme, reader: Reader): ReaderAccess {
  let rank: number;
  try {
    rank = levelRank(scheme, reader.clearance);
    checkNation(reader.nation);
    checkOrganisation(reader.organisation);
  } catch (e) {
    throw new StoreError(
      'STORE_BAD_READER',
      `reader ${reader.organisation}/${reader.nation}/${reader.clearance}: ${(e as Error).message}`,
      { reader },
      { cause: e },
    );
  }
  return { reader, levels: scheme.levels.slice(0, rank + 1), scheme };
}

/**
 * THE visibility condition: true for the rows of table alias `alias` that the reader may see
 * (astro's canRead in SQL), or plain true for the unrestricted store (`access` null). Every read of
 * a view calls this; a new marked table calls it too.
 */
export function readableCondition(alias: string, access: ReaderAccess | null): RawBuilder<SqlBool> {
  if (access === null) return sql<SqlBool>`1 = 1`;
  const a = sql.ref(alias);
  const { reader, levels } = access;
  return sql<SqlBool>`(${a}.mk_classification IN (${sql.join(levels)}) AND (${a}.mk_release = 'ALL'
    OR ${a}.mk_release LIKE ${`%,${reader.nation},%`} OR ${a}.mk_originator = ${reader.organisation}))`;
}

/**
 * What a node may send to a partner nation accredited up to `maxClassification` (astro's
 * canReleaseTo in SQL: level ≤ the accreditation, and releasable to ALL or to that nation; the
 * originator clause of canRead does not apply between nodes). For the exchange of records between
 * nodes; reads by people use `readableCondition`.
 */
export function releasableCondition(
  alias: string,
  scheme: ClassificationScheme,
  partner: { readonly nation: string; readonly maxClassification: string },
): RawBuilder<SqlBool> {
  let rank: number;
  try {
    rank = levelRank(scheme, partner.maxClassification);
    checkNation(partner.nation);
  } catch (e) {
    throw new StoreError('STORE_BAD_READER', (e as Error).message, { partner }, { cause: e });
  }
  const a = sql.ref(alias);
  return sql<SqlBool>`(${a}.mk_classification IN (${sql.join(scheme.levels.slice(0, rank + 1))})
    AND (${a}.mk_release = 'ALL' OR ${a}.mk_release LIKE ${`%,${partner.nation},%`}))`;
}

/** The marking given to an unmarked write: public (lowest level, ALL, REAL) from `originator`. */
export function publicMarking(scheme: ClassificationScheme, originator: string): Marking {
  return { classification: scheme.levels[0]!, releasableTo: 'ALL', originator, dataMode: 'REAL' };
}

/** Checks a caller's marking against the scheme (level known, nations and codes well formed). */
export function checkedMarking(scheme: ClassificationScheme, m: Marking): Marking {
  try {
    return marking(scheme, m);
  } catch (e) {
    throw new StoreError('STORE_BAD_MARKING', (e as Error).message, { marking: m }, { cause: e });
  }
}

/**
 * What a write stores: the caller's marking (checked) or the default. Through a view (`access`),
 * the originator is the reader's organisation whatever the caller said, the default is releasable
 * to the reader's nation only, and a level above the reader's clearance is refused with
 * `STORE_MARKING_ABOVE_CLEARANCE` (a reader may not write what it could not read back).
 */
export function writeMarking(
  settings: MarkingSettings,
  access: ReaderAccess | null,
  given: Marking | undefined,
): Marking {
  if (access === null) {
    return given === undefined
      ? publicMarking(settings.scheme, settings.homeOrganisation)
      : checkedMarking(settings.scheme, given);
  }
  const org = access.reader.organisation;
  const m =
    given === undefined
      ? {
          classification: settings.scheme.levels[0]!,
          releasableTo: [access.reader.nation],
          originator: org,
          dataMode: 'REAL' as const,
        }
      : checkedMarking(settings.scheme, { ...given, originator: org });
  if (!access.levels.includes(m.classification)) {
    throw new StoreError(
      'STORE_MARKING_ABOVE_CLEARANCE',
      `cannot write a ${m.classification} record with a ${access.reader.clearance} clearance`,
      { classification: m.classification, clearance: access.reader.clearance },
    );
  }
  return m;
}

const SETTING_LEVELS = 'classification_levels';
const SETTING_HOME = 'home_organisation';

/** Reads the store's marking settings (defaults when a key is missing). */
export function readMarkingSettings(db: Database.Database): MarkingSettings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const levels = map.get(SETTING_LEVELS);
  return {
    scheme: levels === undefined ? DEFAULT_SCHEME : classificationScheme(JSON.parse(levels) as string[]),
    homeOrganisation: map.get(SETTING_HOME) ?? DEFAULT_HOME_ORGANISATION,
  };
}

/**
 * Changes the store's settings in one transaction. New levels must still list every level a stored
 * record carries (`STORE_SCHEME_IN_USE` otherwise). A new home organisation takes over the records
 * stamped with the previous one (this node's own records: the code was renamed, not the owner).
 */
export function writeMarkingSettings(
  db: Database.Database,
  change: { readonly levels?: readonly string[]; readonly homeOrganisation?: string },
): MarkingSettings {
  const apply = db.transaction((): MarkingSettings => {
    const before = readMarkingSettings(db);
    const upsert = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    if (change.levels !== undefined) {
      let scheme: ClassificationScheme;
      try {
        scheme = classificationScheme(change.levels);
      } catch (e) {
        throw new StoreError(
          'STORE_BAD_MARKING',
          (e as Error).message,
          { levels: change.levels },
          { cause: e },
        );
      }
      const placeholders = scheme.levels.map(() => '?').join(', ');
      for (const t of MARKED_TABLES) {
        const r = db
          .prepare(
            `SELECT mk_classification FROM ${t} WHERE mk_classification NOT IN (${placeholders}) LIMIT 1`,
          )
          .get(...scheme.levels) as { mk_classification: string } | undefined;
        if (r !== undefined) {
          throw new StoreError(
            'STORE_SCHEME_IN_USE',
            `records in ${t} are marked ${r.mk_classification}, which the new levels ${scheme.levels.join(', ')} do not list`,
            { table: t, level: r.mk_classification },
          );
        }
      }
      upsert.run(SETTING_LEVELS, JSON.stringify(scheme.levels));
    }
    if (change.homeOrganisation !== undefined && change.homeOrganisation !== before.homeOrganisation) {
      let org: string;
      try {
        org = checkOrganisation(change.homeOrganisation);
      } catch (e) {
        throw new StoreError('STORE_BAD_MARKING', (e as Error).message, {}, { cause: e });
      }
      for (const t of MARKED_TABLES) {
        db.prepare(`UPDATE ${t} SET mk_originator = ? WHERE mk_originator = ?`).run(
          org,
          before.homeOrganisation,
        );
      }
      upsert.run(SETTING_HOME, org);
    }
    return readMarkingSettings(db);
  });
  return apply();
}
