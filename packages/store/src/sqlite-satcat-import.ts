/**
 * SATCAT import into the SQLite catalog (the SATCAT side of `importFile`; sqlite-import.ts routes
 * a file here when satcat.ts recognises it). One transaction per file, better-sqlite3 prepared
 * statements (the full Space-Track SATCAT, 63,000 records, takes about a second).
 *
 * Per record: a new object is created with the SATCAT's values; an existing one takes the SATCAT's
 * type (which from then on overrides the name rule, object-type.ts), owner, launch and decay dates,
 * launch site and size, and its source and import; the last SATCAT import wins. Its name stays the
 * one its element sets gave it (Space-Track and CelesTrak spell names differently); the SATCAT name
 * is used only for an object without one, the SATCAT designator when the object has none.
 * A record identical to what is stored changes nothing and is counted as a duplicate.
 */
import type { Marking, ParseIssue } from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import type { ImportInput, IngestReport, SatcatFormat } from './catalog-store.js';
import { markingColumns } from './marking-sql.js';
import { parseSatcat, type SatcatRecord } from './satcat.js';

/** Records written between progress reports (and abort checks). */
const SATCAT_BATCH = 5000;

export interface SatcatImportContext {
  readonly db: Database.Database;
  readonly nowIso: () => string;
  /** The ingest log's statements and row builder (sqlite-import.ts owns them). */
  readonly log: {
    readonly insertIngest: Database.Statement;
    readonly insertIssue: Database.Statement;
    readonly finishIngest: Database.Statement;
  };
  readonly issueRow: (ingestId: number, severity: string, issue: ParseIssue) => unknown[];
}

function prepare(db: Database.Database) {
  const values = `@cn, @name, @intl, @type, @launch, @decay, 'satcat', NULL, @ownerCode, @ownerName,
    @siteCode, @siteName, @rcsSize, @rcsM2, @source, @ingest`;
  return {
    insert: db.prepare(
      `INSERT OR IGNORE INTO objects (catalog_number, name, intl_designator, object_type, launch_date,
         decay_date, type_source, name_epoch_key, owner_code, owner_name, launch_site_code,
         launch_site_name, rcs_size, rcs_m2, satcat_source, satcat_ingest_id)
       VALUES (${values})`,
    ),
    update: db.prepare(
      `UPDATE objects SET
         name = COALESCE(name, @name),
         intl_designator = COALESCE(intl_designator, @intl),
         object_type = @type, type_source = 'satcat', launch_date = @launch, decay_date = @decay,
         owner_code = @ownerCode, owner_name = @ownerName, launch_site_code = @siteCode,
         launch_site_name = @siteName, rcs_size = @rcsSize, rcs_m2 = @rcsM2,
         satcat_source = @source, satcat_ingest_id = @ingest
       WHERE catalog_number = @cn AND NOT (
         type_source = 'satcat' AND object_type = @type AND launch_date IS @launch AND decay_date IS @decay
         AND owner_code IS @ownerCode AND launch_site_code IS @siteCode AND rcs_size IS @rcsSize
         AND rcs_m2 IS @rcsM2 AND satcat_source IS @source
         AND name IS NOT NULL AND (intl_designator IS NOT NULL OR @intl IS NULL))`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = cache.get(db);
  if (s === undefined) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

/**
 * Imports a SATCAT file's text (see the module header) in one transaction with its ingest-log
 * entry; an abort (signal or progress callback) rolls it all back and is rethrown.
 */
export function importSatcatText(
  ctx: SatcatImportContext,
  input: ImportInput,
  base: Pick<IngestReport, 'name' | 'sha256' | 'source' | 'label' | 'startedAt'> & {
    readonly marking: Marking;
  },
  text: string,
  format: SatcatFormat,
): IngestReport {
  const parsed = parseSatcat(text, format, input.name);
  const source = base.source;
  const st = statements(ctx.db);
  const { log, issueRow } = ctx;
  const counts = { read: 0, inserted: 0, duplicates: 0, newObjects: 0 };
  const status: IngestReport['status'] =
    parsed.records.length === 0 ? 'failed' : parsed.rejected.length > 0 ? 'partial' : 'ok';
  let finishedAt = '';
  const run = ctx.db.transaction((): number => {
    const ingestId = Number(
      log.insertIngest.run(
        base.name,
        base.sha256,
        source,
        base.label,
        format,
        base.startedAt,
        ...markingColumns(base.marking),
      ).lastInsertRowid,
    );
    const recs = parsed.records;
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i] as SatcatRecord;
      const p = {
        cn: r.catalogNumber,
        name: r.name,
        intl: r.intlDesignator,
        type: r.objectType,
        launch: r.launchDate,
        decay: r.decayDate,
        ownerCode: r.ownerCode,
        ownerName: r.ownerName,
        siteCode: r.launchSiteCode,
        siteName: r.launchSiteName,
        rcsSize: r.rcsSize,
        rcsM2: r.rcsM2,
        source,
        ingest: ingestId,
      };
      counts.read++;
      if (st.insert.run(p).changes > 0) {
        counts.newObjects++;
        counts.inserted++;
      } else if (st.update.run(p).changes > 0) counts.inserted++;
      else counts.duplicates++;
      if ((i + 1) % SATCAT_BATCH === 0 || i === recs.length - 1) {
        input.onProgress?.({
          name: input.name,
          lines: r.line,
          read: counts.read,
          inserted: counts.inserted,
          rejected: parsed.rejected.length,
        });
        if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
      }
    }
    for (const i of parsed.rejected) log.insertIssue.run(...issueRow(ingestId, 'rejected', i));
    for (const w of parsed.warnings) log.insertIssue.run(...issueRow(ingestId, 'warning', w));
    finishedAt = ctx.nowIso();
    log.finishIngest.run(
      format,
      finishedAt,
      status,
      counts.read,
      counts.inserted,
      counts.duplicates,
      counts.newObjects,
      parsed.rejected.length,
      ingestId,
    );
    return ingestId;
  });
  const ingestId = run.immediate();
  return {
    ...base,
    ingestId,
    source,
    format,
    finishedAt,
    ...counts,
    rejected: parsed.rejected,
    warnings: parsed.warnings,
    alreadyImportedAs: null,
    status,
  };
}
