/**
 * Cases between nodes in the SQLite catalog database (schema v14 `0014_case_exchange`; the
 * interface and its rules are in case-exchange-store.ts). Replicas and responses are inserted,
 * never updated (triggers); a replica version already held is not stored twice, so a bundle applied
 * again changes nothing. Reads filter with the case tables' one function (sqlite-cases.ts
 * `readable`) under the store's scheme.
 */
import type { ClassificationScheme, Reader } from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import type {
  CaseExchangeStore,
  CaseReplica,
  NewReplicaResponse,
  ReplicaAssessment,
  ReplicaResponse,
} from './case-exchange-store.js';
import { markingOfRow, markingValues } from './marking-sql.js';
import { readable } from './sqlite-cases.js';

interface MarkColumns {
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
}

interface ReplicaRow extends MarkColumns {
  partner: string;
  owner_case_id: number;
  version: number;
  state: string;
  title: string;
  bundle: string;
  received_at: string;
}

interface ResponseRow extends MarkColumns {
  id: number;
  partner: string;
  owner_case_id: number;
  based_on_version: number;
  organisation: string;
  author: string;
  position: string;
  reasons: string;
  assessment: string | null;
  created_at: string;
}

const LATEST = `SELECT * FROM case_replicas r WHERE r.version =
  (SELECT max(x.version) FROM case_replicas x WHERE x.partner = r.partner AND x.owner_case_id = r.owner_case_id)`;

function replicaFromRow(r: ReplicaRow): CaseReplica {
  return {
    partner: r.partner,
    ownerCaseId: r.owner_case_id,
    version: r.version,
    state: r.state,
    title: r.title,
    marking: markingOfRow(r),
    bundle: r.bundle,
    receivedAt: r.received_at,
  };
}

export class SqliteCaseExchangeStore implements CaseExchangeStore {
  readonly #db: Database.Database;
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly #now: () => string;
  readonly #scheme: () => ClassificationScheme;

  constructor(
    db: Database.Database,
    run: <T>(fn: () => Promise<T>) => Promise<T>,
    now: () => string,
    scheme: () => ClassificationScheme,
  ) {
    this.#db = db;
    this.#run = run;
    this.#now = now;
    this.#scheme = scheme;
  }

  saveReplica(r: Omit<CaseReplica, 'receivedAt'>): Promise<'stored' | 'known'> {
    return this.#run(async () => {
      const mk = markingValues(r.marking);
      const info = this.#db
        .prepare(
          `INSERT INTO case_replicas (partner, owner_case_id, version, state, title, bundle, received_at,
            mk_classification, mk_release, mk_originator, mk_data_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (partner, owner_case_id, version) DO NOTHING`,
        )
        .run(
          r.partner,
          r.ownerCaseId,
          r.version,
          r.state,
          r.title,
          r.bundle,
          this.#now(),
          mk.mk_classification,
          mk.mk_release,
          mk.mk_originator,
          mk.mk_data_mode,
        );
      return info.changes === 1 ? 'stored' : 'known';
    });
  }

  replicas(reader: Reader): Promise<CaseReplica[]> {
    return this.#run(async () => {
      const scheme = this.#scheme();
      return (this.#db.prepare(`${LATEST} ORDER BY r.partner, r.owner_case_id`).all() as ReplicaRow[])
        .map(replicaFromRow)
        .filter((x) => readable(scheme, reader, x.marking));
    });
  }

  replica(reader: Reader, partner: string, ownerCaseId: number): Promise<CaseReplica | null> {
    return this.#run(async () => {
      const r = this.#db
        .prepare(`${LATEST} AND r.partner = ? AND r.owner_case_id = ?`)
        .get(partner, ownerCaseId) as ReplicaRow | undefined;
      if (r === undefined) return null;
      const x = replicaFromRow(r);
      return readable(this.#scheme(), reader, x.marking) ? x : null;
    });
  }

  addResponse(r: NewReplicaResponse): Promise<number> {
    return this.#run(async () => {
      const mk = markingValues(r.marking);
      const info = this.#db
        .prepare(
          `INSERT INTO case_replica_responses (partner, owner_case_id, based_on_version, organisation, author,
            position, reasons, assessment, created_at, mk_classification, mk_release, mk_originator, mk_data_mode)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.partner,
          r.ownerCaseId,
          r.basedOnVersion,
          r.organisation,
          r.author,
          r.position,
          r.reasons,
          r.assessment === null ? null : JSON.stringify(r.assessment),
          this.#now(),
          mk.mk_classification,
          mk.mk_release,
          mk.mk_originator,
          mk.mk_data_mode,
        );
      return Number(info.lastInsertRowid);
    });
  }

  pendingResponses(partner: string): Promise<ReplicaResponse[]> {
    return this.#run(async () =>
      (
        this.#db
          .prepare(
            `SELECT * FROM case_replica_responses r WHERE r.partner = ? AND NOT EXISTS
              (SELECT 1 FROM case_exchange_sent s WHERE s.partner = r.partner AND s.ref = 'response:' || r.id)
             ORDER BY r.id`,
          )
          .all(partner) as ResponseRow[]
      ).map((r) => ({
        id: r.id,
        partner: r.partner,
        ownerCaseId: r.owner_case_id,
        basedOnVersion: r.based_on_version,
        organisation: r.organisation,
        author: r.author,
        position: r.position as 'concur' | 'dissent',
        reasons: r.reasons,
        assessment: r.assessment === null ? null : (JSON.parse(r.assessment) as ReplicaAssessment),
        marking: markingOfRow(r),
        createdAt: r.created_at,
      })),
    );
  }

  sentRefs(partner: string): Promise<Set<string>> {
    return this.#run(
      async () =>
        new Set(
          (
            this.#db.prepare('SELECT ref FROM case_exchange_sent WHERE partner = ?').all(partner) as {
              ref: string;
            }[]
          ).map((r) => r.ref),
        ),
    );
  }

  markSent(partner: string, refs: readonly string[], seq: number): Promise<void> {
    return this.#run(async () => {
      const insert = this.#db.prepare(
        'INSERT INTO case_exchange_sent (partner, ref, bundle_seq) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      );
      this.#db.transaction(() => {
        for (const ref of refs) insert.run(partner, ref, seq);
      })();
    });
  }

  responseOutcome(partner: string, responseId: number): Promise<string | null> {
    return this.#run(async () => {
      const r = this.#db
        .prepare('SELECT outcome FROM case_exchange_applied WHERE partner = ? AND response_id = ?')
        .get(partner, responseId) as { outcome: string } | undefined;
      return r?.outcome ?? null;
    });
  }

  recordOutcome(partner: string, responseId: number, caseId: number, outcome: string): Promise<void> {
    return this.#run(async () => {
      this.#db
        .prepare(
          `INSERT INTO case_exchange_applied (partner, response_id, case_id, outcome, applied_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(partner, responseId, caseId, outcome, this.#now());
    });
  }
}
