/**
 * Prometheus metrics of one server (prom-client, on a registry of its own: several servers in one
 * process — tests — never share series):
 *
 * - `hoshimi_http_request_duration_seconds` histogram by `method`, `route` (the route template,
 *   e.g. `/objects/:catalogNumber`; 'unmatched' for a 404 without a route, so client-chosen URLs
 *   never become series) and `status_class` (2xx … 5xx);
 * - `hoshimi_jobs_total` counter by `kind` and final `state` (succeeded, failed, cancelled);
 * - `hoshimi_job_duration_seconds` histogram by `kind`: run time of the jobs that started;
 * - `hoshimi_jobs_queued`, `hoshimi_jobs_running` gauges, read from the runner's `counts()` at each
 *   scrape (job-types.ts: a queue-backed runner reports the shared queue's depth);
 * - prom-client's default process metrics (CPU, memory, event-loop lag, GC, handles).
 *
 * Labels are bounded sets fixed by the code (method, route template, status class, job kind and
 * state): no catalog numbers, user names, ids or free text, so the metrics carry no marked data.
 * They are exposed by ops/metrics-listener.ts on a listener of their own.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobObserver, JobRecord } from '../jobs/job-types.js';

/** Request latency buckets, seconds: a cached read is ~1 ms, an ephemerides export seconds. */
export const HTTP_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Job run time buckets, seconds: an upload import takes seconds, a full-catalog screening an hour. */
export const JOB_BUCKETS_S = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's metrics (ops/metrics.ts). */
    readonly metrics: ServerMetrics;
  }
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly jobsTotal: Counter<'kind' | 'state'>;
  readonly jobDuration: Histogram<'kind'>;

  /** `counts` is read at each scrape (undefined: no runner yet, or one that cannot count). */
  constructor(counts: () => Promise<{ queued: number; running: number }> | undefined) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'hoshimi_http_request_duration_seconds',
      help: 'Time from request to response of the HTTP API, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: HTTP_BUCKETS_S,
      registers,
    });
    this.jobsTotal = new Counter({
      name: 'hoshimi_jobs_total',
      help: 'Jobs that reached a final state, by kind and state (succeeded, failed, cancelled)',
      labelNames: ['kind', 'state'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'hoshimi_job_duration_seconds',
      help: 'Run time of jobs from start to final state, by kind',
      labelNames: ['kind'],
      buckets: JOB_BUCKETS_S,
      registers,
    });
    const read = async (): Promise<{ queued: number; running: number } | undefined> => {
      try {
        return await counts();
      } catch {
        return undefined; // a runner that cannot count now: the gauge keeps its last value
      }
    };
    new Gauge({
      name: 'hoshimi_jobs_queued',
      help: 'Jobs submitted and not started (the queue depth)',
      registers,
      async collect() {
        const c = await read();
        if (c !== undefined) this.set(c.queued);
      },
    });
    new Gauge({
      name: 'hoshimi_jobs_running',
      help: 'Jobs running now',
      registers,
      async collect() {
        const c = await read();
        if (c !== undefined) this.set(c.running);
      },
    });
  }

  /** Records one finished HTTP request. */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.httpDuration.observe(
      {
        method: METHODS.has(method) ? method : 'OTHER',
        route: route ?? 'unmatched',
        status_class: `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`,
      },
      seconds,
    );
  }

  /** Records one job's final state and run time. */
  observeJob(job: JobRecord, runSeconds: number | null): void {
    this.jobsTotal.inc({ kind: job.kind, state: job.state });
    if (runSeconds !== null) this.jobDuration.observe({ kind: job.kind }, runSeconds);
  }

  /** The metrics in Prometheus text format, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** Decorates the app with its metrics and times every request (register before the routes). */
export function registerMetrics(app: FastifyInstance): void {
  const metrics = new ServerMetrics(() =>
    app.hasDecorator('jobs') && app.jobs.counts !== undefined ? app.jobs.counts() : undefined,
  );
  app.decorate('metrics', metrics);
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/** The job observer of the server: a log line per lifecycle step, and the job metrics. */
export function serverJobObserver(app: FastifyInstance): JobObserver {
  const fields = (job: JobRecord) => ({ jobId: job.id, kind: job.kind });
  return {
    queued: (job) => app.log.info(fields(job), 'job queued'),
    started: (job) => app.log.info(fields(job), 'job started'),
    finished: (job, runSeconds) => {
      app.metrics.observeJob(job, runSeconds);
      const line = {
        ...fields(job),
        state: job.state,
        durationMs: runSeconds === null ? null : Math.round(runSeconds * 1000),
        ...(job.error === null ? {} : { code: job.error.code }),
      };
      if (job.state === 'failed') app.log.warn(line, 'job failed');
      else app.log.info(line, `job ${job.state}`);
    },
  };
}
