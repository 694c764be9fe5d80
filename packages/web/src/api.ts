/** The console's calls to the Hoshimi API on the same origin, with the response shapes it reads. */
import type { ElementSet } from '@hoshimi/astro';

export const OBJECT_TYPES = ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** The catalog as element columns (`/console/catalog`); units as in ElementSet. */
export interface CatalogColumns {
  readonly asOf: string;
  readonly count: number;
  readonly latestEpochUtc: string | null;
  readonly catalogNumber: readonly string[];
  readonly name: readonly string[];
  /** Index into OBJECT_TYPES. */
  readonly type: readonly number[];
  readonly epochJd: readonly number[];
  readonly epochJdFrac: readonly number[];
  readonly meanMotionRadPerMin: readonly number[];
  readonly eccentricity: readonly number[];
  readonly inclinationRad: readonly number[];
  readonly raanRad: readonly number[];
  readonly argPerigeeRad: readonly number[];
  readonly meanAnomalyRad: readonly number[];
  readonly bstar: readonly number[];
}

export interface ElementsRow {
  readonly id: number;
  readonly epochUtc: string;
  readonly source: string;
  readonly label: string;
  readonly format: string;
  readonly ingestedAt: string;
  readonly elements: ElementSet;
}

export interface CatalogObjectRow {
  readonly catalogNumber: string;
  readonly name: string | null;
  readonly intlDesignator: string | null;
  readonly objectType: ObjectType;
  readonly launchDate: string | null;
  readonly decayDate: string | null;
  readonly ownerCode?: string | null;
  readonly ownerName?: string | null;
}

export interface ObjectStatusRow {
  readonly object: CatalogObjectRow;
  readonly latest: ElementsRow | null;
  readonly ageDays: number | null;
  readonly stale: boolean;
  readonly decayed: boolean;
}

export interface ObjectPage extends ObjectStatusRow {
  readonly history: readonly ElementsRow[];
}

export interface ConjunctionRow {
  readonly index: number;
  readonly id1: string;
  readonly id2: string;
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly relSpeedKmS: number;
  readonly rKm: number;
  readonly iKm: number;
  readonly cKm: number;
  readonly pc: number | null;
  readonly pcMethod: string;
  readonly hbrM: number;
  readonly covarianceSource: string;
  readonly confidence: 'low' | 'normal';
  readonly age1Days: number;
  readonly age2Days: number;
}

export interface ScreeningRow {
  readonly id: number;
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  readonly conjunctionCount: number;
}

export interface ConjunctionList {
  readonly screening: ScreeningRow | null;
  readonly conjunctions: readonly ConjunctionRow[];
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

export const api = {
  catalog: () => getJson<CatalogColumns>('/console/catalog'),
  search: (q: string) =>
    getJson<{ results: ObjectStatusRow[] }>(`/console/search?q=${encodeURIComponent(q)}`),
  object: (id: string) => getJson<ObjectPage>(`/console/objects/${encodeURIComponent(id)}`),
  conjunctions: (sort: 'pc' | 'miss') => getJson<ConjunctionList>(`/console/conjunctions?sort=${sort}`),
};
