/**
 * The reference measurement of a track (track-model.ts `prepareTrack`), which the fast correlation
 * gates on: the middle measurement, or the nearest one to it that is not a range rate. A radar
 * track written epoch by epoch as range, range rate, azimuth/elevation has a range rate in the
 * middle; gating on it is impossible and would score the track against every object.
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
  it('is the middle one when that is not a range rate', () => {
    const pt = prepareTrack(radarTrack(['range', 'azimuth-elevation'], 3), ctx, station);
    expect(pt.refIndex).toBe(2);
  });
  it('moves off a range rate to the nearest other measurement', () => {
    // 7 epochs × (range, range-rate, az/el): index 10 is a range rate, 9 a range.
    const track = radarTrack(['range', 'range-rate', 'azimuth-elevation'], 7);
    expect(track.measurements[10]!.kind).toBe('range-rate');
    const pt = prepareTrack(track, ctx, station);
    expect(pt.refIndex).toBe(9);
    expect(track.measurements[pt.refIndex]!.kind).toBe('range');
  });
  it('stays in the middle of a track of range rates only', () => {
    const pt = prepareTrack(radarTrack(['range-rate'], 5), ctx, station);
    expect(pt.refIndex).toBe(2);
  });
});
