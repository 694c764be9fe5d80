/**
 * Case files in a real SQLite file: every change is a new version and old versions read back
 * unchanged; raw UPDATE and DELETE on the case tables are refused by the triggers; attachments keep
 * their SHA-256; a case's marking is the most restrictive of its evidence and entries; readers
 * see only what their marking allows (a case they may not read is absent). A matrix of readers ×
 * case markings checks every read (list and its counts, a version, history, attachments, a change)
 * against astro's canRead and against counts written out by hand.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRead, DEFAULT_SCHEME, type Marking, type Reader } from '@hoshimi/astro';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { openSqliteStore } from '../src/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const US_ANALYST: Reader = { organisation: 'USSF', nation: 'USA', clearance: 'SECRET' };
const JP_ANALYST: Reader = { organisation: 'JAXA', nation: 'JPN', clearance: 'SECRET' };
const JP_LOW: Reader = { organisation: 'JAXA', nation: 'JPN', clearance: 'UNCLASSIFIED' };
const USSF = { username: 'ana', organisation: 'USSF' };
const JAXA = { username: 'ken', organisation: 'JAXA' };
const mk = (classification: string, rel: 'ALL' | string[], originator = 'USSF'): Marking => ({
  classification,
  releasableTo: rel,
  originator,
  dataMode: 'REAL',
});

async function withCase(name: string) {
  const path = join(dir, name);
  const store = await openSqliteStore(path);
  const cases = store.cases();
  const id = await cases.openCase({
    title: 'Maneuver of 46984',
    summary: 'test case',
    owner: { organisation: 'USSF', nation: 'USA' },
    actor: USSF,
    source: { kind: 'event', id: '7', type: 'maneuver' },
    requestedMarking: mk('UNCLASSIFIED', 'ALL'),
    attachments: [
      {
        name: 'event.json',
        kind: 'event',
        mediaType: 'application/json',
        content: '{"a":1}',
        marking: mk('UNCLASSIFIED', 'ALL'),
      },
      {
        name: 'radar.json',
        kind: 'upload',
        mediaType: 'application/json',
        content: '{"r":2}',
        marking: mk('CONFIDENTIAL', ['JPN', 'USA']),
      },
    ],
  });
  return { store, cases, id, path };
}

describe('case store', () => {
  it('migrates to the schema version of its last migration', async () => {
    const { store } = await withCase('v.db');
    expect(store.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    await store.close();
  });

  it('keeps every version immutable: a change adds a version, old versions read back byte-identical', async () => {
    const { store, cases, id, path } = await withCase('immutable.db');
    const v1 = await cases.getCase(US_ANALYST, id);
    expect(v1?.version.version).toBe(1);
    expect(v1?.version.state).toBe('draft');
    await cases.applyCaseAction(
      id,
      {
        kind: 'indicator',
        classId: 'co-orbital',
        indicatorId: 'synchronising-maneuver',
        note: 'n',
        evidence: [],
      },
      USSF,
      US_ANALYST,
    );
    await cases.addCaseNote(id, { text: 'first note' }, USSF, US_ANALYST);
    await cases.applyCaseAction(
      id,
      {
        kind: 'assessment',
        subject: { kind: 'class', id: 'co-orbital' },
        likelihood: 'unlikely',
        confidence: 'low',
        reasons: 'r',
      },
      USSF,
      US_ANALYST,
    );
    const v3 = await cases.applyCaseAction(
      id,
      { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] },
      USSF,
      US_ANALYST,
    );
    expect(v3).toBe(5);
    const again = await cases.getCase(US_ANALYST, id, 1);
    expect(again?.version.contentSha256).toBe(v1?.version.contentSha256);
    expect(again?.version.content).toEqual(v1?.version.content);
    expect(again?.notes).toHaveLength(0);
    const latest = await cases.getCase(US_ANALYST, id);
    expect(latest?.version.state).toBe('shared');
    expect(latest?.notes.map((n) => n.text)).toEqual(['first note']);
    expect((await cases.caseHistory(US_ANALYST, id)).map((h) => h.change)).toEqual([
      'opened',
      'indicator co-orbital/synchronising-maneuver added',
      expect.stringMatching(/^note \d+ added$/),
      'assessment by USSF of class co-orbital',
      'shared with JAXA',
    ]);
    // A refused transition stores nothing.
    await expect(
      cases.applyCaseAction(id, { kind: 'close', note: 'x' }, USSF, US_ANALYST),
    ).rejects.toMatchObject({ code: 'STORE_CASE_REFUSED', details: { code: 'CASE_RESPONSES_MISSING' } });
    expect((await cases.getCase(US_ANALYST, id))?.latestVersion).toBe(5);
    expect((await cases.getCase(US_ANALYST, id))?.assessments.map((a) => a.likelihood)).toEqual(['unlikely']);
    // Every change, and the refused one, is in the audit log.
    const audit = (await store.audit.list({ limit: 100 })).filter((r) => r.action.startsWith('case.'));
    expect(audit.map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'case.open allowed',
      'case.indicator allowed',
      'case.note allowed',
      'case.assessment allowed',
      'case.share allowed',
      'case.close failed',
    ]);
    expect(audit[5]?.details).toMatchObject({ error: 'CASE_RESPONSES_MISSING' });
    expect(audit.every((r) => r.target === `case ${id}`)).toBe(true);
    await store.close();

    // Below the application: the triggers refuse any UPDATE or DELETE.
    const raw = new Database(path);
    for (const sql of [
      `UPDATE case_versions SET state = 'closed' WHERE case_id = ${id}`,
      `UPDATE case_versions SET content = '{}' WHERE case_id = ${id} AND version = 1`,
      `DELETE FROM case_versions WHERE case_id = ${id}`,
      `UPDATE case_attachments SET content = x'00'`,
      `UPDATE case_notes SET text = 'edited'`,
      `DELETE FROM case_notes`,
      `UPDATE cases SET owner_org = 'X'`,
      `UPDATE case_assessments SET likelihood = 'almost-certain'`,
    ])
      expect(() => raw.exec(sql), sql).toThrow(/immutable/);
    const row = raw
      .prepare('SELECT content, content_sha256 FROM case_versions WHERE case_id = ? AND version = 1')
      .get(id) as {
      content: string;
      content_sha256: string;
    };
    expect(createHash('sha256').update(row.content).digest('hex')).toBe(row.content_sha256);
    raw.close();
  });

  it('records attachments with their SHA-256 and media type', async () => {
    const { store, cases, id } = await withCase('att.db');
    const c = await cases.getCase(US_ANALYST, id);
    const ev = c?.attachments.find((a) => a.name === 'event.json');
    expect(ev?.sha256).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
    expect(ev?.mediaType).toBe('application/json');
    const full = await cases.caseAttachment(US_ANALYST, id, ev?.id ?? 0);
    expect(Buffer.from(full?.content ?? []).toString()).toBe('{"a":1}');
    await store.close();
  });

  it("a case's marking is the most restrictive of its evidence and entries; readers see what it allows", async () => {
    const { store, cases, id } = await withCase('marking.db');
    const c = await cases.getCase(US_ANALYST, id);
    expect(c?.version.marking).toMatchObject({
      classification: 'CONFIDENTIAL',
      releasableTo: ['JPN', 'USA'],
    });
    // A Japanese reader cleared to SECRET sees it; one cleared to UNCLASSIFIED does not, even in the list.
    expect((await cases.getCase(JP_ANALYST, id))?.attachments).toHaveLength(2);
    expect(await cases.getCase(JP_LOW, id)).toBeNull();
    expect(await cases.listCases(JP_LOW)).toEqual([]);
    expect(await cases.caseAttachment(JP_LOW, id, 1)).toBeNull();
    // A note marked for the USA only makes the case USA-only: the Japanese reader loses it.
    await cases.addCaseNote(id, { text: 'US eyes only', marking: mk('SECRET', ['USA']) }, USSF, US_ANALYST);
    const after = await cases.getCase(US_ANALYST, id);
    expect(after?.version.marking).toMatchObject({ classification: 'SECRET', releasableTo: ['USA'] });
    expect(await cases.getCase(JP_ANALYST, id)).toBeNull();
    // The earlier version keeps its own marking and stays readable to the Japanese reader.
    expect((await cases.getCase(JP_ANALYST, id, 1))?.version.marking.classification).toBe('CONFIDENTIAL');
    // A partner outside the releasability may not act on it (it is absent for them).
    await expect(cases.addCaseNote(id, { text: 'x' }, JAXA, JP_ANALYST)).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    await store.close();
  });
});

/** Readers × case markings: the case reads filter with the store's one SQL condition. */
describe('case authorization matrix', () => {
  // One case per marking, each opened by its originator, with one attachment of the same marking.
  const CASES: readonly {
    name: string;
    owner: { organisation: string; nation: string };
    marking: Marking;
  }[] = [
    { name: 'A', owner: { organisation: 'USSF', nation: 'USA' }, marking: mk('UNCLASSIFIED', 'ALL') },
    {
      name: 'B',
      owner: { organisation: 'USSF', nation: 'USA' },
      marking: mk('CONFIDENTIAL', ['JPN', 'USA']),
    },
    { name: 'C', owner: { organisation: 'USSF', nation: 'USA' }, marking: mk('SECRET', ['USA']) },
    { name: 'D', owner: { organisation: 'USSF', nation: 'USA' }, marking: mk('SECRET', []) },
    { name: 'E', owner: { organisation: 'UKSC', nation: 'GBR' }, marking: mk('RESTRICTED', ['GBR'], 'UKSC') },
  ];
  const reader = (organisation: string, nation: string, clearance: string): Reader => ({
    organisation,
    nation,
    clearance,
  });
  // Each reader with the cases it may see, written out by hand (D: no nation, the originator only).
  const READERS: readonly [Reader, string][] = [
    [reader('USSF', 'USA', 'SECRET'), 'ABCD'],
    [reader('NASA', 'USA', 'SECRET'), 'ABC'],
    [reader('NRO', 'USA', 'UNCLASSIFIED'), 'A'],
    [reader('JAXA', 'JPN', 'SECRET'), 'AB'],
    [reader('JAXA', 'JPN', 'CONFIDENTIAL'), 'AB'],
    [reader('JAXA', 'JPN', 'RESTRICTED'), 'A'],
    [reader('UKSC', 'GBR', 'SECRET'), 'AE'],
    [reader('UKSC', 'GBR', 'UNCLASSIFIED'), 'A'],
    // A clearance the scheme does not know: nothing, not everything.
    [reader('USSF', 'USA', 'TOP SECRET'), ''],
  ];
  const canSee = (r: Reader, m: Marking) => {
    try {
      return canRead(DEFAULT_SCHEME, r, m);
    } catch {
      return false;
    }
  };

  it('each reader lists, counts and reads exactly the cases its clearance, nation and organisation allow', async () => {
    const store = await openSqliteStore(join(dir, 'matrix.db'));
    const cases = store.cases();
    const ids = new Map<string, number>();
    for (const c of CASES) {
      const id = await cases.openCase({
        title: `case ${c.name}`,
        summary: 'matrix',
        owner: c.owner,
        actor: { username: 'x', organisation: c.owner.organisation },
        source: { kind: 'event', id: c.name, type: 'maneuver' },
        requestedMarking: c.marking,
        attachments: [
          {
            name: `${c.name}.json`,
            kind: 'upload',
            mediaType: 'application/json',
            content: '{}',
            marking: c.marking,
          },
        ],
      });
      ids.set(c.name, id);
    }
    let checked = 0;
    for (const [r, expected] of READERS) {
      const who = `${r.organisation}/${r.nation}/${r.clearance}`;
      const visible = CASES.filter((c) => canSee(r, c.marking)).map((c) => c.name);
      // The hand-written expectation and astro's canRead agree.
      expect(visible.join(''), who).toBe(expected);
      const list = await cases.listCases(r);
      expect(list.length, `${who}: count of the case list`).toBe(expected.length);
      expect(list.map((c) => c.title).sort(), who).toEqual(visible.map((n) => `case ${n}`));
      expect((await cases.listCases(r, { state: 'draft' })).length, who).toBe(expected.length);
      expect(await cases.listCases(r, { state: 'closed' }), who).toEqual([]);
      const first = await cases.listCases(r, { limit: 1 });
      expect(first.length, who).toBe(Math.min(1, expected.length));
      if (first[0] !== undefined) expect(first[0].id).toBe(Math.max(...list.map((c) => c.id)));
      for (const c of CASES) {
        const id = ids.get(c.name) ?? 0;
        const may = expected.includes(c.name);
        const got = await cases.getCase(r, id);
        expect(got !== null, `${who} reads case ${c.name}`).toBe(may);
        expect((await cases.getCase(r, id, 1)) !== null, `${who} reads case ${c.name} v1`).toBe(may);
        expect((await cases.caseHistory(r, id)).length, `${who} history of ${c.name}`).toBe(may ? 1 : 0);
        const attachmentId = got?.attachments[0]?.id;
        if (may) {
          expect(got?.attachments, `${who} attachments of ${c.name}`).toHaveLength(1);
          expect(await cases.caseAttachment(r, id, attachmentId ?? 0)).not.toBeNull();
        }
        checked++;
      }
    }
    expect(checked).toBe(READERS.length * CASES.length);
    // Attachments of a case a reader may not see are absent, by id too.
    const dId = ids.get('D') ?? 0;
    const dAttachment = (await cases.getCase(US_ANALYST, dId))?.attachments[0]?.id ?? 0;
    expect(dAttachment).toBeGreaterThan(0);
    expect(await cases.caseAttachment(reader('NASA', 'USA', 'SECRET'), dId, dAttachment)).toBeNull();
    // A change builds on the latest version the reader may read: absent for the others.
    await expect(
      cases.addCaseNote(
        dId,
        { text: 'x' },
        { username: 'n', organisation: 'NASA' },
        reader('NASA', 'USA', 'SECRET'),
      ),
    ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    await store.close();
  });
});

describe('partner responses (case exchange)', () => {
  it("applies a partner's response and records it in one transaction: all or nothing, once", async () => {
    const { store, cases, id } = await withCase('partner-response.db');
    await cases.applyCaseAction(
      id,
      { kind: 'share', partners: [{ organisation: 'JAXA', nation: 'JPN' }] },
      USSF,
      US_ANALYST,
    );
    const assessment = {
      kind: 'assessment' as const,
      subject: { kind: 'class' as const, id: 'co-orbital' },
      likelihood: 'likely',
      confidence: 'moderate' as const,
      reasons: 'r',
      marking: mk('UNCLASSIFIED', 'ALL', 'JAXA'),
    };
    const response = {
      partner: 'JPN-NODE',
      caseId: id,
      actor: JAXA,
      reader: JP_ANALYST,
    };
    // An action the workflow refuses (a partner may not close the case) stores neither action.
    const refused = await cases.applyPartnerResponse({
      ...response,
      responseId: 1,
      actions: [assessment, { kind: 'close', note: 'x' }],
    });
    expect(refused.firstTime).toBe(true);
    expect(refused.outcome).toMatch(/^refused /);
    expect((await cases.getCase(US_ANALYST, id))?.latestVersion).toBe(2);
    const applied = await cases.applyPartnerResponse({
      ...response,
      responseId: 2,
      actions: [assessment, { kind: 'respond', position: 'concur', reasons: 'agreed' }],
    });
    expect(applied).toEqual({ outcome: 'applied v4', firstTime: true, versions: [3, 4] });
    // The same response again (a retry) changes nothing.
    const retried = await cases.applyPartnerResponse({
      ...response,
      responseId: 2,
      actions: [assessment, { kind: 'respond', position: 'concur', reasons: 'agreed' }],
    });
    expect(retried).toEqual({ outcome: 'applied v4', firstTime: false, versions: [] });
    const c = await cases.getCase(US_ANALYST, id);
    expect(c?.latestVersion).toBe(4);
    expect(c?.assessments.filter((a) => a.organisation === 'JAXA')).toHaveLength(1);
    expect(await store.caseExchange().responseOutcome('JPN-NODE', 2)).toBe('applied v4');
    // An organisation the case does not name as partner is refused without a version.
    const stranger = await cases.applyPartnerResponse({
      ...response,
      responseId: 3,
      actor: { username: 'x', organisation: 'DLR' },
      reader: { organisation: 'DLR', nation: 'DEU', clearance: 'SECRET' },
      actions: [{ kind: 'respond', position: 'concur', reasons: 'r' }],
    });
    expect(stranger.outcome).toMatch(/^refused (NOT_FOUND|CASE_NOT_PARTNER)$/);
    expect((await cases.getCase(US_ANALYST, id))?.latestVersion).toBe(4);
    await store.close();
  });
});
