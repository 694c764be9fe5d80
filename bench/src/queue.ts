/**
 * Distributed screening (issue 15): one full-catalog screening (the 2023 catalog of 26,140 objects,
 * all-vs-all, 5 km, every element set as in the screening benchmark) in process (screenParallel,
 * one worker thread) and through a Redis queue (screenDistributed) with 1, 2 and 4 `hoshimi worker`
 * processes of concurrency 1, on a throwaway redis-server started here (Debian's package,
 * /usr/bin/redis-server or $HOSHIMI_REDIS_SERVER; loopback, no persistence). Prints each wall time,
 * its ratio to the in-process run (the queue's overhead with one worker, the scaling with more),
 * and the per-unit cost a capacity model needs: the workers' CPU seconds per unit and per
 * object-day (read from /proc before each worker stops), with the unit's length in blocks, and the
 * workers' CPU against the in-process run's (the overhead a shared machine's wall clock hides).
 * Window: 7 days, or $HOSHIMI_BENCH_QUEUE_DAYS (a shorter window for a quick run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScreeningOptions } from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import { DEFAULT_UNIT_BLOCKS, screenDistributed } from '@hoshimi/queue';
import { REPO_ROOT, record, seconds } from './harness.js';
import { readCatalog } from './screening.js';

const START = { jd: 2460226.5, jdFrac: 0 };
const THRESHOLD_KM = 5;
const WORKER_COUNTS = [1, 2, 4] as const;
const CLI = join(REPO_ROOT, 'packages/cli/bin/hoshimi.js');
/** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `proc`'s output matches `re`. */
function waitOutput(proc: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      if (re.test(out)) resolve();
    };
    proc.stdout?.on('data', on);
    proc.stderr?.on('data', on);
    proc.once('exit', (code) => reject(new Error(`${what} exited (${code}): ${out}`)));
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

export async function benchQueue(): Promise<void> {
  const days = Number(process.env['HOSHIMI_BENCH_QUEUE_DAYS'] ?? 7);
  const elements = readCatalog();
  const options: ScreeningOptions = {
    start: START,
    durationDays: days,
    thresholdKm: THRESHOLD_KM,
    maxElementAgeDays: Number.POSITIVE_INFINITY,
  };
  const bin = process.env['HOSHIMI_REDIS_SERVER'] ?? '/usr/bin/redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-redis-'));
  const port = await freePort();
  const redis = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await waitOutput(redis, /Ready to accept connections/, 'redis-server');
    const url = `redis://127.0.0.1:${port}`;
    console.log(
      `  ${elements.length} objects × ${days} days, ${THRESHOLD_KM} km, all-vs-all; Redis ${url}; units of ${DEFAULT_UNIT_BLOCKS} blocks`,
    );
    let t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const local = await screenParallel(elements, options, { workers: 1 });
    const tLocal = seconds(t0);
    const cpuLocal = (() => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1e6;
    })();
    console.log(
      `  in process, 1 thread: ${tLocal.toFixed(1)} s, ${local.conjunctions.length} conjunctions (main thread CPU ${cpuLocal.toFixed(1)} s)`,
    );
    record({ bench: 'queue', metric: `${days} d in process, 1 thread`, ours: tLocal, peer: null, unit: 's' });
    for (const n of WORKER_COUNTS) {
      const workers = Array.from({ length: n }, () =>
        spawn(process.execPath, [CLI, 'worker', '--queue', url, '--quiet', '--concurrency', '1'], {
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      );
      try {
        await Promise.all(workers.map((w) => waitOutput(w, /taking screening units/, 'hoshimi worker')));
        const before = workers.map((w) => cpuSeconds(w.pid!));
        let units = 0;
        t0 = process.hrtime.bigint();
        const got = await screenDistributed(elements, options, {
          connection: url,
          onQueued: (_, u) => {
            units = u;
          },
        });
        const t = seconds(t0);
        const cpu = workers.reduce((s, w, i) => s + cpuSeconds(w.pid!) - before[i]!, 0);
        const same = got.conjunctions.length === local.conjunctions.length ? 'same count' : 'COUNT DIFFERS';
        console.log(
          `  queue, ${n} worker process${n > 1 ? 'es' : ''}: ${t.toFixed(1)} s (${(t / tLocal).toFixed(2)}× in process), ` +
            `${got.conjunctions.length} conjunctions (${same}); ${units} units; workers' CPU ${cpu.toFixed(1)} s = ` +
            `${(cpu / units).toFixed(2)} s per unit, ${((cpu / (elements.length * days)) * 1e3).toFixed(3)} ms per object-day`,
        );
        record({
          bench: 'queue',
          metric: `${days} d queue, ${n} worker processes`,
          ours: t,
          peer: tLocal,
          unit: 's',
        });
        // CPU against CPU: the queue's overhead without the noise of a shared machine's wall clock.
        record({
          bench: 'queue',
          metric: `${days} d queue, ${n} workers: CPU`,
          ours: cpu,
          peer: cpuLocal,
          unit: 's',
        });
        record({
          bench: 'queue',
          metric: `${days} d queue, ${n} workers: CPU per unit`,
          ours: cpu / units,
          peer: null,
          unit: 's',
        });
        record({
          bench: 'queue',
          metric: `${days} d queue, ${n} workers: CPU per object-day`,
          ours: (cpu / (elements.length * days)) * 1e3,
          peer: null,
          unit: 'ms',
        });
      } finally {
        await Promise.all(workers.map(stop));
      }
    }
    // The in-process run again, after the queue's: on a shared machine the load changes over a
    // run; both in-process times are printed, and the ratios above use the first.
    t0 = process.hrtime.bigint();
    await screenParallel(elements, options, { workers: 1 });
    const tAgain = seconds(t0);
    console.log(`  in process again: ${tAgain.toFixed(1)} s (first ${tLocal.toFixed(1)} s)`);
    record({
      bench: 'queue',
      metric: `${days} d in process again, 1 thread`,
      ours: tAgain,
      peer: tLocal,
      unit: 's',
    });
  } finally {
    await stop(redis);
    rmSync(dir, { recursive: true, force: true });
  }
}
