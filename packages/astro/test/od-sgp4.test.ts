/**
 * SGP4 differential correction (issue 14 §7, "a TLE fitted to SGP4's own positions reproduces them
 * within 1 m"): a real near-circular LEO TLE from Vallado's verification set is propagated over two
 * days; a fit started from a different first guess (osculating→mean elements at epoch, wrong B*)
 * must reproduce the positions within 1 m in memory, and the element set written as TLE text and as
 * OMM (full digits) is measured too. A second case whose elements are not representable in the TLE
 * columns (e ≈ 2e-6, angles with more decimals) shows what the TLE text loses. On real data, a TLE
 * is fitted to 16 h of the LAGEOS-2 SGF CPF and compared with the CPF's last 8 h.
 */
import { describe, expect, it } from 'vitest';
import { parseOmmKvn } from '../src/ccsds/omm-read.js';
import { ommFileToElements } from '../src/ccsds/omm-read-gp.js';
import { formatOmmKvn } from '../src/ccsds/omm-write.js';
import { loadContext } from '../src/context/astro-context.js';
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { formatTle, parseTleLines } from '../src/elements/tle.js';
import { transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { Measurement } from '../src/observations/observation.js';
import {
  elementsFromSgp4Equinoctial,
  fitSgp4,
  type Sgp4FitPoint,
  sgp4EquinoctialOf,
} from '../src/od/index.js';
import {
  instantOfUtcLabel,
  minutesSinceEpoch,
  utcLabelAfterEpoch,
  utcLabelOfInstant,
} from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { fitSgp4ElementsToState } from '../src/sgp4/state-fit.js';
import type { Instant } from '../src/time/instant.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { codeOf, loadLeapSecondDat, unwrap } from './test-support.js';

/** The issue's bar for a TLE fitted to SGP4's own positions. */
const ONE_M_KM = 1e-3;
const astro = createAstroContext({ leapSeconds: loadLeapSecondDat() });

// Vallado's SGP4-VER.TLE, 28057 (CBERS 2, near-circular sun-synchronous LEO).
const L1 = '1 28057U 03049A   06177.78615833  .00000060  00000-0  35940-4 0  1836';
const L2 = '2 28057  98.4283 247.6961 0000884  88.1964 271.9322 14.35478080140550';

function parse(l1: string, l2: string): ElementSet {
  const r = parseTleLines(l1, l2);
  if (!r.ok) throw new Error('bad TLE');
  return r.value;
}

/** TEME positions of `es` every stepMin over spanMin. */
function samples(es: ElementSet, spanMin: number, stepMin: number): Sgp4FitPoint[] {
  const rec = sgp4Init(es);
  const out = new Float64Array(6);
  const pts: Sgp4FitPoint[] = [];
  for (let t = 0; t <= spanMin; t += stepMin) {
    if (sgp4(rec, t, out) !== 0) throw new Error('sgp4 failed');
    pts.push({
      epoch: instantOfUtcLabel(utcLabelAfterEpoch(es.epoch, t), astro),
      frame: 'TEME',
      rKm: [out[0]!, out[1]!, out[2]!],
    });
  }
  return pts;
}

/** Largest |Δr| between `es` and the points, km. */
function maxError(es: ElementSet, truth: ElementSet, spanMin: number, stepMin: number): number {
  const a = sgp4Init(es);
  const b = sgp4Init(truth);
  const ra = new Float64Array(6);
  const rb = new Float64Array(6);
  let worst = 0;
  for (let t = 0; t <= spanMin; t += stepMin) {
    sgp4(a, t, ra);
    sgp4(b, t, rb);
    worst = Math.max(worst, Math.hypot(ra[0]! - rb[0]!, ra[1]! - rb[1]!, ra[2]! - rb[2]!));
  }
  return worst;
}

/** A first guess: the osculating state at epoch turned into mean elements, with a wrong B*. */
function firstGuess(truth: ElementSet): ElementSet {
  const rec = sgp4Init(truth);
  const rv = new Float64Array(6);
  sgp4(rec, 0, rv);
  // Perturb the state by 1 km and 1 m/s so the guess is not the answer.
  const r = [rv[0]! + 1, rv[1]! - 1, rv[2]!];
  const v = [rv[3]!, rv[4]! + 0.001, rv[5]!];
  const fit = fitSgp4ElementsToState(r, v, { ...truth, bstar: 1e-4 });
  if (!fit.ok) throw new Error('state fit failed');
  return fit.elements;
}

function roundTrips(fitted: ElementSet) {
  const [a, b] = formatTle(fitted);
  const tle = parse(a, b);
  const kvn = formatOmmKvn([fitted], { digits: 'full' });
  const parsed = parseOmmKvn(kvn);
  if (!parsed.ok) throw new Error('OMM did not parse');
  const omm = ommFileToElements(parsed.value).records[0]!.elements;
  return { lines: [a, b] as const, tle, omm };
}

const SPAN_MIN = 2 * 1440;
const STEP_MIN = 10;

describe('fitSgp4: a TLE fitted to its own SGP4 positions', () => {
  it('reproduces a real TLE within 1 m over two days (in memory, TLE text and OMM)', () => {
    const truth = parse(L1, L2);
    const points = samples(truth, SPAN_MIN, STEP_MIN);
    const guess = firstGuess(truth);
    const guessErr = maxError(guess, truth, SPAN_MIN, STEP_MIN);
    const fit = fitSgp4({ initial: guess, points, context: astro });
    const mem = maxError(fit.elements, truth, SPAN_MIN, STEP_MIN);
    const rt = roundTrips(fit.elements);
    const tleErr = maxError(rt.tle, truth, SPAN_MIN, STEP_MIN);
    const ommErr = maxError(rt.omm, truth, SPAN_MIN, STEP_MIN);
    const s = fit.solution;
    console.log(
      `TLE 28057 over 2 days, ${points.length} points: guess off by ${guessErr.toFixed(1)} km; fit ${s.iterations} iterations (${s.convergence}), RMS ${(fit.positionRmsKm * 1e6).toFixed(3)} mm; max |Δr| in memory ${(mem * 1e6).toFixed(3)} mm, TLE text ${(tleErr * 1e6).toFixed(3)} mm, OMM ${(ommErr * 1e6).toFixed(3)} mm; B* ${fit.elements.bstar.toExponential(5)} (truth ${truth.bstar.toExponential(5)})`,
    );
    console.log(`  written: ${rt.lines[0]}\n           ${rt.lines[1]}`);
    expect(s.converged).toBe(true);
    expect(mem).toBeLessThan(ONE_M_KM);
    expect(tleErr).toBeLessThan(ONE_M_KM);
    expect(ommErr).toBeLessThan(ONE_M_KM);
    // The fitted elements round to the original TLE's own digits (checksums aside).
    expect(rt.lines[1].slice(0, 68)).toBe(L2.slice(0, 68));
  });

  it.each([
    {
      name: '25954 (GEO, i = 0.0004°, e = 0.00018: the classical elements are singular here)',
      l1: '1 25954U 99060A   04039.68057285 -.00000108  00000-0  00000-0 0  6847',
      l2: '2 25954   0.0004 243.8136 0001765  15.5294  22.7134  1.00271289 15615',
      // B* is not observable at GEO over two days (SGP4's drag is nil there): kept fixed.
      fitBstar: false,
      // SGP4's deep-space secular and periodic terms are themselves singular at i = 0 (Vallado's
      // dscom/dsinit switch terms off below 3°), so the model is far from linear in h, k there:
      // Gauss–Newton needs a closer first guess (10 km converges in ~20 iterations; 60 km does not).
      move: 1e-5,
    },
    {
      name: '08195 (Molniya, e = 0.69, deep space with 12-h resonance)',
      l1: '1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813',
      l2: '2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656',
      fitBstar: true,
      move: 1e-4,
    },
  ])('reproduces $name within 1 m', ({ l1, l2, fitBstar, move }) => {
    const truth = parse(l1, l2);
    const points = samples(truth, SPAN_MIN, 20);
    // First guess: the truth moved in the equinoctial elements (the osculating→mean state fit of
    // sgp4/state-fit.ts does not converge for this GEO), B* off when it is fitted.
    const q = sgp4EquinoctialOf(truth);
    const moved = [
      q[0] * (1 + 0.2 * move),
      q[1] + move,
      q[2] - move,
      q[3] + move,
      q[4] - move,
      q[5] + 10 * move,
    ];
    const guess = elementsFromSgp4Equinoctial(truth, moved, fitBstar ? 1e-4 : truth.bstar);
    const guessErr = maxError(guess, truth, SPAN_MIN, 20);
    const fit = fitSgp4({
      initial: guess,
      points,
      context: astro,
      fitBstar,
      leastSquares: { maxIterations: 40 },
    });
    const mem = maxError(fit.elements, truth, SPAN_MIN, 20);
    console.log(
      `${truth.catalogNumber}: guess off by ${guessErr.toFixed(1)} km; ${fit.solution.iterations} iterations (${fit.solution.convergence}), cond ${fit.solution.conditionNumber.toExponential(1)}, max |Δr| ${(mem * 1e6).toFixed(3)} mm, B* ${fit.elements.bstar.toExponential(4)} (truth ${truth.bstar.toExponential(4)})`,
    );
    expect(mem).toBeLessThan(ONE_M_KM);
  });

  it('fits GCRF positions and velocities the same way', () => {
    const truth = parse(L1, L2);
    const teme = samples(truth, 1440, 20);
    const rec = sgp4Init(truth);
    const out = new Float64Array(6);
    const points: Sgp4FitPoint[] = teme.map((p, i) => {
      sgp4(rec, i * 20, out);
      const g = transform(
        makeState('TEME', [out[0]!, out[1]!, out[2]!], [out[3]!, out[4]!, out[5]!]),
        'GCRF',
        frameEpochAt(p.epoch, astro),
      );
      return { epoch: p.epoch, frame: 'GCRF', rKm: g.rKm, vKmS: g.vKmS };
    });
    const fit = fitSgp4({ initial: firstGuess(truth), points, context: astro });
    const mem = maxError(fit.elements, truth, 1440, 20);
    console.log(
      `GCRF position+velocity fit: ${fit.solution.iterations} iterations, max |Δr| ${(mem * 1e6).toFixed(3)} mm, by kind ${JSON.stringify(Object.keys(fit.solution.statisticsByKind))}`,
    );
    expect(mem).toBeLessThan(ONE_M_KM);
  });

  it('fits measurements through the callback, with a measurement bias', () => {
    const truth = parse(L1, L2);
    const rec = sgp4Init(truth);
    const out = new Float64Array(6);
    const BIAS_KM = 0.05;
    const measurements: Measurement[] = samples(truth, 1440, 20).map((p, i) => {
      sgp4(rec, i * 20, out);
      const g = transform(
        makeState('TEME', [out[0]!, out[1]!, out[2]!], [out[3]!, out[4]!, out[5]!]),
        'GCRF',
        frameEpochAt(p.epoch, astro),
      );
      return {
        kind: 'position',
        epoch: p.epoch,
        timeTag: 'receive',
        station: 'gnss',
        target: '28057',
        path: 'one-way',
        values: [g.rKm[0] + BIAS_KM, g.rKm[1], g.rKm[2]],
        sigmas: [0.001, 0.001, 0.001],
        frame: 'GCRF',
      };
    });
    const fit = fitSgp4({
      initial: firstGuess(truth),
      measurements,
      measurementModel: (_m, st, _t, q) => ({
        values: [st.rKm[0] + (q['bias-x'] ?? 0), st.rKm[1], st.rKm[2]],
        dState: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
        dParameters: { 'bias-x': [1, 0, 0] },
      }),
      measurementParameters: [{ name: 'bias-x', value: 0 }],
      context: astro,
    });
    const mem = maxError(fit.elements, truth, 1440, 20);
    const bias = fit.parameters['bias-x']!;
    console.log(
      `callback fit: ${fit.solution.iterations} iterations, max |Δr| ${(mem * 1e6).toFixed(3)} mm, bias ${(bias * 1e3).toFixed(4)} m (truth 50 m), station stats ${JSON.stringify(fit.solution.statisticsByStation['gnss']?.count)}`,
    );
    expect(mem).toBeLessThan(ONE_M_KM);
    expect(Math.abs(bias - BIAS_KM)).toBeLessThan(ONE_M_KM);
  });

  it('keeps B* when it is fixed', () => {
    const truth = parse(L1, L2);
    const points = samples(truth, 1440, 20);
    const guess = { ...firstGuess(truth), bstar: truth.bstar };
    const fit = fitSgp4({ initial: guess, points, context: astro, fitBstar: false });
    expect(fit.elements.bstar).toBe(truth.bstar);
    expect(fit.solution.parameterNames).toEqual(['n', 'f', 'g', 'h', 'k', 'L']);
    expect(maxError(fit.elements, truth, 1440, 20)).toBeLessThan(ONE_M_KM);
  });

  it('shows what the TLE text loses on elements it cannot represent (e ≈ 2e-6)', () => {
    const base = parse(L1, L2);
    const truth: ElementSet = {
      ...base,
      eccentricity: 2.34567e-6,
      inclinationRad: base.inclinationRad + 1.234e-6,
      raanRad: base.raanRad + 3.21e-6,
      meanAnomalyRad: base.meanAnomalyRad + 2.5e-6,
      meanMotionRadPerMin: base.meanMotionRadPerMin * (1 + 3.3e-9),
      bstar: 3.594123e-5,
    };
    const points = samples(truth, SPAN_MIN, STEP_MIN);
    const fit = fitSgp4({ initial: firstGuess(truth), points, context: astro });
    const mem = maxError(fit.elements, truth, SPAN_MIN, STEP_MIN);
    const rt = roundTrips(fit.elements);
    const tleErr = maxError(rt.tle, truth, SPAN_MIN, STEP_MIN);
    const ommErr = maxError(rt.omm, truth, SPAN_MIN, STEP_MIN);
    console.log(
      `non-representable elements: fit ${fit.solution.iterations} iterations, e ${fit.elements.eccentricity.toExponential(6)} (truth 2.345670e-6); max |Δr| in memory ${(mem * 1e6).toFixed(3)} mm, TLE text ${(tleErr * 1e3).toFixed(1)} m, OMM (full digits) ${(ommErr * 1e6).toFixed(3)} mm`,
    );
    expect(mem).toBeLessThan(ONE_M_KM);
    expect(ommErr).toBeLessThan(ONE_M_KM);
    // The TLE columns round e to 1e-7, angles to 1e-4° and n to 1e-8 rev/day: metres to tens of
    // metres here. Measured, not a bar; it must at least be worse than the in-memory fit.
    expect(tleErr).toBeGreaterThan(mem);
  });

  it('refuses a fit with nothing to fit', () => {
    expect(codeOf(() => fitSgp4({ initial: parse(L1, L2), points: [], context: astro }))).toBe(
      'OD_BAD_INPUT',
    );
  });
});

describe('fitSgp4 on a real ephemeris: LAGEOS-2 SGF CPF of 2016-02-13', () => {
  it('fits a TLE to the first 16 hours and predicts the last 8', () => {
    const context = unwrap(
      loadContext({
        leapSecondsText: readRefText('earth/Leap_Second.dat'),
        eopText: readRefText('earth/finals2000A.all.gz'),
        afterLeapSecondExpiry: 'hold-last',
      }),
    );
    const MJD = 57431;
    const cpf: { epoch: Instant; r: Vec3 }[] = [];
    for (const line of readRefText('od/lageos2/lageos2_cpf_160213_5441.sgf').split(/\r?\n/)) {
      const f = line.trim().split(/\s+/);
      if (f[0] !== '10' || Number(f[2]) !== MJD) continue;
      const sod = Number(f[3]);
      cpf.push({
        epoch: instantFromUtcDaySeconds(MJD, sod, 0, context.leapSeconds),
        r: [Number(f[5]) / 1000, Number(f[6]) / 1000, Number(f[7]) / 1000],
      });
    }
    // CPF positions are ITRF: to GCRF with the finals2000A EOP (the velocity is not fitted).
    const gcrf = cpf.map((c) => ({
      epoch: c.epoch,
      r: transform(makeState('ITRF', c.r, [0, 0, 0]), 'GCRF', frameEpochAt(c.epoch, context)).rKm,
    }));
    const cut = 16 * 12; // 16 h of 5-minute samples
    const points: Sgp4FitPoint[] = gcrf
      .slice(0, cut)
      .map((g) => ({ epoch: g.epoch, frame: 'GCRF', rKm: g.r }));
    // First guess: the TLE of Orekit's LAGEOS-2 test (od/lageos2/tle_od_test_Lageos2.in).
    const guess = parse(
      '1 22195U 92070B   16045.51027931 -.00000009  00000-0  00000+0 0  9990',
      '2 22195  52.6508 132.9147 0137738 336.2706   1.6348  6.47294052551192',
    );
    // B* fixed at the published 0: at 5,900 km SGP4's drag term is negligible, so a free B* only
    // absorbs other model errors (it reaches ~10 1/ER and predicts worse; printed below).
    const fit = fitSgp4({ initial: guess, points, context, positionSigmaKm: 0.1, fitBstar: false });
    const free = fitSgp4({ initial: guess, points, context, positionSigmaKm: 0.1 });
    const err = (es: ElementSet, from: number, to: number): { max: number; rms: number } => {
      const rec = sgp4Init(es);
      const out = new Float64Array(6);
      let max = 0;
      let s2 = 0;
      for (let i = from; i < to; i++) {
        const g = gcrf[i]!;
        const label = utcLabelOfInstant(g.epoch, context);
        sgp4(rec, minutesSinceEpoch(es.epoch, label.jd, label.jdFrac), out);
        const s = transform(
          makeState('TEME', [out[0]!, out[1]!, out[2]!], [out[3]!, out[4]!, out[5]!]),
          'GCRF',
          frameEpochAt(g.epoch, context),
        );
        const d = Math.hypot(s.rKm[0] - g.r[0], s.rKm[1] - g.r[1], s.rKm[2] - g.r[2]);
        max = Math.max(max, d);
        s2 += d * d;
      }
      return { max, rms: Math.sqrt(s2 / (to - from)) };
    };
    const inFit = err(fit.elements, 0, cut);
    const after = err(fit.elements, cut, gcrf.length);
    const guessErr = err(guess, 0, gcrf.length);
    const tle = roundTrips(fit.elements).tle;
    const afterTle = err(tle, cut, gcrf.length);
    const afterFree = err(free.elements, cut, gcrf.length);
    console.log(
      `LAGEOS-2 CPF: first guess (the published TLE) RMS ${guessErr.rms.toFixed(3)} km over the day; fit on ${points.length} positions: ${fit.solution.iterations} iterations (${fit.solution.convergence}), RMS ${(inFit.rms * 1e3).toFixed(1)} m (max ${(inFit.max * 1e3).toFixed(1)} m), B* ${fit.elements.bstar.toExponential(3)}; the next 8 h: RMS ${(after.rms * 1e3).toFixed(1)} m, max ${(after.max * 1e3).toFixed(1)} m (written TLE: max ${(afterTle.max * 1e3).toFixed(1)} m); with B* free: B* ${free.elements.bstar.toExponential(3)}, next 8 h RMS ${(afterFree.rms * 1e3).toFixed(1)} m`,
    );
    console.log(`  ${formatTle(fit.elements).join('\n  ')}`);
    // SGP4 is a mean-element theory truncated at J2–J4 secular and J2 short-period terms; against a
    // precise ephemeris it fits to a hundred metres or so at LAGEOS's altitude (measured: 115 m RMS).
    // The bars: beat the published TLE, and stay within a few times that level in and after the span.
    expect(inFit.rms).toBeLessThan(guessErr.rms);
    expect(inFit.rms).toBeLessThan(0.3);
    expect(after.max).toBeLessThan(0.5);
    expect(afterTle.max).toBeLessThan(0.5);
  });
});
