/**
 * The one way a conjunction becomes a row of `conjunctions`: the INSERT statement and its values in
 * column order, for every writer (saveScreening in sqlite-store.ts, received CDMs in
 * sqlite-exchange.ts). Both run it through a better-sqlite3 prepared statement inside their own
 * transaction; a new column is added here once.
 */
import type { Marking } from '@hoshimi/astro';
import type { ConjunctionRecord } from './conjunction-types.js';
import { markingColumns } from './marking-sql.js';

/** The INSERT of one conjunction row; its values come from conjunctionRowValues. */
export const INSERT_CONJUNCTION_SQL = `INSERT INTO conjunctions (screening_id, id1, id2, tca_utc, miss_km,
  rel_speed_km_s, r_km, i_km, c_km, pc, pc_method, hbr_m, covariance_source, confidence, age1_days,
  age2_days, mk_classification, mk_release, mk_originator, mk_data_mode)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The values of INSERT_CONJUNCTION_SQL, in its column order (units as ConjunctionRecord states). */
export function conjunctionRowValues(
  screeningId: number,
  c: ConjunctionRecord,
  marking: Marking,
): [
  number,
  string,
  string,
  string,
  number,
  number,
  number,
  number,
  number,
  number | null,
  string,
  number,
  string,
  string,
  number,
  number,
  string,
  string,
  string,
  string,
] {
  return [
    screeningId,
    c.id1,
    c.id2,
    c.tcaUtc,
    c.missKm,
    c.relSpeedKmS,
    c.rKm,
    c.iKm,
    c.cKm,
    c.pc,
    c.pcMethod,
    c.hbrM,
    c.covarianceSource,
    c.confidence,
    c.age1Days,
    c.age2Days,
    ...markingColumns(marking),
  ];
}
