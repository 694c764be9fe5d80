/**
 * A sliding-window request limiter that delays rather than fails. Space-Track's published API limits
 * (space-track.org "API Use Guidelines": at most 30 requests per minute and 300 per hour) are two
 * windows of it. A request may start when, in every window, fewer than `limit` requests started in
 * the `windowMs` before it; otherwise the limiter sleeps (on the injected clock) until the oldest one
 * leaves the window. `marginMs` widens each window to absorb network latency, so that the server,
 * which counts arrival times, never sees more than the limit.
 */
import { SYSTEM_SYNC_CLOCK, type SyncClock } from './sync-clock.js';

export interface RateWindow {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length, ms. */
  readonly windowMs: number;
}

/** Space-Track's published limits: 30 requests per minute, 300 per hour. */
export const SPACETRACK_RATE_LIMITS: readonly RateWindow[] = [
  { limit: 30, windowMs: 60_000 },
  { limit: 300, windowMs: 3_600_000 },
];

export interface RateLimiterOptions {
  readonly clock?: SyncClock;
  /** Added to every window, ms (default 0). */
  readonly marginMs?: number;
}

export class SlidingWindowLimiter {
  readonly windows: readonly RateWindow[];
  readonly #clock: SyncClock;
  readonly #marginMs: number;
  readonly #keep: number;
  /** Start times of granted requests, ascending, at most the largest limit of them. */
  #starts: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #waitedMs = 0;

  constructor(windows: readonly RateWindow[], options: RateLimiterOptions = {}) {
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit > 0 && w.windowMs > 0)) {
        throw new RangeError(
          `rate window needs a positive integer limit and window, got ${JSON.stringify(w)}`,
        );
      }
    }
    this.windows = windows;
    this.#clock = options.clock ?? SYSTEM_SYNC_CLOCK;
    this.#marginMs = options.marginMs ?? 0;
    this.#keep = Math.max(1, ...windows.map((w) => w.limit));
  }

  /** Total time spent waiting so far, ms. */
  get waitedMs(): number {
    return this.#waitedMs;
  }

  /**
   * Waits until one more request fits in every window, then records it. Calls are served in order.
   * Resolves to the time waited, ms.
   */
  acquire(): Promise<number> {
    const next = this.#queue.then(() => this.#take());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Ms to wait at `now` before one more request fits (0 when it fits now). */
  #delay(now: number): number {
    let wait = 0;
    for (const w of this.windows) {
      const span = w.windowMs + this.#marginMs;
      // Requests still inside the window: start > now - span.
      let first = this.#starts.length;
      while (first > 0 && (this.#starts[first - 1] as number) > now - span) first--;
      const inside = this.#starts.length - first;
      if (inside >= w.limit) {
        const leaving = this.#starts[this.#starts.length - w.limit] as number;
        wait = Math.max(wait, leaving + span - now);
      }
    }
    return wait;
  }

  async #take(): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = this.#clock.now();
      const wait = this.#delay(now);
      if (wait <= 0) {
        this.#starts.push(now);
        if (this.#starts.length > this.#keep) this.#starts.splice(0, this.#starts.length - this.#keep);
        this.#waitedMs += waited;
        return waited;
      }
      await this.#clock.sleep(wait);
      waited += wait;
    }
  }
}
