/**
 * End to end on a real orbit: Orekit's fitted LAGEOS-2 state (EME2000, 2016-02-13T16:00 UTC,
 * od/lageos2/orekit-expected.json) propagated over the whole day with point mass + J2 + Sun + Moon
 * from the DE430 excerpt, turned to ITRF with the finals2000A EOP, and compared with the SGF CPF
 * prediction for that day (288 ITRF positions, od/lageos2/lageos2_cpf_160213_5441.sgf).
 *
 * The gravity field beyond J2 (the spherical-harmonic model of gravity/) is absent here, so this is
 * a consistency check of the chain (time scales, EOP, frames, ephemeris, integrator) with a
 * tolerance set by the missing field, not an accuracy benchmark. Measured numbers are printed.
 */
import { describe, expect, it } from 'vitest';
import { loadContext } from '../src/context/astro-context.js';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { applyFrameTransform, frameTransform, transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { ForceModel } from '../src/numerical/force-model.js';
import { J2Gravity, PointMassGravity } from '../src/numerical/gravity-forces.js';
import { parseJplDe } from '../src/numerical/jpl-de.js';
import { propagateNumerical } from '../src/numerical/propagate.js';
import { ThirdBodyGravity } from '../src/numerical/third-body.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefBytes, readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const context = unwrap(
  loadContext({
    leapSecondsText: readRefText('earth/Leap_Second.dat'),
    eopText: readRefText('earth/finals2000A.all.gz'),
    afterLeapSecondExpiry: 'hold-last',
  }),
);
const ephemeris = unwrap(parseJplDe(new Uint8Array(readRefBytes('earth/ephemerides/lnxp2016.430'))));
const expected = JSON.parse(readRefText('od/lageos2/orekit-expected.json')) as {
  expected: { estimated_state: { position_m: number[]; velocity_mps: number[] } };
};
const MJD = 57431; // 2016-02-13
const T0_SOD = 16 * 3600;

/** CPF position records: seconds of day and ITRF position, km. */
function readCpf(): { sod: number; r: Vec3 }[] {
  const out: { sod: number; r: Vec3 }[] = [];
  for (const line of readRefText('od/lageos2/lageos2_cpf_160213_5441.sgf').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== '10' || Number(f[2]) !== MJD) continue;
    out.push({ sod: Number(f[3]), r: [Number(f[5]) / 1000, Number(f[6]) / 1000, Number(f[7]) / 1000] });
  }
  return out;
}

describe('LAGEOS-2 over 2016-02-13 against the SGF CPF', () => {
  it('stays within the error of a J2-only field', () => {
    const leap = context.leapSeconds;
    const epoch = instantFromUtcDaySeconds(MJD, T0_SOD, 0, leap);
    const st = expected.expected.estimated_state;
    const eme = makeState(
      'EME2000',
      [st.position_m[0]! / 1000, st.position_m[1]! / 1000, st.position_m[2]! / 1000],
      [st.velocity_mps[0]! / 1000, st.velocity_mps[1]! / 1000, st.velocity_mps[2]! / 1000],
    );
    const gcrf = transform(eme, 'GCRF', frameEpochAt(epoch, context));
    const cpf = readCpf();
    expect(cpf.length).toBe(288);
    let atEpochKm = Number.NaN;
    const compare = (forces: ForceModel[]): { max: number; rms: number } => {
      const back = cpf.filter((c) => c.sod <= T0_SOD).reverse();
      const fwd = cpf.filter((c) => c.sod > T0_SOD);
      let max = 0;
      let sum2 = 0;
      for (const part of [back, fwd]) {
        const grid = part.map((c) => c.sod - T0_SOD);
        const p = propagateNumerical({ epoch, state: gcrf }, forces, grid, {
          context,
          ephemeris,
          maxStepS: 300,
        });
        for (let k = 0; k < part.length; k++) {
          const t = epoch.plusSeconds(grid[k]!);
          const m = frameTransform('GCRF', 'ITRF', frameEpochAt(t, context));
          const r: Vec3 = [0, 0, 0];
          const v: Vec3 = [0, 0, 0];
          applyFrameTransform(m, p.states[k]!.rKm, p.states[k]!.vKmS, r, v);
          const c = part[k]!.r;
          const d = Math.hypot(r[0] - c[0], r[1] - c[1], r[2] - c[2]);
          if (grid[k] === 0) atEpochKm = d;
          max = Math.max(max, d);
          sum2 += d * d;
        }
      }
      return { max, rms: Math.sqrt(sum2 / cpf.length) };
    };
    const full = compare([
      new PointMassGravity(),
      new J2Gravity(),
      new ThirdBodyGravity('SUN'),
      new ThirdBodyGravity('MOON'),
    ]);
    const atEpoch = atEpochKm;
    const pointMass = compare([new PointMassGravity()]);
    console.log(
      `LAGEOS-2 vs CPF over the day: point mass + J2 + Sun + Moon max ${(full.max * 1000).toFixed(1)} m, rms ${(full.rms * 1000).toFixed(1)} m; point mass only max ${pointMass.max.toFixed(2)} km; at 16:00 ${(atEpoch * 1000).toFixed(3)} m`,
    );
    // At the epoch only frames and time scales act (0.94 m measured): Orekit's fit is within
    // 0.62 m of another CPF, and our IAU-76/80 chain gets no δΔψ/δΔε from finals2000A (its dX/dY
    // are for IAU 2000), a pole error of some 10 mas, ~0.6 m per 10 mas at 12,300 km.
    const EPOCH_AGREEMENT_KM = 3e-3;
    expect(atEpoch).toBeLessThan(EPOCH_AGREEMENT_KM);
    // Over the day the missing field beyond J2 dominates (J3, J4, C22… over ±16 h at 12,200 km:
    // hundreds of metres; 642 m max measured).
    const J2_ONLY_FIELD_KM = 2;
    expect(full.max).toBeLessThan(J2_ONLY_FIELD_KM);
    // J2 must account for most of the difference to a point-mass orbit.
    expect(full.max).toBeLessThan(pointMass.max / 5);
  });
});
