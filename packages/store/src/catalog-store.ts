/**
 * The catalog store interface: every object ever tracked, every element set ever received (append
 * only), where each came from and who may see it, and a log of every import. Implementations: SQLite
 * (embedded default, sqlite-store.ts) and PostgreSQL (postgres-store.ts), behind this same interface
 * and contract test suite (test/contract.ts).
 *
 * Times cross this interface as ISO-8601 UTC strings with a `Z` (`2023-10-09T12:58:38.711712Z`) and,
 * for element epochs, also as the exact UTC Julian date pair of the element set. Catalog numbers are
 * decimal strings of up to 9 digits.
 */

import type {
  DetectionEvent,
  DetectionEventType,
  ElementFormat,
  ElementSet,
  Marking,
  Reader,
} from '@hoshimi/astro';
import type { AuditLog } from './audit-log.js';
import type { ConjunctionRecord, StoredConjunction } from './conjunction-types.js';

export type { ConjunctionRecord, StoredConjunction } from './conjunction-types.js';

import type { MarkingSettings } from './marking-sql.js';
import type {
  OrbitDeterminationInput,
  OrbitDeterminationQuery,
  SavedOrbitDetermination,
  SaveOrbitDeterminationOptions,
  StoredOrbitDetermination,
} from './orbit-determination-store.js';

export type { MarkingSettings } from './marking-sql.js';

import type { ImportInput, IngestReport } from './ingest-types.js';

export {
  type ImportInput,
  type ImportProgress,
  type IngestReport,
  SATCAT_FORMATS,
  type SatcatFormat,
} from './ingest-types.js';

import type { CaseExchangeStore } from './case-exchange-store.js';
import type { CaseStore } from './case-store.js';
import type { ExchangeStore } from './exchange-store.js';
import type { IdentityStore } from './identity-store.js';

/** Object types as Space-Track's SATCAT names them. */
export const OBJECT_TYPES = ['PAYLOAD', 'ROCKET BODY', 'DEBRIS', 'UNKNOWN'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Radar cross-section size classes as Space-Track names them. */
export const RCS_SIZES = ['SMALL', 'MEDIUM', 'LARGE'] as const;
export type RcsSize = (typeof RCS_SIZES)[number];

export interface CatalogObject {
  /** NORAD catalog number, decimal string without leading zeros, up to 9 digits. */
  readonly catalogNumber: string;
  readonly name: string | null;
  /** COSPAR designator "1998-067A". */
  readonly intlDesignator: string | null;
  readonly objectType: ObjectType;
  /** YYYY-MM-DD when known. */
  readonly launchDate: string | null;
  /**
   * YYYY-MM-DD when known. The object counts as decayed from this date on (ObjectStatus.decayed at
   * query times on or after it), never before.
   */
  readonly decayDate: string | null;
  // The fields below are filled on output (null when unknown); upsertObjects ignores them.
  /** 'satcat' when the type came from a SATCAT, 'name' when it was read from the object's name. */
  readonly typeSource?: 'name' | 'satcat';
  /** SATCAT owner (nation or organisation) code as the source wrote it, e.g. JPN, US, ISS. */
  readonly ownerCode?: string | null;
  /** The owner code's name from the SATCAT code table (null for a code the table lacks). */
  readonly ownerName?: string | null;
  readonly launchSiteCode?: string | null;
  readonly launchSiteName?: string | null;
  /** Radar cross-section class (Space-Track's SMALL < 0.1 m² ≤ MEDIUM ≤ 1 m² < LARGE). */
  readonly rcsSize?: RcsSize | null;
  /** Radar cross-section, m², where the source gives one (CelesTrak). */
  readonly rcsM2?: number | null;
  /** Where the SATCAT values came from ('spacetrack', 'celestrak', a --source name) and which import. */
  readonly satcatSource?: string | null;
  readonly satcatIngestId?: number | null;
}

/** Which objects a query or a screening takes: every given criterion must hold. */
export interface ObjectFilter {
  /** Any of these types. */
  readonly types?: readonly ObjectType[];
  /** Any of these SATCAT owner codes (case-insensitive; Space-Track and CelesTrak twins match both). */
  readonly owners?: readonly string[];
  /** Only objects with a decay date on or before this date (YYYY-MM-DD): decayed by 00:00 UTC of it. */
  readonly decayedBy?: string;
}

/** The objects a filter selects. */
export interface ObjectSelection {
  /** Catalog numbers, in numeric order. */
  readonly catalogNumbers: readonly string[];
  /** Each selected object's type (SATCAT, else from its name), in the same order. */
  readonly objectTypes: readonly ObjectType[];
  /** Each selected object's decay date (YYYY-MM-DD) or null, in the same order. */
  readonly decayDates: readonly (string | null)[];
  /** Each selected object's SATCAT owner code or null (no SATCAT record), in the same order. */
  readonly ownerCodes: readonly (string | null)[];
  /**
   * How many of them have no SATCAT record and were taken by the name rule (object-type.ts): with a
   * PAYLOAD filter, an object without a SATCAT record whose name marks neither debris nor a rocket
   * body counts as a payload, as it did before SATCAT imports.
   */
  readonly byNameRule: number;
}

/** One stored element set with its provenance. */
export interface StoredElementSet {
  /** Store-assigned id, increasing with insertion. */
  readonly id: number;
  readonly catalogNumber: string;
  readonly elements: ElementSet;
  /** Epoch, ISO UTC with microseconds. */
  readonly epochUtc: string;
  /** Where it came from: 'celestrak', 'spacetrack', a file's --source name, ... */
  readonly source: string;
  /**
   * Free-text label of its import. Since v9 the `marking` decides who sees it; an import given a
   * marking and no label gets the marking's banner line (`SECRET//REL TO JPN, USA`) as its label.
   */
  readonly label: string;
  /** (v9) Its marking: level, releasability, originating organisation, data mode. */
  readonly marking: Marking;
  /** Format it was read from. */
  readonly format: ElementFormat;
  /** The import that brought it. */
  readonly ingestId: number;
  /** When it was stored, ISO UTC. */
  readonly ingestedAt: string;
}

export interface ListQuery extends ObjectFilter {
  readonly type?: ObjectType;
  /** Case-insensitive substring of the name. */
  readonly name?: string;
  /** Only objects with an element set of epoch ≤ asOf (ISO UTC); their latest such set is returned. */
  readonly asOf?: string;
  readonly limit?: number;
}

/** An object with its latest element set (as of the query time) and the data-quality view. */
export interface ObjectStatus {
  readonly object: CatalogObject;
  readonly latest: StoredElementSet | null;
  /** Age of the latest element set at the query time, days (null without one). */
  readonly ageDays: number | null;
  /** Latest element set older than the stale limit at the query time. */
  readonly stale: boolean;
  /** Decayed: a decay date on or before the query time, or SGP4 reports decay at the query time. */
  readonly decayed: boolean;
  /** (Extension) Why `decayed` is true (the decay date, or the SGP4 error code); null otherwise. */
  readonly decayReason: string | null;
}

export interface CatalogDiff {
  readonly from: string;
  readonly to: string;
  /** Objects with an element set by `to` but none by `from`. */
  readonly appeared: readonly ObjectStatus[];
  /** Objects present at `from` whose latest set by `to` is stale at `to` or that decayed by `to`. */
  readonly disappeared: readonly ObjectStatus[];
}

/** One screening run (`hoshimi screen --db`): its parameters and counts. */
export interface ScreeningRun {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Screening window, ISO UTC. */
  readonly windowStart: string;
  readonly windowStop: string;
  readonly thresholdKm: number;
  /** Primary catalog numbers, or null for all-vs-all. */
  readonly primaries: readonly string[] | null;
  /** The catalog's as-of time when the element sets came from the store. */
  readonly catalogAsOf: string | null;
  /** Where the element sets came from: a file name or the store. */
  readonly source: string;
  readonly objectCount: number;
  /**
   * What the screening left out and why (element sets too old, SGP4 failures and decay with the
   * first bad time and SGP4 code, rejected intervals, failed refinements, catalog coverage), as
   * JSON-serialisable data; null when not recorded.
   */
  readonly dataQuality?: Readonly<Record<string, unknown>> | null;
  /**
   * (v9) Marking of the request itself (its parameters, primaries, counts and data-quality notes);
   * default public from the home organisation (through a view: the view's write default). Every
   * conjunction's marking also combines it.
   */
  readonly marking?: Marking;
  /**
   * (v9) Marking of the element set the screening used, per catalog number. Objects missing here
   * take the marking of their as-of set (latest set with epoch ≤ catalogAsOf that the writer can
   * see) when `catalogAsOf` is given, else the run's marking.
   */
  readonly inputMarkings?: Readonly<Record<string, Marking>>;
}

export interface StoredScreening extends ScreeningRun {
  readonly id: number;
  /** Conjunctions stored (through a view: those the reader can see). */
  readonly conjunctionCount: number;
  /** (v9) The screening's marking: the most restrictive of its request and its conjunctions. */
  readonly marking: Marking;
}

export interface ConjunctionQuery {
  /** Default: the latest screening. */
  readonly screeningId?: number;
  /** Only events involving this catalog number. */
  readonly catalogNumber?: string;
  readonly minPc?: number;
  readonly maxMissKm?: number;
  readonly limit?: number;
}

/** Options of `saveEvents`. */
export interface SaveEventsOptions {
  /** Free-text label of the events; default 'UNMARKED' (kept on a re-save without one). */
  readonly label?: string;
  /**
   * (v9) Marking of every event of the call (kept on a re-save without one). Default: public from
   * the home organisation, or through a view the view's write default.
   */
  readonly marking?: Marking;
  /**
   * (v9) Markings of the records the events were derived from (the element sets a detector read):
   * each event's marking is combineMarkings of these and `marking` (the most restrictive), with the
   * writer's organisation as originator. Give them whenever the inputs were marked.
   */
  readonly derivedFrom?: readonly Marking[];
}

/** What `saveEvents` did: events stored for the first time, and events whose identity was already stored. */
export interface SaveEventsReport {
  readonly inserted: number;
  readonly known: number;
}

/**
 * Which events `events` returns: every condition given must hold. `from`/`to` select events whose
 * window overlaps [from, to] (an open side is unbounded); ISO-8601 UTC.
 */
export interface EventQuery {
  /** The event with this row id. */
  readonly id?: number;
  /** Events involving this catalog number (any position). */
  readonly catalogNumber?: string;
  readonly type?: DetectionEventType;
  readonly detector?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** An event as stored: the normalised record plus its store identity. */
export interface StoredEvent extends DetectionEvent {
  /** Row id in this store (not portable between stores; `key` is). */
  readonly id: number;
  /** detectionEventKey of the record. */
  readonly key: string;
  readonly label: string;
  /** (v9) The event's marking. */
  readonly marking: Marking;
  /** ISO UTC with microseconds: first stored, last stored again. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** (v7) Lifecycle of a background job. */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type StoredJobState = (typeof JOB_STATES)[number];

/**
 * (v7) One background job as stored (the server's job runner writes it; the store does not run
 * jobs). Times ISO UTC; `params` and `result` are JSON objects kept verbatim.
 */
export interface StoredJob {
  readonly id: string;
  /** 'screening', 'maneuvers', 'rpo', 'import', ... (the runner's kinds). */
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly state: StoredJobState;
  /** 0..1, or null when unknown. */
  readonly progressFraction: number | null;
  readonly progressMessage: string;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /**
   * (v9) The job's marking (its params and result). On save, default: the writer's default
   * marking (the submitter's, through a view); read back always set.
   */
  readonly marking?: Marking;
}

/** (v7) What `updateJob` may change. */
export type JobUpdate = Partial<
  Pick<
    StoredJob,
    | 'state'
    | 'progressFraction'
    | 'progressMessage'
    | 'startedAt'
    | 'finishedAt'
    | 'result'
    | 'error'
    | 'marking'
  >
>;

export interface JobQuery {
  /** Any of these states. */
  readonly states?: readonly StoredJobState[];
  readonly kind?: string;
  readonly requestedBy?: string;
  /** Default 100. */
  readonly limit?: number;
}

/** (v8) A watch list: assets screened on a schedule, with alert thresholds and a webhook. */
export interface WatchListInput {
  readonly name: string;
  /** Catalog numbers of the watched assets (decimal strings). */
  readonly assets: readonly string[];
  /** Screening every `everyHours` over the next `days` days; null: no schedule (manual runs only). */
  readonly schedule: { readonly everyHours: number; readonly days: number } | null;
  /** A conjunction alerts when its miss ≤ maxMissKm or its Pc ≥ minPc (either given condition). */
  readonly thresholds: { readonly maxMissKm: number; readonly minPc: number | null };
  /** URL that receives each alert as POSTed JSON; null for none. */
  readonly webhookUrl: string | null;
  readonly enabled: boolean;
  /** (v9) Default: the writer's default marking (through a view, the owner's nation only). */
  readonly marking?: Marking;
}

export interface StoredWatchList extends WatchListInput {
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When its schedule last submitted a screening (ISO UTC), or null. */
  readonly lastRunAt: string | null;
  readonly marking: Marking;
}

/** (v8) One change in an alert's life. */
export interface AlertHistoryEntry {
  readonly at: string;
  readonly change: 'new' | 'changed' | 'acknowledged';
  readonly screeningId: number | null;
  readonly tcaUtc: string | null;
  readonly missKm: number | null;
  readonly pc: number | null;
  /** Who acknowledged (acknowledged entries). */
  readonly by: string | null;
  readonly note: string | null;
}

/** (v8) An alert: one conjunction of a watched asset, followed across screenings. */
export interface StoredAlert {
  readonly id: number;
  readonly watchListId: number;
  /** The watched asset and the other object. */
  readonly assetId: string;
  readonly otherId: string;
  /** The latest values seen. */
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly pc: number | null;
  readonly screeningId: number;
  /** 'open' until acknowledged; a material change re-opens it. */
  readonly state: 'open' | 'acknowledged';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgementNote: string | null;
  /** Oldest first. */
  readonly history: readonly AlertHistoryEntry[];
  /** (v9) The alert's marking. */
  readonly marking: Marking;
}

/** (v8) A new alert (no id) or a material change of a known one (its id). */
export interface AlertObservation {
  readonly id?: number;
  readonly watchListId: number;
  readonly assetId: string;
  readonly otherId: string;
  readonly tcaUtc: string;
  readonly missKm: number;
  readonly pc: number | null;
  readonly screeningId: number;
  readonly at: string;
  /**
   * (v9) Default: the most restrictive of the watch list's marking and the stored conjunction's
   * (same screening, asset and other object) when there is one.
   */
  readonly marking?: Marking;
}

export interface AlertQuery {
  readonly watchListId?: number;
  readonly state?: 'open' | 'acknowledged';
  /** Alerts involving this catalog number (asset or other). */
  readonly catalogNumber?: string;
  /** Latest TCA within [tcaFrom, tcaTo] (ISO UTC). */
  readonly tcaFrom?: string;
  readonly tcaTo?: string;
  /** Paging: newest change first. Default limit 50, offset 0. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface CatalogStore {
  /**
   * Imports one file in one transaction: all its good records land, or (on failure) none. Element
   * sets (TLE, 3LE, OMM, GP) or SATCAT metadata (Space-Track JSON, CelesTrak CSV), told by content.
   */
  importFile(input: ImportInput): Promise<IngestReport>;
  /** Adds or updates object metadata (type, dates, names) from a SATCAT-like source. */
  upsertObjects(objects: readonly CatalogObject[]): Promise<number>;
  getObject(catalogNumber: string, asOf?: string): Promise<ObjectStatus | null>;
  listObjects(query?: ListQuery): Promise<ObjectStatus[]>;
  /** Catalog numbers of the objects a filter selects (no element sets read): screening primaries. */
  selectObjects(filter: ObjectFilter): Promise<ObjectSelection>;
  /** Every element set of one object, by epoch then insertion. */
  history(catalogNumber: string): Promise<StoredElementSet[]>;
  /** Per object, the latest element set with epoch ≤ asOf (ties: the documented source rule). */
  asOf(asOf: string): Promise<StoredElementSet[]>;
  diff(from: string, to: string): Promise<CatalogDiff>;
  ingestLog(limit?: number): Promise<IngestReport[]>;
  /** Stores a screening run and its conjunctions in one transaction; returns the screening id. */
  saveScreening(run: ScreeningRun, conjunctions: readonly ConjunctionRecord[]): Promise<number>;
  /** Screenings, newest first. */
  listScreenings(limit?: number): Promise<StoredScreening[]>;
  /** Conjunctions of one screening (default the latest), by TCA; null when there is no screening. */
  conjunctions(
    query?: ConjunctionQuery,
  ): Promise<{ screening: StoredScreening; conjunctions: StoredConjunction[] } | null>;
  /**
   * Stores detection events in one transaction, upserting on `detectionEventKey` of each normalised
   * record (astro's `checkDetectionEvent`): a new identity is inserted; a known one keeps its row and
   * creation time and takes the record's time, score, threshold, evidence and inputs. Any invalid
   * record rejects the whole call with StoreError `STORE_BAD_EVENT` (details: index, issues) and
   * stores nothing. Through a view, an identity held only by a record the reader may not read is
   * stored as the reader's own record (counted as inserted, then known), so the report never tells
   * a hidden event from an absent one; the hidden record is left as it is.
   */
  saveEvents(events: readonly DetectionEvent[], options?: SaveEventsOptions): Promise<SaveEventsReport>;
  /** Events matching the query, by best-estimate time then insertion. */
  events(query?: EventQuery): Promise<StoredEvent[]>;
  /**
   * (v16) Stores an orbit determined from observations (orbit-determination-store.ts); the whole
   * record is checked first (StoreError `STORE_BAD_ORBIT_DETERMINATION` names the key) and nothing
   * is stored when any value is wrong. Its marking is derived like any product's. Returns its id.
   * With `options.elementSetFile` the fit's element set is imported in the same transaction: both
   * are stored or neither (StoreError `STORE_IMPORT_FAILED` when the file stores no set).
   */
  saveOrbitDetermination(
    input: OrbitDeterminationInput,
    options?: SaveOrbitDeterminationOptions,
  ): Promise<SavedOrbitDetermination>;
  /** (v16) Stored orbit determinations, newest epoch first. */
  orbitDeterminations(query?: OrbitDeterminationQuery): Promise<StoredOrbitDetermination[]>;
  /** (v16) One orbit determination; null when unknown or hidden from the reader. */
  getOrbitDetermination(id: number): Promise<StoredOrbitDetermination | null>;
  /** (v7) Stores a new job; StoreError `STORE_DUPLICATE` when its id exists. */
  saveJob(job: StoredJob): Promise<void>;
  /** (v7) Changes a job's state, progress, times, result or error; null when unknown. */
  updateJob(id: string, update: JobUpdate): Promise<StoredJob | null>;
  getJob(id: string): Promise<StoredJob | null>;
  /** (v7) Jobs, newest first. */
  listJobs(query?: JobQuery): Promise<StoredJob[]>;
  /** (v8) Creates a watch list, or replaces the one with `id`; null when `id` is unknown. */
  saveWatchList(input: WatchListInput, id?: number): Promise<StoredWatchList | null>;
  getWatchList(id: number): Promise<StoredWatchList | null>;
  listWatchLists(): Promise<StoredWatchList[]>;
  /** (v8) Deletes a watch list and its alerts; false when unknown. */
  deleteWatchList(id: number): Promise<boolean>;
  /** (v8) Records when a watch list's schedule last ran. */
  markWatchListRun(id: number, at: string): Promise<void>;
  /**
   * (v8) Records an observation: without `id` a new open alert (history 'new'); with `id` the new
   * values of that alert, re-opened, with history 'changed'. Null when `id` is unknown.
   */
  recordAlert(observation: AlertObservation): Promise<StoredAlert | null>;
  /** (v8) Acknowledges an alert (history 'acknowledged'); null when unknown. */
  acknowledgeAlert(
    id: number,
    ack: { readonly by: string; readonly at: string; readonly note: string | null },
  ): Promise<StoredAlert | null>;
  getAlert(id: number): Promise<StoredAlert | null>;
  /** (v8) Alerts matching the query, newest change first, with the total before paging. */
  listAlerts(query?: AlertQuery): Promise<{ readonly alerts: StoredAlert[]; readonly total: number }>;
  /** (v11) The append-only audit log of this store; its write methods above append to it. */
  readonly audit?: AuditLog;
  /**
   * (v9) The same store seen by one reader: every read returns only the records the reader may see
   * (astro's canRead on each record's marking, one SQL condition: marking-sql.ts), and counts, totals,
   * search hits, histories and as-of catalogs are computed over those records only. An object is
   * visible when the reader sees at least one of its element sets, or when it has a (public) SATCAT
   * record; otherwise it is absent exactly as an unknown object is (null, not an error).
   * Writes through a view are stamped with the reader's organisation as originator; their default
   * marking is the lowest level releasable to the reader's nation only; a marking above the reader's
   * clearance is refused (STORE_MARKING_ABOVE_CLEARANCE); updates and deletes reach only records the
   * reader sees (others answer as unknown). The view shares the connection: closing it does nothing.
   */
  view(reader: Reader): CatalogStore;
  /** (v9) The reader of a view; null for the unrestricted store. */
  readonly reader: Reader | null;
  /** (v9) The classification scheme and home organisation. */
  markingSettings(): Promise<MarkingSettings>;
  /**
   * (v9) Changes the levels (which must still list every stored level: STORE_SCHEME_IN_USE) and/or
   * the home organisation (records stamped with the old one take the new one). Refused through a
   * view (STORE_VIEW_FORBIDDEN).
   */
  setMarkingSettings(change: {
    readonly levels?: readonly string[];
    readonly homeOrganisation?: string;
  }): Promise<MarkingSettings>;
  /** (v10) Organisations, users, API tokens and console sessions. */
  readonly identity: IdentityStore;
  /** (v12) The node exchange: this node, its partners, outgoing and received bundles. */
  readonly exchange: ExchangeStore;
  /** Case files for consultation (case-store.ts). */
  cases(): CaseStore;
  /** (v14) Cases between nodes (case-exchange-store.ts). */
  caseExchange(): CaseExchangeStore;
  close(): Promise<void>;
}
