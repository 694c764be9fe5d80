/**
 * The force-model interface of the numerical propagator and the per-propagation context the forces
 * read: the instant of a right-hand-side evaluation, the GCRF → ITRF rotation at that instant,
 * the Earth's angular velocity and the geocentric Sun and Moon.
 *
 * Conventions: the integration variable is tSec, SI seconds since the propagation epoch; states are
 * GCRF position (km) and velocity (km/s); a force ADDS its acceleration (km/s², GCRF) to `out`.
 * Forces must not allocate per call in their hot path and must not keep references to `rKm`,
 * `vKmS` or `out` (they are scratch buffers of the integrator).
 *
 * The rotation is built as in Orekit's "interpolated/shifted" frames: every `frameRefreshS`
 * seconds (a fixed grid of tSec, so results do not depend on the step history) the full IAU-76/FK5
 * chain is evaluated once (frames/frame-graph.ts: GCRF → PEF and PEF → ITRF, with the context's
 * EOP); between grid points only the Earth rotation angle advances,
 *   R_ITRF←GCRF(t) = W · ROT3(ω·(t − t_ref)) · N(t_ref),  ω = ω⊕·(1 − LOD/86400),
 * ω⊕ = 7.292115146706979e-5 rad/s the inertial rate (GMST's rate minus the precession in right
 * ascension, so the z rotation stays exact). Precession–nutation of the pole is held at t_ref:
 * against the full chain evaluated at t, the rotation differs by 8.5e-10 rad at ±150 s (measured
 * in numerical-forces.test.ts), 6 µm at 7,000 km and 40 µm at GEO.
 */

import { EARTH_ROTATION_RATE_GMST1982_RAD_S } from '../bodies/earth.js';
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import { AstroError } from '../errors.js';
import { frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import { type Mat3, type ReadonlyMat3, zeroMat3 } from '../math/mat3.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';
import { SECONDS_PER_DAY } from '../units/index.js';
import { ANALYTIC_EPHEMERIS, type Ephemeris } from './ephemeris.js';

/** A force acting on the propagated object. */
export interface ForceModel {
  /** Short name for reports (e.g. 'point-mass', 'sun', 'drag'). */
  readonly name: string;
  /**
   * False when the acceleration does not depend on velocity (lets the STM skip ∂a/∂v); absent or
   * true otherwise.
   */
  readonly dependsOnVelocity?: boolean;
  /**
   * Adds the acceleration (km/s², GCRF) at tSec (SI seconds since the propagation epoch), for the
   * GCRF position rKm (km) and velocity vKmS (km/s), to `out`.
   */
  acceleration(
    tSec: number,
    rKm: Float64Array,
    vKmS: Float64Array,
    out: Float64Array,
    ctx: ForceContext,
  ): void;
}

/** What a force may ask about the instant of an evaluation. Values are cached per tSec. */
export interface ForceContext {
  /** The instant of tSec = 0. */
  readonly epoch: Instant;
  /** The instant at tSec (allocates: use for slow models such as an atmosphere). */
  instantAt(tSec: number): Instant;
  /**
   * TT Julian date at tSec as a two-part date [epoch's JD, fraction] written into `out` (the
   * fraction may leave [0, 1); the sum is the date). Allocation-free.
   */
  ttJulianDate(tSec: number, out: [number, number]): [number, number];
  /**
   * The rotation r_ITRF = R·r_GCRF at tSec (row-major; rows are the ITRF axes in GCRF). Throws
   * `NUMERICAL_NO_CONTEXT` when the propagation was set up without an AstroContext. The returned
   * matrix is overwritten by the next call.
   */
  gcrfToItrf(tSec: number): ReadonlyMat3;
  /** The Earth's angular velocity in GCRF, rad/s, at tSec (needs an AstroContext, as gcrfToItrf). */
  earthRotationGcrf(tSec: number): ReadonlyVec3;
  /** Geocentric Sun, km, GCRF, at tSec (overwritten by the next call). */
  sunPositionKm(tSec: number): ReadonlyVec3;
  /** Geocentric Moon, km, GCRF, at tSec (overwritten by the next call). */
  moonPositionKm(tSec: number): ReadonlyVec3;
}

/** Options of a propagation context. */
export interface ForceContextOptions {
  /** Leap seconds and EOP: required by forces in the Earth-fixed frame (gravity field, drag). */
  readonly context?: AstroContext | undefined;
  /** Sun and Moon (default: ANALYTIC_EPHEMERIS). */
  readonly ephemeris?: Ephemeris | undefined;
  /** Grid of full precession–nutation evaluations, s (default 300). */
  readonly frameRefreshS?: number | undefined;
}

/** The ForceContext used by propagateNumerical (exported for forces' tests and custom drivers). */
export class PropagationForceContext implements ForceContext {
  readonly epoch: Instant;
  readonly astro: AstroContext | undefined;
  readonly ephemeris: Ephemeris;
  readonly frameRefreshS: number;
  readonly #jd0: number;
  readonly #jdFrac0: number;
  #cell = Number.NaN;
  readonly #n: Mat3 = zeroMat3();
  readonly #w: Mat3 = zeroMat3();
  #omega = 0;
  #tRef = 0;
  #rotT = Number.NaN;
  readonly #rot: Mat3 = zeroMat3();
  readonly #wVec: Vec3 = [0, 0, 0];
  #sunT = Number.NaN;
  readonly #sun: Vec3 = [0, 0, 0];
  #moonT = Number.NaN;
  readonly #moon: Vec3 = [0, 0, 0];
  readonly #ft = newFrameTransform();

  constructor(epoch: Instant, options: ForceContextOptions = {}) {
    this.epoch = epoch;
    this.astro = options.context;
    this.ephemeris = options.ephemeris ?? ANALYTIC_EPHEMERIS;
    this.frameRefreshS = options.frameRefreshS ?? 300;
    if (!(this.frameRefreshS > 0)) {
      throw new AstroError('NUMERICAL_BAD_INPUT', 'frameRefreshS must be > 0', {
        expected: '> 0 s',
        found: this.frameRefreshS,
      });
    }
    const [jd, fr] = epoch.ttJulianDate();
    this.#jd0 = jd;
    this.#jdFrac0 = fr;
  }

  instantAt(tSec: number): Instant {
    return this.epoch.plusSeconds(tSec);
  }

  ttJulianDate(tSec: number, out: [number, number]): [number, number] {
    out[0] = this.#jd0;
    out[1] = this.#jdFrac0 + tSec / SECONDS_PER_DAY;
    return out;
  }

  gcrfToItrf(tSec: number): ReadonlyMat3 {
    if (tSec === this.#rotT) return this.#rot;
    this.#refresh(tSec);
    const a = this.#omega * (tSec - this.#tRef);
    const c = Math.cos(a);
    const s = Math.sin(a);
    const n = this.#n;
    const w = this.#w;
    // M = ROT3(a)·N, then R = W·M.
    const m0 = c * n[0] + s * n[3];
    const m1 = c * n[1] + s * n[4];
    const m2 = c * n[2] + s * n[5];
    const m3 = -s * n[0] + c * n[3];
    const m4 = -s * n[1] + c * n[4];
    const m5 = -s * n[2] + c * n[5];
    const m6 = n[6];
    const m7 = n[7];
    const m8 = n[8];
    const r = this.#rot;
    for (let i = 0; i < 3; i++) {
      const a0 = w[3 * i]!;
      const a1 = w[3 * i + 1]!;
      const a2 = w[3 * i + 2]!;
      r[3 * i] = a0 * m0 + a1 * m3 + a2 * m6;
      r[3 * i + 1] = a0 * m1 + a1 * m4 + a2 * m7;
      r[3 * i + 2] = a0 * m2 + a1 * m5 + a2 * m8;
    }
    this.#rotT = tSec;
    const om = this.#omega;
    // ω along the PEF/ITRF z axis (the z row of M, rotated by W, ≈ the third row of R).
    this.#wVec[0] = om * m6;
    this.#wVec[1] = om * m7;
    this.#wVec[2] = om * m8;
    return r;
  }

  earthRotationGcrf(tSec: number): ReadonlyVec3 {
    this.gcrfToItrf(tSec);
    return this.#wVec;
  }

  sunPositionKm(tSec: number): ReadonlyVec3 {
    if (tSec !== this.#sunT) {
      this.ephemeris.positionKm('SUN', this.#jd0, this.#jdFrac0 + tSec / SECONDS_PER_DAY, this.#sun);
      this.#sunT = tSec;
    }
    return this.#sun;
  }

  moonPositionKm(tSec: number): ReadonlyVec3 {
    if (tSec !== this.#moonT) {
      this.ephemeris.positionKm('MOON', this.#jd0, this.#jdFrac0 + tSec / SECONDS_PER_DAY, this.#moon);
      this.#moonT = tSec;
    }
    return this.#moon;
  }

  /** Evaluates N = GCRF→PEF and W = PEF→ITRF at the grid point nearest tSec, when it changed. */
  #refresh(tSec: number): void {
    const astro = this.astro;
    if (astro === undefined) {
      throw new AstroError(
        'NUMERICAL_NO_CONTEXT',
        'this force needs the Earth-fixed frame: pass an AstroContext (leap seconds, EOP) to the propagation',
        { expected: 'options.context', found: 'none' },
      );
    }
    const cell = Math.round(tSec / this.frameRefreshS);
    if (cell === this.#cell) return;
    const tRef = cell * this.frameRefreshS;
    const fe = frameEpochAt(this.epoch.plusSeconds(tRef), astro);
    frameTransform('GCRF', 'PEF', fe, this.#ft);
    for (let i = 0; i < 9; i++) this.#n[i] = this.#ft.rotation[i]!;
    frameTransform('PEF', 'ITRF', fe, this.#ft);
    for (let i = 0; i < 9; i++) this.#w[i] = this.#ft.rotation[i]!;
    this.#omega = EARTH_ROTATION_RATE_GMST1982_RAD_S * (1 - fe.lodS / SECONDS_PER_DAY);
    this.#tRef = tRef;
    this.#cell = cell;
  }
}
