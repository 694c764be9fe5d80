/**
 * `hoshimi propagate` and time: the element-set convention across the 2016-12-31 leap second
 * (satellite.js as the oracle, a devDependency), the UTC-label grid, consistency with screening and
 * the store, records the time tables cannot serve, tables past their expiry, TLE checksum modes
 * and full-precision output. The real command in a child process, on real reference files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ElementSet,
  parseElements,
  parseOemKvn,
  parseUtcString,
  sgp4,
  sgp4Init,
  tleChecksum,
} from '@hoshimi/astro';
import { minutesFromEpoch } from '@hoshimi/astro/conjunction';
import * as satellite from 'satellite.js';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const VER_TLE = join(DATA, 'sgp4-verification/SGP4-VER.TLE');
const ENVISAT = join(DATA, 'history/facchinelli-tleAnalysis/envisat_27386_2002-2017.tle');

/** The issue's bound against satellite.js: 1 m (both port Vallado; they agree to ~0.1 m). */
const ONE_METRE_KM = 1e-3;
/**
 * The CLI runs the columnar batch kernel, which may differ from the scalar Vallado kernel in the
 * last bits (up to ~1e-10 km after days); the output must carry them, so compare at 1e-9 km,
 * far below the old 6-decimal rounding (up to 5e-7 km).
 */
const BATCH_VS_SCALAR_KM = 1e-9;
/** A store epoch key keeps microseconds: ≤ 0.5 µs × 7.5 km/s ≈ 4 mm between file and store. */
const STORE_ROUNDING_KM = 1e-5;

function hoshimi(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HOSHIMI_DATA_DIR: join(tmp(), 'no-user-data') },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hoshimi-time-'));
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

/** The Envisat element sets of 2016-12-29 (day 364), as [line1, line2]. */
function envisatDec29(): [string, string][] {
  const lines = readFileSync(ENVISAT, 'utf8').split(/\r?\n/);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < lines.length; i++)
    if (lines[i]!.startsWith('1 27386U 02009A   16364')) out.push([lines[i]!, lines[i + 1]!]);
  return out;
}

/** A copy of a TLE line 1 with another epoch field (columns 19-32) and a valid checksum. */
function withEpoch(line1: string, epoch: string): string {
  const body = `${line1.slice(0, 18)}${epoch}${line1.slice(32, 68)}`;
  return `${body}${tleChecksum(body)}`;
}

function readOne(text: string): ElementSet {
  const p = parseElements(text);
  if (!p.ok || p.value.records.length !== 1) throw new Error('expected one element set');
  return p.value.records[0]!.elements;
}

const VANGUARD = readFileSync(VER_TLE, 'utf8')
  .split(/\r?\n/)
  .filter((l) => l.startsWith('1 00005') || l.startsWith('2 00005'))
  .map((l) => l.slice(0, 69)) as [string, string];

describe('propagate across the 2016-12-31 leap second', () => {
  it('puts an Envisat set of 2016-12-29 within 1 m of satellite.js at 2017-01-01T00:00:00Z', () => {
    const sets = envisatDec29();
    expect(sets.length).toBeGreaterThanOrEqual(2);
    const file = join(tmp(), 'envisat.tle');
    writeFileSync(file, sets.map(([a, b]) => `${a}\n${b}\n`).join(''));
    const r = hoshimi(
      'propagate',
      '--elements',
      file,
      ...['--from', '2016-12-31T23:59:00Z', '--to', '2017-01-01T00:01:00Z', '--step', '60'],
    );
    expect(r.status).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows).toHaveLength(sets.length * 3);
    let compared = 0;
    sets.forEach(([l1, l2], i) => {
      const sat = satellite.twoline2satrec(l1, l2);
      for (const row of rows.slice(i * 3, i * 3 + 3)) {
        const p = satellite.propagate(sat, new Date(row[2]!));
        if (p === null || typeof p.position === 'boolean') throw new Error('satellite.js failed');
        const d = Math.hypot(
          Number(row[3]) - p.position.x,
          Number(row[4]) - p.position.y,
          Number(row[5]) - p.position.z,
        );
        expect(d).toBeLessThan(ONE_METRE_KM);
        compared++;
      }
    });
    expect(compared).toBe(sets.length * 3);
  });

  it('lays a --step grid on UTC labels: 00:00:00, 00:30:00, … after the leap second, in every frame', () => {
    const file = join(tmp(), 'envisat.tle');
    writeFileSync(file, `${envisatDec29()[0]!.join('\n')}\n`);
    const want = [
      '2016-12-31T23:00:00.000000Z',
      '2016-12-31T23:30:00.000000Z',
      '2017-01-01T00:00:00.000000Z',
      '2017-01-01T00:30:00.000000Z',
      '2017-01-01T01:00:00.000000Z',
    ];
    for (const frame of ['TEME', 'GCRF']) {
      const r = hoshimi(
        'propagate',
        '--elements',
        file,
        '--frame',
        frame,
        ...['--from', '2016-12-31T23:00:00Z', '--to', '2017-01-01T01:00:00Z', '--step', '1800'],
      );
      expect(r.status).toBe(0);
      const rows = csvRows(r.stdout);
      expect(rows.map((row) => row[2])).toEqual(want);
      // tsince steps by exactly 30 minutes across the leap second.
      for (let k = 1; k < rows.length; k++)
        expect(Number(rows[k]![1]) - Number(rows[k - 1]![1])).toBeCloseTo(30, 9);
    }
  });

  it('reads a TLE epoch of day 366.5 of 2016 as 12:00:00.000000', () => {
    const file = join(tmp(), 'day366.tle');
    writeFileSync(file, `${withEpoch(VANGUARD[0], '16366.50000000')}\n${VANGUARD[1]}\n`);
    const r = hoshimi('propagate', '--elements', file, '--minutes', '0:60:60', '--format', 'json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { objects: { epoch_utc: string; states: { time_utc: string }[] }[] };
    expect(doc.objects[0]!.epoch_utc).toBe('2016-12-31T12:00:00.000000Z');
    expect(doc.objects[0]!.states.map((s) => s.time_utc)).toEqual([
      '2016-12-31T12:00:00.000000Z',
      '2016-12-31T13:00:00.000000Z',
    ]);
  });

  it('agrees with the screening code and the store for the same element set and time', () => {
    const dir = tmp();
    const [l1, l2] = envisatDec29()[0]!;
    const file = join(dir, 'envisat.tle');
    writeFileSync(file, `ENVISAT\n${l1}\n${l2}\n`);
    const db = join(dir, 'cat.db');
    const imp = hoshimi('catalog', 'import', file, '--db', db);
    expect(imp.status, imp.stderr).toBe(0);
    const grid = ['--from', '2017-01-01T00:00:00Z', '--to', '2017-01-01T00:00:00Z', '--step', '60'];
    const fromFile = csvRows(hoshimi('propagate', '--elements', file, ...grid).stdout);
    const stored = hoshimi('propagate', '--db', db, '--as-of', '2017-01-01T00:00:00Z', ...grid);
    expect(stored.status, stored.stderr).toBe(0);
    const fromStore = csvRows(stored.stdout);
    expect(fromFile).toHaveLength(1);
    expect(fromStore).toHaveLength(1);
    const t = parseUtcString('2017-01-01T00:00:00')!;
    // The screening engine's own time since epoch, on the same set.
    const elements = readOne(`${l1}\n${l2}\n`);
    const tsince = minutesFromEpoch(elements, t.jd, t.jdFrac);
    expect(Number(fromFile[0]![1])).toBe(tsince);
    const out = new Float64Array(6);
    expect(sgp4(sgp4Init(elements), tsince, out)).toBe(0);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(Number(fromFile[0]![3 + c]) - out[c]!)).toBeLessThan(BATCH_VS_SCALAR_KM);
      expect(Math.abs(Number(fromStore[0]![3 + c]) - out[c]!)).toBeLessThan(STORE_ROUNDING_KM);
    }
  });
});

describe('propagate and the time tables', () => {
  it('refuses a pre-1972 record with its line in GCRF, keeps the others, and needs no table for TEME', () => {
    const file = join(tmp(), 'old.tle');
    writeFileSync(
      file,
      `${VANGUARD[0]}\n${VANGUARD[1]}\nOLD\n${withEpoch(VANGUARD[0], '71001.50000000')}\n${VANGUARD[1]}\n`,
    );
    const gcrf = hoshimi('propagate', '--elements', file, '--minutes', '0:60:60', '--frame', 'GCRF');
    expect(gcrf.status).toBe(0);
    expect(gcrf.stderr).toContain(`refused: ${file}:3:`);
    expect(gcrf.stderr).toContain('TIME_OUT_OF_RANGE');
    expect(gcrf.stderr).toContain('1 records refused');
    expect(csvRows(gcrf.stdout)).toHaveLength(2);
    const teme = hoshimi(
      'propagate',
      '--elements',
      file,
      '--minutes',
      '0:60:60',
      '--leap-seconds',
      '/nonexistent/Leap_Second.dat',
    );
    expect(teme.status).toBe(0);
    expect(csvRows(teme.stdout)).toHaveLength(4);
    expect(csvRows(teme.stdout)[2]![2]).toBe('1971-01-01T12:00:00.000000Z');
    // Only refused records: a nonzero exit, not an empty success.
    const onlyOld = join(tmp(), 'only-old.tle');
    writeFileSync(onlyOld, `${withEpoch(VANGUARD[0], '71001.50000000')}\n${VANGUARD[1]}\n`);
    const none = hoshimi('propagate', '--elements', onlyOld, '--minutes', '0:60:60', '--frame', 'GCRF');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('every record was refused');
    // 1972, inside the leap-second table but before finals2000A's first row (1973-01-02): the
    // first row is held with a warning, and the record is written.
    const early = join(tmp(), '1972.tle');
    writeFileSync(early, `${withEpoch(VANGUARD[0], '72200.00000000')}\n${VANGUARD[1]}\n`);
    const held = hoshimi('propagate', '--elements', early, '--minutes', '0:60:60', '--frame', 'ITRF');
    expect(held.status, held.stderr).toBe(0);
    expect(csvRows(held.stdout)).toHaveLength(2);
    expect(held.stderr).toMatch(
      /\[EOP_HELD\] times from 1972-07-18 lie up to 168\.0 days before .*first row 1973-01-02/,
    );
  });

  it('holds the last leap second and EOP past their tables, with warnings naming the file and expiry', () => {
    const file = join(tmp(), 'future.tle');
    writeFileSync(file, `${withEpoch(VANGUARD[0], '28001.00000000')}\n${VANGUARD[1]}\n`);
    const r = hoshimi('propagate', '--elements', file, '--minutes', '0:60:60', '--frame', 'ITRF');
    expect(r.status, r.stderr).toBe(0);
    expect(csvRows(r.stdout)).toHaveLength(2);
    expect(r.stderr).toMatch(
      /\[LEAP_SECONDS_EXPIRED\].*Leap_Second\.dat \(2027-06-28\); TAI − UTC held at 37 s/,
    );
    expect(r.stderr).toMatch(
      /\[EOP_HELD\].*finals2000A\.all\.gz.*one-sigma uncertainty about [\d.]+ ms of UT1/,
    );
  });
});

describe('propagate --checksum and precision', () => {
  it('verify refuses the three hand-edited SGP4-VER.TLE cases with their lines; warn keeps them; ignore is silent', () => {
    const verify = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:0:1', '--checksum', 'verify');
    expect(verify.stderr.match(/rejected: .*SGP4-VER\.TLE:\d+:69: \[TLE_CHECKSUM\]/g)).toHaveLength(3);
    expect(csvRows(verify.stdout)).toHaveLength(30);
    const warn = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:0:1', '--checksum', 'warn');
    // Five wrong checksums on lines 100, 101, 103, 106 and 107: three records.
    expect(warn.stderr.match(/warning: .*SGP4-VER\.TLE:\d+:69: \[TLE_CHECKSUM\]/g)).toHaveLength(5);
    expect(csvRows(warn.stdout)).toHaveLength(33);
    const ignore = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:0:1', '--checksum', 'ignore');
    expect(ignore.stderr).not.toContain('TLE_CHECKSUM');
    expect(csvRows(ignore.stdout)).toHaveLength(33);
    const bad = hoshimi('propagate', '--elements', VER_TLE, '--checksum', 'maybe');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--checksum');
  });

  it('writes microsecond times in OEM and round-trip numbers in CSV and JSON', () => {
    const file = join(tmp(), 'vanguard.tle');
    writeFileSync(file, `${VANGUARD[0]}\n${VANGUARD[1]}\n`);
    const oem = join(tmp(), 'v.oem');
    expect(hoshimi('propagate', '--elements', file, '--minutes', '0:60:60', '--out', oem).status).toBe(0);
    const parsed = parseOemKvn(readFileSync(oem, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.segments[0]!.states[0]!.epoch).toBe('2000-06-27T18:50:19.733568');
    const csv = csvRows(hoshimi('propagate', '--elements', file, '--minutes', '0:60:60').stdout);
    const json = JSON.parse(
      hoshimi('propagate', '--elements', file, '--minutes', '0:60:60', '--format', 'json').stdout,
    ) as { objects: { states: { x_km: number; vx_km_s: number }[] }[] };
    const es = readOne(`${VANGUARD[0]}\n${VANGUARD[1]}\n`);
    const out = new Float64Array(6);
    sgp4(sgp4Init(es), 60, out);
    // The double itself, not a rounding of it: CSV and JSON carry the same bits, and the old
    // 6-decimal rounding (up to 5e-7 km) would not pass the 1e-9 km comparison.
    expect(Number(csv[1]![3])).toBe(json.objects[0]!.states[1]!.x_km);
    expect(Math.abs(Number(csv[1]![3]) - out[0]!)).toBeLessThan(BATCH_VS_SCALAR_KM);
    expect(Math.abs(json.objects[0]!.states[1]!.vx_km_s - out[3]!)).toBeLessThan(BATCH_VS_SCALAR_KM);
    // OEM positions to 1e-9 km.
    expect(Math.abs(parsed.value.segments[0]!.states[1]!.r[0] - out[0]!)).toBeLessThanOrEqual(5e-10);
  });
});
