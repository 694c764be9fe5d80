/**
 * The data model of a CCSDS Orbit Mean-elements Message (CCSDS 502.0-B-2 §4, 502.0-B-3) as the
 * readers of omm-read.ts and omm-read-gp.ts build it: header, metadata, mean elements, spacecraft
 * and TLE parameters, covariance, and the ElementSet of SGP4-family messages. Angles in rad, mean
 * motion in rad/min; MEAN_MOTION_DOT/DDOT in rev/day², rev/day³ (the TLE meaning).
 */
import type { ElementSet, UtcJulianDate } from '../elements/element-set.js';
import type { ParseIssue } from '../errors.js';

export interface OmmHeader {
  readonly version: string;
  readonly creationDate: string;
  readonly originator: string;
  readonly messageId?: string;
  readonly classification?: string;
  readonly comments: readonly string[];
}

export interface OmmMetadata {
  readonly objectName: string;
  readonly objectId: string;
  readonly centerName: string;
  readonly refFrame: string;
  readonly refFrameEpoch?: string;
  readonly timeSystem: string;
  readonly meanElementTheory: string;
  readonly comments: readonly string[];
}

export interface OmmMeanElements {
  /** EPOCH as written. */
  readonly epoch: string;
  /** EPOCH as a UTC Julian date pair, when TIME_SYSTEM is UTC. */
  readonly epochUtc?: UtcJulianDate;
  readonly semiMajorAxisKm?: number;
  readonly meanMotionRadPerMin?: number;
  readonly eccentricity: number;
  readonly inclinationRad: number;
  readonly raanRad: number;
  readonly argPerigeeRad: number;
  readonly meanAnomalyRad: number;
  readonly gmKm3PerS2?: number;
}

export interface OmmSpacecraft {
  readonly massKg?: number;
  readonly solarRadAreaM2?: number;
  readonly solarRadCoeff?: number;
  readonly dragAreaM2?: number;
  readonly dragCoeff?: number;
}

export interface OmmTleParameters {
  readonly ephemerisType?: number;
  readonly classificationType?: string;
  /** Decimal string without leading zeros (up to 9 digits). */
  readonly noradCatId?: string;
  readonly elementSetNo?: number;
  readonly revAtEpoch?: number;
  readonly bstar?: number;
  /** m²/kg. */
  readonly bterm?: number;
  /** rev/day² (ṅ/2, TLE meaning). */
  readonly meanMotionDot?: number;
  /** rev/day³ (n̈/6, TLE meaning). */
  readonly meanMotionDdot?: number;
  /** m²/kg. */
  readonly agom?: number;
}

export interface OmmCovariance {
  readonly refFrame?: string;
  /** 21 lower-triangle terms in CX_X, CY_X, CY_Y, ... order; km², km²/s, km²/s². */
  readonly lowerTriangle: readonly number[];
}

/** One OMM (one object) with everything it carries. */
export interface OmmMessage {
  readonly header: OmmHeader;
  readonly metadata: OmmMetadata;
  readonly meanElements: OmmMeanElements;
  readonly spacecraft?: OmmSpacecraft;
  readonly tleParameters?: OmmTleParameters;
  readonly covariance?: OmmCovariance;
  /** USER_DEFINED_x keys without the prefix. */
  readonly userDefined: Readonly<Record<string, string>>;
  /** 1-based line where the message starts. */
  readonly line: number;
  /** The SGP4 element set, when the message is propagatable by SGP4. */
  readonly elementSet?: ElementSet;
}

export interface OmmFile {
  readonly format: 'omm-kvn' | 'omm-xml' | 'omm-json' | 'omm-csv';
  readonly messages: readonly OmmMessage[];
  /** One issue per rejected message. */
  readonly rejected: readonly ParseIssue[];
}

export interface OmmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}
