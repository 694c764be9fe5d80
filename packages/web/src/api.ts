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

/** The console session's CSRF token (from /auth/login or /auth/me), sent on every change. */
let csrfToken: string | null = null;

/** Fired on window when the API answers 401 (session ended): the login form shows again. */
export const UNAUTHENTICATED_EVENT = 'hoshimi:unauthenticated';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  if (res.status === 401) globalThis.dispatchEvent?.(new Event(UNAUTHENTICATED_EVENT));
  return new ApiError(res.status, body.code ?? 'HTTP', body.message ?? `${res.status} ${res.statusText}`);
}

/** A state-changing request (POST, PUT, DELETE) with the session's CSRF header. */
export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Who is signed in (GET /auth/me). */
export interface Me {
  readonly username: string;
  readonly roles: readonly string[];
  readonly organisation: string;
  readonly nation: string;
  readonly clearance: string;
  readonly csrfToken?: string;
}

export const auth = {
  /** The signed-in user, or null when the console has no session (401). */
  me: async (): Promise<Me | null> => {
    const res = await fetch('/auth/me', { headers: { accept: 'application/json' } });
    if (res.status === 401) return null;
    if (!res.ok) throw await failure(res);
    const me = (await res.json()) as Me;
    csrfToken = me.csrfToken ?? null;
    return me;
  },
  login: async (username: string, password: string): Promise<Me> => {
    const me = await sendJson<Me>('POST', '/auth/login', { username, password });
    csrfToken = me.csrfToken ?? null;
    return me;
  },
  logout: async (): Promise<void> => {
    await sendJson<void>('POST', '/auth/logout');
    csrfToken = null;
  },
};

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (res.status === 401) throw await failure(res);
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
