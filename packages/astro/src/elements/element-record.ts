/**
 * What every element-file reader returns: the element sets it accepted, each with where it came
 * from, and one issue per record it rejected. Shared by the TLE/3LE readers here and the CCSDS OMM
 * and CelesTrak GP readers in `ccsds/`.
 */
import type { ParseIssue } from '../errors.js';
import type { ElementSet } from './element-set.js';

/** Element-file formats that `detectElementFormat` can tell apart. */
export type ElementFormat = 'tle' | '3le' | 'omm-kvn' | 'omm-xml' | 'omm-json' | 'omm-csv';

/**
 * Start, stop and step (minutes since epoch) written after the checksum of line 2 in Vallado's
 * SGP4 verification file SGP4-VER.TLE (AIAA 2006-6753).
 */
export interface TleVerificationRange {
  readonly startMin: number;
  readonly stopMin: number;
  readonly stepMin: number;
}

/** One accepted element set and its origin. */
export interface ElementRecord {
  readonly elements: ElementSet;
  /** 1-based line where the record starts (TLE name line or line 1; OMM first key or element). */
  readonly line: number;
  /** Only for TLE records of Vallado's verification file. */
  readonly verification?: TleVerificationRange;
}

/** Result value of a bulk element reader. */
export interface ElementFile {
  readonly format: ElementFormat;
  /** Every record that was accepted, in file order. */
  readonly records: readonly ElementRecord[];
  /** One issue per rejected record (file, line, column, expected, found). */
  readonly rejected: readonly ParseIssue[];
}
