/**
 * Signed bundles: canonical JSON (key order and whitespace do not change the signed text), Ed25519
 * signatures that verify, and every tampering — a changed value, an added field, a removed item, a
 * different key, a malformed signature — refused with its code.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_FORMAT,
  canonicalJson,
  keyId,
  type SignedBundle,
  sha256Hex,
  signBundle,
  verifyBundle,
} from '../src/exchange/bundle.js';

const a = generateKeyPairSync('ed25519');
const b = generateKeyPairSync('ed25519');
const trusted = new Map([[keyId(a.publicKey), a.publicKey]]);

function bundle(): SignedBundle {
  const payload = 'CCSDS_OMM_VERS = 2.0\n';
  return signBundle(
    {
      format: BUNDLE_FORMAT,
      keyId: keyId(a.publicKey),
      sequence: 7,
      items: [{ kind: 'OMM', payload, sha256: sha256Hex(payload), marking: 'UNCLASSIFIED//REL TO JPN, USA' }],
    },
    a.privateKey,
  );
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: true, c: null }, 'x'] })).toBe(
      '{"a":[{"c":null,"d":true},"x"],"b":1}',
    );
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });
});

describe('signed bundles', () => {
  it('verify after a JSON round trip with the keys in another order', () => {
    const signed = bundle();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(signed).reverse())));
    const r = verifyBundle(reordered, trusted);
    expect(r.ok).toBe(true);
  });

  it.each([
    ['a changed value', (x: Record<string, unknown>) => ({ ...x, sequence: 8 }), 'BUNDLE_SIGNATURE'],
    ['an added field', (x: Record<string, unknown>) => ({ ...x, extra: 1 }), 'BUNDLE_SIGNATURE'],
    ['a removed item', (x: Record<string, unknown>) => ({ ...x, items: [] }), 'BUNDLE_SIGNATURE'],
    [
      'another key id',
      (x: Record<string, unknown>) => ({ ...x, keyId: keyId(b.publicKey) }),
      'BUNDLE_UNKNOWN_KEY',
    ],
    ['a malformed signature', (x: Record<string, unknown>) => ({ ...x, signature: 'abc' }), 'BUNDLE_FORMAT'],
    ['another format', (x: Record<string, unknown>) => ({ ...x, format: 'other/1' }), 'BUNDLE_FORMAT'],
  ])('refuses %s', (_name, tamper, code) => {
    const r = verifyBundle(tamper({ ...bundle() }), trusted);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.code).toBe(code);
  });

  it('refuses a bundle signed by an untrusted key that names a trusted key id', () => {
    const forged = signBundle(
      { format: BUNDLE_FORMAT, keyId: keyId(b.publicKey), sequence: 1 },
      b.privateKey,
    );
    const r = verifyBundle({ ...forged, keyId: keyId(a.publicKey) }, trusted);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.code).toBe('BUNDLE_SIGNATURE');
    expect(() => signBundle({ format: BUNDLE_FORMAT, keyId: keyId(a.publicKey) }, b.privateKey)).toThrow(
      /names key/,
    );
  });

  it('does not throw on hostile input', () => {
    for (const v of [
      null,
      1,
      'x',
      [],
      { format: BUNDLE_FORMAT, signature: `${'A'.repeat(86)}==`, keyId: 'k' },
    ]) {
      expect(verifyBundle(v, trusted).ok).toBe(false);
    }
  });
});
