/** Event records shared by every detector. */
export {
  type DetectionEvent,
  type DetectionEventType,
  detectionEventKey,
} from './detection-event.js';
