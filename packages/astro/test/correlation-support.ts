/**
 * Simulated tracks for the correlation tests: real element sets of the 2023 full-catalog snapshot
 * seen from a few fixed sites (ITRF from WGS-84 geodetic coordinates, turned to GCRF with the
 * frames code). Each track's truth is the object's SGP4 position plus a fixed radial/in-track/
 * cross-track offset drawn from the default element-set error model at the set's age (the error of
 * the catalog's prediction that the correlator must allow for), seen with light time and measured
 * with Gaussian noise. Optical sites measure right ascension/declination (GCRF); the radar site
 * measures azimuth/elevation and range.
 */
import { parseElements } from '../src/ccsds/parse-elements.js';
import { type AstroContext, loadContext } from '../src/context/astro-context.js';
import { frameEpochAt } from '../src/context/frame-epoch-at.js';
import { defaultTleErrorModel } from '../src/correlation/tle-error.js';
import type { Track } from '../src/correlation/track.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseUtcString } from '../src/elements/utc-calendar.js';
import { frameTransform, newFrameTransform } from '../src/frames/frame-graph.js';
import { geodeticToItrfArray } from '../src/frames/geodetic.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { Measurement } from '../src/observations/observation.js';
import { createStateBatch, propagateBatch } from '../src/propagation/sgp4-batch.js';
import { instantOfUtcLabel, minutesSinceEpoch, utcLabelOfInstant } from '../src/sgp4/epoch-time.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import type { Satrec } from '../src/sgp4/satrec.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import type { Instant } from '../src/time/instant.js';
import { SPEED_OF_LIGHT_KM_S } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;
/** Optical astrometry noise, 1σ (typical of small survey telescopes). */
export const OPTICAL_SIGMA_RAD = 2 * ARCSEC;
/** Radar angle noise, 1σ. */
export const RADAR_ANGLE_SIGMA_RAD = 0.02 * DEG;
/** Radar range noise, 1σ, km. */
export const RADAR_RANGE_SIGMA_KM = 0.02;
/** Lowest elevation at which a site measures. */
const MIN_ELEVATION_RAD = 15 * DEG;

export interface Site {
  readonly name: string;
  readonly latDeg: number;
  readonly lonDeg: number;
  readonly heightKm: number;
  readonly kind: 'optical' | 'radar';
}

/** Representative sites (approximate public coordinates). */
export const SITES: readonly Site[] = [
  { name: 'BISEI', latDeg: 34.672, lonDeg: 133.544, heightKm: 0.4, kind: 'optical' },
  { name: 'SOCORRO', latDeg: 33.817, lonDeg: -106.66, heightKm: 1.51, kind: 'optical' },
  { name: 'MAUI', latDeg: 20.708, lonDeg: -156.257, heightKm: 3.05, kind: 'radar' },
  { name: 'DIEGO-GARCIA', latDeg: -7.412, lonDeg: 72.452, heightKm: 0.01, kind: 'optical' },
  { name: 'TEIDE', latDeg: 28.3, lonDeg: -16.51, heightKm: 2.39, kind: 'optical' },
];

let ctxCache: AstroContext | undefined;
export function context(): AstroContext {
  ctxCache ??= unwrap(
    loadContext({
      leapSecondsText: readRefText('earth/Leap_Second.dat'),
      eopText: readRefText('earth/finals2000A.all.gz'),
      eopFormat: 'finals2000A',
    }),
  );
  return ctxCache;
}

let catalogCache: ElementSet[] | undefined;
export const CATALOG_FILE = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
export function catalog2023(): ElementSet[] {
  catalogCache ??= unwrap(parseElements(readRefText(CATALOG_FILE), { file: CATALOG_FILE })).records.map(
    (r) => r.elements,
  );
  return catalogCache;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const siteItrf = new Map(
  SITES.map((s) => [s.name, geodeticToItrfArray(s.latDeg * DEG, s.lonDeg * DEG, s.heightKm, [0, 0, 0])]),
);

function rotate(m: ArrayLike<number>, v: ArrayLike<number>): Vec3 {
  return [
    m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
    m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
    m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!,
  ];
}

/** Station GCRF position, km: the fixed ITRF site rotated with the frames code. */
export function stationGcrfAt(station: string, t: Instant): Vec3 {
  const itrf = siteItrf.get(station);
  if (itrf === undefined) throw new Error(`unknown station ${station}`);
  const tr = frameTransform('ITRF', 'GCRF', frameEpochAt(t, context()), newFrameTransform());
  return rotate(tr.rotation, itrf);
}

/** East, north, up components of a GCRF vector at a site. */
function enu(site: Site, gcrf: Vec3, t: Instant, gcrfToItrf?: ArrayLike<number>): Vec3 {
  const m =
    gcrfToItrf ?? frameTransform('GCRF', 'ITRF', frameEpochAt(t, context()), newFrameTransform()).rotation;
  const v = rotate(m, gcrf);
  const sl = Math.sin(site.latDeg * DEG);
  const cl = Math.cos(site.latDeg * DEG);
  const so = Math.sin(site.lonDeg * DEG);
  const co = Math.cos(site.lonDeg * DEG);
  return [
    -so * v[0] + co * v[1],
    -sl * co * v[0] - sl * so * v[1] + cl * v[2],
    cl * co * v[0] + cl * so * v[1] + sl * v[2],
  ];
}

export interface SimulatedNight {
  readonly tracks: Track[];
  /** Track id → catalog number of the object that made it. */
  readonly truth: Map<string, string>;
}

export interface SimulationOptions {
  readonly catalog: readonly ElementSet[];
  /** Start of the window (ISO UTC) and its length, hours. */
  readonly startIso: string;
  readonly hours: number;
  readonly tracks: number;
  readonly seed: number;
  /** Tracks started per (time, site) draw. */
  readonly perDraw?: number;
  /** Only objects with these catalog indices make tracks (default all). */
  readonly objects?: readonly number[];
}

/** Simulates tracks (see the module header). */
export function simulateNight(opts: SimulationOptions): SimulatedNight {
  const ctx = context();
  const rand = prng(opts.seed);
  const cat = opts.catalog;
  const records: Satrec[] = cat.map((e) => sgp4Init(e));
  const start = parseUtcString(opts.startIso);
  if (start === undefined) throw new Error(`bad time ${opts.startIso}`);
  const allowed = opts.objects ?? cat.map((_, i) => i);
  const perDraw = opts.perDraw ?? 10;
  const batch = createStateBatch(allowed.length);
  const subset = allowed.map((i) => records[i] as Satrec);
  const offset = new Float64Array(allowed.length);
  const tracks: Track[] = [];
  const truth = new Map<string, string>();
  const out = new Float64Array(6);
  let draws = 0;
  while (tracks.length < opts.tracks && draws < opts.tracks * 10) {
    draws++;
    const site = SITES[Math.floor(rand() * SITES.length)] as Site;
    const label0 = { jd: start.jd, jdFrac: start.jdFrac + (rand() * opts.hours) / 24 };
    const t0 = instantOfUtcLabel(label0, ctx);
    const s0 = stationGcrfAt(site.name, t0);
    for (let j = 0; j < allowed.length; j++) {
      offset[j] = minutesSinceEpoch(
        (cat[allowed[j] as number] as ElementSet).epoch,
        label0.jd,
        label0.jdFrac,
      );
    }
    propagateBatch(subset, offset, Float64Array.of(0), batch);
    const rot = frameTransform('TEME', 'GCRF', frameEpochAt(t0, ctx), newFrameTransform()).rotation;
    const toItrf = frameTransform('GCRF', 'ITRF', frameEpochAt(t0, ctx), newFrameTransform()).rotation;
    const visible: number[] = [];
    for (let j = 0; j < allowed.length; j++) {
      if (batch.status[j] !== 0) continue;
      const p = rotate(rot, [batch.x[j]!, batch.y[j]!, batch.z[j]!]);
      const e = enu(site, [p[0] - s0[0], p[1] - s0[1], p[2] - s0[2]], t0, toItrf);
      if (e[2] > Math.sin(MIN_ELEVATION_RAD) * Math.hypot(e[0], e[1], e[2]))
        visible.push(allowed[j] as number);
    }
    for (let p = 0; p < perDraw && visible.length > 0 && tracks.length < opts.tracks; p++) {
      const pick = visible.splice(Math.floor(rand() * visible.length), 1)[0] as number;
      const track = makeTrack(
        site,
        pick,
        cat[pick] as ElementSet,
        records[pick] as Satrec,
        t0,
        rand,
        out,
        tracks.length,
      );
      if (track === undefined) continue;
      tracks.push(track);
      truth.set(track.id, (cat[pick] as ElementSet).catalogNumber);
    }
  }
  return { tracks, truth };
}

function makeTrack(
  site: Site,
  _index: number,
  elements: ElementSet,
  record: Satrec,
  t0: Instant,
  rand: () => number,
  out: Float64Array,
  serial: number,
): Track | undefined {
  const ctx = context();
  const deep = (2 * Math.PI) / elements.meanMotionRadPerMin >= 225;
  const count = 5 + Math.floor(rand() * 6);
  const spacingS = deep ? 30 : 10;
  const rot = frameTransform('TEME', 'GCRF', frameEpochAt(t0, ctx), newFrameTransform()).rotation;
  const label0 = utcLabelOfInstant(t0, ctx);
  const age = minutesSinceEpoch(elements.epoch, label0.jd, label0.jdFrac) / 1440;
  const sigma = defaultTleErrorModel(elements, age);
  const offset = [gaussian(rand) * sigma[0], gaussian(rand) * sigma[1], gaussian(rand) * sigma[2]];
  const target = `T${serial}`;
  const measurements: Measurement[] = [];
  for (let i = 0; i < count; i++) {
    const t = t0.plusSeconds(i * spacingS);
    const label = utcLabelOfInstant(t, ctx);
    const s = stationGcrfAt(site.name, t);
    // Light time: the object at t − τ, by fixed-point iteration on SGP4 itself.
    let tau = 0;
    let p: Vec3 = [0, 0, 0];
    for (let it = 0; it < 3; it++) {
      const code = sgp4(record, minutesSinceEpoch(elements.epoch, label.jd, label.jdFrac) - tau / 60, out);
      if (code !== 0) return undefined;
      const r = rotate(rot, [out[0]!, out[1]!, out[2]!]);
      const v = rotate(rot, [out[3]!, out[4]!, out[5]!]);
      // The element set's error: a fixed RTN offset over the track.
      const rn = Math.hypot(...r);
      const R: Vec3 = [r[0] / rn, r[1] / rn, r[2] / rn];
      const h: Vec3 = [r[1] * v[2] - r[2] * v[1], r[2] * v[0] - r[0] * v[2], r[0] * v[1] - r[1] * v[0]];
      const hn = Math.hypot(...h);
      const N: Vec3 = [h[0] / hn, h[1] / hn, h[2] / hn];
      const T: Vec3 = [N[1] * R[2] - N[2] * R[1], N[2] * R[0] - N[0] * R[2], N[0] * R[1] - N[1] * R[0]];
      p = [0, 1, 2].map((k) => r[k]! + R[k]! * offset[0]! + T[k]! * offset[1]! + N[k]! * offset[2]!) as Vec3;
      tau = Math.hypot(p[0] - s[0], p[1] - s[1], p[2] - s[2]) / SPEED_OF_LIGHT_KM_S;
    }
    const rho: Vec3 = [p[0] - s[0], p[1] - s[1], p[2] - s[2]];
    const e = enu(site, rho, t);
    const range = Math.hypot(...rho);
    if (e[2] < Math.sin(MIN_ELEVATION_RAD - 5 * DEG) * range) return undefined;
    const base = {
      epoch: t,
      timeTag: 'receive' as const,
      station: site.name,
      target,
      path: 'one-way' as const,
    };
    if (site.kind === 'optical') {
      const ra = Math.atan2(rho[1], rho[0]) + gaussian(rand) * OPTICAL_SIGMA_RAD;
      const dec = Math.asin(rho[2] / range) + gaussian(rand) * OPTICAL_SIGMA_RAD;
      measurements.push({
        ...base,
        kind: 'right-ascension-declination',
        values: [ra < 0 ? ra + 2 * Math.PI : ra, dec],
        sigmas: [OPTICAL_SIGMA_RAD, OPTICAL_SIGMA_RAD],
        frame: 'GCRF',
      });
    } else {
      const az = Math.atan2(e[0], e[1]) + gaussian(rand) * RADAR_ANGLE_SIGMA_RAD;
      const el = Math.asin(e[2] / range) + gaussian(rand) * RADAR_ANGLE_SIGMA_RAD;
      measurements.push({
        ...base,
        kind: 'azimuth-elevation',
        values: [az, el],
        sigmas: [RADAR_ANGLE_SIGMA_RAD, RADAR_ANGLE_SIGMA_RAD],
      });
      measurements.push({
        ...base,
        kind: 'range',
        path: 'two-way',
        values: [range + gaussian(rand) * RADAR_RANGE_SIGMA_KM],
        sigmas: [RADAR_RANGE_SIGMA_KM],
      });
    }
  }
  return { id: `${site.name}/${target}/0`, station: site.name, target, measurements };
}
