/**
 * Reading an import's bytes without holding the whole decompressed text: gzip is recognised by its
 * magic bytes (RFC 1952 §2.3.1: 1f 8b) and decompressed as a stream; text is split into lines and
 * handed out in bounded batches that never cut a TLE record in two.
 *
 * Two passes over the (compressed) bytes: `scanInput` hashes the decompressed content (SHA-256, so
 * a re-import is recognised before anything is written), finds NUL bytes and invalid UTF-8 (a
 * binary file), keeps the first few kilobytes for format detection, and then `lineBatches` streams
 * the text again for parsing. Decompressing twice costs a few milliseconds per megabyte; holding
 * a catalog's parsed records at once would cost tens of megabytes.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** Size of the slices fed to the decompressor and of its output chunks, bytes. */
const SLICE_BYTES = 64 * 1024;
/** Characters kept from the start of the text for format detection. */
export const HEAD_CHARS = 16 * 1024;
/**
 * Largest decompressed content read, bytes (8 GiB): a year of the whole catalog's element sets is
 * far below it; a gzip bomb (a few megabytes that inflate to terabytes) stops here instead of
 * keeping a core busy for hours.
 */
export const MAX_CONTENT_BYTES = 8 * 1024 ** 3;
/**
 * Largest text parsed whole (OMM XML/KVN, GP JSON/CSV, SATCAT), bytes (256 MiB): such formats are
 * held as one string, and V8's strings end near 512 MiB. TLE/3LE text streams and has no such limit.
 */
export const MAX_WHOLE_TEXT_BYTES = 256 * 1024 ** 2;

export type InputKind = 'text' | 'empty' | 'binary' | 'not-utf8' | 'bad-gzip' | 'too-large';

export interface ScannedInput {
  readonly kind: InputKind;
  readonly gzip: boolean;
  /** SHA-256 of the decompressed bytes, hex ('' when the gzip stream is corrupt). */
  readonly sha256: string;
  /** Decompressed size, bytes. */
  readonly size: number;
  /** The first HEAD_CHARS characters of the text (for 'text'). */
  readonly head: string;
  /** Byte offset of the first NUL ('binary'), the decompressor's message ('bad-gzip'), the limit ('too-large'). */
  readonly detail: string;
}

/** Options of `scanInput`. */
export interface ScanOptions {
  /** Stop and answer 'too-large' past this many decompressed bytes (default MAX_CONTENT_BYTES). */
  readonly maxBytes?: number;
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function* slices(bytes: Uint8Array): Generator<Buffer> {
  for (let off = 0; off < bytes.length; off += SLICE_BYTES) {
    const end = Math.min(bytes.length, off + SLICE_BYTES);
    yield Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off);
  }
}

/** The decompressed content as a stream of chunks (views of the input when it is not gzip). */
export async function* contentChunks(bytes: Uint8Array): AsyncGenerator<Buffer> {
  if (!isGzip(bytes)) {
    yield* slices(bytes);
    return;
  }
  const gunzip = Readable.from(slices(bytes)).pipe(createGunzip({ chunkSize: SLICE_BYTES }));
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** First pass: hash, size, binary and UTF-8 checks, head text. Never throws. */
export async function scanInput(bytes: Uint8Array, options: ScanOptions = {}): Promise<ScannedInput> {
  const maxBytes = options.maxBytes ?? MAX_CONTENT_BYTES;
  const gzip = isGzip(bytes);
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let head = '';
  let nulAt = -1;
  let utf8 = true;
  try {
    for await (const chunk of contentChunks(bytes)) {
      hash.update(chunk);
      if (nulAt < 0) {
        const i = chunk.indexOf(0);
        if (i >= 0) nulAt = size + i;
      }
      size += chunk.length;
      if (size > maxBytes) {
        return { kind: 'too-large', gzip, sha256: '', size, head: '', detail: String(maxBytes) };
      }
      if (utf8 && nulAt < 0) {
        try {
          const text = decoder.decode(chunk, { stream: true });
          if (head.length < HEAD_CHARS) head += text.slice(0, HEAD_CHARS - head.length);
        } catch {
          utf8 = false;
        }
      }
    }
    if (utf8 && nulAt < 0) decoder.decode();
  } catch (e) {
    if (gzip && nulAt < 0) {
      return { kind: 'bad-gzip', gzip, sha256: '', size, head: '', detail: (e as Error).message };
    }
    utf8 = false;
  }
  const sha256 = hash.digest('hex');
  if (nulAt >= 0) return { kind: 'binary', gzip, sha256, size, head: '', detail: String(nulAt) };
  if (!utf8) return { kind: 'not-utf8', gzip, sha256, size, head: '', detail: '' };
  if (head.trim() === '' && size <= HEAD_CHARS * 4) {
    return { kind: 'empty', gzip, sha256, size, head, detail: '' };
  }
  return { kind: 'text', gzip, sha256, size, head, detail: '' };
}

/** The whole decompressed text (for formats that are parsed whole: OMM XML, JSON, KVN, CSV). */
export async function readWholeText(bytes: Uint8Array): Promise<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  for await (const chunk of contentChunks(bytes)) parts.push(decoder.write(chunk));
  parts.push(decoder.end());
  return parts.join('');
}

/** A run of consecutive lines of the text; `firstLine` is the 1-based number of `lines[0]`. */
export interface LineBatch {
  readonly firstLine: number;
  readonly lines: readonly string[];
}

function isTleLine2(line: string): boolean {
  return line.charCodeAt(0) === 50 && line.charCodeAt(1) === 32;
}

/**
 * Second pass for TLE/3LE text: lines in batches of at least `batchLines` lines, each batch ending
 * right after a TLE line 2. After a line 2 a TLE reader holds no pending name or line 1, so a batch
 * parses exactly as it would inside the whole file. (A stretch without any line 2 stays in one
 * batch: such text is not a TLE file and is bounded by the input's own size.)
 */
export async function* lineBatches(bytes: Uint8Array, batchLines: number): AsyncGenerator<LineBatch> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lines: string[] = [];
  let firstLine = 1;
  let first = true;
  const take = (text: string): LineBatch[] => {
    const out: LineBatch[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = text.slice(start, nl);
      start = nl + 1;
      if (first) {
        if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        first = false;
      }
      lines.push(line);
      if (lines.length >= batchLines && isTleLine2(line)) {
        out.push({ firstLine, lines });
        firstLine += lines.length;
        lines = [];
      }
    }
    carry = text.slice(start);
    return out;
  };
  for await (const chunk of contentChunks(bytes)) {
    yield* take(carry + decoder.write(chunk));
  }
  const rest = carry + decoder.end();
  carry = '';
  yield* take(rest);
  if (carry !== '') lines.push(first && carry.charCodeAt(0) === 0xfeff ? carry.slice(1) : carry);
  if (lines.length > 0) yield { firstLine, lines };
}
