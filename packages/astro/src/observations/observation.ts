/**
 * The measurement record shared by the observation formats (CCSDS TDM, ILRS CRD), the sensor
 * models and simulation, initial orbit determination, least-squares orbit determination and track
 * correlation. One record is one measurement of one target from one station at one time tag;
 * angle pairs (azimuth/elevation, right ascension/declination) and position vectors are one record
 * with two or three values, because they are measured and weighted together.
 *
 * Units inside, as everywhere in @hoshimi/astro: km, km/s, rad. A two-way range is stored as the
 * one-way equivalent (half the round-trip light distance), the convention of TDM RANGE in km and of
 * ILRS normal points (TOF·c/2); `path` says how it was measured so the model can add light time on
 * both legs.
 */
import type { FrameName } from '../frames/state.js';
import type { ReadonlyVec3 } from '../math/vec3.js';
import type { Instant } from '../time/instant.js';

/** The kinds of measurement Hoshimi reads, simulates and fits. */
export const MEASUREMENT_KINDS = [
  'range',
  'range-rate',
  'azimuth-elevation',
  'right-ascension-declination',
  'position',
] as const;
/** A kind of measurement. */
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

/** Number of values of each kind. */
export const MEASUREMENT_SIZE: Readonly<Record<MeasurementKind, number>> = {
  range: 1,
  'range-rate': 1,
  'azimuth-elevation': 2,
  'right-ascension-declination': 2,
  position: 3,
};

/** Surface weather at the station when the measurement was taken (for refraction). */
export interface Meteo {
  readonly pressureHpa: number;
  readonly temperatureK: number;
  /** Relative humidity, percent. */
  readonly humidityPercent: number;
}

/** One measurement. */
export interface Measurement {
  readonly kind: MeasurementKind;
  /** Time tag of the measurement (see `timeTag`). */
  readonly epoch: Instant;
  /** Whether `epoch` is the reception at the station (usual) or the transmission (SLR epoch event 2). */
  readonly timeTag: 'receive' | 'transmit';
  /** Station (participant) name, as the stations file or sensor file names it. */
  readonly station: string;
  /** Target: NORAD catalog number, COSPAR or ILRS id, or a track's own label, as read. */
  readonly target: string;
  /**
   * The values: range km (one-way equivalent), range rate km/s, [azimuth, elevation] rad
   * (azimuth from north through east), [right ascension, declination] rad in `frame`, or a
   * position [x, y, z] km in `frame`.
   */
  readonly values: readonly number[];
  /** One-sigma noise of each value, same units. */
  readonly sigmas: readonly number[];
  /** One-way (passive, or optical) or two-way (the same station transmits and receives). */
  readonly path: 'one-way' | 'two-way';
  /** Frame of right ascension/declination and of positions (GCRF or EME2000; ITRF for positions). */
  readonly frame?: FrameName;
  /** Surface weather for refraction, when the file gives it. */
  readonly meteo?: Meteo;
  /** Laser wavelength, nm (SLR), for the optical troposphere model. */
  readonly wavelengthNm?: number;
  /** Where it came from: file name and line, for residual reports and error messages. */
  readonly source?: { readonly file: string; readonly line: number };
}

/** A ground station: where the measurements were taken from. */
export interface GroundStation {
  readonly name: string;
  /** ITRF position of the reference point at `referenceEpoch`, km. */
  readonly itrfKm: ReadonlyVec3;
  /** ITRF velocity, km per Julian year (plate motion), when known. */
  readonly velocityKmPerYear?: ReadonlyVec3;
  /** Epoch of `itrfKm` (SINEX reference epoch). */
  readonly referenceEpoch?: Instant;
  /** Offset of the instrument from the reference point: up, north, east, km (SINEX eccentricity). */
  readonly eccentricityUneKm?: ReadonlyVec3;
  /** Centre-of-mass or other range offset removed from two-way ranges, km. */
  readonly rangeBiasKm?: number;
}
