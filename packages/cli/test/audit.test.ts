/**
 * `hoshimi audit` end to end: the real command in a child process on a real SQLite file whose log
 * was written by `catalog import`. verify exits 0 on an intact log and 1 naming the first bad record
 * on a tampered copy (triggers dropped first, then one row edited); export writes JSON Lines that
 * verify on their own (and fail once edited); --head finds a cut-off tail; a signed checkpoint is an
 * anchor under the signer's key and refused under another one; malformed anchors are usage errors.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hoshimi(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOSHIMI_DB: join(dir, 'never-from-env.db') },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const TLE = (n: number) =>
  [
    `SAT ${n}`,
    '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
    '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
  ].join('\n');

describe('hoshimi audit', () => {
  const db = join(dir, 'c.db');
  for (let i = 1; i <= 4; i++) writeFileSync(join(dir, `f${i}.tle`), `${TLE(i)}\n`);

  it('catalog imports are logged with the CLI actor; list and verify read them', () => {
    for (let i = 1; i <= 4; i++)
      expect(hoshimi('catalog', 'import', join(dir, `f${i}.tle`), '--db', db).status).toBe(0);
    const list = hoshimi('audit', 'list', '--db', db, '--json');
    expect(list.status).toBe(0);
    const rows = JSON.parse(list.stdout) as { seq: number; action: string; actor: { via: string } }[];
    expect(rows.map((r) => [r.seq, r.action, r.actor.via])).toEqual([
      [1, 'store.import', 'cli'],
      [2, 'store.import', 'cli'],
      [3, 'store.import', 'cli'],
      [4, 'store.import', 'cli'],
    ]);
    const v = hoshimi('audit', 'verify', '--db', db);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/intact: 4 records \(1\.\.4\), head 4:[0-9a-f]{64}/);
    expect(v.stderr).toMatch(/no anchor/);
  });

  it('a tampered copy: exit 1 and the first bad record', () => {
    const copy = join(dir, 'tampered.db');
    copyFileSync(db, copy);
    const raw = new Database(copy);
    raw.exec(
      `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 2`,
    );
    raw.close();
    const v = hoshimi('audit', 'verify', '--db', copy);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/BROKEN at record 2 \(hash-mismatch\)/);
    expect(v.stdout).toMatch(/last good record: 1:/);
    expect(v.stderr).toMatch(/triggers missing/);
  });

  it('export verifies on its own; an edited export does not; --from exports the tail', () => {
    const file = join(dir, 'audit.jsonl');
    expect(hoshimi('audit', 'export', '--db', db, '--out', file).status).toBe(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
    expect(hoshimi('audit', 'verify', '--file', file).status).toBe(0);
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, readFileSync(file, 'utf8').replace(/"inserted":1/, '"inserted":0'));
    const v = hoshimi('audit', 'verify', '--file', edited);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/BROKEN at record 1 \(hash-mismatch\)/);
    const tail = join(dir, 'tail.jsonl');
    expect(hoshimi('audit', 'export', '--db', db, '--out', tail, '--from', '3').status).toBe(0);
    expect(hoshimi('audit', 'verify', '--file', tail).stdout).toMatch(/intact: 2 records \(3\.\.4\)/);
  });

  it('--head: a cut-off tail is found against the anchor', () => {
    const head = /head (\d+:[0-9a-f]{64})/.exec(hoshimi('audit', 'verify', '--db', db).stdout)?.[1] ?? '';
    const copy = join(dir, 'cut.db');
    copyFileSync(db, copy);
    const raw = new Database(copy);
    raw.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4');
    raw.close();
    expect(hoshimi('audit', 'verify', '--db', copy).status).toBe(0);
    const v = hoshimi('audit', 'verify', '--db', copy, '--head', head);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/BROKEN at record 4 \(truncated\)/);
    expect(hoshimi('audit', 'verify', '--db', db, '--head', '4:xyz').status).toBe(2);
  });

  it('signed checkpoints: an anchor under the signer key, refused under another', () => {
    const keys = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const key = join(dir, 'k.pem');
    const pub = join(dir, 'pub.pem');
    const wrong = join(dir, 'other.pem');
    writeFileSync(key, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(pub, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(wrong, other.publicKey.export({ type: 'spki', format: 'pem' }));
    const cps = join(dir, 'checkpoints.jsonl');
    expect(hoshimi('audit', 'checkpoint', '--db', db, '--key', key, '--out', cps).status).toBe(0);
    expect(hoshimi('audit', 'verify', '--db', db, '--checkpoint', cps, '--public-key', pub).status).toBe(0);
    const refused = hoshimi('audit', 'verify', '--db', db, '--checkpoint', cps, '--public-key', wrong);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/AUDIT_CHECKPOINT_SIGNATURE/);
    // The checkpoint is itself a record of the log.
    const last = JSON.parse(hoshimi('audit', 'list', '--db', db, '--limit', '1', '--json').stdout) as {
      action: string;
    }[];
    expect(last[0]?.action).toBe('audit.checkpoint');
  });
});
