/**
 * A fast night of observations of a whole catalog by a set of sensors: the same visibility and
 * track rules as `simulateObservations` (simulate.ts, passes.ts), organised for 10⁴–10⁵ objects.
 *
 * 1. Visibility on a grid: the catalog is propagated with batch SGP4 (propagation/sgp4-batch.ts)
 *    on a grid of `gridStepS`, one block of slices at a time; every slice is turned TEME → GCRF
 *    once, and each sensor tests every object with plain loops: elevation (by the sine, no trig),
 *    range, azimuth sectors and field of regard (sensor.ts `withinGeometricLimits`), and for
 *    optical sensors the site's darkness (one Sun elevation per slice and sensor), the target
 *    sunlit (the cylindrical shadow of numerical/radiation-pressure.ts, inline) and the Moon
 *    avoidance angle. Sun and Moon come from the analytic series once per slice.
 * 2. Runs of visible grid samples are refined at both ends by bisection to `toleranceS` (default
 *    1 s) with the exact per-object test (`visibilityAt` of passes.ts with a StationFrameCache, as
 *    `predictPasses` does), so the visibility intervals agree with `predictPasses` to about the
 *    tolerance. Limit, as for `predictPasses`'s own visibility scan: an interval shorter than the
 *    grid step, falling between two samples, is missed.
 * 3. Each visibility interval gives one track, as `simulateObservations` with
 *    `maxTracksPerInterval: 1`: measurements every `cadenceS` from the interval's start for
 *    `trackLengthS` (clipped to the interval), one Measurement per kind the sensor measures.
 * Measurement model (one-way, receive-tagged, geometric, no troposphere): SGP4 at the UTC label of
 * the measurement time, TEME → GCRF with one rotation per track (precession–nutation moves by
 * < 1e-9 rad over a track), the down-leg light time by two fixed-point iterations of
 * r(t − τ) ≈ r(t) − v·τ (the neglected a·τ²/2 is below a millimetre), the station from a
 * StationFrameCache with 60 s knots. Values follow measurement-model.ts `predictMeasurement` with
 * `path: 'one-way'`, `troposphere: 'none'` (range rate with its 1/(1 + u·v/c) factor and the
 * target velocity at t − τ by the two-body acceleration), which
 * simulate-night.test.ts checks. Noise: the sensor's sigma, Gaussian, seeded (simulate.ts
 * `simulationRandom`); the sensor's biases are added.
 * Truth deviation: `offsetsRtnKm` moves each object by a fixed radial / in-track / cross-track
 * offset (km) in the measurements (not in the visibility test, which a few km cannot change
 * materially): the difference between an element set and the object it describes, so that
 * correlation sees tracks that do not fit their sets exactly.
 * Objects whose SGP4 fails, or whose output is beyond any Earth orbit (sets propagated far past
 * their decay), are never visible. Time labels: block slices are spaced `gridStepS` UTC-label
 * seconds from the block's first label, exact unless a leap second falls inside the night.
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import type { AstroContext } from '../context/astro-context.js';
import { frameEpochAt } from '../context/frame-epoch-at.js';
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import { frameTransform, newFrameTransform } from '../frames/frame-graph.js';
import type { Vec3 } from '../math/vec3.js';
import { ANALYTIC_EPHEMERIS, type Ephemeris } from '../numerical/ephemeris.js';
import { createStateBatch, propagateBatch } from '../propagation/sgp4-batch.js';
import { minutesSinceEpoch, utcLabelOfInstant } from '../sgp4/epoch-time.js';
import { sgp4Init } from '../sgp4/propagate.js';
import type { Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import type { Instant } from '../time/instant.js';
import { SPEED_OF_LIGHT_KM_S, TWO_PI } from '../units/index.js';
import { azElRange, StationFrameCache, stationFrameAt } from './measurement-model.js';
import type { Measurement, MeasurementKind } from './observation.js';
import { type TimeInterval, visibilityAt } from './passes.js';
import { type Sensor, withinGeometricLimits } from './sensor.js';
import { simulationRandom } from './simulate.js';

/** Options of simulateNight. */
export interface NightSimulationOptions {
  readonly ctx: AstroContext;
  /** Sun and Moon (default: the analytic series). */
  readonly ephemeris?: Ephemeris;
  /** Grid step of the visibility scan, s (default 60). */
  readonly gridStepS?: number;
  /** Accuracy of the interval ends, s (default 1). */
  readonly toleranceS?: number;
  /** Time between measurements of a track, s (default 10). */
  readonly cadenceS?: number;
  /** Length of a track, s (default 60). */
  readonly trackLengthS?: number;
  /** Measurement kinds to produce (default: each sensor's own list; 'position' is never produced). */
  readonly kinds?: readonly MeasurementKind[];
  /** Seed of the noise generator (default 1). */
  readonly seed?: number;
  /** Add noise (default true). */
  readonly noise?: boolean;
  /** Truth deviation per object: radial, in-track, cross-track offsets, km (3 per object). */
  readonly offsetsRtnKm?: Float64Array;
  /** SGP4 records of the catalog (same order), when the caller already has them. */
  readonly records?: readonly Satrec[];
  /**
   * Tasking capacity: at most this many tracks per sensor over the window, the visibility
   * intervals tracked chosen uniformly at random (seeded) among all the sensor's intervals
   * (default: every interval).
   */
  readonly maxTracksPerSensor?: number;
}

/** One visibility interval of one object from one sensor. */
export interface NightInterval extends TimeInterval {
  /** Index of the sensor in the sensors array. */
  readonly sensorIndex: number;
  /** Index of the object in the catalog array. */
  readonly objectIndex: number;
  /** The interval starts at the window start / ends at the window end. */
  readonly startClipped: boolean;
  readonly endClipped: boolean;
}

/** One simulated track: the measurements of one interval, with the truth beside them. */
export interface NightTrack {
  /** Target label written into the measurements (`<sensor>-<n>`: says nothing about the object). */
  readonly label: string;
  readonly sensor: string;
  readonly objectIndex: number;
  readonly catalogNumber: string;
  readonly interval: NightInterval;
  /** Time order; per epoch one measurement per kind. */
  readonly measurements: Measurement[];
}

export interface NightSimulation {
  /** The visibility intervals tracked (all of them without a capacity), by sensor then object then time. */
  readonly intervals: NightInterval[];
  /** One track per interval (none when the object's SGP4 fails inside the track). */
  readonly tracks: NightTrack[];
  /** Measurements in all tracks. */
  readonly measurementCount: number;
  /** Object × grid samples propagated. */
  readonly samples: number;
  /** Visibility intervals found on the grid, tracked or not. */
  readonly intervalsFound: number;
}

/** Largest distance of a catalogued Earth orbit, km (correlation/track-model.ts uses the same bound). */
const FARTHEST_ORBIT_KM = 2_000_000;
/** Slices per propagated block. */
const BLOCK_SLICES = 32;
/** Earth equatorial radius for the cylindrical shadow, km (WGS-84, as radiation-pressure.ts). */
const SHADOW_RADIUS_KM = 6378.137;
/** Knot spacing of the station frame caches of the measurement model, s. */
const STATION_KNOT_S = 60;

function measurable(sensor: Sensor, kinds: readonly MeasurementKind[] | undefined): MeasurementKind[] {
  return (kinds ?? sensor.measurements).filter((k) => k !== 'position' && sensor.measurements.includes(k));
}

function sigmaOf(sensor: Sensor, kind: MeasurementKind): number {
  const s =
    kind === 'range'
      ? sensor.noise.rangeKm
      : kind === 'range-rate'
        ? sensor.noise.rangeRateKmS
        : sensor.noise.angleRad;
  if (s === undefined || !(s > 0)) {
    throw new AstroError('SENSOR_NOISE_MISSING', `sensor ${sensor.name} has no noise sigma for ${kind}`, {
      sensor: sensor.name,
      kind,
    });
  }
  return s;
}

function biasOf(sensor: Sensor, kind: MeasurementKind): readonly number[] {
  if (kind === 'range') return [sensor.bias.rangeKm ?? 0];
  if (kind === 'range-rate') return [sensor.bias.rangeRateKmS ?? 0];
  return sensor.bias.angleRad ?? [0, 0];
}

/**
 * Simulates the tracks that `sensors` take of `catalog` over [from, from + durationS] (see the
 * module header). Throws `SENSOR_NOISE_MISSING`, `NIGHT_OPTIONS_INVALID` and the context's errors.
 */
export function simulateNight(
  sensors: readonly Sensor[],
  catalog: readonly ElementSet[],
  from: Instant,
  durationS: number,
  options: NightSimulationOptions,
): NightSimulation {
  const step = options.gridStepS ?? 60;
  const tol = options.toleranceS ?? 1;
  const cadence = options.cadenceS ?? 10;
  const trackLength = options.trackLengthS ?? 60;
  if (!(step > 0 && tol > 0 && cadence > 0 && trackLength >= 0 && durationS > 0)) {
    throw new AstroError(
      'NIGHT_OPTIONS_INVALID',
      'grid step, tolerance, cadence and duration must be positive',
      {
        gridStepS: step,
        toleranceS: tol,
        cadenceS: cadence,
        durationS,
      },
    );
  }
  const offsets = options.offsetsRtnKm;
  if (offsets !== undefined && offsets.length !== 3 * catalog.length) {
    throw new AstroError('NIGHT_OPTIONS_INVALID', `offsetsRtnKm needs ${3 * catalog.length} values`, {
      found: offsets.length,
    });
  }
  const ctx = options.ctx;
  const eph = options.ephemeris ?? ANALYTIC_EPHEMERIS;
  const records = options.records ?? catalog.map((e) => sgp4Init(e));
  const n = catalog.length;
  const slices = Math.ceil(durationS / step - 1e-9) + 1;
  const gridT = (k: number): number => Math.min(durationS, k * step);
  const ns = sensors.length;
  // Per sensor: the slice where the current run of visible samples started (−1: none).
  const runStart = Array.from({ length: ns }, () => new Int32Array(n).fill(-1));
  const runs: { s: number; i: number; k0: number; k1: number }[] = [];
  const states = createStateBatch(n * BLOCK_SLICES);
  const offsetMin = new Float64Array(n);
  const gridMin = new Float64Array(BLOCK_SLICES);
  const rot = newFrameTransform();
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  const ok = new Uint8Array(n);
  const sun: Vec3 = [0, 0, 0];
  const moon: Vec3 = [0, 0, 0];
  const sinMin = sensors.map((s) => Math.sin(s.minElevationRad));
  let samples = 0;
  for (let b0 = 0; b0 < slices; b0 += BLOCK_SLICES) {
    const w = Math.min(BLOCK_SLICES, slices - b0);
    const t0 = from.plusSeconds(gridT(b0));
    const label = utcLabelOfInstant(t0, ctx);
    for (let i = 0; i < n; i++)
      offsetMin[i] = minutesSinceEpoch((catalog[i] as ElementSet).epoch, label.jd, label.jdFrac);
    const g = gridMin.subarray(0, w);
    for (let j = 0; j < w; j++) g[j] = (gridT(b0 + j) - gridT(b0)) / 60;
    propagateBatch(records as Satrec[], offsetMin, g, states);
    samples += n * w;
    for (let j = 0; j < w; j++) {
      const k = b0 + j;
      const t = from.plusSeconds(gridT(k));
      frameTransform('TEME', 'GCRF', frameEpochAt(t, ctx), rot);
      const m = rot.rotation;
      for (let i = 0, a = j; i < n; i++, a += w) {
        const x = states.x[a]!;
        const y = states.y[a]!;
        const z = states.z[a]!;
        px[i] = m[0] * x + m[1] * y + m[2] * z;
        py[i] = m[3] * x + m[4] * y + m[5] * z;
        pz[i] = m[6] * x + m[7] * y + m[8] * z;
        ok[i] =
          states.status[a] === 0 && x * x + y * y + z * z < FARTHEST_ORBIT_KM * FARTHEST_ORBIT_KM ? 1 : 0;
      }
      const [jd, frac] = t.ttJulianDate();
      eph.positionKm('SUN', jd, frac, sun);
      eph.positionKm('MOON', jd, frac, moon);
      const sn = Math.hypot(sun[0], sun[1], sun[2]);
      const ux = sun[0] / sn;
      const uy = sun[1] / sn;
      const uz = sun[2] / sn;
      for (let s = 0; s < ns; s++) {
        const sensor = sensors[s] as Sensor;
        const sf = stationFrameAt(sensor, t, ctx);
        const starts = runStart[s] as Int32Array;
        const l = sensor.lighting;
        let dark = true;
        let moonCos = 2;
        let mx = 0;
        let my = 0;
        let mz = 0;
        if (l !== undefined) {
          const sunEl = azElRange(sf, [sun[0] - sf.rKm[0], sun[1] - sf.rKm[1], sun[2] - sf.rKm[2]])[1];
          dark = sunEl <= l.maxSunElevationRad;
          if (l.moonAvoidanceRad > 0) {
            moonCos = Math.cos(l.moonAvoidanceRad);
            mx = moon[0] - sf.rKm[0];
            my = moon[1] - sf.rKm[1];
            mz = moon[2] - sf.rKm[2];
            const mn = Math.hypot(mx, my, mz);
            mx /= mn;
            my /= mn;
            mz /= mn;
          }
        }
        const e = sf.enuFromGcrf;
        const [sx, sy, sz] = sf.rKm;
        const minSin = sinMin[s] as number;
        const simple = sensor.azimuthSectors.length === 0 && sensor.fieldOfRegard === undefined;
        const sunlit = l?.requireTargetSunlit === true;
        for (let i = 0; i < n; i++) {
          let vis = false;
          if (dark && ok[i] === 1) {
            const lx = px[i]! - sx;
            const ly = py[i]! - sy;
            const lz = pz[i]! - sz;
            const rho = Math.sqrt(lx * lx + ly * ly + lz * lz);
            const up = e[6]! * lx + e[7]! * ly + e[8]! * lz;
            vis = up >= minSin * rho && rho >= sensor.minRangeKm && rho <= sensor.maxRangeKm;
            if (vis) {
              const el = Math.asin(up / rho);
              if (simple) vis = el <= sensor.maxElevationRad;
              else {
                const east = e[0]! * lx + e[1]! * ly + e[2]! * lz;
                const north = e[3]! * lx + e[4]! * ly + e[5]! * lz;
                let az = Math.atan2(east, north);
                if (az < 0) az += TWO_PI;
                vis = withinGeometricLimits(sensor, az, el, rho);
              }
            }
            if (vis && sunlit) {
              const proj = px[i]! * ux + py[i]! * uy + pz[i]! * uz;
              if (proj < 0) {
                const r2 = px[i]! * px[i]! + py[i]! * py[i]! + pz[i]! * pz[i]!;
                if (r2 - proj * proj < SHADOW_RADIUS_KM * SHADOW_RADIUS_KM) vis = false;
              }
            }
            if (vis && moonCos < 1 && (lx * mx + ly * my + lz * mz) / rho > moonCos) vis = false;
          }
          const k0 = starts[i]!;
          if (vis) {
            if (k0 < 0) starts[i] = k;
          } else if (k0 >= 0) {
            runs.push({ s, i, k0, k1: k - 1 });
            starts[i] = -1;
          }
        }
      }
    }
  }
  for (let s = 0; s < ns; s++) {
    const starts = runStart[s] as Int32Array;
    for (let i = 0; i < n; i++) if (starts[i]! >= 0) runs.push({ s, i, k0: starts[i]!, k1: slices - 1 });
  }
  runs.sort((a, b) => a.s - b.s || a.i - b.i || a.k0 - b.k0);
  const intervalsFound = runs.length;
  const rng = simulationRandom(options.seed ?? 1);
  const capacity = options.maxTracksPerSensor;
  if (capacity !== undefined) {
    // Partial Fisher–Yates per sensor: a uniform choice of `capacity` runs, then back in order.
    const chosen: typeof runs = [];
    for (let s = 0, a = 0; s < ns; s++) {
      let b = a;
      while (b < runs.length && (runs[b] as (typeof runs)[number]).s === s) b++;
      const part = runs.slice(a, b);
      const take = Math.min(capacity, part.length);
      for (let k = 0; k < take; k++) {
        const j = k + Math.floor(rng.uniform() * (part.length - k));
        [part[k], part[j]] = [part[j] as (typeof runs)[number], part[k] as (typeof runs)[number]];
      }
      chosen.push(...part.slice(0, take).sort((x, y) => x.i - y.i || x.k0 - y.k0));
      a = b;
    }
    runs.length = 0;
    runs.push(...chosen);
  }

  // Exact visibility for the refinement and the measurements.
  const frames = sensors.map((s) => new StationFrameCache(s, ctx));
  const measureFrames = sensors.map((s) => new StationFrameCache(s, ctx, STATION_KNOT_S));
  const out = new Float64Array(6);
  const knotRot = new Map<number, Float64Array>();
  const temeToGcrf = (t: Instant): Float64Array => {
    const k = Math.round(t.secondsSince(from) / step);
    let r = knotRot.get(k);
    if (r === undefined) {
      r = Float64Array.from(
        frameTransform('TEME', 'GCRF', frameEpochAt(from.plusSeconds(k * step), ctx)).rotation,
      );
      knotRot.set(k, r);
    }
    return r;
  };
  const gcrf: Vec3 = [0, 0, 0];
  const position = (i: number, t: Instant): boolean => {
    const lab = utcLabelOfInstant(t, ctx);
    const e = catalog[i] as ElementSet;
    if (sgp4(records[i] as Satrec, minutesSinceEpoch(e.epoch, lab.jd, lab.jdFrac), out) !== 0) return false;
    const m = temeToGcrf(t);
    gcrf[0] = m[0]! * out[0]! + m[1]! * out[1]! + m[2]! * out[2]!;
    gcrf[1] = m[3]! * out[0]! + m[4]! * out[1]! + m[5]! * out[2]!;
    gcrf[2] = m[6]! * out[0]! + m[7]! * out[1]! + m[8]! * out[2]!;
    return Math.hypot(gcrf[0], gcrf[1], gcrf[2]) < FARTHEST_ORBIT_KM;
  };
  const visOpts = { ctx, ephemeris: eph };
  const visible = (s: number, i: number, dt: number): boolean => {
    const t = from.plusSeconds(dt);
    if (!position(i, t)) return false;
    const sensor = sensors[s] as Sensor;
    return visibilityAt(sensor, gcrf, t, visOpts, (frames[s] as StationFrameCache).at(t)).visible;
  };
  const edge = (s: number, i: number, lo0: number, hi0: number, visibleAtLo: boolean): number => {
    let lo = lo0;
    let hi = hi0;
    while (hi - lo > tol / 2) {
      const mid = 0.5 * (lo + hi);
      if (visible(s, i, mid) === visibleAtLo) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  const intervals: NightInterval[] = [];
  for (const r of runs) {
    const startClipped = r.k0 === 0;
    const endClipped = r.k1 === slices - 1;
    const a = startClipped ? 0 : edge(r.s, r.i, gridT(r.k0 - 1), gridT(r.k0), false);
    const b = endClipped ? durationS : edge(r.s, r.i, gridT(r.k1), gridT(r.k1 + 1), true);
    intervals.push({
      sensorIndex: r.s,
      objectIndex: r.i,
      start: from.plusSeconds(a),
      end: from.plusSeconds(b),
      startClipped,
      endClipped,
    });
  }

  // Tracks.
  const addNoise = options.noise ?? true;
  const kindsOf = sensors.map((s) => measurable(s, options.kinds));
  const sigmas = sensors.map((s, si) => (kindsOf[si] as MeasurementKind[]).map((k) => sigmaOf(s, k)));
  const counters = new Int32Array(ns);
  const tracks: NightTrack[] = [];
  let measurementCount = 0;
  const rv = new Float64Array(6);
  for (const iv of intervals) {
    const s = iv.sensorIndex;
    const i = iv.objectIndex;
    const sensor = sensors[s] as Sensor;
    const kinds = kindsOf[s] as MeasurementKind[];
    if (kinds.length === 0) continue;
    const e = catalog[i] as ElementSet;
    const label = `${sensor.name}-${counters[s]!}`;
    const len = iv.end.secondsSince(iv.start);
    const rotation = Float64Array.from(frameTransform('TEME', 'GCRF', frameEpochAt(iv.start, ctx)).rotation);
    const ms: Measurement[] = [];
    let failed = false;
    for (let dt = 0; dt <= Math.min(len, trackLength) && !failed; dt += cadence) {
      const epoch = iv.start.plusSeconds(dt);
      const lab = utcLabelOfInstant(epoch, ctx);
      if (sgp4(records[i] as Satrec, minutesSinceEpoch(e.epoch, lab.jd, lab.jdFrac), out) !== 0) {
        failed = true;
        break;
      }
      for (let c = 0; c < 3; c++) {
        rv[c] = rotation[3 * c]! * out[0]! + rotation[3 * c + 1]! * out[1]! + rotation[3 * c + 2]! * out[2]!;
        rv[3 + c] =
          rotation[3 * c]! * out[3]! + rotation[3 * c + 1]! * out[4]! + rotation[3 * c + 2]! * out[5]!;
      }
      if (offsets !== undefined) addOffset(rv, offsets, i);
      const sf = (measureFrames[s] as StationFrameCache).at(epoch);
      const st = sf.rKm;
      let lx = rv[0]!;
      let ly = rv[1]!;
      let lz = rv[2]!;
      let tau = 0;
      for (let it = 0; it < 2; it++) {
        tau = Math.hypot(lx - st[0], ly - st[1], lz - st[2]) / SPEED_OF_LIGHT_KM_S;
        lx = rv[0]! - rv[3]! * tau;
        ly = rv[1]! - rv[4]! * tau;
        lz = rv[2]! - rv[5]! * tau;
      }
      // Velocity at t − τ: two-body acceleration over τ (a·τ is 5 cm/s in LEO, above range-rate tolerances).
      const r3 = Math.hypot(rv[0]!, rv[1]!, rv[2]!) ** 3;
      const vx = rv[3]! + (WGS84_GM_KM3_S2 * rv[0]! * tau) / r3;
      const vy = rv[4]! + (WGS84_GM_KM3_S2 * rv[1]! * tau) / r3;
      const vz = rv[5]! + (WGS84_GM_KM3_S2 * rv[2]! * tau) / r3;
      const dx = lx - st[0];
      const dy = ly - st[1];
      const dz = lz - st[2];
      const rho = Math.hypot(dx, dy, dz);
      for (let q = 0; q < kinds.length; q++) {
        const kind = kinds[q] as MeasurementKind;
        const sigma = sigmas[s]![q]!;
        let values: number[];
        if (kind === 'range') values = [rho];
        else if (kind === 'range-rate') {
          const v = sf.vKmS;
          const uv = (dx * vx + dy * vy + dz * vz) / rho;
          const rr = (dx * (vx - v[0]) + dy * (vy - v[1]) + dz * (vz - v[2])) / rho;
          values = [rr / (1 + uv / SPEED_OF_LIGHT_KM_S)];
        } else if (kind === 'azimuth-elevation') {
          const [az, el] = azElRange(sf, [dx, dy, dz]);
          values = [az, el];
        } else values = [Math.atan2(dy, dx), Math.asin(dz / rho)];
        const bias = biasOf(sensor, kind);
        values = values.map((x, c) => x + (bias[c] ?? 0) + (addNoise ? sigma * rng.normal() : 0));
        if (kind === 'azimuth-elevation' || kind === 'right-ascension-declination') {
          values[0] = ((values[0]! % TWO_PI) + TWO_PI) % TWO_PI;
        }
        ms.push({
          kind,
          epoch,
          timeTag: 'receive',
          station: sensor.name,
          target: label,
          values,
          sigmas: values.map(() => sigma),
          path: 'one-way',
          ...(kind === 'right-ascension-declination' ? { frame: 'GCRF' as const } : {}),
        });
      }
    }
    if (failed || ms.length === 0) continue;
    counters[s] = counters[s]! + 1;
    measurementCount += ms.length;
    tracks.push({
      label,
      sensor: sensor.name,
      objectIndex: i,
      catalogNumber: e.catalogNumber,
      interval: iv,
      measurements: ms,
    });
  }
  return { intervals, tracks, measurementCount, samples, intervalsFound };
}

/** Adds object i's RTN offset to the GCRF position in rv[0..2] (axes from rv's position and velocity). */
function addOffset(rv: Float64Array, offsets: Float64Array, i: number): void {
  const x = rv[0]!;
  const y = rv[1]!;
  const z = rv[2]!;
  const rn = Math.hypot(x, y, z);
  const rx = x / rn;
  const ry = y / rn;
  const rz = z / rn;
  let nx = y * rv[5]! - z * rv[4]!;
  let ny = z * rv[3]! - x * rv[5]!;
  let nz = x * rv[4]! - y * rv[3]!;
  const nn = Math.hypot(nx, ny, nz);
  nx /= nn;
  ny /= nn;
  nz /= nn;
  const tx = ny * rz - nz * ry;
  const ty = nz * rx - nx * rz;
  const tz = nx * ry - ny * rx;
  const d0 = offsets[3 * i]!;
  const d1 = offsets[3 * i + 1]!;
  const d2 = offsets[3 * i + 2]!;
  rv[0] = x + rx * d0 + tx * d1 + nx * d2;
  rv[1] = y + ry * d0 + ty * d1 + ny * d2;
  rv[2] = z + rz * d0 + tz * d1 + nz * d2;
}
