/**
 * SATCAT import into the PostgreSQL catalog (the SATCAT side of postgres-import.ts), with the rules
 * of sqlite-satcat-import.ts: a new object takes the SATCAT's values; an existing one takes its type
 * (from then on overriding the name rule), owner, dates, launch site, size, source and import, its
 * name and designator only where it has none; a record identical to what is stored is a duplicate.
 *
 * Set-based, in slices of SATCAT_BATCH records: one INSERT … ON CONFLICT DO NOTHING of the slice
 * (its returned rows are the new objects), then one UPDATE … FROM unnest of the slice's other
 * records whose values differ (its returned rows are the changed ones). A catalog number that
 * appears twice in a file is written in a later round, so the last record wins as it does when the
 * records are written one by one. Runs inside the caller's transaction (which holds IMPORT_LOCK).
 */
import type { Marking } from '@hoshimi/astro';
import type pg from 'pg';
import type { ImportInput, IngestReport, SatcatFormat } from './catalog-store.js';
import { float8Text, ingestLog } from './postgres-ingest-log.js';
import { parseSatcat, type SatcatRecord } from './satcat.js';

/** Records per statement (and between progress reports and abort checks). */
const SATCAT_BATCH = 5000;

const COLUMNS = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
  $8::text[], $9::text[], $10::text[], $11::text[], $12::float8[]) AS u(cn, name, intl, type, launch, decay,
  owner_code, owner_name, site_code, site_name, rcs_size, rcs_m2)`;

const INSERT = `INSERT INTO objects (catalog_number, name, intl_designator, object_type, launch_date, decay_date,
    type_source, name_epoch_key, owner_code, owner_name, launch_site_code, launch_site_name, rcs_size, rcs_m2,
    satcat_source, satcat_ingest_id)
  SELECT u.cn, u.name, u.intl, u.type, u.launch, u.decay, 'satcat', NULL, u.owner_code, u.owner_name,
    u.site_code, u.site_name, u.rcs_size, u.rcs_m2, $13::text, $14::integer
  FROM ${COLUMNS} ORDER BY u.cn
  ON CONFLICT (catalog_number) DO NOTHING
  RETURNING catalog_number`;

const UPDATE = `UPDATE objects o SET
    name = COALESCE(o.name, u.name),
    intl_designator = COALESCE(o.intl_designator, u.intl),
    object_type = u.type, type_source = 'satcat', launch_date = u.launch, decay_date = u.decay,
    owner_code = u.owner_code, owner_name = u.owner_name, launch_site_code = u.site_code,
    launch_site_name = u.site_name, rcs_size = u.rcs_size, rcs_m2 = u.rcs_m2,
    satcat_source = $13::text, satcat_ingest_id = $14::integer
  FROM ${COLUMNS}
  WHERE o.catalog_number = u.cn AND NOT (u.cn = ANY ($15::text[])) AND NOT (
    o.type_source = 'satcat' AND o.object_type = u.type AND o.launch_date IS NOT DISTINCT FROM u.launch
    AND o.decay_date IS NOT DISTINCT FROM u.decay AND o.owner_code IS NOT DISTINCT FROM u.owner_code
    AND o.launch_site_code IS NOT DISTINCT FROM u.site_code AND o.rcs_size IS NOT DISTINCT FROM u.rcs_size
    AND o.rcs_m2 IS NOT DISTINCT FROM u.rcs_m2 AND o.satcat_source IS NOT DISTINCT FROM $13::text
    AND o.name IS NOT NULL AND (o.intl_designator IS NOT NULL OR u.intl IS NULL))
  RETURNING o.catalog_number`;

function columns(recs: readonly SatcatRecord[]): unknown[] {
  return [
    recs.map((r) => r.catalogNumber),
    recs.map((r) => r.name),
    recs.map((r) => r.intlDesignator),
    recs.map((r) => r.objectType),
    recs.map((r) => r.launchDate),
    recs.map((r) => r.decayDate),
    recs.map((r) => r.ownerCode),
    recs.map((r) => r.ownerName),
    recs.map((r) => r.launchSiteCode),
    recs.map((r) => r.launchSiteName),
    recs.map((r) => r.rcsSize),
    recs.map((r) => (r.rcsM2 === null ? null : float8Text(r.rcsM2))),
  ];
}

/** Slices of the records in which no catalog number repeats, in an order where the last record wins. */
function rounds(recs: readonly SatcatRecord[]): SatcatRecord[][] {
  const out: SatcatRecord[][] = [];
  const seen = new Map<string, number>();
  let current: SatcatRecord[] = [];
  let round = 0;
  for (const r of recs) {
    const k = seen.get(r.catalogNumber) ?? -1;
    if (k >= round || current.length >= SATCAT_BATCH) {
      out.push(current);
      current = [];
      round = out.length;
    }
    seen.set(r.catalogNumber, round);
    current.push(r);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Imports a SATCAT file's text inside the caller's open transaction, with its ingest-log entry. */
export async function importSatcatPostgres(
  ctx: { readonly client: pg.ClientBase; readonly nowIso: () => string },
  input: ImportInput,
  base: Pick<IngestReport, 'name' | 'sha256' | 'source' | 'label' | 'startedAt'> & {
    readonly marking: Marking;
  },
  text: string,
  format: SatcatFormat,
): Promise<IngestReport> {
  const { client } = ctx;
  const parsed = parseSatcat(text, format, input.name);
  const source = base.source;
  const counts = { read: 0, inserted: 0, duplicates: 0, newObjects: 0 };
  const status: IngestReport['status'] =
    parsed.records.length === 0 ? 'failed' : parsed.rejected.length > 0 ? 'partial' : 'ok';
  const ingestId = await ingestLog.insert(client, { ...base, format });
  for (const slice of rounds(parsed.records)) {
    const values = columns(slice);
    const inserted = await client.query<{ catalog_number: string }>(INSERT, [...values, source, ingestId]);
    const created = inserted.rows.map((r) => r.catalog_number);
    const updated = await client.query(UPDATE, [...values, source, ingestId, created]);
    counts.read += slice.length;
    counts.newObjects += created.length;
    counts.inserted += created.length + (updated.rowCount ?? 0);
    counts.duplicates += slice.length - created.length - (updated.rowCount ?? 0);
    const last = slice[slice.length - 1];
    input.onProgress?.({
      name: input.name,
      lines: last?.line ?? 0,
      read: counts.read,
      inserted: counts.inserted,
      rejected: parsed.rejected.length,
    });
    if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
  }
  await ingestLog.issues(client, ingestId, 'rejected', parsed.rejected);
  await ingestLog.issues(client, ingestId, 'warning', parsed.warnings);
  const finishedAt = ctx.nowIso();
  await ingestLog.finish(client, ingestId, {
    format,
    finishedAt,
    status,
    read: counts.read,
    inserted: counts.inserted,
    duplicates: counts.duplicates,
    newObjects: counts.newObjects,
    rejected: parsed.rejected.length,
  });
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
