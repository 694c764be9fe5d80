/**
 * `syncCatalog`: runs the CelesTrak or Space-Track queries of one sync and hands every response that
 * holds element data to a sink as an `ImportInput` (name, bytes, source 'celestrak' | 'spacetrack',
 * label). The sink is any function taking an ImportInput or any CatalogStore (its importFile), so the
 * sync does not depend on a store implementation. Failures of single queries are collected in the
 * summary and the sync goes on with the next query; missing Space-Track credentials throw
 * SYNC_NO_CREDENTIALS before any request; a refused login ends the Space-Track part.
 */
import type { CatalogStore, ImportInput, IngestReport } from '../catalog-store.js';
import {
  CELESTRAK_ACTIVE,
  CelesTrakClient,
  type CelesTrakClientOptions,
  type CelesTrakQuery,
  celestrakImportName,
} from './celestrak.js';
import type { SyncHttpStats } from './polite-http.js';
import {
  SpaceTrackClient,
  type SpaceTrackClientOptions,
  type SpaceTrackGpQuery,
  type SpaceTrackHistoryQuery,
  spaceTrackGpPaths,
  spaceTrackHistoryPaths,
} from './spacetrack.js';
import { SYSTEM_SYNC_CLOCK } from './sync-clock.js';
import { SyncError, type SyncErrorCode } from './sync-error.js';

/**
 * A function that takes one downloaded file (sync or async), or a store. An IngestReport it returns
 * (or resolves to) is kept in the summary; anything else is ignored; a throw is a SYNC_SINK_FAILED.
 */
export type SyncSink = ((input: ImportInput) => unknown) | Pick<CatalogStore, 'importFile'>;

export interface CelesTrakSyncOptions extends CelesTrakClientOptions {
  /** Default [CELESTRAK_ACTIVE]: GROUP=active in JSON. */
  readonly queries?: readonly CelesTrakQuery[];
}

export interface SpaceTrackSyncOptions extends SpaceTrackClientOptions {
  /** Current-catalog query (default: every object not decayed, epoch within 30 days); false to skip. */
  readonly gp?: SpaceTrackGpQuery | false;
  /** History to fetch as well (default none). */
  readonly history?: SpaceTrackHistoryQuery;
}

export interface SyncCatalogOptions {
  readonly from: 'celestrak' | 'spacetrack';
  readonly sink: SyncSink;
  /** Releasability label given to every import (default: the store's, 'UNMARKED'). */
  readonly label?: string;
  readonly celestrak?: CelesTrakSyncOptions;
  readonly spacetrack?: SpaceTrackSyncOptions;
}

/** One query that failed, or whose response the sink refused. */
export interface SyncProblem {
  readonly code: SyncErrorCode;
  readonly message: string;
  /** The import name of the query (`celestrak:GROUP=active&FORMAT=json`, `spacetrack:class/gp/...`). */
  readonly query: string;
}

/** One response handed to the sink. */
export interface SyncDelivery {
  readonly name: string;
  readonly bytes: number;
  /** What the sink returned, when it returned an ingest report. */
  readonly report: IngestReport | null;
}

export interface SyncSummary {
  readonly from: 'celestrak' | 'spacetrack';
  /** ISO UTC (sync clock). */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Queries run (each may take several HTTP requests). */
  readonly queries: number;
  /** HTTP requests sent: every attempt, logins and logouts included. */
  readonly requests: number;
  readonly retries: number;
  /** Response bytes received. */
  readonly bytes: number;
  /** Time spent waiting on backoff and rate limits, ms. */
  readonly waitedMs: number;
  /** Responses with element data handed to the sink. */
  readonly responses: number;
  /** CelesTrak "GP data has not updated since your last successful download". */
  readonly notUpdated: number;
  /** Queries that matched nothing (CelesTrak "No GP data found", Space-Track `[]`). */
  readonly noData: number;
  /** Other service texts (CelesTrak "Invalid query" ...), with their text. */
  readonly messages: readonly { readonly query: string; readonly message: string }[];
  readonly delivered: readonly SyncDelivery[];
  readonly errors: readonly SyncProblem[];
}

function isReport(x: unknown): x is IngestReport {
  return x !== null && typeof x === 'object' && 'ingestId' in x && 'status' in x;
}

function problemOf(e: unknown, query: string): SyncProblem {
  if (e instanceof SyncError) return { code: e.code, message: e.message, query };
  return { code: 'SYNC_SINK_FAILED', message: (e as Error).message ?? String(e), query };
}

/** Runs one sync; see the module header. */
export async function syncCatalog(options: SyncCatalogOptions): Promise<SyncSummary> {
  const sink = options.sink;
  const deliver = async (input: ImportInput): Promise<IngestReport | null> => {
    const r = typeof sink === 'function' ? await sink(input) : await sink.importFile(input);
    return isReport(r) ? r : null;
  };
  const label = options.label === undefined ? {} : { label: options.label };
  const delivered: SyncDelivery[] = [];
  const errors: SyncProblem[] = [];
  const messages: { query: string; message: string }[] = [];
  let queries = 0;
  let notUpdated = 0;
  let noData = 0;

  const handOver = async (name: string, body: Uint8Array, source: 'celestrak' | 'spacetrack') => {
    try {
      const report = await deliver({ name, bytes: body, source, ...label });
      delivered.push({ name, bytes: body.byteLength, report });
    } catch (e) {
      errors.push({
        code: 'SYNC_SINK_FAILED',
        message: `the sink refused ${name}: ${(e as Error).message ?? String(e)}`,
        query: name,
      });
    }
  };

  let stats: () => Readonly<SyncHttpStats>;
  let clockNow: () => number;
  let startedAt: string;

  if (options.from === 'celestrak') {
    const o = options.celestrak ?? {};
    const client = new CelesTrakClient(o);
    stats = () => client.stats;
    clockNow = () => (o.clock ?? SYSTEM_SYNC_CLOCK).now();
    startedAt = new Date(clockNow()).toISOString();
    for (const q of o.queries ?? [CELESTRAK_ACTIVE]) {
      queries++;
      const name = celestrakImportName(q);
      try {
        const r = await client.gp(q);
        if (r.kind === 'elements') await handOver(r.name, r.body, 'celestrak');
        else if (r.kind === 'not-updated') notUpdated++;
        else if (r.kind === 'no-data') noData++;
        else messages.push({ query: r.name, message: r.message });
      } catch (e) {
        errors.push(problemOf(e, name));
      }
    }
  } else {
    const o = options.spacetrack ?? {};
    // Throws SYNC_NO_CREDENTIALS before any request.
    const client = new SpaceTrackClient(o);
    stats = () => client.stats;
    clockNow = () => (o.clock ?? SYSTEM_SYNC_CLOCK).now();
    startedAt = new Date(clockNow()).toISOString();
    const paths: string[] = [];
    try {
      if (o.gp !== false) paths.push(...spaceTrackGpPaths(o.gp ?? {}));
      if (o.history !== undefined) paths.push(...spaceTrackHistoryPaths(o.history));
    } catch (e) {
      errors.push(problemOf(e, 'spacetrack:query'));
    }
    try {
      for (const path of paths) {
        queries++;
        try {
          const r = await client.query(path);
          if (r.empty) noData++;
          else await handOver(r.name, r.body, 'spacetrack');
        } catch (e) {
          errors.push(problemOf(e, `spacetrack:${decodeURIComponent(path)}`));
          // Without a session nothing else can succeed.
          if (e instanceof SyncError && (e.code === 'SYNC_LOGIN_FAILED' || e.code === 'SYNC_RATE_LIMITED'))
            break;
        }
      }
    } finally {
      try {
        await client.logout();
      } catch (e) {
        errors.push(problemOf(e, 'spacetrack:logout'));
      }
    }
  }
  const s = stats();
  return {
    from: options.from,
    startedAt,
    finishedAt: new Date(clockNow()).toISOString(),
    queries,
    requests: s.requests,
    retries: s.retries,
    bytes: s.bytes,
    waitedMs: s.waitedMs,
    responses: delivered.length,
    notUpdated,
    noData,
    messages,
    delivered,
    errors,
  };
}
