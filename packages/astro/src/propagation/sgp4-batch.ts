/**
 * Columnar batch SGP4/SDP4: N records × M times into one Float64Array per coordinate plus a status
 * column, with no allocation per sample.
 *
 * Both near-earth (SGP4) and deep-space (SDP4) records run through kernels below that are
 * algebraically identical to Vallado's `sgp4`, `dspace` and `dpper` (sgp4/sgp4.ts, deep-space.ts,
 * 2020 revision; tested against them over whole catalogs and the SGP4-VER.TLE set) but rearranged
 * for speed. Status codes are the reference's, checked in the same order; the numbers differ from
 * the reference by rounding only (measured up to 2.6e-8 km and 2.3e-11 km/s per 10,000 km of
 * radius, most objects 1e-11 km, see propagation-batch.test.ts and propagation-deep-space.test.ts).
 *
 * Structure. Per record, the time loop runs inside small stage functions, one after the other:
 * secular terms (`nearEarthSecular`, or `deepSpaceSecular` + `deepSpacePeriodics` for dspace and
 * dpper), then `keplerStage` (long-period periodics, Kepler, short-period periodics) and
 * `orientationStage`, which are shared by both methods. Stages hand per-sample values on in
 * preallocated module-level columns (`Stages`), so that every stage is small enough for V8 to
 * inline all its trigonometric helpers (a larger function exhausts V8's inlining budget and then
 * pays a call plus a boxed double per helper call).
 *
 * Deviations from the reference, each exact in real arithmetic:
 * - per-record invariants are loaded once, and sin/cos of the epoch inclination once per record;
 * - `pow(xke/nm, 2/3)` and `xke/pow(am, 1.5)`: am = (xke/nm)^(2/3)·tempa² and the new nm = nm/|tempa|³,
 *   with (xke/n₀)^(2/3) a record constant when nm is n₀ (near earth, non-resonant deep space) and
 *   cbrt((xke/nm)²) otherwise;
 * - every full sin/cos pair shares one argument reduction (fast-trig.ts `sincos`); fmod(x, 2π) uses
 *   truncation of x·(1/2π) (off by ±2π, the same angle, when x is within ulps of a multiple of 2π);
 * - angle addition with a Taylor sin/cos of the small increment (fast-trig.ts `sincosSmall`,
 *   |d| ≤ SMALL_ANGLE = 0.125 rad, else Math.sin/Math.cos of the summed angle):
 *   sin(mm) = sin(xmdf + temp) from sin/cos(xmdf) (near earth, drag terms);
 *   Kepler's Newton steps rotate the previous (sin, cos) of eo1 by the step instead of a new
 *   sincos (the same iterates, the same stopping rule, at most 10 iterations);
 *   sin/cos(su) from the normalised (sinu, cosu) and −dsu, instead of atan2 followed by sin/cos;
 *   sin/cos(xinc) from sin/cos(xincp) and the short-period increment dinc;
 *   deep space: sin/cos(zf) of dpper from sin/cos(zm) and 2·ze·sin(zm), and sin/cos(xincp) from
 *   sin/cos(inclo) and didt·t + pinc;
 * - deep space: after the negative-inclination flip, sin(xincp) is negated (sin(−i) = −sin i)
 *   instead of recomputed;
 * - 1/rl and 1/xke are multiplied instead of dividing by rl (three times) and xke (twice);
 * - `mrt < 1` (decay) is tested before the orientation vectors, which cannot fail.
 * The resonance integrator (`resonance`) is dspace's, step for step: the same restart rule
 * (atime = 0, a sign change or a smaller |t|), 720 min Euler–Maclaurin steps and final Taylor step,
 * with the state (Satrec.atime, xli, xni) kept in the record between samples and left there as a
 * sequence of reference calls leaves it; only its sines and cosines come from `sincos`.
 * Unlike the reference, the batch writes nothing else into the record (the reference also stores
 * t, error, the singly averaged elements and, in deep space, aycof, xlcof, con41, x1mth2, x7thm1:
 * scratch that no later call reads). Deep-space records whose isimp is not 1 (sgp4init always
 * sets it) call the reference `sgp4` per sample.
 *
 * Output frame TEME; positions km, velocities km/s; status is the SGP4 error code (0 = ok) and the
 * six state columns are NaN where it is not 0. Not re-entrant (module-level stage columns), which
 * single-threaded JavaScript guarantees: each worker thread has its own module instance.
 */
import { SGP4_ERROR_CODE } from '../sgp4/errors.js';
import { METHOD_DEEP_SPACE, OPSMODE_AFSPC, type Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { fmod2pi, SINCOS, SMALL_ANGLE, sincos, sincosSmall } from './fast-trig.js';

/** Columnar states: sample j of the batch is (x[j], y[j], z[j], vx[j], vy[j], vz[j], status[j]). */
export interface StateBatch {
  /** TEME position, km. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** TEME velocity, km/s. */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
  /** SGP4 error code per sample, 0 = success. */
  readonly status: Uint8Array;
}

/** Allocates a batch of `n` samples (optionally on SharedArrayBuffers, for worker threads). */
export function createStateBatch(n: number, shared = false): StateBatch {
  const f64 = () => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
  return {
    x: f64(),
    y: f64(),
    z: f64(),
    vx: f64(),
    vy: f64(),
    vz: f64(),
    status: shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n),
  };
}

/** Copies `count` samples from `src` at `from` to `dst` at `to` (forward, so dst = src with to < from is safe). */
export function copyStateSamples(
  src: StateBatch,
  from: number,
  dst: StateBatch,
  to: number,
  count: number,
): void {
  for (let k = 0; k < count; k++) {
    dst.x[to + k] = src.x[from + k]!;
    dst.y[to + k] = src.y[from + k]!;
    dst.z[to + k] = src.z[from + k]!;
    dst.vx[to + k] = src.vx[from + k]!;
    dst.vy[to + k] = src.vy[from + k]!;
    dst.vz[to + k] = src.vz[from + k]!;
    dst.status[to + k] = src.status[from + k]!;
  }
}

/**
 * Propagates records[first..end) to the times `offsetMin[i] + gridMin[k]` (minutes since each
 * record's own epoch; pass `offsetMin = null` for a common grid relative to each epoch) and writes
 * sample (i, k) at index `outStart + (i − first)·M + k` of `out`, M = gridMin.length.
 * Deep-space records carry their resonance-integrator state (Satrec.atime, xli, xni) from sample to
 * sample and leave it in the record, exactly as a sequence of reference `sgp4` calls would.
 */
export function propagateBatch(
  records: readonly Satrec[],
  offsetMin: Float64Array | null,
  gridMin: Float64Array,
  out: StateBatch,
  first = 0,
  end = records.length,
  outStart = 0,
): void {
  const m = gridMin.length;
  const st = stagesFor(m);
  for (let i = first; i < end; i++) {
    const rec = records[i] as Satrec;
    const offset = offsetMin === null ? 0 : (offsetMin[i] as number);
    const base = outStart + (i - first) * m;
    if (rec.method !== METHOD_DEEP_SPACE) {
      nearEarthSecular(rec, offset, gridMin, st, out, base);
    } else if (rec.isimp === 1) {
      deepSpaceSecular(rec, offset, gridMin, st, out, base);
      deepSpacePeriodics(rec, m, st, out, base);
    } else {
      referenceRun(rec, offset, gridMin, out, base);
      continue;
    }
    keplerStage(rec, m, st, out, base);
    orientationStage(rec, m, st, out, base);
  }
}

/**
 * Per-sample columns handed from one kernel stage to the next for the current record (index k of
 * the time grid). Stages are separate functions so that V8 inlines every trigonometric helper
 * within its per-function inlining budget; typed columns pass the doubles without boxing.
 */
class Stages {
  readonly capacity: number;
  /** SGP4 error code found so far (0 = continue); later stages skip samples with a code. */
  readonly status: Uint8Array;
  /** Mean semi-major axis (earth radii) and mean motion (rad/min) after drag. */
  readonly am: Float64Array;
  readonly nm: Float64Array;
  /** Eccentricity, argument of perigee, mean anomaly, node and inclination after the (deep-space) periodics, rad. */
  readonly ep: Float64Array;
  readonly argpp: Float64Array;
  readonly mp: Float64Array;
  readonly nodep: Float64Array;
  readonly xincp: Float64Array;
  readonly sinip: Float64Array;
  readonly cosip: Float64Array;
  /** Long-period coefficients and 3cos²i − 1, 1 − cos²i, 7cos²i − 1 (record constants near earth, per sample in deep space). */
  readonly aycof: Float64Array;
  readonly xlcof: Float64Array;
  readonly con41: Float64Array;
  readonly x1mth2: Float64Array;
  readonly x7thm1: Float64Array;
  /** Deep space: time (min) and the dspace outputs that dpper reads. */
  readonly t: Float64Array;
  readonly em: Float64Array;
  readonly inclm: Float64Array;
  readonly argpm: Float64Array;
  readonly nodem: Float64Array;
  readonly mm: Float64Array;
  /** Deep space: sin/cos of dpper's solar and lunar mean anomalies zm. */
  readonly sinzms: Float64Array;
  readonly coszms: Float64Array;
  readonly sinzml: Float64Array;
  readonly coszml: Float64Array;
  /** Kepler stage outputs: unit (sin u, cos u), the su, node and inclination corrections (rad), radius (earth radii) and the two velocity factors. */
  readonly s0: Float64Array;
  readonly c0: Float64Array;
  readonly dsu: Float64Array;
  readonly xnode: Float64Array;
  readonly dinc: Float64Array;
  readonly mrt: Float64Array;
  readonly mvt: Float64Array;
  readonly rvdot: Float64Array;
  constructor(n: number) {
    this.capacity = n;
    this.status = new Uint8Array(n);
    this.am = new Float64Array(n);
    this.nm = new Float64Array(n);
    this.ep = new Float64Array(n);
    this.argpp = new Float64Array(n);
    this.mp = new Float64Array(n);
    this.nodep = new Float64Array(n);
    this.xincp = new Float64Array(n);
    this.sinip = new Float64Array(n);
    this.cosip = new Float64Array(n);
    this.aycof = new Float64Array(n);
    this.xlcof = new Float64Array(n);
    this.con41 = new Float64Array(n);
    this.x1mth2 = new Float64Array(n);
    this.x7thm1 = new Float64Array(n);
    this.t = new Float64Array(n);
    this.em = new Float64Array(n);
    this.inclm = new Float64Array(n);
    this.argpm = new Float64Array(n);
    this.nodem = new Float64Array(n);
    this.mm = new Float64Array(n);
    this.sinzms = new Float64Array(n);
    this.coszms = new Float64Array(n);
    this.sinzml = new Float64Array(n);
    this.coszml = new Float64Array(n);
    this.s0 = new Float64Array(n);
    this.c0 = new Float64Array(n);
    this.dsu = new Float64Array(n);
    this.xnode = new Float64Array(n);
    this.dinc = new Float64Array(n);
    this.mrt = new Float64Array(n);
    this.mvt = new Float64Array(n);
    this.rvdot = new Float64Array(n);
  }
}

let stages = new Stages(0);

/** The stage columns for grids of `m` times (reallocated only when a longer grid arrives). */
function stagesFor(m: number): Stages {
  if (stages.capacity < m) stages = new Stages(Math.max(m, 2 * stages.capacity));
  return stages;
}

const rv = new Float64Array(6);

/** Per-sample reference calls: for records the deep-space kernel does not cover (see the header). */
function referenceRun(rec: Satrec, offset: number, grid: Float64Array, out: StateBatch, base: number): void {
  const { x, y, z, vx, vy, vz, status } = out;
  for (let k = 0; k < grid.length; k++) {
    const code = sgp4(rec, offset + (grid[k] as number), rv);
    const j = base + k;
    x[j] = rv[0] as number;
    y[j] = rv[1] as number;
    z[j] = rv[2] as number;
    vx[j] = rv[3] as number;
    vy[j] = rv[4] as number;
    vz[j] = rv[5] as number;
    status[j] = code;
  }
}

/** Records an SGP4 failure: NaN state and the code, in the output and in the stage status. */
function fail(out: StateBatch, j: number, st: Stages, k: number, code: number): void {
  out.x[j] = Number.NaN;
  out.y[j] = Number.NaN;
  out.z[j] = Number.NaN;
  out.vx[j] = Number.NaN;
  out.vy[j] = Number.NaN;
  out.vz[j] = Number.NaN;
  out.status[j] = code;
  st.status[k] = code;
}

// ---------------------------------------------------------------------------------------------
// Near earth (SGP4)
// ---------------------------------------------------------------------------------------------

/** Near earth: secular gravity and drag, mean-element checks and long-period periodics. */
function nearEarthSecular(
  rec: Satrec,
  offset: number,
  grid: Float64Array,
  st: Stages,
  out: StateBatch,
  base: number,
): void {
  // ---- per-record invariants ----
  const xke = rec.xke;
  const mo = rec.mo;
  const mdot = rec.mdot;
  const argpo = rec.argpo;
  const argpdot = rec.argpdot;
  const nodeo = rec.nodeo;
  const nodedot = rec.nodedot;
  const nodecf = rec.nodecf;
  const cc1 = rec.cc1;
  const bstarCc4 = rec.bstar * rec.cc4;
  const bstarCc5 = rec.bstar * rec.cc5;
  const t2cof = rec.t2cof;
  const simple = rec.isimp === 1;
  const omgcof = rec.omgcof;
  const eta = rec.eta;
  const xmcof = rec.xmcof;
  const delmo = rec.delmo;
  const d2 = rec.d2;
  const d3 = rec.d3;
  const d4 = rec.d4;
  const sinmao = rec.sinmao;
  const t3cof = rec.t3cof;
  const t4cof = rec.t4cof;
  const t5cof = rec.t5cof;
  const noUnkozai = rec.no_unkozai;
  const ecco = rec.ecco;
  const inclo = rec.inclo;
  const aycof = rec.aycof;
  const xlcof = rec.xlcof;
  const con41 = rec.con41;
  const x1mth2 = rec.x1mth2;
  const x7thm1 = rec.x7thm1;
  // am = (xke/n0)^(2/3)·tempa², nm = xke/am^1.5 = n0/|tempa|³.
  const amBase = (xke / noUnkozai) ** (2.0 / 3.0);
  const meanMotionOk = noUnkozai > 0.0;
  const sinio = Math.sin(inclo);
  const cosio = Math.cos(inclo);
  const status = st.status;
  const amCol = st.am;
  const nmCol = st.nm;
  const epCol = st.ep;
  const argppCol = st.argpp;
  const mpCol = st.mp;
  const nodepCol = st.nodep;
  const xincpCol = st.xincp;
  const sinipCol = st.sinip;
  const cosipCol = st.cosip;
  const aycofCol = st.aycof;
  const xlcofCol = st.xlcof;
  const con41Col = st.con41;
  const x1mth2Col = st.x1mth2;
  const x7thm1Col = st.x7thm1;

  for (let k = 0; k < grid.length; k++) {
    const t = offset + (grid[k] as number);
    // ---- secular gravity and atmospheric drag ----
    const xmdf = mo + mdot * t;
    const argpdf = argpo + argpdot * t;
    const nodedf = nodeo + nodedot * t;
    let argpm = argpdf;
    let mm = xmdf;
    const t2 = t * t;
    let nodem = nodedf + nodecf * t2;
    let tempa = 1.0 - cc1 * t;
    let tempe = bstarCc4 * t;
    let templ = t2cof * t2;
    if (!simple) {
      const delomg = omgcof * t;
      sincos(xmdf);
      const sinxmdf = SINCOS[0] as number;
      const cosxmdf = SINCOS[1] as number;
      const delmtemp = 1.0 + eta * cosxmdf;
      const delm = xmcof * (delmtemp * delmtemp * delmtemp - delmo);
      const temp = delomg + delm;
      mm = xmdf + temp;
      argpm = argpdf - temp;
      const t3 = t2 * t;
      const t4 = t3 * t;
      tempa = tempa - d2 * t2 - d3 * t3 - d4 * t4;
      // sin(mm) = sin(xmdf + temp) by angle addition while the drag correction temp is small.
      let sinmm: number;
      if (Math.abs(temp) <= SMALL_ANGLE) {
        sincosSmall(temp);
        sinmm = sinxmdf * (SINCOS[1] as number) + cosxmdf * (SINCOS[0] as number);
      } else {
        sinmm = Math.sin(mm);
      }
      tempe = tempe + bstarCc5 * (sinmm - sinmao);
      templ = templ + t3cof * t3 + t4 * (t4cof + t * t5cof);
    }
    if (!meanMotionOk) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.MEAN_MOTION);
      continue;
    }
    const tempa2 = tempa * tempa;
    const am = amBase * tempa2;
    const nm = noUnkozai / (tempa2 * Math.abs(tempa));
    let em = ecco - tempe;
    if (!(em < 1.0) || em < -0.001) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.MEAN_ELEMENTS);
      continue;
    }
    if (em < 1.0e-6) em = 1.0e-6;
    mm = mm + noUnkozai * templ;
    let xlm = mm + argpm + nodem;
    nodem = fmod2pi(nodem);
    argpm = fmod2pi(argpm);
    xlm = fmod2pi(xlm);
    mm = fmod2pi(xlm - argpm - nodem);

    status[k] = 0;
    amCol[k] = am;
    nmCol[k] = nm;
    epCol[k] = em;
    argppCol[k] = argpm;
    mpCol[k] = mm;
    nodepCol[k] = nodem;
    xincpCol[k] = inclo;
    sinipCol[k] = sinio;
    cosipCol[k] = cosio;
    aycofCol[k] = aycof;
    xlcofCol[k] = xlcof;
    con41Col[k] = con41;
    x1mth2Col[k] = x1mth2;
    x7thm1Col[k] = x7thm1;
  }
}

// ---------------------------------------------------------------------------------------------
// Common: Kepler's equation, short-period periodics, orientation vectors
// ---------------------------------------------------------------------------------------------

/**
 * Common stage 1 of sgp4 after the mean elements: long-period periodics, Kepler's equation and the
 * short-period periodics, up to the scalars of the orientation stage.
 */
function keplerStage(rec: Satrec, m: number, st: Stages, out: StateBatch, base: number): void {
  const invXke = 1.0 / rec.xke;
  const j2 = rec.j2;
  const status = st.status;
  const amCol = st.am;
  const nmCol = st.nm;
  const epCol = st.ep;
  const argppCol = st.argpp;
  const mpCol = st.mp;
  const nodepCol = st.nodep;
  const sinipCol = st.sinip;
  const cosipCol = st.cosip;
  const aycofCol = st.aycof;
  const xlcofCol = st.xlcof;
  const con41Col = st.con41;
  const x1mth2Col = st.x1mth2;
  const x7thm1Col = st.x7thm1;
  const s0Col = st.s0;
  const c0Col = st.c0;
  const dsuCol = st.dsu;
  const xnodeCol = st.xnode;
  const dincCol = st.dinc;
  const mrtCol = st.mrt;
  const mvtCol = st.mvt;
  const rvdotCol = st.rvdot;

  for (let k = 0; k < m; k++) {
    if (status[k] !== 0) continue;
    const am = amCol[k] as number;
    const ep = epCol[k] as number;
    const argpp = argppCol[k] as number;
    const nodep = nodepCol[k] as number;

    // ---- long period periodics ----
    sincos(argpp);
    const axnl = ep * (SINCOS[1] as number);
    let temp = 1.0 / (am * (1.0 - ep * ep));
    const aynl = ep * (SINCOS[0] as number) + temp * (aycofCol[k] as number);
    const xl = (mpCol[k] as number) + argpp + nodep + temp * (xlcofCol[k] as number) * axnl;

    // ---- Kepler's equation ----
    const u = fmod2pi(xl - nodep);
    let eo1 = u;
    let tem5 = 9999.9;
    let ktr = 1;
    let sineo1 = 0.0;
    let coseo1 = 0.0;
    let fresh = true;
    while (Math.abs(tem5) >= 1.0e-12 && ktr <= 10) {
      if (fresh) {
        sincos(eo1);
        sineo1 = SINCOS[0] as number;
        coseo1 = SINCOS[1] as number;
      } else {
        // eo1 advanced by the small Newton step tem5: rotate (sin, cos) by it.
        sincosSmall(tem5);
        const sd = SINCOS[0] as number;
        const cd = SINCOS[1] as number;
        const s = sineo1 * cd + coseo1 * sd;
        coseo1 = coseo1 * cd - sineo1 * sd;
        sineo1 = s;
      }
      tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
      tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
      if (Math.abs(tem5) >= 0.95) tem5 = tem5 > 0.0 ? 0.95 : -0.95;
      eo1 = eo1 + tem5;
      ktr = ktr + 1;
      fresh = !(Math.abs(tem5) <= SMALL_ANGLE);
    }

    // ---- short period preliminary quantities ----
    const ecose = axnl * coseo1 + aynl * sineo1;
    const esine = axnl * sineo1 - aynl * coseo1;
    const el2 = axnl * axnl + aynl * aynl;
    const pl = am * (1.0 - el2);
    if (!(pl >= 0.0)) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.SEMI_LATUS_RECTUM);
      continue;
    }
    const rl = am * (1.0 - ecose);
    const invRl = 1.0 / rl;
    const rdotl = Math.sqrt(am) * esine * invRl;
    const rvdotl = Math.sqrt(pl) * invRl;
    const betal = Math.sqrt(1.0 - el2);
    temp = esine / (1.0 + betal);
    const amOverRl = am * invRl;
    const sinu = amOverRl * (sineo1 - aynl - axnl * temp);
    const cosu = amOverRl * (coseo1 - axnl + aynl * temp);
    const sin2u = (cosu + cosu) * sinu;
    const cos2u = 1.0 - 2.0 * sinu * sinu;
    temp = 1.0 / pl;
    const temp1 = 0.5 * j2 * temp;
    const temp2 = temp1 * temp;

    // ---- short period periodics ----
    const nm = nmCol[k] as number;
    const cosip = cosipCol[k] as number;
    const con41 = con41Col[k] as number;
    const x1mth2 = x1mth2Col[k] as number;
    const mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u;
    if (!(mrt >= 1.0)) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.DECAYED);
      continue;
    }
    // su = atan2(sinu, cosu) − dsu and xinc = xincp + dinc: both by angle addition (orientation stage).
    const invNorm = 1.0 / Math.sqrt(sinu * sinu + cosu * cosu);
    s0Col[k] = sinu * invNorm;
    c0Col[k] = cosu * invNorm;
    dsuCol[k] = 0.25 * temp2 * (x7thm1Col[k] as number) * sin2u;
    xnodeCol[k] = nodep + 1.5 * temp2 * cosip * sin2u;
    dincCol[k] = 1.5 * temp2 * cosip * (sinipCol[k] as number) * cos2u;
    mrtCol[k] = mrt;
    const nmTemp1 = nm * temp1 * invXke;
    mvtCol[k] = rdotl - nmTemp1 * x1mth2 * sin2u;
    rvdotCol[k] = rvdotl + nmTemp1 * (x1mth2 * cos2u + 1.5 * con41);
  }
}

/** Common stage 2: orientation vectors, position (km) and velocity (km/s) into the batch. */
function orientationStage(rec: Satrec, m: number, st: Stages, out: StateBatch, base: number): void {
  const { x, y, z, vx, vy, vz } = out;
  const outStatus = out.status;
  const radiusearthkm = rec.radiusearthkm;
  const vkmpersec = (radiusearthkm * rec.xke) / 60.0;
  const status = st.status;
  const xincpCol = st.xincp;
  const sinipCol = st.sinip;
  const cosipCol = st.cosip;
  const s0Col = st.s0;
  const c0Col = st.c0;
  const dsuCol = st.dsu;
  const xnodeCol = st.xnode;
  const dincCol = st.dinc;
  const mrtCol = st.mrt;
  const mvtCol = st.mvt;
  const rvdotCol = st.rvdot;

  for (let k = 0; k < m; k++) {
    if (status[k] !== 0) continue;
    const j = base + k;
    const s0 = s0Col[k] as number;
    const c0 = c0Col[k] as number;
    const dsu = dsuCol[k] as number;
    const dinc = dincCol[k] as number;
    let sind: number;
    let cosd: number;
    if (Math.abs(dsu) <= SMALL_ANGLE) {
      sincosSmall(dsu);
      sind = SINCOS[0] as number;
      cosd = SINCOS[1] as number;
    } else {
      sind = Math.sin(dsu);
      cosd = Math.cos(dsu);
    }
    const sinsu = s0 * cosd - c0 * sind;
    const cossu = c0 * cosd + s0 * sind;
    let sini: number;
    let cosi: number;
    if (Math.abs(dinc) <= SMALL_ANGLE) {
      sincosSmall(dinc);
      const sinip = sinipCol[k] as number;
      const cosip = cosipCol[k] as number;
      sini = sinip * (SINCOS[1] as number) + cosip * (SINCOS[0] as number);
      cosi = cosip * (SINCOS[1] as number) - sinip * (SINCOS[0] as number);
    } else {
      const xinc = (xincpCol[k] as number) + dinc;
      sini = Math.sin(xinc);
      cosi = Math.cos(xinc);
    }
    sincos(xnodeCol[k] as number);
    const snod = SINCOS[0] as number;
    const cnod = SINCOS[1] as number;
    const xmx = -snod * cosi;
    const xmy = cnod * cosi;
    const ux = xmx * sinsu + cnod * cossu;
    const uy = xmy * sinsu + snod * cossu;
    const uz = sini * sinsu;
    const wx = xmx * cossu - cnod * sinsu;
    const wy = xmy * cossu - snod * sinsu;
    const wz = sini * cossu;

    const rScale = (mrtCol[k] as number) * radiusearthkm;
    const mvt = mvtCol[k] as number;
    const rvdot = rvdotCol[k] as number;
    x[j] = rScale * ux;
    y[j] = rScale * uy;
    z[j] = rScale * uz;
    vx[j] = (mvt * ux + rvdot * wx) * vkmpersec;
    vy[j] = (mvt * uy + rvdot * wy) * vkmpersec;
    vz[j] = (mvt * uz + rvdot * wz) * vkmpersec;
    outStatus[j] = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Deep space (SDP4): dspace and dpper inlined
// ---------------------------------------------------------------------------------------------

const TWO_PI = 2.0 * Math.PI;
/** dspace: Earth rotation rate, rad/min (Vallado's 4.37526908801129966e-3). */
const RPTIM = 0.0043752690880113;
/** dpper: solar and lunar mean motions (rad/min) and orbit eccentricities (Vallado's zns, zes, znl, zel). */
const ZNS = 1.19459e-5;
const ZES = 0.01675;
const ZNL = 1.5835218e-4;
const ZEL = 0.0549;
/** sgp4's guard against 1 + cos(i) = 0 in xlcof (sgp4fix for 180° inclination). */
const XLCOF_GUARD = 1.5e-12;

/**
 * Output of `resonance`: the integrated mean motion (rad/min; dspace's nm before its dndt round
 * trip) and the resonant mean longitude xl (rad) at the requested time.
 */
const RES = new Float64Array(2);

/**
 * dspace's resonance integrator (Euler–Maclaurin, 720 min steps) for one time `t` (min), with the
 * state (atime, xli, xni) kept in the record exactly as the reference keeps it: same restart rule,
 * same steps, same final Taylor step. Only the sines and cosines use the shared-reduction sincos.
 */
function resonance(rec: Satrec, t: number): void {
  const irez = rec.irez;
  const no = rec.no_unkozai;
  if (rec.atime === 0.0 || t * rec.atime <= 0.0 || Math.abs(t) < Math.abs(rec.atime)) {
    rec.atime = 0.0;
    rec.xni = no;
    rec.xli = rec.xlamo;
  }
  const delt = t > 0.0 ? 720.0 : -720.0;
  const xfact = rec.xfact;
  let atime = rec.atime;
  let xli = rec.xli;
  let xni = rec.xni;
  let xndt = 0.0;
  let xldot = 0.0;
  let xnddt = 0.0;
  let ft = 0.0;
  for (;;) {
    if (irez !== 2) {
      // near-synchronous resonance terms (fasx2, fasx4, fasx6)
      const del1 = rec.del1;
      const del2 = rec.del2;
      const del3 = rec.del3;
      sincos(xli - 0.13130908);
      const s1 = SINCOS[0] as number;
      const c1 = SINCOS[1] as number;
      sincos(2.0 * (xli - 2.8843198));
      const s2 = SINCOS[0] as number;
      const c2 = SINCOS[1] as number;
      sincos(3.0 * (xli - 0.37448087));
      xndt = del1 * s1 + del2 * s2 + del3 * (SINCOS[0] as number);
      xldot = xni + xfact;
      xnddt = del1 * c1 + 2.0 * del2 * c2 + 3.0 * del3 * (SINCOS[1] as number);
      xnddt = xnddt * xldot;
    } else {
      halfDayTerms(rec, xli, atime);
      xndt = SINCOS[0] as number;
      xldot = xni + xfact;
      xnddt = (SINCOS[1] as number) * xldot;
    }
    if (Math.abs(t - atime) >= 720.0) {
      xli = xli + xldot * delt + xndt * 259200.0;
      xni = xni + xndt * delt + xnddt * 259200.0;
      atime = atime + delt;
    } else {
      ft = t - atime;
      break;
    }
  }
  rec.atime = atime;
  rec.xli = xli;
  rec.xni = xni;
  RES[0] = xni + xndt * ft + xnddt * ft * ft * 0.5;
  RES[1] = xli + xldot * ft + xndt * ft * ft * 0.5;
}

/**
 * dspace's near-half-day resonance terms (g22…g54) at (xli, atime): writes Σ d·sin into SINCOS[0]
 * and the matching Σ d·cos sum (before the ·xldot factor) into SINCOS[1].
 */
function halfDayTerms(rec: Satrec, xli: number, atime: number): void {
  const xomi = rec.argpo + rec.argpdot * atime;
  const x2omi = xomi + xomi;
  const x2li = xli + xli;
  sincos(x2omi + xli - 5.7686396);
  let sn = rec.d2201 * (SINCOS[0] as number);
  let cs = rec.d2201 * (SINCOS[1] as number);
  sincos(xli - 5.7686396);
  sn += rec.d2211 * (SINCOS[0] as number);
  cs += rec.d2211 * (SINCOS[1] as number);
  sincos(xomi + xli - 0.95240898);
  sn += rec.d3210 * (SINCOS[0] as number);
  cs += rec.d3210 * (SINCOS[1] as number);
  sincos(-xomi + xli - 0.95240898);
  sn += rec.d3222 * (SINCOS[0] as number);
  cs += rec.d3222 * (SINCOS[1] as number);
  sincos(x2omi + x2li - 1.8014998);
  sn += rec.d4410 * (SINCOS[0] as number);
  let cs2 = rec.d4410 * (SINCOS[1] as number);
  sincos(x2li - 1.8014998);
  sn += rec.d4422 * (SINCOS[0] as number);
  cs2 += rec.d4422 * (SINCOS[1] as number);
  sincos(xomi + xli - 1.050833);
  sn += rec.d5220 * (SINCOS[0] as number);
  cs += rec.d5220 * (SINCOS[1] as number);
  sincos(-xomi + xli - 1.050833);
  sn += rec.d5232 * (SINCOS[0] as number);
  cs += rec.d5232 * (SINCOS[1] as number);
  sincos(xomi + x2li - 4.4108898);
  sn += rec.d5421 * (SINCOS[0] as number);
  cs2 += rec.d5421 * (SINCOS[1] as number);
  sincos(-xomi + x2li - 4.4108898);
  sn += rec.d5433 * (SINCOS[0] as number);
  cs2 += rec.d5433 * (SINCOS[1] as number);
  SINCOS[0] = sn;
  SINCOS[1] = cs + 2.0 * cs2;
}

/**
 * Deep space: secular gravity and drag (isimp = 1), dspace's secular lunar-solar rates and
 * resonance integration, the mean-element checks, and dpper's two mean anomalies.
 */
function deepSpaceSecular(
  rec: Satrec,
  offset: number,
  grid: Float64Array,
  st: Stages,
  out: StateBatch,
  base: number,
): void {
  const xke = rec.xke;
  const mo = rec.mo;
  const mdot = rec.mdot;
  const argpo = rec.argpo;
  const argpdot = rec.argpdot;
  const nodeo = rec.nodeo;
  const nodedot = rec.nodedot;
  const nodecf = rec.nodecf;
  const cc1 = rec.cc1;
  const bstarCc4 = rec.bstar * rec.cc4;
  const t2cof = rec.t2cof;
  const noUnkozai = rec.no_unkozai;
  const ecco = rec.ecco;
  const inclo = rec.inclo;
  const resonant = rec.irez !== 0;
  const synchronous = rec.irez === 1;
  const gsto = rec.gsto;
  const dedt = rec.dedt;
  const didt = rec.didt;
  const domdt = rec.domdt;
  const dnodt = rec.dnodt;
  const dmdt = rec.dmdt;
  const zmos = rec.zmos;
  const zmol = rec.zmol;
  // Non-resonant: nm stays n₀, so am = (xke/n₀)^(2/3)·tempa² and nm = n₀/|tempa|³ as near earth.
  const amBase = (xke / noUnkozai) ** (2.0 / 3.0);
  const status = st.status;
  const tCol = st.t;
  const emCol = st.em;
  const inclmCol = st.inclm;
  const argpmCol = st.argpm;
  const nodemCol = st.nodem;
  const mmCol = st.mm;
  const amCol = st.am;
  const nmCol = st.nm;
  const sinzmsCol = st.sinzms;
  const coszmsCol = st.coszms;
  const sinzmlCol = st.sinzml;
  const coszmlCol = st.coszml;

  for (let k = 0; k < grid.length; k++) {
    const t = offset + (grid[k] as number);
    // ---- secular gravity and atmospheric drag (isimp = 1) ----
    let mm = mo + mdot * t;
    let argpm = argpo + argpdot * t;
    const t2 = t * t;
    let nodem = nodeo + nodedot * t + nodecf * t2;
    const tempa = 1.0 - cc1 * t;
    const tempe = bstarCc4 * t;
    const templ = t2cof * t2;

    // ---- dspace: secular lunar-solar rates and the resonance integrator ----
    let em = ecco + dedt * t;
    const inclm = inclo + didt * t;
    argpm = argpm + domdt * t;
    nodem = nodem + dnodt * t;
    mm = mm + dmdt * t;
    const tempa2 = tempa * tempa;
    let am: number;
    let nm: number;
    if (resonant) {
      const theta = fmod2pi(gsto + t * RPTIM);
      resonance(rec, t);
      const xl = RES[1] as number;
      if (synchronous) mm = xl - nodem - argpm + theta;
      else mm = xl - 2.0 * nodem + 2.0 * theta;
      // dspace: dndt = nm − n₀, nm = n₀ + dndt (kept for identical rounding).
      nm = noUnkozai + ((RES[0] as number) - noUnkozai);
      if (!(nm > 0.0)) {
        fail(out, base + k, st, k, SGP4_ERROR_CODE.MEAN_MOTION);
        continue;
      }
      // am = (xke/nm)^(2/3)·tempa², then nm = xke/am^1.5 = nm/|tempa|³.
      const q = xke / nm;
      am = Math.cbrt(q * q) * tempa2;
      nm = nm / (tempa2 * Math.abs(tempa));
    } else {
      if (!(noUnkozai > 0.0)) {
        fail(out, base + k, st, k, SGP4_ERROR_CODE.MEAN_MOTION);
        continue;
      }
      am = amBase * tempa2;
      nm = noUnkozai / (tempa2 * Math.abs(tempa));
    }
    em = em - tempe;
    if (!(em < 1.0) || em < -0.001) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.MEAN_ELEMENTS);
      continue;
    }
    if (em < 1.0e-6) em = 1.0e-6;
    mm = mm + noUnkozai * templ;
    let xlm = mm + argpm + nodem;
    nodem = fmod2pi(nodem);
    argpm = fmod2pi(argpm);
    xlm = fmod2pi(xlm);
    mm = fmod2pi(xlm - argpm - nodem);

    status[k] = 0;
    tCol[k] = t;
    emCol[k] = em;
    inclmCol[k] = inclm;
    argpmCol[k] = argpm;
    nodemCol[k] = nodem;
    mmCol[k] = mm;
    amCol[k] = am;
    nmCol[k] = nm;
    // dpper's solar and lunar mean anomalies
    sincos(zmos + ZNS * t);
    sinzmsCol[k] = SINCOS[0] as number;
    coszmsCol[k] = SINCOS[1] as number;
    sincos(zmol + ZNL * t);
    sinzmlCol[k] = SINCOS[0] as number;
    coszmlCol[k] = SINCOS[1] as number;
  }
}

/**
 * Deep space: dpper's lunar-solar periodics (the rest of dpper after the two mean anomalies) and
 * sgp4's long-period periodics with their inclination-dependent coefficients.
 */
function deepSpacePeriodics(rec: Satrec, m: number, st: Stages, out: StateBatch, base: number): void {
  const j3oj2 = rec.j3oj2;
  const inclo = rec.inclo;
  const didt = rec.didt;
  const afspc = rec.operationmode === OPSMODE_AFSPC;
  const se2 = rec.se2;
  const se3 = rec.se3;
  const si2 = rec.si2;
  const si3 = rec.si3;
  const sl2 = rec.sl2;
  const sl3 = rec.sl3;
  const sl4 = rec.sl4;
  const sgh2 = rec.sgh2;
  const sgh3 = rec.sgh3;
  const sgh4 = rec.sgh4;
  const sh2 = rec.sh2;
  const sh3 = rec.sh3;
  const ee2 = rec.ee2;
  const e3 = rec.e3;
  const xi2 = rec.xi2;
  const xi3 = rec.xi3;
  const xl2 = rec.xl2;
  const xl3 = rec.xl3;
  const xl4 = rec.xl4;
  const xgh2 = rec.xgh2;
  const xgh3 = rec.xgh3;
  const xgh4 = rec.xgh4;
  const xh2 = rec.xh2;
  const xh3 = rec.xh3;
  const peo = rec.peo;
  const pinco = rec.pinco;
  const plo = rec.plo;
  const pgho = rec.pgho;
  const pho = rec.pho;
  const sinio = Math.sin(inclo);
  const cosio = Math.cos(inclo);
  const status = st.status;
  const tCol = st.t;
  const emCol = st.em;
  const inclmCol = st.inclm;
  const argpmCol = st.argpm;
  const nodemCol = st.nodem;
  const mmCol = st.mm;
  const sinzmsCol = st.sinzms;
  const coszmsCol = st.coszms;
  const sinzmlCol = st.sinzml;
  const coszmlCol = st.coszml;
  const epCol = st.ep;
  const argppCol = st.argpp;
  const mpCol = st.mp;
  const nodepCol = st.nodep;
  const xincpCol = st.xincp;
  const sinipCol = st.sinip;
  const cosipCol = st.cosip;
  const aycofCol = st.aycof;
  const xlcofCol = st.xlcof;
  const con41Col = st.con41;
  const x1mth2Col = st.x1mth2;
  const x7thm1Col = st.x7thm1;

  for (let k = 0; k < m; k++) {
    if (status[k] !== 0) continue;
    const mm = mmCol[k] as number;
    const argpm = argpmCol[k] as number;
    const nodem = nodemCol[k] as number;
    // ---- dpper: zf = zm + 2·ze·sin(zm), by angle addition (|2·ze| ≤ SMALL_ANGLE) ----
    let sinzm = sinzmsCol[k] as number;
    let coszm = coszmsCol[k] as number;
    sincosSmall(2.0 * ZES * sinzm);
    let sinzf = sinzm * (SINCOS[1] as number) + coszm * (SINCOS[0] as number);
    let coszf = coszm * (SINCOS[1] as number) - sinzm * (SINCOS[0] as number);
    let f2 = 0.5 * sinzf * sinzf - 0.25;
    let f3 = -0.5 * sinzf * coszf;
    const ses = se2 * f2 + se3 * f3;
    const sis = si2 * f2 + si3 * f3;
    const sls = sl2 * f2 + sl3 * f3 + sl4 * sinzf;
    const sghs = sgh2 * f2 + sgh3 * f3 + sgh4 * sinzf;
    const shs = sh2 * f2 + sh3 * f3;
    sinzm = sinzmlCol[k] as number;
    coszm = coszmlCol[k] as number;
    sincosSmall(2.0 * ZEL * sinzm);
    sinzf = sinzm * (SINCOS[1] as number) + coszm * (SINCOS[0] as number);
    coszf = coszm * (SINCOS[1] as number) - sinzm * (SINCOS[0] as number);
    f2 = 0.5 * sinzf * sinzf - 0.25;
    f3 = -0.5 * sinzf * coszf;
    const sel = ee2 * f2 + e3 * f3;
    const sil = xi2 * f2 + xi3 * f3;
    const sll = xl2 * f2 + xl3 * f3 + xl4 * sinzf;
    const sghl = xgh2 * f2 + xgh3 * f3 + xgh4 * sinzf;
    const shll = xh2 * f2 + xh3 * f3;
    const pe = ses + sel - peo;
    const pinc = sis + sil - pinco;
    const pl = sls + sll - plo;
    let pgh = sghs + sghl - pgho;
    let ph = shs + shll - pho;
    let xincp = (inclmCol[k] as number) + pinc;
    const ep = (emCol[k] as number) + pe;
    // xincp = inclo + (didt·t + pinc): angle addition on sin/cos(inclo) while that is small.
    const dincp = didt * (tCol[k] as number) + pinc;
    let sinip: number;
    let cosip: number;
    if (Math.abs(dincp) <= SMALL_ANGLE) {
      sincosSmall(dincp);
      sinip = sinio * (SINCOS[1] as number) + cosio * (SINCOS[0] as number);
      cosip = cosio * (SINCOS[1] as number) - sinio * (SINCOS[0] as number);
    } else {
      sinip = Math.sin(xincp);
      cosip = Math.cos(xincp);
    }
    let argpp: number;
    let nodep: number;
    let mp: number;
    if (xincp >= 0.2) {
      ph = ph / sinip;
      pgh = pgh - cosip * ph;
      argpp = argpm + pgh;
      nodep = nodem + ph;
      mp = mm + pl;
    } else {
      // Lyddane modification for low inclination
      sincos(nodem);
      const sinop = SINCOS[0] as number;
      const cosop = SINCOS[1] as number;
      const alfdp = sinip * sinop + (ph * cosop + pinc * cosip * sinop);
      const betdp = sinip * cosop + (-ph * sinop + pinc * cosip * cosop);
      nodep = fmod2pi(nodem);
      if (nodep < 0.0 && afspc) nodep = nodep + TWO_PI;
      const xls = mm + argpm + cosip * nodep + (pl + pgh - pinc * nodep * sinip);
      const xnoh = nodep;
      nodep = Math.atan2(alfdp, betdp);
      if (nodep < 0.0 && afspc) nodep = nodep + TWO_PI;
      if (Math.abs(xnoh - nodep) > Math.PI) {
        if (nodep < xnoh) nodep = nodep + TWO_PI;
        else nodep = nodep - TWO_PI;
      }
      mp = mm + pl;
      argpp = xls - mp - cosip * nodep;
    }
    if (xincp < 0.0) {
      xincp = -xincp;
      sinip = -sinip;
      nodep = nodep + Math.PI;
      argpp = argpp - Math.PI;
    }
    if (!(ep >= 0.0 && ep <= 1.0)) {
      fail(out, base + k, st, k, SGP4_ERROR_CODE.PERTURBED_ECCENTRICITY);
      continue;
    }

    // ---- inclination-dependent coefficients, per sample in deep space ----
    epCol[k] = ep;
    argppCol[k] = argpp;
    mpCol[k] = mp;
    nodepCol[k] = nodep;
    xincpCol[k] = xincp;
    sinipCol[k] = sinip;
    cosipCol[k] = cosip;
    aycofCol[k] = -0.5 * j3oj2 * sinip;
    const xlcofNum = -0.25 * j3oj2 * sinip * (3.0 + 5.0 * cosip);
    xlcofCol[k] = Math.abs(cosip + 1.0) > XLCOF_GUARD ? xlcofNum / (1.0 + cosip) : xlcofNum / XLCOF_GUARD;
    const cosisq = cosip * cosip;
    con41Col[k] = 3.0 * cosisq - 1.0;
    x1mth2Col[k] = 1.0 - cosisq;
    x7thm1Col[k] = 7.0 * cosisq - 1.0;
  }
}
