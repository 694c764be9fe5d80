/** Distributed jobs on Redis (BullMQ). */
export const QUEUE_PREFIX = 'hoshimi';
