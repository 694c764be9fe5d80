/**
 * Measurement models: the value a ground station would measure of a target, and its partial
 * derivatives with respect to the target's GCRF position and velocity. After Montenbruck & Gill,
 * "Satellite Orbits" (Springer, 2000), §6.2 (light time, station motion) and §7.1–7.3 (partials),
 * and Vallado (2013) §4.4 (topocentric az/el and right ascension/declination).
 *
 * The target is a function time → GCRF state (SGP4 turned from TEME, a numerical trajectory, a
 * Kepler orbit...). The station is in ITRF, moved to GCRF through the frame graph at each leg's own
 * time, so the Earth's rotation during the light time is exact to the frame model.
 *
 * Light time (receive-tagged, the usual case): the down leg solves
 *   |r_tgt(t_r − τ_d) − r_sta(t_r)| = c·τ_d   (fixed point, converges by v/c ≈ 3e-5 per step),
 * and a two-way measurement adds the up leg |r_tgt(t_b) − r_sta(t_b − τ_u)| = c·τ_u with the
 * station at the transmit time. A transmit-tagged measurement (SLR epoch event 2) solves the up
 * leg forward first. Two-way range is the one-way equivalent c(τ_u + τ_d)/2, as stored in
 * Measurement. Newtonian light time only: no Shapiro delay (≤ 2 cm for LEO–GEO), no
 * relativistic time scales beyond TT ≈ TDB.
 *
 * Range rate is the exact derivative of that range with respect to the time tag:
 *   down leg ρ̇_d = u_d·(v_t − v_s)/(1 + u_d·v_t/c), up leg ρ̇_u = u_u·(v_t − v_s)/(1 − u_u·v_s/c),
 *   two-way (receive) ρ̇ = (ρ̇_d + ρ̇_u·(1 − ρ̇_d/c))/2,
 * u the unit vector from station to target. Troposphere is not applied to range rate.
 *
 * Angles use the line of sight of the first leg (target at t_b − station at the tag time):
 * azimuth (from north through east) and elevation in the station's geodetic east-north-up frame at
 * the tag time; right ascension/declination of the topocentric vector in GCRF (or EME2000), by
 * default geometric (light time only). On request, the place relative to catalogue stars (what
 * astrometry against a star catalogue measures): the reference stars' light carries the annual
 * aberration (+β, β = v_E/c), the satellite's does not (it moves with the Earth), so relative to
 * the stars the satellite appears shifted by −β: u' = u − β + (u·β)u to first order (e.g. Vallado,
 * "Fundamentals of Astrodynamics", §4.4 on astrometric vs apparent places of satellites). v_E is
 * the Earth's velocity about the Sun (heliocentric: no barycentric ephemeris is available here);
 * the Sun's own barycentric motion, ≤ 0.013 km/s, changes the shift by ≤ 0.01″. Diurnal aberration
 * (≤ 0.3″) and planetary aberration are not modelled.
 *
 * Tropospheric corrections (troposphere.ts), on request: 'optical' = Mendes–Pavlis for ranges and
 * Sæmundsson refraction for elevation; 'radio' = Saastamoinen + Chao for ranges (radio elevation
 * refraction is not modelled). RA/Dec get no refraction (astrometry against catalogue stars is
 * refraction-free to first order).
 *
 * Partials: of the geometric value, with respect to the target state at the target time t_b
 * (`targetEpoch`), analytic; light-time coupling (order v/c) and media are neglected in them. The OD
 * estimator chains them with the state transition matrix to t_b. Units: km, km/s, rad.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import { AstroError } from '../errors.js';
import {
  type FrameOptions,
  type FrameTransform,
  frameBiasMatrix,
  frameTransform,
  newFrameTransform,
} from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import type { State } from '../frames/state.js';
import type { Vec3 } from '../math/vec3.js';
import { ANALYTIC_EPHEMERIS, type Ephemeris } from '../numerical/ephemeris.js';
import type { Instant } from '../time/instant.js';
import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import type { GroundStation, MeasurementKind, Meteo } from './observation.js';
import { enuFromInertial, normalizeAzimuth, stationItrfAt } from './sensor.js';
import {
  mendesPavlisDelayKm,
  opticalRefractionRad,
  radioRangeDelayKm,
  standardMeteo,
} from './troposphere.js';

/** A target: its GCRF state (km, km/s) at any instant. */
export type TargetEphemeris = (t: Instant) => State<'GCRF'>;

/** Options of predictMeasurement. */
export interface MeasurementModelOptions {
  /** Leap seconds and EOP for the ITRF → GCRF transformation of the station. */
  readonly ctx: AstroContext;
  /** One-way or two-way (default: two-way for range and range-rate; angles are one-way). */
  readonly path?: 'one-way' | 'two-way';
  /** What the epoch is: reception at the station (default) or transmission. */
  readonly timeTag?: 'receive' | 'transmit';
  /** Solve the light time (default true); false gives the instantaneous geometric value. */
  readonly lightTime?: boolean;
  /** Tropospheric model (default 'none'). */
  readonly troposphere?: 'none' | 'optical' | 'radio';
  /** Surface weather (default: standard atmosphere at the station height, 50 % humidity). */
  readonly meteo?: Meteo;
  /** Laser wavelength for Mendes–Pavlis, nm (default 532). */
  readonly wavelengthNm?: number;
  /**
   * Frame of right ascension/declination (GCRF or EME2000) and positions (also ITRF); default
   * GCRF. `FRAME_UNSUPPORTED` for ITRF right ascension/declination.
   */
  readonly frame?: 'GCRF' | 'EME2000' | 'ITRF';
  /**
   * Right ascension/declination relative to catalogue stars: the annual-aberration shift −β (see the
   * module header; default false: geometric directions).
   */
  readonly aberration?: boolean;
  /** Sun ephemeris for the aberration (default: the analytic series). */
  readonly ephemeris?: Ephemeris;
  readonly frameOptions?: FrameOptions;
}

/** A predicted measurement. */
export interface PredictedMeasurement {
  readonly kind: MeasurementKind;
  /** Values in Measurement units (km, km/s, rad). */
  readonly values: number[];
  /** ∂value/∂(r, v) of the target at `targetEpoch`, one row of 6 per value (GCRF, km and km/s). */
  readonly partials: number[][];
  /** Time at the target (reflection or emission). */
  readonly targetEpoch: Instant;
  /** Target GCRF state at `targetEpoch`. */
  readonly targetState: State<'GCRF'>;
  /** Total light time of the legs, s (0 without light time). */
  readonly lightTimeS: number;
  /** Geometric elevation of the target at the station at the tag time, rad. */
  readonly elevationRad: number;
  /** Tropospheric correction included in a range (one-way equivalent) or elevation, km or rad. */
  readonly troposphere: number;
}

/** Where a station is at one instant: GCRF position/velocity and its ENU axes in GCRF. */
export interface StationFrame {
  readonly rKm: Vec3;
  readonly vKmS: Vec3;
  /** Rows: east, north, up unit vectors in GCRF (row-major 3×3). */
  readonly enuFromGcrf: number[];
  readonly latRad: number;
  readonly lonRad: number;
  readonly heightKm: number;
}

const scratchT: FrameTransform = newFrameTransform();

/** The station's GCRF state and local axes at `t`. */
export function stationFrameAt(
  station: GroundStation,
  t: Instant,
  ctx: AstroContext,
  frameOptions?: FrameOptions,
): StationFrame {
  const itrf = stationItrfAt(station, t);
  const geo = itrfToGeodeticArray(itrf, [0, 0, 0]);
  const tr = frameTransform('ITRF', 'GCRF', frameEpochAt(t, ctx), scratchT, frameOptions);
  const m = tr.rotation;
  const d = tr.rotationRate;
  const r: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    r[i] = m[3 * i]! * itrf[0] + m[3 * i + 1]! * itrf[1] + m[3 * i + 2]! * itrf[2];
    v[i] = d[3 * i]! * itrf[0] + d[3 * i + 1]! * itrf[1] + d[3 * i + 2]! * itrf[2];
  }
  const enu = enuFromInertial(geo[0], geo[1], m, new Array<number>(9).fill(0));
  return { rKm: r, vKmS: v, enuFromGcrf: enu, latRad: geo[0], lonRad: geo[1], heightKm: geo[2] };
}

/**
 * Sidereal rotation rate of the Earth, rad/s of UT1: the rate of GMST-1982 (Aoki et al. 1982,
 * 1.002737909350795 turns per UT1 day).
 */
const SIDEREAL_RATE_RAD_S = (2 * Math.PI * 1.002737909350795) / 86400;

/**
 * Fast station frames for scans (pass prediction, visibility): the exact ITRF → GCRF rotation
 * (stationFrameAt) at knots every `knotS` seconds, and in between that rotation followed by the
 * Earth's sidereal rotation about the ITRF z axis over the offset from the nearest knot.
 * Precession, nutation and plate motion are held at the knot, and the polar-motion rotation is
 * commuted with the sidereal one: with the default 600 s knots the axes are off by less than
 * 1e-7 rad and the position by less than a metre, far below what pass timing to 1 s needs (a LEO
 * target moves 7 km in 1 s). Not for measurement modelling, which uses stationFrameAt.
 */
export class StationFrameCache {
  private readonly station: GroundStation;
  private readonly ctx: AstroContext;
  private readonly frameOptions: FrameOptions | undefined;
  private readonly knotS: number;
  private origin: Instant | undefined;
  private readonly knots = new Map<number, { sf: StationFrame; r: number[]; p: Vec3 }>();

  constructor(station: GroundStation, ctx: AstroContext, knotS = 600, frameOptions?: FrameOptions) {
    this.station = station;
    this.ctx = ctx;
    this.knotS = knotS;
    this.frameOptions = frameOptions;
  }

  /** The station frame at `t` (see the class comment for its accuracy). */
  at(t: Instant): StationFrame {
    if (this.origin === undefined) this.origin = t;
    const x = t.secondsSince(this.origin) / this.knotS;
    const k = Math.round(x);
    let knot = this.knots.get(k);
    const tk = this.origin.plusSeconds(k * this.knotS);
    if (knot === undefined) {
      if (this.knots.size > 4096) this.knots.clear();
      const sf = stationFrameAt(this.station, tk, this.ctx, this.frameOptions);
      const tr = frameTransform('ITRF', 'GCRF', frameEpochAt(tk, this.ctx), scratchT, this.frameOptions);
      knot = { sf, r: [...tr.rotation], p: stationItrfAt(this.station, tk) };
      this.knots.set(k, knot);
    }
    const dt = t.secondsSince(tk);
    if (dt === 0) return knot.sf;
    const phi = SIDEREAL_RATE_RAD_S * dt;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    const p = knot.p;
    // Rotated ITRF position and its velocity ω ẑ × p, both in the knot's ITRF axes.
    const q: Vec3 = [c * p[0] - s * p[1], s * p[0] + c * p[1], p[2]];
    const w = SIDEREAL_RATE_RAD_S;
    const qd: Vec3 = [-w * q[1], w * q[0], 0];
    const m = knot.r;
    const r: Vec3 = [0, 0, 0];
    const v: Vec3 = [0, 0, 0];
    for (let i = 0; i < 3; i++) {
      r[i] = m[3 * i]! * q[0] + m[3 * i + 1]! * q[1] + m[3 * i + 2]! * q[2];
      v[i] = m[3 * i]! * qd[0] + m[3 * i + 1]! * qd[1] + m[3 * i + 2]! * qd[2];
    }
    // ENU axes turn with the Earth: ENU_from_GCRF(t) = ENU_from_GCRF(tk) · R · Rz(−φ) · Rᵀ.
    const e0 = knot.sf.enuFromGcrf;
    const enu = new Array<number>(9).fill(0);
    for (let i = 0; i < 3; i++) {
      // Row i of ENU(tk) in the knot's ITRF axes: a = row · R.
      const a0 = e0[3 * i]! * m[0]! + e0[3 * i + 1]! * m[3]! + e0[3 * i + 2]! * m[6]!;
      const a1 = e0[3 * i]! * m[1]! + e0[3 * i + 1]! * m[4]! + e0[3 * i + 2]! * m[7]!;
      const a2 = e0[3 * i]! * m[2]! + e0[3 * i + 1]! * m[5]! + e0[3 * i + 2]! * m[8]!;
      // Rotate by Rz(φ) (the row vector times Rz(−φ)), then back to GCRF: b · Rᵀ.
      const b0 = c * a0 - s * a1;
      const b1 = s * a0 + c * a1;
      const b2 = a2;
      for (let j = 0; j < 3; j++) enu[3 * i + j] = b0 * m[3 * j]! + b1 * m[3 * j + 1]! + b2 * m[3 * j + 2]!;
    }
    return {
      rKm: r,
      vKmS: v,
      enuFromGcrf: enu,
      latRad: knot.sf.latRad,
      lonRad: knot.sf.lonRad,
      heightKm: knot.sf.heightKm,
    };
  }
}

/** Azimuth, elevation (rad) and range (km) of a GCRF line of sight `los` seen in `sf`'s axes. */
export function azElRange(sf: StationFrame, los: Vec3): [number, number, number] {
  const m = sf.enuFromGcrf;
  const e = m[0]! * los[0] + m[1]! * los[1] + m[2]! * los[2];
  const n = m[3]! * los[0] + m[4]! * los[1] + m[5]! * los[2];
  const u = m[6]! * los[0] + m[7]! * los[1] + m[8]! * los[2];
  const h = Math.hypot(e, n);
  return [normalizeAzimuth(Math.atan2(e, n)), Math.atan2(u, h), Math.hypot(h, u)];
}

/** One leg of a light-time solution. */
interface Leg {
  /** Station at its leg time. */
  readonly sf: StationFrame;
  /** Unit vector station → target. */
  readonly u: Vec3;
  readonly rhoKm: number;
  /** Target velocity − station velocity, km/s. */
  readonly dv: Vec3;
}

function makeLeg(sf: StationFrame, x: State<'GCRF'>): Leg {
  const d: Vec3 = [x.rKm[0] - sf.rKm[0], x.rKm[1] - sf.rKm[1], x.rKm[2] - sf.rKm[2]];
  const rho = Math.hypot(d[0], d[1], d[2]);
  return {
    sf,
    u: [d[0] / rho, d[1] / rho, d[2] / rho],
    rhoKm: rho,
    dv: [x.vKmS[0] - sf.vKmS[0], x.vKmS[1] - sf.vKmS[1], x.vKmS[2] - sf.vKmS[2]],
  };
}

/** Convergence of the light-time fixed point, s (3e-14 s ≈ 0.01 mm). */
const LIGHT_TIME_TOL_S = 3e-14;
const LIGHT_TIME_MAX_ITER = 20;

function checkTarget(x: State<'GCRF'>): State<'GCRF'> {
  if (x.frame !== 'GCRF') {
    throw new AstroError('FRAME_MISMATCH', 'the target ephemeris must return GCRF states', {
      expected: 'GCRF',
      found: x.frame,
    });
  }
  return x;
}

/**
 * Light time with the station fixed at `sf` (time `t0`) and the target at t0 + sign·τ:
 * sign = −1 (down leg to a reception at t0) or +1 (up leg from a transmission at t0).
 */
function fixedStationLeg(
  target: TargetEphemeris,
  sf: StationFrame,
  t0: Instant,
  sign: 1 | -1,
): { tau: number; x: State<'GCRF'>; tb: Instant } {
  let tau = 0;
  let x = checkTarget(target(t0));
  let tb = t0;
  for (let i = 0; i < LIGHT_TIME_MAX_ITER; i++) {
    const rho = Math.hypot(x.rKm[0] - sf.rKm[0], x.rKm[1] - sf.rKm[1], x.rKm[2] - sf.rKm[2]);
    const next = rho / SPEED_OF_LIGHT_KM_S;
    const done = Math.abs(next - tau) < LIGHT_TIME_TOL_S;
    tau = next;
    tb = t0.plusSeconds(sign * tau);
    x = checkTarget(target(tb));
    if (done) break;
  }
  return { tau, x, tb };
}

/**
 * Light time with the target fixed at `x` (time `tb`) and the station at tb + sign·τ: sign = −1
 * (up leg of a two-way measurement, transmitted at tb − τ) or +1 (down leg, received at tb + τ).
 */
function fixedTargetLeg(
  station: GroundStation,
  x: State<'GCRF'>,
  tb: Instant,
  sign: 1 | -1,
  ctx: AstroContext,
  fo: FrameOptions | undefined,
): { tau: number; sf: StationFrame; ts: Instant } {
  let tau = 0;
  let ts = tb;
  let sf = stationFrameAt(station, tb, ctx, fo);
  for (let i = 0; i < LIGHT_TIME_MAX_ITER; i++) {
    const rho = Math.hypot(x.rKm[0] - sf.rKm[0], x.rKm[1] - sf.rKm[1], x.rKm[2] - sf.rKm[2]);
    const next = rho / SPEED_OF_LIGHT_KM_S;
    const done = Math.abs(next - tau) < LIGHT_TIME_TOL_S;
    tau = next;
    ts = tb.plusSeconds(sign * tau);
    sf = stationFrameAt(station, ts, ctx, fo);
    if (done) break;
  }
  return { tau, sf, ts };
}

const dot = (a: readonly number[], b: readonly number[]): number =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/**
 * Predicts a measurement of `kind` by `station` of `target` with time tag `epoch`.
 * Returns the values (km, km/s, rad; azimuth in [0, 2π), right ascension in [0, 2π)) and the
 * partials with respect to the target's GCRF state at the target time. Throws the context's time
 * and EOP errors, and `FRAME_MISMATCH` when the target returns another frame than GCRF.
 */
export function predictMeasurement(
  kind: MeasurementKind,
  station: GroundStation,
  target: TargetEphemeris,
  epoch: Instant,
  options: MeasurementModelOptions,
): PredictedMeasurement {
  const { ctx } = options;
  const fo = options.frameOptions;
  const c = SPEED_OF_LIGHT_KM_S;
  const receive = (options.timeTag ?? 'receive') === 'receive';
  const ranging = kind === 'range' || kind === 'range-rate';
  const twoWay = ranging && (options.path ?? 'two-way') === 'two-way';
  const lightTime = (options.lightTime ?? true) && kind !== 'position';

  const sf0 = stationFrameAt(station, epoch, ctx, fo);
  let x: State<'GCRF'>;
  let tb: Instant;
  let tau1 = 0;
  if (lightTime) {
    const l = fixedStationLeg(target, sf0, epoch, receive ? -1 : 1);
    x = l.x;
    tb = l.tb;
    tau1 = l.tau;
  } else {
    x = checkTarget(target(epoch));
    tb = epoch;
  }
  const leg1 = makeLeg(sf0, x);
  let leg2: Leg | undefined;
  let tau2 = 0;
  if (twoWay) {
    if (lightTime) {
      const l = fixedTargetLeg(station, x, tb, receive ? -1 : 1, ctx, fo);
      tau2 = l.tau;
      leg2 = makeLeg(l.sf, x);
    } else leg2 = leg1;
  }
  const [az, el] = azElRange(sf0, [leg1.u[0] * leg1.rhoKm, leg1.u[1] * leg1.rhoKm, leg1.u[2] * leg1.rhoKm]);
  const meteo = options.meteo ?? standardMeteo(sf0.heightKm * 1000);
  const tropo = options.troposphere ?? 'none';
  const zero6 = (): number[] => [0, 0, 0, 0, 0, 0];
  const base = { kind, targetEpoch: tb, targetState: x, lightTimeS: tau1 + tau2, elevationRad: el };

  switch (kind) {
    case 'range': {
      let rho: number;
      if (lightTime) rho = twoWay ? (c * (tau1 + tau2)) / 2 : c * tau1;
      else rho = leg1.rhoKm;
      let delay = 0;
      if (tropo === 'optical') {
        delay = mendesPavlisDelayKm(el, sf0.latRad, sf0.heightKm * 1000, meteo, options.wavelengthNm ?? 532);
      } else if (tropo === 'radio') delay = radioRangeDelayKm(el, sf0.latRad, sf0.heightKm * 1000, meteo);
      const p = zero6();
      const legs = leg2 === undefined ? [leg1] : [leg1, leg2];
      for (const leg of legs) for (let k = 0; k < 3; k++) p[k]! += leg.u[k]! / legs.length;
      return { ...base, values: [rho + delay], partials: [p], troposphere: delay };
    }
    case 'range-rate': {
      const vt = x.vKmS;
      // Leg 1 has the station fixed at the tag time; leg 2 the target fixed at tb.
      let rr: number;
      const g1 = dot(leg1.u, leg1.dv);
      if (!lightTime) rr = g1;
      else {
        // Down leg (receive) or up leg (transmit) with the station fixed.
        const r1 = g1 / (1 + ((receive ? 1 : -1) * dot(leg1.u, vt)) / c);
        if (leg2 === undefined) rr = r1;
        else {
          const vs2 = leg2.sf.vKmS;
          const g2 = dot(leg2.u, leg2.dv);
          const r2 = g2 / (1 + ((receive ? -1 : 1) * dot(leg2.u, vs2)) / c);
          rr = (r1 + r2 * (1 + ((receive ? -1 : 1) * r1) / c)) / 2;
        }
      }
      const p = zero6();
      const legs = leg2 === undefined ? [leg1] : [leg1, leg2];
      for (const leg of legs) {
        const g = dot(leg.u, leg.dv);
        for (let k = 0; k < 3; k++) {
          p[k]! += (leg.dv[k]! - g * leg.u[k]!) / leg.rhoKm / legs.length;
          p[3 + k]! += leg.u[k]! / legs.length;
        }
      }
      return { ...base, values: [rr], partials: [p], troposphere: 0 };
    }
    case 'azimuth-elevation': {
      const m = sf0.enuFromGcrf;
      const los = [leg1.u[0] * leg1.rhoKm, leg1.u[1] * leg1.rhoKm, leg1.u[2] * leg1.rhoKm];
      const e = m[0]! * los[0]! + m[1]! * los[1]! + m[2]! * los[2]!;
      const n = m[3]! * los[0]! + m[4]! * los[1]! + m[5]! * los[2]!;
      const u = m[6]! * los[0]! + m[7]! * los[1]! + m[8]! * los[2]!;
      const h2 = e * e + n * n;
      const h = Math.sqrt(h2);
      const r2 = h2 + u * u;
      // ∂az/∂(e, n, u) and ∂el/∂(e, n, u), then through the ENU rotation.
      const daz = [n / h2, -e / h2, 0];
      const del = [(-e * u) / (r2 * h), (-n * u) / (r2 * h), h / r2];
      const paz = zero6();
      const pel = zero6();
      for (let k = 0; k < 3; k++) {
        paz[k] = daz[0]! * m[k]! + daz[1]! * m[3 + k]! + daz[2]! * m[6 + k]!;
        pel[k] = del[0]! * m[k]! + del[1]! * m[3 + k]! + del[2]! * m[6 + k]!;
      }
      const refr = tropo === 'optical' ? opticalRefractionRad(el, meteo) : 0;
      return { ...base, values: [az, el + refr], partials: [paz, pel], troposphere: refr };
    }
    case 'right-ascension-declination': {
      if (options.frame === 'ITRF') {
        throw new AstroError(
          'FRAME_UNSUPPORTED',
          'right ascension/declination are given in GCRF or EME2000',
          {
            expected: 'GCRF|EME2000',
            found: 'ITRF',
          },
        );
      }
      let los: number[] = [leg1.u[0], leg1.u[1], leg1.u[2]];
      if (options.aberration === true) {
        const ve = earthVelocityKmS(epoch, options.ephemeris ?? ANALYTIC_EPHEMERIS);
        const beta = [ve[0] / c, ve[1] / c, ve[2] / c];
        // Relative to catalogue stars: the stars are displaced by +β, the satellite is not.
        const ub = dot(los, beta);
        los = [
          los[0]! - beta[0]! + ub * los[0]!,
          los[1]! - beta[1]! + ub * los[1]!,
          los[2]! - beta[2]! + ub * los[2]!,
        ];
      }
      let rot: number[] | undefined;
      if (options.frame === 'EME2000') {
        rot = frameBiasMatrix();
        los = [dot(rot.slice(0, 3), los), dot(rot.slice(3, 6), los), dot(rot.slice(6, 9), los)];
      }
      const [X, Y, Z] = [los[0]! * leg1.rhoKm, los[1]! * leg1.rhoKm, los[2]! * leg1.rhoKm];
      const q2 = X * X + Y * Y;
      const q = Math.sqrt(q2);
      const r2 = q2 + Z * Z;
      const ra = normalizeAzimuth(Math.atan2(Y, X));
      const dec = Math.atan2(Z, q);
      const dra = [-Y / q2, X / q2, 0];
      const ddec = [(-X * Z) / (r2 * q), (-Y * Z) / (r2 * q), q / r2];
      const pra = zero6();
      const pdec = zero6();
      for (let k = 0; k < 3; k++) {
        if (rot === undefined) {
          pra[k] = dra[k]!;
          pdec[k] = ddec[k]!;
        } else {
          pra[k] = dra[0]! * rot[k]! + dra[1]! * rot[3 + k]! + dra[2]! * rot[6 + k]!;
          pdec[k] = ddec[0]! * rot[k]! + ddec[1]! * rot[3 + k]! + ddec[2]! * rot[6 + k]!;
        }
      }
      return { ...base, values: [ra, dec], partials: [pra, pdec], troposphere: 0 };
    }
    case 'position': {
      const rows = [zero6(), zero6(), zero6()];
      let values = [x.rKm[0], x.rKm[1], x.rKm[2]];
      if (options.frame === 'ITRF') {
        const b = frameTransform('GCRF', 'ITRF', frameEpochAt(epoch, ctx), newFrameTransform(), fo).rotation;
        values = [dot(b.slice(0, 3), values), dot(b.slice(3, 6), values), dot(b.slice(6, 9), values)];
        for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) rows[i]![k] = b[3 * i + k]!;
      } else if (options.frame === 'EME2000') {
        const b = frameBiasMatrix();
        values = [dot(b.slice(0, 3), values), dot(b.slice(3, 6), values), dot(b.slice(6, 9), values)];
        for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) rows[i]![k] = b[3 * i + k]!;
      } else for (let i = 0; i < 3; i++) rows[i]![i] = 1;
      return { ...base, values, partials: rows, troposphere: 0 };
    }
  }
}

/**
 * Velocity of the Earth relative to the Sun, km/s, GCRF: minus the derivative of the geocentric
 * Sun, by a central difference over ±1 h (adequate for aberration, a 1e-4 effect).
 */
export function earthVelocityKmS(t: Instant, eph: Ephemeris): Vec3 {
  const [jd, frac] = t.ttJulianDate();
  const h = 3600;
  const a = eph.positionKm('SUN', jd, frac + h / 86400, [0, 0, 0]);
  const b = eph.positionKm('SUN', jd, frac - h / 86400, [0, 0, 0]);
  return [-(a[0] - b[0]) / (2 * h), -(a[1] - b[1]) / (2 * h), -(a[2] - b[2]) / (2 * h)];
}
