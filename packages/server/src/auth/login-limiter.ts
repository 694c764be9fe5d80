/**
 * Login rate limit: at most `maxFailures` failed logins per `windowMs` per client address and per
 * username (both are counted; either one full refuses the next attempt with 429 before any
 * password is checked), so that neither one address guessing many accounts' passwords nor many
 * addresses guessing one account's can go faster than that. A success clears the username's count.
 * A sliding window of failure times per key, in memory (one server process); old keys are pruned.
 */

export interface LoginLimiterOptions {
  /** Failures allowed in the window (default 5). */
  readonly maxFailures?: number;
  /** Window, ms (default 60 s). */
  readonly windowMs?: number;
  /** The clock, ms (default Date.now). */
  readonly now?: () => number;
}

/** Keys kept at most; beyond it, the oldest are dropped (bounds memory under a flood of names). */
const MAX_KEYS = 100_000;

export class LoginLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();

  constructor(options: LoginLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#windowMs);
    if (times.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, times);
    return times;
  }

  /** Seconds to wait before another attempt, or 0 when an attempt may be made now. */
  retryAfterSeconds(ip: string, username: string): number {
    const now = this.#now();
    let wait = 0;
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
      const times = this.#recent(key, now);
      if (times.length >= this.#max) {
        const oldest = times[times.length - this.#max] ?? now;
        wait = Math.max(wait, Math.ceil((oldest + this.#windowMs - now) / 1000));
      }
    }
    return wait;
  }

  failed(ip: string, username: string): void {
    const now = this.#now();
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
      const times = this.#recent(key, now);
      times.push(now);
      this.#failures.delete(key);
      this.#failures.set(key, times);
    }
    while (this.#failures.size > MAX_KEYS) {
      const first = this.#failures.keys().next().value;
      if (first === undefined) break;
      this.#failures.delete(first);
    }
  }

  succeeded(username: string): void {
    this.#failures.delete(`user:${username.toLowerCase()}`);
  }
}
