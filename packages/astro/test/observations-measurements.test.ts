/**
 * Measurement models (observations/measurement-model.ts) against independent checks: the
 * light-time equations of each leg hold; a target straight overhead is at 90° elevation; range rate
 * equals the numerical derivative of the modelled range; partials equal finite differences;
 * Mendes–Pavlis reproduces the IERS test cases; station motion follows velocity and eccentricity.
 */
import { describe, expect, it } from 'vitest';
import { frameEpochAt } from '../src/context/index.js';
import { transform } from '../src/frames/frame-graph.js';
import { geodeticToItrfArray } from '../src/frames/geodetic.js';
import type { Vec3 } from '../src/math/vec3.js';
import { ANALYTIC_EPHEMERIS } from '../src/numerical/ephemeris.js';
import {
  bennettRefractionRad,
  earthVelocityKmS,
  fculMapping,
  type GroundStation,
  type MeasurementKind,
  mendesPavlisZenithDelayM,
  opticalRefractionRad,
  predictMeasurement,
  radioRangeDelayKm,
  StationFrameCache,
  standardMeteo,
  stationFrameAt,
  stationItrfAt,
  type TargetEphemeris,
} from '../src/observations/index.js';
import { SPEED_OF_LIGHT_KM_S } from '../src/units/index.js';
import { ctx, itrfFixedTarget, keplerTarget, linearTarget, utc } from './observations-support.js';
import { codeOf } from './test-support.js';

const DEG = Math.PI / 180;
/** The light-time equation must hold to 1 mm (the brief's requirement; the solver stops at 0.01 mm). */
const ONE_MM_KM = 1e-6;
/** Elevation of an overhead point without light time: rounding only. */
const OVERHEAD_RAD = 1e-9;
/** Range rate vs a central difference of the range (h = 0.01 s): truncation ≲ 1e-8 km/s near culmination; 0.1 mm/s. */
const RANGE_RATE_KM_S = 1e-7;

const LAT = 35.7 * DEG;
const LON = 139.5 * DEG;
const station: GroundStation = { name: 'TEST', itrfKm: geodeticToItrfArray(LAT, LON, 0.1, [0, 0, 0]) };
const t0 = utc('2024-03-20T12:00:00');

/** A LEO orbit that passes near the zenith of the station at t0 (600 km, inclined 50°). */
function overheadLeo(): TargetEphemeris {
  const sf = stationFrameAt(station, t0, ctx);
  const n = Math.hypot(...sf.rKm);
  const up: Vec3 = [sf.rKm[0] / n, sf.rKm[1] / n, sf.rKm[2] / n];
  const a = 6978;
  // Velocity: a direction perpendicular to `up`, tilted out of the equator.
  const east: Vec3 = [-up[1], up[0], 0];
  const en = Math.hypot(...east);
  const north: Vec3 = [
    up[1] * east[2] - up[2] * east[1],
    up[2] * east[0] - up[0] * east[2],
    up[0] * east[1] - up[1] * east[0],
  ];
  const nn = Math.hypot(...north);
  const s = Math.sqrt(398600.4418 / a);
  const v: Vec3 = [0, 1, 2].map((k) => s * (0.8 * (east[k]! / en) + 0.6 * (north[k]! / nn))) as Vec3;
  // Put the target 5° of arc before the zenith point so that the geometry is general.
  const r: Vec3 = [0, 1, 2].map((k) => a * up[k]!) as Vec3;
  return keplerTarget(r, v, t0.plusSeconds(60));
}

describe('light time', () => {
  const target = overheadLeo();
  it('solves the down leg of a one-way range to 1 mm', () => {
    const p = predictMeasurement('range', station, target, t0, { ctx, path: 'one-way' });
    const sf = stationFrameAt(station, t0, ctx);
    const x = target(p.targetEpoch);
    const rho = Math.hypot(x.rKm[0] - sf.rKm[0], x.rKm[1] - sf.rKm[1], x.rKm[2] - sf.rKm[2]);
    expect(Math.abs(rho - SPEED_OF_LIGHT_KM_S * p.lightTimeS)).toBeLessThan(ONE_MM_KM);
    expect(Math.abs(p.values[0]! - rho)).toBeLessThan(ONE_MM_KM);
    expect(t0.secondsSince(p.targetEpoch)).toBeCloseTo(p.lightTimeS, 12);
  });

  it('solves both legs of a two-way range with the station moved to each leg time', () => {
    for (const timeTag of ['receive', 'transmit'] as const) {
      const p = predictMeasurement('range', station, target, t0, { ctx, timeTag });
      const x = target(p.targetEpoch);
      const sign = timeTag === 'receive' ? -1 : 1;
      const sf1 = stationFrameAt(station, t0, ctx);
      const rho1 = Math.hypot(x.rKm[0] - sf1.rKm[0], x.rKm[1] - sf1.rKm[1], x.rKm[2] - sf1.rKm[2]);
      const tau1 = rho1 / SPEED_OF_LIGHT_KM_S;
      expect(Math.abs(p.targetEpoch.secondsSince(t0) - sign * tau1) * SPEED_OF_LIGHT_KM_S).toBeLessThan(
        ONE_MM_KM,
      );
      const tau2 = p.lightTimeS - tau1;
      const sf2 = stationFrameAt(station, p.targetEpoch.plusSeconds(sign * tau2), ctx);
      const rho2 = Math.hypot(x.rKm[0] - sf2.rKm[0], x.rKm[1] - sf2.rKm[1], x.rKm[2] - sf2.rKm[2]);
      expect(Math.abs(rho2 - SPEED_OF_LIGHT_KM_S * tau2)).toBeLessThan(ONE_MM_KM);
      expect(Math.abs(p.values[0]! - (rho1 + rho2) / 2)).toBeLessThan(ONE_MM_KM);
      // The station moves ~0.4 m/ms·… : the legs differ by more than a millimetre.
      expect(Math.abs(rho1 - rho2)).toBeGreaterThan(1e-5);
    }
  });
});

describe('azimuth and elevation', () => {
  it('puts a point on the geodetic normal at 90° elevation', () => {
    const up = itrfFixedTarget(geodeticToItrfArray(LAT, LON, 1000, [0, 0, 0]));
    const p = predictMeasurement('azimuth-elevation', station, up, t0, { ctx, lightTime: false });
    expect(Math.abs(p.values[1]! - Math.PI / 2)).toBeLessThan(OVERHEAD_RAD);
    // With light time the Earth turns by ω·τ (≈ 3.3 ms): still within 1″ of the zenith.
    const q = predictMeasurement('azimuth-elevation', station, up, t0, { ctx });
    expect(Math.PI / 2 - q.values[1]!).toBeLessThan(1 / 206265);
  });

  it('gives azimuth 0 for a point due north and 90° for a point due east', () => {
    const north = itrfFixedTarget(geodeticToItrfArray(LAT + 2 * DEG, LON, 500, [0, 0, 0]));
    const east = itrfFixedTarget(geodeticToItrfArray(LAT, LON + 2 * DEG, 500, [0, 0, 0]));
    const az = (tg: TargetEphemeris): number =>
      predictMeasurement('azimuth-elevation', station, tg, t0, { ctx, lightTime: false }).values[0]!;
    const n = az(north);
    expect(Math.min(n, 2 * Math.PI - n)).toBeLessThan(1e-9);
    // Due east on the same latitude bends slightly north along the great circle: within 1°.
    expect(Math.abs(az(east) - Math.PI / 2)).toBeLessThan(1 * DEG);
  });

  it('adds the optical refraction to the elevation on request (≈ 34′ at the horizon, 0′ at zenith)', () => {
    const m = standardMeteo(0);
    expect(opticalRefractionRad(0, m) / DEG).toBeGreaterThan(0.45);
    expect(opticalRefractionRad(0, m) / DEG).toBeLessThan(0.6);
    expect(opticalRefractionRad(Math.PI / 2, m)).toBeLessThan(1e-6);
    // Bennett (apparent → true) inverts Sæmundsson (true → apparent) to 0.1′ above 5°.
    for (const h of [5, 10, 20, 45]) {
      const trueEl = h * DEG;
      const apparent = trueEl + opticalRefractionRad(trueEl, m);
      expect(Math.abs(apparent - bennettRefractionRad(apparent, m) - trueEl)).toBeLessThan((0.1 / 60) * DEG);
    }
  });
});

describe('right ascension and declination', () => {
  it('relative to catalogue stars: moves by −β⊥, the annual aberration angle |u × v_E|/c (≤ 20.5″), when asked', () => {
    const target = overheadLeo();
    const a = predictMeasurement('right-ascension-declination', station, target, t0, { ctx });
    const b = predictMeasurement('right-ascension-declination', station, target, t0, {
      ctx,
      aberration: true,
    });
    const dir = (v: number[]): number[] => [
      Math.cos(v[1]!) * Math.cos(v[0]!),
      Math.cos(v[1]!) * Math.sin(v[0]!),
      Math.sin(v[1]!),
    ];
    const u = dir(a.values);
    const w = dir(b.values);
    const shift = Math.acos(Math.min(1, u[0]! * w[0]! + u[1]! * w[1]! + u[2]! * w[2]!));
    const ve = earthVelocityKmS(t0, ANALYTIC_EPHEMERIS);
    const cr = [u[1]! * ve[2] - u[2]! * ve[1], u[2]! * ve[0] - u[0]! * ve[2], u[0]! * ve[1] - u[1]! * ve[0]];
    const expected = Math.hypot(cr[0]!, cr[1]!, cr[2]!) / SPEED_OF_LIGHT_KM_S;
    // First-order formula: agreement to second order, (v/c)² ≈ 1e-8 rad, well under 0.01″.
    expect(Math.abs(shift - expected)).toBeLessThan(5e-8);
    expect(shift).toBeLessThan((20.6 / 3600) * DEG);
    expect(shift).toBeGreaterThan(0);
    // Direction, independently: a star in direction u is seen at u + β⊥ (β = v_E/c, β⊥ its part
    // across u); the satellite moves with the Earth and is not, so against the stars it is at
    // u − β⊥. The model's displacement w − u must be −β⊥ to second order.
    const beta = ve.map((x) => x / SPEED_OF_LIGHT_KM_S);
    const ub = u[0]! * beta[0]! + u[1]! * beta[1]! + u[2]! * beta[2]!;
    const betaPerp = beta.map((x, k) => x - ub * u[k]!);
    const miss = Math.hypot(...[0, 1, 2].map((k) => w[k]! - u[k]! + betaPerp[k]!));
    expect(miss).toBeLessThan(5e-8);
    const along = [0, 1, 2].reduce((acc, k) => acc + (w[k]! - u[k]!) * betaPerp[k]!, 0);
    expect(along).toBeLessThan(0);
  });
});

describe('range rate', () => {
  const target = overheadLeo();
  it('equals the numerical derivative of the modelled range (one- and two-way, both time tags)', () => {
    const h = 0.01;
    for (const path of ['one-way', 'two-way'] as const) {
      for (const timeTag of ['receive', 'transmit'] as const) {
        for (const dt of [-200, 0, 150]) {
          const t = t0.plusSeconds(dt);
          const o = { ctx, path, timeTag };
          const rp = predictMeasurement('range', station, target, t.plusSeconds(h), o).values[0]!;
          const rm = predictMeasurement('range', station, target, t.plusSeconds(-h), o).values[0]!;
          const rr = predictMeasurement('range-rate', station, target, t, o).values[0]!;
          expect(Math.abs(rr - (rp - rm) / (2 * h))).toBeLessThan(RANGE_RATE_KM_S);
        }
      }
    }
  });
});

describe('partials', () => {
  // Straight-line motion: perturbing the state at the target time is a clean operation.
  const r0 = [-3900, 3300, 4200];
  const v0 = [1.5, -6.5, 2.5];
  /** Partials are geometric (light-time coupling ~v/c neglected): agreement to 1e-4 relative. */
  const REL = 1e-4;
  for (const kind of [
    'range',
    'range-rate',
    'azimuth-elevation',
    'right-ascension-declination',
    'position',
  ] as const) {
    it(`of ${kind} match central differences`, () => {
      const base = linearTarget(r0, v0, t0);
      const p = predictMeasurement(kind as MeasurementKind, station, base, t0, { ctx });
      const tb = p.targetEpoch;
      const x = base(tb);
      for (let j = 0; j < 6; j++) {
        const h = j < 3 ? 1e-3 : 1e-6;
        const shifted = (s: number): number[] => {
          const r = [...x.rKm];
          const v = [...x.vKmS];
          if (j < 3) r[j]! += s * h;
          else v[j - 3]! += s * h;
          return predictMeasurement(kind as MeasurementKind, station, linearTarget(r, v, tb), t0, { ctx })
            .values;
        };
        const a = shifted(1);
        const b = shifted(-1);
        for (let i = 0; i < p.values.length; i++) {
          let d = a[i]! - b[i]!;
          if (kind === 'azimuth-elevation' || kind === 'right-ascension-declination') {
            if (i === 0) d = Math.atan2(Math.sin(d), Math.cos(d));
          }
          const fd = d / (2 * h);
          const an = p.partials[i]![j]!;
          const scale = Math.max(...p.partials[i]!.map(Math.abs));
          expect(Math.abs(fd - an)).toBeLessThan(REL * scale + 1e-12);
        }
      }
    });
  }
});

describe('troposphere', () => {
  it('Mendes–Pavlis zenith delay is about 2.4 m at sea level with standard meteo at 532 nm', () => {
    const m = standardMeteo(0);
    const e = 0; // dry: the wet part is millimetres at optical wavelengths
    const [dh, dnh] = mendesPavlisZenithDelayM(45 * DEG, 0, m.pressureHpa, e, 0.532);
    expect(dh + dnh).toBeGreaterThan(2.4);
    expect(dh + dnh).toBeLessThan(2.5);
  });

  it('reproduces the IERS FCUL_ZD_HPA and FCUL_A test cases', () => {
    // FCUL_ZD_HPA prolog: McDonald Observatory, 798.4188 hPa, e = 14.322 hPa, 532 nm. The
    // printed outputs correspond to a height of 2003.344 m, not the 2010.344 m printed as input
    // (a known typo of the IERS prolog; the difference is 3.8 µm).
    /** The printed values to 19 digits; double arithmetic in another order: 1 nm. */
    const NM = 1e-9;
    const [dh, dnh] = mendesPavlisZenithDelayM(30.67166667 * DEG, 2003.344, 798.4188, 14.322, 0.532);
    expect(Math.abs(dh - Number('1.932992176591644462'))).toBeLessThan(NM);
    expect(Math.abs(dnh - Number('0.2233748255158703871e-2'))).toBeLessThan(NM);
    expect(Math.abs(dh + dnh - Number('1.935225924846803114'))).toBeLessThan(NM);
    // FCUL_A prolog: 30.67166667°, 2075 m, 300.15 K, 15° elevation → 3.800243667312344087.
    expect(
      Math.abs(fculMapping(15 * DEG, 30.67166667 * DEG, 2075, 300.15) - Number('3.800243667312344087')),
    ).toBeLessThan(1e-12);
  });

  it('applies the radio delay to radar ranges (≈ 2.3–2.6 m at zenith, growing as 1/sin E)', () => {
    const m = standardMeteo(0);
    const z = radioRangeDelayKm(Math.PI / 2, 45 * DEG, 0, m) * 1000;
    expect(z).toBeGreaterThan(2.3);
    expect(z).toBeLessThan(2.7);
    const low = radioRangeDelayKm(10 * DEG, 45 * DEG, 0, m) * 1000;
    expect(low / z).toBeGreaterThan(5);
    expect(low / z).toBeLessThan(6);
    const target = overheadLeo();
    const a = predictMeasurement('range', station, target, t0, { ctx });
    const b = predictMeasurement('range', station, target, t0, { ctx, troposphere: 'radio' });
    expect((b.values[0]! - a.values[0]!) * 1000).toBeGreaterThan(2.2);
    expect(b.troposphere).toBeCloseTo(b.values[0]! - a.values[0]!, 12);
  });
});

describe('positions', () => {
  it('are the target position in GCRF, EME2000 or ITRF, with the rotation as partials', () => {
    const target = overheadLeo();
    const x = target(t0);
    const itrf = transform(x, 'ITRF', frameEpochAt(t0, ctx));
    const p = predictMeasurement('position', station, target, t0, { ctx, frame: 'ITRF' });
    for (let k = 0; k < 3; k++) expect(Math.abs(p.values[k]! - itrf.rKm[k]!)).toBeLessThan(1e-9);
    const g = predictMeasurement('position', station, target, t0, { ctx });
    for (let k = 0; k < 3; k++) expect(g.values[k]).toBe(x.rKm[k]);
    // Partials: ∂(R·r)/∂r = R, so R·r reproduces the values.
    for (let i = 0; i < 3; i++) {
      const row = p.partials[i]!;
      expect(
        Math.abs(row[0]! * x.rKm[0] + row[1]! * x.rKm[1] + row[2]! * x.rKm[2] - p.values[i]!),
      ).toBeLessThan(1e-9);
    }
    expect(
      codeOf(() =>
        predictMeasurement('right-ascension-declination', station, target, t0, { ctx, frame: 'ITRF' }),
      ),
    ).toBe('FRAME_UNSUPPORTED');
  });
});

describe('station frame cache (for scans)', () => {
  it('stays within 1 m and 1e-7 rad of the exact station frame between its knots', () => {
    const cache = new StationFrameCache(station, ctx);
    for (let dt = -1000; dt <= 4000; dt += 37) {
      const t = t0.plusSeconds(dt);
      const a = cache.at(t);
      const b = stationFrameAt(station, t, ctx);
      expect(Math.hypot(a.rKm[0] - b.rKm[0], a.rKm[1] - b.rKm[1], a.rKm[2] - b.rKm[2])).toBeLessThan(1e-3);
      expect(Math.hypot(a.vKmS[0] - b.vKmS[0], a.vKmS[1] - b.vKmS[1], a.vKmS[2] - b.vKmS[2])).toBeLessThan(
        1e-6,
      );
      for (let k = 0; k < 9; k++) expect(Math.abs(a.enuFromGcrf[k]! - b.enuFromGcrf[k]!)).toBeLessThan(1e-7);
    }
  });
});

describe('station position', () => {
  it('moves with the plate velocity and carries the eccentricity (up, north, east)', () => {
    const ref = utc('2020-01-01T00:00:00');
    const s: GroundStation = {
      name: 'ECC',
      itrfKm: station.itrfKm,
      velocityKmPerYear: [-0.03e-3, 0.01e-3, 0.02e-3],
      referenceEpoch: ref,
      eccentricityUneKm: [0.002, 0, 0],
    };
    const later = ref.plusSeconds(2 * 365.25 * 86400);
    const p = stationItrfAt(s, later);
    const moved = [0, 1, 2].map((k) => station.itrfKm[k]! + 2 * s.velocityKmPerYear![k]!);
    // An up eccentricity of 2 m raises the geodetic height by 2 m.
    const up = geodeticToItrfArray(LAT, LON, 0.102, [0, 0, 0]);
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(p[k]! - (moved[k]! + up[k]! - station.itrfKm[k]!))).toBeLessThan(1e-9);
    }
  });
});
