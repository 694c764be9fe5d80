/**
 * Authorization matrix at the store level: readers (a USA organisation cleared SECRET, a JPN one
 * cleared CONFIDENTIAL, a third nation's cleared SECRET, an UNCLASSIFIED reader) × markings (public,
 * REL TO USA and REL TO JPN, USA at each level, originator only, EXERCISE) × every read of a store
 * view, including the indirect leaks: counts and totals, search hits by name, number and designator,
 * history lengths, as-of catalog sizes, diffs, conjunctions derived from hidden sets, events, jobs,
 * watch lists, alerts and the ingest log. Every expectation is astro's canRead on the record's
 * marking (for derived products, on combineMarkings of the inputs), so a filter that lets one record
 * too many or too few through fails here.
 */
import {
  canRead,
  combineMarkings,
  DEFAULT_SCHEME,
  type DetectionEvent,
  type ElementSet,
  formatMarking,
  formatTleText,
  type Marking,
  parseTleText,
  type Reader,
  tleChecksum,
} from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { type CatalogStore, openSqliteStore, type StoredJob } from '../src/index.js';

const withChecksum = (body: string) => `${body}${tleChecksum(`${body}0`)}`;
const ISS_L1 = withChecksum('1 25544U 98067A   23281.50000000  .00016717  00000-0  29461-3 0  999');
const ISS_L2 = withChecksum('2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.4981464141903');

const parsed = parseTleText(`${ISS_L1}\n${ISS_L2}`);
if (!parsed.ok) throw new Error('test TLE does not parse');
const BASE: ElementSet = parsed.value.records[0]!.elements;

/** One TLE of catalog number `cn`, `dayOffset` days after the base epoch, with a name. */
function tle(cn: number, dayOffset: number, name: string, designator: string): string {
  const es: ElementSet = {
    ...BASE,
    catalogNumber: String(cn),
    name,
    intlDesignator: designator,
    epoch: { jd: BASE.epoch.jd, jdFrac: BASE.epoch.jdFrac + dayOffset },
  };
  return formatTleText([es], '3le');
}

const ORG = { usa: 'USSF', jpn: 'JAXA' } as const;
const READERS: Readonly<Record<string, Reader>> = {
  'USA org, SECRET': { organisation: ORG.usa, nation: 'USA', clearance: 'SECRET' },
  'JPN org, CONFIDENTIAL': { organisation: ORG.jpn, nation: 'JPN', clearance: 'CONFIDENTIAL' },
  'FRA org, SECRET': { organisation: 'CNES', nation: 'FRA', clearance: 'SECRET' },
  'DEU org, UNCLASSIFIED': { organisation: 'DLR', nation: 'DEU', clearance: 'UNCLASSIFIED' },
};

const m = (
  classification: string,
  releasableTo: Marking['releasableTo'],
  originator: string = ORG.usa,
  dataMode: Marking['dataMode'] = 'REAL',
): Marking => ({ classification, releasableTo, originator, dataMode });

const PUBLIC = m('UNCLASSIFIED', 'ALL');
const MARKINGS: readonly Marking[] = [
  PUBLIC,
  ...DEFAULT_SCHEME.levels.map((l) => m(l, ['USA'])),
  ...DEFAULT_SCHEME.levels.map((l) => m(l, ['JPN', 'USA'])),
  m('CONFIDENTIAL', [], ORG.jpn),
  m('SECRET', [], ORG.usa),
  m('UNCLASSIFIED', 'ALL', ORG.usa, 'EXERCISE'),
];

/** Catalog number of the object whose only element set carries MARKINGS[k]. */
const cnOf = (k: number) => 80000 + k;
const designatorOf = (k: number) => `2023-${String(100 + k).padStart(3, '0')}A`;
/** A public object every conjunction pairs with. */
const PARTNER = 70000;
/** An object with one set per marking (history length, as-of latest). */
const MULTI = 70001;
/** Public early set named PUBLICNAME, later USA-only SECRET set named HIDDENNAME. */
const RENAMED = 70002;
const HOME = 'LOCAL';
const can = (r: Reader, mk: Marking) => canRead(DEFAULT_SCHEME, r, mk);
/** A product derived by the unrestricted store (home organisation) from these inputs. */
const derived = (...inputs: Marking[]) =>
  combineMarkings(DEFAULT_SCHEME, [{ ...PUBLIC, originator: HOME }, ...inputs], HOME);
const AS_OF = '2023-10-20T00:00:00Z';
const EPOCH_ISO = '2023-10-08T12:00:00Z';

function maneuver(cn: string, k: number): DetectionEvent {
  const start = `2023-10-${String(10 + (k % 10)).padStart(2, '0')}T00:00:00Z`;
  return {
    type: 'maneuver',
    objects: [cn],
    timeUtc: start,
    windowStartUtc: start,
    windowEndUtc: start,
    kind: 'orbit-raising',
    score: 12.5,
    threshold: 5.2,
    detector: 'element-consistency',
    detectorVersion: '1.0.0',
    evidence: { dvMS: 1.25 },
    inputs: { k },
  };
}

const conjunction = (id1: string, id2: string, tcaUtc: string) => ({
  id1,
  id2,
  tcaUtc,
  missKm: 1,
  relSpeedKmS: 10,
  rKm: 0.1,
  iKm: 0.2,
  cKm: 0.3,
  pc: 1e-5,
  pcMethod: 'alfano-max',
  hbrM: 20,
  covarianceSource: 'none',
  confidence: 'low' as const,
  age1Days: 1,
  age2Days: 1,
});

const runOf = (startedAt: string) => ({
  startedAt,
  finishedAt: startedAt,
  windowStart: '2023-10-09T00:00:00Z',
  windowStop: '2023-10-16T00:00:00Z',
  thresholdKm: 5,
  primaries: null,
  catalogAsOf: AS_OF,
  source: 'catalog',
  objectCount: 2,
});

const job = (id: string, marking: Marking): StoredJob => ({
  id,
  kind: 'screening',
  params: { k: id },
  state: 'queued',
  progressFraction: null,
  progressMessage: '',
  requestedBy: 'test',
  createdAt: '2023-10-09T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  result: null,
  error: null,
  marking,
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** One store holding every marking in every kind of record; screening ids by marking index. */
async function fixture(): Promise<{ store: CatalogStore; screeningOf: number[]; listOf: number[] }> {
  const store = await openSqliteStore(':memory:', { now: () => new Date('2023-10-21T00:00:00Z') });
  await store.importFile({
    name: 'public.3le',
    bytes: bytes(tle(PARTNER, 0, 'PARTNER', '2023-001A') + tle(RENAMED, 0, 'PUBLICNAME', '2023-002A')),
  });
  await store.importFile({
    name: 'renamed.3le',
    bytes: bytes(tle(RENAMED, 1, 'HIDDENNAME', '2023-002A')),
    marking: m('SECRET', ['USA']),
  });
  for (const [k, mk] of MARKINGS.entries()) {
    await store.importFile({
      name: `mk${k}.3le`,
      bytes: bytes(tle(cnOf(k), 0, `OBJ${k}X`, designatorOf(k)) + tle(MULTI, k / 10, 'MULTI', '2023-003A')),
      marking: mk,
    });
  }
  const screeningOf: number[] = [];
  const listOf: number[] = [];
  for (const [k, mk] of MARKINGS.entries()) {
    screeningOf.push(
      await store.saveScreening(runOf(`2023-10-09T00:00:${String(k).padStart(2, '0')}Z`), [
        conjunction(String(cnOf(k)), String(PARTNER), '2023-10-10T00:00:00Z'),
      ]),
    );
    await store.saveEvents([maneuver(String(cnOf(k)), k)], { derivedFrom: [mk] });
    await store.saveJob(job(`job${k}`, mk));
    const list = await store.saveWatchList({
      name: `list${k}`,
      assets: [String(cnOf(k))],
      schedule: null,
      thresholds: { maxMissKm: 5, minPc: null },
      webhookUrl: null,
      enabled: true,
      marking: mk,
    });
    listOf.push(list!.id);
    await store.recordAlert({
      watchListId: list!.id,
      assetId: String(cnOf(k)),
      otherId: String(PARTNER),
      tcaUtc: '2023-10-10T00:00:00Z',
      missKm: 1,
      pc: 1e-5,
      screeningId: screeningOf[k]!,
      at: '2023-10-09T00:00:00Z',
    });
  }
  return { store, screeningOf, listOf };
}

describe('markings: authorization matrix (store views)', async () => {
  const { store, screeningOf, listOf } = await fixture();

  it('the unrestricted store sees and carries every marking', async () => {
    for (const [k, mk] of MARKINGS.entries()) {
      const h = await store.history(String(cnOf(k)));
      expect(h).toHaveLength(1);
      expect(h[0]!.marking).toEqual(mk);
      expect(h[0]!.label).toBe(formatMarking(mk));
    }
    expect(await store.history(String(MULTI))).toHaveLength(MARKINGS.length);
    expect(store.reader).toBeNull();
  });

  for (const [who, reader] of Object.entries(READERS)) {
    describe(who, () => {
      const view = store.view(reader);
      const visible = MARKINGS.map((mk) => can(reader, mk));
      const nVisible = visible.filter(Boolean).length;

      it('getObject: a hidden object is absent exactly like an unknown one', async () => {
        for (const [k, ok] of visible.entries()) {
          const o = await view.getObject(String(cnOf(k)));
          expect(o === null, `object ${cnOf(k)} (${formatMarking(MARKINGS[k]!)})`).toBe(!ok);
          if (ok) expect(o?.latest?.marking).toEqual(MARKINGS[k]);
        }
        expect(await view.getObject('99999')).toBeNull();
      });

      it('listObjects, selectObjects, asOf and diff count only readable objects', async () => {
        // PARTNER, RENAMED and MULTI have a public set; every marked object counts when readable.
        const expected = 3 + nVisible;
        expect(await view.listObjects()).toHaveLength(expected);
        expect(await view.listObjects({ asOf: AS_OF })).toHaveLength(expected);
        expect((await view.selectObjects({})).catalogNumbers).toHaveLength(expected);
        expect(await view.asOf(AS_OF)).toHaveLength(expected);
        const diff = await view.diff('2023-10-01T00:00:00Z', AS_OF);
        expect(diff.appeared).toHaveLength(expected);
        const listed = new Set((await view.asOf(AS_OF)).map((s) => s.catalogNumber));
        for (const [k, ok] of visible.entries()) expect(listed.has(String(cnOf(k)))).toBe(ok);
      });

      it('search by name, number and designator finds only readable objects and names', async () => {
        for (const [k, ok] of visible.entries()) {
          expect(await view.listObjects({ name: `OBJ${k}X` })).toHaveLength(ok ? 1 : 0);
          const designators = (await view.listObjects()).map((s) => s.object.intlDesignator);
          expect(designators.includes(designatorOf(k))).toBe(ok);
        }
        const hiddenName = can(reader, m('SECRET', ['USA']));
        expect(await view.listObjects({ name: 'HIDDENNAME' })).toHaveLength(hiddenName ? 1 : 0);
        const renamed = await view.getObject(String(RENAMED));
        expect(renamed?.object.name).toBe(hiddenName ? 'HIDDENNAME' : 'PUBLICNAME');
        expect(await view.listObjects({ name: 'PUBLICNAME' })).toHaveLength(hiddenName ? 0 : 1);
      });

      it('history length and the as-of latest set follow the readable sets', async () => {
        expect(await view.history(String(MULTI))).toHaveLength(nVisible);
        const latest = (await view.asOf(AS_OF)).find((s) => s.catalogNumber === String(MULTI));
        const lastVisible = visible.lastIndexOf(true);
        expect(latest?.marking).toEqual(MARKINGS[lastVisible]);
        const status = await view.getObject(String(MULTI), AS_OF);
        expect(status?.latest?.id).toBe(latest?.id);
      });

      it('screenings and conjunctions take the most restrictive marking of their inputs', async () => {
        const expected = MARKINGS.map((mk) => can(reader, derived(mk, PUBLIC)));
        const listed = new Set((await view.listScreenings(100)).map((s) => s.id));
        for (const [k, ok] of expected.entries()) {
          expect(listed.has(screeningOf[k]!)).toBe(ok);
          const r = await view.conjunctions({ screeningId: screeningOf[k]! });
          expect(r === null).toBe(!ok);
          if (r !== null) {
            expect(r.conjunctions).toHaveLength(1);
            expect(r.conjunctions[0]!.marking).toEqual(derived(MARKINGS[k]!, PUBLIC));
            expect(r.screening.marking).toEqual(derived(MARKINGS[k]!, PUBLIC));
          }
        }
        const latest = await view.conjunctions();
        expect(latest?.screening.id ?? null).toBe(
          expected.lastIndexOf(true) < 0 ? null : screeningOf[expected.lastIndexOf(true)],
        );
      });

      it('events, jobs, watch lists, alerts and the ingest log show only readable records', async () => {
        const derivedVisible = MARKINGS.map((mk) => can(reader, derived(mk)));
        expect(await view.events()).toHaveLength(derivedVisible.filter(Boolean).length);
        for (const [k, ok] of derivedVisible.entries()) {
          expect(await view.events({ catalogNumber: String(cnOf(k)) })).toHaveLength(ok ? 1 : 0);
        }
        expect((await view.listJobs()).map((j) => j.id).sort()).toEqual(
          MARKINGS.flatMap((_, k) => (visible[k] ? [`job${k}`] : [])).sort(),
        );
        for (const [k, ok] of visible.entries()) {
          expect((await view.getJob(`job${k}`)) === null).toBe(!ok);
          expect((await view.getWatchList(listOf[k]!)) === null).toBe(!ok);
          // Updating a hidden job answers as for an unknown one, and changes nothing.
          if (!ok) expect(await view.updateJob(`job${k}`, { state: 'cancelled' })).toBeNull();
        }
        expect((await view.listWatchLists()).length).toBe(nVisible);
        // An alert combines its watch list's and its conjunction's markings.
        const alertVisible = MARKINGS.map((mk) => can(reader, derived(mk, derived(mk, PUBLIC))));
        const alerts = await view.listAlerts({ limit: 100 });
        expect(alerts.total).toBe(alertVisible.filter(Boolean).length);
        expect(alerts.alerts).toHaveLength(alerts.total);
        // Ingest log: the public import, the SECRET//REL TO USA one, one per marking.
        const ingests = [PUBLIC, m('SECRET', ['USA']), ...MARKINGS].filter((mk) => can(reader, mk));
        expect(await view.ingestLog(1000)).toHaveLength(ingests.length);
      });
    });
  }

  it('hidden jobs were not changed through views', async () => {
    for (const k of MARKINGS.keys()) expect((await store.getJob(`job${k}`))?.state).toBe('queued');
  });
});

describe('markings: object columns written by hidden records (indirect leaks)', async () => {
  /** Named and designated first by a newer hidden set, then by an older public one. */
  const LEAKY = 70010;
  /** A public set, and a SATCAT record imported under a USA-only marking. */
  const SAT = 70011;
  /** Known only from that USA-only SATCAT import. */
  const SAT_ONLY = 70012;
  const HIDDEN = m('SECRET', ['USA']);
  const store = await openSqliteStore(':memory:', { now: () => new Date('2023-10-21T00:00:00Z') });
  await store.importFile({
    name: 'hidden.3le',
    bytes: bytes(tle(LEAKY, 1, 'SECRETSAT DEB', '2023-777A')),
    marking: HIDDEN,
  });
  await store.importFile({
    name: 'public.3le',
    bytes: bytes(tle(LEAKY, 0, 'PUBSAT', '2023-004A') + tle(SAT, 0, 'PLAINSAT', '2023-005A')),
  });
  const satcat = JSON.stringify([
    {
      NORAD_CAT_ID: String(SAT),
      OBJECT_TYPE: 'ROCKET BODY',
      SATNAME: 'PLAINSAT',
      COUNTRY: 'US',
      LAUNCH: '2023-01-02',
      SITE: 'AFETR',
      DECAY: '2023-10-01',
      RCS_SIZE: 'LARGE',
    },
    {
      NORAD_CAT_ID: String(SAT_ONLY),
      OBJECT_TYPE: 'PAYLOAD',
      SATNAME: 'SATCATONLY',
      COUNTRY: 'US',
      LAUNCH: '2023-01-03',
      SITE: 'AFETR',
      DECAY: null,
      RCS_SIZE: 'SMALL',
    },
  ]);
  const sat = await store.importFile({ name: 'satcat.json', bytes: bytes(satcat), marking: HIDDEN });
  expect(sat.status).toBe('ok');

  for (const [who, reader] of Object.entries(READERS)) {
    const sees = can(reader, HIDDEN);
    const view = store.view(reader);
    it(`${who}: name, designator and type of an object come from the sets it may read`, async () => {
      const o = (await view.getObject(String(LEAKY)))?.object;
      expect(o?.name).toBe(sees ? 'SECRETSAT DEB' : 'PUBSAT');
      expect(o?.intlDesignator).toBe(sees ? '2023-777A' : '2023-004A');
      expect(o?.objectType).toBe(sees ? 'DEBRIS' : 'UNKNOWN');
      const listed = (await view.listObjects()).find((s) => s.object.catalogNumber === String(LEAKY));
      expect(listed?.object).toEqual(o);
      const asOf = (await view.listObjects({ asOf: AS_OF })).find(
        (s) => s.object.catalogNumber === String(LEAKY),
      );
      expect(asOf?.object).toEqual(o);
      const diff = await view.diff('2023-10-01T00:00:00Z', AS_OF);
      expect(diff.appeared.find((s) => s.object.catalogNumber === String(LEAKY))?.object).toEqual(o);
      // Search and filters see the same values: no hit, count or type reveals the hidden set.
      const hits = (q: Parameters<CatalogStore['listObjects']>[0]) =>
        view.listObjects(q).then((r) => r.filter((s) => s.object.catalogNumber === String(LEAKY)).length);
      expect(await hits({ name: 'SECRETSAT' })).toBe(sees ? 1 : 0);
      expect(await hits({ name: 'PUBSAT' })).toBe(sees ? 0 : 1);
      expect(await hits({ type: 'DEBRIS' })).toBe(sees ? 1 : 0);
      expect(await hits({ types: ['PAYLOAD'] })).toBe(sees ? 0 : 1);
      const debris = await view.selectObjects({ types: ['DEBRIS'] });
      expect(debris.catalogNumbers.includes(String(LEAKY))).toBe(sees);
    });

    it(`${who}: SATCAT values of a marked SATCAT import only when it may read it`, async () => {
      const o = (await view.getObject(String(SAT)))?.object;
      expect(o?.name).toBe('PLAINSAT');
      expect(o?.typeSource).toBe(sees ? 'satcat' : 'name');
      expect(o?.objectType).toBe(sees ? 'ROCKET BODY' : 'UNKNOWN');
      expect(o?.ownerCode).toBe(sees ? 'US' : null);
      expect(o?.launchDate).toBe(sees ? '2023-01-02' : null);
      expect(o?.decayDate).toBe(sees ? '2023-10-01' : null);
      expect(o?.rcsSize).toBe(sees ? 'LARGE' : null);
      expect(o?.satcatIngestId).toBe(sees ? sat.ingestId : null);
      const sel = await view.selectObjects({ owners: ['US'] });
      expect(sel.catalogNumbers).toEqual(sees ? [String(SAT), String(SAT_ONLY)] : []);
      expect((await view.selectObjects({ decayedBy: '2023-10-05' })).catalogNumbers).toEqual(
        sees ? [String(SAT)] : [],
      );
      expect((await view.selectObjects({ types: ['ROCKET BODY'] })).catalogNumbers).toEqual(
        sees ? [String(SAT)] : [],
      );
      // An object known only from the hidden SATCAT import is absent, as an unknown one.
      expect((await view.getObject(String(SAT_ONLY)))?.object.name ?? null).toBe(sees ? 'SATCATONLY' : null);
      expect(await view.listObjects({ name: 'SATCATONLY' })).toHaveLength(sees ? 1 : 0);
      expect((await view.selectObjects({})).catalogNumbers.includes(String(SAT_ONLY))).toBe(sees);
    });
  }

  it('the unrestricted store shows the stored columns', async () => {
    const o = (await store.getObject(String(LEAKY)))?.object;
    expect([o?.name, o?.intlDesignator, o?.objectType]).toEqual(['SECRETSAT DEB', '2023-777A', 'DEBRIS']);
    expect((await store.getObject(String(SAT)))?.object.ownerCode).toBe('US');
  });
});

describe('markings: derived products and writes through a view', () => {
  it('a conjunction between a USA-only set and a public one is USA-only', async () => {
    const store = await openSqliteStore(':memory:');
    await store.importFile({ name: 'a', bytes: bytes(tle(1, 0, 'A', '2023-001A')) });
    await store.importFile({
      name: 'b',
      bytes: bytes(tle(2, 0, 'B', '2023-001B')),
      marking: m('SECRET', ['USA']),
    });
    await store.importFile({ name: 'c', bytes: bytes(tle(3, 0, 'C', '2023-001C')) });
    const id = await store.saveScreening(runOf('2023-10-09T00:00:00Z'), [
      conjunction('1', '2', '2023-10-10T00:00:00Z'),
      conjunction('1', '3', '2023-10-10T01:00:00Z'),
    ]);
    const all = await store.conjunctions({ screeningId: id });
    expect(all?.conjunctions.map((c) => formatMarking(c.marking))).toEqual([
      'SECRET//REL TO USA',
      'UNCLASSIFIED',
    ]);
    // The screening holds a USA-only product: it is USA-only as a whole.
    expect(formatMarking(all!.screening.marking)).toBe('SECRET//REL TO USA');
    expect(await store.view(READERS['JPN org, CONFIDENTIAL']!).conjunctions({ screeningId: id })).toBeNull();
    expect(
      (await store.view(READERS['USA org, SECRET']!).conjunctions({ screeningId: id }))?.conjunctions,
    ).toHaveLength(2);
    // Screened through JPN's view, the USA-only set is not an input: everything is readable by JPN.
    const jpn = store.view(READERS['JPN org, CONFIDENTIAL']!);
    const sid = await jpn.saveScreening({ ...runOf('2023-10-09T01:00:00Z'), marking: PUBLIC }, [
      conjunction('1', '3', '2023-10-10T01:00:00Z'),
    ]);
    const mine = await jpn.conjunctions({ screeningId: sid });
    expect(mine?.conjunctions[0]?.marking).toEqual({ ...PUBLIC, originator: ORG.jpn });
    // The most restrictive: highest level, intersection of releasability, least real mode.
    const mixed = await store.saveScreening(
      {
        ...runOf('2023-10-09T02:00:00Z'),
        inputMarkings: {
          '1': m('CONFIDENTIAL', ['GBR', 'JPN', 'USA']),
          '3': m('RESTRICTED', ['JPN', 'USA'], ORG.jpn, 'EXERCISE'),
        },
      },
      [conjunction('1', '3', '2023-10-10T01:00:00Z')],
    );
    expect((await store.conjunctions({ screeningId: mixed }))?.conjunctions[0]?.marking).toEqual(
      m('CONFIDENTIAL', ['JPN', 'USA'], HOME, 'EXERCISE'),
    );
    await store.close();
  });

  it('events derived from marked sets take their combination', async () => {
    const store = await openSqliteStore(':memory:');
    await store.saveEvents([maneuver('5', 1)], {
      derivedFrom: [m('RESTRICTED', ['JPN', 'USA']), m('SECRET', ['USA', 'GBR'])],
    });
    expect((await store.events())[0]?.marking).toEqual(m('SECRET', ['USA'], HOME));
    await store.close();
  });

  it('a view stamps its organisation, defaults to its nation, refuses what it could not read', async () => {
    const store = await openSqliteStore(':memory:');
    const jpn = store.view(READERS['JPN org, CONFIDENTIAL']!);
    expect(jpn.reader).toEqual(READERS['JPN org, CONFIDENTIAL']);
    const report = await jpn.importFile({ name: 'j', bytes: bytes(tle(7, 0, 'J', '2023-007A')) });
    expect(report.marking).toEqual(m('UNCLASSIFIED', ['JPN'], ORG.jpn));
    await jpn.importFile({
      name: 'k',
      bytes: bytes(tle(8, 0, 'K', '2023-008A')),
      marking: m('CONFIDENTIAL', 'ALL', 'SOMEONE'),
    });
    expect((await store.history('8'))[0]?.marking).toEqual(m('CONFIDENTIAL', 'ALL', ORG.jpn));
    await expect(
      jpn.importFile({ name: 's', bytes: bytes(tle(9, 0, 'S', '2023-009A')), marking: m('SECRET', 'ALL') }),
    ).rejects.toMatchObject({ code: 'STORE_MARKING_ABOVE_CLEARANCE' });
    expect(await store.history('9')).toEqual([]);
    await expect(jpn.setMarkingSettings({ homeOrganisation: 'X' })).rejects.toMatchObject({
      code: 'STORE_VIEW_FORBIDDEN',
    });
    expect(() => store.view({ organisation: 'X', nation: 'USA', clearance: 'TOP SECRET' })).toThrow(
      expect.objectContaining({ code: 'STORE_BAD_READER' }),
    );
    await jpn.close(); // a view's close leaves the store open
    expect(await store.history('7')).toHaveLength(1);
    await store.close();
  });

  it('a view does not refresh, re-mark or reveal through a hidden event of the same identity', async () => {
    const store = await openSqliteStore(':memory:');
    await store.saveEvents([maneuver('5', 1)], { marking: m('SECRET', ['USA']) });
    const jpn = store.view(READERS['JPN org, CONFIDENTIAL']!);
    // The same identity as the hidden event is stored as JPN's own record: counted as new, exactly
    // as an event nobody stored before, then as known on the next save, exactly as that one.
    const hiddenTwin = { ...maneuver('5', 1), score: 99 };
    const absent = maneuver('6', 2);
    expect(await jpn.saveEvents([hiddenTwin])).toEqual({ inserted: 1, known: 0 });
    expect(await jpn.saveEvents([absent])).toEqual({ inserted: 1, known: 0 });
    expect(await jpn.saveEvents([hiddenTwin, absent])).toEqual({ inserted: 0, known: 2 });
    const all = await store.events();
    expect(all).toHaveLength(3);
    const hidden = all.find((x) => x.marking.classification === 'SECRET');
    expect(hidden?.score).toBe(12.5);
    expect(hidden?.marking).toEqual(m('SECRET', ['USA']));
    const own = await jpn.events();
    expect(own.map((x) => x.objects[0])).toEqual(['5', '6']);
    expect(own[0]).toMatchObject({ score: 99, key: hidden?.key, marking: { releasableTo: ['JPN'] } });
    expect(own[0]?.id).not.toBe(hidden?.id);
    // The USA reader refreshes the hidden one, not JPN's record.
    const usa = store.view(READERS['USA org, SECRET']!);
    expect(await usa.saveEvents([{ ...maneuver('5', 1), score: 7 }])).toEqual({ inserted: 0, known: 1 });
    expect((await store.events({ id: hidden!.id }))[0]?.score).toBe(7);
    expect((await jpn.events())[0]?.score).toBe(99);
    await store.close();
  });

  it('settings: levels and home organisation, read and changed', async () => {
    const store = await openSqliteStore(':memory:');
    expect(await store.markingSettings()).toEqual({ scheme: DEFAULT_SCHEME, homeOrganisation: 'LOCAL' });
    await store.importFile({ name: 'a', bytes: bytes(tle(1, 0, 'A', '2023-001A')) });
    await expect(store.setMarkingSettings({ levels: ['OFFICIAL', 'SECRET'] })).rejects.toMatchObject({
      code: 'STORE_SCHEME_IN_USE',
    });
    const s = await store.setMarkingSettings({
      levels: ['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'],
      homeOrganisation: 'JSPOC',
    });
    expect(s.scheme.levels).toEqual(['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET']);
    // This node's own records follow its renamed organisation.
    expect((await store.history('1'))[0]?.marking.originator).toBe('JSPOC');
    const ts = store.view({ organisation: 'X', nation: 'USA', clearance: 'TOP SECRET' });
    expect(await ts.history('1')).toHaveLength(1);
    await store.close();
  });

  it('writes the EXERCISE data mode and reads it back', async () => {
    const store = await openSqliteStore(':memory:');
    await store.importFile({
      name: 'x',
      bytes: bytes(tle(1, 0, 'A', '2023-001A')),
      marking: m('UNCLASSIFIED', 'ALL', 'USSF', 'EXERCISE'),
    });
    expect((await store.asOf(EPOCH_ISO.replace('08', '20')))[0]?.marking.dataMode).toBe('EXERCISE');
    await store.close();
  });
});

describe('markings: migration 0009', () => {
  it('gives records stored before v9 the public marking of the home organisation', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const Database = (await import('better-sqlite3')).default;
    const { migrateSqliteFile, CATALOG_SCHEMA_VERSION } = await import('../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-mk-'));
    try {
      const path = join(dir, 'v8.db');
      expect(await migrateSqliteFile(path, 8)).toBe(8);
      const db = new Database(path);
      db.prepare(
        `INSERT INTO watch_lists (name, assets, max_miss_km, enabled, created_at, updated_at)
         VALUES ('old', '["25544"]', 5, 1, '2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z')`,
      ).run();
      db.close();
      const store = await openSqliteStore(path);
      expect(store.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
      const [list] = await store.listWatchLists();
      expect(list?.marking).toEqual(m('UNCLASSIFIED', 'ALL', 'LOCAL'));
      // Public: every reader sees it.
      for (const reader of Object.values(READERS))
        expect(await store.view(reader).listWatchLists()).toHaveLength(1);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('markings: release to a partner node (releasableCondition)', () => {
  it('selects exactly the element sets astro canReleaseTo allows', async () => {
    const { canReleaseTo } = await import('@hoshimi/astro');
    const { releasableCondition } = await import('../src/index.js');
    const { sql } = await import('kysely');
    const Database = (await import('better-sqlite3')).default;
    const { Kysely, SqliteDialect } = await import('kysely');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'hoshimi-rel-'));
    try {
      const path = join(dir, 'r.db');
      const store = await openSqliteStore(path);
      for (const [k, mk] of MARKINGS.entries()) {
        await store.importFile({
          name: `r${k}`,
          bytes: bytes(tle(cnOf(k), 0, `R${k}`, designatorOf(k))),
          marking: mk,
        });
      }
      await store.close();
      const db = new Database(path, { readonly: true });
      const kysely = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: db }) });
      for (const partner of [
        { nation: 'JPN', maxClassification: 'CONFIDENTIAL' },
        { nation: 'USA', maxClassification: 'SECRET' },
        { nation: 'FRA', maxClassification: 'SECRET' },
      ]) {
        const q = sql<{ catalog_number: string }>`SELECT e.catalog_number FROM element_sets e
          WHERE ${releasableCondition('e', DEFAULT_SCHEME, partner)} ORDER BY e.catalog_number`;
        const got = (await q.execute(kysely)).rows.map((r) => Number(r.catalog_number));
        const want = MARKINGS.flatMap((mk, k) =>
          canReleaseTo(DEFAULT_SCHEME, mk, partner) ? [cnOf(k)] : [],
        );
        expect(got, partner.nation).toEqual(want);
      }
      await kysely.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
