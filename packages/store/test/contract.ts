/**
 * The CatalogStore contract: one behaviour suite that every implementation (SQLite now, PostgreSQL
 * later) must pass, in the style of Kysely's per-dialect suites. Element sets are generated here
 * with @hoshimi/astro's own TLE and OMM writers from one real element set (the ISS TLE of
 * 2008-09-20 used throughout the TLE literature), so the suite needs no files and every expected
 * count is known by construction.
 *
 * `open(config)` must return a fresh, empty store each call, honouring `now` and `staleAfterDays`.
 * `hooks.openTooNew` (optional) must attempt to open a store whose database was written by a newer
 * schema version; the suite expects it to reject with code STORE_TOO_NEW naming both versions.
 */
import { gzipSync } from 'node:zlib';
import {
  type DetectionEvent,
  detectionEventKey,
  type ElementSet,
  formatOmmCsv,
  formatOmmJson,
  formatOmmKvn,
  formatOmmXml,
  formatTleText,
  normaliseJulian,
  parseTleLines,
  parseUtcString,
} from '@hoshimi/astro';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  CatalogStore,
  IngestReport,
  StoredElementSet,
  StoredJob,
  WatchListInput,
} from '../src/catalog-store.js';
import { epochKeyFromIso, isoFromEpochKey } from '../src/epoch-key.js';

export interface ContractStoreConfig {
  /** The store's clock. */
  readonly now?: () => Date;
  /** Stale limit, days. */
  readonly staleAfterDays?: number;
}

export interface ContractHooks {
  /** Attempts to open a store written by a newer schema version (must reject with STORE_TOO_NEW). */
  readonly openTooNew?: () => Promise<CatalogStore>;
}

const ISS_L1 = '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927';
const ISS_L2 = '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537';

function base(): ElementSet {
  const r = parseTleLines(ISS_L1, ISS_L2, 'ISS (ZARYA)');
  if (!r.ok) throw new Error('the base TLE does not parse');
  return r.value;
}

/** An element set of object `cn` at `epochIso` (ms precision survives the TLE's 1e-8 day). */
function makeSet(cn: number, epochIso: string, over: Partial<ElementSet> = {}): ElementSet {
  const jd = parseUtcString(epochIso);
  if (jd === undefined) throw new Error(`bad test time ${epochIso}`);
  return {
    ...base(),
    catalogNumber: String(cn),
    name: `OBJECT ${cn}`,
    epoch: normaliseJulian(jd.jd, jd.jdFrac),
    ...over,
  };
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A 3LE file of objects first..first+count-1 at one epoch. */
function catalog3le(first: number, count: number, epochIso: string, name = (cn: number) => `OBJECT ${cn}`) {
  const sets: ElementSet[] = [];
  for (let cn = first; cn < first + count; cn++) sets.push(makeSet(cn, epochIso, { name: name(cn) }));
  return formatTleText(sets, '3le');
}

/** A 2LE history of one object: `count` epochs `stepHours` apart from `startIso`. */
function history2le(cn: number, count: number, startIso: string, stepHours: number): string {
  const start = parseUtcString(startIso)!;
  const sets: ElementSet[] = [];
  for (let k = 0; k < count; k++) {
    const epoch = normaliseJulian(start.jd, start.jdFrac + (k * stepHours) / 24);
    const { name: _name, ...noName } = makeSet(cn, startIso, {
      epoch,
      meanAnomalyRad: (k * 0.37) % 6,
      revolutionNumber: 1000 + k,
    });
    sets.push(noName);
  }
  return formatTleText(sets, 'none');
}

/** Change of a valid line's checksum digit to a wrong one. */
function breakChecksum(line: string): string {
  const d = Number(line.charAt(68));
  return `${line.slice(0, 68)}${(d + 1) % 10}`;
}

async function snapshot(store: CatalogStore, at: string, cns: readonly string[]) {
  const log = await store.ingestLog(1000);
  const asOf = await store.asOf(at);
  const histories: StoredElementSet[][] = [];
  for (const cn of cns) histories.push(await store.history(cn));
  const objects = await store.listObjects();
  return {
    log: log.map((g) => [g.ingestId, g.status, g.read, g.inserted]),
    asOf: asOf.map((s) => s.id),
    histories: histories.map((h) => h.map((s) => s.id)),
    objects: objects.map((o) => [o.object.catalogNumber, o.object.name, o.object.objectType]),
  };
}

export function runCatalogStoreContract(
  name: string,
  open: (config?: ContractStoreConfig) => Promise<CatalogStore>,
  hooks: ContractHooks = {},
): void {
  describe(`CatalogStore contract: ${name}`, () => {
    const opened: CatalogStore[] = [];
    const fresh = async (config?: ContractStoreConfig) => {
      const s = await open(config);
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      while (opened.length > 0) await opened.pop()!.close();
    });

    describe('import', () => {
      it('stores every record of a 3LE file and reports the counts', async () => {
        const store = await fresh();
        const r = await store.importFile({
          name: 'cat.3le',
          bytes: bytesOf(catalog3le(1, 50, '2023-10-09T12:00:00Z')),
          source: 'file',
          label: 'REL TO USA, JPN',
        });
        expect(r).toMatchObject({
          status: 'ok',
          format: '3le',
          read: 50,
          inserted: 50,
          duplicates: 0,
          newObjects: 50,
          alreadyImportedAs: null,
          source: 'file',
          label: 'REL TO USA, JPN',
        });
        expect(r.rejected).toEqual([]);
        expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
        const s = await store.getObject('7', '2023-10-10T00:00:00Z');
        expect(s?.object.name).toBe('OBJECT 7');
        expect(s?.latest?.label).toBe('REL TO USA, JPN');
        expect(s?.latest?.format).toBe('3le');
        expect(s?.latest?.ingestId).toBe(r.ingestId);
        const log = await store.ingestLog();
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({
          ingestId: r.ingestId,
          name: 'cat.3le',
          read: 50,
          inserted: 50,
          status: 'ok',
        });
      });

      it('keeps the element values exactly (what was parsed is what comes back)', async () => {
        const store = await fresh();
        await store.importFile({ name: 'iss.tle', bytes: bytesOf(`ISS (ZARYA)\n${ISS_L1}\n${ISS_L2}\n`) });
        const [stored] = await store.history('25544');
        expect(stored?.elements).toEqual(base());
        expect(stored?.epochUtc).toBe('2008-09-20T12:25:40.104192Z');
      });

      it('reads gzip by its magic bytes, whatever the name', async () => {
        const store = await fresh();
        const text = catalog3le(100, 10, '2023-10-09T12:00:00Z');
        const r = await store.importFile({ name: 'no-extension', bytes: gzipSync(bytesOf(text)) });
        expect(r).toMatchObject({ status: 'ok', read: 10, inserted: 10 });
        // The same content, plain: recognised as the same file (SHA-256 of the decompressed bytes).
        const again = await store.importFile({ name: 'plain.3le', bytes: bytesOf(text) });
        expect(again.alreadyImportedAs).toBe(r.ingestId);
        expect(again.sha256).toBe(r.sha256);
      });

      it('adds nothing when the same content is imported again', async () => {
        const store = await fresh();
        const bytes = bytesOf(catalog3le(1, 20, '2023-10-09T12:00:00Z'));
        const first = await store.importFile({ name: 'a.3le', bytes });
        const before = await snapshot(store, '2024-01-01T00:00:00Z', ['1', '20']);
        const second = await store.importFile({ name: 'copy-of-a.3le', bytes });
        expect(second).toMatchObject({ alreadyImportedAs: first.ingestId, inserted: 0, status: 'ok' });
        expect(await snapshot(store, '2024-01-01T00:00:00Z', ['1', '20'])).toEqual(before);
      });

      it('counts element sets already stored (same object, epoch, source and elements) as duplicates', async () => {
        const store = await fresh();
        await store.importFile({ name: 'a', bytes: bytesOf(catalog3le(1, 10, '2023-10-09T12:00:00Z')) });
        // A different file (two more objects) that repeats the ten sets.
        const r = await store.importFile({
          name: 'b',
          bytes: bytesOf(catalog3le(1, 12, '2023-10-09T12:00:00Z')),
        });
        expect(r).toMatchObject({ read: 12, inserted: 2, duplicates: 10, newObjects: 2, status: 'ok' });
      });

      it('imports every epoch of a history, in epoch order', async () => {
        const store = await fresh();
        const r = await store.importFile({
          name: 'hist.tle',
          bytes: bytesOf(history2le(43, 500, '2020-01-01T00:00:00Z', 6)),
        });
        expect(r).toMatchObject({ status: 'ok', format: 'tle', read: 500, inserted: 500, newObjects: 1 });
        const h = await store.history('43');
        expect(h).toHaveLength(500);
        for (let k = 1; k < h.length; k++) expect(h[k]!.epochUtc > h[k - 1]!.epochUtc).toBe(true);
        expect(h.map((s) => s.elements.revolutionNumber)).toEqual(
          Array.from({ length: 500 }, (_, k) => 1000 + k),
        );
      });

      it.each([
        ['OMM KVN', 'omm-kvn', (s: ElementSet[]) => formatOmmKvn(s)],
        ['OMM XML', 'omm-xml', (s: ElementSet[]) => formatOmmXml(s)],
        ['GP JSON', 'omm-json', (s: ElementSet[]) => formatOmmJson(s)],
        ['GP CSV', 'omm-csv', (s: ElementSet[]) => formatOmmCsv(s)],
      ] as const)('imports %s', async (_label, format, write) => {
        const store = await fresh();
        const sets = [makeSet(5, '2023-10-09T01:00:00Z'), makeSet(800000123, '2023-10-09T02:00:00Z')];
        const r = await store.importFile({ name: `x.${format}`, bytes: bytesOf(write(sets)) });
        expect(r).toMatchObject({ status: 'ok', format, read: 2, inserted: 2, newObjects: 2 });
        const nine = await store.getObject('800000123');
        expect(nine?.object.catalogNumber).toBe('800000123');
        expect(nine?.latest?.format).toBe(format);
      });

      it('accepts CRLF line ends and a byte-order mark', async () => {
        const store = await fresh();
        const text = `\ufeff${catalog3le(1, 3, '2023-10-09T12:00:00Z').replace(/\n/g, '\r\n')}`;
        const r = await store.importFile({ name: 'crlf.3le', bytes: bytesOf(text) });
        expect(r).toMatchObject({ status: 'ok', read: 3 });
        expect((await store.getObject('1'))?.object.name).toBe('OBJECT 1');
      });
    });

    describe('bad input', () => {
      const good = catalog3le(1, 4, '2023-10-09T12:00:00Z').split('\n');
      // good: [0 OBJECT 1, 1 ..., 2 ..., 0 OBJECT 2, ...]

      it('rejects a truncated line with file, line and reason; the good records land', async () => {
        const store = await fresh();
        const lines = [...good];
        lines[5] = lines[5]!.slice(0, 40); // object 2, line 2, at file line 6
        const r = await store.importFile({ name: 'trunc.3le', bytes: bytesOf(lines.join('\n')) });
        expect(r).toMatchObject({ status: 'partial', read: 3, inserted: 3 });
        expect(r.rejected).toHaveLength(1);
        expect(r.rejected[0]).toMatchObject({ file: 'trunc.3le', line: 6 });
        expect(r.rejected[0]!.code).toMatch(/^TLE_/);
        expect(await store.getObject('2')).toBeNull();
        expect((await store.getObject('3'))?.latest).not.toBeNull();
        const [logged] = await store.ingestLog(1);
        expect(logged?.rejected).toEqual(r.rejected);
        expect(logged?.status).toBe('partial');
      });

      it('rejects a bad checksum', async () => {
        const store = await fresh();
        const lines = [...good];
        lines[8] = breakChecksum(lines[8]!); // object 3, line 2 at file line 9
        const r = await store.importFile({ name: 'sum.3le', bytes: bytesOf(lines.join('\n')) });
        expect(r).toMatchObject({ status: 'partial', read: 3 });
        expect(r.rejected).toEqual([
          expect.objectContaining({ file: 'sum.3le', line: 9, code: 'TLE_CHECKSUM' }),
        ]);
      });

      it('stores a 3LE record whose name line is missing and says so', async () => {
        const store = await fresh();
        const lines = [...good];
        lines.splice(3, 1); // drop "0 OBJECT 2" (file line 4)
        const r = await store.importFile({ name: 'noname.3le', bytes: bytesOf(lines.join('\n')) });
        expect(r).toMatchObject({ status: 'ok', read: 4 });
        expect(r.warnings).toEqual([
          expect.objectContaining({ file: 'noname.3le', line: 4, code: 'TLE_NAME_MISSING' }),
        ]);
        const o2 = await store.getObject('2');
        expect(o2?.object.name).toBeNull();
        expect((await store.ingestLog(1))[0]?.warnings).toEqual(r.warnings);
      });

      it('reports the lines of another format inside a TLE file', async () => {
        const store = await fresh();
        const kvn = formatOmmKvn([makeSet(900, '2023-10-09T00:00:00Z')])
          .trimEnd()
          .split('\n');
        const text = [...good.slice(0, 6), ...kvn, ...good.slice(6)].join('\n');
        const r = await store.importFile({ name: 'mixed.txt', bytes: bytesOf(text) });
        expect(r).toMatchObject({ status: 'partial', read: 4, format: '3le' });
        expect(r.rejected.length).toBeGreaterThan(0);
        expect(r.rejected[0]).toMatchObject({ file: 'mixed.txt', line: 7 });
        expect(r.rejected.some((i) => i.code === 'ELEMENTS_MIXED_FORMAT')).toBe(true);
        for (const i of r.rejected) expect(i.line).toBeGreaterThanOrEqual(7);
        expect(await store.getObject('900')).toBeNull();
      });

      it('fails a binary file clearly and stores nothing', async () => {
        const store = await fresh();
        const bytes = new Uint8Array(4096);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
        const r = await store.importFile({ name: 'image.png', bytes });
        expect(r).toMatchObject({ status: 'failed', read: 0, inserted: 0, format: null });
        expect(r.rejected).toEqual([expect.objectContaining({ file: 'image.png', code: 'INPUT_BINARY' })]);
        expect(await store.listObjects()).toEqual([]);
        expect((await store.ingestLog())[0]).toMatchObject({ status: 'failed', name: 'image.png' });
      });

      it('fails an empty file (plain or gzip) clearly', async () => {
        const store = await fresh();
        for (const [n, bytes] of [
          ['empty.tle', new Uint8Array(0)],
          ['blank.tle', bytesOf('\n  \n\n')],
          ['empty.gz', gzipSync(new Uint8Array(0))],
        ] as const) {
          const r = await store.importFile({ name: n, bytes });
          expect(r).toMatchObject({ status: 'failed', read: 0 });
          expect(r.rejected).toEqual([expect.objectContaining({ file: n, code: 'INPUT_EMPTY' })]);
        }
        expect(await store.listObjects()).toEqual([]);
      });

      it('fails text that is no element format, and a corrupt gzip', async () => {
        const store = await fresh();
        const r = await store.importFile({ name: 'notes.txt', bytes: bytesOf('hello\nworld\n') });
        expect(r.status).toBe('failed');
        expect(r.rejected[0]?.code).toBe('ELEMENTS_UNKNOWN_FORMAT');
        const gz = gzipSync(bytesOf(catalog3le(1, 50, '2023-10-09T12:00:00Z')));
        const cut = await store.importFile({ name: 'cut.gz', bytes: gz.subarray(0, gz.length >> 1) });
        expect(cut.status).toBe('failed');
        expect(cut.rejected[0]?.code).toBe('INPUT_BAD_GZIP');
        expect(await store.listObjects()).toEqual([]);
      });

      it('fails a file whose every record is rejected, and stores none of it', async () => {
        const store = await fresh();
        const lines = good.map((l) => (l.startsWith('2 ') ? breakChecksum(l) : l));
        const r = await store.importFile({ name: 'allbad.3le', bytes: bytesOf(lines.join('\n')) });
        expect(r).toMatchObject({ status: 'failed', read: 0 });
        expect(r.rejected).toHaveLength(4);
        expect(await store.listObjects()).toEqual([]);
      });
    });

    describe('atomicity', () => {
      const big = history2le(77, 6000, '2015-01-01T00:00:00Z', 1); // 12,000 lines: several batches

      it('leaves the database exactly as before when an import is aborted mid-way', async () => {
        const store = await fresh();
        await store.importFile({ name: 'first', bytes: bytesOf(catalog3le(1, 5, '2015-06-01T00:00:00Z')) });
        const before = await snapshot(store, '2030-01-01T00:00:00Z', ['1', '77']);
        const controller = new AbortController();
        let batches = 0;
        const err = await store
          .importFile({
            name: 'aborted',
            bytes: bytesOf(big),
            signal: controller.signal,
            onProgress: (p) => {
              batches++;
              expect(p.read).toBeGreaterThan(0);
              controller.abort(new Error('operator pressed Ctrl-C'));
            },
          })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(batches).toBe(1);
        expect(err).toMatchObject({ code: 'IMPORT_ABORTED' });
        expect(await snapshot(store, '2030-01-01T00:00:00Z', ['1', '77'])).toEqual(before);
        // And the store still works: the same file imports fully afterwards.
        const r = await store.importFile({ name: 'retry', bytes: bytesOf(big) });
        expect(r).toMatchObject({ status: 'ok', read: 6000, inserted: 6000, alreadyImportedAs: null });
      });

      it('rolls back when an exception interrupts the import', async () => {
        const store = await fresh();
        await store.importFile({ name: 'first', bytes: bytesOf(catalog3le(1, 5, '2015-06-01T00:00:00Z')) });
        const before = await snapshot(store, '2030-01-01T00:00:00Z', ['1', '77']);
        let calls = 0;
        await expect(
          store.importFile({
            name: 'boom',
            bytes: bytesOf(big),
            onProgress: () => {
              if (++calls === 2) throw new Error('disk full (simulated by the caller)');
            },
          }),
        ).rejects.toMatchObject({ code: 'IMPORT_ABORTED' });
        expect(calls).toBe(2);
        expect(await snapshot(store, '2030-01-01T00:00:00Z', ['1', '77'])).toEqual(before);
      });
    });

    describe('as of', () => {
      it('returns, per object, the latest element set with epoch ≤ t (inclusive to the microsecond)', async () => {
        const store = await fresh();
        await store.importFile({ name: 'h', bytes: bytesOf(history2le(43, 10, '2020-01-01T00:00:00Z', 24)) });
        await store.importFile({ name: 'c', bytes: bytesOf(catalog3le(1, 3, '2020-01-05T12:00:00Z')) });
        const h = await store.history('43');
        const third = h[3]!;
        const at = await store.asOf(third.epochUtc);
        expect(at.map((s) => s.catalogNumber)).toEqual(['43']); // the catalog objects start later
        expect(at[0]?.id).toBe(third.id);
        // One microsecond earlier: the previous set.
        const earlier = isoFromEpochKey(epochKeyFromIso(third.epochUtc) - 1);
        expect((await store.asOf(earlier))[0]?.id).toBe(h[2]!.id);
        const later = await store.asOf('2020-01-06T00:00:00Z');
        expect(later.map((s) => s.catalogNumber)).toEqual(['1', '2', '3', '43']);
        expect(later.find((s) => s.catalogNumber === '43')?.id).toBe(h[5]!.id);
        expect(await store.asOf('2019-12-31T23:59:59Z')).toEqual([]);
      });

      it('keeps both sets of an epoch seen from two sources and prefers spacetrack > celestrak > others', async () => {
        const store = await fresh();
        const text = catalog3le(1, 3, '2023-10-09T12:00:00Z');
        const other = await store.importFile({ name: 'o', bytes: bytesOf(text), source: 'analyst' });
        const st = await store.importFile({ name: 's', bytes: bytesOf(text), source: 'spacetrack' });
        const ct = await store.importFile({ name: 'c', bytes: bytesOf(text), source: 'celestrak' });
        for (const r of [other, st, ct]) expect(r).toMatchObject({ inserted: 3, alreadyImportedAs: null });
        const h = await store.history('2');
        expect(h.map((s) => s.source)).toEqual(['analyst', 'spacetrack', 'celestrak']);
        const at = await store.asOf('2023-10-10T00:00:00Z');
        expect(at.map((s) => s.source)).toEqual(['spacetrack', 'spacetrack', 'spacetrack']);
        // A later epoch wins whatever its source.
        await store.importFile({
          name: 'late',
          bytes: bytesOf(catalog3le(2, 1, '2023-10-09T13:00:00Z')),
          source: 'analyst',
        });
        const at2 = await store.asOf('2023-10-10T00:00:00Z');
        expect(at2.map((s) => s.source)).toEqual(['spacetrack', 'analyst', 'spacetrack']);
        expect((await store.getObject('2', '2023-10-10T00:00:00Z'))?.latest?.source).toBe('analyst');
      });

      it('at equal epoch and priority, prefers the later ingest', async () => {
        const store = await fresh();
        const a = catalog3le(1, 1, '2023-10-09T12:00:00Z');
        const b = formatTleText([makeSet(1, '2023-10-09T12:00:00Z', { bstar: 0.0002 })], '3le');
        await store.importFile({ name: 'a', bytes: bytesOf(a), source: 'x' });
        const rb = await store.importFile({ name: 'b', bytes: bytesOf(b), source: 'y' });
        const [s] = await store.asOf('2023-10-09T12:00:00Z');
        expect(s?.ingestId).toBe(rb.ingestId);
        expect(s?.elements.bstar).toBe(0.0002);
        expect(await store.history('1')).toHaveLength(2);
      });

      it('rejects a time that is not ISO UTC', async () => {
        const store = await fresh();
        await expect(store.asOf('yesterday')).rejects.toMatchObject({ code: 'STORE_BAD_TIME' });
      });
    });

    describe('objects and queries', () => {
      it('derives the object type from names, and a SATCAT upsert overrides it for good', async () => {
        const store = await fresh();
        const names: Record<number, string> = {
          1: 'COSMOS 1408 DEB',
          2: 'FENGYUN 1C DEB ',
          3: 'SL-16 R/B',
          4: 'CZ-4C R/B(2)',
          5: 'ISS (ZARYA)',
          6: 'DEBUT (ORIZURU)',
        };
        await store.importFile({
          name: 'n',
          bytes: bytesOf(catalog3le(1, 6, '2023-10-09T00:00:00Z', (cn) => names[cn]!)),
        });
        const types = (await store.listObjects()).map((o) => o.object.objectType);
        expect(types).toEqual(['DEBRIS', 'DEBRIS', 'ROCKET BODY', 'ROCKET BODY', 'UNKNOWN', 'UNKNOWN']);
        expect(
          await store.upsertObjects([
            {
              catalogNumber: '5',
              name: 'ISS (ZARYA)',
              intlDesignator: '1998-067A',
              objectType: 'PAYLOAD',
              launchDate: '1998-11-20',
              decayDate: null,
            },
          ]),
        ).toBe(1);
        // A newer set named like debris does not change a SATCAT type.
        await store.importFile({
          name: 'n2',
          bytes: bytesOf(catalog3le(5, 1, '2023-10-10T00:00:00Z', () => 'ISS DEB')),
        });
        const iss = await store.getObject('00005');
        expect(iss?.object).toEqual({
          catalogNumber: '5',
          name: 'ISS (ZARYA)',
          intlDesignator: '1998-067A',
          objectType: 'PAYLOAD',
          launchDate: '1998-11-20',
          decayDate: null,
          typeSource: 'satcat',
          ownerCode: null,
          ownerName: null,
          launchSiteCode: null,
          launchSiteName: null,
          rcsSize: null,
          rcsM2: null,
          satcatSource: null,
          satcatIngestId: null,
        });
        expect(iss?.latest?.elements.name).toBe('ISS DEB');
      });

      it('names an object after its newest named element set', async () => {
        const store = await fresh();
        await store.importFile({
          name: 'new',
          bytes: bytesOf(catalog3le(1, 1, '2023-10-09T00:00:00Z', () => 'STARLINK-1007')),
        });
        await store.importFile({
          name: 'old',
          bytes: bytesOf(catalog3le(1, 1, '2023-01-01T00:00:00Z', () => 'OBJECT A')),
        });
        expect((await store.getObject('1'))?.object.name).toBe('STARLINK-1007');
        expect((await store.getObject('1'))?.object.objectType).toBe('UNKNOWN');
      });

      it('lists by type, name substring (case-insensitive, wildcards literal), as-of time and limit', async () => {
        const store = await fresh();
        const names = ['COSMOS 2251 DEB', 'IRIDIUM 33 DEB', 'SL-8 R/B', 'IRIDIUM 33', 'A_B%C'];
        await store.importFile({
          name: 'l',
          bytes: bytesOf(catalog3le(1, 5, '2023-10-09T00:00:00Z', (cn) => names[cn - 1]!)),
        });
        await store.importFile({ name: 'l2', bytes: bytesOf(catalog3le(10, 2, '2023-11-01T00:00:00Z')) });
        const cns = (os: { object: { catalogNumber: string } }[]) => os.map((o) => o.object.catalogNumber);
        expect(cns(await store.listObjects({ type: 'DEBRIS' }))).toEqual(['1', '2']);
        expect(cns(await store.listObjects({ name: 'iridium' }))).toEqual(['2', '4']);
        expect(cns(await store.listObjects({ name: '_b%' }))).toEqual(['5']);
        expect(cns(await store.listObjects({ name: '%' }))).toEqual(['5']);
        expect(cns(await store.listObjects({ asOf: '2023-10-15T00:00:00Z' }))).toEqual([
          '1',
          '2',
          '3',
          '4',
          '5',
        ]);
        expect(cns(await store.listObjects())).toEqual(['1', '2', '3', '4', '5', '10', '11']);
        expect(cns(await store.listObjects({ limit: 3 }))).toEqual(['1', '2', '3']);
        expect(
          cns(await store.listObjects({ type: 'DEBRIS', name: 'cosmos', asOf: '2023-10-15T00:00:00Z' })),
        ).toEqual(['1']);
      });

      it('shows age, stale and decayed at the query time (and uses the clock without one)', async () => {
        const now = new Date('2023-12-01T00:00:00Z');
        const store = await fresh({ now: () => now, staleAfterDays: 10 });
        await store.importFile({ name: 'c', bytes: bytesOf(catalog3le(1, 2, '2023-11-20T00:00:00Z')) });
        const at = await store.getObject('1', '2023-11-25T00:00:00Z');
        expect(at?.ageDays).toBeCloseTo(5, 6);
        expect(at).toMatchObject({ stale: false, decayed: false, decayReason: null });
        const nowStatus = await store.getObject('1');
        expect(nowStatus?.ageDays).toBeCloseTo(11, 6);
        expect(nowStatus?.stale).toBe(true);
        await store.upsertObjects([
          {
            catalogNumber: '2',
            name: null,
            intlDesignator: null,
            objectType: 'DEBRIS',
            launchDate: null,
            decayDate: '2023-11-28',
          },
        ]);
        expect((await store.getObject('2', '2023-11-27T23:59:59Z'))?.decayed).toBe(false);
        const dec = await store.getObject('2', '2023-11-28T00:00:00Z');
        expect(dec?.decayed).toBe(true);
        expect(dec?.decayReason).toContain('2023-11-28');
        // Shown, not hidden: decayed and stale objects stay in lists.
        expect((await store.listObjects()).map((o) => [o.object.catalogNumber, o.stale, o.decayed])).toEqual([
          ['1', true, false],
          ['2', true, true],
        ]);
      });

      it('reports decay found by SGP4 at the query time', async () => {
        const store = await fresh();
        // A low, draggy orbit: ~16.3 rev/day (perigee ≈ 190 km), B* = 5e-3 /earth radii.
        const sinking = makeSet(9, '2023-10-01T00:00:00Z', {
          meanMotionRadPerMin: (16.3 * 2 * Math.PI) / 1440,
          bstar: 5e-3,
          eccentricity: 0.0005,
        });
        await store.importFile({ name: 'low', bytes: bytesOf(formatTleText([sinking], '3le')) });
        const early = await store.getObject('9', '2023-10-01T06:00:00Z');
        expect(early?.decayed).toBe(false);
        const late = await store.getObject('9', '2024-06-01T00:00:00Z');
        expect(late?.decayed).toBe(true);
        expect(late?.decayReason).toMatch(/SGP4/);
      });

      it('diff: appeared, and disappeared (stale or decayed by `to`)', async () => {
        const store = await fresh({ staleAfterDays: 30 });
        // Objects 1..4 tracked on 2023-01-01; 1 and 2 keep being tracked; 3 goes silent; 4 decays.
        await store.importFile({ name: 'jan', bytes: bytesOf(catalog3le(1, 4, '2023-01-01T00:00:00Z')) });
        await store.importFile({ name: 'mar', bytes: bytesOf(catalog3le(1, 2, '2023-03-01T00:00:00Z')) });
        // New pieces 10..12 appear in February (a breakup), 20 appears after `to`.
        await store.importFile({ name: 'feb', bytes: bytesOf(catalog3le(10, 3, '2023-02-10T00:00:00Z')) });
        await store.importFile({ name: 'later', bytes: bytesOf(catalog3le(20, 1, '2023-06-01T00:00:00Z')) });
        await store.upsertObjects([
          {
            catalogNumber: '4',
            name: 'OBJECT 4',
            intlDesignator: null,
            objectType: 'PAYLOAD',
            launchDate: null,
            decayDate: '2023-01-20',
          },
        ]);
        const d = await store.diff('2023-01-02T00:00:00Z', '2023-03-02T00:00:00Z');
        expect(d.from).toBe('2023-01-02T00:00:00Z');
        expect(d.appeared.map((s) => s.object.catalogNumber)).toEqual(['10', '11', '12']);
        expect(d.disappeared.map((s) => [s.object.catalogNumber, s.stale, s.decayed])).toEqual([
          ['3', true, false],
          ['4', true, true],
        ]);
        expect(d.disappeared[0]?.ageDays).toBeCloseTo(60, 6);
        await expect(store.diff('2023-03-02T00:00:00Z', '2023-01-02T00:00:00Z')).rejects.toMatchObject({
          code: 'STORE_BAD_TIME',
        });
      });

      it('answers unknown objects with null and refuses malformed catalog numbers', async () => {
        const store = await fresh();
        expect(await store.getObject('99999')).toBeNull();
        expect(await store.history('99999')).toEqual([]);
        await expect(store.getObject('ISS')).rejects.toMatchObject({ code: 'STORE_BAD_CATALOG_NUMBER' });
        await expect(store.getObject('1234567890')).rejects.toMatchObject({
          code: 'STORE_BAD_CATALOG_NUMBER',
        });
      });

      it('logs ingests newest first, with the failed ones', async () => {
        const store = await fresh();
        const a = await store.importFile({
          name: 'a',
          bytes: bytesOf(catalog3le(1, 2, '2023-10-09T00:00:00Z')),
        });
        const b = await store.importFile({ name: 'b', bytes: new Uint8Array(0) });
        const c = await store.importFile({
          name: 'c',
          bytes: bytesOf(catalog3le(3, 2, '2023-10-09T00:00:00Z')),
        });
        const log: IngestReport[] = await store.ingestLog();
        expect(log.map((g) => [g.ingestId, g.name, g.status])).toEqual([
          [c.ingestId, 'c', 'ok'],
          [b.ingestId, 'b', 'failed'],
          [a.ingestId, 'a', 'ok'],
        ]);
        expect(await store.ingestLog(1)).toHaveLength(1);
      });
    });

    describe('SATCAT metadata', () => {
      /** A Space-Track SATCAT JSON record (every value a string or null, as Space-Track writes them). */
      const st = (cn: number, type: string, country: string, launch: string, decay: string | null) => ({
        INTLDES: '1998-067A',
        NORAD_CAT_ID: String(cn),
        OBJECT_TYPE: type,
        SATNAME: `SATCAT ${cn}`,
        COUNTRY: country,
        LAUNCH: launch,
        SITE: 'TTMTR',
        DECAY: decay,
        RCSVALUE: '0',
        RCS_SIZE: 'LARGE',
      });
      const satcatJson = (rows: readonly unknown[]) => bytesOf(JSON.stringify(rows, null, 1));

      it('imports a SATCAT by content: types override the name rule for good, owners and sites named', async () => {
        const store = await fresh();
        await store.importFile({
          name: 'names.3le',
          bytes: bytesOf(
            catalog3le(1, 4, '2023-10-09T00:00:00Z', (cn) => (cn === 3 ? 'THING DEB' : `SAT ${cn}`)),
          ),
        });
        // Without a SATCAT a payload filter takes the objects the name rule leaves unknown, and counts them.
        expect(await store.selectObjects({ types: ['PAYLOAD'] })).toEqual({
          catalogNumbers: ['1', '2', '4'],
          objectTypes: ['UNKNOWN', 'UNKNOWN', 'UNKNOWN'],
          decayDates: [null, null, null],
          ownerCodes: [null, null, null],
          byNameRule: 3,
        });
        const r = await store.importFile({
          name: 'satcat.json',
          bytes: satcatJson([
            st(1, 'PAYLOAD', 'JPN', '2020-01-02', null),
            st(2, 'ROCKET BODY', 'US', '2020-01-02', null),
            st(3, 'PAYLOAD', 'TWN', '2020-01-02', null),
            st(5, 'DEBRIS', 'JPN', '2021-05-06', '2023-10-10'),
          ]),
        });
        expect(r).toMatchObject({
          status: 'ok',
          format: 'satcat-json',
          source: 'spacetrack',
          read: 4,
          inserted: 4,
          newObjects: 1,
          duplicates: 0,
        });
        const one = await store.getObject('1');
        expect(one?.object).toMatchObject({
          name: 'SAT 1',
          objectType: 'PAYLOAD',
          typeSource: 'satcat',
          ownerCode: 'JPN',
          ownerName: 'Japan',
          launchDate: '2020-01-02',
          launchSiteCode: 'TTMTR',
          launchSiteName: 'Tyuratam Missile and Space Center, Kazakhstan',
          rcsSize: 'LARGE',
          satcatSource: 'spacetrack',
          satcatIngestId: r.ingestId,
        });
        // A name that marks debris does not beat the SATCAT, now or after a newer element set.
        expect((await store.getObject('3'))?.object.objectType).toBe('PAYLOAD');
        await store.importFile({
          name: 'newer.3le',
          bytes: bytesOf(catalog3le(1, 1, '2023-10-10T00:00:00Z', () => 'SAT 1 DEB')),
        });
        expect((await store.getObject('1'))?.object).toMatchObject({
          objectType: 'PAYLOAD',
          ownerCode: 'JPN',
        });
        // Selections: by type (object 4 still by its name), by owner (TWN and ROC are one owner).
        expect(await store.selectObjects({ types: ['PAYLOAD'] })).toEqual({
          catalogNumbers: ['1', '3', '4'],
          objectTypes: ['PAYLOAD', 'PAYLOAD', 'UNKNOWN'],
          decayDates: [null, null, null],
          ownerCodes: ['JPN', 'TWN', null],
          byNameRule: 1,
        });
        // Decayed by a date: from 00:00 UTC of the decay date on, never before.
        expect(await store.selectObjects({ decayedBy: '2023-10-09' })).toMatchObject({ catalogNumbers: [] });
        expect(await store.selectObjects({ decayedBy: '2023-10-10' })).toMatchObject({
          catalogNumbers: ['5'],
          decayDates: ['2023-10-10'],
        });
        await expect(store.selectObjects({ decayedBy: '10/10/2023' })).rejects.toMatchObject({
          code: 'STORE_BAD_DATE',
        });
        expect((await store.selectObjects({ owners: ['jpn'] })).catalogNumbers).toEqual(['1', '5']);
        expect((await store.selectObjects({ owners: ['ROC'] })).catalogNumbers).toEqual(['3']);
        expect((await store.selectObjects({ owners: ['JPN'], types: ['DEBRIS'] })).catalogNumbers).toEqual([
          '5',
        ]);
        const listed = await store.listObjects({ owners: ['JPN'], asOf: '2023-10-11T00:00:00Z' });
        expect(listed.map((o) => o.object.catalogNumber)).toEqual(['1']);
        // The same records again change nothing.
        const again = await store.importFile({
          name: 'satcat-again.json',
          source: 'spacetrack',
          label: 'OTHER',
          bytes: satcatJson([st(1, 'PAYLOAD', 'JPN', '2020-01-02', null)]),
        });
        expect(again).toMatchObject({ read: 1, inserted: 0, duplicates: 1, newObjects: 0 });
      });

      it('counts a decay date only from that date on', async () => {
        const store = await fresh();
        await store.importFile({
          name: 'satcat.json',
          bytes: satcatJson([st(5, 'DEBRIS', 'JPN', '2021-05-06', '2023-10-10')]),
        });
        const before = await store.getObject('5', '2023-10-09T23:59:59.999999Z');
        expect(before).toMatchObject({ decayed: false, decayReason: null });
        expect(before?.object.decayDate).toBe('2023-10-10');
        expect(await store.getObject('5', '2023-10-10T00:00:00Z')).toMatchObject({
          decayed: true,
          decayReason: 'decay date 2023-10-10',
        });
      });

      it('rejects bad SATCAT rows with file, line, key, expected and found, and keeps the good ones', async () => {
        const store = await fresh();
        const csv = [
          'OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE',
          'VANGUARD 1,1958-002B,5,PAY,,US,1958-03-17,AFETR,,132.71,34.25,3829,651,0.1220,,EA,ORB',
          'BAD DATE,1958-002C,6,DEB,,US,17/03/1958,AFETR,,,,,,,,EA,ORB',
          'UNKNOWN OWNER,1958-002D,7,DEB,,ZZZZ,1958-03-17,AFETR,,,,,,,,EA,ORB',
        ].join('\n');
        const r = await store.importFile({ name: 'satcat.csv', bytes: bytesOf(csv) });
        expect(r).toMatchObject({ status: 'partial', format: 'satcat-csv', source: 'celestrak', read: 2 });
        expect(r.rejected).toEqual([
          expect.objectContaining({
            file: 'satcat.csv',
            line: 3,
            key: 'LAUNCH_DATE',
            code: 'SATCAT_BAD_FIELD',
            expected: 'a date YYYY-MM-DD',
            found: '17/03/1958',
          }),
        ]);
        expect(r.warnings).toEqual([
          expect.objectContaining({ line: 4, key: 'OWNER', found: 'ZZZZ', code: 'SATCAT_UNKNOWN_CODE' }),
        ]);
        expect((await store.getObject('7'))?.object).toMatchObject({ ownerCode: 'ZZZZ', ownerName: null });
        expect((await store.getObject('5'))?.object).toMatchObject({ rcsM2: 0.122, rcsSize: 'MEDIUM' });
        expect(await store.getObject('6')).toBeNull();
        const [log] = await store.ingestLog(1);
        expect(log).toMatchObject({ format: 'satcat-csv', status: 'partial' });
        expect(log?.rejected.map((i) => [i.line, i.key])).toEqual([[3, 'LAUNCH_DATE']]);
        expect(log?.warnings.map((i) => [i.line, i.key])).toEqual([[4, 'OWNER']]);
      });
    });

    describe('screenings', () => {
      const run = (startedAt: string, objectCount: number) => ({
        startedAt,
        finishedAt: startedAt,
        windowStart: '2023-10-09T00:00:00.000000Z',
        windowStop: '2023-10-16T00:00:00.000000Z',
        thresholdKm: 5,
        primaries: null,
        catalogAsOf: '2023-10-09T00:00:00.000000Z',
        source: 'catalog',
        objectCount,
      });
      const event = (id1: string, id2: string, tcaUtc: string, missKm: number, pc: number | null) => ({
        id1,
        id2,
        tcaUtc,
        missKm,
        relSpeedKmS: 12.5,
        rKm: 0.1,
        iKm: -missKm,
        cKm: 0.2,
        pc,
        pcMethod: pc === null ? 'none' : 'alfano-max',
        hbrM: 20,
        covarianceSource: 'none (element sets)',
        confidence: 'low' as const,
        age1Days: 0.5,
        age2Days: 1.25,
      });

      it('stores runs with their events and reads them back by filter, latest first', async () => {
        const store = await fresh();
        expect(await store.conjunctions()).toBeNull();
        const first = await store.saveScreening(run('2023-10-09T01:00:00Z', 10), [
          event('25544', '49863', '2023-10-10T05:00:00.000Z', 1.5, 1e-5),
        ]);
        const events = [
          event('25544', '49863', '2023-10-11T05:00:00.000Z', 4.5, 2e-7),
          event('5', '25544', '2023-10-10T05:00:00.000Z', 0.25, 3e-4),
          event('5', '11', '2023-10-12T00:00:00.000Z', 3, null),
        ];
        const second = await store.saveScreening(
          { ...run('2023-10-09T02:00:00Z', 26140), primaries: ['5'] },
          events,
        );
        expect(second).toBeGreaterThan(first);
        const latest = await store.conjunctions();
        expect(latest?.screening).toMatchObject({
          id: second,
          objectCount: 26140,
          conjunctionCount: 3,
          primaries: ['5'],
        });
        expect(latest?.conjunctions.map((c) => c.tcaUtc)).toEqual([
          '2023-10-10T05:00:00.000Z',
          '2023-10-11T05:00:00.000Z',
          '2023-10-12T00:00:00.000Z',
        ]);
        expect(latest?.conjunctions[0]).toEqual({
          ...events[1],
          marking: {
            classification: 'UNCLASSIFIED',
            releasableTo: 'ALL',
            originator: 'LOCAL',
            dataMode: 'REAL',
          },
        });
        expect((await store.conjunctions({ catalogNumber: '25544' }))?.conjunctions).toHaveLength(2);
        expect((await store.conjunctions({ minPc: 1e-6 }))?.conjunctions).toHaveLength(1);
        expect((await store.conjunctions({ maxMissKm: 3 }))?.conjunctions).toHaveLength(2);
        expect((await store.conjunctions({ screeningId: first }))?.conjunctions).toHaveLength(1);
        expect((await store.listScreenings()).map((r) => r.id)).toEqual([second, first]);
      });
    });

    describe('events', () => {
      /** A maneuver of object `cn` somewhere in [start, end] (what a detector writes). */
      const maneuver = (
        cn: string,
        start: string,
        end: string,
        over: Partial<DetectionEvent> = {},
      ): DetectionEvent => ({
        type: 'maneuver',
        objects: [cn],
        timeUtc: start,
        windowStartUtc: start,
        windowEndUtc: end,
        kind: 'orbit-raising',
        score: 12.5,
        threshold: 5.2,
        detector: 'element-consistency',
        detectorVersion: '1.0.0',
        evidence: {
          dvMS: 1.25,
          dvRtnMS: [0.01, 1.2499, -0.02],
          residualsKm: [0.1, 0.2, 14.7],
          note: 'Δa +2.1 km',
        },
        inputs: { elementSetEpochs: [start, end], source: 'spacetrack' },
        ...over,
      });
      const proximity = (a: string, b: string, start: string, end: string): DetectionEvent => ({
        ...maneuver(a, start, end),
        type: 'proximity',
        objects: [a, b],
        kind: 'persistent-proximity',
        detector: 'rpo-search',
        score: 31.5,
        threshold: 50,
      });
      // Three events on two objects: a maneuver of 25544 on 10-09, one of 49863 on 10-11 (window
      // across a day boundary), a proximity of both over 10-12 .. 10-14.
      const three = (): DetectionEvent[] => [
        maneuver('49863', '2023-10-10T22:00:00.123456Z', '2023-10-11T03:00:00Z'),
        maneuver('25544', '2023-10-09T01:00:00Z', '2023-10-09T13:30:00.000001Z'),
        proximity('25544', '49863', '2023-10-12T00:00:00Z', '2023-10-14T00:00:00Z'),
      ];

      it('stores events once: a re-run on the same inputs adds nothing, a new window adds one', async () => {
        const store = await fresh();
        expect(await store.events()).toEqual([]);
        expect(await store.saveEvents(three())).toEqual({ inserted: 3, known: 0 });
        expect(await store.saveEvents(three())).toEqual({ inserted: 0, known: 3 });
        // The same identity written with other time digits is the same event.
        const same = maneuver('025544', '2023-10-09T01:00:00.000000Z', '2023-10-09T13:30:00.000001Z');
        expect(
          await store.saveEvents([same, maneuver('25544', '2023-10-20T00:00:00Z', '2023-10-20T06:00:00Z')]),
        ).toEqual({
          inserted: 1,
          known: 1,
        });
        // A new detector version is a new event (the key carries it).
        expect(await store.saveEvents([{ ...three()[0]!, detectorVersion: '1.1.0' }])).toEqual({
          inserted: 1,
          known: 0,
        });
        const all = await store.events();
        expect(all).toHaveLength(5);
        expect(new Set(all.map((e) => e.key)).size).toBe(5);
        for (const e of all) expect(e.key).toBe(detectionEventKey(e));
      });

      it('a re-save refreshes score and evidence of a known event, keeping its row and creation time', async () => {
        let clock = new Date('2023-10-15T00:00:00Z');
        const store = await fresh({ now: () => clock });
        await store.saveEvents(three());
        const before = (await store.events({ catalogNumber: '49863', type: 'maneuver' }))[0]!;
        clock = new Date('2023-10-16T00:00:00Z');
        const rerun = maneuver('49863', '2023-10-10T22:00:00.123456Z', '2023-10-11T03:00:00Z', {
          timeUtc: '2023-10-11T01:00:00Z',
          score: 13.75,
          evidence: { dvMS: 1.5 },
        });
        expect(await store.saveEvents([rerun])).toEqual({ inserted: 0, known: 1 });
        const after = (await store.events({ catalogNumber: '49863', type: 'maneuver' }))[0]!;
        expect(after).toMatchObject({
          id: before.id,
          key: before.key,
          score: 13.75,
          evidence: { dvMS: 1.5 },
          timeUtc: '2023-10-11T01:00:00.000000Z',
          createdAt: '2023-10-15T00:00:00.000000Z',
          updatedAt: '2023-10-16T00:00:00.000000Z',
        });
      });

      it('reads back every field: microsecond times, evidence and inputs as JSON, label', async () => {
        const store = await fresh();
        const [m] = three();
        await store.saveEvents([m!], { label: 'REL TO USA, JPN' });
        const [e] = await store.events();
        expect(e).toMatchObject({
          type: 'maneuver',
          objects: ['49863'],
          timeUtc: '2023-10-10T22:00:00.123456Z',
          windowStartUtc: '2023-10-10T22:00:00.123456Z',
          windowEndUtc: '2023-10-11T03:00:00.000000Z',
          kind: 'orbit-raising',
          score: 12.5,
          threshold: 5.2,
          detector: 'element-consistency',
          detectorVersion: '1.0.0',
          label: 'REL TO USA, JPN',
        });
        expect(e!.evidence).toEqual(m!.evidence);
        expect(e!.inputs).toEqual(m!.inputs);
        // A re-save without a label keeps the label; the default is UNMARKED.
        await store.saveEvents([m!]);
        expect((await store.events())[0]!.label).toBe('REL TO USA, JPN');
        await store.saveEvents([three()[1]!]);
        expect((await store.events({ catalogNumber: '25544' }))[0]!.label).toBe('UNMARKED');
      });

      it('queries by object, type, detector and window overlap, ordered by time', async () => {
        const store = await fresh();
        await store.saveEvents(three());
        const times = (q: Parameters<CatalogStore['events']>[0]) =>
          store.events(q).then((es) => es.map((e) => `${e.type}:${e.objects.join('+')}`));
        expect(await times({})).toEqual(['maneuver:25544', 'maneuver:49863', 'proximity:25544+49863']);
        expect(await times({ catalogNumber: '49863' })).toEqual(['maneuver:49863', 'proximity:25544+49863']);
        expect(await times({ catalogNumber: '0025544', type: 'maneuver' })).toEqual(['maneuver:25544']);
        expect(await times({ catalogNumber: '5' })).toEqual([]);
        expect(await times({ detector: 'rpo-search' })).toEqual(['proximity:25544+49863']);
        expect(await times({ type: 'proximity', catalogNumber: '49863' })).toEqual(['proximity:25544+49863']);
        // Overlap: a window that ends at 13:30:00.000001 overlaps [13:30:00.000001, …] but not a microsecond later.
        expect(await times({ from: '2023-10-09T13:30:00.000001Z', to: '2023-10-10T00:00:00Z' })).toEqual([
          'maneuver:25544',
        ]);
        expect(
          await times({ from: '2023-10-09T13:30:00.000002Z', to: '2023-10-10T22:00:00.123455Z' }),
        ).toEqual([]);
        // A query inside a window (the window spans it) finds the event; a window inside the query too.
        expect(await times({ from: '2023-10-13T00:00:00Z', to: '2023-10-13T01:00:00Z' })).toEqual([
          'proximity:25544+49863',
        ]);
        expect(await times({ from: '2023-10-10', to: '2023-10-12' })).toEqual([
          'maneuver:49863',
          'proximity:25544+49863',
        ]);
        expect(await times({ from: '2023-10-11T03:00:00Z' })).toEqual([
          'maneuver:49863',
          'proximity:25544+49863',
        ]);
        expect(await times({ to: '2023-10-10T22:00:00.123456Z' })).toEqual([
          'maneuver:25544',
          'maneuver:49863',
        ]);
        expect(await times({ limit: 1 })).toEqual(['maneuver:25544']);
      });

      it('rejects bad records with STORE_BAD_EVENT naming the record and field, and stores none of the batch', async () => {
        const store = await fresh();
        const good = three();
        const bad: [unknown, string][] = [
          [{ ...good[0]!, type: 'docking' }, 'type'],
          [
            { ...good[0]!, windowEndUtc: '2023-10-10T21:59:59Z', timeUtc: '2023-10-10T21:59:59Z' },
            'windowEndUtc',
          ],
          [{ ...good[0]!, timeUtc: '2023-10-12T00:00:00Z' }, 'timeUtc'],
          [{ ...good[0]!, windowStartUtc: '10/10/2023' }, 'windowStartUtc'],
          [{ ...good[0]!, objects: [] }, 'objects'],
          [{ ...good[0]!, objects: ['ISS'] }, 'objects[0]'],
          [{ ...good[0]!, score: Number.NaN }, 'score'],
          [{ ...good[0]!, detector: '' }, 'detector'],
          [{ ...good[0]!, evidence: { dvMS: Number.POSITIVE_INFINITY } }, 'evidence.dvMS'],
          [{ ...good[0]!, inputs: [1, 2] }, 'inputs'],
        ];
        for (const [record, key] of bad) {
          const err = await store.saveEvents([good[1]!, record as DetectionEvent]).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, key).toMatchObject({ code: 'STORE_BAD_EVENT', details: { index: 1 } });
          const issues = (err as { details: { issues: { key: string }[] } }).details.issues;
          expect(issues.map((i) => i.key)).toContain(key);
        }
        expect(await store.events()).toEqual([]);
        await expect(store.events({ type: 'docking' as DetectionEvent['type'] })).rejects.toMatchObject({
          code: 'STORE_BAD_EVENT',
        });
        await expect(store.events({ from: 'yesterday' })).rejects.toMatchObject({ code: 'STORE_BAD_TIME' });
        await expect(store.events({ from: '2023-10-12', to: '2023-10-11' })).rejects.toMatchObject({
          code: 'STORE_BAD_TIME',
        });
        await expect(store.events({ catalogNumber: 'ISS' })).rejects.toMatchObject({
          code: 'STORE_BAD_CATALOG_NUMBER',
        });
      });
    });

    describe('jobs', () => {
      const job = (id: string, createdAt: string, kind = 'screening'): StoredJob => ({
        id,
        kind,
        params: { days: 1, thresholdKm: 5, primaries: ['25544'] },
        state: 'queued',
        progressFraction: null,
        progressMessage: 'queued',
        requestedBy: 'api',
        createdAt,
        startedAt: null,
        finishedAt: null,
        result: null,
        error: null,
      });

      it('stores a job, updates its state, progress and result, and lists newest first', async () => {
        const store = await fresh();
        await store.saveJob(job('a', '2026-12-07T00:00:00.000Z'));
        await store.saveJob(job('b', '2026-12-07T00:00:01.000Z', 'import'));
        await expect(store.saveJob(job('a', '2026-12-07T00:00:02.000Z'))).rejects.toMatchObject({
          code: 'STORE_DUPLICATE',
        });
        // Read back with the default marking (public, the home organisation), as every record (v9).
        expect(await store.getJob('a')).toEqual({
          ...job('a', '2026-12-07T00:00:00.000Z'),
          marking: {
            classification: 'UNCLASSIFIED',
            releasableTo: 'ALL',
            originator: 'LOCAL',
            dataMode: 'REAL',
          },
        });
        const running = await store.updateJob('a', {
          state: 'running',
          startedAt: '2026-12-07T00:00:03.000Z',
          progressFraction: 0.25,
          progressMessage: 'block 1 of 4',
        });
        expect(running).toMatchObject({ state: 'running', progressFraction: 0.25, kind: 'screening' });
        const done = await store.updateJob('a', {
          state: 'succeeded',
          finishedAt: '2026-12-07T00:00:04.000Z',
          progressFraction: 1,
          result: { screeningId: 7, conjunctions: [1, 2] },
        });
        expect(done?.result).toEqual({ screeningId: 7, conjunctions: [1, 2] });
        expect(done?.error).toBeNull();
        const failed = await store.updateJob('b', {
          state: 'failed',
          error: { code: 'SERVER_RESTARTED', message: 'the server stopped' },
        });
        expect(failed?.error).toEqual({ code: 'SERVER_RESTARTED', message: 'the server stopped' });
        expect(await store.updateJob('nope', { state: 'failed' })).toBeNull();
        expect(await store.getJob('nope')).toBeNull();
        expect((await store.listJobs()).map((j) => j.id)).toEqual(['b', 'a']);
        expect((await store.listJobs({ states: ['failed'] })).map((j) => j.id)).toEqual(['b']);
        expect((await store.listJobs({ kind: 'screening' })).map((j) => j.id)).toEqual(['a']);
        expect((await store.listJobs({ limit: 1 })).map((j) => j.id)).toEqual(['b']);
      });
    });

    describe('watch lists and alerts', () => {
      const list = (name: string): WatchListInput => ({
        name,
        assets: ['25544', '49044'],
        schedule: { everyHours: 8, days: 7 },
        thresholds: { maxMissKm: 2, minPc: 1e-5 },
        webhookUrl: 'http://127.0.0.1:9/hook',
        enabled: true,
      });

      it('creates, replaces, lists and deletes watch lists', async () => {
        const store = await fresh({ now: () => new Date('2026-12-07T00:00:00Z') });
        const a = await store.saveWatchList(list('ISS'));
        expect(a).toMatchObject({ ...list('ISS'), lastRunAt: null });
        const id = a!.id;
        const b = await store.saveWatchList(
          { ...list('ISS and friends'), schedule: null, webhookUrl: null },
          id,
        );
        expect(b).toMatchObject({ id, name: 'ISS and friends', schedule: null, webhookUrl: null });
        expect(await store.saveWatchList(list('x'), id + 100)).toBeNull();
        await store.markWatchListRun(id, '2026-12-07T08:00:00.000Z');
        expect((await store.getWatchList(id))?.lastRunAt).toBe('2026-12-07T08:00:00.000Z');
        await store.saveWatchList(list('second'));
        expect((await store.listWatchLists()).map((w) => w.name)).toEqual(['ISS and friends', 'second']);
        expect(await store.deleteWatchList(id)).toBe(true);
        expect(await store.deleteWatchList(id)).toBe(false);
        expect(await store.getWatchList(id)).toBeNull();
      });

      it('keeps each alert with its history: new, changed (re-opened), acknowledged; filters and pages', async () => {
        const store = await fresh();
        const w = (await store.saveWatchList(list('ISS')))!;
        const obs = (other: string, at: string, missKm: number, pc: number | null, id?: number) => ({
          ...(id === undefined ? {} : { id }),
          watchListId: w.id,
          assetId: '25544',
          otherId: other,
          tcaUtc: '2026-12-08T05:00:00.000000Z',
          missKm,
          pc,
          screeningId: 1,
          at,
        });
        const a1 = (await store.recordAlert(obs('1001', '2026-12-07T00:00:00.000Z', 1.5, 2e-5)))!;
        expect(a1).toMatchObject({ state: 'open', missKm: 1.5, pc: 2e-5, acknowledgedBy: null });
        expect(a1.history.map((h) => h.change)).toEqual(['new']);
        const acked = await store.acknowledgeAlert(a1.id, {
          by: 'analyst-1',
          at: '2026-12-07T01:00:00.000Z',
          note: 'operator informed',
        });
        expect(acked).toMatchObject({
          state: 'acknowledged',
          acknowledgedBy: 'analyst-1',
          acknowledgedAt: '2026-12-07T01:00:00.000Z',
          acknowledgementNote: 'operator informed',
        });
        const changed = (await store.recordAlert(obs('1001', '2026-12-07T08:00:00.000Z', 0.4, 3e-4, a1.id)))!;
        expect(changed).toMatchObject({ state: 'open', missKm: 0.4, pc: 3e-4 });
        expect(changed.history.map((h) => [h.change, h.missKm, h.by])).toEqual([
          ['new', 1.5, null],
          ['acknowledged', null, 'analyst-1'],
          ['changed', 0.4, null],
        ]);
        await store.recordAlert(obs('1002', '2026-12-07T09:00:00.000Z', 1.9, null));
        await store.recordAlert(obs('1003', '2026-12-07T10:00:00.000Z', 0.9, null));
        expect(await store.recordAlert(obs('1004', '2026-12-07T10:00:00.000Z', 0.9, null, 9999))).toBeNull();
        await expect(
          store.recordAlert({ ...obs('1005', '2026-12-07T10:00:00.000Z', 1, null), watchListId: 999 }),
        ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        const page1 = await store.listAlerts({ limit: 2 });
        expect(page1.total).toBe(3);
        expect(page1.alerts.map((a) => a.otherId)).toEqual(['1003', '1002']);
        const page2 = await store.listAlerts({ limit: 2, offset: 2 });
        expect(page2.alerts.map((a) => a.otherId)).toEqual(['1001']);
        expect((await store.listAlerts({ catalogNumber: '1002' })).alerts).toHaveLength(1);
        expect((await store.listAlerts({ state: 'acknowledged' })).total).toBe(0);
        expect((await store.listAlerts({ watchListId: w.id + 1 })).total).toBe(0);
        expect(
          await store.acknowledgeAlert(9999, { by: 'x', at: '2026-12-07T00:00:00Z', note: null }),
        ).toBeNull();
        // Deleting the list takes its alerts with it.
        expect(await store.deleteWatchList(w.id)).toBe(true);
        expect((await store.listAlerts()).total).toBe(0);
      });
    });

    it.skipIf(hooks.openTooNew === undefined)(
      'refuses a database written by a newer schema version',
      async () => {
        const err = await hooks.openTooNew!().then(
          async (s) => {
            await s.close();
            return null;
          },
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ code: 'STORE_TOO_NEW' });
        const { fileVersion, codeVersion } = (
          err as { details: { fileVersion: number; codeVersion: number } }
        ).details;
        expect(fileVersion).toBeGreaterThan(codeVersion);
        expect((err as Error).message).toContain(String(fileVersion));
        expect((err as Error).message).toContain(String(codeVersion));
      },
    );
  });
}
