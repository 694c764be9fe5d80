/**
 * The sliding-window limiter on a virtual clock: Space-Track's 30/min and 300/h hold over any
 * window, the limiter waits only as long as needed, and Retry-After parsing follows RFC 9110.
 */
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, SlidingWindowLimiter, SPACETRACK_RATE_LIMITS } from '../src/sync/index.js';
import { createVirtualClock } from './sync-server.js';

/** Largest count of times within any half-open window (t - windowMs, t]. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[lo] as number) <= (times[hi] as number) - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('SlidingWindowLimiter', () => {
  it('holds 30 per minute and 300 per hour over 700 requests, and no tighter', async () => {
    const clock = createVirtualClock('2023-10-10T00:00:00Z');
    const limiter = new SlidingWindowLimiter(SPACETRACK_RATE_LIMITS, { clock });
    const t0 = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 700; i++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    expect(maxInWindow(times, 60_000)).toBe(30);
    expect(maxInWindow(times, 3_600_000)).toBe(300);
    // Bursts of 30 at the start of each minute, 300 an hour: request 301 starts exactly one hour in.
    expect(times.slice(0, 30).every((t) => t === t0)).toBe(true);
    expect(times[30]).toBe(t0 + 60_000);
    expect(times[300]).toBe(t0 + 3_600_000);
    expect(times[600]).toBe(t0 + 7_200_000);
    expect(limiter.waitedMs).toBe((times[699] as number) - t0);
  });

  it('widens each window by the margin', async () => {
    const clock = createVirtualClock('2023-10-10T00:00:00Z');
    const limiter = new SlidingWindowLimiter([{ limit: 2, windowMs: 1000 }], { clock, marginMs: 250 });
    const t0 = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      times.push(clock.now() - t0);
    }
    expect(times).toEqual([0, 0, 1250, 1250, 2500]);
  });

  it('serves concurrent callers in order without exceeding the limit', async () => {
    const clock = createVirtualClock('2023-10-10T00:00:00Z');
    const limiter = new SlidingWindowLimiter([{ limit: 3, windowMs: 10_000 }], { clock });
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () => limiter.acquire().then(() => times.push(clock.now()))),
    );
    expect(maxInWindow(times, 10_000)).toBe(3);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('rejects a window without a positive limit', () => {
    expect(() => new SlidingWindowLimiter([{ limit: 0, windowMs: 1000 }])).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2023-10-10T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 10 Oct 2023 00:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Mon, 09 Oct 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
