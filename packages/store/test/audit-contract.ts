/**
 * The audit-log behaviour every catalog store must show, run against each implementation
 * (audit.test.ts: SQLite; postgres-identity-audit.test.ts: PostgreSQL): appends form one hash chain
 * from the genesis hash; the append-only triggers refuse UPDATE, DELETE and an insert that does not
 * extend the head; tampering by raw SQL on a copy of the database (triggers dropped first, as an
 * attacker with raw access would) is found at the right sequence number — an edited field, a
 * deleted row, two rows swapped, the tail cut off (found only against an anchor), the table
 * dropped, a chain rewritten consistently; an export verifies on its own and a tampered one does
 * not; checkpoints; the store's write methods append records; two store handles and two processes
 * appending to one database keep one chain.
 *
 * The child processes run the built store (`dist/`, `npx tsc -b` first).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_GENESIS_HASH,
  type AuditAnchor,
  type AuditCheckpoint,
  auditRecordHash,
  canonicalJson,
  checkAuditCheckpointSignature,
  makeAuditCheckpoint,
  parseAuditAnchor,
  redactSecrets,
  verifyAuditExport,
} from '../src/audit-chain.js';
import { type AuditLog, runWithAuditActor } from '../src/audit-log.js';
import type { CatalogStore } from '../src/catalog-store.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The built store, for child processes. */
export const STORE_DIST = resolve(here, '../dist/index.js');

export type AuditedStore = CatalogStore & { readonly audit: AuditLog };

/** One database of a store under test. */
export interface AuditTestDatabase {
  open(options?: {
    readonly readOnly?: boolean;
    readonly auditCheckpoints?: { readonly records: number; readonly sink: (c: AuditCheckpoint) => void };
  }): Promise<AuditedStore>;
  /** Runs SQL statements (no parameters) with raw access to the database; no store open on it. */
  sql(text: string): Promise<void>;
  /** Drops the append-only triggers of audit_log (what an attacker with raw access does first). */
  dropTriggers(): Promise<void>;
  /** A copy of this database (no store open on it). */
  copy(): Promise<AuditTestDatabase>;
  /** ES module code that sets `s` to a writable store on this database (STORE_DIST's exports). */
  childOpen(): string;
}

const ALICE = { username: 'alice', organisation: 'JAXA', via: 'session' } as const;
/** Records in the base log of the tamper tests. */
const N = 20;

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

export function runAuditLogContract(name: string, create: () => Promise<AuditTestDatabase>): void {
  /** A database holding N audit records (no store open), and its head. */
  async function baseLog(): Promise<{ db: AuditTestDatabase; head: AuditAnchor }> {
    const db = await create();
    const store = await db.open();
    for (let i = 1; i <= N; i++) {
      await store.audit.append({
        actor: ALICE,
        action: `http.GET /objects/${25000 + i}`,
        target: `/objects/${25000 + i}`,
        outcome: i % 5 === 0 ? 'denied' : 'allowed',
        status: i % 5 === 0 ? 404 : 200,
        details: { i, route: '/objects/:id' },
      });
    }
    const head = await store.audit.head();
    await store.close();
    if (head === null) throw new Error('empty log');
    return { db, head };
  }

  /** A copy of `db` changed by `sql` after dropping the triggers. */
  async function tampered(db: AuditTestDatabase, sql: string): Promise<AuditTestDatabase> {
    const copy = await db.copy();
    await copy.dropTriggers();
    await copy.sql(sql);
    return copy;
  }

  async function verifyDb(db: AuditTestDatabase, expectedHead?: AuditAnchor) {
    const store = await db.open({ readOnly: true });
    try {
      return await store.audit.verify(expectedHead === undefined ? {} : { expectedHead });
    } finally {
      await store.close();
    }
  }

  async function exportText(store: AuditedStore, from?: number): Promise<string> {
    const lines: string[] = [];
    await store.audit.exportLines((l) => lines.push(l), from === undefined ? {} : { from });
    return `${lines.join('\n')}\n`;
  }

  describe(`AuditLog contract: ${name}`, () => {
    describe('append and verify', () => {
      it('chains records from the genesis hash and verifies them', async () => {
        const store = await (await create()).open();
        const r1 = await store.audit.append({
          actor: ALICE,
          action: 'http.GET /objects/25544',
          target: '/objects/25544',
          outcome: 'allowed',
          status: 200,
          details: { b: 2, a: 1 },
        });
        const r2 = await store.audit.append({
          action: 'job.submit',
          target: 'job/1',
          outcome: 'allowed',
          status: null,
          details: {},
        });
        expect(r1.seq).toBe(1);
        expect(r1.prevHash).toBe(AUDIT_GENESIS_HASH);
        expect(r2.seq).toBe(2);
        expect(r2.prevHash).toBe(r1.hash);
        expect(r2.actor.via).toBe('system');
        const report = await store.audit.verify({ expectedHead: { seq: 2, hash: r2.hash } });
        expect(report).toMatchObject({
          ok: true,
          checked: 2,
          head: { seq: 2, hash: r2.hash },
          problem: null,
        });
        expect(await store.audit.head()).toEqual({ seq: 2, hash: r2.hash });
        const listed = await store.audit.list({ limit: 1 });
        expect(listed.map((r) => r.seq)).toEqual([2]);
        expect((await store.audit.list({ fromSeq: 1 }))[0]?.details).toEqual({ a: 1, b: 2 });
        expect((await store.audit.list({ fromSeq: 1 }))[0]).toEqual(r1);
        await store.close();
      });

      it('concurrent appends are written together in order; after close an append is refused', async () => {
        const store = await (await create()).open();
        const first = store.audit.append({
          action: 'a',
          target: null,
          outcome: 'allowed',
          status: null,
          details: {},
        });
        const many = Array.from({ length: 30 }, (_, i) =>
          store.audit.append({
            action: `b${i}`,
            target: null,
            outcome: 'allowed',
            status: null,
            details: { i },
          }),
        );
        const records = await Promise.all([first, ...many]);
        expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
        expect(records[5]?.action).toBe('b4');
        expect((await store.audit.verify()).checked).toBe(31);
        const queued = store.audit.append({
          action: 'c',
          target: null,
          outcome: 'allowed',
          status: null,
          details: {},
        });
        await store.close();
        expect((await queued).seq).toBe(32);
        await expect(
          store.audit.append({ action: 'd', target: null, outcome: 'allowed', status: null, details: {} }),
        ).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      });

      it('refuses UPDATE, DELETE and an insert that does not extend the head', async () => {
        const { db } = await baseLog();
        await expect(db.sql(`UPDATE audit_log SET outcome = 'allowed' WHERE seq = 5`)).rejects.toThrow(
          /append-only/,
        );
        await expect(db.sql('DELETE FROM audit_log WHERE seq = 20')).rejects.toThrow(/append-only/);
        const g = lit(AUDIT_GENESIS_HASH);
        // A fork: a record 21 that does not link to record 20.
        await expect(
          db.sql(
            `INSERT INTO audit_log VALUES (21, '2026-01-01T00:00:00.000Z', NULL, NULL, 'system', 'x', NULL, 'allowed', NULL, '{}', ${g}, ${g})`,
          ),
        ).rejects.toThrow(/extend the head/);
        expect((await verifyDb(db)).checked).toBe(N);
      });

      it('keeps secrets out of details', async () => {
        expect(
          redactSecrets({
            user: 'a',
            password: 'x',
            nested: { Authorization: 'Bearer y', list: [{ apiKey: 'k' }] },
          }),
        ).toEqual({
          user: 'a',
          password: '[redacted]',
          nested: { Authorization: '[redacted]', list: [{ apiKey: '[redacted]' }] },
        });
        expect(canonicalJson({ b: [1, { d: 1, c: undefined }], a: 'é' })).toBe('{"a":"é","b":[1,{"d":1}]}');
        const store = await (await create()).open();
        await store.audit.append({
          action: 'x',
          target: null,
          outcome: 'allowed',
          status: null,
          details: { token: 'hsm_secret', fine: 1 },
        });
        expect((await store.audit.list())[0]?.details).toEqual({ token: '[redacted]', fine: 1 });
        await store.close();
      });
    });

    describe('tampering on a copy of the database is detected', () => {
      it('an intact copy verifies, without triggers only with a warning', async () => {
        const { db, head } = await baseLog();
        expect(await verifyDb(db, head)).toMatchObject({ ok: true, checked: N, warnings: [] });
        const noTriggers = await tampered(db, 'SELECT 1');
        const r = await verifyDb(noTriggers, head);
        expect(r.ok).toBe(true);
        expect(r.warnings.join(' ')).toMatch(/triggers missing/);
      });

      it('an edited field: hash-mismatch at that record', async () => {
        const { db, head } = await baseLog();
        const copy = await tampered(
          db,
          `UPDATE audit_log SET outcome = 'allowed', status = 200 WHERE seq = 10`,
        );
        expect((await verifyDb(copy, head)).problem).toMatchObject({ seq: 10, kind: 'hash-mismatch' });
        const copy2 = await tampered(
          db,
          `UPDATE audit_log SET details = '{"i":7,"route":"/elsewhere"}' WHERE seq = 7`,
        );
        expect((await verifyDb(copy2)).problem).toMatchObject({ seq: 7, kind: 'hash-mismatch' });
      });

      it('a deleted row: sequence-gap there; renumbered after: broken-link there', async () => {
        const { db, head } = await baseLog();
        const gap = await tampered(db, 'DELETE FROM audit_log WHERE seq = 8');
        expect((await verifyDb(gap, head)).problem).toMatchObject({ seq: 8, kind: 'sequence-gap' });
        const renumbered = await tampered(
          db,
          'DELETE FROM audit_log WHERE seq = 8; UPDATE audit_log SET seq = -seq WHERE seq > 8; UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0',
        );
        expect((await verifyDb(renumbered)).problem).toMatchObject({ seq: 8, kind: 'broken-link' });
        const first = await tampered(db, 'DELETE FROM audit_log WHERE seq = 1');
        expect((await verifyDb(first)).problem).toMatchObject({ seq: 1, kind: 'sequence-gap' });
      });

      it('two rows swapped: reordered at the first of them', async () => {
        const { db, head } = await baseLog();
        const copy = await tampered(
          db,
          'UPDATE audit_log SET seq = -1 WHERE seq = 12; UPDATE audit_log SET seq = 12 WHERE seq = 13; UPDATE audit_log SET seq = 13 WHERE seq = -1',
        );
        expect((await verifyDb(copy, head)).problem).toMatchObject({ seq: 12, kind: 'reordered' });
      });

      it('the tail cut off: invisible without an anchor, truncated with one', async () => {
        const { db, head } = await baseLog();
        const copy = await tampered(db, 'DELETE FROM audit_log WHERE seq > 15');
        const blind = await verifyDb(copy);
        expect(blind.ok).toBe(true);
        expect(blind.head?.seq).toBe(15);
        expect(blind.warnings.join(' ')).toMatch(/no anchor/);
        expect((await verifyDb(copy, head)).problem).toMatchObject({ seq: 16, kind: 'truncated' });
      });

      it('the whole table dropped: truncated at record 1', async () => {
        const { db } = await baseLog();
        const copy = await tampered(db, 'DROP TABLE audit_log');
        expect((await verifyDb(copy)).problem).toMatchObject({ seq: 1, kind: 'truncated' });
      });

      it('a chain rewritten consistently: invisible without an anchor, anchor-mismatch with one', async () => {
        const { db, head } = await baseLog();
        const copy = await tampered(
          db,
          `UPDATE audit_log SET outcome = 'allowed', status = 200 WHERE seq = 15`,
        );
        // The attacker recomputes every hash from record 15 on.
        const store = await copy.open({ readOnly: true });
        const rows = await store.audit.list({ fromSeq: 1 });
        await store.close();
        let prev = AUDIT_GENESIS_HASH;
        const updates: string[] = [];
        for (const r of rows) {
          const hash = auditRecordHash({ ...r, prevHash: prev });
          updates.push(
            `UPDATE audit_log SET prev_hash = ${lit(prev)}, hash = ${lit(hash)} WHERE seq = ${r.seq}`,
          );
          prev = hash;
        }
        await copy.sql(updates.join('; '));
        expect((await verifyDb(copy)).ok).toBe(true);
        expect((await verifyDb(copy, head)).problem).toMatchObject({ seq: N, kind: 'anchor-mismatch' });
      });
    });

    describe('export and checkpoints', () => {
      it('an export verifies on its own, from the start or from a sequence number', async () => {
        const { db, head } = await baseLog();
        const store = await db.open({ readOnly: true });
        const whole = await exportText(store);
        const tail = await exportText(store, 11);
        const beyond = await exportText(store, N + 1);
        await store.close();
        expect(whole.trim().split('\n')).toHaveLength(N + 1);
        expect(verifyAuditExport(whole, { expectedHead: head })).toMatchObject({ ok: true, checked: N });
        expect(verifyAuditExport(tail)).toMatchObject({ ok: true, checked: 10, firstSeq: 11 });
        expect(JSON.parse(beyond.trim())).toMatchObject({ from: N + 1, head: null });
      });

      it('a tampered export fails at the right record', async () => {
        const { db } = await baseLog();
        const store = await db.open({ readOnly: true });
        const whole = await exportText(store);
        await store.close();
        const lines = whole.trim().split('\n');
        const edited = [...lines];
        edited[6] = (edited[6] as string).replace('"outcome":"allowed"', '"outcome":"denied"');
        expect(edited[6]).not.toBe(lines[6]);
        expect(verifyAuditExport(edited.join('\n')).problem).toMatchObject({ seq: 6, kind: 'hash-mismatch' });
        const deleted = lines.filter((_, i) => i !== 9);
        expect(verifyAuditExport(deleted.join('\n')).problem).toMatchObject({ seq: 9, kind: 'sequence-gap' });
        const swapped = [...lines];
        [swapped[3], swapped[4]] = [swapped[4] as string, swapped[3] as string];
        expect(verifyAuditExport(swapped.join('\n')).problem).toMatchObject({ seq: 3, kind: 'reordered' });
        const cut = lines.slice(0, 15);
        expect(verifyAuditExport(cut.join('\n')).problem).toMatchObject({ seq: 15, kind: 'truncated' });
        expect(verifyAuditExport('not json\n').problem?.kind).toBe('malformed');
      });

      it('signed checkpoints: valid under the signer key only; the checkpoint is itself logged', async () => {
        const { db } = await baseLog();
        const store = await db.open();
        const keys = generateKeyPairSync('ed25519');
        const other = generateKeyPairSync('ed25519');
        const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const cp = await store.audit.checkpoint(pem);
        expect(cp).toMatchObject({ seq: N });
        if (cp === null) throw new Error('no checkpoint');
        const pub = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
        expect(checkAuditCheckpointSignature(cp, pub)).toBe(true);
        expect(
          checkAuditCheckpointSignature(
            cp,
            other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          ),
        ).toBe(false);
        expect(checkAuditCheckpointSignature({ ...cp, seq: cp.seq - 1 }, pub)).toBe(false);
        const last = (await store.audit.list({ limit: 1 }))[0];
        expect(last).toMatchObject({
          seq: N + 1,
          action: 'audit.checkpoint',
          target: `${cp.seq}:${cp.hash}`,
        });
        expect((await store.audit.verify({ expectedHead: cp })).ok).toBe(true);
        expect(makeAuditCheckpoint(cp, cp.at).signature).toBeUndefined();
        expect(parseAuditAnchor(`${cp.seq}:${cp.hash.toUpperCase()}`)).toEqual({
          seq: cp.seq,
          hash: cp.hash,
        });
        expect(parseAuditAnchor('12:abc')).toBeNull();
        await store.close();
        const empty = await (await create()).open();
        expect(await empty.audit.checkpoint()).toBeNull();
        await empty.close();
      });

      it('periodic checkpoints every k records', async () => {
        const seen: number[] = [];
        const store = await (await create()).open({
          auditCheckpoints: { records: 4, sink: (c) => seen.push(c.seq) },
        });
        for (let i = 0; i < 10; i++) {
          await store.audit.append({
            action: 'x',
            target: null,
            outcome: 'allowed',
            status: null,
            details: {},
          });
        }
        expect(seen).toEqual([4, 8]);
        await store.close();
      });
    });

    describe('the store logs its changes', () => {
      it('writes append records with the actor of the context; a failed write is logged as failed', async () => {
        const store = await (await create()).open();
        const job = {
          id: 'j1',
          kind: 'screening',
          params: { token: 'should-not-appear' },
          state: 'queued',
          progressFraction: null,
          progressMessage: '',
          requestedBy: 'alice',
          createdAt: '2026-01-01T00:00:00Z',
          startedAt: null,
          finishedAt: null,
          result: null,
          error: null,
        } as const;
        await runWithAuditActor(ALICE, () => store.saveJob(job));
        await store.updateJob('j1', { progressFraction: 0.5 });
        await store.updateJob('j1', { state: 'running' });
        await expect(runWithAuditActor(ALICE, () => store.saveJob(job))).rejects.toMatchObject({
          code: 'STORE_DUPLICATE',
        });
        await store.saveWatchList({
          name: 'mine',
          assets: ['25544'],
          schedule: null,
          thresholds: { maxMissKm: 5, minPc: null },
          webhookUrl: 'https://hooks.example/abc?token=secret',
          enabled: true,
        });
        const records = await store.audit.list({ fromSeq: 1 });
        expect(records.map((r) => [r.action, r.outcome, r.actor.via])).toEqual([
          ['job.submit', 'allowed', 'session'],
          ['job.update', 'allowed', 'system'],
          ['job.submit', 'failed', 'session'],
          ['watch.save', 'allowed', 'system'],
        ]);
        expect(records[0]?.actor).toEqual(ALICE);
        expect(records[2]?.details).toMatchObject({ error: { code: 'STORE_DUPLICATE' } });
        expect(JSON.stringify(records)).not.toMatch(/secret|should-not-appear/);
        expect((await store.audit.verify()).ok).toBe(true);
        await store.close();
      });
    });

    describe('concurrent writers keep one chain', () => {
      it('two store handles on one database, appends interleaved', async () => {
        const db = await create();
        const a = await db.open();
        const b = await db.open();
        const per = 200;
        const entry = (who: string, i: number) => ({
          action: `test.${who}`,
          target: String(i),
          outcome: 'allowed' as const,
          status: null,
          details: { i },
        });
        await Promise.all([
          ...Array.from({ length: per }, (_, i) => a.audit.append(entry('a', i))),
          ...Array.from({ length: per }, (_, i) => b.audit.append(entry('b', i))),
        ]);
        const report = await a.audit.verify();
        expect(report).toMatchObject({ ok: true, checked: 2 * per });
        await a.close();
        await b.close();
      });

      it('two processes appending to one database at once', async () => {
        const db = await create();
        await (await db.open()).close();
        const per = 300;
        const child = (who: string) =>
          new Promise<number>((resolveExit, reject) => {
            const code = `
              ${db.childOpen()}
              for (let i = 0; i < ${per}; i++) {
                await s.audit.append({ action: 'test.${who}', target: String(i), outcome: 'allowed', status: null, details: { i } });
              }
              await s.close();`;
            const p = spawn(process.execPath, ['--input-type=module', '-e', code], {
              stdio: ['ignore', 'ignore', 'inherit'],
            });
            p.on('error', reject);
            p.on('exit', (c) => resolveExit(c ?? -1));
          });
        expect(await Promise.all([child('p'), child('q')])).toEqual([0, 0]);
        const store = await db.open({ readOnly: true });
        const report = await store.audit.verify();
        expect(report).toMatchObject({ ok: true, checked: 2 * per });
        const records = await store.audit.list({ fromSeq: 1, limit: 2 * per });
        // Both processes' records are all there, each process's in its own order.
        for (const who of ['p', 'q']) {
          expect(records.filter((r) => r.action === `test.${who}`).map((r) => Number(r.target))).toEqual(
            Array.from({ length: per }, (_, i) => i),
          );
        }
        await store.close();
      });
    });
  });
}
