/**
 * Element sets: the shared ElementSet record, TLE/3LE reading and writing, and UTC calendar ↔
 * two-part Julian date helpers used by every element format.
 */

export type { ElementFile, ElementFormat, ElementRecord, TleVerificationRange } from './element-record.js';
export type { Classification, ElementSet, UtcJulianDate } from './element-set.js';
export {
  decodeAlpha5,
  encodeAlpha5,
  formatTle,
  formatTleText,
  parseTleLines,
  parseTleText,
  readVerificationColumns,
  TLE_LINE_LENGTH,
  TLE_MAX_CATALOG_NUMBER,
  type TleChecksumMode,
  type TleNameStyle,
  type TleReadOptions,
  tleChecksum,
} from './tle.js';
export {
  type CalendarDate,
  calendarFromJulianMidnight,
  formatUtcIso,
  julianFromCalendar,
  julianFromDayOfYear,
  type MonthDayTime,
  monthDayTimeFromDays,
  normaliseJulian,
  parseUtcString,
} from './utc-calendar.js';
