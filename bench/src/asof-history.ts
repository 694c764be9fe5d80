/**
 * As-of queries of the PostgreSQL store on a synthetic element-set history of N sets (argument
 * `--sets=N` or `$HOSHIMI_ASOF_SETS`, default 1,000,000; objects `--objects=M` or
 * `$HOSHIMI_ASOF_OBJECTS`, default 40,000): a throwaway cluster (pg-cluster.ts), the store's own
 * migrations, then the history generated inside the database with `INSERT … SELECT … FROM
 * generate_series` in blocks of objects. Object n has its first set at a time between 2000-01-01
 * and 2013 (n mod 100 decides), then N/M sets at even steps with jitter up to 2026-01-01, from
 * space-track (priority 2) or CelesTrak (1), in 1,000 ingests; plausible LEO-to-GEO elements.
 *
 * The load is the one an operator does for a bulk load: the element_sets indexes and constraints
 * are dropped, the rows written, then every index and constraint re-created from the definitions
 * the migrations made (pg_get_indexdef / pg_get_constraintdef), then VACUUM ANALYZE. Before the
 * full load the size per set is measured on the first block and the run stops when the estimate
 * passes `$HOSHIMI_ASOF_MAX_GB` (default 40) or the free disk space.
 *
 * Measured, warm cache, median of AS_OF_RUNS after one warm-up: the whole-catalog as-of through
 * the store (`asOf`, SQL plus row decoding) in the middle and at the end of the history, and its
 * server time (EXPLAIN ANALYZE), one object's as-of (`getObject(cn, t)`), one object's history;
 * table and index sizes. No peer: the SQLite store is compared with the same query in `store-pg`.
 */
import { openPostgresStore } from '@hoshimi/store';
import { record } from './harness.js';
import { startBenchCluster } from './pg-cluster.js';

const AS_OF_RUNS = 5;
const DEFAULT_SETS = 1_000_000;
const DEFAULT_OBJECTS = 40_000;
/** Objects per INSERT statement of the load. */
const BLOCK_OBJECTS = 500;
/** 2000-01-01 and 2026-01-01 as epoch keys (µs since 2000-01-01 in 86,400 s days). */
const START_KEY = 0;
const END_KEY = 9497 * 86_400_000_000;
const GIB = 1024 ** 3;

function argNumber(name: string, env: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const text = arg?.slice(name.length + 3) ?? process.env[env];
  if (text === undefined || text === '') return fallback;
  const v = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} / ${env}: not a positive number: ${text}`);
  return Math.round(v);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function ms(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let k = 0; k < AS_OF_RUNS; k++) t.push(await ms(fn));
  return median(t);
}

/** The rows of objects first..last, `perObject` sets each (see the module header). */
function insertSetsSql(first: number, last: number, perObject: number): string {
  return `INSERT INTO element_sets (catalog_number, epoch_jd, epoch_jd_frac, epoch_key, name, intl_designator,
    classification, mean_motion_rad_per_min, eccentricity, inclination_rad, raan_rad, arg_perigee_rad,
    mean_anomaly_rad, bstar, mean_motion_dot, mean_motion_ddot, ephemeris_type, element_set_number,
    revolution_number, bterm, agom, source, source_priority, label, format, ingest_id, content_hash)
  SELECT o.cn, 2451544.5 + floor(t.key / 86400000000.0), mod(t.key, 86400000000)::float8 / 86400000000.0,
    t.key, 'OBJECT ' || o.cn, o.intl, 'U', o.n, o.e, o.i,
    (o.raan0 - 0.0172 * t.k) - 6.283185307179586 * floor((o.raan0 - 0.0172 * t.k) / 6.283185307179586),
    random() * 6.283185307179586, random() * 6.283185307179586, (random() - 0.3) * 1e-3, random() * 1e-4, 0, 0,
    1 + mod(t.k, 999), mod(t.k * 3, 99999), NULL, NULL,
    CASE WHEN mod(t.k, 3) = 0 THEN 'celestrak' ELSE 'spacetrack' END,
    CASE WHEN mod(t.k, 3) = 0 THEN 1 ELSE 2 END, 'UNMARKED', '3le',
    1 + (t.k * 1000) / ${perObject}, left(md5(o.cn || ':' || t.k), 22)
  FROM (SELECT g::text AS cn, g AS num,
          (1957 + mod(g, 67))::text || '-' || lpad((1 + mod(g, 250))::text, 3, '0') || 'A' AS intl,
          CASE WHEN mod(g, 20) = 0 THEN 0.004375 ELSE 0.0436 + 0.0262 * random() END AS n,
          CASE WHEN mod(g, 20) = 0 THEN 0.0002 ELSE 0.02 * random() ^ 3 END AS e,
          CASE WHEN mod(g, 20) = 0 THEN 0.001 ELSE 0.5 + 1.3 * random() END AS i,
          random() * 6.283185307179586 AS raan0,
          ${START_KEY}::bigint + ((${END_KEY}::bigint - ${START_KEY}) / 200) * mod(g, 100) AS first_key
        FROM generate_series(${first}, ${last}) g) o
  CROSS JOIN LATERAL (SELECT k,
      (o.first_key + ((k + 0.5 * random()) * ((${END_KEY}::bigint - o.first_key) / ${perObject})))::bigint AS key
    FROM generate_series(0, ${perObject - 1}) k) t`;
}

export async function benchAsOfHistory(): Promise<void> {
  const sets = argNumber('sets', 'HOSHIMI_ASOF_SETS', DEFAULT_SETS);
  const objects = Math.min(argNumber('objects', 'HOSHIMI_ASOF_OBJECTS', DEFAULT_OBJECTS), sets);
  const perObject = Math.max(1, Math.round(sets / objects));
  const total = perObject * objects;
  const maxBytes = argNumber('max-gb', 'HOSHIMI_ASOF_MAX_GB', 40) * GIB;
  console.log(`  synthetic history: ${objects} objects × ${perObject} sets = ${total} element sets`);
  const cluster = await startBenchCluster([
    'shared_buffers=4GB',
    'maintenance_work_mem=2GB',
    'work_mem=64MB',
    'max_parallel_maintenance_workers=2',
    'effective_cache_size=16GB',
    // fsync is off: checkpoints are cheap, and a small WAL keeps the disk for the history.
    'max_wal_size=2GB',
  ]);
  try {
    const url = await cluster.createDatabase('hoshimi_asof_history');
    const store = await openPostgresStore(url, { maxConnections: 2 });
    const pg = await import('pg');
    const db = new pg.default.Client({ connectionString: url });
    await db.connect();
    try {
      const t0 = performance.now();
      await db.query(`INSERT INTO ingests (name, sha256, source, label, format, started_at, finished_at, status)
        SELECT 'synthetic-' || g, md5(g::text), CASE WHEN mod(g, 3) = 0 THEN 'celestrak' ELSE 'spacetrack' END,
          'UNMARKED', '3le', '2000-01-01T00:00:00.000000Z', '2000-01-01T00:00:00.000000Z', 'ok'
        FROM generate_series(1, 1000) g`);
      await db.query(`INSERT INTO objects (catalog_number, name, intl_designator, object_type, type_source, name_epoch_key)
        SELECT g::text, 'OBJECT ' || g, NULL, CASE WHEN mod(g, 2) = 0 THEN 'DEBRIS' ELSE 'PAYLOAD' END, 'name', NULL
        FROM generate_series(1, ${objects}) g`);
      // Drop what the load would maintain row by row; re-created below from these definitions.
      const indexes = (
        await db.query<{ name: string; def: string }>(`SELECT indexrelid::regclass::text AS name,
            pg_get_indexdef(indexrelid) AS def FROM pg_index i
          WHERE indrelid = 'element_sets'::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`)
      ).rows;
      // Foreign keys into element_sets first, then its own (foreign, unique, primary key).
      const constraints = (
        await db.query<{ tab: string; name: string; def: string }>(`SELECT conrelid::regclass::text AS tab,
            conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE (conrelid = 'element_sets'::regclass AND contype IN ('p', 'u', 'f'))
            OR (confrelid = 'element_sets'::regclass AND conrelid <> 'element_sets'::regclass)
          ORDER BY conrelid = 'element_sets'::regclass, contype DESC`)
      ).rows;
      for (const c of constraints) await db.query(`ALTER TABLE ${c.tab} DROP CONSTRAINT ${c.name}`);
      for (const i of indexes) await db.query(`DROP INDEX ${i.name}`);

      let done = 0;
      let lastReport = performance.now();
      for (let first = 1; first <= objects; first += BLOCK_OBJECTS) {
        const last = Math.min(objects, first + BLOCK_OBJECTS - 1);
        await db.query(insertSetsSql(first, last, perObject));
        done = last;
        if (first === 1 && objects > last) {
          const r = await db.query<{ b: string }>("SELECT pg_table_size('element_sets') AS b");
          // Indexes and constraints add about 0.8 × the table (measured on the 10 M history).
          const estimate = (Number(r.rows[0]?.b) / (last * perObject)) * total * 1.8;
          const free = cluster.freeBytes();
          console.log(
            `  estimated size ${(estimate / GIB).toFixed(1)} GiB (limit ${(maxBytes / GIB).toFixed(0)} GiB, free ${(free / GIB).toFixed(1)} GiB)`,
          );
          if (estimate > maxBytes || estimate > free * 0.9)
            throw new Error('the synthetic history would not fit: lower --sets or raise HOSHIMI_ASOF_MAX_GB');
        }
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          const s = (performance.now() - t0) / 1000;
          console.log(`  … ${done * perObject} sets after ${s.toFixed(0)} s`);
        }
      }
      const loadS = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      await db.query("SET maintenance_work_mem = '2GB'");
      for (const c of constraints.slice().reverse())
        await db.query(`ALTER TABLE ${c.tab} ADD CONSTRAINT ${c.name} ${c.def}`);
      for (const i of indexes) await db.query(i.def);
      await db.query(
        "SELECT setval(pg_get_serial_sequence('element_sets', 'id'), (SELECT max(id) FROM element_sets))",
      );
      const indexS = (performance.now() - t1) / 1000;
      const t2 = performance.now();
      await db.query('VACUUM ANALYZE element_sets');
      await db.query('VACUUM ANALYZE objects');
      await db.query('VACUUM ANALYZE ingests');
      const vacuumS = (performance.now() - t2) / 1000;
      const label = `${(total / 1e6).toPrecision(3)}M sets`;
      record({ bench: 'asof-history', metric: `load ${label} (rows)`, ours: loadS, peer: null, unit: 's' });
      record({ bench: 'asof-history', metric: `indexes ${label}`, ours: indexS, peer: null, unit: 's' });
      record({
        bench: 'asof-history',
        metric: `vacuum analyze ${label}`,
        ours: vacuumS,
        peer: null,
        unit: 's',
      });

      const sizes = await db.query<{ name: string; b: string }>(`SELECT 'table' AS name,
          pg_table_size('element_sets') AS b
        UNION ALL SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index
          WHERE indrelid = 'element_sets'::regclass
        UNION ALL SELECT 'database', pg_database_size(current_database())`);
      for (const r of sizes.rows)
        record({
          bench: 'asof-history',
          metric: `size ${r.name} ${label}`,
          ours: Number(r.b) / GIB,
          peer: null,
          unit: 'GiB',
        });

      // The plans of the whole-catalog as-of: the store's lateral form (latestSetLateral in
      // catalog-sql.ts) and the scalar-subquery form `e.id = (SELECT …)` it replaced, run once.
      const mid = '2013-01-01T00:00:00Z';
      const end = '2026-06-01T00:00:00Z';
      const midKey = 4749 * 86_400_000_000;
      const latest = `(SELECT x.* FROM element_sets x WHERE x.catalog_number = o.catalog_number
        AND x.epoch_key <= ${midKey}
        ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1)`;
      const lateralSql = `SELECT e.* FROM objects o JOIN LATERAL ${latest} e ON true
        ORDER BY length(o.catalog_number), o.catalog_number`;
      const scalarSql = `SELECT e.* FROM objects o JOIN element_sets e ON e.id = (SELECT x.id FROM element_sets x
          WHERE x.catalog_number = o.catalog_number AND x.epoch_key <= ${midKey}
          ORDER BY x.epoch_key DESC, x.source_priority DESC, x.ingest_id DESC, x.id DESC LIMIT 1)
        ORDER BY length(o.catalog_number), o.catalog_number`;
      const explain = async (text: string, options: string) =>
        (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (${options}) ${text}`)).rows.map(
          (r) => r['QUERY PLAN'],
        );
      const executionMs = (plan: readonly string[]) =>
        Number(/([\d.]+) ms/.exec(plan.find((l) => l.startsWith('Execution Time')) ?? '')?.[1]);
      await explain(lateralSql, 'ANALYZE, TIMING OFF');
      console.log("  plan of the store's whole-catalog as-of (middle of the history):");
      for (const l of await explain(lateralSql, 'ANALYZE, BUFFERS')) console.log(`    ${l}`);
      const scalarPlan = await explain(scalarSql, 'ANALYZE, BUFFERS');
      console.log('  plan of the scalar-subquery form (before):');
      for (const l of scalarPlan) console.log(`    ${l}`);

      let rowsMid = 0;
      let rowsEnd = 0;
      const asOfMid = await medianMs(async () => {
        rowsMid = (await store.asOf(mid)).length;
      });
      const asOfEnd = await medianMs(async () => {
        rowsEnd = (await store.asOf(end)).length;
      });
      console.log(`  as-of rows: ${rowsMid} in the middle, ${rowsEnd} at the end`);
      const serverMs: number[] = [];
      for (let k = 0; k < AS_OF_RUNS; k++)
        serverMs.push(executionMs(await explain(lateralSql, 'ANALYZE, TIMING OFF')));
      record({
        bench: 'asof-history',
        metric: `catalog as-of SQL, scalar form ${label}`,
        ours: executionMs(scalarPlan),
        peer: null,
        unit: 'ms',
      });
      const one = String(Math.ceil(objects / 2) + 7);
      let historyRows = 0;
      const oneAsOf = await medianMs(() => store.getObject(one, mid));
      const oneHistory = await medianMs(async () => {
        historyRows = (await store.history(one)).length;
      });
      record({
        bench: 'asof-history',
        metric: `catalog as-of middle ${label}`,
        ours: asOfMid,
        peer: null,
        unit: 'ms',
      });
      record({
        bench: 'asof-history',
        metric: `catalog as-of end ${label}`,
        ours: asOfEnd,
        peer: null,
        unit: 'ms',
      });
      record({
        bench: 'asof-history',
        metric: `catalog as-of middle SQL only ${label}`,
        ours: median(serverMs),
        peer: null,
        unit: 'ms',
      });
      record({
        bench: 'asof-history',
        metric: `one object as-of ${label}`,
        ours: oneAsOf,
        peer: null,
        unit: 'ms',
      });
      record({
        bench: 'asof-history',
        metric: `one history (${historyRows} sets) ${label}`,
        ours: oneHistory,
        peer: null,
        unit: 'ms',
      });
    } finally {
      await db.end();
      await store.close();
    }
  } finally {
    await cluster.stop();
  }
}
