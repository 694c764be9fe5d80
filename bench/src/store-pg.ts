/**
 * PostgreSQL store against the SQLite store in the same run: import of the 26,140-object catalog of
 * 2023-10-09 (gzip 3LE) into a fresh SQLite file and into a fresh PostgreSQL database, then the
 * four catalogs of ../shared/data/catalog (2019, 2021, 2022, 2023) as one history, and the
 * whole-catalog as-of query on each store (warm cache, median of AS_OF_RUNS after one warm-up).
 *
 * "ours" is PostgreSQL, "peer" is SQLite, so the printed ratio is PostgreSQL / SQLite. The
 * PostgreSQL server is a throwaway cluster on loopback (pg-cluster.ts) with durable settings
 * (fsync, synchronous_commit and full_page_writes on, as a production server runs), the SQLite
 * store with its own defaults. The as-of on PostgreSQL is timed right after the import (statistics
 * only from autovacuum, if it ran) and again after VACUUM ANALYZE, which the README asks operators
 * to run after a bulk load.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogStore, openPostgresStore, openSqliteStore } from '@hoshimi/store';
import pg from 'pg';
import { record, refFile } from './harness.js';
import { startBenchCluster } from './pg-cluster.js';

const CATALOG = 'catalog/full_catalog_2023-10-09.3le.txt.gz';
const HISTORY = [
  'catalog/full_catalog_2019-03-19.3le.txt.gz',
  'catalog/full_catalog_2021-05-29.3le.txt.gz',
  'catalog/full_catalog_2022-01-22.3le.txt.gz',
  CATALOG,
];
const RUNS = 3;
const AS_OF_RUNS = 9;
const AS_OF = '2023-10-20T00:00:00Z';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function asOfMs(store: CatalogStore): Promise<{ ms: number; rows: number }> {
  let rows = (await store.asOf(AS_OF)).length;
  const t: number[] = [];
  for (let k = 0; k < AS_OF_RUNS; k++)
    t.push((await seconds(async () => (rows = (await store.asOf(AS_OF)).length))) * 1000);
  return { ms: median(t), rows };
}

async function vacuumAnalyze(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}

/**
 * Server time of the store's whole-catalog as-of (the query of `asOf` in postgres-store.ts, with
 * its columns), from EXPLAIN ANALYZE: the part of the store's time spent in PostgreSQL.
 */
async function asOfServerMs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const key = Math.round((Date.parse(AS_OF) - Date.UTC(2000, 0, 1)) * 1000);
    const text = `EXPLAIN (ANALYZE, TIMING OFF) SELECT e.* FROM objects o JOIN LATERAL (SELECT x.* FROM element_sets x
      WHERE x.catalog_number = o.catalog_number AND x.epoch_key <= ${key}
      ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1) e ON true
      ORDER BY length(o.catalog_number), o.catalog_number`;
    const t: number[] = [];
    for (let k = 0; k <= AS_OF_RUNS; k++) {
      const rows = (await c.query<{ 'QUERY PLAN': string }>(text)).rows.map((r) => r['QUERY PLAN']);
      const line = rows.find((l) => l.startsWith('Execution Time')) ?? '';
      if (k > 0) t.push(Number(/([\d.]+) ms/.exec(line)?.[1]));
    }
    return median(t);
  } finally {
    await c.end();
  }
}

export async function benchStorePg(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-store-pg-'));
  const cluster = await startBenchCluster([
    'fsync=on',
    'synchronous_commit=on',
    'full_page_writes=on',
    'shared_buffers=1GB',
  ]);
  const shown = await cluster.admin(
    "SELECT current_setting('fsync') AS f, current_setting('synchronous_commit') AS s",
  );
  console.log(`  PostgreSQL fsync=${shown.rows[0]?.f}, synchronous_commit=${shown.rows[0]?.s}`);
  let seq = 0;
  const freshSqlite = () => openSqliteStore(join(dir, `s${++seq}.db`));
  const freshPg = async () => openPostgresStore(await cluster.createDatabase(`bench_store_pg_${++seq}`));
  try {
    const gz = readFileSync(refFile(CATALOG));
    const sqliteT: number[] = [];
    const pgT: number[] = [];
    let sets = 0;
    let lastSqlite: CatalogStore | undefined;
    let lastPg: CatalogStore | undefined;
    let lastPgUrl = '';
    for (let r = 0; r < RUNS; r++) {
      // Alternate the stores so that neither always runs on a warmer machine.
      const s = await freshSqlite();
      sqliteT.push(
        await seconds(
          async () => (sets = (await s.importFile({ name: CATALOG, bytes: gz, source: 'spacetrack' })).read),
        ),
      );
      const url = await cluster.createDatabase(`bench_store_pg_${++seq}`);
      const p = await openPostgresStore(url);
      pgT.push(await seconds(() => p.importFile({ name: CATALOG, bytes: gz, source: 'spacetrack' })));
      if (r === RUNS - 1) {
        lastSqlite = s;
        lastPg = p;
        lastPgUrl = url;
      } else {
        await s.close();
        await p.close();
      }
    }
    record({
      bench: 'store-pg',
      metric: `import 2023 catalog gz (${sets} sets)`,
      ours: median(pgT),
      peer: median(sqliteT),
      unit: 's',
    });
    if (lastSqlite === undefined || lastPg === undefined) throw new Error('no store left to query');
    const sq = await asOfMs(lastSqlite);
    const before = await asOfMs(lastPg);
    await vacuumAnalyze(lastPgUrl);
    const after = await asOfMs(lastPg);
    console.log(`  as-of rows: SQLite ${sq.rows}, PostgreSQL ${after.rows}`);
    const server = await asOfServerMs(lastPgUrl);
    record({
      bench: 'store-pg',
      metric: 'as-of 2023 catalog, no ANALYZE',
      ours: before.ms,
      peer: sq.ms,
      unit: 'ms',
    });
    record({
      bench: 'store-pg',
      metric: 'as-of 2023 catalog, VACUUM ANALYZE',
      ours: after.ms,
      peer: sq.ms,
      unit: 'ms',
    });
    record({
      bench: 'store-pg',
      metric: 'as-of 2023 catalog, SQL on the server',
      ours: server,
      peer: null,
      unit: 'ms',
    });
    await lastSqlite.close();
    await lastPg.close();

    // The four catalogs as one history.
    const files = HISTORY.map((f) => ({ name: f, bytes: readFileSync(refFile(f)) }));
    const s = await freshSqlite();
    const p = await freshPg();
    let total = 0;
    const sqH = await seconds(async () => {
      for (const f of files) total += (await s.importFile({ ...f, source: 'spacetrack' })).read;
    });
    const pgH = await seconds(async () => {
      for (const f of files) await p.importFile({ ...f, source: 'spacetrack' });
    });
    record({
      bench: 'store-pg',
      metric: `import 4 catalogs (${total} sets)`,
      ours: pgH,
      peer: sqH,
      unit: 's',
    });
    const sqA = await asOfMs(s);
    const pgA = await asOfMs(p);
    console.log(`  as-of rows over the 4-catalog history: SQLite ${sqA.rows}, PostgreSQL ${pgA.rows}`);
    record({
      bench: 'store-pg',
      metric: 'as-of over 4 catalogs, no ANALYZE',
      ours: pgA.ms,
      peer: sqA.ms,
      unit: 'ms',
    });
    await s.close();
    await p.close();
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
