/**
 * NRLMSISE-00 throughput: model evaluations per second over an altitude/latitude/local-time grid
 * (ap-array mode, as a drag model calls it), and atmosphericDensity per second at ITRF positions
 * with the CelesTrak space-weather lookup, both reusing one workspace. Median of several rounds. No peer in the same run (no
 * JavaScript NRLMSISE-00 is installed here); the rate is recorded alone.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  atmosphericDensity,
  geodeticToItrfArray,
  Nrlmsise00Workspace,
  nrlmsise00,
  parseCelestrakSpaceWeatherCsv,
  parseNrlmsise00Coefficients,
} from '@hoshimi/astro';
import { record, refFile } from './harness.js';

const ROUNDS = 5;
const N = 20000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function benchAtmosphere(): Promise<void> {
  const coeffs = parseNrlmsise00Coefficients(
    readFileSync(refFile('earth/atmosphere/nrlmsise00-coefficients.json'), 'utf8'),
  );
  const sw = parseCelestrakSpaceWeatherCsv(
    gunzipSync(readFileSync(refFile('earth/SW-All_1998-2026.csv.gz'))).toString('utf8'),
  );
  if (!sw.ok) throw new Error('space-weather file did not parse');
  const apArray = [15, 20, 12, 9, 7, 10, 8];
  const workspace = new Nrlmsise00Workspace();
  let sink = 0;
  const modelRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const o = nrlmsise00(
        coeffs,
        {
          doy: 1 + (i % 365),
          utSeconds: (i * 37) % 86400,
          altKm: 100 + (i % 901),
          latRad: (((i % 181) - 90) * Math.PI) / 180,
          lonRad: 0.3,
          lstHours: (i * 0.37) % 24,
          f107A: 150,
          f107: 140,
          ap: 15,
          apArray,
        },
        undefined,
        workspace,
      );
      sink += o.dragMassDensityKgM3;
    }
    modelRates.push(N / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  record({
    bench: 'atmosphere',
    metric: 'nrlmsise00 evaluations',
    ours: median(modelRates),
    peer: null,
    unit: '/s',
  });

  const jd0 = 2460000.5;
  const pos: [number, number, number] = [0, 0, 0];
  const densityRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      geodeticToItrfArray((((i % 161) - 80) * Math.PI) / 180, (i % 360) * 0.0174533, 300 + (i % 500), pos);
      sink += atmosphericDensity(coeffs, pos, jd0, (i % 1000) / 100, sw.value, { workspace }).rhoKgM3;
    }
    densityRates.push(N / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  record({
    bench: 'atmosphere',
    metric: 'atmosphericDensity with lookup',
    ours: median(densityRates),
    peer: null,
    unit: '/s',
  });
  if (!Number.isFinite(sink)) throw new Error('non-finite density in the benchmark');
}
