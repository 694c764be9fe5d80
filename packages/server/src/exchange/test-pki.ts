/**
 * A throw-away PKI for exercising the node exchange's mutual TLS on loopback (the exchange tests
 * and `npm run bench`): one CA per node, a node certificate for 127.0.0.1/localhost signed by it
 * (serverAuth and clientAuth), and further client certificates under the same CA. Made by the
 * `openssl` command line in a folder the caller owns and deletes; keys are unencrypted and valid
 * two days, so nothing here is for a real deployment (real nodes bring their own certificates).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
