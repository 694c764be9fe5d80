/**
 * An RDM (CCSDS 508.1-B-1) from a reentry prediction: the mandatory keywords, the short-term
 * keywords (NOMINAL_REENTRY_EPOCH and the window, which take precedence over ORBIT_LIFETIME), the
 * nominal impact point with the along-track extent of the window (IMPACT_1: the window's ground
 * track ends, its confidence and the Annex G cross-track 1σ), the GCRF state at the last element
 * epoch, the ballistic coefficient (as m/(C_D·A), kg/m², the RDM's BALLISTIC_COEFF) and the models.
 */
import type { AstroContext } from '../context/astro-context.js';
import type { ElementSet } from '../elements/element-set.js';
import { formatUtcIso, parseUtcString } from '../elements/utc-calendar.js';
import { AstroError } from '../errors.js';
import type { DetectionEvent } from '../events/detection-event.js';
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

/** Options of `rdmFromReentryEvent`: as for a prediction, the creation date as ISO UTC text. */
export interface RdmFromReentryEventOptions {
  readonly originator: string;
  readonly messageId: string;
  /** ISO UTC, e.g. '2026-12-07T03:00:00Z'. */
  readonly creationDateUtc: string;
  readonly gravityModel?: string;
  readonly previousMessageId?: string;
  readonly objectType?: string;
}

/** The header and model choices common to both builders; the creation date as RDM text. */
type RdmHeaderOptions = Omit<RdmFromReentryEventOptions, 'creationDateUtc'> & {
  readonly creationDate: string;
};

/**
 * What an RDM says about a reentry, from a fresh prediction or from its stored event: times as RDM
 * text (UTC, 'YYYY-MM-DDThh:mm:ss.sss'), angles in radians.
 */
interface ReentryRdmContent {
  readonly catalogNumber: string;
  readonly objectName: string | undefined;
  readonly intlDesignator: string | undefined;
  readonly elementEpoch: string;
  readonly reentryEpoch: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly remainingS: number;
  readonly windowFraction: number;
  readonly reentryAltitudeKm: number;
  readonly forecastSpaceWeather: boolean;
  readonly ballisticMethod: string;
  readonly bM2Kg: number;
  readonly impactLatRad: number;
  readonly impactLonRad: number;
  /** Ground-track ends over the window. */
  readonly trackStartLatRad: number;
  readonly trackStartLonRad: number;
  readonly trackStopLatRad: number;
  readonly trackStopLonRad: number;
  readonly crossTrackSigmaKm: number;
  readonly warnings: readonly string[];
}

/** Builds the RDM of a prediction (times in UTC). */
export function rdmFromReentryPrediction(
  p: ReentryPrediction,
  context: AstroContext,
  options: RdmFromReentryOptions,
): Rdm {
  const t = (x: Instant): string => formatTime(x, context, { style: 'iso', decimals: 3, zulu: false });
  const tr = p.groundTrack;
  const n = tr.latRad.length;
  const state =
    options.lastElementSet === undefined
      ? undefined
      : new ElementSetOrbit(options.lastElementSet, context).stateAt(0);
  const rdm = rdmFromContent(
    {
      catalogNumber: p.catalogNumber,
      objectName: p.objectName,
      intlDesignator: p.intlDesignator,
      elementEpoch: t(p.elementEpoch),
      reentryEpoch: t(p.reentryEpoch),
      windowStart: t(p.windowStart),
      windowEnd: t(p.windowEnd),
      remainingS: p.remainingS,
      windowFraction: p.windowFraction,
      reentryAltitudeKm: p.reentryAltitudeKm,
      forecastSpaceWeather: p.forecastSpaceWeather,
      ballisticMethod: p.ballistic.method,
      bM2Kg: p.ballistic.bM2Kg,
      impactLatRad: p.impactLatRad,
      impactLonRad: p.impactLonRad,
      trackStartLatRad: tr.latRad[0]!,
      trackStartLonRad: tr.lonRad[0]!,
      trackStopLatRad: tr.latRad[n - 1]!,
      trackStopLonRad: tr.lonRad[n - 1]!,
      crossTrackSigmaKm: p.crossTrackSigmaKm,
      warnings: p.warnings.map((w) => `${w.code}: ${w.message}`),
    },
    { ...options, creationDate: t(options.creationDate) },
  );
  if (state === undefined) return rdm;
  return {
    blocks: {
      ...rdm.blocks,
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
    },
  };
}

/**
 * Builds the RDM of a stored reentry event (`reentryDetectionEvent`, detector version 2 or later:
 * the evidence carries the ground track over the window). The state vector block is left out: the
 * event does not keep the element set. Refuses an event of another type or whose evidence lacks a
 * value the RDM needs (EVENT_TYPE, EVIDENCE_MISSING), naming the value.
 */
export function rdmFromReentryEvent(event: DetectionEvent, options: RdmFromReentryEventOptions): Rdm {
  if (event.type !== 'reentry') {
    throw new AstroError('EVENT_TYPE', `an RDM is written for a reentry event, not a ${event.type} event`);
  }
  const ev = event.evidence;
  const rad = Math.PI / 180;
  const num = (key: string): number => {
    const v = ev[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new AstroError(
        'EVIDENCE_MISSING',
        `the reentry event lacks evidence.${key} (recorded by detector version ${event.detectorVersion}); predict again to write its RDM`,
        { key },
      );
    }
    return v;
  };
  const str = (key: string): string | undefined => {
    const v = ev[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const track = ev['ground_track'] as { lat_deg?: unknown; lon_deg?: unknown } | undefined;
  const lat = Array.isArray(track?.lat_deg) ? (track.lat_deg as unknown[]) : [];
  const lon = Array.isArray(track?.lon_deg) ? (track.lon_deg as unknown[]) : [];
  const end = (a: unknown[], k: number, key: string): number => {
    const v = a[k];
    if (typeof v !== 'number') {
      throw new AstroError(
        'EVIDENCE_MISSING',
        `the reentry event lacks evidence.ground_track.${key} (recorded by detector version ${event.detectorVersion}); predict again to write its RDM`,
        { key: `ground_track.${key}` },
      );
    }
    return v * rad;
  };
  const inputEpoch = event.inputs['element_epoch_utc'];
  if (typeof inputEpoch !== 'string') {
    throw new AstroError('EVIDENCE_MISSING', 'the reentry event lacks inputs.element_epoch_utc', {
      key: 'inputs.element_epoch_utc',
    });
  }
  const warnings = Array.isArray(ev['warnings']) ? ev['warnings'].map(String) : [];
  return rdmFromContent(
    {
      catalogNumber: event.objects[0] ?? '',
      objectName: str('object_name'),
      intlDesignator: str('intl_designator'),
      elementEpoch: rdmTimeOfIso(inputEpoch),
      reentryEpoch: rdmTimeOfIso(event.timeUtc),
      windowStart: rdmTimeOfIso(event.windowStartUtc),
      windowEnd: rdmTimeOfIso(event.windowEndUtc),
      remainingS: num('remaining_days') * 86400,
      windowFraction: num('window_fraction'),
      reentryAltitudeKm: num('reentry_altitude_km'),
      forecastSpaceWeather: event.kind === 'predicted-forecast-space-weather',
      ballisticMethod: str('ballistic_method') ?? 'unknown',
      bM2Kg: num('ballistic_coefficient_m2_kg'),
      impactLatRad: num('impact_lat_deg') * rad,
      impactLonRad: num('impact_lon_deg') * rad,
      trackStartLatRad: end(lat, 0, 'lat_deg'),
      trackStartLonRad: end(lon, 0, 'lon_deg'),
      trackStopLatRad: end(lat, lat.length - 1, 'lat_deg'),
      trackStopLonRad: end(lon, lon.length - 1, 'lon_deg'),
      crossTrackSigmaKm: num('cross_track_sigma_km'),
      warnings,
    },
    { ...options, creationDate: rdmTimeOfIso(options.creationDateUtc) },
  );
}

/** An ISO UTC time of an event ('…Z', up to microseconds) as RDM text, rounded to the millisecond. */
function rdmTimeOfIso(iso: string): string {
  const jd = parseUtcString(iso);
  if (jd === undefined) throw new AstroError('TIME_FORMAT', `not an ISO UTC time: ${iso}`, { value: iso });
  return formatUtcIso(jd, 3);
}

function rdmFromContent(c: ReentryRdmContent, options: RdmHeaderOptions): Rdm {
  const wrap = (rad: number): number => Math.atan2(Math.sin(rad), Math.cos(rad));
  return {
    blocks: {
      header: {
        comments: [],
        values: {
          CCSDS_RDM_VERS: '1.0',
          CREATION_DATE: options.creationDate,
          ORIGINATOR: options.originator,
          MESSAGE_ID: options.messageId,
        },
      },
      metadata: {
        comments: [],
        values: {
          OBJECT_NAME: c.objectName ?? `OBJECT ${c.catalogNumber}`,
          INTERNATIONAL_DESIGNATOR: c.intlDesignator ?? 'UNKNOWN',
          CATALOG_NAME: 'SATCAT',
          OBJECT_DESIGNATOR: c.catalogNumber,
          ...(options.objectType === undefined ? {} : { OBJECT_TYPE: options.objectType }),
          CONTROLLED_REENTRY: 'NO',
          CENTER_NAME: 'EARTH',
          TIME_SYSTEM: 'UTC',
          EPOCH_TZERO: c.elementEpoch,
          REF_FRAME: 'GCRF',
          GRAVITY_MODEL: options.gravityModel ?? 'J2',
          ATMOSPHERIC_MODEL: 'NRLMSISE-00',
          SOLAR_FLUX_PREDICTION: c.forecastSpaceWeather ? 'PREDICTED' : 'MEASURED',
          N_BODY_PERTURBATIONS: 'SUN, MOON',
          SOLAR_RAD_PRESSURE: 'NO',
          EARTH_TIDES: 'NO',
          INTRACK_THRUST: 'NO',
          DRAG_PARAMETERS_SOURCE:
            c.ballisticMethod === 'pairs' ? 'ESTIMATED' : 'ESTIMATED FROM MEAN MOTION DERIVATIVE',
          REENTRY_UNCERTAINTY_METHOD: `${Math.round(c.windowFraction * 100)}% OF REMAINING TIME`,
          ...(options.previousMessageId === undefined
            ? {}
            : { PREVIOUS_MESSAGE_ID: options.previousMessageId }),
        },
      },
      atmosphericReentryParameters: {
        comments: [...c.warnings],
        values: {
          ORBIT_LIFETIME: c.remainingS,
          REENTRY_ALTITUDE: c.reentryAltitudeKm,
          ORBIT_LIFETIME_WINDOW_START: c.remainingS * (1 - c.windowFraction),
          ORBIT_LIFETIME_WINDOW_END: c.remainingS * (1 + c.windowFraction),
          NOMINAL_REENTRY_EPOCH: c.reentryEpoch,
          REENTRY_WINDOW_START: c.windowStart,
          REENTRY_WINDOW_END: c.windowEnd,
        },
      },
      groundImpactParameters: {
        comments: ['Sub-point at the nominal reentry epoch; IMPACT_1 spans the ground track over the window'],
        values: {
          IMPACT_REF_FRAME: 'EFG',
          NOMINAL_IMPACT_LON: wrap(c.impactLonRad),
          NOMINAL_IMPACT_LAT: c.impactLatRad,
          NOMINAL_IMPACT_ALT: c.reentryAltitudeKm,
          IMPACT_1_START_LON: wrap(c.trackStartLonRad),
          IMPACT_1_START_LAT: c.trackStartLatRad,
          IMPACT_1_STOP_LON: wrap(c.trackStopLonRad),
          IMPACT_1_STOP_LAT: c.trackStopLatRad,
          IMPACT_1_CROSS_TRACK: c.crossTrackSigmaKm,
        },
      },
      spacecraftParameters: {
        comments: ['BALLISTIC_COEFF is m/(CD*A), the inverse of the fitted CD*A/m'],
        values: { BALLISTIC_COEFF: 1 / c.bM2Kg },
      },
    },
  };
}
