/** Public API of the ilrs module: CRD and CPF laser-ranging files, SINEX station coordinates. */
export type { CpfEntry, CpfFile, CpfHeader, CpfReadOptions } from './cpf-model.js';
export { type CpfPositions, cpfPositions } from './cpf-positions.js';
export { parseCpf } from './cpf-read.js';
export { writeCpf } from './cpf-write.js';
export {
  CRD_METEO_MAX_GAP_S,
  CRD_UTC_TIME_SCALES,
  type CrdMeasurementOptions,
  type CrdMeasurements,
  type CrdSkippedBlock,
  crdEpochEventTimeTag,
  crdMeasurements,
  crdStationNames,
  DEFAULT_SLR_SIGMA_KM,
  measurementsFromCrd,
} from './crd-measurements.js';
export type * from './crd-model.js';
export { parseCrd } from './crd-read.js';
export { utcDaySecondsInstant } from './day-seconds.js';
export {
  parseSinex,
  type SinexEccentricity,
  type SinexEpoch,
  type SinexEstimate,
  type SinexFile,
  type SinexReadOptions,
  type SinexSite,
  type SinexSolutionEpochs,
  type SinexStationOptions,
  sinexStations,
} from './sinex.js';
