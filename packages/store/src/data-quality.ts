/**
 * The data-quality view of an object at a query time, shown next to the data rather than used to
 * hide it:
 * - age: query time minus the epoch of the latest element set, days (86,400 s);
 * - stale: age above the stale limit (default 30 days, configurable per store);
 * - decayed: the object has a decay date on or before the query time, or SGP4 (Vallado 2020
 *   revision, WGS-72, as TLEs are fitted) propagated from the latest element set to the query time
 *   reports the orbit gone: error 6 (radius below one Earth radius), error 1 (mean semi-major
 *   axis below 0.95 Earth radii or eccentricity out of range, which is how SGP4 usually ends a
 *   decaying orbit), errors 3 or 4 (perturbed eccentricity or semi-latus rectum out of range), or a
 *   position below the Earth's equatorial radius. Vallado's return-code table: SGP4.cpp, `sgp4`.
 */
import {
  type ElementSet,
  minutesSinceEpoch,
  SGP4_ERRORS,
  type Sgp4ErrorCode,
  sgp4,
  sgp4Init,
} from '@hoshimi/astro';
import { epochKeyFromIso, julianFromEpochKey, MICROS_PER_DAY } from './epoch-key.js';

/** Default stale limit, days: Space-Track treats an element set older than 30 days as stale. */
export const DEFAULT_STALE_AFTER_DAYS = 30;

/** SGP4 error codes that mean the orbit no longer exists at the query time. */
const DECAY_CODES: ReadonlySet<number> = new Set([1, 3, 4, 6]);

export interface QualityView {
  readonly ageDays: number | null;
  readonly stale: boolean;
  readonly decayed: boolean;
  readonly decayReason: string | null;
}

const out = new Float64Array(6);

/**
 * Why SGP4 says the orbit is gone at `tKey` (epoch key), or null when it propagates normally.
 * Only looks forward: a query time before the epoch is never a decay.
 */
export function sgp4DecayReason(elements: ElementSet, tKey: number): string | null {
  const t = julianFromEpochKey(tKey);
  const tsinceMin = minutesSinceEpoch(elements.epoch, t.jd, t.jdFrac);
  const satrec = sgp4Init(elements);
  let code: number = satrec.error;
  if (code === 0 && tsinceMin !== 0) code = sgp4(satrec, tsinceMin, out);
  if (DECAY_CODES.has(code)) {
    const e = SGP4_ERRORS[code as Sgp4ErrorCode];
    return `SGP4 error ${code} (${e.code}) at the query time: ${e.message}`;
  }
  if (code === 0) {
    const r = Math.hypot(out[0] as number, out[1] as number, out[2] as number);
    if (tsinceMin !== 0 && r < satrec.radiusearthkm) {
      return `SGP4 radius ${r.toFixed(1)} km at the query time is below the Earth's radius`;
    }
  }
  return null;
}

/** Quality of an object whose latest element set (or none) is known, at query time `tKey`. */
export function qualityAt(
  latest: { readonly elements: ElementSet; readonly epochKey: number } | null,
  decayDate: string | null,
  tKey: number,
  staleAfterDays: number,
): QualityView {
  let decayReason: string | null = null;
  if (decayDate !== null && epochKeyFromIso(decayDate, 'decay date') <= tKey) {
    decayReason = `decay date ${decayDate}`;
  }
  if (latest === null) return { ageDays: null, stale: false, decayed: decayReason !== null, decayReason };
  const ageDays = (tKey - latest.epochKey) / MICROS_PER_DAY;
  if (decayReason === null) decayReason = sgp4DecayReason(latest.elements, tKey);
  return { ageDays, stale: ageDays > staleAfterDays, decayed: decayReason !== null, decayReason };
}
