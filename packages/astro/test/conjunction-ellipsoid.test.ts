/**
 * Ellipsoid screening finds an encounter whose relative path enters the RTN ellipsoid away from
 * the sphere's TCA. Constructed: two ISS-like orbits 0.05 rad apart in inclination with slightly
 * different eccentricities meet near the node, their relative velocity mostly cross-track with a
 * radial part. From the sphere's TCA miss vector m and the SGP4 relative position p a few seconds
 * before or after (where one RTN component of the miss passes zero), an ellipsoid is built with
 * that axis shorter than |m_k| (so m lies outside) and the others wide enough that p lies inside.
 * A screener that tests the ellipsoid at TCA only drops the event.
 */
import { describe, expect, it } from 'vitest';
import { screenCatalog } from '../src/conjunction/screen-catalog.js';
import type { ElementSet } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import { localOrbitalMatrix } from '../src/frames/local-orbital.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { sgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';

type Axes = { radialKm: number; inTrackKm: number; crossTrackKm: number };

/** RTN relative position (secondary − primary) at t s from `start`, and the relative velocity. */
function relativeRtn(
  a: ElementSet,
  b: ElementSet,
  start: { jd: number; jdFrac: number },
  t: number,
): { r: number[]; v: number[] } {
  const st = (e: ElementSet) => {
    const out = new Float64Array(6);
    const min = (start.jd - e.epoch.jd + (start.jdFrac - e.epoch.jdFrac)) * 1440 + t / 60;
    if (sgp4(sgp4Init(e), min, out) !== 0) throw new Error('SGP4 failed');
    return out;
  };
  const p = st(a);
  const q = st(b);
  const m = localOrbitalMatrix(
    'RTN',
    [p[0]!, p[1]!, p[2]!],
    [p[3]!, p[4]!, p[5]!],
    [0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
  const rot = (d: number[]) =>
    [0, 1, 2].map((k) => m[3 * k]! * d[0]! + m[3 * k + 1]! * d[1]! + m[3 * k + 2]! * d[2]!);
  return {
    r: rot([q[0]! - p[0]!, q[1]! - p[1]!, q[2]! - p[2]!]),
    v: rot([q[3]! - p[3]!, q[4]! - p[4]!, q[5]! - p[5]!]),
  };
}

function metric(r: readonly number[], e: Axes): number {
  return (r[0]! / e.radialKm) ** 2 + (r[1]! / e.inTrackKm) ** 2 + (r[2]! / e.crossTrackKm) ** 2;
}

describe('ellipsoid screening', () => {
  it('finds an encounter that enters the ellipsoid away from the sphere TCA', () => {
    const parsed = parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'));
    if (!parsed.ok) throw new Error('catalog did not parse');
    const iss = parsed.value.records.map((r) => r.elements).find((e) => e.catalogNumber === '25544')!;
    // Perigee at the northernmost point: at the ascending node the radii agree while the radial
    // velocities differ by n·a·Δe (about 38 m/s); the mean anomaly of B keeps the true anomalies equal.
    const de = 0.005;
    const a: ElementSet = {
      ...iss,
      catalogNumber: '90001',
      name: 'A',
      argPerigeeRad: Math.PI / 2,
      meanAnomalyRad: (3 * Math.PI) / 2,
    };
    const b: ElementSet = {
      ...a,
      catalogNumber: '90002',
      name: 'B',
      inclinationRad: a.inclinationRad + 0.05,
      eccentricity: a.eccentricity + de,
      meanAnomalyRad: a.meanAnomalyRad + 2 * de,
    };
    const start = { jd: a.epoch.jd, jdFrac: a.epoch.jdFrac - 0.01 };
    const days = 0.03;
    const sphere = screenCatalog([a, b], {
      start,
      durationDays: days,
      thresholdKm: 50,
      maxElementAgeDays: 1,
    });
    expect(sphere.conjunctions).toHaveLength(1);
    const c = sphere.conjunctions[0]!;
    const m = [c.missRtnKm.radial, c.missRtnKm.inTrack, c.missRtnKm.crossTrack];
    const u = relativeRtn(a, b, start, c.tcaSecondsFromStart).v;
    // The axis whose miss component passes zero soonest relative to its size.
    let k = 0;
    for (let j = 1; j < 3; j++) if (Math.abs(m[j]! * u[j]!) > Math.abs(m[k]! * u[k]!)) k = j;
    const tau = -m[k]! / u[k]!;
    const p = relativeRtn(a, b, start, c.tcaSecondsFromStart + tau).r;
    const axes = [0, 1, 2].map((j) =>
      j === k ? Math.abs(m[k]!) / 1.1 : 2 * (Math.abs(m[j]!) + Math.abs(p[j]!)) + 0.01,
    );
    const ell: Axes = { radialKm: axes[0]!, inTrackKm: axes[1]!, crossTrackKm: axes[2]! };
    // The construction: outside at TCA, inside |tau| seconds away.
    expect(Math.abs(tau)).toBeGreaterThan(0.5);
    expect(metric(m, ell)).toBeGreaterThan(1.2);
    expect(metric(p, ell)).toBeLessThan(0.9);
    const res = screenCatalog([a, b], { start, durationDays: days, ellipsoid: ell, maxElementAgeDays: 1 });
    expect(res.conjunctions).toHaveLength(1);
    const e = res.conjunctions[0]!;
    expect(e.tcaSecondsFromStart).toBeCloseTo(c.tcaSecondsFromStart, 4);
    expect(e.missKm).toBeCloseTo(c.missKm, 9);
  });
});
