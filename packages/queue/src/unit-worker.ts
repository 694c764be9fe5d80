/**
 * The worker side of distributed screening: a BullMQ worker that takes screening units from Redis
 * and screens them on worker threads (the screening thread of @hoshimi/node, driven through its
 * message protocol), so that this process's event loop stays free to renew the units' locks while
 * a unit computes.
 *
 * - One thread per concurrency slot. A thread keeps the ScreeningRun of the last screening it set up
 *   (SGP4 initialisation, knot levels): the next unit of the same screening starts at once; a unit
 *   of another screening sets up afresh. The input is read from Redis once per screening.
 * - A unit is screened block by block: after each block the worker records the unit's progress and
 *   checks the screening's cancel flag and its coordinator's heartbeat (a unit of a cancelled
 *   screening, or of one whose coordinator is gone, stops there and is dropped).
 * - The result (events, counters, losses of the unit's blocks, and the run's set-up outcome) is
 *   written into the screening's results hash under the unit's number; a unit run twice writes the
 *   same field again.
 * - A unit whose screening is gone (finished, cancelled, expired: no input in Redis) is dropped.
 * - A worker that dies holding a unit stops renewing its lock: after `lockDurationMs`, BullMQ's
 *   stalled-job check (every `stalledIntervalMs`, run by every worker) puts the unit back in the
 *   queue for another worker, up to `maxStalledCount` times; a unit that throws is retried with
 *   backoff up to the job's attempts, then fails (and with it the screening).
 * - `close()` lets running units finish; `close({ handBack: true })` stops them after their current
 *   block and puts them back in the queue (no attempt used) for another worker.
 */
import { hostname } from 'node:os';
import { Worker as ThreadWorker } from 'node:worker_threads';
import {
  addScreeningStats,
  emptyScreeningStats,
  SCREENING_EVENT_STRIDE,
  type ScreeningStats,
} from '@hoshimi/astro/conjunction';
import { type FromScreeningWorker, screeningWorkerUrl, type ToScreeningWorker } from '@hoshimi/node';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkRedisReachable, redactUrl, waitingClient } from './connection.js';
import { QueueError } from './errors.js';
import {
  decodeInput,
  encodeResult,
  QUEUE_PREFIX,
  SCREENING_QUEUE,
  type ScreeningInput,
  screeningKeys,
  type UnitJobData,
  type UnitSetup,
} from './units.js';

/** Default lock of a unit, ms: a worker that stops renewing it for this long is taken for dead. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
/** Default interval of the stalled-unit check, ms. */
export const DEFAULT_STALLED_INTERVAL_MS = 15_000;
/** Default times a unit may be taken back from a dead worker before it fails. */
export const DEFAULT_MAX_STALLED_COUNT = 3;

export interface ScreeningWorkerOptions {
  /** Redis URL (redis://HOST:PORT). */
  readonly connection: string;
  /** Units screened at once, one thread each (default 1). */
  readonly concurrency?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly maxStalledCount?: number;
  /** Name shown in BullMQ's job records (default host:pid). */
  readonly name?: string;
  /** One line per unit started, finished, dropped or failed, and per connection problem. */
  readonly log?: (line: string) => void;
}

export interface ScreeningWorkerHandle {
  /** Units finished (results written) by this worker. */
  readonly unitsDone: () => number;
  /**
   * Stops taking units. Running units finish (default), or with `handBack` stop after their
   * current block and go back to the queue.
   */
  close(options?: { readonly handBack?: boolean }): Promise<void>;
}

/** A thread and the screening it holds set up. */
interface Slot {
  thread: ThreadWorker;
  screeningId: string | null;
  setup: UnitSetup | null;
  busy: boolean;
  /** Resolves the message the unit waits for; thread failures reject it. */
  waiter: { resolve: (m: FromScreeningWorker) => void; reject: (e: Error) => void } | null;
}

function newThread(slot: Slot): ThreadWorker {
  const t = new ThreadWorker(screeningWorkerUrl());
  t.on('message', (m: FromScreeningWorker) => {
    if (m.type === 'block') return;
    const w = slot.waiter;
    slot.waiter = null;
    w?.resolve(m);
  });
  const die = (e: Error) => {
    const w = slot.waiter;
    slot.waiter = null;
    slot.screeningId = null;
    slot.setup = null;
    slot.thread = newThread(slot);
    w?.reject(e);
  };
  t.on('error', die);
  t.on('exit', (code) => {
    if (slot.thread === t && !closing.has(t)) die(new Error(`screening thread exited with code ${code}`));
  });
  return t;
}

/** Threads being terminated on purpose (their exit is no failure). */
const closing = new WeakSet<ThreadWorker>();

function ask(slot: Slot, msg: ToScreeningWorker): Promise<FromScreeningWorker> {
  return new Promise((resolve, reject) => {
    slot.waiter = { resolve, reject };
    slot.thread.postMessage(msg);
  });
}

/** Starts a worker; throws QueueError (QUEUE_BAD_URL, QUEUE_UNREACHABLE) when Redis is not there. */
export async function startScreeningWorker(options: ScreeningWorkerOptions): Promise<ScreeningWorkerHandle> {
  const url = options.connection;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new QueueError('QUEUE_OPTION', `concurrency must be a positive integer, got ${concurrency}`);
  }
  await checkRedisReachable(url);
  const log = options.log ?? (() => undefined);
  let lastRedisError = '';
  const onRedisError = (e: Error) => {
    if (e.message !== lastRedisError) log(`Redis at ${redactUrl(url)}: ${e.message}`);
    lastRedisError = e.message;
  };
  const client: Redis = waitingClient(url, onRedisError);
  let lost = false;
  client.on('close', () => {
    if (!lost && closed === undefined) log(`Redis at ${redactUrl(url)}: connection lost, reconnecting`);
    lost = true;
  });
  client.on('ready', () => {
    if (lost) log(`Redis at ${redactUrl(url)}: connected again`);
    lost = false;
    lastRedisError = '';
  });
  const slots: Slot[] = [];
  for (let k = 0; k < concurrency; k++) {
    const slot: Slot = {
      thread: undefined as unknown as ThreadWorker,
      screeningId: null,
      setup: null,
      busy: false,
      waiter: null,
    };
    slot.thread = newThread(slot);
    slots.push(slot);
  }
  /** Decoded inputs of the latest screenings (one per slot at most). */
  const inputs = new Map<string, ScreeningInput>();
  let handBack = false;
  let done = 0;
  let closed: Promise<void> | undefined;

  const takeSlot = (screeningId: string): Slot => {
    const free = slots.filter((s) => !s.busy);
    const slot =
      free.find((s) => s.screeningId === screeningId) ?? free.find((s) => s.screeningId === null) ?? free[0];
    if (slot === undefined) throw new Error('no free screening thread (more units than the concurrency)');
    slot.busy = true;
    return slot;
  };

  const loadInput = async (screeningId: string): Promise<ScreeningInput | null> => {
    const cached = inputs.get(screeningId);
    if (cached !== undefined) return cached;
    const bytes = await client.getBuffer(screeningKeys(screeningId).input);
    if (bytes === null) return null;
    const input = decodeInput(bytes);
    inputs.set(screeningId, input);
    // Keep the inputs some slot still holds, plus this one.
    const held = new Set(slots.map((s) => s.screeningId));
    for (const id of inputs.keys()) if (id !== screeningId && !held.has(id)) inputs.delete(id);
    return input;
  };

  const processUnit = async (
    job: Job<UnitJobData>,
    token?: string,
  ): Promise<{ events: number } | { dropped: string }> => {
    const d = job.data;
    const keys = screeningKeys(d.screeningId);
    const label = `unit ${d.unit + 1}/${d.units} of ${d.screeningId} (blocks ${d.first}-${d.end})`;
    const stopped = await whyStopped(client, keys);
    if (stopped !== null) {
      log(`${label}: ${stopped}, dropped`);
      return { dropped: stopped };
    }
    const input = await loadInput(d.screeningId);
    if (input === null) {
      log(`${label}: the screening's input is gone (finished, cancelled or expired), dropped`);
      return { dropped: 'no input' };
    }
    const slot = takeSlot(d.screeningId);
    try {
      log(`${label}: started (attempt ${job.attemptsMade + 1})`);
      if (slot.screeningId !== d.screeningId || slot.setup === null) {
        slot.screeningId = null;
        const ready = await ask(slot, { type: 'init', elements: input.elements, options: input.options });
        if (ready.type === 'error') throw new Error(`screening set-up failed: ${ready.message}`);
        if (ready.type !== 'ready') throw new Error(`screening thread answered ${ready.type} to init`);
        slot.screeningId = d.screeningId;
        slot.setup = {
          blockCount: ready.blockCount,
          stats: ready.stats,
          warnings: ready.warnings,
          setupLosses: ready.setupLosses,
        };
      }
      const setup = slot.setup;
      if (setup.blockCount !== d.blockCount) {
        throw new Error(
          `the worker's run has ${setup.blockCount} blocks, the coordinator counted ${d.blockCount}`,
        );
      }
      const parts: Float64Array[] = [];
      const objectLosses: Float64Array[] = [];
      const refineLosses: Float64Array[] = [];
      const stats: ScreeningStats = emptyScreeningStats();
      for (let b = d.first; b < d.end; b++) {
        const m = await ask(slot, { type: 'slice', first: b, end: b + 1 });
        if (m.type === 'error') throw new Error(`block ${b} failed: ${m.message}`);
        if (m.type !== 'sliceDone') throw new Error(`screening thread answered ${m.type} to a slice`);
        parts.push(m.events);
        objectLosses.push(m.losses.objects);
        refineLosses.push(m.losses.refinements);
        addScreeningStats(stats, m.stats);
        await client
          .multi()
          .hset(keys.progress, String(d.unit), String(b + 1 - d.first))
          .expire(keys.progress, d.ttlSec)
          .exec();
        const stoppedNow = await whyStopped(client, keys);
        if (stoppedNow !== null) {
          log(`${label}: ${stoppedNow} after block ${b}, dropped`);
          return { dropped: stoppedNow };
        }
        if (handBack && b + 1 < d.end) {
          await job.moveToWait(token);
          log(`${label}: handed back after block ${b} (worker closing)`);
          throw new WaitingError();
        }
      }
      const result = encodeResult({
        unit: d.unit,
        first: d.first,
        end: d.end,
        setup,
        events: concat(parts),
        stats,
        losses: { objects: concat(objectLosses), refinements: concat(refineLosses) },
      });
      await client.multi().hset(keys.results, String(d.unit), result).expire(keys.results, d.ttlSec).exec();
      done++;
      log(`${label}: done, ${parts.reduce((n, p) => n + p.length, 0) / SCREENING_EVENT_STRIDE} raw events`);
      return { events: parts.reduce((n, p) => n + p.length, 0) / SCREENING_EVENT_STRIDE };
    } catch (e) {
      if (!(e instanceof WaitingError)) log(`${label}: failed: ${(e as Error).message.split('\n')[0]}`);
      throw e;
    } finally {
      slot.busy = false;
    }
  };

  const worker = new Worker<UnitJobData>(SCREENING_QUEUE, processUnit, {
    connection: client,
    prefix: QUEUE_PREFIX,
    concurrency,
    lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    name: options.name ?? `${hostname()}:${process.pid}`,
    // A short block on an empty queue: close() is not held up for long.
    drainDelay: 1,
  });
  worker.on('error', (e) => onRedisError(e));
  await worker.waitUntilReady();
  return {
    unitsDone: () => done,
    close(o = {}) {
      // A second call with handBack hands back the units a first, finishing close waits for.
      if (o.handBack === true) handBack = true;
      closed ??= (async () => {
        await worker.close();
        for (const s of slots) {
          closing.add(s.thread);
          await s.thread.terminate();
        }
        client.disconnect();
      })();
      return closed;
    },
  };
}

/** Why a screening's units should stop: cancelled, or its coordinator gone; null to go on. */
async function whyStopped(client: Redis, keys: ReturnType<typeof screeningKeys>): Promise<string | null> {
  const [cancelled, alive] = await Promise.all([client.exists(keys.cancel), client.exists(keys.alive)]);
  if (cancelled === 1) return 'screening cancelled';
  if (alive === 0) return 'the screening has no coordinator any more (interrupted, or finished)';
  return null;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
