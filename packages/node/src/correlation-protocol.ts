/**
 * Messages between correlateParallel and its correlation workers, and the plain-data forms of what
 * crosses the thread boundary: measurements with their epoch as J2000 seconds (an Instant is a
 * class, which structured cloning does not keep), stations as ITRF coordinates (a callback cannot
 * cross), results without their track (the caller still holds it).
 */
import {
  type AstroContext,
  defaultTleErrorModel,
  type ElementSet,
  frameEpochAt,
  frameTransform,
  Instant,
  type LoadContextOptions,
  type Measurement,
  newFrameTransform,
  type StationGcrfAt,
  type TleErrorModel,
  type Track,
  type TrackCorrelation,
  type Vec3,
} from '@hoshimi/astro';

/** A station's ITRF position, km. */
export interface StationItrf {
  readonly name: string;
  readonly itrfKm: readonly [number, number, number];
}

/** Correlation settings that cross to the workers (the context and stations travel as data). */
export interface CorrelationSettings {
  readonly gateProbability?: number;
  readonly ambiguityMargin?: number;
  readonly gridStepS?: number;
  /**
   * 'default': the TLE error model growing with the set's age (correlation/tle-error.ts);
   * 'age-free': the same model frozen at age 0 (the simpler gate of the evaluation's baseline).
   */
  readonly errorModel?: 'default' | 'age-free';
}

/** The error model a setting names. */
export function errorModelOf(name: CorrelationSettings['errorModel']): TleErrorModel {
  return name === 'age-free' ? (e) => defaultTleErrorModel(e, 0) : defaultTleErrorModel;
}

export type SerialMeasurement = Omit<Measurement, 'epoch'> & {
  readonly epochJ2000: readonly [number, number];
};

export interface SerialTrack {
  readonly id: string;
  readonly station: string;
  readonly target: string;
  readonly measurements: readonly SerialMeasurement[];
}

export type SerialCorrelation = Omit<TrackCorrelation, 'track'>;

export interface CorrelationInit {
  readonly type: 'init';
  readonly context: LoadContextOptions;
  readonly elements: readonly ElementSet[];
  readonly stations: readonly StationItrf[];
  readonly settings: CorrelationSettings;
}

export interface CorrelationChunk {
  readonly type: 'chunk';
  readonly chunk: number;
  readonly tracks: readonly SerialTrack[];
}

export type ToCorrelationWorker = CorrelationInit | CorrelationChunk;

export interface CorrelationChunkDone {
  readonly type: 'done';
  readonly chunk: number;
  readonly results: readonly SerialCorrelation[];
  readonly scored: number;
}

export interface CorrelationFailure {
  readonly type: 'error';
  readonly message: string;
}

export type FromCorrelationWorker = CorrelationChunkDone | CorrelationFailure;

export function serialTrack(t: Track): SerialTrack {
  return {
    id: t.id,
    station: t.station,
    target: t.target,
    measurements: t.measurements.map(({ epoch, ...rest }) => ({ ...rest, epochJ2000: [epoch.s, epoch.f] })),
  };
}

export function trackOfSerial(t: SerialTrack): Track {
  return {
    id: t.id,
    station: t.station,
    target: t.target,
    measurements: t.measurements.map(({ epochJ2000, ...rest }) => ({
      ...rest,
      epoch: Instant.fromJ2000Seconds(epochJ2000[0], epochJ2000[1]),
    })),
  };
}

/**
 * Station GCRF positions from a table of ITRF coordinates (ITRF → GCRF through the frame graph at
 * the instant, with the context's EOP): the `stationGcrfAt` that the single-thread run and every
 * worker share, so that both compute the same numbers. Throws for an unknown station name.
 */
export function stationTableGcrfAt(ctx: AstroContext, stations: readonly StationItrf[]): StationGcrfAt {
  const table = new Map(stations.map((s) => [s.name, s.itrfKm] as const));
  const tr = newFrameTransform();
  return (name: string, t: Instant): Vec3 => {
    const p = table.get(name);
    if (p === undefined) throw new Error(`station ${name} is not in the station table`);
    const m = frameTransform('ITRF', 'GCRF', frameEpochAt(t, ctx), tr).rotation;
    return [
      m[0] * p[0] + m[1] * p[1] + m[2] * p[2],
      m[3] * p[0] + m[4] * p[1] + m[5] * p[2],
      m[6] * p[0] + m[7] * p[1] + m[8] * p[2],
    ];
  };
}
