/**
 * Orbit determinations in the catalog database (schema v16; orbit-determination-store.ts): the
 * checks, row and queries shared by both stores, and the SQLite insert (which must be synchronous:
 * it also runs inside an import's transaction, sqlite-store.ts).
 * A record is validated whole before anything is written (one bad value stores nothing) and never
 * changed afterwards; reads through a view filter with marking-sql.ts `readableCondition`, the one
 * condition of every marked table.
 */
import type Database from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { epochKeyFromIso } from './epoch-key.js';
import { StoreError } from './errors.js';
import { markingColumns, markingOfRow, type ReaderAccess, readableCondition } from './marking-sql.js';
import type {
  OrbitDeterminationInput,
  OrbitDeterminationQuery,
  StoredOrbitDetermination,
} from './orbit-determination-store.js';
import type { CatalogDatabase, OrbitDeterminationsTable } from './schema.js';

/** Relative asymmetry of the covariance tolerated (rounding of a symmetric product). */
const SYMMETRY_TOLERANCE = 1e-9;

function bad(key: string, expected: string, found: unknown): never {
  throw new StoreError(
    'STORE_BAD_ORBIT_DETERMINATION',
    `orbit determination: ${key}: expected ${expected}, found ${JSON.stringify(found)}`,
    { key, expected, found },
  );
}

function checkCatalogNumber(text: string): string {
  if (!/^\d{1,9}$/.test(text.trim())) bad('catalogNumber', '1 to 9 decimal digits', text);
  return String(Number(text.trim()));
}

/** Checks a record and returns its catalog number (normalised) and epoch key. */
export function checkOrbitDeterminationInput(r: OrbitDeterminationInput): {
  cn: string | null;
  epochKey: number;
} {
  const cn = r.catalogNumber === null ? null : checkCatalogNumber(r.catalogNumber);
  let epochKey: number;
  try {
    epochKey = epochKeyFromIso(r.epochUtc, 'epoch');
  } catch {
    return bad('epochUtc', 'an ISO 8601 UTC time', r.epochUtc);
  }
  if (r.frame !== 'GCRF' && r.frame !== 'EME2000') bad('frame', 'GCRF or EME2000', r.frame);
  const finite3 = (v: readonly number[], key: string) => {
    if (v.length !== 3 || !v.every(Number.isFinite)) bad(key, 'three finite numbers', v);
  };
  finite3(r.positionKm, 'positionKm');
  finite3(r.velocityKmS, 'velocityKmS');
  const c = r.covariance;
  if (c.length !== 36 || !c.every(Number.isFinite)) bad('covariance', '36 finite numbers (6×6)', c.length);
  for (let i = 0; i < 6; i++) {
    if ((c[i * 7] ?? -1) < 0) bad(`covariance[${i}][${i}]`, 'a variance ≥ 0', c[i * 7]);
    for (let j = 0; j < i; j++) {
      const a = c[i * 6 + j] ?? 0;
      const b = c[j * 6 + i] ?? 0;
      const scale = Math.sqrt((c[i * 7] ?? 0) * (c[j * 7] ?? 0));
      if (Math.abs(a - b) > SYMMETRY_TOLERANCE * Math.max(scale, Number.MIN_VALUE)) {
        bad(`covariance[${i}][${j}]`, `the value of covariance[${j}][${i}] (${b})`, a);
      }
    }
  }
  for (const [i, p] of r.parameters.entries()) {
    if (typeof p.name !== 'string' || p.name.trim() === '') bad(`parameters[${i}].name`, 'a name', p.name);
    if (!Number.isFinite(p.value)) bad(`parameters[${i}].value`, 'a finite number', p.value);
    if (!Number.isFinite(p.sigma) || p.sigma < 0)
      bad(`parameters[${i}].sigma`, 'a finite sigma ≥ 0', p.sigma);
  }
  if (r.propagator !== 'numerical' && r.propagator !== 'sgp4')
    bad('propagator', 'numerical or sgp4', r.propagator);
  for (const key of ['iterations', 'measurements', 'rejected'] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 0) bad(key, 'an integer ≥ 0', r[key]);
  }
  if (r.measurements === 0) bad('measurements', 'at least one measurement used', 0);
  for (const [i, f] of r.inputs.entries()) {
    if (!/^[0-9a-f]{64}$/.test(f.sha256)) bad(`inputs[${i}].sha256`, '64 hex digits', f.sha256);
  }
  return { cn, epochKey };
}

/**
 * The element set an import stored for `catalogNumber` inside the open transaction: the one of
 * ingest `ingestId`, else (the file repeated a stored set) the newest of that object and source at
 * the same epoch as the newest set of the source. Null when there is none.
 */
export function elementSetOfIngest(
  db: Database.Database,
  ingestId: number,
  catalogNumber: string,
  source: string,
): number | null {
  const own = db
    .prepare(
      'SELECT id FROM element_sets WHERE ingest_id = ? AND catalog_number = ? ORDER BY id DESC LIMIT 1',
    )
    .get(ingestId, catalogNumber) as { id: number } | undefined;
  if (own !== undefined) return own.id;
  const known = db
    .prepare(
      'SELECT id FROM element_sets WHERE catalog_number = ? AND source = ? ORDER BY epoch_key DESC, id DESC LIMIT 1',
    )
    .get(catalogNumber, source) as { id: number } | undefined;
  return known?.id ?? null;
}

/**
 * Refuses a link to an element set that is not stored (`found`: its catalog number, undefined when
 * there is no such set) or that belongs to another object than the record's `cn`.
 */
export function checkElementSetLink(
  found: string | undefined,
  cn: string | null,
  elementSetId: number,
): void {
  if (found === undefined) bad('elementSetId', 'a stored element set', elementSetId);
  if (cn !== null && found !== cn)
    bad('elementSetId', `an element set of object ${cn}`, `a set of object ${found}`);
}

/** The row of a checked record (`checkOrbitDeterminationInput`'s cn and epoch key), for either store. */
export function orbitDeterminationRow(
  r: OrbitDeterminationInput,
  checked: { readonly cn: string | null; readonly epochKey: number },
  marking: Parameters<typeof markingColumns>[0],
  nowIso: string,
): Insertable<OrbitDeterminationsTable> {
  const [mkClassification, mkRelease, mkOriginator, mkDataMode] = markingColumns(marking);
  return {
    catalog_number: checked.cn,
    epoch_key: checked.epochKey,
    epoch_utc: r.epochUtc,
    frame: r.frame,
    px_km: r.positionKm[0],
    py_km: r.positionKm[1],
    pz_km: r.positionKm[2],
    vx_km_s: r.velocityKmS[0],
    vy_km_s: r.velocityKmS[1],
    vz_km_s: r.velocityKmS[2],
    covariance: JSON.stringify(r.covariance),
    parameters: JSON.stringify(r.parameters),
    propagator: r.propagator,
    iterations: r.iterations,
    measurements: r.measurements,
    rejected: r.rejected,
    rms: JSON.stringify(r.rms),
    inputs: JSON.stringify(r.inputs),
    element_set_id: r.elementSetId,
    created_at: nowIso,
    mk_classification: mkClassification,
    mk_release: mkRelease,
    mk_originator: mkOriginator,
    mk_data_mode: mkDataMode,
  };
}

/** Inserts one record (the marking resolved by the store); returns its id. */
export function saveOrbitDeterminationSqlite(
  db: Database.Database,
  r: OrbitDeterminationInput,
  marking: Parameters<typeof markingColumns>[0],
  nowIso: string,
): number {
  const checked = checkOrbitDeterminationInput(r);
  if (r.elementSetId !== null) {
    const found = db.prepare('SELECT catalog_number FROM element_sets WHERE id = ?').get(r.elementSetId) as
      | { catalog_number: string }
      | undefined;
    checkElementSetLink(found?.catalog_number, checked.cn, r.elementSetId);
  }
  const row = orbitDeterminationRow(r, checked, marking, nowIso);
  const columns = Object.keys(row);
  const info = db
    .prepare(
      `INSERT INTO orbit_determinations (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    )
    .run(...Object.values(row));
  return Number(info.lastInsertRowid);
}

/** The query of `orbitDeterminations` (newest epoch first), filtered for `access`. */
export function orbitDeterminationsQuery(
  kysely: Kysely<CatalogDatabase>,
  query: OrbitDeterminationQuery & { readonly id?: number },
  access: ReaderAccess | null,
) {
  let q = kysely.selectFrom('orbit_determinations').selectAll('orbit_determinations');
  if (access !== null) q = q.where(readableCondition('orbit_determinations', access));
  if (query.id !== undefined) q = q.where('orbit_determinations.id', '=', query.id);
  if (query.catalogNumber !== undefined) {
    q = q.where('orbit_determinations.catalog_number', '=', checkCatalogNumber(query.catalogNumber));
  }
  q = q.orderBy('orbit_determinations.epoch_key', 'desc').orderBy('orbit_determinations.id', 'desc');
  if (query.limit !== undefined) q = q.limit(Math.max(0, Math.floor(query.limit)));
  return q;
}

/** A stored row as the record. */
export function storedOrbitDeterminationFromRow(
  r: Selectable<OrbitDeterminationsTable>,
): StoredOrbitDetermination {
  return {
    id: r.id,
    catalogNumber: r.catalog_number,
    epochUtc: r.epoch_utc,
    frame: r.frame as 'GCRF' | 'EME2000',
    positionKm: [r.px_km, r.py_km, r.pz_km],
    velocityKmS: [r.vx_km_s, r.vy_km_s, r.vz_km_s],
    covariance: JSON.parse(r.covariance) as number[],
    parameters: JSON.parse(r.parameters) as StoredOrbitDetermination['parameters'],
    propagator: r.propagator as 'numerical' | 'sgp4',
    iterations: r.iterations,
    measurements: r.measurements,
    rejected: r.rejected,
    rms: JSON.parse(r.rms) as Record<string, unknown>,
    inputs: JSON.parse(r.inputs) as StoredOrbitDetermination['inputs'],
    elementSetId: r.element_set_id,
    createdAt: r.created_at,
    marking: markingOfRow(r),
  };
}
