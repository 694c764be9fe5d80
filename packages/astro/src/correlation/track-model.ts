/**
 * The measurement model of correlation and the precise score of one track against one element set.
 *
 * Prepared track: every measurement gets its UTC label (the SGP4 time argument, sgp4/epoch-time.ts),
 * the station's GCRF position from the caller's `stationGcrfAt`, and one 3×3 rotation G from GCRF
 * into the frame the measurement is expressed in: the identity or the frame bias for right
 * ascension/declination in GCRF/EME2000, the station's east/north/up axes for azimuth/elevation
 * (ITRF at the time tag, WGS-84 geodetic vertical), the target frame for positions. TEME→GCRF is one
 * rotation per track (precession–nutation moves by well under a milliarcsecond over a track).
 *
 * Predicted measurement (light time, one leg): for a reception time tag t the object is taken at
 * t − ρ/c, r(t − τ) ≈ r(t) − v·τ (two fixed-point iterations; the neglected v̇τ²/2 is below a
 * millimetre), for a transmission time tag at t + τ. A two-way range is modelled by its downleg
 * only (the difference is v·τ, metres, far below the element-set errors that dominate the gate).
 * Angles are geometric (astrometric) directions: refraction and aberration are the reader's or
 * the sensor model's business. Range rate uses the station velocity by a central difference of
 * `stationGcrfAt` over ±1 s.
 *
 * Score: the element set's error over a short track is a fixed position offset δ in the object's
 * radial/in-track/cross-track axes with prior N(0, C(τ)), C from the TLE error model at the set's
 * age. The score is the minimum over δ of
 *   χ²(δ) = Σᵢ (zᵢ − hᵢ(rᵢ + Mᵢᵀδ))ᵀ Wᵢ (zᵢ − hᵢ(rᵢ + Mᵢᵀδ)) + δᵀC⁻¹δ,
 * found by Gauss–Newton with step halving (Mᵢ the RTN axes at measurement i, Wᵢ the inverse
 * measurement variances). For a linear model this equals rᵀ(N + HCHᵀ)⁻¹r, the residuals normalised
 * by measurement noise plus element-set error, which follows χ² with as many degrees of freedom as
 * the track has scalar values when the track belongs to the object. The fitted δ is returned: it
 * says how far (and in which direction) the element set is off. A set whose SGP4 output at the
 * track is not a trajectory (`isTrajectory`) scores χ² = Infinity.
 */
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import { itrfToGeodeticArray } from '../frames/geodetic.js';
import type { FrameName } from '../frames/state.js';
import { wrapPi } from '../math/angle.js';
import type { Vec3 } from '../math/vec3.js';
import type { Measurement } from '../observations/observation.js';
import { enuFromInertial } from '../observations/sensor.js';
import { minutesSinceEpoch, utcLabelOfInstant } from '../sgp4/epoch-time.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';
import { SPEED_OF_LIGHT_KM_S } from '../units/index.js';
import type { TleErrorModel } from './tle-error.js';
import type { Track } from './track.js';

/** Half-width of the central difference that gives the station velocity for range rates, s. */
const STATION_VELOCITY_STEP_S = 1;

/** Station position in GCRF at an instant, km: supplied by the caller (sensor model, SINEX, tests). */
export type StationGcrfAt = (station: string, t: Instant) => Vec3;

/**
 * Station velocity in GCRF at an instant, km/s (e.g. `stationFrameAt(...).vKmS`); without it the
 * range-rate model differentiates `StationGcrfAt` over ±1 s.
 */
export type StationVelocityGcrfAt = (station: string, t: Instant) => Vec3;

/** One measurement made ready for repeated prediction. */
export interface PreparedMeasurement {
  readonly measurement: Measurement;
  /** UTC label of the time tag (two-part Julian date), the SGP4 time argument. */
  readonly labelJd: number;
  readonly labelFrac: number;
  /** Station GCRF position, km. */
  readonly station: Float64Array;
  /** Station GCRF velocity, km/s (zeros unless the measurement is a range rate). */
  readonly stationVelocity: Float64Array;
  /** GCRF → measurement frame (row-major; east/north/up for azimuth/elevation). */
  readonly g: Float64Array;
  /** −1 for a reception time tag (object seen τ earlier), +1 for a transmission time tag. */
  readonly lightSign: number;
  /** Inverse variances of the values. */
  readonly weights: Float64Array;
}

/** A track made ready for scoring against many element sets. */
export interface PreparedTrack {
  readonly track: Track;
  readonly measurements: readonly PreparedMeasurement[];
  /**
   * Index of the reference measurement used for candidate search: the one nearest to the middle
   * among the directions and positions, else among the ranges, else the middle one (range rates
   * cannot be gated).
   */
  readonly refIndex: number;
  /** TEME → GCRF rotation at the reference measurement (row-major). */
  readonly temeToGcrf: Float64Array;
  /** Number of scalar values: the degrees of freedom of the score. */
  readonly dof: number;
}

const INERTIAL_RADEC: readonly FrameName[] = ['GCRF', 'EME2000'];

function rotationInto(from: FrameName, to: FrameName, t: Instant, ctx: AstroContext): Float64Array {
  if (from === to) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const tr = frameTransform(from, to, frameEpochAt(t, ctx), newFrameTransform());
  return Float64Array.from(tr.rotation);
}

/** GCRF → local horizon (east/north/up) of the station (observations/sensor.ts enuFromInertial). */
function horizonRotation(stationGcrf: Vec3, t: Instant, ctx: AstroContext): Float64Array {
  const r = rotationInto('ITRF', 'GCRF', t, ctx);
  // ITRF position = Rᵀ · GCRF position.
  const s: Vec3 = [
    r[0]! * stationGcrf[0] + r[3]! * stationGcrf[1] + r[6]! * stationGcrf[2],
    r[1]! * stationGcrf[0] + r[4]! * stationGcrf[1] + r[7]! * stationGcrf[2],
    r[2]! * stationGcrf[0] + r[5]! * stationGcrf[1] + r[8]! * stationGcrf[2],
  ];
  const geo = itrfToGeodeticArray(s, [0, 0, 0]);
  return enuFromInertial(geo[0], geo[1], r, new Float64Array(9));
}

function measurementFrame(m: Measurement, track: Track): FrameName {
  const frame = m.frame ?? 'GCRF';
  if (m.kind === 'right-ascension-declination' && !INERTIAL_RADEC.includes(frame)) {
    throw new AstroError(
      'CORRELATION_FRAME_UNSUPPORTED',
      `track ${track.id}: right ascension/declination must be in GCRF or EME2000, found ${frame}`,
      { track: track.id, frame },
    );
  }
  return frame;
}

/** How well a measurement kind narrows the candidate search: lower is better (correlate.ts gate). */
function gateRank(kind: Measurement['kind']): number {
  if (kind === 'right-ascension-declination' || kind === 'azimuth-elevation' || kind === 'position') return 0;
  return kind === 'range' ? 1 : 2;
}

/**
 * The measurement nearest to the middle of the track among those that narrow the candidate search
 * best: a direction or a position (a cone or a ball around the object) before a range (a shell
 * around the station, which holds many more objects) before a range rate (which cannot be gated).
 */
function referenceIndex(ms: readonly Measurement[]): number {
  const mid = Math.floor((ms.length - 1) / 2);
  let best = mid;
  let bestRank = Number.POSITIVE_INFINITY;
  for (let d = 0; d < ms.length; d++) {
    for (const i of [mid - d, mid + d]) {
      const m = ms[i];
      if (m === undefined) continue;
      const rank = gateRank(m.kind);
      if (rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    if (bestRank === 0) break;
  }
  return best;
}

/**
 * Prepares a track: labels, station positions, frame rotations, weights. Throws
 * `CORRELATION_TRACK_EMPTY`, `CORRELATION_SIGMA_INVALID` (a sigma that is not a positive number)
 * or `CORRELATION_FRAME_UNSUPPORTED`, and the time/EOP errors of the context.
 */
export function prepareTrack(
  track: Track,
  ctx: AstroContext,
  stationGcrfAt: StationGcrfAt,
  stationVelocityGcrfAt?: StationVelocityGcrfAt,
): PreparedTrack {
  const n = track.measurements.length;
  if (n === 0)
    throw new AstroError('CORRELATION_TRACK_EMPTY', `track ${track.id} has no measurements`, {
      track: track.id,
    });
  const refIndex = referenceIndex(track.measurements);
  const refEpoch = (track.measurements[refIndex] as Measurement).epoch;
  const temeToGcrf = rotationInto('TEME', 'GCRF', refEpoch, ctx);
  const gcrfToEme = rotationInto('GCRF', 'EME2000', refEpoch, ctx);
  const identity = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  let dof = 0;
  const measurements = track.measurements.map((m): PreparedMeasurement => {
    const label = utcLabelOfInstant(m.epoch, ctx);
    const s = stationGcrfAt(m.station, m.epoch);
    const station = Float64Array.from(s);
    const stationVelocity = new Float64Array(3);
    if (m.kind === 'range-rate' && stationVelocityGcrfAt !== undefined) {
      stationVelocity.set(stationVelocityGcrfAt(m.station, m.epoch));
    } else if (m.kind === 'range-rate') {
      const a = stationGcrfAt(m.station, m.epoch.plusSeconds(STATION_VELOCITY_STEP_S));
      const b = stationGcrfAt(m.station, m.epoch.plusSeconds(-STATION_VELOCITY_STEP_S));
      for (let k = 0; k < 3; k++) stationVelocity[k] = (a[k]! - b[k]!) / (2 * STATION_VELOCITY_STEP_S);
    }
    let g: Float64Array = identity;
    if (m.kind === 'azimuth-elevation') g = horizonRotation(s, m.epoch, ctx);
    else if (m.kind === 'right-ascension-declination')
      g = measurementFrame(m, track) === 'EME2000' ? gcrfToEme : identity;
    else if (m.kind === 'position') g = rotationInto('GCRF', m.frame ?? 'GCRF', m.epoch, ctx);
    const size = m.kind === 'position' ? 3 : m.kind === 'range' || m.kind === 'range-rate' ? 1 : 2;
    const weights = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const sigma = m.sigmas[k];
      if (sigma === undefined || !(sigma > 0) || m.values[k] === undefined) {
        throw new AstroError(
          'CORRELATION_SIGMA_INVALID',
          `track ${track.id}: ${m.kind} needs ${size} values and positive sigmas, found values ${m.values.length}, sigma ${sigma}`,
          { track: track.id, kind: m.kind },
        );
      }
      weights[k] = 1 / (sigma * sigma);
    }
    dof += size;
    return {
      measurement: m,
      labelJd: label.jd,
      labelFrac: label.jdFrac,
      station,
      stationVelocity,
      g,
      lightSign: m.timeTag === 'transmit' ? 1 : -1,
      weights,
    };
  });
  return { track, measurements, refIndex, temeToGcrf, dof };
}

/** Result of scoring one track against one element set. */
export interface TrackScore {
  /** χ² of the track against the set (Infinity when SGP4 failed at a measurement time). */
  readonly chi2: number;
  /** Fitted offset of the set's position, radial / in-track / cross-track, km. */
  readonly offsetRtnKm: readonly [number, number, number];
  /** Age of the element set at the reference measurement, days. */
  readonly ageDays: number;
}

/** Scratch of `scoreTrack`: object GCRF states per measurement and their RTN axes. */
class Scratch {
  r = new Float64Array(0);
  v = new Float64Array(0);
  m = new Float64Array(0);
  readonly sgp = new Float64Array(6);
  ensure(n: number): void {
    if (this.r.length < 3 * n) {
      this.r = new Float64Array(3 * n);
      this.v = new Float64Array(3 * n);
      this.m = new Float64Array(9 * n);
    }
  }
}
const scratch = new Scratch();
const normal = new Float64Array(9);
const rhs = new Float64Array(3);
const jac = new Float64Array(9);

/**
 * χ² at offset δ (RTN km), and when `accumulate` the normal matrix and right-hand side of the
 * Gauss–Newton step into `normal` and `rhs` (prior included).
 */
function evaluate(
  pt: PreparedTrack,
  n: number,
  invVar: Float64Array,
  d: Float64Array,
  accumulate: boolean,
): number {
  const { r, v, m } = scratch;
  let chi2 = invVar[0]! * d[0]! * d[0]! + invVar[1]! * d[1]! * d[1]! + invVar[2]! * d[2]! * d[2]!;
  if (accumulate) {
    normal.fill(0);
    normal[0] = invVar[0]!;
    normal[4] = invVar[1]!;
    normal[8] = invVar[2]!;
    rhs[0] = -invVar[0]! * d[0]!;
    rhs[1] = -invVar[1]! * d[1]!;
    rhs[2] = -invVar[2]! * d[2]!;
  }
  for (let i = 0; i < n; i++) {
    const pm = pt.measurements[i] as PreparedMeasurement;
    const meas = pm.measurement;
    const mi = 9 * i;
    // p = r + Mᵀδ (GCRF).
    const px = r[3 * i]! + m[mi]! * d[0]! + m[mi + 3]! * d[1]! + m[mi + 6]! * d[2]!;
    const py = r[3 * i + 1]! + m[mi + 1]! * d[0]! + m[mi + 4]! * d[1]! + m[mi + 7]! * d[2]!;
    const pz = r[3 * i + 2]! + m[mi + 2]! * d[0]! + m[mi + 5]! * d[1]! + m[mi + 8]! * d[2]!;
    const s = pm.station;
    const g = pm.g;
    let rows = 0;
    const y0 = 0;
    let res0 = y0;
    let res1 = 0;
    let res2 = 0;
    // Jacobian rows w.r.t. p (GCRF) into jac[0..8].
    if (meas.kind === 'position') {
      const qx = g[0]! * px + g[1]! * py + g[2]! * pz;
      const qy = g[3]! * px + g[4]! * py + g[5]! * pz;
      const qz = g[6]! * px + g[7]! * py + g[8]! * pz;
      res0 = meas.values[0]! - qx;
      res1 = meas.values[1]! - qy;
      res2 = meas.values[2]! - qz;
      for (let k = 0; k < 9; k++) jac[k] = g[k]!;
      rows = 3;
    } else {
      const rx = px - s[0]!;
      const ry = py - s[1]!;
      const rz = pz - s[2]!;
      const rho = Math.sqrt(rx * rx + ry * ry + rz * rz);
      if (meas.kind === 'range') {
        res0 = meas.values[0]! - rho;
        jac[0] = rx / rho;
        jac[1] = ry / rho;
        jac[2] = rz / rho;
        rows = 1;
      } else if (meas.kind === 'range-rate') {
        const sv = pm.stationVelocity;
        const wx = v[3 * i]! - sv[0]!;
        const wy = v[3 * i + 1]! - sv[1]!;
        const wz = v[3 * i + 2]! - sv[2]!;
        const rr = (rx * wx + ry * wy + rz * wz) / rho;
        res0 = meas.values[0]! - rr;
        jac[0] = (wx - (rx / rho) * rr) / rho;
        jac[1] = (wy - (ry / rho) * rr) / rho;
        jac[2] = (wz - (rz / rho) * rr) / rho;
        rows = 1;
      } else {
        // Angles: q = G·ρ; first angle atan2(a, b), second asin(q2/|q|).
        const qx = g[0]! * rx + g[1]! * ry + g[2]! * rz;
        const qy = g[3]! * rx + g[4]! * ry + g[5]! * rz;
        const qz = g[6]! * rx + g[7]! * ry + g[8]! * rz;
        const h2 = qx * qx + qy * qy;
        const h = Math.sqrt(h2);
        const q2 = h2 + qz * qz;
        let d0x: number;
        let d0y: number;
        if (meas.kind === 'azimuth-elevation') {
          // azimuth = atan2(east, north).
          res0 = wrapPi(meas.values[0]! - Math.atan2(qx, qy));
          d0x = qy / h2;
          d0y = -qx / h2;
        } else {
          res0 = wrapPi(meas.values[0]! - Math.atan2(qy, qx));
          d0x = -qy / h2;
          d0y = qx / h2;
        }
        res1 = meas.values[1]! - Math.asin(qz / Math.sqrt(q2));
        const e0 = (-qx * qz) / (q2 * h);
        const e1 = (-qy * qz) / (q2 * h);
        const e2 = h / q2;
        for (let k = 0; k < 3; k++) {
          jac[k] = d0x * g[k]! + d0y * g[3 + k]!;
          jac[3 + k] = e0 * g[k]! + e1 * g[3 + k]! + e2 * g[6 + k]!;
        }
        rows = 2;
      }
    }
    const w = pm.weights;
    chi2 += w[0]! * res0 * res0;
    if (rows > 1) chi2 += w[1]! * res1 * res1;
    if (rows > 2) chi2 += w[2]! * res2 * res2;
    if (!accumulate) continue;
    for (let k = 0; k < rows; k++) {
      // J row = H row · Mᵀ: component j = H_k · (row j of M).
      const hx = jac[3 * k]!;
      const hy = jac[3 * k + 1]!;
      const hz = jac[3 * k + 2]!;
      const j0 = hx * m[mi]! + hy * m[mi + 1]! + hz * m[mi + 2]!;
      const j1 = hx * m[mi + 3]! + hy * m[mi + 4]! + hz * m[mi + 5]!;
      const j2 = hx * m[mi + 6]! + hy * m[mi + 7]! + hz * m[mi + 8]!;
      const wk = w[k]!;
      const yk = k === 0 ? res0 : k === 1 ? res1 : res2;
      normal[0] = normal[0]! + wk * j0 * j0;
      normal[1] = normal[1]! + wk * j0 * j1;
      normal[2] = normal[2]! + wk * j0 * j2;
      normal[4] = normal[4]! + wk * j1 * j1;
      normal[5] = normal[5]! + wk * j1 * j2;
      normal[8] = normal[8]! + wk * j2 * j2;
      rhs[0] = rhs[0]! + wk * j0 * yk;
      rhs[1] = rhs[1]! + wk * j1 * yk;
      rhs[2] = rhs[2]! + wk * j2 * yk;
    }
  }
  if (accumulate) {
    normal[3] = normal[1]!;
    normal[6] = normal[2]!;
    normal[7] = normal[5]!;
  }
  return chi2;
}

/** Solves the symmetric 3×3 system normal·x = rhs by Cramer's rule into `x`; false when singular. */
function solve3(x: Float64Array): boolean {
  const a = normal;
  const c00 = a[4]! * a[8]! - a[5]! * a[7]!;
  const c01 = a[5]! * a[6]! - a[3]! * a[8]!;
  const c02 = a[3]! * a[7]! - a[4]! * a[6]!;
  const det = a[0]! * c00 + a[1]! * c01 + a[2]! * c02;
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return false;
  const inv = 1 / det;
  const b0 = rhs[0]!;
  const b1 = rhs[1]!;
  const b2 = rhs[2]!;
  x[0] = (c00 * b0 + (a[2]! * a[7]! - a[1]! * a[8]!) * b1 + (a[1]! * a[5]! - a[2]! * a[4]!) * b2) * inv;
  x[1] = (c01 * b0 + (a[0]! * a[8]! - a[2]! * a[6]!) * b1 + (a[2]! * a[3]! - a[0]! * a[5]!) * b2) * inv;
  x[2] = (c02 * b0 + (a[1]! * a[6]! - a[0]! * a[7]!) * b1 + (a[0]! * a[4]! - a[1]! * a[3]!) * b2) * inv;
  return true;
}

/** Largest distance of a catalogued Earth orbit (beyond the Sun–Earth L2 point), km; SGP4 far past decay can give 1e10 km. */
const FARTHEST_ORBIT_KM = 2_000_000;
/** Over one second, position change minus velocity: 5 m for any orbit (acceleration/2 below 5 m/s²), km. */
const TRAJECTORY_TOLERANCE_KM = 1;
const probe = new Float64Array(6);

/**
 * False when SGP4 output at `tsinceMin` is not a trajectory: an error code, a radius beyond any
 * Earth orbit, or a position that does not move with the velocity over one second (sets
 * propagated far past their decay can give such output without an error code; 13 of the 2023
 * catalog do near 2023-10-09, and one of them fitted a random track when it was scored).
 */
function isTrajectory(record: Satrec, tsinceMin: number, out: Float64Array): boolean {
  if (sgp4(record, tsinceMin, out) !== 0 || sgp4(record, tsinceMin + 1 / 60, probe) !== 0) return false;
  if (!(Math.hypot(out[0]!, out[1]!, out[2]!) < FARTHEST_ORBIT_KM)) return false;
  const d = Math.hypot(
    probe[0]! - out[0]! - out[3]!,
    probe[1]! - out[1]! - out[4]!,
    probe[2]! - out[2]! - out[5]!,
  );
  return d < TRAJECTORY_TOLERANCE_KM;
}

/** Most Gauss–Newton iterations of the offset fit. */
const MAX_ITERATIONS = 8;
/** Step halvings tried when a step does not lower χ². */
const MAX_HALVINGS = 4;
/** A step shorter than this ends the fit, km. */
const STEP_TOLERANCE_KM = 1e-4;

const delta = new Float64Array(3);
const trial = new Float64Array(3);
const step = new Float64Array(3);
const invVar = new Float64Array(3);

/**
 * Scores a prepared track against one SGP4 record (see the module header). `elements` gives the
 * epoch and regime to the error model. Never throws; an SGP4 failure at any measurement time gives
 * χ² = Infinity.
 */
export function scoreTrack(
  pt: PreparedTrack,
  record: Satrec,
  elements: ElementSet,
  errorModel: TleErrorModel,
): TrackScore {
  const n = pt.measurements.length;
  scratch.ensure(n);
  const { r, v, m, sgp } = scratch;
  const t = pt.temeToGcrf;
  const ref = pt.measurements[pt.refIndex] as PreparedMeasurement;
  const ageDays = minutesSinceEpoch(elements.epoch, ref.labelJd, ref.labelFrac) / 1440;
  if (!isTrajectory(record, ageDays * 1440, sgp)) {
    return { chi2: Number.POSITIVE_INFINITY, offsetRtnKm: [0, 0, 0], ageDays };
  }
  for (let i = 0; i < n; i++) {
    const pm = pt.measurements[i] as PreparedMeasurement;
    const code = sgp4(record, minutesSinceEpoch(elements.epoch, pm.labelJd, pm.labelFrac), sgp);
    if (code !== 0) return { chi2: Number.POSITIVE_INFINITY, offsetRtnKm: [0, 0, 0], ageDays };
    const x = t[0]! * sgp[0]! + t[1]! * sgp[1]! + t[2]! * sgp[2]!;
    const y = t[3]! * sgp[0]! + t[4]! * sgp[1]! + t[5]! * sgp[2]!;
    const z = t[6]! * sgp[0]! + t[7]! * sgp[1]! + t[8]! * sgp[2]!;
    const vx = t[0]! * sgp[3]! + t[1]! * sgp[4]! + t[2]! * sgp[5]!;
    const vy = t[3]! * sgp[3]! + t[4]! * sgp[4]! + t[5]! * sgp[5]!;
    const vz = t[6]! * sgp[3]! + t[7]! * sgp[4]! + t[8]! * sgp[5]!;
    // Light time (a position measurement is geocentric: no light path to model).
    let lx = x;
    let ly = y;
    let lz = z;
    if (pm.measurement.kind !== 'position') {
      const s = pm.station;
      for (let it = 0; it < 2; it++) {
        const tau = Math.hypot(lx - s[0]!, ly - s[1]!, lz - s[2]!) / SPEED_OF_LIGHT_KM_S;
        lx = x + pm.lightSign * vx * tau;
        ly = y + pm.lightSign * vy * tau;
        lz = z + pm.lightSign * vz * tau;
      }
    }
    r[3 * i] = lx;
    r[3 * i + 1] = ly;
    r[3 * i + 2] = lz;
    v[3 * i] = vx;
    v[3 * i + 1] = vy;
    v[3 * i + 2] = vz;
    // RTN rows: R = r/|r|, N = r×v/|r×v|, T = N×R.
    const rn = Math.hypot(x, y, z);
    const ux = x / rn;
    const uy = y / rn;
    const uz = z / rn;
    let nx = y * vz - z * vy;
    let ny = z * vx - x * vz;
    let nz = x * vy - y * vx;
    const nn = Math.hypot(nx, ny, nz);
    nx /= nn;
    ny /= nn;
    nz /= nn;
    const mi = 9 * i;
    m[mi] = ux;
    m[mi + 1] = uy;
    m[mi + 2] = uz;
    m[mi + 3] = ny * uz - nz * uy;
    m[mi + 4] = nz * ux - nx * uz;
    m[mi + 5] = nx * uy - ny * ux;
    m[mi + 6] = nx;
    m[mi + 7] = ny;
    m[mi + 8] = nz;
  }
  const sigma = errorModel(elements, ageDays);
  for (let k = 0; k < 3; k++) invVar[k] = 1 / (sigma[k]! * sigma[k]!);
  delta.fill(0);
  let chi2 = evaluate(pt, n, invVar, delta, true);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    if (!solve3(step)) break;
    let scale = 1;
    let accepted = false;
    // Each trial accumulates its normal equations: the accepted one leaves those of the new δ,
    // the next step's, without a second pass over the measurements (a rejected trial's are
    // overwritten by the next trial; `step` is already solved).
    for (let h = 0; h <= MAX_HALVINGS; h++) {
      for (let k = 0; k < 3; k++) trial[k] = delta[k]! + scale * step[k]!;
      const c = evaluate(pt, n, invVar, trial, true);
      if (c < chi2) {
        chi2 = c;
        delta.set(trial);
        accepted = true;
        break;
      }
      scale *= 0.5;
    }
    const len = scale * Math.hypot(step[0]!, step[1]!, step[2]!);
    if (!accepted || len < STEP_TOLERANCE_KM) break;
  }
  if (!Number.isFinite(chi2)) chi2 = Number.POSITIVE_INFINITY;
  return { chi2, offsetRtnKm: [delta[0]!, delta[1]!, delta[2]!], ageDays };
}
