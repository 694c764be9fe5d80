/**
 * Public SGP4 entry points on top of the Vallado kernel (sgp4.ts): build a record from an
 * ElementSet, and propagate one record over many times into columnar arrays.
 *
 * Unit conversion follows Vallado's twoline2rv (SGP4.cpp, 2020-03-12): the ElementSet already holds
 * radians and the Kozai mean motion in rad/min (`no_kozai`); ndot and nddot are converted from the
 * TLE's rev/day² and rev/day³ with xpdotp = 1440 / 2π; the epoch handed to sgp4init is
 * `(jdsatepoch + jdsatepochF) - 2433281.5`, days since 1949-12-31 00:00 UT.
 */
import type { ElementSet } from '../elements/element-set.js';
import { AstroError } from '../errors.js';
import type { Sgp4Gravity } from './gravity.js';
import { OPSMODE_AFSPC, OPSMODE_IMPROVED, Satrec } from './satrec.js';
import { SGP4_EPOCH_ORIGIN_JD, sgp4, sgp4init } from './sgp4.js';

/** 'a': AFSPC compatibility mode; 'i': improved mode (Vallado's verification output uses 'i'). */
export type Sgp4Opsmode = 'a' | 'i';

export interface Sgp4Options {
  /** Gravity constants; default 'wgs72', the set TLEs are fitted with. */
  readonly gravity?: Sgp4Gravity;
  /** Operation mode; default 'i'. */
  readonly opsmode?: Sgp4Opsmode;
}

/** Vallado's xpdotp: rev/day → rad/min divisor, 1440 / 2π. */
const XPDOTP = 1440.0 / (2.0 * Math.PI);

/**
 * Initialises an SGP4 record from a mean element set (Vallado's sgp4init with twoline2rv's unit
 * conversions). Never throws: as in Vallado, sgp4init ends by evaluating tsince = 0, and the
 * record's `error` holds that evaluation's code (0 = ok). Vallado's driver stops a record whose
 * init failed; the record itself can still be called and reports a code on every call.
 */
export function sgp4Init(elements: ElementSet, options: Sgp4Options = {}): Satrec {
  const satrec = new Satrec();
  const whichconst = options.gravity ?? 'wgs72';
  const opsmode = (options.opsmode ?? 'i') === 'a' ? OPSMODE_AFSPC : OPSMODE_IMPROVED;
  satrec.jdsatepoch = elements.epoch.jd;
  satrec.jdsatepochF = elements.epoch.jdFrac;
  // ---- convert to sgp4 units (twoline2rv) ----
  const ndot = elements.meanMotionDotRevPerDay2 / (XPDOTP * 1440.0);
  const nddot = elements.meanMotionDdotRevPerDay3 / (XPDOTP * 1440.0 * 1440);
  sgp4init(
    whichconst,
    opsmode,
    satrec.jdsatepoch + satrec.jdsatepochF - SGP4_EPOCH_ORIGIN_JD,
    elements.bstar,
    ndot,
    nddot,
    elements.eccentricity,
    elements.argPerigeeRad,
    elements.inclinationRad,
    elements.meanAnomalyRad,
    elements.meanMotionRadPerMin,
    elements.raanRad,
    satrec,
  );
  return satrec;
}

/** Columnar SGP4 output: TEME position (km) and velocity (km/s) per sample, plus its error code. */
export interface Sgp4Ephemeris {
  /** Minutes since the element epoch of each sample. */
  readonly tsinceMin: Float64Array;
  readonly xKm: Float64Array;
  readonly yKm: Float64Array;
  readonly zKm: Float64Array;
  readonly vxKmPerS: Float64Array;
  readonly vyKmPerS: Float64Array;
  readonly vzKmPerS: Float64Array;
  /** SGP4 error code per sample (0 = ok); the six state columns are NaN where it is non-zero. */
  readonly error: Uint8Array;
}

/** Allocates an empty ephemeris of `n` samples. */
export function createSgp4Ephemeris(n: number): Sgp4Ephemeris {
  return {
    tsinceMin: new Float64Array(n),
    xKm: new Float64Array(n),
    yKm: new Float64Array(n),
    zKm: new Float64Array(n),
    vxKmPerS: new Float64Array(n),
    vyKmPerS: new Float64Array(n),
    vzKmPerS: new Float64Array(n),
    error: new Uint8Array(n),
  };
}

/**
 * Propagates one record to every `tsinceMin[i]` (minutes from epoch) and writes TEME r (km),
 * v (km/s) and the error code into columnar arrays. Pass `out` (at least as long as the input) to
 * reuse buffers; otherwise it is allocated. Every sample is evaluated, also after a failure:
 * each row carries its own code. Returns `out`.
 */
export function sgp4PropagateMany(
  satrec: Satrec,
  tsinceMin: ArrayLike<number>,
  out: Sgp4Ephemeris = createSgp4Ephemeris(tsinceMin.length),
): Sgp4Ephemeris {
  const n = tsinceMin.length;
  if (out.error.length < n) {
    // A programming error (wrong buffer), not an SGP4 failure: those are data, never thrown.
    throw new AstroError(
      'SGP4_OUTPUT_TOO_SHORT',
      `sgp4PropagateMany: output holds ${out.error.length} samples, need ${n}`,
      {
        expected: n,
        found: out.error.length,
      },
    );
  }
  const rv = new Float64Array(6);
  const { tsinceMin: tOut, xKm, yKm, zKm, vxKmPerS, vyKmPerS, vzKmPerS, error } = out;
  for (let i = 0; i < n; i++) {
    const t = tsinceMin[i] as number;
    const code = sgp4(satrec, t, rv);
    tOut[i] = t;
    xKm[i] = rv[0] as number;
    yKm[i] = rv[1] as number;
    zKm[i] = rv[2] as number;
    vxKmPerS[i] = rv[3] as number;
    vyKmPerS[i] = rv[4] as number;
    vzKmPerS[i] = rv[5] as number;
    error[i] = code;
  }
  return out;
}
