/**
 * Maneuver detections as `DetectionEvent` records (type 'maneuver'), with the detector's name and
 * version, the evidence numbers and the element-set epochs used.
 */
import { formatUtcIso } from '../elements/utc-calendar.js';
import type { DetectionEvent } from '../events/detection-event.js';
import {
  MANEUVER_DETECTOR_NAME,
  MANEUVER_DETECTOR_VERSION,
  type ManeuverResult,
} from './maneuver-detector.js';

export function maneuverEvents(result: ManeuverResult): DetectionEvent[] {
  return result.detections.map((d) => {
    const before = result.sets[d.beforeIndex];
    const after = result.sets[d.afterIndex];
    return {
      type: 'maneuver',
      objects: [d.catalogNumber],
      timeUtc: d.timeUtc,
      windowStartUtc: d.windowStartUtc,
      windowEndUtc: d.windowEndUtc,
      kind: d.kind,
      score: d.score,
      threshold: d.threshold,
      detector: MANEUVER_DETECTOR_NAME,
      detectorVersion: MANEUVER_DETECTOR_VERSION,
      evidence: {
        regime: result.regime,
        dvMS: d.dvMS,
        dvRtnMS: d.dvRtnMS,
        falseAlarmProbability: result.falseAlarmProbability,
        ...d.evidence,
      },
      inputs: {
        beforeEpochUtc: before ? formatUtcIso(before.epoch, 6) : null,
        afterEpochUtc: after ? formatUtcIso(after.epoch, 6) : null,
        setsInHistory: result.sets.length,
        outliersRemoved: result.outliers.length,
      },
    };
  });
}
