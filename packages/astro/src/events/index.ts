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
} from './detection-event.js';
