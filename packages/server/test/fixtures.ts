/**
 * Test fixtures of the server's job and watch tests: small subsets of the real 2023-10-09 catalog
 * (../shared/data/catalog, path overridable with HOSHIMI_REFERENCE_DATA), so a screening takes
 * seconds, and a helper that reads a Server-Sent Events stream from a real server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the reference data folder. */
export const REFERENCE_DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(repoRoot, '../shared/data'),
);

export function refPath(rel: string): string {
  const p = join(REFERENCE_DATA, rel);
  if (!existsSync(p)) {
    throw new Error(
      `reference data file not found: ${p} (set HOSHIMI_REFERENCE_DATA to the shared data folder)`,
    );
  }
  return p;
}

/** The catalog's 3LE records (name, line 1, line 2). */
export function catalogRecords(): [string, string, string][] {
  const text = gunzipSync(readFileSync(refPath('catalog/full_catalog_2023-10-09.3le.txt.gz'))).toString(
    'latin1',
  );
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const out: [string, string, string][] = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    out.push([lines[i]!, lines[i + 1]!, lines[i + 2]!]);
  }
  return out;
}

/**
 * A 3LE file of `count` Starlink satellites (every `stride`-th in catalog order) plus the ISS: a
 * dense shell with many close approaches in a day, small enough to screen in seconds.
 */
export function starlinkSubset(count: number, stride = 7): string {
  const recs = catalogRecords();
  const starlink = recs
    .filter((r) => r[0].includes('STARLINK'))
    .filter((_, i) => i % stride === 0)
    .slice(0, count);
  const iss = recs.filter((r) => r[1].startsWith('1 25544'));
  return `${[...iss, ...starlink].map((r) => r.join('\n')).join('\n')}\n`;
}

/** The first `sets` element sets of CryoSat-2's history (2LE). */
export function cryosatHistory(sets: number): string {
  const text = readFileSync(refPath('history/dpshorten-benchmark/processed_files/CryoSat-2.tle'), 'latin1');
  return `${text
    .split(/\r?\n/)
    .slice(0, 2 * sets)
    .join('\n')}\n`;
}

/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Reads an event stream to its end (the server closes it), parsing `event:` and `data:` lines. */
export async function readSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' } });
  const events: SseEvent[] = [];
  if (res.body === null) return { status: res.status, contentType: res.headers.get('content-type'), events };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      // A block of comment lines only (a keep-alive) carries no event.
      if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
      cut = buffer.indexOf('\n\n');
    }
  }
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}
