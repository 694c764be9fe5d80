/**
 * Which Ed25519 key signs this server's case exports, and where it came from. In order:
 * - a key the caller gives (`signingKey`, e.g. a test or an embedding program): 'configured';
 * - the PEM file named by `$HOSHIMI_CASE_SIGNING_KEY`, the explicit override: 'environment';
 * - the node's exchange identity key (exchange/node-identity.ts, `DB.exchange-key.pem`), so that a
 *   partner verifies case exports with the key it already trusts for the node: 'node';
 * - otherwise a key made for this process only: 'ephemeral' (exports signed with it cannot be
 *   verified after a restart; `GET /cases/signing-key` says so).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiError } from '../errors.js';
import { keyId } from '../exchange/bundle.js';

/** The environment variable naming a PEM file whose key overrides the node key for case exports. */
export const CASE_SIGNING_KEY_ENV = 'HOSHIMI_CASE_SIGNING_KEY';

export type CaseSigningSource = 'configured' | 'environment' | 'node' | 'ephemeral';

export interface CaseSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SHA-256 of the SPKI public key (hex), as bundles carry it (exchange/bundle.ts keyId). */
  readonly keyId: string;
  readonly source: CaseSigningSource;
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')
    throw new ApiError(500, 'CASE_SIGNING_KEY', `${what} is not an Ed25519 private key`);
  return key;
}

/**
 * Resolves the case signing key (order in the module header). `env` is the value of
 * `$HOSHIMI_CASE_SIGNING_KEY` (empty means unset); an unreadable file or a key that is not an
 * Ed25519 private key is refused (ApiError 500 CASE_SIGNING_KEY) rather than replaced silently.
 */
export function resolveCaseSigningKey(options: {
  readonly signingKey?: KeyObject | undefined;
  readonly env?: string | undefined;
  readonly nodeKey?: KeyObject | undefined;
}): CaseSigningKey {
  let privateKey: KeyObject;
  let source: CaseSigningSource;
  if (options.signingKey !== undefined) {
    privateKey = ed25519(options.signingKey, 'the configured case signing key');
    source = 'configured';
  } else if (options.env !== undefined && options.env !== '') {
    const path = options.env;
    try {
      privateKey = createPrivateKey(readFileSync(path));
    } catch (e) {
      throw new ApiError(500, 'CASE_SIGNING_KEY', `${CASE_SIGNING_KEY_ENV} ${path}: ${(e as Error).message}`);
    }
    ed25519(privateKey, `${CASE_SIGNING_KEY_ENV} ${path}`);
    source = 'environment';
  } else if (options.nodeKey !== undefined) {
    privateKey = ed25519(options.nodeKey, 'the node key');
    source = 'node';
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    source = 'ephemeral';
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyId(publicKey), source };
}
