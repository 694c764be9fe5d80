/**
 * Reads a CARA HBR table file (gzip allowed) for `hoshimi screen`; the parsing and the per-object
 * default are @hoshimi/astro's (conjunction/hbr-table.ts).
 */
import { type HbrTable, parseHbrTable } from '@hoshimi/astro/conjunction';
import { readTextInput } from './io.js';

/** Reads and parses CARA's HBR_Mass_Estimates CSV (`HBR_TABLE_INVALID` names the file and line). */
export function loadHbrTable(path: string): HbrTable {
  return parseHbrTable(readTextInput(path), path);
}
