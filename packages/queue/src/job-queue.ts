/**
 * The server's job queue on Redis (BullMQ): a job record's id goes on one queue that every server
 * instance configured with the same Redis takes from, so a job outlives the instance that accepted
 * it and several instances share the work. What a job is and does stays with the server (its
 * executors, its store); this module only moves ids, uploaded payloads, progress, cancellation
 * requests and end events between processes.
 *
 * - Taking: BullMQ's lock; a job whose instance dies is moved back to waiting by BullMQ's stalled
 *   check (after `lockDurationMs`) and taken again — at most `maxStalledCount` times, then it fails.
 * - Hand-back: an instance that stops takes its running jobs out of its hands with
 *   `job.moveToWait` (they are taken again by another instance, or by this one after a restart).
 * - Cancellation: a request is kept under a key (for a job not yet started) and published on a
 *   channel every instance listens to (for a running one); the instance running it aborts it.
 * - Payload: an upload is kept under its own key (binary) until the job ends or for PAYLOAD_TTL_S.
 */
import { Queue, QueueEvents, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRedisReachable, redactUrl, waitingClient } from './connection.js';
import { QUEUE_PREFIX } from './units.js';

/** BullMQ queue name of server jobs. */
export const JOB_QUEUE_NAME = 'hoshimi-jobs';

/** An uploaded payload is deleted after this long if its job never ends (7 days). */
export const PAYLOAD_TTL_S = 7 * 86_400;

/** Lock of a taken job (BullMQ's default), ms. */
export const DEFAULT_LOCK_MS = 30_000;

/** A cancellation request for a job not yet taken is kept this long (1 day). */
export const CANCEL_TTL_S = 86_400;

/** What goes on the queue per job (the job's record itself is in the store). */
export interface QueuedJob {
  readonly id: string;
  readonly kind: string;
  /** The submitter's reader (a plain JSON object), or null for the server's own work. */
  readonly reader: Readonly<Record<string, string>> | null;
  readonly hasPayload: boolean;
}

/** Progress as sent between instances. */
export interface QueuedProgress {
  readonly fraction: number | null;
  readonly message: string;
}

/** What one instance hears about a job another (or the same) instance runs. */
export type JobQueueEvent =
  | { readonly type: 'progress'; readonly id: string; readonly progress: QueuedProgress }
  | { readonly type: 'ended'; readonly id: string };

/** What the handler of a taken job gets. */
export interface TakenJob {
  readonly data: QueuedJob;
  readonly payload: Uint8Array | undefined;
  /** Aborted with a JobCancelRequest when someone cancels the job, or a JobHandBack on `close`. */
  readonly signal: AbortSignal;
  /** How many times the job was taken before (0 the first time). */
  readonly retakes: number;
  progress(p: QueuedProgress): void;
}

/** The abort reason of a cancelled job. */
export class JobCancelRequest extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'JobCancelRequest';
    this.code = code;
  }
}

/** The abort reason of a job handed back to the queue by a stopping instance. */
export class JobHandBack extends Error {
  constructor() {
    super('handed back to the queue: this instance is stopping');
    this.name = 'JobHandBack';
  }
}

export interface JobQueueOptions {
  /** Key prefix (default 'hoshimi'): several deployments can share one Redis. */
  readonly prefix?: string;
  /** Lock of a taken job, ms (default 30 s): an instance silent this long has lost it. */
  readonly lockDurationMs?: number;
  /** Times a job may be found stalled (its instance died) before it fails (default 2). */
  readonly maxStalledCount?: number;
}

/** Where a job is on the queue. */
export type QueuedState = 'waiting' | 'active' | 'gone';

export class JobQueue {
  readonly url: string;
  readonly #prefix: string;
  readonly #options: JobQueueOptions;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #eventsClient: Redis;
  readonly #listeners = new Set<(e: JobQueueEvent) => void>();
  /** Jobs this instance runs now: their abort controllers and the ends of their handlers. */
  readonly #running = new Map<string, AbortController>();
  readonly #handlers = new Set<Promise<unknown>>();
  #worker: Worker | undefined;
  #closed = false;

  private constructor(url: string, options: JobQueueOptions) {
    this.url = url;
    this.#options = options;
    this.#prefix = options.prefix ?? QUEUE_PREFIX;
    // Commands wait through a Redis restart (and reconnect) rather than fail a job's bookkeeping.
    this.#redis = waitingClient(url);
    this.#subscriber = waitingClient(url);
    this.#eventsClient = waitingClient(url);
    this.#queue = new Queue(JOB_QUEUE_NAME, { connection: this.#redis, prefix: this.#prefix });
    this.#events = new QueueEvents(JOB_QUEUE_NAME, { connection: this.#eventsClient, prefix: this.#prefix });
    this.#events.on('progress', ({ jobId, data }) => {
      const p = data as Partial<QueuedProgress>;
      if (typeof p !== 'object' || p === null || typeof p.message !== 'string') return;
      this.#emit({
        type: 'progress',
        id: jobId,
        progress: { fraction: typeof p.fraction === 'number' ? p.fraction : null, message: p.message },
      });
    });
    const ended = ({ jobId }: { jobId: string }) => this.#emit({ type: 'ended', id: jobId });
    this.#events.on('completed', ended);
    this.#events.on('failed', ended);
    this.#subscriber.on('message', (_channel: string, message: string) => {
      let m: { id?: unknown; code?: unknown; message?: unknown };
      try {
        m = JSON.parse(message) as typeof m;
      } catch {
        return;
      }
      if (typeof m.id !== 'string') return;
      this.#running
        .get(m.id)
        ?.abort(
          new JobCancelRequest(
            typeof m.code === 'string' ? m.code : 'CANCELLED',
            typeof m.message === 'string' ? m.message : 'cancelled while running',
          ),
        );
    });
  }

  /**
   * Connects to the Redis at `url` (redis://[user:password@]host:port[/db]); rejects with QueueError
   * QUEUE_BAD_URL or QUEUE_UNREACHABLE naming the URL (password masked) when it is not a Redis URL
   * or no Redis answers within a few seconds.
   */
  static async open(url: string, options: JobQueueOptions = {}): Promise<JobQueue> {
    await checkRedisReachable(url);
    const q = new JobQueue(url, options);
    try {
      await q.#subscriber.subscribe(q.#cancelChannel());
      await q.#events.waitUntilReady();
      return q;
    } catch (e) {
      await q.close();
      throw e;
    }
  }

  /** For messages: the URL with its password masked. */
  get label(): string {
    return redactUrl(this.url);
  }

  #cancelChannel(): string {
    return `${this.#prefix}:${JOB_QUEUE_NAME}:cancel`;
  }
  #cancelKey(id: string): string {
    return `${this.#prefix}:${JOB_QUEUE_NAME}:cancel:${id}`;
  }
  #payloadKey(id: string): string {
    return `${this.#prefix}:${JOB_QUEUE_NAME}:payload:${id}`;
  }

  /** Every progress and end event of every job (from any instance); returns the unsubscribe function. */
  listen(listener: (e: JobQueueEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: JobQueueEvent): void {
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  /** Puts a job on the queue (its payload first, so a taker always finds it). */
  async add(job: QueuedJob, payload?: Uint8Array): Promise<void> {
    if (payload !== undefined) {
      await this.#redis.set(this.#payloadKey(job.id), Buffer.from(payload), 'EX', PAYLOAD_TTL_S);
    }
    await this.#queue.add(
      job.kind,
      { ...job, hasPayload: payload !== undefined },
      {
        jobId: job.id,
        // The record in the store says how it ended; the queue keeps only recent ends for inspection.
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
  }

  /** Where the job is: waiting (or delayed) for an instance, active on one, or gone (ended or unknown). */
  async state(id: string): Promise<QueuedState> {
    const s = await this.#queue.getJobState(id);
    if (s === 'active') return 'active';
    if (s === 'waiting' || s === 'delayed' || s === 'prioritized' || s === 'waiting-children')
      return 'waiting';
    return 'gone';
  }

  /**
   * Cancels a job: removed when still waiting (returns 'removed'); when running, its instance is
   * asked to stop (returns 'requested'); 'gone' when it already ended or is unknown.
   */
  async cancel(id: string, code: string, message: string): Promise<'removed' | 'requested' | 'gone'> {
    const request = JSON.stringify({ id, code, message });
    // Kept first: an instance taking the job between here and the removal aborts it at once.
    await this.#redis.set(this.#cancelKey(id), request, 'EX', CANCEL_TTL_S);
    const job = await this.#queue.getJob(id);
    if (job === undefined) return 'gone';
    const removed = await job.remove().then(
      () => true,
      () => false, // locked: an instance holds it
    );
    if (removed) {
      await this.#redis.del(this.#payloadKey(id));
      return 'removed';
    }
    await this.#redis.publish(this.#cancelChannel(), request);
    return 'requested';
  }

  /** Jobs waiting and running across all instances. */
  async counts(): Promise<{ waiting: number; active: number }> {
    const c = await this.#queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0 };
  }

  /** Answers when Redis does (readiness). */
  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  /**
   * Starts taking jobs, `concurrency` at a time. The handler resolves when the job has ended (its
   * record written); it rejects only with the signal's JobHandBack reason to hand the job back.
   */
  process(handler: (job: TakenJob) => Promise<void>, concurrency = 1): void {
    if (this.#worker !== undefined) throw new Error('this queue already takes jobs');
    this.#worker = new Worker(
      JOB_QUEUE_NAME,
      async (job, token) => {
        const data = job.data as QueuedJob;
        const controller = new AbortController();
        this.#running.set(data.id, controller);
        try {
          const asked = await this.#redis.get(this.#cancelKey(data.id));
          if (asked !== null) {
            const m = JSON.parse(asked) as { code: string; message: string };
            controller.abort(new JobCancelRequest(m.code, m.message));
          }
          const payload = data.hasPayload
            ? ((await this.#redis.getBuffer(this.#payloadKey(data.id))) ?? undefined)
            : undefined;
          let lastSent = 0;
          const handled = handler({
            data,
            payload: payload === undefined ? undefined : new Uint8Array(payload),
            signal: controller.signal,
            retakes: job.stalledCounter ?? 0,
            progress: (p) => {
              // Progress travels at most every PROGRESS_SEND_MS (a screening reports every block).
              const t = Date.now();
              if (t - lastSent < PROGRESS_SEND_MS) return;
              lastSent = t;
              void job.updateProgress({ fraction: p.fraction, message: p.message }).catch(() => undefined);
            },
          });
          this.#handlers.add(handled);
          await handled.finally(() => this.#handlers.delete(handled));
          await this.#redis.del(this.#payloadKey(data.id), this.#cancelKey(data.id));
        } catch (e) {
          if (controller.signal.reason instanceof JobHandBack) {
            await job.moveToWait(token);
            throw new WaitingError();
          }
          throw e;
        } finally {
          this.#running.delete(data.id);
        }
      },
      {
        connection: this.#redis,
        prefix: this.#prefix,
        concurrency,
        lockDuration: this.#options.lockDurationMs ?? DEFAULT_LOCK_MS,
        // A dead instance's jobs are looked for as often as a lock lasts.
        stalledInterval: this.#options.lockDurationMs ?? DEFAULT_LOCK_MS,
        maxStalledCount: this.#options.maxStalledCount ?? 2,
        autorun: true,
      },
    );
    // A worker's connection errors are retried by ioredis; they are not the job's failure.
    this.#worker.on('error', () => undefined);
  }

  /**
   * Stops: no more jobs are taken; the running ones get `graceMs` (default 0) to end, then those
   * still running are aborted with JobHandBack (their handlers hand them back to the queue).
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Taken no more (the running ones go on).
    await this.#worker?.pause(true);
    const graceMs = options.graceMs ?? 0;
    if (graceMs > 0 && this.#handlers.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#handlers]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const c of this.#running.values()) if (!c.signal.aborted) c.abort(new JobHandBack());
    await this.#worker?.close();
    await this.#events.close();
    await this.#queue.close();
    this.#subscriber.disconnect();
    this.#eventsClient.disconnect();
    this.#redis.disconnect();
  }
}

/** Progress updates of one job travel at most this often between instances, ms. */
export const PROGRESS_SEND_MS = 250;
