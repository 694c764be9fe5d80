/**
 * Events of propagateNumerical: perigee and apogee passes of a two-body orbit (zeros of r·v)
 * against the analytic times from the mean anomaly, eclipse entry and exit (conical shadow
 * fraction crossing ½) on a LEO orbit with a fixed Sun against the geometric crossing, and a
 * terminal event that stops the propagation.
 */
import { describe, expect, it } from 'vitest';
import { makeState } from '../src/frames/state.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { Ephemeris } from '../src/numerical/ephemeris.js';
import { EGM96_GM_KM3_S2, PointMassGravity } from '../src/numerical/gravity-forces.js';
import { cartesianFromKeplerian } from '../src/numerical/kepler.js';
import { type NumericalEventDetector, propagateNumerical } from '../src/numerical/propagate.js';
import { AU_KM, conicalShadowFraction } from '../src/numerical/radiation-pressure.js';
import { Instant } from '../src/time/instant.js';

const MU = EGM96_GM_KM3_S2;
const EPOCH = Instant.fromJ2000Seconds(0);
const A = 8000;
const PERIOD = 2 * Math.PI * Math.sqrt(A ** 3 / MU);
const M0 = 1.0;

function start(): { r: Vec3; v: Vec3 } {
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  cartesianFromKeplerian(
    { aKm: A, e: 0.1, iRad: 0.5, raanRad: 0.2, argPerigeeRad: 0.4, trueAnomalyRad: 0, meanAnomalyRad: M0 },
    MU,
    r,
    v,
  );
  return { r, v };
}

const radialVelocity: NumericalEventDetector = {
  name: 'apsis',
  g: (_t, y) => y[0]! * y[3]! + y[1]! * y[4]! + y[2]! * y[5]!,
};

describe('events', () => {
  it('finds perigee and apogee passes at the analytic times', () => {
    const { r, v } = start();
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      [3 * PERIOD],
      {
        events: [radialVelocity],
      },
    );
    // r·v rises through 0 at perigee (M = 2πk), falls at apogee (M = π + 2πk).
    const n = (2 * Math.PI) / PERIOD;
    const perigees = p.events.filter((e) => e.rising).map((e) => e.tS);
    const apogees = p.events.filter((e) => !e.rising).map((e) => e.tS);
    expect(perigees.length).toBe(3);
    expect(apogees.length).toBe(3);
    let worst = 0;
    perigees.forEach((t, k) => {
      worst = Math.max(worst, Math.abs(t - (2 * Math.PI * (k + 1) - M0) / n));
    });
    apogees.forEach((t, k) => {
      worst = Math.max(worst, Math.abs(t - (Math.PI + 2 * Math.PI * k - M0) / n));
    });
    console.log(`apsis events: worst time error ${(worst * 1e6).toFixed(2)} µs`);
    // Event bracket 1 µs plus the state error (~0.1 mm along track at 7 km/s ≈ 15 ns).
    const APSIS_TIME_S = 1e-5;
    expect(worst).toBeLessThan(APSIS_TIME_S);
  });

  it('stops at a terminal event, and keeps grid points before it', () => {
    const { r, v } = start();
    const grid = [0, 600, 1200, 1800, 2400, 3000, 3600, 4200, 4800, 5400, 6000, 6600, 7200];
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', r, v) },
      [new PointMassGravity()],
      grid,
      {
        events: [{ ...radialVelocity, direction: -1, terminal: true }],
      },
    );
    const n = (2 * Math.PI) / PERIOD;
    const tApogee = (Math.PI - M0) / n;
    expect(p.stoppedAtS).toBeCloseTo(tApogee, 4);
    expect(p.events.length).toBe(1);
    expect(p.states.length).toBe(grid.filter((t) => t <= tApogee).length);
  });

  it('finds eclipse entry and exit with the conical shadow', () => {
    const sun: Vec3 = [AU_KM, 0, 0];
    const ephemeris: Ephemeris = {
      name: 'fixed Sun',
      positionKm(_b, _j, _f, out) {
        out[0] = sun[0];
        out[1] = sun[1];
        out[2] = sun[2];
        return out;
      },
    };
    // Circular equatorial orbit, 7,000 km: the shadow is crossed twice per revolution.
    const rc = 7000;
    const vc = Math.sqrt(MU / rc);
    const period = 2 * Math.PI * Math.sqrt(rc ** 3 / MU);
    const shadow: NumericalEventDetector = {
      name: 'eclipse',
      g: (_t, y) => conicalShadowFraction(y, sun) - 0.5,
    };
    const p = propagateNumerical(
      { epoch: EPOCH, state: makeState('GCRF', [rc, 0, 0], [0, vc, 0]) },
      [new PointMassGravity()],
      [period],
      { events: [shadow], ephemeris, maxStepS: 120 },
    );
    expect(p.events.map((e) => e.rising)).toEqual([false, true]);
    // Half-shadow where the Sun's centre sits on the Earth's limb: angle from the anti-Sun line
    // φ with c = b, near asin(R/r) (plus the Sun's parallax, negligible at 1 AU).
    for (const e of p.events) {
      const nu = conicalShadowFraction(e.state.rKm, sun);
      expect(Math.abs(nu - 0.5)).toBeLessThan(1e-3);
    }
    const phiEntry = Math.atan2(p.events[0]!.state.rKm[1], -p.events[0]!.state.rKm[0]);
    expect(phiEntry).toBeCloseTo(Math.asin(6378.137 / rc), 3);
  });
});
