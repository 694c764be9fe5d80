/**
 * LAGEOS-2 fitted to the 95 ILRS normal points of 2016-02-11..14 with `fitSlrOrbit`, in the set-up
 * of Orekit's NumericalOrbitDeterminationTest.testLageos2 (od/lageos2/orekit-expected.json): EOP
 * from IERS Bulletins B 337 + 338, EIGEN-6S 20×20, Sun and Moon from the DE430 excerpt, relativity;
 * SLRF2014 stations (no velocity) with the UNE eccentricities, solid tides, Mendes–Pavlis, Shapiro,
 * LAGEOS centre of mass, one range bias per station, every range weighted 20 m, 6σ editing from the
 * second iteration. Compared with Orekit's asserted state and residual statistics, and with the SGF
 * CPF of 2016-02-13 (ITRF). The residuals are drawn to docs/od-lageos2-residuals.svg.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AstroContext,
  applyFrameTransform,
  cpfPositions,
  crdStationNames,
  createAstroContext,
  fitSlrOrbit,
  formatTime,
  frameEpochAt,
  frameTransform,
  HarmonicGravity,
  instantOfUtcLabel,
  LAGEOS_COM_CORRECTION_KM,
  loadContext,
  makeState,
  measurementsFromCrd,
  mergeEopTables,
  parseBulletinBEop,
  parseCpf,
  parseCrd,
  parseIcgem,
  parseJplDe,
  parseSinex,
  propagateNumerical,
  Relativity,
  sinexStations,
  ThirdBodyGravity,
  transform,
  type Vec3,
} from '@hoshimi/astro';
import { renderSvg, residualChartData, residualChartSpec } from '@hoshimi/plot';
import { readText } from './od.js';

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
export function lageos2Setup(dataDir: string) {
  const text = (p: string) => readText(dataDir, p);
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
    parseJplDe(new Uint8Array(readFileSync(join(dataDir, 'earth/ephemerides/lnxp2016.430')))),
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
        // Orekit's harness keeps the SLRF2014 stations at their 2010.0 positions (no velocity).
        model: { centerOfMassKm: LAGEOS_COM_CORRECTION_KM, stationVelocity: false },
        propagation: PROPAGATION,
        leastSquares: { editing: { k: 6, startIteration: 2 }, initialDamping: 0 },
      },
    });
  return { orekit, context, ephemeris, epoch, forces, measurements, run, text };
}

function sampleStats(xs: readonly number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, min: Math.min(...xs), max: Math.max(...xs), mean, std };
}

export async function lageos2Section(
  input: { readonly dataDir: string; readonly writeFile: (relative: string, text: string) => void },
  _finalsContext: AstroContext,
): Promise<string> {
  const s = lageos2Setup(input.dataDir);
  const { context, epoch, forces, ephemeris } = s;
  const t0 = performance.now();
  const fit = s.run();
  const seconds = (performance.now() - t0) / 1000;
  // Against Orekit: the state in EME2000 at 2016-02-13T16:00 UTC, the residual statistics.
  const st = transform(fit.state, 'EME2000', frameEpochAt(epoch, context));
  const ref = s.orekit.expected.estimated_state;
  const dPos = Math.hypot(...st.rKm.map((x, k) => x * 1000 - ref.position_m[k]!));
  const dVel = Math.hypot(...st.vKmS.map((x, k) => x * 1000 - ref.velocity_mps[k]!));
  const res = sampleStats(fit.residuals.map((r) => r.residualM));
  const exp = s.orekit.expected.range_residuals_m;
  // Against the CPF: the fitted orbit propagated to every CPF time, in ITRF.
  const cpf = cpfPositions(
    unwrap(parseCpf(s.text('od/lageos2/lageos2_cpf_160213_5441.sgf')), 'CPF'),
    context,
  );
  const ts = cpf.epochs.map((t) => t.secondsSince(epoch));
  const diffs: number[] = new Array(ts.length).fill(Number.NaN);
  for (const sign of [-1, 1]) {
    const idx = ts.map((_, i) => i).filter((i) => (sign < 0 ? ts[i]! <= 0 : ts[i]! > 0));
    if (sign < 0) idx.reverse();
    const p = propagateNumerical(
      { epoch, state: fit.state },
      forces,
      idx.map((i) => ts[i]!),
      { ...PROPAGATION, context, ephemeris, keepDense: false },
    );
    idx.forEach((i, k) => {
      const m = frameTransform('GCRF', 'ITRF', frameEpochAt(cpf.epochs[i]!, context));
      const r: Vec3 = [0, 0, 0];
      const w: Vec3 = [0, 0, 0];
      applyFrameTransform(m, p.states[k]!.rKm, p.states[k]!.vKmS, r, w);
      const c = cpf.positionsKm[i]!;
      diffs[i] = Math.hypot(r[0] - c[0], r[1] - c[1], r[2] - c[2]) * 1000;
    });
  }
  const cpfRms = Math.sqrt(diffs.reduce((a, b) => a + b * b, 0) / diffs.length);
  const cpfMax = Math.max(...diffs);
  const sc = fit.scaledCovariance;
  const sigPos = [0, 7, 14].map((k) => Math.sqrt(sc[k]!) * 1000);
  input.writeFile(
    'docs/od-lageos2-residuals.svg',
    await renderSvg(
      residualChartSpec(
        residualChartData(
          fit.residuals.map((r) => ({
            time: formatTime(r.epoch, context, { decimals: 0 }),
            station: r.station,
            residual: r.residualM,
            rejected: r.rejected,
          })),
          'range residual, computed − observed (m)',
        ),
        {
          title: `LAGEOS-2, ${fit.residuals.length} ILRS normal points 2016-02-11..14: residuals of the fit by station`,
        },
      ),
    ),
  );
  console.log(
    `LAGEOS-2: ${fit.iterations} iterations, ${seconds.toFixed(2)} s, |dr| vs Orekit ${dPos.toFixed(3)} m, residual std ${res.std.toFixed(3)} m, CPF rms ${cpfRms.toFixed(3)} m`,
  );
  const stationRows = fit.stations.map(
    (p) =>
      `| ${p.station} | ${p.count} | ${p.rejected} | ${p.meanM.toFixed(3)} | ${p.rmsM.toFixed(3)} | ${p.biasM === undefined ? '–' : `${p.biasM.toFixed(3)} ± ${p.biasSigmaM?.toFixed(3)}`} |`,
  );
  return [
    '`fitSlrOrbit` on the 95 normal points of `od/lageos2/lageos2_20160214.npt` (4 stations, 2016-02-11..14),',
    "epoch 2016-02-13T16:00 UTC, from Orekit's first guess, in the set-up of Orekit's",
    '`NumericalOrbitDeterminationTest.testLageos2` (EOP from Bulletins B 337 + 338, EIGEN-6S 20×20, Sun and',
    'Moon from DE430, relativity; SLRF2014 stations without velocity plus UNE eccentricities, solid tides,',
    'Mendes–Pavlis, Shapiro, centre of mass 0.251 m, one range bias per station, σ 20 m for every range, 6σ',
    `editing from the second iteration). ${fit.iterations} iterations (Orekit ${s.orekit.expected.iterations.value}), converged ${fit.converged}, ${seconds.toFixed(2)} s.`,
    '',
    '| quantity | Hoshimi | Orekit asserts | difference | Orekit tolerance |',
    '|---|---|---|---|---|',
    `| position at the epoch (EME2000) | (${st.rKm.map((x) => (x * 1000).toFixed(3)).join(', ')}) m | (${ref.position_m.join(', ')}) m | ${dPos.toFixed(3)} m | ${ref.position_tolerance_m} m |`,
    `| velocity at the epoch | (${st.vKmS.map((x) => (x * 1000).toFixed(5)).join(', ')}) m/s | (${ref.velocity_mps.join(', ')}) m/s | ${dVel.toExponential(2)} m/s | ${ref.velocity_tolerance_mps} m/s |`,
    `| residuals n / rejected | ${res.n} / ${fit.statistics.rejected} | ${exp.n} | | |`,
    `| residual min | ${res.min.toFixed(4)} m | ${exp.min} m | ${(res.min - exp.min).toFixed(4)} m | ${exp.tolerance} m |`,
    `| residual max | ${res.max.toFixed(4)} m | ${exp.max} m | ${(res.max - exp.max).toFixed(4)} m | ${exp.tolerance} m |`,
    `| residual mean | ${res.mean.toFixed(4)} m | ${exp.mean} m | ${(res.mean - exp.mean).toFixed(4)} m | ${exp.tolerance} m |`,
    `| residual std | ${res.std.toFixed(4)} m | ${exp.std} m | ${(res.std - exp.std).toFixed(4)} m | ${exp.tolerance} m |`,
    `| residual RMS | ${fit.statistics.rmsM.toFixed(4)} m | | | |`,
    '',
    'Estimated range biases and residuals by station (m; bias ± formal σ with σ = 20 m per range):',
    '',
    '| station | used | rejected | mean residual | RMS | range bias |',
    '|---|---|---|---|---|---|',
    ...stationRows,
    '',
    `Position 1σ from the covariance scaled by the variance factor ${fit.fit.solution.varianceFactor.toExponential(2)}: ${sigPos.map((x) => x.toFixed(3)).join(', ')} m (GCRF x, y, z).`,
    '',
    `**Against the CPF.** The fitted orbit propagated over 2016-02-13 (${diffs.length} ITRF positions of the SGF CPF,`,
    `a prediction from the ILRS prediction centre, not a fit to these normal points): RMS ${cpfRms.toFixed(3)} m, max ${cpfMax.toFixed(3)} m.`,
    '',
    '![LAGEOS-2 residuals](docs/od-lageos2-residuals.svg)',
  ].join('\n');
}
