/**
 * Simulated observations: every sensor watches every target over a window; in each visibility
 * interval of each pass (passes.ts) it takes tracks of `trackLengthS` at `cadenceS`, and each
 * time produces one Measurement per kind the sensor measures: the model value (measurement-model.ts,
 * light time on, two-way ranges for radar and laser, the sensor type's troposphere) plus the
 * sensor's bias plus Gaussian noise with the sensor's sigma. The random numbers come from a seeded
 * generator (mulberry32, a public-domain 32-bit generator by T. Ettinger) with Box–Muller normals,
 * so the same seed gives the same measurements on every platform. The truth (noise-free value,
 * bias, target state) is returned beside each measurement for tests and covariance-realism runs.
 */
import { AstroError } from '../errors.js';
import type { State } from '../frames/state.js';
import { type RandomSource, seededRandomSource } from '../math/random.js';
import type { Instant } from '../time/instant.js';
import { TWO_PI } from '../units/index.js';
import { predictMeasurement, type TargetEphemeris } from './measurement-model.js';
import { MEASUREMENT_SIZE, type Measurement, type MeasurementKind } from './observation.js';
import { type PassOptions, predictPasses } from './passes.js';
import type { Sensor } from './sensor.js';

/** A deterministic random source: uniform in [0, 1) and standard normal. */
export type SimulationRandom = RandomSource;

/** A seeded generator (mulberry32 for uniforms, Box–Muller for normals: math/random.ts). */
export function simulationRandom(seed: number): SimulationRandom {
  return seededRandomSource(seed);
}

/** A target to simulate. */
export interface SimulationTarget {
  /** Catalog number or other label, copied to Measurement.target. */
  readonly id: string;
  readonly ephemeris: TargetEphemeris;
  /** Standard visual magnitude (for sensors with a magnitude limit). */
  readonly standardMagnitude?: number;
}

/** Options of simulateObservations. */
export interface SimulationOptions extends Omit<PassOptions, 'standardMagnitude'> {
  /** Seed of the generator (default 1). */
  readonly seed?: number;
  /** Time between measurements of a track, s (default 10). */
  readonly cadenceS?: number;
  /** Length of a track, s (default 120); a visibility interval holds as many tracks as fit. */
  readonly trackLengthS?: number;
  /** At most this many tracks per visibility interval (default 1). */
  readonly maxTracksPerInterval?: number;
  /** Measurement kinds to produce (default: each sensor's own list). */
  readonly kinds?: readonly MeasurementKind[];
  /** Add noise (default true); false gives biased but noise-free values. */
  readonly noise?: boolean;
}

/** What was simulated for one measurement. */
export interface SimulationTruth {
  /** Model value without bias and noise. */
  readonly values: readonly number[];
  /** Bias added. */
  readonly bias: readonly number[];
  /** Target GCRF state at the target time of the measurement. */
  readonly targetState: State<'GCRF'>;
  readonly targetEpoch: Instant;
}

/** Result of simulateObservations: measurements in time order and the truth of each. */
export interface SimulationResult {
  readonly measurements: Measurement[];
  readonly truth: SimulationTruth[];
}

function sigmaAndBias(sensor: Sensor, kind: MeasurementKind): { sigma: number[]; bias: number[] } {
  const n = MEASUREMENT_SIZE[kind];
  let sigma: number | undefined;
  let bias: number[] = new Array<number>(n).fill(0);
  switch (kind) {
    case 'range':
      sigma = sensor.noise.rangeKm;
      bias = [sensor.bias.rangeKm ?? 0];
      break;
    case 'range-rate':
      sigma = sensor.noise.rangeRateKmS;
      bias = [sensor.bias.rangeRateKmS ?? 0];
      break;
    case 'azimuth-elevation':
    case 'right-ascension-declination':
      sigma = sensor.noise.angleRad;
      bias = [...(sensor.bias.angleRad ?? [0, 0])];
      break;
    case 'position':
      sigma = undefined;
  }
  if (sigma === undefined) {
    throw new AstroError('SENSOR_NOISE_MISSING', `sensor ${sensor.name} has no noise sigma for ${kind}`, {
      sensor: sensor.name,
      kind,
      expected:
        kind === 'range'
          ? 'range_sigma_m'
          : kind === 'range-rate'
            ? 'range_rate_sigma_m_s'
            : 'angle_sigma_arcsec',
    });
  }
  return { sigma: new Array<number>(n).fill(sigma), bias };
}

/**
 * Simulates the observations of `targets` by `sensors` over [from, from + durationS]. Throws
 * `SENSOR_NOISE_MISSING` when a sensor lacks the sigma of a kind it should produce, and the
 * context's time and EOP errors.
 */
export function simulateObservations(
  sensors: readonly Sensor[],
  targets: readonly SimulationTarget[],
  from: Instant,
  durationS: number,
  options: SimulationOptions,
): SimulationResult {
  const rng = simulationRandom(options.seed ?? 1);
  const cadence = options.cadenceS ?? 10;
  const trackLength = options.trackLengthS ?? 120;
  const maxTracks = options.maxTracksPerInterval ?? 1;
  const addNoise = options.noise ?? true;
  const to = from.plusSeconds(durationS);
  const rows: { m: Measurement; t: SimulationTruth }[] = [];
  for (const sensor of sensors) {
    const kinds = (options.kinds ?? sensor.measurements).filter((k) => sensor.measurements.includes(k));
    const noiseOf = new Map(kinds.map((k) => [k, sigmaAndBias(sensor, k)] as const));
    const twoWay = sensor.type !== 'optical';
    const troposphere = sensor.type === 'radar' ? 'radio' : sensor.type === 'laser' ? 'optical' : 'none';
    for (const target of targets) {
      const passOptions: PassOptions = {
        ...options,
        ...(target.standardMagnitude === undefined ? {} : { standardMagnitude: target.standardMagnitude }),
      };
      const passes = predictPasses(sensor, target.ephemeris, from, to, passOptions);
      for (const pass of passes) {
        for (const interval of pass.visible) {
          const len = interval.end.secondsSince(interval.start);
          let tracks = 0;
          for (let t0 = 0; t0 < len && tracks < maxTracks; t0 += trackLength, tracks++) {
            // A track ends just before the next one starts (that epoch is the next track's first);
            // only the last track of the interval includes its end.
            const end = Math.min(len, t0 + trackLength);
            const lastTrack = t0 + trackLength >= len || tracks + 1 >= maxTracks;
            for (let dt = t0; lastTrack ? dt <= end : dt < end; dt += cadence) {
              const epoch = interval.start.plusSeconds(dt);
              for (const kind of kinds) {
                const p = predictMeasurement(kind, sensor, target.ephemeris, epoch, {
                  ctx: options.ctx,
                  path: twoWay ? 'two-way' : 'one-way',
                  troposphere: kind === 'right-ascension-declination' ? 'none' : troposphere,
                  ...(sensor.wavelengthNm === undefined ? {} : { wavelengthNm: sensor.wavelengthNm }),
                  ...(options.frameOptions === undefined ? {} : { frameOptions: options.frameOptions }),
                });
                const nb = noiseOf.get(kind)!;
                const values = p.values.map(
                  (v, i) => v + nb.bias[i]! + (addNoise ? nb.sigma[i]! * rng.normal() : 0),
                );
                if (kind === 'azimuth-elevation' || kind === 'right-ascension-declination') {
                  values[0] = ((values[0]! % TWO_PI) + TWO_PI) % TWO_PI;
                }
                const m: Measurement = {
                  kind,
                  epoch,
                  timeTag: 'receive',
                  station: sensor.name,
                  target: target.id,
                  values,
                  sigmas: nb.sigma,
                  path: (kind === 'range' || kind === 'range-rate') && twoWay ? 'two-way' : 'one-way',
                  ...(kind === 'right-ascension-declination' || kind === 'position'
                    ? { frame: 'GCRF' as const }
                    : {}),
                  ...(sensor.wavelengthNm === undefined || kind !== 'range'
                    ? {}
                    : { wavelengthNm: sensor.wavelengthNm }),
                };
                rows.push({
                  m,
                  t: {
                    values: p.values,
                    bias: nb.bias,
                    targetState: p.targetState,
                    targetEpoch: p.targetEpoch,
                  },
                });
              }
            }
          }
        }
      }
    }
  }
  rows.sort((a, b) => a.m.epoch.compare(b.m.epoch));
  return { measurements: rows.map((r) => r.m), truth: rows.map((r) => r.t) };
}
