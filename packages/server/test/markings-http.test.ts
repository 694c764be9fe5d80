/**
 * Markings enforced on the API, over a real server and store: readers of two partner nations and
 * one third nation, at different clearances, against element sets of every kind of marking, on
 * every read that can show or betray a record — search hits, the object page (404, never 403: a
 * hidden object answers as an unknown one), its history length, the as-of catalog count, the
 * export text, the ephemeris — and a screening job: another organisation does not see the job, its
 * result, its screening or its conjunctions. Each expectation is astro's canRead on the marking, so
 * the suite fails if the server shows a record the rules hide, or hides one they show.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canRead,
  DEFAULT_SCHEME,
  formatTleText,
  type Marking,
  parseMarking,
  parseTleText,
  type Reader,
} from '@hoshimi/astro';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type JobRecord } from '../src/index.js';
import { authedInject, testCredentials } from './auth-fixture.js';
import { starlinkSubset } from './fixtures.js';

const CLOCK = '2023-10-10T00:00:00.000Z';
const AS_OF = '2023-10-10T00:00:00Z';

/** One group of objects per marking (the ISS is in the first, public, group). */
const GROUPS: { readonly banner: string; readonly originator: string }[] = [
  { banner: 'UNCLASSIFIED', originator: 'CELESTRAK' },
  { banner: 'CONFIDENTIAL//REL TO USA', originator: 'USSF' },
  { banner: 'CONFIDENTIAL//REL TO JPN, USA', originator: 'USSF' },
  { banner: 'SECRET//REL TO JPN, USA', originator: 'USSF' },
  { banner: 'RESTRICTED//REL TO JPN', originator: 'JAXA' },
];

const READERS: { readonly name: string; readonly reader: Reader }[] = [
  { name: 'us-secret', reader: { organisation: 'USSF', nation: 'USA', clearance: 'SECRET' } },
  { name: 'jp-confidential', reader: { organisation: 'JASDF', nation: 'JPN', clearance: 'CONFIDENTIAL' } },
  { name: 'jp-secret-jaxa', reader: { organisation: 'JAXA', nation: 'JPN', clearance: 'SECRET' } },
  { name: 'fr-secret', reader: { organisation: 'CDE', nation: 'FRA', clearance: 'SECRET' } },
];

describe('markings on the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-mark-http-'));
  const path = join(dir, 'catalog.db');
  let store: CatalogStore;
  let app: FastifyInstance;
  /** Catalog number → marking of its (only) element set. */
  const markingOf = new Map<string, Marking>();
  const injectOf = new Map<string, ReturnType<typeof authedInject>>();

  beforeAll(async () => {
    store = await openSqliteStore(path, { mode: 'create' });
    // 5 groups of 12 objects from the 2023 catalog; each group imported under its marking.
    const records = starlinkSubset(59, 3).trim().split('\n');
    for (const [g, { banner, originator }] of GROUPS.entries()) {
      const lines = records.slice(g * 36, (g + 1) * 36);
      const marking = parseMarking(DEFAULT_SCHEME, banner, originator);
      const r = await store.importFile({
        name: `group-${g}.3le`,
        bytes: Buffer.from(`${lines.join('\n')}\n`),
        source: 'test',
        marking,
      });
      expect(r.status).toBe('ok');
      for (let k = 1; k < lines.length; k += 3) markingOf.set(String(Number(lines[k]!.slice(2, 7))), marking);
    }
    app = await buildServer({
      store,
      storeLabel: path,
      jobs: { now: () => new Date(CLOCK), schedule: false },
    });
    for (const { name, reader } of READERS) {
      const c = await testCredentials(store, {
        username: name,
        role: 'analyst',
        organisation: reader.organisation,
        nation: reader.nation,
        clearance: reader.clearance,
      });
      injectOf.set(name, authedInject(app, c));
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('shows each reader exactly the objects, histories, catalog and exports the rules allow', async () => {
    expect(markingOf.size).toBe(60);
    for (const { name, reader } of READERS) {
      const inject = injectOf.get(name)!;
      const visible = [...markingOf].filter(([, m]) => canRead(DEFAULT_SCHEME, reader, m)).map(([cn]) => cn);
      const hidden = [...markingOf].filter(([, m]) => !canRead(DEFAULT_SCHEME, reader, m)).map(([cn]) => cn);
      expect(visible.length, name).toBeGreaterThan(0);
      // The as-of catalog and its count.
      const catalog = (await inject(`/catalog?asOf=${AS_OF}&limit=1000`)).json();
      expect(catalog.page.total, name).toBe(visible.length);
      // Search by name: only visible objects are hits, and the total counts only them.
      const search = (await inject(`/objects?q=STARLINK&asOf=${AS_OF}&limit=1000`)).json();
      const hits = new Set((search.items as { catalogNumber: string }[]).map((o) => o.catalogNumber));
      for (const cn of hidden) expect(hits.has(cn), `${name} finds hidden ${cn}`).toBe(false);
      expect(search.page.total, name).toBe(visible.filter((cn) => cn !== '25544').length);
      // The export of the catalog holds no hidden set.
      const tle = (await inject(`/catalog/export?asOf=${AS_OF}&format=tle`)).body;
      for (const cn of hidden)
        expect(tle.includes(`\n1 ${cn.padStart(5, '0')}`), `${name} export ${cn}`).toBe(false);
      // One visible and one hidden object: page, history, ephemeris; a hidden one is unknown (404).
      const [seen] = visible;
      const page = await inject(`/objects/${seen}?asOf=${AS_OF}`);
      expect(page.statusCode, name).toBe(200);
      expect((await inject(`/objects/${seen}/history`)).json().page.total, name).toBe(1);
      for (const cn of hidden.slice(0, 3)) {
        for (const url of [
          `/objects/${cn}`,
          `/objects/${cn}/history`,
          `/objects/${cn}/ephemeris?start=${AS_OF}&stop=2023-10-10T01:00:00Z`,
        ]) {
          const r = await inject(url);
          expect(r.statusCode, `${name} ${url}`).toBe(404);
          expect(r.json().code, `${name} ${url}`).toBe('NOT_FOUND');
        }
        const byNumber = (await inject(`/objects?q=${cn}`)).json();
        expect(byNumber.page.total, `${name} q=${cn}`).toBe(0);
      }
    }
  });

  it("keeps one organisation's screening job, its screening and conjunctions from another", async () => {
    const us = injectOf.get('us-secret')!;
    const fr = injectOf.get('fr-secret')!;
    const submitted = await us({
      method: 'POST',
      url: '/jobs',
      payload: { kind: 'screening', params: { asOf: AS_OF, days: 0.25, thresholdKm: 50 } },
    });
    expect(submitted.statusCode).toBe(202);
    const id = submitted.json().id as string;
    let job: JobRecord | null = null;
    for (let i = 0; i < 600; i++) {
      job = await app.jobs.get(id);
      if (job !== null && ['succeeded', 'failed', 'cancelled'].includes(job.state)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job?.state, JSON.stringify(job)).toBe('succeeded');
    // The submitter sees the job and its screening; another organisation sees neither.
    expect((await us(`/jobs/${id}`)).statusCode).toBe(200);
    expect((await fr(`/jobs/${id}`)).statusCode).toBe(404);
    expect(((await fr('/jobs')).json().items as { id: string }[]).some((j) => j.id === id)).toBe(false);
    const screenings = (await us('/screenings')).json();
    expect(screenings.items.length).toBeGreaterThan(0);
    const sid = screenings.items[0].id;
    expect((await fr('/screenings')).json().items).toEqual([]);
    expect((await fr(`/screenings/${sid}`)).statusCode).toBe(404);
    expect((await fr(`/conjunctions?screeningId=${sid}`)).statusCode).toBe(404);
    // What the USA reader gets back is made only of sets it may read.
    const conj = (await us(`/conjunctions?screeningId=${sid}&limit=1000`)).json();
    for (const c of conj.items as {
      primary: { catalogNumber: string };
      secondary: { catalogNumber: string };
    }[]) {
      for (const cn of [c.primary.catalogNumber, c.secondary.catalogNumber]) {
        const m = markingOf.get(cn);
        if (m !== undefined) expect(canRead(DEFAULT_SCHEME, READERS[0]!.reader, m)).toBe(true);
      }
    }
  });
  it('shows the name, designator and type of the sets a reader may read, never those of a newer hidden one', async () => {
    // A new object: a SECRET//REL TO USA set (newer epoch, a debris name and its own designator)
    // imported first, then an older public one; the stored object row holds the hidden values.
    const parsed = parseTleText(starlinkSubset(1, 3));
    if (!parsed.ok) throw new Error('fixture TLE does not parse');
    const base = parsed.value.records[0]!.elements;
    const one = (name: string, intl: string, dayOffset: number) =>
      formatTleText(
        [
          {
            ...base,
            catalogNumber: '99901',
            name,
            intlDesignator: intl,
            epoch: { jd: base.epoch.jd, jdFrac: base.epoch.jdFrac + dayOffset },
          },
        ],
        '3le',
      );
    const hiddenMarking = parseMarking(DEFAULT_SCHEME, 'SECRET//REL TO USA', 'USSF');
    await store.importFile({
      name: 'hidden.3le',
      bytes: Buffer.from(one('COVERT DEB', '2023-901A', 0.5)),
      marking: hiddenMarking,
    });
    await store.importFile({
      name: 'public.3le',
      bytes: Buffer.from(one('OPENSAT', '2023-902A', 0)),
      marking: parseMarking(DEFAULT_SCHEME, 'UNCLASSIFIED', 'CELESTRAK'),
    });
    for (const { name, reader } of READERS) {
      const inject = injectOf.get(name)!;
      const sees = canRead(DEFAULT_SCHEME, reader, hiddenMarking);
      const page = (await inject(`/objects/99901?asOf=${AS_OF}`)).json().object;
      expect([page.name, page.intlDesignator, page.objectType], name).toEqual(
        sees ? ['COVERT DEB', '2023-901A', 'DEBRIS'] : ['OPENSAT', '2023-902A', 'UNKNOWN'],
      );
      const total = async (url: string) => (await inject(url)).json().page.total as number;
      expect(await total(`/objects?q=COVERT&asOf=${AS_OF}`), name).toBe(sees ? 1 : 0);
      expect(await total(`/objects?q=2023-901&asOf=${AS_OF}`), name).toBe(sees ? 1 : 0);
      expect(await total(`/objects?q=2023-902&asOf=${AS_OF}`), name).toBe(sees ? 0 : 1);
      expect(await total(`/objects?type=DEBRIS&asOf=${AS_OF}`), name).toBe(sees ? 1 : 0);
    }
  });
});
