/**
 * `hoshimi propagate` end to end: the real command in a child process, on real reference files.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOemKvn } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

const VER_TLE = join(DATA, 'sgp4-verification/SGP4-VER.TLE');
const CATALOG_2023 = join(DATA, 'catalog/full_catalog_2023-10-09.3le.txt.gz');

/** CSV positions are exact doubles; tcppver.out prints 8 decimals and our kernel reaches 0.1 mm. */
const CSV_POS_TOL_KM = 1e-7;

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'hoshimi-cli-'));
}

describe('hoshimi propagate', () => {
  it("reproduces Vallado's verification output for VANGUARD 1 (TEME CSV)", () => {
    const r = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:4320:360');
    expect(r.status).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual([
      'id',
      'tsince_min',
      'time_utc',
      'x_km',
      'y_km',
      'z_km',
      'vx_km_s',
      'vy_km_s',
      'vz_km_s',
      'status',
    ]);
    // tcppver.out, object 00005, t = 0 and t = 4320.
    const ref = new Map<number, [number, number, number]>([
      [0, [7022.46529266, -1400.08296755, 0.03995155]],
      [4320, [-9060.47373569, 4658.70952502, 813.68673153]],
    ]);
    const v1 = rows.filter((row) => row[0] === '5');
    expect(v1).toHaveLength(13);
    let compared = 0;
    for (const row of v1) {
      const want = ref.get(Number(row[1]));
      if (!want) continue;
      for (let c = 0; c < 3; c++)
        expect(Math.abs(Number(row[3 + c]) - want[c]!)).toBeLessThan(CSV_POS_TOL_KM);
      compared++;
    }
    // Every reference row must have been found: a comparison that matches nothing proves nothing.
    expect(compared).toBe(ref.size);
    // Epoch 00179.78495062 is 18:50:19.733568 (an 86,400 s day fraction), to the microsecond.
    expect(v1[0]![2]).toBe('2000-06-27T18:50:19.733568Z');
  });

  it('includes STOP when it is off the grid, like Vallado’s driver', () => {
    const r = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:100:30');
    const times = csvRows(r.stdout)
      .filter((row) => row[0] === '5')
      .map((row) => Number(row[1]));
    expect(times).toEqual([0, 30, 60, 90, 100]);
  });

  it('reports bad records with file, line and column and keeps the good ones', () => {
    const dir = tmp();
    const file = join(dir, 'mixed.tle');
    const good = readFileSync(VER_TLE, 'utf8').split(/\r?\n/).slice(2, 4);
    const bad1 = good[0]!.replace(/.$/, (c) => String((Number(c) + 1) % 10));
    writeFileSync(
      file,
      `ISS GOOD\n${good[0]}\n${good[1]!.slice(0, 69)}\nBROKEN\n${bad1}\n${good[1]!.slice(0, 69)}\n`,
    );
    const r = hoshimi('propagate', '--elements', file, '--minutes', '0:0:1');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${file}:5:69`);
    expect(r.stderr).toContain('TLE_CHECKSUM');
    expect(csvRows(r.stdout)).toHaveLength(2);
  });

  it('fails clearly on usage errors and unreadable input', () => {
    const noElements = hoshimi('propagate', '--minutes', '0:10:1');
    expect(noElements.status).toBe(2);
    expect(noElements.stderr).toContain('--elements FILE (or --db PATH) is required');
    const badMinutes = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:10');
    expect(badMinutes.status).toBe(2);
    expect(badMinutes.stderr).toContain('START:STOP:STEP');
    const missing = hoshimi('propagate', '--elements', '/nonexistent/file.tle');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/file.tle');
    const binary = join(tmp(), 'bin.tle');
    writeFileSync(binary, Buffer.from([1, 2, 0, 3]));
    expect(hoshimi('propagate', '--elements', binary).stderr).toContain('binary data');
    const unknownFlag = hoshimi('propagate', '--elements', VER_TLE, '--bogus');
    expect(unknownFlag.status).toBe(2);
  });

  it('writes GCRF and GEODETIC on an absolute UTC grid, consistent with each other', () => {
    const args = ['--elements', VER_TLE, '--from', '2006-06-25T20:00:00Z', '--to', '2006-06-25T21:00:00Z'];
    const gcrf = csvRows(hoshimi('propagate', ...args, '--step', '1800', '--frame', 'GCRF').stdout);
    const geo = csvRows(hoshimi('propagate', ...args, '--step', '1800', '--frame', 'GEODETIC').stdout);
    expect(geo[0]!.slice(3, 6)).toEqual(['lat_deg', 'lon_deg', 'alt_km']);
    const g = gcrf.find((row) => row[0] === '6251' && row[2] === '2006-06-25T20:30:00.000000Z')!;
    const d = geo.find((row) => row[0] === '6251' && row[2] === '2006-06-25T20:30:00.000000Z')!;
    expect(g).toBeDefined();
    expect(d).toBeDefined();
    const rGcrf = Math.hypot(Number(g[3]), Number(g[4]), Number(g[5]));
    const lat = (Number(d[3]) * Math.PI) / 180;
    // Geocentric radius from geodetic latitude and height on WGS-84 (to ~1 km: a sanity check).
    const a = 6378.137;
    const rGeo = a * (1 - (1 / 298.257223563) * Math.sin(lat) ** 2) + Number(d[5]);
    expect(Math.abs(rGcrf - rGeo)).toBeLessThan(1);
    expect(Number(d[5])).toBeGreaterThan(200);
  });

  it('writes a CCSDS OEM that parses back', () => {
    const out = join(tmp(), 'eph.oem');
    const r = hoshimi(
      'propagate',
      '--elements',
      VER_TLE,
      '--minutes',
      '0:120:60',
      '--frame',
      'GCRF',
      '--out',
      out,
    );
    expect(r.status).toBe(0);
    const parsed = parseOemKvn(readFileSync(out, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value.segments.length).toBeGreaterThan(25);
    expect(parsed.value.segments[0]!.meta.refFrame).toBe('GCRF');
  });

  it('writes JSON with one entry per object', () => {
    const r = hoshimi('propagate', '--elements', VER_TLE, '--minutes', '0:60:60', '--format', 'json');
    const doc = JSON.parse(r.stdout) as {
      frame: string;
      objects: { id: string; states: { x_km: number }[] }[];
    };
    expect(doc.frame).toBe('TEME');
    expect(doc.objects.find((o) => o.id === '5')!.states[0]!.x_km).toBeCloseTo(7022.465293, 5);
  });

  it('reads CelesTrak OMM JSON', () => {
    const r = hoshimi(
      'propagate',
      '--elements',
      join(DATA, 'sgp4-verification/sample_omm.json'),
      '--minutes',
      '0:0:1',
    );
    expect(r.status).toBe(0);
    expect(csvRows(r.stdout)[1]![0]).toBe('5');
  });

  it('runs a full catalog on worker threads (gzip input, failures as status codes)', () => {
    const r = hoshimi('propagate', '--elements', CATALOG_2023, '--minutes', '0:10080:2520', '--workers', '2');
    expect(r.status).toBe(0);
    const rows = csvRows(r.stdout).slice(1);
    expect(rows).toHaveLength(26140 * 5);
    const failed = rows.filter((row) => row[9] !== '0');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((row) => row[3] === '' && ['1', '2', '3', '4', '6'].includes(row[9]!))).toBe(true);
  });

  it('propagates every catalog, history and fragmentation file in the reference data', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(tle|3le\.txt|txt)(\.gz)?$/.test(name) && !/man\.txt$/.test(name)) files.push(p);
      }
    };
    for (const d of ['catalog', 'history', 'fragmentation']) walk(join(DATA, d));
    expect(files.length).toBeGreaterThan(25);
    for (const f of files) {
      const r = hoshimi('propagate', '--elements', f, '--minutes', '0:60:60', '--workers', '1');
      if (r.status !== 0) throw new Error(`${f}: exit ${r.status}: ${r.stderr.slice(0, 500)}`);
      expect(r.stderr).toMatch(/propagate: \d+ objects/);
    }
  });
});
