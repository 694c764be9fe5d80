/**
 * Fixtures of the exchange tests: the throw-away PKI of src/exchange/test-pki.ts (one CA per
 * nation, a node certificate signed by it, a rogue CA), never committed; catalog slices for two
 * nodes' stores; and an HTTPS client that presents a given certificate.
 */
import { request } from 'node:https';
import { catalogRecords } from './fixtures.js';

export { makeNodePki, makeSiblingCert, type NodePki } from '../src/exchange/test-pki.js';

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
