/**
 * Locates ../shared/data (overridable with HOSHIMI_REFERENCE_DATA) for this package's tests, as
 * packages/astro/test/reference-data.ts does. Files are read as stored (gzip included): the store
 * detects gzip itself. Tests never copy reference data into the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the reference data folder. */
export const REFERENCE_DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(repoRoot, '../shared/data'),
);

/** Absolute path of a file inside the reference data folder; throws a clear error when missing. */
export function refPath(rel: string): string {
  const p = join(REFERENCE_DATA, rel);
  if (!existsSync(p)) {
    throw new Error(
      `reference data file not found: ${p} (set HOSHIMI_REFERENCE_DATA to the shared data folder)`,
    );
  }
  return p;
}

/** The raw bytes of a reference file (not decompressed). */
export function readRefRaw(rel: string): Buffer {
  return readFileSync(refPath(rel));
}

/** Relative paths of the files under a reference folder whose names match `pattern`, sorted. */
export function listRefFiles(dir: string, pattern: RegExp): string[] {
  const root = refPath(dir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) out.push(relative(REFERENCE_DATA, p));
    }
  };
  walk(root);
  return out.sort();
}
