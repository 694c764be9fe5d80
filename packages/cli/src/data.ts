/**
 * Physical data for the CLI: finds the leap-second and EOP files and builds the AstroContext.
 * Order: explicit flags, then $HOSHIMI_REFERENCE_DATA/earth, then ../shared/data/earth next to the
 * repository (the layout of a development checkout).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AstroContext, formatIssue, loadContext } from '@hoshimi/astro';
import { CliError } from './errors.js';
import { readTextInput } from './io.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The reference data folder: $HOSHIMI_REFERENCE_DATA or ../shared/data beside the repository. */
export function referenceDataDir(): string {
  return resolve(process.env['HOSHIMI_REFERENCE_DATA'] ?? join(REPO_ROOT, '../shared/data'));
}

export interface ContextFiles {
  readonly leapSeconds?: string | undefined;
  readonly eop?: string | undefined;
  /** False for commands that only read and write UTC times: the EOP file is then not loaded. */
  readonly withEop?: boolean;
}

function defaultFile(relative: string, flag: string): string {
  const p = join(referenceDataDir(), relative);
  if (!existsSync(p)) {
    throw new CliError(
      'DATA_MISSING',
      `${p} not found: pass ${flag} FILE or set HOSHIMI_REFERENCE_DATA to the folder holding earth/`,
    );
  }
  return p;
}

/**
 * Loads leap seconds (IERS Leap_Second.dat or USNO tai-utc.dat) and, unless `withEop` is false, EOP
 * (IERS finals2000A or C04 CSV, gzip allowed). Predicted EOP rows are accepted: elements of today
 * need them.
 */
export function loadCliContext(files: ContextFiles, warn: (line: string) => void): AstroContext {
  const leapFile = files.leapSeconds ?? defaultFile('earth/Leap_Second.dat', '--leap-seconds');
  const eopFile =
    files.withEop === false ? undefined : (files.eop ?? defaultFile('earth/finals2000A.all.gz', '--eop'));
  const result = loadContext({
    leapSecondsText: readTextInput(leapFile),
    leapSecondsFile: leapFile,
    ...(eopFile === undefined
      ? {}
      : { eopText: readTextInput(eopFile), eopFile, eopFormat: 'auto' as const }),
    allowEopPredictions: true,
  });
  if (!result.ok) {
    throw new CliError('DATA_INVALID', result.issues.map(formatIssue).join('\n'));
  }
  for (const w of result.warnings) {
    if (process.env['HOSHIMI_VERBOSE'] === '1') warn(`warning: ${formatIssue(w)}`);
  }
  return result.value;
}
