/**
 * Web Worker: the whole catalog through our batch SGP4 (@hoshimi/astro `propagateBatch`), off the
 * main thread. Positions come back in Earth-fixed metres (TEME rotated by the SGP4 GMST, polar
 * motion and UT1 − UTC neglected: well under a pixel at globe scale) in the caller's Float64Array,
 * transferred both ways so nothing is copied or allocated per frame.
 *
 * Messages in: `init` (element columns), `positions` (a block of `frames` times from a UTC Julian
 * date, `stepMin` apart, into a buffer of 3·n·frames, frame after frame), `track` (one object: its
 * orbit over one period frozen at the given time, and its ground track). A block of frames costs
 * much less per frame than single times: the batch kernel loads each record once per block.
 */
import {
  createStateBatch,
  type ElementSet,
  gstimeSgp4,
  propagateBatch,
  type Satrec,
  type StateBatch,
  sgp4Init,
} from '@hoshimi/astro';
import type { CatalogColumns } from './api.js';

export type WorkerRequest =
  | { readonly kind: 'init'; readonly catalog: CatalogColumns }
  | {
      readonly kind: 'positions';
      readonly jd: number;
      readonly jdFrac: number;
      /** Time between frames, minutes (may be negative: the clock runs backwards). */
      readonly stepMin: number;
      readonly frames: number;
      readonly out: Float64Array;
    }
  | { readonly kind: 'track'; readonly index: number; readonly jd: number; readonly jdFrac: number };

export type WorkerReply =
  | { readonly kind: 'ready'; readonly count: number; readonly initMs: number }
  | {
      readonly kind: 'positions';
      readonly out: Float64Array;
      readonly stepMin: number;
      readonly frames: number;
      readonly computeMs: number;
      readonly jd: number;
      readonly jdFrac: number;
    }
  | {
      readonly kind: 'track';
      readonly index: number;
      readonly orbit: Float64Array;
      readonly ground: Float64Array;
    };

const KM_TO_M = 1000;
const TRACK_SAMPLES = 241;

let records: Satrec[] = [];
let epochJd = new Float64Array(0);
let epochJdFrac = new Float64Array(0);
let offsets = new Float64Array(0);
let batch: StateBatch = createStateBatch(0);
let grid = new Float64Array(0);

function init(c: CatalogColumns): void {
  const n = c.count;
  records = new Array<Satrec>(n);
  epochJd = Float64Array.from(c.epochJd);
  epochJdFrac = Float64Array.from(c.epochJdFrac);
  offsets = new Float64Array(n);
  batch = createStateBatch(0);
  grid = new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const es: ElementSet = {
      catalogNumber: c.catalogNumber[i] ?? '',
      classification: 'U',
      epoch: { jd: c.epochJd[i] ?? 0, jdFrac: c.epochJdFrac[i] ?? 0 },
      meanMotionRadPerMin: c.meanMotionRadPerMin[i] ?? 0,
      eccentricity: c.eccentricity[i] ?? 0,
      inclinationRad: c.inclinationRad[i] ?? 0,
      raanRad: c.raanRad[i] ?? 0,
      argPerigeeRad: c.argPerigeeRad[i] ?? 0,
      meanAnomalyRad: c.meanAnomalyRad[i] ?? 0,
      bstar: c.bstar[i] ?? 0,
      meanMotionDotRevPerDay2: 0,
      meanMotionDdotRevPerDay3: 0,
      ephemerisType: 0,
      elementSetNumber: 0,
      revolutionNumber: 0,
    };
    records[i] = sgp4Init(es);
  }
}

function positions(jd: number, jdFrac: number, stepMin: number, frames: number, out: Float64Array): void {
  const n = records.length;
  for (let i = 0; i < n; i++) {
    offsets[i] = (jd - (epochJd[i] as number) + (jdFrac - (epochJdFrac[i] as number))) * 1440;
  }
  if (grid.length !== frames) {
    grid = new Float64Array(frames);
    batch = createStateBatch(n * frames);
  }
  for (let k = 0; k < frames; k++) grid[k] = k * stepMin;
  propagateBatch(records, offsets, grid, batch);
  const { x, y, z } = batch;
  for (let k = 0; k < frames; k++) {
    const g = gstimeSgp4(jd + jdFrac + (k * stepMin) / 1440);
    const cg = Math.cos(g);
    const sg = Math.sin(g);
    const base = 3 * n * k;
    // Sample (record i, frame k) is at i·frames + k in the batch, at base + 3i in the output.
    for (let i = 0, j = k; i < n; i++, j += frames) {
      const xi = x[j] as number;
      const yi = y[j] as number;
      out[base + 3 * i] = (cg * xi + sg * yi) * KM_TO_M;
      out[base + 3 * i + 1] = (-sg * xi + cg * yi) * KM_TO_M;
      out[base + 3 * i + 2] = (z[j] as number) * KM_TO_M;
    }
  }
}

function track(index: number, jd: number, jdFrac: number): { orbit: Float64Array; ground: Float64Array } {
  const rec = records[index];
  const orbit = new Float64Array(3 * TRACK_SAMPLES);
  const ground = new Float64Array(3 * TRACK_SAMPLES);
  if (rec === undefined) return { orbit, ground };
  const periodMin = (2 * Math.PI) / rec.no_kozai;
  const t0 = (jd - (epochJd[index] as number) + (jdFrac - (epochJdFrac[index] as number))) * 1440;
  const grid = new Float64Array(TRACK_SAMPLES);
  for (let k = 0; k < TRACK_SAMPLES; k++) grid[k] = t0 + (periodMin * k) / (TRACK_SAMPLES - 1);
  const out = createStateBatch(TRACK_SAMPLES);
  propagateBatch([rec], null, grid, out);
  const g0 = gstimeSgp4(jd + jdFrac);
  for (let k = 0; k < TRACK_SAMPLES; k++) {
    const xk = out.x[k] as number;
    const yk = out.y[k] as number;
    const zk = (out.z[k] as number) * KM_TO_M;
    // Orbit: the inertial ellipse seen from the Earth-fixed frame at the current time.
    orbit[3 * k] = (Math.cos(g0) * xk + Math.sin(g0) * yk) * KM_TO_M;
    orbit[3 * k + 1] = (-Math.sin(g0) * xk + Math.cos(g0) * yk) * KM_TO_M;
    orbit[3 * k + 2] = zk;
    // Ground track: each sample in the Earth-fixed frame of its own time.
    const gk = gstimeSgp4(jd + jdFrac + ((grid[k] as number) - t0) / 1440);
    ground[3 * k] = (Math.cos(gk) * xk + Math.sin(gk) * yk) * KM_TO_M;
    ground[3 * k + 1] = (-Math.sin(gk) * xk + Math.cos(gk) * yk) * KM_TO_M;
    ground[3 * k + 2] = zk;
  }
  return { orbit, ground };
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.kind === 'init') {
    const t = performance.now();
    init(m.catalog);
    scope.postMessage({ kind: 'ready', count: records.length, initMs: performance.now() - t });
  } else if (m.kind === 'positions') {
    const t = performance.now();
    positions(m.jd, m.jdFrac, m.stepMin, m.frames, m.out);
    const computeMs = performance.now() - t;
    scope.postMessage(
      {
        kind: 'positions',
        out: m.out,
        stepMin: m.stepMin,
        frames: m.frames,
        computeMs,
        jd: m.jd,
        jdFrac: m.jdFrac,
      },
      [m.out.buffer],
    );
  } else {
    const { orbit, ground } = track(m.index, m.jd, m.jdFrac);
    scope.postMessage({ kind: 'track', index: m.index, orbit, ground }, [orbit.buffer, ground.buffer]);
  }
};
