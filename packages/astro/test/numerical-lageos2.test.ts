/**
 * End to end on a real orbit: Orekit's fitted LAGEOS-2 state (EME2000, 2016-02-13T16:00 UTC,
 * od/lageos2/orekit-expected.json) propagated over the whole day with point mass + J2 + Sun + Moon
 * from the DE430 excerpt, turned to ITRF with the finals2000A EOP, and compared with the SGF CPF
 * prediction for that day (288 ITRF positions, od/lageos2/lageos2_cpf_160213_5441.sgf).
 *
 * With J2 only: a consistency check of the chain (time scales, EOP, frames, ephemeris,
 * integrator) with a tolerance set by the missing field (642 m). With the EGM96 field to degree and
 * order 20 (the HarmonicGravity force) from the same state: 20 m, the level of Orekit's fit itself
 * (range residuals of 15 m std). Started instead from the CPF's own position and velocity at
 * 12:00, EGM96 20×20 + Sun + Moon stays within 2 m of the CPF all day: what remains is the
 * unmodelled rest (SRP, solid tides, relativity, the IAU-76/80 chain) and the CPF's own error.
 * Measured numbers are printed.
 */
import { describe, expect, it } from 'vitest';
import { loadContext } from '../src/context/astro-context.js';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { applyFrameTransform, frameTransform, transform } from '../src/frames/frame-graph.js';
import { makeState } from '../src/frames/state.js';
import { parseEgm } from '../src/gravity/egm-reader.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { ForceModel } from '../src/numerical/force-model.js';
import { J2Gravity, PointMassGravity } from '../src/numerical/gravity-forces.js';
import { HarmonicGravity } from '../src/numerical/harmonic-gravity.js';
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

const EGM96 = unwrap(parseEgm(readRefText('earth/gravity/EGM96-truncated-21x21'), { name: 'EGM96' }));

describe('LAGEOS-2 over 2016-02-13 against the SGF CPF', () => {
  it("from Orekit's fitted state: J2 within its missing field, EGM96 20×20 within the fit's error", () => {
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
    const field20 = compare([
      new HarmonicGravity(EGM96, 20, 20),
      new ThirdBodyGravity('SUN'),
      new ThirdBodyGravity('MOON'),
    ]);
    console.log(
      `LAGEOS-2 from Orekit's fitted state vs CPF over the day: EGM96 20x20 + Sun + Moon max ${(field20.max * 1000).toFixed(1)} m, rms ${(field20.rms * 1000).toFixed(1)} m`,
    );
    // Orekit's state is a fit to 95 normal points with 14.9 m range residual std (orekit-expected.json,
    // DSST companion); a 20 m maximum (measured) over ±16 h is at that level. The start from the CPF's
    // own state below separates the force model from the fit.
    const FITTED_STATE_KM = 0.05;
    expect(field20.max).toBeLessThan(FITTED_STATE_KM);
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

  it('from the CPF state at 12:00, the EGM96 20×20 field follows the CPF to metres over the day', () => {
    const cpf = readCpf();
    const T0 = 12 * 3600;
    const i0 = cpf.findIndex((c) => c.sod === T0);
    // ITRF velocity at 12:00: derivative of the 9-point Lagrange polynomial through the CPF
    // positions (300 s apart; the CPF's own interpolation scheme is Lagrange of degree 9 or more).
    const pts = cpf.slice(i0 - 4, i0 + 5);
    const ts = pts.map((p) => p.sod - T0);
    const v: Vec3 = [0, 0, 0];
    for (let j = 0; j < 9; j++) {
      let d = 0;
      for (let m = 0; m < 9; m++) {
        if (m === j) continue;
        let p = 1 / (ts[j]! - ts[m]!);
        for (let k = 0; k < 9; k++) if (k !== j && k !== m) p *= -ts[k]! / (ts[j]! - ts[k]!);
        d += p;
      }
      for (let c = 0; c < 3; c++) v[c] = v[c]! + d * pts[j]!.r[c]!;
    }
    const epoch = instantFromUtcDaySeconds(MJD, T0, 0, context.leapSeconds);
    const gcrf = transform(makeState('ITRF', cpf[i0]!.r, v), 'GCRF', frameEpochAt(epoch, context));
    const maxOver = (forces: ForceModel[]): number => {
      let max = 0;
      for (const part of [cpf.filter((c) => c.sod <= T0).reverse(), cpf.filter((c) => c.sod > T0)]) {
        const grid = part.map((c) => c.sod - T0);
        const p = propagateNumerical({ epoch, state: gcrf }, forces, grid, {
          context,
          ephemeris,
          maxStepS: 300,
        });
        for (let k = 0; k < part.length; k++) {
          const m = frameTransform('GCRF', 'ITRF', frameEpochAt(epoch.plusSeconds(grid[k]!), context));
          const r: Vec3 = [0, 0, 0];
          const w: Vec3 = [0, 0, 0];
          applyFrameTransform(m, p.states[k]!.rKm, p.states[k]!.vKmS, r, w);
          const c = part[k]!.r;
          max = Math.max(max, Math.hypot(r[0] - c[0], r[1] - c[1], r[2] - c[2]));
        }
      }
      return max;
    };
    const sunMoon = () => [new ThirdBodyGravity('SUN'), new ThirdBodyGravity('MOON')];
    const f20 = maxOver([new HarmonicGravity(EGM96, 20, 20), ...sunMoon()]);
    const f8 = maxOver([new HarmonicGravity(EGM96, 8, 8), ...sunMoon()]);
    const j2 = maxOver([new PointMassGravity(), new J2Gravity(), ...sunMoon()]);
    console.log(
      `LAGEOS-2 from the CPF state at 12:00 vs CPF over the day: EGM96 20x20 + Sun + Moon max ${(f20 * 1000).toFixed(2)} m; 8x8 ${(f8 * 1000).toFixed(2)} m; J2 only ${(j2 * 1000).toFixed(1)} m`,
    );
    // Measured 1.97 m: what is left is SRP (≈ 0.3 m here; Cr 1.134, A/m 7.0e-4 m²/kg), solid
    // tides, relativity and the IAU-76/80 chain without δΔψ/δΔε (~1 m at this radius).
    const FULL_FIELD_KM = 5e-3;
    expect(f20).toBeLessThan(FULL_FIELD_KM);
    // Degrees 9–20 still matter at 5,900 km altitude (6.4 m at 8×8), and J2 alone is far off.
    expect(f20).toBeLessThan(f8);
    expect(j2).toBeGreaterThan(20 * f20);
  });
});
