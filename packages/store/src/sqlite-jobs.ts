/**
 * Background jobs, watch lists and alerts in the SQLite catalog database (schema v7 `0007_jobs`,
 * v8 `0008_watch_lists`), written with Kysely's query builder only, so the PostgreSQL store
 * (postgres-store.ts) runs the same functions (new ids come back through RETURNING, which both have).
 * The store keeps records only: running jobs, scheduling screenings and deciding what is an alert
 * belong to the server. JSON columns (job params and results, watch-list assets) are text.
 */
import type { Marking } from '@hoshimi/astro';
import type { Kysely, Selectable } from 'kysely';
import type {
  AlertHistoryEntry,
  AlertObservation,
  AlertQuery,
  JobQuery,
  JobUpdate,
  StoredAlert,
  StoredJob,
  StoredJobState,
  StoredWatchList,
  WatchListInput,
} from './catalog-store.js';
import { StoreError } from './errors.js';
import { markingOfRow, markingValues, type ReaderAccess, readableCondition } from './marking-sql.js';
import type {
  AlertHistoryTable,
  AlertsTable,
  CatalogDatabase,
  JobsTable,
  WatchListsTable,
} from './schema.js';

type Db = Kysely<CatalogDatabase>;
/** Who reads (a store view), or null for the unrestricted store. */
type Access = ReaderAccess | null;

function jobFromRow(r: Selectable<JobsTable>): StoredJob {
  return {
    id: r.id,
    kind: r.kind,
    params: JSON.parse(r.params) as Record<string, unknown>,
    state: r.state as StoredJobState,
    progressFraction: r.progress_fraction,
    progressMessage: r.progress_message,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, unknown>),
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
    marking: markingOfRow(r),
  };
}

export async function saveJobSqlite(db: Db, job: StoredJob, marking: Marking): Promise<void> {
  const known = await db.selectFrom('jobs').select('id').where('id', '=', job.id).executeTakeFirst();
  if (known !== undefined) {
    throw new StoreError('STORE_DUPLICATE', `a job with id ${job.id} is already stored`, { id: job.id });
  }
  await db
    .insertInto('jobs')
    .values({
      id: job.id,
      kind: job.kind,
      params: JSON.stringify(job.params),
      state: job.state,
      progress_fraction: job.progressFraction,
      progress_message: job.progressMessage,
      requested_by: job.requestedBy,
      created_at: job.createdAt,
      started_at: job.startedAt,
      finished_at: job.finishedAt,
      result: job.result === null ? null : JSON.stringify(job.result),
      error_code: job.error?.code ?? null,
      error_message: job.error?.message ?? null,
      ...markingValues(marking),
    })
    .execute();
}

export async function getJobSqlite(db: Db, id: string, access: Access): Promise<StoredJob | null> {
  const r = await db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', id)
    .where(readableCondition('jobs', access))
    .executeTakeFirst();
  return r === undefined ? null : jobFromRow(r);
}

export async function updateJobSqlite(
  db: Db,
  id: string,
  u: JobUpdate,
  access: Access,
  marking: Marking | undefined,
): Promise<StoredJob | null> {
  if ((await getJobSqlite(db, id, access)) === null) return null;
  const set: Partial<JobsTable> = marking === undefined ? {} : markingValues(marking);
  if (u.state !== undefined) set.state = u.state;
  if (u.progressFraction !== undefined) set.progress_fraction = u.progressFraction;
  if (u.progressMessage !== undefined) set.progress_message = u.progressMessage;
  if (u.startedAt !== undefined) set.started_at = u.startedAt;
  if (u.finishedAt !== undefined) set.finished_at = u.finishedAt;
  if (u.result !== undefined) set.result = u.result === null ? null : JSON.stringify(u.result);
  if (u.error !== undefined) {
    set.error_code = u.error?.code ?? null;
    set.error_message = u.error?.message ?? null;
  }
  if (Object.keys(set).length > 0) await db.updateTable('jobs').set(set).where('id', '=', id).execute();
  return getJobSqlite(db, id, access);
}

export async function listJobsSqlite(db: Db, q: JobQuery, access: Access): Promise<StoredJob[]> {
  let s = db.selectFrom('jobs').selectAll().where(readableCondition('jobs', access));
  if (q.states !== undefined && q.states.length > 0) s = s.where('state', 'in', [...q.states]);
  if (q.kind !== undefined) s = s.where('kind', '=', q.kind);
  if (q.requestedBy !== undefined) s = s.where('requested_by', '=', q.requestedBy);
  const rows = await s
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.floor(q.limit ?? 100)))
    .execute();
  return rows.map(jobFromRow);
}

function watchListFromRow(r: Selectable<WatchListsTable>): StoredWatchList {
  return {
    id: r.id,
    name: r.name,
    assets: JSON.parse(r.assets) as string[],
    schedule: r.every_hours === null || r.days === null ? null : { everyHours: r.every_hours, days: r.days },
    thresholds: { maxMissKm: r.max_miss_km, minPc: r.min_pc },
    webhookUrl: r.webhook_url,
    enabled: r.enabled !== 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastRunAt: r.last_run_at,
    marking: markingOfRow(r),
  };
}

function watchListColumns(w: WatchListInput) {
  return {
    name: w.name,
    assets: JSON.stringify(w.assets),
    every_hours: w.schedule?.everyHours ?? null,
    days: w.schedule?.days ?? null,
    max_miss_km: w.thresholds.maxMissKm,
    min_pc: w.thresholds.minPc,
    webhook_url: w.webhookUrl,
    enabled: w.enabled ? 1 : 0,
  };
}

export async function getWatchListSqlite(
  db: Db,
  id: number,
  access: Access,
): Promise<StoredWatchList | null> {
  const r = await db
    .selectFrom('watch_lists')
    .selectAll()
    .where('id', '=', id)
    .where(readableCondition('watch_lists', access))
    .executeTakeFirst();
  return r === undefined ? null : watchListFromRow(r);
}

export async function saveWatchListSqlite(
  db: Db,
  input: WatchListInput,
  id: number | undefined,
  nowIso: string,
  access: Access,
  marking: Marking,
): Promise<StoredWatchList | null> {
  if (id === undefined) {
    const r = await db
      .insertInto('watch_lists')
      .values({
        ...watchListColumns(input),
        created_at: nowIso,
        updated_at: nowIso,
        last_run_at: null,
        ...markingValues(marking),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return getWatchListSqlite(db, Number(r.id), access);
  }
  if ((await getWatchListSqlite(db, id, access)) === null) return null;
  const r = await db
    .updateTable('watch_lists')
    .set({ ...watchListColumns(input), updated_at: nowIso, ...markingValues(marking) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 0 ? null : getWatchListSqlite(db, id, access);
}

export async function listWatchListsSqlite(db: Db, access: Access): Promise<StoredWatchList[]> {
  const rows = await db
    .selectFrom('watch_lists')
    .selectAll()
    .where(readableCondition('watch_lists', access))
    .orderBy('id')
    .execute();
  return rows.map(watchListFromRow);
}

export async function deleteWatchListSqlite(db: Db, id: number, access: Access): Promise<boolean> {
  if ((await getWatchListSqlite(db, id, access)) === null) return false;
  return db.transaction().execute(async (trx) => {
    const alertIds = trx.selectFrom('alerts').select('id').where('watch_list_id', '=', id);
    await trx.deleteFrom('alert_history').where('alert_id', 'in', alertIds).execute();
    await trx.deleteFrom('alerts').where('watch_list_id', '=', id).execute();
    const r = await trx.deleteFrom('watch_lists').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  });
}

export async function markWatchListRunSqlite(db: Db, id: number, at: string, access: Access): Promise<void> {
  await db
    .updateTable('watch_lists')
    .set({ last_run_at: at })
    .where('id', '=', id)
    .where(readableCondition('watch_lists', access))
    .execute();
}

function historyFromRow(r: Selectable<AlertHistoryTable>): AlertHistoryEntry {
  return {
    at: r.at,
    change: r.change as AlertHistoryEntry['change'],
    screeningId: r.screening_id,
    tcaUtc: r.tca_utc,
    missKm: r.miss_km,
    pc: r.pc,
    by: r.by,
    note: r.note,
  };
}

async function alertsWithHistory(db: Db, rows: Selectable<AlertsTable>[]): Promise<StoredAlert[]> {
  if (rows.length === 0) return [];
  const hist = await db
    .selectFrom('alert_history')
    .selectAll()
    .where(
      'alert_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  const byAlert = new Map<number, AlertHistoryEntry[]>();
  for (const h of hist) {
    const list = byAlert.get(h.alert_id);
    if (list === undefined) byAlert.set(h.alert_id, [historyFromRow(h)]);
    else list.push(historyFromRow(h));
  }
  return rows.map((r) => ({
    id: r.id,
    watchListId: r.watch_list_id,
    assetId: r.asset_id,
    otherId: r.other_id,
    tcaUtc: r.tca_utc,
    missKm: r.miss_km,
    pc: r.pc,
    screeningId: r.screening_id,
    state: r.state === 'acknowledged' ? 'acknowledged' : 'open',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    acknowledgementNote: r.acknowledgement_note,
    history: byAlert.get(r.id) ?? [],
    marking: markingOfRow(r),
  }));
}

export async function getAlertSqlite(db: Db, id: number, access: Access): Promise<StoredAlert | null> {
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .where('id', '=', id)
    .where(readableCondition('alerts', access))
    .execute();
  return (await alertsWithHistory(db, rows))[0] ?? null;
}

/**
 * Records an observation with its resolved marking (`markingOf` gets the watch list's marking and
 * returns the alert's). Through a view, the watch list and a known alert must be readable.
 */
export async function recordAlertSqlite(
  db: Db,
  o: AlertObservation,
  access: Access,
  markingOf: (watchList: Marking) => Marking,
): Promise<StoredAlert | null> {
  const id = await db.transaction().execute(async (trx): Promise<number | null> => {
    let alertId: number;
    const list = await trx
      .selectFrom('watch_lists')
      .selectAll()
      .where('id', '=', o.watchListId)
      .where(readableCondition('watch_lists', access))
      .executeTakeFirst();
    const marking = list === undefined ? undefined : markingOf(markingOfRow(list));
    if (o.id === undefined) {
      if (list === undefined) {
        throw new StoreError('STORE_NOT_FOUND', `no watch list ${o.watchListId}`, { id: o.watchListId });
      }
      const r = await trx
        .insertInto('alerts')
        .values({
          watch_list_id: o.watchListId,
          asset_id: o.assetId,
          other_id: o.otherId,
          tca_utc: o.tcaUtc,
          miss_km: o.missKm,
          pc: o.pc,
          screening_id: o.screeningId,
          state: 'open',
          created_at: o.at,
          updated_at: o.at,
          acknowledged_by: null,
          acknowledged_at: null,
          acknowledgement_note: null,
          ...markingValues(markingOf(markingOfRow(list))),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      alertId = Number(r.id);
    } else {
      if (marking === undefined) return null;
      const r = await trx
        .updateTable('alerts')
        .set({
          tca_utc: o.tcaUtc,
          miss_km: o.missKm,
          pc: o.pc,
          screening_id: o.screeningId,
          state: 'open',
          updated_at: o.at,
          ...markingValues(marking),
        })
        .where('id', '=', o.id)
        .where(readableCondition('alerts', access))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return null;
      alertId = o.id;
    }
    await trx
      .insertInto('alert_history')
      .values({
        alert_id: alertId,
        at: o.at,
        change: o.id === undefined ? 'new' : 'changed',
        screening_id: o.screeningId,
        tca_utc: o.tcaUtc,
        miss_km: o.missKm,
        pc: o.pc,
        by: null,
        note: null,
      })
      .execute();
    return alertId;
  });
  return id === null ? null : getAlertSqlite(db, id, access);
}

export async function acknowledgeAlertSqlite(
  db: Db,
  id: number,
  ack: { readonly by: string; readonly at: string; readonly note: string | null },
  access: Access,
): Promise<StoredAlert | null> {
  const done = await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('alerts')
      .set({
        state: 'acknowledged',
        acknowledged_by: ack.by,
        acknowledged_at: ack.at,
        acknowledgement_note: ack.note,
        updated_at: ack.at,
      })
      .where('id', '=', id)
      .where(readableCondition('alerts', access))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await trx
      .insertInto('alert_history')
      .values({
        alert_id: id,
        at: ack.at,
        change: 'acknowledged',
        screening_id: null,
        tca_utc: null,
        miss_km: null,
        pc: null,
        by: ack.by,
        note: ack.note,
      })
      .execute();
    return true;
  });
  return done ? getAlertSqlite(db, id, access) : null;
}

export async function listAlertsSqlite(
  db: Db,
  q: AlertQuery,
  access: Access,
): Promise<{ alerts: StoredAlert[]; total: number }> {
  let s = db.selectFrom('alerts').where(readableCondition('alerts', access));
  if (q.watchListId !== undefined) s = s.where('watch_list_id', '=', q.watchListId);
  if (q.state !== undefined) s = s.where('state', '=', q.state);
  if (q.catalogNumber !== undefined) {
    const cn = q.catalogNumber;
    s = s.where((eb) => eb.or([eb('asset_id', '=', cn), eb('other_id', '=', cn)]));
  }
  if (q.tcaFrom !== undefined) s = s.where('tca_utc', '>=', q.tcaFrom);
  if (q.tcaTo !== undefined) s = s.where('tca_utc', '<=', q.tcaTo);
  const count = await s.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await s
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.floor(q.limit ?? 50)))
    .offset(Math.max(0, Math.floor(q.offset ?? 0)))
    .execute();
  return { alerts: await alertsWithHistory(db, rows), total: Number(count?.n ?? 0) };
}
