/**
 * `syncCatalog` end to end against the loopback imitation: the right queries run, every response
 * with data reaches the sink as an ImportInput that parses, CelesTrak's texts and Space-Track's
 * empty answers are counted and not delivered, failures land in the summary, and the summary's
 * request and byte counts match what the server saw. Only 127.0.0.1 is contacted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportInput, IngestReport } from '../src/catalog-store.js';
import { type SyncSummary, syncCatalog } from '../src/sync/index.js';
import {
  createVirtualClock,
  HISTORY_IDS,
  NINE_DIGIT_IDS,
  type SyncTestServer,
  startSyncTestServer,
  type VirtualClock,
} from './sync-server.js';
import { collectingSink, readImport } from './sync-sink.js';

let clock: VirtualClock;
let server: SyncTestServer;

beforeEach(async () => {
  clock = createVirtualClock('2023-10-10T00:00:00Z');
  server = await startSyncTestServer({ clock });
});

afterEach(async () => {
  for (const r of server.requests) expect(r.userAgent).toMatch(/^Hoshimi\//);
  await server.close();
});

describe('syncCatalog from CelesTrak', () => {
  it('delivers each data response as an ImportInput and counts the text answers', async () => {
    const { sink, imports, sets } = collectingSink();
    server.inject('celestrak', { kind: 'not-updated' }, 1, '/NORAD/elements/gp.php');
    const summary = await syncCatalog({
      from: 'celestrak',
      sink,
      label: 'REL TO USA, JPN',
      celestrak: {
        baseUrl: server.url,
        clock,
        queries: [
          { by: 'GROUP', value: 'active' }, // answered "not updated" by the injected fault
          { by: 'GROUP', value: 'active', format: 'csv' },
          { by: 'CATNR', value: NINE_DIGIT_IDS[0], format: 'xml' },
          { by: 'GROUP', value: 'no-such-group' },
          { by: 'SPECIAL', value: 'no-such-special' },
        ],
      },
    });
    expect(summary.errors).toEqual([]);
    expect(summary.queries).toBe(5);
    expect(summary.notUpdated).toBe(1);
    expect(summary.noData).toBe(1);
    expect(summary.messages).toEqual([
      { query: 'celestrak:SPECIAL=no-such-special&FORMAT=json', message: 'Invalid query' },
    ]);
    expect(summary.responses).toBe(2);
    expect(imports.map((i) => [i.input.name, i.input.source, i.input.label, i.file.format])).toEqual([
      ['celestrak:GROUP=active&FORMAT=csv', 'celestrak', 'REL TO USA, JPN', 'omm-csv'],
      [`celestrak:CATNR=${NINE_DIGIT_IDS[0]}&FORMAT=xml`, 'celestrak', 'REL TO USA, JPN', 'omm-xml'],
    ]);
    expect(imports.every((i) => i.file.rejected.length === 0)).toBe(true);
    expect(sets().length).toBe(server.dataset.catalog.length + 1);
    expect(summary.requests).toBe(server.requests.length);
    expect(summary.bytes).toBeGreaterThan(summary.delivered.reduce((a, d) => a + d.bytes, 0));
    expect(summary.startedAt).toBe('2023-10-10T00:00:00.000Z');
  });

  it('syncs GROUP=active in JSON by default and records failures without stopping', async () => {
    const { sink, sets } = collectingSink();
    server.inject('celestrak', { kind: 'status', status: 404 });
    const failing = await syncCatalog({ from: 'celestrak', sink, celestrak: { baseUrl: server.url, clock } });
    expect(failing.errors.map((e) => [e.code, e.query])).toEqual([
      ['SYNC_HTTP', 'celestrak:GROUP=active&FORMAT=json'],
    ]);
    expect(failing.responses).toBe(0);
    const ok = await syncCatalog({ from: 'celestrak', sink, celestrak: { baseUrl: server.url, clock } });
    expect(ok.errors).toEqual([]);
    expect(ok.delivered.map((d) => d.name)).toEqual(['celestrak:GROUP=active&FORMAT=json']);
    expect(sets().length).toBe(server.dataset.catalog.length);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/NORAD/elements/gp.php?GROUP=active&FORMAT=json',
      '/NORAD/elements/gp.php?GROUP=active&FORMAT=json',
    ]);
  });

  it('records a failing sink as SYNC_SINK_FAILED and goes on', async () => {
    const taken: string[] = [];
    const summary = await syncCatalog({
      from: 'celestrak',
      sink: (input: ImportInput) => {
        if (input.name.includes('CATNR=5&')) throw new Error('disk full');
        taken.push(input.name);
      },
      celestrak: {
        baseUrl: server.url,
        clock,
        queries: [
          { by: 'CATNR', value: '5' },
          { by: 'CATNR', value: '25544' },
        ],
      },
    });
    expect(summary.errors.map((e) => e.code)).toEqual(['SYNC_SINK_FAILED']);
    expect(summary.errors[0]?.message).toMatch(/disk full/);
    expect(taken).toEqual(['celestrak:CATNR=25544&FORMAT=json']);
  });
});

describe('syncCatalog from Space-Track', () => {
  /** A store-shaped sink: importFile, answering with a report from the parse. */
  function reportingSink(): { importFile(input: ImportInput): Promise<IngestReport>; names: string[] } {
    const names: string[] = [];
    let id = 0;
    return {
      names,
      importFile: async (input) => {
        const c = readImport(input);
        names.push(input.name);
        const at = new Date(clock.now()).toISOString();
        return {
          ingestId: ++id,
          name: input.name,
          sha256: '',
          source: input.source ?? 'file',
          label: input.label ?? 'UNMARKED',
          format: c.file.format,
          startedAt: at,
          finishedAt: at,
          read: c.file.records.length,
          inserted: c.file.records.length,
          duplicates: 0,
          newObjects: 0,
          rejected: c.file.rejected,
          warnings: [],
          alreadyImportedAs: null,
          status: 'ok',
        };
      },
    };
  }

  it('runs gp and gp_history, logs in once and out at the end, and keeps the limits', async () => {
    const store = reportingSink();
    const summary: SyncSummary = await syncCatalog({
      from: 'spacetrack',
      sink: store,
      spacetrack: {
        baseUrl: server.url,
        clock,
        env: { SPACETRACK_IDENTITY: server.identity, SPACETRACK_PASSWORD: server.password },
        history: { noradIds: [HISTORY_IDS.spot5], from: '2002-05-01', to: '2002-06-30', daysPerRequest: 2 },
      },
    });
    expect(summary.errors).toEqual([]);
    expect(summary.queries).toBe(1 + 31);
    expect(summary.responses + summary.noData).toBe(summary.queries);
    const reports = summary.delivered.map((d) => d.report);
    expect(reports.every((r) => r !== null && r.status === 'ok' && r.source === 'spacetrack')).toBe(true);
    const historyRead = reports.slice(1).reduce((a, r) => a + (r?.read ?? 0), 0);
    expect(historyRead).toBe(250);
    expect(store.names[0]).toBe(
      'spacetrack:class/gp/decay_date/null-val/epoch/>now-30/orderby/norad_cat_id/format/json',
    );
    expect(summary.requests).toBe(server.requests.length);
    expect(summary.requests).toBe(1 + 32 + 1);
    expect(server.requests[0]?.path).toBe('/ajaxauth/login');
    expect(server.requests.at(-1)?.path).toBe('/ajaxauth/logout');
    expect(summary.bytes).toBe(server.requests.reduce((a, r) => a + r.bytes, 0));
    expect(server.violations).toEqual([]);
    expect(summary.waitedMs).toBeGreaterThanOrEqual(60_000);
  });

  it('throws SYNC_NO_CREDENTIALS before any request', async () => {
    const { sink } = collectingSink();
    await expect(
      syncCatalog({ from: 'spacetrack', sink, spacetrack: { baseUrl: server.url, clock, env: {} } }),
    ).rejects.toMatchObject({ code: 'SYNC_NO_CREDENTIALS' });
    expect(server.requests).toEqual([]);
  });

  it('stops at a refused login and keeps the password out of the summary', async () => {
    const { sink, imports } = collectingSink();
    const summary = await syncCatalog({
      from: 'spacetrack',
      sink,
      spacetrack: {
        baseUrl: server.url,
        clock,
        identity: server.identity,
        password: 'wrong-password-123',
        env: {},
        history: { noradIds: [HISTORY_IDS.spot5], from: '2002-05-01', to: '2002-06-30' },
      },
    });
    expect(summary.errors.map((e) => e.code)).toEqual(['SYNC_LOGIN_FAILED']);
    expect(imports).toEqual([]);
    expect(server.requests.length).toBe(1);
    expect(JSON.stringify(summary)).not.toContain('wrong-password-123');
  });
});
