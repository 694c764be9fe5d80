/**
 * Signed bundles: what one Hoshimi node hands another (a sync batch, an exported case file). A
 * bundle is a JSON document whose signature is Ed25519 (RFC 8032, through node:crypto) over the
 * canonical serialisation of everything but the signature: object keys sorted, no whitespace,
 * numbers as JSON.stringify writes them (the JSON Canonicalization Scheme of RFC 8785 for the
 * values a bundle holds: strings, finite numbers, booleans, null, arrays, objects). Each item's
 * payload also carries its SHA-256, so an item can be checked after it is taken out of the bundle.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export const BUNDLE_FORMAT = 'hoshimi-bundle/1';

/** A JSON value as a bundle holds it. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** The canonical text of a JSON value (sorted keys, no whitespace); refuses what JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  // One list of parts joined once: a bundle of thousands of items builds no intermediate strings.
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join('');
}

function writeCanonical(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot carry the number ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          writeCanonical(value[i], out);
        }
        out.push(']');
        return;
      }
      const o = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units, as RFC 8785 orders member names.
      const keys = Object.keys(o).sort();
      out.push('{');
      let first = true;
      for (const k of keys) {
        const v = o[k];
        if (v === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(k), ':');
        writeCanonical(v, out);
      }
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry a ${typeof value}`);
  }
}

/** SHA-256 of a text (UTF-8), lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Identifier of a public key: SHA-256 of its SPKI DER, first 16 hex digits. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** A bundle before signing: any JSON object with the format and the signer's key id. */
export interface UnsignedBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly keyId: string;
  readonly [field: string]: JsonValue;
}

export type SignedBundle = UnsignedBundle & { readonly signature: string };

/** Signs a bundle with an Ed25519 private key (signature base64 over the canonical text). */
export function signBundle(bundle: UnsignedBundle, privateKey: KeyObject): SignedBundle {
  return signBundleText(bundle, privateKey).bundle;
}

/** `signBundle`, also returning the canonical text that was signed (the signed content). */
export function signBundleText(
  bundle: UnsignedBundle,
  privateKey: KeyObject,
): { readonly bundle: SignedBundle; readonly canonical: string } {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new TypeError('bundles are signed with an Ed25519 key');
  if ('signature' in bundle) throw new TypeError('the bundle is already signed');
  const expected = keyId(createPublicKey(privateKey));
  if (bundle.keyId !== expected)
    throw new TypeError(`the bundle names key ${bundle.keyId}, the signing key is ${expected}`);
  const canonical = canonicalJson(bundle);
  const signature = sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64');
  return { bundle: { ...bundle, signature }, canonical };
}

/** Why a bundle was refused. */
export type BundleProblem =
  | { readonly code: 'BUNDLE_FORMAT'; readonly message: string }
  | { readonly code: 'BUNDLE_UNKNOWN_KEY'; readonly message: string }
  | { readonly code: 'BUNDLE_SIGNATURE'; readonly message: string };

/**
 * Checks a received bundle (parsed JSON) against the public keys the receiver trusts (by key id):
 * the format, a known key, and the signature over the canonical text. Returns the bundle or the
 * problem (and the canonical text that was verified: the signed content); never throws on hostile
 * input.
 */
export function verifyBundle(
  value: unknown,
  trusted: ReadonlyMap<string, KeyObject>,
):
  | { readonly ok: true; readonly bundle: SignedBundle; readonly canonical: string }
  | { readonly ok: false; readonly problem: BundleProblem } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, problem: { code: 'BUNDLE_FORMAT', message: 'a bundle is a JSON object' } };
  const { signature, ...rest } = value as Record<string, unknown>;
  if (rest['format'] !== BUNDLE_FORMAT)
    return { ok: false, problem: { code: 'BUNDLE_FORMAT', message: `format is not ${BUNDLE_FORMAT}` } };
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature))
    return {
      ok: false,
      problem: { code: 'BUNDLE_FORMAT', message: 'signature is not a base64 Ed25519 signature' },
    };
  const id = rest['keyId'];
  const key = typeof id === 'string' ? trusted.get(id) : undefined;
  if (key === undefined)
    return {
      ok: false,
      problem: { code: 'BUNDLE_UNKNOWN_KEY', message: `key ${String(id)} is not trusted` },
    };
  let text: string;
  try {
    text = canonicalJson(rest);
  } catch (e) {
    return { ok: false, problem: { code: 'BUNDLE_FORMAT', message: (e as Error).message } };
  }
  if (!verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64')))
    return {
      ok: false,
      problem: { code: 'BUNDLE_SIGNATURE', message: 'the signature does not match the content' },
    };
  return { ok: true, bundle: value as SignedBundle, canonical: text };
}
