/**
 * The public SGP4 API around the Vallado kernel: failures as data (codes + NaN, never throws),
 * gravity models, opsmode, the columnar batch helper and the record's shape.
 * Numbers from the verification set are checked in sgp4-verification.test.ts; here the element
 * values are typed in from SGP4-VER.TLE (objects 00005 and 25954) to keep this file self-contained.
 */
import { describe, expect, it } from 'vitest';
import type { ElementSet } from '../src/elements/element-set.js';
import { AstroError } from '../src/errors.js';
import { SGP4_ERROR_CODE, SGP4_ERRORS } from '../src/sgp4/errors.js';
import { SGP4_GRAVITY } from '../src/sgp4/gravity.js';
import { createSgp4Ephemeris, sgp4Init, sgp4PropagateMany } from '../src/sgp4/propagate.js';
import { METHOD_DEEP_SPACE, METHOD_NEAR_EARTH, Satrec } from '../src/sgp4/satrec.js';
import { gstimeSgp4, sgp4 } from '../src/sgp4/sgp4.js';
import { DEG2RAD } from '../src/units/index.js';

/** 1 mm, as in the verification test. */
const POSITION_TOLERANCE_KM = 1e-6;
/** 1e-9 km/s, as in the verification test. */
const VELOCITY_TOLERANCE_KM_S = 1e-9;
const XPDOTP = 1440.0 / (2.0 * Math.PI);

/** SGP4-VER.TLE object 00005 (near earth), with the values python-sgp4's tests list for it. */
const SAT5: ElementSet = {
  catalogNumber: '5',
  classification: 'U',
  epoch: { jd: 2451722.5, jdFrac: 0.78495062 },
  meanMotionRadPerMin: 0.04722944544077857,
  eccentricity: 0.1859667,
  inclinationRad: 0.5980929187319208,
  raanRad: 6.08638547138321,
  argPerigeeRad: 5.790416027488515,
  meanAnomalyRad: 0.3373093125574321,
  bstar: 2.8098e-5,
  meanMotionDotRevPerDay2: 0.00000023,
  meanMotionDdotRevPerDay3: 0,
  ephemerisType: 0,
  elementSetNumber: 475,
  revolutionNumber: 41366,
};
/** tcppver.out, object 5 at tsince 0: r km, v km/s (TEME). */
const SAT5_T0 = [7022.46529266, -1400.08296755, 0.03995155, 1.893841015, 6.405893759, 4.53480725];

/** SGP4-VER.TLE object 25954 AMC-4: deep space, 24 h resonant, inclination 0.0004° (Lyddane branch). */
const AMC4: ElementSet = {
  catalogNumber: '25954',
  classification: 'U',
  epoch: { jd: 2453043.5, jdFrac: 0.68057285 },
  meanMotionRadPerMin: 1.00271289 / XPDOTP,
  eccentricity: 0.0001765,
  inclinationRad: 0.0004 * DEG2RAD,
  raanRad: 243.8136 * DEG2RAD,
  argPerigeeRad: 15.5294 * DEG2RAD,
  meanAnomalyRad: 22.7134 * DEG2RAD,
  bstar: 0,
  meanMotionDotRevPerDay2: -0.00000108,
  meanMotionDdotRevPerDay3: 0,
  ephemerisType: 0,
  elementSetNumber: 684,
  revolutionNumber: 1561,
};

function stateAt(elements: ElementSet, t: number, options = {}): Float64Array {
  const rv = new Float64Array(6);
  const code = sgp4(sgp4Init(elements, options), t, rv);
  expect(code).toBe(0);
  return rv;
}

describe('SGP4 error codes', () => {
  it('names every Vallado code 0..6 with a distinct string code', () => {
    expect(Object.values(SGP4_ERROR_CODE)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const names = Object.values(SGP4_ERRORS).map((e) => e.code);
    expect(new Set(names).size).toBe(7);
    expect(SGP4_ERRORS[SGP4_ERROR_CODE.DECAYED].code).toBe('SGP4_DECAYED');
  });
});

describe('sgp4Init and sgp4', () => {
  it('reproduces tcppver.out at epoch for a record built from an ElementSet', () => {
    const satrec = sgp4Init(SAT5);
    expect(satrec.error).toBe(0);
    expect(satrec.method).toBe(METHOD_NEAR_EARTH);
    const rv = stateAt(SAT5, 0);
    for (let j = 0; j < 6; j++) {
      const tol = j < 3 ? POSITION_TOLERANCE_KM : VELOCITY_TOLERANCE_KM_S;
      expect(Math.abs((rv[j] as number) - (SAT5_T0[j] as number))).toBeLessThanOrEqual(tol);
    }
  });

  it('reports failures as codes with NaN output, never by throwing', () => {
    const out = new Float64Array(6).fill(123);
    // Negative mean motion: the un-Kozai step yields NaN, which the NaN-safe test reports as code 2.
    const negative = sgp4Init({ ...SAT5, meanMotionRadPerMin: -0.01 });
    expect(negative.error).toBe(SGP4_ERROR_CODE.MEAN_MOTION);
    expect(sgp4(negative, 100, out)).toBe(SGP4_ERROR_CODE.MEAN_MOTION);
    expect(Array.from(out).every(Number.isNaN)).toBe(true);

    // Hyperbolic and NaN elements: some non-zero code, NaN state, no exception.
    for (const bad of [{ eccentricity: 1.2 }, { eccentricity: Number.NaN }, { inclinationRad: Number.NaN }]) {
      out.fill(123);
      const satrec = sgp4Init({ ...SAT5, ...bad });
      expect(satrec.error).not.toBe(0);
      expect(sgp4(satrec, 60, out)).not.toBe(0);
      expect(Array.from(out).every(Number.isNaN)).toBe(true);
    }

    // A NaN time on a good record.
    out.fill(123);
    expect(sgp4(sgp4Init(SAT5), Number.NaN, out)).not.toBe(0);
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
  });

  it('writes NaN for a decayed state (code 6), where Vallado would hand back the sub-surface state', () => {
    // 29141 SL-14 DEB from SGP4-VER.TLE decays at 440 min (see the verification test).
    const deb: ElementSet = {
      ...SAT5,
      catalogNumber: '29141',
      epoch: { jd: 2453905.5, jdFrac: 0.26783845 },
      meanMotionRadPerMin: 15.93343074 / XPDOTP,
      eccentricity: 0.0015848,
      inclinationRad: 82.4288 * DEG2RAD,
      raanRad: 273.4882 * DEG2RAD,
      argPerigeeRad: 277.2124 * DEG2RAD,
      meanAnomalyRad: 83.9133 * DEG2RAD,
      bstar: 0.13519,
    };
    const satrec = sgp4Init(deb);
    const out = new Float64Array(6);
    expect(sgp4(satrec, 420, out)).toBe(0);
    expect(sgp4(satrec, 440, out)).toBe(SGP4_ERROR_CODE.DECAYED);
    expect(satrec.error).toBe(SGP4_ERROR_CODE.DECAYED);
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
  });

  it('uses the three gravity models with Vallado constants', () => {
    expect(SGP4_GRAVITY.wgs72old.xke).toBe(0.0743669161);
    expect(SGP4_GRAVITY.wgs72.xke).toBeCloseTo(60 / Math.sqrt(6378.135 ** 3 / 398600.8), 15);
    expect(SGP4_GRAVITY.wgs84.radiusearthkm).toBe(6378.137);
    expect(SGP4_GRAVITY.wgs84.j2).toBe(0.00108262998905);
    expect(sgp4Init(SAT5).radiusearthkm).toBe(6378.135);
    expect(sgp4Init(SAT5, { gravity: 'wgs84' }).mus).toBe(398600.5);

    const r72 = stateAt(SAT5, 1440);
    const r84 = stateAt(SAT5, 1440, { gravity: 'wgs84' });
    const r72old = stateAt(SAT5, 1440, { gravity: 'wgs72old' });
    const d = (a: Float64Array, b: Float64Array) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
    // Different constants move a one-day prediction by metres to kilometres, not by nothing.
    expect(d(r72, r84)).toBeGreaterThan(1e-3);
    expect(d(r72, r84)).toBeLessThan(50);
    // wgs72old differs from wgs72 only in the 10th digit of xke.
    expect(d(r72, r72old)).toBeGreaterThan(0);
    expect(d(r72, r72old)).toBeLessThan(1e-2);
  });

  it("takes opsmode 'a' through the Lyddane branch of a low-inclination deep-space orbit", () => {
    // With the node at 0 the mean node turns negative as it regresses, which is where AFSPC mode
    // adds 2π inside dpper's Lyddane branch (inclination < 0.2 rad).
    const amc4Node0 = { ...AMC4, raanRad: 0 };
    const i = sgp4Init(amc4Node0, { opsmode: 'i' });
    const a = sgp4Init(amc4Node0, { opsmode: 'a' });
    expect(i.method).toBe(METHOD_DEEP_SPACE);
    expect(i.irez).toBe(1);
    const ri = new Float64Array(6);
    const ra = new Float64Array(6);
    for (let t = -1440; t <= 1440; t += 120) {
      expect(sgp4(i, t, ri)).toBe(0);
      expect(sgp4(a, t, ra)).toBe(0);
      const diff = Math.hypot(ri[0]! - ra[0]!, ri[1]! - ra[1]!, ri[2]! - ra[2]!);
      if (i.Om >= 0) {
        // Node in [0, 2π): both modes take the same path, bit for bit.
        expect(diff, `t=${t}`).toBe(0);
      } else {
        // Negative node: AFSPC mode adds 2π before dls = pl + pgh - pinc·nodep·sinip, which moves
        // the argument of perigee by 2π·pinc·sinip: metres at GEO, the documented mode difference.
        expect(diff, `t=${t}`).toBeGreaterThan(1e-4);
        expect(diff, `t=${t}`).toBeLessThan(0.1);
      }
    }
    expect(i.Om).toBeLessThan(0); // the last step did reach the negative-node case
  });

  it('computes GMST like Vallado example 3-5 (1992-08-20 12:14 UT1 → 152.578787886°)', () => {
    // JD 2448855.009722 in the book is rounded; 12:14:00 exactly is 734 / 1440 of a day.
    const gmstDeg = gstimeSgp4(2448854.5 + 734 / 1440) / DEG2RAD;
    expect(gmstDeg).toBeCloseTo(152.578787886, 6);
  });
});

describe('sgp4PropagateMany', () => {
  it('fills columns exactly like single calls, with a code per row', () => {
    const satrec = sgp4Init(SAT5);
    const times = [0, 360, 720, -1440, 4320];
    const eph = sgp4PropagateMany(satrec, times);
    const single = sgp4Init(SAT5);
    const rv = new Float64Array(6);
    times.forEach((t, k) => {
      expect(sgp4(single, t, rv)).toBe(eph.error[k]);
      expect([eph.xKm[k], eph.yKm[k], eph.zKm[k], eph.vxKmPerS[k], eph.vyKmPerS[k], eph.vzKmPerS[k]]).toEqual(
        Array.from(rv),
      );
      expect(eph.tsinceMin[k]).toBe(t);
    });
  });

  it('keeps evaluating after a failing row and reuses a caller buffer', () => {
    const deb = sgp4Init({ ...SAT5, meanMotionRadPerMin: -0.01 });
    const out = createSgp4Ephemeris(8);
    const eph = sgp4PropagateMany(deb, new Float64Array([0, 10]), out);
    expect(eph).toBe(out);
    expect(Array.from(eph.error.subarray(0, 2))).toEqual([2, 2]);
    expect(Number.isNaN(eph.xKm[1])).toBe(true);

    expect(() => sgp4PropagateMany(deb, [1, 2, 3], createSgp4Ephemeris(2))).toThrowError(AstroError);
    try {
      sgp4PropagateMany(deb, [1, 2, 3], createSgp4Ephemeris(2));
    } catch (e) {
      expect((e as AstroError).code).toBe('SGP4_OUTPUT_TOO_SHORT');
    }
  });
});

describe('Satrec', () => {
  it('is a numbers-only record with one shape, before and after initialisation', () => {
    const fresh = new Satrec();
    const near = sgp4Init(SAT5);
    const deep = sgp4Init(AMC4);
    for (const rec of [fresh, near, deep]) {
      expect(Object.values(rec).every((v) => typeof v === 'number')).toBe(true);
      expect(Object.keys(rec)).toEqual(Object.keys(fresh));
    }
  });
});
