/**
 * Fixtures of the exchange tests: a throw-away PKI made by the openssl command line (one CA per
 * nation, a node certificate for 127.0.0.1/localhost signed by it, and a rogue CA with its own
 * client certificate), never committed; two nodes' stores; and an HTTPS client that presents a
 * given certificate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { catalogRecords } from './fixtures.js';

export interface NodePki {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA and one node certificate signed by it (EC P-256, valid two days), in `dir`. */
export function makeNodePki(dir: string, name: string, commonName: string): NodePki {
  const ca = `${name}-ca`;
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${name} exchange CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  writeFileSync(
    join(dir, `${name}.ext`),
    'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${commonName}`,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
  const caPath = join(dir, `${ca}.pem`);
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key`);
  return {
    caPem: readFileSync(caPath, 'utf8'),
    certPem: readFileSync(certPath, 'utf8'),
    keyPem: readFileSync(keyPath, 'utf8'),
    caPath,
    certPath,
    keyPath,
  };
}

/** Another certificate signed by the CA of `makeNodePki(dir, name, …)` (a different key). */
export function makeSiblingCert(
  dir: string,
  name: string,
  sibling: string,
): { certPem: string; keyPem: string } {
  writeFileSync(join(dir, `${sibling}.ext`), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${sibling}.key`,
      '-out',
      `${sibling}.csr`,
      '-subj',
      `/CN=${sibling}`,
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${sibling}.csr`,
      '-CA',
      `${name}-ca.pem`,
      '-CAkey',
      `${name}-ca.key`,
      '-CAcreateserial',
      '-out',
      `${sibling}.pem`,
      '-days',
      '2',
      '-extfile',
      `${sibling}.ext`,
    ],
    dir,
  );
  return {
    certPem: readFileSync(join(dir, `${sibling}.pem`), 'utf8'),
    keyPem: readFileSync(join(dir, `${sibling}.key`), 'utf8'),
  };
}

/** 3LE text of `count` catalog objects starting at record `from` (disjoint ranges: disjoint objects). */
export function catalogSlice(from: number, count: number): string {
  const recs = catalogRecords().slice(from, from + count);
  if (recs.length < count) throw new Error(`the catalog has fewer than ${from + count} records`);
  return `${recs.map((r) => r.join('\n')).join('\n')}\n`;
}

/** Catalog numbers of a 3LE text. */
export function catalogNumbersOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('1 '))
    .map((l) => String(Number(l.slice(2, 7))));
}

export interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

/** One HTTPS request presenting `client` (or no certificate), trusting `ca`. */
export function rawRequest(
  url: string,
  options: { readonly ca: string; readonly cert?: string; readonly key?: string },
  method: string,
  path: string,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      {
        method,
        ca: options.ca,
        ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
