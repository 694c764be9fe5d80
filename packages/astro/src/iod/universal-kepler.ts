/**
 * Two-body propagation for any conic (ellipse, parabola, hyperbola) with the universal variable χ
 * and the Stumpff functions c2(ψ), c3(ψ): Vallado, "Fundamentals of Astrodynamics and
 * Applications", 4th ed. (2013), Alg. 8 KEPLER, and Curtis, "Orbital Mechanics for Engineering
 * Students", Alg. 3.3–3.4. Newton iteration on the universal Kepler equation
 *   √μ·Δt = (r0·v0/√μ)·χ²·c2 + (1 − α·r0)·χ³·c3 + r0·χ,   ψ = α·χ²,   α = 2/r0 − v0²/μ.
 * Elliptic intervals are first reduced by whole periods (the state is periodic), which keeps the
 * iteration short for multi-revolution arcs. Used by Gauss's refinement, Gooding's method and the
 * IOD tests (numerical/kepler.ts is elliptic only). Units km, km/s, s, km³/s².
 */
import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';

/** Stumpff functions c2(ψ) and c3(ψ) (Vallado Alg. 1 FINDC2C3), with series near ψ = 0. */
export function stumpff(psi: number): { c2: number; c3: number } {
  if (psi > 1e-6) {
    const s = Math.sqrt(psi);
    return { c2: (1 - Math.cos(s)) / psi, c3: (s - Math.sin(s)) / (s * psi) };
  }
  if (psi < -1e-6) {
    const s = Math.sqrt(-psi);
    return { c2: (1 - Math.cosh(s)) / psi, c3: (Math.sinh(s) - s) / (s * -psi) };
  }
  return {
    c2: 1 / 2 - psi / 24 + (psi * psi) / 720,
    c3: 1 / 6 - psi / 120 + (psi * psi) / 5040,
  };
}

/** Lagrange coefficients f, g, ḟ, ġ of a two-body arc of Δt seconds from (r0, v0). */
export interface LagrangeCoefficients {
  readonly f: number;
  readonly g: number;
  readonly fDot: number;
  readonly gDot: number;
}

/**
 * The Lagrange coefficients of the two-body arc from (r0 km, v0 km/s) over dtS seconds, so that
 * r = f·r0 + g·v0 and v = ḟ·r0 + ġ·v0. Throws `IOD_KEPLER_NO_CONVERGENCE` when Newton's iteration
 * on χ does not converge (extreme hyperbolic arcs) and `IOD_INVALID_INPUT` on non-finite input.
 */
export function universalLagrange(
  r0: ReadonlyVec3,
  v0: ReadonlyVec3,
  mu: number,
  dtS: number,
): LagrangeCoefficients {
  const r0n = Math.hypot(r0[0], r0[1], r0[2]);
  const v2 = v0[0] * v0[0] + v0[1] * v0[1] + v0[2] * v0[2];
  const rv = r0[0] * v0[0] + r0[1] * v0[1] + r0[2] * v0[2];
  if (!Number.isFinite(r0n + v2 + dtS + mu) || !(r0n > 0) || !(mu > 0)) {
    throw new AstroError('IOD_INVALID_INPUT', 'two-body propagation needs a finite state, time and μ > 0', {
      r0n,
      dtS,
      mu,
    });
  }
  const sqmu = Math.sqrt(mu);
  const alpha = 2 / r0n - v2 / mu;
  let dt = dtS;
  if (alpha > 1e-12) {
    const period = (2 * Math.PI) / (sqmu * alpha ** 1.5);
    dt = dtS - Math.trunc(dtS / period) * period;
  }
  if (dt === 0) return { f: 1, g: 0, fDot: 0, gDot: 1 };
  // Initial guess (Vallado Alg. 8).
  let chi: number;
  if (alpha > 1e-12) {
    chi = sqmu * dt * alpha;
  } else if (alpha < -1e-12) {
    const a = 1 / alpha;
    const sgn = Math.sign(dt);
    const arg = (-2 * mu * alpha * dt) / (rv + sgn * Math.sqrt(-mu * a) * (1 - r0n * alpha));
    chi = arg > 0 ? sgn * Math.sqrt(-a) * Math.log(arg) : (sqmu * dt) / r0n;
  } else {
    chi = (sqmu * dt) / r0n;
  }
  const rvs = rv / sqmu;
  // F(χ) is increasing (dF/dχ = r > 0): bracket the root, then Newton safeguarded by bisection.
  const F = (x: number): number => {
    const { c2: a2, c3: a3 } = stumpff(x * x * alpha);
    return rvs * x * x * a2 + (1 - r0n * alpha) * x * x * x * a3 + r0n * x - sqmu * dt;
  };
  if (!Number.isFinite(chi)) chi = (sqmu * dt) / r0n;
  let lo = chi;
  let hi = chi;
  let step = Math.max(Math.abs(chi), 1e-3) * 0.5;
  let fc = F(chi);
  let bracketed = false;
  for (let k = 0; k < 200 && !bracketed; k++) {
    if (fc < 0) {
      lo = hi;
      hi = lo + step;
      const fh = F(hi);
      if (!(fh < 0)) bracketed = true; // overflow counts as a large positive F
    } else {
      hi = lo;
      lo = hi - step;
      const fl = F(lo);
      if (!(fl > 0)) bracketed = true;
    }
    step *= 2;
  }
  let converged = false;
  let c2 = 0.5;
  let c3 = 1 / 6;
  let psi = 0;
  let r = r0n;
  if (bracketed) {
    chi = Math.min(Math.max(chi, lo), hi);
    for (let k = 0; k < 300; k++) {
      psi = chi * chi * alpha;
      ({ c2, c3 } = stumpff(psi));
      const chi2 = chi * chi;
      r = chi2 * c2 + rvs * chi * (1 - psi * c3) + r0n * (1 - psi * c2);
      fc = rvs * chi2 * c2 + (1 - r0n * alpha) * chi2 * chi * c3 + r0n * chi - sqmu * dt;
      if (fc < 0) lo = chi;
      else hi = chi;
      let next = chi - fc / r;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const moved = Math.abs(next - chi);
      chi = next;
      if (moved <= 1e-13 * Math.max(1, Math.abs(chi)) || hi - lo <= 1e-15 * Math.max(1, Math.abs(chi))) {
        converged = true;
        break;
      }
    }
  }
  if (!converged || !Number.isFinite(chi)) {
    throw new AstroError('IOD_KEPLER_NO_CONVERGENCE', 'universal Kepler iteration did not converge', {
      dtS,
      alpha,
    });
  }
  psi = chi * chi * alpha;
  ({ c2, c3 } = stumpff(psi));
  const chi2 = chi * chi;
  r = chi2 * c2 + rvs * chi * (1 - psi * c3) + r0n * (1 - psi * c2);
  const f = 1 - (chi2 / r0n) * c2;
  const g = dt - ((chi2 * chi) / sqmu) * c3;
  const gDot = 1 - (chi2 / r) * c2;
  const fDot = (sqmu / (r * r0n)) * chi * (psi * c3 - 1);
  return { f, g, fDot, gDot };
}

/**
 * Propagates a two-body state (r0 km, v0 km/s, any inertial frame) by dtS seconds on any conic;
 * writes the position (km) and velocity (km/s). Errors as `universalLagrange`.
 */
export function propagateUniversal(
  r0: ReadonlyVec3,
  v0: ReadonlyVec3,
  mu: number,
  dtS: number,
  outR: Vec3,
  outV: Vec3,
): void {
  const { f, g, fDot, gDot } = universalLagrange(r0, v0, mu, dtS);
  const x = f * r0[0] + g * v0[0];
  const y = f * r0[1] + g * v0[1];
  const z = f * r0[2] + g * v0[2];
  outV[0] = fDot * r0[0] + gDot * v0[0];
  outV[1] = fDot * r0[1] + gDot * v0[1];
  outV[2] = fDot * r0[2] + gDot * v0[2];
  outR[0] = x;
  outR[1] = y;
  outR[2] = z;
}
