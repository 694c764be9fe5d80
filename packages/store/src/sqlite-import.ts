/**
 * Bulk import into the SQLite catalog: one transaction per file, records written in batches with
 * better-sqlite3 prepared statements. This is the one place that bypasses Kysely: a query builder
 * compiles and prepares every statement again, which costs more than the insert itself at tens of
 * thousands of rows per file; a PostgreSQL store would use COPY or multi-row inserts here instead.
 *
 * The file's whole transaction is `BEGIN IMMEDIATE … COMMIT` around an asynchronous stream (the
 * gunzip and line reader yield between batches); each batch is a better-sqlite3 `db.transaction`,
 * which nests as a savepoint. The store runs one operation at a time (sqlite-store.ts), so nothing
 * else uses the connection while the file's transaction is open. Any exception (including an abort)
 * rolls back the file's transaction: the database is exactly as before.
 *
 * Rules (documented in the module headers they come from): object type from names (object-type.ts);
 * duplicates are element sets with the same object, epoch key, source and content hash (the hash
 * covers every orbital field, not the name or label); the newest named element set names the object;
 * an element set SGP4 cannot propagate at its own epoch is rejected with its line
 * (`ELEMENTS_SGP4_UNUSABLE`). These rules live in import-rules.ts, shared with postgres-import.ts.
 * A SATCAT file (satcat.ts) goes to sqlite-satcat-import.ts instead.
 */
import {
  detectElementFormat,
  type ElementFormat,
  type ElementRecord,
  type ElementSet,
  formatMarking,
  type Marking,
  type ParseIssue,
  parseElements,
  parseTleText,
} from '@hoshimi/astro';
import type Database from 'better-sqlite3';
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
import { lineBatches, MAX_WHOLE_TEXT_BYTES, readWholeText, scanInput } from './read-input.js';
import { detectSatcatFormat } from './satcat.js';
import { importSatcatText } from './sqlite-satcat-import.js';

export {
  DEFAULT_BATCH_LINES,
  elementContentHash,
  sgp4AtEpochIssue,
  sourcePriority,
  surelyPropagatableAtEpoch,
} from './import-rules.js';

/** Where one element set written by `writeElementSet` comes from: its (open) ingest and provenance. */
export interface ElementSetOrigin {
  readonly ingestId: number;
  readonly source: string;
  readonly label: string;
  readonly format: ElementFormat;
  /** (v9) The set's marking. */
  readonly marking: Marking;
}

/**
 * Writes one element set inside the caller's open transaction: creates its object (type from the
 * name) or renames it when the set is the newest named one, then stores the set unless the same
 * object, epoch, source and content are stored already. Used by the file import and by the node
 * exchange (a received bundle), so both follow the same rules.
 */
export function writeElementSet(
  db: Database.Database,
  es: ElementSet,
  origin: ElementSetOrigin,
): { readonly inserted: boolean; readonly newObject: boolean; readonly id: number | null } {
  const st = statements(db);
  const key = epochKeyFromJulian(es.epoch);
  const esName = es.name ?? null;
  const intl = es.intlDesignator ?? null;
  const type = objectTypeFromName(esName);
  let newObject = false;
  if (st.insertObject.run(es.catalogNumber, esName, intl, type, esName === null ? null : key).changes > 0) {
    newObject = true;
  } else if (esName !== null || intl !== null) {
    st.updateObject.run({ name: esName, key, type, intl, cn: es.catalogNumber });
  }
  const result = st.insertElement.run(
    es.catalogNumber,
    es.epoch.jd,
    es.epoch.jdFrac,
    key,
    esName,
    intl,
    es.classification,
    es.meanMotionRadPerMin,
    es.eccentricity,
    es.inclinationRad,
    es.raanRad,
    es.argPerigeeRad,
    es.meanAnomalyRad,
    es.bstar,
    es.meanMotionDotRevPerDay2,
    es.meanMotionDdotRevPerDay3,
    es.ephemerisType,
    es.elementSetNumber,
    es.revolutionNumber,
    es.bterm ?? null,
    es.agom ?? null,
    origin.source,
    sourcePriority(origin.source),
    origin.label,
    origin.format,
    origin.ingestId,
    elementContentHash(es),
    ...markingColumns(origin.marking),
  );
  const inserted = result.changes > 0;
  return { inserted, newObject, id: inserted ? Number(result.lastInsertRowid) : null };
}

export interface ImportContext {
  readonly db: Database.Database;
  /** (v9) The marking stamped on every element set and on the ingest (the store resolved it). */
  readonly marking: Marking;
  readonly nowIso: () => string;
  readonly batchLines: number;
  /**
   * Runs inside the file's transaction after its element sets are written and before COMMIT
   * (not when the file stores none); an exception from it rolls the whole import back and is
   * rethrown as it is when it is a StoreError.
   */
  readonly beforeCommit?: (ingestId: number) => void;
}

interface Counts {
  read: number;
  inserted: number;
  duplicates: number;
  newObjects: number;
  lines: number;
}

function prepare(db: Database.Database) {
  return {
    findIngest: db.prepare<
      [string, string, string, string, string, string, string],
      { id: number; format: string | null }
    >(
      `SELECT id, format FROM ingests WHERE sha256 = ? AND source = ? AND label = ?
         AND mk_classification = ? AND mk_release = ? AND mk_originator = ? AND mk_data_mode = ?
         AND status IN ('ok', 'partial') ORDER BY id LIMIT 1`,
    ),
    insertIngest: db.prepare(
      `INSERT INTO ingests (name, sha256, source, label, format, started_at, status,
         mk_classification, mk_release, mk_originator, mk_data_mode)
       VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
    ),
    finishIngest: db.prepare(
      `UPDATE ingests SET format = ?, finished_at = ?, status = ?, read_count = ?, inserted_count = ?,
         duplicate_count = ?, new_object_count = ?, rejected_count = ? WHERE id = ?`,
    ),
    insertObject: db.prepare(
      `INSERT OR IGNORE INTO objects
         (catalog_number, name, intl_designator, object_type, type_source, name_epoch_key)
       VALUES (?, ?, ?, ?, 'name', ?)`,
    ),
    updateObject: db.prepare<{
      name: string | null;
      key: number;
      type: string;
      intl: string | null;
      cn: string;
    }>(
      `UPDATE objects SET
         name = CASE WHEN @name IS NOT NULL AND type_source = 'name'
                      AND (name_epoch_key IS NULL OR name_epoch_key <= @key) THEN @name ELSE name END,
         object_type = CASE WHEN @name IS NOT NULL AND type_source = 'name'
                      AND (name_epoch_key IS NULL OR name_epoch_key <= @key) THEN @type ELSE object_type END,
         name_epoch_key = CASE WHEN @name IS NOT NULL AND type_source = 'name'
                      AND (name_epoch_key IS NULL OR name_epoch_key <= @key) THEN @key ELSE name_epoch_key END,
         intl_designator = COALESCE(intl_designator, @intl)
       WHERE catalog_number = @cn`,
    ),
    insertElement: db.prepare(
      `INSERT OR IGNORE INTO element_sets (catalog_number, epoch_jd, epoch_jd_frac, epoch_key, name,
         intl_designator, classification, mean_motion_rad_per_min, eccentricity, inclination_rad, raan_rad,
         arg_perigee_rad, mean_anomaly_rad, bstar, mean_motion_dot, mean_motion_ddot, ephemeris_type,
         element_set_number, revolution_number, bterm, agom, source, source_priority, label, format,
         ingest_id, content_hash, mk_classification, mk_release, mk_originator, mk_data_mode)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertIssue: db.prepare(
      `INSERT INTO ingest_rejections (ingest_id, severity, file, line, "column", key, code, message,
         expected, found) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;
const statementCache = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = statementCache.get(db);
  if (s === undefined) {
    s = prepare(db);
    statementCache.set(db, s);
  }
  return s;
}

function issueRow(ingestId: number, severity: string, i: ParseIssue): unknown[] {
  return [
    ingestId,
    severity,
    i.file ?? null,
    i.line ?? null,
    i.column ?? null,
    i.key ?? null,
    i.code,
    i.message,
    i.expected ?? null,
    i.found ?? null,
  ];
}

/**
 * Imports one file (see the module header). Resolves with the ingest report; rejects with StoreError
 * `IMPORT_ABORTED` (database unchanged) when the signal fires or an exception interrupts it.
 */
export async function importIntoSqlite(ctx: ImportContext, input: ImportInput): Promise<IngestReport> {
  const { db } = ctx;
  const st = statements(db);
  const name = input.name;
  let source = input.source ?? 'file';
  const marking = ctx.marking;
  const mk = markingColumns(marking);
  // The free-text label stays; a caller who gives a marking and no label gets the banner line.
  const label = input.label ?? (input.marking === undefined ? 'UNMARKED' : formatMarking(marking));
  const startedAt = ctx.nowIso();
  const scan = await scanInput(input.bytes);

  // A SATCAT without a --source is named after its publisher (before the repeat check, which is per source).
  const satcat = scan.kind === 'text' ? detectSatcatFormat(scan.head) : undefined;
  if (satcat !== undefined && source === 'file')
    source = satcat === 'satcat-json' ? 'spacetrack' : 'celestrak';
  const base = { name, sha256: scan.sha256, source, label, startedAt, marking };
  const failed = (format: ElementFormat | null, issues: readonly ParseIssue[]): IngestReport => {
    const finishedAt = ctx.nowIso();
    const ingestId = db.transaction(() => {
      const id = Number(
        st.insertIngest.run(name, scan.sha256, source, label, format, startedAt, ...mk).lastInsertRowid,
      );
      for (const i of issues) st.insertIssue.run(...issueRow(id, 'rejected', i));
      st.finishIngest.run(format, finishedAt, 'failed', 0, 0, 0, 0, issues.length, id);
      return id;
    })();
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

  const prior = st.findIngest.get(scan.sha256, source, label, ...mk);
  if (prior !== undefined) {
    return {
      ...base,
      ingestId: prior.id,
      format: prior.format as IngestReport['format'],
      finishedAt: ctx.nowIso(),
      read: 0,
      inserted: 0,
      duplicates: 0,
      newObjects: 0,
      rejected: [],
      warnings: [],
      alreadyImportedAs: prior.id,
      status: 'ok',
    };
  }

  if (satcat !== undefined) {
    if (scan.size > MAX_WHOLE_TEXT_BYTES)
      return failed(null, [tooLargeIssue(name, MAX_WHOLE_TEXT_BYTES, scan.gzip)]);
    const text = await readWholeText(input.bytes);
    try {
      return importSatcatText(
        { db, nowIso: ctx.nowIso, log: st, issueRow },
        { ...input, source },
        base,
        text,
        satcat,
      );
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError(
        'IMPORT_ABORTED',
        `import of ${name} stopped and was rolled back: ${(e as Error)?.message ?? String(e)}`,
        { name },
        { cause: e },
      );
    }
  }

  const format = detectElementFormat(scan.head);
  if (format === undefined) {
    const r = parseElements(scan.head, { file: name });
    return failed(null, r.ok ? [] : r.issues);
  }

  const counts: Counts = { read: 0, inserted: 0, duplicates: 0, newObjects: 0, lines: 0 };
  const rejected: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const isTle = format === 'tle' || format === '3le';
  if (!isTle && scan.size > MAX_WHOLE_TEXT_BYTES) {
    return failed(format, [tooLargeIssue(name, MAX_WHOLE_TEXT_BYTES, scan.gzip)]);
  }
  let ingestId = 0;

  const writeBatch = db.transaction((records: readonly ElementRecord[], fileFormat: ElementFormat) => {
    for (const rec of records) {
      const es = rec.elements;
      const unusable = sgp4AtEpochIssue(es);
      if (unusable !== null) {
        rejected.push({ file: name, line: rec.line, ...unusable });
        continue;
      }
      const w = writeElementSet(db, es, { ingestId, source, label, format: fileFormat, marking });
      if (w.newObject) counts.newObjects++;
      counts.read++;
      if (w.inserted) counts.inserted++;
      else counts.duplicates++;
      if (isTle && format === '3le' && es.name === undefined) {
        warnings.push({
          file: name,
          line: rec.line,
          code: 'TLE_NAME_MISSING',
          message: `3LE record of object ${es.catalogNumber} has no name line (stored without a name)`,
          expected: 'a name line ("0 NAME") before line 1',
          found: 'line 1',
        });
      }
    }
  });

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

  let reportFormat: ElementFormat = format;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
    ingestId = Number(
      st.insertIngest.run(name, scan.sha256, source, label, format, startedAt, ...mk).lastInsertRowid,
    );
    if (isTle) {
      for await (const batch of lineBatches(input.bytes, ctx.batchLines)) {
        const offset = batch.firstLine - 1;
        const r = parseTleText(batch.lines.join('\n'), { file: name });
        const issues = r.ok ? r.value.rejected : r.issues.filter((i) => i.code !== 'TLE_EMPTY');
        for (const i of issues) rejected.push(explainForeign(shiftIssue(i, offset), format));
        if (r.ok) {
          if (offset === 0) writeBatch(r.value.records, format);
          else
            writeBatch(
              r.value.records.map((rec) => ({ ...rec, line: rec.line + offset })),
              format,
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
          writeBatch(slice, reportFormat);
          counts.lines += slice.length;
          progress();
        }
      }
    }
  } catch (e) {
    db.exec('ROLLBACK');
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      'IMPORT_ABORTED',
      `import of ${name} stopped after ${counts.read} element sets and was rolled back: ${(e as Error)?.message ?? String(e)}`,
      { name, read: counts.read },
      { cause: e },
    );
  }

  if (counts.read === 0) {
    db.exec('ROLLBACK');
    return failed(reportFormat, rejected);
  }
  const finishedAt = ctx.nowIso();
  const status = rejected.length > 0 ? 'partial' : 'ok';
  try {
    for (const i of rejected) st.insertIssue.run(...issueRow(ingestId, 'rejected', i));
    for (const w of warnings) st.insertIssue.run(...issueRow(ingestId, 'warning', w));
    st.finishIngest.run(
      reportFormat,
      finishedAt,
      status,
      counts.read,
      counts.inserted,
      counts.duplicates,
      counts.newObjects,
      rejected.length,
      ingestId,
    );
    ctx.beforeCommit?.(ingestId);
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      'IMPORT_ABORTED',
      `import of ${name} failed to commit and was rolled back`,
      { name },
      {
        cause: e,
      },
    );
  }
  return {
    ...base,
    ingestId,
    format: reportFormat,
    finishedAt,
    read: counts.read,
    inserted: counts.inserted,
    duplicates: counts.duplicates,
    newObjects: counts.newObjects,
    rejected,
    warnings,
    alreadyImportedAs: null,
    status,
  };
}
