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
/** Version 2: the evidence also carries the object's name and designator and the ground track. */
export const REENTRY_DETECTOR_VERSION = '2';
/** Most ground-track samples kept in the evidence (both ends always kept). */
const EVIDENCE_TRACK_SAMPLES = 241;

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
      object_name: p.objectName ?? null,
      intl_designator: p.intlDesignator ?? null,
      ground_track: evidenceTrack(p),
    }),
    inputs: { element_epoch_utc: iso(p.elementEpoch), ...inputs },
  };
}

/** The window's ground track thinned to at most EVIDENCE_TRACK_SAMPLES (degrees, 4 decimals ≈ 11 m). */
function evidenceTrack(p: ReentryPrediction): Record<string, number[]> {
  const tr = p.groundTrack;
  const n = tr.latRad.length;
  const m = Math.min(n, EVIDENCE_TRACK_SAMPLES);
  const deg = 180 / Math.PI;
  const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  const out = { t_from_nominal_s: [] as number[], lat_deg: [] as number[], lon_deg: [] as number[] };
  for (let j = 0; j < m; j++) {
    const k = m === 1 ? 0 : Math.round((j * (n - 1)) / (m - 1));
    out.t_from_nominal_s.push(round(tr.tFromNominalS[k]!, 1));
    out.lat_deg.push(round(tr.latRad[k]! * deg, 4));
    out.lon_deg.push(round(tr.lonRad[k]! * deg, 4));
  }
  return out;
}
