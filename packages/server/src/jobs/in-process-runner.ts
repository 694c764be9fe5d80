/**
 * The in-process job runner: a FIFO queue with a concurrency limit, each job's record kept in the
 * catalog store (`saveJob`/`updateJob`), every change pushed to subscribers (the SSE route, the
 * watch-list scheduler). A job's work is an executor per kind (executors.ts) that receives an
 * AbortSignal and a progress callback: cancellation is honoured at the executor's checkpoints
 * (between screening blocks, between objects, between import batches), never by killing a thread
 * mid-write.
 *
 * Restart rule: a job the store shows 'queued' or 'running' when a runner starts was left by a
 * server that died; `recover()` marks it 'failed' with code SERVER_RESTARTED (its work is not
 * resumed: an executor's partial output is never committed, so a rerun is the way back).
 *
 * Shutdown (`close({ graceMs })`): no new jobs, the queued ones cancelled at once, the running ones
 * given the grace period to finish, then cancelled with code SERVER_STOPPED (state 'cancelled').
 * An observer (job-types.ts JobObserver) is told of every job queued, started and finished.
 *
 * Progress is pushed to subscribers on every call and written to the store at most every
 * PROGRESS_WRITE_INTERVAL_MS (a screening can report thousands of blocks).
 */
import type { Reader } from '@hoshimi/astro';
import type { CatalogStore } from '@hoshimi/store';
import {
  executeJob,
  finishJob,
  isTerminal,
  JobListeners,
  JobObservation,
  recordFromStored,
  saveQueuedJob,
} from './job-execution.js';
import type {
  JobCounts,
  JobKind,
  JobListOptions,
  JobObserver,
  JobRecord,
  JobRunner,
  JobRunnerCloseOptions,
  JobSpec,
  JobState,
} from './job-types.js';

export { isTerminal, PROGRESS_WRITE_INTERVAL_MS } from './job-execution.js';

/** What an executor gets to do its work. */
export interface JobContext {
  readonly store: CatalogStore;
  /** Aborted when the job is cancelled or the runner closes: stop at the next checkpoint. */
  readonly signal: AbortSignal;
  /** Reports progress (fraction 0..1 or null when unknown). */
  progress(fraction: number | null, message: string): void;
  /** The runner's clock (tests drive it). */
  now(): Date;
  readonly payload: Uint8Array | undefined;
}

/** Does one kind of job; resolves with its result summary (JSON). */
export type JobExecutor = (
  params: Readonly<Record<string, unknown>>,
  ctx: JobContext,
) => Promise<Record<string, unknown>>;

/** An executor failure with a stable code (anything else fails the job with code JOB_FAILED). */
export class JobError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'JobError';
    this.code = code;
  }
}

export interface InProcessRunnerOptions {
  readonly store: CatalogStore;
  readonly executors: Readonly<Record<JobKind, JobExecutor>>;
  /** Jobs running at once (default 1: a screening already uses several worker threads). */
  readonly concurrency?: number;
  /** Clock (default the system clock). */
  readonly now?: () => Date;
  /** Told of every job queued, started and finished (logs, metrics). */
  readonly observer?: JobObserver;
}

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class InProcessJobRunner implements JobRunner {
  readonly #store: CatalogStore;
  /** The submitter's reader per job id (jobs the server itself submits have none). */
  readonly #readers = new Map<string, Reader>();
  readonly #executors: Readonly<Record<JobKind, JobExecutor>>;
  readonly #concurrency: number;
  readonly #now: () => Date;
  readonly #queue: { readonly id: string; readonly payload: Uint8Array | undefined }[] = [];
  readonly #running = new Map<string, Running>();
  readonly #listeners = new JobListeners();
  /** The latest record of every job this runner has queued or run (what subscribers see). */
  readonly #live = new Map<string, JobRecord>();
  readonly #observation: JobObservation;
  #closed = false;

  constructor(options: InProcessRunnerOptions) {
    this.#store = options.store;
    this.#executors = options.executors;
    this.#concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${this.#concurrency}`);
    }
    this.#now = options.now ?? (() => new Date());
    this.#observation = new JobObservation(options.observer);
  }

  /**
   * Marks the jobs a dead server left 'queued' or 'running' as failed (SERVER_RESTARTED); call once
   * before taking jobs. Returns the ids it marked.
   */
  async recover(): Promise<string[]> {
    const left = await this.#store.listJobs({ states: ['queued', 'running'], limit: 1_000_000 });
    const at = this.#now().toISOString();
    for (const j of left) {
      await this.#store.updateJob(j.id, {
        state: 'failed',
        finishedAt: at,
        error: {
          code: 'SERVER_RESTARTED',
          message: `the server stopped while this job was ${j.state}; it was not resumed (submit it again)`,
        },
      });
    }
    return left.map((j) => j.id);
  }

  async submit(spec: JobSpec): Promise<JobRecord> {
    if (this.#closed) throw new JobError('RUNNER_CLOSED', 'the job runner is closed');
    if (this.#executors[spec.kind] === undefined) {
      throw new JobError('JOB_UNKNOWN_KIND', `no executor for job kind '${spec.kind}'`);
    }
    const job = await saveQueuedJob(
      spec.reader === undefined ? this.#store : this.#store.view(spec.reader),
      spec,
      this.#now(),
    );
    if (spec.reader !== undefined) this.#readers.set(job.id, spec.reader);
    this.#live.set(job.id, job);
    this.#queue.push({ id: job.id, payload: spec.payload });
    this.#observation.queued(job);
    this.#pump();
    return this.#live.get(job.id) ?? job;
  }

  /** The store a job works through: its submitter's view, or the whole store for the server's own jobs. */
  #storeOf(id: string): CatalogStore {
    const reader = this.#readers.get(id);
    return reader === undefined ? this.#store : this.#store.view(reader);
  }

  async get(id: string, reader?: Reader): Promise<JobRecord | null> {
    const store = reader === undefined ? this.#store : this.#store.view(reader);
    // Visibility is the store's (the job record's marking); progress is fresher in memory.
    const j = await store.getJob(id);
    if (j === null) return null;
    return this.#live.get(id) ?? recordFromStored(j);
  }

  async list(options: JobListOptions = {}): Promise<JobRecord[]> {
    const store = options.reader === undefined ? this.#store : this.#store.view(options.reader);
    const rows = await store.listJobs({
      ...(options.state === undefined ? {} : { states: [options.state] }),
      ...(options.kind === undefined ? {} : { kind: options.kind }),
      ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
      limit: options.limit ?? 100,
    });
    // Progress of running jobs is fresher in memory than in the store.
    return rows.map((j) => this.#live.get(j.id) ?? recordFromStored(j));
  }

  async cancel(id: string, reader?: Reader): Promise<JobRecord | null> {
    if (reader !== undefined && (await this.get(id, reader)) === null) return null;
    const queued = this.#queue.findIndex((q) => q.id === id);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      return this.#finish(id, 'cancelled', null, {
        code: 'CANCELLED',
        message: 'cancelled before it started',
      });
    }
    const running = this.#running.get(id);
    if (running !== undefined) {
      running.controller.abort(new JobError('CANCELLED', 'cancelled while running'));
      return this.#live.get(id) ?? null;
    }
    return this.get(id);
  }

  subscribe(id: string, listener: (job: JobRecord) => void): () => void {
    return this.#listeners.add(id, listener);
  }

  /** Jobs waiting in this runner's queue and running in it now. */
  async counts(): Promise<JobCounts> {
    return { queued: this.#queue.length, running: this.#running.size };
  }

  /**
   * Stops taking jobs and cancels the queued ones; lets the running ones go on for `graceMs`
   * (default 0), then cancels them (SERVER_STOPPED) and waits for them to stop.
   */
  async close(options: JobRunnerCloseOptions = {}): Promise<void> {
    const graceMs = options.graceMs ?? 0;
    this.#closed = true;
    for (const q of this.#queue.splice(0)) {
      await this.#finish(q.id, 'cancelled', null, {
        code: 'SERVER_STOPPED',
        message: 'the server stopped before this job started',
      });
    }
    if (graceMs > 0 && this.#running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...this.#running.values()].map((r) => r.done)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const message =
      graceMs > 0
        ? `the server stopped while this job ran (it did not finish within the shutdown grace of ${graceMs / 1000} s)`
        : 'the server stopped while this job ran';
    for (const r of this.#running.values()) {
      if (!r.controller.signal.aborted) r.controller.abort(new JobError('SERVER_STOPPED', message));
    }
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  #emit(job: JobRecord): void {
    this.#live.set(job.id, job);
    this.#observation.emitted(job);
    this.#listeners.notify(job);
    if (isTerminal(job.state)) this.#live.delete(job.id);
  }

  async #finish(
    id: string,
    state: JobState,
    result: Record<string, unknown> | null,
    error: { code: string; message: string } | null,
  ): Promise<JobRecord | null> {
    const before = this.#live.get(id)?.progress.fraction ?? null;
    const rec = await finishJob(this.#store, id, state, result, error, before, this.#now());
    if (rec !== null) this.#emit(rec);
    return rec;
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#concurrency && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      const controller = new AbortController();
      const entry: { controller: AbortController; done: Promise<void> } = {
        controller,
        done: Promise.resolve(),
      };
      this.#running.set(next.id, entry);
      entry.done = this.#run(next.id, next.payload, controller).finally(() => {
        this.#running.delete(next.id);
        this.#pump();
      });
    }
  }

  async #run(id: string, payload: Uint8Array | undefined, controller: AbortController): Promise<void> {
    const queued = this.#live.get(id);
    if (queued === undefined) return;
    await executeJob({
      store: this.#store,
      workStore: this.#storeOf(id),
      id,
      kind: queued.kind,
      params: queued.params,
      payload,
      signal: controller.signal,
      now: this.#now,
      executor: this.#executors[queued.kind],
      emit: (job) => this.#emit(job),
    });
  }
}
