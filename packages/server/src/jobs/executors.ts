/**
 * What each job kind does, over the catalog store, with its parameter schema (TypeBox, checked by
 * the route before a job is queued and again here, so a job submitted by the scheduler or a later
 * queue is held to the same rules).
 *
 * - screening: the store's catalog as of a time (the freshest element set per object ≤ asOf;
 *   objects with a SATCAT decay date on or before the window start left out) screened on worker
 *   threads (@hoshimi/node screenParallel, the `hoshimi screen` engine) or, with a screening queue
 *   configured, by `hoshimi worker` processes through Redis (@hoshimi/queue screenDistributed, the
 *   same result), maximum Pc per event with
 *   the hard-body radii of the configured HBR table or the default radius (no covariance:
 *   confidence 'low'), stored with saveScreening.
 *   Progress: screened time blocks; cancellation between blocks (the threads are terminated, or the
 *   queue's units removed and the running ones stopped at their next block).
 * - maneuvers: the detector (@hoshimi/astro detectManeuvers) on the stored history of each given
 *   object; events stored with saveEvents. Cancellation between objects.
 * - rpo: the proximity search (searchRpo) over the catalog as of a time (or a subset of it), with
 *   the store's maneuver events and SATCAT owners; events stored with saveEvents. The search itself
 *   runs in one piece on the server's thread: cancellation before and after it only.
 * - import: a file under one of the configured import folders, or an uploaded body, into
 *   store.importFile. Cancellation between batches (the import's transaction rolls back).
 */
import { readFile, realpath } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  type DetectionEvent,
  detectManeuvers,
  type ElementSet,
  formatIssue,
  formatUtcIso,
  maneuverEvents,
  parseUtcString,
  RPO_MAX_DAYS,
  rpoDetectionEvents,
  SYNC_LOOKBACK_DAYS,
  searchRpo,
  type UtcJulianDate,
} from '@hoshimi/astro';
import {
  assessScreeningData,
  conjunctionPc,
  DEFAULT_MAX_ELEMENT_AGE_DAYS,
  type HbrTable,
  objectHbrM,
  type ScreeningOptions,
} from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import { screenDistributed } from '@hoshimi/queue';
import { type ConjunctionRecord, conjunctionRecord, ownerName } from '@hoshimi/store';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { JobContext, JobExecutor } from './in-process-runner.js';
import { JobError } from './in-process-runner.js';
import type { JobKind } from './job-types.js';

const M_PER_KM = 1000;
const MS_PER_DAY = 86_400_000;

const CatalogNumber = Type.String({ pattern: '^[0-9]{1,9}$', description: 'NORAD catalog number' });
/** An ISO-8601 UTC time with Z. */
export const ISO_UTC_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$';
function isoUtc(description: string) {
  return Type.String({ pattern: ISO_UTC_PATTERN, description: `${description} (ISO-8601 UTC with Z)` });
}

export const ScreeningParams = Type.Object(
  {
    asOf: Type.Optional(isoUtc('catalog as of this time (default now)')),
    from: Type.Optional(isoUtc('window start (default asOf)')),
    days: Type.Number({ exclusiveMinimum: 0, maximum: 30, default: 1, description: 'window length, days' }),
    thresholdKm: Type.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      default: 5,
      description: 'miss threshold, km',
    }),
    primaries: Type.Optional(
      Type.Array(CatalogNumber, {
        minItems: 1,
        maxItems: 10000,
        description: 'primaries (default all-vs-all)',
      }),
    ),
    maxElementAgeDays: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'worker threads' })),
  },
  { additionalProperties: false },
);

export const ManeuverParams = Type.Object(
  {
    catalogNumbers: Type.Array(CatalogNumber, { minItems: 1, maxItems: 100000 }),
    falseAlarmProbability: Type.Number({ minimum: 1e-12, maximum: 0.5, default: 1e-3 }),
  },
  { additionalProperties: false },
);

export const RpoParams = Type.Object(
  {
    asOf: Type.Optional(isoUtc('catalog as of this time (default now)')),
    from: Type.Optional(isoUtc('window start (default asOf)')),
    days: Type.Number({ exclusiveMinimum: 0, maximum: RPO_MAX_DAYS, default: 1 }),
    catalogNumbers: Type.Optional(
      Type.Array(CatalogNumber, {
        minItems: 2,
        description: 'search among these objects only (default all)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ImportParams = Type.Object(
  {
    path: Type.Optional(
      Type.String({ minLength: 1, description: 'a file under an import folder of the server' }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, description: 'name kept in the ingest log' })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** The parameter schema of each kind. */
export const JOB_PARAM_SCHEMAS: Readonly<Record<JobKind, TSchema>> = {
  screening: ScreeningParams,
  maneuvers: ManeuverParams,
  rpo: RpoParams,
  import: ImportParams,
};

/** A parameter problem: the field (dotted path under params) and what is wrong. */
export interface ParamIssue {
  readonly field: string;
  readonly message: string;
}

/** Defaults applied and parameters checked; the first issue, or the cleaned parameters. */
export function checkJobParams(
  kind: JobKind,
  params: unknown,
): { ok: true; params: Record<string, unknown> } | { ok: false; issue: ParamIssue } {
  const schema = JOB_PARAM_SCHEMAS[kind];
  const value = Value.Default(schema, structuredClone(params ?? {}));
  const first = Value.Errors(schema, value).First();
  if (first !== undefined) {
    const path = first.path.replace(/^\//, '').replace(/\//g, '.');
    return { ok: false, issue: { field: path === '' ? 'params' : `params.${path}`, message: first.message } };
  }
  return { ok: true, params: value as Record<string, unknown> };
}

function jd(iso: string): UtcJulianDate {
  const t = parseUtcString(iso);
  if (t === undefined) throw new JobError('JOB_BAD_PARAMS', `not an ISO UTC time: ${iso}`);
  return t;
}

function checkpoint(ctx: JobContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason;
}

/** Element sets of the catalog as of `asOf`, leaving out objects decayed by `windowStartIso`. */
async function catalogAsOf(ctx: JobContext, asOf: string, windowStartIso: string): Promise<ElementSet[]> {
  const sets = await ctx.store.asOf(asOf);
  const decayed = await ctx.store.selectObjects({ decayedBy: windowStartIso.slice(0, 10) });
  const gone = new Set(decayed.catalogNumbers);
  return sets.filter((s) => !gone.has(s.catalogNumber)).map((s) => s.elements);
}

async function screening(
  raw: Readonly<Record<string, unknown>>,
  ctx: JobContext,
  hbr: HbrTable | undefined,
  queue: string | undefined,
) {
  const p = raw as Static<typeof ScreeningParams>;
  const startedAt = ctx.now();
  const asOf = p.asOf ?? startedAt.toISOString();
  const from = p.from ?? asOf;
  const start = jd(from);
  ctx.progress(0, `loading the catalog as of ${asOf}`);
  const elements = await catalogAsOf(ctx, asOf, from);
  checkpoint(ctx);
  if (elements.length < 2) {
    throw new JobError('NO_VALID_ELEMENTS', `the store holds ${elements.length} element sets as of ${asOf}`);
  }
  const primaries = p.primaries?.map((x) => String(Number(x)));
  if (primaries !== undefined) {
    const known = new Set(elements.map((e) => e.catalogNumber));
    const missing = primaries.filter((x) => !known.has(x));
    if (missing.length === primaries.length) {
      throw new JobError(
        'NO_VALID_ELEMENTS',
        `no primary has an element set as of ${asOf}: ${missing.join(', ')}`,
      );
    }
  }
  const maxAge = p.maxElementAgeDays ?? DEFAULT_MAX_ELEMENT_AGE_DAYS;
  const options: ScreeningOptions = {
    start,
    durationDays: p.days,
    thresholdKm: p.thresholdKm,
    maxElementAgeDays: maxAge,
    ...(primaries === undefined ? {} : { primaries }),
  };
  ctx.progress(0.02, `screening ${elements.length} objects over ${p.days} days`);
  const onProgress = (done: number, total: number) =>
    ctx.progress(0.02 + (0.95 * done) / total, `block ${done} of ${total}`);
  const result =
    queue === undefined
      ? await screenParallel(elements, options, {
          // A client may ask for fewer threads than the machine has, never more.
          workers: Math.min(p.workers ?? 1, availableParallelism()),
          signal: ctx.signal,
          onProgress,
        })
      : await screenDistributed(elements, options, { connection: queue, signal: ctx.signal, onProgress });
  checkpoint(ctx);
  const quality = assessScreeningData(result, elements, maxAge, primaries);
  if (quality.nothingValid !== null) throw new JobError('NO_VALID_ELEMENTS', quality.nothingValid);
  const none = new Map();
  const records = result.conjunctions.map((c): ConjunctionRecord => {
    const hbrKm =
      (objectHbrM(hbr, c.primary.catalogNumber) + objectHbrM(hbr, c.secondary.catalogNumber)) / M_PER_KM;
    const pc = conjunctionPc(c, hbrKm, none);
    return conjunctionRecord(c, pc, hbrKm);
  });
  ctx.progress(0.98, `storing ${records.length} conjunctions`);
  const stop = new Date(Date.parse(from) + p.days * MS_PER_DAY).toISOString();
  const screeningId = await ctx.store.saveScreening(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: ctx.now().toISOString(),
      windowStart: from,
      windowStop: stop,
      thresholdKm: p.thresholdKm,
      primaries: primaries ?? null,
      catalogAsOf: asOf,
      source: 'store (job)',
      objectCount: elements.length,
      dataQuality: JSON.parse(JSON.stringify(quality)) as Record<string, unknown>,
    },
    records,
  );
  return { screeningId, conjunctions: records.length, objects: elements.length };
}

/** Fewer element sets than this and the maneuver detector has no noise model (as the CLI). */
const MIN_HISTORY_SETS = 10;

async function maneuvers(raw: Readonly<Record<string, unknown>>, ctx: JobContext) {
  const p = raw as Static<typeof ManeuverParams>;
  const events: DetectionEvent[] = [];
  const skipped: { id: string; reason: string }[] = [];
  let analysed = 0;
  for (let k = 0; k < p.catalogNumbers.length; k++) {
    checkpoint(ctx);
    const id = String(Number(p.catalogNumbers[k]));
    ctx.progress(k / p.catalogNumbers.length, `object ${id} (${k + 1} of ${p.catalogNumbers.length})`);
    const sets = (await ctx.store.history(id)).map((s) => s.elements);
    if (sets.length < MIN_HISTORY_SETS) {
      skipped.push({
        id,
        reason: `${sets.length} element sets, too few for a noise model (need ${MIN_HISTORY_SETS})`,
      });
      continue;
    }
    const res = detectManeuvers(sets, { falseAlarmProbability: p.falseAlarmProbability });
    analysed++;
    events.push(...maneuverEvents(res));
  }
  checkpoint(ctx);
  const saved = await ctx.store.saveEvents(events);
  return { analysed, skipped, events: events.length, inserted: saved.inserted, known: saved.known };
}

async function rpo(raw: Readonly<Record<string, unknown>>, ctx: JobContext) {
  const p = raw as Static<typeof RpoParams>;
  const asOf = p.asOf ?? ctx.now().toISOString();
  const from = p.from ?? asOf;
  const start = jd(from);
  ctx.progress(0, `loading the catalog as of ${asOf}`);
  let elements = await catalogAsOf(ctx, asOf, from);
  if (p.catalogNumbers !== undefined) {
    const only = new Set(p.catalogNumbers.map((x) => String(Number(x))));
    elements = elements.filter((e) => only.has(e.catalogNumber));
  }
  if (elements.length < 2) {
    throw new JobError('NO_VALID_ELEMENTS', `${elements.length} element sets to search as of ${asOf}`);
  }
  const iso = (d: number) => `${formatUtcIso({ jd: start.jd, jdFrac: start.jdFrac + d })}Z`;
  const known = await ctx.store.events({ type: 'maneuver', from: iso(-SYNC_LOOKBACK_DAYS), to: iso(p.days) });
  const sel = await ctx.store.selectObjects({});
  const owners = new Map<string, string>();
  sel.catalogNumbers.forEach((cn, i) => {
    const code = sel.ownerCodes[i];
    if (code !== undefined && code !== null) owners.set(cn, ownerName(code) ?? code);
  });
  checkpoint(ctx);
  ctx.progress(0.05, `searching ${elements.length} objects over ${p.days} days`);
  const res = searchRpo(elements, { start, days: p.days, maneuvers: known, owners });
  checkpoint(ctx);
  const events = rpoDetectionEvents(res.findings, {
    startUtc: `${formatUtcIso(start)}Z`,
    days: p.days,
    source: `store as of ${asOf}`,
  });
  ctx.progress(0.95, `storing ${events.length} findings`);
  const saved = await ctx.store.saveEvents(events);
  return {
    objects: elements.length,
    findings: res.findings.length,
    alarms: res.findings.filter((f) => f.alarm).length,
    inserted: saved.inserted,
    known: saved.known,
  };
}

/** Resolves `path` inside one of `roots` (symbolic links followed); throws when outside all. */
async function fileUnder(path: string, roots: readonly string[]): Promise<string> {
  if (roots.length === 0) {
    throw new JobError(
      'IMPORT_PATH_DISABLED',
      'this server takes no file paths (no import folder is configured); upload the file instead',
    );
  }
  for (const root of roots) {
    const base = await realpath(root).catch(() => undefined);
    if (base === undefined) continue;
    const full = await realpath(isAbsolute(path) ? path : resolve(base, path)).catch(() => undefined);
    if (full === undefined) continue;
    const rel = relative(base, full);
    if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return full;
  }
  throw new JobError('IMPORT_PATH_REFUSED', `${path} is not a file under the server's import folders`);
}

function importExecutor(importRoots: readonly string[]): JobExecutor {
  return async (raw, ctx) => {
    const p = raw as Static<typeof ImportParams>;
    let bytes: Uint8Array;
    let name: string;
    if (ctx.payload !== undefined) {
      bytes = ctx.payload;
      name = p.name ?? 'upload';
    } else if (p.path !== undefined) {
      const file = await fileUnder(p.path, importRoots);
      bytes = await readFile(file);
      name = p.name ?? file;
    } else {
      throw new JobError('JOB_BAD_PARAMS', 'an import needs params.path or an uploaded body');
    }
    checkpoint(ctx);
    ctx.progress(null, `importing ${name}`);
    const report = await ctx.store.importFile({
      name,
      bytes,
      ...(p.source === undefined ? {} : { source: p.source }),
      ...(p.label === undefined ? {} : { label: p.label }),
      signal: ctx.signal,
      onProgress: (r) =>
        ctx.progress(null, `${r.read} records read, ${r.inserted} new, ${r.rejected} rejected`),
    });
    if (report.status === 'failed') {
      const first = report.rejected[0];
      throw new JobError(
        'IMPORT_FAILED',
        first === undefined ? `nothing usable in ${name}` : formatIssue(first),
      );
    }
    return {
      ingestId: report.ingestId,
      status: report.status,
      format: report.format,
      read: report.read,
      inserted: report.inserted,
      duplicates: report.duplicates,
      newObjects: report.newObjects,
      rejected: report.rejected.length,
      // Each rejected record with its line and reason (the first REJECTED_SHOWN; all are in the ingest log).
      rejectedIssues: report.rejected.slice(0, REJECTED_SHOWN).map((i) => ({
        line: i.line ?? null,
        code: i.code,
        message: formatIssue(i),
      })),
      alreadyImportedAs: report.alreadyImportedAs,
    };
  };
}

/** Rejected records listed in an import job's result (the store's ingest log keeps every one). */
const REJECTED_SHOWN = 100;

export interface ExecutorOptions {
  /** Folders whose files an import job may read by path (default none: uploads only). */
  readonly importRoots?: readonly string[];
  /** Worker threads of a screening that does not say (default 1). */
  readonly screeningWorkers?: number;
  /**
   * Hard-body radii per object (CARA's table, astro parseHbrTable) for the screening's Pc; objects
   * not in it, or all without it, get the default radius.
   */
  readonly hbrTable?: HbrTable;
  /**
   * Redis URL of the screening queue: screening jobs are cut into units for `hoshimi worker`
   * processes (default none: worker threads of this server).
   */
  readonly screeningQueue?: string;
}

/** The executors of every kind, parameters checked (and defaults applied) before the work. */
export function jobExecutors(options: ExecutorOptions = {}): Record<JobKind, JobExecutor> {
  const checked =
    (kind: JobKind, fn: JobExecutor): JobExecutor =>
    async (params, ctx) => {
      const c = checkJobParams(kind, params);
      if (!c.ok) throw new JobError('JOB_BAD_PARAMS', `${c.issue.field}: ${c.issue.message}`);
      const p =
        kind === 'screening' && c.params['workers'] === undefined && options.screeningWorkers !== undefined
          ? { ...c.params, workers: options.screeningWorkers }
          : c.params;
      return fn(p, ctx);
    };
  return {
    screening: checked('screening', (p, ctx) => screening(p, ctx, options.hbrTable, options.screeningQueue)),
    maneuvers: checked('maneuvers', maneuvers),
    rpo: checked('rpo', rpo),
    import: checked('import', importExecutor(options.importRoots ?? [])),
  };
}
