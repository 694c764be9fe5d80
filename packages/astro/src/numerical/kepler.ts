/**
 * Two-body (Keplerian) utilities used as analytic references for the numerical propagator:
 * Cartesian ↔ classical elements (Vallado, "Fundamentals of Astrodynamics and Applications",
 * 4th ed., Alg. 9 RV2COE and Alg. 10 COE2RV) and propagation of an elliptic orbit with the
 * Lagrange f and g functions in the eccentric anomaly (Montenbruck & Gill, "Satellite Orbits",
 * §2.2–2.3; Kepler's equation by Newton iteration). Units km, km/s, rad, s.
 */

import { AstroError } from '../errors.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { TWO_PI } from '../units/index.js';

/** Classical osculating elements of an elliptic orbit. */
export interface KeplerianElements {
  readonly aKm: number;
  readonly e: number;
  readonly iRad: number;
  /** Right ascension of the ascending node. */
  readonly raanRad: number;
  /** Argument of perigee. */
  readonly argPerigeeRad: number;
  readonly trueAnomalyRad: number;
  readonly meanAnomalyRad: number;
}

type Vec = ReadonlyVec3 | Float64Array;

function wrap(a: number): number {
  const x = a % TWO_PI;
  return x < 0 ? x + TWO_PI : x;
}

/**
 * Osculating elements of (r km, v km/s) about μ km³/s². Angles in [0, 2π). For circular or
 * equatorial orbits the undefined angles are measured as in Vallado's RV2COE special cases
 * (node on the x axis, perigee at the node). Throws `KEPLER_NOT_ELLIPTIC` when e ≥ 1.
 */
export function keplerianFromCartesian(r: Vec, v: Vec, mu: number): KeplerianElements {
  const rx = r[0]!;
  const ry = r[1]!;
  const rz = r[2]!;
  const vx = v[0]!;
  const vy = v[1]!;
  const vz = v[2]!;
  const rn = Math.sqrt(rx * rx + ry * ry + rz * rz);
  const v2 = vx * vx + vy * vy + vz * vz;
  const hx = ry * vz - rz * vy;
  const hy = rz * vx - rx * vz;
  const hz = rx * vy - ry * vx;
  const hn = Math.sqrt(hx * hx + hy * hy + hz * hz);
  const rv = rx * vx + ry * vy + rz * vz;
  const ex = ((v2 - mu / rn) * rx - rv * vx) / mu;
  const ey = ((v2 - mu / rn) * ry - rv * vy) / mu;
  const ez = ((v2 - mu / rn) * rz - rv * vz) / mu;
  const e = Math.sqrt(ex * ex + ey * ey + ez * ez);
  const energy = v2 / 2 - mu / rn;
  if (!(energy < 0) || e >= 1) {
    throw new AstroError('KEPLER_NOT_ELLIPTIC', 'the state is not on an elliptic orbit', {
      expected: 'e < 1',
      found: e,
    });
  }
  const a = -mu / (2 * energy);
  const i = Math.acos(Math.max(-1, Math.min(1, hz / hn)));
  // Node vector n = ẑ × h.
  const nx = -hy;
  const ny = hx;
  const nn = Math.sqrt(nx * nx + ny * ny);
  const EPS = 1e-12;
  let raan = 0;
  let argp = 0;
  let nu: number;
  if (nn > EPS * hn) raan = Math.atan2(ny, nx);
  const [ux, uy] = nn > EPS * hn ? [nx / nn, ny / nn] : [1, 0];
  // In-plane basis: p̂ = node direction, q̂ = ĥ × p̂.
  const px = ux;
  const py = uy;
  const pz = 0;
  const qx = (hy * pz - hz * py) / hn;
  const qy = (hz * px - hx * pz) / hn;
  const qz = (hx * py - hy * px) / hn;
  const u = Math.atan2(rx * qx + ry * qy + rz * qz, rx * px + ry * py + rz * pz); // argument of latitude
  if (e > EPS) {
    argp = Math.atan2(ex * qx + ey * qy + ez * qz, ex * px + ey * py + ez * pz);
    nu = u - argp;
  } else {
    nu = u;
  }
  nu = wrap(nu);
  const ea = Math.atan2(Math.sqrt(1 - e * e) * Math.sin(nu), e + Math.cos(nu));
  const m = wrap(ea - e * Math.sin(ea));
  return {
    aKm: a,
    e,
    iRad: i,
    raanRad: wrap(raan),
    argPerigeeRad: wrap(argp),
    trueAnomalyRad: nu,
    meanAnomalyRad: m,
  };
}

/** Solves Kepler's equation E − e sin E = M (elliptic) by Newton iteration, rad. */
export function solveKepler(m: number, e: number): number {
  let ea = e < 0.8 ? m + e * Math.sin(m) : Math.PI * Math.sign(Math.sin(m) || 1);
  for (let k = 0; k < 50; k++) {
    const d = (ea - e * Math.sin(ea) - m) / (1 - e * Math.cos(ea));
    ea -= d;
    if (Math.abs(d) < 1e-15) break;
  }
  return ea;
}

/**
 * Propagates an elliptic two-body state by dtS seconds with the f and g functions in the
 * eccentric anomaly; writes position (km) and velocity (km/s). Throws `KEPLER_NOT_ELLIPTIC`.
 */
export function propagateKepler(r0: Vec, v0: Vec, mu: number, dtS: number, outR: Vec3, outV: Vec3): void {
  const rx = r0[0]!;
  const ry = r0[1]!;
  const rz = r0[2]!;
  const vx = v0[0]!;
  const vy = v0[1]!;
  const vz = v0[2]!;
  const rn = Math.sqrt(rx * rx + ry * ry + rz * rz);
  const v2 = vx * vx + vy * vy + vz * vz;
  const a = 1 / (2 / rn - v2 / mu);
  if (!(a > 0)) {
    throw new AstroError('KEPLER_NOT_ELLIPTIC', 'the state is not on an elliptic orbit', {
      expected: 'a > 0',
      found: a,
    });
  }
  const n = Math.sqrt(mu / (a * a * a));
  const ecosE0 = 1 - rn / a;
  const esinE0 = (rx * vx + ry * vy + rz * vz) / Math.sqrt(mu * a);
  const e = Math.hypot(ecosE0, esinE0);
  const e0 = Math.atan2(esinE0, ecosE0);
  const m0 = e0 - esinE0;
  // Reduce n·dt to keep the Newton start good; ΔE keeps the whole revolutions.
  const mdt = n * dtS;
  const revs = Math.floor((m0 + mdt) / TWO_PI);
  const m = m0 + mdt - revs * TWO_PI;
  const ea = solveKepler(m, e) + revs * TWO_PI;
  const de = ea - e0;
  const cd = Math.cos(de);
  const sd = Math.sin(de);
  const f = 1 - (a / rn) * (1 - cd);
  const g = dtS - (de - sd) / n;
  const px = f * rx + g * vx;
  const py = f * ry + g * vy;
  const pz = f * rz + g * vz;
  const r = Math.sqrt(px * px + py * py + pz * pz);
  const fd = (-Math.sqrt(mu * a) / (r * rn)) * sd;
  const gd = 1 - (a / r) * (1 - cd);
  outR[0] = px;
  outR[1] = py;
  outR[2] = pz;
  outV[0] = fd * rx + gd * vx;
  outV[1] = fd * ry + gd * vy;
  outV[2] = fd * rz + gd * vz;
}

/** Cartesian state (km, km/s) of classical elements about μ (uses the mean anomaly). */
export function cartesianFromKeplerian(el: KeplerianElements, mu: number, outR: Vec3, outV: Vec3): void {
  const ea = solveKepler(el.meanAnomalyRad, el.e);
  const e = el.e;
  const a = el.aKm;
  const b = a * Math.sqrt(1 - e * e);
  const ce = Math.cos(ea);
  const se = Math.sin(ea);
  const r = a * (1 - e * ce);
  // Perifocal position and velocity.
  const xp = a * (ce - e);
  const yp = b * se;
  const k = Math.sqrt(mu * a) / r;
  const vxp = -k * se;
  const vyp = (k * b * ce) / a;
  const cO = Math.cos(el.raanRad);
  const sO = Math.sin(el.raanRad);
  const cw = Math.cos(el.argPerigeeRad);
  const sw = Math.sin(el.argPerigeeRad);
  const ci = Math.cos(el.iRad);
  const si = Math.sin(el.iRad);
  const p0 = cO * cw - sO * sw * ci;
  const p1 = sO * cw + cO * sw * ci;
  const p2 = sw * si;
  const q0 = -cO * sw - sO * cw * ci;
  const q1 = -sO * sw + cO * cw * ci;
  const q2 = cw * si;
  outR[0] = p0 * xp + q0 * yp;
  outR[1] = p1 * xp + q1 * yp;
  outR[2] = p2 * xp + q2 * yp;
  outV[0] = p0 * vxp + q0 * vyp;
  outV[1] = p1 * vxp + q1 * vyp;
  outV[2] = p2 * vxp + q2 * vyp;
}
