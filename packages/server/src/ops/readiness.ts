/**
 * Readiness: whether this instance should be sent traffic now (`GET /ready`, routes/health.ts),
 * as against liveness (`GET /health`: the process answers). Ready means every named check passes
 * within READINESS_CHECK_TIMEOUT_MS and the server is not shutting down.
 *
 * The server registers the check 'store' (a cheap primary-key lookup the store must answer); a
 * part that the server depends on registers its own with `app.readiness.add(name, check)` (a
 * queue-backed job runner: 'queue'). `beginShutdown()` makes every later answer 'not ready' at once,
 * without running the checks, and makes the job routes refuse new jobs (503 SERVER_STOPPING).
 *
 * What a failed check says to the caller is its name and a reason from a fixed set ('timeout',
 * 'error', 'stopping'); the error itself goes to the server log only (an open route says nothing
 * about the data or the machine).
 */
import type { FastifyInstance } from 'fastify';

/** A check slower than this counts as failed (a probe must answer fast; a stuck store is not ready). */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

/** Resolves when the part answers; throws (or rejects) when it does not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface CheckOutcome {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed: 'timeout', 'error', 'stopping'. */
  readonly reason?: 'timeout' | 'error' | 'stopping';
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly CheckOutcome[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The readiness checks and the shutdown flag of this server. */
    readonly readiness: Readiness;
  }
}

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #onFailure: (name: string, error: unknown) => void;
  #stopping = false;

  constructor(onFailure: (name: string, error: unknown) => void = () => undefined) {
    this.#onFailure = onFailure;
  }

  /** Adds (or replaces) a named check. */
  add(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  /** The names of the checks, in the order they were added. */
  names(): string[] {
    return [...this.#checks.keys()];
  }

  /** From now on the server is not ready and takes no new jobs (graceful shutdown has begun). */
  beginShutdown(): void {
    this.#stopping = true;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Runs every check (concurrently, each bounded by READINESS_CHECK_TIMEOUT_MS). */
  async evaluate(): Promise<ReadinessReport> {
    if (this.#stopping)
      return { ready: false, checks: [{ name: 'shutdown', ok: false, reason: 'stopping' }] };
    const checks = await Promise.all(
      [...this.#checks].map(async ([name, check]): Promise<CheckOutcome> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), READINESS_CHECK_TIMEOUT_MS);
        });
        try {
          const r = await Promise.race([Promise.resolve().then(check), timeout]);
          if (r === 'timeout') {
            this.#onFailure(name, new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`));
            return { name, ok: false, reason: 'timeout' };
          }
          return { name, ok: true };
        } catch (e) {
          this.#onFailure(name, e);
          return { name, ok: false, reason: 'error' };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    // Shutting down while the checks ran: not ready either.
    if (this.#stopping)
      return { ready: false, checks: [{ name: 'shutdown', ok: false, reason: 'stopping' }] };
    return { ready: checks.every((c) => c.ok), checks };
  }
}

/** Decorates the app with its Readiness and the 'store' check. */
export function registerReadiness(app: FastifyInstance): void {
  const readiness = new Readiness((name, error) =>
    app.log.warn({ check: name, err: error }, `readiness check '${name}' failed`),
  );
  // A primary-key lookup of an id that never exists: the store opens a read and answers.
  readiness.add('store', async () => {
    await app.store.getJob('readiness-probe');
  });
  app.decorate('readiness', readiness);
}
