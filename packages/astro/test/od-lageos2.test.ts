/**
 * Real-data validation: LAGEOS-2 fitted to the 95 ILRS normal points of 2016-02-11..14 (4 stations)
 * and compared with what Orekit's NumericalOrbitDeterminationTest.testLageos2 asserts for the same
 * data (od/lageos2/orekit-expected.json) and with the SGF CPF prediction of 2016-02-13.
 *
 * Set-up as Orekit's harness: EIGEN-6S 20×20 (missing coefficients allowed, the time-variable terms
 * evaluated at the fit epoch), Sun and Moon from the DE430 excerpt, no drag or SRP; stations at the
 * SLRF2014 position of the 2010-01-01 reference epoch (velocity not applied) plus the UNE
 * eccentricity; solid-tide displacement, Mendes–Pavlis troposphere with the normal points' meteo and
 * wavelength, Shapiro delay, LAGEOS centre of mass 0.251 m, a range bias per station; all ranges
 * weighted alike (σ 20 m), 6σ editing from the second iteration.
 *
 * What differs from Orekit (see the tolerances): EOP from finals2000A (the IERS Bulletin B files of
 * the case have no reader yet), the IAU-76/FK5 GCRF chain without the IAU-1980 pole offsets, no
 * relativity force (6 mm on the state, measured with a local Schwarzschild term), degree-2 in-phase
 * solid tides only, an integrator far tighter than Orekit's 10 m position error.
 *
 * Results (measured): residual min/max/mean/std within 5 mm of Orekit's; the state 1.36 m and
 * 1.0e-3 m/s from Orekit's, of which all but 0.2 m and 1e-4 m/s is a 41 mas rotation of the
 * inertial frame (the missing IAU-1980 pole offsets; a diagnostic fit with them modelled comes to
 * 0.69 m and 1.07e-4 m/s); the fitted orbit vs the CPF over 2016-02-13: 1.15 m rms, 2.2 m max.
 */
import { describe, expect, it } from 'vitest';
import { type AstroContext, createAstroContext, loadContext } from '../src/context/astro-context.js';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { EopTable } from '../src/eop/eop-table.js';
import { applyFrameTransform, frameTransform, transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import { parseIcgem } from '../src/gravity/icgem-reader.js';
import { cpfPositions } from '../src/ilrs/cpf-positions.js';
import { parseCpf } from '../src/ilrs/cpf-read.js';
import { crdStationNames, measurementsFromCrd } from '../src/ilrs/crd-measurements.js';
import { parseCrd } from '../src/ilrs/crd-read.js';
import { parseSinex, sinexStations } from '../src/ilrs/sinex.js';
import type { Vec3 } from '../src/math/vec3.js';
import { HarmonicGravity } from '../src/numerical/harmonic-gravity.js';
import { parseJplDe } from '../src/numerical/jpl-de.js';
import { propagateNumerical } from '../src/numerical/propagate.js';
import { ThirdBodyGravity } from '../src/numerical/third-body.js';
import { fitSlrOrbit, LAGEOS_CENTER_OF_MASS_KM, slrRange, slrRangeModel } from '../src/od/slr.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefBytes, readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

interface Expected {
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
const orekit = JSON.parse(readRefText('od/lageos2/orekit-expected.json')) as Expected;

const context = unwrap(
  loadContext({
    leapSecondsText: readRefText('earth/tai-utc.dat'),
    eopText: readRefText('earth/finals2000A.all.gz'),
  }),
);
const ephemeris = unwrap(parseJplDe(new Uint8Array(readRefBytes('earth/ephemerides/lnxp2016.430'))));
const MJD = 57431; // 2016-02-13
const epoch = instantFromUtcDaySeconds(MJD, 16 * 3600, 0, context.leapSeconds);
const gravity = unwrap(
  parseIcgem(readRefText('earth/gravity/eigen-6s-truncated'), {
    file: 'eigen-6s-truncated',
    epoch,
    allowMissing: true,
  }),
);
const crd = unwrap(parseCrd(readRefText('od/lageos2/lageos2_20160214.npt')));
const measurements = measurementsFromCrd(crd, { context, fileName: 'lageos2_20160214.npt' });
const stations = sinexStations(
  unwrap(parseSinex(readRefText('od/lageos2/SLRF2014_POS+VEL_2030.0_200428.snx'))),
  epoch,
  {
    context,
    eccentricities: unwrap(parseSinex(readRefText('od/lageos2/ecc_une.snx'))),
    names: crdStationNames(crd),
  },
);
const forces = [
  new HarmonicGravity(gravity, 20, 20),
  new ThirdBodyGravity('SUN'),
  new ThirdBodyGravity('MOON'),
];

const km = (v: readonly number[]): Vec3 => [v[0]! / 1000, v[1]! / 1000, v[2]! / 1000];
const eme = (p: readonly number[], v: readonly number[]) => makeState('EME2000', km(p), km(v));
const dist = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/** Orekit's σ for every range, km (od_test_Lageos2.in: range.sigma = 20 m); all weights equal. */
const OREKIT_RANGE_SIGMA_KM = 0.02;
/**
 * Integration tolerances: 1e-10 relative, 1 mm and 1 µm/s absolute. Tightening to 1e-11 / 0.1 mm
 * moves the fitted state by 3 mm (measured) and doubles the time; Orekit's own integrator
 * allows 10 m of position error per step.
 */
const PROPAGATION = { relTol: 1e-10, absTolKm: 1e-6, absTolKmS: 1e-9 } as const;

function runFit(stationVelocity: boolean, ctx: AstroContext = context) {
  const g = orekit.initial_guess;
  const initialState = transform(eme(g.position_m, g.velocity_mps), 'GCRF', frameEpochAt(epoch, ctx));
  const t0 = performance.now();
  const fit = fitSlrOrbit({
    measurements,
    stations,
    context: ctx,
    ephemeris,
    forceModels: forces,
    epoch,
    initialState,
    options: {
      rangeSigmaKm: OREKIT_RANGE_SIGMA_KM,
      model: { centerOfMassKm: LAGEOS_CENTER_OF_MASS_KM, stationVelocity },
      propagation: PROPAGATION,
      // Orekit: Gauss–Newton, outlier filter 6σ from the second iteration.
      leastSquares: { editing: { k: 6, startIteration: 2 }, initialDamping: 0 },
    },
  });
  return { fit, seconds: (performance.now() - t0) / 1000 };
}

let mainFit: ReturnType<typeof runFit> | undefined;
const orekitLikeFit = (): ReturnType<typeof runFit> => {
  mainFit ??= runFit(false);
  return mainFit;
};

/** Sample statistics as Orekit's StreamingStatistics gives them (std with n − 1). */
function statistics(xs: readonly number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, min: Math.min(...xs), max: Math.max(...xs), mean, std };
}

/**
 * The small rotation ω (rad) that best maps Orekit's state onto ours, dr ≈ ω × r and dv ≈ ω × v
 * (each equation scaled by |r| or |v|), by least squares; and what is left after it.
 */
function bestRotation(r: Vec3, v: Vec3, dr: Vec3, dv: Vec3) {
  const rows: number[][] = [];
  const rhs: number[] = [];
  // ω × a = −[a]ₓ ω: rows of −[a]ₓ.
  const add = (a: Vec3, d: Vec3, s: number) => {
    rows.push([0, a[2] / s, -a[1] / s], [-a[2] / s, 0, a[0] / s], [a[1] / s, -a[0] / s, 0]);
    rhs.push(d[0] / s, d[1] / s, d[2] / s);
  };
  add(r, dr, Math.hypot(...r));
  add(v, dv, Math.hypot(...v));
  // Normal equations 3×3, solved by Cramer's rule.
  const n = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const b = [0, 0, 0];
  rows.forEach((row, k) => {
    for (let i = 0; i < 3; i++) {
      b[i]! += row[i]! * rhs[k]!;
      for (let j = 0; j < 3; j++) n[3 * i + j]! += row[i]! * row[j]!;
    }
  });
  const det = (m: number[]) =>
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const d = det(n);
  const w = [0, 1, 2].map((c) => det(n.map((x, k) => (k % 3 === c ? b[Math.floor(k / 3)]! : x))) / d) as Vec3;
  const cross = (a: Vec3, c: Vec3): Vec3 => [
    a[1] * c[2] - a[2] * c[1],
    a[2] * c[0] - a[0] * c[2],
    a[0] * c[1] - a[1] * c[0],
  ];
  const wr = cross(w, r);
  const wv = cross(w, v);
  return {
    omegaRad: w,
    positionLeft: Math.hypot(dr[0] - wr[0], dr[1] - wr[1], dr[2] - wr[2]),
    velocityLeft: Math.hypot(dv[0] - wv[0], dv[1] - wv[1], dv[2] - wv[2]),
  };
}

const MAS = Math.PI / 180 / 3600 / 1000;

describe('LAGEOS-2 from ILRS normal points (Orekit NumericalOrbitDeterminationTest.testLageos2)', () => {
  it('the range model: parts of the right size, partials equal to finite differences', () => {
    const g = orekit.expected.estimated_state;
    const m = measurements[40]!;
    // A state near the measurement: Orekit's solution propagated there.
    const p = propagateNumerical(
      {
        epoch,
        state: transform(eme(g.position_m, g.velocity_mps), 'GCRF', frameEpochAt(epoch, context)),
      },
      forces,
      [m.epoch.secondsSince(epoch)],
      { ...PROPAGATION, context, ephemeris, keepDense: false },
    );
    const x = p.states[0]!;
    const options = { context, stations, ephemeris, centerOfMassKm: LAGEOS_CENTER_OF_MASS_KM };
    const d = slrRange(m, x, options);
    console.log(
      `SLR range parts (${m.station}): geometric ${d.geometricKm.toFixed(6)} km, troposphere ${(d.troposphereKm * 1000).toFixed(3)} m at ${((d.elevationRad * 180) / Math.PI).toFixed(1)}° elevation, Shapiro ${(d.shapiroKm * 1000).toFixed(4)} m, bounce ${(d.bounceOffsetS * 1000).toFixed(3)} ms after transmit; O − C ${((m.values[0]! - d.rangeKm) * 1000).toFixed(2)} m`,
    );
    // Troposphere at > 20° elevation: 2.3–7 m (Mendes–Pavlis zenith ≈ 2.4 m at sea level).
    expect(d.elevationRad).toBeGreaterThan((20 * Math.PI) / 180);
    expect(d.troposphereKm).toBeGreaterThan(2e-3);
    expect(d.troposphereKm).toBeLessThan(7e-3);
    // Shapiro of the Earth for LAGEOS: below 1 cm.
    expect(d.shapiroKm).toBeGreaterThan(0);
    expect(d.shapiroKm).toBeLessThan(1e-5);
    // The bounce is half the time of flight after transmit.
    expect(Math.abs(d.bounceOffsetS - m.values[0]! / 299792.458)).toBeLessThan(1e-6);
    // Orekit's solution (its own frame, see below) is within a few metres of every normal point.
    const ORIKIT_STATE_OFFSET_KM = 5e-3;
    expect(Math.abs(m.values[0]! - d.rangeKm)).toBeLessThan(ORIKIT_STATE_OFFSET_KM);
    // Partials against central differences (1 m, 1 m/s). They neglect the light-time coupling
    // (∂τ/∂r moves the bounce point), a relative error of order |v|/c ≈ 2e-5, and the troposphere's
    // change with elevation (~3e-7 here): measured up to 2.1e-6 on ∂ρ/∂r and 4e-8 s on ∂ρ/∂v.
    const model = slrRangeModel(options);
    const bias = `range-bias:${m.station}`;
    const out = model(m, x, m.epoch, { [bias]: 0.001 });
    expect(out.values[0]! - d.rangeKm).toBeCloseTo(0.001, 12);
    expect(out.dParameters?.[bias]).toEqual([1]);
    for (let j = 0; j < 6; j++) {
      const h = 1e-3;
      const shift = (s: number) => {
        const r: Vec3 = [x.rKm[0], x.rKm[1], x.rKm[2]];
        const v: Vec3 = [x.vKmS[0], x.vKmS[1], x.vKmS[2]];
        if (j < 3) r[j] = r[j]! + s * h;
        else v[j - 3] = v[j - 3]! + s * h;
        return slrRange(m, makeState('GCRF', r, v), options).rangeKm;
      };
      const fd = (shift(1) - shift(-1)) / (2 * h);
      const LIGHT_TIME_COUPLING = 2e-5;
      const PARTIAL_ABS = j < 3 ? LIGHT_TIME_COUPLING : LIGHT_TIME_COUPLING * 0.05;
      console.log(
        `  dρ/dx[${j}] model ${out.dState[j]!.toExponential(6)} finite difference ${fd.toExponential(6)}`,
      );
      expect(Math.abs(out.dState[j]! - fd)).toBeLessThan(PARTIAL_ABS);
    }
  });

  it('fits the 95 normal points with the residuals Orekit asserts; the state agrees up to a frame rotation', () => {
    expect(measurements.length).toBe(orekit.expected.range_residuals_m.n);
    expect([...new Set(measurements.map((m) => m.timeTag))]).toEqual(['transmit']);
    const { fit, seconds } = orekitLikeFit();
    const st = transform(fit.state, 'EME2000', frameEpochAt(epoch, context));
    const ref = orekit.expected.estimated_state;
    const rM = st.rKm.map((x) => x * 1000) as Vec3;
    const vMs = st.vKmS.map((x) => x * 1000) as Vec3;
    const dr = rM.map((x, k) => x - ref.position_m[k]!) as Vec3;
    const dv = vMs.map((x, k) => x - ref.velocity_mps[k]!) as Vec3;
    const dPos = Math.hypot(...dr);
    const dVel = Math.hypot(...dv);
    const rot = bestRotation(rM, vMs, dr, dv);
    const res = statistics(fit.residuals.map((r) => r.residualM));
    const exp = orekit.expected.range_residuals_m;
    console.log(
      `LAGEOS-2 SLR fit: ${fit.iterations} iterations (Orekit ${orekit.expected.iterations.value}), converged ${fit.converged}, ${seconds.toFixed(2)} s (EOP finals2000A, no relativity force)`,
    );
    console.log(
      `  EME2000 at 2016-02-13T16:00Z: r ${rM.map((x) => x.toFixed(3)).join(', ')} m; v ${vMs.map((x) => x.toFixed(5)).join(', ')} m/s`,
    );
    console.log(
      `  vs Orekit: |dr| ${dPos.toFixed(3)} m (Orekit tol ${ref.position_tolerance_m}), |dv| ${dVel.toExponential(3)} m/s (tol ${ref.velocity_tolerance_mps})`,
    );
    console.log(
      `  best rotation ω = (${rot.omegaRad.map((x) => (x / MAS).toFixed(1)).join(', ')}) mas; left after it: |dr| ${rot.positionLeft.toFixed(3)} m, |dv| ${rot.velocityLeft.toExponential(3)} m/s`,
    );
    console.log(
      `  residuals (C − O) n ${res.n}, rejected ${fit.statistics.rejected}: min ${res.min.toFixed(3)} max ${res.max.toFixed(3)} mean ${res.mean.toFixed(4)} std ${res.std.toFixed(3)} m (Orekit ${exp.min} / ${exp.max} / ${exp.mean} / ${exp.std}); rms ${fit.statistics.rmsM.toFixed(3)} m`,
    );
    for (const p of fit.stations) {
      console.log(
        `  station ${p.station}: n ${p.count} rms ${p.rmsM.toFixed(3)} m, range bias ${p.biasM?.toFixed(3)} m (formal σ ${p.biasSigmaM?.toFixed(2)} m at σ = 20 m)`,
      );
    }
    expect(fit.converged).toBe(true);
    // Convergence tests differ (Orekit: normalised parameter change < 1e-3 with a 10 m position
    // scale; here a step < 1e-3 formal σ or a relative RMS change < 1e-4): we stop at 4 (measured),
    // never later than Orekit's 5.
    expect(fit.iterations).toBeLessThanOrEqual(orekit.expected.iterations.value);
    // Residual statistics: Orekit's own tolerance (0.62 m) — reached, to a few mm (measured).
    expect(res.n).toBe(exp.n);
    for (const [got, want] of [
      [res.min, exp.min],
      [res.max, exp.max],
      [res.mean, exp.mean],
      [res.std, exp.std],
    ] as const) {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(exp.tolerance);
    }
    // Tighter than Orekit's tolerance, what we reach (measured: 3 mm on min/max, 2 mm on std).
    const RESIDUAL_STATISTICS_M = 0.02;
    expect(Math.abs(res.std - exp.std)).toBeLessThan(RESIDUAL_STATISTICS_M);
    expect(Math.abs(res.min - exp.min)).toBeLessThan(RESIDUAL_STATISTICS_M);
    expect(Math.abs(res.max - exp.max)).toBeLessThan(RESIDUAL_STATISTICS_M);
    // The state: 1.36 m and 1.0e-3 m/s from Orekit's (measured), beyond its 0.62 m and 1.4e-4 m/s.
    // Nearly all of it is one rotation of the inertial frame, ω ≈ (−6, 40, −9) mas: the GCRF here
    // is the IAU-76/FK5 chain, which needs the IAU-1980 celestial pole offsets δΔψ, δΔε; the EOP
    // available (finals2000A, Bulletin B) carry only the IAU-2000 dX, dY, so δΔψ = δΔε = 0. Their
    // size in 2016 is mostly the IAU-2000 corrections to IAU-1976 precession and the frame bias,
    // δΔψ ≈ −41.8 mas − 299.65 mas/cy·0.161 cy ≈ −90 mas, a tilt of the pole by δΔψ·sin ε ≈ 36 mas
    // about y (plus the IAU 1980 vs 2000A nutation difference, a few mas) — the 40 mas fitted.
    // The orbit is consistent in that frame (the stations rotate with it), so the range residuals
    // are not affected. Without the rotation, 0.15–0.25 m and ~1e-4 m/s are left: within Orekit's
    // tolerances (the rotation takes 3 of the 6 degrees of freedom of the comparison).
    const FRAME_CHAIN_POSITION_M = 1.6;
    const FRAME_CHAIN_VELOCITY_MPS = 1.5e-3;
    const FRAME_ROTATION_MAS = 60;
    expect(dPos).toBeLessThan(FRAME_CHAIN_POSITION_M);
    expect(dVel).toBeLessThan(FRAME_CHAIN_VELOCITY_MPS);
    expect(Math.hypot(...rot.omegaRad) / MAS).toBeLessThan(FRAME_ROTATION_MAS);
    // The tilt is about the y axis, as the missing δΔψ predicts.
    expect(Math.abs(rot.omegaRad[1]) / MAS).toBeGreaterThan(25);
    expect(rot.positionLeft).toBeLessThan(ref.position_tolerance_m);
    expect(rot.velocityLeft).toBeLessThan(ref.velocity_tolerance_mps);
  }, 120_000);

  it('with the IAU-1980 pole offsets modelled, the state comes within Orekit velocity tolerance', () => {
    // Diagnostic of the frame explanation above, not a production path: the finals2000A EOP with
    // δΔψ, δΔε filled by their two largest parts, the IAU 2000 frame-bias pole offsets and the
    // IAU 2000 corrections to the IAU 1976 precession rates (IERS Conventions 2003, TN 32, ch. 5:
    // δΔψ = −41.775 mas − 299.65 mas/cy·T, δΔε = −6.8192 mas − 25.24 mas/cy·T, T in Julian
    // centuries TT since J2000), without the IAU 1980 vs 2000A nutation difference and the FCN.
    const eop = context.eop!;
    const nodes = Array.from({ length: eop.mjd.length }, (_, i) => {
      const n = eop.node(i);
      const t = (n.mjd - 51544.5) / 36525;
      return { ...n, dPsiRad: (-41.775 - 299.65 * t) * MAS, dEpsRad: (-6.8192 - 25.24 * t) * MAS };
    });
    const ctx = createAstroContext({
      leapSeconds: context.leapSeconds,
      eop: EopTable.create(nodes, { source: 'finals2000A + modelled IAU-1980 offsets' }),
    });
    const { fit, seconds } = runFit(false, ctx);
    const st = transform(fit.state, 'EME2000', frameEpochAt(epoch, ctx));
    const ref = orekit.expected.estimated_state;
    const rM = st.rKm.map((x) => x * 1000) as Vec3;
    const vMs = st.vKmS.map((x) => x * 1000) as Vec3;
    const dr = rM.map((x, k) => x - ref.position_m[k]!) as Vec3;
    const dv = vMs.map((x, k) => x - ref.velocity_mps[k]!) as Vec3;
    const rot = bestRotation(rM, vMs, dr, dv);
    console.log(
      `LAGEOS-2 SLR fit with modelled δΔψ, δΔε: ${seconds.toFixed(2)} s; vs Orekit |dr| ${Math.hypot(...dr).toFixed(3)} m, |dv| ${Math.hypot(...dv).toExponential(3)} m/s; rotation left (${rot.omegaRad.map((x) => (x / MAS).toFixed(1)).join(', ')}) mas; residual std ${fit.statistics.stdM.toFixed(3)} m`,
    );
    // Measured 1.07e-4 m/s: inside Orekit's 1.4e-4 m/s.
    expect(Math.hypot(...dv)).toBeLessThan(ref.velocity_tolerance_mps);
    // Measured 0.69 m: the tilt about y is gone (40 → 5 mas); what is left is mostly a 9 mas turn
    // about z (0.5 m at this radius), the FK5 equinox and sidereal time against IAU 2000/2006,
    // which δΔψ, δΔε cannot express, plus the 0.2 m that is not a rotation at all.
    const MODELLED_OFFSETS_POSITION_M = 0.8;
    expect(Math.hypot(...dr)).toBeLessThan(MODELLED_OFFSETS_POSITION_M);
    expect(Math.abs(rot.omegaRad[1]) / MAS).toBeLessThan(10);
  }, 120_000);

  it('with the SINEX station velocities applied (6.1 years of plate motion) the residuals shrink', () => {
    const { fit, seconds } = runFit(true);
    const base = orekitLikeFit().fit;
    const d = Math.hypot(...fit.state.rKm.map((x, k) => (x - base.state.rKm[k]!) * 1000));
    console.log(
      `LAGEOS-2 SLR fit with station velocities: ${fit.iterations} iterations, ${seconds.toFixed(2)} s; residual std ${fit.statistics.stdM.toFixed(3)} m (without ${base.statistics.stdM.toFixed(3)} m), min ${fit.statistics.minM.toFixed(3)} max ${fit.statistics.maxM.toFixed(3)} m; state moves ${d.toFixed(3)} m`,
    );
    for (const p of fit.stations) {
      console.log(`  station ${p.station}: rms ${p.rmsM.toFixed(3)} m, range bias ${p.biasM?.toFixed(3)} m`);
    }
    expect(fit.converged).toBe(true);
    // Measured 0.241 against 0.259 m: the stations moved by up to ~0.4 m since 2010.0, which the
    // range biases absorb only in part.
    expect(fit.statistics.stdM).toBeLessThan(base.statistics.stdM);
    // The state moves by decimetres (measured 0.60 m), not metres.
    const STATION_MOTION_STATE_M = 1;
    expect(d).toBeLessThan(STATION_MOTION_STATE_M);
  }, 120_000);

  it('the fitted orbit follows the SGF CPF prediction over 2016-02-13', () => {
    const { fit } = orekitLikeFit();
    const cpf = cpfPositions(
      unwrap(parseCpf(readRefText('od/lageos2/lageos2_cpf_160213_5441.sgf'))),
      context,
    );
    expect(cpf.referenceFrame).toBe(0);
    const ts = cpf.epochs.map((t) => t.secondsSince(epoch));
    const diffs: number[] = new Array(ts.length).fill(Number.NaN);
    for (const sign of [-1, 1]) {
      const idx = ts.map((_, i) => i).filter((i) => (sign < 0 ? ts[i]! <= 0 : ts[i]! > 0));
      if (sign < 0) idx.reverse();
      const grid = idx.map((i) => ts[i]!);
      const p = propagateNumerical({ epoch, state: fit.state }, forces, grid, {
        ...PROPAGATION,
        context,
        ephemeris,
        keepDense: false,
      });
      idx.forEach((i, k) => {
        const m = frameTransform('GCRF', 'ITRF', frameEpochAt(cpf.epochs[i]!, context));
        const r: Vec3 = [0, 0, 0];
        const w: Vec3 = [0, 0, 0];
        applyFrameTransform(m, p.states[k]!.rKm, p.states[k]!.vKmS, r, w);
        diffs[i] = dist(r, cpf.positionsKm[i]!) * 1000;
      });
    }
    const rms = Math.sqrt(diffs.reduce((a, b) => a + b * b, 0) / diffs.length);
    const max = Math.max(...diffs);
    const at16 = diffs[ts.indexOf(0)]!;
    console.log(
      `LAGEOS-2 fitted orbit vs SGF CPF over 2016-02-13 (${diffs.length} ITRF positions): rms ${rms.toFixed(3)} m, max ${max.toFixed(3)} m, at 16:00 ${at16.toFixed(3)} m`,
    );
    expect(diffs.every(Number.isFinite)).toBe(true);
    // A CPF is a prediction (extrapolated from an earlier fit) and our fit's own error is some
    // decimetres; measured rms and max are set into these bounds with a margin of about 1.5×.
    const CPF_RMS_M = 2;
    const CPF_MAX_M = 3;
    expect(rms).toBeLessThan(CPF_RMS_M);
    expect(max).toBeLessThan(CPF_MAX_M);
  }, 120_000);
});
