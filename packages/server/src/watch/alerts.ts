/**
 * Alerts of a watch list from one stored screening, the way conjunction-assessment services
 * (Space-Track's CDM service, NASA CARA) notify owners/operators: an event is followed across
 * screenings as "the same encounter" and an owner is told when it is new, or when its numbers
 * moved materially, not on every re-screening.
 *
 * - An event concerns the list when one of its objects is a watched asset.
 * - Same encounter: the same pair and TCAs within SAME_ENCOUNTER_S.
 * - New alert: an encounter not alerted before whose miss distance ≤ maxMissKm, or whose Pc ≥ minPc.
 * - Changed: a known encounter whose miss moved by more than max(MISS_CHANGE_KM,
 *   MISS_CHANGE_FRACTION · previous miss), or whose Pc moved by a factor of PC_CHANGE_FACTOR or
 *   more (or appeared/disappeared); a change re-opens an acknowledged alert. The change is kept
 *   even when the event now lies outside the thresholds (the all-clear is news too).
 */
import type { CatalogStore, ConjunctionRecord, StoredAlert, StoredWatchList } from '@hoshimi/store';

/**
 * Two predictions of one encounter: TCAs agree to seconds or a minute between element-set
 * updates, while a LEO pair's next encounter is at least half an orbit (≥ 44 min) away.
 */
export const SAME_ENCOUNTER_S = 600;
/** 100 m: below the uncertainty of TLE-based miss distances a day out; not news. */
export const MISS_CHANGE_KM = 0.1;
/** 20 % of the miss: a material move of the predicted geometry. */
export const MISS_CHANGE_FRACTION = 0.2;
/** A factor of 2 in Pc (0.3 in log10), as operators read Pc on a log scale. */
export const PC_CHANGE_FACTOR = 2;

export interface AlertChange {
  readonly alert: StoredAlert;
  readonly change: 'new' | 'changed';
}

function underThresholds(list: StoredWatchList, c: ConjunctionRecord): boolean {
  if (c.missKm <= list.thresholds.maxMissKm) return true;
  const minPc = list.thresholds.minPc;
  return minPc !== null && c.pc !== null && c.pc >= minPc;
}

/** Whether the values moved materially (see the module header). */
export function materialChange(
  before: { readonly missKm: number; readonly pc: number | null },
  after: { readonly missKm: number; readonly pc: number | null },
): boolean {
  const dMiss = Math.abs(after.missKm - before.missKm);
  if (dMiss > Math.max(MISS_CHANGE_KM, MISS_CHANGE_FRACTION * before.missKm)) return true;
  if ((before.pc === null) !== (after.pc === null)) return true;
  if (before.pc !== null && after.pc !== null) {
    if (before.pc === 0 || after.pc === 0) return before.pc !== after.pc;
    const ratio = after.pc / before.pc;
    if (ratio >= PC_CHANGE_FACTOR || ratio <= 1 / PC_CHANGE_FACTOR) return true;
  }
  return false;
}

/**
 * Records the alerts one screening raises for one watch list (store.recordAlert) and returns them.
 * `existing` are the list's alerts so far (any state).
 */
export async function alertsFromScreening(
  store: Pick<CatalogStore, 'recordAlert'>,
  list: StoredWatchList,
  screeningId: number,
  conjunctions: readonly ConjunctionRecord[],
  existing: readonly StoredAlert[],
  at: string,
): Promise<AlertChange[]> {
  const assets = new Set(list.assets.map((a) => String(Number(a))));
  const known = [...existing];
  const out: AlertChange[] = [];
  for (const c of conjunctions) {
    const assetFirst = assets.has(c.id1);
    if (!assetFirst && !assets.has(c.id2)) continue;
    const assetId = assetFirst ? c.id1 : c.id2;
    const otherId = assetFirst ? c.id2 : c.id1;
    const tca = Date.parse(c.tcaUtc);
    const match = known.find(
      (a) =>
        ((a.assetId === assetId && a.otherId === otherId) ||
          (a.assetId === otherId && a.otherId === assetId)) &&
        Math.abs(Date.parse(a.tcaUtc) - tca) <= SAME_ENCOUNTER_S * 1000,
    );
    const observation = {
      watchListId: list.id,
      assetId: match?.assetId ?? assetId,
      otherId: match?.otherId ?? otherId,
      tcaUtc: c.tcaUtc,
      missKm: c.missKm,
      pc: c.pc,
      screeningId,
      at,
    };
    if (match === undefined) {
      if (!underThresholds(list, c)) continue;
      const alert = await store.recordAlert(observation);
      if (alert !== null) {
        known.push(alert);
        out.push({ alert, change: 'new' });
      }
    } else if (match.screeningId !== screeningId && materialChange(match, c)) {
      const alert = await store.recordAlert({ ...observation, id: match.id });
      if (alert !== null) {
        known[known.indexOf(match)] = alert;
        out.push({ alert, change: 'changed' });
      }
    }
  }
  return out;
}
