#!/usr/bin/env node
// The main job (`npm start`): propagates the real 2023-10-09 full catalog over one day, hourly,
// in GCRF, to out/positions-2023-10-09.csv. Reference data: $HOSHIMI_REFERENCE_DATA or ../shared/data.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../packages/cli/dist/main.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(process.env.HOSHIMI_REFERENCE_DATA ?? join(root, '../shared/data'));
const out = join(root, 'out', 'positions-2023-10-09.csv');
mkdirSync(dirname(out), { recursive: true });
process.exitCode = await main([
  'propagate',
  '--elements',
  join(data, 'catalog/full_catalog_2023-10-09.3le.txt.gz'),
  '--from',
  '2023-10-09T00:00:00Z',
  '--to',
  '2023-10-10T00:00:00Z',
  '--step',
  '3600',
  '--frame',
  'GCRF',
  '--out',
  out,
]);
