/**
 * The instant of an ILRS epoch written as a UTC day (MJD) and seconds of that day, as CRD and CPF
 * records write it. A second of day at or past the end of the day (86400, or 86401 on a day that
 * ends with a leap second) rolls into the next day, which a file may do around midnight.
 */
import type { Instant } from '../time/instant.js';
import { instantFromUtcDaySeconds, type TimeContext } from '../time/utc.js';

/** Instant of UTC day `mjd` + `secondsOfDay`, through the leap-second table of `context`. */
export function utcDaySecondsInstant(mjd: number, secondsOfDay: number, context: TimeContext): Instant {
  let day = mjd;
  let sod = secondsOfDay;
  const length = context.leapSeconds.dayInfo(day).lengthS;
  if (sod >= length) {
    sod -= length;
    day += 1;
  }
  const secInt = Math.floor(sod);
  return instantFromUtcDaySeconds(day, secInt, sod - secInt, context.leapSeconds);
}
