/**
 * A real catalog store for the API tests, filled from the reference data: the first 2,000 objects
 * of the 2023-10-09 full catalog, the ISS element-set history 1998-2004 (facchinelli-tleAnalysis),
 * Space-Track's SATCAT, a one-day screening stored by `hoshimi screen --db`, and the maneuver
 * events astro's detector finds in the ISS history (saveEvents), and the reentry event of object
 * 66877 written by `hoshimi reentry --events` (with its RDM, for comparison). Also the leap-second
 * and EOP context, for frames other than TEME and for CDMs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type AstroContext, detectManeuvers, loadContext, maneuverEvents } from '@hoshimi/astro';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** ../shared/data beside the repository, or $HOSHIMI_REFERENCE_DATA. */
export const REFERENCE_DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(repoRoot, '../shared/data'),
);

export function refPath(rel: string): string {
  const p = join(REFERENCE_DATA, rel);
  if (!existsSync(p)) throw new Error(`reference data file not found: ${p} (set HOSHIMI_REFERENCE_DATA)`);
  return p;
}

/** The `hoshimi` command of this checkout. */
export const HOSHIMI = join(repoRoot, 'packages/cli/bin/hoshimi.js');

export function runHoshimi(args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HOSHIMI, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, HOSHIMI_REFERENCE_DATA: REFERENCE_DATA },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const CATALOG_FILE = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
export const ISS_HISTORY = 'history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz';
/** Objects taken from the head of the 2023 catalog (three lines each). */
export const SUBSET_OBJECTS = 2000;
/** The screening: one day from this time, 10 km sphere. */
export const SCREEN_FROM = '2023-10-09T12:00:00Z';

export function textOf(rel: string): string {
  const raw = readFileSync(refPath(rel));
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
}

export function loadTestContext(): AstroContext {
  const r = loadContext({
    leapSecondsText: textOf('earth/Leap_Second.dat'),
    leapSecondsFile: 'Leap_Second.dat',
    eopText: textOf('earth/finals2000A.all.gz'),
    eopFile: 'finals2000A.all',
    eopFormat: 'auto',
    allowEopPredictions: true,
    afterLeapSecondExpiry: 'hold-last',
    eopBeyondTable: 'hold-last',
  });
  if (!r.ok) throw new Error(`context: ${JSON.stringify(r.issues)}`);
  return r.value;
}

export interface Fixture {
  readonly dir: string;
  readonly path: string;
  readonly store: CatalogStore;
  readonly maneuvers: number;
  /** The RDM `hoshimi reentry` wrote with the stored reentry event. */
  readonly reentryRdm: string;
}

/** Builds the store (a few seconds). */
export async function buildFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-api-'));
  const path = join(dir, 'catalog.db');
  const subset = textOf(CATALOG_FILE)
    .split(/\r?\n/)
    .slice(0, 3 * SUBSET_OBJECTS)
    .join('\n');
  const subsetFile = join(dir, 'subset.3le');
  writeFileSync(subsetFile, `${subset}\n`);
  let store = await openSqliteStore(path, { mode: 'create' });
  for (const [name, bytes, source] of [
    [subsetFile, readFileSync(subsetFile), 'celestrak'],
    [ISS_HISTORY, readFileSync(refPath(ISS_HISTORY)), 'file'],
    ['satcat', readFileSync(refPath('satcat/spacetrack_satcat_current_2025-03-16.json.gz')), 'spacetrack'],
  ] as const) {
    const report = await store.importFile({ name, bytes, source });
    if (report.status === 'failed') throw new Error(`import of ${name} failed`);
  }
  await store.close();
  const screen = runHoshimi([
    'screen',
    '--db',
    path,
    '--as-of',
    SCREEN_FROM,
    '--days',
    '1',
    '--threshold-km',
    '10',
    '--workers',
    '1',
    '--out',
    join(dir, 'screen.csv'),
  ]);
  if (screen.status !== 0) throw new Error(`hoshimi screen failed: ${screen.stderr}`);
  store = await openSqliteStore(path, { mode: 'write' });
  const history = (await store.history('25544')).map((s) => s.elements);
  const events = maneuverEvents(detectManeuvers(history));
  await store.saveEvents(events);
  // A reentry prediction from the object's last two TLEs (reentry/ssa-script-tip), as the CLI writes it.
  const tip = refPath('reentry/ssa-script-tip');
  const tles = join(dir, '66877.tle');
  writeFileSync(
    tles,
    readFileSync(join(tip, 'tle_66877_1769662703.txt'), 'utf8') +
      readFileSync(join(tip, 'tle_66877_20260129_111538.txt'), 'utf8'),
  );
  const reentryEvents = join(dir, 'reentry-events.json');
  const reentryRdm = join(dir, 'reentry.rdm');
  const reentry = runHoshimi(['reentry', '--elements', tles, '--events', reentryEvents, '--rdm', reentryRdm]);
  if (reentry.status !== 0) throw new Error(`hoshimi reentry failed: ${reentry.stderr}`);
  await store.saveEvents(JSON.parse(readFileSync(reentryEvents, 'utf8')));
  return { dir, path, store, maneuvers: events.length, reentryRdm };
}
