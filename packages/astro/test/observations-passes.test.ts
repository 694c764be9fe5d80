/**
 * Pass prediction (observations/passes.ts) against a brute-force scan at 1 s: the same passes,
 * rise and set within the scan's resolution, the same visibility windows (azimuth sectors, range
 * and lighting constraints), and lighting windows that respect the Sun and shadow constraints.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTleLines } from '../src/elements/tle.js';
import { ANALYTIC_EPHEMERIS } from '../src/numerical/ephemeris.js';
import { cylindricalShadowFraction } from '../src/numerical/radiation-pressure.js';
import {
  azElRange,
  diffuseSphereMagnitude,
  parseSensorFile,
  predictPasses,
  type Sensor,
  sgp4TargetEphemeris,
  stationFrameAt,
  type TargetEphemeris,
  visibilityAt,
} from '../src/observations/index.js';
import type { Instant } from '../src/time/instant.js';
import { circularTarget, ctx, keplerTarget, utc } from './observations-support.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const DEG = Math.PI / 180;
const SENSORS_JSON = join(dirname(fileURLToPath(import.meta.url)), '../data/sensors.json');
const sensors = unwrap(parseSensorFile(readFileSync(SENSORS_JSON, 'utf8'), 'sensors.json'));
const byName = (n: string): Sensor => sensors.find((s) => s.name === n)!;

/** Root finding is to 1 s (bisection to 0.5 s); the scan's own resolution is 1 s: 1.5 s in all. */
const EDGE_S = 1.5;
/** Culmination refined to 0.05 s: the elevation error is below 1e-7 rad (0.02″). */
const CULMINATION_RAD = 1e-7;

/** Intervals of `pred` on a 1 s grid over [0, span] (start at the first true second). */
function scan(span: number, pred: (dt: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start: number | undefined;
  for (let s = 0; s <= span; s++) {
    const v = pred(s);
    if (v && start === undefined) start = s;
    if (!v && start !== undefined) {
      out.push([start, s - 0.5]);
      start = undefined;
    }
  }
  if (start !== undefined) out.push([start, span]);
  return out;
}

function elevation(sensor: Sensor, target: TargetEphemeris, t: Instant): number {
  const sf = stationFrameAt(sensor, t, ctx);
  const r = target(t).rKm;
  return azElRange(sf, [r[0] - sf.rKm[0], r[1] - sf.rKm[1], r[2] - sf.rKm[2]])[1];
}

const from = utc('2024-01-10T00:00:00');

describe('passes against a 1 s brute-force scan', () => {
  const cases: [string, string, TargetEphemeris, number][] = [
    [
      'sun-synchronous LEO over the Kamisaibara radar',
      'KSGC-RADAR',
      circularTarget(7078, 98.2, 240, 0, from),
      12 * 3600,
    ],
    [
      'low-inclination LEO over Space Fence',
      'SPACE-FENCE-KWAJALEIN',
      circularTarget(6928, 15, 100, 30, from),
      6 * 3600,
    ],
    [
      'Molniya-like orbit over Cobra Dane (azimuth sector)',
      'COBRA-DANE',
      keplerTarget([-6000, -2000, -2500], [2.0, -6.0, 7.5], from),
      12 * 3600,
    ],
  ];
  // The ISS from the 2023-10-09 catalog, by SGP4 (TEME → GCRF), over the Kamisaibara radar the
  // next day.
  const lines = readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz').split('\n');
  const at = lines.findIndex((l) => l.startsWith('1 25544U'));
  const iss = unwrap(parseTleLines(lines[at]!, lines[at + 1]!));
  const issFrom = utc('2023-10-10T00:00:00');
  it('the ISS by SGP4 over the Kamisaibara radar (12 h)', () => {
    const sensor = byName('KSGC-RADAR');
    const target = sgp4TargetEphemeris(iss, ctx);
    const span = 12 * 3600;
    const passes = predictPasses(sensor, target, issFrom, issFrom.plusSeconds(span), { ctx });
    const truth = scan(
      span,
      (s) => elevation(sensor, target, issFrom.plusSeconds(s)) > sensor.minElevationRad,
    );
    expect(truth.length).toBeGreaterThan(0);
    expect(passes.length).toBe(truth.length);
    passes.forEach((p, i) => {
      const [a, b] = truth[i]!;
      expect(Math.abs(p.rise.secondsSince(issFrom) - (a - 0.5))).toBeLessThan(EDGE_S);
      expect(Math.abs(p.set.secondsSince(issFrom) - b)).toBeLessThan(EDGE_S);
    });
  });

  it('the SGP4 target with the 60 s TEME → GCRF knots stays within 5 mm of the exact rotation', () => {
    const fast = sgp4TargetEphemeris(iss, ctx);
    const exact = sgp4TargetEphemeris(iss, ctx, { rotationKnotS: 0 });
    /** Precession + nutation turn TEME by < 2e-11 rad/s; 30 s at 6,800 km: 4 mm. */
    const FIVE_MM_KM = 5e-6;
    for (let dt = 0; dt < 6 * 3600; dt += 97) {
      const t = issFrom.plusSeconds(dt);
      const a = fast(t).rKm;
      const b = exact(t).rKm;
      expect(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])).toBeLessThan(FIVE_MM_KM);
    }
  });

  for (const [what, name, target, span] of cases) {
    it(what, () => {
      const sensor = byName(name);
      const passes = predictPasses(sensor, target, from, from.plusSeconds(span), { ctx });
      const truth = scan(
        span,
        (s) => elevation(sensor, target, from.plusSeconds(s)) > sensor.minElevationRad,
      );
      expect(passes.length).toBe(truth.length);
      expect(passes.length).toBeGreaterThan(0);
      for (let i = 0; i < truth.length; i++) {
        const p = passes[i]!;
        const [a, b] = truth[i]!;
        if (!p.riseClipped) expect(Math.abs(p.rise.secondsSince(from) - (a - 0.5))).toBeLessThan(EDGE_S);
        if (!p.setClipped) expect(Math.abs(p.set.secondsSince(from) - b)).toBeLessThan(EDGE_S);
        // Culmination: the scan's highest sample is not above the predicted maximum.
        let best = -1;
        for (let s = Math.ceil(a); s <= b; s++)
          best = Math.max(best, elevation(sensor, target, from.plusSeconds(s)));
        expect(p.maxElevationRad).toBeGreaterThanOrEqual(best - CULMINATION_RAD);
        expect(p.maxElevationRad - best).toBeLessThan(0.01 * DEG);
        // Visibility windows (range, azimuth sectors) against the scan inside the pass.
        const vis = scan(Math.floor(b - Math.ceil(a)), (s) => {
          const t = from.plusSeconds(Math.ceil(a) + s);
          return visibilityAt(sensor, target(t).rKm, t, { ctx }).visible;
        }).map(([x, y]) => [x + Math.ceil(a), y + Math.ceil(a)] as const);
        expect(p.visible.length).toBe(vis.length);
        p.visible.forEach((w, k) => {
          const [x, y] = vis[k]!;
          expect(Math.abs(w.start.secondsSince(from) - (x === Math.ceil(a) ? a : x - 0.5))).toBeLessThan(
            EDGE_S + 0.5,
          );
          expect(Math.abs(w.end.secondsSince(from) - y)).toBeLessThan(EDGE_S + 0.5);
        });
      }
    });
  }

  it('finds a grazing pass whose culmination lies between two coarse samples', () => {
    const sensor = byName('KSGC-RADAR');
    const target = circularTarget(7078, 98.2, 240, 0, from);
    const span = 24 * 3600;
    // A coarse step of 20 min sees no sample above 10° for short passes; the peak search must.
    const passes = predictPasses(sensor, target, from, from.plusSeconds(span), { ctx, stepS: 1200 });
    const truth = scan(span, (s) => elevation(sensor, target, from.plusSeconds(s)) > sensor.minElevationRad);
    const hidden = truth.filter(([a, b]) => Math.floor(b / 1200) * 1200 < a);
    expect(hidden.length).toBeGreaterThan(0);
    expect(passes.length).toBe(truth.length);
  });
});

describe('constraints', () => {
  const t = utc('2024-01-10T12:00:00');
  const sensor = byName('BSGC-1M');
  const sf = stationFrameAt(sensor, t, ctx);
  // A point 2000 km straight above the site (GCRF).
  const n = Math.hypot(...sf.rKm);
  const above = sf.rKm.map((x) => x * (1 + 2000 / n));

  it('gives the standard magnitude at 1000 km and 90° phase, fainter with range', () => {
    expect(diffuseSphereMagnitude(5, 1000, Math.PI / 2)).toBeCloseTo(5, 12);
    expect(diffuseSphereMagnitude(5, 10000, Math.PI / 2)).toBeCloseTo(10, 12);
    expect(diffuseSphereMagnitude(5, 1000, 0)).toBeLessThan(5);
  });

  it('refuses a target inside the Moon avoidance cone, a faint one, or one outside the field of regard', () => {
    const dark: Sensor = {
      ...sensor,
      lighting: { ...sensor.lighting!, maxSunElevationRad: Math.PI / 2, requireTargetSunlit: false },
    };
    expect(visibilityAt(dark, above, t, { ctx }).visible).toBe(true);
    const moonAll: Sensor = { ...dark, lighting: { ...dark.lighting!, moonAvoidanceRad: Math.PI } };
    expect(visibilityAt(moonAll, above, t, { ctx }).visible).toBe(false);
    const faint: Sensor = { ...dark, lighting: { ...dark.lighting!, maxVisualMagnitude: 6 } };
    expect(visibilityAt(faint, above, t, { ctx, standardMagnitude: 4 }).visible).toBe(true);
    expect(visibilityAt(faint, above, t, { ctx, standardMagnitude: 9 }).visible).toBe(false);
    const cone: Sensor = {
      ...dark,
      fieldOfRegard: { centerAzimuthRad: 0, centerElevationRad: 30 * DEG, halfAngleRad: 20 * DEG },
    };
    expect(visibilityAt(cone, above, t, { ctx }).geometric).toBe(false);
    const wide: Sensor = { ...cone, fieldOfRegard: { ...cone.fieldOfRegard!, halfAngleRad: 61 * DEG } };
    expect(visibilityAt(wide, above, t, { ctx }).geometric).toBe(true);
  });
});

describe('optical lighting', () => {
  it('keeps only windows with the site dark and the target sunlit (GEODSS Socorro, 1 day, MEO)', () => {
    const sensor = byName('GEODSS-SOCORRO');
    const target = circularTarget(12000, 55, 200, 0, from);
    const span = 24 * 3600;
    const passes = predictPasses(sensor, target, from, from.plusSeconds(span), { ctx });
    let windows = 0;
    let lostToLight = 0;
    for (const p of passes) {
      const passLen = p.set.secondsSince(p.rise);
      const visLen = p.visible.reduce((acc, w) => acc + w.end.secondsSince(w.start), 0);
      if (visLen < passLen - 5) lostToLight++;
      for (const w of p.visible) {
        windows++;
        // Check 2 s inside each edge and at the middle.
        for (const t of [w.start.plusSeconds(2), w.end.plusSeconds(-2)]) {
          const sf = stationFrameAt(sensor, t, ctx);
          const [jd, fr] = t.ttJulianDate();
          const sun = ANALYTIC_EPHEMERIS.positionKm('SUN', jd, fr, [0, 0, 0]);
          const sunEl = azElRange(sf, [sun[0] - sf.rKm[0], sun[1] - sf.rKm[1], sun[2] - sf.rKm[2]])[1];
          expect(sunEl).toBeLessThan(-12 * DEG);
          expect(cylindricalShadowFraction(target(t).rKm, sun)).toBe(1);
        }
      }
    }
    expect(windows).toBeGreaterThan(0);
    // Over a day some of the geometric pass time falls in daylight or shadow.
    expect(lostToLight).toBeGreaterThan(0);
  });
});
