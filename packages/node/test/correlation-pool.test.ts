/**
 * correlateParallel against one correlateTracks call: a simulated hour of a catalog subset seen by
 * the sensor file, split over 2 workers in time chunks, must give every track the same decision
 * (assigned object and reason), the same counts and the same UCT groups.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  correlateTracks,
  defaultTleErrorModel,
  type LoadContextOptions,
  loadContext,
  minutesSinceEpoch,
  parseElements,
  parseSensorFile,
  parseTimeToInstant,
  simulateNight,
  simulationRandom,
  type Track,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { correlateParallel } from '../src/correlation-pool.js';
import { type StationItrf, stationTableGcrfAt } from '../src/correlation-protocol.js';

const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
const read = (rel: string): string => {
  const raw = readFileSync(join(DATA, rel));
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

describe('correlateParallel', () => {
  it('takes the same decisions as the single-thread fast path', async () => {
    const source: LoadContextOptions = {
      leapSecondsText: read('earth/Leap_Second.dat'),
      eopText: read('earth/finals2000A.all.gz'),
      eopFormat: 'finals2000A',
    };
    const c = loadContext(source);
    if (!c.ok) throw new Error('context');
    const ctx = c.value;
    const sensorsText = readFileSync(join(import.meta.dirname, '../../astro/data/sensors.json'), 'utf8');
    const s = parseSensorFile(sensorsText, 'sensors.json');
    if (!s.ok) throw new Error('sensors');
    const p = parseElements(read('catalog/full_catalog_2023-10-09.3le.txt.gz'), { file: 'catalog' });
    if (!p.ok) throw new Error('catalog');
    // Every 4th object: about 6,500 sets; a fifth of them left out of the correlator's catalog.
    const truth = p.value.records.map((r) => r.elements).filter((_, i) => i % 4 === 0);
    const catalog = truth.filter((_, i) => i % 5 !== 0);
    const from = parseTimeToInstant('2023-10-09T12:00:00Z', ctx);
    if (!from.ok) throw new Error('time');
    const mid = utcLabelOfInstant(from.value, ctx);
    const rng = simulationRandom(7);
    const offsets = new Float64Array(3 * truth.length);
    truth.forEach((e, i) => {
      const sg = defaultTleErrorModel(e, minutesSinceEpoch(e.epoch, mid.jd, mid.jdFrac) / 1440);
      for (let k = 0; k < 3; k++) offsets[3 * i + k] = sg[k]! * rng.normal();
    });
    const night = simulateNight(s.value, truth, from.value, 3600, {
      ctx,
      offsetsRtnKm: offsets,
      maxTracksPerSensor: 20,
    });
    const tracks: Track[] = night.tracks.map((t) => ({
      id: t.label,
      station: t.sensor,
      target: t.label,
      measurements: t.measurements,
    }));
    const stations: StationItrf[] = s.value.map((x) => ({ name: x.name, itrfKm: [...x.itrfKm] }));
    const one = correlateTracks(tracks, catalog, { ctx, stationGcrfAt: stationTableGcrfAt(ctx, stations) });
    const two = await correlateParallel(tracks, catalog, {
      context: source,
      stations,
      workers: 2,
      chunksPerWorker: 3,
    });
    expect(tracks.length).toBeGreaterThan(100);
    expect(two.tracks.map((r) => r.track)).toEqual(tracks);
    expect(two.tracks.map((r) => [r.assigned, r.reason])).toEqual(
      one.tracks.map((r) => [r.assigned, r.reason]),
    );
    expect(two.assigned).toBe(one.assigned);
    expect(two.ucts.map((g) => g.target)).toEqual(one.ucts.map((g) => g.target));
    // Both kinds of decision occur: assignments and UCTs (the left-out objects).
    expect(one.assigned).toBeGreaterThan(0);
    expect(one.uncorrelated).toBeGreaterThan(0);
  }, 300_000);
});
