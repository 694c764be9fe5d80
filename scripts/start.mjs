#!/usr/bin/env node
// The main job (`npm start`): imports the real 2023-10-09 full catalog into the catalog store
// (out/hoshimi.db; importing the same file again adds nothing), then propagates the store's
// catalog as of 2023-10-10T00:00Z over that day, hourly, in GCRF, to out/positions-2023-10-09.csv.
// Reference data: $HOSHIMI_REFERENCE_DATA or ../shared/data.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../packages/cli/dist/main.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(process.env.HOSHIMI_REFERENCE_DATA ?? join(root, '../shared/data'));
const outDir = join(root, 'out');
mkdirSync(outDir, { recursive: true });
const db = join(outDir, 'hoshimi.db');

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
for (const args of steps) {
  process.stderr.write(`$ hoshimi ${args.join(' ')}\n`);
  const code = await main(args);
  if (code !== 0) {
    process.exitCode = code;
    break;
  }
}
