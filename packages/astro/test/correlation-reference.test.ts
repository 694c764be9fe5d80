/**
 * The reference measurement of a track (track-model.ts `prepareTrack`), which the fast correlation
 * gates on: the measurement nearest to the middle among the directions (a narrow cone around the
 * line of sight), else among the ranges (a shell around the station, holding many more objects),
 * else the middle one. A radar track written epoch by epoch as range, range rate,
 * azimuth/elevation has a range rate in the middle; gating on it is impossible and would score the
 * track against every object, and gating on its range would score it against ~4× more objects than
 * on its direction (the simulated night of `npm run eval -- correlation`).
 */
import { describe, expect, it } from 'vitest';
import { prepareTrack } from '../src/correlation/track-model.js';
import type { Measurement, MeasurementKind } from '../src/observations/index.js';
import { ctx, utc } from './observations-support.js';

const t0 = utc('2023-10-09T12:00:00');
const station = (): [number, number, number] => [6378, 0, 0];

function radarTrack(kinds: readonly MeasurementKind[], epochs: number) {
  const measurements: Measurement[] = [];
  for (let k = 0; k < epochs; k++) {
    for (const kind of kinds) {
      measurements.push({
        kind,
        epoch: t0.plusSeconds(10 * k),
        timeTag: 'receive',
        station: 'R',
        target: 'T1',
        values: kind === 'azimuth-elevation' ? [1, 0.5] : [1000],
        sigmas: kind === 'azimuth-elevation' ? [1e-4, 1e-4] : [0.01],
        path: 'one-way',
      });
    }
  }
  return { id: 'R/T1/0', station: 'R', target: 'T1', measurements };
}

describe('prepareTrack reference measurement', () => {
  it('is the middle one in a track of directions', () => {
    const pt = prepareTrack(radarTrack(['azimuth-elevation'], 5), ctx, station);
    expect(pt.refIndex).toBe(2);
  });
  it('takes the direction nearest to the middle over a range there', () => {
    // 3 epochs × (range, az/el): index 2 is a range; 1 and 3 are directions, 1 the first found.
    const track = radarTrack(['range', 'azimuth-elevation'], 3);
    expect(track.measurements[2]!.kind).toBe('range');
    const pt = prepareTrack(track, ctx, station);
    expect(pt.refIndex).toBe(1);
    expect(track.measurements[pt.refIndex]!.kind).toBe('azimuth-elevation');
  });
  it('moves off a range rate to the nearest direction, past a nearer range', () => {
    // 7 epochs × (range, range-rate, az/el): index 10 is a range rate, 9 a range, 11 az/el.
    const track = radarTrack(['range', 'range-rate', 'azimuth-elevation'], 7);
    expect(track.measurements[10]!.kind).toBe('range-rate');
    const pt = prepareTrack(track, ctx, station);
    expect(pt.refIndex).toBe(11);
    expect(track.measurements[pt.refIndex]!.kind).toBe('azimuth-elevation');
  });
  it('falls back to the range nearest to the middle without directions', () => {
    // 3 epochs × (range rate, range rate, range): index 4 is a range rate, 5 the nearest range.
    const track = radarTrack(['range-rate', 'range-rate', 'range'], 3);
    const pt = prepareTrack(track, ctx, station);
    expect(pt.refIndex).toBe(5);
    expect(track.measurements[pt.refIndex]!.kind).toBe('range');
  });
  it('stays in the middle of a track of range rates only', () => {
    const pt = prepareTrack(radarTrack(['range-rate'], 5), ctx, station);
    expect(pt.refIndex).toBe(2);
  });
});
