/**
 * SGP4 differential correction (issue 14 §7, "a TLE fitted to SGP4's own positions reproduces them
 * within 1 m"): a real near-circular LEO TLE from Vallado's verification set is propagated over two
 * days; a fit started from a different first guess (osculating→mean elements at epoch, wrong B*)
 * must reproduce the positions within 1 m in memory, and the element set written as TLE text and as
 * OMM (full digits) is measured too. A second case whose elements are not representable in the TLE
 * columns (e ≈ 2e-6, angles with more decimals) shows what the TLE text loses.
 */
import { describe, expect, it } from 'vitest';
import { parseOmmKvn } from '../src/ccsds/omm-read.js';
import { ommFileToElements } from '../src/ccsds/omm-read-gp.js';
import { formatOmmKvn } from '../src/ccsds/omm-write.js';
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { formatTle, parseTleLines } from '../src/elements/tle.js';
import { transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import type { Measurement } from '../src/observations/observation.js';
import { fitSgp4, type Sgp4FitPoint } from '../src/od/index.js';
import { instantOfUtcLabel, utcLabelAfterEpoch } from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { fitSgp4ElementsToState } from '../src/sgp4/state-fit.js';
import { codeOf, loadLeapSecondDat } from './test-support.js';

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
