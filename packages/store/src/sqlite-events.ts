/**
 * Detection events in the SQLite catalog database (schema v6, migrations.ts `0006_events`): the
 * upsert of a batch on the identity key, and the queries by object, type, detector and window
 * overlap. Times are held as epoch keys (microseconds, epoch-key.ts), so the window comparisons
 * are integer comparisons on indexed columns and read back as `YYYY-MM-DDThh:mm:ss.ffffffZ`.
 */

import type { Marking } from '@hoshimi/astro';
import {
  canRead,
  checkDetectionEvent,
  type DetectionEvent,
  detectionEventKey,
  isDetectionEventType,
} from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { EventQuery, SaveEventsOptions, SaveEventsReport, StoredEvent } from './catalog-store.js';
import { epochKeyFromIso, isoFromEpochKey } from './epoch-key.js';
import { StoreError } from './errors.js';
import { markingColumns, markingOfRow, type ReaderAccess, readableCondition } from './marking-sql.js';
import type { CatalogDatabase, EventsTable } from './schema.js';

/**
 * The row key of an organisation's own record of an event whose identity key is held by a record
 * it may not read (`event_key` is unique): the identity key and the organisation, after a separator
 * no identity key contains (`detectionEventKey` ends with an ISO time). Read back as the identity
 * key (`storedEventFromRow`).
 */
export function ownEventKey(key: string, organisation: string): string {
  return `${key}${OWN_KEY_SEPARATOR}${organisation}`;
}

const OWN_KEY_SEPARATOR = '|@';

/** The identity key of a row key (see ownEventKey). */
function identityKey(rowKey: string): string {
  const at = rowKey.lastIndexOf(OWN_KEY_SEPARATOR);
  return at < 0 ? rowKey : rowKey.slice(0, at);
}

/** Label of events saved without one (as element sets). */
export const DEFAULT_EVENT_LABEL = 'UNMARKED';

/**
 * Every record checked and normalised, and the label checked, before anything is stored: the first
 * bad record is StoreError `STORE_BAD_EVENT` with its index (both stores call this).
 */
export function checkedEvents(
  events: readonly DetectionEvent[],
  options: SaveEventsOptions,
): DetectionEvent[] {
  const records: DetectionEvent[] = [];
  events.forEach((e, index) => {
    const check = checkDetectionEvent(e);
    if (!check.ok) {
      const first = check.issues[0]!;
      throw new StoreError(
        'STORE_BAD_EVENT',
        `event ${index}: ${first.key || 'record'}: expected ${first.expected}, found ${first.found}` +
          (check.issues.length > 1 ? ` (and ${check.issues.length - 1} more issue(s))` : ''),
        { index, issues: check.issues },
      );
    }
    records.push(check.value);
  });
  if (options.label !== undefined && options.label.trim() === '') {
    throw new StoreError('STORE_BAD_EVENT', 'the releasability label of events must be non-empty text', {
      label: options.label,
    });
  }
  return records;
}

/**
 * Validates and normalises every record first (one bad record stores nothing), then inserts new
 * identities and refreshes known ones in one transaction. `nowIso` stamps created/updated times.
 * `marking` (resolved by the store) is stamped on new events, and on known ones when `remark`.
 */
export function saveEventsSqlite(
  db: Database.Database,
  events: readonly DetectionEvent[],
  options: SaveEventsOptions,
  nowIso: string,
  marking: Marking,
  remark: boolean,
  access: ReaderAccess | null = null,
): SaveEventsReport {
  const records = checkedEvents(events, options);
  const insert = db.prepare(
    `INSERT INTO events (event_key, type, kind, objects, time_key, window_start_key, window_end_key, score,
      threshold, detector, detector_version, evidence, inputs, label, created_at, updated_at,
      mk_classification, mk_release, mk_originator, mk_data_mode)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_key) DO NOTHING`,
  );
  const insertObject = db.prepare(
    'INSERT INTO event_objects (event_id, position, catalog_number) VALUES (?, ?, ?)',
  );
  const refresh = db.prepare(
    `UPDATE events SET time_key = ?, score = ?, threshold = ?, evidence = ?, inputs = ?,
      label = coalesce(?, label), updated_at = ? WHERE event_key = ?`,
  );
  const mk = markingColumns(marking);
  // Through a view, a known event the reader may not see is left as it is (never refreshed).
  const knownMarking = db.prepare(
    'SELECT mk_classification, mk_release, mk_originator, mk_data_mode FROM events WHERE event_key = ?',
  );
  const mayChange = (key: string): boolean => {
    if (access === null) return true;
    const r = knownMarking.get(key) as Parameters<typeof markingOfRow>[0] | undefined;
    return r !== undefined && canRead(access.scheme, access.reader, markingOfRow(r));
  };
  const exists = db.prepare('SELECT 1 FROM events WHERE event_key = ?').pluck();
  /**
   * The row key a write uses. Through a view, when a record of the same identity exists that the
   * reader may not read, the reader's event is its own record under its organisation's key (see
   * `ownEventKey`), inserted or refreshed like any other: nothing the caller gets back (inserted or
   * known) tells a hidden identity from an absent one, and the hidden record is untouched.
   */
  const rowKey = (key: string): string => {
    if (access === null || exists.get(key) === undefined || mayChange(key)) return key;
    return ownEventKey(key, access.reader.organisation);
  };
  const remarkEvent = db.prepare(
    `UPDATE events SET mk_classification = ?, mk_release = ?, mk_originator = ?, mk_data_mode = ?
      WHERE event_key = ?`,
  );
  const save = db.transaction((): SaveEventsReport => {
    let inserted = 0;
    let known = 0;
    for (const e of records) {
      const key = rowKey(detectionEventKey(e));
      const timeKey = epochKeyFromIso(e.timeUtc, 'event time');
      const evidence = JSON.stringify(e.evidence);
      const inputs = JSON.stringify(e.inputs);
      const r = insert.run(
        key,
        e.type,
        e.kind,
        e.objects.join('+'),
        timeKey,
        epochKeyFromIso(e.windowStartUtc, 'event window start'),
        epochKeyFromIso(e.windowEndUtc, 'event window end'),
        e.score,
        e.threshold,
        e.detector,
        e.detectorVersion,
        evidence,
        inputs,
        options.label ?? DEFAULT_EVENT_LABEL,
        nowIso,
        nowIso,
        ...mk,
      );
      if (r.changes === 1) {
        inserted++;
        const id = Number(r.lastInsertRowid);
        for (const [position, cn] of e.objects.entries()) insertObject.run(id, position, cn);
      } else {
        known++;
        if (!mayChange(key)) continue;
        refresh.run(timeKey, e.score, e.threshold, evidence, inputs, options.label ?? null, nowIso, key);
        if (remark) remarkEvent.run(...mk, key);
      }
    }
    return { inserted, known };
  });
  return save();
}

/** Builds the query of `events` (Kysely writes the SQL; the caller runs it). */
export function eventsQuery(
  kysely: Kysely<CatalogDatabase>,
  query: EventQuery,
  access: ReaderAccess | null = null,
) {
  let q = kysely.selectFrom('events').selectAll('events');
  if (access !== null) q = q.where(readableCondition('events', access));
  if (query.id !== undefined) q = q.where('events.id', '=', query.id);
  if (query.catalogNumber !== undefined) {
    const text = query.catalogNumber.trim();
    if (!/^\d{1,9}$/.test(text)) {
      throw new StoreError(
        'STORE_BAD_CATALOG_NUMBER',
        `catalog number ${JSON.stringify(query.catalogNumber)} is not 1 to 9 decimal digits`,
        { text: query.catalogNumber },
      );
    }
    const cn = String(Number(text));
    q = q.where('events.id', 'in', (eb) =>
      eb
        .selectFrom('event_objects')
        .select('event_objects.event_id')
        .where('event_objects.catalog_number', '=', cn),
    );
  }
  if (query.type !== undefined) {
    if (!isDetectionEventType(query.type)) {
      throw new StoreError('STORE_BAD_EVENT', `unknown event type ${JSON.stringify(query.type)}`, {
        type: query.type,
      });
    }
    q = q.where('events.type', '=', query.type);
  }
  if (query.detector !== undefined) q = q.where('events.detector', '=', query.detector);
  const fromKey = query.from === undefined ? undefined : epochKeyFromIso(query.from, 'from');
  const toKey = query.to === undefined ? undefined : epochKeyFromIso(query.to, 'to');
  if (fromKey !== undefined && toKey !== undefined && toKey < fromKey) {
    throw new StoreError('STORE_BAD_TIME', `the query's end ${query.to} is before its start ${query.from}`, {
      from: query.from,
      to: query.to,
    });
  }
  // Overlap of [window start, window end] with [from, to]: start ≤ to and end ≥ from.
  if (toKey !== undefined) q = q.where('events.window_start_key', '<=', toKey);
  if (fromKey !== undefined) q = q.where('events.window_end_key', '>=', fromKey);
  q = q.orderBy('events.time_key').orderBy('events.id');
  if (query.limit !== undefined) q = q.limit(Math.max(0, Math.floor(query.limit)));
  return q;
}

/** A stored row as the record. */
export function storedEventFromRow(r: Selectable<EventsTable>): StoredEvent {
  return {
    id: r.id,
    key: identityKey(r.event_key),
    type: r.type as StoredEvent['type'],
    objects: r.objects.split('+'),
    timeUtc: isoFromEpochKey(Number(r.time_key)),
    windowStartUtc: isoFromEpochKey(Number(r.window_start_key)),
    windowEndUtc: isoFromEpochKey(Number(r.window_end_key)),
    kind: r.kind,
    score: r.score,
    threshold: r.threshold,
    detector: r.detector,
    detectorVersion: r.detector_version,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    label: r.label,
    marking: markingOfRow(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
