/**
 * An RDM (CCSDS 508.1-B-1) from a reentry prediction: the mandatory keywords, the short-term
 * keywords (NOMINAL_REENTRY_EPOCH and the window, which take precedence over ORBIT_LIFETIME), the
 * nominal impact point with the along-track extent of the window (IMPACT_1: the window's ground
 * track ends, its confidence and the Annex G cross-track 1σ), the GCRF state at the last element
 * epoch, the ballistic coefficient (as m/(C_D·A), kg/m², the RDM's BALLISTIC_COEFF) and the models.
 */
import type { AstroContext } from '../context/astro-context.js';
import type { ElementSet } from '../elements/element-set.js';
import { ElementSetOrbit } from '../reentry/element-state.js';
import type { ReentryPrediction } from '../reentry/reentry-predict.js';
import type { Instant } from '../time/instant.js';
import { formatTime } from '../time/time-format.js';
import type { Rdm } from './rdm.js';

/** Options of `rdmFromReentryPrediction`. */
export interface RdmFromReentryOptions {
  readonly originator: string;
  readonly messageId: string;
  readonly creationDate: Instant;
  /** The last element set (for the state vector at its epoch). */
  readonly lastElementSet?: ElementSet;
  readonly gravityModel?: string;
  readonly previousMessageId?: string;
  readonly objectType?: string;
}

/** Builds the RDM of a prediction (times in UTC). */
export function rdmFromReentryPrediction(
  p: ReentryPrediction,
  context: AstroContext,
  options: RdmFromReentryOptions,
): Rdm {
  const t = (x: Instant): string => formatTime(x, context, { style: 'iso', decimals: 3, zulu: false });
  const wrap = (rad: number): number => Math.atan2(Math.sin(rad), Math.cos(rad));
  const tr = p.groundTrack;
  const n = tr.latRad.length;
  const state =
    options.lastElementSet === undefined
      ? undefined
      : new ElementSetOrbit(options.lastElementSet, context).stateAt(0);
  const warnings = p.warnings.map((w) => `${w.code}: ${w.message}`);
  return {
    blocks: {
      header: {
        comments: [],
        values: {
          CCSDS_RDM_VERS: '1.0',
          CREATION_DATE: t(options.creationDate),
          ORIGINATOR: options.originator,
          MESSAGE_ID: options.messageId,
        },
      },
      metadata: {
        comments: [],
        values: {
          OBJECT_NAME: p.objectName ?? `OBJECT ${p.catalogNumber}`,
          INTERNATIONAL_DESIGNATOR: p.intlDesignator ?? 'UNKNOWN',
          CATALOG_NAME: 'SATCAT',
          OBJECT_DESIGNATOR: p.catalogNumber,
          ...(options.objectType === undefined ? {} : { OBJECT_TYPE: options.objectType }),
          CONTROLLED_REENTRY: 'NO',
          CENTER_NAME: 'EARTH',
          TIME_SYSTEM: 'UTC',
          EPOCH_TZERO: t(p.elementEpoch),
          REF_FRAME: 'GCRF',
          GRAVITY_MODEL: options.gravityModel ?? 'J2',
          ATMOSPHERIC_MODEL: 'NRLMSISE-00',
          SOLAR_FLUX_PREDICTION: p.forecastSpaceWeather ? 'PREDICTED' : 'MEASURED',
          N_BODY_PERTURBATIONS: 'SUN, MOON',
          SOLAR_RAD_PRESSURE: 'NO',
          EARTH_TIDES: 'NO',
          INTRACK_THRUST: 'NO',
          DRAG_PARAMETERS_SOURCE:
            p.ballistic.method === 'pairs' ? 'ESTIMATED' : 'ESTIMATED FROM MEAN MOTION DERIVATIVE',
          REENTRY_UNCERTAINTY_METHOD: `${Math.round(p.windowFraction * 100)}% OF REMAINING TIME`,
          ...(options.previousMessageId === undefined
            ? {}
            : { PREVIOUS_MESSAGE_ID: options.previousMessageId }),
        },
      },
      atmosphericReentryParameters: {
        comments: warnings,
        values: {
          ORBIT_LIFETIME: p.remainingS,
          REENTRY_ALTITUDE: p.reentryAltitudeKm,
          ORBIT_LIFETIME_WINDOW_START: p.remainingS * (1 - p.windowFraction),
          ORBIT_LIFETIME_WINDOW_END: p.remainingS * (1 + p.windowFraction),
          NOMINAL_REENTRY_EPOCH: t(p.reentryEpoch),
          REENTRY_WINDOW_START: t(p.windowStart),
          REENTRY_WINDOW_END: t(p.windowEnd),
        },
      },
      groundImpactParameters: {
        comments: ['Sub-point at the nominal reentry epoch; IMPACT_1 spans the ground track over the window'],
        values: {
          IMPACT_REF_FRAME: 'EFG',
          NOMINAL_IMPACT_LON: wrap(p.impactLonRad),
          NOMINAL_IMPACT_LAT: p.impactLatRad,
          NOMINAL_IMPACT_ALT: p.reentryAltitudeKm,
          IMPACT_1_START_LON: wrap(tr.lonRad[0]!),
          IMPACT_1_START_LAT: tr.latRad[0]!,
          IMPACT_1_STOP_LON: wrap(tr.lonRad[n - 1]!),
          IMPACT_1_STOP_LAT: tr.latRad[n - 1]!,
          IMPACT_1_CROSS_TRACK: p.crossTrackSigmaKm,
        },
      },
      ...(state === undefined
        ? {}
        : {
            stateVector: {
              comments: ['SGP4 state of the last element set at its epoch, in GCRF'],
              values: {
                EPOCH: t(p.elementEpoch),
                X: state.rKm[0],
                Y: state.rKm[1],
                Z: state.rKm[2],
                X_DOT: state.vKmS[0],
                Y_DOT: state.vKmS[1],
                Z_DOT: state.vKmS[2],
              },
            },
          }),
      spacecraftParameters: {
        comments: ['BALLISTIC_COEFF is m/(CD*A), the inverse of the fitted CD*A/m'],
        values: { BALLISTIC_COEFF: 1 / p.ballistic.bM2Kg },
      },
    },
  };
}
