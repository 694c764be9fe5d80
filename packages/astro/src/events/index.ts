/** Event records shared by every detector. */
export {
  checkDetectionEvent,
  DETECTION_EVENT_TYPES,
  type DetectionEvent,
  type DetectionEventCheck,
  type DetectionEventIssue,
  type DetectionEventType,
  detectionEventKey,
  isDetectionEventType,
  jsonEvidence,
} from './detection-event.js';
