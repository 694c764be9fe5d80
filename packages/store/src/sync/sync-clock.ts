/**
 * The clock the sync clients wait on. Injected so that tests run rate limits and Retry-After waits
 * in virtual time; the default is the wall clock. Milliseconds since 1970 (Unix time), used only for
 * request pacing, never for element epochs.
 */

export interface SyncClock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** The wall clock: `Date.now` and `setTimeout`. */
export const SYSTEM_SYNC_CLOCK: SyncClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
