/**
 * Catalog store: import of the 26,140-object catalog of 2023-10-09 from its gzip file into a fresh
 * SQLite file, import of every TLE history in ../shared/data/history (about 80,000 element sets)
 * into a fresh file, the whole-catalog "as of" query, and the memory used while importing.
 *
 * There is no established JS peer for a catalog store. The peer reported in the same run is the
 * naive way to write this code: read the whole file, parse it at once, and insert row by row with
 * Kysely (one INSERT per object and per element set, inside one Kysely transaction) into the same
 * schema. Its peak heap is the peer for the memory metric (it holds every parsed record at once).
 * The as-of query has no peer (null). Targets from issue 3: catalog ≤ 2 s, histories ≤ 4 s,
 * as-of ≤ 150 ms, memory flat while importing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseElements } from '@hoshimi/astro';
import {
  elementContentHash,
  epochKeyFromJulian,
  migrateSqliteFile,
  objectTypeFromName,
  openSqliteStore,
  sourcePriority,
} from '@hoshimi/store';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { record, refFile } from './harness.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const RUNS = 3;
const AS_OF_RUNS = 9;
const MIB = 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Samples heap and RSS every few milliseconds and at each import batch; reports the peaks. */
class MemoryPeak {
  readonly #heap0 = process.memoryUsage().heapUsed;
  readonly #rss0 = process.memoryUsage().rss;
  heap = 0;
  rss = 0;
  readonly #timer = setInterval(() => this.sample(), 2);
  sample(): void {
    const m = process.memoryUsage();
    this.heap = Math.max(this.heap, m.heapUsed - this.#heap0);
    this.rss = Math.max(this.rss, m.rss - this.#rss0);
  }
  stop(): void {
    this.sample();
    clearInterval(this.#timer);
  }
}

function historyFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tle(\.gz)?$/.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** The peer: slurp, parse whole, insert row by row with Kysely into the same schema. */
async function naiveKyselyImport(path: string, bytes: Uint8Array, memory?: MemoryPeak): Promise<number> {
  await migrateSqliteFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // biome-ignore lint/suspicious/noExplicitAny: the peer writes the store's tables without its row types
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) });
  try {
    const text = gunzipSync(bytes).toString('utf8');
    const parsed = parseElements(text, { file: CATALOG });
    if (!parsed.ok) throw new Error('catalog does not parse');
    memory?.sample();
    let n = 0;
    await kysely.transaction().execute(async (trx) => {
      const ingest = await trx
        .insertInto('ingests')
        .values({
          name: CATALOG,
          sha256: 'peer',
          source: 'spacetrack',
          label: 'UNMARKED',
          format: '3le',
          started_at: new Date().toISOString(),
          status: 'ok',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const { elements: es } of parsed.value.records) {
        const key = epochKeyFromJulian(es.epoch);
        await trx
          .insertInto('objects')
          .values({
            catalog_number: es.catalogNumber,
            name: es.name ?? null,
            intl_designator: es.intlDesignator ?? null,
            object_type: objectTypeFromName(es.name),
            type_source: 'name',
            name_epoch_key: key,
          })
          .onConflict((oc) => oc.column('catalog_number').doNothing())
          .execute();
        await trx
          .insertInto('element_sets')
          .values({
            catalog_number: es.catalogNumber,
            epoch_jd: es.epoch.jd,
            epoch_jd_frac: es.epoch.jdFrac,
            epoch_key: key,
            name: es.name ?? null,
            intl_designator: es.intlDesignator ?? null,
            classification: es.classification,
            mean_motion_rad_per_min: es.meanMotionRadPerMin,
            eccentricity: es.eccentricity,
            inclination_rad: es.inclinationRad,
            raan_rad: es.raanRad,
            arg_perigee_rad: es.argPerigeeRad,
            mean_anomaly_rad: es.meanAnomalyRad,
            bstar: es.bstar,
            mean_motion_dot: es.meanMotionDotRevPerDay2,
            mean_motion_ddot: es.meanMotionDdotRevPerDay3,
            ephemeris_type: es.ephemerisType,
            element_set_number: es.elementSetNumber,
            revolution_number: es.revolutionNumber,
            bterm: es.bterm ?? null,
            agom: es.agom ?? null,
            source: 'spacetrack',
            source_priority: sourcePriority('spacetrack'),
            label: 'UNMARKED',
            format: '3le',
            ingest_id: ingest.id,
            content_hash: elementContentHash(es),
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        n++;
        if ((n & 1023) === 0) memory?.sample();
      }
    });
    return n;
  } finally {
    await kysely.destroy();
  }
}

export async function benchCatalog(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-catalog-'));
  let seq = 0;
  const fresh = () => join(dir, `c${++seq}.db`);
  try {
    const gz = readFileSync(refFile(CATALOG));

    // Memory first, while the process is still small: our streamed import vs the slurping peer.
    const ourMem = new MemoryPeak();
    {
      const store = await openSqliteStore(fresh());
      await store.importFile({
        name: CATALOG,
        bytes: gz,
        source: 'spacetrack',
        onProgress: () => ourMem.sample(),
      });
      await store.close();
    }
    ourMem.stop();
    const peerMem = new MemoryPeak();
    await naiveKyselyImport(fresh(), gz, peerMem);
    peerMem.stop();

    const ours: number[] = [];
    let objects = 0;
    for (let r = 0; r < RUNS; r++) {
      const store = await openSqliteStore(fresh());
      ours.push(
        await seconds(async () => {
          objects = (await store.importFile({ name: CATALOG, bytes: gz, source: 'spacetrack' })).read;
        }),
      );
      await store.close();
    }
    const peer: number[] = [];
    for (let r = 0; r < RUNS; r++) peer.push(await seconds(() => naiveKyselyImport(fresh(), gz)));
    record({
      bench: 'catalog',
      metric: `import 2023 catalog gz (${objects} sets)`,
      ours: median(ours),
      peer: median(peer),
      unit: 's',
    });
    record({
      bench: 'catalog',
      metric: 'import peak heap growth',
      ours: ourMem.heap / MIB,
      peer: peerMem.heap / MIB,
      unit: 'MiB',
    });
    record({
      bench: 'catalog',
      metric: 'import peak RSS growth',
      ours: ourMem.rss / MIB,
      peer: peerMem.rss / MIB,
      unit: 'MiB',
    });

    // Every history file, into one fresh file.
    const files = historyFiles(refFile('history')).map((p) => readFileSync(p));
    const hist: number[] = [];
    let sets = 0;
    for (let r = 0; r < RUNS; r++) {
      const store = await openSqliteStore(fresh());
      hist.push(
        await seconds(async () => {
          sets = 0;
          for (const [k, bytes] of files.entries()) {
            sets += (await store.importFile({ name: `history-${k}`, bytes, source: 'spacetrack' })).read;
          }
        }),
      );
      await store.close();
    }
    record({
      bench: 'catalog',
      metric: `import ${files.length} histories (${sets} sets)`,
      ours: median(hist),
      peer: null,
      unit: 's',
    });

    // As of: the whole catalog, on a store holding the 2023 catalog and every history.
    const path = fresh();
    const store = await openSqliteStore(path);
    await store.importFile({ name: CATALOG, bytes: gz, source: 'spacetrack' });
    for (const [k, bytes] of files.entries())
      await store.importFile({ name: `h${k}`, bytes, source: 'spacetrack' });
    let n = 0;
    await store.asOf('2023-10-10T00:00:00Z'); // warm-up
    const asOf: number[] = [];
    for (let r = 0; r < AS_OF_RUNS; r++) {
      asOf.push(
        await seconds(async () => {
          n = (await store.asOf('2023-10-10T00:00:00Z')).length;
        }),
      );
    }
    record({
      bench: 'catalog',
      metric: `as-of whole catalog (${n} objects)`,
      ours: median(asOf) * 1000,
      peer: null,
      unit: 'ms',
    });
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
