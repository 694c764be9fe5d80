/**
 * Physical data for the CLI: finds the leap-second and EOP files and builds the AstroContext.
 *
 * Where files are looked for, first found wins:
 * 1. explicit flags (--leap-seconds, --eop);
 * 2. the user data directory: $HOSHIMI_DATA_DIR, else $XDG_DATA_HOME/hoshimi, else
 *    ~/.local/share/hoshimi; `hoshimi data update` downloads fresh files there;
 * 3. the reference data: $HOSHIMI_REFERENCE_DATA/earth, else ../shared/data/earth next to the
 *    repository (the layout of a development checkout).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AstroContext, eopUncertainty, formatIssue, loadContext } from '@hoshimi/astro';
import { CliError } from './errors.js';
import { readTextInput } from './io.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The reference data folder: $HOSHIMI_REFERENCE_DATA or ../shared/data beside the repository. */
export function referenceDataDir(): string {
  return resolve(process.env['HOSHIMI_REFERENCE_DATA'] ?? join(REPO_ROOT, '../shared/data'));
}

/** The user data directory (see the module header); it may not exist yet. */
export function userDataDir(): string {
  const explicit = process.env['HOSHIMI_DATA_DIR'];
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const xdg = process.env['XDG_DATA_HOME'];
  if (xdg !== undefined && xdg !== '') return resolve(xdg, 'hoshimi');
  return join(homedir(), '.local', 'share', 'hoshimi');
}

/** A time table: its file name in the user data directory and in the reference data. */
export interface TableLocation {
  /** File name in the user data directory (as downloaded). */
  readonly user: string;
  /** Path under the reference data folder. */
  readonly reference: string;
}

export const LEAP_SECONDS_FILE: TableLocation = {
  user: 'Leap_Second.dat',
  reference: 'earth/Leap_Second.dat',
};
export const EOP_FILE: TableLocation = { user: 'finals2000A.all', reference: 'earth/finals2000A.all.gz' };

/** Where a table is read from by default: the user data directory when it holds it, else the reference data. */
export function defaultTablePath(table: TableLocation): string | undefined {
  const user = join(userDataDir(), table.user);
  if (existsSync(user)) return user;
  const ref = join(referenceDataDir(), table.reference);
  return existsSync(ref) ? ref : undefined;
}

export interface ContextFiles {
  readonly leapSeconds?: string | undefined;
  readonly eop?: string | undefined;
  /** False for commands that only read and write UTC times: the EOP file is then not loaded. */
  readonly withEop?: boolean;
  /**
   * True: past the leap-second table's expiry the last TAI − UTC is held, outside the EOP table its
   * nearest row (the caller warns). False (default): both are errors.
   */
  readonly tolerant?: boolean;
}

function defaultFile(table: TableLocation, flag: string): string {
  const p = defaultTablePath(table);
  if (p === undefined) {
    throw new CliError(
      'DATA_MISSING',
      `${table.user} not found in ${userDataDir()} nor ${join(referenceDataDir(), table.reference)}: pass ${flag} FILE, run 'hoshimi data update', or set HOSHIMI_REFERENCE_DATA to the folder holding earth/`,
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
  const leapFile = files.leapSeconds ?? defaultFile(LEAP_SECONDS_FILE, '--leap-seconds');
  const eopFile = files.withEop === false ? undefined : (files.eop ?? defaultFile(EOP_FILE, '--eop'));
  const result = loadContext({
    leapSecondsText: readTextInput(leapFile),
    leapSecondsFile: leapFile,
    ...(eopFile === undefined
      ? {}
      : { eopText: readTextInput(eopFile), eopFile, eopFormat: 'auto' as const }),
    allowEopPredictions: true,
    ...(files.tolerant === true
      ? { afterLeapSecondExpiry: 'hold-last' as const, eopBeyondTable: 'hold-last' as const }
      : {}),
  });
  if (!result.ok) {
    throw new CliError('DATA_INVALID', result.issues.map(formatIssue).join('\n'));
  }
  for (const w of result.warnings) {
    if (process.env['HOSHIMI_VERBOSE'] === '1') warn(`warning: ${formatIssue(w)}`);
  }
  return result.value;
}

function isoDateOfMjd(mjd: number): string {
  const d = new Date(Math.round((mjd - 40587) * 86400) * 1000);
  return d.toISOString().slice(0, 10);
}

/**
 * Warnings for a run over UTC MJD [fromMjd, toMjd] with a tolerant context (`tolerant: true`): the
 * leap-second table's expiry passed (its last offset held), EOP predicted or held beyond the table
 * (with the stated one-sigma UT1 − UTC uncertainty of IERS Bulletin A's error law, plus length of day
 * × days held). `usesEop: false` (a run whose frames need no UT1 or polar motion, such as screening
 * in TEME with CDMs in EME2000) warns about the leap seconds only. Returns the lines it wrote.
 */
export function warnTableSpan(
  ctx: AstroContext,
  fromMjd: number,
  toMjd: number,
  warn: (line: string) => void,
  usesEop = true,
): string[] {
  const lines: string[] = [];
  const leap = ctx.leapSeconds;
  if (toMjd >= leap.expiresMjd) {
    const last = leap.entries[leap.entries.length - 1]!;
    lines.push(
      `warning: [LEAP_SECONDS_EXPIRED] times up to ${isoDateOfMjd(toMjd)} are past the expiry of ${leap.source} (${isoDateOfMjd(leap.expiresMjd)}); TAI − UTC held at ${last.offsetS} s. 'hoshimi data update' fetches a newer file.`,
    );
  }
  const eop = usesEop ? ctx.eop : undefined;
  if (eop !== undefined) {
    if (fromMjd < eop.firstMjd) {
      const first = eop.node(0);
      const u = eopUncertainty(0, first.mjd - fromMjd, first.lodS);
      lines.push(
        `warning: [EOP_HELD] times from ${isoDateOfMjd(fromMjd)} lie before ${eop.source} (first row ${isoDateOfMjd(first.mjd)}); its first row is held, one-sigma uncertainty about ${(u.ut1MinusUtcS * 1000).toFixed(1)} ms of UT1 − UTC`,
      );
    }
    if (toMjd > eop.lastFinalMjd) {
      const held = Math.max(0, toMjd - eop.lastMjd);
      const last = eop.node(eop.size - 1);
      const u = eopUncertainty(toMjd - eop.lastFinalMjd, held, last.lodS);
      lines.push(
        held > 0
          ? `warning: [EOP_HELD] times up to ${isoDateOfMjd(toMjd)} lie ${held.toFixed(1)} days beyond ${eop.source} (last row ${isoDateOfMjd(eop.lastMjd)}); its last row is held, one-sigma uncertainty about ${(u.ut1MinusUtcS * 1000).toFixed(1)} ms of UT1 − UTC and ${(u.polarMotionArcsec * 1000).toFixed(0)} mas of polar motion. 'hoshimi data update' fetches a newer file.`
          : `warning: [EOP_PREDICTED] times up to ${isoDateOfMjd(toMjd)} use predicted EOP of ${eop.source} (last final value ${isoDateOfMjd(eop.lastFinalMjd)}); one-sigma uncertainty about ${(u.ut1MinusUtcS * 1000).toFixed(1)} ms of UT1 − UTC`,
      );
    }
  }
  for (const l of lines) warn(l);
  return lines;
}
