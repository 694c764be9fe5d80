/**
 * A reentry prediction as a DetectionEvent (type 'reentry'), for the store's event log: time = the
 * nominal reentry epoch, window = the reentry window, score = the remaining time in days with the
 * window fraction as threshold-free context; evidence holds what a reader can check.
 */
import type { AstroContext } from '../context/astro-context.js';
import { formatUtcIso } from '../elements/utc-calendar.js';
import { type DetectionEvent, jsonEvidence } from '../events/detection-event.js';
import { utcLabelOfInstant } from '../sgp4/epoch-time.js';
import type { Instant } from '../time/instant.js';
import type { ReentryPrediction } from './reentry-predict.js';

export const REENTRY_DETECTOR = 'hoshimi-reentry';
export const REENTRY_DETECTOR_VERSION = '1';

/** The DetectionEvent of a prediction; `inputs` names the element source. */
export function reentryDetectionEvent(
  p: ReentryPrediction,
  context: AstroContext,
  inputs: Readonly<Record<string, unknown>> = {},
): DetectionEvent {
  const iso = (t: Instant): string => `${formatUtcIso(utcLabelOfInstant(t, context))}Z`;
  const deg = 180 / Math.PI;
  return {
    type: 'reentry',
    objects: [p.catalogNumber],
    timeUtc: iso(p.reentryEpoch),
    windowStartUtc: iso(p.windowStart),
    windowEndUtc: iso(p.windowEnd),
    kind: p.forecastSpaceWeather ? 'predicted-forecast-space-weather' : 'predicted',
    score: p.remainingS / 86400,
    threshold: 0,
    detector: REENTRY_DETECTOR,
    detectorVersion: REENTRY_DETECTOR_VERSION,
    evidence: jsonEvidence({
      remaining_days: p.remainingS / 86400,
      window_fraction: p.windowFraction,
      reentry_altitude_km: p.reentryAltitudeKm,
      ballistic_coefficient_m2_kg: p.ballistic.bM2Kg,
      ballistic_method: p.ballistic.method,
      impact_lat_deg: p.impactLatRad * deg,
      impact_lon_deg: p.impactLonRad * deg,
      along_track_sigma_km: p.alongTrackSigmaKm,
      cross_track_sigma_km: p.crossTrackSigmaKm,
      warnings: p.warnings.map((w) => w.code),
    }),
    inputs: { element_epoch_utc: iso(p.elementEpoch), ...inputs },
  };
}
