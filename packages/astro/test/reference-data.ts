/**
 * Locates ../shared/data (overridable with HOSHIMI_REFERENCE_DATA) and reads files from it,
 * gunzipping `.gz` files. Tests never copy reference data into the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the reference data folder. */
export const REFERENCE_DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(repoRoot, '../shared/data'),
);

/** Absolute path of a file inside the reference data folder; throws a clear error when missing. */
export function refPath(relative: string): string {
  const p = join(REFERENCE_DATA, relative);
  if (!existsSync(p)) {
    throw new Error(
      `reference data file not found: ${p} (set HOSHIMI_REFERENCE_DATA to the shared data folder)`,
    );
  }
  return p;
}

/** Reads a reference file as bytes, gunzipped when its name ends in .gz. */
export function readRefBytes(relative: string): Buffer {
  const raw = readFileSync(refPath(relative));
  return relative.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Reads a reference file as UTF-8 text, gunzipped when its name ends in .gz. */
export function readRefText(relative: string): string {
  return readRefBytes(relative).toString('utf8');
}
