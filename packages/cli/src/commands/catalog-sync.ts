/**
 * `hoshimi catalog sync --from celestrak|spacetrack`: downloads the current catalog (and, for
 * Space-Track, optionally element-set histories) and imports each response into the store.
 */
import {
  type CatalogStore,
  CELESTRAK_ACTIVE,
  type CelesTrakQuery,
  celestrakImportName,
  type SyncSummary,
  syncCatalog,
} from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { COMMON, printIngest, usage, withStore } from './catalog-common.js';

/** CelesTrak's etiquette: the same GP query at most once every two hours. */
export const CELESTRAK_MIN_INTERVAL_H = 2;

export const SYNC_USAGE = `Usage: hoshimi catalog sync --from celestrak|spacetrack [options]

CelesTrak (GP queries, OMM JSON):
  --group NAME          GROUP query (default: active); repeatable with --catnr/--intdes/--name
  --catnr N             CATNR query
  --intdes YYYY-NNN     INTDES query
  --celestrak-url URL   base URL (default: CelesTrak's public service)
Space-Track (gp and gp_history classes; credentials from SPACETRACK_IDENTITY and SPACETRACK_PASSWORD):
  --history IDS         also fetch gp_history for these catalog numbers (comma-separated)
  --history-from DATE   YYYY-MM-DD (default 30 days ago) --history-to DATE (default today)
  --spacetrack-url URL  base URL (default: Space-Track's public service)
Space-Track's limits (30 requests a minute, 300 an hour) are honoured by waiting, not failing.
CelesTrak asks that the same query not be repeated within ${CELESTRAK_MIN_INTERVAL_H} hours: a query this database
imported more recently is skipped (--force sends it anyway).
Common: --db PATH, --label TEXT (default UNMARKED).
`;

export async function syncCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog sync', SYNC_USAGE, {
    args: [...argv],
    options: {
      ...COMMON,
      from: { type: 'string' },
      label: { type: 'string' },
      group: { type: 'string', multiple: true },
      catnr: { type: 'string', multiple: true },
      intdes: { type: 'string', multiple: true },
      'celestrak-url': { type: 'string' },
      'spacetrack-url': { type: 'string' },
      history: { type: 'string' },
      'history-from': { type: 'string' },
      'history-to': { type: 'string' },
      force: { type: 'boolean' },
    },
    strict: true,
  });
  const from = values.from;
  if (from !== 'celestrak' && from !== 'spacetrack') {
    throw usage(`catalog sync --from: expected celestrak or spacetrack, got ${from ?? 'nothing'}`);
  }
  const queries: CelesTrakQuery[] = [
    ...(values.group ?? []).map((value): CelesTrakQuery => ({ by: 'GROUP', value })),
    ...(values.catnr ?? []).map((value): CelesTrakQuery => ({ by: 'CATNR', value })),
    ...(values.intdes ?? []).map((value): CelesTrakQuery => ({ by: 'INTDES', value })),
  ];
  const historyIds = values.history?.split(',').map((s) => s.trim());
  if (historyIds?.some((id) => !/^\d{1,9}$/.test(id))) {
    throw usage(`--history: expected comma-separated catalog numbers, got ${values.history}`);
  }
  const today = new Date();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const summary = await withStore(values, 'create', async (store) => {
    const wanted = queries.length === 0 ? [CELESTRAK_ACTIVE] : queries;
    const celestrakQueries =
      from === 'celestrak' && values.force !== true ? await notRecentlyImported(store, wanted) : wanted;
    if (from === 'celestrak' && celestrakQueries.length === 0) return undefined;
    return syncCatalog({
      from,
      sink: store,
      ...(values.label === undefined ? {} : { label: values.label }),
      celestrak: {
        ...(values['celestrak-url'] === undefined ? {} : { baseUrl: values['celestrak-url'] }),
        queries: celestrakQueries,
      },
      spacetrack: {
        ...(values['spacetrack-url'] === undefined ? {} : { baseUrl: values['spacetrack-url'] }),
        ...(historyIds === undefined
          ? {}
          : {
              history: {
                noradIds: historyIds,
                from: values['history-from'] ?? day(new Date(today.getTime() - 30 * 86_400_000)),
                to: values['history-to'] ?? day(today),
              },
            }),
      },
    });
  });
  if (summary === undefined) return 0;
  report(summary);
  return summary.errors.length > 0 ? 1 : 0;
}

/** The queries this store has not imported from CelesTrak within the last two hours (others reported). */
async function notRecentlyImported(
  store: CatalogStore,
  queries: readonly CelesTrakQuery[],
): Promise<CelesTrakQuery[]> {
  const since = Date.now() - CELESTRAK_MIN_INTERVAL_H * 3_600_000;
  const recent = new Map<string, string>();
  for (const r of await store.ingestLog(500)) {
    if (r.source === 'celestrak' && r.status !== 'failed' && Date.parse(r.startedAt) >= since) {
      if (!recent.has(r.name)) recent.set(r.name, r.startedAt);
    }
  }
  return queries.filter((q) => {
    const name = celestrakImportName(q);
    const at = recent.get(name);
    if (at === undefined) return true;
    process.stderr.write(
      `skipped ${name}: imported at ${at}, less than ${CELESTRAK_MIN_INTERVAL_H} h ago (CelesTrak's limit; --force to send it)\n`,
    );
    return false;
  });
}

function report(s: SyncSummary): void {
  for (const d of s.delivered) {
    if (d.report !== null) printIngest(d.report);
  }
  for (const m of s.messages) process.stderr.write(`${s.from}: ${m.query}: ${m.message}\n`);
  for (const e of s.errors) process.stderr.write(`error: [${e.code}] ${e.query ?? ''} ${e.message}\n`);
  process.stderr.write(
    `sync ${s.from}: ${s.requests} requests (${s.retries} retried, waited ${(s.waitedMs / 1000).toFixed(1)} s for rate limits), ` +
      `${s.bytes} bytes, ${s.responses} responses, ${s.notUpdated} not updated, ${s.noData} with no data, ${s.errors.length} errors\n`,
  );
}
