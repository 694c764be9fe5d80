/** Public API of the ilrs module: CRD and CPF laser-ranging files, SINEX station coordinates. */

export {
  type CpfEntry,
  type CpfFile,
  type CpfHeader,
  type CpfPositions,
  type CpfReadOptions,
  cpfPositions,
  parseCpf,
  writeCpf,
} from './cpf.js';
export {
  CRD_UTC_TIME_SCALES,
  type CrdMeasurementOptions,
  crdEpochEventTimeTag,
  crdEpochInstant,
  crdStationNames,
  DEFAULT_SLR_SIGMA_KM,
  measurementsFromCrd,
} from './crd-measurements.js';
export type * from './crd-model.js';
export { parseCrd } from './crd-read.js';
export { SPEED_OF_LIGHT_KM_S } from './record-fields.js';
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
