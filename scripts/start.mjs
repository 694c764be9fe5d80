#!/usr/bin/env node
// The main job (`npm start`):
// 1. imports the real 2023-10-09 full catalog into the catalog store out/hoshimi.db (importing the
//    same file again adds nothing), and Space-Track's SATCAT of 2025-03-16 (types, owners, decay dates);
//    then the element-set histories of history/ (every .tle and .tle.gz of dpshorten-benchmark/
//    processed_files, facchinelli-tleAnalysis and orekit), each folder under its own source name,
//    for the behaviour detectors (`hoshimi maneuvers --db`); GOCE (34602, re-entered 2013) is the
//    one history object not in the 2023 snapshot, so the screening below counts its last set of
//    2012-11-30 with the sets too old to screen;
// 2. screens the store's catalog as of 2023-10-10T00:00Z, the window's start, so that no element
//    set newer than the window is used (the snapshot's epochs run 2023-07-12..10-18, most of them
//    on 10-09: at 10-10 00:00 26,117 of its 26,140 objects have a set, while at 10-09 00:00 only
//    4,800 would). The 23 objects whose only set is later and the 348 sets older than 30 days at
//    the start are counted and listed by the screening (stderr and
//    out/conjunctions-2023-10-10.not-screened.csv). All-vs-all for 7 days at 5 km, writing the
//    conjunction report out/conjunctions-2023-10-10.csv, a CDM for every event closer than 1 km in
//    out/cdm/, and the run into the store;
// 3. propagates the same catalog state (as of 2023-10-10T00:00Z) over 2023-10-09, hourly, in GCRF,
//    to out/positions-2023-10-09.csv;
// 4. runs the behaviour detectors and stores their events: maneuver detection on every history file
//    (tables in out/maneuvers/, events in out/events/) and the RPO search over 3 days of the store's
//    catalog as of 2023-10-10T00:00Z (alarms in out/rpo-2023-10-10.txt, the first one charted in
//    out/rpo-2023-10-10.svg; owners from the SATCAT imported in step 1), each events file then
//    imported into the store (`hoshimi events list --db out/hoshimi.db`; a second run adds nothing);
// 5. debris: the fragmentations between the 2021-05-29 and 2022-01-22 catalogs and the breakup
//    epoch and place of Microsat-R from its debris, and the reentry of the CZ-5B core stage
//    (48275) from its last set in the 2021-05-29 catalog (JSON, RDM, ground track), events imported;
// 6. serves the store (`hoshimi serve`), runs a 24-hour screening and the behaviour detectors as
//    jobs of the server, and keeps serving (URL printed) until Ctrl-C; HOSHIMI_START_SERVE=0 ends
//    after step 5. Every API route needs credentials: the store gets an organisation (HOSHIMI,
//    nation $HOSHIMI_NATION or JPN) and an admin user `admin` whose generated password is written to
//    out/admin-credentials.txt (mode 0600) and printed with the URL; the jobs are submitted with a
//    one-day API token of that user.
// Reference data: $HOSHIMI_REFERENCE_DATA or ../shared/data.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { main } from '../packages/cli/dist/main.js';
import { addOrganisation, addUser, changeUser, issueToken } from '../packages/server/dist/index.js';
import { openSqliteStore } from '../packages/store/dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(process.env.HOSHIMI_REFERENCE_DATA ?? join(root, '../shared/data'));
const outDir = join(root, 'out');
mkdirSync(outDir, { recursive: true });
const db = join(outDir, 'hoshimi.db');
const cdmDir = join(outDir, 'cdm');
rmSync(cdmDir, { recursive: true, force: true });
const maneuverDir = join(outDir, 'maneuvers');
const eventsDir = join(outDir, 'events');
mkdirSync(maneuverDir, { recursive: true });
mkdirSync(eventsDir, { recursive: true });

/** Element-set history files of one folder of history/, sorted by name. */
function historyFiles(folder) {
  const path = join(data, 'history', folder);
  return readdirSync(path)
    .filter((name) => name.endsWith('.tle') || name.endsWith('.tle.gz'))
    .sort()
    .map((name) => join(path, name));
}
const HISTORY_SOURCES = [
  ['dpshorten-benchmark/processed_files', 'dpshorten-benchmark'],
  ['facchinelli-tleAnalysis', 'facchinelli-tleAnalysis'],
  ['orekit', 'orekit'],
];

const steps = [
  [
    'catalog',
    'import',
    join(data, 'catalog/full_catalog_2023-10-09.3le.txt.gz'),
    '--source',
    'spacetrack',
    '--db',
    db,
  ],
  // SATCAT (Space-Track, 2025-03-16: current and decayed objects): types, owners and decay dates,
  // which the screening (decayed objects left out, hard-body radii by type) and the RPO search
  // (same-owner GEO co-locations are operator clusters) read from the store.
  [
    'catalog',
    'import',
    join(data, 'satcat/spacetrack_satcat_current_2025-03-16.json.gz'),
    join(data, 'satcat/spacetrack_satcat_decayed_2025-03-16.json.gz'),
    '--db',
    db,
  ],
  ...HISTORY_SOURCES.map(([folder, source]) => [
    'catalog',
    'import',
    ...historyFiles(folder),
    '--source',
    source,
    '--db',
    db,
  ]),
  [
    'screen',
    '--db',
    db,
    '--as-of',
    '2023-10-10T00:00:00Z',
    '--from',
    '2023-10-10T00:00:00Z',
    '--days',
    '7',
    '--threshold-km',
    '5',
    '--out',
    join(outDir, 'conjunctions-2023-10-10.csv'),
    '--cdm-dir',
    cdmDir,
    '--cdm-max-miss-km',
    '1',
  ],
  [
    'propagate',
    '--db',
    db,
    '--as-of',
    '2023-10-10T00:00:00Z',
    '--from',
    '2023-10-09T00:00:00Z',
    '--to',
    '2023-10-10T00:00:00Z',
    '--step',
    '3600',
    '--frame',
    'GCRF',
    '--out',
    join(outDir, 'positions-2023-10-09.csv'),
  ],
];
// Behaviour: maneuvers per history file, RPO over the catalog; every events file into the store.
const allHistories = HISTORY_SOURCES.flatMap(([folder]) => historyFiles(folder));
/** The objects of the history files (their first set's catalog number), for the maneuvers job. */
const HISTORY_OBJECTS = [
  ...new Set(
    allHistories.map((file) => {
      const bytes = readFileSync(file);
      const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
      return String(Number(/^1 ([ 0-9]{5})/m.exec(text)[1]));
    }),
  ),
];
for (const file of allHistories) {
  const base = file
    .split('/')
    .pop()
    .replace(/\.tle(\.gz)?$/, '');
  const events = join(eventsDir, `maneuvers-${base}.json`);
  steps.push(
    ['maneuvers', '--elements', file, '--out', join(maneuverDir, `${base}.txt`), '--events', events],
    ['events', 'import', events, '--db', db],
  );
}
const rpoEvents = join(eventsDir, 'rpo-2023-10-10.json');
steps.push(
  [
    'rpo',
    '--db',
    db,
    '--as-of',
    '2023-10-10T00:00:00Z',
    '--from',
    '2023-10-10T00:00:00Z',
    '--days',
    '3',
    '--out',
    join(outDir, 'rpo-2023-10-10.txt'),
    '--plot',
    join(outDir, 'rpo-2023-10-10.svg'),
    '--events',
    rpoEvents,
  ],
  ['events', 'import', rpoEvents, '--db', db],
);

// Debris: the fragmentations between two catalog snapshots (the Kosmos 1408 test of 2021-11-15 falls
// between them) and the breakup epoch and place of Microsat-R from its debris, events into the store.
const fragEvents = join(eventsDir, 'fragmentation-2021-05-29_2022-01-22.json');
const originEvents = join(eventsDir, 'fragmentation-origin-microsat-r.json');
steps.push(
  [
    'fragmentation',
    'detect',
    '--before',
    join(data, 'catalog/full_catalog_2021-05-29.3le.txt.gz'),
    '--after',
    join(data, 'catalog/full_catalog_2022-01-22.3le.txt.gz'),
    '--out',
    join(outDir, 'fragmentation-2021-05-29_2022-01-22.txt'),
    '--events',
    fragEvents,
  ],
  ['events', 'import', fragEvents, '--db', db],
  [
    'fragmentation',
    'origin',
    '--parent',
    '43947',
    '--debris',
    join(data, 'fragmentation/microsat-r/microsat-r_debris_2019-04-04.tle'),
    '--parent-elements',
    join(data, 'fragmentation/microsat-r/microsat-r_43947_parent_2019-03-10_to_03-26.tle'),
    '--json',
    '--out',
    join(outDir, 'fragmentation-origin-microsat-r.json'),
    '--plot',
    join(outDir, 'gabbard-microsat-r.svg'),
    '--events',
    originEvents,
  ],
  ['events', 'import', originEvents, '--db', db],
);

// Reentry: the CZ-5B core stage (48275) from its last set in the 2021-05-29 catalog, with an RDM,
// a ground-track chart and its event (it re-entered on 2021-05-09 02:24 UTC over the Indian Ocean).
const reentryEvents = join(eventsDir, 'reentry-48275.json');
steps.push(
  [
    'reentry',
    '--elements',
    join(data, 'catalog/full_catalog_2021-05-29.3le.txt.gz'),
    '--id',
    '48275',
    '--json',
    '--out',
    join(outDir, 'reentry-48275.json'),
    '--rdm',
    join(outDir, 'reentry-48275.rdm'),
    '--plot',
    join(outDir, 'reentry-48275.svg'),
    '--events',
    reentryEvents,
  ],
  ['events', 'import', reentryEvents, '--db', db],
);

let failed = false;
for (const args of steps) {
  process.stderr.write(`$ hoshimi ${args.join(' ')}\n`);
  const code = await main(args);
  if (code !== 0) {
    process.exitCode = code;
    failed = true;
    break;
  }
}

// 6. The server: `hoshimi serve` over the same store, a 24-hour screening and the behaviour
//    detectors submitted to it as jobs (their progress followed over Server-Sent Events), then the
//    server stays up (its URL printed) until Ctrl-C. HOSHIMI_START_SERVE=0 stops after step 5;
//    HOSHIMI_PORT picks the port (default 8080).
if (!failed && process.env.HOSHIMI_START_SERVE !== '0') await serveAndRunJobs();

/**
 * The console's admin: organisation HOSHIMI and user `admin` with a generated password, kept in
 * out/admin-credentials.txt (0600); a second run keeps both when the file is there. Returns the
 * password and a one-day read/write API token for the jobs below.
 */
async function ensureAdmin() {
  const file = join(outDir, 'admin-credentials.txt');
  const store = await openSqliteStore(db, { mode: 'write' });
  try {
    if ((await store.identity.getOrganisation('HOSHIMI')) === null) {
      const nation = process.env.HOSHIMI_NATION ?? 'JPN';
      await addOrganisation(store, { code: 'HOSHIMI', name: 'Hoshimi node', nation, maxClearance: 'SECRET' });
    }
    const known = await store.identity.getUserByName('admin');
    let password = existsSync(file) ? /^password: (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
    if (known === null || password === undefined) {
      password = randomBytes(18).toString('base64url');
      if (known === null) {
        await addUser(store, {
          username: 'admin',
          organisation: 'HOSHIMI',
          roles: ['admin'],
          clearance: 'SECRET',
          password,
        });
      } else {
        await changeUser(store, known.id, { password });
      }
      writeFileSync(file, `username: admin\npassword: ${password}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    const { secret } = await issueToken(store, {
      username: 'admin',
      name: 'npm start',
      scopes: ['read', 'write'],
      days: 1,
    });
    return { file, password, token: secret };
  } finally {
    await store.close();
  }
}

async function serveAndRunJobs() {
  const admin = await ensureAdmin();
  const authorization = `Bearer ${admin.token}`;
  const port = process.env.HOSHIMI_PORT ?? '8080';
  const bin = join(root, 'packages/cli/bin/hoshimi.js');
  process.stderr.write(`$ hoshimi serve --db ${db} --port ${port} --quiet\n`);
  const server = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', port, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolveUrl, reject) => {
    let text = '';
    server.stdout.on('data', (d) => {
      text += d;
      process.stdout.write(d);
      const m = /(http:\/\/[0-9.:]+)/.exec(text);
      if (m) resolveUrl(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`hoshimi serve exited with ${code}`)));
  });
  const stop = () => server.kill('SIGINT');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const jobs = [
    {
      kind: 'screening',
      params: { asOf: '2023-10-10T00:00:00Z', from: '2023-10-10T00:00:00Z', days: 1, thresholdKm: 5 },
    },
    { kind: 'maneuvers', params: { catalogNumbers: HISTORY_OBJECTS } },
    { kind: 'rpo', params: { asOf: '2023-10-10T00:00:00Z', from: '2023-10-10T00:00:00Z', days: 3 } },
  ];
  for (const spec of jobs) {
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ ...spec, requestedBy: 'npm start' }),
    });
    const job = await res.json();
    if (res.status !== 202) {
      process.stderr.write(`job ${spec.kind} refused: ${JSON.stringify(job)}\n`);
      process.exitCode = 1;
      continue;
    }
    const final = await followJob(url, job.id, spec.kind, authorization);
    process.stderr.write(
      `job ${spec.kind} ${final.state}${final.result ? `: ${JSON.stringify(final.result)}` : ''}${final.error ? `: ${final.error.code} ${final.error.message}` : ''}\n`,
    );
  }
  process.stdout.write(
    `Hoshimi is up: ${url} (API document ${url}/openapi.json, docs ${url}/docs). Sign in as admin, password ${admin.password} (also in ${admin.file}). Ctrl-C stops it.\n`,
  );
  await new Promise((done) => server.once('exit', done));
}

/** Follows a job's Server-Sent Events to its final state, printing its progress now and then. */
async function followJob(url, id, kind, authorization) {
  const res = await fetch(`${url}/jobs/${id}/events`, { headers: { authorization } });
  const decoder = new TextDecoder();
  let buffer = '';
  let last = null;
  let lastPrint = 0;
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('');
      if (data === '') continue;
      last = JSON.parse(data);
      if (Date.now() - lastPrint > 5000 && last.progress) {
        lastPrint = Date.now();
        const f = last.progress.fraction;
        process.stderr.write(
          `job ${kind}: ${f === null ? '' : `${Math.round(f * 100)} % `}${last.progress.message}\n`,
        );
      }
    }
  }
  return last ?? (await (await fetch(`${url}/jobs/${id}`, { headers: { authorization } })).json());
}
