/**
 * The job runner on the Redis queue (@hoshimi/queue JobQueue): `submit` writes the job's record to
 * the store and puts its id on the queue; every server instance started with the same queue (and
 * the same store) takes jobs from it, `concurrency` at a time, and runs them with the same
 * executors as the in-process runner (job-execution.ts). Subscribers of any instance see progress
 * and ends through the queue's events, whichever instance runs the job.
 *
 * What the in-process runner cannot do: a job outlives the instance that accepted it. A job whose
 * instance dies is taken again (BullMQ's stalled check) and run from its start — an executor's
 * partial output is never committed, so a rerun is safe; an instance that stops hands its running
 * jobs back to the queue (`close`) instead of cancelling them. On start, `recover()` fails only
 * the records the queue no longer holds (SERVER_RESTARTED).
 */
import type { Reader } from '@hoshimi/astro';
import { JobHandBack, type JobQueue, type TakenJob } from '@hoshimi/queue';
import type { CatalogStore } from '@hoshimi/store';
import type { JobExecutor } from './in-process-runner.js';
import { JobError } from './in-process-runner.js';
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
} from './job-types.js';

export interface QueueRunnerOptions {
  readonly store: CatalogStore;
  readonly queue: JobQueue;
  readonly executors: Readonly<Record<JobKind, JobExecutor>>;
  /** Jobs this instance runs at once (default 1). */
  readonly concurrency?: number;
  /** Take jobs on this instance (default true; false: submit and watch only). */
  readonly takeJobs?: boolean;
  readonly now?: () => Date;
  /** Told of every job queued here and started and ended here (logs, metrics). */
  readonly observer?: JobObserver;
}

function readerOf(r: Readonly<Record<string, string>> | null): Reader | undefined {
  if (r === null) return undefined;
  const { organisation, nation, clearance } = r;
  if (organisation === undefined || nation === undefined || clearance === undefined) return undefined;
  return { organisation, nation, clearance };
}

export class QueueJobRunner implements JobRunner {
  readonly #store: CatalogStore;
  readonly #queue: JobQueue;
  readonly #executors: Readonly<Record<JobKind, JobExecutor>>;
  readonly #now: () => Date;
  readonly #concurrency: number;
  readonly #takeJobs: boolean;
  readonly #listeners = new JobListeners();
  /** The latest record of jobs with subscribers or running here (progress is fresher than the store's). */
  readonly #live = new Map<string, JobRecord>();
  readonly #unlisten: () => void;
  readonly #observation: JobObservation;
  /** Jobs this instance runs now (their records are emitted to the observer). */
  readonly #mine = new Set<string>();
  #closed = false;

  constructor(options: QueueRunnerOptions) {
    this.#store = options.store;
    this.#queue = options.queue;
    this.#executors = options.executors;
    this.#now = options.now ?? (() => new Date());
    this.#concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${this.#concurrency}`);
    }
    this.#takeJobs = options.takeJobs ?? true;
    this.#observation = new JobObservation(options.observer);
    this.#unlisten = this.#queue.listen((e) => {
      if (e.type === 'progress') {
        const cur = this.#live.get(e.id);
        if (cur !== undefined && !isTerminal(cur.state)) {
          this.#emit({ ...cur, state: 'running', progress: e.progress });
        } else if (cur === undefined && this.#listeners.has(e.id)) {
          void this.#refresh(e.id);
        }
      } else if (this.#listeners.has(e.id)) {
        void this.#refresh(e.id);
      }
    });
  }

  /**
   * Fails the records left 'queued' or 'running' that the queue no longer holds (their instance
   * died and the queue lost or ended them); the others are still waiting or being run. Then starts
   * taking jobs. Returns the ids marked failed.
   */
  async recover(): Promise<string[]> {
    const left = await this.#store.listJobs({ states: ['queued', 'running'], limit: 1_000_000 });
    const marked: string[] = [];
    for (const j of left) {
      if ((await this.#queue.state(j.id)) !== 'gone') continue;
      await finishJob(
        this.#store,
        j.id,
        'failed',
        null,
        {
          code: 'SERVER_RESTARTED',
          message: `the job was ${j.state} but the queue no longer holds it; it was not resumed (submit it again)`,
        },
        j.progressFraction,
        this.#now(),
      );
      marked.push(j.id);
    }
    if (this.#takeJobs) this.#queue.process((taken) => this.#take(taken), this.#concurrency);
    return marked;
  }

  async submit(spec: JobSpec): Promise<JobRecord> {
    if (this.#closed) throw new JobError('RUNNER_CLOSED', 'the job runner is closed');
    if (this.#executors[spec.kind] === undefined) {
      throw new JobError('JOB_UNKNOWN_KIND', `no executor for job kind '${spec.kind}'`);
    }
    const store = spec.reader === undefined ? this.#store : this.#store.view(spec.reader);
    const job = await saveQueuedJob(store, spec, this.#now());
    const reader = spec.reader === undefined ? null : { ...spec.reader };
    try {
      await this.#queue.add({ id: job.id, kind: job.kind, reader, hasPayload: false }, spec.payload);
    } catch (e) {
      await finishJob(
        this.#store,
        job.id,
        'failed',
        null,
        { code: 'QUEUE_UNAVAILABLE', message: `the job could not be queued: ${(e as Error).message}` },
        null,
        this.#now(),
      );
      throw new JobError('QUEUE_UNAVAILABLE', `the job queue (${this.#queue.label}) did not take the job`);
    }
    this.#observation.queued(job);
    return job;
  }

  async get(id: string, reader?: Reader): Promise<JobRecord | null> {
    const store = reader === undefined ? this.#store : this.#store.view(reader);
    const j = await store.getJob(id);
    if (j === null) return null;
    const live = this.#live.get(id);
    return live !== undefined && !isTerminal(j.state) ? live : recordFromStored(j);
  }

  async list(options: JobListOptions = {}): Promise<JobRecord[]> {
    const store = options.reader === undefined ? this.#store : this.#store.view(options.reader);
    const rows = await store.listJobs({
      ...(options.state === undefined ? {} : { states: [options.state] }),
      ...(options.kind === undefined ? {} : { kind: options.kind }),
      ...(options.requestedBy === undefined ? {} : { requestedBy: options.requestedBy }),
      limit: options.limit ?? 100,
    });
    return rows.map((j) => {
      const live = this.#live.get(j.id);
      return live !== undefined && !isTerminal(j.state) ? live : recordFromStored(j);
    });
  }

  async cancel(id: string, reader?: Reader): Promise<JobRecord | null> {
    const seen = await this.get(id, reader);
    if (seen === null) return null;
    if (isTerminal(seen.state)) return seen;
    const how = await this.#queue.cancel(id, 'CANCELLED', 'cancelled while running');
    if (how === 'removed') {
      const rec = await finishJob(
        this.#store,
        id,
        'cancelled',
        null,
        { code: 'CANCELLED', message: 'cancelled before it started' },
        null,
        this.#now(),
      );
      if (rec !== null) this.#emit(rec);
      return rec;
    }
    // Running on some instance: it ends the job 'cancelled' at its next checkpoint.
    return (await this.get(id)) ?? seen;
  }

  subscribe(id: string, listener: (job: JobRecord) => void): () => void {
    return this.#listeners.add(id, listener);
  }

  /** Jobs waiting and running across every instance of the queue. */
  async counts(): Promise<JobCounts> {
    const c = await this.#queue.counts();
    return { queued: c.waiting, running: c.active };
  }

  /**
   * Stops taking jobs (submit throws RUNNER_CLOSED); the jobs running here get `graceMs` to end,
   * then are handed back to the queue (another instance, or this one restarted, runs them again
   * from their start). Closes the queue.
   */
  async close(options: JobRunnerCloseOptions = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.close(options.graceMs === undefined ? {} : { graceMs: options.graceMs });
    this.#unlisten();
  }

  async #refresh(id: string): Promise<void> {
    const j = await this.#store.getJob(id);
    if (j !== null) this.#emit(recordFromStored(j));
  }

  #emit(job: JobRecord): void {
    if (this.#mine.has(job.id)) this.#observation.emitted(job);
    if (isTerminal(job.state)) this.#live.delete(job.id);
    else this.#live.set(job.id, job);
    this.#listeners.notify(job);
  }

  async #take(taken: TakenJob): Promise<void> {
    const { data } = taken;
    const stored = await this.#store.getJob(data.id);
    // Cancelled (or ended) while it waited: nothing to do.
    if (stored === null || isTerminal(stored.state)) return;
    const executor = this.#executors[stored.kind as JobKind];
    if (executor === undefined) {
      await finishJob(
        this.#store,
        data.id,
        'failed',
        null,
        { code: 'JOB_UNKNOWN_KIND', message: `this server has no executor for job kind '${stored.kind}'` },
        null,
        this.#now(),
      );
      return;
    }
    const reader = readerOf(data.reader);
    if (taken.retakes > 0) {
      await this.#store.updateJob(data.id, {
        progressMessage: `taken again after its server stopped (${taken.retakes})`,
      });
    }
    this.#mine.add(data.id);
    try {
      await executeJob({
        store: this.#store,
        workStore: reader === undefined ? this.#store : this.#store.view(reader),
        id: data.id,
        kind: stored.kind as JobKind,
        params: stored.params,
        payload: taken.payload,
        signal: taken.signal,
        now: this.#now,
        executor,
        emit: (job) => {
          this.#emit(job);
          if (job.state === 'running') taken.progress(job.progress);
        },
        keepOn: (reason) => reason instanceof JobHandBack,
      });
    } catch (e) {
      if (e instanceof JobHandBack) {
        // Back to waiting: the record says so until an instance takes it again.
        await this.#store.updateJob(data.id, {
          state: 'queued',
          progressFraction: null,
          progressMessage: 'handed back to the queue: its server stopped',
        });
        this.#live.delete(data.id);
        this.#observation.forget(data.id);
      }
      throw e;
    } finally {
      this.#mine.delete(data.id);
    }
  }
}
