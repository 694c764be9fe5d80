/** Public API of the observations module: the shared measurement record, sensors, measurement models, passes and simulation. */

export {
  azElRange,
  earthVelocityKmS,
  type MeasurementModelOptions,
  type PredictedMeasurement,
  predictMeasurement,
  type StationFrame,
  StationFrameCache,
  stationFrameAt,
  type TargetEphemeris,
} from './measurement-model.js';
export {
  type GroundStation,
  MEASUREMENT_KINDS,
  MEASUREMENT_SIZE,
  type Measurement,
  type MeasurementKind,
  type Meteo,
} from './observation.js';
export {
  coarseStepS,
  diffuseSphereMagnitude,
  type Pass,
  type PassOptions,
  predictPasses,
  type TimeInterval,
  type VisibilityOptions,
  type VisibilitySample,
  visibilityAt,
} from './passes.js';
export {
  type AzimuthSector,
  angleBetweenAzEl,
  DEFAULT_MAX_SUN_ELEVATION_RAD,
  DEFAULT_MEASUREMENTS,
  enuFromInertial,
  enuRotation,
  type FieldOfRegard,
  inAzimuthSector,
  type LightingConstraints,
  normalizeAzimuth,
  SENSOR_TYPES,
  type Sensor,
  type SensorBias,
  type SensorNoise,
  type SensorType,
  stationItrfAt,
  stationLatLon,
  withinGeometricLimits,
} from './sensor.js';
export { parseSensorFile } from './sensor-file.js';
export {
  type SimulationOptions,
  type SimulationRandom,
  type SimulationResult,
  type SimulationTarget,
  type SimulationTruth,
  simulateObservations,
  simulationRandom,
} from './simulate.js';
export {
  type NightInterval,
  type NightSimulation,
  type NightSimulationOptions,
  type NightTrack,
  simulateNight,
} from './simulate-night.js';
export { keplerTargetEphemeris, type Sgp4TargetOptions, sgp4TargetEphemeris } from './targets.js';
export {
  bennettRefractionRad,
  fculMapping,
  mendesPavlisDelayKm,
  mendesPavlisZenithDelayM,
  opticalRefractionRad,
  radioRangeDelayKm,
  saastamoinenZenithDelayM,
  standardMeteo,
  waterVapourPressureHpa,
} from './troposphere.js';
