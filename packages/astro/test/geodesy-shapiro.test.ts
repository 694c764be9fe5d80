/**
 * Shapiro range delay (IERS 2010 Eq. 11.17, Earth only) by value for LAGEOS-2 geometries, and the
 * nominal centre-of-mass corrections table.
 */
import { describe, expect, it } from 'vitest';
import {
  CENTER_OF_MASS_CORRECTIONS,
  centerOfMassCorrection,
  LAGEOS_COM_CORRECTION_KM,
} from '../src/geodesy/center-of-mass.js';
import { shapiroDelayKm, twoWayShapiroRangeKm } from '../src/geodesy/shapiro.js';
import type { Vec3 } from '../src/math/vec3.js';

const GM = 398600.4415;
/** Float64 evaluation of one closed formula: sub-nanometre agreement. */
const FORMULA_TOL_KM = 1e-12;

/** A station on the equator and LAGEOS-2 at r = 12,270 km seen at elevation `elDeg`. */
function geometry(elDeg: number): { station: Vec3; sat: Vec3 } {
  const re = 6378.137;
  const rs = 12270;
  const el = (elDeg * Math.PI) / 180;
  // Range from the station: law of cosines with the zenith angle 90° − el.
  const rho = -re * Math.sin(el) + Math.sqrt(rs * rs - re * re * Math.cos(el) ** 2);
  return { station: [re, 0, 0], sat: [re + rho * Math.sin(el), rho * Math.cos(el), 0] };
}

describe('Shapiro range delay', () => {
  it('is 5.8 mm at the zenith for LAGEOS-2, by hand', () => {
    const { station, sat } = geometry(90);
    // By hand: r1 = 6378.137, r2 = 12270, ρ = 5891.863 km, 2GM/c² = 8.8700 mm.
    const twoGmC2Mm = ((2 * GM) / 299792.458 ** 2) * 1e6;
    expect(twoGmC2Mm).toBeCloseTo(8.87, 2);
    const byHand = twoGmC2Mm * Math.log((6378.137 + 12270 + 5891.863) / (6378.137 + 12270 - 5891.863));
    const d = shapiroDelayKm(station, sat, GM) * 1e6;
    console.log(`LAGEOS-2 Shapiro delay at zenith ${d.toFixed(3)} mm (by hand ${byHand.toFixed(3)} mm)`);
    expect(Math.abs(d - byHand)).toBeLessThan(FORMULA_TOL_KM * 1e6);
    expect(d).toBeGreaterThan(5.7);
    expect(d).toBeLessThan(5.9);
  });

  it('grows towards the horizon and stays within a few mm to ~2 cm; two-way = mean of the legs', () => {
    let last = 0;
    for (const el of [90, 60, 40, 20, 10]) {
      const { station, sat } = geometry(el);
      const up = shapiroDelayKm(station, sat, GM);
      const down = shapiroDelayKm(sat, station, GM);
      expect(Math.abs(up - down)).toBeLessThan(FORMULA_TOL_KM); // symmetric
      const twoWay = twoWayShapiroRangeKm(station, sat, station, GM);
      expect(Math.abs(twoWay - up)).toBeLessThan(FORMULA_TOL_KM);
      console.log(`elevation ${el}°: ${(twoWay * 1e6).toFixed(3)} mm`);
      expect(twoWay).toBeGreaterThan(last);
      expect(twoWay * 1e6).toBeLessThan(20);
      last = twoWay;
    }
    // The station moves ~0.4 km during LAGEOS's ~40 ms round trip: the legs differ, the mean is kept.
    const { station, sat } = geometry(30);
    const moved: Vec3 = [station[0], station[1] + 0.02, station[2]];
    const tw = twoWayShapiroRangeKm(station, sat, moved, GM);
    const mean = 0.5 * (shapiroDelayKm(station, sat, GM) + shapiroDelayKm(sat, moved, GM));
    expect(tw).toBe(mean);
  });
});

describe('centre-of-mass corrections', () => {
  it('gives LAGEOS-2 0.251 m (the Orekit case) and looks satellites up by id or name', () => {
    expect(LAGEOS_COM_CORRECTION_KM * 1e3).toBeCloseTo(0.251, 12);
    expect(centerOfMassCorrection('9207002')?.correctionKm).toBe(LAGEOS_COM_CORRECTION_KM);
    expect(centerOfMassCorrection('lageos-1')?.correctionKm).toBe(LAGEOS_COM_CORRECTION_KM);
    expect(centerOfMassCorrection('LARES')?.correctionKm).toBeCloseTo(0.133e-3, 12);
    expect(centerOfMassCorrection('unknown')).toBeUndefined();
    for (const c of CENTER_OF_MASS_CORRECTIONS) {
      expect(c.source.length).toBeGreaterThan(10);
      // Every value is a sphere radius scale: between 5 cm and 1.1 m.
      expect(c.correctionKm).toBeGreaterThan(0.05e-3);
      expect(c.correctionKm).toBeLessThan(1.1e-3);
    }
  });
});
