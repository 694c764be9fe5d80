/**
 * Real-data validation: LAGEOS-2 fitted to the 95 ILRS normal points of 2016-02-11..14 (4 stations)
 * and compared with what Orekit's NumericalOrbitDeterminationTest.testLageos2 asserts for the same
 * data (od/lageos2/orekit-expected.json) and with the SGF CPF prediction of 2016-02-13.
 *
 * Set-up as Orekit's harness: EOP from IERS Bulletins B 337 and 338, EIGEN-6S 20×20 (missing
 * coefficients allowed, the time-variable terms evaluated at the fit epoch), Sun and Moon from the
 * DE430 excerpt, relativity (Schwarzschild), no drag or SRP; stations at the SLRF2014 position of the
 * 2010-01-01 reference epoch (velocity not applied) plus the UNE eccentricity; solid-tide
 * displacement (IERS 2010 step 1, permanent deformation kept), Mendes–Pavlis troposphere with the
 * normal points' meteo and wavelength, Shapiro delay, LAGEOS centre of mass 0.251 m, a range bias
 * per station; all ranges weighted alike (σ 20 m), 6σ editing from the second iteration.
 *
 * What differs from Orekit: the GCRF here is the IAU-76/FK5 chain with the Bulletins' IAU-1980
 * δΔψ, δΔε (Orekit: IAU 2006/2000A, CIO based); a tighter integrator than Orekit's 10 m position
 * error; the CoM correction subtracted from the computed range (Orekit adds it; only the biases see
 * the difference).
 *
 * Results (measured): residual min/max/mean/std within 5 mm of Orekit's; the state 0.61 m and
 * 1.30e-4 m/s from Orekit's (its tolerances: 0.62 m, 1.4e-4 m/s), 0.5 m of it a 9 mas turn about
 * z between the two frame chains. With finals2000A EOP instead (no IAU-1980 offsets) the state is
 * tilted by 40 mas (1.35 m). The fitted orbit vs the CPF over 2016-02-13: 1.16 m rms, 2.2 m max.
 */
import { describe, expect, it } from 'vitest';
import { type AstroContext, createAstroContext, loadContext } from '../src/context/astro-context.js';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { mergeEopTables, parseBulletinBEop } from '../src/eop/bulletin-b.js';
import { applyFrameTransform, frameTransform, transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import { LAGEOS_COM_CORRECTION_KM } from '../src/geodesy/center-of-mass.js';
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
import { Relativity } from '../src/numerical/relativity.js';
import { ThirdBodyGravity } from '../src/numerical/third-body.js';
import { fitSlrOrbit, type SlrOrbitFit, slrRange, slrRangeModel } from '../src/od/slr.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefBytes, readRefText } from './reference-data.js';
import { codeOf, unwrap } from './test-support.js';

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

/** EOP of Orekit's case: the final values of IERS Bulletins B 337 and 338 (with the IAU-1980 δΔψ, δΔε). */
const leapSeconds = unwrap(loadContext({ leapSecondsText: readRefText('earth/tai-utc.dat') })).leapSeconds;
const bulletins = ['bulletinb-337.txt', 'bulletinb-338.txt'].map((f) =>
  unwrap(parseBulletinBEop(readRefText(`od/lageos2/${f}`), { file: f })),
);
const context = createAstroContext({ leapSeconds, eop: mergeEopTables(bulletins) });
/** The same with finals2000A: dX, dY for IAU 2000 only, so δΔψ = δΔε = 0 in the FK5 chain. */
const finalsContext = unwrap(
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
  new Relativity(gravity.muKm3S2),
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
      model: { centerOfMassKm: LAGEOS_COM_CORRECTION_KM, stationVelocity },
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

/** The fitted state in EME2000 (m, m/s) against Orekit's, with the best rotation between them. */
function compareWithOrekit(fit: SlrOrbitFit, ctx: AstroContext) {
  const st = transform(fit.state, 'EME2000', frameEpochAt(epoch, ctx));
  const ref = orekit.expected.estimated_state;
  const rM = st.rKm.map((x) => x * 1000) as Vec3;
  const vMs = st.vKmS.map((x) => x * 1000) as Vec3;
  const dr = rM.map((x, k) => x - ref.position_m[k]!) as Vec3;
  const dv = vMs.map((x, k) => x - ref.velocity_mps[k]!) as Vec3;
  return { rM, vMs, dPos: Math.hypot(...dr), dVel: Math.hypot(...dv), rot: bestRotation(rM, vMs, dr, dv) };
}

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
      // The transmit tag, and the reception (transmit + time of flight) for the check below.
      [m.epoch.secondsSince(epoch), m.epoch.secondsSince(epoch) + (2 * m.values[0]!) / 299792.458],
      { ...PROPAGATION, context, ephemeris, keepDense: false },
    );
    const x = p.states[0]!;
    // Orekit's harness: the SINEX positions at their 2010.0 reference epoch, without velocity.
    const options = {
      context,
      stations,
      ephemeris,
      centerOfMassKm: LAGEOS_COM_CORRECTION_KM,
      stationVelocity: false,
    };
    const d = slrRange(m, x, options);
    // The default applies the SINEX velocity (6.1 years of plate motion): decimetres of range.
    const { stationVelocity: _parity, ...defaults } = options;
    const dDefault = slrRange(m, x, defaults);
    const dMoving = slrRange(m, x, { ...options, stationVelocity: true });
    console.log(
      `  station velocity changes this range by ${((dDefault.rangeKm - d.rangeKm) * 1000).toFixed(3)} m`,
    );
    expect(dDefault.rangeKm).toBe(dMoving.rangeKm);
    const PLATE_MOTION_MIN_KM = 1e-5;
    expect(Math.abs(dDefault.rangeKm - d.rangeKm)).toBeGreaterThan(PLATE_MOTION_MIN_KM);
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
    // The same normal point tagged at reception (transmit + time of flight) with the state there:
    // the light-time solution runs the other way round and must give the same range (measured
    // 0.013 mm: the troposphere is taken at the first leg's elevation, which is the down leg now).
    const received = {
      ...m,
      timeTag: 'receive' as const,
      epoch: m.epoch.plusSeconds((2 * m.values[0]!) / 299792.458),
    };
    const dRx = slrRange(received, p.states[1]!, options);
    console.log(
      `  tagged at reception: range differs by ${((dRx.rangeKm - d.rangeKm) * 1e6).toFixed(3)} mm, bounce ${(dRx.bounceOffsetS * 1000).toFixed(3)} ms`,
    );
    const TAG_SYMMETRY_KM = 1e-6;
    expect(Math.abs(dRx.rangeKm - d.rangeKm)).toBeLessThan(TAG_SYMMETRY_KM);
    expect(dRx.bounceOffsetS).toBeLessThan(0);
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

  it('fits the 95 normal points: state and residuals within the tolerances Orekit asserts', () => {
    expect(measurements.length).toBe(orekit.expected.range_residuals_m.n);
    expect([...new Set(measurements.map((m) => m.timeTag))]).toEqual(['transmit']);
    const { fit, seconds } = orekitLikeFit();
    const c = compareWithOrekit(fit, context);
    const res = statistics(fit.residuals.map((r) => r.residualM));
    const exp = orekit.expected.range_residuals_m;
    const ref = orekit.expected.estimated_state;
    console.log(
      `LAGEOS-2 SLR fit: ${fit.iterations} iterations (Orekit ${orekit.expected.iterations.value}), converged ${fit.converged}, ${seconds.toFixed(2)} s (EOP Bulletin B 337+338, relativity on)`,
    );
    console.log(
      `  EME2000 at 2016-02-13T16:00Z: r ${c.rM.map((x) => x.toFixed(3)).join(', ')} m; v ${c.vMs.map((x) => x.toFixed(5)).join(', ')} m/s`,
    );
    console.log(
      `  vs Orekit: |dr| ${c.dPos.toFixed(3)} m (Orekit tol ${ref.position_tolerance_m}), |dv| ${c.dVel.toExponential(3)} m/s (tol ${ref.velocity_tolerance_mps}); best rotation (${c.rot.omegaRad.map((x) => (x / MAS).toFixed(1)).join(', ')}) mas, left |dr| ${c.rot.positionLeft.toFixed(3)} m`,
    );
    console.log(
      `  residuals (C − O) n ${res.n}, rejected ${fit.statistics.rejected}: min ${res.min.toFixed(3)} max ${res.max.toFixed(3)} mean ${res.mean.toFixed(4)} std ${res.std.toFixed(3)} m (Orekit ${exp.min} / ${exp.max} / ${exp.mean} / ${exp.std}); rms ${fit.statistics.rmsM.toFixed(3)} m`,
    );
    const sc = fit.scaledCovariance;
    console.log(
      `  scaled covariance (σ̂² = ${fit.fit.solution.varianceFactor.toExponential(2)}): position σ ${[0, 7, 14].map((k) => (Math.sqrt(sc[k]!) * 1000).toFixed(3)).join(', ')} m, velocity σ ${[21, 28, 35].map((k) => (Math.sqrt(sc[k]!) * 1e6).toFixed(3)).join(', ')} mm/s (GCRF)`,
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
    // Residual statistics: Orekit's tolerance (0.62 m) …
    expect(res.n).toBe(exp.n);
    for (const [got, want] of [
      [res.min, exp.min],
      [res.max, exp.max],
      [res.mean, exp.mean],
      [res.std, exp.std],
    ] as const) {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(exp.tolerance);
    }
    // … and what we reach (measured: 5 mm on min, 0 on max, 1 mm on std).
    const RESIDUAL_STATISTICS_M = 0.02;
    expect(Math.abs(res.std - exp.std)).toBeLessThan(RESIDUAL_STATISTICS_M);
    expect(Math.abs(res.min - exp.min)).toBeLessThan(RESIDUAL_STATISTICS_M);
    expect(Math.abs(res.max - exp.max)).toBeLessThan(RESIDUAL_STATISTICS_M);
    // The state: Orekit's tolerances, 0.62 m and 1.4e-4 m/s (measured 0.61 m and 1.30e-4 m/s). Of
    // the 0.61 m, 0.5 m is a 9 mas turn about z: the FK5 chain (IAU-76/80 with the IAU-1980 δΔψ,
    // δΔε of the Bulletins) against Orekit's IAU-2006/2000A CIO-based chain, which differ in
    // equinox and sidereal time by that much; 0.19 m is not a rotation.
    expect(c.dPos).toBeLessThanOrEqual(ref.position_tolerance_m);
    expect(c.dVel).toBeLessThanOrEqual(ref.velocity_tolerance_mps);
  }, 120_000);

  it('with finals2000A EOP (no IAU-1980 pole offsets) the state is turned by their 40 mas tilt', () => {
    const { fit, seconds } = runFit(false, finalsContext);
    const c = compareWithOrekit(fit, finalsContext);
    const ref = orekit.expected.estimated_state;
    console.log(
      `LAGEOS-2 SLR fit with finals2000A EOP: ${seconds.toFixed(2)} s; vs Orekit |dr| ${c.dPos.toFixed(3)} m, |dv| ${c.dVel.toExponential(3)} m/s; best rotation (${c.rot.omegaRad.map((x) => (x / MAS).toFixed(1)).join(', ')}) mas, left |dr| ${c.rot.positionLeft.toFixed(3)} m, |dv| ${c.rot.velocityLeft.toExponential(3)} m/s; residual std ${fit.statistics.stdM.toFixed(3)} m`,
    );
    // finals2000A carries dX, dY for IAU 2000 only, so the FK5 chain runs with δΔψ = δΔε = 0 where
    // the Bulletins give −94.2 and −10.0 mas on 2016-02-13: a tilt of the pole by δΔψ·sin ε ≈ 37 mas
    // about y (measured: 40 mas about y) and 1.36 m, 1.0e-3 m/s at the epoch (measured). The orbit
    // is consistent in that frame (the stations turn with it): the residuals do not change.
    const FRAME_TILT_POSITION_M = 1.6;
    const FRAME_TILT_VELOCITY_MPS = 1.5e-3;
    expect(c.dPos).toBeLessThan(FRAME_TILT_POSITION_M);
    expect(c.dVel).toBeLessThan(FRAME_TILT_VELOCITY_MPS);
    expect(c.dPos).toBeGreaterThan(ref.position_tolerance_m);
    expect(Math.abs(c.rot.omegaRad[1]) / MAS).toBeGreaterThan(30);
    expect(Math.abs(c.rot.omegaRad[1]) / MAS).toBeLessThan(50);
    // Without the rotation what is left is what the Bulletin B fit has left (0.19 m).
    expect(c.rot.positionLeft).toBeLessThan(ref.position_tolerance_m);
    expect(Math.abs(fit.statistics.stdM - orekitLikeFit().fit.statistics.stdM)).toBeLessThan(0.005);
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

  it('refuses measurements it cannot model: other kinds, one-way ranges, unknown stations', () => {
    const g = orekit.initial_guess;
    const initialState = transform(eme(g.position_m, g.velocity_mps), 'GCRF', frameEpochAt(epoch, context));
    const fitWith = (ms: typeof measurements) => () =>
      fitSlrOrbit({
        measurements: ms,
        stations,
        context,
        ephemeris,
        forceModels: forces,
        epoch,
        initialState,
      });
    const m = measurements[0]!;
    expect(codeOf(fitWith([...measurements.slice(1), { ...m, path: 'one-way' }]))).toBe('OD_BAD_INPUT');
    expect(codeOf(fitWith([...measurements.slice(1), { ...m, kind: 'range-rate' }]))).toBe('OD_BAD_INPUT');
    expect(codeOf(fitWith([...measurements.slice(1), { ...m, station: 'NOPE' }]))).toBe('OD_BAD_INPUT');
  });

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
