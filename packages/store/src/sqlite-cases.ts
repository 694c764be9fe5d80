/**
 * Case files in the SQLite catalog database (schema v13, migrations.ts `0013_cases`). A change
 * never updates a row: it reads the latest version, lets astro's `applyCaseAction` check and apply
 * it (the workflow lives there), and inserts version n+1 with the whole content as JSON and its
 * SHA-256, plus any new note, attachment or assessment row — in one transaction. Triggers refuse
 * UPDATE and DELETE on every case table, so old versions stay exactly as written.
 *
 * Markings: each row carries mk_classification, mk_release (',JPN,USA,' | 'ALL' | ',,'),
 * mk_originator, mk_data_mode (written and read with marking-sql.ts), under the store's scheme. A
 * version's marking is astro's `caseMarking` of its content (the most restrictive of the requested
 * marking and every entry's and attachment's). Every query that reads case rows (versions, notes,
 * attachments, assessments; the list and the latest version a change builds on) filters in SQL with
 * marking-sql.ts `readableCondition`, the one condition every marked table of the store uses. Only
 * the entries inside a version's stored JSON content, which SQL does not see, are filtered in
 * JavaScript with `readable` below (astro canRead, the same rule). A reader whose clearance the
 * scheme does not know sees nothing. The `cases` row (the marking requested at opening) is not a
 * read filter: a case is visible through its versions.
 *
 * Every change is also appended to the store's audit log (when it has one) once it has finished:
 * action `case.open`, `case.<action kind>`, `case.note` or `case.attachments`, target `case N`,
 * outcome allowed (with the new version) or failed (with the error code), the context's actor.
 */
import { createHash } from 'node:crypto';
import {
  AstroError,
  applyCaseAction,
  type CaseAction,
  type CaseActor,
  type CaseAssessmentEntry,
  type CaseContent,
  type CaseItemRef,
  type CaseState,
  type ClassificationScheme,
  canRead,
  caseMarking,
  DEFAULT_SCHEME,
  type Marking,
  newCaseContent,
  type Reader,
} from '@hoshimi/astro';
import type Database from 'better-sqlite3';
import { type QueryExecutorProvider, sql } from 'kysely';
import { type AuditLog, currentAuditActor } from './audit-log.js';
import type {
  CaseQuery,
  CaseStore,
  CaseSummary,
  NewCaseAttachment,
  OpenCaseInput,
  PartnerResponseInput,
  PartnerResponseOutcome,
  StoredCase,
  StoredCaseAssessment,
  StoredCaseAttachment,
  StoredCaseNote,
} from './case-store.js';
import { StoreError } from './errors.js';
import { markingOfRow, markingValues, readableCondition, readerAccess } from './marking-sql.js';

interface MarkColumns {
  mk_classification: string;
  mk_release: string;
  mk_originator: string;
  mk_data_mode: string;
}

/**
 * Whether `reader` may see a record of marking `m` (astro canRead; false for a level the scheme
 * does not know): for the entries inside a version's JSON content, which SQL cannot filter. Rows
 * are filtered in SQL (`SqliteCaseStore` uses marking-sql.ts `readableCondition`).
 */
export function readable(scheme: ClassificationScheme, reader: Reader, m: Marking): boolean {
  try {
    return canRead(scheme, reader, m);
  } catch {
    return false; // a level this scheme does not know is never shown
  }
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

interface VersionRow extends MarkColumns {
  case_id: number;
  version: number;
  created_at: string;
  actor: string;
  actor_org: string;
  change: string;
  state: string;
  title: string;
  content: string;
  content_sha256: string;
}

interface CaseRow extends MarkColumns {
  id: number;
  created_at: string;
  created_by: string;
  source_kind: string;
  source_id: string | null;
  source_type: string;
}

const ATTACHMENT_COLUMNS =
  'id, case_id, version, name, kind, media_type, sha256, size, created_at, mk_classification, mk_release, mk_originator, mk_data_mode';

export class SqliteCaseStore implements CaseStore {
  readonly #db: Database.Database;
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly #now: () => string;
  readonly #writable: (what: string) => void;
  readonly #schemeOf: () => ClassificationScheme;
  readonly #audit: AuditLog | undefined;
  readonly #kysely: QueryExecutorProvider;

  constructor(
    db: Database.Database,
    run: <T>(fn: () => Promise<T>) => Promise<T>,
    now: () => string,
    writable: (what: string) => void,
    options: {
      /** Compiles marking-sql.ts `readableCondition` (the store's Kysely instance). */
      readonly kysely: QueryExecutorProvider;
      readonly scheme?: () => ClassificationScheme;
      readonly audit?: AuditLog;
    },
  ) {
    this.#db = db;
    this.#run = run;
    this.#now = now;
    this.#writable = writable;
    this.#schemeOf = options.scheme ?? (() => DEFAULT_SCHEME);
    this.#audit = options.audit;
    this.#kysely = options.kysely;
  }

  /**
   * The store's visibility condition (marking-sql.ts `readableCondition`) on the marking columns of
   * table alias `alias` for `reader`, as SQL text and its parameters; `0 = 1` for a reader the
   * scheme cannot resolve (unknown clearance, malformed nation or organisation).
   */
  #visible(alias: string, reader: Reader): { readonly sql: string; readonly params: readonly unknown[] } {
    let access: ReturnType<typeof readerAccess>;
    try {
      access = readerAccess(this.#scheme, reader);
    } catch {
      return { sql: '0 = 1', params: [] };
    }
    const compiled = sql`${readableCondition(alias, access)}`.compile(this.#kysely);
    return { sql: compiled.sql, params: compiled.parameters };
  }

  /** The store's classification scheme (its marking settings; they may change at run time). */
  get #scheme(): ClassificationScheme {
    return this.#schemeOf();
  }

  /** Runs a change, then appends its audit record (outside the store's queue, as STORE_WRITES does). */
  async #audited(
    action: string,
    target: (result: number | undefined) => string | null,
    details: (result: number | undefined) => Record<string, unknown>,
    fn: () => Promise<number>,
  ): Promise<number> {
    const actor = currentAuditActor();
    let result: number;
    try {
      result = await fn();
    } catch (e) {
      const err = e as { code?: unknown; details?: { code?: unknown } };
      await this.#audit
        ?.append({
          actor,
          action,
          target: target(undefined),
          outcome: 'failed',
          status: null,
          details: {
            ...details(undefined),
            error: String(err.details?.code ?? err.code ?? 'ERROR'),
          },
        })
        .catch(() => undefined);
      throw e;
    }
    await this.#audit?.append({
      actor,
      action,
      target: target(result),
      outcome: 'allowed',
      status: null,
      details: details(result),
    });
    return result;
  }

  openCase(input: OpenCaseInput): Promise<number> {
    return this.#audited(
      'case.open',
      (id) => (id === undefined ? null : `case ${id}`),
      () => ({
        source: input.source,
        owner: input.owner.organisation,
        attachments: input.attachments.map((a) => a.name),
      }),
      () => this.#openCase(input),
    );
  }

  #openCase(input: OpenCaseInput): Promise<number> {
    return this.#run(async () => {
      this.#writable('open a case');
      const at = this.#now();
      let content = caseCall(() =>
        newCaseContent({
          title: input.title,
          summary: input.summary,
          owner: input.owner,
          openedBy: input.actor.username,
          source: input.source,
          requestedMarking: input.requestedMarking,
        }),
      );
      const tx = this.#db.transaction(() => {
        const mk = markingValues(input.requestedMarking);
        const r = this.#db
          .prepare(
            `INSERT INTO cases (created_at, created_by, owner_org, owner_nation, source_kind, source_id, source_type,
              mk_classification, mk_release, mk_originator, mk_data_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            at,
            input.actor.username,
            input.owner.organisation,
            input.owner.nation,
            input.source.kind,
            input.source.id,
            input.source.type,
            mk.mk_classification,
            mk.mk_release,
            mk.mk_originator,
            mk.mk_data_mode,
          );
        const id = Number(r.lastInsertRowid);
        const refs = this.#insertAttachments(id, 1, input.attachments, at);
        if (refs.length > 0) content = { ...content, attachments: refs };
        this.#insertVersion(id, 1, at, input.actor, 'opened', content);
        return id;
      });
      return tx();
    });
  }

  applyCaseAction(caseId: number, action: CaseAction, actor: CaseActor, reader: Reader): Promise<number> {
    return this.#audited(
      `case.${action.kind}`,
      () => `case ${caseId}`,
      (version) => ({ organisation: actor.organisation, version: version ?? null }),
      () => this.#applyCaseAction(caseId, action, actor, reader),
    );
  }

  #applyCaseAction(caseId: number, action: CaseAction, actor: CaseActor, reader: Reader): Promise<number> {
    return this.#change(caseId, actor, reader, this.#actionChange(caseId, action, actor));
  }

  addCaseNote(
    caseId: number,
    note: { readonly text: string; readonly marking?: Marking },
    actor: CaseActor,
    reader: Reader,
  ): Promise<number> {
    return this.#audited(
      'case.note',
      () => `case ${caseId}`,
      (version) => ({ organisation: actor.organisation, version: version ?? null }),
      () => this.#addCaseNote(caseId, note, actor, reader),
    );
  }

  #addCaseNote(
    caseId: number,
    note: { readonly text: string; readonly marking?: Marking },
    actor: CaseActor,
    reader: Reader,
  ): Promise<number> {
    return this.#change(caseId, actor, reader, (content, version, at) => {
      const m = note.marking ?? content.requestedMarking;
      const mk = markingValues(m);
      // Refuse before writing: applyCaseAction checks party, state and releasability.
      const probe = caseCall(() =>
        applyCaseAction(this.#scheme, content, { kind: 'note', note: { id: 0, marking: m } }, actor, at),
      );
      const r = this.#db
        .prepare(
          `INSERT INTO case_notes (case_id, version, author, organisation, text, created_at,
            mk_classification, mk_release, mk_originator, mk_data_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          caseId,
          version,
          actor.username,
          actor.organisation,
          note.text,
          at,
          mk.mk_classification,
          mk.mk_release,
          mk.mk_originator,
          mk.mk_data_mode,
        );
      const id = Number(r.lastInsertRowid);
      const notes = probe.content.notes.map((n) => (n.id === 0 ? { id, marking: m } : n));
      return { content: { ...probe.content, notes }, change: `note ${id} added` };
    });
  }

  addCaseAttachments(
    caseId: number,
    attachments: readonly NewCaseAttachment[],
    actor: CaseActor,
    reader: Reader,
  ): Promise<number> {
    return this.#audited(
      'case.attachments',
      () => `case ${caseId}`,
      (version) => ({
        organisation: actor.organisation,
        version: version ?? null,
        attachments: attachments.map((a) => a.name),
      }),
      () => this.#addCaseAttachments(caseId, attachments, actor, reader),
    );
  }

  #addCaseAttachments(
    caseId: number,
    attachments: readonly NewCaseAttachment[],
    actor: CaseActor,
    reader: Reader,
  ): Promise<number> {
    return this.#change(caseId, actor, reader, (content, version, at) => {
      const refs = this.#insertAttachments(caseId, version, attachments, at);
      return caseCall(() =>
        applyCaseAction(this.#scheme, content, { kind: 'attachments', attachments: refs }, actor, at),
      );
    });
  }

  listCases(reader: Reader, query: CaseQuery = {}): Promise<CaseSummary[]> {
    return this.#run(async () => {
      const see = this.#visible('v', reader);
      const rows = this.#db
        .prepare(
          `SELECT c.id, c.created_at AS case_created_at, c.source_kind, c.source_id, c.source_type, v.*
           FROM cases c JOIN case_versions v ON v.case_id = c.id
           AND v.version = (SELECT max(x.version) FROM case_versions x WHERE x.case_id = c.id)
           WHERE ${see.sql}${query.state === undefined ? '' : ' AND v.state = ?'}
           ORDER BY c.id DESC${query.limit === undefined ? '' : ' LIMIT ?'}`,
        )
        .all(
          ...see.params,
          ...(query.state === undefined ? [] : [query.state]),
          ...(query.limit === undefined ? [] : [query.limit]),
        ) as (VersionRow & {
        id: number;
        source_kind: string;
        source_id: string | null;
        source_type: string;
      })[];
      return rows.map((r) => {
        const c = JSON.parse(r.content) as CaseContent;
        return {
          id: r.id,
          title: r.title,
          state: r.state as CaseState,
          owner: c.owner.organisation,
          partners: c.partners.map((p) => p.organisation),
          source: { kind: r.source_kind as 'event', id: r.source_id, type: r.source_type },
          latestVersion: r.version,
          createdAt: (r as unknown as { case_created_at: string }).case_created_at,
          updatedAt: r.created_at,
          marking: markingOfRow(r),
        };
      });
    });
  }

  getCase(reader: Reader, id: number, version?: number): Promise<StoredCase | null> {
    return this.#run(async () => this.#get(reader, id, version));
  }

  caseHistory(reader: Reader, id: number) {
    return this.#run(async () => {
      const see = this.#visible('v', reader);
      const rows = this.#db
        .prepare(`SELECT * FROM case_versions v WHERE v.case_id = ? AND ${see.sql} ORDER BY v.version`)
        .all(id, ...see.params) as VersionRow[];
      return rows.map((r) => ({
        version: r.version,
        createdAt: r.created_at,
        actor: r.actor,
        change: r.change,
      }));
    });
  }

  caseAttachment(reader: Reader, caseId: number, attachmentId: number) {
    return this.#run(async () => {
      if (this.#get(reader, caseId) === null) return null;
      const see = this.#visible('a', reader);
      const r = this.#db
        .prepare(
          `SELECT ${ATTACHMENT_COLUMNS}, content FROM case_attachments a WHERE a.case_id = ? AND a.id = ? AND ${see.sql}`,
        )
        .get(caseId, attachmentId, ...see.params) as (AttachmentRow & { content: Buffer }) | undefined;
      if (r === undefined) return null;
      return { ...attachmentFromRow(r), content: new Uint8Array(r.content) };
    });
  }

  // -------------------------------------------------------------------------------------------

  /** The newest version number of a case (whoever reads; 0 for no case). */
  #latestVersion(id: number): number {
    const r = this.#db.prepare('SELECT max(version) AS n FROM case_versions WHERE case_id = ?').get(id) as
      | { n: number | null }
      | undefined;
    return r?.n ?? 0;
  }

  /** Version `version` of a case (default the newest), if `reader` may read it. */
  #version(reader: Reader, id: number, version?: number): VersionRow | undefined {
    const see = this.#visible('v', reader);
    const which =
      version === undefined
        ? 'v.version = (SELECT max(x.version) FROM case_versions x WHERE x.case_id = v.case_id)'
        : 'v.version = ?';
    return this.#db
      .prepare(`SELECT * FROM case_versions v WHERE v.case_id = ? AND ${which} AND ${see.sql}`)
      .get(id, ...(version === undefined ? [] : [version]), ...see.params) as VersionRow | undefined;
  }

  #change(
    caseId: number,
    actor: CaseActor,
    reader: Reader,
    fn: (content: CaseContent, version: number, at: string) => { content: CaseContent; change: string },
  ): Promise<number> {
    return this.#run(async () => {
      this.#writable('change a case');
      const at = this.#now();
      return this.#db.transaction(() => this.#changeNow(caseId, actor, reader, fn, at))();
    });
  }

  /** The body of a change (inside the caller's transaction): version n+1 from the latest. */
  #changeNow(
    caseId: number,
    actor: CaseActor,
    reader: Reader,
    fn: (content: CaseContent, version: number, at: string) => { content: CaseContent; change: string },
    at: string,
  ): number {
    const latest = this.#version(reader, caseId);
    if (latest === undefined) throw new StoreError('STORE_NOT_FOUND', `no case ${caseId}`, { caseId });
    const version = latest.version + 1;
    const r = fn(JSON.parse(latest.content) as CaseContent, version, at);
    this.#insertVersion(caseId, version, at, actor, r.change, r.content);
    return version;
  }

  /** An action's change function (astro applyCaseAction, plus the assessment row). */
  #actionChange(caseId: number, action: CaseAction, actor: CaseActor) {
    return (content: CaseContent, version: number, at: string) => {
      const r = caseCall(() => applyCaseAction(this.#scheme, content, action, actor, at));
      if (action.kind === 'assessment') {
        const e = r.content.assessments[r.content.assessments.length - 1] as CaseAssessmentEntry;
        this.#insertAssessment(caseId, version, e);
      }
      return r;
    };
  }

  async applyPartnerResponse(input: PartnerResponseInput): Promise<PartnerResponseOutcome> {
    const auditActor = currentAuditActor();
    const { partner, responseId, caseId, actions, actor, reader } = input;
    const done = await this.#run(async () => {
      this.#writable('apply a partner response');
      const at = this.#now();
      const prior = this.#db.prepare(
        'SELECT outcome FROM case_exchange_applied WHERE partner = ? AND response_id = ?',
      );
      const record = this.#db.prepare(
        `INSERT INTO case_exchange_applied (partner, response_id, case_id, outcome, applied_at)
          VALUES (?, ?, ?, ?, ?)`,
      );
      return this.#db.transaction(() => {
        const before = prior.get(partner, responseId) as { outcome: string } | undefined;
        if (before !== undefined)
          return { outcome: before.outcome, firstTime: false, versions: [], refusedKind: null };
        const versions: number[] = [];
        let outcome: string;
        let refusedKind: string | null = null;
        const latest = this.#version(reader, caseId);
        const content = latest === undefined ? undefined : (JSON.parse(latest.content) as CaseContent);
        if (content === undefined) outcome = 'refused NOT_FOUND';
        else if (
          !content.partners.some((p) => p.organisation === actor.organisation && p.nation === reader.nation)
        )
          outcome = 'refused CASE_NOT_PARTNER';
        else {
          let current: CaseAction | undefined;
          try {
            // All the actions or none (a savepoint inside the transaction).
            this.#db.transaction(() => {
              for (const action of actions) {
                current = action;
                versions.push(
                  this.#changeNow(caseId, actor, reader, this.#actionChange(caseId, action, actor), at),
                );
              }
            })();
            outcome = `applied v${versions[versions.length - 1] ?? latest!.version}`;
          } catch (e) {
            if (!(e instanceof StoreError)) throw e;
            const code = (e.details as { code?: unknown } | undefined)?.code ?? e.code;
            outcome = `refused ${String(code)}`;
            refusedKind = current?.kind ?? null;
            versions.length = 0;
          }
        }
        record.run(partner, responseId, caseId, outcome, at);
        return { outcome, firstTime: true, versions, refusedKind };
      })();
    });
    if (done.firstTime) {
      for (const [k, version] of done.versions.entries())
        await this.#audit?.append({
          actor: auditActor,
          action: `case.${actions[k]!.kind}`,
          target: `case ${caseId}`,
          outcome: 'allowed',
          status: null,
          details: { organisation: actor.organisation, version },
        });
      if (done.refusedKind !== null)
        await this.#audit?.append({
          actor: auditActor,
          action: `case.${done.refusedKind}`,
          target: `case ${caseId}`,
          outcome: 'failed',
          status: null,
          details: { organisation: actor.organisation, version: null, error: done.outcome.slice(8) },
        });
    }
    return { outcome: done.outcome, firstTime: done.firstTime, versions: done.versions };
  }

  #insertVersion(id: number, version: number, at: string, actor: CaseActor, change: string, c: CaseContent) {
    const json = JSON.stringify(c);
    const mk = markingValues(caseMarking(this.#scheme, c));
    this.#db
      .prepare(
        `INSERT INTO case_versions (case_id, version, created_at, actor, actor_org, change, state, title, content,
          content_sha256, mk_classification, mk_release, mk_originator, mk_data_mode)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        version,
        at,
        actor.username,
        actor.organisation,
        change,
        c.state,
        c.title,
        json,
        sha256(json),
        mk.mk_classification,
        mk.mk_release,
        mk.mk_originator,
        mk.mk_data_mode,
      );
  }

  #insertAttachments(
    caseId: number,
    version: number,
    list: readonly NewCaseAttachment[],
    at: string,
  ): CaseItemRef[] {
    const insert = this.#db.prepare(
      `INSERT INTO case_attachments (case_id, version, name, kind, media_type, content, sha256, size, created_at,
        mk_classification, mk_release, mk_originator, mk_data_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return list.map((a) => {
      if (a.name.trim() === '' || a.name.length > 200 || !/^[\w.+-]+\/[\w.+-]+$/.test(a.mediaType))
        throw new StoreError('STORE_BAD_CASE', `attachment ${JSON.stringify(a.name)}: name or media type`, {
          name: a.name,
          mediaType: a.mediaType,
        });
      const bytes = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : Buffer.from(a.content);
      const mk = markingValues(a.marking);
      const r = insert.run(
        caseId,
        version,
        a.name,
        a.kind,
        a.mediaType,
        bytes,
        sha256(bytes),
        bytes.length,
        at,
        mk.mk_classification,
        mk.mk_release,
        mk.mk_originator,
        mk.mk_data_mode,
      );
      return { id: Number(r.lastInsertRowid), marking: a.marking };
    });
  }

  #insertAssessment(caseId: number, version: number, e: CaseAssessmentEntry): void {
    const mk = markingValues(e.marking);
    this.#db
      .prepare(
        `INSERT INTO case_assessments (case_id, version, entry_id, organisation, subject_kind, subject_id, likelihood,
          confidence, reasons, author, created_at, mk_classification, mk_release, mk_originator, mk_data_mode)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        caseId,
        version,
        e.id,
        e.organisation,
        e.subject.kind,
        e.subject.id,
        e.likelihood,
        e.confidence,
        e.reasons,
        e.by,
        e.at,
        mk.mk_classification,
        mk.mk_release,
        mk.mk_originator,
        mk.mk_data_mode,
      );
  }

  #get(reader: Reader, id: number, version?: number): StoredCase | null {
    const c = this.#db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    if (c === undefined) return null;
    const v = this.#version(reader, id, version);
    if (v === undefined) return null;
    const latestVersion = this.#latestVersion(id);
    const m = markingOfRow(v);
    const scheme = this.#scheme;
    // The entries inside the stored JSON content: SQL does not see them, astro's canRead does.
    const see = (x: { marking: Marking }) => readable(scheme, reader, x.marking);
    const full = JSON.parse(v.content) as CaseContent;
    const content: CaseContent = {
      ...full,
      indicators: full.indicators.filter(see),
      hypotheses: full.hypotheses.filter(see),
      assessments: full.assessments.filter(see),
      notes: full.notes.filter(see),
      attachments: full.attachments.filter(see),
    };
    const noteIds = new Set(content.notes.map((n) => n.id));
    const attIds = new Set(content.attachments.map((a) => a.id));
    const rowsOf = <T>(table: string, columns: string): T[] => {
      const r = this.#visible('t', reader);
      return this.#db
        .prepare(
          `SELECT ${columns} FROM ${table} t WHERE t.case_id = ? AND t.version <= ? AND ${r.sql} ORDER BY t.id`,
        )
        .all(id, v.version, ...r.params) as T[];
    };
    const notes = rowsOf<MarkColumns & Record<string, unknown>>('case_notes', '*')
      .map(noteFromRow)
      .filter((n) => noteIds.has(n.id));
    const attachments = rowsOf<AttachmentRow>('case_attachments', ATTACHMENT_COLUMNS)
      .map(attachmentFromRow)
      .filter((a) => attIds.has(a.id));
    const assessments = rowsOf<MarkColumns & Record<string, unknown>>('case_assessments', '*').map(
      assessmentFromRow,
    );
    return {
      id: c.id,
      createdAt: c.created_at,
      createdBy: c.created_by,
      source: { kind: c.source_kind as 'event', id: c.source_id, type: c.source_type },
      latestVersion,
      version: {
        caseId: id,
        version: v.version,
        createdAt: v.created_at,
        actor: v.actor,
        actorOrganisation: v.actor_org,
        change: v.change,
        state: v.state as CaseState,
        title: v.title,
        content,
        contentSha256: v.content_sha256,
        marking: m,
      },
      notes,
      attachments,
      assessments,
    };
  }
}

/** Runs an astro case function, turning its CASE_* refusals into StoreError STORE_CASE_REFUSED. */
function caseCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AstroError && e.code.startsWith('CASE_'))
      throw new StoreError('STORE_CASE_REFUSED', e.message, { code: e.code, ...e.details });
    if (e instanceof AstroError && e.code.startsWith('MARKING_'))
      throw new StoreError('STORE_CASE_REFUSED', e.message, { code: 'CASE_BAD_INPUT', ...e.details });
    throw e;
  }
}

interface AttachmentRow extends MarkColumns {
  id: number;
  case_id: number;
  version: number;
  name: string;
  kind: string;
  media_type: string;
  sha256: string;
  size: number;
  created_at: string;
}

function attachmentFromRow(r: AttachmentRow): StoredCaseAttachment {
  return {
    id: r.id,
    caseId: r.case_id,
    version: r.version,
    name: r.name,
    kind: r.kind,
    mediaType: r.media_type,
    sha256: r.sha256,
    size: r.size,
    createdAt: r.created_at,
    marking: markingOfRow(r),
  };
}

function noteFromRow(r: MarkColumns & Record<string, unknown>): StoredCaseNote {
  return {
    id: r['id'] as number,
    caseId: r['case_id'] as number,
    version: r['version'] as number,
    author: r['author'] as string,
    organisation: r['organisation'] as string,
    text: r['text'] as string,
    createdAt: r['created_at'] as string,
    marking: markingOfRow(r),
  };
}

function assessmentFromRow(r: MarkColumns & Record<string, unknown>): StoredCaseAssessment {
  return {
    id: r['id'] as number,
    caseId: r['case_id'] as number,
    version: r['version'] as number,
    entryId: r['entry_id'] as number,
    organisation: r['organisation'] as string,
    subjectKind: r['subject_kind'] as string,
    subjectId: r['subject_id'] as string,
    likelihood: r['likelihood'] as string,
    confidence: r['confidence'] as string,
    reasons: r['reasons'] as string,
    author: r['author'] as string,
    createdAt: r['created_at'] as string,
    marking: markingOfRow(r),
  };
}
