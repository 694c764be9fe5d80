/**
 * Maneuver detections as `DetectionEvent` records (type 'maneuver'), with the detector's name and
 * version, the evidence numbers and the element-set epochs used.
 */
import { formatUtcIso } from '../elements/utc-calendar.js';
import { type DetectionEvent, jsonEvidence } from '../events/detection-event.js';
import {
  MANEUVER_DETECTOR_NAME,
  MANEUVER_DETECTOR_VERSION,
  type ManeuverResult,
} from './maneuver-detector.js';

/** ISO UTC with the `Z` the event record requires. */
const z = (iso: string): string => (iso.endsWith('Z') ? iso : `${iso}Z`);

export function maneuverEvents(result: ManeuverResult): DetectionEvent[] {
  return result.detections.map((d) => {
    const before = result.sets[d.beforeIndex];
    const after = result.sets[d.afterIndex];
    return {
      type: 'maneuver',
      objects: [d.catalogNumber],
      timeUtc: z(d.timeUtc),
      windowStartUtc: z(d.windowStartUtc),
      windowEndUtc: z(d.windowEndUtc),
      kind: d.kind,
      score: d.score,
      threshold: d.threshold,
      detector: MANEUVER_DETECTOR_NAME,
      detectorVersion: MANEUVER_DETECTOR_VERSION,
      // Non-finite numbers (an SGP4 residual that could not be computed) become null.
      evidence: jsonEvidence({
        regime: result.regime,
        dvMS: d.dvMS,
        dvRtnMS: d.dvRtnMS,
        falseAlarmProbability: result.falseAlarmProbability,
        ...d.evidence,
      }),
      inputs: {
        beforeEpochUtc: before ? z(formatUtcIso(before.epoch, 6)) : null,
        afterEpochUtc: after ? z(formatUtcIso(after.epoch, 6)) : null,
        setsInHistory: result.sets.length,
        outliersRemoved: result.outliers.length,
      },
    };
  });
}
