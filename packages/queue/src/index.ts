/** @hoshimi/queue: distributed Hoshimi screenings on a Redis queue (BullMQ). */

export { checkRedisReachable, checkRedisUrl, redactUrl } from './connection.js';
export { QueueError } from './errors.js';
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_UNIT_BLOCKS,
  type DistributedScreeningOptions,
  screenDistributed,
} from './screen-distributed.js';
export {
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_STALLED_INTERVAL_MS,
  type ScreeningWorkerHandle,
  type ScreeningWorkerOptions,
  startScreeningWorker,
} from './unit-worker.js';
export { QUEUE_PREFIX, SCREENING_QUEUE, screeningKeys, unitJobId } from './units.js';
