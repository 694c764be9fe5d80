/**
 * LAGEOS-2 orbit determination time (goal ≤ 5 s): `fitSlrOrbit` over the 95 ILRS normal points of
 * 2016-02-11..14 in the set-up of Orekit's testLageos2 (the same as eval/src/od-lageos2.ts and the
 * astro test od-lageos2.test.ts: EIGEN-6S 20×20, Sun, Moon, relativity, solid tides, troposphere,
 * Shapiro, range biases). Reading the files is not timed; the fit is, median of a few rounds.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  crdStationNames,
  createAstroContext,
  fitSlrOrbit,
  frameEpochAt,
  HarmonicGravity,
  instantOfUtcLabel,
  LAGEOS_COM_CORRECTION_KM,
  loadContext,
  makeState,
  measurementsFromCrd,
  mergeEopTables,
  parseBulletinBEop,
  parseCrd,
  parseIcgem,
  parseJplDe,
  parseSinex,
  Relativity,
  sinexStations,
  ThirdBodyGravity,
  transform,
  type Vec3,
} from '@hoshimi/astro';
import { record, refFile } from './harness.js';

function readRef(relative: string): string {
  const raw = readFileSync(refFile(relative));
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; issues: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.issues[0])}`);
  return r.value;
}

interface OrekitExpected {
  initial_guess: { position_m: number[]; velocity_mps: number[] };
  expected: {
    iterations: { value: number };
    estimated_state: {
      position_m: number[];
      velocity_mps: number[];
      position_tolerance_m: number;
      velocity_tolerance_mps: number;
    };
    range_residuals_m: { n: number; min: number; max: number; mean: number; std: number; tolerance: number };
  };
}

/** Orekit's σ for every range, km (od_test_Lageos2.in: range.sigma = 20 m). */
const RANGE_SIGMA_KM = 0.02;
/** Integration tolerances of the fit (as the astro test od-lageos2.test.ts). */
const PROPAGATION = { relTol: 1e-10, absTolKm: 1e-6, absTolKmS: 1e-9 } as const;

/** The whole set-up, and a function that runs the fit. */
function lageos2Setup() {
  const text = (p: string) => readRef(p);
  const orekit = JSON.parse(text('od/lageos2/orekit-expected.json')) as OrekitExpected;
  const leapSeconds = unwrap(
    loadContext({ leapSecondsText: text('earth/tai-utc.dat') }),
    'leap seconds',
  ).leapSeconds;
  const bulletins = ['bulletinb-337.txt', 'bulletinb-338.txt'].map((f) =>
    unwrap(parseBulletinBEop(text(`od/lageos2/${f}`), { file: f }), f),
  );
  const context = createAstroContext({ leapSeconds, eop: mergeEopTables(bulletins) });
  const ephemeris = unwrap(
    parseJplDe(new Uint8Array(readFileSync(refFile('earth/ephemerides/lnxp2016.430')))),
    'DE430',
  );
  const epoch = instantOfUtcLabel({ jd: 2400000.5 + 57431, jdFrac: 16 / 24 }, context);
  const gravity = unwrap(
    parseIcgem(text('earth/gravity/eigen-6s-truncated'), {
      file: 'eigen-6s-truncated',
      epoch,
      allowMissing: true,
    }),
    'EIGEN-6S',
  );
  const crd = unwrap(parseCrd(text('od/lageos2/lageos2_20160214.npt')), 'CRD');
  const measurements = measurementsFromCrd(crd, { context, fileName: 'lageos2_20160214.npt' });
  const stations = sinexStations(
    unwrap(parseSinex(text('od/lageos2/SLRF2014_POS+VEL_2030.0_200428.snx')), 'SINEX'),
    epoch,
    {
      context,
      eccentricities: unwrap(parseSinex(text('od/lageos2/ecc_une.snx')), 'eccentricities'),
      names: crdStationNames(crd),
    },
  );
  const forces = [
    new HarmonicGravity(gravity, 20, 20),
    new ThirdBodyGravity('SUN'),
    new ThirdBodyGravity('MOON'),
    new Relativity(gravity.muKm3S2),
  ];
  const km = (v: readonly number[]): Vec3 => [v[0]! / 1000, v[1]! / 1000, v[2]! / 1000];
  const g = orekit.initial_guess;
  const initialState = transform(
    makeState('EME2000', km(g.position_m), km(g.velocity_mps)),
    'GCRF',
    frameEpochAt(epoch, context),
  );
  const run = () =>
    fitSlrOrbit({
      measurements,
      stations,
      context,
      ephemeris,
      forceModels: forces,
      epoch,
      initialState,
      options: {
        rangeSigmaKm: RANGE_SIGMA_KM,
        model: { centerOfMassKm: LAGEOS_COM_CORRECTION_KM },
        propagation: PROPAGATION,
        leastSquares: { editing: { k: 6, startIteration: 2 }, initialDamping: 0 },
      },
    });
  return { orekit, context, ephemeris, epoch, forces, measurements, run, text };
}

export async function benchLageos2(rounds: number): Promise<void> {
  const s = lageos2Setup();
  const times: number[] = [];
  let last: ReturnType<typeof s.run> | undefined;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    last = s.run();
    times.push((performance.now() - t0) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `  LAGEOS-2 fit rounds: ${times.map((t) => t.toFixed(2)).join(', ')} s; ${last?.iterations} iterations, ${s.measurements.length} normal points, residual RMS ${last?.statistics.rmsM.toFixed(3)} m`,
  );
  record({
    bench: 'od',
    metric: 'LAGEOS-2 OD, 95 normal points',
    ours: sorted[Math.floor(sorted.length / 2)]!,
    peer: null,
    unit: 's',
  });
}
