/**
 * The fast night simulator (observations/simulate-night.ts) against the per-object path on a small
 * subset of the 2023 catalog seen by the sensor file: the same visibility intervals as
 * `predictPasses` (ends within seconds), noise-free measurements equal to `predictMeasurement`'s
 * (one-way, no troposphere), and the tasking capacity and truth offsets doing what they say.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElements } from '../src/ccsds/parse-elements.js';
import type { ElementSet } from '../src/elements/element-set.js';
import {
  parseSensorFile,
  predictMeasurement,
  predictPasses,
  type Sensor,
  sgp4TargetEphemeris,
  simulateNight,
  type TimeInterval,
} from '../src/observations/index.js';
import { ctx, utc } from './observations-support.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const SENSORS_JSON = join(dirname(fileURLToPath(import.meta.url)), '../data/sensors.json');
const ARCSEC = Math.PI / 180 / 3600;
/** Interval ends: both sides bisect to 1 s (the default tolerance), so they agree within 2 s. */
const EDGE_TOLERANCE_S = 2;
/**
 * Angles: the fast path holds one TEME → GCRF rotation per track and interpolates the station from
 * 60 s knots (< 1 mm), and linearises the light time; 0.05″ is 1/20 of the best sensor's sigma.
 */
const ANGLE_TOLERANCE_RAD = 0.05 * ARCSEC;
/** Range: 1 m, a tenth of the best radar's 10 m sigma. */
const RANGE_TOLERANCE_KM = 1e-3;
/** Range rate: 1 mm/s, against sigmas of 0.5–1 m/s. */
const RANGE_RATE_TOLERANCE_KM_S = 1e-6;

const sensors: Sensor[] = unwrap(parseSensorFile(readFileSync(SENSORS_JSON, 'utf8'), 'sensors.json'));
const all = unwrap(
  parseElements(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz'), { file: 'catalog' }),
).records.map((r) => r.elements);
// Every 1500th object: 18 sets, LEO, MEO and GEO mixed.
const subset: ElementSet[] = all.filter((_, i) => i % 1500 === 0);
const from = utc('2023-10-09T10:00:00');
const DURATION_S = 4 * 3600;
/** The simulator's default grid step, s. */
const GRID_STEP_S = 60;

describe('simulateNight', () => {
  const night = simulateNight(sensors, subset, from, DURATION_S, { ctx, noise: false });

  it('finds the visibility intervals of predictPasses, ends within seconds', () => {
    const to = from.plusSeconds(DURATION_S);
    let compared = 0;
    let missed = 0;
    for (let s = 0; s < sensors.length; s++) {
      for (let i = 0; i < subset.length; i++) {
        const eph = sgp4TargetEphemeris(subset[i] as ElementSet, ctx);
        let want: TimeInterval[];
        try {
          want = predictPasses(sensors[s] as Sensor, eph, from, to, { ctx }).flatMap((p) => p.visible);
        } catch {
          continue; // SGP4 fails inside the window: the fast path never sees such an object.
        }
        // The stated limit: an interval between two grid samples is missed (30 s windows exist).
        const sampled = want.filter((w) => {
          const a = w.start.secondsSince(from) / GRID_STEP_S;
          const b = w.end.secondsSince(from) / GRID_STEP_S;
          return Math.floor(b) >= Math.ceil(a);
        });
        missed += want.length - sampled.length;
        const got = night.intervals.filter((v) => v.sensorIndex === s && v.objectIndex === i);
        expect(got.length, `${sensors[s]!.name} × ${subset[i]!.catalogNumber}`).toBe(sampled.length);
        got.forEach((g, k) => {
          const w = sampled[k] as TimeInterval;
          expect(Math.abs(g.start.secondsSince(w.start))).toBeLessThan(EDGE_TOLERANCE_S);
          expect(Math.abs(g.end.secondsSince(w.end))).toBeLessThan(EDGE_TOLERANCE_S);
          compared++;
        });
      }
    }
    // The subset is seen: radar passes and optical GEO/MEO windows.
    expect(compared).toBeGreaterThan(10);
    expect(missed).toBeLessThan(compared / 10);
  });

  it('gives the noise-free values of predictMeasurement (one-way, no troposphere)', () => {
    expect(night.tracks.length).toBe(night.intervals.length);
    const kinds = new Set<string>();
    for (const t of night.tracks) {
      const sensor = sensors.find((s) => s.name === t.sensor) as Sensor;
      const eph = sgp4TargetEphemeris(subset[t.objectIndex] as ElementSet, ctx);
      for (const m of t.measurements) {
        const p = predictMeasurement(m.kind, sensor, eph, m.epoch, {
          ctx,
          path: 'one-way',
          troposphere: 'none',
        });
        kinds.add(m.kind);
        m.values.forEach((v, c) => {
          let d = v - p.values[c]!;
          if (m.kind === 'range') expect(Math.abs(d)).toBeLessThan(RANGE_TOLERANCE_KM);
          else if (m.kind === 'range-rate') expect(Math.abs(d)).toBeLessThan(RANGE_RATE_TOLERANCE_KM_S);
          else {
            d = Math.atan2(Math.sin(d), Math.cos(d));
            // A right-ascension or azimuth difference is an angle on the sky times cos(second angle).
            const scale = c === 0 ? Math.cos(p.values[1]!) : 1;
            expect(Math.abs(d) * scale).toBeLessThan(ANGLE_TOLERANCE_RAD);
          }
        });
        expect(m.target).toBe(t.label);
      }
      // Every measurement lies in the track's interval.
      for (const m of t.measurements) {
        expect(m.epoch.secondsSince(t.interval.start)).toBeGreaterThanOrEqual(0);
        expect(t.interval.end.secondsSince(m.epoch)).toBeGreaterThanOrEqual(0);
      }
    }
    expect(kinds).toEqual(
      new Set(['range', 'range-rate', 'azimuth-elevation', 'right-ascension-declination']),
    );
  });

  it('keeps at most the tasking capacity per sensor, and moves the truth by the offsets', () => {
    const capped = simulateNight(sensors, subset, from, DURATION_S, {
      ctx,
      noise: false,
      maxTracksPerSensor: 2,
    });
    for (const s of sensors) {
      const n = capped.tracks.filter((t) => t.sensor === s.name).length;
      const all = night.tracks.filter((t) => t.sensor === s.name).length;
      expect(n).toBe(Math.min(2, all));
    }
    // A 1 km radial offset changes ranges by up to 1 km and never more.
    const offsets = new Float64Array(3 * subset.length);
    for (let i = 0; i < subset.length; i++) offsets[3 * i] = 1;
    const moved = simulateNight(sensors, subset, from, DURATION_S, {
      ctx,
      noise: false,
      offsetsRtnKm: offsets,
    });
    let ranges = 0;
    moved.tracks.forEach((t, k) => {
      const ref = night.tracks[k];
      expect(ref?.label).toBe(t.label);
      t.measurements.forEach((m, j) => {
        if (m.kind !== 'range') return;
        const d = m.values[0]! - ref!.measurements[j]!.values[0]!;
        expect(Math.abs(d)).toBeLessThanOrEqual(1 + 1e-6);
        expect(Math.abs(d)).toBeGreaterThan(0.05);
        ranges++;
      });
    });
    expect(ranges).toBeGreaterThan(0);
  });
});
