/**
 * The rules of an element-set import that do not depend on the database: batch sizes, source
 * priority, the content hash that defines a duplicate, the SGP4 check at epoch, and the issues a
 * failed or odd file is reported with. The SQLite import (sqlite-import.ts) and the PostgreSQL
 * import (postgres-import.ts) both follow them, so the two stores store and reject the same records.
 */
import { createHash } from 'node:crypto';
import {
  type ElementFormat,
  type ElementSet,
  type ParseIssue,
  SGP4_ERRORS,
  type Sgp4ErrorCode,
  sgp4,
  sgp4Init,
} from '@hoshimi/astro';
import type { ScannedInput } from './read-input.js';

/** Default TLE/3LE lines per batch: bounded memory, few enough batches to keep overhead low. */
export const DEFAULT_BATCH_LINES = 6000;
/** OMM records written per batch (OMM files are parsed whole, then written in slices). */
export const OMM_BATCH_RECORDS = 2000;

/** Source priority at equal epochs (higher wins): Space-Track is the originator, CelesTrak relays it. */
export function sourcePriority(source: string): number {
  const s = source.toLowerCase();
  if (s === 'spacetrack' || s === 'space-track') return 2;
  if (s === 'celestrak') return 1;
  return 0;
}

/** Content hash of an element set's orbital fields (not its name, source or label). */
export function elementContentHash(es: ElementSet): string {
  const text = [
    es.catalogNumber,
    es.epoch.jd,
    es.epoch.jdFrac,
    es.classification,
    es.intlDesignator ?? '',
    es.meanMotionRadPerMin,
    es.eccentricity,
    es.inclinationRad,
    es.raanRad,
    es.argPerigeeRad,
    es.meanAnomalyRad,
    es.bstar,
    es.meanMotionDotRevPerDay2,
    es.meanMotionDdotRevPerDay3,
    es.ephemerisType,
    es.elementSetNumber,
    es.revolutionNumber,
    es.bterm ?? '',
    es.agom ?? '',
  ].join('|');
  return createHash('sha1').update(text).digest('base64').slice(0, 22);
}

const KVN_LINE = /^[A-Z][A-Z0-9_]*\s*=/;

/** The format a stray line in a TLE file looks like, for a clearer rejection; undefined if none. */
function foreignFormatOf(found: string | undefined): string | undefined {
  if (found === undefined) return undefined;
  const t = found.trim();
  if (KVN_LINE.test(t) || t.startsWith('CCSDS_OMM_VERS')) return 'OMM KVN';
  if (t.startsWith('<')) return 'XML';
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) return 'JSON';
  if (/^[A-Z_"]+,/.test(t) || (t.split(',').length > 5 && /\d{4}-\d\d-\d\dT/.test(t))) return 'CSV';
  return undefined;
}

const sgp4Out = new Float64Array(6);

/** WGS-72 xke, (Earth radii)^1.5 per minute: Vallado's `getgravconst('wgs72')`, as TLEs are fitted. */
const XKE_WGS72 = 60 / Math.sqrt(6378.135 ** 3 / 398600.8);
/** Perigee radius, Earth radii, above which SGP4 cannot fail at epoch (see surelyPropagatableAtEpoch). */
const SAFE_PERIGEE_ER = 1.02;
/** Eccentricity below which SGP4 cannot fail at epoch (see surelyPropagatableAtEpoch). */
const SAFE_ECCENTRICITY = 0.99;
/**
 * Period, minutes, below which an element set is surely near-Earth for SGP4 (Vallado switches to
 * the deep-space branch at 225 minutes of un-Kozai'd period; 5 minutes of margin).
 */
const SAFE_NEAR_EARTH_PERIOD_MIN = 220;

/**
 * A cheap test that SGP4 succeeds at an element set's own epoch, so that the full initialisation
 * runs only for the sets it does not clear. For a near-Earth set at t = 0, Vallado's SGP4
 * (SGP4.cpp, `sgp4`) keeps the mean elements unchanged (every secular and drag term vanishes at
 * t = 0), so its errors reduce to: 1 (e ≥ 1 or mean semi-major axis below 0.95 Earth radii),
 * 2 (n ≤ 0), 4 (e near or above 1), 6 (radius below one Earth radius, which needs a perigee near it:
 * the long- and short-period terms of the radius are of order J2 or J3 ≈ 1e-3 Earth radii), or
 * non-finite inputs. A finite near-Earth set with n > 0, 0 ≤ e < 0.99 and a Kozai perigee above
 * 1.02 Earth radii (the un-Kozai correction is of order J2 as well) is clear of all of them.
 * Deep-space sets are never cleared here: their lunar-solar periodics do not vanish at the epoch
 * (JWST's set of 2021-12-28, e = 0.988, fails with error 3), so they always get the full check.
 */
export function surelyPropagatableAtEpoch(es: ElementSet): boolean {
  const n = es.meanMotionRadPerMin;
  const e = es.eccentricity;
  if (!(n > 0) || !(e >= 0 && e < SAFE_ECCENTRICITY)) return false;
  if (!((2 * Math.PI) / n < SAFE_NEAR_EARTH_PERIOD_MIN)) return false;
  if (
    !Number.isFinite(n) ||
    !Number.isFinite(es.inclinationRad) ||
    !Number.isFinite(es.raanRad) ||
    !Number.isFinite(es.argPerigeeRad) ||
    !Number.isFinite(es.meanAnomalyRad) ||
    !Number.isFinite(es.bstar) ||
    !Number.isFinite(es.meanMotionDotRevPerDay2) ||
    !Number.isFinite(es.meanMotionDdotRevPerDay3)
  ) {
    return false;
  }
  const aEr = Math.cbrt((XKE_WGS72 / n) ** 2);
  return aEr * (1 - e) > SAFE_PERIGEE_ER;
}

/**
 * Why SGP4 cannot propagate an element set at its own epoch (mean motion 0, eccentricity ≥ 1, a
 * perigee inside the Earth, …: Vallado's SGP4 initialisation or first step returns an error, or
 * the state is not finite), or null when it can. Such a set would only ever answer with an
 * error, so it is rejected at import instead of stored.
 */
export function sgp4AtEpochIssue(es: ElementSet): Omit<ParseIssue, 'file' | 'line'> | null {
  if (surelyPropagatableAtEpoch(es)) return null;
  const satrec = sgp4Init(es);
  let code: number = satrec.error;
  if (code === 0) code = sgp4(satrec, 0, sgp4Out);
  if (code === 0 && sgp4Out.every(Number.isFinite)) return null;
  const known = SGP4_ERRORS[code as Sgp4ErrorCode];
  return {
    code: 'ELEMENTS_SGP4_UNUSABLE',
    message: `element set of object ${es.catalogNumber} cannot be propagated by SGP4 at its own epoch: ${
      known === undefined ? 'a non-finite state' : `SGP4 error ${code} (${known.code}): ${known.message}`
    } (mean motion ${(es.meanMotionRadPerMin * 1440) / (2 * Math.PI)} rev/day, eccentricity ${es.eccentricity}); not stored`,
    expected: 'elements SGP4 can propagate (mean motion > 0, 0 ≤ eccentricity < 1, perigee above the Earth)',
    found: known === undefined ? 'non-finite state' : `SGP4 error ${code}`,
  };
}

/** Moves an issue from batch-relative to file line numbers (messages name lines too). */
export function shiftIssue(issue: ParseIssue, offset: number): ParseIssue {
  if (offset === 0) return issue;
  const message = issue.message.replace(
    /\bat line (\d+)/g,
    (_m, n: string) => `at line ${Number(n) + offset}`,
  );
  return issue.line === undefined ? { ...issue, message } : { ...issue, line: issue.line + offset, message };
}

/** Relabels a TLE reader's orphan line that is really another format's line. */
export function explainForeign(issue: ParseIssue, fileFormat: ElementFormat): ParseIssue {
  if (issue.code !== 'TLE_ORPHAN_LINE') return issue;
  const foreign = foreignFormatOf(issue.found);
  if (foreign === undefined) return issue;
  return {
    ...issue,
    code: 'ELEMENTS_MIXED_FORMAT',
    message: `a ${foreign} line inside a ${fileFormat.toUpperCase()} file (one format per file): ${issue.message}`,
  };
}

export function failedIssue(name: string, scan: ScannedInput): ParseIssue {
  switch (scan.kind) {
    case 'empty':
      return {
        file: name,
        line: 1,
        code: 'INPUT_EMPTY',
        message: 'the file is empty (no element sets)',
        expected: 'TLE, 3LE, OMM (KVN/XML) or GP (JSON/CSV) text',
        found: scan.size === 0 ? 'zero bytes' : `${scan.size} bytes of blank text`,
      };
    case 'binary':
      return {
        file: name,
        code: 'INPUT_BINARY',
        message: `a binary file (NUL byte at offset ${scan.detail}${scan.gzip ? ' after gunzip' : ''}), not element-set text`,
        expected: 'TLE, 3LE, OMM (KVN/XML) or GP (JSON/CSV) text',
        found: 'binary data',
      };
    case 'not-utf8':
      return {
        file: name,
        code: 'INPUT_NOT_TEXT',
        message: 'the file is not UTF-8 text (a binary file or another encoding)',
        expected: 'UTF-8 (or ASCII) element-set text',
        found: 'invalid UTF-8 bytes',
      };
    case 'bad-gzip':
      return {
        file: name,
        code: 'INPUT_BAD_GZIP',
        message: `the file starts like gzip but does not decompress: ${scan.detail}`,
        expected: 'a complete gzip stream',
        found: 'a corrupt or truncated gzip stream',
      };
    case 'too-large':
      return tooLargeIssue(name, Number(scan.detail), scan.gzip);
    default:
      return { file: name, code: 'INPUT_UNKNOWN', message: 'unreadable input' };
  }
}

export function tooLargeIssue(name: string, limit: number, gzip: boolean): ParseIssue {
  const mib = (limit / 1024 ** 2).toLocaleString('en');
  return {
    file: name,
    code: 'INPUT_TOO_LARGE',
    message: `the ${gzip ? 'decompressed ' : ''}content is larger than ${mib} MiB, the most this format is read to`,
    expected: `at most ${mib} MiB of element-set text`,
    found: 'more',
  };
}
