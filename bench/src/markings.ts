/**
 * Marking enforcement (issue 13): the conjunction list and the as-of catalog queries through a
 * reader view (`store.view(reader)`, every read filtered by the one SQL condition of
 * store/src/marking-sql.ts) against the same query on the unrestricted store, same process, same
 * database, rounds alternated, median of several. Goal: enforcement costs at most 10%.
 *
 * The store holds the 26,140-object catalog of 2023-10-09 (public), plus a newer SECRET//REL TO USA
 * element set (epoch one minute later) for every tenth object, so the view's as-of rule has hidden
 * sets to step over. The conjunction list is a screening of 100,000 conjunctions between
 * pseudo-random pairs of catalog objects (synthetic records: the query does not depend on how they
 * were found), each marked by the store from its two objects' as-of sets. The "peer" of each
 * metric is the unrestricted store; the reader is a USA organisation cleared SECRET, who sees every
 * record, so both sides return the same rows and the ratio is the cost of the filter alone. A JPN
 * reader (who does not see the USA-only sets) is reported too, for the as-of query.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, formatTleText, parseElements, type Reader } from '@hoshimi/astro';
import { type CatalogStore, openSqliteStore } from '@hoshimi/store';
import { record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const AS_OF = '2023-10-10T00:00:00Z';
const CONJUNCTIONS = 100_000;
const ROUNDS = 15;
const USA: Reader = { organisation: 'USSF', nation: 'USA', clearance: 'SECRET' };
const JPN: Reader = { organisation: 'JAXA', nation: 'JPN', clearance: 'CONFIDENTIAL' };
/** One minute, days. */
const MINUTE_D = 1 / 1440;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * CPU time of this process while `fn` runs, ms. The store's queries run synchronously on this
 * thread (better-sqlite3), so CPU time measures the same work as wall time, without the noise of
 * other processes on a shared machine (wall time is printed too).
 */
async function ms(fn: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Alternating rounds of two queries (after one warm-up each); medians in ms. */
async function compare(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<{ a: number; b: number }> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      ta.push(await ms(a));
      tb.push(await ms(b));
    } else {
      tb.push(await ms(b));
      ta.push(await ms(a));
    }
  }
  return { a: median(ta), b: median(tb) };
}

async function fill(store: CatalogStore, gz: Buffer): Promise<{ objects: number; screeningId: number }> {
  await store.importFile({ name: CATALOG, bytes: gz, source: 'spacetrack' });
  const parsed = parseElements(gunzipSync(gz).toString('utf8'));
  if (!parsed.ok) throw new Error('catalog does not parse');
  const sets = parsed.value.records.map((r) => r.elements);
  const hidden: ElementSet[] = [];
  for (let i = 0; i < sets.length; i += 10) {
    const es = sets[i]!;
    hidden.push({ ...es, epoch: { jd: es.epoch.jd, jdFrac: es.epoch.jdFrac + MINUTE_D } });
  }
  await store.importFile({
    name: 'usa-only.3le',
    bytes: new TextEncoder().encode(formatTleText(hidden, '3le')),
    source: 'usa',
    marking: { classification: 'SECRET', releasableTo: ['USA'], originator: 'USSF', dataMode: 'REAL' },
  });
  const ids = sets.map((s) => s.catalogNumber);
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const conjunctions = [];
  for (let k = 0; k < CONJUNCTIONS; k++) {
    const i = next() % ids.length;
    let j = next() % ids.length;
    if (j === i) j = (j + 1) % ids.length;
    const miss = (next() % 5000) / 1000;
    conjunctions.push({
      id1: ids[i]!,
      id2: ids[j]!,
      tcaUtc: `2023-10-1${next() % 7}T${String(next() % 24).padStart(2, '0')}:00:00.000000Z`,
      missKm: miss,
      relSpeedKmS: 10,
      rKm: miss / 3,
      iKm: miss / 3,
      cKm: miss / 3,
      pc: (next() % 1000) * 1e-7,
      pcMethod: 'alfano-max',
      hbrM: 20,
      covarianceSource: 'none',
      confidence: 'low' as const,
      age1Days: 1,
      age2Days: 1,
    });
  }
  const t0 = process.hrtime.bigint();
  const screeningId = await store.saveScreening(
    {
      startedAt: '2023-10-10T00:00:00Z',
      finishedAt: '2023-10-10T00:00:00Z',
      windowStart: AS_OF,
      windowStop: '2023-10-17T00:00:00Z',
      thresholdKm: 5,
      primaries: null,
      catalogAsOf: AS_OF,
      source: 'catalog',
      objectCount: ids.length,
    },
    conjunctions,
  );
  record({
    bench: 'markings',
    metric: `save ${CONJUNCTIONS} conjunctions, markings derived`,
    ours: Number(process.hrtime.bigint() - t0) / 1e6,
    peer: null,
    unit: 'ms wall',
  });
  return { objects: ids.length, screeningId };
}

export async function benchMarkings(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-markings-'));
  try {
    const gz = readFileSync(refFile(CATALOG));
    const store = await openSqliteStore(join(dir, 'm.db'));
    const { objects, screeningId } = await fill(store, gz);
    const usa = store.view(USA);
    const jpn = store.view(JPN);

    let nPlain = 0;
    let nView = 0;
    const wall0 = process.hrtime.bigint();
    const conj = await compare(
      async () => {
        nView = (await usa.conjunctions({ screeningId }))?.conjunctions.length ?? 0;
      },
      async () => {
        nPlain = (await store.conjunctions({ screeningId }))?.conjunctions.length ?? 0;
      },
    );
    if (nView !== nPlain) throw new Error(`view returned ${nView} conjunctions, store ${nPlain}`);
    record({
      bench: 'markings',
      metric: `conjunction list (${nPlain}), view vs store`,
      ours: conj.a,
      peer: conj.b,
      unit: 'ms CPU',
    });
    const filtered = await compare(
      () => usa.conjunctions({ screeningId, maxMissKm: 1 }),
      () => store.conjunctions({ screeningId, maxMissKm: 1 }),
    );
    record({
      bench: 'markings',
      metric: 'conjunction list miss ≤ 1 km, view vs store',
      ours: filtered.a,
      peer: filtered.b,
      unit: 'ms CPU',
    });

    const asOf = await compare(
      async () => {
        nView = (await usa.asOf(AS_OF)).length;
      },
      async () => {
        nPlain = (await store.asOf(AS_OF)).length;
      },
    );
    if (nView !== nPlain) throw new Error(`view returned ${nView} sets, store ${nPlain}`);
    record({
      bench: 'markings',
      metric: `as-of catalog (${nPlain} of ${objects}), view vs store`,
      ours: asOf.a,
      peer: asOf.b,
      unit: 'ms CPU',
    });
    const list = await compare(
      () => usa.listObjects({ asOf: AS_OF }),
      () => store.listObjects({ asOf: AS_OF }),
    );
    record({
      bench: 'markings',
      metric: 'as-of object list (listObjects), view vs store',
      ours: list.a,
      peer: list.b,
      unit: 'ms CPU',
    });
    let nFound = 0;
    const search = await compare(
      async () => {
        nFound = (await usa.listObjects({ name: 'starlink' })).length;
      },
      () => store.listObjects({ name: 'starlink' }),
    );
    record({
      bench: 'markings',
      metric: `name search (${nFound} hits), view vs store`,
      ours: search.a,
      peer: search.b,
      unit: 'ms CPU',
    });
    const jpnList = await compare(
      () => jpn.listObjects({ asOf: AS_OF }),
      () => store.listObjects({ asOf: AS_OF }),
    );
    record({
      bench: 'markings',
      metric: 'as-of object list, JPN view (1 in 10 steps back)',
      ours: jpnList.a,
      peer: jpnList.b,
      unit: 'ms CPU',
    });
    let nJpn = 0;
    const hidden = await compare(
      async () => {
        nJpn = (await jpn.asOf(AS_OF)).length;
      },
      () => store.asOf(AS_OF),
    );
    record({
      bench: 'markings',
      metric: `as-of catalog, JPN view (${nJpn} sets, 1 in 10 steps back)`,
      ours: hidden.a,
      peer: hidden.b,
      unit: 'ms CPU',
    });
    console.log(
      `  (CPU-time medians of ${ROUNDS} alternating rounds each; all comparisons took ${(Number(process.hrtime.bigint() - wall0) / 1e9).toFixed(1)} s wall)`,
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
