/**
 * The 100,000-object catalog at the command line: `hoshimi catalog synth` writes the same bytes for
 * the same seed, and `hoshimi screen --out FILE.csv` (streamed) writes the rows of the in-memory
 * JSON report, in its order.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTleText, sgp4Init } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { BIN, type CliRun, DATA } from './harness.js';

/**
 * `hoshimi ...args` in a child process, without blocking this worker's event loop (runs here take
 * tens of seconds; a blocked test worker misses the runner's heartbeats).
 */
function hoshimi(...args: string[]): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolvePromise({ status, stdout, stderr });
      },
    );
  });
}

const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');
/** The 2023 catalog holds 26,140 sets; 2,000 simulated fragments on top. */
const COUNT = 28_140;

describe('hoshimi catalog synth and streamed screening', () => {
  it('writes the same catalog for the same seed, with the count asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-synth-'));
    const run = (out: string, seed: string) =>
      hoshimi(
        'catalog',
        'synth',
        '--base',
        CATALOG_2023,
        '--count',
        String(COUNT),
        '--seed',
        seed,
        '--epoch',
        '2023-10-09T00:00:00Z',
        '--out',
        join(dir, out),
      );
    const [a, b, c] = await Promise.all([run('a.3le', '5'), run('b.3le', '5'), run('c.3le', '6')]);
    expect(a.status).toBe(0);
    expect(a.stderr).toContain('SL-16 R/B collision');
    expect(b.status).toBe(0);
    expect(c.status).toBe(0);
    const bytesA = readFileSync(join(dir, 'a.3le'));
    expect(bytesA.equals(readFileSync(join(dir, 'b.3le')))).toBe(true);
    expect(bytesA.equals(readFileSync(join(dir, 'c.3le')))).toBe(false);
    const parsed = parseTleText(bytesA.toString('utf8'));
    if (!parsed.ok) throw new Error('synthetic catalog did not parse');
    expect(parsed.value.records.length).toBe(COUNT);
    const sims = parsed.value.records.filter((r) => r.elements.name?.endsWith('(SIM)'));
    expect(sims.length).toBe(COUNT - 26_140);
    expect(sims.every((r) => sgp4Init(r.elements).error === 0)).toBe(true);
    const bad = await hoshimi(
      'catalog',
      'synth',
      '--base',
      CATALOG_2023,
      '--count',
      '10',
      '--out',
      join(dir, 'd.3le'),
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--count 10 is below');
  });

  it('streams the CSV rows of the in-memory report, in the same order', async () => {
    // The first 1,500 objects of the 2023 catalog (old, mostly LEO), one day, 2 workers.
    const lines = gunzipSync(readFileSync(CATALOG_2023)).toString('utf8').split('\n').slice(0, 4500);
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-screen-stream-'));
    const subset = join(dir, 'subset.3le');
    writeFileSync(subset, `${lines.join('\n')}\n`);
    const common = [
      'screen',
      '--elements',
      subset,
      '--from',
      '2023-10-09T00:00:00Z',
      '--days',
      '1',
      '--workers',
      '2',
    ];
    const csv = await hoshimi(...common, '--out', join(dir, 'r.csv'));
    expect(csv.status).toBe(0);
    expect(csv.stderr).toMatch(/streamed in \d+ batches/);
    const json = await hoshimi(...common, '--out', join(dir, 'r.json'));
    expect(json.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      conjunctions: Record<string, string | number | null>[];
    };
    const rows = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n').slice(1);
    expect(report.conjunctions.length).toBeGreaterThan(10);
    expect(rows.length).toBe(report.conjunctions.length);
    const keys = [
      'id1',
      'id2',
      'tca_utc',
      'miss_km',
      'rel_speed_km_s',
      'r_km',
      'i_km',
      'c_km',
      'pc',
      'pc_method',
    ];
    rows.forEach((line, k) => {
      const c = report.conjunctions[k]!;
      expect(line.split(',').slice(0, keys.length)).toEqual(
        keys.map((key) => (c[key] === null ? '' : String(c[key]))),
      );
    });
  });
});
