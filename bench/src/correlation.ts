/**
 * Track correlation (issue 14): one simulated night, about 100,000 angle observations (optical
 * right ascension/declination from four sites, radar azimuth/elevation + range from one), made
 * from the 26,140 element sets of the 2023-10-09 catalog with each set's own error (a fixed
 * radial/in-track/cross-track offset drawn from the default error model) and noise, correlated
 * against the full catalog with `correlateTracks` (one thread). Peer: `correlateTracksNaive`
 * (every track scored against every object) on a subset of the tracks, its time per track
 * extrapolated to the night, and its decisions compared with the fast path's on that subset.
 * Goal: the night in ≤ 30 s on 2 cores.
 *
 * Not part of `npm run bench`; run with `npx tsc -b && node bench/dist/correlation.js [tracks]`.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type AstroContext,
  correlateTracks,
  correlateTracksNaive,
  createStateBatch,
  defaultTleErrorModel,
  type ElementSet,
  frameEpochAt,
  frameTransform,
  geodeticToItrfArray,
  type Instant,
  instantOfUtcLabel,
  loadContext,
  type Measurement,
  minutesSinceEpoch,
  parseElements,
  propagateBatch,
  type Satrec,
  SPEED_OF_LIGHT_KM_S,
  sgp4,
  sgp4Init,
  type Track,
  utcLabelOfInstant,
  type Vec3,
} from '@hoshimi/astro';
import { machineLine, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const DEG = Math.PI / 180;
const OPTICAL_SIGMA = (2 / 3600) * DEG;
const RADAR_ANGLE_SIGMA = 0.02 * DEG;
const RADAR_RANGE_SIGMA_KM = 0.02;
const NIGHT_START = { jd: 2460226.5, jdFrac: 10 / 24 };
const NIGHT_HOURS = 12;
/** Tracks of the night: 14,300 × 7 measurements on average ≈ 100,000 observations. */
const NIGHT_TRACKS = Number(process.argv[2] ?? 14300);
/** Tracks given to the naive peer. */
const PEER_TRACKS = Number(process.env.PEER_TRACKS ?? 20);
const SITES = [
  { name: 'BISEI', lat: 34.672, lon: 133.544, h: 0.4, radar: false },
  { name: 'SOCORRO', lat: 33.817, lon: -106.66, h: 1.51, radar: false },
  { name: 'MAUI', lat: 20.708, lon: -156.257, h: 3.05, radar: true },
  { name: 'DIEGO-GARCIA', lat: -7.412, lon: 72.452, h: 0.01, radar: false },
  { name: 'TEIDE', lat: 28.3, lon: -16.51, h: 2.39, radar: false },
] as const;
const ITRF = new Map<string, Vec3>(
  SITES.map((s) => [s.name, geodeticToItrfArray(s.lat * DEG, s.lon * DEG, s.h, [0, 0, 0])]),
);

function rot(m: ArrayLike<number>, v: ArrayLike<number>): Vec3 {
  return [
    m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
    m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
    m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!,
  ];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function simulate(ctx: AstroContext, cat: readonly ElementSet[], records: Satrec[], count: number): Track[] {
  const rand = rng(2023);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
  const n = cat.length;
  const batch = createStateBatch(n);
  const offset = new Float64Array(n);
  const out = new Float64Array(6);
  const tracks: Track[] = [];
  const station = (name: string, t: Instant): Vec3 =>
    rot(frameTransform('ITRF', 'GCRF', frameEpochAt(t, ctx)).rotation, ITRF.get(name) as Vec3);
  while (tracks.length < count) {
    const site = SITES[Math.floor(rand() * SITES.length)] as (typeof SITES)[number];
    const label = { jd: NIGHT_START.jd, jdFrac: NIGHT_START.jdFrac + (rand() * NIGHT_HOURS) / 24 };
    const t0 = instantOfUtcLabel(label, ctx);
    const toGcrf = frameTransform('TEME', 'GCRF', frameEpochAt(t0, ctx)).rotation;
    const toItrf = frameTransform('GCRF', 'ITRF', frameEpochAt(t0, ctx)).rotation;
    const s0 = station(site.name, t0);
    const up = rot(toItrf, s0);
    const upN = Math.hypot(...up);
    for (let i = 0; i < n; i++)
      offset[i] = minutesSinceEpoch((cat[i] as ElementSet).epoch, label.jd, label.jdFrac);
    propagateBatch(records, offset, Float64Array.of(0), batch);
    const visible: number[] = [];
    for (let i = 0; i < n; i++) {
      if (batch.status[i] !== 0) continue;
      const p = rot(toGcrf, [batch.x[i]!, batch.y[i]!, batch.z[i]!]);
      const rho = rot(toItrf, [p[0] - s0[0], p[1] - s0[1], p[2] - s0[2]]);
      const r = Math.hypot(...rho);
      if (r < 1e6 && (rho[0] * up[0] + rho[1] * up[1] + rho[2] * up[2]) / (r * upN) > Math.sin(20 * DEG))
        visible.push(i);
    }
    for (let k = 0; k < 25 && visible.length > 0 && tracks.length < count; k++) {
      const i = visible.splice(Math.floor(rand() * visible.length), 1)[0] as number;
      const e = cat[i] as ElementSet;
      const deep = (2 * Math.PI) / e.meanMotionRadPerMin >= 225;
      const age = minutesSinceEpoch(e.epoch, label.jd, label.jdFrac) / 1440;
      const sg = defaultTleErrorModel(e, age);
      const d = [gauss() * sg[0], gauss() * sg[1], gauss() * sg[2]];
      const target = `T${tracks.length}`;
      const ms: Measurement[] = [];
      const size = site.radar ? 4 : 5 + Math.floor(rand() * 5);
      for (let j = 0; j < size; j++) {
        const t = t0.plusSeconds(j * (deep ? 30 : 10));
        const lab = utcLabelOfInstant(t, ctx);
        const s = station(site.name, t);
        let tau = 0;
        let p: Vec3 = [0, 0, 0];
        for (let it = 0; it < 2; it++) {
          sgp4(records[i] as Satrec, minutesSinceEpoch(e.epoch, lab.jd, lab.jdFrac) - tau / 60, out);
          const r = rot(toGcrf, [out[0]!, out[1]!, out[2]!]);
          const v = rot(toGcrf, [out[3]!, out[4]!, out[5]!]);
          const rn = Math.hypot(...r);
          const R = r.map((x) => x / rn);
          const h = [r[1] * v[2] - r[2] * v[1], r[2] * v[0] - r[0] * v[2], r[0] * v[1] - r[1] * v[0]];
          const hn = Math.hypot(...h);
          const N = h.map((x) => x / hn);
          const T = [
            N[1]! * R[2]! - N[2]! * R[1]!,
            N[2]! * R[0]! - N[0]! * R[2]!,
            N[0]! * R[1]! - N[1]! * R[0]!,
          ];
          p = [0, 1, 2].map((c) => r[c]! + R[c]! * d[0]! + T[c]! * d[1]! + N[c]! * d[2]!) as Vec3;
          tau = Math.hypot(p[0] - s[0], p[1] - s[1], p[2] - s[2]) / SPEED_OF_LIGHT_KM_S;
        }
        const rho: Vec3 = [p[0] - s[0], p[1] - s[1], p[2] - s[2]];
        const range = Math.hypot(...rho);
        const base = {
          epoch: t,
          timeTag: 'receive' as const,
          station: site.name,
          target,
          path: 'one-way' as const,
        };
        if (!site.radar) {
          ms.push({
            ...base,
            kind: 'right-ascension-declination',
            values: [
              Math.atan2(rho[1], rho[0]) + gauss() * OPTICAL_SIGMA,
              Math.asin(rho[2] / range) + gauss() * OPTICAL_SIGMA,
            ],
            sigmas: [OPTICAL_SIGMA, OPTICAL_SIGMA],
            frame: 'GCRF',
          });
        } else {
          const l = rot(frameTransform('GCRF', 'ITRF', frameEpochAt(t, ctx)).rotation, rho);
          const so = Math.sin(site.lon * DEG);
          const co = Math.cos(site.lon * DEG);
          const sl = Math.sin(site.lat * DEG);
          const cl = Math.cos(site.lat * DEG);
          const east = -so * l[0] + co * l[1];
          const north = -sl * co * l[0] - sl * so * l[1] + cl * l[2];
          const upc = cl * co * l[0] + cl * so * l[1] + sl * l[2];
          ms.push({
            ...base,
            kind: 'azimuth-elevation',
            values: [
              Math.atan2(east, north) + gauss() * RADAR_ANGLE_SIGMA,
              Math.asin(upc / range) + gauss() * RADAR_ANGLE_SIGMA,
            ],
            sigmas: [RADAR_ANGLE_SIGMA, RADAR_ANGLE_SIGMA],
          });
          ms.push({
            ...base,
            kind: 'range',
            values: [range + gauss() * RADAR_RANGE_SIGMA_KM],
            sigmas: [RADAR_RANGE_SIGMA_KM],
          });
        }
      }
      tracks.push({ id: `${site.name}/${target}/0`, station: site.name, target, measurements: ms });
      (tracks as (Track & { truth?: string })[])[tracks.length - 1]!.truth = e.catalogNumber;
    }
  }
  return tracks;
}

function main(): void {
  console.log(`correlation bench on ${machineLine()}`);
  const ctxR = loadContext({
    leapSecondsText: readFileSync(refFile('earth/Leap_Second.dat'), 'utf8'),
    eopText: gunzipSync(readFileSync(refFile('earth/finals2000A.all.gz'))).toString('utf8'),
    eopFormat: 'finals2000A',
  });
  if (!ctxR.ok) throw new Error('context');
  const ctx = ctxR.value;
  const parsed = parseElements(gunzipSync(readFileSync(refFile(CATALOG))).toString('utf8'), {
    file: CATALOG,
  });
  if (!parsed.ok) throw new Error('catalog');
  const cat = parsed.value.records.map((r) => r.elements);
  const records = cat.map((e) => sgp4Init(e));
  let t = process.hrtime.bigint();
  const tracks = simulate(ctx, cat, records, NIGHT_TRACKS);
  const observations = tracks.reduce((s, tr) => s + tr.measurements.length, 0);
  console.log(
    `  simulated ${tracks.length} tracks, ${observations} observations in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`,
  );
  const stationGcrfAt = (name: string, at: Instant): Vec3 =>
    rot(frameTransform('ITRF', 'GCRF', frameEpochAt(at, ctx)).rotation, ITRF.get(name) as Vec3);
  const options = { ctx, stationGcrfAt };
  t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const fast = correlateTracks(tracks, cat, options);
  const fastS = Number(process.hrtime.bigint() - t) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  let correct = 0;
  for (const r of fast.tracks) if (r.assigned === (r.track as Track & { truth?: string }).truth) correct++;
  console.log(
    `  fast: ${tracks.length} tracks × ${cat.length} objects in ${fastS.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; ` +
      `${fast.scored} exact scores; correct ${correct} (${((100 * correct) / tracks.length).toFixed(2)}%), UCT ${fast.uncorrelated}`,
  );
  const sub = tracks.slice(0, PEER_TRACKS);
  t = process.hrtime.bigint();
  const naive = correlateTracksNaive(sub, cat, { ...options, records });
  const naiveS = Number(process.hrtime.bigint() - t) / 1e9;
  const fastSub = correlateTracks(sub, cat, { ...options, records });
  const same = naive.tracks.filter((r, i) => r.assigned === fastSub.tracks[i]?.assigned).length;
  naive.tracks.forEach((r, i) => {
    const f = fastSub.tracks[i];
    if (r.assigned !== f?.assigned)
      console.log(`  differs: ${r.track.id}: naive ${r.explanation} | fast ${f?.explanation}`);
  });
  console.log(
    `  naive peer: ${sub.length} tracks in ${naiveS.toFixed(1)} s (${(naiveS / sub.length).toFixed(2)} s per track, ` +
      `${((naiveS / sub.length) * tracks.length).toFixed(0)} s extrapolated to the night, ${(((naiveS / sub.length) * tracks.length) / fastS).toFixed(0)}× the fast path); ` +
      `same assignment as the fast path on ${same}/${sub.length}`,
  );
}

main();
