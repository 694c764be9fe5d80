/** @hoshimi/queue: distributed Hoshimi work on a Redis queue (BullMQ): server jobs and screening units. */

export { checkRedisReachable, checkRedisUrl, redactUrl } from './connection.js';
export { QueueError } from './errors.js';
export {
  CANCEL_TTL_S,
  DEFAULT_LOCK_MS,
  JOB_QUEUE_NAME,
  JobCancelRequest,
  JobHandBack,
  JobQueue,
  type JobQueueEvent,
  type JobQueueOptions,
  PAYLOAD_TTL_S,
  PROGRESS_SEND_MS,
  type QueuedJob,
  type QueuedProgress,
  type QueuedState,
  type TakenJob,
} from './job-queue.js';
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_UNIT_BLOCKS,
  type DistributedScreeningOptions,
  type DistributedStreamOptions,
  type DistributedStreamSummary,
  screenDistributed,
  screenDistributedStream,
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
