/**
 * `hoshimi case` end to end on a real store: the Kosmos 1408 debris cluster found by
 * `hoshimi fragmentation detect` between two catalog extracts (reference data) is stored as an
 * event, a case opened from it gathers its evidence (the event record, the histories of the parent
 * and every fragment, related events, the Gabbard diagram), then list, show, the signed export with
 * its printable report, and the offline verification that accepts the export and refuses a
 * modified one.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, runHoshimi } from './harness.js';

const FRAG = join(DATA, 'fragmentation/kosmos1408');
const BEFORE = join(FRAG, 'kosmos1408_from_catalog_2021-05-29.3le.txt');
const AFTER = join(FRAG, 'kosmos1408_from_catalog_2022-01-22.3le.txt');
const dir = mkdtempSync(join(tmpdir(), 'hoshimi-case-'));
const db = join(dir, 'c.db');
const env = { ...process.env, HOSHIMI_ORG: 'USSF', HOSHIMI_NATION: 'USA', HOSHIMI_DB: join(dir, 'never.db') };
const run = (...args: string[]) => runHoshimi(args, { env });

describe('hoshimi case', () => {
  it('opens a case from a detected fragmentation, exports it signed, and verifies it offline', () => {
    const events = join(dir, 'events.json');
    const det = run('fragmentation', 'detect', '--before', BEFORE, '--after', AFTER, '--events', events);
    expect(det.status, det.stderr).toBe(0);
    for (const f of [BEFORE, AFTER]) expect(run('catalog', 'import', f, '--db', db).status).toBe(0);
    expect(run('events', 'import', events, '--db', db).status).toBe(0);
    const list = JSON.parse(run('events', 'list', '--db', db, '--type', 'fragmentation', '--json').stdout);
    expect(list).toHaveLength(1);
    const event = list[0];
    expect(event.objects[0]).toBe('13552');

    expect(run('case', 'open', '--db', db).status).toBe(2);
    const open = run('case', 'open', '--event', String(event.id), '--db', db);
    expect(open.status, open.stderr).toBe(0);
    expect(open.stdout).toContain('case 1 opened');
    expect(run('case', 'open', '--event', '999', '--db', db).status).toBe(1);

    const shown = JSON.parse(run('case', 'show', '1', '--db', db, '--json').stdout);
    expect(shown.state).toBe('draft');
    expect(shown.source).toEqual({ kind: 'event', id: String(event.id), type: 'fragmentation' });
    expect(shown.attachments.map((a: { name: string }) => a.name)).toEqual([
      `event-${event.id}.json`,
      'element-histories.json',
      'related-events.json',
      'gabbard.vl.json',
    ]);
    const cases = JSON.parse(run('case', 'list', '--db', db, '--json').stdout);
    expect(cases.map((c: { id: number }) => c.id)).toEqual([1]);
    // Another nation's reader sees the unclassified case; the list is what the reader may see.
    expect(
      runHoshimi(['case', 'list', '--db', db, '--org', 'JAXA', '--nation', 'JPN', '--json'], { env }).status,
    ).toBe(0);

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const priv = join(dir, 'key.pem');
    const pub = join(dir, 'key.pub.pem');
    writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    const bundle = join(dir, 'case-1.json');
    const report = join(dir, 'case-1.html');
    const ex = run(
      'case',
      'export',
      '1',
      '--db',
      db,
      '--key',
      priv,
      '--out',
      bundle,
      '--report',
      report,
      '--lang',
      'ja',
    );
    expect(ex.status, ex.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('Gabbard');
    expect(html).not.toMatch(/https?:\/\//);

    const ok = run('case', 'verify', bundle, '--key', pub);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('verified');
    const doc = JSON.parse(readFileSync(bundle, 'utf8'));
    // The parent's history summary: the set of the earlier extract is the latest before the event.
    const hist = JSON.parse(
      Buffer.from(
        doc.attachments.find((a: { kind: string }) => a.kind === 'element-history').contentBase64,
        'base64',
      ).toString(),
    );
    expect(hist.objects.length).toBe(event.objects.length);
    expect(hist.objects[0]).toMatchObject({ catalogNumber: '13552', elementSets: 2 });
    expect(hist.objects[0].latestBeforeEventUtc).toMatch(/^2021-05-29T/);
    expect(hist.objects[0].dataAgeAtEventDays).toBeGreaterThan(100);
    doc.case.title = 'edited';
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const bad = run('case', 'verify', tampered, '--key', pub);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/NOT VERIFIED \[BUNDLE_SIGNATURE\]/);
  });
});
