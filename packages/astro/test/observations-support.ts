/**
 * Helpers shared by the observations tests: a context with the reference leap seconds, UTC
 * instants from ISO strings, and target ephemerides (two-body Kepler orbit, a point fixed in
 * ITRF, straight-line motion) that return GCRF states.
 */
import { createAstroContext, frameEpochAt } from '../src/context/index.js';
import { transform } from '../src/frames/frame-graph.js';
import type { State } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import { propagateKepler } from '../src/numerical/kepler.js';
import type { TargetEphemeris } from '../src/observations/index.js';
import type { Instant } from '../src/time/instant.js';
import { parseTimeToInstant } from '../src/time/time-format.js';
import { loadLeapSecondDat, unwrap } from './test-support.js';

export const ctx = createAstroContext({ leapSeconds: loadLeapSecondDat() });

/** Earth GM, km³/s² (EGM96/WGS-84). */
export const MU = 398600.4418;

/** The instant of a UTC ISO string. */
export function utc(iso: string): Instant {
  return unwrap(parseTimeToInstant(iso, ctx));
}

/** A two-body orbit through (r0, v0) GCRF at `epoch`. */
export function keplerTarget(r0: Vec3, v0: Vec3, epoch: Instant): TargetEphemeris {
  return (t: Instant): State<'GCRF'> => {
    const r: Vec3 = [0, 0, 0];
    const v: Vec3 = [0, 0, 0];
    propagateKepler(r0, v0, MU, t.secondsSince(epoch), r, v);
    return { frame: 'GCRF', rKm: r, vKmS: v };
  };
}

/** A circular orbit of radius `aKm`, inclination `incDeg`, node `raanDeg`, phase `uDeg` at epoch. */
export function circularTarget(
  aKm: number,
  incDeg: number,
  raanDeg: number,
  uDeg: number,
  epoch: Instant,
): TargetEphemeris {
  const d = Math.PI / 180;
  const v = Math.sqrt(MU / aKm);
  const [i, O, u] = [incDeg * d, raanDeg * d, uDeg * d];
  const r0: Vec3 = [
    aKm * (Math.cos(O) * Math.cos(u) - Math.sin(O) * Math.sin(u) * Math.cos(i)),
    aKm * (Math.sin(O) * Math.cos(u) + Math.cos(O) * Math.sin(u) * Math.cos(i)),
    aKm * Math.sin(u) * Math.sin(i),
  ];
  const v0: Vec3 = [
    v * (-Math.cos(O) * Math.sin(u) - Math.sin(O) * Math.cos(u) * Math.cos(i)),
    v * (-Math.sin(O) * Math.sin(u) + Math.cos(O) * Math.cos(u) * Math.cos(i)),
    v * Math.cos(u) * Math.sin(i),
  ];
  return keplerTarget(r0, v0, epoch);
}

/** A point fixed in ITRF (km), as a GCRF trajectory. */
export function itrfFixedTarget(rItrf: Vec3): TargetEphemeris {
  return (t: Instant) =>
    transform({ frame: 'ITRF', rKm: rItrf, vKmS: [0, 0, 0] }, 'GCRF', frameEpochAt(t, ctx));
}

/** Straight-line motion r0 + v·(t − epoch) in GCRF. */
export function linearTarget(r0: readonly number[], v: readonly number[], epoch: Instant): TargetEphemeris {
  return (t: Instant) => {
    const dt = t.secondsSince(epoch);
    return {
      frame: 'GCRF',
      rKm: [r0[0]! + v[0]! * dt, r0[1]! + v[1]! * dt, r0[2]! + v[2]! * dt],
      vKmS: [v[0]!, v[1]!, v[2]!],
    };
  };
}
