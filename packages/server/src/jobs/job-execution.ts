/**
 * One job's run over the catalog store, the same for every runner (in-process, or taken from the
 * Redis queue by any server instance): the record goes 'running', the kind's executor works with
 * an AbortSignal and a progress callback, and the record ends 'succeeded', 'failed' (with the
 * executor's code) or 'cancelled' (with the abort reason's code). Progress is pushed to `emit` on
 * every call and written to the store at most every PROGRESS_WRITE_INTERVAL_MS.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CatalogStore, StoredJob } from '@hoshimi/store';
import type { JobObserver, JobRecord, JobSpec, JobState } from './job-types.js';

/** Store writes of progress are spaced by this much (state changes are written at once). */
export const PROGRESS_WRITE_INTERVAL_MS = 500;

const TERMINAL: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

export function isTerminal(state: JobState): boolean {
  return TERMINAL.has(state);
}

export function recordFromStored(j: StoredJob): JobRecord {
  return {
    id: j.id,
    kind: j.kind as JobRecord['kind'],
    params: j.params,
    state: j.state,
    progress: { fraction: j.progressFraction, message: j.progressMessage },
    requestedBy: j.requestedBy,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    result: j.result,
    error: j.error,
  };
}

/** A new queued job's record (a fresh id), written to `store` (the submitter's view, which marks it). */
export async function saveQueuedJob(store: CatalogStore, spec: JobSpec, now: Date): Promise<JobRecord> {
  const job: JobRecord = {
    id: randomUUID(),
    kind: spec.kind,
    params: spec.params,
    state: 'queued',
    progress: { fraction: null, message: 'queued' },
    requestedBy: spec.requestedBy ?? 'api',
    createdAt: now.toISOString(),
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
  };
  await store.saveJob({
    id: job.id,
    kind: job.kind,
    params: job.params,
    state: job.state,
    progressFraction: null,
    progressMessage: job.progress.message,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt,
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
  });
  return job;
}

/** Writes a job's end; the stored record, or null when the store does not know the job. */
export async function finishJob(
  store: CatalogStore,
  id: string,
  state: JobState,
  result: Record<string, unknown> | null,
  error: { code: string; message: string } | null,
  fractionBefore: number | null,
  now: Date,
): Promise<JobRecord | null> {
  const fraction = state === 'succeeded' ? 1 : fractionBefore;
  const message =
    state === 'succeeded' ? 'done' : state === 'cancelled' ? 'cancelled' : (error?.message ?? state);
  const stored = await store.updateJob(id, {
    state,
    finishedAt: now.toISOString(),
    progressFraction: fraction,
    progressMessage: message,
    result,
    error,
  });
  return stored === null ? null : recordFromStored(stored);
}

/** The code of an error or abort reason (a JobError's, a cancel request's), or `fallback`. */
export function errorCode(e: unknown, fallback: string): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : fallback;
}

export interface JobRun {
  /** The whole store: the record is written here. */
  readonly store: CatalogStore;
  /** The store the executor works through (the submitter's view, or the whole store). */
  readonly workStore: CatalogStore;
  readonly id: string;
  readonly kind: JobRecord['kind'];
  readonly params: Readonly<Record<string, unknown>>;
  readonly payload: Uint8Array | undefined;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly executor: (
    params: Readonly<Record<string, unknown>>,
    ctx: {
      readonly store: CatalogStore;
      readonly signal: AbortSignal;
      readonly payload: Uint8Array | undefined;
      now(): Date;
      progress(fraction: number | null, message: string): void;
    },
  ) => Promise<Record<string, unknown>>;
  /** Every new state of the record (running, progress, end). */
  readonly emit: (job: JobRecord) => void;
  /**
   * An abort whose reason this accepts leaves the record as it is and rethrows the reason (a job
   * handed back to the queue by a stopping instance is not ended).
   */
  readonly keepOn?: (reason: unknown) => boolean;
}

/** Runs one job to its end and returns the final record (null when the store lost it). */
export async function executeJob(run: JobRun): Promise<JobRecord | null> {
  const { store, id, signal } = run;
  let current: JobRecord | null = null;
  let lastWrite = 0;
  try {
    const started = await store.updateJob(id, {
      state: 'running',
      startedAt: run.now().toISOString(),
      progressFraction: 0,
      progressMessage: 'started',
      finishedAt: null,
      error: null,
    });
    if (started === null) return null;
    current = recordFromStored(started);
    run.emit(current);
    signal.throwIfAborted();
    const result = await run.executor(run.params, {
      store: run.workStore,
      signal,
      payload: run.payload,
      now: run.now,
      progress: (fraction, message) => {
        if (current === null || signal.aborted) return;
        const f = fraction === null ? null : Math.min(1, Math.max(0, fraction));
        current = { ...current, progress: { fraction: f, message } };
        run.emit(current);
        const t = Date.now();
        if (t - lastWrite >= PROGRESS_WRITE_INTERVAL_MS) {
          lastWrite = t;
          void store.updateJob(id, { progressFraction: f, progressMessage: message }).catch(() => undefined);
        }
      },
    });
    signal.throwIfAborted();
    return end(run, 'succeeded', result, null, current);
  } catch (e) {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (run.keepOn?.(reason) === true) throw reason;
      const message = reason instanceof Error ? reason.message : 'cancelled';
      return end(run, 'cancelled', null, { code: errorCode(reason, 'CANCELLED'), message }, current);
    }
    return end(
      run,
      'failed',
      null,
      { code: errorCode(e, 'JOB_FAILED'), message: (e as Error).message ?? String(e) },
      current,
    );
  }
}

async function end(
  run: JobRun,
  state: JobState,
  result: Record<string, unknown> | null,
  error: { code: string; message: string } | null,
  current: JobRecord | null,
): Promise<JobRecord | null> {
  const rec = await finishJob(
    run.store,
    run.id,
    state,
    result,
    error,
    current?.progress.fraction ?? null,
    run.now(),
  );
  if (rec !== null) run.emit(rec);
  return rec;
}

/**
 * Tells an observer (logs, metrics) of the jobs a runner queues, starts and ends, from the records
 * the runner emits; an observer's failure never touches the job.
 */
export class JobObservation {
  readonly #observer: JobObserver;
  /** performance.now() when each job started here (its run time at the end). */
  readonly #startedAtMs = new Map<string, number>();

  constructor(observer: JobObserver = {}) {
    this.#observer = observer;
  }

  #call(call: (o: JobObserver) => void): void {
    try {
      call(this.#observer);
    } catch {
      // Logging and metrics are best effort.
    }
  }

  queued(job: JobRecord): void {
    this.#call((o) => o.queued?.(job));
  }

  /** A record the runner emitted: the first 'running' one starts the clock, a final one ends it. */
  emitted(job: JobRecord): void {
    if (job.state === 'running' && !this.#startedAtMs.has(job.id)) {
      this.#startedAtMs.set(job.id, performance.now());
      this.#call((o) => o.started?.(job));
    } else if (isTerminal(job.state)) {
      const t0 = this.#startedAtMs.get(job.id);
      this.#startedAtMs.delete(job.id);
      this.#call((o) => o.finished?.(job, t0 === undefined ? null : (performance.now() - t0) / 1000));
    }
  }

  /** The job left this runner without ending (handed back to a queue). */
  forget(id: string): void {
    this.#startedAtMs.delete(id);
  }
}

/** The subscribers of each job (the SSE route, the watch-list scheduler) and their notification. */
export class JobListeners {
  readonly #byJob = new Map<string, Set<(job: JobRecord) => void>>();

  has(id: string): boolean {
    return this.#byJob.has(id);
  }

  /** Adds a listener of one job; returns the unsubscribe function. */
  add(id: string, listener: (job: JobRecord) => void): () => void {
    let set = this.#byJob.get(id);
    if (set === undefined) {
      set = new Set();
      this.#byJob.set(id, set);
    }
    set.add(listener);
    return () => {
      const s = this.#byJob.get(id);
      s?.delete(listener);
      if (s !== undefined && s.size === 0) this.#byJob.delete(id);
    };
  }

  /** Tells the job's listeners; after a final state they are dropped. */
  notify(job: JobRecord): void {
    for (const l of [...(this.#byJob.get(job.id) ?? [])]) {
      try {
        l(job);
      } catch {
        // A listener's failure is its own (a closed stream); the job goes on.
      }
    }
    if (isTerminal(job.state)) this.#byJob.delete(job.id);
  }
}
