/**
 * Audit log: 100,000 appends to a fresh SQLite file through the store's log (each one its own
 * `BEGIN IMMEDIATE` transaction: head read, SHA-256 over the canonical record, insert checked by
 * the append-only triggers), then a walk of the whole chain (`verify`), the JSON Lines export, and
 * the verification of that export on its own.
 *
 * Peer for the append rate: the naive log, the same rows inserted one transaction each into a table
 * without chain, hash or triggers, on the same kind of file (WAL, synchronous NORMAL): what the
 * chain costs over plain logging. A second run keeps 50 appends in flight (as 50 concurrent
 * requests do), which the log writes together, one transaction per batch (group commit), against
 * the same peer. Verify and export have no peer (null). The records are shaped
 * like the server's request records (action, target, route, request id, address, duration).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditAppend, openSqliteStore, verifyAuditExport } from '@hoshimi/store';
import Database from 'better-sqlite3';
import { record } from './harness.js';

const RECORDS = 100_000;
/** Appends in flight at once in the concurrent run (the API bench's client count). */
const IN_FLIGHT = 50;

function entry(i: number): AuditAppend {
  const id = 20000 + (i % 5000);
  return {
    actor: { username: `analyst${i % 7}`, organisation: i % 2 === 0 ? 'USSF' : 'JAXA', via: 'session' },
    action: `http.GET /objects/${id}`,
    target: `/objects/${id}`,
    outcome: i % 10 === 0 ? 'denied' : 'allowed',
    status: i % 10 === 0 ? 404 : 200,
    details: { route: '/objects/:catalogNumber', requestId: `req-${i}`, ip: '127.0.0.1', ms: 1.5 },
  };
}

export async function benchAudit(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshimi-bench-audit-'));
  try {
    // Peer: plain inserts, one transaction each.
    const plain = new Database(join(dir, 'plain.db'));
    plain.pragma('journal_mode = WAL');
    plain.pragma('synchronous = NORMAL');
    plain.exec(`CREATE TABLE log (seq INTEGER PRIMARY KEY, at TEXT, actor_username TEXT, actor_organisation TEXT,
      actor_via TEXT, action TEXT, target TEXT, outcome TEXT, status INTEGER, details TEXT)`);
    const insert = plain.prepare('INSERT INTO log VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const one = plain.transaction((e: AuditAppend) =>
      insert.run(
        new Date().toISOString(),
        e.actor?.username ?? null,
        e.actor?.organisation ?? null,
        e.actor?.via ?? 'system',
        e.action,
        e.target,
        e.outcome,
        e.status,
        JSON.stringify(e.details),
      ),
    );
    let t = performance.now();
    for (let i = 0; i < RECORDS; i++) one.immediate(entry(i));
    const plainS = (performance.now() - t) / 1000;
    plain.close();

    const store = await openSqliteStore(join(dir, 'audit.db'));
    t = performance.now();
    for (let i = 0; i < RECORDS; i++) await store.audit.append(entry(i));
    const appendS = (performance.now() - t) / 1000;
    record({
      bench: 'audit',
      metric: 'append, 100k records',
      ours: RECORDS / appendS,
      peer: RECORDS / plainS,
      unit: 'records/s',
    });

    // As from concurrent requests: 50 appends in flight, written together (group commit).
    const concurrent = await openSqliteStore(join(dir, 'audit-concurrent.db'));
    t = performance.now();
    for (let i = 0; i < RECORDS; i += IN_FLIGHT) {
      await Promise.all(Array.from({ length: IN_FLIGHT }, (_, k) => concurrent.audit.append(entry(i + k))));
    }
    const concurrentS = (performance.now() - t) / 1000;
    await concurrent.close();
    record({
      bench: 'audit',
      metric: `append, 100k records, ${IN_FLIGHT} in flight`,
      ours: RECORDS / concurrentS,
      peer: RECORDS / plainS,
      unit: 'records/s',
    });

    t = performance.now();
    const report = await store.audit.verify();
    const verifyS = (performance.now() - t) / 1000;
    if (!report.ok || report.checked !== RECORDS)
      throw new Error(`verify: ${JSON.stringify(report.problem)}`);
    record({ bench: 'audit', metric: 'verify, 100k records', ours: verifyS, peer: null, unit: 's' });

    const lines: string[] = [];
    t = performance.now();
    await store.audit.exportLines((l) => lines.push(l));
    const text = `${lines.join('\n')}\n`;
    const exportS = (performance.now() - t) / 1000;
    record({ bench: 'audit', metric: 'export, 100k records', ours: exportS, peer: null, unit: 's' });
    t = performance.now();
    const fileReport = verifyAuditExport(text);
    const fileS = (performance.now() - t) / 1000;
    if (!fileReport.ok) throw new Error(`export verify: ${JSON.stringify(fileReport.problem)}`);
    record({
      bench: 'audit',
      metric: 'verify export file, 100k records',
      ours: fileS,
      peer: null,
      unit: 's',
    });
    console.log(`  export size ${(text.length / 1024 / 1024).toFixed(1)} MiB`);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
