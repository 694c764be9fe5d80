/**
 * Initial orbit determination from the shared measurement records (observations/observation.ts):
 * chooses the method from what was measured and returns one state with its epoch, the method and
 * a note saying what was assumed.
 *
 * - Positions ('position' records, or a 'range' and an 'azimuth-elevation' record of one station
 *   at one epoch, which together give a position): three or more → the first, the one nearest the
 *   middle time and the last → Gibbs or Herrick–Gibbs by separation (gibbs.ts); exactly two →
 *   Lambert's short-way, zero-revolution arc (lambert.ts), state at the first.
 * - Lines of sight ('right-ascension-declination' pairs, or azimuth/elevation without range): three
 *   or more → first, nearest the middle, last → Gooding's method (gooding.ts), Gauss's
 *   (gauss.ts) when Gooding converges from no start, or Gauss alone with `anglesMethod: 'gauss'`.
 *   Every candidate is returned, best first.
 *
 * Station positions come from the caller (`stationPositionAt(station, epoch)`, inertial, km), so
 * this module needs no frames code; azimuth/elevation also need the station's local east, north
 * and up axes in the same frame (`options.stationFrameAt`). Right ascension/declination are taken
 * as topocentric, in the frame of the record (GCRF or EME2000). Light time, aberration and
 * refraction are ignored: IOD only needs a first guess for least squares, which models them.
 */
import { WGS84_GM_KM3_S2 } from '../bodies/earth.js';
import { AstroError } from '../errors.js';
import type { FrameName } from '../frames/state.js';
import type { ReadonlyVec3, Vec3 } from '../math/vec3.js';
import { MEASUREMENT_SIZE, type Measurement } from '../observations/observation.js';
import type { Instant } from '../time/instant.js';
import type { AnglesCandidate, LineOfSight } from './angles-common.js';
import { gaussAnglesOnly } from './gauss.js';
import { velocityFromThreePositions } from './gibbs.js';
import { goodingAnglesOnly } from './gooding.js';
import { solveLambert } from './lambert.js';

/** A station's local axes in the inertial frame (unit vectors). */
export interface StationAxes {
  readonly eastUnit: ReadonlyVec3;
  readonly northUnit: ReadonlyVec3;
  readonly upUnit: ReadonlyVec3;
}

/** Options of `iodFromMeasurements`. */
export interface IodFromMeasurementsOptions {
  /** Gravitational parameter, km³/s² (default WGS-84 GM). */
  readonly muKm3S2?: number;
  /** Local east/north/up of a station at an epoch, inertial; needed for azimuth/elevation. */
  readonly stationFrameAt?: (station: string, epoch: Instant) => StationAxes;
  /** Coplanarity tolerance for Gibbs/Herrick–Gibbs, rad. */
  readonly coplanarToleranceRad?: number;
  /** Perigee radius below which an angles-only candidate ranks as unphysical, km (default 6378). */
  readonly minPerigeeKm?: number;
  /** Angles-only method: 'gooding' (default; Gauss when Gooding converges from no start) or 'gauss'. */
  readonly anglesMethod?: 'gooding' | 'gauss';
  /** Time within which a range and an azimuth/elevation count as simultaneous, s (default 1e-3). */
  readonly pairingToleranceS?: number;
}

/** The IOD method used. */
export type IodMethod = 'gibbs' | 'herrick-gibbs' | 'lambert' | 'gooding' | 'gauss';

/** Result of `iodFromMeasurements`. */
export interface IodResult {
  /** Epoch of the state. */
  readonly epoch: Instant;
  /** Inertial frame of the state (that of the measurements; GCRF when they name none). */
  readonly frame: FrameName;
  readonly positionKm: Vec3;
  readonly velocityKmS: Vec3;
  readonly method: IodMethod;
  /** What was used and assumed, in words. */
  readonly note: string;
  /** The measurements the state was computed from. */
  readonly used: readonly Measurement[];
  /** For angles-only methods: every candidate, best first (the state is the first). */
  readonly candidates?: readonly AnglesCandidate[];
}

/** Frames accepted as inertial for positions and right ascension/declination. */
const INERTIAL_FRAMES: readonly FrameName[] = ['GCRF', 'EME2000'];

interface Point {
  readonly epoch: Instant;
  readonly positionKm: Vec3;
  readonly from: readonly Measurement[];
}
interface Sight {
  readonly epoch: Instant;
  readonly directionUnit: Vec3;
  readonly observerKm: Vec3;
  readonly from: Measurement;
}

function where(m: Measurement): Record<string, unknown> {
  return m.source ? { file: m.source.file, line: m.source.line } : { station: m.station };
}

function checkVec(v: ReadonlyVec3, what: string): Vec3 {
  if (v.length !== 3 || !v.every(Number.isFinite)) {
    throw new AstroError('IOD_INVALID_INPUT', `${what} must be a finite 3-vector`, { found: [...v] });
  }
  return [v[0], v[1], v[2]];
}

/** Three items: first, the one nearest the middle time, last (input sorted by epoch). */
function pickThree<T extends { epoch: Instant }>(items: readonly T[]): [T, T, T] {
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const span = last.epoch.secondsSince(first.epoch);
  let mid = items[1]!;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < items.length - 1; i++) {
    const d = Math.abs(items[i]!.epoch.secondsSince(first.epoch) - span / 2);
    if (d < best) {
      best = d;
      mid = items[i]!;
    }
  }
  return [first, mid, last];
}

/**
 * Initial orbit from measurements of one target. `stationPositionAt(station, epoch)` returns the
 * station's inertial position in km (same frame as the measurements). Throws `IOD_INVALID_INPUT`
 * (NaN values, wrong sizes, several targets), `IOD_FRAME_NOT_INERTIAL`, `IOD_NEEDS_STATION_FRAME`,
 * `IOD_NOT_ENOUGH_MEASUREMENTS`, and the errors of the chosen method.
 */
export function iodFromMeasurements(
  measurements: readonly Measurement[],
  stationPositionAt: (station: string, epoch: Instant) => ReadonlyVec3,
  options: IodFromMeasurementsOptions = {},
): IodResult {
  const mu = options.muKm3S2 ?? WGS84_GM_KM3_S2;
  const targets = new Set(measurements.map((m) => m.target));
  if (targets.size > 1) {
    throw new AstroError('IOD_INVALID_INPUT', 'IOD needs measurements of one target', {
      targets: [...targets],
    });
  }
  const sizes = MEASUREMENT_SIZE;
  const frames = new Set<FrameName>();
  for (const m of measurements) {
    if (m.values.length !== sizes[m.kind] || !m.values.every(Number.isFinite)) {
      throw new AstroError(
        'IOD_INVALID_INPUT',
        `a ${m.kind} measurement needs ${sizes[m.kind]} finite values`,
        {
          ...where(m),
          found: [...m.values],
        },
      );
    }
    if (m.kind === 'position' || m.kind === 'right-ascension-declination') {
      const f = m.frame ?? 'GCRF';
      if (!INERTIAL_FRAMES.includes(f)) {
        throw new AstroError('IOD_FRAME_NOT_INERTIAL', `IOD needs ${m.kind} in GCRF or EME2000, read ${f}`, {
          ...where(m),
          frame: f,
        });
      }
      frames.add(f);
    }
  }
  if (frames.size > 1) {
    throw new AstroError('IOD_INVALID_INPUT', 'measurements mix inertial frames', { frames: [...frames] });
  }
  const frame: FrameName = frames.values().next().value ?? 'GCRF';
  const sorted = [...measurements].sort((a, b) => a.epoch.compare(b.epoch));
  const pairTol = options.pairingToleranceS ?? 1e-3;

  const points: Point[] = [];
  const sights: Sight[] = [];
  const ranges = sorted.filter((m) => m.kind === 'range');
  const axesAt = (m: Measurement): StationAxes => {
    if (!options.stationFrameAt) {
      throw new AstroError(
        'IOD_NEEDS_STATION_FRAME',
        'azimuth/elevation need the station axes: pass options.stationFrameAt',
        where(m),
      );
    }
    return options.stationFrameAt(m.station, m.epoch);
  };
  for (const m of sorted) {
    if (m.kind === 'position') {
      points.push({ epoch: m.epoch, positionKm: [m.values[0]!, m.values[1]!, m.values[2]!], from: [m] });
    } else if (m.kind === 'right-ascension-declination') {
      const [ra, dec] = [m.values[0]!, m.values[1]!];
      sights.push({
        epoch: m.epoch,
        directionUnit: [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)],
        observerKm: checkVec(stationPositionAt(m.station, m.epoch), `position of station ${m.station}`),
        from: m,
      });
    } else if (m.kind === 'azimuth-elevation') {
      const ax = axesAt(m);
      const [az, el] = [m.values[0]!, m.values[1]!];
      const e = checkVec(ax.eastUnit, 'east axis');
      const n = checkVec(ax.northUnit, 'north axis');
      const u = checkVec(ax.upUnit, 'up axis');
      const ce = Math.cos(el);
      const dir: Vec3 = [0, 1, 2].map(
        (k) => ce * Math.sin(az) * e[k]! + ce * Math.cos(az) * n[k]! + Math.sin(el) * u[k]!,
      ) as Vec3;
      const observer = checkVec(stationPositionAt(m.station, m.epoch), `position of station ${m.station}`);
      const range = ranges.find(
        (r) => r.station === m.station && Math.abs(r.epoch.secondsSince(m.epoch)) <= pairTol,
      );
      if (range) {
        const rho = range.values[0]!;
        points.push({
          epoch: m.epoch,
          positionKm: [0, 1, 2].map((k) => observer[k]! + rho * dir[k]!) as Vec3,
          from: [range, m],
        });
      } else {
        sights.push({ epoch: m.epoch, directionUnit: dir, observerKm: observer, from: m });
      }
    }
  }
  const paired = new Set(points.flatMap((p) => p.from));
  const unusedKinds = sorted.filter(
    (m) => m.kind === 'range-rate' || (m.kind === 'range' && !paired.has(m)),
  ).length;
  const lightTime =
    'light time, aberration and refraction ignored' +
    (unusedKinds > 0 ? `; ${unusedKinds} range/range-rate record(s) not usable for IOD were left out` : '');

  if (points.length >= 3) {
    const three = pickThree(points);
    const [p1, p2, p3] = three;
    const t = three.map((p) => p.epoch.secondsSince(p2.epoch)) as [number, number, number];
    const res = velocityFromThreePositions(p1.positionKm, p2.positionKm, p3.positionKm, t[0], t[1], t[2], {
      muKm3S2: mu,
      ...(options.coplanarToleranceRad === undefined
        ? {}
        : { coplanarToleranceRad: options.coplanarToleranceRad }),
    });
    const deg = (x: number) => ((x * 180) / Math.PI).toFixed(3);
    return {
      epoch: p2.epoch,
      frame,
      positionKm: [...p2.positionKm],
      velocityKmS: res.v2KmS,
      method: res.method,
      note:
        `${res.method === 'gibbs' ? 'Gibbs' : 'Herrick–Gibbs'} from 3 of ${points.length} positions ` +
        `(separations ${deg(res.separationRad[0])}° and ${deg(res.separationRad[1])}°, ` +
        `${deg(res.coplanarityRad)}° out of plane); ${lightTime}`,
      used: three.flatMap((p) => p.from),
    };
  }
  if (points.length === 2 && sights.length < 3) {
    const [p1, p2] = points as [Point, Point];
    const dt = p2.epoch.secondsSince(p1.epoch);
    const r1 = p1.positionKm;
    const r2 = p2.positionKm;
    const normal: Vec3 = [
      r1[1] * r2[2] - r1[2] * r2[1],
      r1[2] * r2[0] - r1[0] * r2[2],
      r1[0] * r2[1] - r1[1] * r2[0],
    ];
    // Two positions do not tell the sense of motion: the short way (about r1×r2) and the long way
    // (about −r1×r2) both fit. Prefer an orbit whose perigee clears `minPerigeeKm`, then the
    // prograde one (angular momentum along +z) unless the plane is within ~6° of polar
    // (|n̂_z| < POLAR_NORMAL_Z), where +z cannot tell and the less eccentric orbit is taken.
    // A retrograde orbit away from polar (e.g. sun-synchronous, i ≈ 98°) more than 180° apart is
    // then taken the wrong way: give a third position or an initial guess for those.
    const short = solveLambert(r1, r2, dt, { muKm3S2: mu, referenceAxis: normal, direction: 'prograde' });
    let long = short;
    try {
      long = solveLambert(r1, r2, dt, { muKm3S2: mu, referenceAxis: normal, direction: 'retrograde' });
    } catch (e) {
      if (!(e instanceof AstroError)) throw e; // no long-way solution: the short way it is
    }
    const shape = (v: Vec3) => conicShape(r1, v, mu);
    const sShort = shape(short.v1KmS);
    const sLong = long === short ? { e: Number.POSITIVE_INFINITY, perigeeKm: -1 } : shape(long.v1KmS);
    const minPerigeeKm = options.minPerigeeKm ?? 6378;
    const nz = normal[2] / Math.hypot(...normal);
    let useLong: boolean;
    if (sShort.perigeeKm >= minPerigeeKm !== sLong.perigeeKm >= minPerigeeKm) {
      useLong = sLong.perigeeKm >= minPerigeeKm;
    } else if (Math.abs(nz) >= POLAR_NORMAL_Z) {
      useLong = nz < 0;
    } else {
      useLong = sLong.e < sShort.e;
    }
    const sol = useLong ? long : short;
    return {
      epoch: p1.epoch,
      frame,
      positionKm: [...r1],
      velocityKmS: sol.v1KmS,
      method: 'lambert',
      note: `Lambert (Izzo) between 2 positions ${dt.toFixed(3)} s apart, the ${useLong ? 'long' : 'short'} way (${Math.abs(nz) >= POLAR_NORMAL_Z ? 'prograde' : 'near-polar plane: the less eccentric'}) and no complete revolution; ${lightTime}`,
      used: [...p1.from, ...p2.from],
    };
  }
  if (sights.length >= 3) {
    const three = pickThree(sights);
    const mid = three[1];
    const los: LineOfSight[] = three.map((s) => ({
      timeS: s.epoch.secondsSince(mid.epoch),
      directionUnit: s.directionUnit,
      observerKm: s.observerKm,
    }));
    const minPerigeeKm = options.minPerigeeKm ?? 6378;
    let candidates: AnglesCandidate[];
    let method: IodMethod = 'gooding';
    let why = '';
    if (options.anglesMethod === 'gauss') {
      candidates = [...gaussAnglesOnly(los, { muKm3S2: mu, minPerigeeKm }).candidates];
      method = 'gauss';
    } else {
      try {
        candidates = goodingAnglesOnly(los, { muKm3S2: mu, minPerigeeKm });
      } catch (e) {
        if (!(e instanceof AstroError) || e.code === 'IOD_COLLINEAR_LOS' || e.code === 'IOD_INVALID_INPUT')
          throw e;
        candidates = [...gaussAnglesOnly(los, { muKm3S2: mu, minPerigeeKm }).candidates];
        method = 'gauss';
        why = ` (Gooding failed: ${e.code})`;
      }
    }
    const best = candidates[0]!;
    const arcsec = (best.losResidualRad * 648000) / Math.PI;
    return {
      epoch: mid.epoch,
      frame,
      positionKm: best.positionKm,
      velocityKmS: best.velocityKmS,
      method,
      note:
        `${method === 'gooding' ? 'Gooding' : 'Gauss'}${why} from 3 of ${sights.length} lines of sight; ` +
        `${candidates.length} candidate${candidates.length === 1 ? '' : 's'}, best fits to ${arcsec.toExponential(2)}″, ` +
        `e = ${best.eccentricity.toFixed(4)}; ${lightTime}`,
      used: three.map((s) => s.from),
      candidates,
    };
  }
  throw new AstroError(
    'IOD_NOT_ENOUGH_MEASUREMENTS',
    'IOD needs 3 lines of sight, or 2 or more positions (or range + azimuth/elevation pairs)',
    { positions: points.length, linesOfSight: sights.length, measurements: measurements.length },
  );
}

/** |n̂_z| of the orbit normal below which the plane is taken as near-polar (sin 5.7°). */
const POLAR_NORMAL_Z = 0.1;

/** Eccentricity and perigee radius of the conic through r with velocity v. */
function conicShape(r: Vec3, v: Vec3, mu: number): { e: number; perigeeKm: number } {
  const rn = Math.hypot(...r);
  const v2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
  const rv = r[0] * v[0] + r[1] * v[1] + r[2] * v[2];
  const ev = [0, 1, 2].map((k) => ((v2 - mu / rn) * r[k]! - rv * v[k]!) / mu);
  const e = Math.hypot(ev[0]!, ev[1]!, ev[2]!);
  const h = Math.hypot(r[1] * v[2] - r[2] * v[1], r[2] * v[0] - r[0] * v[2], r[0] * v[1] - r[1] * v[0]);
  return { e, perigeeKm: (h * h) / (mu * (1 + e)) };
}
