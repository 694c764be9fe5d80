/**
 * `hoshimi exchange`: this node's identity for the node exchange, its partners, and a sync with one
 * of them (the protocol is @hoshimi/server's exchange module; this file parses, calls and prints).
 */

import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { checkNation, checkOrganisation, DEFAULT_SCHEME, levelRank } from '@hoshimi/astro';
import {
  certificateFingerprint,
  DEFAULT_BUNDLE_ITEMS,
  defaultKeyPath,
  ExchangeService,
  keyId,
  loadNodeIdentity,
  loadNodeKey,
  normaliseFingerprint,
  publicKeyPem,
  syncWithPartner,
} from '@hoshimi/server';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { CliError } from '../errors.js';
import { checkOption, readOptionFile } from '../option-checks.js';
import { sqliteDbPath, withStore } from './catalog-common.js';

export const EXCHANGE_USAGE = `Usage: hoshimi exchange <subcommand> [options]

Subcommands:
  keygen --org CODE --nation NAT [--key PATH]
        sets this node's organisation code and nation, creates its Ed25519 signing key when missing
        (mode 0600; default beside the database: DB.exchange-key.pem) and prints its public key
        (PEM, to give to partners) and key id
  partner add NAME --nation NAT --max-classification LEVEL --public-key FILE [--public-key FILE]
        [--url https://HOST:PORT] [--tls-ca FILE] [--tls-fingerprint HEX | --tls-cert FILE]
        adds a partner (or replaces its description; its cursors are kept): NAME is its
        organisation code, LEVEL the highest classification it is accredited for, FILE its public
        key(s); its TLS certificate is pinned by the CA it chains to and/or its SHA-256 fingerprint
  partner list [--json]
        partners with their cursors (last bundle built, acknowledged; last received)
  sync --partner NAME --tls-cert FILE --tls-key FILE [--pull-only | --push-only] [--key PATH]
        pulls the partner's new bundles, then pushes ours, over mutual TLS; resumable

Options:
  --db PATH   the catalog database (default $HOSHIMI_DB or ./hoshimi.db)
  --bundle-items N  element sets per bundle built by sync (default ${DEFAULT_BUNDLE_ITEMS})
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** What these commands need that the PostgreSQL store does not hold yet (a PostgreSQL URL is refused). */
const EXCHANGE = 'the node exchange (node identity, partners, sync state)';

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${EXCHANGE_USAGE}`);
}

export async function exchangeCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'keygen':
      return keygen(rest);
    case 'partner': {
      const [what, ...more] = rest;
      if (what === 'add') return partnerAdd(more);
      if (what === 'list') return partnerList(more);
      throw usage(`unknown partner subcommand ${JSON.stringify(what ?? '')} (add or list)`);
    }
    case 'sync':
      return sync(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(EXCHANGE_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw usage(`unknown exchange subcommand ${JSON.stringify(sub)}`);
  }
}

async function keygen(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi exchange keygen', EXCHANGE_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      org: { type: 'string' },
      nation: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const db = sqliteDbPath(values.db, 'hoshimi exchange keygen', EXCHANGE);
  // Checked before the store is opened (or created): a bad value writes nothing.
  if (values.org !== undefined) checkOption('--org', () => checkOrganisation(values.org!));
  if (values.nation !== undefined) checkOption('--nation', () => checkNation(values.nation!));
  if ((values.org === undefined || values.nation === undefined) && !existsSync(db))
    throw usage('--org and --nation are needed the first time');
  return withStore(values, 'create', async (store) => {
    const known = await store.exchange.nodeInfo();
    const organisation = values.org ?? known?.organisation;
    const nation = values.nation ?? known?.nation;
    if (organisation === undefined || nation === undefined)
      throw usage('--org and --nation are needed the first time');
    await store.exchange.setNodeInfo({
      organisation: checkOrganisation(organisation),
      nation: checkNation(nation),
    });
    const keyPath = values.key ?? defaultKeyPath(db);
    const { privateKey, created } = loadNodeKey(keyPath, true);
    const pub = createPublicKey(privateKey);
    err(
      `${created ? 'created' : 'kept'} exchange key ${keyPath} (key id ${keyId(pub)}); node ${organisation} (${nation})`,
    );
    process.stdout.write(publicKeyPem(pub));
    return 0;
  });
}

async function partnerAdd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi exchange partner add', EXCHANGE_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      nation: { type: 'string' },
      'max-classification': { type: 'string' },
      'public-key': { type: 'string', multiple: true },
      url: { type: 'string' },
      'tls-ca': { type: 'string' },
      'tls-fingerprint': { type: 'string' },
      'tls-cert': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  sqliteDbPath(values.db, 'hoshimi exchange partner add', EXCHANGE);
  const [name] = positionals;
  if (name === undefined || positionals.length !== 1) throw usage('partner add takes one NAME');
  checkOption('NAME', () => checkOrganisation(name));
  if (values.nation === undefined) throw usage('--nation is required');
  const nation = checkOption('--nation', () => checkNation(values.nation!));
  const max = values['max-classification'];
  if (max === undefined) throw usage('--max-classification is required');
  checkOption('--max-classification', () => levelRank(DEFAULT_SCHEME, max));
  const keys = (values['public-key'] ?? []).map((f) => readOptionFile('--public-key', f));
  if (keys.length === 0)
    throw usage('--public-key is required (the partner\'s "hoshimi exchange keygen" output)');
  for (const k of keys) {
    try {
      if (createPublicKey(k).asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    } catch {
      throw new CliError('USAGE', '--public-key: not an Ed25519 public key (PEM)');
    }
  }
  if (values.url !== undefined && !/^https:\/\/[^/]+/.test(values.url))
    throw usage(`--url: expected https://HOST:PORT, got ${values.url}`);
  const ca = values['tls-ca'] === undefined ? null : readOptionFile('--tls-ca', values['tls-ca']);
  let fingerprint =
    values['tls-fingerprint'] === undefined ? null : normaliseFingerprint(values['tls-fingerprint']);
  if (fingerprint !== null && fingerprint.length !== 64)
    throw usage('--tls-fingerprint: expected 64 hex digits (SHA-256)');
  if (values['tls-cert'] !== undefined)
    fingerprint = certificateFingerprint(readOptionFile('--tls-cert', values['tls-cert']));
  if (ca === null && fingerprint === null)
    throw usage(
      "pin the partner's TLS certificate: --tls-ca FILE and/or --tls-fingerprint HEX (or --tls-cert FILE)",
    );
  return withStore(values, 'create', async (store) => {
    const p = await store.exchange.savePartner({
      name: checkOrganisation(name),
      nation,
      maxClassification: max,
      publicKeys: keys,
      url: values.url ?? null,
      tlsCa: ca,
      tlsFingerprint: fingerprint,
    });
    err(`partner ${p.name} (${p.nation}, up to ${p.maxClassification}) saved`);
    return 0;
  });
}

async function partnerList(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi exchange partner list', EXCHANGE_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  sqliteDbPath(values.db, 'hoshimi exchange partner list', EXCHANGE);
  return withStore(values, 'read', async (store) => {
    const partners = await store.exchange.listPartners();
    if (values.json) {
      out(
        JSON.stringify(
          partners.map(({ tlsCa, publicKeys, ...p }) => ({
            ...p,
            keys: publicKeys.length,
            tlsCaPinned: tlsCa !== null,
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (partners.length === 0) err('no exchange partners');
    for (const p of partners) {
      out(
        `${p.name.padEnd(16)} ${p.nation} up to ${p.maxClassification.padEnd(12)} ${p.url ?? '(pull only)'}  sent ${p.outgoing.ackedSeq}/${p.outgoing.builtSeq} acknowledged/built, received ${p.incoming.seq}`,
      );
    }
    return 0;
  });
}

async function sync(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi exchange sync', EXCHANGE_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      partner: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      key: { type: 'string' },
      'pull-only': { type: 'boolean' },
      'push-only': { type: 'boolean' },
      'bundle-items': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const db = sqliteDbPath(values.db, 'hoshimi exchange sync', EXCHANGE);
  if (values.partner === undefined) throw usage('--partner NAME is required');
  if (values['tls-cert'] === undefined || values['tls-key'] === undefined)
    throw usage("--tls-cert and --tls-key (this node's certificate) are required");
  if (values['pull-only'] && values['push-only'])
    throw usage('--pull-only and --push-only exclude each other');
  const bundleItems =
    values['bundle-items'] === undefined ? DEFAULT_BUNDLE_ITEMS : Number(values['bundle-items']);
  if (!Number.isInteger(bundleItems) || bundleItems < 1 || bundleItems > 100_000)
    throw usage(`--bundle-items: expected an integer 1..100000, got ${values['bundle-items']}`);
  const tls = {
    cert: readOptionFile('--tls-cert', values['tls-cert']),
    key: readOptionFile('--tls-key', values['tls-key']),
  };
  return withStore(values, 'write', async (store) => {
    const identity = await loadNodeIdentity(store, values.key ?? defaultKeyPath(db), { create: false });
    // Leap seconds and EOP for the CDMs of conjunctions; without them conjunctions wait (said below).
    const service = new ExchangeService({
      store,
      identity,
      bundleItems,
      context: () => {
        try {
          return loadCliContext({ withEop: true, tolerant: true }, err);
        } catch {
          return undefined;
        }
      },
    });
    const r = await syncWithPartner({
      service,
      partner: values.partner!,
      tls,
      direction: values['pull-only'] ? 'pull' : values['push-only'] ? 'push' : 'both',
      onBundle: (e) => err(`${e.direction} bundle ${e.sequence}: ${e.status} (${e.items} items)`),
    });
    out(
      `sync with ${values.partner}: pulled ${r.pulled.bundles} bundles (${r.pulled.inserted} new element sets, ${r.pulled.duplicates} already held), pushed ${r.pushed.bundles} bundles (${r.pushed.items} element sets, ${r.pushed.duplicates} already held)`,
    );
    const cdm = service.cdmReport();
    if (cdm.waitingForContext.length > 0)
      err(
        `sync: no leap-second/EOP tables: conjunctions (CDMs) were not sent to ${cdm.waitingForContext.join(', ')}; they wait for the next sync with tables`,
      );
    return 0;
  });
}
