/**
 * Row types of the catalog database as Kysely sees them (the latest schema version). Column units:
 * angles rad, mean motion rad/min, epochs as a two-part UTC Julian date plus an integer epoch key
 * (epoch-key.ts), times of day as ISO UTC text.
 */
import type { Generated } from 'kysely';

export interface ObjectsTable {
  /** Decimal string without leading zeros, up to 9 digits. */
  catalog_number: string;
  name: string | null;
  intl_designator: string | null;
  /** One of OBJECT_TYPES. */
  object_type: string;
  launch_date: string | null;
  decay_date: string | null;
  /** v2: 'name' (derived from the name) or 'satcat' (from upsertObjects, which wins). */
  type_source: string;
  /** v2: epoch key of the element set whose name the object carries (the newest named set wins). */
  name_epoch_key: number | null;
  /** v4: SATCAT owner code as the source wrote it (JPN, US, ISS, …) and its name from the code table. */
  owner_code: string | null;
  owner_name: string | null;
  /** v4: SATCAT launch-site code as the source wrote it, and its name from the code table. */
  launch_site_code: string | null;
  launch_site_name: string | null;
  /** v4: SMALL, MEDIUM or LARGE (Space-Track's radar cross-section classes). */
  rcs_size: string | null;
  /** v4: radar cross-section, m² (CelesTrak only). */
  rcs_m2: number | null;
  /** v4: source of the SATCAT values ('spacetrack', 'celestrak', a --source name) and their import. */
  satcat_source: string | null;
  satcat_ingest_id: number | null;
}

export interface ElementSetsTable extends MarkingColumns {
  id: Generated<number>;
  catalog_number: string;
  epoch_jd: number;
  epoch_jd_frac: number;
  epoch_key: number;
  name: string | null;
  intl_designator: string | null;
  classification: string;
  mean_motion_rad_per_min: number;
  eccentricity: number;
  inclination_rad: number;
  raan_rad: number;
  arg_perigee_rad: number;
  mean_anomaly_rad: number;
  bstar: number;
  mean_motion_dot: number;
  mean_motion_ddot: number;
  ephemeris_type: number;
  element_set_number: number;
  revolution_number: number;
  bterm: number | null;
  agom: number | null;
  source: string;
  /** 2 spacetrack, 1 celestrak, 0 anything else: the first tie-break at equal epochs (higher wins). */
  source_priority: number;
  label: string;
  format: string;
  ingest_id: number;
  /** Hash of the orbital content (element-hash.ts). */
  content_hash: string;
}

export interface IngestsTable extends MarkingColumns {
  id: Generated<number>;
  name: string;
  sha256: string;
  source: string;
  label: string;
  format: string | null;
  started_at: string;
  finished_at: string | null;
  status: string;
  read_count: number;
  inserted_count: number;
  duplicate_count: number;
  new_object_count: number;
  rejected_count: number;
}

export interface IngestRejectionsTable {
  id: Generated<number>;
  ingest_id: number;
  /** 'rejected' (a record that was not stored) or 'warning' (stored, with a remark). */
  severity: string;
  file: string | null;
  line: number | null;
  column: number | null;
  key: string | null;
  code: string;
  message: string;
  expected: string | null;
  found: string | null;
}

/** v9: the four marking columns of every marked table (marking-sql.ts). */
export interface MarkingColumns {
  /** A level of the store's classification scheme. */
  mk_classification: string;
  /** 'ALL', or the sorted nation trigraphs between commas (',JPN,USA,'; ',,' for none). */
  mk_release: string;
  /** Code of the originating organisation. */
  mk_originator: string;
  /** REAL, TEST, SIMULATED or EXERCISE. */
  mk_data_mode: string;
}

/** v9: store settings (classification_levels as JSON, home_organisation). */
export interface SettingsTable {
  key: string;
  value: string;
}

export interface CatalogDatabase {
  settings: SettingsTable;
  objects: ObjectsTable;
  element_sets: ElementSetsTable;
  ingests: IngestsTable;
  ingest_rejections: IngestRejectionsTable;
  screenings: ScreeningsTable;
  conjunctions: ConjunctionsTable;
  events: EventsTable;
  event_objects: EventObjectsTable;
  jobs: JobsTable;
  watch_lists: WatchListsTable;
  alerts: AlertsTable;
  alert_history: AlertHistoryTable;
  orbit_determinations: OrbitDeterminationsTable;
}

/** v16: an orbit determined from observations (orbit-determination-store.ts). */
export interface OrbitDeterminationsTable extends MarkingColumns {
  id: Generated<number>;
  catalog_number: string | null;
  epoch_key: number;
  epoch_utc: string;
  frame: string;
  px_km: number;
  py_km: number;
  pz_km: number;
  vx_km_s: number;
  vy_km_s: number;
  vz_km_s: number;
  /** 36 numbers, JSON. */
  covariance: string;
  parameters: string;
  propagator: string;
  iterations: number;
  measurements: number;
  rejected: number;
  rms: string;
  inputs: string;
  element_set_id: number | null;
  created_at: string;
}

/** v7: one background job (the server's runner writes it). Times ISO UTC; params/result JSON text. */
export interface JobsTable extends MarkingColumns {
  id: string;
  kind: string;
  params: string;
  state: string;
  progress_fraction: number | null;
  progress_message: string;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
}

/** v8: a watch list; assets as JSON text (an array of catalog numbers); enabled 0/1. */
export interface WatchListsTable extends MarkingColumns {
  id: Generated<number>;
  name: string;
  assets: string;
  every_hours: number | null;
  days: number | null;
  max_miss_km: number;
  min_pc: number | null;
  webhook_url: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
  last_run_at: string | null;
}

/** v8: one alert, its latest values and acknowledgement. */
export interface AlertsTable extends MarkingColumns {
  id: Generated<number>;
  watch_list_id: number;
  asset_id: string;
  other_id: string;
  tca_utc: string;
  miss_km: number;
  pc: number | null;
  screening_id: number;
  state: string;
  created_at: string;
  updated_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  acknowledgement_note: string | null;
}

/** v8: every change of an alert ('new', 'changed', 'acknowledged'). */
export interface AlertHistoryTable {
  id: Generated<number>;
  alert_id: number;
  at: string;
  change: string;
  screening_id: number | null;
  tca_utc: string | null;
  miss_km: number | null;
  pc: number | null;
  by: string | null;
  note: string | null;
}

/** v6: one detection event (astro's DetectionEvent), unique by its identity key. */
export interface EventsTable extends MarkingColumns {
  id: Generated<number>;
  /** detectionEventKey of the normalised record. */
  event_key: string;
  type: string;
  kind: string;
  /** The catalog numbers in order, joined by '+' (event_objects holds them one per row). */
  objects: string;
  /** Best-estimate time and window, epoch keys (microseconds, epoch-key.ts). */
  time_key: number;
  window_start_key: number;
  window_end_key: number;
  score: number;
  threshold: number;
  detector: string;
  detector_version: string;
  /** JSON text of the evidence and inputs objects. */
  evidence: string;
  inputs: string;
  /** Releasability label, as element sets carry it. */
  label: string;
  /** ISO UTC: first stored, and last stored again (a re-run of the detector). */
  created_at: string;
  updated_at: string;
}

/** v6: the objects of an event, one row each, in the record's order. */
export interface EventObjectsTable {
  event_id: number;
  position: number;
  catalog_number: string;
}

/** v3: one screening run. */
export interface ScreeningsTable extends MarkingColumns {
  id: Generated<number>;
  started_at: string;
  finished_at: string;
  window_start: string;
  window_stop: string;
  threshold_km: number;
  /** Comma-separated catalog numbers, or null for all-vs-all. */
  primaries: string | null;
  catalog_as_of: string | null;
  source: string;
  object_count: number;
  conjunction_count: number;
  /** v5: JSON text of ScreeningRun.dataQuality (null before v5 or when not given). */
  data_quality: string | null;
}

/** v3: one conjunction event of a screening. */
export interface ConjunctionsTable extends MarkingColumns {
  id: Generated<number>;
  screening_id: number;
  id1: string;
  id2: string;
  tca_utc: string;
  miss_km: number;
  rel_speed_km_s: number;
  r_km: number;
  i_km: number;
  c_km: number;
  pc: number | null;
  pc_method: string;
  hbr_m: number;
  covariance_source: string;
  confidence: string;
  age1_days: number;
  age2_days: number;
}
