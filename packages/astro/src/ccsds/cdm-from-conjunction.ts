/**
 * Builds a CCSDS 508.0-B-1 CDM for a conjunction found by screening element sets.
 *
 * Element sets (TLE/OMM) carry no covariance, yet CDM 1.0 makes the 6×6 RTN covariance mandatory.
 * Without an estimate the message carries a zero covariance with COVARIANCE_METHOD = DEFAULT and a
 * COMMENT that says so, and COLLISION_PROBABILITY holds the maximum Pc (Alfano 2005) named in
 * COLLISION_PROBABILITY_METHOD. A reader that needs a real covariance must not use these values:
 * the comments and the method keyword make that explicit. With position variances estimated from
 * the element-set history (pc/tle-covariance.ts) the diagonal CR_R, CT_T, CN_N holds them
 * (COVARIANCE_METHOD = CALCULATED; velocity and cross terms zero: not estimated) and the Pc is
 * Foster's.
 *
 * Inputs: states at TCA in one CDM REF_FRAME (EME2000, GCRF or ITRF), km and km/s; the miss vector
 * and relative velocity in the primary's RTN frame, km and km/s (CDM RELATIVE_POSITION_R/T/N).
 */
import type { Cdm, CdmObject } from './cdm-model.js';
import { cdmEpoch } from './cdm-model.js';

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
  /** CREATION_DATE, TCA and the screening period as CCSDS UTC strings. */
  readonly creationDate: string;
  readonly tca: string;
  readonly screenStart: string;
  readonly screenStop: string;
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
  /** CCSDS method name, e.g. 'ALFANO-2005'. */
  readonly pcMethod: string;
  /** Combined hard-body radius used for Pc, km. */
  readonly hbrKm: number;
  readonly objects: readonly [ConjunctionCdmObject, ConjunctionCdmObject];
}

const ZERO_COVARIANCE: readonly number[] = new Array<number>(21).fill(0);

function cdmObject(o: ConjunctionCdmObject, which: 'OBJECT1' | 'OBJECT2', refFrame: string): CdmObject {
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
        ? {
            comments: ['no covariance: element sets carry none; zeros, COVARIANCE_METHOD = DEFAULT'],
            lowerTriangle: ZERO_COVARIANCE,
          }
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

/** The CDM of one screened conjunction (see the module header for what it can and cannot carry). */
export function conjunctionToCdm(c: ConjunctionCdmInput): Cdm {
  return {
    header: {
      comments: ['Hoshimi conjunction screening of SGP4 element sets'],
      version: '1.0',
      creationDate: cdmEpoch(c.creationDate),
      originator: c.originator,
      messageId: c.messageId,
    },
    relativeMetadata: {
      comments: [
        `combined hard-body radius ${(c.hbrKm * 1000).toFixed(3)} m`,
        c.pcMethod === 'FOSTER-1992'
          ? 'COLLISION_PROBABILITY from covariances estimated from element-set histories: low confidence'
          : 'COLLISION_PROBABILITY is a maximum Pc (no covariance known): low confidence',
      ],
      tca: cdmEpoch(c.tca),
      missDistanceKm: c.missKm,
      relativeSpeedKmPerS: c.relativeSpeedKmS,
      relativePositionRKm: c.missRtnKm[0],
      relativePositionTKm: c.missRtnKm[1],
      relativePositionNKm: c.missRtnKm[2],
      relativeVelocityRKmPerS: c.relVelRtnKmS[0],
      relativeVelocityTKmPerS: c.relVelRtnKmS[1],
      relativeVelocityNKmPerS: c.relVelRtnKmS[2],
      startScreenPeriod: cdmEpoch(c.screenStart),
      stopScreenPeriod: cdmEpoch(c.screenStop),
      screenVolumeFrame: 'RTN',
      screenVolumeShape: 'ELLIPSOID',
      screenVolumeXKm: c.screenRadiusKm,
      screenVolumeYKm: c.screenRadiusKm,
      screenVolumeZKm: c.screenRadiusKm,
      ...(c.pc === null ? {} : { collisionProbability: c.pc, collisionProbabilityMethod: c.pcMethod }),
    },
    objects: [cdmObject(c.objects[0], 'OBJECT1', c.refFrame), cdmObject(c.objects[1], 'OBJECT2', c.refFrame)],
  };
}
