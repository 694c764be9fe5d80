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
  /** Stops taking jobs and waits for (or cancels) the running ones. */
  close(): Promise<void>;
}
