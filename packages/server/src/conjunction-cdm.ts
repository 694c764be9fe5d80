/**
 * The CCSDS CDM (508.0-B-1) of a stored conjunction, rebuilt from the store: each object's element
 * set is the one the screening used (the stored element-set age at TCA names its epoch; failing
 * that the catalog as of the screening's as-of time), propagated with SGP4 to the stored TCA, and
 * handed to astro's screeningConjunctionToCdm, the writer `hoshimi screen --cdm-dir` uses (states
 * in EME2000, miss and relative velocity in the primary's RTN frame). The stored miss distance, Pc
 * and its method are written as stored. One builder for GET /conjunctions/:id/cdm and the node
 * exchange's CDM items.
 */
import {
  type AstroContext,
  type Cdm,
  minutesSinceEpoch,
  parseUtcString,
  screeningConjunctionToCdm,
  sgp4,
  sgp4Init,
  type UtcJulianDate,
} from '@hoshimi/astro';
import type { Conjunction } from '@hoshimi/astro/conjunction';
import type { CatalogStore, ConjunctionRecord, StoredElementSet } from '@hoshimi/store';
import { ApiError } from './errors.js';

/** One minute, in days: how close a stored set's epoch must be to TCA − age to be the one screened. */
const EPOCH_MATCH_DAYS = 1 / 1440;

/** What a CDM needs of the conjunction's screening. */
export interface CdmScreening {
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  readonly catalogAsOf: string | null;
}

/** The element sets a store gives the builder (a reader's view or the whole store). */
export type CdmSetSource = Pick<CatalogStore, 'history' | 'getObject'>;

/** The element set a screening used for one object of a conjunction (see the module header). */
export async function screenedSet(
  store: CdmSetSource,
  cn: string,
  tca: UtcJulianDate,
  ageDays: number,
  run: CdmScreening,
): Promise<StoredElementSet> {
  const targetDay = tca.jd + tca.jdFrac - ageDays;
  let best: StoredElementSet | undefined;
  let bestDiff = Number.POSITIVE_INFINITY;
  for (const s of await store.history(cn)) {
    const d = Math.abs(s.elements.epoch.jd - targetDay + s.elements.epoch.jdFrac);
    if (d < bestDiff) {
      best = s;
      bestDiff = d;
    }
  }
  if (best !== undefined && bestDiff <= EPOCH_MATCH_DAYS) return best;
  const status = await store.getObject(cn, run.catalogAsOf ?? run.windowStart);
  if (status?.latest == null)
    throw new ApiError(
      404,
      'NO_ELEMENTS',
      `object ${cn} has no element set in the store for this conjunction`,
    );
  return status.latest;
}

/**
 * The CDM of one stored conjunction and the two element sets it was built from. `creation` is the
 * message's creation time. Throws ApiError (NO_ELEMENTS, SGP4_FAILED, STORE_TIME).
 */
export async function conjunctionCdm(
  store: CdmSetSource,
  ctx: AstroContext,
  run: CdmScreening,
  c: ConjunctionRecord,
  creation: Date,
): Promise<{ readonly cdm: Cdm; readonly sets: readonly [StoredElementSet, StoredElementSet] }> {
  const tca = parseUtcString(c.tcaUtc.replace(/Z$/, ''));
  const start = parseUtcString(run.windowStart.replace(/Z$/, ''));
  const stop = parseUtcString(run.windowStop.replace(/Z$/, ''));
  if (tca === undefined || start === undefined || stop === undefined)
    throw new ApiError(500, 'STORE_TIME', `stored times of conjunction ${c.id1}/${c.id2} cannot be read`);
  const objects = await Promise.all(
    (
      [
        [c.id1, c.age1Days],
        [c.id2, c.age2Days],
      ] as const
    ).map(async ([cn, age], index) => {
      const set = await screenedSet(store, cn, tca, age, run);
      const satrec = sgp4Init(set.elements);
      const out = new Float64Array(6);
      const code = sgp4(satrec, minutesSinceEpoch(set.elements.epoch, tca.jd, tca.jdFrac), out);
      if (code !== 0)
        throw new ApiError(409, 'SGP4_FAILED', `SGP4 error ${code} for object ${cn} at TCA ${c.tcaUtc}`);
      return {
        set,
        object: {
          catalogNumber: cn,
          ...(set.elements.name === undefined ? {} : { name: set.elements.name }),
          index,
          elementAgeDays: age,
          rKm: [out[0]!, out[1]!, out[2]!] as const,
          vKmS: [out[3]!, out[4]!, out[5]!] as const,
        },
      };
    }),
  );
  const [p, s] = objects as [(typeof objects)[number], (typeof objects)[number]];
  const conjunction = {
    primary: p.object,
    secondary: s.object,
    tca,
    tcaSecondsFromStart: minutesSinceEpoch(start, tca.jd, tca.jdFrac) * 60,
    missKm: c.missKm,
    relativeSpeedKmS: c.relSpeedKmS,
    missRtnKm: { radial: c.rKm, inTrack: c.iKm, crossTrack: c.cKm },
    pc: c.pc,
    pcMethod: c.pcMethod,
  } as unknown as Conjunction;
  const ms = creation.getTime();
  const days = Math.floor(ms / 86_400_000);
  const cdm = screeningConjunctionToCdm(
    {
      conjunction,
      originator: 'HOSHIMI',
      creationDate: { jd: 2440587.5 + days, jdFrac: (ms - days * 86_400_000) / 86_400_000 },
      screenStart: start,
      screenStop: stop,
      screenRadiusKm: run.thresholdKm,
      pc: c.pc,
      pcMethod: c.pcMethod,
      hbrKm: c.hbrM / 1000,
      intlDesignators: [p.set.elements.intlDesignator, s.set.elements.intlDesignator],
    },
    ctx,
  );
  return { cdm, sets: [p.set, s.set] };
}
