/**
 * The time convention of SGP4 element sets, in one place: every command and module that measures
 * time since an element set's epoch calls these functions.
 *
 * Convention (Vallado's SGP4.cpp `twoline2rv`/`jday`, python-sgp4, satellite.js): an element set's
 * epoch is a UTC *label*, the two-part Julian date of its calendar fields with 86,400-second days
 * (a TLE's day fraction 0.5 is 12:00:00.000 on every day, a leap-second day too), and the time
 * since epoch that SGP4 receives is the difference of two such labels:
 *
 *   tsince [min] = ((jd − epoch.jd) + (jdFrac − epoch.jdFrac)) × 1440.
 *
 * A leap second inside the interval is therefore not counted: from 2016-12-31T12:00:00 to
 * 2017-01-01T12:00:00 is 1440 minutes here, while 86,401 SI seconds elapsed. Orekit's
 * TLEPropagator differs: it uses the SI seconds elapsed between two AbsoluteDates, so its tsince is
 * one second longer per leap second crossed (about 7.5 km along track in LEO). The element sets
 * were fitted by the 18 SDS under the UTC-label convention, which is why the peers follow it.
 *
 * Going between labels and instants (for frame changes, which need TT and UT1): a label's
 * day fraction × 86,400 is the UTC second of day, read on that UTC day; it is never 23:59:60. An
 * instant inside a leap second (23:59:60.x) gets the label of the next day's 00:00:00.x, the one
 * place where two instants share a label.
 */
import type { UtcJulianDate } from '../elements/element-set.js';
import { normaliseJulian } from '../elements/utc-calendar.js';
import { MJD_JD_OFFSET } from '../math/calendar.js';
import type { Instant } from '../time/instant.js';
import { instantFromUtcDaySeconds, type TimeContext, utcDayTime } from '../time/utc.js';

/** Minutes per UTC-label day (86,400 s / 60). */
const MINUTES_PER_DAY = 1440;
/** Seconds per UTC-label day. */
const SECONDS_PER_LABEL_DAY = 86400;

/**
 * Minutes from an element set's epoch to the UTC label `jd + jdFrac` (two-part Julian date, any
 * split): the UTC Julian-date difference (see the module header). Whole days and fractions are
 * subtracted separately, so no day-sized rounding touches the result.
 */
export function minutesSinceEpoch(epoch: UtcJulianDate, jd: number, jdFrac: number): number {
  return (jd - epoch.jd + (jdFrac - epoch.jdFrac)) * MINUTES_PER_DAY;
}

/** The UTC label `tsinceMin` minutes after an epoch (normalised: jd a midnight, jdFrac in [0, 1)). */
export function utcLabelAfterEpoch(epoch: UtcJulianDate, tsinceMin: number): UtcJulianDate {
  return normaliseJulian(epoch.jd, epoch.jdFrac + tsinceMin / MINUTES_PER_DAY);
}

/**
 * The instant of a UTC label: second of day = day fraction × 86,400 on that UTC day. Needs the
 * leap-second table (TAI − UTC of the day); throws its `TIME_OUT_OF_RANGE` outside it.
 */
export function instantOfUtcLabel(label: UtcJulianDate, ctx: TimeContext): Instant {
  const n = normaliseJulian(label.jd, label.jdFrac);
  const mjd = Math.round(n.jd - MJD_JD_OFFSET);
  const u = n.jdFrac * SECONDS_PER_LABEL_DAY;
  const secInt = Math.floor(u);
  return instantFromUtcDaySeconds(mjd, secInt, u - secInt, ctx.leapSeconds);
}

/**
 * The UTC label of an instant: its UTC calendar day and second of day over 86,400 (during a leap
 * second, the next day's 00:00:00.x). Throws `TIME_OUT_OF_RANGE` outside the leap-second table.
 */
export function utcLabelOfInstant(t: Instant, ctx: TimeContext): UtcJulianDate {
  const d = utcDayTime(t, ctx.leapSeconds);
  return normaliseJulian(d.mjd + MJD_JD_OFFSET, (d.secInt + d.secFrac) / SECONDS_PER_LABEL_DAY);
}
