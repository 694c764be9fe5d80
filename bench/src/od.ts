/**
 * Orbit determination timings (issue 14, performance): the LAGEOS-2 fit over its 95 ILRS normal
 * points (goal ≤ 5 s; measured once the SLR fit is in @hoshimi/astro, see od-lageos2.ts), and SGP4
 * differential correction: a TLE fitted to two days of SGP4's own positions of the ISS (289 points,
 * B* free) and to 12 h of the LAGEOS-2 CPF (B* fixed). The TLE fits: median of 5 rounds after a
 * warm-up; the LAGEOS-2 fit: median of 3 rounds, no warm-up (to keep the run short).
 *
 * Peer: none. No JavaScript library does batch least-squares orbit determination (satellite.js and
 * the other SGP4 ports propagate only); Orekit, the reference, runs on the JVM and is not part of
 * this repository's toolchain. The times are absolute.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type AstroContext,
  type ElementSet,
  fitSgp4,
  fitSgp4ElementsToState,
  frameEpochAt,
  instantOfUtcLabel,
  loadContext,
  makeState,
  parseElements,
  parseTleLines,
  type Sgp4FitPoint,
  sgp4,
  sgp4Init,
  transform,
  utcLabelAfterEpoch,
} from '@hoshimi/astro';
import { record, refFile } from './harness.js';
import { benchLageos2 } from './od-lageos2.js';

const ROUNDS = 5;

function text(relative: string): string {
  const raw = readFileSync(refFile(relative));
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timed(f: () => void): number[] {
  f();
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

function issSelfFit(context: AstroContext): () => void {
  const lines = text('catalog/full_catalog_2023-10-09.3le.txt.gz').split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim() === '0 ISS (ZARYA)');
  const parsed = parseElements(lines.slice(at, at + 3).join('\n'));
  if (!parsed.ok || parsed.value.records.length === 0) throw new Error('ISS element set not found');
  const truth: ElementSet = parsed.value.records[0]!.elements;
  const rec = sgp4Init(truth);
  const out = new Float64Array(6);
  const points: Sgp4FitPoint[] = [];
  for (let t = 0; t <= 2880; t += 10) {
    sgp4(rec, t, out);
    points.push({
      epoch: instantOfUtcLabel(utcLabelAfterEpoch(truth.epoch, t), context),
      frame: 'TEME',
      rKm: [out[0]!, out[1]!, out[2]!],
    });
  }
  sgp4(rec, 0, out);
  const g = fitSgp4ElementsToState([out[0]! + 1, out[1]! - 1, out[2]!], [out[3]!, out[4]! + 0.001, out[5]!], {
    ...truth,
    bstar: truth.bstar * 2,
  });
  if (!g.ok) throw new Error('first guess');
  return () => {
    fitSgp4({ initial: g.elements, points, context });
  };
}

function lageos2CpfFit(context: AstroContext): () => void {
  const points: Sgp4FitPoint[] = [];
  for (const line of text('od/lageos2/lageos2_cpf_160213_5441.sgf').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== '10') continue;
    const epoch = instantOfUtcLabel({ jd: 2400000.5 + Number(f[2]), jdFrac: Number(f[3]) / 86400 }, context);
    const itrf = makeState(
      'ITRF',
      [Number(f[5]) / 1000, Number(f[6]) / 1000, Number(f[7]) / 1000],
      [0, 0, 0],
    );
    points.push({ epoch, frame: 'GCRF', rKm: transform(itrf, 'GCRF', frameEpochAt(epoch, context)).rKm });
  }
  const guess = parseTleLines(
    '1 22195U 92070B   16045.51027931 -.00000009  00000-0  00000+0 0  9990',
    '2 22195  52.6508 132.9147 0137738 336.2706   1.6348  6.47294052551192',
  );
  if (!guess.ok) throw new Error('TLE');
  const half = points.slice(0, 144);
  return () => {
    fitSgp4({ initial: guess.value, points: half, context, positionSigmaKm: 0.1, fitBstar: false });
  };
}

export async function benchOd(): Promise<void> {
  const ctx = loadContext({
    leapSecondsText: text('earth/Leap_Second.dat'),
    eopText: text('earth/finals2000A.all.gz'),
    allowEopPredictions: true,
    afterLeapSecondExpiry: 'hold-last',
  });
  if (!ctx.ok) throw new Error('context did not load');
  const context = ctx.value;
  await benchLageos2(3);
  const iss = timed(issSelfFit(context));
  console.log(`  ISS self-fit rounds: ${iss.map((s) => s.toFixed(3)).join(', ')} s`);
  record({
    bench: 'od',
    metric: 'TLE fit, ISS, 289 own positions, B* free',
    ours: median(iss),
    peer: null,
    unit: 's',
  });
  const lag = timed(lageos2CpfFit(context));
  console.log(`  LAGEOS-2 CPF TLE fit rounds: ${lag.map((s) => s.toFixed(3)).join(', ')} s`);
  record({
    bench: 'od',
    metric: 'TLE fit, LAGEOS-2 CPF 12 h, 144 points',
    ours: median(lag),
    peer: null,
    unit: 's',
  });
}
