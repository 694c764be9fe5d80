/**
 * `hoshimi data status|update` end to end: the real command in a child process against a real
 * HTTP server on 127.0.0.1 that serves the reference tables (and broken variants of them).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const LEAP = readFileSync(join(DATA, 'earth/Leap_Second.dat'), 'utf8');
const FINALS = gunzipSync(readFileSync(join(DATA, 'earth/finals2000A.all.gz')));
const SPACE_WEATHER = readFileSync(join(DATA, 'earth/SW-All_1998-2026.csv.gz')); // served gzipped
/** A small table in CelesTrak's EOP-All.csv layout (values of finals2000A, units of CelesTrak). */
const CELESTRAK_EOP = [
  'DATE,MJD,X,Y,UT1-UTC,LOD,DPSI,DEPS,DX,DY,DAT,DATA_TYPE',
  '2026-12-01,61010,0.120000,0.380000,0.0410000,0.0001000,-0.110000,-0.008000,0.000200,-0.000100,37,O',
  '2026-12-02,61011,0.121000,0.379000,0.0409000,0.0001000,-0.110000,-0.008000,0.000200,-0.000100,37,O',
  '2026-12-03,61012,0.122000,0.378000,0.0408000,0.0001000,-0.110000,-0.008000,0.000200,-0.000100,37,P',
  '',
].join('\n');

/** The bundled file with a later expiry, as a newer bulletin would be. */
const LEAP_2030 = LEAP.replace(/File expires on\s+\d+ \w+ \d{4}/, 'File expires on 28 December 2030');

let server: Server;
let base: string;
const routes = new Map<string, { status: number; body: string | Buffer }>([
  ['/Leap_Second.dat', { status: 200, body: LEAP_2030 }],
  ['/Leap_Second_old.dat', { status: 200, body: LEAP }],
  ['/finals2000A.all', { status: 200, body: FINALS }],
  ['/EOP-All.csv', { status: 200, body: CELESTRAK_EOP }],
  ['/SW-All.csv.gz', { status: 200, body: SPACE_WEATHER }],
  ['/maintenance.html', { status: 200, body: '<html><body>Down for maintenance</body></html>\n' }],
  [
    '/truncated-finals',
    {
      status: 200,
      body: FINALS.subarray(0, 1000)
        .toString('utf8')
        .replace(/\n[^\n]*$/, '\nXX'),
    },
  ],
]);

beforeAll(async () => {
  server = createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    if (r === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(r.status).end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

/** Runs the CLI asynchronously (the server lives in this process). */
function hoshimi(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, HOSHIMI_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => ok({ status: code ?? -1, stdout, stderr }));
  });
}

function urls(overrides: Record<string, string> = {}): string[] {
  const all: Record<string, string> = {
    'leap-seconds': '/Leap_Second.dat',
    finals: '/finals2000A.all',
    'celestrak-eop': '/EOP-All.csv',
    'space-weather': '/SW-All.csv.gz',
    ...overrides,
  };
  return Object.entries(all).flatMap(([k, v]) => [`--${k}-url`, `${base}${v}`]);
}

describe('hoshimi data', () => {
  it('updates every table into the user data directory, which status and propagate then prefer', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hoshimi-data-')), 'user');
    const before = await hoshimi(dir, 'data', 'status');
    expect(before.status).toBe(0);
    expect(before.stdout).toContain('(reference data');
    expect(before.stdout).toContain('expiry 2027-06-28');
    const r = await hoshimi(dir, 'data', 'update', ...urls());
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'EOP-All.csv',
      'Leap_Second.dat',
      'SW-All.csv',
      'finals2000A.all',
    ]);
    expect(readFileSync(join(dir, 'Leap_Second.dat'), 'utf8')).toBe(LEAP_2030);
    const status = await hoshimi(dir, 'data', 'status');
    expect(status.stdout).toContain(`file ${join(dir, 'Leap_Second.dat')} (user data`);
    expect(status.stdout).toContain('expiry 2030-12-28');
    expect(status.stdout).toContain('observed to 2026-12-02, predicted after it to 2026-12-03');
    expect(status.stdout).toMatch(/finals: .*\n {2}file .*finals2000A\.all \(user data/);
    // A 2028 epoch is past the bundled expiry but not the downloaded one: no expiry warning now.
    const tle = join(dir, '..', 'future.tle');
    writeFileSync(
      tle,
      '1 00005U 58002B   28001.00000000  .00000023  00000-0  28098-4 0  4756\n2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667\n',
    );
    const p = await hoshimi(dir, 'propagate', '--elements', tle, '--frame', 'GCRF', '--minutes', '0:0:1');
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).not.toContain('LEAP_SECONDS_EXPIRED');
    const bundled = await hoshimi(
      dir,
      'propagate',
      '--elements',
      tle,
      '--frame',
      'GCRF',
      '--minutes',
      '0:0:1',
      '--leap-seconds',
      join(DATA, 'earth/Leap_Second.dat'),
    );
    expect(bundled.stderr).toContain('LEAP_SECONDS_EXPIRED');
  });

  it('validates before replacing: a web page, a truncated file, an HTTP error or an older file leave the installed one', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hoshimi-data-')), 'user');
    expect((await hoshimi(dir, 'data', 'update', ...urls())).status).toBe(0);
    const leapBefore = readFileSync(join(dir, 'Leap_Second.dat'));
    const finalsBefore = readFileSync(join(dir, 'finals2000A.all'));
    const r = await hoshimi(
      dir,
      'data',
      'update',
      ...urls({
        'leap-seconds': '/Leap_Second_old.dat',
        finals: '/truncated-finals',
        'celestrak-eop': '/maintenance.html',
        'space-weather': '/missing',
      }),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/leap-seconds: not updated: \[DATA_OLDER\]/);
    expect(r.stderr).toMatch(/finals: not updated: \[DATA_INVALID\] .*truncated-finals:\d+/);
    expect(r.stderr).toMatch(/celestrak-eop: not updated: \[DATA_INVALID\] .*maintenance\.html:1/);
    expect(r.stderr).toMatch(/space-weather: not updated: \[DATA_DOWNLOAD\] .*HTTP 404/);
    expect(r.stderr).toContain('4 of 4 tables not updated');
    // Byte comparison with Buffer.equals (a deep toEqual of 3.5 MB is needlessly slow).
    expect(readFileSync(join(dir, 'Leap_Second.dat')).equals(leapBefore)).toBe(true);
    expect(readFileSync(join(dir, 'finals2000A.all')).equals(finalsBefore)).toBe(true);
    expect(readdirSync(dir).some((f) => f.includes('.download-'))).toBe(false);
  });

  it('reports an unreachable server per table and keeps going', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hoshimi-data-')), 'user');
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await hoshimi(
      dir,
      'data',
      'update',
      '--only',
      'leap-seconds,celestrak-eop',
      '--leap-seconds-url',
      `http://127.0.0.1:${port}/Leap_Second.dat`,
      '--celestrak-eop-url',
      `${base}/EOP-All.csv`,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/leap-seconds: not updated: \[DATA_DOWNLOAD\] cannot download .*ECONNREFUSED/);
    expect(r.stdout).toContain('celestrak-eop: installed');
    expect(existsSync(join(dir, 'Leap_Second.dat'))).toBe(false);
    const bad = await hoshimi(dir, 'data', 'update', '--only', 'tle');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--only: unknown table "tle"');
  });
});
