/**
 * The CDM of one screened conjunction: SGP4 states at TCA moved from TEME to EME2000 (the frame
 * graph, with the context's EOP at TCA), the relative velocity in the primary's RTN frame, the
 * screening period and radius, and the Pc with its covariance source; the message itself is built
 * by conjunctionToCdm (cdm-from-conjunction.ts). Shared by every caller that writes CDMs for a
 * screening (the CLI, the server).
 */

import type { Conjunction, ConjunctionObject } from '../conjunction/screening-types.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { AstroContext } from '../context/index.js';
import type { UtcJulianDate } from '../elements/element-set.js';
import { formatUtcIso } from '../elements/utc-calendar.js';
import { applyFrameTransform, frameTransform } from '../frames/frame-graph.js';
import { localOrbitalMatrix } from '../frames/local-orbital.js';
import { mulMat3Vec3, type Vec3, zeroMat3 } from '../math/index.js';
import { instantOfUtcLabel } from '../sgp4/epoch-time.js';
import { conjunctionToCdm } from './cdm-from-conjunction.js';
import type { Cdm } from './cdm-model.js';

/** What a screening adds to a conjunction for its CDM. */
export interface ScreeningCdmInput {
  readonly conjunction: Conjunction;
  readonly originator: string;
  /** CREATION_DATE (UTC). */
  readonly creationDate: UtcJulianDate;
  /** Screening window (UTC) and the radius of its sphere, km. */
  readonly screenStart: UtcJulianDate;
  readonly screenStop: UtcJulianDate;
  readonly screenRadiusKm: number;
  readonly pc: number | null;
  /** The Pc method's name (pc module: 'FOSTER-1992' or the maximum Pc's). */
  readonly pcMethod: string;
  /** Combined hard-body radius, km. */
  readonly hbrKm: number;
  /** COSPAR designators of the two objects, when known. */
  readonly intlDesignators: readonly [string | undefined, string | undefined];
  /** RTN position variances (km²) of both objects when the Pc used estimated covariances. */
  readonly covariancesRtnKm2?: readonly [Vec3, Vec3];
}

/** Digits of the fraction of a second in CDM times (microseconds). */
const CDM_TIME_DECIMALS = 6;

/** The message id HOSHIMI_<id1>_<id2>_<TCA digits>. */
export function screeningCdmMessageId(c: Conjunction): string {
  const tca = formatUtcIso(c.tca, 3).replace(/[-:.Z]/g, '');
  return `HOSHIMI_${c.primary.catalogNumber}_${c.secondary.catalogNumber}_${tca}`;
}

/**
 * Builds the CDM of a screened conjunction. TEME → EME2000 at TCA needs the context's leap
 * seconds (TIME_OUT_OF_RANGE outside them) and its EOP when present.
 */
export function screeningConjunctionToCdm(input: ScreeningCdmInput, ctx: AstroContext): Cdm {
  const c = input.conjunction;
  const t = frameTransform('TEME', 'EME2000', frameEpochAt(instantOfUtcLabel(c.tca, ctx), ctx));
  const to = (o: ConjunctionObject) => {
    const r: Vec3 = [...o.rKm];
    const v: Vec3 = [...o.vKmS];
    applyFrameTransform(t, r, v, r, v);
    return { r, v };
  };
  const p = to(c.primary);
  const s = to(c.secondary);
  const m = localOrbitalMatrix('RTN', c.primary.rKm, c.primary.vKmS, zeroMat3());
  const dv: Vec3 = [
    c.secondary.vKmS[0] - c.primary.vKmS[0],
    c.secondary.vKmS[1] - c.primary.vKmS[1],
    c.secondary.vKmS[2] - c.primary.vKmS[2],
  ];
  const relV = mulMat3Vec3(m, dv, [0, 0, 0]);
  const cov = input.covariancesRtnKm2;
  const fmt = (d: UtcJulianDate) => formatUtcIso(d, CDM_TIME_DECIMALS);
  return conjunctionToCdm({
    messageId: screeningCdmMessageId(c),
    originator: input.originator,
    creationDate: fmt(input.creationDate),
    tca: fmt(c.tca),
    screenStart: fmt(input.screenStart),
    screenStop: fmt(input.screenStop),
    screenRadiusKm: input.screenRadiusKm,
    refFrame: 'EME2000',
    missKm: c.missKm,
    relativeSpeedKmS: c.relativeSpeedKmS,
    missRtnKm: [c.missRtnKm.radial, c.missRtnKm.inTrack, c.missRtnKm.crossTrack],
    relVelRtnKmS: relV,
    pc: input.pc,
    pcMethod: input.pcMethod,
    hbrKm: input.hbrKm,
    objects: [
      {
        catalogNumber: c.primary.catalogNumber,
        name: c.primary.name || undefined,
        intlDesignator: input.intlDesignators[0],
        rKm: p.r,
        vKmS: p.v,
        elementAgeDays: c.primary.elementAgeDays,
        ...(cov === undefined ? {} : { covarianceRtnKm2: cov[0] }),
      },
      {
        catalogNumber: c.secondary.catalogNumber,
        name: c.secondary.name || undefined,
        intlDesignator: input.intlDesignators[1],
        rKm: s.r,
        vKmS: s.v,
        elementAgeDays: c.secondary.elementAgeDays,
        ...(cov === undefined ? {} : { covarianceRtnKm2: cov[1] }),
      },
    ],
  });
}
