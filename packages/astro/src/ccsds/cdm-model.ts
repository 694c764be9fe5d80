/**
 * The data model of a CCSDS Conjunction Data Message (CDM), CCSDS 508.0-B-1 (June 2013, with
 * Technical Corrigendum 2 of October 2021) plus the CDM 2.0 draft keywords (508.0-P-1.1) that
 * Orekit writes and reads. One CDM describes one conjunction: a header, the relative
 * metadata/data block and two object blocks (OBJECT1, usually the protected asset, and OBJECT2).
 *
 * Units inside the model are the core's units (STYLE.md), converted at the file boundary by the
 * single key table of cdm-keys.ts: lengths in km, speeds in km/s, accelerations in km/s², angles in
 * rad, durations in s; areas stay m², masses kg, area-to-mass ratios m²/kg and SEDR W/kg, each
 * named by its unit. Times are kept as written (UTC text, full precision) plus a UTC Julian date
 * pair. Covariances are kept as lower triangles with km-based units (see `CdmCovariance`).
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { parseUtcString } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import { isValidDate } from '../math/calendar.js';

/** A CDM time: the UTC text as written and its UTC Julian date (no leap-second table involved). */
export interface CdmEpoch {
  /** As written in the file (e.g. `2023-06-13T00:19:23.766`), at full precision. */
  readonly text: string;
  readonly utc: UtcJulianDate;
}

/** Header (508.0-B-1 Table 3-1). */
export interface CdmHeader {
  readonly comments: readonly string[];
  /** CCSDS_CDM_VERS, e.g. "1.0". */
  readonly version: string;
  readonly creationDate: CdmEpoch;
  readonly originator: string;
  readonly messageFor?: string;
  readonly messageId: string;
  /** CDM 2.0 draft. */
  readonly classification?: string;
}

/** Relative metadata/data (508.0-B-1 Table 3-2; CDM 2.0 draft keys marked). RTN is OBJECT1's frame. */
export interface CdmRelativeMetadata {
  readonly comments: readonly string[];
  /** CDM 2.0 draft. */
  readonly conjunctionId?: string;
  /** Time of closest approach, kept at the written precision. */
  readonly tca: CdmEpoch;
  readonly missDistanceKm: number;
  /** CDM 2.0 draft. */
  readonly mahalanobisDistance?: number;
  readonly relativeSpeedKmPerS?: number;
  /** CDM 2.0 draft. */
  readonly approachAngleRad?: number;
  readonly relativePositionRKm?: number;
  readonly relativePositionTKm?: number;
  readonly relativePositionNKm?: number;
  readonly relativeVelocityRKmPerS?: number;
  readonly relativeVelocityTKmPerS?: number;
  readonly relativeVelocityNKmPerS?: number;
  readonly startScreenPeriod?: CdmEpoch;
  readonly stopScreenPeriod?: CdmEpoch;
  /** CDM 2.0 draft (SHAPE or PC). */
  readonly screenType?: string;
  readonly screenVolumeFrame?: string;
  readonly screenVolumeShape?: string;
  /** CDM 2.0 draft. */
  readonly screenVolumeRadiusKm?: number;
  readonly screenVolumeXKm?: number;
  readonly screenVolumeYKm?: number;
  readonly screenVolumeZKm?: number;
  readonly screenEntryTime?: CdmEpoch;
  readonly screenExitTime?: CdmEpoch;
  /** CDM 2.0 draft. */
  readonly screenPcThreshold?: number;
  /** CDM 2.0 draft: percentiles, integers. */
  readonly collisionPercentile?: readonly number[];
  readonly collisionProbability?: number;
  readonly collisionProbabilityMethod?: string;
  /** CDM 2.0 draft. */
  readonly collisionMaxProbability?: number;
  readonly collisionMaxPcMethod?: string;
  readonly sefiCollisionProbability?: number;
  readonly sefiCollisionProbabilityMethod?: string;
  readonly sefiFragmentationModel?: string;
  readonly previousMessageId?: string;
  readonly previousMessageEpoch?: CdmEpoch;
  readonly nextMessageEpoch?: CdmEpoch;
}

/** Object metadata (508.0-B-1 Table 3-3; CDM 2.0 draft keys marked). */
export interface CdmObjectMetadata {
  readonly comments: readonly string[];
  /** OBJECT1 or OBJECT2. */
  readonly object: string;
  readonly objectDesignator: string;
  readonly catalogName: string;
  readonly objectName: string;
  readonly internationalDesignator: string;
  readonly objectType?: string;
  readonly operatorContactPosition?: string;
  readonly operatorOrganization?: string;
  readonly operatorPhone?: string;
  readonly operatorEmail?: string;
  readonly ephemerisName: string;
  /** CALCULATED or DEFAULT. */
  readonly covarianceMethod: string;
  /** CDM 2.0 draft. */
  readonly covarianceSource?: string;
  readonly odmMsgLink?: string;
  readonly admMsgLink?: string;
  readonly obsBeforeNextMessage?: string;
  /** YES, NO or N/A. */
  readonly maneuverable: string;
  /** Default EARTH when absent. */
  readonly orbitCenter?: string;
  /** Frame of the state vector (EME2000, GCRF or ITRF in 508.0-B-1). */
  readonly refFrame: string;
  /** CDM 2.0 draft. */
  readonly altCovType?: string;
  readonly altCovRefFrame?: string;
  readonly gravityModel?: string;
  readonly atmosphericModel?: string;
  readonly nBodyPerturbations?: string;
  readonly solarRadPressure?: string;
  readonly earthTides?: string;
  readonly intrackThrust?: string;
}

/** OD parameters (508.0-B-1 Table 3-4). */
export interface CdmOdParameters {
  readonly comments: readonly string[];
  readonly timeLastObStart?: CdmEpoch;
  readonly timeLastObEnd?: CdmEpoch;
  /** Written in days. */
  readonly recommendedOdSpanS?: number;
  /** Written in days. */
  readonly actualOdSpanS?: number;
  readonly obsAvailable?: number;
  readonly obsUsed?: number;
  readonly tracksAvailable?: number;
  readonly tracksUsed?: number;
  readonly residualsAcceptedPercent?: number;
  readonly weightedRms?: number;
  /** CDM 2.0 draft. */
  readonly odEpoch?: CdmEpoch;
}

/** Additional parameters (508.0-B-1 Table 3-4; CDM 2.0 draft keys marked). */
export interface CdmAdditionalParameters {
  readonly comments: readonly string[];
  readonly areaPcM2?: number;
  /** CDM 2.0 draft. */
  readonly areaPcMinM2?: number;
  readonly areaPcMaxM2?: number;
  readonly areaDrgM2?: number;
  readonly areaSrpM2?: number;
  /** CDM 2.0 draft: object environmental box (OEB). */
  readonly oebParentFrame?: string;
  readonly oebParentFrameEpoch?: CdmEpoch;
  readonly oebQ1?: number;
  readonly oebQ2?: number;
  readonly oebQ3?: number;
  readonly oebQc?: number;
  readonly oebMaxKm?: number;
  readonly oebIntKm?: number;
  readonly oebMinKm?: number;
  readonly areaAlongOebMaxM2?: number;
  readonly areaAlongOebIntM2?: number;
  readonly areaAlongOebMinM2?: number;
  readonly rcsM2?: number;
  readonly rcsMinM2?: number;
  readonly rcsMaxM2?: number;
  readonly vmAbsolute?: number;
  readonly vmApparentMin?: number;
  readonly vmApparent?: number;
  readonly vmApparentMax?: number;
  readonly reflectance?: number;
  readonly massKg?: number;
  /** CDM 2.0 draft: this object's hard-body radius. */
  readonly hbrKm?: number;
  readonly cdAreaOverMassM2PerKg?: number;
  readonly crAreaOverMassM2PerKg?: number;
  readonly thrustAccelerationKmPerS2?: number;
  /** Specific energy dissipation rate. */
  readonly sedrWPerKg?: number;
  /** CDM 2.0 draft. */
  readonly apoapsisAltitudeKm?: number;
  readonly periapsisAltitudeKm?: number;
  readonly inclinationRad?: number;
  readonly covConfidence?: number;
  readonly covConfidenceMethod?: string;
}

/** State vector at TCA in the object's REF_FRAME (508.0-B-1 Table 3-4). */
export interface CdmStateVector {
  readonly comments: readonly string[];
  readonly xKm: number;
  readonly yKm: number;
  readonly zKm: number;
  readonly xDotKmPerS: number;
  readonly yDotKmPerS: number;
  readonly zDotKmPerS: number;
}

/**
 * A covariance as its lower triangle, row by row (CR_R; CT_R, CT_T; CN_R, ...): 21 terms for the
 * 6×6 position-velocity part, 28, 36 or 45 with the drag, SRP and thrust rows. Units are km-based:
 * the state components are (km, km, km, km/s, km/s, km/s, m²/kg, m²/kg, km/s²), so a term is in
 * the product of its row's and column's units (km², km²/s, km²/s², km·m²/kg, ...). The file's m-based
 * terms are divided by (10³)ⁿ at the boundary, n being the count of length factors converted.
 */
export interface CdmCovariance {
  readonly comments: readonly string[];
  readonly lowerTriangle: readonly number[];
}

/** CDM 2.0 draft CSIG3EIGVEC3: three 1σ values (m) then the eigenvectors, kept as written. */
export interface CdmSigmaEigenvectors {
  readonly comments: readonly string[];
  readonly valuesAsWritten: readonly number[];
}

/** CDM 2.0 draft additional covariance metadata. */
export interface CdmAdditionalCovarianceMetadata {
  readonly comments: readonly string[];
  readonly densityForecastUncertainty?: number;
  readonly cscaleFactorMin?: number;
  readonly cscaleFactor?: number;
  readonly cscaleFactorMax?: number;
  readonly screeningDataSource?: string;
  readonly dcpSensitivityVectorPositionKm?: readonly number[];
  readonly dcpSensitivityVectorVelocityKmPerS?: readonly number[];
}

/** USER_DEFINED_x parameters, names without the prefix, in file order. */
export interface CdmUserDefined {
  readonly comments: readonly string[];
  readonly parameters: Readonly<Record<string, string>>;
}

/** One object of the conjunction. */
export interface CdmObject {
  readonly metadata: CdmObjectMetadata;
  readonly odParameters?: CdmOdParameters;
  readonly additionalParameters?: CdmAdditionalParameters;
  readonly stateVector: CdmStateVector;
  /** RTN covariance (6×6 mandatory, up to 9×9). */
  readonly covarianceRtn: CdmCovariance;
  /** CDM 2.0 draft: covariance in ALT_COV_REF_FRAME (X, Y, Z, X_DOT, ...), same units. */
  readonly covarianceXyz?: CdmCovariance;
  readonly sigmaEigenvectors?: CdmSigmaEigenvectors;
  readonly additionalCovarianceMetadata?: CdmAdditionalCovarianceMetadata;
  readonly userDefined?: CdmUserDefined;
}

/** A Conjunction Data Message. */
export interface Cdm {
  readonly header: CdmHeader;
  readonly relativeMetadata: CdmRelativeMetadata;
  /** USER_DEFINED parameters written before the first object. */
  readonly userDefined?: CdmUserDefined;
  /** OBJECT1 then OBJECT2. */
  readonly objects: readonly [CdmObject, CdmObject];
}

/**
 * Reads a CDM time (CCSDS 502.0-B-2 §7.5.10 forms, UTC) and rejects impossible calendar dates
 * (2010-04-31) that the Julian-date arithmetic would silently roll over. `undefined` when invalid.
 */
export function readCdmEpoch(text: string): CdmEpoch | undefined {
  const t = text.trim();
  const utc = parseUtcString(t);
  if (utc === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m !== null && !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return { text: t, utc };
}

/** A CdmEpoch from UTC text; throws AstroError `CDM_EPOCH` when the text is not a valid CCSDS time. */
export function cdmEpoch(text: string): CdmEpoch {
  const e = readCdmEpoch(text);
  if (e === undefined) {
    throw new AstroError('CDM_EPOCH', `not a CCSDS UTC time: ${JSON.stringify(text)}`, {
      expected: 'YYYY-MM-DDThh:mm:ss[.d] or YYYY-DDDThh:mm:ss[.d]',
      found: text,
    });
  }
  return e;
}

/** Index of (row, col) in a row-by-row lower triangle. */
function triIndex(i: number, j: number): number {
  return i >= j ? (i * (i + 1)) / 2 + j : (j * (j + 1)) / 2 + i;
}

/** Dimension n of a lower triangle of n(n+1)/2 terms; throws `CDM_COVARIANCE_SIZE` otherwise. */
export function cdmCovarianceDimension(cov: CdmCovariance): number {
  const len = cov.lowerTriangle.length;
  const n = Math.round((Math.sqrt(8 * len + 1) - 1) / 2);
  if ((n * (n + 1)) / 2 !== len || n < 6 || n > 9) {
    throw new AstroError('CDM_COVARIANCE_SIZE', `a CDM covariance has 21, 28, 36 or 45 terms, not ${len}`, {
      expected: '21, 28, 36 or 45',
      found: len,
    });
  }
  return n;
}

/**
 * The full symmetric n×n matrix (n = 6..9, row-major rows) of a CDM covariance, in the km-based
 * units of `CdmCovariance`.
 */
export function cdmCovarianceMatrix(cov: CdmCovariance): number[][] {
  const n = cdmCovarianceDimension(cov);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(cov.lowerTriangle[triIndex(i, j)] as number);
    out.push(row);
  }
  return out;
}

/** The 6×6 position-velocity part (km², km²/s, km²/s²) of a CDM covariance. */
export function cdmCovariance6(cov: CdmCovariance): number[][] {
  return cdmCovarianceMatrix({ comments: [], lowerTriangle: cov.lowerTriangle.slice(0, 21) });
}

/**
 * A CdmCovariance from a full square matrix (6..9 rows, km-based units as in `CdmCovariance`);
 * the lower triangle is taken, the upper one ignored.
 */
export function cdmCovarianceFromMatrix(
  matrix: readonly (readonly number[])[],
  comments: readonly string[] = [],
): CdmCovariance {
  const n = matrix.length;
  if (n < 6 || n > 9 || matrix.some((r) => r.length !== n)) {
    throw new AstroError('CDM_COVARIANCE_SIZE', 'a CDM covariance matrix is square, 6×6 to 9×9', {
      expected: '6..9 rows of as many columns',
      found: `${n} rows`,
    });
  }
  const lowerTriangle: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) lowerTriangle.push((matrix[i] as number[])[j] as number);
  return { comments, lowerTriangle };
}

/**
 * Whether a symmetric matrix is positive definite, by a Cholesky factorisation of its correlation
 * form (scaled by the diagonal so that km² and km²/s² terms weigh alike). A zero or negative
 * diagonal term makes it not positive definite.
 */
export function isPositiveDefinite(m: readonly (readonly number[])[]): boolean {
  const n = m.length;
  const d: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = (m[i] as number[])[i] as number;
    if (!(v > 0)) return false;
    d.push(Math.sqrt(v));
  }
  const l: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = new Array<number>(n).fill(0);
    l.push(row);
    for (let j = 0; j <= i; j++) {
      const lj = l[j] as number[];
      let s = ((m[i] as number[])[j] as number) / ((d[i] as number) * (d[j] as number));
      for (let k = 0; k < j; k++) s -= (row[k] as number) * (lj[k] as number);
      if (i === j) {
        if (!(s > 0)) return false;
        row[i] = Math.sqrt(s);
      } else {
        row[j] = s / (lj[j] as number);
      }
    }
  }
  return true;
}
