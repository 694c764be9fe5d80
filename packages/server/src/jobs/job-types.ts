/**
 * The job interface: submit, progress, cancel, result. Kept this narrow so that the in-process
 * runner and a later distributed queue (many worker machines) are two implementations of one
 * contract, and the routes, the console and the watch-list scheduler never see which one runs.
 */

/** What a job does; each kind has its own parameter schema (validated at the edge). */
import type { Reader } from '@hoshimi/astro';
export type JobKind = 'screening' | 'maneuvers' | 'rpo' | 'import';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobSpec {
  readonly kind: JobKind;
  /** Kind-specific parameters (JSON). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Who or what asked for it: 'api', 'console', 'schedule:<watch list id>'. */
  readonly requestedBy?: string;
  /**
   * Bulk input the job reads (an uploaded file for 'import'), kept out of `params` and never
   * persisted: a runner on other machines must ship it by its own means.
   */
  readonly payload?: Uint8Array;
  /**
   * Whose job it is: the job reads and writes the store through this reader's view (it sees what
   * the submitter may see; what it stores is marked from what it read), and only readers who may
   * see the job's record see the job. Absent: the server's own work (schedules), unrestricted.
   */
  readonly reader?: Reader;
}

export interface JobProgress {
  /** 0..1, or null when unknown. */
  readonly fraction: number | null;
  /** What the job is doing now, for people. */
  readonly message: string;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly params: Readonly<Record<string, unknown>>;
  readonly state: JobState;
  readonly progress: JobProgress;
  readonly requestedBy: string;
  /** ISO UTC. */
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Kind-specific result summary (e.g. the screening id in the store), once succeeded. */
  readonly result: Readonly<Record<string, unknown>> | null;
  /** Why it failed or was cancelled. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface JobListOptions {
  readonly state?: JobState;
  readonly kind?: JobKind;
  readonly requestedBy?: string;
  /** Default 100. */
  readonly limit?: number;
  /** Only jobs this reader may see. */
  readonly reader?: Reader;
}

/** How many jobs a runner holds now (for the queue depth gauges of ops/metrics.ts). */
export interface JobCounts {
  /** Submitted, not started. */
  readonly queued: number;
  readonly running: number;
}

/**
 * Told of each job's lifecycle (the server's job log lines and metrics, ops/job-observer.ts). A
 * runner calls it where the job changes state and never waits on it; a throw is ignored.
 */
export interface JobObserver {
  queued?(job: JobRecord): void;
  started?(job: JobRecord): void;
  /**
   * A final state (succeeded, failed, cancelled); `runSeconds` from start to end on a monotonic
   * clock, null for a job that never started (cancelled while queued).
   */
  finished?(job: JobRecord, runSeconds: number | null): void;
}

export interface JobRunnerCloseOptions {
  /**
   * How long running jobs may go on before they are cancelled, ms (default 0: cancel at once).
   * Queued jobs of an in-process runner are cancelled at once either way.
   */
  readonly graceMs?: number;
}

/** The runner's contract. */
export interface JobRunner {
  submit(spec: JobSpec): Promise<JobRecord>;
  /** The job, or null when unknown or (with `reader`) not visible to that reader. */
  get(id: string, reader?: Reader): Promise<JobRecord | null>;
  /** Jobs, newest first, filtered by state, kind and who asked (e.g. 'schedule:3'). */
  list(options?: JobListOptions): Promise<JobRecord[]>;
  /** Requests cancellation; the job ends 'cancelled' at its next checkpoint. */
  cancel(id: string, reader?: Reader): Promise<JobRecord | null>;
  /** Every change of one job (progress, state); returns the unsubscribe function. */
  subscribe(id: string, listener: (job: JobRecord) => void): () => void;
  /**
   * Stops taking jobs (submit throws JobError RUNNER_CLOSED), lets the running ones go on for the
   * grace period, then cancels what still runs (final state 'cancelled', code SERVER_STOPPED) and
   * waits for them to stop. Calling it again while it waits cancels at once.
   */
  close(options?: JobRunnerCloseOptions): Promise<void>;
  /**
   * Jobs queued and running now, read at every metrics scrape. Optional: a queue-backed runner
   * reports the queue's depth (all instances), the in-process runner its own.
   */
  counts?(): Promise<JobCounts>;
}
