/**
 * The columns of the `objects` row as a reader view may see them. The row is shared by everyone:
 * its name, object type (the name rule, object-type.ts) and international designator were written
 * by whichever element set came in (the newest named one, the first with a designator), and its
 * SATCAT values by the last SATCAT import, each of which may carry a marking the reader cannot read.
 * Through a view every such column comes from what the reader may read:
 *
 * - name: the row's name when the reader's latest set `e` is the set it came from (same name at the
 *   row's name epoch, the cheap common case), or the SATCAT's name when the SATCAT is readable and
 *   named the object; otherwise the name of the newest readable named set (no later than the row's
 *   name epoch, so a SATCAT object keeps the name it had when the SATCAT came, as it does unrestricted);
 * - object type: the SATCAT's when readable, else the name rule applied to that name (the row's
 *   stored type when the name is the row's own);
 * - designator: the row's when the reader's latest set carries it, else the newest readable set's,
 *   else the SATCAT's (when readable and no element set carries that value);
 * - SATCAT columns (owner, launch site and date, decay, size, source and import, type source
 *   'satcat'): only when the SATCAT import that wrote them is readable (`ingests` marking, by
 *   marking-sql.ts `readableCondition`), else null and type source 'name'. SATCAT values written
 *   without an import (`upsertObjects`, unrestricted store only) are public.
 *
 * The queries of sqlite-store.ts select these expressions (and filter on them) instead of the raw
 * columns, with `joins` after their join of `e` (the reader's latest set at the query time); the
 * unrestricted store reads the raw columns.
 */
import { type RawBuilder, sql } from 'kysely';
import { type ReaderAccess, readableCondition } from './marking-sql.js';

/** SQL expressions of the object columns (alias `o`, latest readable set `e`), and the joins they need. */
export interface ObjectSql {
  readonly name: RawBuilder<unknown>;
  readonly intlDesignator: RawBuilder<unknown>;
  readonly objectType: RawBuilder<unknown>;
  readonly typeSource: RawBuilder<unknown>;
  readonly launchDate: RawBuilder<unknown>;
  readonly decayDate: RawBuilder<unknown>;
  readonly ownerCode: RawBuilder<unknown>;
  readonly ownerName: RawBuilder<unknown>;
  readonly launchSiteCode: RawBuilder<unknown>;
  readonly launchSiteName: RawBuilder<unknown>;
  readonly rcsSize: RawBuilder<unknown>;
  readonly rcsM2: RawBuilder<unknown>;
  readonly satcatSource: RawBuilder<unknown>;
  readonly satcatIngestId: RawBuilder<unknown>;
  /** Joins to add after the join of `e` (empty for the unrestricted store). */
  readonly joins: RawBuilder<unknown>;
  /** True when the object's SATCAT values may be shown. */
  readonly satcatReadable: RawBuilder<unknown>;
}

const UNRESTRICTED: ObjectSql = {
  name: sql`o.name`,
  intlDesignator: sql`o.intl_designator`,
  objectType: sql`o.object_type`,
  typeSource: sql`o.type_source`,
  launchDate: sql`o.launch_date`,
  decayDate: sql`o.decay_date`,
  ownerCode: sql`o.owner_code`,
  ownerName: sql`o.owner_name`,
  launchSiteCode: sql`o.launch_site_code`,
  launchSiteName: sql`o.launch_site_name`,
  rcsSize: sql`o.rcs_size`,
  rcsM2: sql`o.rcs_m2`,
  satcatSource: sql`o.satcat_source`,
  satcatIngestId: sql`o.satcat_ingest_id`,
  joins: sql``,
  satcatReadable: sql`(o.type_source = 'satcat')`,
};

/** The order of the as-of rule (migrations.ts, index element_sets_as_of_marked). */
const NEWEST = (a: string) =>
  sql`ORDER BY ${sql.ref(`${a}.epoch_key`)} DESC, ${sql.ref(`${a}.source_priority`)} DESC,
    ${sql.ref(`${a}.ingest_id`)} DESC, ${sql.ref(`${a}.id`)} DESC LIMIT 1`;

/** object-type.ts `objectTypeFromName` in SQL (names are ASCII in both catalogs). */
function typeOfName(name: RawBuilder<unknown>): RawBuilder<unknown> {
  const n = sql`(' ' || upper(trim(${name})) || ' ')`;
  // LIKE, not SQLite's instr, so that PostgreSQL runs the same text (the name is upper-cased first).
  return sql`(CASE WHEN ${name} IS NULL THEN 'UNKNOWN' WHEN ${n} LIKE '% DEB %' THEN 'DEBRIS'
    WHEN ${n} LIKE '% R/B%' THEN 'ROCKET BODY' ELSE 'UNKNOWN' END)`;
}

/** The object columns as `access` may see them (see the module header); raw columns when null. */
export function objectSql(access: ReaderAccess | null): ObjectSql {
  if (access === null) return UNRESTRICTED;
  const sat = sql`(o.type_source = 'satcat' AND (o.satcat_ingest_id IS NULL OR ${readableCondition('sg', access)}))`;
  // The row's name came from `e` (readable): the same name at the row's name epoch.
  const ownName = sql`(o.name = e.name AND o.name_epoch_key = e.epoch_key)`;
  const satName = sql`(${sat} AND o.name_epoch_key IS NULL)`;
  const named = sql`(SELECT n.id FROM element_sets n WHERE n.catalog_number = o.catalog_number
      AND n.epoch_key <= coalesce(o.name_epoch_key, n.epoch_key) AND ${readableCondition('n', access)}
      AND n.name IS NOT NULL ${NEWEST('n')})`;
  const name = sql`(CASE WHEN o.name IS NULL THEN NULL WHEN ${ownName} THEN o.name WHEN ${satName} THEN o.name
    ELSE vn.name END)`;
  const designated = sql`(SELECT i.intl_designator FROM element_sets i WHERE i.catalog_number = o.catalog_number
      AND ${readableCondition('i', access)} AND i.intl_designator IS NOT NULL ${NEWEST('i')})`;
  const satDesignator = sql`(CASE WHEN ${sat} AND NOT EXISTS (SELECT 1 FROM element_sets h
      WHERE h.catalog_number = o.catalog_number AND h.intl_designator = o.intl_designator)
      THEN o.intl_designator END)`;
  const onlySat = (column: string) => sql`(CASE WHEN ${sat} THEN ${sql.ref(`o.${column}`)} END)`;
  return {
    name,
    intlDesignator: sql`(CASE WHEN o.intl_designator IS NULL THEN NULL
      WHEN o.intl_designator = e.intl_designator THEN o.intl_designator
      ELSE coalesce(${designated}, ${satDesignator}) END)`,
    objectType: sql`(CASE WHEN ${sat} THEN o.object_type
      WHEN o.type_source = 'name' AND ${ownName} THEN o.object_type ELSE ${typeOfName(name)} END)`,
    typeSource: sql`(CASE WHEN ${sat} THEN 'satcat' ELSE 'name' END)`,
    launchDate: onlySat('launch_date'),
    decayDate: onlySat('decay_date'),
    ownerCode: onlySat('owner_code'),
    ownerName: onlySat('owner_name'),
    launchSiteCode: onlySat('launch_site_code'),
    launchSiteName: onlySat('launch_site_name'),
    rcsSize: onlySat('rcs_size'),
    rcsM2: onlySat('rcs_m2'),
    satcatSource: onlySat('satcat_source'),
    satcatIngestId: onlySat('satcat_ingest_id'),
    joins: sql`LEFT JOIN ingests sg ON sg.id = o.satcat_ingest_id
      LEFT JOIN element_sets vn ON vn.id = (CASE WHEN o.name IS NULL THEN NULL WHEN ${ownName} THEN NULL
        WHEN ${satName} THEN NULL ELSE ${named} END)`,
    satcatReadable: sat,
  };
}
