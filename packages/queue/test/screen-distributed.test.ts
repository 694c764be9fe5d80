/**
 * Distributed screening on a real Redis (redis-server.ts) with real `hoshimi worker` processes
 * (packages/cli/bin/hoshimi.js, built by `npx tsc -b`): the same conjunctions as screenParallel,
 * streamed unit by unit (screenDistributedStream, Redis holding only the results not yet merged), a
 * worker killed mid-unit, a worker handing its unit back, Redis killed and restarted
 * mid-screening (with its append-only file: the screening finishes with the same result; without:
 * it fails at once with UNIT_LOST), a killed coordinator, cancellation, a unit that always throws,
 * `hoshimi screen --queue` against the threaded report (JSON, and the streamed CSV), and the errors
 * of a bad URL or an absent Redis.
 * Without redis-server the file skips with the reason, unless CI is set: in CI it fails.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, parseTleText } from '@hoshimi/astro';
import type { Conjunction, ScreeningOptions, ScreeningResult } from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueError } from '../src/errors.js';
import { screenDistributed, screenDistributedStream } from '../src/screen-distributed.js';
import { QUEUE_PREFIX, SCREENING_QUEUE, screeningKeys, unitJobId } from '../src/units.js';
import { isCi, type RedisTestServer, redisUnavailable, startRedis } from './redis-server.js';

const REPO = resolve(import.meta.dirname, '../../..');
const CLI = join(REPO, 'packages/cli/bin/hoshimi.js');
const DATA = resolve(process.env['HOSHIMI_REFERENCE_DATA'] ?? join(REPO, '../shared/data'));
const START = { jd: 2460226.5, jdFrac: 0 };
/**
 * As in screenParallel's own test: units and threads refine the same minima from nearly the same
 * guesses (a unit's first knots are computed afresh, not carried), so TCAs agree to well below a
 * microsecond... within this bound, and misses to SGP4's Kepler-solver noise (nanometres).
 */
const SAME_TCA_S = 1e-4;
const SAME_MISS_KM = 1e-8;
/** Test workers: a worker silent for 2 s is dead; the stalled check runs every second. */
const WORKER_FLAGS = ['--lock-ms', '2000', '--stalled-check-ms', '1000'];
/** Unit threads of the shared workers (one process with two, one with one): the units in flight at most. */
const SHARED_THREADS = 3;
/** Interval of the test's own look at the results hash, ms (a few per unit, which takes about a second). */
const SAMPLE_MS = 20;

/** A `hoshimi worker` process and what it wrote on stderr. */
class WorkerProcess {
  readonly proc: ChildProcess;
  log = '';
  constructor(url: string, extra: readonly string[] = []) {
    this.proc = spawn(process.execPath, [CLI, 'worker', '--queue', url, ...WORKER_FLAGS, ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
  }
  /** Resolves with the first match of `re` in the log (polled). */
  async waitFor(re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.log.match(re);
      if (m !== null) return m;
      if (this.proc.exitCode !== null) throw new Error(`worker exited (${this.proc.exitCode}): ${this.log}`);
      if (Date.now() > deadline)
        throw new Error(`worker did not log ${re} within ${timeoutMs} ms: ${this.log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async ready(): Promise<this> {
    await this.waitFor(/taking screening units/);
    return this;
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    const exited = new Promise<number | null>((r) => this.proc.once('exit', (code) => r(code)));
    this.proc.kill(signal);
    return exited;
  }
}

function expectSameResult(got: ScreeningResult, want: ScreeningResult): void {
  expect(got.conjunctions.length).toBe(want.conjunctions.length);
  for (let k = 0; k < want.conjunctions.length; k++) {
    const a = want.conjunctions[k]!;
    const b = got.conjunctions[k]!;
    expect(b.primary.catalogNumber).toBe(a.primary.catalogNumber);
    expect(b.secondary.catalogNumber).toBe(a.secondary.catalogNumber);
    expect(Math.abs(b.tcaSecondsFromStart - a.tcaSecondsFromStart)).toBeLessThan(SAME_TCA_S);
    expect(Math.abs(b.missKm - a.missKm)).toBeLessThan(SAME_MISS_KM);
  }
  // No pair twice at one TCA (a unit run twice or a boundary minimum kept twice).
  const seen = new Set<string>();
  for (const c of got.conjunctions) {
    const key = `${c.primary.index},${c.secondary.index},${Math.round(c.tcaSecondsFromStart)}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
  }
  // Counters that do not depend on how the window was cut (knots and raw events do).
  for (const k of [
    'objects',
    'screened',
    'tooOld',
    'initFailed',
    'steps',
    'objectSteps',
    'events',
  ] as const) {
    expect(got.stats[k], k).toBe(want.stats[k]);
  }
  expect(got.losses).toEqual(want.losses);
  expect(got.warnings).toEqual(want.warnings);
}

/** Every state a screening's unit jobs are in ('unknown' once removed). */
async function unitStates(url: string, screeningId: string, units: number): Promise<string[]> {
  const queue = new Queue(SCREENING_QUEUE, { connection: { url }, prefix: QUEUE_PREFIX });
  try {
    return await Promise.all(
      Array.from({ length: units }, (_, k) => queue.getJobState(unitJobId(screeningId, k))),
    );
  } finally {
    await queue.close();
  }
}

async function existingKeys(url: string, screeningId: string): Promise<string[]> {
  const client = new Redis(url);
  try {
    const keys = screeningKeys(screeningId);
    const names = [keys.input, keys.results, keys.progress];
    const there = await Promise.all(names.map((n) => client.exists(n)));
    return names.filter((_, i) => there[i] === 1);
  } finally {
    client.disconnect();
  }
}

const unavailable = redisUnavailable();

if (unavailable !== null && !isCi()) {
  console.warn(`distributed screening tests skipped: ${unavailable}`);
  describe.skip(`distributed screening (skipped: ${unavailable})`, () => {
    it('screens through a real Redis with worker processes', () => undefined);
  });
} else {
  let catalog: ElementSet[] = [];
  /** Every 10th object of the 2023 catalog (2,614), one day: 68 blocks. */
  let subset: ElementSet[] = [];
  const subsetOptions: ScreeningOptions = { start: START, durationDays: 1 };
  let subsetReference: ScreeningResult | undefined;
  let redis: RedisTestServer | undefined;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    const parsed = parseTleText(
      gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString(),
    );
    if (!parsed.ok) throw new Error('catalog did not parse');
    catalog = parsed.value.records.map((r) => r.elements);
    subset = catalog.filter((_, i) => i % 10 === 0);
    redis = await startRedis();
    // One worker with two threads, one with one: units of a screening on several threads of a process too.
    workers = await Promise.all([
      new WorkerProcess(redis.url, ['--concurrency', '2']).ready(),
      new WorkerProcess(redis.url).ready(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });
  const url = (): string => {
    if (redis === undefined) throw new Error('the Redis test server did not start');
    return redis.url;
  };
  const reference = async (): Promise<ScreeningResult> => {
    subsetReference ??= await screenParallel(subset, subsetOptions, { workers: 2 });
    return subsetReference;
  };

  describe('screenDistributed', () => {
    it('gives the conjunctions of screenParallel, with two worker processes', async () => {
      const want = await reference();
      let last = 0;
      let total = 0;
      let screeningId = '';
      const got = await screenDistributed(subset, subsetOptions, {
        connection: url(),
        unitBlocks: 4,
        onQueued: (id) => {
          screeningId = id;
        },
        onProgress: (done, all) => {
          expect(done).toBeGreaterThanOrEqual(last);
          last = done;
          total = all;
        },
      });
      expect(want.conjunctions.length).toBeGreaterThan(20);
      expectSameResult(got, want);
      expect(total).toBe(68);
      expect(last).toBe(total);
      // Both processes took units, and nothing of the screening is left in Redis.
      for (const w of workers) expect(w.log).toMatch(new RegExp(`unit \\d+/17 of ${screeningId}.*: done`));
      expect(await existingKeys(url(), screeningId)).toEqual([]);
      expect(new Set(await unitStates(url(), screeningId, 17))).toEqual(new Set(['unknown']));
    });

    it('streams the same conjunctions unit by unit, removing each result from Redis once merged', async () => {
      const want = await reference();
      const screeningId = `stream-${Date.now()}`;
      const keys = screeningKeys(screeningId);
      const sampler = new Redis(url());
      let sampling = true;
      let maxFields = 0;
      let samples = 0;
      const sampled = (async () => {
        while (sampling) {
          maxFields = Math.max(maxFields, await sampler.hlen(keys.results));
          samples++;
          await new Promise((r) => setTimeout(r, SAMPLE_MS));
        }
      })();
      const streamed: Conjunction[] = [];
      let batchesSeen = 0;
      let summary: Awaited<ReturnType<typeof screenDistributedStream>>;
      try {
        summary = await screenDistributedStream(subset, subsetOptions, {
          connection: url(),
          unitBlocks: 4,
          screeningId,
          // Polls well inside a unit's time, so a finished unit is merged before its thread finishes another.
          pollMs: 50,
          onConjunctions: async (batch) => {
            batchesSeen++;
            // Batches continue each other in TCA order.
            const last = streamed[streamed.length - 1];
            if (last !== undefined)
              expect(batch[0]!.tcaSecondsFromStart).toBeGreaterThanOrEqual(last.tcaSecondsFromStart);
            for (const c of batch) streamed.push(c);
            await new Promise((r) => setTimeout(r, 1));
          },
        });
      } finally {
        sampling = false;
        await sampled;
        sampler.disconnect();
      }
      console.log(
        `stream: ${summary.conjunctionCount} conjunctions in ${summary.batches} batches, ` +
          `at most ${summary.peakPendingEvents} events held, at most ${maxFields} results in Redis (sampled), ` +
          `${summary.peakStoredResults} (coordinator), ${summary.units} units`,
      );
      expectSameResult(
        { conjunctions: streamed, stats: summary.stats, warnings: summary.warnings, losses: summary.losses },
        want,
      );
      for (let k = 1; k < streamed.length; k++) {
        expect(streamed[k]!.tcaSecondsFromStart).toBeGreaterThanOrEqual(streamed[k - 1]!.tcaSecondsFromStart);
      }
      expect(summary.units).toBe(17);
      expect(summary.conjunctionCount).toBe(want.conjunctions.length);
      expect(summary.batches).toBe(batchesSeen);
      // Released as the units came in, not all at the end, and never all events held at once.
      expect(batchesSeen).toBeGreaterThan(1);
      expect(summary.peakPendingEvents).toBeLessThan(want.conjunctions.length);
      // Redis held at most the results of the units in flight, never all of them.
      expect(samples).toBeGreaterThan(10);
      expect(maxFields).toBeLessThanOrEqual(SHARED_THREADS);
      expect(summary.peakStoredResults).toBeLessThanOrEqual(SHARED_THREADS);
      expect(await existingKeys(url(), screeningId)).toEqual([]);
    });

    it('re-runs the unit of a worker killed while it holds it, and the result stays the same', async () => {
      // Half the catalog (13,070 objects), 6 hours: a unit (set-up, then 4 blocks) lasts about a
      // second on an idle core. A Redis of its own, so that the victim is the only worker when the
      // units are queued; it is killed as soon as it says it has started a unit.
      const half = catalog.filter((_, i) => i % 2 === 0);
      const options: ScreeningOptions = { start: START, durationDays: 0.25 };
      const want = await screenParallel(half, options, { workers: 2 });
      const own = await startRedis();
      const victim = await new WorkerProcess(own.url).ready();
      let rescuer: WorkerProcess | undefined;
      try {
        let screeningId = '';
        const run = screenDistributed(half, options, {
          connection: own.url,
          unitBlocks: 4,
          onQueued: (id) => {
            screeningId = id;
          },
        });
        const held = await victim.waitFor(/unit (\d+)\/5 of (\S+) \(blocks [^)]*\): started/);
        victim.proc.kill('SIGKILL');
        await new Promise((r) => victim.proc.once('exit', r));
        const label = held[0].replace(/: started$/, '');
        expect(victim.log).not.toContain(`${label}: done`);
        rescuer = await new WorkerProcess(own.url).ready();
        const got = await run;
        expect(held[2]).toBe(screeningId);
        expectSameResult(got, want);
        // The other worker ran the unit the killed one held, and every other unit, once each.
        expect(rescuer.log).toContain(`${label}: done`);
        expect(rescuer.log.match(/: done/g)?.length).toBe(5);
      } finally {
        await rescuer?.stop();
        await own.stop();
      }
    });

    it('hands a running unit back to the queue on a second SIGTERM, without using an attempt', async () => {
      const want = await reference();
      const own = await startRedis();
      const leaving = await new WorkerProcess(own.url).ready();
      let other: WorkerProcess | undefined;
      try {
        const run = screenDistributed(subset, subsetOptions, { connection: own.url, unitBlocks: 34 });
        const held = await leaving.waitFor(/unit \d+\/2 of \S+ \(blocks [^)]*\): started \(attempt 1\)/);
        const label = held[0].replace(/: started \(attempt 1\)$/, '');
        leaving.proc.kill('SIGTERM');
        await leaving.waitFor(/finishing the running units/);
        const code = await leaving.stop('SIGTERM');
        expect(code).toBe(0);
        expect(leaving.log).toContain(`${label}: handed back after block`);
        expect(leaving.log).not.toContain(`${label}: done`);
        other = await new WorkerProcess(own.url).ready();
        expectSameResult(await run, want);
        // The unit ran again from its start, still its first attempt.
        expect(other.log).toContain(`${label}: started (attempt 1)`);
        expect(other.log).toContain(`${label}: done`);
      } finally {
        await other?.stop();
        await own.stop();
      }
    });

    it('rejects with the reason of a cancellation, leaving no units waiting and no keys', async () => {
      const controller = new AbortController();
      let screeningId = '';
      const reason = new Error('stopped by the test');
      const run = screenDistributed(subset, subsetOptions, {
        connection: url(),
        unitBlocks: 1,
        signal: controller.signal,
        onQueued: (id) => {
          screeningId = id;
        },
        onProgress: (done) => {
          if (done >= 5) controller.abort(reason);
        },
      });
      await expect(run).rejects.toBe(reason);
      const states = await unitStates(url(), screeningId, 68);
      expect(states.filter((s) => s !== 'unknown')).toEqual([]);
      expect(await existingKeys(url(), screeningId)).toEqual([]);
      // The workers stopped the units they were running at the flag (or had finished them).
      for (const w of workers) expect(w.log).not.toMatch(new RegExp(`of ${screeningId} .*: failed`));
    });

    it('drops the units of a screening whose coordinator was killed, once its heartbeat expires', async () => {
      // A coordinator in a process of its own (the built library), killed once a unit runs.
      const lib = (p: string) => pathToFileURL(join(REPO, p)).href;
      const script = `
        import { readFileSync } from 'node:fs';
        import { gunzipSync } from 'node:zlib';
        import { parseTleText } from '${lib('packages/astro/dist/index.js')}';
        import { screenDistributed } from '${lib('packages/queue/dist/index.js')}';
        const text = gunzipSync(readFileSync(${JSON.stringify(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz'))})).toString();
        const elements = parseTleText(text).value.records.filter((_, i) => i % 2 === 0).map((r) => r.elements);
        await screenDistributed(elements, { start: { jd: 2460226.5, jdFrac: 0 }, durationDays: 3 }, {
          connection: ${JSON.stringify(url())}, unitBlocks: 1, heartbeatMs: 1500,
          onQueued: (id, units) => console.log('queued ' + id + ' ' + units),
        });`;
      const coordinator = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      coordinator.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const deadline = Date.now() + 60_000;
      while (!/queued (\S+) (\d+)/.test(out)) {
        if (Date.now() > deadline || coordinator.exitCode !== null) throw new Error(`coordinator: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const [, screeningId = '', count = '0'] = /queued (\S+) (\d+)/.exec(out)!;
      // Half the catalog, 3 days of one-block units (≈200): far more work than the workers can
      // finish before the heartbeat expires, however quiet the machine.
      const units = Number(count);
      await Promise.race(workers.map((w) => w.waitFor(new RegExp(`of ${screeningId} .*: started`))));
      coordinator.kill('SIGKILL');
      await new Promise((r) => coordinator.once('exit', r));
      // Within seconds of the heartbeat's expiry no unit is left in the queue, most never run.
      const until = Date.now() + 30_000;
      let states: string[] = [];
      for (;;) {
        states = await unitStates(url(), screeningId, units);
        if (states.every((x) => x === 'unknown') || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(states.filter((x) => x !== 'unknown')).toEqual([]);
      expect(workers.some((w) => new RegExp(`of ${screeningId} .*no coordinator any more`).test(w.log))).toBe(
        true,
      );
      const done = workers.reduce(
        (n, w) => n + (w.log.match(new RegExp(`of ${screeningId} [^\\n]*: done`, 'g'))?.length ?? 0),
        0,
      );
      expect(done).toBeLessThan(units);
    });

    it('fails with the unit, its attempts and its error when a unit always throws', async () => {
      // An element set without its epoch: every worker's set-up throws, on every attempt.
      const broken = subset
        .slice(0, 50)
        .map((e, i) => (i === 7 ? ({ ...e, epoch: undefined } as unknown as ElementSet) : e));
      let screeningId = '';
      const run = screenDistributed(broken, subsetOptions, {
        connection: url(),
        unitBlocks: 34,
        attempts: 3,
        backoffMs: 50,
        onQueued: (id) => {
          screeningId = id;
        },
      });
      const e = await run.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(QueueError);
      expect((e as QueueError).code).toBe('UNIT_FAILED');
      expect((e as QueueError).message).toMatch(
        /^unit [12] of 2 \(blocks \d+-\d+\) failed after 3 attempts: screening set-up failed: TypeError/,
      );
      expect((e as QueueError).details['attempts']).toBe(3);
      expect(await existingKeys(url(), screeningId)).toEqual([]);
      // The workers live on.
      for (const w of workers) expect(w.proc.exitCode).toBeNull();
    });

    it('says which URL is wrong or unreachable, at once', async () => {
      const bad = await screenDistributed(subset, subsetOptions, {
        connection: 'http://127.0.0.1:6379',
      }).catch((x: unknown) => x);
      expect((bad as QueueError).code).toBe('QUEUE_BAD_URL');
      const t0 = Date.now();
      // A port nothing listens on: the test server's, stopped below would race; use port 1.
      const down = await screenDistributed(subset, subsetOptions, {
        connection: 'redis://127.0.0.1:1',
      }).catch((x: unknown) => x);
      expect((down as QueueError).code).toBe('QUEUE_UNREACHABLE');
      expect((down as QueueError).message).toContain('redis://127.0.0.1:1');
      expect(Date.now() - t0).toBeLessThan(10_000);
    });
  });

  describe('hoshimi worker', () => {
    it('refuses a bad or unreachable queue with exit status 2 and a clear line', () => {
      const run = (args: string[]) =>
        spawnSync(process.execPath, [CLI, 'worker', ...args], { encoding: 'utf8' });
      const none = run([]);
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('--queue redis://HOST:PORT is required');
      const bad = run(['--queue', 'localhost:6379']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('[QUEUE_BAD_URL]');
      const down = run(['--queue', 'redis://127.0.0.1:1']);
      expect(down.status).toBe(2);
      expect(down.stderr).toMatch(/\[QUEUE_UNREACHABLE\] cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
      const conc = run(['--queue', 'redis://127.0.0.1:1', '--concurrency', '0']);
      expect(conc.status).toBe(2);
      expect(conc.stderr).toContain('--concurrency');
    });
  });

  describe('hoshimi screen --queue', () => {
    it('writes the report of the threaded run', () => {
      const dir = mkdtempSync(join(tmpdir(), 'hoshimi-screen-queue-'));
      try {
        // Every 10th object of the 2023 catalog as a 3LE file, half a day.
        const lines = gunzipSync(readFileSync(join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz')))
          .toString()
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '');
        const records: string[] = [];
        for (let k = 0; k + 2 < lines.length; k += 30) records.push(lines.slice(k, k + 3).join('\n'));
        const file = join(dir, 'subset.3le');
        writeFileSync(file, `${records.join('\n')}\n`);
        const common = ['screen', '--elements', file, '--from', '2023-10-09T00:00:00Z', '--days', '0.5'];
        const screen = (args: string[]) =>
          spawnSync(process.execPath, [CLI, ...common, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const threads = screen(['--workers', '2', '--out', join(dir, 'threads.json')]);
        expect(threads.status, threads.stderr).toBe(0);
        const queued = screen(['--queue', url(), '--unit-blocks', '3', '--out', join(dir, 'queue.json')]);
        expect(queued.status, queued.stderr).toBe(0);
        type Report = { conjunctions: { id1: string; id2: string; tca_utc: string; miss_km: number }[] };
        const a = JSON.parse(readFileSync(join(dir, 'threads.json'), 'utf8')) as Report;
        const b = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8')) as Report;
        expect(a.conjunctions.length).toBeGreaterThan(10);
        expect(b.conjunctions.length).toBe(a.conjunctions.length);
        a.conjunctions.forEach((x, k) => {
          const y = b.conjunctions[k]!;
          expect([y.id1, y.id2]).toEqual([x.id1, x.id2]);
          expect(Math.abs(Date.parse(y.tca_utc) - Date.parse(x.tca_utc))).toBeLessThanOrEqual(1);
          expect(Math.abs(y.miss_km - x.miss_km)).toBeLessThan(SAME_MISS_KM);
        });
        // A CSV report is streamed on the queue too (units merged as they finish): the threaded rows.
        const threadsCsv = screen(['--workers', '2', '--out', join(dir, 'threads.csv')]);
        expect(threadsCsv.status, threadsCsv.stderr).toBe(0);
        const queuedCsv = screen(['--queue', url(), '--unit-blocks', '3', '--out', join(dir, 'queue.csv')]);
        expect(queuedCsv.status, queuedCsv.stderr).toBe(0);
        expect(queuedCsv.stderr).toMatch(/streamed in \d+ batches \(at most \d+ events held/);
        const rows = (f: string) => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n');
        const csvA = rows('threads.csv');
        const csvB = rows('queue.csv');
        expect(csvA.length).toBe(a.conjunctions.length + 1);
        expect(csvB.length).toBe(csvA.length);
        expect(csvB[0]).toBe(csvA[0]);
        const missColumn = csvA[0]!.split(',').indexOf('miss_km');
        csvA.slice(1).forEach((x, k) => {
          const fx = x.split(',');
          const fy = csvB[k + 1]!.split(',');
          // Same pair and TCA in the same order; the miss within SAME_MISS_KM (the printed digits).
          expect(fy.slice(0, missColumn)).toEqual(fx.slice(0, missColumn));
          expect(Math.abs(Number(fy[missColumn]) - Number(fx[missColumn]))).toBeLessThan(SAME_MISS_KM);
        });
        const header = csvA[0]!.split(',');
        const differing = new Set<string>();
        csvA.forEach((x, k) => {
          const fy = csvB[k]!.split(',');
          x.split(',').forEach((v, i) => {
            if (v !== fy[i]) differing.add(header[i] ?? String(i));
          });
        });
        console.log(
          `screen --queue CSV: ${csvB.length - 1} rows; columns differing in a last digit: ${[...differing]}`,
        );
        const bad = screen(['--queue', 'redis//nowhere']);
        expect(bad.status).toBe(2);
        expect(bad.stderr).toContain('[QUEUE_BAD_URL]');
        const both = screen(['--queue', url(), '--workers', '2']);
        expect(both.status).toBe(2);
        expect(both.stderr).toContain('--workers and --queue exclude each other');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('Redis restarted during a screening (append-only file on)', () => {
    it('finishes with the same conjunctions', async () => {
      const want = await reference();
      const aof = await startRedis({ appendOnly: true });
      const own = await Promise.all([new WorkerProcess(aof.url).ready(), new WorkerProcess(aof.url).ready()]);
      try {
        let restarted: Promise<void> | undefined;
        let afterRestart = -1;
        let lastDone = 0;
        const got = await screenDistributed(subset, subsetOptions, {
          connection: aof.url,
          unitBlocks: 2,
          timeoutMs: 120_000,
          onProgress: (done) => {
            lastDone = done;
            if (restarted === undefined && done >= 10) {
              restarted = aof.restart().then(() => {
                afterRestart = lastDone;
              });
            }
          },
        });
        await restarted;
        // The restart happened mid-screening, and the screening went on afterwards.
        expect(afterRestart).toBeGreaterThanOrEqual(10);
        expect(afterRestart).toBeLessThan(68);
        expectSameResult(got, want);
        for (const w of own) expect(w.log).toContain('connected again');
      } finally {
        await Promise.all(own.map((w) => w.stop()));
        await aof.stop();
      }
    });
  });
  describe('Redis restarted during a screening without persistence', () => {
    it('fails at once, saying the units vanished', async () => {
      const bare = await startRedis();
      const own = await Promise.all([
        new WorkerProcess(bare.url).ready(),
        new WorkerProcess(bare.url).ready(),
      ]);
      try {
        let restarted: Promise<void> | undefined;
        const t0 = Date.now();
        const e = await screenDistributed(subset, subsetOptions, {
          connection: bare.url,
          unitBlocks: 2,
          timeoutMs: 120_000,
          onProgress: (done) => {
            if (restarted === undefined && done >= 10) restarted = bare.restart();
          },
        }).catch((x: unknown) => x);
        await restarted;
        expect(e).toBeInstanceOf(QueueError);
        expect((e as QueueError).code).toBe('UNIT_LOST');
        expect((e as QueueError).message).toMatch(/vanished from the queue without a result/);
        // Long before the timeout: the loss is seen at the next look at the units.
        expect(Date.now() - t0).toBeLessThan(60_000);
      } finally {
        await Promise.all(own.map((w) => w.stop()));
        await bare.stop();
      }
    });
  });
}
