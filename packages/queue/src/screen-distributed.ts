/**
 * Catalog conjunction screening on a Redis queue (BullMQ): the same result as screenParallel of
 * @hoshimi/node, computed by any number of worker processes (`hoshimi worker`) on any machines.
 *
 * The coordinator stores the input once (units.ts), adds one BullMQ job per unit, follows the units
 * by polling Redis, and merges the units' results with mergeScreeningEvents, the merge of
 * screenParallel: the units partition the window's blocks, and a minimum refined from both sides
 * of a unit boundary is kept once.
 *
 * Why units are time windows and not also object blocks: the engine's work is per grid step, over
 * all objects at once (one cell grid per step finds every close pair). Ranges of blocks partition
 * that work exactly: each step is screened by one unit, every unit's cost is its share. Splitting
 * the objects instead (each unit screening one block of primaries against all objects, primaries
 * mode) would have every unit propagate and grid nearly the whole catalog again (the secondaries
 * kept are all that overlap the primaries' altitudes), so k object blocks would cost almost k full
 * screenings, and pairs inside and across blocks would come from several units. So a unit is a
 * block range, and the number of units (window / unitBlocks) sets the parallelism.
 *
 * Faults: a unit that throws is retried with exponential backoff (`attempts`, `backoffMs`); a unit
 * whose worker died is put back by BullMQ's stalled-job check (unit-worker.ts); a unit that fails
 * for good fails the screening with its number, blocks, attempts and last error (UNIT_FAILED). While
 * Redis is unreachable the coordinator keeps polling for `redisDownMs`, then fails
 * (QUEUE_UNREACHABLE); a unit whose job vanished (a Redis restarted without its append-only file)
 * fails the screening (UNIT_LOST). `timeoutMs` bounds the whole screening (SCREENING_TIMEOUT).
 * Cancellation (`signal`): the cancel flag is set (running units stop after their block), waiting
 * units are removed, and the promise rejects with the signal's reason. On every ending the
 * screening's keys and jobs are removed. The coordinator renews a heartbeat key at every poll: if it
 * dies (an interrupted `hoshimi screen --queue`), workers drop its units once the heartbeat expires
 * (redisDownMs + 30 s).
 */
import { randomUUID } from 'node:crypto';
import type { ElementSet } from '@hoshimi/astro';
import {
  addScreeningStats,
  mergeScreeningEvents,
  resolveScreeningOptions,
  type ScreeningOptions,
  type ScreeningResult,
  screeningBlockCount,
} from '@hoshimi/astro/conjunction';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRedisReachable, failingClient, redactUrl } from './connection.js';
import { QueueError } from './errors.js';
import {
  decodeResult,
  encodeInput,
  QUEUE_PREFIX,
  SCREENING_QUEUE,
  screeningKeys,
  splitBlocks,
  UNIT_JOB_NAME,
  type UnitJobData,
  type UnitResult,
  unitJobId,
} from './units.js';

/**
 * Default blocks per unit. A block is 2^knotLevels steps (21 min 20 s by default), so 8 blocks
 * cover 2.8 hours of the window: 60 units for a week, enough to spread over tens of workers, each
 * long enough (seconds of a full catalog) that the queue's per-unit cost (a set-up per screening
 * and thread, a few Redis round trips per block) stays small.
 */
export const DEFAULT_UNIT_BLOCKS = 8;
/** Default attempts per unit (the first run and two retries). */
export const DEFAULT_ATTEMPTS = 3;
/** Default first retry delay, ms (doubling per attempt). */
export const DEFAULT_BACKOFF_MS = 1000;
/** Default interval of the coordinator's polls, ms. */
export const DEFAULT_POLL_MS = 250;
/**
 * The coordinator's heartbeat lasts its tolerated Redis outage plus this, ms: units of a screening
 * whose coordinator went away are dropped by the workers after at most that long.
 */
const ALIVE_MARGIN_MS = 30_000;
/** Polls between two looks at the open units' job states. */
const STATE_EVERY_POLLS = 4;
/** Default time Redis may stay unreachable during a screening before it fails, ms. */
export const DEFAULT_REDIS_DOWN_MS = 60_000;
/** Default lifetime of the screening's keys in Redis, s (they are removed at the end anyway). */
export const DEFAULT_KEY_TTL_S = 86_400;
/** How long a cancelled or failed screening waits for its running units to stop, ms. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface DistributedScreeningOptions {
  /** Redis URL (redis://HOST:PORT). */
  readonly connection: string;
  /** Blocks per unit (default DEFAULT_UNIT_BLOCKS). */
  readonly unitBlocks?: number;
  /** Called when the blocks done change, with (blocks done, blocks total). */
  readonly onProgress?: (blocksDone: number, blocksTotal: number) => void;
  /** Stops the screening; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Bound of the whole screening, ms (default none). */
  readonly timeoutMs?: number;
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly pollMs?: number;
  readonly redisDownMs?: number;
  readonly keyTtlSec?: number;
  readonly stopGraceMs?: number;
  /**
   * Lifetime of the coordinator's heartbeat, ms (default redisDownMs + 30 s): workers drop the
   * units of a screening whose heartbeat has expired.
   */
  readonly heartbeatMs?: number;
  /** The screening id (default a fresh UUID); its keys and job ids derive from it. */
  readonly screeningId?: string;
  /** Called once the units are queued, with the screening id and the unit count. */
  readonly onQueued?: (screeningId: string, units: number) => void;
}

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new QueueError('QUEUE_OPTION', `${name} must be a positive integer, got ${v}`, {
      key: name,
      found: v,
    });
  }
  return v;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Screens a catalog through the queue; same options and result as screenParallel (see the header). */
export async function screenDistributed(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  dist: DistributedScreeningOptions,
): Promise<ScreeningResult> {
  const resolved = resolveScreeningOptions(options);
  const url = dist.connection;
  const unitBlocks = positiveInteger('unitBlocks', dist.unitBlocks ?? DEFAULT_UNIT_BLOCKS);
  const attempts = positiveInteger('attempts', dist.attempts ?? DEFAULT_ATTEMPTS);
  const pollMs = dist.pollMs ?? DEFAULT_POLL_MS;
  const redisDownMs = dist.redisDownMs ?? DEFAULT_REDIS_DOWN_MS;
  const ttlSec = positiveInteger('keyTtlSec', dist.keyTtlSec ?? DEFAULT_KEY_TTL_S);
  const signal = dist.signal;
  signal?.throwIfAborted();
  await checkRedisReachable(url);

  const blockCount = screeningBlockCount(resolved);
  const units = splitBlocks(blockCount, unitBlocks);
  const screeningId = dist.screeningId ?? randomUUID();
  const keys = screeningKeys(screeningId);
  const ids = units.map((_, k) => unitJobId(screeningId, k));
  let lastError: Error | undefined;
  const client: Redis = failingClient(url, (e) => {
    lastError = e;
  });
  const queue = new Queue<UnitJobData>(SCREENING_QUEUE, { connection: client, prefix: QUEUE_PREFIX });
  queue.on('error', (e) => {
    lastError = e;
  });
  const startedAt = Date.now();
  const aliveMs = positiveInteger('heartbeatMs', dist.heartbeatMs ?? redisDownMs + ALIVE_MARGIN_MS);
  let stopFlag = false;
  let onAbort: (() => void) | undefined;
  try {
    await client.set(keys.input, encodeInput({ elements, options }), 'EX', ttlSec);
    // The heartbeat outlives an outage the coordinator itself would sit out (redisDownMs).
    await client.set(keys.alive, '1', 'PX', aliveMs);
    await queue.addBulk(
      units.map((u, k) => ({
        name: UNIT_JOB_NAME,
        data: {
          screeningId,
          unit: k,
          units: units.length,
          first: u.first,
          end: u.end,
          blockCount,
          ttlSec,
        },
        opts: {
          jobId: ids[k]!,
          attempts,
          backoff: { type: 'exponential', delay: dist.backoffMs ?? DEFAULT_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: false,
        },
      })),
    );
    dist.onQueued?.(screeningId, units.length);

    const aborted = new Promise<never>((_, reject) => {
      if (signal === undefined) return;
      onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    let polls = 0;
    const progressOf = new Float64Array(units.length);
    let reported = -1;
    let downSince: number | null = null;
    const finished = new Set<number>();
    for (;;) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (dist.timeoutMs !== undefined && Date.now() - startedAt > dist.timeoutMs) {
        throw new QueueError(
          'SCREENING_TIMEOUT',
          `screening ${screeningId} did not finish within ${dist.timeoutMs / 1000} s: ${finished.size} of ${units.length} units done (are workers running? 'hoshimi worker --queue ${redactUrl(url)}')`,
          { screeningId, unitsDone: finished.size, units: units.length },
        );
      }
      try {
        const [doneFields, progress] = await Promise.all([
          client.hkeys(keys.results),
          client.hgetall(keys.progress),
          client.set(keys.alive, '1', 'PX', aliveMs),
        ]);
        for (const f of doneFields) finished.add(Number(f));
        for (const [f, v] of Object.entries(progress)) {
          const k = Number(f);
          if (k >= 0 && k < units.length) progressOf[k] = Math.max(progressOf[k]!, Number(v));
        }
        let blocksDone = 0;
        units.forEach((u, k) => {
          blocksDone += finished.has(k) ? u.end - u.first : Math.min(progressOf[k]!, u.end - u.first);
        });
        if (blocksDone !== reported) {
          reported = blocksDone;
          dist.onProgress?.(blocksDone, blockCount);
        }
        if (finished.size === units.length) break;
        // The units' states (failed, vanished) about once a second: one call per open unit.
        if (polls++ % STATE_EVERY_POLLS === 0) {
          await checkUnits(queue, client, keys.results, ids, units, finished, attempts);
        }
        downSince = null;
      } catch (e) {
        if (e instanceof QueueError) throw e;
        downSince ??= Date.now();
        if (Date.now() - downSince > redisDownMs) {
          throw new QueueError(
            'QUEUE_UNREACHABLE',
            `Redis at ${redactUrl(url)} unreachable for ${Math.round((Date.now() - downSince) / 1000)} s during screening ${screeningId} (${finished.size} of ${units.length} units done): ${(lastError ?? (e as Error)).message}`,
            { screeningId, url: redactUrl(url) },
          );
        }
      }
      await Promise.race([sleep(pollMs), aborted]);
    }

    const parts: UnitResult[] = [];
    const raw = await client.hgetallBuffer(keys.results);
    for (let k = 0; k < units.length; k++) {
      const bytes = raw[String(k)];
      if (bytes === undefined)
        throw new QueueError('UNIT_LOST', `the result of unit ${k + 1} vanished from Redis`);
      const r = decodeResult(bytes);
      if (r.first !== units[k]!.first || r.end !== units[k]!.end || r.setup.blockCount !== blockCount) {
        throw new QueueError(
          'QUEUE_BAD_DATA',
          `unit ${k + 1} came back for blocks ${r.first}-${r.end} of ${r.setup.blockCount}, expected ${units[k]!.first}-${units[k]!.end} of ${blockCount}`,
        );
      }
      parts.push(r);
    }
    const setup = parts[0]!.setup;
    const stats = { ...setup.stats };
    for (const p of parts) addScreeningStats(stats, p.stats);
    return mergeScreeningEvents(
      { elements, options: resolved, warnings: [...setup.warnings], setupLosses: setup.setupLosses },
      parts.map((p) => p.events),
      stats,
      parts.map((p) => p.losses),
    );
  } catch (e) {
    stopFlag = true;
    throw e;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    await cleanUp(client, queue, keys, ids, stopFlag, ttlSec, dist.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    await queue.close().catch(() => undefined);
    client.disconnect();
  }
}

/**
 * States of the units not yet done: a failed one fails the screening (its reason), a vanished one
 * too (unless its result arrived meanwhile).
 */
async function checkUnits(
  queue: Queue<UnitJobData>,
  client: Redis,
  resultsKey: string,
  ids: readonly string[],
  units: readonly { first: number; end: number }[],
  finished: Set<number>,
  attempts: number,
): Promise<void> {
  const open = ids.map((id, k) => ({ id, k })).filter(({ k }) => !finished.has(k));
  const states = await Promise.all(open.map(({ id }) => queue.getJobState(id)));
  for (let i = 0; i < open.length; i++) {
    const { id, k } = open[i]!;
    const state = states[i];
    const u = units[k]!;
    const what = `unit ${k + 1} of ${units.length} (blocks ${u.first}-${u.end})`;
    if (state === 'failed') {
      const job = await Job.fromId(queue, id);
      const reason = (job?.failedReason ?? 'no reason recorded').split('\n')[0];
      throw new QueueError(
        'UNIT_FAILED',
        `${what} failed after ${job?.attemptsMade ?? attempts} attempts: ${reason}`,
        { unit: k, first: u.first, end: u.end, attempts: job?.attemptsMade ?? attempts, reason },
      );
    }
    if (state === 'unknown' || state === 'completed') {
      // Completed jobs are removed at once: the result must be there.
      if ((await client.hexists(resultsKey, String(k))) === 1) {
        finished.add(k);
        continue;
      }
      if (state === 'completed') continue;
      throw new QueueError(
        'UNIT_LOST',
        `${what} vanished from the queue without a result (was Redis restarted without its append-only file, or the unit removed by hand?)`,
        { unit: k },
      );
    }
  }
}

/**
 * Removes the screening's jobs and keys. After a failure or cancellation (`stop`), first sets the
 * cancel flag (running units stop after their block) and waits up to `graceMs` for running units
 * to end; the flag itself expires after `ttlSec`.
 */
async function cleanUp(
  client: Redis,
  queue: Queue<UnitJobData>,
  keys: ReturnType<typeof screeningKeys>,
  ids: readonly string[],
  stop: boolean,
  ttlSec: number,
  graceMs: number,
): Promise<void> {
  try {
    if (stop) await client.set(keys.cancel, '1', 'EX', ttlSec);
    const deadline = Date.now() + graceMs;
    let left = [...ids];
    for (;;) {
      const removed = await Promise.all(left.map((id) => queue.remove(id)));
      const states = await Promise.all(
        left.map((id, i) => (removed[i] === 1 ? 'unknown' : queue.getJobState(id))),
      );
      left = left.filter((_, i) => states[i] !== 'unknown');
      if (left.length === 0 || Date.now() > deadline) break;
      await sleep(100);
    }
    await client.del(keys.input, keys.results, keys.progress, keys.alive);
    if (left.length === 0) await client.del(keys.cancel);
  } catch {
    // Redis is gone: the keys expire after ttlSec; units of a screening without input are dropped.
  }
}
