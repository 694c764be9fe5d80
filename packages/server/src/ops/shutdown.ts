/**
 * Graceful shutdown of a server, the part before its listeners close: readiness turns 503 and the
 * job routes refuse new jobs (503 SERVER_STOPPING) at once; the watch-list schedules stop; running
 * jobs get `graceMs` to finish, then are cancelled (state 'cancelled', code SERVER_STOPPED). The
 * API keeps answering meanwhile, so clients can follow their jobs to the end and a load balancer
 * sees /ready fail before the port goes away. The caller then closes the listeners and the store.
 */
import type { FastifyInstance } from 'fastify';

export interface DrainOptions {
  /** How long running jobs may go on, ms. */
  readonly graceMs: number;
}

export async function drainServer(app: FastifyInstance, options: DrainOptions): Promise<void> {
  app.readiness.beginShutdown();
  const counts = app.jobs.counts === undefined ? undefined : await app.jobs.counts();
  app.log.info(
    {
      graceMs: options.graceMs,
      ...(counts === undefined ? {} : { jobsRunning: counts.running, jobsQueued: counts.queued }),
    },
    'shutdown: not ready, no new jobs; waiting for running jobs',
  );
  const t0 = performance.now();
  // The scheduler waits for the alerts of the jobs it follows: it ends when the runner's jobs end.
  await Promise.all([app.watch.stop(), app.jobs.close({ graceMs: options.graceMs })]);
  app.log.info({ waitedMs: Math.round(performance.now() - t0) }, 'shutdown: jobs stopped');
}
