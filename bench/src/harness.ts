/**
 * Benchmark harness: every benchmark runs the peer and our code in the same process and run, prints
 * rates and ratios, and appends one JSON line per measurement to bench-results.jsonl.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REFERENCE_DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(REPO_ROOT, '../shared/data'),
);
const RESULTS = join(REPO_ROOT, 'bench-results.jsonl');

export interface Measurement {
  readonly bench: string;
  readonly metric: string;
  readonly ours: number;
  /** The peer's value for the same metric, or null when there is no peer for it. */
  readonly peer: number | null;
  readonly unit: string;
}

/** Records a measurement: prints it and appends a JSON line with the ratio ours/peer. */
export function record(m: Measurement): void {
  const ratio = m.peer === null || m.peer === 0 ? null : m.ours / m.peer;
  const line = {
    bench: m.bench,
    metric: m.metric,
    ours: m.ours,
    peer: m.peer,
    ratio,
    unit: m.unit,
    date: new Date().toISOString(),
  };
  appendFileSync(RESULTS, `${JSON.stringify(line)}\n`);
  const peerText =
    m.peer === null ? '' : `  peer ${fmt(m.peer)}  ratio ${ratio === null ? '-' : ratio.toPrecision(3)}×`;
  console.log(`  ${m.metric.padEnd(36)} ours ${fmt(m.ours)} ${m.unit}${peerText}`);
}

function fmt(x: number): string {
  if (Math.abs(x) >= 1e6) return `${(x / 1e6).toFixed(3)} M`;
  if (Math.abs(x) >= 1e3) return `${(x / 1e3).toFixed(2)} k`;
  return x.toPrecision(4);
}

export function refFile(relative: string): string {
  const p = join(REFERENCE_DATA, relative);
  if (!existsSync(p)) throw new Error(`reference data not found: ${p} (set HOSHIMI_REFERENCE_DATA)`);
  return p;
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, Node ${process.version}`;
}

/** Seconds since `t0` (process.hrtime.bigint()). */
export function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Peaks of RSS (the whole process, worker threads included) and main-thread heap, sampled every `everyMs`. */
export function sampleMemory(everyMs: number): { stop: () => { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const take = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { rss, heap };
    },
  };
}
