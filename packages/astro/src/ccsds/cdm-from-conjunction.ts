/**
 * Builds a CCSDS 508.0-B-1 CDM for a conjunction found by screening element sets.
 *
 * Element sets (TLE/OMM) carry no covariance, yet CDM 1.0 makes the 6×6 RTN covariance mandatory
 * (508.0-B-1 Table 3-4: CR_R ... CNDOT_NDOT are mandatory; the CDM 2.0 draft keeps them so). The
 * standard's own flag for a covariance that was not calculated is COVARIANCE_METHOD = DEFAULT
 * ("a non-calculated default value was used"). Without an estimate the message therefore says so
 * three ways, a convention this reader and `hoshimi pc` enforce: COVARIANCE_METHOD = DEFAULT, all
 * 21 terms exactly zero (a zero matrix is no covariance at all: no Pc method can use it, and our
 * reader reports `CDM_COVARIANCE_ZERO`), and a COMMENT `NO COVARIANCE KNOWN` in the covariance
 * block. COLLISION_PROBABILITY then holds the maximum Pc over an unknown covariance, named by its
 * SANA registry name ALFANO-MAX-PROBABILITY (not ALFANO-2005, which names Alfano's covariance-based
 * integration). Estimated variances that are negative, not finite or all zero are refused
 * (`CDM_COVARIANCE_ZERO`): a zero covariance is never written as CALCULATED.
 * With position variances estimated from the element-set history (pc/tle-covariance.ts) the
 * diagonal CR_R, CT_T, CN_N holds them (COVARIANCE_METHOD = CALCULATED; velocity and cross terms
 * zero: not estimated) and the Pc is Foster's (FOSTER-1992).
 *
 * Times given as UTC Julian dates are written to the microsecond; text is written as given.
 * Inputs: states at TCA in one CDM REF_FRAME (EME2000, GCRF or ITRF), km and km/s; the miss vector
 * and relative velocity in the primary's RTN frame, km and km/s (CDM RELATIVE_POSITION_R/T/N).
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import {
  CCSDS_PC_METHODS,
  type CcsdsPcMethod,
  type PcMethodName,
  pcMethodCcsdsName,
} from '../pc/pc-result.js';
import type { Cdm, CdmEpoch, CdmObject } from './cdm-model.js';
import { cdmEpoch } from './cdm-model.js';

/** Comment that opens the covariance block of an object whose covariance is unknown. */
export const CDM_NO_COVARIANCE_COMMENT =
  'NO COVARIANCE KNOWN: element sets carry none; all terms zero by convention, COVARIANCE_METHOD = DEFAULT';

/** Digits of the second written for times given as Julian dates: 1 µs (7.5 mm at LEO speed). */
const CDM_TIME_DECIMALS = 6;

export interface ConjunctionCdmObject {
  readonly catalogNumber: string;
  readonly name: string | undefined;
  /** COSPAR designator "1998-067A", when known. */
  readonly intlDesignator: string | undefined;
  readonly rKm: readonly [number, number, number];
  readonly vKmS: readonly [number, number, number];
  /** The object's hard-body radius, km, when known. */
  readonly hbrKm?: number;
  /** Age of its element set at TCA, days (recorded in a comment). */
  readonly elementAgeDays: number;
  /** Position variances R, T, N (km²) estimated from the element-set history, if any. */
  readonly covarianceRtnKm2?: readonly [number, number, number];
}

export interface ConjunctionCdmInput {
  readonly messageId: string;
  readonly originator: string;
  /**
   * CREATION_DATE, TCA and the screening period: UTC Julian dates (written to the microsecond) or
   * CCSDS UTC strings (written as given).
   */
  readonly creationDate: string | UtcJulianDate;
  readonly tca: string | UtcJulianDate;
  readonly screenStart: string | UtcJulianDate;
  readonly screenStop: string | UtcJulianDate;
  /** Screening sphere radius, km. */
  readonly screenRadiusKm: number;
  readonly refFrame: 'EME2000' | 'GCRF' | 'ITRF';
  readonly missKm: number;
  readonly relativeSpeedKmS: number;
  /** Miss vector (secondary − primary) in the primary's RTN frame, km. */
  readonly missRtnKm: readonly [number, number, number];
  /** Relative velocity in the primary's RTN frame, km/s. */
  readonly relVelRtnKmS: readonly [number, number, number];
  readonly pc: number | null;
  /**
   * The method of `pc`: a pc/ method name (e.g. 'FOSTER-1992', 'ALFANO-2005-MAX'), written as its
   * SANA registry name (pc-result.ts), or a SANA name itself (ALFANO-2005 is Alfano's
   * covariance-based integration, not the maximum). A method without a registry name is refused
   * (`CDM_PC_METHOD`).
   */
  readonly pcMethod: PcMethodName | CcsdsPcMethod | (string & {});
  /** Combined hard-body radius used for Pc, km. */
  readonly hbrKm: number;
  readonly objects: readonly [ConjunctionCdmObject, ConjunctionCdmObject];
}

const ZERO_COVARIANCE: readonly number[] = new Array<number>(21).fill(0);

function cdmObject(o: ConjunctionCdmObject, which: 'OBJECT1' | 'OBJECT2', refFrame: string): CdmObject {
  const v = o.covarianceRtnKm2;
  if (v !== undefined && (!v.every((x) => x >= 0 && Number.isFinite(x)) || v.every((x) => x === 0))) {
    throw new AstroError(
      'CDM_COVARIANCE_ZERO',
      `${which} position variances must be finite, not negative and not all zero to be written as CALCULATED`,
      { expected: 'three variances ≥ 0 km², not all zero', found: v.join(' ') },
    );
  }
  return {
    metadata: {
      comments: [`element set age at TCA ${o.elementAgeDays.toFixed(3)} days`],
      object: which,
      objectDesignator: o.catalogNumber,
      catalogName: 'SATCAT',
      objectName: o.name ?? 'UNKNOWN',
      internationalDesignator: o.intlDesignator ?? 'UNKNOWN',
      ephemerisName: 'NONE',
      covarianceMethod: o.covarianceRtnKm2 === undefined ? 'DEFAULT' : 'CALCULATED',
      maneuverable: 'N/A',
      refFrame,
      gravityModel: 'SGP4 (WGS-72)',
      atmosphericModel: 'SGP4 B*',
    },
    ...(o.hbrKm === undefined ? {} : { additionalParameters: { comments: [], hbrKm: o.hbrKm } }),
    stateVector: {
      comments: ['state at TCA propagated with SGP4 from the latest element set'],
      xKm: o.rKm[0],
      yKm: o.rKm[1],
      zKm: o.rKm[2],
      xDotKmPerS: o.vKmS[0],
      yDotKmPerS: o.vKmS[1],
      zDotKmPerS: o.vKmS[2],
    },
    covarianceRtn:
      o.covarianceRtnKm2 === undefined
        ? { comments: [CDM_NO_COVARIANCE_COMMENT], lowerTriangle: ZERO_COVARIANCE }
        : {
            comments: [
              'position variances estimated from the element-set history at this age; velocity and cross terms not estimated (zero)',
            ],
            lowerTriangle: ZERO_COVARIANCE.map((_, k) =>
              k === 0
                ? o.covarianceRtnKm2![0]
                : k === 2
                  ? o.covarianceRtnKm2![1]
                  : k === 5
                    ? o.covarianceRtnKm2![2]
                    : 0,
            ),
          },
  };
}

function epochOf(t: string | UtcJulianDate): CdmEpoch {
  return cdmEpoch(typeof t === 'string' ? t : formatUtcIso(t, CDM_TIME_DECIMALS));
}

const PC_METHOD_NAMES: ReadonlySet<string> = new Set<PcMethodName>([
  'FOSTER-1992',
  'CHAN-1997',
  'ALFRIEND-1999-MAX',
  'ALFANO-2005-MAX',
  'MONTE-CARLO-2D',
  'MONTE-CARLO-LINEAR-3D',
]);

/** The SANA name of the input's Pc method; throws `CDM_PC_METHOD` for one the registry lacks. */
function ccsdsMethod(method: string): CcsdsPcMethod {
  let name: CcsdsPcMethod | undefined;
  if (PC_METHOD_NAMES.has(method)) name = pcMethodCcsdsName(method as PcMethodName);
  else if ((CCSDS_PC_METHODS as readonly string[]).includes(method)) name = method as CcsdsPcMethod;
  if (name === undefined) {
    throw new AstroError('CDM_PC_METHOD', `Pc method ${method} has no CCSDS SANA registry name`, {
      expected: 'FOSTER-1992, CHAN-1997, ALFANO-2005-MAX or a SANA collision probability method',
      found: method,
    });
  }
  return name;
}

/** The CDM of one screened conjunction (see the module header for what it can and cannot carry). */
export function conjunctionToCdm(c: ConjunctionCdmInput): Cdm {
  const method = ccsdsMethod(c.pcMethod);
  const isMax = method === 'ALFANO-MAX-PROBABILITY';
  if (c.pc !== null && !isMax && c.objects.some((o) => o.covarianceRtnKm2 === undefined)) {
    throw new AstroError(
      'CDM_PC_METHOD',
      `a ${method} Pc needs both covariances, and the CDM would carry none for an object`,
      { expected: 'ALFANO-MAX-PROBABILITY, or both covarianceRtnKm2', found: method },
    );
  }
  return {
    header: {
      comments: ['Hoshimi conjunction screening of SGP4 element sets'],
      version: '1.0',
      creationDate: epochOf(c.creationDate),
      originator: c.originator,
      messageId: c.messageId,
    },
    relativeMetadata: {
      comments: [
        `combined hard-body radius ${(c.hbrKm * 1000).toFixed(3)} m`,
        isMax
          ? 'COLLISION_PROBABILITY is a maximum Pc over an unknown covariance (no covariance known): low confidence'
          : 'COLLISION_PROBABILITY from covariances estimated from element-set histories: low confidence',
      ],
      tca: epochOf(c.tca),
      missDistanceKm: c.missKm,
      relativeSpeedKmPerS: c.relativeSpeedKmS,
      relativePositionRKm: c.missRtnKm[0],
      relativePositionTKm: c.missRtnKm[1],
      relativePositionNKm: c.missRtnKm[2],
      relativeVelocityRKmPerS: c.relVelRtnKmS[0],
      relativeVelocityTKmPerS: c.relVelRtnKmS[1],
      relativeVelocityNKmPerS: c.relVelRtnKmS[2],
      startScreenPeriod: epochOf(c.screenStart),
      stopScreenPeriod: epochOf(c.screenStop),
      screenVolumeFrame: 'RTN',
      screenVolumeShape: 'ELLIPSOID',
      screenVolumeXKm: c.screenRadiusKm,
      screenVolumeYKm: c.screenRadiusKm,
      screenVolumeZKm: c.screenRadiusKm,
      ...(c.pc === null ? {} : { collisionProbability: c.pc, collisionProbabilityMethod: method }),
    },
    objects: [cdmObject(c.objects[0], 'OBJECT1', c.refFrame), cdmObject(c.objects[1], 'OBJECT2', c.refFrame)],
  };
}
