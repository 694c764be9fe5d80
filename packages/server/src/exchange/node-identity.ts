/**
 * The identity of a Hoshimi node in the exchange: its organisation code and nation (kept in the
 * store, `hoshimi exchange keygen`), the classification scheme, and its Ed25519 signing key. The
 * private key is a PKCS#8 PEM file beside the database (`DB.exchange-key.pem`) or at a given path,
 * created on first use with mode 0600; a key file readable by others is refused.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type ClassificationScheme, checkNation, checkOrganisation, DEFAULT_SCHEME } from '@hoshimi/astro';
import type { CatalogStore } from '@hoshimi/store';
import { ApiError } from '../errors.js';
import { keyId } from './bundle.js';

export interface NodeIdentity {
  readonly organisation: string;
  readonly nation: string;
  readonly scheme: ClassificationScheme;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** Where a node's key lives by default: beside its database. */
export function defaultKeyPath(dbPath: string): string {
  return `${dbPath}.exchange-key.pem`;
}

/**
 * Reads the node's Ed25519 private key, or creates it (mode 0600) when the file is missing and
 * `create` is set. Refuses a file that group or others may read (EXCHANGE_KEY_PERMISSIONS), one
 * that is not an Ed25519 key (EXCHANGE_KEY), and a missing one without `create` (EXCHANGE_NO_KEY).
 */
export function loadNodeKey(path: string, create: boolean): { privateKey: KeyObject; created: boolean } {
  if (!existsSync(path)) {
    if (!create)
      throw new ApiError(
        500,
        'EXCHANGE_NO_KEY',
        `no exchange key at ${path} (create it: hoshimi exchange keygen)`,
      );
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return { privateKey, created: true };
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new ApiError(
      500,
      'EXCHANGE_KEY_PERMISSIONS',
      `exchange key ${path} may be read by others; make it private (chmod 600 ${path})`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ApiError(500, 'EXCHANGE_KEY', `exchange key ${path}: ${(e as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new ApiError(500, 'EXCHANGE_KEY', `exchange key ${path} is not an Ed25519 key`);
  return { privateKey, created: false };
}

/** The node's identity: organisation and nation from the store, the key from `keyPath`. */
export async function loadNodeIdentity(
  store: CatalogStore,
  keyPath: string,
  options: { readonly create?: boolean; readonly scheme?: ClassificationScheme } = {},
): Promise<NodeIdentity> {
  const info = await store.exchange.nodeInfo();
  if (info === null) {
    throw new ApiError(
      500,
      'EXCHANGE_NO_IDENTITY',
      'this node has no exchange identity (set it: hoshimi exchange keygen --org CODE --nation NAT)',
    );
  }
  const { privateKey } = loadNodeKey(keyPath, options.create ?? true);
  const publicKey = createPublicKey(privateKey);
  return {
    organisation: checkOrganisation(info.organisation),
    nation: checkNation(info.nation),
    scheme: options.scheme ?? DEFAULT_SCHEME,
    privateKey,
    publicKey,
    keyId: keyId(publicKey),
  };
}

/** A public key as partners are given it: SPKI PEM. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
