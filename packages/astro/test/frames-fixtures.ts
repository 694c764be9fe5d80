/**
 * The worked example shared by the frames tests: Vallado et al., "Revisiting Spacetrack Report
 * #3", AIAA 2006-6753 (Rev 2), App. C, and Vallado, "Fundamentals of Astrodynamics and
 * Applications", 4th ed. (2013), Example 3-15: 2004-04-06 07:51:28.386009 UTC,
 * xp = −0.140682″, yp = 0.333309″, UT1−UTC = −0.4399619 s, LOD = 0.0015563 s, TAI−UTC = 32 s,
 * δΔψ = −0.052195″, δΔε = −0.003875″. Numbers are the published ones (a handful of vectors, so
 * they live here rather than in the shared data folder).
 */
import type { Vec3 } from '../src/math/vec3.js';
import type { FrameEpoch } from '../src/time/frame-epoch.js';
import { ARCSEC2RAD } from '../src/units/index.js';

/** UTC seconds of day of the example. */
const SOD_UTC = 7 * 3600 + 51 * 60 + 28.386009;

/** The example epoch, two-part JDs with the day fraction kept exact. */
export const VALLADO_EPOCH: FrameEpoch = {
  jdTt: 2453101.5,
  jdTtFrac: (SOD_UTC + 32 + 32.184) / 86400,
  jdUt1: 2453101.5,
  jdUt1Frac: (SOD_UTC - 0.4399619) / 86400,
  xpRad: -0.140682 * ARCSEC2RAD,
  ypRad: 0.333309 * ARCSEC2RAD,
  lodS: 0.0015563,
  dPsiRad: -0.052195 * ARCSEC2RAD,
  dEpsRad: -0.003875 * ARCSEC2RAD,
};

/**
 * The same epoch with UT1 formed as Vallado's reference program forms it, one double
 * `jday + dut1/86400`, which lands 14.7 µs away from the named instant (≈ 8.5 mm at this
 * satellite's distance from the pole). Used to show that the residual is that rounding.
 */
export const VALLADO_EPOCH_SINGLE_DOUBLE_UT1: FrameEpoch = {
  ...VALLADO_EPOCH,
  jdUt1: 2453101.5 + SOD_UTC / 86400 - 0.4399619 / 86400,
  jdUt1Frac: 0,
};

export interface RefVector {
  readonly r: Vec3;
  readonly v?: Vec3;
}

/** Published vectors (km, km/s). */
export const VALLADO = {
  /** AIAA 2006-6753 App. C. */
  TEME: { r: [5094.1801621, 6127.6446595, 6380.3445327], v: [-4.746131487, 0.785818041, 5.531931288] },
  /** AIAA 2006-6753 App. C and Example 3-15. */
  PEF: { r: [-1033.4750313, 7901.3055856, 6380.3445327], v: [-3.225632747, -2.872442511, 5.531931288] },
  /** Example 3-15 / AIAA 2006-6753 App. C. */
  ITRF: { r: [-1033.479383, 7901.2952754, 6380.3565958], v: [-3.22563652, -2.87245145, 5.531924446] },
  /**
   * TOD of the TEME → J2000 example (AIAA 2006-6753 Rev 2, App. C, as quoted by public test
   * suites, e.g. SatelliteToolbox.jl's MOD ↔ TOD test). Example 3-15 prints TOD (5094.5147804,
   * 6127.3664612, 6380.3445328), which is inconsistent with its own PEF and MOD by ~1.9 m; this
   * one is consistent with both (see frames-vallado.test.ts).
   */
  TOD: { r: [5094.516203, 6127.3652784, 6380.3445327] },
  /** Example 3-15, MOD with the δΔψ/δΔε corrections. */
  MOD: { r: [5094.0283745, 6127.8708164, 6380.2485164], v: [-4.746263052, 0.786014045, 5.531790562] },
  /** Example 3-15 / AIAA 2006-6753 App. C "J2000" = GCRF. */
  GCRF: { r: [5102.5089579, 6123.0114007, 6378.1369282], v: [-4.743220157, 0.790536497, 5.533755727] },
} as const satisfies Record<string, RefVector>;
