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

// Jobs, screenings, watch lists, alerts and CDMs: the public API (routes/jobs.ts, watch.ts,
// conjunctions.ts), shapes as its OpenAPI document gives them.

export const JOB_KINDS = ['screening', 'maneuvers', 'rpo', 'import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly params: Readonly<Record<string, unknown>>;
  readonly state: JobState;
  readonly progress: { readonly fraction: number | null; readonly message: string };
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export function isTerminalJob(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

export interface Screening {
  readonly id: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  readonly primaryCount: number | null;
  readonly catalogAsOf: string | null;
  readonly source: string;
  readonly objectCount: number;
  readonly conjunctionCount: number;
}

/** A conjunction as `/conjunctions` gives it; `id` is `<screening id>-<n>`. */
export interface PublicConjunction {
  readonly id: string;
  readonly screeningId: number;
  readonly id1: string;
  readonly id2: string;
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly relSpeedKmS: number;
  readonly missRtnKm: { readonly radial: number; readonly inTrack: number; readonly crossTrack: number };
  readonly pc: number | null;
  readonly pcMethod: string;
  readonly hbrM: number;
  readonly covarianceSource: string;
  readonly confidence: string;
  readonly age1Days: number;
  readonly age2Days: number;
}

/** The console's row of a public conjunction (`index` is n − 1; `id` names it for the CDM). */
export type IdentifiedConjunctionRow = ConjunctionRow & { readonly id: string };

export function conjunctionRowOf(c: PublicConjunction): IdentifiedConjunctionRow {
  return {
    id: c.id,
    index: Number(c.id.split('-')[1]) - 1,
    id1: c.id1,
    id2: c.id2,
    tcaUtc: c.tcaUtc,
    missKm: c.missKm,
    relSpeedKmS: c.relSpeedKmS,
    rKm: c.missRtnKm.radial,
    iKm: c.missRtnKm.inTrack,
    cKm: c.missRtnKm.crossTrack,
    pc: c.pc,
    pcMethod: c.pcMethod,
    hbrM: c.hbrM,
    covarianceSource: c.covarianceSource,
    confidence: c.confidence === 'low' ? 'low' : 'normal',
    age1Days: c.age1Days,
    age2Days: c.age2Days,
  };
}

export interface WatchList {
  readonly id: number;
  readonly name: string;
  readonly assets: readonly string[];
  readonly schedule: { readonly everyHours: number; readonly days: number } | null;
  readonly thresholds: { readonly maxMissKm: number; readonly minPc: number | null };
  readonly webhookUrl: string | null;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRunAt: string | null;
}

export type AlertState = 'open' | 'acknowledged';

export interface AlertHistoryEntry {
  readonly at: string;
  readonly change: 'new' | 'changed' | 'acknowledged';
  readonly screeningId: number | null;
  readonly tcaUtc: string | null;
  readonly missKm: number | null;
  readonly pc: number | null;
  readonly by: string | null;
  readonly note: string | null;
}

export interface Alert {
  readonly id: number;
  readonly watchListId: number;
  readonly assetId: string;
  readonly otherId: string;
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly pc: number | null;
  readonly screeningId: number;
  readonly state: AlertState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgementNote: string | null;
  readonly history: readonly AlertHistoryEntry[];
}

async function getText(path: string): Promise<string> {
  const res = await fetch(path);
  if (!res.ok) {
    const b = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(b.message ?? `${res.status} ${res.statusText}`);
  }
  return res.text();
}

export const publicApi = {
  jobs: (limit = 50) => getJson<{ items: Job[] }>(`/jobs?limit=${limit}`),
  job: (id: string) => getJson<Job>(`/jobs/${encodeURIComponent(id)}`),
  submitJob: (kind: JobKind, params: Record<string, unknown>) =>
    sendJson<Job>('POST', '/jobs', { kind, params, requestedBy: 'console' }),
  cancelJob: (id: string) => sendJson<Job>('POST', `/jobs/${encodeURIComponent(id)}/cancel`),
  /** Progress as Server-Sent Events: `state` and `progress` events carry the job record. */
  jobEventsUrl: (id: string) => `/jobs/${encodeURIComponent(id)}/events`,
  screenings: (limit = 50) => getJson<{ items: Screening[] }>(`/screenings?limit=${limit}`),
  conjunctions: (screeningId: number | null, sort: 'pc' | 'miss', limit = 500) =>
    getJson<{ screening: Screening; items: PublicConjunction[] }>(
      `/conjunctions?sort=${sort === 'pc' ? '-pc' : 'miss'}&limit=${limit}${
        screeningId === null ? '' : `&screeningId=${screeningId}`
      }`,
    ),
  cdmUrl: (id: string, format: 'kvn' | 'xml' = 'kvn') =>
    `/conjunctions/${encodeURIComponent(id)}/cdm${format === 'xml' ? '?format=xml' : ''}`,
  cdm: (id: string) => getText(`/conjunctions/${encodeURIComponent(id)}/cdm`),
  watchLists: () => getJson<{ items: WatchList[] }>('/watch-lists'),
  runWatchList: (id: number) => sendJson<Job>('POST', `/watch-lists/${id}/run`),
  alerts: (query: { state?: AlertState; watchListId?: number }) => {
    const q = new URLSearchParams({ limit: '200' });
    if (query.state !== undefined) q.set('state', query.state);
    if (query.watchListId !== undefined) q.set('watchListId', String(query.watchListId));
    return getJson<{ items: Alert[]; total: number }>(`/alerts?${q}`);
  },
  acknowledgeAlert: (id: number, by: string, note: string) =>
    sendJson<Alert>('POST', `/alerts/${id}/acknowledge`, note === '' ? { by } : { by, note }),
};

// Detection events and element histories from the public API (GET /events, GET /objects/{n}/history).

/** Event types of the public API (astro's DETECTION_EVENT_TYPES). */
export const EVENT_TYPES = [
  'maneuver',
  'proximity',
  'rendezvous',
  'co-location',
  'attached',
  'fragmentation',
  'reentry',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One detection event as `GET /events` returns it. */
export interface EventRow {
  readonly id: number;
  readonly key: string;
  readonly type: EventType;
  readonly kind: string;
  readonly objects: readonly string[];
  readonly timeUtc: string;
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
  readonly score: number;
  readonly threshold: number;
  readonly detector: string;
  readonly detectorVersion: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly label: string;
}

export interface PageInfo {
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
  readonly next: string | null;
}

export interface Paged<T> {
  readonly items: readonly T[];
  readonly page: PageInfo;
}

/** One element set as the public API shows it (OMM units: degrees, rev/day). */
export interface ElementSetJson {
  readonly id: number;
  readonly catalogNumber: string;
  readonly epochUtc: string;
  readonly name: string | null;
  readonly intlDesignator: string | null;
  readonly classification: string;
  readonly meanMotionRevPerDay: number;
  readonly eccentricity: number;
  readonly inclinationDeg: number;
  readonly raanDeg: number;
  readonly argPerigeeDeg: number;
  readonly meanAnomalyDeg: number;
  readonly bstar: number;
  readonly meanMotionDotRevPerDay2: number;
  readonly meanMotionDdotRevPerDay3: number;
  readonly elementSetNumber: number;
  readonly revolutionNumber: number;
  readonly source: string;
}

export interface EventQuery {
  readonly type?: EventType;
  readonly catalogNumber?: string;
  readonly limit?: number;
  readonly offset?: number;
}

function queryString(q: Readonly<Record<string, string | number | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

/** Largest page of `GET /objects/{n}/history`. */
const HISTORY_PAGE_LIMIT = 1000;

export const eventsApi = {
  events: (q: EventQuery) =>
    getJson<Paged<EventRow>>(
      `/events${queryString({ type: q.type, catalogNumber: q.catalogNumber, limit: q.limit, offset: q.offset })}`,
    ),
  /** Every element set of one object within [from, to] (all pages). */
  history: async (catalogNumber: string, from?: string, to?: string): Promise<ElementSetJson[]> => {
    const out: ElementSetJson[] = [];
    for (let offset = 0; ; ) {
      const page = await getJson<Paged<ElementSetJson>>(
        `/objects/${encodeURIComponent(catalogNumber)}/history${queryString({ from, to, limit: HISTORY_PAGE_LIMIT, offset })}`,
      );
      out.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.page.total) return out;
    }
  },
};

// Case files (cases-view.tsx): the shapes of GET /cases and GET /cases/{id} the console reads.

export interface CaseSummaryRow {
  readonly id: number;
  readonly title: string;
  readonly state: 'draft' | 'shared' | 'closed';
  readonly owner: string;
  readonly partners: readonly string[];
  readonly latestVersion: number;
  readonly updatedAt: string;
  readonly marking: string;
}

interface CaseEntry {
  readonly id: number;
  readonly by: string;
  readonly organisation: string;
  readonly at: string;
}

export interface CaseDetail {
  readonly id: number;
  readonly title: string;
  readonly state: 'draft' | 'shared' | 'closed';
  readonly version: number;
  readonly latestVersion: number;
  readonly change: string;
  readonly marking: string;
  readonly source: { readonly kind: string; readonly id: string | null; readonly type: string };
  readonly content: {
    readonly owner: { readonly organisation: string; readonly nation: string };
    readonly partners: readonly { readonly organisation: string; readonly nation: string }[];
    readonly responses: readonly {
      readonly organisation: string;
      readonly position: 'concur' | 'dissent';
      readonly reasons: string;
    }[];
    readonly indicators: readonly (CaseEntry & {
      readonly classId: string;
      readonly indicatorId: string;
      readonly note: string;
    })[];
    readonly hypotheses: readonly (CaseEntry & {
      readonly title: string;
      readonly evidenceFor: string;
      readonly evidenceAgainst: string;
    })[];
    readonly assessments: readonly (CaseEntry & {
      readonly subject: { readonly kind: string; readonly id: string };
      readonly likelihood: string;
      readonly confidence: string;
      readonly reasons: string;
    })[];
  };
  readonly attachments: readonly {
    readonly id: number;
    readonly name: string;
    readonly kind: string;
    readonly mediaType: string;
    readonly sha256: string;
    readonly marking: string;
  }[];
  readonly notes: readonly {
    readonly id: number;
    readonly author: string;
    readonly organisation: string;
    readonly text: string;
    readonly marking: string;
  }[];
}

export const caseApi = {
  list: () => getJson<{ items: CaseSummaryRow[] }>('/cases'),
  get: (id: number, version?: number) =>
    getJson<CaseDetail>(`/cases/${id}${version === undefined ? '' : `?version=${version}`}`),
  attachmentJson: (caseId: number, attachmentId: number) =>
    getJson<Record<string, unknown>>(`/cases/${caseId}/attachments/${attachmentId}`),
};
