/**
 * `hoshimi events` end to end: the real command in a child process on real SQLite files. Import of
 * a JSON array of DetectionEvent records (idempotent, from a file or stdin, snake_case accepted),
 * bad records reported with file, index and field while the good ones land, and `list` with its
 * filters, table and JSON; a missing database is never created by `list`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-events-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function hoshimi(args: readonly string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOSHIMI_DB: join(dir, 'never-from-env.db') },
    ...(input === undefined ? {} : { input }),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Two maneuvers (25544, 49863) and a proximity of the pair, as a detector writes them. */
const EVENTS = [
  {
    type: 'maneuver',
    objects: ['25544'],
    timeUtc: '2023-10-09T07:15:00.250000Z',
    windowStartUtc: '2023-10-09T01:00:00Z',
    windowEndUtc: '2023-10-09T13:30:00Z',
    kind: 'orbit-raising',
    score: 14.2,
    threshold: 5.5,
    detector: 'element-consistency',
    detectorVersion: '1.0.0',
    evidence: { dvMS: 1.32, dvRtnMS: [0.02, 1.319, -0.05], deltaAKm: 2.31 },
    inputs: { elementSetEpochs: ['2023-10-09T01:00:00Z', '2023-10-09T13:30:00Z'] },
  },
  {
    type: 'maneuver',
    objects: ['49863'],
    timeUtc: '2023-10-11T00:00:00Z',
    windowStartUtc: '2023-10-10T22:00:00Z',
    windowEndUtc: '2023-10-11T03:00:00Z',
    kind: 'inclination-change',
    score: 8.75,
    threshold: 5.5,
    detector: 'element-consistency',
    detectorVersion: '1.0.0',
    evidence: { dvMS: 0.41 },
    inputs: {},
  },
  {
    type: 'proximity',
    objects: ['49863', '25544'],
    timeUtc: '2023-10-13T00:00:00Z',
    windowStartUtc: '2023-10-12T00:00:00Z',
    windowEndUtc: '2023-10-14T00:00:00Z',
    kind: 'persistent-proximity',
    score: 12.5,
    threshold: 50,
    detector: 'rpo-search',
    detectorVersion: '0.3.0',
    evidence: { minRangeKm: 3.2, meanRangeKm: 12.5 },
    inputs: { catalogAsOf: '2023-10-09T00:00:00Z' },
  },
];

function write(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
}

describe('hoshimi events', () => {
  const db = join(dir, 'events.db');
  const file = write('events.json', EVENTS);

  it('imports a file once: a second import stores nothing new', () => {
    const first = hoshimi(['events', 'import', file, '--db', db]);
    expect(first.stderr).toContain('3 records read, 3 events stored, 0 already stored, 0 rejected');
    expect(first.status).toBe(0);
    const again = hoshimi(['events', 'import', file, '--db', db]);
    expect(again.stderr).toContain('3 records read, 0 events stored, 3 already stored, 0 rejected');
    expect(again.status).toBe(0);
    const all = JSON.parse(hoshimi(['events', 'list', '--db', db, '--json']).stdout) as unknown[];
    expect(all).toHaveLength(3);
  });

  it('lists as JSON with snake_case fields, times to the microsecond, evidence intact', () => {
    const r = hoshimi(['events', 'list', '--db', db, '--json', '--id', '25544', '--type', 'maneuver']);
    expect(r.status).toBe(0);
    const [e, ...more] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(more).toEqual([]);
    expect(e).toMatchObject({
      type: 'maneuver',
      kind: 'orbit-raising',
      objects: ['25544'],
      time_utc: '2023-10-09T07:15:00.250000Z',
      window_start_utc: '2023-10-09T01:00:00.000000Z',
      window_end_utc: '2023-10-09T13:30:00.000000Z',
      score: 14.2,
      threshold: 5.5,
      detector: 'element-consistency',
      detector_version: '1.0.0',
      evidence: EVENTS[0]!.evidence,
      inputs: EVENTS[0]!.inputs,
      label: 'UNMARKED',
    });
    expect(e!['key']).toBe(
      'element-consistency|1.0.0|maneuver|orbit-raising|25544|2023-10-09T01:00:00.000000Z|2023-10-09T13:30:00.000000Z',
    );
  });

  it('filters by object, type, detector and window overlap; the table shows one line per event', () => {
    const kinds = (args: string[]) =>
      (
        JSON.parse(hoshimi(['events', 'list', '--db', db, '--json', ...args]).stdout) as { kind: string }[]
      ).map((e) => e.kind);
    expect(kinds([])).toEqual(['orbit-raising', 'inclination-change', 'persistent-proximity']);
    expect(kinds(['--id', '49863'])).toEqual(['inclination-change', 'persistent-proximity']);
    expect(kinds(['--type', 'proximity'])).toEqual(['persistent-proximity']);
    expect(kinds(['--detector', 'element-consistency', '--id', '049863'])).toEqual(['inclination-change']);
    expect(kinds(['--from', '2023-10-09T13:30:00Z', '--to', '2023-10-10T22:00:00Z'])).toEqual([
      'orbit-raising',
      'inclination-change',
    ]);
    expect(kinds(['--from', '2023-10-09T13:30:00.000001Z', '--to', '2023-10-10T21:59:59.999999Z'])).toEqual(
      [],
    );
    expect(kinds(['--from', '2023-10-13T12:00:00Z'])).toEqual(['persistent-proximity']);
    const table = hoshimi(['events', 'list', '--db', db, '--id', '25544']);
    expect(table.status).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+TYPE\s+KIND\s+OBJECTS/);
    expect(lines[1]).toContain('2023-10-09T07:15:00.250000Z');
    expect(lines[1]).toContain('element-consistency 1.0.0');
    expect(lines[2]).toContain('49863+25544');
    expect(table.stderr).toContain('2 events');
  });

  it('round-trips: the JSON of list imports into another database (stdin), snake_case, labels and all', () => {
    const listed = hoshimi(['events', 'list', '--db', db, '--json']).stdout;
    const other = join(dir, 'other.db');
    const r = hoshimi(['events', 'import', '-', '--db', other, '--label', 'REL TO USA, JPN'], listed);
    expect(r.stderr).toContain(
      'standard input: 3 records read, 3 events stored, 0 already stored, 0 rejected',
    );
    expect(r.status).toBe(0);
    const copied = JSON.parse(hoshimi(['events', 'list', '--db', other, '--json']).stdout) as Record<
      string,
      unknown
    >[];
    const original = JSON.parse(listed) as Record<string, unknown>[];
    expect(copied.map((e) => e['key'])).toEqual(original.map((e) => e['key']));
    expect(copied.map((e) => e['evidence'])).toEqual(original.map((e) => e['evidence']));
    // The records carried UNMARKED (from the first database): their own label wins over --label.
    expect(copied.map((e) => e['label'])).toEqual(['UNMARKED', 'UNMARKED', 'UNMARKED']);
  });

  it("keeps each record's releasability label; --label marks the records without one", () => {
    const labelled = write('labelled.json', [
      { ...EVENTS[0], label: 'REL TO USA, JPN' },
      EVENTS[1],
      { ...EVENTS[2], label: '' },
    ]);
    const target = join(dir, 'labels.db');
    const r = hoshimi(['events', 'import', labelled, '--db', target, '--label', 'REL TO JPN']);
    expect(r.stderr).toContain(`rejected: ${labelled}: record 2: label: expected non-empty text, found ""`);
    expect(r.stderr).toContain('3 records read, 2 events stored, 0 already stored, 1 rejected');
    expect(r.status).toBe(1);
    const stored = JSON.parse(hoshimi(['events', 'list', '--db', target, '--json']).stdout) as Record<
      string,
      unknown
    >[];
    expect(stored.map((e) => [e['kind'], e['label']])).toEqual([
      ['orbit-raising', 'REL TO USA, JPN'],
      ['inclination-change', 'REL TO JPN'],
    ]);
  });

  it('reports each bad record with file, index and field, stores the good ones, exits 1', () => {
    const bad = write('bad.json', [
      { ...EVENTS[0], type: 'docking' },
      { ...EVENTS[1], kind: 'relocation', windowEndUtc: '2023-10-10T21:00:00Z' },
      { ...EVENTS[1], kind: 'relocation' },
      'not a record',
    ]);
    const target = join(dir, 'bad.db');
    const r = hoshimi(['events', 'import', bad, '--db', target]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`rejected: ${bad}: record 0: type: expected one of maneuver`);
    expect(r.stderr).toContain('found "docking"');
    expect(r.stderr).toContain(
      `rejected: ${bad}: record 1: windowEndUtc: expected a time at or after windowStartUtc`,
    );
    expect(r.stderr).toContain(`rejected: ${bad}: record 3: record: expected an object`);
    expect(r.stderr).toContain('4 records read, 1 events stored, 0 already stored, 3 rejected');
    const stored = JSON.parse(hoshimi(['events', 'list', '--db', target, '--json']).stdout) as {
      kind: string;
    }[];
    expect(stored.map((e) => e.kind)).toEqual(['relocation']);
  });

  it('fails a file that is not a JSON array, and bad flags, with a code and nothing stored', () => {
    const target = join(dir, 'never.db');
    const notJson = hoshimi(['events', 'import', write('x.json', '[{"type": '), '--db', target]);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('[EVENTS_INVALID]');
    const notArray = hoshimi(['events', 'import', write('y.json', { events: [] }), '--db', target]);
    expect(notArray.stderr).toContain('[EVENTS_INVALID]');
    expect(notArray.stderr).toContain('expected a JSON array');
    expect(existsSync(target)).toBe(false);
    expect(hoshimi(['events', 'list', '--db', db, '--type', 'docking']).stderr).toContain('[USAGE] --type');
    expect(hoshimi(['events', 'list', '--db', db, '--id', 'ISS']).stderr).toContain('[USAGE] --id');
    expect(hoshimi(['events', 'list', '--db', db, '--from', 'yesterday']).stderr).toContain(
      '[STORE_BAD_TIME]',
    );
    expect(hoshimi(['events', 'frobnicate']).stderr).toContain('[USAGE]');
  });

  it('list refuses a missing database, naming it, and creates nothing', () => {
    const missing = join(dir, 'missing.db');
    const r = hoshimi(['events', 'list', '--db', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[STORE_NOT_FOUND]');
    expect(r.stderr).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });
});
