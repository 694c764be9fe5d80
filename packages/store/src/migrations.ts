/**
 * Schema migrations of the catalog database, written with Kysely's schema builder, so that the same
 * list builds and upgrades a SQLite file and a PostgreSQL database. Where the dialects differ
 * (numbered primary keys, binary columns, the triggers that make tables append-only) a migration
 * asks `isPostgres` and writes each dialect's form; the SQLite form is the text it always was. Each migration is
 * named `NNNN_what`; the schema version of a database is the number of the last one applied
 * (recorded by Kysely's Migrator in its `kysely_migration` table). Migrations are append-only:
 * never edit one that has shipped, add the next.
 *
 * v1 0001_initial: objects, ingests, element_sets (append-only), ingest_rejections, indexes.
 * v2 0002_object_provenance: objects.type_source ('name' | 'satcat') and objects.name_epoch_key,
 *    back-filled from the stored element sets, so SATCAT types survive later imports and the name of
 *    the newest element set wins; an index on (length(catalog_number), catalog_number), the numeric
 *    order of catalog numbers held as text, so whole-catalog queries come out sorted without a sort.
 * v3 0003_screenings: screenings (one row per screening run and its parameters) and conjunctions
 *    (its events: both objects, TCA, miss, relative speed, RTN miss vector, Pc with method, hard-body
 *    radius, covariance source and confidence, element-set ages at TCA).
 * v4 0004_satcat_metadata: what each object is, from SATCAT imports (satcat.ts): objects.owner_code
 *    and owner_name, launch_site_code and launch_site_name, rcs_size and rcs_m2, satcat_source and
 *    satcat_ingest_id (the import the SATCAT values came from); indexes on owner_code and object_type.
 * v5 0005_screening_data_quality: screenings.data_quality (JSON text): the element sets left out
 *    (too old, SGP4 failures, decay, interpolation-bound rejections, with first bad time and SGP4
 *    code), failed refinements, and the catalog coverage of the as-of selection.
 * v6 0006_events: events (one row per detection: type, kind, best-estimate time and window as epoch
 *    keys, score and threshold, detector and version, evidence and inputs as JSON text, releasability
 *    label, the identity key `event_key` unique) and event_objects (event id, position, catalog
 *    number: who is involved, indexed by object); indexes on time, window and type.
 * v7 0007_jobs: jobs (the server's background jobs: id, kind, params JSON, state, progress fraction
 *    and message, requested by, created/started/finished times, result JSON, error code and message).
 * v8 0008_watch_lists: watch_lists (assets, screening schedule, thresholds, webhook), alerts (one
 *    conjunction of a watched asset followed across screenings, with its acknowledgement) and
 *    alert_history (every change of an alert: new, changed, acknowledged).
 * v9 0009_markings: a marking (mk_classification, mk_release, mk_originator, mk_data_mode) on
 *    element_sets, ingests, events, screenings, conjunctions, jobs, watch_lists and alerts, existing
 *    rows UNCLASSIFIED, ALL, LOCAL, REAL; settings (classification levels, home organisation); the
 *    as-of index replaced by one that also covers the marking columns.
 * v11 0011_audit: audit_log, the append-only hash-chained log of every access and change
 *    (sqlite-audit.ts): sequence number, time, actor, action, target, outcome and HTTP status,
 *    details JSON, prev_hash and hash; triggers refuse UPDATE and DELETE and an INSERT that does not
 *    extend the head (next sequence number, prev_hash = the head's hash). SQLite: RAISE(ABORT)
 *    triggers; PostgreSQL: trigger functions raising an exception (TRUNCATE refused too).
 * v10 0010_identity: organisations (code, name, nation, max clearance), users (username unique,
 *    organisation, roles, clearance, scrypt password hash, disabled), api_tokens (SHA-256 of the
 *    secret unique, scopes, expiry, revocation, last use) and console_sessions (SHA-256 of the
 *    session id, user, CSRF secret, expiry). See identity-store.ts.
 * v12 0012_exchange: the node exchange (sqlite-exchange.ts): exchange_node (this node's
 *    organisation and nation), exchange_partners (name, nation, accreditation, trusted Ed25519
 *    public keys, URL, pinned TLS CA and fingerprint, the outgoing cursor: last bundle built, last
 *    element set considered, last acknowledged; the incoming state: last sequence accepted and its
 *    hash), exchange_outbox (signed bundles built for a partner, kept until acknowledged),
 *    exchange_received (every bundle applied: sequence and hash, for idempotence and replay
 *    checks) and exchange_provenance (per received element set: partner, bundle, original source,
 *    originator, ingest time, data mode, content and payload hashes).
 * v13 0013_cases: case files for consultation: cases (who opened what, from which event), case_versions
 *    (one row per change: the whole content as JSON with its SHA-256, the state, the marking),
 *    case_notes, case_attachments (content, SHA-256, media type) and case_assessments (one
 *    organisation's ICD 203 judgement); every table carries the marking columns mk_classification,
 *    mk_release, mk_originator, mk_data_mode. Triggers refuse UPDATE and DELETE on all five: a case
 *    changes by a new version, never in place.
 * v14 0014_case_exchange: cases between nodes: case_replicas (each received version of a partner
 *    node's signed case export), case_replica_responses (this node's responses on a replica, to be
 *    sent to the owner node), case_exchange_sent (which case versions and responses went into which
 *    bundle for a partner), case_exchange_applied (partner responses applied by the owner node).
 *    Replicas and responses are marked and immutable (triggers refuse UPDATE and DELETE).
 * v15 0015_exchange_conjunctions: a second outgoing cursor per partner for CDM items.
 * v16 0016_orbit_determinations: orbits determined from observations (state, 6×6 covariance,
 *    estimated parameters, residual statistics, input files, the `hoshimi-od` element set), marked.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

// Migrations must not depend on the current row types: they see the database of their time.
// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its own version
type AnyDb = Kysely<any>;

/**
 * Whether the migration runs on PostgreSQL (else SQLite). Kysely's schema builder covers nearly
 * everything; the few places that differ (numbered primary keys, binary columns, triggers) ask this.
 * The adapter is reached through the executor (Kysely marks it internal; the version is pinned).
 */
function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * An integer primary key the database numbers: SQLite's `AUTOINCREMENT` (ids never reused), a
 * PostgreSQL identity column (a sequence, never reused either; 32-bit like SQLite's `integer` here
 * is not, which still leaves 2.1 billion rows per table).
 */
function autoId(db: AnyDb): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return isPostgres(db)
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/**
 * Triggers that refuse UPDATE and DELETE on `table` with `message`. SQLite: a `RAISE(ABORT)`
 * trigger per operation (the text these migrations always wrote). PostgreSQL: row triggers calling
 * one function that raises the message given as its argument, and a TRUNCATE trigger as well.
 */
async function refuseChanges(db: AnyDb, table: string, message: (op: string) => string): Promise<void> {
  if (isPostgres(db)) {
    await sql`CREATE OR REPLACE FUNCTION hoshimi_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`.execute(db);
    for (const op of ['UPDATE', 'DELETE', 'TRUNCATE']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.raw(table)}
        FOR EACH ${sql.raw(op === 'TRUNCATE' ? 'STATEMENT' : 'ROW')}
        EXECUTE FUNCTION hoshimi_refuse_change(${sql.lit(message(op))})`.execute(db);
    }
    return;
  }
  for (const op of ['UPDATE', 'DELETE']) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.raw(table)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(message(op))}); END`.execute(db);
  }
}

const initial: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('objects')
      .addColumn('catalog_number', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('intl_designator', 'text')
      .addColumn('object_type', 'text', (c) => c.notNull().defaultTo('UNKNOWN'))
      .addColumn('launch_date', 'text')
      .addColumn('decay_date', 'text')
      .execute();

    await db.schema
      .createTable('ingests')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('format', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('read_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('inserted_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duplicate_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('new_object_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('ingests_sha256').on('ingests').column('sha256').execute();

    await db.schema
      .createTable('element_sets')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('catalog_number', 'text', (c) => c.notNull().references('objects.catalog_number'))
      .addColumn('epoch_jd', 'double precision', (c) => c.notNull())
      .addColumn('epoch_jd_frac', 'double precision', (c) => c.notNull())
      .addColumn('epoch_key', 'bigint', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('intl_designator', 'text')
      .addColumn('classification', 'text', (c) => c.notNull())
      .addColumn('mean_motion_rad_per_min', 'double precision', (c) => c.notNull())
      .addColumn('eccentricity', 'double precision', (c) => c.notNull())
      .addColumn('inclination_rad', 'double precision', (c) => c.notNull())
      .addColumn('raan_rad', 'double precision', (c) => c.notNull())
      .addColumn('arg_perigee_rad', 'double precision', (c) => c.notNull())
      .addColumn('mean_anomaly_rad', 'double precision', (c) => c.notNull())
      .addColumn('bstar', 'double precision', (c) => c.notNull())
      .addColumn('mean_motion_dot', 'double precision', (c) => c.notNull())
      .addColumn('mean_motion_ddot', 'double precision', (c) => c.notNull())
      .addColumn('ephemeris_type', 'integer', (c) => c.notNull())
      .addColumn('element_set_number', 'integer', (c) => c.notNull())
      .addColumn('revolution_number', 'integer', (c) => c.notNull())
      .addColumn('bterm', 'double precision')
      .addColumn('agom', 'double precision')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_priority', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('ingest_id', 'integer', (c) => c.notNull().references('ingests.id'))
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addUniqueConstraint('element_sets_unique_content', [
        'catalog_number',
        'epoch_key',
        'source',
        'content_hash',
      ])
      .execute();
    // The "as of" index: per object by epoch, then the documented tie-break order (source priority,
    // ingest, insertion), so the latest set at or before t is the last entry of an index range.
    await db.schema
      .createIndex('element_sets_as_of')
      .on('element_sets')
      .columns(['catalog_number', 'epoch_key', 'source_priority', 'ingest_id', 'id'])
      .execute();
    await db.schema.createIndex('element_sets_ingest').on('element_sets').column('ingest_id').execute();

    await db.schema
      .createTable('ingest_rejections')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('ingest_id', 'integer', (c) => c.notNull().references('ingests.id'))
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('file', 'text')
      .addColumn('line', 'integer')
      .addColumn('column', 'integer')
      .addColumn('key', 'text')
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('expected', 'text')
      .addColumn('found', 'text')
      .execute();
    await db.schema
      .createIndex('ingest_rejections_ingest')
      .on('ingest_rejections')
      .column('ingest_id')
      .execute();
  },
};

const objectProvenance: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .alterTable('objects')
      .addColumn('type_source', 'text', (c) => c.notNull().defaultTo('name'))
      .execute();
    await db.schema.alterTable('objects').addColumn('name_epoch_key', 'bigint').execute();
    // Back-fill: the name an object carries came from its newest named element set.
    await db
      .updateTable('objects')
      .set((eb) => ({
        name_epoch_key: eb
          .selectFrom('element_sets')
          .select((s) => s.fn.max('element_sets.epoch_key').as('k'))
          .whereRef('element_sets.catalog_number', '=', 'objects.catalog_number')
          .where('element_sets.name', 'is not', null),
      }))
      .execute();
    // An expression index (SQLite ≥ 3.9 and PostgreSQL both have them).
    await db.schema
      .createIndex('objects_catalog_order')
      .on('objects')
      .expression(sql`length(catalog_number), catalog_number`)
      .execute();
  },
};

const screenings: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('screenings')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_stop', 'text', (c) => c.notNull())
      .addColumn('threshold_km', 'double precision', (c) => c.notNull())
      .addColumn('primaries', 'text')
      .addColumn('catalog_as_of', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('object_count', 'integer', (c) => c.notNull())
      .addColumn('conjunction_count', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('conjunctions')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('screening_id', 'integer', (c) => c.notNull().references('screenings.id'))
      .addColumn('id1', 'text', (c) => c.notNull())
      .addColumn('id2', 'text', (c) => c.notNull())
      .addColumn('tca_utc', 'text', (c) => c.notNull())
      .addColumn('miss_km', 'double precision', (c) => c.notNull())
      .addColumn('rel_speed_km_s', 'double precision', (c) => c.notNull())
      .addColumn('r_km', 'double precision', (c) => c.notNull())
      .addColumn('i_km', 'double precision', (c) => c.notNull())
      .addColumn('c_km', 'double precision', (c) => c.notNull())
      .addColumn('pc', 'double precision')
      .addColumn('pc_method', 'text', (c) => c.notNull())
      .addColumn('hbr_m', 'double precision', (c) => c.notNull())
      .addColumn('covariance_source', 'text', (c) => c.notNull())
      .addColumn('confidence', 'text', (c) => c.notNull())
      .addColumn('age1_days', 'double precision', (c) => c.notNull())
      .addColumn('age2_days', 'double precision', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('conjunctions_screening').on('conjunctions').column('screening_id').execute();
    await db.schema.createIndex('conjunctions_objects').on('conjunctions').columns(['id1', 'id2']).execute();
  },
};

const satcatMetadata: Migration = {
  async up(db: AnyDb): Promise<void> {
    for (const [name, type] of [
      ['owner_code', 'text'],
      ['owner_name', 'text'],
      ['launch_site_code', 'text'],
      ['launch_site_name', 'text'],
      ['rcs_size', 'text'],
      ['rcs_m2', 'double precision'],
      ['satcat_source', 'text'],
      ['satcat_ingest_id', 'integer'],
    ] as const) {
      await db.schema.alterTable('objects').addColumn(name, type).execute();
    }
    await db.schema.createIndex('objects_owner').on('objects').column('owner_code').execute();
    await db.schema.createIndex('objects_type').on('objects').column('object_type').execute();
  },
};

const screeningDataQuality: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema.alterTable('screenings').addColumn('data_quality', 'text').execute();
  },
};

const events: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('events')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('event_key', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('objects', 'text', (c) => c.notNull())
      .addColumn('time_key', 'bigint', (c) => c.notNull())
      .addColumn('window_start_key', 'bigint', (c) => c.notNull())
      .addColumn('window_end_key', 'bigint', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('threshold', 'double precision', (c) => c.notNull())
      .addColumn('detector', 'text', (c) => c.notNull())
      .addColumn('detector_version', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_time').on('events').columns(['time_key', 'id']).execute();
    await db.schema
      .createIndex('events_window')
      .on('events')
      .columns(['window_start_key', 'window_end_key'])
      .execute();
    await db.schema.createIndex('events_type').on('events').columns(['type', 'time_key']).execute();
    await db.schema.createIndex('events_detector').on('events').columns(['detector', 'time_key']).execute();
    await db.schema
      .createTable('event_objects')
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('catalog_number', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('event_objects_pk', ['event_id', 'position'])
      .execute();
    await db.schema
      .createIndex('event_objects_object')
      .on('event_objects')
      .columns(['catalog_number', 'event_id'])
      .execute();
  },
};

const jobs: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('progress_fraction', 'double precision')
      .addColumn('progress_message', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('result', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .execute();
    await db.schema.createIndex('jobs_created').on('jobs').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('jobs_state').on('jobs').column('state').execute();
  },
};

const watchLists: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('watch_lists')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('assets', 'text', (c) => c.notNull())
      .addColumn('every_hours', 'double precision')
      .addColumn('days', 'double precision')
      .addColumn('max_miss_km', 'double precision', (c) => c.notNull())
      .addColumn('min_pc', 'double precision')
      .addColumn('webhook_url', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_run_at', 'text')
      .execute();
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('watch_list_id', 'integer', (c) => c.notNull().references('watch_lists.id'))
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('other_id', 'text', (c) => c.notNull())
      .addColumn('tca_utc', 'text', (c) => c.notNull())
      .addColumn('miss_km', 'double precision', (c) => c.notNull())
      .addColumn('pc', 'double precision')
      .addColumn('screening_id', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledgement_note', 'text')
      .execute();
    await db.schema
      .createIndex('alerts_list')
      .on('alerts')
      .columns(['watch_list_id', 'updated_at'])
      .execute();
    await db.schema.createIndex('alerts_pair').on('alerts').columns(['asset_id', 'other_id']).execute();
    await db.schema
      .createTable('alert_history')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('screening_id', 'integer')
      .addColumn('tca_utc', 'text')
      .addColumn('miss_km', 'double precision')
      .addColumn('pc', 'double precision')
      .addColumn('by', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createIndex('alert_history_alert')
      .on('alert_history')
      .columns(['alert_id', 'id'])
      .execute();
  },
};

/** The SHA-256 chain's value before the first record: 64 hex zeros. */
const AUDIT_GENESIS = '0'.repeat(64);

const audit: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_username', 'text')
      .addColumn('actor_organisation', 'text')
      .addColumn('actor_via', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await refuseChanges(db, 'audit_log', (op) => `audit_log is append-only: ${op} refused`);
    if (isPostgres(db)) {
      await sql`CREATE FUNCTION audit_log_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
            OR NEW.prev_hash IS DISTINCT FROM COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${sql.lit(AUDIT_GENESIS)}) THEN
            RAISE EXCEPTION 'audit_log: a record must extend the head of the chain' USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN NEW;
        END $$`.execute(db);
      await sql`CREATE TRIGGER audit_log_extends_head BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_extends_head()`.execute(db);
      return;
    }
    await sql`CREATE TRIGGER audit_log_extends_head BEFORE INSERT ON audit_log
      WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
        OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${sql.lit(AUDIT_GENESIS)})
      BEGIN SELECT RAISE(ABORT, 'audit_log: a record must extend the head of the chain'); END`.execute(db);
  },
};

/** Tables that v9 marks (marking-sql.ts MARKED_TABLES; repeated here: a migration is frozen). */
const V9_MARKED_TABLES = [
  'element_sets',
  'ingests',
  'events',
  'screenings',
  'conjunctions',
  'jobs',
  'watch_lists',
  'alerts',
] as const;

/**
 * v9: a marking on every record (marking-sql.ts): four columns on each marked table, existing rows
 * UNCLASSIFIED, releasable to ALL, originated by the home organisation 'LOCAL', REAL; and a
 * settings table (key, value) with the classification levels (JSON) and the home organisation.
 */
const markings: Migration = {
  async up(db: AnyDb): Promise<void> {
    for (const t of V9_MARKED_TABLES) {
      await db.schema
        .alterTable(t)
        .addColumn('mk_classification', 'text', (c) => c.notNull().defaultTo('UNCLASSIFIED'))
        .execute();
      await db.schema
        .alterTable(t)
        .addColumn('mk_release', 'text', (c) => c.notNull().defaultTo('ALL'))
        .execute();
      await db.schema
        .alterTable(t)
        .addColumn('mk_originator', 'text', (c) => c.notNull().defaultTo('LOCAL'))
        .execute();
      await db.schema
        .alterTable(t)
        .addColumn('mk_data_mode', 'text', (c) => c.notNull().defaultTo('REAL'))
        .execute();
    }
    // The as-of index again, now covering the marking columns too: a view's as-of rule (latest set
    // the reader may see) is then answered from the index alone, as the unrestricted one is.
    await db.schema.dropIndex('element_sets_as_of').execute();
    await db.schema
      .createIndex('element_sets_as_of_marked')
      .on('element_sets')
      .columns([
        'catalog_number',
        'epoch_key',
        'source_priority',
        'ingest_id',
        'id',
        'mk_classification',
        'mk_release',
        'mk_originator',
      ])
      .execute();
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db
      .insertInto('settings')
      .values([
        { key: 'classification_levels', value: '["UNCLASSIFIED","RESTRICTED","CONFIDENTIAL","SECRET"]' },
        { key: 'home_organisation', value: 'LOCAL' },
      ])
      .execute();
  },
};

const identity: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('organisations')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('nation', 'text', (c) => c.notNull())
      .addColumn('max_clearance', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('organisation', 'text', (c) => c.notNull().references('organisations.code'))
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('clearance', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').execute();
  },
};

/** v12: the node exchange (see the module header and sqlite-exchange.ts). */
const exchange: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('exchange_node')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('exchange_partners')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('nation', 'text', (c) => c.notNull())
      .addColumn('max_classification', 'text', (c) => c.notNull())
      .addColumn('public_keys', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('tls_ca', 'text')
      .addColumn('tls_fingerprint', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('out_built_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('out_built_hash', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('out_set_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('out_acked_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('in_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('in_hash', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .createTable('exchange_outbox')
      .addColumn('partner', 'text', (c) => c.notNull().references('exchange_partners.name'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('previous_hash', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      .addColumn('last_set_id', 'integer', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addPrimaryKeyConstraint('exchange_outbox_pk', ['partner', 'seq'])
      .execute();
    await db.schema
      .createTable('exchange_received')
      .addColumn('partner', 'text', (c) => c.notNull().references('exchange_partners.name'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      .addColumn('inserted_count', 'integer', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exchange_received_pk', ['partner', 'seq'])
      .execute();
    await db.schema
      .createTable('exchange_provenance')
      .addColumn('element_set_id', 'integer', (c) => c.primaryKey().references('element_sets.id'))
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('bundle_seq', 'integer', (c) => c.notNull())
      .addColumn('original_source', 'text', (c) => c.notNull())
      .addColumn('originator', 'text', (c) => c.notNull())
      .addColumn('data_mode', 'text', (c) => c.notNull())
      .addColumn('original_ingested_at', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('payload_sha256', 'text', (c) => c.notNull())
      .execute();
  },
};

const CASE_TABLES = ['cases', 'case_versions', 'case_notes', 'case_attachments', 'case_assessments'] as const;

const cases: Migration = {
  async up(db: AnyDb): Promise<void> {
    const marked = (name: string) =>
      db.schema
        .createTable(name)
        .addColumn('mk_classification', 'text', (c) => c.notNull())
        .addColumn('mk_release', 'text', (c) => c.notNull())
        .addColumn('mk_originator', 'text', (c) => c.notNull())
        .addColumn('mk_data_mode', 'text', (c) => c.notNull());
    await marked('cases')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('owner_org', 'text', (c) => c.notNull())
      .addColumn('owner_nation', 'text', (c) => c.notNull())
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text')
      .addColumn('source_type', 'text', (c) => c.notNull())
      .execute();
    await marked('case_versions')
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_org', 'text', (c) => c.notNull())
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('content_sha256', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_versions_pk', ['case_id', 'version'])
      .execute();
    await marked('case_notes')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await marked('case_attachments')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('content', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await marked('case_assessments')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('entry_id', 'integer', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('likelihood', 'text', (c) => c.notNull())
      .addColumn('confidence', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    for (const t of ['case_notes', 'case_attachments', 'case_assessments'])
      await db.schema.createIndex(`${t}_case`).on(t).columns(['case_id', 'version']).execute();
    // Immutability below the application: no row of a case table is ever updated or deleted.
    for (const t of CASE_TABLES)
      await refuseChanges(db, t, () => `${t} rows are immutable: a case changes by a new version`);
  },
};

const CASE_EXCHANGE_IMMUTABLE = ['case_replicas', 'case_replica_responses'] as const;

const caseExchange: Migration = {
  async up(db: AnyDb): Promise<void> {
    const marked = (name: string) =>
      db.schema
        .createTable(name)
        .addColumn('mk_classification', 'text', (c) => c.notNull())
        .addColumn('mk_release', 'text', (c) => c.notNull())
        .addColumn('mk_originator', 'text', (c) => c.notNull())
        .addColumn('mk_data_mode', 'text', (c) => c.notNull());
    await marked('case_replicas')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('owner_case_id', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('bundle', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('case_replicas_version', ['partner', 'owner_case_id', 'version'])
      .execute();
    await marked('case_replica_responses')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('owner_case_id', 'integer', (c) => c.notNull())
      .addColumn('based_on_version', 'integer', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('assessment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('case_exchange_sent')
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('bundle_seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_exchange_sent_pk', ['partner', 'ref'])
      .execute();
    await db.schema
      .createTable('case_exchange_applied')
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('response_id', 'integer', (c) => c.notNull())
      .addColumn('case_id', 'integer', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_exchange_applied_pk', ['partner', 'response_id'])
      .execute();
    for (const t of CASE_EXCHANGE_IMMUTABLE) await refuseChanges(db, t, () => `${t} rows are immutable`);
  },
};

/**
 * v15: the node exchange also carries conjunctions (CDM items): a second outgoing cursor per
 * partner, the highest conjunction id already considered for it.
 */
const exchangeConjunctions: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .alterTable('exchange_partners')
      .addColumn('out_conjunction_id', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};

/**
 * v16: orbits determined from observations: the state and its covariance at the epoch, the fit's
 * parameters and statistics, the input files, the element set stored from the fit.
 */
const orbitDeterminations: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('orbit_determinations')
      .addColumn('id', 'integer', autoId(db))
      .addColumn('catalog_number', 'text')
      .addColumn('epoch_key', 'bigint', (c) => c.notNull())
      .addColumn('epoch_utc', 'text', (c) => c.notNull())
      .addColumn('frame', 'text', (c) => c.notNull())
      .addColumn('px_km', 'double precision', (c) => c.notNull())
      .addColumn('py_km', 'double precision', (c) => c.notNull())
      .addColumn('pz_km', 'double precision', (c) => c.notNull())
      .addColumn('vx_km_s', 'double precision', (c) => c.notNull())
      .addColumn('vy_km_s', 'double precision', (c) => c.notNull())
      .addColumn('vz_km_s', 'double precision', (c) => c.notNull())
      .addColumn('covariance', 'text', (c) => c.notNull())
      .addColumn('parameters', 'text', (c) => c.notNull())
      .addColumn('propagator', 'text', (c) => c.notNull())
      .addColumn('iterations', 'integer', (c) => c.notNull())
      .addColumn('measurements', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .addColumn('rms', 'text', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('element_set_id', 'integer', (c) => c.references('element_sets.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('mk_classification', 'text', (c) => c.notNull())
      .addColumn('mk_release', 'text', (c) => c.notNull())
      .addColumn('mk_originator', 'text', (c) => c.notNull())
      .addColumn('mk_data_mode', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('orbit_determinations_object')
      .on('orbit_determinations')
      .columns(['catalog_number', 'epoch_key'])
      .execute();
  },
};

/** Every migration of this code version, in order. */
export const CATALOG_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_object_provenance': objectProvenance,
  '0003_screenings': screenings,
  '0004_satcat_metadata': satcatMetadata,
  '0005_screening_data_quality': screeningDataQuality,
  '0006_events': events,
  '0007_jobs': jobs,
  '0008_watch_lists': watchLists,
  '0009_markings': markings,
  '0010_identity': identity,
  '0011_audit': audit,
  '0012_exchange': exchange,
  '0013_cases': cases,
  '0014_case_exchange': caseExchange,
  '0015_exchange_conjunctions': exchangeConjunctions,
  '0016_orbit_determinations': orbitDeterminations,
};

/** Names of the migrations in order. */
export const CATALOG_MIGRATION_NAMES: readonly string[] = Object.keys(CATALOG_MIGRATIONS).sort();

/** Schema version named by a migration name (`0002_x` → 2); NaN when the name has no number. */
export function schemaVersionOfMigration(name: string): number {
  const m = /^(\d+)_/.exec(name);
  return m === null ? Number.NaN : Number(m[1]);
}

/**
 * Schema version this code writes and reads: the number of its last migration (the count of
 * migrations when the numbers have no gap, as on a released branch).
 */
export const CATALOG_SCHEMA_VERSION = schemaVersionOfMigration(
  CATALOG_MIGRATION_NAMES[CATALOG_MIGRATION_NAMES.length - 1] ?? '0000_none',
);
