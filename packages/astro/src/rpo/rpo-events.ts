/**
 * RPO findings as DetectionEvent records (events/detection-event.ts), so that the events store can
 * keep them: type 'attached' for attached pairs, 'co-location' for GEO co-locations, 'rendezvous'
 * for orbit synchronisation after a chaser maneuver, 'proximity' for the rest. Objects are
 * [target, chaser]; the window is the episode.
 */
import { formatUtcIso } from '../elements/utc-calendar.js';
import { type DetectionEvent, type DetectionEventType, jsonEvidence } from '../events/detection-event.js';
import { RPO_DETECTOR, RPO_DETECTOR_VERSION, type RpoFinding } from './rpo-search.js';

/**
 * The measured quantities of a finding with snake_case names and units in the names: shared by the
 * events' evidence and the JSON reports, so both say the same thing in the same words.
 */
export function rpoFindingMeasures(f: RpoFinding): Record<string, unknown> {
  return {
    min_range_km: f.minRangeKm,
    mean_range_km: f.meanRangeKm,
    relative_speed_at_min_km_s: f.relativeSpeedAtMinKmS,
    max_closing_speed_km_s: f.maxClosingSpeedKmS,
    rtn_km: f.rtnKm,
    persistence: f.persistence,
    passes: f.passes,
    synodic_period_days: Number.isFinite(f.synodicPeriodDays) ? f.synodicPeriodDays : null,
    delta_a_km: f.deltaAKm,
    plane_angle_deg: f.planeAngleDeg,
    ...(f.meanDeltaLongitudeDeg === undefined ? {} : { mean_delta_longitude_deg: f.meanDeltaLongitudeDeg }),
  };
}

/** The event type of a finding. */
export function rpoEventType(f: RpoFinding): DetectionEventType {
  if (f.labels.some((l) => l.kind === 'attached')) return 'attached';
  if (f.kind === 'orbit-synchronisation') return 'rendezvous';
  if (f.kind === 'co-location') return 'co-location';
  return 'proximity';
}

/** One DetectionEvent per finding; `inputs` names the window and the element-set epochs used. */
export function rpoDetectionEvents(
  findings: readonly RpoFinding[],
  window: { readonly startUtc: string; readonly days: number; readonly source?: string },
): DetectionEvent[] {
  return findings.map((f) => ({
    type: rpoEventType(f),
    objects: [f.target.catalogNumber, f.chaser.catalogNumber],
    timeUtc: f.minRangeUtc,
    windowStartUtc: formatUtcIso(f.start),
    windowEndUtc: formatUtcIso(f.end),
    kind: f.kind,
    score: f.score,
    threshold: f.threshold,
    detector: RPO_DETECTOR,
    detectorVersion: RPO_DETECTOR_VERSION,
    evidence: jsonEvidence({
      regime: f.regime,
      ...rpoFindingMeasures(f),
      labels: f.labels.map((l) => ({ kind: l.kind, reason: l.reason })),
      alarm: f.alarm,
      maneuvers: f.maneuvers.map((x) => ({ id: x.catalogNumber, time_utc: x.timeUtc })),
    }),
    inputs: {
      window_start_utc: window.startUtc,
      window_days: window.days,
      ...(window.source === undefined ? {} : { source: window.source }),
      element_epochs: {
        [f.target.catalogNumber]: f.epochsUsed.target,
        [f.chaser.catalogNumber]: f.epochsUsed.chaser,
      },
    },
  }));
}
