/**
 * The catalog queries both stores run (sqlite-store.ts, postgres-store.ts): element-set and object
 * columns read as raw arrays, the as-of rule as one correlated subquery per object (answered from
 * the as-of index, migrations.ts `element_sets_as_of_marked`: a descending range scan that stops at
 * its first entry, on SQLite as on PostgreSQL), object filters, and the row-to-record mappings. The
 * SQL is written once, with Kysely's `sql` template, in the common subset of both dialects.
 */
import type { ElementFormat, ElementSet, Marking, ParseIssue } from '@hoshimi/astro';
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type {
  CatalogObject,
  ObjectFilter,
  ObjectType,
  RcsSize,
  StoredElementSet,
  StoredScreening,
} from './catalog-store.js';
import { OBJECT_TYPES } from './catalog-store.js';
import { epochKeyFromIso, isoFromEpochKey } from './epoch-key.js';
import { StoreError } from './errors.js';
import { markingFromColumns, markingOfRow, type ReaderAccess, readableCondition } from './marking-sql.js';
import { ownerCodesLike } from './satcat-codes.js';
import type { ScreeningsTable } from './schema.js';
import type { ObjectSql } from './sqlite-object-view.js';

/** An element-set row as a raw array, columns in SET_COLUMNS order. */
export type Row = readonly unknown[];

/** Element-set columns, read as raw arrays (index constants below) for speed. */
export const SET_COLUMNS = sql`e.id, e.catalog_number, e.epoch_jd, e.epoch_jd_frac, e.epoch_key, e.name,
  e.intl_designator, e.classification, e.mean_motion_rad_per_min, e.eccentricity, e.inclination_rad,
  e.raan_rad, e.arg_perigee_rad, e.mean_anomaly_rad, e.bstar, e.mean_motion_dot, e.mean_motion_ddot,
  e.ephemeris_type, e.element_set_number, e.revolution_number, e.bterm, e.agom, e.ingest_id,
  e.mk_classification, e.mk_release, e.mk_originator, e.mk_data_mode`;
/** Number of SET_COLUMNS; object columns follow at this index in status rows. */
export const N_SET = 27;
/** First of the four marking columns in SET_COLUMNS. */
export const C_MARK = 23;
export const C_ID = 0;
export const C_EPOCH_KEY = 4;
export const C_INGEST = 22;

/**
 * The object columns, as the reader may see them (sqlite-object-view.ts: through a view, every
 * column an element set or a SATCAT import wrote comes from what the reader may read; `e` is the
 * reader's latest set and `cols.joins` follow its join).
 */
export function objectColumns(cols: ObjectSql): RawBuilder<unknown> {
  return sql`o.catalog_number, ${cols.name}, ${cols.intlDesignator}, ${cols.objectType}, ${cols.launchDate},
  ${cols.decayDate}, ${cols.typeSource}, ${cols.ownerCode}, ${cols.ownerName}, ${cols.launchSiteCode},
  ${cols.launchSiteName}, ${cols.rcsSize}, ${cols.rcsM2}, ${cols.satcatSource}, ${cols.satcatIngestId}`;
}

/**
 * Objects a reader may see: at least one readable element set, or a SATCAT record it may read.
 * True for the unrestricted store.
 */
export function visibleObject(access: ReaderAccess | null, cols: ObjectSql): RawBuilder<unknown> {
  if (access === null) return sql`1 = 1`;
  return sql`(${cols.satcatReadable} OR EXISTS (SELECT 1 FROM element_sets v
    WHERE v.catalog_number = o.catalog_number AND ${readableCondition('v', access)}))`;
}
/** Number of OBJECT_COLUMNS. */
export const N_OBJ = 15;

/** Provenance shared by every element set of one ingest (source, label and format are per file). */
export interface IngestInfo {
  readonly source: string;
  readonly label: string;
  readonly format: ElementFormat;
  readonly startedAt: string;
}

/**
 * Id of an object's latest element set at or before `tKey` (all epochs when null), by the as-of
 * rule, among the sets the reader may see (all sets for the unrestricted store).
 */
export function latestSetId(tKey: number | null, access: ReaderAccess | null): RawBuilder<unknown> {
  const bound = tKey === null ? sql`` : sql`AND x.epoch_key <= ${tKey}`;
  const readable = access === null ? sql`` : sql`AND ${readableCondition('x', access)}`;
  return sql`(SELECT x.id FROM element_sets x WHERE x.catalog_number = o.catalog_number ${bound} ${readable}
    ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1)`;
}

/**
 * PostgreSQL: the latest set of each object `o` as a lateral join named `e` (the same rule and order
 * as latestSetId). `e.id = (scalar subquery)` lets PostgreSQL's planner hash-join the whole
 * element_sets table against the per-object answers (a sequential scan of every set ever stored);
 * the lateral form is one backward scan of element_sets_as_of_marked per object, then one heap row.
 * `left`: objects without a set are kept (with a null set). SQLite has no LATERAL and plans the
 * scalar form as a lookup by id, so it keeps latestSetId.
 */
export function latestSetLateral(
  tKey: number | null,
  access: ReaderAccess | null,
  left: boolean,
): RawBuilder<unknown> {
  const bound = tKey === null ? sql`` : sql`AND x.epoch_key <= ${tKey}`;
  const readable = access === null ? sql`` : sql`AND ${readableCondition('x', access)}`;
  return sql`${left ? sql`LEFT JOIN LATERAL` : sql`JOIN LATERAL`} (SELECT x.* FROM element_sets x
    WHERE x.catalog_number = o.catalog_number ${bound} ${readable}
    ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1) e ON true`;
}

/** Interns markings of raw rows (one object per distinct marking, not per row). */
export class MarkingCache {
  readonly #map = new Map<string, Marking>();
  get(r: Row, at: number): Marking {
    const c = r[at] as string;
    const rel = r[at + 1] as string;
    const org = r[at + 2] as string;
    const mode = r[at + 3] as string;
    const key = `${c}|${rel}|${org}|${mode}`;
    let m = this.#map.get(key);
    if (m === undefined) {
      m = markingFromColumns(c, rel, org, mode);
      this.#map.set(key, m);
    }
    return m;
  }
}

export function screeningFromRow(r: Selectable<ScreeningsTable>): StoredScreening {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    windowStart: r.window_start,
    windowStop: r.window_stop,
    thresholdKm: r.threshold_km,
    primaries: r.primaries === null ? null : r.primaries.split(','),
    catalogAsOf: r.catalog_as_of,
    source: r.source,
    objectCount: r.object_count,
    conjunctionCount: r.conjunction_count,
    dataQuality: r.data_quality === null ? null : (JSON.parse(r.data_quality) as Record<string, unknown>),
    marking: markingOfRow(r),
  };
}

export const CATALOG_ORDER = sql`ORDER BY length(o.catalog_number), o.catalog_number`;

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function elementsFromRow(r: Row): ElementSet {
  const es: Mutable<ElementSet> = {
    catalogNumber: r[1] as string,
    classification: r[7] as string,
    epoch: { jd: r[2] as number, jdFrac: r[3] as number },
    meanMotionRadPerMin: r[8] as number,
    eccentricity: r[9] as number,
    inclinationRad: r[10] as number,
    raanRad: r[11] as number,
    argPerigeeRad: r[12] as number,
    meanAnomalyRad: r[13] as number,
    bstar: r[14] as number,
    meanMotionDotRevPerDay2: r[15] as number,
    meanMotionDdotRevPerDay3: r[16] as number,
    ephemerisType: r[17] as number,
    elementSetNumber: r[18] as number,
    revolutionNumber: r[19] as number,
  };
  if (r[5] !== null) es.name = r[5] as string;
  if (r[6] !== null) es.intlDesignator = r[6] as string;
  if (r[20] !== null) es.bterm = r[20] as number;
  if (r[21] !== null) es.agom = r[21] as number;
  return es;
}

export function storedFromRow(
  r: Row,
  ingests: ReadonlyMap<number, IngestInfo>,
  markings: MarkingCache,
): StoredElementSet {
  const ingestId = r[C_INGEST] as number;
  const g = ingests.get(ingestId);
  if (g === undefined)
    throw new StoreError('STORE_CORRUPT', `element set ${String(r[C_ID])} names unknown ingest ${ingestId}`);
  return {
    id: r[C_ID] as number,
    catalogNumber: r[1] as string,
    elements: elementsFromRow(r),
    epochUtc: isoFromEpochKey(r[C_EPOCH_KEY] as number),
    source: g.source,
    label: g.label,
    marking: markings.get(r, C_MARK),
    format: g.format,
    ingestId,
    ingestedAt: g.startedAt,
  };
}

export function objectFromRow(r: Row): CatalogObject {
  return {
    catalogNumber: r[N_SET] as string,
    name: r[N_SET + 1] as string | null,
    intlDesignator: r[N_SET + 2] as string | null,
    objectType: r[N_SET + 3] as ObjectType,
    launchDate: r[N_SET + 4] as string | null,
    decayDate: r[N_SET + 5] as string | null,
    typeSource: r[N_SET + 6] === 'satcat' ? 'satcat' : 'name',
    ownerCode: r[N_SET + 7] as string | null,
    ownerName: r[N_SET + 8] as string | null,
    launchSiteCode: r[N_SET + 9] as string | null,
    launchSiteName: r[N_SET + 10] as string | null,
    rcsSize: r[N_SET + 11] as RcsSize | null,
    rcsM2: r[N_SET + 12] as number | null,
    satcatSource: r[N_SET + 13] as string | null,
    satcatIngestId: r[N_SET + 14] as number | null,
  };
}

/**
 * SQL conditions of an object filter (see ObjectFilter). A PAYLOAD filter also takes objects
 * without a SATCAT record whose name marks neither debris nor a rocket body (the name rule).
 */
export function filterConditions(
  filter: ObjectFilter & { readonly type?: ObjectType },
  cols: ObjectSql,
): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  const types = [...(filter.types ?? []), ...(filter.type === undefined ? [] : [filter.type])];
  for (const t of types) {
    if (!OBJECT_TYPES.includes(t)) {
      throw new StoreError(
        'STORE_BAD_OBJECT_TYPE',
        `object type ${JSON.stringify(t)} is not one of ${OBJECT_TYPES.join(', ')}`,
        {
          objectType: t,
        },
      );
    }
  }
  if (types.length > 0) {
    const parts = [sql`${cols.objectType} IN (${sql.join(types)})`];
    if (types.includes('PAYLOAD'))
      parts.push(sql`(${cols.typeSource} = 'name' AND ${cols.objectType} = 'UNKNOWN')`);
    out.push(sql`(${sql.join(parts, sql` OR `)})`);
  }
  if (filter.owners !== undefined && filter.owners.length > 0) {
    const codes = [...new Set(filter.owners.flatMap((c) => ownerCodesLike(c.trim())))];
    out.push(sql`${cols.ownerCode} IN (${sql.join(codes)})`);
  }
  if (filter.decayedBy !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(filter.decayedBy)) {
      throw new StoreError('STORE_BAD_DATE', `decayedBy: expected YYYY-MM-DD, got ${filter.decayedBy}`, {
        date: filter.decayedBy,
      });
    }
    out.push(sql`${cols.decayDate} IS NOT NULL AND ${cols.decayDate} <= ${filter.decayedBy}`);
  }
  return out;
}

/** Normalises a catalog number argument ("00005" → "5"); throws STORE_BAD_CATALOG_NUMBER. */
export function normaliseCatalogNumber(text: string): string {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) {
    throw new StoreError(
      'STORE_BAD_CATALOG_NUMBER',
      `catalog number ${JSON.stringify(text)} is not 1 to 9 decimal digits`,
      { text },
    );
  }
  return String(Number(t));
}

export function dateOrNull(value: string | null, field: string): string | null {
  if (value === null) return null;
  epochKeyFromIso(value, field);
  return value;
}

export interface ParseIssueRow {
  file: string | null;
  line: number | null;
  column: number | null;
  key: string | null;
  code: string;
  message: string;
  expected: string | null;
  found: string | null;
}

export function issueFromRow(r: ParseIssueRow): ParseIssue {
  const issue: Mutable<ParseIssue> = {
    code: r.code,
    message: r.message,
  };
  if (r.file !== null) issue.file = r.file;
  if (r.line !== null) issue.line = r.line;
  if (r.column !== null) issue.column = r.column;
  if (r.key !== null) issue.key = r.key;
  if (r.expected !== null) issue.expected = r.expected;
  if (r.found !== null) issue.found = r.found;
  return issue;
}
