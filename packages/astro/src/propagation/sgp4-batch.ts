/**
 * Columnar batch SGP4: N records × M times into one Float64Array per coordinate plus a status
 * column, with no allocation per sample.
 *
 * Near-earth records run through a satellite-major kernel below that is algebraically identical to
 * Vallado's `sgp4` (sgp4/sgp4.ts, which it is tested against over whole catalogs) but rearranged for
 * speed. Deviations, each exact in real arithmetic and differing from the reference by rounding only
 * (measured: micrometres at +7 days, see the tests):
 * - per-record invariants are loaded once into locals and the time loop runs inside;
 * - `pow(xke/nm, 2/3)` and `xke/pow(am, 1.5)` use the record's constant Brouwer mean motion:
 *   am = (xke/n₀)^(2/3)·tempa² and nm = n₀/|tempa|³ (near-earth nm is n₀ before this step);
 * - sin/cos of the constant inclination are computed once per record;
 * - every sin/cos pair shares one argument reduction (fast-trig.ts), and fmod uses truncated
 *   division;
 * - sin/cos(su) come from the angle-difference formula on the normalised (sinu, cosu) instead of
 *   atan2 followed by sin/cos.
 * Deep-space records (period ≥ 225 min) call the reference `sgp4` per sample; they keep its
 * resonance-integrator state between calls, so satellite-major order is also the fast order there.
 *
 * Output frame TEME; positions km, velocities km/s; status is the SGP4 error code (0 = ok) and the
 * six state columns are NaN where it is not 0.
 */
import { SGP4_ERROR_CODE } from '../sgp4/errors.js';
import { METHOD_DEEP_SPACE, type Satrec } from '../sgp4/satrec.js';
import { sgp4 } from '../sgp4/sgp4.js';
import { fmod2pi, SINCOS, sincos } from './fast-trig.js';

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

/**
 * Propagates records[first..end) to the times `offsetMin[i] + gridMin[k]` (minutes since each
 * record's own epoch; pass `offsetMin = null` for a common grid relative to each epoch) and writes
 * sample (i, k) at index `outStart + (i − first)·M + k` of `out`, M = gridMin.length.
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
  for (let i = first; i < end; i++) {
    const rec = records[i] as Satrec;
    const offset = offsetMin === null ? 0 : (offsetMin[i] as number);
    const base = outStart + (i - first) * m;
    if (rec.method === METHOD_DEEP_SPACE) deepSpaceRun(rec, offset, gridMin, out, base);
    else nearEarthRun(rec, offset, gridMin, out, base);
  }
}

const rv = new Float64Array(6);

function deepSpaceRun(rec: Satrec, offset: number, grid: Float64Array, out: StateBatch, base: number): void {
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

function writeFailure(out: StateBatch, j: number, code: number): void {
  out.x[j] = Number.NaN;
  out.y[j] = Number.NaN;
  out.z[j] = Number.NaN;
  out.vx[j] = Number.NaN;
  out.vy[j] = Number.NaN;
  out.vz[j] = Number.NaN;
  out.status[j] = code;
}

/** The near-earth SGP4 kernel over one record and many times (see the module header). */
function nearEarthRun(rec: Satrec, offset: number, grid: Float64Array, out: StateBatch, base: number): void {
  const { x, y, z, vx, vy, vz, status } = out;
  // ---- per-record invariants ----
  const radiusearthkm = rec.radiusearthkm;
  const xke = rec.xke;
  const vkmpersec = (radiusearthkm * xke) / 60.0;
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
  const j2 = rec.j2;
  const con41 = rec.con41;
  const x1mth2 = rec.x1mth2;
  const x7thm1 = rec.x7thm1;
  // am = (xke/n0)^(2/3)·tempa², nm = xke/am^1.5 = n0/|tempa|³.
  const amBase = (xke / noUnkozai) ** (2.0 / 3.0);
  const meanMotionOk = noUnkozai > 0.0;
  const sinio = Math.sin(inclo);
  const cosio = Math.cos(inclo);

  for (let k = 0; k < grid.length; k++) {
    const j = base + k;
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
      const delmtemp = 1.0 + eta * (SINCOS[1] as number);
      const delm = xmcof * (delmtemp * delmtemp * delmtemp - delmo);
      const temp = delomg + delm;
      mm = xmdf + temp;
      argpm = argpdf - temp;
      const t3 = t2 * t;
      const t4 = t3 * t;
      tempa = tempa - d2 * t2 - d3 * t3 - d4 * t4;
      sincos(mm);
      tempe = tempe + bstarCc5 * ((SINCOS[0] as number) - sinmao);
      templ = templ + t3cof * t3 + t4 * (t4cof + t * t5cof);
    }
    if (!meanMotionOk) {
      writeFailure(out, j, SGP4_ERROR_CODE.MEAN_MOTION);
      continue;
    }
    const tempa2 = tempa * tempa;
    const am = amBase * tempa2;
    const nm = noUnkozai / (tempa2 * Math.abs(tempa));
    let em = ecco - tempe;
    if (!(em < 1.0) || em < -0.001) {
      writeFailure(out, j, SGP4_ERROR_CODE.MEAN_ELEMENTS);
      continue;
    }
    if (em < 1.0e-6) em = 1.0e-6;
    mm = mm + noUnkozai * templ;
    let xlm = mm + argpm + nodem;
    nodem = fmod2pi(nodem);
    argpm = fmod2pi(argpm);
    xlm = fmod2pi(xlm);
    mm = fmod2pi(xlm - argpm - nodem);

    // ---- long period periodics ----
    const ep = em;
    sincos(argpm);
    const axnl = ep * (SINCOS[1] as number);
    let temp = 1.0 / (am * (1.0 - ep * ep));
    const aynl = ep * (SINCOS[0] as number) + temp * aycof;
    const xl = mm + argpm + nodem + temp * xlcof * axnl;

    // ---- Kepler's equation ----
    const u = fmod2pi(xl - nodem);
    let eo1 = u;
    let tem5 = 9999.9;
    let ktr = 1;
    let sineo1 = 0.0;
    let coseo1 = 0.0;
    while (Math.abs(tem5) >= 1.0e-12 && ktr <= 10) {
      sincos(eo1);
      sineo1 = SINCOS[0] as number;
      coseo1 = SINCOS[1] as number;
      tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
      tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
      if (Math.abs(tem5) >= 0.95) tem5 = tem5 > 0.0 ? 0.95 : -0.95;
      eo1 = eo1 + tem5;
      ktr = ktr + 1;
    }

    // ---- short period preliminary quantities ----
    const ecose = axnl * coseo1 + aynl * sineo1;
    const esine = axnl * sineo1 - aynl * coseo1;
    const el2 = axnl * axnl + aynl * aynl;
    const pl = am * (1.0 - el2);
    if (!(pl >= 0.0)) {
      writeFailure(out, j, SGP4_ERROR_CODE.SEMI_LATUS_RECTUM);
      continue;
    }
    const rl = am * (1.0 - ecose);
    const rdotl = (Math.sqrt(am) * esine) / rl;
    const rvdotl = Math.sqrt(pl) / rl;
    const betal = Math.sqrt(1.0 - el2);
    temp = esine / (1.0 + betal);
    const sinu = (am / rl) * (sineo1 - aynl - axnl * temp);
    const cosu = (am / rl) * (coseo1 - axnl + aynl * temp);
    const sin2u = (cosu + cosu) * sinu;
    const cos2u = 1.0 - 2.0 * sinu * sinu;
    temp = 1.0 / pl;
    const temp1 = 0.5 * j2 * temp;
    const temp2 = temp1 * temp;

    // ---- short period periodics ----
    const mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u;
    // su = atan2(sinu, cosu) − dsu, so sin/cos(su) follow from the normalised (sinu, cosu).
    const dsu = 0.25 * temp2 * x7thm1 * sin2u;
    const xnode = nodem + 1.5 * temp2 * cosio * sin2u;
    const xinc = inclo + 1.5 * temp2 * cosio * sinio * cos2u;
    const mvt = rdotl - (nm * temp1 * x1mth2 * sin2u) / xke;
    const rvdot = rvdotl + (nm * temp1 * (x1mth2 * cos2u + 1.5 * con41)) / xke;

    if (!(mrt >= 1.0)) {
      writeFailure(out, j, SGP4_ERROR_CODE.DECAYED);
      continue;
    }

    // ---- orientation vectors ----
    const invNorm = 1.0 / Math.sqrt(sinu * sinu + cosu * cosu);
    const s0 = sinu * invNorm;
    const c0 = cosu * invNorm;
    sincos(dsu);
    const sind = SINCOS[0] as number;
    const cosd = SINCOS[1] as number;
    const sinsu = s0 * cosd - c0 * sind;
    const cossu = c0 * cosd + s0 * sind;
    sincos(xnode);
    const snod = SINCOS[0] as number;
    const cnod = SINCOS[1] as number;
    sincos(xinc);
    const sini = SINCOS[0] as number;
    const cosi = SINCOS[1] as number;
    const xmx = -snod * cosi;
    const xmy = cnod * cosi;
    const ux = xmx * sinsu + cnod * cossu;
    const uy = xmy * sinsu + snod * cossu;
    const uz = sini * sinsu;
    const wx = xmx * cossu - cnod * sinsu;
    const wy = xmy * cossu - snod * sinsu;
    const wz = sini * cossu;

    const rScale = mrt * radiusearthkm;
    x[j] = rScale * ux;
    y[j] = rScale * uy;
    z[j] = rScale * uz;
    vx[j] = (mvt * ux + rvdot * wx) * vkmpersec;
    vy[j] = (mvt * uy + rvdot * wy) * vkmpersec;
    vz[j] = (mvt * uz + rvdot * wz) * vkmpersec;
    status[j] = 0;
  }
}
