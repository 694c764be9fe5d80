/**
 * CCSDS Navigation Data Messages: generic KVN and XML readers, OMM (KVN/XML and the CelesTrak GP
 * JSON/CSV forms), the OEM writer and reader (KVN and XML), the OPM (KVN/XML reader and writer, to and from a
 * state with its covariance), the any-format element-file entry point, and the TDM (503.0-B-2)
 * reader, writer and conversion to and from the Measurement record.
 */

export {
  type CdmConjunctionInput,
  type CdmConjunctionObject,
  type CdmHbrSource,
  type CdmReadOptions,
  cdmToConjunctionInput,
  parseCdm,
  parseCdmKvn,
  parseCdmXml,
} from './cdm.js';
export {
  CDM_MISS_TOLERANCE_ABS_KM,
  CDM_MISS_TOLERANCE_REL,
  CDM_PC_COMPARABLE_METHODS,
  CDM_PC_NEGLIGIBLE,
  CDM_PC_TOLERANCE_FACTOR,
  type CdmMissCheck,
  type CdmPcCheck,
  checkCdmMissDistance,
  checkCdmPc,
} from './cdm-check.js';
export {
  type ConjunctionCdmInput,
  type ConjunctionCdmObject,
  conjunctionToCdm,
} from './cdm-from-conjunction.js';
export {
  type ScreeningCdmInput,
  screeningCdmMessageId,
  screeningConjunctionToCdm,
} from './cdm-from-screening.js';
export {
  CDM_BLOCK_KEYS,
  CDM_KEYS,
  CDM_RTN_COVARIANCE_KEYS,
  CDM_XYZ_COVARIANCE_KEYS,
  type CdmBlock,
  type CdmKeyDef,
  type CdmValueKind,
  type CdmZone,
} from './cdm-keys.js';
export {
  type Cdm,
  type CdmAdditionalCovarianceMetadata,
  type CdmAdditionalParameters,
  type CdmCovariance,
  type CdmEpoch,
  type CdmHeader,
  type CdmObject,
  type CdmObjectMetadata,
  type CdmOdParameters,
  type CdmRelativeMetadata,
  type CdmSigmaEigenvectors,
  type CdmStateVector,
  type CdmUserDefined,
  cdmCovariance6,
  cdmCovarianceDimension,
  cdmCovarianceFromMatrix,
  cdmCovarianceMatrix,
  cdmEpoch,
  isPositiveDefinite as isCdmCovariancePositiveDefinite,
  readCdmEpoch,
} from './cdm-model.js';
export { cdmNumberText, formatCdmKvn, formatCdmXml } from './cdm-write.js';
export {
  type KvnComment,
  type KvnEntry,
  type KvnMarker,
  type KvnPair,
  type KvnRaw,
  type KvnReadOptions,
  parseKvn,
  parseKvnNumber,
} from './kvn.js';
export {
  formatOemKvn,
  type OemCovariance,
  type OemCovarianceRead,
  type OemFile,
  type OemHeader,
  type OemMessage,
  type OemMetadata,
  type OemSegment,
  type OemSegmentRead,
  type OemState,
  type OemStateRead,
  type OemWriteOptions,
  parseOemKvn,
} from './oem.js';
export { formatOemXml, parseOemXml } from './oem-xml.js';
export {
  formatOmmCsv,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  GP_COLUMNS,
  OMM_COVARIANCE_KEYS,
  OMM_KEYS,
  type OmmCovariance,
  type OmmDigits,
  type OmmFile,
  type OmmHeader,
  type OmmMeanElements,
  type OmmMessage,
  type OmmMetadata,
  type OmmReadOptions,
  type OmmSpacecraft,
  type OmmTleParameters,
  type OmmWriteOptions,
  ommFileToElements,
  parseOmmCsv,
  parseOmmJson,
  parseOmmKvn,
  parseOmmXml,
} from './omm.js';
export {
  OPM_BLOCKS,
  OPM_COVARIANCE_AXES,
  OPM_COVARIANCE_KEYS,
  OPM_KEYS,
  OPM_MANDATORY_KEYS,
  type Opm,
  type OpmBlock,
  type OpmCovariance,
  type OpmHeader,
  type OpmKeplerianElements,
  type OpmKeyDef,
  type OpmManeuver,
  type OpmMetadata,
  type OpmSpacecraft,
  type OpmStateVector,
  type OpmUserDefined,
  type OpmValueKind,
  opmCovarianceIndex,
  opmKeyDef,
} from './opm.js';
export { type OpmReadOptions, parseOpm, parseOpmKvn, parseOpmXml } from './opm-read.js';
export {
  OPM_TIME_SYSTEMS,
  type OpmFromStateInput,
  type OpmStateValue,
  opmFrameName,
  opmFromState,
  opmState,
} from './opm-state.js';
export { formatOpmKvn, formatOpmXml, opmNumberText } from './opm-write.js';
export { detectElementFormat, type ParseElementsOptions, parseElements } from './parse-elements.js';
export {
  RDM_BLOCKS,
  RDM_KEYS,
  RDM_MANDATORY_KEYS,
  type Rdm,
  type RdmBlock,
  type RdmBlockName,
  type RdmKeyDef,
  rdmKeyDef,
  rdmValue,
} from './rdm.js';
export {
  type RdmFromReentryEventOptions,
  type RdmFromReentryOptions,
  rdmFromReentryEvent,
  rdmFromReentryPrediction,
} from './rdm-from-reentry.js';
export { parseRdm, parseRdmKvn, parseRdmXml, type RdmReadOptions } from './rdm-read.js';
export { formatRdmKvn, formatRdmXml, rdmNumberText } from './rdm-write.js';
export {
  TDM_DATA_KEYS,
  TDM_METADATA_KEYS,
  TDM_TIME_SYSTEMS,
  type Tdm,
  type TdmDataKeyDef,
  type TdmHeader,
  type TdmMetadata,
  type TdmMetadataKeyDef,
  type TdmObservation,
  type TdmSegment,
  type TdmTimeSystem,
  type TdmValueKind,
  tdmDataKeyDef,
  tdmMetadataKeyDef,
  tdmMetaNumber,
  tdmMetaPath,
  tdmMetaString,
  tdmParticipant,
} from './tdm.js';
export {
  measurementsFromTdm,
  TDM_METEO_MAX_GAP_S,
  type TdmMeasurementOptions,
  type TdmMeasurements,
  type TdmSkipped,
  type TdmWriteHeader,
  tdmFromMeasurements,
} from './tdm-measurements.js';
export { parseTdm, parseTdmKvn, parseTdmXml, type TdmReadOptions } from './tdm-read.js';
export { formatTdmKvn, formatTdmXml } from './tdm-write.js';
export {
  parseXml,
  type XmlDocument,
  type XmlElement,
  type XmlNode,
  type XmlReadOptions,
  type XmlText,
  xmlChildElements,
  xmlLocalName,
  xmlText,
} from './xml.js';
