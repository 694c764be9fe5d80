/** Earth orientation parameters: tables, loaders and nutation-correction conversion. */

export { type BulletinBParseOptions, mergeEopTables, parseBulletinBEop } from './bulletin-b.js';
export { type C04CsvParseOptions, parseC04CsvEop } from './c04-csv-parser.js';
export {
  type CelestrakTableKind,
  type CelestrakTableSummary,
  summarizeCelestrakCsv,
} from './celestrak-csv.js';
export {
  type EopInterpolation,
  type EopLookupOptions,
  type EopNode,
  type EopNutationContent,
  EopTable,
  type EopTableOptions,
  type EopValues,
} from './eop-table.js';
export { type EopUncertainty, eopUncertainty, HELD_LOD_BOUND_S, ut1ErrorKm } from './eop-uncertainty.js';
export { type FinalsParseOptions, parseFinalsEop } from './finals-parser.js';
export { dPsiDepsToDxDy, dXdYToDpsiDeps } from './nutation-correction.js';
