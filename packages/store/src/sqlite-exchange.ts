/**
 * The node exchange in the SQLite catalog database (schema v12 `0012_exchange`; the interface and
 * its rules are in exchange-store.ts). Like the bulk import (sqlite-import.ts), it writes through
 * better-sqlite3 prepared statements inside one synchronous transaction: a received bundle is
 * checked against the stream's state and stored whole (ingests, element sets, provenance, the
 * stream's new state) or not at all, and nothing can interleave with it.
 *
 * Where a received set's marking goes: its banner becomes the label of the ingest that stores it
 * (one ingest per bundle and banner, source `partner:NAME`); the originator and the data mode go to
 * exchange_provenance. Reading a marking back is the server's `markingOfElementSet` alone.
 *
 * (v15) Conjunctions: a second outgoing cursor per partner (`out_conjunction_id`), advanced with the
 * bundle that carries them; a received bundle's conjunctions (read from CDMs by the server) become
 * one screening with source `partner:NAME bundle N`, each conjunction under the marking the sender
 * stated, written in the same transaction as the bundle's element sets.
 */
import {
  type ClassificationScheme,
  combineMarkings,
  type ElementFormat,
  type ElementSet,
  formatMarking,
  type Marking,
  parseMarking,
} from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import { conjunctionRowValues, INSERT_CONJUNCTION_SQL } from './conjunction-row.js';
import { isoFromEpochKey } from './epoch-key.js';
import { StoreError } from './errors.js';
import type {
  ApplyBundleResult,
  ConjunctionCandidate,
  ExchangeCandidate,
  ExchangeNodeInfo,
  ExchangePartner,
  ExchangePartnerInput,
  ExchangeStore,
  IncomingBundle,
  IncomingConjunction,
  OutboxEntry,
  ReceivedProvenance,
} from './exchange-store.js';
import { checkedMarking, markingColumns, markingFromColumns, readMarkingSettings } from './marking-sql.js';
import { sgp4AtEpochIssue, writeElementSet } from './sqlite-import.js';

interface PartnerRow {
  name: string;
  nation: string;
  max_classification: string;
  public_keys: string;
  url: string | null;
  tls_ca: string | null;
  tls_fingerprint: string | null;
  created_at: string;
  updated_at: string;
  out_built_seq: number;
  out_built_hash: string;
  out_set_id: number;
  out_acked_seq: number;
  out_conjunction_id: number;
  in_seq: number;
  in_hash: string;
}

interface CandidateRow {
  id: number;
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
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
  format: string;
  content_hash: string;
  label: string;
  started_at: string;
  p_partner: string | null;
  p_bundle_seq: number | null;
  p_original_source: string | null;
  p_originator: string | null;
  p_data_mode: string | null;
  p_original_ingested_at: string | null;
  p_content_hash: string | null;
  p_payload_sha256: string | null;
}

interface ConjunctionRow {
  id: number;
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
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
  s_source: string;
  s_window_start: string;
  s_window_stop: string;
  s_threshold_km: number;
  s_catalog_as_of: string | null;
  s_finished_at: string;
}

interface OutboxRow {
  seq: number;
  hash: string;
  previous_hash: string;
  item_count: number;
  last_set_id: number;
  body: string | null;
  created_at: string;
  acknowledged_at: string | null;
}

function partnerFromRow(r: PartnerRow): ExchangePartner {
  return {
    name: r.name,
    nation: r.nation,
    maxClassification: r.max_classification,
    publicKeys: JSON.parse(r.public_keys) as string[],
    url: r.url,
    tlsCa: r.tls_ca,
    tlsFingerprint: r.tls_fingerprint,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    outgoing: {
      builtSeq: r.out_built_seq,
      builtHash: r.out_built_hash,
      setId: r.out_set_id,
      ackedSeq: r.out_acked_seq,
      conjunctionId: r.out_conjunction_id,
    },
    incoming: { seq: r.in_seq, hash: r.in_hash },
  };
}

function provenanceFromRow(r: CandidateRow): ReceivedProvenance | null {
  if (r.p_partner === null) return null;
  return {
    partner: r.p_partner,
    bundleSeq: r.p_bundle_seq ?? 0,
    originalSource: r.p_original_source ?? '',
    originator: r.p_originator ?? '',
    dataMode: r.p_data_mode ?? 'REAL',
    originalIngestedAt: r.p_original_ingested_at ?? '',
    contentHash: r.p_content_hash ?? '',
    payloadSha256: r.p_payload_sha256 ?? '',
  };
}

function elementsFromRow(r: CandidateRow): ElementSet {
  const es: { -readonly [K in keyof ElementSet]: ElementSet[K] } = {
    catalogNumber: r.catalog_number,
    classification: r.classification,
    epoch: { jd: r.epoch_jd, jdFrac: r.epoch_jd_frac },
    meanMotionRadPerMin: r.mean_motion_rad_per_min,
    eccentricity: r.eccentricity,
    inclinationRad: r.inclination_rad,
    raanRad: r.raan_rad,
    argPerigeeRad: r.arg_perigee_rad,
    meanAnomalyRad: r.mean_anomaly_rad,
    bstar: r.bstar,
    meanMotionDotRevPerDay2: r.mean_motion_dot,
    meanMotionDdotRevPerDay3: r.mean_motion_ddot,
    ephemerisType: r.ephemeris_type,
    elementSetNumber: r.element_set_number,
    revolutionNumber: r.revolution_number,
  };
  if (r.name !== null) es.name = r.name;
  if (r.intl_designator !== null) es.intlDesignator = r.intl_designator;
  if (r.bterm !== null) es.bterm = r.bterm;
  if (r.agom !== null) es.agom = r.agom;
  return es;
}

function prepare(db: Database.Database) {
  return {
    getNode: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM exchange_node'),
    setNode: db.prepare(
      'INSERT INTO exchange_node (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    getPartner: db.prepare<[string], PartnerRow>('SELECT * FROM exchange_partners WHERE name = ?'),
    listPartners: db.prepare<[], PartnerRow>('SELECT * FROM exchange_partners ORDER BY name'),
    upsertPartner: db.prepare(
      `INSERT INTO exchange_partners (name, nation, max_classification, public_keys, url, tls_ca,
         tls_fingerprint, created_at, updated_at) VALUES (@name, @nation, @max, @keys, @url, @ca, @fp, @now, @now)
       ON CONFLICT(name) DO UPDATE SET nation = excluded.nation,
         max_classification = excluded.max_classification, public_keys = excluded.public_keys,
         url = excluded.url, tls_ca = excluded.tls_ca, tls_fingerprint = excluded.tls_fingerprint,
         updated_at = excluded.updated_at`,
    ),
    candidates: db.prepare<[number, number], CandidateRow>(
      `SELECT e.id, e.catalog_number, e.epoch_jd, e.epoch_jd_frac, e.epoch_key, e.name, e.intl_designator,
         e.classification, e.mean_motion_rad_per_min, e.eccentricity, e.inclination_rad, e.raan_rad,
         e.arg_perigee_rad, e.mean_anomaly_rad, e.bstar, e.mean_motion_dot, e.mean_motion_ddot,
         e.ephemeris_type, e.element_set_number, e.revolution_number, e.bterm, e.agom, e.source, e.format,
         e.content_hash, g.label, g.started_at,
         e.mk_classification, e.mk_release, e.mk_originator, e.mk_data_mode,
         p.partner AS p_partner, p.bundle_seq AS p_bundle_seq, p.original_source AS p_original_source,
         p.originator AS p_originator, p.data_mode AS p_data_mode,
         p.original_ingested_at AS p_original_ingested_at, p.content_hash AS p_content_hash,
         p.payload_sha256 AS p_payload_sha256
       FROM element_sets e JOIN ingests g ON g.id = e.ingest_id
       LEFT JOIN exchange_provenance p ON p.element_set_id = e.id
       WHERE e.id > ? AND g.status <> 'failed' ORDER BY e.id LIMIT ?`,
    ),
    insertOutbox: db.prepare(
      `INSERT INTO exchange_outbox (partner, seq, hash, previous_hash, item_count, last_set_id, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    advanceBuilt: db.prepare(
      'UPDATE exchange_partners SET out_built_seq = ?, out_built_hash = ?, out_set_id = ? WHERE name = ?',
    ),
    advanceScan: db.prepare('UPDATE exchange_partners SET out_set_id = ? WHERE name = ? AND out_set_id = ?'),
    advanceConjunctions: db.prepare(
      'UPDATE exchange_partners SET out_conjunction_id = ? WHERE name = ? AND out_conjunction_id = ?',
    ),
    conjunctionCandidates: db.prepare<[number, number], ConjunctionRow>(
      `SELECT c.*, s.source AS s_source, s.window_start AS s_window_start, s.window_stop AS s_window_stop,
         s.threshold_km AS s_threshold_km, s.catalog_as_of AS s_catalog_as_of, s.finished_at AS s_finished_at
       FROM conjunctions c JOIN screenings s ON s.id = c.screening_id
       WHERE c.id > ? ORDER BY c.id LIMIT ?`,
    ),
    insertScreening: db.prepare(
      `INSERT INTO screenings (started_at, finished_at, window_start, window_stop, threshold_km, primaries,
         catalog_as_of, source, object_count, conjunction_count, data_quality,
         mk_classification, mk_release, mk_originator, mk_data_mode)
         VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertConjunction: db.prepare(INSERT_CONJUNCTION_SQL),
    outbox: db.prepare<[string, number, number], OutboxRow>(
      `SELECT seq, hash, previous_hash, item_count, last_set_id, body, created_at, acknowledged_at
       FROM exchange_outbox WHERE partner = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    ackOutbox: db.prepare(
      `UPDATE exchange_outbox SET acknowledged_at = ?, body = NULL
       WHERE partner = ? AND seq <= ? AND acknowledged_at IS NULL`,
    ),
    ackPartner: db.prepare(
      'UPDATE exchange_partners SET out_acked_seq = max(out_acked_seq, ?) WHERE name = ?',
    ),
    received: db.prepare<[string, number], { hash: string }>(
      'SELECT hash FROM exchange_received WHERE partner = ? AND seq = ?',
    ),
    insertReceived: db.prepare(
      `INSERT INTO exchange_received (partner, seq, hash, item_count, inserted_count, applied_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    advanceIncoming: db.prepare('UPDATE exchange_partners SET in_seq = ?, in_hash = ? WHERE name = ?'),
    insertIngest: db.prepare(
      `INSERT INTO ingests (name, sha256, source, label, format, started_at, status,
         mk_classification, mk_release, mk_originator, mk_data_mode)
       VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
    ),
    finishIngest: db.prepare(
      `UPDATE ingests SET finished_at = ?, status = 'ok', read_count = ?, inserted_count = ?,
         duplicate_count = ?, new_object_count = ? WHERE id = ?`,
    ),
    insertProvenance: db.prepare(
      `INSERT INTO exchange_provenance (element_set_id, partner, bundle_seq, original_source, originator,
         data_mode, original_ingested_at, content_hash, payload_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    provenance: db.prepare<[number], CandidateRow>(
      `SELECT partner AS p_partner, bundle_seq AS p_bundle_seq, original_source AS p_original_source,
         originator AS p_originator, data_mode AS p_data_mode, original_ingested_at AS p_original_ingested_at,
         content_hash AS p_content_hash, payload_sha256 AS p_payload_sha256
       FROM exchange_provenance WHERE element_set_id = ?`,
    ),
  };
}

/** The SQLite ExchangeStore: the catalog store hands one out (`store.exchange`). */
export class SqliteExchangeStore implements ExchangeStore {
  readonly #db: Database.Database;
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly #now: () => string;
  #st: ReturnType<typeof prepare> | undefined;

  /**
   * `run` serialises operations with the catalog store's others; `nowIso` is the store's clock.
   */
  constructor(db: Database.Database, run: <T>(fn: () => Promise<T>) => Promise<T>, nowIso: () => string) {
    this.#db = db;
    this.#run = run;
    this.#now = nowIso;
  }

  get #s(): ReturnType<typeof prepare> {
    this.#st ??= prepare(this.#db);
    return this.#st;
  }

  #partnerRow(name: string): PartnerRow {
    const r = this.#s.getPartner.get(name);
    if (r === undefined)
      throw new StoreError('STORE_NOT_FOUND', `no exchange partner ${JSON.stringify(name)}`, {
        partner: name,
      });
    return r;
  }

  nodeInfo(): Promise<ExchangeNodeInfo | null> {
    return this.#run(async () => {
      const m = new Map(this.#s.getNode.all().map((r) => [r.key, r.value]));
      const organisation = m.get('organisation');
      const nation = m.get('nation');
      return organisation === undefined || nation === undefined ? null : { organisation, nation };
    });
  }

  setNodeInfo(info: ExchangeNodeInfo): Promise<void> {
    return this.#run(async () => {
      this.#db.transaction(() => {
        this.#s.setNode.run('organisation', info.organisation);
        this.#s.setNode.run('nation', info.nation);
      })();
    });
  }

  savePartner(input: ExchangePartnerInput): Promise<ExchangePartner> {
    return this.#run(async () => {
      this.#s.upsertPartner.run({
        name: input.name,
        nation: input.nation,
        max: input.maxClassification,
        keys: JSON.stringify(input.publicKeys),
        url: input.url,
        ca: input.tlsCa,
        fp: input.tlsFingerprint,
        now: this.#now(),
      });
      return partnerFromRow(this.#partnerRow(input.name));
    });
  }

  getPartner(name: string): Promise<ExchangePartner | null> {
    return this.#run(async () => {
      const r = this.#s.getPartner.get(name);
      return r === undefined ? null : partnerFromRow(r);
    });
  }

  listPartners(): Promise<ExchangePartner[]> {
    return this.#run(async () => this.#s.listPartners.all().map(partnerFromRow));
  }

  candidates(afterId: number, limit: number): Promise<ExchangeCandidate[]> {
    return this.#run(async () =>
      this.#s.candidates.all(afterId, limit).map((r) => ({
        id: r.id,
        elements: elementsFromRow(r),
        epochUtc: isoFromEpochKey(r.epoch_key),
        source: r.source,
        label: r.label,
        marking: markingFromColumns(r.mk_classification, r.mk_release, r.mk_originator, r.mk_data_mode),
        format: r.format as ElementFormat,
        ingestedAt: r.started_at,
        contentHash: r.content_hash,
        received: provenanceFromRow(r),
      })),
    );
  }

  appendOutbox(partner: string, e: Omit<OutboxEntry, 'createdAt' | 'acknowledgedAt'>): Promise<void> {
    return this.#run(async () => {
      this.#db
        .transaction(() => {
          const p = this.#partnerRow(partner);
          if (e.seq !== p.out_built_seq + 1 || e.previousHash !== p.out_built_hash) {
            throw new StoreError(
              'STORE_CONFLICT',
              `bundle ${e.seq} for ${partner} does not follow bundle ${p.out_built_seq} (built concurrently?)`,
              { partner, seq: e.seq, builtSeq: p.out_built_seq },
            );
          }
          this.#s.insertOutbox.run(
            partner,
            e.seq,
            e.hash,
            e.previousHash,
            e.itemCount,
            e.lastSetId,
            e.body,
            this.#now(),
          );
          this.#s.advanceBuilt.run(e.seq, e.hash, e.lastSetId, partner);
          if (e.lastConjunctionId !== undefined)
            this.#s.advanceConjunctions.run(e.lastConjunctionId, partner, p.out_conjunction_id);
        })
        .immediate();
    });
  }

  advanceScan(partner: string, fromSetId: number, toSetId: number): Promise<void> {
    return this.#run(async () => {
      this.#s.advanceScan.run(toSetId, partner, fromSetId);
    });
  }

  advanceConjunctionScan(partner: string, fromId: number, toId: number): Promise<void> {
    return this.#run(async () => {
      this.#s.advanceConjunctions.run(toId, partner, fromId);
    });
  }

  conjunctionCandidates(afterId: number, limit: number): Promise<ConjunctionCandidate[]> {
    return this.#run(async () =>
      this.#s.conjunctionCandidates.all(afterId, limit).map((r) => ({
        id: r.id,
        screeningId: r.screening_id,
        conjunction: {
          id1: r.id1,
          id2: r.id2,
          tcaUtc: r.tca_utc,
          missKm: r.miss_km,
          relSpeedKmS: r.rel_speed_km_s,
          rKm: r.r_km,
          iKm: r.i_km,
          cKm: r.c_km,
          pc: r.pc,
          pcMethod: r.pc_method,
          hbrM: r.hbr_m,
          covarianceSource: r.covariance_source,
          confidence: r.confidence === 'low' ? 'low' : 'normal',
          age1Days: r.age1_days,
          age2Days: r.age2_days,
          marking: markingFromColumns(r.mk_classification, r.mk_release, r.mk_originator, r.mk_data_mode),
        },
        screeningSource: r.s_source,
        windowStart: r.s_window_start,
        windowStop: r.s_window_stop,
        thresholdKm: r.s_threshold_km,
        catalogAsOf: r.s_catalog_as_of,
        screenedAt: r.s_finished_at,
      })),
    );
  }

  outbox(partner: string, afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    return this.#run(async () =>
      this.#s.outbox.all(partner, afterSeq, limit).map((r) => ({
        seq: r.seq,
        hash: r.hash,
        previousHash: r.previous_hash,
        itemCount: r.item_count,
        lastSetId: r.last_set_id,
        body: r.body,
        createdAt: r.created_at,
        acknowledgedAt: r.acknowledged_at,
      })),
    );
  }

  acknowledge(partner: string, seq: number): Promise<void> {
    return this.#run(async () => {
      this.#db.transaction(() => {
        const p = this.#partnerRow(partner);
        // Never beyond what was built: a partner cannot acknowledge a bundle that does not exist.
        const upTo = Math.min(seq, p.out_built_seq);
        this.#s.ackOutbox.run(this.#now(), partner, upTo);
        this.#s.ackPartner.run(upTo, partner);
      })();
    });
  }

  applyBundle(b: IncomingBundle): Promise<ApplyBundleResult> {
    return this.#run(async () => {
      const s = this.#s;
      const apply = this.#db.transaction((): ApplyBundleResult => {
        const p = s.getPartner.get(b.partner);
        if (p === undefined) return { status: 'unknown-partner' };
        if (b.seq <= p.in_seq) {
          const seen = s.received.get(b.partner, b.seq);
          if (seen !== undefined && seen.hash === b.hash) return { status: 'duplicate' };
          return { status: 'conflict', storedHash: seen?.hash ?? '' };
        }
        if (b.seq !== p.in_seq + 1) return { status: 'gap', expectedSeq: p.in_seq + 1 };
        if (b.previousHash !== p.in_hash) return { status: 'previous-hash', expectedHash: p.in_hash };
        const now = this.#now();
        const source = `partner:${b.partner}`;
        const scheme = readMarkingSettings(this.#db).scheme;
        const ingests = new Map<string, { id: number; read: number; inserted: number; newObjects: number }>();
        let inserted = 0;
        let duplicates = 0;
        for (const set of b.sets) {
          const unusable = sgp4AtEpochIssue(set.elements);
          if (unusable !== null) {
            throw new StoreError('STORE_BAD_ELEMENTS', unusable.message, {
              catalogNumber: set.elements.catalogNumber,
            });
          }
          // The marking as the sender stated it, read against this node's scheme (a level this node
          // does not know refuses the whole bundle: nothing is stored under a guessed marking).
          let marking: Marking;
          try {
            marking = parseMarking(scheme, set.banner, set.provenance.originator, set.provenance.dataMode);
          } catch (e) {
            throw new StoreError(
              'STORE_BAD_MARKING',
              `received set ${set.elements.catalogNumber}: ${(e as Error).message}`,
              {
                catalogNumber: set.elements.catalogNumber,
              },
            );
          }
          const groupKey = `${formatMarking(marking)}|${marking.originator}|${marking.dataMode}`;
          let g = ingests.get(groupKey);
          if (g === undefined) {
            const id = Number(
              s.insertIngest.run(
                `exchange:${b.partner}#${b.seq}`,
                b.hash,
                source,
                set.banner,
                set.format,
                now,
                ...markingColumns(marking),
              ).lastInsertRowid,
            );
            g = { id, read: 0, inserted: 0, newObjects: 0 };
            ingests.set(groupKey, g);
          }
          const w = writeElementSet(this.#db, set.elements, {
            ingestId: g.id,
            source,
            label: set.banner,
            format: set.format,
            marking,
          });
          g.read++;
          if (w.newObject) g.newObjects++;
          if (w.id === null) {
            duplicates++;
            continue;
          }
          g.inserted++;
          inserted++;
          const v = set.provenance;
          s.insertProvenance.run(
            w.id,
            b.partner,
            b.seq,
            v.originalSource,
            v.originator,
            v.dataMode,
            v.originalIngestedAt,
            v.contentHash,
            v.payloadSha256,
          );
        }
        for (const g of ingests.values()) {
          s.finishIngest.run(now, g.read, g.inserted, g.read - g.inserted, g.newObjects, g.id);
        }
        const received = b.conjunctions ?? [];
        if (received.length > 0) this.#storeReceivedConjunctions(b, received, scheme, now);
        // `inserted` counts element sets (what sync reports); the bundle's record counts conjunctions too.
        s.insertReceived.run(
          b.partner,
          b.seq,
          b.hash,
          b.sets.length + received.length,
          inserted + received.length,
          now,
        );
        s.advanceIncoming.run(b.seq, b.hash, b.partner);
        return { status: 'applied', inserted, duplicates };
      });
      return apply.immediate();
    });
  }

  /**
   * The conjunctions of a received bundle as one screening, inside applyBundle's transaction: source
   * `partner:NAME bundle N`, window the union of the senders' windows, radius the largest; each
   * conjunction under the marking the sender stated (read against this node's scheme: an unknown
   * level refuses the bundle), the screening under the most restrictive of them.
   */
  #storeReceivedConjunctions(
    b: IncomingBundle,
    received: readonly IncomingConjunction[],
    scheme: ClassificationScheme,
    now: string,
  ): void {
    const markings = received.map((c) => {
      try {
        return checkedMarking(scheme, c.marking);
      } catch (e) {
        throw new StoreError(
          'STORE_BAD_MARKING',
          `received conjunction ${c.originalId}: ${(e as Error).message}`,
          { conjunction: c.originalId },
        );
      }
    });
    const first = markings[0]!;
    const screeningMarking = markings.every(
      (m) => markingColumns(m).join('|') === markingColumns(first).join('|'),
    )
      ? first
      : combineMarkings(scheme, markings, first.originator);
    const starts = received.map((c) => c.windowStart).sort();
    const stops = received.map((c) => c.windowStop).sort();
    const objects = new Set(received.flatMap((c) => [c.record.id1, c.record.id2]));
    const id = Number(
      this.#s.insertScreening.run(
        now,
        now,
        starts[0]!,
        stops[stops.length - 1]!,
        Math.max(...received.map((c) => c.thresholdKm)),
        `partner:${b.partner} bundle ${b.seq}`,
        objects.size,
        received.length,
        JSON.stringify({
          received: {
            partner: b.partner,
            bundle: b.seq,
            conjunctions: received.map((c) => ({
              originalId: c.originalId,
              originalSource: c.originalSource,
              payloadSha256: c.payloadSha256,
            })),
          },
        }),
        ...markingColumns(screeningMarking),
      ).lastInsertRowid,
    );
    received.forEach((x, k) => {
      this.#s.insertConjunction.run(...conjunctionRowValues(id, x.record, markings[k]!));
    });
  }

  provenance(elementSetId: number): Promise<ReceivedProvenance | null> {
    return this.#run(async () => {
      const r = this.#s.provenance.get(elementSetId);
      return r === undefined ? null : provenanceFromRow(r);
    });
  }
}
