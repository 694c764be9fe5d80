/**
 * CCSDS Orbit Mean-elements Message (OMM), CCSDS 502.0-B-2 (ODM 2.0, §4) and 502.0-B-3 (ODM 3.0),
 * in KVN, XML (CCSDS 505.0-B-2 NDM/XML, single `<omm>` or `<ndm>` with several) and the CelesTrak /
 * Space-Track GP forms: JSON (array of objects keyed by the OMM keywords) and CSV (header row of the
 * same keywords). CelesTrak GP XML is OMM XML.
 *
 * Units are converted at this boundary by one key table (`OMM_KEYS`): degrees → rad, rev/day →
 * rad/min (÷ 1440/2π, the same operation as the TLE reader so that the same decimal text gives the
 * same double). MEAN_MOTION_DOT and MEAN_MOTION_DDOT are kept in rev/day² and rev/day³ with the TLE
 * meaning (ṅ/2 and n̈/6), as CelesTrak and Space-Track fill them from the TLE fields. NORAD_CAT_ID
 * is kept as a decimal string, so 9-digit catalog numbers survive.
 *
 * Only SGP4-family theories (MEAN_ELEMENT_THEORY SGP4, SGP/SGP4, SGP, SGP4-XP) with UTC epochs and a
 * mean motion yield an ElementSet; other OMMs parse (metadata, elements, covariance) with an
 * `OMM_NOT_PROPAGATABLE` warning.
 *
 * The code is split like the CDM code: the key table (omm-keys.ts), the model (omm-model.ts), the
 * CCSDS readers and their common builder (omm-read.ts), the GP JSON/CSV readers (omm-read-gp.ts)
 * and the writers (omm-write.ts). This module gathers their public API.
 */
export { OMM_COVARIANCE_KEYS, OMM_KEYS } from './omm-keys.js';
export type {
  OmmCovariance,
  OmmFile,
  OmmHeader,
  OmmMeanElements,
  OmmMessage,
  OmmMetadata,
  OmmReadOptions,
  OmmSpacecraft,
  OmmTleParameters,
} from './omm-model.js';
export { parseOmmKvn, parseOmmXml } from './omm-read.js';
export { ommFileToElements, parseOmmCsv, parseOmmJson } from './omm-read-gp.js';
export {
  formatOmmCsv,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  GP_COLUMNS,
  type OmmDigits,
  type OmmWriteOptions,
} from './omm-write.js';
