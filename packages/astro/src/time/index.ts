/** Time scales, leap seconds, UTC calendar fields and time strings. */

export {
  calendarFromDayOfYear,
  calendarFromMjd,
  dayOfYear,
  daysInMonth,
  daysInYear,
  isLeapYear,
  isValidDate,
  MJD_JD_OFFSET,
  mjdFromCalendar,
} from '../math/calendar.js';
export type { FrameEpoch } from './frame-epoch.js';
export {
  type LeapSecondEntry,
  type LeapSecondExpiryPolicy,
  type LeapSecondParseOptions,
  LeapSecondTable,
  type LeapSecondTableOptions,
  parseLeapSecondDat,
  parseLeapSeconds,
  parseTaiUtcDat,
  UTC_FIRST_MJD,
  type UtcDayInfo,
} from './leap-seconds.js';
export {
  fieldsToInstant,
  gpsWeekSeconds,
  instantFromGpsWeekSeconds,
  instantFromJulianDateIn,
  instantToFields,
  julianDateIn,
  mjdIn,
  scaleDayTime,
  scaleMinusTtS,
  TAI_MINUS_GPS_S,
  TIME_SCALES,
  type TimeScale,
  tdbMinusTtS,
  ut1MinusUtcAt,
} from './scales.js';
export {
  formatTime,
  MAX_TIME_DECIMALS,
  type ParsedTimeString,
  parseTimeString,
  parseTimeToInstant,
  type TimeFormatOptions,
  type TimeParseOptions,
  type TimeStringStyle,
} from './time-format.js';
export {
  type CalendarFields,
  instantFromUtcJulianDate,
  instantToUtc,
  type JulianDatePair,
  type ScaleDayTime,
  type TimeContext,
  taiMinusUtcAt,
  type UtcFields,
  utcJulianDate,
  utcMjd,
  utcToInstant,
} from './utc.js';
