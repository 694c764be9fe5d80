/**
 * Puts the job runner and the watch-list scheduler on the server: `app.jobs` (the JobRunner),
 * `app.watch` (the scheduler), `app.clock`, and their routes. On start, jobs a dead server left
 * queued or running are marked failed (SERVER_RESTARTED); on close, the scheduler stops and the
 * runner cancels what it holds before the store is released by its owner.
 */
import type { HbrTable } from '@hoshimi/astro/conjunction';
import type { JobQueue } from '@hoshimi/queue';
import type { FastifyInstance } from 'fastify';
import { serverJobObserver } from '../ops/metrics.js';
import { jobRoutes } from '../routes/jobs.js';
import { watchRoutes } from '../routes/watch.js';
import { WatchScheduler } from '../watch/scheduler.js';
import type { WebhookOptions } from '../watch/webhook.js';
import { jobExecutors } from './executors.js';
import { InProcessJobRunner } from './in-process-runner.js';
import type { JobRunner } from './job-types.js';
import { QueueJobRunner } from './queue-runner.js';

export interface JobServiceOptions {
  /** Jobs run at once (default 1). */
  readonly concurrency?: number;
  /** Worker threads of a screening job that does not say (default 1). */
  readonly screeningWorkers?: number;
  /** Redis URL: screening jobs run on `hoshimi worker` processes through this queue (default in-process). */
  readonly screeningQueue?: string;
  /** Hard-body radii for screening Pc (CARA's table parsed by astro parseHbrTable); default radius without. */
  readonly hbrTable?: HbrTable;
  /** Folders an import job may read files from by path (default none: uploads only). */
  readonly importRoots?: readonly string[];
  /** The clock of jobs, schedules and alerts (default the system clock; tests drive it). */
  readonly now?: () => Date;
  /** Run the watch-list schedules on a timer (default true; tests call `app.watch.tick()`). */
  readonly schedule?: boolean;
  /** Timer period of the scheduler, ms (default 60 s). */
  readonly scheduleTickMs?: number;
  readonly webhook?: WebhookOptions;
  /**
   * The Redis job queue (@hoshimi/queue JobQueue.open): jobs go on it and every instance sharing
   * it takes them; without it they run in this process. The runner closes the queue on close.
   */
  readonly queue?: JobQueue;
  /** With a queue: take jobs here too (default true; false: this instance only submits and watches). */
  readonly takeJobs?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The job runner (in-process, or on the Redis queue). */
    readonly jobs: JobRunner;
    /** The watch-list scheduler. */
    readonly watch: WatchScheduler;
    /** The server's clock. */
    readonly clock: () => Date;
  }
}

/** Decorates the (root) app and registers the jobs and watch routes. */
export async function registerJobs(app: FastifyInstance, options: JobServiceOptions = {}): Promise<void> {
  const now = options.now ?? (() => new Date());
  const executors = jobExecutors({
    ...(options.importRoots === undefined ? {} : { importRoots: options.importRoots }),
    ...(options.screeningWorkers === undefined ? {} : { screeningWorkers: options.screeningWorkers }),
    ...(options.screeningQueue === undefined ? {} : { screeningQueue: options.screeningQueue }),
    ...(options.hbrTable === undefined ? {} : { hbrTable: options.hbrTable }),
  });
  const runner =
    options.queue === undefined
      ? new InProcessJobRunner({
          store: app.store,
          executors,
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          now,
          // Job log lines and metrics (ops/metrics.ts).
          observer: serverJobObserver(app),
        })
      : new QueueJobRunner({
          store: app.store,
          queue: options.queue,
          executors,
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          ...(options.takeJobs === undefined ? {} : { takeJobs: options.takeJobs }),
          now,
          observer: serverJobObserver(app),
        });
  // Readiness: a server whose queue does not answer can neither take nor hand out jobs.
  const queue = options.queue;
  if (queue !== undefined) app.readiness.add('queue', () => queue.ping());
  const marked = await runner.recover();
  if (marked.length > 0)
    app.log.warn(`${marked.length} jobs left by a stopped server marked failed (SERVER_RESTARTED)`);
  const scheduler = new WatchScheduler({
    store: app.store,
    runner,
    now,
    ...(options.scheduleTickMs === undefined ? {} : { tickMs: options.scheduleTickMs }),
    ...(options.webhook === undefined ? {} : { webhook: options.webhook }),
    log: (m) => app.log.warn(m),
  });
  app.decorate('jobs', runner as JobRunner);
  app.decorate('watch', scheduler);
  app.decorate('clock', now);
  app.addHook('onReady', async () => {
    if (options.schedule ?? true) scheduler.start();
  });
  app.addHook('onClose', async () => {
    await runner.close();
    await scheduler.stop();
  });
  await app.register(jobRoutes);
  await app.register(watchRoutes);
}
