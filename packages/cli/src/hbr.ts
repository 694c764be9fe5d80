/**
 * Hard-body radii for Pc: NASA CARA's HBR table (CSV with ObjectID and HBR in metres, gzip allowed)
 * keyed by catalog number, with a per-object default where the table has no value.
 */
import { CliError } from './errors.js';
import { readTextInput } from './io.js';

/** Per-object hard-body radius when the table has none, m (two unknown objects: 20 m combined). */
export const DEFAULT_OBJECT_HBR_M = 10;

export interface HbrTable {
  readonly source: string;
  /** Radius in metres by catalog number. */
  readonly radiusM: ReadonlyMap<string, number>;
}

/** Reads CARA's HBR_Mass_Estimates CSV: header `ObjectID,HBR,...`; rows without an HBR are skipped. */
export function loadHbrTable(path: string): HbrTable {
  const lines = readTextInput(path).split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const idCol = header.indexOf('ObjectID');
  const hbrCol = header.indexOf('HBR');
  if (idCol < 0 || hbrCol < 0) {
    throw new CliError(
      'HBR_TABLE_INVALID',
      `${path}:1: expected a CSV header with ObjectID and HBR columns, found ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`,
    );
  }
  const radiusM = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const cols = line.split(',');
    const id = cols[idCol]?.trim() ?? '';
    const text = cols[hbrCol]?.trim() ?? '';
    if (text === '') continue;
    const hbr = Number(text);
    if (!/^\d{1,9}$/.test(id) || !(hbr > 0) || !Number.isFinite(hbr)) {
      throw new CliError(
        'HBR_TABLE_INVALID',
        `${path}:${i + 1}: expected a catalog number and a positive HBR in metres, found ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
    radiusM.set(String(Number(id)), hbr);
  }
  return { source: path, radiusM };
}

/** One object's radius, m: the table's, else the default. */
export function objectHbrM(table: HbrTable | undefined, catalogNumber: string): number {
  return table?.radiusM.get(catalogNumber) ?? DEFAULT_OBJECT_HBR_M;
}
