/** Public API of the observations module: the shared measurement record and ground station. */
export {
  type GroundStation,
  MEASUREMENT_KINDS,
  MEASUREMENT_SIZE,
  type Measurement,
  type MeasurementKind,
  type Meteo,
} from './observation.js';
