/**
 * Every change a store makes, logged: one table (STORE_WRITES) names the audit action, target and
 * details of each write method of CatalogStore, and `auditStoreWrites` wraps those methods of one
 * store instance so that each call appends a record once it has finished — outcome 'allowed' when
 * it did its work, 'failed' (with the error code) when it threw. The actor is the one of the
 * caller's asynchronous context (audit-log.ts). A new write method gets a row here.
 *
 * The record follows the change: a crash between the two leaves a change without its record (the
 * change's own rows still carry their times). A record that cannot be appended after a successful
 * change rejects the call, so that a broken log is not silent. Pure progress updates of a job
 * (fraction and message only) are not changes of substance and are not logged.
 *
 * Details never carry secrets: webhook URLs (which may hold a token) are logged as present or not,
 * user names and passwords in URLs are cut, and redactSecrets runs over everything on append.
 */
import type { AuditLog } from './audit-log.js';
import { currentAuditActor } from './audit-log.js';
import type { CatalogStore } from './catalog-store.js';

type WriteMethod =
  | 'importFile'
  | 'upsertObjects'
  | 'saveScreening'
  | 'saveEvents'
  | 'saveOrbitDetermination'
  | 'saveJob'
  | 'updateJob'
  | 'saveWatchList'
  | 'deleteWatchList'
  | 'markWatchListRun'
  | 'recordAlert'
  | 'acknowledgeAlert'
  | 'setMarkingSettings';

type Method<K extends WriteMethod> = CatalogStore[K] extends (...a: infer A) => Promise<infer R>
  ? { args: A; result: R }
  : never;

interface WriteAudit<K extends WriteMethod> {
  readonly action: string;
  /** Target and details; `result` is undefined when the call failed. */
  describe(
    args: Method<K>['args'],
    result: Method<K>['result'] | undefined,
  ): { target: string | null; details: Record<string, unknown> };
  /** True for calls that change nothing of substance (not logged). */
  skip?(args: Method<K>['args']): boolean;
}

/** A name or URL without credentials (`https://user:pass@host` → `https://host`). */
function withoutCredentials(name: string): string {
  return name.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

export const STORE_WRITES: { readonly [K in WriteMethod]: WriteAudit<K> } = {
  importFile: {
    action: 'store.import',
    describe: ([input], r) => ({
      target: withoutCredentials(input.name),
      details: {
        source: input.source ?? 'file',
        label: input.label ?? 'UNMARKED',
        bytes: input.bytes.byteLength,
        ...(r === undefined
          ? {}
          : {
              ingestId: r.ingestId,
              sha256: r.sha256,
              format: r.format,
              status: r.status,
              read: r.read,
              inserted: r.inserted,
              duplicates: r.duplicates,
              rejected: r.rejected.length,
              alreadyImportedAs: r.alreadyImportedAs,
            }),
      },
    }),
  },
  upsertObjects: {
    action: 'store.upsertObjects',
    describe: ([objects], r) => ({ target: null, details: { count: objects.length, stored: r ?? null } }),
  },
  saveScreening: {
    action: 'store.saveScreening',
    describe: ([run, conjunctions], id) => ({
      target: id === undefined ? null : `screening/${id}`,
      details: {
        source: run.source,
        windowStart: run.windowStart,
        windowStop: run.windowStop,
        thresholdKm: run.thresholdKm,
        conjunctions: conjunctions.length,
      },
    }),
  },
  saveEvents: {
    action: 'store.saveEvents',
    describe: ([events], r) => ({
      target: null,
      details: {
        count: events.length,
        types: [...new Set(events.map((e) => e.type))].sort(),
        ...(r === undefined ? {} : { inserted: r.inserted, known: r.known }),
      },
    }),
  },
  saveOrbitDetermination: {
    action: 'store.saveOrbitDetermination',
    describe: ([input, options], r) => ({
      target: r === undefined ? null : `orbit-determination/${r.id}`,
      details: {
        catalogNumber: input.catalogNumber,
        epochUtc: input.epochUtc,
        propagator: input.propagator,
        measurements: input.measurements,
        inputs: input.inputs.map((f) => f.file),
        ...(options?.elementSetFile === undefined
          ? {}
          : {
              elementSetFile: withoutCredentials(options.elementSetFile.name),
              source: options.elementSetFile.source ?? 'file',
            }),
        ...(r === undefined || r.ingest === undefined
          ? {}
          : { ingestId: r.ingest.ingestId, elementSetId: r.elementSetId, status: r.ingest.status }),
      },
    }),
  },
  saveJob: {
    action: 'job.submit',
    describe: ([job]) => ({
      target: `job/${job.id}`,
      details: { kind: job.kind, state: job.state, requestedBy: job.requestedBy },
    }),
  },
  updateJob: {
    action: 'job.update',
    describe: ([id, update], r) => ({
      target: `job/${id}`,
      details: {
        ...(update.state === undefined ? {} : { state: update.state }),
        ...(update.error == null ? {} : { error: update.error.code }),
        found: r === undefined ? null : r !== null,
      },
    }),
    skip: ([, update]) =>
      Object.keys(update).every((k) => k === 'progressFraction' || k === 'progressMessage'),
  },
  saveWatchList: {
    action: 'watch.save',
    describe: ([input, id], r) => ({
      target: r?.id !== undefined ? `watch-list/${r.id}` : id === undefined ? null : `watch-list/${id}`,
      details: {
        name: input.name,
        assets: input.assets.length,
        schedule: input.schedule,
        webhook: input.webhookUrl !== null,
        replace: id !== undefined,
        found: r === undefined ? null : r !== null,
      },
    }),
  },
  deleteWatchList: {
    action: 'watch.delete',
    describe: ([id], found) => ({ target: `watch-list/${id}`, details: { found: found ?? null } }),
  },
  setMarkingSettings: {
    action: 'store.markingSettings',
    describe: ([change], r) => ({
      target: 'settings',
      details: {
        ...(change.levels === undefined ? {} : { levels: [...change.levels] }),
        ...(change.homeOrganisation === undefined ? {} : { homeOrganisation: change.homeOrganisation }),
        applied: r !== undefined,
      },
    }),
  },
  markWatchListRun: {
    action: 'watch.run',
    describe: ([id, at]) => ({ target: `watch-list/${id}`, details: { at } }),
  },
  recordAlert: {
    action: 'alert.record',
    describe: ([o], r) => ({
      target: r?.id !== undefined ? `alert/${r.id}` : o.id === undefined ? null : `alert/${o.id}`,
      details: {
        watchListId: o.watchListId,
        assetId: o.assetId,
        otherId: o.otherId,
        screeningId: o.screeningId,
        tcaUtc: o.tcaUtc,
        missKm: o.missKm,
        pc: o.pc,
        found: r === undefined ? null : r !== null,
      },
    }),
  },
  acknowledgeAlert: {
    action: 'alert.acknowledge',
    describe: ([id, ack], r) => ({
      target: `alert/${id}`,
      details: { by: ack.by, at: ack.at, note: ack.note, found: r === undefined ? null : r !== null },
    }),
  },
};

/** Longest error message kept in a 'failed' record. */
const MAX_ERROR_MESSAGE = 300;

/**
 * Wraps the write methods of `store` (this instance only) so that each call is logged to `log`;
 * returns the same store. Reads are left as they are.
 */
export function auditStoreWrites<S extends CatalogStore>(store: S, log: AuditLog): S {
  for (const name of Object.keys(STORE_WRITES) as WriteMethod[]) {
    const spec = STORE_WRITES[name] as unknown as WriteAudit<'importFile'>;
    const original = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
    const wrapped = async (...args: unknown[]): Promise<unknown> => {
      const typedArgs = args as Method<'importFile'>['args'];
      if (spec.skip?.(typedArgs) === true) return original(...args);
      const actor = currentAuditActor();
      let result: unknown;
      try {
        result = await original(...args);
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        const { target, details } = safeDescribe(spec, typedArgs, undefined);
        await log
          .append({
            actor,
            action: spec.action,
            target,
            outcome: 'failed',
            status: null,
            details: {
              ...details,
              error: {
                code: typeof err.code === 'string' ? err.code : 'ERROR',
                message: String(err.message ?? e).slice(0, MAX_ERROR_MESSAGE),
              },
            },
          })
          .catch(() => undefined);
        throw e;
      }
      const { target, details } = safeDescribe(spec, typedArgs, result as Method<'importFile'>['result']);
      await log.append({ actor, action: spec.action, target, outcome: 'allowed', status: null, details });
      return result;
    };
    Object.defineProperty(store, name, { value: wrapped, configurable: true, writable: true });
  }
  return store;
}

/** describe() on arguments that may be malformed (a failed call's input): never throws. */
function safeDescribe(
  spec: WriteAudit<'importFile'>,
  args: Method<'importFile'>['args'],
  result: Method<'importFile'>['result'] | undefined,
): { target: string | null; details: Record<string, unknown> } {
  try {
    return spec.describe(args, result);
  } catch {
    return { target: null, details: { describe: 'arguments not readable' } };
  }
}
