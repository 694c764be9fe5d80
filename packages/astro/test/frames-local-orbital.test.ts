import { describe, expect, it } from 'vitest';
import {
  covarianceFromLocalOrbital,
  covarianceToLocalOrbital,
  fromLocalOrbital,
  localOrbitalMatrix,
  toLocalOrbital,
} from '../src/frames/local-orbital.js';
import { makeState, type State } from '../src/frames/state.js';
import { detMat3, type Mat3, orthonormalityError, zeroMat3 } from '../src/math/mat3.js';
import { distance3 } from '../src/math/vec3.js';

/** Orthonormality of a matrix built from double unit vectors: a few ulps. */
const ORTHO_ULPS = 1e-15;
/** Round trips on km-scale relative states. */
const ROUND_TRIP_KM = 1e-12;

const ref = makeState(
  'GCRF',
  [5102.5089579, 6123.0114007, 6378.1369282],
  [-4.743220157, 0.790536497, 5.533755727],
);

describe('local orbital frames', () => {
  it('RTN and NTW are right-handed orthonormal', () => {
    for (const kind of ['RTN', 'NTW'] as const) {
      const q = localOrbitalMatrix(kind, ref.rKm, ref.vKmS, zeroMat3());
      expect(orthonormalityError(q)).toBeLessThan(ORTHO_ULPS);
      expect(detMat3(q)).toBeCloseTo(1, 15);
    }
  });

  it('hand-checkable circular equatorial case', () => {
    // r along x, v along y: R̂ = x̂, T̂ = ŷ, N̂ = ẑ; for NTW also T̂ = ŷ, Ŵ = ẑ, N̂ = T̂ × Ŵ = x̂.
    const r0 = 7000;
    const v0 = Math.sqrt(398600.4418 / r0);
    const chief = makeState('GCRF', [r0, 0, 0], [0, v0, 0]);
    expect(localOrbitalMatrix('RTN', chief.rKm, chief.vKmS, zeroMat3())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(localOrbitalMatrix('NTW', chief.rKm, chief.vKmS, zeroMat3())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // A deputy 1 km ahead along track, 2 km up, 3 km north, co-moving in the inertial frame:
    // seen from the rotating frame it drifts by −ω × ρ, ω = v0/r0 about ẑ.
    const dep = makeState('GCRF', [r0 + 2, 1, 3], [0, v0, 0]);
    const rel = toLocalOrbital('RTN', chief, dep);
    expect(rel.rKm).toEqual([2, 1, 3]);
    const w = v0 / r0;
    expect(rel.vKmS[0]).toBeCloseTo(w * 1, 15);
    expect(rel.vKmS[1]).toBeCloseTo(-w * 2, 15);
    expect(rel.vKmS[2]).toBe(0);
    // NTW for an eccentric case: r along x, v = (1, 7, 0): T̂ = v/|v|, N̂ outward-ish.
    const ecc = makeState('GCRF', [r0, 0, 0], [1, 7, 0]);
    const q = localOrbitalMatrix('NTW', ecc.rKm, ecc.vKmS, zeroMat3());
    const s = Math.sqrt(50);
    const expected = [7 / s, -1 / s, 0, 1 / s, 7 / s, 0, 0, 0, 1];
    for (const [i, x] of q.entries()) expect(x).toBeCloseTo(expected[i]!, 15);
  });

  it('relative state round trip, both frames', () => {
    const dep = makeState('GCRF', [5103.1, 6122.2, 6379.0], [-4.7431, 0.7911, 5.5331]);
    for (const kind of ['RTN', 'NTW'] as const) {
      const rel = toLocalOrbital(kind, ref, dep);
      // Distance is preserved by the rotation.
      expect(Math.hypot(...rel.rKm)).toBeCloseTo(distance3(dep.rKm, ref.rKm), 12);
      const back = fromLocalOrbital(kind, ref, rel.rKm, rel.vKmS);
      expect(back.frame).toBe('GCRF');
      expect(distance3(back.rKm, dep.rKm)).toBeLessThan(ROUND_TRIP_KM);
      expect(distance3(back.vKmS, dep.vKmS)).toBeLessThan(ROUND_TRIP_KM);
    }
  });

  it('covariance round trip keeps the trace and returns the input', () => {
    const c: Mat3 = [4, 0.5, -0.2, 0.5, 9, 0.3, -0.2, 0.3, 1];
    for (const kind of ['RTN', 'NTW'] as const) {
      const local = covarianceToLocalOrbital(kind, ref, c);
      expect(local[0] + local[4] + local[8]).toBeCloseTo(14, 12);
      expect(local[1]).toBeCloseTo(local[3], 12);
      const back = covarianceFromLocalOrbital(kind, ref, local);
      for (const [i, x] of back.entries()) expect(x).toBeCloseTo(c[i]!, 12);
    }
    // A pure radial variance on the circular case lands in C_RR only.
    const chief = makeState('GCRF', [0, 7000, 0], [-7.5, 0, 0]);
    const radial = covarianceToLocalOrbital('RTN', chief, [0, 0, 0, 0, 2, 0, 0, 0, 0]);
    expect(radial[0]).toBeCloseTo(2, 15);
    expect(Math.abs(radial[4]) + Math.abs(radial[8])).toBeLessThan(1e-15);
  });

  it('rejects mixed frames and degenerate references', () => {
    const teme = makeState('TEME', [7000, 1, 0], [0, 7, 0]);
    expect(() => toLocalOrbital('RTN', ref, teme as unknown as State<'GCRF'>)).toThrowError(
      expect.objectContaining({ code: 'FRAME_MISMATCH' }),
    );
    const radial = makeState('GCRF', [7000, 0, 0], [1, 0, 0]);
    expect(() => localOrbitalMatrix('RTN', radial.rKm, radial.vKmS, zeroMat3())).toThrowError(
      expect.objectContaining({ code: 'DEGENERATE_ORBIT' }),
    );
  });
});
