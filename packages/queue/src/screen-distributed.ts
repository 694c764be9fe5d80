/**
 * Catalog conjunction screening on a Redis queue (BullMQ): the same result as screenParallel of
 * @hoshimi/node, computed by any number of worker processes (`hoshimi worker`) on any machines.
 *
 * The coordinator stores the input once (units.ts), adds one BullMQ job per unit and follows the
 * units by polling Redis. Each unit's result is read as soon as the unit is done, pushed into a
 * ScreeningStreamMerge (@hoshimi/astro conjunction, the streaming form of screenParallel's merge:
 * the units partition the window's blocks, and a minimum refined from both sides of a unit boundary
 * is kept once) and its field removed from Redis, so neither the coordinator nor Redis holds every
 * unit's events: screenDistributedStream hands the conjunctions on in TCA order as they become
 * final, and screenDistributed collects them into a ScreeningResult.
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
  type Conjunction,
  resolveScreeningOptions,
  type ScreeningOptions,
  type ScreeningResult,
  ScreeningStreamMerge,
  type ScreeningStreamSummary,
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

/** Options of the streaming distributed screening: those of screenDistributed and the consumer. */
export interface DistributedStreamOptions extends DistributedScreeningOptions {
  /**
   * Receives the conjunctions in TCA order, a batch whenever the units before them are merged. A
   * returned promise is awaited before the next unit is read; a rejection fails the screening.
   */
  readonly onConjunctions: (batch: readonly Conjunction[]) => void | Promise<void>;
}

/** What a streaming distributed screening returns: the summary and how much was held at most. */
export interface DistributedStreamSummary extends ScreeningStreamSummary {
  /** Conjunction batches handed to onConjunctions. */
  readonly batches: number;
  /** Units of the screening. */
  readonly units: number;
  /** Most unit results seen in Redis at one poll (each is removed once merged). */
  readonly peakStoredResults: number;
}

/** Screens a catalog through the queue; same options and result as screenParallel (see the header). */
export async function screenDistributed(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  dist: DistributedScreeningOptions,
): Promise<ScreeningResult> {
  const conjunctions: Conjunction[] = [];
  const summary = await screenDistributedStream(elements, options, {
    ...dist,
    onConjunctions: (batch) => {
      for (const c of batch) conjunctions.push(c);
    },
  });
  return { conjunctions, stats: summary.stats, warnings: summary.warnings, losses: summary.losses };
}

/**
 * Screens a catalog through the queue and streams the conjunctions: the same conjunctions in the
 * same order as screenDistributed and screenParallel, merged unit by unit as the units finish (see
 * the header), never all held at once.
 */
export async function screenDistributedStream(
  elements: readonly ElementSet[],
  options: ScreeningOptions,
  dist: DistributedStreamOptions,
): Promise<DistributedStreamSummary> {
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
  let merge: ScreeningStreamMerge | undefined;
  let batches = 0;
  let peakStoredResults = 0;
  /** An error of the merge or of onConjunctions: fails the screening at once (not a Redis outage). */
  let consumerError: unknown;
  const own = async (f: () => void | Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      consumerError = e;
      throw e;
    }
  };
  /** Reads, checks and merges unit k's result and hands on what became final (the caller removes the field). */
  const mergeUnit = async (k: number): Promise<void> => {
    const bytes = await client.hgetBuffer(keys.results, String(k));
    if (bytes === null) throw new QueueError('UNIT_LOST', `the result of unit ${k + 1} vanished from Redis`);
    const r = decodeResult(bytes);
    let batch: Conjunction[] = [];
    await own(() => {
      batch = pushUnit(r, k);
    });
    if (batch.length > 0) {
      batches++;
      await own(() => dist.onConjunctions(batch));
    }
  };
  const pushUnit = (r: UnitResult, k: number): Conjunction[] => {
    if (r.first !== units[k]!.first || r.end !== units[k]!.end || r.setup.blockCount !== blockCount) {
      throw new QueueError(
        'QUEUE_BAD_DATA',
        `unit ${k + 1} came back for blocks ${r.first}-${r.end} of ${r.setup.blockCount}, expected ${units[k]!.first}-${units[k]!.end} of ${blockCount}`,
      );
    }
    merge ??= new ScreeningStreamMerge(
      {
        elements,
        options: resolved,
        warnings: r.setup.warnings,
        setupLosses: r.setup.setupLosses,
        blockCount,
        blockSec: resolved.stepSec * 2 ** resolved.knotLevels,
      },
      r.setup.stats,
    );
    return merge.push({ first: r.first, end: r.end, events: r.events, stats: r.stats, losses: r.losses });
  };
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
        peakStoredResults = Math.max(peakStoredResults, doneFields.length);
        for (const f of doneFields) {
          const k = Number(f);
          if (!(Number.isInteger(k) && k >= 0 && k < units.length)) continue;
          if (finished.has(k)) {
            // Written again by a unit run twice (a worker thought dead that finished anyway).
            await client.hdel(keys.results, f);
            continue;
          }
          // A unit pushed again after an outage cut the removal short is ignored by the merge.
          await mergeUnit(k);
          finished.add(k);
          await client.hdel(keys.results, f);
        }
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
        if (e instanceof QueueError || e === consumerError) throw e;
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

    if (merge === undefined) throw new QueueError('UNIT_LOST', `screening ${screeningId} has no units`);
    return { ...merge.finish(), batches, units: units.length, peakStoredResults };
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
  finished: ReadonlySet<number>,
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
      // Completed jobs are removed at once: the result must be there (merged at the next poll).
      if ((await client.hexists(resultsKey, String(k))) === 1) continue;
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
