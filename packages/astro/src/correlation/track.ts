/**
 * Tracks: short arcs of measurements of one target from one station, the unit that correlation
 * assigns to a catalog object. A sensor reports measurements with its own target label (a catalog
 * number when it believes it knows the object, otherwise a track label of its own); consecutive
 * measurements of the same station and label with gaps below a threshold form one track.
 */
import { AstroError } from '../errors.js';
import type { Measurement } from '../observations/observation.js';

/** One track: measurements of one target label from one station, in time order. */
export interface Track {
  /** `station/target/n`, n counting the tracks of that station and label from 0 in time order. */
  readonly id: string;
  readonly station: string;
  /** The sensor's own label of the target, as read. */
  readonly target: string;
  /** At least one measurement, sorted by epoch. */
  readonly measurements: readonly Measurement[];
}

/** Default largest gap between consecutive measurements of one track, s (one pass of a LEO object lasts ≤ 15 min). */
export const TRACK_MAX_GAP_S = 300;

export interface TrackGroupingOptions {
  /** Largest gap between consecutive measurements of one track, s; default TRACK_MAX_GAP_S. */
  readonly maxGapS?: number;
}

/**
 * Groups measurements into tracks: same station, same target label, consecutive epochs less than
 * `maxGapS` apart. Tracks come out ordered by station, target, then time; every measurement lands
 * in exactly one track.
 */
export function groupTracks(
  measurements: readonly Measurement[],
  options: TrackGroupingOptions = {},
): Track[] {
  const maxGap = options.maxGapS ?? TRACK_MAX_GAP_S;
  if (!(maxGap > 0)) {
    throw new AstroError('TRACK_GAP_INVALID', `maxGapS must be positive, got ${maxGap}`, { maxGapS: maxGap });
  }
  const byKey = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = `${m.station}\u0000${m.target}`;
    let list = byKey.get(key);
    if (list === undefined) {
      list = [];
      byKey.set(key, list);
    }
    list.push(m);
  }
  const keys = [...byKey.keys()].sort();
  const tracks: Track[] = [];
  for (const key of keys) {
    const list = (byKey.get(key) as Measurement[]).slice().sort((a, b) => a.epoch.compare(b.epoch));
    const first = list[0] as Measurement;
    let current: Measurement[] = [];
    let n = 0;
    const flush = (): void => {
      if (current.length === 0) return;
      tracks.push({
        id: `${first.station}/${first.target}/${n}`,
        station: first.station,
        target: first.target,
        measurements: current,
      });
      n++;
      current = [];
    };
    for (const m of list) {
      const last = current[current.length - 1];
      if (last !== undefined && m.epoch.secondsSince(last.epoch) > maxGap) flush();
      current.push(m);
    }
    flush();
  }
  return tracks;
}
