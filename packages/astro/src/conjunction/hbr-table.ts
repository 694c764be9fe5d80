/**
 * Hard-body radii for Pc: NASA CARA's HBR table (CSV with ObjectID and HBR in metres, as in
 * HBR_Mass_Estimates_*.csv) keyed by catalog number, with a per-object default where the table
 * has no value. Parsing only: the caller reads the file.
 */
import { AstroError } from '../errors.js';

/** Per-object hard-body radius when the table has none, m (two unknown objects: 20 m combined). */
export const DEFAULT_OBJECT_HBR_M = 10;

export interface HbrTable {
  readonly source: string;
  /** Radius in metres by catalog number. */
  readonly radiusM: ReadonlyMap<string, number>;
}

/**
 * Parses CARA's HBR_Mass_Estimates CSV text: header `ObjectID,HBR,...`; rows without an HBR are
 * skipped. Throws AstroError `HBR_TABLE_INVALID` with the source, line and what was found.
 */
export function parseHbrTable(text: string, source: string): HbrTable {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const idCol = header.indexOf('ObjectID');
  const hbrCol = header.indexOf('HBR');
  if (idCol < 0 || hbrCol < 0) {
    throw new AstroError(
      'HBR_TABLE_INVALID',
      `${source}:1: expected a CSV header with ObjectID and HBR columns, found ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`,
      { file: source, line: 1, expected: 'ObjectID,HBR', found: lines[0]?.slice(0, 80) ?? '' },
    );
  }
  const radiusM = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const cols = line.split(',');
    const id = cols[idCol]?.trim() ?? '';
    const value = cols[hbrCol]?.trim() ?? '';
    if (value === '') continue;
    const hbr = Number(value);
    if (!/^\d{1,9}$/.test(id) || !(hbr > 0) || !Number.isFinite(hbr)) {
      throw new AstroError(
        'HBR_TABLE_INVALID',
        `${source}:${i + 1}: expected a catalog number and a positive HBR in metres, found ${JSON.stringify(line.slice(0, 80))}`,
        {
          file: source,
          line: i + 1,
          expected: 'catalog number, HBR > 0 (m)',
          found: line.slice(0, 80),
        },
      );
    }
    radiusM.set(String(Number(id)), hbr);
  }
  return { source, radiusM };
}

/** One object's radius, m: the table's, else the default. */
export function objectHbrM(table: HbrTable | undefined, catalogNumber: string): number {
  return table?.radiusM.get(catalogNumber) ?? DEFAULT_OBJECT_HBR_M;
}
