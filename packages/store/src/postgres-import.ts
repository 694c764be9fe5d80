/**
 * Bulk import into the PostgreSQL catalog (postgres-store.ts): one transaction per file on one
 * connection, the records of each batch written by a few set-based statements whose parameters are
 * whole columns (`INSERT … SELECT … FROM unnest($1::text[], $2::float8[], …)`): a batch of thousands
 * of element sets is one round trip and one statement, whatever its size (a multi-row VALUES list
 * would stop at PostgreSQL's 65,535 parameters). Rules and issues are those of the SQLite import
 * (import-rules.ts, sqlite-import.ts), so both stores store, count and reject the same records:
 *
 * - objects: per batch, each object's newest named set (the later record at equal epochs) and first
 *   designator, upserted in catalog-number order with the SQLite import's CASE rules; an object
 *   counts as new when the upsert inserted it (`xmax = 0`);
 * - element sets: `ON CONFLICT (catalog_number, epoch_key, source, content_hash) DO NOTHING`, in file
 *   order (ids increase with insertion); the rows it returns are the inserted ones, the others of the
 *   batch are duplicates (also of an earlier record of the same statement, which DO NOTHING skips);
 * - doubles travel as shortest round-trip text, `-0` kept, and come back the same (PostgreSQL ≥ 12
 *   prints float8 in shortest exact form), so what was parsed is what is read back.
 *
 * Concurrency: every writer of element sets and objects takes one transaction-level advisory lock
 * (IMPORT_LOCK) first, so imports from several processes run one after the other (no deadlock
 * between two files upserting the same objects in different orders) while readers, who take no
 * lock, keep reading the last committed state. The repeat check (same content, source, label and
 * marking) runs under that lock, so two processes importing one file store it once.
 */
import {
  detectElementFormat,
  type ElementFormat,
  type ElementRecord,
  formatMarking,
  type Marking,
  type ParseIssue,
  parseElements,
  parseTleText,
} from '@hoshimi/astro';
import type pg from 'pg';
import type { ImportInput, IngestReport } from './catalog-store.js';
import { epochKeyFromJulian } from './epoch-key.js';
import { StoreError } from './errors.js';
import {
  elementContentHash,
  explainForeign,
  failedIssue,
  OMM_BATCH_RECORDS,
  sgp4AtEpochIssue,
  shiftIssue,
  sourcePriority,
  tooLargeIssue,
} from './import-rules.js';
import { markingColumns } from './marking-sql.js';
import { objectTypeFromName } from './object-type.js';
import { connectionLost, float8Text, floatOrNull, ingestLog, lockImports } from './postgres-ingest-log.js';
import { importSatcatPostgres } from './postgres-satcat-import.js';
import { lineBatches, MAX_WHOLE_TEXT_BYTES, readWholeText, scanInput } from './read-input.js';
import { detectSatcatFormat } from './satcat.js';

/** Runs `fn` in a transaction of its own on the connection. */
async function inTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Where the element sets of one batch come from. */
export interface PostgresSetOrigin {
  readonly ingestId: number;
  readonly source: string;
  readonly label: string;
  readonly format: ElementFormat;
  readonly marking: Marking;
}

const INSERT_OBJECTS = `INSERT INTO objects AS o (catalog_number, name, intl_designator, object_type, type_source,
    name_epoch_key)
  SELECT u.cn, u.name, u.intl, u.type, 'name', u.key
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(cn, name, intl, type, key)
  ORDER BY u.cn
  ON CONFLICT (catalog_number) DO UPDATE SET
    name = CASE WHEN excluded.name IS NOT NULL AND o.type_source = 'name'
      AND (o.name_epoch_key IS NULL OR o.name_epoch_key <= excluded.name_epoch_key) THEN excluded.name ELSE o.name END,
    object_type = CASE WHEN excluded.name IS NOT NULL AND o.type_source = 'name'
      AND (o.name_epoch_key IS NULL OR o.name_epoch_key <= excluded.name_epoch_key)
      THEN excluded.object_type ELSE o.object_type END,
    name_epoch_key = CASE WHEN excluded.name IS NOT NULL AND o.type_source = 'name'
      AND (o.name_epoch_key IS NULL OR o.name_epoch_key <= excluded.name_epoch_key)
      THEN excluded.name_epoch_key ELSE o.name_epoch_key END,
    intl_designator = COALESCE(o.intl_designator, excluded.intl_designator)
  RETURNING (o.xmax = 0) AS inserted`;

const INSERT_SETS = `INSERT INTO element_sets (catalog_number, epoch_jd, epoch_jd_frac, epoch_key, name,
    intl_designator, classification, mean_motion_rad_per_min, eccentricity, inclination_rad, raan_rad,
    arg_perigee_rad, mean_anomaly_rad, bstar, mean_motion_dot, mean_motion_ddot, ephemeris_type,
    element_set_number, revolution_number, bterm, agom, content_hash, source, source_priority, label, format,
    ingest_id, mk_classification, mk_release, mk_originator, mk_data_mode)
  SELECT u.cn, u.jd, u.jd_frac, u.key, u.name, u.intl, u.cls, u.n, u.e, u.i, u.raan, u.argp, u.ma, u.bstar,
    u.ndot, u.nddot, u.eph, u.esn, u.rev, u.bterm, u.agom, u.hash,
    $23::text, $24::integer, $25::text, $26::text, $27::integer, $28::text, $29::text, $30::text, $31::text
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::bigint[], $5::text[], $6::text[], $7::text[],
    $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[],
    $15::float8[], $16::float8[], $17::integer[], $18::integer[], $19::integer[], $20::float8[], $21::float8[],
    $22::text[]) WITH ORDINALITY AS u(cn, jd, jd_frac, key, name, intl, cls, n, e, i, raan, argp, ma, bstar,
    ndot, nddot, eph, esn, rev, bterm, agom, hash, ord)
  ORDER BY u.ord
  ON CONFLICT (catalog_number, epoch_key, source, content_hash) DO NOTHING
  RETURNING id`;

/**
 * Writes element sets (already checked) inside the caller's open transaction, which holds
 * IMPORT_LOCK: their objects first (see the module header), then the sets. Returns the counts and
 * the ids of the inserted sets, in insertion order.
 */
export async function writeElementSets(
  client: pg.ClientBase,
  records: readonly ElementRecord[],
  origin: PostgresSetOrigin,
): Promise<{ inserted: number; newObjects: number; ids: number[] }> {
  if (records.length === 0) return { inserted: 0, newObjects: 0, ids: [] };
  // Per object: the newest named set (later record at equal epoch keys) and the first designator.
  const objects = new Map<string, { name: string | null; key: number | null; intl: string | null }>();
  const keys = new Array<number>(records.length);
  for (const [k, rec] of records.entries()) {
    const es = rec.elements;
    const key = epochKeyFromJulian(es.epoch);
    keys[k] = key;
    let o = objects.get(es.catalogNumber);
    if (o === undefined) objects.set(es.catalogNumber, (o = { name: null, key: null, intl: null }));
    if (es.name !== undefined && (o.key === null || o.key <= key)) {
      o.name = es.name;
      o.key = key;
    }
    if (o.intl === null && es.intlDesignator !== undefined) o.intl = es.intlDesignator;
  }
  const cns = [...objects.keys()];
  const obj = [...objects.values()];
  const up = await client.query<{ inserted: boolean }>(INSERT_OBJECTS, [
    cns,
    obj.map((o) => o.name),
    obj.map((o) => o.intl),
    obj.map((o) => objectTypeFromName(o.name)),
    obj.map((o) => o.key),
  ]);
  let newObjects = 0;
  for (const r of up.rows) if (r.inserted) newObjects++;
  const es = records.map((r) => r.elements);
  const f = (get: (e: (typeof es)[number]) => number) => es.map((e) => float8Text(get(e)));
  const sets = await client.query<{ id: number }>(INSERT_SETS, [
    es.map((e) => e.catalogNumber),
    f((e) => e.epoch.jd),
    f((e) => e.epoch.jdFrac),
    keys,
    es.map((e) => e.name ?? null),
    es.map((e) => e.intlDesignator ?? null),
    es.map((e) => e.classification),
    f((e) => e.meanMotionRadPerMin),
    f((e) => e.eccentricity),
    f((e) => e.inclinationRad),
    f((e) => e.raanRad),
    f((e) => e.argPerigeeRad),
    f((e) => e.meanAnomalyRad),
    f((e) => e.bstar),
    f((e) => e.meanMotionDotRevPerDay2),
    f((e) => e.meanMotionDdotRevPerDay3),
    es.map((e) => e.ephemerisType),
    es.map((e) => e.elementSetNumber),
    es.map((e) => e.revolutionNumber),
    es.map((e) => floatOrNull(e.bterm)),
    es.map((e) => floatOrNull(e.agom)),
    es.map(elementContentHash),
    origin.source,
    sourcePriority(origin.source),
    origin.label,
    origin.format,
    origin.ingestId,
    ...markingColumns(origin.marking),
  ]);
  return { inserted: sets.rows.length, newObjects, ids: sets.rows.map((r) => r.id) };
}

export interface PostgresImportContext {
  /** A connection of its own (no other use while the import runs). */
  readonly client: pg.ClientBase;
  /** The marking stamped on every element set and on the ingest (the store resolved it). */
  readonly marking: Marking;
  readonly nowIso: () => string;
  readonly batchLines: number;
  /**
   * Runs inside the file's transaction after its element sets are written and before COMMIT (not
   * when the file stores none); an exception from it rolls the whole import back.
   */
  readonly beforeCommit?: (ingestId: number) => Promise<void>;
}

/**
 * Imports one file (see the module header). Resolves with the ingest report; rejects with StoreError
 * `IMPORT_ABORTED` (database unchanged) when the signal fires or an exception interrupts it, and with
 * `STORE_CONNECTION_LOST` when the session ends under it (server restart, terminated backend).
 */
export async function importIntoPostgres(
  ctx: PostgresImportContext,
  input: ImportInput,
): Promise<IngestReport> {
  const { client } = ctx;
  const name = input.name;
  let source = input.source ?? 'file';
  const marking = ctx.marking;
  const mk = markingColumns(marking);
  const label = input.label ?? (input.marking === undefined ? 'UNMARKED' : formatMarking(marking));
  const startedAt = ctx.nowIso();
  const scan = await scanInput(input.bytes);
  const satcat = scan.kind === 'text' ? detectSatcatFormat(scan.head) : undefined;
  if (satcat !== undefined && source === 'file')
    source = satcat === 'satcat-json' ? 'spacetrack' : 'celestrak';
  const base = { name, sha256: scan.sha256, source, label, startedAt, marking };
  const failed = async (
    format: ElementFormat | null,
    issues: readonly ParseIssue[],
  ): Promise<IngestReport> => {
    const finishedAt = ctx.nowIso();
    const ingestId = await inTransaction(client, async () => {
      const id = await ingestLog.insert(client, { ...base, format });
      await ingestLog.issues(client, id, 'rejected', issues);
      await ingestLog.finish(client, id, {
        format,
        finishedAt,
        status: 'failed',
        read: 0,
        inserted: 0,
        duplicates: 0,
        newObjects: 0,
        rejected: issues.length,
      });
      return id;
    });
    return {
      ...base,
      ingestId,
      format,
      finishedAt,
      read: 0,
      inserted: 0,
      duplicates: 0,
      newObjects: 0,
      rejected: issues,
      warnings: [],
      alreadyImportedAs: null,
      status: 'failed',
    };
  };

  if (scan.kind !== 'text') return failed(null, [failedIssue(name, scan)]);

  const format = satcat === undefined ? detectElementFormat(scan.head) : undefined;
  const isTle = format === 'tle' || format === '3le';
  if (satcat === undefined && format === undefined) {
    const r = parseElements(scan.head, { file: name });
    return failed(null, r.ok ? [] : r.issues);
  }
  if ((satcat !== undefined || !isTle) && scan.size > MAX_WHOLE_TEXT_BYTES)
    return failed(format ?? null, [tooLargeIssue(name, MAX_WHOLE_TEXT_BYTES, scan.gzip)]);

  const counts = { read: 0, inserted: 0, duplicates: 0, newObjects: 0, lines: 0 };
  const rejected: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  let reportFormat = format as ElementFormat;
  let ingestId = 0;
  let prior: number | null = null;
  let satcatReport: IngestReport | null = null;

  const writeBatch = async (records: readonly ElementRecord[], fileFormat: ElementFormat) => {
    const good: ElementRecord[] = [];
    for (const rec of records) {
      const unusable = sgp4AtEpochIssue(rec.elements);
      if (unusable !== null) rejected.push({ file: name, line: rec.line, ...unusable });
      else good.push(rec);
    }
    const w = await writeElementSets(client, good, { ingestId, source, label, format: fileFormat, marking });
    counts.read += good.length;
    counts.inserted += w.inserted;
    counts.duplicates += good.length - w.inserted;
    counts.newObjects += w.newObjects;
    if (format === '3le') {
      for (const rec of good) {
        if (rec.elements.name !== undefined) continue;
        warnings.push({
          file: name,
          line: rec.line,
          code: 'TLE_NAME_MISSING',
          message: `3LE record of object ${rec.elements.catalogNumber} has no name line (stored without a name)`,
          expected: 'a name line ("0 NAME") before line 1',
          found: 'line 1',
        });
      }
    }
  };
  const progress = () => {
    input.onProgress?.({
      name,
      lines: counts.lines,
      read: counts.read,
      inserted: counts.inserted,
      rejected: rejected.length,
    });
    if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
  };

  let committing = false;
  await client.query('BEGIN');
  try {
    await lockImports(client);
    const found = await client.query<{ id: number }>(
      `SELECT id FROM ingests WHERE sha256 = $1 AND source = $2 AND label = $3 AND mk_classification = $4
         AND mk_release = $5 AND mk_originator = $6 AND mk_data_mode = $7 AND status IN ('ok', 'partial')
         ORDER BY id LIMIT 1`,
      [scan.sha256, source, label, ...mk],
    );
    prior = found.rows[0]?.id ?? null;
    if (prior !== null) {
      await client.query('COMMIT');
    } else if (satcat !== undefined) {
      const text = await readWholeText(input.bytes);
      satcatReport = await importSatcatPostgres(
        { client, nowIso: ctx.nowIso },
        { ...input, source },
        base,
        text,
        satcat,
      );
      await client.query('COMMIT');
    } else {
      if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
      ingestId = await ingestLog.insert(client, { ...base, format: format ?? null });
      if (isTle) {
        for await (const batch of lineBatches(input.bytes, ctx.batchLines)) {
          const offset = batch.firstLine - 1;
          const r = parseTleText(batch.lines.join('\n'), { file: name });
          const issues = r.ok ? r.value.rejected : r.issues.filter((i) => i.code !== 'TLE_EMPTY');
          for (const i of issues) rejected.push(explainForeign(shiftIssue(i, offset), reportFormat));
          if (r.ok) {
            await writeBatch(
              offset === 0
                ? r.value.records
                : r.value.records.map((rec) => ({ ...rec, line: rec.line + offset })),
              reportFormat,
            );
            for (const w of r.warnings) warnings.push(shiftIssue(w, offset));
          }
          counts.lines += batch.lines.length;
          progress();
        }
      } else {
        const text = await readWholeText(input.bytes);
        const r = parseElements(text, { file: name });
        if (!r.ok) rejected.push(...r.issues);
        else {
          reportFormat = r.value.format;
          rejected.push(...r.value.rejected);
          warnings.push(...r.warnings);
          const recs = r.value.records;
          for (let i = 0; i < recs.length; i += OMM_BATCH_RECORDS) {
            const slice = recs.slice(i, i + OMM_BATCH_RECORDS);
            await writeBatch(slice, reportFormat);
            counts.lines += slice.length;
            progress();
          }
        }
      }
      if (counts.read > 0) {
        await ingestLog.issues(client, ingestId, 'rejected', rejected);
        await ingestLog.issues(client, ingestId, 'warning', warnings);
        await ingestLog.finish(client, ingestId, {
          format: reportFormat,
          finishedAt: ctx.nowIso(),
          status: rejected.length > 0 ? 'partial' : 'ok',
          read: counts.read,
          inserted: counts.inserted,
          duplicates: counts.duplicates,
          newObjects: counts.newObjects,
          rejected: rejected.length,
        });
        await ctx.beforeCommit?.(ingestId);
        committing = true;
        await client.query('COMMIT');
      } else {
        await client.query('ROLLBACK');
      }
    }
  } catch (e) {
    if (connectionLost(e)) {
      // No ROLLBACK to send: the server rolls back a transaction whose session ends, unless the
      // session ended while COMMIT was on its way (then only the ingest log can tell).
      const outcome = committing
        ? 'while committing: whether the file was stored is unknown; import it again (a stored file is reported as already imported)'
        : 'before its transaction committed: nothing of the file was stored';
      throw new StoreError(
        'STORE_CONNECTION_LOST',
        `the connection to PostgreSQL was lost during the import of ${name} after ${counts.read} element sets, ${outcome} (${(e as Error).message})`,
        { name, read: counts.read, duringCommit: committing },
        { cause: e },
      );
    }
    await client.query('ROLLBACK').catch(() => undefined);
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      'IMPORT_ABORTED',
      `import of ${name} stopped after ${counts.read} element sets and was rolled back: ${(e as Error)?.message ?? String(e)}`,
      { name, read: counts.read },
      { cause: e },
    );
  }

  if (prior !== null) {
    const formatOf = await client.query<{ format: string | null }>(
      'SELECT format FROM ingests WHERE id = $1',
      [prior],
    );
    return {
      ...base,
      ingestId: prior,
      format: (formatOf.rows[0]?.format ?? null) as IngestReport['format'],
      finishedAt: ctx.nowIso(),
      read: 0,
      inserted: 0,
      duplicates: 0,
      newObjects: 0,
      rejected: [],
      warnings: [],
      alreadyImportedAs: prior,
      status: 'ok',
    };
  }
  if (satcatReport !== null) return satcatReport;
  if (counts.read === 0) return failed(reportFormat, rejected);
  const log = await client.query<{ finished_at: string }>('SELECT finished_at FROM ingests WHERE id = $1', [
    ingestId,
  ]);
  return {
    ...base,
    ingestId,
    format: reportFormat,
    finishedAt: log.rows[0]?.finished_at ?? startedAt,
    read: counts.read,
    inserted: counts.inserted,
    duplicates: counts.duplicates,
    newObjects: counts.newObjects,
    rejected,
    warnings,
    alreadyImportedAs: null,
    status: rejected.length > 0 ? 'partial' : 'ok',
  };
}
